"""Independent reference model of llmcost's replay semantics (SPEC §2-§5, §10).

Written from the product specification and the README's "Replay semantics: choices"
only, never from the C engine, so that tests/oracle_check.py can compare the two.
Standard library only.  Entry point:

    replay(requests, scenario, pricing) -> {"totals": {...}, "by_model": [...]}

Money is integer pico-USD (1 USD = 10**12), times are integer microseconds.
Out of scope (not modelled): batch queue / async overflow / realtime:false, alerts,
timeline, projection, billed_usd, by_tenant / by_task.
Choices where the SPEC is silent are listed in CHOICES.md.
"""
from __future__ import annotations

import heapq
import re
from collections import OrderedDict
from decimal import Decimal
from fractions import Fraction

PICO = 10 ** 12
US_PER_MS = 1000
US_PER_S = 1_000_000
MASK64 = (1 << 64) - 1
TWO53 = 1 << 53

TRANSIENT = ("timeout", "rate_limited", "server_error")
# "the first class c, in the order timeout, rate_limited, server_error, invalid_request,
#  content_filter, context_length"
CLASS_ORDER = ("timeout", "rate_limited", "server_error",
               "invalid_request", "content_filter", "context_length")


# ----------------------------------------------------------------------------------------
# Exact numbers
# ----------------------------------------------------------------------------------------

def exact(v) -> Fraction:
    """A JSON number (int, float as parsed by json, or numeric string) as an exact decimal.
    Floats are read back through their shortest repr, i.e. the decimal text of the JSON."""
    if isinstance(v, bool):
        raise TypeError("boolean is not a number")
    if isinstance(v, int):
        return Fraction(v)
    if isinstance(v, float):
        return Fraction(Decimal(repr(v)))
    if isinstance(v, (Decimal, Fraction)):
        return Fraction(v)
    if isinstance(v, str):
        return Fraction(Decimal(v))
    raise TypeError(f"not a number: {v!r}")


def round_half_even(fr: Fraction) -> int:
    """'Times and durations finer than 1 µs are rounded half-even to a microsecond.'"""
    fr = Fraction(fr)
    q, r = divmod(fr.numerator, fr.denominator)
    twice = 2 * r
    if twice > fr.denominator or (twice == fr.denominator and q % 2 == 1):
        q += 1
    return q


def ms_to_us(v) -> int:
    """latency_ms / backoff_ms / timeout_ms (ms, maybe fractional) -> µs, half-even."""
    return round_half_even(exact(v) * US_PER_MS)


def s_to_us(v) -> int:
    return round_half_even(exact(v) * US_PER_S)


def ratio(num, den) -> float:
    """Ratios: exact ratio to nearest double; 'Ratios with a zero denominator are 0'."""
    if den == 0:
        return 0.0
    return float(Fraction(num, den))


# ----------------------------------------------------------------------------------------
# Time parsing: "Virtual time is integer microseconds, parsed exactly from the decimal
# text of ts."
# ----------------------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_ts(v) -> int:
    """RFC 3339 string or epoch seconds -> integer µs since the Unix epoch."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return s_to_us(v)
    m = _RFC3339.match(v)
    if not m:
        raise ValueError(f"bad ts {v!r}")
    y, mo, d, hh, mi, ss = (int(m.group(k)) for k in range(1, 7))
    frac = m.group(7)
    secs = _days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss
    tz = m.group(8)
    if tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        secs -= sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
    us = secs * US_PER_S
    if frac:
        us += round_half_even(Fraction(int(frac[1:]), 10 ** (len(frac) - 1)) * US_PER_S)
    return us


# ----------------------------------------------------------------------------------------
# The draw (§10 Calls)
# ----------------------------------------------------------------------------------------

def fnv1a64(data: bytes) -> int:
    """'FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3)'"""
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & MASK64
    return h


def splitmix64_finalize(z: int) -> int:
    """'z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27; z *= 0x94d049bb133111eb;
        z ^= z >> 31 (mod 2^64)'"""
    z &= MASK64
    z ^= z >> 30
    z = (z * 0xbf58476d1ce4e5b9) & MASK64
    z ^= z >> 27
    z = (z * 0x94d049bb133111eb) & MASK64
    z ^= z >> 31
    return z


def draw(seed, index: int, model: str, attempt: str) -> int:
    """'x = splitmix64_finalize(fnv1a64("SEED|INDEX|MODEL|ATTEMPT")) >> 11', UTF-8."""
    s = f"{seed}|{index}|{model}|{attempt}"
    return splitmix64_finalize(fnv1a64(s.encode("utf-8"))) >> 11


def draw_fails(x: int, rate: Fraction) -> bool:
    """'The call fails when x < rate × 2^53' (exactly)."""
    return x * rate.denominator < rate.numerator * TWO53


# ----------------------------------------------------------------------------------------
# Pricing
# ----------------------------------------------------------------------------------------

class Price:
    def __init__(self, name: str, obj: dict):
        self.name = name
        self.tier = obj["tier"]
        # 'prices have at most 6 decimals' (USD per 1M tokens):
        # cost = tokens × price / 10^6 USD = tokens × (price × 10^6) pico-USD, an integer.
        self.input = self._pico_per_token(obj["input"])
        # 'cached_input defaults to input'
        self.cached_input = self._pico_per_token(obj.get("cached_input", obj["input"]))
        self.output = self._pico_per_token(obj["output"])
        # 'latency fields optional, default 0'
        self.lat_base = exact(obj.get("latency_ms_base", 0))
        self.lat_per_tok = exact(obj.get("latency_ms_per_output_token", 0))

    @staticmethod
    def _pico_per_token(v) -> int:
        p = exact(v) * 10 ** 6
        if p.denominator != 1:
            raise ValueError(f"price {v!r} has more than 6 decimals")
        return p.numerator


