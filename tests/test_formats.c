/*
 * The import formats of traces/format.h: detection from content, and each
 * parser's rows (fields worked out by hand from the input), rejected parts with
 * their lines and reasons, and the error classes read from the sources' error info.
 */
#include "sim/pricing.h"
#include "sim/status.h"
#include "traces/format.h"
#include "tests/test.h"

/* 2026-01-01T00:00:00Z: python3 -c 'import calendar; print(calendar.timegm((2026,1,1,0,0,0)))'
 * prints 1767225600. */
#define JAN1_US 1767225600000000LL

#define MAX_ROWS 8
struct row {
	uint64_t line;
	int64_t ts_us, in, out, cached, latency_us, cost_pusd;
	int status, realtime;
	char tenant[32], task[32], model[32], request_id[32], extra[160], input[64];
};
static struct row rows[MAX_ROWS];
static struct {
	uint64_t line;
	char reason[200], text[200];
} rejects[MAX_ROWS];
static size_t n_rows, n_rejects;
static struct format_parser parser;
static struct err why;

static void copy(char *dst, size_t cap, struct str s)
{
	snprintf(dst, cap, "%.*s", s.s ? (int)s.n : 6, s.s ? s.s : "(none)");
}

static int on_row(void *ctx, uint64_t line, const struct jsonl_rec *r)
{
	struct row *w = &rows[n_rows++ % MAX_ROWS];
	*w = (struct row){ line, r->ts_us, r->input_tok, r->output_tok, r->cached_tok, r->latency_us,
	                   r->cost_pusd, r->status, r->realtime, "", "", "", "", "", "" };
	copy(w->tenant, sizeof w->tenant, r->tenant);
	copy(w->task, sizeof w->task, r->task);
	copy(w->model, sizeof w->model, r->model);
	copy(w->request_id, sizeof w->request_id, r->request_id);
	copy(w->extra, sizeof w->extra, r->extra);
	copy(w->input, sizeof w->input, r->input);
	return 0;
}

static int on_reject(void *ctx, uint64_t line, const char *text, size_t len, const char *reason)
{
	size_t i = n_rejects++ % MAX_ROWS;
	rejects[i].line = line;
	snprintf(rejects[i].reason, sizeof rejects[i].reason, "%s", reason);
	snprintf(rejects[i].text, sizeof rejects[i].text, "%.*s", (int)len, text);
	return 0;
}

static const struct format_sink sink = { NULL, on_row, on_reject };

static int parse(const struct import_format *f, const char *text, uint64_t line)
{
	n_rows = n_rejects = 0;
	why.msg[0] = 0;
	return f->parse(&parser, text, strlen(text), line, &sink, &why);
}

static const struct import_format *detect(const char *text)
{
	struct json_span v;
	const char *w;
	size_t at;
	if (json_validate(text, strlen(text), &v, &w, &at) < 0)
		return NULL;
	return format_detect(&v);
}

/* ---- OTLP ---- */

#define KV(k, type, v) "{\"key\":\"" k "\",\"value\":{\"" type "\":" v "}}"
#define S(k, v) KV(k, "stringValue", "\"" v "\"")
#define I(k, v) KV(k, "intValue", "\"" #v "\"")
#define OTLP(res, spans) "{\"resourceSpans\":[{\"resource\":{\"attributes\":[" res "]}," \
	"\"scopeSpans\":[{\"scope\":{\"name\":\"x\"},\"spans\":[" spans "]}]}]}"
/* A span starting at 2026-01-01T00:00:00Z + start_s (two digits), lasting 0.25 s. */
#define SPAN(id, start_s, attrs) "{\"traceId\":\"5b8e\",\"spanId\":\"" id "\",\"kind\":3," \
	"\"startTimeUnixNano\":\"17672256" #start_s "000000000\",\"endTimeUnixNano\":\"17672256" #start_s \
	"250000000\",\"attributes\":[" attrs "],\"status\":{}}"
#define CHAT S("gen_ai.operation.name", "chat") "," S("gen_ai.provider.name", "openai") ","

static void otlp_rows(void)
{
	/* one chat span and one HTTP span: the HTTP span is skipped and counted */
	uint64_t skipped = parser.skipped;
	CHECK_INT(parse(&format_otlp, OTLP(S("service.name", "faq_answer") "," S("tenant.id", "acme"),
	                SPAN("a1", 00, CHAT S("gen_ai.request.model", "gpt-4.1-mini") ","
	                     S("gen_ai.response.model", "gpt-4.1-mini-2025-04-14") ","
	                     I("gen_ai.usage.input_tokens", 1290) "," I("gen_ai.usage.cache_read.input_tokens", 1152) ","
	                     I("gen_ai.usage.output_tokens", 9) "," S("gen_ai.response.id", "chatcmpl-1")) ","
	                SPAN("h1", 00, S("http.request.method", "GET"))), 7), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(n_rejects, 0);
	CHECK_INT(parser.skipped - skipped, 1);
	CHECK_INT(rows[0].line, 7);
	CHECK_INT(rows[0].ts_us, JAN1_US);       /* "1767225600000000000" ns */
	CHECK_INT(rows[0].latency_us, 250000);   /* ...600250000000 − ...600000000000 ns = 0.25 s */
	CHECK_INT(rows[0].in, 1290);
	CHECK_INT(rows[0].out, 9);
	CHECK_INT(rows[0].cached, 1152);
	CHECK_INT(rows[0].status, STATUS_OK);
	CHECK_STR(rows[0].model, "gpt-4.1-mini"); /* the request's model, not the dated snapshot */
	CHECK_STR(rows[0].tenant, "acme");        /* tenant.id of the resource */
	CHECK_STR(rows[0].task, "faq_answer");    /* service.name of the resource */
	CHECK_STR(rows[0].request_id, "chatcmpl-1");
	CHECK_STR(rows[0].extra, "{\"traceId\":\"5b8e\",\"spanId\":\"a1\","
	          "\"gen_ai.response.model\":\"gpt-4.1-mini-2025-04-14\"}");
	CHECK_INT(rows[0].realtime, -1);
}

/* The latency is end − start in ns, truncated to µs after the subtraction. */
static void otlp_latency_in_ns(void)
{
	/* ...600.999999999 s to ...601.000000001 s: 2 ns, 0 µs (truncating each time first gives
	 * 601000000 − 600999999 = 1 µs) */
	CHECK_INT(parse(&format_otlp, OTLP("", "{\"startTimeUnixNano\":\"1767225600999999999\","
	                "\"endTimeUnixNano\":\"1767225601000000001\",\"attributes\":[" CHAT
	                I("gen_ai.usage.input_tokens", 1) "," I("gen_ai.usage.output_tokens", 1) "]}"), 1), 0);
	CHECK_INT(rows[0].ts_us, JAN1_US + 999999);
	CHECK_INT(rows[0].latency_us, 0);
	/* ...600.000000500 s to ...600.001000499 s: 999999 ns, 999 µs (each truncated: 1000) */
	CHECK_INT(parse(&format_otlp, OTLP("", "{\"startTimeUnixNano\":\"1767225600000000500\","
	                "\"endTimeUnixNano\":\"1767225600001000499\",\"attributes\":[" CHAT
	                I("gen_ai.usage.input_tokens", 1) "," I("gen_ai.usage.output_tokens", 1) "]}"), 1), 0);
	CHECK_INT(rows[0].latency_us, 999);
	/* an end 1 ns before the start is rejected, though both truncate to the same µs */
	CHECK_INT(parse(&format_otlp, OTLP("", "{\"startTimeUnixNano\":\"1767225600000000501\","
	                "\"endTimeUnixNano\":\"1767225600000000500\",\"attributes\":[" CHAT
	                I("gen_ai.usage.input_tokens", 1) "," I("gen_ai.usage.output_tokens", 1) "]}"), 1), 0);
	CHECK_INT(n_rejects, 1);
	CHECK_HAS(rejects[0].reason, "endTimeUnixNano: ends before it starts");
}

static void otlp_defaults_and_old_names(void)
{
	/* gen_ai.system alone (before v1.37), prompt/completion_tokens (before 1.27), numbers for
	 * int64, instrumentationLibrarySpans, no resource, only a dated response model */
	CHECK_INT(parse(&format_otlp, "{\"resourceSpans\":[{\"instrumentationLibrarySpans\":[{\"spans\":[{"
	                "\"startTimeUnixNano\":1767225600500000000,\"attributes\":["
	                S("gen_ai.system", "openai") "," S("gen_ai.response.model", "gpt-4o-2024-08-06") ","
	                KV("gen_ai.usage.prompt_tokens", "intValue", "1000") ","
	                KV("gen_ai.usage.completion_tokens", "doubleValue", "200") ","
	                S("llmcost.tenant", "beta") "," S("llmcost.task", "report") "]}]}]}]}", 1), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].ts_us, JAN1_US + 500000);
	CHECK_INT(rows[0].latency_us, JSONL_ABSENT); /* no end time */
	CHECK_INT(rows[0].in, 1000);
	CHECK_INT(rows[0].out, 200);
	CHECK_INT(rows[0].cached, JSONL_ABSENT);
	CHECK_STR(rows[0].model, "gpt-4o");          /* gpt-4o-2024-08-06 without its date */
	CHECK_STR(rows[0].tenant, "beta");
	CHECK_STR(rows[0].task, "report");
	/* nothing names tenant or task: "unknown" */
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("a", 00, CHAT I("gen_ai.usage.input_tokens", 1) ","
	                                        I("gen_ai.usage.output_tokens", 2))), 1), 0);
	CHECK_STR(rows[0].tenant, "unknown");
	CHECK_STR(rows[0].task, "unknown");
	CHECK_STR(rows[0].model, "(none)");
	/* OpenLLMetry's cache-read names (Python's gen_ai., Traceloop JS's llm.) when the v1.40 one
	 * is absent; the v1.40 one first when both are there */
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("o", 00, S("gen_ai.system", "OpenAI") ","
	                I("gen_ai.usage.prompt_tokens", 2000) "," I("gen_ai.usage.completion_tokens", 100) ","
	                I("gen_ai.usage.cache_read_input_tokens", 1024))), 1), 0);
	CHECK_INT(rows[0].cached, 1024);
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("j", 00, S("gen_ai.system", "openai") ","
	                I("gen_ai.usage.prompt_tokens", 2000) "," I("gen_ai.usage.completion_tokens", 100) ","
	                I("llm.usage.cache_read_input_tokens", 512))), 1), 0);
	CHECK_INT(rows[0].cached, 512);
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("b", 00, CHAT I("gen_ai.usage.input_tokens", 2000) ","
	                I("gen_ai.usage.output_tokens", 100) "," I("gen_ai.usage.cache_read_input_tokens", 7) ","
	                I("gen_ai.usage.cache_read.input_tokens", 1152))), 1), 0);
	CHECK_INT(rows[0].cached, 1152);
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("x", 00, CHAT I("gen_ai.usage.input_tokens", 2000) ","
	                I("gen_ai.usage.output_tokens", 100) "," I("gen_ai.usage.cache_read_input_tokens", -1))), 1), 0);
	CHECK_INT(n_rejects, 1);
	CHECK_HAS(rejects[0].reason, "gen_ai.usage.cache_read_input_tokens: expected an integer");
}

