/*
 * The replay engine rule by rule, part C (SPEC §4.5; §10 "Time and order", "Trace
 * lines", "Calls", "Further details"): where a call's outcome comes from.  The recorded attempt it
 * replays (the k-th on its model; `attempts` over the top-level fields; a recorded
 * scenario needs one on every line), else the draw, keyed by the request's index among
 * accepted lines and the per-model attempt number; and summarize calls, numbered apart,
 * which never replay a recorded outcome or bill cached tokens.  Prices and units as in
 * test_replay_calls.c (fixtures/tests/pricing.json: small-m 1 / 0.5 / 2 USD per 1M
 * input / cached / output tokens, 100 ms + 1 ms per output token; large-m 10 / 5 / 20,
 * 200 ms + 2 ms per token; "µUSD" is 10^6 pico-USD).  Draws x / 2^53 come from the
 * python3 SPEC §10 draw quoted above draw_case in test_replay_calls.c.
 */
#include "tests/test.h"
#include "tests/util_lines.h"
#include "tests/util_replay.h"

/* ======================= recorded attempts ======================= */

/* The k-th call on a model replays the k-th recorded attempt on that model, not the k-th overall. */
static void recorded_match_per_model(void)
{
	struct result_scenario r;
	/* attempts: small-m server_error 10 ms, large-m ok 70 ms; route large, one attempt.
	 * Call 1 on large-m replays the first large-m attempt (the 2nd overall): ok in 70 ms,
	 * 1000 × 10 + 100 × 20 = 12000 µUSD.  (Finding none, a modelled call would take
	 * 200 + 2 × 100 = 400 ms.) */
	if (replay_case(REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                ATT("large-m", "ok", LAT(70)))),
	                SCN ", \"routing\": {\"default\": \"large\"}, \"retry\": {\"max_attempts\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 70 * MS);
	CHECK_INT(r.totals.usd_total, 12000 * PUSD);
	result_scenario_fini(&r);
}

