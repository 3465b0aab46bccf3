/* The replay engine end to end on tiny traces: pricing arithmetic and determinism. */
#include <stdlib.h>

#include "tests/test.h"
#include "tests/util_replay.h"

#define SCN_PREFIX "{\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": \"large-m\"}"

static void prices_one_call(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* one request of 1000 input and 500 output tokens on small-m (1 and 2 USD per 1M):
	 * 1000 × 1 + 500 × 2 = 2000 micro-USD per 1M… i.e. 1000 × 10^6 + 500 × 2·10^6 pico-USD
	 * = 2·10^9 pico-USD = 0.002 USD; latency 100 ms + 500 × 1 ms = 600 ms */
	int rc = replay_text("{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\","
	                     "\"input_tokens\":1000,\"output_tokens\":500}\n",
	                     SCN_PREFIX ", \"routing\": {\"default\": \"small\"}}", &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return;
	}
	CHECK_INT(r.totals.requests, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT((int64_t)r.totals.usd_total, 2000000000LL);
	CHECK_INT(r.totals.input_tokens, 1000);
	CHECK_INT(r.totals.output_tokens, 500);
	CHECK_INT(r.totals.latency_p50_us, 600000);
	CHECK_INT(r.n_models, 1);
	CHECK_STR(r.by_model[0].model, "small-m");
	result_scenario_fini(&r);
}

/* A flood alert's peak ratio is one exact division: 3 fallbacks ÷ 5 first calls ÷ 0.1 = 6. */
static void flood_peak_ratio_exact(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* r0–r2 arrive 10:00:00–02 while small-m times out (injected, rate 1): each waits the 30 s
	 * timeout, gives up (max_attempts 1) and falls back to large-m at 10:00:30–32; r3, r4 at
	 * 10:00:10–11 are fine.  The grid's first instant after the first arrival is 10:01:00, which
	 * is also the first at or after the last event (~10:00:32.2): one evaluation, over
	 * [09:56:00, 10:01:00): 5 first calls, 3 first fallbacks → 0.6 > 0.1, peak 0.6 ÷ 0.1 = 6
	 * (a double computed as 0.6 / 0.1 would give 5.999999999999999). */
	const char *req = "{\"ts\":\"2026-03-02T10:00:%02dZ\",\"tenant\":\"a\",\"task\":\"t\","
	                  "\"input_tokens\":10,\"output_tokens\":10}\n";
	char trace[1024];
	int at[5] = { 0, 1, 2, 10, 11 };
	size_t used = 0;
	for (int k = 0; k < 5; k++)
		used += (size_t)snprintf(trace + used, sizeof trace - used, req, at[k]);
	int rc = replay_text(trace, SCN_PREFIX ", \"routing\": {\"default\": \"small\"},"
	                     " \"retry\": {\"max_attempts\": 1},"
	                     " \"fallback\": {\"chain\": [\"small\", \"large\"]},"
	                     " \"faults\": {\"inject\": [{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\","
	                     " \"to\": \"2026-03-02T10:00:03Z\", \"rate\": 1}]},"
	                     " \"alerts\": {\"cost_guard\": null, \"fallback_flood\": {\"window_s\": 300,"
	                     " \"rate\": 0.1, \"min_requests\": 5}}}", &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return;
	}
	CHECK_INT(r.totals.fallbacks, 3);
	CHECK_INT(r.n_alerts, 1);
	if (r.n_alerts == 1) {
		CHECK(r.alerts[0].value_rate == 0.6);
		CHECK(r.alerts[0].peak_ratio == 6.0);
		CHECK_INT(r.alerts[0].start_us, r.alerts[0].end_us);
	}
	result_scenario_fini(&r);
}

/* Attempt counters hold max_attempts up to its limit of 1000 (they once wrapped at 256). */
static void many_attempts(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* small-m fails (server_error, injected at rate 1 for an hour); each failure takes the
	 * model's base latency, 100 ms, and backoff is 0: 300 calls end after 30 s, then the
	 * request fails (no fallback).  299 of the calls are retries. */
	int rc = replay_text("{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\","
	                     "\"input_tokens\":10,\"output_tokens\":10}\n",
	                     SCN_PREFIX ", \"routing\": {\"default\": \"small\"},"
	                     " \"retry\": {\"max_attempts\": 300, \"backoff_ms\": 0, \"on\": [\"server_error\"]},"
	                     " \"faults\": {\"inject\": [{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\","
	                     " \"to\": \"2026-03-02T11:00:00Z\", \"status\": \"server_error\", \"rate\": 1}]}}",
	                     &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0)
		return;
	CHECK_INT(r.totals.calls, 300);
	CHECK_INT(r.totals.retries, 299);
	CHECK_INT(r.totals.failed, 1);
	result_scenario_fini(&r);
}

/* A batch boundary at the epoch itself (time 0) is a boundary like any other. */
static void batch_boundary_at_zero(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* arrives at -100 s; interval 300 s: the next boundary is 0, then the item answers at
	 * 0 + 600 s: latency 700 s.  1000 in + 500 out on small-m = 2·10^9 pico-USD, × 0.5. */
	int rc = replay_text("{\"ts\":-100,\"tenant\":\"a\",\"task\":\"report\","
	                     "\"input_tokens\":1000,\"output_tokens\":500}\n",
	                     SCN_PREFIX ", \"routing\": {\"default\": \"small\"},"
	                     " \"batch\": {\"tasks\": [\"report\"], \"interval_s\": 300, \"latency_s\": 600,"
	                     " \"first_route\": \"small\", \"fail_route\": \"large\"}}", &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0)
		return;
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT((int64_t)r.totals.usd_total, 1000000000LL);
	CHECK_INT(r.totals.latency_p50_us, 700000000LL);
	result_scenario_fini(&r);
}

/* With routes, a recorded model the price table lacks is never called, so it is no error. */
static void unpriced_recorded_model_with_routes(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* recorded on "gpt-old" (not in fixtures/tests/pricing.json); routed to small-m:
	 * 1000 × 1 + 500 × 2 micro-USD per 1M… = 2·10^9 pico-USD, no cached tokens (not the
	 * recorded model) */
	int rc = replay_text("{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\","
	                     "\"input_tokens\":1000,\"output_tokens\":500,\"model\":\"gpt-old\",\"cached_tokens\":800}\n",
	                     SCN_PREFIX ", \"routing\": {\"default\": \"small\"}}", &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return;
	}
	CHECK_INT((int64_t)r.totals.usd_total, 2000000000LL);
	CHECK_INT(r.totals.cached_input_tokens, 0);
	result_scenario_fini(&r);
	/* without routes the call would run on gpt-old: an error naming it */
	rc = replay_text("{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\","
	                 "\"input_tokens\":1000,\"output_tokens\":500,\"model\":\"gpt-old\"}\n",
	                 "{\"pricing\": \"pricing.json\"}", &r, &e);
	CHECK_INT(rc, -1);
	CHECK_HAS(e.msg, "\"gpt-old\"");
}

/* The tenant cap: a fallback whose retry at t the breaker will reject ends at t, so it no
 * longer counts against the cap of a request giving up at t with a lower index. */
static void tenant_cap_retry_rejected(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* I (index 0) arrives at .700, J (index 1) at .000; small-m always fails invalid_request
	 * (100 ms, not retried), large-m always times out (timeout_ms 200).
	 * J: small fails at .100 → fallback to large (hop 1, tenant live 1); large times out at
	 *   .300 → the large breaker (window 1) opens until 10.300; retry due at .300 + 500 ms = .800.
	 * I: small fails at .800 and gives up first (lower index).  Live is 1 = the cap, but J's
	 *   retry at .800 will be rejected by the open breaker, ending J's fallback at .800: I is
	 *   admitted (hop 2), then its large call is rejected (rejection 1); then J's retry is
	 *   rejected (rejection 2).  Both fail. */
	int rc = replay_text(
		"{\"ts\":\"2026-03-02T10:00:00.7Z\",\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":10}\n"
		"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":10}\n",
		SCN_PREFIX ", \"routing\": {\"default\": \"small\"},"
		" \"retry\": {\"max_attempts\": 2, \"on\": [\"timeout\"], \"backoff_ms\": 500, \"timeout_ms\": 200},"
		" \"fallback\": {\"chain\": [\"small\", \"large\"], \"on\": [\"invalid_request\", \"timeout\"],"
		" \"tenant_inflight_cap\": 1},"
		" \"breaker\": {\"window\": 1, \"failure_ratio\": 0.5, \"open_s\": 10},"
		" \"faults\": {\"inject\": ["
		"{\"model\": \"small-m\", \"from\": \"2026-03-02T09:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\","
		" \"status\": \"invalid_request\", \"rate\": 1},"
		"{\"model\": \"large-m\", \"from\": \"2026-03-02T09:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\","
		" \"status\": \"timeout\", \"rate\": 1}]}}", &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return;
	}
	CHECK_INT(r.totals.fallbacks, 2);
	CHECK_INT(r.totals.fallbacks_denied, 0);
	CHECK_INT(r.totals.breaker_rejections, 2);
	CHECK_INT(r.totals.failed, 2);
	result_scenario_fini(&r);
}

