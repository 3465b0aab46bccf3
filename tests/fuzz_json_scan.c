/*
 * libFuzzer target for traces/json_scan.c.  Each input is checked against a
 * small recursive reference validator written straight from RFC 8259 (same
 * verdict, same value span); an accepted value is then walked with json_iter,
 * checking that members tile the span exactly and every string decodes sanely.
 */
#include "traces/json_scan.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_json_scan: invariant failed at line %d: %s\n", __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* Containers deeper than this are not re-validated on their own (cost grows with depth). */
#define FUZZ_REVALIDATE_DEPTH 32

struct ref {
	const unsigned char *p, *end;
};

static int ref_is_ws(unsigned char c)
{
	return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D;
}

static void ref_ws(struct ref *r)
{
	while (r->p < r->end && ref_is_ws(*r->p))
		r->p++;
}

static int ref_hexval(unsigned char c)
{
	static const char digits[] = "0123456789abcdef";
	const char *d;
	if (c >= 'A' && c <= 'F')
		c = (unsigned char)(c - 'A' + 'a');
	d = c ? strchr(digits, c) : NULL;
	return d ? (int)(d - digits) : -1;
}

static int ref_hex4(struct ref *r, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h;
		if (r->p == r->end || (h = ref_hexval(*r->p)) < 0)
			return 0;
		v = v * 16 + (unsigned)h;
		r->p++;
	}
	*out = v;
	return 1;
}

/* One UTF-8 sequence by decoding it, then rejecting overlongs, surrogates and > U+10FFFF. */
static int ref_utf8(const unsigned char **pp, const unsigned char *end)
{
	const unsigned char *p = *pp;
	unsigned cp, min;
	int n;
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2, cp = p[0] & 0x1Fu, min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3, cp = p[0] & 0x0Fu, min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4, cp = p[0] & 0x07u, min = 0x10000;
	} else {
		return 0;
	}
	if (end - p < n)
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*pp = p + n;
	return 1;
}

static int ref_string(struct ref *r)
{
	if (r->p == r->end || *r->p != '"')
		return 0;
	r->p++;
	for (;;) {
		unsigned char c;
		if (r->p == r->end)
			return 0;
		c = *r->p;
		if (c == '"') {
			r->p++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c >= 0x80) {
			if (!ref_utf8(&r->p, r->end))
				return 0;
			continue;
		}
		r->p++;
		if (c != '\\')
			continue;
		if (r->p == r->end)
			return 0;
		c = *r->p++;
		if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't')
			continue;
		if (c != 'u')
			return 0;
		{
			unsigned hi, lo;
			if (!ref_hex4(r, &hi))
				return 0;
			if (hi >= 0xDC00 && hi <= 0xDFFF)
				return 0;
			if (hi >= 0xD800 && hi <= 0xDBFF) {
				if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
					return 0;
				r->p += 2;
				if (!ref_hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
					return 0;
			}
		}
	}
}

static int ref_digits(struct ref *r)
{
	const unsigned char *s = r->p;
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
		r->p++;
	return r->p > s;
}

static int ref_number(struct ref *r)
{
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p == r->end)
		return 0;
	if (*r->p == '0')
		r->p++;
	else if (*r->p < '1' || *r->p > '9' || !ref_digits(r))
		return 0;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (!ref_digits(r))
			return 0;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (!ref_digits(r))
			return 0;
	}
	return 1;
}

static int ref_literal(struct ref *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return 0;
	r->p += n;
	return 1;
}

/* A value at r->p (white space already skipped), inside `depth` open containers. */
static int ref_value(struct ref *r, int depth)
{
	if (r->p == r->end)
		return 0;
	switch (*r->p) {
	case '{':
	case '[': {
		int obj = *r->p == '{';
		if (depth + 1 > JSON_MAX_DEPTH)
			return 0;
		r->p++;
		ref_ws(r);
		if (r->p < r->end && *r->p == (obj ? '}' : ']')) {
			r->p++;
			return 1;
		}
		for (;;) {
			ref_ws(r);
			if (obj) {
				if (!ref_string(r))
					return 0;
				ref_ws(r);
				if (r->p == r->end || *r->p != ':')
					return 0;
				r->p++;
				ref_ws(r);
			}
			if (!ref_value(r, depth + 1))
				return 0;
			ref_ws(r);
			if (r->p == r->end)
				return 0;
			if (*r->p == ',') {
				r->p++;
				continue;
			}
			if (*r->p != (obj ? '}' : ']'))
				return 0;
			r->p++;
			return 1;
		}
	}
	case '"':
		return ref_string(r);
	case 't':
		return ref_literal(r, "true");
	case 'f':
		return ref_literal(r, "false");
	case 'n':
		return ref_literal(r, "null");
	default:
		return ref_number(r);
	}
}

