/*
 * `llmcost traces`, `rejects` and `rm`: what the store holds, the lines an
 * import refused with their reasons, and removing traces.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "traces/report.h"
#include "traces/store.h"
#include "tui/cli.h"

/* Parses the common [--db PATH] option; returns the index of the first operand or -1. */
static int parse_db_opt(const char *cmd, int argc, char **argv, const char **db)
{
	static const struct option longopts[] = { { "db", required_argument, 0, 'd' }, { 0, 0, 0, 0 } };
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:", longopts, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else if (c == ':')
			return cli_usage_error(cmd, "%s needs a value", argv[optind - 1]), -1;
		else
			return cli_usage_error(cmd, "unknown option %s", argv[optind - 1]), -1;
	}
	return optind;
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
	if (store_open(&s, cli_db_path(db), &e) < 0 || store_list(&s, &list, &n, &e) < 0) {
		cli_error("%s", e.msg);
		store_close(&s);
		return EXIT_FAIL;
	}
	if (n == 0)
		printf("the store %s holds no traces yet (add one: llmcost import FILE)\n", s.path);
	else
		printf("%-20s %12s %8s %8s  %-20s %10s  %s\n", "NAME", "REQUESTS", "REJECTS", "TENANTS",
		       "FIRST", "SPAN", "SOURCE");
	for (size_t i = 0; i < n; i++) {
		char req[32], first_ts[CLOCK_TEXT_MAX] = "-", span[32] = "-";
		if (list[i].requests) {
			clock_format(list[i].first_ts_us, first_ts);
			report_span_text(list[i].last_ts_us - list[i].first_ts_us, span, sizeof span);
		}
		printf("%-20s %12s %8lld %8lld  %-20s %10s  %s\n", list[i].name,
		       report_count_text((uint64_t)list[i].requests, req, sizeof req),
		       (long long)list[i].rejects, (long long)list[i].tenants, first_ts, span,
		       list[i].source);
	}
	free(list);
	store_close(&s);
	return EXIT_OK;
}

static int print_reject(void *ctx, const char *file, int64_t line, const char *reason,
                        const char *text, size_t len, int64_t full_len)
{
	(void)ctx;
	printf("%s:%lld: %s\n  %.*s%s\n", file, (long long)line, reason, (int)len, text,
	       (int64_t)len < full_len ? " [cut]" : "");
	return 0;
}

int cmd_rejects(int argc, char **argv)
{
	const char *db = NULL;
	int first = parse_db_opt("rejects", argc, argv, &db);
	if (first < 0)
		return EXIT_USAGE;
	if (argc - first != 1)
		return cli_usage_error("rejects", "name one stored trace (see: llmcost traces)");
	struct store s;
	struct err e = { "" };
	if (store_open(&s, cli_db_path(db), &e) < 0 ||
	    store_each_reject(&s, argv[first], print_reject, NULL, &e) < 0) {
		cli_error("%s", e.msg);
		store_close(&s);
		return EXIT_FAIL;
	}
	store_close(&s);
	return EXIT_OK;
}

int cmd_rm(int argc, char **argv)
{
	const char *db = NULL;
	int first = parse_db_opt("rm", argc, argv, &db);
	if (first < 0)
		return EXIT_USAGE;
	if (first >= argc)
		return cli_usage_error("rm", "name the traces to remove (see: llmcost traces)");
	struct store s;
	struct err e = { "" };
	if (store_open(&s, cli_db_path(db), &e) < 0 ||
	    store_delete(&s, (const char *const *)argv + first, (size_t)(argc - first), &e) < 0) {
		cli_error("%s", e.msg);
		store_close(&s);
		return EXIT_FAIL;
	}
	for (int i = first; i < argc; i++)
		printf("removed %s\n", argv[i]);
	store_close(&s);
	return EXIT_OK;
}
