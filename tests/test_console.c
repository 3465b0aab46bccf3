/*
 * Tests of the console's text helpers (tui/console_text.c: widths, clipping,
 * the widest figure of a column, against report_human_text and
 * report_delta_text writing every value), its
 * list scrolling and filter match (tui/console.c), the [SCENARIO.]KEY.PATH
 * split (tui/console_model.c), a re-run that keeps the result shown until
 * its own is published (tui/console_model.c, on a store of its own), the Tenants view across scenarios drawn
 * into a pad (tui/console_view_groups.c), the views' §5 field names (traces/report.h), a command's
 * path never cut short (tui/console_cmd_exec.c) and the line editor's /dev/null closed on exec
 * (tui/console_cmd.c).  Expected values are worked out by
 * hand in the comments, or by writing every value (the widest-figure cases);
 * the one epoch second comes from python3:
 *   datetime(2026,3,2,10,0,0,tzinfo=timezone.utc).timestamp() = 1772445600
 */
#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/test.h"
#include "tests/util_tmp.h"
#include "traces/report.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "traces/text.h"
#include "tui/cli.h"
#include "tui/console.h"
#include "tui/console_internal.h"

static void console_widths(void)
{
	CHECK_INT(console_text_width(""), 0);
	CHECK_INT(console_text_width("acme"), 4);
	CHECK_INT(console_text_width("\xff"), 4);             /* an invalid byte: shown as \xff */
	CHECK_INT(console_text_width("a\tb"), 8);             /* a tab: shown as \u0009, 1 + 6 + 1 */
	CHECK_INT(console_text_width("caf\xc3\xa9"), 4);       /* é: 2 bytes, one column */
	/* 👨‍👩: the joiner shown as \u200d, each emoji alone (a terminal draws the sequence in 2
	 * columns, where its parts count 2 + 0 + 2): 2 + 6 + 2 */
	CHECK_INT(console_text_width("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"), 10);
	char *old = setlocale(LC_CTYPE, NULL);
	char saved[64];
	snprintf(saved, sizeof saved, "%s", old ? old : "C");
	if (setlocale(LC_CTYPE, "C.UTF-8")) {
		CHECK_INT(console_text_width("\xe6\xbc\xa2"), 2);  /* 漢: a wide character */
		CHECK_INT(console_text_width("e\xcc\x81"), 1);     /* e + combining acute */
		setlocale(LC_CTYPE, saved);
	}
}

/* A name cut to its column keeps a letter with its combining marks, and takes the joiner U+200D,
 * which the console shows as \u200d, for a character of its own, as the line editor counts
 * characters (text_cp_joins, shared): "abcd", the joiner (6 columns), "efgh" is 14 columns; cut
 * to 10, the … takes 1 and the 9 left go 5 to the start, 4 to the end: "abcd…efgh" (the joiner
 * next after the start, taken for a mark, cost the start its d: "abc…efgh"). */
static void console_name_cuts(void)
{
	char *cut = console_cut_name("abcd\xe2\x80\x8d" "efgh", 10);
	CHECK_STR(cut ? cut : "", "abcd\xe2\x80\xa6" "efgh");
	free(cut);
	/* é as e and U+0301 (1 column): 9 columns cut to 6, 5 for the start and end, 3 and 2; the
	 * start "abé" ends with the mark, which stays with its e */
	cut = console_cut_name("abe\xcc\x81" "cdefgh", 6);
	CHECK_STR(cut ? cut : "", "abe\xcc\x81\xe2\x80\xa6" "gh");
	free(cut);
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
	/* beyond ASCII: Ü (U+00DC) is ü (U+00FC) lower-cased, Ï (U+00CF) ï; Σ (U+03A3) σ */
	CHECK_INT(console_view_match("Ünïcødé GmbH", "ünï"), 1);
	CHECK_INT(console_view_match("ünïcødé", "ÜNÏ"), 1);
	CHECK_INT(console_view_match("ΣΙΓΜΑ ltd", "σιγ"), 1);
	CHECK_INT(console_view_match("Ünïcødé", "üna"), 0);
	/* a byte that begins no UTF-8 sequence matches itself only */
	CHECK_INT(console_view_match("a\xff" "b", "\xff" "B"), 1);
	CHECK_INT(console_view_match("a\xfe" "b", "\xff" "b"), 0);
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

/* Time the console was stopped (Ctrl-Z) is not a run's: a batch running then starts that much
 * later, one that ended at the resume took that much less. */
static void console_stopped_time(void)
{
	struct console_model m;
	memset(&m, 0, sizeof m);
	pthread_mutex_init(&m.mu, NULL);
	/* started at 100, stopped at 105 for 30 s: at 140 it has run 140 - 130 = 10 s */
	m.in_flight = 1;
	m.batch_t0 = 100;
	console_model_stopped(&m, 105, 30);
	CHECK(m.batch_t0 == 130);
	/* a batch that ended, and the stop from 105 to 135: its time, wall, and without the stop */
	static const struct { double end, wall, ran; } ended[] = {
		{ 136, 40, 10 }, /* after the stop (at the resume): 40 - 30 */
		{ 120, 40, 25 }, /* in it, before the stop took the threads: 40 - (120 - 105) */
		{ 100, 7, 7 },   /* before it: as it was */
	};
	m.in_flight = 0;
	for (size_t i = 0; i < sizeof ended / sizeof ended[0]; i++) {
		m.batch_end = ended[i].end;
		m.last_run_s = ended[i].wall;
		console_model_stopped(&m, 105, 30);
		CHECK(m.last_run_s == ended[i].ran);
	}
	pthread_mutex_destroy(&m.mu);
}

/* The header's share of a batch does not move while its runs make their figures (the percentiles
 * and each tenant's, seconds for many tenants): it sat at 50% and 99%; runs past their trace's
 * requests are counted as finishing.  REPLAY_PROGRESS_STEP is 16,384: a run is counted a step at
 * a time, the rest when it returns. */
static void console_finishing(void)
{
	/* 100,000 requests: the last whole step ends at 100,000 - 100,000 mod 16,384 = 98,304 */
	CHECK_INT(console_model_finishing(98304, 100000), 1);
	CHECK_INT(console_model_finishing(98303, 100000), 0);
	CHECK_INT(console_model_finishing(100000, 100000), 1);
	CHECK_INT(console_model_finishing(0, 100000), 0);
	/* a trace under a step: never said (it finishes at once), even with all taken in */
	CHECK_INT(console_model_finishing(10000, 10000), 0);
	/* 4 runs of 100,000 on 2 workers: one finishing, one half way, none ended: 148,304 of
	 * 400,000 taken in = 37.076%, 37 */
	struct console_model m;
	memset(&m, 0, sizeof m);
	pthread_mutex_init(&m.mu, NULL);
	m.summary.requests = 100000;
	m.in_flight = 4;
	m.batch_requests = 400000;
	m.n_started = 2;
	atomic_store(&m.worker_progress[0].requests, 98304);
	atomic_store(&m.worker_progress[1].requests, 50000);
	int percent;
	size_t finishing;
	console_model_running_s(&m, &percent, &finishing);
	CHECK_INT(percent, 37);
	CHECK_INT((int)finishing, 1);
	/* the two ended (200,000 done), the other two both past their last step: 396,608 of
	 * 400,000 = 99.152%, 99, and two finishing */
	m.batch_done = 200000;
	atomic_store(&m.worker_progress[1].requests, 98304);
	console_model_running_s(&m, &percent, &finishing);
	CHECK_INT(percent, 99);
	CHECK_INT((int)finishing, 2);
	pthread_mutex_destroy(&m.mu);
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
		/* without UTF-8 a non-ASCII character shows as '?'; a control character as traces/text.h
		 * escapes it (the README's promise for text on a terminal), 6 columns: 1 + 1 + 6 + 1 */
		console_put(w, 3, 0, "x\xc3\xa9\ty", 10, 0, 1);
		CHECK_STR(console_row(w, 3, 10, buf), "x?\\u0009y ");
		/* a line longer than console_put's 1,024-byte buffer, an escape (6 bytes) at its 1,016th
		 * byte, then the cut mark (3 bytes in UTF-8): the mark and its NUL stay inside the buffer
		 * (make sanitize saw a write one past its end) */
		WINDOW *wide = newpad(1, 1300);
		char *longline = malloc(1300);
		CHECK(wide != NULL && longline != NULL);
		if (wide && longline) {
			memset(longline, 'a', 1216);
			longline[1015] = '\t';
			longline[1216] = '\0';
			console_utf8 = 1;
			CHECK_INT(console_put(wide, 0, 0, longline, 1100, 0, 1), 1100);
			console_utf8 = 0;
		}
		free(longline);
		if (wide)
			delwin(wide);
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

/* The widest text of values[0..n) (and of their deltas against ref), written one by one. */
static int console_brute_width(const struct report_value *v, size_t n)
{
	char b[CONSOLE_TEXT_MAX];
	int best = 0;
	for (size_t i = 0; i < n; i++) {
		int w = console_text_width(report_human_text(&v[i], b, sizeof b));
		if (w > best)
			best = w;
	}
	return best;
}

static int console_brute_delta_width(const struct report_value *ref, const struct report_value *v,
                                     size_t n)
{
	char b[CONSOLE_TEXT_MAX];
	int best = 0, sign;
	for (size_t i = 0; i < n; i++) {
		int w = console_text_width(report_delta_text(&ref[i], &v[i], b, sizeof b, &sign));
		if (w > best)
			best = w;
	}
	return best;
}

/* Checks the tracker against writing every value, for each prefix of the list. */
static void console_widest_check(enum report_field_kind kind, const struct report_value *v,
                                 const struct report_value *ref, size_t n)
{
	struct console_widest w;
	console_widest_init(&w, kind);
	for (size_t i = 0; i < n; i++) {
		console_widest_add(&w, &v[i]);
		console_widest_add_delta(&w, &ref[i], &v[i]);
		CHECK_INT(console_widest_width(&w), console_brute_width(v, i + 1));
		CHECK_INT(console_widest_delta_width(&w), console_brute_delta_width(ref, v, i + 1));
	}
}

static void console_widest_edges(void)
{
	/* each list holds the values at a format's breaks, in an order that moves the widest */
	static const int64_t usd[] = {
		1000000000000LL,   /* $1.00 */
		999999999999LL,    /* 4 digits of 0.999999999999 round up: "$1.00" */
		123456789LL,       /* $0.0001235 */
		99994000LL,        /* $0.00009999: the widest below $1 here */
		99995000LL,        /* carries to $0.0001000 */
		0,                 /* $0.00 */
		1,                 /* $0.000000000001 */
		123456789012345678LL, /* $123,456.79 */
		-5000000000000LL,  /* -$5.00 */
		-1,                /* -$0.000000000001 */
	};
	static const int64_t lat[] = { 999949, 999950, 412500, -1, 1000000, 12345678, 1234565000LL };
	static const double rat[] = { 0.0, 0.0004999, 0.05, 0.999951, 1.0, -0.02, 0.5 };
	struct report_value v[16], ref[16];
	size_t n = sizeof usd / sizeof usd[0];
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct report_value){ .kind = REPORT_FK_USD, .x = usd[i] };
		ref[i] = (struct report_value){ .kind = REPORT_FK_USD, .x = usd[(i + 3) % n] };
	}
	console_widest_check(REPORT_FK_USD, v, ref, n);
	n = sizeof lat / sizeof lat[0];
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct report_value){ .kind = REPORT_FK_LATENCY, .null = lat[i] < 0, .x = lat[i] };
		ref[i] = (struct report_value){ .kind = REPORT_FK_LATENCY, .x = 1000000 };
	}
	console_widest_check(REPORT_FK_LATENCY, v, ref, n);
	n = sizeof rat / sizeof rat[0];
	for (size_t i = 0; i < n; i++) {
		v[i] = (struct report_value){ .kind = REPORT_FK_RATIO, .ratio = rat[i] };
		ref[i] = (struct report_value){ .kind = REPORT_FK_RATIO, .ratio = rat[(i + 2) % n] };
	}
	console_widest_check(REPORT_FK_RATIO, v, ref, n);
}