/* A replayed attempt without latency_ms takes the modelled latency. */
static void recorded_no_latency_modelled(void)
{
	struct result_scenario r;
	/* recorded on small-m, status ok (the default), no latency_ms: replayed ok, in
	 * 100 + 1 × 100 = 200 ms (not 0, which is only recorded mode's back-to-back timing) */
	if (replay_case(REQ("10:00:00", "a", "t", ",\"model\":\"small-m\""), SCN "}", &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 200 * MS);
	result_scenario_fini(&r);
}

/* When `attempts` is present it is authoritative: the top-level model, status and latency make no attempt. */
static void recorded_attempts_over_top_level(void)
{
	struct result_scenario r;
	/* recorded scenario; top level large-m server_error 999 ms, attempts [small-m ok 10 ms]:
	 * one call, on small-m, ok in 10 ms: 1000 × 1 + 100 × 2 = 1200 µUSD, resolved */
	if (replay_case(REQ("10:00:00", "a", "t", ",\"model\":\"large-m\",\"status\":\"server_error\",\"latency_ms\":999"
	                    ATTS(ATT("small-m", "ok", LAT(10)))),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.calls_large, 0);
	CHECK_INT(r.totals.usd_total, 1200 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 10 * MS);
	result_scenario_fini(&r);
}

/* In a recorded scenario every line must carry model or attempts. */
static void recorded_scenario_needs_model(void)
{
	struct result_scenario r;
	struct err e = { "" };
	CHECK_INT(replay_text(REQ("10:00:00", "a", "t", ""), RECORDED, &r, &e), -1);
	CHECK_HAS(e.msg, "no recorded model");
}

/* ======================= the draw ======================= */

/* The draw's INDEX counts accepted lines only: a blank line before r0 leaves r0 index 0. */
static void draw_index_skips_blank_lines(void)
{
	struct result_scenario r;
	/* seed 1, small-m server_error injected at rate 0.2, one attempt; draws small-m
	 * attempt 1: index 0 → 0.070419 (< 0.2: fails), 1 → 0.296771 (ok), 2 → 0.061536.
	 * r0 (index 0) fails, r1 (index 1) is ok: 1200 µUSD (the server_error bills none).
	 * Counting the blank line, r0 would draw index 1 (ok) and r1 index 2 (fails). */
	if (replay_case("  \n" REQ("10:00:00", "a", "r0", "") REQ("10:00:01", "a", "r1", ""),
	                SCN ", \"seed\": 1, \"retry\": {\"max_attempts\": 1}, "
	                "\"faults\": {\"inject\": [" INJ("small-m", "server_error", 0.2) "]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.requests, 2);
	CHECK_INT(TASK(r, "r0").failed, 1);
	CHECK_INT(TASK(r, "r1").resolved, 1);
	CHECK_INT(r.totals.usd_total, 1200 * PUSD);
	result_scenario_fini(&r);
}

/* The draw's ATTEMPT is the per-model attempt number: a fallback's first large-m call draws "1". */
static void draw_attempt_per_model(void)
{
	struct result_scenario r;
	/* seed 1, one attempt per model, chain [small, large]; injected server_error on small-m
	 * at rate 1, on large-m at rate 0.5.  small-m call 1 fails (every x < 2^53) after its
	 * base 100 ms, billed none; the fallback's large-m call 1 draws (1, 0, large-m, 1) →
	 * 0.559918 ≥ 0.5 → ok in 200 + 2 × 100 = 400 ms: 1000 × 10 + 100 × 20 = 12000 µUSD,
	 * latency 500 ms.  Numbered across models it would draw attempt 2 → 0.429937 < 0.5: fail. */
	if (replay_case(REQ("10:00:00", "a", "t", ""),
	                SCN ", \"seed\": 1, \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"]}, \"faults\": {\"inject\": ["
	                INJ("small-m", "server_error", 1) "," INJ("large-m", "server_error", 0.5) "]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.usd_total, 12000 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 500 * MS);
	result_scenario_fini(&r);
}

/* ======================= summarize calls ======================= */

/* 3000 in, 100 out; input_max 1000, summarized on small with ratio 0.1, one attempt:
 * the summary is 3000 in, ceil(3000 × 0.1) = 300 out on small-m: 3000 × 1 + 300 × 2 =
 * 3600 µUSD in 100 + 300 = 400 ms; the main call has input min(1000, 300) = 300. */
#define SUMMARIZED REQN("10:00:00", "a", "t", 3000, 100, "")
#define SUMMARIZE(rest) SCN ", \"seed\": 1, \"retry\": {\"max_attempts\": 1}, " \
	"\"budget\": {\"t\": {\"input_max\": 1000, \"overflow\": \"summarize\"}}, " \
	"\"summarize\": {\"route\": \"small\", \"ratio\": 0.1}" rest "}"

/* Summarize calls are numbered apart: the summary draws "s1", the main call still draws "1". */
static void summary_numbered_apart(void)
{
	struct result_scenario r;
	/* draws, seed 1, index 0, small-m: s1 → 0.274419, 1 → 0.070419, 2 → 0.043287.
	 * Route large, small-m server_error at rate 0.2: the summary draws s1, 0.274 ≥ 0.2 → ok
	 * (drawn as "1", 0.070 < 0.2, it would fail, and the request with it); main on large-m
	 * (no fault): 300 × 10 + 100 × 20 = 5000 µUSD in 200 + 2 × 100 = 400 ms.
	 * 3600 + 5000 = 8600 µUSD; latency 400 + 400 = 800 ms. */
	if (replay_case(SUMMARIZED, SUMMARIZE(", \"routing\": {\"default\": \"large\"}, \"faults\": {\"inject\": ["
	                                      INJ("small-m", "server_error", 0.2) "]}"), &r) < 0)
		return;
	CHECK_INT(r.totals.summarized, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.usd_total, 8600 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 800 * MS);
	result_scenario_fini(&r);
	/* both on small-m, rate 0.05: the summary (s1, 0.274) is ok; the main call is still
	 * attempt 1 (0.070 ≥ 0.05) → ok: 300 × 1 + 100 × 2 = 500 µUSD in 100 + 100 = 200 ms.
	 * 3600 + 500 = 4100 µUSD; 600 ms.  Had the summary taken attempt 1, the main call would
	 * be attempt 2 (0.043 < 0.05): failed. */
	if (replay_case(SUMMARIZED, SUMMARIZE(", \"faults\": {\"inject\": [" INJ("small-m", "server_error", 0.05) "]}"),
	                &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.usd_total, 4100 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 600 * MS);
	result_scenario_fini(&r);
}

/* A summarize call never replays a recorded outcome; the main call still replays attempt 1. */
static void summary_never_recorded(void)
{
	struct result_scenario r;
	/* recorded: small-m ok in 5000 ms.  The summary on small-m is modelled: minute 10:00 of
	 * small-m holds {ok: 1}, p = 0 → ok in 400 ms; the main call 1 replays attempt 1: 5000 ms.
	 * Latency 400 + 5000 = 5400 ms (replayed for the summary too: 10000 ms); 3600 + 500 =
	 * 4100 µUSD as above. */
	if (replay_case(REQN("10:00:00", "a", "t", 3000, 100, ",\"model\":\"small-m\",\"latency_ms\":5000"),
	                SUMMARIZE(""), &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.usd_total, 4100 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 5400 * MS);
	result_scenario_fini(&r);
}

/* A summarize call on the recorded model bills no cached tokens. */
static void summary_bills_no_cached(void)
{
	struct result_scenario r;
	/* recorded on small-m with 1000 cached tokens; input_max 250.  The summary on small-m
	 * (the recorded model): 3000 × 1 + 300 × 2 = 3600 µUSD, none cached (with 1000 cached it
	 * would be 2000 × 1 + 1000 × 0.5 + 600 = 3100); the main call, input min(250, 300) =
	 * 250 on a summary, none cached either: 250 × 1 + 100 × 2 = 450.  3600 + 450 = 4050 µUSD. */
	if (replay_case(REQN("10:00:00", "a", "t", 3000, 100, ",\"model\":\"small-m\",\"cached_tokens\":1000"),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 250, \"overflow\": \"summarize\"}}, "
	                "\"summarize\": {\"route\": \"small\", \"ratio\": 0.1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.input_tokens, 3250);
	CHECK_INT(r.totals.cached_input_tokens, 0);
	CHECK_INT(r.totals.usd_total, 4050 * PUSD);
	result_scenario_fini(&r);
}

void suite_replay_faults(void)
{
	RUN(recorded_match_per_model);
	RUN(recorded_no_latency_modelled);
	RUN(recorded_attempts_over_top_level);
	RUN(recorded_scenario_needs_model);
	RUN(draw_index_skips_blank_lines);
	RUN(draw_attempt_per_model);
	RUN(summary_numbered_apart);
	RUN(summary_never_recorded);
	RUN(summary_bills_no_cached);
	replay_text_done();
}
