/*
 * The console's screen: terminal setup and restore on every exit path, the
 * palette, the status line's messages, one layout() from LINES × COLS, and
 * the frame loop (input, finished replay jobs, redraws).  The key table and
 * its actions are in console_keys.c; the frame's drawing (header, status
 * line, help overlay) in console_draw.c; what the three share in
 * console_internal.h.
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
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wctype.h>

#include "traces/text.h"
#include "tui/cli.h"
#include "tui/console.h"
#include "tui/console_internal.h"

/* Bracketed pastes asked for, and stopped (console_internal.h: the keys they bring). */
#define CONSOLE_PASTE_ON "\033[?2004h"
#define CONSOLE_PASTE_OFF "\033[?2004l"

/* ---- signals and the terminal's last resort ---- */

static volatile sig_atomic_t console_stop;   /* SIGINT, SIGQUIT, SIGTERM, SIGHUP */
static volatile sig_atomic_t console_tstp;   /* SIGTSTP sent (kill -TSTP): stop at the next turn */
static int console_active;                   /* curses owns the terminal */
static struct termios console_tio;           /* the terminal before curses */
static int console_have_tio;
/* The terminal's signal keys, read as keys while the console reads keys: interrupt (Ctrl-C),
 * quit (Ctrl-\) and suspend (Ctrl-Z), each the signal it sends; -1: the terminal has none. */
#define CONSOLE_SIG_KEYS 3
static const int console_sig_cc[CONSOLE_SIG_KEYS] = { VINTR, VQUIT, VSUSP };
static const int console_sig_no[CONSOLE_SIG_KEYS] = { SIGINT, SIGQUIT, SIGTSTP };
static int console_sig_ch[CONSOLE_SIG_KEYS] = { -1, -1, -1 };
static char console_reset[256];              /* terminfo: leave the alternate screen, … */
static size_t console_reset_len;

static int console_wake_fd = -1;             /* the frame loop's wake pipe (non-blocking) */

/* Wakes the frame loop's poll, which a signal between its checks and the poll would not end. */
static void console_wake(void)
{
	int saved = errno;
	if (console_wake_fd >= 0 && write(console_wake_fd, "s", 1) < 0) {
		/* full: the loop is awake already */
	}
	errno = saved;
}

/* SIGINT, SIGQUIT, SIGTERM, SIGHUP end the console; a SIGTSTP sent stops it at the next turn. */
static void console_on_stop(int sig)
{
	if (sig == SIGTSTP)
		console_tstp = 1;
	else
		console_stop = sig;
	console_wake();
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
	for (char *p = c->msg; *p; p++) /* the lines of a message joined; a tab is escaped (\u0009) */
		if (*p == '\n')
			*p = ' ';
	c->msg_error = error;
	c->msg_run = runs;
	c->msg_ran[0] = 0;
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

void console_message_ran(struct console *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->msg_ran, sizeof c->msg_ran, fmt, ap);
	va_end(ap);
}

/* A message's runs part, "; running 4 scenarios" in "x: imported 3 requests; running 4
 * scenarios" (its last "; "), else NULL: the message is only that ("re-running 2 scenarios"). */
static char *console_runs_part(char *msg)
{
	char *last = NULL;
	for (char *p = strstr(msg, "; "); p; p = strstr(p + 1, "; "))
		last = p;
	return last;
}