/* Many values of every magnitude (a fixed xorshift sequence) against writing them all. */
static void console_widest_random(void)
{
	enum { N = 400 };
	static const enum report_field_kind kinds[] = { REPORT_FK_COUNT, REPORT_FK_USD, REPORT_FK_RATIO,
	                                                REPORT_FK_LATENCY };
	static struct report_value v[N], ref[N];
	uint64_t x = 88172645463325252ULL;
	for (size_t ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++) {
		enum report_field_kind kind = kinds[ki];
		for (int i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			int digits = (int)(x % 19);          /* 0 to 18 digits */
			uint64_t mag = 1;
			for (int d = 0; d < digits; d++)
				mag *= 10;
			int64_t val = (int64_t)((x >> 8) % mag);
			if (kind == REPORT_FK_USD && (x & 1))
				val = -val;
			v[i] = (struct report_value){ kind, kind == REPORT_FK_LATENCY && (x & 0x30) == 0, val,
			                              (double)(int64_t)(x % 2000001 - 100000) / 1900000.0 };
			ref[i] = (struct report_value){ kind, 0, (int64_t)((x >> 20) % 1000000007ULL),
			                                (double)(x % 1001) / 1000.0 };
		}
		console_widest_check(kind, v, ref, N);
	}
}

/* A console drawing into pads on a dumb terminal over /dev/null, showing `view` of the
 * scenarios `list` (n of them): what the view tests share. */
struct dumb_console {
	FILE *out, *in;
	SCREEN *scr;
	struct console_model m;
	struct console c;
};

static int dumb_open(struct dumb_console *d, struct console_scen **list, size_t n, enum console_view view)
{
	memset(d, 0, sizeof *d);
	d->out = fopen("/dev/null", "w");
	d->in = fopen("/dev/null", "r");
	d->scr = d->out && d->in ? newterm("dumb", d->out, d->in) : NULL;
	CHECK(d->scr != NULL);
	d->m.scen = list;
	d->m.n_scen = n;
	d->m.data_gen = 1;
	d->c.m = &d->m;
	d->c.view = view;
	return d->scr ? 0 : -1;
}

static void dumb_close(struct dumb_console *d)
{
	if (d->scr) {
		endwin();
		delscreen(d->scr);
	}
	if (d->out)
		fclose(d->out);
	if (d->in)
		fclose(d->in);
}

/* The Tenants view across two scenarios, drawn into a pad: figures, deltas, sort, filter. */
static void console_tenants_across(void)
{
	static const char *names[] = { "acme", "globex", "hooli" };
	static struct metrics ma[3], mb[3];
	struct console_scen a = { .id = 1, .label = "a", .has_res = 1 },
	                    b = { .id = 2, .label = "b", .has_res = 1 };
	struct console_scen *list[] = { &a, &b };
	struct dumb_console d;
	char row[160];
	const money_sum usd = 1000000000000LL;
	if (dumb_open(&d, list, 2, VIEW_TENANTS) < 0)
		goto out;
	a.res.name = "A";
	b.res.name = "B";
	a.res.n_tenants = b.res.n_tenants = 3;
	a.res.tenant_names = b.res.tenant_names = names;
	a.res.by_tenant = ma;
	b.res.by_tenant = mb;
	/* USD total: acme $2.00 → $1.00 (−50.0%), globex $1.00 → $3.00 (+200.0%), hooli $0.50 both */
	ma[0].usd_total = 2 * usd;
	mb[0].usd_total = usd;
	ma[1].usd_total = usd;
	mb[1].usd_total = 3 * usd;
	ma[2].usd_total = mb[2].usd_total = usd / 2;
	for (int i = 0; i < 3; i++)
		ma[i].latency_p95_us = mb[i].latency_p95_us = -1;

	WINDOW *w = newpad(10, 100);
	console_view_tenants_metric(&d.c, 1); /* into the mode across, at its first metric */
	CHECK_INT(d.c.tenants_across, 1);
	console_view_tenants_metric(&d.c, 1); /* the second: USD total */
	console_view_tenants.draw(&d.c, w, 10, 100);
	mvwinnstr(w, 0, 0, row, 100);
	CHECK_HAS(row, "tenants across 2 scenarios: USD total; 3 of 3, sorted by tenant (A to Z)");
	/* the name column padded to 12, 2 blanks, A's column as wide as "$0.5000" (7), 2 blanks, B's:
	 * 7 for the figure, 2 blanks, 7 for the delta (as wide as "+200.0%"): 39 columns */
	mvwinnstr(w, 2, 0, row, 39);
	CHECK_STR(row, "acme            $2.00    $1.00   -50.0%");
	mvwinnstr(w, 3, 0, row, 39);
	CHECK_STR(row, "globex          $1.00    $3.00  +200.0%");
	mvwinnstr(w, 4, 0, row, 39);
	CHECK_STR(row, "hooli         $0.5000  $0.5000    +0.0%");
	/* s twice: by B's column, largest first: globex ($3.00), acme ($1.00), hooli */
	d.c.vs[VIEW_TENANTS].sort_col = 2;
	d.c.vs[VIEW_TENANTS].sort_desc = 1;
	CHECK_INT(console_view_tenants.n_rows(&d.c), 3);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[0], 1);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[1], 0);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[2], 2);
	/* the filter keeps hooli */
	snprintf(d.c.vs[VIEW_TENANTS].filter, sizeof d.c.vs[VIEW_TENANTS].filter, "OOL");
	d.c.filter_gen++;
	CHECK_INT(console_view_tenants.n_rows(&d.c), 1);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[0], 2);
	/* m: back to every metric of the selected scenario, its own sort (by name) */
	console_view_tenants_mode(&d.c, 0);
	CHECK_INT(d.c.tenants_across, 0);
	CHECK_INT(d.c.vs[VIEW_TENANTS].sort_col, 0);
	CHECK_INT(d.c.tenants_other_sort_col, 2);
	free(d.c.vs[VIEW_TENANTS].rows);
	delwin(w);
out:
	dumb_close(&d);
}

/* The Timeline's cursor reads "-" for a rate whose denominator is 0, as replay writes it: a
 * bucket with first fallbacks but no first call, nor a request, is not at 0%. */
static void console_timeline_undefined_rates(void)
{
	static uint64_t counts[N_TL_COUNTS][3];
	static money_sum usd[3], retry_usd[3];
	struct console_scen a = { .id = 1, .label = "a", .has_res = 1 };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	char row[120];
	if (dumb_open(&d, list, 1, VIEW_TIMELINE) < 0)
		goto out;
	a.res.name = "A";
	a.res.timeline = (struct timeline){ .bucket_s = 60, .t0_us = 0, .n_buckets = 2,
	                                    .usd = usd, .retry_usd = retry_usd };
	for (int k = 0; k < N_TL_COUNTS; k++)
		a.res.timeline.count[k] = counts[k];
	/* bucket 0: 10 requests, 5 hits, 10 first calls, 2 first fallbacks; bucket 1: 3 first
	 * fallbacks (retries' fallbacks after the last arrival) and nothing else */
	counts[TL_REQUESTS][0] = counts[TL_FIRST_CALLS][0] = 10;
	counts[TL_CACHE_HITS][0] = 5;
	counts[TL_FIRST_FALLBACKS][0] = 2;
	counts[TL_FIRST_FALLBACKS][1] = 3;
	WINDOW *w = newpad(12, 100);
	d.c.vs[VIEW_TIMELINE].cursor = 0; /* 2 ÷ 10 = 20.0%, 5 ÷ 10 = 50.0% */
	console_view_timeline.draw(&d.c, w, 12, 100);
	mvwinnstr(w, 4, 86, row, 14);
	CHECK_HAS(row, "20.0%");
	mvwinnstr(w, 5, 86, row, 14);
	CHECK_HAS(row, "50.0%");
	d.c.vs[VIEW_TIMELINE].cursor = 1; /* 3 ÷ 0 and 0 ÷ 0 */
	werase(w);
	console_view_timeline.draw(&d.c, w, 12, 100);
	mvwinnstr(w, 4, 0, row, 10);
	CHECK_STR(row, "fallback  ");
	mvwinnstr(w, 4, 86, row, 14);
	CHECK_STR(row, "             -"); /* right-aligned in the value column */
	mvwinnstr(w, 5, 86, row, 14);
	CHECK_STR(row, "             -");
	delwin(w);
out:
	dumb_close(&d);
}

