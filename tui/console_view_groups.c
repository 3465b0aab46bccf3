/*
 * The Tenants and Budget views: one row per tenant, or per task, of the
 * selected scenario, sortable by any column (`s`), filtered by name (`/`) and
 * scrolled a page at a time, for thousands of rows.  The Tenants view has a
 * second mode (`m`): one metric (`M` picks it) across the scenarios, a column
 * per scenario with its change against the first, coloured as in Compare.
 * The row order is computed once per change of result, sort or metric, the
 * column widths (every row's, from each column's extreme values) once per change
 * of result or metric, and a filter takes the sorted rows that pass it; a frame
 * then formats only the rows on screen.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/report.h"
#include "tui/console.h"

/* A column: the tenant's or task's name, a §5 field of traces/report.h (which reads its figure
 * and writes it as the text table of `llmcost replay --by` does), or the task's budget policy. */
enum groups_kind { GROUPS_COL_NAME, GROUPS_COL_FIELD, GROUPS_COL_POLICY };

struct groups_col {
	const char *title;
	enum groups_kind kind;
	const char *field;      /* FIELD: its name in traces/report.h */
};

#define F(title, field) { title, GROUPS_COL_FIELD, field }

static const struct groups_col groups_tenant_cols[] = {
	{ "tenant", GROUPS_COL_NAME, NULL },
	F("monthly USD", "projected_monthly_usd"),
	F("USD", "usd_total"),
	F("requests", "requests"),
	F("hit rate", "cache_hit_rate"),
	F("fallback", "fallback_rate"),
	F("failed", "failed"),
	F("USD/resolved", "usd_per_resolved"),
	F("p95", "latency_p95_ms"),
	F("calls", "calls"),
	F("large", "large_share"),
	F("resolved", "resolved"),
};

static const struct groups_col groups_task_cols[] = {
	{ "task", GROUPS_COL_NAME, NULL },
	F("USD", "usd_total"),
	F("requests", "requests"),
	F("violations", "budget_violations"),
	F("rate", "budget_violation_rate"),
	F("truncated", "truncated"),
	F("summarized", "summarized"),
	F("async", "async"),
	F("capped", "output_capped"),
	{ "policy: in/out max, overflow", GROUPS_COL_POLICY, NULL },
};

#undef F

#define GROUPS_MAX_COLS 16
/* The name column (tenant, task) is at most this wide: a longer name loses its middle to …,
 * keeping its end, and a `/` filter finds it whole. */
#define GROUPS_NAME_MAX 24
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

/* The metrics the Tenants view shows across the scenarios (`M` steps through them); better:
 * +1 more is better, -1 less is better, 0 neither (the delta stays uncoloured). */
struct groups_metric {
	const char *name;
	const char *field;      /* its name in traces/report.h */
	int better;
};

static const struct groups_metric groups_across_metrics[] = {
	{ "projected monthly USD", "projected_monthly_usd", -1 },
	{ "USD total", "usd_total", -1 },
	{ "USD per resolved request", "usd_per_resolved", -1 },
	{ "cache hit rate", "cache_hit_rate", 1 },
	{ "fallback rate", "fallback_rate", -1 },
	{ "failed", "failed", -1 },
	{ "degraded", "degraded", -1 },
	{ "latency p95", "latency_p95_ms", -1 },
	{ "large-model share", "large_share", 0 },
	{ "retry USD", "retry_usd", -1 },
	{ "USD saved by cache", "cache_usd_saved", 1 },
	{ "calls", "calls", 0 },
};
#define N_ACROSS_METRICS (sizeof groups_across_metrics / sizeof groups_across_metrics[0])

const char *console_view_groups_unknown_field(void)
{
	const struct groups_col *cols[] = { groups_tenant_cols, groups_task_cols };
	const size_t n[] = { N_TENANT_COLS, N_TASK_COLS };
	for (size_t t = 0; t < 2; t++)
		for (size_t i = 0; i < n[t]; i++)
			if (cols[t][i].kind == GROUPS_COL_FIELD && !report_field(cols[t][i].field))
				return cols[t][i].field;
	for (size_t i = 0; i < N_ACROSS_METRICS; i++)
		if (!report_field(groups_across_metrics[i].field))
			return groups_across_metrics[i].field;
	return NULL;
}

/* Scenarios beyond this many get no column across (as in Compare). */
#define GROUPS_MAX_SCEN 64

struct groups_def {
	enum console_view view;
	const char *what;          /* "tenant", "task" */
	const struct groups_col *cols;
	size_t n_cols;
};

static const struct groups_def groups_tenants = { VIEW_TENANTS, "tenant", groups_tenant_cols, N_TENANT_COLS };
static const struct groups_def groups_tasks = { VIEW_BUDGET, "task", groups_task_cols, N_TASK_COLS };

/* What the cached order was computed from, and the column widths it gave: every row in the
 * sort order (all), and the filter the rows shown were taken from it with. */
struct groups_cache {
	int valid;
	unsigned scen_id, data_gen, filter_gen;
	int sort_col, sort_desc;
	int width[GROUPS_MAX_COLS];
	long *all;
	char filter[256];
};
static struct groups_cache groups_cache[N_VIEW];
static unsigned long groups_n_sorts;    /* the sorts made, for the tests (console_view_groups_sorts) */
static unsigned long groups_n_measures; /* the widths measured, for the tests (console_view_groups_measures) */

/* The same for the Tenants view across the scenarios: rows are indexes into the
 * tenants of the first scenario with a result (src_id); every result of one trace
 * lists the same tenants. */
static struct {
	int valid;
	unsigned data_gen, filter_gen, src_id;
	size_t n_scen;
	int metric, sort_col, sort_desc;
	int namew;
	int vw[GROUPS_MAX_SCEN], dw[GROUPS_MAX_SCEN]; /* value and delta widths per scenario */
	long *all;                                    /* every tenant in the sort order */
	char filter[256];                             /* the filter the rows shown were taken with */
} groups_across;

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

