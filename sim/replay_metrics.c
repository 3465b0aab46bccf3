/*
 * The accounting of a replay (SPEC §5): the event loop reports arrivals, calls,
 * fallbacks and request ends in time order, and this file keeps the counters of
 * the totals, each tenant and each task, the per-model usage, the timeline, the
 * hour-window spend peaks and the logs the rate gate and the alerts read.
 */
#include "sim/replay_internal.h"

#include "sim/clock.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int acct_init(struct acct *a, const struct replay_trace *rt, const struct scenario *sc,
              struct result_scenario *r, struct err *e)
{
	const struct trace *t = rt->t;
	memset(a, 0, sizeof *a);
	a->rt = rt;
	a->sc = sc;
	a->e = e;
	a->pricing = sc->pricing;
	a->r = r;
	ring_init(&a->hour, sizeof(struct window_call));
	ring_init(&a->gate_calls, sizeof(int64_t));
	ring_init(&a->gate_fbs, sizeof(int64_t));
	a->gate_on = sc->fallback.on && sc->fallback.has_max_rate;
	int64_t fw = sc->alerts.fallback_flood_window_us, cw = sc->alerts.cost_guard_window_us;
	step_series_init(&a->spend, 0);
	step_series_init(&a->spend_w, -cw);
	step_series_init(&a->spend_wb, -cw - sc->alerts.cost_guard_baseline_us);
	step_series_init(&a->calls, 0);
	step_series_init(&a->calls_w, -fw);
	step_series_init(&a->fbs, 0);
	step_series_init(&a->fbs_w, -fw);
	a->spend_w_of = a->spend_w.phase == a->spend.phase ? &a->spend : &a->spend_w;
	a->spend_wb_of = a->spend_wb.phase == a->spend.phase ? &a->spend : &a->spend_wb;
	a->calls_w_of = a->calls_w.phase == a->calls.phase ? &a->calls : &a->calls_w;
	a->fbs_w_of = a->fbs_w.phase == a->fbs.phase ? &a->fbs : &a->fbs_w;
	size_t nm = sc->pricing->n_models ? sc->pricing->n_models : 1;
	r->by_tenant = calloc(rt->n_tenants + 1, sizeof *r->by_tenant);
	r->by_task = calloc(rt->n_tasks + 1, sizeof *r->by_task);
	a->win_tenant = calloc(rt->n_tenants + 1, sizeof *a->win_tenant);
	a->win_task = calloc(rt->n_tasks + 1, sizeof *a->win_task);
	a->latency = malloc(((size_t)t->n_req + 1) * sizeof *a->latency);
	a->by_model = calloc(nm, sizeof *a->by_model);
	a->large = calloc(nm, 1);
	if (!r->by_tenant || !r->by_task || !a->win_tenant || !a->win_task || !a->latency ||
	    !a->by_model || !a->large ||
	    latency_bins_init(&a->task_bins, rt->n_tasks) < 0)
		return err_set(e, "out of memory");
	for (size_t m = 0; m < sc->pricing->n_models; m++) {
		a->by_model[m].model = sc->pricing->models[m].name;
		a->large[m] = sc->pricing->models[m].tier == TIER_LARGE;
	}
	memset(a->latency, 0xff, (size_t)t->n_req * sizeof *a->latency); /* LATENCY_NONE */
	r->n_tenants = rt->n_tenants;
	r->n_tasks = rt->n_tasks;

	/* the timeline's bucket: the smallest of 60 s, 5 min, 1 h, 1 day giving ≤ 2000 buckets */
	static const int64_t sizes[] = { 60, 300, 3600, 86400 };
	struct timeline *tl = &r->timeline;
	for (size_t k = 0; k < 4; k++) {
		tl->bucket_s = sizes[k];
		int64_t b = sizes[k] * CLOCK_US;
		if (clock_floor_div(rt->last_us, b) - clock_floor_div(rt->first_us, b) + 1 <= 2000)
			break;
	}
	int64_t b = tl->bucket_s * CLOCK_US;
	tl->t0_us = clock_floor_div(rt->first_us, b) * b;
	tl->n_buckets = t->n_req ? (size_t)(clock_floor_div(rt->last_us, b) - clock_floor_div(rt->first_us, b) + 1) : 0;
	if (tl->n_buckets > TIMELINE_MAX_BUCKETS) {
		char first[CLOCK_TEXT_MAX], last[CLOCK_TEXT_MAX];
		return err_set(e, "the trace's arrivals span %s to %s, more than the timeline's %d days",
		               clock_format(rt->first_us, first), clock_format(rt->last_us, last),
		               TIMELINE_MAX_BUCKETS);
	}
	for (int s = 0; s < N_TL_COUNTS; s++)
		if (!(tl->count[s] = calloc(tl->n_buckets + 1, sizeof *tl->count[s])))
			return err_set(e, "out of memory");
	if (!(tl->usd = calloc(tl->n_buckets + 1, sizeof *tl->usd)) ||
	    !(tl->retry_usd = calloc(tl->n_buckets + 1, sizeof *tl->retry_usd)))
		return err_set(e, "out of memory");
	a->last_event_us = rt->last_us;
	return 0;
}

