/*
 * The Tenants and Budget views: one row per tenant, or per task, of the
 * selected scenario, sortable by any column (`s`), filtered by name (`/`) and
 * scrolled a page at a time, for thousands of rows.  The row order and the
 * column widths are computed once per change of result, sort or filter; a
 * frame then formats only the rows on screen.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/report.h"
#include "tui/console.h"

enum groups_kind { GROUPS_COL_NAME, GROUPS_COL_COUNT, GROUPS_COL_USD, GROUPS_COL_USD_DERIVED, GROUPS_COL_RATIO, GROUPS_COL_LATENCY, GROUPS_COL_POLICY };

struct groups_col {
	const char *title;
	enum groups_kind kind;
	size_t off, null_off;   /* in struct metrics, or struct derived for DERIVED and RATIO */
};

#define M(x) offsetof(struct metrics, x)
#define D(x) offsetof(struct derived, x)

static const struct groups_col groups_tenant_cols[] = {
	{ "tenant", GROUPS_COL_NAME, 0, 0 },
	{ "monthly USD", GROUPS_COL_USD_DERIVED, D(projected_monthly_usd), D(projected_null) },
	{ "USD", GROUPS_COL_USD, M(usd_total), 0 },
	{ "requests", GROUPS_COL_COUNT, M(requests), 0 },
	{ "hit rate", GROUPS_COL_RATIO, D(cache_hit_rate), 0 },
	{ "fallback", GROUPS_COL_RATIO, D(fallback_rate), 0 },
	{ "failed", GROUPS_COL_COUNT, M(failed), 0 },
	{ "USD/resolved", GROUPS_COL_USD_DERIVED, D(usd_per_resolved), D(usd_per_resolved_null) },
	{ "p95", GROUPS_COL_LATENCY, M(latency_p95_us), 0 },
	{ "calls", GROUPS_COL_COUNT, M(calls), 0 },
	{ "large", GROUPS_COL_RATIO, D(large_share), 0 },
	{ "resolved", GROUPS_COL_COUNT, M(resolved), 0 },
};

static const struct groups_col groups_task_cols[] = {
	{ "task", GROUPS_COL_NAME, 0, 0 },
	{ "USD", GROUPS_COL_USD, M(usd_total), 0 },
	{ "requests", GROUPS_COL_COUNT, M(requests), 0 },
	{ "violations", GROUPS_COL_COUNT, M(budget_violations), 0 },
	{ "rate", GROUPS_COL_RATIO, D(budget_violation_rate), 0 },
	{ "truncated", GROUPS_COL_COUNT, M(truncated), 0 },
	{ "summarized", GROUPS_COL_COUNT, M(summarized), 0 },
	{ "async", GROUPS_COL_COUNT, M(async), 0 },
	{ "capped", GROUPS_COL_COUNT, M(output_capped), 0 },
	{ "policy: in/out max, overflow", GROUPS_COL_POLICY, 0, 0 },
};

#define GROUPS_MAX_COLS 16
#define N_TENANT_COLS (sizeof groups_tenant_cols / sizeof groups_tenant_cols[0])
#define N_TASK_COLS (sizeof groups_task_cols / sizeof groups_task_cols[0])

static const char *const groups_tenant_sort[N_TENANT_COLS] = {
	"tenant", "monthly USD", "USD", "requests", "hit rate", "fallback rate", "failed",
	"USD per resolved", "latency p95", "calls", "large-model share", "resolved",
};
static const char *const groups_task_sort[N_TASK_COLS] = {
	"task", "USD", "requests", "budget violations", "violation rate", "truncated", "summarized",
	"async", "output capped", "policy",
};

struct groups_def {
	enum console_view view;
	const char *what;          /* "tenant", "task" */
	const struct groups_col *cols;
	size_t n_cols;
};

static const struct groups_def groups_tenants = { VIEW_TENANTS, "tenant", groups_tenant_cols, N_TENANT_COLS };
static const struct groups_def groups_tasks = { VIEW_BUDGET, "task", groups_task_cols, N_TASK_COLS };

/* What the cached order was computed from, and the column widths it gave. */
struct groups_cache {
	int valid;
	unsigned scen_id, data_gen, filter_gen;
	int sort_col, sort_desc;
	int width[GROUPS_MAX_COLS];
};
static struct groups_cache groups_cache[N_VIEW];

static size_t groups_count(const struct groups_def *g, const struct console_scen *s)
{
	return g->view == VIEW_TENANTS ? s->res.n_tenants : s->res.n_tasks;
}

static const char *groups_name(const struct groups_def *g, const struct console_scen *s, size_t i)
{
	const char *n = g->view == VIEW_TENANTS ? s->res.tenant_names[i] : s->res.task_names[i];
	return n ? n : "";
}

