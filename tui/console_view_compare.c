/*
 * The Compare view: metrics as rows, scenarios as columns, each column after
 * the first with its change against the first (the reference), coloured by
 * whether the change is better or worse.  Each row names a §5 field of
 * traces/report.h, which reads its figure and writes it and its delta as the
 * text table of `llmcost replay` does.  The label column and the
 * reference stay put; the other columns scroll to keep the selected one in view.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/report.h"
#include "tui/console.h"

/* A row: its label, the §5 field it shows (NULL: the number of alerts, which §5 does not list
 * among the metrics), and how a change colours. */
struct compare_row {
	const char *label;
	const char *field;
	int better;             /* +1 more is better, -1 less is better, 0 neither */
	int primary;            /* the brief's rows, before the others */
};

static const struct compare_row compare_rows[] = {
	{ "projected monthly USD", "projected_monthly_usd", -1, 1 },
	{ "USD total", "usd_total", -1, 1 },
	{ "USD per resolved request", "usd_per_resolved", -1, 1 },
	{ "cache hit rate", "cache_hit_rate", 1, 1 },
	{ "tokens saved by cache", "cache_tokens_saved", 1, 1 },
	{ "USD saved by cache", "cache_usd_saved", 1, 1 },
	{ "large-model share", "large_share", 0, 1 },
	{ "fallback rate", "fallback_rate", -1, 1 },
	{ "retry USD", "retry_usd", -1, 1 },
	{ "failed", "failed", -1, 1 },
	{ "degraded", "degraded", -1, 1 },
	{ "budget violation rate", "budget_violation_rate", -1, 1 },
	{ "latency p95", "latency_p95_ms", -1, 1 },
	{ "alerts", NULL, -1, 1 },
	{ "requests", "requests", 0, 0 },
	{ "resolved", "resolved", 1, 0 },
	{ "rejected", "rejected", -1, 0 },
	{ "billed USD (cost_usd)", "billed_usd", 0, 0 },
	{ "calls", "calls", 0, 0 },
	{ "retries", "retries", -1, 0 },
	{ "fallbacks", "fallbacks", -1, 0 },
	{ "fallbacks denied", "fallbacks_denied", 0, 0 },
	{ "breaker rejections", "breaker_rejections", -1, 0 },
	{ "truncated", "truncated", 0, 0 },
	{ "summarized", "summarized", 0, 0 },
	{ "async", "async", 0, 0 },
	{ "batched", "batched", 0, 0 },
	{ "output capped", "output_capped", 0, 0 },
	{ "USD per hour peak", "usd_per_hour_peak", -1, 0 },
	{ "latency p50", "latency_p50_ms", -1, 0 },
};
#define N_COMPARE_ROWS (sizeof compare_rows / sizeof compare_rows[0])

const char *console_view_compare_unknown_field(void)
{
	for (size_t i = 0; i < N_COMPARE_ROWS; i++)
		if (compare_rows[i].field && !report_field(compare_rows[i].field))
			return compare_rows[i].field;
	return NULL;
}

/* One cell's figure: scenario s's (d: its derived values). */
static struct report_value compare_value(const struct compare_row *row, const struct console_scen *s,
                                         const struct derived *d)
{
	if (!row->field)
		return (struct report_value){ .kind = REPORT_FK_COUNT, .x = (money_sum)s->res.n_alerts };
	return report_value(report_field(row->field), &s->res, &s->res.totals, d);
}

/* The rows shown: billed USD only when a recorded scenario has it. */
static size_t compare_visible(struct console *c, const struct compare_row **rows)
{
	int billed = 0;
	size_t n = 0;
	for (size_t i = 0; i < c->m->n_scen; i++)
		billed |= c->m->scen[i]->has_res && report_has_billed(&c->m->scen[i]->res);
	for (size_t i = 0; i < N_COMPARE_ROWS; i++)
		if (!compare_rows[i].field || report_field(compare_rows[i].field)->kind != REPORT_FK_BILLED ||
		    billed)
			rows[n++] = &compare_rows[i];
	return n;
}

static long compare_n_rows(struct console *c)
{
	const struct compare_row *rows[N_COMPARE_ROWS];
	return (long)compare_visible(c, rows);
}

/* The rows of nr shown in a body `height` high: under one line of names (not a title and a
 * head, as a list's), less the last line when it says how many are out of sight. */
static int compare_rows_shown(long nr, int height)
{
	int rows = height - 1;
	if (nr > rows && rows > 2)
		rows--;
	return rows;
}

static int compare_page(struct console *c, int height)
{
	return compare_rows_shown(compare_n_rows(c), height);
}

#define COMPARE_MAX_SCEN 64

/* A column's title: the scenario's (console_scen_title), then " *" when a note is about its
 * result (:notes shows them); in buf. */
