/*
 * Scenarios as data: the defaults of SPEC §10 (scenario_init), the key table
 * that describes every key a scenario file may hold (its type, bounds, where
 * the value is stored and its help line), the lookups the engine uses, and the
 * exact recovery of a decimal from a JSON parser's double.  Pure C: the JSON
 * side of loading is traces/scenario*.c.
 */
#include "sim/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/decimal.h"
#include "sim/money.h"

const char *const scenario_mode_names[] = { "simulate", "recorded", NULL };
const char *const scenario_eviction_names[] = { "lru", "fifo", NULL };
const char *const scenario_overflow_names[] = { "truncate", "summarize", "async", "reject", NULL };
const char *const scenario_billing_names[] = { "full", "input", "none", NULL };
const char *const scenario_cache_part_names[] = { "tenant", "task", "policy_version", "input", NULL };
const char *const scenario_normalize_names[] = { "lower", "strip_punct", "collapse_space", NULL };
/* Error classes without "ok": names[i] is enum status i + 1. */
static const char *const failure_names[] = {
	"timeout", "rate_limited", "server_error", "invalid_request", "content_filter",
	"context_length", NULL
};
static const char *const difficulty_names[] = { "easy", "hard", NULL };

/* SKEY_ENUM and SKEY_BOOL store through an int *: every enum field they fill must be int-sized. */
_Static_assert(sizeof(enum scenario_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum eviction) == sizeof(int), "enum size");
_Static_assert(sizeof(enum overflow) == sizeof(int), "enum size");
_Static_assert(sizeof(enum billing) == sizeof(int), "enum size");
_Static_assert(sizeof(enum status) == sizeof(int), "enum size");
_Static_assert(sizeof(enum tier) == sizeof(int), "enum size");
/* Names tables below map names[i] to these values. */
_Static_assert(NORMALIZE_LOWER == 1u << 0 && NORMALIZE_STRIP_PUNCT == 1u << 1 &&
               NORMALIZE_COLLAPSE_SPACE == 1u << 2, "scenario_normalize_names order");
_Static_assert(DIFFICULTY_EASY == 1 && DIFFICULTY_HARD == 2, "difficulty_names + 1");

#define US_PER_S INT64_C(1000000)
#define US_PER_MS INT64_C(1000)
/* The largest integer a JSON number gives exactly: from 2^53 on, integers written apart read
 * as one double (9007199254740993 as 2^53), so a seed would change without a word. */
#define INT_JSON_MAX ((INT64_C(1) << 53) - 1)
/* The longest duration a key may give: 10^10 s (317 years), so that any trace time plus a
 * few of them stays far inside int64 microseconds. */
#define S_MAX INT64_C(10000000000)
#define MS_MAX (S_MAX * 1000)
#define NOF SKEY_NO_FLAG
#define TRANSIENT (STATUS_BIT(STATUS_TIMEOUT) | STATUS_BIT(STATUS_RATE_LIMITED) | \
                   STATUS_BIT(STATUS_SERVER_ERROR))

static struct decfrac frac(int64_t num, int64_t den)
{
	return (struct decfrac){ .value = (double)num / (double)den, .num = num, .den = den,
	                         .ppb = num * (INT64_C(1000000000) / den) };
}

static void route_init(void *p)
{
	struct route *r = p;
	r->model_idx = -1;
}

static void rule_init(void *p)
{
	struct routing_rule *r = p;
	r->difficulty = DIFFICULTY_NONE;
	r->input_tokens_gt = -1;
	r->input_tokens_lt = -1;
	r->route = ROUTE_RECORDED;
}

static void budget_init(void *p)
{
	struct budget_policy *b = p;
	b->input_max = -1;
	b->output_max = -1;
	b->overflow = OVERFLOW_TRUNCATE;
}

/* An injected window's defaults are the SPEC §3 example's (§10: "every key absent takes the
 * value of the §3 example"): gpt-4.1-mini (the name is set when the pricing is resolved),
 * 2026-03-02T10:00:00Z to 10:45:00Z, timeout, 0.6. */
static void fault_init(void *p)
{
	struct fault_window *f = p;
	f->model_idx = -1;
	f->from_us = INT64_C(1772445600) * 1000000;
	f->to_us = INT64_C(1772448300) * 1000000;
	f->status = STATUS_TIMEOUT;
	f->rate = frac(6, 10);
}

#define S(f) offsetof(struct scenario, f)
#define R(f) offsetof(struct route, f)
#define RU(f) offsetof(struct routing_rule, f)
#define B(f) offsetof(struct budget_policy, f)
#define F(f) offsetof(struct fault_window, f)

#define POS_INT "a positive integer"
#define POS_INT_NULL "a positive integer" /* null is allowed too; the help says what it means */
#define NONNEG_INT "a non-negative integer"
#define SECTION_EXPECT "an object or null"

