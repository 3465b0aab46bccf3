/*
 * Scenario files: every default of SPEC §10, extends (merge, override, name,
 * cycles), the exact shape of every error message, exact decimals, editing
 * with scenario_set(), writing back to JSON, and the bundled fixtures.  Test
 * files are written to a fresh directory under $TMPDIR; the tests run from
 * the repository root (fixtures/ relative to it).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario.h"
#include "sim/status.h"
#include "tests/test.h"
#include "tests/util_tmp.h"
#include "traces/pricing.h"
#include "traces/scenario.h"

#define US 1000000LL /* µs per second */

static char tmpdir[512];

static void setup(void)
{
	if (tmpdir[0])
		return;
	if (test_tmpdir("scenario", tmpdir, sizeof tmpdir) < 0)
		tmpdir[0] = '\0';
	/* a unit-test binary outside the source tree still needs the bundled table */
	if (!pricing_bundled_path()) {
		char *real = realpath("fixtures/pricing/openai.json", NULL);
		if (real)
			setenv("LLMCOST_PRICING", real, 1);
		free(real);
	}
}

static void teardown(void)
{
	char cmd[600];
	if (!tmpdir[0])
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	tmpdir[0] = '\0';
}

/* tmpdir/name; four rotating buffers so a test can hold several. */
static const char *tpath(const char *name)
{
	static char buf[4][700];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
	return buf[k];
}

