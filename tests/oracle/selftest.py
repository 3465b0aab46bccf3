"""Hand-worked tiny traces for the reference model.  Run: python3 tests/oracle/selftest.py

Pricing used throughout (USD per 1M tokens => pico-USD per token = price × 10^6):
  S small: input 1.00 (1e6 pico/tok), cached 0.50 (5e5), output 2.00 (2e6),
           latency 100 ms + 1 ms/output token
  L large: input 10 (1e7), cached = input, output 20 (2e7), latency 200 ms + 2 ms/token
"""
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402

P = {"models": {
    "S": {"tier": "small", "input": 1.00, "cached_input": 0.50, "output": 2.00,
          "latency_ms_base": 100, "latency_ms_per_output_token": 1},
    "L": {"tier": "large", "input": 10, "output": 20,
          "latency_ms_base": 200, "latency_ms_per_output_token": 2}}}

FAILS = []


def ts(sec):
    """seconds after 10:00:00 as RFC 3339 text"""
    m, s_ = divmod(sec, 60)
    whole = int(s_)
    frac = round((s_ - whole) * 1_000_000)
    return f"2026-03-02T10:{int(m):02d}:{whole:02d}.{frac:06d}Z"


def req(sec, **kw):
    d = {"ts": ts(sec), "tenant": "a", "task": "t", "input_tokens": 100, "output_tokens": 50}
    d.update(kw)
    return d


def eq(name, got, want):
    if got != want:
        FAILS.append(name)
        print(f"FAIL {name}: got {got!r} want {want!r}")
    else:
        print(f"ok   {name}")


def check(name, res, **want):
    """The totals named in want, as a check of their own."""
    eq(name, {k: res["totals"].get(k) for k in want}, want)


# --- primitives -------------------------------------------------------------------------
eq("fnv1a64('a') test vector", model.fnv1a64(b"a"), 0xaf63dc4c8601ec8c)
eq("fnv1a64('') = offset", model.fnv1a64(b""), 0xcbf29ce484222325)
# splitmix64 with state 0: first output is finalize(0x9e3779b97f4a7c15) = 0xe220a8397b1dcdaf
eq("splitmix64 finalizer vector", model.splitmix64_finalize(0x9e3779b97f4a7c15),
   0xe220a8397b1dcdaf)
eq("parse_ts ms", model.parse_ts("2026-03-02T10:00:00.123Z"), 1772445600123000)
eq("parse_ts epoch", model.parse_ts("1970-01-01T00:00:01Z"), 1_000_000)
eq("parse_ts 7 digits half-even", model.parse_ts("1970-01-01T00:00:00.0000005Z"), 0)
eq("parse_ts 7 digits half-even up", model.parse_ts("1970-01-01T00:00:00.0000015Z"), 2)
eq("ms_to_us half-even", (model.ms_to_us(0.0005), model.ms_to_us(0.0015), model.ms_to_us(2.5)),
   (0, 2, 2500))
eq("normalize fixed order",
   model.normalize("  Hello,\u00a0 WORLD!\u3000", {"collapse_space", "strip_punct", "lower"}),
   "hello world")

# --- cache hit saving tokens / USD ------------------------------------------------------
# r0 misses, calls S: 100 in + 50 out, cost 100e6 + 50*2e6 = 2e8, latency 100+50 = 150 ms.
# r1 (same text after normalization) at 1 s: hit, saves 150 tokens and 2e8 pico.
res = model.replay(
    [req(0, input="Hello, World", input_tokens=100, model="S"),
     req(1, input=" hello   WORLD!", input_tokens=100, model="S")],
    {"cache": {"normalize": ["collapse_space", "lower", "strip_punct"]}}, P)
check("cache hit saves tokens/usd", res, cache_hits=1, cache_tokens_saved=150,
      cache_usd_saved=200_000_000, calls=1, usd_total=200_000_000, cache_hit_rate=0.5,
      resolved=2, latency_p50_ms=Fraction(0), latency_p95_ms=Fraction(150),
      budget_violation_rate=0.0)

# a text key never equals an input_hash key; a request with neither is not cached
res = model.replay(
    [req(0, input="abc", model="S"), req(1, input_hash="abc", model="S"),
     req(2, model="S"), req(3, model="S"), req(4, input_hash="abc", model="S")],
    {"cache": {}}, P)
check("text vs hash keys, no-input not cached", res, cache_hits=1, calls=4)

# --- LRU eviction order vs FIFO ---------------------------------------------------------
# keys A B A C B A, capacity 2, answers long before the next arrival.
# LRU: A miss, B miss, A hit (A recent), C miss evicts B, B miss evicts A, A miss -> 1 hit
# FIFO: A miss, B miss, A hit, C miss evicts A (oldest), B hit, A miss evicts B -> 2 hits
seq = ["A", "B", "A", "C", "B", "A"]
trace = [req(5 * i, input=k, model="S") for i, k in enumerate(seq)]
check("lru eviction order", model.replay(trace, {"cache": {"capacity": 2}}, P), cache_hits=1,
      calls=5)
check("fifo eviction order",
      model.replay(trace, {"cache": {"capacity": 2, "eviction": "fifo"}}, P), cache_hits=2,
      calls=4)

# --- TTL expiry at the exact instant ----------------------------------------------------
# r0 at 0 s answers at 1 s (recorded latency 1000 ms); small TTL 10 s => expires at 11 s.
# r1 at 10.999999 s hits; r2 at exactly 11 s misses.
trace = [req(0, input="q", model="S", latency_ms=1000),
         req(10.999999, input="q", model="S", latency_ms=1000),
         req(11, input="q", model="S", latency_ms=1000)]
