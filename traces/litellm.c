/*
 * LiteLLM spend logs (rows of the proxy's LiteLLM_SpendLogs table, as its
 * /spend/logs API returns them or as `SELECT row_to_json(t)` exports them) as
 * trace rows: JSON Lines of one row each, or a JSON array of rows (a line, or the
 * whole file).  `spend` becomes cost_usd; README.md "Other formats" has the rest.
 */
#include <stdio.h>
#include <string.h>

#include "sim/intern.h"
#include "sim/pricing.h"
#include "sim/status.h"
#include "traces/format.h"

/* A member at a path of object members, "a.b.c". */
static int path_get(const struct json_span *obj, const char *path, struct json_span *out)
{
	char key[64];
	struct json_span cur = *obj;
	for (const char *s = path; *s;) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		memcpy(key, s, n);
		key[n] = 0;
		if (!format_get(&cur, key, &cur))
			return 0;
		s += n + (dot != NULL);
	}
	*out = cur;
	return 1;
}

/* The task named by a request tag "task:X" or "taskName:X" (LiteLLM's tag-based spend tracking). */
static int task_tag(struct format_parser *p, const struct json_span *row, struct str *out)
{
	struct json_span tags, t;
	struct json_iter it;
	static const char *const prefixes[] = { "task:", "taskName:" };
	if (!format_get(row, "request_tags", &tags) || tags.type != JSON_ARRAY)
		return 0;
	json_iter_init(&it, &tags);
	while (json_iter_next(&it, NULL, &t)) {
		if (t.type != JSON_STRING)
			continue;
		struct str s = format_str(p, &t);
		for (size_t i = 0; i < 2; i++) {
			size_t n = strlen(prefixes[i]);
			if (s.n > n && memcmp(s.s, prefixes[i], n) == 0) {
				*out = (struct str){ s.s + n, s.n - n };
				return 1;
			}
		}
	}
	return 0;
}

static int row_status(const struct json_span *row)
{
	struct json_span st, md, info, v;
	int has_md = format_get(row, "metadata", &md);
	if (!format_get(row, "status", &st) && !(has_md && format_get(&md, "status", &st)))
		return STATUS_OK;
	if (!format_is(&st, "failure"))
		return STATUS_OK;
	if (!has_md || !format_get(&md, "error_information", &info))
		return STATUS_SERVER_ERROR;
	int s = -1;
	if (format_get(&info, "error_class", &v) && v.type == JSON_STRING && v.len > 2)
		s = format_status_of(v.start + 1, v.len - 2);
	if ((s < 0 || s == STATUS_SERVER_ERROR) && format_get(&info, "error_code", &v) && v.type == JSON_STRING &&
	    v.len > 2)
		s = format_status_of(v.start + 1, v.len - 2);
	if ((s < 0 || s == STATUS_SERVER_ERROR) && format_get(&info, "error_code", &v) && v.type == JSON_NUMBER)
		s = format_status_of(v.start, v.len);
	return s < 0 ? STATUS_SERVER_ERROR : s;
}

static int either(const struct json_span *row, const char *a, const char *b, struct json_span *v, const char **name)
{
	*name = a;
	if (format_get(row, a, v))
		return 1;
	*name = b;
	return format_get(row, b, v);
}

/* A token count of the row; a failed call's absent count is 0 (LiteLLM logs no usage for it). */
static int count_of(const struct json_span *row, const char *key, int status, int64_t *out, struct err *e)
{
	struct json_span v;
	if (format_get(row, key, &v))
		return format_count(&v, key, out, e);
	if (status == STATUS_OK)
		return err_set(e, "%s: missing", key);
	*out = 0;
	return 0;
}

/* The request's text, each piece on a line of its own: `messages` (stored when the proxy
 * stores prompts: store_prompts_in_spend_logs), else the request body `proxy_server_request`
 * (where newer proxies store it, `messages` left `{}`), else the same under `metadata`, as some
 * proxies kept it, each perhaps the text of its JSON (format_column).  Absent when none holds
 * text. */
static struct str row_input(struct format_parser *p, const struct json_span *row, const struct json_span *md)
{
	struct json_span v, c;
	const struct json_span *from[] = { row, row, md };
	static const char *const keys[] = { "messages", "proxy_server_request", "proxy_server_request" };
	for (size_t i = 0; i < 3; i++) {
		if (!from[i] || !format_get(from[i], keys[i], &v))
			continue;
		c = format_column(p, &v);
		char *out = p->scratch + p->used;
		size_t n = 0;
		if (i == 0)
			format_messages_text(&c, out, &n);
		else if (c.type == JSON_OBJECT)
			n = format_request_text(&c, out);
		if (n) {
			p->used += n;
			return (struct str){ out, n };
		}
	}
	return (struct str){ NULL, 0 };
}

