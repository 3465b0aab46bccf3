/*
 * libFuzzer target for the replay engine: a scenario's JSON (paths relative to
 * fixtures/scenarios/, so seeds extend the bundled ones), a zero byte, then a
 * compact binary trace (add_request).  Any input either fails with a message,
 * or keeps the books (check_books) and gives the same --json on a second run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/replay.h"
#include "sim/trace.h"
#include "traces/report.h"
#include "traces/scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

#define REQ_BYTES 12
#define MAX_REQUESTS 4096

static const char *const tenants[] = { "acme", "globex", "initech", "umbrella" };
static const char *const tasks[] = { "faq_answer", "policy_check", "long_report", "summarize_doc" };
static const char *const inputs[] = { "What is my refund policy?", "what is my  refund policy",
	"WHAT IS MY REFUND POLICY!", "Where is my order?", "Cancel my plan.", "cancel my plan",
	"Summarize the attached report.", "" };
/* The bundled price table's models (v3's small one twice as often), and one it lacks (an
 * error the run must report). */
static const char *const models[] = { "gpt-4.1-mini", "gpt-4.1", "gpt-4o-mini", "gpt-4o",
	"gpt-5-mini", "gpt-5", "gpt-4.1-mini", "no-such-model" };

static uint32_t id_of(struct trace *t, const char *name)
{
	uint32_t id = TRACE_NONE;
	if (intern_add(&t->names, name, strlen(name), &id) < 0)
		abort();
	return id;
}

/*
 * One request from 12 bytes: [0..1] its arrival, in ms after the previous
 * one's, signed (so requests overlap, tie and come out of order); [2]
 * tenant, task, difficulty and realtime, 2 + 2 + 2 + 1 bits; [3] the input
 * (3 bits; 7: none), whether it has an input_hash instead (bit 3) and a
 * cost_usd (bit 4); [4..5] input tokens (× 4); [6] output tokens (× 8);
 * [7] cached tokens (× 4); [8] how many recorded calls (0-3), then the
 * first one's model; [9] their statuses, 2 bits each (ok, timeout,
 * rate_limited, server_error), and bit 6 makes the first a context_length;
 * [10..11] the first one's latency in ms (× 4), the others' a multiple.
 */
static int add_request(struct trace *t, const uint8_t *b, int64_t *ts, struct err *e)
{
	static const enum status statuses[] = { STATUS_OK, STATUS_TIMEOUT, STATUS_RATE_LIMITED,
		STATUS_SERVER_ERROR };
	struct trace_call calls[3];
	uint32_t n_calls = b[8] & 3;
	*ts += (int64_t)(int16_t)(b[0] | b[1] << 8) * 1000;
	struct trace_row r = {
		.ts_us = *ts,
		.tenant = id_of(t, tenants[b[2] & 3]),
		.task = id_of(t, tasks[b[2] >> 2 & 3]),
		.input = TRACE_NONE,
		.input_hash = TRACE_NONE,
		.input_tok = (uint32_t)(b[4] | b[5] << 8) * 4,
		.output_tok = (uint32_t)b[6] * 8,
		.cached_tok = (uint32_t)b[7] * 4,
		.difficulty = (enum difficulty)((b[2] >> 4 & 3) % 3),
		.realtime = !(b[2] & 0x40),
		.cost_pusd = b[3] & 0x10 ? (int64_t)b[6] * 1000000000 : TRACE_NO_COST,
	};
	if ((b[3] & 7) != 7) {
		const char *text = inputs[b[3] & 7];
		if (b[3] & 8)
			r.input_hash = id_of(t, text[0] ? text : "sha256:0");
		else if (intern_add(&t->inputs, text, strlen(text), &r.input) < 0)
			abort();
	}
	for (uint32_t k = 0; k < n_calls; k++) {
		uint32_t m = ((b[8] >> 2) + k) & 7;
		enum status s = k == 0 && (b[9] & 0x40) ? STATUS_CONTEXT_LENGTH : statuses[b[9] >> 2 * k & 3];
		calls[k] = (struct trace_call){ id_of(t, models[m]), s, -1, -1, -1,
		                                (int64_t)(b[10] | b[11] << 8) * 4000 * (k + 1), TRACE_NO_TIME, 0 };
	}
	return trace_append(t, &r, calls, n_calls, e);
}

/* The scenario's --json over the trace, in a buffer to free; NULL with e set when the run fails. */
static char *replay_json(const struct replay_trace *rt, const struct scenario *sc, struct result_scenario *r,
                         struct err *e)
{
	char *text = NULL;
	size_t len = 0;
	struct trace_summary ts;
	if (replay_run(rt, sc, r, NULL, e) < 0)
		return NULL;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		abort();
	replay_trace_summary(rt, &ts);
	if (report_json(f, &ts, r, 1, e) < 0)
		abort(); /* a result always renders */
	fclose(f);
	return text;
}

/* The counters and amounts that add up over a grouping: the totals are the tasks' sum, so
 * the tenants' sums check that every count reached both of a request's groups. */
