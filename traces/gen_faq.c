/*
 * The faq recipe: the customer-support bot of the article's practical example
 * A.  The 30 most common questions make 40% of requests, the rest is a long
 * tail; every request pays for a tenant system prompt and retrieved context
 * on gpt-4.1-mini with no cache, which is what a cache policy would save.
 */
#include "traces/gen_core.h"

static const struct gen_shape faq_shape = {
	.night = 0.12, .peak_h = 14.0, .sharp = 2, .weekend = 0.45, .noise = 0.15,
};

int gen_faq_emit(const struct gen_params *p, struct gen_out *o, struct err *e)
{
	struct gen_tenants tn;
	struct gen_clock clk;
	struct gen_rng r;
	struct gen_text t;
	int64_t ts, start = clock_days_from_civil(2026, 3, 1) * GEN_MS_PER_DAY;
	uint64_t index = 0, salt = gen_mix(p->seed, 0x666171);     /* "faq" */
	int rc = 0;

	if (gen_tenants_init(&tn, p->n_tenants, e) < 0)
		return -1;
	gen_rng_seed(&r, p->seed, 1);
	gen_clock_init(&clk, &faq_shape, start, p->n_days * 1440u, p->n_requests, p->seed);
	while (rc == 0 && gen_clock_next(&clk, &r, &ts)) {
		unsigned ti = gen_tenants_pick(&tn, &r);
		uint32_t sys, ctx, hist = 0, in, out, lat;

		gen_text_faq(&r, &t);
		/* The tenant's system prompt; retrieval context fixed per (tenant, common question). */
		sys = 180 + (uint32_t)(240 * gen_mix_unit(salt, ti));
		if (t.head >= 0) {
			ctx = 400 + (uint32_t)(1000 * gen_mix_unit(salt + 1, (uint64_t)ti * 64 + (uint64_t)t.head));
			out = (uint32_t)((60 + 160 * gen_mix_unit(salt + 2, (uint64_t)t.head)) *
			                 (0.85 + 0.3 * gen_rng_unit(&r)));
		} else {
			ctx = gen_rng_range(&r, 300, 1700);
			out = (uint32_t)gen_rng_lognormal(&r, 150, 0.45, 30, 700);
		}
		/* A few users paste a whole chat history: over the task's 4000-token budget. */
		if (gen_rng_chance(&r, 0.02))
			hist = gen_rng_range(&r, 3000, 9000);
		in = gen_text_tokens(&t) + sys + ctx + hist;
		lat = 350 + in / 60 + (uint32_t)(8.0 * out * (0.85 + 0.35 * gen_rng_unit(&r)));

		gen_out_head(o, ts, "faq", ++index, tn.name[ti], tn.name_len[ti], "faq_answer");
		GEN_LIT(o, ",\"model\":\"gpt-4.1-mini\",\"status\":\"ok\"");
		gen_out_io(o, t.s, t.n, in, out);
		GEN_LIT(o, ",\"latency_ms\":");
		gen_out_u64(o, lat);
		GEN_LIT(o, "}");
		rc = gen_out_end_line(o);
	}
	gen_tenants_fini(&tn);
	return rc;
}
