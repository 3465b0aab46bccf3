/*
 * The columnar trace's storage and its builder.  Columns are listed once
 * (trace_columns) and sized per dimension: requests, blocks of requests,
 * attempts, kinds (distinct model and status pairs), wide latencies and wide
 * call times.  trace_append adds an optional column the first time a row needs
 * it and fills its earlier rows with what the readers returned without it, so a
 * trace built row by row equals one loaded whole; trace_trim then narrows the
 * columns whose values allow it and gives back the room that doubling reserved.
 */
#include "sim/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"

size_t trace_columns(struct trace *t, struct trace_column *out)
{
	size_t n = 0;
#define COL(f, by_, opt, unless_) \
	out[n++] = (struct trace_column){ #f, (void **)&t->f, sizeof *t->f, by_, opt, unless_ };
	COL(ts_us, TRACE_BY_REQUEST, 0, TRACE_NARROW_TS)
	COL(tenant, TRACE_BY_REQUEST, 0, TRACE_NARROW_TENANT)
	COL(task, TRACE_BY_REQUEST, 0, TRACE_NARROW_TASK)
	COL(input_tok, TRACE_BY_REQUEST, 0, TRACE_NARROW_INPUT_TOK)
	COL(output_tok, TRACE_BY_REQUEST, 0, TRACE_NARROW_OUTPUT_TOK)
	COL(cached_tok, TRACE_BY_REQUEST, 0, TRACE_NARROW_CACHED_TOK)
	COL(input, TRACE_BY_REQUEST, 0, 0) COL(flags, TRACE_BY_REQUEST, 0, 0)
	COL(cost_pusd, TRACE_BY_REQUEST, TRACE_HAS_COST, 0)
	COL(input_hash, TRACE_BY_REQUEST, TRACE_HAS_INPUT_HASH, 0)
	COL(att_first, TRACE_BY_BOUND, TRACE_HAS_ATT_FIRST, 0)
	COL(att_kind8, TRACE_BY_ATTEMPT, 0, TRACE_HAS_KIND16)
	COL(att_kind16, TRACE_BY_ATTEMPT, TRACE_HAS_KIND16, 0)
	COL(att_latency_us, TRACE_BY_ATTEMPT, 0, 0)
	COL(att_input_tok, TRACE_BY_ATTEMPT, TRACE_HAS_ATT_INPUT_TOK, TRACE_NARROW_ATT_INPUT_TOK)
	COL(att_output_tok, TRACE_BY_ATTEMPT, TRACE_HAS_ATT_OUTPUT_TOK, TRACE_NARROW_ATT_OUTPUT_TOK)
	COL(att_cached_tok, TRACE_BY_ATTEMPT, TRACE_HAS_ATT_CACHED_TOK, TRACE_NARROW_ATT_CACHED_TOK)
	COL(att_ts_off, TRACE_BY_ATTEMPT, TRACE_HAS_ATT_TS, 0)
	COL(kind_model, TRACE_BY_KIND, 0, 0) COL(kind_status, TRACE_BY_KIND, 0, 0)
	COL(wide_att, TRACE_BY_WIDE, 0, 0) COL(wide_latency_us, TRACE_BY_WIDE, 0, 0)
	COL(ts_base, TRACE_BY_BLOCK, TRACE_NARROW_TS, 0) COL(ts_off, TRACE_BY_REQUEST, TRACE_NARROW_TS, 0)
	COL(tenant16, TRACE_BY_REQUEST, TRACE_NARROW_TENANT, 0)
	COL(task16, TRACE_BY_REQUEST, TRACE_NARROW_TASK, 0)
	COL(input_tok16, TRACE_BY_REQUEST, TRACE_NARROW_INPUT_TOK, 0)
	COL(output_tok16, TRACE_BY_REQUEST, TRACE_NARROW_OUTPUT_TOK, 0)
	COL(cached_tok16, TRACE_BY_REQUEST, TRACE_NARROW_CACHED_TOK, 0)
	COL(att_input_tok16, TRACE_BY_ATTEMPT, TRACE_NARROW_ATT_INPUT_TOK, 0)
	COL(att_output_tok16, TRACE_BY_ATTEMPT, TRACE_NARROW_ATT_OUTPUT_TOK, 0)
	COL(att_cached_tok16, TRACE_BY_ATTEMPT, TRACE_NARROW_ATT_CACHED_TOK, 0)
	COL(wide_ts_att, TRACE_BY_WIDE_TS, 0, 0) COL(wide_ts_us, TRACE_BY_WIDE_TS, 0, 0)
#undef COL
	return n;
}

int trace_column_present(unsigned optional, const struct trace_column *c)
{
	return (!c->optional || (optional & c->optional)) && !(optional & c->unless);
}

size_t trace_column_rows(const struct trace_shape *s, const struct trace_column *c)
{
	switch (c->by) {
	case TRACE_BY_REQUEST: return s->n_req;
	case TRACE_BY_BOUND: return (size_t)s->n_req + 1;
	case TRACE_BY_BLOCK: return ((size_t)s->n_req + TRACE_TS_BLOCK - 1) / TRACE_TS_BLOCK;
	case TRACE_BY_ATTEMPT: return s->n_att;
	case TRACE_BY_KIND: return s->n_kinds;
	case TRACE_BY_WIDE: return s->n_wide;
	case TRACE_BY_WIDE_TS: return s->n_wide_ts;
	}
	return 0;
}

struct trace_shape trace_shape_of(const struct trace *t)
{
	return (struct trace_shape){ t->n_req, t->n_att, t->n_kinds, t->n_wide, t->n_wide_ts, t->optional };
}

static struct trace_shape caps_of(const struct trace *t)
{
	return (struct trace_shape){ t->cap_req, t->cap_att, t->cap_kinds, t->cap_wide, t->cap_wide_ts,
	                             t->optional };
}

/* Resizes *p from old to n elements of size elem, zeroing the new ones. */
static int resize(void **p, size_t elem, size_t old, size_t n)
{
	void *q = realloc(*p, elem * (n ? n : 1));
	if (!q)
		return -1;
	if (n > old)
		memset((char *)q + elem * old, 0, elem * (n - old));
	*p = q;
	return 0;
}

static uint32_t max_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/*
 * Makes room for `want` rows per dimension (keeping more when there is) in
 * every column t has.  Returns 0 or -1 (out of memory; the columns resized so
 * far only grew, and the recorded room is the old one: the trace is whole).
 */
static int reserve(struct trace *t, const struct trace_shape *want)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape old = caps_of(t), cap = old;
	cap.n_req = max_u32(old.n_req, want->n_req);
	cap.n_att = max_u32(old.n_att, want->n_att);
	cap.n_kinds = max_u32(old.n_kinds, want->n_kinds);
	cap.n_wide = max_u32(old.n_wide, want->n_wide);
	cap.n_wide_ts = max_u32(old.n_wide_ts, want->n_wide_ts);
	size_t n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++) {
		if (!trace_column_present(t->optional, &cols[c]))
			continue;
		size_t from = *cols[c].data ? trace_column_rows(&old, &cols[c]) : 0;
		size_t to = trace_column_rows(&cap, &cols[c]);
		if ((to > from || !*cols[c].data) && resize(cols[c].data, cols[c].elem, from, to) < 0)
			return -1;
	}
	t->cap_req = cap.n_req;
	t->cap_att = cap.n_att;
	t->cap_kinds = cap.n_kinds;
	t->cap_wide = cap.n_wide;
	t->cap_wide_ts = cap.n_wide_ts;
	return 0;
}

