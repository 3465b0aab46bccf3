/*
 * `llmcost gen RECIPE [--requests N] [--tenants T] [--days D] [--seed S] [-o FILE]`:
 * writes a synthetic trace.  This file only reads the command line and
 * reports; the recipes and their defaults are the registry in traces/gen.c,
 * which also feeds the list printed for a missing or unknown recipe.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/gen.h"
#include "traces/report.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/ticker.h"

/* The progress line on a terminal (traces/gen.h paces it). */
struct gen_progress {
	uint64_t total;
};

/* The progress line is on the terminal, to be cleared before a message. */
static volatile sig_atomic_t gen_progress_shown;

/* Removes the unfinished file (gen_writing: the file it replaces is left as it was), says so
 * (named as the import names a stop: interrupted by Ctrl-C, terminated by SIGTERM, hung up by
 * SIGHUP when the terminal closes), and ends the process as the signal does. */
static void gen_on_signal(int sig)
{
	static const char clear[] = "\r\033[K";
	static const char interrupted[] = "llmcost gen: interrupted; the unfinished file is removed\n";
	static const char terminated[] = "llmcost gen: terminated; the unfinished file is removed\n";
	static const char hung_up[] = "llmcost gen: hung up; the unfinished file is removed\n";
	ssize_t w;
	const char *tmp = gen_writing;
	if (tmp)
		unlink(tmp);
	if (gen_progress_shown)
		w = write(STDERR_FILENO, clear, sizeof clear - 1);
	if (sig == SIGTERM)
		w = write(STDERR_FILENO, terminated, sizeof terminated - 1);
	else if (sig == SIGHUP)
		w = write(STDERR_FILENO, hung_up, sizeof hung_up - 1);
	else
		w = write(STDERR_FILENO, interrupted, sizeof interrupted - 1);
	(void)w;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void gen_show_progress(void *ctx, uint64_t lines)
{
	struct gen_progress *g = ctx;
	char n[32], total[32], head[96], pct[16];
	snprintf(head, sizeof head, "generating: %s of %s lines", report_count_text(lines, n, sizeof n),
	         report_count_text(g->total, total, sizeof total));
	snprintf(pct, sizeof pct, ", %.0f%%", 100.0 * (double)lines / (double)g->total);
	struct progress_part parts[] = { { head, 0 }, { pct, 1 } };
	ticker_line(parts, 2);
	gen_progress_shown = 1;
}

/* The usage error for a missing (NULL) or unknown recipe, with the registry's list.
 * Returns EXIT_USAGE. */
static int gen_recipe_error(const char *name)
{
	if (name)
		fprintf(stderr, "llmcost gen: unknown recipe \"%s\"; the recipes are:\n", name);
	else
		fputs("llmcost gen: a recipe is required; the recipes are:\n", stderr);
	for (const struct gen_recipe *r = gen_recipes; r->name; r++)
		fprintf(stderr, "  %-6s %s\n", r->name, r->help);
	fputs("(see: llmcost gen --help)\n", stderr);
	return EXIT_USAGE;
}

/*
 * A count: decimal digits with an optional k (×1000), M (×10^6) or G (×10^9)
 * suffix when suffixes is set, or 0x and hex digits when hex is (a seed: the
 * help names hex for --seed alone).  Returns 0, or -1 when s is not such a
 * number or overflows.
 */
static int gen_parse_u64(const char *s, int suffixes, int hex, uint64_t *out)
{
	uint64_t mult = 1;
	char *end;
	int base = 10;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	}
	errno = 0;
	*out = strtoull(s, &end, base);
	if (errno || end == s)
		return -1;
	if (suffixes && base == 10 && *end) {
		if (!strcmp(end, "k") || !strcmp(end, "K"))
			mult = 1000;
		else if (!strcmp(end, "M"))
			mult = 1000000;
		else if (!strcmp(end, "G"))
			mult = 1000000000;
		else
			return -1;
		end++;
	}
	if (*end || (mult > 1 && *out > UINT64_MAX / mult))
		return -1;
	*out *= mult;
	return 0;
}

