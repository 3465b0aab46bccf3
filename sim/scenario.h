/*
 * A scenario: one fully resolved, validated policy set (SPEC §3, §10) that the
 * replay engine reads and never changes.  Every default is already applied, times
 * are integer µs, prices live in the attached struct pricing, and every decimal
 * the SPEC applies exactly (ratios, rates, discounts) is kept as a double, as
 * an exact fraction num / 10^k and in parts per 10^9 (struct decfrac).  The key table scenario_keys[] describes
 * every key a scenario file may hold; the loader (traces/scenario.c, with its
 * checker traces/scenario_check.c) validates against it, and the console uses it
 * for `set`, completion and help.
 *
 * Ownership: a struct scenario owns everything it points to (strings, arrays, the
 * pricing table, its JSON text); scenario_fini() releases it all and leaves the
 * struct zeroed.  Functions that can fail return 0 / -1 and fill a struct err.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/normalize.h" /* enum normalize_flag: the bits of cache.normalize */
#include "sim/pricing.h"
#include "sim/status.h"
#include "sim/trace.h"     /* enum difficulty: a routing rule's condition */

/*
 * An exact decimal: value == num / den with den = 10^k, the smallest k that
 * holds it (0.1 is 1/10, 0.25 is 25/100, 2 is 2/1), and the same in parts per
 * 10^9 (0.1 is 100000000), the unit of sim/money.h.  Scenario files allow at
 * most 9 decimals, so both forms are always exact there.  `value` is the
 * double nearest to it.  See scenario_decfrac(): it is read from the number's
 * text as written, never from a parser's double.
 */
struct decfrac {
	double value;
	int64_t num;
	int64_t den;
	int64_t ppb; /* value × 10^9 (rounded half to even when k > 9) */
};

/* A list of owned strings. */
struct strlist {
	size_t n;
	char **v;
};

enum scenario_mode { SCENARIO_MODE_SIMULATE, SCENARIO_MODE_RECORDED, N_SCENARIO_MODE };

/* Cache key parts, as bits of scenario.cache.key. */
enum cache_part {
	CACHE_PART_TENANT = 1u << 0,
	CACHE_PART_TASK = 1u << 1,
	CACHE_PART_POLICY_VERSION = 1u << 2,
	CACHE_PART_INPUT = 1u << 3,
};

enum eviction { EVICTION_LRU, EVICTION_FIFO, N_EVICTION };
enum overflow { OVERFLOW_TRUNCATE, OVERFLOW_SUMMARIZE, OVERFLOW_ASYNC, OVERFLOW_REJECT, N_OVERFLOW };
enum billing { BILLING_FULL, BILLING_INPUT, BILLING_NONE, N_BILLING };

/* Route indexes (into scenario.routes) use this when a scenario has no routes:
 * the call runs on the request's recorded model. */
#define ROUTE_RECORDED (-1)

/* A bit set of enum status values: bit (1u << status). */
#define STATUS_BIT(s) (1u << (s))

struct route {
	char *name;    /* the route name ("small") */
	char *model;   /* the model it names ("gpt-4.1-mini") */
	int model_idx; /* index of that model in scenario.pricing->models */
};

struct routing_rule {
	/* conditions; all must hold, an absent one always holds */
	char *task;             /* NULL = any */
	char *tenant;           /* NULL = any */
	int difficulty;         /* enum difficulty; DIFFICULTY_NONE = no condition */
	int64_t input_tokens_gt; /* -1 = no condition */
	int64_t input_tokens_lt; /* -1 = no condition */
	char *route_name;
	int route;              /* index into scenario.routes */
};

struct budget_policy {
	char *task;           /* the task name, or "*" */
	int64_t input_max;    /* tokens; -1 = no limit */
	int64_t output_max;   /* tokens; -1 = no limit */
	enum overflow overflow;
};

/* An injected window's model when it names none (the SPEC §3 example's) */
#define INJECT_DEFAULT_MODEL "gpt-4.1-mini"

