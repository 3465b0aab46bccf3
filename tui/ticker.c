/*
 * The progress line of a long command (see tui/ticker.h): a thread that wakes
 * ten times a second and has the line printed when traces/progress.h says a
 * report is due; `llmcost replay`'s line, the main thread's phase, is here.
 */
#include "tui/ticker.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "traces/report.h"
#include "traces/text.h"
#include "tui/cli.h"

static const char clear_line[] = "\r\033[K"; /* back to the line's start, and erase it */

/* Ctrl-C or SIGTERM while the line may show: clears it, then the signal does what it would have. */
static void ticker_on_signal(int sig)
{
	if (write(STDERR_FILENO, clear_line, sizeof clear_line - 1) < 0) {
		/* the terminal is gone: nothing to clear */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

size_t ticker_columns(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && atol(env) > 0)
		return (size_t)atol(env);
	return 80;
}

void ticker_line(const struct progress_part *parts, size_t n)
{
	char line[512];
	size_t cols = ticker_columns();
	progress_fit(parts, n, cols - 1, line, sizeof line);
	fputc('\r', stderr);
	text_put_bytes(stderr, line, strlen(line));
	fputs("\033[K", stderr);
}

/* Prints replay's line of the current phase (mu held); ctx is the ticker.  On a narrow terminal
 * the share done is kept first, then the scenarios and requests, then the threads. */
static void ticker_print(void *ctx)
{
	struct ticker *k = ctx;
	const char *dots = text_symbol("…", "...");
	char n[32], head[300], what[128], threads[64], pct[16];
	report_count_text(k->n_req, n, sizeof n);
	snprintf(head, sizeof head, "%s %s", k->phase == TICKER_LOADING ? "loading" : k->phase == TICKER_PREPARING ?
	         "preparing" : "replaying", k->name);
	if (k->phase == TICKER_LOADING) {
		struct progress_part parts[] = { { head, 0 }, { dots, 0 } };
		ticker_line(parts, 2);
	} else if (k->phase == TICKER_PREPARING) {
		snprintf(what, sizeof what, ": %s requests", n);
		struct progress_part parts[] = { { head, 0 }, { what, 1 }, { dots, 0 } };
		ticker_line(parts, 3);
	} else {
		snprintf(what, sizeof what, ": %zu scenario%s %s %s requests", k->n_scen, k->n_scen == 1 ? "" : "s",
		         text_symbol("×", "x"), n);
		snprintf(threads, sizeof threads, " on %zu thread%s", k->n_threads, k->n_threads == 1 ? "" : "s");
		snprintf(pct, sizeof pct, ", %d%%", replay_progress_percent(k->progress, k->n_req * k->n_scen));
		struct progress_part parts[] = { { head, 0 }, { what, 2 }, { threads, 3 }, { pct, 1 } };
		ticker_line(parts, 4);
	}
}

static void *ticker_main(void *arg)
{
	struct ticker *k = arg;
	double seconds;
	pthread_mutex_lock(&k->mu);
	while (!k->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += 100000000L; /* looks ten times a second */
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&k->cv, &k->mu, &until);
		if (!k->stop && progress_due(&k->pace, &seconds)) {
			k->print(k->ctx);
			k->shown = 1;
		}
	}
	if (k->shown)
		fputs(clear_line, stderr);
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* Starts the thread of line k (its print set), with Ctrl-C and SIGTERM clearing the line when
 * k->signals; off a terminal, nothing. */
static void ticker_run(struct ticker *k)
{
	pthread_condattr_t ca;
	if (!isatty(STDERR_FILENO))
		return;
	progress_start(&k->pace);
	pthread_mutex_init(&k->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&k->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (k->signals) {
		struct sigaction sa = { .sa_handler = ticker_on_signal };
		cli_catch_signal(SIGINT, &sa, &k->old_int); /* a background job's stays ignored */
		cli_catch_signal(SIGTERM, &sa, &k->old_term);
	}
	k->on = pthread_create(&k->th, NULL, ticker_main, k) == 0;
	if (!k->on) { /* no line, the work goes on */
		if (k->signals) {
			sigaction(SIGINT, &k->old_int, NULL);
			sigaction(SIGTERM, &k->old_term, NULL);
		}
		pthread_cond_destroy(&k->cv);
		pthread_mutex_destroy(&k->mu);
	}
}

void ticker_start(struct ticker *k, const char *name, const struct replay_progress *progress)
{
	memset(k, 0, sizeof *k);
	k->print = ticker_print;
	k->ctx = k;
	k->signals = 1;
	k->name = name;
	k->progress = progress;
	ticker_run(k);
}

void ticker_start_print(struct ticker *k, void (*print)(void *ctx), void *ctx)
{
	memset(k, 0, sizeof *k);
	k->print = print;
	k->ctx = ctx;
	ticker_run(k);
}

void ticker_phase(struct ticker *k, enum ticker_phase p, uint64_t n_req, size_t n_scen, size_t n_threads)
{
	if (!k->on)
		return;
	pthread_mutex_lock(&k->mu);
	k->phase = p;
	k->n_req = n_req;
	k->n_scen = n_scen;
	k->n_threads = n_threads;
	pthread_mutex_unlock(&k->mu);
}

void ticker_stop(struct ticker *k)
{
	if (!k->on)
		return;
	pthread_mutex_lock(&k->mu);
	k->stop = 1;
	pthread_cond_signal(&k->cv);
	pthread_mutex_unlock(&k->mu);
	pthread_join(k->th, NULL);
	pthread_cond_destroy(&k->cv);
	pthread_mutex_destroy(&k->mu);
	if (k->signals) {
		sigaction(SIGINT, &k->old_int, NULL);
		sigaction(SIGTERM, &k->old_term, NULL);
	}
	k->on = 0;
}
