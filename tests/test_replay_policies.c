/*
 * The replay engine rule by rule (SPEC §4, §5, §10), part A: the cache, the
 * token budget, routing, the batch queue, the billing of failed attempts, the
 * monthly projection, the hourly spend peak and the timeline.  Each case replays
 * a tiny hand-written trace and checks counters worked out by hand in the
 * comments next to them.
 *
 * Prices (fixtures/tests/pricing.json), in pico-USD per token: small-m 10^6 input,
 * 5·10^5 cached, 2·10^6 output, latency 100 ms + 1 ms per output token; large-m
 * 10^7 / 5·10^6 / 2·10^7, 200 ms + 2 ms per token; other-m 3·10^6 / 3·10^6 / 4·10^6,
 * no latency (its answers take no time).  T0 = 2026-03-02T10:00:00Z = 1772445600 s,
 * a multiple of 3600, so of the 300 s batch interval and the 60/300 s buckets (one
 * case uses a 7 s interval on purpose).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/test.h"
#include "tests/util_lines.h"
#include "tests/util_tmp.h"
#include "tests/util_replay.h"

#define T0_S 1772445600LL

/* An injected fault window on small-m over the hour 10:00–11:00 with rate 1. */
#define INJECT_SMALL(status) "\"faults\": {\"inject\": [" INJ("small-m", status, 1) "]}"

#define USD(x) ((long long)(x)) /* money_sum → a printable integer of pico-USD */

/* The usage of model `name` (zero when it made no call). */
static struct model_usage model(const struct result_scenario *r, const char *name)
{
	for (size_t k = 0; k < r->n_models; k++)
		if (strcmp(r->by_model[k].model, name) == 0)
			return r->by_model[k];
	return (struct model_usage){ name, 0, 0, 0, 0 };
}

/* ================================ cache ================================ */

static void cache_hit_miss_savings(void)
{
	struct result_scenario r;
	struct derived d;
	/* r0 10:00:00 "hi" 1000/500: miss, small-m 1000·10^6 + 500·2·10^6 = 2·10^9 pusd,
	 *   latency 100 + 500 = 600 ms, answer (insert) at 10:00:00.6;
	 * r1 10:00:10 "hi": hit, saves 1000 + 500 = 1500 tokens and 2·10^9;
	 * r2 10:00:20 "other" 100/50: miss, 10^8 + 10^8 = 2·10^8, latency 150 ms;
	 * r3 10:00:30 "hi" 2000/10: hit on r0's entry: saves r0's 1500 tokens and 2·10^9,
	 *   not its own tokens. */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, INPUT("hi"))
	                REQN("10:00:10", "a", "t", 1000, 500, INPUT("hi"))
	                REQN("10:00:20", "a", "t", 100, 50, INPUT("other"))
	                REQN("10:00:30", "a", "t", 2000, 10, INPUT("hi")),
	                SCN ", \"cache\": {}}", &r) < 0)
		return;
	CHECK_INT(r.totals.requests, 4);
	CHECK_INT(r.totals.resolved, 4);
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(USD(r.totals.usd_total), 2200000000LL);     /* 2·10^9 + 2·10^8 */
	CHECK_INT(r.totals.cache_tokens_saved, 3000);          /* 2 × 1500 */
	CHECK_INT(USD(r.totals.cache_usd_saved), 4000000000LL); /* 2 × 2·10^9 */
	CHECK_INT(r.totals.input_tokens, 1100);
	CHECK_INT(r.totals.output_tokens, 550);
	/* latencies 600 ms, 0, 150 ms, 0 → sorted 0, 0, 150, 600: p50 = 2nd = 0, p95 = 4th = 600 ms */
	CHECK_INT(r.totals.latency_p50_us, 0);
	CHECK_INT(r.totals.latency_p95_us, 600 * MS);
	result_derive(&r, &r.totals, &d);
	CHECK(d.cache_hit_rate == 0.5); /* 2 ÷ 4 */
	CHECK_INT(r.timeline.count[TL_CACHE_HITS][0], 2);
	CHECK_INT(r.timeline.count[TL_REQUESTS][0], 4);
	result_scenario_fini(&r);
}

static void cache_insert_on_answer(void)
{
	struct result_scenario r;
	/* key ["input"], so tenants only label the requests.
	 * r0 a 10:00:00.0 1000/500: miss; answer at +600 ms (cost 2·10^9, 1500 tokens).
	 * r1 a 10:00:00.1 2000/100: r0 has not answered, so a miss that calls too;
	 *   latency 100 + 100 = 200 ms → answer at 00.3, cost 2000·10^6 + 100·2·10^6 = 2.2·10^9,
	 *   2100 tokens; it is the first answer, so it is inserted first.
	 * r2 b 10:00:00.4: hit on r1's answer: saves 2100 tokens, 2.2·10^9.
	 * r0's answer at 00.6 replaces the value.
	 * r3 c 10:00:01: hit on r0's answer: saves 1500 tokens, 2·10^9. */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, INPUT("hi"))
	                REQN("10:00:00.1", "a", "t", 2000, 100, INPUT("hi"))
	                REQN("10:00:00.4", "b", "t", 10, 10, INPUT("hi"))
	                REQN("10:00:01", "c", "t", 10, 10, INPUT("hi")),
	                SCN ", \"cache\": {\"key\": [\"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(TENANT(r, "a").calls, 2);
	CHECK_INT(TENANT(r, "a").cache_hits, 0);
	CHECK_INT(USD(r.totals.usd_total), 4200000000LL); /* 2·10^9 + 2.2·10^9 */
	CHECK_INT(TENANT(r, "b").cache_tokens_saved, 2100);
	CHECK_INT(USD(TENANT(r, "b").cache_usd_saved), 2200000000LL);
	CHECK_INT(TENANT(r, "c").cache_tokens_saved, 1500);
	CHECK_INT(USD(TENANT(r, "c").cache_usd_saved), 2000000000LL);
	result_scenario_fini(&r);
}

/* A hit saves the single call whose answer was cached, not every call of its request. */
static void cache_hit_saves_answering_call(void)
{
	struct result_scenario r;
	/* r0 10:00:00 "q": small-m replays server_error (10 ms), billed "input": 1000·10^6 =
	 *   10^9; retry after 500 ms, replays ok (10 ms): 1000·10^6 + 100·2·10^6 = 1.2·10^9,
	 *   cached with that call's 1100 tokens and 1.2·10^9.
	 * r1 10:00:10 "q": hit, saves 1100 tokens and 1.2·10^9 (not r0's 2100 and 2.2·10^9).
	 * Spent: 10^9 + 1.2·10^9 = 2.2·10^9. */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 100, ",\"attempts\":["
	                    "{\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":10},"
	                    "{\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":10}]" INPUT("q"))
	                REQN("10:00:10", "a", "t", 1000, 100, INPUT("q")),
	                SCN ", \"cache\": {}, \"billing\": {\"failed\": {\"server_error\": \"input\"}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(USD(r.totals.usd_total), 2200000000LL);
	CHECK_INT(r.totals.cache_tokens_saved, 1100);
	CHECK_INT(USD(r.totals.cache_usd_saved), 1200000000LL);
	result_scenario_fini(&r);
}

/* Only a model's or a batch's answer is cached: a degraded answer is not. */
static void cache_skips_degraded(void)
{
	struct result_scenario r;
	/* one attempt, chain ["small"], task t degradable.  r0 10:00:00 "q" replays a small-m
	 * server_error: nothing after small in the chain → degraded, not cached.
	 * r1 10:00:10 "q": a miss, replays its small-m ok → resolved.  2 calls, no hit. */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 100, ",\"model\":\"small-m\",\"status\":\"server_error\","
	                    "\"latency_ms\":10" INPUT("q"))
	                REQN("10:00:10", "a", "t", 1000, 100, ",\"model\":\"small-m\",\"latency_ms\":10" INPUT("q")),
	                SCN ", \"cache\": {}, \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"chain\": [\"small\"], \"degrade_tasks\": [\"t\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.degraded, 1);
	CHECK_INT(r.totals.cache_hits, 0);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.resolved, 1);
	result_scenario_fini(&r);
}

/* A fallback section that says "enabled": false is off (SPEC §10), degrade_tasks included:
 * the unanswered request fails, as without the section. */
static void fallback_disabled_does_not_degrade(void)
{
	struct result_scenario r;
	/* one attempt; r0 replays a small-m server_error (billed nothing): no fallback, and task t
	 * is in degrade_tasks of a disabled section → failed 1, degraded 0, no latency kept. */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 100, ",\"model\":\"small-m\",\"status\":\"server_error\","
	                    "\"latency_ms\":10"),
	                SCN ", \"retry\": {\"max_attempts\": 1}, "
	                "\"fallback\": {\"enabled\": false, \"degrade_tasks\": [\"t\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.degraded, 0);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(r.totals.latency_p50_us, -1);
	result_scenario_fini(&r);
}

