/*
 * Langfuse observations (as the public API's GET /api/public/observations pages
 * {"data": [...]}, a JSON array of them, or one a line; or nested in their traces,
 * as GET /api/public/traces/{id} returns one) as trace rows: each GENERATION (or
 * EMBEDDING) is one call; other types (SPAN, EVENT, AGENT, TOOL…) are counted as
 * skipped.  README.md "Other formats" has the mapping.
 */
#include <stdio.h>
#include <string.h>

#include "sim/pricing.h"
#include "sim/status.h"
#include "traces/format.h"

#define MAX_TOKENS 4294967295LL

/* 1 when the key's text (as written, quotes included) holds word w. */
static int key_has(const struct json_span *k, const char *w)
{
	size_t n = strlen(w);
	for (size_t i = 0; i + n <= k->len; i++)
		if (memcmp(k->start + i, w, n) == 0)
			return 1;
	return 0;
}

/* The member's name for a message: "usageDetails.KEY", cut to fit buf. */
static const char *member_name(const char *obj, const struct json_span *k, char *buf, size_t n)
{
	snprintf(buf, n, "%s.%.*s", obj, (int)(k->len < 64 ? k->len - 2 : 60), k->start + 1);
	return buf;
}

/*
 * usageDetails summed as Langfuse sums it for its totals: every key that holds "input" into
 * input, every key that holds "output" into output; cached: the input keys that hold "cache"
 * but neither "creat" nor "write" (OpenAI's input_cached_tokens, Anthropic's
 * cache_read_input_tokens; a cache write is billed as input).  1 when some key was read, 0 when
 * none, -1 rejected.
 */
static int usage_details(const struct json_span *u, int64_t *in, int64_t *out, int64_t *cached, struct err *e)
{
	struct json_iter it;
	struct json_span k, v;
	char name[96], got[48];
	int found = 0;
	if (u->type != JSON_OBJECT)
		return err_set(e, "usageDetails: expected an object of usage type to count, got %s",
		               format_shown(u, got, sizeof got));
	*in = *out = *cached = 0;
	json_iter_init(&it, u);
	while (json_iter_next(&it, &k, &v)) {
		int is_in = key_has(&k, "input"), is_out = key_has(&k, "output");
		int64_t n;
		if ((!is_in && !is_out) || v.type == JSON_NULL)
			continue;
		if (format_count(&v, member_name("usageDetails", &k, name, sizeof name), &n, e) < 0)
			return -1;
		found = 1;
		if (is_in)
			*in += n;
		if (is_out)
			*out += n;
		if (is_in && key_has(&k, "cache") && !key_has(&k, "creat") && !key_has(&k, "write"))
			*cached += n;
		if (*in > MAX_TOKENS || *out > MAX_TOKENS)
			return err_set(e, "usageDetails: the %s tokens add up to more than 4294967295",
			               *in > MAX_TOKENS ? "input" : "output");
	}
	return found;
}

/* The tokens: usageDetails, else the deprecated usage {input, output}, else the older
 * promptTokens and completionTokens.  1 found, 0 none, -1 rejected. */
static int tokens(const struct json_span *row, struct jsonl_rec *r, struct err *e)
{
	struct json_span u, v;
	int64_t cached = 0;
	if (format_get(row, "usageDetails", &u)) {
		int rc = usage_details(&u, &r->input_tok, &r->output_tok, &cached, e);
		if (rc < 0)
			return -1;
		if (rc) {
			if (cached > r->input_tok)
				return err_set(e, "usageDetails: more cached input tokens than input tokens");
			if (cached)
				r->cached_tok = cached;
			return 1;
		}
	}
	static const struct { const char *obj, *in, *out, *in_name, *out_name; } forms[] = {
		{ "usage", "input", "output", "usage.input", "usage.output" },
		{ NULL, "promptTokens", "completionTokens", "promptTokens", "completionTokens" },
	};
	for (size_t i = 0; i < 2; i++) {
		const struct json_span *from = row;
		if (forms[i].obj) {
			if (!format_get(row, forms[i].obj, &u) || u.type != JSON_OBJECT)
				continue;
			from = &u;
		}
		int has_in = format_get(from, forms[i].in, &v);
		if (has_in && format_count(&v, forms[i].in_name, &r->input_tok, e) < 0)
			return -1;
		int has_out = format_get(from, forms[i].out, &v);
		if (has_out && format_count(&v, forms[i].out_name, &r->output_tok, e) < 0)
			return -1;
		if (has_in || has_out) {
			r->input_tok = has_in ? r->input_tok : 0;
			r->output_tok = has_out ? r->output_tok : 0;
			return 1;
		}
	}
	return 0;
}

/* The cost: costDetails.total, else the sum of costDetails' parts, else calculatedTotalCost, else
 * totalCost.  0 (perhaps none), -1 rejected. */
static int cost(const struct json_span *row, struct jsonl_rec *r, struct err *e)
{
	struct json_span c, k, v;
	struct json_iter it;
	char name[96], got[48];
	if (format_get(row, "costDetails", &c)) {
		if (c.type != JSON_OBJECT)
			return err_set(e, "costDetails: expected an object of usage type to USD, got %s",
			               format_shown(&c, got, sizeof got));
		if (format_get(&c, "total", &v))
			return format_cost(&v, "costDetails.total", r, e);
		json_iter_init(&it, &c);
		while (json_iter_next(&it, &k, &v))
			if (v.type != JSON_NULL && format_cost_add(&v, member_name("costDetails", &k, name, sizeof name), r, e) < 0)
				return -1;
		if (r->cost_pusd != JSONL_ABSENT)
			return 0;
	}
	static const char *const keys[] = { "calculatedTotalCost", "totalCost" };
	for (size_t i = 0; i < 2; i++)
		if (format_get(row, keys[i], &v))
			return format_cost(&v, keys[i], r, e);
	return 0;
}

