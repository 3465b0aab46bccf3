/*
 * Trace format v1 line parser.  The line is validated once by the JSON scanner,
 * then its members are read through a table of known fields; everything else is
 * kept verbatim as an "extra" JSON object.  Numbers go through their decimal
 * text (sim/decimal.h), so times and money are exact.
 */
#include "traces/jsonl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "sim/money.h"
#include "sim/status.h"
#include "sim/trace.h"
#include "traces/json_scan.h"
#include "traces/text.h"

enum field {
	F_TS, F_TENANT, F_TASK, F_INPUT_TOKENS, F_OUTPUT_TOKENS, F_INPUT, F_INPUT_HASH,
	F_MODEL, F_STATUS, F_LATENCY_MS, F_CACHED_TOKENS, F_ATTEMPTS, F_REQUEST_ID,
	F_SESSION, F_USER, F_DIFFICULTY, F_QUALITY, F_REALTIME, F_COST_USD, N_FIELDS,
	F_UNKNOWN = N_FIELDS
};

#define FIELD(f, name) [f] = { name, sizeof name - 1 }
static const struct { const char *name; size_t len; } fields[N_FIELDS] = {
	FIELD(F_TS, "ts"), FIELD(F_TENANT, "tenant"), FIELD(F_TASK, "task"),
	FIELD(F_INPUT_TOKENS, "input_tokens"), FIELD(F_OUTPUT_TOKENS, "output_tokens"),
	FIELD(F_INPUT, "input"), FIELD(F_INPUT_HASH, "input_hash"), FIELD(F_MODEL, "model"),
	FIELD(F_STATUS, "status"), FIELD(F_LATENCY_MS, "latency_ms"),
	FIELD(F_CACHED_TOKENS, "cached_tokens"), FIELD(F_ATTEMPTS, "attempts"),
	FIELD(F_REQUEST_ID, "request_id"), FIELD(F_SESSION, "session"), FIELD(F_USER, "user"),
	FIELD(F_DIFFICULTY, "difficulty"), FIELD(F_QUALITY, "quality"),
	FIELD(F_REALTIME, "realtime"), FIELD(F_COST_USD, "cost_usd"),
};
#undef FIELD

/* Fields an attempt object may carry (the rest is kept as its extra). */
static const unsigned attempt_fields = 1u << F_MODEL | 1u << F_STATUS | 1u << F_INPUT_TOKENS |
	1u << F_OUTPUT_TOKENS | 1u << F_CACHED_TOKENS | 1u << F_LATENCY_MS | 1u << F_TS;

#define MAX_TOKENS 4294967295LL

struct ctx {
	struct jsonl_parser *p;
	size_t text_used, extra_used;
	const char *path;           /* "attempts[2]." or "" */
	struct err *e;
};

void jsonl_init(struct jsonl_parser *p)
{
	memset(p, 0, sizeof *p);
}

void jsonl_fini(struct jsonl_parser *p)
{
	if (!p)
		return;
	free(p->text);
	free(p->extra);
	free(p->att);
	memset(p, 0, sizeof *p);
}

int jsonl_is_blank(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '\n' &&
		    line[i] != '\v' && line[i] != '\f')
			return 0;
	return 1;
}

/* Raw bytes first (keys are almost never escaped), decoding only keys with a backslash. */
static enum field field_lookup(const struct json_span *key, unsigned allowed)
{
	const char *k = key->start + 1;
	size_t n = key->len - 2;
	for (int f = 0; f < N_FIELDS; f++)
		if ((allowed >> f & 1) && fields[f].len == n && k[0] == fields[f].name[0] &&
		    memcmp(k, fields[f].name, n) == 0)
			return (enum field)f;
	if (memchr(k, '\\', n))
		for (int f = 0; f < N_FIELDS; f++)
			if ((allowed >> f & 1) && json_string_equals(key, fields[f].name))
				return (enum field)f;
	return F_UNKNOWN;
}

/* "got VALUE" text for errors: the raw JSON, cut to a readable length. */
static const char *shown(const struct json_span *v, char *buf, size_t n)
{
	if (v->len + 1 <= n) {
		memcpy(buf, v->start, v->len);
		buf[v->len] = 0;
	} else {
		size_t cut = n - 5; /* room for "…" and the NUL, at a character's start */
		while (cut > 0 && ((unsigned char)v->start[cut] & 0xc0) == 0x80)
			cut--;
		snprintf(buf, n, "%.*s%s", (int)cut, v->start, text_symbol("…", "..."));
	}
	return buf;
}

