/*
 * What the import-format fuzz targets share (tests/fuzz_otlp.c, fuzz_litellm.c,
 * fuzz_openai_batch.c, fuzz_helicone.c, fuzz_langfuse.c): the input goes through one
 * format's parser as a whole (a document) and line by line; every row must hold what
 * the store relies on, and every rejection must say why and point inside the text it
 * came from.
 */
#ifndef TESTS_FUZZ_FORMAT_H
#define TESTS_FUZZ_FORMAT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/status.h"
#include "sim/trace.h"
#include "traces/format.h"

struct fuzz_text {
	const char *s;
	size_t n;
	uint64_t first, last;       /* the lines it spans */
};

static int fuzz_row(void *ctx, uint64_t line, const struct jsonl_rec *r)
{
	const struct fuzz_text *t = ctx;
	if (!r->tenant.s || !r->task.s || r->input_tok < 0 || r->input_tok > 4294967295LL || r->output_tok < 0 ||
	    r->output_tok > 4294967295LL || r->status < 0 || r->status >= N_STATUS || r->ts_us < TRACE_TS_MIN_US ||
	    r->ts_us > TRACE_TS_MAX_US || line < t->first || line > t->last ||
	    (r->latency_us != JSONL_ABSENT && (r->latency_us < 0 || r->latency_us > TRACE_LATENCY_MAX_US)) ||
	    (r->cached_tok != JSONL_ABSENT && (r->cached_tok < 0 || r->cached_tok > 4294967295LL)) ||
	    (r->cost_pusd != JSONL_ABSENT && r->cost_pusd < 0) || r->n_att != 0 ||
	    (r->tenant.n && memchr(r->tenant.s, 0, r->tenant.n)) || (r->task.n && memchr(r->task.s, 0, r->task.n)))
		abort();
	return 0;
}

static int fuzz_reject(void *ctx, uint64_t line, const char *text, size_t len, const char *reason)
{
	const struct fuzz_text *t = ctx;
	if (!reason[0] || text < t->s || text + len > t->s + t->n || line < t->first || line > t->last)
		abort();
	return 0;
}

static void fuzz_one(struct format_parser *p, const struct import_format *f, const char *s, size_t n,
                     uint64_t first)
{
	struct fuzz_text t = { s, n, first, first };
	struct format_sink k = { &t, fuzz_row, fuzz_reject };
	struct err e;
	for (size_t i = 0; i < n; i++)
		t.last += s[i] == '\n';
	e.msg[0] = 0;
	int rc = f->parse(p, s, n, first, &k, &e);
	if (rc == -1 && !e.msg[0])
		abort(); /* a rejection always says why */
	if (rc != 0 && rc != -1)
		abort(); /* the sink never stops it, and memory does not run out here */
}

static inline int fuzz_format(const struct import_format *f, const uint8_t *data, size_t n)
{
	static struct format_parser p;
	static int ready;
	if (!ready) {
		format_init(&p);
		ready = 1;
	}
	const char *s = (const char *)data, *end = s + n;
	format_reset(&p);
	fuzz_one(&p, f, s, n, 1);
	uint64_t line = 1;
	format_reset(&p);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		fuzz_one(&p, f, s, len, line++);
		s += len + 1;
	}
	return 0;
}

#endif
