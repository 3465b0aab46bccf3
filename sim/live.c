/*
 * The live runner's per-request policy sequence (SPEC §4 order, §8): cache,
 * budget, route, then calls with their retries and the fallback chain, each
 * call sent only when its worst case still fits under the spend cap.  Workers
 * take requests in trace order; what they share (the cap's books, the cache,
 * the counts) is under one lock, never held across a call or a sleep.
 */
#include "sim/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/money.h"

const char *const live_outcome_names[N_LIVE_OUTCOME] = {
	"not_sent", "answered", "cache_hit", "degraded", "failed", "rejected", "capped", "interrupted",
};

/* What a request's calls came to: an answer, a give-up class, or a stop (cap or fatal). */
#define CALLS_STOPPED (-1)

static const char *name_of(const struct trace *t, uint32_t id)
{
	return intern_str(&t->names, id, NULL);
}

/* A call's input at its worst: a token per byte of its text and instructions, and the framing. */
static uint64_t worst_input_tokens(const struct live_call *c)
{
	return c->input_len + (c->instructions ? strlen(c->instructions) : 0) + LIVE_FRAMING_TOKENS;
}

int64_t live_worst_pusd(const struct scenario *sc, int m, const struct live_call *c)
{
	uint64_t in = worst_input_tokens(c);
	int64_t pusd;
	if (money_call_pusd(&sc->pricing->models[m].price, in, 0, c->max_output_tokens, &pusd) < 0)
		return INT64_MAX;
	return pusd;
}

void live_dry_call(void *ctx, const struct live_call *c, struct live_reply *r)
{
	(void)ctx;
	memset(r, 0, sizeof *r);
	r->status = STATUS_OK;
	r->retry_after_us = -1;
	r->input_tok = worst_input_tokens(c);
	r->output_tok = c->max_output_tokens;
	if (c->instructions) { /* a summary: the text's head, as long as the answer may be */
		size_t n = (size_t)c->max_output_tokens * 4 < c->input_len ? (size_t)c->max_output_tokens * 4
		                                                             : c->input_len;
		if ((r->text = malloc(n + 1))) {
			memcpy(r->text, c->input, n);
			r->text[n] = 0;
			r->text_len = n;
		}
	}
}

/* ---- set-up ---- */

int live_init(struct live *lv, const struct trace *t, const struct scenario *sc,
              const struct live_transport *tr, int64_t cap_pusd, struct live_record *rec, size_t n,
              struct err *e)
{
	memset(lv, 0, sizeof *lv);
	lv->t = t;
	lv->sc = sc;
	lv->tr = tr;
	lv->cap_pusd = cap_pusd;
	lv->rec = rec;
	lv->n = n;
	pthread_mutex_init(&lv->mu, NULL);
	intern_init(&lv->keys);
	if (!(lv->recorded_model = malloc((n ? n : 1) * sizeof *lv->recorded_model)))
		return err_set(e, "out of memory");
	for (size_t r = 0; r < n; r++) {
		uint32_t i = rec[r].req;
		uint32_t a = trace_att_begin(t, i);
		const char *model = a < trace_att_end(t, i) ? name_of(t, trace_att_model(t, a)) : NULL;
		lv->recorded_model[r] = model ? pricing_index(sc->pricing, model) : -1;
		rec[r].answer = -1;
		int route = scenario_route_for(sc, name_of(t, trace_task(t, i)), name_of(t, trace_tenant(t, i)),
		                               trace_difficulty(t, i), trace_input_tok(t, i));
		if (route != ROUTE_RECORDED || lv->recorded_model[r] >= 0)
			continue;
		char at[CLOCK_TEXT_MAX], where[TRACE_WHERE_MAX];
		trace_request_where(t, i, at, where);
		if (!model)
			return err_set(e, "the request at %s (%s) has no recorded model, and the scenario routes it "
			               "to the recorded one", at, where);
		return err_set(e, "model \"%s\" (of the request at %s, %s) is not in the pricing table %s", model, at,
		               where, sc->pricing->path ? sc->pricing->path : "");
	}
	if (sc->cache.on) {
		const struct cache_policy *policy =
			cache_policy_find(sc->cache.eviction == EVICTION_FIFO ? "fifo" : "lru", e);
		if (!policy || normalize_init(&lv->nz, sc->cache.normalize, e) < 0 ||
		    cache_init(&lv->cache, policy, (uint64_t)sc->cache.capacity, n ? (uint32_t)n : 1, e) < 0)
			return -1;
		lv->cache_ready = 1;
	}
	return 0;
}

