/*
 * The watch's rolling tenant windows (sim/watch.h): one pass over the trace
 * so far, each recorded call placed at its start as the recorded scenario
 * places it (sim/replay_recorded.c), a fallback being one as it counts them
 * (trace_att_fallback: a summarize call is none), and priced with the
 * scenario's table.
 */
#include "sim/watch.h"

#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/intern.h"
#include "sim/window.h"

static const struct trace *sort_trace; /* by_spend's names; watch_tenants runs on one thread */

static int by_spend(const void *x, const void *y)
{
	const struct watch_tenant *a = x, *b = y;
	if (a->usd_long != b->usd_long)
		return a->usd_long > b->usd_long ? -1 : 1;
	if (a->requests_long != b->requests_long) /* a tenant active in the hour before a quiet one */
		return a->requests_long > b->requests_long ? -1 : 1;
	return strcmp(intern_str(&sort_trace->names, a->tenant, NULL), intern_str(&sort_trace->names, b->tenant, NULL));
}

/* The cost of attempt a of request i on pricing model m, billed as the scenario bills it. */
static money_sum call_pusd(const struct trace *t, const struct scenario *sc, uint32_t i, uint32_t a, int m)
{
	uint64_t in, out, cached;
	int64_t pusd;
	trace_att_tokens(t, i, a, &in, &out, &cached);
	if (cached > in)
		cached = in;
	scenario_billed_tokens(sc, trace_att_status(t, a), &in, &cached, &out);
	if (money_call_pusd(&sc->pricing->models[m].price, in, cached, out, &pusd) < 0)
		return 0;
	return pusd;
}

int watch_tenants(const struct trace *t, const struct scenario *sc, int64_t now_us, struct watch_tenant **out,
                  size_t *n, struct err *e)
{
	/* per tenant name id: its slot in the output + 1 */
	uint32_t *slot = calloc((size_t)t->names.n + 1, sizeof *slot);
	struct watch_tenant *w = NULL;
	size_t k = 0, cap = 0;
	*out = NULL;
	*n = 0;
	if (!slot)
		return err_set(e, "out of memory");
	int64_t from_short = now_us - WATCH_SHORT_US, from_long = now_us - WATCH_LONG_US;
	for (uint32_t i = 0; i < t->n_req; i++) {
		int64_t at = trace_ts_us(t, i), first_call = INT64_MIN;
		uint32_t tn = trace_tenant(t, i), a0 = trace_att_begin(t, i), a1 = trace_att_end(t, i);
		int in_short = at > from_short && at <= now_us, in_long = at > from_long && at <= now_us, hop = 0;
		/* every tenant of the trace so far has its row, quiet in the windows or not */
		if (!slot[tn]) {
			if (k == cap) {
				cap = cap ? cap * 2 : 64;
				struct watch_tenant *p = realloc(w, cap * sizeof *p);
				if (!p)
					goto oom;
				w = p;
			}
			w[k] = (struct watch_tenant){ .tenant = tn };
			slot[tn] = (uint32_t)++k;
		}
		struct watch_tenant *x = &w[slot[tn] - 1];
		/* a request's calls start at or after it arrives, up to its latencies later: a request
		 * long before the window has none in it unless its calls were timed later */
		for (uint32_t a = a0; a < a1; a++) {
			int64_t start = trace_att_ts_us(t, i, a) != TRACE_NO_TIME ? trace_att_ts_us(t, i, a) : at;
			int counts = start > from_long && start <= now_us;
			hop |= trace_att_fallback(t, a, trace_att_prev_alike(t, i, a)); /* as replay's recorded scenario counts it */
			if (a == a0)
				first_call = start;
			if (counts) {
				const char *name = intern_str(&t->names, trace_att_model(t, a), NULL);
				int m = pricing_index(sc->pricing, name);
				money_sum usd = m < 0 ? 0 : call_pusd(t, sc, i, a, m);
				x->unpriced += m < 0;
				x->usd_long += usd;
				if (start > from_short) {
					x->usd_short += usd;
					x->calls_short++;
				}
			}
			int64_t lat = trace_att_latency_us(t, a);
			at = start + (lat == TRACE_NO_LATENCY ? 0 : lat);
		}
		x->requests_long += in_long;
		x->requests_short += in_short;
		if (first_call > from_long && first_call <= now_us) {
			x->first_calls_long++;
			x->fallbacks_long += hop;
			if (first_call > from_short) {
				x->first_calls_short++;
				x->fallbacks_short += hop;
			}
		}
	}
	free(slot);
	sort_trace = t;
	if (k > 1)
		qsort(w, k, sizeof *w, by_spend);
	*out = w;
	*n = k;
	return 0;
oom:
	free(slot);
	free(w);
	return err_set(e, "out of memory");
}

int watch_replay_tenants(const struct result_scenario *r, const struct intern *names, uint32_t **index, uint32_t *n)
{
	uint32_t *ix = malloc(((size_t)names->n + 1) * sizeof *ix), id;
	*index = ix;
	*n = ix ? names->n : 0;
	if (!ix)
		return -1;
	for (uint32_t k = 0; k < names->n; k++)
		ix[k] = UINT32_MAX;
	/* a tenant's name holds no NUL byte (the imports refuse \u0000 in names), so strlen is its length */
	for (size_t k = 0; k < r->n_tenants; k++)
		if (intern_find(names, r->tenant_names[k], strlen(r->tenant_names[k]), &id))
			ix[id] = (uint32_t)k;
	return 0;
}

