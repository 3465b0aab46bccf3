/*
 * Tests of the result snapshot's derived figures (sim/result.c) and of its
 * three renderings (traces/report*.c): the exact JSON text of a totals object,
 * 12-decimal money, nulls, shortest ratios, latencies in ms, CSV quoting,
 * a field's value and its text for people (which the console shows too) and
 * the text table's deltas.  Every expected value is worked out by hand in the
 * comments (pUSD = pico-USD, 1 USD = 10^12 pUSD).
 */
#define _GNU_SOURCE /* fopencookie */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "sim/result.h"
#include "tests/test.h"
#include "traces/report.h"

/* 2026-03-02T10:00:00Z in µs: python3 -c "import calendar; print(calendar.timegm((2026,3,2,10,0,0)))"
 * printed 1772445600. */
#define T0_US (1772445600LL * 1000000)

static char *xstrdup(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	if (d)
		strcpy(d, s);
	return d;
}

/*
 * The counters every case starts from: 4 requests, 3 resolved, 1 failed,
 * 1 cache hit, 3 calls of which 1 large, 3000 input and 600 output tokens,
 * 2 of the 3 requests that called had a fallback, 1 budget violation,
 * usd_total 3000000 pUSD.
 */
static struct metrics sample_metrics(void)
{
	return (struct metrics){
		.requests = 4, .resolved = 3, .failed = 1, .cache_hits = 1, .cache_tokens_saved = 150,
		.cache_usd_saved = 1234567, .calls = 3, .calls_large = 1, .input_tokens = 3000,
		.output_tokens = 600, .retries = 1, .retry_tokens = 1100, .retry_usd = 500000,
		.fallbacks = 2, .requests_with_fallback = 2, .requests_with_call = 3,
		.budget_violations = 1, .truncated = 1, .usd_total = 3000000, .usd_per_hour_peak = 2000000,
		.latency_p50_us = 412500, .latency_p95_us = 1200000,
	};
}

/* A scenario over a one-hour trace (span 3600 s), projected over 30 days, with two tenants
 * (acme, beta), one task, one model, a two-bucket timeline and no alerts.  Heap-allocated
 * like the engine's, so result_scenario_fini() releases it. */
static void sample_scenario(struct result_scenario *r, const char *name)
{
	static const char *tenants[] = { "acme", "beta" }, *tasks[] = { "faq_answer" };
	memset(r, 0, sizeof *r);
	r->name = xstrdup(name);
	r->totals = sample_metrics();
	r->days_ppb = 30 * MONEY_PPB_ONE;
	r->sample_rate_ppb = MONEY_PPB_ONE;
	r->multiplier_ppb = MONEY_PPB_ONE;
	r->span_us = 3600LL * 1000000;

	r->n_tenants = 2;
	r->tenant_names = malloc(2 * sizeof *r->tenant_names);
	r->by_tenant = calloc(2, sizeof *r->by_tenant);
	r->tenant_names[0] = tenants[0];
	r->tenant_names[1] = tenants[1];
	r->by_tenant[0] = sample_metrics();
	r->by_tenant[1] = (struct metrics){ .requests = 1, .latency_p50_us = -1, .latency_p95_us = -1 };
	r->n_tasks = 1;
	r->task_names = malloc(sizeof *r->task_names);
	r->by_task = calloc(1, sizeof *r->by_task);
	r->task_names[0] = tasks[0];
	r->by_task[0] = sample_metrics();
	r->n_models = 1;
	r->by_model = calloc(1, sizeof *r->by_model);
	r->by_model[0] = (struct model_usage){ .model = "gpt-4.1-mini", .calls = 3, .input_tokens = 3000,
	                                       .output_tokens = 600, .usd = 3000000 };

	struct timeline *tl = &r->timeline;
	tl->bucket_s = 60;
	tl->t0_us = T0_US;
	tl->n_buckets = 2;
	for (int s = 0; s < N_TL_COUNTS; s++) {
		tl->count[s] = calloc(2, sizeof *tl->count[s]);
		tl->count[s][0] = (uint64_t)s;      /* series s holds {s, 10 + s} */
		tl->count[s][1] = (uint64_t)(10 + s);
	}
	tl->usd = calloc(2, sizeof *tl->usd);
	tl->retry_usd = calloc(2, sizeof *tl->retry_usd);
	tl->usd[0] = 2000000;
	tl->usd[1] = 1000000;
	tl->retry_usd[1] = 500000;
}

static struct trace_summary sample_trace(void)
{
	/* first and last arrival 3600.5 s apart */
	return (struct trace_summary){ .name = "day", .requests = 4, .tenants = 2,
	                               .first_us = T0_US, .last_us = T0_US + 3600500000LL };
}

/* What a renderer writes, as a string the caller frees; the table shows render_top groups. */
enum render { R_JSON, R_CSV, R_TABLE };
static size_t render_top = REPORT_TOP;
static char *render(enum render how, const struct result_scenario *r, size_t n, enum report_by by)
{
	char *buf = NULL;
	size_t len = 0;
	struct err e = { "" };
	struct trace_summary t = sample_trace();
	FILE *f = open_memstream(&buf, &len);
	int rc = how == R_JSON ? report_json(f, &t, r, n, &e)
	       : how == R_CSV ? report_csv(f, &t, r, n, by, &e) : report_table(f, &t, r, n, by, render_top, &e);
	fclose(f);
	CHECK_INT(rc, 0);
	return buf;
}

/* JSON text without the white space outside strings, so expected texts can be written compactly. */
static char *compact(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int in_str = 0;
	for (; *s; s++) {
		if (in_str) {
			*o++ = *s;
			if (*s == '\\' && s[1])
				*o++ = *++s;
			else if (*s == '"')
				in_str = 0;
		} else if (*s == '"') {
			in_str = 1;
			*o++ = *s;
		} else if (!strchr(" \t\r\n", *s)) {
			*o++ = *s;
		}
	}
	*o = 0;
	return out;
}

