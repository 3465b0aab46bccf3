/*
 * Tests of traces/json_scan.c: the strict validator's verdicts, messages and
 * byte offsets, the number grammar, UTF-8 and escape rules, the depth limit,
 * the 8-byte fast paths at every alignment, iteration over nested containers,
 * and string decoding and comparison.
 */
#include "traces/json_scan.h"

#include <stdlib.h>

#include "tests/test.h"

/* Validates a NUL-terminated text; *why is NULL on success. */
static int scan(const char *text, struct json_span *v, const char **why, size_t *at)
{
	*why = NULL;
	*at = (size_t)-1;
	return json_validate(text, strlen(text), v, why, at);
}

/* A text that must fail with exactly this message at this offset. */
struct bad_row {
	const char *text;
	const char *why;
	size_t at;
};

static void check_bad_rows(const struct bad_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct json_span v;
		const char *why;
		size_t at;
		int rc = scan(rows[i].text, &v, &why, &at);
		if (rc != -1 || !why || strcmp(why, rows[i].why) != 0 || at != rows[i].at)
			TEST_FAIL_("'%s': got rc %d \"%s\" at %zu, want \"%s\" at %zu", rows[i].text, rc,
				   why ? why : "(none)", at, rows[i].why, rows[i].at);
	}
}

/* A text that must pass with this type and this value span (offset, length). */
struct good_row {
	const char *text;
	enum json_type type;
	size_t off, len;
};

static void check_good_rows(const struct good_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct json_span v = { JSON_NULL, NULL, 0 };
		const char *why;
		size_t at;
		int rc = scan(rows[i].text, &v, &why, &at);
		if (rc != 0 || v.type != rows[i].type || v.start != rows[i].text + rows[i].off ||
		    v.len != rows[i].len)
			TEST_FAIL_("'%s': got rc %d (%s) type %d span %td+%zu, want type %d span %zu+%zu",
				   rows[i].text, rc, why ? why : "ok", (int)v.type,
				   v.start ? v.start - rows[i].text : -1, v.len, (int)rows[i].type,
				   rows[i].off, rows[i].len);
	}
}

#define ROWS(a) (a), sizeof(a) / sizeof((a)[0])

static void values_and_spans(void)
{
	/* Offsets and lengths counted by hand; the span excludes surrounding white space. */
	static const struct good_row rows[] = {
		{ "null", JSON_NULL, 0, 4 },
		{ "true", JSON_TRUE, 0, 4 },
		{ "false", JSON_FALSE, 0, 5 },
		{ "0", JSON_NUMBER, 0, 1 },
		{ "\"\"", JSON_STRING, 0, 2 },
		{ "\"abc\"", JSON_STRING, 0, 5 },
		{ "[]", JSON_ARRAY, 0, 2 },
		{ "{}", JSON_OBJECT, 0, 2 },
		{ " \t\r\n{\"a\":1} \t\r\n", JSON_OBJECT, 4, 7 },     /* 4 spaces before, {"a":1} is 7 */
		{ "  [ 1 , 2 ]  ", JSON_ARRAY, 2, 9 },               /* "[ 1 , 2 ]" is 9 */
		{ "\n-12.5e+3\n", JSON_NUMBER, 1, 8 },
		{ "{ \"a\" : [ ] , \"b\" : { } }", JSON_OBJECT, 0, 25 },
		{ "\"\x7f\"", JSON_STRING, 0, 3 },                  /* DEL is not a control character in JSON */
		{ "[null,true,false]", JSON_ARRAY, 0, 17 },
	};
	check_good_rows(ROWS(rows));
}