/* After results came: a failed run's reason replaces any message but an error (a message that
 * announced runs keeps what it said before them: a load's import summary, an edit), and a message
 * that announced runs ("x = 5; re-running", "re-running 2 scenarios") loses that part once
 * none is left running; one that was only that says they ran, in the header's "last run" time
 * (a fast run changed nothing else on the screen). */
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
	if (failed && !(c->msg[0] && c->msg_error)) {
		char *runs = c->msg_run ? console_runs_part(c->msg) : NULL, before[sizeof c->msg];
		size_t keep = runs ? (size_t)(runs - c->msg) : 0;
		if (keep + strlen("; ") + strlen(failed) >= sizeof c->msg)
			keep = 0; /* why it failed, whole, comes first */
		snprintf(before, sizeof before, "%.*s%s", (int)keep, c->msg, keep ? "; " : "");
		console_message(c, 1, "%s%s", before, failed);
	} else if (!failed && c->msg_run && !console_model_busy(m)) {
		char *last = console_runs_part(c->msg);
		if (!last && c->msg_ran[0])
			snprintf(c->msg, sizeof c->msg, "%s in %.2f s", c->msg_ran, m->last_run_s);
		else
			*(last ? last : c->msg) = 0;
		c->msg_run = 0;
		c->msg_ran[0] = 0;
		c->dirty_status = 1;
	}
}

/* Once the runs have ended: the notes not yet said go on the status line, after its message
 * (the load's or scenario add's, its runs part gone), as many whole as fit in it and its band,
 * the rest counted for :notes (columns that have notes are marked in Compare).  Not over an error
 * (the next key clears it) nor the open line editor. */
