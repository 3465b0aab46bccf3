/* The replay engine end to end on tiny traces: pricing arithmetic and determinism. */
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

void suite_replay(void)
{
	RUN(prices_one_call);
	replay_text_done();
}
