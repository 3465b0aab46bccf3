/*
 * The Compare view: metrics as rows, scenarios as columns, each column after
 * the first with its change against the first (the reference), coloured by
 * whether the change is better or worse.  Figures and deltas are written as
 * the text table of `llmcost replay` writes them.  The label column and the
 * reference stay put; the other columns scroll to keep the selected one in view.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "traces/report.h"
#include "tui/console.h"

enum compare_kind { COMPARE_USD, COMPARE_USD_DERIVED, COMPARE_COUNT, COMPARE_RATIO, COMPARE_LATENCY, COMPARE_ALERTS, COMPARE_BILLED };

struct compare_row {
	const char *label;
	enum compare_kind kind;
	size_t off, null_off;   /* in struct metrics (USD, COUNT, LATENCY) or struct derived */
	int better;             /* +1 more is better, -1 less is better, 0 neither */
	int primary;            /* the brief's rows, before the others */
};

#define M(x) offsetof(struct metrics, x)
#define D(x) offsetof(struct derived, x)

static const struct compare_row compare_rows[] = {
	{ "projected monthly USD", COMPARE_USD_DERIVED, D(projected_monthly_usd), D(projected_null), -1, 1 },
	{ "USD total", COMPARE_USD, M(usd_total), 0, -1, 1 },
	{ "USD per resolved request", COMPARE_USD_DERIVED, D(usd_per_resolved), D(usd_per_resolved_null), -1,
	  1 },
	{ "cache hit rate", COMPARE_RATIO, D(cache_hit_rate), 0, 1, 1 },
	{ "tokens saved by cache", COMPARE_COUNT, M(cache_tokens_saved), 0, 1, 1 },
	{ "USD saved by cache", COMPARE_USD, M(cache_usd_saved), 0, 1, 1 },
	{ "large-model share", COMPARE_RATIO, D(large_share), 0, 0, 1 },
	{ "fallback rate", COMPARE_RATIO, D(fallback_rate), 0, -1, 1 },
	{ "retry USD", COMPARE_USD, M(retry_usd), 0, -1, 1 },
	{ "failed", COMPARE_COUNT, M(failed), 0, -1, 1 },
	{ "degraded", COMPARE_COUNT, M(degraded), 0, -1, 1 },
	{ "budget violation rate", COMPARE_RATIO, D(budget_violation_rate), 0, -1, 1 },
	{ "latency p95", COMPARE_LATENCY, M(latency_p95_us), 0, -1, 1 },
	{ "alerts", COMPARE_ALERTS, 0, 0, -1, 1 },
	{ "requests", COMPARE_COUNT, M(requests), 0, 0, 0 },
	{ "resolved", COMPARE_COUNT, M(resolved), 0, 1, 0 },
	{ "rejected", COMPARE_COUNT, M(rejected), 0, -1, 0 },
	{ "billed USD (cost_usd)", COMPARE_BILLED, M(billed_usd), 0, 0, 0 },
	{ "calls", COMPARE_COUNT, M(calls), 0, 0, 0 },
	{ "retries", COMPARE_COUNT, M(retries), 0, -1, 0 },
	{ "fallbacks", COMPARE_COUNT, M(fallbacks), 0, -1, 0 },
	{ "fallbacks denied", COMPARE_COUNT, M(fallbacks_denied), 0, 0, 0 },
	{ "breaker rejections", COMPARE_COUNT, M(breaker_rejections), 0, -1, 0 },
	{ "truncated", COMPARE_COUNT, M(truncated), 0, 0, 0 },
	{ "summarized", COMPARE_COUNT, M(summarized), 0, 0, 0 },
	{ "async", COMPARE_COUNT, M(async), 0, 0, 0 },
	{ "batched", COMPARE_COUNT, M(batched), 0, 0, 0 },
	{ "output capped", COMPARE_COUNT, M(output_capped), 0, 0, 0 },
	{ "USD per hour peak", COMPARE_USD, M(usd_per_hour_peak), 0, -1, 0 },
	{ "latency p50", COMPARE_LATENCY, M(latency_p50_us), 0, -1, 0 },
};
#define N_COMPARE_ROWS (sizeof compare_rows / sizeof compare_rows[0])

/* How a row's figures are written. */
static enum console_fig compare_fig(const struct compare_row *row)
{
	switch (row->kind) {
	case COMPARE_COUNT:
	case COMPARE_ALERTS:
		return FIG_COUNT;
	case COMPARE_RATIO:
		return FIG_RATIO;
	case COMPARE_LATENCY:
		return FIG_LATENCY;
	default:
		return FIG_USD;
	}
}

