/*
 * A progress line on a terminal, for a long command: a thread of its own looks
 * ten times a second and prints it on stderr from a second in, at most four
 * times a second (traces/progress.h), and clears it when stopped, before
 * anything else is printed.  Off a terminal there is no thread and no line.
 * replay's line (ticker_start: the trace loading, being prepared, then the
 * share of the scenarios' requests replayed) is made here, and Ctrl-C or
 * SIGTERM meanwhile clears it, then ends the process as the signal would;
 * another command prints a line of its own (ticker_start_print) and keeps its
 * own signal handling.  Every progress line (import's, gen's and rm's too) is
 * printed by ticker_line, never wider than the terminal.
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
	/* prints the line on stderr ("\r", its text, "\033[K"), on the thread, mu held */
	void (*print)(void *ctx);
	void *ctx;
	int on, stop, shown;
	int signals;                   /* Ctrl-C and SIGTERM clear the line (replay's) */
	/* replay's line (ticker_start) */
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

/* Starts replay's line for trace `name` (borrowed), loading; `progress` is the runs' count. */
void ticker_start(struct ticker *k, const char *name, const struct replay_progress *progress);
/* The main thread moves on to phase p: of n_req requests, and n_scen scenarios on n_threads
 * threads when replaying. */
void ticker_phase(struct ticker *k, enum ticker_phase p, uint64_t n_req, size_t n_scen, size_t n_threads);
/* Starts a line printed by print(ctx), which reads what it shows under locks of its own; the
 * caller's signal handlers stay. */
void ticker_start_print(struct ticker *k, void (*print)(void *ctx), void *ctx);
/* Stops and clears the line; again, or off a terminal, nothing. */
void ticker_stop(struct ticker *k);

/* The columns of the terminal on standard error (TIOCGWINSZ; else $COLUMNS; else 80), asked at
 * each line, so that a resized terminal gets lines of its new width. */
size_t ticker_columns(void);
/* Prints the progress line of parts[0..n) on stderr: "\r", the parts that fit (progress_fit) in
 * the terminal's columns but its last, with a name's escapes, then "\033[K".  The last column
 * stays empty: a line that reaches it leaves the cursor waiting to wrap, where some terminals
 * erase that column at the "\033[K" and others wrap at once. */
void ticker_line(const struct progress_part *parts, size_t n);

#endif
