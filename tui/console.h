/*
 * The console, `llmcost tui` (SPEC §7): the interfaces its files share.
 * console.c runs the screen (terminal setup and restore, the frame loop),
 * console_keys.c holds the key table and its actions, console_draw.c draws a
 * frame (header, status line, help, notes); console_model.c holds the trace,
 * the scenarios, their latest results and the notes on them (replay's, from
 * tui/replay_notes.c) and re-runs scenarios on worker threads; console_cmd.c is the `:` command line (readline), console_cmd_exec.c
 * its command table and commands, console_cmd_complete.c its completion;
 * console_text.c formats and clips text; console_view_*.c draw one view each.
 *
 * Threads: everything here runs on the main thread, except the replay jobs
 * that console_model.c hands to its workers; those only touch their own job.
 * Errors: functions that can fail return 0 / -1 and fill a struct err with a
 * message for the status line.  Ownership is stated per function.
 */
#ifndef TUI_CONSOLE_H
#define TUI_CONSOLE_H

#include <curses.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/replay.h"
#include "sim/result.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "traces/report.h"

/* The smallest screen the console draws in; below it, a notice says so. */
#define CONSOLE_MIN_COLS 60
#define CONSOLE_MIN_LINES 15

/* ---- the model: trace, scenarios, results, worker threads (console_model.c) ---- */

struct console_scen {
	unsigned id;                /* stable while the scenario is open */
	char *label;                /* the handle commands use ("v3"), unique */
	struct scenario sc;         /* the scenario as edited */
	unsigned gen;               /* bumped by every edit and run request */
	/* the result shown and the private copy of sc it was computed from (the
	 * result borrows model names from the copy's price table) */
	struct scenario *ran;
	struct result_scenario res;
	int has_res;
	/* the derived figures (result_derive) of each tenant and task of res, computed
	 * by the worker with it: exact projections cost microseconds each, too much to
	 * redo for 10,000 tenants while a frame is drawn */
	struct derived *tenant_derived, *task_derived;
	char *error;                /* the last run's failure as replay words it, or NULL */
	char *failed_edit;          /* the file of an edit that did not load, which the next
	                             * `scenario edit` reopens, or NULL */
	int error_new;              /* that failure is not yet on the status line */
	int unsaved;                /* edited (set, unset, scenario edit) since opened or saved */
	unsigned busy;              /* jobs queued or running */
};

struct console_job;

/* A note on the results shown, or the billed cost's warning, worded as `llmcost replay` words it
 * on stderr (tui/replay_notes.c): each text once, however many scenarios it is about. */
struct console_note {
	char *text;                 /* "note: scenario \"baseline\": its routes …", no "llmcost: " */
	unsigned *ids;              /* the scenarios it is about, by id */
	size_t n_ids;
	int said;                   /* on the status line since it came, or since it took in a scenario */
};

struct console_model {
	char *db_path;
	char *trace_name;           /* NULL before a trace is open */
	struct trace *trace;        /* heap: the prepared trace points at it */
	struct replay_trace *rt;
	struct trace_summary summary;
	unsigned norms_kept;        /* the store's sets of its normalized inputs (replay_norms_keep) */
	char trace_import[32];      /* the open trace's import time (store.loaded_import) */

	size_t n_scen;
	struct console_scen **scen; /* display order; [0] is the reference */
	unsigned next_id;
	unsigned data_gen;          /* bumped whenever a shown result or the trace changes */
	struct console_note *notes; /* on the results shown, in replay's order (console_model_notes) */
	size_t n_notes;

	/* workers */
	pthread_t threads[8];
	size_t n_threads;
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* work queued, or shutting down */
	pthread_cond_t idle_cv;     /* a job finished */
	struct console_job *queue, *done;
	size_t in_flight;           /* queued + running */
	int quit;
	int wake[2];                /* a byte per finished job, for the frame loop's poll */
	double batch_t0;            /* when in_flight last rose from 0 */
	double batch_end;           /* when it last fell to 0 */
	double last_run_s;          /* wall time of the last complete batch of runs, time stopped not counted */
	size_t n_started;           /* workers that have taken their index (worker_progress) */
	/* each worker's run under way: the requests it has taken in (0 when idle); its stop ends it */
	struct replay_progress worker_progress[8];
	uint64_t batch_done;        /* requests taken in by the batch's runs that ended */
	uint64_t batch_requests;    /* and the requests its runs take in all */
};