static void otlp_errors(void)
{
	/* error.type decides the class; a failed span without usage has 0 tokens */
	static const struct { const char *type; int status; } cases[] = {
		{ "APITimeoutError", STATUS_TIMEOUT }, { "RateLimitError", STATUS_RATE_LIMITED },
		{ "429", STATUS_RATE_LIMITED }, { "context_length_exceeded", STATUS_CONTEXT_LENGTH },
		{ "BadRequestError", STATUS_INVALID_REQUEST }, { "InternalServerError", STATUS_SERVER_ERROR },
		{ "_OTHER", STATUS_SERVER_ERROR }, { "503", STATUS_SERVER_ERROR },
	};
	char text[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, OTLP("", SPAN("e", 00, CHAT "{\"key\":\"error.type\",\"value\":"
		         "{\"stringValue\":\"%s\"}}")), cases[i].type);
		CHECK_INT(parse(&format_otlp, text, 1), 0);
		CHECK_INT(n_rows, 1);
		CHECK_INT(rows[0].status, cases[i].status);
		CHECK_INT(rows[0].in, 0);
		CHECK_INT(rows[0].out, 0);
	}
	/* status.code 2 without error.type: the message; a content_filter finish reason */
	CHECK_INT(parse(&format_otlp, OTLP("", "{\"startTimeUnixNano\":\"1\",\"status\":{\"code\":2,\"message\":"
	                "\"Request timed out.\"},\"attributes\":[" S("gen_ai.operation.name", "chat") "]}"), 1), 0);
	CHECK_INT(rows[0].status, STATUS_TIMEOUT);
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("f", 00, CHAT I("gen_ai.usage.input_tokens", 5) ","
	                I("gen_ai.usage.output_tokens", 0) ",{\"key\":\"gen_ai.response.finish_reasons\",\"value\":"
	                "{\"arrayValue\":{\"values\":[{\"stringValue\":\"content_filter\"}]}}}")), 1), 0);
	CHECK_INT(rows[0].status, STATUS_CONTENT_FILTER);
	/* finish reasons that are no list of content_filter: a reason alone, an empty list (OTLP/JSON
	 * leaves out its "values"), a list of "stop": ok */
	static const char *const fine[] = { "{\"stringValue\":\"stop\"}", "{\"arrayValue\":{}}",
	                                    "{\"arrayValue\":{\"values\":[{\"stringValue\":\"stop\"}]}}" };
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		snprintf(text, sizeof text, OTLP("", SPAN("g", 00, CHAT I("gen_ai.usage.input_tokens", 5) ","
		         I("gen_ai.usage.output_tokens", 0) ",{\"key\":\"gen_ai.response.finish_reasons\",\"value\":%s}")),
		         fine[i]);
		CHECK_INT(parse(&format_otlp, text, 1), 0);
		CHECK_INT(n_rows, 1);
		CHECK_INT(rows[0].status, STATUS_OK);
	}
}