void acct_fini(struct acct *a)
{
	ring_fini(&a->hour);
	ring_fini(&a->gate_calls);
	ring_fini(&a->gate_fbs);
	struct step_series *series[] = { &a->spend, &a->spend_w, &a->spend_wb, &a->calls, &a->calls_w,
	                                 &a->fbs, &a->fbs_w };
	for (size_t k = 0; k < sizeof series / sizeof *series; k++)
		step_series_fini(series[k]);
	free(a->win_tenant);
	free(a->win_task);
	free(a->latency);
	free(a->aside);
	free(a->by_model);
	free(a->large);
	latency_bins_fini(&a->task_bins);
	memset(a, 0, sizeof *a);
}

/* A log or the timeline could not grow: says so, returns -1. */
static int out_of_memory(struct acct *a)
{
	return err_set(a->e, "out of memory");
}

/* Adds the counts of the bucket in use to the timeline's arrays. */
static void bucket_flush(struct acct *a)
{
	struct timeline *tl = &a->r->timeline;
	if (a->bucket_from == a->bucket_to)
		return; /* none in use yet */
	for (int s = 0; s < N_TL_COUNTS; s++)
		tl->count[s][a->bucket_k] += a->now.count[s];
	tl->usd[a->bucket_k] += a->now.usd;
	tl->retry_usd[a->bucket_k] += a->now.retry_usd;
	memset(&a->now, 0, sizeof a->now);
}

int acct_past_timeline(const struct acct *a, int64_t t)
{
	const struct timeline *tl = &a->r->timeline;
	return clock_floor_div(t - tl->t0_us, tl->bucket_s * CLOCK_US) >= TIMELINE_MAX_BUCKETS;
}

/* What can put a simulated call that late, of what the scenario uses: "shorten the waits before
 * it: retry.backoff_ms, batch.interval_s, batch.latency_s, or calls' latencies, which
 * retry.timeout_ms caps" (a retry waits its backoff, a batch item its flush and the batch's
 * answers, a retry or fallback the end of the call before it). */
static const char *late_keys(const struct scenario *sc, char *buf, size_t n)
{
	int backoff = sc->retry.max_attempts > 1, batch = sc->batch.on;
	snprintf(buf, n, "shorten the waits before it: %s%s%scalls' latencies, which retry.timeout_ms %s",
	         backoff ? "retry.backoff_ms, " : "", batch ? "batch.interval_s, batch.latency_s, " : "",
	         backoff || batch ? "or " : "", sc->retry.timeout_us > 0 ? "caps" : "(null) does not cap");
	return buf;
}

long acct_bucket_find(struct acct *a, int64_t t)
{
	struct timeline *tl = &a->r->timeline;
	int64_t b = tl->bucket_s * CLOCK_US;
	int64_t k = clock_floor_div(t - tl->t0_us, b);
	if (k < 0)
		return -1;
	if (k >= TIMELINE_MAX_BUCKETS) {
		/* a recorded call's replay_recorded names its attempt instead */
		char when[CLOCK_TEXT_MAX], keys[200];
		err_set(a->e, "a call or fallback at %s lies past the timeline's %d buckets of %lld s "
		        "from the first arrival; %s", clock_format(t, when), TIMELINE_MAX_BUCKETS,
		        (long long)tl->bucket_s, a->sc->mode == SCENARIO_MODE_RECORDED
		        ? "a recorded attempt's ts or latency_ms puts it there"
		        : late_keys(a->sc, keys, sizeof keys));
		return -2;
	}
	if ((size_t)k >= tl->n_buckets) {
		size_t n = (size_t)k + 1;
		for (int s = 0; s < N_TL_COUNTS; s++) {
			uint64_t *p = realloc(tl->count[s], (n + 1) * sizeof *p);
			if (!p)
				return out_of_memory(a) - 1;
			memset(p + tl->n_buckets, 0, (n + 1 - tl->n_buckets) * sizeof *p);
			tl->count[s] = p;
		}
		money_sum *u = realloc(tl->usd, (n + 1) * sizeof *u), *ru;
		if (!u)
			return out_of_memory(a) - 1;
		tl->usd = u;
		if (!(ru = realloc(tl->retry_usd, (n + 1) * sizeof *ru)))
			return out_of_memory(a) - 1;
		tl->retry_usd = ru;
		memset(tl->usd + tl->n_buckets, 0, (n + 1 - tl->n_buckets) * sizeof *u);
		memset(tl->retry_usd + tl->n_buckets, 0, (n + 1 - tl->n_buckets) * sizeof *ru);
		tl->n_buckets = n;
	}
	bucket_flush(a);
	a->bucket_from = tl->t0_us + k * b;
	a->bucket_to = a->bucket_from + b;
	a->bucket_k = (long)k;
	return (long)k;
}

