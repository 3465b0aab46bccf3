/* Names as a terminal shows them: what is escaped, widths in columns, cuts at a column budget;
 * a message with them written in one go to an unbuffered stream (stderr). */
#define _GNU_SOURCE /* fopencookie */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/test.h"
#include "traces/text.h"
#include "tui/cli.h"

/* text_show's result as a checked string (freed after the check). */
#define CHECK_SHOW(s, cols, want) do { \
	char *got_ = text_show(s, cols); \
	CHECK_STR(got_, want); \
	free(got_); \
} while (0)

static void escapes_controls_bidi_and_bad_bytes(void)
{
	CHECK_SHOW("plain", 0, "plain");
	CHECK_SHOW("\x1b[31mred", 0, "\\u001b[31mred");
	CHECK_SHOW("a\nb\tc\x7f", 0, "a\\u000ab\\u0009c\\u007f");
	CHECK_SHOW("c1\xc2\x9b", 0, "c1\\u009b");                     /* U+009B, a C1 control */
	CHECK_SHOW("x\xe2\x80\xaey\xe2\x81\xa9", 0, "x\\u202ey\\u2069"); /* RLO, PDI */
	CHECK_SHOW("\xe2\x81\xa6" "a", 0, "\\u2066a");                  /* LRI, the first isolate */
	CHECK_SHOW("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80");      /* U+110000: past Unicode */
	CHECK_SHOW("\xff\xfe", 0, "\\xff\\xfe");
	CHECK_SHOW("\xc0\xaf", 0, "\\xc0\\xaf");                       /* an overlong '/' */
	CHECK_SHOW("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");              /* a surrogate */
	CHECK_SHOW("\xe6\xbc\xa2", 0, "\xe6\xbc\xa2");                 /* 漢 stays */
	/* the zero width joiner: 👨‍👩 (man, ZWJ, woman) is drawn in 2 columns by a terminal, where
	 * wcwidth counts 2 + 0 + 2; escaped, each emoji is drawn alone: 2 + 6 + 2 = 10 columns */
	CHECK_SHOW("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", 0, "\xf0\x9f\x91\xa8\\u200d\xf0\x9f\x91\xa9");
	CHECK_INT(text_width("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"), 10);
	CHECK_INT(text_escaped(0x200d), 1);
	CHECK_INT(text_escaped(0x200c), 0); /* the non-joiner joins nothing: drawn as counted, 0 */
}

static void counts_columns(void)
{
	CHECK_INT(text_width("abc"), 3);
	CHECK_INT(text_width("\xe6\xbc\xa2\xe5\xad\x97"), 4);          /* 漢字: two wide */
	CHECK_INT(text_width("e\xcc\x81\xcc\x81"), 1);                 /* e + two combining acutes */
	CHECK_INT(text_width("a\xe2\x80\x8b" "b"), 2);                 /* ZERO WIDTH SPACE */
	CHECK_INT(text_width("\x1b"), 6);                              /* as shown: \u001b */
	CHECK_INT(text_width("\xff"), 4);                              /* as shown: \xff */
}

static void cuts_at_the_budget(void)
{
	CHECK_SHOW("abcdef", 6, "abcdef");
	CHECK_SHOW("abcdefg", 6, "abcde\xe2\x80\xa6");                 /* 5 columns and "…" */
	/* 漢字漢字 is 8 columns; in 6: 漢字 (4) then 漢 would make 6, leaving no room for "…" */
	CHECK_SHOW("\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\xe5\xad\x97", 6, "\xe6\xbc\xa2\xe5\xad\x97\xe2\x80\xa6");
	CHECK_SHOW("ab\x1b", 5, "ab\xe2\x80\xa6");                     /* an escape is not split */
}

/* text_cut_middle's result with mark, columns as text_cp_width counts them (freed after the check). */
#define CHECK_MIDDLE(s, cols, mark, want) do { \
	char *got_ = text_cut_middle(s, cols, mark, text_cp_width); \
	CHECK_STR(got_, want); \
	free(got_); \
} while (0)

#define ELLIPSIS "\xe2\x80\xa6"
#define KAN "\xe6\xbc\xa2" /* 漢, 2 columns */
#define JI "\xe5\xad\x97"  /* 字, 2 columns */

