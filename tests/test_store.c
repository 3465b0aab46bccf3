/*
 * The store: import → load round trip (every field), the columnar copy against
 * the rows, each compact representation of the trace (implicit call ranges,
 * kinds, wide latencies, per-call tokens, optional and narrowed columns, call
 * times as offsets, 32-bit string offsets), stores of older layouts, --strict
 * and failures leaving the store untouched, --replace, rejects kept verbatim,
 * multi-file traces, gzip input (members, damage) and a stop ending a
 * quiet read.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/status.h"
#include "traces/import.h"
#include "traces/store.h"
#include "traces/store_internal.h"
#include "tests/test.h"
#include "tests/util_tmp.h"

static char dir[200];

static const char *path_in(const char *name)
{
	static char buf[4][256];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static const char trace_text[] =
	"{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"acme\",\"task\":\"faq_answer\",\"input\":\"Reset password?\","
	"\"output_tokens\":120,\"model\":\"gpt-4.1-mini\",\"status\":\"ok\",\"latency_ms\":412.5,\"cached_tokens\":2,"
	"\"difficulty\":\"easy\",\"quality\":0.5,\"cost_usd\":0.000193,\"span\":\"s-1\"}\n"
	"\n"
	"{\"ts\":1772445600,\"tenant\":\"beta\",\"task\":\"policy_check\",\"input_tokens\":3000,\"output_tokens\":200,"
	"\"input_hash\":\"h1\",\"realtime\":false,\"attempts\":[{\"model\":\"gpt-4.1-mini\",\"status\":\"timeout\","
	"\"latency_ms\":30000,\"ts\":\"2026-03-02T10:00:00Z\"},{\"model\":\"gpt-4.1\",\"output_tokens\":180,"
	"\"ts\":\"2026-03-02T10:00:30.5Z\"}]}\n"
	"this line is broken\n"
	"{\"ts\":\"2026-03-02T10:00:02Z\",\"tenant\":\"acme\",\"task\":\"faq_answer\",\"input\":\"Reset password?\","
	"\"input_tokens\":5,\"output_tokens\":1,\"difficulty\":\"hard\"}"; /* no final newline */

static int quiet_import(struct store *s, const char *file, const char *name, int strict, int replace,
                        struct store_trace_info *info, struct err *e)
{
	struct import_opts o = { .name = name, .strict = strict, .replace = replace };
	const char *files[1] = { file };
	return (int)import_files(s, files, 1, &o, info, e);
}

static void open_fresh(struct store *s, const char *name)
{
	struct err e = { "" };
	unlink(path_in(name));
	if (store_open(s, path_in(name), &e) < 0)
		TEST_FAIL_("open: %s", e.msg);
}

static int64_t count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void round_trip(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace t;
	open_fresh(&s, "rt.db");
	write_file(path_in("day1.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("day1.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_STR(info.name, "day1");
	CHECK_INT(info.requests, 3);
	CHECK_INT(info.rejects, 1);
	CHECK_INT(info.tenants, 2);
	CHECK_INT(info.attempts, 3); /* one synthesized from "model", two recorded, none for line 5 */
	CHECK_INT(info.first_ts_us, 1772445600000000LL);
	CHECK_INT(info.last_ts_us, 1772445602000000LL);
	CHECK_INT(store_load(&s, "day1", &t, &e), 0);
	CHECK_INT(t.n_req, 3);
	CHECK_INT(trace_ts_us(&t, 0), 1772445601000000LL);
	CHECK_INT(trace_ts_us(&t, 1), 1772445600000000LL);
	CHECK_STR(intern_str(&t.names, trace_tenant(&t, 0), NULL), "acme");
	CHECK_STR(intern_str(&t.names, trace_tenant(&t, 1), NULL), "beta");
	CHECK_INT(trace_tenant(&t, 2), trace_tenant(&t, 0));
	CHECK_STR(intern_str(&t.names, trace_task(&t, 1), NULL), "policy_check");
	CHECK_INT(trace_input_tok(&t, 0), 4); /* "Reset password?" = 15 bytes → ceil(15/4) = 4 */
	CHECK_INT(trace_input_tok(&t, 1), 3000);
	CHECK_INT(trace_output_tok(&t, 0), 120);
	CHECK_INT(trace_cached_tok(&t, 0), 2);
	CHECK_INT(trace_cached_tok(&t, 1), 0);
	CHECK_STR(intern_str(&t.inputs, t.input[0], NULL), "Reset password?");
	CHECK_INT(t.input[2], t.input[0]);
	CHECK_INT(t.input[1], TRACE_NONE);
	CHECK_STR(intern_str(&t.names, trace_input_hash(&t, 1), NULL), "h1");
	CHECK_INT(trace_input_hash(&t, 0), TRACE_NONE);
	CHECK_INT(trace_difficulty(&t, 0), DIFFICULTY_EASY);
	CHECK_INT(trace_difficulty(&t, 1), DIFFICULTY_NONE);
	CHECK_INT(trace_difficulty(&t, 2), DIFFICULTY_HARD);
	CHECK_INT(trace_realtime(&t, 0), 1);
	CHECK_INT(trace_realtime(&t, 1), 0);
	CHECK(t.cost_pusd != NULL);
	if (t.cost_pusd) {
		CHECK_INT(t.cost_pusd[0], 193000000LL); /* 0.000193 × 10^12 */
		CHECK_INT(t.cost_pusd[1], TRACE_NO_COST);
	}
	/* attempts: request 0 has its synthesized one, request 1 two, request 2 none */
	CHECK_INT(t.n_att, 3);
	CHECK_INT(trace_att_begin(&t, 0), 0);
	CHECK_INT(trace_att_end(&t, 0), 1);
	CHECK_INT(trace_att_begin(&t, 1), 1);
	CHECK_INT(trace_att_end(&t, 1), 3);
	CHECK_INT(trace_att_begin(&t, 2), 3);
	CHECK_INT(trace_att_end(&t, 2), 3);
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 0), NULL), "gpt-4.1-mini");
	CHECK_INT(trace_att_status(&t, 0), STATUS_OK);
	CHECK_INT(trace_att_latency_us(&t, 0), 412500);
	uint64_t in, out, cached;
	trace_att_tokens(&t, 0, 0, &in, &out, &cached);
	CHECK_INT(in, 4);
	CHECK_INT(out, 120);
	CHECK_INT(cached, 2);
	CHECK_INT(trace_att_ts_us(&t, 0, 0), TRACE_NO_TIME);
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 1), NULL), "gpt-4.1-mini");
	CHECK_INT(trace_att_status(&t, 1), STATUS_TIMEOUT);
	CHECK_INT(trace_att_latency_us(&t, 1), 30000000);
	trace_att_tokens(&t, 1, 1, &in, &out, &cached);
	CHECK_INT(out, 200); /* the request's */
	CHECK_INT(trace_att_ts_us(&t, 1, 1), 1772445600000000LL);
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 2), NULL), "gpt-4.1");
	CHECK_INT(trace_att_status(&t, 2), STATUS_OK);
	trace_att_tokens(&t, 1, 2, &in, &out, &cached);
	CHECK_INT(in, 3000);
	CHECK_INT(out, 180);
	CHECK_INT(cached, 0);
	CHECK_INT(trace_att_latency_us(&t, 2), TRACE_NO_LATENCY);
	CHECK_INT(trace_att_ts_us(&t, 1, 2), 1772445630500000LL); /* 10:00:30.5 = 1772445600 s + 30.5 s */
	/* what this trace needs beyond the fixed columns: call ranges (request 2 has none,
	 * request 1 two), call 2's output tokens (180 ≠ 200, in 16 bits), call times, input_hash
	 * and cost; three kinds: (gpt-4.1-mini, ok), (gpt-4.1-mini, timeout), (gpt-4.1, ok) */
	CHECK_INT(t.optional, TRACE_HAS_ATT_FIRST | TRACE_HAS_ATT_OUTPUT_TOK | TRACE_HAS_ATT_TS |
	                      TRACE_HAS_INPUT_HASH | TRACE_HAS_COST | TRACE_NARROW_REQUEST |
	                      TRACE_NARROW_ATT_OUTPUT_TOK);
	CHECK(t.att_input_tok == NULL && t.att_cached_tok == NULL && t.att_kind16 == NULL);
	CHECK(t.att_output_tok == NULL && t.att_output_tok16 != NULL);
	/* the call times are 0 and 30.5 s after request 1's ts: offsets, none far */
	CHECK_INT(t.n_wide_ts, 0);
	CHECK_INT(t.n_kinds, 3);
	CHECK_INT(t.n_wide, 0);
	/* input texts are read by id once loaded: no lookup index, yet a lookup still works */
	uint32_t id;
	CHECK_INT(t.inputs.n_slots, 0);
	CHECK(intern_find(&t.inputs, "Reset password?", 15, &id) && id == t.input[0]);
	CHECK(!intern_find(&t.inputs, "Reset", 5, &id));
	CHECK_INT(intern_add(&t.inputs, "Reset", 5, &id), 0); /* the index comes back */
	CHECK_INT(id, 1);
	CHECK(t.inputs.n_slots >= 4);
	CHECK_INT(intern_add(&t.inputs, "Reset password?", 15, &id), 0);
	CHECK_INT(id, t.input[0]);
	/* quality stays in the store (requests_v) and out of memory */
	CHECK_INT(count(&s, "SELECT count(*) FROM requests_v WHERE trace = 'day1' AND quality = 0.5"), 1);
	trace_free(&t);
	store_close(&s);
}

/* Checks that a and b have the same shape, strings and columns; returns how many columns
 * (present in both) it compared. */
static size_t same_trace(struct trace *a, struct trace *b)
{
	struct trace_column ca[TRACE_MAX_COLUMNS], cb[TRACE_MAX_COLUMNS];
	struct trace_shape sa = trace_shape_of(a), sb = trace_shape_of(b);
	size_t n = trace_columns(a, ca), compared = 0;
	trace_columns(b, cb);
	CHECK_INT(sa.n_req, sb.n_req);
	CHECK_INT(sa.n_att, sb.n_att);
	CHECK_INT(sa.n_kinds, sb.n_kinds);
	CHECK_INT(sa.n_wide, sb.n_wide);
	CHECK_INT(sa.optional, sb.optional);
	CHECK_INT(a->names.n, b->names.n);
	CHECK_INT(a->inputs.n, b->inputs.n);
	for (uint32_t id = 0; id < a->names.n && id < b->names.n; id++)
		CHECK_STR(intern_str(&a->names, id, NULL), intern_str(&b->names, id, NULL));
	for (uint32_t id = 0; id < a->inputs.n && id < b->inputs.n; id++)
		CHECK_STR(intern_str(&a->inputs, id, NULL), intern_str(&b->inputs, id, NULL));
	if (sa.n_req != sb.n_req || sa.n_att != sb.n_att || sa.n_kinds != sb.n_kinds || sa.n_wide != sb.n_wide)
		return 0;
	for (size_t c = 0; c < n; c++) {
		if ((*ca[c].data != NULL) != (*cb[c].data != NULL))
			TEST_FAIL_("column %s is in one trace only", ca[c].name);
		if (!*ca[c].data || !*cb[c].data)
			continue;
		if (memcmp(*ca[c].data, *cb[c].data, trace_column_rows(&sa, &ca[c]) * ca[c].elem) != 0)
			TEST_FAIL_("column %s differs", ca[c].name);
		compared++;
	}
	return compared;
}

