/*
 * Names as a terminal shows them.  Tenant, task, model, trace and scenario
 * names come from users' files and may hold anything UTF-8 allows (and file
 * names need not be UTF-8), so text meant for a terminal — the tables, the
 * lists, error messages — goes through here: control characters (C0, DEL,
 * C1), the bidirectional overrides and isolates, the zero width joiner (which
 * terminals draw emoji sequences with in fewer columns than their parts), and bytes that are not UTF-8
 * are written as escapes (\u001b, \u202e, \xff), so no name can move the
 * cursor, retitle the window or reorder a line; and widths are counted in
 * terminal columns (wide characters 2, combining marks 0), independently of
 * the process's locale.  The JSON and CSV outputs carry names exactly instead.
 */
#ifndef TRACES_TEXT_H
#define TRACES_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Decides, once, from the environment's locale (LC_ALL, LC_CTYPE, LANG, as setlocale reads
 * them, without setting the process's), whether text_symbol gives UTF-8 symbols or ASCII ones;
 * before it is called, UTF-8. */
void text_locale_init(void);

/* The program's own symbols in text output ("…", "—", "×"): utf8 when the locale's character set
 * is UTF-8, else ascii ("...", "-", "x"), which any terminal shows.  Names are data and are
 * never changed by it; --json and --csv carry them exactly. */
const char *text_symbol(const char *utf8, const char *ascii);

/* The code point of the UTF-8 sequence at s (its length in *len), or -1 for a byte that does
 * not begin a valid sequence (*len 1). */
long text_decode(const unsigned char *s, int *len);

/* 1 when the string s is valid UTF-8 throughout. */
int text_is_utf8(const char *s);

/* s as valid UTF-8 in a new string of *len bytes: each byte that does not begin a valid sequence
 * becomes U+FFFD (for JSON, which is UTF-8, from text that may be in another encoding).  NULL
 * when out of memory. */
char *text_utf8_clean(const char *s, size_t *len);

/* 1 when code point cp is shown as an escape: C0, DEL, C1, U+200D, U+202A–U+202E, U+2066–U+2069. */
int text_escaped(long cp);

/* Terminal columns of code point cp: 0 for combining and zero-width ones, 2 for wide ones. */
int text_cp_width(long cp);

/* 1 when code point cp goes with the character before it (e and U+0301 are one é): of no width
 * and not shown as an escape (text_escaped: U+200D is a character of its own, as drawn). */
int text_cp_joins(long cp);

/* Terminal columns of s as text_show writes it (with its escapes). */
size_t text_width(const char *s);

/*
 * s with its escapes, cut to at most max_cols columns with "…" at the cut
 * ("..." by text_symbol; 0: never cut), in a new string (NULL when out of
 * memory).
 */
char *text_show(const char *s, size_t max_cols);

/*
 * s cut to at most max_cols columns by taking out its middle, where mark
 * stands, so that names which differ only at the end stay apart in a table
 * ("tenant-with-a-very-long…name-t1"); s whole when it fits.  cols counts a
 * code point's columns (-1 for a byte that is not UTF-8): text_cp_width for
 * text_show's output, the console's own on the screen.  No escapes are added.
 * In a new string (NULL when out of memory).
 */
char *text_cut_middle(const char *s, size_t max_cols, const char *mark, int (*cols)(long cp));
/* text_cut_middle with the start `shift` columns shorter and the end that much longer (names
 * that read the same cut in the middle may differ nearer their end). */
char *text_cut_shifted(const char *s, size_t max_cols, size_t shift, const char *mark, int (*cols)(long cp));

/* A table cell's widest: a longer name loses its middle to "…", keeping the end that tells
 * names of one prefix apart (--json and --csv carry it whole). */
#define TEXT_CELL_COLS 60

/* s as a table shows it: with its escapes, cut in the middle to TEXT_CELL_COLS columns
 * (text_cut_middle, "…" by text_symbol), in a new string (NULL when out of memory). */
char *text_cell(const char *s);

/* Writes the n bytes at s to f with their escapes (NULs among them shown as \u0000). */
void text_put_bytes(FILE *f, const char *s, size_t n);

/* Formats as fprintf does, then writes the message with its escapes, but for the newlines of
 * fmt itself, which stay: for messages of several lines.  A newline a value brings (a name, a
 * path) is shown as \u000a, as every other control character is. */
void text_vprintf(FILE *f, const char *fmt, va_list ap);
void text_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * s as one word of a shell command, for the commands the messages suggest
 * (`llmcost rejects NAME`): as it is when s is not empty and each byte is one of
 * A-Z a-z 0-9 . _ / : @ % + = , -, otherwise in single quotes, each ' written
 * as '\''.  In a new string (NULL when out of memory).
 */
char *text_shell_word(const char *s);

#endif
