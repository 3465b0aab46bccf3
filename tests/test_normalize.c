/*
 * Tests of cache-key normalization (sim/normalize.c): a hand-written table of
 * inputs and expected outputs (UTF-8 bytes spelled out in the comments), the
 * fixed step order whatever order the steps are named in, every ASCII byte
 * against the C library's ctype, and the output bound of NORMALIZE_OUT_MAX over
 * every code point.
 */
#include <ctype.h>
#include <locale.h>
#include <wctype.h>

#include "sim/normalize.h"
#include "tests/test.h"

enum { L = NORMALIZE_LOWER, P = NORMALIZE_STRIP_PUNCT, S = NORMALIZE_COLLAPSE_SPACE };

struct ncase {
	unsigned flags;
	const char *in, *want;
};

static const struct ncase cases[] = {
	{ 0, "Hello,  World!", "Hello,  World!" },
	{ L, "Hello WORLD 42", "hello world 42" },
	/* À É Î (C3 80, C3 89, C3 8E) → à é î (C3 A0, C3 A9, C3 AE) */
	{ L, "\xc3\x80\xc3\x89\xc3\x8e", "\xc3\xa0\xc3\xa9\xc3\xae" },
	/* U+023A Ⱥ (C8 BA, 2 bytes) → U+2C65 ⱥ (E2 B1 A5, 3 bytes) */
	{ L, "x\xc8\xbay", "x\xe2\xb1\xa5y" },
	/* Σ Α Σ (CE A3, CE 91, CE A3) → σ α σ: the simple mapping, no final sigma */
	{ L, "\xce\xa3\xce\x91\xce\xa3", "\xcf\x83\xce\xb1\xcf\x83" },
	/* U+0130 İ (C4 B0) → 'i': simple mapping, no combining dot; 2 bytes → 1 */
	{ L, "\xc4\xb0", "i" },
	/* U+1E9E ẞ (E1 BA 9E) → U+00DF ß (C3 9F); U+2126 Ω ohm (E2 84 A6) → U+03C9 ω (CF 89) */
	{ L, "\xe1\xba\x9e\xe2\x84\xa6", "\xc3\x9f\xcf\x89" },
	/* U+10400 𐐀 (F0 90 90 80) → U+10428 𐐨 (F0 90 90 A8) */
	{ L, "\xf0\x90\x90\x80", "\xf0\x90\x90\xa8" },
	/* CJK has no case: こんにちは unchanged */
	{ L, "\xe3\x81\x93\xe3\x82\x93", "\xe3\x81\x93\xe3\x82\x93" },
	{ P, "Hello, world! (ok?) a-b_c", "Hello world ok abc" },
	{ P, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "" },
	/* a—b: U+2014 (E2 80 94) is in U+2000–U+206F; "…" U+2026 (E2 80 A6) too */
	{ P, "a\xe2\x80\x94" "b\xe2\x80\xa6", "ab" },
	/* 「こ」。: U+300C (E3 80 8C), U+300D (E3 80 8D), U+3002 (E3 80 82) removed */
	{ P, "\xe3\x80\x8c\xe3\x81\x93\xe3\x80\x8d\xe3\x80\x82", "\xe3\x81\x93" },
	/* fullwidth: ！ U+FF01 (EF BC 81) removed, Ａ U+FF21 (EF BC A1) kept, ０ U+FF10
	 * (EF BC 90, between the ranges) kept, ～ U+FF5E (EF BD 9E) removed, ｦ U+FF66
	 * (EF BD A6, just past U+FF65) kept, ･ U+FF65 (EF BD A5) removed */
	{ P, "\xef\xbc\x81\xef\xbc\xa1\xef\xbc\x90\xef\xbd\x9e\xef\xbd\xa6\xef\xbd\xa5",
	  "\xef\xbc\xa1\xef\xbc\x90\xef\xbd\xa6" },
	/* both ends of each listed range go, the code points just outside stay:
	 * U+1FFF (E1 BF BF) kept, U+2000 (E2 80 80) and U+206F (E2 81 AF) removed,
	 * U+2070 (E2 81 B0) kept; U+2FFF (E2 BF BF) kept, U+3000 (E3 80 80) and U+303F
	 * (E3 80 BF) removed, U+3040 (E3 81 80) kept */
	{ P, "a\xe1\xbf\xbf\xe2\x80\x80\xe2\x81\xaf\xe2\x81\xb0"
	     "b\xe2\xbf\xbf\xe3\x80\x80\xe3\x80\xbf\xe3\x81\x80",
	  "a\xe1\xbf\xbf\xe2\x81\xb0" "b\xe2\xbf\xbf\xe3\x81\x80" },
	/* U+FF00 (EF BC 80) kept, U+FF01 and U+FF0F (EF BC 81, EF BC 8F) removed, U+FF10
	 * (EF BC 90) kept; U+FF19 (EF BC 99) kept, U+FF1A and U+FF20 (EF BC 9A, EF BC A0)
	 * removed, U+FF21 (EF BC A1) kept; U+FF3A (EF BC BA) kept, U+FF3B and U+FF40
	 * (EF BC BB, EF BD 80) removed, U+FF41 (EF BD 81) kept; U+FF5A (EF BD 9A) kept,
	 * U+FF5B and U+FF65 (EF BD 9B, EF BD A5) removed, U+FF66 (EF BD A6) kept */
	{ P, "\xef\xbc\x80\xef\xbc\x81\xef\xbc\x8f\xef\xbc\x90"
	     "\xef\xbc\x99\xef\xbc\x9a\xef\xbc\xa0\xef\xbc\xa1"
	     "\xef\xbc\xba\xef\xbc\xbb\xef\xbd\x80\xef\xbd\x81"
	     "\xef\xbd\x9a\xef\xbd\x9b\xef\xbd\xa5\xef\xbd\xa6",
	  "\xef\xbc\x80\xef\xbc\x90\xef\xbc\x99\xef\xbc\xa1"
	  "\xef\xbc\xba\xef\xbd\x81\xef\xbd\x9a\xef\xbd\xa6" },
	/* U+00BF ¿ (C2 BF) is not in any listed range: kept */
	{ P, "\xc2\xbf" "a?", "\xc2\xbf" "a" },
	{ S, "  a \t\n b  ", "a b" },
	{ S, "a\v\f\rb", "a b" },
	/* NBSP U+00A0 (C2 A0) and ideographic space U+3000 (E3 80 80) are white space */
	{ S, "\xc2\xa0" "a\xc2\xa0\xe3\x80\x80" "b\xe3\x80\x80", "a b" },
	/* U+2003 em space (E2 80 83) is not in collapse_space's set */
	{ S, "a\xe2\x80\x83" "b", "a\xe2\x80\x83" "b" },
	{ S, " \t ", "" },
	{ S, "", "" },
	/* strip_punct runs before collapse_space, so U+3000 is removed, not a space */
	{ P | S, "a\xe3\x80\x80" "b", "ab" },
	{ P | S, "a , b", "a b" },
	{ P | S, " ... a ", "a" },
	{ L | P | S, "  Hello,   WORLD!!  \xc3\x89t\xc3\xa9 ", "hello world \xc3\xa9t\xc3\xa9" },
	/* bytes that are not UTF-8 pass through unchanged (0xFF, a lone continuation
	 * byte, a truncated sequence at the end) */
	{ L | P | S, "A\xff \x80 B\xc3", "a\xff \x80 b\xc3" },
	/* an overlong encoding of 'A' (C1 81) is not UTF-8: kept byte for byte */
	{ L, "\xc1\x81", "\xc1\x81" },
};

