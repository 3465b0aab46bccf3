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

T0 = "2026-03-02T10:00:"
FAILS = []


def ts(sec):
    """seconds after 10:00:00 (< 60) as RFC 3339 text"""
    whole = int(sec)
    frac = round((sec - whole) * 1_000_000)
    return f"{T0}{whole:02d}.{frac:06d}Z"


def req(sec, **kw):
    d = {"ts": ts(sec), "tenant": "a", "task": "t", "input_tokens": 100, "output_tokens": 50}
    d.update(kw)
    return d


def check(name, res, **want):
    tot = res["totals"]
    bad = {k: (tot.get(k), v) for k, v in want.items() if tot.get(k) != v}
    if bad:
        FAILS.append(name)
        print(f"FAIL {name}: " + ", ".join(f"{k}: got {g!r} want {w!r}"
                                           for k, (g, w) in bad.items()))
    else:
        print(f"ok   {name}")


def eq(name, got, want):
    if got != want:
        FAILS.append(name)
        print(f"FAIL {name}: got {got!r} want {want!r}")
    else:
        print(f"ok   {name}")


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

print()
if FAILS:
    print(f"{len(FAILS)} FAILED: {FAILS}")
    sys.exit(1)
print("all passed")
