/*
 * The part of a replay that depends on the trace alone, computed once and
 * shared read-only by every scenario: the arrival order, dense tenant and task
 * numbers, and the recorded failure counts of each model in each UTC minute
 * (the modelled faults of SPEC §10 "Calls").
 */
#include "sim/replay_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/normalize.h"

#define N_NORM_SETS 8 /* lower, strip_punct, collapse_space: every combination */

struct replay_norms {
	pthread_mutex_t mu;
	uint32_t *ids[N_NORM_SETS];
};

int64_t replay_minute(int64_t t_us)
{
	return clock_floor_div(t_us, 60 * CLOCK_US);
}

static uint64_t rate_key(uint32_t model, int64_t minute)
{
	return (uint64_t)model << 40 ^ (uint64_t)minute;
}

static uint64_t mix64(uint64_t z)
{
	z ^= z >> 33;
	z *= 0xff51afd7ed558ccdULL;
	z ^= z >> 33;
	return z;
}

/* The slot of key in the rates table, or of the empty slot where it would go. */
static uint32_t rate_slot(const struct replay_trace *rt, uint64_t key)
{
	uint32_t s = (uint32_t)mix64(key) & (rt->n_slots - 1);
	while (rt->slot[s] && rt->rate_key[rt->slot[s] - 1] != key)
		s = (s + 1) & (rt->n_slots - 1);
	return s;
}

const uint32_t *replay_rates(const struct replay_trace *rt, uint32_t model, int64_t minute)
{
	if (!rt->n_slots)
		return NULL;
	uint32_t e = rt->slot[rate_slot(rt, rate_key(model, minute))];
	return e ? rt->rate_count[e - 1] : NULL;
}

/* Dense numbers for the names the tenant (by_task 0) or task column uses: dense[name id] = k, names[k] = text. */
static int densify(const struct trace *t, int by_task, uint32_t **dense, uint32_t *n_out,
                   const char ***names_out)
{
	uint32_t *d = malloc(((size_t)t->names.n + 1) * sizeof *d), n = 0;
	if (!d)
		return -1;
	for (uint32_t i = 0; i < t->names.n; i++)
		d[i] = UINT32_MAX;
	for (uint32_t i = 0; i < t->n_req; i++) {
		uint32_t id = by_task ? trace_task(t, i) : trace_tenant(t, i);
		if (d[id] == UINT32_MAX)
			d[id] = n++;
	}
	const char **names = malloc(((size_t)n + 1) * sizeof *names);
	if (!names) {
		free(d);
		return -1;
	}
	for (uint32_t i = 0; i < t->names.n; i++)
		if (d[i] != UINT32_MAX)
			names[d[i]] = intern_str(&t->names, i, NULL);
	*dense = d;
	*n_out = n;
	*names_out = names;
	return 0;
}

/* Doubles the rates table and its entries' room; -1 when out of memory. */
static int rates_grow(struct replay_trace *rt)
{
	uint32_t n = rt->n_slots ? 2 * rt->n_slots : 1024;
	uint32_t *slot = calloc(n, sizeof *slot);
	uint64_t *key = realloc(rt->rate_key, (size_t)n / 2 * sizeof *key);
	if (key)
		rt->rate_key = key;
	uint32_t (*count)[N_STATUS] = key ? realloc(rt->rate_count, (size_t)n / 2 * sizeof *count) : NULL;
	if (count)
		rt->rate_count = count;
	if (!slot || !count) {
		free(slot);
		return -1;
	}
	free(rt->slot);
	rt->slot = slot;
	rt->n_slots = n;
	for (uint32_t k = 0; k < rt->n_rates; k++)
		rt->slot[rate_slot(rt, rt->rate_key[k])] = k + 1;
	return 0;
}

/* The recorded outcomes per (model, UTC minute): a table that grows with the pairs.  Calls
 * come mostly in time order and on few models, so the last call's minute and entry are
 * tried first. */
