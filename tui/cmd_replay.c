/*
 * `llmcost replay TRACE [-s SCENARIO]… [--json|--csv] [--by G] [--from T] [--to T] [--db PATH]`:
 * finds (or imports) the trace, keeps the requests arriving in [from, to) when given (each
 * drawing as in the whole trace), loads the scenarios, replays them on up to one
 * thread per core against one shared prepared trace (with a progress line on a
 * terminal), gives its notes and warnings (tui/replay_notes.c), and prints
 * the report (traces/report*.c) in the order the scenarios were given.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/replay.h"
#include "traces/bundled.h"
#include "traces/import.h"
#include "traces/pricing.h"
#include "traces/report.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/replay_notes.h"
#include "tui/ticker.h"

/* The type and mode of what path names, symbolic links followed, or 0 when nothing (that this
 * user can see) is there: S_ISREG of it is a trace file, which a run imports on first use. */
static mode_t replay_mode_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_mode : 0;
}

/*
 * Loads scenario `arg`: a file path, else a bundled scenario name, else the
 * built-in "recorded".  Prints the reason and returns EXIT_INPUT on failure.
 */
int replay_load_scenario(const char *arg, struct scenario *sc)
{
	struct err e = { "" };
	char path[PATH_MAX + 128];
	mode_t mode = replay_mode_of(arg);
	if (!S_ISDIR(mode) && (mode || strchr(arg, '/'))) { /* a file, or a path to none */
		if (scenario_load(arg, sc, &e) == 0)
			return EXIT_OK;
		/* a file here of a bundled scenario's name comes first: its error says so */
		if (!strchr(arg, '/') && bundled_scenario(arg, path, sizeof path)) {
			cli_error("%s; the file %s here comes before the bundled scenario of that name, "
			          "which is %s", e.msg, arg, path);
			return EXIT_INPUT;
		}
	} else if (bundled_scenario(arg, path, sizeof path)) {
		if (scenario_load(path, sc, &e) == 0)
			return EXIT_OK;
	} else if (strcmp(arg, "recorded") == 0) {
		if (scenario_builtin(arg, sc, &e) == 0)
			return EXIT_OK;
	} else if (S_ISDIR(mode)) {
		err_set(&e, "%s: is a directory, not a scenario file", arg);
	} else {
		char list[1024], json[PATH_MAX + 8], hint[PATH_MAX + 32] = "";
		/* -s mine beside mine.json: the file was meant */
		size_t len = strlen(arg);
		if ((len < 5 || strcmp(arg + len - 5, ".json") != 0) &&
		    snprintf(json, sizeof json, "%s.json", arg) < (int)sizeof json && S_ISREG(replay_mode_of(json)))
			snprintf(hint, sizeof hint, " (did you mean %s?)", json);
		bundled_scenarios(list, sizeof list);
		if (*list)
			err_set(&e, "%s: no such scenario file%s, and no bundled scenario of that name "
			        "(bundled: %s)", arg, hint, list);
		else
			err_set(&e, "%s: no such scenario file%s, and the bundled scenarios were not found next "
			        "to the program (fixtures/scenarios in its folder or up to three above, or "
			        "../share/llmcost/scenarios)", arg, hint);
	}
	cli_error("%s", e.msg);
	return EXIT_INPUT;
}

/*
 * Two scenarios of one name that differ (two files that both say "name": "v3") would get
 * identical titles; each such name gets the `-s` argument it came from: "v3 (a/v3.json)".
 * A scenario listed twice is the same scenario, and keeps its name.
 */
static int replay_tell_apart(struct scenario *sc, const char **args, size_t n)
{
	unsigned char *clash = calloc(n, 1);
	if (!clash)
		goto oom;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			clash[i] |= j != i && strcmp(sc[i].name, sc[j].name) == 0 &&
			            strcmp(sc[i].json, sc[j].json) != 0;
	for (size_t i = 0; i < n; i++) {
		if (!clash[i])
			continue;
		size_t len = strlen(sc[i].name) + strlen(args[i]) + sizeof " ()";
		char *named = malloc(len);
		if (!named)
			goto oom;
		snprintf(named, len, "%s (%s)", sc[i].name, args[i]);
		free(sc[i].name);
		sc[i].name = named;
	}
	free(clash);
	return EXIT_OK;
oom:
	free(clash);
	cli_error("out of memory");
	return EXIT_FAIL;
}

