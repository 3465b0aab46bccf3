/*
 * Tests of exact money (sim/money.c).  Every expected value is worked out by
 * hand in the comments (amounts in pico-USD, "pUSD": 1 USD = 10^12 pUSD;
 * prices in micro-USD per 1M tokens = pUSD per token), including half-even
 * ties in both directions and amounts around 10^24 pUSD (USD 10^12).
 */
#include <math.h>

#include "sim/money.h"
#include "tests/test.h"

/* Compares two money_sum values through their formatted text. */
#define CHECK_SUM(a, b) do { \
	char fa_[MONEY_FMT_SIZE], fb_[MONEY_FMT_SIZE]; \
	money_format(fa_, (a)); money_format(fb_, (b)); \
	CHECK_STR(fa_, fb_); \
} while (0)

static money_sum pow10s(int k)
{
	money_sum x = 1;
	while (k-- > 0)
		x *= 10;
	return x;
}

static void money_parse_prices(void)
{
	int64_t v = -1;
	/* "0.40" USD per 1M tokens = 400000 micro-USD per 1M tokens */
	CHECK_INT(money_price_parse("0.40", 4, &v), 0);
	CHECK_INT(v, 400000);
	CHECK_INT(money_price_parse("8", 1, &v), 0);
	CHECK_INT(v, 8000000);
	CHECK_INT(money_price_parse("1e-6", 4, &v), 0);
	CHECK_INT(v, 1);
	CHECK_INT(money_price_parse("0.1234560", 9, &v), 0); /* a zero 7th decimal is fine */
	CHECK_INT(v, 123456);
	CHECK_INT(money_price_parse("0.1234567", 9, &v), -1); /* 7 decimals */
	CHECK_INT(money_price_parse("-1", 2, &v), -1);
	CHECK_INT(money_price_parse("0.4x", 4, &v), -1);

	/* from doubles: 0.4 × 10^6 → 400000 and 400000 / 10^6 reads back as 0.4 */
	CHECK_INT(money_price_from_double(0.4, &v), 0);
	CHECK_INT(v, 400000);
	CHECK_INT(money_price_from_double(1.6, &v), 0);
	CHECK_INT(v, 1600000);
	CHECK_INT(money_price_from_double(0.000001, &v), 0);
	CHECK_INT(v, 1);
	CHECK_INT(money_price_from_double(12345.678901, &v), 0);
	CHECK_INT(v, 12345678901LL);
	CHECK_INT(money_price_from_double(0.1234567, &v), -1);
	CHECK_INT(money_price_from_double(1e-7, &v), -1);
	CHECK_INT(money_price_from_double(-0.5, &v), -1);
	CHECK_INT(money_price_from_double(NAN, &v), -1);
	CHECK_INT(money_price_from_double(INFINITY, &v), -1);
}

static void money_parse_fractions(void)
{
	int64_t v = -1;
	CHECK_INT(money_ppb_parse("0.5", 3, &v), 0);
	CHECK_INT(v, 500000000);
	CHECK_INT(money_ppb_parse("0.25", 4, &v), 0);
	CHECK_INT(v, 250000000);
	CHECK_INT(money_ppb_parse("30", 2, &v), 0);
	CHECK_INT(v, 30000000000LL);
	CHECK_INT(money_ppb_parse("1.0000000001", 12, &v), -1); /* 10 decimals */
	CHECK_INT(money_ppb_from_double(0.3, &v), 0);
	CHECK_INT(v, 300000000);
	CHECK_INT(money_ppb_from_double(1.0, &v), 0);
	CHECK_INT(v, MONEY_PPB_ONE);
	CHECK_INT(money_ppb_from_double(0.1234567891, &v), -1);
}

