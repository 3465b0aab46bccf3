/*
 * Reading a stored trace back into sim/'s columnar form (traces/store.c): from
 * the columnar copy an import wrote (store_import.c) and the input texts' blobs
 * (their writer is here too), or from the rows when those are missing or of
 * another layout; what the store keeps beside a trace to spare work (normalized
 * inputs); and its rejects.
 */
#include "traces/store_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/money.h"
#include "sim/normalize.h"
#include "sim/status.h"

/* ---- the input texts ---- */

/*
 * The input texts again, as blobs of chunks of at most texts_chunk bytes: the count of texts (a
 * native 32-bit integer) at the start of chunk 0, then each text as its length and its bytes,
 * none split between chunks, with their trace's import time.  Reading a blob is about twenty
 * times cheaper than the rows of `inputs`, which stay the reference for SQL.  A trace without
 * them (a store written by an older llmcost), with blobs that do not add up, or with those of
 * another import (a trace id that an older llmcost freed and reused), loads from the rows and
 * gets them then.
 */
int store_write_texts(struct store *s, int64_t id, const char *imported_at, const struct intern *in,
                      struct err *e)
{
	sqlite3_stmt *st;
	size_t most = s->texts_chunk > sizeof(uint32_t) ? s->texts_chunk : sizeof(uint32_t);
	size_t cap = most, len = sizeof(uint32_t);
	unsigned char *buf = malloc(cap);
	int64_t chunk = 0;
	int rc = SQLITE_DONE;
	if (!buf)
		return err_set(e, "out of memory storing the input texts");
	if (sqlite3_prepare_v2(s->db, "INSERT INTO texts VALUES (?,?,?,?)", -1, &st, NULL) != SQLITE_OK) {
		free(buf);
		return store_db_error(s, e, "texts");
	}
	memcpy(buf, &in->n, sizeof in->n);
	for (uint32_t k = 0; k <= in->n && rc == SQLITE_DONE; k++) {
		size_t n = 0;
		const char *text = k < in->n ? intern_str(in, k, &n) : NULL;
		if (k == in->n || len + sizeof(uint32_t) + n > most) { /* the chunk so far goes */
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, chunk++);
			sqlite3_bind_text(st, 3, imported_at, -1, SQLITE_STATIC);
			sqlite3_bind_blob(st, 4, buf, (int)len, SQLITE_STATIC);
			rc = sqlite3_step(st);
			sqlite3_reset(st);
			len = 0;
		}
		if (k == in->n)
			break;
		if (sizeof(uint32_t) + n > cap) { /* a text longer than a chunk is one of its own */
			unsigned char *bigger = realloc(buf, sizeof(uint32_t) + n);
			if (!bigger) {
				sqlite3_finalize(st);
				free(buf);
				return err_set(e, "out of memory storing the input texts");
			}
			buf = bigger;
			cap = sizeof(uint32_t) + n;
		}
		uint32_t n32 = (uint32_t)n;
		memcpy(buf + len, &n32, sizeof n32);
		memcpy(buf + len + sizeof n32, text, n);
		len += sizeof n32 + n;
	}
	sqlite3_finalize(st);
	free(buf);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "texts");
}

/* Fills the empty table `in` from the blobs of trace info: 1 done, 0 when there are none or they
 * do not add up (in is then empty again), -1 on a database error or out of memory. */
static int load_texts(struct store *s, const struct store_trace_info *info, struct intern *in, struct err *e)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT chunk, data, imported_at FROM texts WHERE trace_id = ? ORDER BY chunk",
	                       -1, &st, NULL) != SQLITE_OK)
		return 0; /* a table of another shape: the rows are read (and say what is wrong, if anything) */
	sqlite3_bind_int64(st, 1, info->id);
	int rc, fits = 1;
	uint32_t count = 0, got;
	int64_t rows = 0;
	while (fits && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1), at = 0;
		const char *when = (const char *)sqlite3_column_text(st, 2);
		fits = sqlite3_column_int64(st, 0) == rows && when && strcmp(when, info->imported_at) == 0;
		if (fits && rows++ == 0) {
			fits = len >= sizeof count;
			if (fits)
				memcpy(&count, p, sizeof count);
			at = sizeof count;
		}
		while (fits && at < len) {
			uint32_t n;
			fits = len - at >= sizeof n && in->n < count;
			if (fits) {
				memcpy(&n, p + at, sizeof n);
				at += sizeof n;
				fits = n <= len - at;
			}
			if (fits && intern_append(in, (const char *)p + at, n, &got) < 0) {
				sqlite3_finalize(st);
				return err_set(e, "out of memory");
			}
			at += fits ? n : 0;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "load");
	if (fits && rows && in->n == count)
		return 1;
	intern_fini(in);
	intern_init(in);
	return 0;
}