check("ttl expiry exact instant", model.replay(trace, {"cache": {"ttl_s": {"small": 10}}}, P),
      cache_hits=1, calls=2)
# an expired entry stops counting toward capacity at that instant: capacity 1, A expires
# at 11 s; B answers at exactly 11 s (arrives 10 s, latency 1000) and inserts without
# evicting anything live; A looked up at 11 s misses; B at 12 s hits.
trace = [req(0, input="A", model="S", latency_ms=1000),
         req(10, input="B", model="S", latency_ms=1000),
         req(12, input="B", model="S", latency_ms=1000)]
check("ttl + capacity", model.replay(trace, {"cache": {"capacity": 1,
                                                       "ttl_s": {"small": 10}}}, P),
      cache_hits=1, calls=2)


# overlapping misses of one key both call; the later answer replaces value and expiry.
# r0 (out 50) answers at 5 s, r1 (out 10) at 2 s; r2 at 3 s hits r1's entry (110 tokens,
# 100e6 + 10*2e6 = 1.2e8); r3 at 6 s hits r0's entry (150 tokens, 2e8).
trace = [req(0, input="A", model="S", latency_ms=5000),
         req(1, input="A", model="S", output_tokens=10, latency_ms=1000),
         req(3, input="A", model="S"), req(6, input="A", model="S")]
check("overlapping misses replace", model.replay(trace, {"cache": {}}, P), cache_hits=2,
      calls=2, cache_tokens_saved=260, cache_usd_saved=320_000_000)

# usd_per_hour_peak over (t - 3600 s, t]: calls at 10:00:00 (2e8) and 11:00:00 (2e8) never
# share a window; a third at 10:59:59.999999 shares one with each -> peak 4e8
res = model.replay([req(0, model="S"),
                    {**req(0, model="S"), "ts": "2026-03-02T11:00:00Z"}], {}, P)
check("usd_per_hour_peak boundary", res, usd_per_hour_peak=200_000_000, usd_total=400_000_000)
res = model.replay([req(0, model="S"),
                    {**req(0, model="S"), "ts": "2026-03-02T10:59:59.999999Z"},
                    {**req(0, model="S"), "ts": "2026-03-02T11:00:00Z"}], {}, P)
check("usd_per_hour_peak inside", res, usd_per_hour_peak=400_000_000)

# input_tokens estimated from text: ceil(UTF-8 bytes / 4): "héllo" = 6 bytes -> 2 tokens
d = req(0, input="h\u00e9llo", model="S")
del d["input_tokens"]
check("input token estimate", model.replay([d], {}, P), input_tokens=2)

# --- retry then ok ----------------------------------------------------------------------
# S server_error (300 ms, billed none), backoff 500 ms * 2^0 => retry at 800 ms, ok 200 ms
# => answer at 1000 ms.  Retry call bills 100 + 50 tokens = 2e8 pico.
res = model.replay([req(0, attempts=[{"model": "S", "status": "server_error", "latency_ms": 300},
                                     {"model": "S", "status": "ok", "latency_ms": 200}])],
                   {}, P)
check("retry then ok", res, calls=2, retries=1, retry_tokens=150, retry_usd=200_000_000,
      input_tokens=100, output_tokens=50, usd_total=200_000_000, resolved=1,
      latency_p50_ms=Fraction(1000))
# second backoff doubles: fail 100, wait 500, fail 100, wait 1000, ok 200 => 1900 ms
res = model.replay([req(0, attempts=[{"model": "S", "status": "rate_limited", "latency_ms": 100},
                                     {"model": "S", "status": "rate_limited", "latency_ms": 100},
                                     {"model": "S", "status": "ok", "latency_ms": 200}])],
                   {}, P)
check("backoff doubles", res, calls=3, retries=2, latency_p50_ms=Fraction(1900))
# a recorded ok slower than timeout_ms is a timeout taking exactly timeout_ms, billed full;
# not retried (max_attempts 1) => failed; cost 2e8
res = model.replay([req(0, model="S", latency_ms=40000)],
                   {"retry": {"max_attempts": 1}}, P)
check("latency over timeout => timeout billed full", res, failed=1, calls=1,
      usd_total=200_000_000, input_tokens=100, output_tokens=50)

# --- fallback gates ---------------------------------------------------------------------
ROUTES = {"routes": {"s": "S", "l": "L"}, "routing": {"default": "s"},
          "retry": {"max_attempts": 1}}


def fb(**gates):
    d = dict(ROUTES)
    d["fallback"] = {"chain": ["s", "l"], "degrade_tasks": ["faq"], **gates}
    return d


FAIL_S = [{"model": "S", "status": "server_error", "latency_ms": 100}]
# r0: S fails at 0.1 s -> fallback to L admitted (L modelled: no L data, p=0, ok,
#     200 + 2*50 = 300 ms => answers at 0.4 s; cost 100*1e7 + 50*2e7 = 2e9).
# inflight cap 1, r1 (faq, same tenant) at 0.2 s fails at 0.3 s: r0's fallback in flight
#     -> denied, degraded (latency 100 ms).
res = model.replay([req(0, attempts=FAIL_S), req(0.2, task="faq", attempts=FAIL_S)],
                   fb(tenant_inflight_cap=1), P)
