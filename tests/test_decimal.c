/* Exact decimal parsing: scaling, half-even rounding, integers, JSON grammar, range. */
#include "sim/decimal.h"
#include "tests/test.h"

#include <stdlib.h>
#include <string.h>

static int64_t scaled(const char *s, int scale, int *exact)
{
	int64_t v = -999;
	if (decimal_scaled(s, strlen(s), scale, &v, exact) < 0)
		return -999;
	return v;
}

static void scales_exactly(void)
{
	int ex;
	/* epoch seconds to µs: 1772445600.123456 × 10^6 */
	CHECK_INT(scaled("1772445600.123456", 6, &ex), 1772445600123456LL);
	CHECK_INT(ex, 1);
	/* 0.0123 USD to pico-USD: 0.0123 × 10^12 = 12,300,000,000 */
	CHECK_INT(scaled("0.0123", 12, &ex), 12300000000LL);
	/* 250.5 ms to µs = 250500 */
	CHECK_INT(scaled("250.5", 3, &ex), 250500);
	CHECK_INT(scaled("1e2", 0, &ex), 100);
	CHECK_INT(ex, 1);
	CHECK_INT(scaled("100.0", 0, &ex), 100);
	CHECK_INT(ex, 1);
	CHECK_INT(scaled("1.5E+3", 0, &ex), 1500);
	CHECK_INT(scaled("12345e-2", 0, &ex), 123); /* 123.45 → 123, inexact */
	CHECK_INT(ex, 0);
	CHECK_INT(scaled("-0", 0, &ex), 0);
	CHECK_INT(scaled("0.000", 6, &ex), 0);
	CHECK_INT(scaled("-2.5", 0, &ex), -2);
	/* many digits: 1.000000000000000000000000001 × 10^6 → 1000000, inexact */
	CHECK_INT(scaled("1.000000000000000000000000001", 6, &ex), 1000000);
	CHECK_INT(ex, 0);
}

static void rounds_half_even(void)
{
	int ex;
	/* 0.5 → 0 (even), 1.5 → 2, 2.5 → 2, 3.5 → 4; 2.5000001 → 3 (above half) */
	CHECK_INT(scaled("0.5", 0, &ex), 0);
	CHECK_INT(scaled("1.5", 0, &ex), 2);
	CHECK_INT(scaled("2.5", 0, &ex), 2);
	CHECK_INT(scaled("3.5", 0, &ex), 4);
	CHECK_INT(scaled("2.5000001", 0, &ex), 3);
	CHECK_INT(scaled("2.4999999", 0, &ex), 2);
	/* 1.0000005 s → 1000000.5 µs → 1000000; 1.0000015 → 1000001.5 → 1000002 */
	CHECK_INT(scaled("1.0000005", 6, &ex), 1000000);
	CHECK_INT(scaled("1.0000015", 6, &ex), 1000002);
	/* 0.05 → 0 (below half after scaling to units) */
	CHECK_INT(scaled("0.05", 0, &ex), 0);
	CHECK_INT(scaled("0.0000009", 6, &ex), 1); /* 0.9 µs → 1 */
}

static void rejects_bad_text(void)
{
	static const char *bad[] = { "", "-", "+1", "01", ".5", "1.", "1e", "1e+", "NaN", "Infinity",
	                             "1.2.3", "1 ", " 1", "0x10", "1,5", "--1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;
		if (decimal_scaled(bad[i], strlen(bad[i]), 0, &v, NULL) != -1)
			TEST_FAIL_("\"%s\" accepted", bad[i]);
	}
}

static void range(void)
{
	int64_t v;
	CHECK_INT(decimal_scaled("9223372036854775807", 19, 0, &v, NULL), 0);
	CHECK_INT(v, INT64_MAX);
	CHECK_INT(decimal_scaled("9223372036854775808", 19, 0, &v, NULL), -1);
	CHECK_INT(decimal_scaled("1e19", 4, 0, &v, NULL), -1);
	CHECK_INT(decimal_scaled("1e999999999999", 14, 0, &v, NULL), -1);
	CHECK_INT(decimal_scaled("1e-999999999999", 15, 0, &v, NULL), 0);
	CHECK_INT(v, 0);
}