/* ---- load ---- */

/* A names or inputs table, in id order, each string given to `add` (intern_add, or
 * intern_append for strings distinct as imported), which must give back its stored id. */
static int load_names(struct store *s, const char *table, int64_t id, struct intern *tab,
                      int (*add)(struct intern *, const char *, size_t, uint32_t *), struct err *e)
{
	char sql[128];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT id, %s FROM %s WHERE trace_id = %lld ORDER BY id",
	         strcmp(table, "names") == 0 ? "name" : "text", table, (long long)id);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "load");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint32_t got;
		const char *text = (const char *)sqlite3_column_text(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		if (add(tab, text ? text : "", (size_t)n, &got) < 0) {
			sqlite3_finalize(st);
			return err_set(e, "out of memory");
		}
		if (got != (uint32_t)sqlite3_column_int64(st, 0)) {
			sqlite3_finalize(st);
			return err_set(e, "%s: trace %lld: %s table is damaged", s->path, (long long)id, table);
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "load");
}

/* Four lanes of 64-bit words, each multiplied after its xor (a changed byte changes its lane's
 * every later value), then folded: a few GB/s, a few ms of a 1M-request trace's load. */
static uint64_t sum_bytes(uint64_t h[4], const unsigned char *p, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15u;
	size_t i = 0;
	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 4; l++) {
			uint64_t w;
			memcpy(&w, p + i + 8 * (size_t)l, sizeof w);
			h[l] = (h[l] ^ w) * k;
		}
	for (; i < n; i++)
		h[0] = (h[0] ^ p[i]) * k;
	h[1] = (h[1] ^ n) * k; /* where a column ends: bytes moved between two columns count */
	return h[0];
}

uint64_t columns_sum(struct trace *t)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape shape = trace_shape_of(t);
	uint64_t h[4] = { 1, 2, 3, 4 };
	size_t n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++)
		if (trace_column_present(t->optional, &cols[c]))
			sum_bytes(h, *cols[c].data, trace_column_rows(&shape, &cols[c]) * cols[c].elem);
	return (h[0] ^ (h[1] >> 7)) * 31 + (h[2] ^ (h[3] >> 11));
}

/*
 * Reads the columnar copy's layout row: 1 with *shape (a copy this layout can
 * read), 0 when there is none or it has another layout (the caller loads the
 * rows), -1 on a database error or a shape that contradicts the trace's counts.
 */