static const char *put(const char *name, const char *text)
{
	const char *p = tpath(name);
	char dir[700];
	snprintf(dir, sizeof dir, "%s", p);
	for (char *s = dir + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(dir, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* Loads text written to tmpdir/name; returns scenario_load's result. */
static int load(const char *name, const char *text, struct scenario *sc, struct err *e)
{
	e->msg[0] = '\0';
	return scenario_load(put(name, text), sc, e);
}

/* A load the rest of a case depends on: fails the case and returns when it does not load. */
#define MUST(call) do { \
	if ((call) != 0) { \
		TEST_FAIL_("%s failed: %s", #call, e.msg); \
		return; \
	} \
} while (0)

/* The message scenario_load gives for text written to tmpdir/name ("" when it loads). */
static const char *load_err(const char *name, const char *text)
{
	static struct err e;
	struct scenario sc;
	if (load(name, text, &sc, &e) == 0) {
		scenario_fini(&sc);
		return "";
	}
	return e.msg;
}

/* "TMPDIR/name: rest (line LINE, column COL)", or "TMPDIR/name: rest" for line 0.  A key's place is its
 * opening quote's, an array element's its first byte's; columns count bytes from 1 (the
 * places below are counted in the tests' one-line texts). */
static const char *msg_at(const char *name, int line, int col, const char *rest)
{
	static char buf[2][1200];
	static int k;
	k = !k;
	if (line)
		snprintf(buf[k], sizeof buf[k], "%s: %s (line %d, column %d)", tpath(name), rest, line, col);
	else
		snprintf(buf[k], sizeof buf[k], "%s: %s", tpath(name), rest);
	return buf[k];
}

static const char *msg(const char *name, const char *rest)
{
	return msg_at(name, 0, 0, rest);
}

#define TRANSIENT_BITS (STATUS_BIT(STATUS_TIMEOUT) | STATUS_BIT(STATUS_RATE_LIMITED) | \
                        STATUS_BIT(STATUS_SERVER_ERROR))

static void status_names_and_classes(void)
{
	CHECK_INT(N_STATUS, 7);
	CHECK_STR(status_names[STATUS_OK], "ok");
	CHECK_STR(status_names[STATUS_CONTEXT_LENGTH], "context_length");
	CHECK_INT(status_from_name("rate_limited"), STATUS_RATE_LIMITED);
	CHECK_INT(status_from_name("server_error"), STATUS_SERVER_ERROR);
	CHECK_INT(status_from_name("Timeout"), -1);
	CHECK_INT(status_from_name("breaker_open"), -1);
	CHECK_INT(status_from_name(NULL), -1);
	CHECK(status_is_transient(STATUS_TIMEOUT));
	CHECK(status_is_transient(STATUS_RATE_LIMITED));
	CHECK(status_is_transient(STATUS_SERVER_ERROR));
	CHECK(!status_is_transient(STATUS_OK));
	CHECK(!status_is_transient(STATUS_INVALID_REQUEST));
	CHECK(!status_is_transient(STATUS_CONTENT_FILTER));
	CHECK(!status_is_transient(STATUS_CONTEXT_LENGTH));
}

/* An empty scenario: every default of §10. */
static void defaults_of_an_empty_file(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(load("plain.json", "{}", &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_STR(sc.name, "plain"); /* the file name without .json */
	CHECK_INT(sc.mode, SCENARIO_MODE_SIMULATE);
	CHECK(sc.pricing && sc.pricing->n_models > 0); /* the bundled table */
	CHECK_HAS(sc.pricing_path, "fixtures/pricing/openai.json");
	CHECK_INT(sc.n_routes, 0);
	CHECK_INT(sc.cache.on, 0);
	CHECK_INT(sc.cache.key, CACHE_PART_TENANT | CACHE_PART_POLICY_VERSION | CACHE_PART_INPUT);
	CHECK_STR(sc.cache.policy_version, "");
	CHECK_INT(sc.cache.normalize, 0);
	CHECK_INT(sc.cache.capacity, 0);
	CHECK_INT(sc.cache.eviction, EVICTION_LRU);
	CHECK_INT(sc.cache.ttl_us[TIER_SMALL], 0);
	CHECK_INT(sc.cache.ttl_us[TIER_LARGE], 0);
	CHECK_STR(sc.routing.default_name, "small");
	CHECK_INT(sc.routing.default_route, ROUTE_RECORDED);
	CHECK_INT(sc.routing.n_rules, 0);
	CHECK_INT(sc.n_budget, 0);
	CHECK(scenario_budget_for(&sc, "faq_answer") == NULL);
	CHECK_STR(sc.summarize.route_name, "small");
	CHECK_INT(sc.summarize.ratio.num, 1);
	CHECK_INT(sc.summarize.ratio.den, 10);
	CHECK_INT(sc.retry.max_attempts, 3);
	CHECK_INT(sc.retry.on, TRANSIENT_BITS);
	CHECK_INT(sc.retry.backoff_us, 500 * 1000);
	CHECK_INT(sc.retry.timeout_us, 30000 * 1000);
	CHECK_INT(sc.fallback.on, 0);
	CHECK_INT(sc.breaker.on, 0);
	CHECK_INT(sc.batch.on, 0);
	CHECK_INT(sc.billing.failed[STATUS_TIMEOUT], BILLING_FULL);
	CHECK_INT(sc.billing.failed[STATUS_SERVER_ERROR], BILLING_NONE);
	CHECK_INT(sc.billing.failed[STATUS_RATE_LIMITED], BILLING_NONE);
	CHECK_INT(sc.billing.failed[STATUS_INVALID_REQUEST], BILLING_NONE);
	CHECK_INT(sc.billing.failed[STATUS_CONTENT_FILTER], BILLING_INPUT);
	CHECK_INT(sc.billing.failed[STATUS_CONTEXT_LENGTH], BILLING_NONE);
	CHECK_INT(sc.faults.recorded, 1);
	CHECK_INT(sc.faults.n_inject, 0);
	CHECK_INT(sc.alerts.cost_guard_on, 1);
	CHECK_INT(sc.alerts.cost_guard_window_us, 3600 * US);
	CHECK_INT(sc.alerts.cost_guard_baseline_us, 1209600 * US);
	CHECK_INT(sc.alerts.cost_guard_threshold.num, 3); /* 0.30 = 3/10 */
	CHECK_INT(sc.alerts.cost_guard_threshold.den, 10);
	CHECK_INT(sc.alerts.cost_guard_threshold.ppb, 300000000);
	CHECK_INT(sc.alerts.fallback_flood_on, 1);
	CHECK_INT(sc.alerts.fallback_flood_window_us, 300 * US);
	CHECK_INT(sc.alerts.fallback_flood_rate.num, 2);
	CHECK_INT(sc.alerts.fallback_flood_rate.den, 10);
	CHECK_INT(sc.alerts.fallback_flood_min_requests, 20);
	CHECK_INT(sc.projection.days.num, 30);
	CHECK_INT(sc.projection.days.den, 1);
	CHECK_INT(sc.projection.days.ppb, 30000000000LL);
	CHECK_INT(sc.projection.sample_rate.num, 1);
	CHECK_INT(sc.projection.sample_rate.den, 1);
	CHECK_INT(sc.projection.traffic_multiplier.num, 1);
	CHECK_INT(sc.seed, 1);
	scenario_fini(&sc);
}

/* Present sections are on, with the example's values except gates (off),
 * the user's own names (empty) and the cache's own defaults. */
static void defaults_of_present_sections(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(load("sections.json",
	               "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"}, \"cache\": {}, \"breaker\": {}, \"batch\": {},"
	               " \"fallback\": {},"
	               " \"faults\": {\"inject\": [{\"model\": \"gpt-4.1\","
	               "   \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T10:45:00Z\"}]},"
	               " \"budget\": {\"faq_answer\": {}}}", &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_INT(sc.cache.on, 1);
	CHECK_INT(sc.cache.capacity, 0);
	CHECK_INT(sc.cache.ttl_us[TIER_LARGE], 0);
	CHECK_INT(sc.breaker.on, 1);
	CHECK_INT(sc.breaker.window, 20);
	CHECK_INT(sc.breaker.failure_ratio.num, 5);
	CHECK_INT(sc.breaker.failure_ratio.den, 10);
	CHECK_INT(sc.breaker.open_us, 30 * US);
	CHECK_INT(sc.batch.on, 1);
	CHECK_INT(sc.batch.tasks.n, 0);
	CHECK_INT(sc.batch.interval_us, 300 * US);
	CHECK_INT(sc.batch.max_batch_size, 120);
	CHECK_INT(sc.batch.max_total_input_tokens, 300000);
	CHECK_STR(sc.batch.first_route_name, "small");
	CHECK_STR(sc.batch.fail_route_name, "large");
	CHECK_INT(sc.batch.first_route, 0); /* routes.small */
	CHECK_INT(sc.batch.discount.num, 5);
	CHECK_INT(sc.batch.max_attempts, 3);
	CHECK_INT(sc.batch.latency_us, 600 * US);
	CHECK_INT(sc.fallback.on, 1);
	CHECK_INT(sc.fallback.chain_names.n, 2);
	CHECK_STR(sc.fallback.chain_names.v[0], "small");
	CHECK_INT(sc.fallback.n_chain, 2);
	CHECK_INT(sc.fallback.chain[1], 1); /* routes.large */
	CHECK_INT(sc.fallback.on_classes, TRANSIENT_BITS);
	CHECK_INT(sc.fallback.tenant_inflight_cap, 0); /* gates off unless set */
	CHECK_INT(sc.fallback.has_max_rate, 0);
	CHECK_INT(sc.fallback.has_usd_per_hour_cap, 0);
	CHECK_INT(sc.fallback.rate_window_us, 300 * US);
	CHECK_INT(sc.fallback.degrade_tasks.n, 0);
	CHECK_INT(sc.faults.n_inject, 1);
	CHECK_INT(sc.faults.inject[0].status, STATUS_TIMEOUT);
	CHECK_INT(sc.faults.inject[0].rate.num, 6);
	CHECK_INT(sc.faults.inject[0].rate.den, 10);
	/* python3: datetime.fromisoformat('2026-03-02T10:00:00+00:00').timestamp() = 1772445600 */
	CHECK_INT(sc.faults.inject[0].from_us, 1772445600LL * US);
	CHECK_INT(sc.faults.inject[0].to_us, 1772448300LL * US); /* + 45 × 60 s */
	CHECK_STR(sc.pricing->models[sc.faults.inject[0].model_idx].name, "gpt-4.1");
	const struct budget_policy *b = scenario_budget_for(&sc, "faq_answer");
	CHECK(b != NULL);
	if (b) {
		CHECK_INT(b->input_max, -1);
		CHECK_INT(b->output_max, -1);
		CHECK_INT(b->overflow, OVERFLOW_TRUNCATE);
	}
	scenario_fini(&sc);

	MUST(load("off.json", "{\"cache\": {\"enabled\": false}, \"batch\": null,"
	               " \"alerts\": {\"cost_guard\": null}}", &sc, &e));
	CHECK_INT(sc.cache.on, 0);
	CHECK_INT(sc.batch.on, 0);
	CHECK_INT(sc.alerts.cost_guard_on, 0);
	CHECK_INT(sc.alerts.fallback_flood_on, 1);
	scenario_fini(&sc);

	/* "alerts": null turns both alerts off, and the scenario written out reads back so */
	MUST(load("quiet.json", "{\"mode\": \"recorded\", \"alerts\": null}", &sc, &e));
	CHECK_INT(sc.alerts.cost_guard_on, 0);
	CHECK_INT(sc.alerts.fallback_flood_on, 0);
	char *json = scenario_to_json(&sc, 0);
	struct scenario again;
	CHECK(json != NULL);
	if (json) {
		MUST(scenario_parse(json, "again.json", ".", &again, &e));
		CHECK_INT(again.alerts.cost_guard_on, 0);
		CHECK_INT(again.alerts.fallback_flood_on, 0);
		scenario_fini(&again);
	}
	free(json);
	scenario_fini(&sc);
	CHECK_STR(load_err("quiet.json", "{\"alerts\": []}"),
	          msg_at("quiet.json", 1, 2, "alerts: expected an object or null, got []")); /* at the key */
}

static const char spec_example[] =
	"{\n"
	"  \"name\": \"v3 cache+routing\",\n"
	"  \"extends\": \"baseline.json\",\n"
	"  \"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"},\n"
	"  \"cache\": {\"enabled\": true, \"key\": [\"tenant\", \"policy_version\", \"input\"], \"policy_version\": \"v3\",\n"
	"            \"normalize\": [\"lower\", \"collapse_space\", \"strip_punct\"],\n"
	"            \"capacity\": 100000, \"eviction\": \"lru\", \"ttl_s\": {\"small\": 900, \"large\": 3600}},\n"
	"  \"routing\": {\"default\": \"small\",\n"
	"              \"rules\": [{\"when\": {\"difficulty\": \"hard\"}, \"route\": \"large\"},\n"
	"                        {\"when\": {\"input_tokens_gt\": 6000}, \"route\": \"large\"},\n"
	"                        {\"when\": {\"task\": \"policy_check\"}, \"route\": \"small\"}]},\n"
	"  \"budget\": {\"faq_answer\":   {\"input_max\": 4000, \"output_max\": 600,  \"overflow\": \"summarize\"},\n"
	"             \"policy_check\": {\"input_max\": 2500, \"output_max\": 300,  \"overflow\": \"truncate\"},\n"
	"             \"long_report\":  {\"input_max\": 8000, \"output_max\": 1200, \"overflow\": \"async\"},\n"
	"             \"*\":            {\"input_max\": 4000, \"output_max\": 600,  \"overflow\": \"summarize\"}},\n"
	"  \"summarize\": {\"route\": \"small\", \"ratio\": 0.1},\n"
	"  \"retry\": {\"max_attempts\": 3, \"on\": [\"timeout\", \"rate_limited\", \"server_error\"],\n"
	"            \"backoff_ms\": 500, \"timeout_ms\": 30000},\n"
	"  \"fallback\": {\"chain\": [\"small\", \"large\"], \"on\": [\"timeout\", \"rate_limited\", \"server_error\"],\n"
	"               \"tenant_inflight_cap\": 4, \"max_rate\": 0.25, \"rate_window_s\": 300,\n"
	"               \"usd_per_hour_cap\": null, \"degrade_tasks\": [\"faq_answer\"]},\n"
	"  \"breaker\": {\"enabled\": true, \"window\": 20, \"failure_ratio\": 0.5, \"open_s\": 30},\n"
	"  \"batch\": {\"enabled\": true, \"tasks\": [\"long_report\"], \"interval_s\": 300, \"max_batch_size\": 120,\n"
	"            \"max_total_input_tokens\": 300000, \"first_route\": \"small\", \"fail_route\": \"large\",\n"
	"            \"discount\": 0.5, \"max_attempts\": 3, \"latency_s\": 600},\n"
	"  \"billing\": {\"failed\": {\"timeout\": \"full\", \"server_error\": \"none\", \"rate_limited\": \"none\",\n"
	"                         \"invalid_request\": \"none\", \"content_filter\": \"input\", \"context_length\": \"none\"}},\n"
	"  \"faults\": {\"recorded\": true,\n"
	"             \"inject\": [{\"model\": \"gpt-4.1-mini\", \"from\": \"2026-03-02T10:00:00Z\",\n"
	"                         \"to\": \"2026-03-02T10:45:00Z\", \"status\": \"timeout\", \"rate\": 0.6}]},\n"
	"  \"alerts\": {\"cost_guard\": {\"window_s\": 3600, \"baseline_s\": 1209600, \"threshold\": 0.30},\n"
	"             \"fallback_flood\": {\"window_s\": 300, \"rate\": 0.2, \"min_requests\": 20}},\n"
	"  \"projection\": {\"days\": 30, \"sample_rate\": 1.0, \"traffic_multiplier\": 1.0},\n"
	"  \"seed\": 1\n"
	"}\n";

/* The SPEC §3 example, every key of it, with a baseline to extend. */
static void spec_example_loads(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	put("ex/baseline.json", "{\"routes\": {\"small\": \"gpt-4o\"}, \"seed\": 7,"
	    " \"cache\": {\"ttl_s\": {\"small\": 60}}}");
	MUST(load("ex/v3.json", spec_example, &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_STR(sc.name, "v3 cache+routing");
	CHECK_INT(sc.n_routes, 2);
	CHECK_INT(scenario_route_index(&sc, "large"), 1);
	CHECK_STR(sc.routes[0].model, "gpt-4.1-mini"); /* overrides the base's gpt-4o */
	CHECK_STR(sc.pricing->models[sc.routes[0].model_idx].name, "gpt-4.1-mini");
	CHECK_INT(sc.cache.on, 1);
	CHECK_STR(sc.cache.policy_version, "v3");
	CHECK_INT(sc.cache.normalize,
	          NORMALIZE_LOWER | NORMALIZE_STRIP_PUNCT | NORMALIZE_COLLAPSE_SPACE);
	CHECK_INT(sc.cache.capacity, 100000);
	CHECK_INT(sc.cache.ttl_us[TIER_SMALL], 900 * US);
	CHECK_INT(sc.cache.ttl_us[TIER_LARGE], 3600 * US);
	CHECK_INT(sc.routing.default_route, 0);
	CHECK_INT(sc.routing.n_rules, 3);
	CHECK_INT(sc.routing.rules[0].difficulty, DIFFICULTY_HARD);
	CHECK_INT(sc.routing.rules[0].route, 1);
	CHECK(sc.routing.rules[0].task == NULL);
	CHECK_INT(sc.routing.rules[1].input_tokens_gt, 6000);
	CHECK_INT(sc.routing.rules[1].input_tokens_lt, -1);
	CHECK_STR(sc.routing.rules[2].task, "policy_check");
	CHECK_INT(sc.routing.rules[2].route, 0);
	CHECK_INT(sc.n_budget, 4);
	CHECK_INT(scenario_budget_for(&sc, "policy_check")->input_max, 2500);
	CHECK_INT(scenario_budget_for(&sc, "long_report")->overflow, OVERFLOW_ASYNC);
	CHECK_STR(scenario_budget_for(&sc, "unknown_task")->task, "*");
	CHECK_INT(scenario_budget_for(&sc, "unknown_task")->output_max, 600);
	CHECK_INT(sc.summarize.route, 0);
	CHECK_INT(sc.fallback.on, 1);
	CHECK_INT(sc.fallback.tenant_inflight_cap, 4);
	CHECK_INT(sc.fallback.has_max_rate, 1);
	CHECK_INT(sc.fallback.max_rate.num, 25);
	CHECK_INT(sc.fallback.max_rate.den, 100);
	CHECK_INT(sc.fallback.has_usd_per_hour_cap, 0);
	CHECK(scenario_strlist_has(&sc.fallback.degrade_tasks, "faq_answer"));
	CHECK_INT(sc.fallback.chain[0], 0);
	CHECK_INT(sc.fallback.chain[1], 1);
	CHECK_INT(sc.breaker.on, 1);
	CHECK_INT(sc.batch.first_route, 0);
	CHECK_INT(sc.batch.fail_route, 1);
	CHECK(scenario_strlist_has(&sc.batch.tasks, "long_report"));
	CHECK_INT(sc.faults.n_inject, 1);
	CHECK_INT(sc.faults.inject[0].rate.num, 6);
	CHECK_INT(sc.faults.inject[0].rate.den, 10);
	CHECK_INT(sc.seed, 1); /* the base's 7 is overridden */
	scenario_fini(&sc);
}

/* scenario_decfrac() of a number's text */
#define DECFRAC(text, f) scenario_decfrac(text, strlen(text), f)

static void exact_decimals(void)
{
	struct decfrac f;
	CHECK_INT(DECFRAC("0.1", &f), 0);
	CHECK_INT(f.num, 1);
	CHECK_INT(f.den, 10);
	CHECK_INT(f.ppb, 100000000); /* 0.1 × 10^9 */
	CHECK(f.value == 0.1);
	/* SPEC §10: ceil(3000 × 0.1) = 300, computed exactly as ceil(3000 × 1 / 10) */
	CHECK_INT((3000 * f.num + f.den - 1) / f.den, 300);
	CHECK_INT(DECFRAC("0.25", &f), 0);
	CHECK_INT(f.num, 25);
	CHECK_INT(f.den, 100);
	CHECK_INT(DECFRAC("2.0", &f), 0);
	CHECK_INT(f.num, 2);
	CHECK_INT(f.den, 1);
	CHECK_INT(DECFRAC("1e-7", &f), 0);
	CHECK_INT(f.num, 1);
	CHECK_INT(f.den, 10000000);
	CHECK_INT(DECFRAC("0.30000000000000004", &f), 0); /* 17 decimals */
	CHECK_INT(f.num, 30000000000000004LL);
	CHECK_INT(f.den, 100000000000000000LL);
	CHECK_INT(f.ppb, 300000000); /* rounded to 9 decimals */
	CHECK_INT(DECFRAC("30", &f), 0);
	CHECK_INT(f.ppb, 30000000000LL); /* 30 × 10^9 */
	CHECK_INT(DECFRAC("-0.5", &f), 0);
	CHECK_INT(f.num, -5);
	CHECK(f.value == -0.5);
	/* 17 significant digits, which no double holds (python3: repr(12345678.000000001) is
	 * '12345678.000000002'): the text is read, so every digit counts */
	CHECK_INT(DECFRAC("12345678.000000001", &f), 0);
	CHECK_INT(f.num, 12345678000000001LL);
	CHECK_INT(f.den, 1000000000);
	CHECK_INT(f.ppb, 12345678000000001LL);
	CHECK_INT(DECFRAC("99999999.999999999", &f), 0);
	CHECK_INT(f.ppb, 99999999999999999LL); /* 10^8 - 10^-9, in 10^-9 */
	CHECK_INT(DECFRAC("1e-19", &f), -1); /* 19 decimals */
	CHECK_INT(DECFRAC("1e300", &f), -1);
	CHECK_INT(DECFRAC("01", &f), -1); /* not a JSON number */

	/* through a file: a ratio written 0.35 is 35/100, not the double's 0.34999… */
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(load("dec.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"}, \"summarize\": {\"ratio\": 0.35},"
	               " \"fallback\": {\"usd_per_hour_cap\": 12.5}}", &sc, &e));
	CHECK_INT(sc.summarize.ratio.num, 35);
	CHECK_INT(sc.summarize.ratio.den, 100);
	CHECK_INT(sc.fallback.has_usd_per_hour_cap, 1);
	CHECK_INT(sc.fallback.usd_per_hour_cap_pusd, 12500000000000LL); /* 12.5 × 10^12 */
	scenario_fini(&sc);

	/* digits a double does not hold (python3: repr(12345678.000000001) is '12345678.000000002',
	 * repr(9221294.782364999999) '9221294.782365', repr(1772445600.0000015) '1772445600.0000014')
	 * are read from the text: the multiplier is 12345678000000001 ppb, the cap
	 * 9221294782364999999 pico-USD (× 10^12), and from is 1772445600000001.5 µs, half to even
	 * 1772445600000002 µs.  They stay so through `set`, which parses the scenario's text again,
	 * and in the JSON written back. */
	MUST(load("digits.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"},"
	               " \"projection\": {\"traffic_multiplier\": 12345678.000000001},"
	               " \"fallback\": {\"usd_per_hour_cap\": 9221294.782364999999},"
	               " \"faults\": {\"inject\": [{\"from\": 1772445600.0000015, \"to\": 1772445601}]}}",
	               &sc, &e));
	CHECK_INT(sc.projection.traffic_multiplier.ppb, 12345678000000001LL);
	CHECK_INT(sc.fallback.usd_per_hour_cap_pusd, 9221294782364999999LL);
	if (sc.faults.n_inject == 1)
		CHECK_INT(sc.faults.inject[0].from_us, 1772445600000002LL);
	CHECK_INT(scenario_set(&sc, "seed", "2", &e), 0);
	CHECK_INT(sc.projection.traffic_multiplier.ppb, 12345678000000001LL);
	CHECK_INT(sc.fallback.usd_per_hour_cap_pusd, 9221294782364999999LL);
	CHECK_INT(scenario_set(&sc, "projection.days", "30.000000001", &e), 0);
	CHECK_INT(sc.projection.days.ppb, 30000000001LL);
	char *js = scenario_to_json(&sc, 0);
	CHECK_HAS(js ? js : "", "12345678.000000001");
	CHECK_HAS(js ? js : "", "9221294.782364999999");
	free(js);
	js = scenario_to_json(&sc, 1);
	CHECK_HAS(js ? js : "", "12345678.000000001");
	CHECK_HAS(js ? js : "", "9221294.782364999999");
	CHECK_HAS(js ? js : "", "30.000000001");
	free(js);
	scenario_fini(&sc);

	/* a decimal without a fraction is written whole in the full JSON, as a file writes it: the
	 * multiplier 2 and the default days 30, not 2.0 and 30.0 */
	MUST(load("whole.json", "{\"projection\": {\"traffic_multiplier\": 2}}", &sc, &e));
	js = scenario_to_json(&sc, 1);
	CHECK_HAS(js ? js : "", "\"traffic_multiplier\":\t2\n");
	CHECK_HAS(js ? js : "", "\"days\":\t30,");
	free(js);
	scenario_fini(&sc);
}

static void times_in_inject_windows(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(load("times.json",
	               "{\"faults\": {\"inject\": ["
	               "{\"model\": \"gpt-4.1\", \"from\": \"2024-02-29T23:59:59.5Z\", \"to\": 1709251200,"
	               " \"status\": \"server_error\", \"rate\": 1},"
	               "{\"model\": \"gpt-4.1\", \"from\": \"2026-03-02T11:00:00.0000015+01:00\","
	               " \"to\": \"2026-03-02 10:00:01z\", \"rate\": 0}]}}", &sc, &e));
	CHECK_STR(e.msg, "");
	if (sc.faults.n_inject == 2) {
		/* python3: datetime.fromisoformat('2024-02-29T23:59:59.5+00:00').timestamp() = 1709251199.5 */
		CHECK_INT(sc.faults.inject[0].from_us, 1709251199500000LL);
		CHECK_INT(sc.faults.inject[0].to_us, 1709251200LL * US);
		CHECK_INT(sc.faults.inject[0].status, STATUS_SERVER_ERROR);
		CHECK_INT(sc.faults.inject[0].rate.num, 1);
		/* 10:00:00.0000015Z: 1.5 µs rounds half to even to 2 */
		CHECK_INT(sc.faults.inject[1].from_us, 1772445600LL * US + 2);
		CHECK_INT(sc.faults.inject[1].to_us, 1772445601LL * US);
	}
	scenario_fini(&sc);
	CHECK_STR(load_err("t2.json", "{\"faults\": {\"inject\": [{\"model\": \"gpt-4.1\","
	                   " \"from\": \"2026-02-30T00:00:00Z\", \"to\": 5}]}}"),
	          msg_at("t2.json", 1, 45, "faults.inject[0].from: expected an RFC 3339 time or epoch seconds "
	                         "from year 0 to 9999 (UTC), got \"2026-02-30T00:00:00Z\""));
	/* the years a trace may hold, 0 to 9999: -62167219200 s is 0000-01-01T00:00:00Z
	 * (python3: calendar.timegm((1, 1, 1, 0, 0, 0)) = -62135596800, less year 0's 366 days of
	 * 86400 s), a second earlier is refused, and
	 * -9.2e12 s (year -290,000) is too */
	CHECK_STR(load_err("t5.json", "{\"faults\": {\"inject\": [{\"from\": -62167219200, \"to\": 0}]}}"), "");
	CHECK_STR(load_err("t5.json", "{\"faults\": {\"inject\": [{\"from\": -62167219201, \"to\": 0}]}}"),
	          msg_at("t5.json", 1, 25, "faults.inject[0].from: expected an RFC 3339 time or epoch seconds "
	                         "from year 0 to 9999 (UTC), got -62167219201"));
	CHECK_STR(load_err("t5.json", "{\"faults\": {\"inject\": [{\"from\": -9.2e12, \"to\": 0}]}}"),
	          msg_at("t5.json", 1, 25, "faults.inject[0].from: expected an RFC 3339 time or epoch seconds "
	                         "from year 0 to 9999 (UTC), got -9.2e12"));
	/* 9999-12-31T23:59:59-01:00 is 10000-01-01T00:59:59Z */
	CHECK_HAS(load_err("t5.json", "{\"faults\": {\"inject\": [{\"from\": 0, \"to\": \"9999-12-31T23:59:59-01:00\"}]}}"),
	          "faults.inject[0].to: expected an RFC 3339 time or epoch seconds from year 0 to 9999 (UTC)");
	CHECK_STR(load_err("t3.json", "{\"faults\": {\"inject\": [{\"model\": \"gpt-4.1\","
	                   " \"from\": 10, \"to\": 5}]}}"),
	          msg_at("t3.json", 1, 24, "faults.inject[0]: \"from\" must be before \"to\""));
	/* checked after the merge, still placed in the file that holds the window: element 1 of
	 * the parent's array starts on its 4th line, after 4 spaces (column 5) */
	put("inj/base.json", "{\n  \"faults\": {\"inject\": [\n    {\"from\": 0, \"to\": 1},\n"
	    "    {\"from\": 5, \"to\": 5}]}}");
	CHECK_STR(load_err("inj/child.json", "{\"extends\": \"base.json\", \"seed\": 1}"),
	          msg_at("inj/base.json", 4, 5, "faults.inject[1]: \"from\" must be before \"to\""));
	/* absent keys take the SPEC §3 example's values (§10): gpt-4.1-mini, 2026-03-02T10:00:00Z
	 * (1772445600 s, as in test_clock.c) to 10:45:00Z (+ 2700 s = 1772448300 s), timeout, 0.6 */
	MUST(load("t4.json", "{\"faults\": {\"inject\": [{}, {\"rate\": 1, \"to\": 1772445660}]}}", &sc, &e));
	CHECK_INT(sc.faults.n_inject, 2);
	if (sc.faults.n_inject == 2) {
		CHECK_STR(sc.faults.inject[0].model, "gpt-4.1-mini");
		CHECK(sc.faults.inject[0].model_idx >= 0);
		CHECK_INT(sc.faults.inject[0].from_us, 1772445600LL * US);
		CHECK_INT(sc.faults.inject[0].to_us, 1772448300LL * US);
		CHECK_INT(sc.faults.inject[0].status, STATUS_TIMEOUT);
		CHECK_INT(sc.faults.inject[0].rate.num * 10, 6 * sc.faults.inject[0].rate.den);
		CHECK_INT(sc.faults.inject[1].to_us, 1772445660LL * US);
		CHECK_INT(sc.faults.inject[1].rate.num, sc.faults.inject[1].rate.den);
	}
	scenario_fini(&sc);
}

static void extends_merges_and_overrides(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	put("ext/p/prices.json", "{\"date\": \"2026-01-01\", \"models\": {"
	    "\"m-small\": {\"tier\": \"small\", \"input\": 1, \"output\": 2},"
	    "\"m-large\": {\"tier\": \"large\", \"input\": 3, \"output\": 4}}}");
	put("ext/base/base.json",
	    "{\"name\": \"the base\", \"pricing\": \"../p/prices.json\","
	    " \"routes\": {\"small\": \"m-small\", \"large\": \"m-large\"},"
	    " \"cache\": {\"ttl_s\": {\"small\": 900, \"large\": 3600}, \"policy_version\": \"v1\"},"
	    " \"retry\": {\"on\": [\"timeout\", \"invalid_request\"], \"max_attempts\": 5},"
	    " \"seed\": 9}");
	MUST(load("ext/child.json",
	               "{\"extends\": \"base/base.json\","
	               " \"cache\": {\"ttl_s\": {\"large\": 60}},"
	               " \"retry\": {\"on\": [\"server_error\"]}, \"seed\": 3}", &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_STR(sc.name, "child");                           /* not inherited */
	CHECK_STR(sc.pricing->date, "2026-01-01");             /* the base's, relative to the base */
	CHECK_HAS(sc.pricing_path, "ext/base/../p/prices.json");
	CHECK_INT(sc.cache.on, 1);
	CHECK_INT(sc.cache.ttl_us[TIER_SMALL], 900 * US);      /* merged from the base */
	CHECK_INT(sc.cache.ttl_us[TIER_LARGE], 60 * US);       /* overridden */
	CHECK_STR(sc.cache.policy_version, "v1");
	CHECK_INT(sc.retry.on, STATUS_BIT(STATUS_SERVER_ERROR)); /* arrays are replaced */
	CHECK_INT(sc.retry.max_attempts, 5);
	CHECK_INT(sc.seed, 3);
	CHECK_INT(sc.n_routes, 2);
	/* the merged text: no extends, the name set, pricing relative to the child */
	CHECK(!strstr(sc.json, "extends"));
	CHECK_HAS(sc.json, "\"name\":\t\"child\"");
	CHECK_HAS(sc.json, "\"pricing\":\t\"base/../p/prices.json\"");
	scenario_fini(&sc);

	/* three levels; the middle one names itself, the leaf does not inherit it */
	put("ext/mid.json", "{\"extends\": \"base/base.json\", \"name\": \"mid\", \"seed\": 4}");
	MUST(load("ext/leaf.json", "{\"extends\": \"mid.json\"}", &sc, &e));
	CHECK_STR(sc.name, "leaf");
	CHECK_INT(sc.seed, 4);
	CHECK_INT(sc.retry.max_attempts, 5);
	scenario_fini(&sc);

	/* an empty object merges nothing: the base's routes stay */
	put("ext/tasks.json", "{\"extends\": \"base/base.json\", \"budget\": {\"faq\": {\"input_max\": 9},"
	    " \"*\": {\"input_max\": 8}}}");
	MUST(load("ext/empty.json", "{\"extends\": \"tasks.json\", \"routes\": {}, \"budget\": {}}", &sc, &e));
	CHECK_INT(sc.n_routes, 2);
	CHECK_INT(sc.n_budget, 2);
	scenario_fini(&sc);
	/* a null member removes an inherited route or task (it was refused: "expected a model
	 * name, got null"); a null map or section removes all of it */
	MUST(load("ext/less.json", "{\"extends\": \"tasks.json\", \"routes\": {\"large\": null},"
	          " \"budget\": {\"faq\": null}}", &sc, &e));
	CHECK_INT(sc.n_routes, 1);
	CHECK_STR(sc.routes[0].name, "small");
	CHECK_STR(sc.routes[0].model, "m-small");
	CHECK_INT(sc.n_budget, 1);
	CHECK_STR(sc.budget[0].task, "*");
	CHECK_INT(sc.budget[0].input_max, 8);
	scenario_fini(&sc);
	MUST(load("ext/none.json", "{\"extends\": \"tasks.json\", \"routes\": null, \"budget\": null,"
	          " \"cache\": null}", &sc, &e));
	CHECK_INT(sc.n_routes, 0);
	CHECK_INT(sc.n_budget, 0);
	CHECK_INT(sc.cache.on, 0);
	scenario_fini(&sc);
	/* a route removed that the base's routing uses is told where it is used, in the file that
	 * removed it, at its null: '{"extends": "ruled.json", "routes": {' is 37 bytes, so "large"
	 * opens column 38 (the error named ruled.json alone, which never had the route) */
	put("ext/ruled.json", "{\"extends\": \"base/base.json\", \"routing\": {\"default\": \"large\"}}");
	char rest[1200];
	snprintf(rest, sizeof rest, "routes.large: null takes route \"large\" away, and routing.default in %s "
	         "names it (routes left: \"small\")", tpath("ext/ruled.json"));
	CHECK_STR(load_err("ext/gone.json", "{\"extends\": \"ruled.json\", \"routes\": {\"large\": null}}"),
	          msg_at("ext/gone.json", 1, 38, rest));
	/* anything but a model name or null is still refused */
	CHECK_STR(load_err("ext/bad.json", "{\"routes\": {\"large\": 5}}"),
	          msg_at("ext/bad.json", 1, 13, "routes.large: expected a model name or null, got 5"));
}

/* `extends` names a bundled scenario as -s does, when no file of that name is beside the child. */
static void extends_bundled(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(load("own/policy.json", "{\"extends\": \"v3\", \"cache\": {\"capacity\": 10}}", &sc, &e));
	CHECK_STR(sc.name, "policy");
	CHECK_INT(sc.cache.capacity, 10);                  /* overridden; v3 has 100000 */
	CHECK_INT(sc.cache.ttl_us[TIER_SMALL], 900 * US);  /* v3's */
	CHECK_INT(sc.routing.n_rules, 3);                  /* v3's */
	CHECK_INT(sc.retry.on, TRANSIENT_BITS);            /* v3's, over baseline's every class */
	/* v3 names no price file: the bundled table, wherever the child is */
	CHECK(sc.pricing_path[0] == '/');
	CHECK_HAS(sc.pricing_path, "/fixtures/pricing/openai.json");
	scenario_fini(&sc);

	/* "v3.json" too; a file of that name beside the child comes first */
	MUST(load("own/b.json", "{\"extends\": \"flood-guard.json\"}", &sc, &e));
	CHECK_INT(sc.fallback.has_max_rate, 1);
	scenario_fini(&sc);
	put("own/v3.json", "{\"seed\": 77}");
	MUST(load("own/c.json", "{\"extends\": \"v3.json\"}", &sc, &e));
	CHECK_INT(sc.seed, 77);
	CHECK_INT(sc.n_routes, 0);
	scenario_fini(&sc);

	/* errors in a bundled parent name its file; the bundled recorded cannot be extended */
	CHECK_STR(load_err("own/d.json", "{\"extends\": \"recorded\"}"),
	          msg("own/d.json", "extends: \"recorded\" is a recorded scenario, which cannot be "
	                            "extended"));
}

static void extends_errors(void)
{
	put("cyc/a.json", "{\"extends\": \"b.json\"}");
	put("cyc/b.json", "{\"extends\": \"a.json\"}");
	char want[1600];
	snprintf(want, sizeof want, "%s: extends: cycle: %s -> %s -> %s", tpath("cyc/b.json"),
	         tpath("cyc/a.json"), tpath("cyc/b.json"), tpath("cyc/a.json"));
	CHECK_STR(load_err("cyc/a.json", "{\"extends\": \"b.json\"}"), want);
	CHECK_HAS(load_err("cyc/self.json", "{\"extends\": \"self.json\"}"),
	          "cyc/self.json: extends: cycle: ");
	CHECK_HAS(load_err("cyc/self.json", "{\"extends\": \"self.json\"}"),
	          "cyc/self.json -> ");

	/* a chain of 16 files loads; one more is told against the file given, which the user
	 * knows (before, against d16.json, the 16th, reached through the others) */
	char text[64], deep[900];
	for (int i = 1; i <= 16; i++) {
		char name[32];
		snprintf(name, sizeof name, "deep/d%d.json", i);
		snprintf(text, sizeof text, "{\"extends\": \"d%d.json\", \"seed\": %d}", i + 1, i);
		put(name, text);
	}
	put("deep/d17.json", "{}");
	CHECK_STR(load_err("deep/d2.json", "{\"extends\": \"d3.json\", \"seed\": 2}"), "");
	snprintf(deep, sizeof deep, "extends: more than 16 files deep (the 16th, %s, extends \"d17.json\")",
	         tpath("deep/d16.json"));
	CHECK_STR(load_err("deep/d1.json", "{\"extends\": \"d2.json\", \"seed\": 1}"), msg("deep/d1.json", deep));

	/* a name is looked for among the bundled scenarios too; a path only as a file */
	char files[800];
	snprintf(files, sizeof files, "extends: no file \"%s\", and no bundled scenario of that name "
	         "(bundled: baseline, flood-guard, recorded, v3)", tpath("missing.json"));
	CHECK_STR(load_err("nobase.json", "{\"extends\": \"missing.json\"}"), msg("nobase.json", files));
	snprintf(files, sizeof files, "extends: cannot read \"%s\": No such file or directory",
	         tpath("sub/v3.json"));
	CHECK_STR(load_err("nobase.json", "{\"extends\": \"sub/v3.json\"}"), msg("nobase.json", files));

	/* a bad key in the base is reported against the base */
	put("bad/base.json", "{\"cache\": {\"ttl_s\": {\"large\": \"1h\"}}}");
	CHECK_STR(load_err("bad/child.json", "{\"extends\": \"base.json\"}"),
	          msg_at("bad/base.json", 1, 22, "cache.ttl_s.large: expected a positive integer, got \"1h\""));

	/* a recorded scenario neither extends nor is extended */
	put("rec/recorded.json", "{\"name\": \"recorded\", \"mode\": \"recorded\"}");
	CHECK_STR(load_err("rec/child.json", "{\"extends\": \"recorded.json\"}"),
	          msg("rec/child.json", "extends: \"recorded.json\" is a recorded scenario, which "
	                                "cannot be extended"));
	CHECK_STR(load_err("rec/r2.json", "{\"mode\": \"recorded\", \"extends\": \"x.json\"}"),
	          msg_at("rec/r2.json", 1, 22, "extends: not allowed in a recorded scenario (it takes only "
	                             "name, mode, pricing, billing, alerts, projection)"));
}

static void error_messages(void)
{
	/* SPEC §3's example */
	CHECK_STR(load_err("scenarios/v3.json", "{\"cache\": {\"ttl_s\": {\"large\": \"1h\"}}}"),
	          msg_at("scenarios/v3.json", 1, 22, "cache.ttl_s.large: expected a positive integer, got \"1h\""));
	CHECK_STR(load_err("x.json", "{\"cache\": {\"tll_s\": {}}}"),
	          msg_at("x.json", 1, 12, "cache.tll_s: unknown key (did you mean \"cache.ttl_s\"?)"));
	/* a number past a double's range is echoed as written (cJSON's double is infinity), and
	 * the bound it passes is named */
	CHECK_STR(load_err("x.json", "{\"projection\": {\"days\": 1e400}}"),
	          msg_at("x.json", 1, 17, "projection.days: expected a positive number of days of at most 36600, "
	                        "got 1e400"));
	/* past a bound by 10^-9, which a double does not see (1000000000.000000001 is 10^9 as a
	 * double, and was let through) */
	CHECK_STR(load_err("x.json", "{\"projection\": {\"days\": 36600.000000001}}"),
	          msg_at("x.json", 1, 17, "projection.days: expected a positive number of days of at most 36600, "
	                        "got 36600.000000001"));
	CHECK_STR(load_err("x.json", "{\"projection\": {\"traffic_multiplier\": 1000000000.000000001}}"),
	          msg_at("x.json", 1, 17, "projection.traffic_multiplier: expected a positive number of at most "
	                        "1000000000, got 1000000000.000000001"));
	CHECK_STR(load_err("x.json", "{\"alerts\": {\"cost_guard\": {\"threshold\": 1000000001}}}"),
	          msg_at("x.json", 1, 28, "alerts.cost_guard.threshold: expected a non-negative number of at most "
	                        "1000000000, got 1000000001"));
	CHECK_STR(load_err("x.json", "{\"projection\": {\"traffic_multiplier\": 1000000000}}"), "");
	/* an integer past 2^53 or a double's range: the bound named, the value as written */
	CHECK_STR(load_err("x.json", "{\"cache\": {\"capacity\": 9007199254740992}}"),
	          msg_at("x.json", 1, 12, "cache.capacity: expected a positive integer of at most 9007199254740991, "
	                        "got 9007199254740992"));
	CHECK_STR(load_err("x.json", "{\"cache\": {\"capacity\": 1e300}}"),
	          msg_at("x.json", 1, 12, "cache.capacity: expected a positive integer of at most 9007199254740991, "
	                        "got 1e300"));
	/* the cap's limit is INT64_MAX pico-USD, exactly: 9223372.036854775807 loads, one more does not */
	CHECK_STR(load_err("x.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"},"
	                   " \"fallback\": {\"usd_per_hour_cap\": 9223372.036854775807}}"), "");
	CHECK_STR(load_err("x.json", "{\"fallback\": {\"usd_per_hour_cap\": 9223372.036854775808}}"),
	          msg_at("x.json", 1, 15, "fallback.usd_per_hour_cap: expected a non-negative number of USD with "
	                        "at most 12 decimals, at most 9223372.036854775807, or null, got 9223372.036854775808"));
	CHECK_STR(load_err("x.json", "{\"seeds\": 3}"),
	          msg_at("x.json", 1, 2, "seeds: unknown key (did you mean \"seed\"?)"));
	CHECK_STR(load_err("x.json", "{\"ttl_s\": 3}"),
	          msg_at("x.json", 1, 2, "ttl_s: unknown key (did you mean \"cache.ttl_s\"?)"));
	CHECK_STR(load_err("x.json", "{\"budget\": {\"faq\": {\"overflw\": \"reject\"}}}"),
	          msg_at("x.json", 1, 21, "budget.faq.overflw: unknown key (did you mean \"budget.faq.overflow\"?)"));
	/* a whole part of a known key, or its start: "traffic_multiplier" is 8 edits from
	 * "multiplier", "threshold" 4 from "thresh", "failure_ratio" 8 from "ratio" */
	CHECK_STR(load_err("x.json", "{\"projection\": {\"multiplier\": 2}}"),
	          msg_at("x.json", 1, 17, "projection.multiplier: unknown key (did you mean "
	                        "\"projection.traffic_multiplier\"?)"));
	CHECK_STR(load_err("x.json", "{\"alerts\": {\"cost_guard\": {\"thresh\": 1}}}"),
	          msg_at("x.json", 1, 28, "alerts.cost_guard.thresh: unknown key (did you mean "
	                        "\"alerts.cost_guard.threshold\"?)"));
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"ratio\": 1}}"),
	          msg_at("x.json", 1, 14, "breaker.ratio: unknown key (did you mean \"breaker.failure_ratio\"?)"));
	/* inside a known object, a key of another section is suggested only by its very name, and
	 * a top-level one is said to be top-level; a name merely close to one elsewhere ("model",
	 * one edit from the top-level "mode") lists the keys allowed here, where it suggested
	 * "mode" as if it were cache.mode */
	CHECK_STR(load_err("x.json", "{\"cache\": {\"model\": 5}}"),
	          msg_at("x.json", 1, 12, "cache.model: unknown key (known keys here: enabled, key, policy_version, "
	                        "normalize, capacity, eviction, ttl_s)"));
	CHECK_STR(load_err("x.json", "{\"budget\": {\"x\": {\"model\": 5}}}"),
	          msg_at("x.json", 1, 19, "budget.x.model: unknown key (known keys here: input_max, output_max, "
	                        "overflow)"));
	CHECK_STR(load_err("x.json", "{\"routing\": {\"rules\": [{\"when\": {\"model\": 5}, \"route\": \"small\"}]}}"),
	          msg_at("x.json", 1, 34, "routing.rules[0].when.model: unknown key (known keys here: task, tenant, "
	                        "difficulty, input_tokens_gt, input_tokens_lt)"));
	CHECK_STR(load_err("x.json", "{\"budget\": {\"x\": {\"capacit\": 5}}}"),
	          msg_at("x.json", 1, 19, "budget.x.capacit: unknown key (known keys here: input_max, output_max, "
	                        "overflow)"));
	CHECK_STR(load_err("x.json", "{\"budget\": {\"x\": {\"capacity\": 5}}}"),
	          msg_at("x.json", 1, 19, "budget.x.capacity: unknown key (did you mean \"cache.capacity\"?)"));
	CHECK_STR(load_err("x.json", "{\"cache\": {\"seed\": 5}}"),
	          msg_at("x.json", 1, 12, "cache.seed: unknown key (did you mean the top-level \"seed\"?)"));
	/* at the top level, a close key of a section is still suggested with its path */
	CHECK_STR(load_err("x.json", "{\"capcity\": 3}"),
	          msg_at("x.json", 1, 2, "capcity: unknown key (did you mean \"cache.capacity\"?)"));
	CHECK_STR(load_err("x.json", "{\"routs\": {}}"),
	          msg_at("x.json", 1, 2, "routs: unknown key (did you mean \"routes\"?)"));
	/* a name that begins two keys ("rout": routes, routing) or is a whole part of two ("rate":
	 * max_rate, rate_window_s) suggests both; it listed every key of the object, the tie unbroken */
	CHECK_STR(load_err("x.json", "{\"rout\": {}}"),
	          msg_at("x.json", 1, 2, "rout: unknown key (did you mean \"routes\" or \"routing\"?)"));
	CHECK_STR(load_err("x.json", "{\"fallback\": {\"rate\": 1}}"),
	          msg_at("x.json", 1, 15, "fallback.rate: unknown key (did you mean \"fallback.max_rate\" or "
	                 "\"fallback.rate_window_s\"?)"));
	/* a price file given as a scenario is told so, and how a price file is given (it said "date:
	 * unknown key (known keys here: …)"); "models" beside a scenario's keys is an unknown key */
	CHECK_STR(load_err("x.json", "{\"date\": \"2026-01-01\", \"models\": {\"m\": {\"input\": 1, \"output\": 2}}}"),
	          msg("x.json", "a price file (it has \"models\"), not a scenario: a scenario names its price "
	                        "file with \"pricing\", and $LLMCOST_PRICING gives the prices of every scenario "
	                        "without one"));
	CHECK_HAS(load_err("x.json", "{\"seed\": 1, \"models\": {}}"), "models: unknown key (");
	/* an empty key is part of no key (found by fuzz_scenario: the search ran past the end) */
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"\": 1}}"),
	          msg_at("x.json", 1, 14, "breaker.: unknown key (known keys here: enabled, window, failure_ratio, "
	                        "open_s)"));
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"zzzzzz\": 1}}"),
	          msg_at("x.json", 1, 14, "breaker.zzzzzz: unknown key (known keys here: enabled, window, "
	                        "failure_ratio, open_s)"));
	CHECK_STR(load_err("x.json", "{\"routes\": {\"small\": \"gpt-4.1\"}, \"routing\":"
	                   " {\"rules\": [{\"route\": \"small\"}, {\"route\": 5}]}}"),
	          msg_at("x.json", 1, 77, "routing.rules[1].route: expected a route name, got 5"));
	CHECK_STR(load_err("x.json", "{\"routing\": {\"rules\": [{\"when\": {\"difficulty\": \"medium\"},"
	                   " \"route\": \"small\"}]}}"),
	          msg_at("x.json", 1, 34, "routing.rules[0].when.difficulty: expected \"easy\" or \"hard\", "
	                        "got \"medium\""));
	CHECK_STR(load_err("x.json", "{\"routing\": {\"rules\": [{\"when\": {}}]}}"),
	          msg_at("x.json", 1, 24, "routing.rules[0]: missing key \"route\""));
	/* an element that is no choice is named by its index, at its own place: "ok" is at column
	 * 30 of {"retry": {"on": ["timeout", "ok"]}} (18 the '[', 19–27 "timeout", 28 ',', 29 ' ') */
	CHECK_STR(load_err("x.json", "{\"retry\": {\"on\": [\"timeout\", \"ok\"]}}"),
	          msg_at("x.json", 1, 30, "retry.on[1]: expected one of timeout, rate_limited, server_error, "
	                 "invalid_request, content_filter, context_length, got \"ok\""));
	/* a value that is no array keeps the key's own expectation */
	CHECK_STR(load_err("x.json", "{\"retry\": {\"on\": \"timeout\"}}"),
	          msg_at("x.json", 1, 12, "retry.on: expected an array of error classes, got \"timeout\""));
	CHECK_STR(load_err("x.json", "{\"summarize\": {\"ratio\": 0}}"),
	          msg_at("x.json", 1, 16, "summarize.ratio: expected a number in (0, 1], got 0"));
	/* a ratio has at most 9 decimals: 0.5000000001 (10) is told so, and so is 0.5 written with 20
	 * decimals, which is past the 18 a fraction holds and was said to be out of (0, 1] */
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"failure_ratio\": 0.5000000001}}"),
	          msg_at("x.json", 1, 14, "breaker.failure_ratio: expected a number in (0, 1] with at most 9 "
	                        "decimals, got 0.5000000001"));
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"failure_ratio\": 0.50000000000000000001}}"),
	          msg_at("x.json", 1, 14, "breaker.failure_ratio: expected a number in (0, 1] with at most 9 "
	                        "decimals, got 0.50000000000000000001"));
	CHECK_STR(load_err("x.json", "{\"projection\": {\"days\": 30.00000000000000000001}}"),
	          msg_at("x.json", 1, 17, "projection.days: expected a positive number of days with at most 9 "
	                        "decimals, got 30.00000000000000000001"));
	/* out of range whatever its decimals: the range alone */
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"failure_ratio\": 1.50000000000000000001}}"),
	          msg_at("x.json", 1, 14, "breaker.failure_ratio: expected a number in (0, 1], got "
	                        "1.50000000000000000001"));
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"failure_ratio\": -0.50000000000000000001}}"),
	          msg_at("x.json", 1, 14, "breaker.failure_ratio: expected a number in (0, 1], got "
	                        "-0.50000000000000000001"));
	CHECK_STR(load_err("x.json", "{\"seed\": 1.5}"),
	          msg_at("x.json", 1, 2, "seed: expected a non-negative integer below 2^53, got 1.5"));
	CHECK_STR(load_err("x.json", "{\"cache\": {\"capacity\": 0}}"),
	          msg_at("x.json", 1, 12, "cache.capacity: expected a positive integer, got 0"));
	/* a TTL is positive in both tiers (null, not 0, means no TTL) */
	CHECK_STR(load_err("x.json", "{\"cache\": {\"ttl_s\": {\"large\": 0}}}"),
	          msg_at("x.json", 1, 22, "cache.ttl_s.large: expected a positive integer, got 0"));
	CHECK_STR(load_err("x.json", "{\"cache\": {\"ttl_s\": {\"small\": 0}}}"),
	          msg_at("x.json", 1, 22, "cache.ttl_s.small: expected a positive integer, got 0"));
	CHECK_STR(load_err("x.json", "{\"cache\": {\"ttl_s\": {\"small\": -900}}}"),
	          msg_at("x.json", 1, 22, "cache.ttl_s.small: expected a positive integer, got -900"));
	/* an integer past its key's bound: the bound is named (10^10 s for a duration) */
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"open_s\": 10000000001}}"),
	          msg_at("x.json", 1, 14, "breaker.open_s: expected a positive integer of at most 10000000000, "
	                        "got 10000000001"));
	/* output_max is a token count (live sends it as max_output_tokens, 32 bits): 2^32 is past
	 * it (before, it was taken and wrapped to 0 on the way to the API), 2^32 − 1 is not */
	CHECK_STR(load_err("x.json", "{\"budget\": {\"*\": {\"output_max\": 4294967296}}}"),
	          msg_at("x.json", 1, 19, "budget.*.output_max: expected a positive integer of at most 4294967295, "
	                        "got 4294967296"));
	CHECK_STR(load_err("x.json", "{\"budget\": {\"*\": {\"output_max\": 4294967295}}}"), "");
	CHECK_STR(load_err("x.json", "{\"cache\": true}"),
	          msg_at("x.json", 1, 2, "cache: expected an object or null, got true"));
	/* a flag is true or false, not a number nor a string that reads like one */
	CHECK_STR(load_err("x.json", "{\"cache\": {\"enabled\": 1}}"),
	          msg_at("x.json", 1, 12, "cache.enabled: expected true or false, got 1"));
	CHECK_STR(load_err("x.json", "{\"faults\": {\"recorded\": 0}}"),
	          msg_at("x.json", 1, 13, "faults.recorded: expected true or false, got 0"));
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"enabled\": \"false\"}}"),
	          msg_at("x.json", 1, 14, "breaker.enabled: expected true or false, got \"false\""));
	CHECK_STR(load_err("x.json", "{\"cache\": {}, \"cache\": {}}"),
	          msg_at("x.json", 1, 15, "cache: duplicate key"));
	CHECK_STR(load_err("x.json", "[1]"), msg("x.json", "expected a JSON object, got [1]"));
	CHECK_STR(load_err("x.json", "{\"alerts\": {\"fallback_flood\": {\"rate\": 0}}}"),
	          msg_at("x.json", 1, 32, "alerts.fallback_flood.rate: expected a number in (0, 1], got 0"));
	CHECK_STR(load_err("x.json", "{\"fallback\": {\"usd_per_hour_cap\": 0.0000000000001}}"),
	          msg_at("x.json", 1, 15, "fallback.usd_per_hour_cap: expected a non-negative number of USD with "
	                        "at most 12 decimals, at most 9223372.036854775807, or null, got 0.0000000000001"));
	CHECK_STR(load_err("x.json", "{\"batch\": {\"discount\": 0.1234567891}}"),
	          msg_at("x.json", 1, 12, "batch.discount: expected a number in [0, 1] with at most 9 "
	                        "decimals, got 0.1234567891"));
	/* no close key: the keys that object may hold */
	CHECK_STR(load_err("x.json", "{\"billing\": {\"failed\": {\"ok\": \"full\"}}}"),
	          msg_at("x.json", 1, 25, "billing.failed.ok: unknown key (known keys here: timeout, "
	                        "rate_limited, server_error, invalid_request, content_filter, "
	                        "context_length)"));
	/* "enabled" belongs to several sections: no guess */
	CHECK_HAS(load_err("x.json", "{\"enabled\": true}"),
	          "x.json: enabled: unknown key (known keys here: name, mode, extends, pricing, ");
	CHECK_STR(load_err("x.json", "{\"routes\": {\"\": \"gpt-4.1\"}}"),
	          msg_at("x.json", 1, 13, "routes: a member name must not be empty"));
	CHECK_STR(load_err("x.json", "{\"batch\": {\"first_route\": \"\"}}"),
	          msg_at("x.json", 1, 12, "batch.first_route: expected a route name, got \"\""));
	/* a member name with ".", "*" or "[]" is no key, though it spells a nested key's path */
	CHECK_STR(load_err("x.json", "{\"cache.capacity\": 5}"),
	          msg_at("x.json", 1, 2, "cache.capacity: unknown key (a key name has no \".\", \"*\" or "
	                        "\"[]\": nest objects instead)"));
	CHECK_HAS(load_err("x.json", "{\"faults\": {\"inject[]\": {\"model\": \"m\"}}}"),
	          "x.json: faults.inject[]: unknown key (a key name has no");
	/* the place is the line and byte column of the key at fault (line 4, after 4 spaces) */
	CHECK_STR(load_err("x.json", "{\n  \"name\": \"x\",\n  \"retry\": {\n    \"max_attempt\": 3\n  }\n}\n"),
	          msg_at("x.json", 4, 5, "retry.max_attempt: unknown key (did you mean \"retry.max_attempts\"?)"));
	/* an error found only once the files are merged is placed at the key of the file that
	 * wrote it (here "default", column 14: `{"routing": {` is 13 bytes) */
	CHECK_STR(load_err("x.json", "{\"routing\": {\"default\": \"nowhere\"}}"),
	          msg_at("x.json", 1, 14, "routing.default: route \"nowhere\" needs \"routes\" (the scenario has "
	                        "none, so every call runs on the recorded model)"));
	/* a JSON number with no fraction, 100.0, is an integer */
	CHECK_STR(load_err("x.json", "{\"breaker\": {\"window\": 100.0}}"), "");
}

