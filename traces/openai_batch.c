/*
 * OpenAI Batch API output (and error) files as trace rows: one line per batch
 * item, {id, custom_id, response: {status_code, request_id, body}, error}, the
 * body a Responses or Chat Completions object.  The output holds no request text,
 * tenant or task; README.md "Other formats" says what becomes of them and of ts.
 */
#include <stdio.h>
#include <string.h>

#include "sim/status.h"
#include "traces/format.h"

static int text_at(struct format_parser *p, const struct json_span *obj, const char *key, struct str *out)
{
	struct json_span v;
	if (!format_get(obj, key, &v) || v.type != JSON_STRING || v.len <= 2)
		return 0;
	*out = format_str(p, &v);
	return 1;
}

/* The class of an error object {code, type, message}, or -1 when it says nothing. */
static int error_class(const struct json_span *err)
{
	static const char *const keys[] = { "code", "type", "message" };
	struct json_span v;
	for (size_t i = 0; i < 3; i++)
		if (format_get(err, keys[i], &v) && v.type == JSON_STRING && v.len > 2)
			return format_status_of(v.start + 1, v.len - 2);
	return -1;
}

static int item_status(const struct json_span *line, const struct json_span *resp, const struct json_span *body)
{
	struct json_span v, w;
	if (format_get(line, "error", &v))
		return error_class(&v) < 0 ? STATUS_SERVER_ERROR : error_class(&v);
	if (format_get(resp, "status_code", &v) && !(v.len == 3 && memcmp(v.start, "200", 3) == 0)) {
		int s = format_get(body, "error", &w) ? error_class(&w) : -1;
		if ((s < 0 || s == STATUS_SERVER_ERROR) && v.type == JSON_NUMBER)
			s = format_status_of(v.start, v.len);
		return s < 0 ? STATUS_SERVER_ERROR : s;
	}
	if (format_get(body, "status", &v) && format_is(&v, "failed"))
		return format_get(body, "error", &w) && error_class(&w) >= 0 ? error_class(&w) : STATUS_SERVER_ERROR;
	if (format_get(body, "incomplete_details", &v) && format_get(&v, "reason", &w) && format_is(&w, "content_filter"))
		return STATUS_CONTENT_FILTER;
	if (format_get(body, "choices", &v) && v.type == JSON_ARRAY) {
		struct json_iter it;
		struct json_span c;
		json_iter_init(&it, &v);
		while (json_iter_next(&it, NULL, &c))
			if (format_get(&c, "finish_reason", &w) && format_is(&w, "content_filter"))
				return STATUS_CONTENT_FILTER;
	}
	return STATUS_OK;
}

/* usage.NEW, else usage.OLD (Responses' names, then Chat Completions'): 1 read, 0 absent, -1 bad. */
static int usage(const struct json_span *u, const char *key, const char *old, int64_t *out, struct err *e)
{
	struct json_span v;
	if (format_get(u, key, &v))
		return format_count(&v, key, out, e) < 0 ? -1 : 1;
	if (format_get(u, old, &v))
		return format_count(&v, old, out, e) < 0 ? -1 : 1;
	return 0;
}

