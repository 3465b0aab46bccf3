/*
 * Exact decimal parsing: a JSON number's digits D and exponent E give the value
 * D × 10^E; scaling by 10^scale shifts E, and the digits past the decimal point
 * decide a half-to-even rounding.  The digits are read twice from the text (no
 * copy), so a number of any length is handled in constant memory.
 */
#include "sim/decimal.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Saturation bound for exponents: far beyond any int64 result, so clamping changes nothing. */
#define EXP_LIMIT 100000

struct digits {
	const char *ip, *fp; /* integer and fraction digit runs */
	size_t ni, nf;
};

static int digit_at(const struct digits *d, size_t i)
{
	return i < d->ni ? d->ip[i] - '0' : d->fp[i - d->ni] - '0';
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

__extension__ typedef unsigned __int128 u128;
#define U128_MAX (~(u128)0)

/* The magnitude of s[0..n) × 10^scale rounded half to even into *mag, its sign into *neg; *exact
 * as decimal_scaled's, *up whether the rounding went up (the magnitude is above the number's).
 * 0, -1 when s is not a JSON number, -2 when the result does not fit in a decimal_wide. */
static int scaled(const char *s, size_t n, int scale, u128 *mag, int *neg_out, int *exact, int *up)
{
	const char *p = s, *end = s + n;
	struct digits d = { 0 };
	int neg = 0;
	long exp10 = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= end || !is_digit(*p))
		return -1;
	d.ip = p;
	if (*p == '0')
		p++;
	else
		while (p < end && is_digit(*p))
			p++;
	d.ni = (size_t)(p - d.ip);
	if (p < end && *p == '.') {
		d.fp = ++p;
		while (p < end && is_digit(*p))
			p++;
		d.nf = (size_t)(p - d.fp);
		if (d.nf == 0)
			return -1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p >= end || !is_digit(*p))
			return -1;
		/* past the digits' own count, an exponent says no more: the number is then past every
		 * bound, or below every non-zero one, however long its digits */
		long limit = EXP_LIMIT + (long)(d.ni + d.nf);
		for (; p < end && is_digit(*p); p++)
			if (exp10 < limit)
				exp10 = exp10 * 10 + (*p - '0');
		if (eneg)
			exp10 = -exp10;
	}
	if (p != end)
		return -1;

	/* value = D × 10^k once scaled, D the digit run without leading zeros */
	size_t total = d.ni + d.nf, lead = 0;
	while (lead < total && digit_at(&d, lead) == 0)
		lead++;
	*neg_out = neg;
	*up = 0;
	if (lead == total) { /* zero */
		*mag = 0;
		*exact = 1;
		return 0;
	}
	long k = exp10 - (long)d.nf + scale;
	long nd = (long)(total - lead);
	long nint = nd + k; /* digits before the decimal point of the scaled value */
	if (nint > 39)
		return -2;

	u128 v = 0;
	if (nint <= 19) { /* below 10^19: 64 bits hold it (the common case, kept fast) */
		uint64_t v64 = 0;
		for (long i = 0; i < nint; i++)
			v64 = v64 * 10 + (uint64_t)(i < nd ? digit_at(&d, lead + (size_t)i) : 0);
		v = v64;
	} else {
		for (long i = 0; i < nint; i++) {
			int dig = i < nd ? digit_at(&d, lead + (size_t)i) : 0;
			if (v > (U128_MAX - (u128)dig) / 10)
				return -2;
			v = v * 10 + (u128)dig;
		}
	}
	/* the dropped digits decide the rounding */
	int first = 0, rest_nonzero = 0, is_exact = 1;
	if (nint < nd) {
		long i0 = nint < 0 ? 0 : nint;
		first = nint < 0 ? 0 : digit_at(&d, lead + (size_t)i0);
		for (long i = nint < 0 ? 0 : i0 + 1; i < nd; i++)
			if (digit_at(&d, lead + (size_t)i)) {
				rest_nonzero = 1;
				break;
			}
		is_exact = first == 0 && !rest_nonzero;
		if (first > 5 || (first == 5 && (rest_nonzero || (v & 1)))) {
			if (v == U128_MAX)
				return -2; /* rounding up would wrap */
			v++;
			*up = 1;
		}
	}
	if (v > (U128_MAX >> 1))
		return -2;
	*mag = v;
	*exact = is_exact;
	return 0;
}

int decimal_scaled_wide(const char *s, size_t n, int scale, decimal_wide *out, int *exact)
{
	u128 v;
	int neg, is_exact, up;
	if (scaled(s, n, scale, &v, &neg, &is_exact, &up) < 0)
		return -1;
	*out = neg ? -(decimal_wide)v : (decimal_wide)v;
	if (exact)
		*exact = is_exact;
	return 0;
}

int decimal_compare(const char *s, size_t n, int64_t k, int *cmp)
{
	u128 v;
	int neg, exact, up, rc = scaled(s, n, 0, &v, &neg, &exact, &up);
	if (rc == -1)
		return -1;
	if (rc == -2) { /* beyond ±1.7·10^38: beyond any int64 */
		*cmp = neg ? -1 : 1;
		return 0;
	}
	/* the number x lies within ½ of r, its rounding: an r other than k tells x against k too */
	decimal_wide r = neg ? -(decimal_wide)v : (decimal_wide)v;
	if (r != k)
		*cmp = r < k ? -1 : 1;
	else if (exact)
		*cmp = 0;
	else /* rounded up in magnitude: |x| below |r| */
		*cmp = up == !neg ? -1 : 1;
	return 0;
}

int decimal_scaled(const char *s, size_t n, int scale, int64_t *out, int *exact)
{
	decimal_wide v;
	if (decimal_scaled_wide(s, n, scale, &v, exact) < 0 || v > INT64_MAX || v < INT64_MIN)
		return -1;
	*out = (int64_t)v;
	return 0;
}

const char *decimal_text(int64_t v, int scale, char *buf, size_t n)
{
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v, p = 1;
	char frac[24] = "";
	int len = 0;
	for (int i = 0; i < scale && i < 18; i++)
		p *= 10;
	if (p > 1) /* at scale 0, "%0*" of width 0 would still write a 0 */
		len = snprintf(frac, sizeof frac, "%0*llu", scale < 18 ? scale : 18, (unsigned long long)(mag % p));
	while (len > 0 && frac[len - 1] == '0')
		frac[--len] = 0;
	snprintf(buf, n, "%s%llu%s%s", v < 0 ? "-" : "", (unsigned long long)(mag / p), len ? "." : "", frac);
	return buf;
}

const char *decimal_shortest(double v, int plain, char *buf, size_t n)
{
	double a = fabs(v);
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, v);
		if (strtod(buf, NULL) != v)
			continue;
		if (plain && strchr(buf, 'e') && a >= 1.0 && a < 1e17 && prec < 17)
			continue;
		break;
	}
	const char *dp = localeconv()->decimal_point;
	if (dp && dp[0] && strcmp(dp, ".") != 0) {
		char *p = strstr(buf, dp);
		if (p) {
			size_t dl = strlen(dp);
			*p = '.';
			memmove(p + 1, p + dl, strlen(p + dl) + 1);
		}
	}
	return buf;
}
