/*
 * Renders the result snapshot of a replay as --json, --csv or the text table.
 * One table of fields (the §5 metrics in their order, each with its kind)
 * drives all three, so a metric reads the same everywhere: money as exact
 * pico-USD written with 12 decimals (or as dollars for people), ratios as
 * shortest round-trip doubles (or percentages), latencies as exact decimals.
 */
#include "traces/report.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "traces/text.h"

__extension__ typedef unsigned __int128 report_u128;

const char *const report_by_names[N_REPORT_BY] = {
	[REPORT_BY_NONE] = "", [REPORT_BY_TENANT] = "tenant", [REPORT_BY_TASK] = "task",
	[REPORT_BY_MODEL] = "model", [REPORT_BY_TIME] = "time",
};

/* ---- numbers as text ---- */

static const int64_t report_pow10[] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL, 100000000LL,
	1000000000LL, 10000000000LL, 100000000000LL, 1000000000000LL,
};

/* Digits of v grouped by threes with commas, into buf. */
static void report_group(report_u128 v, char *buf, size_t n)
{
	char tmp[64];
	size_t len = 0, o = 0;
	do {
		tmp[len++] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v && len < sizeof tmp);
	for (size_t i = len; i-- > 0 && o + 1 < n;) {
		buf[o++] = tmp[i];
		if (i > 0 && i % 3 == 0 && o + 1 < n)
			buf[o++] = ',';
	}
	buf[o] = 0;
}

const char *report_count_text(uint64_t v, char *buf, size_t n)
{
	report_group(v, buf, n);
	return buf;
}

const char *report_usd_text(money_sum pusd, char *buf, size_t n)
{
	const money_sum one = MONEY_PUSD_PER_USD;
	const char *sign = pusd < 0 ? "-" : "";
	money_sum mag = pusd < 0 ? -pusd : pusd, q;
	char digits[64];

	if (mag == 0) {
		snprintf(buf, n, "$0.00");
		return buf;
	}
	if (mag < one) {
		/* four significant digits: drop all but the leading four, half to even */
		int k = 0, drop;
		for (money_sum x = mag; x; x /= 10)
			k++;
		drop = k > 4 ? k - 4 : 0;
		if (money_muldiv(mag, 1, report_pow10[drop], &q) == 0 && q * report_pow10[drop] < one) {
			int decimals = 12 - drop;
			if (drop > 0 && q == 10000) { /* 0.00009999|5 carried into a fifth digit */
				q = 1000;
				decimals--;
			}
			snprintf(buf, n, "%s$0.%0*" PRId64, sign, decimals, (int64_t)q);
			return buf;
		}
	}
	/* cents, half to even */
	if (money_muldiv(mag, 1, one / 100, &q) < 0)
		q = 0;
	report_group((report_u128)(q / 100), digits, sizeof digits);
	snprintf(buf, n, "%s$%s.%02d", sign, digits, (int)(q % 100));
	return buf;
}

const char *report_decimal_text(int64_t v, int scale, char *buf, size_t n)
{
	return decimal_text(v, scale, buf, n);
}

/*
 * The shortest "%.{1..17}g" text that reads back as v, except that an
 * exponent is not taken for 1 <= |v| < 10^17 when more digits write the value
 * plainly (750, not 7.5e+02).  The decimal point is always '.', whatever the
 * locale.
 */
const char *report_ratio_text(double v, char *buf, size_t n)
{
	return decimal_shortest(v, 1, buf, n);
}

/* x ÷ d rounded half to even, for display (d > 0). */
static int64_t report_round_div(int64_t x, int64_t d)
{
	money_sum q;
	return money_muldiv(x, 1, d, &q) == 0 ? (int64_t)q : 0;
}

/* A latency for people: "412.5 ms" below a second, else "12.35 s". */
const char *report_latency_text(int64_t us, char *buf, size_t n)
{
	if (us < 1000000) {
		int64_t tenths = report_round_div(us, 100);
		snprintf(buf, n, "%" PRId64 ".%d ms", tenths / 10, (int)(tenths % 10));
	} else {
		int64_t hundredths = report_round_div(us, 10000);
		char g[32];
		report_group((report_u128)(hundredths / 100), g, sizeof g);
		snprintf(buf, n, "%s.%02d s", g, (int)(hundredths % 100));
	}
	return buf;
}

/* A rate as a percentage with one decimal: 0.3333 → "33.3%". */
const char *report_percent_text(double rate, char *buf, size_t n)
{
	snprintf(buf, n, "%.1f%%", rate * 100.0);
	return buf;
}