/* The line of `text` that starts with `prefix`, its runs of spaces squeezed to one (static). */
static const char *line_of(const char *text, const char *prefix)
{
	static char line[512];
	const char *p = text;
	while (p && *p) {
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			size_t o = 0;
			for (; *p && *p != '\n' && o + 1 < sizeof line; p++)
				if (!(*p == ' ' && o > 0 && line[o - 1] == ' '))
					line[o++] = *p;
			line[o] = 0;
			return line;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return "(no such line)";
}

static void report_derived_ratios(void)
{
	struct result_scenario r;
	struct derived d;
	sample_scenario(&r, "s");
	result_derive(&r, &r.totals, &d);
	CHECK(d.cache_hit_rate == 0.25);                  /* 1 ÷ 4 */
	CHECK(d.input_tokens_per_request == 750.0);       /* 3000 ÷ 4 */
	CHECK(d.output_tokens_per_request == 150.0);      /* 600 ÷ 4 */
	CHECK(d.large_share == 1.0 / 3);                  /* 1 ÷ 3 calls */
	CHECK(d.fallback_rate == 2.0 / 3);                /* 2 ÷ 3 requests with a call */
	CHECK(d.budget_violation_rate == 1.0 / 3);        /* 1 ÷ (4 − 1 cache hit) */
	CHECK_INT(d.usd_per_resolved_null, 0);
	CHECK_INT((int64_t)d.usd_per_resolved, 1000000); /* 3000000 ÷ 3 */
	CHECK_INT(d.projected_null, 0);
	/* 3000000 × (30 × 86400 ÷ 3600 = 720) = 2160000000 */
	CHECK_INT((int64_t)d.projected_monthly_usd, 2160000000LL);

	/* zero denominators: ratios 0; nothing resolved: usd_per_resolved null */
	struct metrics z = { .requests = 2, .cache_hits = 2, .budget_violations = 0, .usd_total = 7 };
	result_derive(&r, &z, &d);
	CHECK(d.large_share == 0 && d.fallback_rate == 0 && d.budget_violation_rate == 0);
	CHECK(d.cache_hit_rate == 1.0);
	CHECK_INT(d.usd_per_resolved_null, 1);
	/* 7 × 720 = 5040 (groups project over the trace's span too) */
	CHECK_INT((int64_t)d.projected_monthly_usd, 5040);

	/* usd_per_resolved rounds half to even: 5 ÷ 2 = 2.5 → 2; 1000000 ÷ 3 = 333333.3 → 333333 */
	struct metrics h = { .resolved = 2, .usd_total = 5 };
	result_derive(&r, &h, &d);
	CHECK_INT((int64_t)d.usd_per_resolved, 2);
	h = (struct metrics){ .resolved = 3, .usd_total = 1000000 };
	result_derive(&r, &h, &d);
	CHECK_INT((int64_t)d.usd_per_resolved, 333333);

	/* no span: the projection is null */
	r.span_us = 0;
	result_derive(&r, &r.totals, &d);
	CHECK_INT(d.projected_null, 1);
	result_scenario_fini(&r);
	CHECK(r.name == NULL && r.by_tenant == NULL && r.timeline.usd == NULL);
	result_scenario_fini(&r); /* a zeroed struct is fine */
}

static void report_text_helpers(void)
{
	char b[REPORT_TEXT_MAX];
	CHECK_STR(report_ratio_text(1.0 / 3, b, sizeof b), "0.3333333333333333");
	CHECK_STR(report_ratio_text(0.25, b, sizeof b), "0.25");
	CHECK_STR(report_ratio_text(0, b, sizeof b), "0");
	CHECK_STR(report_ratio_text(750, b, sizeof b), "750");    /* not 7.5e+02 */
	CHECK_STR(report_ratio_text(1e-5, b, sizeof b), "1e-05"); /* %.1g reads back */
	CHECK_STR(report_decimal_text(412500, 3, b, sizeof b), "412.5"); /* µs → ms */
	CHECK_STR(report_decimal_text(1200000, 3, b, sizeof b), "1200");
	CHECK_STR(report_decimal_text(1, 3, b, sizeof b), "0.001");
	CHECK_STR(report_decimal_text(-5, 0, b, sizeof b), "-5");
	CHECK_STR(report_count_text(1234567, b, sizeof b), "1,234,567");
	CHECK_STR(report_count_text(999, b, sizeof b), "999");
	CHECK_STR(report_count_text(1000, b, sizeof b), "1,000");

	/* dollars: 2 decimals from $1, cents rounded half to even */
	CHECK_STR(report_usd_text(0, b, sizeof b), "$0.00");
	CHECK_STR(report_usd_text(1234560000000000LL, b, sizeof b), "$1,234.56");
	CHECK_STR(report_usd_text(1234565000000000LL, b, sizeof b), "$1,234.56"); /* 123456.5¢ → 123456 */
	CHECK_STR(report_usd_text(1234575000000000LL, b, sizeof b), "$1,234.58"); /* 123457.5¢ → 123458 */
	/* below $1, four significant digits: 0.123456789012 → 0.1235 */
	CHECK_STR(report_usd_text(123456789012LL, b, sizeof b), "$0.1235");
	CHECK_STR(report_usd_text(432100, b, sizeof b), "$0.0000004321");
	/* 99995 pUSD = 0.000000099995 → 4 digits: 9999.5 → 10000 (even) → 0.0000001000 */
	CHECK_STR(report_usd_text(99995, b, sizeof b), "$0.0000001000");
	/* 0.99996 → 9999.6 → 10000 → $1.00 */
	CHECK_STR(report_usd_text(999960000000LL, b, sizeof b), "$1.00");
	CHECK_STR(report_usd_text(-2500000000000LL, b, sizeof b), "-$2.50");
}

/* A field's value read out of a scenario by its §5 name, and its text for people and its change
 * as the table and the console write them. */
static void report_values_for_people(void)
{
	char b[REPORT_TEXT_MAX];
	int sign = 9;
	struct result_scenario r;
	struct derived d;
	sample_scenario(&r, "s");
	result_derive(&r, &r.totals, &d);
	CHECK(report_field("no_such_metric") == NULL);
	const struct report_field *f = report_field("usd_total");
	CHECK(f != NULL && f->kind == REPORT_FK_USD);
	struct report_value v = report_value(f, &r, &r.totals, &d);
	CHECK_INT((int64_t)v.x, 3000000);
	/* 3000000 pUSD = $0.000003: 7 digits, 3 dropped → 3000 → 12 − 3 = 9 decimals */
	CHECK_STR(report_human_text(&v, b, sizeof b), "$0.000003000");
	v = report_value(report_field("requests"), &r, &r.totals, &d);
	CHECK_STR(report_human_text(&v, b, sizeof b), "4");
	v = report_value(report_field("cache_hit_rate"), &r, &r.totals, &d);
	CHECK_STR(report_human_text(&v, b, sizeof b), "25.0%"); /* 1 ÷ 4 */
	v = report_value(report_field("latency_p50_ms"), &r, &r.totals, &d);
	CHECK_STR(report_human_text(&v, b, sizeof b), "412.5 ms"); /* 412500 µs */
	/* billed_usd is null unless the scenario is the recorded one with cost_usd */
	v = report_value(report_field("billed_usd"), &r, &r.totals, &d);
	CHECK_INT(v.null, 1);
	CHECK_STR(report_human_text(&v, b, sizeof b), "-");
	/* beta's latency is -1: null */
	v = report_value(report_field("latency_p95_ms"), &r, &r.by_tenant[1], &d);
	CHECK_STR(report_human_text(&v, b, sizeof b), "-");
	result_scenario_fini(&r);

	/* $1,234.56 = 1,234.56 × 10^12 pico-USD */
	v = (struct report_value){ .kind = REPORT_FK_USD_DERIVED, .x = (money_sum)123456 * 10000000000LL };
	CHECK_STR(report_human_text(&v, b, sizeof b), "$1,234.56");
	/* 99,995,000 pico-USD: 8 digits, 4 dropped, 9,999.5 → 10,000 (even) carries: $0.0001000 */
	v.x = 99995000;
	CHECK_STR(report_human_text(&v, b, sizeof b), "$0.0001000");
	v = (struct report_value){ .kind = REPORT_FK_COUNT, .x = 1234567 };
	CHECK_STR(report_human_text(&v, b, sizeof b), "1,234,567");
	v = (struct report_value){ .kind = REPORT_FK_RATIO, .ratio = 0.999951 }; /* 99.9951 → 100.0 */
	CHECK_STR(report_human_text(&v, b, sizeof b), "100.0%");

	/* deltas: (150 − 100) ÷ 100 = +50.0%; (0.25 − 0.1) × 100 = +15.0 pp */
	struct report_value ref = { .kind = REPORT_FK_USD, .x = 100 };
	v = (struct report_value){ .kind = REPORT_FK_USD, .x = 150 };
	CHECK_STR(report_delta_text(&ref, &v, b, sizeof b, &sign), "+50.0%");
	CHECK_INT(sign, 1);
	ref = (struct report_value){ .kind = REPORT_FK_RATIO, .ratio = 0.1 };
	v = (struct report_value){ .kind = REPORT_FK_RATIO, .ratio = 0.25 };
	CHECK_STR(report_delta_text(&ref, &v, b, sizeof b, &sign), "+15.0 pp");
	CHECK_INT(sign, 1);
	v.null = 1;
	CHECK_STR(report_delta_text(&ref, &v, b, sizeof b, &sign), "");
	CHECK_INT(sign, 0);
	ref = (struct report_value){ .kind = REPORT_FK_COUNT, .x = 0 };
	v = (struct report_value){ .kind = REPORT_FK_COUNT, .x = 5 };
	sign = 9;
	CHECK_STR(report_delta_text(&ref, &v, b, sizeof b, &sign), ""); /* from 0: none */
	CHECK_INT(sign, 0);
}

static void report_json_totals(void)
{
	struct result_scenario r;
	sample_scenario(&r, "v3");
	char *out = render(R_JSON, &r, 1, REPORT_BY_NONE), *c = compact(out);
	/* Each value worked out by hand from sample_metrics():
	 *   cache_hit_rate 1/4 = 0.25; cache_usd_saved 1234567 pUSD = 0.000001234567 USD;
	 *   input/output per request 3000/4 = 750, 600/4 = 150; large_share 1/3;
	 *   retry_usd 500000 pUSD; fallback_rate 2/3 = 0.6666666666666666 (python3 repr(2/3));
	 *   budget_violation_rate 1/(4−1); usd_total 3000000 pUSD; peak 2000000 pUSD;
	 *   usd_per_resolved 3000000/3 = 1000000 pUSD; projected 3000000 × 720 = 2160000000 pUSD;
	 *   latencies 412500 µs = 412.5 ms, 1200000 µs = 1200 ms. */
	CHECK_HAS(c, "\"totals\":{\"requests\":4,\"resolved\":3,\"failed\":1,\"degraded\":0,"
	          "\"rejected\":0,\"cache_hits\":1,\"cache_hit_rate\":0.25,\"cache_tokens_saved\":150,"
	          "\"cache_usd_saved\":0.000001234567,\"calls\":3,\"input_tokens\":3000,"
	          "\"output_tokens\":600,\"cached_input_tokens\":0,\"input_tokens_per_request\":750,"
	          "\"output_tokens_per_request\":150,\"large_share\":0.3333333333333333,\"retries\":1,"
	          "\"retry_tokens\":1100,\"retry_usd\":0.000000500000,\"fallbacks\":2,"
	          "\"fallback_rate\":0.6666666666666666,\"fallbacks_denied\":0,\"breaker_rejections\":0,"
	          "\"budget_violations\":1,\"budget_violation_rate\":0.3333333333333333,\"truncated\":1,"
	          "\"summarized\":0,\"async\":0,\"batched\":0,\"output_capped\":0,"
	          "\"usd_total\":0.000003000000,\"usd_per_hour_peak\":0.000002000000,"
	          "\"usd_per_resolved\":0.000001000000,\"projected_monthly_usd\":0.002160000000,"
	          "\"latency_p50_ms\":412.5,\"latency_p95_ms\":1200}");
	/* the trace object: span 3600500000 µs = 3600.5 s */
	CHECK_HAS(c, "{\"trace\":{\"name\":\"day\",\"requests\":4,\"tenants\":2,"
	          "\"first_ts\":\"2026-03-02T10:00:00Z\",\"last_ts\":\"2026-03-02T11:00:00.5Z\","
	          "\"span_s\":3600.5},\"scenarios\":[{\"name\":\"v3\",\"totals\":");
	/* the second tenant: nothing resolved (usd_per_resolved null), no latency (null),
	 * usd 0 × 720 = 0 */
	CHECK_HAS(c, "\"by_tenant\":[{\"tenant\":\"acme\",\"requests\":4,");
	CHECK_HAS(c, "{\"tenant\":\"beta\",\"requests\":1,\"resolved\":0,");
	CHECK_HAS(c, "\"usd_total\":0.000000000000,\"usd_per_hour_peak\":0.000000000000,"
	          "\"usd_per_resolved\":null,\"projected_monthly_usd\":0.000000000000,"
	          "\"latency_p50_ms\":null,\"latency_p95_ms\":null}],\"by_task\":[{\"task\":\"faq_answer\",");
	CHECK_HAS(c, "\"by_model\":[{\"model\":\"gpt-4.1-mini\",\"calls\":3,\"input_tokens\":3000,"
	          "\"output_tokens\":600,\"usd\":0.000003000000}]");
	/* timeline: series s holds {s, 10+s} in enum order (requests 0, cache_hits 1, calls 2,
	 * calls_large 3, fallbacks 4, retries 5, first_calls 6, first_fallbacks 7), written in
	 * the §5 order with usd and retry_usd after retries */
	CHECK_HAS(c, "\"timeline\":{\"bucket_s\":60,\"t0\":\"2026-03-02T10:00:00Z\",\"requests\":[0,10],"
	          "\"cache_hits\":[1,11],\"calls\":[2,12],\"calls_large\":[3,13],\"fallbacks\":[4,14],"
	          "\"retries\":[5,15],\"usd\":[0.000002000000,0.000001000000],"
	          "\"retry_usd\":[0.000000000000,0.000000500000],\"first_calls\":[6,16],"
	          "\"first_fallbacks\":[7,17]},\"alerts\":[]}]}");
	/* no billed_usd outside a recorded scenario with cost_usd */
	CHECK(strstr(c, "billed_usd") == NULL);
	free(c);
	free(out);
	result_scenario_fini(&r);
}

static void report_json_billed_and_alerts(void)
{
	struct result_scenario r;
	sample_scenario(&r, "recorded");
	r.recorded = 1;
	r.has_billed = 1;
	r.totals.billed_usd = 3010000; /* Σ cost_usd: 0.00000301 USD */
	r.n_alerts = 2;
	r.alerts = calloc(2, sizeof *r.alerts);
	/* cost_guard: 1.5 USD/h against 1 USD/h, peak 1.5; a flood of 50% against 20%, peak 2.5 */
	r.alerts[0] = (struct alert){ .kind = ALERT_COST_GUARD, .start_us = T0_US + 60000000LL,
	                              .end_us = T0_US + 180000000LL, .value_pusd = 1500000000000LL,
	                              .baseline_pusd = 1000000000000LL, .peak_ratio = 1.5 };
	r.alerts[1] = (struct alert){ .kind = ALERT_FALLBACK_FLOOD, .start_us = T0_US + 120000000LL,
	                              .end_us = T0_US + 120000000LL, .value_rate = 0.5,
	                              .baseline_rate = 0.2, .peak_ratio = 2.5 };
	char *out = render(R_JSON, &r, 1, REPORT_BY_NONE), *c = compact(out);
	CHECK_HAS(c, "\"usd_total\":0.000003000000,\"billed_usd\":0.000003010000,\"usd_per_hour_peak\"");
	CHECK_HAS(c, "{\"tenant\":\"beta\"");
	CHECK_HAS(c, "\"alerts\":[{\"kind\":\"cost_guard\",\"start\":\"2026-03-02T10:01:00Z\","
	          "\"end\":\"2026-03-02T10:03:00Z\",\"value\":1.500000000000,\"baseline\":1.000000000000,"
	          "\"peak_ratio\":1.5},{\"kind\":\"fallback_flood\",\"start\":\"2026-03-02T10:02:00Z\","
	          "\"end\":\"2026-03-02T10:02:00Z\",\"value\":0.5,\"baseline\":0.2,\"peak_ratio\":2.5}]");
	free(c);
	free(out);

	char *t = render(R_TABLE, &r, 1, REPORT_BY_NONE);
	CHECK_STR(line_of(t, "billed USD"), "billed USD (cost_usd) $0.000003010");
	CHECK_STR(line_of(t, "    cost_guard"),
	          " cost_guard 2026-03-02T10:01:00Z to 2026-03-02T10:03:00Z value $1.50/h baseline $1.00/h peak 1.50x");
	CHECK_STR(line_of(t, "    fallback_flood"),
	          " fallback_flood 2026-03-02T10:02:00Z to 2026-03-02T10:02:00Z value 50.0% limit 20.0% peak 2.50x");
	CHECK_HAS(t, "  recorded: 2 alerts\n");
	free(t);
	result_scenario_fini(&r);
}

/* The JSON's layout (cJSON_Print's: a tab per level, "key":<tab>value, arrays on one line),
 * written out by hand, and names escaped: a quote, a backslash, C0 controls (\b \f \n \r \t by
 * name, others as \u00XX), DEL and UTF-8 as they are, a byte that is not UTF-8 as U+FFFD. */
static void report_json_layout_and_names(void)
{
	struct result_scenario r;
	sample_scenario(&r, "v3");
	r.tenant_names[0] = "a\"b\\c\x01\t\n\x7f";
	r.tenant_names[1] = "caf\xc3\xa9 \xff";
	char *out = render(R_JSON, &r, 1, REPORT_BY_NONE);
	const char *head = "{\n\t\"trace\":\t{\n\t\t\"name\":\t\"day\",\n\t\t\"requests\":\t4,\n"
	                   "\t\t\"tenants\":\t2,\n\t\t\"first_ts\":\t\"2026-03-02T10:00:00Z\",\n"
	                   "\t\t\"last_ts\":\t\"2026-03-02T11:00:00.5Z\",\n\t\t\"span_s\":\t3600.5\n\t},\n"
	                   "\t\"scenarios\":\t[{\n\t\t\t\"name\":\t\"v3\",\n\t\t\t\"totals\":\t{\n"
	                   "\t\t\t\t\"requests\":\t4,\n\t\t\t\t\"resolved\":\t3,\n";
	CHECK(strncmp(out, head, strlen(head)) == 0);
	CHECK_HAS(out, "\t\t\t\t\"latency_p95_ms\":\t1200\n\t\t\t},\n\t\t\t\"by_tenant\":\t[{\n"
	          "\t\t\t\t\t\"tenant\":\t\"a\\\"b\\\\c\\u0001\\t\\n\x7f\",\n\t\t\t\t\t\"requests\":\t4,\n");
	CHECK_HAS(out, "\t\t\t\t\t\"latency_p95_ms\":\t1200\n\t\t\t\t}, {\n"
	          "\t\t\t\t\t\"tenant\":\t\"caf\xc3\xa9 \xef\xbf\xbd\",\n");
	CHECK_HAS(out, "\t\t\t\"timeline\":\t{\n\t\t\t\t\"bucket_s\":\t60,\n"
	          "\t\t\t\t\"t0\":\t\"2026-03-02T10:00:00Z\",\n\t\t\t\t\"requests\":\t[0, 10],\n");
	CHECK_HAS(out, "\t\t\t\t\"first_fallbacks\":\t[7, 17]\n\t\t\t},\n\t\t\t\"alerts\":\t[]\n\t\t}]\n}\n");
	free(out);
	result_scenario_fini(&r);
}

/* A FILE that counts what is written to it and notes, at each write, the most heap in use
 * beyond sink_heap_base.  (Under ASan, mallinfo2 sees glibc's heap alone, which stays still.) */
static size_t sink_bytes, sink_heap_base, sink_heap_peak;

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd; /* small blocks and mmapped ones */
}

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	size_t used = heap_in_use();
	if (used > sink_heap_base && used - sink_heap_base > sink_heap_peak)
		sink_heap_peak = used - sink_heap_base;
	sink_bytes += n;
	return (ssize_t)n;
}