/*
 * Imports `text` as trace `name` into a fresh store file `db`, then loads it
 * through the columnar copy and the texts' blobs into *fast and, with those
 * deleted, through the rows into *rows.  Returns 0 when the import and both loads worked.
 */
static int load_both(const char *db, const char *name, const char *text, struct trace *fast,
                     struct trace *rows)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	char file[48];
	int rc = -1;
	memset(fast, 0, sizeof *fast);
	memset(rows, 0, sizeof *rows);
	snprintf(file, sizeof file, "%s.jsonl", name);
	open_fresh(&s, db);
	write_file(path_in(file), text);
	if (quiet_import(&s, path_in(file), NULL, 0, 0, &info, &e) == IMPORT_OK &&
	    store_load(&s, name, fast, &e) == 0 &&
	    sqlite3_exec(s.db, "DELETE FROM columns; DELETE FROM texts", NULL, NULL, NULL) == SQLITE_OK &&
	    store_load(&s, name, rows, &e) == 0)
		rc = 0;
	if (rc < 0)
		TEST_FAIL_("%s", e.msg);
	store_close(&s);
	return rc;
}

/* Two loads of the same trace, through the columnar copy and through the rows. */
/* ":memory:" is SQLite's store in memory (the fuzz targets use it): opening it makes no file of
 * that name in the current folder, as the 0600 file made ahead of a new store would. */
static void memory_store_makes_no_file(void)
{
	struct store s;
	struct err e = { "" };
	CHECK_INT(access(":memory:", F_OK), -1);
	CHECK_INT(store_open(&s, ":memory:", &e), 0);
	store_close(&s);
	CHECK_INT(access(":memory:", F_OK), -1);
}

/* store_exists: nothing there (ENOENT, or ENOTDIR: a part of the path is a file) is 0; a path
 * stat cannot look at (a loop of links: ELOOP) is -1 with the path and the reason, not 0 */
static void store_exists_tells_absent_from_unreachable(void)
{
	struct err e = { "" };
	char want[512];
	unlink(path_in("there.db"));
	unlink(path_in("plain"));
	unlink(path_in("loop.db"));
	CHECK_INT(store_exists(path_in("there.db"), &e), 0);
	/* an empty file is a store not made yet; one of a byte is there */
	CHECK_INT(close(open(path_in("there.db"), O_WRONLY | O_CREAT, 0600)), 0);
	CHECK_INT(store_exists(path_in("there.db"), &e), 0);
	write_file(path_in("there.db"), "x");
	CHECK_INT(store_exists(path_in("there.db"), &e), 1);
	CHECK_INT(close(open(path_in("plain"), O_WRONLY | O_CREAT, 0600)), 0);
	CHECK_INT(store_exists(path_in("plain/x.db"), &e), 0);
	CHECK_INT(symlink("loop.db", path_in("loop.db")), 0);
	CHECK_INT(store_exists(path_in("loop.db"), &e), -1);
	snprintf(want, sizeof want, "%s: cannot reach the store: %s", path_in("loop.db"), strerror(ELOOP));
	CHECK_STR(e.msg, want);
	unlink(path_in("there.db"));
	unlink(path_in("plain"));
	unlink(path_in("loop.db"));
}

static void columns_match_rows(void)
{
	struct trace a, b;
	if (load_both("cols.db", "cols", trace_text, &a, &b) == 0)
		/* every column the trace has: the 9 fixed request columns, cost_pusd, input_hash,
		 * att_first, att_kind8, att_latency_us, att_output_tok16, att_ts_off, the two kind
		 * tables, the two (empty) wide-latency and two (empty) wide-time tables = 22;
		 * absent: att_kind16, the other call token columns */
		CHECK_INT(same_trace(&a, &b), 22);
	trace_free(&a);
	trace_free(&b);
}

/* Every request has exactly one call (from its top-level model): call i is request i's,
 * and nothing optional is kept. */
static void one_call_each(void)
{
	static const char text[] =
		"{\"ts\":1,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":5,"
		"\"model\":\"m1\",\"latency_ms\":2}\n"
		"{\"ts\":2,\"tenant\":\"b\",\"task\":\"t\",\"input_tokens\":20,\"output_tokens\":6,"
		"\"model\":\"m2\",\"status\":\"rate_limited\"}\n"
		"{\"ts\":3,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":30,\"output_tokens\":7,"
		"\"cached_tokens\":8,\"model\":\"m1\",\"latency_ms\":0.5}\n";
	struct trace t, rows;
	if (load_both("one.db", "one", text, &t, &rows) < 0)
		goto out;
	/* 9 request columns, att_kind8, att_latency_us, two kind tables, two wide-latency and
	 * two wide-time tables */
	CHECK_INT(same_trace(&t, &rows), 17);
	CHECK_INT(t.n_att, 3);
	CHECK_INT(t.optional, TRACE_NARROW_REQUEST); /* small ids and tokens, arrivals 2 s apart */
	CHECK(t.att_first == NULL && t.input_hash == NULL && t.cost_pusd == NULL && t.att_ts_off == NULL);
	CHECK(t.att_input_tok == NULL && t.att_output_tok == NULL && t.att_cached_tok == NULL);
	for (uint32_t i = 0; i < 3; i++) {
		CHECK_INT(trace_att_begin(&t, i), i);
		CHECK_INT(trace_att_end(&t, i), i + 1);
		CHECK_INT(trace_input_hash(&t, i), TRACE_NONE);
		CHECK_INT(trace_att_ts_us(&t, i, i), TRACE_NO_TIME);
	}
	CHECK_INT(t.n_kinds, 2); /* (m1, ok), (m2, rate_limited) */
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 0), NULL), "m1");
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 1), NULL), "m2");
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 2), NULL), "m1");
	CHECK_INT(trace_att_status(&t, 0), STATUS_OK);
	CHECK_INT(trace_att_status(&t, 1), STATUS_RATE_LIMITED);
	CHECK_INT(trace_att_status(&t, 2), STATUS_OK);
	CHECK_INT(trace_att_latency_us(&t, 0), 2000);  /* 2 ms */
	CHECK_INT(trace_att_latency_us(&t, 1), TRACE_NO_LATENCY);
	CHECK_INT(trace_att_latency_us(&t, 2), 500);   /* 0.5 ms */
	uint64_t in, out, cached;
	trace_att_tokens(&t, 2, 2, &in, &out, &cached);
	CHECK_INT(in, 30);
	CHECK_INT(out, 7);
	CHECK_INT(cached, 8);
	trace_att_tokens(&t, 1, 1, &in, &out, &cached);
	CHECK_INT(in, 20);
	CHECK_INT(out, 6);
	CHECK_INT(cached, 0);
	/* the loaded intern tables are trimmed to size and still take new strings */
	uint32_t id;
	CHECK_INT(intern_add(&t.names, "later", 5, &id), 0);
	CHECK_INT(id, 5); /* a, t, m1, b, m2 came first */
	CHECK(intern_find(&t.names, "m2", 2, &id) && id == 4);
	CHECK_STR(intern_str(&t.names, 5, NULL), "later");
out:
	trace_free(&t);
	trace_free(&rows);
}

/* Calls that appear after single-call requests: the call ranges, per-call tokens and
 * times are added then, earlier calls taking their request's values. */
static void calls_with_own_tokens(void)
{
	static const char text[] =
		"{\"ts\":1,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":11,\"output_tokens\":12,"
		"\"model\":\"m1\",\"latency_ms\":1}\n"
		"{\"ts\":2,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":100,\"output_tokens\":50,"
		"\"cached_tokens\":10,\"attempts\":[{\"model\":\"m1\",\"status\":\"timeout\",\"latency_ms\":3},"
		"{\"model\":\"m2\",\"input_tokens\":90,\"output_tokens\":40,\"cached_tokens\":0,\"ts\":3}]}\n"
		"{\"ts\":4,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1}\n"
		"{\"ts\":5,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":7,\"output_tokens\":8,"
		"\"cached_tokens\":6,\"model\":\"m2\"}\n";
	struct trace t, rows;
	if (load_both("own.db", "own", text, &t, &rows) < 0)
		goto out;
	/* 9 request columns, att_first, att_kind8, att_latency_us, three token columns,
	 * att_ts_off, two kind tables, two wide-latency and two wide-time tables */
	CHECK_INT(same_trace(&t, &rows), 22);
	CHECK_INT(t.n_att, 4); /* 1 + 2 + 0 + 1 */
	static const uint32_t first[5] = { 0, 1, 3, 3, 4 };
	for (uint32_t i = 0; i < 4; i++) {
		CHECK_INT(trace_att_begin(&t, i), first[i]);
		CHECK_INT(trace_att_end(&t, i), first[i + 1]);
	}
	/* call → its request, and the tokens each call was billed from */
	static const uint32_t req[4] = { 0, 1, 1, 3 };
	static const uint64_t want[4][3] = { { 11, 12, 0 }, { 100, 50, 10 }, { 90, 40, 0 }, { 7, 8, 6 } };
	for (uint32_t a = 0; a < 4; a++) {
		uint64_t in, out, cached;
		trace_att_tokens(&t, req[a], a, &in, &out, &cached);
		CHECK_INT(in, want[a][0]);
		CHECK_INT(out, want[a][1]);
		CHECK_INT(cached, want[a][2]);
	}
	CHECK_INT(trace_att_ts_us(&t, 0, 0), TRACE_NO_TIME);
	CHECK_INT(trace_att_ts_us(&t, 1, 1), TRACE_NO_TIME);
	CHECK_INT(trace_att_ts_us(&t, 1, 2), 3000000); /* "ts":3 s */
	CHECK_INT(trace_att_ts_us(&t, 3, 3), TRACE_NO_TIME);
	CHECK_INT(trace_att_latency_us(&t, 0), 1000);
	CHECK_INT(trace_att_latency_us(&t, 1), 3000);
	CHECK_INT(trace_att_latency_us(&t, 2), TRACE_NO_LATENCY);
	CHECK_INT(trace_att_status(&t, 1), STATUS_TIMEOUT);
	CHECK_STR(intern_str(&t.names, trace_att_model(&t, 3), NULL), "m2");
	CHECK_INT(t.n_kinds, 3); /* (m1, ok), (m1, timeout), (m2, ok) */
out:
	trace_free(&t);
	trace_free(&rows);
}

