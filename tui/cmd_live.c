/*
 * `llmcost live TRACE -s SCENARIO --max-usd X [--sample N] [--concurrency C]
 * [--record FILE] [--dry-run] [--db PATH]`: sends a trace's requests to the
 * OpenAI Responses API under one scenario's policies (sim/live.c over
 * traces/openai.c), never past the spend cap, records every call as a trace
 * v1 file, and prints what was sent, answered and spent.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "sim/live.h"
#include "sim/money.h"
#include "traces/live_record.h"
#include "traces/openai.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/ticker.h"

#define EXIT_CAP 4 /* SPEC §6: the live spend cap stopped the run */
#define MAX_CONCURRENCY 64

/* "$0.001234": an amount spent or at worst, beside the run's cap lv: rounded up to the
 * micro-dollar, or to the cap's last decimal when it has more (live_usd_text), so that an amount
 * within the cap never reads above it.  buf holds LIVE_USD_TEXT bytes. */
static const char *usd(char *buf, const struct live *lv, int64_t pusd)
{
	return live_usd_text(buf, pusd, lv->cap_pusd);
}

/* The cap as given: "$" and its exact amount, without trailing zeros ("$0.0001771", "$1"), not
 * rounded to micro-dollars as spend is (which would show it above itself). */
static void cap_text(char buf[MONEY_FMT_SIZE + 1], int64_t pusd)
{
	buf[0] = '$';
	decimal_text(pusd, 12, buf + 1, MONEY_FMT_SIZE);
}

/* --max-usd: a decimal number of dollars above 0, to the pico-dollar, at most what an int64
 * of pico-dollars holds; ".5" is 0.5. */
static int parse_usd(const char *s, int64_t *pusd)
{
	char buf[64];
	int exact;
	if (*s == '.' && snprintf(buf, sizeof buf, "0%s", s) < (int)sizeof buf)
		s = buf;
	return decimal_scaled(s, strlen(s), 12, pusd, &exact) == 0 && exact && *pusd > 0 ? 0 : -1;
}

/* "1 call", "2 calls" */
static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int parse_count(const char *s, long min, long max, long *v)
{
	char *end;
	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno && *v >= min && *v <= max ? 0 : -1;
}

/* The requests to send: those with input text, in arrival order, sampled evenly to `sample`. */
static size_t pick(const struct trace *t, long sample, struct live_record **out)
{
	uint32_t *order = trace_arrival_order(t);
	size_t n = 0;
	*out = NULL;
	if (!order)
		return 0;
	for (uint32_t r = 0; r < t->n_req; r++) /* those with text, in that order */
		if (t->input[order[r]] != TRACE_NONE)
			order[n++] = order[r];
	size_t k = sample > 0 && (size_t)sample < n ? (size_t)sample : n;
	struct live_record *rec = calloc(k ? k : 1, sizeof *rec);
	if (rec)
		for (size_t j = 0; j < k; j++)
			rec[j].req = order[(size_t)((uint64_t)j * n / k)];
	free(order);
	*out = rec;
	return rec ? k : 0;
}

/* Ctrl-C or SIGTERM: no call starts after it, the calls in flight are waited for (said at once,
 * as that may take up to their timeout), the record is written; a second one kills, saying that
 * the requests in flight are left out, and removing the record first when no line is in it yet
 * (empty_record: its path until the first line). */
static struct live *interrupt_of;
static const char *volatile empty_record;

