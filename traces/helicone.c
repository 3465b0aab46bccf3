/*
 * Helicone request exports (HeliconeRequest records, as `@helicone/export --format
 * jsonl` writes them, one a line; a JSON array of them; the query API's page
 * {"data": [...]}; or the exporter's `--format csv`, a header of column names then
 * a record a row) as trace rows.  Each record is one call.  README.md "Other
 * formats" has the mapping.
 */
#include <stdio.h>
#include <string.h>

#include "sim/pricing.h"
#include "sim/status.h"
#include "traces/format.h"

#define MAX_TOKENS 4294967295LL

/* The status of response_status: 2xx ok, another HTTP status by its class (format_status_of), and
 * what Helicone records for a call without an HTTP answer (0, or negative: pending, cancelled,
 * timed out at the proxy) server_error.  -1 when v is no integer (nor a string of one, as
 * ClickHouse's JSON and the CSV export write it). */
static int http_status(const struct json_span *given, struct err *e)
{
	char got[48], code[8];
	int64_t n;
	struct err why;
	struct json_span num = format_unquoted(given);
	const struct json_span *v = &num;
	if (v->type == JSON_NUMBER && v->len < 24 && v->start[0] == '-') { /* format_count takes no sign */
		struct json_span pos = { JSON_NUMBER, v->start + 1, v->len - 1 };
		if (format_count(&pos, "response_status", &n, &why) == 0)
			return STATUS_SERVER_ERROR;
	} else if (v->type == JSON_NUMBER && format_count(v, "response_status", &n, &why) == 0) {
		if (n >= 200 && n < 300)
			return STATUS_OK;
		if (n < 100 || n > 999)
			return STATUS_SERVER_ERROR;
		snprintf(code, sizeof code, "%d", (int)n);
		return format_status_of(code, 3);
	}
	return err_set(e, "response_status: expected an HTTP status code (an integer), got %s",
	               format_shown(given, got, sizeof got));
}

/* A token count: 0 with *out (absent or null: 0, and *given 0), -1 rejected. */
static int count(const struct json_span *row, const char *key, int64_t *out, int *given, struct err *e)
{
	struct json_span v;
	*out = 0;
	*given = format_get(row, key, &v);
	return *given ? format_count(&v, key, out, e) : 0;
}

/* The request's custom properties (Helicone-Property-X headers): request_properties, else
 * properties, an object (or the text of one). */
static int properties(struct format_parser *p, const struct json_span *row, struct json_span *out)
{
	struct json_span v;
	if (!format_get(row, "request_properties", &v) && !format_get(row, "properties", &v))
		return 0;
	*out = format_column(p, &v);
	return out->type == JSON_OBJECT;
}

/* Property `name` as Helicone keeps it ("Tenant" from Helicone-Property-Tenant), any case, or
 * the header's full name. */
static int property(struct format_parser *p, const struct json_span *props, const char *name, struct str *out)
{
	char full[64];
	snprintf(full, sizeof full, "helicone-property-%s", name);
	return format_text_nocase(p, props, name, out) || format_text_nocase(p, props, full, out);
}

/* 1 when Helicone's cache answered the record: a cache_reference_id other than the zero UUID
 * (what Helicone writes for a call that went to the provider). */
static int cache_hit(const struct json_span *row)
{
	struct json_span v;
	if (!format_get(row, "cache_reference_id", &v) || v.type != JSON_STRING)
		return 0;
	for (size_t i = 1; i + 1 < v.len; i++)
		if (v.start[i] != '0' && v.start[i] != '-')
			return 1;
	return 0;
}

