/*
 * Writing an import into the store (traces/store.c), inside the caller's
 * transaction: each accepted request and its attempts as rows, its names and
 * input texts interned per trace, each rejected line verbatim, and at the end
 * the columnar copy and the texts' blobs (store_write_texts) that store_load.c
 * reads.
 */
#include "traces/store_internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/clock.h"

enum { ST_REQUEST, ST_ATTEMPT, ST_NAME, ST_INPUT, ST_REJECT, ST_COLUMN, ST_COST_SUB, N_ST };

static const char *const import_sql[N_ST] = {
	[ST_REQUEST] = "INSERT INTO requests VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_ATTEMPT] = "INSERT INTO attempts VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	[ST_NAME] = "INSERT INTO names VALUES (?,?,?)",
	[ST_INPUT] = "INSERT INTO inputs VALUES (?,?,?)",
	[ST_REJECT] = "INSERT INTO rejects VALUES (?,?,?,?,?,?)",
	[ST_COLUMN] = "INSERT INTO columns VALUES (?,?,?,?)",
	[ST_COST_SUB] = "INSERT INTO cost_subs VALUES (?,?,?,?)",
};

struct store_import {
	struct store *s;
	sqlite3_stmt *st[N_ST];
	int64_t id;
	char imported_at[CLOCK_TEXT_MAX];
	struct intern names, inputs;
	struct trace cols;         /* the columnar copy, built as rows arrive */
	struct trace_call *calls;  /* scratch: one request's recorded calls */
	size_t cap_calls;
	uint8_t *is_tenant;        /* per name id */
	size_t cap_is_tenant;
	int64_t rejects, tenants;         /* requests and calls: cols.n_req, cols.n_att */
	int64_t first_ts, last_ts;
	int has_cost, has_quality;
};

static void import_free(struct store_import *im)
{
	for (int i = 0; i < N_ST; i++)
		sqlite3_finalize(im->st[i]);
	intern_fini(&im->names);
	intern_fini(&im->inputs);
	trace_free(&im->cols);
	free(im->calls);
	free(im->is_tenant);
	free(im);
}

void store_import_abort(struct store_import *im)
{
	if (im)
		import_free(im);
}

int store_import_begin(struct store *s, const char *name, const char *source, int replace,
                       struct store_import **out, struct err *e)
{
	struct store_trace_info old;
	struct store_import *im = calloc(1, sizeof *im);
	if (!im)
		return err_set(e, "out of memory");
	im->s = s;
	intern_init(&im->names);
	intern_init(&im->inputs);
	if (trace_alloc(&im->cols, &(struct trace_shape){ 0 }) < 0) {
		free(im);
		return err_set(e, "out of memory");
	}
	im->first_ts = INT64_MAX;
	im->last_ts = INT64_MIN;
	if (sqlite3_get_autocommit(s->db)) {
		import_free(im);
		return err_set(e, "%s: an import must run inside store_begin()", s->path);
	}
	int found = store_find(s, name, &old, e);
	if (found < 0)
		goto fail;
	if (found && !replace) {
		import_free(im);
		return store_name_taken(&old, e);
	}
	if (found && store_delete_rows(s, old.id, e) < 0)
		goto fail;

	char now[CLOCK_TEXT_MAX];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	/* to the µs: what is kept per import (texts, normalized inputs) tells two imports of one
	 * name apart, even in one second */
	clock_format((int64_t)ts.tv_sec * CLOCK_US_PER_S + ts.tv_nsec / 1000, now);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO traces(name, source, imported_at) VALUES (?,?,?)",
	                       -1, &st, NULL) != SQLITE_OK) {
		store_db_error(s, e, "import");
		goto fail;
	}
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_db_error(s, e, "import");
		goto fail;
	}
	im->id = sqlite3_last_insert_rowid(s->db);
	memcpy(im->imported_at, now, sizeof now);
	/* rows an older llmcost left for a trace of this id when it removed one (it knows no
	 * cost_subs): read they are not, but they would clash with this import's */
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM cost_subs WHERE trace_id = %lld", (long long)im->id);
	if (store_exec(s, sql, e) < 0)
		goto fail;
	for (int i = 0; i < N_ST; i++)
		if (sqlite3_prepare_v3(s->db, import_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &im->st[i], NULL)
		    != SQLITE_OK) {
			store_db_error(s, e, "import");
			goto fail;
		}
	*out = im;
	return 0;
fail:
	import_free(im);
	return -1;
}

static int step(struct store_import *im, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_db_error(im->s, e, "import");
	return 0;
}

/* Interns a string into `tab`, writing a new one to its table.  *id = the id. */
static int intern_row(struct store_import *im, struct intern *tab, int st_kind, struct str v,
                      uint32_t *id, struct err *e)
{
	uint32_t before = tab->n;
	if (intern_add(tab, v.s, v.n, id) < 0)
		return err_set(e, "out of memory");
	if (tab->n == before)
		return 0;
	sqlite3_stmt *st = im->st[st_kind];
	sqlite3_bind_int64(st, 1, im->id);
	sqlite3_bind_int64(st, 2, *id);
	sqlite3_bind_text(st, 3, v.s, (int)v.n, SQLITE_STATIC);
	return step(im, st, e);
}