/* A span of time: "00:03:20", "2d 03:04:05". */
const char *report_span_text(int64_t us, char *buf, size_t n)
{
	int64_t s = us / CLOCK_US_PER_S;
	if (s >= 86400)
		snprintf(buf, n, "%" PRId64 "d %02d:%02d:%02d", s / 86400, (int)(s % 86400 / 3600),
		         (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(buf, n, "%02d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
	return buf;
}

/* ---- the fields of §5 ---- */

enum field_kind {
	FK_COUNT,      /* uint64_t in struct metrics */
	FK_USD,        /* money_sum in struct metrics */
	FK_BILLED,     /* money_sum in struct metrics, only for a recorded scenario with cost_usd */
	FK_RATIO,      /* double in struct derived */
	FK_USD_DERIVED, /* money_sum in struct derived, with an int null flag */
	FK_LATENCY,    /* int64_t µs in struct metrics, -1 = null; written in ms */
};

struct field {
	const char *name;
	enum field_kind kind;
	size_t off;
	size_t null_off;
};

#define F_COUNT(x) { #x, FK_COUNT, offsetof(struct metrics, x), 0 }
#define F_USD(x) { #x, FK_USD, offsetof(struct metrics, x), 0 }
#define F_RATIO(x) { #x, FK_RATIO, offsetof(struct derived, x), 0 }

static const struct field report_fields[] = {
	F_COUNT(requests), F_COUNT(resolved), F_COUNT(failed), F_COUNT(degraded), F_COUNT(rejected),
	F_COUNT(cache_hits), F_RATIO(cache_hit_rate), F_COUNT(cache_tokens_saved),
	F_USD(cache_usd_saved), F_COUNT(calls), F_COUNT(input_tokens), F_COUNT(output_tokens),
	F_COUNT(cached_input_tokens), F_RATIO(input_tokens_per_request),
	F_RATIO(output_tokens_per_request), F_RATIO(large_share), F_COUNT(retries),
	F_COUNT(retry_tokens), F_USD(retry_usd), F_COUNT(fallbacks), F_RATIO(fallback_rate),
	F_COUNT(fallbacks_denied), F_COUNT(breaker_rejections), F_COUNT(budget_violations),
	F_RATIO(budget_violation_rate), F_COUNT(truncated), F_COUNT(summarized), F_COUNT(async),
	F_COUNT(batched), F_COUNT(output_capped), F_USD(usd_total),
	{ "billed_usd", FK_BILLED, offsetof(struct metrics, billed_usd), 0 },
	F_USD(usd_per_hour_peak),
	{ "usd_per_resolved", FK_USD_DERIVED, offsetof(struct derived, usd_per_resolved),
	  offsetof(struct derived, usd_per_resolved_null) },
	{ "projected_monthly_usd", FK_USD_DERIVED, offsetof(struct derived, projected_monthly_usd),
	  offsetof(struct derived, projected_null) },
	{ "latency_p50_ms", FK_LATENCY, offsetof(struct metrics, latency_p50_us), 0 },
	{ "latency_p95_ms", FK_LATENCY, offsetof(struct metrics, latency_p95_us), 0 },
};
#define N_FIELDS (sizeof report_fields / sizeof report_fields[0])

/* One field's value: exact (counts, money, µs) or a double (ratios). */
struct value {
	enum field_kind kind;
	int null;
	money_sum x;
	double ratio;
};

static const struct field *report_field(const char *name)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(report_fields[i].name, name) == 0)
			return &report_fields[i];
	return NULL;
}

/* 1 when scenario r reports billed_usd (SPEC §10). */
static int report_has_billed(const struct result_scenario *r)
{
	return r->recorded && r->has_billed;
}

static struct value report_value(const struct field *f, const struct result_scenario *r,
                                 const struct metrics *m, const struct derived *d)
{
	struct value v = { .kind = f->kind };
	const char *mb = (const char *)m, *db = (const char *)d;
	money_sum s;
	int64_t i64;
	uint64_t u64;
	switch (f->kind) {
	case FK_COUNT:
		memcpy(&u64, mb + f->off, sizeof u64);
		v.x = u64;
		break;
	case FK_BILLED:
		v.null = !report_has_billed(r);
		/* fall through */
	case FK_USD:
		memcpy(&s, mb + f->off, sizeof s);
		v.x = s;
		break;
	case FK_RATIO:
		memcpy(&v.ratio, db + f->off, sizeof v.ratio);
		break;
	case FK_USD_DERIVED:
		memcpy(&s, db + f->off, sizeof s);
		memcpy(&v.null, db + f->null_off, sizeof v.null);
		v.x = s;
		break;
	case FK_LATENCY:
		memcpy(&i64, mb + f->off, sizeof i64);
		v.null = i64 < 0;
		v.x = i64;
		break;
	}
	return v;
}

/* The machine text of a value (JSON and CSV); NULL for null. */
static const char *report_machine_text(const struct value *v, char *buf, size_t n)
{
	if (v->null)
		return NULL;
	switch (v->kind) {
	case FK_COUNT:
		snprintf(buf, n, "%" PRIu64, (uint64_t)v->x);
		return buf;
	case FK_USD:
	case FK_BILLED:
	case FK_USD_DERIVED:
		if (n >= MONEY_FMT_SIZE)
			money_format(buf, v->x);
		return buf;
	case FK_RATIO:
		return report_ratio_text(v->ratio, buf, n);
	case FK_LATENCY:
		return report_decimal_text((int64_t)v->x, 3, buf, n);
	}
	return NULL;
}

/* The text for people (the table); "-" for null. */
static const char *report_human_text(const struct value *v, char *buf, size_t n)
{
	if (v->null) {
		snprintf(buf, n, "-");
		return buf;
	}
	switch (v->kind) {
	case FK_COUNT:
		return report_count_text((uint64_t)v->x, buf, n);
	case FK_USD:
	case FK_BILLED:
	case FK_USD_DERIVED:
		return report_usd_text(v->x, buf, n);
	case FK_RATIO:
		return report_percent_text(v->ratio, buf, n);
	case FK_LATENCY:
		return report_latency_text((int64_t)v->x, buf, n);
	}
	return buf;
}

const char *report_delta_amount(money_sum ref, money_sum v, char *buf, size_t n, int *sign)
{
	money_sum pm;
	char g[64];
	buf[0] = 0;
	*sign = 0;
	if (ref == 0 || money_muldiv(v - ref, 1000, ref, &pm) < 0)
		return buf;
	money_sum mag = pm < 0 ? -pm : pm;
	report_group((report_u128)(mag / 10), g, sizeof g);
	snprintf(buf, n, "%c%.50s.%d%%", pm < 0 ? '-' : '+', g, (int)(mag % 10));
	*sign = pm < 0 ? -1 : pm > 0;
	return buf;
}

const char *report_delta_points(double ref, double v, char *buf, size_t n, int *sign)
{
	snprintf(buf, n, "%+.1f pp", (v - ref) * 100.0);
	if (strcmp(buf, "-0.0 pp") == 0)
		snprintf(buf, n, "+0.0 pp");
	*sign = strcmp(buf, "+0.0 pp") == 0 ? 0 : v > ref ? 1 : -1;
	return buf;
}

/* The change from ref to v, blank when either is null. */
static const char *report_delta_text(const struct value *ref, const struct value *v, char *buf,
                                     size_t n)
{
	int sign;
	buf[0] = 0;
	if (ref->null || v->null)
		return buf;
	if (v->kind == FK_RATIO)
		return report_delta_points(ref->ratio, v->ratio, buf, n, &sign);
	return report_delta_amount(ref->x, v->x, buf, n, &sign);
}

/* ---- output errors ---- */

static int report_finish(FILE *f, struct err *e)
{
	if (fflush(f) != 0 || ferror(f))
		return err_set(e, "writing the report: %s", strerror(errno ? errno : EIO));
	return 0;
}

/* ---- JSON ---- */

/*
 * The JSON is written as it is walked, not built as a tree first: a timeline may have a
 * million buckets, and a tree took about a kilobyte of memory for each.  The layout is
 * cJSON_Print's, which the output always had: a tab per level, "key":<tab>value, one member
 * a line, an array on one line with ", " between its elements.
 */
struct jw {
	FILE *f;
	int depth; /* objects and arrays open */
	int first; /* the innermost one has nothing in it yet */
};

static void report_jtabs(struct jw *w, int n)
{
	while (n-- > 0)
		fputc('\t', w->f);
}

/* A string, escaped as cJSON does; a byte that is not UTF-8 (a file name's, say) becomes
 * U+FFFD, so that the output stays JSON. */
static void report_jstring(struct jw *w, const char *s)
{
	int len;
	fputc('"', w->f);
	for (s = s ? s : ""; *s; s += len) {
		unsigned char c = (unsigned char)*s;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
		                  : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
		                  : c == '\t' ? "\\t" : NULL;
		if (text_decode((const unsigned char *)s, &len) < 0)
			fputs("\xef\xbf\xbd", w->f);
		else if (esc)
			fputs(esc, w->f);
		else if (c < 32)
			fprintf(w->f, "\\u%04x", c);
		else
			fwrite(s, 1, (size_t)len, w->f);
	}
	fputc('"', w->f);
}

/* Starts a value: a member called key of the open object, or (key NULL) an array element. */
static void report_jkey(struct jw *w, const char *key)
{
	if (key) {
		fputs(w->first ? "\n" : ",\n", w->f);
		report_jtabs(w, w->depth);
		report_jstring(w, key);
		fputs(":\t", w->f);
	} else if (!w->first) {
		fputs(", ", w->f);
	}
	w->first = 0;
}

/* Opens an object ('{') or an array ('['); report_jclose closes it. */
static void report_jopen(struct jw *w, const char *key, char c)
{
	report_jkey(w, key);
	fputc(c, w->f);
	w->depth++;
	w->first = 1;
}

static void report_jclose(struct jw *w, char c)
{
	w->depth--;
	if (c == '}') {
		fputc('\n', w->f);
		report_jtabs(w, w->depth);
	}
	fputc(c, w->f);
	w->first = 0;
}

/* A number written exactly as text; null for NULL. */
static void report_jraw(struct jw *w, const char *key, const char *text)
{
	report_jkey(w, key);
	fputs(text ? text : "null", w->f);
}

static void report_jname(struct jw *w, const char *key, const char *name)
{
	report_jkey(w, key);
	report_jstring(w, name);
}

static void report_jcount(struct jw *w, const char *key, uint64_t v)
{
	report_jkey(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

static void report_jusd(struct jw *w, const char *key, money_sum pusd)
{
	char buf[MONEY_FMT_SIZE];
	money_format(buf, pusd);
	report_jraw(w, key, buf);
}

/* A time as RFC 3339 text; null when there is none (no arrival). */
static void report_jtime(struct jw *w, const char *key, int64_t us, int some)
{
	char buf[CLOCK_TEXT_MAX];
	if (some)
		report_jname(w, key, clock_format(us, buf));
	else
		report_jraw(w, key, NULL);
}

static void report_jratio(struct jw *w, const char *key, double v)
{
	char buf[40];
	report_jraw(w, key, report_ratio_text(v, buf, sizeof buf));
}

/* The §5 metrics object of one group, after an optional {group_key: group_name}. */
static void report_jmetrics(struct jw *w, const char *key, const struct result_scenario *r,
                            const struct metrics *m, const char *group_key, const char *group_name)
{
	struct derived d;
	char buf[64];
	result_derive(r, m, &d);
	report_jopen(w, key, '{');
	if (group_key)
		report_jname(w, group_key, group_name);
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct field *f = &report_fields[i];
		if (f->kind == FK_BILLED && !report_has_billed(r))
			continue;
		struct value v = report_value(f, r, m, &d);
		report_jraw(w, f->name, report_machine_text(&v, buf, sizeof buf));
	}
	report_jclose(w, '}');
}

static void report_jcounts(struct jw *w, const struct timeline *tl, int s)
{
	report_jopen(w, timeline_names[s], '[');
	for (size_t i = 0; i < tl->n_buckets; i++)
		report_jcount(w, NULL, tl->count[s][i]);
	report_jclose(w, ']');
}

static void report_jusds(struct jw *w, const char *key, const money_sum *usd, size_t n)
{
	report_jopen(w, key, '[');
	for (size_t i = 0; i < n; i++)
		report_jusd(w, NULL, usd[i]);
	report_jclose(w, ']');
}

static void report_jtimeline(struct jw *w, const struct timeline *tl)
{
	report_jopen(w, "timeline", '{');
	report_jcount(w, "bucket_s", (uint64_t)tl->bucket_s);
	/* no arrival, no bucket to start: null, as the trace's first_ts */
	report_jtime(w, "t0", tl->t0_us, tl->n_buckets > 0);
	for (int s = TL_REQUESTS; s <= TL_RETRIES; s++) /* the counts before the USD arrays */
		report_jcounts(w, tl, s);
	report_jusds(w, "usd", tl->usd, tl->n_buckets);
	report_jusds(w, "retry_usd", tl->retry_usd, tl->n_buckets);
	for (int s = TL_FIRST_CALLS; s <= TL_FIRST_FALLBACKS; s++)
		report_jcounts(w, tl, s);
	report_jclose(w, '}');
}

static void report_jalert(struct jw *w, const struct alert *al)
{
	report_jopen(w, NULL, '{');
	report_jname(w, "kind", al->kind < N_ALERT ? alert_names[al->kind] : "");
	report_jtime(w, "start", al->start_us, 1);
	report_jtime(w, "end", al->end_us, 1);
	if (al->kind == ALERT_COST_GUARD) {
		report_jusd(w, "value", al->value_pusd);
		report_jusd(w, "baseline", al->baseline_pusd);
	} else {
		report_jratio(w, "value", al->value_rate);
		report_jratio(w, "baseline", al->baseline_rate);
	}
	report_jratio(w, "peak_ratio", al->peak_ratio);
	report_jclose(w, '}');
}

static void report_jscenario(struct jw *w, const struct result_scenario *r)
{
	report_jopen(w, NULL, '{');
	report_jname(w, "name", r->name);
	report_jmetrics(w, "totals", r, &r->totals, NULL, NULL);
	report_jopen(w, "by_tenant", '[');
	for (size_t i = 0; i < r->n_tenants; i++)
		report_jmetrics(w, NULL, r, &r->by_tenant[i], "tenant", r->tenant_names[i]);
	report_jclose(w, ']');
	report_jopen(w, "by_task", '[');
	for (size_t i = 0; i < r->n_tasks; i++)
		report_jmetrics(w, NULL, r, &r->by_task[i], "task", r->task_names[i]);
	report_jclose(w, ']');
	report_jopen(w, "by_model", '[');
	for (size_t i = 0; i < r->n_models; i++) {
		const struct model_usage *mu = &r->by_model[i];
		report_jopen(w, NULL, '{');
		report_jname(w, "model", mu->model);
		report_jcount(w, "calls", mu->calls);
		report_jcount(w, "input_tokens", mu->input_tokens);
		report_jcount(w, "output_tokens", mu->output_tokens);
		report_jusd(w, "usd", mu->usd);
		report_jclose(w, '}');
	}
	report_jclose(w, ']');
	report_jtimeline(w, &r->timeline);
	report_jopen(w, "alerts", '[');
	for (size_t i = 0; i < r->n_alerts; i++)
		report_jalert(w, &r->alerts[i]);
	report_jclose(w, ']');
	report_jclose(w, '}');
}

static void report_jtrace(struct jw *w, const struct trace_summary *t)
{
	char buf[64];
	report_jopen(w, "trace", '{');
	report_jname(w, "name", t->name);
	report_jcount(w, "requests", t->requests);
	report_jcount(w, "tenants", t->tenants);
	report_jtime(w, "first_ts", t->first_us, t->requests > 0);
	report_jtime(w, "last_ts", t->last_us, t->requests > 0);
	report_jraw(w, "span_s",
	            report_decimal_text(t->requests ? t->last_us - t->first_us : 0, 6, buf, sizeof buf));
	report_jclose(w, '}');
}

int report_json(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
                struct err *e)
{
	struct jw w = {.f = f, .first = 1};
	report_jopen(&w, NULL, '{');
	report_jtrace(&w, t);
	report_jopen(&w, "scenarios", '[');
	for (size_t i = 0; i < n; i++)
		report_jscenario(&w, &r[i]);
	report_jclose(&w, ']');
	report_jclose(&w, '}');
	fputc('\n', f);
	return report_finish(f, e);
}

/* ---- CSV ---- */

/* One field, quoted per RFC 4180 when it holds a comma, a quote or a line break. */
static void report_csv_field(FILE *f, const char *s, int first)
{
	if (!first)
		fputc(',', f);
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void report_csv_metrics(FILE *f, const struct result_scenario *r, const struct metrics *m,
                               int billed_col)
{
	struct derived d;
	char buf[64];
	result_derive(r, m, &d);
	for (size_t i = 0; i < N_FIELDS; i++) {
		const struct field *fl = &report_fields[i];
		if (fl->kind == FK_BILLED && !billed_col)
			continue;
		struct value v = report_value(fl, r, m, &d);
		report_csv_field(f, report_machine_text(&v, buf, sizeof buf), 0);
	}
}

int report_csv(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
               enum report_by by, struct err *e)
{
	static const char *const model_cols[] = { "calls", "input_tokens", "output_tokens", "usd" };
	int billed_col = 0;
	char buf[MONEY_FMT_SIZE + 16];
	for (size_t i = 0; i < n; i++)
		billed_col |= report_has_billed(&r[i]);

	/* the header */
	report_csv_field(f, "scenario", 1);
	if (by != REPORT_BY_NONE)
		report_csv_field(f, report_by_names[by], 0);
	if (by == REPORT_BY_MODEL) {
		for (size_t c = 0; c < sizeof model_cols / sizeof model_cols[0]; c++)
			report_csv_field(f, model_cols[c], 0);
	} else if (by == REPORT_BY_TIME) {
		for (int s = TL_REQUESTS; s <= TL_RETRIES; s++)
			report_csv_field(f, timeline_names[s], 0);
		report_csv_field(f, "usd", 0);
		report_csv_field(f, "retry_usd", 0);
		report_csv_field(f, timeline_names[TL_FIRST_CALLS], 0);
		report_csv_field(f, timeline_names[TL_FIRST_FALLBACKS], 0);
	} else {
		for (size_t i = 0; i < N_FIELDS; i++)
			if (report_fields[i].kind != FK_BILLED || billed_col)
				report_csv_field(f, report_fields[i].name, 0);
	}
	fputc('\n', f);

	/* the rows: scenario order, then group order */
	for (size_t k = 0; k < n; k++) {
		const struct result_scenario *rs = &r[k];
		const char *name = rs->name ? rs->name : "";
		switch (by) {
		case REPORT_BY_NONE:
			report_csv_field(f, name, 1);
			report_csv_metrics(f, rs, &rs->totals, billed_col);
			fputc('\n', f);
			break;
		case REPORT_BY_TENANT:
		case REPORT_BY_TASK: {
			size_t ng = by == REPORT_BY_TENANT ? rs->n_tenants : rs->n_tasks;
			for (size_t i = 0; i < ng; i++) {
				report_csv_field(f, name, 1);
				report_csv_field(f, by == REPORT_BY_TENANT ? rs->tenant_names[i] : rs->task_names[i], 0);
				report_csv_metrics(f, rs, by == REPORT_BY_TENANT ? &rs->by_tenant[i] : &rs->by_task[i],
				                   billed_col);
				fputc('\n', f);
			}
			break;
		}
		case REPORT_BY_MODEL:
			for (size_t i = 0; i < rs->n_models; i++) {
				const struct model_usage *mu = &rs->by_model[i];
				report_csv_field(f, name, 1);
				report_csv_field(f, mu->model, 0);
				fprintf(f, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, mu->calls, mu->input_tokens,
				        mu->output_tokens);
				money_format(buf, mu->usd);
				fprintf(f, ",%s\n", buf);
			}
			break;
		case REPORT_BY_TIME:
			for (size_t i = 0; i < rs->timeline.n_buckets; i++) {
				const struct timeline *tl = &rs->timeline;
				char ts[CLOCK_TEXT_MAX];
				report_csv_field(f, name, 1);
				report_csv_field(f, clock_format(tl->t0_us + (int64_t)i * tl->bucket_s * CLOCK_US_PER_S,
				                                 ts), 0);
				for (int s = TL_REQUESTS; s <= TL_RETRIES; s++)
					fprintf(f, ",%" PRIu64, tl->count[s][i]);
				money_format(buf, tl->usd[i]);
				fprintf(f, ",%s", buf);
				money_format(buf, tl->retry_usd[i]);
				fprintf(f, ",%s", buf);
				fprintf(f, ",%" PRIu64 ",%" PRIu64 "\n", tl->count[TL_FIRST_CALLS][i],
				        tl->count[TL_FIRST_FALLBACKS][i]);
			}
			break;
		case N_REPORT_BY:
			break;
		}
	}
	(void)t;
	return report_finish(f, e);
}

/* ---- the text table ---- */

/* Columns printed by a grid: each cell an owned string, left or right aligned. */
struct grid {
	size_t n_rows, n_cols;
	char **cells;          /* n_rows × n_cols */
	const char *align;     /* per column: 'l' or 'r' */
	int oom;
};

static int grid_init(struct grid *g, size_t n_rows, size_t n_cols, const char *align)
{
	g->n_rows = n_rows;
	g->n_cols = n_cols;
	g->align = align;
	g->oom = 0;
	g->cells = calloc(n_rows && n_cols ? n_rows * n_cols : 1, sizeof *g->cells);
	return g->cells ? 0 : -1;
}

static void grid_fini(struct grid *g)
{
	for (size_t i = 0; g->cells && i < g->n_rows * g->n_cols; i++)
		free(g->cells[i]);
	free(g->cells);
	g->cells = NULL;
}

/* A cell's widest: a longer name loses its middle to "…", keeping the end that tells names of
 * one prefix apart (--json and --csv carry it whole). */
#define CELL_COLS 60

/* text as a table shows it: escaped, cut to CELL_COLS; the caller's (NULL when out of memory) */
static char *cell_text(const char *text)
{
	char *shown = text_show(text ? text : "", 0);
	char *s = shown ? text_cut_middle(shown, CELL_COLS, text_symbol("\xe2\x80\xa6", "..."), text_cp_width) : NULL;
	free(shown);
	return s;
}

static void put_name(FILE *f, const char *name)
{
	char *s = cell_text(name);
	fputs(s ? s : "", f);
	free(s);
}

static void grid_set(struct grid *g, size_t row, size_t col, const char *text)
{
	char *s = cell_text(text);
	if (!s)
		g->oom = 1;
	free(g->cells[row * g->n_cols + col]);
	g->cells[row * g->n_cols + col] = s;
}

/* Prints rows [from, to) of the grid, columns 3 spaces apart and as wide as the whole grid's
 * (so that blocks printed apart line up), each line after `indent`, without trailing blanks. */
static int grid_print_rows(FILE *f, const struct grid *g, const char *indent, size_t from, size_t to)
{
	size_t *w = calloc(g->n_cols ? g->n_cols : 1, sizeof *w), cap = strlen(indent) + 1;
	char *line = NULL;
	for (size_t c = 0; w && c < g->n_cols; c++) {
		size_t bytes = 0;
		for (size_t r = 0; r < g->n_rows; r++) {
			const char *s = g->cells[r * g->n_cols + c];
			size_t cw = s ? text_width(s) : 0, cb = s ? strlen(s) : 0;
			if (cw > w[c])
				w[c] = cw;
			if (cb > bytes)
				bytes = cb;
		}
		cap += 3 + w[c] + bytes;
	}
	if (!w || !(line = malloc(cap))) {
		free(w);
		return -1;
	}
	for (size_t r = from; r < to && r < g->n_rows; r++) {
		size_t len = strlen(indent);
		memcpy(line, indent, len);
		for (size_t c = 0; c < g->n_cols; c++) {
			const char *s = g->cells[r * g->n_cols + c];
			size_t pad, sl;
			if (!s)
				s = "";
			sl = strlen(s);
			pad = w[c] - text_width(s);
			if (c > 0) {
				memset(line + len, ' ', 3);
				len += 3;
			}
			if (g->align[c] == 'r') {
				memset(line + len, ' ', pad);
				len += pad;
			}
			memcpy(line + len, s, sl);
			len += sl;
			if (g->align[c] != 'r') {
				memset(line + len, ' ', pad);
				len += pad;
			}
		}
		while (len > 0 && line[len - 1] == ' ')
			len--;
		line[len++] = '\n';
		fwrite(line, 1, len, f);
	}
	free(line);
	free(w);
	return 0;
}

/* Prints the grid, as grid_print_rows prints all its rows. */
static int grid_print(FILE *f, const struct grid *g, const char *indent)
{
	return grid_print_rows(f, g, indent, 0, g->n_rows);
}

/* The rows of the comparison table: a label and the §5 field it shows. */
static const struct { const char *label, *field; } report_rows[] = {
	{ "projected monthly USD", "projected_monthly_usd" },
	{ "USD total", "usd_total" },
	{ "billed USD (cost_usd)", "billed_usd" },
	{ "USD per resolved request", "usd_per_resolved" },
	{ "requests", "requests" },
	{ "resolved", "resolved" },
	{ "failed", "failed" },
	{ "degraded", "degraded" },
	{ "rejected", "rejected" },
	{ "cache hit rate", "cache_hit_rate" },
	{ "tokens saved by cache", "cache_tokens_saved" },
	{ "USD saved by cache", "cache_usd_saved" },
	{ "calls", "calls" },
	{ "large-model share", "large_share" },
	{ "retries", "retries" },
	{ "retry USD", "retry_usd" },
	{ "fallbacks", "fallbacks" },
	{ "fallback rate", "fallback_rate" },
	{ "fallbacks denied", "fallbacks_denied" },
	{ "breaker rejections", "breaker_rejections" },
	{ "budget violation rate", "budget_violation_rate" },
	{ "truncated", "truncated" },
	{ "summarized", "summarized" },
	{ "async", "async" },
	{ "batched", "batched" },
	{ "output capped", "output_capped" },
	{ "USD per hour peak", "usd_per_hour_peak" },
	{ "latency p50", "latency_p50_ms" },
	{ "latency p95", "latency_p95_ms" },
};
#define N_ROWS (sizeof report_rows / sizeof report_rows[0])

/* The columns of a --by tenant|task table; a `when_any` column only when the scenario's total
 * of it is not 0 (degraded and rejected, so that a row's outcomes add up to its requests). */
static const struct { const char *head, *field; int when_any; } report_group_cols[] = {
	{ "requests", "requests", 0 }, { "resolved", "resolved", 0 }, { "failed", "failed", 0 },
	{ "degraded", "degraded", 1 }, { "rejected", "rejected", 1 },
	{ "hit rate", "cache_hit_rate", 0 }, { "calls", "calls", 0 }, { "large", "large_share", 0 },
	{ "fallback", "fallback_rate", 0 }, { "USD", "usd_total", 0 }, { "USD/resolved", "usd_per_resolved", 0 },
	{ "monthly USD", "projected_monthly_usd", 0 }, { "p95", "latency_p95_ms", 0 },
};
#define N_GROUP_COLS (sizeof report_group_cols / sizeof report_group_cols[0])

static void report_trace_line(FILE *f, const struct trace_summary *t)
{
	char req[32], ten[32], span[48], a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
	fputs("trace ", f);
	put_name(f, t->name);
	fprintf(f, ": %s request%s, %s tenant%s",
	        report_count_text(t->requests, req, sizeof req), t->requests == 1 ? "" : "s",
	        report_count_text(t->tenants, ten, sizeof ten), t->tenants == 1 ? "" : "s");
	if (t->requests)
		fprintf(f, ", span %s (%s to %s)", report_span_text(t->last_us - t->first_us, span, sizeof span),
		        clock_format(t->first_us, a), clock_format(t->last_us, b));
	fputc('\n', f);
}

/* The comparison table: metrics as rows, scenarios as columns, deltas against the first. */
static int report_compare(FILE *f, const struct result_scenario *r, size_t n)
{
	struct grid g = { .cells = NULL };
	size_t m = n ? n : 1, n_rows = 1;
	struct derived *d = calloc(m, sizeof *d);
	struct value *vals = calloc(N_ROWS * m, sizeof *vals);
	size_t *vw = calloc(m, sizeof *vw), *dw = calloc(m, sizeof *dw);
	char *align = calloc(n + 2, 1);
	int any_billed = 0, rc = -1;
	char cell[3 * REPORT_TEXT_MAX], v[REPORT_TEXT_MAX], dl[REPORT_TEXT_MAX];

	if (!d || !vals || !vw || !dw || !align)
		goto out;
	for (size_t k = 0; k < n; k++) {
		result_derive(&r[k], &r[k].totals, &d[k]);
		any_billed |= report_has_billed(&r[k]);
	}
	/* values, and the widths of the value and delta parts of each column */
	for (size_t row = 0; row < N_ROWS; row++) {
		const struct field *fl = report_field(report_rows[row].field);
		if (fl->kind == FK_BILLED && !any_billed)
			continue;
		n_rows++;
		for (size_t k = 0; k < n; k++) {
			struct value *x = &vals[row * n + k];
			*x = report_value(fl, &r[k], &r[k].totals, &d[k]);
			size_t lv = strlen(report_human_text(x, v, sizeof v));
			size_t ld = k ? strlen(report_delta_text(&vals[row * n], x, dl, sizeof dl)) : 0;
			if (lv > vw[k])
				vw[k] = lv;
			if (ld > dw[k])
				dw[k] = ld;
		}
	}
	memset(align, 'r', n + 1);
	align[0] = 'l';
	if (grid_init(&g, n_rows, n + 1, align) < 0)
		goto out;
	for (size_t k = 0; k < n; k++)
		grid_set(&g, 0, k + 1, r[k].name);
	size_t out_row = 1;
	for (size_t row = 0; row < N_ROWS; row++) {
		if (report_field(report_rows[row].field)->kind == FK_BILLED && !any_billed)
			continue;
		grid_set(&g, out_row, 0, report_rows[row].label);
		for (size_t k = 0; k < n; k++) {
			const struct value *x = &vals[row * n + k];
			report_human_text(x, v, sizeof v);
			if (k == 0 || dw[k] == 0)
				snprintf(cell, sizeof cell, "%s", v);
			else
				snprintf(cell, sizeof cell, "%*s  %*s", (int)vw[k], v, (int)dw[k],
				         report_delta_text(&vals[row * n], x, dl, sizeof dl));
			grid_set(&g, out_row, k + 1, cell);
		}
		out_row++;
	}
	if (!g.oom)
		rc = grid_print(f, &g, "");
out:
	grid_fini(&g);
	free(align);
	free(d);
	free(vals);
	free(vw);
	free(dw);
	return rc;
}

/* The USD total and the name of group i of a --by tenant|task|model table. */
static money_sum group_usd(const struct result_scenario *r, enum report_by by, size_t i, const char **name)
{
	switch (by) {
	case REPORT_BY_TENANT: *name = r->tenant_names[i]; return r->by_tenant[i].usd_total;
	case REPORT_BY_TASK: *name = r->task_names[i]; return r->by_task[i].usd_total;
	default: *name = r->by_model[i].model; return r->by_model[i].usd;
	}
}

/* The groups' indexes by USD total, highest first, ties by name (bytes), into idx (n of them). */
static void groups_by_usd(const struct result_scenario *r, enum report_by by, size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	/* a merge sort: a thousand tenants take a few thousand steps */
	size_t *tmp = idx + n;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid || b < hi) {
				int take_a = b >= hi;
				if (a < mid && b < hi) {
					const char *na, *nb;
					money_sum ua = group_usd(r, by, idx[a], &na), ub = group_usd(r, by, idx[b], &nb);
					take_a = ua > ub || (ua == ub && strcmp(na ? na : "", nb ? nb : "") <= 0);
				}
				tmp[k++] = take_a ? idx[a++] : idx[b++];
			}
		}
		memcpy(idx, tmp, n * sizeof *idx);
	}
}