void live_fini(struct live *lv)
{
	if (lv->cache_ready)
		cache_fini(&lv->cache);
	intern_fini(&lv->keys);
	free(lv->nbuf);
	free(lv->recorded_model);
	pthread_mutex_destroy(&lv->mu);
}

/* ---- the cap's books and the counts (under mu) ---- */

/* Books call c's worst case on model m of record r before it is sent; -1 when it must not be. */
static int reserve(struct live *lv, size_t r, int m, const struct live_call *c, int64_t *worst)
{
	*worst = live_worst_pusd(lv->sc, m, c);
	int ok;
	pthread_mutex_lock(&lv->mu);
	if (lv->interrupted && lv->stop == LIVE_RUNNING)
		lv->stop = LIVE_STOP_INTERRUPTED;
	ok = !lv->interrupted && (lv->stop == LIVE_RUNNING || lv->stop == LIVE_STOP_CAP) && *worst != INT64_MAX &&
	     lv->spent_pusd + lv->reserved_pusd <= lv->cap_pusd - *worst;
	if (ok) {
		lv->reserved_pusd += *worst;
	} else if (lv->stop == LIVE_RUNNING) {
		lv->stop = LIVE_STOP_CAP;
		lv->refused_pusd = *worst;
		lv->refused_at = r;
		lv->refused_spent_pusd = lv->spent_pusd;
		lv->refused_reserved_pusd = lv->reserved_pusd;
	}
	pthread_mutex_unlock(&lv->mu);
	return ok ? 0 : -1;
}

/* Settles a call: its worst case off the books, what it costs on (a timeout at its worst: the
 * API may still bill it). */
static void settle(struct live *lv, size_t r, int64_t worst, const struct live_reply *rep, int64_t pusd,
                   int retry)
{
	pthread_mutex_lock(&lv->mu);
	lv->reserved_pusd -= worst;
	lv->spent_pusd += rep->status == STATUS_OK ? pusd : rep->status == STATUS_TIMEOUT ? worst : 0;
	lv->counts.calls++;
	lv->counts.retries += retry != 0;
	if (rep->status == STATUS_OK && pusd > worst && (!lv->n_over++ || r < lv->over_at)) {
		lv->over_at = r;
		lv->over_pusd = pusd;
		lv->over_worst_pusd = worst;
	}
	if (rep->status != STATUS_OK && rep->status < N_STATUS &&
	    (!lv->failed[rep->status]++ || r < lv->failed_at[rep->status])) { /* the first in trace order */
		lv->failed_at[rep->status] = r;
		snprintf(lv->failed_why[rep->status], sizeof lv->failed_why[0], "%s", rep->msg);
	}
	if (rep->fatal && lv->stop != LIVE_STOP_FATAL) {
		lv->stop = LIVE_STOP_FATAL;
		snprintf(lv->why, sizeof lv->why, "%s", rep->msg);
	}
	pthread_mutex_unlock(&lv->mu);
}

static void fail(struct live *lv, const char *why)
{
	pthread_mutex_lock(&lv->mu);
	if (lv->stop != LIVE_STOP_ERROR) {
		lv->stop = LIVE_STOP_ERROR;
		snprintf(lv->why, sizeof lv->why, "%s", why);
	}
	pthread_mutex_unlock(&lv->mu);
}

/* ---- one request ---- */

static struct live_attempt *attempt_new(struct live *lv, struct live_record *rec)
{
	struct live_attempt *a = realloc(rec->att, (rec->n_att + 1) * sizeof *a);
	if (!a) {
		fail(lv, "out of memory");
		return NULL;
	}
	rec->att = a;
	return &a[rec->n_att++];
}