/* The Tenants view of one scenario in 90 columns: which columns fit, how many are out of sight,
 * the sorted one kept in view, and rows without a figure sorted last either way. */
static void console_tenants_columns(void)
{
	static const char *names[] = { "acme", "globex", "hooli" };
	static struct metrics mt[3];
	static struct derived dv[3];
	struct console_scen a = { .id = 7, .label = "a", .has_res = 1 };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	char row[160];
	const money_sum usd = 1000000000000LL;
	if (dumb_open(&d, list, 1, VIEW_TENANTS) < 0)
		goto out;
	d.m.data_gen = 41; /* not a generation an earlier test cached */
	a.res.name = "A";
	a.res.n_tenants = 3;
	a.res.tenant_names = names;
	a.res.by_tenant = mt;
	a.tenant_derived = dv;
	/* USD $2.00, $1.00, $3.00; resolved 4, 9, 7; p95 none, 412.5 ms, 1.00 s */
	static const int64_t p95[] = { -1, 412500, 1000000 };
	static const uint64_t resolved[] = { 4, 9, 7 };
	for (int i = 0; i < 3; i++) {
		mt[i].usd_total = (money_sum)(i == 0 ? 2 : i == 1 ? 1 : 3) * usd;
		mt[i].requests = mt[i].calls = 10;
		mt[i].resolved = resolved[i];
		mt[i].latency_p95_us = p95[i];
		dv[i] = (struct derived){ .cache_hit_rate = 0.5, .usd_per_resolved = usd / 5,
		                          .projected_monthly_usd = usd };
	}
	/* Widths, the larger of the title and the widest figure: tenant 12 (the least), monthly USD
	 * 11, USD 5 ("$2.00"), requests 8, hit rate 8, fallback 8, failed 6, USD/resolved 12, p95 8
	 * ("412.5 ms"), calls 5, large 5, resolved 8.  Two blanks apart they end at 12, 25, 32, 42,
	 * 52, 62, 70, 84, 94 > 90; one apart at 12, 24, 30, 39, 48, 57, 64, 77, 86 and calls at
	 * 92 > 90: nine columns.  Sorted by resolved (8), which is not among them: p95 (from 78)
	 * makes room, resolved goes at 78..85, so nine shown and 12 − 9 = 3 out of sight. */
	d.c.vs[VIEW_TENANTS].sort_col = 11;
	d.c.vs[VIEW_TENANTS].sort_desc = 1;
	WINDOW *w = newpad(10, 100);
	console_view_tenants.draw(&d.c, w, 10, 90);
	mvwinnstr(w, 0, 0, row, 90);
	CHECK_HAS(row, "tenants of A: 3 of 3, sorted by resolved (largest first); 3 columns hidden (widen)");
	mvwinnstr(w, 1, 78, row, 8);
	CHECK_STR(row, "resolved");
	mvwinnstr(w, 1, 65, row, 12);
	CHECK_STR(row, "USD/resolved");
	/* At 70 columns: two apart the columns end at 12, 25, 32, 42, 52, 62, 70 (failed), and
	 * resolved takes the place of the last two (x back to 52, at 54); one apart at 12, 24, 30,
	 * 39, 48, 57, 64 (failed) and USD/resolved at 77 > 70: resolved replaces failed (x 57, at
	 * 58), seven shown, 5 hidden.  The title, 56 columns, and "; 5 columns hidden (widen)", 26,
	 * are 82 > 70: the title goes without the order's "(largest first)", 20 + 20 = 40 columns,
	 * and the count follows it whole from column 40. */
	werase(w);
	console_view_tenants.draw(&d.c, w, 10, 70);
	mvwinnstr(w, 0, 0, row, 66);
	CHECK_STR(row, "tenants of A: 3 of 3, sorted by resolved; 5 columns hidden (widen)");
	mvwinnstr(w, 1, 58, row, 8);
	CHECK_STR(row, "resolved");
	/* largest first: globex (9), hooli (7), acme (4) */
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[0], 1);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[1], 2);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[2], 0);
	/* by p95, largest first: hooli (1.00 s), globex (412.5 ms), then acme, which has none */
	d.c.vs[VIEW_TENANTS].sort_col = 8;
	CHECK_INT(console_view_tenants.n_rows(&d.c), 3);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[0], 2);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[1], 1);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[2], 0);
	/* smallest first: globex, hooli, and acme still last */
	d.c.vs[VIEW_TENANTS].sort_desc = 0;
	CHECK_INT(console_view_tenants.n_rows(&d.c), 3);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[0], 1);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[1], 2);
	CHECK_INT(d.c.vs[VIEW_TENANTS].rows[2], 0);
	free(d.c.vs[VIEW_TENANTS].rows);
	delwin(w);
out:
	dumb_close(&d);
}

/* The Tenants view sorts its rows when the result or the sort order changes, and only then: a
 * key that moves the cursor or pages, and a filter (typed a character at a time, a re-sort each,
 * about 0.7 s a key at a million tenants), sort nothing; the rows a filter keeps are the sorted
 * ones, in order. */
static void console_tenants_sort_once(void)
{
	static const char *names[] = { "acme", "globex", "hooli" };
	static struct metrics mt[3];
	static struct derived dv[3];
	static const uint64_t resolved[] = { 4, 9, 7 };
	struct console_scen a = { .id = 8, .label = "a", .has_res = 1 };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	if (dumb_open(&d, list, 1, VIEW_TENANTS) < 0)
		goto out;
	d.m.data_gen = 43; /* not a generation an earlier test cached */
	a.res.name = "A";
	a.res.n_tenants = 3;
	a.res.tenant_names = names;
	a.res.by_tenant = mt;
	a.tenant_derived = dv;
	for (int i = 0; i < 3; i++)
		mt[i].resolved = resolved[i];
	struct console_viewstate *vs = &d.c.vs[VIEW_TENANTS];
	vs->sort_col = 11; /* resolved, largest first: globex (9), hooli (7), acme (4) */
	vs->sort_desc = 1;
	WINDOW *w = newpad(10, 100);
	console_view_tenants.draw(&d.c, w, 10, 90);
	unsigned long sorts = console_view_groups_sorts();
	CHECK_INT((int)vs->n_rows, 3);
	CHECK_INT(vs->rows[0], 1);
	/* the cursor moves and pages: drawn again, nothing sorted */
	console_key(&d.c, 'j');
	console_key(&d.c, KEY_NPAGE);
	console_key(&d.c, 'G');
	console_view_tenants.draw(&d.c, w, 10, 90);
	CHECK(console_view_groups_sorts() == sorts);
	/* "o", then "oo": globex and hooli, then hooli, in the order sorted; nothing sorted */
	snprintf(vs->filter, sizeof vs->filter, "o");
	d.c.filter_gen++;
	console_view_tenants.draw(&d.c, w, 10, 90);
	CHECK_INT((int)vs->n_rows, 2);
	CHECK_INT(vs->rows[0], 1);
	CHECK_INT(vs->rows[1], 2);
	snprintf(vs->filter, sizeof vs->filter, "oo");
	d.c.filter_gen++;
	console_view_tenants.draw(&d.c, w, 10, 90);
	CHECK_INT((int)vs->n_rows, 1);
	CHECK_INT(vs->rows[0], 2);
	/* the filter gone: all three as sorted */
	vs->filter[0] = 0;
	d.c.filter_gen++;
	console_view_tenants.draw(&d.c, w, 10, 90);
	CHECK_INT((int)vs->n_rows, 3);
	CHECK_INT(vs->rows[0], 1);
	CHECK_INT(vs->rows[1], 2);
	CHECK_INT(vs->rows[2], 0);
	CHECK(console_view_groups_sorts() == sorts);
	/* another order sorts, once: by tenant, A to Z */
	vs->sort_col = 0;
	vs->sort_desc = 0;
	console_view_tenants.draw(&d.c, w, 10, 90);
	console_view_tenants.draw(&d.c, w, 10, 90);
	CHECK(console_view_groups_sorts() == sorts + 1);
	CHECK_INT(vs->rows[0], 0);
	CHECK_INT(vs->rows[1], 1);
	CHECK_INT(vs->rows[2], 2);
	free(vs->rows);
	delwin(w);
out:
	dumb_close(&d);
}

/* The Tenants view across the scenarios sorts its rows when the results, the metric or the sort
 * order change, and only then: a filter takes the sorted rows that pass it (each character
 * typed re-sorted every tenant), and neither it nor a scroll measures the widths again. */
