/*
 * Tests of the common random draw (sim/draw.c).  Expected hashes and draws
 * come from an independent python3 implementation of SPEC §10, run once:
 *
 *   M=2**64
 *   def fnv(s):
 *       h=0xcbf29ce484222325
 *       for b in s.encode('utf-8'): h=((h^b)*0x100000001b3)%M
 *       return h
 *   def fin(z):
 *       z^=z>>30; z=(z*0xbf58476d1ce4e5b9)%M; z^=z>>27; z=(z*0x94d049bb133111eb)%M; z^=z>>31
 *       return z
 *   x = lambda s: fin(fnv(s)) >> 11
 *
 * Failure thresholds are worked out by hand in the comments.
 */
#include <string.h>

#include "sim/draw.h"
#include "tests/test.h"

#define U64(a, b) CHECK((uint64_t)(a) == (uint64_t)(b))

static void draw_fnv_and_mix(void)
{
	/* fnv("") = offset; fin(0) = 0; fin(1) = 0x5692161d100b05e5; fnv("1|") = 0x7f84607b4b98780 */
	U64(draw_fnv_bytes(DRAW_FNV_OFFSET, "", 0), 0xcbf29ce484222325ULL);
	U64(draw_mix(0), 0);
	U64(draw_mix(1), 0x5692161d100b05e5ULL);
	U64(draw_seed_state(1), 0x7f84607b4b98780ULL);
	U64(draw_fnv_bytes(DRAW_FNV_OFFSET, "1|", 2), 0x7f84607b4b98780ULL);
}

static void draw_incremental_equals_string(void)
{
	/* fnv("1|0|gpt-4.1-mini|1") = 0x13e0581a143470f0, built piece by piece */
	uint64_t h = draw_seed_state(1);
	h = draw_fnv_u64(h, 0);
	h = draw_fnv_bytes(h, "|gpt-4.1-mini|", 14);
	h = draw_fnv_u64(h, 1);
	U64(h, 0x13e0581a143470f0ULL);
	/* fnv("-7|0|mödel-é|1") = 0x2fd4a110572e7bec: a negative seed, UTF-8 model */
	h = draw_fnv_i64(DRAW_FNV_OFFSET, -7);
	static const char rest[] = "|0|m\xc3\xb6" "del-\xc3\xa9|1";
	h = draw_fnv_bytes(h, rest, sizeof rest - 1);
	U64(h, 0x2fd4a110572e7becULL);
}

static void draw_values_from_python(void)
{
	static const struct {
		int64_t seed;
		uint64_t index;
		const char *model;
		uint32_t attempt;
		int summarize;
		uint64_t want;
	} cases[] = {
		{ 1, 0, "gpt-4.1-mini", 1, 0, 7274826869678552ULL },        /* x("1|0|gpt-4.1-mini|1") */
		{ 1, 0, "gpt-4.1-mini", 2, 0, 8421225010940026ULL },        /* x("1|0|gpt-4.1-mini|2") */
		{ 1, 41, "gpt-4.1", 1, 1, 4430657179074098ULL },            /* x("1|41|gpt-4.1|s1") */
		{ 42, 123456789, "gpt-4.1", 3, 0, 3730743077397025ULL },    /* x("42|123456789|gpt-4.1|3") */
		{ -7, 0, "m\xc3\xb6" "del-\xc3\xa9", 1, 0, 6473880121472758ULL }, /* x("-7|0|mödel-é|1") */
		{ 0, UINT64_MAX, "", 10, 0, 6634476882650542ULL },          /* x("0|18446744073709551615||10") */
		{ INT64_MIN, 5, "m", UINT32_MAX, 0, 8564309435802582ULL },  /* x("-9223372036854775808|5|m|4294967295") */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t s = draw_seed_state(cases[i].seed);
		struct draw_requests kept;
		draw_requests_init(&kept, s);
		uint64_t x = draw_attempt(draw_requests_state(&kept, cases[i].index), cases[i].model,
					  strlen(cases[i].model), cases[i].attempt, cases[i].summarize);
		if (x != cases[i].want)
			TEST_FAIL_("case %zu (kept state): got %" PRIu64 ", want %" PRIu64, i, x, cases[i].want);
		x = draw_attempt(draw_request_state(s, cases[i].index), cases[i].model,
				 strlen(cases[i].model), cases[i].attempt, cases[i].summarize);
		if (x != cases[i].want)
			TEST_FAIL_("case %zu (split): got %" PRIu64 ", want %" PRIu64, i, x, cases[i].want);
		CHECK(x < DRAW_ONE);
		struct draw_suffix table;
		draw_suffix_init(&table, cases[i].model, strlen(cases[i].model), cases[i].attempt,
				 cases[i].summarize);
		x = draw_by_suffix(draw_request_state(s, cases[i].index), &table);
		if (x != cases[i].want)
			TEST_FAIL_("case %zu (table): got %" PRIu64 ", want %" PRIu64, i, x, cases[i].want);
	}
}