/* The progress count: each run adds its trace's requests, REPLAY_PROGRESS_STEP (16,384) as the
 * 16,384th arrives and the other 1,007 of 17,391 at its end; runs given the same count add up.
 * A simulated run and a recorded one: 2 × 17,391 = 34,782. */
static void progress_counts_requests(void)
{
	enum { N = 16384 + 1007 };
	const char *line = "{\"ts\":%d,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,"
	                   "\"output_tokens\":1,\"model\":\"small-m\"}\n";
	size_t cap = (size_t)N * 100, used = 0;
	char *trace = malloc(cap);
	struct replay_progress p = { 0 };
	struct result_scenario r;
	struct err e = { "" };
	if (!trace) {
		TEST_FAIL_("%s", "out of memory");
		return;
	}
	for (int k = 0; k < N; k++)
		used += (size_t)snprintf(trace + used, cap - used, line, 1772445600 + k);
	int rc = replay_text_counted(trace, SCN_PREFIX ", \"routing\": {\"default\": \"small\"}}", &p, &r, &e);
	CHECK_INT(rc, 0);
	CHECK_INT(atomic_load(&p.requests), N);
	if (rc == 0)
		result_scenario_fini(&r);
	rc = replay_text_counted(trace, "{\"pricing\": \"pricing.json\", \"mode\": \"recorded\"}", &p, &r, &e);
	CHECK_INT(rc, 0);
	if (rc < 0)
		fprintf(stderr, "%s\n", e.msg);
	CHECK_INT(atomic_load(&p.requests), 2 * N);
	if (rc == 0) {
		CHECK_INT(r.totals.requests, N);
		result_scenario_fini(&r);
	}
	free(trace);
}