static void otlp_rejects(void)
{
	/* a document over several lines: each span's line is where its object starts */
	const char *doc = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[\n"
	                  "{\"startTimeUnixNano\":\"1767225600000000000\",\"attributes\":[" CHAT
	                  I("gen_ai.usage.input_tokens", -3) "," I("gen_ai.usage.output_tokens", 5) "]},\n"
	                  "\n"
	                  "{\"attributes\":[" CHAT I("gen_ai.usage.input_tokens", 3) "]},\n"
	                  "{\"startTimeUnixNano\":\"1767225601000000000\",\"endTimeUnixNano\":\"1767225600000000000\","
	                  "\"attributes\":[" CHAT I("gen_ai.usage.input_tokens", 3) "]},\n"
	                  "{\"startTimeUnixNano\":\"5\",\"attributes\":[" CHAT I("gen_ai.usage.input_tokens", 3) "]},\n"
	                  "7]}]}]}";
	CHECK_INT(parse(&format_otlp, doc, 10), 0);
	CHECK_INT(n_rows, 0);
	CHECK_INT(n_rejects, 5);
	CHECK_INT(rejects[0].line, 11);
	CHECK_STR(rejects[0].reason, "resourceSpans[0].scopeSpans[0].spans[0]: gen_ai.usage.input_tokens: "
	          "expected an integer from 0 to 4294967295, got \"-3\"");
	CHECK_INT(rejects[1].line, 13); /* after a blank line */
	CHECK_STR(rejects[1].reason, "resourceSpans[0].scopeSpans[0].spans[1]: startTimeUnixNano: missing");
	CHECK_STR(rejects[2].reason, "resourceSpans[0].scopeSpans[0].spans[2]: endTimeUnixNano: ends before it starts");
	CHECK_STR(rejects[3].reason, "resourceSpans[0].scopeSpans[0].spans[3]: gen_ai.usage.output_tokens: "
	          "missing (on a span without an error)");
	CHECK_INT(rejects[4].line, 16);
	CHECK_STR(rejects[4].reason, "resourceSpans[0].scopeSpans[0].spans[4]: expected an object");
	CHECK_STR(rejects[4].text, "7");     /* the span as it was */
	/* a span under instrumentationLibrarySpans (older exporters) is named under that key */
	CHECK_INT(parse(&format_otlp, "{\"resourceSpans\":[{\"instrumentationLibrarySpans\":[{\"spans\":["
	                "{\"attributes\":[" CHAT I("gen_ai.usage.input_tokens", 3) "]}]}]}]}", 1), 0);
	CHECK_INT(n_rejects, 1);
	CHECK_STR(rejects[0].reason, "resourceSpans[0].instrumentationLibrarySpans[0].spans[0]: startTimeUnixNano: missing");
	/* the text as a whole */
	CHECK_INT(parse(&format_otlp, "{\"resourceSpans\":{}}", 1), -1);
	CHECK_HAS(why.msg, "resourceSpans: missing, or not an array");
	CHECK_INT(parse(&format_otlp, "{\"resourceSpans\":[", 1), -1);
	CHECK_HAS(why.msg, "not JSON");
}

/* A resource of many attributes and many spans: each span's tenant and task come from the
 * resource's, which are read once for all its spans, not once a span and a key (what made an
 * import of 40,000 resource attributes and 1,333 spans take half a minute). */
static void otlp_resource_read_once(void)
{
	enum { N_ATTRS = 100, N_SPANS = 20 };
	static char doc[32768];
	size_t n = (size_t)snprintf(doc, sizeof doc, "{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
	for (int i = 0; i < N_ATTRS; i++)
		n += (size_t)snprintf(doc + n, sizeof doc - n, "{\"key\":\"a%d\",\"value\":{\"intValue\":\"1\"}},", i);
	n += (size_t)snprintf(doc + n, sizeof doc - n, S("service.name", "faq") "," S("tenant.id", "acme")
	                      "]},\"scopeSpans\":[{\"spans\":[");
	for (int i = 0; i < N_SPANS; i++)
		n += (size_t)snprintf(doc + n, sizeof doc - n, "%s" SPAN("s", 00, CHAT I("gen_ai.usage.input_tokens", 5) ","
		                      I("gen_ai.usage.output_tokens", 5)), i ? "," : "");
	snprintf(doc + n, sizeof doc - n, "]}]}]}");
	CHECK(n + 8 < sizeof doc);
	CHECK_INT(parse(&format_otlp, doc, 1), 0);
	CHECK_INT(n_rows, N_SPANS);
	CHECK_INT(n_rejects, 0);
	CHECK_STR(rows[(N_SPANS - 1) % MAX_ROWS].tenant, "acme");
	CHECK_STR(rows[(N_SPANS - 1) % MAX_ROWS].task, "faq");
}

/* ---- LiteLLM ---- */

#define SPEND(extra) "{\"request_id\":\"chatcmpl-1\",\"call_type\":\"acompletion\",\"spend\":0.000375," \
	"\"prompt_tokens\":1000,\"completion_tokens\":500,\"startTime\":\"2026-01-01T00:00:00.000Z\"," \
	"\"endTime\":\"2026-01-01T00:00:01.500Z\",\"model\":\"gpt-4o-mini\"" extra "}"

static void litellm_rows(void)
{
	CHECK_INT(parse(&format_litellm, SPEND(",\"end_user\":\"acme\",\"team_id\":\"t1\",\"user\":\"u1\","
	                "\"session_id\":\"s9\",\"metadata\":{\"spend_logs_metadata\":{\"task\":\"faq_answer\"},"
	                "\"usage_object\":{\"prompt_tokens_details\":{\"cached_tokens\":256}}},"
	                "\"status\":\"success\""), 4), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].line, 4);
	CHECK_INT(rows[0].ts_us, JAN1_US);
	CHECK_INT(rows[0].latency_us, 1500000); /* endTime − startTime */
	CHECK_INT(rows[0].in, 1000);
	CHECK_INT(rows[0].out, 500);
	CHECK_INT(rows[0].cached, 256);
	CHECK_INT(rows[0].cost_pusd, 375000000LL); /* $0.000375 = 375,000,000 pico-USD */
	CHECK_INT(rows[0].status, STATUS_OK);
	CHECK_STR(rows[0].tenant, "acme");
	CHECK_STR(rows[0].task, "faq_answer");
	CHECK_STR(rows[0].model, "gpt-4o-mini");
	CHECK_STR(rows[0].request_id, "chatcmpl-1");
	CHECK_STR(rows[0].extra, "{\"call_type\":\"acompletion\"}");
	/* team_id when end_user is empty; a taskName: tag; request_duration_ms over the end time;
	 * a time without a zone is UTC */
	CHECK_INT(parse(&format_litellm, "{\"request_id\":\"r2\",\"prompt_tokens\":1,\"completion_tokens\":2,"
	                "\"startTime\":\"2026-01-01T00:00:05\",\"endTime\":\"2026-01-01T00:00:09\","
	                "\"request_duration_ms\":812,\"end_user\":\"\",\"team_id\":\"t1\","
	                "\"request_tags\":[\"env:prod\",\"taskName:classify\"]}", 1), 0);
	CHECK_INT(rows[0].ts_us, JAN1_US + 5000000);
	CHECK_INT(rows[0].latency_us, 812000);
	CHECK_STR(rows[0].tenant, "t1");
	CHECK_STR(rows[0].task, "classify");
	CHECK_INT(rows[0].cost_pusd, JSONL_ABSENT);
	/* nothing: unknown */
	CHECK_INT(parse(&format_litellm, "{\"request_id\":\"r3\",\"prompt_tokens\":1,\"completion_tokens\":2,"
	                "\"start_time\":1767225600}", 1), 0);
	CHECK_STR(rows[0].tenant, "unknown");
	CHECK_STR(rows[0].task, "unknown");
	CHECK_INT(rows[0].ts_us, JAN1_US);
}

/* A row's request text becomes `input`, each piece on a line of its own, as a Batch request's:
 * from `messages` as an array, as the JSON text of one (a string column), as `{}` or empty (no
 * input); else from the request body `proxy_server_request`, an object or its JSON text. */
static void litellm_input(void)
{
	/* a system message, then a user message of two text parts: three pieces */
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":[{\"role\":\"system\",\"content\":\"Be terse.\"},"
	                "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Reset\"},"
	                "{\"type\":\"text\",\"text\":\"my password?\"}]}]"), 1), 0);
	CHECK_INT(n_rows, 1);
	CHECK_STR(rows[0].input, "Be terse.\nReset\nmy password?");
	/* the same as a string column: the JSON text, its quotes escaped */
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":\"[{\\\"role\\\":\\\"user\\\","
	                "\\\"content\\\":\\\"Say \\\\\\\"hi\\\\\\\".\\\"}]\""), 1), 0);
	CHECK_STR(rows[0].input, "Say \"hi\".");
	/* a string that holds no JSON: the text itself */
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":\"Say hi.\""), 1), 0);
	CHECK_STR(rows[0].input, "Say hi.");
	/* `{}` (prompts not stored), as an object or as text, and an empty string: no input */
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":{}"), 1), 0);
	CHECK_STR(rows[0].input, "(none)");
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":\"{}\""), 1), 0);
	CHECK_STR(rows[0].input, "(none)");
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":\"\""), 1), 0);
	CHECK_STR(rows[0].input, "(none)");
	/* newer proxies: `messages` `{}`, the request body in proxy_server_request (its JSON text) */
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":\"{}\",\"proxy_server_request\":\"{\\\"model\\\":"
	                "\\\"gpt-4o-mini\\\",\\\"messages\\\":[{\\\"role\\\":\\\"user\\\",\\\"content\\\":"
	                "\\\"Classify: I love it\\\"}]}\""), 1), 0);
	CHECK_STR(rows[0].input, "Classify: I love it");
	/* ...or under metadata, an object */
	CHECK_INT(parse(&format_litellm, SPEND(",\"metadata\":{\"proxy_server_request\":{\"prompt\":\"Once\"}}"), 1), 0);
	CHECK_STR(rows[0].input, "Once");
	/* messages win over the body */
	CHECK_INT(parse(&format_litellm, SPEND(",\"messages\":[{\"content\":\"A\"}],"
	                "\"proxy_server_request\":{\"messages\":[{\"content\":\"B\"}]}"), 1), 0);
	CHECK_STR(rows[0].input, "A");
	/* none: no input, as before */
	CHECK_INT(parse(&format_litellm, SPEND(""), 1), 0);
	CHECK_STR(rows[0].input, "(none)");
}

/* Rows that repeat a key of the trace (LiteLLM's request_id, OTLP's traceId and spanId) are
 * rows all the same, counted with the line of the first repeat; a new trace forgets the keys. */