const struct scenario_key scenario_keys[] = {
	{ "name", SKEY_STRING, KEYF_RECORDED | KEYF_NONEMPTY, S(name), NOF,
	  .expect = "a non-empty string",
	  .help = "the scenario's name (default: the file name without .json, the whole path of "
	          "a descriptor's: -s <(cmd) is /dev/fd/63; never inherited)" },
	{ "mode", SKEY_ENUM, KEYF_RECORDED, S(mode), NOF, .names = scenario_mode_names,
	  .expect = "\"simulate\" or \"recorded\"",
	  .help = "simulate (default) runs the policies; recorded prices the trace as recorded" },
	{ "extends", SKEY_STRING, KEYF_NONEMPTY, NOF, NOF, .expect = "a file name",
	  .help = "a scenario file this one inherits from, relative to this file (default none)" },
	{ "pricing", SKEY_STRING, KEYF_RECORDED | KEYF_NONEMPTY, NOF, NOF, .expect = "a file name",
	  .help = "the pricing file, relative to this file (default the bundled openai.json)" },

	{ "routes", SKEY_MAP, KEYF_NULLABLE, S(routes), S(n_routes),
	  .expect = "an object of route: model, or null",
	  .help = "route name -> model name (default none: every call runs on the recorded model; "
	          "null: none, also of a file extended)",
	  .elem_size = sizeof(struct route), .elem_name = R(name), .elem_init = route_init },
	{ "routes.*", SKEY_STRING, KEYF_NONEMPTY, R(model), NOF, .expect = "a model name or null",
	  .help = "the model a route sends to; it must be in the pricing file (null: no such route, "
	          "also in a file extended)" },

	{ "cache", SKEY_SECTION, KEYF_NULLABLE, NOF, S(cache.on), .expect = SECTION_EXPECT,
	  .help = "the response cache: on when present (default off)" },
	{ "cache.enabled", SKEY_BOOL, 0, S(cache.on), NOF, .expect = "true or false",
	  .help = "false turns a present cache off (default true)" },
	{ "cache.key", SKEY_ENUM_SET, KEYF_NONEMPTY, S(cache.key), NOF,
	  .names = scenario_cache_part_names,
	  .expect = "a non-empty array of \"tenant\", \"task\", \"policy_version\", \"input\"",
	  .help = "the parts of the cache key (default [\"tenant\", \"policy_version\", \"input\"])" },
	{ "cache.policy_version", SKEY_STRING, 0, S(cache.policy_version), NOF,
	  .expect = "a string", .help = "a version string that is part of the key (default \"\")" },
	{ "cache.normalize", SKEY_ENUM_SET, 0, S(cache.normalize), NOF,
	  .names = scenario_normalize_names,
	  .expect = "an array of \"lower\", \"strip_punct\", \"collapse_space\"",
	  .help = "input normalizations, applied lower, strip_punct, collapse_space (default none)" },
	{ "cache.capacity", SKEY_INT, KEYF_NULLABLE, S(cache.capacity), NOF, .min = 1,
	  .max = INT_JSON_MAX, .scale = 1, .null_value = 0, .expect = POS_INT_NULL,
	  .help = "entries held before eviction (default null: unbounded)" },
	{ "cache.eviction", SKEY_ENUM, 0, S(cache.eviction), NOF, .names = scenario_eviction_names,
	  .expect = "\"lru\" or \"fifo\"", .help = "eviction order: lru (default) or fifo" },
	{ "cache.ttl_s", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "entry lifetime per tier of the answering model (default no TTL)" },
	{ "cache.ttl_s.small", SKEY_INT, KEYF_NULLABLE, S(cache.ttl_us[TIER_SMALL]), NOF, .min = 1,
	  .max = S_MAX, .scale = US_PER_S, .null_value = 0, .expect = POS_INT_NULL,
	  .help = "seconds an answer of a small-tier model stays (default null: forever)" },
	{ "cache.ttl_s.large", SKEY_INT, KEYF_NULLABLE, S(cache.ttl_us[TIER_LARGE]), NOF, .min = 1,
	  .max = S_MAX, .scale = US_PER_S, .null_value = 0, .expect = POS_INT_NULL,
	  .help = "seconds an answer of a large-tier model stays (default null: forever)" },

	{ "routing", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "which route a request takes (used when routes are given)" },
	{ "routing.default", SKEY_STRING, KEYF_NONEMPTY | KEYF_ROUTE, S(routing.default_name), NOF,
	  .expect = "a route name", .help = "the route when no rule matches (default \"small\")" },
	{ "routing.rules", SKEY_LIST, 0, S(routing.rules), S(routing.n_rules),
	  .expect = "an array of rule objects",
	  .help = "rules tried in order; the first whose conditions all hold wins (default none)",
	  .elem_size = sizeof(struct routing_rule), .elem_name = NOF, .elem_init = rule_init },
	{ "routing.rules[]", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "a rule: {\"when\": {...}, \"route\": NAME}" },
	{ "routing.rules[].when", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "the conditions, all of which must hold (empty or absent: always)" },
	{ "routing.rules[].when.task", SKEY_STRING, 0, RU(task), NOF, .expect = "a string",
	  .help = "the request's task is this" },
	{ "routing.rules[].when.tenant", SKEY_STRING, 0, RU(tenant), NOF, .expect = "a string",
	  .help = "the request's tenant is this" },
	{ "routing.rules[].when.difficulty", SKEY_ENUM, 0, RU(difficulty), NOF,
	  .names = difficulty_names, .scale = 1, .expect = "\"easy\" or \"hard\"",
	  .help = "the request's difficulty label is this (unlabelled requests never match)" },
	{ "routing.rules[].when.input_tokens_gt", SKEY_INT, 0, RU(input_tokens_gt), NOF, .min = 0,
	  .max = INT_JSON_MAX, .scale = 1, .expect = NONNEG_INT,
	  .help = "the recorded input tokens are more than this" },
	{ "routing.rules[].when.input_tokens_lt", SKEY_INT, 0, RU(input_tokens_lt), NOF, .min = 0,
	  .max = INT_JSON_MAX, .scale = 1, .expect = NONNEG_INT,
	  .help = "the recorded input tokens are fewer than this" },
	{ "routing.rules[].route", SKEY_STRING, KEYF_REQUIRED | KEYF_NONEMPTY | KEYF_ROUTE,
	  RU(route_name), NOF, .expect = "a route name", .help = "the route the rule picks" },

	{ "budget", SKEY_MAP, KEYF_NULLABLE, S(budget), S(n_budget),
	  .expect = "an object of task: policy, or null",
	  .help = "token budget per task, \"*\" for every other task (default none; null: none, "
	          "also of a file extended)",
	  .elem_size = sizeof(struct budget_policy), .elem_name = B(task), .elem_init = budget_init },
	{ "budget.*", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object or null",
	  .help = "a task's budget: input_max, output_max, overflow (null: none for the task, also "
	          "in a file extended)" },
	{ "budget.*.input_max", SKEY_INT, KEYF_NULLABLE, B(input_max), NOF, .min = 1,
	  .max = INT_JSON_MAX, .scale = 1, .null_value = -1, .expect = POS_INT_NULL,
	  .help = "input tokens allowed; more is a budget violation (default null: no limit)" },
	{ "budget.*.output_max", SKEY_INT, KEYF_NULLABLE, B(output_max), NOF, .min = 1,
	  .max = UINT32_MAX, .scale = 1, /* a token count's range (live sends it as max_output_tokens) */ .null_value = -1, .expect = POS_INT_NULL,
	  .help = "output tokens allowed; longer answers are capped (default null: no limit)" },
	{ "budget.*.overflow", SKEY_ENUM, 0, B(overflow), NOF, .names = scenario_overflow_names,
	  .expect = "one of \"truncate\", \"summarize\", \"async\", \"reject\"",
	  .help = "what happens to input over input_max (default truncate)" },

	{ "summarize", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "the summarize call of budget overflow \"summarize\"" },
	{ "summarize.route", SKEY_STRING, KEYF_NONEMPTY | KEYF_ROUTE, S(summarize.route_name), NOF,
	  .expect = "a route name", .help = "the route summaries run on (default \"small\")" },
	{ "summarize.ratio", SKEY_DECIMAL, KEYF_MIN_OPEN, S(summarize.ratio), NOF, .dmin = 0,
	  .dmax = 1, .expect = "a number in (0, 1]",
	  .help = "summary length = ceil(input × ratio), exactly as a decimal (default 0.1)" },

	{ "retry", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "retries on the same model" },
	{ "retry.max_attempts", SKEY_INT, 0, S(retry.max_attempts), NOF, .min = 1, .max = 1000,
	  .scale = 1, .expect = "an integer from 1 to 1000",
	  .help = "calls per model, the first included (default 3)" },
	{ "retry.on", SKEY_ENUM_SET, 0, S(retry.on), NOF, .names = failure_names, .scale = 1,
	  .expect = "an array of error classes",
	  .help = "error classes retried (default [\"timeout\", \"rate_limited\", \"server_error\"])" },
	{ "retry.backoff_ms", SKEY_INT, 0, S(retry.backoff_us), NOF, .min = 0,
	  .max = MS_MAX, .scale = US_PER_MS, .expect = NONNEG_INT,
	  .help = "wait before the k-th retry: backoff_ms × 2^(k-1) (default 500)" },
	{ "retry.timeout_ms", SKEY_INT, KEYF_NULLABLE, S(retry.timeout_us), NOF, .min = 1,
	  .max = MS_MAX, .scale = US_PER_MS, .null_value = 0,
	  .expect = POS_INT_NULL, .help = "client timeout per call (default 30000; null: none)" },

	{ "fallback", SKEY_SECTION, KEYF_NULLABLE, NOF, S(fallback.on), .expect = SECTION_EXPECT,
	  .help = "fallback along a chain of routes: on when present (default off)" },
	{ "fallback.enabled", SKEY_BOOL, 0, S(fallback.on), NOF, .expect = "true or false",
	  .help = "false turns a present fallback off (default true)" },
	{ "fallback.chain", SKEY_STRING_LIST, KEYF_ROUTE, S(fallback.chain_names), NOF,
	  .expect = "an array of route names",
	  .help = "routes tried after the route's own model gives up (default [\"small\", \"large\"])" },
	{ "fallback.on", SKEY_ENUM_SET, 0, S(fallback.on_classes), NOF, .names = failure_names,
	  .scale = 1, .expect = "an array of error classes",
	  .help = "classes that fall back (default [\"timeout\", \"rate_limited\", \"server_error\"])" },
	{ "fallback.tenant_inflight_cap", SKEY_INT, KEYF_NULLABLE, S(fallback.tenant_inflight_cap),
	  NOF, .min = 1, .max = INT_JSON_MAX, .scale = 1, .null_value = 0, .expect = POS_INT_NULL,
	  .help = "gate: fallbacks a tenant may have in flight (default null: no gate)" },
	{ "fallback.max_rate", SKEY_DECIMAL, KEYF_NULLABLE, S(fallback.max_rate),
	  S(fallback.has_max_rate), .dmin = 0, .dmax = 1, .expect = "a number in [0, 1] or null",
	  .help = "gate: fallback rate over rate_window_s above which fallbacks are denied "
	          "(default null: no gate)" },
	{ "fallback.rate_window_s", SKEY_INT, 0, S(fallback.rate_window_us), NOF, .min = 1,
	  .max = S_MAX, .scale = US_PER_S, .expect = POS_INT,
	  .help = "the window of the max_rate gate (default 300)" },
	{ "fallback.usd_per_hour_cap", SKEY_FIXED, KEYF_NULLABLE, S(fallback.usd_per_hour_cap_pusd),
	  S(fallback.has_usd_per_hour_cap), .min = 0, .max = INT64_MAX, .scale = 12,
	  .expect = "a non-negative number of USD with at most 12 decimals, at most "
	            "9223372.036854775807, or null",
	  .help = "gate: spend over the last hour above which fallbacks are denied "
	          "(default null: no gate)" },
	{ "fallback.degrade_tasks", SKEY_STRING_LIST, 0, S(fallback.degrade_tasks), NOF,
	  .expect = "an array of task names",
	  .help = "tasks that get a degraded answer instead of failing (default none)" },

	{ "breaker", SKEY_SECTION, KEYF_NULLABLE, NOF, S(breaker.on), .expect = SECTION_EXPECT,
	  .help = "a circuit breaker per model: on when present (default off)" },
	{ "breaker.enabled", SKEY_BOOL, 0, S(breaker.on), NOF, .expect = "true or false",
	  .help = "false turns a present breaker off (default true)" },
	{ "breaker.window", SKEY_INT, 0, S(breaker.window), NOF, .min = 1, .max = 1000000,
	  .scale = 1, .expect = "an integer from 1 to 1000000",
	  .help = "outcomes remembered per model (default 20)" },
	{ "breaker.failure_ratio", SKEY_DECIMAL, KEYF_MIN_OPEN, S(breaker.failure_ratio), NOF,
	  .dmin = 0, .dmax = 1, .expect = "a number in (0, 1]",
	  .help = "transient failures / window at which it opens (default 0.5)" },
	{ "breaker.open_s", SKEY_INT, 0, S(breaker.open_us), NOF, .min = 1, .max = S_MAX,
	  .scale = US_PER_S, .expect = POS_INT,
	  .help = "seconds it stays open before a probe (default 30)" },

	{ "batch", SKEY_SECTION, KEYF_NULLABLE, NOF, S(batch.on), .expect = SECTION_EXPECT,
	  .help = "the batch queue: on when present (default off)" },
	{ "batch.enabled", SKEY_BOOL, 0, S(batch.on), NOF, .expect = "true or false",
	  .help = "false turns a present batch queue off (default true)" },
	{ "batch.tasks", SKEY_STRING_LIST, 0, S(batch.tasks), NOF, .expect = "an array of task names",
	  .help = "tasks always sent through the batch queue (default none)" },
	{ "batch.interval_s", SKEY_INT, 0, S(batch.interval_us), NOF, .min = 1, .max = S_MAX,
	  .scale = US_PER_S, .expect = POS_INT,
	  .help = "the queue is sent at every multiple of this since the epoch (default 300)" },
	{ "batch.max_batch_size", SKEY_INT, 0, S(batch.max_batch_size), NOF, .min = 1,
	  .max = INT_JSON_MAX, .scale = 1, .expect = POS_INT,
	  .help = "items that make the queue go at once (default 120)" },
	{ "batch.max_total_input_tokens", SKEY_INT, 0, S(batch.max_total_input_tokens), NOF,
	  .min = 1, .max = INT_JSON_MAX, .scale = 1, .expect = POS_INT,
	  .help = "input tokens one batch may hold (default 300000)" },
	{ "batch.first_route", SKEY_STRING, KEYF_NONEMPTY | KEYF_ROUTE, S(batch.first_route_name),
	  NOF, .expect = "a route name", .help = "the route of an item's first attempt (default \"small\")" },
	{ "batch.fail_route", SKEY_STRING, KEYF_NONEMPTY | KEYF_ROUTE, S(batch.fail_route_name), NOF,
	  .expect = "a route name", .help = "the route of a re-queued item (default \"large\")" },
	{ "batch.discount", SKEY_DECIMAL, 0, S(batch.discount), NOF, .dmin = 0, .dmax = 1,
	  .expect = "a number in [0, 1]", .help = "batch price = price × (1 - discount) (default 0.5)" },
	{ "batch.max_attempts", SKEY_INT, 0, S(batch.max_attempts), NOF, .min = 1, .max = 1000,
	  .scale = 1, .expect = "an integer from 1 to 1000",
	  .help = "attempts of an item, the first included (default 3)" },
	{ "batch.latency_s", SKEY_INT, 0, S(batch.latency_us), NOF, .min = 0, .max = S_MAX,
	  .scale = US_PER_S, .expect = NONNEG_INT,
	  .help = "seconds from a flush to its answers (default 600)" },

	{ "billing", SKEY_OBJECT, KEYF_RECORDED, NOF, NOF, .expect = "an object",
	  .help = "what failed calls cost" },
	{ "billing.failed", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "per error class: full, input or none" },
#define BILLING_KEY(cls, st, dflt) \
	{ "billing.failed." cls, SKEY_ENUM, 0, S(billing.failed[st]), NOF, \
	  .names = scenario_billing_names, .expect = "\"full\", \"input\" or \"none\"", \
	  .help = "billing of a " cls " failure (default " dflt ")" }
	BILLING_KEY("timeout", STATUS_TIMEOUT, "full"),
	BILLING_KEY("rate_limited", STATUS_RATE_LIMITED, "none"),
	BILLING_KEY("server_error", STATUS_SERVER_ERROR, "none"),
	BILLING_KEY("invalid_request", STATUS_INVALID_REQUEST, "none"),
	BILLING_KEY("content_filter", STATUS_CONTENT_FILTER, "input"),
	BILLING_KEY("context_length", STATUS_CONTEXT_LENGTH, "none"),
#undef BILLING_KEY

	{ "faults", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "where call outcomes come from" },
	{ "faults.recorded", SKEY_BOOL, 0, S(faults.recorded), NOF, .expect = "true or false",
	  .help = "replay recorded outcomes of the same model and attempt (default true)" },
	{ "faults.inject", SKEY_LIST, 0, S(faults.inject), S(faults.n_inject),
	  .expect = "an array of fault objects",
	  .help = "injected failure windows (default none)",
	  .elem_size = sizeof(struct fault_window), .elem_name = NOF, .elem_init = fault_init },
	{ "faults.inject[]", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object",
	  .help = "a window: model, from, to, status, rate" },
	{ "faults.inject[].model", SKEY_STRING, KEYF_NONEMPTY, F(model), NOF,
	  .expect = "a model name",
	  .help = "the model that fails; it must be in the pricing file (default gpt-4.1-mini, the SPEC example's)" },
	{ "faults.inject[].from", SKEY_TIME, 0, F(from_us), NOF,
	  .expect = "an RFC 3339 time or epoch seconds from year 0 to 9999 (UTC)",
	  .help = "start of the window, included (default 2026-03-02T10:00:00Z, the SPEC example's)" },
	{ "faults.inject[].to", SKEY_TIME, 0, F(to_us), NOF,
	  .expect = "an RFC 3339 time or epoch seconds from year 0 to 9999 (UTC)",
	  .help = "end of the window, excluded (default 2026-03-02T10:45:00Z, the SPEC example's)" },
	{ "faults.inject[].status", SKEY_ENUM, 0, F(status), NOF, .names = failure_names, .scale = 1,
	  .expect = "an error class", .help = "the class of the injected failures (default timeout)" },
	{ "faults.inject[].rate", SKEY_DECIMAL, 0, F(rate), NOF, .dmin = 0, .dmax = 1,
	  .expect = "a number in [0, 1]",
	  .help = "failure probability in the window (default 0.6, the SPEC example's)" },

	{ "alerts", SKEY_OBJECT, KEYF_RECORDED | KEYF_NULLABLE, NOF, NOF, .expect = "an object or null",
	  .help = "alert rules (both on by default; null: both off)" },
	{ "alerts.cost_guard", SKEY_SECTION, KEYF_NULLABLE, NOF, S(alerts.cost_guard_on),
	  .expect = SECTION_EXPECT, .help = "spend per hour above its baseline (null: off)" },
	{ "alerts.cost_guard.window_s", SKEY_INT, 0, S(alerts.cost_guard_window_us), NOF, .min = 1,
	  .max = S_MAX, .scale = US_PER_S, .expect = POS_INT,
	  .help = "the window whose spend is compared (default 3600)" },
	{ "alerts.cost_guard.baseline_s", SKEY_INT, 0, S(alerts.cost_guard_baseline_us), NOF,
	  .min = 1, .max = S_MAX, .scale = US_PER_S, .expect = POS_INT,
	  .help = "the span before the window that sets the baseline (default 1209600)" },
	{ "alerts.cost_guard.threshold", SKEY_DECIMAL, 0, S(alerts.cost_guard_threshold), NOF,
	  .dmin = 0, .dmax = 1e9, .expect = "a non-negative number",
	  .help = "fires when spend > baseline × (1 + threshold) (default 0.30)" },
	{ "alerts.fallback_flood", SKEY_SECTION, KEYF_NULLABLE, NOF, S(alerts.fallback_flood_on),
	  .expect = SECTION_EXPECT, .help = "fallback rate above a limit (null: off)" },
	{ "alerts.fallback_flood.window_s", SKEY_INT, 0, S(alerts.fallback_flood_window_us), NOF,
	  .min = 1, .max = S_MAX, .scale = US_PER_S, .expect = POS_INT,
	  .help = "the window of the fallback rate (default 300)" },
	{ "alerts.fallback_flood.rate", SKEY_DECIMAL, KEYF_MIN_OPEN, S(alerts.fallback_flood_rate),
	  NOF, .dmin = 0, .dmax = 1, .expect = "a number in (0, 1]",
	  .help = "fires when the fallback rate is above this (default 0.2)" },
	{ "alerts.fallback_flood.min_requests", SKEY_INT, 0, S(alerts.fallback_flood_min_requests),
	  NOF, .min = 0, .max = INT_JSON_MAX, .scale = 1, .expect = NONNEG_INT,
	  .help = "first calls the window needs before it can fire (default 20)" },

	{ "projection", SKEY_OBJECT, KEYF_RECORDED, NOF, NOF, .expect = "an object",
	  .help = "how usd_total becomes projected_monthly_usd" },
	{ "projection.days", SKEY_DECIMAL, KEYF_MIN_OPEN, S(projection.days), NOF, .dmin = 0,
	  .dmax = 36600, .expect = "a positive number of days", .help = "days in a month (default 30)" },
	{ "projection.sample_rate", SKEY_DECIMAL, KEYF_MIN_OPEN, S(projection.sample_rate), NOF,
	  .dmin = 0, .dmax = 1, .expect = "a number in (0, 1]",
	  .help = "the share of real traffic the trace holds (default 1.0)" },
	{ "projection.traffic_multiplier", SKEY_DECIMAL, KEYF_MIN_OPEN,
	  S(projection.traffic_multiplier), NOF, .dmin = 0, .dmax = 1e9,
	  .expect = "a positive number", .help = "expected growth of traffic (default 1.0)" },

	{ "seed", SKEY_INT, 0, S(seed), NOF, .min = 0, .max = INT_JSON_MAX, .scale = 1,
	  .expect = "a non-negative integer below 2^53", .help = "seed of the random draws (default 1)" },
};
const size_t scenario_n_keys = sizeof scenario_keys / sizeof scenario_keys[0];