/* 1 when d[0..n) is one JSON text; *start and *len give its value. */
static int ref_text(const unsigned char *d, size_t n, const unsigned char **start, size_t *len)
{
	struct ref r = { d, d + n };
	ref_ws(&r);
	*start = r.p;
	if (!ref_value(&r, 0))
		return 0;
	*len = (size_t)(r.p - *start);
	ref_ws(&r);
	return r.p == r.end;
}

/* [a, b) holds only white space and, when sep is not 0, exactly one sep. */
static void check_gap(const char *a, const char *b, char sep)
{
	int seps = 0;
	FUZZ_CHECK(a <= b);
	for (const char *p = a; p < b; p++) {
		if (sep && *p == sep)
			seps++;
		else
			FUZZ_CHECK(ref_is_ws((unsigned char)*p));
	}
	FUZZ_CHECK(seps == (sep ? 1 : 0));
}

/* The span validates on its own to itself. */
static void check_alone(const struct json_span *v)
{
	struct json_span w;
	const char *why;
	size_t at;
	FUZZ_CHECK(json_validate(v->start, v->len, &w, &why, &at) == 0);
	FUZZ_CHECK(w.type == v->type && w.start == v->start && w.len == v->len);
}

static void check_string(const struct json_span *v)
{
	char *out;
	size_t n;
	const unsigned char *p, *end;
	FUZZ_CHECK(v->type == JSON_STRING && v->len >= 2);
	FUZZ_CHECK(v->start[0] == '"' && v->start[v->len - 1] == '"');
	out = malloc(v->len + 1);
	FUZZ_CHECK(out != NULL);
	n = json_string_decode(v, out);
	FUZZ_CHECK(n <= v->len - 2);
	/* The decoded bytes are well-formed UTF-8. */
	p = (const unsigned char *)out;
	end = p + n;
	while (p < end) {
		if (*p < 0x80)
			p++;
		else
			FUZZ_CHECK(ref_utf8(&p, end));
	}
	/* Comparison agrees with decoding whenever the result can be a C string. */
	if (!memchr(out, '\0', n)) {
		out[n] = '\0';
		FUZZ_CHECK(json_string_equals(v, out) == 1);
		if (n > 0) {
			out[n - 1] = '\0';
			FUZZ_CHECK(json_string_equals(v, out) == 0);
		}
	}
	free(out);
}

/* Checks v and everything in it; depth counts the containers around v. */
static void walk(const struct json_span *v, int depth)
{
	struct json_iter it;
	struct json_span key, val;
	const char *prev, *close;
	int first = 1, is_object;

	FUZZ_CHECK(depth <= JSON_MAX_DEPTH);
	if (v->type != JSON_ARRAY && v->type != JSON_OBJECT) {
		check_alone(v);
		if (v->type == JSON_STRING)
			check_string(v);
		return;
	}
	FUZZ_CHECK(depth < JSON_MAX_DEPTH);
	if (depth <= FUZZ_REVALIDATE_DEPTH)
		check_alone(v);
	is_object = v->type == JSON_OBJECT;
	FUZZ_CHECK(v->len >= 2 && v->start[0] == (is_object ? '{' : '['));
	close = v->start + v->len - 1;
	FUZZ_CHECK(*close == (is_object ? '}' : ']'));

	prev = v->start + 1;
	json_iter_init(&it, v);
	while (json_iter_next(&it, &key, &val)) {
		if (is_object) {
			FUZZ_CHECK(key.type == JSON_STRING && key.start != NULL);
			check_gap(prev, key.start, first ? 0 : ',');
			check_string(&key);
			check_alone(&key);
			check_gap(key.start + key.len, val.start, ':');
		} else {
			FUZZ_CHECK(key.start == NULL);
			check_gap(prev, val.start, first ? 0 : ',');
		}
		FUZZ_CHECK(val.start + val.len <= close);
		walk(&val, depth + 1);
		prev = val.start + val.len;
		first = 0;
	}
	check_gap(prev, close, 0);
	FUZZ_CHECK(json_iter_next(&it, &key, &val) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_span v;
	const char *why = NULL;
	size_t at = (size_t)-1, ref_len = 0;
	const unsigned char *ref_start = NULL;
	int rc = json_validate((const char *)d, n, &v, &why, &at);
	int ok = ref_text(d, n, &ref_start, &ref_len);

	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK((rc == 0) == ok);
	if (rc != 0) {
		FUZZ_CHECK(why != NULL && why[0] != '\0');
		FUZZ_CHECK(at <= n);
		return 0;
	}
	FUZZ_CHECK((const unsigned char *)v.start == ref_start && v.len == ref_len);
	walk(&v, 0);
	return 0;
}