/* Starts the workers.  db_path is copied.  Returns 0 or -1. */
int console_model_init(struct console_model *m, const char *db_path, struct err *e);
/* Waits for running jobs, stops the workers and frees everything. */
void console_model_fini(struct console_model *m);

/* Opens stored trace `name` (store_load + replay_prepare), dropping every shown
 * result, and re-runs every scenario. */
int console_model_open_trace(struct console_model *m, const char *name, struct err *e);

/* The same in two steps, so that the reading (seconds for millions of requests) can run on a
 * thread of its own while the console says what it is loading: console_model_read touches no
 * model (db_path is read only), fills o (0), or leaves it empty (-1, e set); phase says what it
 * is doing, for another thread to read.  console_model_show (on the main thread) takes o's trace
 * over as console_model_open_trace would show it; console_opening_fini frees what o holds. */
enum console_open_phase { CONSOLE_OPEN_READING, CONSOLE_OPEN_PREPARING, CONSOLE_OPEN_NORMS };
struct console_opening {
	struct trace *t;
	struct replay_trace *rt;
	char *name;
	unsigned norms;
	char import[32];
	_Atomic int phase;          /* enum console_open_phase */
};
int console_model_read(const char *db_path, const char *name, struct console_opening *o, struct err *e);
int console_model_show(struct console_model *m, struct console_opening *o, struct err *e);
void console_opening_fini(struct console_opening *o);

/* `load TRACE [--name NAME]`: a stored name or a file (imported on first use, as NAME when
 * not NULL), as `llmcost replay` finds it; the message printed by the import, if any, goes
 * to info.  0 when opened; -1 on an error; the signal's number when one abandoned the import,
 * or when *stop (a signal caught, when stop is not NULL) was set once the trace was read, which
 * leaves the trace shown as it was. */
int console_model_load(struct console_model *m, const char *arg, const char *as,
                       const volatile sig_atomic_t *stop, char *info, size_t n, struct err *e);

/* Adds a scenario: `file` a scenario file, or NULL to resolve `label` like
 * `replay -s` (a file, a bundled name, "recorded").  The label is made unique.
 * The new scenario runs at once. */
int console_model_add(struct console_model *m, const char *label, const char *file,
                      struct err *e);
/* Adds an already loaded scenario (taken over, also on failure). */
int console_model_add_loaded(struct console_model *m, const char *label, struct scenario *sc,
                             struct err *e);
int console_model_drop(struct console_model *m, const char *label, struct err *e);

/* The scenario with this label, or NULL; *index gets its position when not NULL. */
struct console_scen *console_model_find(struct console_model *m, const char *label, size_t *index);

/*
 * Splits "[SCENARIO.]KEY.PATH": when the text starts with a scenario label and
 * '.', that scenario and the rest; else `dflt` and the whole text.
 */
struct console_scen *console_model_split_path(struct console_model *m, const char *text,
                                              struct console_scen *dflt, const char **path);

/* `set` / `unset` (value NULL): edits the scenario and re-runs it; on failure
 * nothing changes and e holds "LABEL: PATH: why". */
int console_model_set(struct console_model *m, struct console_scen *s, const char *path,
                      const char *value, struct err *e);

/* Replaces a scenario by JSON text (`scenario edit`), relative paths as before. */
int console_model_replace(struct console_model *m, struct console_scen *s, const char *json,
                          struct err *e);

/* Queues a re-run of s (of every scenario when s is NULL). */
int console_model_run(struct console_model *m, struct console_scen *s, struct err *e);

/* Publishes finished jobs whose scenario was not edited since; returns how many. */
int console_model_collect(struct console_model *m);

/* Blocks until no job is queued or running (and publishes them). */
void console_model_wait(struct console_model *m);

