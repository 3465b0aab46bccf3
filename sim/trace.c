/*
 * The columnar trace's storage: one allocation per column, sized once by the
 * loader from the stored counts, so loading a trace never reallocates.
 */
#include "sim/trace.h"

#include <stdlib.h>
#include <string.h>

#define COLUMNS(X) \
	X(ts_us, n_req) X(tenant, n_req) X(task, n_req) X(input_tok, n_req) \
	X(output_tok, n_req) X(cached_tok, n_req) X(input, n_req) X(input_hash, n_req) \
	X(difficulty, n_req) X(realtime, n_req) X(att_first, n_req + 1) \
	X(att_model, n_att) X(att_status, n_att) X(att_input_tok, n_att) \
	X(att_output_tok, n_att) X(att_cached_tok, n_att) X(att_latency_us, n_att) \
	X(att_ts_us, n_att)

int trace_alloc(struct trace *t, uint32_t n_req, uint32_t n_att, unsigned optional)
{
	memset(t, 0, sizeof *t);
	intern_init(&t->names);
	intern_init(&t->inputs);
	t->n_req = n_req;
	t->n_att = n_att;
	int ok = 1;
#define ALLOC(col, n) ok &= (t->col = calloc((size_t)(n) + 1, sizeof *t->col)) != NULL;
	COLUMNS(ALLOC)
#undef ALLOC
	if (optional & TRACE_HAS_COST)
		ok &= (t->cost_pusd = calloc((size_t)n_req + 1, sizeof *t->cost_pusd)) != NULL;
	if (optional & TRACE_HAS_QUALITY)
		ok &= (t->quality = calloc((size_t)n_req + 1, sizeof *t->quality)) != NULL;
	if (!ok) {
		trace_free(t);
		return -1;
	}
	return 0;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
#define FREE(col, n) free(t->col);
	COLUMNS(FREE)
#undef FREE
	free(t->cost_pusd);
	free(t->quality);
	free(t->name);
	intern_fini(&t->names);
	intern_fini(&t->inputs);
	memset(t, 0, sizeof *t);
}

uint64_t trace_bytes(const struct trace *t)
{
	uint64_t b = 0;
#define SIZE(col, n) b += (uint64_t)(n) * sizeof *t->col;
	const uint32_t n_req = t->n_req, n_att = t->n_att;
	COLUMNS(SIZE)
#undef SIZE
	if (t->cost_pusd)
		b += (uint64_t)n_req * sizeof *t->cost_pusd;
	if (t->quality)
		b += (uint64_t)n_req * sizeof *t->quality;
	const struct intern *tabs[2] = { &t->names, &t->inputs };
	for (int i = 0; i < 2; i++)
		b += tabs[i]->cap_bytes + (uint64_t)tabs[i]->cap * 16 + (uint64_t)tabs[i]->n_slots * 4;
	return b;
}