static void money_call_cost(void)
{
	/* gpt-4.1-mini: input 0.40, cached 0.10, output 1.60 USD per 1M tokens */
	struct money_price p = { 400000, 100000, 1600000 };
	int64_t c = -1;
	/* 1000 input of which 200 cached, 500 output:
	 * 800 × 400000 + 200 × 100000 + 500 × 1600000
	 * = 320000000 + 20000000 + 800000000 = 1140000000 pUSD = USD 0.00114 */
	CHECK_INT(money_call_pusd(&p, 1000, 200, 500, &c), 0);
	CHECK_INT(c, 1140000000LL);
	/* one output token at USD 1.60 / 1M = 1.6 µUSD = 1600000 pUSD */
	CHECK_INT(money_call_pusd(&p, 0, 0, 1, &c), 0);
	CHECK_INT(c, 1600000);
	CHECK_INT(money_call_pusd(&p, 0, 0, 0, &c), 0);
	CHECK_INT(c, 0);
	CHECK_INT(money_call_pusd(&p, 10, 11, 0, &c), -1); /* cached > input */
	/* INT64_MAX tokens at 1 µUSD/1M is exactly INT64_MAX pUSD; one more overflows */
	struct money_price one = { 1, 1, 1 };
	CHECK_INT(money_call_pusd(&one, 0, 0, INT64_MAX, &c), 0);
	CHECK(c == INT64_MAX);
	CHECK_INT(money_call_pusd(&one, 1, 0, INT64_MAX, &c), -1);
	CHECK_INT(money_call_pusd(&p, 0, 0, UINT64_MAX, &c), -1);
	struct money_price bad = { -1, 0, 0 };
	CHECK_INT(money_call_pusd(&bad, 1, 0, 0, &c), -1);
	/* the edges of the 64-bit path (tokens ≤ 2^32 − 1, prices < 2^30) and just past them,
	 * by python3: (2**32-1)*(2**30-1)*2 = 9223372026117357570,
	 * (2**32-1)*2**30*2 = 9223372034707292160,
	 * (2**31-1)*(2**30-1) + 2**31*1 + (2**32-1)*(2**30-1) = 6917529021198630914 */
	struct money_price edge = { (1 << 30) - 1, (1 << 30) - 1, (1 << 30) - 1 };
	CHECK_INT(money_call_pusd(&edge, UINT32_MAX, 0, UINT32_MAX, &c), 0);
	CHECK(c == 9223372026117357570LL);
	struct money_price past = { 1 << 30, 1 << 30, 1 << 30 };
	CHECK_INT(money_call_pusd(&past, UINT32_MAX, 0, UINT32_MAX, &c), 0);
	CHECK(c == 9223372034707292160LL);
	struct money_price mixed = { (1 << 30) - 1, 1, (1 << 30) - 1 };
	CHECK_INT(money_call_pusd(&mixed, UINT32_MAX, 1u << 31, UINT32_MAX, &c), 0);
	CHECK(c == 6917529021198630914LL);
	/* the 128-bit path prices cached tokens at the cached rate too: 2^32 input tokens (past
	 * the 64-bit path) of which 2^31 cached, at 0.40 / 0.10:
	 * 2^31 × 400000 + 2^31 × 100000 = 2^31 × 500000 = 1073741824000000 pUSD */
	CHECK_INT(money_call_pusd(&p, UINT64_C(1) << 32, UINT64_C(1) << 31, 0, &c), 0);
	CHECK(c == 1073741824000000LL);
	/* and gives the 64-bit path's figure where both apply (the first case above) */
	CHECK_INT(money_call_pusd_wide(&p, 1000, 200, 500, &c), 0);
	CHECK_INT(c, 1140000000LL);
}

static void money_discounts(void)
{
	/* 1140000000 × 0.5 = 570000000, no rounding */
	CHECK_INT(money_discount(1140000000LL, 500000000), 570000000LL);
	/* ties at 0.5: 3 × 0.5 = 1.5 → 2 (even above); 5 × 0.5 = 2.5 → 2 (even below);
	 * 7 × 0.5 = 3.5 → 4; negatives mirror: −5 → −2, −7 → −4 */
	CHECK_INT(money_discount(3, 500000000), 2);
	CHECK_INT(money_discount(5, 500000000), 2);
	CHECK_INT(money_discount(7, 500000000), 4);
	CHECK_INT(money_discount(-5, 500000000), -2);
	CHECK_INT(money_discount(-7, 500000000), -4);
	/* discount 0.25: 2 × 0.75 = 1.5 → 2; 6 × 0.75 = 4.5 → 4; 1 × 0.75 → 1 */
	CHECK_INT(money_discount(2, 250000000), 2);
	CHECK_INT(money_discount(6, 250000000), 4);
	CHECK_INT(money_discount(1, 250000000), 1);
	/* discount 0.75: 1 × 0.25 → 0; 2 × 0.25 = 0.5 → 0; 6 × 0.25 = 1.5 → 2 */
	CHECK_INT(money_discount(1, 750000000), 0);
	CHECK_INT(money_discount(2, 750000000), 0);
	CHECK_INT(money_discount(6, 750000000), 2);
	/* no discount, full discount, and the int64 extreme: (2^63 − 1) × 0.5 =
	 * 4611686018427387903.5 → 4611686018427387904 (even) */
	CHECK_INT(money_discount(12345, 0), 12345);
	CHECK_INT(money_discount(12345, MONEY_PPB_ONE), 0);
	CHECK(money_discount(INT64_MAX, 500000000) == 4611686018427387904LL);
}

