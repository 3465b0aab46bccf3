/*
 * The Timeline view: per scenario, three sparkline strips over the trace's
 * time buckets (usd per hour, fallback rate, cache hit rate), in Unicode
 * blocks, or ASCII when the locale is not UTF-8.  Columns inside an alert
 * window are drawn in the alert colour (cost_guard on the usd/h strip,
 * fallback_flood on the fallback strip).  A cursor column reads the exact
 * values of the buckets under it; `z` switches between the whole trace in the
 * window and one column per bucket.  Strips of all scenarios share one scale.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/clock.h"
#include "traces/report.h"
#include "tui/console.h"

#define TIMELINE_LABEL_W 10
#define TIMELINE_VALUE_W 14
#define TIMELINE_BLOCK_ROWS 4

enum timeline_strip { TIMELINE_USD, TIMELINE_FALLBACK, TIMELINE_HIT, N_TIMELINE_STRIP };

static const char *const timeline_strip_names[N_TIMELINE_STRIP] = { "usd/h", "fallback", "hit rate" };

/* Sums of one scenario over buckets [b0, b1). */
struct timeline_sums {
	money_sum usd;
	uint64_t first_calls, first_fallbacks, hits, requests;
};

static void timeline_total(const struct timeline *tl, size_t b0, size_t b1, struct timeline_sums *s)
{
	memset(s, 0, sizeof *s);
	if (b1 > tl->n_buckets)
		b1 = tl->n_buckets;
	for (size_t b = b0; b < b1; b++) {
		s->usd += tl->usd[b];
		s->first_calls += tl->count[TL_FIRST_CALLS][b];
		s->first_fallbacks += tl->count[TL_FIRST_FALLBACKS][b];
		s->hits += tl->count[TL_CACHE_HITS][b];
		s->requests += tl->count[TL_REQUESTS][b];
	}
}

/* usd/h in pico-USD of a sum over n buckets. */
static money_sum timeline_per_hour(const struct timeline_sums *s, size_t n, int64_t bucket_s)
{
	money_sum q;
	if (n == 0 || bucket_s <= 0 || money_muldiv(s->usd, 3600, (money_sum)n * bucket_s, &q) < 0)
		return 0;
	return q;
}

static double timeline_value(const struct timeline_sums *s, enum timeline_strip k, size_t n, int64_t bucket_s)
{
	switch (k) {
	case TIMELINE_USD:
		return (double)timeline_per_hour(s, n, bucket_s);
	case TIMELINE_FALLBACK: /* NAN without a first call: undefined, shown "-" as replay does */
		return s->first_calls ? (double)s->first_fallbacks / (double)s->first_calls : NAN;
	case TIMELINE_HIT:
		return s->requests ? (double)s->hits / (double)s->requests : NAN;
	case N_TIMELINE_STRIP:
		break;
	}
	return 0;
}

/* The geometry of the chart: buckets per column, columns, the first one shown. */
struct timeline_geo {
	const struct timeline *ref;   /* a timeline giving t0 and bucket_s */
	size_t n_buckets, per, n_cols, first;
	int chart_w;
};

/* The columns of the chart in a window `width` wide (under 4: too narrow for one). */
static int timeline_chart_w(int width)
{
	return width - TIMELINE_LABEL_W - TIMELINE_VALUE_W - 2;
}