int trace_alloc(struct trace *t, const struct trace_shape *shape)
{
	memset(t, 0, sizeof *t);
	intern_init(&t->names);
	intern_init(&t->inputs);
	t->optional = shape->optional & TRACE_ALL_OPTIONAL;
	if (reserve(t, shape) < 0) {
		trace_free(t);
		return -1;
	}
	t->n_req = shape->n_req;
	t->n_att = shape->n_att;
	t->n_kinds = shape->n_kinds;
	t->n_wide = shape->n_wide;
	t->n_wide_ts = shape->n_wide_ts;
	return 0;
}

/* Room for n rows when there is cap: cap, or a doubling that holds n (n < UINT32_MAX). */
static uint32_t room_for(uint32_t cap, uint64_t n)
{
	if (n <= cap)
		return cap;
	uint64_t c = cap ? cap : 64;
	while (c < n)
		c *= 2;
	return c > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)c;
}

/* Fills the earlier rows of a newly added optional column (one bit) as the readers
 * answered without it. */
static void backfill(struct trace *t, unsigned bit)
{
	uint32_t *tok = bit == TRACE_HAS_ATT_INPUT_TOK ? t->att_input_tok
	              : bit == TRACE_HAS_ATT_OUTPUT_TOK ? t->att_output_tok
	              : bit == TRACE_HAS_ATT_CACHED_TOK ? t->att_cached_tok : NULL;
	const uint32_t *of = bit == TRACE_HAS_ATT_INPUT_TOK ? t->input_tok
	                   : bit == TRACE_HAS_ATT_OUTPUT_TOK ? t->output_tok : t->cached_tok;
	switch (bit) {
	case TRACE_HAS_COST:
		for (uint32_t i = 0; i < t->n_req; i++)
			t->cost_pusd[i] = TRACE_NO_COST;
		break;
	case TRACE_HAS_INPUT_HASH:
		for (uint32_t i = 0; i < t->n_req; i++)
			t->input_hash[i] = TRACE_NONE;
		break;
	case TRACE_HAS_ATT_FIRST: /* until now, request i's one call was call i */
		for (uint32_t i = 0; i <= t->n_req; i++)
			t->att_first[i] = i;
		break;
	case TRACE_HAS_KIND16:
		for (uint32_t a = 0; a < t->n_att; a++)
			t->att_kind16[a] = t->att_kind8[a];
		break;
	case TRACE_HAS_ATT_TS:
		for (uint32_t a = 0; a < t->n_att; a++)
			t->att_ts_off[a] = TRACE_TS_OFF_ABSENT;
		break;
	default: /* a token column: each call takes its request's */
		for (uint32_t i = 0; i < t->n_req; i++)
			for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++)
				tok[a] = of[i];
		break;
	}
}

