/*
 * The mixed recipe: a multi-tenant product with every task type (faq_answer,
 * ticket_triage, policy_check, long_report) and everything a policy can act
 * on: `difficulty` labels and the recorded routing by them, `quality` scores,
 * `realtime:false` weekly reports for the batch queue, provider prompt-cache
 * `cached_tokens` on long system prompts, and about 1.3% recorded errors.
 * It is also the benchmark workload, so each line is a handful of draws and
 * straight buffer writes.
 */
#include "traces/gen_core.h"

static const struct gen_shape mixed_shape = {
	.night = 0.15, .peak_h = 14.0, .sharp = 2, .weekend = 0.4, .noise = 0.15,
};

#define MIXED_SMALL "gpt-4.1-mini"
#define MIXED_LARGE "gpt-4.1"

enum mixed_task { T_FAQ, T_TICKET, T_POLICY, T_REPORT };

static const char *const mixed_task_name[] = {
	"faq_answer", "ticket_triage", "policy_check", "long_report",
};

/* Share of hard requests per task, in percent. */
static const unsigned mixed_hard_pct[] = { 12, 8, 35, 70 };

/* Tokens that the provider's prompt cache can serve: a prefix of at least 1024 tokens,
 * counted in steps of 128 (OpenAI's rule), when the tenant's prefix is still warm. */
static uint32_t mixed_cached(struct gen_rng *r, uint32_t prefix, double warm)
{
	if (prefix < 1024 || !gen_rng_chance(r, warm))
		return 0;
	return 1024 + (prefix - 1024) / 128 * 128;
}

int gen_mixed_emit(const struct gen_params *p, struct gen_out *o, struct err *e)
{
	struct gen_tenants tn;
	struct gen_clock clk;
	struct gen_rng r;
	struct gen_text t;
	int64_t ts, start = clock_days_from_civil(2026, 3, 1) * GEN_MS_PER_DAY;
	uint64_t index = 0, salt = gen_mix(p->seed, 0x6d69786564);  /* "mixed" */
	int rc = 0;

	if (gen_tenants_init(&tn, p->n_tenants, e) < 0)
		return -1;
	gen_rng_seed(&r, p->seed, 4);
	gen_clock_init(&clk, &mixed_shape, start, p->n_days * 1440u, p->n_requests, p->seed);
	while (rc == 0 && gen_clock_next(&clk, &r, &ts)) {
		unsigned ti = gen_tenants_pick(&tn, &r);
		/* The tenant's system prompt (400-2400 tokens) and how often its cache is warm. */
		uint32_t sys = 400 + (uint32_t)(2000 * gen_mix_unit(salt, ti));
		double warm = 0.5 + 0.4 * gen_mix_unit(salt + 1, ti);
		uint32_t x = gen_rng_below(&r, 100), prefix, in, out, cached, lat;
		enum mixed_task task = x < 50 ? T_FAQ : x < 70 ? T_TICKET : x < 90 ? T_POLICY : T_REPORT;
		int hard = gen_rng_below(&r, 100) < mixed_hard_pct[task], large, realtime = 1;
		const char *status = "ok";
		double u;

		switch (task) {
		case T_FAQ:
			gen_text_faq(&r, &t);
			prefix = sys;
			in = prefix + gen_rng_range(&r, 300, 1500) + gen_text_tokens(&t);
			out = (uint32_t)gen_rng_lognormal(&r, 150, 0.45, 30, 700);
			break;
		case T_TICKET:
			gen_text_ticket(&r, &t);
			prefix = sys / 2;
			in = prefix + gen_rng_range(&r, 200, 600) + gen_text_tokens(&t);
			out = (uint32_t)gen_rng_lognormal(&r, 50, 0.3, 10, 200);
			break;
		case T_POLICY:
			gen_text_policy(&r, &t);
			prefix = sys / 2 + 1200;
			in = prefix + gen_rng_range(&r, 0, 2000) + gen_text_tokens(&t);
			out = (uint32_t)gen_rng_lognormal(&r, 220, 0.4, 40, 900);
			break;
		default:
			gen_text_report(&r, &t, ts);
			prefix = 0;
			in = (uint32_t)gen_rng_lognormal(&r, 9000, 0.6, 2000, 60000) + gen_text_tokens(&t);
			out = (uint32_t)gen_rng_lognormal(&r, 1400, 0.45, 300, 5000);
			realtime = !gen_rng_chance(&r, 0.7);
			break;
		}
		/* The recorded router: reports and most hard requests on the large model. */
		large = task == T_REPORT || (hard ? gen_rng_chance(&r, 0.9) : gen_rng_chance(&r, 0.05));
		cached = mixed_cached(&r, prefix, warm);

		u = gen_rng_unit(&r);
		if (u < 0.005)
			status = "rate_limited";
		else if (u < 0.008)
			status = "server_error";
		else if (u < 0.012)
			status = "timeout";
		else if (u < 0.013)
			status = "content_filter";
		else if (u < 0.0135 && task == T_REPORT)
			status = "context_length";

		if (status[0] == 'o')
			lat = (large ? 600 + in / 40 : 350 + in / 60) +
			      (uint32_t)((large ? 15.0 : 8.0) * out * (0.85 + 0.35 * gen_rng_unit(&r)));
		else if (status[0] == 't')
			lat = 30000;
		else
			lat = gen_rng_range(&r, 80, 2500);

		gen_out_head(o, ts, "mixed", ++index, tn.name[ti], tn.name_len[ti],
		             mixed_task_name[task]);
		if (large)
			GEN_LIT(o, ",\"model\":\"" MIXED_LARGE "\",\"status\":\"");
		else
			GEN_LIT(o, ",\"model\":\"" MIXED_SMALL "\",\"status\":\"");
		gen_out_str(o, status);
		GEN_LIT(o, "\"");
		gen_out_io(o, t.s, t.n, in, out);
		if (cached) {
			GEN_LIT(o, ",\"cached_tokens\":");
			gen_out_u64(o, cached);
		}
		GEN_LIT(o, ",\"latency_ms\":");
		gen_out_u64(o, lat);
		if (hard)
			GEN_LIT(o, ",\"difficulty\":\"hard\"");
		else
			GEN_LIT(o, ",\"difficulty\":\"easy\"");
		if (status[0] == 'o') {
			/* Eval scores: a hard request answered by the small model is the weak spot. */
			uint32_t lo = hard ? (large ? 78 : 45) : 84, hi = hard ? (large ? 97 : 80) : 99;
			GEN_LIT(o, ",\"quality\":");
			gen_out_hundredths(o, gen_rng_range(&r, lo, hi));
		}
		if (!realtime)
			GEN_LIT(o, ",\"realtime\":false");
		GEN_LIT(o, "}");
		rc = gen_out_end_line(o);
	}
	gen_tenants_fini(&tn);
	return rc;
}
