/*
 * Names as a terminal shows them (text.h): one decoder, one rule for what is
 * escaped, one width, used by the tables, the lists and the error messages.
 */
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "traces/text.h"

static int ascii_symbols; /* set by text_locale_init, before any thread starts */

void text_locale_init(void)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	/* a locale that cannot be loaded leaves setlocale's C, whose character set is ASCII */
	ascii_symbols = !loc || strcmp(nl_langinfo_l(CODESET, loc), "UTF-8") != 0;
	if (loc)
		freelocale(loc);
}

const char *text_symbol(const char *utf8, const char *ascii)
{
	return ascii_symbols ? ascii : utf8;
}

long text_decode(const unsigned char *s, int *len)
{
	static const unsigned char need[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3 };
	static const long least[] = { 0, 0x80, 0x800, 0x10000 };
	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	int k = s[0] >= 0xf8 ? 0 : need[s[0] >> 4];
	if (k == 0)
		return -1;
	long cp = s[0] & (0x3f >> k);
	for (int i = 1; i <= k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < least[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1; /* overlong, past Unicode, or a surrogate */
	*len = k + 1;
	return cp;
}

int text_is_utf8(const char *s)
{
	for (int len; *s; s += len)
		if (text_decode((const unsigned char *)s, &len) < 0)
			return 0;
	return 1;
}

char *text_utf8_clean(const char *s, size_t *len)
{
	char *out = malloc(strlen(s) * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n;
		if (text_decode(p, &n) < 0) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(o, p, (size_t)n);
			o += n;
		}
		p += n;
	}
	*o = 0;
	*len = (size_t)(o - out);
	return out;
}

int text_escaped(long cp)
{
	/* U+200D, the zero width joiner, too: a terminal draws an emoji sequence it joins (👨‍👩‍👧) in
	 * 2 columns where wcwidth counts each emoji's 2, so a row of one would be drawn short and
	 * leave characters of the screen before on it; escaped, each emoji is drawn alone */
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x200d || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static locale_t utf8;

static void utf8_open(void)
{
	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

int text_cp_width(long cp)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (cp < 0x80)
		return 1;
	pthread_once(&once, utf8_open);
	if (!utf8)
		return 1;
	locale_t was = uselocale(utf8);
	int w = wcwidth((wchar_t)cp);
	uselocale(was);
	return w < 0 ? 1 : w;
}

int text_cp_joins(long cp)
{
	return cp >= 0x80 && !text_escaped(cp) && text_cp_width(cp) == 0;
}

/*
 * The piece of text at s — one code point, or one byte that is not UTF-8 —
 * its length in *len, what is shown for it in *shown (*n bytes: an escape in
 * buf, else s itself), and its columns.
 */
static size_t piece(const char *s, int *len, char buf[8], const char **shown, size_t *n)
{
	long cp = text_decode((const unsigned char *)s, len);
	if (cp >= 0 && !text_escaped(cp)) {
		*shown = s;
		*n = (size_t)*len;
		return (size_t)text_cp_width(cp);
	}
	*n = (size_t)snprintf(buf, 8, cp < 0 ? "\\x%02lx" : "\\u%04lx", cp < 0 ? (long)(unsigned char)*s : cp);
	*shown = buf;
	return *n;
}

size_t text_width(const char *s)
{
	size_t w = 0, n;
	int len;
	char buf[8];
	const char *shown;
	for (; *s; s += len)
		w += piece(s, &len, buf, &shown, &n);
	return w;
}

char *text_show(const char *s, size_t max_cols)
{
	const char *mark = text_symbol("\xe2\x80\xa6", "...");
	size_t total = text_width(s), fit = !max_cols || total <= max_cols, cols = 0, o = 0, n;
	size_t mark_cols = text_width(mark);
	if (max_cols <= mark_cols)
		mark = "", mark_cols = 0; /* no room for it: the start alone */
	size_t budget = fit ? total : max_cols - mark_cols;
	char *out = malloc(strlen(s) * 6 + 4), buf[8]; /* an escape is at most 6 bytes a byte */
	const char *shown;
	int len;
	if (!out)
		return NULL;
	for (; *s; s += len) {
		size_t w = piece(s, &len, buf, &shown, &n);
		if (cols + w > budget)
			break;
		memcpy(out + o, shown, n);
		o += n;
		cols += w;
	}
	if (!fit) {
		memcpy(out + o, mark, strlen(mark));
		o += strlen(mark);
	}
	out[o] = 0;
	return out;
}

char *text_cut_middle(const char *s, size_t max_cols, const char *mark, int (*cols)(long cp))
{
	return text_cut_shifted(s, max_cols, 0, mark, cols);
}

char *text_cut_shifted(const char *s, size_t max_cols, size_t shift, const char *mark, int (*cols)(long cp))
{
	size_t total = 0, mark_cols = 0, n = strlen(s);
	int len;
	for (const char *p = s; *p; p += len)
		total += (size_t)cols(text_decode((const unsigned char *)p, &len));
	for (const char *p = mark; *p; p += len)
		mark_cols += (size_t)cols(text_decode((const unsigned char *)p, &len));
	char *out = malloc(n + strlen(mark) + 1);
	if (!out)
		return NULL;
	if (total <= max_cols) {
		memcpy(out, s, n + 1);
		return out;
	}
	/* the start gets the odd column: "tenant-with-a-very-long…name-t1"; shift of them to the end */
	size_t budget = max_cols > mark_cols ? max_cols - mark_cols : 0, head_cols = budget - budget / 2;
	head_cols = head_cols > shift ? head_cols - shift : 0;
	size_t head = 0, used = 0, tail = n, seen = 0;
	if (max_cols <= mark_cols)
		mark = "", head_cols = max_cols; /* no room for the mark: the start alone */
	for (const char *p = s; *p; p += len) {
		size_t w = (size_t)cols(text_decode((const unsigned char *)p, &len));
		if (used + w > head_cols)
			break;
		used += w;
		head += (size_t)len;
	}
	/* a letter keeps its combining marks (drawn in no column, whatever cols counts): a start
	 * whose next code point is one gives up the letter before it */
	while (head > 0 && s[head] && text_cp_joins(text_decode((const unsigned char *)s + head, &len))) {
		size_t prev = head - 1;
		while (prev > 0 && ((unsigned char)s[prev] & 0xc0) == 0x80)
			prev--;
		used -= (size_t)cols(text_decode((const unsigned char *)s + prev, &len));
		head = prev;
	}
	/* the end: from the first code point after the start from which the rest fits, never one
	 * of no width (a combining mark without its base) */
	seen = used;
	for (const char *p = s + head; *mark && *p; p += len) {
		long cp = text_decode((const unsigned char *)p, &len);
		int w = cols(cp);
		if (!text_cp_joins(cp) && total - seen <= budget - used) {
			tail = (size_t)(p - s);
			break;
		}
		seen += (size_t)w;
	}
	memcpy(out, s, head);
	strcpy(out + head, mark);
	strcat(out, s + tail);
	return out;
}

char *text_cell(const char *s)
{
	char *shown = text_show(s, 0);
	char *cut = shown ? text_cut_middle(shown, TEXT_CELL_COLS, text_symbol("\xe2\x80\xa6", "..."),
	                                    text_cp_width) : NULL;
	free(shown);
	return cut;
}

/* Writes the n bytes at s to f with their escapes.  With `lines`, a string as long as s, a byte
 * where the two differ is a newline of the message's own, written as one: every other newline
 * is shown as its escape.  The byte after them must not continue UTF-8 (a NUL, as strings end). */
static void put(FILE *f, const char *s, size_t n, const char *lines)
{
	/* the pieces gathered and written together: an unbuffered stream (stderr) gets a message
	 * in one write, not one per byte, so the lines of processes sharing it do not interleave */
	char out[4096];
	size_t k, o = 0;
	int len;
	char buf[8];
	const char *shown, *from = s;
	for (const char *end = s + n; s < end; s += len) {
		piece(s, &len, buf, &shown, &k);
		if (lines && *s != lines[s - from])
			k = 1, shown = "\n";
		if (o + k > sizeof out) {
			fwrite(out, 1, o, f);
			o = 0;
		}
		memcpy(out + o, shown, k);
		o += k;
	}
	if (o)
		fwrite(out, 1, o, f);
}

void text_put_bytes(FILE *f, const char *s, size_t n)
{
	char *copy = malloc(n + 1);
	if (!copy)
		return;
	memcpy(copy, s, n);
	copy[n] = 0;
	put(f, copy, n, NULL);
	free(copy);
}

/* fmt formatted with each of its own newlines as the byte mark, in a new string (*n bytes; NULL
 * when out of memory or fmt is not formatted). */
static char *format_marked(const char *fmt, char mark, size_t *n, va_list ap)
{
	char *marked = strdup(fmt);
	if (!marked)
		return NULL;
	for (char *p = marked; (p = strchr(p, '\n')); p++)
		*p = mark;
	va_list again;
	va_copy(again, ap);
	int len = vsnprintf(NULL, 0, marked, ap);
	char *out = len < 0 ? NULL : malloc((size_t)len + 1);
	if (out)
		vsnprintf(out, (size_t)len + 1, marked, again);
	va_end(again);
	free(marked);
	*n = out ? (size_t)len : 0;
	return out;
}

/* fmt formatted and written with every newline shown as its escape: in a stack buffer when it
 * fits, or when there is no memory for more (the message cut, not lost). */
static void put_formatted(FILE *f, const char *fmt, va_list ap)
{
	char small[512], *msg = small;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small && (msg = malloc((size_t)n + 1)))
		vsnprintf(msg, (size_t)n + 1, fmt, again);
	va_end(again);
	if (n < 0)
		return;
	const char *text = msg ? msg : small;
	put(f, text, strlen(text), NULL);
	if (msg != small)
		free(msg);
}

void text_vprintf(FILE *f, const char *fmt, va_list ap)
{
	/* The newlines of fmt are the message's lines; one a value brings (a name, a path: "n\nl")
	 * is shown as \u000a, so no name can begin a line of its own.  Which is which, when fmt has
	 * any: fmt is formatted twice, its newlines as \001 and then as \002; the values format the
	 * same both times, so the bytes that differ are fmt's newlines, whatever the conversions are.
	 * Out of memory, every newline is escaped rather than the message lost. */
	if (!strchr(fmt, '\n')) {
		put_formatted(f, fmt, ap);
		return;
	}
	va_list again, last;
	va_copy(again, ap);
	va_copy(last, ap);
	size_t n1, n2;
	char *one = format_marked(fmt, '\001', &n1, ap), *two = format_marked(fmt, '\002', &n2, again);
	if (one && two && n1 == n2)
		put(f, one, n1, two);
	else
		put_formatted(f, fmt, last);
	va_end(again);
	va_end(last);
	free(one);
	free(two);
}

void text_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_vprintf(f, fmt, ap);
	va_end(ap);
}

/* The bytes a shell word may hold unquoted: none of them is special to sh. */
static int shell_plain(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c && strchr("._/:@%+=,-", c));
}

char *text_shell_word(const char *s)
{
	size_t n = 0, quotes = 0;
	int plain = *s != 0;
	for (; s[n]; n++) {
		plain &= shell_plain((unsigned char)s[n]);
		quotes += s[n] == '\'';
	}
	char *out = malloc(plain ? n + 1 : n + 3 * quotes + 3), *o = out;
	if (!out)
		return NULL;
	if (plain)
		return memcpy(out, s, n + 1);
	*o++ = '\'';
	for (; *s; s++)
		if (*s == '\'')
			memcpy(o, "'\\''", 4), o += 4; /* close, an escaped quote, open again */
		else
			*o++ = *s;
	*o++ = '\'';
	*o = 0;
	return out;
}