/* Adds the optional columns of `bits` (absent so far), filled as the readers read them
 * before; a column they replace goes.  Returns 0 or -1 (out of memory; nothing changed). */
static int add_columns(struct trace *t, unsigned bits)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	void *fresh[TRACE_MAX_COLUMNS] = { 0 };
	struct trace_shape cap = caps_of(t);
	size_t n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++) {
		if (!(cols[c].optional & bits))
			continue;
		size_t rows = trace_column_rows(&cap, &cols[c]);
		fresh[c] = calloc(rows ? rows : 1, cols[c].elem);
		if (!fresh[c]) {
			for (size_t k = 0; k < c; k++)
				free(fresh[k]);
			return -1;
		}
	}
	for (size_t c = 0; c < n; c++)
		if (fresh[c])
			*cols[c].data = fresh[c];
	for (unsigned bit = 1; bit <= TRACE_ALL_OPTIONAL; bit <<= 1)
		if (bits & bit)
			backfill(t, bit);
	t->optional |= bits;
	for (size_t c = 0; c < n; c++)
		if (cols[c].unless & bits) {
			free(*cols[c].data);
			*cols[c].data = NULL;
		}
	return 0;
}

static uint32_t kind_hash(uint32_t model, uint8_t status)
{
	uint64_t z = ((uint64_t)model << 8 | status) * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(z >> 32);
}

/* Rebuilds the kind lookup with room for `hold` kinds at half load (16 slots at least). */
static int index_kinds(struct trace *t, uint64_t hold)
{
	uint32_t n_slots = 16;
	while (n_slots < 2 * hold)
		n_slots *= 2;
	uint32_t *slot = calloc(n_slots, sizeof *slot);
	if (!slot)
		return -1;
	for (uint32_t k = 0; k < t->n_kinds; k++) {
		uint32_t s = kind_hash(t->kind_model[k], t->kind_status[k]) & (n_slots - 1);
		while (slot[s])
			s = (s + 1) & (n_slots - 1);
		slot[s] = k + 1;
	}
	free(t->kind_slot);
	t->kind_slot = slot;
	t->n_kind_slots = n_slots;
	return 0;
}

/* The slot of (model, status) in the kind lookup: its kind's, or the empty one that ends the probe. */
static uint32_t kind_slot(const struct trace *t, uint32_t model, uint8_t status)
{
	uint32_t mask = t->n_kind_slots - 1, s = kind_hash(model, status) & mask;
	for (; t->kind_slot[s]; s = (s + 1) & mask) {
		uint32_t x = t->kind_slot[s] - 1;
		if (t->kind_model[x] == model && t->kind_status[x] == status)
			break;
	}
	return s;
}

/* A call's status with its summary bit, as kind_status keeps it. */
static uint8_t kind_status(const struct trace_call *x)
{
	return (uint8_t)(x->status | (x->summary ? TRACE_KIND_SUMMARY : 0));
}

/* The kind of (model, status), added when new.  Returns 0, or -1 with e set. */
static int kind_of(struct trace *t, uint32_t model, uint8_t status, uint32_t *k, struct err *e)
{
	if (!t->kind_slot && index_kinds(t, (uint64_t)t->n_kinds + 1) < 0)
		return err_set(e, "out of memory");
	uint32_t s = kind_slot(t, model, status);
	if (t->kind_slot[s]) {
		*k = t->kind_slot[s] - 1;
		return 0;
	}
	if (t->n_kinds == TRACE_MAX_KINDS)
		return err_set(e, "the recorded calls have more than %u distinct pairs of model and status; "
		               "a trace holds at most that many", TRACE_MAX_KINDS);
	struct trace_shape want = caps_of(t);
	want.n_kinds = room_for(t->cap_kinds, (uint64_t)t->n_kinds + 1);
	if (2 * ((uint64_t)t->n_kinds + 1) > t->n_kind_slots) {
		if (index_kinds(t, (uint64_t)t->n_kinds + 1) < 0)
			return err_set(e, "out of memory");
		s = kind_slot(t, model, status);
	}
	if (reserve(t, &want) < 0)
		return err_set(e, "out of memory");
	t->kind_model[t->n_kinds] = model;
	t->kind_status[t->n_kinds] = status;
	t->kind_slot[s] = t->n_kinds + 1;
	*k = t->n_kinds++;
	return 0;
}