#define COMPARE_NOTED " *"
static const char *compare_title(const struct console_model *m, const struct console_scen *s,
                                 char buf[CONSOLE_TITLE_MAX + sizeof COMPARE_NOTED])
{
	char title[CONSOLE_TITLE_MAX];
	snprintf(buf, CONSOLE_TITLE_MAX + sizeof COMPARE_NOTED, "%s%s", console_scen_title(m, s, title),
	         console_model_noted(m, s) ? COMPARE_NOTED : "");
	return buf;
}

/* The last scenario column shown, the columns from first on (after the reference) as far as
 * they fit in width from x: when more follow, the last one's title must leave room for " more >"
 * (COMPARE_MORE columns), at least COMPARE_TITLE_MIN of them (or the whole title), or it is not
 * shown; the first of them always is. */
#define COMPARE_MORE 7
#define COMPARE_TITLE_MIN 8
static size_t compare_last(size_t ns, size_t first, int x, int width, const int *colw, const int *tw)
{
	size_t last = 0;
	int at = x, last_x = x;
	for (size_t k = first; k < ns && at + colw[k] <= width; k++) {
		last = k, last_x = at;
		at += colw[k] + 3;
	}
	if (last > first && last + 1 < ns) {
		int min = tw[last] < COMPARE_TITLE_MIN ? tw[last] : COMPARE_TITLE_MIN;
		if (width - COMPARE_MORE - last_x < min)
			last--;
	}
	return last;
}

/* console_scen_fit's test for Compare: at its first call, which scenario columns fit (the
 * reference, then from hscroll on, keeping sel visible and going no further right than need be;
 * hscroll follows), then whether the same columns first..last still fit. */
struct compare_same_ctx {
	struct console *c;
	size_t ns;
	int lw, width;
	const int *tw;
	int noted;
	size_t first, last;
};

static int compare_same(void *ctx, const int *colw)
{
	struct compare_same_ctx *f = ctx;
	struct console *c = f->c;
	size_t ns = f->ns;
	int lw = f->lw, width = f->width;
	if (f->noted)
		return ns == 1 || compare_last(ns, f->first, lw + 2 + colw[0] + 3, width, colw, f->tw) == f->last;
	struct console_viewstate *vs = &c->vs[VIEW_COMPARE];
	size_t first = vs->hscroll < 1 ? 1 : (size_t)vs->hscroll;
	if (c->sel >= 1 && c->sel < first)
		first = c->sel;
	int x0 = lw + 2 + colw[0] + 3; /* where the first column after the reference goes */
	while (c->sel >= 1 && first < c->sel && c->sel > compare_last(ns, first, x0, width, colw, f->tw))
		first++;
	while (first > 1) { /* and no further right than need be: back while all from one before fit */
		int x = lw + 2 + colw[0];
		for (size_t k = first - 1; k < ns; k++)
			x += 3 + colw[k];
		if (x > width)
			break;
		first--;
	}
	vs->hscroll = (int)first;
	f->first = first;
	f->last = ns > 1 ? compare_last(ns, first, x0, width, colw, f->tw) : 0;
	f->noted = 1;
	return 1;
}