static void invalid_json_names_line_and_column(void)
{
	/* line 3 is "  x", the error is at its 'x': column 3 */
	char want[800];
	snprintf(want, sizeof want, "%s: invalid JSON near \"x\" (line 3, column 3)", tpath("j.json"));
	CHECK_STR(load_err("j.json", "{\n  \"seed\": 1,\n  x\n}\n"), want);
	/* a key without quotes: cJSON stops one past its first letter, the error is at the 'b' */
	snprintf(want, sizeof want, "%s: invalid JSON near \"broken\" (line 1, column 3)", tpath("j3.json"));
	CHECK_STR(load_err("j3.json", "{ broken"), want);
	/* cJSON stops on the last byte of a truncated file: the ',' in column 11 */
	snprintf(want, sizeof want, "%s: invalid JSON near \",\" (line 1, column 11)", tpath("j2.json"));
	CHECK_STR(load_err("j2.json", "{\"seed\": 1,"), want);
	/* cJSON takes a leading zero, JSON does not: the number is at column 10 */
	snprintf(want, sizeof want, "%s: invalid JSON (invalid number) near \"01}\" (line 1, column 10)", tpath("j4.json"));
	CHECK_STR(load_err("j4.json", "{\"seed\": 01}"), want);
	/* the text near is escaped as traces/text.h escapes (a tab \u0009), not "?", and is 16
	 * whole characters: the quote and 15 of the é's (2 bytes each), none cut in half */
	snprintf(want, sizeof want, "%s: invalid JSON near \"\"seed\":\\u00091}\" (line 2, column 2)", tpath("j5.json"));
	CHECK_STR(load_err("j5.json", "{\"name\": \"x\"\n\t\"seed\":\t1}"), want);
	snprintf(want, sizeof want, "%s: invalid JSON near \"\"%s\" (line 1, column 12)", tpath("j6.json"),
	         "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	CHECK_STR(load_err("j6.json", "{\"seed\": 1 \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                           "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}"), want);
	snprintf(want, sizeof want, "%s: invalid JSON (nothing but white space) (line 2, column 1)", tpath("j3.json"));
	CHECK_STR(load_err("j3.json", "  \n"), want);
	/* nesting too deep is said so, at the bracket past 512 levels, whether cJSON takes it (600
	 * levels) or not (past its 1000, where it said only "invalid JSON near"): {"seed":  is 9
	 * bytes and the { the first level, so the 512th [ is the 513th level, at column 9 + 512 */
	for (int depth = 600; depth <= 1100; depth += 500) {
		static char deep[2300];
		int n = snprintf(deep, sizeof deep, "{\"seed\": ");
		for (int i = 0; i < depth; i++)
			deep[n++] = '[';
		for (int i = 0; i < depth; i++)
			deep[n++] = ']';
		snprintf(deep + n, sizeof deep - (size_t)n, "}");
		snprintf(want, sizeof want, "%s: invalid JSON (nesting deeper than 512) near \"[[[[[[[[[[[[[[[[\" "
		         "(line 1, column 521)", tpath("deep.json"));
		CHECK_STR(load_err("deep.json", deep), want);
	}
	/* \u0000 would cut a name short (cJSON's strings end at it): "a" and "a\u0000b" would be
	 * one name.  The escape's backslash: {"name": "a is 11 bytes, so column 12; in a key,
	 * {"budget": {"x is 14 bytes, so column 15 */
	snprintf(want, sizeof want, "%s:1:12: a string holds \\u0000, which a name or key cannot", tpath("j5.json"));
	CHECK_STR(load_err("j5.json", "{\"name\": \"a\\u0000b\"}"), want);
	snprintf(want, sizeof want, "%s:1:15: a string holds \\u0000, which a name or key cannot", tpath("j6.json"));
	CHECK_STR(load_err("j6.json", "{\"budget\": {\"x\\u0000y\": {}}}"), want);
	/* an escaped backslash before u0000 is no escape of U+0000 */
	CHECK_STR(load_err("j7.json", "{\"name\": \"a\\\\u0000b\"}"), "");
	/* a UTF-8 byte order mark before the text (as Notepad writes) is skipped, and places count
	 * from after it: the 01 at column 10, as in j4.json */
	CHECK_STR(load_err("j8.json", "\xEF\xBB\xBF{\"seed\": 2}"), "");
	snprintf(want, sizeof want, "%s: invalid JSON (invalid number) near \"01}\" (line 1, column 10)", tpath("j9.json"));
	CHECK_STR(load_err("j9.json", "\xEF\xBB\xBF{\"seed\": 01}"), want);
	/* so is a price file's */
	put("bom/prices.json", "\xEF\xBB\xBF{\"date\": \"2026-01-01\", \"models\": {"
	    "\"m-small\": {\"tier\": \"small\", \"input\": 1, \"output\": 2},"
	    "\"m-large\": {\"tier\": \"large\", \"input\": 3, \"output\": 4}}}");
	CHECK_STR(load_err("bom/s.json", "{\"pricing\": \"prices.json\", \"routes\": {\"small\": \"m-small\"}}"), "");
	snprintf(want, sizeof want, "%s: cannot read: No such file or directory", tpath("none.json"));
	struct scenario sc;
	struct err e = { { 0 } };
	CHECK_INT(scenario_load(tpath("none.json"), &sc, &e), -1);
	CHECK_STR(e.msg, want);
}

static void route_and_model_checks(void)
{
	CHECK_STR(load_err("r.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"},"
	                   " \"routing\": {\"rules\": [{\"when\": {\"task\": \"a\"}, \"route\": \"medium\"}]}}"),
	          msg_at("r.json", 1, 105, "routing.rules[0].route: route \"medium\" is not a key of routes "
	                        "(\"small\", \"large\")")); /* the rule's "route" key: 104 bytes before it */
	/* a defaulted name is checked too */
	CHECK_STR(load_err("r.json", "{\"routes\": {\"mini\": \"gpt-4.1-mini\"}}"),
	          msg("r.json", "routing.default: route \"small\" is not a key of routes (\"mini\") "
	                        "(the default)"));
	CHECK_STR(load_err("r.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\"}, \"fallback\": {}}"),
	          msg("r.json", "fallback.chain[1]: route \"large\" is not a key of routes (\"small\") "
	                        "(the default)"));
	CHECK_STR(load_err("r.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\"}, \"batch\": {}}"),
	          msg("r.json", "batch.fail_route: route \"large\" is not a key of routes (\"small\") "
	                        "(the default)"));
	/* summarize.route only matters when a budget summarizes */
	CHECK_STR(load_err("r.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\"},"
	                   " \"summarize\": {\"route\": \"tiny\"}}"), "");
	CHECK_STR(load_err("r.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\"},"
	                   " \"summarize\": {\"route\": \"tiny\"},"
	                   " \"budget\": {\"*\": {\"input_max\": 10, \"overflow\": \"summarize\"}}}"),
	          msg_at("r.json", 1, 53, "summarize.route: route \"tiny\" is not a key of routes (\"small\")"));
	/* without routes, a route name has nothing to name: one the file spells out, and a
	 * feature's defaulted one (SPEC §10 "defaulted names are checked too"); only routing.default
	 * may go unnamed ("Without routes, each request goes to its recorded model") */
	/* (a written one placed at its key: `{"routing": {"rules": [{` is 24 bytes, `{"routing": {` 13) */
	static const struct { const char *json, *said; } unrouted[] = {
		{ "{\"routing\": {\"rules\": [{\"route\": \"large\"}]}}", "routing.rules[0].route: route \"large\"" },
		{ "{\"routing\": {\"default\": \"large\"}}", "routing.default: route \"large\"" },
		{ "{\"fallback\": {}}", "fallback.chain[0]: route \"small\" (the default)" },
		{ "{\"batch\": {\"tasks\": [\"b\"]}}", "batch.first_route: route \"small\" (the default)" },
		{ "{\"budget\": {\"*\": {\"input_max\": 10, \"overflow\": \"summarize\"}}}",
		  "summarize.route: route \"small\" (the default)" },
	};
	for (size_t i = 0; i < sizeof unrouted / sizeof *unrouted; i++) {
		char want[600];
		snprintf(want, sizeof want, "%s needs \"routes\" (the scenario has none, so every call runs "
		         "on the recorded model)%s", unrouted[i].said,
		         i == 0 ? " (line 1, column 25)" : i == 1 ? " (line 1, column 14)" : "");
		CHECK_STR(load_err("r.json", unrouted[i].json), msg("r.json", want));
	}
	CHECK_STR(load_err("r.json", "{\"cache\": {}}"), "");
	CHECK_STR(load_err("r.json", "{\"summarize\": {\"ratio\": 0.2}}"), "");
	CHECK_HAS(load_err("r.json", "{\"routes\": {\"small\": \"gpt-9\", \"large\": \"gpt-4.1\"}}"),
	          "r.json: routes.small: model \"gpt-9\" is not in the pricing file ");
	CHECK_HAS(load_err("r.json", "{\"routes\": {\"small\": \"gpt-9\", \"large\": \"gpt-4.1\"}}"),
	          "openai.json (line 1, column 13)"); /* "small": `{"routes": {` is 12 bytes */
	CHECK_HAS(load_err("r.json", "{\"faults\": {\"inject\": [{\"model\": \"gpt-9\","
	                   " \"from\": 0, \"to\": 60}]}}"),
	          "r.json: faults.inject[0].model: model \"gpt-9\" is not in the pricing file ");
	CHECK_HAS(load_err("r.json", "{\"faults\": {\"inject\": [{\"model\": \"gpt-9\","
	                   " \"from\": 0, \"to\": 60}]}}"),
	          "openai.json (line 1, column 25)"); /* "model": `{"faults": {"inject": [{` is 24 bytes */
	/* a window without "model" takes gpt-4.1-mini, and says so when the prices lack it (as a
	 * defaulted route does), where the message read as if the file named it */
	put("nomini/prices.json", "{\"models\": {\"m\": {\"input\": 1, \"output\": 2}}}");
	char nomini[900];
	snprintf(nomini, sizeof nomini, "faults.inject[0].model: model \"gpt-4.1-mini\" (the default) is not "
	         "in the pricing file %s", tpath("nomini/prices.json"));
	CHECK_STR(load_err("nomini/f.json", "{\"pricing\": \"prices.json\", \"faults\": {\"inject\": [{\"rate\": 1}]}}"),
	          msg_at("nomini/f.json", 1, 50, nomini)); /* the window: 49 bytes before its "{" */
	/* a chain of 17 is refused where it is written, not when a replay meets it */
	CHECK_STR(load_err("r.json", "{\"routes\": {\"s\": \"gpt-4.1-mini\"}, \"routing\": {\"default\": \"s\"},"
	                   " \"fallback\": {\"chain\": [\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\",\"s\"]}}"),
	          msg("r.json", "fallback.chain: at most 16 entries, got 17"));
	/* integers stop below 2^53: 9007199254740993 reads as the double 2^53, so a seed of
	 * either would draw as the other */
	CHECK_STR(load_err("r.json", "{\"seed\": 9007199254740991}"), "");
	CHECK_HAS(load_err("r.json", "{\"seed\": 9007199254740993}"),
	          "r.json: seed: expected a non-negative integer below 2^53, got ");
	CHECK_STR(load_err("r.json", "{\"budget\": {\"long_report\": {\"overflow\": \"async\"}}}"),
	          msg("r.json", "budget.long_report.overflow: \"async\" needs batch to be on (add a "
	                        "\"batch\" section)"));
	char want[2600];
	snprintf(want, sizeof want, "%s: budget.long_report.overflow: \"async\" needs batch to be on "
	         "(%s turns it off)", tpath("r.json"), tpath("r.json"));
	CHECK_STR(load_err("r.json", "{\"budget\": {\"long_report\": {\"overflow\": \"async\"}},"
	                   " \"batch\": {\"enabled\": false}}"), want);
	/* valid on its own, the base is named for the async; the child for turning batch off */
	CHECK_STR(load_err("ab/base.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"},"
	                   " \"budget\": {\"long_report\": {\"overflow\": \"async\"}}, \"batch\": {}}"), "");
	snprintf(want, sizeof want, "%s: budget.long_report.overflow: \"async\" needs batch to be on "
	         "(%s turns it off)", tpath("ab/base.json"), tpath("ab/off.json"));
	CHECK_STR(load_err("ab/off.json", "{\"extends\": \"base.json\", \"batch\": null}"), want);
	CHECK_STR(load_err("r.json", "{\"routes\": {\"small\": \"gpt-4.1-mini\", \"large\": \"gpt-4.1\"}, \"budget\": {\"long_report\": "
	                   "{\"overflow\": \"async\"}}, \"batch\": {}}"), "");
	/* the rule lives in the base, the routes in the child: the base is named */
	put("rb/base.json", "{\"routing\": {\"rules\": [{\"route\": \"large\"}]}}");
	CHECK_STR(load_err("rb/child.json", "{\"extends\": \"base.json\","
	                   " \"routes\": {\"small\": \"gpt-4.1-mini\"}}"),
	          msg_at("rb/base.json", 1, 25, "routing.rules[0].route: route \"large\" is not a key of routes "
	                              "(\"small\")")); /* at the base's "route": 24 bytes before it */
	CHECK_HAS(load_err("r.json", "{\"pricing\": \"nope/prices.json\"}"),
	          "r.json: pricing: cannot read \"");
}

