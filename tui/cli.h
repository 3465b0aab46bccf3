/*
 * The command-line front end: one table of commands {name, args, help, fn}
 * drives dispatch, `llmcost help` and `llmcost CMD --help`.  Each command lives
 * in tui/cmd_NAME.c and returns one of the exit codes below.
 */
#ifndef TUI_CLI_H
#define TUI_CLI_H

#include <signal.h>
#include <stdio.h>

#include "traces/import.h"
#include "traces/store.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_FAIL = 1,      /* something went wrong (I/O, the store) */
	EXIT_USAGE = 2,     /* bad command line */
	EXIT_INPUT = 3,     /* bad input: trace (with --strict), scenario, pricing */
};

struct command {
	const char *name;
	const char *args;   /* synopsis after the name */
	const char *help;   /* one line */
	const char *usage;  /* the full --help text: options and examples */
	int (*fn)(int argc, char **argv);
};

extern const struct command commands[];

/* Prints "llmcost: MSG" on stderr (printf format). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fflush(stdout) in the middle of a command, keeping the errno of its first failure for the
 * message at the exit (cli_output_errno), which the work after it would overwrite.  Returns
 * fflush's result. */
int cli_flush(void);
/* 1 when a write to stdout has failed so far (its error flag), keeping the errno of that failure
 * as cli_flush does: for a command that prints as it reads, to stop at the first failure.  Called
 * right after the writes, before other work overwrites errno (which the caller zeroes before them). */
int cli_output_failed(void);
/* The errno of cli_flush's (or cli_output_failed's) first failure, else 0. */
int cli_output_errno(void);
/* Says what the command has done for good (`what`, a static string: "the import is done"),
 * so that a failure to write its summary afterwards is not taken for its own (cli_output_done_what). */
void cli_output_done(const char *what);
const char *cli_output_done_what(void);

/* Prints the command's --help text on f: its synopsis (args) wrapped by cli_wrap. */
void cli_usage(const struct command *c, FILE *f);

/* The width the help fits: a terminal's 80 columns. */
#define CLI_HELP_COLS 80

/* Prints s, the rest of a line already at column col, breaking it at spaces so that no line
 * passes CLI_HELP_COLS columns (characters, not bytes), never inside [...] (the synopsis's
 * "[--by tenant|task|model|time]" stays whole); a continuation line starts with indent spaces.
 * Ends the line. */
void cli_wrap(FILE *f, int col, int indent, const char *s);

/* Reports a usage error for command cmd (NULL: llmcost itself), with where its --help is;
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * The usage error for what getopt_long returned as c (':' or '?') in argv,
 * naming the option as typed, and for an unknown long option the one it may be a slip of
 * ("unknown option --jsno (did you mean --json?)").  Long options without a short form have values
 * of CLI_LONG and up, so that a value given to one that takes none is told apart.
 */
#define CLI_LONG 256
struct option;
int cli_option_error(const char *cmd, int c, char **argv, const struct option *longopts);

/*
 * getopt_long for a command's option loop (optind set to 1 and opterr to 0 before the first
 * call, as for getopt_long), with two more usage errors, said at once and returned as
 * CLI_OPTION_SAID, for which cli_option_error (the loop's default case) only returns EXIT_USAGE:
 * - a value given as the next word that is one of the command's options (`--record --dry-run`:
 *   `--NAME` or `--NAME=…` that getopt_long would take as one of longopts, --help, `-c…` for a
 *   short option c or -h), which would be taken for the value and the option lost; a value so
 *   spelled is given in the same word (`--record=--dry-run`).  A word that is no option of the
 *   command (`-`, `-5`, `--nosuch`) is a value as before;
 * - a second use of an option that takes a value (`--max-usd 1 --max-usd 5`), which would
 *   replace the first without a word; but for `repeatable`, the val of the one option that may
 *   be given more than once (replay's and tui's -s), or 0.  A flag given twice is the flag.
 */
