/*
 * The text table of a replay (traces/report.h), the default rendering: a line
 * naming the trace, the comparison table (metrics as rows, scenarios as
 * columns, deltas against the first) or the --by tables, then the alerts.
 * Cells are laid out by a small grid; values read as people read them, through
 * the number writers and the field table of report.c.
 */
#include "traces/report_internal.h"

#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "traces/text.h"

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

/* text as a table shows it (text_cell); the caller's (NULL when out of memory) */
static char *cell_text(const char *text)
{
	return text_cell(text ? text : "");
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
	/* replay --from/--to: which arrivals were selected, the figures above being theirs */
	if (t->range) {
		fputs("replayed: the requests arriving ", f);
		if (t->from_us != TRACE_SUMMARY_OPEN)
			fprintf(f, "from %s (included)", clock_format(t->from_us, a));
		else
			fputs("from the start of the trace", f);
		if (t->to_us != TRACE_SUMMARY_OPEN)
			fprintf(f, " to %s (excluded)\n", clock_format(t->to_us, b));
		else
			fputs(" to the end of the trace\n", f);
	}
}

/* The comparison table: metrics as rows, scenarios as columns, deltas against the first. */
static int report_compare(FILE *f, const struct result_scenario *r, size_t n)
{
	struct grid g = { .cells = NULL };
	size_t m = n ? n : 1, n_rows = 1;
	struct derived *d = calloc(m, sizeof *d);
	struct report_value *vals = calloc(N_ROWS * m, sizeof *vals);
	size_t *vw = calloc(m, sizeof *vw), *dw = calloc(m, sizeof *dw);
	char *align = calloc(n + 2, 1);
	int any_billed = 0, rc = -1, sign;
	char cell[3 * REPORT_TEXT_MAX], v[REPORT_TEXT_MAX], dl[REPORT_TEXT_MAX];

	if (!d || !vals || !vw || !dw || !align)
		goto out;
	for (size_t k = 0; k < n; k++) {
		result_derive(&r[k], &r[k].totals, &d[k]);
		any_billed |= report_has_billed(&r[k]);
	}
	/* values, and the widths of the value and delta parts of each column */
	for (size_t row = 0; row < N_ROWS; row++) {
		const struct report_field *fl = report_field(report_rows[row].field);
		if (fl->kind == REPORT_FK_BILLED && !any_billed)
			continue;
		n_rows++;
		for (size_t k = 0; k < n; k++) {
			struct report_value *x = &vals[row * n + k];
			*x = report_value(fl, &r[k], &r[k].totals, &d[k]);
			size_t lv = strlen(report_human_text(x, v, sizeof v));
			size_t ld = k ? strlen(report_delta_text(&vals[row * n], x, dl, sizeof dl, &sign)) : 0;
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
		if (report_field(report_rows[row].field)->kind == REPORT_FK_BILLED && !any_billed)
			continue;
		grid_set(&g, out_row, 0, report_rows[row].label);
		for (size_t k = 0; k < n; k++) {
			const struct report_value *x = &vals[row * n + k];
			report_human_text(x, v, sizeof v);
			if (k == 0 || dw[k] == 0)
				snprintf(cell, sizeof cell, "%s", v);
			else
				snprintf(cell, sizeof cell, "%*s  %*s", (int)vw[k], v, (int)dw[k],
				         report_delta_text(&vals[row * n], x, dl, sizeof dl, &sign));
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
	char align[N_GROUP_COLS + 10], buf[REPORT_TEXT_MAX]; /* a name and the group columns, or --by time's 10 */
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
				struct report_value v = report_value(report_field(report_group_cols[group_col[c]].field), r, m, &d);
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

/* Indexes of the up to SHOWN_ALERTS strongest alerts of one kind (highest peak, earliest first
 * on ties) in order of strength; returns how many. */
static size_t strongest_of_kind(const struct result_scenario *rs, enum alert_kind kind, size_t *idx)
{
	size_t n = 0;
	for (size_t i = 0; i < rs->n_alerts; i++) {
		if (rs->alerts[i].kind != kind)
			continue;
		size_t at = n < SHOWN_ALERTS ? n++ : SHOWN_ALERTS;
		while (at > 0 && rs->alerts[i].peak_ratio > rs->alerts[idx[at - 1]].peak_ratio) {
			if (at < SHOWN_ALERTS)
				idx[at] = idx[at - 1];
			at--;
		}
		if (at < SHOWN_ALERTS)
			idx[at] = i;
	}
	return n;
}

/* Indexes of the SHOWN_ALERTS alerts shown, in start order; returns how many.  A flood's ratio
 * (its rate over the configured one) and a cost_guard's (spend over its baseline) do not
 * compare, so the kinds take turns: each kind's strongest, then each kind's second, and so on
 * (a lone cost_guard among a hundred floods is shown). */
static size_t strongest_alerts(const struct result_scenario *rs, size_t *idx)
{
	size_t of[N_ALERT][SHOWN_ALERTS], n_of[N_ALERT], n = 0;
	for (int k = 0; k < N_ALERT; k++)
		n_of[k] = strongest_of_kind(rs, (enum alert_kind)k, of[k]);
	for (size_t turn = 0; turn < SHOWN_ALERTS && n < SHOWN_ALERTS; turn++)
		for (int k = 0; k < N_ALERT && n < SHOWN_ALERTS; k++)
			if (turn < n_of[k])
				idx[n++] = of[k][turn];
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
				snprintf(text, sizeof text, "limit %s", /* the configured rate (SPEC §10's baseline) */
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
			fputs(": no alerts", f);
		else if (shown < rs->n_alerts)
			fprintf(f, ": %zu alerts, the %zu strongest of their kinds shown (--json lists all)", rs->n_alerts,
			        shown);
		else
			fprintf(f, ": %zu alert%s", rs->n_alerts, rs->n_alerts == 1 ? "" : "s");
		fputc('\n', f);
		/* a cost_guard that judged no instant, so that its absence says nothing (SPEC §10) */
		if (rs->cost_guard_unjudged == COST_GUARD_SHORT_RUN)
			fputs("    (cost_guard judged no instant: the run is under twice its window_s)\n", f);
		else if (rs->cost_guard_unjudged == COST_GUARD_SHORT_BASELINE)
			fputs("    (cost_guard judges no instant: its baseline_s is under its window_s)\n", f);
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