/* A code point's bytes in UTF-8, as a cut to a buffer counts its columns. */
static int utf8_bytes(long cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static void cuts_in_the_middle(void)
{
	CHECK_MIDDLE("abcdef", 6, ELLIPSIS, "abcdef");                 /* fits: whole */
	/* 10 columns into 7: 6 for text, the start 3 and the end 3 */
	CHECK_MIDDLE("abcdefghij", 7, ELLIPSIS, "abc" ELLIPSIS "hij");
	/* into 6: 5 for text, the start takes the odd one: 3 and 2 */
	CHECK_MIDDLE("abcdefghij", 6, ELLIPSIS, "abc" ELLIPSIS "ij");
	/* "..." is 3 columns: into 7, 4 for text, 2 and 2 */
	CHECK_MIDDLE("abcdefghij", 7, "...", "ab...ij");
	/* 漢字漢字漢字 is 12 columns; into 7: 6 for text, the start's 3 holds one 漢 (2), so the end
	 * has 6 - 2 = 4: 漢字 */
	CHECK_MIDDLE(KAN JI KAN JI KAN JI, 7, ELLIPSIS, KAN ELLIPSIS KAN JI);
	/* a b c d e é x y is 8 columns (é an e and a combining acute, 0); into 5: "ab", and the end
	 * of 2 columns is "xy", not the acute alone on the mark */
	CHECK_MIDDLE("abcde" "e\xcc\x81" "xy", 5, ELLIPSIS, "ab" ELLIPSIS "xy");
	/* the three tenants of one long prefix stay apart in 20 columns: 10 + "…" + 9 */
	CHECK_MIDDLE("tenant-with-a-very-long-name-t1", 20, ELLIPSIS, "tenant-wit" ELLIPSIS "g-name-t1");
	CHECK_MIDDLE("tenant-with-a-very-long-name-t2", 20, ELLIPSIS, "tenant-wit" ELLIPSIS "g-name-t2");
	CHECK_MIDDLE("abcdef", 2, "...", "ab");                         /* no room for the mark */
	/* counted in bytes (as a title is cut to its buffer), a letter keeps its acute: aaaa and
	 * twenty é written e + U+0301 (3 bytes each) into 19 bytes: 16 for text, 8 and 8; the
	 * start's 8 would end "aaaaée" before an acute, so it gives up that e: "aaaaé" (7); the end
	 * then has 16 − 7 = 9 bytes, three é from an e, not from an acute (it was "aaaaée…́éé") */
	char e20[80] = "aaaa"; /* 4 + 20 × 3 bytes and the NUL */
	for (int i = 0; i < 20; i++)
		strcat(e20, "e\xcc\x81");
	char *got = text_cut_middle(e20, 19, ELLIPSIS, utf8_bytes);
	CHECK_STR(got, "aaaa" "e\xcc\x81" ELLIPSIS "e\xcc\x81" "e\xcc\x81" "e\xcc\x81");
	free(got);
}

/* text_shell_word's result as a checked string (freed after the check). */
#define CHECK_WORD(s, want) do { \
	char *got_ = text_shell_word(s); \
	CHECK_STR(got_, want); \
	free(got_); \
} while (0)

