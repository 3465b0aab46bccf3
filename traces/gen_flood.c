/*
 * The flood recipe: the article's "surge in costs due to fallback flood".
 * Normal traffic runs until 2026-03-02T10:00Z, gpt-4.1-mini then times out
 * for 45 minutes, and traffic goes on until 11:45Z.  Every line records, in
 * `attempts`, what the production system did under the policy of SPEC §3's
 * example: up to 3 attempts per model (backoff 500 ms × 2^(k−1), timeouts at
 * 30 s), chain gpt-4.1-mini → gpt-4o.  Priced as recorded (with
 * fixtures/pricing/flood.json) the fallback rate is about 8% outside the
 * outage and 64% inside, a gpt-4o call costs about 6× a gpt-4.1-mini call,
 * and the outage's cost per hour is about 4.3× the hour before.
 */
#include "traces/gen_core.h"

/* A global consumer app: a mild day curve (the peak is 1.25× the quietest hour) and no
 * weekend dip, so that the cost_guard alert's baseline, the mean of all earlier hours,
 * stays within its 30% of any normal hour and only the outage fires it. */
static const struct gen_shape flood_shape = {
	.night = 0.8, .peak_h = 14.0, .sharp = 1, .weekend = 1.0, .noise = 0.1,
};

#define FLOOD_SMALL "gpt-4.1-mini"
#define FLOOD_LARGE "gpt-4o"
#define FLOOD_MAX_ATTEMPTS 3            /* per model */
#define FLOOD_TIMEOUT_MS 30000
#define FLOOD_BACKOFF_MS 500
#define FLOOD_OUTAGE_FROM_MS (10 * 3600000LL)   /* after midnight of the outage day */
#define FLOOD_OUTAGE_MS (45 * 60000LL)
#define FLOOD_END_MS (11 * 3600000LL + 45 * 60000LL)

/* gpt-4o answers the same request a little more tersely than gpt-4.1-mini; with the
 * unbilled failures this puts a gpt-4o call at about 6× a gpt-4.1-mini call (the
 * price ratio is 6.25). */
#define FLOOD_LARGE_OUTPUT 0.85

/*
 * How one model behaves in one period: the first attempt fails with `first`,
 * a retry after a failure fails again with `again` (failures persist: the
 * request keeps hitting the degraded backend), and a failure is a timeout,
 * rate_limited or server_error by the given percentages.
 */
struct flood_rates {
	double first, again;
	unsigned pct_timeout, pct_rate_limited;
};

/*
 * Calibration (checked by pricing seeds 1-8 as recorded, see fixtures/traces/README.md):
 * normal, 0.125 × 0.8 × 0.8 = 8% of requests exhaust gpt-4.1-mini's 3 attempts and fall
 * back; in the outage 0.8 × 0.9 × 0.9 = 64.8% (a little less is measured: the retries of
 * requests arriving in its last minute run after it).  Normal failures are mostly
 * timeouts, which are billed in full; rate_limited and server_error are not.  In the
 * outage gpt-4o is overloaded too, and its billed timeouts and retries bring the cost
 * per hour to about 4.3× the hour before.
 */
static const struct flood_rates small_normal = { 0.125, 0.80, 80, 15 };
static const struct flood_rates small_outage = { 0.80, 0.90, 92, 0 };
static const struct flood_rates large_normal = { 0.03, 0.30, 0, 70 };
static const struct flood_rates large_outage = { 0.25, 0.35, 80, 20 };

struct flood_attempt {
	const char *model, *status;
	int64_t ts_ms;
	uint32_t latency_ms, in, out;
};

static const char *flood_failure(struct gen_rng *r, const struct flood_rates *fr)
{
	uint32_t x = gen_rng_below(r, 100);
	if (x < fr->pct_timeout)
		return "timeout";
	if (x < fr->pct_timeout + fr->pct_rate_limited)
		return "rate_limited";
	return "server_error";
}

/*
 * Up to FLOOD_MAX_ATTEMPTS attempts on one model from *t_ms, appended to a;
 * *t_ms ends when the last one ends.  Returns 1 when one succeeded.
 */
static int flood_try_model(struct gen_rng *r, const char *model, int large, uint32_t in,
                           uint32_t out, int64_t outage_from, int64_t *t_ms,
                           struct flood_attempt *a, int *n)
{
	for (int k = 1; k <= FLOOD_MAX_ATTEMPTS; k++) {
		int in_outage = *t_ms >= outage_from && *t_ms < outage_from + FLOOD_OUTAGE_MS;
		const struct flood_rates *fr = large ? (in_outage ? &large_outage : &large_normal)
		                                     : (in_outage ? &small_outage : &small_normal);
		struct flood_attempt *at = &a[(*n)++];
		int failed = gen_rng_chance(r, k == 1 ? fr->first : fr->again);

		at->model = model;
		at->ts_ms = *t_ms;
		at->in = in;
		at->out = out;
		at->status = failed ? flood_failure(r, fr) : "ok";
		if (!failed)
			at->latency_ms = (large ? 500 + in / 40 : 350 + in / 60) +
			                 (uint32_t)((large ? 11.0 : 8.0) * out * (0.85 + 0.35 * gen_rng_unit(r)));
		else if (at->status[0] == 't')
			at->latency_ms = FLOOD_TIMEOUT_MS;
		else if (at->status[0] == 'r')
			at->latency_ms = gen_rng_range(r, 60, 400);
		else
			at->latency_ms = gen_rng_range(r, 400, 3000);
		*t_ms += at->latency_ms;
		if (!failed)
			return 1;
		if (k < FLOOD_MAX_ATTEMPTS)
			*t_ms += (int64_t)FLOOD_BACKOFF_MS << (k - 1);
	}
	return 0;
}

