/*
 * `llmcost traces`, `rejects` and `rm`: what the store holds, the lines an
 * import refused with their reasons, and removing traces.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/clock.h"
#include "traces/progress.h"
#include "traces/report.h"
#include "traces/store.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/ticker.h"

/* Parses the common [--db PATH] option; returns the index of the first operand or -1. */
static int parse_db_opt(const char *cmd, int argc, char **argv, const char **db)
{
	static const struct option longopts[] = { { "db", required_argument, 0, CLI_LONG }, { 0, 0, 0, 0 } };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = cli_getopt(cmd, argc, argv, ":", longopts, 0)) != -1)
		if (c != CLI_LONG)
			return cli_option_error(cmd, c, argv, longopts), -1;
		else if (cli_db_arg(cmd, optarg, db) < 0)
			return -1;
	return optind;
}

/* One row of the list, as text. */
struct listed_trace {
	char *name, *source; /* shown safely (traces/text.h); the name cut as a table cuts it */
	int cut;             /* the name was cut */
	char req[32], rejects[32], tenants[32], first[CLOCK_TEXT_MAX], span[32];
};

static int wider(int w, const char *text)
{
	int n = (int)text_width(text);
	return n > w ? n : w;
}

/* text left-aligned in w columns. */
static void put_left(const char *text, int w)
{
	fputs(text, stdout);
	printf("%*s", w - (int)text_width(text), "");
}

/* The traces as a table whose columns are as wide as their widest cell, then the names the
 * table cut (past TEXT_CELL_COLS) whole, one a line, as a command takes them (quoted when the
 * shell needs it): they could not be read anywhere else but in the store; -1 when out of memory. */
static int print_traces(const struct store_trace_info *list, size_t n)
{
	struct listed_trace *row = calloc(n, sizeof *row);
	int w_name = 4, w_req = 8, w_rej = 7, w_ten = 7, w_first = 5, w_span = 4, rc = 0;
	if (!row)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct listed_trace *r = &row[i];
		char *whole = text_show(list[i].name, 0);
		if (!whole || !(r->name = text_cell(list[i].name)) || !(r->source = text_show(list[i].source, 0)))
			rc = -1;
		r->cut = whole && r->name && strcmp(whole, r->name) != 0;
		free(whole);
		report_count_text((uint64_t)list[i].requests, r->req, sizeof r->req);
		snprintf(r->rejects, sizeof r->rejects, "%lld", (long long)list[i].rejects);
		snprintf(r->tenants, sizeof r->tenants, "%lld", (long long)list[i].tenants);
		strcpy(r->first, "-");
		strcpy(r->span, "-");
		if (list[i].requests) {
			clock_format(list[i].first_ts_us, r->first);
			report_span_text(list[i].last_ts_us - list[i].first_ts_us, r->span, sizeof r->span);
		}
		w_name = wider(w_name, r->name ? r->name : "");
		w_req = wider(w_req, r->req);
		w_rej = wider(w_rej, r->rejects);
		w_ten = wider(w_ten, r->tenants);
		w_first = wider(w_first, r->first);
		w_span = wider(w_span, r->span);
	}
	if (rc == 0) {
		put_left("NAME", w_name);
		printf("  %*s  %*s  %*s  %-*s  %*s  %s\n", w_req, "REQUESTS", w_rej, "REJECTS", w_ten, "TENANTS",
		       w_first, "FIRST", w_span, "SPAN", "SOURCE");
		size_t cut = 0;
		for (size_t i = 0; i < n; i++) {
			put_left(row[i].name, w_name);
			printf("  %*s  %*s  %*s  %-*s  %*s  %s\n", w_req, row[i].req, w_rej, row[i].rejects, w_ten,
			       row[i].tenants, w_first, row[i].first, w_span, row[i].span, row[i].source);
			cut += (size_t)row[i].cut;
		}
		for (size_t i = 0, k = 0; cut && i < n; i++) {
			if (!row[i].cut)
				continue;
			if (k++ == 0)
				printf("\n%s cut above, whole:\n", cut == 1 ? "the name" : "the names");
			char *word = text_shell_word(list[i].name);
			if (!word)
				rc = -1;
			else
				text_printf(stdout, "  %s\n", word);
			free(word);
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(row[i].name);
		free(row[i].source);
	}
	free(row);
	return rc;
}