/* Waits wait_us in slices (LIVE_SLEEP_SLICE_US), so that Ctrl-C ends the wait. */
static void sleep_sliced(struct live *lv, int64_t wait_us)
{
	while (wait_us > 0 && !lv->interrupted) {
		int64_t slice = wait_us < LIVE_SLEEP_SLICE_US ? wait_us : LIVE_SLEEP_SLICE_US;
		lv->tr->sleep_us(lv->tr->ctx, slice);
		wait_us -= slice;
	}
}

/*
 * Calls model m with c, retrying per the scenario.  Returns the last call's
 * class (STATUS_OK with *reply holding the answer, which the caller frees),
 * or CALLS_STOPPED when a call could not be sent.
 */
static int call_model(struct live *lv, size_t r, int m, struct live_call *c, int summarize,
                      struct live_reply *reply)
{
	const struct scenario *sc = lv->sc;
	struct live_record *rec = &lv->rec[r];
	const struct price_model *pm = &sc->pricing->models[m];
	c->model = pm->name;
	c->timeout_us = sc->retry.timeout_us > 0 ? sc->retry.timeout_us : LIVE_DEFAULT_TIMEOUT_US;
	int reconnects = 0;          /* of this call, which reached no server */
	for (int64_t k = 1;; k++) {
		int64_t worst;
		if (reserve(lv, r, m, c, &worst) < 0)
			return CALLS_STOPPED;
		struct live_attempt *a = attempt_new(lv, rec);
		if (!a)
			return CALLS_STOPPED;
		a->ts_us = lv->tr->now_us(lv->tr->ctx);
		lv->tr->call(lv->tr->ctx, c, reply);
		if (reply->unsent) { /* no call was made: none recorded, none counted, none billed */
			rec->n_att--;
			free(reply->text);
			reply->text = NULL;
			pthread_mutex_lock(&lv->mu);
			lv->reserved_pusd -= worst;
			/* a connection lost once the server was reached (a call counted: it answered, or
			 * failed there) is transient (a restarting proxy, a DNS hiccup): tried again; a
			 * set-up that never reached it is wrong: the run stops */
			int again = !reply->fatal && lv->counts.calls && reconnects < LIVE_CONNECT_RETRIES;
			if (!again && lv->stop != LIVE_STOP_FATAL) {
				lv->stop = LIVE_STOP_FATAL;
				if (reconnects)
					snprintf(lv->why, sizeof lv->why, "%s (tried again %d times over %.1f s)", reply->msg,
					         reconnects, (double)(LIVE_CONNECT_BACKOFF_US * ((1 << reconnects) - 1)) / 1e6);
				else
					snprintf(lv->why, sizeof lv->why, "%s", reply->msg);
			}
			pthread_mutex_unlock(&lv->mu);
			if (!again)
				return CALLS_STOPPED;
			sleep_sliced(lv, LIVE_CONNECT_BACKOFF_US << reconnects++);
			k--; /* the same call, sent again */
			continue;
		}
		*a = (struct live_attempt){ .model = m, .status = reply->status, .summarize = summarize,
		                            .ts_us = a->ts_us };
		a->latency_us = lv->tr->now_us(lv->tr->ctx) - a->ts_us;
		memcpy(a->id, reply->id, sizeof a->id);
		a->id[sizeof a->id - 1] = 0;
		if (reply->status == STATUS_OK) {
			a->input_tok = reply->input_tok;
			a->cached_tok = reply->cached_tok <= reply->input_tok ? reply->cached_tok : reply->input_tok;
			a->output_tok = reply->output_tok;
			if (money_call_pusd(&pm->price, a->input_tok, a->cached_tok, a->output_tok, &a->pusd) < 0)
				a->pusd = worst;
			rec->cost_pusd += a->pusd;
		} else {
			a->input_tok = summarize ? trace_input_tok(lv->t, rec->req) : (uint64_t)-1; /* set below */
			/* a timeout as it may be billed (SPEC §10 `full`: as if it had answered, its output
			 * capped): the output it was allowed */
			if (reply->status == STATUS_TIMEOUT)
				a->output_tok = c->max_output_tokens;
		}
		if (reply->retry_after_us > LIVE_RETRY_AFTER_MAX_US && (sc->retry.on & STATUS_BIT(reply->status)) &&
		    k < sc->retry.max_attempts) { /* the reason the model gives up, said with the failure */
			size_t n = strlen(reply->msg);
			snprintf(reply->msg + n, sizeof reply->msg - n, " (Retry-After %lld s, over %lld s: not "
			         "waited for, the model gives up)", (long long)(reply->retry_after_us / 1000000),
			         (long long)(LIVE_RETRY_AFTER_MAX_US / 1000000));
		}
		settle(lv, r, worst, reply, a->pusd, k > 1);
		if (reply->status == STATUS_OK || reply->fatal)
			return reply->fatal ? CALLS_STOPPED : STATUS_OK;
		free(reply->text);
		reply->text = NULL;
		if (!(sc->retry.on & STATUS_BIT(reply->status)) || k >= sc->retry.max_attempts ||
		    reply->retry_after_us > LIVE_RETRY_AFTER_MAX_US)
			return (int)reply->status;
		int64_t wait = scenario_backoff_us(sc, (unsigned)k);
		if (reply->retry_after_us > wait)
			wait = reply->retry_after_us;
		sleep_sliced(lv, wait);
	}
}