int scenario_init(struct scenario *sc, struct err *err)
{
	memset(sc, 0, sizeof *sc);
	sc->name = strdup("");
	sc->mode = SCENARIO_MODE_SIMULATE;

	sc->cache.key = CACHE_PART_TENANT | CACHE_PART_POLICY_VERSION | CACHE_PART_INPUT;
	sc->cache.policy_version = strdup("");
	sc->cache.eviction = EVICTION_LRU;

	sc->routing.default_name = strdup("small");
	sc->routing.default_route = ROUTE_RECORDED;

	sc->summarize.route_name = strdup("small");
	sc->summarize.route = ROUTE_RECORDED;
	sc->summarize.ratio = frac(1, 10);

	sc->retry.max_attempts = 3;
	sc->retry.on = TRANSIENT;
	sc->retry.backoff_us = 500 * US_PER_MS;
	sc->retry.timeout_us = 30000 * US_PER_MS;

	sc->fallback.chain_names.v = calloc(2, sizeof(char *));
	if (sc->fallback.chain_names.v) {
		sc->fallback.chain_names.n = 2;
		sc->fallback.chain_names.v[0] = strdup("small");
		sc->fallback.chain_names.v[1] = strdup("large");
	}
	sc->fallback.on_classes = TRANSIENT;
	sc->fallback.max_rate = frac(25, 100);
	sc->fallback.rate_window_us = 300 * US_PER_S;

	sc->breaker.window = 20;
	sc->breaker.failure_ratio = frac(5, 10);
	sc->breaker.open_us = 30 * US_PER_S;

	sc->batch.interval_us = 300 * US_PER_S;
	sc->batch.max_batch_size = 120;
	sc->batch.max_total_input_tokens = 300000;
	sc->batch.first_route_name = strdup("small");
	sc->batch.fail_route_name = strdup("large");
	sc->batch.first_route = ROUTE_RECORDED;
	sc->batch.fail_route = ROUTE_RECORDED;
	sc->batch.discount = frac(5, 10);
	sc->batch.max_attempts = 3;
	sc->batch.latency_us = 600 * US_PER_S;

	for (int s = 0; s < N_STATUS; s++)
		sc->billing.failed[s] = BILLING_NONE;
	sc->billing.failed[STATUS_OK] = BILLING_FULL;
	sc->billing.failed[STATUS_TIMEOUT] = BILLING_FULL;
	sc->billing.failed[STATUS_CONTENT_FILTER] = BILLING_INPUT;

	sc->faults.recorded = 1;

	sc->alerts.cost_guard_on = 1;
	sc->alerts.cost_guard_window_us = 3600 * US_PER_S;
	sc->alerts.cost_guard_baseline_us = 1209600 * US_PER_S;
	sc->alerts.cost_guard_threshold = frac(3, 10);
	sc->alerts.fallback_flood_on = 1;
	sc->alerts.fallback_flood_window_us = 300 * US_PER_S;
	sc->alerts.fallback_flood_rate = frac(2, 10);
	sc->alerts.fallback_flood_min_requests = 20;

	sc->projection.days = frac(30, 1);
	sc->projection.sample_rate = frac(1, 1);
	sc->projection.traffic_multiplier = frac(1, 1);

	sc->seed = 1;

	if (!sc->name || !sc->cache.policy_version || !sc->routing.default_name ||
	    !sc->summarize.route_name || !sc->fallback.chain_names.v ||
	    !sc->fallback.chain_names.v[0] || !sc->fallback.chain_names.v[1] ||
	    !sc->batch.first_route_name || !sc->batch.fail_route_name) {
		scenario_fini(sc);
		return err_set(err, "out of memory");
	}
	return 0;
}