struct fault_window {
	char *model;          /* NULL until the scenario resolves it: then INJECT_DEFAULT_MODEL */
	int model_idx;        /* into scenario.pricing->models */
	int64_t from_us, to_us; /* [from, to), µs since the Unix epoch */
	enum status status;   /* never STATUS_OK */
	struct decfrac rate;  /* failure probability in [0, 1] */
};

/* fallback.chain entries at most (a request's next entry is a byte; each looks back at those
 * before it) */
#define SCENARIO_MAX_CHAIN 16

struct scenario {
	char *name;
	enum scenario_mode mode;
	char *path;           /* the file it was loaded from; NULL for a built-in */
	char *json;           /* the merged scenario as JSON text: extends applied and removed, name
	                       * set, pricing relative to `dir`; scenario_set() edits this */
	char *dir;            /* directory that relative paths in `json` are relative to */
	char *pricing_path;   /* the pricing file actually loaded */
	struct pricing *pricing;

	size_t n_routes;
	struct route *routes; /* empty: every call runs on the request's recorded model */

	struct {
		int on;
		unsigned key;          /* enum cache_part bits; default tenant|policy_version|input */
		char *policy_version;  /* default "" */
		unsigned normalize;    /* enum normalize_flag bits (they always run lower →
		                        * strip_punct → collapse_space); default none */
		int64_t capacity;      /* entries; 0 = unbounded (default) */
		enum eviction eviction;
		int64_t ttl_us[N_TIER]; /* per answering model's tier; 0 = no TTL (default) */
	} cache;

	struct {
		char *default_name;     /* default "small" */
		int default_route;      /* index into routes, or ROUTE_RECORDED */
		size_t n_rules;
		struct routing_rule *rules; /* first match wins */
	} routing;

	size_t n_budget;
	struct budget_policy *budget; /* file order; see scenario_budget_for() */

	struct {
		char *route_name;       /* default "small" */
		int route;              /* index into routes, or ROUTE_RECORDED */
		struct decfrac ratio;   /* default 0.1 */
	} summarize;

	struct {
		int64_t max_attempts;   /* per model, first call included; default 3 */
		unsigned on;            /* STATUS_BIT set; default the three transient classes */
		int64_t backoff_us;     /* default 500 ms; k-th retry waits backoff × 2^(k−1) */
		int64_t timeout_us;     /* default 30 s; 0 = no client timeout (timeout_ms: null) */
	} retry;

	struct {
		int on;
		struct strlist chain_names; /* default ["small", "large"]; SCENARIO_MAX_CHAIN at most */
		size_t n_chain;
		int *chain;             /* route indexes of chain_names (when fallback is on) */
		unsigned on_classes;    /* "on": STATUS_BIT set; default the three transient classes */
		int64_t tenant_inflight_cap; /* 0 = gate off (default) */
		int has_max_rate;       /* rate gate on */
		struct decfrac max_rate;
		int64_t rate_window_us; /* default 300 s */
		int has_usd_per_hour_cap; /* spend gate on */
		int64_t usd_per_hour_cap_pusd; /* pico-USD */
		struct strlist degrade_tasks; /* default empty */
	} fallback;

	struct {
		int on;
		int64_t window;         /* calls; default 20 */
		struct decfrac failure_ratio; /* default 0.5 */
		int64_t open_us;        /* default 30 s */
	} breaker;

	struct {
		int on;
		struct strlist tasks;   /* default empty */
		int64_t interval_us;    /* default 300 s */
		int64_t max_batch_size; /* items; default 120 */
		int64_t max_total_input_tokens; /* default 300000 */
		char *first_route_name; /* default "small" */
		char *fail_route_name;  /* default "large" */
		int first_route, fail_route; /* indexes into routes, or ROUTE_RECORDED */
		struct decfrac discount; /* default 0.5 */
		int64_t max_attempts;   /* all attempts of an item, the first included; default 3 */
		int64_t latency_us;     /* default 600 s */
	} batch;