/* Jobs queued or running. */
size_t console_model_busy(struct console_model *m);

/* Seconds since the running batch started (0 when idle), the share of its requests its runs
 * have taken in, in percent (0 when idle), and how many runs have taken in the whole trace and
 * are finishing (their figures made: percentiles, each tenant's, which the share does not count
 * and which take seconds for many tenants). */
double console_model_running_s(struct console_model *m, int *percent, size_t *finishing);
/* 1 when a run that has taken in `taken` of a trace's n_req requests is finishing: past its last
 * whole step of progress (REPLAY_PROGRESS_STEP; the rest is counted when the run returns), for a
 * trace of a step or more (a smaller one finishes at once). */
int console_model_finishing(uint64_t taken, uint64_t n_req);
/* The console was stopped (Ctrl-Z) from `since` for `seconds`: a batch's time leaves them out. */
void console_model_stopped(struct console_model *m, double since, double seconds);

/* Makes the notes on the results shown anew (each scenario's with its result, as replay makes
 * them); one that is about a scenario it was not about before is not yet said. */
void console_model_notes(struct console_model *m);
/* The notes about scenario s. */
size_t console_model_noted(const struct console_model *m, const struct console_scen *s);

/* `export json|csv FILE`: every scenario must have a result.  The file is replaced whole or not
 * at all (traces/replace.h), written by a child process: meanwhile tick(ctx, bytes written,
 * seconds since it began), when not NULL, is called at once and then about 8 times a second, and
 * a non-zero return stops the export at once, the file left as it was (a hidden file made for
 * it removed); that value is returned then.  Else 0, or -1 with e set. */
int console_model_export(struct console_model *m, int csv, const char *path,
                         int (*tick)(void *ctx, uint64_t bytes, double seconds), void *ctx, struct err *e);

/* A scenario's column title: its name (its label before it has run), with " (label)" when
 * another open scenario has the same name (console_scen_shared); in buf when it needs one.  It
 * holds at most CONSOLE_TITLE_MAX - 1 bytes: a name longer loses its middle (console_copy),
 * never its " (label)". */
#define CONSOLE_TITLE_MAX 512
const char *console_scen_title(const struct console_model *m, const struct console_scen *s,
                               char buf[CONSOLE_TITLE_MAX]);
/* 1 when another open scenario has s's name (and s's name is not its label). */
int console_scen_shared(const struct console_model *m, const struct console_scen *s);

/* Seconds on a monotonic clock. */
double console_now(void);

/* Why curses could not take the terminal (newterm failed), for a message in buf: TERM unset, a
 * type terminfo lacks (with a hint, as for TERM=dumb), or LINES/COLUMNS past curses' 32767. */
const char *console_term_problem(char *buf, size_t n);

/* Once curses has the terminal (newterm): NULL when it can move the cursor; else (TERM=dumb,
 * whose screen could only be printed line by line) why, for `who` ("the console", "watch"), in
 * buf, with the hint to set TERM.  The console and watch refuse such a terminal alike. */
const char *console_term_no_cursor(const char *who, char *buf, size_t n);

/* ---- text (console_text.c) ---- */

#define CONSOLE_TEXT_MAX 96

/* Display columns of UTF-8 text as console_put shows it (with its escapes). */
int console_text_width(const char *s);
/* src into dst of n bytes; a src longer loses its middle to "…" (its start and its end kept,
 * whole characters only: a byte cut never splits one). */
void console_copy(char *dst, size_t n, const char *src);

/*
 * Draws s at (y, x) in at most `width` columns, padded with blanks to exactly
 * `width` when pad, aligned left or (right) right; text that does not fit is
 * cut with "…" (or "~" without UTF-8).  Control characters, bidirectional
 * overrides and bytes that are not UTF-8 are shown as traces/text.h escapes them
 * (\u0009, \u202e, \xff).  Returns the columns drawn.
 */
int console_put(WINDOW *w, int y, int x, const char *s, int width, int right, int pad);
/* name in at most width columns as console_put_name shows it, in a new string (NULL when out
 * of memory): whole when it fits, else its middle cut at characters, "…" in its place. */