/* The observation's input as text: a string, chat messages, or a request body's text. */
static struct str input_text(struct format_parser *p, const struct json_span *row)
{
	struct json_span v, c;
	if (!format_get(row, "input", &v))
		return (struct str){ NULL, 0 };
	c = format_column(p, &v);
	if (c.type == JSON_STRING && c.len > 2)
		return format_str(p, &c);
	char *out = p->scratch + p->used;
	size_t n = 0;
	if (c.type == JSON_ARRAY)
		format_messages_text(&c, out, &n);
	else if (c.type == JSON_OBJECT)
		n = format_request_text(&c, out);
	p->used += n;
	return n ? (struct str){ out, n } : (struct str){ NULL, 0 };
}

/* One observation: 0 with *r, 1 skipped (not a model call), -1 rejected (e says why). */
static int row_rec(struct format_parser *p, const struct json_span *row, struct jsonl_rec *r, struct err *e)
{
	struct json_span v, end, md, tmd;
	char got[48];
	format_rec_init(r);
	if (format_get(row, "type", &v)) {
		if (v.type != JSON_STRING)
			return err_set(e, "type: expected a string (GENERATION, SPAN, EVENT…), got %s",
			               format_shown(&v, got, sizeof got));
		if (!format_is(&v, "GENERATION") && !format_is(&v, "EMBEDDING"))
			return 1;
	}
	if (!format_get(row, "startTime", &v))
		return err_set(e, "startTime: missing");
	if (format_time(&v, "startTime", &r->ts_us, e) < 0)
		return -1;
	if (format_get(row, "endTime", &end)) {
		int64_t end_us;
		if (format_time(&end, "endTime", &end_us, e) < 0 ||
		    format_latency(r->ts_us, end_us, "endTime", &r->latency_us, e) < 0)
			return -1;
	}
	r->status = STATUS_OK;
	if (format_get(row, "level", &v) && format_is(&v, "ERROR")) {
		r->status = STATUS_SERVER_ERROR;
		if (format_get(row, "statusMessage", &v) && v.type == JSON_STRING && v.len > 2)
			r->status = format_status_of(v.start + 1, v.len - 2);
	}
	int found = tokens(row, r, e);
	if (found < 0)
		return -1;
	if (!found && r->status == STATUS_OK)
		return err_set(e, "usageDetails: missing (and no usage, promptTokens or completionTokens)");
	if (!found)
		r->input_tok = r->output_tok = 0; /* a failed call that reports no usage */
	if (cost(row, r, e) < 0)
		return -1;
	format_text(p, row, "model", &r->model);
	size_t alias = pricing_undated(r->model.s, r->model.n); /* a dated snapshot name: kept below */
	int dated = alias != r->model.n;
	r->model.n = alias;
	/* nested in a trace (p->parent): the trace's metadata, userId, name and sessionId where the
	 * observation has none */
	const struct json_span *tr = p->parent;
	int has_md = format_get(row, "metadata", &v) && (md = format_column(p, &v)).type == JSON_OBJECT;
	int has_tmd = tr && format_get(tr, "metadata", &v) && (tmd = format_column(p, &v)).type == JSON_OBJECT;
	if (!(has_md && format_text_nocase(p, &md, "tenant", &r->tenant)) &&
	    !(has_tmd && format_text_nocase(p, &tmd, "tenant", &r->tenant)) &&
	    !format_text(p, row, "userId", &r->tenant) && !format_text(p, tr, "userId", &r->tenant))
		r->tenant = (struct str){ "unknown", 7 };
	if (!(has_md && format_text_nocase(p, &md, "task", &r->task)) &&
	    !(has_tmd && format_text_nocase(p, &tmd, "task", &r->task)) &&
	    !format_text(p, row, "traceName", &r->task) && !format_text(p, tr, "name", &r->task) &&
	    !format_text(p, row, "name", &r->task))
		r->task = (struct str){ "unknown", 7 };
	format_text(p, row, "id", &r->request_id);
	if (!format_text(p, row, "sessionId", &r->session))
		format_text(p, tr, "sessionId", &r->session);
	if (!format_text(p, row, "userId", &r->user))
		format_text(p, tr, "userId", &r->user);
	r->input = input_text(p, row);
	static const char *const kept[] = { "model", "traceId", "name", "type" };
	format_extra(p, row, kept, !dated, sizeof kept / sizeof kept[0], r);
	return format_check(r, e);
}

/* Observations, or traces with theirs nested (GET /api/public/traces/{id}: id, timestamp, name,
 * userId, …, observations). */
static int langfuse_sniff(const struct json_span *v)
{
	return format_rows_sniff(v, "traceId", "startTime") || format_rows_sniff(v, "observations", "timestamp");
}

static int langfuse_parse(struct format_parser *p, const char *text, size_t len, uint64_t line,
                          const struct format_sink *k, struct err *e)
{
	return format_rows(p, text, len, line, k, e, "a Langfuse observation", row_rec, "observations");
}

const struct import_format format_langfuse = {
	.name = "langfuse", .title = "Langfuse observations", .sniff = langfuse_sniff, .parse = langfuse_parse,
	.documents = 1, .record = "observation", .key = "id", .calls = "an observation is a call",
	.skipped_why = "its type is not GENERATION or EMBEDDING",
};