static void console_say_notes(struct console *c)
{
	struct console_model *m = c->m;
	size_t fresh = 0;
	for (size_t i = 0; i < m->n_notes; i++)
		fresh += !m->notes[i].said;
	if (!fresh || c->prompt || (c->msg[0] && c->msg_error) || console_model_busy(m))
		return;
	char was[sizeof c->msg], msg[sizeof c->msg];
	snprintf(was, sizeof was, "%s", c->msg);
	for (size_t k = fresh;; k--) { /* the first k of them whole, the others counted */
		size_t o = 0, put = 0;
		msg[0] = 0;
#define NOTE_ADD(...) \
	do { if (o < sizeof msg) o += (size_t)snprintf(msg + o, sizeof msg - o, __VA_ARGS__); } while (0)
		if (was[0])
			NOTE_ADD("%s", was);
		for (size_t i = 0; i < m->n_notes && put < k; i++)
			if (!m->notes[i].said) {
				NOTE_ADD("%s%s", o ? "; " : "", m->notes[i].text);
				put++;
			}
		if (k < fresh)
			NOTE_ADD("%s%zu %snote%s on the results: :notes shows %s", o ? "; " : "", fresh - k,
			         k ? "more " : "", fresh - k == 1 ? "" : "s", fresh - k == 1 ? "it" : "them");
#undef NOTE_ADD
		if (o < sizeof msg && console_message_fits(msg))
			break;
		if (k == 0) { /* not even the count beside the message: the count alone */
			snprintf(msg, sizeof msg, "%zu note%s on the results: :notes", fresh, fresh == 1 ? "" : "s");
			break;
		}
	}
	console_message(c, 0, "%s", msg);
	for (size_t i = 0; i < m->n_notes; i++)
		m->notes[i].said = 1;
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

int console_view_list_fit(long n, int height)
{
	int rows = console_view_list_rows(height);
	return n > rows && rows > 1 ? rows - 1 : rows;
}

void console_view_list_more(WINDOW *w, const struct console_list *l, long n, int y, int rows, int width)
{
	if (n <= rows)
		return;
	long above = l->top, below = n - l->top - rows;
	char more[96];
	snprintf(more, sizeof more, "%ld row%s above, %ld below (j/k, PgUp/PgDn)", above,
	         above == 1 ? "" : "s", below < 0 ? 0 : below);
	wattrset(w, console_attr(ROLE_DIM));
	console_put(w, y + rows, 0, more, width, 0, 1);
	wattrset(w, console_attr(ROLE_NORMAL));
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

const struct console_view_ops *const console_views[N_VIEW] = {
	[VIEW_COMPARE] = &console_view_compare, [VIEW_TENANTS] = &console_view_tenants,
	[VIEW_TIMELINE] = &console_view_timeline, [VIEW_BUDGET] = &console_view_budget,
	[VIEW_ALERTS] = &console_view_alerts,
};

/* ---- layout ---- */

void console_layout(struct console *c)
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

void console_suspend(struct console *c)
{
	(void)c;
	def_prog_mode();
	console_paste_mode(0);
	endwin();
}

void console_resume(struct console *c)
{
	struct winsize ws;
	reset_prog_mode();
	/* resized meanwhile (the SIGWINCH went to the shell): laid out for the size it is now */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	console_paste_mode(1);
	clearok(curscr, TRUE);
	console_layout(c);
}

void console_intr_signals(int on)
{
	struct termios t;
	if (!console_have_tio || tcgetattr(STDIN_FILENO, &t) != 0)
		return;
	for (int i = 0; i < CONSOLE_SIG_KEYS; i++)
		if (console_sig_ch[i] >= 0) /* Ctrl-C and Ctrl-\ send their signals when on; Ctrl-Z never */
			t.c_cc[console_sig_cc[i]] = on && console_sig_no[i] != SIGTSTP ? (cc_t)console_sig_ch[i]
			                                                               : _POSIX_VDISABLE;
	tcsetattr(STDIN_FILENO, TCSANOW, &t);
	def_prog_mode(); /* what curses puts back after an editor, and after Ctrl-Z */
}

int console_signal_key(int ch)
{
	for (int i = 0; i < CONSOLE_SIG_KEYS; i++)
		if (ch != ERR && ch == console_sig_ch[i])
			return console_sig_no[i];
	return 0;
}

/* Ctrl-Z (the key, or a SIGTSTP sent): the terminal put back as the shell had it, then the
 * console stops as a job does (the shell sees it stopped); at fg its screen and modes again. */
static void console_stop_self(struct console *c)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, was;
	console_tstp = 0;
	if (sigaction(SIGTSTP, NULL, &was) != 0 || was.sa_handler == SIG_IGN) {
		/* ignored where the console started (no job control): the key too */
		console_message(c, 0, "Ctrl-Z: the shell that started the console has no job control, "
		                      "so it is not stopped (q quits)");
		return;
	}
	console_suspend(c);
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, NULL);
	/* the whole job, as the terminal's Ctrl-Z stops it: under make or sh -c, the console alone
	 * stopped left its parent waiting and the shell no job to take back */
	double since = console_now();
	kill(0, SIGTSTP); /* stopped here until SIGCONT */
	console_model_stopped(c->m, since, console_now() - since);
	sigaction(SIGTSTP, &was, NULL);
	if (console_stop) { /* ended while stopped (kill %1: TERM, then CONT), perhaps in the background */
		signal(SIGTTOU, SIG_IGN); /* the terminal's modes put back all the same, not stopped again */
		return;
	}
	console_resume(c);
}

volatile sig_atomic_t *console_caught(void)
{
	return &console_stop;
}

void console_load_done(int sig)
{
	sigset_t ending, was;
	sigemptyset(&ending); /* one caught between the test and the clear is not lost */
	sigaddset(&ending, SIGQUIT);
	sigaddset(&ending, SIGTERM);
	sigaddset(&ending, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &ending, &was);
	if (sig && sig != SIGINT)
		console_stop = sig;
	else if (console_stop == SIGINT) /* the load's Ctrl-C, caught by the console's handler */
		console_stop = 0;
	pthread_sigmask(SIG_SETMASK, &was, NULL);
}

/* ---- the loop ---- */

