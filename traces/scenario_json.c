/*
 * JSON text for scenario and pricing files: a file is read whole (about 16 MiB
 * at most) and parsed strictly (cJSON also takes 01, 1. and raw control
 * characters; traces/json_scan.h does not), a syntax error placed at LINE:COL, no
 * string may hold \u0000 (a name would end at it), a byte order mark is skipped,
 * and every number is kept as its text as written, so the checker
 * (scenario_check.c) reads it exactly and the merged text keeps every digit.
 */
#include "traces/scenario_internal.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "traces/json_scan.h"
#include "traces/text.h"

#define MAX_JSON_BYTES (16u << 20) /* the most a scenario or price file may hold (README) */

/* ---- numbers as written ---- */

/*
 * cJSON keeps a number only as a double, which holds 15 to 17 digits and
 * rewrites 1e300 as 1e+300.  Every number of a parsed tree becomes a cJSON_Raw
 * item holding its text as written, so the checker reads it exactly (sim/decimal.h),
 * a message echoes it as written, and the merged scenario's text keeps every digit.
 * v is the node's span in the text, which json_validate() has checked.  Returns -1
 * when out of memory.
 */
static int numbers_as_written(cJSON *node, const struct json_span *v)
{
	if (cJSON_IsNumber(node)) {
		char *s = cJSON_malloc(v->len + 1);
		if (!s)
			return -1;
		memcpy(s, v->start, v->len);
		s[v->len] = '\0';
		node->type = (node->type & ~0xFF) | cJSON_Raw;
		node->valuestring = s;
		return 0;
	}
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return 0;
	struct json_iter it;
	struct json_span key, val;
	json_iter_init(&it, v);
	for (cJSON *c = node->child; c; c = c->next)
		if (!json_iter_next(&it, &key, &val) || numbers_as_written(c, &val) < 0)
			return -1;
	return 0;
}

cJSON *scenario_parse_as_written(const char *text)
{
	struct json_span v;
	const char *why;
	size_t bad;
	cJSON *t = cJSON_ParseWithOpts(text, NULL, 1);
	if (t && (json_validate(text, strlen(text), &v, &why, &bad) < 0 || numbers_as_written(t, &v) < 0)) {
		cJSON_Delete(t);
		t = NULL;
	}
	return t;
}

/* ---- files ---- */

/*
 * What a pipe gave (a FIFO, the /dev/fd/N of `-s <(cmd)`), by its path: a pipe gives its text
 * once, and a price file is read once per scenario (LLMCOST_PRICING for `-s recorded -s v3`),
 * so a second read of it would wait for a writer that is gone.  Kept for the process's life.
 */
struct piped {
	struct piped *next;
	char *path, *text;
	size_t len;
};
static struct piped *piped;
static pthread_mutex_t piped_mu = PTHREAD_MUTEX_INITIALIZER;

/* A copy of what the pipe at path gave, into *len, if it was read before; NULL if not. */
static char *piped_text(const char *path, size_t *len)
{
	char *copy = NULL;
	pthread_mutex_lock(&piped_mu);
	for (const struct piped *p = piped; p; p = p->next)
		if (strcmp(p->path, path) == 0 && (copy = malloc(p->len + 1))) {
			memcpy(copy, p->text, p->len + 1);
			*len = p->len;
			break;
		}
	pthread_mutex_unlock(&piped_mu);
	return copy;
}

/* Keeps what the pipe at path gave (out of memory: not kept, and a second read waits). */
static void piped_keep(const char *path, const char *text, size_t len)
{
	struct piped *p = calloc(1, sizeof *p);
	if (!p || !(p->path = strdup(path)) || !(p->text = malloc(len + 1))) {
		if (p)
			free(p->path);
		free(p);
		return;
	}
	memcpy(p->text, text, len + 1);
	p->len = len;
	pthread_mutex_lock(&piped_mu);
	p->next = piped;
	piped = p;
	pthread_mutex_unlock(&piped_mu);
}