char *console_cut_name(const char *name, int width);
/* console_cut_name of each of names[0..n) to widths[k] columns, in cuts[k] (new strings, the
 * caller's; NULL when out of memory), but for names that differ and whose cuts would read the
 * same: those keep less of their start and more of their end (where handles and numbers tell
 * them apart: "fl…g2)" and "fl…-2)", not "flo…2)" twice), as far as the widths allow. */
void console_cut_apart(const char *const *names, const int *widths, size_t n, char **cuts);
/* console_put of a name: one that does not fit loses its middle to "…" ("..." without UTF-8),
 * keeping the end that tells names of one prefix apart (traces/text.h). */
int console_put_name(WINDOW *w, int y, int x, const char *name, int width, int right, int pad);
/*
 * The widths of n scenario columns side by side (Compare, Tenants across the scenarios), in
 * colw: each as wide as its figures (need[k]) or its title (title_w[k]), whichever is wider,
 * but a title takes no more than the room that lets the first column (the reference) and any
 * other one show together in `room` columns, `gap` apart: the reference's title at most half
 * of it, another's what the reference leaves.  Which columns show is the view's: same(ctx,
 * colw) is called first with every title cut to its figures (as many columns as their figures
 * let), where it notes the columns in view, then with wider titles, answering 1 when the same
 * columns are in view.  The titles take the widest width that keeps them (found by halving),
 * so the longest names are cut first and only as far as they would keep a column out of
 * sight, and a name is whole when there is room for it.  A title wider than its column is
 * drawn with console_put_name, its middle cut.
 */
void console_scen_fit(const int *need, const int *title_w, size_t n, int room, int gap,
                      int (*same)(void *ctx, const int *colw), void *ctx, int *colw);
/* A view's title on row 0 in ROLE_TITLE: one of titles[0..n_titles) (its forms, longest first:
 * with the sort order and key, with the key, bare), then keep (a filter, say; NULL for none),
 * never cut while the line holds it, then "; N columns hidden (widen)" when n_hidden > 0.  What
 * does not fit goes in turn: the sort order, "(widen)", the sort key ("(widen)" back if it then
 * fits), the count of hidden columns; then the bare title loses the middle of what comes before its last ':' (a name), its
 * counts whole, and only past that is it cut at its end. */
void console_put_title(WINDOW *w, const char *const *titles, int n_titles, const char *keep, int n_hidden,
                       int width);

/* Below CONSOLE_MIN_COLS x CONSOLE_MIN_LINES: stdscr says so in its middle, wrapped, with the
 * size it is and that q quits ("terminal too small: WHO needs 60x15, this one is 40x10; q
 * quits"), staged for doupdate; the console's and the watch screen's. */
void console_too_small(const char *who);
/* The same, after `first` when not NULL (what the last key did) and ending in `keys`, what the
 * keys do ("q quits"). */
void console_too_small_said(const char *who, const char *first, const char *keys);
/* Splits s into lines of at most `width` columns, at a blank where one is near enough: the
 * byte offset of each line's start in starts[0..n), n ≤ max returned (the last line holds the
 * rest when more would be needed). */
int console_wrap(const char *s, int width, size_t *starts, int max);

/* "2026-03-02 10:00" (UTC minutes), or with seconds when `secs`. */
const char *console_time_text(int64_t us, int secs, char *buf, size_t n);

/* 1 when the terminal's character set is UTF-8. */
extern int console_utf8;

/*
 * The widest text of a column of figures of one kind, and of their deltas, as
 * report_human_text and report_delta_text write them, without writing every
 * one: each format is monotonic in the value between its breaks (dollars
 * widen upward from $1 and downward below it, latencies change unit at 1 s), so
 * the widest text is that of one of a few extreme values, which _add keeps.
 */
