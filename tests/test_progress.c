/* The time left on a progress line (traces/progress.h): when it is said, and in what words. */
#include "tests/test.h"
#include "traces/progress.h"

static const char *left(double seconds, uint64_t done, uint64_t total)
{
	static char buf[64];
	return progress_left_text(seconds, done, total, buf, sizeof buf);
}

static void time_left(void)
{
	/* a quarter done in 4 s: the other three quarters at the same rate take 3 × 4 = 12 s */
	CHECK_STR(left(4, 250, 1000), "about 12 s left");
	/* 10 of 1000 bytes in 3 s: 990 / 10 × 3 = 297 s = 4.95 min, said as 5 */
	CHECK_STR(left(3, 10, 1000), "about 5 min left");
	/* 9 of 10 in 5 s: 1 / 9 × 5 = 0.56 s, said as a second, not 0 */
	CHECK_STR(left(5, 9, 10), "about 1 s left");
	/* 59.4 s stays in seconds (100 of 1090 in 6 s: 990 / 100 × 6 = 59.4); 59.6 s is a minute
	 * (in 6.02 s: 9.9 × 6.02 = 59.598) */
	CHECK_STR(left(6, 100, 1090), "about 59 s left");
	CHECK_STR(left(6.02, 100, 1090), "about 1 min left");
	/* an hour and a half: 1 of 91 in 60 s → 90 × 60 s = 5400 s = 90 min */
	CHECK_STR(left(60, 1, 91), "about 90 min left");
	/* the rate is done / seconds overall */
	CHECK_STR(left(8, 500, 2000), "about 24 s left"); /* 1500 / 500 × 8 */
	CHECK_STR(left(16, 1000, 2000), "about 16 s left"); /* half in 16 s: 16 s more */
	/* nothing said: before 3 s, a total unknown (a pipe), nothing done yet, all done */
	CHECK_STR(left(2.9, 250, 1000), "");
	CHECK_STR(left(4, 250, 0), "");
	CHECK_STR(left(4, 0, 1000), "");
	CHECK_STR(left(4, 1000, 1000), "");
}

void suite_progress(void)
{
	RUN(time_left);
}