/* A stop set on the count ends its runs at their next step, 16,384 requests in, with "stopped"
 * (a console quitting mid-run): simulated and recorded alike; without it they complete. */
static void progress_stop_ends_runs(void)
{
	enum { N = 16384 + 10 };
	const char *line = "{\"ts\":%d,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,"
	                   "\"output_tokens\":1,\"model\":\"small-m\"}\n";
	static const char *const scen[] = { SCN_PREFIX ", \"routing\": {\"default\": \"small\"}}",
	                                    "{\"pricing\": \"pricing.json\", \"mode\": \"recorded\"}" };
	size_t cap = (size_t)N * 100, used = 0;
	char *trace = malloc(cap);
	if (!trace) {
		TEST_FAIL_("%s", "out of memory");
		return;
	}
	for (int k = 0; k < N; k++)
		used += (size_t)snprintf(trace + used, cap - used, line, 1772445600 + k);
	for (size_t s = 0; s < 2; s++) {
		struct replay_progress p = { 0 };
		struct result_scenario r;
		struct err e = { "" };
		atomic_store(&p.stop, 1);
		CHECK_INT(replay_text_counted(trace, scen[s], &p, &r, &e), -1);
		CHECK_STR(e.msg, "stopped");
		CHECK_INT(atomic_load(&p.requests), 16384); /* one step, then the stop */
		atomic_store(&p.stop, 0);
		atomic_store(&p.requests, 0);
		CHECK_INT(replay_text_counted(trace, scen[s], &p, &r, &e), 0);
		CHECK_INT(atomic_load(&p.requests), N);
		result_scenario_fini(&r);
	}
	free(trace);
}

void suite_replay(void)
{
	RUN(tenant_cap_retry_rejected);
	RUN(unpriced_recorded_model_with_routes);
	RUN(many_attempts);
	RUN(batch_boundary_at_zero);
	RUN(prices_one_call);
	RUN(flood_peak_ratio_exact);
	RUN(progress_counts_requests);
	RUN(progress_stop_ends_runs);
	replay_text_done();
}
