/*
 * The docs recipe: the document-analysis API of the article's practical
 * example B, which always attaches the whole document.  Inputs are lognormal
 * (median 16k tokens, mean about 23k, a tail clamped at 200k) on gpt-4.1; the
 * `input` field holds only the document's title, so input_tokens is explicit.
 * About one request in eight is a tenant re-analysing one of its recent
 * documents (same title, same size), which a cache keyed on the title answers.
 */
#include "traces/gen_core.h"

#include <stdlib.h>

static const struct gen_shape docs_shape = {
	.night = 0.08, .peak_h = 13.0, .sharp = 2, .weekend = 0.25, .noise = 0.2,
};

#define DOCS_RECENT 256         /* documents remembered for re-analysis */

struct docs_recent {
	struct gen_text title;
	uint32_t doc_tok;
	unsigned tenant;
	int policy;
};

int gen_docs_emit(const struct gen_params *p, struct gen_out *o, struct err *e)
{
	struct gen_tenants tn;
	struct gen_clock clk;
	struct gen_rng r;
	struct docs_recent *recent;
	int64_t ts, start = clock_days_from_civil(2026, 3, 1) * GEN_MS_PER_DAY;
	uint64_t index = 0, salt = gen_mix(p->seed, 0x646f6373);  /* "docs" */
	unsigned n_recent = 0, next_slot = 0;
	int rc = 0;

	recent = malloc(DOCS_RECENT * sizeof *recent);
	if (!recent)
		return err_set(e, "gen docs: out of memory");
	if (gen_tenants_init(&tn, p->n_tenants, e) < 0) {
		free(recent);
		return -1;
	}
	gen_rng_seed(&r, p->seed, 2);
	gen_clock_init(&clk, &docs_shape, start, p->n_days * 1440u, p->n_requests, p->seed);
	while (rc == 0 && gen_clock_next(&clk, &r, &ts)) {
		unsigned ti = gen_tenants_pick(&tn, &r);
		struct docs_recent *d;
		uint32_t instr, in, out, lat;

		if (n_recent > 0 && gen_rng_chance(&r, 0.12)) {
			/* Its tenant asks again about one of the recent documents. */
			d = &recent[gen_rng_below(&r, n_recent)];
			ti = d->tenant;
		} else {
			d = &recent[next_slot];
			next_slot = (next_slot + 1) % DOCS_RECENT;
			if (n_recent < DOCS_RECENT)
				n_recent++;
			d->tenant = ti;
			d->policy = gen_rng_chance(&r, 0.45);
			d->doc_tok = (uint32_t)gen_rng_lognormal(&r, 16000, 0.85, 1500, 200000);
			gen_text_doc_title(&r, &d->title, d->policy, d->doc_tok);
		}
		/* Instructions: a report template, or the tenant's policy rules to check against. */
		if (d->policy) {
			instr = 600 + (uint32_t)(500 * gen_mix_unit(salt, ti));
			out = (uint32_t)gen_rng_lognormal(&r, 320, 0.4, 80, 1200);
		} else {
			instr = 450;
			out = (uint32_t)gen_rng_lognormal(&r, 1300, 0.5, 300, 6000);
		}
		in = d->doc_tok + instr + gen_text_tokens(&d->title);
		lat = 800 + in / 40 + (uint32_t)(15.0 * out * (0.85 + 0.35 * gen_rng_unit(&r)));

		gen_out_head(o, ts, "docs", ++index, tn.name[ti], tn.name_len[ti],
		             d->policy ? "policy_check" : "long_report");
		GEN_LIT(o, ",\"model\":\"gpt-4.1\",\"status\":\"ok\"");
		gen_out_io(o, d->title.s, d->title.n, in, out);
		GEN_LIT(o, ",\"latency_ms\":");
		gen_out_u64(o, lat);
		GEN_LIT(o, "}");
		rc = gen_out_end_line(o);
	}
	gen_tenants_fini(&tn);
	free(recent);
	return rc;
}