static int reject(struct ctx *c, enum field f, const char *expected, const struct json_span *v)
{
	char got[48];
	if (v)
		return err_set(c->e, "%s%s: expected %s, got %s", c->path, fields[f].name, expected,
		               shown(v, got, sizeof got));
	return err_set(c->e, "%s%s: %s", c->path, fields[f].name, expected);
}

static int get_string(struct ctx *c, enum field f, const struct json_span *v, struct str *out)
{
	if (v->type != JSON_STRING)
		return reject(c, f, "a string", v);
	char *dst = c->p->text + c->text_used;
	out->n = json_string_decode(v, dst);
	out->s = dst;
	c->text_used += out->n;
	return 0;
}

/* A tenant, task or model: a string not empty and without U+0000, since names are shown and
 * compared as text (inputs and ids may hold it, and be empty). */
static int get_name(struct ctx *c, enum field f, const struct json_span *v, struct str *out)
{
	if (get_string(c, f, v, out) < 0)
		return -1;
	if (out->n == 0)
		return reject(c, f, "empty", NULL);
	if (memchr(out->s, 0, out->n))
		return reject(c, f, "a string without \\u0000", v);
	return 0;
}

/* A JSON number too large for its int64 (decimal_scaled fails on nothing else). */
static int too_large(const struct json_span *v)
{
	return v->type == JSON_NUMBER && v->start[0] != '-';
}

static int get_count(struct ctx *c, enum field f, const struct json_span *v, int64_t *out)
{
	int exact, rc = v->type == JSON_NUMBER ? decimal_scaled(v->start, v->len, 0, out, &exact) : -1;
	if ((rc < 0 && too_large(v)) || (rc == 0 && exact && *out > MAX_TOKENS))
		return reject(c, f, "an integer of at most 4294967295", v);
	if (rc < 0 || !exact || *out < 0)
		return reject(c, f, "a non-negative integer", v);
	return 0;
}

/* A non-negative decimal scaled to an integer unit (latency ms → µs, USD → pico-USD), at
 * most max (`limit` says it in words). */
static int get_scaled(struct ctx *c, enum field f, const struct json_span *v, int scale, int64_t max,
                      const char *limit, int64_t *out)
{
	int rc = v->type == JSON_NUMBER ? decimal_scaled(v->start, v->len, scale, out, NULL) : -1;
	if ((rc < 0 && too_large(v)) || (rc == 0 && *out > max))
		return reject(c, f, limit, v);
	if (rc < 0 || *out < 0)
		return reject(c, f, "a non-negative number", v);
	return 0;
}

/* cost_usd: pico-USD, and what rounding to them left, to 10^-30 USD (rounded half to even past
 * that), so that billed_usd, a sum of costs, is exact (SPEC §10) */
static int get_cost(struct ctx *c, const struct json_span *v, struct jsonl_rec *rec)
{
	decimal_wide wide;
	if (get_scaled(c, F_COST_USD, v, 12, INT64_MAX, "at most 9223372.036854775807", &rec->cost_pusd) < 0)
		return -1;
	/* at most $9.2M: it fits; −0.0000000000004 rounded to −0 pico-USD is still negative */
	if (decimal_scaled_wide(v->start, v->len, 30, &wide, NULL) < 0 || wide < 0)
		return reject(c, F_COST_USD, "a non-negative number", v);
	rec->cost_sub = (int64_t)(wide - (decimal_wide)rec->cost_pusd * MONEY_SUB_PER_PUSD);
	return 0;
}

static int get_latency(struct ctx *c, const struct json_span *v, int64_t *out)
{
	return get_scaled(c, F_LATENCY_MS, v, 3, TRACE_LATENCY_MAX_US, "at most 10^13 ms", out);
}

