/*
 * Drawing one frame of the console (console_frame): the header (trace, run
 * state, scenarios, view tabs), the view's body, the status line with its
 * message or the key table's hints, the help overlay from the key and command
 * tables, the notes overlay (:notes), the completion popup and the band for a
 * message too wide for the status line.  Only the windows that changed are
 * erased, each staged with wnoutrefresh, one doupdate at the end: nothing
 * flickers.  Its loop: console.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/report.h"
#include "tui/console.h"
#include "tui/console_internal.h"

static void console_draw_header(struct console *c)
{
	WINDOW *w = c->hdr;
	struct console_model *m = c->m;
	char line[1024], a[64], b[64], req[32], ten[32], span[48];
	int cols = getmaxx(w);

	/* line 1: the trace, and the run state on the right */
	wattrset(w, console_attr(ROLE_BAR));
	mvwhline(w, 0, 0, ' ', cols);
	size_t busy = console_model_busy(m);
	char run[128];
	if (busy) {
		static const char spin[] = "|/-\\";
		int k = (int)(console_now() * 8) & 3;
		int percent;
		size_t finishing;
		double seconds = console_model_running_s(m, &percent, &finishing);
		char fin[48] = ""; /* runs past their requests, making their figures: not stuck */
		if (finishing)
			snprintf(fin, sizeof fin, " (%zu finishing)", finishing);
		snprintf(run, sizeof run, "%c running %zu%s  %d%%  %.1f s ", spin[k], busy, fin, percent, seconds);
	} else if (m->last_run_s > 0) {
		snprintf(run, sizeof run, "last run %.2f s ", m->last_run_s);
	} else {
		run[0] = 0;
	}
	int rw = console_text_width(run);
	if (m->trace_name) {
		/* the longest form that fits: with the dates, with the span, without */
		const struct trace_summary *t = &m->summary;
		int len = snprintf(line, sizeof line, " llmcost  trace %s  %s request%s  %s tenant%s", m->trace_name,
		                   report_count_text(t->requests, req, sizeof req), t->requests == 1 ? "" : "s",
		                   report_count_text(t->tenants, ten, sizeof ten), t->tenants == 1 ? "" : "s");
		if (t->requests && len > 0 && (size_t)len < sizeof line) {
			char more[256];
			report_span_text(t->last_us - t->first_us, span, sizeof span);
			snprintf(more, sizeof more, "  span %s (%s to %s)", span,
			         console_time_text(t->first_us, 0, a, sizeof a),
			         console_time_text(t->last_us, 0, b, sizeof b));
			if (console_text_width(line) + console_text_width(more) + rw + 1 > cols)
				snprintf(more, sizeof more, "  span %s", span);
			if (console_text_width(line) + console_text_width(more) + rw + 1 <= cols)
				snprintf(line + len, sizeof line - (size_t)len, "%s", more);
		}
	} else {
		snprintf(line, sizeof line, " llmcost  no trace (:load TRACE)");
	}
	console_put(w, 0, 0, line, cols - rw - 1, 0, 0);
	if (rw < cols)
		console_put(w, 0, cols - rw, run, rw, 0, 0);

	/* line 2: the scenarios by label; the selected one marked */
	wattrset(w, console_attr(ROLE_NORMAL));
	int x = console_put(w, 1, 0, " scenarios:", cols, 0, 0);
	for (size_t i = 0; i < m->n_scen && x < cols - 1; i++) {
		struct console_scen *s = m->scen[i];
		snprintf(line, sizeof line, "%s%s", s->label, s->busy ? "…" : s->error ? "!" : "");
		if (!console_utf8 && s->busy)
			snprintf(line, sizeof line, "%s%s", s->label, "...");
		x += console_put(w, 1, x, " ", cols - x, 0, 0);
		wattrset(w, console_attr(i == c->sel ? ROLE_SELECTED : s->error ? ROLE_WORSE : ROLE_NORMAL));
		x += console_put(w, 1, x, line, cols - x, 0, 0);
		wattrset(w, console_attr(ROLE_NORMAL));
	}
	if (m->n_scen == 0)
		console_put(w, 1, x, " none (:scenario add NAME)", cols - x, 0, 0);

	/* line 3: the view tabs */
	x = 0;
	for (int v = 0; v < N_VIEW && x < cols; v++) {
		snprintf(line, sizeof line, " %d %s ", v + 1, console_views[v]->name);
		wattrset(w, console_attr(v == (int)c->view ? ROLE_TAB_ACTIVE : ROLE_TAB));
		x += console_put(w, 2, x, line, cols - x, 0, 0);
		wattrset(w, console_attr(ROLE_NORMAL));
		if (x < cols)
			x += console_put(w, 2, x, " ", 1, 0, 0);
	}
	wattrset(w, console_attr(ROLE_NORMAL));
}

