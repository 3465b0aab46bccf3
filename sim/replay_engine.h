/*
 * The state of one scenario's replay, shared by the files of the engine that
 * act on it: the event loop (replay.c), its set-up (replay_setup.c) and the
 * recorded scenario (replay_recorded.c).  Nothing outside sim/replay*.c sees it.
 */
#ifndef SIM_REPLAY_ENGINE_H
#define SIM_REPLAY_ENGINE_H

#include "sim/draw.h"
#include "sim/events.h"
#include "sim/replay_internal.h"
#include "sim/scenario.h"

#define DRAW_TABLED 8 /* a model's attempts drawn by table (sim/draw.h); later ones byte by byte */
#define NO_FLUSH INT64_MIN /* no batch flush pending (0 is a boundary like any other) */

enum breaker_state { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_PROBING };

struct breaker {
	uint8_t *ring;           /* the last `window` outcomes, 1 = failure */
	int64_t n, pos, fails;
	enum breaker_state state;
	int64_t open_until;
};

/* A routing rule's conditions on a request: a dense tenant or task (TRACE_NONE: no condition;
 * NO_SUCH_NAME: a name the trace lacks), a difficulty (DIFFICULTY_NONE: none) and input tokens
 * in (gt, lt), bounds that always hold when the rule sets none. */
struct rule_test {
	uint32_t task, tenant;
	int difficulty, route;
	int64_t gt, lt;
};

struct eng {
	const struct replay_trace *rt;
	const struct trace *t;
	const struct scenario *sc;
	struct acct a;
	struct req_state *pool;  /* request states in flight */
	uint32_t *free_slots;    /* pool slots not in use */
	uint32_t n_pool, n_free;
	struct events events;
	uint32_t *model_name;    /* pricing model → trace name id (TRACE_NONE: not in the trace) */
	int *price_of_name;      /* trace name id → pricing model, -1 */
	int *budget_of_task;     /* dense task → index in sc->budget, -1 */
	struct rule_test *rules; /* the routing rules, as tests of a request's groups and columns */
	uint8_t *batch_task, *degrade_task; /* per dense task */
	uint32_t *tenant_live;   /* fallbacks in flight per dense tenant */
	struct ending *ending;   /* live fallbacks whose end at an instant is still pending */
	size_t n_ending, cap_ending; /* cap a power of two */
	struct breaker *breakers;
	struct cache cache;
	int cache_ready;
	const uint32_t *norm_of_input; /* input id → its normalized text's first input (replay_normalized) */
	uint32_t *queue;         /* the batch queue: pool slots */
	size_t n_queue, cap_queue;
	uint64_t queue_tok;
	int64_t flush_at;        /* the boundary flush pending, NO_FLUSH when none */
	int64_t discount_ppb;
	int64_t breaker_trip;    /* failures in a full window that open the breaker: ⌈ratio × window⌉ */
	struct err *e;
	int failed;              /* an accounting step ran out of memory, or a stop came (engine_progress) */
	struct draw_requests draws; /* the draws' request states (SPEC §10 "The draw") */
	struct draw_suffix **draw_tables; /* per model, summarize or not, attempt ≤ DRAW_TABLED: made on first use */
	struct replay_progress *progress; /* the front end's count of requests taken in, or NULL */
};

/* The engine for scenario sc over rt, its results going to r; -1 with e set (engine_fini
 * releases what it made either way). */
int engine_init(struct eng *g, const struct replay_trace *rt, const struct scenario *sc,
                struct result_scenario *r, struct err *e);
void engine_fini(struct eng *g);
/* Every model a run will price is in the pricing table (SPEC §4.5): all recorded attempts'
 * (all_attempts), or, without routes, each request's first; -1 naming the one missing. */
int engine_check_models(struct eng *g, int all_attempts);
/* The recorded scenario: the trace priced as it happened; -1 with g->e set. */
int replay_recorded(struct eng *g);

/* Request `taken` (the number taken in so far, from 1) counts toward the front end's progress,
 * a step at a time. */
static inline void engine_progress(struct eng *g, uint32_t taken)
{
	if (!(taken & (REPLAY_PROGRESS_STEP - 1)) && g->progress) {
		atomic_fetch_add_explicit(&g->progress->requests, REPLAY_PROGRESS_STEP, memory_order_relaxed);
		/* a stop ends the run, which replay_run reports; no call here, where a call would
		 * make its callers' loops save registers for every request */
		g->failed |= atomic_load_explicit(&g->progress->stop, memory_order_relaxed) != 0;
	}
}

/* Billed tokens and cost of an attempt with outcome `status` (SPEC §10 billing). */
static inline int bill(struct eng *g, int m, int status, uint64_t in, uint64_t cached, uint64_t out,
                struct call_record *c)
{
	scenario_billed_tokens(g->sc, status, &in, &cached, &out);
	c->input_tok = in;
	c->cached_tok = cached;
	c->output_tok = out;
	if (money_call_pusd(&g->sc->pricing->models[m].price, c->input_tok, c->cached_tok, c->output_tok,
	                    &c->pusd) < 0)
		return err_set(g->e, "a call on %s costs more than $9.2 million", g->sc->pricing->models[m].name);
	return 0;
}

#endif
