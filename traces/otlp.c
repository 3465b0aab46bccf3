/*
 * OpenTelemetry GenAI spans in OTLP/JSON (the file exporter's JSON Lines of
 * TracesData, or one pretty-printed TracesData) as trace rows: each model-call
 * span (gen_ai.operation.name chat, text_completion, generate_content or
 * embeddings, or a legacy span with only gen_ai.system) is one request; other
 * spans are counted as skipped.  README.md "Other formats" lists the mapping.
 */
#include <stdio.h>
#include <string.h>

#include "sim/decimal.h"
#include "sim/intern.h"
#include "sim/pricing.h"
#include "sim/status.h"
#include "traces/format.h"

static const char *const model_calls[] = { "chat", "text_completion", "generate_content", "embeddings" };

/* The names a span may take from itself or else its resource: each from its first attribute,
 * else its second, else its fallback (first_of).  Attribute i of the table is key[i % 2] of its
 * entry i / 2, the order resource_init reads them in. */
enum { NAME_TENANT, NAME_TASK, NAME_USER, N_NAMES };
static const struct { const char *key[2], *fallback; } names[N_NAMES] = {
	[NAME_TENANT] = { { "llmcost.tenant", "tenant.id" }, "unknown" },
	[NAME_TASK] = { { "llmcost.task", "service.name" }, "unknown" },
	[NAME_USER] = { { "user.id", "enduser.id" }, NULL },
};
#define N_RESOURCE_KEYS (2 * N_NAMES)
#define RESOURCE_KEY(i) (names[(i) / 2].key[(i) % 2])

/* A span's resource: the `value` of each name attribute in its attributes (the first entry of
 * that key with one), read once for all its spans (resource_init), and its index in resourceSpans. */
struct resource {
	struct json_span value[N_RESOURCE_KEYS];
	unsigned found;             /* bit i: value[i] is set */
	size_t at;
};

/* The typed members of an AnyValue that are read, with the JSON types OTLP/JSON writes each as
 * (an int64 as a decimal string, a double's NaN and infinities as strings). */
enum { ANY_STRING, ANY_INT, ANY_DOUBLE, ANY_BOOL, ANY_ARRAY, N_ANY };
static const struct { const char *name, *is; unsigned types; } any_kinds[N_ANY] = {
	[ANY_STRING] = { "stringValue", "string", 1u << JSON_STRING },
	[ANY_INT] = { "intValue", "number", 1u << JSON_STRING | 1u << JSON_NUMBER },
	[ANY_DOUBLE] = { "doubleValue", "number", 1u << JSON_STRING | 1u << JSON_NUMBER },
	[ANY_BOOL] = { "boolValue", "boolean", 1u << JSON_TRUE | 1u << JSON_FALSE },
	[ANY_ARRAY] = { "arrayValue", "object", 1u << JSON_OBJECT },
};

/*
 * The `value` val of attribute `key` as an AnyValue: 1 with *v its one typed member and *kind
 * (may be NULL) which, 0 when it has none (or one of a type not read), -1 when it is no AnyValue
 * object ("value": "chat" for {"stringValue": "chat"}, which would read as absent) or its member
 * is of another JSON type than its name says ({"stringValue": 5}), e naming it.
 */
static int any_value(const struct json_span *val, const char *key, struct json_span *v, int *kind, struct err *e)
{
	char got[48];
	if (val->type != JSON_OBJECT)
		return err_set(e, "%s: expected an AnyValue object ({\"stringValue\": …} or another typed "
		               "value), got %s", key, format_shown(val, got, sizeof got));
	for (int i = 0; i < N_ANY; i++)
		if (format_get(val, any_kinds[i].name, v)) {
			if (!(any_kinds[i].types & 1u << v->type))
				return err_set(e, "%s: its %s is no %s, got %s", key, any_kinds[i].name,
				               any_kinds[i].is, format_shown(v, got, sizeof got));
			if (kind)
				*kind = i;
			return 1;
		}
	return 0;
}

