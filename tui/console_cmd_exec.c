/*
 * The console's commands: the one table {name, args, help, fn, complete} that
 * drives the ':' line, its completion (console_cmd_complete.c) and the help
 * screen; console_cmd_exec, which finds a line's command in it (or suggests
 * the nearest name) and runs it; and each command, from `load` to `quit`.
 * The line editor that hands lines here is console_cmd.c.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/report.h"
#include "traces/text.h"
#include "traces/scenario.h"
#include "tui/cli.h"
#include "tui/console.h"
#include "tui/console_cmd_internal.h"

/* The longest command line the console takes, its NUL included: a longer one is refused
 * (console_cmd_exec), and every command's copy of its arguments is this size, so that no
 * argument (a path above all) is ever cut short and acted on. */
#define CONSOLE_CMD_MAX 4096

static struct console_scen *console_cmd_scen(struct console *c, const char *label, struct err *e)
{
	struct console_scen *s;
	if (!*label) {
		if (!(s = console_selected(c)))
			err_set(e, "no scenario is open (scenario add NAME)");
		return s;
	}
	if ((s = console_model_find(c->m, label, NULL)))
		return s;
	/* else the one open scenario of that name ("v3 cache+routing", as its title says) */
	struct console_model *m = c->m;
	size_t n = 0, o = 0;
	char handles[600] = "";
	for (size_t i = 0; i < m->n_scen; i++)
		if (m->scen[i]->sc.name && strcmp(m->scen[i]->sc.name, label) == 0)
			s = m->scen[i], n++;
	if (n == 1)
		return s;
	/* the handles to choose from: of the scenarios of that name, else of every one open */
	for (size_t i = 0; i < m->n_scen && o < sizeof handles - 1; i++) {
		const struct console_scen *t = m->scen[i];
		if (n > 1 && strcmp(t->sc.name ? t->sc.name : "", label) != 0)
			continue;
		int wr = snprintf(handles + o, sizeof handles - o, "%s%s", o ? ", " : "", t->label);
		if (wr > 0)
			o += (size_t)wr < sizeof handles - o ? (size_t)wr : sizeof handles - o - 1;
	}
	if (n > 1)
		err_set(e, "%zu open scenarios are named \"%s\": name one by its handle (%s)", n, label, handles);
	else if (m->n_scen)
		err_set(e, "no scenario \"%s\" is open; open: %s", label, handles);
	else
		err_set(e, "no scenario \"%s\" is open; none is (scenario add NAME)", label);
	return NULL;
}

/* Splits off the first word of *args (in place); returns it, *args then the rest. */
char *console_cmd_word(char **args)
{
	char *p = *args, *w;
	while (*p == ' ' || *p == '\t')
		p++;
	w = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	*args = p;
	return w;
}

int console_cmd_unquote(const char **p, char *quote)
{
	const char *s = *p;
	if (*quote && *s == *quote) {
		*quote = 0;
		return -1;
	}
	if (!*quote && (*s == '\'' || *s == '"')) {
		*quote = *s;
		return -1;
	}
	if (*s == '\\' && s[1] && (!*quote || (*quote == '"' && strchr("$`\"\\", s[1]))))
		*p = ++s;
	return (unsigned char)*s;
}

/*
 * A FILE argument as a shell would take it, into out: the rest of the line (blanks in it kept,
 * as before), its quotes removed as sh removes them ('a b.json' and "a b.json" name a b.json;
 * in double quotes a backslash escapes $ ` " \; outside quotes it escapes any character), and a
 * leading unquoted ~ or ~/ is $HOME.  Returns 0, or -1 with e set (an unmatched quote, no $HOME
 * for a ~, or a name too long).
 */
static int console_cmd_file(const char *arg, char *out, size_t n, struct err *e)
{
	size_t k = 0;
	char quote = 0;
	const char *p = arg;
	if (p[0] == '~' && (p[1] == '/' || !p[1])) {
		const char *home = getenv("HOME");
		if (!home || !*home)
			return err_set(e, "%s: HOME is not set, so ~ names no folder", arg);
		k = (size_t)snprintf(out, n, "%s", home);
		if (k >= n)
			return err_set(e, "name too long, over the %zu bytes the console takes: %s", n - 1, arg);
		p++;
	}
	for (; *p; p++) {
		int ch = console_cmd_unquote(&p, &quote);
		if (ch < 0)
			continue;
		if (k + 1 >= n)
			return err_set(e, "name too long, over the %zu bytes the console takes: %s", n - 1, arg);
		out[k++] = ch;
	}
	out[k] = 0;
	if (quote)
		return err_set(e, "%s: unmatched %c", arg, quote);
	return 0;
}