/* One cell's figure. */
static struct console_fig_value compare_value(const struct compare_row *row, const struct console_scen *s,
                                              const struct derived *d)
{
	struct console_fig_value v = { 0, 0, 0 };
	const char *mb = (const char *)&s->res.totals, *db = (const char *)d;
	money_sum ms;
	uint64_t u;
	int64_t i;
	switch (row->kind) {
	case COMPARE_BILLED:
		v.null = !(s->res.recorded && s->res.has_billed);
		/* fall through */
	case COMPARE_USD:
		memcpy(&ms, mb + row->off, sizeof ms);
		v.x = ms;
		break;
	case COMPARE_USD_DERIVED:
		memcpy(&ms, db + row->off, sizeof ms);
		memcpy(&v.null, db + row->null_off, sizeof v.null);
		v.x = ms;
		break;
	case COMPARE_COUNT:
		memcpy(&u, mb + row->off, sizeof u);
		v.x = u;
		break;
	case COMPARE_RATIO:
		memcpy(&v.r, db + row->off, sizeof v.r);
		break;
	case COMPARE_LATENCY:
		memcpy(&i, mb + row->off, sizeof i);
		v.null = i < 0;
		v.x = i;
		break;
	case COMPARE_ALERTS:
		v.x = (money_sum)s->res.n_alerts;
		break;
	}
	return v;
}

/* The rows shown: billed USD only when a recorded scenario has it. */
static size_t compare_visible(struct console *c, const struct compare_row **rows)
{
	int billed = 0;
	size_t n = 0;
	for (size_t i = 0; i < c->m->n_scen; i++)
		billed |= c->m->scen[i]->has_res && c->m->scen[i]->res.recorded && c->m->scen[i]->res.has_billed;
	for (size_t i = 0; i < N_COMPARE_ROWS; i++)
		if (compare_rows[i].kind != COMPARE_BILLED || billed)
			rows[n++] = &compare_rows[i];
	return n;
}

static long compare_n_rows(struct console *c)
{
	const struct compare_row *rows[N_COMPARE_ROWS];
	return (long)compare_visible(c, rows);
}

#define COMPARE_MAX_SCEN 64