	struct {
		/* per failed class; [STATUS_OK] is unused.  Defaults: timeout full,
		 * content_filter input, every other class none. */
		enum billing failed[N_STATUS];
	} billing;

	struct {
		int recorded;           /* default 1 */
		size_t n_inject;
		struct fault_window *inject; /* file order; the first matching window wins */
	} faults;

	struct {
		int cost_guard_on;      /* default on; "cost_guard": null turns it off */
		int64_t cost_guard_window_us;   /* default 3600 s */
		int64_t cost_guard_baseline_us; /* default 1209600 s (14 days) */
		struct decfrac cost_guard_threshold; /* default 0.30 */
		int fallback_flood_on;  /* default on; "fallback_flood": null turns it off */
		int64_t fallback_flood_window_us; /* default 300 s */
		struct decfrac fallback_flood_rate; /* default 0.2; > 0 */
		int64_t fallback_flood_min_requests; /* default 20 */
	} alerts;

	struct {
		struct decfrac days;               /* default 30 */
		struct decfrac sample_rate;        /* default 1.0; in (0, 1] */
		struct decfrac traffic_multiplier; /* default 1.0 */
	} projection;

	int64_t seed;                /* default 1 */
};

/* Fills *sc with every default of §10 (all sections off, empty name).  Returns
 * 0, or -1 when out of memory.  *sc need not be initialized. */
int scenario_init(struct scenario *sc, struct err *err);

/* Releases everything *sc owns and zeroes it.  NULL is fine. */
void scenario_fini(struct scenario *sc);

/* The budget policy of `task`, else the "*" policy, else NULL.  Borrowed. */
const struct budget_policy *scenario_budget_for(const struct scenario *sc, const char *task);

/*
 * The route of a request by names (SPEC §4.3: the first rule whose conditions
 * all hold, else the default), for the live runner; the replay engine tests
 * the same rules compiled to its trace's ids (sim/replay_setup.c).
 */
int scenario_route_for(const struct scenario *sc, const char *task, const char *tenant, int difficulty,
                       int64_t input_tokens);

/* The tokens a call with outcome `status` is billed for, in place (SPEC §10 billing): all of
 * them when ok, else per billing.failed (full, input only, or none). */
static inline void scenario_billed_tokens(const struct scenario *sc, int status, uint64_t *in, uint64_t *cached,
                                          uint64_t *out)
{
	enum billing b = status == STATUS_OK ? BILLING_FULL : sc->billing.failed[status];
	if (b == BILLING_NONE)
		*in = *cached = 0;
	if (b != BILLING_FULL)
		*out = 0;
}

/*
 * The wait before the k-th retry (k ≥ 1): backoff × 2^(k−1), exactly up to
 * SCENARIO_MAX_BACKOFF_US, 10^11 s (3,169 years).  That is past the replay's timeline
 * (1,000,000 buckets of at most a day from the first arrival: 8.64 · 10^10 s), so a longer
 * wait, saturated there, still puts its call past the timeline, which stops the replay
 * with an error naming retry.backoff_ms: the saturation only keeps a time plus a wait
 * inside int64 µs, and changes no figure.
 */
#define SCENARIO_MAX_BACKOFF_US (INT64_C(100000000000) * 1000000)
int64_t scenario_backoff_us(const struct scenario *sc, unsigned k);

/* A summarize call's output for `input` tokens: ⌈input × summarize.ratio⌉, exactly. */
uint64_t scenario_summary_tokens(const struct scenario *sc, uint64_t input);

/* The index of route `name` in sc->routes, or -1. */
int scenario_route_index(const struct scenario *sc, const char *name);

/* 1 when string s is in the list. */
int scenario_strlist_has(const struct strlist *l, const char *s);