/* An import's progress on the status line, drawn at once (the import holds the console). */
static void console_cmd_load_progress(void *ctx, uint64_t lines, uint64_t bytes, uint64_t total,
                                      double seconds)
{
	struct console *c = ctx;
	char n[32], rate[32], share[16] = "";
	report_count_text(lines, n, sizeof n);
	report_count_text((uint64_t)((double)lines / seconds), rate, sizeof rate);
	if (total)
		snprintf(share, sizeof share, ", %.0f%%", 100.0 * (double)bytes / (double)total);
	console_message(c, 0, "importing %s: %s lines, %s lines/s%s (Ctrl-C abandons it; Ctrl-Z waits for it)", c->loading, n,
	                rate, share);
	console_frame(c);
}

static int console_cmd_load(struct console *c, const char *args, struct err *e)
{
	char info[1024], file[CONSOLE_CMD_MAX], name[CONSOLE_CMD_MAX] = ""; /* parts of args: they fit */
	/* FILE --name NAME or --name NAME FILE (a file name may hold blanks; a name does not) */
	const char *as = NULL;
	size_t len = strlen(args);
	if (!strncmp(args, "--name", 6) && (args[6] == ' ' || !args[6])) {
		const char *p = args + 6 + strspn(args + 6, " ");
		size_t n = strcspn(p, " ");
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		snprintf(file, sizeof file, "%s", p + n + strspn(p + n, " "));
		as = name;
	} else if (len >= 7 && !strcmp(args + len - 7, " --name")) {
		file[0] = 0; /* a --name without its NAME */
	} else {
		const char *at = strstr(args, " --name ");
		snprintf(file, sizeof file, "%.*s", at ? (int)(at - args) : (int)len, args);
		if (at)
			snprintf(name, sizeof name, "%s", at + strlen(" --name ") + strspn(at + strlen(" --name "), " "));
		as = at ? name : NULL;
	}
	if (!*file || (as && !*as))
		return err_set(e, "usage: load TRACE [--name NAME] (a stored trace, or a trace file in any "
		               "import format, imported as NAME, else by its file name)");
	char words[sizeof file];
	if (console_cmd_file(file, words, sizeof words, e) < 0)
		return -1;
	snprintf(file, sizeof file, "%s", words);
	if (!*file) /* "" or '' */
		return err_set(e, "load: TRACE is empty: name a stored trace or a trace file");
	if (as && import_name_problem(as))
		return err_set(e, "--name %s", import_name_problem(as));
	console_intr_signals(1); /* Ctrl-C and Ctrl-\ abandon the import, which reads no keys */
	console_message(c, 0, "loading %s…", file);
	console_frame(c);
	c->loading = file;
	/* a signal the console catches stops the load's waits for a lock and its import */
	volatile sig_atomic_t *caught = console_caught();
	store_stop_waits(caught);
	cli_import_hook = (struct cli_import_hook){ console_cmd_load_progress, c, caught };
	int rc = console_model_load(c->m, file, as, caught, info, sizeof info, e);
	store_stop_waits(NULL);
	console_intr_signals(0);
	cli_import_hook = (struct cli_import_hook){ 0 };
	c->loading = NULL;
	console_load_done(rc > 0 ? rc : 0); /* SIGTERM, SIGHUP, Ctrl-\: the console ends as it would have */
	if (rc != 0)
		return -1;
	console_message_runs(c, "%s%sopened trace %s; running %zu scenario%s", info, info[0] ? "; " : "",
	                     c->m->trace_name, c->m->n_scen, c->m->n_scen == 1 ? "" : "s");
	for (int v = 0; v < N_VIEW; v++)
		c->vs[v].list.cur = c->vs[v].list.top = 0, c->vs[v].cursor = 0;
	return 0;
}

static int console_cmd_add(struct console *c, const char *args, struct err *e)
{
	char buf[CONSOLE_CMD_MAX], *rest = buf, *name; /* args whole: a path cut short would be opened */
	snprintf(buf, sizeof buf, "%s", args);
	name = console_cmd_word(&rest);
	if (!*name)
		return err_set(e, "usage: scenario add NAME [FILE]");
	char file[sizeof buf];
	if (*rest && console_cmd_file(rest, file, sizeof file, e) < 0)
		return -1;
	if (console_model_add(c->m, name, *rest ? file : NULL, e) < 0)
		return -1;
	c->sel = c->m->n_scen - 1;
	console_message_runs(c, "added scenario %s; running it", c->m->scen[c->sel]->label);
	return 0;
}