/*
 * Whether stored trace `info` came from another file than `path`.  A source that is not a
 * whole absolute file name (an older import's, standard input's, one cut at the store's
 * length) is taken at its word.
 */
static int source_is_other(const struct store_trace_info *info, const char *path)
{
	char *abs = realpath(path, NULL);
	int other = abs && info->source[0] == '/' && strlen(info->source) + 1 < sizeof info->source &&
	            strcmp(abs, info->source) != 0;
	free(abs);
	return other;
}

/*
 * Whether stored trace `info` is file `path` as imported: an error when it came from another
 * file of the same name (a day's `requests.jsonl` after another day's), a note when the file
 * was modified or replaced after the import: its later time of modification and of status
 * change (set to now by any write, create or rename, where `cp -p`, `tar x` and `rsync -t`
 * give a replacement an older mtime; a chmod sets it too) after the import's time.
 */
static int replay_check_source(const struct store_trace_info *info, const char *path)
{
	char *word = text_shell_word(path);
	const char *path_word = word ? word : path;
	if (source_is_other(info, path)) {
		cli_error("a trace named \"%s\" is already stored, from %s, not from %s: replay that one as "
		          "\"%s\", or import this file under another name (llmcost import %s --name NAME%s)",
		          info->name, info->source, path, info->name, path_word, cli_db_words());
		free(word);
		return EXIT_FAIL;
	}
	struct stat st;
	int64_t imported_us;
	const char *why;
	/* to the µs, as imports keep their time (a file rewritten in the second of its import is
	 * seen); an older import's whole-second time, to the second */
	int64_t changed_us = 0;
	if (stat(path, &st) == 0) {
		int64_t mtime_us = (int64_t)st.st_mtim.tv_sec * CLOCK_US_PER_S + st.st_mtim.tv_nsec / 1000;
		int64_t ctime_us = (int64_t)st.st_ctim.tv_sec * CLOCK_US_PER_S + st.st_ctim.tv_nsec / 1000;
		changed_us = mtime_us > ctime_us ? mtime_us : ctime_us;
		if (!strchr(info->imported_at, '.'))
			changed_us -= changed_us % CLOCK_US_PER_S;
	}
	if (changed_us && clock_parse_rfc3339(info->imported_at, strlen(info->imported_at), &imported_us, &why) == 0 &&
	    changed_us > imported_us)
		text_printf(stderr, "llmcost: note: %s was modified or replaced after it was imported (%s); "
		            "replaying the stored copy (llmcost import --replace %s%s imports it again)\n", path,
		            info->imported_at, path_word, cli_db_words());
	free(word);
	return EXIT_OK;
}

unsigned replay_norms_wanted(const struct scenario *sc, size_t n)
{
	unsigned wanted = 0, flags;
	for (size_t i = 0; i < n; i++)
		if (replay_norms_flags(&sc[i], &flags))
			wanted |= 1u << flags;
	return wanted;
}

unsigned replay_norms_restore(struct store *s, const char *name, const struct trace *t,
                              struct replay_trace *rt, unsigned wanted)
{
	unsigned given = 0;
	struct err e;
	uint32_t *ids;
	for (unsigned flags = 1; wanted >> flags; flags++)
		if ((wanted >> flags & 1) && store_norms_load(s, name, flags, t->inputs.n, &ids, &e) == 1 &&
		    replay_norms_give(rt, flags, ids) == 0)
			given |= 1u << flags;
	return given;
}

void replay_norms_keep(struct store *s, const char *name, const struct trace *t,
                       const struct replay_trace *rt, unsigned wanted, unsigned given)
{
	struct err e;
	const uint32_t *ids;
	for (unsigned flags = 1; wanted >> flags; flags++)
		if ((wanted & ~given) >> flags & 1 && (ids = replay_norms_made(rt, flags)))
			store_norms_keep(s, name, flags, ids, t->inputs.n, &e);
}

/* Says that "-" (standard input) is no trace here and how to make it one; 1 when arg is "-": a
 * usage error, as a pipe is (replay_special_named). */
static int replay_stdin_named(const char *arg)
{
	if (strcmp(arg, "-") != 0)
		return 0;
	cli_error("\"-\": a trace is a file or a stored name, not standard input; store standard input "
	          "first with llmcost import - --name NAME%s, then use NAME", cli_db_words());
	return 1;
}