static void repeated_keys(void)
{
	format_reset(&parser);
	parser.repeats = parser.repeat_line = 0;
	CHECK_INT(parse(&format_litellm, SPEND(""), 1), 0);
	CHECK_INT(parse(&format_litellm, "[" SPEND("") ",\n" SPEND("") "]", 2), 0); /* lines 2 and 3 */
	CHECK_INT(n_rows, 2);
	CHECK_INT(parser.repeats, 2);
	CHECK_INT(parser.repeat_line, 2);
	/* a row without a request_id repeats nothing */
	CHECK_INT(parse(&format_litellm, "{\"prompt_tokens\":1,\"completion_tokens\":2,\"startTime\":1767225600}", 4), 0);
	CHECK_INT(parse(&format_litellm, "{\"prompt_tokens\":1,\"completion_tokens\":2,\"startTime\":1767225600}", 5), 0);
	CHECK_INT(parser.repeats, 2);
	/* OTLP: the same span twice (traceId 5b8e, spanId s1); another spanId is none */
	parser.repeat_line = 0;
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("s1", 00, CHAT I("gen_ai.usage.input_tokens", 1) ","
	                I("gen_ai.usage.output_tokens", 1)) "," SPAN("s2", 00, CHAT I("gen_ai.usage.input_tokens", 1) ","
	                I("gen_ai.usage.output_tokens", 1))), 7), 0);
	CHECK_INT(n_rows, 2);
	CHECK_INT(parser.repeats, 2);
	CHECK_INT(parse(&format_otlp, OTLP("", SPAN("s1", 00, CHAT I("gen_ai.usage.input_tokens", 1) ","
	                I("gen_ai.usage.output_tokens", 1))), 8), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(parser.repeats, 3);
	CHECK_INT(parser.repeat_line, 8);
	/* a new trace: the same row again is no repeat */
	format_reset(&parser);
	CHECK_INT(parse(&format_litellm, SPEND(""), 1), 0);
	CHECK_INT(parser.repeats, 3);
}

/* Rows answered by LiteLLM's response cache are rows like the others, and counted. */
static void litellm_cache_hits(void)
{
	uint64_t hits = parser.cache_hits;
	/* "True" (the table's text column), true, "False" and none: 2 counted */
	CHECK_INT(parse(&format_litellm, "[" SPEND(",\"cache_hit\":\"True\"") "," SPEND(",\"cache_hit\":true") ","
	                SPEND(",\"cache_hit\":\"False\"") "," SPEND("") "]", 1), 0);
	CHECK_INT(n_rows, 4);
	CHECK_INT(parser.cache_hits - hits, 2);
	/* a rejected row is not counted */
	CHECK_INT(parse(&format_litellm, "{\"request_id\":\"x\",\"spend\":0,\"cache_hit\":\"True\"}", 2), -1);
	CHECK_INT(parser.cache_hits - hits, 2);
}

static void litellm_failures(void)
{
	static const struct { const char *info; int status; } cases[] = {
		{ "{\"error_code\":\"429\",\"error_class\":\"RateLimitError\"}", STATUS_RATE_LIMITED },
		{ "{\"error_code\":\"400\",\"error_class\":\"ContextWindowExceededError\"}", STATUS_CONTEXT_LENGTH },
		{ "{\"error_code\":\"400\",\"error_class\":\"ContentPolicyViolationError\"}", STATUS_CONTENT_FILTER },
		{ "{\"error_code\":\"408\",\"error_class\":\"Timeout\"}", STATUS_TIMEOUT },
		{ "{\"error_code\":\"400\",\"error_class\":\"BadRequestError\"}", STATUS_INVALID_REQUEST },
		{ "{\"error_code\":\"500\",\"error_class\":\"APIError\"}", STATUS_SERVER_ERROR },
		{ "{\"error_code\":\"404\",\"error_class\":\"APIError\"}", STATUS_INVALID_REQUEST },
		{ "{}", STATUS_SERVER_ERROR },
	};
	char text[512];
	uint64_t failed = parser.failed;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "{\"request_id\":\"r\",\"startTime\":\"2026-01-01T00:00:00Z\",\"status\":"
		         "\"failure\",\"metadata\":{\"error_information\":%s}}", cases[i].info);
		CHECK_INT(parse(&format_litellm, text, 1), 0);
		CHECK_INT(n_rows, 1);
		CHECK_INT(rows[0].status, cases[i].status);
		CHECK_INT(rows[0].in, 0); /* a failure without token counts */
	}
	CHECK_INT(parser.failed - failed, 8); /* the 8 cases, each a failed row (the import's note) */
	CHECK_INT(parse(&format_litellm, SPEND(""), 1), 0); /* an ok row is not counted */
	CHECK_INT(parser.failed - failed, 8);
}

static void litellm_arrays_and_rejects(void)
{
	/* /spend/logs answers a JSON array: each row at the line where it starts */
	const char *doc = "[\n" SPEND("") ",\n"
	                  "  {\"request_id\":\"r2\",\"spend\":-1,\"prompt_tokens\":1,\"completion_tokens\":1,"
	                  "\"startTime\":\"2026-01-01T00:00:00Z\"},\n"
	                  "  {\"request_id\":\"r3\",\"prompt_tokens\":1,\"startTime\":\"2026-01-01T00:00:00Z\"},\n"
	                  "  {\"request_id\":\"r4\",\"prompt_tokens\":1,\"completion_tokens\":1,"
	                  "\"startTime\":\"yesterday\"},\n"
	                  "  \"x\"\n]";
	CHECK_INT(parse(&format_litellm, doc, 1), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].line, 2);
	CHECK_INT(n_rejects, 4);
	CHECK_INT(rejects[0].line, 3);
	CHECK_STR(rejects[0].reason, "[1]: spend: expected a non-negative number of USD up to 9223372, got -1");
	CHECK_STR(rejects[1].reason, "[2]: completion_tokens: missing");
	CHECK_INT(rejects[2].line, 5);
	CHECK_HAS(rejects[2].reason, "[3]: startTime: expected an RFC 3339 time");
	CHECK_STR(rejects[3].reason, "[4]: expected a spend-log row (an object)");
	CHECK_INT(parse(&format_litellm, "{\"request_id\":\"r\",\"prompt_tokens\":1,\"completion_tokens\":1}", 1), -1);
	CHECK_STR(why.msg, "startTime: missing");
	CHECK_INT(parse(&format_litellm, "3", 1), -1);
}

/* A stop requested (the import's signal handler sets it) while a document is parsed ends the
 * parse before the next span or row, not at the document's end: here it comes with the first row. */
static volatile sig_atomic_t stop_flag;
static int stop_on_row(void *ctx, uint64_t line, const struct jsonl_rec *r)
{
	stop_flag = 1;
	return on_row(ctx, line, r);
}

static void stop_ends_a_document(void)
{
	static const struct format_sink stopping = { NULL, stop_on_row, on_reject };
	const char *otlp = OTLP("", SPAN("s1", 00, CHAT I("gen_ai.usage.input_tokens", 1) ","
	                                 I("gen_ai.usage.output_tokens", 1)) ","
	                            SPAN("s2", 01, CHAT I("gen_ai.usage.input_tokens", 1) ","
	                                 I("gen_ai.usage.output_tokens", 1)) ","
	                            SPAN("h1", 02, S("http.request.method", "GET")));
#define LITELLM_ROW(id) "{\"request_id\":\"" id "\",\"prompt_tokens\":1,\"completion_tokens\":1," \
	"\"startTime\":\"2026-01-01T00:00:00Z\"}"
	const char *litellm = "[" LITELLM_ROW("st1") "," LITELLM_ROW("st2") ",7]";
	const struct import_format *const fmts[] = { &format_otlp, &format_litellm };
	const char *const docs[] = { otlp, litellm };
	parser.stop = &stop_flag;
	for (int i = 0; i < 2; i++) {
		uint64_t skipped = parser.skipped;
		stop_flag = 0;
		n_rows = n_rejects = 0;
		CHECK_INT(fmts[i]->parse(&parser, docs[i], strlen(docs[i]), 1, &stopping, &why), FORMAT_STOPPED);
		CHECK_INT(n_rows, 1);                     /* the second span or row is not read... */
		CHECK_INT(n_rejects, 0);                  /* ...nor the third */
		CHECK_INT(parser.skipped - skipped, 0);
	}
	/* without a stop, the same documents are read whole */
	for (int i = 0; i < 2; i++) {
		stop_flag = 0;
		CHECK_INT(parse(fmts[i], docs[i], 1), 0);
		CHECK_INT(n_rows, 2);
		CHECK_INT(n_rejects, i);                  /* LiteLLM's 7 is no row */
	}
	parser.stop = NULL;
#undef LITELLM_ROW
}

