/*
 * The replay engine's event loop (SPEC §4 and §10): requests arrive in time
 * order, and every later step — a call ending, a retry after its backoff, a
 * batch flush at an interval boundary, a batch item's answer — is an event in
 * a queue (sim/events.h) ordered by (time, flush first, request index).  A
 * request's follow-ups at the same instant (a fallback at give-up time, the
 * main call when its summary answers) run inline, before the next request's
 * events.
 * Policies decide (cache, budget, routing, breaker, gates); this file acts.
 */
#include "sim/replay_engine.h"

#include <stdlib.h>
#include <string.h>

#include "sim/draw.h"
#include "sim/events.h"

enum ev_type { EV_FLUSH, EV_CALL_END, EV_RETRY, EV_BATCH_DONE };
enum call_kind { CALL_MAIN, CALL_SUMMARY, CALL_BATCH };
#define STATUS_BREAKER_OPEN N_STATUS /* a breaker rejection, as a give-up class */

/*
 * An event's key below its time: bit 63 clear for a flush (first among ties),
 * then the request's index (ties in index order), its pool slot and the type.
 * A request has at most one event pending, so the index settles every tie.
 */
#define EV_SLOT_BITS 29
#define EV_MAX_SLOTS (UINT32_C(1) << EV_SLOT_BITS)

static uint64_t event_low(enum ev_type type, uint32_t req, uint32_t slot)
{
	return (uint64_t)(type != EV_FLUSH) << 63 | (uint64_t)req << (EV_SLOT_BITS + 2) |
	       (uint64_t)slot << 2 | (uint64_t)type;
}

/* Per-request state while it runs. */
enum {
	F_CALLED = 1u << 0,      /* has made a call */
	F_FALLBACK = 1u << 1,    /* has had a fallback */
	F_FB_LIVE = 1u << 2,     /* a fallback of it is in flight (with a tenant cap) */
	F_SUMMARY = 1u << 3,     /* its summarize call is the one running */
	F_CAPPED = 1u << 5,      /* output_tokens was above output_max */
	F_PROBE = 1u << 6,       /* its running call is its model's breaker probe */
	F_IN_BATCH = 1u << 7,    /* its calls are batch calls */
	F_KEYED = 1u << 4,       /* it has a cache key: its answer is cached */
};

/* Per-request state while it runs, in a pool slot taken at its cache miss and
 * given back when it ends, so the pool grows with the requests in flight, not
 * with the trace.  What can be derived from the request and the scenario (its
 * tokens after the budget, a cached answer's value) is recomputed when needed. */
struct req_state {
	int64_t arrival_us;      /* when it arrived */
	int64_t first_call_us;   /* when its first call began (with F_CALLED) */
	uint32_t req;            /* the request's index */
	struct group_ids grp;    /* its tenant and task */
	struct cache_key key;    /* its cache key (with F_KEYED) */
	uint64_t answer_tok;     /* the running call's billed input + output tokens, when ok */
	int64_t answer_pusd;     /* and its billed cost, after any discount (a cached answer's value) */
	uint32_t in, out, cached; /* a main or batch call's tokens after the budget (call_tokens) */
	int16_t cached_model;    /* the model on which `cached` applies (the recorded one), or -1 */
	int16_t model;           /* the running or next call's model */
	int16_t route;           /* routes index, or ROUTE_RECORDED */
	uint16_t k, sk, total;   /* calls on `model`, summarize calls, batch attempts (≤ 1000) */
	uint8_t status;          /* the running call's outcome */
	uint8_t flags;
	uint8_t chain_next;      /* the next fallback.chain entry to consider */
};


/* ---- the event queue ---- */