/* --json writes as it goes: a long timeline takes no memory of its size.  Before, the report
 * was a cJSON tree and then one text, both larger than the output, before a byte was written. */
static void report_json_streams(void)
{
	struct result_scenario r;
	struct trace_summary t = sample_trace();
	struct err e = { "" };
	sample_scenario(&r, "v3");
	struct timeline *tl = &r.timeline;
	tl->n_buckets = 50000;
	for (int s = 0; s < N_TL_COUNTS; s++) {
		free(tl->count[s]);
		tl->count[s] = calloc(tl->n_buckets, sizeof *tl->count[s]);
	}
	free(tl->usd);
	free(tl->retry_usd);
	tl->usd = calloc(tl->n_buckets, sizeof *tl->usd);
	tl->retry_usd = calloc(tl->n_buckets, sizeof *tl->retry_usd);
	FILE *f = fopencookie(NULL, "w", (cookie_io_functions_t){ .write = sink_write });
	sink_bytes = sink_heap_peak = 0;
	sink_heap_base = heap_in_use();
	CHECK_INT(report_json(f, &t, &r, 1, &e), 0);
	fclose(f);
	/* 50,000 zero buckets: ", 0" in 8 count series, ", 0.000000000000" in 2 USD series,
	 * 8 × 3 + 2 × 16 = 56 bytes a bucket, 2,800,000 bytes less the 10 first elements' ", " */
	CHECK(sink_bytes > 2800000 - 10 * 2);
	CHECK(sink_heap_peak < 1024 * 1024);
	result_scenario_fini(&r);
}