static void normalize_table(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct normalize nz;
		struct err e;
		char out[256];
		size_t n = strlen(cases[i].in), len = 0;
		CHECK_INT(normalize_init(&nz, cases[i].flags, &e), 0);
		if (normalize_text(&nz, cases[i].in, n, out, NORMALIZE_OUT_MAX(n) + 1, &len) != 0) {
			TEST_FAIL_("case %zu: normalize_text failed", i);
			continue;
		}
		if (len != strlen(cases[i].want) || memcmp(out, cases[i].want, len + 1) != 0)
			TEST_FAIL_("case %zu: got \"%s\", want \"%s\"", i, out, cases[i].want);
	}
}

static void normalize_nul_inside(void)
{
	struct normalize nz;
	struct err e;
	char out[16];
	size_t len;
	CHECK_INT(normalize_init(&nz, L | S, &e), 0);
	CHECK_INT(normalize_text(&nz, "A\0 B", 4, out, sizeof out, &len), 0);
	/* "a", NUL (neither letter nor space), one space, "b" */
	CHECK_INT(len, 4);
	CHECK(out[0] == 'a' && out[1] == '\0' && out[2] == ' ' && out[3] == 'b' && out[4] == '\0');
}

static void normalize_buffer_too_small(void)
{
	struct normalize nz;
	struct err e;
	char out[8];
	size_t len;
	CHECK_INT(normalize_init(&nz, L, &e), 0);
	/* "Ⱥ" needs 3 bytes + NUL = 4 */
	CHECK_INT(normalize_text(&nz, "\xc8\xba", 2, out, 3, &len), -1);
	CHECK_INT(normalize_text(&nz, "\xc8\xba", 2, out, 4, &len), 0);
	CHECK_INT(len, 3);
	CHECK_INT(normalize_text(&nz, "abc", 3, out, 3, &len), -1);
	CHECK_INT(normalize_text(&nz, "abc", 3, out, 0, &len), -1);
	CHECK_INT(normalize_text(&nz, "", 0, out, 1, &len), 0);
	CHECK_INT(len, 0);
}

