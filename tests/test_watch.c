/*
 * The watch's parts: a trace grown row by row from another replays as the
 * original does (trace_append_from), the rolling tenant windows (sim/watch.c)
 * worked out by hand, the alert under way, and the file follower through
 * appends, a cut last line, truncation and rotation (traces/follow.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/watch.h"
#include "tests/test.h"
#include "tests/util_replay.h"
#include "tests/util_tmp.h"
#include "traces/follow.h"
#include "traces/report.h"
#include "traces/scenario.h"

/* The --json of scenario sc over t, in a buffer to free. */
static char *json_of(const struct trace *t, const struct scenario *sc)
{
	struct replay_trace *rt = NULL;
	struct result_scenario r;
	struct trace_summary ts;
	struct err e;
	char *text = NULL;
	size_t len = 0;
	if (replay_prepare(t, &rt, &e) < 0 || replay_prepare_scenario(rt, sc, &e) < 0 || replay_run(rt, sc, &r, NULL, &e) < 0) {
		TEST_FAIL_("replay: %s", e.msg);
		replay_trace_free(rt);
		return NULL;
	}
	FILE *f = open_memstream(&text, &len);
	replay_trace_summary(rt, &ts);
	if (f && report_json(f, &ts, &r, 1, &e) < 0)
		TEST_FAIL_("report: %s", e.msg);
	if (f)
		fclose(f);
	result_scenario_fini(&r);
	replay_trace_free(rt);
	return text;
}

static void watch_copy_replays_alike(void)
{
	/* every kind of column: attempts with their own tokens and times, a cost, an input text and
	 * an input hash, difficulty and realtime; a scenario with a cache, routes and fallbacks */
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
	                   "\"cache\": {\"enabled\": true, \"normalize\": [\"lower\"]}, \"faults\": {\"recorded\": true}}";
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
	char *a = json_of(&src, &sc), *b = json_of(&copy, &sc);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	a = json_of(&src, &rec);
	b = json_of(&copy, &rec);
	CHECK(a && b && strcmp(a, b) == 0);
	free(a);
	free(b);
	trace_free(&copy);
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
	 * c: 08:00:00, outside both: not listed. */
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
	CHECK_INT(n, 4);
	if (n == 4) {
		CHECK_STR(intern_str(&t.names, w[0].tenant, NULL), "a");
		CHECK_INT(w[0].usd_short, 13200000000);
		CHECK_INT(w[0].usd_long, 13200000000);
		CHECK_INT(w[0].calls_short, 2);
		CHECK_INT(w[0].requests_short, 1);
		CHECK_INT(w[0].first_calls_short, 1);
		CHECK_INT(w[0].fallbacks_short, 1);
		CHECK_STR(intern_str(&t.names, w[1].tenant, NULL), "b"); /* ties with e, by name */
		CHECK_INT(w[1].usd_long, 1200000000);
		CHECK_INT(w[1].usd_short, 0);
		CHECK_INT(w[1].requests_long, 1);
		CHECK_INT(w[1].requests_short, 0);
		CHECK_STR(intern_str(&t.names, w[2].tenant, NULL), "e");
		CHECK_INT(w[2].requests_short, 0);
		CHECK_INT(w[2].requests_long, 1);
		CHECK_STR(intern_str(&t.names, w[3].tenant, NULL), "d");
		CHECK_INT(w[3].unpriced, 1);
		CHECK_INT(w[3].usd_long, 0);
		CHECK_INT(w[3].requests_short, 1);
	}
	free(w);
	trace_free(&t);
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

static void watch_follow_file(void)
{
	char dir[200], path[256], old[264];
	struct follow f;
	struct err e;
	struct got g = { 0 };
	if (test_tmpdir("follow", dir, sizeof dir) < 0)
		return;
	snprintf(path, sizeof path, "%s/t.jsonl", dir);
	snprintf(old, sizeof old, "%s.1", path);
	append(path, "w", "a\nb");
	CHECK(follow_open(&f, path, &e) == 0);
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
	CHECK_INT(g.n, 7);
	for (int i = 0; i < g.n && i < 7; i++) {
		CHECK_STR(g.lines[i], want[i]);
		CHECK_INT(g.no[i], want_no[i]);
	}
	follow_close(&f);
	CHECK(follow_open(&f, dir, &e) < 0); /* a folder is not followed */
	CHECK(strstr(e.msg, "not a regular file") != NULL);
	follow_close(&f);
	unlink(path);
	unlink(old);
	rmdir(dir);
}

void suite_watch(void)
{
	RUN(watch_copy_replays_alike);
	RUN(watch_tenant_windows);
	RUN(watch_alert_under_way);
	RUN(watch_follow_file);
}
