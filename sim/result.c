/*
 * The result snapshot's shared arithmetic: the names of the timeline series
 * and alert kinds, the derived figures of SPEC §5/§10 (ratios, per-request
 * figures, cost per resolved request, the monthly projection) computed one
 * way for every output, and the release of a scenario result.
 */
#include "sim/result.h"

#include <stdlib.h>
#include <string.h>

const char *const timeline_names[N_TL_COUNTS] = {
	[TL_REQUESTS] = "requests",
	[TL_CACHE_HITS] = "cache_hits",
	[TL_CALLS] = "calls",
	[TL_CALLS_LARGE] = "calls_large",
	[TL_FALLBACKS] = "fallbacks",
	[TL_RETRIES] = "retries",
	[TL_FIRST_CALLS] = "first_calls",
	[TL_FIRST_FALLBACKS] = "first_fallbacks",
};

const char *const alert_names[N_ALERT] = {
	[ALERT_COST_GUARD] = "cost_guard",
	[ALERT_FALLBACK_FLOOD] = "fallback_flood",
};

void result_derive(const struct result_scenario *r, const struct metrics *m, struct derived *d)
{
	memset(d, 0, sizeof *d);
	/* ratios: the double nearest the exact quotient, 0 over a zero denominator (SPEC §10) */
	d->cache_hit_rate = money_quotient(m->cache_hits, m->requests);
	d->input_tokens_per_request = money_quotient(m->input_tokens, m->requests);
	d->output_tokens_per_request = money_quotient(m->output_tokens, m->requests);
	d->large_share = money_quotient(m->calls_large, m->calls);
	d->fallback_rate = money_quotient(m->requests_with_fallback, m->requests_with_call);
	d->budget_violation_rate = money_quotient(m->budget_violations, m->requests - m->cache_hits);

	d->usd_per_resolved_null = m->resolved == 0
		|| money_muldiv(m->usd_total, 1, (money_sum)m->resolved, &d->usd_per_resolved) < 0;
	if (d->usd_per_resolved_null)
		d->usd_per_resolved = 0;

	d->projected_null = r->span_us <= 0
		|| money_project(m->usd_total, r->days_ppb, r->span_us, r->sample_rate_ppb,
		                 r->multiplier_ppb, &d->projected_monthly_usd) < 0;
	if (d->projected_null)
		d->projected_monthly_usd = 0;
}

void result_scenario_fini(struct result_scenario *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->tenant_names);
	free(r->task_names);
	free(r->by_tenant);
	free(r->by_task);
	free(r->by_model);
	for (int i = 0; i < N_TL_COUNTS; i++)
		free(r->timeline.count[i]);
	free(r->timeline.usd);
	free(r->timeline.retry_usd);
	free(r->alerts);
	memset(r, 0, sizeof *r);
}
