/*
 * What the files of the console's screen share and nothing else sees: the
 * bracketed-paste key codes, the view table, the layout (console.c), the key
 * table and the key handling (console_keys.c) that the loop (console.c) and
 * the drawing of the status line and the help (console_draw.c) use.
 */
#ifndef TUI_CONSOLE_INTERNAL_H
#define TUI_CONSOLE_INTERNAL_H

#include <stddef.h>

#include "tui/console.h"

/* A bracketed paste's start and end (ESC[200~, ESC[201~), as the terminal sends them once the
 * console asks for them (console.c: ESC[?2004h, undone by ESC[?2004l on every way out). */
#define CONSOLE_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define CONSOLE_KEY_PASTE_END (KEY_MAX + 2)

/* ---- console.c ---- */

/* The views by enum console_view, in the order of their tabs. */
extern const struct console_view_ops *const console_views[N_VIEW];

/* Makes the windows anew for LINES × COLS (none below the minimum size) and marks them dirty. */
void console_layout(struct console *c);

/* ---- the key table (console_keys.c) ---- */

#define V(x) (1u << (x))
#define V_ALL (V(VIEW_COMPARE) | V(VIEW_TENANTS) | V(VIEW_TIMELINE) | V(VIEW_BUDGET) | V(VIEW_ALERTS))

struct console_key {
	int keys[3];            /* curses key codes; 0 ends the list */
	const char *label;      /* how the help names them */
	unsigned views;         /* where the binding applies */
	void (*action)(struct console *c, int arg);
	int arg;
	const char *help;
	const char *hint;       /* shown on the status line, or NULL */
};

extern const struct console_key console_keys[];
extern const size_t console_n_keys;
#define N_KEYS console_n_keys

/* Handles one key read from the terminal (a curses key code): a resize, a paste, the open line
 * editor's key, else the key table's binding for the view shown. */
void console_key(struct console *c, int ch);
/* The key table's Tab action: the view arg places further, in a cycle. */
void console_act_view(struct console *c, int arg);
/* Closes the list of completions the line editor showed, if any. */
void console_matches_close(struct console *c);

#endif