static void strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void scenario_fini(struct scenario *sc)
{
	if (!sc)
		return;
	free(sc->name);
	free(sc->path);
	free(sc->json);
	free(sc->dir);
	free(sc->pricing_path);
	pricing_free(sc->pricing);
	for (size_t i = 0; i < sc->n_routes; i++) {
		free(sc->routes[i].name);
		free(sc->routes[i].model);
	}
	free(sc->routes);
	free(sc->cache.policy_version);
	free(sc->routing.default_name);
	for (size_t i = 0; i < sc->routing.n_rules; i++) {
		free(sc->routing.rules[i].task);
		free(sc->routing.rules[i].tenant);
		free(sc->routing.rules[i].route_name);
	}
	free(sc->routing.rules);
	for (size_t i = 0; i < sc->n_budget; i++)
		free(sc->budget[i].task);
	free(sc->budget);
	free(sc->summarize.route_name);
	strlist_clear(&sc->fallback.chain_names);
	free(sc->fallback.chain);
	strlist_clear(&sc->fallback.degrade_tasks);
	strlist_clear(&sc->batch.tasks);
	free(sc->batch.first_route_name);
	free(sc->batch.fail_route_name);
	for (size_t i = 0; i < sc->faults.n_inject; i++)
		free(sc->faults.inject[i].model);
	free(sc->faults.inject);
	memset(sc, 0, sizeof *sc);
}

