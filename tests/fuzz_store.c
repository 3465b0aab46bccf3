/*
 * libFuzzer target for reading a stored trace: one row of a small trace's
 * columnar copy, texts' blobs or kept normalized inputs is damaged as the input says,
 * then the trace is loaded and, when the load accepts it, replayed under v3
 * (normalized inputs given from the store, as `llmcost replay` does) and under
 * the recorded scenario.  Any damage either fails the load or the run with a
 * message, or replays; nothing reads out of bounds.
 *
 * Input: [0] which row (the columns' rows by name and chunk, the texts' by
 * chunk, then the normalized inputs); [1] bit 0 clear: the row keeps its length and the rest
 * of the input overwrites it from the offset in [2..3]; set: the rest of the
 * input is the row.  The store lives in memory and is mended after each input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sim/replay.h"
#include "traces/import.h"
#include "traces/scenario.h"
#include "traces/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

#define NORMS 7 /* v3's steps: lower, strip_punct, collapse_space */

/* Requests that give the copy every kind of column: several calls, their own tokens, a latency
 * over 71 minutes, a call 40 minutes after its request, cost_usd, input_hash, difficulty,
 * realtime false and cached tokens. */
static const char trace_text[] =
	"{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"acme\",\"task\":\"faq_answer\",\"input\":\"Reset my password?\","
	"\"output_tokens\":120,\"model\":\"gpt-4.1-mini\",\"status\":\"ok\",\"latency_ms\":412,\"cached_tokens\":2,"
	"\"difficulty\":\"easy\",\"cost_usd\":0.000193}\n"
	"{\"ts\":\"2026-03-02T10:00:01Z\",\"tenant\":\"acme\",\"task\":\"faq_answer\",\"input\":\"reset my password\","
	"\"output_tokens\":90,\"model\":\"gpt-4.1-mini\",\"status\":\"ok\",\"latency_ms\":300}\n"
	"{\"ts\":\"2026-03-02T10:00:02Z\",\"tenant\":\"beta\",\"task\":\"policy_check\",\"input_tokens\":3000,"
	"\"output_tokens\":200,\"input_hash\":\"h1\",\"realtime\":false,\"difficulty\":\"hard\",\"attempts\":["
	"{\"model\":\"gpt-4.1-mini\",\"status\":\"timeout\",\"latency_ms\":30000,\"input_tokens\":2900},"
	"{\"model\":\"gpt-4.1\",\"status\":\"server_error\",\"latency_ms\":5000000,\"ts\":\"2026-03-02T10:40:00Z\"},"
	"{\"model\":\"gpt-4.1\",\"output_tokens\":180,\"latency_ms\":800,\"ts\":\"2026-03-02T12:00:00Z\"}]}\n"
	"{\"ts\":\"2026-03-02T10:05:00Z\",\"tenant\":\"gamma\",\"task\":\"long_report\",\"input\":\"Summarize.\","
	"\"input_tokens\":9000,\"output_tokens\":1500,\"model\":\"gpt-4o\",\"status\":\"rate_limited\"}\n";

static struct store store;
static struct scenario v3, recorded;
static size_t n_rows;
static struct row { int texts; char *name; int64_t chunk; void *data; size_t len; } *rows;
static uint32_t *norms;      /* the trace's normalized inputs, as made */
static uint32_t n_inputs;

static void sql(const char *text)
{
	if (sqlite3_exec(store.db, text, NULL, NULL, NULL) != SQLITE_OK)
		abort();
}