/* Doubles an array of n elements of size elem; -1 when out of memory (then unchanged). */
static int double_array(void **p, size_t *cap, size_t elem)
{
	size_t c = *cap ? 2 * *cap : 1024;
	void *q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static inline void push(struct eng *g, int64_t t, const struct req_state *s, enum ev_type type)
{
	uint64_t low = s ? event_low(type, s->req, (uint32_t)(s - g->pool)) : event_low(type, 0, 0);
	if (events_push(&g->events, events_key_of(t, low)) < 0) {
		err_set(g->e, "out of memory");
		g->failed = 1;
	}
}

/* ---- live fallbacks ending at an instant (the tenant cap's look-ahead) ---- */

/*
 * The tenant cap must not count a fallback that ends at t, whatever the index
 * order of the events at t (SPEC §10).  So each live fallback announces its
 * end when it is known: a call whose outcome leaves nothing to retry counts at
 * (tenant, end, model -1), a retry at (tenant, its instant, model) — it ends
 * the fallback when that model's breaker rejects it.  An open-addressing table
 * with backward-shift deletion; entries live only while their event pends.
 */
struct ending {
	int64_t t;
	uint32_t tenant;
	int32_t model;           /* -1: a final call end; else a retry on this model */
	uint32_t n;              /* 0: empty slot */
};

static size_t ending_home(const struct eng *g, int64_t t, uint32_t tenant, int32_t model)
{
	uint64_t h = (uint64_t)t * 0x9e3779b97f4a7c15ULL ^ (uint64_t)tenant * 0xc2b2ae3d27d4eb4fULL ^
	             (uint64_t)(uint32_t)model * 0x165667b19e3779f9ULL;
	return (size_t)(h ^ h >> 31) & (g->cap_ending - 1);
}

/* The slot of the key, or of the empty slot where it would go. */
static size_t ending_slot(const struct eng *g, int64_t t, uint32_t tenant, int32_t model)
{
	size_t i = ending_home(g, t, tenant, model);
	while (g->ending[i].n && !(g->ending[i].t == t && g->ending[i].tenant == tenant &&
	                           g->ending[i].model == model))
		i = (i + 1) & (g->cap_ending - 1);
	return i;
}

static uint32_t ending_count(const struct eng *g, int64_t t, uint32_t tenant, int32_t model)
{
	return g->cap_ending ? g->ending[ending_slot(g, t, tenant, model)].n : 0;
}

static int ending_grow(struct eng *g)
{
	struct ending *old = g->ending;
	size_t cap = old ? 2 * g->cap_ending : 64;
	if (!(g->ending = calloc(cap, sizeof *g->ending))) {
		g->ending = old;
		return -1;
	}
	size_t old_cap = g->cap_ending;
	g->cap_ending = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].n)
			g->ending[ending_slot(g, old[i].t, old[i].tenant, old[i].model)] = old[i];
	free(old);
	return 0;
}

static void ending_add(struct eng *g, int64_t t, uint32_t tenant, int32_t model, int delta)
{
	if (delta > 0 && 2 * (g->n_ending + 1) > g->cap_ending && ending_grow(g) < 0) {
		err_set(g->e, "out of memory");
		g->failed = 1;
		return;
	}
	size_t i = ending_slot(g, t, tenant, model);
	if (delta > 0) {
		if (!g->ending[i].n++) {
			g->ending[i] = (struct ending){ t, tenant, model, 1 };
			g->n_ending++;
		}
		return;
	}
	if (!g->ending[i].n || --g->ending[i].n)
		return;
	g->n_ending--;
	for (size_t j = i;;) { /* shift back the rest of the probe run */
		j = (j + 1) & (g->cap_ending - 1);
		if (!g->ending[j].n)
			break;
		size_t home = ending_home(g, g->ending[j].t, g->ending[j].tenant, g->ending[j].model);
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		g->ending[i] = g->ending[j];
		g->ending[j].n = 0;
		i = j;
	}
}

/* 1 when a call of request i with this outcome leaves nothing to retry (it answers or gives up). */
static int call_is_final(const struct eng *g, const struct req_state *s)
{
	return s->status == STATUS_OK || !(g->sc->retry.on & STATUS_BIT(s->status)) ||
	       s->k >= g->sc->retry.max_attempts;
}

/* The request's fallback in flight, if any, is no longer: the tenant cap's count drops. */
static void fallback_not_live(struct eng *g, struct req_state *s)
{
	if (s->flags & F_FB_LIVE) {
		s->flags &= (uint8_t)~F_FB_LIVE;
		g->tenant_live[s->grp.tenant]--;
	}
}

/* Announces (delta 1) or retires (-1) request i's pending end of a live fallback. */
static inline void fallback_end_pending(struct eng *g, const struct req_state *s, int64_t t, int retry, int delta)
{
	if (!(s->flags & F_FB_LIVE) || (!retry && !call_is_final(g, s)))
		return;
	ending_add(g, t, s->grp.tenant, retry ? s->model : -1, delta);
}

/* ---- decisions ---- */

static int recorded_model(const struct eng *g, uint32_t i)
{
	const struct trace *t = g->t;
	uint32_t a = trace_att_begin(t, i);
	return a < trace_att_end(t, i) ? g->price_of_name[trace_att_model(t, a)] : -1;
}

/* The route of request i of groups grp (SPEC §4.3: the first rule that matches). */
static int route_of(const struct eng *g, uint32_t i, struct group_ids grp)
{
	const struct trace *t = g->t;
	if (!g->sc->n_routes)
		return ROUTE_RECORDED;
	int difficulty = trace_difficulty(t, i); /* a request without a label matches no difficulty */
	int64_t in = trace_input_tok(t, i);
	for (const struct rule_test *r = g->rules, *end = r + g->sc->routing.n_rules; r < end; r++)
		if ((r->task == TRACE_NONE || r->task == grp.task) && (r->tenant == TRACE_NONE || r->tenant == grp.tenant) &&
		    (r->difficulty == DIFFICULTY_NONE || r->difficulty == difficulty) && in > r->gt && in < r->lt)
			return r->route;
	return g->sc->routing.default_route;
}

static int model_of_route(const struct eng *g, uint32_t i, int route)
{
	return route == ROUTE_RECORDED ? recorded_model(g, i) : g->sc->routes[route].model_idx;
}