const struct budget_policy *scenario_budget_for(const struct scenario *sc, const char *task)
{
	const struct budget_policy *star = NULL;
	for (size_t i = 0; i < sc->n_budget; i++) {
		if (task && strcmp(sc->budget[i].task, task) == 0)
			return &sc->budget[i];
		if (strcmp(sc->budget[i].task, "*") == 0)
			star = &sc->budget[i];
	}
	return star;
}

int scenario_route_for(const struct scenario *sc, const char *task, const char *tenant, int difficulty,
                       int64_t input_tokens)
{
	if (!sc->n_routes)
		return ROUTE_RECORDED;
	for (size_t i = 0; i < sc->routing.n_rules; i++) {
		const struct routing_rule *r = &sc->routing.rules[i];
		if ((!r->task || strcmp(r->task, task) == 0) && (!r->tenant || strcmp(r->tenant, tenant) == 0) &&
		    (r->difficulty == DIFFICULTY_NONE || r->difficulty == difficulty) &&
		    input_tokens > r->input_tokens_gt &&
		    (r->input_tokens_lt < 0 || input_tokens < r->input_tokens_lt))
			return r->route;
	}
	return sc->routing.default_route;
}

int64_t scenario_backoff_us(const struct scenario *sc, unsigned k)
{
	int64_t backoff = sc->retry.backoff_us;
	for (unsigned j = 1; j < k && backoff < SCENARIO_MAX_BACKOFF_US; j++)
		backoff *= 2;
	return backoff < SCENARIO_MAX_BACKOFF_US ? backoff : SCENARIO_MAX_BACKOFF_US;
}