static void recorded_scenario(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(scenario_builtin("recorded", &sc, &e));
	CHECK_STR(sc.name, "recorded");
	CHECK_INT(sc.mode, SCENARIO_MODE_RECORDED);
	CHECK(sc.pricing && pricing_find(sc.pricing, "gpt-4.1"));
	CHECK_INT(sc.alerts.cost_guard_on, 1);
	CHECK_INT(sc.alerts.fallback_flood_on, 1);
	CHECK_INT(sc.cache.on | sc.batch.on | sc.fallback.on | sc.breaker.on, 0);
	CHECK(sc.path == NULL);
	scenario_fini(&sc);
	CHECK_INT(scenario_builtin("baseline", &sc, &e), -1);
	CHECK_HAS(e.msg, "baseline: no such built-in scenario");

	CHECK_STR(load_err("rec.json", "{\"name\": \"r\", \"mode\": \"recorded\", \"cache\": {}}"),
	          msg_at("rec.json", 1, 35, "cache: not allowed in a recorded scenario (it takes only name, "
	                          "mode, pricing, billing, alerts, projection)"));
	MUST(load("rec.json", "{\"mode\": \"recorded\", \"billing\": {\"failed\":"
	               " {\"timeout\": \"none\"}}, \"alerts\": {\"cost_guard\": null},"
	               " \"projection\": {\"days\": 31}}", &sc, &e));
	CHECK_INT(sc.billing.failed[STATUS_TIMEOUT], BILLING_NONE);
	CHECK_INT(sc.alerts.cost_guard_on, 0);
	CHECK_INT(sc.projection.days.num, 31);
	scenario_fini(&sc);
}

