/*
 * Alerts (SPEC §5, §10 "Timeline and alerts"): evaluated after the run at every
 * epoch-aligned 60 s instant e, over the window [e − window_s, e), from the
 * step series of first calls, first fallbacks and call costs (sim/window.h).
 * Consecutive firing instants make one alert, reported at its highest ratio.
 */
#include "sim/replay_internal.h"

#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"

#define GRID_US WINDOW_GRID_US

/* An instant's ratio exactly: a × b ÷ (c × d), with d the same at every instant of a kind. */
struct peak {
	money_sum a, c;
	uint64_t b;
};

static const struct peak no_peak = { 0, 1, 0 };

/* The peak_ratio written for an instant's exact ratio p of divisor d. */
static double peak_ratio(struct peak p, money_sum d)
{
	return money_quotient2(p.a, (money_sum)p.b, p.c, d);
}

struct run {
	int open;               /* the previous instant fired */
	struct alert cur;
	struct peak peak;       /* cur's peak_ratio, exactly */
};

static int emit(struct result_scenario *r, const struct alert *al, size_t *cap)
{
	if (r->n_alerts == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		struct alert *p = realloc(r->alerts, *cap * sizeof *p);
		if (!p)
			return -1;
		r->alerts = p;
	}
	r->alerts[r->n_alerts++] = *al;
	return 0;
}

/*
 * One instant's verdict: extends the open alert, starts one, or closes it.  Its
 * ratio p is exact, so a higher peak is told even where the doubles are equal
 * (the earliest instant keeps a tie): a₁b₁ ÷ c₁d > a₂b₂ ÷ c₂d ⇔ a₁c₂b₁ > a₂c₁b₂.
 */
static int step(struct result_scenario *r, struct run *run, int fires, const struct alert *now,
                struct peak p, size_t *cap)
{
	if (fires) {
		if (!run->open || money_products_gt(p.a, run->peak.c, p.b, run->peak.a, p.c, run->peak.b)) {
			struct alert was = run->cur;
			run->cur = *now;
			if (run->open) { /* a higher peak: the start and its figures stay */
				run->cur.start_us = was.start_us;
				run->cur.first_value_pusd = was.first_value_pusd;
				run->cur.first_baseline_pusd = was.first_baseline_pusd;
				run->cur.first_value_rate = was.first_value_rate;
			} else {
				run->cur.first_value_pusd = now->value_pusd;
				run->cur.first_baseline_pusd = now->baseline_pusd;
				run->cur.first_value_rate = now->value_rate;
			}
			run->peak = p;
			run->open = 1;
		}
		run->cur.end_us = now->end_us;
		return 0;
	}
	if (run->open) {
		run->open = 0;
		return emit(r, &run->cur, cap);
	}
	return 0;
}

static int by_start_kind(const void *x, const void *y)
{
	const struct alert *a = x, *b = y;
	if (a->start_us != b->start_us)
		return a->start_us < b->start_us ? -1 : 1;
	return (int)a->kind - (int)b->kind;
}

