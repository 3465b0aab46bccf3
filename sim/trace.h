/*
 * The columnar trace: one array per field, indexed by request (accepted line
 * order, SPEC §10) and, for recorded calls, by attempt.  Tenants, tasks, models
 * and input hashes are ids in `names`; input texts are ids in `inputs`, so a
 * cache-key normalization can be computed once per distinct text at replay
 * time.  The trace owns every array; trace_free releases them all.  Columns
 * that are usually redundant are left out (NULL) when a trace does not need
 * them, and trace_trim narrows columns whose values allow it, so every column
 * is read through the readers at the end of this header, never directly.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdint.h>

#include "sim/err.h"
#include "sim/intern.h"
#include "sim/status.h"

#define TRACE_NONE UINT32_MAX      /* no id (no input text, no input hash) */
/* What an import admits (traces/jsonl.c) and trace_check holds a stored trace to: times in
 * RFC 3339's years 0000 to 9999, latencies up to 10^10 s, so that a time plus any duration the
 * replay adds (latencies, backoffs, windows) stays inside int64 µs. */
#define TRACE_TS_MIN_US (-62167219200LL * 1000000)
#define TRACE_TS_MAX_US (253402300799LL * 1000000 + 999999)
#define TRACE_LATENCY_MAX_US (10000000000LL * 1000000)

#define TRACE_NO_TIME INT64_MIN    /* an attempt without ts */
#define TRACE_NO_LATENCY (-1)      /* an attempt without latency_ms */
#define TRACE_NO_COST (-1)         /* a line without cost_usd */

/* Distinct (model, status) pairs among a trace's recorded calls, at most. */
#define TRACE_MAX_KINDS 65536u

/* att_latency_us codes above the 32-bit µs range (about 71 minutes). */
#define TRACE_LATENCY_WIDE (UINT32_MAX - 1) /* the value is in wide_att / wide_latency_us */
#define TRACE_LATENCY_ABSENT UINT32_MAX     /* TRACE_NO_LATENCY */

/* att_ts_off codes below the offsets that fit (about ±35.8 minutes from the request's ts). */
#define TRACE_TS_OFF_ABSENT INT32_MIN       /* TRACE_NO_TIME */
#define TRACE_TS_OFF_WIDE (INT32_MIN + 1)   /* the time is in wide_ts_att / wide_ts_us */

enum difficulty { DIFFICULTY_NONE, DIFFICULTY_EASY, DIFFICULTY_HARD };

/* Which optional columns a trace has (struct trace's `optional`). */
enum trace_optional {
	TRACE_HAS_COST = 1 << 0,          /* cost_pusd */
	TRACE_HAS_INPUT_HASH = 1 << 1,    /* input_hash */
	TRACE_HAS_ATT_FIRST = 1 << 2,     /* att_first */
	TRACE_HAS_KIND16 = 1 << 3,        /* att_kind16 instead of att_kind8 */
	TRACE_HAS_ATT_INPUT_TOK = 1 << 4, /* att_input_tok */
	TRACE_HAS_ATT_OUTPUT_TOK = 1 << 5,
	TRACE_HAS_ATT_CACHED_TOK = 1 << 6,
	TRACE_HAS_ATT_TS = 1 << 7,        /* att_ts_off */
	TRACE_NARROW_TS = 1 << 8,         /* ts_base and ts_off instead of ts_us */
	TRACE_NARROW_TENANT = 1 << 9,     /* tenant16 instead of tenant */
	TRACE_NARROW_TASK = 1 << 10,
	TRACE_NARROW_INPUT_TOK = 1 << 11,
	TRACE_NARROW_OUTPUT_TOK = 1 << 12,
	TRACE_NARROW_CACHED_TOK = 1 << 13,
	TRACE_NARROW_ATT_INPUT_TOK = 1 << 14, /* att_input_tok16 instead of att_input_tok */
	TRACE_NARROW_ATT_OUTPUT_TOK = 1 << 15,
	TRACE_NARROW_ATT_CACHED_TOK = 1 << 16,
	TRACE_NARROW_REQUEST = ((1 << 14) - 1) & ~((1 << 8) - 1), /* the request columns' */
	TRACE_NARROW_ATT = ((1 << 17) - 1) & ~((1 << 14) - 1),    /* the call token columns' */
	TRACE_NARROWED = TRACE_NARROW_REQUEST | TRACE_NARROW_ATT,
	TRACE_ALL_OPTIONAL = (1 << 17) - 1
};

