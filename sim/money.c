/*
 * Exact money: integer prices and costs, 128-bit sums, and the one rounding
 * rule (half to even, to a pico-USD).  Derived amounts multiply before they
 * divide, through a small unsigned 256-bit integer (four 64-bit limbs) so
 * that no intermediate product can overflow; the division is the plain
 * shift-and-subtract kind, fine for the few derived figures of a report.
 */
#include "sim/money.h"

#include <math.h>

#include "sim/decimal.h"

__extension__ typedef unsigned __int128 u128;

#define MAX_EXACT_DOUBLE_INT (1LL << 51)

/* ---- parsing prices and fractions ---- */

static int scaled_parse(const char *s, size_t n, int scale, int64_t *out)
{
	int64_t v;
	int exact;
	if (decimal_scaled(s, n, scale, &v, &exact) != 0 || !exact || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int scaled_from_double(double v, double scale, int64_t *out)
{
	if (!isfinite(v) || v < 0 || v * scale >= (double)MAX_EXACT_DOUBLE_INT)
		return -1;
	long long r = llround(v * scale);
	if ((double)r / scale != v)
		return -1;
	*out = r;
	return 0;
}

int money_price_parse(const char *s, size_t n, int64_t *out_micro)
{
	return scaled_parse(s, n, 6, out_micro);
}

int money_price_from_double(double usd, int64_t *out_micro)
{
	return scaled_from_double(usd, 1e6, out_micro);
}

int money_ppb_parse(const char *s, size_t n, int64_t *out_ppb)
{
	return scaled_parse(s, n, 9, out_ppb);
}

int money_ppb_from_double(double v, int64_t *out_ppb)
{
	return scaled_from_double(v, 1e9, out_ppb);
}

/* ---- call cost and discount ---- */

int money_call_pusd_wide(const struct money_price *p, uint64_t input_tok, uint64_t cached_tok,
			 uint64_t output_tok, int64_t *out_pusd)
{
	u128 parts[3], sum = 0;
	if (cached_tok > input_tok || p->input_micro < 0 || p->cached_micro < 0 || p->output_micro < 0)
		return -1;
	parts[0] = (u128)(input_tok - cached_tok) * (uint64_t)p->input_micro;
	parts[1] = (u128)cached_tok * (uint64_t)p->cached_micro;
	parts[2] = (u128)output_tok * (uint64_t)p->output_micro;
	for (int i = 0; i < 3; i++) {
		if (parts[i] > INT64_MAX) /* keeps the sum below 3 × 2^63 */
			return -1;
		sum += parts[i];
	}
	if (sum > INT64_MAX)
		return -1;
	*out_pusd = (int64_t)sum;
	return 0;
}

/* round_half_even(n ÷ d) for d > 0. */
static u128 div_half_even(u128 n, u128 d)
{
	u128 q = n / d, r = n % d;
	if (r > d - r || (r == d - r && (q & 1)))
		q++;
	return q;
}

static u128 magnitude(money_sum x)
{
	return x < 0 ? (u128)0 - (u128)x : (u128)x;
}

int64_t money_discount(int64_t pusd, int64_t discount_ppb)
{
	if (discount_ppb < 0)
		discount_ppb = 0;
	if (discount_ppb > MONEY_PPB_ONE)
		discount_ppb = MONEY_PPB_ONE;
	/* |pusd| × 10^9 < 2^93: exact in 128 bits */
	u128 q = div_half_even(magnitude(pusd) * (uint64_t)(MONEY_PPB_ONE - discount_ppb), MONEY_PPB_ONE);
	return pusd < 0 ? -(int64_t)q : (int64_t)q;
}

/* ---- 256-bit unsigned arithmetic ---- */

struct u256 {
	uint64_t w[4]; /* least significant limb first */
};

static struct u256 u256_from(u128 x)
{
	return (struct u256){ { (uint64_t)x, (uint64_t)(x >> 64), 0, 0 } };
}

/* x × m; -1 when the product does not fit in 256 bits. */
static int u256_mul64(struct u256 *x, uint64_t m)
{
	u128 carry = 0;
	for (int i = 0; i < 4; i++) {
		u128 t = (u128)x->w[i] * m + carry;
		x->w[i] = (uint64_t)t;
		carry = t >> 64;
	}
	return carry ? -1 : 0;
}

/* a × b, both below 2^128: always fits. */
static struct u256 u256_mul128(u128 a, u128 b)
{
	struct u256 r = { { 0, 0, 0, 0 } };
	uint64_t aw[2] = { (uint64_t)a, (uint64_t)(a >> 64) }, bw[2] = { (uint64_t)b, (uint64_t)(b >> 64) };
	for (int i = 0; i < 2; i++) {
		u128 carry = 0;
		for (int j = 0; j < 2; j++) {
			u128 t = (u128)aw[i] * bw[j] + r.w[i + j] + carry;
			r.w[i + j] = (uint64_t)t;
			carry = t >> 64;
		}
		r.w[i + 2] = (uint64_t)carry;
	}
	return r;
}

static int u256_cmp(const struct u256 *a, const struct u256 *b)
{
	for (int i = 3; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

static void u256_sub(struct u256 *a, const struct u256 *b)
{
	uint64_t borrow = 0;
	for (int i = 0; i < 4; i++) {
		uint64_t x = a->w[i], y = b->w[i];
		a->w[i] = x - y - borrow;
		borrow = x < y || (x == y && borrow);
	}
}

static void u256_shl1(struct u256 *a, int bit)
{
	for (int i = 3; i > 0; i--)
		a->w[i] = a->w[i] << 1 | a->w[i - 1] >> 63;
	a->w[0] = a->w[0] << 1 | (uint64_t)bit;
}

static int u256_is_zero(const struct u256 *a)
{
	return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]);
}

/* One step of long division: the remainder takes the next bit, the quotient the next digit. */
static void u256_div_step(struct u256 *q, struct u256 *r, const struct u256 *d, int bit)
{
	u256_shl1(r, bit);
	u256_shl1(q, 0);
	if (u256_cmp(r, d) >= 0) {
		u256_sub(r, d);
		q->w[0] |= 1;
	}
}

/* *q = n ÷ d and *r = n mod d (d nonzero, below 2^255), a bit at a time from n's top bit. */
static void u256_divmod(const struct u256 *n, const struct u256 *d, struct u256 *q, struct u256 *r)
{
	int top = 255;
	*q = *r = (struct u256){ { 0, 0, 0, 0 } };
	while (top >= 0 && !(n->w[top / 64] >> (top % 64) & 1))
		top--;
	for (int i = top; i >= 0; i--)
		u256_div_step(q, r, d, (int)(n->w[i / 64] >> (i % 64) & 1));
}

/*
 * round_half_even(n ÷ d) into *q when it is below 2^127.  d must be nonzero
 * and below 2^255 (so the remainder can be doubled).  Returns -1 when the
 * quotient is too large.
 */
static int u256_div_half_even(const struct u256 *n, const struct u256 *d, u128 *q)
{
	struct u256 quo, rem, twice;
	u256_divmod(n, d, &quo, &rem);
	twice = rem;
	u256_shl1(&twice, 0);
	int c = u256_cmp(&twice, d);
	if (c > 0 || (c == 0 && (quo.w[0] & 1)))
		for (int i = 0; i < 4 && ++quo.w[i] == 0; i++)
			;
	if (quo.w[2] | quo.w[3] | (quo.w[1] >> 63))
		return -1;
	*q = (u128)quo.w[1] << 64 | quo.w[0];
	return 0;
}

/* ---- derived amounts ---- */

static int signed_result(int neg, u128 mag, money_sum *out)
{
	*out = neg ? -(money_sum)mag : (money_sum)mag; /* mag < 2^127 */
	return 0;
}

int money_muldiv(money_sum a, money_sum b, money_sum c, money_sum *out)
{
	int neg = (a < 0) ^ (b < 0) ^ (c < 0);
	u128 ma = magnitude(a), mb = magnitude(b), mc = magnitude(c), q;
	if (c == 0)
		return -1;
	if (ma >> 63 == 0 && mb >> 63 == 0) { /* the product fits in 126 bits */
		q = div_half_even(ma * mb, mc);
		if (q >> 127)
			return -1;
		return signed_result(neg, q, out);
	}
	struct u256 num = u256_mul128(ma, mb), den = u256_from(mc);
	if (u256_div_half_even(&num, &den, &q) != 0)
		return -1;
	return signed_result(neg, q, out);
}

int money_project(money_sum total_pusd, int64_t days_ppb, int64_t span_us, int64_t sample_rate_ppb,
		  int64_t multiplier_ppb, money_sum *out_pusd)
{
	/* × days_ppb × 86400 × 10^6 × multiplier_ppb ÷ (span_us × sample_rate_ppb × 10^9),
	 * with 86400 × 10^6 ÷ 10^9 = 432 ÷ 5 */
	u128 q;
	if (span_us <= 0 || sample_rate_ppb <= 0 || days_ppb < 0 || multiplier_ppb < 0)
		return -1;
	struct u256 num = u256_from(magnitude(total_pusd));
	if (u256_mul64(&num, (uint64_t)days_ppb) || u256_mul64(&num, 432) ||
	    u256_mul64(&num, (uint64_t)multiplier_ppb))
		return -1;
	struct u256 den = u256_from((u128)(uint64_t)span_us * (uint64_t)sample_rate_ppb);
	if (u256_mul64(&den, 5))
		return -1; /* cannot happen: below 2^129 */
	if (u256_is_zero(&num)) {
		*out_pusd = 0;
		return 0;
	}
	if (u256_div_half_even(&num, &den, &q) != 0)
		return -1;
	return signed_result(total_pusd < 0, q, out_pusd);
}

/*
 * n ÷ d (d nonzero, both below 2^255) as the nearest double, ties to even: the
 * quotient to 55 bits (the 53 kept, the rounding bit, and one that stands for
 * all below it), then one rounding.
 */
static double u256_quotient(const struct u256 *n, const struct u256 *d)
{
	struct u256 q, r;
	int e = 0, sticky = 0;
	if (u256_is_zero(n))
		return 0.0;
	u256_divmod(n, d, &q, &r);
	for (; q.w[3] | q.w[2] | q.w[1] | q.w[0] >> 55; e++) { /* too many bits: fold the lowest */
		sticky |= (int)(q.w[0] & 1);
		for (int i = 0; i < 3; i++)
			q.w[i] = q.w[i] >> 1 | q.w[i + 1] << 63;
		q.w[3] >>= 1;
	}
	for (; !(q.w[0] >> 54); e--) /* too few: the next bits of the fraction */
		u256_div_step(&q, &r, d, 0);
	sticky |= !u256_is_zero(&r);
	return ldexp((double)(q.w[0] | (uint64_t)sticky), e); /* the conversion rounds once */
}

double money_quotient(money_sum a, money_sum b)
{
	if (a <= 0 || b <= 0)
		return 0.0;
	if (a < (money_sum)1 << 53 && b < (money_sum)1 << 53)
		return (double)a / (double)b; /* exact operands, one rounding */
	struct u256 n = u256_from((u128)a), d = u256_from((u128)b);
	return u256_quotient(&n, &d);
}

double money_quotient2(money_sum a, money_sum b, money_sum c, money_sum d)
{
	const money_sum two63 = (money_sum)1 << 63;
	if (a <= 0 || b <= 0 || c <= 0 || d <= 0)
		return 0.0;
	if (a < two63 && b < two63 && c < two63 && d < two63)
		return money_quotient(a * b, c * d); /* the products fit in 126 bits */
	struct u256 n = u256_mul128((u128)a, (u128)b), m = u256_mul128((u128)c, (u128)d);
	return u256_quotient(&n, &m);
}

int money_products_gt(money_sum a, money_sum b, uint64_t c, money_sum d, money_sum e, uint64_t f)
{
	struct u256 x = u256_mul128(magnitude(a), magnitude(b)), y = u256_mul128(magnitude(d), magnitude(e));
	int over_x = u256_mul64(&x, c) < 0, over_y = u256_mul64(&y, f) < 0;
	if (over_x || over_y) /* past 2^256: only far beyond the amounts sums support */
		return over_x && !over_y;
	return u256_cmp(&x, &y) > 0;
}

/* ---- formatting ---- */

size_t money_format(char *buf, money_sum pusd)
{
	char tmp[MONEY_FMT_SIZE];
	u128 mag = magnitude(pusd), ip = mag / (u128)MONEY_PUSD_PER_USD;
	uint64_t fp = (uint64_t)(mag % (u128)MONEY_PUSD_PER_USD);
	size_t n = 0, len = 0;

	for (int i = 0; i < 12; i++) { /* digits, least significant first */
		tmp[n++] = (char)('0' + fp % 10);
		fp /= 10;
	}
	tmp[n++] = '.';
	do {
		tmp[n++] = (char)('0' + (unsigned)(ip % 10));
		ip /= 10;
	} while (ip);
	if (pusd < 0)
		tmp[n++] = '-';
	while (n > 0)
		buf[len++] = tmp[--n];
	buf[len] = '\0';
	return len;
}

/* sub as whole pico-USD (rounded down) and the rest, in [0, 10^18). */
static money_sum split_sub(money_sum sub, money_sum *rest)
{
	money_sum q = sub / MONEY_SUB_PER_PUSD, r = sub % MONEY_SUB_PER_PUSD;
	if (r < 0) {
		q--;
		r += MONEY_SUB_PER_PUSD;
	}
	*rest = r;
	return q;
}

money_sum money_round_sub(money_sum pusd, money_sum sub)
{
	money_sum f, v = pusd + split_sub(sub, &f);
	if (2 * f > MONEY_SUB_PER_PUSD || (2 * f == MONEY_SUB_PER_PUSD && (v & 1)))
		v++;
	return v;
}

int money_off_half_percent(money_sum pusd, money_sum sub, money_sum ref)
{
	/* amount = x + f ÷ 10^18 with x whole and 0 ≤ f < 10^18 */
	money_sum f, x = pusd + split_sub(sub, &f);
	if (x >= ref) { /* 200 (x − ref) + 200 f ÷ 10^18 > ref */
		money_sum r = ref - 200 * (x - ref);
		return r < 0 || (r < 200 && 200 * f > r * MONEY_SUB_PER_PUSD);
	}
	/* x < ref, so amount < ref: 200 (ref − x) − 200 f ÷ 10^18 > ref */
	money_sum r = 200 * (ref - x) - ref;
	return r >= 200 || (r > 0 && 200 * f < r * MONEY_SUB_PER_PUSD);
}