static void report_csv_rows(void)
{
	struct result_scenario r[2];
	sample_scenario(&r[0], "recorded");
	sample_scenario(&r[1], "v3, \"cheap\"");
	char *out = render(R_CSV, r, 2, REPORT_BY_NONE);
	const char *header = "scenario,requests,resolved,failed,degraded,rejected,cache_hits,cache_hit_rate,"
		"cache_tokens_saved,cache_usd_saved,calls,input_tokens,output_tokens,cached_input_tokens,"
		"input_tokens_per_request,output_tokens_per_request,large_share,retries,retry_tokens,"
		"retry_usd,fallbacks,fallback_rate,fallbacks_denied,breaker_rejections,budget_violations,"
		"budget_violation_rate,truncated,summarized,async,batched,output_capped,usd_total,"
		"usd_per_hour_peak,usd_per_resolved,projected_monthly_usd,latency_p50_ms,latency_p95_ms\n";
	/* the same values as report_json_totals; the name quoted per RFC 4180 (quotes doubled) */
	const char *row = "\"v3, \"\"cheap\"\"\",4,3,1,0,0,1,0.25,150,0.000001234567,3,3000,600,0,750,150,"
		"0.3333333333333333,1,1100,0.000000500000,2,0.6666666666666666,0,0,1,0.3333333333333333,"
		"1,0,0,0,0,0.000003000000,0.000002000000,0.000001000000,0.002160000000,412.5,1200\n";
	CHECK(strncmp(out, header, strlen(header)) == 0);
	CHECK_HAS(out, row);
	CHECK_HAS(out, "\nrecorded,4,3,");
	free(out);

	/* --by tenant: scenario order, then tenants; a null is an empty cell */
	out = render(R_CSV, r, 2, REPORT_BY_TENANT);
	CHECK(strncmp(out, "scenario,tenant,requests,resolved,", 34) == 0);
	CHECK_HAS(out, "\nrecorded,acme,4,3,1,");
	CHECK_HAS(out, "\nrecorded,beta,1,0,");
	CHECK_HAS(out, ",0.000000000000,,0.000000000000,,\n\"v3, \"\"cheap\"\"\",acme,"); /* beta's nulls */
	free(out);

	out = render(R_CSV, r, 1, REPORT_BY_MODEL);
	CHECK_STR(out, "scenario,model,calls,input_tokens,output_tokens,usd\n"
	          "recorded,gpt-4.1-mini,3,3000,600,0.000003000000\n");
	free(out);

	/* --by time: a row per bucket, the second starting 60 s after t0 */
	out = render(R_CSV, r, 1, REPORT_BY_TIME);
	CHECK_STR(out, "scenario,time,requests,cache_hits,calls,calls_large,fallbacks,retries,usd,retry_usd,"
	          "first_calls,first_fallbacks\n"
	          "recorded,2026-03-02T10:00:00Z,0,1,2,3,4,5,0.000002000000,0.000000000000,6,7\n"
	          "recorded,2026-03-02T10:01:00Z,10,11,12,13,14,15,0.000001000000,0.000000500000,16,17\n");
	free(out);
	result_scenario_fini(&r[0]);
	result_scenario_fini(&r[1]);
}

