/*
 * The console's command line: GNU readline inside the curses screen through
 * its callback interface (the frame loop feeds it one key at a time, it draws
 * nothing itself: the status line shows rl_line_buffer), with a history file
 * in the user's data folder.  A finished ':' line goes to console_cmd_exec
 * (console_cmd_exec.c: the command table and each command), Tab to
 * console_cmd_complete (console_cmd_complete.c).  The same editor reads the
 * `/` filter, applied as it is typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "traces/store.h"
#include "tui/cli.h"
#include "tui/console.h"
#include "tui/console_cmd_internal.h"

/* readline's callbacks take no context: the console that owns the editor */
struct console *console_cmd_c;
static int console_cmd_ch, console_cmd_has;
static FILE *console_cmd_null;
static char console_cmd_hist[4096];
static char console_cmd_old_filter[256];

static int console_cmd_getc(FILE *f)
{
	(void)f;
	console_cmd_has = 0;
	return console_cmd_ch;
}

static int console_cmd_avail(void)
{
	return console_cmd_has;
}

static void console_cmd_redisplay(void)
{
	struct console *c = console_cmd_c;
	if (!c)
		return;
	c->dirty_status = 1;
	if (c->prompt == '/') {
		struct console_viewstate *v = &c->vs[c->view];
		if (strcmp(v->filter, rl_line_buffer) != 0) {
			snprintf(v->filter, sizeof v->filter, "%s", rl_line_buffer);
			v->list.cur = v->list.top = 0;
			c->filter_gen++;
			c->dirty_body = 1;
		}
	}
}

/* Readline found several completions: keep them for the popup above the status line. */
static void console_cmd_show_matches(char **matches, int n, int max_len)
{
	struct console *c = console_cmd_c;
	(void)max_len;
	if (!c || n <= 0)
		return;
	char **list = calloc((size_t)n + 1, sizeof *list);
	if (!list)
		return;
	for (int i = 0; i < n; i++)
		list[i] = strdup(matches[i + 1]);
	c->matches = list;
	c->dirty_status = 1;
}

static void console_cmd_line(char *line);

/*
 * 0 when the history file may be read and written: it and its folder are missing or the
 * user's own, and it is no symbolic link (readline's write_history would replace a link's
 * target).  Else -1 with the note for the status line in why: the history is then not kept.
 */
static int console_cmd_hist_ok(const char *path, char *why, size_t n)
{
	struct stat st;
	char dir[sizeof console_cmd_hist];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	if (lstat(dir, &st) == 0 && st.st_uid != geteuid()) {
		snprintf(why, n, "the console's history is not kept: its folder %s is another user's", dir);
		return -1;
	}
	if (lstat(path, &st) != 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, n, "the console's history is not kept: %s is a symbolic link", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, n, "the console's history is not kept: %s is another user's", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, n, "the console's history is not kept: %s is not a regular file", path);
		return -1;
	}
	return 0;
}

void console_cmd_init(struct console *c)
{
	console_cmd_c = c;
	rl_readline_name = "llmcost";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = NULL;
	rl_deprep_term_function = NULL;
	rl_getc_function = console_cmd_getc;
	rl_input_available_hook = console_cmd_avail;
	rl_redisplay_function = console_cmd_redisplay;
	rl_completion_display_matches_hook = console_cmd_show_matches;
	rl_attempted_completion_function = console_cmd_complete;
	/* a word is what lies between blanks, its quotes as sh reads them: a file name completed
	 * is quoted so that the line reads back the name (console_cmd_file) */
	rl_completer_word_break_characters = " \t\n";
	rl_completer_quote_characters = "'\"";
	rl_filename_quote_characters = "'\"\\";
	rl_filename_quoting_function = console_cmd_quote;
	rl_filename_dequoting_function = console_cmd_dequote;
	if (!console_cmd_null)
		console_cmd_null = fopen("/dev/null", "we"); /* not inherited by $EDITOR */
	if (console_cmd_null)
		rl_outstream = console_cmd_null; /* readline must never write on the curses screen */
	rl_initialize();
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("enable-bracketed-paste", "off"); /* the console reads pastes itself */

	/* the history lives in the user's data folder, whatever the store */
	char why[sizeof console_cmd_hist + 128];
	const char *data = cli_data_dir();
	int hist_len = snprintf(console_cmd_hist, sizeof console_cmd_hist, "%s/console_history", data ? data : "");
	if (!data)
		snprintf(why, sizeof why, "the console's history is not kept: HOME is not set");
	else if (hist_len < 0 || (size_t)hist_len >= sizeof console_cmd_hist) { /* never a file cut short */
		snprintf(why, sizeof why, "the console's history is not kept: its path would be over %zu bytes",
		         sizeof console_cmd_hist - 1);
		data = NULL;
	}
	using_history();
	stifle_history(1000);
	if (data && console_cmd_hist_ok(console_cmd_hist, why, sizeof why) == 0) {
		read_history(console_cmd_hist);
	} else {
		console_message(c, 1, "%s", why);
		console_cmd_hist[0] = 0;
	}
}

void console_cmd_fini(struct console *c)
{
	if (c->prompt)
		rl_callback_handler_remove();
	c->prompt = 0;
	clear_history();
	console_cmd_c = NULL;
	rl_outstream = stdout;
	if (console_cmd_null) {
		fclose(console_cmd_null);
		console_cmd_null = NULL;
	}
}

void console_cmd_open(struct console *c, int prompt)
{
	static char text[2];
	text[0] = (char)prompt;
	text[1] = 0;
	if (prompt == '/') /* before the editor opens: its first redisplay applies its empty line */
		snprintf(console_cmd_old_filter, sizeof console_cmd_old_filter, "%s",
		         c->vs[c->view].filter);
	c->prompt = prompt;
	rl_callback_handler_install(text, console_cmd_line);
	if (prompt == '/') { /* the line starts with the filter in use, which it then edits */
		rl_insert_text(console_cmd_old_filter);
		console_cmd_redisplay();
	}
	c->dirty_status = 1;
}