static char *read_file(const char *path, size_t *len, struct err *err)
{
	struct stat st;
	int is_pipe = stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
	char *buf = is_pipe ? piped_text(path, len) : NULL;
	if (buf)
		return buf;
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 0;
	if (!f) {
		err_set(err, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n == cap) { /* full: grow, up to one byte past the most a file may hold */
			if (cap > MAX_JSON_BYTES) {
				err_set(err, "%s: larger than %u MiB, the most a scenario or price file may hold",
				        path, MAX_JSON_BYTES >> 20);
				goto fail;
			}
			size_t want = cap ? cap * 2 : 8192;
			if (want > MAX_JSON_BYTES + 1)
				want = MAX_JSON_BYTES + 1;
			char *nb = realloc(buf, want + 1);
			if (!nb) {
				err_set(err, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
			cap = want;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f)) {
				err_set(err, "%s: cannot read: %s", path, strerror(errno));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	if (is_pipe)
		piped_keep(path, buf, n);
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* Where in text p lies: its 1-based line and column (a column counts bytes). */
static void place_of(const char *text, const char *p, size_t *line, size_t *col)
{
	*line = *col = 1;
	for (const char *q = text; q < p; q++) {
		if (*q == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

/* The first \u0000 escape of valid JSON text (whose backslashes are all in strings' escapes),
 * or NULL: cJSON's strings end at a NUL, so a name holding one would be cut short. */
static const char *nul_escape(const char *text, size_t len)
{
	for (const char *p = text; (p = memchr(p, '\\', len - (size_t)(p - text))); p += 2)
		if (p[1] == 'u' && memcmp(p + 2, "0000", 4) == 0)
			return p;
	return NULL;
}

cJSON *scenario_parse_text(const char *text, size_t len, const char *label, struct err *err)
{
	const char *end = NULL;
	cJSON *t;
	if ((end = memchr(text, '\0', len))) {
		t = NULL;
	} else {
		t = cJSON_ParseWithOpts(text, &end, 1);
	}
	const char *why = NULL;
	if (!t && end && end < text + len && *end) {
		/* cJSON refuses nesting past its limit (1000) without saying so: said as JSON's scanner
		 * says it, at the bracket past its own limit (512), as for a shallower one that cJSON takes */
		struct json_span v;
		const char *scan_why;
		size_t bad;
		if (json_validate(text, len, &v, &scan_why, &bad) != 0 && scan_why == json_too_deep) {
			why = scan_why;
			end = text + bad;
		}
	}
	if (t) {
		struct json_span v;
		size_t bad;
		if (json_validate(text, len, &v, &why, &bad) == 0) {
			const char *nul = nul_escape(text, len);
			if (!nul && numbers_as_written(t, &v) == 0)
				return t;
			cJSON_Delete(t);
			if (nul) {
				size_t line, col;
				place_of(text, nul, &line, &col);
				err_set(err, "%s%s%zu:%zu: a string holds \\u0000, which a name or key cannot",
				        label ? label : "", label ? ":" : "", line, col);
			} else {
				err_set(err, "%s%sout of memory", label ? label : "", label ? ": " : "");
			}
			return NULL;
		}
		/* what cJSON lets pass and JSON does not: 01, 1., a raw control character */
		cJSON_Delete(t);
		end = text + bad;
	}
	if (!end || end < text || end > text + len)
		end = text + len;
	/* cJSON often stops on the white space after the bad token: point at the token */
	while (!why && end > text && (end == text + len || strchr(" \t\r\n", *end)) &&
	       !strchr(" \t\r\n", end[-1]))
		end--;
	/* and one past the first letter of a key without quotes ({ broken): point at the word */
	if (!why && end - text >= 1 && end < text + len && isalpha((unsigned char)end[-1]) &&
	    isalpha((unsigned char)end[0]) && (end - 1 == text || strchr(" \t\r\n{,", end[-2])))
		end--;
	size_t line, col;
	place_of(text, end, &line, &col);
	/* the 16 characters from there (whole UTF-8 sequences), with the escapes of traces/text.h
	 * for a tab, another control character or a byte that is not UTF-8 (\u0009, \xff) */
	size_t k = 0, n = 0;
	int clen;
	for (; end + n < text + len && end[n] && end[n] != '\n' && k < 16; k++) {
		text_decode((const unsigned char *)end + n, &clen);
		n += (size_t)clen;
	}
	if (end + n > text + len)
		n = (size_t)(text + len - end);
	char raw[16 * 4 + 1], *near;
	memcpy(raw, end, n);
	raw[n] = '\0';
	if (!(near = text_show(raw, 0))) {
		err_set(err, "%s%sout of memory", label ? label : "", label ? ": " : "");
		return NULL;
	}
	/* placed as every other error of these files is, after what is wrong */
	const char *file = label ? label : "", *colon = label ? ": " : "";
	if (why)
		err_set(err, "%s%sinvalid JSON (%s)%s%s%s (line %zu, column %zu)", file, colon, why, k ? " near \"" : "",
		        near, k ? "\"" : "", line, col);
	else if (k)
		err_set(err, "%s%sinvalid JSON near \"%s\" (line %zu, column %zu)", file, colon, near, line, col);
	else if (strspn(text, " \t\r\n") == len)
		err_set(err, "%s%sinvalid JSON (nothing but white space) (line %zu, column %zu)", file, colon, line, col);
	else
		err_set(err, "%s%sinvalid JSON (line %zu, column %zu)", file, colon, line, col);
	free(near);
	return NULL;
}

int scenario_json_parse(const char *text, size_t len, const char *label, struct cJSON **out,
                        struct err *err)
{
	*out = scenario_parse_text(text, len, label, err);
	return *out ? 0 : -1;
}

int scenario_read_json(const char *path, struct cJSON **out, char **text_out, struct err *err)
{
	size_t len;
	char *text = read_file(path, &len, err);
	*out = NULL;
	if (text_out)
		*text_out = NULL;
	if (!text)
		return -1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) { /* a byte order mark, as Notepad writes */
		len -= 3;
		memmove(text, text + 3, len + 1);
	}
	*out = scenario_parse_text(text, len, path, err);
	if (*out && text_out)
		*text_out = text;
	else
		free(text);
	return *out ? 0 : -1;
}