static int console_cmd_drop(struct console *c, const char *args, struct err *e)
{
	if (!*args)
		return err_set(e, "usage: scenario drop NAME");
	struct console_scen *s = console_cmd_scen(c, args, e);
	char label[512];
	if (!s)
		return -1;
	snprintf(label, sizeof label, "%s", s->label);
	if (console_model_drop(c->m, label, e) < 0)
		return -1;
	if (c->sel >= c->m->n_scen) /* the last one was selected: its left neighbour */
		c->sel = c->m->n_scen ? c->m->n_scen - 1 : 0;
	console_message(c, 0, "dropped scenario %s", label);
	return 0;
}

static int console_cmd_edit(struct console *c, const char *args, struct err *e)
{
	struct console_scen *s = console_cmd_scen(c, args, e);
	const char *ed = getenv("VISUAL"), *tmpdir = getenv("TMPDIR");
	char path[4096], cmd[4200];
	char *json, *text = NULL;
	int fd, status = -1, rc = -1;
	FILE *f;
	struct sigaction ign = { .sa_handler = SIG_IGN }, dfl = { .sa_handler = SIG_DFL }, old_int, old_quit,
	                 old_tstp;

	if (!s)
		return -1;
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	if (strlen(ed) + sizeof " \"$1\"" > sizeof cmd) /* never an editor command cut short and run */
		return err_set(e, "the editor command ($VISUAL or $EDITOR) is %zu bytes long, over the %zu the "
		               "console takes; scenario %s is unchanged", strlen(ed), sizeof cmd - sizeof " \"$1\"",
		               s->label);
	if (!(json = scenario_to_json(&s->sc, 0)))
		return err_set(e, "out of memory");
	int again = s->failed_edit && access(s->failed_edit, F_OK) == 0;
	if (again) { /* an edit that did not load: on with it */
		snprintf(path, sizeof path, "%s", s->failed_edit);
	} else {
		/* mkstemps's template: the six characters it replaces, then ".json" */
		int plen = snprintf(path, sizeof path - 12, "%s/llmcost-%s-", tmpdir && *tmpdir ? tmpdir : "/tmp",
		                   s->label);
		if (plen < 0 || (size_t)plen >= sizeof path - 12) { /* never a file in a folder cut short */
			err_set(e, "the file to edit in would be over the %zu bytes a path may have here: "
			        "set TMPDIR to a shorter folder", sizeof path - 1);
			free(json);
			return -1;
		}
		memset(path + plen, 'X', 6);
		memcpy(path + plen + 6, ".json", 6);
		if ((fd = mkstemps(path, 5)) < 0 || write(fd, json, strlen(json)) < 0 || write(fd, "\n", 1) < 0) {
			err_set(e, "%s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			free(json);
			return -1;
		}
		close(fd);
	}
	free(s->failed_edit);
	s->failed_edit = NULL;
	snprintf(cmd, sizeof cmd, "%s \"$1\"", ed);

	console_suspend(c);
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	/* Ctrl-Z in the editor stops the console with it, as the job it is, and fg only continues it:
	 * the console's own SIGTSTP handler only marks a stop for its loop, which waits here (curses'
	 * drew the console's screen at fg, over the editor still running) */
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &old_tstp);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	console_resume(c);

	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		err_set(e, "the editor (%s) failed; scenario %s is unchanged", ed, s->label);
		if (again) /* the earlier edit stays for the next try */
			s->failed_edit = strdup(path);
		else
			unlink(path);
		goto out;
	}
	if (!(f = fopen(path, "r"))) {
		err_set(e, "%s: %s", path, strerror(errno));
		goto out;
	}
	size_t cap = 0, len = 0, got;
	char chunk[4096];
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
		char *grown = realloc(text, cap = len + got + 1);
		if (!grown) {
			fclose(f);
			err_set(e, "out of memory");
			goto out;
		}
		text = grown;
		memcpy(text + len, chunk, got);
		len += got;
	}
	fclose(f);
	if (text)
		text[len] = 0; /* before strspn reads it */
	if (!text || strspn(text, " \t\r\n") == len) {
		err_set(e, "%s is empty; scenario %s is unchanged", path, s->label);
		unlink(path);
		goto out;
	}
	text[len] = 0;
	if (strcmp(text, json) == 0 || (len == strlen(json) + 1 && strncmp(text, json, len - 1) == 0)) {
		console_message(c, 0, "scenario %s: no change", s->label);
		unlink(path);
		rc = 0;
		goto out;
	}
	if (console_model_replace(c->m, s, text, e) < 0) {
		err_prefix(e, "your edit is kept in %s (scenario edit %s reopens it): ", path, s->label);
		s->failed_edit = strdup(path);
		goto out;
	}
	unlink(path);
	console_message_runs(c, "scenario %s reloaded; running it", s->label);
	rc = 0;
