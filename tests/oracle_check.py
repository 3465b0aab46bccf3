# Differential check of the replay engine against tests/oracle/model.py, an
# independent model of SPEC §4, §5 and §10 written in Python from the page alone
# (tests/oracle/CHOICES.md lists its readings where the page leaves room).
# Each case is a random small trace (ties, bursts, recorded attempts out of time
# order, cached tokens, realtime:false, cost_usd, inputs that differ only in
# case, spacing and punctuation) and a random scenario of every policy (cache,
# budget and summarize, batch, routing, retry, fallback gates, breaker,
# billing, recorded and injected faults, alerts, projection, or the recorded
# mode); `llmcost replay --json` must give the model's totals, by_tenant,
# by_task, by_model, timeline and alerts to the last digit.
#
#   python3 tests/oracle_check.py LLMCOST WORKDIR [CASES] [FIRST_SEED]
#   python3 tests/oracle_check.py LLMCOST WORKDIR --bundled TRACE SCENARIO...
#
# The second form replays a bundled trace file through bundled scenarios by name.
# Prints, per disagreeing case, the figures that differ and the files that
# reproduce it (kept in WORKDIR), then "oracle: N passed, N failed" (a case a
# check, as the other suites count); exits 1 on any failure.
import gzip
import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "oracle"))
import model  # noqa: E402

PRICING = {
    "date": "2026-11-27",
    "source": "test prices",
    "models": {
        "m-small-a": {"tier": "small", "input": 0.4, "cached_input": 0.1, "output": 1.6,
                      "latency_ms_base": 400, "latency_ms_per_output_token": 8},
        "m-small-b": {"tier": "small", "input": 0.15, "cached_input": 0.075, "output": 0.6,
                      "latency_ms_base": 250.5, "latency_ms_per_output_token": 2},
        "m-large": {"tier": "large", "input": 2.0, "cached_input": 0.5, "output": 8.0},
        "m-odd": {"tier": "large", "input": 1.234567, "output": 3.000001,
                  "latency_ms_base": 900.0005, "latency_ms_per_output_token": 0.0013335},  # sub-µs
    },
}
MODELS = sorted(PRICING["models"])
CLASSES = ["timeout", "rate_limited", "server_error", "invalid_request", "content_filter",
           "context_length"]
TASKS = ["faq_answer", "policy_check", "long_report"]
TEXTS = ["How do I reset my password?", "how do i   reset my password", "HOW DO I RESET MY PASSWORD!!",
         "Where is my invoice, please?", "where is my invoice please", "Café crème — où?",
         "CAFÉ CRÈME où", "Ünïcode，text　here", "ünïcode text here", "plain", "İSTANBUL şehir?",
         "i̇stanbul şehir", "ΣΟΦΊΑ… σοφία", "Привет,\u00a0МИР!", "привет мир"]

# Every figure of a group, as --json names them (billed_usd only where it is given).
TOTALS = ["requests", "resolved", "failed", "degraded", "rejected", "cache_hits", "cache_hit_rate",
          "cache_tokens_saved", "cache_usd_saved", "calls", "input_tokens", "output_tokens",
          "cached_input_tokens", "input_tokens_per_request", "output_tokens_per_request",
          "large_share", "retries", "retry_tokens", "retry_usd", "fallbacks", "fallback_rate",
          "fallbacks_denied", "breaker_rejections", "budget_violations", "budget_violation_rate",
          "truncated", "summarized", "async", "batched", "output_capped", "usd_total", "usd_per_hour_peak",
          "usd_per_resolved", "projected_monthly_usd", "latency_p50_ms", "latency_p95_ms"]

TIMELINE = ["requests", "cache_hits", "calls", "calls_large", "fallbacks", "retries", "usd", "retry_usd",
            "first_calls", "first_fallbacks"]