check("inflight gate denies", res, fallbacks=1, fallbacks_denied=1, degraded=1, resolved=1,
      calls=3, usd_total=2_000_000_000, fallback_rate=0.5, large_share=1 / 3,
      latency_p50_ms=Fraction(100), latency_p95_ms=Fraction(400))
# r1 at 0.3 s gives up at exactly 0.4 s, when r0's fallback ends: no longer in flight
res = model.replay([req(0, attempts=FAIL_S), req(0.3, task="faq", attempts=FAIL_S)],
                   fb(tenant_inflight_cap=1), P)
check("inflight gate: ending at t not in flight", res, fallbacks=2, fallbacks_denied=0,
      resolved=2)
# another tenant is not counted
res = model.replay([req(0, attempts=FAIL_S), req(0.2, tenant="b", attempts=FAIL_S)],
                   fb(tenant_inflight_cap=1), P)
check("inflight gate per tenant", res, fallbacks=2, fallbacks_denied=0)
# rate gate max_rate 0.4: r0 at 0.1 s: 0 fallbacks / 1 first call = 0 -> admitted.
# r1 (other tenant) at 1.1 s: 1 / 2 = 0.5 > 0.4 -> denied, not in degrade_tasks -> failed.
res = model.replay([req(0, attempts=FAIL_S), req(1, tenant="b", attempts=FAIL_S)],
                   fb(max_rate=0.4), P)
check("rate gate denies", res, fallbacks=1, fallbacks_denied=1, failed=1, resolved=1)
# max_rate 0.5: 0.5 is not above 0.5 -> admitted
res = model.replay([req(0, attempts=FAIL_S), req(1, tenant="b", attempts=FAIL_S)],
                   fb(max_rate=0.5), P)
check("rate gate equal admits", res, fallbacks=2, fallbacks_denied=0)
# window (t - 1 s, t]: r0's first fallback at 0.1 s and first call at 0 s lie outside
# the window at r1's give-up 1.1 s => 0/1 -> admitted
res = model.replay([req(0, attempts=FAIL_S), req(1, tenant="b", attempts=FAIL_S)],
                   fb(max_rate=0.4, rate_window_s=1), P)
check("rate gate window", res, fallbacks=2, fallbacks_denied=0)
# usd gate: cap 0.001 USD = 1e9 pico.  r0: spend 0 -> admitted; its L call costs 2e9
# (begun at 0.1 s).  r1 at 1.1 s: spend over (t-1h, t] = 2e9 > 1e9 -> denied.
res = model.replay([req(0, attempts=FAIL_S), req(1, tenant="b", attempts=FAIL_S)],
                   fb(usd_per_hour_cap=0.001), P)
check("usd gate denies", res, fallbacks=1, fallbacks_denied=1, failed=1,
      usd_total=2_000_000_000, usd_per_hour_peak=2_000_000_000)
# class not in fallback.on: no fallback, no denial
res = model.replay([req(0, attempts=[{"model": "S", "status": "content_filter",
                                      "latency_ms": 100}])], fb(), P)
check("class not in fallback.on", res, fallbacks=0, fallbacks_denied=0, failed=1,
      usd_total=100_000_000)  # content_filter bills input: 100 * 1e6

# --- breaker ----------------------------------------------------------------------------
# window 2, ratio 0.5, open 10 s, model S, no retries, no fallback.
# r0 0 s fail (ends 0.1), r1 1 s fail (ends 1.1: window full, 2 >= 1 -> open at 1.1 s)
# r2 5 s rejected; r3 11.1 s = 1.1 + 10: probe (ok, ends 11.2, closes);
# r4 11.15 s rejected while the probe is out; r5 12 s ok.
F = [{"model": "S", "status": "server_error", "latency_ms": 100}]
OK = [{"model": "S", "status": "ok", "latency_ms": 100}]
BR = {"breaker": {"window": 2, "failure_ratio": 0.5, "open_s": 10},
      "retry": {"max_attempts": 1}}
res = model.replay([req(0, attempts=F), req(1, attempts=F), req(5, attempts=OK),
                    req(11.1, attempts=OK), req(11.15, attempts=OK), req(12, attempts=OK)],
                   BR, P)
check("breaker opens, probe closes", res, calls=4, breaker_rejections=2, failed=4, resolved=2)
# probe failure re-opens at its end (11.2 s): r4 at 12 s rejected, r5 at 21.2 s is a probe.
res = model.replay([req(0, attempts=F), req(1, attempts=F), req(11.1, attempts=F),
                    req(12, attempts=OK), req(21.1, attempts=OK), req(21.2, attempts=OK)],
                   BR, P)
check("breaker probe failure re-opens", res, calls=4, breaker_rejections=2, resolved=1)
# a breaker rejection qualifies for fallback: r2 goes to L
res = model.replay([req(0, attempts=F), req(1, attempts=F), req(5, attempts=OK)],
                   {**BR, **{k: v for k, v in ROUTES.items() if k != "retry"},
                    "fallback": {"chain": ["s", "l"]}},
                   P)
# r0, r1 fail on S then fall back to L (S breaker only counts S outcomes); r2 rejected on S
check("breaker rejection falls back", res, breaker_rejections=1, fallbacks=3, resolved=3,
      calls=5)


# same-instant order is by request index: window 1 breaker.
# idx0 fails, ending at 1.0 s (opens); idx1 arrives at 1.0 s -> rejected.
BR1 = {"breaker": {"window": 1, "failure_ratio": 1, "open_s": 10},
       "retry": {"max_attempts": 1}}
