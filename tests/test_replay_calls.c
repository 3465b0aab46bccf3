/*
 * The replay engine rule by rule, part B (SPEC §4.5–§4.7, §5, §10): calls and
 * faults, the draw, timeouts, retry, fallback and its gates, the breaker, the
 * recorded scenario, alerts and determinism.  Each case is a tiny trace whose
 * expected counters are worked out by hand in the comments, with the round
 * prices of fixtures/tests/pricing.json (small-m 1 / 0.5 / 2 USD per 1M
 * input / cached / output tokens, 100 ms + 1 ms per output token; large-m
 * 10 / 5 / 20, 200 ms + 2 ms per token; other-m 3 / 3 / 4, no latency).
 * 1 token at 1 USD per 1M is 10^6 pico-USD; "µUSD" below means 10^6 pico-USD.
 */
#include <stdlib.h>

#include "tests/test.h"
#include "tests/util_lines.h"
#include "tests/util_replay.h"

static uint64_t model_calls(const struct result_scenario *r, const char *model)
{
	for (size_t m = 0; m < r->n_models; m++)
		if (strcmp(r->by_model[m].model, model) == 0)
			return r->by_model[m].calls;
	return 0;
}

#define CHECK_NEAR(a, b) do { \
	double a_ = (a), b_ = (b); \
	if (!(a_ - b_ < 1e-9 && b_ - a_ < 1e-9)) TEST_FAIL_("%s == %s: got %.17g, want %.17g", #a, #b, a_, b_); \
} while (0)

/* ======================= calls and faults ======================= */

/* The k-th call on a model replays the k-th recorded attempt on it: outcome and latency. */
static void calls_replay_recorded_attempts(void)
{
	struct result_scenario r;
	/* call 1 at 0: attempt 1 (server_error, 40 ms, billed none); retry after 500 ms × 2^0
	 * at 0.54 s; call 2: attempt 2 (ok, 70 ms) ends at 0.61 s: latency 610 ms.
	 * cost: call 2 only, 1000 × 1 + 100 × 2 = 1200 µUSD = 1.2·10^9 pico-USD */
	if (replay_case(REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(40)) "," ATT("small-m", "ok", LAT(70)))),
	                SCN ", \"retry\": {\"max_attempts\": 3, \"backoff_ms\": 500}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.input_tokens, 1000);
	CHECK_INT(r.totals.output_tokens, 100);
	CHECK_INT(r.totals.usd_total, 1200 * PUSD);
	CHECK_INT(r.totals.retry_tokens, 1100);
	CHECK_INT(r.totals.retry_usd, 1200 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 610 * MS);
	result_scenario_fini(&r);
}

/* faults.recorded false: the recorded latency is not replayed, the model's is used. */
static void calls_recorded_false_latency(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:00:00", "a", "t", ",\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":777");
	/* replayed: 777 ms */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(r.totals.latency_p50_us, 777 * MS);
	result_scenario_fini(&r);
	/* not replayed: minute 10:00 of small-m holds {ok: 1}, p = 0 → ok; latency
	 * 100 + 1 × 100 = 200 ms */
	if (replay_case(trace, SCN ", \"faults\": {\"recorded\": false}}", &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 200 * MS);
	result_scenario_fini(&r);
}

/* faults.recorded false: outcomes come from the minute's rate and the draw. */
static void calls_recorded_false_outcome(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:00:00", "a", "r0", ",\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":40")
	                    REQ("10:00:05", "a", "r1", ",\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":777");
	/* recorded: r0 fails (server_error, no retry), r1 ok in 777 ms */
	if (replay_case(trace, SCN ", \"seed\": 4, \"retry\": {\"max_attempts\": 1}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r0").failed, 1);
	CHECK_INT(TASK(r, "r1").resolved, 1);
	CHECK_INT(TASK(r, "r1").latency_p50_us, 777 * MS);
	result_scenario_fini(&r);
	/* modelled: minute 10:00 of small-m holds {server_error: 1, ok: 1}, n = 2: a call is a
	 * server_error when x × 2 < 1 × 2^53, i.e. x / 2^53 < 0.5.  The draws (script quoted in
	 * the comment above draw_case), seed 4, model small-m, attempt 1: index 0 → 0.78519 (ok),
	 * index 1 → 0.18955 (server_error).  So r0 is ok in 100 + 100 = 200 ms, r1 fails. */
	if (replay_case(trace, SCN ", \"seed\": 4, \"retry\": {\"max_attempts\": 1}, \"faults\": {\"recorded\": false}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r0").resolved, 1);
	CHECK_INT(TASK(r, "r0").latency_p50_us, 200 * MS);
	CHECK_INT(TASK(r, "r1").failed, 1);
	result_scenario_fini(&r);
}

/* The failure rate is per model and UTC minute of the call; an attempt without ts
 * counts at its request's ts, one with ts at its own. */
static void calls_rate_by_minute(void)
{
	struct result_scenario r;
	/* a (10:00:50): attempts ok (20 s) then server_error, both without ts: both count in
	 *   minute 10:00 (back to back the second would be at 10:01:10).  a replays its ok.
	 * c (10:02:10): one timeout attempt with ts 10:03:05: counts in minute 10:03; c replays it.
	 * b (10:01:30), e (10:02:30), d (10:03:30) have no recorded attempt: modelled.
	 * minute 10:01: no data, p = 0 → b ok; minute 10:02: no data → e ok;
	 * minute 10:03: {timeout: 1}, p = 1 → d fails (timeout, the first class). */
	const char *trace =
		REQ("10:00:50", "a", "a", ATTS(ATT("small-m", "ok", LAT(20000)) "," ATT("small-m", "server_error", "")))
		REQ("10:01:30", "a", "b", "")
		REQ("10:02:10", "a", "c", ATTS(ATT("small-m", "timeout", ",\"ts\":\"2026-03-02T10:03:05Z\"")))
		REQ("10:03:30", "a", "d", "")
		REQ("10:02:30", "a", "e", "");
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 1}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "a").resolved, 1);
	CHECK_INT(TASK(r, "a").latency_p50_us, 20 * SEC);
	CHECK_INT(TASK(r, "b").resolved, 1);
	CHECK_INT(TASK(r, "c").failed, 1);
	CHECK_INT(TASK(r, "d").failed, 1);
	/* d's timeout is billed full: 1000 + 100 × 2 = 1200 µUSD */
	CHECK_INT(TASK(r, "d").usd_total, 1200 * PUSD);
	CHECK_INT(TASK(r, "e").resolved, 1);
	result_scenario_fini(&r);
}

/* The class of a modelled failure: the first class whose cumulative count c gives x × n < c × 2^53. */
static void calls_recorded_class_draw(void)
{
	struct result_scenario r;
	/* Carriers (index 0..4) in minute 10:00 on small-m: timeout ×3, server_error, ok: n = 5.
	 * timeout when x/2^53 < 3/5 = 0.6; (rate_limited adds 0); server_error when < 4/5 = 0.8;
	 * else ok.  Probes (index 5, 6, 7) have recorded attempts on large-m only, so their small-m
	 * calls are modelled.  Draws, seed 1, small-m, attempt 1 (the script above draw_case):
	 * index 5 → 0.44498 (timeout), 6 → 0.78495 (server_error), 7 → 0.97663 (ok).
	 * p5: timeout, takes timeout_ms 5 s, billed full 1200 µUSD, degraded (chain exhausted);
	 * p6: server_error, latency_ms_base 100 ms, billed none, degraded;
	 * p7: ok, 100 + 100 = 200 ms, 1200 µUSD, resolved. */
	const char *trace =
		REQ("10:00:00", "a", "carrier", ",\"model\":\"small-m\",\"status\":\"timeout\"")
		REQ("10:00:01", "a", "carrier", ",\"model\":\"small-m\",\"status\":\"timeout\"")
		REQ("10:00:02", "a", "carrier", ",\"model\":\"small-m\",\"status\":\"timeout\"")
		REQ("10:00:03", "a", "carrier", ",\"model\":\"small-m\",\"status\":\"server_error\"")
		REQ("10:00:04", "a", "carrier", ",\"model\":\"small-m\",\"status\":\"ok\"")
		REQ("10:00:10", "a", "p5", ",\"model\":\"large-m\"")
		REQ("10:00:11", "a", "p6", ",\"model\":\"large-m\"")
		REQ("10:00:12", "a", "p7", ",\"model\":\"large-m\"");
	if (replay_case(trace, SCN ", \"seed\": 1, \"retry\": {\"max_attempts\": 1, \"timeout_ms\": 5000}, "
	                "\"fallback\": {\"chain\": [\"small\"], \"degrade_tasks\": [\"p5\", \"p6\", \"p7\"]}}", &r) < 0)
		return;
	struct metrics p5 = TASK(r, "p5"), p6 = TASK(r, "p6"), p7 = TASK(r, "p7");
	CHECK_INT(p5.degraded, 1);
	CHECK_INT(p5.latency_p50_us, 5 * SEC);
	CHECK_INT(p5.usd_total, 1200 * PUSD);
	CHECK_INT(p6.degraded, 1);
	CHECK_INT(p6.latency_p50_us, 100 * MS);
	CHECK_INT(p6.usd_total, 0);
	CHECK_INT(p7.resolved, 1);
	CHECK_INT(p7.latency_p50_us, 200 * MS);
	CHECK_INT(p7.usd_total, 1200 * PUSD);
	result_scenario_fini(&r);
}

/*
 * The draw against an independent computation:
 *
 *   M = (1 << 64) - 1
 *   def fnv1a64(s):
 *       h = 0xcbf29ce484222325
 *       for b in s.encode():
 *           h ^= b; h = (h * 0x100000001b3) & M
 *       return h
 *   def fin(z):
 *       z ^= z >> 30; z = (z * 0xbf58476d1ce4e5b9) & M
 *       z ^= z >> 27; z = (z * 0x94d049bb133111eb) & M
 *       z ^= z >> 31; return z
 *   def draw(seed, index, model, attempt):
 *       return fin(fnv1a64(f"{seed}|{index}|{model}|{attempt}")) >> 11
 *   print(draw(1, 0, "small-m", "1") / 2**53)   # and so on
 *
 * small-m, attempt 1, x / 2^53:
 *   seed 1: index 0 → 0.070419, index 1 → 0.296771, index 2 → 0.061536
 *   seed 2: index 0 → 0.388763, index 1 → 0.861150, index 2 → 0.159834
 * An injected window [10:00, 10:10) with rate 0.2: a call fails when x/2^53 < 0.2.
 */
static void draw_case(int seed, const char *rate, int r0_fails, int r1_fails)
{
	struct result_scenario r;
	char scn[1024];
	snprintf(scn, sizeof scn, SCN ", \"seed\": %d, \"retry\": {\"max_attempts\": 1}, \"faults\": {\"inject\": "
	         "[{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T10:10:00Z\", "
	         "\"status\": \"server_error\", \"rate\": %s}]}}", seed, rate);
	/* r2 arrives at `to`, outside [from, to): no window, no recorded data, p = 0 → ok,
	 * although its draw (0.0615 / 0.1598) is below the rate */
	if (replay_case(REQ("10:00:00", "a", "r0", "") REQ("10:00:01", "a", "r1", "") REQ("10:10:00", "a", "r2", ""),
	                scn, &r) < 0)
		return;
	CHECK_INT(TASK(r, "r0").failed, r0_fails);
	CHECK_INT(TASK(r, "r0").resolved, !r0_fails);
	CHECK_INT(TASK(r, "r1").failed, r1_fails);
	CHECK_INT(TASK(r, "r1").resolved, !r1_fails);
	CHECK_INT(TASK(r, "r2").resolved, 1);
	/* the server_error is billed none: only ok calls cost 1200 µUSD */
	CHECK_INT(r.totals.usd_total, (int64_t)(3 - r0_fails - r1_fails) * 1200 * PUSD);
	result_scenario_fini(&r);
}

static void calls_draw_two_seeds(void)
{
	draw_case(1, "0.2", 1, 0); /* 0.070419 < 0.2 fails; 0.296771 ok */
	draw_case(2, "0.2", 0, 0); /* 0.388763, 0.861150: both ok */
	draw_case(1, "0.3", 1, 1); /* 0.296771 < 0.3 fails too */
}

/* faults.inject: the first matching window of the call's model wins, with its rate and status. */
static void calls_inject_first_window(void)
{
	struct result_scenario r;
	/* q1 10:02 in windows 1 and 2 → window 1: rate_limited (billed input: 1000 µUSD, 1000 tokens);
	 * q2 10:07 in window 2 only → server_error (billed none);
	 * q3 10:12: only a large-m window there → small-m ok, 1200 µUSD;
	 * q4 10:16: window 4 (rate 0) before window 5 (rate 1) → ok. */
	const char *trace = REQ("10:02:00", "a", "q1", "") REQ("10:07:00", "a", "q2", "")
	                    REQ("10:12:00", "a", "q3", "") REQ("10:16:00", "a", "q4", "");
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 1}, "
	                "\"billing\": {\"failed\": {\"rate_limited\": \"input\", \"server_error\": \"none\"}}, "
	                "\"faults\": {\"inject\": ["
	                "{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T10:05:00Z\", \"status\": \"rate_limited\", \"rate\": 1},"
	                "{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T10:10:00Z\", \"status\": \"server_error\", \"rate\": 1},"
	                "{\"model\": \"large-m\", \"from\": \"2026-03-02T10:10:00Z\", \"to\": \"2026-03-02T10:15:00Z\", \"status\": \"timeout\", \"rate\": 1},"
	                "{\"model\": \"small-m\", \"from\": \"2026-03-02T10:15:00Z\", \"to\": \"2026-03-02T10:20:00Z\", \"rate\": 0},"
	                "{\"model\": \"small-m\", \"from\": \"2026-03-02T10:15:00Z\", \"to\": \"2026-03-02T10:20:00Z\", \"status\": \"server_error\", \"rate\": 1}]}}",
	                &r) < 0)
		return;
	struct metrics q1 = TASK(r, "q1"), q2 = TASK(r, "q2"), q3 = TASK(r, "q3"), q4 = TASK(r, "q4");
	CHECK_INT(q1.failed, 1);
	CHECK_INT(q1.input_tokens, 1000);
	CHECK_INT(q1.output_tokens, 0);
	CHECK_INT(q1.usd_total, 1000 * PUSD);
	CHECK_INT(q2.failed, 1);
	CHECK_INT(q2.calls, 1);
	CHECK_INT(q2.input_tokens, 0);
	CHECK_INT(q2.usd_total, 0);
	CHECK_INT(q3.resolved, 1);
	CHECK_INT(q3.usd_total, 1200 * PUSD);
	CHECK_INT(q4.resolved, 1);
	result_scenario_fini(&r);
}

/* An injected rate replaces the modelled rate, not a recorded attempt that is replayed. */
#define INJECT_ALL(recorded) SCN ", \"retry\": {\"max_attempts\": 1}, \"faults\": {" recorded \
	"\"inject\": [{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", " \
	"\"to\": \"2026-03-02T10:10:00Z\", \"rate\": 1}]}}"

static void calls_inject_keeps_recorded(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:02:00", "a", "t", OK_SMALL);
	/* recorded ok replayed (10 ms) although the window says rate 1 */
	if (replay_case(trace, INJECT_ALL(""), &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 10 * MS);
	result_scenario_fini(&r);
	/* not replayed: the window's rate 1 and status timeout (the default) → failed */
	if (replay_case(trace, INJECT_ALL("\"recorded\": false, "), &r) < 0)
		return;
	CHECK_INT(r.totals.failed, 1);
	result_scenario_fini(&r);
}

/* A call whose latency exceeds timeout_ms is a timeout that takes exactly timeout_ms. */
static void calls_timeout_caps_latency(void)
{
	struct result_scenario r;
	/* 1000 in, 600 out on small-m: 100 + 600 = 700 ms > 500 → timeout at 500 ms, billed full:
	 * 1000 × 1 + 600 × 2 = 2200 µUSD.  call 1 [0, 0.5]; retry after 100 ms at 0.6; call 2
	 * [0.6, 1.1]; give up at 1.1 s; chain ["small"] exhausted → degraded, latency 1.1 s. */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 600, ""),
	                SCN ", \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 100, \"timeout_ms\": 500}, "
	                "\"fallback\": {\"chain\": [\"small\"], \"degrade_tasks\": [\"t\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.degraded, 1);
	CHECK_INT(r.totals.resolved, 0);
	CHECK_INT(r.totals.input_tokens, 2000);
	CHECK_INT(r.totals.output_tokens, 1200);
	CHECK_INT(r.totals.usd_total, 2 * 2200 * PUSD);
	CHECK_INT(r.totals.retry_usd, 2200 * PUSD);
	CHECK_INT(r.totals.retry_tokens, 1600);
	CHECK_INT(r.totals.latency_p50_us, 1100 * MS);
	result_scenario_fini(&r);
	/* timeout_ms 700: 700 ms does not exceed it → ok in 700 ms */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 600, ""),
	                SCN ", \"retry\": {\"timeout_ms\": 700}}", &r) < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.latency_p50_us, 700 * MS);
	result_scenario_fini(&r);
}

