/*
 * The trace store: one SQLite database holding every imported trace, laid out
 * for two readers — people running SQL on it (tables and *_v views documented
 * in README.md) and store_load(), which fills sim/'s columnar trace in a few
 * sequential scans.  Imports run inside one transaction, so a failure, Ctrl-C or
 * crash leaves the database exactly as it was.  Errors name the database file.
 */
#ifndef TRACES_STORE_H
#define TRACES_STORE_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/trace.h"
#include "traces/jsonl.h"
#include "traces/progress.h"

struct store {
	void *db;                  /* sqlite3 */
	char *path;
	size_t texts_chunk;        /* bytes a chunk of the texts table holds (16 MiB); a test may lower it */
	int64_t loaded_version;    /* PRAGMA data_version as the last load began (-1: none yet): what
	                            * is kept to spare work is not written once another process wrote */
	char loaded_import[32];    /* the import time of the trace last loaded ("": none): normalized
	                            * inputs are kept only for that import (another store may set it) */
	int busy_ms;               /* how long a statement waits for another process's lock (-1: as
	                            * long as it is held) */
	int told;                  /* such a wait was told (store_wait_for_locks) */
	volatile sig_atomic_t *stop; /* when set and non-zero (a signal asked to stop), it waits no more */
};

/* The stores this process opens from then on wait for another process's lock (an import's)
 * as long as it is held, calling tell(path) once a store after a second of waiting, and no
 * more once its stop is set; without it, 5 s, then "the store is busy".  The command line's
 * choice: the console's screen does not wait without a word. */
void store_wait_for_locks(void (*tell)(const char *path));

/* The stores this process opens from then on have stop as their stop (NULL: none), from their
 * opening on: a signal that sets it ends a wait for a lock that the opening meets. */
void store_stop_waits(volatile sig_atomic_t *stop);

/* mkdir -p of the folder that holds path (store_open makes none: a mistyped --db makes no
 * folders); for the default store's. */
int store_make_folder(const char *path, struct err *e);

/* Opens (creating the file and the schema when absent, not its folder; an empty file is made
 * the store, 0600 as a new one); refuses, leaving it as it is, a file that is not an llmcost
 * store. */
int store_open(struct store *s, const char *path, struct err *e);
/* 1 when something is at path, 0 when nothing is (ENOENT, ENOTDIR) or an empty file, a store
 * not made yet, -1 with e set ("PATH:
 * cannot reach the store: Permission denied") when stat fails otherwise: a store in a folder
 * this user cannot enter is not taken for none. */
int store_exists(const char *path, struct err *e);
/* Opens a store that exists, for commands that only read or remove: never creates one, so a
 * mistyped path leaves no stray file ("there is no store PATH (HINT)"). */
int store_open_existing(struct store *s, const char *path, const char *hint, struct err *e);
void store_close(struct store *s);

struct store_trace_info {
	int64_t id;
	char name[256];
	char source[1024];
	char imported_at[32];
	int64_t requests, attempts, rejects, tenants;
	int64_t first_ts_us, last_ts_us;
};

/* Looks a trace up by name: 1 found, 0 not found, -1 error. */
int store_find(struct store *s, const char *name, struct store_trace_info *info, struct err *e);

/* 0 when no trace is named `name`; -2 when one is (e says from where, and to use --replace or
 * --name), -1 on error.  An import asks before it reads anything. */
int store_name_free(struct store *s, const char *name, struct err *e);

/* Every trace, newest import first; *out is the caller's to free(). */
int store_list(struct store *s, struct store_trace_info **out, size_t *n, struct err *e);

/* Removes traces and everything they hold, in one transaction: when one name is unknown
 * (e names it), nothing is removed.  Once *s->stop is set (a signal), the delete stops, even
 * midway in a trace or waiting for another process's lock, and nothing is removed (-1).
 * on_progress (may be NULL) is told the trace being removed and the seconds since pace's start
 * when progress_due says a report is due (the first after a second). */
int store_delete(struct store *s, const char *const *names, size_t n, struct progress_pace *pace,
                 void (*on_progress)(void *ctx, const char *name, double seconds), void *ctx,
                 struct err *e);

/* The bytes free inside the store's file (PRAGMA freelist_count × page_size): pages that a
 * removal left, which later imports reuse; the file keeps its size until it is compacted. */
int store_free_space(struct store *s, int64_t *bytes, struct err *e);

/* Compacts the store (VACUUM): it rewrites the file without its free pages, so the file
 * shrinks.  Another process's lock is not waited for: -2 (e says so), nothing changed.  A stop
 * (*s->stop) ends it, the store as it was (-1); on_progress as store_delete's (name NULL). */
int store_compact(struct store *s, struct progress_pace *pace,
                  void (*on_progress)(void *ctx, const char *what, double seconds), void *ctx,
                  struct err *e);

/* Transactions: an import runs between store_begin and store_commit; store_rollback
 * undoes everything since store_begin (and does nothing outside a transaction). */
int store_begin(struct store *s, struct err *e);
int store_commit(struct store *s, struct err *e);
void store_rollback(struct store *s);

struct store_import;

/*
 * Starts importing a trace `name` from `source` (file names, for people), inside
 * a transaction.  When the name exists it is refused (-2, e says from where), unless
 * `replace`, in which case the old trace is deleted (in the same transaction).  Returns 0
 * with *out, or -1 with e set.
 */
int store_import_begin(struct store *s, const char *name, const char *source, int replace,
                       struct store_import **out, struct err *e);
/* One accepted request, `line` its line number in its file. */
int store_import_add(struct store_import *im, const struct jsonl_rec *rec, uint64_t line, struct err *e);
/* One rejected line, kept verbatim (a line longer than READER_MAX_LINE: its first READER_KEEP
 * bytes; full_len is its real length). */
int store_import_reject(struct store_import *im, const char *file, uint64_t line, const char *reason,
                        const char *text, size_t len, uint64_t full_len, struct err *e);
/* Writes the trace's figures and fills *info; frees im either way. */
int store_import_finish(struct store_import *im, struct store_trace_info *info, struct err *e);
/* Frees an unfinished import (the caller rolls back); accepts NULL. */
void store_import_abort(struct store_import *im);

/* Loads a stored trace into the columnar form.  Returns 0, or -1 (t is then empty). */
int store_load(struct store *s, const char *name, struct trace *t, struct err *e);

/*
 * The normalized inputs of a trace (sim/replay.h, replay_norms_*) under the set of
 * normalization steps `flags`, kept so that later replays need not make them again.
 * store_norms_load: 1 with *ids (n_inputs of them, the caller's to free()); 0 when none are
 * kept for the trace, or they were made under other rules or for another import of its name;
 * -1 on a database error.  store_norms_keep replaces what is kept, in one transaction.
 */
int store_norms_load(struct store *s, const char *name, unsigned flags, uint32_t n_inputs, uint32_t **ids,
                     struct err *e);
int store_norms_keep(struct store *s, const char *name, unsigned flags, const uint32_t *ids,
                     uint32_t n_inputs, struct err *e);

/* Calls fn for every reject of a trace, in file and line order.  fn returning non-zero stops. */
int store_each_reject(struct store *s, const char *name,
                      int (*fn)(void *ctx, const char *file, int64_t line, const char *reason,
                                const char *text, size_t len, int64_t full_len),
                      void *ctx, struct err *e);

#endif
