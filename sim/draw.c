/*
 * The common random draw: FNV-1a 64 fed directly with the bytes of the key
 * "SEED|INDEX|MODEL|ATTEMPT" (integers as decimal digits, produced most
 * significant first into a small stack buffer), the splitmix64 finalizer, and
 * the two failure tests of SPEC §10 in exact arithmetic; and the same draws
 * by table, for the replay (draw.h says why the tables give the same hash).
 */
#include "sim/draw.h"

uint64_t draw_fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= DRAW_FNV_PRIME;
	}
	return h;
}

uint64_t draw_fnv_u64(uint64_t h, uint64_t v)
{
	unsigned char d[20];
	int n = 0;
	do {
		d[n++] = (unsigned char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n > 0) {
		h ^= d[--n];
		h *= DRAW_FNV_PRIME;
	}
	return h;
}

uint64_t draw_fnv_i64(uint64_t h, int64_t v)
{
	if (v >= 0)
		return draw_fnv_u64(h, (uint64_t)v);
	h ^= (unsigned char)'-';
	h *= DRAW_FNV_PRIME;
	return draw_fnv_u64(h, 0 - (uint64_t)v); /* INT64_MIN's magnitude too */
}

static uint64_t fnv_byte(uint64_t h, unsigned char c)
{
	return (h ^ c) * DRAW_FNV_PRIME;
}

uint64_t draw_seed_state(int64_t seed)
{
	return fnv_byte(draw_fnv_i64(DRAW_FNV_OFFSET, seed), '|');
}

uint64_t draw_request_state(uint64_t seed_state, uint64_t index)
{
	return fnv_byte(draw_fnv_u64(seed_state, index), '|');
}

/* h advanced over "MODEL|ATTEMPT" (or "MODEL|sATTEMPT"). */
static uint64_t fnv_suffix(uint64_t h, const char *model, size_t model_len, uint32_t attempt, int summarize)
{
	h = fnv_byte(draw_fnv_bytes(h, model, model_len), '|');
	if (summarize)
		h = fnv_byte(h, 's');
	return draw_fnv_u64(h, attempt);
}

uint64_t draw_attempt(uint64_t request_state, const char *model, size_t model_len,
		      uint32_t attempt, int summarize)
{
	return draw_mix(fnv_suffix(request_state, model, model_len, attempt, summarize)) >> 11;
}

void draw_suffix_init(struct draw_suffix *t, const char *model, size_t model_len, uint32_t attempt,
		      int summarize)
{
	uint64_t n = model_len + 1 + (summarize != 0); /* the suffix's bytes: name, "|", "s", digits */
	uint32_t v = attempt;
	do
		n++;
	while (v /= 10);
	t->pow = 1;
	for (uint64_t p = DRAW_FNV_PRIME; n; n >>= 1, p *= p)
		if (n & 1)
			t->pow *= p;
	for (unsigned l = 0; l < 256; l++)
		t->add[l] = fnv_suffix(l, model, model_len, attempt, summarize) - l * t->pow;
}

void draw_requests_init(struct draw_requests *r, uint64_t seed_state)
{
	r->seed_state = seed_state;
	r->block = 0;
	r->block_state = 0;
}

uint64_t draw_requests_state(struct draw_requests *r, uint64_t index)
{
	if (index < 1000)
		return draw_request_state(r->seed_state, index);
	uint64_t block = index / 1000;
	unsigned low = (unsigned)(index - block * 1000); /* the last three digits, zeros kept */
	if (block != r->block) {
		r->block = block;
		r->block_state = draw_fnv_u64(r->seed_state, block);
	}
	uint64_t h = fnv_byte(r->block_state, (unsigned char)('0' + low / 100));
	h = fnv_byte(h, (unsigned char)('0' + low / 10 % 10));
	h = fnv_byte(h, (unsigned char)('0' + low % 10));
	return fnv_byte(h, '|');
}

int draw_fails_rate(uint64_t x, double rate)
{
	/* x < 2^53 is exact as a double; so is rate × 2^53 (a power-of-two scaling). */
	return (double)x < rate * 9007199254740992.0;
}

enum status draw_recorded_outcome(uint64_t x, const uint32_t count[N_STATUS])
{
	__extension__ typedef unsigned __int128 u128;
	uint64_t n = 0;
	for (int s = 0; s < N_STATUS; s++)
		n += count[s];
	if (n == 0)
		return STATUS_OK;
	u128 xn = (u128)x * n; /* < 2^53 × 2^35 */
	u128 cum = 0;
	for (int s = STATUS_OK + 1; s < N_STATUS; s++) {
		cum += count[s];
		if (xn < cum << 53)
			return (enum status)s;
	}
	return STATUS_OK;
}