/* The six orders of the three names give the same flags and the same text. */
static void normalize_order_independent(void)
{
	static const char *const names[3] = { "collapse_space", "lower", "strip_punct" };
	static const int perm[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
					{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	/* "A\u3000B ,C": lower → "a\u3000b ,c"; strip_punct removes U+3000 and ',' →
	 * "ab c"; collapse_space leaves "ab c". */
	const char *in = "A\xe3\x80\x80" "B ,C", *want = "ab c";
	for (int k = 0; k < 6; k++) {
		unsigned flags = 0, f;
		struct normalize nz;
		struct err e;
		char out[32];
		size_t len;
		for (int j = 0; j < 3; j++) {
			CHECK_INT(normalize_step_find(names[perm[k][j]], &f, &e), 0);
			flags |= f;
		}
		CHECK_INT(flags, L | P | S);
		CHECK_INT(normalize_init(&nz, flags, &e), 0);
		CHECK_INT(normalize_text(&nz, in, strlen(in), out, sizeof out, &len), 0);
		CHECK_STR(out, want);
	}
}

/* One pass equals lower, then strip_punct, then collapse_space as separate passes. */
static void normalize_one_pass_equals_three(void)
{
	const char *in = "  \xc3\x80 la Carte\xe3\x80\x80\xe2\x80\x94 " "Caf\xc3\x89, \xc8\xba!  ";
	struct normalize all, l, p, s;
	struct err e;
	char a[64], b[64], c[64], d[64];
	size_t na, nb, nc, nd;
	CHECK_INT(normalize_init(&all, L | P | S, &e), 0);
	CHECK_INT(normalize_init(&l, L, &e), 0);
	CHECK_INT(normalize_init(&p, P, &e), 0);
	CHECK_INT(normalize_init(&s, S, &e), 0);
	CHECK_INT(normalize_text(&all, in, strlen(in), a, sizeof a, &na), 0);
	CHECK_INT(normalize_text(&l, in, strlen(in), b, sizeof b, &nb), 0);
	CHECK_INT(normalize_text(&p, b, nb, c, sizeof c, &nc), 0);
	CHECK_INT(normalize_text(&s, c, nc, d, sizeof d, &nd), 0);
	CHECK_STR(a, d);
	/* by hand: à la carte café ⱥ */
	CHECK_STR(a, "\xc3\xa0 la carte caf\xc3\xa9 \xe2\xb1\xa5");
}

/* Every ASCII byte under every flag set, against the C library's ctype in the C locale
 * (SPEC §10: ASCII punctuation is ispunct, white space isspace): "x" c "y" becomes "xy"
 * when c is dropped, "x y" when it is space, else "x" c' "y" with c' lowercased. */
static void normalize_every_ascii_byte(void)
{
	for (unsigned flags = 0; flags <= (L | P | S); flags++) {
		struct normalize nz;
		struct err e;
		CHECK_INT(normalize_init(&nz, flags, &e), 0);
		for (int c = 0; c < 128; c++) {
			char in[3] = { 'x', (char)c, 'y' }, out[8], want[3];
			size_t len, n_want = 0;
			int m = (flags & L) && isupper(c) ? tolower(c) : c;
			want[n_want++] = 'x';
			if ((flags & S) && isspace(m) && !((flags & P) && ispunct(m)))
				want[n_want++] = ' ';
			else if (!((flags & P) && ispunct(m)))
				want[n_want++] = (char)m;
			want[n_want++] = 'y';
			if (normalize_text(&nz, in, 3, out, sizeof out, &len) != 0 || len != n_want ||
			    memcmp(out, want, n_want) != 0) {
				TEST_FAIL_("flags %u, byte 0x%02x: got %zu bytes", flags, (unsigned)c, len);
				break;
			}
		}
	}
}

static void normalize_unknown_step(void)
{
	unsigned f = 0;
	struct err e = { "" };
	struct normalize nz;
	CHECK_INT(normalize_step_find("upper", &f, &e), -1);
	CHECK_HAS(e.msg, "\"upper\"");
	CHECK_HAS(e.msg, "lower, strip_punct, collapse_space");
	CHECK_INT(normalize_init(&nz, 8, &e), -1);
}

static int utf8_len(unsigned c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

/* The bound of NORMALIZE_OUT_MAX: no character's lowercase is longer than 3/2 of it. */
static void normalize_growth_bound(void)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	CHECK(loc != (locale_t)0);
	if (!loc)
		return;
	for (unsigned c = 0; c < 0x110000; c++) {
		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		unsigned d = (unsigned)towlower_l((wint_t)c, loc);
		if (2 * utf8_len(d) > 3 * utf8_len(c))
			TEST_FAIL_("U+%04X lowers to U+%04X", c, d);
	}
	freelocale(loc);
}

void suite_normalize(void)
{
	RUN(normalize_table);
	RUN(normalize_nul_inside);
	RUN(normalize_buffer_too_small);
	RUN(normalize_order_independent);
	RUN(normalize_one_pass_equals_three);
	RUN(normalize_every_ascii_byte);
	RUN(normalize_unknown_step);
	RUN(normalize_growth_bound);
}
