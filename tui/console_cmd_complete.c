/*
 * Tab completion of the console's ':' line (console_cmd.c installs it as
 * readline's attempted-completion function): command names, then each
 * command's arguments through the completer its entry in the command table
 * (console_cmd_exec.c) names: scenario labels, scenario key paths from
 * sim/scenario.h's key table, their values, trace and file names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "traces/bundled.h"
#include "traces/scenario.h"
#include "traces/store.h"
#include "tui/console.h"
#include "tui/console_cmd_internal.h"

struct console_cmd_cand {
	char **v;
	size_t n, cap;
	const char *prefix;
};

static void console_cmd_cand_add(struct console_cmd_cand *l, const char *s)
{
	if (strncmp(s, l->prefix, strlen(l->prefix)) != 0)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return;
		l->v = v;
		l->cap = cap;
	}
	if ((l->v[l->n] = strdup(s)))
		l->n++;
	l->v[l->n] = NULL;
}

static void console_cmd_cand_labels(struct console *c, struct console_cmd_cand *l, const char *suffix)
{
	char buf[512];
	for (size_t i = 0; i < c->m->n_scen; i++) {
		snprintf(buf, sizeof buf, "%s%s", c->m->scen[i]->label, suffix);
		console_cmd_cand_add(l, buf);
	}
}

/* text with its quotes removed as console_cmd_file removes them (console_cmd_unquote), begun
 * inside quote q (0: none), in a new string. */
char *console_cmd_dequote(char *text, int q)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	if (!out)
		return NULL;
	char quote = (char)q;
	for (const char *p = text; *p; p++) {
		int ch = console_cmd_unquote(&p, &quote);
		if (ch >= 0)
			*o++ = (char)ch;
	}
	*o = 0;
	return out;
}

/* A file name completed, quoted so that console_cmd_file reads it back: a ' " or \ escaped by a
 * backslash, and within the quote *qp the user opened, what that quote needs (in '…' a ' is
 * '\'', in "…" a " or \ escaped); readline adds the closing quote. */
char *console_cmd_quote(char *text, int match_type, char *qp)
{
	char q = qp ? *qp : 0, *out = malloc(strlen(text) * 4 + 1), *o = out;
	(void)match_type;
	if (!out)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (q == '\'' && *p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
			continue;
		}
		if ((q == '"' && (*p == '"' || *p == '\\')) || (!q && strchr("'\"\\", *p)))
			*o++ = '\\';
		*o++ = *p;
	}
	*o = 0;
	return out;
}

static void console_cmd_cand_files(struct console_cmd_cand *l)
{
	char *f;
	/* the names readline finds are unquoted: they are kept when they start as the word does
	 * once its quotes are removed */
	char *plain = console_cmd_dequote((char *)l->prefix, rl_completion_found_quote ? rl_completion_quote_character : 0);
	const char *was = l->prefix;
	if (plain)
		l->prefix = plain;
	for (int state = 0; (f = rl_filename_completion_function(was, state)); state++) {
		console_cmd_cand_add(l, f);
		free(f);
	}
	l->prefix = was;
	free(plain);
	rl_filename_completion_desired = 1;
}

static void console_cmd_cand_traces(struct console *c, struct console_cmd_cand *l)
{
	struct store st = { 0 };
	struct store_trace_info *info = NULL;
	size_t n = 0;
	struct err e;
	if (store_open(&st, c->m->db_path, &e) == 0) {
		if (store_list(&st, &info, &n, &e) == 0)
			for (size_t i = 0; i < n; i++)
				console_cmd_cand_add(l, info[i].name);
		free(info);
		store_close(&st);
	}
}