static void console_signals(int install)
{
	static struct sigaction old[4], old_tstp, old_crash[5];
	static const int stop_sigs[4] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
	static const int crash_sigs[5] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	if (install) {
		struct sigaction sa = { .sa_handler = console_on_stop }, cr = { .sa_handler = console_on_crash };
		sigemptyset(&sa.sa_mask);
		sigemptyset(&cr.sa_mask);
		cr.sa_flags = SA_RESETHAND;
		for (int i = 0; i < 4; i++) /* unless ignored (nohup's SIGHUP) */
			cli_catch_signal(stop_sigs[i], &sa, &old[i]);
		/* ours, not curses': a SIGTSTP sent stops the console at the loop's next turn, as Ctrl-Z does */
		cli_catch_signal(SIGTSTP, &sa, &old_tstp);
		for (int i = 0; i < 5; i++)
			sigaction(crash_sigs[i], &cr, &old_crash[i]);
	} else {
		for (int i = 0; i < 4; i++)
			sigaction(stop_sigs[i], &old[i], NULL);
		sigaction(SIGTSTP, &old_tstp, NULL);
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

/* ---- the trace opened first (o->open) ---- */

/* Reads the trace on a thread of its own.  The main thread owns it until it quits during the
 * load: then the thread is left to be ended with the process, and the loader with it. */
struct console_loader {
	char *db_path;
	char name[256];
	struct console_opening o;
	struct err e;
	int rc;
	_Atomic int done;
};

static void *console_loader_main(void *arg)
{
	struct console_loader *l = arg;
	l->rc = console_model_read(l->db_path, l->name, &l->o, &l->e);
	atomic_store(&l->done, 1);
	return NULL;
}

/* The screen while the trace loads: what, from where, what is being done and for how long,
 * and that q quits; in the middle of stdscr, each line cut to the width. */
static void console_draw_loading(const struct console_opts *o, const char *db_path, int phase, double seconds)
{
	static const char *const doing[] = {
		[CONSOLE_OPEN_READING] = "reading it from the store",
		[CONSOLE_OPEN_PREPARING] = "preparing it for the runs",
		[CONSOLE_OPEN_NORMS] = "reading its kept normalized inputs",
	};
	char lines[4][1200], a[32], b[32];
	snprintf(lines[0], sizeof lines[0], "loading trace %s from %s", o->open, db_path);
	if (o->open_requests >= 0 && o->open_tenants >= 0)
		snprintf(lines[1], sizeof lines[1], "%s request%s, %s tenant%s",
		         report_count_text((uint64_t)o->open_requests, a, sizeof a), o->open_requests == 1 ? "" : "s",
		         report_count_text((uint64_t)o->open_tenants, b, sizeof b), o->open_tenants == 1 ? "" : "s");
	else
		lines[1][0] = 0;
	snprintf(lines[2], sizeof lines[2], "%s%s %.1f s", doing[phase < 0 || phase > CONSOLE_OPEN_NORMS ? 0 : phase],
	         console_utf8 ? "…" : "...", seconds);
	snprintf(lines[3], sizeof lines[3], "q or Ctrl-C quits");
	werase(stdscr);
	int y = LINES / 2 - 2 < 0 ? 0 : LINES / 2 - 2;
	for (int i = 0; i < 4 && y + i < LINES; i++) {
		wattrset(stdscr, console_attr(i == 0 ? ROLE_TITLE : i == 3 ? ROLE_DIM : ROLE_NORMAL));
		console_put(stdscr, y + i, 2, lines[i], COLS - 4 > 0 ? COLS - 4 : 1, 0, 0);
	}
	wattrset(stdscr, console_attr(ROLE_NORMAL));
	wnoutrefresh(stdscr);
	doupdate();
}

/* Opens o->open before the first frame, the loading screen up meanwhile: 0 when it is open
 * (its runs started), 1 when it failed (*o->err says why), 2 when q, Ctrl-C or another signal
 * ended the console first (console_stop says which), which does not wait for the read. */
static int console_open_first(struct console *c, const struct console_opts *o)
{
	struct console_model *m = c->m;
	struct console_loader *l = calloc(1, sizeof *l);
	struct err *e = o->err;
	pthread_t th;
	sigset_t block, old;
	int started;
	if (!l || !(l->db_path = strdup(m->db_path))) {
		free(l);
		err_set(e, "out of memory");
		return 1;
	}
	snprintf(l->name, sizeof l->name, "%s", o->open);
	double t0 = console_now();
	console_draw_loading(o, m->db_path, CONSOLE_OPEN_READING, 0);
	if (c->frames) { /* the tests' frames: the screen once, then the trace read here */
		console_loader_main(l);
		started = 0;
	} else {
		sigfillset(&block); /* signals go to the console, never to the loader */
		pthread_sigmask(SIG_BLOCK, &block, &old);
		started = pthread_create(&th, NULL, console_loader_main, l) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (!started)
			console_loader_main(l);
	}
	while (started && !atomic_load(&l->done)) {
		struct pollfd pf[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
		                        { .fd = m->wake[0], .events = POLLIN } };
		int ch;
		if (poll(pf, 2, 100) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			console_stop = SIGHUP;
		char buf[64];
		while (read(m->wake[0], buf, sizeof buf) > 0)
			;
		while (!console_stop && (ch = wgetch(c->input)) != ERR) {
			int sig = console_signal_key(ch);
			if (sig == SIGTSTP)
				console_stop_self(c);
			else if (sig)
				console_stop = sig;
			else if (ch == 'q')
				c->quit = 1;
			else if (ch == KEY_RESIZE)
				console_layout(c);
			if (c->quit)
				break;
		}
		if (console_tstp && !console_stop)
			console_stop_self(c);
		if (console_stop || c->quit) {
			pthread_detach(th); /* the process ends with it; l is its own until then */
			return 2;
		}
		console_draw_loading(o, m->db_path, atomic_load(&l->o.phase), console_now() - t0);
	}
	if (started)
		pthread_join(th, NULL);
	int rc = l->rc;
	if (rc < 0)
		*e = l->e;
	else if (console_model_show(m, &l->o, e) < 0)
		rc = -1;
	console_opening_fini(&l->o);
	free(l->db_path);
	free(l);
	if (rc < 0)
		return 1;
	console_layout(c);
	return 0;
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
	console_tstp = 0;
	console_wake_fd = m->wake[1];
	console_signals(1); /* before curses, which then leaves SIGINT, SIGTERM and SIGTSTP to us */
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
	char no_cursor[512];
	if (console_term_no_cursor("the console", no_cursor, sizeof no_cursor)) {
		endwin();
		delscreen(scr);
		console_cmd_fini(&c);
		console_signals(0);
		fprintf(stderr, "llmcost: %s\n", no_cursor);
		return 1;
	}
	console_active = 1;
	console_reset_prepare();
	cbreak();
	noecho();
	for (int i = 0; i < CONSOLE_SIG_KEYS; i++)
		console_sig_ch[i] = console_have_tio && console_tio.c_cc[console_sig_cc[i]] != _POSIX_VDISABLE &&
		                    (console_tio.c_lflag & ISIG) ? console_tio.c_cc[console_sig_cc[i]] : -1;
	console_intr_signals(0);
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

	int opened = o->open ? console_open_first(&c, o) : 0;
	size_t was_busy = 0;
	for (; opened == 0;) {
		console_interrupt(&c);
		if (console_tstp && !console_stop)
			console_stop_self(&c);
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
		console_say_notes(&c);
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
			int sig = c.pasting ? 0 : console_signal_key(ch); /* a pasted byte is text */
			if (sig == SIGTSTP) { /* Ctrl-Z read as a key: stop now, the keys after it at fg */
				console_stop_self(&c);
				continue;
			}
			if (sig) { /* Ctrl-C or Ctrl-\ read as a key: what its signal does */
				console_stop = sig;
				continue;
			}
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
	console_matches_close(&c);
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
	console_wake_fd = -1;
	return console_stop ? 128 + console_stop : opened == 1 ? 1 : 0;
}
