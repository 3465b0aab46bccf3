/*
 * The replay engine (SPEC §4, §10): a discrete-event simulation in virtual
 * time of one scenario over one trace, filling a result snapshot.  What only
 * depends on the trace (arrival order, recorded failure rates per model and
 * minute) is prepared once and shared, read-only, by every scenario, so
 * scenarios can run on several threads at once.
 * Errors (a model the pricing file lacks, a request with no model to run on)
 * are reported through struct err and return -1; nothing is printed.
 */
#ifndef SIM_REPLAY_H
#define SIM_REPLAY_H

#include <stdatomic.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/result.h"
#include "sim/scenario.h"
#include "sim/trace.h"

struct replay_trace;

/* Prepares the shared part for trace t (which must outlive it). */
int replay_prepare(const struct trace *t, struct replay_trace **out, struct err *e);
void replay_trace_free(struct replay_trace *rt);

/*
 * The check replay_run makes before it runs scenario sc on trace t: every model it will price
 * (under recorded, each recorded call's; else, without routes, each request's first) is in the
 * scenario's pricing table.  0, or -1 with e set as replay_run sets it, naming the first such
 * request in the trace's order (a front end refuses such a trace before it shows anything); -2
 * out of memory.
 */
int replay_check_models(const struct trace *t, const struct scenario *sc, struct err *e);

/*
 * Computes now what runs of scenario sc share and would otherwise compute on
 * first use (its cache's normalized inputs, once per trace and normalization),
 * so that timing a run can leave it out.  Returns 0, or -1 with e set.
 */
int replay_prepare_scenario(const struct replay_trace *rt, const struct scenario *sc, struct err *e);

/*
 * A cache's normalized inputs, which a front end may keep (the store does) so
 * that a later process need not make them again.  replay_norms_flags: 1 with
 * the normalization steps whose ids scenario sc's runs read, when its cache
 * normalizes; else 0.  replay_norms_made: those ids, one per input of the
 * trace, when made or given already; else NULL.  replay_norms_give: gives rt
 * ids kept from an earlier run of the same inputs and rules (rt takes them, a
 * trace's inputs long); -1 when they cannot be such ids (one names a later
 * input, or an input that is not the first of its text): they are then freed,
 * and made when needed.
 */
int replay_norms_flags(const struct scenario *sc, unsigned *flags);
const uint32_t *replay_norms_made(const struct replay_trace *rt, unsigned flags);
int replay_norms_give(struct replay_trace *rt, unsigned flags, uint32_t *ids);

/*
 * Runs of rt evaluate alerts at every 60 s instant up to t as well, past the instant
 * at or after the last event where they would stop (SPEC §10): watch's trace so far
 * played back to t, which no later request can change before t, has its alerts
 * judged up to t, through a quiet stretch as the whole trace's replay judges it.
 */
void replay_alerts_through(struct replay_trace *rt, int64_t t_us);
/*
 * Runs of rt evaluate no alert instant after t: a trace so far, whose later requests can
 * change the windows of the instants after t (a flood's calls still to come), has only the
 * instants it settles judged (watch's screen and lines; SPEC §9).
 */
void replay_alerts_until(struct replay_trace *rt, int64_t t_us);

/* The trace's figures for the output's "trace" object. */
void replay_trace_summary(const struct replay_trace *rt, struct trace_summary *out);

/*
 * How far runs have got, for a front end's progress line: the requests they
 * have taken in, summed over the runs given the same count.  A run adds
 * REPLAY_PROGRESS_STEP at a time as requests arrive, and the rest when it
 * completes, so a completed run has added its trace's number of requests.
 * `stop`, set by another thread, ends the runs counting here at their next
 * step: replay_run then fails with "stopped" (a console quitting mid-run).
 */
struct replay_progress {
	_Atomic uint64_t requests;
	_Atomic int stop;
};
#define REPLAY_PROGRESS_STEP (UINT32_C(1) << 14)

/* The share of `total` requests that runs counting in *p have taken in, in whole percent rounded
 * down (so 100 only once every run has completed); 100 when there is nothing to take in. */
static inline int replay_progress_percent(const struct replay_progress *p, uint64_t total)
{
	uint64_t done = atomic_load_explicit(&p->requests, memory_order_relaxed);
	return total ? (int)(done * 100 / total) : 100;
}

/*
 * Replays scenario sc and fills *out (which the caller releases with
 * result_scenario_fini), counting its requests in *progress (may be NULL).
 * Deterministic: the same trace, scenario and seed give the same result.
 * Returns 0, or -1 with e set (out is then empty).
 */
int replay_run(const struct replay_trace *rt, const struct scenario *sc, struct result_scenario *out,
               struct replay_progress *progress, struct err *e);

#endif