static const struct metrics *groups_metrics(const struct groups_def *g, const struct console_scen *s,
                                         size_t i)
{
	return g->view == VIEW_TENANTS ? &s->res.by_tenant[i] : &s->res.by_task[i];
}

/* The budget policy of a task as "4,000 / 600, summarize" ("-" for no limit). */
static const char *groups_policy(const struct console_scen *s, const char *task, char *buf, size_t n)
{
	const struct budget_policy *p = s->ran ? scenario_budget_for(s->ran, task) : NULL;
	char a[32], b[32];
	if (!p) {
		snprintf(buf, n, "none");
		return buf;
	}
	if (p->input_max < 0)
		snprintf(a, sizeof a, "-");
	else
		report_count_text((uint64_t)p->input_max, a, sizeof a);
	if (p->output_max < 0)
		snprintf(b, sizeof b, "-");
	else
		report_count_text((uint64_t)p->output_max, b, sizeof b);
	snprintf(buf, n, "%s / %s, %s%s", a, b, scenario_overflow_names[p->overflow],
	         strcmp(p->task, "*") == 0 ? " (*)" : "");
	return buf;
}

/* A cell's text; *null set when it has no figure. */
static const char *groups_text(const struct groups_def *g, const struct groups_col *col,
                            const struct console_scen *s, size_t i, const struct derived *d,
                            char *buf, size_t n)
{
	const char *mb = (const char *)groups_metrics(g, s, i), *db = (const char *)d;
	money_sum ms;
	uint64_t u;
	int64_t i64;
	double r;
	int null;
	switch (col->kind) {
	case GROUPS_COL_NAME:
		snprintf(buf, n, "%s", groups_name(g, s, i));
		return buf;
	case GROUPS_COL_COUNT:
		memcpy(&u, mb + col->off, sizeof u);
		return report_count_text(u, buf, n);
	case GROUPS_COL_USD:
		memcpy(&ms, mb + col->off, sizeof ms);
		return report_usd_text(ms, buf, n);
	case GROUPS_COL_USD_DERIVED:
		memcpy(&ms, db + col->off, sizeof ms);
		memcpy(&null, db + col->null_off, sizeof null);
		if (null) {
			snprintf(buf, n, "-");
			return buf;
		}
		return report_usd_text(ms, buf, n);
	case GROUPS_COL_RATIO:
		memcpy(&r, db + col->off, sizeof r);
		return report_percent_text(r, buf, n);
	case GROUPS_COL_LATENCY:
		memcpy(&i64, mb + col->off, sizeof i64);
		if (i64 < 0) {
			snprintf(buf, n, "-");
			return buf;
		}
		return report_latency_text(i64, buf, n);
	case GROUPS_COL_POLICY:
		return groups_policy(s, groups_name(g, s, i), buf, n);
	}
	return buf;
}

/* ---- sorting ---- */

struct groups_key {
	int null;
	money_sum x;
	double r;
	const char *s;
};

static struct groups_key *groups_sort_keys;    /* qsort has no context argument */
static const char **groups_sort_names;
static enum groups_kind groups_sort_kind;
static int groups_sort_desc;

static int groups_cmp(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;
	const struct groups_key *ka = &groups_sort_keys[a], *kb = &groups_sort_keys[b];
	int c;
	if (ka->null != kb->null)
		return ka->null ? 1 : -1;        /* no figure: always last */
	switch (groups_sort_kind) {
	case GROUPS_COL_NAME:
		c = strcmp(groups_sort_names[a], groups_sort_names[b]);
		break;
	case GROUPS_COL_POLICY:
		c = strcmp(ka->s, kb->s);
		break;
	case GROUPS_COL_RATIO:
		c = ka->r < kb->r ? -1 : ka->r > kb->r;
		break;
	default:
		c = ka->x < kb->x ? -1 : ka->x > kb->x;
	}
	if (groups_sort_desc)
		c = -c;
	if (c == 0)                          /* ties: by name, then as listed */
		c = strcmp(groups_sort_names[a], groups_sort_names[b]);
	return c ? c : (a < b ? -1 : a > b);
}

