/*
 * Cache-key text normalization in one pass over the UTF-8 input: each
 * character is lowercased, then dropped if it is punctuation, then folded
 * into a pending single space if it is white space.  Because each step looks
 * at one character after the previous step's mapping, the one pass gives the
 * same text as three passes in the order lower → strip_punct → collapse_space.
 * What the steps make of each ASCII byte is worked out once, in normalize_init,
 * into a table that the pass reads for those bytes.
 */
#include "sim/normalize.h"

#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wctype.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

/* Raise when a step's mapping changes, so that what was kept from the old one is remade. */
#define NORMALIZE_VERSION 1

const struct normalize_step normalize_steps[] = {
	{ .name = "lower", .flag = NORMALIZE_LOWER,
	  .help = "Unicode simple lowercase mapping (towlower in C.UTF-8)" },
	{ .name = "strip_punct", .flag = NORMALIZE_STRIP_PUNCT,
	  .help = "remove ASCII punctuation and the CJK/general punctuation blocks" },
	{ .name = "collapse_space", .flag = NORMALIZE_COLLAPSE_SPACE,
	  .help = "each run of white space becomes one space, trimmed at both ends" },
};
const unsigned normalize_n_steps = sizeof normalize_steps / sizeof normalize_steps[0];

int normalize_step_find(const char *name, unsigned *flag, struct err *e)
{
	for (unsigned i = 0; i < normalize_n_steps; i++)
		if (strcmp(name, normalize_steps[i].name) == 0) {
			*flag = normalize_steps[i].flag;
			return 0;
		}
	return err_set(e, "unknown normalization step \"%s\" (expected one of: %s, %s, %s)", name,
		       normalize_steps[0].name, normalize_steps[1].name, normalize_steps[2].name);
}

static char rules_text[64];
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

static void rules_make(void)
{
#ifdef __GLIBC__
	snprintf(rules_text, sizeof rules_text, "steps %d, glibc %s", NORMALIZE_VERSION, gnu_get_libc_version());
#else
	snprintf(rules_text, sizeof rules_text, "steps %d", NORMALIZE_VERSION);
#endif
}

const char *normalize_rules(void)
{
	pthread_once(&rules_once, rules_make);
	return rules_text;
}

/* The C.UTF-8 locale, loaded once for the process and never freed. */
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;
static locale_t utf8_locale = (locale_t)0;

static void utf8_load(void)
{
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* ASCII classes: upper case letter, punctuation (ispunct in the C locale), white space. */
enum { A_UPPER = 1, A_PUNCT = 2, A_SPACE = 4 };

static unsigned char ascii_class(unsigned c)
{
	if (c >= 'A' && c <= 'Z')
		return A_UPPER;
	if ((c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
	    (c >= 0x7b && c <= 0x7e))
		return A_PUNCT;
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return A_SPACE;
	return 0;
}

int normalize_init(struct normalize *nz, unsigned flags, struct err *e)
{
	const unsigned all = NORMALIZE_LOWER | NORMALIZE_STRIP_PUNCT | NORMALIZE_COLLAPSE_SPACE;
	nz->flags = 0;
	if (flags & ~all)
		return err_set(e, "normalize: unknown step flags 0x%x", flags & ~all);
	if (flags & NORMALIZE_LOWER) {
		pthread_once(&utf8_once, utf8_load);
		if (utf8_locale == (locale_t)0)
			return err_set(e, "normalize: \"lower\" needs the C.UTF-8 locale, which this "
				       "system's C library does not provide");
	}
	nz->flags = flags;
	for (unsigned c = 0; c < 128; c++) { /* the three steps on one ASCII byte, as below */
		unsigned mapped = (flags & NORMALIZE_LOWER) && ascii_class(c) == A_UPPER ? c + 32 : c;
		if ((flags & NORMALIZE_STRIP_PUNCT) && ascii_class(mapped) == A_PUNCT)
			nz->ascii[c] = NORMALIZE_DROP;
		else if ((flags & NORMALIZE_COLLAPSE_SPACE) && ascii_class(mapped) == A_SPACE)
			nz->ascii[c] = NORMALIZE_SPACE;
		else
			nz->ascii[c] = (int16_t)mapped;
	}
	return 0;
}

static int is_punct(uint32_t c)
{
	if (c < 0x80)
		return ascii_class(c) == A_PUNCT;
	return (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) ||
	       (c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) ||
	       (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65);
}

static int is_space(uint32_t c)
{
	if (c < 0x80)
		return ascii_class(c) == A_SPACE;
	return c == 0xa0 || c == 0x3000;
}

/*
 * The code point of the well-formed UTF-8 sequence at p[0..n) (no overlongs,
 * no surrogates, at most U+10FFFF) and its length, or 0 when the bytes there
 * do not start one.
 */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned b = p[0];
	size_t len;
	uint32_t c, min;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xc2 && b <= 0xdf) {
		len = 2, c = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3, c = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4, c = b & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static size_t utf8_encode(uint32_t c, unsigned char *o)
{
	if (c < 0x80) {
		o[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (unsigned char)(0xc0 | c >> 6);
		o[1] = (unsigned char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (unsigned char)(0xe0 | c >> 12);
		o[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | c >> 18);
	o[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (c & 0x3f));
	return 4;
}

int normalize_text(const struct normalize *nz, const char *in, size_t n, char *out,
		   size_t out_size, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)in, *end = p + n;
	unsigned char *o = (unsigned char *)out;
	size_t w = 0;
	int lower = (nz->flags & NORMALIZE_LOWER) && utf8_locale != (locale_t)0;
	int strip = (nz->flags & NORMALIZE_STRIP_PUNCT) != 0;
	int collapse = (nz->flags & NORMALIZE_COLLAPSE_SPACE) != 0;
	int pending_space = 0;

	if (out_size == 0)
		return -1;
	while (p < end) {
		if (*p < 0x80) { /* ASCII, the common case: one table look-up */
			int a = nz->ascii[*p++];
			if (a == NORMALIZE_SPACE) {
				pending_space = w > 0;
			} else if (a != NORMALIZE_DROP) {
				if (w + pending_space + 1 >= out_size)
					return -1;
				if (pending_space) {
					o[w++] = ' ';
					pending_space = 0;
				}
				o[w++] = (unsigned char)a;
			}
			continue;
		}
		uint32_t cp, mapped;
		size_t len = utf8_decode(p, (size_t)(end - p), &cp);
		const unsigned char *src = p;
		unsigned char buf[4];
		size_t n_out;

		if (len == 0) { /* not UTF-8: the byte passes through as itself */
			len = 1;
			mapped = cp = 0xfffd; /* stands for "neither letter, punctuation nor space" */
		} else {
			mapped = lower ? (uint32_t)towlower_l((wint_t)cp, utf8_locale) : cp;
		}
		p += len;
		if (strip && is_punct(mapped))
			continue;
		if (collapse && is_space(mapped)) {
			pending_space = w > 0;
			continue;
		}
		if (mapped == cp) {
			n_out = len;
		} else {
			n_out = utf8_encode(mapped, buf);
			src = buf;
		}
		if (w + pending_space + n_out >= out_size)
			return -1;
		if (pending_space) {
			o[w++] = ' ';
			pending_space = 0;
		}
		memcpy(o + w, src, n_out);
		w += n_out;
	}
	o[w] = '\0';
	*out_len = w;
	return 0;
}
