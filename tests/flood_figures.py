# Reads `llmcost replay --json` of the bundled flood trace (scenarios recorded,
# flood-guard) on stdin and prints the figures the flood recipe is calibrated to,
# computed from the timeline and by_model arrays: one "name value" per line.
import json, sys
from datetime import datetime, timezone
from fractions import Fraction

def t(s):
    return int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())

d = json.load(sys.stdin)
out_from, out_to = t("2026-03-02T10:00:00Z"), t("2026-03-02T10:45:00Z")
before = t("2026-03-02T09:00:00Z")

def sums(tl, key, lo, hi, inside=True):
    b, t0 = tl["bucket_s"], t(tl["t0"])
    total = Fraction(0)
    for k, v in enumerate(tl[key]):
        start = t0 + k * b
        if (lo <= start and start + b <= hi) == inside:
            total += Fraction(str(v))
    return total

for sc in d["scenarios"]:
    tl, name = sc["timeline"], sc["name"].replace(" ", "-")
    fb_in = sums(tl, "first_fallbacks", out_from, out_to) / sums(tl, "first_calls", out_from, out_to)
    fb_out = sums(tl, "first_fallbacks", out_from, out_to, False) / sums(tl, "first_calls", out_from, out_to, False)
    per_hour_out = sums(tl, "usd", out_from, out_to) / Fraction(out_to - out_from, 3600)
    per_hour_before = sums(tl, "usd", before, out_from)
    print(name, "fallback_rate_outside", float(fb_out))
    print(name, "fallback_rate_inside", float(fb_in))
    print(name, "usd_per_hour_ratio", float(per_hour_out / per_hour_before))
    models = {m["model"]: Fraction(str(m["usd"])) / m["calls"] for m in sc["by_model"]}
    if "gpt-4o" in models and "gpt-4.1-mini" in models:
        print(name, "large_small_cost_per_call", float(models["gpt-4o"] / models["gpt-4.1-mini"]))
    print(name, "degraded", sc["totals"]["degraded"])