/* ---- OpenAI Batch ---- */

#define ITEM(n, body) "{\"id\":\"batch_req_" #n "\",\"custom_id\":\"req-" #n "\",\"response\":" \
	"{\"status_code\":200,\"request_id\":\"req_" #n "\",\"body\":" body "},\"error\":null}"
#define RESPONSE "{\"object\":\"response\",\"created_at\":1767225600,\"completed_at\":1767225603," \
	"\"status\":\"completed\",\"model\":\"gpt-4.1-mini-2025-04-14\",\"metadata\":{\"tenant\":\"acme\"," \
	"\"task\":\"classify\"},\"usage\":{\"input_tokens\":2000,\"input_tokens_details\":{\"cached_tokens\":1024}," \
	"\"output_tokens\":50}}"
#define CHATCMPL "{\"object\":\"chat.completion\",\"created\":1767225700,\"model\":\"gpt-4o-mini-2024-07-18\"," \
	"\"choices\":[{\"finish_reason\":\"content_filter\"}],\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":20}}"

static void batch_rows(void)
{
	format_reset(&parser);
	CHECK_INT(parse(&format_openai_batch, ITEM(1, RESPONSE), 1), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].ts_us, JAN1_US);          /* created_at */
	CHECK_INT(rows[0].latency_us, 3000000);     /* completed_at − created_at */
	CHECK_INT(rows[0].in, 2000);
	CHECK_INT(rows[0].out, 50);
	CHECK_INT(rows[0].cached, 1024);
	CHECK_INT(rows[0].status, STATUS_OK);
	CHECK_INT(rows[0].realtime, 0);
	CHECK_STR(rows[0].model, "gpt-4.1-mini");
	CHECK_STR(rows[0].tenant, "acme");
	CHECK_STR(rows[0].task, "classify");
	CHECK_STR(rows[0].request_id, "req-1");
	CHECK_STR(rows[0].extra, "{\"batch_request_id\":\"batch_req_1\",\"x_request_id\":\"req_1\","
	          "\"response_model\":\"gpt-4.1-mini-2025-04-14\"}");
	CHECK_INT(parse(&format_openai_batch, ITEM(2, CHATCMPL), 2), 0);
	CHECK_INT(rows[0].ts_us, JAN1_US + 100 * 1000000LL); /* created 1767225700 */
	CHECK_INT(rows[0].latency_us, JSONL_ABSENT);
	CHECK_INT(rows[0].in, 300);
	CHECK_INT(rows[0].out, 20);
	CHECK_INT(rows[0].status, STATUS_CONTENT_FILTER);
	CHECK_STR(rows[0].tenant, "unknown");
	CHECK_STR(rows[0].task, "unknown");
}

static void batch_failures(void)
{
	format_reset(&parser);
	/* before any item had a time, a failed item has none to take */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"x\",\"response\":null,\"error\":{\"code\":"
	                "\"batch_expired\",\"message\":\"m\"}}", 1), -1);
	CHECK_STR(why.msg, "response.body.created_at: missing, and no item before it had one to take");
	CHECK_INT(parse(&format_openai_batch, ITEM(2, CHATCMPL), 2), 0);
	CHECK_INT(parse(&format_openai_batch, ITEM(1, RESPONSE), 3), 0); /* earlier: the latest stays */
	/* HTTP 429 with an error body: rate_limited, at the latest time so far, on the last model */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"y\",\"response\":{\"status_code\":429,\"body\":"
	                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"tokens\",\"code\":"
	                "\"rate_limit_exceeded\"}}},\"error\":null}", 4), 0);
	CHECK_INT(rows[0].status, STATUS_RATE_LIMITED);
	CHECK_INT(rows[0].ts_us, JAN1_US + 100 * 1000000LL);
	CHECK_STR(rows[0].model, "gpt-4.1-mini");
	CHECK_INT(rows[0].in, 0);
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"z\",\"response\":{\"status_code\":500,\"body\":{}}}", 5), 0);
	CHECK_INT(rows[0].status, STATUS_SERVER_ERROR);
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"z2\",\"response\":{\"status_code\":400,\"body\":"
	                "{\"error\":{\"code\":\"context_length_exceeded\"}}}}", 6), 0);
	CHECK_INT(rows[0].status, STATUS_CONTEXT_LENGTH);
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"z3\",\"error\":{\"code\":\"batch_expired\"}}", 7), 0);
	CHECK_INT(rows[0].status, STATUS_TIMEOUT);
	/* a completed item without usage, and a line that is no item */
	CHECK_INT(parse(&format_openai_batch, ITEM(3, "{\"created_at\":1767225600}"), 8), -1);
	CHECK_STR(why.msg, "response.body.usage.input_tokens: missing");
	CHECK_INT(parse(&format_openai_batch, "{\"id\":\"batch_req_9\"}", 9), -1);
	CHECK_STR(why.msg, "custom_id: missing (not a Batch output line)");
	CHECK_INT(parse(&format_openai_batch, ITEM(3, "{\"created_at\":1767225600,\"usage\":{\"input_tokens\":1}}"), 9), -1);
	CHECK_STR(why.msg, "response.body.usage.output_tokens: missing");
	/* a bad count is named by its path in the line, not by its bare key */
	CHECK_INT(parse(&format_openai_batch, ITEM(3, "{\"created_at\":1767225600,\"usage\":{\"input_tokens\":10,"
	                "\"input_tokens_details\":{\"cached_tokens\":-1},\"output_tokens\":2}}"), 10), -1);
	CHECK_STR(why.msg, "response.body.usage.input_tokens_details.cached_tokens: expected an integer from 0 "
	          "to 4294967295, got -1");
	CHECK_INT(parse(&format_openai_batch, ITEM(3, "{\"created\":1767225600,\"usage\":{\"prompt_tokens\":10,"
	                "\"prompt_tokens_details\":{\"cached_tokens\":\"x\"},\"completion_tokens\":2}}"), 11), -1);
	CHECK_STR(why.msg, "response.body.usage.prompt_tokens_details.cached_tokens: expected an integer from 0 "
	          "to 4294967295, got \"x\"");
	CHECK_INT(parse(&format_openai_batch, ITEM(3, "{\"created\":1767225600,\"usage\":{\"prompt_tokens\":1.5,"
	                "\"completion_tokens\":2}}"), 12), -1);
	CHECK_STR(why.msg, "response.body.usage.prompt_tokens: expected an integer from 0 to 4294967295, got 1.5");
	CHECK_INT(parse(&format_openai_batch, ITEM(3, "{\"created_at\":1767225600,\"usage\":{\"input_tokens\":1,"
	                "\"output_tokens\":-2}}"), 13), -1);
	CHECK_STR(why.msg, "response.body.usage.output_tokens: expected an integer from 0 to 4294967295, got -2");
	/* a new trace forgets the time */
	format_reset(&parser);
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"z\",\"error\":{\"code\":\"x\"}}", 1), -1);
}

/* Embeddings items (/v1/embeddings): no output (0 tokens) and no time (the latest before). */
static void batch_embeddings(void)
{
	static const char emb[] = "{\"id\":\"batch_req_e1\",\"custom_id\":\"emb-0\",\"response\":{\"status_code\":200,"
		"\"request_id\":\"d1\",\"body\":{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
		"\"embedding\":[0.0023064255,-0.009327292]}],\"model\":\"text-embedding-3-small\",\"usage\":"
		"{\"prompt_tokens\":8,\"total_tokens\":8}}},\"error\":null}";
	format_reset(&parser);
	/* first in the trace: no time to take, and the message says how to give one */
	CHECK_INT(parse(&format_openai_batch, emb, 1), -1);
	CHECK_STR(why.msg, "response.body: an embeddings item carries no time, and no item before it had one "
	          "to take; import a file whose items have one (created_at or created) first, in the same trace");
	/* after an item with a time (created 1767225700): that time, 8 input and 0 output tokens */
	CHECK_INT(parse(&format_openai_batch, ITEM(2, CHATCMPL), 2), 0);
	CHECK_INT(parse(&format_openai_batch, emb, 3), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].ts_us, JAN1_US + 100 * 1000000LL);
	CHECK_INT(rows[0].in, 8);
	CHECK_INT(rows[0].out, 0);
	CHECK_INT(rows[0].cached, JSONL_ABSENT);
	CHECK_INT(rows[0].status, STATUS_OK);
	CHECK_STR(rows[0].model, "text-embedding-3-small");
	CHECK_STR(rows[0].request_id, "emb-0");
	/* output missing is allowed for embeddings only; input still required */
	CHECK_INT(parse(&format_openai_batch, ITEM(4, "{\"object\":\"list\",\"usage\":{\"total_tokens\":8}}"), 4), -1);
	CHECK_STR(why.msg, "response.body.usage.input_tokens: missing");
}