/*
 * The decimal written s[0..n), a JSON number's text, as a struct decfrac, exactly:
 * the smallest k <= 18 that makes num = value × 10^k an integer, ppb rounded half
 * to even when k > 9, and `value` the double nearest to it.  Returns 0, or -1 when
 * the text is not a JSON number, needs more than 18 decimals or does not fit (num,
 * or ppb beyond ±9.2 × 10^9).
 */
int scenario_decfrac(const char *s, size_t n, struct decfrac *out);

/*
 * The key table.  A path is the key's place in a scenario file: members of an
 * object are joined by '.', a member whose name the user chooses (a route,
 * a task) is '*', and an element of an array of objects is "[]":
 * "cache.ttl_s.small", "budget.*.overflow", "routing.rules[].when.task".
 * Values are stored at `off` in the struct the key belongs to: struct scenario
 * at the top level, and the element struct (struct route, struct budget_policy,
 * struct routing_rule, struct fault_window, struct price_model) below a '*'
 * or "[]".  The same table type describes pricing files (see traces/pricing.c).
 */
enum scenario_key_type {
	SKEY_OBJECT,      /* an object of the keys below it */
	SKEY_SECTION,     /* an object whose presence turns a feature on (int at off_flag);
	                   * with KEYF_NULLABLE, null turns it off */
	SKEY_MAP,         /* an object whose member names the user chooses: children at "PATH.*";
	                   * stored as an array of elem_size structs (see below); a member
	                   * that is null is absent, and with KEYF_NULLABLE null is none */
	SKEY_LIST,        /* an array of objects: children at "PATH[]"; stored like MAP */
	SKEY_BOOL,        /* int 0/1 */
	SKEY_INT,         /* integer in [min, max], stored × scale (s → µs) as int64_t;
	                   * with KEYF_NULLABLE, null stores null_value */
	SKEY_FIXED,       /* decimal with at most `scale` decimals (more: error, or rounded
	                   * half-even with KEYF_ROUND), stored × 10^scale as int64_t;
	                   * with KEYF_NULLABLE, null clears the int at off_flag */
	SKEY_DECIMAL,     /* decimal with at most 9 decimals in [min, max] as a struct decfrac
	                   * (bounds as double in dmin/dmax, KEYF_MIN_OPEN excludes dmin);
	                   * nullable like FIXED */
	SKEY_STRING,      /* owned char * */
	SKEY_ENUM,        /* one of names[]: int, names[i] stores i + scale */
	SKEY_ENUM_SET,    /* array of names[]: unsigned bit set, names[i] sets bit i + scale */
	SKEY_STRING_LIST, /* array of strings: struct strlist */
	SKEY_TIME,        /* RFC 3339 string or epoch seconds: int64_t µs */
};

enum {
	KEYF_NULLABLE = 1u << 0, /* null is a value (off / none / unbounded) */
	KEYF_RECORDED = 1u << 1, /* allowed in a recorded scenario (top-level keys) */
	KEYF_REQUIRED = 1u << 2, /* must be present in its object */
	KEYF_MIN_OPEN = 1u << 3, /* SKEY_DECIMAL: min is excluded */
	KEYF_ROUND = 1u << 4,    /* SKEY_FIXED: round extra decimals half-even instead of failing */
	KEYF_NONEMPTY = 1u << 5, /* strings and lists: must not be empty */
	KEYF_ROUTE = 1u << 6,    /* a route name (or a list of them): checked against routes */
};

#define SKEY_NO_FLAG ((size_t)-1)

struct scenario_key {
	const char *path;
	enum scenario_key_type type;
	unsigned flags;
	size_t off;              /* where the value goes in the key's struct */
	size_t off_flag;         /* SECTION / nullable FIXED and DECIMAL: an int set to 1 when
	                          * present, 0 on null; else SKEY_NO_FLAG */
	const char *const *names; /* ENUM, ENUM_SET: NULL-terminated choices */
	int64_t min, max;        /* INT bounds (file units) */
	int64_t scale;           /* INT: unit factor; FIXED: decimals; ENUM_SET: bit shift */
	int64_t null_value;      /* INT with KEYF_NULLABLE: what null stores */
	double dmin, dmax;       /* DECIMAL bounds */
	const char *expect;      /* what a wrong value is told: "a positive integer" */
	const char *help;        /* one line, with the default */
	/* MAP and LIST: `off` holds the array pointer, `off_flag` its size_t count */
	size_t elem_size;
	size_t elem_name;        /* MAP: offset of the element's char * member name */
	void (*elem_init)(void *elem); /* fills an element's defaults */
};