/* kind_status's bit for a summarize call (an attempt marked "summary": true, as live records
 * them), apart from the request's main calls. */
#define TRACE_KIND_SUMMARY 0x80u

/* Requests per ts_base entry. */
#define TRACE_TS_BLOCK 256u

/* flags: the difficulty in the low bits, then realtime, then live's degraded mark. */
#define TRACE_FLAG_DIFFICULTY 3u
#define TRACE_FLAG_REALTIME 4u
#define TRACE_FLAG_DEGRADED 8u

struct trace {
	char *name;
	uint32_t n_req;
	int64_t *ts_us;            /* arrival, µs since the Unix epoch */
	uint32_t *tenant, *task;   /* ids in names */
	uint32_t *input_tok;       /* given, or estimated from the input text */
	uint32_t *output_tok;
	uint32_t *cached_tok;      /* top-level cached_tokens, 0 when absent */
	uint32_t *input;           /* id in inputs, or TRACE_NONE */
	uint8_t *flags;            /* enum difficulty | TRACE_FLAG_REALTIME unless "realtime": false
	                              | TRACE_FLAG_DEGRADED for a line marked "live": "degraded" */
	int64_t *cost_pusd;        /* cost_usd in pico-USD or TRACE_NO_COST; NULL when no line has one */
	uint32_t *input_hash;      /* id in names, or TRACE_NONE; NULL when no line has one */

	/*
	 * Narrowed request columns (trace_trim), each instead of its wide one
	 * above, which is then NULL: arrivals as µs after the earliest of their
	 * block of TRACE_TS_BLOCK requests when every block spans less than 2^32
	 * µs; ids and tokens in 16 bits when every value fits.
	 */
	int64_t *ts_base;          /* per block */
	uint32_t *ts_off;
	uint16_t *tenant16, *task16, *input_tok16, *output_tok16, *cached_tok16;

	/*
	 * Recorded calls.  Request i's are [att_first[i], att_first[i + 1]), or
	 * just call i when att_first is NULL (every request has exactly one).
	 * A call's model and status are its kind's (kind_model, kind_status).
	 * The token columns are NULL while every call has its request's tokens;
	 * trace_trim narrows each to 16 bits when every value fits.  A call's
	 * time is kept as µs after its request's ts.
	 */
	uint32_t n_att;
	uint32_t *att_first;       /* n_req + 1 entries, or NULL */
	uint8_t *att_kind8;        /* index in the kind tables (up to 256 kinds) */
	uint16_t *att_kind16;      /* instead of att_kind8 when there are more kinds */
	uint32_t *att_latency_us;  /* µs, TRACE_LATENCY_WIDE or TRACE_LATENCY_ABSENT */
	uint32_t *att_input_tok, *att_output_tok, *att_cached_tok; /* NULL or per call */
	uint16_t *att_input_tok16, *att_output_tok16, *att_cached_tok16; /* or these instead */
	int32_t *att_ts_off;       /* µs after the request's ts, TRACE_TS_OFF_WIDE or
	                              TRACE_TS_OFF_ABSENT; NULL when no call has a ts */
	uint32_t n_kinds;
	uint32_t *kind_model;      /* id in names */
	uint8_t *kind_status;      /* enum status, | TRACE_KIND_SUMMARY for a summarize call */
	uint32_t n_wide;           /* calls whose latency is TRACE_LATENCY_WIDE: */
	uint32_t *wide_att;        /* their indexes, ascending */
	int64_t *wide_latency_us;  /* and latencies, µs */
	uint32_t n_wide_ts;        /* calls whose time is TRACE_TS_OFF_WIDE: */
	uint32_t *wide_ts_att;     /* their indexes, ascending */
	int64_t *wide_ts_us;       /* and times, µs since the epoch */

	/* cost_usd past the pico-USD, for the lines whose cost has more than 12 decimals (kept
	 * apart from the columns: few traces have any), by ascending request */
	uint32_t n_cost_sub;
	struct trace_cost_sub {
		uint32_t req;
		int64_t sub;       /* in 10^-30 USD (sim/money.h MONEY_SUB_PER_PUSD) */
	} *cost_subs;

	/* Each request's index in the trace it was taken from, for the draw (SPEC §10 "The draw"
	 * hashes a request's index among its trace's accepted lines): a watch replays a stored
	 * trace's requests arrived so far, a subsequence, with the draws the whole trace gives them.
	 * NULL for every other trace (the index is the request's own); not stored; the replay reads
	 * it only where it draws (trace_draw_index), and messages (trace_request_where). */
	uint32_t *draw_index;

