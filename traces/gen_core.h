/*
 * What the gen recipes share (private to traces/gen*.c): the seeded PRNG, the
 * buffered line writer with its JSON and RFC 3339 formatting, the arrival
 * clock with its diurnal curve, the tenant mix and the text banks.  The hot
 * helpers are inline: `gen mixed` writes over a million lines a second.
 *
 * Allocation happens once per run (the output buffer, the tenant table, the
 * docs recipe's ring of recent documents), never per line.
 */
#ifndef TRACES_GEN_CORE_H
#define TRACES_GEN_CORE_H

#include <stdint.h>
#include <string.h>

#include "sim/clock.h"
#include "traces/gen.h"
#include "traces/progress.h"

/* ---- PRNG: xoshiro256**, seeded through splitmix64 ---- */

struct gen_rng {
	uint64_t s[4];
	double spare;           /* second normal of a Box-Muller pair */
	int has_spare;
};

/* Seeds r from (seed, stream): different streams give unrelated sequences. */
void gen_rng_seed(struct gen_rng *r, uint64_t seed, uint64_t stream);

static inline uint64_t gen_rng_next(struct gen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Uniform in [0, 1), 53 bits. */
static inline double gen_rng_unit(struct gen_rng *r)
{
	return (double)(gen_rng_next(r) >> 11) * 0x1p-53;
}

/* Uniform in [0, n). */
static inline uint32_t gen_rng_below(struct gen_rng *r, uint32_t n)
{
	return (uint32_t)(((gen_rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline uint32_t gen_rng_range(struct gen_rng *r, uint32_t lo, uint32_t hi)
{
	return lo + gen_rng_below(r, hi - lo + 1);
}

static inline int gen_rng_chance(struct gen_rng *r, double p)
{
	return gen_rng_unit(r) < p;
}

/* Standard normal. */
double gen_rng_normal(struct gen_rng *r);

/* exp(ln(median) + sigma × Z), clamped to [lo, hi]. */
double gen_rng_lognormal(struct gen_rng *r, double median, double sigma, double lo, double hi);

/* A hash of two words, for attributes of an entity (a tenant, a question) that must not
 * depend on how many draws came before. */
uint64_t gen_mix(uint64_t a, uint64_t b);

/* gen_mix as a uniform in [0, 1). */
static inline double gen_mix_unit(uint64_t a, uint64_t b)
{
	return (double)(gen_mix(a, b) >> 11) * 0x1p-53;
}

/* ---- the line writer ---- */

#define GEN_OUT_CAP (256 * 1024)

struct gen_out {
	char *buf;              /* GEN_OUT_CAP bytes */
	size_t len;
	const struct gen_sink *sink;
	struct err *e;
	int failed;             /* a write failed: later output is dropped, e holds why */
	uint64_t lines;         /* lines finished */
	struct progress_pace pace; /* of the sink's progress hook */
	int64_t day;            /* days since the epoch of the date in day_text */
	char day_text[12];      /* "YYYY-MM-DDT" */
};

/* Hands the buffered bytes to the sink.  Returns 0, or -1 once a write has failed. */
int gen_out_flush(struct gen_out *o);

void gen_out_mem_slow(struct gen_out *o, const char *s, size_t n);

static inline void gen_out_mem(struct gen_out *o, const char *s, size_t n)
{
	if (GEN_OUT_CAP - o->len >= n) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
	} else {
		gen_out_mem_slow(o, s, n);
	}
}

/* A string literal. */
#define GEN_LIT(o, lit) gen_out_mem((o), (lit), sizeof(lit) - 1)

static inline void gen_out_str(struct gen_out *o, const char *s)
{
	gen_out_mem(o, s, strlen(s));
}

/* v in decimal, at least width digits (zero-padded). */
void gen_out_u64w(struct gen_out *o, uint64_t v, int width);

static inline void gen_out_u64(struct gen_out *o, uint64_t v)
{
	gen_out_u64w(o, v, 1);
}

/* s[0..n) as a JSON string, quotes included. */
void gen_out_json_str(struct gen_out *o, const char *s, size_t n);

/* The request's text and token counts: ,"input":"…","input_tokens":in,"output_tokens":out */
void gen_out_io(struct gen_out *o, const char *s, size_t n, uint64_t in, uint64_t out);

/* ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ", quotes included. */
void gen_out_ts(struct gen_out *o, int64_t ms);

/* v / 100 with two decimals ("0.87"). */
void gen_out_hundredths(struct gen_out *o, uint32_t v);

/* Ends the line; flushes when the buffer is half full.  Returns 0, or -1 once a write failed. */
static inline int gen_out_end_line(struct gen_out *o)
{
	gen_out_mem(o, "\n", 1);
	o->lines++;
	if (o->len >= GEN_OUT_CAP / 2)
		return gen_out_flush(o);
	return o->failed ? -1 : 0;
}

/* {"ts":…,"request_id":"PREFIX-NNNNNNNN","tenant":…,"task":…  (the line is left open) */
void gen_out_head(struct gen_out *o, int64_t ts_ms, const char *id_prefix, uint64_t index,
                  const char *tenant, size_t tenant_len, const char *task);

/* ---- time ---- */

#define GEN_MS_PER_MIN 60000LL
#define GEN_MS_PER_DAY 86400000LL

/* ---- arrivals ---- */

/* A diurnal curve: the traffic level of each minute, relative to a weekday peak of 1. */
struct gen_shape {
	double night;           /* level at the quietest hour */
	double peak_h;          /* UTC hour of the peak */
	int sharp;              /* 1: a raised cosine over the day; 2: its square (working hours) */
	double weekend;         /* factor on Saturdays and Sundays */
	double noise;           /* per-minute jitter, ± this fraction */
};

/*
 * Hands out n arrival times in ascending order over n_min minutes from
 * start_ms.  Each minute gets its share of n in proportion to the curve
 * (cumulative rounding, so the counts add up to n exactly); inside a minute
 * the arrivals are spread over equal slots with a random offset in each.
 */
struct gen_clock {
	const struct gen_shape *shape;
	int64_t start_ms;
	uint64_t salt;
	uint32_t n_min, minute;  /* minutes in all, next minute to open */
	uint64_t n, done;        /* arrivals in all, before the open minute's end */
	double total_w, cum_w;
	uint64_t k, i;           /* arrivals in the open minute, next one's slot */
	int64_t minute_ms;       /* start of the open minute */
};

void gen_clock_init(struct gen_clock *c, const struct gen_shape *sh, int64_t start_ms,
                    uint32_t n_min, uint64_t n, uint64_t seed);

/* Sets *ts_ms to the next arrival and returns 1, or returns 0 after the n-th. */
int gen_clock_next(struct gen_clock *c, struct gen_rng *r, int64_t *ts_ms);

/* ---- tenants ---- */

/* T tenants with Zipf-like shares (the i-th ∝ 1/i^1.1), named after a fixed list. */
struct gen_tenants {
	unsigned n;
	double *cum;            /* cumulative shares, ascending, the last is 1 */
	char (*name)[24];
	unsigned char *name_len;
};

int gen_tenants_init(struct gen_tenants *t, unsigned n, struct err *e);
void gen_tenants_fini(struct gen_tenants *t);
unsigned gen_tenants_pick(const struct gen_tenants *t, struct gen_rng *r);

/* ---- text ---- */

#define GEN_TEXT_MAX 400

struct gen_text {
	char s[GEN_TEXT_MAX];
	size_t n;
	int head;               /* faq: 0..29 for the 30 common questions, else -1 */
};

/* A customer-support question: one of the 30 common ones with probability 0.4 (Zipf
 * shares among them), else the long tail; written with a random surface variant. */
void gen_text_faq(struct gen_rng *r, struct gen_text *t);
void gen_text_policy(struct gen_rng *r, struct gen_text *t);
void gen_text_ticket(struct gen_rng *r, struct gen_text *t);
/* A weekly business report request (mixed long_report) on one of the last two weeks. */
void gen_text_report(struct gen_rng *r, struct gen_text *t, int64_t ts_ms);
/* A document title with its page count; policy selects contract-like documents. */
void gen_text_doc_title(struct gen_rng *r, struct gen_text *t, int policy, uint32_t doc_tok);

/* ceil(bytes / 4): the trace format's token estimate for text. */
static inline uint32_t gen_text_tokens(const struct gen_text *t)
{
	return (uint32_t)((t->n + 3) / 4);
}

/* ---- the recipes (traces/gen_RECIPE.c) ---- */

int gen_faq_emit(const struct gen_params *p, struct gen_out *o, struct err *e);
int gen_docs_emit(const struct gen_params *p, struct gen_out *o, struct err *e);
int gen_flood_emit(const struct gen_params *p, struct gen_out *o, struct err *e);
int gen_mixed_emit(const struct gen_params *p, struct gen_out *o, struct err *e);

#endif