/* The derived figures of group i: the worker's, else computed into tmp. */
static const struct derived *groups_derived(const struct groups_def *g, const struct console_scen *s,
                                            size_t i, struct derived *tmp)
{
	const struct derived *d = g->view == VIEW_TENANTS ? s->tenant_derived : s->task_derived;
	if (d)
		return &d[i];
	result_derive(&s->res, groups_metrics(g, s, i), tmp);
	return tmp;
}

/* The field a column shows; NULL for the name and policy columns. */
static const struct report_field *groups_field(const struct groups_col *col)
{
	return col->kind == GROUPS_COL_FIELD ? report_field(col->field) : NULL;
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
	         strcmp(p->task, "*") == 0 ? " (from \"*\")" : "");
	return buf;
}

/* A cell's text, as the text table of `llmcost replay --by` writes it. */
static const char *groups_text(const struct groups_def *g, const struct groups_col *col,
                            const struct console_scen *s, size_t i, char *buf, size_t n)
{
	struct derived tmp;
	switch (col->kind) {
	case GROUPS_COL_NAME:
		snprintf(buf, n, "%s", groups_name(g, s, i));
		return buf;
	case GROUPS_COL_POLICY:
		return groups_policy(s, groups_name(g, s, i), buf, n);
	default: {
		struct report_value v = report_value(groups_field(col), &s->res, groups_metrics(g, s, i),
		                                     groups_derived(g, s, i, &tmp));
		return report_human_text(&v, buf, n);
	}
	}
}

/* ---- sorting ---- */

struct groups_key {
	int null;
	money_sum x;
	double r;
	const char *s;
};

enum groups_order { ORDER_NAME, ORDER_TEXT, ORDER_RATIO, ORDER_EXACT };

static struct groups_key *groups_sort_keys;    /* qsort has no context argument */
static const char **groups_sort_names;
static enum groups_order groups_sort_order;
static int groups_sort_desc;