BUNDLED = os.path.join(HERE, "..", "fixtures", "scenarios")
BUNDLED_PRICING = os.path.normpath(os.path.join(HERE, "..", "fixtures", "pricing", "openai.json"))
T0_US = 1772445600 * 10**6  # 2026-03-02T10:00:00Z


def rfc3339(us):
    s, frac = divmod(us, 10**6)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s))
    if frac:
        text += "." + ("%06d" % frac).rstrip("0")
    return text + "Z"


def maybe(r, p):
    return r.random() < p


def gen_status(r, fail_p):
    return r.choice(CLASSES) if maybe(r, fail_p) else "ok"


def gen_latency(r):
    if maybe(r, 0.01):  # now and then far beyond any timeout: minutes to days
        return r.randint(60000, 300000000)
    return r.choice([r.randint(50, 4000), r.randint(50, 4000) + 0.5, round(r.uniform(1, 9000), 3)])


def gen_tokens(r, *ranges):
    """Tokens from one of the ranges, or now and then millions to billions (sums past 2^53 pico-USD)."""
    if maybe(r, 0.01):
        return r.randint(10**6, 4 * 10**9)
    return r.randint(*r.choice(ranges))


def gen_request(r, t_us, fail_p):
    q = {"ts": rfc3339(t_us), "tenant": r.choice(["acme", "globex", "initech", "umbrella"][:r.randint(1, 4)]),
         "task": r.choice(TASKS), "output_tokens": gen_tokens(r, (0, 0), (1, 300), (300, 2500))}
    kind = r.random()
    if kind < 0.7:
        q["input"] = r.choice(TEXTS)
    elif kind < 0.85:
        q["input_hash"] = r.choice(["h1", "h2", "h3"])
    if "input" not in q or maybe(r, 0.7):
        q["input_tokens"] = gen_tokens(r, (0, 50), (50, 3000), (3000, 9000))
    if maybe(r, 0.5):
        q["difficulty"] = r.choice(["easy", "hard"])
    q["model"] = r.choice(MODELS)
    if maybe(r, 0.25):
        q["cached_tokens"] = r.randint(0, q.get("input_tokens", 40) + 20)
    if maybe(r, 0.1):
        q["realtime"] = False
    if maybe(r, 0.5):
        # also digits past the pico-USD (half a pico, a float's noise): billed_usd is exact
        q["cost_usd"] = r.choice([0, 0.000123, 0.01, round(r.uniform(0, 0.05), 9), 5e-13, 1.5e-12,
                                  0.1 + 0.2, r.uniform(0, 0.001)])
    if maybe(r, 0.3):  # every recorded call
        attempts, m = [], q["model"]
        for k in range(r.randint(1, 4)):
            if k and maybe(r, 0.4):
                m = r.choice(MODELS)
            a = {"model": m, "status": gen_status(r, 0.5)}
            if maybe(r, 0.6):
                a["latency_ms"] = gen_latency(r)
            if maybe(r, 0.4):
                a["ts"] = rfc3339(t_us + r.randint(-4, 20) * 250000)  # some before the arrival
            if maybe(r, 0.3):
                a["input_tokens"] = r.randint(0, 5000)
            if maybe(r, 0.3):
                a["output_tokens"] = r.randint(0, 900)
            if maybe(r, 0.2):
                a["cached_tokens"] = r.randint(0, 100)
            attempts.append(a)
        attempts[-1]["status"] = r.choice(["ok", "ok", gen_status(r, 1)])
        q["attempts"] = attempts
        if maybe(r, 0.1):  # a top-level model the authoritative attempts contradict
            q["model"] = r.choice(MODELS)
    else:
        q["status"] = gen_status(r, fail_p)
        if maybe(r, 0.8):
            q["latency_ms"] = gen_latency(r)
    return q


