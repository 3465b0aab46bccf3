/*
 * The Alerts view: every alert of every scenario in one list, newest first
 * (by start; ties in scenario order, then kind), with its first and last
 * firing instants, value, baseline and peak ratio as the text report writes
 * them.  `/` keeps the alerts whose scenario or kind contains the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/report.h"
#include "tui/console.h"

static struct {
	int valid;
	unsigned data_gen, filter_gen;
} alerts_cache;

static struct console_model *alerts_sort_m; /* qsort has no context argument */

/* A row is scenario index × 2^32 + alert index. */
static const struct alert *alerts_at(struct console_model *m, long row, size_t *scen)
{
	size_t k = (size_t)((unsigned long)row >> 32), i = (size_t)(row & 0xffffffffL);
	*scen = k;
	return &m->scen[k]->res.alerts[i];
}

static int alerts_cmp(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;
	size_t ka, kb;
	const struct alert *x = alerts_at(alerts_sort_m, a, &ka), *y = alerts_at(alerts_sort_m, b, &kb);
	if (x->start_us != y->start_us)
		return x->start_us > y->start_us ? -1 : 1;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return a < b ? -1 : a > b;
}

static void alerts_refresh(struct console *c)
{
	struct console_model *m = c->m;
	struct console_viewstate *vs = &c->vs[VIEW_ALERTS];
	if (alerts_cache.valid && alerts_cache.data_gen == m->data_gen &&
	    alerts_cache.filter_gen == c->filter_gen)
		return;
	size_t total = 0, n = 0;
	for (size_t k = 0; k < m->n_scen; k++)
		if (m->scen[k]->has_res)
			total += m->scen[k]->res.n_alerts;
	long *rows = realloc(vs->rows, (total ? total : 1) * sizeof *rows);
	if (!rows) {
		vs->n_rows = 0;
		return;
	}
	vs->rows = rows;
	for (size_t k = 0; k < m->n_scen; k++) {
		struct console_scen *s = m->scen[k];
		if (!s->has_res)
			continue;
		for (size_t i = 0; i < s->res.n_alerts; i++) {
			const char *kind = s->res.alerts[i].kind < N_ALERT ? alert_names[s->res.alerts[i].kind] : "";
			if (!console_view_match(s->label, vs->filter) && !console_view_match(s->res.name, vs->filter) &&
			    !console_view_match(kind, vs->filter))
				continue;
			rows[n++] = (long)((unsigned long)k << 32 | i);
		}
	}
	alerts_sort_m = m;
	qsort(rows, n, sizeof *rows, alerts_cmp);
	alerts_sort_m = NULL;
	if (alerts_cache.filter_gen != c->filter_gen)
		vs->list.cur = vs->list.top = 0;
	vs->n_rows = (long)n;
	alerts_cache.valid = 1;
	alerts_cache.data_gen = m->data_gen;
	alerts_cache.filter_gen = c->filter_gen;
}

static long alerts_n_rows(struct console *c)
{
	alerts_refresh(c);
	return c->vs[VIEW_ALERTS].n_rows;
}

static void alerts_value(const struct alert *al, int baseline, char *buf, size_t n)
{
	char v[REPORT_TEXT_MAX];
	if (al->kind == ALERT_COST_GUARD)
		snprintf(buf, n, "%s/h", report_usd_text(baseline ? al->baseline_pusd : al->value_pusd, v,
		                                          sizeof v));
	else
		report_percent_text(baseline ? al->baseline_rate : al->value_rate, buf, n);
}

#define ALERTS_MAX_ROWS 256