/* timeout_ms null: a timeout keeps its recorded latency, else latency_ms_base. */
static void calls_timeout_null(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:00:00", "a", "t",
		ATTS(ATT("small-m", "timeout", LAT(45000)) "," ATT("small-m", "ok", LAT(50))));
	/* default 30000 ms: call 1 takes 30 s; retry at 30.5 s; ok in 50 ms → 30.55 s */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(r.totals.latency_p50_us, 30550 * MS);
	result_scenario_fini(&r);
	/* null: call 1 takes its recorded 45 s; retry at 45.5 s → 45.55 s */
	if (replay_case(trace, SCN ", \"retry\": {\"timeout_ms\": null}}", &r) < 0)
		return;
	CHECK_INT(r.totals.latency_p50_us, 45550 * MS);
	result_scenario_fini(&r);
	/* an injected timeout without recorded latency takes latency_ms_base (100 ms) */
	if (replay_case(REQ("10:00:00", "a", "t", ""),
	                SCN ", \"retry\": {\"max_attempts\": 1, \"timeout_ms\": null}, "
	                "\"fallback\": {\"chain\": [\"small\"], \"degrade_tasks\": [\"t\"]}, "
	                "\"faults\": {\"inject\": [{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", "
	                "\"to\": \"2026-03-02T11:00:00Z\", \"status\": \"timeout\", \"rate\": 1}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.degraded, 1);
	CHECK_INT(r.totals.latency_p50_us, 100 * MS);
	result_scenario_fini(&r);
}

/* A recorded ok slower than timeout_ms becomes a timeout. */
static void calls_recorded_latency_over_timeout(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:00:00", "a", "t", ",\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":31000");
	/* 31 s > 30 s: timeout at 30 s, billed full 1200 µUSD; retry at 30.5 s: no 2nd recorded
	 * attempt, minute 10:00 holds {ok: 1}, p = 0 → ok in 100 + 100 ms → 30.7 s; 2400 µUSD */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.usd_total, 2400 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 30700 * MS);
	result_scenario_fini(&r);
	/* without a client timeout: ok in 31 s */
	if (replay_case(trace, SCN ", \"retry\": {\"timeout_ms\": null}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.latency_p50_us, 31 * SEC);
	result_scenario_fini(&r);
}

/* Modelled latency = base + per token × billed (capped) output. */
static void calls_latency_modelled(void)
{
	struct result_scenario r;
	/* big → large-m, 300 out: 200 + 2 × 300 = 800 ms, 1000 × 10 + 300 × 20 = 16000 µUSD;
	 * cap → small-m, output capped 300 → 100: 100 + 100 = 200 ms, 1000 + 200 = 1200 µUSD */
	if (replay_case(REQN("10:00:00", "a", "big", 1000, 300, "") REQN("10:00:01", "a", "cap", 1000, 300, ""),
	                SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, "
	                "\"budget\": {\"cap\": {\"output_max\": 100}}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "big").latency_p50_us, 800 * MS);
	CHECK_INT(TASK(r, "big").usd_total, 16000 * PUSD);
	CHECK_INT(TASK(r, "cap").latency_p50_us, 200 * MS);
	CHECK_INT(TASK(r, "cap").output_tokens, 100);
	CHECK_INT(TASK(r, "cap").usd_total, 1200 * PUSD);
	CHECK_INT(TASK(r, "cap").output_capped, 1);
	result_scenario_fini(&r);
}

/* Cached tokens bill at the cached rate only on the request's recorded model, min(cached, input). */
static void calls_cached_recorded_model(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:00:00", "a", "t", ",\"model\":\"small-m\",\"cached_tokens\":400");
	/* small-m (recorded): 600 × 1 + 400 × 0.5 + 100 × 2 = 1000 µUSD */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(r.totals.cached_input_tokens, 400);
	CHECK_INT(r.totals.usd_total, 1000 * PUSD);
	result_scenario_fini(&r);
	/* large-m (not recorded): no cached part, 1000 × 10 + 100 × 20 = 12000 µUSD */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"large\"}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cached_input_tokens, 0);
	CHECK_INT(r.totals.usd_total, 12000 * PUSD);
	result_scenario_fini(&r);
	/* truncated to 300: cached min(400, 300) = 300: 0 × 1 + 300 × 0.5 + 100 × 2 = 350 µUSD */
	if (replay_case(trace, SCN ", \"budget\": {\"t\": {\"input_max\": 300}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.input_tokens, 300);
	CHECK_INT(r.totals.cached_input_tokens, 300);
	CHECK_INT(r.totals.usd_total, 350 * PUSD);
	result_scenario_fini(&r);
	/* a fallback onto the recorded model bills it cached too: large-m fails (server_error,
	 * billed none), small-m 1000 µUSD */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"large\"}, \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"chain\": [\"large\", \"small\"]}, \"faults\": {\"inject\": [{\"model\": \"large-m\", "
	                "\"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", \"status\": \"server_error\", "
	                "\"rate\": 1}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.cached_input_tokens, 400);
	CHECK_INT(r.totals.usd_total, 1000 * PUSD);
	result_scenario_fini(&r);
	/* attempts are authoritative: a line whose top-level model (large-m) is not its first
	 * attempt's (small-m) has small-m as its recorded model.  Routed large, the call replays
	 * large-m's first recorded attempt (ok) with no cached part: 1000 × 10 + 100 × 20 = 12000
	 * µUSD (the top-level model would have made it 600 × 10 + 400 × 5 + 100 × 20 = 10000) */
	if (replay_case(REQ("10:00:00", "a", "t", ",\"model\":\"large-m\",\"cached_tokens\":400,"
	                    "\"attempts\":[{\"model\":\"small-m\",\"status\":\"timeout\"},{\"model\":\"large-m\"}]"),
	                SCN ", \"routing\": {\"default\": \"large\"}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.cached_input_tokens, 0);
	CHECK_INT(r.totals.usd_total, 12000 * PUSD);
	result_scenario_fini(&r);
}

/* ======================= retry ======================= */

/* backoff_ms × 2^(k−1) between attempts; retries, retry_tokens, retry_usd. */
static void retry_backoff_doubles(void)
{
	struct result_scenario r;
	/* server_error billed "input" (1000 µUSD).  call 1 [0, .010] se; wait 100 ms × 2^0;
	 * call 2 [.110, .120] se; wait 100 × 2^1 = 200 ms; call 3 [.320, .330] ok (1200 µUSD).
	 * retries: calls 2, 3: tokens 1000 + 1100 = 2100, usd 1000 + 1200 = 2200 µUSD;
	 * total 1000 + 1000 + 1200 = 3200 µUSD; latency 330 ms */
	if (replay_case(REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                ATT("small-m", "server_error", LAT(10)) ","
	                                                ATT("small-m", "ok", LAT(10)))),
	                SCN ", \"retry\": {\"max_attempts\": 3, \"backoff_ms\": 100}, "
	                "\"billing\": {\"failed\": {\"server_error\": \"input\"}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.retries, 2);
	CHECK_INT(r.totals.retry_tokens, 2100);
	CHECK_INT(r.totals.retry_usd, 2200 * PUSD);
	CHECK_INT(r.totals.usd_total, 3200 * PUSD);
	CHECK_INT(r.totals.input_tokens, 3000);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 330 * MS);
	result_scenario_fini(&r);
}

/* The timeline runs to the last call, up to 1,000,000 buckets; a call past them is an error. */
static void retry_far_past_the_timeline(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* call 1 [10:00:00, .010] se, then a wait of backoff_ms: 3.6 · 10^9 ms = 3,600,000 s;
	 * call 2 at 10:00:00.010 + 3,600,000 s: bucket floor(3,600,000.01 / 60) = 60,000 of 60 s
	 * buckets from 10:00 → 60,001 buckets, the last with the retry */
	const char *trace = REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                   ATT("small-m", "ok", LAT(10))));
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 3600000000}}", &r) < 0)
		return;
	CHECK_INT(r.timeline.n_buckets, 60001);
	CHECK_INT(r.timeline.count[TL_RETRIES][60000], 1);
	result_scenario_fini(&r);
	/* 10^13 ms = 10^10 s: the retry's bucket is 166,666,666 → an error that says why */
	CHECK_INT(replay_text(trace, SCN ", \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 10000000000000}}",
	                      &r, &e), -1);
	CHECK_HAS(e.msg, "past the timeline's 1000000 buckets");
	CHECK_HAS(e.msg, "retry.backoff_ms");
}

/* A batch flushed past the timeline: the error names batch.interval_s among the waits, and
 * retry.backoff_ms only when a retry can wait. */
static void batch_far_past_the_timeline(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* one arrival (60 s buckets, 1,000,000 of them: 6 · 10^7 s); interval_s 10^9: the flush at
	 * the next multiple, epoch 2 · 10^9 s (`date -ud @2000000000`: 2033-05-18 03:33:20 UTC), is
	 * 227,554,400 s after 10:00:00 (epoch 1772445600), bucket 3,792,573 */
	const char *trace = REQ("10:00:00", "a", "rep", OK_SMALL);
	CHECK_INT(replay_text(trace, SCN ", \"batch\": {\"tasks\": [\"rep\"], \"interval_s\": 1000000000}}",
	                      &r, &e), -1);
	CHECK_HAS(e.msg, "a call or fallback at 2033-05-18T03:33:20Z lies past the timeline's 1000000 "
	          "buckets of 60 s from the first arrival; shorten the waits before it: retry.backoff_ms, "
	          "batch.interval_s, batch.latency_s, or calls' latencies, which retry.timeout_ms caps");
	CHECK_INT(replay_text(trace, SCN ", \"batch\": {\"tasks\": [\"rep\"], \"interval_s\": 1000000000}, "
	                      "\"retry\": {\"max_attempts\": 1, \"timeout_ms\": null}}", &r, &e), -1);
	CHECK_HAS(e.msg, "from the first arrival; shorten the waits before it: batch.interval_s, "
	          "batch.latency_s, or calls' latencies, which retry.timeout_ms (null) does not cap");
}

/* A recorded attempt past the timeline: the error names its request and the field that put it
 * there, its own ts or the latency_ms of the attempts before it. */
static void recorded_far_past_the_timeline(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* arrivals 10:00:00 and 10:00:01: 60 s buckets, 1,000,000 of them, 6 · 10^7 s from 10:00.
	 * attempts[0] lasts 10^13 ms = 10^10 s: attempts[1] starts at bucket 166,666,666 */
	CHECK_INT(replay_text(
		REQ("10:00:00", "a", "t", OK_SMALL)
		REQ("10:00:01", "b", "u", ATTS(ATT("small-m", "server_error", LAT(10000000000000)) ","
		                              ATT("small-m", "ok", LAT(10)))), RECORDED, &r, &e), -1);
	CHECK_HAS(e.msg, "the request at 2026-03-02T10:00:01Z (tenant b, task u; accepted line 2 of "
	          "the trace): attempts[1] starts at ");
	CHECK_HAS(e.msg, ", past the timeline's 1000000 buckets of 60 s from the first arrival "
	          "(attempts[0].latency_ms puts it there)");
	/* 4 · 10^10 ms = 4 · 10^7 s each: attempts[1] at bucket 666,666 (inside),
	 * attempts[2] at 8 · 10^7 s, bucket 1,333,333 */
	CHECK_INT(replay_text(
		REQ("10:00:00", "a", "t", OK_SMALL)
		REQ("10:00:01", "b", "u", ATTS(ATT("small-m", "server_error", LAT(40000000000)) ","
		                              ATT("small-m", "server_error", LAT(40000000000)) ","
		                              ATT("small-m", "ok", LAT(10)))), RECORDED, &r, &e), -1);
	CHECK_HAS(e.msg, "attempts[2] starts at ");
	CHECK_HAS(e.msg, "(the latency_ms of attempts[0] to [1] puts it there)");
	/* attempts[1] timed 2100-01-01, 74 years after the first arrival (> 6 · 10^7 s, 1.9 years) */
	CHECK_INT(replay_text(
		REQ("10:00:00", "a", "t", OK_SMALL)
		REQ("10:00:01", "b", "u", ATTS(ATT("small-m", "server_error", LAT(10)) ","
		                              ATT("small-m", "ok", ",\"ts\":\"2100-01-01T00:00:00Z\"" LAT(10)))),
		RECORDED, &r, &e), -1);
	CHECK_HAS(e.msg, "attempts[1] starts at 2100-01-01T00:00:00Z, past the timeline's 1000000 buckets "
	          "of 60 s from the first arrival (attempts[1].ts puts it there)");
}

/* A wait is backoff_ms × 2^(k−1) exactly however long (SPEC §4): no clamp inside the timeline. */
static void retry_backoff_of_centuries(void)
{
	struct result_scenario r;
	/* arrivals 100 days apart (2,400 h > 2,000 buckets of 1 h): buckets of a day from
	 * 2026-03-02T00:00Z, 1,000,000 of them (2,738 years).  backoff_ms 10^13 = 10^10 s:
	 * call 1 at 10:00:00 (36,000 s into the day) [0, .010] se; call 2 after 10^10 s, se;
	 * call 3 after 2 × 10^10 s, at 36,000.02 + 3 · 10^10 s: bucket floor(/ 86,400) = 347,222
	 * (a wait clamped at 10^10 s put it in bucket 231,481) */
	const char *trace = REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                   ATT("small-m", "server_error", LAT(10)) ","
	                                                   ATT("small-m", "ok", LAT(10))))
	                    "{\"ts\":\"2026-06-10T10:00:00Z\",\"tenant\":\"b\",\"task\":\"t\","
	                    "\"input_tokens\":1,\"output_tokens\":1" OK_SMALL "}\n";
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 3, \"backoff_ms\": 10000000000000}}",
	                &r) < 0)
		return;
	CHECK_INT(r.timeline.bucket_s, 86400);
	CHECK_INT(r.timeline.n_buckets, 347223);
	if (r.timeline.n_buckets == 347223)
		CHECK_INT(r.timeline.count[TL_RETRIES][347222], 1);
	CHECK_INT(r.totals.retries, 2);
	result_scenario_fini(&r);
}

/* max_attempts counts calls per model. */
static void retry_max_attempts_per_model(void)
{
	struct result_scenario r;
	const char *trace = REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                    ATT("small-m", "server_error", LAT(10)) ","
	                                                    ATT("small-m", "ok", LAT(10))));
	/* max 2: two server_errors, then give up (the 3rd recorded ok is never reached) */
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 100}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.failed, 1);
	result_scenario_fini(&r);
	/* with a fallback to large-m (injected server_error): 2 calls on small-m, then 2 more on
	 * large-m (its own count): 4 calls, retries = the 2nd on each = 2, 1 hop, failed */
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 2, \"backoff_ms\": 100}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"]}, \"faults\": {\"inject\": [{\"model\": \"large-m\", "
	                "\"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", \"status\": \"server_error\", "
	                "\"rate\": 1}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 4);
	CHECK_INT(r.totals.retries, 2);
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(model_calls(&r, "small-m"), 2);
	CHECK_INT(model_calls(&r, "large-m"), 2);
	result_scenario_fini(&r);
}