int cmd_traces(int argc, char **argv)
{
	const char *db = NULL;
	int first = parse_db_opt("traces", argc, argv, &db);
	if (first < 0)
		return EXIT_USAGE;
	if (first < argc)
		return cli_usage_error("traces", "unexpected argument \"%s\"", argv[first]);
	struct store s;
	struct err e = { "" };
	struct store_trace_info *list;
	size_t n;
	int there = store_exists(cli_db_path(db), &e);
	if (there < 0) {
		cli_error("%s", e.msg);
		return EXIT_FAIL;
	}
	if (!there) {
		/* on stderr: a script reading the list gets an empty one, not this sentence */
		cli_error("note: there is no store %s yet, so no traces (%s)", cli_db_path(db), cli_no_store_hint(db));
		return EXIT_OK;
	}
	if (store_open(&s, cli_db_path(db), &e) < 0 || store_list(&s, &list, &n, &e) < 0) {
		cli_error("%s", e.msg);
		store_close(&s);
		return EXIT_FAIL;
	}
	if (n == 0)
		text_printf(stdout, "the store %s holds no traces yet (add one: llmcost import FILE)\n", s.path);
	else if (print_traces(list, n) < 0) {
		cli_error("out of memory");
		free(list);
		store_close(&s);
		return EXIT_FAIL;
	}
	free(list);
	store_close(&s);
	return EXIT_OK;
}

/* One reject on stdout; 1 (stop) once writing it failed: the store's reads that would follow
 * overwrite the errno that gives the reason (a write of a 1 MiB text leaves nothing buffered
 * for the exit's flush to fail on again), and what they read could not be shown anyway. */
static int print_reject(void *ctx, const char *file, int64_t line, const char *reason,
                        const char *text, size_t len, int64_t full_len)
{
	++*(int64_t *)ctx;
	errno = 0;
	text_printf(stdout, "%s:%lld: %s\n  ", file, (long long)line, reason);
	text_put_bytes(stdout, text, len);
	printf("%s\n", (int64_t)len < full_len ? " [cut]" : "");
	return cli_output_failed();
}

int cmd_rejects(int argc, char **argv)
{
	const char *db = NULL;
	int first = parse_db_opt("rejects", argc, argv, &db);
	if (first < 0)
		return EXIT_USAGE;
	if (argc - first == 0)
		return cli_usage_error("rejects", "name one stored trace (see: llmcost traces)");
	if (argc - first > 1) /* which were given: a name with a space, unquoted, is two */
		return cli_usage_error("rejects", "one stored trace at a time, but %d were given (\"%s\", \"%s\"%s); "
		                       "a name with a space is quoted: llmcost rejects 'A NAME'", argc - first,
		                       argv[first], argv[first + 1],
		                       argc - first > 2 ? text_symbol(", \xe2\x80\xa6", ", ...") : "");
	if (cli_operand_arg("rejects", argv[first], "NAME", "name a stored trace (llmcost traces lists them)") < 0)
		return EXIT_USAGE;
	struct store s;
	struct err e = { "" };
	int64_t shown = 0;
	if (store_open_existing(&s, cli_db_path(db), cli_no_store_hint(db), &e) < 0 ||
	    store_each_reject(&s, argv[first], print_reject, &shown, &e) < 0) {
		cli_error("%s", e.msg);
		store_close(&s);
		return EXIT_FAIL;
	}
	if (!shown)
		text_printf(stdout, "trace %s has no rejected lines\n", argv[first]);
	store_close(&s);
	return EXIT_OK;
}

/* rm's stop: the signal (SIGINT, SIGTERM) that asked, 0 while none did. */
static volatile sig_atomic_t rm_stop;

static void on_rm_signal(int sig)
{
	rm_stop = sig;
}

/* The free space left inside a store is told from this size up: what a small trace leaves is
 * not worth a word (later imports reuse it anyway). */
#define NOTE_FREE_BYTES (16 << 20)

struct rm_progress {
	int shown;
};

/* "removing NAME… N s" (or "compacting the store… N s") on a terminal, in place, the seconds
 * left out on a narrow one (ticker_line). */
static void rm_progress(void *ctx, const char *name, double seconds)
{
	struct rm_progress *p = ctx;
	char head[300], s[32];
	snprintf(head, sizeof head, "%s%s", name ? "removing " : "compacting the store", name ? name : "");
	snprintf(s, sizeof s, " %.0f s", seconds);
	struct progress_part parts[] = { { head, 0 }, { text_symbol("…", "..."), 0 }, { s, 1 } };
	ticker_line(parts, 3);
	p->shown = 1;
}

