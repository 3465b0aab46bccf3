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

int trace_grow(struct trace *t, uint32_t n_req, uint32_t n_att, unsigned optional)
{
	if (n_req == UINT32_MAX)
		return -1;
	uint32_t cap_req = t->cap_req > n_req ? t->cap_req : n_req + 1; /* att_first holds one more */
	uint32_t cap_att = t->cap_att > n_att ? t->cap_att : n_att;
	optional |= t->optional;
	int ok = 1;
#define REQ(col) ok = ok && resize((void **)&t->col, sizeof *t->col, t->cap_req, cap_req) == 0;
#define ATT(col) ok = ok && resize((void **)&t->col, sizeof *t->col, t->cap_att, cap_att) == 0;
#define OPT(col, bit) ok = ok && (!(optional & bit) || resize((void **)&t->col, sizeof *t->col, \
	(t->optional & bit) ? t->cap_req : 0, cap_req) == 0);
	TRACE_REQ_COLUMNS(REQ)
	TRACE_ATT_COLUMNS(ATT)
	TRACE_OPT_COLUMNS(OPT)
#undef REQ
#undef ATT
#undef OPT
	if (!ok)
		return -1; /* the columns resized so far only grew: the trace is still whole */
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
	if (!t)
		return;
#define FREE(col) free(t->col);
#define FREE_OPT(col, bit) free(t->col);
	TRACE_REQ_COLUMNS(FREE)
	TRACE_ATT_COLUMNS(FREE)
	TRACE_OPT_COLUMNS(FREE_OPT)
#undef FREE
#undef FREE_OPT
	free(t->name);
	intern_fini(&t->names);
	intern_fini(&t->inputs);
	memset(t, 0, sizeof *t);
}

uint64_t trace_bytes(const struct trace *t)
{
	uint64_t b = 0;
#define REQ(col) b += (uint64_t)t->cap_req * sizeof *t->col;
#define ATT(col) b += (uint64_t)t->cap_att * sizeof *t->col;
#define OPT(col, bit) b += t->col ? (uint64_t)t->cap_req * sizeof *t->col : 0;
	TRACE_REQ_COLUMNS(REQ)
	TRACE_ATT_COLUMNS(ATT)
	TRACE_OPT_COLUMNS(OPT)
#undef REQ
#undef ATT
#undef OPT
	const struct intern *tabs[2] = { &t->names, &t->inputs };
	for (int i = 0; i < 2; i++)
		b += tabs[i]->cap_bytes + (uint64_t)tabs[i]->cap * 16 + (uint64_t)tabs[i]->n_slots * 4;
	return b;
}
