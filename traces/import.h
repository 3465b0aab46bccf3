/*
 * Trace import: files → line reader → a format's parser (traces/format.h) → store, all
 * inside one transaction.  Accepted lines become requests; malformed ones are reported
 * through a callback and kept in the rejects table.  The caller (the command
 * line) decides what to print; this module only reports.
 */
#ifndef TRACES_IMPORT_H
#define TRACES_IMPORT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "traces/format.h"
#include "traces/store.h"

/*
 * How a signal handler stops an import: import_stop_request records the signal
 * in `requested` (0 while none came) and writes a byte to the pipe `wake`,
 * which ends a read waiting on a quiet input (a pipe, a terminal) at once.
 * `wake` is {-1, -1} when there is none.
 */
struct import_stop {
	volatile sig_atomic_t requested;
	int wake[2];
};

/* Makes the pipe; -1 (with errno) when it cannot, leaving `wake` at {-1, -1}. */
int import_stop_init(struct import_stop *s);
/* Records signal sig (> 0) as the stop; async-signal-safe. */
void import_stop_request(struct import_stop *s, int sig);
void import_stop_fini(struct import_stop *s);
/* A stop named as its exit status is: interrupted (Ctrl-C, 130), quit (Ctrl-\, 131), terminated
 * (SIGTERM, 143), hung up (SIGHUP: the terminal closed, 129). */
const char *import_stop_word(int sig);

struct import_opts {
	const char *name;                  /* one trace for all files; NULL: one per file */
	const struct import_format *format; /* traces/format.h; NULL: each file's own, from its content */
	int strict;                        /* the first rejection fails the import */
	int replace;                       /* overwrite a stored trace of the same name */
	int exists_ok;                     /* IMPORT_EXISTS is for the caller to handle, not to report */
	const char *import_cmd;            /* a first-use import (replay, tui, live, the console's
	                                    * load), which has no --format: the command that imports
	                                    * the files ("llmcost import FILE"), for a format that
	                                    * cannot be told to suggest with --format added ("": too
	                                    * long to give); NULL: the import's own --format */
	struct import_stop *stop;          /* requested (by a signal handler): abandon the import,
	                                    * even as it waits for another process's lock */
	void *ctx;
	/* each rejected line, "FILE:LINE: reason" as parts (may be NULL) */
	void (*on_reject)(void *ctx, const char *file, uint64_t line, const char *reason);
	/* a note on a file: the format its content chose (when not trace v1), spans skipped */
	void (*on_note)(void *ctx, const char *file, const char *note);
	/* now and then after the first second: lines so far, bytes read, bytes in all files (0: unknown) */
	void (*on_progress)(void *ctx, uint64_t lines, uint64_t bytes, uint64_t total, double seconds);
};

enum import_status { IMPORT_OK, IMPORT_FAILED, IMPORT_REJECTED, IMPORT_STOPPED, IMPORT_EXISTS, IMPORT_UNREADABLE,
                     IMPORT_EMPTY };

/* The names part of import_check: each trace's name fit to store and none shared by two files.
 * 0, or -1 with e filled. */
int import_check_names(const char *const *files, size_t n, const struct import_opts *opts, struct err *e);

/*
 * What import_files checks before it writes anything, for a caller to check before it even
 * opens the store: each trace's name (import_name_problem, none shared by two files) and
 * that every file opens as a trace (not a directory, not an SQLite file).  *bytes (may be
 * NULL): the files' size.  0, or -1 with e filled.
 */
int import_check(const char *const *files, size_t n, const struct import_opts *opts, uint64_t *bytes,
                 struct err *e);

/*
 * Imports files[0..n) and fills infos[0..k) with the stored traces (k = 1 with
 * opts->name, else n).  Nothing is written unless everything succeeds:
 * IMPORT_REJECTED is --strict meeting a bad line (e holds "FILE:LINE: reason"),
 * IMPORT_STOPPED an interruption, IMPORT_EXISTS a name stored already without opts->replace
 * (e says from where), IMPORT_UNREADABLE a file that is no trace (its format cannot be told,
 * its gzip data is damaged or cut short), IMPORT_EMPTY a trace of no request (every line
 * rejected, or none) that would replace a stored one with opts->replace (e names its files),
 * IMPORT_FAILED anything else (e says what).
 */
enum import_status import_files(struct store *s, const char *const *files, size_t n,
                                const struct import_opts *opts, struct store_trace_info *infos,
                                struct err *e);

/* The trace name for a file: its base name without .gz, then .jsonl or .json. */
void import_name_for(const char *path, char *name, size_t n);

/* A stored trace's name is UTF-8 of 1 to IMPORT_NAME_MAX bytes: NULL when name is, else why
 * not ("is empty", "is longer than 255 bytes", "is not UTF-8"). */
#define IMPORT_NAME_MAX 255
const char *import_name_problem(const char *name);

#endif