static void report_table_deltas(void)
{
	struct result_scenario r[2];
	sample_scenario(&r[0], "baseline");
	sample_scenario(&r[1], "v3");
	/* the reference costs $1; v3 costs $0.618: (0.618 − 1) ÷ 1 = −38.2% */
	r[0].totals.usd_total = 1000000000000LL;
	r[1].totals.usd_total = 618000000000LL;
	/* requests 4 → 3: −25.0%; cache hit rate 1/4 → 2/3: +41.7 points (66.67 − 25 = 41.666…) */
	r[1].totals.requests = 3;
	r[1].totals.cache_hits = 2;
	/* v3 resolves nothing: usd_per_resolved null, shown "-" with no delta */
	r[1].totals.resolved = 0;
	char *out = render(R_TABLE, r, 2, REPORT_BY_NONE);
	const char *head = "trace day: 4 requests, 2 tenants, span 01:00:00 "
	                   "(2026-03-02T10:00:00Z to 2026-03-02T11:00:00.5Z)\n\n";
	CHECK(strncmp(out, head, strlen(head)) == 0);
	CHECK_STR(line_of(out, "USD total"), "USD total $1.00 $0.6180 -38.2%");
	/* projected: $1 × 720 = $720.00; 0.618 × 720 = $444.96; −38.2% */
	CHECK_STR(line_of(out, "projected monthly USD"), "projected monthly USD $720.00 $444.96 -38.2%");
	CHECK_STR(line_of(out, "requests"), "requests 4 3 -25.0%");
	CHECK_STR(line_of(out, "cache hit rate"), "cache hit rate 25.0% 66.7% +41.7 pp");
	/* $1 ÷ 3 resolved = $0.333333333333 → $0.3333 */
	CHECK_STR(line_of(out, "USD per resolved request"), "USD per resolved request $0.3333 -");
	CHECK_STR(line_of(out, "latency p50"), "latency p50 412.5 ms 412.5 ms +0.0%");
	CHECK_STR(line_of(out, "latency p95"), "latency p95 1.20 s 1.20 s +0.0%");
	CHECK_STR(line_of(out, "retry USD"), "retry USD $0.0000005000 $0.0000005000 +0.0%");
	CHECK_HAS(out, "\nalerts\n  baseline: no alerts\n  v3: no alerts\n");
	CHECK(strstr(out, "billed") == NULL);
	/* no line ends in a blank */
	CHECK(strstr(out, " \n") == NULL);
	/* the same inputs give the same bytes */
	char *again = render(R_TABLE, r, 2, REPORT_BY_NONE);
	CHECK_STR(again, out);
	free(again);
	free(out);

	/* --by tenant: a table per scenario, a row per tenant */
	out = render(R_TABLE, r, 2, REPORT_BY_TENANT);
	CHECK_HAS(out, "\nbaseline, by tenant\n  tenant ");
	CHECK_STR(line_of(out, "  beta"), " beta 1 0 0 0.0% 0 0.0% 0.0% $0.00 - $0.00 -");
	CHECK_HAS(out, "\nv3, by tenant\n");
	free(out);
	out = render(R_TABLE, r, 1, REPORT_BY_MODEL);
	CHECK_STR(line_of(out, "  gpt-4.1-mini"), " gpt-4.1-mini 3 3,000 600 $0.000003000");
	free(out);
	/* --by time: bucket 2 has 16 first calls, 17 first fallbacks: 106.25% (a test value) */
	out = render(R_TABLE, r, 1, REPORT_BY_TIME);
	CHECK_STR(line_of(out, "  2026-03-02T10:01:00Z"),
	          " 2026-03-02T10:01:00Z 10 11 12 13 14 15 106.2% $0.000001000 $0.0000005000");
	free(out);
	result_scenario_fini(&r[0]);
	result_scenario_fini(&r[1]);
}

