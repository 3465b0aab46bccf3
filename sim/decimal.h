/*
 * Exact decimal numbers.  Trace times, latencies and money are parsed from the
 * decimal text of a JSON number, never through a double, so that "1.0000005"
 * seconds is exactly 1000000 or 1000001 microseconds by one written rule:
 * round half to even.  Pure functions; no allocation.
 */
#ifndef SIM_DECIMAL_H
#define SIM_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Reads s[0..n), which must be exactly a JSON number (RFC 8259 grammar: no
 * leading '+', no leading zeros, no bare '.'), multiplies it by 10^scale and
 * rounds half to even to an integer.  *exact (may be NULL) tells whether no
 * rounding was needed, so scale 0 with *exact == 1 means "an integer value"
 * (100, 100.0, 1e2).  Returns 0, or -1 when s is not a JSON number or the
 * result does not fit in an int64_t.
 */
int decimal_scaled(const char *s, size_t n, int scale, int64_t *out, int *exact);

/* As decimal_scaled, for results up to ±1.7·10^38 (a cost_usd to 30 decimals). */
__extension__ typedef __int128 decimal_wide;
int decimal_scaled_wide(const char *s, size_t n, int scale, decimal_wide *out, int *exact);

/*
 * Compares the number s[0..n) (a JSON number, of any length) with k exactly: *cmp is -1, 0 or 1
 * as it is below, equal to or above k (1.0000000000000000000001 is above 1, -0.0 equal to 0).
 * Returns 0, or -1 when s is not a JSON number.
 */
int decimal_compare(const char *s, size_t n, int64_t k, int *cmp);

/*
 * The shortest "%.{1..17}g" text of v that reads back as the same double, into
 * buf (at least 32 bytes), with '.' as the decimal point whatever the locale.
 * With `plain`, an exponent is not taken for 1 <= |v| < 10^17 when more digits
 * write the value without one (750, not 7.5e+02).  Returns buf.
 */
const char *decimal_shortest(double v, int plain, char *buf, size_t n);

/*
 * v ÷ 10^scale (scale 0 to 18) written exactly, its fraction's trailing zeros cut, into buf
 * (at most 41 bytes are needed): (412500, 3) → "412.5", (-5, 0) → "-5", (2, 0) → "2".
 * Returns buf.
 */
const char *decimal_text(int64_t v, int scale, char *buf, size_t n);

#endif