/*
 * Says that `arg`, which is there but is neither a regular file nor a folder (symbolic links
 * followed: the /dev/fd/N of `<(cmd)`, /dev/stdin on a pipe, a FIFO, a socket, a device), is
 * no trace file, and how to store what it gives; 1 when it is such.  A trace file is imported
 * on first use and its stored copy replayed after, told apart by its path and checked against
 * its times: a pipe's next run, other lines under the same path, would replay the first's.
 */
static int replay_special_named(const char *arg)
{
	mode_t mode = replay_mode_of(arg);
	if (!mode || S_ISREG(mode) || S_ISDIR(mode))
		return 0;
	if (S_ISFIFO(mode) || S_ISSOCK(mode)) { /* a socket cannot be opened as a file */
		const char *kind = S_ISFIFO(mode) ? "pipe" : "socket";
		cli_error("%s: a %s, not a regular file: a trace file is imported on first use and its "
		          "stored copy replayed after, and a %s gives its lines once; store them first with "
		          "llmcost import - --name NAME%s (the %s on standard input), then use NAME", arg, kind,
		          kind, cli_db_words(), kind);
		return 1;
	}
	char *word = text_shell_word(arg);
	cli_error("%s: %s, not a regular file: a trace file is imported on first use and its stored copy "
	          "replayed after; store its lines first with llmcost import %s --name NAME%s, then use NAME",
	          arg, S_ISCHR(mode) ? "a character device" : S_ISBLK(mode) ? "a block device"
	          : "not a file", word ? word : arg, cli_db_words());
	free(word);
	return 1;
}

/* A first use of a trace file makes the store (and the default store's folder); a stored
 * name opens only a store that exists (cli.h).  A trace file's opening may wait for another
 * process's EXCLUSIVE lock (an import's commit): Ctrl-C there abandons the import it comes
 * for, and says so as `import` does (cli_import_guard). */
int replay_open_store(struct store *s, const char *db, const char *trace_arg)
{
	struct err e = { "" };
	const char *path = cli_db_path(db);
	int file = trace_arg && S_ISREG(replay_mode_of(trace_arg));
	int no_store = trace_arg && !file && store_exists(path, &e) == 0;
	if (file) {
		cli_import_guard();
		int opened = store_open(s, cli_db_path_made(db), &e), sig = cli_import_unguard();
		if (sig && opened == 0) /* caught in the opening, out of a wait */
			store_close(s);
		if (sig)
			return cli_import_stopped(sig);
		if (opened == 0)
			return EXIT_OK;
	} else if ((no_store ? store_open_existing(s, path, cli_no_store_hint(db), &e)
	                     : store_open(s, cli_db_path_made(db), &e)) == 0) {
		return EXIT_OK;
	}
	if (no_store && replay_stdin_named(trace_arg))
		return EXIT_USAGE;
	if (no_store && replay_special_named(trace_arg))
		return EXIT_USAGE;
	if (no_store && S_ISDIR(replay_mode_of(trace_arg)))
		cli_error("%s: is a directory, not a trace file", trace_arg);
	else if (no_store)
		cli_error("no trace file named \"%s\", and %s", trace_arg, e.msg);
	else
		cli_store_error(e.msg);
	return EXIT_FAIL;
}

/*
 * The name of the stored trace to replay for `arg`, into name: a regular file
 * (not a pipe: replay_special_named) is imported under its derived name unless
 * a trace of that name is stored already (from that file: see
 * replay_check_source); anything else must be a stored name.  Returns an exit
 * code.
 */