/* Bytes that begin no valid sequence become U+FFFD (EF BF BD); valid text is kept as it is. */
static void cleans_to_utf8(void)
{
	size_t n;
	char *s = text_utf8_clean("a\xff" "b\xc3\xa9\xe2\x82", &n);
	/* a, U+FFFD for FF, b, é (C3 A9) kept, then E2 82 cut short: two U+FFFD — 1+3+1+2+3+3 = 13 */
	CHECK_STR(s, "a\xef\xbf\xbd" "b\xc3\xa9\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_INT(n, 13);
	free(s);
	s = text_utf8_clean("", &n);
	CHECK_STR(s, "");
	CHECK_INT(n, 0);
	free(s);
}

static void quotes_shell_words(void)
{
	CHECK_WORD("day", "day");                                       /* plain: as it is */
	CHECK_WORD("live-q3-20260302T100000Z.jsonl", "live-q3-20260302T100000Z.jsonl");
	CHECK_WORD("/tmp/a_b/x@y:1%2+3=4,5", "/tmp/a_b/x@y:1%2+3=4,5"); /* each plain punctuation */
	CHECK_WORD("q3 prod trace", "'q3 prod trace'");                 /* a space */
	CHECK_WORD("bob's", "'bob'\\''s'");                             /* ' written as '\'' */
	CHECK_WORD("''", "''\\'''\\'''");                               /* '' then '\'' twice then '' */
	CHECK_WORD("", "''");                                           /* empty: still one word */
	CHECK_WORD("$HOME", "'$HOME'");
	CHECK_WORD("~x", "'~x'");                                       /* no tilde expansion */
	CHECK_WORD("a*b", "'a*b'");
	CHECK_WORD("\xe6\xbc\xa2", "'\xe6\xbc\xa2'");                   /* past ASCII: quoted */
}

/* An unbuffered stream, as stderr is, that counts the writes it gets. */
struct writes {
	int n;
	char got[256];
};

static ssize_t count_write(void *c, const char *buf, size_t n)
{
	struct writes *w = c;
	size_t have = strlen(w->got);
	w->n++;
	snprintf(w->got + have, sizeof w->got - have, "%.*s", (int)n, buf);
	return (ssize_t)n;
}

static FILE *counting(struct writes *w)
{
	memset(w, 0, sizeof *w);
	FILE *f = fopencookie(w, "w", (cookie_io_functions_t){ .write = count_write });
	if (f)
		setvbuf(f, NULL, _IONBF, 0);
	return f;
}

/* Each message in one write: the rejected lines of parallel imports sharing a terminal were
 * written a byte at a time and came out interleaved ("////tmp/s24/x/bad.jstonl:1: task: missing"). */
static void one_write_per_message(void)
{
	struct writes w;
	FILE *f = counting(&w);
	if (!f) {
		TEST_FAIL_("%s", "fopencookie failed");
		return;
	}
	text_printf(f, "%s:%d: %s\n", "bad\x01.jsonl", 1, "task: missing");
	CHECK_INT(w.n, 1);
	CHECK_STR(w.got, "bad\\u0001.jsonl:1: task: missing\n");
	fclose(f);
	/* cli_error: "llmcost: ", the message and its newline together */
	FILE *saved = stderr;
	if (!(stderr = counting(&w))) {
		stderr = saved;
		TEST_FAIL_("%s", "fopencookie failed");
		return;
	}
	cli_error("%s: %s", "bad\x01.jsonl", "no such file");
	FILE *mine = stderr;
	stderr = saved;
	fclose(mine);
	CHECK_INT(w.n, 1);
	CHECK_STR(w.got, "llmcost: bad\\u0001.jsonl: no such file\n");
}

/* A newline of the format is a line of the message; one a value brings is shown as \u000a, as
 * a tab or ESC is: a name was able to begin a line of its own ("llmcost: no trace named "nl" then
 * "nam" (nothing removed)"). Whatever the conversions before it (%zu, %.*s, %g). */
static void newline_of_a_value_escaped(void)
{
	struct writes w;
	FILE *f = counting(&w);
	if (!f) {
		TEST_FAIL_("%s", "fopencookie failed");
		return;
	}
	text_printf(f, "%zu %.*s %g removed %s\n  next\n", (size_t)3, 2, "ab\ncd", 0.5, "nl\nname\x01");
	CHECK_STR(w.got, "3 ab 0.5 removed nl\\u000aname\\u0001\n  next\n");
	fclose(f);
	FILE *saved = stderr;
	if (!(stderr = counting(&w))) {
		stderr = saved;
		TEST_FAIL_("%s", "fopencookie failed");
		return;
	}
	cli_error("%s", "no trace named \"nl\nnam\" (nothing removed)");
	FILE *mine = stderr;
	stderr = saved;
	fclose(mine);
	CHECK_INT(w.n, 1);
	CHECK_STR(w.got, "llmcost: no trace named \"nl\\u000anam\" (nothing removed)\n");
}

void suite_text(void)
{
	RUN(one_write_per_message);
	RUN(newline_of_a_value_escaped);
	RUN(escapes_controls_bidi_and_bad_bytes);
	RUN(counts_columns);
	RUN(cuts_at_the_budget);
	RUN(cuts_in_the_middle);
	RUN(quotes_shell_words);
	RUN(cleans_to_utf8);
}