/* Recomputes the row order and the widths when the result, sort or filter changed. */
static void groups_refresh(struct console *c, const struct groups_def *g, struct console_scen *s)
{
	struct console_viewstate *vs = &c->vs[g->view];
	struct groups_cache *k = &groups_cache[g->view];
	int same_rows = k->valid && k->scen_id == s->id && k->data_gen == c->m->data_gen &&
	                k->filter_gen == c->filter_gen;
	if (same_rows && k->sort_col == vs->sort_col && k->sort_desc == vs->sort_desc)
		return;
	size_t n = groups_count(g, s), kept = 0;
	long *idx = realloc(vs->rows, (n ? n : 1) * sizeof *idx);
	struct groups_key *keys = calloc(n ? n : 1, sizeof *keys);
	const char **names = calloc(n ? n : 1, sizeof *names);
	char (*pol)[REPORT_TEXT_MAX * 2] = NULL;
	const struct groups_col *sc = &g->cols[vs->sort_col < (int)g->n_cols ? vs->sort_col : 0];
	if (sc->kind == GROUPS_COL_POLICY)
		pol = calloc(n ? n : 1, sizeof *pol);
	if (!idx || !keys || !names || (sc->kind == GROUPS_COL_POLICY && !pol)) {
		if (idx)
			vs->rows = idx;
		free(keys);
		free(names);
		free(pol);
		vs->n_rows = 0;
		k->valid = 0;
		return;
	}
	vs->rows = idx;
	/* the widths depend on the rows, not on their order: a new sort keeps them */
	int need_derived = !same_rows || sc->kind == GROUPS_COL_USD_DERIVED || sc->kind == GROUPS_COL_RATIO;
	if (!same_rows)
		for (size_t i = 0; i < GROUPS_MAX_COLS; i++)
			k->width[i] = i < g->n_cols ? console_text_width(g->cols[i].title) : 0;
	for (size_t i = 0; i < n; i++) {
		names[i] = groups_name(g, s, i);
		if (!console_view_match(names[i], vs->filter))
			continue;
		idx[kept++] = (long)i;
		struct derived d;
		char buf[REPORT_TEXT_MAX * 2];
		if (need_derived)
			result_derive(&s->res, groups_metrics(g, s, i), &d);
		for (size_t col = 0; !same_rows && col < g->n_cols; col++) {
			int w = console_text_width(groups_text(g, &g->cols[col], s, i, &d, buf, sizeof buf));
			if (w > k->width[col])
				k->width[col] = w;
		}
		/* the sort key */
		const char *mb = (const char *)groups_metrics(g, s, i), *db = (const char *)&d;
		struct groups_key *key = &keys[i];
		money_sum ms;
		uint64_t u;
		int64_t i64;
		switch (sc->kind) {
		case GROUPS_COL_NAME:
			break;
		case GROUPS_COL_COUNT:
			memcpy(&u, mb + sc->off, sizeof u);
			key->x = u;
			break;
		case GROUPS_COL_USD:
			memcpy(&ms, mb + sc->off, sizeof ms);
			key->x = ms;
			break;
		case GROUPS_COL_USD_DERIVED:
			memcpy(&ms, db + sc->off, sizeof ms);
			memcpy(&key->null, db + sc->null_off, sizeof key->null);
			key->x = ms;
			break;
		case GROUPS_COL_RATIO:
			memcpy(&key->r, db + sc->off, sizeof key->r);
			break;
		case GROUPS_COL_LATENCY:
			memcpy(&i64, mb + sc->off, sizeof i64);
			key->null = i64 < 0;
			key->x = i64;
			break;
		case GROUPS_COL_POLICY:
			key->s = groups_policy(s, names[i], pol[i], sizeof pol[i]);
			break;
		}
	}
	groups_sort_keys = keys;
	groups_sort_names = names;
	groups_sort_kind = sc->kind;
	groups_sort_desc = vs->sort_desc;
	qsort(idx, kept, sizeof *idx, groups_cmp);
	groups_sort_keys = NULL;
	groups_sort_names = NULL;
	free(keys);
	free(names);
	free(pol);
	vs->n_rows = (long)kept;
	if (k->scen_id != s->id || k->filter_gen != c->filter_gen)
		vs->list.cur = vs->list.top = 0;
	k->valid = 1;
	k->scen_id = s->id;
	k->data_gen = c->m->data_gen;
	k->filter_gen = c->filter_gen;
	k->sort_col = vs->sort_col;
	k->sort_desc = vs->sort_desc;
}

static long groups_rows(struct console *c, const struct groups_def *g)
{
	struct console_scen *s = console_selected(c);
	if (!s || !s->has_res)
		return 0;
	groups_refresh(c, g, s);
	return c->vs[g->view].n_rows;
}

