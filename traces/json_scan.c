/*
 * The strict JSON scanner behind trace import (RFC 8259, one value per line).
 * json_validate makes one pass with a goto state machine and a bit stack of
 * open containers instead of recursion; the iterator and the string decoder
 * then trust that pass and only skip or copy bytes.
 */
#include "traces/json_scan.h"

#include <stdint.h>
#include <string.h>

/* What a byte means inside a string. */
enum { STR_PLAIN, STR_QUOTE, STR_BACKSLASH, STR_CONTROL, STR_HIGH };

/* Rows of 16 bytes: 0x00-0x1f control, '"' and '\\' special, 0x80-0xff UTF-8. */
static const unsigned char str_class[256] = {
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && is_ws(*p))
		p++;
	return p;
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The value of four hex digits at p, or -1. */
static long hex4(const unsigned char *p)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* 1 when every byte of [p, end) is a hex digit (an escape's digits that end cut short). */
static int hex_run(const unsigned char *p, const unsigned char *end)
{
	for (; p < end; p++)
		if (!((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')))
			return 0;
	return 1;
}

/*
 * Eight bytes at a time (SWAR): a load, then the has-zero-byte trick.  In
 * each mask the lowest flagged byte is exact, so on little-endian machines
 * the first interesting byte is found with one count of trailing zeros.
 */
#define SWAR_ONES 0x0101010101010101u
#define SWAR_HIGHS 0x8080808080808080u

static uint64_t swar_load(const void *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

/* Flags bytes equal to c. */
static uint64_t swar_eq(uint64_t x, unsigned char c)
{
	uint64_t v = x ^ (SWAR_ONES * c);
	return (v - SWAR_ONES) & ~v & SWAR_HIGHS;
}

/* Flags control bytes, '"', '\\' and bytes >= 0x80. */
static uint64_t swar_special(uint64_t x)
{
	return (x | ((x - SWAR_ONES * 0x20) & ~x) | swar_eq(x, '"') | swar_eq(x, '\\')) & SWAR_HIGHS;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The index (0-7) of the first flagged byte of a nonzero mask. */
static size_t swar_first(uint64_t mask)
{
	return (size_t)__builtin_ctzll(mask) >> 3;
}
#else
static size_t swar_first(uint64_t mask)
{
	size_t i = 0;
	unsigned char b[8];
	memcpy(b, &mask, 8);
	while (!b[i])
		i++;
	return i;
}
#endif

/*
 * Checks one well-formed UTF-8 sequence at p (Unicode table 3-7: no overlongs,
 * no surrogates, nothing above U+10FFFF).  Returns the byte after it, or NULL,
 * with *cut set when end cut short a sequence that was well-formed so far.
 */
static const unsigned char *scan_utf8(const unsigned char *p, const unsigned char *end, int *cut)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t n;
	if (c < 0xC2 || c > 0xF4)
		return NULL;
	if (c < 0xE0) {
		n = 2;
	} else if (c < 0xF0) {
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else {
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	}
	size_t have = (size_t)(end - p) < n ? (size_t)(end - p) : n;
	if (have > 1 && (p[1] < lo || p[1] > hi))
		return NULL;
	for (size_t i = 2; i < have; i++)
		if ((p[i] & 0xC0) != 0x80)
			return NULL;
	if (have < n) {
		*cut = 1;
		return NULL;
	}
	return p + n;
}

/*
 * Scans the string whose opening quote is at p.  Returns the byte after the
 * closing quote, or NULL with *why and *where set, and *cut when the failure is
 * end cutting the string short (all before it well-formed).
 */
static const unsigned char *scan_string(const unsigned char *p, const unsigned char *end,
					const char **why, const unsigned char **where, int *cut)
{
	const unsigned char *q = p + 1;
	for (;;) {
		while (end - q >= 8) {
			uint64_t m = swar_special(swar_load(q));
			if (m) {
				q += swar_first(m);
				break;
			}
			q += 8;
		}
		while (q < end && str_class[*q] == STR_PLAIN)
			q++;
		if (q == end) {
			*why = "unterminated string";
			*where = p;
			*cut = 1;
			return NULL;
		}
		switch (str_class[*q]) {
		case STR_QUOTE:
			return q + 1;
		case STR_CONTROL:
			*why = "control character in string";
			*where = q;
			return NULL;
		case STR_HIGH: {
			const unsigned char *next = scan_utf8(q, end, cut);
			if (!next) {
				*why = "invalid UTF-8";
				*where = q;
				return NULL;
			}
			q = next;
			break;
		}
		default: /* STR_BACKSLASH */
			if (end - q < 2) {
				*why = "unterminated string";
				*where = p;
				*cut = 1;
				return NULL;
			}
			switch (q[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				q += 2;
				break;
			case 'u': {
				long cp = end - q >= 6 ? hex4(q + 2) : -1;
				if (cp < 0) {
					*why = "invalid \\u escape";
					*where = q;
					*cut = end - q < 6 && hex_run(q + 2, end);
					return NULL;
				}
				if (cp >= 0xDC00 && cp <= 0xDFFF) {
					*why = "lone surrogate";
					*where = q;
					return NULL;
				}
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					long low;
					if (end - q < 8 || q[6] != '\\' || q[7] != 'u') {
						*why = "lone surrogate";
						*where = q;
						*cut = end - q == 6 || (end - q == 7 && q[6] == '\\');
						return NULL;
					}
					low = end - q >= 12 ? hex4(q + 8) : -1;
					if (low < 0) {
						*why = "invalid \\u escape";
						*where = q + 6;
						*cut = end - q < 12 && hex_run(q + 8, end);
						return NULL;
					}
					if (low < 0xDC00 || low > 0xDFFF) {
						*why = "lone surrogate";
						*where = q;
						return NULL;
					}
					q += 6;
				}
				q += 6;
				break;
			}
			default:
				*why = "invalid escape";
				*where = q;
				return NULL;
			}
		}
	}
}

/*
 * Scans the number at p: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?,
 * which must not run on into a letter, digit, '.', '+' or '-' ("01", "1x").
 * Returns the byte after it, or NULL, with *cut set when end cut it short
 * ("-", "1.", "1e+").
 */
static const unsigned char *scan_number(const unsigned char *p, const unsigned char *end, int *cut)
{
	if (p < end && *p == '-')
		p++;
	if (p == end || !is_digit(*p)) {
		*cut = p == end;
		return NULL;
	}
	if (*p++ != '0')
		while (p < end && is_digit(*p))
			p++;
	if (p < end && *p == '.') {
		p++;
		if (p == end || !is_digit(*p)) {
			*cut = p == end;
			return NULL;
		}
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p | 0x20) == 'e') {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p)) {
			*cut = p == end;
			return NULL;
		}
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end) {
		unsigned char c = *p, l = c | 0x20;
		if (is_digit(c) || (l >= 'a' && l <= 'z') || c == '.' || c == '+' || c == '-')
			return NULL;
	}
	return p;
}

static enum json_type type_of(unsigned char c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default: return JSON_NUMBER;
	}
}

/* Bit d of `objects` is 1 when the container open at depth d + 1 is an object. */
static int top_is_object(const unsigned char *objects, int depth)
{
	return objects[(depth - 1) >> 3] >> ((depth - 1) & 7) & 1;
}

#define SCAN_STR_(x) #x
#define SCAN_STR(x) SCAN_STR_(x)

const char json_too_deep[] = "nesting deeper than " SCAN_STR(JSON_MAX_DEPTH);

/*
 * The state machine: `value` expects a value at p (not white space, p < end),
 * `key` a member name, `after` has just finished a value.  *cut: set on a
 * failure that is the text's end cutting a value short (see json_cut_short).
 */
static int validate(const char *text, size_t len, struct json_span *v, const char **why, size_t *at, int *cut)
{
	const unsigned char *s = (const unsigned char *)text, *end = s + len, *p, *start;
	unsigned char objects[JSON_MAX_DEPTH / 8];
	const char *msg;
	const unsigned char *where;
	int depth = 0;

	p = skip_ws(s, end);
	if (p == end) {
		msg = "empty line";
		where = s;
		goto fail;
	}
	start = p;

value:
	switch (*p) {
	case '{':
	case '[':
		if (depth == JSON_MAX_DEPTH) {
			msg = json_too_deep;
			where = p;
			goto fail;
		}
		if (*p == '{')
			objects[depth >> 3] |= (unsigned char)(1u << (depth & 7));
		else
			objects[depth >> 3] &= (unsigned char)~(1u << (depth & 7));
		depth++;
		p = skip_ws(p + 1, end);
		if (p == end)
			goto eof;
		if (*p == '}' || *p == ']') {
			if (*p != (top_is_object(objects, depth) ? '}' : ']'))
				goto unexpected_close;
			p++;
			depth--;
			goto after;
		}
		if (top_is_object(objects, depth))
			goto key;
		goto value;
	case '"':
		p = scan_string(p, end, &msg, &where, cut);
		if (!p)
			goto fail;
		goto after;
	case 't':
	case 'f':
	case 'n': {
		const char *word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
		size_t n = strlen(word);
		if ((size_t)(end - p) < n || memcmp(p, word, n) != 0) {
			msg = "invalid literal";
			where = p;
			*cut = (size_t)(end - p) < n && memcmp(p, word, (size_t)(end - p)) == 0;
			goto fail;
		}
		p += n;
		goto after;
	}
	case '-': case '+': case '.':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		where = p;
		p = scan_number(p, end, cut);
		if (!p) {
			msg = "invalid number";
			goto fail;
		}
		goto after;
	default:
		msg = depth == 0 ? "not JSON: unexpected character" : "expected a value";
		where = p;
		goto fail;
	}

key:
	if (*p != '"') {
		msg = "expected a string key";
		where = p;
		goto fail;
	}
	p = scan_string(p, end, &msg, &where, cut);
	if (!p)
		goto fail;
	p = skip_ws(p, end);
	if (p == end)
		goto eof;
	if (*p != ':') {
		msg = "expected ':' after the key";
		where = p;
		goto fail;
	}
	p = skip_ws(p + 1, end);
	if (p == end)
		goto eof;
	goto value;

after:
	if (depth == 0) {
		const unsigned char *value_end = p;
		p = skip_ws(p, end);
		if (p != end) {
			msg = "trailing characters after the value";
			where = p;
			goto fail;
		}
		v->type = type_of(*start);
		v->start = (const char *)start;
		v->len = (size_t)(value_end - start);
		return 0;
	}
	p = skip_ws(p, end);
	if (p == end)
		goto eof;
	if (top_is_object(objects, depth)) {
		if (*p == ',') {
			p = skip_ws(p + 1, end);
			if (p == end)
				goto eof;
			goto key;
		}
		if (*p == '}') {
			p++;
			depth--;
			goto after;
		}
		msg = "expected ',' or '}'";
		where = p;
		goto fail;
	}
	if (*p == ',') {
		p = skip_ws(p + 1, end);
		if (p == end)
			goto eof;
		goto value;
	}
	if (*p == ']') {
		p++;
		depth--;
		goto after;
	}
	msg = "expected ',' or ']'";
	where = p;
	goto fail;

unexpected_close:
	msg = *p == '}' ? "expected a value" : "expected a string key";
	where = p;
	goto fail;
eof:
	msg = "unexpected end of line";
	where = end;
	*cut = 1;
fail:
	*why = msg;
	*at = (size_t)(where - s);
	return -1;
}

int json_validate(const char *text, size_t len, struct json_span *v, const char **why, size_t *at)
{
	int cut = 0;
	return validate(text, len, v, why, at, &cut);
}

int json_cut_short(const char *text, size_t len)
{
	struct json_span v;
	const char *why;
	size_t at;
	int cut = 0;
	return validate(text, len, &v, &why, &at, &cut) < 0 && cut;
}

/* The byte after the validated string whose opening quote is at p. */
static const char *skip_string(const char *p, const char *end)
{
	p++;
	for (;;) {
		while (end - p >= 8) {
			uint64_t x = swar_load(p), m = swar_eq(x, '"') | swar_eq(x, '\\');
			if (m) {
				p += swar_first(m);
				break;
			}
			p += 8;
		}
		while (p < end && *p != '"' && *p != '\\')
			p++;
		if (p >= end)
			return end;
		if (*p == '"')
			return p + 1;
		p += 2;
	}
}

/* The byte after the validated value at p. */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;
	switch (*p) {
	case '"':
		return skip_string(p, end);
	case 't':
	case 'n':
		return p + 4;
	case 'f':
		return p + 5;
	case '{':
	case '[':
		do {
			switch (*p) {
			case '"':
				p = skip_string(p, end);
				continue;
			case '{': case '[':
				depth++;
				break;
			case '}': case ']':
				depth--;
				break;
			}
			p++;
		} while (depth > 0 && p < end);
		return p;
	default:
		while (p < end && (is_digit((unsigned char)*p) || *p == '-' || *p == '+' || *p == '.' ||
				   (*p | 0x20) == 'e'))
			p++;
		return p;
	}
}

void json_iter_init(struct json_iter *it, const struct json_span *container)
{
	it->is_object = container->type == JSON_OBJECT;
	if ((container->type == JSON_OBJECT || container->type == JSON_ARRAY) && container->len >= 2) {
		it->p = container->start + 1;
		it->end = container->start + container->len - 1;
	} else {
		it->p = it->end = container->start;
	}
}

static const char *iter_ws(const char *p, const char *end)
{
	return (const char *)skip_ws((const unsigned char *)p, (const unsigned char *)end);
}

/*
 * Members are separated by white space and one ',' (and a key from its value
 * by ':'), so skipping those lands on the next key or value.
 */
int json_iter_next(struct json_iter *it, struct json_span *key, struct json_span *value)
{
	const char *p = iter_ws(it->p, it->end), *q;
	if (p < it->end && *p == ',')
		p = iter_ws(p + 1, it->end);
	if (p >= it->end) {
		it->p = it->end;
		return 0;
	}
	if (it->is_object) {
		q = skip_string(p, it->end);
		if (key) {
			key->type = JSON_STRING;
			key->start = p;
			key->len = (size_t)(q - p);
		}
		p = iter_ws(q, it->end);
		if (p < it->end && *p == ':')
			p++;
		p = iter_ws(p, it->end);
		if (p >= it->end) {
			it->p = it->end;
			return 0;
		}
	} else if (key) {
		key->type = JSON_NULL;
		key->start = NULL;
		key->len = 0;
	}
	q = skip_value(p, it->end);
	if (value) {
		value->type = type_of((unsigned char)*p);
		value->start = p;
		value->len = (size_t)(q - p);
	}
	it->p = q;
	return 1;
}

/*
 * Decodes the escape at p (a backslash) into out.  Returns the number of
 * bytes written (1 to 4) and advances *pp past the escape.
 */
static size_t decode_escape(const char **pp, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)*pp;
	long cp;
	switch (p[1]) {
	case 'b': out[0] = '\b'; break;
	case 'f': out[0] = '\f'; break;
	case 'n': out[0] = '\n'; break;
	case 'r': out[0] = '\r'; break;
	case 't': out[0] = '\t'; break;
	case 'u':
		cp = hex4(p + 2);
		p += 6;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(p + 2) - 0xDC00);
			p += 6;
		}
		*pp = (const char *)p;
		if (cp < 0x80) {
			out[0] = (unsigned char)cp;
			return 1;
		}
		if (cp < 0x800) {
			out[0] = (unsigned char)(0xC0 | cp >> 6);
			out[1] = (unsigned char)(0x80 | (cp & 0x3F));
			return 2;
		}
		if (cp < 0x10000) {
			out[0] = (unsigned char)(0xE0 | cp >> 12);
			out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
			out[2] = (unsigned char)(0x80 | (cp & 0x3F));
			return 3;
		}
		out[0] = (unsigned char)(0xF0 | cp >> 18);
		out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
		out[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	default: /* '"', '\\', '/' stand for themselves */
		out[0] = p[1];
		break;
	}
	*pp = (const char *)p + 2;
	return 1;
}

