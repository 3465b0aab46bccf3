/*
 * The live runner's policies (sim/live.c) against a scripted transport on a
 * virtual clock, one worker (two where a call in flight matters): what each
 * request sends, its retries, waits and fallbacks, the cache, the budgets, the
 * spend cap at its exact boundary, and the Retry-After headers' reading.
 * Prices are fixtures/tests/pricing.json's, in pico-USD per token: small-m
 * input 1,000,000, cached 500,000, output 2,000,000; large-m input
 * 10,000,000, cached 5,000,000, output 20,000,000.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/live.h"
#include "tests/test.h"
#include "tests/util_replay.h"
#include "traces/openai.h"
#include "traces/openai.h"
#include "traces/scenario.h"

#define T0 INT64_C(1800000000000000) /* the virtual clock's start, µs */
#define CALL_US INT64_C(1000000)     /* every scripted call takes a second */

/* A scripted reply; `text` is an ok reply's answer. */
struct step {
	enum status status;
	uint64_t in, cached, out;
	int64_t retry_after_us;
	const char *text;
	int fatal;
};

/* Events during a call, numbered from 1 in the order the calls reach the script (0: none): the
 * run's interrupted flag set (as Ctrl-C does) while call `interrupt_call` is in flight, and call
 * `hold_call` kept in flight until another worker's call is refused by the cap (5 s at most). */
static size_t interrupt_call, hold_call, interrupt_after_hold; /* the last: once the hold ends */
static size_t unsent_call;     /* this call reaches no server, fatally (as when TLS is refused) */
static size_t unreached_from, unreached_to; /* these calls find no connection (not fatal) */

/* What a call asked for. */
struct sent {
	char model[32];
	char input[64];
	int summarize;
	uint32_t max_out;
	int64_t at;
};

struct script {
	const struct step *steps;
	size_t n_steps, next;
	struct sent sent[16];
	size_t n_sent;
	int64_t now, slept;
	struct live *lv;           /* the run, for interrupt_call and hold_call */
	pthread_mutex_t mu;        /* the script's state, when several workers call */
};

