/*
 * The store: import → load round trip (every field), the columnar copy against
 * the rows, --strict and failures leaving the store untouched, --replace,
 * rejects kept verbatim, multi-file traces and gzip input.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "sim/status.h"
#include "traces/import.h"
#include "traces/store.h"
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
	CHECK_INT(t.ts_us[0], 1772445601000000LL);
	CHECK_INT(t.ts_us[1], 1772445600000000LL);
	CHECK_STR(intern_str(&t.names, t.tenant[0], NULL), "acme");
	CHECK_STR(intern_str(&t.names, t.tenant[1], NULL), "beta");
	CHECK_INT(t.tenant[2], t.tenant[0]);
	CHECK_STR(intern_str(&t.names, t.task[1], NULL), "policy_check");
	CHECK_INT(t.input_tok[0], 4); /* "Reset password?" = 15 bytes → ceil(15/4) = 4 */
	CHECK_INT(t.input_tok[1], 3000);
	CHECK_INT(t.output_tok[0], 120);
	CHECK_INT(t.cached_tok[0], 2);
	CHECK_INT(t.cached_tok[1], 0);
	CHECK_STR(intern_str(&t.inputs, t.input[0], NULL), "Reset password?");
	CHECK_INT(t.input[2], t.input[0]);
	CHECK_INT(t.input[1], TRACE_NONE);
	CHECK_STR(intern_str(&t.names, t.input_hash[1], NULL), "h1");
	CHECK_INT(t.input_hash[0], TRACE_NONE);
	CHECK_INT(t.difficulty[0], DIFFICULTY_EASY);
	CHECK_INT(t.difficulty[1], DIFFICULTY_NONE);
	CHECK_INT(t.difficulty[2], DIFFICULTY_HARD);
	CHECK_INT(t.realtime[0], 1);
	CHECK_INT(t.realtime[1], 0);
	CHECK(t.cost_pusd != NULL);
	if (t.cost_pusd) {
		CHECK_INT(t.cost_pusd[0], 193000000LL); /* 0.000193 × 10^12 */
		CHECK_INT(t.cost_pusd[1], TRACE_NO_COST);
	}
	CHECK(t.quality && t.quality[0] == 0.5f && isnan(t.quality[1]));
	/* attempts: request 0 has its synthesized one, request 1 two, request 2 none */
	CHECK_INT(t.att_first[0], 0);
	CHECK_INT(t.att_first[1], 1);
	CHECK_INT(t.att_first[2], 3);
	CHECK_INT(t.att_first[3], 3);
	CHECK_STR(intern_str(&t.names, t.att_model[0], NULL), "gpt-4.1-mini");
	CHECK_INT(t.att_status[0], STATUS_OK);
	CHECK_INT(t.att_latency_us[0], 412500);
	CHECK_INT(t.att_cached_tok[0], 2);
	CHECK_INT(t.att_input_tok[0], 4);
	CHECK_INT(t.att_ts_us[0], TRACE_NO_TIME);
	CHECK_INT(t.att_status[1], STATUS_TIMEOUT);
	CHECK_INT(t.att_latency_us[1], 30000000);
	CHECK_INT(t.att_output_tok[1], 200); /* the request's */
	CHECK_STR(intern_str(&t.names, t.att_model[2], NULL), "gpt-4.1");
	CHECK_INT(t.att_output_tok[2], 180);
	CHECK_INT(t.att_input_tok[2], 3000);
	CHECK_INT(t.att_latency_us[2], TRACE_NO_LATENCY);
	CHECK_INT(t.att_ts_us[2], 1772445630500000LL);
	trace_free(&t);
	store_close(&s);
}

/* Two loads of the same trace, through the columnar copy and through the rows. */
static void columns_match_rows(void)
{
	struct store s;
	struct err e = { "" };
	struct store_trace_info info;
	struct trace a, b;
	open_fresh(&s, "cols.db");
	write_file(path_in("cols.jsonl"), trace_text);
	CHECK_INT(quiet_import(&s, path_in("cols.jsonl"), NULL, 0, 0, &info, &e), IMPORT_OK);
	CHECK_INT(store_load(&s, "cols", &a, &e), 0);
	sqlite3_exec(s.db, "DELETE FROM columns", NULL, NULL, NULL);
	CHECK_INT(store_load(&s, "cols", &b, &e), 0);
	CHECK_INT(a.n_req, b.n_req);
	CHECK_INT(a.n_att, b.n_att);
	/* every column, the optional ones included (this trace has cost_usd and quality) */
	struct trace_column ca[TRACE_MAX_COLUMNS], cb[TRACE_MAX_COLUMNS];
	size_t n = trace_columns(&a, ca), compared = 0;
	trace_columns(&b, cb);
	for (size_t c = 0; c < n; c++) {
		CHECK(*ca[c].data != NULL && *cb[c].data != NULL);
		if (!*ca[c].data || !*cb[c].data)
			continue;
		if (memcmp(*ca[c].data, *cb[c].data, trace_column_rows(&a, &ca[c]) * ca[c].elem) != 0)
			TEST_FAIL_("column %s differs", ca[c].name);
		compared++;
	}
	CHECK_INT(compared, 20);
	trace_free(&a);
	trace_free(&b);
	store_close(&s);
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

static int64_t total_rows(struct store *s)
{
	return count(s, "SELECT (SELECT count(*) FROM traces) + (SELECT count(*) FROM requests) +"
	                " (SELECT count(*) FROM attempts) + (SELECT count(*) FROM rejects) +"
	                " (SELECT count(*) FROM names) + (SELECT count(*) FROM inputs) +"
	                " (SELECT count(*) FROM columns)");
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
	CHECK_INT(quiet_import(&s, path_in("one.jsonl"), NULL, 0, 0, infos, &e), IMPORT_FAILED);
	CHECK_HAS(e.msg, "already stored");
	CHECK_HAS(e.msg, "--replace");
	CHECK_INT(total_rows(&s), before);
	/* a stop request abandons the import */
	volatile sig_atomic_t stop = 1;
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
	CHECK_STR(intern_str(&t.names, t.tenant[3], NULL), "z");
	trace_free(&t);
	/* the views join names back */
	CHECK_INT(count(&s, "SELECT count(*) FROM requests_v WHERE trace = 'both' AND tenant = 'acme'"), 2);
	CHECK_INT(count(&s, "SELECT count(*) FROM attempts_v WHERE trace = 'both' AND status = 'timeout'"), 1);
	store_close(&s);
}

struct seen { int n; char text[256]; int64_t line; };

static int collect(void *ctx, const char *file, int64_t line, const char *reason, const char *text,
                   size_t len, int64_t full_len)
{
	struct seen *s = ctx;
	s->n++;
	s->line = line;
	snprintf(s->text, sizeof s->text, "%.*s", (int)len, text);
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

void suite_store(void)
{
	if (test_tmpdir("store", dir, sizeof dir) < 0) {
		TEST_FAIL_("%s", "mkdtemp");
		return;
	}
	RUN(round_trip);
	RUN(columns_match_rows);
	RUN(strict_writes_nothing);
	RUN(failure_rolls_back);
	RUN(replace_and_merge);
	RUN(gzip_and_rejects);
	RUN(names_for_files);
	char cmd[sizeof dir + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}