static int get_time(struct ctx *c, const struct json_span *v, int64_t *out)
{
	if (v->type == JSON_NUMBER) {
		if (decimal_scaled(v->start, v->len, 6, out, NULL) < 0 || *out < TRACE_TS_MIN_US || *out > TRACE_TS_MAX_US)
			return reject(c, F_TS, "epoch seconds from year 0 to 9999", v);
		return 0;
	}
	if (v->type != JSON_STRING)
		return reject(c, F_TS, "an RFC 3339 string or epoch seconds", v);
	const char *why, *text = v->start + 1;
	size_t len = v->len - 2;
	char got[48];
	if (memchr(text, '\\', len)) { /* escapes decoded into the line's free text space */
		char *dst = c->p->text + c->text_used;
		len = json_string_decode(v, dst);
		text = dst;
	}
	if (clock_parse_rfc3339(text, len, out, &why) < 0)
		return err_set(c->e, "%sts: %s, got %s", c->path, why, shown(v, got, sizeof got));
	if (*out < TRACE_TS_MIN_US || *out > TRACE_TS_MAX_US) /* a zone or a rounding past the years */
		return err_set(c->e, "%sts: a time from year 0 to 9999 (UTC), got %s", c->path,
		               shown(v, got, sizeof got));
	return 0;
}

static int get_status(struct ctx *c, const struct json_span *v, int *out)
{
	char name[32];
	if (v->type != JSON_STRING)
		return reject(c, F_STATUS, "a string", v);
	if (v->len - 2 < sizeof name) {
		size_t n = json_string_decode(v, name);
		name[n] = 0;
		if (strlen(name) == n && (*out = status_from_name(name)) >= 0)
			return 0;
	}
	return reject(c, F_STATUS, "ok, timeout, rate_limited, server_error, invalid_request, "
	              "content_filter or context_length", v);
}

/* Appends the members of `obj` whose keys are not in `known` as a JSON object. */
static struct str keep_unknown(struct ctx *c, const struct json_span *obj, unsigned known)
{
	struct json_iter it;
	struct json_span k, v;
	char *out = c->p->extra + c->extra_used;
	size_t n = 0;
	out[n++] = '{';
	json_iter_init(&it, obj);
	while (json_iter_next(&it, &k, &v)) {
		if (field_lookup(&k, known) != F_UNKNOWN)
			continue;
		if (n > 1)
			out[n++] = ',';
		memcpy(out + n, k.start, k.len);
		n += k.len;
		out[n++] = ':';
		memcpy(out + n, v.start, v.len);
		n += v.len;
	}
	out[n++] = '}';
	c->extra_used += n;
	return (struct str){ out, n };
}

static int parse_attempt(struct ctx *c, const struct json_span *obj, struct jsonl_attempt *a)
{
	struct json_iter it;
	struct json_span k, v;
	unsigned seen = 0;
	int unknown = 0;
	*a = (struct jsonl_attempt){ .status = STATUS_OK, .input_tok = JSONL_ABSENT,
		.output_tok = JSONL_ABSENT, .cached_tok = JSONL_ABSENT,
		.latency_us = JSONL_ABSENT, .ts_us = TRACE_NO_TIME };
	json_iter_init(&it, obj);
	while (json_iter_next(&it, &k, &v)) {
		enum field f = field_lookup(&k, attempt_fields);
		if (f == F_UNKNOWN) {
			unknown = 1;
			a->summary |= v.type == JSON_TRUE && json_string_equals(&k, "summary");
			continue;
		}
		if (seen >> f & 1)
			return reject(c, f, "duplicate field", NULL);
		seen |= 1u << f;
		if (v.type == JSON_NULL)
			continue;
		int rc = 0;
		switch (f) {
		case F_MODEL: rc = get_name(c, f, &v, &a->model); break;
		case F_STATUS: rc = get_status(c, &v, &a->status); break;
		case F_INPUT_TOKENS: rc = get_count(c, f, &v, &a->input_tok); break;
		case F_OUTPUT_TOKENS: rc = get_count(c, f, &v, &a->output_tok); break;
		case F_CACHED_TOKENS: rc = get_count(c, f, &v, &a->cached_tok); break;
		case F_LATENCY_MS: rc = get_latency(c, &v, &a->latency_us); break;
		case F_TS: rc = get_time(c, &v, &a->ts_us); break;
		default: break;
		}
		if (rc < 0)
			return -1;
	}
	if (unknown)
		a->extra = keep_unknown(c, obj, attempt_fields);
	return 0;
}

