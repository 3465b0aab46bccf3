/*
 * Trace time: integer microseconds since the Unix epoch (UTC), parsed exactly
 * from RFC 3339 text and written back as YYYY-MM-DDTHH:MM:SS[.ffffff]Z.  Pure
 * functions: no time zone database, no locale, no current time.
 */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_US_PER_S 1000000LL

/*
 * Parses an RFC 3339 date-time s[0..n): "2026-03-02T10:00:00Z",
 * "2026-03-02t10:00:00.5+01:00", "2026-03-02 10:00:00.123456789z".  Fractions
 * finer than a microsecond round half to even; the offset is subtracted to
 * give UTC.  Leap seconds (":60") are refused.  Returns 0, or -1 with *why set
 * to a static reason.
 */
int clock_parse_rfc3339(const char *s, size_t n, int64_t *us, const char **why);

/* Writes "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (fraction only when non-zero, trailing
 * zeros cut) into buf, which must hold CLOCK_TEXT_MAX bytes; returns buf. */
#define CLOCK_TEXT_MAX 40
char *clock_format(int64_t us, char *buf);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The date of a day number (its inverse). */
void clock_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* ⌊a ÷ b⌋ for b > 0, also for negative a (times before the epoch, before a grid's origin). */
static inline int64_t clock_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

#endif