static void batch_joins_its_input_file(void)
{
	format_reset(&parser);
	/* a Chat Completions request with a system and a user message in parts, and metadata */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-1\",\"method\":\"POST\",\"url\":"
	                "\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o-mini\",\"metadata\":{\"tenant\":"
	                "\"acme-eu\",\"task\":\"faq_answer\"},\"messages\":[{\"role\":\"system\",\"content\":"
	                "\"Be terse.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
	                "\"Reset my password?\"}]}]}}", 1), 0);
	CHECK_INT(n_rows, 0); /* a request is no row by itself */
	/* a Responses request: instructions, then the input string; user as the tenant */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-2\",\"method\":\"POST\",\"url\":"
	                "\"/v1/responses\",\"body\":{\"model\":\"gpt-4.1-mini\",\"user\":\"beta\","
	                "\"instructions\":\"Classify.\",\"input\":\"I love it\"}}", 2), 0);
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-2\",\"url\":\"/v1/responses\",\"body\":{}}", 3), -1);
	CHECK_STR(why.msg, "custom_id: a request of this id came before in the trace");
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-3\",\"url\":\"/v1/responses\",\"body\":3}", 4), -1);
	CHECK_STR(why.msg, "body: expected the request (an object)");
	/* a Completions request whose prompt is an array of strings: each a piece; token ids none */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-4\",\"method\":\"POST\",\"url\":"
	                "\"/v1/completions\",\"body\":{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":"
	                "[\"Say hi.\",\"Say bye.\",[1,2]]}}", 5), 0);
	CHECK_INT(parse(&format_openai_batch, ITEM(4, CHATCMPL), 6), 0);
	CHECK_STR(rows[0].input, "Say hi.\nSay bye.");
	/* the output items: each takes its request's text, tenant, task and model */
	CHECK_INT(parse(&format_openai_batch, ITEM(2, CHATCMPL), 5), 0);
	CHECK_INT(n_rows, 1);
	CHECK_STR(rows[0].tenant, "beta");
	CHECK_STR(rows[0].task, "unknown");
	CHECK_STR(rows[0].model, "gpt-4.1-mini"); /* the request's, not the response's gpt-4o-mini */
	CHECK_STR(rows[0].input, "Classify.\nI love it");
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-1\",\"response\":{\"status_code\":500,"
	                "\"body\":{}}}", 6), 0);
	CHECK_STR(rows[0].tenant, "acme-eu");
	CHECK_STR(rows[0].task, "faq_answer");
	CHECK_STR(rows[0].model, "gpt-4o-mini");
	CHECK_STR(rows[0].input, "Be terse.\nReset my password?");
	CHECK_INT(rows[0].status, STATUS_SERVER_ERROR);
	/* a second item of an id is rejected, as a second request of one is */
	CHECK_INT(parse(&format_openai_batch, ITEM(1, RESPONSE), 7), -1);
	CHECK_STR(why.msg, "custom_id: an item of this id came before in the trace");
	/* an item whose own metadata names tenant and task keeps them, and takes the text */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-6\",\"method\":\"POST\",\"url\":"
	                "\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o-mini\",\"metadata\":{\"tenant\":"
	                "\"acme-eu\",\"task\":\"faq_answer\"},\"messages\":[{\"role\":\"user\",\"content\":"
	                "\"Reset my password?\"}]}}", 8), 0);
	CHECK_INT(parse(&format_openai_batch, ITEM(6, RESPONSE), 9), 0);
	CHECK_STR(rows[0].tenant, "acme");
	CHECK_STR(rows[0].task, "classify");
	CHECK_STR(rows[0].input, "Reset my password?");
	/* an item with no request has no input; a second of its id is rejected all the same */
	CHECK_INT(parse(&format_openai_batch, ITEM(9, RESPONSE), 10), 0);
	CHECK_STR(rows[0].input, "(none)");
	CHECK_INT(parse(&format_openai_batch, ITEM(9, CHATCMPL), 11), -1);
	CHECK_STR(why.msg, "custom_id: an item of this id came before in the trace");
	/* a request after its item joins nothing, and is no repeat of it: kept, for the note */
	CHECK_INT(parse(&format_openai_batch, "{\"custom_id\":\"req-9\",\"method\":\"POST\",\"url\":"
	                "\"/v1/responses\",\"body\":{\"input\":\"late\"}}", 12), 0);
	CHECK_INT(openai_batch_unjoined(&parser, parser.file_no), 1);
	/* a new trace forgets the requests */
	format_reset(&parser);
	CHECK_INT(parse(&format_openai_batch, ITEM(2, CHATCMPL), 1), 0);
	CHECK_STR(rows[0].input, "(none)");
	CHECK_STR(rows[0].model, "gpt-4o-mini");
}

/* ---- Helicone and Langfuse ---- */

/* Helicone's prompt_tokens are the fresh ones: input adds the cache's reads and writes
 * (30 + 50 + 20 = 100), cached is the reads (50); a negative status (no HTTP answer) is
 * server_error; a 503 too; the property's name is read without case. */
static void helicone_rows(void)
{
	CHECK_INT(parse(&format_helicone,
	                "{\"request_id\":\"r\",\"request_created_at\":\"2026-01-01 00:00:01\",\"response_status\":200,"
	                "\"prompt_tokens\":30,\"prompt_cache_read_tokens\":50,\"prompt_cache_write_tokens\":20,"
	                "\"completion_tokens\":7,\"cost\":1.5e-5,\"model\":\"gpt-4o-2024-08-06\","
	                "\"request_properties\":{\"TENANT\":\"acme\",\"Helicone-Property-Task\":\"faq\"}}", 3), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].ts_us, JAN1_US + 1000000);
	CHECK_INT(rows[0].in, 100);
	CHECK_INT(rows[0].cached, 50);
	CHECK_INT(rows[0].out, 7);
	CHECK_INT(rows[0].cost_pusd, 15000000); /* 1.5e-5 USD = 15,000,000 pUSD */
	CHECK_STR(rows[0].model, "gpt-4o");
	CHECK_STR(rows[0].tenant, "acme");
	CHECK_STR(rows[0].task, "faq");
	CHECK_STR(rows[0].extra, "{\"model\":\"gpt-4o-2024-08-06\"}");
	CHECK_INT(parse(&format_helicone,
	                "[{\"request_id\":\"a\",\"request_created_at\":1767225600,\"response_status\":-3},"
	                "{\"request_id\":\"b\",\"request_created_at\":1767225600,\"response_status\":503},"
	                "{\"request_id\":\"c\",\"request_created_at\":1767225600,\"response_status\":200.5}]", 1), 0);
	CHECK_INT(n_rows, 2);
	CHECK_INT(rows[0].status, STATUS_SERVER_ERROR);
	CHECK_INT(rows[0].in, 0);
	CHECK_STR(rows[0].tenant, "unknown");
	CHECK_INT(rows[1].status, STATUS_SERVER_ERROR);
	CHECK_INT(n_rejects, 1);
	CHECK_STR(rejects[0].reason, "[2]: response_status: expected an HTTP status code (an integer), got 200.5");
	CHECK_INT(parse(&format_helicone, "{\"request_id\":\"r\"}", 9), -1);
	CHECK_STR(why.msg, "request_created_at: missing");
}

/* usageDetails summed as Langfuse does; costDetails without a total summed exactly
 * (0.1 + 0.2 = 0.3 USD, no binary rounding); a SPAN skipped and counted. */
