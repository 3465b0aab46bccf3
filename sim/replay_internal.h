/*
 * What the files of the replay engine share and nothing else sees: the
 * prepared trace, the per-scenario engine state, and the accounting calls the
 * event loop (replay.c) makes into the metrics (replay_metrics.c) and the
 * alerts (replay_alerts.c).  Times are µs since the Unix epoch, money pico-USD.
 */
#ifndef SIM_REPLAY_INTERNAL_H
#define SIM_REPLAY_INTERNAL_H

#include <stdint.h>

#include "sim/cache.h"
#include "sim/money.h"
#include "sim/normalize.h"
#include "sim/replay.h"
#include "sim/window.h"

#define CLOCK_US 1000000LL
#define HOUR_US (3600 * CLOCK_US)

struct replay_trace {
	const struct trace *t;
	uint32_t *order;                  /* request indexes by (arrival, index); NULL: in index order */
	uint32_t *tenant_of, *task_of;    /* name id → dense tenant / task number */
	uint32_t n_tenants, n_tasks;
	const char **tenant_names, **task_names; /* dense number → name */
	int64_t first_us, last_us;        /* first and last arrival */
	/* recorded attempts per (model name id, UTC minute): counts per status */
	uint32_t *slot, n_slots;          /* open addressing: entry + 1, 0 empty */
	uint64_t *rate_key;
	uint32_t (*rate_count)[N_STATUS];
	uint32_t n_rates;
	struct replay_norms *norms;       /* normalized input ids per flag set, made on first use */
	int64_t alerts_through_us;        /* alert instants run at least this far (replay_alerts_through) */
	int64_t alerts_until_us;          /* and no further (replay_alerts_until) */
};

/*
 * For every distinct input, the id of the first input with the same text after
 * normalization `flags` (SPEC §10 "Cache"): equal ids, equal normalized texts.
 * Computed once per trace and flag set and shared by the scenarios
 * (thread-safe).  NULL with e set on failure.
 */
const uint32_t *replay_normalized(const struct replay_trace *rt, unsigned flags, struct err *e);

/* The index of the r-th request to arrive. */
static inline uint32_t replay_arrival(const struct replay_trace *rt, uint32_t r)
{
	return rt->order ? rt->order[r] : r;
}

/* The recorded counts of model (a name id) in `minute`, or NULL when none. */
const uint32_t *replay_rates(const struct replay_trace *rt, uint32_t model, int64_t minute);
int64_t replay_minute(int64_t t_us);

/* A request's groups: its dense tenant and task numbers. */
struct group_ids {
	uint32_t tenant, task;
};

static inline struct group_ids replay_groups(const struct replay_trace *rt, uint32_t i)
{
	return (struct group_ids){ rt->tenant_of[trace_tenant(rt->t, i)], rt->task_of[trace_task(rt->t, i)] };
}

/* One call as the metrics see it (SPEC §5: counted where it starts). */
struct call_record {
	uint32_t req;
	struct group_ids grp;
	int model;                        /* index in the pricing table */
	int64_t start_us;
	uint64_t input_tok, output_tok, cached_tok; /* billed */
	int64_t pusd;                     /* billed, after any discount */
	int retry, first_call;     /* a retry of the same model; the request's first call */
};

/* A request's latency in µs, 4 bytes: the larger ones (over 71 minutes) are kept aside. */
#define LATENCY_NONE UINT32_MAX         /* not resolved or degraded (yet) */
#define LATENCY_ASIDE (UINT32_MAX - 1)  /* in acct.aside */

struct latency_aside {
	uint32_t req;
	int64_t us;
};

/* A call in the last hour's window. */
struct window_call {
	int64_t start_us, pusd;
	uint32_t tenant, task;            /* dense */
};

/*
 * The latencies of a grouping's groups counted in log-spaced bins, 2^bits
 * bins per octave, the last bin for those kept aside: the tasks' as requests
 * end, the tenants' after the run.  The percentiles (sim/replay_percentiles.c)
 * find in them the bin of each wanted rank; any monotone binning gives them
 * the same exact values.
 */
struct latency_bins {
	unsigned bits;
	uint32_t n_bins;                  /* LATENCY_BINS(bits) */
	uint32_t *hist;                   /* n_groups × n_bins */
};

#define LATENCY_BINS(bits) ((33u << (bits)) + 2)

/* The bin of a latency (µs, or LATENCY_ASIDE) at `bits` ≤ 23: the top bits of the latency as
 * a float, exponent and 2^bits mantissa steps (rounding keeps it monotone), from 1 for 1 µs;
 * 0 for 0 and LATENCY_BINS(bits) − 1 for those kept aside. */
static inline uint32_t latency_bin(uint32_t v, unsigned bits)
{
	union { float f; uint32_t u; } x = { .f = (float)v };
	if (v == LATENCY_ASIDE)
		return LATENCY_BINS(bits) - 1;
	/* 0 without a branch: a cache hit's latency, 0, comes and goes unpredictably */
	return ((x.u >> (23 - bits)) - ((127u << bits) - 1)) & -(uint32_t)(v != 0);
}

/* Counts latency v (µs, or LATENCY_ASIDE) for group g. */
static inline void latency_bins_add(struct latency_bins *b, uint32_t g, uint32_t v)
{
	b->hist[(size_t)g * b->n_bins + latency_bin(v, b->bits)]++;
}

/* The counts of the timeline's bucket in use, added to its arrays when another is used. */
struct bucket_now {
	uint64_t count[N_TL_COUNTS];
	money_sum usd, retry_usd;
};

/* The accounting of one scenario's run, kept apart from the event loop.  Its memory is one
 * latency per request; the windows hold only what they can still see. */