/* Only classes in retry.on are retried. */
static void retry_only_on_classes(void)
{
	struct result_scenario r;
	const char *trace =
		REQ("10:00:00", "a", "se", ATTS(ATT("small-m", "server_error", LAT(10)) "," ATT("small-m", "ok", LAT(10))))
		REQ("10:00:01", "a", "to", ATTS(ATT("small-m", "timeout", LAT(10)) "," ATT("small-m", "ok", LAT(10))))
		REQ("10:00:02", "a", "cf", ATTS(ATT("small-m", "content_filter", LAT(10)) "," ATT("small-m", "ok", LAT(10))));
	/* on ["timeout"]: se fails after 1 call; to: timeout takes 30 s (every timeout takes
	 * timeout_ms), retry at 30.1 s, ok at 30.11 s; cf fails, billed input 1000 µUSD */
	if (replay_case(trace, SCN ", \"retry\": {\"on\": [\"timeout\"], \"backoff_ms\": 100}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "se").calls, 1);
	CHECK_INT(TASK(r, "se").failed, 1);
	CHECK_INT(TASK(r, "to").calls, 2);
	CHECK_INT(TASK(r, "to").resolved, 1);
	CHECK_INT(TASK(r, "to").latency_p50_us, 30110 * MS);
	CHECK_INT(TASK(r, "cf").calls, 1);
	CHECK_INT(TASK(r, "cf").failed, 1);
	CHECK_INT(TASK(r, "cf").usd_total, 1000 * PUSD);
	result_scenario_fini(&r);
	/* the default on (the three transient classes): se retried (ok at .120 s), cf still not */
	if (replay_case(trace, SCN ", \"retry\": {\"backoff_ms\": 100}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "se").calls, 2);
	CHECK_INT(TASK(r, "se").resolved, 1);
	CHECK_INT(TASK(r, "se").latency_p50_us, 120 * MS);
	CHECK_INT(TASK(r, "cf").calls, 1);
	CHECK_INT(TASK(r, "cf").failed, 1);
	CHECK_INT(r.totals.retries, 2);
	result_scenario_fini(&r);
}

/* ======================= fallback ======================= */

/* The next chain entry after the route's position. */
static void fallback_after_route_position(void)
{
	struct result_scenario r;
	/* s (route small, position 0) fails at .010 → large-m (no large-m data in minute 10:00,
	 * p = 0): 200 + 200 = 400 ms → latency 410 ms, 12000 µUSD.
	 * big (route large, position 1, 10:01) replays its recorded large-m server_error: nothing
	 * after large → failed; small-m (before it) is not tried. */
	if (replay_case(REQ("10:00:00", "a", "s", SE_SMALL)
	                REQ("10:01:00", "a", "big", ",\"model\":\"large-m\",\"status\":\"server_error\",\"latency_ms\":10"),
	                SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, "
	                "\"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"]}}", &r) < 0)
		return;
	struct metrics s = TASK(r, "s"), big = TASK(r, "big");
	CHECK_INT(s.resolved, 1);
	CHECK_INT(s.fallbacks, 1);
	CHECK_INT(s.calls, 2);
	CHECK_INT(s.latency_p50_us, 410 * MS);
	CHECK_INT(s.usd_total, 12000 * PUSD);
	CHECK_INT(big.failed, 1);
	CHECK_INT(big.calls, 1);
	CHECK_INT(big.fallbacks, 0);
	result_scenario_fini(&r);
}

/* A route not in the chain tries every entry; models already tried are skipped. */
static void fallback_route_not_in_chain(void)
{
	struct result_scenario r;
	const char *faults = "\"faults\": {\"inject\": ["
		"{\"model\": \"other-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", \"status\": \"server_error\", \"rate\": 1},"
		"{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", \"status\": \"server_error\", \"rate\": 1}]}}";
	char scn[2048];
	/* route other (not in [small, large]): other-m fails (base latency 0) → small-m fails
	 * (100 ms) → large-m ok (400 ms): 2 hops, 3 calls, latency 500 ms */
	snprintf(scn, sizeof scn, "%s, \"routing\": {\"default\": \"other\"}, \"retry\": {\"max_attempts\": 1}, "
	         "\"fallback\": {\"chain\": [\"small\", \"large\"]}, %s", SCN, faults);
	if (replay_case(REQ("10:00:00", "a", "t", ""), scn, &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.requests_with_fallback, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 500 * MS);
	result_scenario_fini(&r);
	/* route small (not in [alt, large]); alt names small-m, already tried → skipped → large-m */
	snprintf(scn, sizeof scn, "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", "
	         "\"large\": \"large-m\", \"alt\": \"small-m\", \"other\": \"other-m\"}, \"retry\": {\"max_attempts\": 1}, "
	         "\"fallback\": {\"chain\": [\"alt\", \"large\"]}, %s", faults);
	if (replay_case(REQ("10:00:00", "a", "t", ""), scn, &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(model_calls(&r, "small-m"), 1);
	CHECK_INT(model_calls(&r, "large-m"), 1);
	result_scenario_fini(&r);
}

/* "Already tried" covers the models of earlier chain entries, even those before the route's
 * own position that the request never reached. */
static void fallback_skips_earlier_entries_models(void)
{
	struct result_scenario r;
	/* route small (position 1 of [alt, small, large]); small-m fails (server_error, rate 1, no
	 * retry, billed none). The entry after it, large, names large-m, which alt (position 0)
	 * names too: already tried → skipped → chain exhausted → failed. 1 call, 0 fallbacks,
	 * $0 (reading "tried" as "called" would fall back to large-m: 2 calls, resolved). */
	if (replay_case(REQ("10:00:00", "a", "t", ""),
	                "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": \"large-m\", "
	                "\"alt\": \"large-m\"}, \"routing\": {\"default\": \"small\"}, \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"chain\": [\"alt\", \"small\", \"large\"]}, \"faults\": {\"inject\": [{\"model\": "
	                "\"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", "
	                "\"status\": \"server_error\", \"rate\": 1}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.usd_total, 0);
	CHECK_INT(model_calls(&r, "large-m"), 0);
	result_scenario_fini(&r);
}

/* Only classes in fallback.on fall back. */
static void fallback_only_on_classes(void)
{
	struct result_scenario r;
	/* se: server_error not in ["timeout"] → failed, no hop;
	 * to: timeout (takes 30 s) → large-m ok 400 ms → latency 30.4 s */
	if (replay_case(REQ("10:00:00", "a", "se", SE_SMALL)
	                REQ("10:00:01", "a", "to", ",\"model\":\"small-m\",\"status\":\"timeout\",\"latency_ms\":10"),
	                SCN ", \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"], \"on\": [\"timeout\"]}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "se").failed, 1);
	CHECK_INT(TASK(r, "se").fallbacks, 0);
	CHECK_INT(TASK(r, "se").calls, 1);
	CHECK_INT(TASK(r, "to").resolved, 1);
	CHECK_INT(TASK(r, "to").fallbacks, 1);
	CHECK_INT(TASK(r, "to").latency_p50_us, 30400 * MS);
	result_scenario_fini(&r);
}

/* A breaker_open rejection always qualifies for the fallback. */
static void fallback_breaker_open_qualifies(void)
{
	struct result_scenario r;
	/* r0: server_error (not in on) → failed; the breaker (window 1, ratio 1) hears it at .010
	 * and opens for 100 s.  r1 at 10:00:01: small-m rejected (unbilled, not a call) →
	 * breaker_open qualifies although on = ["timeout"] → large-m ok in 400 ms */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:01", "a", "r1", ""),
	                SCN ", \"retry\": {\"max_attempts\": 1}, "
	                "\"breaker\": {\"window\": 1, \"failure_ratio\": 1, \"open_s\": 100}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"], \"on\": [\"timeout\"]}}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r0").failed, 1);
	CHECK_INT(TASK(r, "r1").resolved, 1);
	CHECK_INT(TASK(r, "r1").fallbacks, 1);
	CHECK_INT(TASK(r, "r1").calls, 1);
	CHECK_INT(TASK(r, "r1").latency_p50_us, 400 * MS);
	CHECK_INT(r.totals.breaker_rejections, 1);
	CHECK_INT(r.totals.calls, 2);
	result_scenario_fini(&r);
}

/* A fallback counts when the gates admit it, even if the breaker then rejects its call. */
static void fallback_counts_when_breaker_rejects(void)
{
	struct result_scenario r;
	/* window 1, ratio 1, open 100 s.  big (route large) replays a large-m server_error at
	 * 10:00:00.010: large-m's breaker opens; nothing after large in the chain → failed.
	 * s (10:00:01) fails on small-m at 1.010 → the hop to large-m is admitted (1 fallback),
	 * then rejected by the open breaker (no call) → chain exhausted → failed */
	if (replay_case(REQ("10:00:00", "a", "big", ",\"model\":\"large-m\",\"status\":\"server_error\",\"latency_ms\":10")
	                REQ("10:00:01", "a", "s", SE_SMALL),
	                SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, "
	                "\"retry\": {\"max_attempts\": 1}, \"breaker\": {\"window\": 1, \"failure_ratio\": 1, \"open_s\": 100}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"]}}", &r) < 0)
		return;
	struct metrics s = TASK(r, "s");
	CHECK_INT(s.fallbacks, 1);
	CHECK_INT(s.requests_with_fallback, 1);
	CHECK_INT(s.breaker_rejections, 1);
	CHECK_INT(s.calls, 1);
	CHECK_INT(s.failed, 1);
	CHECK_INT(TASK(r, "big").failed, 1);
	CHECK_INT(r.totals.calls, 2);
	result_scenario_fini(&r);
}

/* A breaker_open rejection qualifies for the fallback, but the gates still apply: the rate
 * gate counts a request that has made no call yet in its denominator. */
static void fallback_breaker_open_rate_gate(void)
{
	struct result_scenario r;
	/* max_rate 0.5, window 300 s; breaker window 1, ratio 1, open 100 s.
	 * r0 (0): small-m server_error at .010 opens small-m's breaker until 100.010; the gate:
	 *   first calls {r0} = 1, first fallbacks 0 → admitted; large-m (no data, p = 0) ok in
	 *   400 ms: 1000 × 10 + 100 × 20 = 12000 µUSD, latency 410 ms.
	 * r1 (1): small-m rejected (no call, unbilled) → the fallback qualifies; the gate at 1:
	 *   first calls {r0} = 1 plus r1 itself (no call yet) = 2, first fallbacks {r0} = 1 →
	 *   0.5, not above → admitted: large-m ok, 12000 µUSD, latency 400 ms.  (Without r1 in
	 *   the denominator: 1/1 → denied.)
	 * r2 (2): rejected likewise; the gate at 2: first calls {r0 at 0, r1 on large-m at 1} = 2
	 *   plus r2 = 3, first fallbacks {r0, r1} = 2 → 0.667 > 0.5 → denied → failed (no
	 *   degrade_tasks), no call.
	 * breaker_rejections 2 (r1, r2), fallbacks 2 (r0, r1), denied 1 (r2), calls 2 + 1 = 3,
	 * 2 × 12000 = 24000 µUSD (r0's server_error bills none). */
	if (replay_case(REQ("10:00:00", "r0", "t", SE_SMALL) REQ("10:00:01", "r1", "t", OK_SMALL)
	                REQ("10:00:02", "r2", "t", OK_SMALL),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"breaker\": {\"window\": 1, \"failure_ratio\": 1, \"open_s\": 100}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"], \"max_rate\": 0.5, \"rate_window_s\": 300}}", &r) < 0)
		return;
	struct metrics r1 = TENANT(r, "r1"), r2 = TENANT(r, "r2");
	CHECK_INT(r1.breaker_rejections, 1);
	CHECK_INT(r1.fallbacks, 1);
	CHECK_INT(r1.resolved, 1);
	CHECK_INT(r1.latency_p50_us, 400 * MS);
	CHECK_INT(r2.breaker_rejections, 1);
	CHECK_INT(r2.fallbacks, 0);
	CHECK_INT(r2.fallbacks_denied, 1);
	CHECK_INT(r2.failed, 1);
	CHECK_INT(r2.calls, 0);
	CHECK_INT(r2.usd_total, 0);
	CHECK_INT(TENANT(r, "r0").resolved, 1);
	CHECK_INT(r.totals.breaker_rejections, 2);
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.fallbacks_denied, 1);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.usd_total, 24000 * PUSD);
	result_scenario_fini(&r);
}

/*
 * tenant_inflight_cap 1.  Every request fails on small-m at +10 ms; a fallback runs on
 * large-m for 400 ms.  early (tenant a, 0.000): admitted, in flight [.010, .410];
 * mid (a, .100): gives up at .110 with early in flight → denied, failed;
 * other (b, .100): another tenant → admitted;
 * late (a, .400): gives up at .410, the instant early's fallback ends → no longer in
 * flight → admitted.
 */
static void tenant_cap_case(const char *trace)
{
	struct result_scenario r;
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"], \"tenant_inflight_cap\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 3);
	CHECK_INT(r.totals.fallbacks_denied, 1);
	CHECK_INT(TASK(r, "mid").fallbacks_denied, 1);
	CHECK_INT(TASK(r, "mid").failed, 1);
	CHECK_INT(TASK(r, "early").resolved, 1);
	CHECK_INT(TASK(r, "other").resolved, 1);
	CHECK_INT(TASK(r, "late").resolved, 1);
	CHECK_INT(TASK(r, "late").fallbacks, 1);
	result_scenario_fini(&r);
}

static void fallback_tenant_cap(void)
{
	/* early's end at .410 comes first in index order */
	tenant_cap_case(REQ("10:00:00", "a", "early", SE_SMALL) REQ("10:00:00.1", "a", "mid", SE_SMALL)
	                REQ("10:00:00.1", "b", "other", SE_SMALL) REQ("10:00:00.4", "a", "late", SE_SMALL));
}

static void fallback_tenant_cap_ends_at_t(void)
{
	/* late is line 0, so its give-up at .410 runs before early's (line 1) end at .410;
	 * a fallback that ends at t is still no longer in flight at t */
	tenant_cap_case(REQ("10:00:00.4", "a", "late", SE_SMALL) REQ("10:00:00", "a", "early", SE_SMALL)
	                REQ("10:00:00.1", "a", "mid", SE_SMALL) REQ("10:00:00.1", "b", "other", SE_SMALL));
}

/* A fallback stays in flight while it waits out a retry's backoff. */
static void fallback_tenant_cap_counts_backoff(void)
{
	struct result_scenario r;
	/* tenant_inflight_cap 1; retry only server_error, max 2, backoff 500 ms; fallback on
	 * invalid_request and server_error.  J and I are both tenant a; nothing is billed but
	 * J's last call (invalid_request and server_error bill none).
	 * J (0.000): small-m replays invalid_request (10 ms), not retried: gives up at .010, the
	 *   gates admit it (nothing in flight); large-m call 1 replays the first large-m attempt,
	 *   server_error at .020; backoff 500 ms × 2^0 → call 2 at .520 replays ok (10 ms): J
	 *   answers at .530 (latency 530 ms), in flight over [.010, .530].
	 * I (0.100): invalid_request at .110, while J's fallback waits for its retry: 1 in
	 *   flight = the cap → denied; I fails (no degrade_tasks).  (Were J out of flight during
	 *   the backoff, I would be admitted: 2 fallbacks.)
	 * cost: J's large-m ok, 1000 × 10 + 100 × 20 = 12000 µUSD */
	if (replay_case(REQ("10:00:00", "a", "J", ATTS(ATT("small-m", "invalid_request", LAT(10)) ","
	                                                ATT("large-m", "server_error", LAT(10)) ","
	                                                ATT("large-m", "ok", LAT(10))))
	                REQ("10:00:00.1", "a", "I", ATTS(ATT("small-m", "invalid_request", LAT(10)))),
	                SCN ", \"retry\": {\"max_attempts\": 2, \"on\": [\"server_error\"], \"backoff_ms\": 500}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"], \"on\": [\"invalid_request\", \"server_error\"], "
	                "\"tenant_inflight_cap\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.fallbacks_denied, 1);
	CHECK_INT(TASK(r, "I").fallbacks_denied, 1);
	CHECK_INT(TASK(r, "I").failed, 1);
	CHECK_INT(TASK(r, "J").resolved, 1);
	CHECK_INT(TASK(r, "J").calls, 3);
	CHECK_INT(TASK(r, "J").latency_p50_us, 530 * MS);
	CHECK_INT(r.totals.usd_total, 12000 * PUSD);
	result_scenario_fini(&r);
}

/* A retry due at its breaker's open_until is that breaker's probe, not a rejection: its fallback
 * stays in flight at that instant, and the tenant cap still counts it. */
static void fallback_tenant_cap_probe_at_open_until(void)
{
	struct result_scenario r;
	/* tenant_inflight_cap 1; retry only timeout, max 2, backoff 1000 ms, timeout_ms 100;
	 * fallback on invalid_request and timeout; breaker window 1, ratio 1, open 1 s.  B is
	 * line 0 and A line 1, both tenant a; invalid_request bills none, timeout bills in full.
	 * A (0.000): small-m invalid_request (10 ms) → gives up at .010, admitted (nothing in
	 *   flight); large-m call 1 replays timeout: 100 ms, ends .110 (12000 µUSD), which opens
	 *   large-m's breaker until 1.110; backoff 1000 ms → its retry is due at 1.110.
	 * B (1.100): small-m invalid_request → gives up at 1.110, before A's retry (index 0 < 1).
	 *   A's fallback is in flight (1 = the cap) and its retry at 1.110 is not rejected: the
	 *   breaker's open_s is over at 1.110, so it lets that call through as its probe.  B is
	 *   denied and fails.
	 * A's retry at 1.110 replays large-m ok (50 ms, 12000 µUSD): A answers at 1.160.
	 * (Were A's retry counted as ending at 1.110, B would be admitted and take the probe.) */
	if (replay_case(REQ("10:00:01.1", "a", "B", ATTS(ATT("small-m", "invalid_request", LAT(10))))
	                REQ("10:00:00", "a", "A", ATTS(ATT("small-m", "invalid_request", LAT(10)) ","
	                                                ATT("large-m", "timeout", LAT(50)) ","
	                                                ATT("large-m", "ok", LAT(50)))),
	                SCN ", \"retry\": {\"max_attempts\": 2, \"on\": [\"timeout\"], \"backoff_ms\": 1000, "
	                "\"timeout_ms\": 100}, \"fallback\": {\"chain\": [\"small\", \"large\"], "
	                "\"on\": [\"invalid_request\", \"timeout\"], \"tenant_inflight_cap\": 1}, "
	                "\"breaker\": {\"window\": 1, \"failure_ratio\": 1, \"open_s\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.fallbacks_denied, 1);
	CHECK_INT(r.totals.breaker_rejections, 0);
	CHECK_INT(TASK(r, "B").fallbacks_denied, 1);
	CHECK_INT(TASK(r, "B").failed, 1);
	CHECK_INT(TASK(r, "A").resolved, 1);
	CHECK_INT(TASK(r, "A").calls, 3);
	CHECK_INT(TASK(r, "A").latency_p50_us, 1160 * MS);
	CHECK_INT(r.totals.usd_total, 24000 * PUSD);
	result_scenario_fini(&r);
}

/* max_rate over rate_window_s: at the limit is admitted, above it denied. */
static void fallback_rate_gate(void)
{
	struct result_scenario r;
	/* max_rate 0.5, window 300 s; tenants r0, r1, r2 (task t, degradable) fail at +10 ms.
	 * r0 at .010: first calls {r0} = 1, first fallbacks 0 → 0 ≤ 0.5 → admitted;
	 * r1 at 1.010: calls {r0, r1} = 2, fallbacks {r0} = 1 → 0.5, not above → admitted;
	 * r2 at 2.010: calls 3, fallbacks 2 → 0.667 > 0.5 → denied → degraded, latency 10 ms */
	if (replay_case(REQ("10:00:00", "r0", "t", SE_SMALL) REQ("10:00:01", "r1", "t", SE_SMALL)
	                REQ("10:00:02", "r2", "t", SE_SMALL),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"], "
	                "\"max_rate\": 0.5, \"rate_window_s\": 300, \"degrade_tasks\": [\"t\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.fallbacks_denied, 1);
	CHECK_INT(TENANT(r, "r1").fallbacks, 1);
	CHECK_INT(TENANT(r, "r1").resolved, 1);
	CHECK_INT(TENANT(r, "r2").fallbacks_denied, 1);
	CHECK_INT(TENANT(r, "r2").degraded, 1);
	CHECK_INT(TENANT(r, "r2").latency_p50_us, 10 * MS);
	CHECK_INT(r.totals.resolved, 2);
	result_scenario_fini(&r);
}

/* The current request is in the rate gate's denominator even when its first call is older. */
static void fallback_rate_gate_counts_current(void)
{
	struct result_scenario r;
	/* max_rate 0.5, window 1 s.
	 * r0 at 0: fails at .010 → calls {r0}, fallbacks 0 → admitted.
	 * r1 at 0.5: server_error after 2 s → gives up at 2.5.
	 * r2 at 2.0: fails at 2.010; window (1.010, 2.010]: calls {r2} = 1, fallbacks 0 → admitted.
	 * r1 at 2.5: window (1.5, 2.5]: calls {r2} + r1 itself (first call 0.5, outside) = 2,
	 *   fallbacks {r2 at 2.010} = 1 → 0.5, not above → admitted (1/1 without r1: denied). */
	if (replay_case(REQ("10:00:00", "r0", "t", SE_SMALL)
	                REQ("10:00:00.5", "r1", "t", ",\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":2000")
	                REQ("10:00:02", "r2", "t", SE_SMALL),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"], "
	                "\"max_rate\": 0.5, \"rate_window_s\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 3);
	CHECK_INT(r.totals.fallbacks_denied, 0);
	CHECK_INT(TENANT(r, "r1").resolved, 1);
	result_scenario_fini(&r);
}

/* The rate window (t − rate_window_s, t] is open on the left: a first call at t − rate_window_s is out. */
static void fallback_rate_window_left_open(void)
{
	struct result_scenario r;
	/* max_rate 0.5, window 1 s; tenants r0, r1 fail on small-m at +10 ms.
	 * r0 (0.000): gives up at .010; window (−0.990, .010]: first calls {r0} = 1, first
	 *   fallbacks 0 → admitted; its first fallback begins at .010 (large-m ok, 400 ms,
	 *   1000 × 10 + 100 × 20 = 12000 µUSD).
	 * r1 (0.990): gives up at 1.000; window (0.000, 1.000]: r0's first call at 0.000 is out,
	 *   r1's at .990 in → 1; r0's first fallback at .010 in → 1: 1 > 0.5 → denied, r1 fails.
	 *   (A closed window [0.000, 1.000] would hold both first calls: 1/2 = 0.5, admitted.) */
	if (replay_case(REQ("10:00:00", "r0", "t", SE_SMALL) REQ("10:00:00.99", "r1", "t", SE_SMALL),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"], "
	                "\"max_rate\": 0.5, \"rate_window_s\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.fallbacks_denied, 1);
	CHECK_INT(TENANT(r, "r0").resolved, 1);
	CHECK_INT(TENANT(r, "r1").fallbacks_denied, 1);
	CHECK_INT(TENANT(r, "r1").failed, 1);
	CHECK_INT(r.totals.usd_total, 12000 * PUSD);
	result_scenario_fini(&r);
}

/* The current request joins the rate gate's denominator when its own first call began exactly
 * at t − rate_window_s: that call is out of the window (t − w, t], so it is counted as the
 * current request's. */
static void fallback_rate_gate_own_call_at_edge(void)
{
	struct result_scenario r;
	/* max_rate 0.5, window 1 s.
	 * r1 (0.5): small-m fails at .510; window (−0.490, .510]: first calls {r0 at 0, r1} = 2,
	 *   fallbacks 0 → admitted; large-m answers (200 + 2 × 100 = 400 ms).
	 * r0 (0.000): small-m server_error after 1000 ms → gives up at 1.000; window (0, 1]:
	 *   first calls {r1} = 1 (r0's at 0.000 = t − 1 s is out) + r0 itself = 2, first
	 *   fallbacks {r1 at .510} = 1 → 0.5, not above → admitted.  (Without r0 in the
	 *   denominator: 1/1 > 0.5, denied.) */
	if (replay_case(REQ("10:00:00", "r0", "t", ",\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":1000")
	                REQ("10:00:00.5", "r1", "t", SE_SMALL),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"], "
	                "\"max_rate\": 0.5, \"rate_window_s\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.fallbacks_denied, 0);
	CHECK_INT(TENANT(r, "r0").fallbacks, 1);
	CHECK_INT(TENANT(r, "r0").resolved, 1);
	CHECK_INT(r.totals.resolved, 2);
	result_scenario_fini(&r);
}

/* The rate gate counts requests whose first fallback began in the window: a request's later hops
 * do not count again. */
static void fallback_rate_gate_counts_first_hop_once(void)
{
	struct result_scenario r;
	/* max_rate 1, window 1 s; chain small, large, other.
	 * r0 (0.000): small-m server_error after 500 ms → gives up at .500; window (−0.5, .5]:
	 *   first calls {r0} = 1, first fallbacks 0 → admitted; its first fallback, large-m,
	 *   begins at .500 and replays server_error after 100 ms → gives up at .600; window
	 *   (−0.4, .6]: first calls {r0} = 1, first fallbacks {r0 at .5} = 1 → 1, not above 1 →
	 *   admitted; other-m (second hop, not a first fallback) answers ok at .610.
	 * r1 (0.990): small-m server_error at 1.000; window (0, 1]: first calls {r1} = 1 (r0's
	 *   at 0.000 is out), first fallbacks {r0 at .5} = 1 → 1/1, not above 1 → admitted;
	 *   large-m replays ok in 10 ms: resolved at 1.010, latency 20 ms.
	 *   (Counting r0's second hop at .6 too: 2/1 > 1, denied, and r1 fails.) */
	if (replay_case(REQ("10:00:00", "r0", "t", ATTS(ATT("small-m", "server_error", LAT(500)) ","
	                                                ATT("large-m", "server_error", LAT(100)) ","
	                                                ATT("other-m", "ok", LAT(10))))
	                REQ("10:00:00.99", "r1", "t", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                   ATT("large-m", "ok", LAT(10)))),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\", "
	                "\"other\"], \"max_rate\": 1, \"rate_window_s\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 3);
	CHECK_INT(r.totals.fallbacks_denied, 0);
	CHECK_INT(TENANT(r, "r0").fallbacks, 2);
	CHECK_INT(TENANT(r, "r0").resolved, 1);
	CHECK_INT(TENANT(r, "r0").latency_p50_us, 610 * MS);
	CHECK_INT(TENANT(r, "r1").fallbacks, 1);
	CHECK_INT(TENANT(r, "r1").resolved, 1);
	CHECK_INT(TENANT(r, "r1").latency_p50_us, 20 * MS);
	result_scenario_fini(&r);
}

/* usd_per_hour_cap over calls begun in (t − 1 h, t]; a denied fallback tries no further entry. */
static void spend_gate_case(const char *cap, int r1_admitted)
{
	struct result_scenario r;
	char scn[1024];
	snprintf(scn, sizeof scn, SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": "
	         "[\"small\", \"large\", \"other\"], \"usd_per_hour_cap\": %s}}", cap);
	/* r0 10:00:00: small-m fails (billed none) → spend 0 → large-m from 10:00:00.010, 12000 µUSD.
	 * r1 10:01:00.010: spend in the last hour 12000 µUSD: above 0.01 USD (10000 µUSD) → denied,
	 *   and other-m (next entry) is not tried: 1 call; at a cap of 0.012 it is not above → admitted.
	 * r2 11:00:00.010: (10:00:00.010, 11:00:00.010] excludes r0's large-m call → spend 0 (or
	 *   r1's 12000 when admitted at 10:01:00.010 — not above 0.012) → admitted. */
	if (replay_case(REQ("10:00:00", "r0", "t", SE_SMALL) REQ("10:01:00", "r1", "t", SE_SMALL)
	                REQ("11:00:00", "r2", "t", SE_SMALL), scn, &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 2 + r1_admitted);
	CHECK_INT(r.totals.fallbacks_denied, !r1_admitted);
	CHECK_INT(TENANT(r, "r1").calls, 1 + r1_admitted);
	CHECK_INT(TENANT(r, "r1").failed, !r1_admitted);
	CHECK_INT(TENANT(r, "r2").resolved, 1);
	CHECK_INT(model_calls(&r, "other-m"), 0);
	result_scenario_fini(&r);
}

static void fallback_spend_gate(void)
{
	spend_gate_case("0.01", 0);
	spend_gate_case("0.012", 1);
}

/* Unanswered: degraded (in degrade_tasks: no answer cost, not resolved, latency) vs failed. */
static void fallback_degraded_vs_failed(void)
{
	struct result_scenario r;
	/* both fail on small-m (server_error billed "input": 1000 µUSD each, which stays billed);
	 * chain ["small"] is exhausted; faq is degraded with latency 10 ms, other failed (no latency) */
	const char *trace = REQ("10:00:00", "a", "faq", SE_SMALL) REQ("10:00:01", "a", "other", SE_SMALL);
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 1}, \"billing\": {\"failed\": {\"server_error\": \"input\"}}, "
	                "\"fallback\": {\"chain\": [\"small\"], \"degrade_tasks\": [\"faq\"]}}", &r) < 0)
		return;
	struct derived d;
	CHECK_INT(r.totals.degraded, 1);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.resolved, 0);
	CHECK_INT(r.totals.usd_total, 2000 * PUSD);
	CHECK_INT(TASK(r, "faq").degraded, 1);
	CHECK_INT(TASK(r, "faq").usd_total, 1000 * PUSD);
	CHECK_INT(TASK(r, "faq").latency_p50_us, 10 * MS);
	CHECK_INT(TASK(r, "other").failed, 1);
	CHECK_INT(TASK(r, "other").latency_p50_us, -1);
	CHECK_INT(r.totals.latency_p50_us, 10 * MS);
	result_derive(&r, &r.totals, &d);
	CHECK_INT(d.usd_per_resolved_null, 1);
	result_scenario_fini(&r);
	/* without a fallback section every unanswered request fails */
	if (replay_case(trace, SCN ", \"retry\": {\"max_attempts\": 1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.failed, 2);
	CHECK_INT(r.totals.degraded, 0);
	CHECK_INT(r.totals.latency_p50_us, -1);
	result_scenario_fini(&r);
}

/* A failed summary and a class not in fallback.on also leave the request unanswered:
 * degraded when its task is in degrade_tasks (its calls stay billed), else failed. */
static void fallback_degrade_summary_and_class(void)
{
	struct result_scenario r;
	/* degrade_tasks [d_sum, d_cls]; chain [small, large], fallback.on the default (the three
	 * transient classes); one attempt; server_error billed "input".
	 * d_sum, f_sum: input 1000 > 500 → summary on small-m (1000 in, ceil(1000 × 0.1) = 100
	 *   out), modelled: the injected server_error at rate 1 → fails after latency_ms_base
	 *   100 ms, billed input 1000 × 1 = 1000 µUSD; no fallback for a summary, though
	 *   server_error is in fallback.on and large is next in the chain; no main call.
	 * d_cls, f_cls: replay their recorded small-m content_filter (10 ms; a recorded outcome
	 *   is kept over the injected rate), not in retry.on nor fallback.on → no fallback;
	 *   content_filter billed "input" (the default): 1000 µUSD.
	 * d_*: degraded, latency 100 / 10 ms; f_*: failed, no latency.  4 calls, none resolved,
	 * no fallback, 4 × 1000 = 4000 µUSD; latencies {10, 100} ms: p50 = rank 1 → 10 ms. */
	if (replay_case(REQ("10:00:00", "a", "d_sum", "") REQ("10:00:01", "a", "f_sum", "")
	                REQ("10:00:02", "a", "d_cls", ATTS(ATT("small-m", "content_filter", LAT(10))))
	                REQ("10:00:03", "a", "f_cls", ATTS(ATT("small-m", "content_filter", LAT(10)))),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"billing\": {\"failed\": {\"server_error\": \"input\"}}, "
	                "\"budget\": {\"d_sum\": {\"input_max\": 500, \"overflow\": \"summarize\"}, "
	                "\"f_sum\": {\"input_max\": 500, \"overflow\": \"summarize\"}}, "
	                "\"summarize\": {\"route\": \"small\", \"ratio\": 0.1}, "
	                "\"fallback\": {\"chain\": [\"small\", \"large\"], \"degrade_tasks\": [\"d_sum\", \"d_cls\"]}, "
	                "\"faults\": {\"inject\": [" INJ("small-m", "server_error", 1) "]}}", &r) < 0)
		return;
	struct metrics d_sum = TASK(r, "d_sum"), f_sum = TASK(r, "f_sum"), d_cls = TASK(r, "d_cls"),
		f_cls = TASK(r, "f_cls");
	CHECK_INT(d_sum.summarized, 1);
	CHECK_INT(d_sum.degraded, 1);
	CHECK_INT(d_sum.failed, 0);
	CHECK_INT(d_sum.calls, 1);
	CHECK_INT(d_sum.usd_total, 1000 * PUSD);
	CHECK_INT(d_sum.latency_p50_us, 100 * MS);
	CHECK_INT(f_sum.failed, 1);
	CHECK_INT(f_sum.degraded, 0);
	CHECK_INT(f_sum.usd_total, 1000 * PUSD);
	CHECK_INT(f_sum.latency_p50_us, -1);
	CHECK_INT(d_cls.degraded, 1);
	CHECK_INT(d_cls.failed, 0);
	CHECK_INT(d_cls.calls, 1);
	CHECK_INT(d_cls.usd_total, 1000 * PUSD);
	CHECK_INT(d_cls.latency_p50_us, 10 * MS);
	CHECK_INT(f_cls.failed, 1);
	CHECK_INT(f_cls.degraded, 0);
	CHECK_INT(f_cls.latency_p50_us, -1);
	CHECK_INT(r.totals.degraded, 2);
	CHECK_INT(r.totals.failed, 2);
	CHECK_INT(r.totals.resolved, 0);
	CHECK_INT(r.totals.calls, 4);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.usd_total, 4000 * PUSD);
	CHECK_INT(r.totals.latency_p50_us, 10 * MS);
	result_scenario_fini(&r);
}

/* fallbacks counts hops; fallback_rate = requests with a fallback ÷ requests with a call. */
static void fallback_hops_and_rate(void)
{
	struct result_scenario r;
	/* two: route other → small-m → large-m: 2 hops; one: route small → large-m: 1 hop;
	 * big: route large, ok: none; rej: rejected by its budget, no call.
	 * fallbacks 3, requests with a fallback 2, with a call 3 → rate 2/3 */
	if (replay_case(REQ("10:00:00", "a", "two", "") REQ("10:00:01", "a", "one", "") REQ("10:00:02", "a", "big", "")
	                REQ("10:00:03", "a", "rej", ""),
	                SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"two\"}, \"route\": \"other\"}, "
	                "{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, "
	                "\"budget\": {\"rej\": {\"input_max\": 10, \"overflow\": \"reject\"}}, "
	                "\"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"]}, "
	                "\"faults\": {\"inject\": ["
	                "{\"model\": \"other-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", \"rate\": 1},"
	                "{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", \"rate\": 1}]}}",
	                &r) < 0)
		return;
	struct derived d;
	CHECK_INT(r.totals.fallbacks, 3);
	CHECK_INT(r.totals.requests_with_fallback, 2);
	CHECK_INT(r.totals.requests_with_call, 3);
	CHECK_INT(r.totals.rejected, 1);
	CHECK_INT(r.totals.resolved, 3);
	CHECK_INT(TASK(r, "two").fallbacks, 2);
	result_derive(&r, &r.totals, &d);
	CHECK_NEAR(d.fallback_rate, 2.0 / 3.0);
	result_scenario_fini(&r);
}

/* ======================= breaker ======================= */

#define BREAKER(window, ratio, open) SCN ", \"retry\": {\"max_attempts\": 1}, \"breaker\": {\"window\": " #window \
	", \"failure_ratio\": " #ratio ", \"open_s\": " #open "}"

/* Opens once the window is full and failures ≥ ratio × window; rejections are unbilled. */
static void breaker_opens_when_full(void)
{
	struct result_scenario r;
	/* window 3, ratio 0.5: opens at ≥ 1.5 failures of 3 outcomes.
	 * r0 (0) fails → [F]; r1 (1 s) fails → [F F] (not full: r2 still goes through);
	 * r2 (2 s) ok → [F F ok] at 2.010: 2 ≥ 1.5 → open until 12.010;
	 * r3 (5 s) rejected: no call, no cost, failed (no fallback section) */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:01", "a", "r1", SE_SMALL)
	                REQ("10:00:02", "a", "r2", OK_SMALL) REQ("10:00:05", "a", "r3", OK_SMALL),
	                BREAKER(3, 0.5, 10) "}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r2").resolved, 1);
	CHECK_INT(TASK(r, "r3").breaker_rejections, 1);
	CHECK_INT(TASK(r, "r3").calls, 0);
	CHECK_INT(TASK(r, "r3").usd_total, 0);
	CHECK_INT(TASK(r, "r3").failed, 1);
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.breaker_rejections, 1);
	result_scenario_fini(&r);
}

/* Three recorded failures of one class on small-m, then r3 at 10:00:40 (recorded ok). */
#define THREE_THEN_OK(status) \
	REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", status, LAT(10)))) \
	REQ("10:00:01", "a", "r1", ATTS(ATT("small-m", status, LAT(10)))) \
	REQ("10:00:02", "a", "r2", ATTS(ATT("small-m", status, LAT(10)))) \
	REQ("10:00:40", "a", "r3", OK_SMALL)

/* window 3, ratio 1: opens when all 3 outcomes of a full window are failures, and only
 * TRANSIENT_INFRA classes are failures.  The outcomes end at .010, 1.010, 2.010 (timeouts
 * take timeout_ms, 30 s: at 30, 31, 32), all before r3 at 40 s; open 100 s → r3 is
 * rejected when they count (3 calls), else it replays its ok (4 calls). */
static void breaker_class_case(const char *trace, int opens)
{
	struct result_scenario r;
	if (replay_case(trace, BREAKER(3, 1, 100) "}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r3").breaker_rejections, opens);
	CHECK_INT(TASK(r, "r3").resolved, !opens);
	CHECK_INT(r.totals.breaker_rejections, opens);
	CHECK_INT(r.totals.calls, 4 - opens);
	result_scenario_fini(&r);
}

/* Only timeout, rate_limited and server_error count toward the breaker. */
static void breaker_counts_transient_only(void)
{
	breaker_class_case(THREE_THEN_OK("timeout"), 1);
	breaker_class_case(THREE_THEN_OK("rate_limited"), 1);
	breaker_class_case(THREE_THEN_OK("server_error"), 1);
	breaker_class_case(THREE_THEN_OK("invalid_request"), 0);
	breaker_class_case(THREE_THEN_OK("content_filter"), 0);
	breaker_class_case(THREE_THEN_OK("context_length"), 0);
}

/* The window holds the last `window` outcomes: an older failure slides out of it. */
static void breaker_window_slides(void)
{
	struct result_scenario r;
	/* window 3, ratio 0.5: opens at ≥ 1.5 failures among the last 3 outcomes; each call
	 * ends 10 ms after its request (one a second from 10:00:00).
	 * F ok ok F ok: after r2 [F ok ok] 1 failure; after r3 [ok ok F] (r0's F slid out)
	 * 1 → stays closed, r4 goes through: 5 calls.  (Counting every outcome so far, r3
	 * would make 2 → open → r4 rejected.) */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:01", "a", "r1", OK_SMALL)
	                REQ("10:00:02", "a", "r2", OK_SMALL) REQ("10:00:03", "a", "r3", SE_SMALL)
	                REQ("10:00:04", "a", "r4", OK_SMALL),
	                BREAKER(3, 0.5, 10) "}", &r) < 0)
		return;
	CHECK_INT(r.totals.breaker_rejections, 0);
	CHECK_INT(r.totals.calls, 5);
	CHECK_INT(TASK(r, "r4").resolved, 1);
	result_scenario_fini(&r);
	/* ok F ok F ok: after r3 [F ok F] 2 ≥ 1.5 → open at 3.010 until 13.010: r4 (4 s) is
	 * rejected (no call, failed): 4 calls */
	if (replay_case(REQ("10:00:00", "a", "r0", OK_SMALL) REQ("10:00:01", "a", "r1", SE_SMALL)
	                REQ("10:00:02", "a", "r2", OK_SMALL) REQ("10:00:03", "a", "r3", SE_SMALL)
	                REQ("10:00:04", "a", "r4", OK_SMALL),
	                BREAKER(3, 0.5, 10) "}", &r) < 0)
		return;
	CHECK_INT(r.totals.breaker_rejections, 1);
	CHECK_INT(TASK(r, "r4").breaker_rejections, 1);
	CHECK_INT(TASK(r, "r4").failed, 1);
	CHECK_INT(r.totals.calls, 4);
	result_scenario_fini(&r);
}

/* After open_s one probe goes through, others are rejected; success closes with an empty window. */
static void breaker_probe_closes(void)
{
	struct result_scenario r;
	/* window 2, ratio 0.5, open 10 s.  r0 (0) ok → [ok]; r1 (1) fails → [ok F] at 1.010:
	 * 1 ≥ 1 → open until 11.010.  r2 (11.000) rejected; r3 (11.010) is the probe, ok in 1 s
	 * → [11.010, 12.010]; r4 (11.5) rejected while it is out; at 12.010 the probe closes the
	 * breaker with an empty window; r5 (12.010, after r3's end by index) fails → [F], not
	 * full → still closed; r6 (13) goes through. */
	if (replay_case(REQ("10:00:00", "a", "r0", OK_SMALL) REQ("10:00:01", "a", "r1", SE_SMALL)
	                REQ("10:00:11", "a", "r2", OK_SMALL)
	                REQ("10:00:11.01", "a", "r3", ",\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":1000")
	                REQ("10:00:11.5", "a", "r4", OK_SMALL) REQ("10:00:12.01", "a", "r5", SE_SMALL)
	                REQ("10:00:13", "a", "r6", OK_SMALL),
	                BREAKER(2, 0.5, 10) "}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r2").breaker_rejections, 1);
	CHECK_INT(TASK(r, "r3").resolved, 1);
	CHECK_INT(TASK(r, "r4").breaker_rejections, 1);
	CHECK_INT(TASK(r, "r5").calls, 1);
	CHECK_INT(TASK(r, "r6").resolved, 1);
	CHECK_INT(r.totals.breaker_rejections, 2);
	CHECK_INT(r.totals.calls, 5);
	CHECK_INT(r.totals.resolved, 3);
	result_scenario_fini(&r);
}

/* A failed probe re-opens the breaker for open_s. */
static void breaker_probe_failure_reopens(void)
{
	struct result_scenario r;
	/* window 2, ratio 0.5, open 10 s.  r0, r1 fail → open at 1.010 until 11.010;
	 * r2 (12) probe fails at 12.010 → open until 22.010; r3 (20) rejected;
	 * r4 (22.010) probe ok → closed; r5 (23) goes through */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:01", "a", "r1", SE_SMALL)
	                REQ("10:00:12", "a", "r2", SE_SMALL) REQ("10:00:20", "a", "r3", OK_SMALL)
	                REQ("10:00:22.01", "a", "r4", OK_SMALL) REQ("10:00:23", "a", "r5", OK_SMALL),
	                BREAKER(2, 0.5, 10) "}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "r2").calls, 1);
	CHECK_INT(TASK(r, "r3").breaker_rejections, 1);
	CHECK_INT(TASK(r, "r4").resolved, 1);
	CHECK_INT(TASK(r, "r5").resolved, 1);
	CHECK_INT(r.totals.breaker_rejections, 1);
	CHECK_INT(r.totals.calls, 5);
	result_scenario_fini(&r);
}

/* Outcomes that arrive while the breaker is open are ignored. */
static void breaker_ignores_while_open(void)
{
	struct result_scenario r;
	/* window 2, ratio 1, open 10 s.  r0 (0.000, 10 ms), r1 (0.001, 1 s), r2 (0.002, 5 s) all
	 * fail: at 0.010 [F]; at 1.001 [F F] → open until 11.001; r2's failure at 5.002 is ignored
	 * (counted, it would re-open until 15.002).  r3 (12) is the probe, ok. */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL)
	                REQ("10:00:00.001", "a", "r1", ",\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":1000")
	                REQ("10:00:00.002", "a", "r2", ",\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":5000")
	                REQ("10:00:12", "a", "r3", OK_SMALL),
	                BREAKER(2, 1, 10) "}", &r) < 0)
		return;
	CHECK_INT(r.totals.breaker_rejections, 0);
	CHECK_INT(TASK(r, "r3").resolved, 1);
	CHECK_INT(r.totals.calls, 4);
	result_scenario_fini(&r);
}

/* Summarize calls go through the breaker; batch calls bypass it. */
static void breaker_summarize_and_batch(void)
{
	struct result_scenario r;
	/* window 1, ratio 1, open 1000 s: r0's failure opens small-m's breaker at .010.
	 * sum (10:00:10): input 1000 > 500 → summarize call on small-m → rejected → the summary
	 *   failed → failed (no fallback for summaries), no call.
	 * rep (10:00:10): batch task → flushed at the 10:01:00 boundary on small-m (first_route),
	 *   bypassing the breaker; no data in minute 10:01 → ok; discount 0.5: 1200 × 0.5 = 600
	 *   µUSD; done at 10:01:00 + 600 s → latency 650 s */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:10", "a", "sum", "") REQ("10:00:10", "a", "rep", ""),
	                BREAKER(1, 1, 1000) ", \"budget\": {\"sum\": {\"input_max\": 500, \"overflow\": \"summarize\"}}, "
	                "\"batch\": {\"tasks\": [\"rep\"], \"interval_s\": 60}}", &r) < 0)
		return;
	struct metrics sum = TASK(r, "sum"), rep = TASK(r, "rep");
	CHECK_INT(sum.breaker_rejections, 1);
	CHECK_INT(sum.summarized, 1);
	CHECK_INT(sum.calls, 0);
	CHECK_INT(sum.failed, 1);
	CHECK_INT(rep.calls, 1);
	CHECK_INT(rep.breaker_rejections, 0);
	CHECK_INT(rep.resolved, 1);
	CHECK_INT(rep.usd_total, 600 * PUSD);
	CHECK_INT(rep.latency_p50_us, 650 * SEC);
	CHECK_INT(r.totals.breaker_rejections, 1);
	CHECK_INT(r.totals.calls, 2);
	result_scenario_fini(&r);
}

/* ======================= recorded mode ======================= */

/* Each recorded attempt priced as recorded; retries and fallbacks counted; resolved iff the last is ok. */
static void recorded_prices_attempts(void)
{
	struct result_scenario r;
	/* r0 (10:00): small-m server_error 100 ms (billed none), small-m timeout 200 ms (a retry;
	 *   billed full 1000 + 200 = 1200 µUSD), large-m ok 300 ms (a fallback; 10000 + 2000 =
	 *   12000 µUSD); back to back: ends at 0.6 s → latency 600 ms, resolved.
	 * r1 (10:01): small-m ok, 400 cached, 250 ms: 600 + 200 + 200 = 1000 µUSD.
	 * r2 (10:02): small-m ok 50 ms (1200 µUSD), then small-m rate_limited (a retry, billed
	 *   none): the last attempt is not ok → failed.
	 * totals: 3 + 1 + 2 = 6 calls, 1 large, usd 1200 + 12000 + 1000 + 1200 = 15400 µUSD; input 0 + 1000 +
	 * 1000 + 1000 + 1000 + 0 = 4000, output 0 + 100 + 100 + 100 + 100 = 400; retries 2
	 * (tokens 1100 + 0, usd 1200 µUSD); fallbacks 1.  Latencies {600, 250} ms: p50 = rank
	 * ceil(0.5 × 2) = 1 → 250 ms; p95 = rank 2 → 600 ms */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "server_error", LAT(100)) ","
	                                                 ATT("small-m", "timeout", LAT(200)) "," ATT("large-m", "ok", LAT(300))))
	                REQ("10:01:00", "a", "r1", ",\"model\":\"small-m\",\"cached_tokens\":400,\"latency_ms\":250")
	                REQ("10:02:00", "a", "r2", ATTS(ATT("small-m", "ok", LAT(50)) "," ATT("small-m", "rate_limited", LAT(50)))),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.requests, 3);
	CHECK_INT(r.totals.resolved, 2);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(TASK(r, "r2").failed, 1);
	CHECK_INT(r.totals.calls, 6);
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(r.totals.usd_total, 15400 * PUSD);
	CHECK_INT(r.totals.input_tokens, 4000);
	CHECK_INT(r.totals.output_tokens, 400);
	CHECK_INT(r.totals.cached_input_tokens, 400);
	CHECK_INT(r.totals.retries, 2);
	CHECK_INT(r.totals.retry_tokens, 1100);
	CHECK_INT(r.totals.retry_usd, 1200 * PUSD);
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.requests_with_fallback, 1);
	CHECK_INT(r.totals.latency_p50_us, 250 * MS);
	CHECK_INT(r.totals.latency_p95_us, 600 * MS);
	CHECK_INT(r.has_billed, 0);
	result_scenario_fini(&r);
}