/* A latency as stored in att_latency_us. */
static uint32_t latency_code(int64_t us)
{
	if (us >= 0 && us < TRACE_LATENCY_WIDE)
		return (uint32_t)us;
	return us == TRACE_NO_LATENCY ? TRACE_LATENCY_ABSENT : TRACE_LATENCY_WIDE;
}

/* A call's time as stored in att_ts_off: µs after its request's arrival when that fits
 * above the codes (computed only where the difference cannot overflow). */
static int32_t ts_code(int64_t ts_us, int64_t request_us)
{
	const int64_t lim = INT64_C(1) << 62;
	if (ts_us == TRACE_NO_TIME)
		return TRACE_TS_OFF_ABSENT;
	if ((ts_us < 0) != (request_us < 0) && (ts_us <= -lim || ts_us >= lim || request_us <= -lim ||
	                                       request_us >= lim))
		return TRACE_TS_OFF_WIDE;
	int64_t d = ts_us - request_us;
	return d > TRACE_TS_OFF_WIDE && d <= INT32_MAX ? (int32_t)d : TRACE_TS_OFF_WIDE;
}

static int differs(int64_t given, uint32_t request)
{
	return given >= 0 && given != request;
}

int trace_append(struct trace *t, const struct trace_row *r, const struct trace_call *calls,
                 uint32_t n_calls, struct err *e)
{
	if (t->n_req >= UINT32_MAX - 2 || (uint64_t)t->n_att + n_calls > UINT32_MAX - 1)
		return err_set(e, "a trace holds at most 4,294,967,293 requests and 4,294,967,294 recorded calls");
	if (t->optional & TRACE_NARROWED)
		return err_set(e, "a trimmed trace takes no more rows");
	unsigned need = (r->cost_pusd != TRACE_NO_COST ? TRACE_HAS_COST : 0) |
	                (r->input_hash != TRACE_NONE ? TRACE_HAS_INPUT_HASH : 0) |
	                (n_calls != 1 ? TRACE_HAS_ATT_FIRST : 0);
	uint32_t wide = 0, wide_ts = 0, k;
	for (uint32_t c = 0; c < n_calls; c++) {
		const struct trace_call *x = &calls[c];
		need |= (differs(x->input_tok, r->input_tok) ? TRACE_HAS_ATT_INPUT_TOK : 0) |
		        (differs(x->output_tok, r->output_tok) ? TRACE_HAS_ATT_OUTPUT_TOK : 0) |
		        (differs(x->cached_tok, r->cached_tok) ? TRACE_HAS_ATT_CACHED_TOK : 0) |
		        (x->ts_us != TRACE_NO_TIME ? TRACE_HAS_ATT_TS : 0);
		wide += latency_code(x->latency_us) == TRACE_LATENCY_WIDE;
		wide_ts += ts_code(x->ts_us, r->ts_us) == TRACE_TS_OFF_WIDE;
		if (kind_of(t, x->model, kind_status(x), &k, e) < 0)
			return -1;
	}
	if (t->n_kinds > 256)
		need |= TRACE_HAS_KIND16;
	struct trace_shape want = { room_for(t->cap_req, (uint64_t)t->n_req + 1),
	                            room_for(t->cap_att, (uint64_t)t->n_att + n_calls), t->cap_kinds,
	                            room_for(t->cap_wide, (uint64_t)t->n_wide + wide),
	                            room_for(t->cap_wide_ts, (uint64_t)t->n_wide_ts + wide_ts), 0 };
	if (reserve(t, &want) < 0 || ((need & ~t->optional) && add_columns(t, need & ~t->optional) < 0))
		return err_set(e, "out of memory");

	uint32_t i = t->n_req, a = t->n_att;
	t->ts_us[i] = r->ts_us;
	t->tenant[i] = r->tenant;
	t->task[i] = r->task;
	t->input[i] = r->input;
	t->input_tok[i] = r->input_tok;
	t->output_tok[i] = r->output_tok;
	t->cached_tok[i] = r->cached_tok;
	t->flags[i] = (uint8_t)((r->difficulty & TRACE_FLAG_DIFFICULTY) | (r->realtime ? TRACE_FLAG_REALTIME : 0) |
	                        (r->degraded ? TRACE_FLAG_DEGRADED : 0));
	if (t->cost_pusd)
		t->cost_pusd[i] = r->cost_pusd;
	if (t->input_hash)
		t->input_hash[i] = r->input_hash;
	for (uint32_t c = 0; c < n_calls; c++, a++) {
		const struct trace_call *x = &calls[c];
		k = t->kind_slot[kind_slot(t, x->model, kind_status(x))] - 1; /* added above */
		if (t->att_kind8)
			t->att_kind8[a] = (uint8_t)k;
		else
			t->att_kind16[a] = (uint16_t)k;
		t->att_latency_us[a] = latency_code(x->latency_us);
		if (t->att_latency_us[a] == TRACE_LATENCY_WIDE) {
			t->wide_att[t->n_wide] = a;
			t->wide_latency_us[t->n_wide++] = x->latency_us;
		}
		if (t->att_input_tok)
			t->att_input_tok[a] = x->input_tok >= 0 ? (uint32_t)x->input_tok : r->input_tok;
		if (t->att_output_tok)
			t->att_output_tok[a] = x->output_tok >= 0 ? (uint32_t)x->output_tok : r->output_tok;
		if (t->att_cached_tok)
			t->att_cached_tok[a] = x->cached_tok >= 0 ? (uint32_t)x->cached_tok : r->cached_tok;
		if (t->att_ts_off) {
			t->att_ts_off[a] = ts_code(x->ts_us, r->ts_us);
			if (t->att_ts_off[a] == TRACE_TS_OFF_WIDE) {
				t->wide_ts_att[t->n_wide_ts] = a;
				t->wide_ts_us[t->n_wide_ts++] = x->ts_us;
			}
		}
	}
	if (t->att_first)
		t->att_first[i + 1] = a;
	t->n_req++;
	t->n_att = a;
	return 0;
}