/* Waits (in real time, 5 s at most) until the run has stopped at the cap. */
static void hold_until_capped(struct live *lv)
{
	for (int k = 0; k < 5000; k++) {
		pthread_mutex_lock(&lv->mu);
		int capped = lv->stop == LIVE_STOP_CAP;
		pthread_mutex_unlock(&lv->mu);
		if (capped)
			return;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

static void script_call(void *ctx, const struct live_call *c, struct live_reply *r)
{
	struct script *s = ctx;
	pthread_mutex_lock(&s->mu);
	struct sent *w = &s->sent[s->n_sent < 16 ? s->n_sent++ : 15];
	snprintf(w->model, sizeof w->model, "%s", c->model);
	snprintf(w->input, sizeof w->input, "%.*s", (int)c->input_len, c->input);
	w->summarize = c->instructions != NULL;
	w->max_out = c->max_output_tokens;
	w->at = s->now;
	s->now += CALL_US;
	const struct step ok = { STATUS_OK, 1, 0, 1, -1, NULL, 0 };
	const struct step *st = s->next < s->n_steps ? &s->steps[s->next++] : &ok;
	memset(r, 0, sizeof *r);
	r->status = st->status;
	r->input_tok = st->in;
	r->cached_tok = st->cached;
	r->output_tok = st->out;
	r->retry_after_us = st->retry_after_us;
	r->fatal = st->fatal;
	if (st->text)
		r->text = strdup(st->text), r->text_len = strlen(st->text);
	if (st->fatal)
		snprintf(r->msg, sizeof r->msg, "HTTP 401");
	size_t call = s->n_sent;
	if (call == unsent_call) {
		r->unsent = r->fatal = 1;
		snprintf(r->msg, sizeof r->msg, "cannot reach the server");
	}
	if (call >= unreached_from && call <= unreached_to && unreached_from) {
		r->unsent = 1;
		snprintf(r->msg, sizeof r->msg, "no connection");
	}
	if (call == interrupt_call)
		s->lv->interrupted = SIGINT;
	pthread_mutex_unlock(&s->mu);
	if (call == hold_call)
		hold_until_capped(s->lv);
	if (call == interrupt_after_hold)
		s->lv->interrupted = SIGINT;
}

static int64_t script_now(void *ctx)
{
	struct script *s = ctx;
	pthread_mutex_lock(&s->mu);
	int64_t now = s->now;
	pthread_mutex_unlock(&s->mu);
	return now;
}

static void script_sleep(void *ctx, int64_t us)
{
	struct script *s = ctx;
	pthread_mutex_lock(&s->mu);
	s->now += us;
	s->slept += us;
	pthread_mutex_unlock(&s->mu);
}

/* A run's parts, released by run_done. */
struct run {
	struct trace t;
	struct scenario sc;
	struct live lv;
	struct live_record rec[8];
	struct script s;
	struct live_transport tr;
	int ok;
};

/* Runs every request of `jsonl` under `scenario` (pricing fixtures/tests/pricing.json) with the
 * scripted replies, under cap_pusd, on `workers` threads. */
static int run_on(struct run *r, const char *jsonl, const char *scenario, const struct step *steps, size_t n_steps,
                  int64_t cap_pusd, unsigned workers)
{
	struct err e = { "" };
	memset(r, 0, sizeof *r);
	r->s.steps = steps;
	r->s.n_steps = n_steps;
	r->s.now = T0;
	r->s.lv = &r->lv;
	pthread_mutex_init(&r->s.mu, NULL);
	r->tr = (struct live_transport){ &r->s, script_call, script_now, script_sleep };
	if (trace_text(jsonl, &r->t, &e) < 0 || scenario_parse(scenario, "test.json", "fixtures/tests", &r->sc, &e) < 0) {
		TEST_FAIL_("set-up: %s", e.msg);
		return -1;
	}
	size_t n = r->t.n_req < 8 ? r->t.n_req : 8;
	for (size_t i = 0; i < n; i++)
		r->rec[i].req = (uint32_t)i;
	if (live_init(&r->lv, &r->t, &r->sc, &r->tr, cap_pusd, r->rec, n, &e) < 0) {
		TEST_FAIL_("live_init: %s", e.msg);
		live_fini(&r->lv);
		return -1;
	}
	r->ok = 1;
	live_run(&r->lv, workers);
	return 0;
}

/* The same on one worker. */
static int run(struct run *r, const char *jsonl, const char *scenario, const struct step *steps, size_t n_steps,
               int64_t cap_pusd)
{
	return run_on(r, jsonl, scenario, steps, n_steps, cap_pusd, 1);
}

static void run_done(struct run *r)
{
	if (r->ok)
		live_fini(&r->lv);
	live_records_free(r->rec, 8);
	trace_free(&r->t);
	scenario_fini(&r->sc);
	pthread_mutex_destroy(&r->s.mu);
}

#define BIG_CAP (INT64_C(1) << 60)
#define ROUTES "\"pricing\": \"pricing.json\", \"routes\": {\"small\": \"small-m\", \"large\": \"large-m\"}, "
#define LINE(ts, tenant, task, input, in, out) \
	"{\"ts\":\"2026-03-02T10:00:" ts "Z\",\"tenant\":\"" tenant "\",\"task\":\"" task "\",\"input\":\"" input \
	"\",\"input_tokens\":" #in ",\"output_tokens\":" #out "}\n"

static void live_answer_and_cost(void)
{
	/* one call, no budget: max_output_tokens = the recorded 40; cost (3 − 1) × 1,000,000 +
	 * 1 × 500,000 + 5 × 2,000,000 = 12,500,000 pUSD */
	struct step st[] = { { STATUS_OK, 3, 1, 5, -1, NULL, 0 } };
	struct run r;
	if (run(&r, LINE("00", "a", "t", "hello world", 3, 40), "{" ROUTES "\"routing\": {\"default\": \"small\"}}",
	        st, 1, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_STR(r.s.sent[0].model, "small-m");
		CHECK_STR(r.s.sent[0].input, "hello world");
		CHECK_INT(r.s.sent[0].max_out, 40);
		CHECK_INT(r.rec[0].outcome, LIVE_ANSWERED);
		CHECK_INT(r.rec[0].cost_pusd, 12500000);
		CHECK_INT(r.lv.spent_pusd, 12500000);
		CHECK_INT(r.lv.reserved_pusd, 0);
		CHECK_INT(r.rec[0].att[0].latency_us, CALL_US);
	}
	run_done(&r);
	/* a recorded answer shorter than the API's least max_output_tokens asks for 16 */
	if (run(&r, LINE("00", "a", "t", "x", 1, 5), "{" ROUTES "\"routing\": {\"default\": \"large\"}}", NULL, 0,
	        BIG_CAP) == 0) {
		CHECK_STR(r.s.sent[0].model, "large-m");
		CHECK_INT(r.s.sent[0].max_out, 16);
	}
	run_done(&r);
	/* a usage claiming more cached tokens (5) than input tokens (2) counts 2 cached: 0 × 1,000,000
	 * + 2 × 500,000 + 1 × 2,000,000 = 3,000,000 pUSD */
	struct step over[] = { { STATUS_OK, 2, 5, 1, -1, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "x", 1, 5), "{" ROUTES "\"routing\": {\"default\": \"small\"}}", over, 1,
	        BIG_CAP) == 0) {
		CHECK_INT(r.rec[0].att[0].cached_tok, 2);
		CHECK_INT(r.rec[0].cost_pusd, 3000000);
		CHECK_INT(r.lv.spent_pusd, 3000000);
	}
	run_done(&r);
}

static void live_cap_boundary(void)
{
	/* "abcd": worst case (4 bytes + 32) × 1,000,000 + 16 × 2,000,000 = 68,000,000 pUSD; each
	 * scripted answer (1 in, 1 out) costs 3,000,000.  With a cap of 71,000,000 the second call
	 * fits exactly (3,000,000 spent + 68,000,000 = 71,000,000); one pico-dollar less, it does not. */
	const char *two = LINE("00", "a", "t", "abcd", 1, 10) LINE("01", "a", "t", "abcd", 1, 10);
	const char *scen = "{" ROUTES "\"routing\": {\"default\": \"small\"}}";
	struct run r;
	if (run(&r, two, scen, NULL, 0, 71000000) == 0) {
		CHECK_INT(r.s.n_sent, 2);
		CHECK_INT(r.lv.stop, LIVE_RUNNING);
		CHECK_INT(r.lv.spent_pusd, 6000000);
	}
	run_done(&r);
	if (run(&r, two, scen, NULL, 0, 70999999) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.stop, LIVE_STOP_CAP);
		CHECK_INT(r.lv.refused_pusd, 68000000);
		CHECK_INT(r.lv.refused_at, 1);
		CHECK_INT(r.rec[1].outcome, LIVE_NOT_SENT);
		CHECK_INT(r.lv.counts.sent, 1);
	}
	run_done(&r);
	/* a timeout is spent at its worst case: 68,000,000, then the retry's 68,000,000 does not fit
	 * under 135,999,999 and the request is capped after its one call */
	struct step timeout[] = { { STATUS_TIMEOUT, 0, 0, 0, -1, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "abcd", 1, 10), "{" ROUTES "\"routing\": {\"default\": \"small\"}, "
	        "\"retry\": {\"backoff_ms\": 1}}", timeout, 1, 135999999) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.spent_pusd, 68000000);
		CHECK_INT(r.rec[0].outcome, LIVE_CAPPED);
		CHECK_INT(r.rec[0].cost_pusd, 0);
	}
	run_done(&r);
	/* the first refusal stops the run: "abcdefghij" (worst (10 + 32) × 1,000,000 + 16 × 2,000,000
	 * = 74,000,000; 3,000,000 + 74,000,000 > 71,000,000) is refused, and the "abcd" after it,
	 * which would fit (3,000,000 + 68,000,000 = 71,000,000), is not started */
	if (run(&r, LINE("00", "a", "t", "abcd", 1, 10) LINE("01", "a", "t", "abcdefghij", 1, 10)
	        LINE("02", "a", "t", "abcd", 1, 10), scen, NULL, 0, 71000000) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.stop, LIVE_STOP_CAP);
		CHECK_INT(r.lv.refused_pusd, 74000000);
		CHECK_INT(r.lv.refused_at, 1);
		CHECK_INT(r.rec[2].outcome, LIVE_NOT_SENT);
		CHECK_INT(r.lv.counts.sent, 1);
	}
	run_done(&r);
	/* a summary's worst case counts its instructions' bytes too: "a long text" is 11 bytes, the
	 * instructions for K = 25 ("Summarize the user's text in at most 25 tokens, keeping every fact
	 * needed to answer it.") 87: (11 + 87 + 32) × 1,000,000 + 25 × 2,000,000 = 180,000,000 */
	const char *summ = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"budget\": {\"t\": {\"input_max\": 50, "
	                   "\"output_max\": 30, \"overflow\": \"summarize\"}}, \"summarize\": {\"route\": \"small\", "
	                   "\"ratio\": 0.1}}";
	struct step gist[] = { { STATUS_OK, 250, 0, 12, -1, "the gist", 0 } };
	if (run(&r, LINE("00", "a", "t", "a long text", 250, 100), summ, gist, 1, 180000000) == 0) {
		CHECK(r.s.n_sent >= 1);
		CHECK(r.s.sent[0].summarize);
	}
	run_done(&r);
	if (run(&r, LINE("00", "a", "t", "a long text", 250, 100), summ, gist, 1, 179999999) == 0) {
		CHECK_INT(r.s.n_sent, 0);
		CHECK_INT(r.lv.stop, LIVE_STOP_CAP);
		CHECK_INT(r.lv.refused_pusd, 180000000);
		CHECK_INT(r.rec[0].outcome, LIVE_NOT_SENT);
	}
	run_done(&r);
}