static void flood_write_attempt(struct gen_out *o, const struct flood_attempt *a)
{
	GEN_LIT(o, "{\"model\":\"");
	gen_out_str(o, a->model);
	GEN_LIT(o, "\",\"status\":\"");
	gen_out_str(o, a->status);
	GEN_LIT(o, "\",\"ts\":");
	gen_out_ts(o, a->ts_ms);
	GEN_LIT(o, ",\"latency_ms\":");
	gen_out_u64(o, a->latency_ms);
	GEN_LIT(o, ",\"input_tokens\":");
	gen_out_u64(o, a->in);
	GEN_LIT(o, ",\"output_tokens\":");
	gen_out_u64(o, a->out);
	GEN_LIT(o, "}");
}

int gen_flood_emit(const struct gen_params *p, struct gen_out *o, struct err *e)
{
	struct gen_tenants tn;
	struct gen_clock clk;
	struct gen_rng r;
	struct gen_text t;
	struct flood_attempt a[2 * FLOOD_MAX_ATTEMPTS];
	int64_t ts, day = clock_days_from_civil(2026, 3, 2) * GEN_MS_PER_DAY;
	int64_t start = day - (int64_t)(p->n_days - 1) * GEN_MS_PER_DAY;
	int64_t outage_from = day + FLOOD_OUTAGE_FROM_MS;
	uint32_t n_min = (uint32_t)((day + FLOOD_END_MS - start) / GEN_MS_PER_MIN);
	uint64_t index = 0, salt = gen_mix(p->seed, 0x666c6f6f64);  /* "flood" */
	int rc = 0;

	if (gen_tenants_init(&tn, p->n_tenants, e) < 0)
		return -1;
	gen_rng_seed(&r, p->seed, 3);
	gen_clock_init(&clk, &flood_shape, start, n_min, p->n_requests, p->seed);
	while (rc == 0 && gen_clock_next(&clk, &r, &ts)) {
		unsigned ti = gen_tenants_pick(&tn, &r);
		uint32_t x = gen_rng_below(&r, 100), in, out;
		const char *task;
		int64_t t_ms = ts;
		int n = 0;

		if (x < 60) {
			task = "faq_answer";
			gen_text_faq(&r, &t);
			in = gen_text_tokens(&t) + 200 + (uint32_t)(200 * gen_mix_unit(salt, ti)) +
			     gen_rng_range(&r, 400, 1400);
			out = (uint32_t)gen_rng_lognormal(&r, 150, 0.4, 30, 600);
		} else if (x < 85) {
			task = "policy_check";
			gen_text_policy(&r, &t);
			in = gen_text_tokens(&t) + gen_rng_range(&r, 1500, 2500);
			out = (uint32_t)gen_rng_lognormal(&r, 180, 0.35, 40, 500);
		} else {
			task = "ticket_triage";
			gen_text_ticket(&r, &t);
			in = gen_text_tokens(&t) + gen_rng_range(&r, 350, 800);
			out = (uint32_t)gen_rng_lognormal(&r, 45, 0.3, 10, 150);
		}
		if (!flood_try_model(&r, FLOOD_SMALL, 0, in, out, outage_from, &t_ms, a, &n))
			flood_try_model(&r, FLOOD_LARGE, 1, in, (uint32_t)(out * FLOOD_LARGE_OUTPUT + 0.5),
			                outage_from, &t_ms, a, &n);

		gen_out_head(o, ts, "flood", ++index, tn.name[ti], tn.name_len[ti], task);
		GEN_LIT(o, ",\"model\":\"");
		gen_out_str(o, a[0].model);
		GEN_LIT(o, "\",\"status\":\"");
		gen_out_str(o, a[0].status);
		GEN_LIT(o, "\"");
		gen_out_io(o, t.s, t.n, in, out);
		GEN_LIT(o, ",\"latency_ms\":");
		gen_out_u64(o, a[0].latency_ms);
		GEN_LIT(o, ",\"attempts\":[");
		for (int i = 0; i < n; i++) {
			if (i > 0)
				GEN_LIT(o, ",");
			flood_write_attempt(o, &a[i]);
		}
		GEN_LIT(o, "]}");
		rc = gen_out_end_line(o);
	}
	gen_tenants_fini(&tn);
	return rc;
}
