/*
 * The console's key table {keys, label, views, action, arg, help, hint}: one
 * row per binding, which drives both the dispatch of a key (console_key) and
 * the help screen and status line hints (console_draw.c); the actions it
 * names; and the bracketed pastes, whose bytes never act as keys.  The frame
 * loop that reads the keys is in console.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tui/console.h"
#include "tui/console_internal.h"

#define V_LISTS (V(VIEW_TENANTS) | V(VIEW_BUDGET) | V(VIEW_ALERTS))
#define V_SCEN (V(VIEW_COMPARE) | V(VIEW_TENANTS) | V(VIEW_BUDGET))

static long console_rows_of(struct console *c)
{
	const struct console_view_ops *ops = console_views[c->view];
	return ops->n_rows ? ops->n_rows(c) : 0;
}

/* The rows a page moves: those shown, as the view counts them (a list's by default). */
static int console_page(struct console *c)
{
	const struct console_view_ops *ops = console_views[c->view];
	int rows = c->body ? getmaxy(c->body) : 1;
	return ops->page ? ops->page(c, rows) : console_view_list_fit(console_rows_of(c), rows);
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
	c->help = c->help ? 0 : CONSOLE_HELP_KEYS;
	c->help_top = 0;
	c->dirty_body = 1;
}

void console_act_view(struct console *c, int arg)
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

const struct console_key console_keys[] = {
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
const size_t console_n_keys = sizeof console_keys / sizeof console_keys[0];

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
void console_matches_close(struct console *c)
{
	if (!c->matches)
		return;
	for (char **p = c->matches; *p; p++)
		free(*p);
	free(c->matches);
	c->matches = NULL;
	c->dirty_body = 1;
}

void console_key(struct console *c, int ch)
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
	/* too small: nothing acts unseen but q, which quits (the help too, whatever is open), asking
	 * first about edits not saved as at any size, and Ctrl-L, which redraws; the : line, when
	 * open, takes the keys as at any size (a q typed into it while the terminal shrank is text)
	 * but Enter, which would run a command unseen */
	int enter = ch == '\r' || ch == '\n' || ch == KEY_ENTER;
	if (c->too_small && (ch == 12 || !c->prompt || enter)) {
		if (ch == 'q') {
			c->help = 0;
			console_act_quit(c, 0);
		} else if (ch == 12) {
			console_act_redraw(c, 0);
		}
		return;
	}
	console_matches_close(c);
	if (c->prompt) {
		console_cmd_key(c, ch);
		c->dirty_status = 1;
		return;
	}
	if (enter)
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
