"""The oracle's accounting: the metrics of SPEC §5 per scenario, tenant and task,
and the timeline and alerts (§10 "Timeline and alerts") computed from the calls,
fallbacks and arrivals the replay records.
"""
from __future__ import annotations

import bisect
from fractions import Fraction

from arith import *  # noqa: F401,F403
from inputs import *  # noqa: F401,F403


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
        self.async_ = self.batched = 0
        self.usd_total = 0
        self.billed = Fraction(0)   # Σ cost_usd (USD) of the lines that carry it
        # (start_us, cost, is_large, is_retry) per call: usd_per_hour_peak, usd gate,
        # timeline, cost_guard
        self.call_log = []
        self.fallback_times = []    # instant of each admitted fallback hop (timeline)
        self.by_model = {}
        self.latencies = []         # µs of resolved and degraded requests
        self.req_with_call = set()
        self.req_with_fallback = set()

    def inc(self, name: str, v=1):
        setattr(self, name, getattr(self, name) + v)

    def add_latency(self, us: int):
        self.latencies.append(us)

    def add_fallback(self, req_index: int, t: int):
        """One fallback hop admitted at t ('fallbacks counts fallback hops')."""
        self.fallbacks += 1
        self.req_with_fallback.add(req_index)
        self.fallback_times.append(t)

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
        self.call_log.append((start, cost, price.tier == "large", is_retry))
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
        starts = sorted((e[0], e[1]) for e in self.call_log)
        lo = 0
        run = 0
        for (t, c) in starts:
            run += c
            while starts[lo][0] <= t - 3600 * US_PER_S:
                run -= starts[lo][1]
                lo += 1
            best = max(best, run)
        return best

    def result(self, ctx) -> dict:
        """ctx: Ctx (span, projection, whether billed_usd is reported)."""
        n = self.requests
        lat = sorted(self.latencies)

        def nearest_rank(p):
            """'Latency percentiles are nearest-rank over resolved and degraded requests'"""
            if not lat:
                return None
            rank = -(-p * len(lat) // 100)
            rank = max(rank, 1)
            return Fraction(lat[rank - 1], US_PER_MS)

        usd = Fraction(self.usd_total, PICO)
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
            "async": self.async_,
            "batched": self.batched,
            "output_capped": self.output_capped,
            "usd_total": self.usd_total,
        }
        if ctx.report_billed:
            # 'billed_usd ... appears in totals and groups right after usd_total'
            totals["billed_usd"] = self.billed
        totals.update({
            "usd_per_hour_peak": self.usd_per_hour_peak(),
            # 'Ratios with a zero denominator are 0, except usd_per_resolved, latencies and
            #  projected_monthly_usd, which are null.'
            "usd_per_resolved": None if self.resolved == 0 else usd / self.resolved,
            "projected_monthly_usd": ctx.project(usd),
            "latency_p50_ms": nearest_rank(50),
            "latency_p95_ms": nearest_rank(95),
        })
        return totals


class Fan:
    """Applies every metric update to the scenario's totals and to the request's tenant and
    task groups ('the same keys per tenant (by_tenant), per task (by_task)')."""

    def __init__(self, targets):
        self.targets = targets

    def inc(self, name, v=1):
        for m in self.targets:
            m.inc(name, v)

    def add_latency(self, us):
        for m in self.targets:
            m.add_latency(us)

    def add_fallback(self, req_index, t):
        for m in self.targets:
            m.add_fallback(req_index, t)

    def add_call(self, *a, **k):
        for m in self.targets:
            m.add_call(*a, **k)


class Books:
    """The totals, and one Metrics per tenant and per task."""

    def __init__(self):
        self.total = Metrics()
        self.tenants = {}
        self.tasks = {}

    def of(self, r) -> Fan:
        ten = self.tenants.setdefault(r.tenant, Metrics())
        task = self.tasks.setdefault(r.task, Metrics())
        return Fan([self.total, ten, task])