def gen_trace(r):
    """Mostly minutes of traffic; one trace in twenty spans hours to days (wider
    timeline buckets, cost_guard baselines, expiries and breakers that reopen)."""
    n, t, fail_p = r.randint(15, 160), T0_US + r.randint(0, 59) * 10**6, r.choice([0.0, 0.15, 0.5])
    lull = 0
    if maybe(r, 0.05):
        n, lull = r.randint(300, 1200), r.choice([60, 600, 3600]) * 10**6
    first, lines = t, []
    for _ in range(n):
        lines.append(gen_request(r, t, fail_p))
        last = t
        t += r.choice([0, 0, 1000, r.randint(0, 3 * 10**6), r.randint(0, 40 * 10**6), r.randint(0, 3) * 10**6,
                       r.randint(0, lull)])
    return lines, first, last


def gen_when(r):
    w = {}
    for _ in range(r.randint(0, 2)):
        c = r.choice(["task", "tenant", "difficulty", "input_tokens_gt", "input_tokens_lt"])
        w[c] = {"task": r.choice(TASKS), "tenant": r.choice(["acme", "globex"]),
                "difficulty": r.choice(["easy", "hard"]), "input_tokens_gt": r.randint(0, 6000),
                "input_tokens_lt": r.randint(0, 6000)}[c]
    return w