static void live_cap_while_in_flight(void)
{
	/* two workers, two requests "abcd" (worst case 68,000,000 each, as above) under a cap of
	 * 100,000,000: whichever reserves second is refused, since the first call is still in flight
	 * (68,000,000 + 68,000,000 > 100,000,000), and no request starts after it; the first call then
	 * fails (a server error costs nothing) and its retry still goes: 0 spent + 68,000,000 fits.
	 * The retry answers 1 in, 1 out: 3,000,000 spent. */
	struct step st[] = { { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 } };
	const char *scen = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"retry\": {\"max_attempts\": 2, "
	                   "\"backoff_ms\": 1, \"on\": [\"server_error\"]}}";
	struct run r;
	hold_call = 1;
	if (run_on(&r, LINE("00", "a", "t", "abcd", 1, 10) LINE("01", "a", "t", "abcd", 1, 10), scen, st, 1, 100000000,
	           2) == 0) {
		CHECK_INT(r.s.n_sent, 2);
		CHECK_INT(r.lv.stop, LIVE_STOP_CAP);
		CHECK_INT(r.lv.refused_pusd, 68000000);
		CHECK_INT(r.lv.counts.outcome[LIVE_ANSWERED], 1);
		CHECK_INT(r.lv.counts.outcome[LIVE_NOT_SENT], 1);
		CHECK_INT(r.lv.counts.calls, 2);
		CHECK_INT(r.lv.counts.retries, 1);
		CHECK_INT(r.lv.spent_pusd, 3000000);
		CHECK_INT(r.lv.reserved_pusd, 0);
	}
	run_done(&r);
	/* the same, with Ctrl-C after the cap's refusal, before the held call's failure: the retry
	 * would fit, but no call starts after an interruption, whatever stopped the run first */
	interrupt_after_hold = 1;
	if (run_on(&r, LINE("00", "a", "t", "abcd", 1, 10) LINE("01", "a", "t", "abcd", 1, 10), scen, st, 1, 100000000,
	           2) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.stop, LIVE_STOP_CAP);
		CHECK_INT(r.lv.counts.calls, 1);
		CHECK_INT(r.lv.counts.outcome[LIVE_INTERRUPTED], 1);
	}
	interrupt_after_hold = 0;
	hold_call = 0;
	run_done(&r);
}

static void live_interrupted_between_calls(void)
{
	/* Ctrl-C while the first call is in flight: its retry is not sent (the request is
	 * "interrupted", the run stopped by the interruption, not by the cap), nor the next request */
	struct step st[] = { { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 } };
	const char *scen = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"retry\": {\"max_attempts\": 3, "
	                   "\"backoff_ms\": 1, \"on\": [\"server_error\"]}}";
	struct run r;
	interrupt_call = 1;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "t", "r", 1, 20), scen, st, 1, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.stop, LIVE_STOP_INTERRUPTED);
		CHECK_INT(r.rec[0].outcome, LIVE_INTERRUPTED);
		CHECK_INT(r.rec[1].outcome, LIVE_NOT_SENT);
	}
	run_done(&r);
	/* Ctrl-C ends a retry's wait: a Retry-After of 30 s is not slept through */
	struct step later[] = { { STATUS_SERVER_ERROR, 0, 0, 0, 30000000, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "q", 1, 20), scen, later, 1, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.s.slept, 0);
		CHECK_INT(r.rec[0].outcome, LIVE_INTERRUPTED);
	}
	interrupt_call = 0;
	run_done(&r);
}

static void live_reply_masks_the_key(void)
{
	/* a 401 whose message echoes a 60-byte key after 180 bytes of text: the message is cut at
	 * 200 bytes, inside the key, and neither the whole key nor the 20 bytes of it before the cut
	 * may show */
	char key[61], body[512];
	memset(key, 'k', 60);
	memcpy(key, "sk-proj-", 8);
	key[60] = 0;
	snprintf(body, sizeof body, "{\"error\": {\"message\": \"%0180d%s\", \"type\": \"invalid_request_error\"}}", 0, key);
	struct live_reply rep;
	memset(&rep, 0, sizeof rep);
	rep.retry_after_us = -1;
	openai_reply(401, body, key, &rep);
	CHECK(rep.fatal);
	CHECK(strstr(rep.msg, "sk-proj-") == NULL);
	CHECK(strstr(rep.msg, "[the key]") != NULL);
	/* a short echo, cut after 8 bytes of the key: masked too */
	snprintf(body, sizeof body, "{\"error\": {\"message\": \"%0192d%s\"}}", 0, key);
	memset(&rep, 0, sizeof rep);
	openai_reply(403, body, key, &rep);
	CHECK(strstr(rep.msg, "sk-proj-") == NULL);
	/* a 200 whose response failed, its message echoing the key across byte 200 (195 zeros, then
	 * the key's first 5 bytes "sk-pr" left when cut): masked before the cut, none of it shows */
	snprintf(body, sizeof body, "{\"status\": \"failed\", \"error\": {\"message\": \"%0195d%s\"}}", 0, key);
	memset(&rep, 0, sizeof rep);
	openai_reply(200, body, key, &rep);
	CHECK_INT(rep.status, STATUS_SERVER_ERROR);
	CHECK(strstr(rep.msg, "sk-pr") == NULL);
}

static void live_retry_waits(void)
{
	/* backoff 100 ms: the first retry waits for the longer Retry-After (250 ms), the second its
	 * backoff 100 × 2 = 200 ms: 450 ms slept, three calls on small-m, two of them retries */
	struct step st[] = { { STATUS_SERVER_ERROR, 0, 0, 0, 250000, NULL, 0 },
	                     { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 },
	                     { STATUS_OK, 2, 0, 2, -1, NULL, 0 } };
	const char *scen = "{" ROUTES "\"routing\": {\"default\": \"small\"}, "
	                   "\"retry\": {\"max_attempts\": 3, \"backoff_ms\": 100, \"on\": [\"server_error\"]}}";
	struct run r;
	if (run(&r, LINE("00", "a", "t", "q", 7, 20), scen, st, 3, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 3);
		CHECK_INT(r.s.slept, 450000);
		CHECK_INT(r.s.sent[1].at - r.s.sent[0].at, CALL_US + 250000);
		CHECK_INT(r.lv.counts.retries, 2);
		CHECK_INT(r.rec[0].outcome, LIVE_ANSWERED);
		CHECK_INT(r.rec[0].n_att, 3);
		CHECK_INT(r.rec[0].att[0].status, STATUS_SERVER_ERROR);
		CHECK_INT(r.rec[0].att[0].input_tok, 7); /* a failed call records the tokens it sent */
		CHECK_INT(r.rec[0].answer, 2);
	}
	run_done(&r);
	/* a Retry-After above 120 s is not waited for: the model gives up at once */
	struct step far[] = { { STATUS_RATE_LIMITED, 0, 0, 0, 120000001, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "q", 7, 20), "{" ROUTES "\"routing\": {\"default\": \"small\"}}", far, 1,
	        BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.rec[0].outcome, LIVE_FAILED);
	}
	run_done(&r);
	/* one of exactly 120 s is (the limit is "above 120 s"): 120,000,000 µs slept, then the retry */
	struct step at_limit[] = { { STATUS_RATE_LIMITED, 0, 0, 0, 120000000, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "q", 7, 20), "{" ROUTES "\"routing\": {\"default\": \"small\"}}", at_limit, 1,
	        BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 2);
		CHECK_INT(r.s.slept, 120000000);
		CHECK_INT(r.rec[0].outcome, LIVE_ANSWERED);
	}
	run_done(&r);
	/* a class outside retry.on is not retried */
	struct step bad[] = { { STATUS_INVALID_REQUEST, 0, 0, 0, -1, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "q", 7, 20), scen, bad, 1, BIG_CAP) == 0)
		CHECK_INT(r.s.n_sent, 1);
	run_done(&r);
}

