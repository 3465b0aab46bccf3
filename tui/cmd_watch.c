/*
 * `llmcost watch FILE|TRACE [-s SCENARIO] [--speed N] [--db PATH]` (SPEC §9):
 * follows a JSON Lines file as it grows, or plays a stored trace N× faster
 * than real time, and keeps a scenario's replay of what has arrived so far:
 * its alerts, a banner while a fallback flood is under way, and each
 * tenant's last 5 minutes and hour (sim/watch.c) beside its cache hit rate
 * and spend in that replay.  In a terminal a screen,
 * otherwise a line per alert as it starts and ends, then the alerts table.
 */
#include <curses.h>
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "sim/replay.h"
#include "sim/watch.h"
#include "sim/window.h"
#include "traces/follow.h"
#include "traces/format.h"
#include "traces/json_scan.h"
#include "traces/jsonl.h"
#include "traces/reader.h"
#include "traces/report.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/console.h"

#define TICK_MS 250                 /* how often the source is read and the screen drawn */
#define SPEED_MAX 1e9                /* --speed's most, and +'s */
#define LIVE_LAG_US (INT64_C(3600) * 1000000) /* a followed file this close to the clock is live */

#define REJECTS_KEPT 20             /* a screen's rejects named once it closes, as import names the first 20 */

static volatile sig_atomic_t watch_stop;

static void on_stop(int sig)
{
	watch_stop = sig;
}

/* A clock in µs: CLOCK_REALTIME to compare with the lines' times, CLOCK_MONOTONIC to time
 * the playback and the replays, which a change of the system's clock must not move. */
static int64_t clock_us(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --speed: a decimal number as --max-usd's amounts are read (a JSON number, so 60, 0.5 and 1e9, and
 * ".5" is 0.5; never the hex, "inf" or leading blanks that strtod alone takes), above 0 and at
 * most SPEED_MAX: every such number, however small (1e-320, which strtod reads with ERANGE, and
 * 1e-400, which it rounds to 0, play at the least speed a double holds: still, to the eye). */
static int parse_speed(const char *s, double *v)
{
	char buf[64], *end;
	int64_t whole;
	if (*s == '.' && snprintf(buf, sizeof buf, "0%s", s) < (int)sizeof buf)
		s = buf;
	/* the grammar: decimal_scaled refuses what is not a JSON number, and a value past an int64,
	 * far past SPEED_MAX */
	if (decimal_scaled(s, strlen(s), 0, &whole, NULL) < 0)
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end)
		return -1;
	if (errno == ERANGE && *s != '-' && *v < 1) /* a positive number below a double's normal range */
		*v = *v > 0 ? *v : DBL_TRUE_MIN;
	else if (errno)
		return -1;
	return *v > 0 && *v <= SPEED_MAX ? 0 : -1;
}

/* A playback's speed as the header shows it: plain digits from 1 up (1000000000, never 1e+09),
 * "%g" below (0.5). */
static const char *speed_text(double v, char *buf, size_t n)
{
	if (v >= 1)
		return decimal_shortest(v, 1, buf, n);
	snprintf(buf, n, "%g", v);
	return buf;
}

/* ---- the sources: a followed file, or a stored trace played back ---- */

struct watch {
	const char *name;           /* the file or trace, as named */
	const struct scenario *sc;
	const char *sc_arg;         /* the scenario as named (-s), for messages */
	struct trace w;             /* what has arrived so far: a stored trace in arrival order's
	                             * first requests (w_view: watch_prefix, its columns full's), else
	                             * a copy of the lines */
	int w_view;
	int64_t last_ts;            /* the latest arrival so far */
	uint32_t unpriced[4];       /* models of recorded calls the scenario's table lacks (ids in w's names), */
	unsigned n_unpriced;        /* the first few of them, and how many */
	int say_unpriced;           /* each said on standard output as it comes (line mode) */
	uint64_t ahead;             /* lines dated ahead of the clock when read (a followed file), */
	int64_t ahead_latest;       /* the latest of them, */
	int said_ahead;             /* said once on standard output (line mode) */
	int64_t read_wall;          /* the clock at the latest read (a followed file) */
	/* a followed file */
	int is_file;
	struct follow fol;
	struct jsonl_parser jp;
	struct trace_call *calls;
	size_t cap_calls;
	uint64_t rejects;
	uint64_t reject_no;         /* the latest rejection: its line, */
	int reject_old;             /* of the file before rotation, */
	char reject[sizeof ((struct err *)0)->msg]; /* and why */
	int say_rejects;            /* each printed on standard error as it comes (line mode), */
	struct kept_reject {        /* or the first REJECTS_KEPT kept, printed once the screen is closed */
		uint64_t no;
		int old;
		char why[sizeof ((struct err *)0)->msg];
	} *kept;
	unsigned n_kept;
	int format_seen;            /* a line of the current file told its format: trace v1 */
	int text_seen;              /* the current file has had a line not blank (only the first may be a CSV header) */
	int line_stop;              /* on_line stopped the poll, e saying why */
	int finishing;              /* on_line is handed the lines without their end, at the stop */
	int bad_input;              /* e is bad input (exit 3): a file in another format, a replay's
	                             * refusal (a model the pricing table lacks) */
	/* a stored trace */
	struct trace full;
	uint32_t *order;            /* its arrival order; NULL when in_order */
	int in_order;               /* its lines are in arrival order (order[i] == i) */
	uint32_t n_inputs;          /* in order: the input texts its requests so far use (ids below) */
	uint32_t next;
	double speed;
	int64_t play_from_mono, play_from_data; /* the clocks when playing (re)started */
	int64_t read_pos;           /* the position at the latest read: every request up to it is in */
	int paused;
	/* the replay of the trace so far */
	struct result_scenario res;
	int have_res;
	uint32_t res_rows;          /* the rows it covered */
	int64_t res_covered;        /* the time its lines reach: its instants up to it are final */
	int64_t res_judged;         /* the latest 60 s instant it judged its alerts at, at least */
	int res_final;              /* it is the last replay's: its alerts judged as replay judges them */
	int64_t res_latest;         /* the latest arrival among its lines */
	int64_t res_began, res_took; /* when that replay began (monotonic) and how long it took, µs */
	uint32_t *res_tn;           /* each name id of w (as of that replay): its tenant's place in
	                             * res.by_tenant, or UINT32_MAX (watch_replay_tenants) */
	uint32_t n_res_tn;
	/* the screen's tenant windows, recomputed when due (watch_tenants_due) */
	struct watch_tenant *tn;
	size_t n_tn;
	struct watch_tenants_at tn_at;
	struct err e;
};

/* Refuses the followed file, which is `what` (gzip data, another import format): bad input,
 * e saying what to do instead.  Returns 1, to stop the poll. */
static int refuse_file(struct watch *wt, const char *what)
{
	char name[IMPORT_NAME_MAX + 1];
	import_name_for(wt->name, name, sizeof name);
	/* the words quoted for the shell, or FILE and TRACE for a path too long to fit and a file
	 * name that makes no trace name */
	char *file = text_shell_word(wt->name), *trace = import_name_problem(name) ? NULL : text_shell_word(name);
	err_set(&wt->e, "%.300s: %s, and watch follows trace v1 JSON Lines only; import it, then play it "
	        "back: llmcost import %s%s && llmcost watch %s --speed N%s", wt->name, what,
	        file && strlen(file) <= 300 ? file : "FILE", cli_db_words(), trace ? trace : "TRACE", cli_db_words());
	free(file);
	free(trace);
	wt->bad_input = 1;
	wt->line_stop = 1;
	return 1;
}

static int is_gzip(const char *p, size_t n)
{
	return n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b;
}

/*
 * The import format of the followed file read whole as one pretty-printed JSON document, as
 * `import --format auto` reads a file whose first line opens one (format_document, up to
 * READER_MAX_LINE bytes, after a byte order mark), or NULL: not one (yet).  *doc its value,
 * valid until *buf is freed.
 */