static int parse_attempts(struct ctx *c, const struct json_span *arr, struct jsonl_rec *rec)
{
	struct json_iter it;
	struct json_span v;
	char path[48];
	size_t n = 0;
	if (arr->type != JSON_ARRAY)
		return reject(c, F_ATTEMPTS, "an array of objects", arr);
	json_iter_init(&it, arr);
	while (json_iter_next(&it, NULL, &v))
		n++;
	if (n == 0)
		return reject(c, F_ATTEMPTS, "must not be empty", NULL);
	if (n > c->p->cap_att) {
		struct jsonl_attempt *att = realloc(c->p->att, n * sizeof *att);
		if (!att)
			return -2;
		c->p->att = att;
		c->p->cap_att = n;
	}
	json_iter_init(&it, arr);
	for (size_t i = 0; json_iter_next(&it, NULL, &v); i++) {
		snprintf(path, sizeof path, "attempts[%zu].", i);
		c->path = path;
		if (v.type != JSON_OBJECT) {
			char got[48];
			return err_set(c->e, "attempts[%zu]: expected an object, got %s", i,
			               shown(&v, got, sizeof got));
		}
		if (parse_attempt(c, &v, &c->p->att[i]) < 0)
			return -1;
	}
	c->path = "";
	rec->att = c->p->att;
	rec->n_att = n;
	return 0;
}

static int parse_member(struct ctx *c, enum field f, const struct json_span *v, struct jsonl_rec *rec)
{
	switch (f) {
	case F_TS: return get_time(c, v, &rec->ts_us);
	case F_TENANT: return get_name(c, f, v, &rec->tenant);
	case F_TASK: return get_name(c, f, v, &rec->task);
	case F_INPUT_TOKENS: return get_count(c, f, v, &rec->input_tok);
	case F_OUTPUT_TOKENS: return get_count(c, f, v, &rec->output_tok);
	case F_INPUT: return get_string(c, f, v, &rec->input);
	case F_INPUT_HASH: return get_string(c, f, v, &rec->input_hash);
	case F_MODEL: return get_name(c, f, v, &rec->model);
	case F_STATUS: return get_status(c, v, &rec->status);
	case F_LATENCY_MS: return get_latency(c, v, &rec->latency_us);
	case F_CACHED_TOKENS: return get_count(c, f, v, &rec->cached_tok);
	case F_ATTEMPTS: return parse_attempts(c, v, rec);
	case F_REQUEST_ID: return get_string(c, f, v, &rec->request_id);
	case F_SESSION: return get_string(c, f, v, &rec->session);
	case F_USER: return get_string(c, f, v, &rec->user);
	case F_DIFFICULTY:
		if (v->type == JSON_STRING && json_string_equals(v, "easy"))
			rec->difficulty = DIFFICULTY_EASY;
		else if (v->type == JSON_STRING && json_string_equals(v, "hard"))
			rec->difficulty = DIFFICULTY_HARD;
		else
			return reject(c, f, "\"easy\" or \"hard\"", v);
		return 0;
	case F_QUALITY: {
		/* its range from the exact text, of any length (1.0000000000000000000001 is above 1); its
		 * value as the nearest double, strtod reading up to the ',' or '}' that ends it */
		int below, above;
		if (v->type != JSON_NUMBER || decimal_compare(v->start, v->len, 0, &below) < 0 || below < 0 ||
		    decimal_compare(v->start, v->len, 1, &above) < 0 || above > 0)
			return reject(c, f, "a number from 0 to 1", v);
		rec->quality = strtod(v->start, NULL);
		return 0;
	}
	case F_REALTIME:
		if (v->type != JSON_TRUE && v->type != JSON_FALSE)
			return reject(c, f, "true or false", v);
		rec->realtime = v->type == JSON_TRUE;
		return 0;
	case F_COST_USD:
		return get_cost(c, v, rec);
	default: return 0;
	}
}

static int reserve(struct jsonl_parser *p, size_t len)
{
	size_t need = 2 * len + 64;
	if (need <= p->cap)
		return 0;
	char *text = malloc(need), *extra = malloc(need);
	if (!text || !extra) {
		free(text);
		free(extra);
		return -1;
	}
	free(p->text);
	free(p->extra);
	p->text = text;
	p->extra = extra;
	p->cap = need;
	return 0;
}