static void live_fallback(void)
{
	/* small-m fails twice (max_attempts 2), large-m answers: one fallback */
	struct step st[] = { { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 },
	                     { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 },
	                     { STATUS_OK, 1, 0, 1, -1, NULL, 0 } };
	const char *scen = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"retry\": {\"max_attempts\": 2, "
	                   "\"backoff_ms\": 1}, \"fallback\": {\"chain\": [\"small\", \"large\"]}}";
	struct run r;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20), scen, st, 3, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 3);
		CHECK_STR(r.s.sent[1].model, "small-m");
		CHECK_STR(r.s.sent[2].model, "large-m");
		CHECK_INT(r.lv.counts.fallbacks, 1);
		CHECK_INT(r.lv.counts.retries, 1);
		CHECK_INT(r.rec[0].outcome, LIVE_ANSWERED);
		CHECK_INT(r.rec[0].cost_pusd, 10000000 + 20000000);
	}
	run_done(&r);
	/* every model fails: degraded for a task in degrade_tasks, failed for another */
	struct step fails[] = { { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 } };
	const char *degrade = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"retry\": {\"max_attempts\": 1}, "
	                      "\"fallback\": {\"chain\": [\"small\", \"large\"], \"degrade_tasks\": [\"t\"]}}";
	struct step all[] = { fails[0], fails[0], fails[0], fails[0] };
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "u", "q", 1, 20), degrade, all, 4, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 4);
		CHECK_INT(r.rec[0].outcome, LIVE_DEGRADED);
		CHECK_INT(r.rec[1].outcome, LIVE_FAILED);
	}
	run_done(&r);
}

static void live_cache(void)
{
	/* normalized to "hello world", the second request is a hit; the third ("other") is a call.
	 * The fourth asks "hello world" again at T0 + 2 s (two calls of a second before it; the hit
	 * took none): the entry stored at T0 + 1 s with a TTL of 1 s expires at that very instant,
	 * and an entry is a hit only before its expiry. */
	const char *lines = LINE("00", "a", "t", "Hello  World", 2, 20) LINE("01", "a", "t", "hello world", 2, 20)
	                    LINE("02", "a", "t", "other", 1, 20) LINE("03", "a", "t", "HELLO WORLD", 2, 20);
	const char *scen = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"cache\": {\"enabled\": true, "
	                   "\"normalize\": [\"lower\", \"collapse_space\"], \"ttl_s\": {\"small\": %d}}}";
	char s1[512];
	struct run r;
	snprintf(s1, sizeof s1, scen, 1);
	if (run(&r, lines, s1, NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.rec[1].outcome, LIVE_CACHE_HIT);
		CHECK_INT(r.rec[1].n_att, 0);
		CHECK_INT(r.rec[3].outcome, LIVE_ANSWERED);
		CHECK_INT(r.s.n_sent, 3);
	}
	run_done(&r);
	/* with a TTL of 60 s it is still there */
	snprintf(s1, sizeof s1, scen, 60);
	if (run(&r, lines, s1, NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.rec[3].outcome, LIVE_CACHE_HIT);
		CHECK_INT(r.s.n_sent, 2);
		CHECK_INT(r.lv.counts.outcome[LIVE_CACHE_HIT], 2);
	}
	run_done(&r);
	/* a TTL runs from the answer, not from the request's start: with 2 s, the entry stored at
	 * T0 + 1 s (the first call's end) expires at T0 + 3 s, after the fourth request's T0 + 2 s
	 * (from its start at T0 it would expire at T0 + 2 s, that very instant) */
	snprintf(s1, sizeof s1, scen, 2);
	if (run(&r, lines, s1, NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.rec[3].start_us, T0 + 2 * CALL_US);
		CHECK_INT(r.rec[3].outcome, LIVE_CACHE_HIT);
		CHECK_INT(r.s.n_sent, 2);
	}
	run_done(&r);
}

static void live_budgets(void)
{
	/* truncate: input_max 1 → 4 bytes of "aéééé" (a, then two-byte é's): byte 4 is inside the
	 * second é, so the cut is "aé" (3 bytes); output_max 30 is max_output_tokens */
	const char *budget = "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"budget\": {\"t\": {\"input_max\": %d, "
	                     "\"output_max\": 30, \"overflow\": \"%s\"}}, \"summarize\": {\"route\": \"small\", "
	                     "\"ratio\": 0.1}}";
	char s1[512];
	struct run r;
	snprintf(s1, sizeof s1, budget, 1, "truncate");
	if (run(&r, LINE("00", "a", "t", "a\u00e9\u00e9\u00e9\u00e9", 5, 100), s1, NULL, 0, BIG_CAP) == 0) {
		CHECK_STR(r.s.sent[0].input, "a\u00e9");
		CHECK_INT(r.s.sent[0].max_out, 30);
		CHECK_STR(r.rec[0].sent, "a\u00e9"); /* the record keeps what was sent */
		CHECK(r.rec[0].output == NULL);      /* the script's answer had no text */
	}
	run_done(&r);
	/* reject: nothing sent */
	snprintf(s1, sizeof s1, budget, 1, "reject");
	if (run(&r, LINE("00", "a", "t", "abc", 5, 100), s1, NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 0);
		CHECK_INT(r.rec[0].outcome, LIVE_REJECTED);
	}
	run_done(&r);
	/* summarize: 250 tokens over input_max 50: K = max(16, min(50, ⌈250 × 0.1⌉ = 25)) = 25; the
	 * main call sends the summary's text, with output_max 30 */
	struct step st[] = { { STATUS_OK, 250, 0, 12, -1, "the gist", 0 }, { STATUS_OK, 12, 0, 9, -1, "fine", 0 } };
	snprintf(s1, sizeof s1, budget, 50, "summarize");
	if (run(&r, LINE("00", "a", "t", "a long text", 250, 100), s1, st, 2, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 2);
		CHECK(r.s.sent[0].summarize);
		CHECK_INT(r.s.sent[0].max_out, 25);
		CHECK(!r.s.sent[1].summarize);
		CHECK_STR(r.s.sent[1].input, "the gist");
		CHECK_INT(r.s.sent[1].max_out, 30);
		CHECK_STR(r.rec[0].sent, "the gist");
		CHECK_STR(r.rec[0].output, "fine");
		CHECK_INT(r.rec[0].outcome, LIVE_ANSWERED);
		CHECK_INT(r.rec[0].answer, 1);
	}
	run_done(&r);
	/* a summary that fails is not fallen back from: the request is unanswered */
	struct step fail[] = { { STATUS_INVALID_REQUEST, 0, 0, 0, -1, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "a long text", 250, 100), s1, fail, 1, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.rec[0].outcome, LIVE_FAILED);
		CHECK_INT(r.rec[0].att[0].input_tok, 250); /* the whole text was sent: its recorded tokens */
	}
	run_done(&r);
	/* a main call that fails after a summary records the summary's 12 tokens as those it sent */
	struct step then_fail[] = { st[0], { STATUS_INVALID_REQUEST, 0, 0, 0, -1, NULL, 0 } };
	if (run(&r, LINE("00", "a", "t", "a long text", 250, 100), s1, then_fail, 2, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 2);
		CHECK_INT(r.rec[0].outcome, LIVE_FAILED);
		CHECK_INT(r.rec[0].att[1].input_tok, 12);
	}
	run_done(&r);
}