static int build_rates(struct replay_trace *rt, struct err *e)
{
	const struct trace *t = rt->t;
	int64_t from = 0, to = 0, minute = 0; /* the last call's minute: [from, to) µs */
	uint64_t last_key = 0;
	uint32_t last = 0;                    /* its entry + 1, 0 before the first call */
	for (uint32_t i = 0; i < t->n_req; i++)
		for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++) {
			int64_t when = trace_att_ts_us(t, i, a);
			if (when == TRACE_NO_TIME)
				when = trace_ts_us(t, i);
			if (when < from || when >= to) {
				minute = replay_minute(when);
				from = minute * 60 * CLOCK_US;
				to = from + 60 * CLOCK_US;
			}
			uint64_t key = rate_key(trace_att_model(t, a), minute);
			if (!last || key != last_key) {
				if (2 * (rt->n_rates + 1) > rt->n_slots && rates_grow(rt) < 0)
					return err_set(e, "out of memory preparing the trace");
				uint32_t s = rate_slot(rt, key);
				if (!rt->slot[s]) {
					rt->rate_key[rt->n_rates] = key;
					memset(rt->rate_count[rt->n_rates], 0, sizeof rt->rate_count[0]);
					rt->slot[s] = ++rt->n_rates;
				}
				last = rt->slot[s];
				last_key = key;
			}
			rt->rate_count[last - 1][trace_att_status(t, a)]++;
		}
	return 0;
}

int replay_prepare(const struct trace *t, struct replay_trace **out, struct err *e)
{
	struct replay_trace *rt = calloc(1, sizeof *rt);
	if (!rt)
		return err_set(e, "out of memory preparing the trace");
	rt->t = t;
	rt->alerts_through_us = INT64_MIN;
	rt->alerts_until_us = INT64_MAX;
	rt->norms = calloc(1, sizeof *rt->norms);
	if (!rt->norms)
		goto oom;
	pthread_mutex_init(&rt->norms->mu, NULL);
	uint32_t unsorted = 1;
	while (unsorted < t->n_req && trace_ts_us(t, unsorted - 1) <= trace_ts_us(t, unsorted))
		unsorted++;
	if (unsorted < t->n_req && !(rt->order = trace_arrival_order(t)))
		goto oom; /* in time order already, the order is the index order */
	if (densify(t, 0, &rt->tenant_of, &rt->n_tenants, &rt->tenant_names) < 0 ||
	    densify(t, 1, &rt->task_of, &rt->n_tasks, &rt->task_names) < 0)
		goto oom;
	if (build_rates(rt, e) < 0) {
		replay_trace_free(rt);
		return -1;
	}
	if (t->n_req) {
		rt->first_us = trace_ts_us(t, replay_arrival(rt, 0));
		rt->last_us = trace_ts_us(t, replay_arrival(rt, t->n_req - 1));
	}
	*out = rt;
	return 0;
oom:
	replay_trace_free(rt);
	return err_set(e, "out of memory preparing the trace");
}

/* Normalizes input id into *buf (grown as needed); -1 when out of memory. */
static int normalize_input(const struct trace *t, struct normalize *nz, uint32_t id, char **buf,
                           size_t *cap, size_t *len)
{
	size_t n;
	const char *s = intern_str(&t->inputs, id, &n);
	if (NORMALIZE_OUT_MAX(n) + 1 > *cap) {
		char *b = realloc(*buf, NORMALIZE_OUT_MAX(n) + 1);
		if (!b)
			return -1;
		*buf = b;
		*cap = NORMALIZE_OUT_MAX(n) + 1;
	}
	return normalize_text(nz, s, n, *buf, *cap, len);
}

/* An input normalized, waiting for its turn in the table (whose slots it asked to fetch). */
struct normalized {
	char *buf;
	size_t cap, len;
	uint64_t hash;
	uint32_t slot;
};

/*
 * The normalized ids for one flag set (the caller holds the mutex): inputs whose
 * normalized texts are equal get the id of the first of them.  A table from the
 * hash of a normalized text to that first input finds it, and a hash match is
 * confirmed by normalizing the first input again: no normalized text is kept.
 * Each input is normalized one step ahead of its look-up, so that its slot,
 * a random place in a large table, is fetched meanwhile.
 */
