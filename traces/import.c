/*
 * Trace import driver: reads each file line by line, parses, and feeds the
 * store inside a single transaction that is committed only at the very end.
 * Progress is reported by wall-clock time, checked every few thousand lines.
 */
#include "traces/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "traces/jsonl.h"
#include "traces/reader.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

void import_name_for(const char *path, char *name, size_t n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (ends_with(base, len, ".gz"))
		len -= 3;
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%.*s", (int)len, base);
	len = strlen(tmp);
	if (ends_with(tmp, len, ".jsonl"))
		len -= 6;
	else if (ends_with(tmp, len, ".json"))
		len -= 5;
	snprintf(name, n, "%.*s", (int)len, tmp);
}

struct run {
	const struct import_opts *o;
	struct jsonl_parser parser;
	uint64_t lines, bytes_before, total;
	double t0, last_report;
};

/* One file into an open import.  Returns enum import_status. */
static enum import_status import_file(struct run *run, struct store_import *im, const char *path,
                                      struct err *e)
{
	struct reader r;
	struct jsonl_rec rec;
	struct err why;
	const char *line;
	size_t len;
	uint64_t full;
	int rc;

	if (reader_open(&r, path, e) < 0)
		return IMPORT_FAILED;
	enum import_status status = IMPORT_OK;
	while ((rc = reader_next(&r, &line, &len, &full, e)) == 1) {
		if ((++run->lines & 4095) == 0) {
			if (run->o->stop && *run->o->stop) {
				status = IMPORT_STOPPED;
				err_set(e, "interrupted: nothing was imported");
				break;
			}
			double t = now_s();
			if (run->o->on_progress && t - run->t0 > 1.0 && t - run->last_report > 0.25) {
				run->last_report = t;
				run->o->on_progress(run->o->ctx, run->lines, run->bytes_before + reader_offset(&r),
				                    run->total, t - run->t0);
			}
		}
		if (full == len && jsonl_is_blank(line, len))
			continue;
		int parsed = -1;
		if (full > len)
			err_set(&why, "line longer than %u MiB (%llu bytes)", READER_MAX_LINE >> 20,
			        (unsigned long long)full);
		else
			parsed = jsonl_parse(&run->parser, line, len, &rec, &why);
		if (parsed == -2) {
			status = IMPORT_FAILED;
			err_set(e, "%s:%llu: out of memory", path, (unsigned long long)r.line_no);
			break;
		}
		if (parsed == 0) {
			if (store_import_add(im, &rec, r.line_no, e) < 0) {
				status = IMPORT_FAILED;
				break;
			}
			continue;
		}
		if (run->o->strict) {
			err_set(e, "%s:%llu: %s", path, (unsigned long long)r.line_no, why.msg);
			status = IMPORT_REJECTED;
			break;
		}
		if (run->o->on_reject)
			run->o->on_reject(run->o->ctx, path, r.line_no, why.msg);
		if (store_import_reject(im, path, r.line_no, why.msg, line, len, full, e) < 0) {
			status = IMPORT_FAILED;
			break;
		}
	}
	if (rc < 0)
		status = IMPORT_FAILED;
	if (status == IMPORT_FAILED && run->o->stop && *run->o->stop) { /* a read cut by the signal */
		status = IMPORT_STOPPED;
		err_set(e, "interrupted: nothing was imported");
	}
	run->bytes_before += r.file_bytes;
	reader_close(&r);
	return status;
}

/* The sources of one trace as text for people: the file names joined by ", ". */
static void join_sources(const char *const *files, size_t n, char *out, size_t cap)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && used + 1 < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "",
		                         strcmp(files[i], "-") == 0 ? "(stdin)" : files[i]);
}

enum import_status import_files(struct store *s, const char *const *files, size_t n,
                                const struct import_opts *opts, struct store_trace_info *infos,
                                struct err *e)
{
	struct run run = { .o = opts, .t0 = now_s() };
	struct store_import *im = NULL;
	enum import_status status = IMPORT_OK;
	char name[256], source[1024];

	for (size_t i = 0; i < n; i++) {
		struct reader probe;
		if (strcmp(files[i], "-") == 0)
			continue;
		if (reader_open(&probe, files[i], e) < 0)
			return IMPORT_FAILED; /* before anything is written */
		run.total += probe.file_bytes;
		reader_close(&probe);
	}
	jsonl_init(&run.parser);
	if (store_begin(s, e) < 0) {
		jsonl_fini(&run.parser);
		return IMPORT_FAILED;
	}
	size_t n_traces = opts->name ? 1 : n;
	for (size_t t = 0; t < n_traces && status == IMPORT_OK; t++) {
		size_t first = opts->name ? 0 : t, count = opts->name ? n : 1;
		if (opts->name)
			snprintf(name, sizeof name, "%s", opts->name);
		else
			import_name_for(files[t], name, sizeof name);
		join_sources(files + first, count, source, sizeof source);
		if (store_import_begin(s, name, source, opts->replace, &im, e) < 0) {
			status = IMPORT_FAILED;
			break;
		}
		for (size_t f = first; f < first + count && status == IMPORT_OK; f++)
			status = import_file(&run, im, files[f], e);
		if (status != IMPORT_OK) {
			store_import_abort(im);
			break;
		}
		if (store_import_finish(im, &infos[t], e) < 0)
			status = IMPORT_FAILED;
	}
	jsonl_fini(&run.parser);
	if (status == IMPORT_OK && opts->stop && *opts->stop) {
		status = IMPORT_STOPPED;
		err_set(e, "interrupted: nothing was imported");
	}
	if (status != IMPORT_OK) {
		store_rollback(s);
		return status;
	}
	return store_commit(s, e) < 0 ? IMPORT_FAILED : IMPORT_OK;
}
