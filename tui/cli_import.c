/*
 * An import as people see it, shared by `llmcost import` and the first-use
 * import of `replay`/`tui`: Ctrl-C (exit 130), Ctrl-\ (131), SIGTERM (143) or SIGHUP (129)
 * abandons it,
 * the first rejected lines are shown as FILE:LINE: reason (the rest counted),
 * notes on a file (the format its content chose, spans skipped), a progress line
 * on a terminal, and a summary line per stored trace.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/clock.h"
#include "traces/progress.h"
#include "traces/store.h"
#include "traces/report.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/ticker.h"

#define SHOWN_REJECTS 20
/* A trace spanning more days than this gets a note: a mistyped year (or an unset clock's
 * 1970) stretches the span that every projection divides by. */
#define NOTE_SPAN_DAYS 366

static struct import_stop stop = { 0, { -1, -1 } }; /* the exit status is 128 + its signal */

static void on_signal(int sig)
{
	import_stop_request(&stop, sig);
}

struct printer {
	unsigned long long shown, total;
	int quiet, progress_shown;
};

static void clear_progress(struct printer *p)
{
	if (p->progress_shown) {
		fputs("\r\033[K", stderr);
		p->progress_shown = 0;
	}
}

static void print_reject(void *ctx, const char *file, uint64_t line, const char *reason)
{
	struct printer *p = ctx;
	p->total++;
	if (p->quiet || p->shown >= SHOWN_REJECTS)
		return;
	clear_progress(p);
	text_printf(stderr, "%s:%llu: %s\n", file, (unsigned long long)line, reason);
	p->shown++;
}

/* A note on a file (the format its content chose, spans skipped), unless --quiet. */
static void print_note(void *ctx, const char *file, const char *note)
{
	struct printer *p = ctx;
	if (p->quiet)
		return;
	clear_progress(p);
	text_printf(stderr, "%s: %s\n", file, note);
}

struct cli_import_hook cli_import_hook;

static void print_progress(void *ctx, uint64_t lines, uint64_t bytes, uint64_t total, double seconds)
{
	struct printer *p = ctx;
	if (cli_import_hook.progress) {
		cli_import_hook.progress(cli_import_hook.ctx, lines, bytes, total, seconds);
		return;
	}
	char n[32], rate[32], left[32];
	report_count_text(lines, n, sizeof n);
	report_count_text((uint64_t)((double)lines / seconds), rate, sizeof rate);
	progress_left_text(seconds, bytes, total, left, sizeof left);
	char head[64], per_s[64], pct[16] = "", in[48];
	snprintf(head, sizeof head, "importing: %s lines", n);
	snprintf(per_s, sizeof per_s, ", %s lines/s", rate);
	if (total) /* a file's size is known, not a pipe's */
		snprintf(pct, sizeof pct, ", %.0f%%", 100.0 * (double)bytes / (double)total);
	snprintf(in, sizeof in, "%s%s", *left ? ", " : "", left);
	/* on a narrow terminal the share read is kept first, then the time left, then the rate */
	struct progress_part parts[] = { { head, 0 }, { per_s, 3 }, { pct, 1 }, { in, 2 } };
	ticker_line(parts, 4);
	p->progress_shown = 1;
}

/* The signals that stop an import, caught from cli_import_guard to cli_import_unguard: the
 * store's opening, which waits for another process's EXCLUSIVE lock (an import commits under
 * one), is stopped as the import is (store_stop_waits), and cli_import takes one caught before
 * its own handlers were in place (cli_import_hook.caught). */
static const int guard_signals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
#define N_GUARD_SIGNALS (sizeof guard_signals / sizeof guard_signals[0])
static volatile sig_atomic_t guard_caught;
static struct sigaction guard_old[N_GUARD_SIGNALS];
static volatile sig_atomic_t *guard_hook_was;

static void on_guard_signal(int sig)
{
	guard_caught = sig;
}

void cli_import_guard(void)
{
	struct sigaction sa = { .sa_handler = on_guard_signal };
	guard_caught = 0;
	for (size_t i = 0; i < N_GUARD_SIGNALS; i++)
		cli_catch_signal(guard_signals[i], &sa, &guard_old[i]); /* unless ignored (a background job) */
	store_stop_waits(&guard_caught);
	guard_hook_was = cli_import_hook.caught;
	cli_import_hook.caught = &guard_caught;
}

