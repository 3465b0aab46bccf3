/*
 * The progress line of a long command (see tui/ticker.h): a thread that wakes
 * ten times a second and has the line printed when traces/progress.h says a
 * report is due; `llmcost replay`'s line, the main thread's phase, is here.
 */
#include "tui/ticker.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
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

/* Prints replay's line of the current phase (mu held); ctx is the ticker. */
static void ticker_print(void *ctx)
{
	struct ticker *k = ctx;
	char n[32];
	report_count_text(k->n_req, n, sizeof n);
	if (k->phase == TICKER_LOADING) {
		fprintf(stderr, "\rloading %s%s\033[K", k->name, text_symbol("…", "..."));
	} else if (k->phase == TICKER_PREPARING) {
		fprintf(stderr, "\rpreparing %s: %s requests%s\033[K", k->name, n, text_symbol("…", "..."));
	} else {
		fprintf(stderr, "\rreplaying %s: %zu scenario%s %s %s requests on %zu thread%s, %d%%\033[K",
		        k->name, k->n_scen, k->n_scen == 1 ? "" : "s", text_symbol("×", "x"), n, k->n_threads, k->n_threads == 1 ? "" : "s",
		        replay_progress_percent(k->progress, k->n_req * k->n_scen));
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
