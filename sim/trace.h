/*
 * The columnar trace: one array per field, indexed by request (accepted line
 * order, SPEC §10) and, for recorded calls, by attempt.  Tenants, tasks, models
 * and input hashes are ids in `names`; input texts are ids in `inputs`, so a
 * cache-key normalization can be computed once per distinct text at replay
 * time.  The trace owns every array; trace_free releases them all.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdint.h>

#include "sim/intern.h"
#include "sim/status.h"

#define TRACE_NONE UINT32_MAX      /* no id (no input text, no input hash) */
#define TRACE_NO_TIME INT64_MIN    /* an attempt without ts */
#define TRACE_NO_LATENCY (-1)      /* an attempt without latency_ms */
#define TRACE_NO_COST (-1)         /* a line without cost_usd */

enum difficulty { DIFFICULTY_NONE, DIFFICULTY_EASY, DIFFICULTY_HARD };

struct trace {
	char *name;
	uint32_t n_req;
	int64_t *ts_us;            /* arrival, µs since the Unix epoch */
	uint32_t *tenant, *task;   /* ids in names */
	uint32_t *input_tok;       /* given, or estimated from the input text */
	uint32_t *output_tok;
	uint32_t *cached_tok;      /* top-level cached_tokens, 0 when absent */
	uint32_t *input;           /* id in inputs, or TRACE_NONE */
	uint32_t *input_hash;      /* id in names, or TRACE_NONE */
	uint8_t *difficulty;       /* enum difficulty */
	uint8_t *realtime;         /* 1 unless the line says "realtime": false */
	int64_t *cost_pusd;        /* cost_usd in pico-USD or TRACE_NO_COST; NULL when no line has one */
	float *quality;            /* NaN when absent; NULL when no line has one */

	/* Recorded calls: request i's are [att_first[i], att_first[i + 1]). */
	uint32_t *att_first;       /* n_req + 1 entries */
	uint32_t n_att;
	uint32_t *att_model;       /* id in names */
	uint8_t *att_status;       /* enum status */
	uint32_t *att_input_tok, *att_output_tok, *att_cached_tok;
	int64_t *att_latency_us;   /* or TRACE_NO_LATENCY */
	int64_t *att_ts_us;        /* or TRACE_NO_TIME */

	struct intern names;       /* tenants, tasks, models, input hashes */
	struct intern inputs;      /* input texts as received (before normalization) */
	uint32_t cap_req, cap_att; /* allocated rows (trace_grow) */
	unsigned optional;         /* enum trace_optional: which optional columns exist */
};


enum trace_optional { TRACE_HAS_COST = 1, TRACE_HAS_QUALITY = 2 };

/* One column, for code that treats them alike (growth, storage): where its
 * array pointer lives, its element size, and how many rows it holds. */
struct trace_column {
	const char *name;          /* the field's name ("ts_us", "att_model") */
	void **data;
	size_t elem;
	enum { TRACE_BY_REQUEST, TRACE_BY_ATTEMPT } by;
	unsigned optional;         /* 0, or the enum trace_optional bit that brings it */
};

#define TRACE_MAX_COLUMNS 24

/* Every column of t (present or not), TRACE_MAX_COLUMNS at most; returns how many. */
size_t trace_columns(struct trace *t, struct trace_column *out);

/* Rows of column c in use: n_req (n_req + 1 for att_first) or n_att. */
size_t trace_column_rows(const struct trace *t, const struct trace_column *c);

/*
 * Initializes t with every column allocated for n_req requests and n_att
 * attempts (n_req, n_att set: the loader fills the rows), the optional ones per
 * `optional`, and empty intern tables.  Returns 0, or -1 when out of memory
 * (the trace is then empty and safe to free).
 */
int trace_alloc(struct trace *t, uint32_t n_req, uint32_t n_att, unsigned optional);

/*
 * Makes room for exactly n_req requests and n_att attempts, or keeps the room
 * there is when larger, keeping the rows (builders append by writing row n_req
 * and counting up, and grow by doubling).  `optional`
 * adds optional columns (new rows of which are zero).  Returns 0 or -1 (out of
 * memory; the trace is unchanged).
 */
int trace_grow(struct trace *t, uint32_t n_req, uint32_t n_att, unsigned optional);

/* Releases everything; accepts a zeroed or NULL trace. */
void trace_free(struct trace *t);

/* Bytes held by the columns and intern tables (for the benchmark's memory figure). */
uint64_t trace_bytes(const struct trace *t);

/*
 * Readers of the recorded calls and of the sparse columns: code outside the
 * trace's own files reads them through these, so their layout can change.
 * Request i's attempts are [trace_att_begin(t, i), trace_att_end(t, i)).
 */
static inline uint32_t trace_att_begin(const struct trace *t, uint32_t i) { return t->att_first[i]; }
static inline uint32_t trace_att_end(const struct trace *t, uint32_t i) { return t->att_first[i + 1]; }
/* Attempt a's model, an id in names. */
static inline uint32_t trace_att_model(const struct trace *t, uint32_t a) { return t->att_model[a]; }
static inline enum status trace_att_status(const struct trace *t, uint32_t a)
{
	return (enum status)t->att_status[a];
}
/* µs, or TRACE_NO_LATENCY. */
static inline int64_t trace_att_latency_us(const struct trace *t, uint32_t a) { return t->att_latency_us[a]; }
/* µs since the epoch, or TRACE_NO_TIME. */
static inline int64_t trace_att_ts_us(const struct trace *t, uint32_t a) { return t->att_ts_us[a]; }
/* Attempt a's input, output and cached tokens (request i's where the attempt gave none). */
static inline void trace_att_tokens(const struct trace *t, uint32_t i, uint32_t a, uint64_t *in,
                                    uint64_t *out, uint64_t *cached)
{
	(void)i;
	*in = t->att_input_tok[a];
	*out = t->att_output_tok[a];
	*cached = t->att_cached_tok[a];
}
/* Request i's input_hash, an id in names, or TRACE_NONE. */
static inline uint32_t trace_input_hash(const struct trace *t, uint32_t i) { return t->input_hash[i]; }

#endif