/* The cache key of request i of groups grp: 0 when it is not cached (no text for an `input`
 * part). */
static int cache_key_of(const struct eng *g, uint32_t i, struct group_ids grp, struct cache_key *k)
{
	const struct trace *t = g->t;
	unsigned parts = g->sc->cache.key;
	uint32_t hash = t->input[i] == TRACE_NONE ? trace_input_hash(t, i) : TRACE_NONE;
	if (t->input[i] == TRACE_NONE && hash == TRACE_NONE)
		return 0; /* "a request with neither is not cached", whatever the key's parts */
	*k = (struct cache_key){ 0 };
	if (parts & CACHE_PART_TENANT)
		k->tenant = grp.tenant;
	if (parts & CACHE_PART_TASK)
		k->task = grp.task;
	if (parts & CACHE_PART_INPUT)
		k->text = t->input[i] != TRACE_NONE ? CACHE_TEXT_INPUT(g->norm_of_input[t->input[i]])
		                                    : CACHE_TEXT_HASH(hash);
	return 1;
}

/* The k-th recorded attempt of request i on pricing model m, or -1. */
static int64_t recorded_attempt(const struct eng *g, uint32_t i, int m, unsigned k)
{
	const struct trace *t = g->t;
	uint32_t name = g->model_name[m];
	if (name == TRACE_NONE)
		return -1;
	for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++)
		if (trace_att_model(t, a) == name && --k == 0)
			return a;
	return -1;
}

/* The draw of request i's k-th call on model m, or k-th summarize call (SPEC §10 "The draw"; i
 * as its trace's draw index says, a watch's requests so far drawing as in the whole trace):
 * by table for the first DRAW_TABLED, the table made on first use (byte by byte without one).
 * Not inlined: start_call's code stays as it was for the calls that draw nothing. */
__attribute__((noinline)) static uint64_t draw_of(struct eng *g, uint32_t i, int m, unsigned k, int summarize)
{
	const char *name = g->sc->pricing->models[m].name;
	uint64_t h = draw_requests_state(&g->draws, trace_draw_index(g->t, i));
	if (k <= DRAW_TABLED) {
		struct draw_suffix **table = &g->draw_tables[((size_t)m * 2 + (summarize != 0)) * DRAW_TABLED + k - 1];
		if (!*table && (*table = malloc(sizeof **table)))
			draw_suffix_init(*table, name, strlen(name), k, summarize);
		if (*table)
			return draw_by_suffix(h, *table);
	}
	return draw_attempt(h, name, strlen(name), k, summarize);
}

/* Outcome and latency of a call (SPEC §10 "Calls"). */
static void outcome(struct eng *g, uint32_t i, int m, enum call_kind kind, unsigned k,
                    int64_t start, uint64_t out_tok, int *status, int64_t *lat)
{
	const struct scenario *sc = g->sc;
	const struct trace *t = g->t;
	const struct price_model *pm = &sc->pricing->models[m];
	int64_t a = kind == CALL_SUMMARY || !sc->faults.recorded ? -1 : recorded_attempt(g, i, m, k);
	*status = STATUS_OK;
	*lat = -1;
	if (a >= 0) {
		*status = trace_att_status(t, (uint32_t)a);
		*lat = trace_att_latency_us(t, (uint32_t)a);
	} else {
		const struct fault_window *w = NULL;
		for (size_t f = 0; f < sc->faults.n_inject && !w; f++)
			if (sc->faults.inject[f].model_idx == m && sc->faults.inject[f].from_us <= start &&
			    start < sc->faults.inject[f].to_us)
				w = &sc->faults.inject[f];
		const uint32_t *counts = w || g->model_name[m] == TRACE_NONE ? NULL
			: replay_rates(g->rt, g->model_name[m], replay_minute(start));
		if (w ? w->rate.value > 0 : counts && counts[STATUS_OK] != 0xffffffffu) {
			int fails_any = 0;
			if (counts)
				for (int s = 1; s < N_STATUS; s++)
					fails_any |= counts[s] != 0;
			if (w || fails_any) {
				uint64_t x = draw_of(g, i, m, k, kind == CALL_SUMMARY);
				if (w) /* x < rate × 2^53, with the rate as its exact decimal */
					*status = (money_sum)x * (uint64_t)w->rate.den <
					          ((money_sum)(uint64_t)w->rate.num << 53)
					          ? (int)w->status : STATUS_OK;
				else
					*status = draw_recorded_outcome(x, counts);
			}
		}
	}
	if (*lat < 0)
		*lat = pricing_latency_us(pm, *status == STATUS_OK ? out_tok : 0);
	if (kind != CALL_BATCH && sc->retry.timeout_us > 0) {
		if (*status == STATUS_TIMEOUT || *lat > sc->retry.timeout_us) {
			*status = STATUS_TIMEOUT;
			*lat = sc->retry.timeout_us;
		}
	}
}
/* ---- request ends ---- */

