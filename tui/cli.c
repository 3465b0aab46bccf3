/*
 * Small helpers every command shares: error and usage messages in one shape
 * (the names in them shown safely, traces/text.h), the store's default path,
 * and digit grouping for counts people read.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim/scenario.h"
#include "traces/report.h"
#include "traces/text.h"
#include "tui/cli.h"

/* Writes head, fmt's text (names in it shown safely) and tail on stderr in one write, so that
 * the messages of processes sharing it (parallel imports) do not interleave. */
static void say_error(const char *head, const char *tail, const char *fmt, va_list ap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) { /* out of memory: piece by piece */
		fputs(head, stderr);
		text_vprintf(stderr, fmt, ap);
		fputs(tail, stderr);
		return;
	}
	fputs(head, m);
	text_vprintf(m, fmt, ap);
	fputs(tail, m);
	if (fclose(m) == 0)
		fwrite(buf, 1, len, stderr);
	free(buf);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say_error("llmcost: ", "\n", fmt, ap);
	va_end(ap);
}

static int output_errno;

int cli_flush(void)
{
	int rc = fflush(stdout);
	if (rc != 0 && !output_errno)
		output_errno = errno ? errno : EIO;
	return rc;
}

int cli_output_failed(void)
{
	if (!ferror(stdout))
		return 0;
	if (!output_errno)
		output_errno = errno ? errno : EIO;
	return 1;
}

int cli_output_errno(void)
{
	return output_errno;
}

static const char *output_done;

void cli_output_done(const char *what)
{
	output_done = what;
}

const char *cli_output_done_what(void)
{
	return output_done;
}

void cli_wrap(FILE *f, int col, int indent, const char *s)
{
	for (int first = 1; *s; first = 0) {
		const char *e = s;
		int depth = 0, w = 0;
		for (; *e && (*e != ' ' || depth > 0); e++) {
			depth += (*e == '[') - (*e == ']');
			w += ((unsigned char)*e & 0xC0) != 0x80; /* a character, not a byte: a column */
		}
		if (!first && col + 1 + w > CLI_HELP_COLS) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(s, 1, (size_t)(e - s), f);
		col += w;
		for (s = e; *s == ' '; s++)
			;
	}
	fputc('\n', f);
}

