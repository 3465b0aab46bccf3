"""The oracle's recorded mode: each trace line priced exactly as it was recorded,
its attempts back to back where they carry no time (SPEC §3, §10 "Trace lines").
"""
from __future__ import annotations

from arith import *  # noqa: F401,F403
from inputs import *  # noqa: F401,F403
from books import *  # noqa: F401,F403


def replay_recorded(reqs: list, cfg: Config, prices: dict) -> dict:
    """'prices the trace exactly as it was recorded (recorded models, attempts and outcomes,
    no policies)'; 'In recorded attempts, a repeat of the previous attempt's model is a retry
    and a change of model is a fallback; attempts without ts run back to back.'
    'A recorded request ends resolved when its last attempt is ok, else failed.'"""
    books = Books()
    trail = Trail(reqs)
    for r in reqs:
        m = books.of(r)
        m.inc("requests")
        if r.d.get("cost_usd") is not None:
            # 'Σcost_usd of their lines', exact from the decimal text
            m.inc("billed", exact(r.d["cost_usd"]))
        if not r.attempts:
            raise ValueError(f"request {r.index}: recorded mode needs model or attempts")
        prev_model = None
        prev_fb = None
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
                m.add_fallback(r.index, start)
                if prev_fb is None:
                    prev_fb = start
                    trail.first_fallbacks.append(start)
            m.add_call(p, r.index, start, bi, bc, bo, cost, is_retry)
            if prev_model is None:
                trail.first_calls.append(start)
            trail.event(start)
            trail.event(end)
            prev_model = a.model
            prev_end = end
        if r.attempts[-1].status == "ok":
            m.inc("resolved")
            m.add_latency(max(end - r.ts, 0))  # CHOICES.md: an answer before its arrival takes 0
        else:
            m.inc("failed")
    return reporting(book_results(books, Ctx(cfg, reqs)), cfg, trail, books.total)