/* One record: 0 with *r, -1 rejected (e says why). */
static int row_rec(struct format_parser *p, const struct json_span *row, struct jsonl_rec *r, struct err *e)
{
	struct json_span v, end, props, body;
	format_rec_init(r);
	if (!format_get(row, "request_created_at", &v))
		return err_set(e, "request_created_at: missing");
	if (format_time(&v, "request_created_at", &r->ts_us, e) < 0)
		return -1;
	if (format_get(row, "delay_ms", &v) || format_get(row, "latency", &v)) { /* latency: the CSV's */
		int64_t ms;
		if (format_count(&v, format_get(row, "delay_ms", &end) ? "delay_ms" : "latency", &ms, e) < 0)
			return -1;
		r->latency_us = ms * 1000;
	} else if (format_get(row, "response_created_at", &end)) {
		int64_t end_us;
		if (format_time(&end, "response_created_at", &end_us, e) < 0 ||
		    format_latency(r->ts_us, end_us, "response_created_at", &r->latency_us, e) < 0)
			return -1;
	}
	r->status = STATUS_OK;
	if (format_get(row, "response_status", &v) && (r->status = http_status(&v, e)) < 0)
		return -1;
	/* Helicone's prompt_tokens are the fresh ones: its cost (costOfPrompt) prices the cache's
	 * reads and writes apart, so input is their sum and cached the reads */
	int64_t prompt, out, reads, writes;
	int has_prompt, has_out, has_reads, has_writes;
	if (count(row, "prompt_tokens", &prompt, &has_prompt, e) < 0 ||
	    count(row, "completion_tokens", &out, &has_out, e) < 0 ||
	    count(row, "prompt_cache_read_tokens", &reads, &has_reads, e) < 0 ||
	    count(row, "prompt_cache_write_tokens", &writes, &has_writes, e) < 0)
		return -1;
	if (r->status == STATUS_OK && !has_prompt)
		return err_set(e, "prompt_tokens: missing");
	if (r->status == STATUS_OK && !has_out)
		return err_set(e, "completion_tokens: missing");
	if (prompt + reads + writes > MAX_TOKENS)
		return err_set(e, "prompt_tokens: with prompt_cache_read_tokens and prompt_cache_write_tokens, more "
		               "than 4294967295");
	r->input_tok = prompt + reads + writes;
	r->output_tok = out;
	if (has_reads)
		r->cached_tok = reads;
	static const char *const costs[] = { "cost", "costUSD", "cost_usd" }; /* cost_usd: the CSV's */
	for (size_t i = 0; i < 3; i++)
		if (format_get(row, costs[i], &v)) {
			struct json_span num = format_unquoted(&v);
			if (format_cost(&num, costs[i], r, e) < 0)
				return -1;
			break;
		}
	static const char *const models[] = { "model", "request_model", "response_model" };
	const char *model_key = NULL;
	for (size_t i = 0; i < 3 && !model_key; i++)
		if (format_text(p, row, models[i], &r->model))
			model_key = models[i];
	size_t alias = pricing_undated(r->model.s, r->model.n); /* a dated snapshot name: kept below */
	int dated = alias != r->model.n;
	r->model.n = alias;
	int has_props = properties(p, row, &props);
	if (!(has_props && property(p, &props, "tenant", &r->tenant)) &&
	    !format_text(p, row, "request_user_id", &r->tenant))
		r->tenant = (struct str){ "unknown", 7 };
	if (!(has_props && property(p, &props, "task", &r->task)) && !format_text(p, row, "prompt_id", &r->task))
		r->task = (struct str){ "unknown", 7 };
	if (has_props)
		format_text_nocase(p, &props, "helicone-session-id", &r->session);
	if (!format_text(p, row, "request_id", &r->request_id)) /* the CSV export has none */
		format_text(p, row, "response_id", &r->request_id);
	format_text(p, row, "request_user_id", &r->user);
	if (format_get(row, "request_body", &v) && (body = format_column(p, &v)).type == JSON_OBJECT) {
		char *text = p->scratch + p->used;
		size_t n = format_request_text(&body, text);
		p->used += n;
		if (n)
			r->input = (struct str){ text, n };
	}
	/* the dated name as written (model_key "model": its alias is r->model), and what else tells the call */
	static const char *const kept[] = { "model", "provider", "request_model", "response_model", "cache_reference_id" };
	format_extra(p, row, kept, !(dated && strcmp(model_key, "model") == 0), sizeof kept / sizeof kept[0], r);
	if (format_check(r, e) < 0)
		return -1;
	p->cache_hits += cache_hit(row);
	return 0;
}

static int helicone_sniff(const struct json_span *v)
{
	return format_rows_sniff(v, "request_id", "request_created_at");
}

/* The exporter's CSV header (examples/export/typescript: response_id, response_created_at,
 * response_status, request_created_at, …, prompt_tokens, completion_tokens, latency, cost_usd). */
static int helicone_sniff_csv(const char *line, size_t len)
{
	static const char *const all[] = { "request_created_at", NULL };
	static const char *const any[] = { "prompt_tokens", "response_id", NULL };
	return format_csv_sniff(line, len, all, any);
}

static int helicone_parse(struct format_parser *p, const char *text, size_t len, uint64_t line,
                          const struct format_sink *k, struct err *e)
{
	if (p->csv)
		return format_csv_rows(p, text, len, line, k, e, row_rec);
	return format_rows(p, text, len, line, k, e, "a Helicone request record", row_rec, NULL);
}

const struct import_format format_helicone = {
	.name = "helicone", .title = "Helicone requests", .sniff = helicone_sniff, .parse = helicone_parse,
	.documents = 1, .record = "record", .key = "request_id", .calls = "Helicone's records are calls",
	.sniff_csv = helicone_sniff_csv, .csv_title = "Helicone requests (CSV)",
	.cache_by = "Helicone's cache (a cache_reference_id other than zeros)",
	.cache_billed_one = "though the provider was not called for it",
	.cache_billed_many = "though the provider was not called for them",
};
