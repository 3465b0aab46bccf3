/*
 * What `llmcost watch` shows beside a scenario's replay of the trace so far
 * (SPEC §9): each tenant's traffic over rolling windows ending now, as it was
 * recorded and priced with the scenario's table, and whether a fallback flood
 * is under way.  Pure: the front end feeds the trace and the clock.
 */
#ifndef SIM_WATCH_H
#define SIM_WATCH_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/money.h"
#include "sim/result.h"
#include "sim/scenario.h"
#include "sim/trace.h"

#define WATCH_SHORT_US (INT64_C(300) * 1000000)   /* the short window: 5 min */
#define WATCH_LONG_US (INT64_C(3600) * 1000000)   /* the long one: 1 h */
#define WATCH_REPLAY_US INT64_C(1000000)          /* the trace so far replayed once a second, */
#define WATCH_REPLAY_SHARE 5                      /* or in at most a fifth of the time */

/* A tenant's figures over (now − window, now]; calls count where they start. */
struct watch_tenant {
	uint32_t tenant;               /* id in the trace's names */
	uint64_t requests_short, requests_long;
	uint64_t calls_short;
	uint64_t first_calls_short;    /* requests whose first call started in the short window */
	uint64_t fallbacks_short;      /* of those, the ones that fell back (trace_att_fallback) */
	uint64_t first_calls_long, fallbacks_long; /* the same in the long window */
	money_sum usd_short, usd_long; /* pico-USD */
	uint64_t unpriced;             /* calls on models the table lacks, in the long window */
};

/*
 * Every tenant of the trace so far (one quiet in the windows has its row, with
 * its zeros: its spend so far is the replay's), sorted by its spend in the long
 * window (highest first), then its requests there (most first), then by name.  *out is malloc'd (the caller frees).
 * Calls run back to back from their request's arrival unless their times were
 * recorded, as in the recorded scenario; failed calls bill per billing.failed.
 * -1 with e set when out of memory.
 */
int watch_tenants(const struct trace *t, const struct scenario *sc, int64_t now_us, struct watch_tenant **out,
                  size_t *n, struct err *e);

/*
 * Where each tenant of the trace so far is in a replay's by_tenant, so that the screen can show a
 * tenant's figures under the scenario (cache hit rate, spend) beside its recorded windows:
 * (*index)[id], for a name id of `names` (the trace so far's), is its position in r->by_tenant,
 * or UINT32_MAX when the replay has no such tenant (a name that is no tenant's, or one first read
 * after the replay).  Called right after the replay, while r's tenant names are valid: they are
 * borrowed from the trace replayed (a subtrace's names, or the trace so far's, whose strings move
 * as it grows).  *index is malloc'd, *n = names->n long (the caller frees).  -1 when out of memory.
 */
int watch_replay_tenants(const struct result_scenario *r, const struct intern *names, uint32_t **index, uint32_t *n);

/*
 * The trace so far of a stored trace in arrival order played back: a view of src's first n
 * requests, sharing src's columns and tables (nothing is copied, so a playback holds its trace
 * once), its calls, wide latencies and times and cost digits those of these requests, and its
 * input texts the first n_inputs (ids below it: those its requests use).  Valid while src is;
 * never appended to nor freed (trace_free must not see it).
 */
void watch_prefix(const struct trace *src, uint32_t n, uint32_t n_inputs, struct trace *view);

/* The alert of `kind` under way as of `covered` (the time up to which the replay's instants
 * are final and evaluated, see below): one begun at an instant at or before it that fired at the
 * latest 60 s instant at or before it (or later), else NULL. */
const struct alert *watch_alert_open(const struct result_scenario *r, enum alert_kind kind, int64_t covered_us);

/*
 * What line mode says of a replay's alerts as they come: each once when first seen, once when
 * over, and once when a later replay no longer has it (late lines changed its window).  An
 * instant is judged only when its window is closed: `covered` is the time the replay's lines
 * reach (a followed file's latest line, a playback's position; INT64_MAX at the end), so an
 * alert is said to start only from an instant at or before it, and to end only when the
 * same replay shows it over at the latest instant at or before it.  The replay must have
 * evaluated its instants up to covered (replay_alerts_through past the trace so far's last
 * event): an alert that fired at its last instant is under way, not over.  One update's lines
 * are said in the order of their instants (a start's first, an end's last firing one; at one
 * instant starts first, then by kind), so that a playback says the same lines in the same order
 * whatever its speed and however its replays fall.
 */
enum watch_said_what { WATCH_STARTED, WATCH_ENDED, WATCH_WITHDRAWN };
struct watch_said {
	struct watch_said_one { struct alert al; int ended; } *v;
	size_t n, cap;
};
typedef void (*watch_say_fn)(void *ctx, const struct alert *al, enum watch_said_what what);

/* Says (through say) what changed with replay r judged as of covered.  -1 when out of memory. */
int watch_said_update(struct watch_said *s, const struct result_scenario *r, int64_t covered_us, watch_say_fn say,
                      void *ctx);
void watch_said_fini(struct watch_said *s);

/* A playback's position at monotonic time `mono`: `speed` times the time since it (re)started
 * at from_mono, after the data's time from_data it started from. */
int64_t watch_play_position(int64_t from_data_us, int64_t from_mono_us, int64_t mono_us, double speed);

/*
 * Whether the trace so far is due for its next replay at `now`: a second after the last one
 * began, or, when a replay takes longer than a fifth of a second, five times its length after,
 * so that replaying keeps to a fifth of the time however long the trace grows.
 */
int watch_replay_due(int64_t last_start_us, int64_t last_took_us, int64_t now_us);

/*
 * Whether the screen's tenant windows are due for recomputing (a pass over the whole trace so
 * far) at monotonic time `mono`: never computed yet; else only when lines were read since
 * (`rows` against those they covered) or now's second changed, and no sooner than five times
 * as long as the last computation took after it began (a fifth of the time at most), so that
 * while they are cheap they cover the lines the header counts at the same tick.
 */
struct watch_tenants_at {
	int have;                  /* computed at least once */
	uint32_t rows;             /* the requests of the trace they covered */
	int64_t second;            /* now's second they were computed at */
	int64_t began, took;       /* when the computation began (monotonic) and how long it took, µs */
};
int watch_tenants_due(const struct watch_tenants_at *at, uint32_t rows, int64_t now_us, int64_t mono_us);

#endif