out:
	free(text);
	free(json);
	return rc;
}

/* Appends s[a, b) to buf (n bytes, o of them used), a newline as \u000a, as console_put shows
 * the other control characters and Compare's title this one (a message's lines are joined
 * with blanks). */
static void console_cmd_fit_put(char *buf, size_t n, size_t *o, const char *s, size_t a, size_t b)
{
	for (size_t i = a; i < b && *o + 7 < n; i++) {
		if (s[i] == '\n') {
			memcpy(buf + *o, "\\u000a", 6);
			*o += 6;
		} else {
			buf[(*o)++] = s[i];
		}
	}
	buf[*o] = 0;
}

/* 1 when the code point at s begins a character: not one that goes with the character before
 * it (text_cp_joins, as text_cut_middle keeps a letter with its marks). */
static int console_cmd_char_start(const char *s)
{
	int len;
	return !text_cp_joins(text_decode((const unsigned char *)s, &len));
}

/* The message "BEFORE VALUE AFTER" in buf, whole when it fits the status line and its band
 * (console_message_fits), else with the value shortened in the middle: its first and last
 * characters around "… (N characters)", as many as fit, a character with its combining marks. */
static const char *console_cmd_fit_value(const char *before, const char *value, const char *after,
                                         char *buf, size_t n)
{
	size_t len = strlen(value), chars = 0, o = 0;
	console_cmd_fit_put(buf, n, &o, before, 0, strlen(before));
	console_cmd_fit_put(buf, n, &o, value, 0, len);
	console_cmd_fit_put(buf, n, &o, after, 0, strlen(after));
	if (console_message_fits(buf))
		return buf;
	for (size_t i = 0; i < len; i++) /* characters as drawn: é of e and U+0301 is one */
		chars += ((unsigned char)value[i] & 0xc0) != 0x80 && console_cmd_char_start(value + i);
	char count[32], mid[64];
	report_count_text(chars, count, sizeof count);
	snprintf(mid, sizeof mid, "%s", console_utf8 ? "…" : "...");
	/* k characters from each end, fewer until the message fits */
	for (size_t k = chars / 2 < (size_t)COLS * 3 ? chars / 2 : (size_t)COLS * 3;; k--) {
		size_t head = 0, tail = len, m;
		for (m = 0; m < k && head < len; m++) {
			int l;
			do {
				text_decode((const unsigned char *)value + head, &l);
				head += (size_t)l;
			} while (head < len && !console_cmd_char_start(value + head));
		}
		for (m = 0; m < k && tail > head; m++)
			do
				do
					tail--;
				while (tail > head && ((unsigned char)value[tail] & 0xc0) == 0x80);
			while (tail > head && !console_cmd_char_start(value + tail));
		o = 0;
		console_cmd_fit_put(buf, n, &o, before, 0, strlen(before));
		console_cmd_fit_put(buf, n, &o, value, 0, head);
		console_cmd_fit_put(buf, n, &o, mid, 0, strlen(mid));
		console_cmd_fit_put(buf, n, &o, value, tail, len);
		snprintf(mid, sizeof mid, " (%s characters)", count);
		console_cmd_fit_put(buf, n, &o, mid, 0, strlen(mid));
		snprintf(mid, sizeof mid, "%s", console_utf8 ? "…" : "...");
		console_cmd_fit_put(buf, n, &o, after, 0, strlen(after));
		if (k == 0 || console_message_fits(buf))
			return buf;
	}
}