static void compare_draw(struct console *c, WINDOW *w, int height, int width)
{
	struct console_model *m = c->m;
	const struct compare_row *rows[N_COMPARE_ROWS];
	size_t nr = compare_visible(c, rows), ns = m->n_scen < COMPARE_MAX_SCEN ? m->n_scen : COMPARE_MAX_SCEN;
	struct derived d[COMPARE_MAX_SCEN];
	int vw[COMPARE_MAX_SCEN], dw[COMPARE_MAX_SCEN], colw[COMPARE_MAX_SCEN];
	char v[REPORT_TEXT_MAX], dl[REPORT_TEXT_MAX];
	struct console_viewstate *vs = &c->vs[VIEW_COMPARE];

	if (ns == 0) {
		console_put(w, 1, 1, "No scenario is open: add one with :scenario add NAME (Tab completes).",
		            width - 2, 0, 0);
		return;
	}
	/* widths: the label column, then per scenario its values and deltas */
	int lw = 0;
	for (size_t r = 0; r < nr; r++) {
		int l = console_text_width(rows[r]->label);
		if (l > lw)
			lw = l;
	}
	for (size_t k = 0; k < ns; k++) {
		struct console_scen *s = m->scen[k];
		char title[CONSOLE_TITLE_MAX];
		vw[k] = console_text_width(console_scen_title(m, s, title));
		dw[k] = 0;
		if (s->has_res)
			result_derive(&s->res, &s->res.totals, &d[k]);
		if (vw[k] < 7)
			vw[k] = 7;
	}
	for (size_t k = 0; k < ns; k++) {
		struct console_scen *s = m->scen[k], *ref = m->scen[0];
		if (!s->has_res)
			continue;
		int vk = 0;
		for (size_t r = 0; r < nr; r++) {
			struct console_fig_value x = compare_value(rows[r], s, &d[k]);
			int l = console_text_width(console_fig_text(compare_fig(rows[r]), &x, v, sizeof v));
			if (l > vk)
				vk = l;
			if (k > 0 && ref->has_res) {
				struct console_fig_value rx = compare_value(rows[r], ref, &d[0]);
				int sign, ld = console_text_width(console_fig_delta(compare_fig(rows[r]), &rx, &x, dl,
				                                                    sizeof dl, &sign));
				if (ld > dw[k])
					dw[k] = ld;
			}
		}
		/* a column is as wide as its name, or its values and deltas */
		int need = vk + (dw[k] ? 2 + dw[k] : 0);
		if (need > vw[k])
			vw[k] = need;
	}
	for (size_t k = 0; k < ns; k++)
		colw[k] = vw[k];
	if (lw > width / 3 && width / 3 >= 12)
		lw = width / 3;

	/* which scenario columns fit: the reference, then from hscroll on; keep sel visible */
	size_t first = vs->hscroll < 1 ? 1 : (size_t)vs->hscroll;
	if (c->sel >= 1 && c->sel < first)
		first = c->sel;
	while (c->sel >= 1 && first < c->sel) {
		int x = lw + 2 + colw[0];
		size_t k = first;
		for (; k < ns && x + 3 + colw[k] <= width; k++)
			x += 3 + colw[k];
		if (c->sel < k)
			break;
		first++;
	}
	while (first > 1) { /* and no further right than need be: back while all from one before fit */
		int x = lw + 2 + colw[0];
		for (size_t k = first - 1; k < ns; k++)
			x += 3 + colw[k];
		if (x > width)
			break;
		first--;
	}
	vs->hscroll = (int)first;

	/* the heading: scenario names */
	int rows_shown = height - 1;
	if ((long)nr > rows_shown && rows_shown > 2)
		rows_shown--; /* the last line says how many rows are out of sight */
	console_list_fix(&vs->list, (long)nr, rows_shown);
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 0, first > 1 ? "< more scenarios" : "", lw, 0, 1);
	int x = lw + 2;
	size_t shown_last = 0;
	for (size_t k = 0; k < ns; k++) {
		if (k != 0 && k < first)
			continue;
		if (x + colw[k] > width)
			break;
		struct console_scen *s = m->scen[k];
		wattrset(w, console_attr(k == c->sel ? ROLE_SELECTED : ROLE_TITLE));
		char title[CONSOLE_TITLE_MAX];
		console_put(w, 0, x, console_scen_title(m, s, title), colw[k], 1, 1);
		x += colw[k] + 3;
		shown_last = k;
	}
	wattrset(w, console_attr(ROLE_TITLE));
	if (shown_last + 1 < ns && width > 8)
		console_put(w, 0, width - 7, " more >", 7, 0, 0);

	/* the rows */
	for (int i = 0; i < rows_shown && vs->list.top + i < (long)nr; i++) {
		long r = vs->list.top + i;
		const struct compare_row *row = rows[r];
		int y = 1 + i;
		wattrset(w, console_attr(r == vs->list.cur ? ROLE_CURSOR : row->primary ? ROLE_NORMAL
		                                                                           : ROLE_DIM));
		console_put(w, y, 0, row->label, lw, 0, 1);
		wattrset(w, console_attr(ROLE_NORMAL));
		x = lw + 2;
		for (size_t k = 0; k < ns; k++) {
			if (k != 0 && k < first)
				continue;
			if (x + colw[k] > width)
				break;
			struct console_scen *s = m->scen[k], *ref = m->scen[0];
			if (!s->has_res) {
				wattrset(w, console_attr(s->error ? ROLE_WORSE : ROLE_DIM));
				console_put(w, y, x, s->error ? "error" : s->busy ? "running" : "-", colw[k], 1, 1);
				wattrset(w, console_attr(ROLE_NORMAL));
				x += colw[k] + 3;
				continue;
			}
			struct console_fig_value val = compare_value(row, s, &d[k]);
			console_fig_text(compare_fig(row), &val, v, sizeof v);
			if (k == 0 || dw[k] == 0 || !ref->has_res) {
				console_put(w, y, x, v, colw[k], 1, 1);
			} else {
				struct console_fig_value rv = compare_value(row, ref, &d[0]);
				int sign;
				console_fig_delta(compare_fig(row), &rv, &val, dl, sizeof dl, &sign);
				console_put(w, y, x, v, colw[k] - dw[k] - 2, 1, 1);
				int good = sign * row->better;
				wattrset(w, console_attr(good > 0 ? ROLE_BETTER : good < 0 ? ROLE_WORSE : ROLE_DIM));
				console_put(w, y, x + colw[k] - dw[k], dl, dw[k], 1, 1);
				wattrset(w, console_attr(ROLE_NORMAL));
			}
			x += colw[k] + 3;
		}
	}
	if ((long)nr > rows_shown) {
		long above = vs->list.top, below = (long)nr - vs->list.top - rows_shown;
		char more[96];
		snprintf(more, sizeof more, "%ld row%s above, %ld below (j/k, PgUp/PgDn)", above,
		         above == 1 ? "" : "s", below < 0 ? 0 : below);
		wattrset(w, console_attr(ROLE_DIM));
		console_put(w, 1 + rows_shown, 0, more, width, 0, 1);
	}
	wattrset(w, console_attr(ROLE_NORMAL));
}

const struct console_view_ops console_view_compare = {
	.name = "Compare",
	.draw = compare_draw,
	.n_rows = compare_n_rows,
};