def load_prices(pricing: dict) -> dict:
    return {name: Price(name, obj) for name, obj in pricing["models"].items()}


def price_of(prices: dict, model: str) -> Price:
    """'A model that the pricing file does not list is an error that names it'."""
    if model not in prices:
        raise KeyError(f"model not in pricing file: {model}")
    return prices[model]


def call_cost(p: Price, input_tokens: int, cached: int, output_tokens: int) -> int:
    """'Cost of a call = ((input − cached) × input + cached × cached_input + output × output)
    ÷ 10⁶' -- in pico-USD."""
    return ((input_tokens - cached) * p.input + cached * p.cached_input
            + output_tokens * p.output)


# ----------------------------------------------------------------------------------------
# Scenario defaults (§10 Scenario files)
# ----------------------------------------------------------------------------------------

DEFAULT_BILLING = {"timeout": "full", "server_error": "none", "rate_limited": "none",
                   "invalid_request": "none", "content_filter": "input",
                   "context_length": "none"}


def _section(scn: dict, key: str):
    """'a section absent (cache, batch, breaker, fallback, faults.inject) is off, and a
    section present is on unless it says "enabled": false'"""
    sec = scn.get(key)
    if sec is None:
        return None
    if isinstance(sec, dict) and sec.get("enabled", True) is False:
        return None
    return sec


class Config:
    """The scenario with every default applied."""

    def __init__(self, scn: dict):
        self.mode = scn.get("mode", "simulate")
        self.seed = scn.get("seed", 1)
        # 'the keys that hold the user's own names default instead to empty (routes,
        #  routing.rules, budget, ...)'
        self.routes = scn.get("routes") or {}
        routing = scn.get("routing") or {}
        self.routing_default = routing.get("default", "small")
        self.rules = routing.get("rules") or []
        self.budget = scn.get("budget") or {}
        summ = scn.get("summarize") or {}
        self.summ_route = summ.get("route", "small")
        self.summ_ratio = exact(summ.get("ratio", Decimal("0.1")))
        retry = scn.get("retry") or {}
        self.max_attempts = retry.get("max_attempts", 3)
        self.retry_on = set(retry.get("on", list(TRANSIENT)))
        self.backoff_us_base = exact(retry.get("backoff_ms", 500)) * US_PER_MS
        # 'timeout_ms: null means no client timeout.'
        tm = retry["timeout_ms"] if "timeout_ms" in retry else 30000
        self.timeout_us = None if tm is None else ms_to_us(tm)
        # billing.failed 'defaults to the values shown above' (merged key by key)
        bf = dict(DEFAULT_BILLING)
        bf.update(((scn.get("billing") or {}).get("failed")) or {})
        self.billing = bf
        faults = scn.get("faults") or {}
        self.faults_recorded = faults.get("recorded", True)
        self.inject = []
        for e in faults.get("inject") or []:
            # 'faults.inject[].status [defaults] to timeout'; other absent keys take the
            # §3 example's values (see CHOICES.md).
            self.inject.append({
                "model": e.get("model", "gpt-4.1-mini"),
                "from": parse_ts(e.get("from", "2026-03-02T10:00:00Z")),
                "to": parse_ts(e.get("to", "2026-03-02T10:45:00Z")),
                "status": e.get("status", "timeout"),
                "rate": exact(e.get("rate", Decimal("0.6"))),
            })
        cache = _section(scn, "cache")
        self.cache_on = cache is not None
        if cache is not None:
            self.cache_key = list(cache.get("key", ["tenant", "policy_version", "input"]))
            self.cache_pv = cache.get("policy_version", "")
            self.cache_norm = set(cache.get("normalize") or [])
            self.cache_capacity = cache.get("capacity")  # None = unbounded
            self.cache_eviction = cache.get("eviction", "lru")
            ttl = cache.get("ttl_s") or {}
            # README: 'cache.ttl_s of 0 (or absent) means no expiry'
            self.cache_ttl_us = {tier: s_to_us(v) for tier, v in ttl.items()
                                 if v is not None and exact(v) != 0}
        fb = _section(scn, "fallback")
        self.fallback_on = fb is not None
        if fb is not None:
            self.fb_chain = list(fb.get("chain", ["small", "large"]))
            self.fb_on = set(fb.get("on", list(TRANSIENT)))
            # 'Gates of a present fallback are off unless set.'
            self.fb_inflight_cap = fb.get("tenant_inflight_cap")
            self.fb_max_rate = None if fb.get("max_rate") is None else exact(fb["max_rate"])
            self.fb_rate_window_us = s_to_us(fb.get("rate_window_s", 300) or 300)
            cap = fb.get("usd_per_hour_cap")
            self.fb_usd_cap = None if cap is None else exact(cap) * PICO
            self.fb_degrade = set(fb.get("degrade_tasks") or [])
        if _section(scn, "batch") is not None:
            raise NotImplementedError("batch is out of this model's scope")
        br = _section(scn, "breaker")
        self.breaker_on = br is not None
        if br is not None:
            self.br_window = br.get("window", 20)
            self.br_ratio = exact(br.get("failure_ratio", Decimal("0.5")))
            self.br_open_us = s_to_us(br.get("open_s", 30))

    def route_model(self, route: str) -> str:
        """'The route names a model through routes.'"""
        if route not in self.routes:
            raise KeyError(f"route not in routes: {route}")
        return self.routes[route]


# ----------------------------------------------------------------------------------------
# Trace lines (§2, §10 Trace lines)
# ----------------------------------------------------------------------------------------

class Attempt:
    def __init__(self, model, status, input_tokens, output_tokens, cached, latency_us, ts_us):
        self.model = model
        self.status = status
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.cached = cached
        self.latency_us = latency_us  # None when not recorded
        self.ts_us = ts_us            # None when not recorded