static int read_layout(struct store *s, const struct store_trace_info *info, struct trace_shape *shape,
                       struct layout *head_out, struct err *e)
{
	sqlite3_stmt *st;
	struct layout head = { 0 };
	if (sqlite3_prepare_v2(s->db, "SELECT data FROM columns WHERE trace_id = ? AND name = '" LAYOUT_ROW
	                       "' AND chunk = 0", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "load");
	sqlite3_bind_int64(st, 1, info->id);
	int rc = sqlite3_step(st), found = 0;
	size_t bytes = rc == SQLITE_ROW ? (size_t)sqlite3_column_bytes(st, 0) : 0;
	if (bytes == sizeof head || bytes == LAYOUT_UNSUMMED) {
		memcpy(&head, sqlite3_column_blob(st, 0), bytes);
		found = head.version == LAYOUT_VERSION;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "load");
	if (!found)
		return 0;
	if (head.n_req != info->requests || head.n_att != info->attempts || head.n_kinds > TRACE_MAX_KINDS ||
	    head.n_wide > head.n_att || head.n_wide_ts > head.n_att ||
	    (head.optional & ~(unsigned)TRACE_ALL_OPTIONAL))
		return err_set(e, "%s: trace \"%s\": the columns table is damaged", s->path, info->name);
	*shape = (struct trace_shape){ head.n_req, head.n_att, head.n_kinds, head.n_wide, head.n_wide_ts,
	                               head.optional };
	*head_out = head;
	return 1;
}

/* Fills t (allocated with the layout row's shape, head) from the columnar copy, checked against
 * head's sum when it has one.  Returns 0 or -1. */
static int load_columns(struct store *s, const struct store_trace_info *info, const struct layout *head,
                        struct trace *t, struct err *e)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape shape = trace_shape_of(t);
	size_t got[TRACE_MAX_COLUMNS] = { 0 }, bytes[TRACE_MAX_COLUMNS], n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++) /* a column the trace lacks expects no bytes */
		bytes[c] = trace_column_present(t->optional, &cols[c])
		           ? trace_column_rows(&shape, &cols[c]) * cols[c].elem : 0;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT name, chunk, data FROM columns WHERE trace_id = ? AND name <> '"
	                       LAYOUT_ROW "' ORDER BY name, chunk", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "load");
	sqlite3_bind_int64(st, 1, info->id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		int64_t chunk = sqlite3_column_int64(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 2), c = 0;
		const void *data = sqlite3_column_blob(st, 2);
		while (c < n && strcmp(cols[c].name, name ? name : "") != 0)
			c++;
		if (c == n || chunk < 0 || got[c] != (size_t)chunk * COLUMN_CHUNK || got[c] + len > bytes[c])
			break;
		if (len)
			memcpy((char *)*cols[c].data + got[c], data, len);
		got[c] += len;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, e, "load");
	for (size_t c = 0; c < n; c++)
		if (rc != SQLITE_DONE || got[c] != bytes[c])
			return err_set(e, "%s: trace \"%s\": the columns table is damaged", s->path, info->name);
	if (head->summed && columns_sum(t) != head->sum)
		return err_set(e, "%s: trace \"%s\": the columns table is damaged (its sum does not match "
		               "what its import wrote)", s->path, info->name);
	return 0;
}

static int64_t col_or(sqlite3_stmt *st, int col, int64_t absent)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? absent : sqlite3_column_int64(st, col);
}

/*
 * Fills the empty trace t from the requests and attempts tables, read side by
 * side in index order (a trace imported before the columnar copy had this
 * layout).  Returns 0, or -1 (damage, a database error, out of memory).
 */