static void alerts_draw(struct console *c, WINDOW *w, int height, int width)
{
	static const char *const heads[] = { "start (UTC)", "end", "scenario", "kind", "value",
	                                     "baseline", "peak" };
	enum { NCOL = 7 };
	static char cell[ALERTS_MAX_ROWS][NCOL][48];
	struct console_model *m = c->m;
	struct console_viewstate *vs = &c->vs[VIEW_ALERTS];
	char title[512], cnt[32];
	int cw[NCOL], right[NCOL] = { 0, 0, 0, 0, 1, 1, 1 };
	size_t running = 0;

	alerts_refresh(c);
	for (size_t k = 0; k < m->n_scen; k++)
		running += !m->scen[k]->has_res;
	/* the rows shown, formatted first: the columns are as wide as what they show */
	int rows = console_view_list_fit(vs->n_rows, height);
	if (rows > ALERTS_MAX_ROWS)
		rows = ALERTS_MAX_ROWS;
	console_list_fix(&vs->list, vs->n_rows, rows);
	for (int i = 0; i < NCOL; i++)
		cw[i] = console_text_width(heads[i]);
	cw[0] = cw[0] < 16 ? 16 : cw[0];
	int shown = 0;
	size_t scen_of[ALERTS_MAX_ROWS];
	for (int r = 0; r < rows && vs->list.top + r < vs->n_rows; r++, shown++) {
		size_t k;
		const struct alert *al = alerts_at(m, vs->rows[vs->list.top + r], &k);
		char t[40];
		console_time_text(al->start_us, 0, cell[r][0], sizeof cell[r][0]);
		console_time_text(al->end_us, 0, t, sizeof t);
		snprintf(cell[r][1], sizeof cell[r][1], "%.11s", t + 5); /* "MM-DD HH:MM" */
		char name[CONSOLE_TITLE_MAX];
		console_copy(cell[r][2], sizeof cell[r][2], console_scen_title(m, m->scen[k], name));
		scen_of[r] = k;
		snprintf(cell[r][3], sizeof cell[r][3], "%s", al->kind < N_ALERT ? alert_names[al->kind] : "");
		alerts_value(al, 0, cell[r][4], sizeof cell[r][4]);
		alerts_value(al, 1, cell[r][5], sizeof cell[r][5]);
		snprintf(cell[r][6], sizeof cell[r][6], "%.2fx", al->peak_ratio);
		for (int i = 1; i < NCOL; i++) {
			int l = console_text_width(cell[r][i]);
			if (l > cw[i])
				cw[i] = i == 2 && l > 24 ? 24 : l;
		}
	}
	/* all columns if they fit, the scenario's narrowed to 8 and the gaps to 1 if need be;
	 * else the first ones that fit, and the title says how many are hidden */
	int x[NCOL], pos = 0, ncol = 0, gap = 2, total = 2 * (NCOL - 1);
	for (int i = 0; i < NCOL; i++)
		total += cw[i];
	if (total > width && cw[2] > 8) {
		int cut = total - width < cw[2] - 8 ? total - width : cw[2] - 8;
		cw[2] -= cut;
		total -= cut;
	}
	if (total > width)
		gap = 1;
	/* a title the narrowed column would cut that tells two scenarios of one name apart by
	 * their handles ("v3 cache+routing (fg)"): the handle alone, which the cut would lose */
	for (int r = 0; r < shown; r++) {
		const struct console_scen *s = m->scen[scen_of[r]];
		if (console_text_width(cell[r][2]) > cw[2] && console_scen_shared(m, s))
			console_copy(cell[r][2], sizeof cell[r][2], s->label);
	}
	for (int i = 0; i < NCOL; i++) {
		if (i > 0 && pos + cw[i] > width)
			break;
		x[i] = pos;
		pos += cw[i] + gap;
		ncol++;
	}
	char keep[400];
	snprintf(title, sizeof title, "%s alert%s across %zu scenario%s, newest first",
	         report_count_text((uint64_t)vs->n_rows, cnt, sizeof cnt), vs->n_rows == 1 ? "" : "s",
	         m->n_scen, m->n_scen == 1 ? "" : "s");
	snprintf(keep, sizeof keep, "%s%s%s%s", vs->filter[0] ? ", filter \"" : "", vs->filter,
	         vs->filter[0] ? "\"" : "", running ? " (some scenarios have no result yet)" : "");
	const char *titles[1] = { title };
	console_put_title(w, titles, 1, keep, NCOL - ncol, width);
	for (int i = 0; i < ncol; i++)
		console_put(w, 1, x[i], heads[i], cw[i], right[i], 1);
	wattrset(w, console_attr(ROLE_NORMAL));
	if (vs->n_rows == 0) {
		console_put(w, 2, 1, vs->filter[0] ? "no alert matches the filter (Esc clears it)"
		                                   : "no alert fired in any scenario", width - 2, 0, 0);
		return;
	}
	for (int r = 0; r < shown; r++) {
		int cursor = vs->list.top + r == vs->list.cur;
		wattrset(w, console_attr(cursor ? ROLE_CURSOR : ROLE_NORMAL));
		if (cursor)
			mvwhline(w, 2 + r, 0, ' ', width);
		for (int i = 0; i < ncol; i++) {
			if (i == 3 && !cursor)
				wattrset(w, console_attr(ROLE_ALERT));
			console_put(w, 2 + r, x[i], cell[r][i], cw[i], right[i], 1);
			if (i == 3 && !cursor)
				wattrset(w, console_attr(ROLE_NORMAL));
		}
	}
	console_view_list_more(w, &vs->list, vs->n_rows, 2, shown, width);
	wattrset(w, console_attr(ROLE_NORMAL));
}

const struct console_view_ops console_view_alerts = {
	.name = "Alerts",
	.draw = alerts_draw,
	.n_rows = alerts_n_rows,
};
