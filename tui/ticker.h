/*
 * The progress line of a long replay on a terminal: the trace loading, being
 * prepared, then the share of the scenarios' requests replayed.  A thread of
 * its own prints it on stderr from a second in, at most four times a second
 * (traces/progress.h), and clears it when stopped, before anything else is
 * printed; Ctrl-C or SIGTERM meanwhile clears it too, then ends the process as
 * the signal would.  Off a terminal there is no thread and no line.
 */
#ifndef TUI_TICKER_H
#define TUI_TICKER_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/replay.h"
#include "traces/progress.h"

enum ticker_phase { TICKER_LOADING, TICKER_PREPARING, TICKER_REPLAYING };

/* A line: the caller's storage, its fields under mu while the thread runs. */
struct ticker {
	int on, stop, shown;
	enum ticker_phase phase;       /* what the main thread is doing, under mu */
	const char *name;              /* the trace */
	uint64_t n_req;                /* its requests, from TICKER_PREPARING on */
	size_t n_scen, n_threads;      /* for TICKER_REPLAYING */
	const struct replay_progress *progress;
	struct progress_pace pace;     /* started with the line, before its thread */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct sigaction old_int, old_term;
};

/* Starts the line for trace `name` (borrowed), loading; `progress` is the runs' count. */
void ticker_start(struct ticker *k, const char *name, const struct replay_progress *progress);
/* The main thread moves on to phase p: of n_req requests, and n_scen scenarios on n_threads
 * threads when replaying. */
void ticker_phase(struct ticker *k, enum ticker_phase p, uint64_t n_req, size_t n_scen, size_t n_threads);
/* Stops and clears the line; again, or off a terminal, nothing. */
void ticker_stop(struct ticker *k);

#endif
