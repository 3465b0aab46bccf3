"""Independent reference model of llmcost's replay semantics (SPEC §2-§5, §10).

Written from the product specification and the README's "Replay semantics: choices"
only, never from the C engine, so that tests/oracle_check.py can compare the two.
Standard library only.  Entry point:

    replay(requests, scenario, pricing) -> {"totals": {...}, "by_model": [...],
        "by_tenant": [...], "by_task": [...], "timeline": {...}, "alerts": [...]}

Money is integer pico-USD (1 USD = 10**12), times are integer microseconds (timeline t0,
alert start/end).  Derived amounts are exact Fractions of USD, unrounded:
usd_per_resolved, projected_monthly_usd, billed_usd, and the alerts' value / baseline /
peak_ratio (cost_guard in USD per hour, fallback_flood as rates).  Timeline usd arrays and
every other *usd* figure are integer pico-USD.
Choices where the SPEC is silent are listed in CHOICES.md.  The parts: arith.py (exact
numbers, time, the draw), inputs.py, policies.py (cache, breaker), sim.py (the replay),
recorded.py, books.py (metrics, timeline, alerts).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# every part's names, which the selftest reaches through this module
from arith import *  # noqa: E402,F401,F403
from inputs import *  # noqa: E402,F401,F403
from policies import *  # noqa: E402,F401,F403
from books import *  # noqa: E402,F401,F403
from recorded import *  # noqa: E402,F401,F403
from sim import *  # noqa: E402,F401,F403


def replay(requests: list, scenario: dict, pricing: dict) -> dict:
    cfg = Config(scenario)
    prices = load_prices(pricing)
    reqs = [Req(i, d) for i, d in enumerate(requests)]
    if cfg.mode == "recorded":
        return replay_recorded(reqs, cfg, prices)
    return Sim(reqs, cfg, prices).run()