void cli_usage(const struct command *c, FILE *f)
{
	int col = fprintf(f, "usage: llmcost %s", c->name);
	if (*c->args) {
		fputc(' ', f);
		cli_wrap(f, col + 1, col + 1, c->args);
	} else {
		fputc('\n', f);
	}
	fprintf(f, "\n%s", c->usage);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char head[64], tail[80];
	snprintf(head, sizeof head, "llmcost%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	snprintf(tail, sizeof tail, "\n(see: llmcost%s%s --help)\n", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	say_error(head, tail, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

const char *cli_option_slip(const char *cmd, const char *typed, const struct option *longopts)
{
	char name[128];
	size_t n = strcspn(typed, "=");
	if (n >= sizeof name)
		return NULL;
	memcpy(name, typed, n);
	name[n] = '\0';
	const char *best = NULL, *more[] = { "help", cmd ? NULL : "version" };
	int best_d = scenario_slip_edits(n) + 1;
	for (const struct option *o = longopts; o->name; o++) {
		int d = scenario_edit_distance(name, o->name);
		if (d < best_d) {
			best_d = d;
			best = o->name;
		}
	}
	for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
		int d = more[k] ? scenario_edit_distance(name, more[k]) : best_d;
		if (d < best_d) {
			best_d = d;
			best = more[k];
		}
	}
	return best;
}

/* The last value of this parse that was a word of its own (-s v3: "v3"), set by cli_getopt. */
static const char *value_word;

int cli_option_error(const char *cmd, int c, char **argv, const struct option *longopts)
{
	if (c == CLI_OPTION_SAID) /* cli_getopt's, said */
		return EXIT_USAGE;
	const char *word = optind > 0 ? argv[optind - 1] : "";
	const struct option *o = longopts;
	while (optopt && o->name && o->val != optopt)
		o++;
	/* a long option (--json=1, --scenario with no value), named as typed even with a short form */
	if (optopt && o->name && (optopt >= CLI_LONG || !strncmp(word, "--", 2)))
		return cli_usage_error(cmd, c == ':' ? "--%s needs a value" : "--%s takes no value", o->name);
	if (optopt > 0 && optopt < CLI_LONG && c == ':')
		return cli_usage_error(cmd, "-%c needs a value", optopt);
	if (optopt > 0 && optopt < CLI_LONG) {
		/* the word typed when the letter begins it (-dash, not -d; every short option takes a
		 * value, so an unknown letter begins its word): getopt is past a word of one letter,
		 * and still on a longer one.  So a word "-d" just before is the one (rm -d -dx names
		 * -d, where it named the next word), unless it was an option's value (-s -d -dx). */
		int one_letter = optind > 1 && word[0] == '-' && word[1] == optopt && !word[2] &&
		                 word != value_word;
		const char *typed = !one_letter && argv[optind] && argv[optind][0] == '-' &&
		                    argv[optind][1] == optopt ? argv[optind] : word;
		char letter[3] = { '-', (char)optopt, 0 };
		if (typed[0] != '-' || typed[1] != optopt)
			typed = letter;
		if (strcmp(cmd, "rm") && strcmp(cmd, "rejects"))
			return cli_usage_error(cmd, "unknown option %s (a file whose name begins with - is ./-NAME, "
			                       "or follows --)", typed);
		/* rm and rejects take trace names, which -- alone lets begin with - */
		char *shown = text_shell_word(typed);
		cli_usage_error(cmd, "unknown option %s (a trace whose name begins with - follows --: llmcost %s "
		                "-- %s)", typed, cmd, shown ? shown : typed);
		free(shown);
		return EXIT_USAGE;
	}
	/* a prefix of several (getopt takes one of just one): which they are */
	size_t n = strncmp(word, "--", 2) ? 0 : strcspn(word + 2, "="), k = 0;
	char both[512] = "";
	for (o = longopts; n && o->name; o++)
		if (!strncmp(o->name, word + 2, n)) {
			size_t at = strlen(both);
			snprintf(both + at, sizeof both - at, "%s--%s", k++ ? " or " : "", o->name);
		}
	if (k > 1)
		return cli_usage_error(cmd, "ambiguous option %s: %s", word, both);
	const char *slip = n ? cli_option_slip(cmd, word + 2, longopts) : NULL;
	if (slip)
		return cli_usage_error(cmd, "unknown option %s (did you mean --%s?)", word, slip);
	return cli_usage_error(cmd, "unknown option %s", word);
}

/* 1 when word is one of the command's options: a long one or a beginning of one or more (as
 * getopt_long takes one, or refuses several), --help, -c for a short one (with its value or
 * not), -h. */
static int is_option_word(const char *word, const char *shortopts, const struct option *longopts)
{
	if (word[0] != '-' || !word[1])
		return 0;
	if (word[1] == '-') { /* "--" alone ends the options: a value as before */
		size_t n = strcspn(word + 2, "=");
		for (const struct option *o = longopts; n && o->name; o++)
			if (!strncmp(o->name, word + 2, n)) /* one it names, or begins (--d: --db, --dry-run) */
				return 1;
		return n && !strncmp("help", word + 2, n);
	}
	return !strcmp(word, "-h") || (word[1] != ':' && strchr(shortopts, word[1]));
}

/* The option that took a value, named as typed: --NAME (its whole name, as cli_option_error
 * names it), or -c. */
static void option_name(char *out, size_t n, int is_long, int c, const struct option *o)
{
	if (is_long && o)
		snprintf(out, n, "--%s", o->name);
	else
		snprintf(out, n, "-%c", c);
}

/* The options with a value that this parse has seen, for a second one: reset by its first call
 * (optind 1, set by the command; a value makes getopt_long step past it) */
static struct seen_option {
	int val, is_long;
	const char *arg;
} seen[16];
static size_t n_seen;

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int repeatable)
{
	int index = -1;
	if (optind <= 1) {
		n_seen = 0;
		value_word = NULL;
	}
	int c = getopt_long(argc, argv, shortopts, longopts, &index);
	if (c == -1 || c == '?' || c == ':' || !optarg)
		return c;
	const struct option *o = index >= 0 ? &longopts[index] : NULL;
	for (const struct option *l = longopts; !o && l->name; l++)
		if (l->val == c)
			o = l;
	/* the value a word of its own (not --NAME=VALUE or -cVALUE): the option before it */
	int apart = optarg == argv[optind - 1];
	if (apart)
		value_word = optarg;
	const char *word = argv[optind - 1 - apart];
	int is_long = word[1] == '-';
	char name[128], was[128];
	option_name(name, sizeof name, is_long, c, o);
	if (apart && is_option_word(optarg, shortopts, longopts)) {
		char *value = text_shell_word(optarg);
		cli_usage_error(cmd, "%s needs a value, but got the option %s (for a value so spelled: "
		                "%s%s%s%s)", name, optarg, o ? "--" : name, o ? o->name : "", o ? "=" : "",
		                value ? value : optarg);
		free(value);
		return CLI_OPTION_SAID;
	}
	if (c == repeatable)
		return c;
	for (size_t k = 0; k < n_seen; k++)
		if (seen[k].val == c) { /* the last one would be kept, without a word */
			char *first = text_shell_word(seen[k].arg), *then = text_shell_word(optarg);
			option_name(was, sizeof was, seen[k].is_long, c, o);
			cli_usage_error(cmd, "%s given twice (%s %s, then %s %s): choose one", name, was,
			                first ? first : seen[k].arg, name, then ? then : optarg);
			free(first);
			free(then);
			return CLI_OPTION_SAID;
		}
	if (n_seen < sizeof seen / sizeof seen[0])
		seen[n_seen++] = (struct seen_option){ c, is_long, optarg };
	return c;
}