/* A request ends at t: its pool slot is given back. */
static void release(struct eng *g, struct req_state *s, int64_t t)
{
	acct_seen(&g->a, t);
	g->free_slots[g->n_free++] = (uint32_t)(s - g->pool);
}

static void finish(struct eng *g, struct req_state *s, int64_t t, int resolved)
{
	uint32_t i = s->req;
	if (resolved) {
		ACCT_ADD(&g->a, s->grp, resolved, 1);
		if (s->flags & F_CAPPED)
			ACCT_ADD(&g->a, s->grp, output_capped, 1);
	}
	acct_latency(&g->a, i, s->grp, t - s->arrival_us);
	release(g, s, t);
}

static void unanswered(struct eng *g, struct req_state *s, int64_t t)
{
	if (g->sc->fallback.on && g->degrade_task[s->grp.task]) {
		ACCT_ADD(&g->a, s->grp, degraded, 1);
		finish(g, s, t, 0);
	} else {
		ACCT_ADD(&g->a, s->grp, failed, 1);
		release(g, s, t);
	}
}


/*
 * The tokens of request i's main call after the budget (SPEC §4.2, §10): input
 * truncated or summarized, output capped; cached input only on the recorded
 * model and never after a summary.  Kept in its state for every call it makes.
 */
static void budget_tokens(const struct eng *g, uint32_t i, int b, struct req_state *s)
{
	const struct trace *t = g->t;
	const struct scenario *sc = g->sc;
	uint32_t input = trace_input_tok(t, i);
	int summarized = 0;
	s->in = input;
	s->out = trace_output_tok(t, i);
	if (b >= 0) {
		const struct budget_policy *p = &sc->budget[b];
		if (p->output_max >= 0 && s->out > p->output_max)
			s->out = (uint32_t)p->output_max;
		if (p->input_max >= 0 && input > p->input_max) {
			if (p->overflow == OVERFLOW_TRUNCATE)
				s->in = (uint32_t)p->input_max;
			if (p->overflow == OVERFLOW_SUMMARIZE) {
				uint64_t summary = scenario_summary_tokens(sc, input);
				s->in = summary < (uint64_t)p->input_max ? (uint32_t)summary : (uint32_t)p->input_max;
				summarized = 1;
			}
		}
	}
	s->cached = summarized ? 0 : trace_cached_tok(t, i) < s->in ? trace_cached_tok(t, i) : s->in;
	s->cached_model = (int16_t)(s->cached ? recorded_model(g, i) : -1);
}

/* The tokens a call of the request on model m sends: a summarize call's, or its budget's. */
static void call_tokens(const struct eng *g, const struct req_state *s, enum call_kind kind, int m,
                        uint64_t *in, uint64_t *cached, uint64_t *out)
{
	if (kind == CALL_SUMMARY) {
		*in = trace_input_tok(g->t, s->req);
		*out = scenario_summary_tokens(g->sc, *in);
		*cached = 0;
		return;
	}
	*in = s->in;
	*out = s->out;
	*cached = m == s->cached_model ? s->cached : 0;
}

static void answered(struct eng *g, struct req_state *s, int64_t t)
{
	if (s->flags & F_KEYED) {
		const struct price_model *pm = &g->sc->pricing->models[s->model];
		struct cache_value v = { s->answer_tok, s->answer_pusd }; /* an answer bills in full */
		int64_t ttl = g->sc->cache.ttl_us[pm->tier];
		if (cache_insert(&g->cache, &s->key, &v, ttl > 0 ? ttl : CACHE_NO_TTL, t) < 0) {
			err_set(g->e, "cache: out of memory, or more than 2^30 distinct keys");
			g->failed = 1;
		}
	}
	finish(g, s, t, 1);
}

/* ---- calls ---- */

static void give_up(struct eng *g, struct req_state *s, int64_t t, int status);

static void start_call(struct eng *g, struct req_state *s, int64_t t, enum call_kind kind)
{
	const struct scenario *sc = g->sc;
	uint32_t i = s->req;
	int m = s->model;
	unsigned k = kind == CALL_SUMMARY ? ++s->sk : ++s->k;
	if (kind != CALL_BATCH && sc->breaker.on) {
		struct breaker *b = &g->breakers[m];
		if (b->state == BREAKER_OPEN && t >= b->open_until) {
			b->state = BREAKER_PROBING;
			s->flags |= F_PROBE;
		} else if (b->state != BREAKER_CLOSED) {
			ACCT_ADD(&g->a, s->grp, breaker_rejections, 1);
			give_up(g, s, t, STATUS_BREAKER_OPEN);
			return;
		}
	}
	uint64_t in, out, cached;
	call_tokens(g, s, kind, m, &in, &cached, &out);
	int status;
	int64_t lat;
	outcome(g, i, m, kind, k, t, out, &status, &lat);
	if (kind == CALL_BATCH)
		lat = sc->batch.latency_us;
	struct call_record c = { .req = i, .grp = s->grp, .model = m, .start_us = t,
		.retry = kind == CALL_BATCH ? s->total > 1 : k > 1, .first_call = !(s->flags & F_CALLED) };
	if (bill(g, m, status, in, cached, out, &c) < 0) {
		g->failed = 1;
		return;
	}
	if (kind == CALL_BATCH)
		c.pusd = money_discount(c.pusd, g->discount_ppb);
	if (acct_call(&g->a, &c) < 0) {
		g->failed = 1;
		return;
	}
	if (c.first_call) {
		s->flags |= F_CALLED;
		s->first_call_us = t;
	}
	s->status = (uint8_t)status;
	s->answer_tok = c.input_tok + c.output_tok;
	s->answer_pusd = c.pusd;
	acct_seen(&g->a, t + lat);
	if (kind == CALL_MAIN)
		fallback_end_pending(g, s, t + lat, 0, 1);
	push(g, t + lat, s, kind == CALL_BATCH ? EV_BATCH_DONE : EV_CALL_END);
}