/* Moves a 32-bit column of n rows to 16 bits when every value fits.  Returns `bit` when
 * done, else 0 (a value does not fit, out of memory, or the column is absent). */
static unsigned narrow16(uint32_t **wide, uint16_t **narrow, uint32_t n, unsigned bit)
{
	if (!*wide)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if ((*wide)[i] > UINT16_MAX)
			return 0;
	uint16_t *p = malloc((n ? n : 1) * sizeof *p);
	if (!p)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint16_t)(*wide)[i];
	free(*wide);
	*wide = NULL;
	*narrow = p;
	return bit;
}

/* Moves the arrivals to µs after their block's earliest when every block spans
 * less than 2^32 µs.  Returns TRACE_NARROW_TS when done, else 0. */
static unsigned narrow_ts(struct trace *t)
{
	uint32_t n = t->n_req, n_blocks = (n + TRACE_TS_BLOCK - 1) / TRACE_TS_BLOCK;
	int64_t *base = malloc((n_blocks ? n_blocks : 1) * sizeof *base);
	uint32_t *off = malloc((n ? n : 1) * sizeof *off);
	if (!base || !off)
		goto keep;
	for (uint32_t b = 0; b < n_blocks; b++) {
		uint32_t end = n - b * TRACE_TS_BLOCK < TRACE_TS_BLOCK ? n : (b + 1) * TRACE_TS_BLOCK;
		int64_t lo = INT64_MAX, hi = INT64_MIN;
		for (uint32_t i = b * TRACE_TS_BLOCK; i < end; i++) {
			lo = t->ts_us[i] < lo ? t->ts_us[i] : lo;
			hi = t->ts_us[i] > hi ? t->ts_us[i] : hi;
		}
		if ((uint64_t)hi - (uint64_t)lo > UINT32_MAX) /* modulo 2^64: exact when hi >= lo */
			goto keep;
		base[b] = lo;
		for (uint32_t i = b * TRACE_TS_BLOCK; i < end; i++)
			off[i] = (uint32_t)((uint64_t)t->ts_us[i] - (uint64_t)lo);
	}
	free(t->ts_us);
	t->ts_us = NULL;
	t->ts_base = base;
	t->ts_off = off;
	return TRACE_NARROW_TS;
keep:
	free(base);
	free(off);
	return 0;
}

/* Narrows every column whose values allow it, unless some column already is (a loaded copy). */
static void narrow(struct trace *t)
{
	if (t->optional & TRACE_NARROWED)
		return;
	unsigned done = narrow_ts(t);
	done |= narrow16(&t->tenant, &t->tenant16, t->n_req, TRACE_NARROW_TENANT);
	done |= narrow16(&t->task, &t->task16, t->n_req, TRACE_NARROW_TASK);
	done |= narrow16(&t->input_tok, &t->input_tok16, t->n_req, TRACE_NARROW_INPUT_TOK);
	done |= narrow16(&t->output_tok, &t->output_tok16, t->n_req, TRACE_NARROW_OUTPUT_TOK);
	done |= narrow16(&t->cached_tok, &t->cached_tok16, t->n_req, TRACE_NARROW_CACHED_TOK);
	done |= narrow16(&t->att_input_tok, &t->att_input_tok16, t->n_att, TRACE_NARROW_ATT_INPUT_TOK);
	done |= narrow16(&t->att_output_tok, &t->att_output_tok16, t->n_att, TRACE_NARROW_ATT_OUTPUT_TOK);
	done |= narrow16(&t->att_cached_tok, &t->att_cached_tok16, t->n_att, TRACE_NARROW_ATT_CACHED_TOK);
	t->optional |= done;
}