int replay_find_trace(struct store *s, const char *arg, const char *as, char *name, size_t n)
{
	struct store_trace_info info;
	struct err e = { "" };
	int found = 0;

	/* a bare name that a stored trace has is that trace, whatever of that name is here, unless
	 * it is the very file the trace came from (./NAME names the file) */
	if (!as && !strchr(arg, '/') && (found = store_find(s, arg, &info, &e)) < 0) {
		cli_error("%s", e.msg);
		return EXIT_FAIL;
	}
	if (found) {
		snprintf(name, n, "%s", arg);
		if (!S_ISREG(replay_mode_of(arg)))
			return EXIT_OK;
		if (!source_is_other(&info, arg))
			return replay_check_source(&info, arg);
		text_printf(stderr, "llmcost: note: \"%s\" is the stored trace, imported from %s; the file of "
		            "that name here is ./%s\n", arg, info.source, arg);
		return EXIT_OK;
	}
	if (replay_special_named(arg))
		return EXIT_USAGE;
	if (S_ISREG(replay_mode_of(arg))) {
		if (as)
			snprintf(name, n, "%s", as);
		else
			import_name_for(arg, name, n);
		if ((found = store_find(s, name, &info, &e)) < 0) {
			cli_error("%s", e.msg);
			return EXIT_FAIL;
		}
		if (found)
			return replay_check_source(&info, arg);

		/* no --format here: a format the content cannot tell is named through `import` */
		char *file_word = text_shell_word(arg), *as_word = as ? text_shell_word(as) : NULL, cmd[1024];
		int cut = snprintf(cmd, sizeof cmd, "llmcost import %s%s%s%s", file_word ? file_word : arg,
		                   as ? " --name " : "", as ? (as_word ? as_word : as) : "", cli_db_words()) >=
		          (int)sizeof cmd;
		free(file_word);
		free(as_word);
		struct import_opts o = { .name = as, .exists_ok = 1, .import_cmd = cut ? "" : cmd };
		const char *files[1] = { arg };
		int rc = cli_import(s, files, 1, &o, 0, stderr, &info);
		if (rc == CLI_IMPORT_EXISTS) { /* another llmcost imported it meanwhile: that one, if of this file */
			if ((found = store_find(s, name, &info, &e)) == 1)
				return replay_check_source(&info, arg);
			cli_error("%s", found < 0 ? e.msg : "the trace another process imported is gone; try again");
			return EXIT_FAIL;
		}
		if (rc != EXIT_OK)
			return rc;
		snprintf(name, n, "%s", info.name);
		return EXIT_OK;
	}

	snprintf(name, n, "%s", arg);
	if ((found = store_find(s, name, &info, &e)) < 0) {
		cli_error("%s", e.msg);
		return EXIT_FAIL;
	}
	if (!found && S_ISDIR(replay_mode_of(arg))) {
		cli_error("%s: is a directory, not a trace file", arg);
		return EXIT_FAIL;
	}
	if (!found && !as) { /* a file imported before and gone since: its stored copy */
		char abs[sizeof info.source];
		import_name_for(arg, name, n);
		if (cli_real_name(arg, abs, sizeof abs) == 0 && store_find(s, name, &info, &e) == 1 &&
		    strcmp(info.source, abs) == 0) {
			text_printf(stderr, "llmcost: note: %s is gone; replaying the copy stored as \"%s\" when it was "
			            "imported (%s)\n", arg, name, info.imported_at);
			return EXIT_OK;
		}
		snprintf(name, n, "%s", arg);
	}
	if (!found && replay_stdin_named(arg))
		return EXIT_USAGE;
	if (!found) {
		cli_error("no trace file or stored trace named \"%s\" in %s (llmcost traces lists them)", arg,
		          s->path);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * --from's or --to's TIME (opt names which) into *us: an RFC 3339 time as a trace's ts is
 * written, parsed by the trace's own parser (fractions, offsets), so that a bound copied from a
 * trace line selects that line exactly.  -1 after a usage error naming the option, with an
 * example.
 */
static int replay_time_arg(const char *opt, const char *arg, int64_t *us)
{
	const char *why = "";
	if (clock_parse_rfc3339(arg, strlen(arg), us, &why) == 0 && *us >= TRACE_TS_MIN_US && *us <= TRACE_TS_MAX_US)
		return 0;
	cli_usage_error("replay", "%s takes a time in RFC 3339, as a trace's ts is written "
	                "(%s 2026-03-02T14:00:00Z, or 2026-03-02T14:00:00.5+01:00), not \"%s\"%s%s", opt,
	                opt, arg, *why ? ": " : "", why);
	return -1;
}

/*
 * Narrows *t to the requests arriving in [from, to) (replay --from/--to), built once before
 * any scenario runs (sim/trace.c trace_select), each keeping its index in the whole trace
 * for its draws.  Says on stderr when none arrives in the range (the report is then an empty
 * trace's, exit 0 as for one).  An exit code.
 */
static int replay_select(struct trace *t, int64_t from_us, int64_t to_us, const char *name)
{
	struct trace sel;
	struct err e = { "" };
	char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX], range[3 * CLOCK_TEXT_MAX], held[3 * CLOCK_TEXT_MAX];
	int64_t lo = INT64_MAX, hi = INT64_MIN, to = to_us == TRACE_SUMMARY_OPEN ? INT64_MAX : to_us;
	for (uint32_t i = 0; i < t->n_req; i++) {
		int64_t ts = trace_ts_us(t, i);
		lo = ts < lo ? ts : lo;
		hi = ts > hi ? ts : hi;
	}
	if (t->n_req && from_us <= lo && hi < to)
		return EXIT_OK; /* every request is in the range: the trace as it is, no copy */
	if (trace_select(t, from_us, to, &sel, &e) < 0) {
		trace_free(&sel);
		cli_error("%s: %s", name, e.msg);
		return EXIT_FAIL;
	}
	if (sel.n_req == 0) {
		if (to_us == TRACE_SUMMARY_OPEN)
			snprintf(range, sizeof range, "at or after %s", clock_format(from_us, a));
		else if (from_us == TRACE_SUMMARY_OPEN)
			snprintf(range, sizeof range, "before %s", clock_format(to_us, b));
		else
			snprintf(range, sizeof range, "from %s to before %s", clock_format(from_us, a), clock_format(to_us, b));
		if (t->n_req)
			snprintf(held, sizeof held, "its arrivals run from %s to %s", clock_format(lo, a), clock_format(hi, b));
		else
			snprintf(held, sizeof held, "it holds no request");
		text_printf(stderr, "llmcost: note: no request of trace \"%s\" arrives %s (%s): the report is of "
		            "no request\n", name, range, held);
	}
	trace_free(t);
	*t = sel;
	return EXIT_OK;
}

/* The scenarios to run, shared by the worker threads; `next` hands out indexes. */
struct replay_jobs {
	const struct replay_trace *rt;
	const struct scenario *sc;
	struct result_scenario *res;
	struct err *errs;
	int *rcs;
	size_t n, next;
	pthread_mutex_t mu;
	struct replay_progress progress; /* the requests the runs have taken in */
};

static void *replay_worker(void *arg)
{
	struct replay_jobs *j = arg;
	for (;;) {
		pthread_mutex_lock(&j->mu);
		size_t i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			return NULL;
		j->rcs[i] = replay_run(j->rt, &j->sc[i], &j->res[i], &j->progress, &j->errs[i]);
		if (j->rcs[i] < 0) { /* the report needs every run: none more is begun */
			pthread_mutex_lock(&j->mu);
			j->next = j->n;
			pthread_mutex_unlock(&j->mu);
		}
	}
}

/* The threads that n scenarios run on: one per core, at most one per scenario. */
static size_t replay_workers(size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t max = cores > 1 ? (size_t)cores : 1;
	return n < max ? n : max;
}

/* Runs every scenario, on `workers` threads counting this one. */
static void replay_run_all(struct replay_jobs *j, size_t workers)
{
	pthread_t *th = workers > 1 ? calloc(workers - 1, sizeof *th) : NULL;
	size_t started = 0;
	pthread_mutex_init(&j->mu, NULL);
	for (size_t i = 0; th && i + 1 < workers; i++, started++)
		if (pthread_create(&th[i], NULL, replay_worker, j) != 0)
			break; /* fewer threads still finish the work */
	replay_worker(j);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&j->mu);
}