static void console_tenants_across_sort_once(void)
{
	static const char *names[] = { "acme", "globex", "hooli" };
	static struct metrics ma[3], mb[3];
	struct console_scen a = { .id = 11, .label = "a", .has_res = 1 },
	                    b = { .id = 12, .label = "b", .has_res = 1 };
	struct console_scen *list[] = { &a, &b };
	struct dumb_console d;
	const money_sum usd = 1000000000000LL;
	if (dumb_open(&d, list, 2, VIEW_TENANTS) < 0)
		goto out;
	d.m.data_gen = 53;
	a.res.name = "A";
	b.res.name = "B";
	a.res.n_tenants = b.res.n_tenants = 3;
	a.res.tenant_names = b.res.tenant_names = names;
	a.res.by_tenant = ma;
	b.res.by_tenant = mb;
	/* USD total in B: acme $1.00, globex $3.00, hooli $0.50 */
	mb[0].usd_total = usd;
	mb[1].usd_total = 3 * usd;
	mb[2].usd_total = usd / 2;
	for (int i = 0; i < 3; i++)
		ma[i].latency_p95_us = mb[i].latency_p95_us = -1;
	struct console_viewstate *vs = &d.c.vs[VIEW_TENANTS];
	WINDOW *w = newpad(10, 100);
	console_view_tenants_metric(&d.c, 1); /* into the mode across, at its first metric */
	console_view_tenants_metric(&d.c, 1); /* the second: USD total */
	/* by B's column, largest first: globex, acme, hooli */
	vs->sort_col = 2;
	vs->sort_desc = 1;
	console_view_tenants.draw(&d.c, w, 10, 100);
	unsigned long sorts = console_view_groups_sorts(), measures = console_view_groups_measures();
	CHECK_INT((int)vs->n_rows, 3);
	CHECK_INT(vs->rows[0], 1);
	CHECK_INT(vs->rows[1], 0);
	CHECK_INT(vs->rows[2], 2);
	/* "o", then "oo": globex and hooli, then hooli, in the order sorted */
	snprintf(vs->filter, sizeof vs->filter, "o");
	d.c.filter_gen++;
	console_view_tenants.draw(&d.c, w, 10, 100);
	CHECK_INT((int)vs->n_rows, 2);
	CHECK_INT(vs->rows[0], 1);
	CHECK_INT(vs->rows[1], 2);
	snprintf(vs->filter, sizeof vs->filter, "oo");
	d.c.filter_gen++;
	console_view_tenants.draw(&d.c, w, 10, 100);
	CHECK_INT((int)vs->n_rows, 1);
	CHECK_INT(vs->rows[0], 2);
	/* the filter gone: all three as sorted; the cursor moved: nothing sorted nor measured */
	vs->filter[0] = 0;
	d.c.filter_gen++;
	console_key(&d.c, 'j');
	console_view_tenants.draw(&d.c, w, 10, 100);
	CHECK_INT((int)vs->n_rows, 3);
	CHECK_INT(vs->rows[0], 1);
	CHECK_INT(vs->rows[1], 0);
	CHECK_INT(vs->rows[2], 2);
	CHECK(console_view_groups_sorts() == sorts);
	CHECK(console_view_groups_measures() == measures);
	/* another order sorts, once, and measures nothing: by tenant, A to Z */
	vs->sort_col = 0;
	vs->sort_desc = 0;
	console_view_tenants.draw(&d.c, w, 10, 100);
	console_view_tenants.draw(&d.c, w, 10, 100);
	CHECK(console_view_groups_sorts() == sorts + 1);
	CHECK(console_view_groups_measures() == measures);
	CHECK_INT(vs->rows[0], 0);
	CHECK_INT(vs->rows[1], 1);
	CHECK_INT(vs->rows[2], 2);
	free(vs->rows);
	vs->rows = NULL;
	delwin(w);
out:
	dumb_close(&d);
}

/* PgDn moves as many rows as the view shows, Compare's counted by Compare (its page op): a body
 * of 12 lines shows 10 metrics under the names and above the count line, a list view 9 under
 * its title and head and above its count line. */
static void console_page_rows(void)
{
	struct console_scen a = { .id = 13, .label = "a", .has_res = 1 };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	if (dumb_open(&d, list, 1, VIEW_COMPARE) < 0)
		goto out;
	a.res.name = "A";
	d.c.body = newpad(12, 100);
	long n = console_view_compare.n_rows(&d.c);
	CHECK(n > 12);
	console_key(&d.c, KEY_NPAGE);
	CHECK_INT((int)d.c.vs[VIEW_COMPARE].list.cur, 10);
	CHECK_INT(console_view_compare.page(&d.c, 12), 10);
	CHECK(console_view_tenants.page == NULL);
	delwin(d.c.body);
	d.c.body = NULL;
out:
	dumb_close(&d);
}

/* The Tenants view's columns are as wide as every row of the result needs, measured once per
 * result: a filter keeping narrower figures leaves them where they were (measured over the rows
 * kept, each character typed re-measured a million rows and the columns jumped). */
static void console_tenants_widths_stand(void)
{
	static const char *names[] = { "acme", "globex" };
	static struct metrics mt[2];
	static struct derived dv[2];
	struct console_scen a = { .id = 9, .label = "a", .has_res = 1 };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	char row[120];
	const money_sum usd = 1000000000000LL;
	if (dumb_open(&d, list, 1, VIEW_TENANTS) < 0)
		goto out;
	d.m.data_gen = 47; /* not a generation an earlier test cached */
	a.res.name = "A";
	a.res.n_tenants = 2;
	a.res.tenant_names = names;
	a.res.by_tenant = mt;
	a.tenant_derived = dv;
	/* USD: acme $1,234.00 (9 columns), globex $1.00 (5) */
	mt[0].usd_total = 1234 * usd;
	mt[1].usd_total = usd;
	for (int i = 0; i < 2; i++)
		mt[i].latency_p95_us = -1;
	struct console_viewstate *vs = &d.c.vs[VIEW_TENANTS];
	vs->sort_col = 0;
	vs->sort_desc = 0;
	WINDOW *w = newpad(10, 120);
	console_view_tenants.draw(&d.c, w, 10, 120);
	unsigned long measures = console_view_groups_measures();
	mvwinnstr(w, 1, 0, row, 119);
	const char *at = strstr(row, "requests");
	CHECK(at != NULL);
	long x = at ? (long)(at - row) : -1;
	/* "glob" keeps globex alone, whose $1.00 is narrower: "requests" stays where it was */
	snprintf(vs->filter, sizeof vs->filter, "glob");
	d.c.filter_gen++;
	werase(w);
	console_view_tenants.draw(&d.c, w, 10, 120);
	CHECK_INT((int)vs->n_rows, 1);
	mvwinnstr(w, 1, 0, row, 119);
	at = strstr(row, "requests");
	CHECK(at != NULL);
	CHECK_INT(at ? (int)(at - row) : -1, (int)x);
	/* nor measured again for the filter, nor for a key that scrolls */
	console_key(&d.c, 'j');
	console_view_tenants.draw(&d.c, w, 10, 120);
	CHECK(console_view_groups_measures() == measures);
	/* a new result is measured, once */
	d.m.data_gen++;
	console_view_tenants.draw(&d.c, w, 10, 120);
	console_view_tenants.draw(&d.c, w, 10, 120);
	CHECK(console_view_groups_measures() == measures + 1);
	free(vs->rows);
	vs->rows = NULL;
	delwin(w);
out:
	dumb_close(&d);
}

/* The Budget view sorted by its policy column: by the policy's text, not by the task's name. */
static void console_budget_policy_sort(void)
{
	static const char *names[] = { "alpha", "beta", "delta", "gamma" }; /* bytewise, as results list */
	static struct metrics mt[4];
	static struct derived dv[4];
	static struct budget_policy rules[] = {
		{ (char *)"alpha", 3000, -1, OVERFLOW_TRUNCATE },
		{ (char *)"beta", -1, -1, OVERFLOW_REJECT },
		{ (char *)"gamma", 1000, 200, OVERFLOW_ASYNC },
	};
	struct scenario sc = { .name = (char *)"A", .n_budget = 3, .budget = rules };
	struct console_scen a = { .id = 8, .label = "a", .has_res = 1, .ran = &sc };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	char row[160];
	if (dumb_open(&d, list, 1, VIEW_BUDGET) < 0)
		goto out;
	d.m.data_gen = 42; /* not a generation an earlier test cached */
	a.res.name = "A";
	a.res.n_tasks = 4;
	a.res.task_names = names;
	a.res.by_task = mt;
	a.task_derived = dv;
	/* The policy texts: alpha "3,000 / -, truncate", beta "- / -, reject", delta (no rule, no
	 * "*") "none", gamma "1,000 / 200, async".  Bytewise '-' (0x2d) < '1' (0x31) < '3' (0x33)
	 * < 'n' (0x6e): beta, gamma, alpha, delta, that is rows 1, 3, 0, 2; by name it would be
	 * 0, 1, 2, 3 (and 3, 2, 1, 0 largest first). */
	d.c.vs[VIEW_BUDGET].sort_col = 9;
	CHECK_INT(console_view_budget.n_rows(&d.c), 4);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[0], 1);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[1], 3);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[2], 0);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[3], 2);
	WINDOW *w = newpad(10, 200);
	console_view_budget.draw(&d.c, w, 10, 200);
	mvwinnstr(w, 0, 0, row, 150);
	CHECK_HAS(row, "sorted by policy (smallest first)");
	mvwinnstr(w, 2, 0, row, 5);
	CHECK_STR(row, "beta ");
	mvwinnstr(w, 5, 0, row, 5);
	CHECK_STR(row, "delta");
	/* largest first: delta, alpha, gamma, beta: rows 2, 0, 3, 1 */
	d.c.vs[VIEW_BUDGET].sort_desc = 1;
	CHECK_INT(console_view_budget.n_rows(&d.c), 4);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[0], 2);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[1], 0);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[2], 3);
	CHECK_INT(d.c.vs[VIEW_BUDGET].rows[3], 1);
	free(d.c.vs[VIEW_BUDGET].rows);
	delwin(w);
out:
	dumb_close(&d);
}

/* The Alerts view: every scenario's alerts, newest first (ties in scenario order); the filter
 * also matches the alert's kind. */