res = model.replay([req(0.9, attempts=F), req(1, attempts=OK)], BR1, P)
check("same instant: lower index end first", res, breaker_rejections=1, calls=1)
# idx0 arrives at 1.0 s, idx1's failure ends at 1.0 s: idx0 meets a closed breaker
res = model.replay([req(1, attempts=OK), req(0.9, attempts=F)], BR1, P)
check("same instant: lower index arrival first", res, breaker_rejections=0, calls=2,
      resolved=1)
# a failed summary leaves the request unanswered, no fallback: injected server_error on S
# (rate 1), no retries.  faq -> degraded (latency = S base 100 ms); other task -> failed.
res = model.replay([req(0, task="faq", input_tokens=1234), req(1, input_tokens=1234)],
                   {"routes": {"s": "S", "l": "L"}, "routing": {"default": "l"},
                    "budget": {"*": {"input_max": 100, "overflow": "summarize"}},
                    "summarize": {"route": "s"}, "retry": {"max_attempts": 1},
                    "faults": {"inject": [{"model": "S", "from": "2026-03-02T10:00:00Z",
                                           "to": "2026-03-02T11:00:00Z", "rate": 1,
                                           "status": "server_error"}]},
                    "fallback": {"chain": ["s", "l"], "degrade_tasks": ["faq"]}}, P)
check("failed summary -> degraded / failed", res, summarized=2, degraded=1, failed=1,
      calls=2, fallbacks=0, usd_total=0, latency_p50_ms=Fraction(100))
# summarize retries are numbered apart (s1, s2) and count as retries: inject timeout on S
# with rate 1 and timeout_ms 1000: s1 times out at 1 s (billed full: 1234e6 + 124*2e6),
# s2 at 1.5 s times out at 2.5 s, s3 at 3.5 s ... max_attempts 3 -> 3 calls, 2 retries.
res = model.replay([req(0, input_tokens=1234)],
                   {"routes": {"s": "S", "l": "L"}, "routing": {"default": "l"},
                    "budget": {"*": {"input_max": 100, "overflow": "summarize"}},
                    "summarize": {"route": "s"},
                    "retry": {"timeout_ms": 1000},
                    "faults": {"inject": [{"model": "S", "from": "2026-03-02T10:00:00Z",
                                           "to": "2026-03-02T11:00:00Z", "rate": 1}]}}, P)
check("summarize retries", res, calls=3, retries=2, failed=1,
      usd_total=3 * 1_482_000_000, retry_usd=2 * 1_482_000_000, retry_tokens=2 * 1358)

# --- budget: summarize / truncate / reject ----------------------------------------------
# summarize: input 1234 > 100 -> summary on S: in 1234, out ceil(123.4)=124,
#   latency 100+124 = 224 ms, cost 1234e6 + 124*2e6 = 1482e6.
# main on L at 224 ms: in min(100,124)=100, out min(50,40)=40, latency 200+80=280 ms
#   -> answer 504 ms; cost 100*1e7 + 40*2e7 = 1.8e9.
res = model.replay([req(0, input_tokens=1234)],
                   {"routes": {"s": "S", "l": "L"}, "routing": {"default": "l"},
                    "budget": {"*": {"input_max": 100, "output_max": 40,
                                     "overflow": "summarize"}},
                    "summarize": {"route": "s", "ratio": 0.1}}, P)
check("summarize", res, calls=2, input_tokens=1334, output_tokens=164,
      usd_total=3_282_000_000, summarized=1, budget_violations=1, output_capped=1,
      latency_p50_ms=Fraction(504), large_share=0.5, retries=0, budget_violation_rate=1.0)
# truncate (default overflow): input 300 -> 100; recorded model S with cached 150
#   -> min(150, 100) = 100 cached: 100*5e5 + 10*2e6 = 7e7; latency 100 + 10 = 110 ms
res = model.replay([req(0, input_tokens=300, output_tokens=10, model="S", cached_tokens=150)],
                   {"budget": {"t": {"input_max": 100}}}, P)
check("truncate + cached", res, truncated=1, budget_violations=1, input_tokens=100,
      cached_input_tokens=100, usd_total=70_000_000, latency_p50_ms=Fraction(110))
# reject: other task unaffected; "*" not used when the task has its own policy
res = model.replay([req(0, input_tokens=500, model="S"), req(1, task="u", input_tokens=500,
                                                            model="S")],
                   {"budget": {"t": {"input_max": 100, "overflow": "reject"}}}, P)
check("reject", res, rejected=1, calls=1, budget_violations=1, budget_violation_rate=0.5,
      resolved=1)

# --- routing rules ----------------------------------------------------------------------
res = model.replay([req(0, difficulty="hard"), req(1), req(2, input_tokens=7000),
                    req(3, tenant="z", input_tokens=7000)],
                   {"routes": {"s": "S", "l": "L"}, "routing": {"default": "s", "rules": [
                       {"when": {"tenant": "z"}, "route": "s"},
                       {"when": {"difficulty": "hard"}, "route": "l"},
                       {"when": {"input_tokens_gt": 6000}, "route": "l"}]}}, P)
check("routing rules", res, calls=4, large_share=0.5)