/* The AnyValue of attribute `key` in an attributes array (may be NULL): any_value of the value
 * of its first entry with one, 0 when no entry has. */
static int attr_any(const struct json_span *attrs, const char *key, struct json_span *v,
                    int *kind, struct err *e)
{
	struct json_iter it;
	struct json_span kv, k, val;
	if (!attrs || attrs->type != JSON_ARRAY)
		return 0;
	json_iter_init(&it, attrs);
	while (json_iter_next(&it, NULL, &kv)) {
		if (format_get(&kv, "key", &k) && format_is(&k, key) && format_get(&kv, "value", &val))
			return any_value(&val, key, v, kind, e);
	}
	return 0;
}

/* The resource of resourceSpans[at] whose attributes are attrs (may be NULL), each of
 * RESOURCE_KEY(i) read as attr_any finds it: the first entry of the key with a value.  One pass
 * over the attributes, however many spans the resource has. */
static void resource_init(struct resource *res, const struct json_span *attrs, size_t at)
{
	struct json_iter it;
	struct json_span kv, k, val;
	const unsigned all = (1u << N_RESOURCE_KEYS) - 1;
	res->found = 0;
	res->at = at;
	if (!attrs || attrs->type != JSON_ARRAY)
		return;
	json_iter_init(&it, attrs);
	while (res->found != all && json_iter_next(&it, NULL, &kv)) {
		if (!format_get(&kv, "key", &k))
			continue;
		for (size_t i = 0; i < N_RESOURCE_KEYS; i++)
			if (!(res->found & 1u << i) && format_is(&k, RESOURCE_KEY(i)) && format_get(&kv, "value", &val)) {
				res->value[i] = val;
				res->found |= 1u << i;
				break;
			}
	}
}

/* attr_any of a resource's name attribute RESOURCE_KEY(i). */
static int resource_attr(const struct resource *res, size_t i, struct json_span *v, int *kind, struct err *e)
{
	return res->found & 1u << i ? any_value(&res->value[i], RESOURCE_KEY(i), v, kind, e) : 0;
}

static int attr(const struct json_span *attrs, const char *key, struct json_span *v,
                struct err *e)
{
	return attr_any(attrs, key, v, NULL, e);
}

/* A name attribute's AnyValue member v of `kind` as text into *out: a string, or an integer as
 * its decimal digits (a numeric tenant or user id).  0, or -1 for another kind of value. */
static int name_text(struct format_parser *p, const char *key, const struct json_span *v, int kind,
                     struct str *out, struct err *e)
{
	if (kind == ANY_STRING) {
		*out = format_str(p, v);
		return 0;
	}
	const char *s = v->type == JSON_STRING ? v->start + 1 : v->start;
	size_t len = v->type == JSON_STRING ? v->len - 2 : v->len;
	int64_t n;
	int exact = 0;
	char got[48];
	if (kind != ANY_INT || memchr(s, '\\', len) || decimal_scaled(s, len, 0, &n, &exact) < 0 || !exact)
		return err_set(e, "%s: expected a stringValue or an integer intValue, got {\"%s\": %s}", key,
		               any_kinds[kind].name, format_shown(v, got, sizeof got));
	char *dst = p->scratch + p->used; /* room: the attribute's text takes more than 20 bytes */
	int w = snprintf(dst, 21, "%lld", (long long)n);
	p->used += (size_t)w;
	*out = (struct str){ dst, (size_t)w };
	return 0;
}

/* A name attribute `key` of the span, else (res not NULL) attribute ri of its resource, which
 * RESOURCE_KEY(ri) names key, into *out ({NULL, 0} when there is none), as name_text: 0, or -1
 * as attr_any or name_text, an error on the resource named by its path. */