int cli_import_unguard(void)
{
	store_stop_waits(NULL);
	cli_import_hook.caught = guard_hook_was;
	for (size_t i = 0; i < N_GUARD_SIGNALS; i++)
		sigaction(guard_signals[i], &guard_old[i], NULL);
	return guard_caught;
}

int cli_import_stopped(int sig)
{
	cli_error("%s: nothing was imported", import_stop_word(sig));
	return 128 + sig;
}

/* Says so when a trace's arrivals span more than NOTE_SPAN_DAYS. */
static void note_span(const struct store_trace_info *info, int quiet)
{
	int64_t span_us = info->last_ts_us - info->first_ts_us;
	if (quiet || span_us <= NOTE_SPAN_DAYS * 86400 * INT64_C(1000000))
		return;
	char n[32], first[CLOCK_TEXT_MAX], last[CLOCK_TEXT_MAX];
	cli_error("note: %s's arrivals span %s, %s to %s; projected costs divide by that "
	        "span, so check for a mistyped timestamp", info->name,
	        report_span_text(span_us, n, sizeof n), clock_format(info->first_ts_us, first),
	        clock_format(info->last_ts_us, last));
}

int cli_import(struct store *s, const char *const *files, size_t n, const struct import_opts *opts,
               int quiet, FILE *summary, struct store_trace_info *infos)
{
	struct import_opts o = *opts;
	struct printer pr = { .quiet = quiet };
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_quit, old_term, old_hup;
	struct err e = { "" };
	import_stop_init(&stop); /* without the pipe, a signal still cuts a read it lands in */
	o.stop = &stop;
	o.ctx = &pr;
	o.on_reject = print_reject;
	o.on_note = print_note;
	o.on_progress = cli_import_hook.progress || isatty(STDERR_FILENO) ? print_progress : NULL;
	cli_catch_signal(SIGINT, &sa, &old_int); /* unless ignored (nohup, a background job) */
	cli_catch_signal(SIGQUIT, &sa, &old_quit);
	cli_catch_signal(SIGTERM, &sa, &old_term);
	cli_catch_signal(SIGHUP, &sa, &old_hup);
	int caught = cli_import_hook.caught ? *cli_import_hook.caught : 0;
	if (caught)
		import_stop_request(&stop, caught);
	enum import_status st = import_files(s, files, n, &o, infos, &e);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	import_stop_fini(&stop);
	clear_progress(&pr);
	switch (st) {
	case IMPORT_OK: break;
	case IMPORT_REJECTED: cli_error("%s (--strict: nothing imported)", e.msg); return EXIT_INPUT;
	case IMPORT_STOPPED: cli_error("%s", e.msg); return 128 + stop.requested;
	case IMPORT_UNREADABLE:
	case IMPORT_EMPTY: cli_error("%s", e.msg); return EXIT_INPUT;
	case IMPORT_EXISTS:
		if (o.exists_ok)
			return CLI_IMPORT_EXISTS;
		/* fall through */
	case IMPORT_FAILED: cli_error("%s", e.msg); return EXIT_FAIL;
	}
	if (!quiet)
		cli_more_rejects(pr.total - pr.shown);
	for (size_t i = 0; i < (opts->name ? 1 : n); i++) {
		char req[32], rej[32];
		report_count_text((uint64_t)infos[i].requests, req, sizeof req);
		report_count_text((uint64_t)infos[i].rejects, rej, sizeof rej);
		text_printf(summary, "%s: imported %s request%s", infos[i].name, req, infos[i].requests == 1 ? "" : "s");
		if (infos[i].rejects) {
			char *word = text_shell_word(infos[i].name);
			text_printf(summary, ", rejected %s line%s (see: llmcost rejects %s%s)", rej,
			            infos[i].rejects == 1 ? "" : "s", word ? word : infos[i].name, cli_db_words());
			free(word);
		}
		fputc('\n', summary);
		if (!infos[i].requests && infos[i].rejects && opts->format && !quiet && fflush(summary) == 0)
			cli_error("note: every record of %s was rejected: is --format %s right for %s?  "
			          "(auto, the default, tells each file's format by its content)", infos[i].name,
			          opts->format->name, opts->name && n > 1 ? "these files" : "it");
		note_span(&infos[i], quiet);
	}
	return EXIT_OK;
}