void watch_prefix(const struct trace *src, uint32_t n, uint32_t n_inputs, struct trace *view)
{
	uint32_t lo = 0, hi = src->n_cost_sub;
	*view = *src;
	view->n_req = n;
	view->n_att = src->att_first ? src->att_first[n] : n;
	view->n_wide = trace_count_below(src->wide_att, src->n_wide, view->n_att);
	view->n_wide_ts = trace_count_below(src->wide_ts_att, src->n_wide_ts, view->n_att);
	while (lo < hi) { /* the cost digits of requests below n (by ascending request) */
		uint32_t mid = lo + (hi - lo) / 2;
		if (src->cost_subs[mid].req < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	view->n_cost_sub = lo;
	view->inputs.n = n_inputs < src->inputs.n ? n_inputs : src->inputs.n;
}

const struct alert *watch_alert_open(const struct result_scenario *r, enum alert_kind kind, int64_t covered_us)
{
	int64_t latest = clock_floor_div(covered_us, WINDOW_GRID_US) * WINDOW_GRID_US;
	for (size_t i = r->n_alerts; i-- > 0;)
		if (r->alerts[i].kind == kind && r->alerts[i].end_us >= latest && r->alerts[i].start_us <= covered_us)
			return &r->alerts[i];
	return NULL;
}

/* A line to say: its alert, what of it, and the instant it is said at (the start for a start,
 * the last firing instant for an end). */
struct said_line {
	const struct alert *al;      /* in r->alerts */
	enum watch_said_what what;
	int64_t at_us;
};

/* By instant; at one instant a start before an end (an alert of one instant starts, then
 * ends), then by kind. */
static int by_instant(const void *x, const void *y)
{
	const struct said_line *a = x, *b = y;
	if (a->at_us != b->at_us)
		return a->at_us < b->at_us ? -1 : 1;
	if (a->what != b->what)
		return (int)a->what - (int)b->what;
	return (int)a->al->kind - (int)b->al->kind;
}

int watch_said_update(struct watch_said *s, const struct result_scenario *r, int64_t covered_us, watch_say_fn say,
                      void *ctx)
{
	/* the ones said that this replay no longer has: withdrawn */
	for (size_t k = 0; k < s->n;) {
		int found = 0;
		for (size_t i = 0; i < r->n_alerts && !found; i++)
			found = r->alerts[i].kind == s->v[k].al.kind && r->alerts[i].start_us == s->v[k].al.start_us;
		if (found) {
			k++;
			continue;
		}
		say(ctx, &s->v[k].al, WATCH_WITHDRAWN);
		s->v[k] = s->v[--s->n];
	}
	struct said_line *lines = r->n_alerts ? malloc(2 * r->n_alerts * sizeof *lines) : NULL;
	size_t n = 0;
	if (r->n_alerts && !lines)
		return -1;
	for (size_t i = 0; i < r->n_alerts; i++) {
		const struct alert *al = &r->alerts[i];
		if (al->start_us > covered_us) /* its first instant's window may get more lines */
			continue;
		struct watch_said_one *x = NULL;
		for (size_t k = 0; k < s->n && !x; k++)
			if (s->v[k].al.kind == al->kind && s->v[k].al.start_us == al->start_us)
				x = &s->v[k];
		if (!x) {
			if (s->n == s->cap) {
				size_t cap = s->cap ? s->cap * 2 : 16;
				struct watch_said_one *p = realloc(s->v, cap * sizeof *p);
				if (!p) {
					free(lines);
					return -1;
				}
				s->v = p;
				s->cap = cap;
			}
			x = &s->v[s->n++];
			x->ended = 0;
			lines[n++] = (struct said_line){ al, WATCH_STARTED, al->start_us };
		}
		x->al = *al;
		if (!x->ended && watch_alert_open(r, al->kind, covered_us) != al) {
			lines[n++] = (struct said_line){ al, WATCH_ENDED, al->end_us };
			x->ended = 1;
		}
	}
	/* in the order of their instants, whichever replay first shows them: a playback says the
	 * same lines in the same order at any speed */
	if (n > 1)
		qsort(lines, n, sizeof *lines, by_instant);
	for (size_t k = 0; k < n; k++)
		say(ctx, lines[k].al, lines[k].what);
	free(lines);
	return 0;
}

void watch_said_fini(struct watch_said *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}

int64_t watch_play_position(int64_t from_data_us, int64_t from_mono_us, int64_t mono_us, double speed)
{
	return from_data_us + (int64_t)((double)(mono_us - from_mono_us) * speed);
}

int watch_replay_due(int64_t last_start_us, int64_t last_took_us, int64_t now_us)
{
	int64_t wait = last_took_us > WATCH_REPLAY_US / WATCH_REPLAY_SHARE ? last_took_us * WATCH_REPLAY_SHARE
	                                                                   : WATCH_REPLAY_US;
	return now_us - last_start_us >= wait;
}

int watch_tenants_due(const struct watch_tenants_at *at, uint32_t rows, int64_t now_us, int64_t mono_us)
{
	if (!at->have)
		return 1;
	if (rows == at->rows && clock_floor_div(now_us, 1000000) == at->second)
		return 0;
	/* a fifth of the time at most, with no second's floor: cheap windows follow every read */
	return mono_us - at->began >= at->took * WATCH_REPLAY_SHARE;
}
