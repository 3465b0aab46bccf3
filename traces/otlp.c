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
#include "sim/status.h"
#include "traces/format.h"

static const char *const model_calls[] = { "chat", "text_completion", "generate_content", "embeddings" };

/* The AnyValue of attribute `key` in an attributes array: 1 with *v its one typed member. */
static int attr(const struct json_span *attrs, const char *key, struct json_span *v)
{
	struct json_iter it;
	struct json_span kv, k, val;
	if (!attrs || attrs->type != JSON_ARRAY)
		return 0;
	json_iter_init(&it, attrs);
	while (json_iter_next(&it, NULL, &kv)) {
		if (!format_get(&kv, "key", &k) || !format_is(&k, key) || !format_get(&kv, "value", &val))
			continue;
		static const char *const kinds[] = { "stringValue", "intValue", "doubleValue", "boolValue",
		                                     "arrayValue" };
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (format_get(&val, kinds[i], v))
				return 1;
		return 0;
	}
	return 0;
}

/* A string attribute of the span, else of its resource (either may be NULL). */
static struct str attr_str(struct format_parser *p, const struct json_span *span_attrs,
                           const struct json_span *res_attrs, const char *key)
{
	struct json_span v;
	if ((attr(span_attrs, key, &v) || attr(res_attrs, key, &v)) && v.type == JSON_STRING)
		return format_str(p, &v);
	return (struct str){ NULL, 0 };
}

static struct str first_of(struct format_parser *p, const struct json_span *sa, const struct json_span *ra,
                           const char *a, const char *b, const char *fallback)
{
	struct str s = attr_str(p, sa, ra, a);
	if (!s.s && b)
		s = attr_str(p, sa, ra, b);
	if (!s.s || !s.n)
		s = (struct str){ fallback, fallback ? strlen(fallback) : 0 };
	return s;
}