/* An attempt bills min(cached_tokens, its input) at the cached rate: a request's cached_tokens
 * above an attempt's own input_tokens are cut to that input. */
static void recorded_cached_capped_at_input(void)
{
	struct result_scenario r;
	/* The request has 1000 input, 800 cached; its one attempt (small-m ok) says 500 input,
	 * and takes the request's 800 cached: min(800, 500) = 500 cached at 0.5 µUSD = 250, no
	 * uncached input, 100 output × 2 µUSD = 200 → 450 µUSD; cached_input_tokens 500. */
	if (replay_case(REQ("10:00:00", "a", "t", ",\"cached_tokens\":800"
	                    ATTS(ATT("small-m", "ok", LAT(10) ",\"input_tokens\":500"))),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.input_tokens, 500);
	CHECK_INT(r.totals.cached_input_tokens, 500);
	CHECK_INT(r.totals.usd_total, 450 * PUSD);
	result_scenario_fini(&r);
}

/* Recorded attempts without ts run back to back (no latency: 0); with ts at their ts. */
static void recorded_back_to_back(void)
{
	struct result_scenario r;
	/* r0: server_error 100 ms, then ok without latency → ends at 0.1 s: latency 100 ms.
	 * r1 (10:01:00): attempts at 10:01:00 (100 ms) and 10:01:05 (100 ms) → ends 10:01:05.1:
	 * latency 5.1 s */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "server_error", LAT(100)) "," ATT("small-m", "ok", "")))
	                REQ("10:01:00", "a", "r1", ATTS(ATT("small-m", "server_error", LAT(100) ",\"ts\":\"2026-03-02T10:01:00Z\"") ","
	                                                 ATT("small-m", "ok", LAT(100) ",\"ts\":\"2026-03-02T10:01:05Z\""))),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(TASK(r, "r0").latency_p50_us, 100 * MS);
	CHECK_INT(TASK(r, "r1").latency_p50_us, 5100 * MS);
	CHECK_INT(r.totals.retries, 2);
	CHECK_INT(r.totals.resolved, 2);
	result_scenario_fini(&r);
}

