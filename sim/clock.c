/*
 * RFC 3339 parsing and formatting on integer microseconds.  Calendar arithmetic
 * uses the days-from-civil algorithm (proleptic Gregorian, era of 400 years),
 * valid for every year the format can write.
 */
#include "sim/clock.h"

#include <inttypes.h>
#include <stdio.h>

int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void clock_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Reads exactly `width` digits at *p. */
static int digits(const char **p, const char *end, int width, int *out)
{
	int v = 0;
	for (int i = 0; i < width; i++, (*p)++) {
		if (*p >= end || **p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -1;
	(*p)++;
	return 0;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int clock_parse_rfc3339(const char *s, size_t n, int64_t *us, const char **why)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *p = s, *end = s + n;
	int Y, M, D, h, m, sec, oh = 0, om = 0, sign = 0;

	*why = "expected an RFC 3339 time like 2026-03-02T10:00:00Z";
	if (digits(&p, end, 4, &Y) || expect(&p, end, '-') || digits(&p, end, 2, &M) ||
	    expect(&p, end, '-') || digits(&p, end, 2, &D))
		return -1;
	if (p >= end || (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, end, 2, &h) || expect(&p, end, ':') || digits(&p, end, 2, &m) ||
	    expect(&p, end, ':') || digits(&p, end, 2, &sec))
		return -1;

	int64_t frac = 0; /* µs */
	if (p < end && *p == '.') {
		const char *f = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == f)
			return -1;
		int nd = (int)(p - f);
		for (int i = 0; i < 6; i++)
			frac = frac * 10 + (i < nd ? f[i] - '0' : 0);
		if (nd > 6) { /* round half to even on the dropped digits */
			int first = f[6] - '0', rest = 0;
			for (const char *q = f + 7; q < p; q++)
				rest |= *q != '0';
			if (first > 5 || (first == 5 && (rest || (frac & 1))))
				frac++;
		}
	}
	if (p < end && (*p == 'Z' || *p == 'z')) {
		p++;
	} else if (p < end && (*p == '+' || *p == '-')) {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, end, 2, &oh) || expect(&p, end, ':') || digits(&p, end, 2, &om))
			return -1;
	} else {
		*why = "time without a zone (add Z or an offset like +01:00)";
		return -1;
	}
	if (p != end)
		return -1;

	*why = "date or time out of range";
	if (M < 1 || M > 12 || D < 1 || D > mdays[M - 1] + (M == 2 && is_leap(Y)))
		return -1;
	if (h > 23 || m > 59 || oh > 23 || om > 59)
		return -1;
	if (sec > 59) {
		*why = "leap seconds (:60) are not supported";
		return -1;
	}
	int64_t t = clock_days_from_civil(Y, (unsigned)M, (unsigned)D) * 86400 + h * 3600 + m * 60 + sec;
	t -= (int64_t)sign * (oh * 3600 + om * 60);
	*us = t * CLOCK_US_PER_S + frac;
	return 0;
}

char *clock_format(int64_t us, char *buf)
{
	int64_t s = clock_floor_div(us, CLOCK_US_PER_S), f = us - s * CLOCK_US_PER_S;
	int64_t days = clock_floor_div(s, 86400), sod = s - days * 86400;
	int64_t y;
	unsigned m, d;
	clock_civil_from_days(days, &y, &m, &d);
	int len = snprintf(buf, CLOCK_TEXT_MAX, "%04" PRId64 "-%02u-%02uT%02d:%02d:%02d", y, m, d,
	                   (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
	if (f) {
		len += snprintf(buf + len, (size_t)(CLOCK_TEXT_MAX - len), ".%06d", (int)f);
		while (buf[len - 1] == '0')
			buf[--len] = 0;
	}
	snprintf(buf + len, (size_t)(CLOCK_TEXT_MAX - len), "Z");
	return buf;
}
