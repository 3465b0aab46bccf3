/*
 * The console's screen: terminal setup and restore on every exit path, the
 * frame loop (input, finished replay jobs, redraws), one layout() from
 * LINES × COLS, the header, the status line, the help overlay, and the key
 * table that drives both dispatch and that help.  A frame erases only the
 * windows that changed, stages each with wnoutrefresh and ends in one
 * doupdate, so nothing flickers.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wctype.h>

#include "traces/report.h"
#include "traces/text.h"
#include "tui/console.h"

/* A bracketed paste's start and end (ESC[200~, ESC[201~), as the terminal sends them once the
 * console asks for them (ESC[?2004h, undone by ESC[?2004l on every way out). */
#define CONSOLE_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define CONSOLE_KEY_PASTE_END (KEY_MAX + 2)
#define CONSOLE_PASTE_ON "\033[?2004h"
#define CONSOLE_PASTE_OFF "\033[?2004l"

/* ---- signals and the terminal's last resort ---- */

static volatile sig_atomic_t console_stop;   /* SIGINT, SIGTERM, SIGHUP */
static int console_active;                   /* curses owns the terminal */
static struct termios console_tio;           /* the terminal before curses */
static int console_have_tio;
static char console_reset[256];              /* terminfo: leave the alternate screen, … */
static size_t console_reset_len;

static void console_on_stop(int sig)
{
	console_stop = sig;
}

/* A crash: put the terminal back with async-signal-safe calls, then die of the same signal. */
static void console_on_crash(int sig)
{
	if (console_active) {
		if (console_reset_len && write(STDOUT_FILENO, console_reset, console_reset_len) < 0)
			console_reset_len = 0;
		if (console_have_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &console_tio);
	}
	raise(sig); /* SA_RESETHAND: the default action now */
}

/* Asks the terminal for bracketed pastes, or to stop (curses does not: written at once). */
static void console_paste_mode(int on)
{
	const char *s = on ? CONSOLE_PASTE_ON : CONSOLE_PASTE_OFF;
	fflush(stdout);
	if (write(STDOUT_FILENO, s, strlen(s)) < 0)
		return; /* a terminal that is gone wants no mode */
}

static void console_atexit(void)
{
	if (console_active && !isendwin()) {
		console_paste_mode(0);
		endwin();
	}
	console_active = 0;
}

/* The fatal path: curses cannot go on (no memory for a window).  The terminal first. */
static void console_fatal(const char *what)
{
	console_atexit();
	fprintf(stderr, "llmcost: %s\n", what);
	exit(1);
}

/* The terminfo strings that undo what curses set up, for the crash handler. */
static void console_reset_prepare(void)
{
	static const char *const caps[] = { "sgr0", "cnorm", "rmkx", "rmcup" };
	memcpy(console_reset, CONSOLE_PASTE_OFF, strlen(CONSOLE_PASTE_OFF));
	console_reset_len = strlen(CONSOLE_PASTE_OFF);
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		char *s = tigetstr(caps[i]);
		size_t len;
		if (!s || s == (char *)-1)
			continue;
		len = strlen(s);
		if (console_reset_len + len + 2 >= sizeof console_reset)
			break;
		memcpy(console_reset + console_reset_len, s, len);
		console_reset_len += len;
	}
	console_reset[console_reset_len++] = '\r';
	console_reset[console_reset_len++] = '\n';
}

/* ---- palette ---- */

struct console_palette {
	short fg, bg;
	attr_t color_attr;   /* with colours */
	attr_t mono;         /* monochrome: !has_colors(), NO_COLOR, --no-color */
};

static const struct console_palette console_palette[N_ROLE] = {
	[ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_BAR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_TAB] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_TAB_ACTIVE] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_TITLE] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[ROLE_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_SELECTED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_BETTER] = { COLOR_GREEN, -1, A_NORMAL, A_BOLD },
	[ROLE_WORSE] = { COLOR_RED, -1, A_NORMAL, A_UNDERLINE },
	[ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
	[ROLE_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_INFO] = { COLOR_GREEN, -1, A_NORMAL, A_BOLD },
	[ROLE_ALERT] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_SPARK] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[ROLE_MATCH] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
};