/* decimal_scaled_wide: 128-bit results, as a cost_usd takes at 30 decimals */
static void wide(void)
{
	decimal_wide v;
	/* 0.0000000000005 × 10^30 = 5 × 10^17 */
	CHECK_INT(decimal_scaled_wide("0.0000000000005", 15, 30, &v, NULL), 0);
	CHECK(v == (decimal_wide)500000000000000000LL);
	/* 9223372.036854775807 × 10^30 = 9223372036854775807 × 10^18, past int64 */
	CHECK_INT(decimal_scaled_wide("9223372.036854775807", 20, 30, &v, NULL), 0);
	CHECK(v == (decimal_wide)INT64_MAX * 1000000000000000000LL);
	/* 31 decimals: 1.5 × 10^-30 → 2 (half to even), 2.5 × 10^-30 → 2 */
	CHECK_INT(decimal_scaled_wide("0.0000000000000000000000000000015", 33, 30, &v, NULL), 0);
	CHECK(v == 2);
	CHECK_INT(decimal_scaled_wide("2.5e-30", 7, 30, &v, NULL), 0);
	CHECK(v == 2);
	/* 2^127 − 1 ≈ 1.7 × 10^38 is the most: 1e38 fits, 1e39 does not */
	CHECK_INT(decimal_scaled_wide("1e38", 4, 0, &v, NULL), 0);
	CHECK_INT(decimal_scaled_wide("1e39", 4, 0, &v, NULL), -1);
	/* 2^128 − 1 + 0.5 would round up past 128 bits, to 0 */
	CHECK_INT(decimal_scaled_wide("340282366920938463463374607431768211455.5", 41, 0, &v, NULL), -1);
	int64_t small;
	CHECK_INT(decimal_scaled("340282366920938463463374607431768.2114556", 41, 6, &small, NULL), -1);
}

/* decimal_compare is exact at any length: a number rounds to k (scale 0) from either side, and
 * which side the rounding left tells it, for a negative number too. */
static void compare(void)
{
	static const struct { const char *s; int64_t k; int cmp; } cases[] = {
		{ "1", 1, 0 }, { "1.000", 1, 0 }, { "1e0", 1, 0 }, { "10e-1", 1, 0 },
		{ "1.0000000000000000000001", 1, 1 },   /* a double reads it as 1 */
		{ "0.9999999999999999999999", 1, -1 },
		{ "0.5", 1, -1 }, { "1.5", 1, 1 },      /* rounding to even: 0 and 2 */
		{ "0.5", 0, 1 }, { "-0.5", 0, -1 },
		{ "0", 0, 0 }, { "-0", 0, 0 }, { "-0.0e5", 0, 0 },
		{ "1e-400", 0, 1 }, { "-1e-400", 0, -1 },
		{ "-1.0000000000000000000001", -1, -1 }, { "-0.9999999999999999999999", -1, 1 },
		{ "1e400", 1, 1 }, { "-1e400", 1, -1 }, /* beyond any integer */
		{ "9223372036854775807", INT64_MAX, 0 }, { "9223372036854775807.5", INT64_MAX, 1 },
		{ "-9223372036854775808", INT64_MIN, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int cmp = 2;
		CHECK_INT(decimal_compare(cases[i].s, strlen(cases[i].s), cases[i].k, &cmp), 0);
		if (cmp != cases[i].cmp)
			TEST_FAIL_("%s against %lld: got %d, want %d", cases[i].s, (long long)cases[i].k, cmp,
			           cases[i].cmp);
	}
	int cmp;
	CHECK_INT(decimal_compare("1.", 2, 1, &cmp), -1);
	CHECK_INT(decimal_compare("+1", 2, 1, &cmp), -1);
	/* digits longer than the exponent's clamp: 1 and 200,000 zeros is 10^200000; times
	 * 10^-1500000 it is 10^-1300000, below 1 (the exponent read as 150000 made it above);
	 * times 10^-199999 it is 10, above 1 */
	size_t z = 200000;
	char *big = malloc(z + 32);
	if (!big)
		return;
	big[0] = '1';
	memset(big + 1, '0', z);
	strcpy(big + 1 + z, "e-1500000");
	cmp = 2;
	CHECK_INT(decimal_compare(big, strlen(big), 1, &cmp), 0);
	CHECK_INT(cmp, -1);
	CHECK_INT(decimal_compare(big, strlen(big), 0, &cmp), 0);
	CHECK_INT(cmp, 1);
	strcpy(big + 1 + z, "e-199999");
	CHECK_INT(decimal_compare(big, strlen(big), 1, &cmp), 0);
	CHECK_INT(cmp, 1);
	strcpy(big + 1 + z, "e-200000");
	CHECK_INT(decimal_compare(big, strlen(big), 1, &cmp), 0);
	CHECK_INT(cmp, 0);
	free(big);
}

/* decimal_text: v ÷ 10^scale written back, trailing zeros cut. */
static void text(void)
{
	char b[48];
	CHECK_STR(decimal_text(412500, 3, b, sizeof b), "412.5");
	CHECK_STR(decimal_text(2, 0, b, sizeof b), "2");                /* no ".0" at scale 0 */
	CHECK_STR(decimal_text(-125, 2, b, sizeof b), "-1.25");
	CHECK_STR(decimal_text(177100000, 12, b, sizeof b), "0.0001771"); /* pico-USD → USD */
	CHECK_STR(decimal_text(1000000000000LL, 12, b, sizeof b), "1");
	CHECK_STR(decimal_text(1, 18, b, sizeof b), "0.000000000000000001");
	/* INT64_MIN: 9223372036854775808 ÷ 10^18 */
	CHECK_STR(decimal_text(INT64_MIN, 18, b, sizeof b), "-9.223372036854775808");
}

void suite_decimal(void)
{
	RUN(compare);
	RUN(text);
	RUN(wide);
	RUN(scales_exactly);
	RUN(rounds_half_even);
	RUN(rejects_bad_text);
	RUN(range);
}
