/*
 * A scenario's engine made ready for the event loop (sim/replay.c): the
 * pricing table's models matched with the trace's names, the routing rules
 * and per-task policies turned into tests on dense numbers, the breakers and
 * the cache; and the check that every model a run will price has a price.
 */
#include "sim/replay_engine.h"

#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/draw.h"

/* Per name id of trace t, the index of the pricing model of that name, or -1; NULL when out of
 * memory. */
static int *prices_of_names(const struct trace *t, const struct pricing *p)
{
	int *price_of_name = malloc(((size_t)t->names.n + 1) * sizeof *price_of_name);
	for (uint32_t n = 0; price_of_name && n < t->names.n; n++)
		price_of_name[n] = pricing_index(p, intern_str(&t->names, n, NULL));
	return price_of_name;
}

static int model_maps(struct eng *g)
{
	const struct scenario *sc = g->sc;
	const struct trace *t = g->t;
	size_t nm = sc->pricing->n_models;
	if (sc->fallback.on && sc->fallback.n_chain > SCENARIO_MAX_CHAIN) /* the loaders refuse it */
		return err_set(g->e, "%s: fallback.chain: at most %d entries", sc->name, SCENARIO_MAX_CHAIN);
	g->model_name = malloc((nm + 1) * sizeof *g->model_name);
	g->price_of_name = prices_of_names(t, sc->pricing);
	if (!g->model_name || !g->price_of_name)
		return err_set(g->e, "out of memory");
	for (size_t m = 0; m < nm; m++)
		if (!intern_find(&t->names, sc->pricing->models[m].name, strlen(sc->pricing->models[m].name),
		                 &g->model_name[m]))
			g->model_name[m] = TRACE_NONE;
	return 0;
}

/* The check of engine_check_models on trace t, whose name ids map to the pricing table's
 * models by price_of_name (-1: none). */
static int check_models(const struct trace *t, const struct scenario *sc, const int *price_of_name, int all_attempts,
                        struct err *e)
{
	const char *pricing = sc->pricing->path ? sc->pricing->path : "the pricing table";
	if (!all_attempts && sc->n_routes)
		return 0; /* every call runs on a route's model, which the scenario loader checked */
	for (uint32_t i = 0; i < t->n_req; i++) {
		uint32_t from = trace_att_begin(t, i), end = trace_att_end(t, i), to = all_attempts ? end : from + 1;
		char at[CLOCK_TEXT_MAX], where[TRACE_WHERE_MAX];
		if (from == end) {
			trace_request_where(t, i, at, where);
			return err_set(e, "the request at %s (%s) has no recorded model to %s", at, where,
			               all_attempts ? "price" : "run on (the scenario has no routes to name one)");
		}
		for (uint32_t a = from; a < to; a++)
			if (price_of_name[trace_att_model(t, a)] < 0) {
				trace_request_where(t, i, at, where);
				size_t n;
				const char *name = intern_str(&t->names, trace_att_model(t, a), &n);
				/* a dated snapshot name whose alias the table has: a trace v1 line keeps its
				 * name as written, where the other formats' readers take the alias */
				char alias[256] = "";
				size_t k = pricing_undated(name, n);
				if (k < n && k < sizeof alias) {
					memcpy(alias, name, k);
					alias[k] = 0;
				}
				if (*alias && pricing_index(sc->pricing, alias) >= 0)
					return err_set(e, "model \"%s\" (of the request at %s, %s) is not in %s, which prices "
					               "its alias \"%s\": write the alias in the trace (a dated snapshot name "
					               "is read without its date from the other formats, not from trace v1 "
					               "lines), or add the dated name's prices there",
					               name, at, where, pricing, alias);
				return err_set(e, "model \"%s\" (of the request at %s, %s) is not in %s: add its prices "
				               "there, or give the scenario a \"pricing\" file that has them",
				               name, at, where, pricing);
			}
	}
	return 0;
}

int engine_check_models(struct eng *g, int all_attempts)
{
	return check_models(g->t, g->sc, g->price_of_name, all_attempts, g->e);
}

int replay_check_models(const struct trace *t, const struct scenario *sc, struct err *e)
{
	int *price_of_name = prices_of_names(t, sc->pricing);
	if (!price_of_name) {
		err_set(e, "out of memory");
		return -2;
	}
	int rc = check_models(t, sc, price_of_name, sc->mode == SCENARIO_MODE_RECORDED, e);
	free(price_of_name);
	return rc;
}

#define NO_SUCH_NAME (TRACE_NONE - 1)

/* A routing condition's tenant or task name as a dense number (`dense`: name id → number). */
static uint32_t dense_id(const struct trace *t, const uint32_t *dense, const char *name)
{
	uint32_t id;
	if (!name)
		return TRACE_NONE;
	return intern_find(&t->names, name, strlen(name), &id) && dense[id] != UINT32_MAX ? dense[id] : NO_SUCH_NAME;
}