static int console_cmd_set_or_unset(struct console *c, const char *args, int set, struct err *e)
{
	char buf[CONSOLE_CMD_MAX], *rest = buf, *word;
	const char *path;
	snprintf(buf, sizeof buf, "%s", args);
	word = console_cmd_word(&rest);
	if (!*word || (set && !*rest) || (!set && *rest))
		return err_set(e, set ? "usage: set [SCENARIO.]KEY.PATH VALUE"
		                      : "usage: unset [SCENARIO.]KEY.PATH");
	if (console_model_find(c->m, word, NULL)) /* a scenario without a key */
		return err_set(e, "%s is a scenario: name one of its keys, as %s %s.cache.capacity%s",
		               word, set ? "set" : "unset", word, set ? " 1000" : "");
	struct console_scen *s = console_model_split_path(c->m, word, console_selected(c), &path);
	if (!s)
		return err_set(e, "no scenario is open (scenario add NAME)");
	size_t len = strlen(rest);
	while (len && (rest[len - 1] == ' ' || rest[len - 1] == '\t'))
		rest[--len] = 0;
	if (console_model_set(c->m, s, path, set ? rest : NULL, e) < 0) {
		/* a path that is no key, whose first part is neither a key ("cache": a mistyped key
		 * below it) nor an open scenario: the scenario may be what was mistyped, so that is
		 * said too, with the open ones (as run says it) */
		const char *dot = strchr(word, '.');
		struct err no_scen = { "" };
		char first[CONSOLE_CMD_MAX], why[sizeof e->msg];
		if (path == word && dot && !scenario_key_find(scenario_keys, scenario_n_keys, word)) {
			snprintf(first, sizeof first, "%.*s", (int)(dot - word), word);
			if (!scenario_key_find(scenario_keys, scenario_n_keys, first) && !console_cmd_scen(c, first, &no_scen)) {
				snprintf(why, sizeof why, "%s", e->msg);
				err_set(e, "%s; %s", why, no_scen.msg);
			}
		}
		return -1;
	}
	free(s->failed_edit); /* the next edit starts from the scenario as it now is (the file stays) */
	s->failed_edit = NULL;
	if (set) {
		char before[1024], msg[8192];
		snprintf(before, sizeof before, "%s: %s = ", s->label, path);
		console_message_runs(c, "%s", console_cmd_fit_value(before, rest, "; re-running", msg, sizeof msg));
	}
	else
		console_message_runs(c, "%s: %s back to the format's default; re-running", s->label, path);
	c->dirty_hdr = 1;
	return 0;
}

static int console_cmd_set(struct console *c, const char *args, struct err *e)
{
	return console_cmd_set_or_unset(c, args, 1, e);
}

static int console_cmd_unset(struct console *c, const char *args, struct err *e)
{
	return console_cmd_set_or_unset(c, args, 0, e);
}

static int console_cmd_run(struct console *c, const char *args, struct err *e)
{
	struct console_scen *s = NULL;
	if (*args && !(s = console_cmd_scen(c, args, e)))
		return -1;
	if (!c->m->n_scen) /* nothing to run: said, as set and export say it */
		return err_set(e, "no scenario is open (scenario add NAME)");
	if (console_model_run(c->m, s, e) < 0)
		return -1;
	char what[CONSOLE_TITLE_MAX];
	if (s)
		snprintf(what, sizeof what, "%s", s->label);
	else
		snprintf(what, sizeof what, "%zu scenario%s", c->m->n_scen, c->m->n_scen == 1 ? "" : "s");
	console_message_runs(c, "re-running %s", what);
	console_message_ran(c, "re-ran %s", what);
	c->dirty_hdr = 1;
	return 0;
}

/* 0 when the console may write path: never its own store nor SQLite's files beside it (its
 * -wal, -shm, -journal), and an existing file only when the command was given with ! (cmd names
 * it in the advice). */
static int console_cmd_may_write(struct console *c, const char *cmd, const char *path, struct err *e)
{
	static const char *const beside[] = { "-wal", "-shm", "-journal" };
	struct stat f, db;
	char name[PATH_MAX + 16], *store = realpath(c->m->db_path, NULL);
	int of_store = 0;
	size_t len = store ? strlen(store) : 0;
	if (store && cli_real_name(path, name, sizeof name) == 0 && strncmp(name, store, len) == 0)
		for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++)
			of_store |= strcmp(name + len, beside[i]) == 0;
	free(store);
	if (of_store)
		return err_set(e, "%s is a file of the store the console has open; choose another file", path);
	if (stat(path, &f) != 0)
		return 0;
	if (stat(c->m->db_path, &db) == 0 && f.st_dev == db.st_dev && f.st_ino == db.st_ino)
		return err_set(e, "%s is the store the console has open; choose another file", path);
	if (!c->overwrite && S_ISREG(f.st_mode))
		return err_set(e, "%s exists; %s! overwrites it", path, cmd);
	return 0;
}

/* Export waits for the runs under way, so that it writes the figures of the scenarios as they
 * are now (a re-run keeps the previous result shown until it ends): the header shows their
 * progress, and Ctrl-C abandons the export (the console stays), as it abandons a load's import;
 * Ctrl-\ and SIGTERM end the console.  0 when the runs have ended (their results published),
 * else the signal's number. */
