/*
 * A strict, allocation-free JSON scanner for one line of a trace (RFC 8259).
 * It hands out the raw text span of each value, so numbers keep their exact
 * decimal text (see sim/decimal.h) and unknown fields can be stored verbatim.
 * Spans point into the caller's buffer, which must outlive them.
 */
#ifndef TRACES_JSON_SCAN_H
#define TRACES_JSON_SCAN_H

#include <stddef.h>

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

/* The raw text of one complete value: a string span includes its quotes. */
struct json_span {
	enum json_type type;
	const char *start;
	size_t len;
};

/* Nesting deeper than this is an error (the scanner never recurses on the C stack). */
#define JSON_MAX_DEPTH 512
/* json_validate's *why for nesting past JSON_MAX_DEPTH, to tell that reason by its address. */
extern const char json_too_deep[];

/*
 * Validates that text[0..len) is exactly one JSON value with optional white
 * space around it.  On success fills *v and returns 0.  On failure returns -1,
 * sets *why to a static message ("unterminated string", "invalid UTF-8",
 * "trailing characters", …) and *at to the byte offset of the problem.
 * Strings must be valid UTF-8 with no raw control characters; \u escapes must
 * pair surrogates; numbers follow the JSON grammar.
 */
int json_validate(const char *text, size_t len, struct json_span *v, const char **why, size_t *at);

/*
 * 1 when text[0..len) is no whole JSON value but the start of one that its end
 * cut short: every byte is JSON so far, and what fails is a container, string,
 * escape, UTF-8 sequence, number or literal left open at len ("{\"a\": [1, tr",
 * "[\"\\u00").  0 for a whole value or any other error.
 */
int json_cut_short(const char *text, size_t len);

/*
 * Iteration over an already validated object or array: `json_iter_init` on
 * the container's span, then `json_iter_next` returns 1 per member (key span is
 * a JSON_STRING, NULL for arrays) and 0 at the end.  Never fails on validated
 * input.
 */
struct json_iter {
	const char *p, *end;
	int is_object;
};
void json_iter_init(struct json_iter *it, const struct json_span *container);
int json_iter_next(struct json_iter *it, struct json_span *key, struct json_span *value);

/*
 * Decodes a validated string span (quotes included) into UTF-8 at out, which
 * must hold at least str->len bytes (decoding never lengthens).  Returns the
 * decoded length; the output is not NUL-terminated and may contain NUL
 * (from \u0000).
 */
size_t json_string_decode(const struct json_span *str, char *out);

/* 1 when the validated string span decodes to exactly the NUL-terminated `name`. */
int json_string_equals(const struct json_span *str, const char *name);

#endif