static void on_signal(int sig)
{
	/* either signal, again, quits at once: the note names the one received */
	static const char note_int[] = "\nllmcost: live: stopping: no call starts now; waiting for the calls "
	                               "in flight to end (Ctrl-C again to quit at once)\n";
	static const char note_term[] = "\nllmcost: live: stopping: no call starts now; waiting for the calls "
	                                "in flight to end (SIGTERM again, or Ctrl-C, to quit at once)\n";
	if (!interrupt_of)
		return;
	if (!interrupt_of->interrupted) {
		interrupt_of->interrupted = sig;
		const char *note = sig == SIGTERM ? note_term : note_int;
		size_t len = sig == SIGTERM ? sizeof note_term - 1 : sizeof note_int - 1;
		ssize_t w = write(STDERR_FILENO, note, len); /* async-signal-safe */
		(void)w;
		return;
	}
	/* said, as the run's own last words are not: what quitting leaves out */
	static const char quit[] = "\nllmcost: live: quitting at once: the requests in flight are in no record, "
	                           "and their calls' spend in no figure\n";
	ssize_t w = write(STDERR_FILENO, quit, sizeof quit - 1);
	(void)w;
	if (empty_record)
		unlink(empty_record);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The record as the run writes it (lv->on_ended_ctx). */
struct recording {
	int record;            /* the record's descriptor, written as requests end (-1 for a dry run) */
	const char *path;
	size_t written;        /* its lines */
	int failed;            /* a line could not be written: none is after it */
};

/* After each request: its record line written (a failure stops the run: calls that could
 * not be recorded are not made; the requests in flight then end unrecorded). */
static int record_ended(void *ctx, struct live *lv, size_t r)
{
	struct recording *p = ctx;
	struct err e;
	if (p->record >= 0 && !p->failed && lv->rec[r].n_att) {
		if (live_record_write(p->record, p->path, lv, r, &e) < 0) {
			p->failed = 1;
			snprintf(lv->why, sizeof lv->why, "the record: %.900s", e.msg);
			return -1;
		}
		p->written++;
		empty_record = NULL; /* a line is in: a second Ctrl-C keeps the record */
	}
	return 0;
}

/* The progress line on a terminal (tui/ticker.h): a thread of its own prints it when one is due,
 * so that it shows while calls hang or a Retry-After is waited for, not only when a request
 * ends; never wider than the terminal (ticker_line).  ctx is the run. */
static void print_progress(void *ctx)
{
	struct live *lv = ctx;
	size_t ended = 0;
	pthread_mutex_lock(&lv->mu);
	for (int o = 0; o < N_LIVE_OUTCOME; o++)
		ended += lv->counts.outcome[o];
	size_t done = lv->counts.sent, flight = lv->next - ended;
	int64_t spent = lv->spent_pusd;
	pthread_mutex_unlock(&lv->mu);
	char s[LIVE_USD_TEXT], head[96], fl[48], sp[48];
	snprintf(head, sizeof head, "live: %zu of %zu requests done", done, lv->n);
	snprintf(fl, sizeof fl, ", %zu in flight", flight);
	snprintf(sp, sizeof sp, ", %s spent", usd(s, lv, spent));
	/* on a narrow terminal the spend is kept before the requests in flight */
	struct progress_part parts[] = { { head, 0 }, { fl, 2 }, { sp, 1 } };
	ticker_line(parts, 3);
}

/* The record made by this run, and no line written in it (no request made a call): removed, so
 * that what is left is a record (README: every request that made a call is a line) and the same
 * --record works again.  Only the file this run made is removed: `made` is the one it created. */
static void drop_empty_record(const char *path, const struct stat *made)
{
	struct stat st;
	if (stat(path, &st) == 0 && st.st_dev == made->st_dev && st.st_ino == made->st_ino && st.st_size == 0)
		unlink(path);
}

/* "output" or "error" when path is the file standard output or error is (a file they are
 * redirected to, by any name), else NULL. */
static const char *std_stream_of(const char *path)
{
	struct stat st, sf;
	if (stat(path, &st) != 0)
		return NULL;
	for (int fd = 1; fd <= 2; fd++)
		if (fstat(fd, &sf) == 0 && sf.st_dev == st.st_dev && sf.st_ino == st.st_ino)
			return fd == 1 ? "output" : "error";
	return NULL;
}

/* Lines the record holds: the requests that made a call. */
static size_t recorded_lines(const struct live *lv)
{
	size_t k = 0;
	for (size_t r = 0; r < lv->n; r++)
		k += lv->rec[r].n_att > 0;
	return k;
}

/* The record's default name: live-TRACE-YYYYMMDDTHHMMSSZ.jsonl, or with -2, -3, … before
 * .jsonl for the k-th run in one second (k ≥ 2). */
static void default_record(char *buf, size_t n, const char *trace, int k)
{
	time_t now = time(NULL);
	struct tm tm;
	char stamp[32];
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	char nth[16] = "";
	if (k > 1)
		snprintf(nth, sizeof nth, "-%d", k);
	snprintf(buf, n, "live-%s-%s%s.jsonl", trace, stamp, nth);
	for (char *c = buf; *c; c++)
		if (*c == '/')
			*c = '_';
}

/* The summary on stdout; record is NULL when no line is in it (no record is left); `missing`
 * requests that made a call are not in it, its writing having failed. */
static void report(const struct live *lv, const char *cap, int dry, const char *record, size_t missing,
                   const char *scen)
{
	const struct live_counts *c = &lv->counts;
	char s[LIVE_USD_TEXT];
	if (dry) {
		printf("live: dry run: %zu %s would send %zu %s; worst case %s of the %s cap\n", c->sent,
		       plural(c->sent, "request", "requests"), c->calls, plural(c->calls, "call", "calls"),
		       usd(s, lv, lv->spent_pusd), cap);
		return;
	}
	/* requests the cap or a signal cut short are said apart from those whose calls failed */
	char cut[96] = "";
	if (c->outcome[LIVE_CAPPED] || c->outcome[LIVE_INTERRUPTED])
		snprintf(cut, sizeof cut, " (%zu cut short by the cap, %zu by the stop)", c->outcome[LIVE_CAPPED],
		         c->outcome[LIVE_INTERRUPTED]);
	size_t failed = c->outcome[LIVE_FAILED] + c->outcome[LIVE_CAPPED] + c->outcome[LIVE_INTERRUPTED];
	printf("live: %zu %s: %zu answered (%zu from the cache), %zu degraded, %zu failed%s, %zu rejected; "
	       "%zu %s (%zu %s, %zu %s)\n", c->sent, plural(c->sent, "request", "requests"),
	       c->outcome[LIVE_ANSWERED] + c->outcome[LIVE_CACHE_HIT], c->outcome[LIVE_CACHE_HIT],
	       c->outcome[LIVE_DEGRADED], failed, cut, c->outcome[LIVE_REJECTED], c->calls,
	       plural(c->calls, "call", "calls"), c->retries, plural(c->retries, "retry", "retries"),
	       c->fallbacks, plural(c->fallbacks, "fallback", "fallbacks"));
	for (int k = 0; k < N_STATUS; k++) /* why calls failed: the first reason of each class */
		if (lv->failed[k])
			printf("live: %zu %s %s, the first: %s\n", lv->failed[k], plural(lv->failed[k], "call", "calls"),
			       status_names[k], lv->failed_why[k][0] ? lv->failed_why[k] : "(no reason given)");
	printf("live: spent %s of the %s cap\n", usd(s, lv, lv->spent_pusd), cap);
	if (!record && missing) {
		printf("live: nothing recorded: the record could not be written, so no record file is left; "
		       "%zu %s that made a call %s in no record\n", missing, plural(missing, "request", "requests"),
		       plural(missing, "is", "are"));
		return;
	}
	if (!record) {
		puts("live: nothing recorded: no request made a call, so no record file is left");
		return;
	}
	if (missing) { /* not a record of the run: no replay of it to compare */
		size_t held = recorded_lines(lv);
		printf("live: the record %s is incomplete: it holds %zu of the %zu requests that made a call "
		       "(%zu finished %s not in it), each line whole\n", record, held - missing, held, missing,
		       plural(missing, "request is", "requests are"));
		return;
	}
	char *rec_word = text_shell_word(record), *scen_word = text_shell_word(scen);
	printf("live: recorded in %s; compare it with its estimate: llmcost replay %s -s recorded -s %s%s\n",
	       record, rec_word ? rec_word : record, scen_word ? scen_word : scen, cli_db_words());
	free(rec_word);
	free(scen_word);
}

int cmd_live(int argc, char **argv)
{
	enum { MAX_USD = CLI_LONG, SAMPLE, CONCURRENCY, RECORD, DRY_RUN, DB };
	static const struct option longopts[] = {
		{ "scenario", required_argument, 0, 's' }, { "max-usd", required_argument, 0, MAX_USD },
		{ "sample", required_argument, 0, SAMPLE }, { "concurrency", required_argument, 0, CONCURRENCY },
		{ "record", required_argument, 0, RECORD }, { "dry-run", no_argument, 0, DRY_RUN },
		{ "db", required_argument, 0, DB }, { 0, 0, 0, 0 },
	};
	const char *db = NULL, *scen = NULL, *record = NULL;
	long sample = 0, concurrency = 4;
	int dry = 0, c;
	int64_t cap_pusd = 0;

	optind = 1;
	opterr = 0;
	while ((c = cli_getopt("live", argc, argv, ":s:", longopts, 0)) != -1) {
		switch (c) {
		case 's':
			if (cli_one_scenario("live", optarg, &scen) < 0)
				return EXIT_USAGE;
			break;
		case MAX_USD:
			if (parse_usd(optarg, &cap_pusd) < 0)
				return cli_usage_error("live", "--max-usd takes an amount of dollars above 0 and up "
				                       "to 9223372, to 12 decimals at most (0.50), not \"%s\"", optarg);
			break;
		case SAMPLE:
			if (parse_count(optarg, 1, 1L << 31, &sample) < 0)
				return cli_usage_error("live", "--sample takes a number of requests, 1 to %ld, "
				                       "not \"%s\"", 1L << 31, optarg);
			break;
		case CONCURRENCY:
			if (parse_count(optarg, 1, MAX_CONCURRENCY, &concurrency) < 0)
				return cli_usage_error("live", "--concurrency takes 1 to %d, not \"%s\"",
				                       MAX_CONCURRENCY, optarg);
			break;
		case RECORD:
			if (!*optarg)
				return cli_usage_error("live", "--record needs a file name");
			if (!strcmp(optarg, "-")) /* a file named "-" would be read as stdin by replay */
				return cli_usage_error("live", "--record names the record file to make; \"-\" is "
				                       "not one (the record is never written to standard output)");
			record = optarg;
			break;
		case DRY_RUN: dry = 1; break;
		case DB:
			if (cli_db_arg("live", optarg, &db) < 0)
				return EXIT_USAGE;
			break;
		default:
			return cli_option_error("live", c, argv, longopts);
		}
	}
	if (optind >= argc)
		return cli_usage_error("live", "name a trace: a stored trace or a trace file");
	if (optind + 1 < argc)
		return cli_usage_error("live", "one trace at a time (unexpected \"%s\")", argv[optind + 1]);
	if (cli_operand_arg("live", argv[optind], "TRACE", "name a stored trace or a trace file") < 0)
		return EXIT_USAGE;
	if (!scen)
		return cli_usage_error("live", "name the scenario whose policies the calls follow (-s)");
	if (!cap_pusd)
		return cli_usage_error("live", "set the spend cap with --max-usd (dollars)");
	const char *key = getenv("OPENAI_API_KEY");
	char why[512];
	if (!dry && (!key || !*key)) {
		cli_error("live: set OPENAI_API_KEY in the environment (it is read from there only, "
		          "never from the command line), or try --dry-run");
		return EXIT_FAIL;
	}
	if (!dry && openai_key_problem(key, why, sizeof why)) { /* said without the key */
		cli_error("live: %s; set it to the key alone", why);
		return EXIT_FAIL;
	}
	/* set but empty is refused, not the default: blanking it to leave a fake must not send to
	 * the real API, and spend */
	const char *base = getenv("OPENAI_BASE_URL");
	if (!dry && base && !*base) {
		cli_error("live: OPENAI_BASE_URL is set but empty; unset it for the default, %s",
		          OPENAI_DEFAULT_BASE_URL);
		return EXIT_FAIL;
	}
	if (!base || !*base)
		base = OPENAI_DEFAULT_BASE_URL;
	const char *url_why = dry ? NULL : openai_url_problem(base, why, sizeof why);
	if (url_why) {
		char shown[1024];
		openai_url_shown(base, shown, sizeof shown);
		cli_error("live: OPENAI_BASE_URL is %s: %s", shown, url_why);
		return EXIT_FAIL;
	}
	if (dry && record) /* a dry run makes no record: said, not silently dropped */
		fprintf(stderr, "llmcost: live: --record is not used by a dry run: nothing is sent, so nothing "
		        "is recorded\n");

	struct scenario sc = { 0 };
	struct store s = { 0 };
	struct trace t;
	struct err e = { "" };
	struct live lv;
	struct openai o = { 0 };
	struct live_record *rec = NULL;
	struct recording recording = { .record = -1 };
	struct ticker ticker;
	struct live_transport tr = { &o, dry ? live_dry_call : openai_call, openai_now_us, openai_sleep_us };
	char name[256], rpath[4096];
	int rf = -1;             /* the record */
	struct stat made;        /* the record this run created, when made_ok */
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	int rc, inited = 0, made_ok = 0, handlers = 0;
	size_t n = 0;

	memset(&t, 0, sizeof t);
	if ((rc = replay_load_scenario(scen, &sc)) != EXIT_OK)
		goto out;
	rc = EXIT_INPUT;
	if (sc.mode == SCENARIO_MODE_RECORDED) {
		cli_error("live: scenario \"%s\" prices the trace as recorded; live needs one that decides "
		          "calls (v3, baseline, a file of yours)", scen);
		goto out;
	}
	if ((rc = replay_open_store(&s, db, argv[optind])) != EXIT_OK)
		goto out;
	if ((rc = replay_find_trace(&s, argv[optind], NULL, name, sizeof name)) != EXIT_OK)
		goto out;
	rc = EXIT_FAIL;
	if (store_load(&s, name, &t, &e) < 0) {
		cli_error("%s", e.msg);
		goto out;
	}
	store_close(&s);
	size_t with_text = 0;
	for (uint32_t i = 0; i < t.n_req; i++)
		with_text += t.input[i] != TRACE_NONE;
	if (!t.n_req) {
		char *word = text_shell_word(name);
		cli_error("live: trace \"%s\" holds no request: its file had no line, or every line was "
		          "rejected (see: llmcost rejects %s%s)", name, word ? word : name, cli_db_words());
		free(word);
		rc = EXIT_INPUT;
		goto out;
	}
	if (!with_text) {
		cli_error("live: trace \"%s\" holds no request with `input` text, and live sends the text", name);
		rc = EXIT_INPUT;
		goto out;
	}
	if (!(n = pick(&t, sample, &rec))) {
		cli_error("out of memory");
		goto out;
	}
	inited = 1;
	if (live_init(&lv, &t, &sc, &tr, cap_pusd, rec, n, &e) < 0) {
		cli_error("live: %s: %s", name, e.msg);
		rc = EXIT_INPUT;
		goto out;
	}
	/* Ctrl-C and SIGTERM are caught from before the record is made: a stop at any point from
	 * there starts no call and leaves no empty record */
	interrupt_of = &lv;
	cli_catch_signal(SIGINT, &sa, &old_int); /* unless ignored (a background job) */
	cli_catch_signal(SIGTERM, &sa, &old_term);
	handlers = 1;
	if (!dry) {
		int fd = -1;
		if (record) {
			snprintf(rpath, sizeof rpath, "%s", record);
			fd = open(rpath, O_WRONLY | O_CREAT | O_EXCL, 0644);
		} else { /* a name of its own: another run in the same second takes the next */
			for (int k = 1; fd < 0 && k <= 100; k++) {
				default_record(rpath, sizeof rpath, name, k);
				if ((fd = open(rpath, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0 && errno != EEXIST)
					break;
			}
		}
		struct stat st;
		int open_errno = errno;
		if (fd < 0 && open_errno == EEXIST && stat(rpath, &st) == 0 && !S_ISREG(st.st_mode)) {
			cli_error("live: %s: is %s; --record names the record file to make", rpath,
			          S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
			goto out;
		}
		/* standard output or error redirected to a file (/dev/stdout, or the file itself, as in
		 * --record r.jsonl >r.jsonl): said so, not "File exists" */
		const char *std = fd < 0 && open_errno == EEXIST ? std_stream_of(rpath) : NULL;
		if (std) {
			cli_error("live: %s: is standard %s; --record names the record file to make (the record is "
			          "never written to standard output or error)", rpath, std);
			goto out;
		}
		errno = open_errno;
		if (fd < 0) {
			cli_error("live: %s: %s%s", rpath, strerror(errno),
			          errno == EEXIST ? " (the record is never overwritten: choose another --record)" : "");
			goto out;
		}
		rf = fd;
		made_ok = fstat(fd, &made) == 0;
		empty_record = rpath;
		if (openai_init(&o, base, key, &e) < 0) {
			cli_error("live: %s", e.msg);
			goto out;
		}
	}
	if (t.n_req > with_text)
		fprintf(stderr, "llmcost: live: %zu %s without input text skipped\n", (size_t)t.n_req - with_text,
		        plural(t.n_req - with_text, "request", "requests"));
	if ((size_t)sample > with_text)
		fprintf(stderr, "llmcost: live: --sample %ld is more than the %zu %s with input text: %s\n",
		        sample, with_text, plural(with_text, "request", "requests"),
		        with_text == 1 ? "it is taken" : "all are taken");
	recording.record = rf;
	recording.path = rpath;
	lv.on_ended = record_ended;
	lv.on_ended_ctx = &recording;
	ticker_start_print(&ticker, print_progress, &lv);
	live_run(&lv, dry ? 1 : (unsigned)concurrency); /* a dry run's cache hits do not race */
	ticker_stop(&ticker);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	interrupt_of = NULL;
	empty_record = NULL;
	handlers = 0;

	rc = EXIT_OK;
	/* the record stays in the order its requests ended: never rewritten, so that a follower
	 * (llmcost watch FILE) reads each line once */
	size_t lines = recording.written, missing = rf >= 0 ? recorded_lines(&lv) - lines : 0;
	if (rf >= 0 && close(rf) != 0) {
		cli_error("live: %s: %s", rpath, strerror(errno));
		rc = EXIT_FAIL;
	}
	rf = -1;
	if (!lines && made_ok)
		drop_empty_record(rpath, &made);
	made_ok = 0;
	char capt[MONEY_FMT_SIZE + 1], w[LIVE_USD_TEXT], sp[LIVE_USD_TEXT], fl[LIVE_USD_TEXT];
	cap_text(capt, cap_pusd);
	report(&lv, capt, dry, lines ? rpath : NULL, missing, scen);
	if (lv.n_over) { /* the cap held on the worst cases; a usage past them broke it */
		uint32_t i = rec[lv.over_at].req;
		char at[CLOCK_TEXT_MAX];
		cli_error("live: warning: %zu %s cost more than %s worst case, so the cap could not hold: the "
		          "API reported more tokens than the call allowed; the first, at the request of %s "
		          "(tenant %s, task %s), cost %s for a worst case of %s", lv.n_over,
		          plural(lv.n_over, "answer", "answers"), plural(lv.n_over, "its", "their"),
		          clock_format(trace_ts_us(&t, i), at), intern_str(&t.names, trace_tenant(&t, i), NULL),
		          intern_str(&t.names, trace_task(&t, i), NULL), usd(w, &lv, lv.over_pusd),
		          usd(sp, &lv, lv.over_worst_pusd));
	}
	switch (lv.stop) {
	case LIVE_STOP_CAP: {
		uint32_t i = rec[lv.refused_at].req;
		char at[CLOCK_TEXT_MAX];
		cli_error("live: the spend cap %s at the request of %s (tenant %s, task %s): a call whose "
		          "worst case is %s would take the %s past %s (%s %s and %s in flight then); requests not "
		          "sent: %zu of %zu",
		          dry ? "would stop the run" : "stopped the run", clock_format(trace_ts_us(&t, i), at),
		          intern_str(&t.names, trace_tenant(&t, i), NULL), intern_str(&t.names, trace_task(&t, i), NULL),
		          usd(w, &lv, lv.refused_pusd), dry ? "worst case" : "spend", capt,
		          usd(sp, &lv, lv.refused_spent_pusd), dry ? "counted" : "spent",
		          usd(fl, &lv, lv.refused_reserved_pusd), n - lv.counts.sent, n);
		rc = EXIT_CAP;
		break;
	}
	case LIVE_STOP_INTERRUPTED:
		cli_error("live: %s; no call was started after it, %s; requests not sent: %zu of %zu",
		          lv.interrupted == SIGTERM ? "terminated" : "interrupted",
		          lines || dry ? "and the record holds every call made" : "and none was made before it (no record)",
		          n - lv.counts.sent, n);
		rc = 128 + lv.interrupted;
		break;
	case LIVE_STOP_FATAL:
	case LIVE_STOP_ERROR:
		cli_error("live: the run stopped: %s; requests not sent: %zu of %zu", lv.why, n - lv.counts.sent, n);
		rc = EXIT_FAIL;
		break;
	default:
		break;
	}
out:
	if (rf >= 0)
		close(rf);
	if (made_ok) /* stopped before the run: nothing was written in it */
		drop_empty_record(rpath, &made);
	if (handlers) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		interrupt_of = NULL;
		empty_record = NULL;
	}
	if (inited)
		live_fini(&lv);
	live_records_free(rec, n);
	free(rec);
	openai_fini(&o);
	trace_free(&t);
	store_close(&s);
	scenario_fini(&sc);
	return rc;
}