/* The number of a name or a normalized text among the cache's keys (under mu); 0 on failure. */
static uint32_t key_number(struct live *lv, const char *s, size_t n)
{
	uint32_t id;
	if (intern_add(&lv->keys, s, n, &id) < 0)
		return 0;
	return id + 1;
}

/* Request r's cache key (under mu); 0 when it has none or memory ran out. */
static int cache_key_of(struct live *lv, size_t r, const char *text, size_t len, struct cache_key *k)
{
	const struct trace *t = lv->t;
	uint32_t i = lv->rec[r].req;
	unsigned parts = lv->sc->cache.key;
	*k = (struct cache_key){ 0 };
	if (parts & CACHE_PART_TENANT) {
		const char *s = name_of(t, trace_tenant(t, i));
		k->tenant = key_number(lv, s, strlen(s));
	}
	if (parts & CACHE_PART_TASK) {
		const char *s = name_of(t, trace_task(t, i));
		k->task = key_number(lv, s, strlen(s));
	}
	if (parts & CACHE_PART_INPUT) {
		size_t need = NORMALIZE_OUT_MAX(len) + 1, out;
		if (need > lv->nbuf_size) {
			char *b = realloc(lv->nbuf, need);
			if (!b)
				return 0;
			lv->nbuf = b;
			lv->nbuf_size = need;
		}
		if (normalize_text(&lv->nz, text, len, lv->nbuf, lv->nbuf_size, &out) < 0)
			return 0;
		/* a text's number apart from the names': a text equal to a tenant's name is another key */
		lv->nbuf[out] = '\x01';
		k->text = CACHE_TEXT_INPUT(key_number(lv, lv->nbuf, out + 1));
	}
	return (!(parts & CACHE_PART_TENANT) || k->tenant) && (!(parts & CACHE_PART_TASK) || k->task) &&
	       (!(parts & CACHE_PART_INPUT) || k->text);
}

/* The pricing model of `route` for record r: the route's, or the request's recorded one (-1
 * when it has none priced). */
static int model_of_route(const struct live *lv, size_t r, int route)
{
	return route == ROUTE_RECORDED ? lv->recorded_model[r] : lv->sc->routes[route].model_idx;
}

/* The longest head of text[0..n) of at most max bytes that ends at a character boundary. */
static size_t utf8_head(const char *text, size_t n, uint64_t max)
{
	if (n <= max)
		return n;
	size_t k = (size_t)max;
	while (k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80)
		k--;
	return k;
}