/* Adds usd to the hour window's sums of call w's groups (a negative usd as it leaves). */
static inline void window_add(struct acct *a, const struct window_call *w, money_sum usd)
{
	a->win_total += usd;
	a->win_tenant[w->tenant] += usd;
	a->win_task[w->task] += usd;
}

/* Drops the calls that began at or before t − 1 h from the hour window. */
static inline void slide(struct acct *a, int64_t t)
{
	const struct window_call *v = (const struct window_call *)a->hour.v;
	size_t head = a->hour.head, n = a->hour.n, mask = a->hour.cap - 1;
	if (n) { /* most calls drop one or none: without a branch */
		size_t out = v[head].start_us <= t - HOUR_US;
		window_add(a, &v[head], -(money_sum)(v[head].pusd & -(int64_t)out));
		n -= out;
		head = (head + out) & mask;
	}
	for (; n && v[head].start_us <= t - HOUR_US; n--, head = (head + 1) & mask)
		window_add(a, &v[head], -(money_sum)v[head].pusd);
	a->hour.head = head;
	a->hour.n = n;
}

money_sum acct_spend_last_hour(struct acct *a, int64_t t)
{
	slide(a, t);
	return a->win_total;
}

/* Adds v at t to a shifted series `own` when it is kept (of: the series it reads). */
static int add_shifted(struct step_series *of, struct step_series *own, int64_t t, money_sum v)
{
	return of == own ? step_series_add(own, t, v) : 0;
}

/* Appends time t to a ring of times; -1 when out of memory. */
static int log_time(struct ring *r, int64_t t)
{
	int64_t *p = ring_push(r);
	if (!p)
		return -1;
	*p = t;
	return 0;
}

int acct_call(struct acct *a, const struct call_record *c)
{
	uint32_t tn = c->grp.tenant, tk = c->grp.task;
	int64_t t = c->start_us, pusd = c->pusd;
	uint64_t large = a->large[c->model], first = c->first_call != 0;
	long k = acct_bucket(a, t);
	if (k == -2)
		return -1;
	acct_seen(a, t);
	struct metrics *mt = &a->r->by_tenant[tn], *mk = &a->r->by_task[tk];
#define BOTH(field, v) do { mt->field += (v); mk->field += (v); } while (0)
	BOTH(calls, 1);
	BOTH(calls_large, large);
	BOTH(input_tokens, c->input_tok);
	BOTH(output_tokens, c->output_tok);
	BOTH(cached_input_tokens, c->cached_tok);
	BOTH(usd_total, pusd);
	BOTH(requests_with_call, first);
	if (c->retry) {
		BOTH(retries, 1);
		BOTH(retry_tokens, c->input_tok + c->output_tok);
		BOTH(retry_usd, pusd);
		if (k >= 0) {
			a->now.count[TL_RETRIES]++;
			a->now.retry_usd += pusd;
		}
	}
#undef BOTH
	struct model_usage *mu = &a->by_model[c->model];
	mu->calls++;
	mu->input_tokens += c->input_tok;
	mu->output_tokens += c->output_tok;
	mu->usd += pusd;
	if (k >= 0) {
		a->now.count[TL_CALLS]++;
		a->now.count[TL_CALLS_LARGE] += large;
		a->now.count[TL_FIRST_CALLS] += first;
		a->now.usd += pusd;
	}
	if (t < a->rt->first_us)
		a->spend_before_first += pusd;
	if (step_series_add(&a->spend, t, pusd) < 0 || add_shifted(a->spend_w_of, &a->spend_w, t, pusd) < 0 ||
	    add_shifted(a->spend_wb_of, &a->spend_wb, t, pusd) < 0)
		return out_of_memory(a);
	if (first && (step_series_add(&a->calls, t, 1) < 0 || add_shifted(a->calls_w_of, &a->calls_w, t, 1) < 0 ||
	              (a->gate_on && log_time(&a->gate_calls, t) < 0)))
		return out_of_memory(a);
	/* the hour window and its peaks */
	slide(a, t);
	struct window_call *w = ring_push(&a->hour);
	if (!w)
		return out_of_memory(a);
	*w = (struct window_call){ t, pusd, tn, tk };
	window_add(a, w, pusd);
	if (a->win_total > a->r->totals.usd_per_hour_peak)
		a->r->totals.usd_per_hour_peak = a->win_total;
	if (a->win_tenant[tn] > mt->usd_per_hour_peak)
		mt->usd_per_hour_peak = a->win_tenant[tn];
	if (a->win_task[tk] > mk->usd_per_hour_peak)
		mk->usd_per_hour_peak = a->win_task[tk];
	return 0;
}