/* Lines out of time order arrive in time order, equal times in line order. */
static void arrival_out_of_line_order(void)
{
	struct result_scenario r;
	/* key ["input"]; each call 100/100 on small-m answers 200 ms after it starts.
	 * Line 0 (a, 10:00:02, "q"), line 1 (b, 10:00:00, "q"), line 2 (c, 10:00:01, "q"),
	 * line 3 (d, 10:00:00, "p").  Arrivals: b and d at 10:00:00 (b first: lower index),
	 * c at 10:00:01, a at 10:00:02.  b and d miss and call; b's answer at 00.2 is cached, so
	 * c and a hit.  Processed in line order instead, a would call and b… would not. */
	if (replay_case(REQN("10:00:02", "a", "t", 100, 100, INPUT("q")) REQN("10:00:00", "b", "t", 100, 100, INPUT("q"))
	                REQN("10:00:01", "c", "t", 100, 100, INPUT("q")) REQN("10:00:00", "d", "t", 100, 100, INPUT("p")),
	                SCN ", \"cache\": {\"key\": [\"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(TENANT(r, "a").cache_hits, 1);
	CHECK_INT(TENANT(r, "b").calls, 1);
	CHECK_INT(TENANT(r, "c").cache_hits, 1);
	CHECK_INT(TENANT(r, "d").calls, 1);
	CHECK_INT(r.timeline.t0_us, T0_S * SEC); /* the first arrival, 10:00:00 (line 1) */
	result_scenario_fini(&r);
}

/* Requests at the same instant keep their line order even when the trace is not in time order. */
static void arrival_ties_out_of_line_order(void)
{
	struct result_scenario r;
	/* key ["input"], route other-m (no latency: an answer at the instant of its call).
	 * Line 0 (a, 10:00:05, "z") puts the file out of time order; lines 1 (b) and 2 (c) both
	 * arrive at 10:00:00 with "q": b first (lower index) misses and calls, its answer at
	 * 10:00:00 runs before c's arrival (b's follow-up), so c hits.  (Taken c first, c would
	 * call and b would still arrive before c's answer, at index 1 < 2: 3 calls, no hit.)
	 * a misses ("z"): 2 calls, 1 hit. */
	if (replay_case(REQN("10:00:05", "a", "t", 100, 100, INPUT("z")) REQN("10:00:00", "b", "t", 100, 100, INPUT("q"))
	                REQN("10:00:00", "c", "t", 100, 100, INPUT("q")),
	                SCN ", \"routing\": {\"default\": \"other\"}, \"cache\": {\"key\": [\"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TENANT(r, "b").calls, 1);
	CHECK_INT(TENANT(r, "b").cache_hits, 0);
	CHECK_INT(TENANT(r, "c").calls, 0);
	CHECK_INT(TENANT(r, "c").cache_hits, 1);
	result_scenario_fini(&r);
}

/* A request's follow-up at the instant it gives up runs before the next request's events then. */
static void arrival_after_same_instant_followup(void)
{
	struct result_scenario r;
	/* Default key (tenant a, input "q" for both); one attempt; chain [small, other].
	 * A (index 0, 09:59:59.99) replays a small-m server_error (10 ms, billed none) and gives
	 * up at 10:00:00, the instant B (index 1) arrives.  Its fallback call on other-m (no
	 * latency, no data: ok) starts and answers at 10:00:00 too, as A's follow-ups, before
	 * B's arrival: B hits.  (Run after B, B would miss and call.)
	 * Cost: other-m 1000·3·10^6 + 100·4·10^6 = 3.4·10^9. */
	if (replay_case(REQN("09:59:59.99", "a", "A", 1000, 100, ",\"model\":\"small-m\",\"status\":\"server_error\","
	                    "\"latency_ms\":10" INPUT("q"))
	                REQN("10:00:00", "a", "B", 1000, 100, ",\"model\":\"small-m\",\"latency_ms\":10" INPUT("q")),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"cache\": {}, "
	                "\"fallback\": {\"chain\": [\"small\", \"other\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TASK(r, "B").cache_hits, 1);
	CHECK_INT(TASK(r, "A").resolved, 1);
	CHECK_INT(TASK(r, "A").fallbacks, 1);
	CHECK_INT(USD(r.totals.usd_total), 3400000000LL);
	result_scenario_fini(&r);
}

/* Latencies over 2^32 − 2 µs (71.6 minutes) are kept aside and still ranked exactly. */
static void latency_percentiles_long(void)
{
	struct result_scenario r;
	/* No client timeout; each request's single recorded attempt on small-m is ok with latency:
	 *   tenant a: 10 ms, 5 000 000 ms (83.3 min);  b: 20 ms, 4 400 000 ms;
	 *   c: 4 500 000 ms, 4 300 000 ms.
	 * Nearest rank (ceil(p × n)-th smallest):
	 *   a [10 ms, 5000 s]: p50 1st = 10 ms, p95 2nd = 5000 s;  b: 20 ms, 4400 s;
	 *   c [4300 s, 4500 s]: p50 4300 s, p95 4500 s;
	 *   totals [10 ms, 20 ms, 4300, 4400, 4500, 5000 s]: p50 3rd = 4300 s, p95 6th = 5000 s. */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 100, ",\"model\":\"small-m\",\"latency_ms\":10")
	                REQN("10:00:01", "a", "t", 100, 100, ",\"model\":\"small-m\",\"latency_ms\":5000000")
	                REQN("10:00:02", "b", "t", 100, 100, ",\"model\":\"small-m\",\"latency_ms\":20")
	                REQN("10:00:03", "b", "t", 100, 100, ",\"model\":\"small-m\",\"latency_ms\":4400000")
	                REQN("10:00:04", "c", "t", 100, 100, ",\"model\":\"small-m\",\"latency_ms\":4500000")
	                REQN("10:00:05", "c", "t", 100, 100, ",\"model\":\"small-m\",\"latency_ms\":4300000"),
	                SCN ", \"retry\": {\"timeout_ms\": null}}", &r) < 0)
		return;
	CHECK_INT(r.totals.latency_p50_us, 4300 * SEC);
	CHECK_INT(r.totals.latency_p95_us, 5000 * SEC);
	CHECK_INT(TENANT(r, "a").latency_p50_us, 10 * MS);
	CHECK_INT(TENANT(r, "a").latency_p95_us, 5000 * SEC);
	CHECK_INT(TENANT(r, "b").latency_p50_us, 20 * MS);
	CHECK_INT(TENANT(r, "b").latency_p95_us, 4400 * SEC);
	CHECK_INT(TENANT(r, "c").latency_p50_us, 4300 * SEC);
	CHECK_INT(TENANT(r, "c").latency_p95_us, 4500 * SEC);
	result_scenario_fini(&r);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a > b) - (a < b);
}

/* Nearest rank over v[0..n) by sorting: the ceil(pct/100 × n)-th smallest. */
static int64_t sorted_rank(int64_t *v, size_t n, unsigned pct)
{
	qsort(v, n, sizeof *v, cmp_i64);
	size_t r = (n * pct + 99) / 100;
	return v[r ? r - 1 : 0];
}

/* Many latencies, spread over every scale, in three tenants and two tasks: the engine's
 * binned selection against sorting (an independent method). */
static void latency_percentiles_many(void)
{
	enum { N = 900 };
	static char jsonl[N * 200];
	int64_t lat[N], pick[N];
	size_t len = 0;
	uint64_t x = 12345;
	for (int i = 0; i < N; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* µs: a quarter dense within 1.00–1.05 s (many to a bin), a quarter within 64 µs above
		 * 2^24 (where a float rounds neighbours together), the others from 0 to 8.2 · 10^9 on a
		 * log-like scale (some kept aside), every 50th one 250 ms (ties) */
		int64_t us = i % 4 == 1 ? ((int64_t)1 << 24) + (int64_t)((x >> 33) % 64)
		             : i % 2 ? 1000000 + (int64_t)((x >> 33) % 50000)
		                     : (int64_t)((x >> 33) % 1000) * MS << ((x >> 20) % 14);
		if (i % 50 == 0)
			us = 250 * MS;
		lat[i] = us;
		len += (size_t)snprintf(jsonl + len, sizeof jsonl - len,
		                        "{\"ts\":\"2026-03-02T10:%02d:%02dZ\",\"tenant\":\"t%d\",\"task\":\"k%d\","
		                        "\"input_tokens\":10,\"output_tokens\":10,\"model\":\"small-m\","
		                        "\"latency_ms\":%lld.%03lld}\n", i / 60 % 60, i % 60, i % 3, i / 2 % 2,
		                        (long long)(us / 1000), (long long)(us % 1000));
	}
	struct result_scenario r;
	if (replay_case(jsonl, SCN ", \"retry\": {\"timeout_ms\": null}}", &r) < 0)
		return;
	for (int group = -1; group < 5; group++) { /* the totals, tenants t0..t2, tasks k0, k1 */
		size_t n = 0;
		for (int i = 0; i < N; i++)
			if (group < 0 || (group < 3 ? i % 3 == group : i / 2 % 2 == group - 3))
				pick[n++] = lat[i];
		char name[16];
		snprintf(name, sizeof name, group < 3 ? "t%d" : "k%d", group < 3 ? group : group - 3);
		struct metrics m = group < 0 ? r.totals : group < 3 ? TENANT(r, name) : TASK(r, name);
		int64_t p50 = sorted_rank(pick, n, 50), p95 = sorted_rank(pick, n, 95);
		CHECK_INT(m.latency_p50_us, p50);
		CHECK_INT(m.latency_p95_us, p95);
	}
	result_scenario_fini(&r);
}

static void cache_ttl_exact_instant(void)
{
	struct result_scenario r;
	/* ttl small 10 s; key ["input"]; every request 100/100 on small-m: latency 200 ms.
	 * m0 10:00:00 miss, answer 00.2 → expires 10.2;
	 * h1 10:00:10.1 hit;
	 * m1 10:00:10.2 (the expiry instant) miss, answer 10.4 → expires 20.4;
	 * h2 10:00:20.3 hit;
	 * m2 10:00:20.4 miss. */
	if (replay_case(REQN("10:00:00", "m0", "t", 100, 100, INPUT("q"))
	                REQN("10:00:10.1", "h1", "t", 100, 100, INPUT("q"))
	                REQN("10:00:10.2", "m1", "t", 100, 100, INPUT("q"))
	                REQN("10:00:20.3", "h2", "t", 100, 100, INPUT("q"))
	                REQN("10:00:20.4", "m2", "t", 100, 100, INPUT("q")),
	                SCN ", \"cache\": {\"key\": [\"input\"], \"ttl_s\": {\"small\": 10}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(TENANT(r, "h1").cache_hits, 1);
	CHECK_INT(TENANT(r, "h2").cache_hits, 1);
	CHECK_INT(TENANT(r, "m1").calls, 1);
	CHECK_INT(TENANT(r, "m2").calls, 1);
	result_scenario_fini(&r);
}

static void cache_ttl_per_tier(void)
{
	struct result_scenario r;
	/* ttl small 10 s, large 100 s; task "big" routes to large.  100/100 tokens:
	 * r0 big "L" 10:00:00 on large-m: 200 + 200 = 400 ms → expires 10:01:40.4;
	 * r1 s "S" 10:00:00 on small-m: 200 ms → expires 10:00:10.2;
	 * r2 s "S" 10:00:50: the small answer has expired → miss, calls;
	 * r3 big "L" 10:00:50: the large one lives → hit;
	 * r4 big "L" 10:01:40.4: exactly its expiry → miss. */
	if (replay_case(REQN("10:00:00", "a", "big", 100, 100, INPUT("L"))
	                REQN("10:00:00", "a", "s", 100, 100, INPUT("S"))
	                REQN("10:00:50", "a", "s", 100, 100, INPUT("S"))
	                REQN("10:00:50", "a", "big", 100, 100, INPUT("L"))
	                REQN("10:01:40.4", "a", "big", 100, 100, INPUT("L")),
	                SCN ", \"cache\": {\"key\": [\"input\"], \"ttl_s\": {\"small\": 10, \"large\": 100}}, "
	                "\"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(r.totals.calls, 4);
	CHECK_INT(TASK(r, "big").cache_hits, 1);
	CHECK_INT(TASK(r, "big").calls, 2);
	CHECK_INT(TASK(r, "s").cache_hits, 0);
	CHECK_INT(TASK(r, "s").calls, 2);
	result_scenario_fini(&r);
}

/* Keys A B A C A B with capacity 2, on other-m (answers take no time), one second apart. */
#define ABACAB \
	REQN("10:00:00", "p0", "t", 100, 100, INPUT("A")) \
	REQN("10:00:01", "p1", "t", 100, 100, INPUT("B")) \
	REQN("10:00:02", "p2", "t", 100, 100, INPUT("A")) \
	REQN("10:00:03", "p3", "t", 100, 100, INPUT("C")) \
	REQN("10:00:04", "p4", "t", 100, 100, INPUT("A")) \
	REQN("10:00:05", "p5", "t", 100, 100, INPUT("B"))

static void cache_capacity_lru(void)
{
	struct result_scenario r;
	/* LRU, capacity 2 (front first): A miss [A]; B miss [B A]; A hit [A B];
	 * C miss, evicts B [C A]; A hit [A C]; B miss, evicts C [B A].
	 * Hits at p2 and p4; 4 calls × (100·3·10^6 + 100·4·10^6 = 7·10^8) = 2.8·10^9. */
	if (replay_case(ABACAB, SCN ", \"routing\": {\"default\": \"other\"}, "
	                "\"cache\": {\"key\": [\"input\"], \"capacity\": 2, \"eviction\": \"lru\"}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(TENANT(r, "p2").cache_hits, 1);
	CHECK_INT(TENANT(r, "p4").cache_hits, 1);
	CHECK_INT(TENANT(r, "p5").cache_hits, 0);
	CHECK_INT(r.totals.calls, 4);
	CHECK_INT(USD(r.totals.usd_total), 2800000000LL);
	result_scenario_fini(&r);
}

static void cache_capacity_fifo(void)
{
	struct result_scenario r;
	/* FIFO, capacity 2 (oldest first): A miss [A]; B miss [A B]; A hit, no move [A B];
	 * C miss, evicts the oldest A [B C]; A miss, evicts B [C A]; B miss, evicts C [A B].
	 * One hit (p2); 5 calls × 7·10^8 = 3.5·10^9. */
	if (replay_case(ABACAB, SCN ", \"routing\": {\"default\": \"other\"}, "
	                "\"cache\": {\"key\": [\"input\"], \"capacity\": 2, \"eviction\": \"fifo\"}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TENANT(r, "p2").cache_hits, 1);
	CHECK_INT(TENANT(r, "p4").cache_hits, 0);
	CHECK_INT(r.totals.calls, 5);
	CHECK_INT(USD(r.totals.usd_total), 3500000000LL);
	result_scenario_fini(&r);
}

static void cache_key_tenant(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "a", "t", 100, 100, INPUT("q"))
	                    REQN("10:00:10", "b", "t", 100, 100, INPUT("q"))
	                    REQN("10:00:20", "a", "t", 100, 100, INPUT("q"));
	/* default key [tenant, policy_version, input]: b's "q" is another key (miss);
	 * a's second "q" hits: 1 hit, 2 calls */
	if (replay_case(trace, SCN ", \"cache\": {}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TENANT(r, "a").cache_hits, 1);
	CHECK_INT(TENANT(r, "b").cache_hits, 0);
	CHECK_INT(r.totals.calls, 2);
	result_scenario_fini(&r);
	/* key [input]: tenants share entries: b and a's second both hit, 1 call */
	if (replay_case(trace, SCN ", \"cache\": {\"key\": [\"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(TENANT(r, "b").cache_hits, 1);
	CHECK_INT(r.totals.calls, 1);
	result_scenario_fini(&r);
	/* key [task, input]: a task t2 request with the same text is another key */
	if (replay_case(REQN("10:00:00", "a", "t1", 100, 100, INPUT("q"))
	                REQN("10:00:10", "a", "t2", 100, 100, INPUT("q"))
	                REQN("10:00:20", "b", "t1", 100, 100, INPUT("q")),
	                SCN ", \"cache\": {\"key\": [\"task\", \"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TENANT(r, "b").cache_hits, 1);
	CHECK_INT(TASK(r, "t2").cache_hits, 0);
	result_scenario_fini(&r);
}

static void cache_key_input_hash(void)
{
	struct result_scenario r;
	/* key [input]; p0 hash h1 miss; p1 hash h1 hit; p2 text "h1" miss (a text key never
	 * equals a hash key); p3 hash h2 miss; p4 text "h1" with hash "zz": the text is the
	 * key, so it hits p2's entry.  2 hits, 3 calls. */
	if (replay_case(REQN("10:00:00", "p0", "t", 100, 100, ",\"input_hash\":\"h1\"")
	                REQN("10:00:10", "p1", "t", 100, 100, ",\"input_hash\":\"h1\"")
	                REQN("10:00:20", "p2", "t", 100, 100, INPUT("h1"))
	                REQN("10:00:30", "p3", "t", 100, 100, ",\"input_hash\":\"h2\"")
	                REQN("10:00:40", "p4", "t", 100, 100, INPUT("h1") ",\"input_hash\":\"zz\""),
	                SCN ", \"cache\": {\"key\": [\"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(TENANT(r, "p1").cache_hits, 1);
	CHECK_INT(TENANT(r, "p2").cache_hits, 0);
	CHECK_INT(TENANT(r, "p4").cache_hits, 1);
	CHECK_INT(r.totals.calls, 3);
	result_scenario_fini(&r);
}

static void cache_no_input_not_cached(void)
{
	struct result_scenario r;
	/* neither input nor input_hash: no lookup, no insert; both identical requests call */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 100, "")
	                REQN("10:00:10", "a", "t", 100, 100, ""),
	                SCN ", \"cache\": {}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 0);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.resolved, 2);
	result_scenario_fini(&r);
	/* the same with a key that does not read the input: still not cached (SPEC §10 says it
	 * without condition), while two requests that carry an input_hash share the tenant's
	 * entry: 4 requests, 1 hit (the 4th), 3 calls */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 100, "")
	                REQN("10:00:10", "a", "t", 100, 100, "")
	                REQN("10:00:20", "a", "t", 100, 100, ",\"input_hash\":\"h1\"")
	                REQN("10:00:30", "a", "t", 100, 100, ",\"input_hash\":\"h2\""),
	                SCN ", \"cache\": {\"key\": [\"tenant\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(r.totals.calls, 3);
	result_scenario_fini(&r);
}

static void cache_normalize(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "p0", "t", 100, 100, INPUT("Hello  World"))
	                    REQN("10:00:10", "p1", "t", 100, 100, INPUT("hello world"))
	                    REQN("10:00:20", "p2", "t", 100, 100, INPUT("  HELLO\\tworld "))
	                    REQN("10:00:30", "p3", "t", 100, 100, INPUT("hello, world"));
	/* lower + collapse_space (listed in the other order: they always run lower first):
	 * p0 "hello world" miss; p1 hit; p2 "hello world" (tab → space, trimmed) hit;
	 * p3 "hello, world" keeps its comma (no strip_punct): miss. */
	if (replay_case(trace, SCN ", \"cache\": {\"key\": [\"input\"], "
	                "\"normalize\": [\"collapse_space\", \"lower\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(TENANT(r, "p1").cache_hits, 1);
	CHECK_INT(TENANT(r, "p2").cache_hits, 1);
	CHECK_INT(TENANT(r, "p3").cache_hits, 0);
	CHECK_INT(r.totals.calls, 2);
	result_scenario_fini(&r);
	/* without normalization the four texts differ: no hit */
	if (replay_case(trace, SCN ", \"cache\": {\"key\": [\"input\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 0);
	CHECK_INT(r.totals.calls, 4);
	result_scenario_fini(&r);
}

/* Normalized inputs kept from an earlier run are the run's when they can be: p0..p2's texts
 * all differ, yet ids naming input 0 for all three give two hits. */
static void cache_normalize_given(void)
{
	struct result_scenario r;
	struct err e = { "" };
	const char *trace = REQN("10:00:00", "p0", "t", 100, 100, INPUT("a"))
	                    REQN("10:00:10", "p1", "t", 100, 100, INPUT("b"))
	                    REQN("10:00:20", "p2", "t", 100, 100, INPUT("c"));
	const char *scn = SCN ", \"cache\": {\"key\": [\"input\"], \"normalize\": [\"lower\"]}}";
	const uint32_t one[3] = { 0, 0, 0 }, later[3] = { 0, 2, 2 }, not_first[3] = { 0, 0, 1 };
	struct replay_given g = { NORMALIZE_LOWER, one, 3, -2, 0 };
	CHECK_INT(replay_text_given(trace, scn, NULL, &g, &r, &e), 0);
	CHECK_INT(g.rc, 0);
	CHECK_INT(g.used, 1);
	CHECK_INT(r.totals.cache_hits, 2);
	CHECK_INT(r.totals.calls, 1);
	result_scenario_fini(&r);
	/* under other steps they are not read */
	g = (struct replay_given){ NORMALIZE_COLLAPSE_SPACE, one, 3, -2, 0 };
	CHECK_INT(replay_text_given(trace, scn, NULL, &g, &r, &e), 0);
	CHECK_INT(g.rc, 0);
	CHECK_INT(r.totals.cache_hits, 0);
	result_scenario_fini(&r);
	/* ids that cannot be a trace's: refused, and the run makes its own (three misses) */
	const uint32_t *bad[2] = { later, not_first };
	for (int k = 0; k < 2; k++) {
		g = (struct replay_given){ NORMALIZE_LOWER, bad[k], 3, -2, 1 };
		CHECK_INT(replay_text_given(trace, scn, NULL, &g, &r, &e), 0);
		CHECK_INT(g.rc, -1);
		CHECK_INT(g.used, 0);
		CHECK_INT(r.totals.cache_hits, 0);
		CHECK_INT(r.totals.calls, 3);
		result_scenario_fini(&r);
	}
}

static void cache_policy_version(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "a", "t", 100, 100, INPUT("x"))
	                    REQN("10:00:10", "a", "t", 100, 100, INPUT("x"))
	                    REQN("10:00:20", "b", "t", 100, 100, INPUT("x"))
	                    REQN("10:00:30", "a", "t", 100, 100, INPUT("y"))
	                    REQN("10:00:40", "b", "t", 100, 100, INPUT("x"));
	/* keys (tenant, input): a·x miss, a·x hit, b·x miss, a·y miss, b·x hit → 2 hits, 3 calls
	 * of 100·10^6 + 100·2·10^6 = 3·10^8 each; policy_version is one constant per scenario,
	 * so every key setting below gives the same. */
	static const char *const scns[] = {
		SCN ", \"cache\": {}}",
		SCN ", \"cache\": {\"policy_version\": \"v3\"}}",
		SCN ", \"cache\": {\"key\": [\"tenant\", \"input\"], \"policy_version\": \"v3\"}}",
		SCN ", \"cache\": {\"key\": [\"tenant\", \"policy_version\", \"input\"], \"policy_version\": \"v9\"}}",
	};
	for (size_t s = 0; s < sizeof scns / sizeof scns[0]; s++) {
		if (replay_case(trace, scns[s], &r) < 0)
			return;
		CHECK_INT(r.totals.cache_hits, 2);
		CHECK_INT(r.totals.calls, 3);
		CHECK_INT(USD(r.totals.usd_total), 900000000LL);
		CHECK_INT(USD(r.totals.cache_usd_saved), 600000000LL);
		result_scenario_fini(&r);
	}
}

static void cache_expired_frees_capacity(void)
{
	struct result_scenario r;
	/* capacity 2, LRU; small answers live 10 s, large ones forever; task L runs on large.
	 * p0 A (L) 10:00:00: large 100/100, 400 ms → stored 00.4, never expires.
	 * p1 B (s) 10:00:01: small, 200 ms → stored 01.2, expires 11.2.  List: B, A (A the tail).
	 * p2 C (s) 10:00:11: miss; answered at 11.2, the instant B expires: B no longer counts,
	 *   so C joins without evicting A.
	 * p3 A (L) 10:00:13: hit. */
	if (replay_case(REQN("10:00:00", "p0", "L", 100, 100, INPUT("A"))
	                REQN("10:00:01", "p1", "s", 100, 100, INPUT("B"))
	                REQN("10:00:11", "p2", "s", 100, 100, INPUT("C"))
	                REQN("10:00:13", "p3", "L", 100, 100, INPUT("A")),
	                SCN ", \"cache\": {\"key\": [\"input\"], \"capacity\": 2, \"ttl_s\": {\"small\": 10}}, "
	                "\"routing\": {\"rules\": [{\"when\": {\"task\": \"L\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TENANT(r, "p3").cache_hits, 1);
	CHECK_INT(r.totals.calls, 3);
	result_scenario_fini(&r);
}

static void cache_replace_expiry(void)
{
	struct result_scenario r;
	const char *scn = SCN ", \"cache\": {\"key\": [\"input\"], \"ttl_s\": {\"small\": 10}}, "
	                  "\"routing\": {\"rules\": [{\"when\": {\"task\": \"L\"}, \"route\": \"large\"}]}}";
	/* Overlapping misses of "A": the later answer sets the expiry.
	 * p0 (L) 00.0 on large 100/100: answer 00.4, no TTL; p1 (s) 00.1 on small 100/100:
	 * answer 00.3, expires 10.3; p0's answer at 00.4 replaces it and never expires:
	 * p2 at 00:20 hits. */
	if (replay_case(REQN("10:00:00", "p0", "L", 100, 100, INPUT("A"))
	                REQN("10:00:00.1", "p1", "s", 100, 100, INPUT("A"))
	                REQN("10:00:20", "p2", "s", 100, 100, INPUT("A")), scn, &r) < 0)
		return;
	CHECK_INT(TENANT(r, "p2").cache_hits, 1);
	CHECK_INT(r.totals.calls, 2);
	result_scenario_fini(&r);
	/* the other way round: p0 (s) 00.0 on small 100/500: answer 00.6, expires 10.6;
	 * p1 (L) 00.1 on large: answer 00.5 (no TTL), replaced at 00.6 by the small answer
	 * with its expiry 10.6: p2 at 00:20 misses. */
	if (replay_case(REQN("10:00:00", "p0", "s", 100, 500, INPUT("A"))
	                REQN("10:00:00.1", "p1", "L", 100, 100, INPUT("A"))
	                REQN("10:00:20", "p2", "s", 100, 100, INPUT("A")), scn, &r) < 0)
		return;
	CHECK_INT(TENANT(r, "p2").cache_hits, 0);
	CHECK_INT(r.totals.calls, 3);
	result_scenario_fini(&r);
}

static void cache_replace_keeps_fifo_place(void)
{
	struct result_scenario r;
	/* capacity 2, key [input]; task "slow" on large-m (100/100: 400 ms, 10^9 + 2·10^9 = 3·10^9),
	 * the rest on other-m (no latency).
	 * p0 A slow 00.0: miss, answer at 00.4.
	 * p1 A 00.1: miss too (not answered yet), stored at 00.1: [A].
	 * p2 B 00.2: stored: A then B in insertion order.
	 * 00.4: p0's answer replaces A's value (LRU: A to the front; FIFO: A keeps its place).
	 * pv A 00.5: hit, saves the large call: 200 tokens, 3·10^9.
	 * p3 C 01: miss; the victim is FIFO's oldest, A, or LRU's least recent, B.
	 * p4 B 02: FIFO hit; LRU miss. */
	const char *trace = REQN("10:00:00", "p0", "slow", 100, 100, INPUT("A"))
	                    REQN("10:00:00.1", "p1", "t", 100, 100, INPUT("A"))
	                    REQN("10:00:00.2", "p2", "t", 100, 100, INPUT("B"))
	                    REQN("10:00:00.5", "pv", "t", 100, 100, INPUT("A"))
	                    REQN("10:00:01", "p3", "t", 100, 100, INPUT("C"))
	                    REQN("10:00:02", "p4", "t", 100, 100, INPUT("B"));
	for (int fifo = 0; fifo < 2; fifo++) {
		char scn[400];
		snprintf(scn, sizeof scn, SCN ", \"cache\": {\"key\": [\"input\"], \"capacity\": 2, "
		         "\"eviction\": \"%s\"}, \"routing\": {\"default\": \"other\", \"rules\": "
		         "[{\"when\": {\"task\": \"slow\"}, \"route\": \"large\"}]}}", fifo ? "fifo" : "lru");
		if (replay_case(trace, scn, &r) < 0)
			return;
		CHECK_INT(TENANT(r, "pv").cache_hits, 1);
		CHECK_INT(TENANT(r, "pv").cache_tokens_saved, 200);
		CHECK_INT(USD(TENANT(r, "pv").cache_usd_saved), 3000000000LL);
		CHECK_INT(TENANT(r, "p4").cache_hits, fifo ? 1 : 0);
		CHECK_INT(r.totals.cache_hits, fifo ? 2 : 1);
		result_scenario_fini(&r);
	}
}

/*
 * Textbook LRU / FIFO of capacity `cap` over keys[0..n), written independently of
 * sim/cache.c: a small array in recency (LRU) or insertion (FIFO) order, front first.
 */
static void textbook(const int *keys, int n, int cap, int fifo, int *hit)
{
	int held[8], n_held = 0;
	for (int i = 0; i < n; i++) {
		int at = -1;
		for (int j = 0; j < n_held; j++)
			if (held[j] == keys[i])
				at = j;
		hit[i] = at >= 0;
		if (at >= 0) {
			if (!fifo) { /* move to the front */
				for (int j = at; j > 0; j--)
					held[j] = held[j - 1];
				held[0] = keys[i];
			}
			continue;
		}
		if (n_held == cap)
			n_held--; /* drop the back: least recently used / oldest inserted */
		for (int j = n_held; j > 0; j--)
			held[j] = held[j - 1];
		held[0] = keys[i];
		n_held++;
	}
}

static void cache_matches_textbook(void)
{
	enum { N = 80, CAP = 3, NKEYS = 5 };
	int keys[N], want[N];
	char *trace = malloc(N * 160 + 1);
	struct result_scenario r;
	size_t len = 0;
	uint32_t x = 12345;
	if (!trace) {
		CHECK(trace != NULL);
		return;
	}
	/* a fixed pseudo-random key sequence over 5 keys; one request per minute, so the
	 * timeline's cache_hits bucket k is request k's hit (0 or 1) */
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		keys[i] = (int)((x >> 16) % NKEYS);
		len += (size_t)snprintf(trace + len, 160, "{\"ts\":%lld,\"tenant\":\"a\",\"task\":\"t\","
		                        "\"input_tokens\":10,\"output_tokens\":10,\"input\":\"k%d\"}\n",
		                        T0_S + 60LL * i, keys[i]);
	}
	for (int fifo = 0; fifo < 2; fifo++) {
		char scn[300];
		int n_hits = 0;
		textbook(keys, N, CAP, fifo, want);
		/* other-m: answers take no time; no TTL, no failures */
		snprintf(scn, sizeof scn, SCN ", \"routing\": {\"default\": \"other\"}, \"cache\": "
		         "{\"key\": [\"input\"], \"capacity\": %d, \"eviction\": \"%s\"}}", CAP,
		         fifo ? "fifo" : "lru");
		if (replay_case(trace, scn, &r) < 0)
			break;
		CHECK_INT(r.timeline.bucket_s, 60);
		CHECK_INT(r.timeline.n_buckets, N);
		for (int i = 0; i < N && (size_t)i < r.timeline.n_buckets; i++) {
			n_hits += want[i];
			if (r.timeline.count[TL_CACHE_HITS][i] != (uint64_t)want[i])
				TEST_FAIL_("%s request %d (key k%d): hit %d, textbook %d", fifo ? "fifo" : "lru",
				           i, keys[i], (int)r.timeline.count[TL_CACHE_HITS][i], want[i]);
		}
		CHECK_INT(r.totals.cache_hits, n_hits);
		CHECK_INT(r.totals.calls, N - n_hits);
		CHECK(n_hits > 0 && n_hits < N - NKEYS); /* the sequence does evict */
		result_scenario_fini(&r);
	}
	free(trace);
}

/*
 * The same reference with a TTL, for answers that take no time: an entry stored at
 * t expires at t + ttl; a lookup at or after that misses and drops it; before a
 * store every expired entry is dropped (it no longer counts toward cap), then the
 * back is evicted when cap entries remain.  times[i] is request i's arrival.
 */
static void textbook_ttl(const int *keys, const long long *times, int n, int cap, int fifo,
                         long long ttl, int *hit)
{
	int held[8], n_held = 0;
	long long exp[8];
	for (int i = 0; i < n; i++) {
		int at = -1;
		for (int j = 0; j < n_held; j++)
			if (held[j] == keys[i])
				at = j;
		if (at >= 0 && exp[at] <= times[i]) { /* expired: a miss, and gone */
			for (int j = at; j + 1 < n_held; j++) {
				held[j] = held[j + 1];
				exp[j] = exp[j + 1];
			}
			n_held--;
			at = -1;
		}
		hit[i] = at >= 0;
		if (at >= 0) {
			if (!fifo) {
				long long e = exp[at];
				for (int j = at; j > 0; j--) {
					held[j] = held[j - 1];
					exp[j] = exp[j - 1];
				}
				held[0] = keys[i];
				exp[0] = e;
			}
			continue;
		}
		int m = 0; /* drop every expired entry, keeping the order of the others */
		for (int j = 0; j < n_held; j++)
			if (exp[j] > times[i]) {
				held[m] = held[j];
				exp[m++] = exp[j];
			}
		n_held = m;
		if (n_held == cap)
			n_held--;
		for (int j = n_held; j > 0; j--) {
			held[j] = held[j - 1];
			exp[j] = exp[j - 1];
		}
		held[0] = keys[i];
		exp[0] = times[i] + ttl;
		n_held++;
	}
}

static void cache_matches_textbook_ttl(void)
{
	enum { N = 120, CAP = 3, NKEYS = 5 };
	int keys[N], want[N];
	long long times[N];
	char *trace = malloc(N * 160 + 1);
	struct result_scenario r;
	size_t len = 0;
	uint32_t x = 777;
	if (!trace) {
		CHECK(trace != NULL);
		return;
	}
	/* one request per minute at a pseudo-random second (0–59) of it, so bucket k is
	 * request k again; other-m answers at once; small-tier TTL 150 s */
	for (int i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		keys[i] = (int)((x >> 16) % NKEYS);
		x = x * 1103515245u + 12345u;
		times[i] = 60LL * i + (long long)((x >> 16) % 60);
		len += (size_t)snprintf(trace + len, 160, "{\"ts\":%lld,\"tenant\":\"a\",\"task\":\"t\","
		                        "\"input_tokens\":10,\"output_tokens\":10,\"input\":\"k%d\"}\n",
		                        T0_S + times[i], keys[i]);
	}
	for (int fifo = 0; fifo < 2; fifo++) {
		char scn[300];
		int n_hits = 0, n_differ = 0, no_ttl[N];
		textbook_ttl(keys, times, N, CAP, fifo, 150, want);
		textbook(keys, N, CAP, fifo, no_ttl);
		for (int i = 0; i < N; i++) {
			n_hits += want[i];
			n_differ += want[i] != no_ttl[i];
		}
		snprintf(scn, sizeof scn, SCN ", \"routing\": {\"default\": \"other\"}, \"cache\": "
		         "{\"key\": [\"input\"], \"capacity\": %d, \"eviction\": \"%s\", \"ttl_s\": {\"small\": 150}}}",
		         CAP, fifo ? "fifo" : "lru");
		if (replay_case(trace, scn, &r) < 0)
			break;
		CHECK_INT(r.timeline.n_buckets, N);
		for (int i = 0; i < N && (size_t)i < r.timeline.n_buckets; i++)
			if (r.timeline.count[TL_CACHE_HITS][i] != (uint64_t)want[i])
				TEST_FAIL_("%s request %d (key k%d at +%llds): hit %d, reference %d", fifo ? "fifo" : "lru",
				           i, keys[i], times[i], (int)r.timeline.count[TL_CACHE_HITS][i], want[i]);
		CHECK_INT(r.totals.cache_hits, n_hits);
		CHECK(n_hits > 0);
		CHECK(n_differ > 0); /* the TTL does decide some lookups */
		result_scenario_fini(&r);
	}
	free(trace);
}

/* ================================ budget ================================ */

static void budget_truncate(void)
{
	struct result_scenario r;
	struct derived d;
	/* input_max 1000, truncate.
	 * r0 3000/100 on its recorded model small-m with cached_tokens 2000: input 1000,
	 *   cached min(2000, 1000) = 1000: 1000·5·10^5 + 100·2·10^6 = 5·10^8 + 2·10^8 = 7·10^8;
	 * r1 500/100: 500·10^6 + 2·10^8 = 7·10^8;
	 * eq 1000/100: exactly input_max, not a violation: 10^9 + 2·10^8 = 1.2·10^9. */
	if (replay_case(REQN("10:00:00", "a", "t", 3000, 100, ",\"model\":\"small-m\",\"cached_tokens\":2000")
	                REQN("10:00:10", "a", "t", 500, 100, "")
	                REQN("10:00:20", "eq", "t", 1000, 100, ""),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 1000, \"overflow\": \"truncate\"}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.budget_violations, 1);
	CHECK_INT(r.totals.truncated, 1);
	CHECK_INT(r.totals.summarized, 0);
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.input_tokens, 2500);
	CHECK_INT(r.totals.cached_input_tokens, 1000);
	CHECK_INT(r.totals.output_tokens, 300);
	CHECK_INT(USD(r.totals.usd_total), 2600000000LL);
	CHECK_INT(TENANT(r, "eq").budget_violations, 0);
	CHECK_INT(r.totals.resolved, 3);
	result_derive(&r, &r.totals, &d);
	CHECK(d.budget_violation_rate == 1.0 / 3.0); /* 1 ÷ (3 − 0) */
	result_scenario_fini(&r);
}

static void budget_summarize(void)
{
	struct result_scenario r;
	/* input_max 250, output_max 150, summarize on large with ratio 0.1.
	 * a: 3001/100 on recorded small-m with cached_tokens 1000.
	 *   summary on large-m: input 3001, output ceil(300.1) = 301 (not capped at 150),
	 *   none cached: 3001·10^7 + 301·2·10^7 = 30 010 000 000 + 6 020 000 000 = 36 030 000 000;
	 *   latency 200 + 2·301 = 802 ms.
	 *   main at +802 ms on small-m: input min(250, 301) = 250, none cached (a summary),
	 *   output 100: 250·10^6 + 100·2·10^6 = 450 000 000; latency 200 ms → 1002 ms in all.
	 * b: 2000/10: summary 2000 in, ceil(200.0) = 200 out: 2·10^10 + 4·10^9 = 24 000 000 000,
	 *   600 ms; main input min(250, 200) = 200: 2·10^8 + 2·10^7 = 220 000 000, 110 ms → 710 ms. */
	if (replay_case(REQN("10:00:00", "a", "t", 3001, 100, ",\"model\":\"small-m\",\"cached_tokens\":1000")
	                REQN("10:00:10", "b", "t", 2000, 10, ""),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 250, \"output_max\": 150, "
	                "\"overflow\": \"summarize\"}}, \"summarize\": {\"route\": \"large\", \"ratio\": 0.1}}", &r) < 0)
		return;
	CHECK_INT(r.totals.budget_violations, 2);
	CHECK_INT(r.totals.summarized, 2);
	CHECK_INT(r.totals.truncated, 0);
	CHECK_INT(r.totals.calls, 4);
	CHECK_INT(r.totals.calls_large, 2);
	CHECK_INT(r.totals.retries, 0);
	CHECK_INT(r.totals.output_capped, 0);
	CHECK_INT(r.totals.cached_input_tokens, 0);
	CHECK_INT(r.totals.input_tokens, 5451);  /* 3001 + 250 + 2000 + 200 */
	CHECK_INT(r.totals.output_tokens, 611);  /* 301 + 100 + 200 + 10 */
	CHECK_INT(USD(r.totals.usd_total), 60700000000LL);
	CHECK_INT(TENANT(r, "a").input_tokens, 3251);
	CHECK_INT(TENANT(r, "a").output_tokens, 401);
	CHECK_INT(USD(TENANT(r, "a").usd_total), 36480000000LL); /* 36 030 000 000 + 450 000 000 */
	CHECK_INT(TENANT(r, "a").latency_p50_us, 1002 * MS);
	CHECK_INT(TENANT(r, "b").latency_p50_us, 710 * MS);
	CHECK_INT(model(&r, "large-m").input_tokens, 5001);
	CHECK_INT(model(&r, "large-m").output_tokens, 501);
	CHECK_INT(model(&r, "small-m").input_tokens, 450);
	CHECK_INT(r.totals.resolved, 2);
	result_scenario_fini(&r);
}

static void budget_summarize_ratio_exact(void)
{
	struct result_scenario r;
	/* ratio 0.07 applied as the decimal 7/100: 100 × 0.07 = 7 exactly → 7 (a double
	 * product gives 7.000000000000001, whose ceiling would be 8); 3001 × 0.07 = 210.07 → 211.
	 * Summaries on large: output 7 + 211 = 218; main calls on small with input
	 * min(5, summary) = 5 each. */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 10, "")
	                REQN("10:00:10", "b", "t", 3001, 10, ""),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 5, \"overflow\": \"summarize\"}}, "
	                "\"summarize\": {\"route\": \"large\", \"ratio\": 0.07}}", &r) < 0)
		return;
	CHECK_INT(model(&r, "large-m").output_tokens, 218);
	CHECK_INT(model(&r, "large-m").input_tokens, 3101);
	CHECK_INT(model(&r, "small-m").input_tokens, 10);
	result_scenario_fini(&r);
}

static void budget_summary_fails(void)
{
	struct result_scenario r;
	/* the summary runs on small (the default), where every call fails with server_error
	 * (billed none): s1 at 00.0 fails after 100 ms, s2 after a 500 ms backoff at 00.6
	 * (fails 00.7), s3 after 1000 ms at 01.7 (fails 01.8): three calls, two retries; a
	 * failed summary gets no fallback and no main call: the request fails. */
	if (replay_case(REQN("10:00:00", "a", "t", 3000, 100, ""),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 100, \"overflow\": \"summarize\"}}, "
	                "\"routing\": {\"default\": \"large\"}, \"fallback\": {}, " INJECT_SMALL("server_error") "}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.summarized, 1);
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.calls_large, 0);
	CHECK_INT(r.totals.retries, 2);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.resolved, 0);
	CHECK_INT(USD(r.totals.usd_total), 0);
	result_scenario_fini(&r);
}

static void budget_async(void)
{
	struct result_scenario r;
	struct err e = { "" };
	/* input_max 1000, async; batch on with its defaults (interval 300 s, discount 0.5,
	 * latency 600 s, first route small).
	 * r0 10:00:10 3000/100: violation, to the queue whole: flushed at 10:05:00 with input
	 *   3000: (3000·10^6 + 100·2·10^6) × 0.5 = 1.6·10^9; answer at 10:15:00 → 890 s.
	 * r1 10:00:20 500/100: realtime: 7·10^8, 200 ms. */
	if (replay_case(REQN("10:00:10", "a", "t", 3000, 100, "")
	                REQN("10:00:20", "a", "t", 500, 100, ""),
	                SCN ", \"batch\": {}, \"budget\": {\"t\": {\"input_max\": 1000, \"overflow\": \"async\"}}}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.budget_violations, 1);
	CHECK_INT(r.totals.async, 1);
	CHECK_INT(r.totals.batched, 1);
	CHECK_INT(r.totals.truncated, 0);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.input_tokens, 3500);
	CHECK_INT(USD(r.totals.usd_total), 2300000000LL);
	CHECK_INT(r.totals.resolved, 2);
	CHECK_INT(r.totals.latency_p50_us, 200 * MS);
	CHECK_INT(r.totals.latency_p95_us, 890 * SEC);
	result_scenario_fini(&r);
	/* async without a batch queue is refused when the scenario loads */
	CHECK_INT(replay_text(REQN("10:00:10", "a", "t", 3000, 100, ""),
	                      SCN ", \"budget\": {\"t\": {\"input_max\": 1000, \"overflow\": \"async\"}}}",
	                      &r, &e), -1);
	CHECK_HAS(e.msg, "async");
	result_scenario_fini(&r);
}

static void budget_reject(void)
{
	struct result_scenario r;
	/* input_max 1000, output_max 50, reject.
	 * r0 3000/100: rejected, no call (its output over 50 is not counted: not served);
	 * r1 500/40: served: 500·10^6 + 40·2·10^6 = 5.8·10^8, latency 140 ms. */
	if (replay_case(REQN("10:00:00", "a", "t", 3000, 100, "")
	                REQN("10:00:10", "b", "t", 500, 40, ""),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 1000, \"output_max\": 50, "
	                "\"overflow\": \"reject\"}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.requests, 2);
	CHECK_INT(r.totals.rejected, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.failed, 0);
	CHECK_INT(r.totals.budget_violations, 1);
	CHECK_INT(r.totals.output_capped, 0);
	CHECK_INT(r.totals.calls, 1);
	CHECK_INT(TENANT(r, "a").calls, 0);
	CHECK_INT(TENANT(r, "a").latency_p50_us, -1); /* rejected: no latency */
	CHECK_INT(USD(r.totals.usd_total), 580000000LL);
	CHECK_INT(r.totals.latency_p50_us, 140 * MS);
	result_scenario_fini(&r);
}

static void budget_output_cap(void)
{
	struct result_scenario r;
	/* output_max 300, no input_max.
	 * a 100/500 → output 300: 10^8 + 300·2·10^6 = 7·10^8; modelled latency on the capped
	 *   output: 100 + 300 = 400 ms; capped.
	 * b 100/300 (equal, not over): 7·10^8; c 100/200: 10^8 + 4·10^8 = 5·10^8.
	 * d (task t) and e (task u) 100/500 are capped too but not served (README: output_capped
	 *   counts answered requests): their recorded server errors make small-m's rate in minute
	 *   10:01 2/2, so their two retries each fail as well; server errors bill nothing. The
	 *   chain has nothing after small: d's task degrades, e's fails. */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 500, "")
	                REQN("10:00:10", "b", "t", 100, 300, "")
	                REQN("10:00:20", "c", "t", 100, 200, "")
	                REQN("10:01:30", "d", "t", 100, 500, SE_SMALL)
	                REQN("10:01:31", "e", "u", 100, 500, SE_SMALL),
	                SCN ", \"budget\": {\"*\": {\"output_max\": 300}}, "
	                "\"fallback\": {\"chain\": [\"small\"], \"degrade_tasks\": [\"t\"]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.output_capped, 1);
	CHECK_INT(TENANT(r, "a").output_capped, 1);
	CHECK_INT(TENANT(r, "d").degraded, 1);
	CHECK_INT(TENANT(r, "d").calls, 3);
	CHECK_INT(TENANT(r, "e").failed, 1);
	CHECK_INT(TENANT(r, "e").calls, 3);
	CHECK_INT(r.totals.output_tokens, 800);
	CHECK_INT(r.totals.budget_violations, 0);
	CHECK_INT(USD(r.totals.usd_total), 1900000000LL);
	CHECK_INT(TENANT(r, "a").latency_p50_us, 400 * MS);
	result_scenario_fini(&r);
}

static void budget_star_and_none(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "a", "t", 500, 10, "")
	                    REQN("10:00:10", "a", "u", 500, 10, "");
	/* "t" has its own policy (input_max 1000: 500 fits); "u" takes "*" (input_max 100,
	 * overflow defaulting to truncate): billed input 100 */
	if (replay_case(trace, SCN ", \"budget\": {\"t\": {\"input_max\": 1000}, \"*\": {\"input_max\": 100}}}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.budget_violations, 1);
	CHECK_INT(r.totals.truncated, 1);
	CHECK_INT(TASK(r, "t").input_tokens, 500);
	CHECK_INT(TASK(r, "u").input_tokens, 100);
	CHECK_INT(TASK(r, "u").truncated, 1);
	result_scenario_fini(&r);
	/* without "*", task "u" has no policy: no violation, its 500 tokens billed */
	if (replay_case(trace, SCN ", \"budget\": {\"t\": {\"input_max\": 1000}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.budget_violations, 0);
	CHECK_INT(r.totals.truncated, 0);
	CHECK_INT(TASK(r, "u").input_tokens, 500);
	result_scenario_fini(&r);
}

static void budget_violation_rate(void)
{
	struct result_scenario r;
	struct derived d;
	/* input_max 1000 (truncate), cache on.
	 * x 3000: violation (answer at 10:00:00.2); x again at 10:00:10: a hit, never reaches
	 * the budget; y 500: fine; z 2000: violation.
	 * rate = 2 ÷ (4 requests − 1 hit) = 2/3. */
	if (replay_case(REQN("10:00:00", "a", "t", 3000, 100, INPUT("x"))
	                REQN("10:00:10", "a", "t", 3000, 100, INPUT("x"))
	                REQN("10:00:20", "a", "t", 500, 100, INPUT("y"))
	                REQN("10:00:30", "a", "t", 2000, 100, INPUT("z")),
	                SCN ", \"cache\": {}, \"budget\": {\"t\": {\"input_max\": 1000}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(r.totals.budget_violations, 2);
	CHECK_INT(r.totals.truncated, 2);
	result_derive(&r, &r.totals, &d);
	CHECK(d.budget_violation_rate == 2.0 / 3.0);
	result_scenario_fini(&r);
}

/* ================================ routing ================================ */

static void routing_first_match_wins(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "a", "t", 100, 100, "")
	                    REQN("10:00:10", "b", "u", 100, 100, "");
	/* a/t matches both rules: the first listed wins; b/u matches none: default other */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"other\", \"rules\": ["
	                "{\"when\": {\"task\": \"t\"}, \"route\": \"large\"}, "
	                "{\"when\": {\"tenant\": \"a\"}, \"route\": \"small\"}]}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "a").calls_large, 1);
	CHECK_INT(model(&r, "large-m").calls, 1);
	CHECK_INT(model(&r, "small-m").calls, 0);
	CHECK_INT(model(&r, "other-m").calls, 1);
	result_scenario_fini(&r);
	/* the same rules in the other order: a/t goes small */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"other\", \"rules\": ["
	                "{\"when\": {\"tenant\": \"a\"}, \"route\": \"small\"}, "
	                "{\"when\": {\"task\": \"t\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "a").calls_large, 0);
	CHECK_INT(model(&r, "small-m").calls, 1);
	CHECK_INT(model(&r, "other-m").calls, 1);
	result_scenario_fini(&r);
}

static void routing_all_conditions(void)
{
	struct result_scenario r;
	/* one rule {task t, tenant a} → large: only a/t has both */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 100, "")
	                REQN("10:00:10", "b", "t", 100, 100, "")
	                REQN("10:00:20", "a", "u", 100, 100, ""),
	                SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {\"task\": \"t\", \"tenant\": \"a\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(TASK(r, "t").calls_large, 1);
	CHECK_INT(TENANT(r, "b").calls_large, 0);
	CHECK_INT(TASK(r, "u").calls_large, 0);
	result_scenario_fini(&r);
}

static void routing_names_of_the_other_kind(void)
{
	struct result_scenario r;
	/* a tenant condition naming a task, a task condition naming a tenant, and a name the trace
	 * lacks match no request: both go to the default, small (0 large calls of 2) */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 100, "")
	                REQN("10:00:10", "b", "u", 100, 100, ""),
	                SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {\"tenant\": \"t\"}, \"route\": \"large\"}, "
	                "{\"when\": {\"task\": \"a\"}, \"route\": \"large\"}, "
	                "{\"when\": {\"tenant\": \"zz\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.calls_large, 0);
	result_scenario_fini(&r);
}

static void routing_empty_when(void)
{
	struct result_scenario r;
	/* an empty when matches every request */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 100, "")
	                REQN("10:00:10", "b", "u", 100, 100, ",\"difficulty\":\"easy\""),
	                SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.calls_large, 2);
	result_scenario_fini(&r);
}

static void routing_difficulty(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "h", "t", 100, 100, ",\"difficulty\":\"hard\"")
	                    REQN("10:00:10", "e", "t", 100, 100, ",\"difficulty\":\"easy\"")
	                    REQN("10:00:20", "n", "t", 100, 100, "");
	/* {difficulty: hard} → large: only h */
	if (replay_case(trace, SCN ", \"routing\": {\"rules\": [{\"when\": {\"difficulty\": \"hard\"}, "
	                "\"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "h").calls_large, 1);
	CHECK_INT(TENANT(r, "e").calls_large, 0);
	CHECK_INT(TENANT(r, "n").calls_large, 0);
	result_scenario_fini(&r);
	/* {difficulty: easy} → large: only e; the unlabelled n matches no difficulty condition */
	if (replay_case(trace, SCN ", \"routing\": {\"rules\": [{\"when\": {\"difficulty\": \"easy\"}, "
	                "\"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "h").calls_large, 0);
	CHECK_INT(TENANT(r, "e").calls_large, 1);
	CHECK_INT(TENANT(r, "n").calls_large, 0);
	result_scenario_fini(&r);
}

static void routing_input_bounds(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:00", "p1000", "t", 1000, 10, "")
	                    REQN("10:00:10", "p1001", "t", 1001, 10, "")
	                    REQN("10:00:20", "p100", "t", 100, 10, "")
	                    REQN("10:00:30", "p99", "t", 99, 10, "");
	/* gt 1000 → large (strict: 1000 no, 1001 yes); lt 100 → other (strict: 100 no, 99 yes) */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {\"input_tokens_gt\": 1000}, \"route\": \"large\"}, "
	                "{\"when\": {\"input_tokens_lt\": 100}, \"route\": \"other\"}]}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "p1001").calls_large, 1);
	CHECK_INT(model(&r, "large-m").calls, 1);
	CHECK_INT(model(&r, "large-m").input_tokens, 1001);
	CHECK_INT(model(&r, "other-m").calls, 1);
	CHECK_INT(model(&r, "other-m").input_tokens, 99);
	CHECK_INT(model(&r, "small-m").calls, 2);
	CHECK_INT(model(&r, "small-m").input_tokens, 1100); /* 1000 + 100 */
	result_scenario_fini(&r);
	/* both bounds in one rule: 100 < input < 1001 → only 1000 */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {\"input_tokens_gt\": 100, \"input_tokens_lt\": 1001}, \"route\": \"large\"}]}}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(TENANT(r, "p1000").calls_large, 1);
	result_scenario_fini(&r);
}

/* input_tokens_lt 0 is a bound no count is under: the rule matches no request (it is not read
 * as "no bound"). */
static void routing_input_lt_zero(void)
{
	struct result_scenario r;
	/* 100 input tokens: the rule {lt 0} → large does not match; default small.
	 * small-m: 100·10^6 + 10·2·10^6 = 1.2·10^8 pico-USD. */
	if (replay_case(REQN("10:00:00", "a", "t", 100, 10, ""),
	                SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {\"input_tokens_lt\": 0}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls_large, 0);
	CHECK_INT(model(&r, "small-m").calls, 1);
	CHECK_INT(USD(r.totals.usd_total), 120000000LL);
	result_scenario_fini(&r);
}

/* The nearest-rank percentiles by hand: rank ⌈n·p/100⌉ of the sorted latencies. */
static void percentiles_nearest_rank(void)
{
	struct result_scenario r;
	/* 12 recorded requests on small-m, latencies 1 … 12 s.  p50: rank ⌈12·0.5⌉ = 6 → 6 s;
	 * p95: rank ⌈12·0.95⌉ = ⌈11.4⌉ = 12 → 12 s (rank 11 would be rounding 11.4 to nearest). */
	const char *trace =
#define LAT_REQ(s, ms) REQ("10:00:" s, "a", "t", ",\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":" #ms)
		LAT_REQ("01", 1000) LAT_REQ("02", 2000) LAT_REQ("03", 3000) LAT_REQ("04", 4000)
		LAT_REQ("05", 5000) LAT_REQ("06", 6000) LAT_REQ("07", 7000) LAT_REQ("08", 8000)
		LAT_REQ("09", 9000) LAT_REQ("10", 10000) LAT_REQ("11", 11000) LAT_REQ("12", 12000);
#undef LAT_REQ
	if (replay_case(trace, RECORDED, &r) < 0)
		return;
	CHECK_INT(r.totals.requests, 12);
	CHECK_INT(r.totals.latency_p50_us, 6 * SEC);
	CHECK_INT(r.totals.latency_p95_us, 12 * SEC);
	result_scenario_fini(&r);
}

/* The TTL of a cached answer is that of the tier of the model that answered it, not of the
 * request's route. */
static void cache_ttl_of_answering_model(void)
{
	struct result_scenario r;
	/* ttl small 60 s, large 1000 s; route small.  r0 10:00:00: small-m's recorded server_error
	 * (10 ms), no retry; the fallback on large-m is ok, 100/100 tokens: 200 + 200 = 400 ms →
	 * answered 10:00:00.410, kept for large's 1000 s.  r1 10:01:30, the same input: 89.59 s on,
	 * past small's 60 s but within large's → a hit. */
	if (replay_case(REQN("10:00:00", "r0", "t", 100, 100, INPUT("q") ATTS(ATT("small-m", "server_error", LAT(10))))
	                REQN("10:01:30", "r1", "t", 100, 100, INPUT("q")),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"]}, "
	                "\"cache\": {\"key\": [\"input\"], \"ttl_s\": {\"small\": 60, \"large\": 1000}}}", &r) < 0)
		return;
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.cache_hits, 1);
	CHECK_INT(TENANT(r, "r1").cache_hits, 1);
	CHECK_INT(TENANT(r, "r1").calls, 0);
	result_scenario_fini(&r);
}

static void routing_before_budget(void)
{
	struct result_scenario r;
	/* input 2000, truncated to 500 by the budget; rules lt 1000 → other, gt 1000 → large.
	 * Routing sees the recorded 2000: large (the truncated 500 would have gone other).
	 * large-m on 500/10: 500·10^7 + 10·2·10^7 = 5·10^9 + 2·10^8 = 5.2·10^9. */
	if (replay_case(REQN("10:00:00", "a", "t", 2000, 10, ""),
	                SCN ", \"budget\": {\"t\": {\"input_max\": 500}}, \"routing\": {\"rules\": ["
	                "{\"when\": {\"input_tokens_lt\": 1000}, \"route\": \"other\"}, "
	                "{\"when\": {\"input_tokens_gt\": 1000}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(r.totals.truncated, 1);
	CHECK_INT(r.totals.input_tokens, 500);
	CHECK_INT(USD(r.totals.usd_total), 5200000000LL);
	result_scenario_fini(&r);
}

static void routing_default_and_large_share(void)
{
	struct result_scenario r;
	struct derived d;
	const char *trace = REQN("10:00:00", "a", "hard_task", 100, 10, "")
	                    REQN("10:00:10", "a", "t", 100, 10, "")
	                    REQN("10:00:20", "a", "t", 100, 10, "");
	/* one of three calls on large: large_share 1/3; the task's own share 1 */
	if (replay_case(trace, SCN ", \"routing\": {\"default\": \"small\", \"rules\": ["
	                "{\"when\": {\"task\": \"hard_task\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	result_derive(&r, &r.totals, &d);
	CHECK(d.large_share == 1.0 / 3.0);
	struct metrics g = TASK(r, "hard_task");
	result_derive(&r, &g, &d);
	CHECK(d.large_share == 1.0);
	g = TASK(r, "t");
	result_derive(&r, &g, &d);
	CHECK(d.large_share == 0.0);
	result_scenario_fini(&r);
	/* no routing section: the default route "small" for all */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(model(&r, "small-m").calls, 3);
	CHECK_INT(r.totals.calls_large, 0);
	result_scenario_fini(&r);
}

static void routing_no_routes(void)
{
	struct result_scenario r;
	struct err e = { "" };
	const char *trace = REQN("10:00:00", "a", "t", 100, 100, ",\"model\":\"small-m\"")
	                    REQN("10:00:10", "b", "t", 100, 100, ",\"model\":\"large-m\"");
	/* without routes each request runs on its recorded model:
	 * small-m 10^8 + 2·10^8 = 3·10^8; large-m 10^9 + 2·10^9 = 3·10^9 */
	if (replay_case(trace, "{\"pricing\": \"pricing.json\"}", &r) < 0)
		return;
	CHECK_INT(r.n_models, 2);
	if (r.n_models == 2) {
		CHECK_STR(r.by_model[0].model, "large-m");
		CHECK_STR(r.by_model[1].model, "small-m");
		CHECK_INT(USD(r.by_model[0].usd), 3000000000LL);
		CHECK_INT(USD(r.by_model[1].usd), 300000000LL);
	}
	CHECK_INT(TENANT(r, "b").calls_large, 1);
	result_scenario_fini(&r);
	/* with routes, the recorded model is ignored: both on small */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(model(&r, "small-m").calls, 2);
	CHECK_INT(r.totals.calls_large, 0);
	result_scenario_fini(&r);
	/* without routes, a request with no recorded model cannot run */
	CHECK_INT(replay_text(REQN("10:00:00", "a", "t", 100, 100, ""), "{\"pricing\": \"pricing.json\"}",
	                      &r, &e), -1);
	CHECK_HAS(e.msg, "no recorded model");
	result_scenario_fini(&r);
}

/* ================================ batch ================================ */

#define BATCH_B(extra) "\"batch\": {\"tasks\": [\"b\"], \"interval_s\": 300, \"max_batch_size\": 10, " \
	"\"max_total_input_tokens\": 10000, \"latency_s\": 600" extra "}"

static void batch_interval_boundary(void)
{
	struct result_scenario r;
	/* 1000/100 each: (1000·10^6 + 100·2·10^6) × (1 − 0.5) = 6·10^8.
	 * p0 10:00:10 → flushed at the 10:05:00 boundary, answered 10:15:00: 890 s.
	 * p1 arrives at 10:05:00 exactly: that flush runs first, so p1 waits for 10:10:00,
	 * answered 10:20:00: 900 s.  Calls start in buckets 5 and 10 (t0 = 10:00, 60 s). */
	if (replay_case(REQN("10:00:10", "p0", "b", 1000, 100, "")
	                REQN("10:05:00", "p1", "b", 1000, 100, ""),
	                SCN ", " BATCH_B("") "}", &r) < 0)
		return;
	CHECK_INT(r.totals.batched, 2);
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(USD(r.totals.usd_total), 1200000000LL);
	CHECK_INT(TENANT(r, "p0").latency_p50_us, 890 * SEC);
	CHECK_INT(TENANT(r, "p1").latency_p50_us, 900 * SEC);
	CHECK_INT(r.timeline.bucket_s, 60);
	CHECK_INT(r.timeline.n_buckets, 11); /* to the bucket of the last call start, 10 */
	if (r.timeline.n_buckets == 11) {
		CHECK_INT(r.timeline.count[TL_CALLS][5], 1);
		CHECK_INT(r.timeline.count[TL_CALLS][10], 1);
		CHECK_INT(r.timeline.count[TL_REQUESTS][0], 1);
		CHECK_INT(r.timeline.count[TL_REQUESTS][5], 1);
		CHECK_INT(USD(r.timeline.usd[5]), 600000000LL);
		CHECK_INT(USD(r.timeline.usd[10]), 600000000LL);
	}
	result_scenario_fini(&r);
	/* interval 7 s: boundaries are multiples of 7 s since the Unix epoch, not since the
	 * first arrival.  T0 = 1772445600 ≡ 2 (mod 7) (python3: 1772445600 % 7), so the
	 * boundaries after T0 are T0+5, T0+12, …: p0 at T0+1 goes at T0+5 (answer +600 s:
	 * latency 604 s); p1 arriving at T0+5 exactly goes at T0+12 (latency 607 s). */
	if (replay_case(REQN("10:00:01", "p0", "b", 1000, 100, "")
	                REQN("10:00:05", "p1", "b", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"interval_s\": 7}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "p0").latency_p50_us, 604 * SEC);
	CHECK_INT(TENANT(r, "p1").latency_p50_us, 607 * SEC);
	result_scenario_fini(&r);
}

static void batch_max_size(void)
{
	struct result_scenario r;
	/* max_batch_size 3: p0 :10, p1 :20, p2 :30 → sent at :30 when the third joins (answers
	 * 10:10:30: 620, 610, 600 s); p3 :40 waits for 10:05:00 (answer 10:15:00: 860 s). */
	if (replay_case(REQN("10:00:10", "p0", "b", 1000, 100, "")
	                REQN("10:00:20", "p1", "b", 1000, 100, "")
	                REQN("10:00:30", "p2", "b", 1000, 100, "")
	                REQN("10:00:40", "p3", "b", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"max_batch_size\": 3}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 4);
	CHECK_INT(TENANT(r, "p0").latency_p50_us, 620 * SEC);
	CHECK_INT(TENANT(r, "p1").latency_p50_us, 610 * SEC);
	CHECK_INT(TENANT(r, "p2").latency_p50_us, 600 * SEC);
	CHECK_INT(TENANT(r, "p3").latency_p50_us, 860 * SEC);
	CHECK_INT(r.timeline.count[TL_CALLS][0], 3);
	if (r.timeline.n_buckets > 5)
		CHECK_INT(r.timeline.count[TL_CALLS][5], 1);
	result_scenario_fini(&r);
}

static void batch_token_limit(void)
{
	struct result_scenario r;
	/* max_total_input_tokens 2500, outputs 100:
	 * p0 :10 1000 [p0]; p1 :20 1000 [p0 p1] 2000; p2 :30 1000 would make 3000 > 2500 →
	 * [p0 p1] sent at :30, then [p2]; p3 :40 5000: 6000 > 2500 → [p2] sent at :40; p3 alone
	 * is above the limit → sent alone at :40; p4 :50 100 [p4]; p5 :55 2400: 2500 is not past
	 * the limit → [p4 p5], sent at 10:05:00.
	 * Answers (+600 s): p0 620, p1 610, p2 610, p3 600, p4 850, p5 845 s.
	 * Cost × 0.5: p0–p2 (10^9 + 2·10^8)/2 = 6·10^8 each; p3 (5·10^9 + 2·10^8)/2 = 2.6·10^9;
	 * p4 (10^8 + 2·10^8)/2 = 1.5·10^8; p5 (2.4·10^9 + 2·10^8)/2 = 1.3·10^9 → 5.85·10^9. */
	if (replay_case(REQN("10:00:10", "p0", "b", 1000, 100, "")
	                REQN("10:00:20", "p1", "b", 1000, 100, "")
	                REQN("10:00:30", "p2", "b", 1000, 100, "")
	                REQN("10:00:40", "p3", "b", 5000, 100, "")
	                REQN("10:00:50", "p4", "b", 100, 100, "")
	                REQN("10:00:55", "p5", "b", 2400, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"max_total_input_tokens\": 2500}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 6);
	CHECK_INT(USD(r.totals.usd_total), 5850000000LL);
	CHECK_INT(TENANT(r, "p0").latency_p50_us, 620 * SEC);
	CHECK_INT(TENANT(r, "p1").latency_p50_us, 610 * SEC);
	CHECK_INT(TENANT(r, "p2").latency_p50_us, 610 * SEC);
	CHECK_INT(TENANT(r, "p3").latency_p50_us, 600 * SEC);
	CHECK_INT(TENANT(r, "p4").latency_p50_us, 850 * SEC);
	CHECK_INT(TENANT(r, "p5").latency_p50_us, 845 * SEC);
	CHECK_INT(r.timeline.count[TL_CALLS][0], 4);
	if (r.timeline.n_buckets > 5)
		CHECK_INT(r.timeline.count[TL_CALLS][5], 2);
	result_scenario_fini(&r);
}

/* The queue's token limit counts each item's input as its budget left it, not as recorded. */
static void batch_token_limit_budgeted(void)
{
	struct result_scenario r;
	/* budget b: input_max 500 (truncate); batch: max_total_input_tokens 1000, interval 60 s,
	 * latency 10 s.  Three items of 800 recorded input tokens, each truncated to 500:
	 * p0 :01 [500]; p1 :02 [p0 p1] 1000, not past the limit; p2 :03 would make 1500 → [p0 p1]
	 * sent at :03 (answered :13), then [p2], sent at the 10:01:00 flush (answered 10:01:10).
	 * Latencies p0 12 s, p1 11 s, p2 67 s.  (Counted as 800 each, p1 would pass it: p0 sent
	 * alone at :02, 11 s.)  Cost each (500·10^6 + 100·2·10^6) × 0.5 = 3.5·10^8 → 1.05·10^9. */
	if (replay_case(REQN("10:00:01", "p0", "b", 800, 100, "")
	                REQN("10:00:02", "p1", "b", 800, 100, "")
	                REQN("10:00:03", "p2", "b", 800, 100, ""),
	                SCN ", \"budget\": {\"b\": {\"input_max\": 500}}, \"batch\": {\"tasks\": [\"b\"], "
	                "\"max_total_input_tokens\": 1000, \"interval_s\": 60, \"latency_s\": 10}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.truncated, 3);
	CHECK_INT(USD(r.totals.usd_total), 1050000000LL);
	CHECK_INT(TENANT(r, "p0").latency_p50_us, 12 * SEC);
	CHECK_INT(TENANT(r, "p1").latency_p50_us, 11 * SEC);
	CHECK_INT(TENANT(r, "p2").latency_p50_us, 67 * SEC);
	result_scenario_fini(&r);
}

static void batch_discount_half_even(void)
{
	struct result_scenario r;
	char dir[200], path[256], scn[512];
	FILE *f;
	if (test_tmpdir("tiny", dir, sizeof dir) < 0) {
		CHECK(!"mkdtemp");
		return;
	}
	/* a model at 1 pico-USD per token, so halving gives half pico-USD to round */
	snprintf(path, sizeof path, "%s/tiny.json", dir);
	f = fopen(path, "w");
	if (!f) {
		CHECK(f != NULL);
		rmdir(dir);
		return;
	}
	fputs("{\"date\": \"2026-01-01\", \"source\": \"test\", \"models\": {\"tiny-m\": {\"tier\": \"small\", "
	      "\"input\": 0.000001, \"output\": 0.000001}}}\n", f);
	fclose(f);
	snprintf(scn, sizeof scn, "{\"pricing\": \"%s\", \"routes\": {\"small\": \"tiny-m\", \"large\": "
	         "\"tiny-m\"}, \"batch\": {\"tasks\": [\"b\"]}, \"cache\": {\"key\": [\"input\"]}}", path);
	/* flushed together at 10:05:00, discount 0.5, each call rounded half-even to a pico-USD:
	 * 1/0 → 1 × 0.5 = 0.5 → 0; 3/0 → 1.5 → 2; 5/0 → 2.5 → 2; 6/1 → 7 → 3.5 → 4: total 8.
	 * At 10:20:00 (after the 10:15:00 answers) "three" hits: saves 3 tokens and the
	 * discounted 2 pico-USD. */
	if (replay_case(REQN("10:00:10", "a", "b", 1, 0, INPUT("one"))
	                REQN("10:00:20", "a", "b", 3, 0, INPUT("three"))
	                REQN("10:00:30", "a", "b", 5, 0, INPUT("five"))
	                REQN("10:00:40", "a", "b", 6, 1, INPUT("seven"))
	                REQN("10:20:00", "a", "b", 3, 0, INPUT("three")),
	                scn, &r) == 0) {
		CHECK_INT(r.totals.calls, 4);
		CHECK_INT(r.totals.batched, 4);
		CHECK_INT(USD(r.totals.usd_total), 8);
		CHECK_INT(r.totals.cache_hits, 1);
		CHECK_INT(r.totals.cache_tokens_saved, 3);
		CHECK_INT(USD(r.totals.cache_usd_saved), 2);
		result_scenario_fini(&r);
	}
	unlink(path);
	rmdir(dir);
}

static void batch_discount_quarter(void)
{
	struct result_scenario r;
	/* discount 0.25: (1000·10^6 + 100·2·10^6) × (1 − 0.25) = 1.2·10^9 × 0.75 = 9·10^8 */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ""), SCN ", \"batch\": {\"tasks\": [\"b\"], \"discount\": 0.25}}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.batched, 1);
	CHECK_INT(USD(r.totals.usd_total), 900000000LL);
	result_scenario_fini(&r);
}

static void batch_fail_requeue(void)
{
	struct result_scenario r;
	/* latency_s 500; small-m fails every call (server_error, billed none).
	 * 10:00:10 → flush 10:05:00 on small-m: fails (a call, 0 USD), known 10:13:20;
	 * re-queued alone on fail_route large → flush 10:15:00 on large-m: ok,
	 * (1000·10^7 + 100·2·10^7) × 0.5 = 6·10^9, answered 10:23:20 → 1390 s.
	 * The re-queue is a retry: 1000 + 100 tokens, 6·10^9. */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 500}, " INJECT_SMALL("server_error") "}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(r.totals.batched, 1);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.retry_tokens, 1100);
	CHECK_INT(USD(r.totals.retry_usd), 6000000000LL);
	CHECK_INT(USD(r.totals.usd_total), 6000000000LL);
	CHECK_INT(r.totals.input_tokens, 1000);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.latency_p50_us, 1390 * SEC);
	CHECK_INT(model(&r, "small-m").calls, 1);
	CHECK_INT(USD(model(&r, "small-m").usd), 0);
	/* the re-queued call starts at 10:15:00: bucket 15, the last one */
	CHECK_INT(r.timeline.n_buckets, 16);
	if (r.timeline.n_buckets == 16) {
		CHECK_INT(r.timeline.count[TL_RETRIES][15], 1);
		CHECK_INT(USD(r.timeline.retry_usd[15]), 6000000000LL);
	}
	result_scenario_fini(&r);
}

/* A batch item re-queued on the same model makes that model's next call: the k-th batch call on
 * a model replays the k-th recorded attempt on it. */
static void batch_requeue_same_model(void)
{
	struct result_scenario r;
	/* fail_route small, as first_route; latency_s 600; recorded small-m server_error, then ok.
	 * 10:00:10 → flush 10:05:00, small-m call 1 replays server_error (billed none), known
	 * 10:15:00, a boundary: it waits for 10:20:00; small-m call 2 replays ok:
	 * (1000·10^6 + 100·2·10^6) × 0.5 = 6·10^8, answered 10:30:00 → 1790 s; 2 calls, 1 retry.
	 * (Replaying attempt 1 again, it would fail 3 times and end failed.) */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                          ATT("small-m", "ok", LAT(10)))),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"fail_route\": \"small\"}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.failed, 0);
	CHECK_INT(USD(r.totals.usd_total), 600000000LL);
	CHECK_INT(r.totals.latency_p50_us, 1790 * SEC);
	result_scenario_fini(&r);
}

/* An item re-queued on fail_route's other model makes that model's first call: it replays the
 * first recorded attempt on it (k counts per model, from 1 again). */
static void batch_requeue_other_model_first_attempt(void)
{
	struct result_scenario r;
	/* latency_s 10; recorded small-m server_error, then large-m ok; large-m's injected
	 * server_error (rate 1) applies only to a call with no recorded attempt.
	 * 10:00:10 → flush 10:05:00 on small-m: replays server_error (billed none), known 10:05:10;
	 * re-queued on large → flush 10:10:00, large-m call 1 replays attempt 1 on it: ok,
	 * (1000·10^7 + 100·2·10^7) × 0.5 = 6·10^9, answered 10:10:10 → 600 s.  2 calls, 1 retry.
	 * (Were it large-m's call 2, nothing recorded: the injected failure, re-queued until out of
	 * attempts, failed.) */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ATTS(ATT("small-m", "server_error", LAT(10)) ","
	                                                          ATT("large-m", "ok", LAT(10)))),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 10}, \"faults\": {\"inject\": ["
	                INJ("large-m", "server_error", 1) "]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(r.totals.failed, 0);
	CHECK_INT(USD(r.totals.usd_total), 6000000000LL);
	CHECK_INT(r.totals.latency_p50_us, 600 * SEC);
	result_scenario_fini(&r);
}

static void batch_fail_requeue_alone(void)
{
	struct result_scenario r;
	/* seed 1, latency_s 500; small-m server_error injected at rate 0.2 (10:00–11:00).
	 * b0 (index 0, 10:00:10) and b1 (index 1, 10:00:20) are flushed together at 10:05:00
	 * on small-m, attempt 1.  Draws (seed 1, small-m, attempt 1; the python3 SPEC §10 draw
	 * quoted above draw_case in test_replay_calls.c): index 0 → 0.070419 < 0.2: b0 fails
	 * (billed none); index 1 → 0.296771: b1 ok, (10^9 + 2·10^8) × 0.5 = 6·10^8, done
	 * 10:13:20 → 780 s.
	 * b0 is known failed at 10:13:20 and re-queued alone on large: flushed at 10:15:00,
	 * large-m ok (no fault, no data): (10^10 + 2·10^9) × 0.5 = 6·10^9, done 10:23:20 →
	 * 1390 s.  3 calls (1 large), 1 retry, 6·10^8 + 6·10^9 = 6.6·10^9. */
	if (replay_case(REQN("10:00:10", "b0", "b", 1000, 100, "")
	                REQN("10:00:20", "b1", "b", 1000, 100, ""),
	                SCN ", \"seed\": 1, \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 500}, \"faults\": {\"inject\": "
	                "[{\"model\": \"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", "
	                "\"status\": \"server_error\", \"rate\": 0.2}]}}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.calls_large, 1);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.batched, 2);
	CHECK_INT(r.totals.resolved, 2);
	CHECK_INT(USD(r.totals.usd_total), 6600000000LL);
	CHECK_INT(TENANT(r, "b0").calls, 2);
	CHECK_INT(TENANT(r, "b0").latency_p50_us, 1390 * SEC);
	CHECK_INT(TENANT(r, "b1").calls, 1);
	CHECK_INT(TENANT(r, "b1").latency_p50_us, 780 * SEC);
	result_scenario_fini(&r);
}

static void batch_requeue_every_class(void)
{
	struct result_scenario r;
	/* small-m always content_filter, a class retry.on leaves out: the batch item is
	 * re-queued all the same.  10:05:00 on small-m: billed input by default, 1000·10^6 ×
	 * 0.5 = 5·10^8; known at 10:13:20, re-queued on large: 10:15:00 ok, 6·10^9.
	 * 2 calls, resolved, 6.5·10^9. */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 500}, " INJECT_SMALL("content_filter") "}",
	                &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.resolved, 1);
	CHECK_INT(USD(r.totals.usd_total), 6500000000LL);
	result_scenario_fini(&r);
}

static void batch_out_of_attempts(void)
{
	struct result_scenario r;
	/* fail_route small too, max_attempts 2, small-m always times out (billed full × 0.5):
	 * 10:05:00 fails (known 10:13:20), re-queued, 10:15:00 fails (known 10:23:20): two
	 * attempts, none left → failed.  Each (10^9 + 2·10^8) × 0.5 = 6·10^8. */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 500, \"fail_route\": \"small\", "
	                "\"max_attempts\": 2}, " INJECT_SMALL("timeout") "}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.retries, 1);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(r.totals.resolved, 0);
	CHECK_INT(r.totals.degraded, 0);
	CHECK_INT(USD(r.totals.usd_total), 1200000000LL);
	CHECK_INT(USD(r.totals.retry_usd), 600000000LL);
	CHECK_INT(r.totals.latency_p50_us, -1);
	result_scenario_fini(&r);
	/* the same with the task in fallback.degrade_tasks: degraded, latency 1390 s */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 500, \"fail_route\": \"small\", "
	                "\"max_attempts\": 2}, \"fallback\": {\"degrade_tasks\": [\"b\"]}, "
	                INJECT_SMALL("timeout") "}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 2);
	CHECK_INT(r.totals.failed, 0);
	CHECK_INT(r.totals.degraded, 1);
	CHECK_INT(r.totals.resolved, 0);
	CHECK_INT(USD(r.totals.usd_total), 1200000000LL);
	CHECK_INT(r.totals.latency_p50_us, 1390 * SEC);
	result_scenario_fini(&r);
}

static void batch_requeue_bypasses_gates(void)
{
	struct result_scenario r;
	/* usd_per_hour_cap 0.000001 USD (10^6 pico-USD); small-m server_error at rate 1;
	 * latency_s 500.  c (task big, 10:10:00) spends 1000·10^7 + 100·2·10^7 = 1.2·10^10 on
	 * large-m.  b (10:00:10) fails at the 10:05:00 flush (billed none), known at 10:13:20:
	 * the spend in the hour before is 1.2·10^10, above the cap, so a fallback would be
	 * denied; a batch re-queue is none: flushed at 10:15:00 on large-m, done 10:23:20 →
	 * 1390 s, resolved; no fallback, none denied. */
	if (replay_case(REQN("10:00:10", "a", "b", 1000, 100, "")
	                REQN("10:10:00", "c", "big", 1000, 100, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"], \"latency_s\": 500}, "
	                "\"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}, "
	                "\"fallback\": {\"usd_per_hour_cap\": 0.000001}, " INJECT_SMALL("server_error") "}", &r) < 0)
		return;
	CHECK_INT(TASK(r, "b").resolved, 1);
	CHECK_INT(TASK(r, "b").calls, 2);
	CHECK_INT(TASK(r, "b").latency_p50_us, 1390 * SEC);
	CHECK_INT(r.totals.fallbacks, 0);
	CHECK_INT(r.totals.fallbacks_denied, 0);
	result_scenario_fini(&r);
}

static void batch_realtime_false(void)
{
	struct result_scenario r;
	const char *trace = REQN("10:00:10", "a", "t", 1000, 100, ",\"realtime\":false")
	                    REQN("10:00:20", "b", "t", 1000, 100, "");
	/* batch on (no tasks): the realtime:false line is batched (6·10^8 at 10:05:00),
	 * the other runs at once (1.2·10^9, 200 ms) */
	if (replay_case(trace, SCN ", \"batch\": {}}", &r) < 0)
		return;
	CHECK_INT(r.totals.batched, 1);
	CHECK_INT(TENANT(r, "a").batched, 1);
	CHECK_INT(USD(r.totals.usd_total), 1800000000LL);
	CHECK_INT(TENANT(r, "a").latency_p50_us, 890 * SEC);
	CHECK_INT(TENANT(r, "b").latency_p50_us, 200 * MS);
	result_scenario_fini(&r);
	/* batch off (absent, or present with enabled false): realtime:false does not matter */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(r.totals.batched, 0);
	CHECK_INT(USD(r.totals.usd_total), 2400000000LL);
	CHECK_INT(TENANT(r, "a").latency_p50_us, 200 * MS);
	result_scenario_fini(&r);
	if (replay_case(trace, SCN ", \"batch\": {\"enabled\": false}}", &r) < 0)
		return;
	CHECK_INT(r.totals.batched, 0);
	CHECK_INT(USD(r.totals.usd_total), 2400000000LL);
	result_scenario_fini(&r);
}

static void batch_bypasses_timeout(void)
{
	struct result_scenario r;
	/* output 40000 on small-m: modelled latency 100 + 40000 ms = 40.1 s, past the default
	 * 30 s client timeout.  Batched (task b), the call ignores the timeout: ok,
	 * (100·10^6 + 40000·2·10^6) × 0.5 = (10^8 + 8·10^10) / 2 = 40 050 000 000.
	 * Realtime (task t), each of its 3 attempts times out, billed full (the default):
	 * 3 × (10^8 + 8·10^10) = 240 300 000 000; it fails. */
	if (replay_case(REQN("10:00:10", "b", "b", 100, 40000, "")
	                REQN("10:00:10", "t", "t", 100, 40000, ""),
	                SCN ", \"batch\": {\"tasks\": [\"b\"]}}", &r) < 0)
		return;
	CHECK_INT(TENANT(r, "b").resolved, 1);
	CHECK_INT(TENANT(r, "b").calls, 1);
	CHECK_INT(USD(TENANT(r, "b").usd_total), 40050000000LL);
	CHECK_INT(TENANT(r, "t").failed, 1);
	CHECK_INT(TENANT(r, "t").calls, 3);
	CHECK_INT(USD(TENANT(r, "t").usd_total), 240300000000LL);
	result_scenario_fini(&r);
}

/* ================================ billing ================================ */

struct bill_case {
	const char *status;
	long long usd, in, cached, out;
};

/*
 * One request 1000/500 with cached_tokens 400 on its recorded model small-m,
 * output_max 300, every small-m call failing with `status` (recorded outcomes
 * off, so the injected window decides), one attempt only.
 *   full:  600·10^6 + 400·5·10^5 + 300·2·10^6 = 6·10^8 + 2·10^8 + 6·10^8 = 1.4·10^9
 *   input: 6·10^8 + 2·10^8 = 8·10^8, input 1000 (400 cached), output 0
 *   none:  nothing billed, still one call
 */
#define BILL_FULL 1400000000LL, 1000, 400, 300
#define BILL_INPUT 800000000LL, 1000, 400, 0
#define BILL_NONE 0, 0, 0, 0

static void billing_check(const char *billing, const struct bill_case *cases, size_t n)
{
	struct result_scenario r;
	char scn[1024];
	for (size_t c = 0; c < n; c++) {
		snprintf(scn, sizeof scn, SCN ", \"retry\": {\"max_attempts\": 1}, \"budget\": {\"t\": "
		         "{\"output_max\": 300}}, %s\"faults\": {\"recorded\": false, \"inject\": [{\"model\": "
		         "\"small-m\", \"from\": \"2026-03-02T10:00:00Z\", \"to\": \"2026-03-02T11:00:00Z\", "
		         "\"status\": \"%s\", \"rate\": 1}]}}", billing, cases[c].status);
		if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, ",\"model\":\"small-m\",\"cached_tokens\":400"),
		                scn, &r) < 0)
			return;
		if (r.totals.calls != 1 || r.totals.failed != 1 || USD(r.totals.usd_total) != cases[c].usd ||
		    (long long)r.totals.input_tokens != cases[c].in ||
		    (long long)r.totals.cached_input_tokens != cases[c].cached ||
		    (long long)r.totals.output_tokens != cases[c].out || r.totals.output_capped != 0)
			TEST_FAIL_("%s: calls %d failed %d usd %lld in %d cached %d out %d; want 1 1 %lld %lld %lld %lld",
			           cases[c].status, (int)r.totals.calls, (int)r.totals.failed,
			           USD(r.totals.usd_total), (int)r.totals.input_tokens,
			           (int)r.totals.cached_input_tokens, (int)r.totals.output_tokens,
			           cases[c].usd, cases[c].in, cases[c].cached, cases[c].out);
		result_scenario_fini(&r);
	}
}

static void billing_default_classes(void)
{
	/* defaults: timeout full, content_filter input, every other class none */
	static const struct bill_case cases[] = {
		{ "timeout", BILL_FULL },
		{ "rate_limited", BILL_NONE },
		{ "server_error", BILL_NONE },
		{ "invalid_request", BILL_NONE },
		{ "content_filter", BILL_INPUT },
		{ "context_length", BILL_NONE },
	};
	billing_check("", cases, sizeof cases / sizeof cases[0]);
}

static void billing_configured_classes(void)
{
	static const struct bill_case cases[] = {
		{ "timeout", BILL_NONE },
		{ "rate_limited", BILL_INPUT },
		{ "server_error", BILL_FULL },
		{ "invalid_request", BILL_FULL },
		{ "content_filter", BILL_NONE },
		{ "context_length", BILL_INPUT },
	};
	billing_check("\"billing\": {\"failed\": {\"timeout\": \"none\", \"rate_limited\": \"input\", "
	              "\"server_error\": \"full\", \"invalid_request\": \"full\", \"content_filter\": \"none\", "
	              "\"context_length\": \"input\"}}, ", cases, sizeof cases / sizeof cases[0]);
}

static void billing_none_with_retries(void)
{
	struct result_scenario r;
	/* server_error (billed none) with the default retries (3 attempts, on transient
	 * classes): three calls, two of them retries, nothing billed, failed */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, ""), SCN ", " INJECT_SMALL("server_error") "}", &r) < 0)
		return;
	CHECK_INT(r.totals.calls, 3);
	CHECK_INT(r.totals.retries, 2);
	CHECK_INT(USD(r.totals.usd_total), 0);
	CHECK_INT(r.totals.retry_tokens, 0);
	CHECK_INT(r.totals.failed, 1);
	CHECK_INT(model(&r, "small-m").calls, 3);
	result_scenario_fini(&r);
}

/* ================================ projection ================================ */

static void projection_hour_span(void)
{
	struct result_scenario r;
	struct derived d;
	const char *trace = REQN("10:00:00", "a", "t", 1000, 500, "")
	                    REQN("11:00:00", "b", "t", 1000, 500, "");
	/* 2 × 2·10^9 = 4·10^9 pico-USD over a 3600 s span; days 30:
	 * 4·10^9 × 30 × 86400 ÷ 3600 = 4·10^9 × 720 = 2.88·10^12 (2.88 USD) */
	if (replay_case(trace, SCN "}", &r) < 0)
		return;
	CHECK_INT(r.span_us, 3600 * SEC);
	result_derive(&r, &r.totals, &d);
	CHECK_INT(d.projected_null, 0);
	CHECK_INT(USD(d.projected_monthly_usd), 2880000000000LL);
	/* a group is projected over the trace's span: 2·10^9 × 720 = 1.44·10^12 */
	struct metrics a = TENANT(r, "a");
	result_derive(&r, &a, &d);
	CHECK_INT(USD(d.projected_monthly_usd), 1440000000000LL);
	result_scenario_fini(&r);
	/* sample_rate 0.5, traffic_multiplier 2: 2.88·10^12 ÷ 0.5 × 2 = 1.152·10^13 */
	if (replay_case(trace, SCN ", \"projection\": {\"days\": 30, \"sample_rate\": 0.5, "
	                "\"traffic_multiplier\": 2}}", &r) < 0)
		return;
	result_derive(&r, &r.totals, &d);
	CHECK_INT(USD(d.projected_monthly_usd), 11520000000000LL);
	result_scenario_fini(&r);
}

static void projection_inexact_and_null(void)
{
	struct result_scenario r;
	struct derived d;
	/* span 7 s: 4·10^9 × 2 592 000 ÷ 7 = 10 368 000 000 000 000 / 7
	 * = 1 481 142 857 142 857.142… → 1 481 142 857 142 857 (python3 Fraction, round) */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, "")
	                REQN("10:00:07", "a", "t", 1000, 500, ""), SCN "}", &r) < 0)
		return;
	result_derive(&r, &r.totals, &d);
	CHECK_INT(d.projected_null, 0);
	CHECK_INT(USD(d.projected_monthly_usd), 1481142857142857LL);
	result_scenario_fini(&r);
	/* a span of 0 (one request, or all at one instant): null */
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, ""), SCN "}", &r) < 0)
		return;
	result_derive(&r, &r.totals, &d);
	CHECK_INT(d.projected_null, 1);
	result_scenario_fini(&r);
	if (replay_case(REQN("10:00:00", "a", "t", 1000, 500, "")
	                REQN("10:00:00", "b", "t", 1000, 500, ""), SCN "}", &r) < 0)
		return;
	result_derive(&r, &r.totals, &d);
	CHECK_INT(d.projected_null, 1);
	result_scenario_fini(&r);
}

/* ================================ hourly peak ================================ */

static void usd_per_hour_peak_window(void)
{
	struct result_scenario r;
	/* windows (t − 3600 s, t]: s at 10:00:00 and 10:59:00 on small-m, 1.2·10^9 each; big at
	 * 11:00:00 on large-m, 1000·10^7 + 100·2·10^7 = 1.2·10^10.  A window holding 10:00:00
	 * ends before 11:00:00: 2.4·10^9; one ending at 11:00:00 leaves 10:00:00 out:
	 * 1.2·10^9 + 1.2·10^10 = 1.32·10^10, the peak (a closed [t − 3600 s, t] would hold all
	 * three: 1.44·10^10, the total). */
	if (replay_case(REQN("10:00:00", "a", "s", 1000, 100, "")
	                REQN("10:59:00", "a", "s", 1000, 100, "")
	                REQN("11:00:00", "a", "big", 1000, 100, ""),
	                SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(USD(r.totals.usd_total), 14400000000LL);
	CHECK_INT(USD(r.totals.usd_per_hour_peak), 13200000000LL);
	result_scenario_fini(&r);
}

/* The hour window drops every call begun at or before t − 3600 s, however many leave at once,
 * and each tenant's and task's peak is of its own calls. */
static void usd_per_hour_peak_groups(void)
{
	struct result_scenario r;
	/* r0 (tenant b, big) 10:00:00 on large-m: 1000·10^7 + 100·2·10^7 = 1.2·10^10;
	 * r1, r2, r3 (tenant a, s) at 10:00:00, 10:30:00, 11:00:00 on small-m: 1.2·10^9 each.
	 * Totals: 1.32·10^10 at 10:00, 1.44·10^10 at 10:30 (the peak), 2.4·10^9 at 11:00 (r0 and
	 * r1, both begun at 10:00:00, leave together).  Tenant a: 1.2·10^9, 2.4·10^9, and at
	 * 11:00 r2 + r3 = 2.4·10^9 (r1 out): peak 2.4·10^9 — not the totals' 1.44·10^10, and
	 * not 3.6·10^9 as it would be with r1 kept.  Tenant b and task big: 1.2·10^10. */
	if (replay_case(REQN("10:00:00", "b", "big", 1000, 100, "")
	                REQN("10:00:00", "a", "s", 1000, 100, "")
	                REQN("10:30:00", "a", "s", 1000, 100, "")
	                REQN("11:00:00", "a", "s", 1000, 100, ""),
	                SCN ", \"routing\": {\"rules\": [{\"when\": {\"task\": \"big\"}, \"route\": \"large\"}]}}", &r) < 0)
		return;
	CHECK_INT(USD(r.totals.usd_per_hour_peak), 14400000000LL);
	CHECK_INT(USD(TENANT(r, "a").usd_per_hour_peak), 2400000000LL);
	CHECK_INT(USD(TASK(r, "s").usd_per_hour_peak), 2400000000LL);
	CHECK_INT(USD(TENANT(r, "b").usd_per_hour_peak), 12000000000LL);
	CHECK_INT(USD(TASK(r, "big").usd_per_hour_peak), 12000000000LL);
	result_scenario_fini(&r);
}

/* ================================ timeline ================================ */

static void timeline_bucket_choice(void)
{
	struct result_scenario r;
	/* 10:00:30 and 10:01:30: 60 s buckets, t0 = 10:00:00 (rounded down), 2 buckets */
	if (replay_case(REQN("10:00:30", "a", "t", 10, 10, "") REQN("10:01:30", "a", "t", 10, 10, ""), SCN "}", &r) < 0)
		return;
	CHECK_INT(r.timeline.bucket_s, 60);
	CHECK_INT(r.timeline.t0_us, T0_S * SEC);
	CHECK_INT(r.timeline.n_buckets, 2);
	if (r.timeline.n_buckets == 2) {
		CHECK_INT(r.timeline.count[TL_REQUESTS][0], 1);
		CHECK_INT(r.timeline.count[TL_REQUESTS][1], 1);
	}
	result_scenario_fini(&r);
	/* T0+330 and T0+330+119940 (1999 minutes later): minutes 5 … 2004 of the hour's start
	 * = 2000 buckets of 60 s: still 60 */
	if (replay_case("{\"ts\":1772445930,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":10}\n"
	                "{\"ts\":1772565870,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":10}\n",
	                SCN "}", &r) < 0)
		return;
	CHECK_INT(r.timeline.bucket_s, 60);
	CHECK_INT(r.timeline.t0_us, (T0_S + 300) * SEC);
	CHECK_INT(r.timeline.n_buckets, 2000);
	result_scenario_fini(&r);
	/* T0+330 and T0+330+120000 (2000 minutes later): 2001 buckets of 60 s → 300 s;
	 * t0 = floor((T0+330)/300)·300 = T0+300; buckets floor(120330/300) − 1 + 1 = 401 − 1 + 1 */
	if (replay_case("{\"ts\":1772445930,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":10}\n"
	                "{\"ts\":1772565930,\"tenant\":\"a\",\"task\":\"t\",\"input_tokens\":10,\"output_tokens\":10}\n",
	                SCN "}", &r) < 0)
		return;
	CHECK_INT(r.timeline.bucket_s, 300);
	CHECK_INT(r.timeline.t0_us, (T0_S + 300) * SEC);
	CHECK_INT(r.timeline.n_buckets, 401);
	if (r.timeline.n_buckets == 401) {
		CHECK_INT(r.timeline.count[TL_REQUESTS][0], 1);
		CHECK_INT(r.timeline.count[TL_REQUESTS][400], 1);
	}
	result_scenario_fini(&r);
}

static void timeline_where_calls_start(void)
{
	struct result_scenario r;
	/* b 10:00:10 task b (batched, first route large): request in bucket 0, its call at the
	 *   10:05:00 flush (bucket 5): (1000·10^7 + 100·2·10^7) × 0.5 = 6·10^9, its first call
	 *   in bucket 5.
	 * a 10:00:59.95: small-m fails (server_error, unbilled, no retry) after its base
	 *   latency 100 ms, at 10:01:00.05; fallback to large there (bucket 1):
	 *   1000·10^7 + 100·2·10^7 = 1.2·10^10.
	 * t0 10:00:00; the arrays run to bucket 5 (the last call start). */
	if (replay_case(REQN("10:00:10", "b", "b", 1000, 100, "")
	                REQN("10:00:59.95", "a", "t", 1000, 100, ""),
	                SCN ", \"retry\": {\"max_attempts\": 1}, \"fallback\": {}, \"batch\": {\"tasks\": [\"b\"], \"first_route\": \"large\"}, "
	                INJECT_SMALL("server_error") "}", &r) < 0)
		return;
	CHECK_INT(r.timeline.bucket_s, 60);
	CHECK_INT(r.timeline.t0_us, T0_S * SEC);
	CHECK_INT(r.totals.fallbacks, 1);
	CHECK_INT(r.totals.resolved, 2);
	CHECK_INT(r.timeline.n_buckets, 6);
	if (r.timeline.n_buckets != 6) {
		result_scenario_fini(&r);
		return;
	}
	const struct timeline *tl = &r.timeline;
	static const uint64_t want[][6] = {
		[TL_REQUESTS] = { 2, 0, 0, 0, 0, 0 },
		[TL_CACHE_HITS] = { 0, 0, 0, 0, 0, 0 },
		[TL_CALLS] = { 1, 1, 0, 0, 0, 1 },
		[TL_CALLS_LARGE] = { 0, 1, 0, 0, 0, 1 },
		[TL_FALLBACKS] = { 0, 1, 0, 0, 0, 0 },
		[TL_RETRIES] = { 0, 0, 0, 0, 0, 0 },
		[TL_FIRST_CALLS] = { 1, 0, 0, 0, 0, 1 },
		[TL_FIRST_FALLBACKS] = { 0, 1, 0, 0, 0, 0 },
	};
	static const long long want_usd[6] = { 0, 12000000000LL, 0, 0, 0, 6000000000LL };
	for (int s = 0; s < N_TL_COUNTS; s++)
		for (int k = 0; k < 6; k++)
			if (tl->count[s][k] != want[s][k])
				TEST_FAIL_("timeline %s[%d]: got %d, want %d", timeline_names[s], k,
				           (int)tl->count[s][k], (int)want[s][k]);
	for (int k = 0; k < 6; k++) {
		CHECK_INT(USD(tl->usd[k]), want_usd[k]);
		CHECK_INT(USD(tl->retry_usd[k]), 0);
	}
	result_scenario_fini(&r);
}

void suite_replay_policies(void)
{
	RUN(arrival_out_of_line_order);
	RUN(arrival_ties_out_of_line_order);
	RUN(arrival_after_same_instant_followup);
	RUN(latency_percentiles_long);
	RUN(latency_percentiles_many);
	RUN(cache_hit_miss_savings);
	RUN(cache_insert_on_answer);
	RUN(cache_hit_saves_answering_call);
	RUN(cache_skips_degraded);
	RUN(fallback_disabled_does_not_degrade);
	RUN(cache_ttl_exact_instant);
	RUN(cache_ttl_per_tier);
	RUN(cache_capacity_lru);
	RUN(cache_capacity_fifo);
	RUN(cache_key_tenant);
	RUN(cache_key_input_hash);
	RUN(cache_no_input_not_cached);
	RUN(cache_normalize);
	RUN(cache_normalize_given);
	RUN(cache_policy_version);
	RUN(cache_expired_frees_capacity);
	RUN(cache_replace_expiry);
	RUN(cache_replace_keeps_fifo_place);
	RUN(cache_matches_textbook);
	RUN(cache_matches_textbook_ttl);
	RUN(budget_truncate);
	RUN(budget_summarize);
	RUN(budget_summarize_ratio_exact);
	RUN(budget_summary_fails);
	RUN(budget_async);
	RUN(budget_reject);
	RUN(budget_output_cap);
	RUN(budget_star_and_none);
	RUN(budget_violation_rate);
	RUN(routing_first_match_wins);
	RUN(routing_all_conditions);
	RUN(routing_names_of_the_other_kind);
	RUN(routing_empty_when);
	RUN(routing_difficulty);
	RUN(routing_input_bounds);
	RUN(routing_input_lt_zero);
	RUN(percentiles_nearest_rank);
	RUN(cache_ttl_of_answering_model);
	RUN(routing_before_budget);
	RUN(routing_default_and_large_share);
	RUN(routing_no_routes);
	RUN(batch_interval_boundary);
	RUN(batch_max_size);
	RUN(batch_token_limit);
	RUN(batch_token_limit_budgeted);
	RUN(batch_discount_half_even);
	RUN(batch_discount_quarter);
	RUN(batch_fail_requeue);
	RUN(batch_requeue_same_model);
	RUN(batch_fail_requeue_alone);
	RUN(batch_requeue_other_model_first_attempt);
	RUN(batch_requeue_every_class);
	RUN(batch_out_of_attempts);
	RUN(batch_requeue_bypasses_gates);
	RUN(batch_realtime_false);
	RUN(batch_bypasses_timeout);
	RUN(billing_default_classes);
	RUN(billing_configured_classes);
	RUN(billing_none_with_retries);
	RUN(projection_hour_span);
	RUN(projection_inexact_and_null);
	RUN(usd_per_hour_peak_window);
	RUN(usd_per_hour_peak_groups);
	RUN(timeline_bucket_choice);
	RUN(timeline_where_calls_start);
	replay_text_done();
}