static void run_request(struct live *lv, size_t r)
{
	const struct trace *t = lv->t;
	const struct scenario *sc = lv->sc;
	struct live_record *rec = &lv->rec[r];
	uint32_t i = rec->req;
	size_t len;
	const char *text = intern_str(&t->inputs, t->input[i], &len);
	const char *task = name_of(t, trace_task(t, i));
	struct cache_key key;
	int keyed = 0;
	rec->start_us = lv->tr->now_us(lv->tr->ctx);
	rec->outcome = LIVE_FAILED;

	if (sc->cache.on) { /* 1. the cache */
		pthread_mutex_lock(&lv->mu);
		keyed = cache_key_of(lv, r, text, len, &key);
		int hit = keyed && cache_lookup(&lv->cache, &key, rec->start_us, NULL);
		pthread_mutex_unlock(&lv->mu);
		if (hit) {
			rec->outcome = LIVE_CACHE_HIT;
			return;
		}
	}

	/* 2. the budget */
	const struct budget_policy *p = scenario_budget_for(sc, task);
	uint32_t in = trace_input_tok(t, i);
	int64_t max_out = p && p->output_max >= 0 ? p->output_max : trace_output_tok(t, i);
	struct live_call c = { .input = text, .input_len = len,
	                       .max_output_tokens = (uint32_t)(max_out > LIVE_MIN_OUTPUT ? max_out : LIVE_MIN_OUTPUT) };
	struct live_reply summary = { 0 }, reply = { 0 };
	uint64_t sent_tok = in;
	int status;
	if (p && p->input_max >= 0 && in > p->input_max) {
		switch (p->overflow) {
		case OVERFLOW_REJECT:
			rec->outcome = LIVE_REJECTED;
			return;
		case OVERFLOW_TRUNCATE:
			c.input_len = utf8_head(text, len, (uint64_t)p->input_max * 4);
			sent_tok = (uint64_t)p->input_max;
			break;
		case OVERFLOW_SUMMARIZE: {
			uint64_t k = scenario_summary_tokens(sc, in);
			if (k > (uint64_t)p->input_max)
				k = (uint64_t)p->input_max;
			if (k < LIVE_MIN_OUTPUT)
				k = LIVE_MIN_OUTPUT;
			char instructions[sizeof LIVE_SUMMARIZE_INSTRUCTIONS + 16];
			snprintf(instructions, sizeof instructions, LIVE_SUMMARIZE_INSTRUCTIONS, (unsigned)k);
			struct live_call s = { .input = text, .input_len = len, .instructions = instructions,
			                       .max_output_tokens = (uint32_t)k };
			int m = model_of_route(lv, r, sc->summarize.route);
			status = m < 0 ? STATUS_INVALID_REQUEST : call_model(lv, r, m, &s, 1, &summary);
			if (status != STATUS_OK)
				goto unanswered;
			c.input = summary.text ? summary.text : "";
			c.input_len = summary.text ? summary.text_len : 0;
			sent_tok = summary.output_tok;
			break;
		}
		default: /* async: live has no batch queue, the request is sent at once */
			break;
		}
	}

	/* 3. the route, 4.–6. its calls, retries and fallbacks */
	int route = scenario_route_for(sc, task, name_of(t, trace_tenant(t, i)), trace_difficulty(t, i), in);
	int m = model_of_route(lv, r, route);
	int tried[SCENARIO_MAX_CHAIN + 1], n_tried = 0;
	size_t first_main = rec->n_att;
	tried[n_tried++] = m;
	status = call_model(lv, r, m, &c, 0, &reply);
	for (size_t ch = 0; status > STATUS_OK && sc->fallback.on && (sc->fallback.on_classes & STATUS_BIT(status)) &&
	                    ch < sc->fallback.n_chain; ch++) {
		int f = model_of_route(lv, r, sc->fallback.chain[ch]);
		int seen = f < 0;
		for (int d = 0; d < n_tried; d++)
			seen |= tried[d] == f;
		if (seen)
			continue;
		tried[n_tried++] = f;
		pthread_mutex_lock(&lv->mu);
		lv->counts.fallbacks++;
		pthread_mutex_unlock(&lv->mu);
		status = call_model(lv, r, f, &c, 0, &reply);
	}
	for (size_t a = first_main; a < rec->n_att; a++) /* a failed call's tokens: those it was sent */
		if (rec->att[a].input_tok == (uint64_t)-1)
			rec->att[a].input_tok = sent_tok;
	if (c.input != text || c.input_len != len) { /* the record says what was sent instead */
		if ((rec->sent = malloc(c.input_len + 1))) {
			memcpy(rec->sent, c.input, c.input_len);
			rec->sent[c.input_len] = 0;
		}
	}
	if (status == STATUS_OK) {
		rec->outcome = LIVE_ANSWERED;
		rec->answer = (int)rec->n_att - 1;
		rec->output = reply.text;
		reply.text = NULL;
		if (keyed) {
			const struct live_attempt *a = &rec->att[rec->answer];
			int64_t ttl = sc->cache.ttl_us[sc->pricing->models[a->model].tier];
			struct cache_value v = { a->input_tok + a->output_tok, a->pusd };
			pthread_mutex_lock(&lv->mu);
			int64_t now = lv->tr->now_us(lv->tr->ctx);
			if (cache_insert(&lv->cache, &key, &v, ttl > 0 ? ttl : CACHE_NO_TTL, now) < 0)
				keyed = 0; /* past the cache's room: the answer is not kept */
			pthread_mutex_unlock(&lv->mu);
		}
		goto out;
	}
unanswered:
	if (status == CALLS_STOPPED) {
		pthread_mutex_lock(&lv->mu);
		rec->outcome = !rec->n_att ? LIVE_NOT_SENT : lv->interrupted ? LIVE_INTERRUPTED
		             : lv->stop == LIVE_STOP_CAP ? LIVE_CAPPED : LIVE_FAILED;
		pthread_mutex_unlock(&lv->mu);
	} else
		rec->outcome = sc->fallback.on && scenario_strlist_has(&sc->fallback.degrade_tasks, task)
		               ? LIVE_DEGRADED : LIVE_FAILED;
out:
	free(summary.text);
	free(reply.text);
}