static void set_one_key(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(scenario_load("fixtures/scenarios/v3.json", &sc, &e));
	CHECK_INT(scenario_set(&sc, "cache.ttl_s.large", "1800", &e), 0);
	CHECK_INT(sc.cache.ttl_us[TIER_LARGE], 1800 * US);
	CHECK_INT(sc.cache.ttl_us[TIER_SMALL], 900 * US);
	CHECK_STR(sc.name, "v3 cache+routing");
	CHECK_STR(sc.path, "fixtures/scenarios/v3.json");

	CHECK_INT(scenario_set(&sc, "cache.ttl_s.large", "1h", &e), -1);
	CHECK_STR(e.msg, "cache.ttl_s.large: expected a positive integer, got \"1h\"");
	CHECK_INT(sc.cache.ttl_us[TIER_LARGE], 1800 * US); /* unchanged */

	CHECK_INT(scenario_set(&sc, "cache.tll_s.large", "5", &e), -1);
	CHECK_STR(e.msg, "cache.tll_s.large: unknown key (did you mean \"cache.ttl_s.large\"?)");
	CHECK_INT(scenario_set(&sc, "cache.model", "5", &e), -1);
	CHECK_HAS(e.msg, "cache.model: unknown key (known keys here: enabled, key,");
	CHECK_INT(scenario_set(&sc, "cache.seed", "5", &e), -1);
	CHECK_STR(e.msg, "cache.seed: unknown key (did you mean the top-level \"seed\"?)");
	/* an unknown object has no keys to list: a close key elsewhere is still suggested */
	CHECK_INT(scenario_set(&sc, "cach.capacty", "5", &e), -1);
	CHECK_STR(e.msg, "cach.capacty: unknown key (did you mean \"cache.capacity\"?)");
	/* no close match: what the object (a section here) may hold, as in a file */
	CHECK_INT(scenario_set(&sc, "cache.ttll", "5", &e), -1);
	CHECK_STR(e.msg, "cache.ttll: unknown key (known keys here: enabled, key, policy_version, "
	                 "normalize, capacity, eviction, ttl_s)");
	/* a task's key mistyped is a key, not a task named "faq_answer.outputmax" given a number
	 * ("budget.faq_answer.outputmax: expected an object or null, got 10"); a task's name may hold
	 * a '.', set to an object */
	CHECK_INT(scenario_set(&sc, "budget.faq_answer.outputmax", "10", &e), -1);
	CHECK_STR(e.msg, "budget.faq_answer.outputmax: unknown key (did you mean "
	                 "\"budget.faq_answer.output_max\"?)");
	CHECK_INT(scenario_set(&sc, "budget.faq_answer.zzz", "truncate", &e), -1);
	CHECK_STR(e.msg, "budget.faq_answer.zzz: unknown key (known keys here: input_max, output_max, "
	                 "overflow)");
	CHECK_INT(scenario_set(&sc, "budget.v2.faq.input_max", "100", &e), 0);
	CHECK_INT(scenario_set(&sc, "budget.v2.faq", "null", &e), 0);

	CHECK_INT(scenario_set(&sc, "routes.small", "gpt-4o-mini", &e), 0);
	CHECK_STR(sc.routes[0].model, "gpt-4o-mini");
	CHECK_INT(scenario_set(&sc, "routes.small", "gpt-9", &e), -1);
	CHECK_HAS(e.msg, "routes.small: model \"gpt-9\" is not in the pricing file");

	CHECK_INT(scenario_set(&sc, "routing.rules[2].route", "large", &e), 0);
	CHECK_INT(sc.routing.rules[2].route, 1);
	CHECK_INT(scenario_set(&sc, "routing.rules[7].route", "large", &e), -1);
	CHECK_STR(e.msg, "routing.rules[7].route: no element 7");
	/* a list's element written with a dot: the [N] form suggested */
	CHECK_INT(scenario_set(&sc, "routing.rules.2.route", "large", &e), -1);
	CHECK_STR(e.msg, "routing.rules.2.route: unknown key (did you mean \"routing.rules[2].route\"? a list's "
	                 "element is [N])");
	CHECK_INT(scenario_set(&sc, "faults.inject.10", "{}", &e), -1);
	CHECK_HAS(e.msg, "did you mean \"faults.inject[10]\"?");

	CHECK_INT(scenario_set(&sc, "budget.faq_answer.overflow", "reject", &e), 0);
	CHECK_INT(scenario_budget_for(&sc, "faq_answer")->overflow, OVERFLOW_REJECT);
	CHECK_INT(scenario_set(&sc, "budget.new.task.input_max", "77", &e), 0); /* a dotted task */
	CHECK_INT(scenario_budget_for(&sc, "new.task")->input_max, 77);
	/* a task name or a value that is not UTF-8 (byte 0xad alone) is refused: the scenario's
	 * JSON could not be loaded again (found by fuzz_scenario_set) */
	CHECK_INT(scenario_set(&sc, "budget.\xad" "b.overflow", "reject", &e), -1);
	CHECK_STR(e.msg, "the key path: not UTF-8 text");
	CHECK_INT(scenario_set(&sc, "cache.policy_version", "v\xad", &e), -1);
	CHECK_STR(e.msg, "cache.policy_version: not UTF-8 text");

	CHECK_INT(scenario_set(&sc, "cache.key", "tenant, input", &e), 0);
	CHECK_INT(sc.cache.key, CACHE_PART_TENANT | CACHE_PART_INPUT);
	CHECK_INT(scenario_set(&sc, "retry.on", "[\"timeout\"]", &e), 0);
	CHECK_INT(sc.retry.on, STATUS_BIT(STATUS_TIMEOUT));
	/* a list in brackets without JSON's quotes, as people type it */
	CHECK_INT(scenario_set(&sc, "retry.on", " [timeout, rate_limited] ", &e), 0);
	CHECK_INT(sc.retry.on, STATUS_BIT(STATUS_TIMEOUT) | STATUS_BIT(STATUS_RATE_LIMITED));
	CHECK_INT(scenario_set(&sc, "cache.key", "[tenant]", &e), 0);
	CHECK_INT(sc.cache.key, CACHE_PART_TENANT);
	CHECK_INT(scenario_set(&sc, "cache.key", "tenant, input", &e), 0);

	CHECK_INT(scenario_set(&sc, "fallback.max_rate", "0.1", &e), 0);
	CHECK_INT(sc.fallback.has_max_rate, 1);
	CHECK_INT(sc.fallback.max_rate.num, 1);
	CHECK_INT(scenario_set(&sc, "fallback.max_rate", "null", &e), 0);
	CHECK_INT(sc.fallback.has_max_rate, 0);

	CHECK_INT(scenario_set(&sc, "batch", "null", &e), -1); /* long_report still overflows async */
	CHECK_STR(e.msg, "budget.long_report.overflow: \"async\" needs batch to be on (add a "
	                 "\"batch\" section)");
	CHECK_INT(sc.batch.on, 1);

	CHECK_INT(scenario_set(&sc, "seed", NULL, &e), 0); /* removed: back to the default */
	CHECK_INT(sc.seed, 1);
	CHECK_INT(scenario_set(&sc, "seed", "42", &e), 0);
	CHECK_INT(sc.seed, 42);
	CHECK_INT(scenario_set(&sc, "name", "v4", &e), 0);
	CHECK_STR(sc.name, "v4");
	CHECK_INT(scenario_set(&sc, "alerts.fallback_flood", "null", &e), 0);
	CHECK_INT(sc.alerts.fallback_flood_on, 0);
	scenario_fini(&sc);

	/* a key under a section that is absent creates it */
	MUST(load("s.json", "{}", &sc, &e));
	CHECK_INT(scenario_set(&sc, "breaker.window", "10", &e), 0);
	CHECK_INT(sc.breaker.on, 1);
	CHECK_INT(sc.breaker.window, 10);
	CHECK_STR(sc.name, "s");
	scenario_fini(&sc);
}