/* The names a '*' or "[]" of the key table stands for in scenario sc. */
static void console_cmd_cand_expand(struct console *c, struct console_scen *s, const char *pat,
                                const char *label, struct console_cmd_cand *l)
{
	const char *star = strchr(pat, '*'), *brk = strstr(pat, "[]");
	const char *wild = star && (!brk || star < brk) ? star : brk;
	char out[1024], head[300];
	if (!wild) {
		snprintf(out, sizeof out, "%s%s", label, pat);
		console_cmd_cand_add(l, out);
		return;
	}
	size_t hl = (size_t)(wild - pat) - (wild == star ? 1 : 0); /* without the '.' before a '*' */
	snprintf(head, sizeof head, "%.*s", (int)hl, pat);
	const struct scenario_key *k = scenario_key_find(scenario_keys, scenario_n_keys, head);
	const char *tail = wild + (wild == star ? 1 : 2);
	if (!k || (k->type != SKEY_MAP && k->type != SKEY_LIST) || k->off_flag == SKEY_NO_FLAG)
		return;
	const char *base = (const char *)&s->sc;
	const char *arr;
	size_t n;
	memcpy(&arr, base + k->off, sizeof arr);
	memcpy(&n, base + k->off_flag, sizeof n);
	for (size_t i = 0; i < n && arr; i++) {
		if (k->type == SKEY_MAP) {
			const char *name;
			memcpy(&name, arr + i * k->elem_size + k->elem_name, sizeof name);
			snprintf(out, sizeof out, "%s%s.%s%s", label, head, name ? name : "", tail);
		} else {
			snprintf(out, sizeof out, "%s%s[%zu]%s", label, head, i, tail);
		}
		if (!strchr(tail, '*') && !strstr(tail, "[]"))
			console_cmd_cand_add(l, out);
	}
	/* budget policies for the trace's tasks that have none yet */
	if (k->type == SKEY_MAP && strcmp(head, "budget") == 0 && s->has_res)
		for (size_t i = 0; i < s->res.n_tasks; i++) {
			snprintf(out, sizeof out, "%s%s.%s%s", label, head, s->res.task_names[i], tail);
			console_cmd_cand_add(l, out);
		}
}

static void console_cmd_cand_paths(struct console *c, struct console_cmd_cand *l)
{
	const char *path;
	char label[300] = "";
	struct console_scen *s = console_model_split_path(c->m, l->prefix, console_selected(c), &path);
	if (!s)
		return;
	if (path != l->prefix)
		snprintf(label, sizeof label, "%.*s", (int)(path - l->prefix), l->prefix);
	else
		console_cmd_cand_labels(c, l, ".");
	for (size_t i = 0; i < scenario_n_keys; i++)
		console_cmd_cand_expand(c, s, scenario_keys[i].path, label, l);
}

/* Values for `set PATH <Tab>`: enum names, true/false, route names, null. */
static void console_cmd_cand_values(struct console *c, const char *line, struct console_cmd_cand *l)
{
	char buf[1024], *rest = buf, *word;
	const char *path;
	snprintf(buf, sizeof buf, "%s", line);
	console_cmd_word(&rest);          /* "set" */
	word = console_cmd_word(&rest);
	struct console_scen *s = console_model_split_path(c->m, word, console_selected(c), &path);
	const struct scenario_key *k = scenario_key_find(scenario_keys, scenario_n_keys, path);
	if (!s || !k)
		return;
	if (k->type == SKEY_ENUM && k->names)
		for (size_t i = 0; k->names[i]; i++)
			console_cmd_cand_add(l, k->names[i]);
	if (k->type == SKEY_BOOL) {
		console_cmd_cand_add(l, "true");
		console_cmd_cand_add(l, "false");
	}
	if (k->flags & KEYF_ROUTE)
		for (size_t i = 0; i < s->sc.n_routes; i++)
			console_cmd_cand_add(l, s->sc.routes[i].name);
	if (k->flags & KEYF_NULLABLE)
		console_cmd_cand_add(l, "null");
}

int console_cmd_comp_trace(struct console *c, const char *text, int argno, const char *line,
                           char ***out)
{
	(void)line;
	struct console_cmd_cand l = { .prefix = text };
	if (argno == 0) {
		console_cmd_cand_traces(c, &l);
		console_cmd_cand_files(&l);
	}
	*out = l.v;
	return 0;
}

int console_cmd_comp_add(struct console *c, const char *text, int argno, const char *line,
                         char ***out)
{
	(void)line;
	struct console_cmd_cand l = { .prefix = text };
	char list[1024], *p, *tok;
	if (argno <= 1) { /* NAME, or FILE: a file or a bundled name (NAME may also be recorded) */
		bundled_scenarios(list, sizeof list);
		if (argno == 0)
			console_cmd_cand_add(&l, "recorded");
		for (p = list; (tok = strtok(p, ", ")); p = NULL)
			console_cmd_cand_add(&l, tok);
		console_cmd_cand_files(&l);
	}
	(void)c;
	*out = l.v;
	return 0;
}

int console_cmd_comp_label(struct console *c, const char *text, int argno, const char *line,
                           char ***out)
{
	(void)line;
	struct console_cmd_cand l = { .prefix = text };
	if (argno == 0)
		console_cmd_cand_labels(c, &l, "");
	*out = l.v;
	return 0;
}