static void error_classes(void)
{
	/* Offsets counted by hand from 0; a string error in a quote points at the opening quote. */
	static const struct bad_row rows[] = {
		{ "", "empty line", 0 },
		{ " \t\r\n ", "empty line", 0 },
		{ "hello", "not JSON: unexpected character", 0 },
		{ "  <html>", "not JSON: unexpected character", 2 },
		{ "\xef\xbb\xbf{}", "not JSON: unexpected character", 0 }, /* a byte-order mark is not white space */
		{ "\f{}", "not JSON: unexpected character", 0 },            /* form feed is not white space */
		{ "{\"a\":\"abc", "unterminated string", 5 },
		{ "\"abc\\", "unterminated string", 0 },
		{ "\"a\x01" "b\"", "control character in string", 2 },
		{ "\"a\tb\"", "control character in string", 2 },
		{ "\"a\nb\"", "control character in string", 2 },
		{ "\"\xc3\x28\"", "invalid UTF-8", 1 },
		{ "\"\\x\"", "invalid escape", 1 },
		{ "\"\\'\"", "invalid escape", 1 },
		{ "\"\\U0041\"", "invalid escape", 1 },
		{ "\"\\u12G4\"", "invalid \\u escape", 1 },
		{ "\"abc\\u00", "invalid \\u escape", 4 },
		{ "\"\\u00\"", "invalid \\u escape", 1 },
		{ "\"\\udc00\"", "lone surrogate", 1 },
		{ "\"\\ud800\"", "lone surrogate", 1 },
		{ "\"\\ud800x\"", "lone surrogate", 1 },
		{ "\"\\ud800\\u0041\"", "lone surrogate", 1 },
		{ "\"\\ud800\\ud800\"", "lone surrogate", 1 },
		{ "\"\\ude00\\ud83d\"", "lone surrogate", 1 },          /* a pair in the wrong order */
		{ "\"\\ud800\\ue000\"", "lone surrogate", 1 },          /* U+E000 is past the low surrogates */
		{ "\"\\udbff\\udbff\"", "lone surrogate", 1 },
		{ "\"ab\\ud800\\uZZZZ\"", "invalid \\u escape", 9 },    /* the second escape, at 3 + 6 */
		{ "\"\\ud83d\\u", "invalid \\u escape", 7 },
		{ "01", "invalid number", 0 },
		{ "[-]", "invalid number", 1 },
		{ "[1,]", "expected a value", 3 },
		{ "[,1]", "expected a value", 1 },
		{ "[}", "expected a value", 1 },
		{ "{]", "expected a string key", 1 },
		{ "{1:2}", "expected a string key", 1 },
		{ "{\"a\":1,}", "expected a string key", 7 },
		{ "{'a':1}", "expected a string key", 1 },
		{ "{\"a\" 1}", "expected ':' after the key", 5 },
		{ "{\"a\":1 \"b\":2}", "expected ',' or '}'", 7 },
		{ "{\"a\":1]", "expected ',' or '}'", 6 },
		{ "[1 2]", "expected ',' or ']'", 3 },
		{ "[1}", "expected ',' or ']'", 2 },
		{ "[1", "unexpected end of line", 2 },
		{ "[", "unexpected end of line", 1 },
		{ "{\"a\"", "unexpected end of line", 4 },
		{ "{\"a\":", "unexpected end of line", 5 },
		{ "{\"a\":1,", "unexpected end of line", 7 },
		{ "[[1]", "unexpected end of line", 4 },
		{ "{} x", "trailing characters after the value", 3 },
		{ "1 2", "trailing characters after the value", 2 },
		{ "{}{}", "trailing characters after the value", 2 },
		{ "\"a\"\"b\"", "trailing characters after the value", 3 },
		{ "null,", "trailing characters after the value", 4 },
		{ "nul", "invalid literal", 0 },
		{ "[tru]", "invalid literal", 1 },
		{ "{\"a\":nulL}", "invalid literal", 5 },
		{ "True", "not JSON: unexpected character", 0 },
		{ "[True]", "expected a value", 1 },
		{ "truex", "trailing characters after the value", 4 },
	};
	check_bad_rows(ROWS(rows));
}

static void embedded_nul(void)
{
	/* A raw NUL is a control character inside a string and garbage outside it. */
	static const char in_string[] = "\"a\0b\"", after[] = "{}\0";
	struct json_span v;
	const char *why = NULL;
	size_t at = 0;
	CHECK_INT(json_validate(in_string, 5, &v, &why, &at), -1);
	CHECK_STR(why, "control character in string");
	CHECK_INT(at, 2);
	CHECK_INT(json_validate(after, 3, &v, &why, &at), -1);
	CHECK_STR(why, "trailing characters after the value");
	CHECK_INT(at, 2);
	/* Only len bytes count: the same buffer cut at 2 is a whole object. */
	CHECK_INT(json_validate(after, 2, &v, &why, &at), 0);
	CHECK_INT(v.type, JSON_OBJECT);
}

