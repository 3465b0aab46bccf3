/*
 * Tests of the console's text helpers (tui/console_text.c: widths, clipping,
 * the text table's formats and deltas), its list scrolling and filter match
 * (tui/console.c) and the [SCENARIO.]KEY.PATH split (tui/console_model.c).
 * Expected values are worked out by hand in the comments; the one epoch
 * second comes from python3:
 *   datetime(2026,3,2,10,0,0,tzinfo=timezone.utc).timestamp() = 1772445600
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tests/test.h"
#include "traces/report.h"
#include "tui/console.h"

static void console_widths(void)
{
	CHECK_INT(console_text_width(""), 0);
	CHECK_INT(console_text_width("acme"), 4);
	CHECK_INT(console_text_width("\xff"), 1);             /* an invalid byte: one column */
	CHECK_INT(console_text_width("caf\xc3\xa9"), 4);       /* é: 2 bytes, one column */
	char *old = setlocale(LC_CTYPE, NULL);
	char saved[64];
	snprintf(saved, sizeof saved, "%s", old ? old : "C");
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		CHECK_INT(console_text_width("\xe6\xbc\xa2"), 2);  /* 漢: a wide character */
		CHECK_INT(console_text_width("e\xcc\x81"), 1);     /* e + combining acute */
		setlocale(LC_CTYPE, saved);
	}
}

static void console_formats(void)
{
	char b[CONSOLE_TEXT_MAX];
	CHECK_STR(report_percent_text(0.5, b, sizeof b), "50.0%");
	CHECK_STR(report_percent_text(1.0 / 3, b, sizeof b), "33.3%");
	CHECK_STR(report_percent_text(0, b, sizeof b), "0.0%");
	/* 412,500 µs = 4,125 tenths of a ms */
	CHECK_STR(report_latency_text(412500, b, sizeof b), "412.5 ms");
	/* 999,950 µs = 9,999.5 tenths: half to even gives 10,000 */
	CHECK_STR(report_latency_text(999950, b, sizeof b), "1000.0 ms");
	/* 12,345,678 µs = 1,234.5678 hundredths of a s → 1,235 */
	CHECK_STR(report_latency_text(12345678, b, sizeof b), "12.35 s");
	/* 1,234,565,000 µs = 123,456.5 hundredths → 123,456 (even) */
	CHECK_STR(report_latency_text(1234565000LL, b, sizeof b), "1,234.56 s");
	/* 1 d + 1 h + 1 min + 1 s = 90,061 s; 3,723 s = 1 h 2 min 3 s */
	CHECK_STR(report_span_text(90061LL * 1000000, b, sizeof b), "1d 01:01:01");
	CHECK_STR(report_span_text(3723LL * 1000000, b, sizeof b), "01:02:03");
	CHECK_STR(console_time_text(1772445600LL * 1000000, 0, b, sizeof b), "2026-03-02 10:00");
	CHECK_STR(console_time_text(1772445600LL * 1000000 + 59500000, 1, b, sizeof b),
	          "2026-03-02 10:00:59");
}

static void console_deltas(void)
{
	char b[CONSOLE_TEXT_MAX];
	int sign = 9;
	/* (150 − 100) × 1000 ÷ 100 = 500 tenths of a percent */
	CHECK_STR(report_delta_amount(100, 150, b, sizeof b, &sign), "+50.0%");
	CHECK_INT(sign, 1);
	/* (2 − 3) × 1000 ÷ 3 = −333.33 → −333 */
	CHECK_STR(report_delta_amount(3, 2, b, sizeof b, &sign), "-33.3%");
	CHECK_INT(sign, -1);
	/* 1 × 1000 ÷ 2000 = 0.5 → 0 (even): no change shown, no colour */
	CHECK_STR(report_delta_amount(2000, 2001, b, sizeof b, &sign), "+0.0%");
	CHECK_INT(sign, 0);
	/* 3 × 1000 ÷ 2000 = 1.5 → 2 */
	CHECK_STR(report_delta_amount(2000, 2003, b, sizeof b, &sign), "+0.2%");
	/* 12,345 × 1000 ÷ 1 = 12,345,000 tenths */
	CHECK_STR(report_delta_amount(1, 12346, b, sizeof b, &sign), "+1,234,500.0%");
	CHECK_STR(report_delta_amount(0, 5, b, sizeof b, &sign), "");
	CHECK_INT(sign, 0);
	/* (0.25 − 0.1) × 100 = 15.000000000000002 pp */
	CHECK_STR(report_delta_points(0.1, 0.25, b, sizeof b, &sign), "+15.0 pp");
	CHECK_INT(sign, 1);
	CHECK_STR(report_delta_points(0.3, 0.2, b, sizeof b, &sign), "-10.0 pp");
	CHECK_INT(sign, -1);
	/* 10^-7 × 100 = 10^-5 pp prints as +0.0: no colour either */
	CHECK_STR(report_delta_points(0.1, 0.1000001, b, sizeof b, &sign), "+0.0 pp");
	CHECK_INT(sign, 0);
	CHECK_STR(report_delta_points(0.5, 0.4999999, b, sizeof b, &sign), "+0.0 pp");
	CHECK_INT(sign, 0);
}