/* A count attribute (new name, else old): 1 read, 0 absent, -1 bad. */
static int attr_count(const struct json_span *attrs, const char *key, const char *old, int64_t *out, struct err *e)
{
	struct json_span v;
	if (attr(attrs, key, &v))
		return format_count(&v, key, out, e) < 0 ? -1 : 1;
	if (old && attr(attrs, old, &v))
		return format_count(&v, old, out, e) < 0 ? -1 : 1;
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

static int finish_filtered(const struct json_span *attrs)
{
	struct json_span arr, vals, item, s;
	struct json_iter it;
	if (!attr(attrs, "gen_ai.response.finish_reasons", &arr) || !format_get(&arr, "values", &vals) ||
	    vals.type != JSON_ARRAY)
		return 0;
	json_iter_init(&it, &vals);
	while (json_iter_next(&it, NULL, &item))
		if (format_get(&item, "stringValue", &s) && format_is(&s, "content_filter"))
			return 1;
	return 0;
}

/* The status class of a span: from error.type, else status.message. */
static int span_status(const struct json_span *span, const struct json_span *attrs)
{
	struct json_span v, st;
	if (attr(attrs, "error.type", &v) && v.type == JSON_STRING && v.len > 2)
		return format_status_of(v.start + 1, v.len - 2);
	if (is_error(span))
		return format_get(span, "status", &st) && format_get(&st, "message", &v) && v.type == JSON_STRING
		       ? format_status_of(v.start + 1, v.len - 2) : STATUS_SERVER_ERROR;
	return finish_filtered(attrs) ? STATUS_CONTENT_FILTER : STATUS_OK;
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

/* The attributes besides gen_ai.* that a model-call span's row reads. */
static const char *const read_keys[] = { "llm.usage.cache_read_input_tokens", "error.type", "llmcost.tenant",
                                         "tenant.id", "llmcost.task", "service.name", "user.id", "enduser.id" };

/*
 * An attribute whose value is no AnyValue object ("value": "chat" for {"stringValue": "chat"}),
 * where it matters: on a model call (call), one of gen_ai.* or of read_keys, which would read as
 * absent; on a span not known to be one, gen_ai.operation.name or gen_ai.system, which tell
 * whether it is.  -1 with e naming it, else 0.
 */
static int broken_attr(const struct json_span *attrs, int call, struct err *e)
{
	struct json_iter it;
	struct json_span kv, k, val;
	char got[48], name[128];
	if (!attrs)
		return 0;
	json_iter_init(&it, attrs);
	while (json_iter_next(&it, NULL, &kv)) {
		if (!format_get(&kv, "key", &k) || k.type != JSON_STRING || !format_get(&kv, "value", &val) ||
		    val.type == JSON_OBJECT)
			continue;
		int matters = json_string_equals(&k, "gen_ai.operation.name") || json_string_equals(&k, "gen_ai.system");
		if (call) {
			matters |= k.len > 9 && memcmp(k.start + 1, "gen_ai.", 7) == 0;
			for (size_t i = 0; i < sizeof read_keys / sizeof read_keys[0]; i++)
				matters |= json_string_equals(&k, read_keys[i]);
		}
		if (!matters)
			continue;
		if (k.len < sizeof name)
			name[json_string_decode(&k, name)] = 0;
		else
			snprintf(name, sizeof name, "attributes");
		return err_set(e, "%s: expected an AnyValue object ({\"stringValue\": …} or another typed value), got %s",
		               name, format_shown(&val, got, sizeof got));
	}
	return 0;
}

/* One span: 1 with *r a row, 0 skipped (not a model call), -1 rejected (e says why). */
static int span_row(struct format_parser *p, const struct json_span *span, const struct json_span *res_attrs,
                    struct jsonl_rec *r, struct err *e)
{
	struct json_span attrs, v, rm;
	char got[48];
	int has_attrs = format_get(span, "attributes", &attrs);
	if (has_attrs && attrs.type != JSON_ARRAY) /* a model call's, as far as its text tells, is malformed */
		return mentions_gen_ai(&attrs) ? err_set(e, "attributes: expected an array of {key, value} objects, "
		                                         "got %s", format_shown(&attrs, got, sizeof got)) : 0;
	const struct json_span *sa = has_attrs ? &attrs : NULL;
	int call = 0;
	if (attr(sa, "gen_ai.operation.name", &v)) {
		for (size_t i = 0; i < sizeof model_calls / sizeof model_calls[0]; i++)
			call |= format_is(&v, model_calls[i]);
	} else {
		call = attr(sa, "gen_ai.system", &v);
	}
	if (broken_attr(sa, call, e) < 0)
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
	r->status = span_status(span, sa);
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
	int embeddings = attr(sa, "gen_ai.operation.name", &v) && format_is(&v, "embeddings");
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
	int dated_qm = attr(sa, "gen_ai.request.model", &qm) && qm.type == JSON_STRING;
	r->model = dated_qm ? format_str(p, &qm) : (struct str){ NULL, 0 };
	dated_qm = dated_qm && format_undated(r->model) != r->model.n;
	int has_rm = attr(sa, "gen_ai.response.model", &rm) && rm.type == JSON_STRING;
	if (!r->model.s && has_rm)
		r->model = format_str(p, &rm);
	r->model.n = format_undated(r->model);
	if (r->model.s && !r->model.n)
		r->model.s = NULL;
	r->tenant = first_of(p, sa, res_attrs, "llmcost.tenant", "tenant.id", "unknown");
	r->task = first_of(p, sa, res_attrs, "llmcost.task", "service.name", "unknown");
	r->request_id = attr_str(p, sa, NULL, "gen_ai.response.id");
	r->session = attr_str(p, sa, NULL, "gen_ai.conversation.id");
	r->user = first_of(p, sa, res_attrs, "user.id", "enduser.id", NULL);
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
		int has_ra = format_get(&rs, "resource", &res) && format_get(&res, "attributes", &ra);
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
				if (format_reserve(p, 2 * span.len + (has_ra ? ra.len : 0) + 128) < 0)
					return -2;
				int rc = span.type == JSON_OBJECT ? span_row(p, &span, has_ra ? &ra : NULL, &r, &why_span)
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
	.parse = otlp_parse, .documents = 1,
};