static int load_rows(struct store *s, const struct store_trace_info *info, struct trace *t, struct err *e)
{
	sqlite3_stmt *rq = NULL, *at = NULL;
	struct trace_call *calls = NULL;
	size_t cap = 0;
	int rc, more = SQLITE_DONE, ret = -1;
	if (sqlite3_prepare_v2(s->db, "SELECT idx, ts_us, tenant, task, input_tokens, output_tokens,"
	                       " cached_tokens, input, input_hash, model, status, latency_us, difficulty,"
	                       " realtime, attempts, cost_pusd FROM requests WHERE trace_id = ? ORDER BY idx",
	                       -1, &rq, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT idx, n, model, status, input_tokens, output_tokens,"
	                       " cached_tokens, latency_us, ts_us FROM attempts WHERE trace_id = ?"
	                       " ORDER BY idx, n", -1, &at, NULL) != SQLITE_OK) {
		store_db_error(s, e, "load");
		goto out;
	}
	sqlite3_bind_int64(rq, 1, info->id);
	sqlite3_bind_int64(at, 1, info->id);
	more = sqlite3_step(at);
	uint32_t i = 0;
	while ((rc = sqlite3_step(rq)) == SQLITE_ROW) {
		if (i >= info->requests || sqlite3_column_int64(rq, 0) != i)
			goto damaged;
		struct trace_row r = {
			.ts_us = sqlite3_column_int64(rq, 1), .tenant = (uint32_t)sqlite3_column_int64(rq, 2),
			.task = (uint32_t)sqlite3_column_int64(rq, 3),
			.input_tok = (uint32_t)sqlite3_column_int64(rq, 4),
			.output_tok = (uint32_t)sqlite3_column_int64(rq, 5),
			.cached_tok = (uint32_t)sqlite3_column_int64(rq, 6),
			.input = (uint32_t)col_or(rq, 7, TRACE_NONE), .input_hash = (uint32_t)col_or(rq, 8, TRACE_NONE),
			.difficulty = (enum difficulty)sqlite3_column_int(rq, 12), .realtime = (int)col_or(rq, 13, 1),
			.cost_pusd = col_or(rq, 15, TRACE_NO_COST),
		};
		int64_t model = col_or(rq, 9, -1), n = sqlite3_column_int64(rq, 14);
		if (n < 0 || n > info->attempts)
			goto damaged;
		if ((size_t)n + 1 > cap) {
			struct trace_call *p = realloc(calls, ((size_t)n + 1) * sizeof *p);
			if (!p) {
				err_set(e, "out of memory loading \"%s\"", info->name);
				goto out;
			}
			calls = p;
			cap = (size_t)n + 1;
		}
		if (n == 0 && model >= 0) { /* the top-level fields make the single attempt */
			calls[0] = (struct trace_call){ (uint32_t)model, (enum status)col_or(rq, 10, STATUS_OK),
			                                -1, -1, -1, col_or(rq, 11, TRACE_NO_LATENCY), TRACE_NO_TIME, 0 };
			n = 1;
		} else {
			for (int64_t k = 0; k < n; k++, more = sqlite3_step(at)) {
				if (more != SQLITE_ROW || sqlite3_column_int64(at, 0) != i || sqlite3_column_int64(at, 1) != k)
					goto damaged;
				calls[k] = (struct trace_call){ (uint32_t)sqlite3_column_int64(at, 2),
				                                (enum status)sqlite3_column_int(at, 3), col_or(at, 4, -1),
				                                col_or(at, 5, -1), col_or(at, 6, -1),
				                                col_or(at, 7, TRACE_NO_LATENCY), col_or(at, 8, TRACE_NO_TIME), 0 };
			}
		}
		if (trace_append(t, &r, calls, (uint32_t)n, e) < 0) {
			err_prefix(e, "%s: trace \"%s\": ", s->path, info->name);
			goto out;
		}
		i++;
	}
	if (rc != SQLITE_DONE || (more != SQLITE_ROW && more != SQLITE_DONE)) {
		store_db_error(s, e, "load");
		goto out;
	}
	if (i != info->requests || t->n_att != info->attempts || more != SQLITE_DONE)
		goto damaged;
	ret = 0;
	goto out;
damaged:
	err_set(e, "%s: trace \"%s\" is damaged (counts do not match its rows)", s->path, info->name);
out:
	sqlite3_finalize(rq);
	sqlite3_finalize(at);
	free(calls);
	return ret;
}

/* Writes the texts of the trace `name` that loaded from the rows, at once or not at all. */
static void keep_texts(struct store *s, const char *name, const struct intern *in)
{
	struct store_trace_info info;
	struct err e;
	char sql[96];
	if (store_replacing_begin(s, name, &info, &e) < 0)
		return;
	snprintf(sql, sizeof sql, "DELETE FROM texts WHERE trace_id = %lld", (long long)info.id);
	int rc = store_exec(s, sql, &e) < 0 ? -1 : store_write_texts(s, info.id, info.imported_at, in, &e);
	store_replacing_end(s, rc, &e);
}

/* The loaded arrivals span what the import recorded (a damaged copy in `columns` could put
 * one millennia away, which the replay would blame on the scenario). */
static int arrivals_check(const struct trace *t, const struct store_trace_info *info, struct err *e)
{
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	for (uint32_t i = 0; i < t->n_req; i++) {
		int64_t ts = trace_ts_us(t, i);
		lo = ts < lo ? ts : lo;
		hi = ts > hi ? ts : hi;
	}
	if (t->n_req && (lo != info->first_ts_us || hi != info->last_ts_us))
		return err_set(e, "its arrivals do not span what its import recorded");
	return 0;
}