# --- injected fault draw ----------------------------------------------------------------
x = model.draw(1, 0, "S", "1")
r_lo = Fraction(x * 10 ** 6 // 2 ** 53, 10 ** 6)       # r_lo * 2^53 <= x  -> ok
r_hi = r_lo + Fraction(1, 10 ** 6)                     # r_hi * 2^53 > x   -> fails
assert r_lo * 2 ** 53 <= x < r_hi * 2 ** 53


def dec(fr):
    """a Fraction with denominator 10^6 as exact decimal text"""
    n = int(fr * 10 ** 6)
    return f"{n // 10**6}.{n % 10**6:06d}"


def inj(rate, status="server_error", frm="2026-03-02T10:00:00Z", to="2026-03-02T10:00:30Z"):
    return {"faults": {"recorded": False, "inject": [
        {"model": "S", "from": frm, "to": to, "status": status, "rate": rate}]},
        "retry": {"max_attempts": 1}}


res = model.replay([req(0, model="S")], inj(dec(r_hi)), P)
check("inject rate just above draw fails", res, failed=1, calls=1, usd_total=0)
res = model.replay([req(0, model="S")], inj(dec(r_lo)), P)
check("inject rate at/below draw ok", res, resolved=1)
# window is [from, to): a call at `to` is outside; default status timeout billed full
res = model.replay([req(0, model="S"), req(30, model="S")],
                   {"faults": {"recorded": False, "inject": [
                       {"model": "S", "from": "2026-03-02T10:00:00Z",
                        "to": "2026-03-02T10:00:30Z", "rate": 1}]},
                    "retry": {"max_attempts": 1, "timeout_ms": 5000}}, P)
check("inject window [from,to) + default timeout", res, failed=1, resolved=1,
      usd_total=400_000_000, latency_p50_ms=Fraction(150))
# recorded outcome wins over injection when faults.recorded (default true)
res = model.replay([req(0, model="S")], {"faults": {"inject": [
    {"model": "S", "from": "2026-03-02T10:00:00Z", "to": "2026-03-02T10:00:30Z",
     "rate": 1}]}}, P)
check("recorded outcome beats inject", res, resolved=1, calls=1)
# recorded failure rate per minute: 1 of 1 attempts of S in the minute failed -> p = 1,
# class by cumulative counts = server_error (billed none); retries then also fail (3 calls)
res = model.replay([req(0, model="S", status="server_error", latency_ms=10)],
                   {"faults": {"recorded": False}}, P)
check("modelled p=1 from recorded minute", res, failed=1, calls=3, retries=2, usd_total=0)

# --- recorded mode ----------------------------------------------------------------------
# attempts: S timeout 30000 ms (full: 100e6 + 50*2e6 = 2e8), S server_error 100 ms (none,
# a retry), L ok 1000 ms with cached 20 (fallback; cached_input = input for L):
# 80*1e7 + 20*1e7 + 50*2e7 = 2e9.  Back to back: latency 31100 ms.
res = model.replay([req(0, attempts=[
    {"model": "S", "status": "timeout", "latency_ms": 30000},
    {"model": "S", "status": "server_error", "latency_ms": 100},
    {"model": "L", "status": "ok", "latency_ms": 1000, "cached_tokens": 20}])],
    {"name": "recorded", "mode": "recorded"}, P)
check("recorded mode price", res, calls=3, retries=1, retry_tokens=0, retry_usd=0,
      fallbacks=1, usd_total=2_200_000_000, resolved=1, input_tokens=200,
      output_tokens=100, cached_input_tokens=20, latency_p50_ms=Fraction(31100),
      fallback_rate=1.0, large_share=1 / 3)
eq("by_model sorted", [(m["model"], m["calls"], m["usd"]) for m in res["by_model"]],
   [("L", 1, 2_000_000_000), ("S", 2, 200_000_000)])
# recorded attempt with its own ts; last attempt failed -> failed
res = model.replay([req(0, attempts=[
    {"model": "S", "status": "ok", "latency_ms": 100, "ts": ts(2)}]),
    req(1, model="S", status="rate_limited")], {"mode": "recorded"}, P)
check("recorded mode failed + peak", res, resolved=1, failed=1, calls=2,
      usd_total=200_000_000, latency_p50_ms=Fraction(2100))

# --- batch (§4.3, §10 Batch) ------------------------------------------------------------
# 10:00:00 is a multiple of 60 s since the epoch (1772445600 = 60 × 29540760), so with
# interval_s 60 the boundaries are 10:01:00, 10:02:00, ...  Items of task "b" go to the
# queue; first_route s (S), fail_route l (L), discount 0.5, latency_s 10.
# An item on S: 100 in + 50 out = 100e6 + 100e6 = 2e8 pico, × 0.5 = 1e8.


def batch(**kw):
    b = {"tasks": ["b"], "interval_s": 60, "first_route": "s", "fail_route": "l",
         "discount": 0.5, "latency_s": 10}
    b.update(kw)
    return {"routes": {"s": "S", "l": "L"}, "routing": {"default": "s"}, "batch": b}


def breq(sec, **kw):
    return req(sec, **dict({"task": "b"}, **kw))


# flush by interval: items at 1 s and 2 s are sent at the 60 s boundary and finish at 70 s:
# latencies 69 s and 68 s; 2 calls of 1e8.
res = model.replay([breq(1), breq(2)], batch(), P)
check("batch flush by interval", res, batched=2, calls=2, usd_total=200_000_000, resolved=2,
      latency_p50_ms=Fraction(68000), latency_p95_ms=Fraction(69000), retries=0, **{"async": 0})
# flush by size: max_batch_size 2; items at 1, 2 s are sent at 2 s (finish 12 s), the third
# (3 s) at the 60 s boundary (finish 70 s).  Latencies 11, 10, 67 s: p50 rank 2 = 11 s.
res = model.replay([breq(1), breq(2), breq(3)], batch(max_batch_size=2), P)
check("batch flush by size", res, batched=3, calls=3, latency_p50_ms=Fraction(11000),
      latency_p95_ms=Fraction(67000))
# flush by tokens: limit 250; 100 + 150 = 250 does not pass it; adding 1 more token (3 s)
# would: the two are sent at 3 s (finish 13 s: latencies 12, 11 s), the third waits for
# 60 s (finishes 70 s: 67 s).  Costs: 1e8; (150e6+100e6)/2 = 1.25e8; (1e6+1e8)/2 = 5.05e7.
res = model.replay([breq(1), breq(2, input_tokens=150), breq(3, input_tokens=1)],
                   batch(max_total_input_tokens=250), P)
check("batch flush by tokens", res, calls=3, latency_p50_ms=Fraction(12000),
      latency_p95_ms=Fraction(67000), usd_total=100_000_000 + 125_000_000 + 50_500_000)
# an item alone above the limit: 100 queued at 1 s; 300 at 2 s would pass 250 -> the queue
# (item 0) is sent at 2 s, then item 1 alone above the limit is sent alone at 2 s.  Both
# finish at 12 s: latencies 11 s, 10 s.  Costs 1e8 + (300e6 + 100e6)/2 = 3e8.
res = model.replay([breq(1), breq(2, input_tokens=300)], batch(max_total_input_tokens=250),
                   P)
check("batch item alone over the limit", res, calls=2, usd_total=300_000_000,
      latency_p50_ms=Fraction(10000), latency_p95_ms=Fraction(11000))
# an arrival exactly on a boundary waits for the next: at 60 s -> sent at 120 s, finishes
# 130 s (70 s); one at 59.999999 s -> sent at 60 s, finishes 70 s (10.000001 s).
res = model.replay([breq(59.999999), breq(60)], batch(), P)
check("batch arrival on a boundary waits", res, calls=2,
      latency_p50_ms=Fraction(10000001, 1000), latency_p95_ms=Fraction(70000))
# re-queue on fail_route until max_attempts: recorded S server_error then L server_error.
# 1 s -> sent at 60 s on S (1st S call replays the S attempt: server_error, billed none),
# known at 70 s, rejoins the queue on L -> sent at 120 s (1st L call: server_error), known
# at 130 s.  max_attempts 2: out of attempts -> degraded (task b in degrade_tasks), latency
# 129 s; 2 calls, 1 retry (the re-queue), 0 USD.
FAIL_SL = [{"model": "S", "status": "server_error"}, {"model": "L", "status": "server_error"}]
scn = batch(max_attempts=2)
scn["fallback"] = {"chain": ["s"], "degrade_tasks": ["b"]}
res = model.replay([breq(1, attempts=FAIL_SL)], scn, P)
check("batch re-queue runs out of max_attempts", res, calls=2, retries=1, degraded=1,
      usd_total=0, large_share=0.5, latency_p50_ms=Fraction(129000), fallbacks=0)
# max_attempts 3: the third attempt (sent at 180 s, the 2nd call on L) has no recorded
# attempt and no L data in minute 10:03 -> p = 0, ok; 100e7 + 50*2e7 = 2e9, × 0.5 = 1e9.
# Finishes at 190 s.  retries 2 (150 retry tokens: the failed one billed none).
res = model.replay([breq(1, attempts=FAIL_SL)], batch(max_attempts=3), P)
check("batch re-queue then ok", res, calls=3, retries=2, resolved=1, usd_total=1_000_000_000,
      retry_usd=1_000_000_000, retry_tokens=150, latency_p50_ms=Fraction(189000))
# discount rounding half-even per call: model O costs 1 pico per token.  (100 in, 53 out)
# = 153 × 0.5 = 76.5 -> 76; (100, 57) = 157 × 0.5 = 78.5 -> 78: 154 in all (half-up per
# call would give 156, rounding the sum 310 × 0.5 = 155).
PO = {"models": dict(P["models"], O={"tier": "small", "input": 0.000001, "output": 0.000001})}
scn = batch()
scn["routes"] = {"s": "O", "l": "L"}
res = model.replay([breq(1, output_tokens=53), breq(2, output_tokens=57)], scn, PO)
check("batch discount half-even per call", res, usd_total=154)
eq("batch discount by_model", [(m["model"], m["usd"]) for m in res["by_model"]], [("O", 154)])
# a batch answer is inserted in the cache: item 0 answers at 70 s (150 tokens, 1e8 after
# the discount); item 1 (same input) at 80 s hits; item 2 at 65 s (before the answer) misses
# and is batched too: 2 calls, 2 batched, 1 hit.
scn = batch()
scn["cache"] = {}
res = model.replay([breq(1, input="q"), breq(80, input="q"), breq(65, input="q")], scn, P)
check("batch answer cached", res, cache_hits=1, cache_tokens_saved=150,
      cache_usd_saved=100_000_000, batched=2, calls=2)
# async overflow and realtime:false: task x input 100 > input_max 50 goes whole to the queue
# (input 100 billed, not truncated); a realtime:false request of task t is batched; a task t
# realtime request is not.  S realtime call 2e8; two items 1e8 each.
scn = batch()
scn["budget"] = {"x": {"input_max": 50, "overflow": "async"}}
res = model.replay([breq(1, task="x"), breq(2, task="t", realtime=False),
                    breq(3, task="t")], scn, P)
check("async overflow and realtime:false", res, batched=2, budget_violations=1,
      input_tokens=300, usd_total=400_000_000, truncated=0, **{"async": 1})
# realtime:false without batch is an ordinary request
res = model.replay([req(0, model="S", realtime=False)], {}, P)
check("realtime:false without batch", res, batched=0, calls=1)

# --- by_tenant / by_task, projection, usd_per_resolved, billed_usd ----------------------
# r0 (tenant a, task t) at 10:00:00 and r1 (tenant b, task u) at 12:00:00 on S: 2e8 pico
# each, usd_total 4e8 pico = 0.0004 USD; span 7200 s.
# projected = 0.0004 × (30 × 86400 ÷ 7200 = 360) ÷ 0.5 × 2.5 = 0.72 USD = 18/25;
# usd_per_resolved = 0.0004 ÷ 2 = 0.0002 = 1/5000.  Each group: 0.0002 × 360 ÷ 0.5 × 2.5 =
# 0.36 = 9/25 ('Groups are projected over the trace's span'), per resolved 0.0002.
r1 = req(0, model="S", tenant="b", task="u")
r1["ts"] = "2026-03-02T12:00:00Z"
PROJ = {"projection": {"days": 30, "sample_rate": 0.5, "traffic_multiplier": 2.5}}
res = model.replay([req(0, model="S"), r1], PROJ, P)
check("projection arithmetic", res, usd_total=400_000_000,
      projected_monthly_usd=Fraction(18, 25), usd_per_resolved=Fraction(1, 5000))
eq("by_tenant rows", [(g["tenant"], g["requests"], g["usd_total"], g["projected_monthly_usd"],
                       g["usd_per_resolved"]) for g in res["by_tenant"]],
   [("a", 1, 200_000_000, Fraction(9, 25), Fraction(1, 5000)),
    ("b", 1, 200_000_000, Fraction(9, 25), Fraction(1, 5000))])
eq("by_task rows", [(g["task"], g["calls"]) for g in res["by_task"]], [("t", 1), ("u", 1)])
# zero span -> projection null; nothing resolved -> usd_per_resolved null; defaults 30 / 1 / 1
res = model.replay([req(0, model="S", status="server_error")], {"retry": {"max_attempts": 1}},
                   P)
check("projection / per-resolved null", res, projected_monthly_usd=None,
      usd_per_resolved=None, failed=1)
# billed_usd (recorded scenario): Σ cost_usd as exact decimals; a group without any is 0;
# absent when no line carries cost_usd or the scenario is not recorded.
lines = [req(0, model="S", cost_usd=0.000123), req(1, model="S", tenant="b", cost_usd=0.01),
         req(2, model="S", tenant="c")]
res = model.replay(lines, {"mode": "recorded"}, P)
check("billed_usd total", res, billed_usd=Fraction("0.010123"), usd_total=600_000_000)
eq("billed_usd groups", [(g["tenant"], g["billed_usd"]) for g in res["by_tenant"]],
   [("a", Fraction("0.000123")), ("b", Fraction("0.01")), ("c", 0)])
eq("billed_usd after usd_total", list(res["totals"])[list(res["totals"]).index("usd_total") + 1],
   "billed_usd")
eq("billed_usd absent (simulate)", "billed_usd" in model.replay(lines, {}, P)["totals"], False)
eq("billed_usd absent (no cost_usd)",
   "billed_usd" in model.replay([req(0, model="S")], {"mode": "recorded"}, P)["totals"], False)

# --- timeline ---------------------------------------------------------------------------
# cache on; r0 "a" 0 s: S ok (modelled 150 ms), 2e8.  r1 "b" 30 s: S server_error (100 ms,
# billed none) then retry at 30.6 s ok, 2e8 (a retry).  r2 "c" 130 s: S server_error twice
# (130 s, retry at 130.6 s; both 0), gives up at 130.7 s -> fallback to L (modelled ok,
# 100e7 + 50×2e7 = 2e9, large).  r3 "a" 131 s: cache hit.
# Arrivals span 131 s -> 60 s buckets, t0 = 10:00:00; 3 buckets (0, 1, 2).
T0US = 1772445600 * 10 ** 6
SE = {"model": "S", "status": "server_error", "latency_ms": 100}
SOK = {"model": "S", "status": "ok", "latency_ms": 100}
res = model.replay([breq(0, task="t", input="a", model="S"),
                    breq(30, task="t", input="b", attempts=[SE, SOK]),
                    breq(130, task="t", input="c", attempts=[SE, SE]),
                    breq(131, task="t", input="a", model="S")],
                   {"routes": {"s": "S", "l": "L"}, "routing": {"default": "s"},
                    "retry": {"max_attempts": 2}, "cache": {},
                    "fallback": {"chain": ["s", "l"]}}, P)
tl = res["timeline"]
eq("timeline bucket_s/t0", (tl["bucket_s"], tl["t0"]), (60, T0US))
eq("timeline arrays", {k: tl[k] for k in tl if k not in ("bucket_s", "t0")},
   {"requests": [2, 0, 2], "cache_hits": [0, 0, 1], "calls": [3, 0, 3],
    "calls_large": [0, 0, 1], "fallbacks": [0, 0, 1], "retries": [1, 0, 1],
    "usd": [400_000_000, 0, 2_000_000_000], "retry_usd": [200_000_000, 0, 0],
    "first_calls": [2, 0, 1], "first_fallbacks": [0, 0, 1]})
# length: the arrays run to the last call's bucket when it is later than the last arrival's:
# one request at 59 s, server_error 2000 ms, retry after 500 ms at 61.5 s (bucket 1).
res = model.replay([breq(59, attempts=[dict(SE, latency_ms=2000), SOK])], {}, P)
eq("timeline runs to the last call", (res["timeline"]["calls"], res["timeline"]["requests"],
                                      res["timeline"]["retries"]), ([1, 1], [1, 0], [0, 1]))
# bucket_s: arrivals 1999 minutes apart fit 2000 buckets of 60 s; 2000 minutes apart need
# 2001 -> 300 s buckets (2000 × 60 ÷ 300 + 1 = 401).
far = lambda mins: dict(req(0, model="S"), ts=1772445600 + 60 * mins)  # epoch seconds
res = model.replay([req(0, model="S"), far(1999)], {}, P)
eq("bucket_s 60 at 2000 buckets", (res["timeline"]["bucket_s"], len(res["timeline"]["calls"])),
   (60, 2000))
res = model.replay([req(0, model="S"), far(2000)], {}, P)
eq("bucket_s 300 past 2000 buckets",
   (res["timeline"]["bucket_s"], len(res["timeline"]["calls"])), (300, 401))

# --- alerts -----------------------------------------------------------------------------
# cost_guard window 60 s, baseline 120 s, threshold 0.3.  Calls on S at 0 s (2e8), 61 s
# (2e8), 121 s (out 500: 100e6 + 500×2e6 = 1.1e9; answers 121.6 s).  Instants: 60, 120, 180
# (first at/after the last event 121.6 s).  e = 60: baseline range [0, 0) too short.
# e = 120: value [60,120) = 2e8 pico/60 s = 0.012 USD/h, baseline [0,60) 0.012: no.
# e = 180: value [120,180) = 1.1e-3 USD × 60 = 0.066 USD/h; baseline [0,120) = 4e-4 USD
# over 120 s = 0.012 USD/h; 0.066 > 0.012 × 1.3 -> fires, peak_ratio 5.5.
CG = {"alerts": {"cost_guard": {"window_s": 60, "baseline_s": 120, "threshold": 0.3},
                 "fallback_flood": None}}
trace = [breq(0, model="S"), breq(61, model="S"), breq(121, model="S", output_tokens=500)]
res = model.replay(trace, CG, P)
eq("cost_guard fires", res["alerts"],
   [{"kind": "cost_guard", "start": T0US + 180 * 10 ** 6, "end": T0US + 180 * 10 ** 6,
     "value": Fraction(66, 1000), "baseline": Fraction(12, 1000),
     "peak_ratio": Fraction(11, 2)}])
# zero baseline never fires: the first two calls cost 0 (0 in, 0 out)
trace0 = [breq(0, model="S", input_tokens=0, output_tokens=0),
          breq(61, model="S", input_tokens=0, output_tokens=0), trace[2]]
eq("cost_guard not on a zero baseline", model.replay(trace0, CG, P)["alerts"], [])
eq("cost_guard null is off", model.replay(trace, {"alerts": {"cost_guard": None,
                                                              "fallback_flood": None}}, P)["alerts"], [])
# defaults (window 3600 s, baseline 14 days): never evaluated on a 2-minute trace
eq("alerts default on, quiet here", model.replay(trace, {}, P)["alerts"], [])

# fallback_flood window 60 s, rate 0.2, min_requests 2; fallback s -> l, no retries.
# [0,60): r 1 s, 2 s fall back, 3 s ok -> 2/3;  [60,120): 61 s, 62 s fall back -> 2/2;
# [120,180): 121 s, 122 s ok -> 0;  [180,240): 181 s, 182 s fall back -> 1.
# Instants 60 .. 240 (last event: L answer at 182.4 s).  Firing 60, 120 (consecutive: one
# alert, peak at 120: 1 ÷ 0.2 = 5) and 240 (a second alert).
FB = dict(fb(), alerts={"cost_guard": None,
                        "fallback_flood": {"window_s": 60, "rate": 0.2, "min_requests": 2}})
flood = [breq(1, attempts=FAIL_S), breq(2, attempts=FAIL_S), breq(3, attempts=OK),
         breq(61, attempts=FAIL_S), breq(62, attempts=FAIL_S),
         breq(121, attempts=OK), breq(122, attempts=OK),
         breq(181, attempts=FAIL_S), breq(182, attempts=FAIL_S)]
res = model.replay(flood, FB, P)
S_ = 10 ** 6
eq("fallback_flood merge + peak", res["alerts"],
   [{"kind": "fallback_flood", "start": T0US + 60 * S_, "end": T0US + 120 * S_,
     "value": Fraction(1), "baseline": Fraction(1, 5), "peak_ratio": Fraction(5)},
    {"kind": "fallback_flood", "start": T0US + 240 * S_, "end": T0US + 240 * S_,
     "value": Fraction(1), "baseline": Fraction(1, 5), "peak_ratio": Fraction(5)}])
# min_requests 3: only [0,60) has 3 first calls: one alert at 60 s with value 2/3
FB3 = dict(FB, alerts={"cost_guard": None,
                       "fallback_flood": {"window_s": 60, "rate": 0.2, "min_requests": 3}})
eq("fallback_flood min_requests", model.replay(flood, FB3, P)["alerts"],
   [{"kind": "fallback_flood", "start": T0US + 60 * S_, "end": T0US + 60 * S_,
     "value": Fraction(2, 3), "baseline": Fraction(1, 5), "peak_ratio": Fraction(10, 3)}])

print()
if FAILS:
    print(f"{len(FAILS)} FAILED: {FAILS}")
    sys.exit(1)
print("all passed")