static void live_fatal_stops(void)
{
	/* the key refused on the first call: nothing else is sent */
	struct step st[] = { { STATUS_INVALID_REQUEST, 0, 0, 0, -1, NULL, 1 } };
	struct run r;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "t", "r", 1, 20),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}}", st, 1, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.stop, LIVE_STOP_FATAL);
		CHECK_STR(r.lv.why, "HTTP 401");
		CHECK_INT(r.rec[0].outcome, LIVE_FAILED);
		CHECK_INT(r.rec[1].outcome, LIVE_NOT_SENT);
	}
	run_done(&r);
}

static void live_retry_after_headers(void)
{
	/* retry-after-ms in milliseconds, retry-after in seconds, either in any case; the -ms one
	 * wins whichever comes first */
	static const struct { const char *lines[2]; int64_t us; } cases[] = {
		{ { "retry-after-ms: 250\r\n", NULL }, 250000 },
		{ { "Retry-After-Ms: 250\r\n", NULL }, 250000 },
		{ { "retry-after: 2\r\n", NULL }, 2000000 },
		{ { "Retry-After: 1.5\r\n", NULL }, 1500000 },
		{ { "retry-after-ms: 400\r\n", "retry-after: 2\r\n" }, 400000 },
		{ { "retry-after: 2\r\n", "retry-after-ms: 400\r\n" }, 400000 },
		{ { "x-retry-after: 2\r\n", NULL }, -1 },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		int64_t us = -1;
		for (int j = 0; j < 2 && cases[k].lines[j]; j++)
			openai_header(cases[k].lines[j], strlen(cases[k].lines[j]), &us);
		CHECK_INT(us, cases[k].us);
	}
	/* an HTTP date: the wait until then (100 s ahead here, read within 2 s of now), 0 once
	 * it is past; still after a -ms header */
	char line[128], date[64];
	time_t ahead = time(NULL) + 100;
	struct tm tm;
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&ahead, &tm));
	snprintf(line, sizeof line, "Retry-After: %s\r\n", date);
	int64_t us = -1;
	openai_header(line, strlen(line), &us);
	CHECK(us > 97000000 && us <= 100000000);
	us = -1;
	static const char past[] = "retry-after: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
	openai_header(past, strlen(past), &us);
	CHECK_INT(us, 0);
	us = 250000;
	openai_header(line, strlen(line), &us);
	CHECK_INT(us, 250000);
}

static void live_reply_utf8(void)
{
	/* an answer (and id) that is not UTF-8 (Latin-1 "caf\xe9", a sequence cut short) is made
	 * UTF-8: each byte that begins no valid sequence becomes U+FFFD (EF BF BD), so that the
	 * record stays JSON: "caf" EF BF BD; "ok" EF BF BD EF BF BD (E2 and 82, one each) */
	static const char body[] = "{\"id\": \"resp_\xe9\", \"output\": [{\"content\": [{\"type\": \"output_text\", "
	                           "\"text\": \"caf\xe9 \"}, {\"text\": \"ok\xe2\x82\"}]}], "
	                           "\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}";
	struct live_reply rep;
	memset(&rep, 0, sizeof rep);
	openai_reply(200, body, NULL, &rep);
	CHECK_INT(rep.status, STATUS_OK);
	CHECK_STR(rep.text, "caf\xef\xbf\xbd ok\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_INT(rep.text_len, 15);
	CHECK_STR(rep.id, "resp_\xef\xbf\xbd");
	free(rep.text);
	/* an id longer than 63 bytes is cut at a character's boundary: 62 × "a", then "é" (2
	 * bytes) would end at byte 64; cut before it */
	char long_id[256];
	snprintf(long_id, sizeof long_id, "{\"id\": \"%062d\xc3\xa9\", \"usage\": {\"input_tokens\": 1, "
	         "\"output_tokens\": 1}}", 0);
	memset(&rep, 0, sizeof rep);
	openai_reply(200, long_id, NULL, &rep);
	CHECK_INT(strlen(rep.id), 62);
	free(rep.text);
}

static void live_timeout_recorded_as_billed(void)
{
	/* a timed-out call is recorded with the tokens it sent (the request's 3) and the output it
	 * was allowed (max_output_tokens 40), as SPEC §10's `full` billing of a timeout prices it;
	 * a server error with no output.  The retry after the timeout answers; the server error's
	 * request has max_output_tokens 16 (its recorded 5, raised) */
	struct step st[] = { { STATUS_TIMEOUT, 0, 0, 0, -1, NULL, 0 }, { STATUS_OK, 3, 0, 5, -1, NULL, 0 },
	                     { STATUS_SERVER_ERROR, 0, 0, 0, -1, NULL, 0 } };
	struct run r;
	if (run(&r, LINE("00", "a", "t", "hello world", 3, 40) LINE("01", "a", "t", "x", 3, 5),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}, \"retry\": {\"max_attempts\": 2, "
	        "\"on\": [\"timeout\"]}}", st, 3, BIG_CAP) == 0) {
		CHECK_INT(r.rec[0].n_att, 2);
		CHECK_INT(r.rec[0].att[0].status, STATUS_TIMEOUT);
		CHECK_INT(r.rec[0].att[0].input_tok, 3);
		CHECK_INT(r.rec[0].att[0].output_tok, 40);
		CHECK_INT(r.rec[1].att[0].status, STATUS_SERVER_ERROR);
		CHECK_INT(r.rec[1].att[0].output_tok, 0);
	}
	run_done(&r);
}

/* An HTTP 200 body the reply cannot be taken from, and what its server_error says. */
struct bad_reply {
	const char *body, *msg;
};

/* Each of the n bodies reads as a server_error that says its msg. */
static void check_server_errors(const struct bad_reply *bad, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct live_reply rep;
		memset(&rep, 0, sizeof rep);
		openai_reply(200, bad[k].body, NULL, &rep);
		CHECK_INT(rep.status, STATUS_SERVER_ERROR);
		CHECK_STR(rep.msg, bad[k].msg);
		free(rep.text);
	}
}