/* Latencies at and past the 32-bit µs range go to the wide table, exactly. */
static void wide_latencies(void)
{
	static const char text[] =
		"{\"ts\":1,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,"
		"\"model\":\"m\",\"latency_ms\":4294967.293}\n"
		"{\"ts\":2,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,"
		"\"model\":\"m\",\"latency_ms\":4294967.294}\n"
		"{\"ts\":3,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,"
		"\"model\":\"m\",\"latency_ms\":10000000000000}\n"
		"{\"ts\":4,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,\"model\":\"m\"}\n"
		"{\"ts\":5,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,"
		"\"attempts\":[{\"model\":\"m\",\"latency_ms\":5000000},{\"model\":\"m\",\"latency_ms\":4294967.295}]}\n";
	struct trace t, rows;
	if (load_both("wide.db", "wide", text, &t, &rows) < 0)
		goto out;
	/* 9 request, att_first, att_kind8, latency, 2 kind, 2 wide-latency, 2 wide-time */
	CHECK_INT(same_trace(&t, &rows), 18);
	CHECK_INT(t.n_att, 6);
	/* 4294967.293 ms = 4294967293 µs = 2^32 - 3: the largest that fits; 2^32 - 2 and
	 * 2^32 - 1 are the two codes, so 4294967294 and 4294967295 µs are wide */
	CHECK_INT(trace_att_latency_us(&t, 0), 4294967293LL);
	CHECK_INT(trace_att_latency_us(&t, 1), 4294967294LL);
	CHECK_INT(trace_att_latency_us(&t, 2), 10000000000000000LL); /* 10^13 ms = 10^16 µs */
	CHECK_INT(trace_att_latency_us(&t, 3), TRACE_NO_LATENCY);
	CHECK_INT(trace_att_latency_us(&t, 4), 5000000000LL);        /* 5·10^6 ms */
	CHECK_INT(trace_att_latency_us(&t, 5), 4294967295LL);
	CHECK_INT(t.n_wide, 4);
	if (t.n_wide == 4) {
		CHECK_INT(t.wide_att[0], 1);
		CHECK_INT(t.wide_att[1], 2);
		CHECK_INT(t.wide_att[2], 4);
		CHECK_INT(t.wide_att[3], 5);
	}
	CHECK_INT(t.att_latency_us[0], 4294967293LL);
out:
	trace_free(&t);
	trace_free(&rows);
}

/* More than 256 kinds take two bytes per call; more than TRACE_MAX_KINDS are refused. */
static void many_kinds(void)
{
	size_t cap = 300 * 128, len = 0;
	char *text = malloc(cap);
	for (int m = 0; m < 300; m++)
		len += (size_t)snprintf(text + len, cap - len, "{\"ts\":%d,\"tenant\":\"a\",\"task\":\"t\","
		                        "\"input_tokens\":1,\"output_tokens\":1,\"model\":\"m%d\"}\n", m, m);
	struct trace t, rows;
	if (load_both("kinds.db", "kinds", text, &t, &rows) == 0) {
		CHECK_INT(same_trace(&t, &rows), 17); /* att_kind16 instead of att_kind8 */
		CHECK_INT(t.n_kinds, 300);
		CHECK(t.att_kind8 == NULL && t.att_kind16 != NULL);
		char want[16];
		for (uint32_t a = 0; a < 300; a += 37) { /* 0, 37, …, 296: either side of 256 */
			snprintf(want, sizeof want, "m%u", a);
			CHECK_STR(intern_str(&t.names, trace_att_model(&t, a), NULL), want);
		}
		CHECK_STR(intern_str(&t.names, trace_att_model(&t, 299), NULL), "m299");
	}
	trace_free(&t);
	trace_free(&rows);
	free(text);

	/* built directly: model ids 0 … 65535 with status ok fill the kinds */
	struct err e = { "" };
	struct trace b;
	struct trace_row r = { .input = TRACE_NONE, .input_hash = TRACE_NONE, .cost_pusd = TRACE_NO_COST };
	struct trace_call c = { .input_tok = -1, .output_tok = -1, .cached_tok = -1,
	                        .latency_us = TRACE_NO_LATENCY, .ts_us = TRACE_NO_TIME };
	CHECK_INT(trace_alloc(&b, &(struct trace_shape){ 0 }), 0);
	int failed = 0;
	for (uint32_t m = 0; m < TRACE_MAX_KINDS && !failed; m++) {
		c.model = m;
		failed = trace_append(&b, &r, &c, 1, &e) < 0;
	}
	CHECK_INT(failed, 0);
	CHECK_INT(b.n_kinds, 65536);
	c.status = STATUS_TIMEOUT; /* (0, timeout): one kind too many */
	c.model = 0;
	CHECK_INT(trace_append(&b, &r, &c, 1, &e), -1);
	CHECK_HAS(e.msg, "more than 65536 distinct pairs of model and status");
	CHECK_INT(b.n_req, 65536);
	c.status = STATUS_OK; /* a known kind still goes in */
	CHECK_INT(trace_append(&b, &r, &c, 1, &e), 0);
	CHECK_INT(trace_att_model(&b, 65536), 0);
	CHECK_INT(trace_att_model(&b, 65535), 65535);
	trace_free(&b);
}

/* Narrowed request columns: arrivals per block of TRACE_TS_BLOCK, 16-bit ids and
 * tokens where every value fits, the others kept wide. */
static void narrowed_columns(void)
{
	size_t cap = 300 * 128, len = 0;
	char *text = malloc(cap);
	/* requests 0 … 255 (block 0): 1000 s + 4294.967295 s at the last, a span of
	 * 2^32 - 1 µs; requests 256 … 299 (block 1) 10^9 s later; request 299 has
	 * 65536 input tokens (not 16 bits), every output token count fits */
	for (int i = 0; i < 300; i++) {
		const char *ts = i == 255 ? "5294.967295" : i < 256 ? "1000" : "1000001000";
		len += (size_t)snprintf(text + len, cap - len, "{\"ts\":%s,\"tenant\":\"a\",\"task\":\"t\","
		                        "\"input_tokens\":%d,\"output_tokens\":65535}\n", ts, i == 299 ? 65536 : i);
	}
	struct trace t, rows;
	if (load_both("narrow.db", "narrow", text, &t, &rows) == 0) {
		/* ts_base, ts_off, tenant16, task16, input_tok (wide), output_tok16, cached_tok16,
		 * input, flags, att_first, att_kind8, att_latency_us, 2 kind, 2 wide-latency,
		 * 2 wide-time tables */
		CHECK_INT(same_trace(&t, &rows), 18);
		CHECK_INT(t.optional & TRACE_NARROWED, TRACE_NARROW_REQUEST & ~TRACE_NARROW_INPUT_TOK);
		CHECK(t.ts_us == NULL && t.input_tok16 == NULL && t.input_tok != NULL);
		CHECK_INT(trace_ts_us(&t, 0), 1000000000LL);
		CHECK_INT(trace_ts_us(&t, 255), 5294967295LL);
		CHECK_INT(trace_ts_us(&t, 256), 1000001000000000LL);
		CHECK_INT(trace_ts_us(&t, 299), 1000001000000000LL);
		if (t.ts_base) {
			CHECK_INT(t.ts_base[0], 1000000000LL);
			CHECK_INT(t.ts_base[1], 1000001000000000LL);
			CHECK_INT(t.ts_off[255], 4294967295LL);
		}
		CHECK_INT(trace_input_tok(&t, 298), 298);
		CHECK_INT(trace_input_tok(&t, 299), 65536);
		CHECK_INT(trace_output_tok(&t, 7), 65535);
	}
	trace_free(&t);
	trace_free(&rows);
	free(text);

	/* built directly: a block spanning 2^32 µs keeps ts_us; a tenant id of 70000 keeps tenant */
	struct err e = { "" };
	struct trace b;
	struct trace_row r = { .input = TRACE_NONE, .input_hash = TRACE_NONE, .cost_pusd = TRACE_NO_COST,
	                       .difficulty = DIFFICULTY_HARD, .realtime = 0 };
	CHECK_INT(trace_alloc(&b, &(struct trace_shape){ 0 }), 0);
	r.ts_us = -5;
	CHECK_INT(trace_append(&b, &r, NULL, 0, &e), 0);
	r.ts_us = 4294967291LL; /* -5 + 2^32 */
	r.tenant = 70000;
	r.realtime = 1;
	r.difficulty = DIFFICULTY_EASY;
	CHECK_INT(trace_append(&b, &r, NULL, 0, &e), 0);
	trace_trim(&b);
	CHECK_INT(b.optional & TRACE_NARROWED, TRACE_NARROW_REQUEST & ~(TRACE_NARROW_TS | TRACE_NARROW_TENANT));
	CHECK(b.ts_us != NULL && b.tenant != NULL && b.task16 != NULL);
	CHECK_INT(trace_ts_us(&b, 0), -5);
	CHECK_INT(trace_ts_us(&b, 1), 4294967291LL);
	CHECK_INT(trace_tenant(&b, 1), 70000);
	CHECK_INT(trace_difficulty(&b, 0), DIFFICULTY_HARD);
	CHECK_INT(trace_realtime(&b, 0), 0);
	CHECK_INT(trace_difficulty(&b, 1), DIFFICULTY_EASY);
	CHECK_INT(trace_realtime(&b, 1), 1);
	CHECK_INT(trace_append(&b, &r, NULL, 0, &e), -1); /* narrowed: complete */
	CHECK_HAS(e.msg, "a trimmed trace takes no more rows");
	CHECK_INT(b.n_req, 2);
	trace_free(&b);
}

/* Call times as 32-bit offsets from their request's ts, with the far ones in a side
 * table; call tokens in 16 bits where every value of a column fits, else 32. */