int acct_fallback(struct acct *a, struct group_ids grp, int64_t t, int first)
{
	long k = acct_bucket(a, t);
	if (k == -2)
		return -1;
	acct_seen(a, t);
	ACCT_ADD(a, grp, fallbacks, 1);
	if (first) {
		ACCT_ADD(a, grp, requests_with_fallback, 1);
		if (step_series_add(&a->fbs, t, 1) < 0 || add_shifted(a->fbs_w_of, &a->fbs_w, t, 1) < 0 ||
		    (a->gate_on && log_time(&a->gate_fbs, t) < 0))
			return out_of_memory(a);
	}
	if (k >= 0) {
		a->now.count[TL_FALLBACKS]++;
		a->now.count[TL_FIRST_FALLBACKS] += first != 0;
	}
	return 0;
}

void acct_latency_aside(struct acct *a, uint32_t i, int64_t us)
{
	if (a->n_aside == a->cap_aside) {
		size_t cap = a->cap_aside ? 2 * a->cap_aside : 64;
		struct latency_aside *p = realloc(a->aside, cap * sizeof *p);
		if (!p) {
			a->failed = 1;
			return;
		}
		a->aside = p;
		a->cap_aside = cap;
	}
	a->aside[a->n_aside++] = (struct latency_aside){ i, us };
	a->latency[i] = LATENCY_ASIDE;
}

/* Drops the times at or before t − window from a ring; returns how many are left. */
static uint64_t in_window(struct ring *r, int64_t t, int64_t window_us)
{
	while (r->n && *(const int64_t *)ring_at(r, 0) <= t - window_us)
		ring_pop(r);
	return r->n;
}

void acct_gate_counts(struct acct *a, int64_t t, int64_t window_us, uint64_t *first_calls,
                      uint64_t *first_fallbacks)
{
	*first_calls = in_window(&a->gate_calls, t, window_us);
	*first_fallbacks = in_window(&a->gate_fbs, t, window_us);
}

/* ---- finishing: sorted groups (the percentiles are sim/replay_percentiles.c) ---- */

struct named {
	const char *name;
	uint32_t k;
};

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct named *)x)->name, ((const struct named *)y)->name);
}

/* Reorders a group array by name (bytewise). */
static int sort_groups(struct metrics **m, const char ***names_out, const char **names, uint32_t n)
{
	struct named *perm = malloc(((size_t)n + 1) * sizeof *perm);
	struct metrics *sorted = malloc(((size_t)n + 1) * sizeof *sorted);
	const char **sn = malloc(((size_t)n + 1) * sizeof *sn);
	if (!perm || !sorted || !sn) {
		free(perm);
		free(sorted);
		free(sn);
		return -1;
	}
	for (uint32_t k = 0; k < n; k++)
		perm[k] = (struct named){ names[k], k };
	qsort(perm, n, sizeof *perm, by_name);
	for (uint32_t k = 0; k < n; k++) {
		sorted[k] = (*m)[perm[k].k];
		sn[k] = perm[k].name;
	}
	free(*m);
	*m = sorted;
	*names_out = sn;
	free(perm);
	return 0;
}

/* A guard: a field added to struct metrics must be added below when it is a sum. */
_Static_assert(sizeof(struct metrics) == 320, "struct metrics changed: update totals_from_tasks()");