static void numbers_valid(void)
{
	static const char *const ok[] = {
		"0", "-0", "1", "-1", "10", "123456789", "0.5", "0.5e-3", "-0.0", "1.5",
		"1e10", "1E10", "1e+2", "1E-2", "0e0", "-0e-0", "100.000", "9007199254740993",
		"12345678901234567890123456789", "1.7976931348623157e309", "2.5e-400",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct json_span v;
		const char *why;
		size_t at;
		char wrapped[64];
		if (scan(ok[i], &v, &why, &at) != 0 || v.type != JSON_NUMBER || v.len != strlen(ok[i]))
			TEST_FAIL_("'%s' should be a number: %s", ok[i], why ? why : "wrong span");
		/* The same number as an array member and an object value. */
		snprintf(wrapped, sizeof wrapped, "[%s,%s]", ok[i], ok[i]);
		if (scan(wrapped, &v, &why, &at) != 0)
			TEST_FAIL_("'%s': %s", wrapped, why);
		snprintf(wrapped, sizeof wrapped, "{\"n\":%s}", ok[i]);
		if (scan(wrapped, &v, &why, &at) != 0)
			TEST_FAIL_("'%s': %s", wrapped, why);
	}
}

static void numbers_invalid(void)
{
	/* Every failure points at the start of the number (offset 0 here). */
	static const struct bad_row rows[] = {
		{ "01", "invalid number", 0 },
		{ "-01", "invalid number", 0 },
		{ "00", "invalid number", 0 },
		{ "+1", "invalid number", 0 },
		{ ".5", "invalid number", 0 },
		{ "-.5", "invalid number", 0 },
		{ "1.", "invalid number", 0 },
		{ "1.e5", "invalid number", 0 },
		{ "1e", "invalid number", 0 },
		{ "1e+", "invalid number", 0 },
		{ "1E-", "invalid number", 0 },
		{ "1ee5", "invalid number", 0 },
		{ "-", "invalid number", 0 },
		{ "--1", "invalid number", 0 },
		{ "-a", "invalid number", 0 },
		{ "-Infinity", "invalid number", 0 },
		{ "0x10", "invalid number", 0 },
		{ "1.5.3", "invalid number", 0 },
		{ "1-2", "invalid number", 0 },
		{ "1e5.0", "invalid number", 0 },
		{ "12abc", "invalid number", 0 },
		{ "NaN", "not JSON: unexpected character", 0 },
		{ "Infinity", "not JSON: unexpected character", 0 },
		{ "[NaN]", "expected a value", 1 },
		{ "[1.]", "invalid number", 1 },
		{ "{\"n\":01}", "invalid number", 5 },
		{ "{\"n\":1e}", "invalid number", 5 },
	};
	check_bad_rows(ROWS(rows));
}

static void utf8_rules(void)
{
	/*
	 * Verdicts from python3: b.decode('utf-8') succeeds for the first group and
	 * raises UnicodeDecodeError for the second (overlongs, surrogates, > U+10FFFF,
	 * stray continuation bytes, truncated sequences).
	 */
	static const char *const ok[] = {
		"\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf",
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", "caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
	};
	static const char *const bad[] = {
		"\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
		"\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff",
		"\x80", "\xbf", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3\x28", "\xe2\x28\xa1",
		"\xf0\x9f\x28\x80",
	};
	char text[32];
	struct json_span v;
	const char *why;
	size_t at;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, "\"%s\"", ok[i]);
		if (scan(text, &v, &why, &at) != 0)
			TEST_FAIL_("good UTF-8 #%zu rejected: %s", i, why);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		/* Preceded by "ab" so the bad sequence starts at offset 3. */
		snprintf(text, sizeof text, "\"ab%s\"", bad[i]);
		if (scan(text, &v, &why, &at) != -1 || !why || strcmp(why, "invalid UTF-8") != 0 || at != 3)
			TEST_FAIL_("bad UTF-8 #%zu: got \"%s\" at %zu", i, why ? why : "(accepted)", at);
	}
	/* A sequence cut by the end of the text (no closing quote). */
	CHECK_INT(scan("\"\xe2\x82", &v, &why, &at), -1);
	CHECK_STR(why, "invalid UTF-8");
	CHECK_INT(at, 1);
}