	struct intern names;       /* tenants, tasks, models, input hashes */
	struct intern inputs;      /* input texts as received (before normalization); after
	                              trace_trim without a lookup index: intern_find scans it */
	uint32_t cap_req, cap_att, cap_kinds, cap_wide, cap_wide_ts; /* allocated rows */
	unsigned optional;         /* enum trace_optional: which optional columns exist */
	uint32_t *kind_slot;       /* while building: (model, status) → kind + 1, open addressing */
	uint32_t n_kind_slots;
};

/* A trace's sizes: rows per dimension and the optional columns it has. */
struct trace_shape {
	uint32_t n_req, n_att, n_kinds, n_wide, n_wide_ts;
	unsigned optional;         /* enum trace_optional */
};

enum trace_dim { TRACE_BY_REQUEST, TRACE_BY_BOUND /* n_req + 1 */, TRACE_BY_BLOCK /* of TRACE_TS_BLOCK */,
                 TRACE_BY_ATTEMPT, TRACE_BY_KIND, TRACE_BY_WIDE, TRACE_BY_WIDE_TS };

/* One column, for code that treats them alike (growth, storage): where its
 * array pointer lives, its element size, and how many rows it holds. */
struct trace_column {
	const char *name;          /* the field's name ("ts_us", "att_kind8") */
	void **data;
	size_t elem;
	enum trace_dim by;
	unsigned optional;         /* 0, or the enum trace_optional bit that brings it */
	unsigned unless;           /* 0, or the bit that replaces it by another column */
};

#define TRACE_MAX_COLUMNS 40

/* Every column of t (present or not), TRACE_MAX_COLUMNS at most; returns how many. */
size_t trace_columns(struct trace *t, struct trace_column *out);

/* 1 when a trace with these optional columns has column c. */
int trace_column_present(unsigned optional, const struct trace_column *c);

/* Rows of column c in a trace of this shape. */
size_t trace_column_rows(const struct trace_shape *s, const struct trace_column *c);

/* The shape of t. */
struct trace_shape trace_shape_of(const struct trace *t);

/*
 * Initializes t with the columns of `shape` allocated and its counts set (a
 * loader fills the rows; the kind-lookup index is not built), and empty intern
 * tables.  A zero shape makes an empty trace for trace_append.  Returns 0, or -1
 * when out of memory (the trace is then empty and safe to free).
 */
int trace_alloc(struct trace *t, const struct trace_shape *shape);

/* One recorded call, for trace_append. */
struct trace_call {
	uint32_t model;            /* id in names */
	enum status status;
	int64_t input_tok, output_tok, cached_tok; /* negative: the request's */
	int64_t latency_us;        /* or TRACE_NO_LATENCY */
	int64_t ts_us;             /* or TRACE_NO_TIME */
	int summary;               /* a summarize call */
};

/* One request, for trace_append: the request columns' values. */
struct trace_row {
	int64_t ts_us;
	uint32_t tenant, task, input, input_hash; /* input, input_hash: or TRACE_NONE */
	uint32_t input_tok, output_tok, cached_tok;
	enum difficulty difficulty;
	int realtime;
	int degraded;              /* "live": "degraded" (live's record: a degraded answer) */
	int64_t cost_pusd;         /* or TRACE_NO_COST */
};

/*
 * Appends a request and its n_calls recorded calls (builders: the importer's
 * columnar copy, the store's row loader), adding an optional column when the
 * first row that needs it arrives.  Room grows by doubling; trace_trim gives
 * the rest back.  Returns 0, or -1 with e set (out of memory, more than
 * TRACE_MAX_KINDS kinds, too many rows, a trace already narrowed by
 * trace_trim); the trace then holds the rows before.
 */
int trace_append(struct trace *t, const struct trace_row *r, const struct trace_call *calls,
                 uint32_t n_calls, struct err *e);

/* The requests' indexes in arrival order: by time, ties in line order; malloc'd (n_req
 * entries, at least one), NULL when out of memory. */
uint32_t *trace_arrival_order(const struct trace *t);

/* For messages, request i found again: its arrival into at (CLOCK_TEXT_MAX bytes) and "tenant
 * T, task K; accepted line N of the trace" into where (TRACE_WHERE_MAX bytes). */
#define TRACE_WHERE_MAX 640
void trace_request_where(const struct trace *t, uint32_t i, char *at, char *where);