/* The tables and the kept request states against the byte-by-byte draw, itself checked against
 * python above: every low byte of the state, names of 0 to 40 bytes with any byte value,
 * attempts of 1 to 10 digits (and 0), and indexes that cross blocks of 1000 forward and back. */
static void draw_tables_equal_bytes(void)
{
	uint64_t z = 12345;
	char name[40];
	for (int round = 0; round < 400; round++) {
		size_t len = (size_t)round % sizeof name;
		for (size_t b = 0; b < len; b++)
			name[b] = (char)(draw_mix(z++) & 0xff);
		uint32_t attempt = round % 3 ? (uint32_t)(draw_mix(z++) % 12) : (uint32_t)(draw_mix(z++) >> 32);
		int summarize = round % 5 == 0;
		struct draw_suffix table;
		draw_suffix_init(&table, name, len, attempt, summarize);
		for (int k = 0; k < 64; k++) {
			uint64_t state = draw_mix(z++);
			state = (state & ~0xffULL) | (uint64_t)(round * 64 + k) % 256; /* every low byte */
			if (draw_by_suffix(state, &table) != draw_attempt(state, name, len, attempt, summarize)) {
				TEST_FAIL_("round %d, state %#" PRIx64 ": the table's draw differs", round, state);
				return;
			}
		}
	}
	static const uint64_t indexes[] = { 0, 7, 999, 1000, 1001, 1999, 2000, 1500, 999, 123456789,
	                                    123456000, 123455999, 1000000, 999999, UINT64_MAX,
	                                    UINT64_MAX - 999, 18446744073709551000ULL, 42 };
	for (int64_t seed = -2; seed <= 2; seed++) {
		struct draw_requests r;
		draw_requests_init(&r, draw_seed_state(seed));
		for (size_t k = 0; k < sizeof indexes / sizeof *indexes; k++)
			CHECK(draw_requests_state(&r, indexes[k]) == draw_request_state(draw_seed_state(seed), indexes[k]));
		for (uint64_t i = 0; i < 30000; i += 1 + i % 7)
			if (draw_requests_state(&r, i) != draw_request_state(draw_seed_state(seed), i)) {
				TEST_FAIL_("seed %" PRId64 ", index %" PRIu64 ": the kept state differs", seed, i);
				return;
			}
	}
}

static void draw_rate_thresholds(void)
{
	/* rate 0.5: fails iff x < 2^52 */
	CHECK(draw_fails_rate((1ULL << 52) - 1, 0.5));
	CHECK(!draw_fails_rate(1ULL << 52, 0.5));
	/* the double 0.6 is 0.59999999999999997779…; times 2^53 it is exactly
	 * 5404319552844595 (python: Fraction(0.6) * 2**53) */
	CHECK(draw_fails_rate(5404319552844594ULL, 0.6));
	CHECK(!draw_fails_rate(5404319552844595ULL, 0.6));
	/* Fraction(0.1) * 2**53 = 3602879701896397/4 = 900719925474099.25 */
	CHECK(draw_fails_rate(900719925474099ULL, 0.1));
	CHECK(!draw_fails_rate(900719925474100ULL, 0.1));
	/* 1e-17 × 2^53 ≈ 0.09: only x = 0 fails */
	CHECK(draw_fails_rate(0, 1e-17));
	CHECK(!draw_fails_rate(1, 1e-17));
	/* 0 never fails, 1 always fails */
	CHECK(!draw_fails_rate(0, 0.0));
	CHECK(draw_fails_rate(DRAW_ONE - 1, 1.0));
}