#define COUNT(x) { offsetof(struct metrics, x), 0 }
#define AMOUNT(x) { offsetof(struct metrics, x), 1 }
static const struct { size_t off; int amount; } sums[] = {
	COUNT(requests), COUNT(resolved), COUNT(failed), COUNT(degraded), COUNT(rejected),
	COUNT(cache_hits), COUNT(cache_tokens_saved), COUNT(calls), COUNT(calls_large),
	COUNT(input_tokens), COUNT(output_tokens), COUNT(cached_input_tokens), COUNT(retries),
	COUNT(retry_tokens), COUNT(fallbacks), COUNT(requests_with_fallback),
	COUNT(requests_with_call), COUNT(fallbacks_denied), COUNT(breaker_rejections),
	COUNT(budget_violations), COUNT(truncated), COUNT(summarized), COUNT(async), COUNT(batched),
	COUNT(output_capped), AMOUNT(usd_total), AMOUNT(cache_usd_saved), AMOUNT(retry_usd),
};

/* Field f of sums in m, a count or an amount alike. */
static money_sum sum_field(const struct metrics *m, size_t f)
{
	const void *p = (const char *)m + sums[f].off;
	return sums[f].amount ? *(const money_sum *)p : (money_sum) * (const uint64_t *)p;
}

/* A group's counters agree: its requests each end once (answered, degraded, failed or
 * rejected), and no count exceeds the one it is a part of. */
static int group_agrees(const struct metrics *m)
{
	return m->resolved + m->degraded + m->failed + m->rejected == m->requests &&
	       m->cache_hits <= m->resolved && m->requests_with_call <= m->requests &&
	       m->requests_with_fallback <= m->fallbacks && m->retries <= m->calls;
}

/* Every group agrees, the tenants and the models add up to the totals, and the timeline
 * counts every arrival. */
static void check_books(const struct result_scenario *r, uint32_t n_req)
{
	const struct metrics *m = &r->totals;
	money_sum models_usd = 0;
	uint64_t calls = 0, arrivals = 0;
	if (m->requests != n_req || !group_agrees(m))
		abort();
	for (size_t f = 0; f < sizeof sums / sizeof sums[0]; f++) {
		money_sum sum = 0;
		for (size_t k = 0; k < r->n_tenants; k++)
			sum += sum_field(&r->by_tenant[k], f);
		if (sum != sum_field(m, f))
			abort();
	}
	for (size_t k = 0; k < r->n_tenants; k++)
		if (!group_agrees(&r->by_tenant[k]))
			abort();
	for (size_t k = 0; k < r->n_models; k++) {
		models_usd += r->by_model[k].usd;
		calls += r->by_model[k].calls;
	}
	for (size_t k = 0; k < r->timeline.n_buckets; k++)
		arrivals += r->timeline.count[TL_REQUESTS][k];
	if (models_usd != m->usd_total || calls != m->calls || arrivals != n_req)
		abort();
}

/* Once, before the first input: a scenario without "pricing" uses the bundled table, which
 * is looked for next to the program, not next to this target. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (!getenv("LLMCOST_PRICING"))
		setenv("LLMCOST_PRICING", "fixtures/pricing/openai.json", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	const uint8_t *zero = memchr(data, 0, n);
	struct trace t;
	struct scenario sc;
	struct replay_trace *rt = NULL;
	struct result_scenario r1, r2;
	struct err e = { "" };
	int64_t ts = INT64_C(1772323200) * 1000000; /* 2026-03-01T00:00:00Z */
	char *text;
	if (!zero || !(text = malloc((size_t)(zero - data) + 1)))
		return 0;
	memcpy(text, data, (size_t)(zero - data));
	text[zero - data] = 0;
	if (scenario_parse(text, "fuzz.json", "fixtures/scenarios", &sc, &e) < 0) {
		free(text);
		return 0; /* the scenario parser has its own target */
	}
	free(text);
	memset(&t, 0, sizeof t);
	if (trace_alloc(&t, &(struct trace_shape){ 0 }) < 0 || !(t.name = strdup("fuzz")))
		abort();
	const uint8_t *b = zero + 1, *end = data + n;
	for (uint32_t k = 0; k < MAX_REQUESTS && end - b >= REQ_BYTES; k++, b += REQ_BYTES)
		if (add_request(&t, b, &ts, &e) < 0)
			abort();
	trace_trim(&t);
	if (t.n_req && replay_prepare(&t, &rt, &e) == 0) {
		char *a = replay_json(rt, &sc, &r1, &e), *again;
		if (!a && !e.msg[0])
			abort(); /* a failure always says why */
		if (a) {
			check_books(&r1, t.n_req);
			if (!(again = replay_json(rt, &sc, &r2, &e)) || strcmp(a, again) != 0)
				abort(); /* the same run twice gives the same output */
			result_scenario_fini(&r2);
			free(again);
			result_scenario_fini(&r1);
			free(a);
		}
		replay_trace_free(rt);
	}
	trace_free(&t);
	scenario_fini(&sc);
	return 0;
}