static void console_draw_status(struct console *c)
{
	WINDOW *w = c->status;
	int cols = getmaxx(w);
	wattrset(w, console_attr(ROLE_NORMAL));
	if (c->prompt) {
		console_cmd_draw(c, w);
		return;
	}
	curs_set(0);
	if (c->msg[0]) {
		wattrset(w, console_attr(c->msg_error ? ROLE_ERROR : ROLE_INFO));
		console_put(w, 0, 0, c->msg + (c->band ? c->band_starts[c->band] : 0), cols, 0, 1); /* after the band */
		wattrset(w, console_attr(ROLE_NORMAL));
		return;
	}
	/* hints from the key table */
	char line[512];
	size_t o = 0;
	line[0] = 0;
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct console_key *k = &console_keys[i];
		if (!k->hint || !(k->views & V(c->view)))
			continue;
		int wr = snprintf(line + o, sizeof line - o, "%s%s", o ? "  " : " ", k->hint);
		if (wr > 0 && (size_t)wr < sizeof line - o)
			o += (size_t)wr;
	}
	wattrset(w, console_attr(ROLE_DIM));
	console_put(w, 0, 0, line, cols, 0, 1);
	wattrset(w, console_attr(ROLE_NORMAL));
}

/* The help text, generated from the key table and the command table. */
static size_t console_help_lines(char lines[][160], size_t max)
{
	size_t n = 0;
	char views[80];
#define HELP_LINE(...) do { if (n < max) snprintf(lines[n++], 160, __VA_ARGS__); } while (0)
	HELP_LINE("keys");
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct console_key *k = &console_keys[i];
		views[0] = 0;
		if (k->views != V_ALL) {
			size_t o = 0;
			for (int v = 0; v < N_VIEW; v++)
				if (k->views & V(v)) {
					int wr = snprintf(views + o, sizeof views - o, "%s%s", o ? ", " : " (",
					                  console_views[v]->name);
					if (wr > 0 && (size_t)wr < sizeof views - o)
						o += (size_t)wr;
				}
			if (o + 2 < sizeof views)
				memcpy(views + o, ")", 2);
		}
		HELP_LINE("  %-11s %s%s", k->label, k->help, views);
	}
	/* the terminal's signal keys, which the console reads as keys (console.c) */
	HELP_LINE("  %-11s %s", "^C", "quit at once, exit 130 (at the : line: cancel the line)");
	HELP_LINE("  %-11s %s", "^\\", "quit at once, exit 131");
	HELP_LINE("  %-11s %s", "^Z", "stop the console as a job (fg gives it its screen again)");
	HELP_LINE(" ");
	HELP_LINE("commands (after :)");
	for (const struct console_command *cmd = console_commands; cmd->name; cmd++) {
		HELP_LINE("  %s %s", cmd->name, cmd->args);
		HELP_LINE("      %s", cmd->help);
	}
#undef HELP_LINE
	return n;
}

/* The help's lines wrapped to `width` columns: a key's description goes on under its column (a
 * command's under its own indent), nothing cut; the number of lines. */
static size_t console_help_wrap(char lines[][160], size_t n, int width, char out[][160], size_t max)
{
	size_t o = 0;
	int keys = 1;
	for (size_t i = 0; i < n && o < max; i++) {
		const char *s = lines[i];
		int indent = (int)strspn(s, " ");
		if (strncmp(s, "commands", 8) == 0)
			keys = 0;
		if (keys && indent == 2)
			indent = 14; /* "  %-11s ": the description's column */
		else if (!keys && indent == 2)
			indent = 4;  /* a command's arguments */
		if (indent > width / 2)
			indent = width / 2;
		size_t at = 0, starts[2];
		for (int first = 1; o < max; first = 0) {
			int w = first ? width : width - indent;
			int k = console_wrap(s + at, w, starts, 2);
			size_t len = k > 1 ? starts[1] : strlen(s + at);
			while (len > 0 && s[at + len - 1] == ' ' && k > 1)
				len--;
			snprintf(out[o++], 160, "%*s%.*s", first ? 0 : indent, "", (int)len, s + at);
			if (k < 2)
				break;
			at += starts[1];
		}
	}
	return o;
}