static int attr_str(struct format_parser *p, const struct json_span *sa, const char *key,
                    const struct resource *res, size_t ri, struct str *out, struct err *e)
{
	struct json_span v;
	int kind = ANY_STRING, rc = attr_any(sa, key, &v, &kind, e), on_res = 0;
	if (!rc && res)
		on_res = (rc = resource_attr(res, ri, &v, &kind, e)) != 0;
	*out = (struct str){ NULL, 0 };
	if (rc > 0 && name_text(p, key, &v, kind, out, e) < 0)
		rc = -1;
	if (rc < 0 && on_res)
		err_prefix(e, "resourceSpans[%zu].resource.attributes: ", res->at);
	return rc < 0 ? -1 : 0;
}

/* names[n] of the span or its resource: its first attribute, else its second, else its
 * fallback: 0, or -1 as attr_str. */
static int first_of(struct format_parser *p, const struct json_span *sa, const struct resource *res,
                    size_t n, struct str *out, struct err *e)
{
	if (attr_str(p, sa, names[n].key[0], res, 2 * n, out, e) < 0 ||
	    (!out->s && attr_str(p, sa, names[n].key[1], res, 2 * n + 1, out, e) < 0))
		return -1;
	const char *fallback = names[n].fallback;
	if (!out->s || !out->n)
		*out = (struct str){ fallback, fallback ? strlen(fallback) : 0 };
	return 0;
}

/* A count attribute (new name, else old): 1 read, 0 absent, -1 bad. */
static int attr_count(const struct json_span *attrs, const char *key, const char *old,
                      int64_t *out, struct err *e)
{
	struct json_span v;
	int rc = attr(attrs, key, &v, e);
	if (rc)
		return rc < 0 || format_count(&v, key, out, e) < 0 ? -1 : 1;
	if (old && (rc = attr(attrs, old, &v, e)))
		return rc < 0 || format_count(&v, old, out, e) < 0 ? -1 : 1;
	return 0;
}

/* A time in nanoseconds (OTLP's int64 as a decimal string, or a number): 1 read, 0 absent,
 * -1 bad. */
static int nanos(const struct json_span *span, const char *key, int64_t *ns, struct err *e)
{
	struct json_span v;
	if (!format_get(span, key, &v))
		return 0;
	const char *s = v.type == JSON_STRING ? v.start + 1 : v.start;
	size_t len = v.type == JSON_STRING ? v.len - 2 : v.len;
	int exact = 0;
	if ((v.type != JSON_STRING && v.type != JSON_NUMBER) || memchr(s, '\\', len) ||
	    decimal_scaled(s, len, 0, ns, &exact) < 0 || !exact || *ns < 0)
		return err_set(e, "%s: expected nanoseconds since the epoch (a non-negative integer)", key);
	return 1;
}

static int is_error(const struct json_span *span)
{
	struct json_span st, code;
	if (!format_get(span, "status", &st) || !format_get(&st, "code", &code))
		return 0;
	return (code.type == JSON_NUMBER && code.len == 1 && code.start[0] == '2') ||
	       format_is(&code, "STATUS_CODE_ERROR");
}

/* 1 when the finish reasons hold content_filter, 0 when not, -1 as attr. */
static int finish_filtered(const struct json_span *attrs, struct err *e)
{
	struct json_span arr, vals, item, s;
	struct json_iter it;
	int rc = attr(attrs, "gen_ai.response.finish_reasons", &arr, e);
	if (rc <= 0)
		return rc;
	/* a list is {"arrayValue": {"values": […]}}, an empty one {"arrayValue": {}}; a reason
	 * alone ({"stringValue": "stop"}) is no list of content_filter */
	if (!format_get(&arr, "values", &vals) || vals.type != JSON_ARRAY)
		return 0;
	json_iter_init(&it, &vals);
	while (json_iter_next(&it, NULL, &item))
		if (format_get(&item, "stringValue", &s) && format_is(&s, "content_filter"))
			return 1;
	return 0;
}

/* The status class of a span into *status: from error.type, else status.message.  0, or -1 as
 * attr. */
