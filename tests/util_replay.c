/*
 * Test helper behind tests/util_replay.h: a temporary store per call.
 */
#include "tests/util_replay.h"
#include "tests/test.h"
#include "tests/util_tmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/import.h"
#include "traces/report.h"
#include "traces/scenario.h"
#include "traces/store.h"

/* The last call's trace and scenario, which its result borrows names from. */
static struct trace t;
static struct scenario sc;
static int have_sc;

void replay_text_done(void)
{
	trace_free(&t);
	if (have_sc)
		scenario_fini(&sc);
	have_sc = 0;
}

int replay_text(const char *jsonl, const char *scenario_json, struct result_scenario *r, struct err *e)
{
	return replay_text_counted(jsonl, scenario_json, NULL, r, e);
}

int replay_text_counted(const char *jsonl, const char *scenario_json, struct replay_progress *progress,
                        struct result_scenario *r, struct err *e)
{
	return replay_text_given(jsonl, scenario_json, progress, NULL, r, e);
}

int replay_text_given(const char *jsonl, const char *scenario_json, struct replay_progress *progress,
                      struct replay_given *given, struct result_scenario *r, struct err *e)
{
	struct replay_trace *rt = NULL;
	int rc = -1;
	replay_text_done();
	memset(r, 0, sizeof *r);
	if (trace_text(jsonl, &t, e) < 0)
		return -1;
	if (scenario_parse(scenario_json, "test.json", "fixtures/tests", &sc, e) < 0)
		goto out;
	have_sc = 1;
	if (replay_prepare(&t, &rt, e) < 0)
		goto out;
	if (given) {
		uint32_t *ids = malloc(t.inputs.n * sizeof *ids + 1);
		if (!ids || given->n != t.inputs.n) {
			free(ids);
			err_set(e, "the trace has %u inputs, not %zu", t.inputs.n, given->n);
			goto out;
		}
		memcpy(ids, given->ids, given->n * sizeof *ids);
		given->rc = replay_norms_give(rt, given->flags, ids);
	}
	rc = replay_run(rt, &sc, r, progress, e);
	if (given && rc == 0) {
		const uint32_t *made = replay_norms_made(rt, given->flags);
		given->used = made && memcmp(made, given->ids, given->n * sizeof *made) == 0;
	}
out:
	replay_trace_free(rt);
	return rc;
}

int trace_text(const char *jsonl, struct trace *out, struct err *e)
{
	char dir[200], file[256], db[256];
	struct store s;
	struct store_trace_info info;
	struct import_opts o = { .strict = 1 };
	const char *files[1] = { file };
	int rc = -1;
	memset(out, 0, sizeof *out);
	if (test_tmpdir("trace", dir, sizeof dir) < 0)
		return err_set(e, "mkdtemp failed");
	snprintf(file, sizeof file, "%s/t.jsonl", dir);
	snprintf(db, sizeof db, "%s/s.db", dir);
	FILE *f = fopen(file, "w");
	if (f) {
		fputs(jsonl, f);
		fclose(f);
		if (store_open(&s, db, e) == 0) {
			if (import_files(&s, files, 1, &o, &info, e) == IMPORT_OK && store_load(&s, "t", out, e) == 0)
				rc = 0;
			store_close(&s);
		}
	} else {
		err_set(e, "cannot write %s", file);
	}
	unlink(file);
	unlink(db);
	rmdir(dir);
	return rc;
}

int replay_case(const char *jsonl, const char *scenario_json, struct result_scenario *r)
{
	struct err e = { "" };
	int rc = replay_text(jsonl, scenario_json, r, &e);
	if (rc < 0)
		TEST_FAIL_("replay failed: %s", e.msg);
	return rc;
}

static const struct metrics *find(const char **names, const struct metrics *m, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return &m[i];
	return NULL;
}

const struct metrics *result_tenant(const struct result_scenario *r, const char *tenant)
{
	return find(r->tenant_names, r->by_tenant, r->n_tenants, tenant);
}

const struct metrics *result_task(const struct result_scenario *r, const char *task)
{
	return find(r->task_names, r->by_task, r->n_tasks, task);
}

struct metrics result_group(const struct result_scenario *r, const char *name, int tenant)
{
	const struct metrics *m = tenant ? result_tenant(r, name) : result_task(r, name);
	struct metrics z;
	memset(&z, 0, sizeof z);
	z.latency_p50_us = z.latency_p95_us = -2;
	if (!m) {
		TEST_FAIL_("no group \"%s\"", name);
		return z;
	}
	return *m;
}

/* The --json of scenario `with` over trace `of`, in a buffer to free (NULL after a failed case). */
char *replay_json_of(const struct trace *of, const struct scenario *with)
{
	struct replay_trace *rt = NULL;
	struct result_scenario r;
	struct trace_summary ts;
	struct err e;
	char *text = NULL;
	size_t len = 0;
	if (replay_prepare(of, &rt, &e) < 0 || replay_prepare_scenario(rt, with, &e) < 0 ||
	    replay_run(rt, with, &r, NULL, &e) < 0) {
		TEST_FAIL_("replay: %s", e.msg);
		replay_trace_free(rt);
		return NULL;
	}
	FILE *f = open_memstream(&text, &len);
	replay_trace_summary(rt, &ts);
	if (f && report_json(f, &ts, &r, 1, &e) < 0)
		TEST_FAIL_("report: %s", e.msg);
	if (f)
		fclose(f);
	result_scenario_fini(&r);
	replay_trace_free(rt);
	return text;
}