/*
 * Plain bytes are copied eight at a time, whole words even past the next
 * escape: the output never gets ahead of the input, so those stores stay
 * inside the str->len bytes that out holds.
 */
size_t json_string_decode(const struct json_span *str, char *out)
{
	const char *p = str->start + 1, *end = str->start + str->len - 1;
	char *o = out;
	for (;;) {
		while (end - p >= 8) {
			uint64_t x = swar_load(p), m = swar_eq(x, '\\');
			memcpy(o, &x, 8);
			if (m) {
				size_t k = swar_first(m);
				p += k;
				o += k;
				break;
			}
			p += 8;
			o += 8;
		}
		while (p < end && *p != '\\')
			*o++ = *p++;
		if (p >= end)
			break;
		o += decode_escape(&p, (unsigned char *)o);
	}
	return (size_t)(o - out);
}

/*
 * Escapes only shorten a string, so a raw span shorter than name never
 * matches, and one of the same length matches only byte for byte and
 * without escapes.  Longer spans with a backslash are compared as decoded.
 */
int json_string_equals(const struct json_span *str, const char *name)
{
	const char *p = str->start + 1, *end = str->start + str->len - 1;
	size_t n = strlen(name), raw = (size_t)(end - p);
	if (raw < n)
		return 0;
	if (raw == n)
		return memcmp(p, name, n) == 0 && !memchr(name, '\\', n);
	if (!memchr(p, '\\', raw))
		return 0;
	while (p < end) {
		if (*p == '\\') {
			unsigned char buf[4];
			size_t k = decode_escape(&p, buf);
			if (k > n || memcmp(buf, name, k) != 0)
				return 0;
			name += k;
			n -= k;
		} else {
			if (n == 0 || *p != *name)
				return 0;
			p++;
			name++;
			n--;
		}
	}
	return n == 0;
}