static int groups_cmp(const void *pa, const void *pb)
{
	long a = *(const long *)pa, b = *(const long *)pb;
	const struct groups_key *ka = &groups_sort_keys[a], *kb = &groups_sort_keys[b];
	int c;
	if (ka->null != kb->null)
		return ka->null ? 1 : -1;        /* no figure: always last */
	switch (groups_sort_order) {
	case ORDER_NAME:
		c = strcmp(groups_sort_names[a], groups_sort_names[b]);
		break;
	case ORDER_TEXT:
		c = strcmp(ka->s, kb->s);
		break;
	case ORDER_RATIO:
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

/* How a column sorts: f is its field, NULL for the name and policy columns. */
static enum groups_order groups_order_of(enum groups_kind k, const struct report_field *f)
{
	return k == GROUPS_COL_NAME ? ORDER_NAME : k == GROUPS_COL_POLICY ? ORDER_TEXT
	       : f->kind == REPORT_FK_RATIO ? ORDER_RATIO : ORDER_EXACT;
}

static void groups_sort(long *idx, size_t n, struct groups_key *keys, const char **names,
                        enum groups_order order, int desc)
{
	groups_sort_keys = keys;
	groups_sort_names = names;
	groups_sort_order = order;
	groups_sort_desc = desc;
	qsort(idx, n, sizeof *idx, groups_cmp);
	groups_n_sorts++;
	groups_sort_keys = NULL;
	groups_sort_names = NULL;
}

unsigned long console_view_groups_sorts(void)
{
	return groups_n_sorts;
}

unsigned long console_view_groups_measures(void)
{
	return groups_n_measures;
}

/* The rows of s that pass vs->filter, in the order of `all` (n of them), into vs->rows: when
 * `grown` (the order stands and the filter only grew from `was`: a row passing "ab" passed
 * "a"), from the rows shown, else from all.  0, or -1 when out of memory. */
static int groups_filter(const struct groups_def *g, const struct console_scen *s, struct console_viewstate *vs,
                         const long *all, size_t n, int grown, const char *was)
{
	const long *from = all;
	size_t n_from = n, kept = 0;
	if (grown && vs->rows && strstr(vs->filter, was)) {
		from = vs->rows;
		n_from = (size_t)vs->n_rows;
	}
	long *idx = malloc((n_from ? n_from : 1) * sizeof *idx);
	if (!idx)
		return -1;
	for (size_t r = 0; r < n_from; r++)
		if (console_view_match(groups_name(g, s, (size_t)from[r]), vs->filter))
			idx[kept++] = from[r];
	free(vs->rows);
	vs->rows = idx;
	vs->n_rows = (long)kept;
	return 0;
}

/* Every row of s in the sort order, into k->all: 0, or -1 when out of memory. */
static int groups_order(const struct groups_def *g, struct console_scen *s, struct groups_cache *k,
                        const struct console_viewstate *vs)
{
	size_t n = groups_count(g, s);
	long *all = realloc(k->all, (n ? n : 1) * sizeof *all);
	struct groups_key *keys = calloc(n ? n : 1, sizeof *keys);
	const char **names = calloc(n ? n : 1, sizeof *names);
	char (*pol)[REPORT_TEXT_MAX * 2] = NULL;
	const struct groups_col *sc = &g->cols[vs->sort_col];
	const struct report_field *f = groups_field(sc);
	if (sc->kind == GROUPS_COL_POLICY)
		pol = calloc(n ? n : 1, sizeof *pol);
	if (all)
		k->all = all;
	if (!all || !keys || !names || (sc->kind == GROUPS_COL_POLICY && !pol)) {
		free(keys);
		free(names);
		free(pol);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		all[i] = (long)i;
		names[i] = groups_name(g, s, i);
		struct groups_key *key = &keys[i];
		if (sc->kind == GROUPS_COL_POLICY) {
			key->s = groups_policy(s, names[i], pol[i], sizeof pol[i]);
		} else if (f) {
			struct derived tmp;
			struct report_value v = report_value(f, &s->res, groups_metrics(g, s, i), groups_derived(g, s, i, &tmp));
			key->null = v.null;
			key->x = v.x;
			key->r = v.ratio;
		}
	}
	groups_sort(all, n, keys, names, groups_order_of(sc->kind, f), vs->sort_desc);
	free(keys);
	free(names);
	free(pol);
	return 0;
}

/* The widths of the columns of the n rows of s: the widest of their texts and the title. */
static void groups_measure(const struct groups_def *g, struct console_scen *s, struct groups_cache *k, size_t n)
{
	const struct report_field *fl[GROUPS_MAX_COLS]; /* each column's field, looked up once */
	struct console_widest wd[GROUPS_MAX_COLS];
	for (size_t i = 0; i < GROUPS_MAX_COLS; i++) {
		k->width[i] = i < g->n_cols ? console_text_width(g->cols[i].title) : 0;
		fl[i] = i < g->n_cols ? groups_field(&g->cols[i]) : NULL;
		if (fl[i])
			console_widest_init(&wd[i], fl[i]->kind);
	}
	groups_n_measures++;
	for (size_t i = 0; i < n; i++) {
		const char *name = groups_name(g, s, i);
		struct derived tmp;
		const struct derived *d = groups_derived(g, s, i, &tmp);
		const struct metrics *m = groups_metrics(g, s, i);
		char buf[REPORT_TEXT_MAX * 2];
		for (size_t col = 0; col < g->n_cols; col++) {
			const struct groups_col *gc = &g->cols[col];
			if (fl[col]) {
				struct report_value v = report_value(fl[col], &s->res, m, d);
				console_widest_add(&wd[col], &v);
				continue;
			}
			int w = console_text_width(gc->kind == GROUPS_COL_NAME ? name : groups_policy(s, name, buf, sizeof buf));
			if (w > k->width[col])
				k->width[col] = w;
		}
	}
	for (size_t col = 0; col < g->n_cols; col++)
		if (fl[col]) {
			int w = console_widest_width(&wd[col]);
			if (w > k->width[col])
				k->width[col] = w;
		}
}

/* Recomputes the row order when the result or the sort changed, the column widths when the
 * result changed, and the rows shown when the filter (or either of those) changed; a key that
 * only moves the cursor does none of it.  The rows shown are the sorted ones that pass the
 * filter, in that order, so a filter alone sorts nothing: typed a character at a time, each
 * one takes the rows the one before it kept (a row passing "ab" passed "a"), a million tenants
 * or not.  The widths are those of every row, so the columns stand still as a filter is typed
 * and as the list scrolls (measured over the rows kept, each character re-measured them). */
static void groups_refresh(struct console *c, const struct groups_def *g, struct console_scen *s)
{
	struct console_viewstate *vs = &c->vs[g->view];
	struct groups_cache *k = &groups_cache[g->view];
	if (vs->sort_col < 0 || vs->sort_col >= (int)g->n_cols)
		vs->sort_col = 0;
	int same_data = k->valid && k->scen_id == s->id && k->data_gen == c->m->data_gen;
	int same_sort = same_data && k->sort_col == vs->sort_col && k->sort_desc == vs->sort_desc;
	int same_filter = same_data && k->filter_gen == c->filter_gen;
	if (same_sort && same_filter)
		return;
	size_t n = groups_count(g, s);
	if ((!same_sort && groups_order(g, s, k, vs) < 0) ||
	    groups_filter(g, s, vs, k->all, n, same_sort, k->filter) < 0) {
		vs->n_rows = 0;
		k->valid = 0;
		return;
	}
	if (!same_data)
		groups_measure(g, s, k, n);
	if (k->scen_id != s->id || k->filter_gen != c->filter_gen)
		vs->list.cur = vs->list.top = 0;
	k->valid = 1;
	k->scen_id = s->id;
	k->data_gen = c->m->data_gen;
	k->filter_gen = c->filter_gen;
	k->sort_col = vs->sort_col;
	k->sort_desc = vs->sort_desc;
	snprintf(k->filter, sizeof k->filter, "%s", vs->filter);
}

static long groups_rows(struct console *c, const struct groups_def *g)
{
	struct console_scen *s = console_selected(c);
	if (!s || !s->has_res)
		return 0;
	groups_refresh(c, g, s);
	return c->vs[g->view].n_rows;
}

/* The rows a table can show under its title line, its list scrolled to keep the
 * cursor in view; 0 after writing "no rows" when nothing passes the filter. */
static int groups_visible_rows(WINDOW *w, struct console_viewstate *vs, int height, int width)
{
	wattrset(w, console_attr(ROLE_NORMAL));
	if (vs->n_rows == 0) {
		console_put(w, 2, 1, vs->filter[0] ? "no row matches the filter (Esc clears it)" : "no rows",
		            width - 2, 0, 0);
		return 0;
	}
	int rows = console_view_list_fit(vs->n_rows, height);
	console_list_fix(&vs->list, vs->n_rows, rows);
	return rows;
}

/* A list's title in its three forms, longest first: HEAD, sorted by X (largest first); HEAD,
 * sorted by X; HEAD alone; and the filter in keep (never cut). */
struct groups_title {
	char form[3][1200];
	const char *forms[3];
	char keep[300];
};

static void groups_title_make(struct groups_title *t, const char *head, const struct console_viewstate *vs,
                              const char *sort_name)
{
	snprintf(t->form[0], sizeof t->form[0], "%s, sorted by %s (%s)", head, sort_name,
	         vs->sort_desc ? (vs->sort_col ? "largest first" : "Z to A")
	                       : (vs->sort_col ? "smallest first" : "A to Z"));
	snprintf(t->form[1], sizeof t->form[1], "%s, sorted by %s", head, sort_name);
	snprintf(t->form[2], sizeof t->form[2], "%s", head);
	for (int i = 0; i < 3; i++)
		t->forms[i] = t->form[i];
	snprintf(t->keep, sizeof t->keep, "%s%s%s", vs->filter[0] ? ", filter \"" : "", vs->filter,
	         vs->filter[0] ? "\"" : "");
}

/* A list whose scenario has no result yet: why. */
static void groups_no_result(WINDOW *w, const struct console_scen *s, int width)
{
	char line[1200];
	wattrset(w, console_attr(s->error ? ROLE_WORSE : ROLE_DIM));
	snprintf(line, sizeof line, "%s%s", s->error ? "" : s->label,
	         s->error ? s->error : ": running; the table appears when the run ends");
	console_put(w, 1, 1, line, width - 2, 0, 0);
	wattrset(w, console_attr(ROLE_NORMAL));
}

static void groups_draw(struct console *c, const struct groups_def *g, const char *const *sort_names,
                     WINDOW *w, int height, int width)
{
	struct console_scen *s = console_selected(c);
	struct console_viewstate *vs = &c->vs[g->view];
	struct groups_cache *k = &groups_cache[g->view];
	char title[1024], a[32], b[32];
	static struct groups_title tt;

	if (!s) {
		console_put(w, 1, 1, "No scenario is open: add one with :scenario add NAME.", width - 2, 0, 0);
		return;
	}
	if (!s->has_res) {
		groups_no_result(w, s, width);
		return;
	}
	groups_refresh(c, g, s);
	size_t total = groups_count(g, s);
	char name[CONSOLE_TITLE_MAX];
	snprintf(title, sizeof title, "%ss of %s: %s of %s", g->what, console_scen_title(c->m, s, name),
	         report_count_text((uint64_t)vs->n_rows, a, sizeof a),
	         report_count_text((uint64_t)total, b, sizeof b));
	groups_title_make(&tt, title, vs, sort_names[vs->sort_col]);

	/* the columns that fit, in table order, 2 blanks apart (1 when that shows more); the
	 * name column may shrink to 12; the sorted column is always among them (in place of the
	 * last ones that fit), and the title says how many are out of sight */
	int colx[GROUPS_MAX_COLS], cols[GROUPS_MAX_COLS], ncol = 0, x = 0, gap = 2;
	int namew = k->width[0] < 12 ? 12 : k->width[0] > GROUPS_NAME_MAX ? GROUPS_NAME_MAX : k->width[0];
	if (namew > width - 2)
		namew = width - 2;
	for (int pass = 0; pass < 2; pass++) {
		int fit2 = 1, sorted_in = vs->sort_col == 0;
		ncol = 0;
		cols[ncol] = 0;
		colx[ncol++] = 0;
		x = namew;
		for (int col = 1; col < (int)g->n_cols; col++) {
			int cw = k->width[col];
			if (x + gap + cw > width) {
				fit2 = 0;
				break;
			}
			sorted_in |= col == vs->sort_col;
			cols[ncol] = col;
			colx[ncol++] = x + gap;
			x += gap + cw;
		}
		if (!sorted_in && vs->sort_col < (int)g->n_cols) {
			int cw = k->width[vs->sort_col];
			while (ncol > 1 && x + gap + cw > width)
				x = colx[--ncol] - gap;
			if (x + gap + cw <= width) {
				cols[ncol] = vs->sort_col;
				colx[ncol++] = x + gap;
			}
		}
		if (fit2 || gap == 1)
			break;
		gap = 1;
	}
	console_put_title(w, tt.forms, 3, tt.keep, (int)g->n_cols - ncol, width);
	/* headings */
	for (int j = 0; j < ncol; j++) {
		int col = cols[j], cw = col == 0 ? namew : k->width[col];
		wattrset(w, console_attr(col == vs->sort_col ? ROLE_SELECTED : ROLE_TITLE));
		console_put(w, 1, colx[j], g->cols[col].title, cw, g->cols[col].kind == GROUPS_COL_FIELD, 1);
	}
	int rows = groups_visible_rows(w, vs, height, width);
	for (int r = 0; r < rows && vs->list.top + r < vs->n_rows; r++) {
		long li = vs->list.top + r;
		size_t i = (size_t)vs->rows[li];
		char buf[REPORT_TEXT_MAX * 2];
		int cursor = li == vs->list.cur;
		wattrset(w, console_attr(cursor ? ROLE_CURSOR : ROLE_NORMAL));
		if (cursor)
			mvwhline(w, 2 + r, 0, ' ', width);
		for (int j = 0; j < ncol; j++) {
			int col = cols[j], cw = col == 0 ? namew : k->width[col];
			const struct groups_col *gc = &g->cols[col];
			groups_text(g, gc, s, i, buf, sizeof buf);
			if (col == 0 && vs->filter[0] && !cursor)
				wattrset(w, console_attr(ROLE_MATCH));
			if (col == 0)
				console_put_name(w, 2 + r, colx[j], buf, cw, 0, 1);
			else
				console_put(w, 2 + r, colx[j], buf, cw, gc->kind == GROUPS_COL_FIELD, 1);
			if (col == 0 && vs->filter[0] && !cursor)
				wattrset(w, console_attr(ROLE_NORMAL));
		}
	}
	console_view_list_more(w, &vs->list, vs->n_rows, 2, rows, width);
	wattrset(w, console_attr(ROLE_NORMAL));
}

/* ---- the Tenants view across the scenarios ---- */

static size_t groups_across_n_scen(const struct console *c)
{
	return c->m->n_scen < GROUPS_MAX_SCEN ? c->m->n_scen : GROUPS_MAX_SCEN;
}

/* The scenario whose tenant list gives the rows: the first with a result, or NULL. */
static struct console_scen *groups_across_src(const struct console *c)
{
	for (size_t k = 0; k < c->m->n_scen; k++)
		if (c->m->scen[k]->has_res)
			return c->m->scen[k];
	return NULL;
}

static const char *groups_tenant(const struct console_scen *s, size_t i)
{
	return groups_name(&groups_tenants, s, i);
}

/* The index in s of src's tenant i (names are sorted bytewise), or -1. */
static long groups_across_index(const struct console_scen *src, const struct console_scen *s, size_t i)
{
	const char *name = groups_tenant(src, i);
	if (s == src)
		return (long)i;
	if (i < s->res.n_tenants && (s->res.tenant_names[i] == src->res.tenant_names[i] ||
	                             strcmp(groups_tenant(s, i), name) == 0))
		return (long)i;
	size_t lo = 0, hi = s->res.n_tenants;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(groups_tenant(s, mid), name);
		if (cmp == 0)
			return (long)mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Scenario s's figure of field f for src's tenant i; *shown 0 when s has none to show. */
static struct report_value groups_across_value(const struct report_field *f, const struct console_scen *src,
                                               const struct console_scen *s, size_t i, int *shown)
{
	struct report_value v = { .kind = f->kind, .null = 1 };
	struct derived tmp;
	long j;
	*shown = 0;
	if (!s->has_res || (j = groups_across_index(src, s, i)) < 0)
		return v;
	*shown = 1;
	return report_value(f, &s->res, &s->res.by_tenant[j], groups_derived(&groups_tenants, s, (size_t)j, &tmp));
}

/* Every tenant of src in the across view's sort order, into groups_across.all: 0, or -1 when
 * out of memory. */
static int groups_across_order(struct console *c, struct console_scen *src, const struct report_field *f)
{
	struct console_viewstate *vs = &c->vs[VIEW_TENANTS];
	size_t n = src->res.n_tenants;
	long *all = realloc(groups_across.all, (n ? n : 1) * sizeof *all);
	struct groups_key *keys = calloc(n ? n : 1, sizeof *keys);
	const char **names = calloc(n ? n : 1, sizeof *names);
	if (all)
		groups_across.all = all;
	if (!all || !keys || !names) {
		free(keys);
		free(names);
		return -1;
	}
	const struct console_scen *sorted = vs->sort_col > 0 ? c->m->scen[vs->sort_col - 1] : NULL;
	for (size_t i = 0; i < n; i++) {
		all[i] = (long)i;
		names[i] = groups_tenant(src, i);
		if (sorted) {
			int shown;
			struct report_value v = groups_across_value(f, src, sorted, i, &shown);
			keys[i].null = v.null;
			keys[i].x = v.x;
			keys[i].r = v.ratio;
		}
	}
	groups_sort(all, n, keys, names, sorted ? groups_order_of(GROUPS_COL_FIELD, f) : ORDER_NAME, vs->sort_desc);
	free(keys);
	free(names);
	return 0;
}

/* The across view's widths over every tenant of src: the names', and each scenario's figures'
 * and deltas'. */
static void groups_across_measure(struct console *c, struct console_scen *src, const struct report_field *f,
                                  size_t ns)
{
	static struct console_widest wd[GROUPS_MAX_SCEN];
	struct console_scen *const *scen = c->m->scen;
	groups_n_measures++;
	groups_across.namew = console_text_width("tenant");
	for (size_t k = 0; k < ns; k++)
		console_widest_init(&wd[k], f->kind);
	for (size_t i = 0; i < src->res.n_tenants; i++) {
		int shown;
		int nw = console_text_width(groups_tenant(src, i));
		if (nw > groups_across.namew)
			groups_across.namew = nw;
		struct report_value ref = groups_across_value(f, src, scen[0], i, &shown);
		for (size_t k = 0; k < ns; k++) {
			struct report_value v = k ? groups_across_value(f, src, scen[k], i, &shown) : ref;
			if (!shown)
				continue;
			console_widest_add(&wd[k], &v);
			if (k)
				console_widest_add_delta(&wd[k], &ref, &v);
		}
	}
	for (size_t k = 0; k < ns; k++) {
		groups_across.vw[k] = console_widest_width(&wd[k]);
		groups_across.dw[k] = console_widest_delta_width(&wd[k]);
	}
}

/* groups_refresh for the Tenants view across the scenarios: the order made again when the
 * results, the metric or the sort change, the widths (every tenant's) when the results or the
 * metric do, and the rows shown taken from the order when the filter changes, as there. */
static void groups_across_refresh(struct console *c)
{
	struct console_viewstate *vs = &c->vs[VIEW_TENANTS];
	struct console_scen *src = groups_across_src(c);
	size_t ns = groups_across_n_scen(c);
	if (!src) {
		vs->n_rows = 0;
		groups_across.valid = 0;
		return;
	}
	if (c->tenants_metric < 0 || c->tenants_metric >= (int)N_ACROSS_METRICS)
		c->tenants_metric = 0;
	if (vs->sort_col < 0 || vs->sort_col > (int)ns)
		vs->sort_col = 0;
	int same_data = groups_across.valid && groups_across.data_gen == c->m->data_gen &&
	                groups_across.src_id == src->id && groups_across.n_scen == ns &&
	                groups_across.metric == c->tenants_metric;
	int same_sort = same_data && groups_across.sort_col == vs->sort_col && groups_across.sort_desc == vs->sort_desc;
	int same_filter = same_data && groups_across.filter_gen == c->filter_gen;
	if (same_sort && same_filter)
		return;
	const struct report_field *f = report_field(groups_across_metrics[c->tenants_metric].field);
	size_t n = src->res.n_tenants;
	if ((!same_sort && groups_across_order(c, src, f) < 0) ||
	    groups_filter(&groups_tenants, src, vs, groups_across.all, n, same_sort, groups_across.filter) < 0) {
		vs->n_rows = 0;
		groups_across.valid = 0;
		return;
	}
	if (!same_data)
		groups_across_measure(c, src, f, ns);
	if (groups_across.filter_gen != c->filter_gen)
		vs->list.cur = vs->list.top = 0;
	groups_across.valid = 1;
	groups_across.data_gen = c->m->data_gen;
	groups_across.filter_gen = c->filter_gen;
	groups_across.src_id = src->id;
	groups_across.n_scen = ns;
	groups_across.metric = c->tenants_metric;
	groups_across.sort_col = vs->sort_col;
	groups_across.sort_desc = vs->sort_desc;
	snprintf(groups_across.filter, sizeof groups_across.filter, "%s", vs->filter);
}

/* Which of the ns scenario columns (colw wide, 2 apart after the tenant's namew) fit in width:
 * the first (the reference), then the others from the leftmost one (*first) that keeps the
 * selected scenario sel in view, and the one sorted by (sorted; 0: the tenant or the reference)
 * always, in place of the last ones that fit (the selected one last of all); when some are left
 * out, 2 columns stay free for the " >" mark.  Their indexes in shown, in order, where they go
 * in colx; returns how many. */
static size_t groups_across_fit(size_t ns, size_t sel, size_t sorted, int namew, int width, const int *colw,
                                int *colx, size_t *shown, size_t *first)
{
	size_t nshown = 0;
	for (int avail = width, pass = 0; pass < 2; pass++, avail = width - 2) {
		*first = 1;
		while (*first < sel) {
			int x = namew + 2 + colw[0];
			size_t k = *first;
			for (; k < ns && x + 2 + colw[k] <= avail; k++)
				x += 2 + colw[k];
			if (sel < k)
				break;
			(*first)++;
		}
		int x = namew, sorted_in = sorted == 0;
		nshown = 0;
		for (size_t k = 0; k < ns; k++) {
			if (k != 0 && k < *first)
				continue;
			if (x + 2 + colw[k] > avail)
				break;
			shown[nshown++] = k;
			sorted_in |= k == sorted;
			x += 2 + colw[k];
		}
		if (!sorted_in && sorted < ns) {
			while (nshown > 1 && x + 2 + colw[sorted] > avail) {
				size_t drop = nshown - 1; /* the last one shown but the selected one, else it */
				while (drop > 1 && shown[drop] == sel)
					drop--;
				if (shown[drop] == sel)
					drop = nshown - 1;
				x -= 2 + colw[shown[drop]];
				memmove(&shown[drop], &shown[drop + 1], (nshown - drop - 1) * sizeof *shown);
				nshown--;
			}
			if (x + 2 + colw[sorted] <= avail) {
				size_t at = nshown;
				while (at > 1 && shown[at - 1] > sorted)
					at--;
				memmove(&shown[at + 1], &shown[at], (nshown - at) * sizeof *shown);
				shown[at] = sorted;
				nshown++;
			}
		}
		x = namew;
		for (size_t j = 0; j < nshown; j++) {
			colx[j] = x + 2;
			x += 2 + colw[shown[j]];
		}
		if (nshown == ns || width - 2 <= namew)
			break;
	}
	return nshown;
}

/* console_scen_fit's test for Tenants across: the columns groups_across_fit shows at its first
 * call, then whether it shows as many from the same first one. */
struct groups_across_same_ctx {
	size_t ns, sel, sorted;
	int namew, width;
	int noted;
	size_t nshown, first;
};

static int groups_across_same(void *ctx, const int *colw)
{
	struct groups_across_same_ctx *f = ctx;
	int colx[GROUPS_MAX_SCEN];
	size_t shown[GROUPS_MAX_SCEN], first;
	size_t nshown = groups_across_fit(f->ns, f->sel, f->sorted, f->namew, f->width, colw, colx, shown, &first);
	if (f->noted)
		return nshown == f->nshown && first == f->first;
	f->nshown = nshown;
	f->first = first;
	f->noted = 1;
	return 1;
}

static void groups_across_draw(struct console *c, WINDOW *w, int height, int width)
{
	struct console_model *m = c->m;
	struct console_viewstate *vs = &c->vs[VIEW_TENANTS];
	size_t ns = groups_across_n_scen(c);
	char title[1024], sortname[300], a[32], b[32];
	int colw[GROUPS_MAX_SCEN];

	if (ns == 0) {
		console_put(w, 1, 1, "No scenario is open: add one with :scenario add NAME.", width - 2, 0, 0);
		return;
	}
	struct console_scen *src = groups_across_src(c), *ref = m->scen[0];
	if (!src) {
		groups_no_result(w, m->scen[0], width);
		return;
	}
	groups_across_refresh(c);
	const struct groups_metric *gm = &groups_across_metrics[c->tenants_metric];
	const struct report_field *f = report_field(gm->field);

	int namew = groups_across.namew < 12 ? 12 : groups_across.namew > GROUPS_NAME_MAX ? GROUPS_NAME_MAX : groups_across.namew;
	if (namew > width / 3 && width / 3 >= 12)
		namew = width / 3;
	/* widths: a scenario's column holds its name, or its figures and their deltas; a name too
	 * wide for the room (less the " >" mark's 2 when a column may be left out) loses its middle */
	int need[GROUPS_MAX_SCEN], nw[GROUPS_MAX_SCEN];
	for (size_t k = 0; k < ns; k++) {
		struct console_scen *s = m->scen[k];
		char t[CONSOLE_TITLE_MAX];
		need[k] = groups_across.vw[k] + (k && groups_across.dw[k] ? 2 + groups_across.dw[k] : 0);
		nw[k] = console_text_width(console_scen_title(m, s, t));
		if (!s->has_res && need[k] < 7)
			need[k] = 7; /* "running" */
	}
	int room = (ns > 2 ? width - 2 : width) - namew - 2;

	/* which columns fit: as many as their figures let, the names cut only as far as they would
	 * keep one of those out of view (console_scen_fit) */
	int colx[GROUPS_MAX_SCEN];
	size_t shown[GROUPS_MAX_SCEN], first, nshown;
	size_t sorted = vs->sort_col > 0 ? (size_t)vs->sort_col - 1 : 0;
	struct groups_across_same_ctx fit = { .ns = ns, .sel = c->sel, .sorted = sorted, .namew = namew,
	                                      .width = width };
	console_scen_fit(need, nw, ns, room, 2, groups_across_same, &fit, colw);
	nshown = groups_across_fit(ns, c->sel, sorted, namew, width, colw, colx, shown, &first);
	/* "<": columns left of the first one after the reference; " >": one out of sight from it on */
	int more_left = first > 1, more_right = (size_t)nshown < ns - (first - 1);

	/* the title */
	char t[CONSOLE_TITLE_MAX];
	if (vs->sort_col == 0)
		snprintf(sortname, sizeof sortname, "tenant");
	else
		console_copy(sortname, sizeof sortname, console_scen_title(m, m->scen[vs->sort_col - 1], t));
	snprintf(title, sizeof title, "tenants across %zu scenario%s: %s; %s of %s", ns,
	         ns == 1 ? "" : "s", gm->name, report_count_text((uint64_t)vs->n_rows, a, sizeof a),
	         report_count_text((uint64_t)src->res.n_tenants, b, sizeof b));
	static struct groups_title tt;
	groups_title_make(&tt, title, vs, sortname);
	console_put_title(w, tt.forms, 3, tt.keep, (int)(ns - nshown), width);

	/* headings: the sort column marked; h/l shows the scenarios left out */
	wattrset(w, console_attr(vs->sort_col == 0 ? ROLE_SELECTED : ROLE_TITLE));
	int nx = console_put(w, 1, 0, "tenant", namew, 0, 0);
	wattrset(w, console_attr(ROLE_TITLE));
	if (more_left)
		console_put(w, 1, nx, " <", namew - nx, 0, 0);
	/* the titles cut apart: two names never read the same ("flood guard (fg2)", "… (fg2-2)") */
	static char titles[GROUPS_MAX_SCEN][CONSOLE_TITLE_MAX];
	const char *names[GROUPS_MAX_SCEN];
	int widths[GROUPS_MAX_SCEN];
	char *cuts[GROUPS_MAX_SCEN];
	for (size_t j = 0; j < nshown; j++) {
		console_copy(titles[j], sizeof titles[j], console_scen_title(m, m->scen[shown[j]], t));
		names[j] = titles[j];
		widths[j] = colw[shown[j]];
	}
	console_cut_apart(names, widths, nshown, cuts);
	for (size_t j = 0; j < nshown; j++) {
		size_t k = shown[j];
		wattrset(w, console_attr(vs->sort_col == (int)k + 1 ? ROLE_SELECTED : ROLE_TITLE));
		console_put(w, 1, colx[j], cuts[j] ? cuts[j] : names[j], colw[k], 1, 1);
		free(cuts[j]);
	}
	wattrset(w, console_attr(ROLE_TITLE));
	if (more_right && width >= 2)
		console_put(w, 1, width - 2, " >", 2, 0, 0);
	int rows = groups_visible_rows(w, vs, height, width);
	for (int r = 0; r < rows && vs->list.top + r < vs->n_rows; r++) {
		long li = vs->list.top + r;
		size_t i = (size_t)vs->rows[li];
		int cursor = li == vs->list.cur, y = 2 + r, ok;
		char buf[REPORT_TEXT_MAX], dl[REPORT_TEXT_MAX];
		attr_t base = console_attr(cursor ? ROLE_CURSOR : ROLE_NORMAL);
		wattrset(w, base);
		if (cursor)
			mvwhline(w, y, 0, ' ', width);
		if (vs->filter[0] && !cursor)
			wattrset(w, console_attr(ROLE_MATCH));
		console_put_name(w, y, 0, groups_tenant(src, i), namew, 0, 1);
		wattrset(w, base);
		struct report_value rv = groups_across_value(f, src, ref, i, &ok);
		for (size_t j = 0; j < nshown; j++) {
			size_t k = shown[j];
			struct console_scen *s = m->scen[k];
			int cw = colw[k], dw = k ? groups_across.dw[k] : 0, sign, shown_v;
			if (!s->has_res) {
				if (!cursor)
					wattrset(w, console_attr(s->error ? ROLE_WORSE : ROLE_DIM));
				console_put(w, y, colx[j], s->error ? "error" : s->busy ? "running" : "-", cw, 1, 1);
				wattrset(w, base);
				continue;
			}
			struct report_value v = groups_across_value(f, src, s, i, &shown_v);
			console_put(w, y, colx[j], shown_v ? report_human_text(&v, buf, sizeof buf) : "",
			            dw ? cw - dw - 2 : cw, 1, 1);
			if (!dw)
				continue;
			report_delta_text(&rv, &v, dl, sizeof dl, &sign);
			if (!shown_v || !ok)
				dl[0] = 0;
			int good = sign * gm->better;
			if (!cursor)
				wattrset(w, console_attr(good > 0 ? ROLE_BETTER : good < 0 ? ROLE_WORSE : ROLE_DIM));
			console_put(w, y, colx[j] + cw - dw, dl, dw, 1, 1);
			wattrset(w, base);
		}
	}
	console_view_list_more(w, &vs->list, vs->n_rows, 2, rows, width);
	wattrset(w, console_attr(ROLE_NORMAL));
}

/* The tenant under the cursor, if the rows are current, or NULL. */
static const char *groups_tenant_at_cursor(struct console *c)
{
	struct console_viewstate *vs = &c->vs[VIEW_TENANTS];
	long cur = vs->list.cur;
	if (cur < 0 || cur >= vs->n_rows || !vs->rows)
		return NULL;
	size_t i = (size_t)vs->rows[cur];
	if (c->tenants_across) {
		struct console_scen *src = groups_across_src(c);
		if (!src || !groups_across.valid || groups_across.src_id != src->id ||
		    groups_across.data_gen != c->m->data_gen || i >= src->res.n_tenants)
			return NULL;
		return groups_tenant(src, i);
	}
	struct console_scen *s = console_selected(c);
	struct groups_cache *k = &groups_cache[VIEW_TENANTS];
	if (!s || !s->has_res || !k->valid || k->scen_id != s->id || k->data_gen != c->m->data_gen ||
	    i >= s->res.n_tenants)
		return NULL;
	return groups_tenant(s, i);
}

static long groups_rows_tenants(struct console *c);

/* Puts the cursor back on `name` (copied by the caller) once the rows are recomputed. */
static void groups_follow(struct console *c, const char *name)
{
	struct console_viewstate *vs = &c->vs[VIEW_TENANTS];
	long n = groups_rows_tenants(c);
	if (!name)
		return;
	for (long r = 0; r < n; r++) {
		size_t i = (size_t)vs->rows[r];
		const char *t;
		if (c->tenants_across) {
			struct console_scen *src = groups_across_src(c);
			t = src ? groups_tenant(src, i) : "";
		} else {
			t = groups_tenant(console_selected(c), i);
		}
		if (strcmp(t, name) == 0) {
			vs->list.cur = r;
			return;
		}
	}
}

void console_view_tenants_mode(struct console *c, int arg)
{
	struct console_viewstate *vs = &c->vs[VIEW_TENANTS];
	const char *at = groups_tenant_at_cursor(c);
	char name[512];
	int col = vs->sort_col, desc = vs->sort_desc;
	(void)arg;
	snprintf(name, sizeof name, "%s", at ? at : "");
	vs->sort_col = c->tenants_other_sort_col;
	vs->sort_desc = c->tenants_other_sort_desc;
	c->tenants_other_sort_col = col;
	c->tenants_other_sort_desc = desc;
	c->tenants_across = !c->tenants_across;
	groups_cache[VIEW_TENANTS].valid = 0;  /* the rows now index another list */
	groups_across.valid = 0;
	groups_follow(c, at ? name : NULL);
	if (c->tenants_across)
		console_message(c, 0, "tenants across the scenarios: %s (M: the next metric, m: back)",
		                groups_across_metrics[c->tenants_metric].name);
	else
		console_message(c, 0, "tenants: every metric of the selected scenario (m: one metric across)");
	c->dirty_body = 1;
}

void console_view_tenants_metric(struct console *c, int arg)
{
	if (!c->tenants_across) {
		console_view_tenants_mode(c, 0);
		return;
	}
	const char *at = groups_tenant_at_cursor(c);
	char name[512];
	snprintf(name, sizeof name, "%s", at ? at : "");
	int n = (int)N_ACROSS_METRICS;
	c->tenants_metric = ((c->tenants_metric + (arg < 0 ? -1 : 1)) % n + n) % n;
	groups_follow(c, at ? name : NULL);
	console_message(c, 0, "tenants across the scenarios: %s", groups_across_metrics[c->tenants_metric].name);
	c->dirty_body = 1;
}

static void groups_draw_tenants(struct console *c, WINDOW *w, int height, int width)
{
	if (c->tenants_across)
		groups_across_draw(c, w, height, width);
	else
		groups_draw(c, &groups_tenants, groups_tenant_sort, w, height, width);
}

static void groups_draw_tasks(struct console *c, WINDOW *w, int height, int width)
{
	groups_draw(c, &groups_tasks, groups_task_sort, w, height, width);
}

static long groups_rows_tenants(struct console *c)
{
	if (c->tenants_across) {
		groups_across_refresh(c);
		return c->vs[VIEW_TENANTS].n_rows;
	}
	return groups_rows(c, &groups_tenants);
}

static long groups_rows_tasks(struct console *c)
{
	return groups_rows(c, &groups_tasks);
}

static int groups_sort_count_tenants(struct console *c)
{
	return c->tenants_across ? 1 + (int)groups_across_n_scen(c) : (int)N_TENANT_COLS;
}

static const char *groups_sort_name_tenants(struct console *c, int col)
{
	static char buf[600];
	if (!c->tenants_across)
		return col >= 0 && col < (int)N_TENANT_COLS ? groups_tenant_sort[col] : "";
	if (col <= 0 || col > (int)groups_across_n_scen(c))
		return "tenant";
	int metric = c->tenants_metric >= 0 && c->tenants_metric < (int)N_ACROSS_METRICS ? c->tenants_metric : 0;
	char t[CONSOLE_TITLE_MAX];
	snprintf(buf, sizeof buf, "%s (%s)", console_scen_title(c->m, c->m->scen[col - 1], t),
	         groups_across_metrics[metric].name);
	return buf;
}

const struct console_view_ops console_view_tenants = {
	.name = "Tenants",
	.draw = groups_draw_tenants,
	.n_rows = groups_rows_tenants,
	.sort_count = groups_sort_count_tenants,
	.sort_name = groups_sort_name_tenants,
};

const struct console_view_ops console_view_budget = {
	.name = "Budget",
	.draw = groups_draw_tasks,
	.n_rows = groups_rows_tasks,
	.n_sort = (int)N_TASK_COLS,
	.sort_names = groups_task_sort,
};
