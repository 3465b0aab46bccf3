/*
 * Text for the console: UTF-8 width, clipping to a column budget, and the
 * widest figure of a column found from its extreme values.  Figures and their
 * deltas are written by traces/report.h (report_human_text, report_delta_text),
 * so a figure reads the same on the screen as in the text table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/money.h"
#include "traces/report.h"
#include "traces/text.h"
#include "tui/console.h"

int console_utf8 = 1;

/* Columns of one code point (-1: a byte that is not UTF-8) as console_put shows it: a control
 * character, a bidirectional override or a byte that is not UTF-8 as traces/text.h escapes it
 * (\u0009 6 columns, \xff 4), others as traces/text.h counts them, one each on a terminal that
 * is not UTF-8 (where the console shows them as ?). */
static int console_text_cpwidth(long cp)
{
	return cp < 0 ? 4 : text_escaped(cp) ? 6 : !console_utf8 ? 1 : text_cp_width(cp);
}

int console_text_width(const char *s)
{
	int w = 0, len;
	while (*s) {
		long cp = text_decode((const unsigned char *)s, &len);
		w += console_text_cpwidth(cp);
		s += len;
	}
	return w;
}

/* Bytes of a code point in UTF-8 (a byte that is not UTF-8: 1), as text_cut_middle's columns. */
static int console_cp_bytes(long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

void console_copy(char *dst, size_t n, const char *src)
{
	if (n == 0)
		return;
	if (strlen(src) < n) {
		memcpy(dst, src, strlen(src) + 1);
		return;
	}
	char *cut = text_cut_middle(src, n - 1, "\xe2\x80\xa6", console_cp_bytes);
	if (cut) {
		memcpy(dst, cut, strlen(cut) + 1); /* n - 1 bytes at most: its columns were bytes */
		free(cut);
		return;
	}
	size_t k = n - 1; /* out of memory: the start, at a character's start */
	while (k > 0 && ((unsigned char)src[k] & 0xc0) == 0x80)
		k--;
	memcpy(dst, src, k);
	dst[k] = 0;
}

int console_put(WINDOW *w, int y, int x, const char *s, int width, int right, int pad)
{
	char out[1024];
	size_t o = 0;
	int cols = 0, len, total = console_text_width(s), fit = total <= width;
	int budget = fit ? width : width - 1; /* room for the ellipsis */

	if (width <= 0)
		return 0;
	/* room for the longest piece (an escape, \u202e, and snprintf's NUL: 8), then the cut
	 * mark's 3 bytes and the NUL */
	while (*s && o + 8 + 3 < sizeof out) {
		long cp = text_decode((const unsigned char *)s, &len);
		int cw = console_text_cpwidth(cp);
		if (cols + cw > budget)
			break;
		if (cp < 0 || text_escaped(cp)) { /* as traces/text.h escapes it */
			o += (size_t)snprintf(out + o, 8, cp < 0 ? "\\x%02lx" : "\\u%04lx",
			                      cp < 0 ? (long)(unsigned char)*s : cp);
		} else if (cp >= 0x80 && !console_utf8) {
			out[o++] = '?'; /* not shown by the terminal */
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

char *console_cut_name(const char *name, int width)
{
	return text_cut_middle(name, width > 0 ? (size_t)width : 0, console_utf8 ? "\xe2\x80\xa6" : "...",
	                       console_text_cpwidth);
}

int console_put_name(WINDOW *w, int y, int x, const char *name, int width, int right, int pad)
{
	char *cut = width > 0 ? console_cut_name(name, width) : NULL;
	int n = console_put(w, y, x, cut ? cut : name, width, right, pad);
	free(cut);
	return n;
}

/* 1 when cut k reads as another's, j's, whose name differs */
static int console_cut_same(const char *const *names, char *const *cuts, size_t n, size_t k)
{
	for (size_t j = 0; j < n; j++)
		if (j != k && cuts[j] && cuts[k] && strcmp(cuts[j], cuts[k]) == 0 && strcmp(names[j], names[k]) != 0)
			return 1;
	return 0;
}

void console_cut_apart(const char *const *names, const int *widths, size_t n, char **cuts)
{
	for (size_t k = 0; k < n; k++)
		cuts[k] = console_cut_name(names[k], widths[k]);
	int mark_w = console_utf8 ? 1 : 3;
	for (size_t k = 0; k < n; k++) {
		if (!console_cut_same(names, cuts, n, k))
			continue;
		/* the cuts that read as k's: each a column shorter at its start, and more, until all of
		 * them read apart from each other and from the rest, or a start would be empty */
		char *was[64] = { 0 };
		int in[64] = { 0 };
		size_t m = n < 64 ? n : 64;
		for (size_t j = 0; j < m; j++)
			in[j] = j == k || (cuts[j] && cuts[k] && strcmp(cuts[j], cuts[k]) == 0);
		for (int d = 1;; d++) {
			int ok = 1, past = 0;
			for (size_t j = 0; j < m; j++) {
				if (!in[j])
					continue;
				int budget = widths[j] - mark_w, head = budget - budget / 2 - d;
				if (head < 0) {
					past = 1;
					break;
				}
				if (!was[j])
					was[j] = cuts[j];
				else
					free(cuts[j]);
				cuts[j] = text_cut_shifted(names[j], (size_t)widths[j], (size_t)d,
				                           console_utf8 ? "\xe2\x80\xa6" : "...", console_text_cpwidth);
			}
			for (size_t j = 0; j < m && !past; j++)
				ok &= !in[j] || !console_cut_same(names, cuts, n, j);
			if (past || ok) {
				for (size_t j = 0; j < m; j++) {
					if (!was[j])
						continue;
					if (past || !ok) { /* no cut tells them apart: the middle ones, as before */
						free(cuts[j]);
						cuts[j] = was[j];
					} else {
						free(was[j]);
					}
				}
				break;
			}
		}
	}
}

/* colw[0..n) for console_scen_fit with every title at most title_cap columns */
static void console_scen_widths(const int *need, const int *title_w, size_t n, int room, int gap, int title_cap,
                                int *colw)
{
	for (size_t k = 0; k < n; k++) {
		int cap = k == 0 ? (n > 1 ? (room - gap) / 2 : room) : room - gap - colw[0];
		if (title_cap < cap)
			cap = title_cap;
		int t = title_w[k] < cap ? title_w[k] : cap;
		colw[k] = need[k] > t ? need[k] : t;
	}
}

void console_scen_fit(const int *need, const int *title_w, size_t n, int room, int gap,
                      int (*same)(void *ctx, const int *colw), void *ctx, int *colw)
{
	int cap = 0, hi = 0;
	for (size_t k = 0; k < n; k++)
		if (title_w[k] > hi)
			hi = title_w[k];
	console_scen_widths(need, title_w, n, room, gap, 0, colw);
	same(ctx, colw); /* notes which columns show with every title cut to its figures */
	while (cap < hi) { /* the widest titles that keep those same columns in view: by halving */
		int mid = cap + (hi - cap + 1) / 2;
		console_scen_widths(need, title_w, n, room, gap, mid, colw);
		if (same(ctx, colw))
			cap = mid;
		else
			hi = mid - 1;
	}
	console_scen_widths(need, title_w, n, room, gap, cap, colw);
}

void console_put_title(WINDOW *w, const char *const *titles, int n_titles, const char *keep, int n_hidden,
                       int width)
{
	char hidden[3][64] = { "", "", "" }; /* "; N columns hidden (widen)", without "(widen)", none */
	if (n_hidden > 0) {
		snprintf(hidden[0], sizeof hidden[0], "; %d column%s hidden (widen)", n_hidden, n_hidden == 1 ? "" : "s");
		snprintf(hidden[1], sizeof hidden[1], "; %d column%s hidden", n_hidden, n_hidden == 1 ? "" : "s");
	}
	if (!keep)
		keep = "";
	int keep_w = console_text_width(keep);
	/* what goes first: the sort order (titles[0] to [1]), then "(widen)", then the sort key (to
	 * the last title, "(widen)" back if it then fits), then the count of hidden columns; keep
	 * stays */
	const char *title = titles[n_titles - 1], *hid = hidden[2];
	int found = 0;
	for (int i = 0; i < n_titles && !found; i++)
		for (int h = 0; h < 3 && !found; h++) {
			if ((h > 0 && i < n_titles - 2) || (h == 2 && i < n_titles - 1))
				continue; /* "(widen)" goes before the key, the count after it */
			if (console_text_width(titles[i]) + keep_w + console_text_width(hidden[h]) <= width)
				title = titles[i], hid = hidden[h], found = 1;
		}
	int room = width - keep_w - console_text_width(hid), title_w = 0;
	char *cut = NULL;
	if (!found && room > 0) {
		/* the last title, cut: a name's middle before its counts (from the last ": "), never a
		 * number, while the counts fit */
		const char *colon = strrchr(title, ':');
		int tail_w = colon ? console_text_width(colon) : 0;
		if (colon && room - tail_w >= 4) {
			char *head = strndup(title, (size_t)(colon - title));
			char *shown = head ? console_cut_name(head, room - tail_w) : NULL;
			size_t len = shown ? strlen(shown) : 0;
			if (shown && (cut = malloc(len + strlen(colon) + 1)))
				memcpy(cut, shown, len), strcpy(cut + len, colon);
			free(head);
			free(shown);
		}
	}
	wattrset(w, console_attr(ROLE_TITLE));
	if (room > 0)
		title_w = console_put(w, 0, 0, cut ? cut : title, room, 0, 0);
	free(cut);
	if (title_w < width)
		title_w += console_put(w, 0, title_w, keep, width - title_w, 0, 0);
	if (title_w < width)
		console_put(w, 0, title_w, hid, width - title_w, 0, 1);
}

int console_wrap(const char *s, int width, size_t *starts, int max)
{
	int n = 0, len;
	size_t at = 0;
	while (n < max) {
		while (s[at] == ' ' && n > 0)
			at++; /* a line does not start with the blank it broke at */
		starts[n++] = at;
		int cols = 0, blank_cols = 0;
		size_t end = at, blank = 0;
		while (s[end]) {
			int cw = console_text_cpwidth(text_decode((const unsigned char *)s + end, &len));
			if (cols + cw > width)
				break;
			if (s[end] == ' ')
				blank = end, blank_cols = cols;
			cols += cw;
			end += (size_t)len;
		}
		if (!s[end])
			break;
		at = blank_cols > width / 2 ? blank : end; /* a blank in the line's second half */
	}
	return n;
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


/* ---- the widest figure of a column ---- */

void console_widest_init(struct console_widest *w, enum report_field_kind kind)
{
	memset(w, 0, sizeof *w);
	w->kind = kind;
}

/*
 * Why these extremes suffice: a count widens with its value; a ratio's
 * "%.1f%%" with its distance from 0 on either side; dollars from $1 up widen
 * with the value and below $1 (four significant digits) with the number of
 * leading zeros, so with the smallest positive value (and mirrored for
 * negatives); a latency below 1 s widens with the value, and from 1 s on again.
 */
void console_widest_add(struct console_widest *w, const struct report_value *v)
{
	if (v->null) {
		w->null = 1;
		return;
	}
	if (w->kind == REPORT_FK_RATIO) {
		if (!w->any || v->ratio > w->rmax)
			w->rmax = v->ratio;
		if (!w->any || v->ratio < w->rmin)
			w->rmin = v->ratio;
		w->any = 1;
		return;
	}
	money_sum x = v->x;
	if (!w->any || x > w->max)
		w->max = x;
	if (!w->any || x < w->min)
		w->min = x;
	w->any = 1;
	if (x == 0)
		w->zero = 1;
	if (x > 0 && (!w->has_pos || x < w->min_pos)) {
		w->min_pos = x;
		w->has_pos = 1;
	}
	if (x < 0 && (!w->has_neg || x > w->max_neg)) {
		w->max_neg = x;
		w->has_neg = 1;
	}
	if (x >= 0 && x < 1000000 && (!w->has_below_s || x > w->max_below_s)) {
		w->max_below_s = x;
		w->has_below_s = 1;
	}
}

/*
 * A delta's text is its sign and its magnitude (tenths of a percent, or
 * points), written wider as the magnitude grows; the pair with the largest
 * magnitude each way is kept.
 */
void console_widest_add_delta(struct console_widest *w, const struct report_value *ref,
                              const struct report_value *v)
{
	if (ref->null || v->null)
		return;
	if (w->kind == REPORT_FK_RATIO) {
		double d = (v->ratio - ref->ratio) * 100.0; /* as report_delta_points computes it */
		if (!w->any_delta || d > w->dmax) {
			w->dmax = d;
			w->dref[0] = *ref;
			w->dv[0] = *v;
		}
		if (!w->any_delta || d < w->dmin) {
			w->dmin = d;
			w->dref[1] = *ref;
			w->dv[1] = *v;
		}
		w->any_delta = 1;
		return;
	}
	money_sum diff = v->x - ref->x, mag;
	if (ref->x == 0)
		return; /* no delta is written */
	if (money_muldiv(diff < 0 ? -diff : diff, 1000, ref->x < 0 ? -ref->x : ref->x, &mag) < 0)
		return;
	if (!w->any_delta || mag > w->dmag) {
		w->dmag = mag;
		w->dref[0] = *ref;
		w->dv[0] = *v;
		w->any_delta = 1;
	}
}

int console_widest_width(const struct console_widest *w)
{
	char buf[REPORT_TEXT_MAX];
	struct report_value cand[6];
	int n = 0, best = 0;
	if (w->null)
		best = 1; /* "-" */
	if (!w->any)
		return best;
	if (w->kind == REPORT_FK_RATIO) {
		cand[n++] = (struct report_value){ .kind = w->kind, .ratio = w->rmax };
		cand[n++] = (struct report_value){ .kind = w->kind, .ratio = w->rmin };
	} else {
		cand[n++] = (struct report_value){ .kind = w->kind, .x = w->max };
		cand[n++] = (struct report_value){ .kind = w->kind, .x = w->min };
		if (w->zero)
			cand[n++] = (struct report_value){ .kind = w->kind };
		if (w->has_pos)
			cand[n++] = (struct report_value){ .kind = w->kind, .x = w->min_pos };
		if (w->has_neg)
			cand[n++] = (struct report_value){ .kind = w->kind, .x = w->max_neg };
		if (w->has_below_s)
			cand[n++] = (struct report_value){ .kind = w->kind, .x = w->max_below_s };
	}
	for (int i = 0; i < n; i++) {
		int cw = console_text_width(report_human_text(&cand[i], buf, sizeof buf));
		if (cw > best)
			best = cw;
	}
	return best;
}

int console_widest_delta_width(const struct console_widest *w)
{
	char buf[REPORT_TEXT_MAX];
	int best = 0, sign;
	if (!w->any_delta)
		return 0;
	for (int i = 0; i < (w->kind == REPORT_FK_RATIO ? 2 : 1); i++) {
		int cw = console_text_width(report_delta_text(&w->dref[i], &w->dv[i], buf, sizeof buf, &sign));
		if (cw > best)
			best = cw;
	}
	return best;
}
