/*
 * The recorded scenario (SPEC §3 "mode": "recorded"): no policy runs, every
 * recorded attempt is priced as it happened, in order of its start, and a
 * request ends as its last attempt did: answered when it answered, else failed, or degraded
 * when the line is marked so (live's record: "live": "degraded").  Attempts marked as summarize
 * calls (live's record) count the request as summarized and are neither retries nor fallbacks
 * of its main calls.  It shares the accounting of the
 * simulated scenarios (sim/replay_metrics.c), so its columns compare.
 */
#include "sim/replay_engine.h"

#include "sim/clock.h"

#include <stdio.h>
#include <stdlib.h>

struct rec_call {
	int64_t start;
	uint32_t rank, a;        /* arrival rank of its request; attempt index */
};

/* Attempt a's latency, 0 when not recorded (the next attempt then starts as it does). */
static int64_t att_latency_us(const struct trace *t, uint32_t a)
{
	int64_t lat = trace_att_latency_us(t, a);
	return lat == TRACE_NO_LATENCY ? 0 : lat;
}

/* The error of attempt a of request i, starting at `start` past the timeline: names the request
 * and the fields that put it there, its own ts or the latency_ms of the attempts before it (back
 * to one with a ts, which started inside the timeline, as it was accounted first).  Returns -1. */
static int past_timeline(struct eng *g, uint32_t i, uint32_t a, int64_t start)
{
	const struct trace *t = g->t;
	uint32_t first = trace_att_begin(t, i), b = a;
	char at[CLOCK_TEXT_MAX], when[CLOCK_TEXT_MAX], where[TRACE_WHERE_MAX], why[80];
	if (trace_att_ts_us(t, i, a) != TRACE_NO_TIME || a == first) {
		snprintf(why, sizeof why, "attempts[%u].ts", a - first);
	} else {
		while (--b > first && trace_att_ts_us(t, i, b) == TRACE_NO_TIME)
			;
		if (b == a - 1)
			snprintf(why, sizeof why, "attempts[%u].latency_ms", b - first);
		else
			snprintf(why, sizeof why, "the latency_ms of attempts[%u] to [%u]", b - first, a - 1 - first);
	}
	trace_request_where(t, i, at, where);
	return err_set(g->e, "the request at %s (%s): attempts[%u] starts at %s, past the timeline's "
	               "%d buckets of %lld s from the first arrival (%s puts it there)", at, where,
	               a - first, clock_format(start, when), TIMELINE_MAX_BUCKETS,
	               (long long)g->a.r->timeline.bucket_s, why);
}

/* 1 when main attempt a (a change of model) is request i's first fallback: the first change of
 * model among its main calls in the order they are listed, which decides retries and fallbacks,
 * as attempt 0 is its first call (their times may list them in another order). */
static int first_hop(const struct trace *t, uint32_t i, uint32_t a)
{
	uint32_t last = UINT32_MAX;
	for (uint32_t b = trace_att_begin(t, i); b < a; b++) {
		if (trace_att_summary(t, b))
			continue;
		if (last != UINT32_MAX && trace_att_model(t, b) != trace_att_model(t, last))
			return 0;
		last = b;
	}
	return 1;
}

static int by_start(const void *x, const void *y)
{
	const struct rec_call *p = x, *q = y;
	if (p->start != q->start)
		return p->start < q->start ? -1 : 1;
	if (p->rank != q->rank)
		return p->rank < q->rank ? -1 : 1;
	return p->a < q->a ? -1 : p->a > q->a;
}