static void compare_draw(struct console *c, WINDOW *w, int height, int width)
{
	struct console_model *m = c->m;
	const struct compare_row *rows[N_COMPARE_ROWS];
	size_t nr = compare_visible(c, rows), ns = m->n_scen < COMPARE_MAX_SCEN ? m->n_scen : COMPARE_MAX_SCEN;
	struct derived d[COMPARE_MAX_SCEN];
	int vw[COMPARE_MAX_SCEN], tw[COMPARE_MAX_SCEN], dw[COMPARE_MAX_SCEN], colw[COMPARE_MAX_SCEN];
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
		char title[CONSOLE_TITLE_MAX + sizeof COMPARE_NOTED];
		tw[k] = console_text_width(compare_title(m, s, title));
		vw[k] = 7; /* "running" */
		dw[k] = 0;
		if (s->has_res)
			result_derive(&s->res, &s->res.totals, &d[k]);
	}
	for (size_t k = 0; k < ns; k++) {
		struct console_scen *s = m->scen[k], *ref = m->scen[0];
		if (!s->has_res)
			continue;
		int vk = 0;
		for (size_t r = 0; r < nr; r++) {
			struct report_value x = compare_value(rows[r], s, &d[k]);
			int l = console_text_width(report_human_text(&x, v, sizeof v));
			if (l > vk)
				vk = l;
			if (k > 0 && ref->has_res) {
				struct report_value rx = compare_value(rows[r], ref, &d[0]);
				int sign, ld = console_text_width(report_delta_text(&rx, &x, dl, sizeof dl, &sign));
				if (ld > dw[k])
					dw[k] = ld;
			}
		}
		int need = vk + (dw[k] ? 2 + dw[k] : 0);
		if (need > vw[k])
			vw[k] = need;
	}
	if (lw > width / 3 && width / 3 >= 12)
		lw = width / 3;
	/* a column is as wide as its name, or its values and deltas; a name too wide for the room
	 * loses its middle, only as far as it would keep a column out of sight (console_scen_fit) */
	struct compare_same_ctx fit = { .c = c, .ns = ns, .lw = lw, .width = width, .tw = tw };
	console_scen_fit(vw, tw, ns, width - lw - 2, 3, compare_same, &fit, colw);
	size_t first = fit.first, last = fit.last;

	/* the heading: scenario names */
	int rows_shown = compare_rows_shown((long)nr, height);
	console_list_fix(&vs->list, (long)nr, rows_shown);
	int x = lw + 2, noted = 0;
	/* the titles shown, cut apart (console_cut_apart: two names never read the same), each with
	 * its " *" after it */
	static char titles[COMPARE_MAX_SCEN][CONSOLE_TITLE_MAX];
	const char *names[COMPARE_MAX_SCEN];
	char *cuts[COMPARE_MAX_SCEN];
	int at[COMPARE_MAX_SCEN], room[COMPARE_MAX_SCEN], put_w[COMPARE_MAX_SCEN], marks[COMPARE_MAX_SCEN];
	size_t which[COMPARE_MAX_SCEN], nt = 0;
	for (size_t k = 0; k <= last && nt < COMPARE_MAX_SCEN; k++) {
		if (k != 0 && k < first)
			continue;
		if (x + colw[k] > width)
			break;
		int tw_room = colw[k];
		if (k == last && k + 1 < ns && width - COMPARE_MORE - x < tw_room)
			tw_room = width - COMPARE_MORE - x; /* " more >" after it, its blank the gap */
		marks[nt] = console_model_noted(m, m->scen[k]) ? (int)strlen(COMPARE_NOTED) : 0;
		names[nt] = console_scen_title(m, m->scen[k], titles[nt]);
		room[nt] = tw_room - marks[nt] > 1 ? tw_room - marks[nt] : 1;
		put_w[nt] = tw_room;
		at[nt] = x;
		which[nt++] = k;
		x += colw[k] + 3;
	}
	console_cut_apart(names, room, nt, cuts);
	for (size_t j = 0; j < nt; j++) {
		char line[CONSOLE_TITLE_MAX + sizeof COMPARE_NOTED];
		snprintf(line, sizeof line, "%s%s", cuts[j] ? cuts[j] : names[j], marks[j] ? COMPARE_NOTED : "");
		free(cuts[j]);
		wattrset(w, console_attr(which[j] == c->sel ? ROLE_SELECTED : ROLE_TITLE));
		console_put(w, 0, at[j], line, put_w[j], 1, 1);
	}
	for (size_t k = 0; k < m->n_scen; k++)
		noted |= console_model_noted(m, m->scen[k]) > 0;
	/* above the labels: that columns are scrolled off, and what a column's * says while a
	 * scenario has notes, in fewer words when both do not fit */
	static const char *const both[] = { "< more scenarios  * notes: :notes", "< more  * notes: :notes",
	                                     "< * notes: :notes", "< * :notes" };
	const char *corner = first > 1 ? "< more scenarios" : noted ? "* notes: :notes" : "";
	if (first > 1 && noted)
		for (size_t i = 0; i < sizeof both / sizeof both[0]; i++)
			if (console_text_width(corner = both[i]) <= lw)
				break;
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 0, corner, lw, 0, 1);
	if (last + 1 < ns && width > 8)
		console_put(w, 0, width - COMPARE_MORE, " more >", COMPARE_MORE, 0, 0);

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
		for (size_t k = 0; k <= last; k++) {
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
			struct report_value val = compare_value(row, s, &d[k]);
			report_human_text(&val, v, sizeof v);
			if (k == 0 || dw[k] == 0 || !ref->has_res) {
				console_put(w, y, x, v, colw[k], 1, 1);
			} else {
				struct report_value rv = compare_value(row, ref, &d[0]);
				int sign;
				report_delta_text(&rv, &val, dl, sizeof dl, &sign);
				console_put(w, y, x, v, colw[k] - dw[k] - 2, 1, 1);
				int good = sign * row->better;
				wattrset(w, console_attr(good > 0 ? ROLE_BETTER : good < 0 ? ROLE_WORSE : ROLE_DIM));
				console_put(w, y, x + colw[k] - dw[k], dl, dw[k], 1, 1);
				wattrset(w, console_attr(ROLE_NORMAL));
			}
			x += colw[k] + 3;
		}
	}
	wattrset(w, console_attr(ROLE_NORMAL));
	console_view_list_more(w, &vs->list, (long)nr, 1, rows_shown, width);
}

const struct console_view_ops console_view_compare = {
	.name = "Compare",
	.draw = compare_draw,
	.n_rows = compare_n_rows,
	.page = compare_page,
};