void trace_trim(struct trace *t)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape exact = trace_shape_of(t);
	size_t n = trace_columns(t, cols);
	narrow(t);
	for (size_t c = 0; c < n; c++) {
		size_t rows = trace_column_rows(&exact, &cols[c]);
		void *q;
		if (*cols[c].data && (q = realloc(*cols[c].data, cols[c].elem * (rows ? rows : 1))))
			*cols[c].data = q;
	}
	/* the room now recorded is the exact size (a failed shrink keeps more, which is harmless) */
	t->cap_req = t->n_req;
	t->cap_att = t->n_att;
	t->cap_kinds = t->n_kinds;
	t->cap_wide = t->n_wide;
	t->cap_wide_ts = t->n_wide_ts;
	free(t->kind_slot);
	t->kind_slot = NULL;
	t->n_kind_slots = 0;
	intern_trim(&t->names);
	intern_trim(&t->inputs);
	intern_drop_index(&t->inputs);
}

void trace_free(struct trace *t)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	if (!t)
		return;
	size_t n = trace_columns(t, cols);
	for (size_t c = 0; c < n; c++)
		free(*cols[c].data);
	free(t->kind_slot);
	free(t->cost_subs);
	free(t->draw_index);
	free(t->name);
	intern_fini(&t->names);
	intern_fini(&t->inputs);
	memset(t, 0, sizeof *t);
}

uint64_t trace_bytes(const struct trace *t)
{
	struct trace_column cols[TRACE_MAX_COLUMNS];
	struct trace_shape cap = caps_of(t);
	uint64_t b = (uint64_t)t->n_kind_slots * sizeof *t->kind_slot +
	             (uint64_t)t->n_cost_sub * sizeof *t->cost_subs;
	size_t n = trace_columns((struct trace *)t, cols);
	for (size_t c = 0; c < n; c++)
		if (*cols[c].data)
			b += (uint64_t)trace_column_rows(&cap, &cols[c]) * cols[c].elem;
	return b + intern_bytes(&t->names) + intern_bytes(&t->inputs);
}

/* The index of call a in the ascending att[0..n), or n when it is not there. */
static uint32_t find_att(const uint32_t *att, uint32_t n, uint32_t a)
{
	uint32_t k = trace_count_below(att, n, a);
	return k < n && att[k] == a ? k : n;
}

int64_t trace_wide_latency_us(const struct trace *t, uint32_t a)
{
	uint32_t k = find_att(t->wide_att, t->n_wide, a);
	return k < t->n_wide ? t->wide_latency_us[k] : TRACE_NO_LATENCY;
}

int64_t trace_wide_ts_us(const struct trace *t, uint32_t a)
{
	uint32_t k = find_att(t->wide_ts_att, t->n_wide_ts, a);
	return k < t->n_wide_ts ? t->wide_ts_us[k] : TRACE_NO_TIME;
}

static int time_ok(int64_t t)
{
	return t >= TRACE_TS_MIN_US && t <= TRACE_TS_MAX_US;
}

/* trace_check's part for the times: each arrival, call time and wide latency lies within what
 * an import admits, and the wide call times are those of the calls that say so. */
static int check_times(const struct trace *t, struct err *e)
{
	if (t->ts_base) /* a base in range and a 32-bit offset cannot overflow */
		for (uint32_t b = 0; b < (t->n_req + TRACE_TS_BLOCK - 1) / TRACE_TS_BLOCK; b++)
			if (!time_ok(t->ts_base[b]))
				return err_set(e, "an arrival time is out of range");
	for (uint32_t i = 0; i < t->n_req; i++)
		if (!time_ok(trace_ts_us(t, i)))
			return err_set(e, "an arrival time is out of range");
	for (uint32_t k = 0; k < t->n_wide; k++)
		if (t->wide_latency_us[k] < 0 || t->wide_latency_us[k] > TRACE_LATENCY_MAX_US)
			return err_set(e, "a recorded call's latency is out of range");
	if (!t->att_ts_off)
		return t->n_wide_ts ? err_set(e, "the table of far call times does not match the calls") : 0;
	uint32_t wide = 0;
	for (uint32_t i = 0; i < t->n_req; i++) {
		int64_t at = trace_ts_us(t, i);
		for (uint32_t a = trace_att_begin(t, i); a < trace_att_end(t, i); a++) {
			int32_t v = t->att_ts_off[a];
			if (v == TRACE_TS_OFF_WIDE) {
				if (wide >= t->n_wide_ts || t->wide_ts_att[wide] != a)
					return err_set(e, "the table of far call times does not match the calls");
				if (!time_ok(t->wide_ts_us[wide]))
					return err_set(e, "a call's time is out of range");
				wide++;
			} else if (v != TRACE_TS_OFF_ABSENT && !time_ok(at + v)) {
				return err_set(e, "a call's time is out of range");
			}
		}
	}
	if (wide != t->n_wide_ts)
		return err_set(e, "the table of far call times does not match the calls");
	return 0;
}