/* Appends request i of src to t, its names and input text interned in t's tables (a trace
 * growing as another is played back).  -1 with e set, as trace_append. */
int trace_append_from(struct trace *t, const struct trace *src, uint32_t i, struct err *e);

/*
 * The requests of src that arrive in [from_us, to_us) (replay's --from and --to; watch's trace
 * so far of a stored trace out of time order), in src's order (a subsequence: src need not be
 * in time order, and a replay orders arrivals itself), built once into out from empty (the
 * caller trace_free's it, also on failure): each with its recorded calls, cost digits and its
 * index in src as its draw index (struct trace's draw_index), so that a replay of out gives
 * every request the draws a replay of src gives it (SPEC §10 "The draw") and ties the same
 * order.  out keeps src's name and is trimmed.  -1 with e set (out of memory).
 */
int trace_select(const struct trace *src, int64_t from_us, int64_t to_us, struct trace *out, struct err *e);

/* Ends building: narrows the request columns and the calls' token columns whose
 * values allow it, frees the kind-lookup index and the inputs' lookup index (texts
 * are read by id from then on) and gives back the reserved room of columns and
 * intern tables.  Never fails (a column that cannot be narrowed for want of memory
 * stays wide). */
void trace_trim(struct trace *t);

/* Releases everything; accepts a zeroed or NULL trace. */
void trace_free(struct trace *t);

/* Bytes held by the columns, kind and wide tables and intern tables (the benchmark's memory figure). */
uint64_t trace_bytes(const struct trace *t);

/* Checks what the readers rely on in a trace filled from outside (a stored
 * copy): name and input ids in their tables, difficulties, costs, call ranges,
 * kinds, the wide latencies and call times, arrivals, call times and latencies
 * within what an import admits.  Returns 0, or -1 with e set. */
int trace_check(const struct trace *t, struct err *e);

/* The latency of call a when it is TRACE_LATENCY_WIDE (trace_att_latency_us's slow path). */
int64_t trace_wide_latency_us(const struct trace *t, uint32_t a);

/* The time of call a when it is TRACE_TS_OFF_WIDE (trace_att_ts_us's slow path). */
int64_t trace_wide_ts_us(const struct trace *t, uint32_t a);

/* Readers of the request columns (their wide or narrowed form). */
/* How many of the n ascending values of v are below x (where x would go among them). */
static inline uint32_t trace_count_below(const uint32_t *v, uint32_t n, uint32_t x)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static inline int64_t trace_ts_us(const struct trace *t, uint32_t i)
{
	return t->ts_off ? t->ts_base[i / TRACE_TS_BLOCK] + t->ts_off[i] : t->ts_us[i];
}
static inline uint32_t trace_tenant(const struct trace *t, uint32_t i)
{
	return t->tenant16 ? t->tenant16[i] : t->tenant[i];
}
static inline uint32_t trace_task(const struct trace *t, uint32_t i)
{
	return t->task16 ? t->task16[i] : t->task[i];
}
static inline uint32_t trace_input_tok(const struct trace *t, uint32_t i)
{
	return t->input_tok16 ? t->input_tok16[i] : t->input_tok[i];
}
static inline uint32_t trace_output_tok(const struct trace *t, uint32_t i)
{
	return t->output_tok16 ? t->output_tok16[i] : t->output_tok[i];
}
static inline uint32_t trace_cached_tok(const struct trace *t, uint32_t i)
{
	return t->cached_tok16 ? t->cached_tok16[i] : t->cached_tok[i];
}
/* An enum difficulty. */
static inline int trace_difficulty(const struct trace *t, uint32_t i)
{
	return t->flags[i] & TRACE_FLAG_DIFFICULTY;
}
/* 1 unless the line says "realtime": false. */
static inline int trace_realtime(const struct trace *t, uint32_t i)
{
	return (t->flags[i] & TRACE_FLAG_REALTIME) != 0;
}
/* 1 when the line says "live": "degraded": live's record of a request whose task degraded when
 * its calls gave no answer, which the recorded scenario counts as degraded, not failed. */
static inline int trace_degraded(const struct trace *t, uint32_t i)
{
	return (t->flags[i] & TRACE_FLAG_DEGRADED) != 0;
}

/*
 * Readers of the recorded calls and of the sparse columns: code outside the
 * trace's own files reads them through these.
 * Request i's attempts are [trace_att_begin(t, i), trace_att_end(t, i)).
 */