int replay_recorded(struct eng *g)
{
	const struct trace *t = g->t;
	const struct replay_trace *rt = g->rt;
	struct rec_call *calls = malloc(((size_t)t->n_att + 1) * sizeof *calls);
	/* the requests billed $0 found priced above 0 so far (counted once each) */
	uint8_t *zero_priced = t->cost_pusd ? calloc((size_t)t->n_req + 1, 1) : NULL;
	if (!calls || (t->cost_pusd && !zero_priced)) {
		free(calls);
		free(zero_priced);
		return err_set(g->e, "out of memory");
	}
	size_t n = 0;
	for (uint32_t r = 0; r < t->n_req && !g->failed; r++) {
		uint32_t i = replay_arrival(rt, r);
		int64_t at = trace_ts_us(t, i);
		for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++) {
			int64_t start = trace_att_ts_us(t, i, a) != TRACE_NO_TIME ? trace_att_ts_us(t, i, a) : at;
			calls[n++] = (struct rec_call){ start, r, a };
			at = start + att_latency_us(t, a);
		}
		struct group_ids grp = replay_groups(rt, i);
		acct_arrival(&g->a, grp, trace_ts_us(t, i), 0);
		int summarized = 0;
		for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++)
			summarized |= trace_att_summary(t, a);
		ACCT_ADD(&g->a, grp, summarized, (uint64_t)summarized);
		if (t->cost_pusd && t->cost_pusd[i] != TRACE_NO_COST) {
			ACCT_ADD(&g->a, grp, billed_usd, (money_sum)t->cost_pusd[i]);
			g->a.r->n_billed_batch += !trace_realtime(t, i);
		}
		int answered = trace_att_status(t, trace_att_end(t, i) - 1) == STATUS_OK;
		if (answered || trace_degraded(t, i)) {
			/* a degraded answer (live's record says so: its task degraded when its calls
			 * gave no answer) is not resolved, but ends the request as the simulated
			 * scenarios' does: counted, with its latency.  An answer recorded before its
			 * arrival (attempts timed earlier: skewed clocks) takes latency 0, as a cache
			 * hit does */
			if (answered)
				ACCT_ADD(&g->a, grp, resolved, 1);
			else
				ACCT_ADD(&g->a, grp, degraded, 1);
			acct_latency(&g->a, i, grp, at > trace_ts_us(t, i) ? at - trace_ts_us(t, i) : 0);
		} else {
			ACCT_ADD(&g->a, grp, failed, 1);
		}
		acct_seen(&g->a, at);
		engine_progress(g, r + 1);
	}
	int rc = -1;
	if (g->failed) /* stopped (engine_progress said so) */
		goto out;
	qsort(calls, n, sizeof *calls, by_start);
	for (size_t c = 0; c < n; c++) {
		uint32_t i = replay_arrival(rt, calls[c].rank), a = calls[c].a;
		int m = g->price_of_name[trace_att_model(t, a)];
		int first = a == trace_att_begin(t, i);
		uint32_t prev = trace_att_prev_alike(t, i, a);
		int hop = trace_att_fallback(t, a, prev);
		struct group_ids grp = replay_groups(rt, i);
		struct call_record rec = { .req = i, .grp = grp, .model = m, .start_us = calls[c].start,
			.retry = prev != UINT32_MAX && !hop, .first_call = first };
		uint64_t in, out, cached;
		trace_att_tokens(t, i, a, &in, &out, &cached);
		int fail = hop && acct_fallback(&g->a, grp, rec.start_us, first_hop(t, i, a)) < 0;
		if (!fail && bill(g, m, trace_att_status(t, a), in, cached < in ? cached : in, out, &rec) < 0)
			goto out; /* bill said why */
		if (fail || acct_call(&g->a, &rec) < 0) {
			/* the accounting said why; past the timeline, it could not name the attempt */
			if (acct_past_timeline(&g->a, rec.start_us))
				past_timeline(g, i, a, rec.start_us);
			goto out;
		}
		acct_seen(&g->a, rec.start_us + att_latency_us(t, a));
		if (t->cost_pusd && t->cost_pusd[i] != TRACE_NO_COST) {
			g->a.r->billed_priced_usd += rec.pusd;
			if (t->cost_pusd[i] == 0 && rec.pusd > 0 && !zero_priced[i]) {
				zero_priced[i] = 1;
				g->a.r->n_billed_zero++;
			}
		}
	}
	rc = 0;
out:
	free(zero_priced);
	free(calls);
	return rc;
}
