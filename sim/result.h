/*
 * The result snapshot of a replay: per scenario, the counters of SPEC §5 for
 * the totals, each tenant, each task and each model, the timeline and the
 * alerts.  Every output (text table, --json, --csv, the console) renders this
 * one structure; derived figures (ratios, per-request, projection) are
 * computed from it by result_derive() so they mean the same everywhere.
 * Ownership: result_scenario_fini() releases what a scenario result holds.
 */
#ifndef SIM_RESULT_H
#define SIM_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "sim/money.h"

/* The counters of one group (totals, a tenant, a task).  Money in pico-USD. */
struct metrics {
	uint64_t requests, resolved, failed, degraded, rejected;
	uint64_t cache_hits, cache_tokens_saved;
	money_sum cache_usd_saved;
	uint64_t calls, calls_large;
	uint64_t input_tokens, output_tokens, cached_input_tokens; /* billed, over calls */
	uint64_t retries, retry_tokens;
	money_sum retry_usd;
	uint64_t fallbacks;               /* hops */
	uint64_t requests_with_fallback;  /* numerator of fallback_rate */
	uint64_t requests_with_call;      /* its denominator */
	uint64_t fallbacks_denied, breaker_rejections;
	uint64_t budget_violations, truncated, summarized, async, batched, output_capped;
	money_sum usd_total;
	money_sum usd_per_hour_peak;      /* largest spend on calls started in any (t − 1 h, t] */
	money_sum billed_usd;             /* Σ cost_usd of the group's lines (recorded mode) */
	int64_t latency_p50_us, latency_p95_us; /* nearest rank; -1 = null (no request) */
};

/* What a group's counters give once divided (SPEC §5); *_null = 1 means JSON null. */
struct derived {
	double cache_hit_rate, input_tokens_per_request, output_tokens_per_request, large_share;
	double fallback_rate, budget_violation_rate;
	money_sum usd_per_resolved;
	int usd_per_resolved_null;
	money_sum projected_monthly_usd;
	int projected_null;
};

struct model_usage {
	const char *model;                /* borrowed from the pricing table */
	uint64_t calls, input_tokens, output_tokens;
	money_sum usd;
};

/* Per-bucket series (SPEC §10 "Timeline and alerts"), each n_buckets long. */
enum timeline_series {
	TL_REQUESTS, TL_CACHE_HITS, TL_CALLS, TL_CALLS_LARGE, TL_FALLBACKS, TL_RETRIES,
	TL_FIRST_CALLS, TL_FIRST_FALLBACKS, N_TL_COUNTS
};
extern const char *const timeline_names[N_TL_COUNTS]; /* "requests", "cache_hits", … */

struct timeline {
	int64_t bucket_s;
	int64_t t0_us;                    /* first arrival rounded down to a bucket */
	size_t n_buckets;
	uint64_t *count[N_TL_COUNTS];
	money_sum *usd, *retry_usd;
};

enum alert_kind { ALERT_COST_GUARD, ALERT_FALLBACK_FLOOD, N_ALERT };
extern const char *const alert_names[N_ALERT]; /* "cost_guard", "fallback_flood" */

struct alert {
	enum alert_kind kind;
	int64_t start_us, end_us;         /* first and last firing instants */
	/* cost_guard: USD per hour (value_pusd, baseline_pusd, pico-USD);
	 * fallback_flood: rates (value_rate, baseline_rate = the configured rate) */
	money_sum value_pusd, baseline_pusd;
	double value_rate, baseline_rate;
	double peak_ratio;
	/* value_pusd, baseline_pusd and value_rate at its first instant (watch says them as it starts) */
	money_sum first_value_pusd, first_baseline_pusd;
	double first_value_rate;
};

struct result_scenario {
	char *name;
	int recorded;                     /* mode recorded: billed_usd is reported */
	int has_billed;                   /* some line carries cost_usd */
	money_sum billed_priced_usd;      /* the priced cost of the lines with cost_usd */
	int billed_off;                   /* billed_usd, exactly, differs from that by more than 0.5% */
	/* causes of a difference the run can see, among the lines with cost_usd (recorded mode):
	 * lines billed $0 (below a pico-USD) whose calls the price table prices above 0 (answered
	 * by a proxy's cache?), and lines with realtime false (a batch API's discount) */
	uint32_t n_billed_zero, n_billed_batch;
	struct metrics totals;
	size_t n_tenants, n_tasks, n_models;
	const char **tenant_names, **task_names; /* sorted by name (bytewise); borrowed from the trace */
	struct metrics *by_tenant, *by_task;     /* parallel to the names */
	struct model_usage *by_model;     /* models with at least one call, sorted by name */
	struct timeline timeline;
	size_t n_alerts;
	struct alert *alerts;             /* ordered by start, then kind */
	/* cost_guard is on, yet judged no instant: none had a baseline range window_s long (SPEC
	 * §10), as the run ends within 2 × window_s of its first arrival (COST_GUARD_SHORT_RUN) or
	 * baseline_s is shorter than window_s (COST_GUARD_SHORT_BASELINE); else 0 */
	enum { COST_GUARD_SHORT_RUN = 1, COST_GUARD_SHORT_BASELINE } cost_guard_unjudged;
	/* projection parameters (parts per 10^9) and the trace span they use */
	int64_t days_ppb, sample_rate_ppb, multiplier_ppb, span_us;
};

/* The "trace" object of the output. */
struct trace_summary {
	const char *name;
	uint32_t requests, tenants;
	int64_t first_us, last_us;        /* arrivals; span_s = (last − first) / 10^6 */
	/* replay --from/--to: the requests replayed are those arriving in [from, to); an omitted
	 * bound is TRACE_SUMMARY_OPEN.  range 0: the whole trace (from and to unused). */
	int range;
	int64_t from_us, to_us;
};
#define TRACE_SUMMARY_OPEN INT64_MIN

/* The derived figures of one group of a scenario (projected over the trace's span). */
void result_derive(const struct result_scenario *r, const struct metrics *m, struct derived *d);

void result_scenario_fini(struct result_scenario *r);

#endif