static void rm_progress_clear(struct rm_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

/* "12.3 MB": bytes for people, in powers of 1000. */
static const char *size_text(int64_t bytes, char *buf, size_t n)
{
	static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	int u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

/* The space a removal left inside the store, when it is worth a word: how much, that later
 * imports reuse it, and how to give it back to the disk now.  why (may be NULL): why rm did not. */
static void note_free_space(struct store *s, const char *why)
{
	int64_t bytes;
	struct err e = { "" };
	if (store_free_space(s, &bytes, &e) < 0 || (!why && bytes < NOTE_FREE_BYTES) || bytes <= 0)
		return;
	char n[32], human[32];
	char *word = text_shell_word(s->path);
	cli_error("note: %s%s%s bytes (%s) are free inside the store's file; later imports reuse "
	          "them; to shrink the file now: sqlite3 %s VACUUM (it rewrites the store)",
	          why ? why : "", why ? ": " : "", report_count_text((uint64_t)bytes, n, sizeof n),
	          size_text(bytes, human, sizeof human), word ? word : s->path);
	free(word);
}

int cmd_rm(int argc, char **argv)
{
	const char *db = NULL;
	int first = parse_db_opt("rm", argc, argv, &db);
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc)
		return cli_usage_error("rm", "name the traces to remove (see: llmcost traces)");
	for (int i = first; i < argc; i++)
		if (cli_operand_arg("rm", argv[i], "NAME", "name stored traces to remove (llmcost traces lists them)") < 0)
			return EXIT_USAGE;
	struct store s;
	struct err e = { "" };
	/* a name given twice is removed once */
	int n = 0;
	for (int i = first; i < argc; i++) {
		int seen = 0;
		for (int j = first; j < first + n && !seen; j++)
			seen = strcmp(argv[j], argv[i]) == 0;
		if (!seen)
			argv[first + n++] = argv[i];
	}
	argc = first + n;
	/* Ctrl-C and SIGTERM stop the removal (rolled back), even in a wait for another's lock */
	struct progress_pace pace;
	struct rm_progress shown = { 0 };
	struct sigaction sa = { .sa_handler = on_rm_signal }, old_int, old_term;
	progress_start(&pace);
	rm_stop = 0;
	cli_catch_signal(SIGINT, &sa, &old_int); /* unless ignored (a background job) */
	cli_catch_signal(SIGTERM, &sa, &old_term);
	store_stop_waits(&rm_stop);
	void (*progress)(void *, const char *, double) = isatty(STDERR_FILENO) ? rm_progress : NULL;
	int rc = EXIT_OK;
	if (store_open_existing(&s, cli_db_path(db), cli_no_store_hint(db), &e) < 0 ||
	    store_delete(&s, (const char *const *)argv + first, (size_t)(argc - first), &pace, progress,
	                 &shown, &e) < 0) {
		rm_progress_clear(&shown);
		if (rm_stop)
			cli_error("%s: nothing was removed", rm_stop == SIGTERM ? "terminated" : "interrupted");
		else
			cli_error("%s", e.msg);
		rc = rm_stop ? 128 + rm_stop : EXIT_FAIL;
		goto out;
	}
	rm_progress_clear(&shown);
	cli_output_done("the removal is done");
	for (int i = first; i < argc; i++)
		text_printf(stdout, "removed %s\n", argv[i]);
	cli_flush();
	/* with no trace left, compacting is cheap: the file shrinks to its schema */
	struct store_trace_info *list;
	size_t left = 1;
	if (store_list(&s, &list, &left, &e) == 0)
		free(list);
	if (left == 0) {
		int done = store_compact(&s, &pace, progress, &shown, &e);
		rm_progress_clear(&shown);
		if (done == -2)
			note_free_space(&s, "another process holds a lock on the store, so it was not compacted");
		else if (done < 0 && rm_stop) { /* removed, but stopped before or while compacting */
			note_free_space(&s, rm_stop == SIGTERM ? "terminated before the store was compacted"
			                : "interrupted before the store was compacted");
			rc = 128 + rm_stop;
		} else if (done < 0)
			note_free_space(&s, e.msg);
	} else
		note_free_space(&s, NULL);
out:
	store_close(&s);
	store_stop_waits(NULL);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc;
}