int jsonl_parse(struct jsonl_parser *p, const char *line, size_t len, struct jsonl_rec *rec, struct err *e)
{
	struct json_span obj, k, v;
	struct json_iter it;
	const char *why;
	size_t at;
	unsigned seen = 0, have = 0;
	int unknown = 0;

	if (json_validate(line, len, &obj, &why, &at) < 0)
		return err_set(e, "%s%s (column %zu)", strncmp(why, "not JSON", 8) ? "not JSON: " : "", why, at + 1);
	if (obj.type != JSON_OBJECT)
		return err_set(e, "not a JSON object");
	if (reserve(p, len) < 0)
		return -2;

	struct ctx c = { .p = p, .path = "", .e = e };
	*rec = (struct jsonl_rec){ .input_tok = JSONL_ABSENT, .output_tok = JSONL_ABSENT,
		.cached_tok = JSONL_ABSENT, .status = -1, .latency_us = JSONL_ABSENT,
		.realtime = -1, .cost_pusd = JSONL_ABSENT, .cost_sub = 0, .quality = NAN };

	json_iter_init(&it, &obj);
	while (json_iter_next(&it, &k, &v)) {
		enum field f = field_lookup(&k, ~0u);
		if (f == F_UNKNOWN) {
			unknown = 1;
			rec->degraded |= v.type == JSON_STRING && json_string_equals(&k, "live") &&
			                 json_string_equals(&v, "degraded");
			continue;
		}
		if (seen >> f & 1)
			return reject(&c, f, "duplicate field", NULL);
		seen |= 1u << f;
		if (v.type == JSON_NULL)
			continue; /* null is absent */
		have |= 1u << f;
		int rc = parse_member(&c, f, &v, rec);
		if (rc < 0)
			return rc;
	}

	static const enum field required[] = { F_TS, F_TENANT, F_TASK, F_OUTPUT_TOKENS };
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!(have >> required[i] & 1))
			return reject(&c, required[i], seen >> required[i] & 1 ? "must not be null" : "missing", NULL);
	if (rec->input_tok == JSONL_ABSENT) {
		if (!rec->input.s)
			return reject(&c, F_INPUT_TOKENS, "missing (and no input text to estimate it from)", NULL);
		rec->input_tok = (int64_t)((rec->input.n + 3) / 4);
		rec->input_estimated = 1;
		if (rec->input_tok > MAX_TOKENS)
			return reject(&c, F_INPUT_TOKENS, "estimated above 4294967295", NULL);
	}
	for (size_t i = 0; i < rec->n_att; i++)
		if (!rec->att[i].model.s) {
			if (!rec->model.s)
				return err_set(e, "attempts[%zu].model: missing (and no top-level model)", i);
			rec->att[i].model = rec->model;
		}
	if (unknown)
		rec->extra = keep_unknown(&c, &obj, ~0u);
	return 0;
}

uint32_t jsonl_row(const struct jsonl_rec *r, const uint32_t ids[5], struct trace_row *row,
                   struct trace_call *calls)
{
	*row = (struct trace_row){
		.ts_us = r->ts_us, .tenant = ids[0], .task = ids[1], .input = ids[2], .input_hash = ids[3],
		.input_tok = (uint32_t)r->input_tok, .output_tok = (uint32_t)r->output_tok,
		.cached_tok = r->cached_tok == JSONL_ABSENT ? 0 : (uint32_t)r->cached_tok,
		.difficulty = (enum difficulty)r->difficulty, .realtime = r->realtime != 0,
		.degraded = r->degraded, .cost_pusd = r->cost_pusd == JSONL_ABSENT ? TRACE_NO_COST : r->cost_pusd,
	};
	if (!r->n_att && ids[4] != TRACE_NONE) {
		calls[0] = (struct trace_call){ ids[4], r->status < 0 ? STATUS_OK : (enum status)r->status,
		                                -1, -1, -1, r->latency_us == JSONL_ABSENT ? TRACE_NO_LATENCY
		                                : r->latency_us, TRACE_NO_TIME, 0 };
		return 1;
	}
	for (size_t k = 0; k < r->n_att; k++) {
		const struct jsonl_attempt *x = &r->att[k];
		struct trace_call *c = &calls[k];
		c->status = (enum status)x->status;
		c->input_tok = x->input_tok == JSONL_ABSENT ? -1 : x->input_tok;
		c->output_tok = x->output_tok == JSONL_ABSENT ? -1 : x->output_tok;
		c->cached_tok = x->cached_tok == JSONL_ABSENT ? -1 : x->cached_tok;
		c->latency_us = x->latency_us == JSONL_ABSENT ? TRACE_NO_LATENCY : x->latency_us;
		c->ts_us = x->ts_us;
		c->summary = x->summary;
	}
	return (uint32_t)r->n_att;
}