static void json_round_trip(void)
{
	struct scenario a, b;
	struct err e = { { 0 } };
	const char *files[] = { "fixtures/scenarios/v3.json", "fixtures/scenarios/flood-guard.json",
	                        "fixtures/scenarios/recorded.json" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		MUST(scenario_load(files[i], &a, &e));
		char *full = scenario_to_json(&a, 1);
		CHECK(full != NULL);
		CHECK_INT(scenario_parse(full, "again.json", "fixtures/scenarios", &b, &e), 0);
		char *full2 = scenario_to_json(&b, 1);
		CHECK_STR(full2, full);
		free(full);
		free(full2);
		scenario_fini(&b);

		/* saved elsewhere, the file still finds its pricing */
		const char *out = tpath("saved.json");
		CHECK_INT(scenario_save(&a, out, &e), 0);
		MUST(scenario_load(out, &b, &e));
		CHECK_STR(b.name, a.name);
		CHECK_INT(b.pricing->n_models, a.pricing->n_models);
		full = scenario_to_json(&a, 1);
		full2 = scenario_to_json(&b, 1);
		/* identical but for the pricing path, which comes before "billing" */
		CHECK_STR(strstr(full2, "\"billing\""), strstr(full, "\"billing\""));
		free(full);
		free(full2);
		scenario_fini(&b);
		scenario_fini(&a);
	}
	MUST(scenario_load("fixtures/scenarios/recorded.json", &a, &e));
	char *full = scenario_to_json(&a, 1);
	CHECK(full && !strstr(full, "\"cache\"") && strstr(full, "\"alerts\""));
	free(full);
	scenario_fini(&a);
}