static const struct import_format *document_format(struct watch *wt, char **buf, struct json_span *doc)
{
	struct stat st;
	*buf = NULL;
	if (wt->fol.from_old || fstat(wt->fol.fd, &st) < 0 || st.st_size <= 0 || st.st_size > READER_MAX_LINE ||
	    !(*buf = malloc((size_t)st.st_size)))
		return NULL;
	size_t n = 0;
	for (ssize_t got; n < (size_t)st.st_size; n += (size_t)got)
		if ((got = pread(wt->fol.fd, *buf + n, (size_t)st.st_size - n, (off_t)n)) <= 0)
			break;
	size_t bom = n >= 3 && memcmp(*buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	return format_document(*buf + bom, n - bom, NULL, doc);
}

/*
 * Whether a line of the followed file shows it is not trace v1 JSON Lines: gzip's magic bytes
 * at its start, its first line that is valid JSON in another format, a first line that opens a
 * pretty-printed document of another format, or a first line that is the CSV header of one, as
 * the import tells formats (format_detect, format_opens_document, format_detect_csv).  A line
 * that is not JSON tells nothing more: a trace v1 file's malformed line is rejected on its own.
 * 1 when the file is refused (e set).
 */
static int other_format(struct watch *wt, const char *line, size_t len, uint64_t line_no)
{
	if (line_no == 1) /* a file from its start: the first, or the next after a truncation or rotation */
		wt->format_seen = wt->text_seen = 0;
	if (wt->format_seen)
		return 0;
	if (line_no == 1 && is_gzip(line, len))
		return refuse_file(wt, "gzip-compressed");
	struct json_span v;
	const char *why;
	size_t at;
	if (jsonl_is_blank(line, len))
		return 0;
	if (format_opens_document(line, len)) {
		char *buf, what[200];
		wt->format_seen = 1;
		const struct import_format *fmt = document_format(wt, &buf, &v);
		if (fmt && fmt != &format_jsonl)
			snprintf(what, sizeof what, "it reads as %s, one JSON document (--format %s)",
			         format_title(fmt, &v), fmt->name);
		free(buf);
		return fmt && fmt != &format_jsonl ? refuse_file(wt, what) : 0;
	}
	const struct import_format *fmt;
	char what[200];
	int first = !wt->text_seen;
	wt->text_seen = 1;
	if (json_validate(line, len, &v, &why, &at) < 0) {
		if (!first || !(fmt = format_detect_csv(line, len)))
			return 0;
		snprintf(what, sizeof what, "its line %llu is the header of %s (--format %s)", (unsigned long long)line_no,
		         fmt->csv_title, fmt->name);
		return refuse_file(wt, what);
	}
	wt->format_seen = 1;
	fmt = format_detect(&v);
	if (!fmt || fmt == &format_jsonl)
		return 0;
	snprintf(what, sizeof what, "its line %llu reads as %s (--format %s)", (unsigned long long)line_no,
	         format_title(fmt, &v), fmt->name);
	return refuse_file(wt, what);
}

/* Notes the models of request i's recorded calls (of the trace so far) that the scenario's
 * pricing table lacks: the tenant windows leave their calls unpriced, which is shown, never $0. */
static void note_unpriced(struct watch *wt, uint32_t i)
{
	const struct trace *t = &wt->w;
	for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++) {
		uint32_t m = trace_att_model(t, a);
		const char *name = intern_str(&t->names, m, NULL);
		unsigned k = 0;
		while (k < wt->n_unpriced && k < 4 && wt->unpriced[k] != m)
			k++;
		if (k < wt->n_unpriced || pricing_index(wt->sc->pricing, name) >= 0)
			continue;
		if (wt->n_unpriced < 4)
			wt->unpriced[wt->n_unpriced] = m;
		wt->n_unpriced++;
		if (wt->say_unpriced) {
			char *shown = text_show(name, 80), *tenant = text_show(intern_str(&t->names, trace_tenant(t, i), NULL), 80);
			printf("watch: %s is not in the scenario's pricing table (%.200s): calls on it (tenant %s's first) "
			       "are unpriced in the tenants' spend, not $0\n", shown ? shown : "a model",
			       wt->sc->pricing->path ? wt->sc->pricing->path : "", tenant ? tenant : "");
			cli_flush();
			free(shown);
			free(tenant);
		}
	}
}

/* A rejected line named on standard error: FILE:LINE: why. */
static void say_reject(const struct watch *wt, uint64_t line_no, int old, const char *why)
{
	fprintf(stderr, "llmcost: %.300s%s:%llu: %s\n", wt->name, old ? " (before rotation)" : "",
	        (unsigned long long)line_no, why);
}

/* Line line_no of the followed file rejected, for the reason fmt gives: counted, kept as the
 * latest, and said on stderr when rejects are. */
__attribute__((format(printf, 3, 4))) static void reject_line(struct watch *wt, uint64_t line_no,
                                                              const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(wt->reject, sizeof wt->reject, fmt, ap); /* as long as an error message */
	va_end(ap);
	wt->rejects++;
	wt->reject_no = line_no;
	wt->reject_old = wt->fol.from_old;
	if (wt->say_rejects) {
		say_reject(wt, line_no, wt->reject_old, wt->reject);
	} else if (wt->n_kept < REJECTS_KEPT && (wt->kept || (wt->kept = calloc(REJECTS_KEPT, sizeof *wt->kept)))) {
		struct kept_reject *k = &wt->kept[wt->n_kept++];
		k->no = line_no;
		k->old = wt->reject_old;
		snprintf(k->why, sizeof k->why, "%s", wt->reject);
	}
}

/* Once the screen is closed: its rejects, which it showed only the latest of, named on standard
 * error as line mode names them as they come, the first REJECTS_KEPT of them and then how many
 * more, as import names its rejects on a terminal. */
static void say_kept_rejects(const struct watch *wt)
{
	for (unsigned k = 0; k < wt->n_kept; k++)
		say_reject(wt, wt->kept[k].no, wt->kept[k].old, wt->kept[k].why);
	cli_more_rejects(wt->rejects - wt->n_kept);
}

/* A line of the followed file: parsed and appended, or counted as rejected. */
static int on_line(void *ctx, const char *line, size_t len, uint64_t line_no)
{
	struct watch *wt = ctx;
	struct jsonl_rec r;
	struct err e = { "" };
	if (other_format(wt, line, len, line_no))
		return 1;
	if (jsonl_is_blank(line, len))
		return 0;
	int rc = jsonl_parse(&wt->jp, line, len, &r, &e);
	if (rc == -2) {
		err_set(&wt->e, "out of memory");
		wt->line_stop = 1;
		return 1;
	}
	if (rc < 0) { /* at the stop, a last line without its end may be one still being written */
		reject_line(wt, line_no, "%s%s", e.msg, wt->finishing ? " (the last line, without its newline: "
		            "taken at the stop, maybe while it was still being written)" : "");
		return 0;
	}
	if (r.n_att + 1 > wt->cap_calls) {
		struct trace_call *p = realloc(wt->calls, (r.n_att + 1) * sizeof *p);
		if (!p) {
			err_set(&wt->e, "out of memory");
			wt->line_stop = 1;
			return 1;
		}
		wt->calls = p;
		wt->cap_calls = r.n_att + 1;
	}
	struct intern *names = &wt->w.names;
	uint32_t ids[5] = { TRACE_NONE, TRACE_NONE, TRACE_NONE, TRACE_NONE, TRACE_NONE };
	int bad = intern_add(names, r.tenant.s, r.tenant.n, &ids[0]) < 0 ||
	          intern_add(names, r.task.s, r.task.n, &ids[1]) < 0 ||
	          (r.input.s && intern_add(&wt->w.inputs, r.input.s, r.input.n, &ids[2]) < 0) ||
	          (r.input_hash.s && intern_add(names, r.input_hash.s, r.input_hash.n, &ids[3]) < 0) ||
	          (r.model.s && intern_add(names, r.model.s, r.model.n, &ids[4]) < 0);
	for (size_t k = 0; !bad && k < r.n_att; k++)
		bad = intern_add(names, r.att[k].model.s, r.att[k].model.n, &wt->calls[k].model) < 0;
	struct trace_row row;
	uint32_t n = jsonl_row(&r, ids, &row, wt->calls);
	if (!bad && (wt->sc->mode == SCENARIO_MODE_RECORDED || !wt->sc->n_routes)) {
		/* each call is priced (recorded), or the first decides the model (no routes) */
		const char *why = n ? NULL : "has no model or attempts, and the scenario prices each line's calls";
		for (uint32_t k = 0; !why && k < n; k++)
			if (pricing_index(wt->sc->pricing, intern_str(names, wt->calls[k].model, NULL)) < 0)
				why = "names a model the scenario's pricing table lacks";
		if (why) {
			reject_line(wt, line_no, "model: %s (%.100s)", why,
			            wt->sc->pricing->path ? wt->sc->pricing->path : "");
			return 0;
		}
	}
	if (bad || trace_append(&wt->w, &row, wt->calls, n, &wt->e) < 0) {
		if (bad)
			err_set(&wt->e, "out of memory");
		wt->line_stop = 1;
		return 1;
	}
	if (r.ts_us > wt->last_ts)
		wt->last_ts = r.ts_us;
	if (r.ts_us > wt->read_wall) {
		if (!wt->ahead || r.ts_us > wt->ahead_latest)
			wt->ahead_latest = r.ts_us;
		wt->ahead++;
	}
	note_unpriced(wt, wt->w.n_req - 1);
	return 0;
}