static int item_rec(struct format_parser *p, const struct json_span *line, struct jsonl_rec *r, struct err *e)
{
	struct json_span resp = { JSON_NULL, "null", 4 }, body = resp, v, u, d, md;
	format_rec_init(r);
	r->realtime = 0; /* it went through the Batch API */
	if (!text_at(p, line, "custom_id", &r->request_id))
		return err_set(e, "custom_id: missing (not a Batch output line)");
	format_get(line, "response", &resp);
	format_get(&resp, "body", &body);
	r->status = item_status(line, &resp, &body);
	int64_t created = INT64_MIN, done;
	if (format_get(&body, "created_at", &v) || format_get(&body, "created", &v)) {
		if (format_time(&v, "response.body.created_at", &created, e) < 0)
			return -1;
		if (format_get(&body, "completed_at", &v) &&
		    (format_time(&v, "response.body.completed_at", &done, e) < 0 ||
		     format_latency(created, done, "response.body.completed_at", &r->latency_us, e) < 0))
			return -1;
	}
	if (created != INT64_MIN)
		r->ts_us = created;
	else if (p->last_ts_us != INT64_MIN)
		r->ts_us = p->last_ts_us;
	else
		return err_set(e, "response.body.created_at: missing, and no item before it had one to take");
	int in = 0, out = 0, has_u = format_get(&body, "usage", &u);
	if (has_u && ((in = usage(&u, "input_tokens", "prompt_tokens", &r->input_tok, e)) < 0 ||
	              (out = usage(&u, "output_tokens", "completion_tokens", &r->output_tok, e)) < 0))
		return -1;
	if (has_u && (format_get(&u, "input_tokens_details", &d) || format_get(&u, "prompt_tokens_details", &d)) &&
	    format_get(&d, "cached_tokens", &v) && format_count(&v, "cached_tokens", &r->cached_tok, e) < 0)
		return -1;
	if ((!in || !out) && r->status == STATUS_OK)
		return err_set(e, "response.body.usage: %s missing", in ? "output_tokens" : "input_tokens");
	if (!in)
		r->input_tok = 0; /* a failed item that reported no usage: nothing billed */
	if (!out)
		r->output_tok = 0;
	if (text_at(p, &body, "model", &r->model)) {
		r->model.n = format_undated(r->model);
		if (r->model.n < sizeof p->last_model)
			memcpy(p->last_model, r->model.s, p->last_model_n = r->model.n);
	} else if (p->last_model_n) { /* a failed item names none: the batch's model, as far as known */
		r->model = (struct str){ p->last_model, p->last_model_n };
	}
	int has_md = format_get(&body, "metadata", &md);
	if (!(has_md && text_at(p, &md, "tenant", &r->tenant)) && !text_at(p, &body, "safety_identifier", &r->tenant) &&
	    !text_at(p, &body, "user", &r->tenant))
		r->tenant = (struct str){ "unknown", 7 };
	if (!(has_md && text_at(p, &md, "task", &r->task)))
		r->task = (struct str){ "unknown", 7 };
	char *x = p->scratch + p->used;
	size_t n = 0;
	x[n++] = '{';
	static const char *const kept[][2] = { { "id", "batch_request_id" }, { "request_id", "x_request_id" },
	                                        { "model", "response_model" } };
	const struct json_span *from[] = { line, &resp, &body };
	for (size_t i = 0; i < 3; i++)
		if (format_get(from[i], kept[i][0], &v)) {
			n += (size_t)sprintf(x + n, "%s\"%s\":", n > 1 ? "," : "", kept[i][1]);
			memcpy(x + n, v.start, v.len);
			n += v.len;
		}
	x[n++] = '}';
	p->used += n;
	if (n > 2)
		r->extra = (struct str){ x, n };
	if (format_check(r, e) < 0)
		return -1;
	if (created != INT64_MIN && created > p->last_ts_us)
		p->last_ts_us = created;
	return 0;
}

static int batch_sniff(const struct json_span *v)
{
	struct json_span x;
	return format_get(v, "custom_id", &x) && (format_get(v, "response", &x) || format_get(v, "error", &x));
}

static int batch_parse(struct format_parser *p, const char *text, size_t len, uint64_t line,
                       const struct format_sink *k, struct err *e)
{
	struct json_span doc;
	struct jsonl_rec r;
	const char *why;
	size_t at;
	if (json_validate(text, len, &doc, &why, &at) < 0)
		return err_set(e, "%s%s (column %zu)", strncmp(why, "not JSON", 8) ? "not JSON: " : "", why, at + 1);
	if (doc.type != JSON_OBJECT)
		return err_set(e, "not a JSON object");
	if (format_reserve(p, 2 * len + 128) < 0)
		return -2;
	if (item_rec(p, &doc, &r, e) < 0)
		return -1;
	return k->row(k->ctx, line, &r) ? FORMAT_STOPPED : 0;
}

const struct import_format format_openai_batch = {
	.name = "openai-batch", .title = "OpenAI Batch output", .sniff = batch_sniff, .parse = batch_parse,
};