/* An overlay's box in the middle of the body (the help's, the notes'): width columns, at most
 * height rows, fewer for n lines (at least one), titled; c->help_top, the first line shown, kept
 * in range, and when the lines do not all fit the bottom edge counts those above and below, as
 * Compare's last line counts its rows (the body's own count, under a box the body's height, is
 * covered).  Sets *inner to the rows for lines.  NULL when curses has no room for it. */
static WINDOW *console_overlay(struct console *c, size_t n, int width, int height, const char *title, int *inner)
{
	if (height > (int)n + 2)
		height = (int)n + 2;
	if (height < 3)
		height = 3;
	*inner = height - 2;
	if (c->help_top > (long)n - *inner)
		c->help_top = (long)n - *inner;
	if (c->help_top < 0)
		c->help_top = 0;
	WINDOW *w = newwin(height, width, 3 + (LINES - 4 - height) / 2, (COLS - width) / 2);
	if (!w)
		return NULL;
	wattrset(w, console_attr(ROLE_NORMAL));
	werase(w);
	box(w, 0, 0);
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 2, title, width - 4, 0, 0);
	if ((long)n > *inner) {
		long above = c->help_top, below = (long)n - c->help_top - *inner;
		char where[96];
		snprintf(where, sizeof where, " %ld line%s above, %ld below ", above, above == 1 ? "" : "s", below);
		console_put(w, height - 1, 2, where, width - 4, 0, 0);
	}
	return w;
}

static void console_draw_help(struct console *c)
{
	static char logical[200][160], lines[600][160];
	size_t nl = console_help_lines(logical, 200);
	int width = COLS - 4 < 96 ? COLS - 4 : 96, height = LINES - 4;
	size_t n = console_help_wrap(logical, nl, width - 4, lines, 600);
	if (c->help_top < 0) /* `:help`: open at the commands */
		for (size_t i = 0; i < n; i++)
			if (strncmp(lines[i], "commands", 8) == 0)
				c->help_top = (long)i;
	int inner;
	WINDOW *w = console_overlay(c, n, width, height, " help: q or Esc closes, j/k scroll ", &inner);
	if (!w)
		return;
	for (int i = 0; i < inner && c->help_top + i < (long)n; i++) {
		const char *s = lines[c->help_top + i];
		wattrset(w, console_attr(s[0] != ' ' ? ROLE_TITLE : ROLE_NORMAL));
		console_put(w, 1 + i, 2, s, width - 4, 0, 0);
	}
	wattrset(w, console_attr(ROLE_NORMAL));
	wnoutrefresh(w);
	delwin(w);
}

/* A line of the notes overlay: n bytes of text at s, `indent` columns in, in role. */
struct console_notes_line {
	const char *s;
	size_t n;
	int indent;
	enum console_role role;
};

/* The notes overlay's lines (:notes), wrapped to `width` columns: per note, the handles of the
 * scenarios it is about, then its text; in *out, a new array (the caller's), their number
 * returned (0 when out of memory).  owned gets the strings the lines point into, to free. */
