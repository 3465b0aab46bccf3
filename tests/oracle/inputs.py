"""The oracle's inputs: the pricing table and a call's cost and billing, the
scenario with the defaults of SPEC §10 "Scenario files", and the trace lines
(§2, §10 "Trace lines") with their recorded attempts.
"""
from __future__ import annotations

from decimal import Decimal

from arith import *  # noqa: F401,F403


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
            # README: 'A tier absent from cache.ttl_s (or null) never expires' (0 is refused)
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
        bt = _section(scn, "batch")
        self.batch_on = bt is not None
        if bt is not None:
            # 'every key absent takes the value of the §3 example, except ... the keys that
            #  hold the user's own names default instead to empty (... batch.tasks ...)'
            self.bt_tasks = set(bt.get("tasks") or [])
            self.bt_interval_us = s_to_us(bt.get("interval_s", 300))
            self.bt_max_size = bt.get("max_batch_size", 120)
            self.bt_max_tokens = bt.get("max_total_input_tokens", 300000)
            self.bt_first_route = bt.get("first_route", "small")
            self.bt_fail_route = bt.get("fail_route", "large")
            self.bt_discount = exact(bt.get("discount", Decimal("0.5")))
            self.bt_max_attempts = bt.get("max_attempts", 3)
            self.bt_latency_us = s_to_us(bt.get("latency_s", 600))
        # 'Alerts are on with the example's values, in every scenario including recorded';
        # '"cost_guard": null or "fallback_flood": null turns that alert off'.
        al = scn.get("alerts") or {}
        self.alert_cost_guard = None
        if "cost_guard" not in al or al["cost_guard"] is not None:
            cg = al.get("cost_guard") or {}
            self.alert_cost_guard = {
                "window_us": s_to_us(cg.get("window_s", 3600)),
                "baseline_us": s_to_us(cg.get("baseline_s", 1209600)),
                "threshold": exact(cg.get("threshold", Decimal("0.30")))}
        self.alert_flood = None
        if "fallback_flood" not in al or al["fallback_flood"] is not None:
            fl = al.get("fallback_flood") or {}
            self.alert_flood = {
                "window_us": s_to_us(fl.get("window_s", 300)),
                "rate": exact(fl.get("rate", Decimal("0.2"))),
                "min_requests": fl.get("min_requests", 20)}
        proj = scn.get("projection") or {}
        # 'every key absent takes the value of the §3 example'
        self.proj_days = exact(proj.get("days", 30))
        self.proj_sample_rate = exact(proj.get("sample_rate", 1))
        self.proj_multiplier = exact(proj.get("traffic_multiplier", 1))
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
        # 'realtime | bool (default true) | false = may be batched'
        self.realtime = d.get("realtime", True)
        self.attempts = self._attempts()
        # the trace's recorded model: 'model that served the first attempt as recorded', and
        # 'when attempts is present it is authoritative': the first attempt's model
        self.recorded_model = self.attempts[0].model if self.attempts else d.get("model")

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