/* Decodes the string value of `text` into out; returns the decoded length or -1. */
static long decode_text(const char *text, char *out)
{
	struct json_span v;
	const char *why;
	size_t at;
	if (scan(text, &v, &why, &at) != 0 || v.type != JSON_STRING)
		return -1;
	return (long)json_string_decode(&v, out);
}

static void escapes_decode(void)
{
	/* Expected bytes for \u escapes from python3: json.loads('"…"').encode('utf-8').hex(). */
	static const struct { const char *text, *bytes; long n; } rows[] = {
		{ "\"\\\"\"", "\"", 1 },
		{ "\"\\\\\"", "\\", 1 },
		{ "\"\\/\"", "/", 1 },
		{ "\"\\b\"", "\b", 1 },
		{ "\"\\f\"", "\f", 1 },
		{ "\"\\n\"", "\n", 1 },
		{ "\"\\r\"", "\r", 1 },
		{ "\"\\t\"", "\t", 1 },
		{ "\"\\u0041\"", "A", 1 },
		{ "\"\\u0000\"", "\0", 1 },
		{ "\"\\u007f\"", "\x7f", 1 },
		{ "\"\\u0080\"", "\xc2\x80", 2 },
		{ "\"\\u00e9\"", "\xc3\xa9", 2 },
		{ "\"\\u00E9\"", "\xc3\xa9", 2 },
		{ "\"\\u07ff\"", "\xdf\xbf", 2 },
		{ "\"\\u0800\"", "\xe0\xa0\x80", 3 },
		{ "\"\\u20AC\"", "\xe2\x82\xac", 3 },
		{ "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4 },
		{ "\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80", 4 },
		{ "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4 },
		{ "\"a\\nb\\tc\"", "a\nb\tc", 5 },
		{ "\"caf\xc3\xa9 \\u00e9\"", "caf\xc3\xa9 \xc3\xa9", 8 },
		{ "\"\\\\u0041\"", "\\u0041", 6 },           /* an escaped backslash, then plain text */
		{ "\"x\\u0000y\"", "x\0y", 3 },
		{ "\"\"", "", 0 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[64];
		long n = decode_text(rows[i].text, out);
		if (n != rows[i].n || memcmp(out, rows[i].bytes, (size_t)rows[i].n) != 0)
			TEST_FAIL_("decode '%s': got %ld bytes, want %ld", rows[i].text, n, rows[i].n);
	}
}

static void string_equals(void)
{
	static const struct { const char *text, *name; int want; } rows[] = {
		{ "\"model\"", "model", 1 },
		{ "\"model\"", "mode", 0 },
		{ "\"model\"", "models", 0 },
		{ "\"model\"", "Model", 0 },
		{ "\"\"", "", 1 },
		{ "\"\"", "a", 0 },
		{ "\"a\"", "", 0 },
		{ "\"mo\\u0064el\"", "model", 1 },
		{ "\"mo\\u0064el\"", "mo\\u0064el", 0 },
		{ "\"mo\\u0064el\"", "mode", 0 },
		{ "\"mo\\u0064el\"", "modelx", 0 },
		{ "\"\\\\\"", "\\", 1 },
		{ "\"\\\\\"", "\\\\", 0 },
		{ "\"a\\u0000b\"", "a", 0 },
		{ "\"caf\\u00e9\"", "caf\xc3\xa9", 1 },
		{ "\"caf\\u00e9\"", "caf", 0 },
		{ "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 1 },
		{ "\"\\ud83d\\ude00\"", "\xf0\x9f\x98", 0 },
		{ "\"tab\\t\"", "tab\t", 1 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct json_span v;
		const char *why;
		size_t at;
		if (scan(rows[i].text, &v, &why, &at) != 0) {
			TEST_FAIL_("'%s' rejected: %s", rows[i].text, why);
			continue;
		}
		if (json_string_equals(&v, rows[i].name) != rows[i].want)
			TEST_FAIL_("equals('%s', \"%s\") != %d", rows[i].text, rows[i].name, rows[i].want);
	}
}

/* n levels of nesting; `objects` picks '{"k":' for every third level, '[' otherwise. */
static char *nested(int n, int objects)
{
	char *s = malloc((size_t)n * 6 + 2), *p = s;
	for (int i = 0; i < n; i++) {
		if (objects && i % 3 == 0) {
			memcpy(p, "{\"k\":", 5);
			p += 5;
		} else {
			*p++ = '[';
		}
	}
	*p++ = '1';
	for (int i = n - 1; i >= 0; i--)
		*p++ = objects && i % 3 == 0 ? '}' : ']';
	*p = '\0';
	return s;
}

static void depth_limit(void)
{
	struct json_span v;
	const char *why;
	size_t at;
	char *s = nested(512, 0);
	CHECK_INT(scan(s, &v, &why, &at), 0);
	CHECK_INT(v.len, 512 * 2 + 1);
	free(s);

	s = nested(513, 0);
	CHECK_INT(scan(s, &v, &why, &at), -1);
	CHECK_STR(why, "nesting deeper than 512");
	CHECK_INT(at, 512);                              /* the 513th '[' */
	free(s);

	/* Mixed: levels 0, 3, 6, … are objects; 171 of 512 (ceil(512 / 3)). */
	s = nested(512, 1);
	CHECK_INT(scan(s, &v, &why, &at), 0);
	CHECK_INT(v.type, JSON_OBJECT);
	CHECK_INT(v.len, 171 * 5 + 341 + 1 + 512);
	free(s);

	s = nested(513, 1);                              /* level 512 is '[' (512 % 3 == 2) */
	CHECK_INT(scan(s, &v, &why, &at), -1);
	CHECK_STR(why, "nesting deeper than 512");
	CHECK_INT(at, 171 * 5 + 341);                    /* after 171 '{"k":' and 341 '[' */
	free(s);

	/* The closer must match the opener at every depth: swap the one at level 3. */
	s = nested(10, 1);
	{
		/* levels 0,3,6,9 are objects: 4 * 5 + 6 = 26 openers, then '1', then
		 * closers for levels 9..0, so level 3's '}' is at 27 + 6 = 33. */
		CHECK_INT(s[33], '}');
		s[33] = ']';
		CHECK_INT(scan(s, &v, &why, &at), -1);
		CHECK_STR(why, "expected ',' or '}'");
		CHECK_INT(at, 33);
	}
	free(s);
}

static void long_strings(void)
{
	size_t n = 100000;
	char *s = malloc(n + 3), *out = malloc(n + 3);
	struct json_span v;
	const char *why;
	size_t at;
	s[0] = '"';
	for (size_t i = 1; i <= n; i++)
		s[i] = (char)('a' + i % 26);
	s[n + 1] = '"';
	CHECK_INT(json_validate(s, n + 2, &v, &why, &at), 0);
	CHECK_INT(v.len, n + 2);
	CHECK_INT(json_string_decode(&v, out), n);
	CHECK(memcmp(out, s + 1, n) == 0);

	/* A bad byte late in the string is found at its exact offset. */
	s[n - 7] = '\x1f';
	CHECK_INT(json_validate(s, n + 2, &v, &why, &at), -1);
	CHECK_STR(why, "control character in string");
	CHECK_INT(at, n - 7);
	s[n - 7] = 'a';

	/* Without the closing quote. */
	CHECK_INT(json_validate(s, n + 1, &v, &why, &at), -1);
	CHECK_STR(why, "unterminated string");
	CHECK_INT(at, 0);

	/* Every 10th character an escape "\n" (2 bytes in, 1 byte out). */
	for (size_t i = 1; i + 1 <= n; i += 10) {
		s[i] = '\\';
		s[i + 1] = 'n';
	}
	CHECK_INT(json_validate(s, n + 2, &v, &why, &at), 0);
	/* 10000 escapes each shrink by one byte: 100000 - 10000. */
	CHECK_INT(json_string_decode(&v, out), 90000);
	CHECK_INT(out[0], '\n');
	CHECK_INT(out[9], '\n');
	free(s);
	free(out);
}

static void special_byte_every_position(void)
{
	/*
	 * The fast path reads 8 bytes at a time; put each kind of special byte at
	 * every position 1..24 of a string and check it is seen exactly there.
	 */
	static const struct { char c; const char *why; } kinds[] = {
		{ '\x01', "control character in string" },
		{ '\x1f', "control character in string" },
		{ '\x80', "invalid UTF-8" },
		{ '\xff', "invalid UTF-8" },
	};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		for (size_t pos = 1; pos <= 24; pos++) {
			char s[40];
			struct json_span v;
			const char *why;
			size_t at;
			memset(s, 'x', sizeof s);
			s[0] = '"';
			s[pos] = kinds[k].c;
			s[30] = '"';
			if (json_validate(s, 31, &v, &why, &at) != -1 || strcmp(why, kinds[k].why) != 0 || at != pos)
				TEST_FAIL_("kind %zu at %zu: got \"%s\" at %zu", k, pos, why, at);
		}
	}
	for (size_t pos = 1; pos <= 24; pos++) {
		/* A closing quote at pos ends the string there: the value is pos + 1 bytes. */
		char s[40];
		struct json_span v;
		const char *why;
		size_t at;
		memset(s, ' ', sizeof s);
		memset(s + 1, 'x', pos - 1);
		s[0] = '"';
		s[pos] = '"';
		CHECK_INT(json_validate(s, sizeof s, &v, &why, &at), 0);
		CHECK_INT(v.len, pos + 1);
	}
}

static void escape_every_position(void)
{
	/*
	 * Skipping and decoding also read 8 bytes at a time: put an escaped quote,
	 * then an escaped backslash right before the closing quote, at each offset
	 * 0..23 of a string that is the first member of [STRING,7].
	 */
	static const char *const escs[] = { "\\\"", "\\\\" };
	for (size_t e = 0; e < 2; e++) {
		for (size_t pos = 0; pos < 24; pos++) {
			char text[64], out[64];
			struct json_span top, key, val;
			struct json_iter it;
			const char *why;
			size_t at, n;
			/* [ " x*pos ESC x*(23-pos) " , 7 ] */
			char *p = text;
			*p++ = '[';
			*p++ = '"';
			memset(p, 'x', pos);
			p += pos;
			memcpy(p, escs[e], 2);
			p += 2;
			if (e == 0) {
				memset(p, 'x', 23 - pos);
				p += 23 - pos;
			}
			memcpy(p, "\",7]", 5);
			if (scan(text, &top, &why, &at) != 0) {
				TEST_FAIL_("'%s' rejected: %s at %zu", text, why, at);
				continue;
			}
			json_iter_init(&it, &top);
			CHECK_INT(json_iter_next(&it, &key, &val), 1);
			/* quotes + pos + 2 (escape) + the tail (23 - pos for e == 0) */
			CHECK_INT(val.len, e == 0 ? 2 + 25 : 2 + pos + 2);
			n = json_string_decode(&val, out);
			CHECK_INT(n, e == 0 ? 24 : pos + 1);
			CHECK_INT(out[pos], e == 0 ? '"' : '\\');
			CHECK_INT(json_iter_next(&it, &key, &val), 1);
			CHECK(val.len == 1 && val.start[0] == '7');
			CHECK_INT(json_iter_next(&it, &key, &val), 0);
		}
	}
}

/* Compares a span with the expected text. */
static int span_is(const struct json_span *s, const char *text)
{
	return s->start && s->len == strlen(text) && memcmp(s->start, text, s->len) == 0;
}

static void iterate_nested(void)
{
	const char *text = " {\"a\":1,\"b\":[true,false,null,{\"c\":\"d\"},[]],\"e\":{\"f\":[]} , "
			   "\"g\" : \"h\\\"i]}\" ,\"n\":-1.5e3} ";
	struct json_span top, key, val, b, e, inner;
	struct json_iter it, it2, it3;
	const char *why;
	size_t at;
	CHECK_INT(scan(text, &top, &why, &at), 0);
	CHECK_INT(top.type, JSON_OBJECT);
	CHECK_INT(top.start - text, 1);
	CHECK_INT(top.len, strlen(text) - 2);

	json_iter_init(&it, &top);
	CHECK_INT(json_iter_next(&it, &key, &val), 1);
	CHECK(span_is(&key, "\"a\"") && key.type == JSON_STRING);
	CHECK(span_is(&val, "1") && val.type == JSON_NUMBER);
	CHECK_INT(key.start - text, 2);
	CHECK_INT(val.start - text, 6);

	CHECK_INT(json_iter_next(&it, &key, &b), 1);
	CHECK(json_string_equals(&key, "b"));
	CHECK(span_is(&b, "[true,false,null,{\"c\":\"d\"},[]]"));
	CHECK_INT(b.type, JSON_ARRAY);

	CHECK_INT(json_iter_next(&it, &key, &e), 1);
	CHECK(json_string_equals(&key, "e"));
	CHECK(span_is(&e, "{\"f\":[]}"));

	CHECK_INT(json_iter_next(&it, &key, &val), 1);
	CHECK(span_is(&key, "\"g\""));
	CHECK(span_is(&val, "\"h\\\"i]}\""));
	CHECK(json_string_equals(&val, "h\"i]}"));

	CHECK_INT(json_iter_next(&it, &key, &val), 1);
	CHECK(json_string_equals(&key, "n"));
	CHECK(span_is(&val, "-1.5e3"));
	CHECK_INT(json_iter_next(&it, &key, &val), 0);
	CHECK_INT(json_iter_next(&it, &key, &val), 0);   /* stays at the end */

	/* The array: five members with their types, keys reported as absent. */
	{
		static const enum json_type want[] = { JSON_TRUE, JSON_FALSE, JSON_NULL, JSON_OBJECT, JSON_ARRAY };
		int n = 0;
		json_iter_init(&it2, &b);
		while (json_iter_next(&it2, &key, &val)) {
			CHECK(key.start == NULL);
			if (n < 5)
				CHECK_INT(val.type, want[n]);
			if (n == 3) {
				json_iter_init(&it3, &val);
				CHECK_INT(json_iter_next(&it3, &key, &inner), 1);
				CHECK(json_string_equals(&key, "c"));
				CHECK(json_string_equals(&inner, "d"));
				CHECK_INT(json_iter_next(&it3, &key, &inner), 0);
			}
			if (n == 4) {
				json_iter_init(&it3, &val);
				CHECK_INT(json_iter_next(&it3, &key, &inner), 0);
			}
			n++;
		}
		CHECK_INT(n, 5);
	}

	/* {"f":[]} has one member whose value is an empty array. */
	json_iter_init(&it2, &e);
	CHECK_INT(json_iter_next(&it2, NULL, &val), 1);
	CHECK(span_is(&val, "[]"));
	CHECK_INT(json_iter_next(&it2, NULL, NULL), 0);
}

static void iterate_spaced_and_empty(void)
{
	const char *text = "[ 1 ,\t\"two\" ,\r\n[ ] , { } , 5e-1 ]";
	static const char *const want[] = { "1", "\"two\"", "[ ]", "{ }", "5e-1" };
	struct json_span top, key, val;
	struct json_iter it;
	const char *why;
	size_t at;
	int n = 0;
	CHECK_INT(scan(text, &top, &why, &at), 0);
	json_iter_init(&it, &top);
	while (json_iter_next(&it, &key, &val)) {
		if (n < 5 && !span_is(&val, want[n]))
			TEST_FAIL_("member %d: got '%.*s', want '%s'", n, (int)val.len, val.start, want[n]);
		n++;
	}
	CHECK_INT(n, 5);

	CHECK_INT(scan("{ }", &top, &why, &at), 0);
	json_iter_init(&it, &top);
	CHECK_INT(json_iter_next(&it, &key, &val), 0);

	/* A scalar is not a container: no members. */
	CHECK_INT(scan("\"x\"", &top, &why, &at), 0);
	json_iter_init(&it, &top);
	CHECK_INT(json_iter_next(&it, &key, &val), 0);
}

static void trace_line(void)
{
	/* A realistic line: every member found, strings decoded, unknown fields kept verbatim. */
	const char *text = "{\"ts\":\"2026-03-01T12:00:00.250Z\",\"tenant\":\"acme\",\"task\":\"faq_answer\","
			   "\"input_tokens\":1234,\"output_tokens\":210,\"model\":\"gpt-4.1-mini\","
			   "\"status\":\"ok\",\"latency_ms\":812.5,\"input\":\"How do I reset my \\\"password\\\"?\\n\","
			   "\"meta\":{\"region\":\"eu\",\"tags\":[\"a\",\"b\"]}}";
	static const char *const keys[] = { "ts", "tenant", "task", "input_tokens", "output_tokens",
					    "model", "status", "latency_ms", "input", "meta" };
	struct json_span top, key, val;
	struct json_iter it;
	const char *why;
	size_t at;
	int n = 0;
	CHECK_INT(scan(text, &top, &why, &at), 0);
	json_iter_init(&it, &top);
	while (json_iter_next(&it, &key, &val)) {
		if (n < 10 && !json_string_equals(&key, keys[n]))
			TEST_FAIL_("key %d: got '%.*s', want \"%s\"", n, (int)key.len, key.start, keys[n]);
		if (n == 8) {
			char out[64];
			size_t len = json_string_decode(&val, out);
			/* "How do I reset my " 18 + "\"password\"" 10 + "?" 1 + "\n" 1 = 30 */
			CHECK_INT(len, 30);
			CHECK(memcmp(out, "How do I reset my \"password\"?\n", 30) == 0);
		}
		if (n == 9)
			CHECK(span_is(&val, "{\"region\":\"eu\",\"tags\":[\"a\",\"b\"]}"));
		n++;
	}
	CHECK_INT(n, 10);
}

static void duplicate_keys_pass(void)
{
	/* The scanner leaves duplicate keys to its caller. */
	struct json_span v;
	const char *why;
	size_t at;
	CHECK_INT(scan("{\"a\":1,\"a\":2}", &v, &why, &at), 0);
}

static void cut_short(void)
{
	/* Every proper prefix of a value is one cut short: mid-container, key, string, escape (a
	 * \u's digits, a surrogate pair's second half), UTF-8 sequence (e9, f0 9f 98 80), number
	 * and literal; the whole value is not. */
	static const char whole[] = "{\"a\": [1, -2.5e+3, true, false, null, \"x\\n\\u00e9\\ud83d\\ude00"
	                            "\xc3\xa9\xf0\x9f\x98\x80\"], \"b\" : {}}";
	size_t n = strlen(whole);
	for (size_t len = 1; len < n; len++)
		if (!json_cut_short(whole, len))
			TEST_FAIL_("json_cut_short(its first %zu bytes): got 0, want 1", len);
	CHECK_INT(json_cut_short(whole, n), 0);
	/* an error before the end is no cut, nor an empty text or one too deep */
	static const char *const bad[] = {
		"{\"a\": x", "{\"a\": \"\\q", "[1x", "[1.x", "[-x", "[1e+x", "[tru!", "[trux", "[\"\\u00g",
		"[\"\\ud83dx\"", "[\"\\ud83d\\x", "[\"\\ud83d\\u12g", "[\"\xff", "[\"\xe0\x80", "[\"\xf0\x9f\x41",
		"{1", "[1]]", "  ", "[\"\x01",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (json_cut_short(bad[i], strlen(bad[i])))
			TEST_FAIL_("json_cut_short(%s): got 1, want 0", bad[i]);
	char deep[JSON_MAX_DEPTH + 2];
	memset(deep, '[', sizeof deep);
	CHECK_INT(json_cut_short(deep, sizeof deep), 0);
	CHECK_INT(json_cut_short(deep, JSON_MAX_DEPTH), 1);
}

void suite_json_scan(void)
{
	RUN(values_and_spans);
	RUN(error_classes);
	RUN(embedded_nul);
	RUN(numbers_valid);
	RUN(numbers_invalid);
	RUN(utf8_rules);
	RUN(escapes_decode);
	RUN(string_equals);
	RUN(depth_limit);
	RUN(long_strings);
	RUN(special_byte_every_position);
	RUN(escape_every_position);
	RUN(iterate_nested);
	RUN(iterate_spaced_and_empty);
	RUN(trace_line);
	RUN(duplicate_keys_pass);
	RUN(cut_short);
}
