/* The time left on a progress line (traces/progress.h): when it is said, and in what words; the
 * line fitted to a terminal's width. */
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

static const char *fit(const struct progress_part *parts, size_t n, size_t cols)
{
	static char buf[512];
	return progress_fit(parts, n, cols, buf, sizeof buf);
}

static void fit_to_width(void)
{
	/* live's line: the head 26 columns ("live: 0 of 2 requests done"), the requests in flight 13
	 * (", 2 in flight"), the spend 17 (", $0.000000 spent"), kept first */
	const struct progress_part live[] = {
		{ "live: 0 of 2 requests done", 0 }, { ", 2 in flight", 2 }, { ", $0.000000 spent", 1 },
	};
	/* 26 + 13 + 17 = 56: all of it, in order */
	CHECK_STR(fit(live, 3, 56), "live: 0 of 2 requests done, 2 in flight, $0.000000 spent");
	CHECK_STR(fit(live, 3, 200), "live: 0 of 2 requests done, 2 in flight, $0.000000 spent");
	/* 55: the requests in flight left out, the spend kept (26 + 17 = 43) */
	CHECK_STR(fit(live, 3, 55), "live: 0 of 2 requests done, $0.000000 spent");
	CHECK_STR(fit(live, 3, 43), "live: 0 of 2 requests done, $0.000000 spent");
	/* 42 to 39: the spend does not fit (43), the requests in flight do (26 + 13 = 39) */
	CHECK_STR(fit(live, 3, 42), "live: 0 of 2 requests done, 2 in flight");
	CHECK_STR(fit(live, 3, 39), "live: 0 of 2 requests done, 2 in flight");
	/* 38 to 26: the head alone */
	CHECK_STR(fit(live, 3, 38), "live: 0 of 2 requests done");
	CHECK_STR(fit(live, 3, 26), "live: 0 of 2 requests done");
	/* 25 to 12: the head cut after its last word that fits: "live: 0 of 2 requests" is 21,
	 * "live: 0 of 2" 12; never inside a word */
	CHECK_STR(fit(live, 3, 25), "live: 0 of 2 requests");
	CHECK_STR(fit(live, 3, 13), "live: 0 of 2");
	CHECK_STR(fit(live, 3, 12), "live: 0 of 2");
	CHECK_STR(fit(live, 3, 11), "live: 0 of");
	/* "live:" is 5: under that, nothing */
	CHECK_STR(fit(live, 3, 5), "live:");
	CHECK_STR(fit(live, 3, 4), "");
	CHECK_STR(fit(live, 3, 0), "");

	/* parts of rank 0 anywhere stay; of equal ranks the earlier is kept first; a part that does
	 * not fit keeps no later one of a higher rank out.  "preparing t" (11) + "…" (1) = 12;
	 * ": 5 requests" is 12 more, ", a" and ", b" 3 each */
	const struct progress_part prep[] = {
		{ "preparing t", 0 }, { ": 5 requests", 1 }, { ", a", 2 }, { ", b", 2 }, { "\xe2\x80\xa6", 0 },
	};
	CHECK_STR(fit(prep, 5, 12), "preparing t\xe2\x80\xa6");
	CHECK_STR(fit(prep, 5, 14), "preparing t\xe2\x80\xa6");               /* 12 + 3 = 15 */
	CHECK_STR(fit(prep, 5, 15), "preparing t, a\xe2\x80\xa6");            /* 12 + 3 */
	CHECK_STR(fit(prep, 5, 23), "preparing t, a, b\xe2\x80\xa6");         /* 12 + 12 = 24: 12 + 3 + 3 */
	CHECK_STR(fit(prep, 5, 24), "preparing t: 5 requests\xe2\x80\xa6");   /* 12 + 12 */
	CHECK_STR(fit(prep, 5, 27), "preparing t: 5 requests, a\xe2\x80\xa6"); /* 24 + 3 */
	CHECK_STR(fit(prep, 5, 30), "preparing t: 5 requests, a, b\xe2\x80\xa6");

	/* widths in terminal columns: a wide character takes 2 ("replaying " 10 + 日本 4 = 14), a
	 * control character its escape (\u001b, 6: "replaying " 10 + "a" + 6 = 17) */
	const struct progress_part wide[] = { { "replaying \xe6\x97\xa5\xe6\x9c\xac", 0 }, { ", 5%", 1 } };
	CHECK_STR(fit(wide, 2, 18), "replaying \xe6\x97\xa5\xe6\x9c\xac, 5%");
	CHECK_STR(fit(wide, 2, 17), "replaying \xe6\x97\xa5\xe6\x9c\xac");
	CHECK_STR(fit(wide, 2, 14), "replaying \xe6\x97\xa5\xe6\x9c\xac");
	CHECK_STR(fit(wide, 2, 13), "replaying");
	const struct progress_part esc[] = { { "replaying a\x1b", 0 } };
	CHECK_STR(fit(esc, 1, 17), "replaying a\x1b");
	CHECK_STR(fit(esc, 1, 16), "replaying");
}

void suite_progress(void)
{
	RUN(time_left);
	RUN(fit_to_width);
}
