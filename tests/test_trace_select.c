/*
 * replay --from/--to's selection (sim/trace.c trace_select): the requests arriving in
 * [from, to), in the trace's order, a request at `from` in and one at `to` out, each drawing
 * as its line in the whole trace (SPEC §10 "The draw": its index among the accepted lines),
 * its cost digits past the pico-USD kept; the whole range is the trace itself.  Prices and
 * draws as in test_replay_faults.c (fixtures/tests/pricing.json: small-m 1 USD per 1M input
 * tokens, 2 per 1M output tokens, 100 ms + 1 ms per output token).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "tests/test.h"
#include "tests/util_lines.h"
#include "tests/util_replay.h"
#include "traces/scenario.h"

/* Seed 1, small-m server_error injected at rate 0.2, one attempt: its attempt 1 draws
 * (test_replay_faults.c draw_index_skips_blank_lines) index 0 → 0.070419 (< 0.2: fails),
 * 1 → 0.296771 (ok), 2 → 0.061536 (fails). */
#define SEL_SCN "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": " \
	"\"large-m\"}, \"seed\": 1, \"retry\": {\"max_attempts\": 1}, \"faults\": {\"inject\": [" \
	INJ("small-m", "server_error", 0.2) "]}}"

/* Lines r0 10:00:00, r1 10:00:01, r2 10:00:02 (its cost_usd 0.0000000000015: 1.5 pico-USD,
 * a digit past the pico-USD), r3 10:00:03 (also 1.5 pico-USD).  [10:00:01, 10:00:03) holds r1
 * (at from: in) and r2, not r3 (at to: out).  They draw as lines 1 and 2: r1 ok, r2 fails;
 * renumbered 0 and 1 they would draw r1 fails, r2 ok.  r1's small-m call: 1000 × 1 + 100 × 2 =
 * 1200 µUSD; r2's server_error bills none: usd_total 1200 µUSD. */
static void select_range_draws_as_whole(void)
{
	const char *lines = REQ("10:00:00", "a", "r0", "") REQ("10:00:01", "a", "r1", "")
		REQ("10:00:02", "b", "r2", ",\"cost_usd\":0.0000000000015")
		REQ("10:00:03", "a", "r3", ",\"cost_usd\":0.0000000000015");
	struct trace src, sel = { 0 };
	struct scenario sc;
	struct err e;
	if (trace_text(lines, &src, &e) < 0 || scenario_parse(SEL_SCN, "t.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK_INT(src.n_cost_sub, 2);
	CHECK(trace_select(&src, T0_US + 1 * SEC, T0_US + 3 * SEC, &sel, &e) == 0);
	CHECK_INT(sel.n_req, 2);
	CHECK_STR(sel.name, src.name);
	if (sel.n_req == 2 && sel.draw_index) {
		CHECK_INT(trace_draw_index(&sel, 0), 1);
		CHECK_INT(trace_draw_index(&sel, 1), 2);
		CHECK_INT(trace_ts_us(&sel, 0), T0_US + 1 * SEC);
		CHECK_INT(trace_ts_us(&sel, 1), T0_US + 2 * SEC);
		/* r2's cost digit, renumbered as the selection's request 1; r3's left out */
		CHECK_INT(sel.n_cost_sub, 1);
		if (sel.n_cost_sub == 1)
			CHECK_INT(sel.cost_subs[0].req, 1);
		char at[CLOCK_TEXT_MAX], where[TRACE_WHERE_MAX];
		trace_request_where(&sel, 1, at, where); /* named by its line in the whole trace */
		CHECK_HAS(where, "task r2; accepted line 3 of the trace");
		struct replay_trace *rt = NULL;
		struct result_scenario r;
		if (replay_prepare(&sel, &rt, &e) == 0 && replay_prepare_scenario(rt, &sc, &e) == 0 &&
		    replay_run(rt, &sc, &r, NULL, &e) == 0) {
			CHECK_INT(r.totals.requests, 2);
			CHECK_INT(TASK(r, "r1").resolved, 1);
			CHECK_INT(TASK(r, "r2").failed, 1);
			CHECK_INT(r.totals.usd_total, 1200 * PUSD);
			result_scenario_fini(&r);
		} else {
			TEST_FAIL_("replay: %s", e.msg);
		}
		replay_trace_free(rt);
	}
	trace_free(&sel);
	/* the whole range: the trace itself, replayed as it is */
	CHECK(trace_select(&src, INT64_MIN, INT64_MAX, &sel, &e) == 0);
	CHECK_INT(sel.n_req, 4);
	CHECK_INT(sel.n_cost_sub, 2);
	char *a = replay_json_of(&src, &sc), *b = replay_json_of(&sel, &sc);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	trace_free(&sel);
	/* a range that holds no arrival: an empty trace */
	CHECK(trace_select(&src, T0_US + 4 * SEC, INT64_MAX, &sel, &e) == 0);
	CHECK_INT(sel.n_req, 0);
	trace_free(&sel);
	trace_free(&src);
	scenario_fini(&sc);
}

/* The selection keeps the trace's order, not time's: lines r0 10:00:05, r1 10:00:01, r2
 * 10:00:02, r3 10:00:09; [10:00:01, 10:00:06) holds r0, r1, r2 as requests 0, 1, 2 with their
 * own indexes, and a selection of a selection keeps the first trace's. */
static void select_keeps_trace_order(void)
{
	const char *lines = REQ("10:00:05", "a", "r0", "") REQ("10:00:01", "a", "r1", "")
		REQ("10:00:02", "a", "r2", "") REQ("10:00:09", "a", "r3", "");
	struct trace src, sel = { 0 }, sel2 = { 0 };
	struct err e;
	if (trace_text(lines, &src, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK(trace_select(&src, T0_US + 1 * SEC, T0_US + 6 * SEC, &sel, &e) == 0);
	CHECK_INT(sel.n_req, 3);
	for (uint32_t i = 0; sel.draw_index && i < sel.n_req && i < 3; i++)
		CHECK_INT(trace_draw_index(&sel, i), i);
	/* [10:00:02, 10:00:06) of it: r0 (line 0) and r2 (line 2) */
	CHECK(trace_select(&sel, T0_US + 2 * SEC, T0_US + 6 * SEC, &sel2, &e) == 0);
	CHECK_INT(sel2.n_req, 2);
	if (sel2.n_req == 2 && sel2.draw_index) {
		CHECK_INT(trace_draw_index(&sel2, 0), 0);
		CHECK_INT(trace_draw_index(&sel2, 1), 2);
	}
	trace_free(&sel2);
	trace_free(&sel);
	trace_free(&src);
}

void suite_trace_select(void)
{
	RUN(select_range_draws_as_whole);
	RUN(select_keeps_trace_order);
	replay_text_done();
}