/* The helpers at their edges: a second is "1.00 s", a day "1d 00:00:00". */
static void report_text_edges(void)
{
	char b[REPORT_TEXT_MAX];
	CHECK_STR(report_latency_text(1000000, b, sizeof b), "1.00 s");
	CHECK_STR(report_latency_text(999000, b, sizeof b), "999.0 ms");
	CHECK_STR(report_span_text(86400LL * 1000000, b, sizeof b), "1d 00:00:00");
	CHECK_STR(report_span_text(86399LL * 1000000, b, sizeof b), "23:59:59");
}

/* Three scenarios: every delta is against the first column; a null reference gives no delta. */
static void report_table_three_columns(void)
{
	struct result_scenario r[3];
	sample_scenario(&r[0], "baseline");
	sample_scenario(&r[1], "v2");
	sample_scenario(&r[2], "v3");
	/* $1, $0.50, $0.618: v2 (0.5 − 1) ÷ 1 = −50.0%; v3 (0.618 − 1) ÷ 1 = −38.2% (against v2
	 * it would be +23.6%) */
	r[0].totals.usd_total = 1000000000000LL;
	r[1].totals.usd_total = 500000000000LL;
	r[2].totals.usd_total = 618000000000LL;
	/* the baseline has no latency (null, "-"): the others show theirs with no delta */
	r[0].totals.latency_p50_us = -1;
	char *out = render(R_TABLE, r, 3, REPORT_BY_NONE);
	CHECK_STR(line_of(out, "USD total"), "USD total $1.00 $0.5000 -50.0% $0.6180 -38.2%");
	CHECK_STR(line_of(out, "latency p50"), "latency p50 - 412.5 ms 412.5 ms");
	free(out);
	for (int k = 0; k < 3; k++)
		result_scenario_fini(&r[k]);
}