uint64_t scenario_summary_tokens(const struct scenario *sc, uint64_t input)
{
	const struct decfrac *r = &sc->summarize.ratio;
	if (input <= UINT32_MAX && (uint64_t)r->num <= UINT32_MAX && (uint64_t)r->den <= UINT32_MAX)
		return (input * (uint64_t)r->num + (uint64_t)r->den - 1) / (uint64_t)r->den;
	__extension__ typedef unsigned __int128 wide;
	return (uint64_t)(((wide)input * (uint64_t)r->num + (uint64_t)r->den - 1) / (uint64_t)r->den);
}

int scenario_route_index(const struct scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_routes; i++)
		if (strcmp(sc->routes[i].name, name) == 0)
			return (int)i;
	return -1;
}

int scenario_strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

int scenario_decfrac(const char *s, size_t n, struct decfrac *out)
{
	int64_t num, den = 1, ppb;
	int exact;
	if (decimal_scaled(s, n, 9, &ppb, NULL) < 0)
		return -1;
	for (int k = 0; k <= 18; k++, den *= 10) {
		if (decimal_scaled(s, n, k, &num, &exact) < 0)
			return -1;
		if (exact) {
			double mag = money_quotient(num < 0 ? -(money_sum)num : num, den);
			*out = (struct decfrac){ .value = num < 0 ? -mag : mag, .num = num, .den = den,
			                         .ppb = ppb };
			return 0;
		}
		if (k == 18)
			break;
	}
	return -1;
}