def gen_scenario(r, first, last):
    if maybe(r, 0.1):
        return dict(gen_reporting(r), name="recorded", mode="recorded",
                    billing={"failed": {c: r.choice(["full", "input", "none"]) for c in CLASSES}})
    s = dict(gen_reporting(r), name="case", seed=r.randint(0, 2**31))
    routed = maybe(r, 0.8)
    names = []
    if routed:
        names = ["small", "large", "alt"]
        s["routes"] = {"small": r.choice(["m-small-a", "m-small-b"]), "large": r.choice(["m-large", "m-odd"]),
                       "alt": r.choice(MODELS)}
        s["routing"] = {"default": r.choice(names),
                        "rules": [{"when": gen_when(r), "route": r.choice(names)} for _ in range(r.randint(0, 3))]}
    if maybe(r, 0.6):
        c = {"key": r.sample(["tenant", "task", "policy_version", "input"], r.randint(1, 4)),
             "policy_version": r.choice(["", "v3"]),
             "normalize": r.sample(["lower", "collapse_space", "strip_punct"], r.randint(0, 3)),
             "eviction": r.choice(["lru", "fifo"])}
        if maybe(r, 0.6):
            c["capacity"] = r.randint(1, 6)
        if maybe(r, 0.6):
            c["ttl_s"] = {"small": r.choice([None, 5, 30, 120]), "large": r.choice([None, 10, 60, 600])}
        s["cache"] = c
    batch = routed and maybe(r, 0.35)
    if batch:
        s["batch"] = {"tasks": r.sample(TASKS, r.randint(0, 2)), "interval_s": r.choice([60, 300]),
                      "max_batch_size": r.randint(1, 6), "max_total_input_tokens": r.choice([1000, 6000, 300000]),
                      "first_route": r.choice(names), "fail_route": r.choice(names),
                      "discount": r.choice([0, 0.5, 0.333]), "max_attempts": r.randint(1, 3),
                      "latency_s": r.choice([0, 30, 600])}
    if maybe(r, 0.5):
        s["budget"] = {}
        for task in r.sample(TASKS + ["*"], r.randint(1, 4)):
            p = {"overflow": r.choice((["truncate", "summarize", "reject"] if routed else ["truncate", "reject"])
                                      + (["async"] if batch else []))}
            if maybe(r, 0.8):
                p["input_max"] = r.randint(10, 4000)
            if maybe(r, 0.6):
                p["output_max"] = r.randint(1, 800)
            s["budget"][task] = p
        if routed:
            s["summarize"] = {"route": r.choice(names), "ratio": r.choice([0.1, 0.25, 0.333, 1])}
    s["retry"] = {"max_attempts": r.randint(1, 4), "on": r.sample(CLASSES, r.randint(0, 4)),
                  "backoff_ms": r.choice([0, 250, 500, 1500]),
                  "timeout_ms": r.choice([None, 800, 2000, 30000])}
    if routed and maybe(r, 0.6):
        f = {"chain": r.sample(names, r.randint(1, 3)), "on": r.sample(CLASSES, r.randint(1, 4)),
             "degrade_tasks": r.sample(TASKS, r.randint(0, 2))}
        if maybe(r, 0.4):
            f["tenant_inflight_cap"] = r.randint(1, 2)
        if maybe(r, 0.4):
            f["max_rate"], f["rate_window_s"] = r.choice([0, 0.1, 0.25, 0.5]), r.choice([30, 300])
        if maybe(r, 0.3):
            f["usd_per_hour_cap"] = r.choice([0, 0.001, 0.01, 0.05])
        s["fallback"] = f
    if maybe(r, 0.5):
        s["breaker"] = {"window": r.randint(1, 6), "failure_ratio": r.choice([0.2, 0.5, 1]),
                        "open_s": r.choice([1, 5, 30])}
    s["billing"] = {"failed": {c: r.choice(["full", "input", "none"]) for c in r.sample(CLASSES, r.randint(0, 6))}}
    s["faults"] = {"recorded": maybe(r, 0.7)}
    if maybe(r, 0.5):
        inject = []
        for _ in range(r.randint(1, 2)):
            a = r.randint(first, last)
            b = a + r.randint(0, (last - first) // 2 + 10**6)
            e = {"model": r.choice(MODELS), "from": rfc3339(a // 10**6 * 10**6),
                 "to": rfc3339(b // 10**6 * 10**6 + 10**6),
                 "status": r.choice(CLASSES), "rate": r.choice([0, 0.3, 0.6, 1])}
            # absent keys take the §3 example's values (its model is not in these prices), a
            # window from 10:00 to 10:45 on the traces' day: kept only where it stays a window
            kept = {k: v for k, v in e.items() if k == "model" or not maybe(r, 0.15)}
            if ("from" in kept) != ("to" in kept) and a // 10**6 * 10**6 >= T0_US + 45 * 60 * 10**6:
                kept["from"], kept["to"] = e["from"], e["to"]
            inject.append(kept)
        s["faults"]["inject"] = inject
    return s


def gen_reporting(r):
    """Alerts and projection, which every scenario has (the recorded one too)."""
    s = {"projection": {"days": r.choice([1, 30, 365]), "sample_rate": r.choice([1, 0.5, 0.125, 0.3]),
                        "traffic_multiplier": r.choice([1, 2.5, 0.7])}}
    a = {}
    if maybe(r, 0.8):
        a["cost_guard"] = None if maybe(r, 0.2) else {
            "window_s": r.choice([60, 300, 600]), "baseline_s": r.choice([300, 1800, 7200]),
            "threshold": r.choice([0, 0.1, 0.3, 1])}
    if maybe(r, 0.8):
        a["fallback_flood"] = None if maybe(r, 0.2) else {
            "window_s": r.choice([60, 300]), "rate": r.choice([0.05, 0.2, 0.5]), "min_requests": r.randint(1, 5)}
    if a:
        s["alerts"] = a
    return s


def run_case(llmcost, work, seed):
    """Random case `seed`: its files in WORKDIR/case-SEED, and the figures that differ."""
    r = random.Random(seed)
    lines, first, last = gen_trace(r)
    scenario = gen_scenario(r, first, last)
    case = os.path.join(work, "case-%d" % seed)
    os.makedirs(case, exist_ok=True)
    with open(os.path.join(case, "trace.jsonl"), "w") as f:
        f.writelines(json.dumps(q, ensure_ascii=False) + "\n" for q in lines)
    with open(os.path.join(case, "pricing.json"), "w") as f:
        json.dump(PRICING, f, indent=1)
    with open(os.path.join(case, "scenario.json"), "w") as f:
        json.dump(dict(scenario, pricing="pricing.json"), f, indent=1, ensure_ascii=False)
    # one case in ten lists the scenario twice: the engine runs them on two threads
    return compare_replay(llmcost, case, os.path.join(case, "trace.jsonl"), lines,
                          os.path.join(case, "scenario.json"), scenario, PRICING, 2 if maybe(r, 0.1) else 1)


def run_bundled(llmcost, work, trace, name):
    """A bundled trace file through a bundled scenario (extends resolved here)."""
    opener = gzip.open if trace.endswith(".gz") else open
    with opener(trace, "rt", encoding="utf-8") as f:
        lines = [json.loads(q) for q in f if q.strip()]
    if name == "recorded":
        scenario, pricing = {"name": "recorded", "mode": "recorded"}, BUNDLED_PRICING
    else:
        scenario, pricing = bundled_scenario(os.path.join(BUNDLED, name + ".json"))
    with open(pricing or BUNDLED_PRICING) as f:
        prices = json.load(f)
    case = os.path.join(work, "%s-%s" % (os.path.basename(trace).split(".")[0], name))
    os.makedirs(case, exist_ok=True)
    return compare_replay(llmcost, case, trace, lines, name, scenario, prices)


def bundled_scenario(path):
    """Scenario file `path` with its "extends" merged in (objects key by key, the rest
    replaced, the name not inherited), and the pricing file it names, if any."""
    with open(path) as f:
        s = json.load(f)
    base, pricing = {}, None
    if "extends" in s:
        parent = os.path.join(os.path.dirname(path), s.pop("extends"))
        base, pricing = bundled_scenario(parent if parent.endswith(".json") else parent + ".json")
        base.pop("name", None)
    if "pricing" in s:
        pricing = os.path.normpath(os.path.join(os.path.dirname(path), s.pop("pricing")))

    def merge(a, b):
        out = dict(a)
        for k, v in b.items():
            out[k] = merge(a[k], v) if isinstance(v, dict) and isinstance(a.get(k), dict) else v
        return out
    return merge(base, s), pricing


def compare_replay(llmcost, case, trace, lines, scenario_arg, scenario, prices, copies=1):
    """Runs `llmcost replay TRACE -s SCENARIO_ARG --json` (the scenario listed `copies` times)
    with its store in CASE, and the model on the same lines; returns the figures that differ."""
    db = os.path.join(case, "store.db")
    if os.path.exists(db):
        os.remove(db)
    p = subprocess.run([llmcost, "replay", trace] + ["-s", scenario_arg] * copies + ["--json", "--db", db],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return ["llmcost exited %d: %s" % (p.returncode, p.stderr.strip())]
    out = json.loads(p.stdout, parse_float=Decimal)
    if out["trace"]["requests"] != len(lines):
        return ["llmcost imported %d of the %d lines: %s" % (out["trace"]["requests"], len(lines), p.stderr.strip())]
    want = model.replay(lines, scenario, prices)
    diffs = [] if len(out["scenarios"]) == copies else ["%d scenarios for %d" % (len(out["scenarios"]), copies)]
    for got in out["scenarios"]:
        diffs += compare_scenario(got, want)
    return diffs


def compare_scenario(got, want):
    """The figures of one scenario of `--json` that differ from the model's."""
    diffs = compare_figures("", got["totals"], want["totals"])
    for by, field in (("by_tenant", "tenant"), ("by_task", "task")):
        got_names, want_names = [g[field] for g in got[by]], [g[field] for g in want[by]]
        if got_names != want_names:
            diffs.append("%s: llmcost %s, model %s" % (by, got_names, want_names))
        for g, w in zip(got[by], want[by]):
            diffs += compare_figures("%s %s " % (by, g[field]), g, w)
    diffs += compare_timeline(got["timeline"], want["timeline"])
    diffs += compare_alerts(got["alerts"], want["alerts"])
    got_models = [(m["model"], m["calls"], m["input_tokens"], m["output_tokens"], Decimal(m["usd"]))
                  for m in got["by_model"]]
    want_models = [(m["model"], m["calls"], m["input_tokens"], m["output_tokens"], Decimal(m["usd"]) / 10**12)
                   for m in want["by_model"]]
    if got_models != want_models:
        diffs.append("by_model: llmcost %s, model %s" % (got_models, want_models))
    return diffs


def compare_figures(where, got, want):
    """The figures of one group (or the totals) on which llmcost and the model differ."""
    diffs = []
    for k in TOTALS + (["billed_usd"] if "billed_usd" in got or "billed_usd" in want else []):
        if k not in got or k not in want or not same(k, got[k], want[k]):
            diffs.append("%s%s: llmcost %s, model %s" % (where, k, got.get(k, "absent"),
                                                       show(k, want[k]) if k in want else "absent"))
    return diffs


def compare_timeline(got, want):
    diffs = []
    if got["bucket_s"] != want["bucket_s"] or got["t0"] != rfc3339(want["t0"]):
        diffs.append("timeline: llmcost bucket_s %s t0 %s, model %s %s" % (
            got["bucket_s"], got["t0"], want["bucket_s"], rfc3339(want["t0"])))
    for k in TIMELINE:
        g = [Decimal(v) * 10**12 if "usd" in k else v for v in got[k]]
        if g != want[k]:
            diffs.append("timeline %s: llmcost %s, model %s" % (k, got[k], want[k]))
    return diffs


def compare_alerts(got, want):
    g = [(a["kind"], a["start"], a["end"], Decimal(a["value"]), Decimal(a["baseline"]), float(a["peak_ratio"]))
         for a in got]
    w = [(a["kind"], rfc3339(a["start"]), rfc3339(a["end"]),
          round12(a["value"]) if a["kind"] == "cost_guard" else Decimal(repr(float(a["value"]))),
          round12(a["baseline"]) if a["kind"] == "cost_guard" else Decimal(repr(float(a["baseline"]))),
          float(a["peak_ratio"])) for a in want]
    return [] if g == w else ["alerts: llmcost %s, model %s" % (g, w)]


def round12(x):
    """An exact amount rounded half-even to 12 decimals, as llmcost writes USD."""
    return Decimal(model.round_half_even(Fraction(x) * 10**12)) / 10**12


def same(key, got, want):
    if want is None or got is None:
        return want is None and got is None
    if "usd" in key and isinstance(want, Fraction):  # derived amounts, exact USD
        return Decimal(got) == round12(want)
    if "usd" in key:
        return Decimal(got) * 10**12 == want
    if key.startswith("latency"):
        return Fraction(str(got)) == Fraction(want)
    if isinstance(want, float):
        return float(got) == want
    return got == want


def show(key, v):
    if isinstance(v, Fraction):
        return "%s (%s)" % (v, float(v))
    if v is not None and "usd" in key:
        return "%s (pico %d)" % (Decimal(v) / 10**12, v)
    return str(v)


def main():
    llmcost, work, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if rest and rest[0] == "--bundled":  # --bundled TRACE SCENARIO...
        checks = [("%s through %s" % (os.path.basename(rest[1]), name),
                   lambda name=name: run_bundled(llmcost, work, rest[1], name)) for name in rest[2:]]
    else:
        n = int(rest[0]) if rest else 200
        first = int(rest[1]) if len(rest) > 1 else 1
        checks = [("case %d (%s)" % (seed, os.path.join(work, "case-%d" % seed)),
                   lambda seed=seed: run_case(llmcost, work, seed)) for seed in range(first, first + n)]
    bad = 0
    for what, check in checks:
        diffs = check()
        if diffs:
            bad += 1
            print("FAIL oracle: %s: %d figures differ" % (what, len(diffs)), file=sys.stderr)
            for d in diffs[:8]:
                print("   ", d, file=sys.stderr)
    print("oracle: %d passed, %d failed" % (len(checks) - bad, bad))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