/* A recorded answer timed before its request's arrival takes latency 0 (not a negative
 * number read as 2^32 µs less it). */
static void recorded_answer_before_arrival(void)
{
	struct result_scenario r;
	/* r0 arrives 10:00:10, its one attempt began 10:00:08 and took 1 s: it answered at 10:00:09,
	 * 1 s before it arrived: latency 0.  r1 (10:01:00, 500 ms): 500 ms.  Nearest rank over
	 * {0, 500 ms}: p50 = rank 1 = 0, p95 = rank 2 = 500 ms */
	if (replay_case(REQ("10:00:10", "a", "r0", ATTS(ATT("small-m", "ok", LAT(1000) ",\"ts\":\"2026-03-02T10:00:08Z\"")))
	                REQ("10:01:00", "a", "r1", ",\"model\":\"small-m\"" LAT(500)),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(TASK(r, "r0").latency_p50_us, 0);
	CHECK_INT(r.totals.latency_p50_us, 0);
	CHECK_INT(r.totals.latency_p95_us, 500 * MS);
	result_scenario_fini(&r);
}

/* A recorded request's first fallback is its first change of model as the attempts are
 * listed, as its first call is the first listed attempt, whatever their times. */
static void recorded_first_fallback_as_listed(void)
{
	struct result_scenario r;
	/* One arrival at 10:00:00: 60 s buckets from 10:00. Attempts as listed: small-m at 10:05
	 * (the first call: bucket 5), large-m at 10:03 (the first change of model: the first
	 * fallback, bucket 3), small-m at 10:01 (a second fallback, the earliest in time: bucket 1).
	 * The arrays run to the bucket of the last call start, 10:05: six buckets. */
	if (replay_case(REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", LAT(10) ",\"ts\":\"2026-03-02T10:05:00Z\"") ","
	                                              ATT("large-m", "server_error", LAT(10) ",\"ts\":\"2026-03-02T10:03:00Z\"") ","
	                                              ATT("small-m", "ok", LAT(10) ",\"ts\":\"2026-03-02T10:01:00Z\""))),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.requests_with_fallback, 1);
	CHECK_INT(r.timeline.n_buckets, 6);
	CHECK_INT(r.timeline.count[TL_FIRST_CALLS][5], 1);
	CHECK_INT(r.timeline.count[TL_FIRST_FALLBACKS][3], 1);
	CHECK_INT(r.timeline.count[TL_FIRST_FALLBACKS][1], 0);
	CHECK_INT(r.timeline.count[TL_FALLBACKS][1], 1);
	CHECK_INT(r.timeline.count[TL_FALLBACKS][3], 1);
	result_scenario_fini(&r);
}