class Req:
    def __init__(self, index: int, d: dict):
        self.index = index
        self.d = d
        self.ts = parse_ts(d["ts"])
        self.tenant = d["tenant"]
        self.task = d["task"]
        self.text = d.get("input")
        self.input_hash = d.get("input_hash")
        # 'an absent input_tokens with input present is ceil(UTF-8 bytes of input ÷ 4)'
        if "input_tokens" in d and d["input_tokens"] is not None:
            self.input_tokens = int(d["input_tokens"])
        else:
            n = len(self.text.encode("utf-8"))
            self.input_tokens = -(-n // 4)
        self.output_tokens = int(d["output_tokens"])
        self.cached_tokens = int(d.get("cached_tokens") or 0)
        self.difficulty = d.get("difficulty")
        self.attempts = self._attempts()
        # the trace's recorded model: 'model that served the first attempt as recorded'
        self.recorded_model = d.get("model")
        if self.recorded_model is None and self.attempts:
            self.recorded_model = self.attempts[0].model

    def _attempts(self) -> list:
        """'When attempts is present it is authoritative; otherwise the top-level model,
        status (default ok), latency_ms, cached_tokens make the single attempt. An attempt
        without token counts takes the request's.'"""
        d = self.d
        out = []
        if d.get("attempts"):
            for a in d["attempts"]:
                out.append(Attempt(
                    a.get("model", d.get("model")),
                    a.get("status") or "ok",
                    int(a["input_tokens"]) if a.get("input_tokens") is not None else self.input_tokens,
                    int(a["output_tokens"]) if a.get("output_tokens") is not None else self.output_tokens,
                    int(a["cached_tokens"]) if a.get("cached_tokens") is not None else self.cached_tokens,
                    ms_to_us(a["latency_ms"]) if a.get("latency_ms") is not None else None,
                    parse_ts(a["ts"]) if a.get("ts") is not None else None))
        elif d.get("model") is not None:
            out.append(Attempt(
                d["model"], d.get("status") or "ok", self.input_tokens, self.output_tokens,
                self.cached_tokens,
                ms_to_us(d["latency_ms"]) if d.get("latency_ms") is not None else None,
                None))
        return out

    def recorded_on(self, model: str) -> list:
        return [a for a in self.attempts if a.model == model]


# ----------------------------------------------------------------------------------------
# Cache (§4.1, §10 Cache)
# ----------------------------------------------------------------------------------------

_PUNCT_RANGES = ((0x2000, 0x206F), (0x3000, 0x303F), (0xFF01, 0xFF0F), (0xFF1A, 0xFF20),
                 (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
_ASCII_PUNCT = set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~')
_SPACES = set(" \t\n\v\f\r\u00a0\u3000")


def norm_lower(s: str) -> str:
    """'lower: the Unicode simple lowercase mapping' -- one-to-one mappings only."""
    out = []
    for c in s:
        lc = c.lower()
        out.append(lc if len(lc) == 1 else c)
    return "".join(out)


def norm_strip_punct(s: str) -> str:
    """'strip_punct removes ASCII punctuation (ispunct in the C locale) and U+2000–U+206F,
    U+3000–U+303F, U+FF01–U+FF0F, U+FF1A–U+FF20, U+FF3B–U+FF40, U+FF5B–U+FF65.'"""
    def keep(c):
        if c in _ASCII_PUNCT:
            return False
        o = ord(c)
        return not any(lo <= o <= hi for lo, hi in _PUNCT_RANGES)
    return "".join(c for c in s if keep(c))


def norm_collapse_space(s: str) -> str:
    """'each run of white space (ASCII space, \\t\\n\\v\\f\\r, U+00A0, U+3000) becomes one
    space, trimmed at both ends.'"""
    out = []
    in_space = False
    for c in s:
        if c in _SPACES:
            in_space = True
        else:
            if in_space and out:
                out.append(" ")
            in_space = False
            out.append(c)
    return "".join(out)


def normalize(text: str, steps: set) -> str:
    """'Normalization runs lower → strip_punct → collapse_space whatever the listed order.'"""
    if "lower" in steps:
        text = norm_lower(text)
    if "strip_punct" in steps:
        text = norm_strip_punct(text)
    if "collapse_space" in steps:
        text = norm_collapse_space(text)
    return text


def cache_key(cfg: Config, r: Req):
    """'key = hash of the configured parts'; 'input is the normalized text, else input_hash;
    a request with neither is not cached (no lookup, no insert)'; 'A text key and an
    input_hash key never compare equal.'  Returns None when not cached."""
    parts = []
    for part in cfg.cache_key:
        if part == "tenant":
            parts.append(("tenant", r.tenant))
        elif part == "task":
            parts.append(("task", r.task))
        elif part == "policy_version":
            parts.append(("policy_version", cfg.cache_pv))
        elif part == "input":
            if r.text is not None:
                parts.append(("input", "text", normalize(r.text, cfg.cache_norm)))
            elif r.input_hash is not None:
                parts.append(("input", "hash", r.input_hash))
            else:
                return None
        else:
            raise ValueError(f"unknown cache key part {part}")
    return tuple(parts)


class Cache:
    """Entries: key -> (expiry_us or None, tokens, usd).  The OrderedDict order is recency
    for lru and insertion for fifo; the first entry is the next victim."""

    def __init__(self, capacity, eviction):
        self.capacity = capacity
        self.eviction = eviction
        self.entries = OrderedDict()

    def _expire(self, t: int):
        """'It expires at answer time + its tier's TTL (a lookup at that instant misses) and
        stops counting toward capacity at that instant'."""
        dead = [k for k, (exp, _, _) in self.entries.items() if exp is not None and exp <= t]
        for k in dead:
            del self.entries[k]

    def lookup(self, key, t: int):
        """'A present, unexpired entry is a hit'; LRU: a hit makes it most recent."""
        self._expire(t)
        e = self.entries.get(key)
        if e is None:
            return None
        if self.eviction == "lru":
            self.entries.move_to_end(key)
        return e

    def insert(self, key, t: int, ttl_us, tokens: int, usd: int):
        """'An entry is inserted when its answer arrives; overlapping misses of one key all
        call, and the later answer replaces value and expiry (LRU moves it to the front;
        FIFO keeps its place).'  'Eviction when capacity entries are held'."""
        self._expire(t)
        val = (None if ttl_us is None else t + ttl_us, tokens, usd)
        if key in self.entries:
            self.entries[key] = val
            if self.eviction == "lru":
                self.entries.move_to_end(key)
            return
        if self.capacity is not None:
            while len(self.entries) >= self.capacity and self.entries:
                self.entries.popitem(last=False)
            if self.capacity <= 0:
                return
        self.entries[key] = val


# ----------------------------------------------------------------------------------------
# Breaker (§10 Calls)
# ----------------------------------------------------------------------------------------

class Breaker:
    """'one per model, over the outcomes of its last window calls as they end (failures:
    TRANSIENT_INFRA); when the window is full and failures ≥ failure_ratio × window it opens
    for open_s, then lets one probe through (other calls are rejected while it is out), which
    closes it with an empty window on success and re-opens it on failure; outcomes arriving
    while open are ignored.'"""

    def __init__(self, window: int, ratio_: Fraction, open_us: int):
        self.window = window
        self.ratio = ratio_
        self.open_us = open_us
        self.state = "closed"      # closed | open | probe (open with its probe out)
        self.opened_at = None
        self.outcomes = []         # True = failure
        self.probe_id = None

    def admit(self, t: int, call_id) -> bool:
        """README: 'A breaker changes state when a call meets it (an open breaker lets its
        probe through at the first call at or after open_s)'."""
        if self.state == "closed":
            return True
        if self.state == "open" and t >= self.opened_at + self.open_us:
            self.state = "probe"
            self.probe_id = call_id
            return True
        return False

    def rejects(self, t: int) -> bool:
        """Whether a call meeting the breaker at t would be rejected (nothing changes)."""
        return self.state == "probe" or (self.state == "open" and t < self.opened_at + self.open_us)

    def _open(self, t: int):
        self.state = "open"
        self.opened_at = t
        self.outcomes = []
        self.probe_id = None

    def record(self, t: int, call_id, cls: str):
        failure = cls in TRANSIENT
        if self.state == "probe" and call_id == self.probe_id:
            if failure:
                self._open(t)               # 're-opens it on failure'
            else:
                self.state = "closed"       # 'closes it with an empty window on success'
                self.outcomes = []
                self.probe_id = None
            return
        if self.state != "closed":
            return                          # 'outcomes arriving while open are ignored'
        self.outcomes.append(failure)
        if len(self.outcomes) > self.window:
            self.outcomes.pop(0)
        if len(self.outcomes) == self.window and \
                sum(self.outcomes) >= self.ratio * self.window:
            self._open(t)


# ----------------------------------------------------------------------------------------
# Metrics accumulator
# ----------------------------------------------------------------------------------------

class Metrics:
    def __init__(self):
        self.requests = 0
        self.resolved = self.failed = self.degraded = self.rejected = 0
        self.cache_hits = self.cache_tokens_saved = self.cache_usd_saved = 0
        self.calls = self.input_tokens = self.output_tokens = self.cached_input_tokens = 0
        self.large_calls = 0
        self.retries = self.retry_tokens = self.retry_usd = 0
        self.fallbacks = self.fallbacks_denied = self.breaker_rejections = 0
        self.budget_violations = self.truncated = self.summarized = self.output_capped = 0
        self.usd_total = 0
        self.call_log = []          # (start_us, cost) for usd_per_hour_peak / usd gate
        self.by_model = {}
        self.latencies = []         # µs of resolved and degraded requests
        self.req_with_call = set()
        self.req_with_fallback = set()

    def add_call(self, price: Price, req_index: int, start: int, in_t: int, cached: int,
                 out_t: int, cost: int, is_retry: bool):
        self.calls += 1
        self.input_tokens += in_t
        self.output_tokens += out_t
        self.cached_input_tokens += cached
        self.usd_total += cost
        if price.tier == "large":
            self.large_calls += 1
        if is_retry:
            # 'retry_tokens are its billed input+output tokens.'
            self.retries += 1
            self.retry_tokens += in_t + out_t
            self.retry_usd += cost
        self.call_log.append((start, cost))
        bm = self.by_model.setdefault(price.name, {"model": price.name, "calls": 0,
                                                   "input_tokens": 0, "output_tokens": 0,
                                                   "usd": 0})
        bm["calls"] += 1
        bm["input_tokens"] += in_t
        bm["output_tokens"] += out_t
        bm["usd"] += cost
        self.req_with_call.add(req_index)

    def usd_per_hour_peak(self) -> int:
        """'usd_per_hour_peak is the largest spend on calls started within any 3600 s
        window'; 'uses windows (t − 3600 s, t]'."""
        best = 0
        starts = sorted(self.call_log)
        for (t, _) in starts:
            s = sum(c for (u, c) in starts if t - 3600 * US_PER_S < u <= t)
            best = max(best, s)
        return best

    def result(self) -> dict:
        n = self.requests
        lat = sorted(self.latencies)

        def nearest_rank(p):
            """'Latency percentiles are nearest-rank over resolved and degraded requests'"""
            if not lat:
                return None
            rank = -(-p * len(lat) // 100)
            rank = max(rank, 1)
            return Fraction(lat[rank - 1], US_PER_MS)

        totals = {
            "requests": n,
            "resolved": self.resolved,
            "failed": self.failed,
            "degraded": self.degraded,
            "rejected": self.rejected,
            "cache_hits": self.cache_hits,
            "cache_hit_rate": ratio(self.cache_hits, n),
            "cache_tokens_saved": self.cache_tokens_saved,
            "cache_usd_saved": self.cache_usd_saved,
            "calls": self.calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cached_input_tokens": self.cached_input_tokens,
            "input_tokens_per_request": ratio(self.input_tokens, n),
            "output_tokens_per_request": ratio(self.output_tokens, n),
            "large_share": ratio(self.large_calls, self.calls),
            "retries": self.retries,
            "retry_tokens": self.retry_tokens,
            "retry_usd": self.retry_usd,
            "fallbacks": self.fallbacks,
            "fallback_rate": ratio(len(self.req_with_fallback), len(self.req_with_call)),
            "fallbacks_denied": self.fallbacks_denied,
            "breaker_rejections": self.breaker_rejections,
            "budget_violations": self.budget_violations,
            "budget_violation_rate": ratio(self.budget_violations, n - self.cache_hits),
            "truncated": self.truncated,
            "summarized": self.summarized,
            "output_capped": self.output_capped,
            "usd_total": self.usd_total,
            "usd_per_hour_peak": self.usd_per_hour_peak(),
            "latency_p50_ms": nearest_rank(50),
            "latency_p95_ms": nearest_rank(95),
        }
        by_model = [self.by_model[k] for k in sorted(self.by_model)]
        return {"totals": totals, "by_model": by_model}


# ----------------------------------------------------------------------------------------
# Recorded mode
# ----------------------------------------------------------------------------------------

def bill(cfg_billing: dict, status: str, in_t: int, cached: int, out_t: int):
    """'Billing: full bills the attempt as if it had succeeded (input + capped output),
    input only its input (cached part at the cached rate), none nothing — it still counts
    in calls.'  Returns billed (input, cached, output)."""
    if status == "ok":
        return in_t, cached, out_t
    mode = cfg_billing.get(status, "none")
    if mode == "full":
        return in_t, cached, out_t
    if mode == "input":
        return in_t, cached, 0
    return 0, 0, 0


def replay_recorded(reqs: list, cfg: Config, prices: dict) -> dict:
    """'prices the trace exactly as it was recorded (recorded models, attempts and outcomes,
    no policies)'; 'In recorded attempts, a repeat of the previous attempt's model is a retry
    and a change of model is a fallback; attempts without ts run back to back.'
    'A recorded request ends resolved when its last attempt is ok, else failed.'"""
    m = Metrics()
    for r in reqs:
        m.requests += 1
        if not r.attempts:
            raise ValueError(f"request {r.index}: recorded mode needs model or attempts")
        prev_model = None
        prev_end = r.ts
        end = r.ts
        for a in r.attempts:
            start = a.ts_us if a.ts_us is not None else prev_end
            # 'one without latency_ms has none (0 in recorded mode's back-to-back timing)'
            end = start + (a.latency_us or 0)
            p = price_of(prices, a.model)
            cached = min(a.cached, a.input_tokens)
            bi, bc, bo = bill(cfg.billing, a.status, a.input_tokens, cached, a.output_tokens)
            cost = call_cost(p, bi, bc, bo)
            is_retry = prev_model is not None and a.model == prev_model
            if prev_model is not None and a.model != prev_model:
                m.fallbacks += 1
                m.req_with_fallback.add(r.index)
            m.add_call(p, r.index, start, bi, bc, bo, cost, is_retry)
            prev_model = a.model
            prev_end = end
        if r.attempts[-1].status == "ok":
            m.resolved += 1
            m.latencies.append(end - r.ts)
        else:
            m.failed += 1
    return m.result()


# ----------------------------------------------------------------------------------------
# Simulate mode: the discrete-event simulation
# ----------------------------------------------------------------------------------------

class Hop:
    """A run of calls on one model within one request (the route's model, a fallback
    model, or the summarize model)."""

    def __init__(self, model: str, kind: str, is_fallback: bool, admit: int):
        self.model = model
        self.kind = kind                # "main" | "summ"
        self.is_fallback = is_fallback
        self.admit = admit
        self.end = None                 # µs when its model answered or gave up (if known)
        self.calls = 0                  # k so far
        self.retry_at = None            # µs of its pending retry, while it backs off


class ReqState:
    def __init__(self, r: Req):
        self.r = r
        self.key = None
        self.route = None               # route name (None without routes)
        self.main_input = r.input_tokens
        self.main_output = r.output_tokens
        self.capped = False             # output_tokens above output_max
        self.on_summary = False
        self.tried = []                 # models tried for the main call
        self.chain_pos = -1
        self.first_call = None
        self.first_fallback = None
        self.done = False


class Sim:
    def __init__(self, reqs: list, cfg: Config, prices: dict):
        self.reqs = reqs
        self.cfg = cfg
        self.prices = prices
        self.m = Metrics()
        self.heap = []
        self.seq = 0
        self.call_seq = 0
        self.states = {}
        self.cache = Cache(cfg.cache_capacity, cfg.cache_eviction) if cfg.cache_on else None
        self.breakers = {}
        self.fb_hops = {}               # tenant -> [Hop] of admitted fallbacks
        self.minute_stats = self._minute_stats()

    # -- event queue ---------------------------------------------------------------------
    def push(self, t: int, idx: int, fn, *args):
        """'Events at the same instant run in the order of the index of the request they
        belong to'; a request's follow-ups at that instant get a later sequence number of
        the same index, so they run before the next request's events."""
        self.seq += 1
        heapq.heappush(self.heap, (t, idx, self.seq, fn, args))

    def run(self) -> dict:
        for r in self.reqs:
            self.push(r.ts, r.index, self.arrive, r)
        while self.heap:
            t, _, _, fn, args = heapq.heappop(self.heap)
            fn(t, *args)
        return self.m.result()

    # -- recorded failure statistics -------------------------------------------------------
    def _minute_stats(self) -> dict:
        """'p = (non-ok recorded attempts of M in m) ÷ (recorded attempts of M in m) (a
        recorded attempt without ts counts at its request's ts; no data: p = 0)'."""
        stats = {}
        for r in self.reqs:
            for a in r.attempts:
                t = a.ts_us if a.ts_us is not None else r.ts
                minute = t // (60 * US_PER_S)
                s = stats.setdefault((a.model, minute), {})
                s[a.status] = s.get(a.status, 0) + 1
        return stats

    # -- request flow ----------------------------------------------------------------------
    def arrive(self, t: int, r: Req):
        st = ReqState(r)
        self.states[r.index] = st
        self.m.requests += 1
        if self.step_cache(t, st):
            return
        if not self.step_budget(t, st):
            return
        self.step_route(st)
        if st.on_summary:
            self.start_summarize(t, st)
        else:
            self.start_main(t, st)

    def step_cache(self, t: int, st: ReqState) -> bool:
        """'A present, unexpired entry is a hit: no model call, no cost; ... each hit adds
        those to cache_tokens_saved and cache_usd_saved.'  'a cache hit is 0' (latency)."""
        if self.cache is None:
            return False
        st.key = cache_key(self.cfg, st.r)
        if st.key is None:
            return False
        e = self.cache.lookup(st.key, t)
        if e is None:
            return False
        _, tokens, usd = e
        self.m.cache_hits += 1
        self.m.cache_tokens_saved += tokens
        self.m.cache_usd_saved += usd
        self.m.resolved += 1
        self.m.latencies.append(0)
        st.done = True
        return True

    def budget_policy(self, task: str):
        """'Budget (task's policy, else "*", else none)'"""
        b = self.cfg.budget
        if task in b:
            return b[task]
        return b.get("*")

    def step_budget(self, t: int, st: ReqState) -> bool:
        """'input > input_max is a budget violation and is handled by overflow: truncate
        (input = input_max), summarize (...), reject (not served). Output = min(output_tokens,
        output_max).'  Returns False when the request is rejected."""
        r = st.r
        pol = self.budget_policy(r.task)
        if pol is None:
            return True
        in_max = pol.get("input_max")
        out_max = pol.get("output_max")
        overflow = pol.get("overflow", "truncate")
        if in_max is not None and r.input_tokens > in_max:
            self.m.budget_violations += 1
            if overflow == "truncate":
                self.m.truncated += 1
                st.main_input = in_max
            elif overflow == "summarize":
                self.m.summarized += 1
                st.on_summary = True
                st.summ_input = r.input_tokens
                # "ratio is applied exactly as a decimal: ceil(3000 × 0.1) = 300"
                prod = r.input_tokens * self.cfg.summ_ratio
                st.summ_output = -(-prod.numerator // prod.denominator)
                st.main_input = min(in_max, st.summ_output)
            elif overflow == "reject":
                self.m.rejected += 1
                st.done = True
                return False
            else:
                raise NotImplementedError(f"overflow {overflow} is out of scope")
        if out_max is not None and r.output_tokens > out_max:
            # 'output_capped counts served requests whose output_tokens exceeded output_max':
            # counted in answer() when a model serves it (README, "Replay semantics: choices")
            st.capped = True
            st.main_output = out_max
        return True

    def step_route(self, st: ReqState):
        """'the first matching rule wins (task, tenant, difficulty, input_tokens_gt,
        input_tokens_lt, tested on the request as recorded, before its budget), else default.
        The route names a model through routes.'  'Without routes, each request goes to its
        recorded model.'"""
        r = st.r
        if not self.cfg.routes:
            if r.recorded_model is None:
                raise ValueError(f"request {r.index} has no recorded model")
            st.route = None
            st.route_model = r.recorded_model
            return
        route = self.cfg.routing_default
        for rule in self.cfg.rules:
            if rule_matches(rule.get("when") or {}, r):
                route = rule["route"]
                break
        st.route = route
        st.route_model = self.cfg.route_model(route)

    def start_summarize(self, t: int, st: ReqState):
        """'The summarize call is an ordinary call (breaker, modelled faults, retries,
        timeout; never a recorded outcome; no fallback) made before the main call, which
        starts when it answers.'"""
        model = self.cfg.route_model(self.cfg.summ_route)
        hop = Hop(model, "summ", False, t)
        self.start_call(t, st, hop)

    def start_main(self, t: int, st: ReqState):
        hop = Hop(st.route_model, "main", False, t)
        st.tried.append(st.route_model)
        self.start_call(t, st, hop)

    # -- calls -----------------------------------------------------------------------------
    def breaker(self, model: str):
        if not self.cfg.breaker_on:
            return None
        b = self.breakers.get(model)
        if b is None:
            b = self.breakers[model] = Breaker(self.cfg.br_window, self.cfg.br_ratio,
                                               self.cfg.br_open_us)
        return b

    def call_tokens(self, st: ReqState, hop: Hop):
        """Returns (input, cached, output) of a call as if it succeeded.
        'On the recorded model each call bills min(cached_tokens, its input) at the cached
        rate; summarize calls and main calls on a summary bill none as cached.'"""
        if hop.kind == "summ":
            return st.summ_input, 0, st.summ_output
        inp = st.main_input
        cached = 0
        if not st.on_summary and hop.model == st.r.recorded_model:
            cached = min(st.r.cached_tokens, inp)
        return inp, cached, st.main_output

    def outcome(self, t: int, st: ReqState, hop: Hop, k: int, out_tokens: int):
        """Returns (status, latency_us) of the k-th call of this hop starting at t."""
        cfg = self.cfg
        p = price_of(self.prices, hop.model)
        rec = None
        if hop.kind == "main" and cfg.faults_recorded:
            # 'The k-th call of a request on model M replays the k-th recorded attempt on M,
            #  if any (when faults.recorded)'
            on_m = st.r.recorded_on(hop.model)
            if k <= len(on_m):
                rec = on_m[k - 1]
        if rec is not None:
            status = rec.status
            rec_lat = rec.latency_us
        else:
            status = self.modelled_status(t, st, hop, k)
            rec_lat = None
        modelled_ok = round_half_even((p.lat_base + p.lat_per_tok * out_tokens) * US_PER_MS)
        base = round_half_even(p.lat_base * US_PER_MS)
        if status == "ok":
            # 'Latency: recorded, else the pricing model's base + per-output-token'
            lat = rec_lat if rec_lat is not None else modelled_ok
        else:
            # 'Other failures take their recorded latency, else latency_ms_base.'
            # 'With timeout_ms: null a timeout takes its recorded latency, else
            #  latency_ms_base'
            lat = rec_lat if rec_lat is not None else base
        if cfg.timeout_us is not None:
            # 'A call whose latency exceeds timeout_ms is a timeout; every timeout takes
            #  exactly timeout_ms (replay)'
            if status == "timeout" or lat > cfg.timeout_us:
                status = "timeout"
                lat = cfg.timeout_us
        return status, lat

    def modelled_status(self, t: int, st: ReqState, hop: Hop, k: int) -> str:
        """'a call starting in UTC minute m on model M fails with probability p ...  While
        the call's start lies in [from, to) of an inject entry for M (the first such entry),
        that entry's rate and status replace p.'"""
        attempt = f"s{k}" if hop.kind == "summ" else str(k)
        x = draw(self.cfg.seed, st.r.index, hop.model, attempt)
        for e in self.cfg.inject:
            if e["model"] == hop.model and e["from"] <= t < e["to"]:
                return e["status"] if draw_fails(x, e["rate"]) else "ok"
        counts = self.minute_stats.get((hop.model, t // (60 * US_PER_S)))
        if not counts:
            return "ok"
        n = sum(counts.values())
        fails = n - counts.get("ok", 0)
        if not draw_fails(x, Fraction(fails, n)):
            return "ok"
        # 'the class is the first class c ... with x × n < (cumulative count up to c) × 2^53'
        cum = 0
        for c in CLASS_ORDER:
            cum += counts.get(c, 0)
            if x * n < cum * TWO53:
                return c
        # non-ok statuses outside the six classes: the draw fell among them
        return sorted(s for s in counts if s != "ok" and s not in CLASS_ORDER)[0]

    def will_retry(self, hop: Hop, k: int, status: str) -> bool:
        """'a failed attempt whose class is in retry.on is retried on the same model after
        backoff while attempts < max_attempts.'"""
        return status != "ok" and status in self.cfg.retry_on and k < self.cfg.max_attempts

    def start_call(self, t: int, st: ReqState, hop: Hop):
        r = st.r
        hop.retry_at = None
        self.call_seq += 1
        call_id = self.call_seq
        br = self.breaker(hop.model)
        if br is not None and not br.admit(t, call_id):
            # 'an open breaker fails the call at once, unbilled, as breaker_open'
            self.m.breaker_rejections += 1
            self.give_up(t, st, hop, "breaker_open")
            return
        hop.calls += 1
        k = hop.calls
        p = price_of(self.prices, hop.model)
        in_t, cached, out_t = self.call_tokens(st, hop)
        status, lat = self.outcome(t, st, hop, k, out_t)
        bi, bc, bo = bill(self.cfg.billing, status, in_t, cached, out_t)
        cost = call_cost(p, bi, bc, bo)
        # 'Retry: a call that is the k-th (k > 1) on the same model within a request'
        self.m.add_call(p, r.index, t, bi, bc, bo, cost, is_retry=k > 1)
        if st.first_call is None:
            st.first_call = t
        end = t + lat
        if hop.is_fallback and not self.will_retry(hop, k, status):
            # the hop's model answers or gives up when this call ends
            hop.end = end
        self.push(end, r.index, self.call_end, st, hop, call_id, k, status, bi + bo, cost)

    def call_end(self, t: int, st: ReqState, hop: Hop, call_id, k: int, status: str,
                 tokens: int, cost: int):
        br = self.breaker(hop.model)
        if br is not None:
            br.record(t, call_id, status)
        if status == "ok":
            if hop.kind == "summ":
                # README: 'the main call follows at the instant it answers'
                self.start_main(t, st)
            else:
                self.answer(t, st, hop, tokens, cost)
            return
        if self.will_retry(hop, k, status):
            backoff = round_half_even(self.cfg.backoff_us_base * (2 ** (k - 1)))
            hop.retry_at = t + backoff
            self.push(t + backoff, st.r.index, self.start_call, st, hop)
            return
        self.give_up(t, st, hop, status)

    def answer(self, t: int, st: ReqState, hop: Hop, tokens: int, cost: int):
        """'Resolved = answered by cache, a model or a batch.'  The cache entry 'remembers
        the billed tokens and USD of the call that produced it', 'with the TTL of the
        answering model's tier'."""
        hop.end = t
        st.done = True
        self.m.resolved += 1
        self.m.output_capped += st.capped
        self.m.latencies.append(t - st.r.ts)
        if self.cache is not None and st.key is not None:
            tier = price_of(self.prices, hop.model).tier
            self.cache.insert(st.key, t, self.cfg.cache_ttl_us.get(tier), tokens, cost)

    def give_up(self, t: int, st: ReqState, hop: Hop, status: str):
        """'when the route's model gives up with a class in fallback.on, the next model of
        chain is tried (with its own retries), unless a gate denies it'; 'A breaker_open
        rejection gives up on that model at once and always qualifies for the fallback'."""
        if hop.is_fallback and (hop.end is None or hop.end > t):
            hop.end = t
        cfg = self.cfg
        if hop.kind == "summ" or not cfg.fallback_on:
            self.unanswered(t, st)
            return
        if status != "breaker_open" and status not in cfg.fb_on:
            self.unanswered(t, st)
            return
        nxt = self.next_in_chain(st)
        if nxt is None:
            self.unanswered(t, st)
            return
        pos, model = nxt
        if not self.gates_admit(t, st):
            self.m.fallbacks_denied += 1
            self.unanswered(t, st)
            return
        # 'A fallback counts when the gates admit it, at that instant, even if the breaker
        #  then rejects its call'
        self.m.fallbacks += 1
        self.m.req_with_fallback.add(st.r.index)
        if st.first_fallback is None:
            st.first_fallback = t
        st.chain_pos = pos
        st.tried.append(model)
        new = Hop(model, "main", True, t)
        self.fb_hops.setdefault(st.r.tenant, []).append(new)
        self.start_call(t, st, new)

    def next_in_chain(self, st: ReqState):
        """'Fallback tries the chain entries after the route's own position (all of them if
        the route is not in the chain), skipping models already tried.'"""
        chain = self.cfg.fb_chain
        if st.chain_pos < 0:
            start = chain.index(st.route) + 1 if st.route in chain else 0
        else:
            start = st.chain_pos + 1
        for pos in range(start, len(chain)):
            model = self.cfg.route_model(chain[pos])
            if model not in st.tried:
                return pos, model
        return None

    # -- fallback gates --------------------------------------------------------------------
    def gates_admit(self, t: int, st: ReqState) -> bool:
        """'Gates at give-up time t, checked in this order'."""
        return (self.gate_inflight(t, st) and self.gate_rate(t, st)
                and self.gate_usd(t, st))

    def gate_inflight(self, t: int, st: ReqState) -> bool:
        """'the tenant has tenant_inflight_cap fallbacks in flight (a fallback is in flight
        from its admission until its model answers or gives up, backoff included; one that
        ends at t is no longer in flight)'."""
        cap = self.cfg.fb_inflight_cap
        if cap is None:
            return True
        n = sum(1 for h in self.fb_hops.get(st.r.tenant, [])
                if h.admit <= t and (h.end is None or h.end > t) and not self.gives_up_at(h, t))
        return n < cap

    def gives_up_at(self, h: Hop, t: int) -> bool:
        """A hop whose retry falls at t on a breaker that rejects it gives up at t, even when
        its request's event at t comes later (README, "Replay semantics: choices")."""
        br = self.breaker(h.model)
        return h.end is None and h.retry_at == t and br is not None and br.rejects(t)

    def gate_rate(self, t: int, st: ReqState) -> bool:
        """'the fallback rate over (t − rate_window_s, t] — requests whose first fallback
        began in it ÷ requests whose first call began in it, the current request in the
        denominator — is above max_rate'; 'The rate gate's denominator is the requests whose
        first call began in the window, plus the current request if its own first call did
        not.'"""
        mr = self.cfg.fb_max_rate
        if mr is None:
            return True
        lo = t - self.cfg.fb_rate_window_us

        def inside(x):
            return x is not None and lo < x <= t
        num = sum(1 for s in self.states.values() if inside(s.first_fallback))
        den = sum(1 for s in self.states.values() if inside(s.first_call))
        if not inside(st.first_call):
            den += 1
        return not (Fraction(num, den) > mr)

    def gate_usd(self, t: int, st: ReqState) -> bool:
        """'the scenario's spend on calls begun in (t − 1 h, t] is above usd_per_hour_cap'."""
        cap = self.cfg.fb_usd_cap
        if cap is None:
            return True
        lo = t - 3600 * US_PER_S
        spend = sum(c for (u, c) in self.m.call_log if lo < u <= t)
        return not (spend > cap)

    def unanswered(self, t: int, st: ReqState):
        """'Any request left without an answer after reaching the call step ... is degraded
        when its task is in fallback.degrade_tasks, else failed'; 'Without a fallback section
        every unanswered request fails (no degrade).'"""
        st.done = True
        if self.cfg.fallback_on and st.r.task in self.cfg.fb_degrade:
            self.m.degraded += 1
            self.m.latencies.append(t - st.r.ts)
        else:
            self.m.failed += 1


def rule_matches(when: dict, r: Req) -> bool:
    """'All conditions of a rule's when must hold (an empty when matches all); a request
    without difficulty matches no difficulty condition.'"""
    for k, v in when.items():
        if k == "task" and r.task != v:
            return False
        if k == "tenant" and r.tenant != v:
            return False
        if k == "difficulty" and (r.difficulty is None or r.difficulty != v):
            return False
        if k == "input_tokens_gt" and not r.input_tokens > v:
            return False
        if k == "input_tokens_lt" and not r.input_tokens < v:
            return False
        if k not in ("task", "tenant", "difficulty", "input_tokens_gt", "input_tokens_lt"):
            raise ValueError(f"unknown rule condition {k}")
    return True


# ----------------------------------------------------------------------------------------
# Entry point
# ----------------------------------------------------------------------------------------

def replay(requests: list, scenario: dict, pricing: dict) -> dict:
    cfg = Config(scenario)
    prices = load_prices(pricing)
    reqs = [Req(i, d) for i, d in enumerate(requests)]
    if cfg.mode == "recorded":
        return replay_recorded(reqs, cfg, prices)
    return Sim(reqs, cfg, prices).run()