static int gen_parse_unsigned(const char *s, unsigned *out)
{
	uint64_t v;
	if (gen_parse_u64(s, 0, 0, &v) < 0 || v > 0xffffffffu)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int cmd_gen(int argc, char **argv)
{
	enum { REQUESTS = CLI_LONG, TENANTS, DAYS, SEED };
	static const struct option opts[] = {
		{ "requests", required_argument, NULL, REQUESTS },
		{ "tenants", required_argument, NULL, TENANTS },
		{ "days", required_argument, NULL, DAYS },
		{ "seed", required_argument, NULL, SEED },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const struct gen_recipe *r;
	struct gen_params p;
	struct err e = { "" };
	const char *out = NULL;
	uint64_t n_requests = 0, seed = 0;
	unsigned n_tenants = 0, n_days = 0;
	int has_n = 0, has_t = 0, has_d = 0, has_s = 0, c;

	optind = 1;
	opterr = 0;
	while ((c = cli_getopt("gen", argc, argv, ":o:", opts, 0)) != -1) {
		switch (c) {
		case REQUESTS:
			if (gen_parse_u64(optarg, 1, 0, &n_requests) < 0)
				return cli_usage_error("gen", "--requests: expected a count such as 5000, "
				                       "250k or 10M, got \"%s\"", optarg);
			has_n = 1;
			break;
		case TENANTS:
			if (gen_parse_unsigned(optarg, &n_tenants) < 0)
				return cli_usage_error("gen", "--tenants: expected a whole number, got \"%s\"",
				                       optarg);
			has_t = 1;
			break;
		case DAYS:
			if (gen_parse_unsigned(optarg, &n_days) < 0)
				return cli_usage_error("gen", "--days: expected a whole number, got \"%s\"",
				                       optarg);
			has_d = 1;
			break;
		case SEED:
			if (gen_parse_u64(optarg, 0, 1, &seed) < 0)
				return cli_usage_error("gen", "--seed: expected a number from 0 to 2^64-1 "
				                       "(decimal or 0x hex), got \"%s\"", optarg);
			has_s = 1;
			break;
		case 'o':
			if (!*optarg)
				return cli_usage_error("gen", "-o needs a file name, not an empty one (- is stdout)");
			out = optarg;
			break;
		default:
			return cli_option_error("gen", c, argv, opts);
		}
	}

	if (optind >= argc)
		return gen_recipe_error(NULL);
	if (optind + 1 < argc)
		return cli_usage_error("gen", "one recipe at a time, got \"%s\" and \"%s\"",
		                       argv[optind], argv[optind + 1]);
	r = gen_recipe_find(argv[optind]);
	if (!r)
		return gen_recipe_error(argv[optind]);

	p = r->defaults;
	if (has_n)
		p.n_requests = n_requests;
	if (has_t)
		p.n_tenants = n_tenants;
	if (has_d)
		p.n_days = n_days;
	if (has_s)
		p.seed = seed;
	if (gen_params_check(&p, &e) < 0)
		return cli_usage_error("gen", "%s", e.msg);

	/* a progress line on a terminal, unless the lines themselves go to it */
	int to_stdout = !out || strcmp(out, "-") == 0;
	struct gen_progress g = { .total = p.n_requests };
	int show = isatty(STDERR_FILENO) && !(to_stdout && isatty(STDOUT_FILENO));
	/* a stop removes the file being written: a regular one's (or a new one's), checked first */
	struct stat st;
	if (!to_stdout && (stat(out, &st) != 0 || S_ISREG(st.st_mode)) && gen_output_check(out, &e) == 0) {
		struct sigaction sa = { .sa_handler = gen_on_signal };
		cli_catch_signal(SIGINT, &sa, NULL); /* unless ignored: nohup's run goes on */
		cli_catch_signal(SIGTERM, &sa, NULL);
		cli_catch_signal(SIGHUP, &sa, NULL);
	}
	int rc = gen_write_file(r, &p, out, show ? gen_show_progress : NULL, &g, &e);
	if (gen_progress_shown) {
		fputs("\r\033[K", stderr);
		gen_progress_shown = 0;
	}
	if (rc < 0) {
		if (to_stdout) /* as every command says it (README) */
			cli_error("%s", e.msg);
		else
			cli_error("gen %s: %s", r->name, e.msg);
		return EXIT_FAIL;
	}
	if (out && strcmp(out, "-") != 0) {
		char count[32];
		char tenants[32];
		text_printf(stderr, "llmcost gen: wrote %s %s request%s (%s tenant%s, %u day%s, seed %" PRIu64
		            ") to %s\n", report_count_text(p.n_requests, count, sizeof count), r->name,
		            p.n_requests == 1 ? "" : "s", report_count_text(p.n_tenants, tenants, sizeof tenants),
		            p.n_tenants == 1 ? "" : "s", p.n_days, p.n_days == 1 ? "" : "s", p.seed, out);
	}
	return EXIT_OK;
}