static void console_alerts_order(void)
{
	/* 2026-03-02 10:00 UTC = 1,772,445,600 s (see the top); + 1 h and + 2 h */
	const int64_t h10 = 1772445600LL * 1000000, hour = 3600LL * 1000000;
	static struct alert aa[2], ab[2];
	struct console_scen a = { .id = 1, .label = "a", .has_res = 1 },
	                    b = { .id = 2, .label = "b", .has_res = 1 };
	struct console_scen *list[] = { &a, &b };
	struct dumb_console d;
	char row[100];
	if (dumb_open(&d, list, 2, VIEW_ALERTS) < 0)
		goto out;
	a.res.name = "A";
	b.res.name = "B";
	/* each scenario's list is by start: a cost_guard 10:00, fallback_flood 12:00; b
	 * fallback_flood 11:00, cost_guard 12:00 */
	aa[0] = (struct alert){ .kind = ALERT_COST_GUARD, .start_us = h10, .end_us = h10 };
	aa[1] = (struct alert){ .kind = ALERT_FALLBACK_FLOOD, .start_us = h10 + 2 * hour, .end_us = h10 + 2 * hour };
	ab[0] = (struct alert){ .kind = ALERT_FALLBACK_FLOOD, .start_us = h10 + hour, .end_us = h10 + hour };
	ab[1] = (struct alert){ .kind = ALERT_COST_GUARD, .start_us = h10 + 2 * hour, .end_us = h10 + 2 * hour };
	a.res.alerts = aa;
	b.res.alerts = ab;
	a.res.n_alerts = b.res.n_alerts = 2;
	/* rows are scenario × 2^32 + alert: 12:00 a (a before b), 12:00 b, 11:00 b, 10:00 a */
	CHECK_INT(console_view_alerts.n_rows(&d.c), 4);
	CHECK(d.c.vs[VIEW_ALERTS].rows[0] == (0L << 32 | 1));
	CHECK(d.c.vs[VIEW_ALERTS].rows[1] == (1L << 32 | 1));
	CHECK(d.c.vs[VIEW_ALERTS].rows[2] == (1L << 32 | 0));
	CHECK(d.c.vs[VIEW_ALERTS].rows[3] == (0L << 32 | 0));
	WINDOW *w = newpad(8, 100);
	console_view_alerts.draw(&d.c, w, 8, 100);
	mvwinnstr(w, 2, 0, row, 16);
	CHECK_STR(row, "2026-03-02 12:00");
	mvwinnstr(w, 5, 0, row, 16);
	CHECK_STR(row, "2026-03-02 10:00");
	/* "cost" names no scenario: the two cost_guard alerts, b's (12:00) first */
	snprintf(d.c.vs[VIEW_ALERTS].filter, sizeof d.c.vs[VIEW_ALERTS].filter, "cost");
	d.c.filter_gen++;
	CHECK_INT(console_view_alerts.n_rows(&d.c), 2);
	CHECK(d.c.vs[VIEW_ALERTS].rows[0] == (1L << 32 | 1));
	CHECK(d.c.vs[VIEW_ALERTS].rows[1] == (0L << 32 | 0));
	free(d.c.vs[VIEW_ALERTS].rows);
	delwin(w);
out:
	dumb_close(&d);
}

/* The Timeline's cursor reads every bucket under its column: 100 buckets in a chart of
 * 100 − 10 − 14 − 2 = 74 columns are ⌈100 ÷ 74⌉ = 2 buckets a column. */
static void console_timeline_column_sums(void)
{
	static uint64_t counts[N_TL_COUNTS][100];
	static money_sum usd[100], retry_usd[100];
	struct console_scen a = { .id = 1, .label = "a", .has_res = 1 };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	char row[120];
	if (dumb_open(&d, list, 1, VIEW_TIMELINE) < 0)
		goto out;
	a.res.name = "A";
	a.res.timeline = (struct timeline){ .bucket_s = 60, .t0_us = 1772445600LL * 1000000, .n_buckets = 100,
	                                    .usd = usd, .retry_usd = retry_usd };
	for (int k = 0; k < N_TL_COUNTS; k++)
		a.res.timeline.count[k] = counts[k];
	/* buckets 0 and 1: $1 and $3; 10 requests each, 5 hits in the first; 10 first calls each,
	 * 4 first fallbacks in the second */
	usd[0] = 1000000000000LL;
	usd[1] = 3000000000000LL;
	counts[TL_REQUESTS][0] = counts[TL_REQUESTS][1] = 10;
	counts[TL_CACHE_HITS][0] = 5;
	counts[TL_FIRST_CALLS][0] = counts[TL_FIRST_CALLS][1] = 10;
	counts[TL_FIRST_FALLBACKS][1] = 4;
	/* a cost_guard alert firing once, 61 s in: under the cursor's column [10:00, 10:02) */
	static struct alert al[1];
	al[0] = (struct alert){ .kind = ALERT_COST_GUARD, .start_us = a.res.timeline.t0_us + 61000000,
	                        .end_us = a.res.timeline.t0_us + 61000000 };
	a.res.alerts = al;
	a.res.n_alerts = 1;
	WINDOW *w = newpad(12, 100);
	console_view_timeline.draw(&d.c, w, 12, 100);
	mvwinnstr(w, 0, 0, row, 100);
	CHECK_HAS(row, "bucket 60s, 1 column = 2 buckets; cursor 2026-03-02 10:00 to 10:02 UTC; scale $120.00/h");
	mvwinnstr(w, 2, 0, row, 100);
	CHECK_HAS(row, "A  (1 alert)  at the cursor: cost_guard");
	/* ($1 + $3) × 3600 s ÷ (2 × 60 s) = $120.00 an hour */
	mvwinnstr(w, 3, 86, row, 14);
	CHECK_STR(row, "     $120.00/h"); /* right-aligned in 14 columns */
	/* fallbacks 4 ÷ 20 first calls = 20.0%; hits 5 ÷ 20 requests = 25.0% */
	mvwinnstr(w, 4, 86, row, 14);
	CHECK_STR(row, "         20.0%");
	mvwinnstr(w, 5, 86, row, 14);
	CHECK_STR(row, "         25.0%");
	delwin(w);
out:
	dumb_close(&d);
}

/* The command line's checks before a command acts (a console with no trace open, so nothing
 * runs): each mistake gets its usage line, or the reason, as an error on the status line. */
static void console_command_checks(void)
{
	struct console_scen a = { .id = 1, .label = "a" };
	struct console_scen *list[] = { &a };
	struct dumb_console d;
	struct err e = { "" };
	if (dumb_open(&d, list, 1, VIEW_COMPARE) < 0)
		goto out;
	CHECK_INT(scenario_parse("{}", "a", NULL, &a.sc, &e), 0);
	static const struct { const char *line, *msg; } cases[] = {
		{ "set a.cache.capacity", "usage: set [SCENARIO.]KEY.PATH VALUE" },   /* no VALUE */
		{ "set", "usage: set [SCENARIO.]KEY.PATH VALUE" },
		{ "unset a.cache.capacity 5", "usage: unset [SCENARIO.]KEY.PATH" }, /* a VALUE too many */
		{ "set a 5", "a is a scenario: name one of its keys, as set a.cache.capacity 1000" },
		{ "set! a.cache.capacity 5", "only export! and save! take a !" },
		{ "run! a", "only export! and save! take a !" },
		{ "save a", "usage: save SCENARIO FILE" },                            /* no FILE */
		{ "save", "usage: save SCENARIO FILE" },
		{ "export xml out.json", "usage: export json|csv FILE" },
		{ "export json", "usage: export json|csv FILE" },
		{ "scenario drop", "usage: scenario drop NAME" },
		{ "scenario add", "usage: scenario add NAME [FILE]" },
		{ "scenario", "scenario: expected add, drop, edit" },
		{ "load", "usage: load TRACE [--name NAME]" },
		{ "load ''", "load: TRACE is empty: name a stored trace or a trace file" }, /* as replay '' */
		{ "quit now", "usage: quit" },
		{ "help se", "help: no command \"se\"" },   /* a word's start is no command's name */
		{ "run b", "no scenario \"b\" is open" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		d.c.msg[0] = 0;
		d.c.msg_error = 0;
		console_cmd_exec(&d.c, cases[i].line);
		CHECK_HAS(d.c.msg, cases[i].msg);
		CHECK_INT(d.c.msg_error, 1);
	}
	/* help with a command's whole first word explains it: "scenario" is "scenario add"'s */
	console_cmd_exec(&d.c, "help scenario");
	CHECK_HAS(d.c.msg, "scenario add NAME [FILE]: add a scenario");
	CHECK_INT(d.c.msg_error, 0);
	CHECK_INT(d.c.quit, 0);
	scenario_fini(&a.sc);
out:
	dumb_close(&d);
}

/* Every §5 field the console's views name is one traces/report.h knows (a misspelt name would
 * be NULL on the first draw of its row or column). */
static void console_view_fields_known(void)
{
	CHECK(console_view_compare_unknown_field() == NULL);
	CHECK(console_view_groups_unknown_field() == NULL);
}

/* Sets the environment variable `name` to `value`: its value before, a copy (NULL when unset),
 * for env_restore. */
static char *env_swap(const char *name, const char *value)
{
	const char *had = getenv(name);
	char *saved = had ? strdup(had) : NULL;
	setenv(name, value, 1);
	return saved;
}

/* Gives `name` back the value env_swap saved (unset when NULL), and frees it. */
static void env_restore(const char *name, char *saved)
{
	if (saved)
		setenv(name, saved, 1);
	else
		unsetenv(name);
	free(saved);
}

/* A temporary folder for test `name` holding sc.json, an empty scenario ({}): its path in sc.
 * 0, or -1 (a failed check) with dir and sc empty when it could not be made. */
static int scenario_file(const char *name, char *dir, size_t ndir, char *sc, size_t nsc)
{
	if (test_tmpdir(name, dir, ndir) < 0) {
		CHECK(0);
		dir[0] = sc[0] = 0;
		return -1;
	}
	snprintf(sc, nsc, "%s/sc.json", dir);
	FILE *f = fopen(sc, "w");
	CHECK(f != NULL);
	if (!f)
		return -1;
	fputs("{}\n", f);
	fclose(f);
	return 0;
}

/* A path in a command is never cut short and then acted on.  Before, `scenario add NAME FILE`
 * copied its arguments into 2,048 bytes (the other commands into 4,096) without a word, and
 * opened what was left.  Here "x " + padding + DIR/sc.json is 2,047 bytes, so the cut left
 * exactly an existing scenario file, while the path named (…/sc.json-missing) does not exist;
 * a command line over the 4,095 bytes the console takes is refused, naming that limit, and so
 * is a ~ whose $HOME makes the path too long. */
static void console_paths_not_cut(void)
{
	struct dumb_console d;
	struct err e = { "" };
	char dir[512] = "", sc[600] = "";
	static char line[6000];
	if (scenario_file("console-paths", dir, sizeof dir, sc, sizeof sc) < 0)
		goto rm;
	if (dumb_open(&d, NULL, 0, VIEW_COMPARE) < 0)
		goto out;
	/* 2,047 = strlen("x ") + pad + strlen(sc): the old buffer's 2,047 bytes ended at sc.json */
	size_t pad = 2047 - 2 - strlen(sc);
	int k = snprintf(line, sizeof line, "scenario add x %*s%s-missing", (int)pad, "", sc);
	for (size_t i = 0; i < pad; i++)
		line[strlen("scenario add x ") + i] = '/';
	CHECK_INT(k > 0 && (size_t)k < sizeof line, 1);
	console_cmd_exec(&d.c, line);
	CHECK_INT(d.c.msg_error, 1); /* no such file (the message, path first, is cut at 1,023 bytes) */
	CHECK_INT((int)d.m.n_scen, 0); /* nothing added from sc.json */
	/* the same path, without -missing, is taken whole: sc.json added (so the padding is fine) */
	line[strlen(line) - strlen("-missing")] = 0;
	console_cmd_exec(&d.c, line);
	CHECK_INT(d.c.msg_error, 0);
	CHECK_HAS(d.c.msg, "added scenario x");
	CHECK_INT((int)d.m.n_scen, 1);
	if (d.m.n_scen == 1)
		CHECK_INT(console_model_drop(&d.m, "x", &e), 0);
	/* a line of 4,096 bytes or more: refused, nothing done, whatever the command */
	static const char *const cmds[] = { "scenario add y ", "load ", "export json ", "save a " };
	for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
		size_t head = strlen(cmds[c]);
		memcpy(line, cmds[c], head);
		memset(line + head, '/', 5000);
		snprintf(line + head + 5000, sizeof line - head - 5000, "%s", sc); /* head + 5,000 + strlen(sc) bytes */
		d.c.msg[0] = 0;
		d.c.msg_error = 0;
		console_cmd_exec(&d.c, line);
		CHECK_INT(d.c.msg_error, 1);
		CHECK_HAS(d.c.msg, "over the 4095 bytes the console takes: nothing was done");
		CHECK_INT((int)d.m.n_scen, 0);
	}
	/* a ~ whose $HOME (3,000 bytes) makes the path past 4,095 bytes, from a line that fits */
	static char long_home[3001];
	memset(long_home, 'h', 3000);
	long_home[0] = '/';
	char *saved = env_swap("HOME", long_home);
	memcpy(line, "scenario add z ~/", 17);
	memset(line + 17, 'a', 2000);
	line[17 + 2000] = 0;
	console_cmd_exec(&d.c, line);
	CHECK_INT(d.c.msg_error, 1);
	CHECK_HAS(d.c.msg, "name too long, over the 4095 bytes the console takes: ~/aaa");
	CHECK_INT((int)d.m.n_scen, 0);
	env_restore("HOME", saved);
	free(d.m.scen);
out:
	dumb_close(&d);
rm:
	remove(sc);
	remove(dir);
}