static void key_table(void)
{
	/* every key of the §3 example is in the table */
	const char *paths[] = {
		"name", "extends", "pricing", "routes.small", "cache.enabled", "cache.key",
		"cache.policy_version", "cache.normalize", "cache.capacity", "cache.eviction",
		"cache.ttl_s.small", "cache.ttl_s.large", "routing.default",
		"routing.rules[0].when.difficulty", "routing.rules[1].when.input_tokens_gt",
		"routing.rules[2].when.task", "routing.rules[0].route", "budget.faq_answer.input_max",
		"budget.*.output_max", "budget.long_report.overflow", "summarize.route",
		"summarize.ratio", "retry.max_attempts", "retry.on", "retry.backoff_ms",
		"retry.timeout_ms", "fallback.chain", "fallback.on", "fallback.tenant_inflight_cap",
		"fallback.max_rate", "fallback.rate_window_s", "fallback.usd_per_hour_cap",
		"fallback.degrade_tasks", "breaker.enabled", "breaker.window", "breaker.failure_ratio",
		"breaker.open_s", "batch.enabled", "batch.tasks", "batch.interval_s",
		"batch.max_batch_size", "batch.max_total_input_tokens", "batch.first_route",
		"batch.fail_route", "batch.discount", "batch.max_attempts", "batch.latency_s",
		"billing.failed.timeout", "billing.failed.context_length", "faults.recorded",
		"faults.inject[0].model", "faults.inject[0].from", "faults.inject[0].to",
		"faults.inject[0].status", "faults.inject[0].rate", "alerts.cost_guard.window_s",
		"alerts.cost_guard.baseline_s", "alerts.cost_guard.threshold",
		"alerts.fallback_flood.window_s", "alerts.fallback_flood.rate",
		"alerts.fallback_flood.min_requests", "projection.days", "projection.sample_rate",
		"projection.traffic_multiplier", "seed", "mode",
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		const struct scenario_key *k = scenario_key_find(scenario_keys, scenario_n_keys, paths[i]);
		if (!k)
			TEST_FAIL_("no key for %s", paths[i]);
		else if (!k->help || !k->help[0] || !k->expect)
			TEST_FAIL_("no help for %s", paths[i]);
	}
	/* every key's expectation, its bound included, fits in SCENARIO_EXPECT_MAX bytes */
	for (size_t i = 0; i < scenario_n_keys; i++) {
		char big[4 * SCENARIO_EXPECT_MAX];
		if (strlen(scenario_key_expect(&scenario_keys[i], big, sizeof big)) >= SCENARIO_EXPECT_MAX)
			TEST_FAIL_("the expectation of %s is longer than SCENARIO_EXPECT_MAX", scenario_keys[i].path);
	}
	const struct scenario_key *k = scenario_key_find(scenario_keys, scenario_n_keys,
	                                                 "budget.a.b.overflow");
	CHECK_STR(k ? k->path : NULL, "budget.*.overflow");
	CHECK(scenario_key_find(scenario_keys, scenario_n_keys, "cache.nope") == NULL);
	CHECK_INT(scenario_edit_distance("tll_s", "ttl_s"), 1);
	CHECK_INT(scenario_edit_distance("ab", "ba"), 1); /* one adjacent swap */
	CHECK_INT(scenario_edit_distance("", "seed"), 4);
	CHECK_INT(scenario_edit_distance("kitten", "sitting"), 3);
}