/* Writes row r's data (the columns' row, or at n_rows the normalized inputs). */
static void put_row(size_t r, const void *data, size_t len)
{
	struct err e = { "" };
	if (r == n_rows) {
		if (store_norms_keep(&store, "t", NORMS, data, (uint32_t)(len / 4), &e) < 0)
			abort();
		if (len % 4) { /* a length that is no number of ids */
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(store.db, "UPDATE normalized SET data = ?", -1, &st, NULL) != SQLITE_OK)
				abort();
			sqlite3_bind_blob(st, 1, data, (int)len, SQLITE_STATIC);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		return;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store.db, rows[r].texts ? "UPDATE texts SET data = ?1 WHERE chunk = ?3" /* no ?2 */
	                       : "UPDATE columns SET data = ?1 WHERE name = ?2 AND chunk = ?3", -1, &st, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_blob(st, 1, data, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rows[r].name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rows[r].chunk);
	if (sqlite3_step(st) != SQLITE_DONE)
		abort();
	sqlite3_finalize(st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e = { "" };
	struct store_trace_info info;
	/* the trace as a file with no name to clean up: tmpfile(), opened by its /proc path */
	FILE *f = tmpfile();
	char path[64];
	if (!getenv("LLMCOST_PRICING"))
		setenv("LLMCOST_PRICING", "fixtures/pricing/openai.json", 1);
	if (!f || fwrite(trace_text, 1, sizeof trace_text - 1, f) != sizeof trace_text - 1 || fflush(f) != 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fileno(f));
	struct import_opts o = { .name = "t", .strict = 1 };
	const char *files[1] = { path };
	if (store_open(&store, ":memory:", &e) < 0 || import_files(&store, files, 1, &o, &info, &e) != IMPORT_OK ||
	    scenario_load("fixtures/scenarios/v3.json", &v3, &e) < 0 || scenario_builtin("recorded", &recorded, &e) < 0) {
		fprintf(stderr, "fuzz_store: %s\n", e.msg);
		abort();
	}
	fclose(f);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(store.db, "SELECT 0, name, chunk, data FROM columns UNION ALL"
	                       " SELECT 1, '', chunk, data FROM texts ORDER BY 1, 2, 3", -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!(rows = realloc(rows, (n_rows + 1) * sizeof *rows)))
			abort();
		struct row *r = &rows[n_rows++];
		r->texts = sqlite3_column_int(st, 0);
		r->name = strdup((const char *)sqlite3_column_text(st, 1));
		r->chunk = sqlite3_column_int64(st, 2);
		r->len = (size_t)sqlite3_column_bytes(st, 3);
		r->data = malloc(r->len + 1);
		if (!r->name || !r->data)
			abort();
		memcpy(r->data, sqlite3_column_blob(st, 3), r->len);
	}
	sqlite3_finalize(st);
	/* the normalized inputs, made once */
	struct trace t;
	struct replay_trace *rt;
	if (store_load(&store, "t", &t, &e) < 0 || replay_prepare(&t, &rt, &e) < 0 ||
	    replay_prepare_scenario(rt, &v3, &e) < 0)
		abort();
	n_inputs = t.inputs.n;
	if (!(norms = malloc(n_inputs * sizeof *norms + 1)))
		abort();
	memcpy(norms, replay_norms_made(rt, NORMS), n_inputs * sizeof *norms);
	replay_trace_free(rt);
	trace_free(&t);
	return 0;
}

/* Loads the trace and, when the load accepts it, replays it under both scenarios. */
static void load_and_replay(void)
{
	struct err e = { "" };
	struct trace t;
	struct replay_trace *rt;
	struct result_scenario r;
	uint32_t *ids;
	if (store_load(&store, "t", &t, &e) < 0)
		return;
	if (replay_prepare(&t, &rt, &e) == 0) {
		if (store_norms_load(&store, "t", NORMS, t.inputs.n, &ids, &e) == 1)
			replay_norms_give(rt, NORMS, ids);
		if (replay_run(rt, &v3, &r, NULL, &e) == 0)
			result_scenario_fini(&r);
		if (replay_run(rt, &recorded, &r, NULL, &e) == 0)
			result_scenario_fini(&r);
		replay_trace_free(rt);
	}
	trace_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	if (n < 4)
		return 0;
	size_t r = data[0] % (n_rows + 1);
	const void *was = r < n_rows ? rows[r].data : norms;
	size_t was_len = r < n_rows ? rows[r].len : n_inputs * sizeof *norms;
	const uint8_t *in = data + 4;
	size_t n_in = n - 4;
	if (data[1] & 1) {
		put_row(r, in, n_in);
	} else {
		uint8_t *b = malloc(was_len + 1);
		if (!b)
			abort();
		memcpy(b, was, was_len);
		size_t at = was_len ? (size_t)(data[2] | data[3] << 8) % was_len : 0;
		for (size_t k = 0; k < n_in && at + k < was_len; k++)
			b[at + k] = in[k];
		put_row(r, b, was_len);
		free(b);
	}
	load_and_replay();
	if (r < n_rows)
		put_row(r, rows[r].data, rows[r].len);
	else
		sql("DELETE FROM normalized");
	return 0;
}