int cli_catch_signal(int sig, const struct sigaction *sa, struct sigaction *old)
{
	struct sigaction was = { .sa_handler = SIG_DFL };
	int read_ok = sigaction(sig, NULL, &was) == 0;
	if (old)
		*old = was;
	if (!read_ok || was.sa_handler == SIG_IGN)
		return 0;
	return sigaction(sig, sa, NULL) == 0;
}

int cli_real_name(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX] = ".";
	if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else if (slash)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	char *real = realpath(dir, NULL);
	if (!real)
		return -1;
	int len = snprintf(out, n, "%s/%s", strcmp(real, "/") ? real : "", slash ? slash + 1 : path);
	free(real);
	return len > 0 && (size_t)len < n ? 0 : -1;
}

/* why the default store's folder could not be made, said when the store then cannot be opened */
static char made_error[sizeof ((struct err *)0)->msg + 4096 + 64];

const char *cli_db_path_made(const char *opt_db)
{
	const char *path = cli_db_path(opt_db), *env = getenv("LLMCOST_DB");
	struct err e = { "" };
	/* only for a store not there: one that cannot be reached (a folder of its path this user
	 * cannot enter) is said so by store_open, not as a folder that cannot be made */
	if (!(opt_db && *opt_db) && !(env && *env) && store_exists(path, &e) == 0 &&
	    store_make_folder(path, &e) < 0)
		snprintf(made_error, sizeof made_error, "%s: cannot make the store: cannot make its folder %s",
		         path, e.msg);
	return path;
}

const char *cli_no_store_hint(const char *opt_db)
{
	static char hint[4096 + 128];
	const char *path = cli_db_path(opt_db), *env = getenv("LLMCOST_DB"), *slash = strrchr(path, '/');
	char dir[4096];
	struct stat st;
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if ((opt_db && *opt_db) || (env && *env)) {
		int gone = stat(dir[0] ? dir : "/", &st) != 0;
		if (gone && (errno == ENOENT || errno == ENOTDIR)) {
			snprintf(hint, sizeof hint, "its folder %s does not exist; llmcost import FILE makes the "
			         "store once it does", dir);
			return hint;
		}
		if (!gone && !S_ISDIR(st.st_mode)) { /* a --db under a file, file/x.db */
			snprintf(hint, sizeof hint, "%s is not a folder, so no store can be made in it", dir);
			return hint;
		}
	}
	return "llmcost import FILE makes it";
}