/* The first of n requests whose id (the 16-bit column when there is one, else the 32-bit one)
 * is neither TRACE_NONE nor below `limit`; n when there is none.  The largest is found first,
 * in a loop without branches, and the request only when it is too large. */
static uint32_t first_unknown(const uint16_t *v16, const uint32_t *v32, uint32_t n, uint32_t limit)
{
	uint32_t most = 0;
	if (v16)
		for (uint32_t i = 0; i < n; i++)
			most = v16[i] > most ? v16[i] : most;
	else
		for (uint32_t i = 0; i < n; i++)
			most = v32[i] != TRACE_NONE && v32[i] > most ? v32[i] : most;
	if (most < limit)
		return n;
	for (uint32_t i = 0; i < n; i++)
		if ((v16 ? v16[i] : v32[i]) >= limit && (v16 || v32[i] != TRACE_NONE))
			return i;
	return n;
}

int trace_check(const struct trace *t, struct err *e)
{
	uint32_t n = t->n_req, r;
	if ((r = first_unknown(t->tenant16, t->tenant, n, t->names.n)) < n ||
	    (r = first_unknown(t->task16, t->task, n, t->names.n)) < n)
		return err_set(e, "the request of idx %u has an unknown tenant or task", r);
	if ((r = first_unknown(NULL, t->input, n, t->inputs.n)) < n ||
	    (t->input_hash && (r = first_unknown(NULL, t->input_hash, n, t->names.n)) < n))
		return err_set(e, "the request of idx %u has an unknown input or input_hash", r);
	uint8_t odd = 0; /* a difficulty that is none of the three */
	for (r = 0; r < n; r++)
		odd |= (t->flags[r] & TRACE_FLAG_DIFFICULTY) > DIFFICULTY_HARD;
	for (r = 0; odd && r < n; r++)
		if (trace_difficulty(t, r) > DIFFICULTY_HARD)
			return err_set(e, "the request of idx %u has an unknown difficulty", r);
	int64_t least = 0;
	for (r = 0; t->cost_pusd && r < n; r++)
		least = t->cost_pusd[r] < least ? t->cost_pusd[r] : least;
	for (r = 0; least < TRACE_NO_COST && r < n; r++)
		if (t->cost_pusd[r] < TRACE_NO_COST)
			return err_set(e, "the request of idx %u has a negative cost", r);
	if (t->att_first) {
		if (t->att_first[0] != 0 || t->att_first[t->n_req] != t->n_att)
			return err_set(e, "the recorded calls do not add up");
		for (uint32_t i = 0; i < t->n_req; i++)
			if (t->att_first[i] > t->att_first[i + 1])
				return err_set(e, "the recorded calls do not add up");
	} else if (t->n_att != t->n_req) {
		return err_set(e, "the recorded calls do not add up");
	}
	for (uint32_t k = 0; k < t->n_kinds; k++)
		if (t->kind_model[k] >= t->names.n || (t->kind_status[k] & ~TRACE_KIND_SUMMARY) >= N_STATUS)
			return err_set(e, "a recorded call's model or status is unknown");
	uint32_t wide = 0;
	for (uint32_t a = 0; a < t->n_att; a++) {
		if (trace_att_kind(t, a) >= t->n_kinds)
			return err_set(e, "a recorded call's model or status is unknown");
		if (t->att_latency_us[a] == TRACE_LATENCY_WIDE) {
			if (wide >= t->n_wide || t->wide_att[wide] != a)
				return err_set(e, "the table of long latencies does not match the calls");
			wide++;
		}
	}
	if (wide != t->n_wide)
		return err_set(e, "the table of long latencies does not match the calls");
	return check_times(t, e);
}

/* Name id of src's table `from` in t's table `to`; -1 when out of memory. */
static int reintern(struct intern *to, const struct intern *from, uint32_t id, uint32_t *out)
{
	size_t n;
	const char *s;
	if (id == TRACE_NONE) {
		*out = TRACE_NONE;
		return 0;
	}
	s = intern_str(from, id, &n);
	return intern_add(to, s, n, out);
}