extern const struct scenario_key scenario_keys[];
extern const size_t scenario_n_keys;

/*
 * What key k takes, bounds included, into buf (n bytes; SCENARIO_EXPECT_MAX hold any key's) and
 * returned: its expectation, and for an INT or DECIMAL key whose expectation names no bound,
 * its maximum after it ("a positive integer of at most 10000000000").  The one text of a key's
 * value: `llmcost help scenario` lists it and the checker says it of a value past the maximum.
 */
const char *scenario_key_expect(const struct scenario_key *k, char *buf, size_t n);
/* Bytes that hold scenario_key_expect's text of any key in scenario_keys[] (an expectation, " of
 * at most " and a bound's digits), with room for longer expectations; test_scenario checks it. */
#define SCENARIO_EXPECT_MAX 320

/* The table entry of a concrete path ("budget.faq_answer.overflow",
 * "routing.rules[0].route") or pattern, or NULL. */
const struct scenario_key *scenario_key_find(const struct scenario_key *table, size_t n,
                                             const char *path);

/* 1 when concrete path `path` is an instance of pattern `pat`. */
int scenario_key_match(const char *pat, const char *path);

/*
 * The closest known key to an unknown concrete `path` in `table`, written
 * into buf as a concrete path (the user's own names kept: "budget.faq.overflw"
 * suggests "budget.faq.overflow"), or NULL when nothing is close.
 * Closeness is the optimal-string-alignment edit distance of the last
 * segment against its siblings (at most 1 for names of up to 4 characters,
 * else 2), else the siblings of which it is a part (a whole '_' part, or the
 * start of four letters or more: "multiplier", "rout"), up to 3 of them, one a
 * line ("routes\nrouting"); failing that, the last segment against the last segment of every
 * key without a user-chosen part (equal for short names, else at most 1),
 * when exactly one key is that close ("ttl_s" suggests "cache.ttl_s"); inside
 * a known object, only a key of the very name (else the object's keys are
 * the better answer).
 */
const char *scenario_key_suggest(const struct scenario_key *table, size_t n, const char *path,
                                 char *buf, size_t bufsz);
/* scenario_key_suggest()'s answer as a hint, into buf: did you mean "cache.ttl_s"?, or
 * did you mean the top-level "seed"? for a nested path, or did you mean "routes" or "routing"?
 * for several; NULL when nothing is close. */
const char *scenario_key_hint(const struct scenario_key *table, size_t n, const char *path,
                              char *buf, size_t bufsz);

/* Edit distance (optimal string alignment: insert, delete, substitute, swap adjacent). */
int scenario_edit_distance(const char *a, const char *b);
/* The most edits by which a name typed `len` bytes long is taken for a slip of a known one (and
 * the known one suggested): 1 for up to 4 bytes, else 2. */
static inline int scenario_slip_edits(size_t len)
{
	return len <= 4 ? 1 : 2;
}

extern const char *const scenario_mode_names[];     /* "simulate", "recorded", NULL */
extern const char *const scenario_eviction_names[]; /* "lru", "fifo", NULL */
extern const char *const scenario_overflow_names[]; /* "truncate", "summarize", "async", "reject", NULL */
extern const char *const scenario_billing_names[];  /* "full", "input", "none", NULL */
extern const char *const scenario_cache_part_names[]; /* "tenant", "task", "policy_version", "input", NULL */
extern const char *const scenario_normalize_names[];  /* "lower", "strip_punct", "collapse_space", NULL */

#endif