static size_t console_notes_lines(struct console *c, int width, struct console_notes_line **out,
                                  char ***owned, size_t *n_owned)
{
	struct console_model *m = c->m;
	size_t n = 0, cap = 0, no = 0;
	struct console_notes_line *lines = NULL;
	char **keep = calloc(m->n_notes + 1, sizeof *keep);
	*out = NULL;
	*owned = keep;
	*n_owned = 0;
	if (!keep)
		return 0;
#define NOTES_LINE(S, N, IND, ROLE) do { \
		if (n == cap) { \
			struct console_notes_line *g = realloc(lines, (cap = cap * 2 + 16) * sizeof *g); \
			if (!g) { free(lines); return 0; } \
			lines = g; \
		} \
		lines[n++] = (struct console_notes_line){ (S), (N), (IND), (ROLE) }; \
	} while (0)
	for (size_t i = 0; i < m->n_notes; i++) {
		const struct console_note *note = &m->notes[i];
		int about = !c->notes_of;
		for (size_t k = 0; k < note->n_ids && !about; k++)
			about = note->ids[k] == c->notes_of;
		if (!about)
			continue;
		/* the handles, in the columns' order */
		char handles[512];
		size_t o = (size_t)snprintf(handles, sizeof handles, "scenario%s", note->n_ids == 1 ? "" : "s");
		const char *sep = " ";
		for (size_t j = 0; j < m->n_scen; j++)
			for (size_t k = 0; k < note->n_ids; k++)
				if (note->ids[k] == m->scen[j]->id && o < sizeof handles) {
					o += (size_t)snprintf(handles + o, sizeof handles - o, "%s%s", sep, m->scen[j]->label);
					sep = ", ";
				}
		if (n)
			NOTES_LINE("", 0, 0, ROLE_NORMAL);
		if (!(keep[no] = strdup(handles)))
			break;
		NOTES_LINE(keep[no], strlen(keep[no]), 0, ROLE_TITLE);
		*n_owned = ++no;
		const char *t = note->text;
		size_t len = strlen(t), *starts = malloc((len + 2) * sizeof *starts);
		if (!starts)
			break;
		int k = console_wrap(t, width - 2, starts, (int)len + 1);
		starts[k] = len;
		for (int j = 0; j < k; j++) {
			size_t a = starts[j], b = starts[j + 1];
			while (b > a && t[b - 1] == ' ')
				b--;
			NOTES_LINE(t + a, b - a, 2, ROLE_NORMAL);
		}
		free(starts);
	}
#undef NOTES_LINE
	*out = lines;
	return n;
}

/* The notes overlay (:notes), as the help's: a box in the middle, j/k scroll, q or Esc close. */
static void console_draw_notes(struct console *c)
{
	int width = COLS - 4 < 96 ? COLS - 4 : 96;
	struct console_notes_line *lines;
	char **owned;
	size_t n_owned, n = console_notes_lines(c, width - 4, &lines, &owned, &n_owned);
	int inner;
	WINDOW *w = console_overlay(c, n, width, LINES - 4, " notes: q or Esc closes, j/k scroll ", &inner);
	if (w) {
		for (int i = 0; i < inner && c->help_top + i < (long)n; i++) {
			const struct console_notes_line *l = &lines[c->help_top + i];
			char *text = strndup(l->s, l->n);
			wattrset(w, console_attr(l->role));
			if (text)
				console_put(w, 1 + i, 2 + l->indent, text, width - 4 - l->indent, 0, 0);
			free(text);
		}
		wattrset(w, console_attr(ROLE_NORMAL));
		wnoutrefresh(w);
		delwin(w);
	}
	for (size_t i = 0; i < n_owned; i++)
		free(owned[i]);
	free(owned);
	free(lines);
}

/* The completion candidates readline found, in columns above the status line. */
static void console_draw_matches(struct console *c)
{
	size_t n = 0, wmax = 1;
	for (char **p = c->matches; *p; p++, n++) {
		size_t len = (size_t)console_text_width(*p);
		if (len > wmax)
			wmax = len;
	}
	int colw = (int)wmax + 2, ncol = (COLS - 2) / colw;
	if (ncol < 1)
		ncol = 1;
	int nrow = (int)((n + (size_t)ncol - 1) / (size_t)ncol), maxrow = LINES - 6;
	if (nrow > maxrow)
		nrow = maxrow;
	if (nrow < 1)
		return;
	WINDOW *w = newwin(nrow, COLS, LINES - 1 - nrow, 0);
	if (!w)
		return;
	wattrset(w, console_attr(ROLE_CURSOR));
	werase(w);
	size_t cells = (size_t)nrow * (size_t)ncol; /* more than fit: the last cell says so */
	for (int r = 0; r < nrow; r++) {
		mvwhline(w, r, 0, ' ', COLS);
		for (int k = 0; k < ncol; k++) {
			size_t i = (size_t)k * (size_t)nrow + (size_t)r;
			char more[48];
			if (n > cells && i == cells - 1) {
				snprintf(more, sizeof more, "… %zu more: type on", n - i);
				console_put(w, r, 1 + k * colw, more, COLS - 1 - k * colw, 0, 0);
			} else if (i < n) {
				console_put(w, r, 1 + k * colw, c->matches[i], colw - 1, 0, 0);
			}
		}
	}
	wnoutrefresh(w);
	delwin(w);
}

/* The rows of the band above the status line that shows a message too wide for it (all but
 * its last line, which the status line shows; the lines' starts in starts), 0 when it fits
 * or the line editor is open. */