/* CSV: a name holding a line break is quoted (RFC 4180), as one with a comma or a quote. */
static void report_csv_quotes_line_breaks(void)
{
	struct result_scenario r;
	sample_scenario(&r, "two\nlines");
	char *out = render(R_CSV, &r, 1, REPORT_BY_NONE);
	CHECK_HAS(out, "\n\"two\nlines\",4,3,");
	free(out);
	result_scenario_fini(&r);
}

/* The start minutes ("00 01 … ") of the alert lines of a table whose alerts all start in the
 * 10:00 hour, in the order listed. */
static const char *alert_minutes(const char *out, char *got, size_t n)
{
	size_t o = 0;
	got[0] = 0;
	for (const char *p = strstr(out, "\nalerts\n"); p && (p = strstr(p + 1, "\n    "));) {
		const char *m = strstr(p, "T10:"); /* the start's minute */
		if (m && o + 4 < n)
			o += (size_t)snprintf(got + o, n - o, "%.2s ", m + 4);
	}
	return got;
}

/* More than 10 alerts: the 10 strongest (earliest first on a tie), listed in start order. */
static void report_alerts_strongest(void)
{
	struct result_scenario r;
	sample_scenario(&r, "s");
	r.n_alerts = 12;
	r.alerts = calloc(12, sizeof *r.alerts);
	/* alert i starts at 10:00 + i minutes; peaks: alert 0 5.0, alert 11 3.0, the
	 * others 2.0.  Strongest 10: 0, 11, then eight of the ten at 2.0, the earliest: 1 to 8.
	 * In start order: 0, 1, …, 8, 11 (minutes 00 to 08, then 11). */
	for (int i = 0; i < 12; i++)
		r.alerts[i] = (struct alert){ .kind = ALERT_FALLBACK_FLOOD, .start_us = T0_US + i * 60000000LL,
		                              .end_us = T0_US + i * 60000000LL, .value_rate = 0.5,
		                              .baseline_rate = 0.2, .peak_ratio = i == 0 ? 5.0 : i == 11 ? 3.0 : 2.0 };
	char *out = render(R_TABLE, &r, 1, REPORT_BY_NONE);
	CHECK_HAS(out, "\n  s: 12 alerts, the 10 strongest of their kinds shown (--json lists all)\n");
	char got[128];
	CHECK_STR(alert_minutes(out, got, sizeof got), "00 01 02 03 04 05 06 07 08 11 ");
	free(out);
	result_scenario_fini(&r);
}

/* The kinds take turns in the ten shown: 14 floods (peaks 3.0 and up) and two cost_guards
 * (peaks 1.5 and 1.4, weaker than every flood) show as the two cost_guards and the 8 strongest
 * floods.  Flood i starts at 10:00 + i minutes, peak 3.0 + i/10: the strongest 8 are 6 to 13;
 * the cost_guards at 10:20 and 10:21.  In start order: 06 … 13, then 20, 21.  Before, a ratio
 * of one kind outranked the other's: the ten floods from 4 to 13, no cost_guard. */
static void report_alerts_kinds_take_turns(void)
{
	struct result_scenario r;
	sample_scenario(&r, "s");
	r.n_alerts = 16;
	r.alerts = calloc(16, sizeof *r.alerts);
	for (int i = 0; i < 14; i++)
		r.alerts[i] = (struct alert){ .kind = ALERT_FALLBACK_FLOOD, .start_us = T0_US + i * 60000000LL,
		                              .end_us = T0_US + i * 60000000LL, .value_rate = 0.5,
		                              .baseline_rate = 0.2, .peak_ratio = 3.0 + i / 10.0 };
	for (int i = 14; i < 16; i++)
		r.alerts[i] = (struct alert){ .kind = ALERT_COST_GUARD, .start_us = T0_US + (i + 6) * 60000000LL,
		                              .end_us = T0_US + (i + 6) * 60000000LL, .value_pusd = 1,
		                              .baseline_pusd = 1, .peak_ratio = i == 14 ? 1.5 : 1.4 };
	char *out = render(R_TABLE, &r, 1, REPORT_BY_NONE);
	CHECK_HAS(out, "\n  s: 16 alerts, the 10 strongest of their kinds shown (--json lists all)\n");
	char got[128];
	CHECK_STR(alert_minutes(out, got, sizeof got), "06 07 08 09 10 11 12 13 20 21 ");
	free(out);
	result_scenario_fini(&r);
}

/* The alerts of several scenarios in one set of columns: a cost_guard line's wider value
 * ("value $3.85/h") in one scenario moves the baseline (a flood's limit) and peak columns of
 * the others too. */
static void report_alerts_columns_across_scenarios(void)
{
	struct result_scenario r[2];
	sample_scenario(&r[0], "a");
	sample_scenario(&r[1], "b");
	r[0].n_alerts = 2;
	r[0].alerts = calloc(2, sizeof *r[0].alerts);
	r[0].alerts[0] = (struct alert){ .kind = ALERT_FALLBACK_FLOOD, .start_us = T0_US, .end_us = T0_US,
	                                 .value_rate = 0.5, .baseline_rate = 0.2, .peak_ratio = 2.5 };
	r[0].alerts[1] = (struct alert){ .kind = ALERT_COST_GUARD, .start_us = T0_US, .end_us = T0_US,
	                                 .value_pusd = 3850000000000LL, .baseline_pusd = 1540000000000LL,
	                                 .peak_ratio = 2.5 };
	r[1].n_alerts = 1;
	r[1].alerts = calloc(1, sizeof *r[1].alerts);
	r[1].alerts[0] = r[0].alerts[0];
	char *out = render(R_TABLE, r, 2, REPORT_BY_NONE);
	/* each line's columns are 3 spaces apart, as wide as the widest cell of any scenario:
	 * "fallback_flood" (14), the start (20), "to " and the end (23), "value $3.85/h" (13),
	 * "baseline $1.54/h" (16); so "baseline" or "limit" starts at 4 + 14+3 + 20+3 + 23+3 + 13+3
	 * = 86 and "peak" at 86 + 16+3 = 105 on every line, whichever scenario it belongs to */
	int n = 0;
	const char *alerts = strstr(out, "\nalerts\n");
	for (const char *p = alerts; p && (p = strstr(p, "\n    ")); p++, n++) {
		const char *end = strchr(p + 1, '\n'), *k = strstr(p + 1, "peak ");
		const char *b = strstr(p + 1, strstr(p + 1, "fallback_flood") == p + 5 ? "limit " : "baseline ");
		CHECK(b && k && b < end && k < end);
		if (b && k) {
			CHECK_INT(b - (p + 1), 86);
			CHECK_INT(k - (p + 1), 105);
		}
	}
	CHECK_INT(n, 3);
	free(out);
	for (int k = 0; k < 2; k++)
		result_scenario_fini(&r[k]);
}