static void call_times_and_tokens(void)
{
	/* both requests arrive at 10000 s = 10^10 µs; INT32_MIN and INT32_MIN + 1 are the
	 * absent and wide codes, so offsets from -2^31 + 2 to 2^31 - 1 µs fit */
	static const char text[] =
		"{\"ts\":10000,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":5,\"output_tokens\":6,"
		"\"attempts\":[{\"model\":\"m\",\"ts\":10000,\"input_tokens\":65536,\"output_tokens\":65535},"
		"{\"model\":\"m\",\"ts\":12147.483647,\"input_tokens\":7},{\"model\":\"m\"}]}\n"
		"{\"ts\":10000,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":5,\"output_tokens\":6,"
		"\"attempts\":[{\"model\":\"m\",\"ts\":7852.516354},{\"model\":\"m\",\"ts\":7852.516353},"
		"{\"model\":\"m\",\"ts\":12147.483648}]}\n";
	struct trace t, rows;
	if (load_both("times.db", "times", text, &t, &rows) < 0)
		goto out;
	/* 9 request columns, att_first, att_kind8, att_latency_us, att_input_tok (32-bit),
	 * att_output_tok16, att_ts_off, 2 kind, 2 wide-latency, 2 wide-time tables: 9 + 6 + 6 */
	CHECK_INT(same_trace(&t, &rows), 21);
	CHECK_INT(t.n_att, 6);
	/* call 0: 10000 s, offset 0; call 1: 12147.483647 s = 10^10 + 2147483647 µs, offset
	 * 2^31 - 1, the largest that fits; call 2: no ts */
	CHECK_INT(trace_att_ts_us(&t, 0, 0), 10000000000LL);
	CHECK_INT(trace_att_ts_us(&t, 0, 1), 12147483647LL);
	CHECK_INT(trace_att_ts_us(&t, 0, 2), TRACE_NO_TIME);
	/* call 3: 7852.516354 s, offset 7852516354 - 10^10 = -2147483646 = -2^31 + 2, the
	 * smallest that fits; call 4: -2147483647 (the wide code's value) and call 5:
	 * +2147483648 = 2^31 do not fit */
	CHECK_INT(trace_att_ts_us(&t, 1, 3), 7852516354LL);
	CHECK_INT(trace_att_ts_us(&t, 1, 4), 7852516353LL);
	CHECK_INT(trace_att_ts_us(&t, 1, 5), 12147483648LL);
	CHECK(t.att_ts_off != NULL);
	if (t.att_ts_off) {
		CHECK_INT(t.att_ts_off[0], 0);
		CHECK_INT(t.att_ts_off[1], 2147483647LL);
		CHECK_INT(t.att_ts_off[2], TRACE_TS_OFF_ABSENT);
		CHECK_INT(t.att_ts_off[3], -2147483646LL);
		CHECK_INT(t.att_ts_off[4], TRACE_TS_OFF_WIDE);
		CHECK_INT(t.att_ts_off[5], TRACE_TS_OFF_WIDE);
	}
	CHECK_INT(t.n_wide_ts, 2);
	if (t.n_wide_ts == 2) {
		CHECK_INT(t.wide_ts_att[0], 4);
		CHECK_INT(t.wide_ts_att[1], 5);
		CHECK_INT(t.wide_ts_us[1], 12147483648LL);
	}
	/* input tokens 65536, 7, 5 (the request's), 5, 5, 5: 65536 needs 17 bits, so 32-bit;
	 * output tokens 65535, then the request's 6: 16-bit; no call has its own cached tokens */
	CHECK(t.att_input_tok != NULL && t.att_input_tok16 == NULL);
	CHECK(t.att_output_tok == NULL && t.att_output_tok16 != NULL);
	CHECK(t.att_cached_tok == NULL && t.att_cached_tok16 == NULL);
	CHECK_INT(t.optional & TRACE_NARROW_ATT, TRACE_NARROW_ATT_OUTPUT_TOK);
	static const uint32_t req[6] = { 0, 0, 0, 1, 1, 1 };
	static const uint64_t want[6][2] = { { 65536, 65535 }, { 7, 6 }, { 5, 6 }, { 5, 6 }, { 5, 6 }, { 5, 6 } };
	for (uint32_t a = 0; a < 6; a++) {
		uint64_t in, out, cached;
		trace_att_tokens(&t, req[a], a, &in, &out, &cached);
		CHECK_INT(in, want[a][0]);
		CHECK_INT(out, want[a][1]);
		CHECK_INT(cached, 0);
	}
out:
	trace_free(&t);
	trace_free(&rows);

	/* built directly: times either side of the epoch and near the ends of the 64-bit
	 * range, whose differences from the request's ts would overflow, go wide */
	struct err e = { "" };
	struct trace b;
	struct trace_row r = { .ts_us = INT64_MAX - 10, .input = TRACE_NONE, .input_hash = TRACE_NONE,
	                       .cost_pusd = TRACE_NO_COST };
	struct trace_call c[3] = {
		{ .input_tok = -1, .output_tok = -1, .cached_tok = -1, .latency_us = TRACE_NO_LATENCY,
		  .ts_us = INT64_MIN + 1 },
		{ .input_tok = -1, .output_tok = -1, .cached_tok = -1, .latency_us = TRACE_NO_LATENCY,
		  .ts_us = INT64_MAX },
		{ .input_tok = -1, .output_tok = -1, .cached_tok = -1, .latency_us = TRACE_NO_LATENCY,
		  .ts_us = TRACE_NO_TIME },
	};
	uint32_t m;
	CHECK_INT(trace_alloc(&b, &(struct trace_shape){ 0 }), 0);
	CHECK_INT(intern_add(&b.names, "m", 1, &m), 0); /* the calls' model, id 0 */
	CHECK_INT(trace_append(&b, &r, c, 3, &e), 0);
	trace_trim(&b);
	CHECK_INT(b.n_wide_ts, 1);                       /* INT64_MIN + 1 is far; INT64_MAX is 10 after */
	CHECK_INT(trace_att_ts_us(&b, 0, 0), INT64_MIN + 1);
	CHECK_INT(trace_att_ts_us(&b, 0, 1), INT64_MAX);
	CHECK_INT(trace_att_ts_us(&b, 0, 2), TRACE_NO_TIME);
	/* which an import never makes: times past year 9999 are damage */
	CHECK_INT(trace_check(&b, &e), -1);
	CHECK_HAS(e.msg, "an arrival time is out of range");
	trace_free(&b);
	/* at the ends of what an import admits: fine; an offset one µs past it is damage */
	r.ts_us = TRACE_TS_MAX_US - 10;
	c[0].ts_us = TRACE_TS_MIN_US;
	c[1].ts_us = TRACE_TS_MAX_US;
	CHECK_INT(trace_alloc(&b, &(struct trace_shape){ 0 }), 0);
	CHECK_INT(intern_add(&b.names, "m", 1, &m), 0);
	CHECK_INT(trace_append(&b, &r, c, 3, &e), 0);
	trace_trim(&b);
	CHECK_INT(b.n_wide_ts, 1);
	CHECK_INT(trace_check(&b, &e), 0);
	b.att_ts_off[2] = 11;
	CHECK_INT(trace_check(&b, &e), -1);
	CHECK_HAS(e.msg, "a call's time is out of range");
	b.att_ts_off[2] = TRACE_TS_OFF_WIDE; /* a far time the side table does not list */
	CHECK_INT(trace_check(&b, &e), -1);
	CHECK_HAS(e.msg, "the table of far call times does not match the calls");
	b.att_ts_off[2] = TRACE_TS_OFF_ABSENT;
	b.wide_ts_us[0] = TRACE_TS_MIN_US - 1;
	CHECK_INT(trace_check(&b, &e), -1);
	CHECK_HAS(e.msg, "a call's time is out of range");
	trace_free(&b);
}

/* String offsets are 32-bit until the bytes would pass off32_max, then 64-bit. */
static void intern_offsets(void)
{
	struct intern in;
	uint32_t id;
	size_t len;
	intern_init(&in);
	CHECK_INT(in.off32_max, UINT32_MAX);
	in.off32_max = 10;
	CHECK_INT(intern_add(&in, "abc", 3, &id), 0);  /* bytes 0 … 3 */
	CHECK_INT(intern_add(&in, "defg", 4, &id), 0); /* 4 … 8: 9 bytes, within 10 */
	CHECK(in.off32 != NULL && in.off64 == NULL);
	/* first growth: 64 ids (65 offsets), 4096 bytes, 64 slots: 4096 + 65 × 4 + 64 × 4 */
	CHECK_INT(intern_bytes(&in), 4612);
	CHECK_INT(intern_add(&in, "h", 1, &id), 0);    /* 9 + 2 = 11 bytes > 10 */
	CHECK_INT(id, 2);
	CHECK(in.off32 == NULL && in.off64 != NULL);
	CHECK_INT(intern_bytes(&in), 4872);            /* 4096 + 65 × 8 + 64 × 4 */
	CHECK_STR(intern_str(&in, 0, &len), "abc");
	CHECK_INT(len, 3);
	CHECK_STR(intern_str(&in, 1, &len), "defg");
	CHECK_INT(len, 4);
	CHECK_STR(intern_str(&in, 2, &len), "h");
	CHECK_INT(len, 1);
	CHECK(intern_find(&in, "defg", 4, &id) && id == 1);
	CHECK_INT(intern_add(&in, "abc", 3, &id), 0);
	CHECK_INT(id, 0);
	intern_trim(&in);
	CHECK_INT(intern_bytes(&in), 299);             /* 11 + 4 × 8 + 64 × 4 */
	intern_drop_index(&in);
	CHECK(intern_find(&in, "h", 1, &id) && id == 2);
	intern_fini(&in);
}

/* A store written before the layout row existed (columns of the first layout) loads
 * from its rows, as does one whose layout row is of another version. */
