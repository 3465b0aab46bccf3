/*
 * The price table's lookups and the modelled latency of a call (its one
 * rounding rule: half to even to a microsecond).  A call's cost is computed
 * in sim/money.c from the struct money_price each model carries.
 */
#include "sim/pricing.h"

#include <stdlib.h>
#include <string.h>

#include "sim/trace.h"

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

size_t pricing_undated(const char *name, size_t n)
{
	static const char shape[] = "-0000-00-00";
	size_t k = sizeof shape - 1;
	if (n <= k)
		return n;
	for (size_t i = 0; i < k; i++) {
		char c = name[n - k + i];
		if (shape[i] == '0' ? c < '0' || c > '9' : c != shape[i])
			return n;
	}
	return n - k;
}

const struct price_model *pricing_find(const struct pricing *p, const char *name)
{
	int i = pricing_index(p, name);
	return i < 0 ? NULL : &p->models[i];
}

/* us µs and rem_ps ps (< 10^6) rounded half to even to a µs, at most TRACE_LATENCY_MAX_US. */
static int64_t rounded_us(uint64_t us, uint64_t rem_ps)
{
	us += rem_ps > 500000 || (rem_ps == 500000 && (us & 1));
	return us < (uint64_t)TRACE_LATENCY_MAX_US ? (int64_t)us : TRACE_LATENCY_MAX_US;
}

int64_t pricing_latency_us(const struct price_model *m, uint64_t output_tok)
{
	__extension__ typedef unsigned __int128 wide;
	uint64_t ps;
	if (__builtin_mul_overflow((uint64_t)m->latency_per_tok_ps, output_tok, &ps) ||
	    __builtin_add_overflow(ps, (uint64_t)m->latency_base_ps, &ps)) { /* past 1.8·10^7 s */
		wide w = (wide)m->latency_per_tok_ps * output_tok + (uint64_t)m->latency_base_ps;
		if (w >= (wide)TRACE_LATENCY_MAX_US * 1000000)
			return TRACE_LATENCY_MAX_US;
		return rounded_us((uint64_t)(w / 1000000), (uint64_t)(w % 1000000));
	}
	return rounded_us(ps / 1000000, ps % 1000000);
}
