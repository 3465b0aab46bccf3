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
}

static void refuses_bad_times(void)
{
	static const char *bad[] = { "2026-03-02T10:00:00", "2026-03-02", "2026-3-2T10:00:00Z",
		"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
		"2026-03-02T24:00:00Z", "2026-03-02T10:60:00Z", "2026-03-02T10:00:60Z",
		"2026-03-02T10:00:00.Z", "2026-03-02T10:00:00+0100", "2026-03-02T10:00:00Z ",
		"2026-03-02X10:00:00Z", "yesterday", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (parse(bad[i]) != -1)
			TEST_FAIL_("\"%s\" accepted", bad[i]);
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