static void live_reply_without_usage(void)
{
	/* a 200 is priced from its usage's input_tokens and output_tokens: without both as numbers
	 * (an empty usage, null, a string) it has no usage, a server_error, never an answer at $0 */
	static const struct { const char *body; enum status status; } cases[] = {
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}", STATUS_OK },
		{ "{\"usage\": {\"input_tokens\": 0, \"output_tokens\": 0}}", STATUS_OK },
		{ "{\"output\": []}", STATUS_SERVER_ERROR },
		{ "{\"usage\": {}}", STATUS_SERVER_ERROR },
		{ "{\"usage\": {\"input_tokens\": null, \"output_tokens\": \"20\"}}", STATUS_SERVER_ERROR },
		{ "{\"usage\": {\"input_tokens\": 3}}", STATUS_SERVER_ERROR },
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct live_reply rep;
		memset(&rep, 0, sizeof rep);
		openai_reply(200, cases[k].body, NULL, &rep);
		if (rep.status != cases[k].status)
			TEST_FAIL_("%s: status %d, want %d", cases[k].body, (int)rep.status, (int)cases[k].status);
		if (rep.status != STATUS_OK)
			CHECK_STR(rep.msg, "HTTP 200 without a usage");
		free(rep.text);
	}
	/* a body that is not JSON (a proxy's page, a body cut short) or none: a server_error too,
	 * said so rather than "without a usage" */
	static const struct bad_reply bad[] = {
		{ "<html><body>Bad gateway</body></html>", "HTTP 200 with a body that is not JSON" },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4", "HTTP 200 with a body that is not JSON" },
		{ "", "HTTP 200 with an empty body" },
		/* a failed response (formats.md §1: status "failed" with an error object), with a usage
		 * or not: said so, with the error's message when it has one */
		{ "{\"status\": \"failed\", \"error\": {\"code\": \"server_error\", \"message\": \"The model broke.\"},"
		  " \"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}", "HTTP 200 with status \"failed\": The model broke." },
		{ "{\"status\": \"failed\", \"error\": null}", "HTTP 200 with status \"failed\"" },
	};
	check_server_errors(bad, sizeof bad / sizeof bad[0]);
}

static void live_unreached_stops(void)
{
	/* the first call reaches no server (its transport says so: refused, TLS not set up): the
	 * run stops there, as for a key refused, and the call is not one: no attempt recorded, no
	 * call counted, no spend, its worst case off the books; no later request starts */
	struct run r;
	unsent_call = 1;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "t", "r", 1, 20),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}}", NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.lv.stop, LIVE_STOP_FATAL);
		CHECK_STR(r.lv.why, "cannot reach the server");
		CHECK_INT(r.rec[0].n_att, 0);
		CHECK_INT(r.rec[0].outcome, LIVE_NOT_SENT);
		CHECK_INT(r.rec[1].outcome, LIVE_NOT_SENT);
		CHECK_INT(r.lv.counts.calls, 0);
		CHECK_INT(r.lv.failed[STATUS_SERVER_ERROR], 0);
		CHECK_INT(r.lv.spent_pusd, 0);
		CHECK_INT(r.lv.reserved_pusd, 0);
	}
	unsent_call = 0;
	run_done(&r);
}

static void live_unreached_first_stops(void)
{
	/* no connection at the first call (not fatal in itself): the server was never reached, so
	 * the set-up is taken to be wrong and the run stops at once, no wait, no second try */
	struct run r;
	unreached_from = unreached_to = 1;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "t", "r", 1, 20),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}}", NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 1);
		CHECK_INT(r.s.slept, 0);
		CHECK_INT(r.lv.stop, LIVE_STOP_FATAL);
		CHECK_STR(r.lv.why, "no connection");
		CHECK_INT(r.lv.counts.calls, 0);
	}
	unreached_from = unreached_to = 0;
	run_done(&r);
}

static void live_unreached_mid_run_retried(void)
{
	/* the first request answers (call 1: the server is reached); the second's connection fails
	 * twice (calls 2 and 3), tried again after 0.5 s and then 1 s: slept 1,500,000 µs, and its
	 * third try (call 4) answers.  The two tries that reached nothing are no calls: 2 calls, no
	 * retry, one attempt recorded; spent 2 × (1 × 1,000,000 + 1 × 2,000,000) = 6,000,000 pUSD */
	struct run r;
	unreached_from = 2;
	unreached_to = 3;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "t", "r", 1, 20),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}}", NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 4);
		CHECK_INT(r.s.slept, 1500000);
		CHECK_INT(r.lv.stop, LIVE_RUNNING);
		CHECK_INT(r.rec[1].outcome, LIVE_ANSWERED);
		CHECK_INT(r.rec[1].n_att, 1);
		CHECK_INT(r.lv.counts.calls, 2);
		CHECK_INT(r.lv.counts.retries, 0);
		CHECK_INT(r.lv.spent_pusd, 6000000);
		CHECK_INT(r.lv.reserved_pusd, 0);
	}
	unreached_from = unreached_to = 0;
	run_done(&r);
}

static void live_unreached_mid_run_gives_up(void)
{
	/* as above, but calls 2 to 5 all find no connection: the try and its 3 more after 0.5, 1 and
	 * 2 s (slept 3,500,000 µs); then the run stops (fatal), the second request with no call
	 * (not sent), the third never started; spent the first answer's 3,000,000 pUSD only */
	struct run r;
	unreached_from = 2;
	unreached_to = 5;
	if (run(&r, LINE("00", "a", "t", "q", 1, 20) LINE("01", "a", "t", "r", 1, 20) LINE("02", "a", "t", "s", 1, 20),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}}", NULL, 0, BIG_CAP) == 0) {
		CHECK_INT(r.s.n_sent, 5);
		CHECK_INT(r.s.slept, 3500000);
		CHECK_INT(r.lv.stop, LIVE_STOP_FATAL);
		CHECK_STR(r.lv.why, "no connection (tried again 3 times over 3.5 s)");
		CHECK_INT(r.rec[1].n_att, 0);
		CHECK_INT(r.rec[1].outcome, LIVE_NOT_SENT);
		CHECK_INT(r.rec[2].outcome, LIVE_NOT_SENT);
		CHECK_INT(r.lv.counts.calls, 1);
		CHECK_INT(r.lv.spent_pusd, 3000000);
		CHECK_INT(r.lv.reserved_pusd, 0);
	}
	unreached_from = unreached_to = 0;
	run_done(&r);
}

static void live_usage_over_worst_case(void)
{
	/* "abcd"'s worst case: (4 bytes + 32) × 1,000,000 + 16 × 2,000,000 = 68,000,000 pUSD; an
	 * answer of 1 in / 100 out (past max_output_tokens 16) costs 1,000,000 + 200,000,000 =
	 * 201,000,000: counted as spent, and noted as over its worst case; the second request's
	 * answer (1 / 1: 3,000,000) is not */
	struct step st[] = { { STATUS_OK, 1, 0, 100, -1, NULL, 0 }, { STATUS_OK, 1, 0, 1, -1, NULL, 0 } };
	struct run r;
	if (run(&r, LINE("00", "a", "t", "abcd", 1, 5) LINE("01", "a", "t", "abcd", 1, 5),
	        "{" ROUTES "\"routing\": {\"default\": \"small\"}}", st, 2, BIG_CAP) == 0) {
		CHECK_INT(r.lv.spent_pusd, 204000000);
		CHECK_INT(r.lv.n_over, 1);
		CHECK_INT(r.lv.over_at, 0);
		CHECK_INT(r.lv.over_pusd, 201000000);
		CHECK_INT(r.lv.over_worst_pusd, 68000000);
	}
	run_done(&r);
}

/* An amount beside the cap: rounded up to the micro-dollar, or to the cap's last decimal when it
 * has more, so that an amount within the cap never reads above it (before: always to the
 * micro-dollar, a spend of $0.0000412 read "$0.000042" beside a $0.0000416 cap). */
