/*
 * `llmcost import`: the options, then the import as people see it
 * (cli_import: rejection messages, progress, Ctrl-C, the summary).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "traces/import.h"
#include "tui/cli.h"

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "name", required_argument, 0, 'n' }, { "strict", no_argument, 0, 's' },
		{ "replace", no_argument, 0, 'r' }, { "quiet", no_argument, 0, 'q' },
		{ "db", required_argument, 0, 'd' }, { 0, 0, 0, 0 },
	};
	struct import_opts o = { 0 };
	const char *db = NULL;
	int c, quiet = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:srqd:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 's': o.strict = 1; break;
		case 'r': o.replace = 1; break;
		case 'q': quiet = 1; break;
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

	struct store s;
	struct err e = { "" };
	if (store_open(&s, cli_db_path(db), &e) < 0) {
		cli_error("%s", e.msg);
		return EXIT_FAIL;
	}
	struct store_trace_info infos[n];
	int rc = cli_import(&s, files, (size_t)n, &o, quiet, stdout, infos);
	store_close(&s);
	return rc;
}
