/*
 * The price table's lookups and the modelled latency of a call (its one
 * rounding rule: half to even to a microsecond).  A call's cost is computed
 * in sim/money.c from the struct money_price each model carries.
 */
#include "sim/pricing.h"

#include <stdlib.h>
#include <string.h>

const char *const tier_names[N_TIER] = { [TIER_SMALL] = "small", [TIER_LARGE] = "large" };

void pricing_free(struct pricing *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_models; i++)
		free(p->models[i].name);
	free(p->models);
	free(p->path);
	free(p->date);
	free(p->source);
	free(p);
}

int pricing_index(const struct pricing *p, const char *name)
{
	if (!p || !name)
		return -1;
	for (size_t i = 0; i < p->n_models; i++)
		if (strcmp(p->models[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct price_model *pricing_find(const struct pricing *p, const char *name)
{
	int i = pricing_index(p, name);
	return i < 0 ? NULL : &p->models[i];
}

int64_t pricing_latency_us(const struct price_model *m, int64_t output_tok)
{
	int64_t ns = m->latency_per_tok_ns * output_tok;
	int64_t us = ns / 1000, rem = ns % 1000;
	if (rem > 500 || (rem == 500 && (us & 1)))
		us++;
	return m->latency_base_us + us;
}