/* The first word of each line of out that begins with prefix, joined by spaces (caller frees). */
static char *first_words(const char *out, const char *prefix)
{
	char *w = calloc(strlen(out) + 1, 1);
	size_t np = strlen(prefix);
	for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, prefix, np)) {
			const char *b = l + 2, *e = b + strcspn(b, " \n");
			if (*w)
				strcat(w, " ");
			strncat(w, b, (size_t)(e - b));
		}
	return w;
}

/* --by tenant|task|model tables: the groups by USD total, highest first, ties by name; the first
 * render_top (20 by default; 0: all), then a line counting the others. */
static void report_table_groups_by_usd(void)
{
	struct result_scenario r;
	static char names[25][16];
	sample_scenario(&r, "v3");
	/* 25 tenants t00..t24, tenant i costing (i mod 5) USD: $4 for t04 t09 t14 t19 t24, $3 for
	 * t03 t08 …, down to $0 for t00 t05 t10 t15 t20 */
	free(r.tenant_names);
	free(r.by_tenant);
	r.n_tenants = 25;
	r.tenant_names = malloc(25 * sizeof *r.tenant_names);
	r.by_tenant = calloc(25, sizeof *r.by_tenant);
	for (int i = 0; i < 25; i++) {
		snprintf(names[i], sizeof names[i], "t%02d", i);
		r.tenant_names[i] = names[i];
		r.by_tenant[i] = (struct metrics){ .requests = 1, .resolved = 1, .latency_p50_us = -1,
		                                   .latency_p95_us = -1,
		                                   .usd_total = (money_sum)(i % 5) * MONEY_PUSD_PER_USD };
	}
	char *out = render(R_TABLE, &r, 1, REPORT_BY_TENANT), *w = first_words(out, "  t");
	/* the 20 of $4, $3, $2, $1 (five each, by name); the five of $0 counted */
	CHECK_STR(w, "tenant t04 t09 t14 t19 t24 t03 t08 t13 t18 t23 t02 t07 t12 t17 t22 t01 t06 t11 t16 t21");
	CHECK_HAS(out, "\n  … 5 more tenants (--top 0 lists all; --csv and --json list every group)\n");
	free(w);
	free(out);
	render_top = 3;
	out = render(R_TABLE, &r, 1, REPORT_BY_TENANT);
	w = first_words(out, "  t");
	CHECK_STR(w, "tenant t04 t09 t14");
	CHECK_HAS(out, "\n  … 22 more tenants (");
	free(w);
	free(out);
	render_top = 0;
	out = render(R_TABLE, &r, 1, REPORT_BY_TENANT);
	w = first_words(out, "  t");
	CHECK_STR(w, "tenant t04 t09 t14 t19 t24 t03 t08 t13 t18 t23 t02 t07 t12 t17 t22 t01 t06 t11 t16 t21 "
	          "t00 t05 t10 t15 t20");
	CHECK(!strstr(out, " more tenant"));
	free(w);
	free(out);
	/* one left out: "1 more task"; models by USD too: gpt-4.1 ($2) before gpt-4.1-mini ($0.000003) */
	render_top = 1;
	free(r.task_names);
	free(r.by_task);
	static const char *tasks[] = { "a_task", "b_task" };
	r.n_tasks = 2;
	r.task_names = malloc(2 * sizeof *r.task_names);
	r.by_task = calloc(2, sizeof *r.by_task);
	r.task_names[0] = tasks[0];
	r.task_names[1] = tasks[1];
	r.by_task[1].usd_total = 1;
	out = render(R_TABLE, &r, 1, REPORT_BY_TASK);
	w = first_words(out, "  ");
	CHECK_STR(w, "task b_task … v3:"); /* the alerts line follows */
	CHECK_HAS(out, "\n  … 1 more task (");
	free(w);
	free(out);
	render_top = 0;
	free(r.by_model);
	r.n_models = 2;
	r.by_model = calloc(2, sizeof *r.by_model);
	r.by_model[0] = (struct model_usage){ .model = "gpt-4.1-mini", .usd = 3000000 };
	r.by_model[1] = (struct model_usage){ .model = "gpt-4.1", .usd = 2 * MONEY_PUSD_PER_USD };
	out = render(R_TABLE, &r, 1, REPORT_BY_MODEL);
	w = first_words(out, "  gpt");
	CHECK_STR(w, "gpt-4.1 gpt-4.1-mini");
	free(w);
	free(out);
	/* --csv keeps every group, in the order it always had */
	out = render(R_CSV, &r, 1, REPORT_BY_TENANT);
	CHECK_HAS(out, "\nv3,t00,");
	CHECK(strstr(out, "\nv3,t00,") < strstr(out, "\nv3,t01,"));
	CHECK(strstr(out, "\nv3,t24,") != NULL);
	free(out);
	render_top = REPORT_TOP;
	result_scenario_fini(&r);
}

void suite_report(void)
{
	RUN(report_derived_ratios);
	RUN(report_text_helpers);
	RUN(report_values_for_people);
	RUN(report_json_totals);
	RUN(report_json_billed_and_alerts);
	RUN(report_json_layout_and_names);
	RUN(report_json_streams);
	RUN(report_csv_rows);
	RUN(report_table_deltas);
	RUN(report_text_edges);
	RUN(report_table_three_columns);
	RUN(report_csv_quotes_line_breaks);
	RUN(report_alerts_strongest);
	RUN(report_alerts_kinds_take_turns);
	RUN(report_alerts_columns_across_scenarios);
	RUN(report_table_groups_by_usd);
}