static void first_layout_store(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace now, old, other;
	memset(&old, 0, sizeof old);
	memset(&other, 0, sizeof other);
	open_fresh(&s, "v1.db");
	write_file(path_in("v1.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("v1.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(store_load(&s, "v1", &now, &e), 0);
	/* the first layout's column set for this trace: att_model as 4 bytes per call,
	 * latencies and times as 8, quality, no layout row */
	CHECK_INT(sqlite3_exec(s.db, "UPDATE columns SET data = zeroblob(12) WHERE name = 'att_latency_us';"
	                       "DELETE FROM columns WHERE name IN ('layout', 'att_kind8', 'kind_model',"
	                       " 'kind_status', 'wide_att', 'wide_latency_us');"
	                       "INSERT INTO columns SELECT trace_id, 'att_model', 0, zeroblob(12) FROM columns"
	                       " WHERE name = 'ts_us';"
	                       "INSERT INTO columns SELECT trace_id, 'att_status', 0, zeroblob(3) FROM columns"
	                       " WHERE name = 'ts_us';"
	                       "INSERT INTO columns SELECT trace_id, 'quality', 0, zeroblob(12) FROM columns"
	                       " WHERE name = 'ts_us';", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_load(&s, "v1", &old, &e), 0);
	CHECK_INT(same_trace(&now, &old), 22);
	/* a layout row of a version this program does not know */
	CHECK_INT(sqlite3_exec(s.db, "INSERT INTO columns SELECT trace_id, 'layout', 0, zeroblob(24) FROM columns"
	                       " WHERE name = 'ts_us'", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_load(&s, "v1", &other, &e), 0);
	CHECK_INT(same_trace(&now, &other), 22);
	trace_free(&other);
	/* the previous version's row in this version's size (version, 5 counts, optional):
	 * not read, whatever the counts say */
	const uint32_t v3[7] = { 3, 3, 3, 3, 0, 0, 0 };
	sqlite3_stmt *st;
	CHECK_INT(sqlite3_prepare_v2(s.db, "UPDATE columns SET data = ? WHERE name = 'layout'", -1, &st, NULL),
	          SQLITE_OK);
	sqlite3_bind_blob(st, 1, v3, sizeof v3, SQLITE_STATIC);
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	CHECK_INT(store_load(&s, "v1", &other, &e), 0);
	CHECK_INT(same_trace(&now, &other), 22);
	trace_free(&now);
	trace_free(&old);
	trace_free(&other);
	store_close(&s);
}

/* A copy of another layout version is not read, even when its layout row has this version's
 * size and its columns would pass for this layout's: the trace loads from its rows.  Here the
 * version is 3 and a time offset is flipped, which read as this layout is damage
 * (damaged_columns); from the rows the trace is as imported. */
static void other_layout_version_not_read(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace now, rows;
	open_fresh(&s, "v3.db");
	write_file(path_in("v3.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("v3.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(store_load(&s, "v3", &now, &e), 0);
	CHECK_INT(sqlite3_exec(s.db, "UPDATE columns SET data = x'03000000' || substr(data, 5) WHERE name = 'layout';"
	                       "UPDATE columns SET data = x'00000080' || substr(data, 5) WHERE name = 'ts_off'",
	                       NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_load(&s, "v3", &rows, &e), 0);
	CHECK_INT(same_trace(&now, &rows), 22);
	trace_free(&now);
	trace_free(&rows);
	store_close(&s);
}

/*
 * The input texts load from their blobs as from the rows of `inputs`: an empty one, one with a
 * NUL byte, many chunks when a chunk holds 64 bytes, and a text longer than that in a chunk of
 * its own.  Blobs that do not add up, or of another import, are passed over for the rows, and
 * written again.
 */
static void texts_blobs(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace blobs, rows, again;
	char line[512], text[8192] = "";
	const char *inputs[] = { "", "a\\u0000b", "Reset password?",
		"a text of more than sixty-four bytes, which goes in a chunk of its own, alone" };
	for (int k = 0; k < 40; k++) {
		const char *in = k < 4 ? inputs[k] : NULL;
		char own[32];
		snprintf(own, sizeof own, "question %d", k);
		snprintf(line, sizeof line, "{\"ts\":%d,\"tenant\":\"a\",\"task\":\"b\",\"output_tokens\":1,\"input\":\"%s\"}\n", k + 1,
		         in ? in : own);
		strcat(text, line);
	}
	open_fresh(&s, "texts.db");
	s.texts_chunk = 64;
	write_file(path_in("x.jsonl"), text);
	CHECK_INT(quiet_import(&s, path_in("x.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	/* 40 texts of 4 + 0..77 bytes, 64 to a chunk: the count and a few texts in each */
	CHECK(count(&s, "SELECT count(*) FROM texts") > 10);
	CHECK_INT(count(&s, "SELECT count(*) FROM texts WHERE length(data) > 64"), 1);
	/* read from the blobs: a text changed in the rows alone does not show */
	CHECK_INT(sqlite3_exec(s.db, "UPDATE inputs SET text = 'changed' WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_load(&s, "x", &blobs, &e), 0);
	CHECK_STR(intern_str(&blobs.inputs, 2, NULL), "Reset password?");
	CHECK_INT(sqlite3_exec(s.db, "UPDATE inputs SET text = 'Reset password?' WHERE id = 2", NULL, NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(blobs.inputs.n, 40);
	size_t n;
	CHECK(memcmp(intern_str(&blobs.inputs, 1, &n), "a\0b", 4) == 0 && n == 3);
	CHECK_INT(sqlite3_exec(s.db, "CREATE TEMP TABLE intact AS SELECT * FROM texts; DELETE FROM texts",
	                       NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_load(&s, "x", &rows, &e), 0);
	CHECK(same_trace(&blobs, &rows) >= 9); /* the fixed request columns at least */
	static const char *const damage[] = {
		"UPDATE texts SET data = x'29000000' || substr(data, 5) WHERE chunk = 0", /* one text too many */
		"DELETE FROM texts WHERE chunk = 1",
		"UPDATE texts SET data = substr(data, 1, length(data) - 1) WHERE chunk = 2", /* a text cut */
		"UPDATE texts SET data = data || x'00' WHERE chunk = 2",                     /* a stray byte */
		"UPDATE texts SET chunk = 100 WHERE chunk = 3",
		/* another import's, under a trace id an older llmcost freed and reused */
		"UPDATE texts SET imported_at = '2020-01-01T00:00:00Z' WHERE chunk = 4",
	};
	const char *same = "SELECT count(*) FROM texts t JOIN intact i USING (trace_id, chunk)"
	                   " WHERE t.data = i.data AND t.imported_at = i.imported_at";
	int64_t chunks = count(&s, "SELECT count(*) FROM intact");
	for (size_t k = 0; k <= sizeof damage / sizeof damage[0]; k++) {
		/* written again by the load from the rows, each time as imported */
		CHECK_INT(count(&s, same), chunks);
		CHECK_INT(count(&s, "SELECT count(*) FROM texts"), chunks);
		if (k == sizeof damage / sizeof damage[0])
			break;
		CHECK_INT(sqlite3_exec(s.db, damage[k], NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(store_load(&s, "x", &again, &e), 0);
		CHECK(same_trace(&blobs, &again) >= 9);
		trace_free(&again);
	}
	trace_free(&blobs);
	trace_free(&rows);
	store_close(&s);
}

/* A copy in this layout with a column missing, or calls of a kind it does not have,
 * is damage (not a reason to fall back to the rows).  The layout row cut to its size before
 * the sum (an import of an earlier version): the damage each check finds, not the sum's. */
static void damaged_columns(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace t;
	open_fresh(&s, "damage.db");
	write_file(path_in("d.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("d.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(sqlite3_exec(s.db, "UPDATE columns SET data = substr(data, 1, 28) WHERE name = 'layout'",
	                       NULL, NULL, NULL), SQLITE_OK);
	sqlite3_exec(s.db, "UPDATE columns SET data = x'000102' WHERE name = 'att_kind8'", NULL, NULL, NULL);
	CHECK_INT(store_load(&s, "d", &t, &e), 0); /* kinds 0, 1, 2 of 3: fine */
	trace_free(&t);
	sqlite3_exec(s.db, "UPDATE columns SET data = x'000103' WHERE name = 'att_kind8'", NULL, NULL, NULL);
	CHECK_INT(store_load(&s, "d", &t, &e), -1);
	CHECK_HAS(e.msg, "is damaged: a recorded call's model or status is unknown");
	/* ids past their tables, a difficulty that is none of the three: each found, none read */
	static const char *const wrong[][2] = {
		{ "UPDATE columns SET data = x'ff7f' || substr(data, 3) WHERE name = 'tenant16'", "unknown tenant or task" },
		{ "UPDATE columns SET data = substr(data, 1, 4) || x'ff7f' WHERE name = 'task16'", "idx 2 has an unknown tenant" },
		{ "UPDATE columns SET data = x'01000000' || substr(data, 5) WHERE name = 'input'", "unknown input or input_hash" },
		{ "UPDATE columns SET data = substr(data, 1, 4) || x'09000000' || substr(data, 9) WHERE name = 'input_hash'",
		  "idx 1 has an unknown input or input_hash" },
		{ "UPDATE columns SET data = x'07' || substr(data, 2) WHERE name = 'flags'", "idx 0 has an unknown difficulty" },
		{ "UPDATE columns SET data = x'feffffffffffffff' || substr(data, 9) WHERE name = 'cost_pusd'",
		  "idx 0 has a negative cost" },
		/* past year 9999, where adding a latency or a window would overflow */
		{ "UPDATE columns SET data = x'00ffffffffffff7f' WHERE name = 'ts_base'", "an arrival time is out of range" },
		/* in range, but not the span the import recorded: a bit flipped in a time offset */
		{ "UPDATE columns SET data = x'00000080' || substr(data, 5) WHERE name = 'ts_off'",
		  "its arrivals do not span what its import recorded" },
	};
	sqlite3_exec(s.db, "UPDATE columns SET data = x'000102' WHERE name = 'att_kind8';"
	             "CREATE TEMP TABLE intact AS SELECT name, chunk, data FROM columns", NULL, NULL, NULL);
	for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
		CHECK_INT(sqlite3_exec(s.db, wrong[k][0], NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_changes(s.db), 1);
		CHECK_INT(store_load(&s, "d", &t, &e), -1);
		CHECK_HAS(e.msg, wrong[k][1]);
		sqlite3_exec(s.db, "UPDATE columns SET data = (SELECT data FROM intact i WHERE i.name = columns.name"
		             " AND i.chunk = columns.chunk)", NULL, NULL, NULL);
		CHECK_INT(store_load(&s, "d", &t, &e), 0);
		trace_free(&t);
	}
	/* a layout row whose shape is not what the import recorded (3 requests, 3 calls: round_trip) */
	static const char *const counts[] = { "UPDATE traces SET requests = 2", "UPDATE traces SET attempts = 4" };
	for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
		CHECK_INT(sqlite3_exec(s.db, counts[k], NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(store_load(&s, "d", &t, &e), -1);
		CHECK_HAS(e.msg, "trace \"d\": the columns table is damaged");
		CHECK_INT(sqlite3_exec(s.db, "UPDATE traces SET requests = 3, attempts = 3", NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(store_load(&s, "d", &t, &e), 0);
		trace_free(&t);
	}
	sqlite3_exec(s.db, "DELETE FROM columns WHERE name = 'att_latency_us'", NULL, NULL, NULL);
	CHECK_INT(store_load(&s, "d", &t, &e), -1);
	CHECK_HAS(e.msg, "trace \"d\": the columns table is damaged");
	store_close(&s);
}

/* The columnar copy's sum, written by the import, is checked at each load: a byte changed in a
 * column that no other check reads as damage (a call's latency, input tokens) was loaded, and
 * changed replay's figures without a word.  A layout row without the sum (an earlier import's,
 * 28 bytes) is read without the check. */
static void summed_columns(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace t, now;
	open_fresh(&s, "sum.db");
	write_file(path_in("sum.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("sum.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(count(&s, "SELECT length(data) FROM columns WHERE name = 'layout'"), 40);
	CHECK_INT(store_load(&s, "sum", &now, &e), 0);
	static const char *const flips[] = {
		"UPDATE columns SET data = x'07' || substr(data, 2) WHERE name = 'att_latency_us'",
		"UPDATE columns SET data = x'07' || substr(data, 2) WHERE name = 'input_tok16'",
	};
	sqlite3_exec(s.db, "CREATE TEMP TABLE whole AS SELECT name, chunk, data FROM columns", NULL, NULL, NULL);
	for (size_t k = 0; k < sizeof flips / sizeof flips[0]; k++) {
		CHECK_INT(sqlite3_exec(s.db, flips[k], NULL, NULL, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_changes(s.db), 1);
		CHECK_INT(store_load(&s, "sum", &t, &e), -1);
		CHECK_HAS(e.msg, "trace \"sum\": the columns table is damaged (its sum does not match what its "
		          "import wrote)");
		/* without the sum, the byte loads: what an earlier import's store cannot tell */
		sqlite3_exec(s.db, "UPDATE columns SET data = substr(data, 1, 28) WHERE name = 'layout'", NULL, NULL, NULL);
		CHECK_INT(store_load(&s, "sum", &t, &e), 0);
		CHECK(columns_sum(&now) != columns_sum(&t)); /* the byte changed a figure's input */
		trace_free(&t);
		sqlite3_exec(s.db, "UPDATE columns SET data = (SELECT data FROM whole w WHERE w.name = columns.name"
		             " AND w.chunk = columns.chunk)", NULL, NULL, NULL);
		CHECK_INT(store_load(&s, "sum", &t, &e), 0);
		CHECK_INT(same_trace(&now, &t), 22);
		trace_free(&t);
	}
	trace_free(&now);
	store_close(&s);
}

static int64_t total_rows(struct store *s)
{
	return count(s, "SELECT (SELECT count(*) FROM traces) + (SELECT count(*) FROM requests) +"
	                " (SELECT count(*) FROM attempts) + (SELECT count(*) FROM rejects) +"
	                " (SELECT count(*) FROM names) + (SELECT count(*) FROM inputs) +"
	                " (SELECT count(*) FROM columns) + (SELECT count(*) FROM texts)");
}

static void strict_writes_nothing(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	open_fresh(&s, "strict.db");
	write_file(path_in("good.jsonl"), "{\"ts\":1,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\n");
	write_file(path_in("mixed.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("good.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	int64_t before = total_rows(&s);
	CHECK_INT(quiet_import(&s, path_in("mixed.jsonl"), NULL, 1, 0, &info, &e), IMPORT_REJECTED);
	CHECK_HAS(e.msg, "mixed.jsonl:4: not JSON");
	CHECK_INT(total_rows(&s), before);
	CHECK_INT(count(&s, "SELECT count(*) FROM traces WHERE name = 'mixed'"), 0);
	store_close(&s);
}

static void failure_rolls_back(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info infos[2];
	open_fresh(&s, "rollback.db");
	write_file(path_in("one.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("one.jsonl"), NULL, 0, 0, infos, &e), IMPORT_OK);
	int64_t before = total_rows(&s);
	/* the second file of a two-file import cannot be read: the first must not land either */
	struct import_opts o = { 0 };
	write_file(path_in("two.jsonl"), trace_text);
	const char *files[2] = { path_in("two.jsonl"), path_in("missing.jsonl") };
	CHECK_INT(import_files(&s, files, 2, &o, infos, &e), IMPORT_FAILED);
	CHECK_HAS(e.msg, "missing.jsonl");
	CHECK_INT(total_rows(&s), before);
	/* a name clash is refused and changes nothing */
	CHECK_INT(quiet_import(&s, path_in("one.jsonl"), NULL, 0, 0, infos, &e), IMPORT_EXISTS);
	CHECK_HAS(e.msg, "already stored");
	CHECK_HAS(e.msg, "--replace");
	CHECK_INT(total_rows(&s), before);
	/* a stop request abandons the import */
	struct import_stop stop = { SIGINT, { -1, -1 } };
	struct import_opts o2 = { .name = "stopped", .stop = &stop };
	const char *big[1] = { path_in("big.jsonl") };
	FILE *f = fopen(big[0], "w");
	for (int i = 0; i < 10000; i++)
		fprintf(f, "{\"ts\":%d,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\n", i);
	fclose(f);
	CHECK_INT(import_files(&s, big, 1, &o2, infos, &e), IMPORT_STOPPED);
	CHECK_INT(total_rows(&s), before);
	store_close(&s);
}

/* The caches' normalized inputs, kept per trace and set of steps: back as kept, in chunks;
 * not read when made under other rules, for another import of the name or of another length;
 * replaced when kept again; gone with their trace, and with a --replace import. */
static void kept_normalized_inputs(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	uint32_t ids[3] = { 0, 1, 0 }, other[3] = { 0, 1, 1 }, *got;
	open_fresh(&s, "norms.db");
	CHECK_INT(count(&s, "PRAGMA page_size"), 65536); /* a store made now */
	write_file(path_in("n.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("n.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(store_norms_load(&s, "n", 7, 3, &got, &e), 0);
	CHECK(got == NULL);
	CHECK_INT(store_norms_keep(&s, "n", 7, ids, 3, &e), 0);
	CHECK_INT(store_norms_keep(&s, "n", 1, other, 3, &e), 0);
	CHECK_INT(store_norms_load(&s, "n", 7, 3, &got, &e), 1);
	CHECK(got && memcmp(got, ids, sizeof ids) == 0);
	free(got);
	CHECK_INT(store_norms_load(&s, "n", 1, 3, &got, &e), 1);
	CHECK(got && memcmp(got, other, sizeof other) == 0);
	free(got);
	CHECK_INT(store_norms_load(&s, "n", 3, 3, &got, &e), 0); /* a set never kept */
	CHECK_INT(store_norms_load(&s, "n", 7, 4, &got, &e), 0); /* another number of inputs */
	CHECK_INT(store_norms_load(&s, "nope", 7, 3, &got, &e), 0);
	/* kept again: replaced */
	CHECK_INT(store_norms_keep(&s, "n", 7, other, 3, &e), 0);
	CHECK_INT(store_norms_load(&s, "n", 7, 3, &got, &e), 1);
	CHECK(got && memcmp(got, other, sizeof other) == 0);
	free(got);
	/* over 16 MiB, in two chunks: read back whole; without its second chunk, none */
	uint32_t n_big = (16u << 20) / 4 + 2, *big = malloc(n_big * sizeof *big);
	for (uint32_t i = 0; i < n_big; i++)
		big[i] = i;
	CHECK_INT(store_norms_keep(&s, "n", 2, big, n_big, &e), 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM normalized WHERE flags = 2"), 2);
	CHECK_INT(store_norms_load(&s, "n", 2, n_big, &got, &e), 1);
	CHECK(got && memcmp(got, big, n_big * sizeof *big) == 0);
	free(got);
	free(big);
	CHECK_INT(sqlite3_exec(s.db, "DELETE FROM normalized WHERE flags = 2 AND chunk = 1", NULL, NULL, NULL),
	          SQLITE_OK);
	CHECK_INT(store_norms_load(&s, "n", 2, n_big, &got, &e), 0);
	/* other rules, another import time */
	CHECK_INT(sqlite3_exec(s.db, "UPDATE normalized SET rules = 'steps 0' WHERE flags = 7",
	                       NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_norms_load(&s, "n", 7, 3, &got, &e), 0);
	CHECK_INT(store_norms_keep(&s, "n", 7, ids, 3, &e), 0);
	CHECK_INT(sqlite3_exec(s.db, "UPDATE normalized SET imported_at = '2020-01-01T00:00:00Z' WHERE flags = 7",
	                       NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_norms_load(&s, "n", 7, 3, &got, &e), 0);
	/* a store another process is writing: not kept, at once (not after the 5 s a write waits) */
	sqlite3 *writer;
	CHECK_INT(sqlite3_open(path_in("norms.db"), &writer), SQLITE_OK);
	CHECK_INT(sqlite3_exec(writer, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	time_t before = time(NULL);
	CHECK_INT(store_norms_keep(&s, "n", 4, ids, 3, &e), -1);
	CHECK(time(NULL) - before < 3);
	sqlite3_exec(writer, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(writer);
	CHECK_INT(store_norms_keep(&s, "n", 4, ids, 3, &e), 0);
	/* gone with the trace, whether replaced or removed */
	CHECK_INT(store_norms_keep(&s, "n", 7, ids, 3, &e), 0);
	CHECK_INT(quiet_import(&s, path_in("n.jsonl"), NULL, 0, 1, &info, &e), IMPORT_OK);
	CHECK_INT(count(&s, "SELECT count(*) FROM normalized"), 0);
	CHECK_INT(store_norms_keep(&s, "n", 7, ids, 3, &e), 0);
	const char *names[1] = { "n" };
	CHECK_INT(store_delete(&s, names, 1, NULL, NULL, NULL, &e), 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM normalized"), 0);
	CHECK_INT(store_norms_keep(&s, "n", 7, ids, 3, &e), -1);
	CHECK_HAS(e.msg, "no trace named \"n\"");
	store_close(&s);
}

/* A store of schema 1 made before the table of kept normalized inputs gets it when opened,
 * and one this process cannot write opens without it, its traces still removable. */
/* A trace replaced by another process between a load and a keep: what was made from the old
 * one is not kept for the new one (same id, maybe the same second), nor are its texts. */
static void replaced_between_load_and_keep(void)
{
	struct store a, b;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace t;
	uint32_t ids[3] = { 0, 0, 0 };
	open_fresh(&a, "race.db");
	write_file(path_in("r.jsonl"), trace_text);
	CHECK_INT(quiet_import(&a, path_in("r.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(sqlite3_exec(a.db, "DELETE FROM texts", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(store_load(&a, "r", &t, &e), 0); /* loads from the rows, keeps the texts */
	trace_free(&t);
	CHECK_INT(count(&a, "SELECT count(*) FROM texts") > 0, 1);
	char loaded[sizeof a.loaded_import];
	snprintf(loaded, sizeof loaded, "%s", a.loaded_import);
	CHECK_INT(store_open(&b, path_in("race.db"), &e), 0);
	CHECK_INT(quiet_import(&b, path_in("r.jsonl"), NULL, 0, 1, &info, &e), IMPORT_OK);
	store_close(&b);
	CHECK_INT(store_norms_keep(&a, "r", 7, ids, 3, &e), -1);
	CHECK_HAS(e.msg, "another process wrote the store since the trace was loaded");
	/* the console keeps through a store of its own, told which import it loaded */
	CHECK_INT(store_open(&b, path_in("race.db"), &e), 0);
	snprintf(b.loaded_import, sizeof b.loaded_import, "%s", loaded);
	CHECK_INT(store_norms_keep(&b, "r", 7, ids, 3, &e), -1);
	CHECK_HAS(e.msg, "\"r\" was imported again since it was loaded");
	store_close(&b);
	CHECK_INT(count(&a, "SELECT count(*) FROM normalized"), 0);
	CHECK_INT(store_load(&a, "r", &t, &e), 0); /* loaded again: kept */
	trace_free(&t);
	CHECK_INT(store_norms_keep(&a, "r", 7, ids, 3, &e), 0);
	store_close(&a);
}

static void store_without_kept_table(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	uint32_t ids[3] = { 0, 1, 0 }, *got;
	open_fresh(&s, "old.db");
	write_file(path_in("o.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("o.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(sqlite3_exec(s.db, "DROP TABLE normalized", NULL, NULL, NULL), SQLITE_OK);
	store_close(&s);
	chmod(path_in("old.db"), 0444);
	if (geteuid() != 0) { /* root writes whatever the mode */
		CHECK_INT(store_open(&s, path_in("old.db"), &e), 0);
		CHECK_INT(count(&s, "SELECT count(*) FROM sqlite_master WHERE name = 'normalized'"), 0);
		CHECK_INT(store_norms_load(&s, "o", 7, 3, &got, &e), -1);
		CHECK_INT(store_norms_keep(&s, "o", 7, ids, 3, &e), -1);
		store_close(&s);
	}
	chmod(path_in("old.db"), 0644);
	CHECK_INT(store_open(&s, path_in("old.db"), &e), 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM sqlite_master WHERE name = 'normalized'"), 1);
	CHECK_INT(store_norms_keep(&s, "o", 7, ids, 3, &e), 0);
	store_close(&s);
}

/* An SQLite file of another program is refused and left as it is, even with user_version 0
 * (a fresh llmcost store's), whose tables would otherwise have been added to it. */
static void foreign_databases(void)
{
	static const char *const makes[] = { "CREATE TABLE foo(a, b)", "CREATE TABLE traces(x)",
	                                     "PRAGMA user_version = -5; CREATE TABLE t(x)" };
	for (size_t i = 0; i < sizeof makes / sizeof *makes; i++) {
		char name[32];
		sqlite3 *db;
		struct store s;
		struct err e = { "" };
		snprintf(name, sizeof name, "foreign%zu.db", i);
		CHECK_INT(sqlite3_open(path_in(name), &db), SQLITE_OK);
		CHECK_INT(sqlite3_exec(db, makes[i], NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		CHECK_INT(store_open(&s, path_in(name), &e), -1);
		CHECK_HAS(e.msg, ": an SQLite database of something else (its tables are not an llmcost "
		                 "store's); it is left as it is");
		CHECK_INT(sqlite3_open(path_in(name), &db), SQLITE_OK); /* one table, as made */
		sqlite3_stmt *st;
		CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		CHECK_INT(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	/* an empty SQLite file (as `sqlite3 x.db ""` leaves) is a new store */
	struct store s;
	struct err e = { "" };
	sqlite3 *db;
	CHECK_INT(sqlite3_open(path_in("empty.db"), &db), SQLITE_OK);
	sqlite3_close(db);
	CHECK_INT(store_open(&s, path_in("empty.db"), &e), 0);
	store_close(&s);
}

static void replace_and_merge(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info infos[2];
	struct trace t;
	open_fresh(&s, "replace.db");
	write_file(path_in("r.jsonl"), trace_text);
	write_file(path_in("r2.jsonl"), "{\"ts\":5,\"tenant\":\"z\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\n");
	CHECK_INT(quiet_import(&s, path_in("r.jsonl"), "r", 0, 0, infos, &e), IMPORT_OK);
	CHECK_INT(quiet_import(&s, path_in("r2.jsonl"), "r", 0, 1, infos, &e), IMPORT_OK);
	CHECK_INT(infos[0].requests, 1);
	CHECK_INT(count(&s, "SELECT count(*) FROM requests"), 1);
	CHECK_INT(count(&s, "SELECT count(*) FROM rejects"), 0);
	/* --name joins files into one trace, in order; indexes continue across files */
	struct import_opts o = { .name = "both" };
	const char *files[2] = { path_in("r.jsonl"), path_in("r2.jsonl") };
	CHECK_INT(import_files(&s, files, 2, &o, infos, &e), IMPORT_OK);
	CHECK_INT(infos[0].requests, 4);
	CHECK_INT(store_load(&s, "both", &t, &e), 0);
	CHECK_STR(intern_str(&t.names, trace_tenant(&t, 3), NULL), "z");
	trace_free(&t);
	/* the views join names back */
	CHECK_INT(count(&s, "SELECT count(*) FROM requests_v WHERE trace = 'both' AND tenant = 'acme'"), 2);
	CHECK_INT(count(&s, "SELECT count(*) FROM attempts_v WHERE trace = 'both' AND status = 'timeout'"), 1);
	/* listed newest first (the console opens the first: README, "the newest stored trace") */
	struct store_trace_info *list;
	size_t n;
	CHECK_INT(store_list(&s, &list, &n, &e), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_STR(list[0].name, "both");
		CHECK_STR(list[1].name, "r");
	}
	free(list);
	store_close(&s);
}

/* A cost_usd's digits past the pico-USD are kept (cost_subs) and load with their trace, by
 * either path; rows of another import of the trace's id are not read. */
static void cost_digits_past_the_pico(void)
{
	struct store s;
	struct err e = { "" };
	struct trace fast, rows;
	/* line 1: 0.0005628000000004 = 562800000 pUSD + 4 × 10^14 (10^-30 USD); line 2: none past;
	 * line 3: 0.0000000000015 = 2 pUSD − 5 × 10^17 */
	if (load_both("subs.db", "subs",
	              "{\"ts\":1,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.0005628000000004}\n"
	              "{\"ts\":2,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.5}\n"
	              "{\"ts\":3,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.0000000000015}\n",
	              &fast, &rows) == 0) {
		CHECK_INT(fast.n_cost_sub, 2);
		CHECK_INT(rows.n_cost_sub, 2);
		if (fast.n_cost_sub == 2) {
			CHECK_INT(fast.cost_subs[0].req, 0);
			CHECK_INT(fast.cost_subs[0].sub, 400000000000000LL);
			CHECK_INT(fast.cost_subs[1].req, 2);
			CHECK_INT(fast.cost_subs[1].sub, -500000000000000000LL);
			CHECK_INT(fast.cost_pusd[2], 2);
		}
		trace_free(&fast);
		trace_free(&rows);
	}
	/* a row left by another import of this id (as an older llmcost replacing the trace would
	 * leave one) is not read; rm removes the trace's rows */
	CHECK_INT(store_open(&s, path_in("subs.db"), &e), 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM cost_subs"), 2);
	CHECK_INT(sqlite3_exec(s.db, "INSERT INTO cost_subs SELECT id, 1, 'another import', 7 FROM traces",
	                       NULL, NULL, NULL), SQLITE_OK);
	struct trace t;
	CHECK_INT(store_load(&s, "subs", &t, &e), 0);
	CHECK_INT(t.n_cost_sub, 2);
	trace_free(&t);
	const char *names[1] = { "subs" };
	CHECK_INT(store_delete(&s, names, 1, NULL, NULL, NULL, &e), 0);
	CHECK_INT(count(&s, "SELECT count(*) FROM cost_subs"), 0);
	/* an older llmcost removing the trace leaves its rows; the next import takes the id */
	struct store_trace_info info;
	CHECK_INT(quiet_import(&s, path_in("subs.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(sqlite3_exec(s.db, "DELETE FROM traces; DELETE FROM requests; DELETE FROM names;"
	                       "DELETE FROM inputs; DELETE FROM attempts; DELETE FROM rejects; DELETE FROM columns;"
	                       "DELETE FROM normalized; DELETE FROM texts", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(quiet_import(&s, path_in("subs.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(store_load(&s, "subs", &t, &e), 0);
	CHECK_INT(t.n_cost_sub, 2);
	trace_free(&t);
	store_close(&s);
}

struct seen { int n; char text[256], file[256]; int64_t line; };

static int collect(void *ctx, const char *file, int64_t line, const char *reason, const char *text,
                   size_t len, int64_t full_len)
{
	struct seen *s = ctx;
	s->n++;
	s->line = line;
	snprintf(s->text, sizeof s->text, "%.*s", (int)len, text);
	snprintf(s->file, sizeof s->file, "%s", file ? file : "");
	return 0;
}

static void gzip_and_rejects(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct seen seen = { 0 };
	open_fresh(&s, "gz.db");
	gzFile gz = gzopen(path_in("z.jsonl.gz"), "wb");
	gzputs(gz, trace_text);
	gzclose(gz);
	CHECK_INT(quiet_import(&s, path_in("z.jsonl.gz"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_STR(info.name, "z");
	CHECK_INT(info.requests, 3);
	CHECK_INT(store_each_reject(&s, "z", collect, &seen, &e), 0);
	CHECK_INT(seen.n, 1);
	CHECK_INT(seen.line, 4);
	CHECK_STR(seen.text, "this line is broken");
	store_close(&s);
}

/* Files imported as one trace (--name): a reject keeps its own file and its line number in that
 * file, in the store and in the --strict message. */
static void rejects_of_several_files(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct seen seen = { 0 };
	open_fresh(&s, "two.db");
	/* a.jsonl: 3 good lines; b.jsonl (CRLF line ends, the CR not kept in the reject's text): a
	 * good line, then "broken" on its line 2 (line 5 of the two files read in a row) */
	write_file(path_in("a.jsonl"), "{\"ts\":1,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\n"
	           "{\"ts\":2,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\n"
	           "{\"ts\":3,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\n");
	write_file(path_in("b.jsonl"), "{\"ts\":4,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":1}\r\n"
	           "broken\r\n");
	char a[512], b[512];
	snprintf(a, sizeof a, "%s", path_in("a.jsonl"));
	snprintf(b, sizeof b, "%s", path_in("b.jsonl"));
	const char *files[2] = { a, b };
	struct import_opts o = { .name = "both" };
	CHECK_INT(import_files(&s, files, 2, &o, &info, &e), IMPORT_OK);
	CHECK_INT(info.requests, 4);
	CHECK_INT(info.rejects, 1);
	CHECK_INT(store_each_reject(&s, "both", collect, &seen, &e), 0);
	CHECK_INT(seen.n, 1);
	CHECK_INT(seen.line, 2);
	CHECK_STR(seen.file, b);
	CHECK_STR(seen.text, "broken");
	o = (struct import_opts){ .name = "strict", .strict = 1 };
	CHECK_INT(import_files(&s, files, 2, &o, &info, &e), IMPORT_REJECTED);
	char want[600];
	snprintf(want, sizeof want, "%s:2: not JSON", b);
	CHECK_HAS(e.msg, want);
	/* --strict stops at the first rejected line, and names it */
	write_file(path_in("c.jsonl"), "bad\n{\"ts\":1,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,"
	           "\"output_tokens\":1}\nworse\n");
	CHECK_INT(quiet_import(&s, path_in("c.jsonl"), NULL, 1, 0, &info, &e), IMPORT_REJECTED);
	CHECK_HAS(e.msg, "c.jsonl:1: not JSON");
	store_close(&s);
}

/* Lines of n requests with inputs that do not compress much (each a hash of its number). */
static void gz_lines(gzFile gz, int from, int n)
{
	for (int i = from; i < from + n; i++) {
		uint32_t h = (uint32_t)i * 2654435761u;
		gzprintf(gz, "{\"ts\":%d,\"tenant\":\"t%u\",\"task\":\"b\",\"input\":\"%08x%08x%08x%08x\","
		         "\"output_tokens\":1}\n", i, h % 7, h, h ^ 0x5bd1e995u, h * 31u, h * h);
	}
}

/* The file's first `keep` bytes, then `tail` (NULL: none), as `to`. */
static void cut_copy(const char *from, const char *to, long keep, const char *tail)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	for (long i = 0; i < keep; i++)
		fputc(fgetc(in), out);
	if (tail)
		fputs(tail, out);
	fclose(in);
	fclose(out);
}

/*
 * gzip read member after member (gzopen "ab" appends a second one), across
 * several reads (30,000 lines of hashes make over 512 KiB of gzip; the reader
 * reads 256 KiB at a time); a file cut short, bytes after the gzip data and damaged
 * data are errors that name the file and write nothing.
 */
static void gzip_members_and_damage(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	open_fresh(&s, "gzm.db");
	const char *two = path_in("two.jsonl.gz");
	gzFile gz = gzopen(two, "wb");
	gz_lines(gz, 0, 20000);
	gzclose(gz);
	gz = gzopen(two, "ab");
	gz_lines(gz, 20000, 10000);
	gzclose(gz);
	struct stat st;
	CHECK_INT(stat(two, &st), 0);
	long size = (long)st.st_size;
	CHECK(size > 2 * 256 * 1024);
	CHECK_INT(quiet_import(&s, two, NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(info.requests, 30000); /* 20,000 + 10,000 */
	CHECK_INT(info.rejects, 0);
	int64_t before = count(&s, "SELECT count(*) FROM requests");

	cut_copy(two, path_in("cut.jsonl.gz"), size / 2, NULL);
	CHECK_INT(quiet_import(&s, path_in("cut.jsonl.gz"), NULL, 0, 0, &info, &e), IMPORT_UNREADABLE);
	CHECK_HAS(e.msg, "cut.jsonl.gz: the gzip data ends early");
	cut_copy(two, path_in("tail.jsonl.gz"), size, "junk\n");
	CHECK_INT(quiet_import(&s, path_in("tail.jsonl.gz"), NULL, 0, 0, &info, &e), IMPORT_UNREADABLE);
	CHECK_HAS(e.msg, "tail.jsonl.gz: not gzip data after byte");
	write_file(path_in("bad.jsonl.gz"), "\x1f\x8b not deflate at all");
	CHECK_INT(quiet_import(&s, path_in("bad.jsonl.gz"), NULL, 0, 0, &info, &e), IMPORT_UNREADABLE);
	CHECK_HAS(e.msg, "bad.jsonl.gz: damaged gzip data");
	CHECK_INT(count(&s, "SELECT count(*) FROM requests"), before);
	/* one byte of the gzip magic is plain text (a rejected line) */
	write_file(path_in("one.jsonl"), "\x1f");
	CHECK_INT(quiet_import(&s, path_in("one.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(info.rejects, 1);
	store_close(&s);
}

/*
 * A stop requested before the import reads a quiet input (a FIFO whose writer
 * stays open and sends nothing: the moment a signal can land between a check
 * and a read) ends it at once through the wake pipe.  A hang would be ended
 * by the alarm, failing the run.
 */
static void stop_ends_a_quiet_read(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	open_fresh(&s, "quiet.db");
	const char *fifo = path_in("quiet.fifo");
	unlink(fifo);
	CHECK_INT(mkfifo(fifo, 0600), 0);
	int writer = open(fifo, O_RDWR); /* a writer that never writes, so opening to read does not wait */
	CHECK(writer >= 0);
	struct import_stop stop;
	CHECK_INT(import_stop_init(&stop), 0);
	import_stop_request(&stop, SIGINT);
	struct import_opts o = { .name = "quiet", .stop = &stop };
	const char *files[1] = { fifo };
	alarm(20);
	CHECK_INT(import_files(&s, files, 1, &o, &info, &e), IMPORT_STOPPED);
	alarm(0);
	CHECK_HAS(e.msg, "interrupted");
	import_stop_fini(&stop);
	close(writer);
	store_close(&s);
}

static void names_for_files(void)
{
	char name[64];
	import_name_for("a/b/prod-2026.jsonl.gz", name, sizeof name);
	CHECK_STR(name, "prod-2026");
	import_name_for("x.json", name, sizeof name);
	CHECK_STR(name, "x");
	import_name_for("trace.log", name, sizeof name);
	CHECK_STR(name, "trace.log");
}

struct told_progress {
	int calls;
	char name[32];
	double seconds;
	volatile sig_atomic_t *stop; /* set at the first call (as a signal midway would) */
};

static void tell_progress(void *ctx, const char *name, double seconds)
{
	struct told_progress *t = ctx;
	if (t->stop)
		*t->stop = SIGTERM;
	t->calls++;
	snprintf(t->name, sizeof t->name, "%s", name ? name : "(compacting)");
	t->seconds = seconds;
}

/* store_delete: a stop rolls it back; its progress is told; store_free_space and store_compact
 * (VACUUM) give the space back, and a compaction meeting another process's lock is skipped at
 * once, not waited for */
static void delete_stop_and_compact(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	open_fresh(&s, "rmc.db");
	/* 5,000 requests of distinct inputs: pages of their own, freed by a removal */
	FILE *f = fopen(path_in("rmc.jsonl"), "w");
	for (int i = 0; i < 5000; i++)
		fprintf(f, "{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"t%d\",\"task\":\"faq_answer\","
		        "\"input\":\"question number %d, asked at length so that the rows take room\","
		        "\"output_tokens\":120}\n", i % 50, i);
	fclose(f);
	CHECK_INT(quiet_import(&s, path_in("rmc.jsonl"), "a", 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(quiet_import(&s, path_in("rmc.jsonl"), "b", 0, 0, &info, &e), IMPORT_OK);
	int64_t pages = count(&s, "PRAGMA page_count");
	/* a stop already asked: nothing removed */
	volatile sig_atomic_t stop = SIGINT;
	const char *names[2] = { "a", "b" };
	s.stop = &stop;
	CHECK_INT(store_delete(&s, names, 2, NULL, NULL, NULL, &e), -1);
	s.stop = NULL;
	CHECK_INT(count(&s, "SELECT count(*) FROM traces"), 2);
	CHECK_INT(count(&s, "SELECT count(*) FROM requests"), 2 * 5000);
	/* a pace started 2 s ago: the first step tells the trace it removes; a stop midway (set as
	 * it is told) rolls the removal back */
	struct progress_pace pace;
	volatile sig_atomic_t midway = 0;
	struct told_progress told = { .stop = &midway };
	progress_start(&pace);
	pace.t0 -= 2;
	pace.last -= 2;
	s.stop = &midway;
	CHECK_INT(store_delete(&s, names, 2, &pace, tell_progress, &told, &e), -1);
	s.stop = NULL;
	CHECK_INT(told.calls, 1);
	CHECK_INT(count(&s, "SELECT count(*) FROM traces"), 2);
	CHECK_INT(count(&s, "SELECT count(*) FROM requests"), 2 * 5000);
	told = (struct told_progress){ 0 };
	progress_start(&pace);
	pace.t0 -= 2;
	pace.last -= 2;
	CHECK_INT(store_delete(&s, names, 1, &pace, tell_progress, &told, &e), 0);
	CHECK(told.calls >= 1);
	CHECK_STR(told.name, "a");
	CHECK(told.seconds >= 2);
	CHECK_INT(count(&s, "SELECT count(*) FROM traces"), 1);
	CHECK_INT(store_delete(&s, names + 1, 1, NULL, NULL, NULL, &e), 0);
	int64_t free_bytes = -1;
	CHECK_INT(store_free_space(&s, &free_bytes, &e), 0);
	CHECK_INT(free_bytes, count(&s, "PRAGMA freelist_count") * count(&s, "PRAGMA page_size"));
	CHECK(free_bytes > 0);
	CHECK_INT(count(&s, "PRAGMA page_count"), pages); /* the file keeps its size */
	/* another process reading: skipped at once (not after the 5 s a statement waits) */
	sqlite3 *reader;
	sqlite3_stmt *st;
	CHECK_INT(sqlite3_open(path_in("rmc.db"), &reader), SQLITE_OK);
	CHECK_INT(sqlite3_exec(reader, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(reader, "SELECT count(*) FROM traces", -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	sqlite3_finalize(st);
	time_t before = time(NULL);
	CHECK_INT(store_compact(&s, NULL, NULL, NULL, &e), -2);
	CHECK(time(NULL) - before < 3);
	CHECK_HAS(e.msg, "another process holds a lock on the store");
	CHECK_INT(count(&s, "PRAGMA page_count"), pages);
	sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(reader);
	/* a stop: not compacted */
	s.stop = &stop;
	CHECK_INT(store_compact(&s, NULL, NULL, NULL, &e), -1);
	s.stop = NULL;
	CHECK_INT(count(&s, "PRAGMA page_count"), pages);
	/* compacted: no free page left, the file smaller by the pages that were free */
	CHECK_INT(store_compact(&s, NULL, NULL, NULL, &e), 0);
	CHECK_INT(count(&s, "PRAGMA freelist_count"), 0);
	int64_t page_size = count(&s, "PRAGMA page_size");
	CHECK_INT(count(&s, "PRAGMA page_count") * page_size, pages * page_size - free_bytes);
	struct stat fs;
	CHECK_INT(stat(path_in("rmc.db"), &fs), 0);
	CHECK_INT(fs.st_size, pages * page_size - free_bytes);
	store_close(&s);
}

void suite_store(void)
{
	if (test_tmpdir("store", dir, sizeof dir) < 0) {
		TEST_FAIL_("%s", "mkdtemp");
		return;
	}
	RUN(cost_digits_past_the_pico); /* after the folder is made: its store goes in it, not at / */
	RUN(round_trip);
	RUN(memory_store_makes_no_file);
	RUN(store_exists_tells_absent_from_unreachable);
	RUN(columns_match_rows);
	RUN(one_call_each);
	RUN(calls_with_own_tokens);
	RUN(wide_latencies);
	RUN(many_kinds);
	RUN(narrowed_columns);
	RUN(call_times_and_tokens);
	RUN(intern_offsets);
	RUN(first_layout_store);
	RUN(other_layout_version_not_read);
	RUN(damaged_columns);
	RUN(summed_columns);
	RUN(strict_writes_nothing);
	RUN(failure_rolls_back);
	RUN(texts_blobs);
	RUN(kept_normalized_inputs);
	RUN(replaced_between_load_and_keep);
	RUN(store_without_kept_table);
	RUN(foreign_databases);
	RUN(replace_and_merge);
	RUN(gzip_and_rejects);
	RUN(rejects_of_several_files);
	RUN(gzip_members_and_damage);
	RUN(stop_ends_a_quiet_read);
	RUN(names_for_files);
	RUN(delete_stop_and_compact);
	char cmd[sizeof dir + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}