/* One table per scenario with a row per tenant, task, model or time bucket: the groups by USD
 * total, highest first, the first `top` of them (0: all); time buckets in time order, all. */
static int report_groups(FILE *f, const struct result_scenario *r, enum report_by by, size_t top)
{
	static const char *const model_head[] = { "model", "calls", "input tokens", "output tokens", "USD" };
	static const char *const time_head[] = { "bucket start", "requests", "cache hits", "calls",
		"large calls", "fallbacks", "retries", "fallback rate", "USD", "retry USD" };
	struct grid g;
	char align[16], buf[REPORT_TEXT_MAX];
	size_t rows, cols;

	size_t group_col[N_GROUP_COLS], n_group = 0; /* the group columns shown */
	struct derived none = { 0 };                 /* (the when_any columns are counts) */
	for (size_t c = 0; c < N_GROUP_COLS; c++)
		if (!report_group_cols[c].when_any ||
		    report_value(report_field(report_group_cols[c].field), r, &r->totals, &none).x != 0)
			group_col[n_group++] = c;
	switch (by) {
	case REPORT_BY_TENANT: rows = r->n_tenants; cols = n_group + 1; break;
	case REPORT_BY_TASK: rows = r->n_tasks; cols = n_group + 1; break;
	case REPORT_BY_MODEL: rows = r->n_models; cols = 5; break;
	case REPORT_BY_TIME: rows = r->timeline.n_buckets; cols = 10; break;
	default: return 0;
	}
	size_t all = rows, *order = NULL;
	if (by != REPORT_BY_TIME) {
		if (!(order = malloc((2 * all + 1) * sizeof *order)))
			return -1;
		groups_by_usd(r, by, order, all);
		if (top && rows > top)
			rows = top;
	}
	memset(align, 'r', sizeof align);
	align[0] = 'l';
	if (grid_init(&g, rows + 1, cols, align) < 0) {
		free(order);
		return -1;
	}
	put_name(f, r->name);
	fprintf(f, ", by %s\n", report_by_names[by]);
	if (by == REPORT_BY_TENANT || by == REPORT_BY_TASK) {
		grid_set(&g, 0, 0, report_by_names[by]);
		for (size_t c = 0; c < n_group; c++)
			grid_set(&g, 0, c + 1, report_group_cols[group_col[c]].head);
		for (size_t i = 0; i < rows; i++) {
			size_t x = order[i];
			const struct metrics *m = by == REPORT_BY_TENANT ? &r->by_tenant[x] : &r->by_task[x];
			struct derived d;
			result_derive(r, m, &d);
			grid_set(&g, i + 1, 0, by == REPORT_BY_TENANT ? r->tenant_names[x] : r->task_names[x]);
			for (size_t c = 0; c < n_group; c++) {
				struct value v = report_value(report_field(report_group_cols[group_col[c]].field), r, m, &d);
				grid_set(&g, i + 1, c + 1, report_human_text(&v, buf, sizeof buf));
			}
		}
	} else if (by == REPORT_BY_MODEL) {
		for (size_t c = 0; c < cols; c++)
			grid_set(&g, 0, c, model_head[c]);
		for (size_t i = 0; i < rows; i++) {
			const struct model_usage *mu = &r->by_model[order[i]];
			grid_set(&g, i + 1, 0, mu->model);
			grid_set(&g, i + 1, 1, report_count_text(mu->calls, buf, sizeof buf));
			grid_set(&g, i + 1, 2, report_count_text(mu->input_tokens, buf, sizeof buf));
			grid_set(&g, i + 1, 3, report_count_text(mu->output_tokens, buf, sizeof buf));
			grid_set(&g, i + 1, 4, report_usd_text(mu->usd, buf, sizeof buf));
		}
	} else {
		const struct timeline *tl = &r->timeline;
		for (size_t c = 0; c < cols; c++)
			grid_set(&g, 0, c, time_head[c]);
		for (size_t i = 0; i < rows; i++) {
			char ts[CLOCK_TEXT_MAX];
			uint64_t fc = tl->count[TL_FIRST_CALLS][i], ff = tl->count[TL_FIRST_FALLBACKS][i];
			grid_set(&g, i + 1, 0, clock_format(tl->t0_us + (int64_t)i * tl->bucket_s * CLOCK_US_PER_S, ts));
			for (int s = TL_REQUESTS; s <= TL_RETRIES; s++)
				grid_set(&g, i + 1, (size_t)s + 1, report_count_text(tl->count[s][i], buf, sizeof buf));
			grid_set(&g, i + 1, 7, report_percent_text(fc ? (double)ff / (double)fc : 0.0, buf, sizeof buf));
			grid_set(&g, i + 1, 8, report_usd_text(tl->usd[i], buf, sizeof buf));
			grid_set(&g, i + 1, 9, report_usd_text(tl->retry_usd[i], buf, sizeof buf));
		}
	}
	int rc = g.oom ? -1 : 0;
	if (rows == 0)
		fprintf(f, "  (none)\n");
	else if (rc == 0)
		rc = grid_print(f, &g, "  ");
	if (rc == 0 && rows < all) {
		char more[32];
		fprintf(f, "  %s %s more %s%s (--top 0 lists all; --csv and --json list every group)\n", text_symbol("…", "..."),
		        report_count_text(all - rows, more, sizeof more), report_by_names[by],
		        all - rows == 1 ? "" : "s");
	}
	grid_fini(&g);
	free(order);
	return rc;
}