int trace_append_from(struct trace *t, const struct trace *src, uint32_t i, struct err *e)
{
	struct trace_call few[8], *calls = few;
	uint32_t from = trace_att_begin(src, i), n = trace_att_end(src, i) - from;
	struct trace_row r = {
		.ts_us = trace_ts_us(src, i), .input_tok = trace_input_tok(src, i),
		.output_tok = trace_output_tok(src, i), .cached_tok = trace_cached_tok(src, i),
		.difficulty = (enum difficulty)trace_difficulty(src, i), .realtime = trace_realtime(src, i),
		.degraded = trace_degraded(src, i), .cost_pusd = src->cost_pusd ? src->cost_pusd[i] : TRACE_NO_COST,
	};
	int rc = -1;
	if (n > 8 && !(calls = malloc(n * sizeof *calls)))
		return err_set(e, "out of memory");
	if (reintern(&t->names, &src->names, trace_tenant(src, i), &r.tenant) < 0 ||
	    reintern(&t->names, &src->names, trace_task(src, i), &r.task) < 0 ||
	    reintern(&t->names, &src->names, trace_input_hash(src, i), &r.input_hash) < 0 ||
	    reintern(&t->inputs, &src->inputs, src->input[i], &r.input) < 0)
		goto oom;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t a = from + k;
		uint64_t in, out, cached;
		struct trace_call *c = &calls[k];
		trace_att_tokens(src, i, a, &in, &out, &cached);
		if (reintern(&t->names, &src->names, trace_att_model(src, a), &c->model) < 0)
			goto oom;
		c->status = trace_att_status(src, a);
		c->summary = trace_att_summary(src, a);
		c->input_tok = (int64_t)in;
		c->output_tok = (int64_t)out;
		c->cached_tok = (int64_t)cached;
		c->latency_us = trace_att_latency_us(src, a);
		c->ts_us = trace_att_ts_us(src, i, a);
	}
	rc = trace_append(t, &r, calls, n, e);
	goto out;
oom:
	err_set(e, "out of memory");
out:
	if (calls != few)
		free(calls);
	return rc;
}

int trace_select(const struct trace *src, int64_t from_us, int64_t to_us, struct trace *out, struct err *e)
{
	uint32_t n = 0, k = 0, cap = 0;
	if (trace_alloc(out, &(struct trace_shape){ 0 }) < 0 || (src->name && !(out->name = strdup(src->name))) ||
	    !(out->draw_index = malloc(((size_t)src->n_req + 1) * sizeof *out->draw_index)))
		return err_set(e, "out of memory");
	for (uint32_t i = 0; i < src->n_req; i++) {
		int64_t ts = trace_ts_us(src, i);
		if (ts < from_us || ts >= to_us)
			continue;
		if (trace_append_from(out, src, i, e) < 0)
			return -1;
		/* the cost digits past the pico-USD, by ascending request in both */
		while (k < src->n_cost_sub && src->cost_subs[k].req < i)
			k++;
		if (k < src->n_cost_sub && src->cost_subs[k].req == i) {
			if (out->n_cost_sub == cap) {
				struct trace_cost_sub *more = realloc(out->cost_subs, (cap = cap ? 2 * cap : 16) * sizeof *more);
				if (!more)
					return err_set(e, "out of memory");
				out->cost_subs = more;
			}
			out->cost_subs[out->n_cost_sub++] = (struct trace_cost_sub){ n, src->cost_subs[k].sub };
		}
		out->draw_index[n++] = trace_draw_index(src, i);
	}
	uint32_t *fits = realloc(out->draw_index, ((size_t)n + 1) * sizeof *fits); /* made for all of src's */
	if (fits)
		out->draw_index = fits;
	trace_trim(out);
	return 0;
}

/* A stable merge sort by time: equal times keep index order. */
uint32_t *trace_arrival_order(const struct trace *t)
{
	size_t n = t->n_req;
	uint32_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
	if (!a || !b) {
		free(a);
		free(b);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		a[i] = (uint32_t)i;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t x = lo, y = mid, o = lo;
			while (x < mid && y < hi)
				b[o++] = trace_ts_us(t, a[y]) < trace_ts_us(t, a[x]) ? a[y++] : a[x++];
			while (x < mid)
				b[o++] = a[x++];
			while (y < hi)
				b[o++] = a[y++];
		}
		uint32_t *swap = a;
		a = b;
		b = swap;
	}
	free(b);
	return a;
}

void trace_request_where(const struct trace *t, uint32_t i, char *at, char *where)
{
	clock_format(trace_ts_us(t, i), at);
	snprintf(where, TRACE_WHERE_MAX, "tenant %.280s, task %.280s; accepted line %u of the trace",
	         intern_str(&t->names, trace_tenant(t, i), NULL), intern_str(&t->names, trace_task(t, i), NULL),
	         trace_draw_index(t, i) + 1);
}