static int timeline_geometry(struct console *c, int width, struct timeline_geo *g)
{
	struct console_model *m = c->m;
	struct console_viewstate *vs = &c->vs[VIEW_TIMELINE];
	memset(g, 0, sizeof *g);
	for (size_t k = 0; k < m->n_scen; k++) {
		struct console_scen *s = m->scen[k];
		if (!s->has_res || s->res.timeline.n_buckets == 0)
			continue;
		if (!g->ref)
			g->ref = &s->res.timeline;
		if (s->res.timeline.n_buckets > g->n_buckets)
			g->n_buckets = s->res.timeline.n_buckets;
	}
	g->chart_w = timeline_chart_w(width);
	if (!g->ref || g->chart_w < 4)
		return -1;
	g->per = vs->zoom ? 1 : (g->n_buckets + (size_t)g->chart_w - 1) / (size_t)g->chart_w;
	if (g->per < 1)
		g->per = 1;
	g->n_cols = (g->n_buckets + g->per - 1) / g->per;
	if (vs->per && vs->per != g->per) /* zoomed or resized: the cursor stays at its time */
		vs->cursor = (long)((size_t)vs->cursor * vs->per / g->per);
	vs->per = g->per;
	if (vs->cursor >= (long)g->n_cols)
		vs->cursor = (long)g->n_cols - 1;
	if (vs->cursor < 0)
		vs->cursor = 0;
	/* scroll so the cursor stays in view */
	long first = vs->hscroll;
	if (vs->cursor < first)
		first = vs->cursor;
	if (vs->cursor >= first + g->chart_w)
		first = vs->cursor - g->chart_w + 1;
	if (first > (long)g->n_cols - g->chart_w)
		first = (long)g->n_cols - g->chart_w;
	if (first < 0)
		first = 0;
	vs->hscroll = (int)first;
	g->first = (size_t)first;
	return 0;
}

static long timeline_n_rows(struct console *c)
{
	return (long)c->m->n_scen;
}

/* 1 when an alert of `kind` fires in [t0, t1). */
static int timeline_alert_in(const struct result_scenario *r, enum alert_kind kind, int64_t t0, int64_t t1)
{
	for (size_t i = 0; i < r->n_alerts; i++)
		if (r->alerts[i].kind == kind && r->alerts[i].start_us < t1 && r->alerts[i].end_us >= t0)
			return 1;
	return 0;
}

/* Why there is no chart to draw (timeline_geometry failed). */
static const char *timeline_none(const struct console *c, int width)
{
	const struct console_model *m = c->m;
	if (!m->n_scen)
		return "No scenario is open.";
	if (timeline_chart_w(width) < 4)
		return "the window is too narrow for the timeline";
	for (size_t k = 0; k < m->n_scen; k++)
		if (!m->scen[k]->has_res)
			return "no timeline yet (the scenarios are running)";
	return "no timeline: the trace has no requests";
}