/* Attempts marked "summary": true (live's record of a summarize call) count their request as
 * summarized and are neither a fallback nor a retry of its main calls; a repeat of a summary is a
 * retry of it.  Each is priced as recorded. */
static void recorded_summary_attempts(void)
{
	struct result_scenario r;
	/* r0: summary on small-m ok, 1000 in / 50 out: 1000 + 100 = 1100 µUSD; main on large-m ok, 50
	 *   in / 100 out (the request's): 500 + 2000 = 2500 µUSD; not a fallback (a change of model
	 *   from the summary's).
	 * r1: summary on small-m server_error (billed none), its retry ok 1000 / 20: 1000 + 40 =
	 *   1040; main on small-m ok, 20 in / 100 out: 20 + 200 = 220; not a retry (the summary's
	 *   model repeated).
	 * totals: 5 calls, 1100 + 2500 + 1040 + 220 = 4860 µUSD; retries 1 (r1's summary), fallbacks
	 * 0, summarized 2, resolved 2.  Read as plain attempts they were 1 fallback and 2 retries. */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "ok", LAT(10) ",\"summary\":true,\"output_tokens\":50") ","
	                                               ATT("large-m", "ok", LAT(10) ",\"input_tokens\":50")))
	                REQ("10:01:00", "a", "r1", ATTS(ATT("small-m", "server_error", LAT(10) ",\"summary\":true") ","
	                                               ATT("small-m", "ok", LAT(10) ",\"summary\":true,\"output_tokens\":20") ","
	                                               ATT("small-m", "ok", LAT(10) ",\"input_tokens\":20"))),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 5);
	CHECK_INT(r.totals.usd_total, 4860 * PUSD);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.requests_with_fallback, 0);
	CHECK_INT(r.totals.summarized, 2);
	CHECK_INT(r.totals.resolved, 2);
	result_scenario_fini(&r);
}

/* A line marked "live": "degraded" (live's record of a request whose task degraded when its calls
 * gave no answer) is degraded in the recorded scenario, not failed: not resolved, its latency
 * counted, as a simulated degraded answer's.  The mark does not turn an answer into one. */
static void recorded_degraded_mark(void)
{
	struct result_scenario r;
	/* r0 (marked): small-m server_error 10 ms, large-m server_error 10 ms: degraded, latency 20 ms,
	 *   1 fallback.
	 * r1 (not marked): the same calls: failed, no latency, 1 fallback.
	 * r2 (marked, but its call answered): small-m ok 50 ms: resolved, latency 50 ms.
	 * totals: 5 calls, 2 fallbacks; resolved 1, degraded 1, failed 1; latencies {20, 50} ms: p50
	 * is the nearest rank ceil(0.5 × 2) = 1st, 20 ms (without the mark's reading: {50}, 50 ms). */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                               ATT("large-m", "server_error", LAT(10))) ",\"live\":\"degraded\"")
	                REQ("10:01:00", "a", "r1", ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                               ATT("large-m", "server_error", LAT(10))) ",\"live\":\"failed\"")
	                REQ("10:02:00", "a", "r2", ",\"model\":\"small-m\",\"status\":\"ok\"" LAT(50) ",\"live\":\"degraded\""),
	                RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 5);
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.degraded, 1);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.latency_p50_us, 20 * MS);
	result_scenario_fini(&r);
}

/* billed_usd = Σ cost_usd; billed_priced_usd prices the same lines. */
static void recorded_billed_usd(void)
{
	struct result_scenario r;
	/* r0 small-m ok: priced 1000 + 200 = 1200 µUSD, cost_usd 0.0012 (the same);
	 * r1 large-m ok: 12000 µUSD, no cost_usd → in usd_total only */
	if (replay_case(REQ("10:00:00", "a", "r0", ",\"model\":\"small-m\",\"cost_usd\":0.0012")
	                REQ("10:01:00", "b", "r1", ",\"model\":\"large-m\""), RECORDED, &r) < 0)
		return;
	CHECK_INT(r.has_billed, 1);
	CHECK_INT(r.totals.billed_usd, 1200 * PUSD);
	CHECK_INT(r.billed_priced_usd, 1200 * PUSD);
	CHECK_INT(r.totals.usd_total, 13200 * PUSD);
	CHECK_INT(TENANT(r, "a").billed_usd, 1200 * PUSD);
	CHECK_INT(TENANT(r, "b").billed_usd, 0);
	result_scenario_fini(&r);
	/* stale prices: cost_usd 0.0013 vs priced 0.0012, 8.3% apart (the CLI warns above 0.5%) */
	if (replay_case(REQ("10:00:00", "a", "r0", ",\"model\":\"small-m\",\"cost_usd\":0.0013")
	                REQ("10:01:00", "b", "r1", ",\"model\":\"large-m\""), RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.billed_usd, 1300 * PUSD);
	CHECK_INT(r.billed_priced_usd, 1200 * PUSD);
	result_scenario_fini(&r);
}

/* The causes of a billed/priced difference the recorded run counts among the lines with
 * cost_usd: billed $0 yet priced above 0, and realtime false. */
static void recorded_billed_causes(void)
{
	struct result_scenario r;
	/* r0 small-m, cost_usd 0: priced 1000 × $1 + 100 × $2 per 1M = 1200 µUSD > 0 → billed $0
	 * r1 cost_usd 0, a timeout (billed in full) then ok: 1200 + 1200 µUSD, one request → once
	 * r2 cost_usd 0 with 0 tokens: priced 0 → no cause
	 * r3 cost_usd 0.0006, realtime false → a batch API's
	 * r4 realtime false without cost_usd: not among the compared lines → no cause */
	if (replay_case(REQ("10:00:00", "a", "r0", ",\"model\":\"small-m\",\"cost_usd\":0")
	                REQ("10:00:10", "a", "r1", ",\"cost_usd\":0" ATTS(ATT("small-m", "timeout", LAT(40)) ","
	                    ATT("small-m", "ok", LAT(70))))
	                REQN("10:00:20", "a", "r2", 0, 0, ",\"model\":\"small-m\",\"cost_usd\":0")
	                REQ("10:00:30", "b", "r3", ",\"model\":\"small-m\",\"cost_usd\":0.0006,\"realtime\":false")
	                REQ("10:00:40", "b", "r4", ",\"model\":\"small-m\",\"realtime\":false"), RECORDED, &r) < 0)
		return;
	CHECK_INT(r.n_billed_zero, 2);
	CHECK_INT(r.n_billed_batch, 1);
	/* billed 600 µUSD against 1200 + 2400 + 0 + 1200 = 4800 µUSD priced */
	CHECK_INT(r.totals.billed_usd, 600 * PUSD);
	CHECK_INT(r.billed_priced_usd, 4800 * PUSD);
	CHECK_INT(r.billed_off, 1);
	result_scenario_fini(&r);
	/* none of them: both 0 */
	if (replay_case(REQ("10:00:00", "a", "r0", ",\"model\":\"small-m\",\"cost_usd\":0.0013"), RECORDED, &r) < 0)
		return;
	CHECK_INT(r.n_billed_zero, 0);
	CHECK_INT(r.n_billed_batch, 0);
	result_scenario_fini(&r);
}

/* A recorded scenario over a model the pricing file lacks is an error naming it. */
static void recorded_unknown_model(void)
{
	struct result_scenario r;
	struct err e = { "" };
	CHECK_INT(replay_text(REQ("10:00:00", "a", "t", ",\"model\":\"mystery-m\""), RECORDED, &r, &e), -1);
	CHECK_HAS(e.msg, "mystery-m");
	/* also in a later attempt */
	struct err e2 = { "" };
	CHECK_INT(replay_text(REQ("10:00:00", "a", "t", ATTS(ATT("small-m", "server_error", "") "," ATT("mystery-m", "ok", ""))),
	                      RECORDED, &r, &e2), -1);
	CHECK_HAS(e2.msg, "mystery-m");
}

/* ======================= alerts ======================= */

#define FLOOD(window, rate, min) SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"]}, " \
	"\"alerts\": {\"cost_guard\": null, \"fallback_flood\": {\"window_s\": " #window ", \"rate\": " #rate \
	", \"min_requests\": " #min "}}}"

/* r0 falls back (first fallback at 10:00:00.010), the others are ok on small-m (10 ms).
 * The last event is r2's or r3's end (≤ 10:00:30.010), so the only instant is 10:01:00,
 * window [09:56, 10:01). */
#define FLOOD3 REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:10", "a", "r1", OK_SMALL) REQ("10:00:20", "a", "r2", OK_SMALL)
#define FLOOD4 FLOOD3 REQ("10:00:30", "a", "r3", OK_SMALL)

static void alert_flood_fires(void)
{
	struct result_scenario r;
	/* 3 first calls ≥ min 3, 1 first fallback: 1/3 > 0.2 → fires at 10:01:00 only */
	if (replay_case(FLOOD3, FLOOD(300, 0.2, 3), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_FALLBACK_FLOOD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 60 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 60 * SEC);
		CHECK_NEAR(r.alerts[0].value_rate, 1.0 / 3.0);
		CHECK_NEAR(r.alerts[0].baseline_rate, 0.2);
		CHECK_NEAR(r.alerts[0].peak_ratio, (1.0 / 3.0) / 0.2);
	}
	result_scenario_fini(&r);
}

/* The alert grid starts at the first instant after the first arrival, even when recorded calls
 * began before it (skewed clocks): an instant at or before the first arrival is not evaluated. */
static void alert_grid_after_first_arrival(void)
{
	struct result_scenario r;
	/* Recorded.  r0 arrives 10:00:00 (on the grid); its attempts began 09:59:30 (small-m
	 * server_error, 10 ms) and 09:59:31 (large-m ok, 10 ms): its first call at 09:59:30, its
	 * first fallback (a change of model) at 09:59:31.  r1 arrives 10:00:30, small-m ok 10 ms.
	 * The last event is r1's end, 10:00:30.010 → instants from 10:01:00 (the first after
	 * 10:00:00) to 10:01:00: window [09:56, 10:01): first calls {r0, r1} = 2, first fallbacks
	 * {r0} = 1 → 0.5 > 0.2 with 2 ≥ 1 → one alert at 10:01:00, value 0.5, peak 0.5 / 0.2 = 2.5.
	 * (An instant at 10:00:00 would see [09:55, 10:00): 1/1 = 1.0, ratio 5, and start there.) */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "server_error", LAT(10) ",\"ts\":\"2026-03-02T09:59:30Z\"") ","
	                                              ATT("large-m", "ok", LAT(10) ",\"ts\":\"2026-03-02T09:59:31Z\"")))
	                REQ("10:00:30", "a", "r1", OK_SMALL),
	                "{\"name\": \"recorded\", \"mode\": \"recorded\", \"pricing\": \"pricing.json\", "
	                "\"alerts\": {\"cost_guard\": null, \"fallback_flood\": {\"window_s\": 300, \"rate\": 0.2, "
	                "\"min_requests\": 1}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_FALLBACK_FLOOD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 60 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 60 * SEC);
		CHECK_NEAR(r.alerts[0].value_rate, 0.5);
		CHECK_NEAR(r.alerts[0].peak_ratio, 2.5);
	}
	result_scenario_fini(&r);
}