static inline uint32_t trace_att_begin(const struct trace *t, uint32_t i)
{
	return t->att_first ? t->att_first[i] : i;
}
static inline uint32_t trace_att_end(const struct trace *t, uint32_t i)
{
	return t->att_first ? t->att_first[i + 1] : i + 1;
}
/* Attempt a's kind: an index in kind_model and kind_status. */
static inline uint32_t trace_att_kind(const struct trace *t, uint32_t a)
{
	return t->att_kind8 ? t->att_kind8[a] : t->att_kind16[a];
}
/* Attempt a's model, an id in names. */
static inline uint32_t trace_att_model(const struct trace *t, uint32_t a)
{
	return t->kind_model[trace_att_kind(t, a)];
}
static inline enum status trace_att_status(const struct trace *t, uint32_t a)
{
	return (enum status)(t->kind_status[trace_att_kind(t, a)] & ~TRACE_KIND_SUMMARY);
}
/* 1 when attempt a is a summarize call. */
static inline int trace_att_summary(const struct trace *t, uint32_t a)
{
	return (t->kind_status[trace_att_kind(t, a)] & TRACE_KIND_SUMMARY) != 0;
}
/*
 * How a recorded call of request i counts, as the recorded scenario counts it (SPEC §3 "mode":
 * "recorded") and the watch's windows too: a retry repeats the model of the call listed before
 * it, a fallback changes it, and a summarize call (live's record of a summarize step) is neither
 * of its main calls' retry or fallback, nor they of it.  trace_att_prev_alike: the attempt listed
 * last before a among its kind (main or summarize calls), or UINT32_MAX (a's kind's first);
 * trace_att_fallback: 1 when main call a changes model from prev, its trace_att_prev_alike.
 */
static inline uint32_t trace_att_prev_alike(const struct trace *t, uint32_t i, uint32_t a)
{
	for (uint32_t b = a; b-- > trace_att_begin(t, i);)
		if (trace_att_summary(t, b) == trace_att_summary(t, a))
			return b;
	return UINT32_MAX;
}
static inline int trace_att_fallback(const struct trace *t, uint32_t a, uint32_t prev)
{
	return prev != UINT32_MAX && !trace_att_summary(t, a) && trace_att_model(t, a) != trace_att_model(t, prev);
}
/* µs, or TRACE_NO_LATENCY. */
static inline int64_t trace_att_latency_us(const struct trace *t, uint32_t a)
{
	uint32_t v = t->att_latency_us[a];
	if (v < TRACE_LATENCY_WIDE)
		return v;
	return v == TRACE_LATENCY_ABSENT ? TRACE_NO_LATENCY : trace_wide_latency_us(t, a);
}
/* Attempt a's time (a call of request i): µs since the epoch, or TRACE_NO_TIME. */
static inline int64_t trace_att_ts_us(const struct trace *t, uint32_t i, uint32_t a)
{
	if (!t->att_ts_off)
		return TRACE_NO_TIME;
	int32_t v = t->att_ts_off[a];
	if (v > TRACE_TS_OFF_WIDE)
		return trace_ts_us(t, i) + v;
	return v == TRACE_TS_OFF_ABSENT ? TRACE_NO_TIME : trace_wide_ts_us(t, a);
}
/* Attempt a's input, output and cached tokens (request i's where the attempt gave none);
 * the 16-bit form, when there is one, is checked first. */
static inline void trace_att_tokens(const struct trace *t, uint32_t i, uint32_t a, uint64_t *in,
                                    uint64_t *out, uint64_t *cached)
{
	*in = t->att_input_tok16 ? t->att_input_tok16[a]
	    : t->att_input_tok ? t->att_input_tok[a] : trace_input_tok(t, i);
	*out = t->att_output_tok16 ? t->att_output_tok16[a]
	     : t->att_output_tok ? t->att_output_tok[a] : trace_output_tok(t, i);
	*cached = t->att_cached_tok16 ? t->att_cached_tok16[a]
	        : t->att_cached_tok ? t->att_cached_tok[a] : trace_cached_tok(t, i);
}
/* Request i's index for the draw and for messages: draw_index's, else i. */
static inline uint32_t trace_draw_index(const struct trace *t, uint32_t i)
{
	return t->draw_index ? t->draw_index[i] : i;
}
/* Request i's input_hash, an id in names, or TRACE_NONE. */
static inline uint32_t trace_input_hash(const struct trace *t, uint32_t i)
{
	return t->input_hash ? t->input_hash[i] : TRACE_NONE;
}

#endif