static attr_t console_attrs[N_ROLE];

attr_t console_attr(enum console_role r)
{
	return console_attrs[r];
}

static void console_palette_init(int colors)
{
	for (int r = 0; r < N_ROLE; r++)
		console_attrs[r] = console_palette[r].mono;
	if (!colors)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < N_ROLE; r++) {
		const struct console_palette *p = &console_palette[r];
		if (p->fg == -1 && p->bg == -1) {
			console_attrs[r] = p->color_attr;
			continue;
		}
		if (init_pair((short)(r + 1), p->fg, p->bg) == ERR) {
			console_attrs[r] = p->mono;
			continue;
		}
		console_attrs[r] = COLOR_PAIR(r + 1) | p->color_attr;
	}
}

/* ---- small shared helpers ---- */

static void console_vmessage(struct console *c, int error, int runs, const char *fmt, va_list ap)
{
	vsnprintf(c->msg, sizeof c->msg, fmt, ap);
	for (char *p = c->msg; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	c->msg_error = error;
	c->msg_run = runs;
	c->dirty_status = 1;
}

void console_message(struct console *c, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vmessage(c, error, 0, fmt, ap);
	va_end(ap);
}

void console_message_runs(struct console *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vmessage(c, 0, 1, fmt, ap);
	va_end(ap);
}

/* After results came: a failed run's reason replaces any message but an error, and a message
 * that announced runs ("x = 5; re-running", "re-running 2 scenarios") loses that part once
 * none is left running. */
static void console_say_runs(struct console *c)
{
	struct console_model *m = c->m;
	const char *failed = NULL;
	for (size_t i = 0; i < m->n_scen; i++)
		if (m->scen[i]->error_new) {
			if (!failed)
				failed = m->scen[i]->error;
			m->scen[i]->error_new = 0;
		}
	if (failed && !(c->msg[0] && c->msg_error))
		console_message(c, 1, "%s", failed);
	else if (!failed && c->msg_run && !console_model_busy(m)) {
		char *last = NULL;
		for (char *p = strstr(c->msg, "; "); p; p = strstr(p + 1, "; "))
			last = p;
		*(last ? last : c->msg) = 0;
		c->msg_run = 0;
		c->dirty_status = 1;
	}
}

struct console_scen *console_selected(struct console *c)
{
	if (c->m->n_scen == 0)
		return NULL;
	if (c->sel >= c->m->n_scen)
		c->sel = c->m->n_scen - 1;
	return c->m->scen[c->sel];
}

void console_dirty(struct console *c)
{
	c->dirty_hdr = c->dirty_body = c->dirty_status = 1;
}

void console_list_fix(struct console_list *l, long n, int rows)
{
	if (rows < 1)
		rows = 1;
	if (l->cur >= n)
		l->cur = n - 1;
	if (l->cur < 0)
		l->cur = 0;
	if (l->top > l->cur)
		l->top = l->cur;
	if (l->cur >= l->top + rows)
		l->top = l->cur - rows + 1;
	if (l->top > n - rows)
		l->top = n - rows;
	if (l->top < 0)
		l->top = 0;
}

int console_view_list_rows(int rows)
{
	return rows > 2 ? rows - 2 : 1;
}

/* The code point at s (its length in *len) folded to lower case by Unicode's simple mapping
 * (C.UTF-8's, whatever the console's locale); a byte that begins no valid sequence stays itself,
 * as a negative number. */
static long console_fold(const char *s, int *len)
{
	static locale_t utf8;
	static int tried;
	long cp = text_decode((const unsigned char *)s, len);
	if (cp < 0)
		return -1 - (long)(unsigned char)*s;
	if (cp < 128)
		return cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp;
	if (!tried) {
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		tried = 1;
	}
	return utf8 ? (long)towlower_l((wint_t)cp, utf8) : (long)towlower((wint_t)cp);
}

int console_view_match(const char *name, const char *filter)
{
	if (!*filter)
		return 1;
	for (const char *p = name; *p;) {
		const char *a = p, *b = filter;
		int la, lb;
		while (*a && *b && console_fold(a, &la) == console_fold(b, &lb))
			a += la, b += lb;
		if (!*b)
			return 1;
		console_fold(p, &la);
		p += la;
	}
	return 0;
}

static const struct console_view_ops *const console_views[N_VIEW] = {
	[VIEW_COMPARE] = &console_view_compare, [VIEW_TENANTS] = &console_view_tenants,
	[VIEW_TIMELINE] = &console_view_timeline, [VIEW_BUDGET] = &console_view_budget,
	[VIEW_ALERTS] = &console_view_alerts,
};

/* ---- layout ---- */

static void console_layout(struct console *c)
{
	if (c->hdr)
		delwin(c->hdr);
	if (c->body)
		delwin(c->body);
	if (c->status)
		delwin(c->status);
	c->hdr = c->body = c->status = NULL;
	c->too_small = COLS < CONSOLE_MIN_COLS || LINES < CONSOLE_MIN_LINES;
	if (!c->too_small) {
		c->hdr = newwin(3, COLS, 0, 0);
		c->body = newwin(LINES - 4, COLS, 3, 0);
		c->status = newwin(1, COLS, LINES - 1, 0);
		if (!c->hdr || !c->body || !c->status)
			console_fatal("out of memory for the console's windows");
	}
	werase(stdscr);
	wnoutrefresh(stdscr);
	console_dirty(c);
}

/* ---- the key table ---- */

#define V(x) (1u << (x))
#define V_ALL (V(VIEW_COMPARE) | V(VIEW_TENANTS) | V(VIEW_TIMELINE) | V(VIEW_BUDGET) | V(VIEW_ALERTS))
#define V_LISTS (V(VIEW_TENANTS) | V(VIEW_BUDGET) | V(VIEW_ALERTS))
#define V_SCEN (V(VIEW_COMPARE) | V(VIEW_TENANTS) | V(VIEW_BUDGET))

struct console_key {
	int keys[3];            /* curses key codes; 0 ends the list */
	const char *label;      /* how the help names them */
	unsigned views;         /* where the binding applies */
	void (*action)(struct console *c, int arg);
	int arg;
	const char *help;
	const char *hint;       /* shown on the status line, or NULL */
};

static long console_rows_of(struct console *c)
{
	const struct console_view_ops *ops = console_views[c->view];
	return ops->n_rows ? ops->n_rows(c) : 0;
}

static int console_page(struct console *c)
{
	int rows = c->body ? getmaxy(c->body) : 1;
	return console_view_list_rows(rows);
}

static void console_act_quit(struct console *c, int arg)
{
	(void)arg;
	if (c->help) {
		c->help = 0;
		c->dirty_body = 1;
		return;
	}
	/* edits not saved: said once, with their scenarios; q again (or :quit) leaves */
	char names[256] = "";
	size_t n = 0, len = 0;
	for (size_t k = 0; k < c->m->n_scen; k++) {
		const struct console_scen *s = c->m->scen[k];
		if (!s->unsaved)
			continue;
		if (len < sizeof names)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", n ? ", " : "", s->label);
		n++;
	}
	if (n && !c->quit_asked) {
		c->quit_asked = 1;
		console_message(c, 1, "%zu scenario%s with edits not saved (%s): save SCENARIO FILE keeps one; "
		                "q again quits", n, n == 1 ? "" : "s", names);
		return;
	}
	c->quit = 1;
}

static void console_act_help(struct console *c, int arg)
{
	(void)arg;
	c->help = !c->help;
	c->help_top = 0;
	c->dirty_body = 1;
}

static void console_act_view(struct console *c, int arg)
{
	c->view = (enum console_view)(((int)c->view + arg + N_VIEW) % N_VIEW);
	console_dirty(c);
}

static void console_act_goto(struct console *c, int arg)
{
	c->view = (enum console_view)arg;
	console_dirty(c);
}

static void console_act_command(struct console *c, int arg)
{
	(void)arg;
	console_cmd_open(c, ':');
}

static void console_act_filter(struct console *c, int arg)
{
	(void)arg;
	console_cmd_open(c, '/');
}

static void console_act_move(struct console *c, int arg)
{
	if (c->help) {
		c->help_top += arg;
		if (c->help_top < 0)
			c->help_top = 0;
		return;
	}
	struct console_list *l = &c->vs[c->view].list;
	long n = console_rows_of(c);
	l->cur += arg;
	if (l->cur >= n)
		l->cur = n - 1;
	if (l->cur < 0)
		l->cur = 0;
	c->dirty_body = 1;
}

static void console_act_page(struct console *c, int arg)
{
	if (c->help) {
		c->help_top += arg * (LINES > 6 ? LINES - 6 : 1);
		if (c->help_top < 0)
			c->help_top = 0;
		return;
	}
	struct console_list *l = &c->vs[c->view].list;
	int page = console_page(c);
	l->top += arg * page;
	if (l->top < 0)
		l->top = 0;
	console_act_move(c, arg * page);
}

static void console_act_edge(struct console *c, int arg)
{
	if (c->help) {
		c->help_top = arg ? 100000 : 0;
		return;
	}
	struct console_list *l = &c->vs[c->view].list;
	l->cur = arg ? console_rows_of(c) - 1 : 0;
	if (l->cur < 0)
		l->cur = 0;
	c->dirty_body = 1;
}

static void console_act_match(struct console *c, int arg)
{
	struct console_viewstate *v = &c->vs[c->view];
	long n = console_rows_of(c);
	if (!v->filter[0]) {
		console_message(c, 0, "no filter: / sets one");
		return;
	}
	if (n == 0) {
		console_message(c, 1, "no row matches \"%s\"", v->filter);
		return;
	}
	v->list.cur = ((v->list.cur + arg) % n + n) % n; /* the rows shown are the matches */
	c->dirty_body = 1;
}

static void console_act_sort(struct console *c, int arg)
{
	struct console_viewstate *v = &c->vs[c->view];
	const struct console_view_ops *ops = console_views[c->view];
	int n = ops->sort_count ? ops->sort_count(c) : ops->n_sort;
	if (n <= 0)
		return;
	if (v->sort_col < 0 || v->sort_col >= n)
		v->sort_col = 0;
	if (arg) {
		v->sort_col = (v->sort_col + 1) % n;
		v->sort_desc = v->sort_col != 0; /* names A→Z, figures largest first */
	} else {
		v->sort_desc = !v->sort_desc;
	}
	console_message(c, 0, "sorted by %s, %s",
	                ops->sort_name ? ops->sort_name(c, v->sort_col) : ops->sort_names[v->sort_col],
	                v->sort_desc ? (v->sort_col ? "largest first" : "Z to A")
	                             : (v->sort_col ? "smallest first" : "A to Z"));
	c->dirty_body = 1;
}

static void console_act_scen(struct console *c, int arg)
{
	size_t n = c->m->n_scen;
	if (n == 0)
		return;
	c->sel = arg < 0 ? (c->sel + n - 1) % n : (c->sel + 1) % n;
	console_dirty(c);
}

/* A move past every column: the drawing stops the cursor at the edge. */
#define CONSOLE_FAR 1000000000

static void console_act_bucket(struct console *c, int arg)
{
	c->vs[VIEW_TIMELINE].cursor += arg;
	c->dirty_body = 1;
}

static void console_act_zoom(struct console *c, int arg)
{
	(void)arg;
	c->vs[VIEW_TIMELINE].zoom = !c->vs[VIEW_TIMELINE].zoom;
	console_message(c, 0, "%s", c->vs[VIEW_TIMELINE].zoom ? "one column per bucket (scroll with h/l)"
	                                                     : "the whole trace in the window");
	c->dirty_body = 1;
}

static void console_act_run(struct console *c, int arg)
{
	(void)arg;
	console_cmd_exec(c, "run");
}

static void console_act_redraw(struct console *c, int arg)
{
	(void)arg;
	clearok(curscr, TRUE);
	console_dirty(c);
}

static void console_act_escape(struct console *c, int arg)
{
	struct console_viewstate *v = &c->vs[c->view];
	(void)arg;
	if (c->help) {
		c->help = 0;
	} else if (v->filter[0]) {
		v->filter[0] = 0;
		c->filter_gen++;
		console_message(c, 0, "filter cleared");
	} else {
		c->msg[0] = 0;
	}
	console_dirty(c);
}

static const struct console_key console_keys[] = {
	{ { 'q' }, "q", V_ALL, console_act_quit, 0, "quit (closes the help first; with edits not saved, asks once)", "q quit" },
	{ { '?', KEY_F(1) }, "? F1", V_ALL, console_act_help, 0, "show or hide this help", "? help" },
	{ { ':' }, ":", V_ALL, console_act_command, 0,
	  "command line: Tab completes, Up/Down recall, Esc or Ctrl-C cancels", ": command" },
	{ { '\t' }, "Tab", V_ALL, console_act_view, 1, "next view", NULL },
	{ { KEY_BTAB }, "S-Tab", V_ALL, console_act_view, N_VIEW - 1, "previous view", NULL },
	{ { '1' }, "1", V_ALL, console_act_goto, VIEW_COMPARE, "Compare: metrics by scenario", "1-5 views" },
	{ { '2' }, "2", V_ALL, console_act_goto, VIEW_TENANTS, "Tenants: one row per tenant", NULL },
	{ { '3' }, "3", V_ALL, console_act_goto, VIEW_TIMELINE, "Timeline: usd/h, fallback and hit rate",
	  NULL },
	{ { '4' }, "4", V_ALL, console_act_goto, VIEW_BUDGET, "Budget: one row per task", NULL },
	{ { '5' }, "5", V_ALL, console_act_goto, VIEW_ALERTS, "Alerts: every alert, newest first", NULL },
	{ { 'h', KEY_LEFT }, "h Left", V_SCEN, console_act_scen, -1, "previous scenario", "h/l scenario" },
	{ { 'l', KEY_RIGHT }, "l Right", V_SCEN, console_act_scen, 1, "next scenario", NULL },
	{ { 'h', KEY_LEFT }, "h Left", V(VIEW_TIMELINE), console_act_bucket, -1, "cursor one column left",
	  "h/l cursor" },
	{ { 'l', KEY_RIGHT }, "l Right", V(VIEW_TIMELINE), console_act_bucket, 1,
	  "cursor one column right", NULL },
	{ { '0' }, "0", V(VIEW_TIMELINE), console_act_bucket, -CONSOLE_FAR, "cursor to the first column",
	  NULL },
	{ { '$' }, "$", V(VIEW_TIMELINE), console_act_bucket, CONSOLE_FAR, "cursor to the last column",
	  NULL },
	{ { 'z' }, "z", V(VIEW_TIMELINE), console_act_zoom, 0,
	  "zoom: one column per bucket, or the whole trace", "z zoom" },
	{ { 'j', KEY_DOWN }, "j Down", V_ALL, console_act_move, 1, "down one row", NULL },
	{ { 'k', KEY_UP }, "k Up", V_ALL, console_act_move, -1, "up one row", NULL },
	{ { KEY_NPAGE, ' ' }, "PgDn Space", V_ALL, console_act_page, 1, "down one page", NULL },
	{ { KEY_PPAGE }, "PgUp", V_ALL, console_act_page, -1, "up one page", NULL },
	{ { 'g', KEY_HOME }, "g Home", V_ALL, console_act_edge, 0, "first row", NULL },
	{ { 'G', KEY_END }, "G End", V_ALL, console_act_edge, 1, "last row", NULL },
	{ { '/' }, "/", V_LISTS, console_act_filter, 0, "filter the rows (applies as you type)",
	  "/ filter" },
	{ { 'n' }, "n", V_LISTS, console_act_match, 1, "next match of the filter", NULL },
	{ { 'N' }, "N", V_LISTS, console_act_match, -1, "previous match of the filter", NULL },
	{ { 's' }, "s", V(VIEW_TENANTS) | V(VIEW_BUDGET), console_act_sort, 1, "sort by the next column",
	  "s sort" },
	{ { 'S' }, "S", V(VIEW_TENANTS) | V(VIEW_BUDGET), console_act_sort, 0, "reverse the sort order",
	  NULL },
	{ { 'm' }, "m", V(VIEW_TENANTS), console_view_tenants_mode, 0,
	  "one scenario's metrics, or one metric across the scenarios", "m across" },
	{ { 'M' }, "M", V(VIEW_TENANTS), console_view_tenants_metric, 1,
	  "across the scenarios: the next metric, in a cycle", NULL },
	{ { 'r' }, "r", V_ALL, console_act_run, 0, "re-run every scenario", NULL },
	{ { 12 }, "^L", V_ALL, console_act_redraw, 0, "redraw the screen", NULL },
	{ { 27 }, "Esc", V_ALL, console_act_escape, 0, "close the help; clear the filter or message",
	  NULL },
};
#define N_KEYS (sizeof console_keys / sizeof console_keys[0])

/* A bracketed paste: its bytes are kept until its end, then go to the line editor when it is
 * open, as text (a newline a blank), and are dropped elsewhere: pasted text never acts as keys. */
static void console_paste_key(struct console *c, int ch)
{
	if (ch == CONSOLE_KEY_PASTE_BEGIN) {
		c->pasting = 1;
		c->paste_len = 0;
		return;
	}
	if (ch != CONSOLE_KEY_PASTE_END) {
		if (ch <= 255 && c->paste_len < sizeof c->paste)
			c->paste[c->paste_len++] = (char)ch;
		return;
	}
	c->pasting = 0;
	c->quit_asked = 0;
	if (c->too_small)
		return;
	if (c->prompt) {
		size_t n = c->paste_len;
		if (n == sizeof c->paste) { /* cut: without the character cut in two at its end */
			while (n > 0 && (c->paste[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0 && (c->paste[n - 1] & 0xc0) == 0xc0)
				n--;
		}
		console_cmd_paste(c, c->paste, n);
		if (c->paste_len == sizeof c->paste)
			console_message(c, 0, "the paste was cut at %zu bytes", n);
		c->dirty_status = 1;
	} else {
		console_message(c, 0, "paste ignored: pasted text goes to the : command line (type : first)");
	}
}

/* Closes the list of completions the line editor showed, if any. */
static void console_matches_close(struct console *c)
{
	if (!c->matches)
		return;
	for (char **p = c->matches; *p; p++)
		free(*p);
	free(c->matches);
	c->matches = NULL;
	c->dirty_body = 1;
}

static void console_key(struct console *c, int ch)
{
	if (ch == KEY_RESIZE) {
		console_layout(c);
		return;
	}
	if (ch == CONSOLE_KEY_PASTE_BEGIN || c->pasting) {
		console_paste_key(c, ch);
		return;
	}
	if (ch != 'q') /* q's question about unsaved edits holds for the next key only */
		c->quit_asked = 0;
	if (c->too_small) { /* nothing acts unseen: q quits (whatever is open), Ctrl-L redraws */
		if (ch == 'q')
			c->quit = 1;
		else if (ch == 12)
			console_act_redraw(c, 0);
		return;
	}
	console_matches_close(c);
	if (c->prompt) {
		console_cmd_key(c, ch);
		c->dirty_status = 1;
		return;
	}
	if (ch == '\r' || ch == '\n' || ch == KEY_ENTER)
		return;
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct console_key *k = &console_keys[i];
		if (!(k->views & V(c->view)))
			continue;
		for (int j = 0; j < 3 && k->keys[j]; j++)
			if (k->keys[j] == ch) {
				if (c->msg[0] && k->action != console_act_escape)
					c->msg[0] = 0;
				int had_help = c->help;
				if (c->help && k->action != console_act_move && k->action != console_act_page &&
				    k->action != console_act_edge && k->action != console_act_quit &&
				    k->action != console_act_help && k->action != console_act_escape) {
					c->help = 0;
				}
				k->action(c, k->arg);
				c->dirty_status = 1;
				if (had_help && !c->help)
					console_dirty(c); /* the overlay covered part of every window */
				return;
			}
	}
	console_message(c, 0, "unbound key; ? shows the keys");
}

/* ---- drawing: header, status line, help ---- */

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
	char run[64];
	if (busy) {
		static const char spin[] = "|/-\\";
		int k = (int)(console_now() * 8) & 3;
		int percent;
		double seconds = console_model_running_s(m, &percent);
		snprintf(run, sizeof run, "%c running %zu  %d%%  %.1f s ", spin[k], busy, percent, seconds);
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

static void console_draw_help(struct console *c)
{
	static char logical[200][160], lines[600][160];
	size_t nl = console_help_lines(logical, 200);
	int width = COLS - 4 < 96 ? COLS - 4 : 96, height = LINES - 4;
	size_t n = console_help_wrap(logical, nl, width - 4, lines, 600);
	if (height > (int)n + 2)
		height = (int)n + 2;
	int inner = height - 2;
	if (c->help_top < 0) /* `:help`: open at the commands */
		for (size_t i = 0; i < n; i++)
			if (strncmp(lines[i], "commands", 8) == 0)
				c->help_top = (long)i;
	if (c->help_top > (long)n - inner)
		c->help_top = (long)n - inner;
	if (c->help_top < 0)
		c->help_top = 0;
	WINDOW *w = newwin(height, width, (LINES - height) / 2, (COLS - width) / 2);
	if (!w)
		return;
	wattrset(w, console_attr(ROLE_NORMAL));
	werase(w);
	box(w, 0, 0);
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 2, " help: q or Esc closes, j/k scroll ", width - 4, 0, 0);
	for (int i = 0; i < inner && c->help_top + i < (long)n; i++) {
		const char *s = lines[c->help_top + i];
		wattrset(w, console_attr(s[0] != ' ' ? ROLE_TITLE : ROLE_NORMAL));
		console_put(w, 1 + i, 2, s, width - 4, 0, 0);
	}
	wattrset(w, console_attr(ROLE_NORMAL));
	wnoutrefresh(w);
	delwin(w);
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

void console_frame(struct console *c)
{
	if (c->too_small) {
		char note[128], line[128];
		size_t starts[9];
		werase(stdscr);
		/* the size needed first, wrapped to the width, in the middle */
		snprintf(note, sizeof note, "terminal too small: the console needs %dx%d, this one is %dx%d",
		         CONSOLE_MIN_COLS, CONSOLE_MIN_LINES, COLS, LINES);
		int n = console_wrap(note, COLS, starts, LINES < 8 ? LINES : 8);
		starts[n] = strlen(note);
		for (int i = 0; i < n; i++) {
			snprintf(line, sizeof line, "%.*s", (int)(starts[i + 1] - starts[i]), note + starts[i]);
			console_put(stdscr, (LINES - n) / 2 + i, 0, line, COLS, 0, 0);
		}
		wnoutrefresh(stdscr);
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
	if (c->help)
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

void console_suspend(struct console *c)
{
	(void)c;
	def_prog_mode();
	console_paste_mode(0);
	endwin();
}

void console_resume(struct console *c)
{
	reset_prog_mode();
	console_paste_mode(1);
	clearok(curscr, TRUE);
	console_layout(c);
}

/* ---- the loop ---- */

static void console_signals(int install)
{
	static struct sigaction old[3], old_crash[5];
	static const int stop_sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	static const int crash_sigs[5] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	if (install) {
		struct sigaction sa = { .sa_handler = console_on_stop }, cr = { .sa_handler = console_on_crash };
		sigemptyset(&sa.sa_mask);
		sigemptyset(&cr.sa_mask);
		cr.sa_flags = SA_RESETHAND;
		for (int i = 0; i < 3; i++)
			sigaction(stop_sigs[i], &sa, &old[i]);
		for (int i = 0; i < 5; i++)
			sigaction(crash_sigs[i], &cr, &old_crash[i]);
	} else {
		for (int i = 0; i < 3; i++)
			sigaction(stop_sigs[i], &old[i], NULL);
		for (int i = 0; i < 5; i++)
			sigaction(crash_sigs[i], &old_crash[i], NULL);
	}
}

/* Ctrl-C at the line editor cancels the line, as Esc does; elsewhere it ends the console. */
static void console_interrupt(struct console *c)
{
	if (console_stop != SIGINT || !c->prompt)
		return;
	console_stop = 0;
	console_cmd_cancel(c);
	c->quit_asked = 0;
	console_matches_close(c);
}

int console_run(struct console_model *m, const struct console_opts *o)
{
	static int atexit_done;
	struct console c;
	SCREEN *scr;
	const char *nc = getenv("NO_COLOR");
	long drawn = 0;

	memset(&c, 0, sizeof c);
	c.m = m;
	c.frames = o->frames;
	if (!c.frames && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fputs("llmcost: the console needs a terminal (for a report use llmcost replay)\n", stderr);
		return 1;
	}
	setlocale(LC_CTYPE, "");
	console_utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	console_have_tio = tcgetattr(STDIN_FILENO, &console_tio) == 0;
	console_stop = 0;
	console_signals(1); /* before curses, which then leaves SIGINT/SIGTERM to us */
	if (!atexit_done) {
		atexit(console_atexit);
		atexit_done = 1;
	}
	console_cmd_init(&c); /* readline reads its terminal data before curses takes the terminal */
	if (!(scr = newterm(NULL, stdout, stdin))) {
		console_cmd_fini(&c);
		console_signals(0);
		char why[512];
		fprintf(stderr, "llmcost: %s\n", console_term_problem(why, sizeof why));
		return 1;
	}
	char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) { /* TERM=dumb: a screen could only be printed line by line */
		endwin();
		delscreen(scr);
		console_cmd_fini(&c);
		console_signals(0);
		fprintf(stderr, "llmcost: the terminal \"%s\" cannot move the cursor, which the console needs "
		        "(set TERM to your terminal's type, such as xterm-256color; for a report use llmcost "
		        "replay)\n", getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	console_active = 1;
	console_reset_prepare();
	cbreak();
	noecho();
	curs_set(0);
	set_escdelay(25);
	c.colors = has_colors() && !o->no_color && !(nc && *nc);
	console_palette_init(c.colors);
	if (!(c.input = newpad(1, 1)))
		console_fatal("out of memory for the console's windows");
	keypad(c.input, TRUE);
	nodelay(c.input, TRUE);
	define_key("\033[200~", CONSOLE_KEY_PASTE_BEGIN);
	define_key("\033[201~", CONSOLE_KEY_PASTE_END);
	console_paste_mode(1);
	console_layout(&c);

	size_t was_busy = 0;
	for (;;) {
		console_interrupt(&c);
		if (console_stop || c.quit)
			break;
		if (c.frames)
			console_model_wait(m); /* each test frame shows finished results */
		if (console_model_collect(m) > 0)
			c.dirty_hdr = c.dirty_body = 1;
		size_t busy_now = console_model_busy(m);
		if (busy_now != was_busy) /* the runs' count, even when the job that ended was outdated */
			c.dirty_hdr = 1;
		was_busy = busy_now;
		console_say_runs(&c); /* also when the last job to end was one an edit had outdated */
		if (c.frames)
			console_dirty(&c);
		if (c.dirty_hdr || c.dirty_body || c.dirty_status || console_model_busy(m) || c.help) {
			console_frame(&c);
			drawn++;
			if (c.frames && drawn >= c.frames)
				break;
		}

		int busy = console_model_busy(m) > 0, got = 0, ch;
		struct pollfd pf[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
		                        { .fd = m->wake[0], .events = POLLIN } };
		if (!c.frames && poll(pf, 2, busy ? 125 : -1) < 0 && errno != EINTR)
			break;
		if (!c.frames && (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			console_stop = SIGHUP; /* the terminal is gone; no SIGHUP comes outside its session */
		while (console_interrupt(&c), !console_stop && (ch = wgetch(c.input)) != ERR) {
			console_key(&c, ch);
			got = 1;
			if (c.quit)
				break;
		}
		if (c.frames && !got) {
			console_act_view(&c, 1);
			if (c.view == VIEW_COMPARE) /* every view drawn: again with the other Tenants mode */
				console_view_tenants_mode(&c, 0);
		}
	}

	console_cmd_fini(&c);
	if (c.matches) {
		for (char **p = c.matches; *p; p++)
			free(*p);
		free(c.matches);
	}
	for (int v = 0; v < N_VIEW; v++)
		free(c.vs[v].rows);
	if (c.hdr)
		delwin(c.hdr);
	if (c.body)
		delwin(c.body);
	if (c.status)
		delwin(c.status);
	delwin(c.input);
	console_paste_mode(0);
	endwin();
	console_active = 0;
	delscreen(scr);
	console_signals(0);
	return console_stop ? 128 + console_stop : 0;
}
