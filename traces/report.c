/*
 * What the renderings of a replay share: the number writers of traces/report.h
 * and the one table of §5 fields, each with its kind, that drives --json
 * (report_json.c), --csv (report_csv.c), the text table (report_table.c) and
 * the console's views, so a metric reads the same everywhere: money as exact
 * pico-USD with 12 decimals (or dollars), ratios as shortest round-trip doubles
 * (or percentages), and its change against a reference in % or points.
 */
#include "traces/report_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/decimal.h"

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

#define F_COUNT(x) { #x, REPORT_FK_COUNT, offsetof(struct metrics, x), 0 }
#define F_USD(x) { #x, REPORT_FK_USD, offsetof(struct metrics, x), 0 }
#define F_RATIO(x) { #x, REPORT_FK_RATIO, offsetof(struct derived, x), 0 }

const struct report_field report_fields[] = {
	F_COUNT(requests), F_COUNT(resolved), F_COUNT(failed), F_COUNT(degraded), F_COUNT(rejected),
	F_COUNT(cache_hits), F_RATIO(cache_hit_rate), F_COUNT(cache_tokens_saved),
	F_USD(cache_usd_saved), F_COUNT(calls), F_COUNT(input_tokens), F_COUNT(output_tokens),
	F_COUNT(cached_input_tokens), F_RATIO(input_tokens_per_request),
	F_RATIO(output_tokens_per_request), F_RATIO(large_share), F_COUNT(retries),
	F_COUNT(retry_tokens), F_USD(retry_usd), F_COUNT(fallbacks), F_RATIO(fallback_rate),
	F_COUNT(fallbacks_denied), F_COUNT(breaker_rejections), F_COUNT(budget_violations),
	F_RATIO(budget_violation_rate), F_COUNT(truncated), F_COUNT(summarized), F_COUNT(async),
	F_COUNT(batched), F_COUNT(output_capped), F_USD(usd_total),
	{ "billed_usd", REPORT_FK_BILLED, offsetof(struct metrics, billed_usd), 0 },
	F_USD(usd_per_hour_peak),
	{ "usd_per_resolved", REPORT_FK_USD_DERIVED, offsetof(struct derived, usd_per_resolved),
	  offsetof(struct derived, usd_per_resolved_null) },
	{ "projected_monthly_usd", REPORT_FK_USD_DERIVED, offsetof(struct derived, projected_monthly_usd),
	  offsetof(struct derived, projected_null) },
	{ "latency_p50_ms", REPORT_FK_LATENCY, offsetof(struct metrics, latency_p50_us), 0 },
	{ "latency_p95_ms", REPORT_FK_LATENCY, offsetof(struct metrics, latency_p95_us), 0 },
};
const size_t report_n_fields = sizeof report_fields / sizeof report_fields[0];

const struct report_field *report_field(const char *name)
{
	for (size_t i = 0; i < report_n_fields; i++)
		if (strcmp(report_fields[i].name, name) == 0)
			return &report_fields[i];
	return NULL;
}

int report_has_billed(const struct result_scenario *r)
{
	return r->recorded && r->has_billed;
}

struct report_value report_value(const struct report_field *f, const struct result_scenario *r,
                                 const struct metrics *m, const struct derived *d)
{
	struct report_value v = { .kind = f->kind };
	const char *mb = (const char *)m, *db = (const char *)d;
	money_sum s;
	int64_t i64;
	uint64_t u64;
	switch (f->kind) {
	case REPORT_FK_COUNT:
		memcpy(&u64, mb + f->off, sizeof u64);
		v.x = u64;
		break;
	case REPORT_FK_BILLED:
		v.null = !report_has_billed(r);
		/* fall through */
	case REPORT_FK_USD:
		memcpy(&s, mb + f->off, sizeof s);
		v.x = s;
		break;
	case REPORT_FK_RATIO:
		memcpy(&v.ratio, db + f->off, sizeof v.ratio);
		break;
	case REPORT_FK_USD_DERIVED:
		memcpy(&s, db + f->off, sizeof s);
		memcpy(&v.null, db + f->null_off, sizeof v.null);
		v.x = s;
		break;
	case REPORT_FK_LATENCY:
		memcpy(&i64, mb + f->off, sizeof i64);
		v.null = i64 < 0;
		v.x = i64;
		break;
	}
	return v;
}

const char *report_machine_text(const struct report_value *v, char *buf, size_t n)
{
	if (v->null)
		return NULL;
	switch (v->kind) {
	case REPORT_FK_COUNT:
		snprintf(buf, n, "%" PRIu64, (uint64_t)v->x);
		return buf;
	case REPORT_FK_USD:
	case REPORT_FK_BILLED:
	case REPORT_FK_USD_DERIVED:
		if (n >= MONEY_FMT_SIZE)
			money_format(buf, v->x);
		return buf;
	case REPORT_FK_RATIO:
		return report_ratio_text(v->ratio, buf, n);
	case REPORT_FK_LATENCY:
		return report_decimal_text((int64_t)v->x, 3, buf, n);
	}
	return NULL;
}


const char *report_human_text(const struct report_value *v, char *buf, size_t n)
{
	if (v->null) {
		snprintf(buf, n, "-");
		return buf;
	}
	switch (v->kind) {
	case REPORT_FK_COUNT:
		return report_count_text((uint64_t)v->x, buf, n);
	case REPORT_FK_USD:
	case REPORT_FK_BILLED:
	case REPORT_FK_USD_DERIVED:
		return report_usd_text(v->x, buf, n);
	case REPORT_FK_RATIO:
		return report_percent_text(v->ratio, buf, n);
	case REPORT_FK_LATENCY:
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

const char *report_delta_text(const struct report_value *ref, const struct report_value *v, char *buf,
                              size_t n, int *sign)
{
	buf[0] = 0;
	*sign = 0;
	if (ref->null || v->null)
		return buf;
	if (v->kind == REPORT_FK_RATIO)
		return report_delta_points(ref->ratio, v->ratio, buf, n, sign);
	return report_delta_amount(ref->x, v->x, buf, n, sign);
}

/* ---- output errors ---- */

int report_finish(FILE *f, struct err *e)
{
	if (fflush(f) != 0 || ferror(f))
		return err_set(e, "writing the output: %s", strerror(errno ? errno : EIO));
	return 0;
}
