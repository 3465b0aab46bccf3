/*
 * llmcost's entry point: the command table and dispatch.  Every subcommand is
 * one row here; `llmcost help`, `llmcost CMD --help` and the errors for an
 * unknown command are all generated from this table.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tui/cli.h"

const struct command commands[] = {
	{ "import", "FILE... [--name N] [--strict] [--replace] [--db PATH]",
	  "import JSON Lines traces (plain, .gz or - for stdin) into the store",
	  "Imports trace v1 JSON Lines files into the store.  Each file becomes a trace named\n"
	  "after the file (without .jsonl/.json/.gz); with --name all files form one trace.\n"
	  "Malformed lines are reported as FILE:LINE: field: reason, kept in the store's\n"
	  "rejects table (see `llmcost rejects NAME`) and counted; the rest is imported.\n"
	  "One import is one transaction: on failure or Ctrl-C the store is left unchanged.\n"
	  "\n"
	  "options:\n"
	  "  --name N     store the trace under name N\n"
	  "  --strict     fail (exit 3, write nothing) at the first malformed line\n"
	  "  --replace    replace a stored trace of the same name\n"
	  "  --quiet      print no per-line rejection messages\n"
	  "  --db PATH    the store (default $LLMCOST_DB, else $XDG_DATA_HOME/llmcost/llmcost.db)\n"
	  "\n"
	  "examples:\n"
	  "  llmcost import prod-2026-03-02.jsonl.gz\n"
	  "  zcat day*.jsonl.gz | llmcost import - --name march\n",
	  cmd_import },
	{ "traces", "[--db PATH]",
	  "list the traces the store holds",
	  "Lists the stored traces: name, requests, rejected lines, tenants, time span, source.\n"
	  "\n"
	  "options:\n"
	  "  --db PATH    the store\n",
	  cmd_traces },
	{ "rejects", "NAME [--db PATH]",
	  "show the lines of a trace that were rejected at import, with the reason",
	  "Prints each rejected line of trace NAME as FILE:LINE: reason, then the line itself.\n"
	  "\n"
	  "options:\n"
	  "  --db PATH    the store\n",
	  cmd_rejects },
	{ 0 }
};

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

const char *cli_group_digits(unsigned long long v, char *buf, size_t n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%llu", v), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

static void print_help(FILE *f)
{
	fputs("llmcost — replay LLM request traces through cost policies\n\nusage:\n", f);
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  llmcost %-8s %s\n", c->name, c->args);
	fputs("\ncommands:\n", f);
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-8s  %s\n", c->name, c->help);
	fputs("\n`llmcost CMD --help` explains a command.  Exit codes: 0 ok, 1 failure, 2 usage,\n"
	      "3 bad input, 4 live spend cap reached.\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc > 2)
			for (const struct command *c = commands; c->name; c++)
				if (!strcmp(c->name, argv[2])) {
					cli_usage(c, stdout);
					return EXIT_OK;
				}
		print_help(stdout);
		return EXIT_OK;
	}
	for (const struct command *c = commands; c->name; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		for (int i = 2; i < argc; i++)
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				cli_usage(c, stdout);
				return EXIT_OK;
			}
		return c->fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "llmcost: unknown command \"%s\"; the commands are:", argv[1]);
	for (const struct command *c = commands; c->name; c++)
		fprintf(stderr, " %s", c->name);
	fputs(" help\n", stderr);
	return EXIT_USAGE;
}