static void bind_opt_int(sqlite3_stmt *st, int col, int64_t v, int64_t absent)
{
	if (v == absent)
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_int64(st, col, v);
}

static void bind_opt_text(sqlite3_stmt *st, int col, struct str v)
{
	if (v.s)
		sqlite3_bind_text(st, col, v.s, (int)v.n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, col);
}

/* Appends request r to the columnar copy, its calls resolved as store_load's row path does
 * (jsonl_row). */
static int append_columns(struct store_import *im, const struct jsonl_rec *r, const uint32_t ids[5],
                          struct err *e)
{
	struct trace_row row;
	uint32_t n = jsonl_row(r, ids, &row, im->calls);
	return trace_append(&im->cols, &row, im->calls, n, e);
}

static int write_blob(struct store_import *im, const char *name, int64_t chunk, const void *data,
                      size_t len, struct err *e)
{
	sqlite3_stmt *st = im->st[ST_COLUMN];
	sqlite3_bind_int64(st, 1, im->id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, chunk);
	sqlite3_bind_blob(st, 4, data, (int)len, SQLITE_STATIC);
	return step(im, st, e);
}

static int write_columns(struct store_import *im, struct err *e)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape shape = trace_shape_of(&im->cols);
	struct layout head = { LAYOUT_VERSION, shape.n_req, shape.n_att, shape.n_kinds, shape.n_wide,
	                       shape.n_wide_ts, shape.optional, 1, columns_sum(&im->cols) };
	if (write_blob(im, LAYOUT_ROW, 0, &head, sizeof head, e) < 0)
		return -1;
	size_t n = trace_columns(&im->cols, cols);
	for (size_t c = 0; c < n; c++) {
		if (!trace_column_present(shape.optional, &cols[c]))
			continue;
		size_t bytes = trace_column_rows(&shape, &cols[c]) * cols[c].elem, off = 0, chunk = 0;
		do {
			size_t len = bytes - off < COLUMN_CHUNK ? bytes - off : COLUMN_CHUNK;
			if (write_blob(im, cols[c].name, (int64_t)chunk++, (char *)*cols[c].data + off, len, e) < 0)
				return -1;
			off += len;
		} while (off < bytes);
	}
	return 0;
}