/* The breaker hears a call's outcome as it ends (SPEC §10 "Breaker"). */
static void breaker_hear(struct eng *g, struct req_state *s, int64_t t, int status)
{
	const struct scenario *sc = g->sc;
	struct breaker *b = &g->breakers[s->model];
	int fail = status_is_transient((enum status)status);
	if (s->flags & F_PROBE) {
		s->flags &= (uint8_t)~F_PROBE;
		if (fail) {
			b->state = BREAKER_OPEN;
			b->open_until = t + sc->breaker.open_us;
		} else {
			b->state = BREAKER_CLOSED;
			b->n = b->pos = b->fails = 0;
		}
		return;
	}
	if (b->state != BREAKER_CLOSED)
		return; /* outcomes arriving while open are ignored */
	if (b->n == sc->breaker.window)
		b->fails -= b->ring[b->pos];
	else
		b->n++;
	b->ring[b->pos] = (uint8_t)fail;
	b->fails += fail;
	if (++b->pos == sc->breaker.window)
		b->pos = 0;
	if (b->n == sc->breaker.window && b->fails >= g->breaker_trip) {
		b->state = BREAKER_OPEN;
		b->open_until = t + sc->breaker.open_us;
	}
}

static void dispatch(struct eng *g, struct req_state *s, int64_t t, int async);

static void call_end(struct eng *g, struct req_state *s, int64_t t)
{
	const struct scenario *sc = g->sc;
	int status = s->status;
	if (!(s->flags & F_SUMMARY))
		fallback_end_pending(g, s, t, 0, -1);
	if (sc->breaker.on)
		breaker_hear(g, s, t, status);
	if (status == STATUS_OK) {
		if (s->flags & F_SUMMARY) { /* the main call follows with the summary as input */
			s->flags &= (uint8_t)~F_SUMMARY;
			dispatch(g, s, t, 0);
			return;
		}
		fallback_not_live(g, s);
		answered(g, s, t);
		return;
	}
	unsigned k = s->flags & F_SUMMARY ? s->sk : s->k;
	if ((sc->retry.on & STATUS_BIT(status)) && k < sc->retry.max_attempts) {
		int64_t backoff = scenario_backoff_us(sc, k);
		fallback_end_pending(g, s, t + backoff, 1, 1);
		push(g, t + backoff, s, EV_RETRY);
		return;
	}
	give_up(g, s, t, status);
}

/* 1 when model m counts as already tried at fallback.chain entry c: it is the route's, or an
 * earlier entry's (SPEC §10: "already tried" covers the route's model and earlier chain
 * entries, whether or not the request reached them). */
static int tried_before(const struct eng *g, const struct req_state *s, size_t c, int m)
{
	if (m == model_of_route(g, s->req, s->route))
		return 1;
	for (size_t d = 0; d < c; d++)
		if (model_of_route(g, s->req, g->sc->fallback.chain[d]) == m)
			return 1;
	return 0;
}

/* The next fallback.chain entry of request i whose model is not already tried, or -1. */
static int next_in_chain(struct eng *g, struct req_state *s)
{
	const struct scenario *sc = g->sc;
	for (size_t c = s->chain_next; c < sc->fallback.n_chain; c++) {
		int m = model_of_route(g, s->req, sc->fallback.chain[c]);
		if (m >= 0 && !tried_before(g, s, c, m)) {
			s->chain_next = (uint8_t)(c + 1);
			return (int)c;
		}
	}
	return -1;
}

/* Live fallbacks of dense tenant tn that end at t but whose event has not run yet: final
 * call ends, and retries that the model's breaker will reject (as its state stands now). */
static uint64_t fallbacks_ending_at(const struct eng *g, uint32_t tn, int64_t t)
{
	uint64_t n = ending_count(g, t, tn, -1);
	if (g->sc->breaker.on)
		for (size_t m = 0; m < g->sc->pricing->n_models; m++) {
			const struct breaker *b = &g->breakers[m];
			if (b->state == BREAKER_PROBING || (b->state == BREAKER_OPEN && t < b->open_until))
				n += ending_count(g, t, tn, (int32_t)m);
		}
	return n;
}

