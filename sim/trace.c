/*
 * The columnar trace's storage: one allocation per column, sized exactly by
 * trace_grow (the loader calls it once; a builder calls it with doubling sizes).
 */
#include "sim/trace.h"

#include <stdlib.h>
#include <string.h>

/* Resizes *p from old to n elements of size elem, zeroing the new ones. */
static int resize(void **p, size_t elem, size_t old, size_t n)
{
	void *q = realloc(*p, elem * (n ? n : 1));
	if (!q)
		return -1;
	if (n > old)
		memset((char *)q + elem * old, 0, elem * (n - old));
	*p = q;
	return 0;
}

size_t trace_columns(struct trace *t, struct trace_column *out)
{
	size_t n = 0;
#define COL(f, by_, opt) out[n++] = (struct trace_column){ #f, (void **)&t->f, sizeof *t->f, by_, opt };
	COL(ts_us, TRACE_BY_REQUEST, 0) COL(tenant, TRACE_BY_REQUEST, 0) COL(task, TRACE_BY_REQUEST, 0)
	COL(input_tok, TRACE_BY_REQUEST, 0) COL(output_tok, TRACE_BY_REQUEST, 0)
	COL(cached_tok, TRACE_BY_REQUEST, 0) COL(input, TRACE_BY_REQUEST, 0)
	COL(input_hash, TRACE_BY_REQUEST, 0) COL(difficulty, TRACE_BY_REQUEST, 0)
	COL(realtime, TRACE_BY_REQUEST, 0) COL(att_first, TRACE_BY_REQUEST, 0)
	COL(cost_pusd, TRACE_BY_REQUEST, TRACE_HAS_COST) COL(quality, TRACE_BY_REQUEST, TRACE_HAS_QUALITY)
	COL(att_model, TRACE_BY_ATTEMPT, 0) COL(att_status, TRACE_BY_ATTEMPT, 0)
	COL(att_input_tok, TRACE_BY_ATTEMPT, 0) COL(att_output_tok, TRACE_BY_ATTEMPT, 0)
	COL(att_cached_tok, TRACE_BY_ATTEMPT, 0) COL(att_latency_us, TRACE_BY_ATTEMPT, 0)
	COL(att_ts_us, TRACE_BY_ATTEMPT, 0)
#undef COL
	return n;
}

size_t trace_column_rows(const struct trace *t, const struct trace_column *c)
{
	if (c->by == TRACE_BY_ATTEMPT)
		return t->n_att;
	return (size_t)t->n_req + (c->data == (void **)&t->att_first);
}

int trace_grow(struct trace *t, uint32_t n_req, uint32_t n_att, unsigned optional)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	size_t n = trace_columns(t, cols);
	if (n_req == UINT32_MAX)
		return -1;
	uint32_t cap_req = t->cap_req > n_req ? t->cap_req : n_req + 1; /* att_first holds one more */
	uint32_t cap_att = t->cap_att > n_att ? t->cap_att : n_att;
	optional |= t->optional;
	for (size_t c = 0; c < n; c++) {
		if (cols[c].optional && !(optional & cols[c].optional))
			continue;
		size_t old = cols[c].optional && !(t->optional & cols[c].optional) ? 0
		           : cols[c].by == TRACE_BY_ATTEMPT ? t->cap_att : t->cap_req;
		size_t cap = cols[c].by == TRACE_BY_ATTEMPT ? cap_att : cap_req;
		if (resize(cols[c].data, cols[c].elem, old, cap) < 0)
			return -1; /* the columns resized so far only grew: the trace is still whole */
	}
	t->cap_req = cap_req;
	t->cap_att = cap_att;
	t->optional = optional;
	return 0;
}

int trace_alloc(struct trace *t, uint32_t n_req, uint32_t n_att, unsigned optional)
{
	memset(t, 0, sizeof *t);
	intern_init(&t->names);
	intern_init(&t->inputs);
	if (trace_grow(t, n_req, n_att, optional) < 0) {
		trace_free(t);
		return -1;
	}
	t->n_req = n_req;
	t->n_att = n_att;
	return 0;
}

void trace_free(struct trace *t)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	if (!t)
		return;
	size_t n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++)
		free(*cols[c].data);
	free(t->name);
	intern_fini(&t->names);
	intern_fini(&t->inputs);
	memset(t, 0, sizeof *t);
}

uint64_t trace_bytes(const struct trace *t)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	uint64_t b = 0;
	size_t n = trace_columns((struct trace *)t, cols);
	for (size_t c = 0; c < n; c++)
		if (*cols[c].data)
			b += (uint64_t)(cols[c].by == TRACE_BY_ATTEMPT ? t->cap_att : t->cap_req) * cols[c].elem;
	const struct intern *tabs[2] = { &t->names, &t->inputs };
	for (int i = 0; i < 2; i++)
		b += tabs[i]->cap_bytes + (uint64_t)tabs[i]->cap * 16 + (uint64_t)tabs[i]->n_slots * 4;
	return b;
}
