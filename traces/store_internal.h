/*
 * What the files of the trace store share and nothing else sees: the layout of
 * the columnar copy that store_import.c writes and store_load.c reads, the
 * helpers of store.c that they call, and the writer of the input texts' blobs
 * (store_load.c) that an import calls too.  Errors as traces/store.h says: 0 or
 * -1 with e set, naming the store's file.
 */
#ifndef TRACES_STORE_INTERNAL_H
#define TRACES_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/intern.h"
#include "traces/store.h"

#define COLUMN_CHUNK (16u << 20) /* bytes a blob of the columnar copy holds at most */

/*
 * The columnar copy: each column of sim/'s trace as raw arrays in chunks of
 * COLUMN_CHUNK bytes, written at the end of an import, so loading is a few
 * large reads.  The requests and attempts tables stay the reference for SQL.
 * A row named LAYOUT_ROW holds the layout's version and the trace's shape
 * (struct layout) and the sum of the columns' bytes, checked as they load; a
 * copy without it, or of another version, is not read and the trace loads from
 * its rows instead.
 */
#define LAYOUT_ROW "layout"
/* 1: the first layout, without LAYOUT_ROW; 2: no narrowed columns; 3: narrowed request
 * columns, 64-bit call times and 32-bit call tokens */
#define LAYOUT_VERSION 4u

/* The LAYOUT_ROW blob, in the machine's byte order like the columns.  An import since the sum
 * was added writes it whole; one before, up to `summed` (LAYOUT_UNSUMMED bytes): its copy is
 * read without the sum's check. */
struct layout {
	uint32_t version;
	uint32_t n_req, n_att, n_kinds, n_wide, n_wide_ts;
	uint32_t optional;         /* enum trace_optional */
	uint32_t summed;           /* 1: sum is the columns' sum */
	uint64_t sum;              /* columns_sum of the trace the copy holds */
};
#define LAYOUT_UNSUMMED offsetof(struct layout, summed)

/* A sum of the bytes of t's columns, in their order, that a changed byte changes: the columnar
 * copy's, checked as it loads (the counts alone let a flipped byte change the figures). */
uint64_t columns_sum(struct trace *t);

/* store.c: the last statement's failure in e ("PATH: WHAT: WHY"), and a statement run. */
int store_db_error(struct store *s, struct err *e, const char *what);
int store_exec(struct store *s, const char *sql, struct err *e);
/* 1 when the store has table `name` (any table: NULL), 0 when not, -1 when unreadable. */
int store_has_table(struct store *s, const char *name);
/* PRAGMA data_version; -1 on an error. */
int64_t store_data_version(struct store *s);

/* store.c: what is kept to spare work is replaced between these two (see there). */
int store_replacing_begin(struct store *s, const char *name, struct store_trace_info *info,
                          struct err *e);
int store_replacing_end(struct store *s, int written, struct err *e);

/* store.c: the columns of `traces` that store_read_info reads from a row of them. */
extern const char store_info_cols[];
void store_read_info(sqlite3_stmt *st, struct store_trace_info *info);
/* store_find() of a trace that must be there: 0, or -1 with e set ("no trace named"). */
int store_find_named(struct store *s, const char *name, struct store_trace_info *info, struct err *e);
/* The refusal of a name stored already: -2. */
int store_name_taken(const struct store_trace_info *old, struct err *e);
/* Deletes trace id and its rows from every table the store has. */
int store_delete_rows(struct store *s, int64_t id, struct err *e);

/* store_load.c: the input texts of trace id as the texts table's blobs (see there). */
int store_write_texts(struct store *s, int64_t id, const char *imported_at, const struct intern *in,
                      struct err *e);

#endif