/* An editor command ($VISUAL) too long for the console's buffer is refused, never run cut short:
 * "touch MARKER; : " and 4,300 x's, cut at 4,199 bytes, would still have run the touch. */
static void console_editor_not_cut(void)
{
	struct dumb_console d;
	char dir[512] = "", sc[600] = "", marker[600] = "", line[700];
	static char visual[4400];
	if (scenario_file("console-editor", dir, sizeof dir, sc, sizeof sc) < 0)
		goto rm;
	snprintf(marker, sizeof marker, "%s/ran", dir);
	if (dumb_open(&d, NULL, 0, VIEW_COMPARE) < 0)
		goto out;
	snprintf(line, sizeof line, "scenario add x %s", sc);
	console_cmd_exec(&d.c, line);
	CHECK_INT((int)d.m.n_scen, 1);
	int k = snprintf(visual, sizeof visual, "touch %s; : ", marker);
	memset(visual + k, 'x', 4300);
	visual[k + 4300] = 0;
	char *saved = env_swap("VISUAL", visual);
	d.c.msg_error = 0;
	console_cmd_exec(&d.c, "scenario edit x");
	CHECK_INT(d.c.msg_error, 1);
	CHECK_HAS(d.c.msg, "the editor command ($VISUAL or $EDITOR) is");
	CHECK_HAS(d.c.msg, "scenario x is unchanged");
	CHECK_INT(access(marker, F_OK), -1); /* nothing was run */
	env_restore("VISUAL", saved);
	if (d.m.n_scen == 1) {
		struct err e = { "" };
		CHECK_INT(console_model_drop(&d.m, "x", &e), 0);
	}
	free(d.m.scen);
out:
	dumb_close(&d);
rm:
	remove(marker);
	remove(sc);
	remove(dir);
}

