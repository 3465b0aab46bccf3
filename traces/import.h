/*
 * Trace import: files → line reader → JSON Lines parser → store, all inside one
 * transaction.  Accepted lines become requests; malformed ones are reported
 * through a callback and kept in the rejects table.  The caller (the command
 * line) decides what to print; this module only reports.
 */
#ifndef TRACES_IMPORT_H
#define TRACES_IMPORT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "traces/store.h"

struct import_opts {
	const char *name;                  /* one trace for all files; NULL: one per file */
	int strict;                        /* the first rejection fails the import */
	int replace;                       /* overwrite a stored trace of the same name */
	volatile sig_atomic_t *stop;       /* set (by a signal handler) to abandon the import */
	void *ctx;
	/* each rejected line, "FILE:LINE: reason" as parts (may be NULL) */
	void (*on_reject)(void *ctx, const char *file, uint64_t line, const char *reason);
	/* now and then after the first second: lines so far, bytes read, bytes in all files (0: unknown) */
	void (*on_progress)(void *ctx, uint64_t lines, uint64_t bytes, uint64_t total, double seconds);
};

enum import_status { IMPORT_OK, IMPORT_FAILED, IMPORT_REJECTED, IMPORT_STOPPED };

/*
 * Imports files[0..n) and fills infos[0..k) with the stored traces (k = 1 with
 * opts->name, else n).  Nothing is written unless everything succeeds:
 * IMPORT_REJECTED is --strict meeting a bad line (e holds "FILE:LINE: reason"),
 * IMPORT_STOPPED an interruption, IMPORT_FAILED anything else (e says what).
 */
enum import_status import_files(struct store *s, const char *const *files, size_t n,
                                const struct import_opts *opts, struct store_trace_info *infos,
                                struct err *e);

/* The trace name for a file: its base name without .gz, then .jsonl or .json. */
void import_name_for(const char *path, char *name, size_t n);

#endif