static int per_task(struct eng *g)
{
	const struct scenario *sc = g->sc;
	const struct trace *t = g->t;
	size_t n = (size_t)g->rt->n_tasks + 1;
	g->budget_of_task = malloc(n * sizeof *g->budget_of_task);
	g->batch_task = calloc(n, 1);
	g->degrade_task = calloc(n, 1);
	g->rules = malloc((sc->routing.n_rules + 1) * sizeof *g->rules);
	if (!g->budget_of_task || !g->batch_task || !g->degrade_task || !g->rules)
		return err_set(g->e, "out of memory");
	for (size_t r = 0; r < sc->routing.n_rules; r++) {
		const struct routing_rule *rule = &sc->routing.rules[r];
		g->rules[r] = (struct rule_test){ dense_id(t, g->rt->task_of, rule->task),
			dense_id(t, g->rt->tenant_of, rule->tenant), rule->difficulty,
			rule->route, rule->input_tokens_gt, rule->input_tokens_lt >= 0 ? rule->input_tokens_lt : INT64_MAX };
	}
	for (uint32_t d = 0; d < g->rt->n_tasks; d++) {
		const char *name = g->rt->task_names[d];
		const struct budget_policy *p = scenario_budget_for(sc, name);
		g->budget_of_task[d] = p ? (int)(p - sc->budget) : -1;
		g->batch_task[d] = (uint8_t)scenario_strlist_has(&sc->batch.tasks, name);
		g->degrade_task[d] = (uint8_t)scenario_strlist_has(&sc->fallback.degrade_tasks, name);
	}
	return 0;
}

/* The cache, with room for every key the trace can bring. */
static int cache_setup(struct eng *g)
{
	const struct scenario *sc = g->sc;
	if (!(g->norm_of_input = replay_normalized(g->rt, sc->cache.normalize, g->e)))
		return -1;
	const struct cache_policy *policy = cache_policy_find(sc->cache.eviction == EVICTION_FIFO ? "fifo" : "lru", g->e);
	if (!policy)
		return -1;
	/* a request is at most one key; entries are touched only as keys come */
	uint32_t n_keys = g->t->n_req < (1u << 30) ? g->t->n_req : 1u << 30;
	if (cache_init(&g->cache, policy, (uint64_t)sc->cache.capacity, n_keys ? n_keys : 1, g->e) < 0)
		return -1;
	g->cache_ready = 1;
	return 0;
}

int engine_init(struct eng *g, const struct replay_trace *rt, const struct scenario *sc,
                struct result_scenario *r, struct err *e)
{
	const struct trace *t = rt->t;
	memset(g, 0, sizeof *g);
	events_init(&g->events, events_span_bits(t->n_req, rt->last_us - rt->first_us));
	g->rt = rt;
	g->t = t;
	g->sc = sc;
	g->e = e;
	if (acct_init(&g->a, rt, sc, r, e) < 0 || model_maps(g) < 0 || per_task(g) < 0)
		return -1;
	g->tenant_live = calloc(rt->n_tenants + 1, sizeof *g->tenant_live);
	g->breakers = calloc(sc->pricing->n_models + 1, sizeof *g->breakers);
	if (!g->tenant_live || !g->breakers)
		return err_set(e, "out of memory");
	if (sc->breaker.on)
		for (size_t m = 0; m < sc->pricing->n_models; m++)
			if (!(g->breakers[m].ring = calloc((size_t)sc->breaker.window, 1)))
				return err_set(e, "out of memory");
	const struct decfrac *ratio = &sc->breaker.failure_ratio; /* fails × den ≥ num × window */
	g->breaker_trip = (int64_t)(((money_sum)ratio->num * sc->breaker.window + ratio->den - 1) / ratio->den);
	draw_requests_init(&g->draws, draw_seed_state(sc->seed));
	if (!(g->draw_tables = calloc(sc->pricing->n_models * 2 * DRAW_TABLED + 1, sizeof *g->draw_tables)))
		return err_set(e, "out of memory");
	g->flush_at = NO_FLUSH;
	g->discount_ppb = sc->batch.discount.ppb;
	if (sc->cache.on && cache_setup(g) < 0)
		return -1;
	return 0;
}

void engine_fini(struct eng *g)
{
	acct_fini(&g->a);
	free(g->pool);
	free(g->free_slots);
	events_fini(&g->events);
	free(g->queue);
	free(g->tenant_live);
	free(g->ending);
	if (g->breakers)
		for (size_t m = 0; m < g->sc->pricing->n_models; m++)
			free(g->breakers[m].ring);
	free(g->breakers);
	if (g->draw_tables)
		for (size_t k = 0; k < g->sc->pricing->n_models * 2 * DRAW_TABLED; k++)
			free(g->draw_tables[k]);
	free(g->draw_tables);
	free(g->model_name);
	free(g->price_of_name);
	free(g->budget_of_task);
	free(g->rules);
	free(g->batch_task);
	free(g->degrade_task);
	if (g->cache_ready)
		cache_fini(&g->cache);
}
