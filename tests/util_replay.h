/*
 * Test helper: replays a scenario given as JSON text over a trace given as
 * JSON Lines text, through the real import, store, load and engine, so a test
 * reads like its hand-worked example.  Relative paths in the scenario (its
 * "pricing") are relative to fixtures/tests/.
 */
#ifndef TESTS_UTIL_REPLAY_H
#define TESTS_UTIL_REPLAY_H

#include "sim/replay.h"

/*
 * Returns 0 with *r filled (release with result_scenario_fini), or -1 with e
 * set.  The result borrows names from a trace and scenario this helper keeps
 * until its next call or replay_text_done().
 */
int replay_text(const char *jsonl, const char *scenario_json, struct result_scenario *r, struct err *e);
/* replay_text counting the run's requests in *progress too. */
int replay_text_counted(const char *jsonl, const char *scenario_json, struct replay_progress *progress,
                        struct result_scenario *r, struct err *e);
/* replay_text giving the prepared trace normalized inputs first (replay_norms_give): rc is what
 * that returned, used whether the run's were those given. */
struct replay_given {
	unsigned flags;
	const uint32_t *ids;
	size_t n;
	int rc, used;
};
int replay_text_given(const char *jsonl, const char *scenario_json, struct replay_progress *progress,
                      struct replay_given *given, struct result_scenario *r, struct err *e);
void replay_text_done(void);

/* The trace of JSON Lines text, through the real import, store and load, into *out (release
 * with trace_free).  -1 with e set. */
int trace_text(const char *jsonl, struct trace *out, struct err *e);

/* replay_text for a test case: an error fails the running case with its message. */
int replay_case(const char *jsonl, const char *scenario_json, struct result_scenario *r);

/* The group of a result by name (NULL when absent). */
const struct metrics *result_tenant(const struct result_scenario *r, const char *tenant);
const struct metrics *result_task(const struct result_scenario *r, const char *task);

/* A group by name, copied; a missing group fails the running case (zero counters, latencies -2). */
struct metrics result_group(const struct result_scenario *r, const char *name, int tenant);
#define TASK(r, name) result_group(&(r), name, 0)
#define TENANT(r, name) result_group(&(r), name, 1)

struct scenario;
/* The --json of scenario sc over trace t (the engine and report_json, no store), in a buffer to
 * free; NULL after failing the running case. */
char *replay_json_of(const struct trace *t, const struct scenario *sc);

#endif