static void console_matching(void)
{
	CHECK_INT(console_view_match("globex", "glob"), 1);
	CHECK_INT(console_view_match("acme", "ACM"), 1);
	CHECK_INT(console_view_match("Umbrella", "rella"), 1);
	CHECK_INT(console_view_match("acme", "xyz"), 0);
	CHECK_INT(console_view_match("ac", "acme"), 0);
	CHECK_INT(console_view_match("acme", ""), 1);
	CHECK_INT(console_view_match("", ""), 1);
}

static void console_scrolling(void)
{
	/* 100 rows, 10 shown: the cursor on row 50 puts row 41 at the top (41..50) */
	struct console_list l = { 50, 0 };
	console_list_fix(&l, 100, 10);
	CHECK_INT(l.cur, 50);
	CHECK_INT(l.top, 41);
	/* the cursor above the window pulls it up */
	l = (struct console_list){ 5, 20 };
	console_list_fix(&l, 100, 10);
	CHECK_INT(l.top, 5);
	/* past the end: the last row, the last page */
	l = (struct console_list){ 200, 0 };
	console_list_fix(&l, 100, 10);
	CHECK_INT(l.cur, 99);
	CHECK_INT(l.top, 90);
	/* fewer rows than the window: top stays 0 */
	l = (struct console_list){ 3, 2 };
	console_list_fix(&l, 4, 10);
	CHECK_INT(l.top, 0);
	l = (struct console_list){ 7, 7 };
	console_list_fix(&l, 0, 10);
	CHECK_INT(l.cur, 0);
	CHECK_INT(l.top, 0);
}

static void console_split(void)
{
	struct console_scen a = { .label = "v3" }, b = { .label = "v3.b" }, c = { .label = "base" };
	struct console_scen *list[] = { &a, &b, &c };
	struct console_model m;
	const char *path;
	memset(&m, 0, sizeof m);
	m.scen = list;
	m.n_scen = 3;
	CHECK(console_model_split_path(&m, "v3.cache.ttl_s.small", &c, &path) == &a);
	CHECK_STR(path, "cache.ttl_s.small");
	/* the longest label wins: "v3.b" over "v3" */
	CHECK(console_model_split_path(&m, "v3.b.cache.enabled", &c, &path) == &b);
	CHECK_STR(path, "cache.enabled");
	/* no label: the default scenario and the whole text */
	CHECK(console_model_split_path(&m, "cache.enabled", &a, &path) == &a);
	CHECK_STR(path, "cache.enabled");
	CHECK(console_model_split_path(&m, "base", &a, &path) == &a);
	CHECK_STR(path, "base");
	CHECK(console_model_find(&m, "base", NULL) == &c);
	CHECK(console_model_find(&m, "v", NULL) == NULL);
}

/* Reads back `n` cells of row y of w as text. */
static const char *console_row(WINDOW *w, int y, int n, char *buf)
{
	mvwinnstr(w, y, 0, buf, n);
	return buf;
}

static void console_clipping(void)
{
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *s = out && in ? newterm("dumb", out, in) : NULL;
	char buf[64];
	int saved = console_utf8;
	CHECK(s != NULL);
	if (s) {
		WINDOW *w = newpad(4, 20);
		console_utf8 = 0;
		/* 8 columns into 5: four and the cut mark */
		CHECK_INT(console_put(w, 0, 0, "abcdefgh", 5, 0, 1), 5);
		CHECK_STR(console_row(w, 0, 6, buf), "abcd~ ");
		/* right-aligned and padded */
		console_put(w, 1, 0, "ab", 5, 1, 1);
		CHECK_STR(console_row(w, 1, 5, buf), "   ab");
		/* exactly fits: no mark; unpadded returns the columns used */
		CHECK_INT(console_put(w, 2, 0, "abcde", 5, 0, 0), 5);
		CHECK_STR(console_row(w, 2, 5, buf), "abcde");
		CHECK_INT(console_put(w, 3, 0, "ab", 5, 0, 0), 2);
		/* without UTF-8 a non-ASCII character shows as '?'; a control character too */
		console_put(w, 3, 0, "x\xc3\xa9\ty", 6, 0, 1);
		CHECK_STR(console_row(w, 3, 4, buf), "x??y");
		console_utf8 = saved;
		delwin(w);
		endwin();
		delscreen(s);
	}
	if (out)
		fclose(out);
	if (in)
		fclose(in);
}

void suite_console(void)
{
	RUN(console_widths);
	RUN(console_formats);
	RUN(console_deltas);
	RUN(console_matching);
	RUN(console_scrolling);
	RUN(console_split);
	RUN(console_clipping);
}
