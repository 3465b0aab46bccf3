/*
 * The watch's parts: a trace grown row by row from another replays as the
 * original does (trace_append_from), the arrival order, a played trace's requests so far
 * drawing as their lines in the whole trace (trace_select), the rolling tenant
 * windows (sim/watch.c) worked out by hand, at their edges too, the alert under
 * way (judged up to a playback's position through a quiet stretch), line mode's words in the
 * order of their instants, and the file follower through appends, a cut last line, truncation and
 * rotation (traces/follow.c).
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/watch.h"
#include "tests/test.h"
#include "tests/util_lines.h"
#include "tests/util_replay.h"
#include "tests/util_tmp.h"
#include "traces/follow.h"
#include "traces/scenario.h"

static void watch_copy_replays_alike(void)
{
	/* every kind of column: attempts with their own tokens and times, a cost, an input text and
	 * an input hash, difficulty and realtime; a scenario with a cache, routes, fallbacks and a
	 * batch queue (which takes the realtime:false request) */
	const char *lines =
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\",\"input\":\"Hi\",\"input_tokens\":100,"
		"\"output_tokens\":10,\"difficulty\":\"hard\",\"cost_usd\":0.01,\"attempts\":[{\"model\":\"small-m\","
		"\"status\":\"timeout\",\"latency_ms\":2000},{\"model\":\"large-m\",\"status\":\"ok\",\"input_tokens\":90,"
		"\"ts\":\"2026-03-02T10:00:05Z\"}]}\n"
		"{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"b\",\"task\":\"u\",\"input_hash\":\"h1\",\"input_tokens\":7,"
		"\"output_tokens\":3,\"realtime\":false,\"model\":\"small-m\",\"cached_tokens\":2}\n"
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\",\"input\":\"hi\",\"input_tokens\":100,"
		"\"output_tokens\":10,\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":40}\n";
	const char *scen = "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": \"large-m\"}, "
	                   "\"cache\": {\"enabled\": true, \"normalize\": [\"lower\"]}, \"faults\": {\"recorded\": true}, "
	                   "\"batch\": {\"enabled\": true}}";
	struct trace src, copy;
	struct scenario sc, rec;
	struct err e;
	if (trace_text(lines, &src, &e) < 0 || scenario_parse(scen, "t.json", "fixtures/tests", &sc, &e) < 0 ||
	    scenario_parse("{\"mode\": \"recorded\", \"pricing\": \"pricing.json\"}", "r.json", "fixtures/tests", &rec, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	memset(&copy, 0, sizeof copy);
	CHECK(trace_alloc(&copy, &(struct trace_shape){ 0 }) == 0);
	copy.name = strdup(src.name); /* the name is the store's, not a row's */
	for (uint32_t i = 0; i < src.n_req; i++)
		CHECK(trace_append_from(&copy, &src, i, &e) == 0);
	char *a = replay_json_of(&src, &sc), *b = replay_json_of(&copy, &sc);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	a = replay_json_of(&src, &rec);
	b = replay_json_of(&copy, &rec);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	trace_free(&copy);
	trace_free(&src);
	scenario_fini(&sc);
	scenario_fini(&rec);
}

/* A playback of a stored trace in arrival order replays a view of its first n requests
 * (watch_prefix), never a copy: each prefix replays as a copy of it does, its wide latencies and
 * call times, cost digits past the pico-USD and input texts those of its own requests.  Line 2
 * has a latency past 32 bits of µs (5,000,000 ms), a call timed 2 h after its request and a cost
 * of 13 decimals; line 3 a new input text. */
static void watch_prefix_replays_as_copy(void)
{
	const char *lines =
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\",\"input\":\"Hi\",\"input_tokens\":100,"
		"\"output_tokens\":10,\"cost_usd\":0.01,\"model\":\"small-m\"}\n"
		"{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"b\",\"task\":\"u\",\"input\":\"Ho\",\"input_tokens\":7,"
		"\"output_tokens\":3,\"cost_usd\":0.0000000000001234,\"attempts\":[{\"model\":\"small-m\","
		"\"status\":\"timeout\",\"latency_ms\":5000000},{\"model\":\"large-m\",\"status\":\"ok\","
		"\"ts\":\"2026-03-02T12:00:01Z\"}]}\n"
		"{\"ts\":\"2026-03-02T10:00:02Z\",\"tenant\":\"a\",\"task\":\"t\",\"input\":\"hey\",\"input_tokens\":100,"
		"\"output_tokens\":10,\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":40}\n"
		"{\"ts\":\"2026-03-02T10:00:03Z\",\"tenant\":\"c\",\"task\":\"t\",\"input\":\"Hi\",\"input_tokens\":100,"
		"\"output_tokens\":10,\"model\":\"large-m\"}\n";
	const char *scen = "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": \"large-m\"}, "
	                   "\"cache\": {\"enabled\": true, \"normalize\": [\"lower\"]}, \"faults\": {\"recorded\": true}}";
	struct trace src, view;
	struct scenario sc, rec;
	struct err e;
	if (trace_text(lines, &src, &e) < 0 || scenario_parse(scen, "t.json", "fixtures/tests", &sc, &e) < 0 ||
	    scenario_parse("{\"mode\": \"recorded\", \"pricing\": \"pricing.json\"}", "r.json", "fixtures/tests", &rec, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK_INT(src.n_wide, 1);
	CHECK_INT(src.n_wide_ts, 1);
	CHECK_INT(src.n_cost_sub, 1);
	static const uint32_t n_inputs[] = { 0, 1, 2, 3, 3 }; /* Hi, Ho, hey, then Hi again */
	static const uint32_t n_att[] = { 0, 1, 3, 4, 5 }, n_wide[] = { 0, 0, 1, 1, 1 }, n_sub[] = { 0, 0, 1, 1, 1 };
	for (uint32_t n = 1; n <= src.n_req; n++) {
		struct trace copy;
		memset(&copy, 0, sizeof copy);
		CHECK(trace_alloc(&copy, &(struct trace_shape){ 0 }) == 0);
		copy.name = strdup(src.name);
		for (uint32_t i = 0; i < n; i++)
			CHECK(trace_append_from(&copy, &src, i, &e) == 0);
		watch_prefix(&src, n, n_inputs[n], &view);
		CHECK_INT(view.n_req, n);
		CHECK_INT(view.n_att, n_att[n]);
		CHECK_INT(view.n_wide, n_wide[n]);
		CHECK_INT(view.n_wide_ts, n_wide[n]);
		CHECK_INT(view.n_cost_sub, n_sub[n]);
		CHECK_INT(view.inputs.n, n_inputs[n]);
		const struct scenario *both[] = { &sc, &rec };
		for (int k = 0; k < 2; k++) {
			char *a = replay_json_of(&view, both[k]), *b = replay_json_of(&copy, both[k]);
			CHECK(a && b && strcmp(a, b) == 0);
			free(a);
			free(b);
		}
		trace_free(&copy);
	}
	trace_free(&src);
	scenario_fini(&sc);
	scenario_fini(&rec);
}

static void watch_tenant_windows(void)
{
	/* now 10:02:00.  Prices (fixtures/tests/pricing.json, pUSD per token): small-m 1,000,000 in,
	 * 2,000,000 out; large-m 10,000,000 in, 20,000,000 out.  1,000 in + 100 out:
	 *   small-m: 1,000 × 1,000,000 + 100 × 2,000,000 = 1,200,000,000
	 *   large-m: 1,000 × 10,000,000 + 100 × 20,000,000 = 12,000,000,000
	 * a: 10:00:00, small-m times out (billed in full, the default) after 1 s, large-m answers at
	 *    10:00:01: 13,200,000,000 in both windows, one request that fell back;
	 * b: 09:30:00 small-m: the hour only, 1,200,000,000;
	 * e: 09:57:00 small-m, exactly 5 minutes before now: the hour only (windows are (now − w, now]);
	 * d: 10:01:00 on a model the table lacks: counted, unpriced;
	 * c: 08:00:00, outside both: listed, last (no spend and no request in the hour, after d's
	 *    request), with nothing in either window. */
	const char *lines =
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,"
		"\"attempts\":[{\"model\":\"small-m\",\"status\":\"timeout\",\"latency_ms\":1000},{\"model\":\"large-m\",\"status\":\"ok\"}]}\n"
		"{\"ts\":\"2026-03-02T09:30:00Z\",\"tenant\":\"b\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"small-m\"}\n"
		"{\"ts\":\"2026-03-02T09:57:00Z\",\"tenant\":\"e\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"small-m\"}\n"
		"{\"ts\":\"2026-03-02T10:01:00Z\",\"tenant\":\"d\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"mystery\"}\n"
		"{\"ts\":\"2026-03-02T08:00:00Z\",\"tenant\":\"c\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"small-m\"}\n";
	struct trace t;
	struct scenario sc;
	struct err e;
	struct watch_tenant *w = NULL;
	size_t n = 0;
	int64_t now = INT64_C(1772445720000000); /* 2026-03-02T10:02:00Z */
	if (trace_text(lines, &t, &e) < 0 ||
	    scenario_parse("{\"mode\": \"recorded\", \"pricing\": \"pricing.json\"}", "r.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK(watch_tenants(&t, &sc, now, &w, &n, &e) == 0);
	CHECK_INT(n, 5);
	if (n == 5) {
		CHECK_STR(intern_str(&t.names, w[0].tenant, NULL), "a");
		CHECK_INT(w[0].usd_short, 13200000000);
		CHECK_INT(w[0].usd_long, 13200000000);
		CHECK_INT(w[0].calls_short, 2);
		CHECK_INT(w[0].requests_short, 1);
		CHECK_INT(w[0].first_calls_short, 1);
		CHECK_INT(w[0].fallbacks_short, 1);
		CHECK_INT(w[0].first_calls_long, 1); /* the hour: the same request, 1 of 1 fell back */
		CHECK_INT(w[0].fallbacks_long, 1);
		CHECK_STR(intern_str(&t.names, w[1].tenant, NULL), "b"); /* ties with e, by name */
		CHECK_INT(w[1].usd_long, 1200000000);
		CHECK_INT(w[1].usd_short, 0);
		CHECK_INT(w[1].requests_long, 1);
		CHECK_INT(w[1].requests_short, 0);
		CHECK_INT(w[1].first_calls_short, 0);
		CHECK_INT(w[1].first_calls_long, 1); /* 09:30:00: the hour's, no fallback */
		CHECK_INT(w[1].fallbacks_long, 0);
		CHECK_STR(intern_str(&t.names, w[2].tenant, NULL), "e");
		CHECK_INT(w[2].requests_short, 0);
		CHECK_INT(w[2].requests_long, 1);
		CHECK_INT(w[2].first_calls_long, 1);
		CHECK_STR(intern_str(&t.names, w[3].tenant, NULL), "d");
		CHECK_INT(w[3].unpriced, 1);
		CHECK_INT(w[3].usd_long, 0);
		CHECK_INT(w[3].requests_short, 1);
		CHECK_INT(w[3].first_calls_long, 1); /* an unpriced call still counts its request's first call */
		CHECK_INT(w[3].fallbacks_long, 0);
		CHECK_STR(intern_str(&t.names, w[4].tenant, NULL), "c");
		CHECK_INT(w[4].requests_long, 0);
		CHECK_INT(w[4].usd_long, 0);
		CHECK_INT(w[4].first_calls_long, 0);
	}
	free(w);
	trace_free(&t);
	scenario_fini(&sc);
}

/* The tenant named `name` in w[0..n), or NULL. */
static const struct watch_tenant *tenant_named(const struct trace *t, const struct watch_tenant *w, size_t n,
                                               const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (strcmp(intern_str(&t->names, w[k].tenant, NULL), name) == 0)
			return &w[k];
	return NULL;
}

static void watch_window_edges(void)
{
	/* now 10:02:00; the short window (09:57:00, 10:02:00], the long one (09:02:00, 10:02:00].
	 * Billing: timeouts and server errors cost nothing.  Prices as above: 1,000 in + 100 out is
	 * 1,200,000,000 on small-m, 12,000,000,000 on large-m.
	 * f: 10:02:00, at now exactly: in both windows;
	 * g: 09:02:00, exactly an hour before: in neither, listed with nothing in them;
	 * e: 09:57:00, exactly 5 minutes before: the hour only, its call too, its first call too;
	 * h: 10:00:00, a server error then a retry on the same model: no fallback; the retry starts
	 *    at 10:00:01 (after the first call's 1 s) and costs 1,200,000,000;
	 * i: 09:56:59.5, a timeout of 1 s on small-m (out of the short window, costing nothing), then
	 *    large-m at 09:57:00.5, in it: 12,000,000,000 in both windows, one call in the short one,
	 *    but neither the request nor its first call;
	 * j: 08:00:00, before the hour, its one call timed at 09:30:00: listed for that call,
	 *    1,200,000,000 in the hour, no request in it. */
	const char *lines =
		"{\"ts\":\"2026-03-02T10:02:00Z\",\"tenant\":\"f\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"small-m\"}\n"
		"{\"ts\":\"2026-03-02T09:02:00Z\",\"tenant\":\"g\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"small-m\"}\n"
		"{\"ts\":\"2026-03-02T09:57:00Z\",\"tenant\":\"e\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,\"model\":\"small-m\"}\n"
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"h\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,"
		"\"attempts\":[{\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":1000},{\"model\":\"small-m\",\"status\":\"ok\"}]}\n"
		"{\"ts\":\"2026-03-02T09:56:59.5Z\",\"tenant\":\"i\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,"
		"\"attempts\":[{\"model\":\"small-m\",\"status\":\"timeout\",\"latency_ms\":1000},{\"model\":\"large-m\",\"status\":\"ok\"}]}\n"
		"{\"ts\":\"2026-03-02T08:00:00Z\",\"tenant\":\"j\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,"
		"\"attempts\":[{\"model\":\"small-m\",\"status\":\"ok\",\"ts\":\"2026-03-02T09:30:00Z\"}]}\n";
	struct trace t;
	struct scenario sc;
	struct err e;
	struct watch_tenant *w = NULL;
	size_t n = 0;
	int64_t now = INT64_C(1772445720000000); /* 2026-03-02T10:02:00Z */
	if (trace_text(lines, &t, &e) < 0 ||
	    scenario_parse("{\"mode\": \"recorded\", \"pricing\": \"pricing.json\", \"billing\": {\"failed\": "
	                   "{\"timeout\": \"none\", \"server_error\": \"none\"}}}", "r.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK(watch_tenants(&t, &sc, now, &w, &n, &e) == 0);
	CHECK_INT(n, 6);
	const struct watch_tenant *x;
	if ((x = tenant_named(&t, w, n, "g")) != NULL) {
		CHECK_INT(x->requests_long, 0);
		CHECK_INT(x->usd_long, 0);
		CHECK_INT(x->first_calls_long, 0);
	} else
		TEST_FAIL_("%s", "no tenant g");
	if ((x = tenant_named(&t, w, n, "f")) != NULL) {
		CHECK_INT(x->requests_short, 1);
		CHECK_INT(x->requests_long, 1);
		CHECK_INT(x->usd_short, 1200000000);
		CHECK_INT(x->usd_long, 1200000000);
		CHECK_INT(x->first_calls_short, 1);
		CHECK_INT(x->first_calls_long, 1);
	} else
		TEST_FAIL_("%s", "no tenant f");
	if ((x = tenant_named(&t, w, n, "e")) != NULL) {
		CHECK_INT(x->requests_short, 0);
		CHECK_INT(x->requests_long, 1);
		CHECK_INT(x->usd_short, 0);
		CHECK_INT(x->calls_short, 0);
		CHECK_INT(x->first_calls_short, 0);
		CHECK_INT(x->first_calls_long, 1); /* 09:57:00 is in (09:02:00, 10:02:00] */
		CHECK_INT(x->usd_long, 1200000000);
	} else
		TEST_FAIL_("%s", "no tenant e");
	if ((x = tenant_named(&t, w, n, "h")) != NULL) {
		CHECK_INT(x->calls_short, 2);
		CHECK_INT(x->first_calls_short, 1);
		CHECK_INT(x->fallbacks_short, 0);
		CHECK_INT(x->first_calls_long, 1);
		CHECK_INT(x->fallbacks_long, 0); /* a retry on the same model is no fallback */
		CHECK_INT(x->usd_short, 1200000000);
	} else
		TEST_FAIL_("%s", "no tenant h");
	if ((x = tenant_named(&t, w, n, "i")) != NULL) {
		CHECK_INT(x->requests_short, 0);
		CHECK_INT(x->requests_long, 1);
		CHECK_INT(x->calls_short, 1);
		CHECK_INT(x->first_calls_short, 0);
		CHECK_INT(x->fallbacks_short, 0);
		/* its first call at 09:56:59.5 is the hour's, and it fell back: 1 of 1 there, none in
		 * the 5 minutes */
		CHECK_INT(x->first_calls_long, 1);
		CHECK_INT(x->fallbacks_long, 1);
		CHECK_INT(x->usd_short, 12000000000);
		CHECK_INT(x->usd_long, 12000000000);
	} else
		TEST_FAIL_("%s", "no tenant i");
	if ((x = tenant_named(&t, w, n, "j")) != NULL) {
		CHECK_INT(x->requests_long, 0);
		CHECK_INT(x->first_calls_long, 1); /* its first call, timed at 09:30:00, is the hour's */
		CHECK_INT(x->fallbacks_long, 0);
		CHECK_INT(x->usd_long, 1200000000);
		CHECK_INT(x->usd_short, 0);
	} else
		TEST_FAIL_("%s", "no tenant j");
	free(w);
	trace_free(&t);
	scenario_fini(&sc);
}

/* A summarize call (live's record when the scenario summarizes: "summary": true) is no fallback
 * of the main call after it, whatever its model, as replay's recorded scenario counts it
 * (trace_att_fallback); a change of model among the main calls still is.  now 10:02:00.
 * s: 10:00:00, a summary on small-m, then the main call on large-m: 1 first call, no fallback
 *    (read as plain attempts, a change of model: 1 of 1, 100%);
 * f: 10:01:00, a summary on large-m, the main call on small-m timing out, then large-m: one
 *    fallback (small-m → large-m among the main calls), 1 of 1.
 * The recorded scenario's replay of the same lines: 1 request with a fallback, 2 summarized. */
static void watch_summary_not_fallback(void)
{
	const char *lines =
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"s\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,"
		"\"attempts\":[{\"model\":\"small-m\",\"status\":\"ok\",\"summary\":true,\"latency_ms\":1000},"
		"{\"model\":\"large-m\",\"status\":\"ok\"}]}\n"
		"{\"ts\":\"2026-03-02T10:01:00Z\",\"tenant\":\"f\",\"task\":\"t\",\"input_tokens\":1000,\"output_tokens\":100,"
		"\"attempts\":[{\"model\":\"large-m\",\"status\":\"ok\",\"summary\":true,\"latency_ms\":1000},"
		"{\"model\":\"small-m\",\"status\":\"timeout\",\"latency_ms\":1000},{\"model\":\"large-m\",\"status\":\"ok\"}]}\n";
	const char *recorded = "{\"mode\": \"recorded\", \"pricing\": \"pricing.json\"}";
	struct trace t;
	struct scenario sc;
	struct err e;
	struct watch_tenant *w = NULL;
	size_t n = 0;
	int64_t now = INT64_C(1772445720000000); /* 2026-03-02T10:02:00Z */
	if (trace_text(lines, &t, &e) < 0 || scenario_parse(recorded, "r.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK(watch_tenants(&t, &sc, now, &w, &n, &e) == 0);
	const struct watch_tenant *x;
	if ((x = tenant_named(&t, w, n, "s")) != NULL) {
		CHECK_INT(x->first_calls_short, 1);
		CHECK_INT(x->fallbacks_short, 0);
		CHECK_INT(x->first_calls_long, 1);
		CHECK_INT(x->fallbacks_long, 0);
	} else
		TEST_FAIL_("%s", "no tenant s");
	if ((x = tenant_named(&t, w, n, "f")) != NULL) {
		CHECK_INT(x->first_calls_short, 1);
		CHECK_INT(x->fallbacks_short, 1);
		CHECK_INT(x->fallbacks_long, 1);
	} else
		TEST_FAIL_("%s", "no tenant f");
	free(w);
	trace_free(&t);
	scenario_fini(&sc);
	struct result_scenario r;
	if (replay_case(lines, recorded, &r) < 0)
		return;
	CHECK_INT(r.totals.requests_with_fallback, 1);
	CHECK_INT(r.totals.summarized, 2);
	result_scenario_fini(&r);
}

static void watch_arrival_order(void)
{
	/* by time, ties in the trace's order: lines 0 and 2 at 10:00:01, 1 and 3 at 10:00:00 */
	const char *lines =
		"{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1}\n"
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"b\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1}\n"
		"{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"c\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1}\n"
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"d\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1}\n";
	struct trace t;
	struct err e;
	if (trace_text(lines, &t, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	uint32_t *order = trace_arrival_order(&t);
	static const uint32_t want[] = { 1, 3, 0, 2 };
	CHECK(order != NULL);
	for (int k = 0; order && k < 4; k++)
		CHECK_INT(order[k], want[k]);
	free(order);
	trace_free(&t);
}

/* A stored trace played back to a time: its requests arrived by then, in its own order, each
 * drawing as its line in the whole trace.  Seed 1, small-m server_error injected at rate 0.2,
 * one attempt; small-m attempt 1 draws (test_replay_faults.c, draw_index_skips_blank_lines):
 * index 0 → 0.070419 (fails), 1 → 0.296771 (ok), 2 → 0.061536 (fails).  Lines: r0 at
 * 10:00:02, r1 at 10:00:00, r2 at 10:00:01.  Played to 10:00:01: r1 and r2, which draw as
 * lines 1 and 2: r1 ok, r2 fails (renumbered 0 and 1, r1 would fail and r2 not). */
static void watch_played_subtrace(void)
{
	const char *lines = REQ("10:00:02", "a", "r0", "") REQ("10:00:00", "a", "r1", "") REQ("10:00:01", "a", "r2", "");
	const char *scen = "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": "
	                   "\"large-m\"}, \"seed\": 1, \"retry\": {\"max_attempts\": 1}, \"faults\": {\"inject\": ["
	                   INJ("small-m", "server_error", 0.2) "]}}";
	struct trace src, sub = { 0 };
	struct scenario sc;
	struct err e;
	if (trace_text(lines, &src, &e) < 0 || scenario_parse(scen, "t.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	CHECK(src.draw_index == NULL); /* a trace of its own draws as its lines */
	CHECK_INT(trace_draw_index(&src, 2), 2);
	CHECK(trace_select(&src, INT64_MIN, INT64_C(1772445601000001), &sub, &e) == 0); /* 10:00:01 */
	CHECK_INT(sub.n_req, 2);
	if (sub.n_req == 2 && sub.draw_index) {
		CHECK_INT(sub.draw_index[0], 1);
		CHECK_INT(sub.draw_index[1], 2);
		char at[CLOCK_TEXT_MAX], where[TRACE_WHERE_MAX];
		trace_request_where(&sub, 1, at, where); /* named by its line in the stored trace */
		CHECK_HAS(where, "task r2; accepted line 3 of the trace");
		struct replay_trace *rt = NULL;
		struct result_scenario r;
		if (replay_prepare(&sub, &rt, &e) == 0 && replay_prepare_scenario(rt, &sc, &e) == 0 &&
		    replay_run(rt, &sc, &r, NULL, &e) == 0) {
			CHECK_INT(TASK(r, "r1").resolved, 1);
			CHECK_INT(TASK(r, "r1").failed, 0);
			CHECK_INT(TASK(r, "r2").failed, 1);
			result_scenario_fini(&r);
		} else {
			TEST_FAIL_("replay: %s", e.msg);
		}
		replay_trace_free(rt);
	}
	trace_free(&sub);
	/* played to its end: the whole trace, replayed as it is */
	CHECK(trace_select(&src, INT64_MIN, INT64_MAX, &sub, &e) == 0);
	char *a = replay_json_of(&src, &sc), *b = replay_json_of(&sub, &sc);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	trace_free(&sub);
	trace_free(&src);
	scenario_fini(&sc);
}

static void watch_replay_tenants_by_name(void)
{
	/* A stored trace played up to 10:00:20, whose replay's trace (the subtrace) has names of its
	 * own: b (10:00:30, line 1) is not in it yet.  The cache (key: tenant and the input, lowered)
	 * inserts when the answer arrives (small-m: 100 + 100 × 1 = 200 ms): a's 10:00:00 misses,
	 * its 10:00:10 and 10:00:20 hit (2 of 3); c's 10:00:05 has a key of its own and misses
	 * (0 of 1).  Each miss is a call on small-m: 1,000 in × $1/1M + 100 out × $2/1M = $0.0012,
	 * 1,200,000,000 pUSD. */
	const char *lines = REQ("10:00:30", "b", "t", INPUT("hi")) REQ("10:00:00", "a", "t", INPUT("hi"))
		REQ("10:00:10", "a", "t", INPUT("Hi")) REQ("10:00:20", "a", "t", INPUT("hi")) REQ("10:00:05", "c", "t", INPUT("hi"));
	const char *scen = SCN ", \"cache\": {\"enabled\": true, \"normalize\": [\"lower\"]}}";
	struct trace src, sub = { 0 };
	struct scenario sc;
	struct err e;
	struct replay_trace *rt = NULL;
	struct result_scenario r;
	uint32_t *ix = NULL, n = 0, id;
	if (trace_text(lines, &src, &e) < 0 || scenario_parse(scen, "t.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return;
	}
	if (trace_select(&src, INT64_MIN, T0_US + 20 * SEC + 1, &sub, &e) < 0 || replay_prepare(&sub, &rt, &e) < 0 ||
	    replay_prepare_scenario(rt, &sc, &e) < 0 || replay_run(rt, &sc, &r, NULL, &e) < 0) {
		TEST_FAIL_("replay: %s", e.msg);
		replay_trace_free(rt);
		trace_free(&sub);
		trace_free(&src);
		scenario_fini(&sc);
		return;
	}
	CHECK(watch_replay_tenants(&r, &src.names, &ix, &n) == 0);
	/* the replay's names are gone with its trace; the index, by the whole trace's ids, stays */
	replay_trace_free(rt);
	trace_free(&sub);
	CHECK_INT(n, src.names.n);
	CHECK(intern_find(&src.names, "a", 1, &id) && id < n);
	if (ix && id < n && ix[id] != UINT32_MAX) {
		CHECK_INT(r.by_tenant[ix[id]].requests, 3);
		CHECK_INT(r.by_tenant[ix[id]].cache_hits, 2);
		CHECK_INT(r.by_tenant[ix[id]].usd_total, 1200000000);
	} else
		TEST_FAIL_("%s", "a not in the index");
	CHECK(intern_find(&src.names, "c", 1, &id) && id < n);
	if (ix && id < n && ix[id] != UINT32_MAX) {
		CHECK_INT(r.by_tenant[ix[id]].requests, 1);
		CHECK_INT(r.by_tenant[ix[id]].cache_hits, 0);
		CHECK_INT(r.by_tenant[ix[id]].usd_total, 1200000000);
	} else
		TEST_FAIL_("%s", "c not in the index");
	/* b came after the replay; t is a task, no tenant */
	CHECK(intern_find(&src.names, "b", 1, &id) && id < n && ix && ix[id] == UINT32_MAX);
	CHECK(intern_find(&src.names, "t", 1, &id) && id < n && ix && ix[id] == UINT32_MAX);
	free(ix);
	result_scenario_fini(&r);
	trace_free(&src);
	scenario_fini(&sc);
}

static void watch_alert_under_way(void)
{
	/* a flood that last fired at 10:05:00 is under way until the next instant, 10:06:00 */
	struct alert al[2] = { { .kind = ALERT_COST_GUARD, .start_us = 0, .end_us = INT64_C(1772445900000000) },
	                       { .kind = ALERT_FALLBACK_FLOOD, .start_us = 0, .end_us = INT64_C(1772445900000000) } };
	struct result_scenario r = { .alerts = al, .n_alerts = 2 };
	CHECK(watch_alert_open(&r, ALERT_FALLBACK_FLOOD, INT64_C(1772445959999999)) == &al[1]);
	CHECK(watch_alert_open(&r, ALERT_FALLBACK_FLOOD, INT64_C(1772445960000000)) == NULL);
	CHECK(watch_alert_open(&r, ALERT_COST_GUARD, INT64_C(1772445900000000)) == &al[0]);
}

/* A flood begun at an instant past the lines (10:05:00, lines up to 10:03:58) is not under way
 * yet: its window may get more lines. */
static void watch_alert_not_yet(void)
{
	struct alert al = { .kind = ALERT_FALLBACK_FLOOD, .start_us = INT64_C(1772445900000000), /* 10:05 */
	                    .end_us = INT64_C(1772445900000000) };
	struct result_scenario r = { .alerts = &al, .n_alerts = 1 };
	CHECK(watch_alert_open(&r, ALERT_FALLBACK_FLOOD, INT64_C(1772445838000000)) == NULL); /* 10:03:58 */
	CHECK(watch_alert_open(&r, ALERT_FALLBACK_FLOOD, INT64_C(1772445900000000)) == &al);
}

static void said_log(void *ctx, const struct alert *al, enum watch_said_what what)
{
	char *log = ctx;
	size_t n = strlen(log);
	const char *w = what == WATCH_STARTED ? "started" : what == WATCH_ENDED ? "ended" : "withdrawn";
	snprintf(log + n, 256 - n, "%s %lld; ", w,
	         (long long)((al->start_us - INT64_C(1772445600000000)) / 60000000)); /* minutes after 10:00 */
}

/* Line mode's words, replay by replay (minutes after 10:00; `covered` the lines' reach):
 * 1. floods 10:01–10:04 and 10:05, lines to 10:03:58: the first starts, open at 10:03; the
 *    second is past the lines, not said;
 * 2. the first alone, lines to 10:05:30: over at 10:05 (it last fired at 10:04): ended;
 * 3. neither, lines to 10:06: the first, said, is withdrawn;
 * 4. a flood at 10:07 at the end (all final): started and ended. */
static void watch_said_replay_by_replay(void)
{
	const int64_t m = 60000000, t0 = INT64_C(1772445600000000);
	struct alert a[2] = { { .kind = ALERT_FALLBACK_FLOOD, .start_us = t0 + m, .end_us = t0 + 4 * m },
	                      { .kind = ALERT_FALLBACK_FLOOD, .start_us = t0 + 5 * m, .end_us = t0 + 5 * m } };
	struct alert c = { .kind = ALERT_FALLBACK_FLOOD, .start_us = t0 + 7 * m, .end_us = t0 + 7 * m };
	struct result_scenario r = { .alerts = a, .n_alerts = 2 };
	struct watch_said s = { 0 };
	char log[256] = "";
	CHECK(watch_said_update(&s, &r, t0 + 3 * m + 58000000, said_log, log) == 0);
	CHECK_STR(log, "started 1; ");
	log[0] = 0;
	r.n_alerts = 1;
	CHECK(watch_said_update(&s, &r, t0 + 5 * m + 30000000, said_log, log) == 0);
	CHECK_STR(log, "ended 1; ");
	log[0] = 0;
	r.n_alerts = 0;
	CHECK(watch_said_update(&s, &r, t0 + 6 * m, said_log, log) == 0);
	CHECK_STR(log, "withdrawn 1; ");
	log[0] = 0;
	r.alerts = &c;
	r.n_alerts = 1;
	CHECK(watch_said_update(&s, &r, INT64_MAX, said_log, log) == 0);
	CHECK_STR(log, "started 7; ended 7; ");
	watch_said_fini(&s);
}

/* One update's lines in the order of their instants, so that a playback says the same lines
 * whatever its replays cover: a cost_guard 10:01–10:09, floods 10:03–10:05 and 10:09–10:10,
 * all final.  By instant: starts 1 and 3, end 5 (the flood begun at 3), start 9, then at 9 the
 * cost_guard's end after the start, end 10.  Judged first up to 10:09:30 (the cost_guard last
 * fired at 10:09, the latest instant: under way), then at the end, the lines are the same. */
static void watch_said_in_instant_order(void)
{
	const int64_t m = 60000000, t0 = INT64_C(1772445600000000);
	struct alert a[3] = { { .kind = ALERT_COST_GUARD, .start_us = t0 + m, .end_us = t0 + 9 * m },
	                      { .kind = ALERT_FALLBACK_FLOOD, .start_us = t0 + 3 * m, .end_us = t0 + 5 * m },
	                      { .kind = ALERT_FALLBACK_FLOOD, .start_us = t0 + 9 * m, .end_us = t0 + 10 * m } };
	struct result_scenario r = { .alerts = a, .n_alerts = 3 };
	const char *want = "started 1; started 3; ended 3; started 9; ended 1; ended 9; ";
	struct watch_said s = { 0 };
	char log[256] = "";
	CHECK(watch_said_update(&s, &r, INT64_MAX, said_log, log) == 0);
	CHECK_STR(log, want);
	watch_said_fini(&s);
	log[0] = 0;
	CHECK(watch_said_update(&s, &r, t0 + 9 * m + 30000000, said_log, log) == 0);
	CHECK_STR(log, "started 1; started 3; ended 3; started 9; ");
	CHECK(watch_said_update(&s, &r, INT64_MAX, said_log, log) == 0);
	CHECK_STR(log, want);
	watch_said_fini(&s);
}

/* The alerts of a replay of `lines` (recorded; fallback_flood only: window 300 s, rate 0.2, min 3
 * first calls) judged through `through` and until `until` (INT64_MIN, INT64_MAX: as the replay
 * alone judges them).  -1 when it could not run (the test failed). */
static int flood_alerts(const char *lines, int64_t through, int64_t until, struct result_scenario *r)
{
	const char *scen = "{\"name\": \"recorded\", \"mode\": \"recorded\", \"pricing\": \"pricing.json\", \"alerts\": "
	                   "{\"cost_guard\": null, \"fallback_flood\": {\"window_s\": 300, \"rate\": 0.2, \"min_requests\": 3}}}";
	struct trace t;
	struct scenario sc;
	struct replay_trace *rt = NULL;
	struct err e;
	int rc = -1;
	if (trace_text(lines, &t, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return -1;
	}
	if (scenario_parse(scen, "t.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		trace_free(&t);
		return -1;
	}
	if (replay_prepare(&t, &rt, &e) == 0 && replay_prepare_scenario(rt, &sc, &e) == 0) {
		if (through != INT64_MIN)
			replay_alerts_through(rt, through);
		if (until != INT64_MAX)
			replay_alerts_until(rt, until);
		rc = replay_run(rt, &sc, r, NULL, &e);
	}
	if (rc < 0)
		TEST_FAIL_("replay: %s", e.msg);
	replay_trace_free(rt);
	trace_free(&t);
	scenario_fini(&sc);
	return rc;
}

/* A replay of the trace so far judges its alerts up to the playback's position when asked
 * (replay_alerts_through), past its last event, as the whole trace's replay would: r0, r3 and
 * r4 fall back (a timeout of 10 ms, then large-m), r1 and r2 do not, then nothing.  Window
 * 300 s, rate 0.2, min 3 first calls.  10:01 ([09:56, 10:01)): r0–r2, 1 of 3 fell back;
 * 10:02: 3 of 5 (the peak, 0.6); 10:03, 10:04, 10:05 ([10:00, 10:05) still holds r0's first call
 * at 10:00:00): 3 of 5; 10:06: r3 and r4 only, 2 < 3.  The replay alone stops at 10:02, the
 * first instant at or after its last event (r4's end, 10:01:20.020). */
static void watch_alerts_through_quiet(void)
{
#define FB(hms, task) REQ(hms, "a", task, ATTS(ATT("small-m", "timeout", LAT(10)) "," ATT("large-m", "ok", LAT(10))))
	const char *lines = FB("10:00:00", "r0") REQ("10:00:10", "a", "r1", OK_SMALL) REQ("10:00:20", "a", "r2", OK_SMALL)
	                    FB("10:01:10", "r3") FB("10:01:20", "r4");
#undef FB
	const int64_t m = 60 * SEC;
	for (int through = 0; through < 2; through++) {
		struct result_scenario r;
		if (flood_alerts(lines, through ? T0_US + 7 * m + 30 * SEC : INT64_MIN, INT64_MAX, &r) < 0) /* 10:07:30 */
			break;
		CHECK_INT(r.n_alerts, 1);
		if (r.n_alerts == 1) {
			CHECK_INT(r.alerts[0].start_us, T0_US + m);
			CHECK_INT(r.alerts[0].end_us, T0_US + (through ? 5 : 2) * m);
			CHECK(fabs(r.alerts[0].first_value_rate - 1.0 / 3.0) < 1e-12); /* its first instant's */
			CHECK(fabs(r.alerts[0].value_rate - 0.6) < 1e-12);              /* its peak's */
			/* under way as of 10:05:59 only when judged that far */
			CHECK((watch_alert_open(&r, ALERT_FALLBACK_FLOOD, T0_US + 5 * m + 59 * SEC) != NULL) == through);
		}
		result_scenario_fini(&r);
	}
}

/* A replay of the trace so far judges no instant past the time its lines reach when asked
 * (replay_alerts_until): the instants after it may get more lines (a flood's fellow requests
 * still to arrive), and were judged on the windows as they stood.  r0–r2 arrive at 10:00:00,
 * :10 and :20, each first call timing out after 60 s, then falling back to large-m (at 10:01:00,
 * :10, :20).  The last event is r2's fallback's end (10:01:20.010), so the replay alone judges
 * 10:01 ([09:56, 10:01): 3 first calls, no fallback yet) and 10:02 (3 of 3 fell back: fires,
 * rate 1.0).  Until 10:00:30 (a playback's position) it judges none: no alert; until 10:02:30
 * it judges both: the alert at 10:02, as the whole replay has it. */
static void watch_alerts_until_settled(void)
{
#define FB(hms, task) REQ(hms, "a", task, ATTS(ATT("small-m", "timeout", LAT(60000)) "," ATT("large-m", "ok", LAT(10))))
	const char *lines = FB("10:00:00", "r0") FB("10:00:10", "r1") FB("10:00:20", "r2");
#undef FB
	const int64_t m = 60 * SEC;
	const int64_t until[3] = { INT64_MAX, T0_US + 30 * SEC, T0_US + 2 * m + 30 * SEC };
	const size_t want[3] = { 1, 0, 1 };
	for (int k = 0; k < 3; k++) {
		struct result_scenario r;
		if (flood_alerts(lines, INT64_MIN, until[k], &r) < 0)
			break;
		CHECK_INT(r.n_alerts, want[k]);
		if (r.n_alerts == 1) {
			CHECK_INT(r.alerts[0].start_us, T0_US + 2 * m);
			CHECK_INT(r.alerts[0].end_us, T0_US + 2 * m);
			CHECK(fabs(r.alerts[0].value_rate - 1.0) < 1e-12);
		}
		result_scenario_fini(&r);
	}
}

struct got {
	char lines[16][16];
	uint64_t no[16];
	int n;
};

static int take(void *ctx, const char *line, size_t len, uint64_t line_no)
{
	struct got *g = ctx;
	if (g->n < 16) {
		snprintf(g->lines[g->n], sizeof g->lines[g->n], "%.*s", (int)len, line);
		g->no[g->n++] = line_no;
	}
	return 0;
}

static void append(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A fresh folder for a followed file: its path t.jsonl and its rotated name t.jsonl.1; -1 when the
 * folder cannot be made.  follow_files_done removes them. */
static int follow_files(char dir[200], char path[256], char old[264])
{
	if (test_tmpdir("follow", dir, 200) < 0)
		return -1;
	snprintf(path, 256, "%s/t.jsonl", dir);
	snprintf(old, 264, "%s.1", path);
	return 0;
}

static void follow_files_done(const char *dir, const char *path, const char *old)
{
	unlink(path);
	unlink(old);
	rmdir(dir);
}

/* The n lines handed over are want[], numbered want_no[] (NULL: not checked). */
static void check_lines(const struct got *g, const char *const *want, const uint64_t *want_no, int n)
{
	CHECK_INT(g->n, n);
	for (int i = 0; i < g->n && i < n; i++) {
		CHECK_STR(g->lines[i], want[i]);
		if (want_no)
			CHECK_INT(g->no[i], want_no[i]);
	}
}

static void watch_follow_file(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (follow_files(dir, path, old) < 0)
		return;
	append(path, "w", "a\nb");
	CHECK(follow_open(&f, path, &e) == 0);
	f.old_quiet_us = 0; /* a rotated file is done with at once (watch_follow_held waits) */
	CHECK_INT(follow_poll(&f, take, &g, &e), 1); /* "b" waits for its end */
	append(path, "a", "\r\nc\n");
	CHECK_INT(follow_poll(&f, take, &g, &e), 2);
	CHECK_INT(follow_poll(&f, take, &g, &e), 0);
	append(path, "w", "d\n"); /* truncated: read again from the start */
	CHECK_INT(follow_poll(&f, take, &g, &e), 1);
	CHECK_INT(f.truncations, 1);
	rename(path, old);      /* rotated: the old file's last lines, then the new file's */
	append(old, "a", "e\nf");
	append(path, "w", "g\n");
	CHECK_INT(follow_poll(&f, take, &g, &e), 3);
	CHECK_INT(f.rotations, 1);
	static const char *const want[] = { "a", "b", "c", "d", "e", "f", "g" };
	static const uint64_t want_no[] = { 1, 2, 3, 1, 2, 3, 1 };
	check_lines(&g, want, want_no, 7);
	follow_close(&f);
	CHECK(follow_open(&f, dir, &e) < 0); /* a folder is not followed */
	CHECK(strstr(e.msg, "not a regular file") != NULL);
	follow_close(&f);
	follow_files_done(dir, path, old);
}

static void watch_follow_edges(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (follow_files(dir, path, old) < 0)
		return;
	append(path, "w", "a\npart");
	CHECK(follow_open(&f, path, &e) == 0);
	CHECK_INT(follow_poll(&f, take, &g, &e), 1);
	append(path, "w", "x\n"); /* truncated while "part" waited for its end: the new file alone */
	CHECK_INT(follow_poll(&f, take, &g, &e), 1);
	rename(path, old);        /* rotated after a complete line: no empty line at the old file's end */
	append(old, "a", "y\n");
	append(path, "w", "z\n");
	CHECK_INT(follow_poll(&f, take, &g, &e), 2);
	static const char *const want[] = { "a", "x", "y", "z" };
	check_lines(&g, want, NULL, 4);
	follow_close(&f);
	follow_files_done(dir, path, old);
}

/* At the stop, the last lines without their end are handed over, as the import takes them: the old
 * file's (kept since a rotation, still within its quiet second) first, then the current one's; a
 * second call has none left, and a file that ends with its newline has none. */
static void watch_follow_finish(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (follow_files(dir, path, old) < 0)
		return;
	append(path, "w", "a\nb");
	CHECK(follow_open(&f, path, &e) == 0);
	f.old_quiet_us = 60 * 1000000; /* the old file is kept open until the stop */
	CHECK_INT(follow_poll(&f, take, &g, &e), 1); /* "b" waits for its end */
	rename(path, old);
	append(path, "w", "c\nd\r");
	CHECK_INT(follow_poll(&f, take, &g, &e), 1); /* "c"; "b" and "d" wait */
	CHECK_INT(follow_finish(&f, take, &g, &e), 2);
	CHECK_INT(follow_finish(&f, take, &g, &e), 0);
	static const char *const want[] = { "a", "c", "b", "d" };
	static const uint64_t want_no[] = { 1, 1, 2, 2 };
	check_lines(&g, want, want_no, 4);
	follow_close(&f);
	g.n = 0;
	append(path, "w", "x\n");
	CHECK(follow_open(&f, path, &e) == 0);
	CHECK_INT(follow_poll(&f, take, &g, &e), 1);
	CHECK_INT(follow_finish(&f, take, &g, &e), 0);
	follow_close(&f);
	follow_files_done(dir, path, old);
}

/* take, stopping once it has taken "b" */
static int take_until_b(void *ctx, const char *line, size_t len, uint64_t line_no)
{
	take(ctx, line, len, line_no);
	return len == 1 && line[0] == 'b';
}

/* A callback that stops the reading has had its lines: the stop hands over only those after them
 * (before: "a" and "b" again, numbered 3 and 4), with their numbers. */
static void watch_follow_stop_not_again(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (follow_files(dir, path, old) < 0)
		return;
	append(path, "w", "a\nb\nc\nd");
	CHECK(follow_open(&f, path, &e) == 0);
	CHECK_INT(follow_poll(&f, take_until_b, &g, &e), -1);
	CHECK_INT(follow_finish(&f, take, &g, &e), 2); /* "c", and "d" without its end */
	static const char *const want[] = { "a", "b", "c", "d" };
	static const uint64_t want_no[] = { 1, 2, 3, 4 };
	check_lines(&g, want, want_no, 4);
	follow_close(&f);
	follow_files_done(dir, path, old);
}

/* Counts the lines handed over and keeps their numbers and first bytes. */
static int take_long(void *ctx, const char *line, size_t len, uint64_t line_no)
{
	return take(ctx, line, len < 8 ? len : 8, line_no);
}

static void watch_follow_long_line(void)
{
	/* a line longer than FOLLOW_LINE_MAX is handed over cut, once: its rest is not another line,
	 * and the next line keeps its own number, 3 */
	char dir[200], path[256];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (test_tmpdir("follow", dir, sizeof dir) < 0)
		return;
	snprintf(path, sizeof path, "%s/long.jsonl", dir);
	FILE *w = fopen(path, "w");
	if (!w)
		return;
	fputs("a\n", w);
	for (size_t i = 0; i < FOLLOW_LINE_MAX + 4096; i++)
		fputc('x', w);
	fputs("\nb\n", w);
	fclose(w);
	CHECK(follow_open(&f, path, &e) == 0);
	long lines = 0, polls = 0; /* read in steps of FOLLOW_POLL_MAX bytes: 64 MiB + 4 KiB in 9 */
	do
		lines += follow_poll(&f, take_long, &g, &e);
	while (follow_behind(&f) && ++polls < 100);
	CHECK_INT(polls, (FOLLOW_LINE_MAX + 4096 + 6) / FOLLOW_POLL_MAX);
	CHECK_INT(lines, 3);
	CHECK_INT(g.n, 3);
	if (g.n == 3) {
		CHECK_STR(g.lines[1], "xxxxxxxx");
		CHECK_STR(g.lines[2], "b");
		CHECK_INT(g.no[2], 3);
	}
	follow_close(&f);
	unlink(path);
	rmdir(dir);
}

/* A poll reads at most poll_max bytes of a file (here 9), so that a large file is read in steps
 * and a stop is seen between them: behind says there may be more.  A stop while behind hands
 * over no line cut by the step (its rest is unread: no last line); a rotation is looked for only
 * once the file is read to its end, so its lines all come before the new file's. */
static void watch_follow_in_steps(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (follow_files(dir, path, old) < 0)
		return;
	append(path, "w", "aaa\nbbb\nccc\nddd\nee");
	CHECK(follow_open(&f, path, &e) == 0);
	f.poll_max = 9;
	f.old_quiet_us = 0;
	CHECK_INT(follow_poll(&f, take, &g, &e), 2); /* "aaa\nbbb\nc" */
	CHECK(follow_behind(&f));
	CHECK_INT(follow_finish(&f, take, &g, &e), 0); /* "c" is no last line */
	CHECK_INT(follow_poll(&f, take, &g, &e), 2); /* "cc\nddd\nee": 9 bytes, maybe more */
	CHECK(follow_behind(&f));
	CHECK_INT(follow_poll(&f, take, &g, &e), 0);
	CHECK(!follow_behind(&f));
	append(path, "a", "\nf1\nf2\nf3\n");
	rename(path, old);
	append(path, "w", "n1\n");
	CHECK_INT(follow_poll(&f, take, &g, &e), 3); /* "\nf1\nf2\nf": "ee", f1, f2 */
	CHECK_INT(f.rotations, 0);
	CHECK_INT(follow_poll(&f, take, &g, &e), 2); /* "3\n" to the old file's end, then the new "n1" */
	CHECK_INT(f.rotations, 1);
	static const char *const want[] = { "aaa", "bbb", "ccc", "ddd", "ee", "f1", "f2", "f3", "n1" };
	check_lines(&g, want, NULL, 9);
	follow_close(&f);
	follow_files_done(dir, path, old);
}

/* A copy-truncate (logrotate's copytruncate): the file truncated in place while its writer, not
 * appending, writes on at its offset, leaving a hole of NUL bytes before its next line.  The
 * NULs are no line, whether the truncation was seen (read again from the start) or not (the file
 * grew past the offset read before the next poll). */
static void watch_follow_copy_truncate(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (follow_files(dir, path, old) < 0)
		return;
	append(path, "w", "a\nb\n");
	CHECK(follow_open(&f, path, &e) == 0);
	CHECK_INT(follow_poll(&f, take, &g, &e), 2);
	int fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && ftruncate(fd, 0) == 0);
	CHECK_INT(follow_poll(&f, take, &g, &e), 0); /* seen: from the start again */
	CHECK_INT(f.truncations, 1);
	CHECK(pwrite(fd, "c\n", 2, 4) == 2);         /* the writer at its offset, 4: "\0\0\0\0c\n" */
	CHECK_INT(follow_poll(&f, take, &g, &e), 1);
	CHECK(ftruncate(fd, 0) == 0);                /* not seen: the writer is past 6 by the next poll */
	CHECK(pwrite(fd, "d\n", 2, 8) == 2);         /* read from 6: "\0\0d\n" */
	CHECK_INT(follow_poll(&f, take, &g, &e), 1);
	CHECK(pwrite(fd, "\0\0", 2, 10) == 2);       /* NULs waiting for more: no line at the stop */
	CHECK_INT(follow_poll(&f, take, &g, &e), 0);
	CHECK_INT(follow_finish(&f, take, &g, &e), 0);
	if (fd >= 0)
		close(fd);
	static const char *const want[] = { "a", "b", "c", "d" };
	static const uint64_t want_no[] = { 1, 2, 1, 2 };
	check_lines(&g, want, want_no, 4);
	follow_close(&f);
	follow_files_done(dir, path, old);
}

/* A logger that holds its file and writes on after the rotation (until it reopens): the old
 * file is read on until it has been quiet for old_quiet_us (here 0.2 s), a line split across
 * the rotation whole, its lines told apart (from_old), the new file's read beside it. */
struct got_old {
	const struct follow *f;
	struct got g;
	int old[16];
};

static int take_old(void *ctx, const char *line, size_t len, uint64_t line_no)
{
	struct got_old *o = ctx;
	if (o->g.n < 16)
		o->old[o->g.n] = o->f->from_old;
	return take(&o->g, line, len, line_no);
}

static void watch_follow_held(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got_old o;
	memset(&o, 0, sizeof o);
	o.f = &f;
	if (test_tmpdir("held", dir, sizeof dir) < 0)
		return;
	snprintf(path, sizeof path, "%s/t.jsonl", dir);
	snprintf(old, sizeof old, "%s.1", path);
	FILE *w = fopen(path, "w"); /* the logger's descriptor */
	if (!w) {
		TEST_FAIL_("%s", "fopen");
		return;
	}
	setvbuf(w, NULL, _IONBF, 0);
	fputs("a\nb1", w); /* "b1" + "b2" is one line, cut by the rotation */
	CHECK(follow_open(&f, path, &e) == 0);
	f.old_quiet_us = 200000;
	CHECK_INT(follow_poll(&f, take_old, &o, &e), 1);
	rename(path, old);
	append(path, "w", "n1\n"); /* logrotate's new file, written by another process */
	CHECK_INT(follow_poll(&f, take_old, &o, &e), 1); /* n1; the old file held open */
	fputs("b2\nc\n", w); /* the logger writes on to the old file */
	CHECK_INT(follow_poll(&f, take_old, &o, &e), 2);
	fputs("d", w);
	fclose(w);
	CHECK_INT(follow_poll(&f, take_old, &o, &e), 0); /* "d" waits for its end, or quiet */
	usleep(300000); /* quiet: closed, its last line handed over without an end */
	CHECK_INT(follow_poll(&f, take_old, &o, &e), 1);
	append(old, "a", "late\n"); /* after it was closed: not read */
	append(path, "a", "n2\n");
	CHECK_INT(follow_poll(&f, take_old, &o, &e), 1);
	static const char *const want[] = { "a", "n1", "b1b2", "c", "d", "n2" };
	static const uint64_t want_no[] = { 1, 1, 2, 3, 4, 2 };
	static const int want_old[] = { 0, 0, 1, 1, 1, 0 };
	CHECK_INT(o.g.n, 6);
	for (int i = 0; i < o.g.n && i < 6; i++) {
		CHECK_STR(o.g.lines[i], want[i]);
		CHECK_INT(o.g.no[i], want_no[i]);
		CHECK_INT(o.old[i], want_old[i]);
	}
	follow_close(&f);
	follow_files_done(dir, path, old);
}

/* The replay's cadence: once a second, or five times the last replay's length when that is
 * over a fifth of a second (times in µs from the last replay's start). */
static void watch_replay_cadence(void)
{
	CHECK(!watch_replay_due(0, 0, 999999));
	CHECK(watch_replay_due(0, 0, 1000000));
	CHECK(watch_replay_due(0, 200000, 1000000));       /* 200,000 × 5 = 1 s: the second */
	CHECK(!watch_replay_due(0, 200001, 1000004));      /* 200,001 × 5 = 1,000,005 */
	CHECK(watch_replay_due(0, 200001, 1000005));
	CHECK(!watch_replay_due(5000000, 3000000, 19999999)); /* 5 s + 3 s × 5 = 20 s */
	CHECK(watch_replay_due(5000000, 3000000, 20000000));
}

/* The screen's tenant windows: computed at once, then again only when lines were read or
 * now's second changed, and then no sooner than five times as long as they took: computed last
 * at 10 s (monotonic), taking 0.1 s (again 0.5 s later), 0.5 s (2.5 s later) or 1 ms (5 ms
 * later: at the next tick, with the lines the header counts), over 100 requests as of now
 * 1,000.5 s (its second: 1,000). */
static void watch_tenants_cadence(void)
{
	struct watch_tenants_at none = { 0 };
	CHECK(watch_tenants_due(&none, 0, 0, 0));
	struct watch_tenants_at at = { .have = 1, .rows = 100, .second = 1000, .began = 10000000, .took = 100000 };
	CHECK(!watch_tenants_due(&at, 100, 1000999999, 60000000)); /* the same lines and second: never */
	CHECK(!watch_tenants_due(&at, 100, 1000000000, 60000000));
	CHECK(!watch_tenants_due(&at, 101, 1000500000, 10499999)); /* a line read: not before 10.5 s */
	CHECK(watch_tenants_due(&at, 101, 1000500000, 10500000));
	CHECK(!watch_tenants_due(&at, 100, 1001000000, 10499999)); /* the next second: from 10.5 s */
	CHECK(watch_tenants_due(&at, 100, 1001000000, 10500000));
	CHECK(watch_tenants_due(&at, 100, 999999999, 10500000));   /* a second earlier (a truncated file) */
	at.took = 500000;                                          /* 10 s + 0.5 s × 5 = 12.5 s */
	CHECK(!watch_tenants_due(&at, 101, 1001000000, 12499999));
	CHECK(watch_tenants_due(&at, 101, 1001000000, 12500000));
	at.took = 1000;                                            /* the tick after, 0.25 s on */
	CHECK(!watch_tenants_due(&at, 101, 1000500000, 10004999));
	CHECK(watch_tenants_due(&at, 101, 1000500000, 10250000));
}

/* A playback's position: 3 s at 8x from 10:00:00 is 10:00:24 (cli_watch's --speed 8 plays its
 * 24 s in 3 s); 0.5 s at 0.5x is 0.25 s on; at 1e9, 1 µs is 1,000 s. */
static void watch_play_speed(void)
{
	int64_t ten = INT64_C(1772445600000000); /* 2026-03-02T10:00:00Z */
	CHECK_INT(watch_play_position(ten, 5000000, 8000000, 8), ten + 24000000);
	CHECK_INT(watch_play_position(ten, 5000000, 5500000, 0.5), ten + 250000);
	CHECK_INT(watch_play_position(ten, 5000000, 5000001, 1e9), ten + INT64_C(1000000000));
	CHECK_INT(watch_play_position(ten, 5000000, 5000000, 8), ten);
}

void suite_watch(void)
{
	RUN(watch_play_speed);
	RUN(watch_replay_cadence);
	RUN(watch_tenants_cadence);
	RUN(watch_follow_long_line);
	RUN(watch_copy_replays_alike);
	RUN(watch_prefix_replays_as_copy);
	RUN(watch_tenant_windows);
	RUN(watch_window_edges);
	RUN(watch_summary_not_fallback);
	RUN(watch_arrival_order);
	RUN(watch_played_subtrace);
	RUN(watch_replay_tenants_by_name);
	RUN(watch_alert_under_way);
	RUN(watch_alert_not_yet);
	RUN(watch_said_replay_by_replay);
	RUN(watch_said_in_instant_order);
	RUN(watch_alerts_through_quiet);
	RUN(watch_alerts_until_settled);
	RUN(watch_follow_file);
	RUN(watch_follow_edges);
	RUN(watch_follow_held);
	RUN(watch_follow_finish);
	RUN(watch_follow_in_steps);
	RUN(watch_follow_copy_truncate);
	RUN(watch_follow_stop_not_again);
}