static void langfuse_rows(void)
{
	uint64_t skipped = parser.skipped;
	CHECK_INT(parse(&format_langfuse,
	                "{\"data\":[{\"id\":\"o\",\"traceId\":\"t\",\"type\":\"GENERATION\",\"startTime\":\"2026-01-01T00:00:00Z\","
	                "\"usageDetails\":{\"input\":10,\"cache_read_input_tokens\":4,\"cache_creation_input_tokens\":2,"
	                "\"output\":3,\"output_reasoning\":1,\"total\":20},\"costDetails\":{\"input\":0.1,\"output\":0.2},"
	                "\"metadata\":{\"Task\":\"sum\"},\"userId\":\"u\"},"
	                "{\"id\":\"s\",\"traceId\":\"t\",\"type\":\"SPAN\",\"startTime\":\"2026-01-01T00:00:00Z\"}]}", 1), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].in, 16);    /* 10 + 4 + 2 */
	CHECK_INT(rows[0].cached, 4); /* the read, not the creation */
	CHECK_INT(rows[0].out, 4);    /* 3 + 1 */
	CHECK_INT(rows[0].cost_pusd, 300000000000LL); /* 0.3 USD */
	CHECK_STR(rows[0].tenant, "u");
	CHECK_STR(rows[0].task, "sum");
	CHECK_STR(rows[0].request_id, "o");
	CHECK_INT(parser.skipped - skipped, 1);
	CHECK_INT(parse(&format_langfuse,
	                "{\"traceId\":\"t\",\"startTime\":\"2026-01-01T00:00:00Z\",\"usageDetails\":{\"input\":1}}", 1), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].out, 0);
	CHECK_INT(parse(&format_langfuse, "{\"traceId\":\"t\",\"startTime\":\"2026-01-01T00:00:00Z\"}", 1), -1);
	CHECK_STR(why.msg, "usageDetails: missing (and no usage, promptTokens or completionTokens)");
	CHECK_INT(parse(&format_langfuse,
	                "{\"traceId\":\"t\",\"startTime\":\"2026-01-01T00:00:00Z\",\"usageDetails\":[1]}", 1), -1);
	CHECK_STR(why.msg, "usageDetails: expected an object of usage type to count, got [1]");
}

/* RFC 4180: quoted fields with "" escapes, commas and line breaks inside; an empty last field;
 * each malformed record's reason and the byte it is at (0-based). */
static void csv_records(void)
{
	struct csv_field f[4];
	char out[64];
	const char *w;
	size_t at;
	const char *rec = "a,\"b,\"\"c\"\"\nd\",";
	CHECK_INT(csv_split(rec, strlen(rec), out, f, 4, &w, &at), 3);
	CHECK_INT(f[0].n, 1);
	CHECK(memcmp(f[0].s, "a", 1) == 0);
	CHECK_INT(f[1].n, 7); /* b , " c " \n d: 7 bytes */
	CHECK(memcmp(f[1].s, "b,\"c\"\nd", 7) == 0);
	CHECK_INT(f[2].n, 0);
	CHECK_INT(csv_open("a,\"b", 4, 0), 1);
	CHECK_INT(csv_open("a,\"b\"\"\"", 7, 0), 0);
	/* a quote inside an unquoted field opens nothing: one bad record, not the rest of the file */
	CHECK_INT(csv_open("x,bob\"s", 7, 0), 0);
	CHECK_INT(csv_open("x,bob\"s,\"y", 10, 0), 1);
	/* a line that goes on in quotes: closed by its lone quote, kept open by "" */
	CHECK_INT(csv_open("world\",b", 8, 1), 0);
	CHECK_INT(csv_open("c\"\"d", 4, 1), 1);
	CHECK_INT(csv_open("no quote", 8, 1), 1);
	CHECK_INT(csv_open("end\",\"again", 12, 1), 1);
	CHECK_INT(csv_split("a,\"b", 4, out, f, 4, &w, &at), -1);
	CHECK_STR(w, "a quoted field is never closed");
	CHECK_INT(at, 2);
	CHECK_INT(csv_split("\"a\"x,b", 6, out, f, 4, &w, &at), -1);
	CHECK_STR(w, "text after a field's closing quote");
	CHECK_INT(at, 3);
	CHECK_INT(csv_split("a\"b", 3, out, f, 4, &w, &at), -1);
	CHECK_STR(w, "a quote inside a field not in quotes");
	CHECK_INT(at, 1);
	CHECK_INT(csv_split("a,b,c,d,e", 9, out, f, 4, &w, &at), -1);
}

/* Helicone's CSV export: the header read, columns by name in any order; a cell of JSON whose
 * quotes the exporter doubled once more read as JSON; empty cells absent; numbers as text;
 * latency in ms; cost_usd; a record of the wrong width rejected. */
static void helicone_csv(void)
{
	format_csv_file(&parser, 1);
	CHECK_INT(parse(&format_helicone, "cost_usd,model,request_created_at,prompt_tokens,completion_tokens,latency,"
	                "request_properties,response_id,other", 1), 0);
	CHECK_INT(n_rows, 0);
	CHECK_INT(parse(&format_helicone, "\"0.00021\",\"gpt-4o-mini\",\"2026-01-01 00:00:02\",\"1000\",\"100\","
	                "\"1200\",\"{\"\"\"\"Tenant\"\"\"\":\"\"\"\"acme\"\"\"\"}\",\"c1\",x", 2), 0);
	CHECK_INT(n_rows, 1);
	CHECK_INT(rows[0].ts_us, JAN1_US + 2000000);
	CHECK_INT(rows[0].in, 1000);
	CHECK_INT(rows[0].out, 100);
	CHECK_INT(rows[0].latency_us, 1200000); /* 1200 ms */
	CHECK_INT(rows[0].cost_pusd, 210000000); /* 0.00021 USD = 210,000,000 pUSD */
	CHECK_STR(rows[0].tenant, "acme");
	CHECK_STR(rows[0].request_id, "c1"); /* response_id: the CSV has no request_id */
	CHECK_INT(rows[0].status, STATUS_OK);
	CHECK_INT(parse(&format_helicone, ",,\"2026-01-01 00:00:02\",1,2,,,c2", 5), -1);
	CHECK_STR(why.msg, "expected 9 fields, as the header has, got 8");
	CHECK_INT(parse(&format_helicone, ",,\"2026-01-01 00:00:02\",1,2\",,,c2,", 6), -1);
	/* ,, then the quoted time (1 + 19 + 1 = 21 bytes, 2 to 22), ",1," (23 to 25), 2 at 26, the quote
	 * at 27: column 28 */
	CHECK_STR(why.msg, "not CSV: a quote inside a field not in quotes (column 28)");
	format_csv_file(&parser, 0);
}

/* A Langfuse trace with its observations nested (GET /api/public/traces/{id}): each read with the
 * trace's userId, name, sessionId and metadata where it has none; a list's ids alone rejected. */
static void langfuse_traces(void)
{
	CHECK_INT(parse(&format_langfuse,
	                "{\"id\":\"t\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"name\":\"digest\",\"userId\":\"acme\","
	                "\"observations\":[\n{\"id\":\"o1\",\"traceId\":\"t\",\"type\":\"GENERATION\",\"name\":\"llm\","
	                "\"startTime\":\"2026-01-01T00:00:00Z\",\"usageDetails\":{\"input\":3,\"output\":1}},\n"
	                "{\"id\":\"o2\",\"startTime\":\"2026-01-01T00:00:00Z\",\"metadata\":{\"tenant\":\"beta\"},"
	                "\"usageDetails\":{\"input\":1,\"output\":1}},\n{\"id\":\"o3\",\"startTime\":\"x\"}]}", 1), 0);
	CHECK_INT(n_rows, 2);
	CHECK_INT(rows[0].line, 2);
	CHECK_STR(rows[0].tenant, "acme");
	CHECK_STR(rows[0].task, "digest"); /* the trace's name before the observation's */
	CHECK_STR(rows[1].tenant, "beta");
	CHECK_INT(n_rejects, 1);
	CHECK_INT(rejects[0].line, 4);
	CHECK_STR(rejects[0].reason,
	          "observations[2]: startTime: expected an RFC 3339 time like 2026-03-02T10:00:00Z, got \"x\"");
	CHECK_INT(parse(&format_langfuse,
	                "{\"data\":[{\"id\":\"t\",\"timestamp\":\"2026-01-01T00:00:00Z\","
	                "\"observations\":[\"o1\"]}]}", 1), 0);
	CHECK_INT(n_rows, 0);
	CHECK_INT(n_rejects, 1);
	CHECK_STR(rejects[0].reason, "data[0]: observations: ids alone (as a list of traces gives them), no Langfuse "
	          "observation to read: export each trace whole (GET /api/public/traces/{id})");
}

