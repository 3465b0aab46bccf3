/*
 * The common random draw (SPEC §10 "The draw").  Every modelled outcome is a
 * pure function of the string "SEED|INDEX|MODEL|ATTEMPT": FNV-1a 64 over its
 * UTF-8 bytes, the splitmix64 finalizer, then the top 53 bits.  Scenarios
 * compared side by side therefore see the same draws for the same calls.
 */
#ifndef SIM_DRAW_H
#define SIM_DRAW_H

/*
 * Nothing here allocates or fails, and everything is a pure function of its
 * arguments but draw_requests_state, which keeps a memo in the caller's
 * struct.  The hash is built incrementally from integers and bytes, never
 * through a formatted string, so a draw costs about one FNV step per byte of
 * the key; by table (below), four steps and one multiplication.  A draw x is
 * an integer in [0, 2^53).
 */

#include <stddef.h>
#include <stdint.h>

#include "sim/status.h"

#define DRAW_FNV_OFFSET 0xcbf29ce484222325ULL
#define DRAW_FNV_PRIME 0x100000001b3ULL
#define DRAW_ONE (1ULL << 53)      /* rate 1.0 in draw units: x < DRAW_ONE always */

/* FNV-1a 64 state h advanced over n bytes. */
uint64_t draw_fnv_bytes(uint64_t h, const void *p, size_t n);

/* h advanced over the decimal digits of v (no sign, no leading zeros; "0" for 0). */
uint64_t draw_fnv_u64(uint64_t h, uint64_t v);

/* h advanced over the decimal text of v ("-" then digits when negative). */
uint64_t draw_fnv_i64(uint64_t h, int64_t v);

/* The splitmix64 finalizer (mod 2^64). */
static inline uint64_t draw_mix(uint64_t z)
{
	z ^= z >> 30;
	z *= 0xbf58476d1ce4e5b9ULL;
	z ^= z >> 27;
	z *= 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z;
}

/*
 * The FNV state after "SEED|", to compute once per scenario.  The seed is
 * written in decimal with a leading '-' when negative.
 */
uint64_t draw_seed_state(int64_t seed);

/* The FNV state after "SEED|INDEX|": shared by every draw of one request (index 0-based, §10). */
uint64_t draw_request_state(uint64_t seed_state, uint64_t index);

/*
 * The draw of attempt `attempt` (1, 2, …) on the model named
 * model[0..model_len) (UTF-8 bytes, no NUL needed) from a request state:
 * finalize(fnv("SEED|INDEX|MODEL|ATTEMPT")) >> 11.  `summarize` nonzero
 * writes ATTEMPT as "s1", "s2", … (the summarize calls' own numbering).
 */
uint64_t draw_attempt(uint64_t request_state, const char *model, size_t model_len,
		      uint32_t attempt, int summarize);

/*
 * Draws by table, for the replay's many draws.  FNV-1a's xor changes only the
 * low byte of the state, and the low byte of a product depends only on the
 * low bytes of its factors; so feeding a fixed string of n bytes to any state
 * h gives h × P^n + add[h mod 256] (mod 2^64), where add[l] is the FNV of the
 * string from state l minus l × P^n.  With a table for "MODEL|ATTEMPT", a
 * draw from a request state is one multiplication, one load and the
 * finalizer; draw_by_suffix(s, t) == draw_attempt(s, …) for the table's key.
 */
struct draw_suffix {
	uint64_t pow;            /* P^n */
	uint64_t add[256];
};

/* The table of "MODEL|ATTEMPT" ("MODEL|sATTEMPT" when summarize is nonzero). */
void draw_suffix_init(struct draw_suffix *t, const char *model, size_t model_len, uint32_t attempt,
		      int summarize);

static inline uint64_t draw_by_suffix(uint64_t request_state, const struct draw_suffix *t)
{
	return draw_mix(request_state * t->pow + t->add[request_state & 0xff]) >> 11;
}

/*
 * Request states for indexes that come near each other: the state after
 * "SEED|" and every digit of the index but the last three is kept for one
 * block of 1000 indexes, so a state costs four FNV steps while the block is
 * the same.  draw_requests_state(r, i) == draw_request_state(seed_state, i).
 */
struct draw_requests {
	uint64_t seed_state;
	uint64_t block;          /* index / 1000 of the block kept; 0: none (its indexes are short) */
	uint64_t block_state;
};

void draw_requests_init(struct draw_requests *r, uint64_t seed_state);
uint64_t draw_requests_state(struct draw_requests *r, uint64_t index);

/*
 * The injected-rate test: 1 when the call fails, i.e. x < rate × 2^53.
 * rate × 2^53 is exact in double arithmetic and x < 2^53 converts exactly, so
 * the comparison is exact.  rate <= 0 or NaN never fails; rate >= 1 always does.
 */
int draw_fails_rate(uint64_t x, double rate);

/*
 * The recorded-rate test.  count[s] is the number of recorded attempts of the
 * model in the minute with outcome s (indexed by enum status, count[STATUS_OK]
 * the successes), so n = Σ count.  Returns STATUS_OK when the call succeeds,
 * else the failing class: the first class c in enum status order (timeout,
 * rate_limited, server_error, invalid_request, content_filter, context_length)
 * with x × n < (count of the failing classes up to c) × 2^53.  The call fails
 * iff x × n < (n − count[STATUS_OK]) × 2^53.  Exact integer arithmetic;
 * n = 0 (no data) always succeeds.
 */
enum status draw_recorded_outcome(uint64_t x, const uint32_t count[N_STATUS]);

#endif