int console_cmd_comp_set(struct console *c, const char *text, int argno, const char *line,
                         char ***out)
{
	struct console_cmd_cand l = { .prefix = text };
	if (argno == 0)
		console_cmd_cand_paths(c, &l);
	else if (argno == 1 && strncmp(line, "set", 3) == 0)
		console_cmd_cand_values(c, line, &l);
	*out = l.v;
	return 0;
}

int console_cmd_comp_export(struct console *c, const char *text, int argno, const char *line,
                            char ***out)
{
	(void)c;
	(void)line;
	struct console_cmd_cand l = { .prefix = text };
	if (argno == 0) {
		console_cmd_cand_add(&l, "json");
		console_cmd_cand_add(&l, "csv");
	} else if (argno == 1) {
		console_cmd_cand_files(&l);
	}
	*out = l.v;
	return 0;
}

int console_cmd_comp_save(struct console *c, const char *text, int argno, const char *line,
                          char ***out)
{
	(void)line;
	struct console_cmd_cand l = { .prefix = text };
	if (argno == 0)
		console_cmd_cand_labels(c, &l, "");
	else if (argno == 1)
		console_cmd_cand_files(&l);
	*out = l.v;
	return 0;
}

int console_cmd_comp_help(struct console *c, const char *text, int argno, const char *line,
                          char ***out)
{
	(void)c;
	(void)line;
	struct console_cmd_cand l = { .prefix = text };
	char word[64];
	if (argno == 0)
		for (const struct console_command *k = console_commands; k->name; k++) {
			snprintf(word, sizeof word, "%.*s", (int)strcspn(k->name, " "), k->name);
			console_cmd_cand_add(&l, word);
		}
	*out = l.v;
	return 0;
}

static char **console_cmd_list;
static size_t console_cmd_list_i;

static char *console_cmd_gen(const char *text, int state)
{
	(void)text;
	if (state == 0)
		console_cmd_list_i = 0;
	if (!console_cmd_list || !console_cmd_list[console_cmd_list_i])
		return NULL;
	return strdup(console_cmd_list[console_cmd_list_i++]);
}

char **console_cmd_complete(const char *text, int start, int end)
{
	struct console *c = console_cmd_c;
	struct console_cmd_cand l = { .prefix = text };
	char before[2048], *rest = before, *words[8];
	int nw = 0;
	(void)end;
	rl_attempted_completion_over = 1; /* no silent fallback to file names */
	if (!c || c->prompt != ':')
		return NULL;
	/* the words before the one completed, without the quote that opens it ('a b) */
	if (start > 0 && rl_completion_quote_character && rl_line_buffer[start - 1] == rl_completion_quote_character)
		start--;
	snprintf(before, sizeof before, "%.*s", start, rl_line_buffer);
	while (nw < 8) {
		char *w = console_cmd_word(&rest);
		if (!*w)
			break;
		words[nw++] = w;
	}
	if (nw == 0) {
		char word[64];
		for (const struct console_command *k = console_commands; k->name; k++) {
			snprintf(word, sizeof word, "%.*s", (int)strcspn(k->name, " "), k->name);
			console_cmd_cand_add(&l, word);
		}
	} else {
		/* which command, and how many of its arguments are complete */
		const struct console_command *cmd = NULL;
		int used = 0;
		for (const struct console_command *k = console_commands; k->name && !cmd; k++) {
			size_t l1 = strcspn(k->name, " ");
			if (strlen(words[0]) != l1 || strncmp(k->name, words[0], l1) != 0)
				continue;
			if (!k->name[l1]) {
				cmd = k;
				used = 1;
			} else if (nw >= 2 && strcmp(k->name + l1 + 1, words[1]) == 0) {
				cmd = k;
				used = 2;
			} else if (nw == 1) {
				console_cmd_cand_add(&l, k->name + l1 + 1);
			}
		}
		if (cmd && cmd->complete) {
			char **v = NULL;
			cmd->complete(c, text, nw - used, rl_line_buffer, &v);
			free(l.v);
			l.v = v;
		}
	}
	if (!l.v)
		return NULL;
	size_t n = 0;
	while (l.v[n])
		n++;
	if (n == 1 && l.v[0][0] && l.v[0][strlen(l.v[0]) - 1] == '.')
		rl_completion_append_character = '\0';
	console_cmd_list = l.v;
	char **m = rl_completion_matches(text, console_cmd_gen);
	for (size_t i = 0; i < n; i++)
		free(l.v[i]);
	free(l.v);
	console_cmd_list = NULL;
	return m;
}