/* ---- detection and the shared readings ---- */

static void detection(void)
{
	CHECK(detect(OTLP("", "")) == &format_otlp);
	CHECK(detect(SPEND("")) == &format_litellm);
	CHECK(detect("[" SPEND("") "]") == &format_litellm);
	CHECK(detect(ITEM(1, RESPONSE)) == &format_openai_batch);
	CHECK(detect("{\"custom_id\":\"a\",\"error\":{\"code\":\"x\"}}") == &format_openai_batch);
	CHECK(detect("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/responses\",\"body\":{}}") ==
	      &format_openai_batch); /* an input file's line */
	CHECK(detect("{\"ts\":1,\"tenant\":\"a\",\"task\":\"b\",\"output_tokens\":1}") == &format_jsonl);
	CHECK(detect("{\"request_id\":\"r\"}") == &format_jsonl); /* no spend-log column beside it */
	CHECK(detect("{}") == &format_jsonl);
	CHECK(detect("{\"resourceMetrics\":[]}") == NULL); /* OTLP metrics: no requests in them */
	CHECK(detect("[1,2]") == NULL);
	CHECK(detect("{\"request_id\":\"r\",\"request_created_at\":\"x\"}") == &format_helicone);
	CHECK(detect("{\"data\":[{\"request_id\":\"r\",\"request_created_at\":1}]}") == &format_helicone);
	CHECK(detect("{\"traceId\":\"t\",\"startTime\":\"x\"}") == &format_langfuse);
	CHECK(detect("[{\"traceId\":\"t\",\"startTime\":\"x\"}]") == &format_langfuse);
	CHECK(detect("{\"data\":[{\"traceId\":\"t\",\"startTime\":\"x\"}],\"meta\":{}}") == &format_langfuse);
	CHECK(detect("{\"data\":[]}") == &format_jsonl); /* an empty page tells nothing */
	CHECK(detect("{\"id\":\"t\",\"timestamp\":\"x\",\"observations\":[]}") == &format_langfuse); /* a trace */
	CHECK(format_helicone.sniff_csv("response_id,response_created_at,request_created_at,prompt_tokens", 63));
	CHECK(!format_helicone.sniff_csv("request_created_at,model", 24)); /* neither tokens nor response_id */
	CHECK(!format_helicone.sniff_csv("{\"request_created_at\":1,\"prompt_tokens\":2}", 41));
	CHECK(detect("\"x\"") == NULL);
	CHECK(format_by_name("openai-batch") == &format_openai_batch);
	CHECK(format_by_name("auto") == NULL);
	CHECK(format_by_name("OTLP") == NULL);
	CHECK(format_otlp.documents && format_litellm.documents);
	CHECK(!format_jsonl.documents && !format_openai_batch.documents);
}

static size_t undated(const char *m)
{
	return pricing_undated(m, strlen(m));
}

static void shared_readings(void)
{
	CHECK_INT(undated("gpt-4o-mini-2024-07-18"), 11);
	CHECK_INT(undated("gpt-4.1"), 7);
	CHECK_INT(undated("-2024-07-18"), 11);  /* nothing before the date: kept */
	CHECK_INT(undated("gpt-4o-2024-7-18"), 16);
	CHECK_INT(format_status_of("418", 3), STATUS_INVALID_REQUEST);
	CHECK_INT(format_status_of("502", 3), STATUS_SERVER_ERROR);
	CHECK_INT(format_status_of("insufficient_quota", 18), STATUS_INVALID_REQUEST);
	CHECK_INT(format_status_of("Too Many Requests", 17), STATUS_RATE_LIMITED);
	CHECK_INT(format_status_of("", 0), STATUS_SERVER_ERROR);
}

/* The error classes of words run together (exception names), other APIs' codes, and an HTTP
 * status said inside a text, as the OpenAI SDK's APIStatusError says it. */
#define STATUS_OF(t) format_status_of(t, strlen(t))
static void status_forms(void)
{
	CHECK_INT(STATUS_OF("openai.ContentFilterFinishReasonError"), STATUS_CONTENT_FILTER);
	CHECK_INT(STATUS_OF("TooManyRequestsError"), STATUS_RATE_LIMITED);
	CHECK_INT(STATUS_OF("too_many_requests"), STATUS_RATE_LIMITED);
	CHECK_INT(STATUS_OF("RateLimitError"), STATUS_RATE_LIMITED);
	CHECK_INT(STATUS_OF("context-window exceeded"), STATUS_CONTEXT_LENGTH);
	CHECK_INT(STATUS_OF("model not found"), STATUS_INVALID_REQUEST);
	CHECK_INT(STATUS_OF("ThrottlingException"), STATUS_RATE_LIMITED);
	CHECK_INT(STATUS_OF("RESOURCE_EXHAUSTED"), STATUS_RATE_LIMITED);
	CHECK_INT(STATUS_OF("DEADLINE_EXCEEDED"), STATUS_TIMEOUT);
	CHECK_INT(STATUS_OF("Error code: 429 - {'error': {'message': 'slow down'}}"), STATUS_RATE_LIMITED);
	CHECK_INT(STATUS_OF("Error code: 408"), STATUS_TIMEOUT);
	CHECK_INT(STATUS_OF("Error code: 403 - Forbidden"), STATUS_INVALID_REQUEST);
	CHECK_INT(STATUS_OF("upstream status code 503"), STATUS_SERVER_ERROR);
	CHECK_INT(STATUS_OF("HTTP 429"), STATUS_RATE_LIMITED);
	/* a word says more than the status beside it */
	CHECK_INT(STATUS_OF("Error code: 400 - {'code': 'context_length_exceeded'}"), STATUS_CONTEXT_LENGTH);
	CHECK_INT(STATUS_OF("Error code: 429 - {'type': 'insufficient_quota'}"), STATUS_INVALID_REQUEST);
	/* digits that are no status: not after code, status or http, or more than three */
	CHECK_INT(STATUS_OF("worker 429 crashed"), STATUS_SERVER_ERROR);
	CHECK_INT(STATUS_OF("error code: 4290"), STATUS_SERVER_ERROR);
	/* a word from a word's start, not across two: "in validation" is not "invalid", "separate
	 * limit" holds no "rate limit", "runtime output" no "timeout"; a capital starts a word */
	CHECK_INT(STATUS_OF("upstream error in validation service"), STATUS_SERVER_ERROR);
	CHECK_INT(STATUS_OF("Internal error: separate limit reached"), STATUS_SERVER_ERROR);
	CHECK_INT(STATUS_OF("runtime output too large"), STATUS_SERVER_ERROR);
	CHECK_INT(STATUS_OF("httpx.ReadTimeout"), STATUS_TIMEOUT);
	CHECK_INT(STATUS_OF("ETIMEDOUT"), STATUS_TIMEOUT);
	CHECK_INT(STATUS_OF("model_not_found"), STATUS_INVALID_REQUEST);
}

void suite_formats(void)
{
	format_init(&parser);
	RUN(otlp_rows);
	RUN(otlp_latency_in_ns);
	RUN(otlp_defaults_and_old_names);
	RUN(otlp_errors);
	RUN(otlp_rejects);
	RUN(otlp_resource_read_once);
	RUN(litellm_rows);
	RUN(litellm_input);
	RUN(litellm_cache_hits);
	RUN(repeated_keys);
	RUN(litellm_failures);
	RUN(litellm_arrays_and_rejects);
	RUN(stop_ends_a_document);
	RUN(batch_rows);
	RUN(batch_failures);
	RUN(batch_embeddings);
	RUN(batch_joins_its_input_file);
	RUN(helicone_rows);
	RUN(langfuse_rows);
	RUN(csv_records);
	RUN(helicone_csv);
	RUN(langfuse_traces);
	RUN(detection);
	RUN(shared_readings);
	RUN(status_forms);
	format_fini(&parser);
}