static int console_cmd_export_wait(struct console *c, const char *file)
{
	struct console_model *m = c->m;
	volatile sig_atomic_t *caught = console_caught();
	int sig = 0;
	console_intr_signals(1);
	for (;;) {
		if ((sig = *caught) != 0)
			break;
		size_t busy = console_model_busy(m); /* before collect: a run ended by then is published */
		if (console_model_collect(m) > 0)
			c->dirty_hdr = c->dirty_body = 1;
		if (!busy)
			break;
		console_message(c, 0, "export to %s waits for %zu run%s to end (Ctrl-C abandons the export)", file,
		                busy, busy == 1 ? "" : "s");
		console_frame(c);
		struct pollfd pf = { .fd = m->wake[0], .events = POLLIN }; /* a run's end, or a signal */
		if (poll(&pf, 1, 125) < 0 && errno != EINTR)
			break;
	}
	console_intr_signals(0);
	console_load_done(sig); /* Ctrl-C abandons the export alone; another signal ends the console */
	return sig;
}

/* An export's progress on the status line, drawn at once (the export holds the console): the
 * bytes written so far, from its first tick on (a large one takes a minute); the signal a stop
 * asks for (console_caught), which stops it. */
struct console_export_tick {
	struct console *c;
	const char *file;
	volatile sig_atomic_t *caught;
};

static int console_cmd_export_tick(void *ctx, uint64_t bytes, double seconds)
{
	struct console_export_tick *t = ctx;
	char mb[32];
	if (*t->caught)
		return *t->caught;
	report_count_text((bytes + 500000) / 1000000, mb, sizeof mb);
	console_message(t->c, 0, "writing %s: %s MB in %.0f s (Ctrl-C stops it)", t->file, mb, seconds);
	console_frame(t->c);
	return 0;
}

static int console_cmd_export(struct console *c, const char *args, struct err *e)
{
	char buf[CONSOLE_CMD_MAX], *rest = buf, *fmt;
	snprintf(buf, sizeof buf, "%s", args);
	fmt = console_cmd_word(&rest);
	int csv = strcmp(fmt, "csv") == 0;
	if ((!csv && strcmp(fmt, "json") != 0) || !*rest)
		return err_set(e, "usage: export json|csv FILE");
	char file[sizeof buf];
	if (console_cmd_file(rest, file, sizeof file, e) < 0 || console_cmd_may_write(c, "export", file, e) < 0)
		return -1;
	int pending = 0; /* a scenario whose run has not published its result (busy counts until then) */
	for (size_t i = 0; i < c->m->n_scen; i++)
		pending |= c->m->scen[i]->busy > 0;
	int sig = pending ? console_cmd_export_wait(c, file) : 0;
	if (sig)
		return err_set(e, "%s: export abandoned, nothing written to %s (the runs go on)",
		               sig == SIGINT ? "interrupted" : "stopped", file);
	struct console_export_tick t = { c, file, console_caught() };
	console_intr_signals(1); /* Ctrl-C and Ctrl-\ send their signals: the export reads no keys */
	sig = console_model_export(c->m, csv, file, console_cmd_export_tick, &t, e);
	console_intr_signals(0);
	console_load_done(sig > 0 ? sig : 0); /* Ctrl-C stops the export alone; another signal ends the console */
	if (sig > 0)
		return err_set(e, "%s: export stopped, nothing written to %s", sig == SIGINT ? "interrupted" : "stopped",
		               file);
	if (sig < 0)
		return -1;
	console_message(c, 0, "wrote %s (%s)", file, fmt);
	return 0;
}

static int console_cmd_save(struct console *c, const char *args, struct err *e)
{
	char buf[CONSOLE_CMD_MAX], *rest = buf, *label;
	snprintf(buf, sizeof buf, "%s", args);
	/* a name with blanks ("save v3 cache+routing v3.json"): the longest open one args start with */
	size_t named = 0;
	for (size_t i = 0; i < c->m->n_scen; i++) {
		const char *name = c->m->scen[i]->sc.name;
		size_t len = name ? strlen(name) : 0;
		if (len > named && strchr(name, ' ') && strncmp(buf, name, len) == 0 && buf[len] == ' ')
			named = len;
	}
	if (named) {
		buf[named] = 0;
		label = buf;
		rest = buf + named + 1 + strspn(buf + named + 1, " \t");
	} else {
		label = console_cmd_word(&rest);
	}
	if (!*label || !*rest)
		return err_set(e, "usage: save SCENARIO FILE");
	struct console_scen *s = console_cmd_scen(c, label, e);
	char file[sizeof buf];
	if (!s || console_cmd_file(rest, file, sizeof file, e) < 0 ||
	    console_cmd_may_write(c, "save", file, e) < 0 || scenario_save(&s->sc, file, e) < 0)
		return -1;
	s->unsaved = 0;
	console_message(c, 0, "wrote scenario %s to %s", s->label, file);
	return 0;
}