/* The stored trace's k-th request to arrive. */
static uint32_t played(const struct watch *wt, uint32_t k)
{
	return wt->order ? wt->order[k] : k;
}

/* The data's clock: a stored trace's playback position; a followed file's latest arrival, or
 * the wall clock while the file keeps up with it (its latest line less than an hour old, or
 * dated ahead of the clock: such a line does not move now ahead, it enters the tenant windows
 * at its time). */
static int64_t watch_now(const struct watch *wt)
{
	if (!wt->is_file) {
		if (wt->next == wt->full.n_req && wt->full.n_req) /* ended: at its last line */
			return trace_ts_us(&wt->full, played(wt, wt->full.n_req - 1));
		if (wt->paused)
			return wt->play_from_data;
		return watch_play_position(wt->play_from_data, wt->play_from_mono, clock_us(CLOCK_MONOTONIC), wt->speed);
	}
	int64_t wall = clock_us(CLOCK_REALTIME);
	if (wt->last_ts == INT64_MIN) /* no line yet: the clock (and no wall − INT64_MIN) */
		return wall;
	return wt->last_ts > wall || wall - wt->last_ts < LIVE_LAG_US ? wall : wt->last_ts;
}

/* The now the screen shows, its header's clock and its tenant windows' end: a playback's
 * position at the latest read, which the lines read reach (the position runs on while the
 * replay and the windows are computed: at a high speed far past those lines, whose windows would
 * then read empty); a followed file's now. */
static int64_t watch_shown_now(const struct watch *wt)
{
	return wt->is_file ? watch_now(wt) : wt->read_pos;
}

/* The time the lines taken so far reach, which alerts are judged at: a playback's position
 * (every request up to it is in); a followed file's latest line, no later than now (a quiet file
 * does not end a flood; its next lines do). */
static int64_t watch_covered(const struct watch *wt)
{
	if (!wt->is_file)
		return wt->read_pos;
	int64_t now = watch_now(wt);
	return wt->last_ts < now ? wt->last_ts : now;
}

/* Takes in what has arrived: new lines, or the stored requests up to now.  -1 with wt->e set. */
static int watch_read(struct watch *wt)
{
	if (wt->is_file) {
		struct err e;
		wt->read_wall = clock_us(CLOCK_REALTIME);
		if (follow_poll(&wt->fol, on_line, wt, &e) < 0) {
			if (!wt->line_stop) /* else on_line said why */
				wt->e = e;
			return -1;
		}
		return 0;
	}
	int64_t now = watch_now(wt);
	wt->read_pos = now;
	uint32_t from = wt->next;
	while (wt->next < wt->full.n_req && trace_ts_us(&wt->full, played(wt, wt->next)) <= now) {
		uint32_t i = played(wt, wt->next++);
		wt->last_ts = trace_ts_us(&wt->full, i);
		if (wt->w_view) { /* the view grows below; the texts it uses are those up to the latest */
			if (wt->full.input[i] != TRACE_NONE && wt->full.input[i] >= wt->n_inputs)
				wt->n_inputs = wt->full.input[i] + 1;
			continue;
		}
		if (trace_append_from(&wt->w, &wt->full, i, &wt->e) < 0)
			return -1;
		note_unpriced(wt, wt->w.n_req - 1);
	}
	if (wt->w_view) {
		watch_prefix(&wt->full, wt->next, wt->n_inputs, &wt->w);
		for (uint32_t i = from; i < wt->next; i++)
			note_unpriced(wt, i);
	}
	if (wt->next == wt->full.n_req)
		wt->read_pos = watch_now(wt); /* ended: at its last line, whose replay is `replay`'s */
	return 0;
}

/* At the stop: a followed file's last line without its end, which the reads wait for, taken as
 * the import takes it (and the old file's, after a rotation).  -1 with wt->e set. */
static int watch_finish(struct watch *wt)
{
	struct err e;
	if (!wt->is_file || wt->line_stop) /* (after on_line stopped a read, it is not called again) */
		return 0;
	wt->finishing = 1;
	long rc = follow_finish(&wt->fol, on_line, wt, &e);
	wt->finishing = 0;
	if (rc >= 0)
		return 0;
	if (!wt->line_stop) /* else on_line said why */
		wt->e = e;
	return -1;
}

static int watch_done(const struct watch *wt)
{
	return !wt->is_file && wt->next == wt->full.n_req;
}

/* Replays the trace so far when it grew and the replay is due, or for the `final` time (the
 * watch's end or stop).  -1 with wt->e. */
static int watch_replay(struct watch *wt, int final)
{
	int64_t mono = clock_us(CLOCK_MONOTONIC), covered = watch_covered(wt);
	if (wt->have_res && wt->w.n_req == wt->res_rows && (!final || wt->res_final)) {
		/* no request since: a replay now would be the same up to the instants the last one
		 * judged; a playback that moves on through a quiet stretch past them has them judged
		 * by the next one (a flood or cost_guard may go on in the quiet, or end) */
		if (wt->is_file)
			return 0;
		if (covered < wt->res_judged + WINDOW_GRID_US) {
			wt->res_covered = covered;
			return 0;
		}
	}
	if (!wt->w.n_req || (!final && !watch_replay_due(wt->res_began, wt->res_took, mono)))
		return 0;
	struct replay_trace *rt = NULL;
	struct result_scenario res;
	struct trace sub = { 0 };
	const struct trace *t = &wt->w;
	int rc = 0;
	if (!wt->is_file && !wt->in_order) {
		/* a stored trace whose lines are out of time order: its requests arrived so far in
		 * their own order, each drawing as its index in the whole trace, so that the replay is
		 * `replay`'s up to now (the same draws and ties) and, at the end, `replay`'s */
		rc = trace_select(&wt->full, INT64_MIN, wt->last_ts + 1, &sub, &wt->e);
		t = &sub;
	}
	if (rc == 0)
		rc = replay_prepare(t, &rt, &wt->e) < 0 || replay_prepare_scenario(rt, wt->sc, &wt->e) < 0 ? -1 : 0;
	/* a playback's requests up to its position are all in: its alerts are judged up to there,
	 * past the last event of the trace so far, as the whole trace's replay judges them */
	if (rc == 0 && !wt->is_file)
		replay_alerts_through(rt, covered);
	/* and no further before the end: the instants after it wait for the lines still to come
	 * (a flood's requests in flight, whose retries and fallbacks are not in yet); the last
	 * replay is `replay`'s of the lines read */
	if (rc == 0 && !final)
		replay_alerts_until(rt, covered);
	if (rc == 0 && replay_run(rt, wt->sc, &res, NULL, &wt->e) < 0) {
		/* as `replay` says it, and exits 3 */
		err_prefix(&wt->e, "scenario \"%s\": ", wt->sc->name ? wt->sc->name : wt->sc_arg);
		wt->bad_input = 1;
		rc = -1;
	}
	/* the replay's tenants by the trace so far's ids, while its names (sub's, or w's, whose
	 * strings move as it grows) are valid */
	uint32_t *res_tn = NULL, n_res_tn = 0;
	if (rc == 0 && watch_replay_tenants(&res, &wt->w.names, &res_tn, &n_res_tn) < 0) {
		result_scenario_fini(&res);
		rc = err_set(&wt->e, "out of memory");
	}
	replay_trace_free(rt);
	trace_free(&sub);
	if (rc < 0)
		return -1;
	if (wt->have_res)
		result_scenario_fini(&wt->res);
	free(wt->res_tn);
	wt->res_tn = res_tn;
	wt->n_res_tn = n_res_tn;
	wt->res = res;
	wt->have_res = 1;
	wt->res_rows = wt->w.n_req;
	wt->res_final = final;
	wt->res_latest = wt->last_ts;
	wt->res_covered = covered;
	wt->res_judged = clock_floor_div(covered, WINDOW_GRID_US) * WINDOW_GRID_US;
	wt->res_began = mono;
	wt->res_took = clock_us(CLOCK_MONOTONIC) - mono;
	return 0;
}