/* The trace's cost_subs rows of its own import, if the store has the table. */
static int load_cost_subs(struct store *s, const struct store_trace_info *info, struct trace *t, struct err *e)
{
	sqlite3_stmt *st;
	if (!store_has_table(s, "cost_subs"))
		return 0;
	if (sqlite3_prepare_v2(s->db, "SELECT idx, sub FROM cost_subs WHERE trace_id = ? AND imported_at = ?"
	                       " ORDER BY idx", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "cost_subs");
	sqlite3_bind_int64(st, 1, info->id);
	sqlite3_bind_text(st, 2, info->imported_at, -1, SQLITE_STATIC);
	uint32_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t idx = sqlite3_column_int64(st, 0), sub = sqlite3_column_int64(st, 1);
		if (idx < 0 || idx >= t->n_req || !t->cost_pusd || t->cost_pusd[idx] == TRACE_NO_COST ||
		    sub > MONEY_SUB_PER_PUSD / 2 || sub < -MONEY_SUB_PER_PUSD / 2) {
			sqlite3_finalize(st);
			return err_set(e, "%s: trace \"%s\" is damaged: a cost_subs row for request %lld",
			               s->path, info->name, (long long)idx);
		}
		if (t->n_cost_sub == cap) {
			struct trace_cost_sub *more = realloc(t->cost_subs, (cap = cap ? 2 * cap : 16) * sizeof *more);
			if (!more) {
				sqlite3_finalize(st);
				return err_set(e, "out of memory loading \"%s\"", info->name);
			}
			t->cost_subs = more;
		}
		t->cost_subs[t->n_cost_sub++] = (struct trace_cost_sub){ (uint32_t)idx, sub };
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "cost_subs");
}

int store_load(struct store *s, const char *name, struct trace *t, struct err *e)
{
	struct store_trace_info info;
	struct trace_shape shape = { 0 };
	memset(t, 0, sizeof *t);
	if (store_find_named(s, name, &info, e) < 0)
		return -1;
	if (info.requests > UINT32_MAX - 3 || info.attempts > UINT32_MAX - 1)
		return err_set(e, "%s: trace \"%s\" is too large to load", s->path, name);
	s->loaded_version = store_data_version(s); /* before the read: a commit in between is seen */
	snprintf(s->loaded_import, sizeof s->loaded_import, "%s", info.imported_at);
	if (store_exec(s, "BEGIN", e) < 0)
		return -1;
	struct layout head = { 0 };
	int fast = read_layout(s, &info, &shape, &head, e);
	if (fast < 0)
		goto fail_tx;
	if (trace_alloc(t, &shape) < 0 || !(t->name = strdup(name))) {
		err_set(e, "out of memory loading \"%s\"", name);
		goto fail_tx;
	}
	/* the inputs are appended unindexed (the trace drops their index anyway): they are
	 * distinct as imported, and only their ids are checked */
	int has_texts = store_has_table(s, "texts"), texts = 0;
	if (load_names(s, "names", info.id, &t->names, intern_add, e) < 0 ||
	    (has_texts && (texts = load_texts(s, &info, &t->inputs, e)) < 0) ||
	    (!texts && load_names(s, "inputs", info.id, &t->inputs, intern_append, e) < 0) ||
	    (fast ? load_columns(s, &info, &head, t, e) : load_rows(s, &info, t, e)) < 0 ||
	    load_cost_subs(s, &info, t, e) < 0)
		goto fail_tx;
	if (trace_check(t, e) < 0 || arrivals_check(t, &info, e) < 0) {
		err_prefix(e, "%s: trace \"%s\" is damaged: ", s->path, name);
		goto fail_tx;
	}
	trace_trim(t);
	store_exec(s, "COMMIT", e);
	if (has_texts && !texts) /* for the next load; a store that is busy or cannot be written goes without */
		keep_texts(s, name, &t->inputs);
	return 0;
fail_tx:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	trace_free(t);
	return -1;
}

/* ---- the cache's normalized inputs ---- */

/*
 * Kept per trace and set of normalization steps, as the raw array of ids in
 * the machine's byte order, in chunks like the columns, with the rules they
 * were made under (sim/normalize.h) and their trace's import time: a trace id
 * that a store written by an older llmcost freed and reused does not match.
 */