static int console_cmd_help(struct console *c, const char *args, struct err *e)
{
	if (!*args) {
		c->help = CONSOLE_HELP_KEYS;
		c->help_top = -1;
		c->dirty_body = 1;
		return 0;
	}
	for (const struct console_command *k = console_commands; k->name; k++) {
		size_t len = strlen(args);
		if (strcmp(k->name, args) == 0 ||
		    (strncmp(k->name, args, len) == 0 && k->name[len] == ' ')) {
			console_message(c, 0, "%s %s: %s", k->name, k->args, k->help);
			return 0;
		}
	}
	return err_set(e, "help: no command \"%s\"", args);
}

/* `notes [SCENARIO]`: the notes on the results shown (or on one scenario's) in an overlay, as
 * replay words them on stderr; they were on the status line when they came. */
static int console_cmd_notes(struct console *c, const char *args, struct err *e)
{
	struct console_scen *s = NULL;
	if (*args && !(s = console_cmd_scen(c, args, e)))
		return -1;
	size_t n = s ? console_model_noted(c->m, s) : c->m->n_notes;
	if (!n) {
		int running = console_model_busy(c->m) > 0;
		if (s)
			console_message(c, 0, "no note on scenario %s's results%s", s->label,
			                running ? " so far (runs under way)" : "");
		else
			console_message(c, 0, "no note on the results%s", running ? " so far (runs under way)" : "");
		return 0;
	}
	c->help = CONSOLE_HELP_NOTES;
	c->notes_of = s ? s->id : 0;
	c->help_top = 0;
	c->dirty_body = 1;
	return 0;
}

static int console_cmd_quit(struct console *c, const char *args, struct err *e)
{
	if (*args)
		return err_set(e, "usage: quit");
	c->quit = 1;
	return 0;
}