struct acct {
	const struct replay_trace *rt;
	const struct scenario *sc;
	struct err *e;                    /* where the accounting says why it failed */
	const struct pricing *pricing;
	struct result_scenario *r;
	/* the last hour's calls, for usd_per_hour_peak per group and the spend gate */
	struct ring hour;
	money_sum win_total, *win_tenant, *win_task;
	/* the rate gate: start times of first calls and first fallbacks in its window */
	int gate_on;
	struct ring gate_calls, gate_fbs;
	/* the alerts: spend, first calls and first fallbacks before grid instants, at the phases
	 * their windows need (e, e − window, e − window − baseline); a shifted series whose phase
	 * is the unshifted one's is not kept, and its *_of points to the one it reads */
	struct step_series spend, spend_w, spend_wb, calls, calls_w, fbs, fbs_w;
	struct step_series *spend_w_of, *spend_wb_of, *calls_w_of, *fbs_w_of;
	money_sum spend_before_first;     /* on recorded calls timed before the first arrival */
	uint32_t *latency;                /* per request: µs, LATENCY_NONE or LATENCY_ASIDE */
	struct latency_bins task_bins;
	struct latency_aside *aside;
	size_t n_aside, cap_aside;
	int64_t last_event_us;
	struct model_usage *by_model;     /* per pricing model: its usage so far */
	uint8_t *large;                   /* per model: 1 on the large tier */
	int failed;                       /* out of memory keeping a latency aside */
	int64_t bucket_from, bucket_to;   /* the timeline bucket in use: [from, to) */
	long bucket_k;
	struct bucket_now now;            /* its counts not yet in the timeline's arrays */
};

int acct_init(struct acct *a, const struct replay_trace *rt, const struct scenario *sc,
              struct result_scenario *r, struct err *e);
void acct_fini(struct acct *a);

/* The counters of a request's groups (struct group_ids), its tenant and its task (the
 * totals are the sum of the tasks', made after the run). */
#define ACCT_ADD(a, grp, field, v) do { \
	struct group_ids g_ = (grp); \
	(a)->r->by_tenant[g_.tenant].field += (v); \
	(a)->r->by_task[g_.task].field += (v); \
} while (0)

/* acct_bucket's slow path: another bucket than the one in use.  -1: before the timeline;
 * -2: an error (a->e says which). */
long acct_bucket_find(struct acct *a, int64_t t);
/* 1 when time t lies past the timeline's room: the error acct_bucket_find gives a call then. */
int acct_past_timeline(const struct acct *a, int64_t t);

/* The timeline bucket of time t, made the one in use (its counts go to a->now), growing the
 * arrays when a call starts after the last arrival. */
static inline long acct_bucket(struct acct *a, int64_t t)
{
	if (a->bucket_from <= t && t < a->bucket_to)
		return a->bucket_k; /* times mostly move forward within a bucket */
	return acct_bucket_find(a, t);
}

/* A request of these groups arrives at t. */
static inline void acct_arrival(struct acct *a, struct group_ids grp, int64_t t, int cache_hit)
{
	long k = acct_bucket(a, t);
	ACCT_ADD(a, grp, requests, 1);
	if (k >= 0) {
		a->now.count[TL_REQUESTS]++;
		a->now.count[TL_CACHE_HITS] += cache_hit != 0;
	}
}

/* The timeline's length at most: it runs to the last call, which a scenario can put far
 * (a retry's wait, backoff_ms × 2^(k−1), has no cap short of it), and a call beyond this is
 * an error, not a huge array. */
#define TIMELINE_MAX_BUCKETS 1000000

/* A call; -1 with a->e set when out of memory or past the timeline's room. */
int acct_call(struct acct *a, const struct call_record *c);
/* A fallback of a request of these groups at t (its first: `first`); -1 as acct_call. */
int acct_fallback(struct acct *a, struct group_ids grp, int64_t t, int first);
/* Something happens at t (a call ends, a request ends): the alerts run to the last such instant. */
static inline void acct_seen(struct acct *a, int64_t t)
{
	if (t > a->last_event_us)
		a->last_event_us = t;
}
/* acct_latency's slow path: a latency of LATENCY_ASIDE µs or more. */
void acct_latency_aside(struct acct *a, uint32_t i, int64_t us);
/* Request i of groups grp ended answered or degraded, us after it arrived. */
static inline void acct_latency(struct acct *a, uint32_t i, struct group_ids grp, int64_t us)
{
	uint32_t v = us < (int64_t)LATENCY_ASIDE ? (uint32_t)us : LATENCY_ASIDE;
	latency_bins_add(&a->task_bins, grp.task, v);
	if (v != LATENCY_ASIDE)
		a->latency[i] = v;
	else
		acct_latency_aside(a, i, us);
}
/* Spend on calls begun in (t − 1 h, t], for the spend gate. */
money_sum acct_spend_last_hour(struct acct *a, int64_t t);
/* Fallback rate gate counts over (t − window, t]. */
void acct_gate_counts(struct acct *a, int64_t t, int64_t window_us, uint64_t *first_calls,
                      uint64_t *first_fallbacks);

/* After the run: percentiles, the timeline's tail, sorted groups, alerts. */
int acct_finish(struct acct *a);
int alerts_evaluate(struct acct *a);
/* Empty latency bins for n_groups groups, as fine as their number allows; -1 when out of
 * memory. */
int latency_bins_init(struct latency_bins *b, uint32_t n_groups);
void latency_bins_fini(struct latency_bins *b);
/* The latency percentiles of the totals and every group; -1 when out of memory. */
int acct_percentiles(struct acct *a);

#endif