class Ctx:
    """What results need beyond a group's own counters."""

    def __init__(self, cfg, reqs):
        self.cfg = cfg
        self.report_billed = cfg.mode == "recorded" and any(
            r.d.get("cost_usd") is not None for r in reqs)
        # 'span_s = last − first arrival'
        self.span_us = (max(r.ts for r in reqs) - min(r.ts for r in reqs)) if reqs else 0

    def project(self, usd: Fraction):
        """'projected_monthly_usd = usd_total × (days × 86400 ÷ span_s) ÷ sample_rate ×
        traffic_multiplier'; null when span_s is 0; 'Groups are projected over the trace's
        span.'"""
        if self.span_us == 0 or self.cfg.proj_sample_rate == 0:
            return None
        span_s = Fraction(self.span_us, US_PER_S)
        return (usd * (self.cfg.proj_days * 86400 / span_s) / self.cfg.proj_sample_rate
                * self.cfg.proj_multiplier)


def book_results(books: Books, ctx: Ctx) -> dict:
    """'by_tenant, by_task, by_model are arrays of objects with a tenant/task/model field,
    sorted by name'."""
    out = {"totals": books.total.result(ctx),
           "by_model": [books.total.by_model[k] for k in sorted(books.total.by_model)]}
    out["by_tenant"] = [dict({"tenant": k}, **books.tenants[k].result(ctx))
                        for k in sorted(books.tenants)]
    out["by_task"] = [dict({"task": k}, **books.tasks[k].result(ctx))
                      for k in sorted(books.tasks)]
    return out


# ----------------------------------------------------------------------------------------
# Timeline and alerts (§5, §10 Timeline and alerts)
# ----------------------------------------------------------------------------------------

class Trail:
    """The instants a scenario's timeline and alerts read, gathered during a replay."""

    def __init__(self, reqs):
        self.arrivals = [r.ts for r in reqs]
        self.hits = []                  # arrival instants of cache hits
        self.first_calls = []           # per request with a call: its first call's start
        self.first_fallbacks = []       # per request with a fallback: its first one
        self.last_event = max(self.arrivals) if self.arrivals else 0

    def event(self, t: int):
        """'the last event (the latest arrival, call start, call end or request end)'"""
        if t > self.last_event:
            self.last_event = t


BUCKETS = (60, 300, 3600, 86400)


