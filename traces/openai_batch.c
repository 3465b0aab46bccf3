/*
 * OpenAI Batch API files as trace rows: output (and error) files, one item a line,
 * {id, custom_id, response: {status_code, request_id, body}, error}, the body a
 * Responses or Chat Completions object; and the batch's input file, whose requests
 * ({custom_id, method, url, body}) are kept by custom_id to give the output items
 * that follow their text, tenant, task and model.  README.md "Other formats" has the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/intern.h"
#include "sim/pricing.h"
#include "sim/status.h"
#include "traces/format.h"

/* One custom_id of the trace: a request of an input file (its strings in one allocation), an
 * output item's, or both. */
struct batch_request {
	char *mem;
	struct str id, input, tenant, task, model;
	uint32_t file;              /* the parser's file_no when it was read */
	int joined;                 /* an output item took it (or came before it: nothing to take) */
	int request;                /* an input file's line gave it */
	int item;                   /* an output item of this id was imported */
};

uint64_t openai_batch_unjoined(const struct format_parser *p, uint32_t file)
{
	uint64_t n = 0;
	for (size_t i = 0; i < p->n_requests; i++)
		n += p->requests[i].file == file && !p->requests[i].joined;
	return n;
}

void openai_batch_forget(struct format_parser *p)
{
	for (size_t i = 0; i < p->n_requests; i++)
		free(p->requests[i].mem);
	free(p->requests);
	free(p->slots);
	p->requests = NULL;
	p->slots = NULL;
	p->n_requests = p->cap_requests = p->n_slots = 0;
}

static struct batch_request *find(const struct format_parser *p, struct str id)
{
	if (!p->n_slots)
		return NULL;
	for (size_t i = intern_hash(id.s, id.n) & (p->n_slots - 1);; i = (i + 1) & (p->n_slots - 1)) {
		uint32_t k = p->slots[i];
		if (!k)
			return NULL;
		struct batch_request *r = &p->requests[k - 1];
		if (r->id.n == id.n && memcmp(r->id.s, id.s, id.n) == 0)
			return r;
	}
}

/* Room for one more request, the slots at most half full.  0, or -2 out of memory. */
static int grow(struct format_parser *p)
{
	if (p->n_requests == p->cap_requests) {
		size_t cap = p->cap_requests ? 2 * p->cap_requests : 256;
		struct batch_request *r = realloc(p->requests, cap * sizeof *r);
		if (!r)
			return -2;
		p->requests = r;
		p->cap_requests = cap;
	}
	if (2 * (p->n_requests + 1) <= p->n_slots)
		return 0;
	size_t n = p->n_slots ? 2 * p->n_slots : 512;
	uint32_t *slots = calloc(n, sizeof *slots);
	if (!slots)
		return -2;
	for (size_t k = 0; k < p->n_requests; k++) {
		size_t i = intern_hash(p->requests[k].id.s, p->requests[k].id.n) & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = (uint32_t)(k + 1);
	}
	free(p->slots);
	p->slots = slots;
	p->n_slots = n;
	return 0;
}

/* Keeps a copy of r (its strings anywhere) under r->id.  0, or -2 out of memory. */
static int keep_request(struct format_parser *p, const struct batch_request *r)
{
	if (grow(p) < 0)
		return -2;
	struct batch_request *k = &p->requests[p->n_requests];
	k->file = p->file_no;
	k->joined = r->joined;
	k->request = r->request;
	k->item = r->item;
	const struct str *from[] = { &r->id, &r->input, &r->tenant, &r->task, &r->model };
	struct str *to[] = { &k->id, &k->input, &k->tenant, &k->task, &k->model };
	size_t n = 1;
	for (size_t i = 0; i < 5; i++)
		n += from[i]->n;
	if (!(k->mem = malloc(n)))
		return -2;
	char *at = k->mem;
	for (size_t i = 0; i < 5; i++) {
		*to[i] = (struct str){ from[i]->s ? at : NULL, from[i]->n };
		if (from[i]->n)
			memcpy(at, from[i]->s, from[i]->n);
		at += from[i]->n;
	}
	size_t i = intern_hash(k->id.s, k->id.n) & (p->n_slots - 1);
	while (p->slots[i])
		i = (i + 1) & (p->n_slots - 1);
	p->slots[i] = (uint32_t)++p->n_requests;
	return 0;
}

/* The class of an error object {code, type, message}, or of an error given as its message
 * alone (a string), or -1 when it says nothing. */