int store_norms_load(struct store *s, const char *name, unsigned flags, uint32_t n_inputs, uint32_t **ids,
                     struct err *e)
{
	struct store_trace_info info;
	sqlite3_stmt *st;
	size_t bytes = (size_t)n_inputs * sizeof **ids, got = 0;
	*ids = NULL;
	int found = store_find(s, name, &info, e);
	if (found <= 0)
		return found;
	if (sqlite3_prepare_v2(s->db, "SELECT chunk, rules, imported_at, data FROM normalized"
	                       " WHERE trace_id = ? AND flags = ? ORDER BY chunk", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "normalized inputs");
	uint32_t *v = NULL; /* made at the first row: most sets asked for are not kept */
	sqlite3_bind_int64(st, 1, info.id);
	sqlite3_bind_int64(st, 2, flags);
	int rc, rows = 0, fits = 1;
	while (fits && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rules = (const char *)sqlite3_column_text(st, 1);
		const char *when = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 3);
		fits = sqlite3_column_int64(st, 0) == rows++ && got % COLUMN_CHUNK == 0 && len <= bytes - got &&
		       rules && strcmp(rules, normalize_rules()) == 0 && when && strcmp(when, info.imported_at) == 0;
		if (fits && !v && !(v = malloc(bytes ? bytes : 1))) {
			sqlite3_finalize(st);
			return err_set(e, "out of memory loading normalized inputs");
		}
		if (fits && len)
			memcpy((char *)v + got, sqlite3_column_blob(st, 3), len);
		got += len;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(v);
		return store_db_error(s, e, "normalized inputs");
	}
	if (!fits || !rows || got != bytes) {
		free(v);
		return 0;
	}
	*ids = v;
	return 1;
}

/* Writes the kept set `flags` of trace info. */
static int norms_write(struct store *s, const struct store_trace_info *info, unsigned flags,
                             const uint32_t *ids, uint32_t n_inputs, struct err *e)
{
	sqlite3_stmt *st;
	size_t bytes = (size_t)n_inputs * sizeof *ids, off = 0;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO normalized VALUES (?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "keeping normalized inputs");
	int rc = SQLITE_DONE;
	for (int64_t chunk = 0; rc == SQLITE_DONE && (off < bytes || chunk == 0); chunk++) {
		size_t len = bytes - off < COLUMN_CHUNK ? bytes - off : COLUMN_CHUNK;
		sqlite3_bind_int64(st, 1, info->id);
		sqlite3_bind_int64(st, 2, flags);
		sqlite3_bind_int64(st, 3, chunk);
		sqlite3_bind_text(st, 4, normalize_rules(), -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, info->imported_at, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 6, (const char *)ids + off, (int)len, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		off += len;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_db_error(s, e, "keeping normalized inputs");
}

int store_norms_keep(struct store *s, const char *name, unsigned flags, const uint32_t *ids,
                     uint32_t n_inputs, struct err *e)
{
	struct store_trace_info info;
	char sql[128];
	if (store_replacing_begin(s, name, &info, e) < 0)
		return -1;
	snprintf(sql, sizeof sql, "DELETE FROM normalized WHERE trace_id = %lld AND flags = %u",
	         (long long)info.id, flags);
	int rc = store_exec(s, sql, e) < 0 ? -1 : norms_write(s, &info, flags, ids, n_inputs, e);
	return store_replacing_end(s, rc, e);
}

/* ---- the rejected lines ---- */

int store_each_reject(struct store *s, const char *name,
                      int (*fn)(void *ctx, const char *file, int64_t line, const char *reason,
                                const char *text, size_t len, int64_t full_len),
                      void *ctx, struct err *e)
{
	struct store_trace_info info;
	sqlite3_stmt *st;
	if (store_find_named(s, name, &info, e) < 0)
		return -1;
	if (sqlite3_prepare_v2(s->db, "SELECT file, line, reason, text, length FROM rejects"
	                       " WHERE trace_id = ? ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, e, "rejects");
	sqlite3_bind_int64(st, 1, info.id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 3);
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		       (const char *)sqlite3_column_text(st, 2), text ? text : "",
		       (size_t)sqlite3_column_bytes(st, 3), sqlite3_column_int64(st, 4)))
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, e, "rejects");
}