def timeline(trail: Trail, m: Metrics) -> dict:
    """'bucket_s is the smallest of 60, 300, 3600, 86400 that gives at most 2000 buckets;
    t0 is the first arrival rounded down to a bucket.'  'bucket_s and t0 depend on the
    arrivals only (epoch-aligned); the arrays run to the bucket of the last arrival or last
    call, whichever is later.'  README: a fallback counts at its instant, and the arrays run
    to its bucket when it lies after the last call."""
    first, last = min(trail.arrivals), max(trail.arrivals)
    bucket_s = BUCKETS[-1]
    for b in BUCKETS:
        bu = b * US_PER_S
        if last // bu - first // bu + 1 <= 2000:
            bucket_s = b
            break
    bu = bucket_s * US_PER_S
    t0 = first // bu * bu
    end = max([last] + [c[0] for c in m.call_log] + m.fallback_times)
    n = (end - t0) // bu + 1
    tl = {k: [0] * n for k in ("requests", "cache_hits", "calls", "calls_large", "fallbacks",
                               "retries", "usd", "retry_usd", "first_calls",
                               "first_fallbacks")}

    def add(key, t, v=1):
        # README: a recorded call timed before the first arrival's bucket counts in the
        # totals but in no bucket
        if t >= t0:
            tl[key][(t - t0) // bu] += v
    for t in trail.arrivals:
        add("requests", t)
    for t in trail.hits:
        add("cache_hits", t)
    # 'Calls, cost, retries and fallbacks count in the bucket where their call starts.'
    for (t, cost, large, retry) in m.call_log:
        add("calls", t)
        add("calls_large", t, large)
        add("usd", t, cost)
        if retry:
            add("retries", t)
            add("retry_usd", t, cost)
    for t in m.fallback_times:
        add("fallbacks", t)
    for t in trail.first_calls:
        add("first_calls", t)
    for t in trail.first_fallbacks:
        add("first_fallbacks", t)
    return dict({"bucket_s": bucket_s, "t0": t0}, **tl)


def _count_in(sorted_ts, lo, hi):
    """How many instants lie in [lo, hi)."""
    return bisect.bisect_left(sorted_ts, hi) - bisect.bisect_left(sorted_ts, lo)


def alerts(cfg: Config, trail: Trail, m: Metrics) -> list:
    """'evaluated at every epoch-aligned 60 s instant e from the first arrival to the last
    event, over [e − window_s, e)'; README: 'at the multiples of 60 s strictly after the
    first arrival, up to the first one at or after the last event.'"""
    if not trail.arrivals:
        return []
    G = 60 * US_PER_S
    first = min(trail.arrivals)
    e0 = (first // G + 1) * G
    e_end = -(-trail.last_event // G) * G
    instants = range(e0, e_end + 1, G)
    calls = sorted((c[0], c[1]) for c in m.call_log)
    starts = [c[0] for c in calls]
    prefix = [0]
    for (_, c) in calls:
        prefix.append(prefix[-1] + c)

    def spend(lo, hi):
        """pico-USD of calls started in [lo, hi)"""
        return prefix[bisect.bisect_left(starts, hi)] - prefix[bisect.bisect_left(starts, lo)]
    fc = sorted(trail.first_calls)
    ff = sorted(trail.first_fallbacks)
    hour = 3600 * US_PER_S
    fired = []                       # (kind, e, value, baseline, peak_ratio) per instant
    cg = cfg.alert_cost_guard
    if cg is not None:
        W, B, th = cg["window_us"], cg["baseline_us"], cg["threshold"]
        for e in instants:
            lo = e - W
            blo = max(first, lo - B)
            # 'it is evaluated only once that range is at least window_s long'
            if lo - blo < W:
                continue
            value = Fraction(spend(lo, e) * hour, PICO * W)
            baseline = Fraction(spend(blo, lo) * hour, PICO * (lo - blo))
            # 'never fires on a zero baseline, and fires when value > baseline × (1 +
            #  threshold)'
            if baseline != 0 and value > baseline * (1 + th):
                fired.append(("cost_guard", e, value, baseline, value / baseline))
    ff_cfg = cfg.alert_flood
    if ff_cfg is not None:
        W, rate, min_req = ff_cfg["window_us"], ff_cfg["rate"], ff_cfg["min_requests"]
        for e in instants:
            den = _count_in(fc, e - W, e)
            num = _count_in(ff, e - W, e)
            # 'fires when that window's fallback rate (as in the gate) is above rate with at
            #  least min_requests first calls in it'
            if den == 0 or den < min_req:
                continue
            value = Fraction(num, den)
            if value > rate:
                fired.append(("fallback_flood", e, value, rate, value / rate))
    out = []
    for kind in ("cost_guard", "fallback_flood"):
        run = None
        for (k, e, value, baseline, pr) in fired:
            if k != kind:
                continue
            if run is not None and e == run["end"] + G:
                run["end"] = e
                # 'a tie on the highest peak_ratio takes the earliest instant'
                if pr > run["peak_ratio"]:
                    run.update(value=value, baseline=baseline, peak_ratio=pr)
                continue
            if run is not None:
                out.append(run)
            run = {"kind": kind, "start": e, "end": e, "value": value, "baseline": baseline,
                   "peak_ratio": pr}
        if run is not None:
            out.append(run)
    # 'Alerts are ordered by start, then kind'
    out.sort(key=lambda a: (a["start"], a["kind"]))
    return out


def reporting(res: dict, cfg: Config, trail: Trail, m: Metrics) -> dict:
    if trail.arrivals:
        res["timeline"] = timeline(trail, m)
        res["alerts"] = alerts(cfg, trail, m)
    return res