static void live_usd_beside_the_cap(void)
{
	char b[LIVE_USD_TEXT];
	/* cap $0.0000416 = 41,600,000 pUSD, 7 decimals: 41,200,000 → 412 tenth-micro-dollars */
	CHECK_STR(live_usd_text(b, 41200000, 41600000), "$0.0000412");
	CHECK_STR(live_usd_text(b, 41600000, 41600000), "$0.0000416");
	/* a pUSD past the cap reads past it: 416.00001 rounded up to 417 */
	CHECK_STR(live_usd_text(b, 41600001, 41600000), "$0.0000417");
	/* no trailing zero past the sixth decimal: 41,000,000 at 7 decimals is 0.0000410 */
	CHECK_STR(live_usd_text(b, 41000000, 41600000), "$0.000041");
	CHECK_STR(live_usd_text(b, 0, 41600000), "$0.000000");
	/* a cap of whole micro-dollars ($1, $0.000216): micro-dollars, rounded up */
	CHECK_STR(live_usd_text(b, 42400000, INT64_C(1000000000000)), "$0.000043");
	CHECK_STR(live_usd_text(b, 60000000, 216000000), "$0.000060");
	/* a cap to the pUSD ($0.000255999999, 12 decimals): 80,000,000 is 0.000080000000, cut to
	 * six decimals; 1,234,567 pUSD is 0.000001234567 whole */
	CHECK_STR(live_usd_text(b, 80000000, 255999999), "$0.000080");
	CHECK_STR(live_usd_text(b, 1234567, 255999999), "$0.000001234567");
	/* the largest amount: 9,223,372,036,854,775,807 pUSD, up to 9,223,372,036,855 µUSD */
	CHECK_STR(live_usd_text(b, INT64_MAX, INT64_C(1000000000000)), "$9223372.036855");
	CHECK_STR(live_usd_text(b, INT64_MAX, 1), "$9223372.036854775807");
}

static void live_url_safe(void)
{
	/* the key goes over https anywhere, over plain http only to this machine: the host curl
	 * connects to, not the text the URL starts with (before, "http://127.0.0.1:x@127.0.0.2/"
	 * passed: 127.0.0.1:x is a user name and password there, the host is 127.0.0.2) */
	static const struct { const char *url; int safe; } cases[] = {
		{ "https://api.openai.com/v1", 1 },
		{ "HTTPS://example.com/v1", 1 },
		{ "http://127.0.0.1:8080/v1", 1 },
		{ "http://[::1]:8080/v1", 1 },
		{ "http://localhost/v1", 1 },
		{ "http://LOCALHOST:1/", 1 },
		{ "http://example.com/v1", 0 },
		{ "http://127.0.0.1:x@127.0.0.2:8080/v1", 0 },
		{ "http://[::1]:x@example.com/v1", 0 },
		{ "http://localhost:x@example.com/v1", 0 },
		{ "http://127.0.0.1@example.com/v1", 0 },
		{ "http://127.0.0.1.example.com/v1", 0 },
		{ "http://localhostx/v1", 0 },
		{ "ftp://127.0.0.1/v1", 0 },
		{ "127.0.0.1:8080/v1", 0 },
	};
	char buf[256];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		if ((openai_url_problem(cases[k].url, buf, sizeof buf) == NULL) != cases[k].safe)
			TEST_FAIL_("%s: expected %d", cases[k].url, cases[k].safe);
}

static void live_url_problems(void)
{
	/* what is wrong with a base URL is said (before, each of these was "the key would cross the
	 * network unencrypted"), and a query or a fragment is refused: "/responses" would be added
	 * after it ("…/v1?token=abc/responses") */
	static const struct { const char *url, *why; } cases[] = {
		{ "127.0.0.1:8080/v1", "it has no scheme" },
		{ "not a url", "it has no scheme" },
		{ "ftp://127.0.0.1/v1", "its scheme ftp is not one live takes" },
		{ "file:///etc/passwd", "its scheme file is not one live takes" },
		{ "http://127.0.0.1:1/v1?token=abc", "it has a query or a fragment" },
		{ "https://api.example.com/v1#x", "it has a query or a fragment" },
		{ "http://127.0.0.1:1/v1?", "it has a query or a fragment" },
		{ "http://example.com/v1", "the key would cross the network unencrypted" },
		{ "https://", "it is not a URL that curl can read" },
	};
	char buf[256];
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const char *why = openai_url_problem(cases[k].url, buf, sizeof buf);
		if (!why || strncmp(why, cases[k].why, strlen(cases[k].why)) != 0)
			TEST_FAIL_("%s: got \"%s\", want \"%s…\"", cases[k].url, why ? why : "(none)", cases[k].why);
	}
	CHECK(openai_url_problem("http://127.0.0.1:8080/v1", buf, sizeof buf) == NULL);
	CHECK(openai_url_problem("HTTPS://api.openai.com/v1/", buf, sizeof buf) == NULL);
	/* shown without a user name or password (before, "cannot reach" printed hunter2) */
	static const struct { const char *url, *shown; } shown[] = {
		{ "http://user:hunter2@127.0.0.1:1/v1", "http://\xe2\x80\xa6@127.0.0.1:1/v1" },
		{ "http://a@b@127.0.0.1/v1/x@y", "http://\xe2\x80\xa6@127.0.0.1/v1/x@y" },
		{ "user:pw@127.0.0.1:1/v1", "\xe2\x80\xa6@127.0.0.1:1/v1" },
		{ "https://api.openai.com/v1", "https://api.openai.com/v1" },
		{ "http://127.0.0.1/v1\r\nX: y", "http://127.0.0.1/v1??X: y" },
	};
	for (size_t k = 0; k < sizeof shown / sizeof shown[0]; k++) {
		openai_url_shown(shown[k].url, buf, sizeof buf);
		CHECK_STR(buf, shown[k].shown);
	}
	openai_url_shown("http://127.0.0.1:1/v1", buf, 10); /* cut to fit */
	CHECK_STR(buf, "http://12"); /* 9 bytes and the NUL */
}

static void live_key_problems(void)
{
	/* a key the Authorization header cannot carry as it is: said without the key (before, a CR LF
	 * in it added a header line, a Windows file's \r was sent, and "  " went as "Bearer   ") */
	char buf[256];
	const char *why = openai_key_problem("sk-abc\r\nX-Evil: 1", buf, sizeof buf);
	CHECK_STR(why, "OPENAI_API_KEY holds a carriage return (byte 7 of its 17), which would go into the "
	          "request's headers as it is");
	why = openai_key_problem("sk-abc\r", buf, sizeof buf);
	CHECK_STR(why, "OPENAI_API_KEY holds a carriage return (byte 7 of its 7), which would go into the "
	          "request's headers as it is (a key file with Windows line endings leaves one at its end)");
	why = openai_key_problem("sk-abc\n", buf, sizeof buf);
	CHECK(why && strstr(why, "a line feed (byte 7 of its 7)"));
	why = openai_key_problem("sk\x7f", buf, sizeof buf);
	CHECK(why && strstr(why, "a control character (byte 3 of its 3)"));
	CHECK_STR(openai_key_problem("  ", buf, sizeof buf), "OPENAI_API_KEY is only spaces");
	CHECK(openai_key_problem("sk-test-1234", buf, sizeof buf) == NULL);
	/* and openai_init refuses it too: never sent */
	struct openai o;
	struct err e = { "" };
	CHECK(openai_init(&o, "http://127.0.0.1:1/v1", "sk\r\nX: 1", &e) < 0);
	CHECK(strstr(e.msg, "carriage return") != NULL);
	openai_fini(&o);
}