static int error_class(const struct json_span *err)
{
	static const char *const keys[] = { "code", "type", "message" };
	struct json_span v;
	if (err->type == JSON_STRING && err->len > 2)
		return format_status_of(err->start + 1, err->len - 2);
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

/* The count `key` of obj, at `path` in the line (a bad one is named by its full path,
 * path.key): 1 read, 0 absent, -1 bad. */
static int count_at(const struct json_span *obj, const char *path, const char *key, int64_t *out, struct err *e)
{
	struct json_span v;
	char name[128];
	if (!format_get(obj, key, &v))
		return 0;
	snprintf(name, sizeof name, "%s.%s", path, key);
	return format_count(&v, name, out, e) < 0 ? -1 : 1;
}

/* usage.NEW, else usage.OLD (Responses' names, then Chat Completions'): 1 read, 0 absent, -1 bad. */
static int usage(const struct json_span *u, const char *key, const char *old, int64_t *out, struct err *e)
{
	int rc = count_at(u, "response.body.usage", key, out, e);
	return rc ? rc : count_at(u, "response.body.usage", old, out, e);
}

static void join(struct format_parser *p, struct jsonl_rec *r, int tenant_given, int task_given);

static int item_rec(struct format_parser *p, const struct json_span *line, struct jsonl_rec *r, struct err *e)
{
	struct json_span resp = { JSON_NULL, "null", 4 }, body = resp, v, u, d, md;
	char got[48];
	format_rec_init(r);
	r->realtime = 0; /* it went through the Batch API */
	if (!format_text(p, line, "custom_id", &r->request_id))
		return !format_get(line, "custom_id", &v) ? err_set(e, "custom_id: missing (not a Batch output line)")
		       : err_set(e, "custom_id: expected a non-empty string, got %s", format_shown(&v, got, sizeof got));
	struct batch_request *q = find(p, r->request_id);
	if (q && q->item) /* one batch holds one item of an id: an export of the file twice? */
		return err_set(e, "custom_id: an item of this id came before in the trace");
	/* an item holds a response, or (null response) an error: a value of another type is no
	 * failed call but a malformed line */
	struct json_span rv = { 0 };
	int has_resp = format_get(line, "response", &rv);
	if (has_resp && rv.type != JSON_OBJECT)
		return err_set(e, "response: expected an object, got %s", format_shown(&rv, got, sizeof got));
	if (!has_resp && !format_get(line, "error", &v))
		return err_set(e, rv.start ? "response: expected an object, got null (and no error)" : "response: missing (and no error)");
	if (has_resp)
		resp = rv;
	if (format_get(&resp, "status_code", &v) &&
	    (v.type != JSON_NUMBER || v.len != 3 || v.start[0] < '1' || v.start[0] > '5' ||
	     v.start[1] < '0' || v.start[1] > '9' || v.start[2] < '0' || v.start[2] > '9'))
		return err_set(e, "response.status_code: expected an HTTP status (an integer from 100 to 599), got %s",
		               format_shown(&v, got, sizeof got));
	if (format_get(&resp, "body", &body) && body.type != JSON_OBJECT)
		return err_set(e, "response.body: expected an object, got %s", format_shown(&body, got, sizeof got));
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
	/* an embeddings item (/v1/embeddings: a list of vectors) has no time and no output */
	int embeddings = format_get(&body, "object", &v) && format_is(&v, "list");
	if (created != INT64_MIN)
		r->ts_us = created;
	else if (p->last_ts_us != INT64_MIN)
		r->ts_us = p->last_ts_us;
	else if (embeddings)
		return err_set(e, "response.body: an embeddings item carries no time, and no item before it had "
		               "one to take; import a file whose items have one (created_at or created) first, "
		               "in the same trace");
	else
		return err_set(e, "response.body.created_at: missing, and no item before it had one to take");
	int in = 0, out = 0, has_u = format_get(&body, "usage", &u);
	if (has_u && ((in = usage(&u, "input_tokens", "prompt_tokens", &r->input_tok, e)) < 0 ||
	              (out = usage(&u, "output_tokens", "completion_tokens", &r->output_tok, e)) < 0))
		return -1;
	const char *details = !has_u ? NULL
	                      : format_get(&u, "input_tokens_details", &d) ? "response.body.usage.input_tokens_details"
	                      : format_get(&u, "prompt_tokens_details", &d) ? "response.body.usage.prompt_tokens_details"
	                      : NULL;
	if (details && count_at(&d, details, "cached_tokens", &r->cached_tok, e) < 0)
		return -1;
	if ((!in || (!out && !embeddings)) && r->status == STATUS_OK)
		return err_set(e, "response.body.usage.%s: missing", in ? "output_tokens" : "input_tokens");
	if (!in)
		r->input_tok = 0; /* a failed item that reported no usage: nothing billed */
	if (!out)
		r->output_tok = 0;
	if (format_text(p, &body, "model", &r->model))
		r->model.n = pricing_undated(r->model.s, r->model.n);
	int has_md = format_get(&body, "metadata", &md);
	int tenant_md = has_md && format_text(p, &md, "tenant", &r->tenant);
	int task_md = has_md && format_text(p, &md, "task", &r->task);
	join(p, r, tenant_md, task_md);
	if (!r->tenant.s && !format_text(p, &body, "safety_identifier", &r->tenant) && !format_text(p, &body, "user", &r->tenant))
		r->tenant = (struct str){ "unknown", 7 };
	if (!r->task.s)
		r->task = (struct str){ "unknown", 7 };
	if (!r->model.s && p->last_model_n) /* a failed item names none: the batch's, as far as known */
		r->model = (struct str){ p->last_model, p->last_model_n };
	else if (r->model.s && r->model.s != p->last_model && r->model.n < sizeof p->last_model)
		memcpy(p->last_model, r->model.s, p->last_model_n = r->model.n);
	char *x = p->scratch + p->used;
	size_t n = 0;
	x[n++] = '{';
	static const char *const kept[][2] = { { "id", "batch_request_id" }, { "request_id", "x_request_id" },
	                                        { "model", "response_model" } };
	const struct json_span *from[] = { line, &resp, &body };
	for (size_t i = 0; i < 3; i++)
		if (format_get(from[i], kept[i][0], &v))
			format_keep(x, &n, kept[i][1], &v);
	x[n++] = '}';
	p->used += n;
	if (n > 2)
		r->extra = (struct str){ x, n };
	if (format_check(r, e) < 0)
		return -1;
	if (created != INT64_MIN && created > p->last_ts_us)
		p->last_ts_us = created;
	if (q) /* found above: nothing since has kept a request */
		q->item = 1;
	else if (keep_request(p, &(struct batch_request){ .id = r->request_id, .joined = 1, .item = 1 }) < 0)
		return -2;
	return 0;
}

/* A line of the input file: kept for the output items.  0, -1 rejected, -2 out of memory. */
static int input_line(struct format_parser *p, const struct json_span *line, struct err *e)
{
	struct json_span body, md;
	struct batch_request r = { 0 };
	if (!format_text(p, line, "custom_id", &r.id))
		return err_set(e, "custom_id: missing (not a Batch input line)");
	if (!format_get(line, "body", &body) || body.type != JSON_OBJECT)
		return err_set(e, "body: expected the request (an object)");
	struct batch_request *q = find(p, r.id);
	if (q && q->request)
		return err_set(e, "custom_id: a request of this id came before in the trace");
	if (q) { /* its output item came first: it joins nothing, which unjoined_notes says */
		q->request = 1;
		q->file = p->file_no;
		q->joined = 0;
		return 0;
	}
	r.request = 1;
	format_text(p, &body, "model", &r.model);
	int has_md = format_get(&body, "metadata", &md);
	if (!(has_md && format_text(p, &md, "tenant", &r.tenant)) && !format_text(p, &body, "safety_identifier", &r.tenant))
		format_text(p, &body, "user", &r.tenant);
	if (has_md)
		format_text(p, &md, "task", &r.task);
	char *text = p->scratch + p->used;
	r.input = (struct str){ text, format_request_text(&body, text) };
	p->used += r.input.n;
	return keep_request(p, &r);
}

/* Fills what the output item lacks from its request in the input file, if one came. */
static void join(struct format_parser *p, struct jsonl_rec *r, int tenant_given, int task_given)
{
	struct batch_request *q = find(p, r->request_id);
	if (!q)
		return;
	q->joined = 1;
	if (q->input.n)
		r->input = q->input;
	if (q->model.n)
		r->model = (struct str){ q->model.s, pricing_undated(q->model.s, q->model.n) };
	if (q->tenant.n && !tenant_given)
		r->tenant = q->tenant;
	if (q->task.n && !task_given)
		r->task = q->task;
}

/* A line of the batch's input file: a request's body, and no response or error. */
static int is_input(const struct json_span *v)
{
	struct json_span x;
	return format_get(v, "body", &x) && !format_get(v, "response", &x) && !format_get(v, "error", &x);
}

/* The input file is no output: said so in the note on the format auto-detection chose. */
static const char *batch_title(const struct json_span *v)
{
	return is_input(v) ? "OpenAI Batch input" : format_openai_batch.title;
}

static int batch_sniff(const struct json_span *v)
{
	struct json_span x;
	return format_get(v, "custom_id", &x) &&
	       (format_get(v, "response", &x) || format_get(v, "error", &x) ||
	        (format_get(v, "body", &x) && format_get(v, "url", &x)));
}

static int batch_parse(struct format_parser *p, const char *text, size_t len, uint64_t line,
                       const struct format_sink *k, struct err *e)
{
	struct json_span doc;
	struct jsonl_rec r;
	if (format_validate(text, len, &doc, e) < 0)
		return -1;
	if (doc.type != JSON_OBJECT)
		return err_set(e, "not a JSON object");
	if (format_reserve(p, 2 * len + 128) < 0)
		return -2;
	if (is_input(&doc)) {
		int rc = input_line(p, &doc, e);
		p->batch_inputs += rc == 0;
		return rc;
	}
	int rc = item_rec(p, &doc, &r, e);
	if (rc < 0)
		return rc;
	return k->row(k->ctx, line, &r) ? FORMAT_STOPPED : 0;
}

const struct import_format format_openai_batch = {
	.name = "openai-batch", .title = "OpenAI Batch output", .sniff = batch_sniff, .parse = batch_parse,
	.title_of = batch_title,
};
