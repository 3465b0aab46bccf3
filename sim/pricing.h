/*
 * The price table: per model, USD per 1M tokens held exactly as integer
 * micro-USD per 1M tokens (= pico-USD per token; see sim/money.h, where a
 * call's cost is computed), a tier, and a latency model.
 * Loaded from a pricing file by traces/pricing.c; the engine only reads it.
 * Ownership: a struct pricing owns its strings and model array; pricing_free()
 * releases all of it (NULL is fine).  Functions return 0 / -1 where they can fail.
 */
#ifndef SIM_PRICING_H
#define SIM_PRICING_H

#include <stddef.h>
#include <stdint.h>

#include "sim/money.h"

enum tier { TIER_SMALL, TIER_LARGE, N_TIER };

/* "small", "large", indexed by enum tier. */
extern const char *const tier_names[N_TIER];

struct price_model {
	char *name;
	enum tier tier;
	/* micro-USD per 1M tokens (= pico-USD per token): input_micro, cached_micro
	 * (cached_input, defaults to input), output_micro; a call's cost is
	 * money_call_pusd(&m->price, ...) */
	struct money_price price;
	/* latency_ms_base and latency_ms_per_output_token exactly, in ps (10^-9 ms; 0 when
	 * absent), each at most PRICING_LATENCY_MAX_PS */
	int64_t latency_base_ps, latency_per_tok_ps;
};

#define PRICING_LATENCY_MAX_PS (INT64_C(1000000000) * 1000000000) /* 10^9 ms */

struct pricing {
	char *path;   /* the file it was loaded from */
	char *date;   /* "date" of the file, "" when absent */
	char *source; /* "source" of the file, "" when absent */
	size_t n_models;
	struct price_model *models; /* in file order */
};

void pricing_free(struct pricing *p);

/* The model called `name`, or NULL.  Borrowed pointer into p. */
const struct price_model *pricing_find(const struct pricing *p, const char *name);

/* The index of model `name` in p->models, or -1. */
int pricing_index(const struct pricing *p, const char *name);

/* The alias of an OpenAI dated snapshot name ("gpt-4.1-mini-2025-04-14" → "gpt-4.1-mini"),
 * which price tables list: the length of name[0..n) without a trailing -YYYY-MM-DD. */
size_t pricing_undated(const char *name, size_t n);

/*
 * The modelled latency of a call: latency_ms_base + output × latency_ms_per_output_token,
 * exactly, then rounded half to even to a microsecond (SPEC §10), and at most
 * TRACE_LATENCY_MAX_US, as a recorded latency.
 */
int64_t pricing_latency_us(const struct price_model *m, uint64_t output_tok);

#endif