void live_records_free(struct live_record *rec, size_t n)
{
	for (size_t r = 0; rec && r < n; r++) {
		free(rec[r].att);
		free(rec[r].sent);
		free(rec[r].output);
	}
}

/* ---- the workers ---- */

static void *worker(void *arg)
{
	struct live *lv = arg;
	for (;;) {
		pthread_mutex_lock(&lv->mu);
		size_t r = lv->next;
		if (lv->interrupted && lv->stop == LIVE_RUNNING)
			lv->stop = LIVE_STOP_INTERRUPTED;
		int go = r < lv->n && lv->stop == LIVE_RUNNING;
		if (go)
			lv->next++;
		pthread_mutex_unlock(&lv->mu);
		if (!go)
			return NULL;
		run_request(lv, r);
		pthread_mutex_lock(&lv->mu);
		if (lv->rec[r].outcome != LIVE_NOT_SENT)
			lv->counts.sent++;
		lv->counts.outcome[lv->rec[r].outcome]++;
		if (lv->on_ended && lv->on_ended(lv->on_ended_ctx, lv, r) && lv->stop != LIVE_STOP_ERROR)
			lv->stop = LIVE_STOP_ERROR; /* its reason in why, written by the callback */
		pthread_mutex_unlock(&lv->mu);
	}
}

void live_run(struct live *lv, unsigned workers)
{
	pthread_t th[64];
	unsigned started = 0;
	if (workers > 64)
		workers = 64;
	for (unsigned w = 1; w < workers; w++, started++)
		if (pthread_create(&th[started], NULL, worker, lv) != 0)
			break; /* fewer threads still finish the work */
	worker(lv);
	for (unsigned w = 0; w < started; w++)
		pthread_join(th[w], NULL);
}

const char *live_usd_text(char *buf, int64_t pusd, int64_t cap_pusd)
{
	int64_t unit = 1000000; /* pico-USD of the last decimal shown: the micro-dollar, or the cap's */
	int decimals = 6;
	while (unit > 1 && cap_pusd % unit) {
		unit /= 10;
		decimals++;
	}
	int64_t q = pusd / unit + (pusd % unit > 0), scale = 1;
	for (int d = 0; d < decimals; d++)
		scale *= 10;
	int n = snprintf(buf, LIVE_USD_TEXT, "$%lld.%0*lld", (long long)(q / scale), decimals,
	                 (long long)(q % scale));
	for (int cut = decimals; cut > 6 && buf[n - 1] == '0'; cut--)
		buf[--n] = 0;
	return buf;
}