static void bundled_fixtures_load(void)
{
	struct scenario sc;
	struct err e = { { 0 } };
	MUST(scenario_load("fixtures/scenarios/recorded.json", &sc, &e));
	CHECK_INT(sc.mode, SCENARIO_MODE_RECORDED);
	scenario_fini(&sc);

	MUST(scenario_load("fixtures/scenarios/baseline.json", &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_INT(sc.cache.on, 0);
	CHECK_INT(sc.retry.on, (1u << N_STATUS) - 2); /* every class but ok */
	for (size_t i = 0; i < sc.n_routes; i++)
		CHECK_INT(sc.pricing->models[sc.routes[i].model_idx].tier, TIER_LARGE);
	CHECK_STR(sc.routes[sc.routing.default_route].name, "large");
	scenario_fini(&sc);

	MUST(scenario_load("fixtures/scenarios/v3.json", &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_STR(sc.name, "v3 cache+routing");
	CHECK_INT(sc.cache.on, 1);
	CHECK_INT(sc.cache.key, CACHE_PART_TENANT | CACHE_PART_POLICY_VERSION | CACHE_PART_INPUT);
	CHECK_INT(sc.routing.rules[0].difficulty, DIFFICULTY_HARD);
	CHECK_INT(sc.retry.on, TRANSIENT_BITS);
	CHECK_INT(sc.fallback.on, 1);
	CHECK_INT(sc.fallback.has_max_rate, 0);
	CHECK_INT(sc.fallback.tenant_inflight_cap, 0);
	scenario_fini(&sc);

	MUST(scenario_load("fixtures/scenarios/flood-guard.json", &sc, &e));
	CHECK_STR(e.msg, "");
	CHECK_STR(sc.name, "flood guard");
	CHECK_INT(sc.fallback.tenant_inflight_cap, 4);
	CHECK_INT(sc.fallback.has_max_rate, 1);
	CHECK_INT(sc.fallback.max_rate.num, 25);
	CHECK_INT(sc.retry.on, TRANSIENT_BITS);
	CHECK(scenario_strlist_has(&sc.fallback.degrade_tasks, "faq_answer"));
	CHECK_INT(sc.cache.on, 1); /* from v3 */
	CHECK_STR(sc.routes[0].model, "gpt-4.1-mini");
	scenario_fini(&sc);
}

void suite_scenario(void)
{
	setup();
	RUN(status_names_and_classes);
	RUN(defaults_of_an_empty_file);
	RUN(defaults_of_present_sections);
	RUN(spec_example_loads);
	RUN(exact_decimals);
	RUN(times_in_inject_windows);
	RUN(extends_merges_and_overrides);
	RUN(extends_bundled);
	RUN(extends_errors);
	RUN(error_messages);
	RUN(invalid_json_names_line_and_column);
	RUN(route_and_model_checks);
	RUN(recorded_scenario);
	RUN(set_one_key);
	RUN(json_round_trip);
	RUN(key_table);
	RUN(bundled_fixtures_load);
	teardown();
}