/* The totals as the sum of the task groups (each request has one task), but for the hour
 * peak and the latencies, which the run measures on the totals themselves. */
static void totals_from_tasks(struct acct *a)
{
	struct metrics *t = &a->r->totals;
	for (uint32_t k = 0; k < a->r->n_tasks; k++) {
		const struct metrics *m = &a->r->by_task[k];
#define SUM(f) t->f += m->f;
		SUM(requests) SUM(resolved) SUM(failed) SUM(degraded) SUM(rejected) SUM(cache_hits)
		SUM(cache_tokens_saved) SUM(cache_usd_saved) SUM(calls) SUM(calls_large) SUM(input_tokens)
		SUM(output_tokens) SUM(cached_input_tokens) SUM(retries) SUM(retry_tokens) SUM(retry_usd)
		SUM(fallbacks) SUM(requests_with_fallback) SUM(requests_with_call) SUM(fallbacks_denied)
		SUM(breaker_rejections) SUM(budget_violations) SUM(truncated) SUM(summarized) SUM(async)
		SUM(batched) SUM(output_capped) SUM(usd_total) SUM(billed_usd)
#undef SUM
	}
}

/*
 * billed_usd exactly (SPEC §10: exact, then rounded half to even): each group's sum of pico-USD
 * plus the digits past them of its lines' cost_usd (trace cost_sub), rounded once; and whether
 * the scenario's billed cost is more than 0.5% off its priced cost.  -1 when out of memory.
 */
static int billed_exact(struct acct *a)
{
	const struct replay_trace *rt = a->rt;
	const struct trace *t = rt->t;
	struct result_scenario *r = a->r;
	money_sum *sub = calloc((size_t)rt->n_tenants + rt->n_tasks + 1, sizeof *sub), total = 0;
	if (!sub)
		return -1;
	for (uint32_t k = 0; k < t->n_cost_sub; k++) { /* (cost_subs is NULL when there is none) */
		const struct trace_cost_sub *c = &t->cost_subs[k];
		struct group_ids grp = replay_groups(rt, c->req);
		sub[grp.tenant] += c->sub;
		sub[rt->n_tenants + grp.task] += c->sub;
		total += c->sub;
	}
	for (uint32_t x = 0; x < rt->n_tenants; x++)
		r->by_tenant[x].billed_usd = money_round_sub(r->by_tenant[x].billed_usd, sub[x]);
	for (uint32_t x = 0; x < rt->n_tasks; x++)
		r->by_task[x].billed_usd = money_round_sub(r->by_task[x].billed_usd, sub[rt->n_tenants + x]);
	r->billed_off = money_off_half_percent(r->totals.billed_usd, total, r->billed_priced_usd);
	r->totals.billed_usd = money_round_sub(r->totals.billed_usd, total);
	free(sub);
	return 0;
}

int acct_finish(struct acct *a)
{
	struct err *e = a->e;
	struct result_scenario *r = a->r;
	const struct replay_trace *rt = a->rt;
	bucket_flush(a);
	totals_from_tasks(a); /* before billed_exact: the totals' billed_usd is rounded once too */
	if (r->recorded && r->has_billed && billed_exact(a) < 0)
		return err_set(e, "out of memory");
	if (a->failed || acct_percentiles(a) < 0)
		return err_set(e, "out of memory");
	if (alerts_evaluate(a) < 0)
		return -1;
	if (sort_groups(&r->by_tenant, &r->tenant_names, rt->tenant_names, rt->n_tenants) < 0 ||
	    sort_groups(&r->by_task, &r->task_names, rt->task_names, rt->n_tasks) < 0)
		return err_set(e, "out of memory");
	/* by_model: models with at least one call, by name */
	size_t nm = a->pricing->n_models, n = 0;
	r->by_model = calloc(nm + 1, sizeof *r->by_model);
	if (!r->by_model)
		return err_set(e, "out of memory");
	for (size_t m = 0; m < nm; m++)
		if (a->by_model[m].calls)
			r->by_model[n++] = a->by_model[m];
	for (size_t x = 1; x < n; x++) /* insertion sort: a handful of models */
		for (size_t y = x; y > 0 && strcmp(r->by_model[y - 1].model, r->by_model[y].model) > 0; y--) {
			struct model_usage tmp = r->by_model[y];
			r->by_model[y] = r->by_model[y - 1];
			r->by_model[y - 1] = tmp;
		}
	r->n_models = n;
	return 0;
}
