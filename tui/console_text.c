/*
 * Text for the console: UTF-8 width, clipping to a column budget, and the
 * human formats of the text table (`llmcost replay`), so a figure reads the
 * same on the screen as on paper: dollars via traces/report.h, percentages
 * with one decimal, latencies in ms or s, deltas in % or percentage points.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sim/clock.h"
#include "sim/money.h"
#include "traces/report.h"
#include "tui/console.h"

int console_utf8 = 1;

/* The next code point of UTF-8 text at s (advancing *len bytes), or -1 for an invalid byte. */
static long console_text_decode(const unsigned char *s, int *len)
{
	static const unsigned char need[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3 };
	long cp;
	int k;
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	k = s[0] >= 0xf8 ? 0 : need[s[0] >> 4];
	if (k == 0 || (s[0] & 0xe0) == 0x80) {
		*len = 1;
		return -1;
	}
	cp = s[0] & (0x3f >> k);
	for (int i = 1; i <= k; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*len = 1;
			return -1;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*len = k + 1;
	return cp;
}

/* Columns of one code point: 0 for combining marks, 2 for wide ones; 1 when unknown. */
static int console_text_cpwidth(long cp)
{
	if (cp < 0x80)
		return 1;
	if (!console_utf8)
		return 1;
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int console_text_width(const char *s)
{
	int w = 0, len;
	while (*s) {
		long cp = console_text_decode((const unsigned char *)s, &len);
		w += cp < 0 ? 1 : console_text_cpwidth(cp);
		s += len;
	}
	return w;
}

int console_put(WINDOW *w, int y, int x, const char *s, int width, int right, int pad)
{
	char out[1024];
	size_t o = 0;
	int cols = 0, len, total = console_text_width(s), fit = total <= width;
	int budget = fit ? width : width - 1; /* room for the ellipsis */

	if (width <= 0)
		return 0;
	while (*s && o + 8 < sizeof out) {
		long cp = console_text_decode((const unsigned char *)s, &len);
		int cw = cp < 0 ? 1 : console_text_cpwidth(cp);
		if (cols + cw > budget)
			break;
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && !console_utf8)) {
			out[o++] = '?';                   /* control, invalid or unshowable */
		} else {
			memcpy(out + o, s, (size_t)len);
			o += (size_t)len;
		}
		cols += cw;
		s += len;
	}
	if (!fit && budget >= 0) {
		if (console_utf8) {
			memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
			o += 3;
		} else {
			out[o++] = '~';
		}
		cols++;
	}
	out[o] = 0;
	int lead = right && pad ? width - cols : 0;
	wmove(w, y, x);
	for (int i = 0; i < lead; i++)
		waddch(w, ' ');
	waddnstr(w, out, (int)o);
	if (pad)
		for (int i = lead + cols; i < width; i++)
			waddch(w, ' ');
	return pad ? width : cols;
}

const char *console_time_text(int64_t us, int secs, char *buf, size_t n)
{
	char t[CLOCK_TEXT_MAX];
	clock_format(us, t);
	/* "YYYY-MM-DDTHH:MM:SS…Z" → "YYYY-MM-DD HH:MM[:SS]" */
	t[10] = ' ';
	t[secs ? 19 : 16] = 0;
	snprintf(buf, n, "%s", t);
	return buf;
}