int store_import_add(struct store_import *im, const struct jsonl_rec *r, uint64_t line, struct err *e)
{
	uint32_t tenant, task, input = TRACE_NONE, hash = TRACE_NONE, model = TRACE_NONE;
	if (intern_row(im, &im->names, ST_NAME, r->tenant, &tenant, e) < 0 ||
	    intern_row(im, &im->names, ST_NAME, r->task, &task, e) < 0 ||
	    (r->input.s && intern_row(im, &im->inputs, ST_INPUT, r->input, &input, e) < 0) ||
	    (r->input_hash.s && intern_row(im, &im->names, ST_NAME, r->input_hash, &hash, e) < 0) ||
	    (r->model.s && intern_row(im, &im->names, ST_NAME, r->model, &model, e) < 0))
		return -1;
	if (tenant >= im->cap_is_tenant) {
		size_t cap = im->cap_is_tenant ? im->cap_is_tenant * 2 : 256;
		while (cap <= tenant)
			cap *= 2;
		uint8_t *p = realloc(im->is_tenant, cap);
		if (!p)
			return err_set(e, "out of memory");
		memset(p + im->cap_is_tenant, 0, cap - im->cap_is_tenant);
		im->is_tenant = p;
		im->cap_is_tenant = cap;
	}
	if (!im->is_tenant[tenant]) {
		im->is_tenant[tenant] = 1;
		im->tenants++;
	}

	int64_t idx = im->cols.n_req;
	sqlite3_stmt *st = im->st[ST_REQUEST];
	int c = 1;
	sqlite3_bind_int64(st, c++, im->id);
	sqlite3_bind_int64(st, c++, idx);
	sqlite3_bind_int64(st, c++, (int64_t)line);
	sqlite3_bind_int64(st, c++, r->ts_us);
	sqlite3_bind_int64(st, c++, tenant);
	sqlite3_bind_int64(st, c++, task);
	sqlite3_bind_int64(st, c++, r->input_tok);
	sqlite3_bind_int64(st, c++, r->output_tok);
	sqlite3_bind_int(st, c++, r->input_estimated);
	bind_opt_int(st, c++, r->cached_tok, JSONL_ABSENT);
	bind_opt_int(st, c++, input, TRACE_NONE);
	bind_opt_int(st, c++, hash, TRACE_NONE);
	bind_opt_int(st, c++, model, TRACE_NONE);
	bind_opt_int(st, c++, r->status, -1);
	bind_opt_int(st, c++, r->latency_us, JSONL_ABSENT);
	bind_opt_int(st, c++, r->difficulty, DIFFICULTY_NONE);
	if (isnan(r->quality))
		sqlite3_bind_null(st, c++);
	else
		sqlite3_bind_double(st, c++, r->quality);
	bind_opt_int(st, c++, r->realtime, -1);
	bind_opt_int(st, c++, r->cost_pusd, JSONL_ABSENT);
	sqlite3_bind_int64(st, c++, (int64_t)r->n_att);
	bind_opt_text(st, c++, r->request_id);
	bind_opt_text(st, c++, r->session);
	bind_opt_text(st, c++, r->user);
	bind_opt_text(st, c++, r->extra);
	if (step(im, st, e) < 0)
		return -1;
	if (r->cost_pusd != JSONL_ABSENT && r->cost_sub) {
		st = im->st[ST_COST_SUB];
		sqlite3_bind_int64(st, 1, im->id);
		sqlite3_bind_int64(st, 2, idx);
		sqlite3_bind_text(st, 3, im->imported_at, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, r->cost_sub);
		if (step(im, st, e) < 0)
			return -1;
	}

	if (r->n_att + 1 > im->cap_calls) {
		struct trace_call *p = realloc(im->calls, (r->n_att + 1) * sizeof *p);
		if (!p)
			return err_set(e, "out of memory");
		im->calls = p;
		im->cap_calls = r->n_att + 1;
	}
	for (size_t i = 0; i < r->n_att; i++) {
		const struct jsonl_attempt *a = &r->att[i];
		uint32_t m;
		if (intern_row(im, &im->names, ST_NAME, a->model, &m, e) < 0)
			return -1;
		im->calls[i].model = m;
		st = im->st[ST_ATTEMPT];
		c = 1;
		sqlite3_bind_int64(st, c++, im->id);
		sqlite3_bind_int64(st, c++, idx);
		sqlite3_bind_int64(st, c++, (int64_t)i);
		sqlite3_bind_int64(st, c++, m);
		sqlite3_bind_int(st, c++, a->status);
		bind_opt_int(st, c++, a->input_tok, JSONL_ABSENT);
		bind_opt_int(st, c++, a->output_tok, JSONL_ABSENT);
		bind_opt_int(st, c++, a->cached_tok, JSONL_ABSENT);
		bind_opt_int(st, c++, a->latency_us, JSONL_ABSENT);
		bind_opt_int(st, c++, a->ts_us, TRACE_NO_TIME);
		bind_opt_text(st, c++, a->extra);
		if (step(im, st, e) < 0)
			return -1;
	}
	const uint32_t ids[5] = { tenant, task, input, hash, model };
	if (append_columns(im, r, ids, e) < 0)
		return -1;
	if (r->ts_us < im->first_ts)
		im->first_ts = r->ts_us;
	if (r->ts_us > im->last_ts)
		im->last_ts = r->ts_us;
	im->has_cost |= r->cost_pusd != JSONL_ABSENT;
	im->has_quality |= !isnan(r->quality);
	return 0;
}

int store_import_reject(struct store_import *im, const char *file, uint64_t line, const char *reason,
                        const char *text, size_t len, uint64_t full_len, struct err *e)
{
	sqlite3_stmt *st = im->st[ST_REJECT];
	sqlite3_bind_int64(st, 1, im->id);
	sqlite3_bind_text(st, 2, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (int64_t)line);
	sqlite3_bind_text(st, 4, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)full_len);
	sqlite3_bind_text(st, 6, text, (int)len, SQLITE_STATIC);
	if (step(im, st, e) < 0)
		return -1;
	im->rejects++;
	return 0;
}

int store_import_finish(struct store_import *im, struct store_trace_info *info, struct err *e)
{
	struct store *s = im->s;
	sqlite3_stmt *st;
	char sql[256];
	int rc = SQLITE_ERROR;
	trace_trim(&im->cols); /* the copy holds the narrowed columns */
	if (write_columns(im, e) < 0 || store_write_texts(s, im->id, im->imported_at, &im->inputs, e) < 0) {
		import_free(im);
		return -1;
	}
	if (sqlite3_prepare_v2(s->db, "UPDATE traces SET requests=?, attempts=?, rejects=?, tenants=?,"
	                       " first_ts_us=?, last_ts_us=?, has_cost=?, has_quality=? WHERE id=?",
	                       -1, &st, NULL) == SQLITE_OK) {
		int c = 1;
		sqlite3_bind_int64(st, c++, im->cols.n_req);
		sqlite3_bind_int64(st, c++, im->cols.n_att);
		sqlite3_bind_int64(st, c++, im->rejects);
		sqlite3_bind_int64(st, c++, im->tenants);
		bind_opt_int(st, c++, im->first_ts, INT64_MAX);
		bind_opt_int(st, c++, im->last_ts, INT64_MIN);
		sqlite3_bind_int(st, c++, im->has_cost);
		sqlite3_bind_int(st, c++, im->has_quality);
		sqlite3_bind_int64(st, c++, im->id);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	int64_t id = im->id;
	import_free(im);
	if (rc != SQLITE_DONE)
		return store_db_error(s, e, "import");
	snprintf(sql, sizeof sql, "SELECT %s FROM traces WHERE id = %lld", store_info_cols, (long long)id);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "import");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		store_read_info(st, info);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_db_error(s, e, "import");
}