const struct console_command console_commands[] = {
	{ "load", "TRACE [--name NAME]",
	  "open a stored trace, or import a trace file (as NAME, else by its file name) and open it",
	  console_cmd_load, console_cmd_comp_trace, 0 },
	{ "scenario add", "NAME [FILE]",
	  "add a scenario from FILE (a file or a bundled name), or NAME as one, or recorded",
	  console_cmd_add, console_cmd_comp_add, 0 },
	{ "scenario drop", "NAME", "close a scenario", console_cmd_drop, console_cmd_comp_label, 0 },
	{ "scenario edit", "[NAME]",
	  "edit a scenario's JSON in $VISUAL or $EDITOR (vi), then reload and re-run it",
	  console_cmd_edit, console_cmd_comp_label, 0 },
	{ "set", "[SCENARIO.]KEY.PATH VALUE",
	  "change a key of a scenario (without SCENARIO., the selected one) and re-run it",
	  console_cmd_set, console_cmd_comp_set, 0 },
	{ "unset", "[SCENARIO.]KEY.PATH", "remove a key (it takes the format's default, not its file's value) and re-run",
	  console_cmd_unset, console_cmd_comp_set, 0 },
	{ "run", "[SCENARIO]", "re-run a scenario, or every scenario", console_cmd_run,
	  console_cmd_comp_label, 0 },
	{ "export", "json|csv FILE",
	  "write the results as llmcost replay --json or --csv would (export! overwrites a file)",
	  console_cmd_export, console_cmd_comp_export, 1 },
	{ "save", "SCENARIO FILE",
	  "write a scenario, edits included, as a scenario file (save! overwrites a file)",
	  console_cmd_save, console_cmd_comp_save, 1 },
	{ "notes", "[SCENARIO]",
	  "show again the notes and warnings on the results (a column marked * in Compare has some), "
	  "or on one scenario's", console_cmd_notes, console_cmd_comp_label, 0 },
	{ "help", "[CMD]", "list the keys and commands, or explain one command", console_cmd_help,
	  console_cmd_comp_help, 0 },
	{ "quit", "", "leave the console", console_cmd_quit, NULL, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};

/* The word of n bytes at p as a message quotes it: whole up to 60 columns, else its middle cut
 * at characters (console_cut_name), as replay's table cuts a name; the caller frees it. */
static char *console_cmd_quoted(const char *p, int n)
{
	char *word = strndup(p, (size_t)n), *cut = word ? console_cut_name(word, 60) : NULL;
	free(word);
	return cut;
}

/* The command a line starts with; *argp gets the arguments.  NULL with e set when none. */
static const struct console_command *console_cmd_find(const char *line, const char **argp,
                                                      struct err *e)
{
	char w1[64]; /* the command's name, for the suggestion (no name is as long) */
	const char *p = line, *after1, *after2;
	int n1, n2;
	while (*p == ' ' || *p == '\t')
		p++;
	n1 = (int)strcspn(p, " \t");
	snprintf(w1, sizeof w1, "%.*s", n1, p);
	after1 = p + n1;
	while (*after1 == ' ' || *after1 == '\t')
		after1++;
	n2 = (int)strcspn(after1, " \t");
	after2 = after1 + n2;
	while (*after2 == ' ' || *after2 == '\t')
		after2++;

	int first_known = 0;
	char subs[256] = "";
	for (const struct console_command *k = console_commands; k->name; k++) {
		size_t l1 = strcspn(k->name, " ");
		if ((size_t)n1 != l1 || strncmp(k->name, p, l1) != 0)
			continue;
		first_known = 1;
		if (!k->name[l1]) {
			*argp = after1;
			return k;
		}
		if (strlen(k->name + l1 + 1) == (size_t)n2 && strncmp(k->name + l1 + 1, after1, (size_t)n2) == 0) {
			*argp = after2;
			return k;
		}
		size_t o = strlen(subs);
		snprintf(subs + o, sizeof subs - o, "%s%s", o ? ", " : "", k->name + l1 + 1);
	}
	if (first_known) {
		char *shown = console_cmd_quoted(after1, n2);
		if (n2)
			err_set(e, "%s: expected %s, not \"%s\"", w1, subs, shown ? shown : "");
		else
			err_set(e, "%s: expected %s", w1, subs);
		free(shown);
		return NULL;
	}
	/* unknown: suggest the closest name */
	const char *best = NULL;
	int best_d = scenario_slip_edits(strlen(w1)) + 1;
	char names[256] = "", word[64];
	for (const struct console_command *k = console_commands; k->name; k++) {
		snprintf(word, sizeof word, "%.*s", (int)strcspn(k->name, " "), k->name);
		if (strstr(names, word) == NULL) {
			size_t o = strlen(names);
			snprintf(names + o, sizeof names - o, "%s%s", o ? " " : "", word);
		}
		int d = scenario_edit_distance(w1, word);
		if (d < best_d) {
			best_d = d;
			best = k->name;
		}
	}
	char *shown = console_cmd_quoted(p, n1);
	if (best) {
		snprintf(word, sizeof word, "%.*s", (int)strcspn(best, " "), best);
		err_set(e, "unknown command \"%s\" (did you mean \"%s\"?); the commands are: %s",
		        shown ? shown : "", word, names);
	} else {
		err_set(e, "unknown command \"%s\"; the commands are: %s", shown ? shown : "", names);
	}
	free(shown);
	return NULL;
}

void console_cmd_exec(struct console *c, const char *line)
{
	struct err e = { "" };
	const char *args;
	while (*line == ' ' || *line == '\t' || *line == ':')
		line++;
	if (!*line)
		return;
	/* every command's arguments fit in CONSOLE_CMD_MAX (a path is never cut short) */
	size_t line_len = strlen(line);
	if (line_len >= CONSOLE_CMD_MAX) {
		console_message(c, 1, "the command is %zu bytes long, over the %d bytes the console takes: "
		                "nothing was done", line_len, CONSOLE_CMD_MAX - 1);
		console_dirty(c);
		return;
	}
	/* NAME! (export!, save!): overwrite an existing file */
	char buf[CONSOLE_CMD_MAX];
	size_t n = strcspn(line, " \t");
	int bang = n > 1 && line[n - 1] == '!';
	if (bang) {
		snprintf(buf, sizeof buf, "%.*s%s", (int)n - 1, line, line + n);
		line = buf;
	}
	const struct console_command *k = console_cmd_find(line, &args, &e);
	if (k && bang && !k->writes)
		k = NULL, err_set(&e, "only export! and save! take a !");
	if (k) {
		char a[CONSOLE_CMD_MAX];
		snprintf(a, sizeof a, "%s", args);
		size_t len = strlen(a);
		while (len && (a[len - 1] == ' ' || a[len - 1] == '\t'))
			a[--len] = 0;
		c->overwrite = bang;
		int rc = k->fn(c, a, &e);
		c->overwrite = 0;
		if (rc == 0) {
			console_dirty(c);
			return;
		}
	}
	console_message(c, 1, "%s", e.msg);
	console_dirty(c);
}