int cmd_replay(int argc, char **argv)
{
	enum { JSON = CLI_LONG, CSV, BY, DB, TOP, FROM, TO };
	static const struct option longopts[] = {
		{ "scenario", required_argument, 0, 's' }, { "json", no_argument, 0, JSON },
		{ "csv", no_argument, 0, CSV }, { "by", required_argument, 0, BY },
		{ "db", required_argument, 0, DB }, { "top", required_argument, 0, TOP },
		{ "from", required_argument, 0, FROM }, { "to", required_argument, 0, TO }, { 0, 0, 0, 0 },
	};
	/* --from/--to: the arrivals [from_us, to_us) replayed; TRACE_SUMMARY_OPEN for a bound not given */
	int64_t from_us = TRACE_SUMMARY_OPEN, to_us = TRACE_SUMMARY_OPEN;
	size_t top = REPORT_TOP;
	int top_given = 0;
	const char *db = NULL, **scen_args = calloc((size_t)argc + 1, sizeof *scen_args);
	size_t n_scen = 0;
	int json = 0, csv = 0, c, rc = EXIT_FAIL;
	enum report_by by = REPORT_BY_NONE;

	if (!scen_args) {
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	optind = 1;
	opterr = 0;
	while ((c = cli_getopt("replay", argc, argv, ":s:", longopts, 's')) != -1) {
		switch (c) {
		case 's':
			if (!*optarg) {
				free(scen_args);
				return cli_usage_error("replay", "-s needs a scenario: a file or a bundled name");
			}
			scen_args[n_scen++] = optarg;
			break;
		case JSON: json = 1; break;
		case CSV: csv = 1; break;
		case FROM:
		case TO:
			if (replay_time_arg(c == FROM ? "--from" : "--to", optarg, c == FROM ? &from_us : &to_us) < 0) {
				free(scen_args);
				return EXIT_USAGE;
			}
			break;
		case DB:
			if (cli_db_arg("replay", optarg, &db) < 0) {
				free(scen_args);
				return EXIT_USAGE;
			}
			break;
		case TOP: {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (!isdigit((unsigned char)*optarg) || *end || errno || v > SIZE_MAX) {
				free(scen_args);
				return cli_usage_error("replay", "--top takes a number of groups (0: all), not \"%s\"",
				                       optarg);
			}
			top = (size_t)v;
			top_given = 1;
			break;
		}
		case BY:
			for (by = REPORT_BY_TENANT; by < N_REPORT_BY; by++)
				if (strcmp(optarg, report_by_names[by]) == 0)
					break;
			if (by == N_REPORT_BY) {
				free(scen_args);
				return cli_usage_error("replay", "--by takes tenant, task, model or time, not \"%s\"",
				                       optarg);
			}
			break;
		default:
			free(scen_args);
			return cli_option_error("replay", c, argv, longopts);
		}
	}
	if (json && csv) {
		free(scen_args);
		return cli_usage_error("replay", "choose one of --json and --csv");
	}
	if (json && by != REPORT_BY_NONE) {
		free(scen_args);
		return cli_usage_error("replay", "--by is for the table and --csv; --json holds every grouping");
	}
	if (top_given && (json || csv)) {
		free(scen_args);
		return cli_usage_error("replay", "--top is for the table: --csv and --json list every group");
	}
	if (top_given && (by == REPORT_BY_NONE || by == REPORT_BY_TIME)) {
		free(scen_args);
		return cli_usage_error("replay", "--top is for --by tenant, task or model (the groups it "
		                       "shows, by USD)");
	}
	if (from_us != TRACE_SUMMARY_OPEN && to_us != TRACE_SUMMARY_OPEN && from_us >= to_us) {
		char a[CLOCK_TEXT_MAX], b[CLOCK_TEXT_MAX];
		free(scen_args);
		return cli_usage_error("replay", "--from %s is not before --to %s: the range [from, to) holds no "
		                       "time", clock_format(from_us, a), clock_format(to_us, b));
	}
	int ranged = from_us != TRACE_SUMMARY_OPEN || to_us != TRACE_SUMMARY_OPEN;
	if (optind >= argc) {
		free(scen_args);
		return cli_usage_error("replay", "name a trace: a stored trace or a trace file");
	}
	if (optind + 1 < argc) {
		free(scen_args);
		return cli_usage_error("replay", "one trace at a time (unexpected \"%s\")", argv[optind + 1]);
	}
	const char *trace_arg = argv[optind];
	if (cli_operand_arg("replay", trace_arg, "TRACE", "name a stored trace or a trace file") < 0) {
		free(scen_args);
		return EXIT_USAGE;
	}
	int builtin = n_scen == 0; /* no -s: the built-in recorded scenario, whatever files exist */
	if (builtin)
		scen_args[n_scen++] = "recorded";

	struct scenario *sc = calloc(n_scen, sizeof *sc);
	struct result_scenario *res = calloc(n_scen, sizeof *res);
	struct err *errs = calloc(n_scen, sizeof *errs);
	int *rcs = calloc(n_scen, sizeof *rcs);
	struct store s = { 0 };
	struct trace t;
	struct replay_trace *rt = NULL;
	struct err e = { "" };
	struct replay_jobs jobs = { .sc = sc, .res = res, .errs = errs, .rcs = rcs, .n = n_scen };
	struct trace_summary ts;
	struct ticker ticker;
	char name[256];
	int wr;

	memset(&t, 0, sizeof t);
	if (!sc || !res || !errs || !rcs) {
		cli_error("out of memory");
		goto out;
	}
	/* scenarios first: a typo there should not cost an import */
	if (builtin && scenario_builtin("recorded", &sc[0], &e) < 0) {
		cli_error("%s", e.msg);
		rc = EXIT_INPUT;
		goto out;
	}
	for (size_t i = 0; !builtin && i < n_scen; i++)
		if ((rc = replay_load_scenario(scen_args[i], &sc[i])) != EXIT_OK)
			goto out;
	if (!builtin && (rc = replay_tell_apart(sc, scen_args, n_scen)) != EXIT_OK)
		goto out;
	/* a trace file is imported, into a store made if need be; a stored name needs a store */
	if ((rc = replay_open_store(&s, db, trace_arg)) != EXIT_OK)
		goto out;
	if ((rc = replay_find_trace(&s, trace_arg, NULL, name, sizeof name)) != EXIT_OK)
		goto out;
	rc = EXIT_FAIL;
	ticker_start(&ticker, name, &jobs.progress);
	if (store_load(&s, name, &t, &e) < 0) {
		ticker_stop(&ticker);
		cli_error("%s", e.msg);
		goto out;
	}
	if (ranged && (rc = replay_select(&t, from_us, to_us, name)) != EXIT_OK) {
		ticker_stop(&ticker);
		goto out;
	}
	rc = EXIT_FAIL;
	ticker_phase(&ticker, TICKER_PREPARING, t.n_req, 0, 0);
	/* the caches' normalized inputs too, so that the replay's share moves from the start */
	int prepared = replay_prepare(&t, &rt, &e) == 0;
	/* the store keeps normalized inputs by the whole trace's input ids, which a range's differ
	 * from: a range makes its own and keeps none */
	unsigned norms = ranged ? 0 : replay_norms_wanted(sc, n_scen), given = 0;
	if (prepared)
		given = replay_norms_restore(&s, name, &t, rt, norms);
	for (size_t i = 0; prepared && i < n_scen; i++)
		prepared = replay_prepare_scenario(rt, &sc[i], &e) == 0;
	if (!prepared) {
		ticker_stop(&ticker);
		cli_error("%s: %s", name, e.msg);
		goto out;
	}
	replay_norms_keep(&s, name, &t, rt, norms, given);
	store_close(&s);

	jobs.rt = rt;
	size_t workers = replay_workers(n_scen);
	ticker_phase(&ticker, TICKER_REPLAYING, t.n_req, n_scen, workers);
	replay_run_all(&jobs, workers);
	ticker_stop(&ticker);
	rc = EXIT_OK;
	for (size_t i = 0; i < n_scen; i++)
		if (rcs[i] < 0) { /* a run fails on its input (a model the prices lack), or for memory */
			cli_error("scenario \"%s\": %s", sc[i].name ? sc[i].name : scen_args[i], errs[i].msg);
			if (rc != EXIT_FAIL)
				rc = strstr(errs[i].msg, "out of memory") ? EXIT_FAIL : EXIT_INPUT;
		}
	if (rc != EXIT_OK)
		goto out;
	for (size_t i = 0; i < n_scen; i++)
		replay_check_result(&res[i], &sc[i], i, &replay_note_stderr);

	replay_trace_summary(rt, &ts);
	ts.range = ranged;
	ts.from_us = from_us;
	ts.to_us = to_us;
	const struct scenario **each = malloc(n_scen * sizeof *each);
	for (size_t i = 0; each && i < n_scen; i++)
		each[i] = &sc[i];
	if (each) /* else out of memory: no notes, the report all the same */
		replay_notes(&t, &ts, each, n_scen, &replay_note_stderr);
	free(each);
	wr = json ? report_json(stdout, &ts, res, n_scen, &e)
	       : csv ? report_csv(stdout, &ts, res, n_scen, by, &e)
	       : report_table(stdout, &ts, res, n_scen, by, top, &e);
	if (wr < 0) {
		cli_error("%s", e.msg);
		rc = EXIT_FAIL;
	}
out:
	for (size_t i = 0; res && i < n_scen; i++)
		result_scenario_fini(&res[i]);
	for (size_t i = 0; sc && i < n_scen; i++)
		scenario_fini(&sc[i]);
	replay_trace_free(rt);
	trace_free(&t);
	store_close(&s);
	free(rcs);
	free(errs);
	free(res);
	free(sc);
	free(scen_args);
	return rc;
}