/* The three gates at give-up time t (SPEC §10 "Routing and fallback"). */
static int gates_admit(struct eng *g, const struct req_state *s, int64_t t)
{
	const struct scenario *sc = g->sc;
	if (sc->fallback.tenant_inflight_cap > 0) {
		uint32_t tn = s->grp.tenant;
		uint64_t live = g->tenant_live[tn], cap = (uint64_t)sc->fallback.tenant_inflight_cap;
		if (live >= cap)
			live -= fallbacks_ending_at(g, tn, t);
		if (live >= cap)
			return 0;
	}
	if (sc->fallback.has_max_rate) {
		uint64_t calls, fbs;
		acct_gate_counts(&g->a, t, sc->fallback.rate_window_us, &calls, &fbs);
		if (!(s->flags & F_CALLED) || s->first_call_us <= t - sc->fallback.rate_window_us)
			calls++; /* the current request is always in the denominator */
		const struct decfrac *r = &sc->fallback.max_rate;
		if ((money_sum)fbs * r->den > (money_sum)r->num * calls)
			return 0;
	}
	if (sc->fallback.has_usd_per_hour_cap &&
	    acct_spend_last_hour(&g->a, t) > sc->fallback.usd_per_hour_cap_pusd)
		return 0;
	return 1;
}

static void give_up(struct eng *g, struct req_state *s, int64_t t, int status)
{
	const struct scenario *sc = g->sc;
	uint32_t i = s->req;
	fallback_not_live(g, s);
	if (s->flags & F_SUMMARY || !sc->fallback.on ||
	    (status != STATUS_BREAKER_OPEN && !(sc->fallback.on_classes & STATUS_BIT(status)))) {
		unanswered(g, s, t);
		return;
	}
	int c = next_in_chain(g, s);
	if (c < 0) {
		unanswered(g, s, t);
		return;
	}
	if (!gates_admit(g, s, t)) {
		ACCT_ADD(&g->a, s->grp, fallbacks_denied, 1);
		unanswered(g, s, t);
		return;
	}
	if (acct_fallback(&g->a, s->grp, t, !(s->flags & F_FALLBACK)) < 0) {
		g->failed = 1;
		return;
	}
	s->flags |= F_FALLBACK;
	if (sc->fallback.tenant_inflight_cap > 0) { /* only the tenant cap counts live fallbacks */
		s->flags |= F_FB_LIVE;
		g->tenant_live[s->grp.tenant]++;
	}
	s->model = (int16_t)model_of_route(g, i, sc->fallback.chain[c]);
	s->k = 0;
	start_call(g, s, t, CALL_MAIN);
}

/* ---- the batch queue (SPEC §10 "Batch") ---- */

static void flush(struct eng *g, int64_t t)
{
	size_t n = g->n_queue;
	g->n_queue = 0;
	g->queue_tok = 0;
	for (size_t q = 0; q < n && !g->failed; q++) {
		struct req_state *s = &g->pool[g->queue[q]];
		s->total++;
		start_call(g, s, t, CALL_BATCH);
	}
}

static void enqueue(struct eng *g, struct req_state *s, int64_t t)
{
	const struct scenario *sc = g->sc;
	uint64_t in, cached, out;
	call_tokens(g, s, CALL_BATCH, s->model, &in, &cached, &out);
	if (g->n_queue && g->queue_tok + in > (uint64_t)sc->batch.max_total_input_tokens)
		flush(g, t);
	if (g->n_queue == g->cap_queue && double_array((void **)&g->queue, &g->cap_queue, sizeof *g->queue) < 0) {
		err_set(g->e, "out of memory");
		g->failed = 1;
		return;
	}
	g->queue[g->n_queue++] = (uint32_t)(s - g->pool);
	g->queue_tok += in;
	if (in > (uint64_t)sc->batch.max_total_input_tokens || g->n_queue >= (size_t)sc->batch.max_batch_size)
		flush(g, t);
	if (g->n_queue) {
		int64_t iv = sc->batch.interval_us;
		int64_t next = (t >= 0 ? t / iv + 1 : -((-t) / iv)) * iv;
		if (next <= t)
			next += iv;
		if (g->flush_at != next) {
			g->flush_at = next;
			push(g, next, NULL, EV_FLUSH);
		}
	}
}

static void batch_done(struct eng *g, struct req_state *s, int64_t t)
{
	const struct scenario *sc = g->sc;
	if (s->status == STATUS_OK) {
		answered(g, s, t);
	} else if (s->total < sc->batch.max_attempts) {
		int m = model_of_route(g, s->req, sc->batch.fail_route);
		if (m != s->model)
			s->k = 0;
		s->model = (int16_t)m;
		enqueue(g, s, t);
	} else {
		unanswered(g, s, t);
	}
}

/* ---- arrivals ---- */