/* One spend-log row: 0 with *r, -1 rejected (e says why). */
static int row_rec(struct format_parser *p, const struct json_span *row, struct jsonl_rec *r, struct err *e)
{
	struct json_span v, end, md;
	const char *name;
	if (row->type != JSON_OBJECT)
		return err_set(e, "expected a spend-log row (an object)");
	format_rec_init(r);
	if (!either(row, "startTime", "start_time", &v, &name))
		return err_set(e, "startTime: missing");
	if (format_time(&v, name, &r->ts_us, e) < 0)
		return -1;
	if (format_get(row, "request_duration_ms", &v)) {
		int64_t ms;
		if (format_count(&v, "request_duration_ms", &ms, e) < 0)
			return -1;
		r->latency_us = ms * 1000;
	} else if (either(row, "endTime", "end_time", &end, &name)) {
		int64_t end_us;
		if (format_time(&end, name, &end_us, e) < 0 || format_latency(r->ts_us, end_us, name, &r->latency_us, e) < 0)
			return -1;
	}
	r->status = row_status(row);
	if (count_of(row, "prompt_tokens", r->status, &r->input_tok, e) < 0 ||
	    count_of(row, "completion_tokens", r->status, &r->output_tok, e) < 0)
		return -1;
	int has_md = format_get(row, "metadata", &md) && md.type == JSON_OBJECT;
	if (has_md && (path_get(&md, "usage_object.prompt_tokens_details.cached_tokens", &v) ||
	               path_get(&md, "additional_usage_values.prompt_tokens_details.cached_tokens", &v)) &&
	    format_count(&v, "metadata.usage_object.prompt_tokens_details.cached_tokens", &r->cached_tok, e) < 0)
		return -1;
	if (format_get(row, "spend", &v) && format_cost(&v, "spend", r, e) < 0)
		return -1;
	if (!format_text(p, row, "model", &r->model))
		format_text(p, row, "model_group", &r->model);
	size_t alias = pricing_undated(r->model.s, r->model.n); /* a dated snapshot name: its full name kept below */
	int dated = alias != r->model.n;
	r->model.n = alias;
	struct json_span slm;
	int has_slm = has_md && format_get(&md, "spend_logs_metadata", &slm);
	if (!(has_slm && format_text(p, &slm, "tenant", &r->tenant)) && !format_text(p, row, "end_user", &r->tenant) &&
	    !format_text(p, row, "team_id", &r->tenant))
		r->tenant = (struct str){ "unknown", 7 };
	if (!(has_slm && format_text(p, &slm, "task", &r->task)) && !task_tag(p, row, &r->task))
		r->task = (struct str){ "unknown", 7 };
	r->input = row_input(p, row, has_md ? &md : NULL);
	format_text(p, row, "request_id", &r->request_id);
	format_text(p, row, "session_id", &r->session);
	format_text(p, row, "user", &r->user);
	static const char *const kept[] = { "model", "call_type", "model_group", "cache_hit", "api_base" };
	format_extra(p, row, kept, !dated, sizeof kept / sizeof kept[0], r);
	if (format_check(r, e) < 0)
		return -1;
	/* answered by LiteLLM's response cache: "True" as the table's text column holds it */
	p->cache_hits += format_get(row, "cache_hit", &v) &&
	                 (v.type == JSON_TRUE || format_is(&v, "True") || format_is(&v, "true"));
	return 0;
}

static int row_sniff(const struct json_span *v)
{
	struct json_span x;
	return format_get(v, "request_id", &x) &&
	       (format_get(v, "spend", &x) || format_get(v, "startTime", &x) || format_get(v, "call_type", &x));
}

static int litellm_sniff(const struct json_span *v)
{
	struct json_iter it;
	struct json_span first;
	if (v->type != JSON_ARRAY)
		return row_sniff(v);
	json_iter_init(&it, v);
	return json_iter_next(&it, NULL, &first) && row_sniff(&first);
}

/* A row read: its request_id counted among the trace's (a repeat: an export that overlapped
 * another?), then to the sink.  0, -2 out of memory, FORMAT_STOPPED. */
static int add_row(struct format_parser *p, const struct jsonl_rec *r, uint64_t line, const struct format_sink *k)
{
	if (r->request_id.s && format_seen(p, intern_hash(r->request_id.s, r->request_id.n), line) < 0)
		return -2;
	p->failed += r->status != STATUS_OK;
	return k->row(k->ctx, line, r) ? FORMAT_STOPPED : 0;
}

static int one(struct format_parser *p, const struct json_span *row, uint64_t line, const char *where,
               const struct format_sink *k)
{
	struct jsonl_rec r;
	struct err why;
	if (format_reserve(p, 3 * row->len + 128) < 0)
		return -2;
	if (row_rec(p, row, &r, &why) == 0)
		return add_row(p, &r, line, k);
	if (where)
		err_prefix(&why, "%s: ", where);
	return k->reject(k->ctx, line, row->start, row->len, why.msg) ? FORMAT_STOPPED : 0;
}

static int litellm_parse(struct format_parser *p, const char *text, size_t len, uint64_t line,
                         const struct format_sink *k, struct err *e)
{
	struct json_span doc, row;
	struct json_iter it;
	char where[32];
	if (format_validate(text, len, &doc, e) < 0)
		return -1;
	if (doc.type == JSON_OBJECT) {
		struct jsonl_rec r;
		if (format_reserve(p, 3 * len + 128) < 0)
			return -2;
		if (row_rec(p, &doc, &r, e) < 0)
			return -1;
		return add_row(p, &r, line, k);
	}
	if (doc.type != JSON_ARRAY)
		return err_set(e, "expected a spend-log row (an object) or an array of them");
	format_lines_from(p, text, line);
	json_iter_init(&it, &doc);
	for (size_t i = 0; json_iter_next(&it, NULL, &row); i++) {
		if (format_stopping(p))
			return FORMAT_STOPPED;
		snprintf(where, sizeof where, "[%zu]", i);
		int rc = one(p, &row, format_line_of(p, row.start, line), where, k);
		if (rc < 0)
			return rc;
	}
	return 0;
}

const struct import_format format_litellm = {
	.name = "litellm", .title = "LiteLLM spend logs", .sniff = litellm_sniff, .parse = litellm_parse,
	.documents = 1, .record = "row", .key = "request_id", .calls = "LiteLLM's rows are calls",
	.cache_by = "LiteLLM's response cache (cache_hit true)", .cache_billed_one = "though LiteLLM billed it $0",
	.cache_billed_many = "though LiteLLM billed them $0",
};