static uint32_t *normalize_inputs(const struct trace *t, unsigned flags, struct err *e)
{
	struct normalize nz;
	uint32_t n_in = t->inputs.n, n_slots = 16;
	while (n_slots < 2 * (uint64_t)n_in)
		n_slots *= 2;
	uint32_t *ids = malloc(((size_t)n_in + 1) * sizeof *ids);
	uint64_t *hash = flags ? malloc((size_t)n_slots * sizeof *hash) : NULL;
	uint32_t *first = flags ? calloc(n_slots, sizeof *first) : NULL; /* input id + 1, 0 empty */
	struct normalized nd[2] = { { 0 }, { 0 } }, again = { 0 };
	if (!ids || (flags && (!hash || !first)))
		goto oom;
	if (normalize_init(&nz, flags, e) < 0)
		goto fail;
	for (uint32_t id = 0; id < n_in; id++)
		ids[id] = id;
	for (uint32_t id = 0; flags && id <= n_in; id++) {
		if (id < n_in) { /* the next input, and a fetch of its slot */
			struct normalized *x = &nd[id & 1];
			if (normalize_input(t, &nz, id, &x->buf, &x->cap, &x->len) < 0)
				goto oom;
			x->hash = intern_hash(x->buf, x->len);
			x->slot = (uint32_t)(x->hash ^ x->hash >> 32) & (n_slots - 1);
			__builtin_prefetch(&first[x->slot]);
			__builtin_prefetch(&hash[x->slot]);
		}
		if (id == 0)
			continue;
		const struct normalized *x = &nd[(id - 1) & 1]; /* input id − 1, looked up */
		uint32_t slot = x->slot;
		for (; first[slot]; slot = (slot + 1) & (n_slots - 1)) {
			if (hash[slot] != x->hash)
				continue;
			if (normalize_input(t, &nz, first[slot] - 1, &again.buf, &again.cap, &again.len) < 0)
				goto oom;
			if (again.len == x->len && memcmp(again.buf, x->buf, x->len) == 0) {
				ids[id - 1] = first[slot] - 1;
				break;
			}
		}
		if (!first[slot]) {
			hash[slot] = x->hash;
			first[slot] = id;
		}
	}
	goto out;
oom:
	err_set(e, "out of memory normalizing cache keys");
fail:
	free(ids);
	ids = NULL;
out:
	free(nd[0].buf);
	free(nd[1].buf);
	free(again.buf);
	free(hash);
	free(first);
	return ids;
}

const uint32_t *replay_normalized(const struct replay_trace *rt, unsigned flags, struct err *e)
{
	struct replay_norms *nm = rt->norms;
	unsigned k = flags & (N_NORM_SETS - 1);
	pthread_mutex_lock(&nm->mu);
	if (!nm->ids[k])
		nm->ids[k] = normalize_inputs(rt->t, k, e);
	const uint32_t *ids = nm->ids[k];
	pthread_mutex_unlock(&nm->mu);
	return ids;
}

int replay_norms_flags(const struct scenario *sc, unsigned *flags)
{
	*flags = sc->cache.normalize & (N_NORM_SETS - 1);
	return sc->cache.on && *flags != 0;
}

const uint32_t *replay_norms_made(const struct replay_trace *rt, unsigned flags)
{
	struct replay_norms *nm = rt->norms;
	pthread_mutex_lock(&nm->mu);
	const uint32_t *ids = nm->ids[flags & (N_NORM_SETS - 1)];
	pthread_mutex_unlock(&nm->mu);
	return ids;
}

int replay_norms_give(struct replay_trace *rt, unsigned flags, uint32_t *ids)
{
	struct replay_norms *nm = rt->norms;
	unsigned k = flags & (N_NORM_SETS - 1);
	uint32_t n = rt->t->inputs.n;
	for (uint32_t id = 0; id < n; id++)
		if (ids[id] > id || ids[ids[id]] != ids[id]) {
			free(ids);
			return -1;
		}
	pthread_mutex_lock(&nm->mu);
	if (nm->ids[k])
		free(ids);
	else
		nm->ids[k] = ids;
	pthread_mutex_unlock(&nm->mu);
	return 0;
}

int replay_prepare_scenario(const struct replay_trace *rt, const struct scenario *sc, struct err *e)
{
	return sc->cache.on && !replay_normalized(rt, sc->cache.normalize, e) ? -1 : 0;
}

void replay_trace_free(struct replay_trace *rt)
{
	if (!rt)
		return;
	if (rt->norms) {
		for (int k = 0; k < N_NORM_SETS; k++) {
			free(rt->norms->ids[k]);
		}
		pthread_mutex_destroy(&rt->norms->mu);
		free(rt->norms);
	}
	free(rt->order);
	free(rt->tenant_of);
	free(rt->task_of);
	free(rt->tenant_names);
	free(rt->task_names);
	free(rt->slot);
	free(rt->rate_key);
	free(rt->rate_count);
	free(rt);
}

void replay_alerts_through(struct replay_trace *rt, int64_t t_us)
{
	rt->alerts_through_us = t_us;
}

void replay_alerts_until(struct replay_trace *rt, int64_t t_us)
{
	rt->alerts_until_us = t_us;
}

void replay_trace_summary(const struct replay_trace *rt, struct trace_summary *out)
{
	out->name = rt->t->name ? rt->t->name : "";
	out->requests = rt->t->n_req;
	out->tenants = rt->n_tenants;
	out->first_us = rt->first_us;
	out->last_us = rt->last_us;
	out->range = 0; /* the front end sets a range it selected (replay --from/--to) */
	out->from_us = out->to_us = TRACE_SUMMARY_OPEN;
}