static void groups_draw(struct console *c, const struct groups_def *g, const char *const *sort_names,
                     WINDOW *w, int height, int width)
{
	struct console_scen *s = console_selected(c);
	struct console_viewstate *vs = &c->vs[g->view];
	struct groups_cache *k = &groups_cache[g->view];
	char title[512], a[32], b[32];

	if (!s) {
		console_put(w, 1, 1, "No scenario is open: add one with :scenario add NAME.", width - 2, 0, 0);
		return;
	}
	if (!s->has_res) {
		wattrset(w, console_attr(s->error ? ROLE_WORSE : ROLE_DIM));
		snprintf(title, sizeof title, "%s%s", s->error ? "" : s->label,
		         s->error ? s->error : ": running; the table appears when the run ends");
		console_put(w, 1, 1, title, width - 2, 0, 0);
		wattrset(w, console_attr(ROLE_NORMAL));
		return;
	}
	groups_refresh(c, g, s);
	size_t total = groups_count(g, s);
	snprintf(title, sizeof title, "%ss of %s: %s of %s, sorted by %s (%s)%s%s%s", g->what, s->res.name,
	         report_count_text((uint64_t)vs->n_rows, a, sizeof a),
	         report_count_text((uint64_t)total, b, sizeof b), sort_names[vs->sort_col],
	         vs->sort_desc ? (vs->sort_col ? "largest first" : "Z to A")
	                       : (vs->sort_col ? "smallest first" : "A to Z"),
	         vs->filter[0] ? ", filter \"" : "", vs->filter, vs->filter[0] ? "\"" : "");
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 0, title, width, 0, 1);

	/* the columns that fit, in table order, 2 blanks apart (1 when that shows more); the
	 * name column may shrink to 12 */
	int colx[GROUPS_MAX_COLS], ncol = 0, x = 0, gap = 2;
	int namew = k->width[0] < 12 ? 12 : k->width[0] > 40 ? 40 : k->width[0];
	if (namew > width - 2)
		namew = width - 2;
	for (int pass = 0; pass < 2; pass++) {
		int fit2 = 1;
		ncol = 0;
		colx[ncol++] = 0;
		x = namew;
		for (size_t col = 1; col < g->n_cols; col++) {
			int cw = k->width[col];
			if (x + gap + cw > width) {
				fit2 = 0;
				break;
			}
			colx[ncol++] = x + gap;
			x += gap + cw;
		}
		if (fit2 || gap == 1)
			break;
		gap = 1;
	}
	/* headings */
	for (int col = 0; col < ncol; col++) {
		int cw = col == 0 ? namew : k->width[col];
		wattrset(w, console_attr(col == vs->sort_col ? ROLE_SELECTED : ROLE_TITLE));
		console_put(w, 1, colx[col], g->cols[col].title, cw, g->cols[col].kind != GROUPS_COL_NAME &&
		            g->cols[col].kind != GROUPS_COL_POLICY, 1);
	}
	wattrset(w, console_attr(ROLE_NORMAL));
	if (vs->n_rows == 0) {
		console_put(w, 2, 1, vs->filter[0] ? "no row matches the filter (Esc clears it)" : "no rows",
		            width - 2, 0, 0);
		return;
	}
	int rows = console_view_list_rows(height);
	console_list_fix(&vs->list, vs->n_rows, rows);
	for (int r = 0; r < rows && vs->list.top + r < vs->n_rows; r++) {
		long li = vs->list.top + r;
		size_t i = (size_t)vs->rows[li];
		struct derived d;
		char buf[REPORT_TEXT_MAX * 2];
		int cursor = li == vs->list.cur;
		result_derive(&s->res, groups_metrics(g, s, i), &d);
		wattrset(w, console_attr(cursor ? ROLE_CURSOR : ROLE_NORMAL));
		if (cursor)
			mvwhline(w, 2 + r, 0, ' ', width);
		for (int col = 0; col < ncol; col++) {
			const struct groups_col *gc = &g->cols[col];
			int cw = col == 0 ? namew : k->width[col];
			groups_text(g, gc, s, i, &d, buf, sizeof buf);
			if (col == 0 && vs->filter[0] && !cursor)
				wattrset(w, console_attr(ROLE_MATCH));
			console_put(w, 2 + r, colx[col], buf, cw, gc->kind != GROUPS_COL_NAME && gc->kind != GROUPS_COL_POLICY, 1);
			if (col == 0 && vs->filter[0] && !cursor)
				wattrset(w, console_attr(ROLE_NORMAL));
		}
	}
	wattrset(w, console_attr(ROLE_NORMAL));
}

static void groups_draw_tenants(struct console *c, WINDOW *w, int height, int width)
{
	groups_draw(c, &groups_tenants, groups_tenant_sort, w, height, width);
}

static void groups_draw_tasks(struct console *c, WINDOW *w, int height, int width)
{
	groups_draw(c, &groups_tasks, groups_task_sort, w, height, width);
}

static long groups_rows_tenants(struct console *c)
{
	return groups_rows(c, &groups_tenants);
}

static long groups_rows_tasks(struct console *c)
{
	return groups_rows(c, &groups_tasks);
}

const struct console_view_ops console_view_tenants = {
	.name = "Tenants",
	.draw = groups_draw_tenants,
	.n_rows = groups_rows_tenants,
	.n_sort = (int)N_TENANT_COLS,
	.sort_names = groups_tenant_sort,
};

const struct console_view_ops console_view_budget = {
	.name = "Budget",
	.draw = groups_draw_tasks,
	.n_rows = groups_rows_tasks,
	.n_sort = (int)N_TASK_COLS,
	.sort_names = groups_task_sort,
};