#define CLI_OPTION_SAID (-2)
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
               const struct option *longopts, int repeatable);
/* The long option that `typed` (an unknown one, without its dashes) may be a slip of, by the
 * rule a mistyped command name gets its suggestion by: among longopts, --help (every
 * command's) and for llmcost itself (cmd NULL) --version; a value given (=VALUE) left out.
 * NULL when none is that close. */
const char *cli_option_slip(const char *cmd, const char *typed, const struct option *longopts);

/* -s's value for a command that takes one scenario: a usage error (-1) when it is empty (a
 * second one is cli_getopt's). */
int cli_one_scenario(const char *cmd, const char *arg, const char **scen);

/* An operand of the command (its usage's `op`: TRACE, FILE, NAME): a usage error (-1) when it
 * is empty, as an unset variable in a script makes it, which names no file and no trace; `what`
 * says what to give instead ("name a stored trace or a trace file"). */
int cli_operand_arg(const char *cmd, const char *arg, const char *op, const char *what);

/* --db's value, every command's: a usage error (-1) when it is no file path: empty (as an unset
 * variable in a script makes it), SQLite's :memory:, or ending in / (a folder). */
int cli_db_arg(const char *cmd, const char *arg, const char **db);
/* " --db PATH" (quoted for sh) when the command line named its store with --db, else "": for
 * the commands the messages suggest, so that they reach the same store. */
const char *cli_db_words(void);

/*
 * Installs sa for sig unless sig is ignored: a signal inherited as ignored (nohup's SIGHUP,
 * the SIGINT and SIGQUIT of a job that a non-interactive shell started with &) was meant to
 * stay ignored, so it is left so.  old (may be NULL) gets the action there was, for
 * sigaction(sig, old, NULL) to put back either way.  Returns 1 when installed, 0 when left
 * ignored.  Every handler of a stop signal (SIGINT, SIGTERM, SIGHUP) goes through here.
 */
int cli_catch_signal(int sig, const struct sigaction *sa, struct sigaction *old);

/* The commands (not the console) wait for another process's lock on the store as long as it
 * is held, saying so once on stderr after a second; Ctrl-C ends the wait. */
void cli_wait_for_locks(void);

/* llmcost's folder among the user's data: $XDG_DATA_HOME/llmcost when XDG_DATA_HOME is an
 * absolute path (the XDG spec ignores a relative one), else ~/.local/share/llmcost.  Returns a
 * static buffer, or NULL when HOME is not set either. */
const char *cli_data_dir(void);

/* The store path: --db when given, else $LLMCOST_DB, else cli_data_dir()/llmcost.db.  Returns
 * a static buffer; when there is no default store (no HOME), says so and exits 1; when
 * $LLMCOST_DB is one that cli_db_arg refuses as --db (an empty one is unset), says so naming
 * LLMCOST_DB and exits 2. */
const char *cli_db_path(const char *opt_db);

/* cli_db_path, and for the default store (no --db, no $LLMCOST_DB) its folder made when
 * absent, for commands that may create the store; a path given is used as it is. */
const char *cli_db_path_made(const char *opt_db);

/* What makes the store that is not there, for "there is no store PATH (HINT)": "llmcost import
 * FILE makes it", or, for a path given (--db, $LLMCOST_DB) whose folder does not exist, which
 * import makes for the default store alone, that the folder is missing.  A static buffer. */
const char *cli_no_store_hint(const char *opt_db);

/* "… and N more rejected lines" on stderr, after the first rejects named (none when n is 0). */
void cli_more_rejects(uint64_t n);

/* Says why the store could not be opened: msg, or when cli_db_path_made could not make the
 * default store's folder, which folder and why ("~/.local: Permission denied"), which msg
 * ("its folder does not exist") would hide. */
void cli_store_error(const char *msg);

/* The absolute name of path, which need not exist but whose folder must: the folder's real
 * path and path's last part.  0, or -1 when the folder is not there or n is too small. */