/* Pattern matching: '*' stands for one member name (any text, at least one
 * character), "[]" for an array index "[N]".  The pattern matches itself. */
int scenario_key_match(const char *pat, const char *path)
{
	while (*pat) {
		if (*pat == '*') {
			for (size_t k = 1, len = strlen(path); k <= len; k++)
				if (scenario_key_match(pat + 1, path + k))
					return 1;
			return 0;
		}
		if (pat[0] == '[' && pat[1] == ']') {
			if (*path != '[')
				return 0;
			path++;
			while (*path >= '0' && *path <= '9')
				path++;
			if (*path != ']')
				return 0;
			path++;
			pat += 2;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *path == '\0';
}

/* Literal characters of a pattern: the more, the more specific. */
static size_t pattern_weight(const char *pat)
{
	size_t w = 0;
	for (; *pat; pat++)
		if (*pat != '*' && *pat != '[' && *pat != ']')
			w++;
	return w;
}

const char *scenario_key_expect(const struct scenario_key *k, char *buf, size_t n)
{
	if ((k->type != SKEY_INT && k->type != SKEY_DECIMAL) || strpbrk(k->expect, "0123456789"))
		snprintf(buf, n, "%s", k->expect);
	else if (k->type == SKEY_INT)
		snprintf(buf, n, "%s of at most %lld", k->expect, (long long)k->max);
	else /* the DECIMAL maxima are whole numbers */
		snprintf(buf, n, "%s of at most %.0f", k->expect, k->dmax);
	return buf;
}

const struct scenario_key *scenario_key_find(const struct scenario_key *table, size_t n,
                                             const char *path)
{
	const struct scenario_key *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (scenario_key_match(table[i].path, path) &&
		    (!best || pattern_weight(table[i].path) > pattern_weight(best->path)))
			best = &table[i];
	return best;
}

#define ED_MAX 128

int scenario_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int rows[3][ED_MAX + 1];
	if (la > ED_MAX || lb > ED_MAX)
		return (int)(la > lb ? la : lb);
	int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;
			cur[j] = d;
		}
		int *t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* The last segment of a path or pattern: after the last '.', or all of it. */
static const char *last_segment(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot ? dot + 1 : path;
}

/* 1 when seg is a whole '_'-separated part of key ("multiplier" of "traffic_multiplier") or
 * its start, four letters or more ("thresh" of "threshold"): a name half remembered. */
static int part_of(const char *seg, const char *key)
{
	size_t n = strlen(seg);
	if (n == 0)
		return 0;
	if (n >= 4 && strncmp(key, seg, n) == 0)
		return 1;
	for (const char *p = key; (p = strstr(p, seg)) != NULL; p++)
		if ((p == key || p[-1] == '_') && (p[n] == '\0' || p[n] == '_'))
			return 1;
	return 0;
}

/* A plain member name: no wildcard and no index. */
static int plain_segment(const char *seg)
{
	return *seg && !strpbrk(seg, "*[]");
}

#define SUGGEST_PARTS_MAX 3 /* more keys of which a name is a part: none suggested, all listed */

const char *scenario_key_suggest(const struct scenario_key *table, size_t n, const char *path,
                                 char *buf, size_t bufsz)
{
	const char *seg = last_segment(path);
	size_t plen = (size_t)(seg - path); /* the parent and its '.', or 0 */
	size_t slen = strlen(seg);
	int best_d = scenario_slip_edits(slen) + 1;
	const struct scenario_key *parent = NULL;
	const char *best = NULL;
	char parent_path[512];

	if (plen > 0 && plen <= sizeof parent_path) {
		memcpy(parent_path, path, plen - 1);
		parent_path[plen - 1] = '\0';
		parent = scenario_key_find(table, n, parent_path);
	}
	/* siblings first: the known members of the same object, close in spelling, else those
	 * of which seg is a part ("rout": "routes" and "routing", both named) */
	const char *part[SUGGEST_PARTS_MAX];
	int parts = 0;
	for (size_t i = 0; i < n; i++) {
		const char *kseg = last_segment(table[i].path);
		size_t kplen = (size_t)(kseg - table[i].path);
		if (!plain_segment(kseg))
			continue;
		if (plen == 0 ? kplen != 0
		              : !parent || kplen != strlen(parent->path) + 1 ||
		                strncmp(table[i].path, parent->path, kplen - 1) != 0)
			continue;
		int d = scenario_edit_distance(seg, kseg);
		if (d < best_d) {
			best_d = d;
			best = kseg;
		}
		if (part_of(seg, kseg) && parts++ < SUGGEST_PARTS_MAX)
			part[parts - 1] = kseg;
	}
	if (!best && parts >= 1 && parts <= SUGGEST_PARTS_MAX) {
		size_t at = 0;
		buf[0] = '\0';
		for (int i = 0; i < parts && at < bufsz; i++)
			at += (size_t)snprintf(buf + at, bufsz - at, "%s%.*s%s", i ? "\n" : "", (int)plen, path,
			                       part[i]);
		return buf;
	}
	if (best) {
		snprintf(buf, bufsz, "%.*s%s", (int)plen, path, best);
		return buf;
	}
	/* then a key of that name anywhere that has no user-chosen part, when only
	 * one is that close (a lone "enabled" could belong to any section). Inside a known
	 * object only the very name: a slip that is merely close to a key of another section
	 * ("model" in cache, near the top-level "mode") is better told the keys allowed here */
	int ties = 0;
	best_d = scenario_slip_edits(slen); /* "d < best_d": one edit fewer than a sibling takes */
	if (parent)
		best_d = 1;
	for (size_t i = 0; i < n; i++) {
		if (strpbrk(table[i].path, "*[]"))
			continue;
		int d = scenario_edit_distance(seg, last_segment(table[i].path));
		if (d < best_d) {
			best_d = d;
			best = table[i].path;
			ties = 1;
		} else if (d == best_d && best) {
			ties++;
		}
	}
	if (best && ties == 1 && strcmp(best, path) != 0) {
		snprintf(buf, bufsz, "%s", best);
		return buf;
	}
	return NULL;
}

const char *scenario_key_hint(const struct scenario_key *table, size_t n, const char *path,
                              char *buf, size_t bufsz)
{
	char sug[1100];
	if (!scenario_key_suggest(table, n, path, sug, sizeof sug))
		return NULL;
	/* a top-level key for a nested path says so: "did you mean "seed"?" under cache reads
	 * as cache.seed */
	size_t at = (size_t)snprintf(buf, bufsz, "did you mean %s",
	                             strchr(path, '.') && !strpbrk(sug, ".[") ? "the top-level " : "");
	/* several, one a line: "a", "b" or "c" */
	for (const char *p = sug; at < bufsz; p += strcspn(p, "\n") + 1) {
		int len = (int)strcspn(p, "\n"), last = p[len] == '\0';
		at += (size_t)snprintf(buf + at, bufsz - at, "%s\"%.*s\"%s", p == sug ? "" : last ? " or " : ", ",
		                       len, p, last ? "?" : "");
		if (last)
			break;
	}
	return buf;
}