static void console_cmd_close(struct console *c)
{
	rl_callback_handler_remove();
	c->prompt = 0;
	c->dirty_status = 1;
	curs_set(0);
}

void console_cmd_cancel(struct console *c)
{
	if (!c->prompt)
		return;
	/* a '/' filter goes back to what it was (after the editor is gone: removing it redisplays
	 * the line, which would apply it again) */
	int filter = c->prompt == '/';
	rl_callback_sigcleanup(); /* a history search (^R) or a key sequence under way ends too */
	rl_free_line_state();
	console_cmd_close(c);
	if (filter) {
		struct console_viewstate *v = &c->vs[c->view];
		snprintf(v->filter, sizeof v->filter, "%s", console_cmd_old_filter);
		v->list.cur = v->list.top = 0;
		c->filter_gen++;
		c->dirty_body = 1;
	}
}

void console_cmd_paste(struct console *c, const char *text, size_t len)
{
	char *line = malloc(len + 1);
	if (!c->prompt || !line) {
		free(line);
		return;
	}
	for (size_t i = 0; i < len; i++)
		line[i] = (unsigned char)text[i] < 0x20 || text[i] == 0x7f ? ' ' : text[i];
	line[len] = 0;
	rl_insert_text(line);
	free(line);
	console_cmd_redisplay(); /* a '/' filter applies it */
}

static void console_cmd_feed(int ch)
{
	console_cmd_ch = ch;
	console_cmd_has = 1;
	rl_callback_read_char();
}

void console_cmd_key(struct console *c, int key)
{
	switch (key) {
	case 27: { /* Esc with a key behind it: Alt+key for readline (M-b, M-d...) */
		int next = wgetch(c->input);
		if (next != ERR && next <= 255 && !console_signal_key(next)) { /* Esc, Ctrl-C: in turn */
			console_cmd_feed(27);
			console_cmd_feed(next);
			return;
		}
		if (next != ERR)
			ungetch(next);
		console_cmd_cancel(c); /* Esc alone */
		return;
	}
	case KEY_RESIZE:
		return;
	case KEY_ENTER: case '\r': key = '\n'; break;
	case KEY_BACKSPACE: case 8: key = 127; break;
	case KEY_LEFT: key = 2; break;   /* ^B */
	case KEY_RIGHT: key = 6; break;  /* ^F */
	case KEY_UP: key = 16; break;    /* ^P */
	case KEY_DOWN: key = 14; break;  /* ^N */
	case KEY_HOME: key = 1; break;   /* ^A */
	case KEY_END: key = 5; break;    /* ^E */
	case KEY_DC:
		if (rl_point >= rl_end)
			return;                  /* ^D on an empty line would end the editor */
		key = 4;
		break;
	default:
		if (key > 255)
			return;
	}
	console_cmd_feed(key);
}

void console_cmd_draw(struct console *c, WINDOW *w)
{
	int cols = getmaxx(w);
	const char *line = rl_line_buffer ? rl_line_buffer : "";
	int point = rl_point < 0 ? 0 : rl_point;
	char before[2048];
	size_t start = 0;

	snprintf(before, sizeof before, "%.*s", point, line);
	/* the prompt, or readline's own while it searches the history: "(reverse-i-search)`he': " */
	char own[2] = { (char)c->prompt, 0 };
	const char *prompt = rl_display_prompt && strcmp(rl_display_prompt, own) != 0 ? rl_display_prompt : own;
	int pw = console_text_width(prompt);
	if (pw > cols / 2)
		pw = cols / 2;
	/* scroll so the cursor stays on screen */
	while (before[start] && pw + console_text_width(before + start) > cols - 2) {
		start++;
		while ((before[start] & 0xc0) == 0x80)
			start++;
	}
	wattrset(w, console_attr(ROLE_TITLE));
	console_put(w, 0, 0, prompt, pw, 0, 0);
	wattrset(w, console_attr(ROLE_NORMAL));
	console_put(w, 0, pw, line + start, cols - pw, 0, 1);
	int x = pw + console_text_width(before + start);
	wmove(w, 0, x < cols ? x : cols - 1);
	curs_set(1);
}

/* Writes the history file, its folder made when missing; a file that became unsafe since the
 * start (console_cmd_hist_ok) is left alone from then on, said once. */
static void console_cmd_hist_write(struct console *c)
{
	char why[sizeof console_cmd_hist + 128];
	struct err e;
	if (!console_cmd_hist[0])
		return;
	if (console_cmd_hist_ok(console_cmd_hist, why, sizeof why) < 0) {
		console_message(c, 1, "%s", why);
		console_cmd_hist[0] = 0;
		return;
	}
	store_make_folder(console_cmd_hist, &e);
	write_history(console_cmd_hist);
}

static void console_cmd_line(char *line)
{
	struct console *c = console_cmd_c;
	int prompt = c->prompt;
	console_cmd_close(c);
	if (!line)
		return;
	if (prompt == ':') {
		if (*line) {
			add_history(line);
			console_cmd_hist_write(c);
		}
		console_cmd_exec(c, line);
	} else if (prompt == '/') {
		struct console_viewstate *v = &c->vs[c->view];
		snprintf(v->filter, sizeof v->filter, "%s", line);
		c->filter_gen++;
		c->dirty_body = 1;
		if (*line)
			console_message(c, 0, "filter \"%s\": n/N step through the rows, Esc clears", line);
	}
	free(line);
}