static int console_band_rows(const struct console *c, size_t starts[CONSOLE_BAND_MAX + 1])
{
	if (c->prompt || !c->msg[0] || console_text_width(c->msg) <= COLS)
		return 0;
	int room = LINES - 6 < CONSOLE_BAND_MAX ? LINES - 6 : CONSOLE_BAND_MAX;
	return room < 1 ? 0 : console_wrap(c->msg, COLS, starts, room + 1) - 1;
}

int console_message_fits(const char *msg)
{
	size_t starts[CONSOLE_BAND_MAX + 2];
	int room = LINES - 6 < CONSOLE_BAND_MAX ? LINES - 6 : CONSOLE_BAND_MAX;
	if (room < 0)
		room = 0;
	if (strlen(msg) >= sizeof ((struct console *)0)->msg)
		return 0;
	if (console_text_width(msg) <= COLS)
		return 1;
	return console_wrap(msg, COLS, starts, room + 2) <= room + 1;
}

static void console_draw_band(struct console *c)
{
	WINDOW *w = newwin(c->band, COLS, LINES - 1 - c->band, 0);
	if (!w)
		return;
	wattrset(w, console_attr(c->msg_error ? ROLE_ERROR : ROLE_INFO));
	werase(w);
	for (int i = 0; i < c->band; i++) {
		char line[sizeof c->msg];
		const size_t *at = c->band_starts;
		snprintf(line, sizeof line, "%.*s", (int)(at[i + 1] - at[i]), c->msg + at[i]);
		console_put(w, i, 0, line, COLS, 0, 1);
	}
	wnoutrefresh(w);
	delwin(w);
}

void console_too_small(const char *who)
{
	console_too_small_said(who, NULL, "q quits");
}

void console_too_small_said(const char *who, const char *first, const char *keys)
{
	char note[sizeof ((struct console *)0)->msg + 256], line[sizeof note];
	size_t starts[9];
	werase(stdscr);
	/* what the key did first (q's question about edits not saved), then the size needed,
	 * wrapped to the width, in the middle */
	snprintf(note, sizeof note, "%s%sterminal too small: %s needs %dx%d, this one is %dx%d; %s",
	         first ? first : "", first ? "; " : "", who, CONSOLE_MIN_COLS, CONSOLE_MIN_LINES, COLS,
	         LINES, keys);
	int n = console_wrap(note, COLS, starts, LINES < 8 ? LINES : 8);
	starts[n] = strlen(note);
	for (int i = 0; i < n; i++) {
		snprintf(line, sizeof line, "%.*s", (int)(starts[i + 1] - starts[i]), note + starts[i]);
		console_put(stdscr, (LINES - n) / 2 + i, 0, line, COLS, 0, 0);
	}
	wnoutrefresh(stdscr);
}

void console_frame(struct console *c)
{
	if (c->too_small) {
		console_too_small_said("the console", c->quit_asked ? c->msg : NULL,
		                       c->prompt ? "the : line stays open (Esc closes it, then q quits)" : "q quits");
		doupdate();
		c->dirty_hdr = c->dirty_body = c->dirty_status = 0;
		return;
	}
	/* a message too wide for the status line: a band above it, over the body, which is drawn
	 * again when the band changes or goes */
	int band = console_band_rows(c, c->band_starts);
	if ((band || c->band) && (band != c->band || strcmp(c->msg, c->band_msg) != 0))
		c->dirty_body = 1;
	c->band = band;
	snprintf(c->band_msg, sizeof c->band_msg, "%s", band ? c->msg : "");
	if (c->dirty_hdr || console_model_busy(c->m)) {
		werase(c->hdr);
		console_draw_header(c);
		wnoutrefresh(c->hdr);
	}
	if (c->dirty_body) {
		int rows, cols;
		getmaxyx(c->body, rows, cols);
		werase(c->body);
		console_views[c->view]->draw(c, c->body, rows, cols);
		wnoutrefresh(c->body);
	}
	if (c->help == CONSOLE_HELP_NOTES)
		console_draw_notes(c);
	else if (c->help)
		console_draw_help(c);
	if (c->matches)
		console_draw_matches(c);
	if (c->band)
		console_draw_band(c);
	werase(c->status);
	console_draw_status(c);
	wnoutrefresh(c->status); /* last: the cursor stays where the status line left it */
	doupdate();
	c->dirty_hdr = c->dirty_body = c->dirty_status = 0;
}