static void alert_flood_thresholds(void)
{
	struct result_scenario r;
	/* 3 first calls < min_requests 4 → nothing */
	if (replay_case(FLOOD3, FLOOD(300, 0.2, 4), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 0);
	result_scenario_fini(&r);
	/* 4 first calls, 1 fallback: 0.25 is not above 0.25 → nothing */
	if (replay_case(FLOOD4, FLOOD(300, 0.25, 4), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 0);
	result_scenario_fini(&r);
	/* … and is above 0.24 → fires, peak 0.25 / 0.24 */
	if (replay_case(FLOOD4, FLOOD(300, 0.24, 4), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_NEAR(r.alerts[0].value_rate, 0.25);
		CHECK_NEAR(r.alerts[0].peak_ratio, 0.25 / 0.24);
	}
	result_scenario_fini(&r);
}

/* The last instant is the first one at or after the last event: on the grid, that instant
 * itself, not the next minute. */
static void alert_flood_last_instant_on_grid(void)
{
	struct result_scenario r;
	/* window 120 s, rate 0.2, min 1.  r0 10:00:00: small-m's recorded server_error takes 30 s;
	 * its fallback on large-m replays the recorded ok, 30 s: 10:00:30 → 10:01:00, the last
	 * event, on the grid.  Instants: the first after 10:00:00 is 10:01:00, also the last.
	 * 10:01 [09:59, 10:01): 1 first call, 1 first fallback → 1 > 0.2, 1 ≥ 1: fires.
	 * One alert 10:01 → 10:01, value 1, peak 1 / 0.2 = 5.  (Were 10:02 judged too, its window
	 * [10:00, 10:02) holds the same two and the alert would end at 10:02.) */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "server_error", LAT(30000)) ","
	                                                ATT("large-m", "ok", LAT(30000)))),
	                FLOOD(120, 0.2, 1), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].start_us, T0_US + 60 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 60 * SEC);
		CHECK_NEAR(r.alerts[0].value_rate, 1.0);
		CHECK_NEAR(r.alerts[0].peak_ratio, 5.0);
	}
	result_scenario_fini(&r);
}

/* Consecutive firing instants make one alert, reported at its highest ratio. */
static void alert_flood_merges(void)
{
	struct result_scenario r;
	/* window 120 s, rate 0.2, min 2.  First calls: r0 0:00, r1 0:30, r2 1:30, r3 1:40,
	 * r4 2:30, r5 5:30 (minutes after 10:00); first fallbacks (r0, r2, r3) 10 ms later.
	 * The last event is r5's end at 10:05:30.010 → instants 10:01 … 10:06:
	 *   10:01 [09:59, 10:01): calls r0 r1 = 2, fallbacks 1 → 0.5  (ratio 2.5)  fires
	 *   10:02 [10:00, 10:02): calls 4, fallbacks 3      → 0.75 (ratio 3.75) fires
	 *   10:03 [10:01, 10:03): calls r2 r3 r4 = 3, fb 2  → 0.667 (3.33)      fires
	 *   10:04 calls {r4} = 1 < 2; 10:05: 0; 10:06: {r5} = 1 → quiet.
	 * One alert 10:01 → 10:03, value 0.75 (from 10:02), baseline 0.2, peak 3.75 */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:30", "a", "r1", OK_SMALL)
	                REQ("10:01:30", "a", "r2", SE_SMALL) REQ("10:01:40", "a", "r3", SE_SMALL)
	                REQ("10:02:30", "a", "r4", OK_SMALL) REQ("10:05:30", "a", "r5", OK_SMALL),
	                FLOOD(120, 0.2, 2), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_FALLBACK_FLOOD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 60 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 180 * SEC);
		CHECK_NEAR(r.alerts[0].value_rate, 0.75);
		CHECK_NEAR(r.alerts[0].baseline_rate, 0.2);
		CHECK_NEAR(r.alerts[0].peak_ratio, 3.75);
	}
	result_scenario_fini(&r);
}

#define COST(window, baseline) SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, " \
	"\"budget\": {\"rej\": {\"input_max\": 10, \"overflow\": \"reject\"}}, " \
	"\"alerts\": {\"fallback_flood\": null, \"cost_guard\": {\"window_s\": " #window ", \"baseline_s\": " #baseline \
	", \"threshold\": 0.3}}"

/* cost_guard: a spend spike after a steady baseline; consecutive instants merged. */
static void alert_cost_guard_fires(void)
{
	struct result_scenario r;
	/* window 120 s, baseline 180 s, threshold 0.3.  Spend (µUSD) by call start: 10:00 r0
	 * 2200 (600 out: 1000 + 1200), 10:01 / 10:02 / 10:03 1200 each, 10:04 big on large-m
	 * 12000, 10:05 1200.  Last event 10:05:00.010 → last instant 10:06.  The baseline range
	 * is [max(10:00, e − 300 s), e − 120 s), evaluated when ≥ 120 s long (from 10:04):
	 *   10:04: base [10:00, 10:02) 3400 / 120 s; window [10:02, 10:04) 2400 / 120 s → no;
	 *   10:05: base [10:00, 10:03) 4600 / 180 s = 92000/h; window [10:03, 10:05) 13200 / 120 s
	 *          = 396000/h; 396000 > 92000 × 1.3 → fires, ratio 4.30;
	 *   10:06: base [10:01, 10:04) 3600 / 180 s = 72000/h; window [10:04, 10:06) 13200 → 396000/h
	 *          → fires, ratio 5.5.
	 * One alert 10:05 → 10:06 with value 396000 µUSD/h and baseline 72000 µUSD/h (10:06). */
	if (replay_case(REQN("10:00:00", "a", "r0", 1000, 600, OK_SMALL) REQ("10:01:00", "a", "r1", OK_SMALL)
	                REQ("10:02:00", "a", "r2", OK_SMALL) REQ("10:03:00", "a", "r3", OK_SMALL)
	                REQ("10:04:00", "a", "big", "") REQ("10:05:00", "a", "r5", OK_SMALL),
	                COST(120, 180) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_COST_GUARD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 300 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 360 * SEC);
		CHECK_INT(r.alerts[0].value_pusd, 396000 * PUSD);
		CHECK_INT(r.alerts[0].baseline_pusd, 72000 * PUSD);
		CHECK_NEAR(r.alerts[0].peak_ratio, 5.5);
	}
	result_scenario_fini(&r);
}

/* The cost guard's sums past 128 bits: $24 billion in a minute against a 316-year baseline. */
static void alert_cost_guard_past_128_bits(void)
{
	struct result_scenario r;
	/* dear-m costs 2000 USD per 1M tokens.  r0 at 1701-01-01 has 1 token: 2·10^9 pico-USD.
	 * Then 3000 calls of 4·10^9 tokens (8·10^18 pico-USD each, S = 2.4·10^22 in all) in the
	 * first 30 s of 2016-12-01.  Window 60 s, baseline 10^10 s: at e = 2016-12-01T00:01:00Z
	 * (1480550460 s) the range starts at r0 (e − w − 10^10 s is before it), so len =
	 * e − 60 s − (−8488800000 s) = 9969350400 s, and spend × len = 2.39·10^38, past 2^127.
	 * value = S × 3600 ÷ 60 = 1.44·10^24 pico-USD/h; baseline = 2·10^9 × 3600 ÷ 9969350400
	 * = 722.2 → 722 pico-USD/h; ratio = S·len ÷ (2·10^9 × 60 s) = 1.99387008·10^21 (Python). */
	size_t cap = 3001 * 160, n = 0;
	char *lines = malloc(cap);
	if (!lines) {
		CHECK(lines != NULL);
		return;
	}
	n += (size_t)snprintf(lines + n, cap - n, "{\"ts\":\"1701-01-01T00:00:00Z\",\"tenant\":\"a\",\"task\":\"t\","
	                      "\"input_tokens\":1,\"output_tokens\":0,\"model\":\"dear-m\"}\n");
	for (int i = 0; i < 3000; i++)
		n += (size_t)snprintf(lines + n, cap - n, "{\"ts\":\"2016-12-01T00:00:%02d.%02dZ\",\"tenant\":\"a\","
		                      "\"task\":\"t\",\"input_tokens\":4000000000,\"output_tokens\":0,"
		                      "\"model\":\"dear-m\"}\n", i / 100, i % 100);
	int rc = replay_case(lines, "{\"pricing\": \"pricing-dear.json\", \"alerts\": {\"cost_guard\": "
	                     "{\"window_s\": 60, \"baseline_s\": 10000000000, \"threshold\": 0.3}, "
	                     "\"fallback_flood\": null}}", &r);
	free(lines);
	if (rc < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].start_us, 1480550460 * SEC);
		CHECK_INT(r.alerts[0].end_us, 1480550460 * SEC);
		CHECK(r.alerts[0].value_pusd == (money_sum)1440000000000LL * 1000000000000LL);
		CHECK_INT(r.alerts[0].baseline_pusd, 722);
		CHECK(r.alerts[0].peak_ratio == 0x1.b05a0607225ecp+70);
	}
	result_scenario_fini(&r);
}

/* A zero baseline never fires. */
static void alert_cost_guard_zero_baseline(void)
{
	struct result_scenario r;
	/* window 60, baseline 180.  rej (10:00, rejected: no call) and big at 10:02 (12000 µUSD).
	 * 10:03: base [10:00, 10:02) = 0 → never fires, though the window holds 12000 */
	if (replay_case(REQ("10:00:00", "a", "rej", "") REQ("10:02:00", "a", "big", ""), COST(60, 180) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 0);
	result_scenario_fini(&r);
	/* the same with 1200 µUSD at 10:00: 10:03: base 1200 / 120 s = 36000/h, window
	 * 12000 / 60 s = 720000/h → fires, ratio 20 (10:02: window [10:01, 10:02) empty) */
	if (replay_case(REQ("10:00:00", "a", "c", OK_SMALL) REQ("10:02:00", "a", "big", ""), COST(60, 180) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].start_us, T0_US + 180 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 180 * SEC);
		CHECK_INT(r.alerts[0].value_pusd, 720000 * PUSD);
		CHECK_INT(r.alerts[0].baseline_pusd, 36000 * PUSD);
		CHECK_NEAR(r.alerts[0].peak_ratio, 20.0);
	}
	result_scenario_fini(&r);
}

/* cost_guard is evaluated only once its baseline range is at least window_s long; null turns it off. */
static void alert_cost_guard_range(void)
{
	struct result_scenario r;
	/* window 60, baseline 180; 1200 µUSD at 10:00:30, 12000 at 10:01:10; last instant 10:02.
	 * 10:01: range [10:00:30, 10:00:00) negative; 10:02: [10:00:30, 10:01:00) is 30 s < 60
	 * → never evaluated: no alert */
	if (replay_case(REQ("10:00:30", "a", "c", OK_SMALL) REQ("10:01:10", "a", "big", ""), COST(60, 180) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 0);
	result_scenario_fini(&r);
	/* the first arrival at 10:00:00: at 10:02 the range [10:00, 10:01) is 60 s: base
	 * 1200 → 72000/h, window [10:01, 10:02) 12000 → 720000/h → fires, ratio 10 */
	const char *trace = REQ("10:00:00", "a", "c", OK_SMALL) REQ("10:01:10", "a", "big", "");
	if (replay_case(trace, COST(60, 180) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].start_us, T0_US + 120 * SEC);
		CHECK_NEAR(r.alerts[0].peak_ratio, 10.0);
	}
	result_scenario_fini(&r);
	/* "cost_guard": null: off */
	if (replay_case(trace, SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, "
	                "\"alerts\": {\"fallback_flood\": null, \"cost_guard\": null}}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 0);
	result_scenario_fini(&r);
}

/* A window that is not a whole number of minutes: [e − 90 s, e) starts at e − 1:30. */
static void alert_flood_window_off_grid(void)
{
	struct result_scenario r;
	/* window 90 s, rate 0.4, min 2.  First calls: r0 10:00:00 (falls back at +10 ms),
	 * r4 10:00:31 (falls back), r1 10:00:45, r2 10:01:20, r3 10:02:10 (falls back).
	 *   10:01 [09:59:30, 10:01): calls r0 r4 r1 = 3, fallbacks r0 r4 = 2 → 0.667 > 0.4 fires
	 *   10:02 [10:00:30, 10:02): calls r4 r1 r2 = 3, fallbacks r4 = 1 → 0.333: quiet
	 *         (a window from 10:00:00 would hold 4 calls, 2 fallbacks → 0.5: it would fire)
	 *   10:03 [10:01:30, 10:03): calls r3 = 1 < 2: quiet.
	 * One alert at 10:01: value 2/3, peak (2/3) / 0.4 = 5/3. */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQ("10:00:45", "a", "r1", OK_SMALL)
	                REQ("10:01:20", "a", "r2", OK_SMALL) REQ("10:02:10", "a", "r3", SE_SMALL)
	                REQ("10:00:31", "a", "r4", SE_SMALL),
	                FLOOD(90, 0.4, 2), &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].start_us, T0_US + 60 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 60 * SEC);
		CHECK_NEAR(r.alerts[0].value_rate, 2.0 / 3.0);
		CHECK_NEAR(r.alerts[0].peak_ratio, 5.0 / 3.0);
	}
	result_scenario_fini(&r);
}