int cli_real_name(const char *path, char *out, size_t n);

/*
 * Imports files into s with the messages people expect (tui/cli_import.c): the
 * first 20 rejected lines on stderr, a progress line on a terminal, Ctrl-C
 * abandoning the import, then "NAME: imported N requests[, rejected …]" per
 * trace on `summary`.  Returns an exit code (130 when interrupted), or with
 * opts->exists_ok CLI_IMPORT_EXISTS, unreported, when the name was stored already.
 */
#define CLI_IMPORT_EXISTS (-1)
/* When set (by the console, whose screen stderr is not), cli_import reports its progress to
 * this instead of a line on the terminal; and a signal its caller caught (*caught non-zero)
 * before the import's own handlers were in place abandons the import as that signal would. */
struct cli_import_hook {
	void (*progress)(void *ctx, uint64_t lines, uint64_t bytes, uint64_t total, double seconds);
	void *ctx;
	volatile sig_atomic_t *caught;
};
extern struct cli_import_hook cli_import_hook;
/* Around the opening of a store for an import (`import`, and `replay`/`tui`/`live` of a trace
 * file, imported on first use): Ctrl-C, Ctrl-\, SIGTERM and SIGHUP are caught from
 * cli_import_guard on, so that one in the opening's wait for another process's lock stops the
 * wait, and a cli_import run meanwhile abandons at once; cli_import_unguard puts back the
 * handlers there were and returns the signal caught (0: none).  cli_import_stopped(sig) says
 * "interrupted: nothing was imported" (the signal's word) and returns its exit code, 128 + sig. */
void cli_import_guard(void);
int cli_import_unguard(void);
int cli_import_stopped(int sig);
int cli_import(struct store *s, const char *const *files, size_t n, const struct import_opts *opts,
               int quiet, FILE *summary, struct store_trace_info *infos);

int cmd_import(int argc, char **argv);
int cmd_traces(int argc, char **argv);
int cmd_rejects(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_tui(int argc, char **argv);
int cmd_live(int argc, char **argv);
int cmd_watch(int argc, char **argv);

/* tui/cmd_replay.c, shared with the console (tui/cmd_tui.c, tui/console_model.c): a scenario
 * by file or bundled name (errors printed, an exit code returned), the stored trace for a
 * name or regular file (imported on first use, under the name `as` when not NULL; a pipe or
 * device is a usage error, exit 2). */
struct scenario;
struct store;
int replay_load_scenario(const char *arg, struct scenario *sc);
int replay_find_trace(struct store *s, const char *arg, const char *as, char *name, size_t n);
/* The store of --db `db` (cli_db_path) for `replay`/`tui`/`live` of trace_arg (may be NULL):
 * made if need be, with the default store's folder (cli_db_path_made), but a stored name needs
 * one (a mistyped name makes neither, no file and no folder).  Prints why not; an exit code. */
int replay_open_store(struct store *s, const char *db, const char *trace_arg);

/*
 * The caches' normalized inputs outlive the process in the store, so that only
 * a trace's first replay under a set of normalization steps makes them (0.6 s
 * for 2 million inputs).  replay_norms_wanted: the sets the scenarios' caches
 * read, as bits 1 << flags.  replay_norms_restore gives rt the wanted sets that
 * the store keeps for trace `name` (t) and returns those it gave;
 * replay_norms_keep keeps the wanted sets rt has made, but for those given.
 * Neither fails: a set not given is made, one not kept is made next time.
 */
struct replay_trace;
struct trace;
#define REPLAY_NORMS_ALL 0xfeu /* every non-empty set of the three steps */
unsigned replay_norms_wanted(const struct scenario *sc, size_t n);
unsigned replay_norms_restore(struct store *s, const char *name, const struct trace *t,
                              struct replay_trace *rt, unsigned wanted);
void replay_norms_keep(struct store *s, const char *name, const struct trace *t,
                       const struct replay_trace *rt, unsigned wanted, unsigned given);

#endif