struct console_widest {
	enum report_field_kind kind;
	int any, null, zero;
	money_sum max, min, min_pos, max_neg, max_below_s; /* exact figures */
	int has_pos, has_neg, has_below_s;
	double rmax, rmin;                                 /* ratios */
	/* deltas: the pairs giving the largest change each way */
	int any_delta;
	struct report_value dref[2], dv[2];
	money_sum dmag;                                    /* largest |change| in tenths of a % */
	double dmax, dmin;                                 /* ratio changes, in points */
};
void console_widest_init(struct console_widest *w, enum report_field_kind kind);
void console_widest_add(struct console_widest *w, const struct report_value *v);
void console_widest_add_delta(struct console_widest *w, const struct report_value *ref,
                              const struct report_value *v);
/* Display columns of the widest figure added (0 when none), and of the widest delta. */
int console_widest_width(const struct console_widest *w);
int console_widest_delta_width(const struct console_widest *w);

/* ---- the screen (console.c; console_frame and console_message_fits, console_draw.c) ---- */

enum console_view { VIEW_COMPARE, VIEW_TENANTS, VIEW_TIMELINE, VIEW_BUDGET, VIEW_ALERTS, N_VIEW };

/* Colour roles; console_attr() gives the attributes of the active palette. */
enum console_role {
	ROLE_NORMAL, ROLE_BAR, ROLE_TAB, ROLE_TAB_ACTIVE, ROLE_TITLE, ROLE_CURSOR, ROLE_SELECTED,
	ROLE_BETTER, ROLE_WORSE, ROLE_DIM, ROLE_ERROR, ROLE_INFO, ROLE_ALERT, ROLE_SPARK,
	ROLE_MATCH, N_ROLE
};
attr_t console_attr(enum console_role r);

/* Scroll state of a list: the cursor row and the first row shown. */
struct console_list {
	long cur, top;
};
/* Keeps cur within [0, n) and on screen (`rows` rows shown). */
void console_list_fix(struct console_list *l, long n, int rows);

/* Per-view state that the key table's actions change. */
struct console_viewstate {
	struct console_list list;
	int sort_col, sort_desc;
	char filter[256];
	/* the view's cached row order (tenants, budget, alerts) */
	long *rows;
	long n_rows;
	int hscroll;                /* first scrolled column (compare) */
	long cursor;                /* timeline: the column under the cursor */
	int zoom;                   /* timeline: 1 = one column per bucket */
	size_t per;                 /* timeline: buckets per column when last drawn (0: never) */
};

struct console {
	struct console_model *m;
	size_t sel;                 /* selected scenario */
	enum console_view view;
	struct console_viewstate vs[N_VIEW];
	WINDOW *hdr, *body, *status, *input;
	int too_small;
	int dirty_hdr, dirty_body, dirty_status;
	int help;                   /* an overlay is open: CONSOLE_HELP_KEYS or CONSOLE_HELP_NOTES */
#define CONSOLE_HELP_KEYS 1     /* the keys and commands (?, :help) */
#define CONSOLE_HELP_NOTES 2    /* the notes on the results shown (:notes) */
	unsigned notes_of;          /* the scenario whose notes it shows, by id; 0: every one's */
	int overwrite;              /* the command running was given with ! (export!, save!) */
	const char *loading;        /* the file or trace `load` is opening, while it does */
	long help_top;
	int quit;
	int quit_asked;             /* q found unsaved edits and said so: q again quits */
	int colors;
	/* the status line: a message until the next key, or the command line */
	char msg[1024];
#define CONSOLE_BAND_MAX 4      /* rows at most */
	char band_msg[1024];        /* the message a band above the status line shows in full */
	int band;                   /* that band's rows on screen (0: none) */
	size_t band_starts[CONSOLE_BAND_MAX + 1]; /* where its lines start, the status line's last */
	int msg_error;
	int msg_run;                /* the message ends announcing runs (or is only that): that
	                             * part goes when they end */
	char msg_ran[600];          /* a message that is only that: what it says then, with their
	                             * time ("re-ran 2 scenarios in 0.02 s"; "": nothing) */
	int prompt;                 /* 0, ':' or '/' while the line editor is open */
	/* a bracketed paste (ESC[200~ … ESC[201~) under way: its bytes, kept for the line editor */
	int pasting;
	char paste[4096];
	size_t paste_len;
	char **matches;             /* completion candidates to show (NULL-terminated) */
	long frames;                /* --frames N: 0 = until q */
	unsigned filter_gen;        /* bumped by every filter change */
	/* the Tenants view: 0 = every metric of the selected scenario, 1 = one metric
	 * (tenants_metric) across the scenarios; the sort order of the mode not shown */
	int tenants_across, tenants_metric;
	int tenants_other_sort_col, tenants_other_sort_desc;
};