static int span_status(const struct json_span *span, const struct json_span *attrs,
                       int *status, struct err *e)
{
	struct json_span v, st;
	int rc = attr(attrs, "error.type", &v, e);
	if (rc < 0)
		return -1;
	if (rc > 0 && v.type == JSON_STRING && v.len > 2) {
		*status = format_status_of(v.start + 1, v.len - 2);
		return 0;
	}
	if (is_error(span)) {
		*status = format_get(span, "status", &st) && format_get(&st, "message", &v) && v.type == JSON_STRING
		          ? format_status_of(v.start + 1, v.len - 2) : STATUS_SERVER_ERROR;
		return 0;
	}
	if ((rc = finish_filtered(attrs, e)) < 0)
		return -1;
	*status = rc ? STATUS_CONTENT_FILTER : STATUS_OK;
	return 0;
}

/* 1 when the text of v holds a gen_ai. name (a span's attributes in a shape not OTLP's). */
static int mentions_gen_ai(const struct json_span *v)
{
	static const char mark[] = "gen_ai.";
	for (size_t i = 0; i + sizeof mark - 1 <= v->len; i++)
		if (memcmp(v->start + i, mark, sizeof mark - 1) == 0)
			return 1;
	return 0;
}

/* One span: 1 with *r a row, 0 skipped (not a model call), -1 rejected (e says why). */
static int span_row(struct format_parser *p, const struct json_span *span, const struct resource *res,
                    struct jsonl_rec *r, struct err *e)
{
	struct json_span attrs, v, rm;
	char got[48];
	int has_attrs = format_get(span, "attributes", &attrs);
	if (has_attrs && attrs.type != JSON_ARRAY) /* a model call's, as far as its text tells, is malformed */
		return mentions_gen_ai(&attrs) ? err_set(e, "attributes: expected an array of {key, value} objects, "
		                                         "got %s", format_shown(&attrs, got, sizeof got)) : 0;
	const struct json_span *sa = has_attrs ? &attrs : NULL;
	/* whether it is a model call; from here on, each attribute is checked where it is read */
	struct json_span opv;
	int call = 0, op = attr(sa, "gen_ai.operation.name", &opv, e);
	if (op > 0) {
		for (size_t i = 0; i < sizeof model_calls / sizeof model_calls[0]; i++)
			call |= format_is(&opv, model_calls[i]);
	} else if (op == 0) {
		call = attr(sa, "gen_ai.system", &v, e);
	}
	if (op < 0 || call < 0)
		return -1;
	if (!call)
		return 0;
	format_rec_init(r);
	int64_t start, end;
	int rc = nanos(span, "startTimeUnixNano", &start, e);
	if (rc <= 0)
		return rc < 0 ? -1 : err_set(e, "startTimeUnixNano: missing");
	r->ts_us = start / 1000;
	/* the latency in ns, then truncated to µs (not the difference of two truncated times) */
	if ((rc = nanos(span, "endTimeUnixNano", &end, e)) < 0 ||
	    (rc > 0 && format_latency(0, end < start ? -1 : (end - start) / 1000, "endTimeUnixNano", &r->latency_us, e) < 0))
		return -1;
	if (span_status(span, sa, &r->status, e) < 0)
		return -1;
	int in = attr_count(sa, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", &r->input_tok, e);
	int out = attr_count(sa, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", &r->output_tok, e);
	/* cached: the v1.40 name, else OpenLLMetry's (Python's gen_ai., Traceloop JS's llm.) */
	int cached = in < 0 || out < 0 ? -1
	             : attr_count(sa, "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
	                          &r->cached_tok, e);
	if (cached == 0)
		cached = attr_count(sa, "llm.usage.cache_read_input_tokens", NULL, &r->cached_tok, e);
	if (cached < 0)
		return -1;
	int embeddings = op > 0 && format_is(&opv, "embeddings");
	if (!in && r->status == STATUS_OK)
		return err_set(e, "gen_ai.usage.input_tokens: missing (on a span without an error)");
	if (!out && r->status == STATUS_OK && !embeddings)
		return err_set(e, "gen_ai.usage.output_tokens: missing (on a span without an error)");
	if (!in)
		r->input_tok = 0; /* a failed call that reported no usage */
	if (!out)
		r->output_tok = 0;
	/* a dated snapshot name is read as its alias; the full name is kept in extra */
	struct json_span qm;
	int dated_qm = attr(sa, "gen_ai.request.model", &qm, e), has_rm;
	if (dated_qm < 0 || (has_rm = attr(sa, "gen_ai.response.model", &rm, e)) < 0)
		return -1;
	dated_qm = dated_qm && qm.type == JSON_STRING;
	r->model = dated_qm ? format_str(p, &qm) : (struct str){ NULL, 0 };
	dated_qm = dated_qm && pricing_undated(r->model.s, r->model.n) != r->model.n;
	has_rm = has_rm && rm.type == JSON_STRING;
	if (!r->model.s && has_rm)
		r->model = format_str(p, &rm);
	r->model.n = pricing_undated(r->model.s, r->model.n);
	if (r->model.s && !r->model.n)
		r->model.s = NULL;
	if (first_of(p, sa, res, NAME_TENANT, &r->tenant, e) < 0 ||
	    first_of(p, sa, res, NAME_TASK, &r->task, e) < 0 ||
	    attr_str(p, sa, "gen_ai.response.id", NULL, 0, &r->request_id, e) < 0 ||
	    attr_str(p, sa, "gen_ai.conversation.id", NULL, 0, &r->session, e) < 0 ||
	    first_of(p, sa, res, NAME_USER, &r->user, e) < 0)
		return -1;
	if (!r->user.n)
		r->user.s = NULL;
	char *x = p->scratch + p->used;
	size_t n = 0;
	x[n++] = '{';
	if (format_get(span, "traceId", &v))
		format_keep(x, &n, "traceId", &v);
	if (format_get(span, "spanId", &v))
		format_keep(x, &n, "spanId", &v);
	if (dated_qm)
		format_keep(x, &n, "gen_ai.request.model", &qm);
	if (has_rm)
		format_keep(x, &n, "gen_ai.response.model", &rm);
	x[n++] = '}';
	p->used += n;
	if (n > 2)
		r->extra = (struct str){ x, n };
	return format_check(r, e) < 0 ? -1 : 1;
}

static int otlp_sniff(const struct json_span *v)
{
	struct json_span rs;
	return format_get(v, "resourceSpans", &rs) && rs.type == JSON_ARRAY;
}

/* The array member `key` of obj (else `old`, its name in older OTLP): 1 when there is one,
 * *name (may be NULL) the key it is under. */
static int members(const struct json_span *obj, const char *key, const char *old, struct json_span *arr,
                   const char **name)
{
	const char *found = format_get(obj, key, arr) ? key : old && format_get(obj, old, arr) ? old : NULL;
	if (name)
		*name = found;
	return found && arr->type == JSON_ARRAY;
}

/* The hash of a span's traceId and spanId (as written), for format_seen: 1, or 0 without both. */
static int span_key(const struct json_span *span, uint64_t *h)
{
	struct json_span tid, sid;
	if (!format_get(span, "traceId", &tid) || !format_get(span, "spanId", &sid))
		return 0;
	*h = intern_hash(tid.start, tid.len) ^ intern_hash(sid.start, sid.len) * 0x9e3779b97f4a7c15ULL;
	return 1;
}

static int otlp_parse(struct format_parser *p, const char *text, size_t len, uint64_t line,
                      const struct format_sink *k, struct err *e)
{
	struct json_span doc, rss, rs, sss, ss, spans, span, res, ra;
	struct json_iter i1, i2, i3;
	if (format_validate(text, len, &doc, e) < 0)
		return -1;
	if (!members(&doc, "resourceSpans", NULL, &rss, NULL))
		return err_set(e, "resourceSpans: missing, or not an array (not OTLP/JSON TracesData)");
	format_lines_from(p, text, line);
	json_iter_init(&i1, &rss);
	for (size_t a = 0; json_iter_next(&i1, NULL, &rs); a++) {
		if (format_stopping(p))
			return FORMAT_STOPPED;
		int has_ra = format_get(&rs, "resource", &res) && format_get(&res, "attributes", &ra);
		struct resource owner;
		resource_init(&owner, has_ra ? &ra : NULL, a);
		const char *scope_key;
		struct err why;
		if (rs.type != JSON_OBJECT) {
			err_set(&why, "resourceSpans[%zu]: expected an object", a);
			if (k->reject(k->ctx, format_line_of(p, rs.start, line), rs.start, rs.len, why.msg))
				return FORMAT_STOPPED;
			continue;
		}
		if (!members(&rs, "scopeSpans", "instrumentationLibrarySpans", &sss, &scope_key)) {
			if (!scope_key) /* a resource without spans */
				continue;
			err_set(&why, "resourceSpans[%zu].%s: expected an array", a, scope_key);
			if (k->reject(k->ctx, format_line_of(p, rs.start, line), rs.start, rs.len, why.msg))
				return FORMAT_STOPPED;
			continue;
		}
		json_iter_init(&i2, &sss);
		for (size_t b = 0; json_iter_next(&i2, NULL, &ss); b++) {
			const char *spans_key = NULL;
			if (ss.type != JSON_OBJECT || !members(&ss, "spans", NULL, &spans, &spans_key)) {
				if (ss.type == JSON_OBJECT && !spans_key) /* a scope without spans */
					continue;
				err_set(&why, "resourceSpans[%zu].%s[%zu]%s: expected %s", a, scope_key, b,
				        ss.type != JSON_OBJECT ? "" : ".spans", ss.type != JSON_OBJECT ? "an object" : "an array");
				if (k->reject(k->ctx, format_line_of(p, ss.start, line), ss.start, ss.len, why.msg))
					return FORMAT_STOPPED;
				continue;
			}
			json_iter_init(&i3, &spans);
			for (size_t c = 0; json_iter_next(&i3, NULL, &span); c++) {
				struct jsonl_rec r;
				struct err why_span;
				if (format_stopping(p))
					return FORMAT_STOPPED;
				if (format_reserve(p, 2 * span.len + (has_ra ? ra.len : 0) + 128) < 0)
					return -2;
				int rc = span.type == JSON_OBJECT ? span_row(p, &span, &owner, &r, &why_span)
				                                  : err_set(&why_span, "expected an object");
				uint64_t at_line = format_line_of(p, span.start, line);
				if (rc == 0) {
					p->skipped++;
				} else if (rc > 0) {
					/* a span of the same traceId and spanId before: an export that overlapped? */
					uint64_t h;
					if (span_key(&span, &h) && format_seen(p, h, at_line) < 0)
						return -2;
					p->failed += r.status != STATUS_OK;
					if (k->row(k->ctx, at_line, &r))
						return FORMAT_STOPPED;
				} else {
					err_prefix(&why_span, "resourceSpans[%zu].%s[%zu].spans[%zu]: ", a, scope_key, b, c);
					if (k->reject(k->ctx, at_line, span.start, span.len, why_span.msg))
						return FORMAT_STOPPED;
				}
			}
		}
	}
	return 0;
}

const struct import_format format_otlp = {
	.name = "otlp", .title = "OpenTelemetry GenAI spans (OTLP/JSON)", .sniff = otlp_sniff,
	.parse = otlp_parse, .documents = 1, .record = "span", .key = "traceId and spanId", .calls = "a span is a call",
	.skipped_why = "no gen_ai.operation.name chat, text_completion, generate_content or embeddings",
};