/* cost_guard fires when value > baseline × (1 + threshold), strictly. */
static void alert_cost_guard_threshold(void)
{
	struct result_scenario r;
	/* window 60, baseline 60, threshold 0.3.  r0 10:00 small-m ok: 1000 + 200 = 1200 µUSD.
	 * r1 10:01 with 1360 input: 1360 + 200 = 1560 µUSD.  Last event r1's end 10:01:00.010
	 * → instants 10:01 (baseline range empty) and 10:02: window [10:01, 10:02) 1560 / 60 s
	 * = 93600/h, base [10:00, 10:01) 1200 / 60 s = 72000/h; 93600 > 72000 × 1.3 = 93600?
	 * no → quiet.  With 1361 input (1561 µUSD = 93660/h) it fires, ratio 1561 / 1200. */
	if (replay_case(REQ("10:00:00", "a", "r0", OK_SMALL) REQN("10:01:00", "a", "r1", 1360, 100, OK_SMALL),
	                COST(60, 60) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 0);
	result_scenario_fini(&r);
	if (replay_case(REQ("10:00:00", "a", "r0", OK_SMALL) REQN("10:01:00", "a", "r1", 1361, 100, OK_SMALL),
	                COST(60, 60) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_COST_GUARD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[0].value_pusd, 93660 * PUSD);
		CHECK_INT(r.alerts[0].baseline_pusd, 72000 * PUSD);
		CHECK_NEAR(r.alerts[0].peak_ratio, 1561.0 / 1200.0);
	}
	result_scenario_fini(&r);
}

/* cost_guard's baseline range starts at the first arrival: spend on recorded calls timed before
 * it is in no baseline. */
static void alert_cost_guard_before_first_arrival(void)
{
	struct result_scenario r;
	/* Recorded, window 60, baseline 60, threshold 0.3; small-m ok 1000/100 = 1200 µUSD.
	 * r0 arrives 10:00:00, its attempt began 09:59:30 (1200); r1 10:00:30 (1200); r2
	 * 10:01:00 with 2000 input (2000 + 200 = 2200).  Last event r2's end 10:01:00.010 →
	 * instants 10:01 (range [10:00, 10:00) empty) and 10:02: base [10:00, 10:01) = r1's 1200
	 * → 72000/h (r0's call is before the range); window [10:01, 10:02) 2200 → 132000/h >
	 * 72000 × 1.3 = 93600 → fires, ratio 2200 / 1200 = 11/6.  (Counting r0's 1200 in the
	 * base, 144000/h, it would not fire.) */
	if (replay_case(REQ("10:00:00", "a", "r0", ATTS(ATT("small-m", "ok", LAT(10) ",\"ts\":\"2026-03-02T09:59:30Z\"")))
	                REQ("10:00:30", "a", "r1", OK_SMALL) REQN("10:01:00", "a", "r2", 2000, 100, OK_SMALL),
	                "{\"name\": \"recorded\", \"mode\": \"recorded\", \"pricing\": \"pricing.json\", "
	                "\"alerts\": {\"fallback_flood\": null, \"cost_guard\": {\"window_s\": 60, \"baseline_s\": 60, "
	                "\"threshold\": 0.3}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.usd_total, 4600 * PUSD);
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_COST_GUARD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[0].value_pusd, 132000 * PUSD);
		CHECK_INT(r.alerts[0].baseline_pusd, 72000 * PUSD);
		CHECK_NEAR(r.alerts[0].peak_ratio, 11.0 / 6.0);
	}
	result_scenario_fini(&r);
}

/* Equal highest peak ratios: the alert takes value and baseline from the earliest instant. */
static void alert_cost_guard_tie_earliest(void)
{
	struct result_scenario r;
	/* window 60, baseline 60, threshold 0.3.  Spend (µUSD) on small-m: r0 10:00 1000 + 200
	 * = 1200, r1 10:01 2200 + 200 = 2400, r2 10:02 4600 + 200 = 4800.  Last event r2's end
	 * 10:02:00.010 → instants 10:01, 10:02, 10:03:
	 *   10:01: baseline range [10:00, 10:00) is empty → not evaluated;
	 *   10:02: window [10:01, 10:02) 2400 / 60 s = 144000/h; base [10:00, 10:01) 1200 / 60 s
	 *          = 72000/h; 144000 > 72000 × 1.3 = 93600 → fires, ratio 2;
	 *   10:03: window [10:02, 10:03) 4800 → 288000/h; base [10:01, 10:02) 2400 → 144000/h
	 *          → fires, ratio 2.
	 * One alert 10:02 → 10:03; the tie on ratio 2 takes 10:02: value 144000, baseline 72000. */
	if (replay_case(REQ("10:00:00", "a", "r0", OK_SMALL) REQN("10:01:00", "a", "r1", 2200, 100, OK_SMALL)
	                REQN("10:02:00", "a", "r2", 4600, 100, OK_SMALL),
	                COST(60, 60) "}", &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK_INT(r.alerts[0].kind, ALERT_COST_GUARD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 180 * SEC);
		CHECK_INT(r.alerts[0].value_pusd, 144000 * PUSD);
		CHECK_INT(r.alerts[0].baseline_pusd, 72000 * PUSD);
		CHECK_NEAR(r.alerts[0].peak_ratio, 2.0);
	}
	result_scenario_fini(&r);
}

/* Both alerts, each over [e − 60 s, e): flood at rate 0.2 with min 1 first call, cost_guard
 * with a 60 s baseline and threshold 0.3.  r0 / r1 fall back from small-m (server_error,
 * billed none) to large-m 10 ms after they arrive (ok in 400 ms, 1000 × 10 + 100 × 20 =
 * 12000 µUSD); big (2000 in) runs on large-m: 2000 × 10 + 100 × 20 = 22000 µUSD. */
#define ALERTS_BOTH SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, " \
	"\"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"]}, " \
	"\"alerts\": {\"fallback_flood\": {\"window_s\": 60, \"rate\": 0.2, \"min_requests\": 1}, " \
	"\"cost_guard\": {\"window_s\": 60, \"baseline_s\": 60, \"threshold\": 0.3}}}"

/* Alerts are ordered by start, then kind (cost_guard before fallback_flood). */
static void alert_order_start_then_kind(void)
{
	struct result_scenario r;
	/* r0 10:00:00, big 10:01:00; last event big's end 10:01:00.400 → instants 10:01, 10:02.
	 * flood: 10:01 [10:00, 10:01): 1 first call, 1 first fallback → 1 > 0.2 fires;
	 *        10:02 [10:01, 10:02): {big}, no fallback → quiet.
	 * cost:  10:01 baseline range empty; 10:02 window 22000 / 60 s = 1320000/h, base
	 *        [10:00, 10:01) 12000 / 60 s = 720000/h; > 720000 × 1.3 = 936000 → fires.
	 * The flood starts first (10:01) although cost_guard comes first by kind. */
	if (replay_case(REQ("10:00:00", "a", "r0", SE_SMALL) REQN("10:01:00", "a", "big", 2000, 100, ""),
	                ALERTS_BOTH, &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 2);
	if (r.n_alerts == 2) {
		CHECK_INT(r.alerts[0].kind, ALERT_FALLBACK_FLOOD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 60 * SEC);
		CHECK_INT(r.alerts[1].kind, ALERT_COST_GUARD);
		CHECK_INT(r.alerts[1].start_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[1].value_pusd, 1320000 * PUSD);
		CHECK_INT(r.alerts[1].baseline_pusd, 720000 * PUSD);
	}
	result_scenario_fini(&r);
	/* c 10:00:00 ok on small-m (1000 + 200 = 1200 µUSD), r1 10:01:00, big 10:02:00; last
	 * event big's end 10:02:00.400 → instants 10:01, 10:02, 10:03.
	 * flood: 10:01 {c}, no fallback → quiet; 10:02 {r1}, 1 fallback → fires (1 / 0.2 = 5);
	 *        10:03 {big} → quiet: one flood alert at 10:02, ended first.
	 * cost:  10:02 window 12000 → 720000/h, base 1200 → 72000/h → fires, ratio 10;
	 *        10:03 window 22000 → 1320000/h, base 12000 → 720000/h → fires, ratio 11/6:
	 *        one alert 10:02 → 10:03 with 10:02's value 720000 and baseline 72000.
	 * Both start at 10:02: cost_guard first. */
	if (replay_case(REQ("10:00:00", "a", "c", OK_SMALL) REQ("10:01:00", "a", "r1", SE_SMALL)
	                REQN("10:02:00", "a", "big", 2000, 100, ""),
	                ALERTS_BOTH, &r) < 0)
		return;
	CHECK_INT(r.n_alerts, 2);
	if (r.n_alerts == 2) {
		CHECK_INT(r.alerts[0].kind, ALERT_COST_GUARD);
		CHECK_INT(r.alerts[0].start_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[0].end_us, T0_US + 180 * SEC);
		CHECK_INT(r.alerts[0].value_pusd, 720000 * PUSD);
		CHECK_INT(r.alerts[0].baseline_pusd, 72000 * PUSD);
		CHECK_NEAR(r.alerts[0].peak_ratio, 10.0);
		CHECK_INT(r.alerts[1].kind, ALERT_FALLBACK_FLOOD);
		CHECK_INT(r.alerts[1].start_us, T0_US + 120 * SEC);
		CHECK_INT(r.alerts[1].end_us, T0_US + 120 * SEC);
		CHECK_NEAR(r.alerts[1].value_rate, 1.0);
		CHECK_NEAR(r.alerts[1].peak_ratio, 5.0);
	}
	result_scenario_fini(&r);
}

/* ======================= determinism ======================= */

static void dump_money(FILE *f, money_sum v)
{
	fprintf(f, "%llx:%llx ", (unsigned long long)(v >> 64), (unsigned long long)v);
}

static void dump_metrics(FILE *f, const struct metrics *m)
{
	const uint64_t counts[] = { m->requests, m->resolved, m->failed, m->degraded, m->rejected, m->cache_hits,
		m->cache_tokens_saved, m->calls, m->calls_large, m->input_tokens, m->output_tokens,
		m->cached_input_tokens, m->retries, m->retry_tokens, m->fallbacks, m->requests_with_fallback,
		m->requests_with_call, m->fallbacks_denied, m->breaker_rejections, m->budget_violations,
		m->truncated, m->summarized, m->async, m->batched, m->output_capped };
	for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
		fprintf(f, "%llu ", (unsigned long long)counts[k]);
	dump_money(f, m->cache_usd_saved);
	dump_money(f, m->retry_usd);
	dump_money(f, m->usd_total);
	dump_money(f, m->usd_per_hour_peak);
	dump_money(f, m->billed_usd);
	fprintf(f, "%lld %lld\n", (long long)m->latency_p50_us, (long long)m->latency_p95_us);
}

/* Every counter of a result (not its name) as text; the caller frees it. */
static char *dump(const struct result_scenario *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	if (!f)
		return NULL;
	dump_metrics(f, &r->totals);
	for (size_t k = 0; k < r->n_tenants; k++) {
		fprintf(f, "tenant %s ", r->tenant_names[k]);
		dump_metrics(f, &r->by_tenant[k]);
	}
	for (size_t k = 0; k < r->n_tasks; k++) {
		fprintf(f, "task %s ", r->task_names[k]);
		dump_metrics(f, &r->by_task[k]);
	}
	for (size_t k = 0; k < r->n_models; k++) {
		const struct model_usage *u = &r->by_model[k];
		fprintf(f, "model %s %llu %llu %llu ", u->model, (unsigned long long)u->calls,
		        (unsigned long long)u->input_tokens, (unsigned long long)u->output_tokens);
		dump_money(f, u->usd);
	}
	const struct timeline *tl = &r->timeline;
	fprintf(f, "\ntimeline %lld %lld %zu\n", (long long)tl->bucket_s, (long long)tl->t0_us, tl->n_buckets);
	for (size_t b = 0; b < tl->n_buckets; b++) {
		for (int s = 0; s < N_TL_COUNTS; s++)
			fprintf(f, "%llu ", (unsigned long long)tl->count[s][b]);
		dump_money(f, tl->usd[b]);
		dump_money(f, tl->retry_usd[b]);
		fputc('\n', f);
	}
	for (size_t k = 0; k < r->n_alerts; k++) {
		const struct alert *al = &r->alerts[k];
		fprintf(f, "alert %d %lld %lld %a %a %a ", (int)al->kind, (long long)al->start_us, (long long)al->end_us,
		        al->value_rate, al->baseline_rate, al->peak_ratio);
		dump_money(f, al->value_pusd);
		dump_money(f, al->baseline_pusd);
		fputc('\n', f);
	}
	fprintf(f, "%d %d ", r->recorded, r->has_billed);
	dump_money(f, r->billed_priced_usd);
	fclose(f);
	return buf;
}

/* A trace that exercises draws, retries, fallbacks, gates and the breaker. */
#define MIXED \
	REQ("10:00:00", "a", "faq", SE_SMALL) REQ("10:00:00", "b", "faq", "") REQ("10:00:01", "a", "doc", "") \
	REQ("10:00:02", "c", "faq", ",\"model\":\"small-m\",\"status\":\"rate_limited\"") \
	REQ("10:00:03", "b", "doc", "") REQ("10:00:04", "a", "faq", "") REQ("10:00:30", "c", "doc", OK_SMALL) \
	REQ("10:01:00", "a", "faq", "") REQ("10:01:01", "b", "big", "") REQ("10:01:02", "c", "faq", "") \
	REQ("10:02:00", "a", "doc", SE_SMALL) REQ("10:02:05", "b", "faq", "") REQ("10:03:00", "c", "big", "")

#define MIXED_SCN(name) "{\"name\": \"" name "\", \"pricing\": \"pricing.json\", " \
	"\"routes\": {\"small\": \"small-m\", \"large\": \"large-m\"}, \"seed\": 3, " \
	"\"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, " \
	"\"retry\": {\"max_attempts\": 2, \"backoff_ms\": 200, \"timeout_ms\": 400}, " \
	"\"fallback\": {\"chain\": [\"small\", \"large\"], \"tenant_inflight_cap\": 1, \"max_rate\": 0.5, " \
	"\"degrade_tasks\": [\"faq\"]}, \"breaker\": {\"window\": 4, \"failure_ratio\": 0.5, \"open_s\": 5}, " \
	"\"faults\": {\"inject\": [{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:30Z\", " \
	"\"to\": \"2026-03-02T10:02:00Z\", \"status\": \"server_error\", \"rate\": 0.5}]}}"

static char *mixed_run(const char *scn, struct result_scenario *r)
{
	if (replay_case(MIXED, scn, r) < 0)
		return NULL;
	char *s = dump(r);
	result_scenario_fini(r);
	return s;
}

/* The same run twice gives identical counters. */
static void determinism_twice(void)
{
	struct result_scenario r;
	char *a = mixed_run(MIXED_SCN("x"), &r), *b = mixed_run(MIXED_SCN("x"), &r);
	CHECK(a && b);
	if (a && b) {
		CHECK_STR(a, b);
		CHECK(strlen(a) > 100);
	}
	free(a);
	free(b);
}

/* Two scenarios identical but for the name see the same draws: identical counters. */
static void determinism_name(void)
{
	struct result_scenario r;
	char *a = mixed_run(MIXED_SCN("x"), &r), *b = mixed_run(MIXED_SCN("another name"), &r);
	CHECK(a && b);
	if (a && b)
		CHECK_STR(a, b);
	free(a);
	free(b);
}

void suite_replay_calls(void)
{
	RUN(calls_replay_recorded_attempts);
	RUN(calls_recorded_false_latency);
	RUN(calls_recorded_false_outcome);
	RUN(calls_rate_by_minute);
	RUN(calls_recorded_class_draw);
	RUN(calls_draw_two_seeds);
	RUN(calls_inject_first_window);
	RUN(calls_inject_keeps_recorded);
	RUN(calls_timeout_caps_latency);
	RUN(calls_timeout_null);
	RUN(calls_recorded_latency_over_timeout);
	RUN(calls_latency_modelled);
	RUN(calls_cached_recorded_model);
	RUN(retry_backoff_doubles);
	RUN(retry_far_past_the_timeline);
	RUN(batch_far_past_the_timeline);
	RUN(recorded_far_past_the_timeline);
	RUN(retry_backoff_of_centuries);
	RUN(retry_max_attempts_per_model);
	RUN(retry_only_on_classes);
	RUN(fallback_after_route_position);
	RUN(fallback_route_not_in_chain);
	RUN(fallback_skips_earlier_entries_models);
	RUN(fallback_only_on_classes);
	RUN(fallback_breaker_open_qualifies);
	RUN(fallback_counts_when_breaker_rejects);
	RUN(fallback_breaker_open_rate_gate);
	RUN(fallback_tenant_cap);
	RUN(fallback_tenant_cap_ends_at_t);
	RUN(fallback_tenant_cap_counts_backoff);
	RUN(fallback_tenant_cap_probe_at_open_until);
	RUN(fallback_rate_gate);
	RUN(fallback_rate_gate_counts_current);
	RUN(fallback_rate_window_left_open);
	RUN(fallback_rate_gate_own_call_at_edge);
	RUN(fallback_rate_gate_counts_first_hop_once);
	RUN(fallback_spend_gate);
	RUN(fallback_degraded_vs_failed);
	RUN(fallback_degrade_summary_and_class);
	RUN(fallback_hops_and_rate);
	RUN(breaker_opens_when_full);
	RUN(breaker_counts_transient_only);
	RUN(breaker_window_slides);
	RUN(breaker_probe_closes);
	RUN(breaker_probe_failure_reopens);
	RUN(breaker_ignores_while_open);
	RUN(breaker_summarize_and_batch);
	RUN(recorded_prices_attempts);
	RUN(recorded_cached_capped_at_input);
	RUN(recorded_back_to_back);
	RUN(recorded_answer_before_arrival);
	RUN(recorded_first_fallback_as_listed);
	RUN(recorded_summary_attempts);
	RUN(recorded_degraded_mark);
	RUN(recorded_billed_usd);
	RUN(recorded_billed_causes);
	RUN(recorded_unknown_model);
	RUN(alert_flood_fires);
	RUN(alert_grid_after_first_arrival);
	RUN(alert_flood_thresholds);
	RUN(alert_flood_last_instant_on_grid);
	RUN(alert_flood_merges);
	RUN(alert_cost_guard_fires);
	RUN(alert_cost_guard_past_128_bits);
	RUN(alert_cost_guard_zero_baseline);
	RUN(alert_cost_guard_range);
	RUN(alert_flood_window_off_grid);
	RUN(alert_cost_guard_tie_earliest);
	RUN(alert_cost_guard_threshold);
	RUN(alert_cost_guard_before_first_arrival);
	RUN(alert_order_start_then_kind);
	RUN(determinism_twice);
	RUN(determinism_name);
	replay_text_done();
}
