/*
 * The --csv rendering of a replay's result snapshot (traces/report.h): a
 * header of metric names, then a row per scenario or per scenario × group of
 * --by, each metric in its machine text from the field table of report.c.
 */
#include "traces/report_internal.h"

#include <inttypes.h>
#include <string.h>

#include "sim/clock.h"

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
	for (size_t i = 0; i < report_n_fields; i++) {
		const struct report_field *fl = &report_fields[i];
		if (fl->kind == REPORT_FK_BILLED && !billed_col)
			continue;
		struct report_value v = report_value(fl, r, m, &d);
		report_csv_field(f, report_machine_text(&v, buf, sizeof buf), 0);
	}
}

/*
 * The end of a line: with replay --from/--to, the range the requests were selected by (arrivals
 * in [from, to)) in two last columns, "from" and "to" in the header, a bound not given empty.
 */
static void report_csv_end(FILE *f, const struct trace_summary *t, int header)
{
	char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
	if (t->range && header) {
		report_csv_field(f, "from", 0);
		report_csv_field(f, "to", 0);
	} else if (t->range) {
		report_csv_field(f, t->from_us != TRACE_SUMMARY_OPEN ? clock_format(t->from_us, a) : NULL, 0);
		report_csv_field(f, t->to_us != TRACE_SUMMARY_OPEN ? clock_format(t->to_us, b) : NULL, 0);
	}
	fputc('\n', f);
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
		for (size_t i = 0; i < report_n_fields; i++)
			if (report_fields[i].kind != REPORT_FK_BILLED || billed_col)
				report_csv_field(f, report_fields[i].name, 0);
	}
	report_csv_end(f, t, 1);

	/* the rows: scenario order, then group order */
	for (size_t k = 0; k < n; k++) {
		const struct result_scenario *rs = &r[k];
		const char *name = rs->name ? rs->name : "";
		switch (by) {
		case REPORT_BY_NONE:
			report_csv_field(f, name, 1);
			report_csv_metrics(f, rs, &rs->totals, billed_col);
			report_csv_end(f, t, 0);
			break;
		case REPORT_BY_TENANT:
		case REPORT_BY_TASK: {
			size_t ng = by == REPORT_BY_TENANT ? rs->n_tenants : rs->n_tasks;
			for (size_t i = 0; i < ng; i++) {
				report_csv_field(f, name, 1);
				report_csv_field(f, by == REPORT_BY_TENANT ? rs->tenant_names[i] : rs->task_names[i], 0);
				report_csv_metrics(f, rs, by == REPORT_BY_TENANT ? &rs->by_tenant[i] : &rs->by_task[i],
				                   billed_col);
				report_csv_end(f, t, 0);
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
				fprintf(f, ",%s", buf);
				report_csv_end(f, t, 0);
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
				fprintf(f, ",%" PRIu64 ",%" PRIu64, tl->count[TL_FIRST_CALLS][i],
				        tl->count[TL_FIRST_FALLBACKS][i]);
				report_csv_end(f, t, 0);
			}
			break;
		case N_REPORT_BY:
			break;
		}
	}
	return report_finish(f, e);
}
