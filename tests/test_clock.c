/* RFC 3339 parsing (zones, fractions, validation) and formatting. */
#include "sim/clock.h"
#include "tests/test.h"

static int64_t parse(const char *s)
{
	int64_t us = -1;
	const char *why;
	if (clock_parse_rfc3339(s, strlen(s), &us, &why) < 0)
		return -1;
	return us;
}

static void parses_zones_and_fractions(void)
{
	/* 2026-03-02 is day 20514 since 1970-01-01 (python: date(2026,3,2)-date(1970,1,1));
	 * 20514 × 86400 + 10 × 3600 = 1772445600 s */
	CHECK_INT(parse("2026-03-02T10:00:00Z"), 1772445600000000LL);
	CHECK_INT(parse("2026-03-02t10:00:00z"), 1772445600000000LL);
	CHECK_INT(parse("2026-03-02 10:00:00Z"), 1772445600000000LL);
	CHECK_INT(parse("2026-03-02T11:30:00+01:30"), 1772445600000000LL);
	CHECK_INT(parse("2026-03-02T05:00:00-05:00"), 1772445600000000LL);
	CHECK_INT(parse("2026-03-02T10:00:00.5Z"), 1772445600500000LL);
	CHECK_INT(parse("2026-03-02T10:00:00.123456Z"), 1772445600123456LL);
	/* 7 digits: .1234565 → 123456.5 µs → half-even 123456; .1234575 → 123458 */
	CHECK_INT(parse("2026-03-02T10:00:00.1234565Z"), 1772445600123456LL);
	CHECK_INT(parse("2026-03-02T10:00:00.1234575Z"), 1772445600123458LL);
	CHECK_INT(parse("2026-03-02T10:00:00.12345651Z"), 1772445600123457LL);
	CHECK_INT(parse("1970-01-01T00:00:00Z"), 0);
	CHECK_INT(parse("1969-12-31T23:59:59Z"), -1000000);
	/* leap day 2024-02-29: day 19782 → 1709164800 s */
	CHECK_INT(parse("2024-02-29T00:00:00Z"), 1709164800000000LL);
	/* the ends of the four-digit years, by Python's datetime: 0001-01-01 is -62135596800 s
	 * and 9999-12-31T23:59:59 is 253402300799 s; year 0 (proleptic Gregorian, a leap year:
	 * divisible by 400) starts 366 days before year 1, at -62167219200 s, and its
	 * February 29 and March 1 are 59 and 60 days later: -62162121600 s, -62162035200 s */
	CHECK_INT(parse("0001-01-01T00:00:00Z"), -62135596800000000LL);
	CHECK_INT(parse("9999-12-31T23:59:59Z"), 253402300799000000LL);
	CHECK_INT(parse("0000-01-01T00:00:00Z"), -62167219200000000LL);
	CHECK_INT(parse("0000-02-29T00:00:00Z"), -62162121600000000LL);
	CHECK_INT(parse("0000-03-01T00:00:00Z"), -62162035200000000LL);
	/* 2000 is a leap year (divisible by 400): day 11016 → 951782400 s */
	CHECK_INT(parse("2000-02-29T00:00:00Z"), 951782400000000LL);
}

static void refuses_bad_times(void)
{
	static const char *bad[] = { "2026-03-02T10:00:00", "2026-03-02", "2026-3-2T10:00:00Z",
		"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
		"2026-03-02T24:00:00Z", "2026-03-02T10:60:00Z", "2026-03-02T10:00:60Z",
		"2026-03-02T10:00:00.Z", "2026-03-02T10:00:00+0100", "2026-03-02T10:00:00Z ",
		"2026-03-02X10:00:00Z", "yesterday", "",
		/* a zone offset's hour is 00-23 and its minute 00-59, as a time's (RFC 3339 §5.6);
		 * 1900 is no leap year (divisible by 100, not by 400); September has 30 days */
		"2026-03-02T10:00:00+24:00", "2026-03-02T10:00:00-24:00", "2026-03-02T10:00:00+01:60",
		"1900-02-29T00:00:00Z", "2026-09-31T00:00:00Z" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse(bad[i]) != -1)
			TEST_FAIL_("\"%s\" accepted", bad[i]);
	/* the largest offsets there are: 2026-03-02T10:00:00Z is 1772445600 s, and
	 * 23:59 = 86340 s, so 1772445600 ∓ 86340 = 1772359260 and 1772531940 */
	CHECK_INT(parse("2026-03-02T10:00:00+23:59"), 1772359260000000LL);
	CHECK_INT(parse("2026-03-02T10:00:00-23:59"), 1772531940000000LL);
	const char *why;
	int64_t us;
	CHECK_INT(clock_parse_rfc3339("2026-03-02T10:00:60Z", 20, &us, &why), -1);
	CHECK_HAS(why, "leap second");
	CHECK_INT(clock_parse_rfc3339("2026-03-02T10:00:00", 19, &us, &why), -1);
	CHECK_HAS(why, "zone");
}

static void formats(void)
{
	char buf[CLOCK_TEXT_MAX];
	CHECK_STR(clock_format(1772445600000000LL, buf), "2026-03-02T10:00:00Z");
	CHECK_STR(clock_format(1772445600500000LL, buf), "2026-03-02T10:00:00.5Z");
	CHECK_STR(clock_format(1772445600000120LL, buf), "2026-03-02T10:00:00.00012Z");
	CHECK_STR(clock_format(-1, buf), "1969-12-31T23:59:59.999999Z");
	CHECK_STR(clock_format(1709164800000000LL, buf), "2024-02-29T00:00:00Z");
	CHECK_STR(clock_format(-62167219200000000LL, buf), "0000-01-01T00:00:00Z");
	CHECK_STR(clock_format(-62162121600000000LL, buf), "0000-02-29T00:00:00Z");
	/* round trip over a range of days, every 7 hours and a bit */
	for (int64_t t = -5000000000000000LL; t < 5000000000000000LL; t += 25200123457LL) {
		int64_t back = 0;
		const char *why;
		clock_format(t, buf);
		if (clock_parse_rfc3339(buf, strlen(buf), &back, &why) < 0 || back != t) {
			TEST_FAIL_("round trip of %lld via %s", (long long)t, buf);
			break;
		}
	}
}

void suite_clock(void)
{
	RUN(parses_zones_and_fractions);
	RUN(refuses_bad_times);
	RUN(formats);
}
