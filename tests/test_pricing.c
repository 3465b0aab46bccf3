/*
 * Pricing files and the price arithmetic: the bundled table's values, exact
 * micro-USD prices, cached_input's default, latency rounding, a call's cost in
 * pico-USD, and the error messages of a bad file.  Runs from the repository
 * root (fixtures/ relative to it).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/money.h"
#include "sim/pricing.h"
#include "sim/trace.h"
#include "tests/test.h"
#include "traces/pricing.h"

/* Parses text as "p.json"; returns the message ("" when it loads). */
static const char *parse_err(const char *text)
{
	static struct err e;
	struct pricing *p;
	e.msg[0] = '\0';
	if (pricing_parse(text, "p.json", &p, &e) == 0) {
		pricing_free(p);
		return "";
	}
	CHECK(p == NULL);
	return e.msg;
}

static void bundled_table(void)
{
	struct pricing *p;
	struct err e = { { 0 } };
	if (pricing_load("fixtures/pricing/openai.json", &p, &e) != 0) {
		TEST_FAIL_("load: %s", e.msg);
		return;
	}
	CHECK_STR(p->date, "2026-08-21");
	CHECK_HAS(p->source, "genai-prices");
	CHECK_INT(p->n_models, 9);
	/* reference/formats.md §5, USD per 1M tokens × 10^6 */
	const struct { const char *name; int tier; int64_t in, cin, out; } want[] = {
		{ "gpt-4o-mini", TIER_SMALL, 150000, 75000, 600000 },
		{ "gpt-4o", TIER_LARGE, 2500000, 1250000, 10000000 },
		{ "gpt-4.1-mini", TIER_SMALL, 400000, 100000, 1600000 },
		{ "gpt-4.1", TIER_LARGE, 2000000, 500000, 8000000 },
		{ "gpt-5-mini", TIER_SMALL, 250000, 25000, 2000000 },
		{ "gpt-5", TIER_LARGE, 1250000, 125000, 10000000 },
		/* embeddings: input alone (cached input at the same price), no output */
		{ "text-embedding-3-small", TIER_SMALL, 20000, 20000, 0 },
		{ "text-embedding-3-large", TIER_SMALL, 130000, 130000, 0 },
		{ "text-embedding-ada-002", TIER_SMALL, 100000, 100000, 0 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct price_model *m = pricing_find(p, want[i].name);
		if (!m) {
			TEST_FAIL_("no model %s", want[i].name);
			continue;
		}
		CHECK_INT(m->tier, want[i].tier);
		CHECK_INT(m->price.input_micro, want[i].in);
		CHECK_INT(m->price.cached_micro, want[i].cin);
		CHECK_INT(m->price.output_micro, want[i].out);
	}
	CHECK_INT(pricing_index(p, "gpt-4o"), 1);
	CHECK(pricing_find(p, "gpt-9") == NULL);
	CHECK_INT(pricing_index(p, "gpt-9"), -1);
	/* names match whole: a dated or unlisted variant of a listed model is not listed (SPEC §4
	 * step 5: an error, never another model's price) */
	CHECK(pricing_find(p, "gpt-4.1-nano") == NULL);
	CHECK(pricing_find(p, "gpt-4o-2024-08-06") == NULL);
	CHECK(pricing_find(p, "gpt-5-mini-x") == NULL);
	CHECK(pricing_find(p, "gpt-4.") == NULL);
	CHECK_INT(pricing_find(p, "gpt-4.1-mini")->latency_base_ps, 400000000000LL); /* 400 ms */
	CHECK_INT(pricing_find(p, "gpt-4.1-mini")->latency_per_tok_ps, 8000000000LL); /* 8 ms */
	pricing_free(p);
}

/* A model listed after another whose name is its prefix is found, and is itself. */
static void lookup_by_whole_name(void)
{
	struct pricing *p;
	struct err e = { { 0 } };
	if (pricing_parse("{\"models\": {\"m\": {\"input\": 1, \"output\": 2},"
	                  " \"m-mini\": {\"input\": 3, \"output\": 4}}}", "p.json", &p, &e) != 0) {
		TEST_FAIL_("parse: %s", e.msg);
		return;
	}
	CHECK_INT(pricing_index(p, "m"), 0);
	CHECK_INT(pricing_index(p, "m-mini"), 1);
	CHECK_INT(pricing_index(p, "m-max"), -1);
	CHECK_INT(pricing_index(p, ""), -1);
	pricing_free(p);
}

static void defaults_and_exact_prices(void)
{
	struct pricing *p;
	struct err e = { { 0 } };
	if (pricing_parse("{\"models\": {\"m\": {\"input\": 0.000001, \"output\": 123456.789012,"
	                  " \"latency_ms_base\": 0.0015, \"latency_ms_per_output_token\": 0.0025}}}",
	                  "p.json", &p, &e) != 0) {
		TEST_FAIL_("parse: %s", e.msg);
		return;
	}
	const struct price_model *m = &p->models[0];
	CHECK_STR(m->name, "m");
	CHECK_INT(m->tier, TIER_SMALL);               /* default tier */
	CHECK_INT(m->price.input_micro, 1);                  /* 0.000001 USD = 1 micro-USD */
	CHECK_INT(m->price.cached_micro, 1);           /* defaults to input */
	CHECK_INT(m->price.output_micro, 123456789012LL);
	CHECK_INT(m->latency_base_ps, 1500000);       /* 0.0015 ms = 1.5 µs, exactly */
	CHECK_INT(m->latency_per_tok_ps, 2500000);    /* 0.0025 ms = 2.5 µs */
	CHECK_STR(p->date, "");
	CHECK_STR(p->path, "p.json");
	/* the sum, exact, rounded once half to even: 1.5 µs + 2.5 µs = 4 µs (not 2 + 2 rounded
	 * apart); 1.5 + 7.5 = 9; 1.5 + 5 = 6.5 → 6 (even); the base alone 1.5 → 2 (even) */
	CHECK_INT(pricing_latency_us(m, 1), 4);
	CHECK_INT(pricing_latency_us(m, 3), 9);
	CHECK_INT(pricing_latency_us(m, 2), 6);
	CHECK_INT(pricing_latency_us(m, 0), 2);
	pricing_free(p);
	/* 0.0000004 ms (400 ps) a token × 10^6 tokens = 400 µs, where a per-token part rounded to
	 * the ns first gave 0; and 10^9 ms a token × 2^32 − 1 tokens stops at TRACE_LATENCY_MAX_US */
	if (pricing_parse("{\"models\": {\"m\": {\"input\": 1, \"output\": 1,"
	                  " \"latency_ms_per_output_token\": 0.0000004},"
	                  " \"big\": {\"input\": 1, \"output\": 1, \"latency_ms_base\": 1000000000,"
	                  " \"latency_ms_per_output_token\": 1000000000}}}", "p.json", &p, &e) != 0) {
		TEST_FAIL_("parse: %s", e.msg);
		return;
	}
	CHECK_INT(pricing_latency_us(&p->models[0], 1000000), 400);
	CHECK_INT(pricing_latency_us(&p->models[1], 0), 1000000000000LL); /* 10^9 ms */
	CHECK_INT(pricing_latency_us(&p->models[1], 4294967295u), TRACE_LATENCY_MAX_US);
	pricing_free(p);
	/* 19 significant digits, which no double holds (python3: repr(1234567890123.123456) is
	 * '1234567890123.1235'): read from the text, 1234567890123.123456 USD is
	 * 1234567890123123456 micro-USD; the largest price, INT64_MAX micro-USD, is
	 * 9223372036854.775807 USD */
	if (pricing_parse("{\"models\": {\"m\": {\"input\": 1234567890123.123456,"
	                  " \"output\": 9223372036854.775807}}}", "p.json", &p, &e) != 0) {
		TEST_FAIL_("parse: %s", e.msg);
		return;
	}
	CHECK_INT(p->models[0].price.input_micro, 1234567890123123456LL);
	CHECK_INT(p->models[0].price.output_micro, INT64_MAX);
	pricing_free(p);
}

/* The bundled prices through sim/money.h's cost function. */
static void call_cost_in_pico_usd(void)
{
	struct pricing *p;
	struct err e = { { 0 } };
	int64_t c = -1;
	if (pricing_load("fixtures/pricing/openai.json", &p, &e) != 0) {
		TEST_FAIL_("load: %s", e.msg);
		return;
	}
	const struct price_model *m = pricing_find(p, "gpt-4.1");
	/* gpt-4.1 at $2 / $0.50 / $8 per 1M: 800 × $2/1M = $0.0016, 200 × $0.5/1M =
	 * $0.0001, 500 × $8/1M = $0.004; $0.0057 = 5.7 × 10^9 pico-USD */
	CHECK_INT(money_call_pusd(&m->price, 1000, 200, 500, &c), 0);
	CHECK_INT(c, 5700000000LL);
	pricing_free(p);
}

static void error_messages(void)
{
	/* a value is echoed as written, not as a double prints (1e-07) */
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 0.0000001, \"output\": 1}}}"),
	          "p.json: models.m.input: expected a non-negative number of USD per 1M tokens with "
	          "at most 6 decimals, at most 9223372036854.775807, got 0.0000001 (line 1, column 19)");
	/* the largest price, INT64_MAX micro-USD, is named: one micro-USD more is refused */
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 9223372036854.775808, \"output\": 1}}}"),
	          "p.json: models.m.input: expected a non-negative number of USD per 1M tokens with "
	          "at most 6 decimals, at most 9223372036854.775807, got 9223372036854.775808 (line 1, column 19)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": -1, \"output\": 1}}}"),
	          "p.json: models.m.input: expected a non-negative number of USD per 1M tokens with "
	          "at most 6 decimals, at most 9223372036854.775807, got -1 (line 1, column 19)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": \"2\", \"output\": 1}}}"),
	          "p.json: models.m.input: expected a non-negative number of USD per 1M tokens with "
	          "at most 6 decimals, at most 9223372036854.775807, got \"2\" (line 1, column 19)");
	CHECK_STR(parse_err("{\"models\": {\"gpt-4.1\": {\"output\": 1}}}"),
	          "p.json: models.gpt-4.1: missing key \"input\" (line 1, column 13)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 1, \"ouptut\": 1}}}"),
	          "p.json: models.m.ouptut: unknown key (did you mean \"models.m.output\"?) (line 1, column 31)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"tier\": \"medium\", \"input\": 1, \"output\": 1}}}"),
	          "p.json: models.m.tier: expected \"small\" or \"large\", got \"medium\" (line 1, column 19)");
	CHECK_STR(parse_err("{\"models\": {}}"),
	          "p.json: models: expected a non-empty object of model: prices, got {} (line 1, column 2)");
	CHECK_STR(parse_err("{\"date\": \"2026-01-01\"}"), "p.json: missing key \"models\"");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 1, \"output\": 1,"
	                    " \"latency_ms_base\": 0.0000000001}}}"),
	          "p.json: models.m.latency_ms_base: expected a number of milliseconds from 0 to 10^9 "
	          "with at most 9 decimals, got 0.0000000001 (line 1, column 44)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 1, \"output\": 1,"
	                    " \"latency_ms_per_output_token\": 1000000001}}}"),
	          "p.json: models.m.latency_ms_per_output_token: expected a number of milliseconds "
	          "from 0 to 10^9 with at most 9 decimals, got 1000000001 (line 1, column 44)");
	/* a member named like a model's key path: no key (it once wrote past the table) */
	CHECK_HAS(parse_err("{\"models.*.latency_ms_per_output_token\": 0}"),
	          "p.json: models.*.latency_ms_per_output_token: unknown key (a key name has no");
	CHECK_STR(parse_err("{\"model\": {}}"),
	          "p.json: model: unknown key (did you mean \"models\"?) (line 1, column 2)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 1, \"output\": 1}, \"m\": {}}}"),
	          "p.json: models.m: duplicate key (line 1, column 45)");
	CHECK_STR(parse_err("{\"models\": {\"m\": {\"input\": 1,\n \"output\": }}}"),
	          "p.json: invalid JSON near \"}}}\" (line 2, column 12)");

	struct pricing *p;
	struct err e = { { 0 } };
	CHECK_INT(pricing_load("fixtures/pricing/nope.json", &p, &e), -1);
	CHECK_STR(e.msg, "fixtures/pricing/nope.json: cannot read: No such file or directory");
}

static void bundled_path_found(void)
{
	const char *path = pricing_bundled_path();
	CHECK(path != NULL);
	if (path)
		CHECK_HAS(path, "pricing/openai.json");
}

void suite_pricing(void)
{
	RUN(bundled_table);
	RUN(lookup_by_whole_name);
	RUN(defaults_and_exact_prices);
	RUN(call_cost_in_pico_usd);
	RUN(error_messages);
	RUN(bundled_path_found);
}