/* The descriptors open on /dev/null that a child (the editor `scenario edit` runs) would inherit. */
static int inheritable_devnull(void)
{
	int n = 0;
	char link[64], to[64];
	for (int fd = 0; fd < 1024; fd++) {
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t k = readlink(link, to, sizeof to - 1);
		if (k < 0)
			continue;
		to[k] = 0;
		n += strcmp(to, "/dev/null") == 0 && !(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	}
	return n;
}

/* The line editor's /dev/null (readline's output, kept off the screen) is closed on exec: before,
 * $EDITOR inherited it.  No history is touched: XDG_DATA_HOME is an empty folder of the test's. */
static void console_cmd_null_cloexec(void)
{
	struct dumb_console d;
	char dir[512];
	if (access("/proc/self/fd", F_OK) != 0) /* no /proc: nothing to look at */
		return;
	if (test_tmpdir("console-null", dir, sizeof dir) < 0) {
		CHECK(0);
		return;
	}
	char *saved = env_swap("XDG_DATA_HOME", dir);
	if (dumb_open(&d, NULL, 0, VIEW_COMPARE) == 0) {
		int before = inheritable_devnull();
		console_cmd_init(&d.c);
		CHECK_INT(inheritable_devnull(), before);
		console_cmd_fini(&d.c);
	}
	dumb_close(&d);
	env_restore("XDG_DATA_HOME", saved);
	remove(dir);
}

/* `run NAME` asks for a run of NAME alone.  No worker runs here: both scenarios' JSON is cut
 * short, so a run request fails at parsing the scenario, before anything is queued, and the
 * error names the scenario it was for.  `run b` must fail on b; a request for every
 * scenario (what plain `run` does) would try a, first in display order, and fail on a. */
static void console_run_one(void)
{
	struct console_scen a = { .id = 1, .label = "a" }, b = { .id = 2, .label = "b" };
	struct console_scen *list[] = { &a, &b };
	struct dumb_console d;
	if (dumb_open(&d, list, 2, VIEW_COMPARE) < 0)
		goto out;
	a.sc.json = b.sc.json = (char *)"{";
	/* a trace counts as open: the request checks the pointer, and fails before using it */
	d.m.rt = (struct replay_trace *)&d;
	console_cmd_exec(&d.c, "run b");
	CHECK_INT(d.c.msg_error, 1);
	CHECK_INT(strncmp(d.c.msg, "b: ", 3), 0);
	CHECK_INT(a.gen, 0);
	CHECK_INT(b.gen, 0);
	/* and plain `run` does go through a first */
	console_cmd_exec(&d.c, "run");
	CHECK_INT(strncmp(d.c.msg, "a: ", 3), 0);
	d.m.rt = NULL;
out:
	dumb_close(&d);
}

/* Column titles: a scenario's name once it has run (its handle before); two of one name are
 * told apart by their handles, except where the handle is the name itself. */
static void console_titles(void)
{
	struct console_scen a = { .label = "recorded", .has_res = 1 }, b = { .label = "recorded-2", .has_res = 1 },
	                    c = { .label = "v3", .has_res = 1 }, e = { .label = "fg" };
	struct console_scen *list[] = { &a, &b, &c, &e };
	struct console_model m;
	char buf[CONSOLE_TITLE_MAX];
	memset(&m, 0, sizeof m);
	m.scen = list;
	m.n_scen = 4;
	a.res.name = b.res.name = "recorded";
	c.res.name = "v3 cache+routing";
	CHECK_STR(console_scen_title(&m, &a, buf), "recorded");
	CHECK_STR(console_scen_title(&m, &b, buf), "recorded (recorded-2)");
	CHECK_STR(console_scen_title(&m, &c, buf), "v3 cache+routing");
	CHECK_STR(console_scen_title(&m, &e, buf), "fg");

	/* a name past the title's 511 bytes: 東京 ×100 then END (603 bytes), for a and b, recorded's
	 * place: it loses its middle at whole characters (valid UTF-8, at most 511 bytes), keeps its
	 * start and end, and each keeps its handle (the cut at 511 bytes split a 京 and lost it) */
	char name[700] = "", buf2[CONSOLE_TITLE_MAX];
	for (int i = 0; i < 100; i++)
		strcat(name, "\xe6\x9d\xb1\xe4\xba\xac");
	strcat(name, "END");
	a.res.name = b.res.name = name;
	const char *ta = console_scen_title(&m, &a, buf), *tb = console_scen_title(&m, &b, buf2);
	CHECK(strlen(ta) <= CONSOLE_TITLE_MAX - 1 && strlen(tb) <= CONSOLE_TITLE_MAX - 1);
	CHECK(text_is_utf8(ta) && text_is_utf8(tb));
	CHECK_INT(strncmp(ta, "\xe6\x9d\xb1\xe4\xba\xac", 6), 0);
	CHECK(strstr(ta, "\xe2\x80\xa6") != NULL);
	CHECK_STR(ta + strlen(ta) - 14, "END (recorded)");
	CHECK_STR(tb + strlen(tb) - 16, "END (recorded-2)");
	b.res.name = "other"; /* a's name no longer shared: cut, without a handle */
	ta = console_scen_title(&m, &a, buf);
	CHECK(strlen(ta) <= CONSOLE_TITLE_MAX - 1 && text_is_utf8(ta));
	CHECK_STR(ta + strlen(ta) - 3, "END");
	/* console_copy: 10 bytes into 8: 7 bytes, "…" 3 of them, the start 2 and the end 2 */
	char small[8];
	console_copy(small, sizeof small, "abcdefghij");
	CHECK_STR(small, "ab\xe2\x80\xa6ij");
	console_copy(small, sizeof small, "abcdefg");
	CHECK_STR(small, "abcdefg");
}

/* A console model on a store in a fresh folder `tag` (its path in dir, the store's in db), with
 * docs.jsonl loaded and v3's run ended, *s its scenario (NULL, a failed check, when a step
 * fails): 0, or -1 (a failed check) when no model was made.  model_v3_done removes what it
 * made. */
static int model_v3(const char *tag, char *dir, size_t dn, char *db, size_t dbn, struct console_model *m,
                    struct console_scen **s)
{
	char info[256] = "";
	struct err e;
	if (test_tmpdir(tag, dir, dn) < 0) {
		CHECK(0);
		return -1;
	}
	snprintf(db, dbn, "%s/store.db", dir);
	if (console_model_init(m, db, &e) < 0) {
		CHECK(0);
		remove(dir);
		return -1;
	}
	CHECK_INT(console_model_load(m, "fixtures/traces/docs.jsonl", NULL, NULL, info, sizeof info, &e), 0);
	CHECK_INT(console_model_add(m, "v3", NULL, &e), 0);
	console_model_wait(m);
	*s = console_model_find(m, "v3", NULL);
	if (!*s || !(*s)->has_res)
		*s = NULL;
	CHECK(*s != NULL);
	return 0;
}

static void model_v3_done(struct console_model *m, const char *dir, const char *db)
{
	char path[700];
	console_model_fini(m);
	remove(db);
	snprintf(path, sizeof path, "%s-wal", db);
	remove(path);
	snprintf(path, sizeof path, "%s-shm", db);
	remove(path);
	remove(dir);
}

/* A re-run keeps the scenario's last result shown (has_res, its figures) from the edit that queues
 * it until console_model_collect publishes the new one (issue 5: "the previous result stays
 * visible until the new one is ready"): here collect is not called between set and the checks,
 * so the worker's progress does not matter.  docs.jsonl through v3 without its cache costs a
 * different amount, so the new result is told from the old. */
static void console_rerun_keeps_result(void)
{
	char dir[512], db[600];
	struct console_model m;
	struct err e;
	struct console_scen *s;
	if (model_v3("console-rerun", dir, sizeof dir, db, sizeof db, &m, &s) < 0)
		return;
	if (!s)
		goto out;
	money_sum before = s->res.totals.usd_total;
	uint64_t requests = s->res.totals.requests;
	CHECK_INT(console_model_set(&m, s, "cache.enabled", "false", &e), 0);
	CHECK_INT(s->busy > 0, 1);        /* the re-run is queued or running */
	CHECK_INT(s->has_res, 1);          /* and the last result is still there, whole */
	CHECK(s->res.totals.usd_total == before);
	CHECK(s->res.totals.requests == requests);
	console_model_wait(&m);
	CHECK_INT(s->busy, 0);
	CHECK_INT(s->has_res, 1);
	CHECK(s->res.totals.usd_total != before); /* the new result replaced it */
out:
	model_v3_done(&m, dir, db);
}

/* The text of file path (at most n - 1 bytes) in buf; "" when it cannot be read. */
static const char *file_text(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t got = f ? fread(buf, 1, n - 1, f) : 0;
	buf[got] = 0;
	if (f)
		fclose(f);
	return buf;
}

/* `export` while a re-run is under way writes the figures of the scenario as edited, not the
 * previous result still shown: it waits for the run (the test calls no collect of its own, so
 * without the wait the old result is written whatever the worker's progress), and a Ctrl-C
 * caught meanwhile abandons the export, writing nothing, and leaves the console open.  v3
 * without its cache costs another amount on docs.jsonl (console_rerun_keeps_result), so its
 * row in the CSV differs. */
static void console_export_waits(void)
{
	char dir[512], db[600], path[700], before[8192], during[8192], after[8192];
	struct console_model m;
	struct dumb_console d;
	struct err e;
	struct console_scen *s;
	if (model_v3("console-export-wait", dir, sizeof dir, db, sizeof db, &m, &s) < 0)
		return;
	if (!s)
		goto out;
	if (dumb_open(&d, NULL, 0, VIEW_COMPARE) < 0) {
		CHECK(0);
		goto out;
	}
	d.c.m = &m;
	console_layout(&d.c);
	char line[800];
	snprintf(line, sizeof line, "export csv %s/before.csv", dir);
	console_cmd_exec(&d.c, line);
	CHECK_HAS(d.c.msg, "wrote ");
	snprintf(path, sizeof path, "%s/before.csv", dir);
	file_text(path, before, sizeof before);
	CHECK(before[0] != 0);
	/* a Ctrl-C caught while the export waits: abandoned, nothing written, the console stays */
	CHECK_INT(console_model_set(&m, s, "cache.enabled", "false", &e), 0);
	CHECK_INT(s->busy > 0, 1);
	*console_caught() = SIGINT;
	snprintf(line, sizeof line, "export csv %s/stopped.csv", dir);
	console_cmd_exec(&d.c, line);
	CHECK_INT(d.c.msg_error, 1);
	CHECK_HAS(d.c.msg, "interrupted: export abandoned, nothing written to ");
	CHECK_INT(*console_caught(), 0);
	snprintf(path, sizeof path, "%s/stopped.csv", dir);
	CHECK_INT(access(path, F_OK), -1);
	/* again, with the run still unpublished: the export waits for it */
	CHECK_INT(console_model_set(&m, s, "cache.enabled", "false", &e), 0);
	CHECK_INT(s->busy > 0, 1);
	snprintf(line, sizeof line, "export csv %s/during.csv", dir);
	console_cmd_exec(&d.c, line);
	CHECK_INT(d.c.msg_error, 0);
	CHECK_HAS(d.c.msg, "during.csv (csv)");
	CHECK_INT(s->busy, 0);
	snprintf(path, sizeof path, "%s/during.csv", dir);
	file_text(path, during, sizeof during);
	console_model_wait(&m);
	snprintf(line, sizeof line, "export csv %s/after.csv", dir);
	console_cmd_exec(&d.c, line);
	snprintf(path, sizeof path, "%s/after.csv", dir);
	file_text(path, after, sizeof after);
	CHECK(after[0] != 0);
	CHECK_STR(during, after);             /* the edited scenario's figures */
	CHECK(strcmp(during, before) != 0);   /* not the previous ones */
	static const char *const files[] = { "before.csv", "during.csv", "after.csv" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		remove(path);
	}
	if (d.c.hdr)
		delwin(d.c.hdr);
	if (d.c.body)
		delwin(d.c.body);
	if (d.c.status)
		delwin(d.c.status);
	dumb_close(&d);
out:
	model_v3_done(&m, dir, db);
}

/* A Ctrl-C caught while an export writes (no run to wait for) stops it at once: the export's
 * first tick sees it, the writing child is killed, and neither the file nor the hidden file
 * beside it is left; the console stays (the signal is taken back), and the status line says
 * so.  Before, the export ran to its end whatever was caught, and wrote the file. */
static void console_export_stopped(void)
{
	char dir[512], db[600], path[700], line[800];
	struct console_model m;
	struct dumb_console d;
	struct console_scen *s;
	if (model_v3("console-export-stop", dir, sizeof dir, db, sizeof db, &m, &s) < 0)
		return;
	if (!s)
		goto out;
	if (dumb_open(&d, NULL, 0, VIEW_COMPARE) < 0) {
		CHECK(0);
		goto out;
	}
	d.c.m = &m;
	console_layout(&d.c);
	CHECK_INT(console_model_busy(&m), 0);
	*console_caught() = SIGINT;
	snprintf(line, sizeof line, "export json %s/stopped.json", dir);
	console_cmd_exec(&d.c, line);
	CHECK_INT(d.c.msg_error, 1);
	CHECK_HAS(d.c.msg, "interrupted: export stopped, nothing written to ");
	CHECK_INT(*console_caught(), 0);
	snprintf(path, sizeof path, "%s/stopped.json", dir);
	CHECK_INT(access(path, F_OK), -1);
	/* the folder holds the store and its files only: no hidden ".stopped.json." file left behind */
	int hidden = 0;
	DIR *dh = opendir(dir);
	for (struct dirent *de; dh && (de = readdir(dh));)
		hidden += strncmp(de->d_name, ".stopped.json", 13) == 0;
	if (dh)
		closedir(dh);
	CHECK_INT(hidden, 0);
	/* and the next export writes */
	snprintf(line, sizeof line, "export json %s/whole.json", dir);
	console_cmd_exec(&d.c, line);
	CHECK_HAS(d.c.msg, "whole.json (json)");
	snprintf(path, sizeof path, "%s/whole.json", dir);
	CHECK_INT(access(path, F_OK), 0);
	remove(path);
	if (d.c.hdr)
		delwin(d.c.hdr);
	if (d.c.body)
		delwin(d.c.body);
	if (d.c.status)
		delwin(d.c.status);
	dumb_close(&d);
out:
	model_v3_done(&m, dir, db);
}

/* A view's title too long for its 80 columns (console_put_title) drops in turn the sort order,
 * the "(widen)" of the hidden columns' count, the sort key ("(widen)" back if it then fits), then
 * the count; the filter stays, and a number is never cut (the cases of t1000 through flood
 * guard). */
static void console_title_drops(void)
{
	struct dumb_console d;
	char row[200];
	if (dumb_open(&d, NULL, 0, VIEW_TENANTS) < 0)
		goto out;
	WINDOW *w = newpad(1, 80);
	static const struct {
		const char *head, *key, *keep;
		int hidden;
		const char *want;
	} cases[] = {
		/* a filter: the head (33) + the filter (22) + "; 5 columns hidden (widen)" (26) = 81;
		 * without "(widen)" (18): 73.  It was cut at 80: "…: 10 of 9…, filter …" */
		{ "tenants of flood guard: 10 of 953", "tenant (A to Z)", ", filter \"tenant-0099\"", 5,
		  "tenants of flood guard: 10 of 953, filter \"tenant-0099\"; 5 columns hidden" },
		/* the key gone, "(widen)" fits again: 34 + 13 + 26 = 73 (with the key, ", sorted by
		 * tenant" 17: 90, and 82 without "(widen)") */
		{ "tenants of v3 cache+routing: 1 of 8", "tenant (A to Z)", ", filter \"ac\"", 4,
		  "tenants of v3 cache+routing: 1 of 8, filter \"ac\"; 4 columns hidden (widen)" },
		/* the head (34) + ", sorted by monthly USD" (22) + 26 = 82; with 18: 74.  The key
		 * went whole, for "(widen)" to stay */
		{ "tenants of flood guard: 953 of 953", "monthly USD (largest first)", "", 5,
		  "tenants of flood guard: 953 of 953, sorted by monthly USD; 5 columns hidden" },
		/* 28 + ", sorted by budget violations" (29) + "; 1 column hidden (widen)" (25) = 82; 57 + 18 = 75 */
		{ "tasks of flood guard: 3 of 3", "budget violations (largest first)", "", 1,
		  "tasks of flood guard: 3 of 3, sorted by budget violations; 1 column hidden" },
		/* the whole fits: 19 + ", sorted by USD (largest first)" (31) + 25 = 75 */
		{ "tasks of v3: 3 of 3", "USD (largest first)", "", 1,
		  "tasks of v3: 3 of 3, sorted by USD (largest first); 1 column hidden (widen)" },
		/* no room for the key even without the count: the filter (22) leaves 58 for the head,
		 * "tenants of " and a name of 46 (57) then ": 10 of 953" (11); what precedes the ':' is
		 * cut to 58 - 11 = 47, its middle out (23 columns, "…", 23), the counts whole */
		{ "tenants of a-scenario-with-a-name-fifty-characters-long-x: 10 of 953", "tenant (A to Z)",
		  ", filter \"tenant-0099\"", 5,
		  "tenants of a-scenario-w…fifty-characters-long-x: 10 of 953, filter \"tenant-0099\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char forms[3][300];
		const char *titles[3] = { forms[0], forms[1], forms[2] };
		size_t key_w = strcspn(cases[i].key, "(");
		snprintf(forms[0], sizeof forms[0], "%s, sorted by %s", cases[i].head, cases[i].key);
		snprintf(forms[1], sizeof forms[1], "%s, sorted by %.*s", cases[i].head, (int)key_w - 1, cases[i].key);
		snprintf(forms[2], sizeof forms[2], "%s", cases[i].head);
		werase(w);
		console_put_title(w, titles, 3, cases[i].keep, cases[i].hidden, 80);
		mvwinnstr(w, 0, 0, row, (int)sizeof row - 1); /* bytes: "…" takes 3 */
		for (size_t k = strlen(row); k > 0 && row[k - 1] == ' '; k--)
			row[k - 1] = 0;
		CHECK_STR(row, cases[i].want);
	}
	delwin(w);
out:
	dumb_close(&d);
}

/* Column titles cut apart (console_cut_apart): two flood-guard scenarios whose handles are fg2
 * and fg2-2 read "flo…2)" both when cut in the middle to 6 columns (5 of text: 3 of the start,
 * 2 of the end); a column less of the start and one more of the end tells them apart: "fl…g2)",
 * "fl…-2)".  The others keep their middle cuts ("flood guard (flood-guard)" to 6: "flo…d)"), and
 * names that fit stay whole. */
static void console_cut_titles(void)
{
	static const char *const names[] = { "recorded", "flood guard (flood-guard)", "flood guard (fg2)",
	                                     "flood guard (fg2-2)" };
	static const int widths[] = { 8, 6, 6, 6 };
	char *cuts[4];
	console_utf8 = 1;
	console_cut_apart(names, widths, 4, cuts);
	CHECK_STR(cuts[0] ? cuts[0] : "", "recorded");
	CHECK_STR(cuts[1] ? cuts[1] : "", "flo…d)");
	CHECK_STR(cuts[2] ? cuts[2] : "", "fl…g2)");
	CHECK_STR(cuts[3] ? cuts[3] : "", "fl…-2)");
	for (int i = 0; i < 4; i++)
		free(cuts[i]);
	/* at 2 columns ("f…" both) nothing tells them apart: the middle cuts, as they were */
	static const int narrow[] = { 8, 2, 2, 2 };
	console_cut_apart(names, narrow, 4, cuts);
	CHECK_STR(cuts[2] ? cuts[2] : "", "f…");
	CHECK_STR(cuts[3] ? cuts[3] : "", "f…");
	for (int i = 0; i < 4; i++)
		free(cuts[i]);
	/* names that differ in their middle alone ("run-a-1" and "run-b-1" to 5, 4 of text: "ru" and
	 * "-1", "ru…-1" both): a column of the start gives way to the end's third, "r…a-1", "r…b-1" */
	static const char *const mid[] = { "run-a-1", "run-b-1" };
	static const int five[] = { 5, 5 };
	console_cut_apart(mid, five, 2, cuts);
	CHECK_STR(cuts[0] ? cuts[0] : "", "r…a-1");
	CHECK_STR(cuts[1] ? cuts[1] : "", "r…b-1");
	for (int i = 0; i < 2; i++)
		free(cuts[i]);
}

/* Whether trace name is stored in db. */
static int stored(const char *db, const char *name)
{
	struct store st;
	struct store_trace_info info;
	struct err e;
	if (store_open(&st, db, &e) < 0)
		return -1;
	int found = store_find(&st, name, &info, &e);
	store_close(&st);
	return found;
}

/* A load that a signal the console caught stops (the console's :load passes its flag): one
 * caught before the import's own handlers were in place abandons the import as that signal
 * would, its number back and nothing stored; one caught once the trace is read (stored by then)
 * leaves the trace shown as it was, and says the trace is stored. */
static void console_load_stopped(void)
{
	char dir[512], db[600], info[256];
	struct console_model m;
	struct err e;
	volatile sig_atomic_t caught = SIGTERM;
	if (test_tmpdir("console-load-stop", dir, sizeof dir) < 0 ||
	    (snprintf(db, sizeof db, "%s/store.db", dir), console_model_init(&m, db, &e) < 0)) {
		CHECK(0);
		return;
	}
	cli_import_hook.caught = &caught;
	CHECK_INT(console_model_load(&m, "fixtures/traces/docs.jsonl", NULL, &caught, info, sizeof info, &e), SIGTERM);
	CHECK_HAS(e.msg, "terminated: nothing was imported");
	cli_import_hook.caught = NULL;
	CHECK_INT(stored(db, "docs"), 0);
	CHECK(m.trace_name == NULL);
	caught = 0;
	CHECK_INT(console_model_load(&m, "fixtures/traces/docs.jsonl", NULL, &caught, info, sizeof info, &e), 0);
	CHECK_STR(m.trace_name ? m.trace_name : "", "docs");
	/* a Ctrl-C caught while the import (which it no longer reaches) stored docs2 and it was read */
	caught = SIGINT;
	CHECK_INT(console_model_load(&m, "fixtures/traces/docs.jsonl", "docs2", &caught, info, sizeof info, &e), SIGINT);
	CHECK_HAS(e.msg, "docs2: imported 5,000 requests; interrupted: trace docs2 not opened (stored: :load docs2 opens it)");
	CHECK_INT(stored(db, "docs2"), 1);
	CHECK_STR(m.trace_name ? m.trace_name : "", "docs");
	console_model_fini(&m);
	remove(db);
	remove(dir);
}

void suite_console(void)
{
	RUN(console_widths);
	RUN(console_name_cuts);
	RUN(console_page_rows);
	RUN(console_formats);
	RUN(console_deltas);
	RUN(console_matching);
	RUN(console_scrolling);
	RUN(console_split);
	RUN(console_stopped_time);
	RUN(console_finishing);
	RUN(console_load_stopped);
	RUN(console_clipping);
	RUN(console_widest_edges);
	RUN(console_widest_random);
	RUN(console_timeline_undefined_rates);
	RUN(console_tenants_across);
	RUN(console_tenants_columns);
	RUN(console_tenants_sort_once);
	RUN(console_tenants_widths_stand);
	RUN(console_tenants_across_sort_once);
	RUN(console_budget_policy_sort);
	RUN(console_alerts_order);
	RUN(console_timeline_column_sums);
	RUN(console_command_checks);
	RUN(console_view_fields_known);
	RUN(console_paths_not_cut);
	RUN(console_editor_not_cut);
	RUN(console_cmd_null_cloexec);
	RUN(console_run_one);
	RUN(console_titles);
	RUN(console_rerun_keeps_result);
	RUN(console_export_waits);
	RUN(console_export_stopped);
	RUN(console_title_drops);
	RUN(console_cut_titles);
}