/* After cache and budget: to the batch queue, or routed to its model. */
static void dispatch(struct eng *g, struct req_state *s, int64_t t, int async)
{
	const struct scenario *sc = g->sc;
	uint32_t i = s->req;
	if (sc->batch.on && (async || g->batch_task[s->grp.task] || !trace_realtime(g->t, i))) {
		ACCT_ADD(&g->a, s->grp, batched, 1);
		s->flags |= F_IN_BATCH;
		s->model = (int16_t)model_of_route(g, i, sc->batch.first_route);
		s->k = 0;
		enqueue(g, s, t);
		return;
	}
	s->model = (int16_t)model_of_route(g, i, s->route);
	s->chain_next = 0;
	if (s->route != ROUTE_RECORDED)
		for (size_t c = 0; c < sc->fallback.n_chain; c++)
			if (sc->fallback.chain[c] == s->route) {
				s->chain_next = (uint8_t)(c + 1);
				break;
			}
	s->k = 0;
	start_call(g, s, t, CALL_MAIN);
}

/* A pool slot for request i arriving at t, its counters and flags zero; NULL when out of memory. */
static struct req_state *take_slot(struct eng *g, uint32_t i, struct group_ids grp, int64_t t)
{
	if (!g->n_free) {
		uint32_t n = g->n_pool ? 2 * g->n_pool : 1024;
		if (n > EV_MAX_SLOTS) {
			err_set(g->e, "more than %u requests in flight at once", EV_MAX_SLOTS);
			g->failed = 1;
			return NULL;
		}
		struct req_state *p = realloc(g->pool, (size_t)n * sizeof *p);
		uint32_t *f = p ? realloc(g->free_slots, (size_t)n * sizeof *f) : NULL;
		if (p)
			g->pool = p;
		if (!f) {
			err_set(g->e, "out of memory");
			g->failed = 1;
			return NULL;
		}
		g->free_slots = f;
		for (uint32_t k = n; k > g->n_pool; k--)
			g->free_slots[g->n_free++] = k - 1;
		g->n_pool = n;
	}
	struct req_state *s = &g->pool[g->free_slots[--g->n_free]];
	/* field by field: what the request reads before it writes (a struct literal here became
	 * a slow string store) */
	s->arrival_us = t;
	s->req = i;
	s->grp = grp;
	s->k = s->sk = s->total = 0;
	s->flags = 0;
	s->chain_next = 0;
	return s;
}

/* Request i of groups grp arrives at t; key: its cache key, NULL when it has none or the cache
 * is off. */
static void arrive(struct eng *g, uint32_t i, int64_t t, struct group_ids grp, const struct cache_key *key)
{
	const struct scenario *sc = g->sc;
	const struct trace *tr = g->t;
	if (key) {
		struct cache_value v;
		if (cache_lookup(&g->cache, key, t, &v)) {
			acct_arrival(&g->a, grp, t, 1);
			ACCT_ADD(&g->a, grp, cache_hits, 1);
			ACCT_ADD(&g->a, grp, cache_tokens_saved, v.saved_tok);
			ACCT_ADD(&g->a, grp, cache_usd_saved, (money_sum)v.saved_pusd);
			ACCT_ADD(&g->a, grp, resolved, 1);
			acct_latency(&g->a, i, grp, 0);
			acct_seen(&g->a, t);
			return;
		}
	}
	acct_arrival(&g->a, grp, t, 0);
	struct req_state *s = take_slot(g, i, grp, t);
	if (!s)
		return;
	if (key) {
		s->key = *key;
		s->flags |= F_KEYED;
	}
	int b = g->budget_of_task[grp.task], async = 0;
	s->route = (int16_t)route_of(g, i, grp);
	budget_tokens(g, i, b, s);
	if (b >= 0) { /* the budget's counts */
		const struct budget_policy *p = &sc->budget[b];
		if (p->output_max >= 0 && trace_output_tok(tr, i) > p->output_max)
			s->flags |= F_CAPPED;
		if (p->input_max >= 0 && trace_input_tok(tr, i) > p->input_max) {
			ACCT_ADD(&g->a, grp, budget_violations, 1);
			switch (p->overflow) {
			case OVERFLOW_TRUNCATE:
				ACCT_ADD(&g->a, grp, truncated, 1);
				break;
			case OVERFLOW_SUMMARIZE:
				ACCT_ADD(&g->a, grp, summarized, 1);
				s->flags |= F_SUMMARY;
				s->model = (int16_t)model_of_route(g, i, sc->summarize.route);
				start_call(g, s, t, CALL_SUMMARY);
				return;
			case OVERFLOW_ASYNC:
				ACCT_ADD(&g->a, grp, async, 1);
				async = 1;
				break;
			case OVERFLOW_REJECT:
				ACCT_ADD(&g->a, grp, rejected, 1);
				release(g, s, t);
				return;
			default:
				break;
			}
		}
	}
	dispatch(g, s, t, async);
}