/* ---- line mode: outside a terminal ---- */

static void say_alert(void *ctx, const struct alert *al, enum watch_said_what what_kind)
{
	char a[CLOCK_TEXT_MAX], v[64], b[64], end[CLOCK_TEXT_MAX], ended[CLOCK_TEXT_MAX + 16];
	const char *what = what_kind == WATCH_STARTED ? "started"
	                   : what_kind == WATCH_WITHDRAWN ? "withdrawn (later lines)" : ended;
	/* a start says its first instant's figures, which no later line changes; an end (or a
	 * withdrawal) the alert's peak, as replay's table does */
	int first = what_kind == WATCH_STARTED;
	(void)ctx;
	snprintf(ended, sizeof ended, "ended %s", clock_format(al->end_us, end));
	if (al->kind == ALERT_COST_GUARD)
		printf("watch: %s cost_guard %s: %s%s/h against a baseline of %s/h\n", clock_format(al->start_us, a), what,
		       first ? "" : "peak ", report_usd_text(first ? al->first_value_pusd : al->value_pusd, v, sizeof v),
		       report_usd_text(first ? al->first_baseline_pusd : al->baseline_pusd, b, sizeof b));
	else
		/* SPEC's value: the window's first fallbacks over its first calls, which may pass 100%
		 * (a request whose first call was before the window falls back in it) */
		printf("watch: %s fallback_flood %s: %sfallback rate %.1f%% (first fallbacks per first call over the "
		       "window; alert above %.1f%%)\n",
		       clock_format(al->start_us, a), what, first ? "" : "peak ",
		       (first ? al->first_value_rate : al->value_rate) * 100, al->baseline_rate * 100);
	cli_flush();
}

/* The time the latest replay's alerts are judged as of: the time its lines reach; the last
 * one's (a playback's end, or a stop) all final, as its table lists them. */
static int64_t alerts_judged_at(const struct watch *wt)
{
	return watch_done(wt) || wt->res_final ? INT64_MAX : wt->res_covered;
}

/* Says what the latest replay changed, judged as alerts_judged_at has it: an alert that only
 * the last replay has (a flood fired past a followed file's last line) is said to start and end
 * before the table. */
static int lines_update(const struct watch *wt, struct watch_said *s)
{
	return watch_said_update(s, &wt->res, alerts_judged_at(wt), say_alert, NULL);
}

/* The words for the lines of a followed file dated ahead of the clock when read, at `level` as
 * the screen's lines have it (see header_text): in full, as line mode says them; then without
 * how the tenant windows take them, then in fewer words, then their count alone. */
static int ahead_text(const struct watch *wt, int level, char *buf, size_t size)
{
	char n[32], t[CLOCK_TEXT_MAX];
	const char *lines = wt->ahead == 1 ? "line" : "lines";
	report_count_text(wt->ahead, n, sizeof n);
	clock_format(wt->ahead_latest, t);
	if (level < 1)
		snprintf(buf, size, " %s %s dated ahead of the clock (the latest at %s): in the tenant windows from %s time", n,
		         lines, t, wt->ahead == 1 ? "its" : "their");
	else if (level < 2)
		snprintf(buf, size, " %s %s dated ahead of the clock (the latest at %s)", n, lines, t);
	else if (level < 3)
		snprintf(buf, size, " %s %s ahead of the clock (latest %s)", n, lines, t);
	else
		snprintf(buf, size, " %s %s ahead of the clock", n, lines);
	return level < 3;
}

/* Says once, in line mode, that lines dated ahead of the clock were read. */
static void say_ahead(struct watch *wt)
{
	char buf[256];
	if (wt->said_ahead || !wt->ahead)
		return;
	ahead_text(wt, 0, buf, sizeof buf);
	printf("watch: %s:%s\n", wt->name, buf);
	cli_flush();
	wt->said_ahead = 1;
}

/* Whether standard output is a pipe whose reader has gone (`watch FILE | head -2` once head has
 * exited): polled each tick, since line mode may write nothing for hours. */
static int stdout_closed(void)
{
	struct stat st;
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };
	if (fstat(STDOUT_FILENO, &st) < 0 || !S_ISFIFO(st.st_mode))
		return 0;
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

static int lines_summary(struct watch *wt);