/* Sets the status line message (printf format); error selects the error colour. */
void console_message(struct console *c, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 1 when msg fits in the status line and the band above it (CONSOLE_BAND_MAX more lines at
 * most) at the terminal's size, and in the message's buffer. */
int console_message_fits(const char *msg);
/* A message announcing runs ("x = 5; re-running", "re-running 2 scenarios"): its last "; "
 * part, or all of it without one, goes when the runs have ended. */
void console_message_runs(struct console *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* What a message that is only the runs' announcement says once they have ended, their time
 * after it (set after console_message_runs; any message after it forgets it). */
void console_message_ran(struct console *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The selected scenario, or NULL when there are none. */
struct console_scen *console_selected(struct console *c);

/* Restores the terminal for a child program (scenario edit) and back. */
void console_suspend(struct console *c);
void console_resume(struct console *c);

/* The terminal's signal keys: interrupt (Ctrl-C), quit (Ctrl-\) and suspend (Ctrl-Z) come as
 * keys, in order with the keys typed before them (on = 0, while the console reads keys: ':' then
 * Ctrl-C at once cancels the line the ':' opened, where the signal came before the ':' was read;
 * the terminal drops the keys typed before a Ctrl-Z's signal).  With on = 1 Ctrl-C and Ctrl-\
 * send their signals again, while the console holds the keys to do one thing (an import, which
 * they abandon); Ctrl-Z stays a key, read when it is done. */
void console_intr_signals(int on);
/* The signal the console's handlers caught (0: none yet), for a load to stop its lock waits and
 * its import on: a signal that lands before the import's own handlers are in place is the
 * console's. */
volatile sig_atomic_t *console_caught(void);
/* After a load: the signal that abandoned it (sig, else one the console caught meanwhile) ends the
 * console at the frame loop's next turn as it would have (128 + sig), but for Ctrl-C, which
 * abandons only the load. */
void console_load_done(int sig);
/* The signal a key read is the terminal's key for (SIGINT, SIGQUIT, SIGTSTP), else 0. */
int console_signal_key(int ch);

/* Marks every window for a redraw. */
void console_dirty(struct console *c);

/* Draws one frame: the windows marked dirty, the overlays, the status line; one doupdate. */
void console_frame(struct console *c);

struct console_opts {
	int no_color;
	long frames;
	/* a stored trace to open first (NULL: the model's is open): read on a thread while a screen
	 * says what is loading (its figures from the store's list: requests, tenants; -1 unknown),
	 * q and Ctrl-C quitting at once; why it failed in *err */
	const char *open;
	int64_t open_requests, open_tenants;
	struct err *err;
};

/*
 * Runs the console on a model whose trace is open (or opens o->open first): sets up the
 * terminal, loops until `q`, Ctrl-C, SIGTERM or --frames, and restores the terminal.
 * Returns an exit code (0, or 1 when the terminal cannot be used or o->open could not be
 * opened: *o->err says why then).
 */
int console_run(struct console_model *m, const struct console_opts *o);

/* ---- the command line (console_cmd.c; the commands, console_cmd_exec.c) ---- */

/* Prepares readline and reads the history file from the user's data folder (each line run is
 * added to it as it runs); console_cmd_fini lets readline go. */
void console_cmd_init(struct console *c);
void console_cmd_fini(struct console *c);
/* Opens the line editor with prompt ':' or '/'. */
void console_cmd_open(struct console *c, int prompt);
/* Feeds one key (a curses key code) to the open line editor. */
void console_cmd_key(struct console *c, int key);
/* Closes the open line editor, its line dropped (Esc alone, Ctrl-C): a '/' filter goes back to
 * what it was when the editor opened. */
void console_cmd_cancel(struct console *c);
/* Inserts pasted text at the open line editor's cursor, every control character (a newline,
 * a CR, a tab) as a blank: a paste is never run, nor taken as keys. */
void console_cmd_paste(struct console *c, const char *text, size_t len);
/* Draws the open line editor on the status window and leaves the cursor there. */
void console_cmd_draw(struct console *c, WINDOW *w);
/* Runs one command line as if typed after ':'. */
void console_cmd_exec(struct console *c, const char *line);

/* The command table, for the help screen. */
struct console_command {
	const char *name;           /* one or two words: "set", "scenario add" */
	const char *args;
	const char *help;
	int (*fn)(struct console *c, const char *args, struct err *e);
	int (*complete)(struct console *c, const char *text, int argno, const char *line,
	                char ***out);
	int writes;                 /* writes a file: refuses an existing one unless given as NAME! */
};
extern const struct console_command console_commands[];

/* ---- views (console_view_*.c) ---- */

struct console_view_ops {
	const char *name;
	void (*draw)(struct console *c, WINDOW *w, int rows, int cols);
	/* rows the list has (for scrolling keys); NULL: the view scrolls nothing */
	long (*n_rows)(struct console *c);
	/* the sortable columns: name for `s`, count */
	int n_sort;
	const char *const *sort_names;
	/* when the columns depend on the state (NULL: n_sort and sort_names): how many,
	 * and the name of one (borrowed, valid until the next call) */
	int (*sort_count)(struct console *c);
	const char *(*sort_name)(struct console *c, int col);
	/* the rows a page (PgUp, PgDn) moves in a body `height` lines high: those the view shows
	 * (NULL: a list's under its title and head, console_view_list_fit) */
	int (*page)(struct console *c, int height);
};

extern const struct console_view_ops console_view_compare, console_view_tenants,
	console_view_timeline, console_view_budget, console_view_alerts;

/* Tenants view actions of the key table: `m` switches between every metric of
 * the selected scenario and one metric across the scenarios, keeping the
 * cursor on its tenant; `M` shows the next metric across the scenarios (arg
 * +1) or the previous one (arg -1), or, from the other mode, switches to the
 * mode across with the metric it showed last. */
void console_view_tenants_mode(struct console *c, int arg);
void console_view_tenants_metric(struct console *c, int arg);

/* The first §5 field name that Compare's rows (or the Tenants and Budget views' columns and
 * metrics) give and traces/report.h does not know, else NULL: the names are text, so the unit
 * tests check them all, not only those a screen happens to show. */
const char *console_view_compare_unknown_field(void);
const char *console_view_groups_unknown_field(void);

/* The sorts the Tenants and Budget views have made of their rows since the program began: a
 * sort is made when the result or the sort order changes, never for a key that moves the
 * cursor, nor for a filter (for the tests). */
unsigned long console_view_groups_sorts(void);
/* The times they have measured their columns' widths: when the result (or the metric across
 * the scenarios) changes, over every row, never for a filter nor a scroll (for the tests). */
unsigned long console_view_groups_measures(void);

/* Rows of a list view's body (its title rows excluded). */
int console_view_list_rows(int rows);
/* The rows a list of n shows in a body of `height`: console_view_list_rows, less the line under
 * them that console_view_list_more writes when they do not all fit. */
int console_view_list_fit(long n, int height);
/* When the n rows of list l do not all fit in `rows` (console_view_list_fit): under them, at
 * line y + rows (y the line of the first row: 2 under a list view's title and head, 1 under
 * Compare's names), how many are above and below. */
void console_view_list_more(WINDOW *w, const struct console_list *l, long n, int y, int rows, int width);

/* 1 when `name` contains the filter, case folded by code point ("ünï" finds "Ünïcødé"); an
 * empty filter matches all. */
int console_view_match(const char *name, const char *filter);

#endif
