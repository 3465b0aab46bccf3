"""The oracle's simulate mode: the discrete-event replay of SPEC §4 in virtual
time, with the event order of §10 (time, then request index), the budget, routing,
calls, retries, fallback gates and the batch queue.
"""
from __future__ import annotations

import heapq
from fractions import Fraction

from arith import *  # noqa: F401,F403
from inputs import *  # noqa: F401,F403
from policies import *  # noqa: F401,F403
from books import *  # noqa: F401,F403


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
        self.batch = False              # goes to the batch queue instead of a realtime call
        self.batch_k = {}               # model -> batch calls on it so far (k per model)


class Sim:
    def __init__(self, reqs: list, cfg: Config, prices: dict):
        self.reqs = reqs
        self.cfg = cfg
        self.prices = prices
        self.books = Books()
        self.m = self.books.total
        self.heap = []
        self.seq = 0
        self.call_seq = 0
        self.states = {}
        self.cache = Cache(cfg.cache_capacity, cfg.cache_eviction) if cfg.cache_on else None
        self.breakers = {}
        self.fb_hops = {}               # tenant -> [Hop] of admitted fallbacks
        self.minute_stats = self._minute_stats()
        self.trail = Trail(reqs)
        self.bq = []                    # the one shared batch queue: [(st, model, attempt)]
        self.bq_tokens = 0
        self.bq_boundaries = set()      # boundary instants with a flush event pushed

    def g(self, st) -> Fan:
        return self.books.of(st.r)

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
        tr = self.trail
        tr.first_calls = [s.first_call for s in self.states.values() if s.first_call is not None]
        tr.first_fallbacks = [s.first_fallback for s in self.states.values()
                              if s.first_fallback is not None]
        return reporting(book_results(self.books, Ctx(self.cfg, self.reqs)), self.cfg, tr,
                         self.m)

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
        self.g(st).inc("requests")
        if self.step_cache(t, st):
            return
        if not self.step_budget(t, st):
            return
        cfg = self.cfg
        # 'tasks in batch.tasks, realtime:false requests and async overflow go to the queue'
        # ('realtime: false only matters when batch is on')
        if cfg.batch_on and (r.task in cfg.bt_tasks or r.realtime is False or st.batch):
            st.batch = True
        else:
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
        g = self.g(st)
        g.inc("cache_hits")
        g.inc("cache_tokens_saved", tokens)
        g.inc("cache_usd_saved", usd)
        g.inc("resolved")
        g.add_latency(0)
        self.trail.hits.append(t)
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
            self.g(st).inc("budget_violations")
            if overflow == "truncate":
                self.g(st).inc("truncated")
                st.main_input = in_max
            elif overflow == "summarize":
                self.g(st).inc("summarized")
                st.on_summary = True
                st.summ_input = r.input_tokens
                # "ratio is applied exactly as a decimal: ceil(3000 × 0.1) = 300"
                prod = r.input_tokens * self.cfg.summ_ratio
                st.summ_output = -(-prod.numerator // prod.denominator)
                st.main_input = min(in_max, st.summ_output)
            elif overflow == "async":
                # 'async (sent to the batch queue whole)'; 'overflow: async requires batch
                #  to be on'
                if not self.cfg.batch_on:
                    raise ValueError("overflow: async requires batch to be on")
                self.g(st).inc("async_")
                st.batch = True
            elif overflow == "reject":
                self.g(st).inc("rejected")
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
        if st.batch:
            self.bq_add(t, st, self.cfg.route_model(self.cfg.bt_first_route), 1)
            return
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
        rec = self.recorded_attempt(st, hop.model, k) if hop.kind == "main" else None
        if rec is not None:
            status = rec.status
            rec_lat = rec.latency_us
        else:
            status = self.modelled_status(t, st, hop, k)
            rec_lat = None
        # CHOICES.md: a modelled latency stops at a recorded one's bound, 10^13 ms
        modelled_ok = min(round_half_even((p.lat_base + p.lat_per_tok * out_tokens) * US_PER_MS),
                          MAX_LATENCY_US)
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

    def recorded_attempt(self, st: ReqState, model: str, k: int):
        """'The k-th call of a request on model M replays the k-th recorded attempt on M,
        if any (when faults.recorded)'; None otherwise."""
        on_m = st.r.recorded_on(model) if self.cfg.faults_recorded else []
        return on_m[k - 1] if k <= len(on_m) else None

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
            self.g(st).inc("breaker_rejections")
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
        self.g(st).add_call(p, r.index, t, bi, bc, bo, cost, is_retry=k > 1)
        if st.first_call is None:
            st.first_call = t
        end = t + lat
        self.trail.event(end)
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
        self.trail.event(t)
        g = self.g(st)
        g.inc("resolved")
        g.inc("output_capped", int(st.capped))
        g.add_latency(t - st.r.ts)
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
            self.g(st).inc("fallbacks_denied")
            self.unanswered(t, st)
            return
        # 'A fallback counts when the gates admit it, at that instant, even if the breaker
        #  then rejects its call'
        self.g(st).add_fallback(st.r.index, t)
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
            # '"already tried" covers the route's model and earlier chain entries'
            earlier = {self.cfg.route_model(r) for r in chain[:pos]}
            if model not in st.tried and model not in earlier:
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
        spend = sum(e[1] for e in self.m.call_log if lo < e[0] <= t)
        return not (spend > cap)

    # -- batch (§4.3, §10 Batch) ---------------------------------------------------------
    def bq_add(self, t: int, st: ReqState, model: str, attempt: int):
        """'Before an item is added, the queue is sent if adding it would pass
        max_total_input_tokens; a queue that reaches max_batch_size is sent at once; an item
        alone above the token limit is sent alone at once.'"""
        cfg = self.cfg
        if attempt == 1:
            # 'batched counts requests that entered the batch queue for any reason'
            self.g(st).inc("batched")
        inp = st.main_input
        if self.bq and self.bq_tokens + inp > cfg.bt_max_tokens:
            self.flush(t)
        self.bq.append((st, model, attempt))
        self.bq_tokens += inp
        if inp > cfg.bt_max_tokens or len(self.bq) >= cfg.bt_max_size:
            self.flush(t)
            return
        # 'Boundaries are multiples of interval_s since the Unix epoch; an item arriving
        #  exactly on one waits for the next.'
        nb = (t // cfg.bt_interval_us + 1) * cfg.bt_interval_us
        if nb not in self.bq_boundaries:
            self.bq_boundaries.add(nb)
            # 'a batch boundary flush runs before all of them' (index -1 sorts first)
            self.push(nb, -1, self.boundary_flush)

    def boundary_flush(self, t: int):
        self.bq_boundaries.discard(t)
        if self.bq:
            self.flush(t)

    def flush(self, t: int):
        """'each attempt is one call at flush time, billed × (1 − discount), failed ones per
        billing.failed × (1 − discount)'; 'Batch items draw outcomes like realtime calls but
        bypass the breaker, the timeout and the fallback gates'; 'Items finish at flush time
        + latency_s'."""
        items, self.bq, self.bq_tokens = self.bq, [], 0
        cfg = self.cfg
        for st, model, attempt in items:
            k = st.batch_k.get(model, 0) + 1
            st.batch_k[model] = k
            hop = Hop(model, "main", False, t)
            p = price_of(self.prices, model)
            rec = self.recorded_attempt(st, model, k)
            status = rec.status if rec is not None else self.modelled_status(t, st, hop, k)
            in_t, cached, out_t = self.call_tokens(st, hop)
            bi, bc, bo = bill(cfg.billing, status, in_t, cached, out_t)
            # 'discounts rounded half-even to a pico-USD per call'
            cost = round_half_even(call_cost(p, bi, bc, bo) * (1 - cfg.bt_discount))
            # 'Retry: ... (and every batch re-queue)'
            self.g(st).add_call(p, st.r.index, t, bi, bc, bo, cost, is_retry=attempt > 1)
            if st.first_call is None:
                st.first_call = t
            self.trail.event(t + cfg.bt_latency_us)
            self.push(t + cfg.bt_latency_us, st.r.index, self.batch_end, st, hop, attempt,
                      status, bi + bo, cost)

    def batch_end(self, t: int, st: ReqState, hop: Hop, attempt: int, status: str,
                  tokens: int, cost: int):
        """'A failed item is known at flush + latency_s, then rejoins the one shared queue
        on fail_route; every class is re-queued; ... max_attempts counts all its attempts,
        the first included.'"""
        if status == "ok":
            self.answer(t, st, hop, tokens, cost)
            return
        if attempt < self.cfg.bt_max_attempts:
            self.bq_add(t, st, self.cfg.route_model(self.cfg.bt_fail_route), attempt + 1)
            return
        self.unanswered(t, st)

    def unanswered(self, t: int, st: ReqState):
        """'Any request left without an answer after reaching the call step ... is degraded
        when its task is in fallback.degrade_tasks, else failed'; 'Without a fallback section
        every unanswered request fails (no degrade).'"""
        st.done = True
        self.trail.event(t)
        if self.cfg.fallback_on and st.r.task in self.cfg.fb_degrade:
            self.g(st).inc("degraded")
            self.g(st).add_latency(t - st.r.ts)
        else:
            self.g(st).inc("failed")


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