static void money_muldiv_rounding(void)
{
	money_sum r = 0;
	/* 7/2 = 3.5 → 4; 5/2 = 2.5 → 2; 10/3 = 3.33 → 3; 20/3 = 6.67 → 7 */
	CHECK_INT(money_muldiv(7, 1, 2, &r), 0);
	CHECK_SUM(r, 4);
	CHECK_INT(money_muldiv(5, 1, 2, &r), 0);
	CHECK_SUM(r, 2);
	CHECK_INT(money_muldiv(10, 1, 3, &r), 0);
	CHECK_SUM(r, 3);
	CHECK_INT(money_muldiv(20, 1, 3, &r), 0);
	CHECK_SUM(r, 7);
	/* signs: −5/2 → −2, 5/−2 → −2, −7/−2 = 3.5 → 4 */
	CHECK_INT(money_muldiv(-5, 1, 2, &r), 0);
	CHECK_SUM(r, -2);
	CHECK_INT(money_muldiv(5, 1, -2, &r), 0);
	CHECK_SUM(r, -2);
	CHECK_INT(money_muldiv(-7, 1, -2, &r), 0);
	CHECK_SUM(r, 4);
	/* a per-hour rate: 5 pUSD over 7200 s = 5 × 3600e6 / 7200e6 = 2.5 → 2 */
	CHECK_INT(money_muldiv(5, 3600000000LL, 7200000000LL, &r), 0);
	CHECK_SUM(r, 2);
	CHECK_INT(money_muldiv(1, 1, 0, &r), -1);
}

static void money_muldiv_wide(void)
{
	money_sum r = 0, e24 = pow10s(24);
	/* (10^24 + 1) × 10^18 ÷ (2 × 10^18) = 5 × 10^23 + 0.5 → 5 × 10^23 (even);
	 * (10^24 + 3) × … = 5 × 10^23 + 1.5 → 5 × 10^23 + 2 (even) */
	CHECK_INT(money_muldiv(e24 + 1, pow10s(18), 2 * pow10s(18), &r), 0);
	CHECK_SUM(r, 5 * pow10s(23));
	CHECK_INT(money_muldiv(e24 + 3, pow10s(18), 2 * pow10s(18), &r), 0);
	CHECK_SUM(r, 5 * pow10s(23) + 2);
	CHECK_INT(money_muldiv(-(e24 + 3), pow10s(18), 2 * pow10s(18), &r), 0);
	CHECK_SUM(r, -(5 * pow10s(23) + 2));
	/* 3 × 10^24 × 10^30 ÷ 10^30: a 180-bit product, exact */
	CHECK_INT(money_muldiv(3 * e24, pow10s(30), pow10s(30), &r), 0);
	CHECK_SUM(r, 3 * e24);
	/* 2^126 × 2 = 2^127 does not fit; ÷ 2 it does */
	money_sum two126 = (money_sum)1 << 126;
	CHECK_INT(money_muldiv(two126, 2, 1, &r), -1);
	CHECK_INT(money_muldiv(two126, 2, 2, &r), 0);
	CHECK_SUM(r, two126);
	CHECK_INT(money_muldiv(pow10s(38), 10, 1, &r), -1);
}