static void draw_recorded_classes(void)
{
	/* ok 5, timeout 2, server_error 1: n = 8.  Fails iff 8x < 3·2^53, i.e.
	 * x < 3·2^50; timeout iff 8x < 2·2^53, i.e. x < 2^51; rate_limited's
	 * cumulative count is also 2, so it is never the first; then server_error. */
	uint32_t c[N_STATUS] = { 0 };
	c[STATUS_OK] = 5;
	c[STATUS_TIMEOUT] = 2;
	c[STATUS_SERVER_ERROR] = 1;
	CHECK_INT(draw_recorded_outcome(0, c), STATUS_TIMEOUT);
	CHECK_INT(draw_recorded_outcome((1ULL << 51) - 1, c), STATUS_TIMEOUT);
	CHECK_INT(draw_recorded_outcome(1ULL << 51, c), STATUS_SERVER_ERROR);
	CHECK_INT(draw_recorded_outcome(3ULL * (1ULL << 50) - 1, c), STATUS_SERVER_ERROR);
	CHECK_INT(draw_recorded_outcome(3ULL * (1ULL << 50), c), STATUS_OK);

	/* ok 1, timeout 1, context_length 1: n = 3.  2^53 = 9007199254740992;
	 * timeout iff x < 2^53/3 = 3002399751580330.67; fails iff x < 2^54/3 =
	 * 6004799503160661.33 */
	uint32_t d[N_STATUS] = { 0 };
	d[STATUS_OK] = 1;
	d[STATUS_TIMEOUT] = 1;
	d[STATUS_CONTEXT_LENGTH] = 1;
	CHECK_INT(draw_recorded_outcome(3002399751580330ULL, d), STATUS_TIMEOUT);
	CHECK_INT(draw_recorded_outcome(3002399751580331ULL, d), STATUS_CONTEXT_LENGTH);
	CHECK_INT(draw_recorded_outcome(6004799503160661ULL, d), STATUS_CONTEXT_LENGTH);
	CHECK_INT(draw_recorded_outcome(6004799503160662ULL, d), STATUS_OK);

	/* ok and timeout both 2^32 − 1: n = 2^33 − 2, fails iff x < (2^32−1)·2^53/(2^33−2) = 2^52 */
	uint32_t big[N_STATUS] = { 0 };
	big[STATUS_OK] = UINT32_MAX;
	big[STATUS_TIMEOUT] = UINT32_MAX;
	CHECK_INT(draw_recorded_outcome((1ULL << 52) - 1, big), STATUS_TIMEOUT);
	CHECK_INT(draw_recorded_outcome(1ULL << 52, big), STATUS_OK);

	/* no data: never fails; all failures: always fails */
	uint32_t none[N_STATUS] = { 0 };
	CHECK_INT(draw_recorded_outcome(0, none), STATUS_OK);
	uint32_t all[N_STATUS] = { 0 };
	all[STATUS_RATE_LIMITED] = 3;
	CHECK_INT(draw_recorded_outcome(DRAW_ONE - 1, all), STATUS_RATE_LIMITED);
}

void suite_draw(void)
{
	RUN(draw_fnv_and_mix);
	RUN(draw_incremental_equals_string);
	RUN(draw_values_from_python);
	RUN(draw_tables_equal_bytes);
	RUN(draw_rate_thresholds);
	RUN(draw_recorded_classes);
}