#define SHOWN_ALERTS 10

/* Indexes of the SHOWN_ALERTS strongest alerts (highest peak, earliest first on ties), in
 * start order; returns how many. */
static size_t strongest_alerts(const struct result_scenario *rs, size_t *idx)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n_alerts; i++) {
		size_t at = n < SHOWN_ALERTS ? n++ : SHOWN_ALERTS;
		while (at > 0 && rs->alerts[i].peak_ratio > rs->alerts[idx[at - 1]].peak_ratio) {
			if (at < SHOWN_ALERTS)
				idx[at] = idx[at - 1];
			at--;
		}
		if (at < SHOWN_ALERTS)
			idx[at] = i;
	}
	for (size_t x = 1; x < n; x++) /* back to start order: the alerts array is in it */
		for (size_t y = x; y > 0 && idx[y - 1] > idx[y]; y--) {
			size_t tmp = idx[y];
			idx[y] = idx[y - 1];
			idx[y - 1] = tmp;
		}
	return n;
}

int report_alerts(FILE *f, const struct result_scenario *r, size_t n)
{
	/* one grid of every scenario's lines, so that the columns line up across scenarios */
	size_t rows = 0, row = 0;
	for (size_t k = 0; k < n; k++)
		rows += r[k].n_alerts < SHOWN_ALERTS ? r[k].n_alerts : SHOWN_ALERTS;
	struct grid g;
	if (grid_init(&g, rows, 6, "lllllr") < 0)
		return -1;
	for (size_t k = 0; k < n; k++) {
		const struct result_scenario *rs = &r[k];
		size_t idx[SHOWN_ALERTS], shown = strongest_alerts(rs, idx);
		for (size_t i = 0; i < shown; i++, row++) {
			const struct alert *al = &rs->alerts[idx[i]];
			char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX], buf[REPORT_TEXT_MAX], text[REPORT_TEXT_MAX + 16];
			grid_set(&g, row, 0, al->kind < N_ALERT ? alert_names[al->kind] : "");
			grid_set(&g, row, 1, clock_format(al->start_us, a));
			snprintf(text, sizeof text, "to %s", clock_format(al->end_us, b));
			grid_set(&g, row, 2, text);
			if (al->kind == ALERT_COST_GUARD) {
				snprintf(text, sizeof text, "value %s/h", report_usd_text(al->value_pusd, buf, sizeof buf));
				grid_set(&g, row, 3, text);
				snprintf(text, sizeof text, "baseline %s/h",
				         report_usd_text(al->baseline_pusd, buf, sizeof buf));
				grid_set(&g, row, 4, text);
			} else {
				snprintf(text, sizeof text, "value %s", report_percent_text(al->value_rate, buf, sizeof buf));
				grid_set(&g, row, 3, text);
				snprintf(text, sizeof text, "baseline %s",
				         report_percent_text(al->baseline_rate, buf, sizeof buf));
				grid_set(&g, row, 4, text);
			}
			snprintf(text, sizeof text, "peak %.2fx", al->peak_ratio);
			grid_set(&g, row, 5, text);
		}
	}
	int rc = g.oom ? -1 : 0;
	fputs("alerts\n", f);
	row = 0;
	for (size_t k = 0; rc == 0 && k < n; k++) {
		const struct result_scenario *rs = &r[k];
		size_t shown = rs->n_alerts < SHOWN_ALERTS ? rs->n_alerts : SHOWN_ALERTS;
		fputs("  ", f);
		put_name(f, rs->name);
		if (rs->n_alerts == 0)
			fputs(": no alerts\n", f);
		else if (shown < rs->n_alerts)
			fprintf(f, ": %zu alerts, the %zu strongest shown (--json lists all)\n", rs->n_alerts, shown);
		else
			fprintf(f, ": %zu alert%s\n", rs->n_alerts, rs->n_alerts == 1 ? "" : "s");
		rc = grid_print_rows(f, &g, "    ", row, row + shown);
		row += shown;
	}
	grid_fini(&g);
	return rc;
}

int report_table(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
                 enum report_by by, size_t top, struct err *e)
{
	report_trace_line(f, t);
	fputc('\n', f);
	if (by == REPORT_BY_NONE) {
		if (report_compare(f, r, n) < 0)
			return err_set(e, "writing the report: out of memory");
	} else {
		for (size_t k = 0; k < n; k++) {
			if (k)
				fputc('\n', f);
			if (report_groups(f, &r[k], by, top) < 0)
				return err_set(e, "writing the report: out of memory");
		}
	}
	fputc('\n', f);
	if (report_alerts(f, r, n) < 0)
		return err_set(e, "writing the report: out of memory");
	return report_finish(f, e);
}