static void timeline_draw(struct console *c, WINDOW *w, int height, int width)
{
	static const char *const blocks[9] = { " ", "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
		"\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = " .:-=+*#@";
	struct console_model *m = c->m;
	struct console_viewstate *vs = &c->vs[VIEW_TIMELINE];
	struct timeline_geo g;
	char title[512], a[64], b[64], v[REPORT_TEXT_MAX + 8];

	if (timeline_geometry(c, width, &g) < 0) {
		console_put(w, 1, 1, timeline_none(c, width), width - 2, 0, 0);
		return;
	}
	int64_t bucket_us = g.ref->bucket_s * CLOCK_US_PER_S;
	size_t cb0 = (size_t)vs->cursor * g.per, cb1 = cb0 + g.per;
	if (cb1 > g.n_buckets)
		cb1 = g.n_buckets;
	int64_t ct0 = g.ref->t0_us + (int64_t)cb0 * bucket_us, ct1 = g.ref->t0_us + (int64_t)cb1 * bucket_us;

	/* common scales: the largest column value of each strip over every scenario */
	double maxv[N_TIMELINE_STRIP] = { 0, 0, 0 };
	for (size_t k = 0; k < m->n_scen; k++) {
		struct console_scen *s = m->scen[k];
		if (!s->has_res)
			continue;
		for (size_t col = 0; col < g.n_cols; col++) {
			struct timeline_sums sum;
			size_t b0 = col * g.per, b1 = b0 + g.per > g.n_buckets ? g.n_buckets : b0 + g.per;
			timeline_total(&s->res.timeline, b0, b1, &sum);
			for (int st = 0; st < N_TIMELINE_STRIP; st++) {
				double x = timeline_value(&sum, (enum timeline_strip)st, b1 - b0, g.ref->bucket_s);
				if (x > maxv[st])
					maxv[st] = x;
			}
		}
	}

	/* title: bucket size, zoom, cursor, scales */
	char per[48];
	if (g.per == 1)
		snprintf(per, sizeof per, "1 column = 1 bucket");
	else
		snprintf(per, sizeof per, "1 column = %zu buckets", g.per);
	char mx[REPORT_TEXT_MAX], fb[16], hr[16];
	report_usd_text((money_sum)maxv[TIMELINE_USD], mx, sizeof mx);
	/* the cursor's end without its date when that is the start's, so that the scales fit */
	console_time_text(ct0, 0, a, sizeof a);
	console_time_text(ct1, 0, b, sizeof b);
	const char *end = strlen(a) > 11 && strncmp(a, b, 11) == 0 ? b + 11 : b;
	snprintf(title, sizeof title, "bucket %llds, %s; cursor %s to %s UTC; scale %s/h, fallback %s, "
	         "hit %s", (long long)g.ref->bucket_s, per, a, end, mx,
	         report_percent_text(maxv[TIMELINE_FALLBACK], fb, sizeof fb),
	         report_percent_text(maxv[TIMELINE_HIT], hr, sizeof hr));
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 0, title, width, 0, 1);

	/* the time axis: a tick label every ~18 columns */
	wattrset(w, console_attr(ROLE_DIM));
	for (int x = 0; x + 12 <= g.chart_w; x += 18) {
		size_t col = g.first + (size_t)x;
		if (col >= g.n_cols)
			break;
		int64_t t = g.ref->t0_us + (int64_t)(col * g.per) * bucket_us;
		console_time_text(t, 0, a, sizeof a);
		console_put(w, 1, TIMELINE_LABEL_W + 1 + x, a + 5, 11, 0, 0); /* "MM-DD HH:MM" */
	}
	wattrset(w, console_attr(ROLE_NORMAL));

	/* the scenario blocks, from list.cur on, as many as fit; when they do not all fit, the last
	 * line says how many are above and below, and j stops once the last one is in view */
	long n_scen = (long)m->n_scen;
	int blocks_fit = (height - 2) / TIMELINE_BLOCK_ROWS;
	if (n_scen > blocks_fit)
		blocks_fit = (height - 3) / TIMELINE_BLOCK_ROWS;
	if (blocks_fit < 1)
		blocks_fit = 1;
	if (vs->list.cur > n_scen - blocks_fit)
		vs->list.cur = n_scen - blocks_fit;
	if (vs->list.cur < 0)
		vs->list.cur = 0;
	for (int bi = 0; bi < blocks_fit && vs->list.cur + bi < (long)m->n_scen; bi++) {
		struct console_scen *s = m->scen[vs->list.cur + bi];
		int y0 = 2 + bi * TIMELINE_BLOCK_ROWS;
		if (y0 >= height)
			break;
		/* name row: name, alert count, what fires at the cursor */
		char line[512];
		size_t n_firing = 0;
		const char *firing[N_ALERT];
		if (s->has_res)
			for (int kd = 0; kd < N_ALERT; kd++)
				if (timeline_alert_in(&s->res, (enum alert_kind)kd, ct0, ct1))
					firing[n_firing++] = alert_names[kd];
		char name[CONSOLE_TITLE_MAX];
		snprintf(line, sizeof line, "  (%zu alert%s)%s%s%s%s",
		         s->has_res ? s->res.n_alerts : 0, s->has_res && s->res.n_alerts == 1 ? "" : "s",
		         n_firing ? "  at the cursor: " : "", n_firing ? firing[0] : "",
		         n_firing > 1 ? ", " : "", n_firing > 1 ? firing[1] : "");
		wattrset(w, console_attr(vs->list.cur + bi == (long)c->sel ? ROLE_SELECTED : ROLE_TITLE));
		/* the name loses its middle before the alerts are pushed off (it keeps 12 columns) */
		int name_w = width - console_text_width(line);
		if (name_w < 12)
			name_w = width < 12 ? width : 12;
		int nx = console_put_name(w, y0, 0, console_scen_title(c->m, s, name), name_w, 0, 0);
		console_put(w, y0, nx, line, width - nx, 0, 1);
		wattrset(w, console_attr(ROLE_NORMAL));
		if (!s->has_res) {
			wattrset(w, console_attr(s->error ? ROLE_WORSE : ROLE_DIM));
			console_put(w, y0 + 1, TIMELINE_LABEL_W + 1, s->error ? s->error : "running", g.chart_w, 0, 0);
			wattrset(w, console_attr(ROLE_NORMAL));
			continue;
		}
		struct timeline_sums cur;
		timeline_total(&s->res.timeline, cb0, cb1, &cur);
		for (int st = 0; st < N_TIMELINE_STRIP && y0 + 1 + st < height; st++) {
			int y = y0 + 1 + st;
			console_put(w, y, 0, timeline_strip_names[st], TIMELINE_LABEL_W, 0, 1);
			wmove(w, y, TIMELINE_LABEL_W + 1);
			for (int x = 0; x < g.chart_w; x++) {
				size_t col = g.first + (size_t)x;
				if (col >= g.n_cols) { /* past the last bucket: blank, not in the last column's colour */
					wattrset(w, console_attr(ROLE_NORMAL));
					waddch(w, ' ');
					continue;
				}
				struct timeline_sums sum;
				size_t b0 = col * g.per, b1 = b0 + g.per > g.n_buckets ? g.n_buckets : b0 + g.per;
				timeline_total(&s->res.timeline, b0, b1, &sum);
				double val = timeline_value(&sum, (enum timeline_strip)st, b1 - b0, g.ref->bucket_s);
				int lvl = maxv[st] > 0 && !isnan(val) ? (int)(val / maxv[st] * 8.0 + 0.999999) : 0;
				if (lvl > 8)
					lvl = 8;
				if (val > 0 && lvl == 0)
					lvl = 1;
				int64_t t0 = g.ref->t0_us + (int64_t)b0 * bucket_us, t1 = g.ref->t0_us + (int64_t)b1 * bucket_us;
				int alert = (st == TIMELINE_USD && timeline_alert_in(&s->res, ALERT_COST_GUARD, t0, t1)) ||
				            (st == TIMELINE_FALLBACK && timeline_alert_in(&s->res, ALERT_FALLBACK_FLOOD, t0, t1));
				enum console_role role = (long)col == vs->cursor ? ROLE_CURSOR : alert ? ROLE_ALERT
				                                                                        : ROLE_SPARK;
				wattrset(w, console_attr(role));
				if (console_utf8) {
					waddstr(w, blocks[lvl]);
				} else {
					waddch(w, (chtype)(unsigned char)ascii[lvl]);
				}
			}
			wattrset(w, console_attr(ROLE_NORMAL));
			/* the value at the cursor */
			if (st == TIMELINE_USD) {
				char u[REPORT_TEXT_MAX];
				snprintf(v, sizeof v, "%s/h", report_usd_text(timeline_per_hour(&cur, cb1 - cb0, g.ref->bucket_s),
				                                                u, sizeof u));
			} else {
				double rate = timeline_value(&cur, (enum timeline_strip)st, cb1 - cb0, g.ref->bucket_s);
				if (isnan(rate))
					snprintf(v, sizeof v, "-");
				else
					report_percent_text(rate, v, sizeof v);
			}
			console_put(w, y, width - TIMELINE_VALUE_W, v, TIMELINE_VALUE_W, 1, 1);
		}
	}
	if (n_scen > blocks_fit && height > 2) {
		long above = vs->list.cur, below = n_scen - vs->list.cur - blocks_fit;
		char more[96];
		snprintf(more, sizeof more, "%ld scenario%s above, %ld below (j/k)", above, above == 1 ? "" : "s",
		         below < 0 ? 0 : below);
		wattrset(w, console_attr(ROLE_DIM));
		console_put(w, height - 1, 0, more, width, 0, 1);
		wattrset(w, console_attr(ROLE_NORMAL));
	}
}

const struct console_view_ops console_view_timeline = {
	.name = "Timeline",
	.draw = timeline_draw,
	.n_rows = timeline_n_rows,
};