void cli_more_rejects(uint64_t n)
{
	char more[32];
	if (n)
		fprintf(stderr, "%s and %s more rejected line%s\n", text_symbol("…", "..."),
		        report_count_text(n, more, sizeof more), n == 1 ? "" : "s");
}

void cli_store_error(const char *msg)
{
	cli_error("%s", made_error[0] ? made_error : msg);
}

int cli_one_scenario(const char *cmd, const char *arg, const char **scen)
{
	if (!*arg) {
		cli_usage_error(cmd, "-s needs a scenario: a file or a bundled name");
		return -1;
	}
	*scen = arg;
	return 0;
}

int cli_operand_arg(const char *cmd, const char *arg, const char *op, const char *what)
{
	if (*arg)
		return 0;
	cli_usage_error(cmd, "%s is empty: %s", op, what);
	return -1;
}

/* " --db PATH" for the command lines the messages suggest, when this one named its store */
static char db_words[64 + 4 * 4096];

const char *cli_db_words(void)
{
	return db_words;
}

/* Why a store path that is not empty is no file path, said after the path ("--db PATH ..." or
 * "LLMCOST_DB=PATH ..."), or NULL: SQLite would keep :memory: nowhere, and take y.db/ as y.db,
 * which another command's y.db/ then misses. */
static const char *db_refusal(const char *path)
{
	if (!strcmp(path, ":memory:"))
		return "would keep nothing: a store is a file path";
	if (path[strlen(path) - 1] == '/')
		return "ends in /: a store is a file path, not a folder";
	return NULL;
}

int cli_db_arg(const char *cmd, const char *arg, const char **db)
{
	const char *why;
	if (!*arg)
		return cli_usage_error(cmd, "--db needs a path, not an empty one: a store is a file path"), -1;
	if ((why = db_refusal(arg)))
		return cli_usage_error(cmd, "--db %s %s", arg, why), -1;
	*db = arg;
	char *word = text_shell_word(arg);
	snprintf(db_words, sizeof db_words, " --db %s", word ? word : arg);
	free(word);
	return 0;
}

const char *cli_data_dir(void)
{
	static char path[4096];
	const char *env = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	if (env && env[0] == '/') /* the spec: a relative path is invalid, to be ignored */
		snprintf(path, sizeof path, "%s/llmcost", env);
	else if (home && *home)
		snprintf(path, sizeof path, "%s/.local/share/llmcost", home);
	else
		return NULL;
	return path;
}

const char *cli_db_path(const char *opt_db)
{
	static char path[4096 + 16];
	const char *env = getenv("LLMCOST_DB"), *dir;
	if (opt_db && *opt_db)
		return opt_db;
	if (env && *env) {
		/* checked as --db is, where it is used: a command without a store runs whatever it is */
		const char *why = db_refusal(env);
		if (why) {
			cli_error("LLMCOST_DB=%s %s", env, why);
			exit(EXIT_USAGE);
		}
		return env;
	}
	if (!(dir = cli_data_dir())) {
		cli_error("no store: HOME is not set and XDG_DATA_HOME is not an absolute path, so there "
		          "is no default store; name one with --db PATH or LLMCOST_DB");
		exit(EXIT_FAIL);
	}
	snprintf(path, sizeof path, "%s/llmcost.db", dir);
	return path;
}

/* A command's wait for another process's lock on the store, told once on stderr. */
static void tell_wait(const char *path)
{
	text_printf(stderr, "llmcost: waiting for another process's lock on %s (an import?); Ctrl-C stops\n", path);
}

void cli_wait_for_locks(void)
{
	store_wait_for_locks(tell_wait);
}
