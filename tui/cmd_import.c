/*
 * `llmcost import`: the command-line face of traces/import.c — options,
 * Ctrl-C, a progress line on a terminal, the per-line rejection messages (the
 * first few; the rest are counted and kept in the store) and the summary.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "traces/import.h"
#include "tui/cli.h"

#define SHOWN_REJECTS 20

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
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
	fprintf(stderr, "%s:%llu: %s\n", file, (unsigned long long)line, reason);
	p->shown++;
}

static void print_progress(void *ctx, uint64_t lines, uint64_t bytes, uint64_t total, double seconds)
{
	struct printer *p = ctx;
	char n[32], rate[32];
	cli_group_digits(lines, n, sizeof n);
	cli_group_digits((unsigned long long)((double)lines / seconds), rate, sizeof rate);
	if (total)
		fprintf(stderr, "\rimporting: %s lines, %s lines/s, %.0f%%\033[K", n, rate,
		        100.0 * (double)bytes / (double)total);
	else
		fprintf(stderr, "\rimporting: %s lines, %s lines/s\033[K", n, rate);
	p->progress_shown = 1;
}

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, 0, 'n' }, { "strict", no_argument, 0, 's' },
		{ "replace", no_argument, 0, 'r' }, { "quiet", no_argument, 0, 'q' },
		{ "db", required_argument, 0, 'd' }, { 0, 0, 0, 0 },
	};
	struct import_opts o = { .stop = &stop };
	struct printer pr = { 0 };
	const char *db = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:srqd:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 's': o.strict = 1; break;
		case 'r': o.replace = 1; break;
		case 'q': pr.quiet = 1; break;
		case 'd': db = optarg; break;
		case ':': return cli_usage_error("import", "%s needs a value", argv[optind - 1]);
		default: return cli_usage_error("import", "unknown option %s", argv[optind - 1]);
		}
	}
	int n = argc - optind;
	const char **files = (const char **)argv + optind;
	if (n < 1)
		return cli_usage_error("import", "name at least one file to import (or - for stdin)");
	for (int i = 0; i < n; i++)
		if (strcmp(files[i], "-") == 0 && !o.name)
			return cli_usage_error("import", "reading stdin (-) needs --name");
	if (o.name && !*o.name)
		return cli_usage_error("import", "--name must not be empty");

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	o.ctx = &pr;
	o.on_reject = print_reject;
	if (isatty(STDERR_FILENO))
		o.on_progress = print_progress;

	struct store s;
	struct err e = { "" };
	if (store_open(&s, cli_db_path(db), &e) < 0) {
		cli_error("%s", e.msg);
		return EXIT_FAIL;
	}
	struct store_trace_info infos[n];
	enum import_status st = import_files(&s, files, (size_t)n, &o, infos, &e);
	clear_progress(&pr);
	store_close(&s);
	switch (st) {
	case IMPORT_OK: break;
	case IMPORT_REJECTED: cli_error("%s (--strict: nothing imported)", e.msg); return EXIT_INPUT;
	case IMPORT_STOPPED: cli_error("%s", e.msg); return 130;
	case IMPORT_FAILED: cli_error("%s", e.msg); return EXIT_FAIL;
	}
	if (!pr.quiet && pr.total > pr.shown) {
		char more[32];
		fprintf(stderr, "… and %s more rejected lines\n", cli_group_digits(pr.total - pr.shown, more, sizeof more));
	}
	for (int i = 0; i < (o.name ? 1 : n); i++) {
		char req[32], rej[32];
		cli_group_digits((unsigned long long)infos[i].requests, req, sizeof req);
		cli_group_digits((unsigned long long)infos[i].rejects, rej, sizeof rej);
		if (infos[i].rejects)
			printf("%s: imported %s requests, rejected %s line%s (see: llmcost rejects %s)\n",
			       infos[i].name, req, rej, infos[i].rejects == 1 ? "" : "s", infos[i].name);
		else
			printf("%s: imported %s requests\n", infos[i].name, req);
	}
	return EXIT_OK;
}