/* Arrivals are known ahead: the r-th next arrival's groups and cache key are
 * found AHEAD arrivals early and what it will touch first is fetched then (its
 * tenant's counters, its cache bucket); its key parts 2 × AHEAD early.  The
 * progress count moves here too, off the event loop's path. */
#define AHEAD 16

struct ahead {
	struct group_ids grp;
	struct cache_key key;
	int keyed;
};

static void look_ahead(struct eng *g, struct ahead *ring, uint32_t r)
{
	const struct trace *t = g->t;
	int cached = g->sc->cache.on;
	if (r + AHEAD < t->n_req && cached) {
		uint32_t far = replay_arrival(g->rt, r + AHEAD);
		if (t->input[far] != TRACE_NONE)
			__builtin_prefetch(&g->norm_of_input[t->input[far]]);
	}
	if (r < t->n_req) {
		struct ahead *a = &ring[r % (2 * AHEAD)];
		engine_progress(g, r + 1); /* every request is looked ahead exactly once */
		uint32_t i = replay_arrival(g->rt, r);
		a->grp = replay_groups(g->rt, i);
		__builtin_prefetch(&g->a.r->by_tenant[a->grp.tenant]);
		__builtin_prefetch(&g->a.win_tenant[a->grp.tenant]);
		if ((a->keyed = cached && cache_key_of(g, i, a->grp, &a->key)))
			cache_prefetch(&g->cache, &a->key);
	}
}

static void simulate(struct eng *g)
{
	const struct trace *t = g->t;
	uint32_t next = 0;
	struct ahead ring[2 * AHEAD];
	for (uint32_t r = 0; r < AHEAD; r++)
		look_ahead(g, ring, r);
	/* the next arrival: request i at ts, which goes before the events of later requests at ts */
	uint32_t i = 0;
	int64_t ts = 0;
	events_key arrival = 0;
	for (;;) {
		if (next < t->n_req && !arrival) {
			i = replay_arrival(g->rt, next);
			ts = trace_ts_us(t, i);
			arrival = events_key_of(ts, event_low(EV_CALL_END, i, EV_MAX_SLOTS - 1));
		}
		if (g->failed || (!arrival && !g->events.n))
			break;
		if (arrival && (!g->events.n || events_top(&g->events) > arrival)) {
			const struct ahead *a = &ring[next % (2 * AHEAD)];
			look_ahead(g, ring, next + AHEAD);
			next++;
			arrival = 0;
			arrive(g, i, ts, a->grp, a->keyed ? &a->key : NULL);
			continue;
		}
		events_key ev = events_pop(&g->events);
		int64_t at = events_time(ev);
		uint64_t low = events_low(ev);
		struct req_state *s = &g->pool[low >> 2 & (EV_MAX_SLOTS - 1)];
		switch ((enum ev_type)(low & 3)) {
		case EV_FLUSH:
			if (g->flush_at == at) {
				g->flush_at = NO_FLUSH;
				flush(g, at);
			}
			break;
		case EV_CALL_END: call_end(g, s, at); break;
		case EV_RETRY:
			fallback_end_pending(g, s, at, 1, -1);
			start_call(g, s, at, s->flags & F_SUMMARY ? CALL_SUMMARY : CALL_MAIN);
			break;
		case EV_BATCH_DONE: batch_done(g, s, at); break;
		}
	}
}

int replay_run(const struct replay_trace *rt, const struct scenario *sc, struct result_scenario *out,
               struct replay_progress *progress, struct err *e)
{
	struct eng g;
	memset(out, 0, sizeof *out);
	out->name = strdup(sc->name ? sc->name : "");
	out->recorded = sc->mode == SCENARIO_MODE_RECORDED;
	out->has_billed = out->recorded && rt->t->cost_pusd != NULL;
	out->span_us = rt->last_us - rt->first_us;
	out->days_ppb = sc->projection.days.ppb;
	out->sample_rate_ppb = sc->projection.sample_rate.ppb;
	out->multiplier_ppb = sc->projection.traffic_multiplier.ppb;
	if (!out->name)
		return err_set(e, "out of memory");
	int rc = engine_init(&g, rt, sc, out, e);
	g.progress = progress;
	if (rc == 0)
		rc = engine_check_models(&g, out->recorded);
	if (rc == 0) {
		if (out->recorded) {
			rc = replay_recorded(&g);
		} else {
			simulate(&g);
			rc = g.failed ? -1 : 0;
		}
	}
	if (rc < 0 && !e->msg[0] && progress && atomic_load_explicit(&progress->stop, memory_order_relaxed))
		err_set(e, "stopped"); /* engine_progress ended the run */
	if (rc == 0)
		rc = acct_finish(&g.a);
	if (rc == 0 && progress) /* the requests of the last step begun */
		atomic_fetch_add_explicit(&progress->requests, rt->t->n_req & (REPLAY_PROGRESS_STEP - 1),
		                          memory_order_relaxed);
	engine_fini(&g);
	if (rc < 0)
		result_scenario_fini(out);
	return rc;
}