static void live_reply_usage_range(void)
{
	/* a usage read as a trace line's counts are (SPEC §10): an integer from 0 to 4294967295
	 * (100.0 is 100); else the 200 is a server_error saying which count, as one without a usage
	 * (before: 2^32 and 4e12 were counted and recorded, a line `replay` rejects; 2.5 was 2) */
	static const struct bad_reply bad[] = {
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4294967296}}",
		  "HTTP 200 with a usage a trace cannot hold: output_tokens is 4294967296, not an integer from 0 to 4294967295" },
		{ "{\"usage\": {\"input_tokens\": 4000000000000, \"output_tokens\": 4}}",
		  "HTTP 200 with a usage a trace cannot hold: input_tokens is 4000000000000, not an integer from 0 to 4294967295" },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 2.5}}",
		  "HTTP 200 with a usage a trace cannot hold: output_tokens is 2.5, not an integer from 0 to 4294967295" },
		{ "{\"usage\": {\"input_tokens\": -1, \"output_tokens\": 4}}",
		  "HTTP 200 with a usage a trace cannot hold: input_tokens is -1, not an integer from 0 to 4294967295" },
		{ "{\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4, \"input_tokens_details\": {\"cached_tokens\": 1.5}}}",
		  "HTTP 200 with a usage a trace cannot hold: input_tokens_details.cached_tokens is 1.5, not an integer "
		  "from 0 to 4294967295" },
	};
	check_server_errors(bad, sizeof bad / sizeof bad[0]);
	/* 100.0 is 100, and 4294967295 the most */
	struct live_reply rep;
	memset(&rep, 0, sizeof rep);
	openai_reply(200, "{\"usage\": {\"input_tokens\": 100.0, \"output_tokens\": 4294967295, "
	             "\"input_tokens_details\": {\"cached_tokens\": 50.0}}}", NULL, &rep);
	CHECK_INT(rep.status, STATUS_OK);
	CHECK_INT(rep.input_tok, 100);
	CHECK_INT(rep.output_tok, 4294967295);
	CHECK_INT(rep.cached_tok, 50);
	free(rep.text);
}

static void live_reply_text_masks_the_key(void)
{
	/* an answer, or its id, that echoes the key is recorded with it masked, as a message is
	 * (before: in clear in the record's output) */
	static const char key[] = "sk-test-SECRET-0123456789";
	static const char body[] = "{\"id\": \"resp_sk-test-SECRET-0123456789\", \"output\": [{\"content\": "
	                           "[{\"type\": \"output_text\", \"text\": \"your key is sk-test-SECRET-0123456789, "
	                           "twice: sk-test-SECRET-0123456789\"}]}], "
	                           "\"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}";
	struct live_reply rep;
	memset(&rep, 0, sizeof rep);
	openai_reply(200, body, key, &rep);
	CHECK_INT(rep.status, STATUS_OK);
	CHECK_STR(rep.text, "your key is [the key], twice: [the key]");
	CHECK_INT(rep.text_len, strlen("your key is [the key], twice: [the key]"));
	CHECK_STR(rep.id, "resp_[the key]");
	free(rep.text);
	/* an answer that ends in the key's first 10 bytes (cut to length): they become the mask */
	static const char cut[] = "{\"output\": [{\"content\": [{\"type\": \"output_text\", \"text\": "
	                          "\"ends in sk-test-SE\"}]}], \"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}";
	memset(&rep, 0, sizeof rep);
	openai_reply(200, cut, key, &rep);
	CHECK_STR(rep.text, "ends in [the key]");
	free(rep.text);
	/* a key under 8 bytes (a fake server's "a") leaves an answer as it is: its every "a" would
	 * rather be a letter of the text than the key (before: "[n [nswer") */
	static const char short_key[] = "{\"output\": [{\"content\": [{\"type\": \"output_text\", \"text\": "
	                                "\"an answer\"}]}], \"usage\": {\"input_tokens\": 3, \"output_tokens\": 4}}";
	memset(&rep, 0, sizeof rep);
	openai_reply(200, short_key, "a", &rep);
	CHECK_STR(rep.text, "an answer");
	free(rep.text);
}

static void live_routes_by_name(void)
{
	/* the first rule that holds wins; tested on the request as recorded */
	struct err e;
	struct scenario sc;
	if (scenario_parse("{" ROUTES "\"routing\": {\"default\": \"small\", \"rules\": ["
	                   "{\"when\": {\"tenant\": \"vip\"}, \"route\": \"large\"},"
	                   "{\"when\": {\"difficulty\": \"hard\", \"task\": \"t\"}, \"route\": \"large\"},"
	                   "{\"when\": {\"input_tokens_gt\": 100, \"input_tokens_lt\": 200}, \"route\": \"large\"}]}}",
	                   "test.json", "fixtures/tests", &sc, &e) < 0) {
		TEST_FAIL_("%s", e.msg);
		return;
	}
	int small = scenario_route_index(&sc, "small"), large = scenario_route_index(&sc, "large");
	CHECK_INT(scenario_route_for(&sc, "t", "vip", DIFFICULTY_NONE, 1), large);
	CHECK_INT(scenario_route_for(&sc, "t", "a", DIFFICULTY_HARD, 1), large);
	CHECK_INT(scenario_route_for(&sc, "u", "a", DIFFICULTY_HARD, 1), small);
	CHECK_INT(scenario_route_for(&sc, "t", "a", DIFFICULTY_EASY, 1), small);
	CHECK_INT(scenario_route_for(&sc, "u", "a", DIFFICULTY_NONE, 100), small); /* gt is strict */
	CHECK_INT(scenario_route_for(&sc, "u", "a", DIFFICULTY_NONE, 101), large);
	CHECK_INT(scenario_route_for(&sc, "u", "a", DIFFICULTY_NONE, 200), small); /* and lt */
	scenario_fini(&sc);
}

void suite_live(void)
{
	RUN(live_answer_and_cost);
	RUN(live_cap_boundary);
	RUN(live_cap_while_in_flight);
	RUN(live_interrupted_between_calls);
	RUN(live_reply_masks_the_key);
	RUN(live_retry_waits);
	RUN(live_fallback);
	RUN(live_cache);
	RUN(live_budgets);
	RUN(live_fatal_stops);
	RUN(live_retry_after_headers);
	RUN(live_routes_by_name);
	RUN(live_url_safe);
	RUN(live_url_problems);
	RUN(live_key_problems);
	RUN(live_reply_usage_range);
	RUN(live_reply_text_masks_the_key);
	RUN(live_reply_utf8);
	RUN(live_timeout_recorded_as_billed);
	RUN(live_reply_without_usage);
	RUN(live_unreached_stops);
	RUN(live_unreached_first_stops);
	RUN(live_unreached_mid_run_retried);
	RUN(live_unreached_mid_run_gives_up);
	RUN(live_usage_over_worst_case);
	RUN(live_usd_beside_the_cap);
}