static void money_projection(void)
{
	money_sum r = 0, e14 = pow10s(14);
	int64_t day_us = 86400LL * 1000000;
	/* USD 100 (10^14 pUSD) over one day, 30 days: USD 3000 = 3 × 10^15 pUSD */
	CHECK_INT(money_project(e14, 30 * MONEY_PPB_ONE, day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 3 * pow10s(15));
	/* sample rate 0.1: ÷ 0.1 = × 10 → 3 × 10^16; multiplier 2.5 → 7.5 × 10^15 */
	CHECK_INT(money_project(e14, 30 * MONEY_PPB_ONE, day_us, 100000000, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 3 * pow10s(16));
	CHECK_INT(money_project(e14, 30 * MONEY_PPB_ONE, day_us, MONEY_PPB_ONE, 2500000000LL, &r), 0);
	CHECK_SUM(r, 75 * e14);
	CHECK_INT(money_project(-e14, 30 * MONEY_PPB_ONE, day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, -3 * pow10s(15));
	/* ties: 1 pUSD × 1 day ÷ 2 days = 0.5 → 0; 3 pUSD → 1.5 → 2;
	 * 2 pUSD × 1 ÷ 3 = 0.67 → 1 */
	CHECK_INT(money_project(1, MONEY_PPB_ONE, 2 * day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 0);
	CHECK_INT(money_project(3, MONEY_PPB_ONE, 2 * day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 2);
	CHECK_INT(money_project(2, MONEY_PPB_ONE, 3 * day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 1);
	/* USD 1 over 7 µs, 30 days: 10^12 × 30 × 86400 × 10^6 ÷ 7 = 2592 × 10^21 ÷ 7
	 * = 370285714285714285714285.71… → …286 (python3:
	 * Fraction(10**12*30*86400*10**6, 7) rounded half-even) */
	CHECK_INT(money_project(pow10s(12), 30 * MONEY_PPB_ONE, 7, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 370285714285LL * pow10s(12) + 714285714286LL);
	/* USD 10^12 (10^24 pUSD) over one day, 30 days: 3 × 10^25 pUSD */
	CHECK_INT(money_project(pow10s(24), 30 * MONEY_PPB_ONE, day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 3 * pow10s(25));
	/* null projections */
	CHECK_INT(money_project(e14, 30 * MONEY_PPB_ONE, 0, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), -1);
	CHECK_INT(money_project(e14, 30 * MONEY_PPB_ONE, day_us, 0, MONEY_PPB_ONE, &r), -1);
	CHECK_INT(money_project(0, 30 * MONEY_PPB_ONE, day_us, MONEY_PPB_ONE, MONEY_PPB_ONE, &r), 0);
	CHECK_SUM(r, 0);
}

static void money_products(void)
{
	money_sum e24 = pow10s(24), e16 = pow10s(16), two80 = (money_sum)1 << 80;
	/* a/b > c/d ⇔ a·d > c·b: 1/3 > 1/4; 2/4 = 1/2 is not greater */
	CHECK_INT(money_products_gt(1, 4, 1, 1, 3, 1), 1);
	CHECK_INT(money_products_gt(1, 3, 1, 1, 4, 1), 0);
	CHECK_INT(money_products_gt(2, 2, 1, 1, 4, 1), 0);
	/* (10^24 + 1)/10^24 = 1 + 10^-24 < 10^24/(10^24 − 1) = 1 + 1/(10^24 − 1) */
	CHECK_INT(money_products_gt(e24 + 1, e24 - 1, 1, e24, e24, 1), 0);
	CHECK_INT(money_products_gt(e24, e24, 1, e24 + 1, e24 - 1, 1), 1);
	/* cost guard, spend × len × den > base × w × (den + num): 13 in the hour against 10 an
	 * hour × 1.3 is equal, so it does not fire; 1 pico-USD more does */
	CHECK_INT(money_products_gt(13, 3600000000LL, 10, 10, 3600000000LL, 13), 0);
	CHECK_INT(money_products_gt(13 * e24 + 1, 3600000000LL, 10, 10 * e24, 3600000000LL, 13), 1);
	/* $1.2·10^12 in a window against a 10^10 s baseline: spend × len is 2^80 × 10^16 ≈ 2^133,
	 * past 128 bits, and still compared exactly */
	CHECK_INT(money_products_gt(two80, e16, 10, two80 - 1, e16, 10), 1);
	CHECK_INT(money_products_gt(two80 - 1, e16, 10, two80, e16, 10), 0);
	/* past 2^256 (2^126 · 2^126 · 2^63): the one that overflowed is the larger */
	CHECK_INT(money_products_gt((money_sum)1 << 126, (money_sum)1 << 126, UINT64_C(1) << 63, 1, 1, 1), 1);
	CHECK_INT(money_products_gt(1, 1, 1, (money_sum)1 << 126, (money_sum)1 << 126, UINT64_C(1) << 63), 0);
}

#define U128(hi, lo) ((money_sum)(hi) << 64 | (money_sum)(lo))

/* The double nearest the exact quotient.  Expected values from Python's exact
 * float(Fraction(a, b)) (correctly rounded); the last three pairs are ones that
 * dividing as long doubles rounds twice and misses by one unit in the last place. */
static void money_quotients(void)
{
	money_sum two54 = (money_sum)1 << 54;
	CHECK(money_quotient(1, 3) == 0x1.5555555555555p-2);
	CHECK(money_quotient(0, 3) == 0.0);
	CHECK(money_quotient(3, 0) == 0.0);
	/* ties to even: 2^54 + 2 lies halfway between 2^54 and 2^54 + 4, 2^54 + 6 between
	 * 2^54 + 4 and 2^54 + 8 (the doubles there are 4 apart) */
	CHECK(money_quotient(two54 + 2, 1) == 0x1p+54);
	CHECK(money_quotient(two54 + 6, 1) == 0x1.0000000000002p+54);
	CHECK(money_quotient(two54 * 3 + 6, 3) == 0x1.0000000000000p+54); /* (2^54 + 2) exactly */
	/* 59665827940363139 / 502895480151045333767427094444 */
	CHECK(money_quotient(U128(0, 0xd3f9c11f9d6b83), U128(0x658f1642d, 0xa52c900036ce77acULL)) ==
	      0x1.0b29f310e0e8fp-43);
	/* 2458428194688787522064420224506552502 / 252966259424118450577146335808787275 */
	CHECK(money_quotient(U128(0x1d979de41e04e24, 0x3be46de88dd860b6ULL),
	                     U128(0x30b8331411b0be, 0xb1fe378094d5134bULL)) == 0x1.36fd29735891fp+3);
	/* 14085780697289163265390071 / 3774625436166286554772711168065371 */
	CHECK(money_quotient(U128(0xba6c7, 0xb39fd7e06ff9b5f7ULL), U128(0xba1a7894723e, 0xa18f3a9ee5b8bf5bULL)) ==
	      0x1.0070cfcd7e027p-28);
	/* (a × b) ÷ (c × d) with a 133-bit numerator: 2^80 × 10^16 ÷ (2^79 × 10^16) = 2 exactly, and
	 * (10^24 + 7)(10^16 − 3) ÷ ((3·10^23 + 1) × 6·10^10) = 555555.5555555554 (Python's Fraction) */
	money_sum e16 = pow10s(16), e24 = pow10s(24);
	CHECK(money_quotient2((money_sum)1 << 80, e16, (money_sum)1 << 79, e16) == 2.0);
	CHECK(money_quotient2(e24 + 7, e16 - 3, 3 * pow10s(23) + 1, 60000000000LL) == 0x1.0f4471c71c71bp+19);
	CHECK(money_quotient2(0, 1, 1, 1) == 0.0);
	/* A divisor above 2^128 whose long division meets a remainder equal to it in the
	 * middle limb with a borrow coming in from below: c × d = (2^68 + 1)(2^62 + 3) =
	 * 2^130 + 3·2^68 + 2^62 + 3, limbs (4, 0x30, 0x4000000000000003), and a × b =
	 * (5·2^119 + 3·2^59) × 2^8 = 5·2^127 + 3·2^67, whose first fraction step's remainder
	 * doubled is 5·2^128 + 0x30·2^64, limbs (5, 0x30, 0).  The quotient is 0.625 less
	 * about 2^-65: 0.625 once rounded (Python: float(Fraction(a * b, c * d))). */
	CHECK(money_quotient2(((money_sum)5 << 119) + ((money_sum)3 << 59), 256,
	                      ((money_sum)1 << 68) + 1, ((money_sum)1 << 62) + 3) == 0.625);
}

static void money_formatting(void)
{
	char b[MONEY_FMT_SIZE];
	CHECK_INT(money_format(b, 1234000), 14);
	CHECK_STR(b, "0.000001234000");
	money_format(b, 1234500000000000LL); /* 1234.5 × 10^12 */
	CHECK_STR(b, "1234.500000000000");
	money_format(b, 1140000000LL);
	CHECK_STR(b, "0.001140000000");
	money_format(b, 0);
	CHECK_STR(b, "0.000000000000");
	money_format(b, -1);
	CHECK_STR(b, "-0.000000000001");
	money_format(b, -1234500000000000LL);
	CHECK_STR(b, "-1234.500000000000");
	money_format(b, pow10s(24));
	CHECK_STR(b, "1000000000000.000000000000");
	/* the extremes: 2^127 − 1 and −2^127 pUSD */
	money_sum max = ((money_sum)1 << 126) - 1 + ((money_sum)1 << 126);
	money_format(b, max);
	CHECK_STR(b, "170141183460469231731687303.715884105727");
	CHECK_INT(money_format(b, -max - 1), 41);
	CHECK_STR(b, "-170141183460469231731687303.715884105728");
}

/* 10^6 calls of USD 10^6 each sum to USD 10^12 = 10^24 pUSD, exactly. */
static void money_sum_range(void)
{
	money_sum total = 0;
	int64_t call = 1000000LL * MONEY_PUSD_PER_USD;
	char b[MONEY_FMT_SIZE];
	for (int i = 0; i < 1000000; i++)
		total += call;
	money_format(b, total);
	CHECK_STR(b, "1000000000000.000000000000");
	money_format(b, total + 1);
	CHECK_STR(b, "1000000000000.000000000001");
}

/* Amounts of pico-USD and a rest in 10^-30 USD (10^18 to a pico-USD), rounded once. */
static void money_subs(void)
{
	const money_sum half = MONEY_SUB_PER_PUSD / 2;
	CHECK_INT((int64_t)money_round_sub(0, half), 0);              /* 0.5 → 0, even */
	CHECK_INT((int64_t)money_round_sub(0, 2 * half), 1);          /* 0.5 + 0.5 = 1 */
	CHECK_INT((int64_t)money_round_sub(1, half), 2);              /* 1.5 → 2, even */
	CHECK_INT((int64_t)money_round_sub(7, half + 1), 8);          /* just above half */
	CHECK_INT((int64_t)money_round_sub(7, -half), 6);             /* 6.5 → 6, even */
	CHECK_INT((int64_t)money_round_sub(7, -half - 1), 6);         /* 6.4999… → 6 */
	CHECK_INT((int64_t)money_round_sub(7, -3 * half), 6);         /* 5.5 → 6, even */
	/* 0.5% of 560000000 is 2800000: 562800000 is not past it, 562800000 + 10^-18 pico is;
	 * 557200000 is not, 557200000 − 10^-18 pico is */
	CHECK_INT(money_off_half_percent(562800000, 0, 560000000), 0);
	CHECK_INT(money_off_half_percent(562800000, 1, 560000000), 1);
	CHECK_INT(money_off_half_percent(557200000, 0, 560000000), 0);
	CHECK_INT(money_off_half_percent(557200000, -1, 560000000), 1);
	CHECK_INT(money_off_half_percent(557200001, -2 * half + 1, 560000000), 0); /* 557200000 + 10^-18 */
	/* against 0: anything but 0 is off */
	CHECK_INT(money_off_half_percent(0, 0, 0), 0);
	CHECK_INT(money_off_half_percent(0, 1, 0), 1);
	/* far apart, whole pico-USD */
	CHECK_INT(money_off_half_percent(1000, 0, 2000), 1);
	CHECK_INT(money_off_half_percent(2000, 0, 1000), 1);
}

void suite_money(void)
{
	RUN(money_subs);
	RUN(money_parse_prices);
	RUN(money_parse_fractions);
	RUN(money_call_cost);
	RUN(money_discounts);
	RUN(money_muldiv_rounding);
	RUN(money_muldiv_wide);
	RUN(money_projection);
	RUN(money_products);
	RUN(money_quotients);
	RUN(money_formatting);
	RUN(money_sum_range);
}
