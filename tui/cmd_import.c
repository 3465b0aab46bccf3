/*
 * `llmcost import`: the options (--format auto or one of traces/format.h's), then the
 * import as people see it (cli_import: rejection messages, notes, progress, Ctrl-C, the
 * summary).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/import.h"
#include "traces/store.h"
#include "tui/cli.h"

int cmd_import(int argc, char **argv)
{
	enum { NAME = CLI_LONG, FORMAT, STRICT, REPLACE, QUIET, DB };
	static const struct option longopts[] = {
		{ "name", required_argument, 0, NAME }, { "format", required_argument, 0, FORMAT },
		{ "strict", no_argument, 0, STRICT },
		{ "replace", no_argument, 0, REPLACE }, { "quiet", no_argument, 0, QUIET },
		{ "db", required_argument, 0, DB }, { 0, 0, 0, 0 },
	};
	struct import_opts o = { 0 };
	const char *db = NULL;
	int c, quiet = 0;
	optind = 1;
	opterr = 0;
	while ((c = cli_getopt("import", argc, argv, ":", longopts, 0)) != -1) {
		switch (c) {
		case NAME: o.name = optarg; break;
		case FORMAT:
			o.format = format_by_name(optarg);
			if (!o.format && strcmp(optarg, "auto") != 0)
				return cli_usage_error("import", "--format takes auto, %s, not \"%s\"", format_names(), optarg);
			break;
		case STRICT: o.strict = 1; break;
		case REPLACE: o.replace = 1; break;
		case QUIET: quiet = 1; break;
		case DB:
			if (cli_db_arg("import", optarg, &db) < 0)
				return EXIT_USAGE;
			break;
		default: return cli_option_error("import", c, argv, longopts);
		}
	}
	int n = argc - optind;
	const char **files = (const char **)argv + optind;
	if (n < 1)
		return cli_usage_error("import", "name at least one file to import (or - for stdin)");
	for (int i = 0; i < n; i++)
		if (cli_operand_arg("import", files[i], "FILE", "name a file to import (or - for stdin)") < 0)
			return EXIT_USAGE;
	for (int i = 0; i < n; i++) {
		if (strcmp(files[i], "-") == 0 && !o.name)
			return cli_usage_error("import", "reading stdin (-) needs --name");
		/* now, before SQLite opens the store: it puts /dev/null on a closed descriptor 0,
		 * which would read as an empty trace */
		if (strcmp(files[i], "-") == 0 && fcntl(STDIN_FILENO, F_GETFD) < 0) {
			cli_error("-: standard input is closed (%s): nothing to import, nothing stored", strerror(errno));
			return EXIT_FAIL;
		}
	}
	const char *why = o.name ? import_name_problem(o.name) : NULL;
	if (why)
		return cli_usage_error("import", "--name %s", why);
	/* a file whose name makes no trace name (not UTF-8, another file's) wants a --name: usage,
	 * as a --name that is no name is */
	struct err named = { "" };
	if (import_check_names(files, (size_t)n, &o, &named) < 0)
		return cli_usage_error("import", "%s", named.msg);

	/* on the heap: one per FILE, and a year of hourly logs (8,760) would not fit on the stack */
	struct store_trace_info *infos = calloc((size_t)n, sizeof *infos);
	if (!infos) {
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	struct store s;
	struct err e = { "" };
	if (import_check(files, (size_t)n, &o, NULL, &e) < 0) { /* before a store is made for it */
		cli_store_error(e.msg);
		free(infos);
		return EXIT_FAIL;
	}
	/* a signal in the opening's wait for another process's EXCLUSIVE lock (an import commits
	 * under one) abandons the import as it does during the import, saying so */
	cli_import_guard();
	int opened = store_open(&s, cli_db_path_made(db), &e), rc = EXIT_FAIL;
	if (opened == 0) {
		rc = cli_import(&s, files, (size_t)n, &o, quiet, stdout, infos);
		if (rc == EXIT_OK)
			cli_output_done("the import is done (llmcost traces lists it)");
		store_close(&s);
	}
	int sig = cli_import_unguard();
	if (opened < 0 && sig)
		rc = cli_import_stopped(sig);
	else if (opened < 0)
		cli_store_error(e.msg);
	free(infos);
	return rc;
}