int alerts_evaluate(struct acct *a)
{
	const struct scenario *sc = a->sc;
	struct err *e = a->e;
	struct result_scenario *r = a->r;
	const struct replay_trace *rt = a->rt;
	size_t cap = 0;
	if (!rt->t->n_req)
		return 0;
	struct run flood = { 0 }, cost = { 0 };
	int64_t first = clock_floor_div(rt->first_us, GRID_US) * GRID_US + GRID_US; /* the first after the first arrival */
	int64_t last = -clock_floor_div(-a->last_event_us, GRID_US) * GRID_US;      /* the first at or after the last event */
	if (rt->alerts_through_us != INT64_MIN && clock_floor_div(rt->alerts_through_us, GRID_US) * GRID_US > last)
		last = clock_floor_div(rt->alerts_through_us, GRID_US) * GRID_US; /* replay_alerts_through */
	if (clock_floor_div(rt->alerts_until_us, GRID_US) * GRID_US < last)
		last = clock_floor_div(rt->alerts_until_us, GRID_US) * GRID_US; /* replay_alerts_until */
	/* cost_guard's baseline range [max(first arrival, e − w − b), e − w) is min(b, e − w − first
	 * arrival) long, at least w from the instant first arrival + 2w on when b ≥ w */
	int64_t w_cg = sc->alerts.cost_guard_window_us;
	r->cost_guard_unjudged = !sc->alerts.cost_guard_on ? 0
	                         : sc->alerts.cost_guard_baseline_us < w_cg ? COST_GUARD_SHORT_BASELINE
	                         : last < first || last - w_cg < rt->first_us + w_cg ? COST_GUARD_SHORT_RUN : 0;
	int rc = 0;
	/* An instant can fire only with a call begun in its window (every first call is a call,
	 * and cost_guard needs spend): across quiet stretches the grid jumps to the first instant
	 * whose window reaches a minute with a call, closing open alerts first, so a sparse trace
	 * costs its calls, not its span. */
	struct step_reader at_spend = { &a->spend, 0 }, at_spend_w = { a->spend_w_of, 0 },
	                   at_spend_wb = { a->spend_wb_of, 0 }, at_calls = { &a->calls, 0 },
	                   at_calls_w = { a->calls_w_of, 0 }, at_fbs = { &a->fbs, 0 }, at_fbs_w = { a->fbs_w_of, 0 };
	int64_t reach = 0;
	if (sc->alerts.fallback_flood_on)
		reach = sc->alerts.fallback_flood_window_us;
	if (sc->alerts.cost_guard_on && sc->alerts.cost_guard_window_us > reach)
		reach = sc->alerts.cost_guard_window_us;
	for (int64_t e_us = first; e_us <= last && rc == 0; e_us += GRID_US) {
		/* the first instant after a minute with a call, that minute ending after e − reach */
		int64_t next = step_series_next(&a->spend, e_us - reach);
		if (next > e_us) {
			struct alert none = { 0 };
			rc = step(r, &flood, 0, &none, no_peak, &cap);
			if (rc == 0)
				rc = step(r, &cost, 0, &none, no_peak, &cap);
			if (next == INT64_MAX)
				break;
			e_us = next - GRID_US;
			continue;
		}
		if (sc->alerts.fallback_flood_on) {
			int64_t w = sc->alerts.fallback_flood_window_us;
			uint64_t calls = (uint64_t)(step_reader_before(&at_calls, e_us) -
			                            step_reader_before(&at_calls_w, e_us - w));
			uint64_t fbs = (uint64_t)(step_reader_before(&at_fbs, e_us) -
			                          step_reader_before(&at_fbs_w, e_us - w));
			const struct decfrac *q = &sc->alerts.fallback_flood_rate;
			int fires = calls >= (uint64_t)sc->alerts.fallback_flood_min_requests && calls > 0 &&
			            (money_sum)fbs * q->den > (money_sum)q->num * calls;
			struct alert now = { .kind = ALERT_FALLBACK_FLOOD, .start_us = e_us, .end_us = e_us };
			struct peak p = { (money_sum)fbs, (money_sum)calls, (uint64_t)q->den }; /* d = q->num */
			if (fires) {
				now.value_rate = money_quotient(fbs, calls);
				now.baseline_rate = q->value;
				now.peak_ratio = peak_ratio(p, q->num);
			}
			rc = step(r, &flood, fires, &now, p, &cap);
		}
		if (sc->alerts.cost_guard_on && rc == 0) {
			int64_t w = sc->alerts.cost_guard_window_us, b = sc->alerts.cost_guard_baseline_us;
			int64_t from = e_us - w - b > rt->first_us ? e_us - w - b : rt->first_us;
			int64_t len = e_us - w - from;
			int fires = 0;
			struct peak p = no_peak; /* spend × len ÷ (base × w) */
			struct alert now = { .kind = ALERT_COST_GUARD, .start_us = e_us, .end_us = e_us };
			if (len >= w) {
				money_sum before_from = from == rt->first_us ? a->spend_before_first
				                        : step_reader_before(&at_spend_wb, e_us - w - b);
				money_sum before_w = step_reader_before(&at_spend_w, e_us - w);
				money_sum spend = step_reader_before(&at_spend, e_us) - before_w;
				money_sum base = before_w - before_from;
				const struct decfrac *q = &sc->alerts.cost_guard_threshold;
				/* spend/w > base/len × (1 + q): spend × len × den > base × w × (den + num) */
				fires = base > 0 && money_products_gt(spend, len, (uint64_t)q->den, base, w,
				                                      (uint64_t)q->den + (uint64_t)q->num);
				if (fires) {
					money_muldiv(spend, (money_sum)HOUR_US, (money_sum)w, &now.value_pusd);
					money_muldiv(base, (money_sum)HOUR_US, (money_sum)len, &now.baseline_pusd);
					p = (struct peak){ spend, base, (uint64_t)len };
					now.peak_ratio = peak_ratio(p, w);
				}
			}
			rc = step(r, &cost, fires, &now, p, &cap);
		}
	}
	struct alert none = { 0 };
	if (rc == 0)
		rc = step(r, &flood, 0, &none, no_peak, &cap);
	if (rc == 0)
		rc = step(r, &cost, 0, &none, no_peak, &cap);
	if (rc < 0)
		return err_set(e, "out of memory");
	if (r->n_alerts > 1)
		qsort(r->alerts, r->n_alerts, sizeof *r->alerts, by_start_kind);
	return 0;
}
