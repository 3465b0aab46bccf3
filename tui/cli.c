/*
 * Small helpers every command shares: error and usage messages in one shape,
 * the store's default path, and digit grouping for counts people read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tui/cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("llmcost: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_usage(const struct command *c, FILE *f)
{
	fprintf(f, "usage: llmcost %s %s\n\n%s", c->name, c->args, c->usage);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "llmcost %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see: llmcost %s --help)\n", cmd);
	return EXIT_USAGE;
}

const char *cli_db_path(const char *opt_db)
{
	static char path[4096];
	const char *env = getenv("LLMCOST_DB");
	if (opt_db && *opt_db)
		return opt_db;
	if (env && *env)
		return env;
	env = getenv("XDG_DATA_HOME");
	if (env && *env)
		snprintf(path, sizeof path, "%s/llmcost/llmcost.db", env);
	else
		snprintf(path, sizeof path, "%s/.local/share/llmcost/llmcost.db",
		         getenv("HOME") ? getenv("HOME") : ".");
	return path;
}