static int run_lines(struct watch *wt)
{
	struct watch_said s = { 0 };
	int rc = 0, read_failed = 0, stopped_in_read = 0;
	while (!watch_stop && rc == 0) {
		if (stdout_closed()) {
			/* as a write to it would end the watch: SIGPIPE, by default its end */
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		if (watch_read(wt) < 0) {
			/* the file is gone for good (a folder in its place); a signal that interrupted a
			 * blocking open or read is a stop like any other */
			if (watch_stop && !wt->line_stop) {
				stopped_in_read = 1;
				break;
			}
			read_failed = !wt->bad_input;
			rc = -1;
			break;
		}
		if (watch_replay(wt, watch_done(wt)) < 0) {
			rc = -1;
			break;
		}
		if (wt->have_res && lines_update(wt, &s) < 0)
			rc = err_set(&wt->e, "out of memory");
		say_ahead(wt);
		if (watch_done(wt))
			break;
		if (wt->is_file && follow_behind(&wt->fol))
			continue; /* a large file read in steps: the next at once, a stop seen between them */
		struct timespec ts = { 0, TICK_MS * 1000000L };
		nanosleep(&ts, NULL);
	}
	if (read_failed) {
		/* the summary and the alerts table of the lines read until then, as on any stop, and
		 * then what ended the watch (exit 1) */
		struct err why = wt->e;
		rc = watch_finish(wt) < 0 || watch_replay(wt, 1) < 0 || (wt->have_res && lines_update(wt, &s) < 0) ? -1 : 0;
		if (rc == 0)
			rc = lines_summary(wt);
		watch_said_fini(&s);
		if (rc == 0)
			wt->e = why;
		return -1;
	}
	/* the lines up to the stop too, and a last one without its end */
	if (rc == 0 && ((!stopped_in_read && watch_read(wt) < 0) || watch_finish(wt) < 0 || watch_replay(wt, 1) < 0))
		rc = -1;
	if (rc == 0 && wt->have_res && lines_update(wt, &s) < 0)
		rc = err_set(&wt->e, "out of memory");
	say_ahead(wt);
	watch_said_fini(&s);
	if (rc < 0)
		return -1;
	return lines_summary(wt);
}

/* Line mode's last words: how many lines it took, and the alerts table as replay ends with it. */
static int lines_summary(struct watch *wt)
{
	char t[CLOCK_TEXT_MAX], n[32], rej[32];
	const char *how = watch_done(wt) ? "ended" : "stopped";
	report_count_text(wt->w.n_req, n, sizeof n);
	report_count_text(wt->rejects, rej, sizeof rej);
	if (wt->w.n_req)
		printf("watch: %s %s: %s request%s (%s rejected), the latest at %s\n", wt->name, how, n,
		       wt->w.n_req == 1 ? "" : "s", rej, clock_format(wt->last_ts, t));
	else /* a stored trace of none has ended; a file or a playback stopped may have some later */
		printf("watch: %s %s: no requests%s (%s rejected)\n", wt->name, how, watch_done(wt) ? "" : " yet", rej);
	if (wt->have_res && report_alerts(stdout, &wt->res, 1) < 0)
		return err_set(&wt->e, "out of memory");
	return 0;
}

/* ---- the screen ---- */

enum { PAIR_BANNER = 1, PAIR_DIM };

static void put_line(int y, attr_t attr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put_line(int y, attr_t attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (y < 0 || y >= LINES)
		return;
	attrset(attr);
	move(y, 0);
	clrtoeol();
	/* fitted by columns as the console fits its lines (a name's control characters escaped, a
	 * line too long cut with "…"), so that a line never wraps into the next */
	console_put(stdscr, y, 0, buf, COLS, 0, 0);
	if (attr & A_REVERSE)
		for (int x = getcurx(stdscr); x < COLS && getcury(stdscr) == y; x++)
			addch(' ');
	attrset(A_NORMAL);
}

/*
 * The tenants' table: the recorded windows (sim/watch.c) and, from the latest replay of the
 * trace so far, the tenant's cache hit rate and spend under the scenario.  The columns in the
 * order shown; a terminal too narrow for them all drops req 5m, then req 1h, then usd 5m (the
 * spend, the fallback rates and the hit rate stay down to the screen's 60 columns).  The mark of
 * unpriced calls (`*`) follows usd 1h, whose figures it qualifies.  A column is as wide as its
 * widest figure shown, at least its width here (an amount under $0.0001, $0.00007520, takes 11).
 */
enum { TN_REQ_S, TN_REQ_L, TN_USD_S, TN_USD_L, TN_FB_S, TN_FB_L, TN_HIT, TN_USD_R, N_TN_COLS };
static const struct tn_col {
	const char *head;
	int width;
	int drop;                   /* dropped at narrow widths in this order (1 first); 0 never */
} tn_cols[N_TN_COLS] = {
	[TN_REQ_S] = { "req 5m", 7, 1 }, [TN_REQ_L] = { "req 1h", 7, 2 }, [TN_USD_S] = { "usd 5m", 10, 3 },
	[TN_USD_L] = { "usd 1h", 10, 0 }, [TN_FB_S] = { "fb 5m", 6, 0 }, [TN_FB_L] = { "fb 1h", 6, 0 },
	[TN_HIT] = { "hit", 6, 0 }, [TN_USD_R] = { "usd", 10, 0 },
};
#define TN_NAME_MIN 12
#define TN_NAME_MAX 20
#define TN_NAME_LEAST 6             /* the name's least, when wide figures leave it less than its min */

#define TN_CELL 64                  /* a figure's buffer */

struct tn_layout {
	int shown[N_TN_COLS];
	int width[N_TN_COLS];
	int name_w;
};

/* The columns that fit `cols`, each as wide as `widest[k]` (its widest figure) or its own width,
 * and the tenant's name as wide as the rest leaves (12 to 20; less, down to 6, only when wide
 * figures need it). */
static void tn_layout(struct tn_layout *lay, int cols, const int widest[N_TN_COLS])
{
	int width = 1 + TN_NAME_MIN + 1; /* the margin, the name, the mark after usd 1h */
	for (int k = 0; k < N_TN_COLS; k++) {
		lay->shown[k] = 1;
		lay->width[k] = widest[k] > tn_cols[k].width ? widest[k] : tn_cols[k].width;
		width += 1 + lay->width[k];
	}
	for (int d = 1; width > cols && d <= 3; d++)
		for (int k = 0; k < N_TN_COLS; k++)
			if (tn_cols[k].drop == d) {
				lay->shown[k] = 0;
				width -= 1 + lay->width[k];
			}
	int room = TN_NAME_MIN + (cols - width);
	lay->name_w = room > TN_NAME_MAX ? TN_NAME_MAX : room < TN_NAME_LEAST ? TN_NAME_LEAST : room;
}

/* A row of the table: the name, padded to its width, then the cells shown; `mark` (one column)
 * after usd 1h, or a blank for the heads (mark NULL). */
static void tn_row(const struct tn_layout *lay, char *buf, size_t size, const char *name,
                   const char *const cell[N_TN_COLS], const char *mark)
{
	int pad = lay->name_w - (int)text_width(name), at = snprintf(buf, size, " %s%*s", name, pad > 0 ? pad : 0, "");
	for (int k = 0; k < N_TN_COLS && at >= 0 && (size_t)at < size; k++)
		if (lay->shown[k])
			at += snprintf(buf + at, size - (size_t)at, k == TN_USD_L ? " %*s%s" : " %*s", lay->width[k],
			               cell[k], mark ? mark : " ");
}

/* The heads of the two groups of columns, each over its first column: the traffic as recorded
 * (the windows) and the replay so far. */
static void tn_group_heads(const struct tn_layout *lay, char *buf, size_t size)
{
	int x = 1 + lay->name_w, recorded = -1, replay = -1;
	for (int k = 0; k < N_TN_COLS; k++) {
		if (!lay->shown[k])
			continue;
		if (recorded < 0)
			recorded = x + 1;
		if (k == TN_HIT)
			replay = x + 1;
		x += 1 + lay->width[k] + (k == TN_USD_L);
	}
	int n = x < (int)size - 1 ? x : (int)size - 1;
	memset(buf, ' ', (size_t)n);
	buf[n] = 0;
	const char *rec = "recorded traffic", *rep = "replay so far";
	int rec_room = replay - 1 - recorded;
	memcpy(buf + recorded, rec, (size_t)((int)strlen(rec) < rec_room ? (int)strlen(rec) : rec_room));
	memcpy(buf + replay, rep, strlen(rep));
}

/* num / den as replay's tables give a rate, or "-" when den is 0. */
static void tn_rate(uint64_t num, uint64_t den, char *buf, size_t size)
{
	if (den)
		report_percent_text((double)num / (double)den, buf, size);
	else
		snprintf(buf, size, "-");
}

/*
 * The lines of the screen that say several things at once (the header, the banner, the replay's
 * figures, an alert, the notes on unpriced calls, lines ahead of the clock (ahead_text, above)
 * and rejected lines) come in forms, from the fullest (level 0) to the shortest: each drops a
 * less important part whole or says it in fewer words, never a word or figure cut.  A line is
 * its first form that fits the terminal's width; *_text returns 0 when it wrote its last.  The
 * shortest keep what matters most (the header: the playback's speed, its state and the
 * requests read; a note: its models or its count) and fit the screen's 60 columns.
 */
#define FIT_LINE 512

/* HH:MM:SS of a time, into buf (CLOCK_TEXT_MAX bytes). */
static const char *hms(int64_t us, char *buf)
{
	char iso[CLOCK_TEXT_MAX];
	clock_format(us, iso);
	snprintf(buf, CLOCK_TEXT_MAX, "%.8s", strlen(iso) > 11 ? iso + 11 : iso);
	return buf;
}

/* The header at `level`: " llmcost watch", the file or trace, the scenario, now, (a playback's
 * speed and state,) the requests read.  By level: the program's name goes, then "requests read"
 * says "read" (and "(rejects below)" goes: the line is there), then now is HH:MM:SS, then the
 * scenario goes, then the name, then now. */
static int header_text(const struct watch *wt, int level, char *buf, size_t size)
{
	char now_s[CLOCK_TEXT_MAX], n1[32], n2[32], sp[40];
	int64_t now = watch_shown_now(wt), now_s_us = clock_floor_div(now, 1000000) * 1000000; /* shown to the second */
	const char *sc = wt->sc->name ? wt->sc->name : "", *when;
	if (wt->is_file && !wt->w.n_req)
		when = "waiting for lines"; /* the state, kept at every level */
	else if (level >= 6)
		when = NULL;
	else
		when = level >= 3 ? hms(now_s_us, now_s) : clock_format(now_s_us, now_s);
	size_t at = (size_t)snprintf(buf, size, "%s", level >= 1 ? "" : " llmcost watch ");
#define ADD(...) (at += at < size ? (size_t)snprintf(buf + at, size - at, __VA_ARGS__) : 0)
	if (level < 5)
		ADD(" %s ", wt->name);
	if (level < 4 && *sc)
		ADD(" %s ", sc);
	if (when)
		ADD(" %s ", when);
	if (wt->is_file)
		ADD(" %s%s%s", report_count_text(wt->w.n_req, n1, sizeof n1),
		    level >= 2 ? " read" : wt->w.n_req == 1 ? " request read" : " requests read",
		    wt->rejects && level < 2 ? " (rejects below)" : "");
	else
		ADD(" %s%s%s  %s of %s%s", speed_text(wt->speed, sp, sizeof sp), text_symbol("×", "x"),
		    watch_done(wt) ? " ended" : wt->paused ? " paused" : "", report_count_text(wt->w.n_req, n1, sizeof n1),
		    report_count_text(wt->full.n_req, n2, sizeof n2),
		    level >= 2 ? " read" : wt->full.n_req == 1 ? " request read" : " requests read");
#undef ADD
	return level < 6;
}

/* The banner while a fallback flood is under way: its start in full, then HH:MM:SS, then in
 * fewer words. */
static int banner_text(const struct alert *flood, int level, char *buf, size_t size)
{
	char since[CLOCK_TEXT_MAX];
	if (level == 0)
		clock_format(flood->start_us, since);
	else
		hms(flood->start_us, since);
	if (level < 2)
		snprintf(buf, size, " FALLBACK FLOOD under way since %s: fallback rate %.1f%%, alert above %.1f%% ", since,
		         flood->value_rate * 100, flood->baseline_rate * 100);
	else
		snprintf(buf, size, " FALLBACK FLOOD since %s: rate %.1f%% above %.1f%% ", since, flood->value_rate * 100,
		         flood->baseline_rate * 100);
	return level < 2;
}

/* The replay's figures: the scenario so far, the time of the latest line it took, its spend,
 * requests, calls and alerts.  By level: the calls go, then "replayed up to" says "up to", then
 * "so far" goes, then the scenario's name ("replay to"), then the requests; the spend and the
 * alerts stay. */
static int replay_text(const struct watch *wt, int level, char *buf, size_t size)
{
	char upto[CLOCK_TEXT_MAX], usd[64], n1[32], n2[32], reqs[64] = "", calls[64] = "", label[FIT_LINE / 2];
	const struct result_scenario *r = &wt->res;
	hms(wt->res_latest, upto);
	report_usd_text(r->totals.usd_total, usd, sizeof usd);
	if (level < 5)
		snprintf(reqs, sizeof reqs, ", %s request%s", report_count_text(r->totals.requests, n1, sizeof n1),
		         r->totals.requests == 1 ? "" : "s");
	if (level < 1)
		snprintf(calls, sizeof calls, ", %s call%s", report_count_text(r->totals.calls, n2, sizeof n2),
		         r->totals.calls == 1 ? "" : "s");
	if (level < 3)
		snprintf(label, sizeof label, "%s so far (%s %s)", r->name, level < 2 ? "replayed up to" : "up to", upto);
	else if (level < 4)
		snprintf(label, sizeof label, "%s up to %s", r->name, upto);
	else
		snprintf(label, sizeof label, "replay to %s", upto);
	snprintf(buf, size, " %s: %s%s%s, %zu alert%s", label, usd, reqs, calls, r->n_alerts, r->n_alerts == 1 ? "" : "s");
	return level < 5;
}

/* An alert of the list, and whether it is under way (its end then reads "now": its end so far
 * is only the latest instant judged). */
struct listed_alert {
	const struct alert *al;
	int open;
};

/* An alert of the list: its kind, start and end in full and its figures; then its end as
 * HH:MM:SS when on its start's day, then both so, then in fewer words. */
static int alert_text(const struct listed_alert *la, int level, char *buf, size_t size)
{
	const struct alert *al = la->al;
	char s1[CLOCK_TEXT_MAX], s2[CLOCK_TEXT_MAX], v[64], b[64];
	clock_format(al->start_us, s1);
	clock_format(al->end_us, s2);
	if (level == 1 && !la->open && (strlen(s2) <= 11 || strncmp(s1, s2, 11) != 0)) /* not on its start's day: its end in full */
		level = 2;
	if (level == 1)
		memmove(s2, s2 + 11, strlen(s2 + 11) + 1); /* HH:MM:SSZ */
	if (level >= 2) {
		hms(al->start_us, s1);
		hms(al->end_us, s2);
	}
	if (la->open)
		snprintf(s2, sizeof s2, "now");
	const char *kind = al->kind == ALERT_COST_GUARD ? "cost_guard" : "fallback_flood";
	const char *gap = level >= 2 ? "  " : al->kind == ALERT_COST_GUARD ? "      " : "  ";
	const char *to = level >= 3 ? "-" : " to ";
	if (al->kind == ALERT_COST_GUARD)
		snprintf(buf, size, " %s%s%s%s%s  %s/h %s %s/h", kind, gap, s1, to, s2,
		         report_usd_text(al->value_pusd, v, sizeof v), level >= 3 ? "vs" : "against",
		         report_usd_text(al->baseline_pusd, b, sizeof b));
	else
		snprintf(buf, size, " %s%s%s%s%s  %s%.1f%% above %.1f%%", kind, gap, s1, to, s2, level >= 3 ? "" : "rate ",
		         al->value_rate * 100, al->baseline_rate * 100);
	return level < 3;
}

/* The note under the tenants when calls are unpriced: the first such model and whether there
 * are others, what that means for the figures and why; then without why, then without what it
 * means, then the model alone (its name cut shorter, so that the line fits 60 columns). */
static int unpriced_text(const struct watch *wt, int level, char *buf, size_t size)
{
	char *m = text_show(intern_str(&wt->w.names, wt->unpriced[0], NULL), level < 3 ? 40 : 32);
	const char *model = m ? m : "a model";
	if (level < 3)
		snprintf(buf, size, " * unpriced: calls on %s%s%s%s", model, wt->n_unpriced > 1 ? " and other models" : "",
		         level < 1 ? " (not in the scenario's pricing table)" : "",
		         level < 2 ? " have no spend in these figures" : "");
	else
		snprintf(buf, size, " * unpriced: %s%s", model, wt->n_unpriced > 1 ? " and others" : "");
	free(m);
	return level < 3;
}

/* The rejected lines of a followed file: how many, and the latest's file, line and reason; then
 * its line without the file (named in the header), then without the reason, then the count. */
static int reject_text(const struct watch *wt, int level, char *buf, size_t size)
{
	char n[32];
	const char *old = wt->reject_old ? " (before rotation)" : "";
	unsigned long long no = (unsigned long long)wt->reject_no;
	size_t at = (size_t)snprintf(buf, size, " %s rejected", report_count_text(wt->rejects, n, sizeof n));
#define ADD(...) (at += at < size ? (size_t)snprintf(buf + at, size - at, __VA_ARGS__) : 0)
	if (level == 0)
		ADD("; the latest: %.300s%s:%llu", wt->name, old, no);
	else if (level < 3)
		ADD("; the latest: line %llu%s", no, old);
	if (level < 2)
		ADD(": %.400s", wt->reject); /* as much as a line can hold */
#undef ADD
	return level < 3;
}

/* Puts line y in the first form of `text` (one of the above, with its object) that fits. */
#define PUT_FIT(y, attr, text, obj)                                                  \
	do {                                                                             \
		char fit_[FIT_LINE];                                                         \
		for (int lv_ = 0; text(obj, lv_, fit_, sizeof fit_) && console_text_width(fit_) > COLS; lv_++) \
			;                                                                        \
		put_line(y, attr, "%s", fit_);                                               \
	} while (0)

static void draw(const struct watch *wt, int colors)
{
	erase();
	if (COLS < CONSOLE_MIN_COLS || LINES < CONSOLE_MIN_LINES) { /* said as the console says it */
		console_too_small("watch");
		doupdate();
		return;
	}
	PUT_FIT(0, A_REVERSE, header_text, wt);
	const struct alert *flood = wt->have_res ? watch_alert_open(&wt->res, ALERT_FALLBACK_FLOOD, alerts_judged_at(wt)) : NULL;
	if (flood)
		PUT_FIT(1, colors ? COLOR_PAIR(PAIR_BANNER) | A_BOLD : A_REVERSE | A_BOLD, banner_text, flood);
	else
		put_line(1, A_NORMAL, " no fallback flood");
	/* the replay lags the lines read (at most once a second, less often when long): labelled
	 * with the time of the latest line it took, to the second */
	if (wt->have_res)
		PUT_FIT(2, A_NORMAL, replay_text, wt);
	const struct watch_tenant *tn = wt->tn;
	size_t n_tn = wt->n_tn;
	/* the alerts: a title and the newest three, or one line saying there are none */
	size_t n_al = wt->have_res ? wt->res.n_alerts : 0;
	int alert_rows = n_al ? 1 + (n_al < 3 ? (int)n_al : 3) : 1, bottom = LINES - 2, top = 4;
	int rows = bottom - alert_rows - 1 - (top + 1) - (wt->n_unpriced > 0) - (wt->ahead > 0);
	/* the rows' figures first: the columns are as wide as the widest of them */
	size_t shown = n_tn < (size_t)(rows > 0 ? rows : 0) ? n_tn : (size_t)(rows > 0 ? rows : 0);
	char (*cells)[N_TN_COLS][TN_CELL] = shown ? malloc(shown * sizeof *cells) : NULL;
	int widest[N_TN_COLS] = { 0 };
	if (!cells)
		shown = 0;
	for (size_t i = 0; i < shown; i++) {
		const struct watch_tenant *x = &tn[i];
		const struct metrics *m = wt->have_res && x->tenant < wt->n_res_tn && wt->res_tn[x->tenant] != UINT32_MAX
		                          ? &wt->res.by_tenant[wt->res_tn[x->tenant]] : NULL;
		report_count_text(x->requests_short, cells[i][TN_REQ_S], TN_CELL);
		report_count_text(x->requests_long, cells[i][TN_REQ_L], TN_CELL);
		report_usd_text(x->usd_short, cells[i][TN_USD_S], TN_CELL);
		report_usd_text(x->usd_long, cells[i][TN_USD_L], TN_CELL);
		tn_rate(x->fallbacks_short, x->first_calls_short, cells[i][TN_FB_S], TN_CELL);
		tn_rate(x->fallbacks_long, x->first_calls_long, cells[i][TN_FB_L], TN_CELL);
		tn_rate(m ? m->cache_hits : 0, m ? m->requests : 0, cells[i][TN_HIT], TN_CELL);
		if (m)
			report_usd_text(m->usd_total, cells[i][TN_USD_R], TN_CELL);
		else
			snprintf(cells[i][TN_USD_R], TN_CELL, "-");
		for (int k = 0; k < N_TN_COLS; k++)
			if ((int)strlen(cells[i][k]) > widest[k])
				widest[k] = (int)strlen(cells[i][k]);
	}
	struct tn_layout lay;
	tn_layout(&lay, COLS, widest);
	char row[512];
	tn_group_heads(&lay, row, sizeof row);
	put_line(top - 1, A_DIM, "%s", row);
	const char *cell[N_TN_COLS];
	for (int k = 0; k < N_TN_COLS; k++)
		cell[k] = tn_cols[k].head;
	tn_row(&lay, row, sizeof row, "tenant", cell, NULL);
	put_line(top, A_BOLD, "%s", row);
	for (size_t i = 0; i < shown; i++) {
		const struct watch_tenant *x = &tn[i];
		for (int k = 0; k < N_TN_COLS; k++)
			cell[k] = cells[i][k];
		char *name = text_show(intern_str(&wt->w.names, x->tenant, NULL), lay.name_w);
		tn_row(&lay, row, sizeof row, name ? name : "", cell, x->unpriced ? "*" : " ");
		put_line(top + 1 + (int)i, A_NORMAL, "%s", row);
		free(name);
	}
	free(cells);
	if (n_tn > (size_t)rows)
		put_line(top + 1 + rows, A_DIM, " … %zu more tenants", n_tn - (size_t)rows);
	if (wt->n_unpriced)
		PUT_FIT(bottom - alert_rows - 1, A_NORMAL, unpriced_text, wt);
	if (wt->ahead)
		PUT_FIT(bottom - alert_rows - 1 - (wt->n_unpriced > 0), A_NORMAL, ahead_text, wt);
	int y = bottom - alert_rows;
	if (!wt->have_res)
		; /* nothing judged yet */
	else if (!n_al)
		put_line(y, A_BOLD, " no alerts");
	else if (n_al <= 3)
		put_line(y++, A_BOLD, " alerts, newest first");
	else
		put_line(y++, A_BOLD, " alerts, the newest 3 of %zu", n_al);
	int64_t judged = alerts_judged_at(wt);
	for (size_t k = 0; k < n_al && k < 3; k++) {
		const struct alert *al = &wt->res.alerts[n_al - 1 - k];
		struct listed_alert la = { al, watch_alert_open(&wt->res, al->kind, judged) == al };
		PUT_FIT(y++, A_NORMAL, alert_text, &la);
	}
	if (wt->rejects)
		PUT_FIT(LINES - 2, A_NORMAL, reject_text, wt);
	put_line(LINES - 1, A_DIM, wt->is_file ? " q quit" : " q quit  p pause  + faster  - slower");
	refresh();
}

/* Recomputes the screen's tenant windows when they are due: lines read or now's second changed
 * since, at the replays' cadence for its cost; and at once when a playback has ended with lines
 * they lack (as its last replay is), so that the screen that says "ended" shows its last line's
 * windows.  -1 with wt->e set. */
static int tenants_update(struct watch *wt)
{
	int64_t now = watch_shown_now(wt), mono = clock_us(CLOCK_MONOTONIC);
	int ended_since = watch_done(wt) && wt->tn_at.have && wt->tn_at.rows != wt->w.n_req;
	if (!ended_since && !watch_tenants_due(&wt->tn_at, wt->w.n_req, now, mono))
		return 0;
	struct watch_tenant *tn;
	size_t n;
	if (watch_tenants(&wt->w, wt->sc, now, &tn, &n, &wt->e) < 0)
		return -1;
	free(wt->tn);
	wt->tn = tn;
	wt->n_tn = n;
	wt->tn_at = (struct watch_tenants_at){ .have = 1, .rows = wt->w.n_req, .second = clock_floor_div(now, 1000000),
	                                      .began = mono, .took = clock_us(CLOCK_MONOTONIC) - mono };
	return 0;
}

/* Changes a playback's speed or pause without a jump: the clocks restart from where it is. */
static void replan(struct watch *wt, double speed, int paused)
{
	wt->play_from_data = watch_now(wt);
	wt->play_from_mono = clock_us(CLOCK_MONOTONIC);
	wt->speed = speed;
	wt->paused = paused;
}

static int run_screen(struct watch *wt)
{
	SCREEN *scr = newterm(NULL, stdout, stdin);
	char why[512];
	if (!scr)
		return err_set(&wt->e, "%s", console_term_problem(why, sizeof why));
	if (console_term_no_cursor("watch", why, sizeof why)) { /* as the console refuses it */
		endwin();
		delscreen(scr);
		return err_set(&wt->e, "%s", why);
	}
	const char *nc = getenv("NO_COLOR");
	int colors = has_colors() && !(nc && *nc);
	cbreak();
	noecho();
	curs_set(0);
	keypad(stdscr, TRUE);
	timeout(TICK_MS);
	if (colors) {
		start_color();
		use_default_colors();
		init_pair(PAIR_BANNER, COLOR_WHITE, COLOR_RED);
	}
	int rc = 0;
	while (!watch_stop) {
		if (watch_read(wt) < 0) {
			if (!(watch_stop && !wt->line_stop)) /* a signal in a blocking read is a stop */
				rc = -1;
			break;
		}
		if (watch_replay(wt, watch_done(wt)) < 0 || tenants_update(wt) < 0) {
			rc = -1;
			break;
		}
		draw(wt, colors);
		/* a large file read in steps: the next at once, a key (q) seen between them */
		timeout(wt->is_file && follow_behind(&wt->fol) ? 0 : TICK_MS);
		int ch = getch();
		if (ch == 'q' || ch == 'Q')
			break;
		if (wt->is_file)
			continue;
		if (ch == 'p' || ch == ' ')
			replan(wt, wt->speed, !wt->paused);
		else if (ch == '+' && wt->speed < SPEED_MAX)
			replan(wt, wt->speed * 2 < SPEED_MAX ? wt->speed * 2 : SPEED_MAX, wt->paused);
		else if (ch == '-' && wt->speed > 1e-3)
			replan(wt, wt->speed / 2, wt->paused);
	}
	/* a last line without its end, after any stop but on_line's (after a failed read too, its
	 * error kept); its rejects are said once the screen is closed */
	struct err read_e = wt->e;
	if (watch_finish(wt) < 0 && rc == 0)
		rc = -1;
	else if (rc < 0)
		wt->e = read_e;
	endwin();
	delscreen(scr);
	return rc;
}

/* ---- the command ---- */

/* --speed given a file, which is followed, not played: a usage error. */
static int speed_of_file(const char *path)
{
	char *word = text_shell_word(path);
	int rc = cli_usage_error("watch", "--speed plays a stored trace; a file is followed as it grows "
	                         "(import it to play it back: llmcost import %s%s)", word ? word : path, cli_db_words());
	free(word);
	return rc;
}

int cmd_watch(int argc, char **argv)
{
	enum { SPEED = CLI_LONG, DB };
	static const struct option longopts[] = {
		{ "scenario", required_argument, 0, 's' }, { "speed", required_argument, 0, SPEED },
		{ "db", required_argument, 0, DB }, { 0, 0, 0, 0 },
	};
	const char *db = NULL, *scen = NULL, *speed_arg = NULL;
	double speed = 1;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = cli_getopt("watch", argc, argv, ":s:", longopts, 0)) != -1) {
		switch (c) {
		case 's':
			if (cli_one_scenario("watch", optarg, &scen) < 0)
				return EXIT_USAGE;
			break;
		case SPEED:
			if (parse_speed(optarg, &speed) < 0)
				return cli_usage_error("watch", "--speed takes a factor above 0 and at most 1e9 (60 plays "
				                       "a minute a second), not \"%s\"", optarg);
			speed_arg = optarg;
			break;
		case DB:
			if (cli_db_arg("watch", optarg, &db) < 0)
				return EXIT_USAGE;
			break;
		default:
			return cli_option_error("watch", c, argv, longopts);
		}
	}
	if (optind >= argc)
		return cli_usage_error("watch", "name a JSON Lines file to follow or a stored trace to play");
	if (optind + 1 < argc)
		return cli_usage_error("watch", "one file or trace at a time (unexpected \"%s\")", argv[optind + 1]);
	if (cli_operand_arg("watch", argv[optind], "FILE|TRACE", "name a JSON Lines file to follow or a "
	                    "stored trace to play") < 0)
		return EXIT_USAGE;

	if (strcmp(argv[optind], "-") == 0)
		return cli_usage_error("watch", "\"-\": watch follows a file or plays a stored trace, not standard "
		                       "input; write the lines to a file and follow it, or store them first and play "
		                       "them back: llmcost import - --name NAME%s && llmcost watch NAME --speed N%s "
		                       "(./- is a file named -)", cli_db_words(), cli_db_words());

	struct watch wt;
	struct scenario sc = { 0 };
	struct store s = { 0 };
	struct stat st;
	int rc;
	memset(&wt, 0, sizeof wt);
	wt.name = argv[optind];
	wt.sc = &sc;
	wt.sc_arg = scen ? scen : "recorded";
	wt.speed = speed;
	wt.last_ts = INT64_MIN;
	jsonl_init(&wt.jp);
	if (trace_alloc(&wt.w, &(struct trace_shape){ 0 }) < 0 || !(wt.w.name = strdup(wt.name))) {
		cli_error("out of memory");
		return EXIT_FAIL;
	}
	if ((rc = scen ? replay_load_scenario(scen, &sc) : scenario_builtin("recorded", &sc, &wt.e) < 0
	          ? EXIT_INPUT : EXIT_OK) != EXIT_OK) {
		if (!scen)
			cli_error("%s", wt.e.msg);
		goto out;
	}
	rc = EXIT_FAIL;
	/* a file is followed; a folder, a name that is no file, or any bare name with --speed is a
	 * stored trace (a path with --speed is a file: refused below) */
	int a_file = stat(wt.name, &st) == 0 && !S_ISDIR(st.st_mode);
	if (a_file && speed_arg && strchr(wt.name, '/')) {
		rc = speed_of_file(wt.name);
		goto out;
	}
	wt.is_file = a_file && !speed_arg;
	if (wt.is_file && S_ISFIFO(st.st_mode)) {
		/* a pipe (a FIFO, /dev/stdin or <(cmd)'s /dev/fd/N on one): refused as follow_open refuses
		 * it, saying why and what to run instead */
		char *word = text_shell_word(wt.name);
		cli_error("%.300s: a pipe, not a regular file: watch follows a file as it grows, read again "
		          "through truncation and rotation, not a stream; write the lines to a file and follow it (cmd >> FILE & "
		          "llmcost watch FILE), or store them and play them back: cmd | llmcost import - "
		          "--name NAME%s && llmcost watch NAME --speed N%s", word ? word : wt.name, cli_db_words(),
		          cli_db_words());
		free(word);
		goto out;
	}
	if (wt.is_file) {
		char magic[2];
		/* a store at once, as import refuses it (not millions of lines that are no JSON) */
		if (follow_open(&wt.fol, wt.name, &wt.e) < 0 || reader_refuse_sqlite(wt.fol.fd, wt.name, &wt.e) < 0) {
			cli_error("%s", wt.e.msg);
			goto out;
		}
		if (pread(wt.fol.fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic && is_gzip(magic, sizeof magic)) {
			/* at once, though no line of it has ended yet */
			refuse_file(&wt, "gzip-compressed");
			cli_error("%s", wt.e.msg);
			rc = EXIT_INPUT;
			goto out;
		}
	} else {
		struct store_trace_info info;
		int found;
		if (store_open_existing(&s, cli_db_path(db), cli_no_store_hint(db), &wt.e) < 0) {
			if (a_file)
				rc = speed_of_file(wt.name);
			else
				cli_error("no file named \"%s\", and %s", wt.name, wt.e.msg);
			goto out;
		}
		if ((found = store_find(&s, wt.name, &info, &wt.e)) <= 0) {
			if (found == 0 && a_file)
				rc = speed_of_file(wt.name);
			else if (found == 0)
				cli_error("no file or stored trace named \"%s\" in %s (llmcost traces lists them)", wt.name,
				          s.path);
			else
				cli_error("%s", wt.e.msg);
			goto out;
		}
		if (store_load(&s, wt.name, &wt.full, &wt.e) < 0) {
			cli_error("%s", wt.e.msg);
			goto out;
		}
		store_close(&s);
		/* a model the pricing table lacks refused at once, as `replay` refuses the trace (exit 3),
		 * not when the playback reaches its first line, hours later at --speed 1 */
		int unpriced = replay_check_models(&wt.full, &sc, &wt.e);
		if (unpriced < 0) {
			if (unpriced == -1) {
				err_prefix(&wt.e, "scenario \"%s\": ", sc.name ? sc.name : wt.sc_arg);
				rc = EXIT_INPUT;
			}
			cli_error("%s", wt.e.msg);
			goto out;
		}
		if (!(wt.order = trace_arrival_order(&wt.full))) {
			cli_error("out of memory");
			goto out;
		}
		wt.in_order = 1;
		for (uint32_t i = 0; i < wt.full.n_req && wt.in_order; i++)
			wt.in_order = wt.order[i] == i;
		if (wt.in_order) {
			/* the trace so far is the stored one's first requests: a view of it, not a copy
			 * (a playback holds its trace once), and no order to keep */
			free(wt.order);
			wt.order = NULL;
			trace_free(&wt.w);
			watch_prefix(&wt.full, 0, 0, &wt.w);
			wt.w_view = 1;
		}
		wt.play_from_mono = clock_us(CLOCK_MONOTONIC);
		wt.play_from_data = wt.full.n_req ? trace_ts_us(&wt.full, played(&wt, 0)) : 0;
	}

	struct sigaction sa = { .sa_handler = on_stop }, old_int, old_term;
	sigemptyset(&sa.sa_mask);
	watch_stop = 0;
	cli_catch_signal(SIGINT, &sa, &old_int);
	cli_catch_signal(SIGTERM, &sa, &old_term);
	setlocale(LC_CTYPE, "");
	console_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0; /* how console_put shows text */
	int screen = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	wt.say_rejects = !screen;
	wt.say_unpriced = !screen;
	int ok = (screen ? run_screen(&wt) : run_lines(&wt)) == 0;
	if (screen)
		say_kept_rejects(&wt);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (!ok) {
		if (wt.bad_input) {
			cli_error("%s", wt.e.msg);
			rc = EXIT_INPUT;
		} else {
			cli_error("watch: %s", wt.e.msg);
		}
		goto out;
	}
	rc = watch_stop ? 128 + watch_stop : EXIT_OK;
out:
	if (wt.have_res)
		result_scenario_fini(&wt.res);
	if (wt.is_file && wt.fol.path)
		follow_close(&wt.fol);
	jsonl_fini(&wt.jp);
	free(wt.calls);
	free(wt.kept);
	free(wt.tn);
	free(wt.res_tn);
	free(wt.order);
	if (!wt.w_view) /* (a view's columns are full's) */
		trace_free(&wt.w);
	trace_free(&wt.full);
	store_close(&s);
	scenario_fini(&sc);
	return rc;
}
