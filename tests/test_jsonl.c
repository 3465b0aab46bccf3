/* The trace v1 line parser: every field, defaults, extras, and every rejection reason. */
#include <math.h>

#include "sim/status.h"
#include "sim/trace.h"
#include "traces/jsonl.h"
#include "tests/test.h"

static struct jsonl_parser parser;
static struct jsonl_rec rec;
static struct err why;

static int parse(const char *line)
{
	why.msg[0] = 0;
	return jsonl_parse(&parser, line, strlen(line), &rec, &why);
}

static int str_is(struct str s, const char *want)
{
	return s.s && s.n == strlen(want) && memcmp(s.s, want, s.n) == 0;
}

#define BASE "\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"acme\",\"task\":\"faq_answer\""

static void minimal_line(void)
{
	CHECK_INT(parse("{" BASE ",\"input_tokens\":100,\"output_tokens\":20}"), 0);
	CHECK_INT(rec.ts_us, 1772445600000000LL);
	CHECK(str_is(rec.tenant, "acme"));
	CHECK(str_is(rec.task, "faq_answer"));
	CHECK_INT(rec.input_tok, 100);
	CHECK_INT(rec.output_tok, 20);
	CHECK_INT(rec.input_estimated, 0);
	CHECK_INT(rec.status, -1);
	CHECK_INT(rec.cached_tok, JSONL_ABSENT);
	CHECK_INT(rec.realtime, -1);
	CHECK_INT(rec.difficulty, DIFFICULTY_NONE);
	CHECK(isnan(rec.quality));
	CHECK_INT(rec.n_att, 0);
	CHECK(rec.extra.s == NULL);
	CHECK(rec.model.s == NULL);
}

static void every_field(void)
{
	CHECK_INT(parse("{\"ts\":1772445600.25,\"tenant\":\"t\\u00e9\",\"task\":\"x\",\"input\":\"Hi\\n\","
	                "\"input_tokens\":1e3,\"output_tokens\":20.0,\"input_hash\":\"ab12\","
	                "\"model\":\"gpt-4.1\",\"status\":\"rate_limited\",\"latency_ms\":812.5,"
	                "\"cached_tokens\":64,\"request_id\":\"r1\",\"session\":\"s1\",\"user\":\"u1\","
	                "\"difficulty\":\"hard\",\"quality\":0.75,\"realtime\":false,\"cost_usd\":0.00123}"), 0);
	CHECK_INT(rec.ts_us, 1772445600250000LL);
	CHECK(str_is(rec.tenant, "t\xc3\xa9"));
	CHECK(str_is(rec.input, "Hi\n"));
	CHECK_INT(rec.input_tok, 1000);
	CHECK_INT(rec.output_tok, 20);
	CHECK(str_is(rec.input_hash, "ab12"));
	CHECK(str_is(rec.model, "gpt-4.1"));
	CHECK_INT(rec.status, STATUS_RATE_LIMITED);
	CHECK_INT(rec.latency_us, 812500);
	CHECK_INT(rec.cached_tok, 64);
	CHECK(str_is(rec.request_id, "r1") && str_is(rec.session, "s1") && str_is(rec.user, "u1"));
	CHECK_INT(rec.difficulty, DIFFICULTY_HARD);
	CHECK(rec.quality == 0.75);
	CHECK_INT(rec.realtime, 0);
	CHECK_INT(rec.cost_pusd, 1230000000LL); /* 0.00123 × 10^12 */
	CHECK_INT(rec.cost_sub, 0);
	/* past the pico-USD: 0.0005628000000004 = 562800000 pico-USD + 0.0004 pico-USD, which is
	 * 4 × 10^14 in 10^-30 USD; 0.0000000000005 = 0.5 pico-USD: 0 (half to even) + 5 × 10^17;
	 * 0.0000000000015 = 1.5: 2 − 5 × 10^17 */
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.0005628000000004}"), 0);
	CHECK_INT(rec.cost_pusd, 562800000LL);
	CHECK_INT(rec.cost_sub, 400000000000000LL);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":5e-13}"), 0);
	CHECK_INT(rec.cost_pusd, 0);
	CHECK_INT(rec.cost_sub, 500000000000000000LL);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":0.0000000000015}"), 0);
	CHECK_INT(rec.cost_pusd, 2);
	CHECK_INT(rec.cost_sub, -500000000000000000LL);
	/* −0.0000000000004 rounds to −0 pico-USD, yet is negative */
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":1,\"cost_usd\":-0.0000000000004}"), -1);
}

static void estimates_input_tokens(void)
{
	/* "How do I reset my password?" is 27 bytes: ceil(27 / 4) = 7 */
	CHECK_INT(parse("{" BASE ",\"input\":\"How do I reset my password?\",\"output_tokens\":5}"), 0);
	CHECK_INT(rec.input_tok, 7);
	CHECK_INT(rec.input_estimated, 1);
	/* "é" is 2 UTF-8 bytes, 8 of them 16 bytes: ceil(16 / 4) = 4; "" gives 0 */
	CHECK_INT(parse("{" BASE ",\"input\":\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\",\"output_tokens\":5}"), 0);
	CHECK_INT(rec.input_tok, 4);
	CHECK_INT(parse("{" BASE ",\"input\":\"\",\"output_tokens\":5}"), 0);
	CHECK_INT(rec.input_tok, 0);
	/* given input_tokens wins over the estimate */
	CHECK_INT(parse("{" BASE ",\"input\":\"abc\",\"input_tokens\":900,\"output_tokens\":5}"), 0);
	CHECK_INT(rec.input_tok, 900);
}

static void keeps_unknown_fields(void)
{
	CHECK_INT(parse("{\"span_id\":\"x\"," BASE ",\"meta\":{\"a\":[1,2,{\"b\":null}]},"
	                "\"input_tokens\":1,\"output_tokens\":2,\"n\":-1.5e3}"), 0);
	CHECK(str_is(rec.extra, "{\"span_id\":\"x\",\"meta\":{\"a\":[1,2,{\"b\":null}]},\"n\":-1.5e3}"));
}

static void attempts(void)
{
	CHECK_INT(parse("{" BASE ",\"input_tokens\":10,\"output_tokens\":2,\"model\":\"small\","
	                "\"attempts\":[{\"status\":\"timeout\",\"latency_ms\":30000,\"ts\":\"2026-03-02T10:00:00Z\"},"
	                "{\"model\":\"small\",\"status\":\"server_error\",\"input_tokens\":11,\"x\":true},"
	                "{\"model\":\"large\",\"output_tokens\":7,\"cached_tokens\":3,\"ts\":1772445601}]}"), 0);
	CHECK_INT(rec.n_att, 3);
	CHECK(str_is(rec.att[0].model, "small")); /* from the top-level model */
	CHECK_INT(rec.att[0].status, STATUS_TIMEOUT);
	CHECK_INT(rec.att[0].latency_us, 30000000);
	CHECK_INT(rec.att[0].ts_us, 1772445600000000LL);
	CHECK_INT(rec.att[0].input_tok, JSONL_ABSENT);
	CHECK_INT(rec.att[1].status, STATUS_SERVER_ERROR);
	CHECK_INT(rec.att[1].input_tok, 11);
	CHECK(str_is(rec.att[1].extra, "{\"x\":true}"));
	CHECK_INT(rec.att[1].ts_us, TRACE_NO_TIME);
	CHECK(str_is(rec.att[2].model, "large"));
	CHECK_INT(rec.att[2].status, STATUS_OK);
	CHECK_INT(rec.att[2].output_tok, 7);
	CHECK_INT(rec.att[2].cached_tok, 3);
	CHECK_INT(rec.att[2].ts_us, 1772445601000000LL);
}

static void nulls_are_absent(void)
{
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":null,\"status\":null,"
	                "\"cached_tokens\":null,\"difficulty\":null}"), 0);
	CHECK(rec.model.s == NULL);
	CHECK_INT(rec.status, -1);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":null}"), -1);
	CHECK_HAS(why.msg, "output_tokens: must not be null");
}

/* The bounds are inclusive: the largest count, both ends of the years 0 to 9999 as epoch
 * seconds, and quality 0 and 1 are accepted. */
static void bounds_accepted(void)
{
	CHECK_INT(parse("{" BASE ",\"input_tokens\":4294967295,\"output_tokens\":4294967295,"
	                "\"cached_tokens\":4294967295}"), 0);
	CHECK_INT(rec.input_tok, 4294967295LL);
	CHECK_INT(rec.output_tok, 4294967295LL);
	CHECK_INT(rec.cached_tok, 4294967295LL);
	/* 9999-12-31T23:59:59.999999Z: date(9999,12,31) − date(1970,1,1) = 2932896 days,
	 * × 86400 + 86399 = 253402300799 s; 0000-01-01: 719528 days before 1970 (year 0 is a
	 * leap year: 366 + date(1970,1,1) − date(1,1,1) = 366 + 719162), × 86400 = 62167219200 s */
	CHECK_INT(parse("{\"ts\":253402300799.999999,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,"
	                "\"output_tokens\":2}"), 0);
	CHECK_INT(rec.ts_us, 253402300799999999LL);
	CHECK_INT(parse("{\"ts\":-62167219200,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,"
	                "\"output_tokens\":2}"), 0);
	CHECK_INT(rec.ts_us, -62167219200000000LL);
	/* one µs further either way is out */
	CHECK_INT(parse("{\"ts\":253402300800,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,"
	                "\"output_tokens\":2}"), -1);
	CHECK_INT(parse("{\"ts\":-62167219200.000001,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,"
	                "\"output_tokens\":2}"), -1);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":0}"), 0);
	CHECK(rec.quality == 0);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":1}"), 0);
	CHECK(rec.quality == 1);
	/* quality is read by its value, whatever the length of its text: 0.5 and 70 zeros is 0.5,
	 * 0. and 70 nines below 1 (its nearest double is 1), -0.0 is 0 (a text of 64 bytes or more
	 * was refused) */
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":0.5"
	                "0000000000000000000000000000000000000000000000000000000000000000000000}"), 0);
	CHECK(rec.quality == 0.5);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":0."
	                "9999999999999999999999999999999999999999999999999999999999999999999999}"), 0);
	CHECK(rec.quality == 1);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":1."
	                "0000000000000000000000000000000000000000000000000000000000000000000000e0}"), 0);
	CHECK(rec.quality == 1);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":-0.0}"), 0);
	CHECK(rec.quality == 0);
	CHECK_INT(parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":25e-2}"), 0);
	CHECK(rec.quality == 0.25);
}

/* In an attempt as at the top level, null is absent: the attempt takes the line's model. */
static void attempt_nulls_are_absent(void)
{
	if (parse("{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\","
	          "\"attempts\":[{\"model\":null,\"status\":null,\"latency_ms\":null,\"ts\":null}]}") != 0) {
		TEST_FAIL_("rejected: %s", why.msg);
		return;
	}
	CHECK(str_is(rec.att[0].model, "m"));
	CHECK_INT(rec.att[0].status, STATUS_OK);
	CHECK_INT(rec.att[0].latency_us, JSONL_ABSENT);
	CHECK_INT(rec.att[0].ts_us, TRACE_NO_TIME);
}

/* Each rejection reason: the line and what the message must say. */
static void rejections(void)
{
	static const struct { const char *line, *msg; } cases[] = {
		{ "not json", "not JSON" },
		{ "{\"ts\":", "not JSON" },
		{ "[1,2]", "not a JSON object" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2} x", "not JSON" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"input\":\"\xff\"}", "UTF-8" },
		{ "{\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "ts: missing" },
		{ "{\"ts\":\"2026-03-02T10:00:00Z\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "tenant: missing" },
		{ "{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"input_tokens\":1,\"output_tokens\":2}", "task: missing" },
		{ "{" BASE ",\"input_tokens\":1}", "output_tokens: missing" },
		{ "{" BASE ",\"output_tokens\":1}", "input_tokens: missing (and no input text" },
		{ "{" BASE ",\"input_tokens\":-5,\"output_tokens\":2}", "input_tokens: expected a non-negative integer, got -5" },
		{ "{" BASE ",\"input_tokens\":1.5,\"output_tokens\":2}", "input_tokens: expected a non-negative integer, got 1.5" },
		{ "{" BASE ",\"input_tokens\":\"12\",\"output_tokens\":2}", "input_tokens: expected a non-negative integer, got \"12\"" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":4294967296}", "output_tokens: expected an integer of at most 4294967295" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"cached_tokens\":-1}", "cached_tokens: expected a non-negative integer" },
		{ "{\"ts\":\"yesterday\",\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "ts: expected an RFC 3339 time" },
		{ "{\"ts\":\"2026-03-02T10:00:00\",\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "ts: time without a zone" },
		{ "{\"ts\":true,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "ts: expected an RFC 3339 string or epoch seconds, got true" },
		{ "{\"ts\":\"2026-02-30T10:00:00Z\",\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "ts: date or time out of range" },
		{ "{\"ts\":1e300,\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "ts: expected epoch seconds from year 0 to 9999" },
		/* a name that is empty: no tenant, task or model to show, price or group by */
		{ "{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "tenant: empty" },
		{ "{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":\"a\",\"task\":\"\",\"input_tokens\":1,\"output_tokens\":2}", "task: empty" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"\"}", "model: empty" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\",\"attempts\":[{\"model\":\"\"}]}", "attempts[0].model: empty" },
		{ "{\"ts\":\"2026-03-02T10:00:00Z\",\"tenant\":5,\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}", "tenant: expected a string, got 5" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"status\":\"oops\"}", "status: expected ok, timeout" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"status\":\"breaker_open\"}", "status: expected ok, timeout" },
		/* a status is compared whole: "ok" followed by U+0000 is no class */
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"status\":\"ok\\u0000\"}", "status: expected ok, timeout" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"difficulty\":\"medium\"}", "difficulty: expected \"easy\" or \"hard\"" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":1.5}", "quality: expected a number from 0 to 1" },
		/* above 1 or below 0 by less than a double tells (both were read as 1 and -0.0) */
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":1.0000000000000000000001}",
		  "quality: expected a number from 0 to 1, got 1.0000000000000000000001" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":-1e-400}",
		  "quality: expected a number from 0 to 1, got -1e-400" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"quality\":1e400}",
		  "quality: expected a number from 0 to 1, got 1e400" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"realtime\":\"no\"}", "realtime: expected true or false" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":-0.5}", "cost_usd: expected a non-negative number" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"latency_ms\":\"fast\"}", "latency_ms: expected a non-negative number" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"attempts\":[]}", "attempts: must not be empty" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"attempts\":{}}", "attempts: expected an array of objects" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"attempts\":[1]}", "attempts[0]: expected an object, got 1" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"attempts\":[{\"status\":\"ok\"}]}", "attempts[0].model: missing" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\",\"attempts\":[{},{\"status\":\"nope\"}]}", "attempts[1].status: expected ok" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\",\"attempts\":[{\"input_tokens\":-1}]}", "attempts[0].input_tokens: expected a non-negative integer" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\",\"attempts\":[{\"ts\":\"x\"}]}", "attempts[0].ts:" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"tenant\":\"b\"}", "tenant: duplicate field" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\",\"attempts\":[{\"status\":\"ok\",\"status\":\"timeout\"}]}",
		  "attempts[0].status: duplicate field" },
		/* too large for any int64: the limit is named, not "non-negative" */
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":100000000000000000000000}",
		  "output_tokens: expected an integer of at most 4294967295, got 100000000000000000000000" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"cost_usd\":9223372.036854775808}",
		  "cost_usd: expected at most 9223372.036854775807, got 9223372.036854775808" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"latency_ms\":1e20}",
		  "latency_ms: expected at most 10^13 ms, got 1e20" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"latency_ms\":-1e20}",
		  "latency_ms: expected a non-negative number, got -1e20" },
		/* a zone or a rounding carries a time past the years 0 to 9999 */
		{ "{\"ts\":\"9999-12-31T23:59:59-01:00\",\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}",
		  "ts: a time from year 0 to 9999 (UTC), got \"9999-12-31T23:59:59-01:00\"" },
		{ "{\"ts\":\"9999-12-31T23:59:59.9999999Z\",\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}",
		  "ts: a time from year 0 to 9999 (UTC)" },
		{ "{\"ts\":\"0000-01-01T00:00:00+00:01\",\"tenant\":\"a\",\"task\":\"b\",\"input_tokens\":1,\"output_tokens\":2}",
		  "ts: a time from year 0 to 9999 (UTC)" },
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"model\":\"m\",\"attempts\":[{\"ts\":\"9999-12-31T23:59:59-01:00\"}]}",
		  "attempts[0].ts: a time from year 0 to 9999 (UTC)" },
		/* a long value is cut at a character's start: its first 43 bytes, "[\"" and 20½ "é"
		 * (2 bytes each), would end in half a character; 42 end after the 20th */
		{ "{" BASE ",\"input_tokens\":1,\"output_tokens\":2,\"status\":[\"éééééééééééééééééééééééééé\"]}",
		  "status: expected a string, got [\"éééééééééééééééééééé…" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (parse(cases[i].line) != -1) {
			TEST_FAIL_("accepted: %s", cases[i].line);
			continue;
		}
		if (!strstr(why.msg, cases[i].msg))
			TEST_FAIL_("line %zu: \"%s\" does not contain \"%s\"", i, why.msg, cases[i].msg);
	}
}

/* A time's JSON escapes are decoded before it is read, as every string's are. */
static void escaped_time(void)
{
	CHECK_INT(parse("{\"ts\":\"2026-03-02T10:00:00\\u005a\",\"tenant\":\"a\",\"task\":\"b\","
	                "\"input_tokens\":1,\"output_tokens\":2}"), 0);
	CHECK_INT(rec.ts_us, 1772445600000000LL);
	CHECK_INT(parse("{\"ts\":\"\\u0032026-03-02T10:00:00.5Z\",\"tenant\":\"a\",\"task\":\"b\","
	                "\"input_tokens\":1,\"output_tokens\":2}"), 0);
	CHECK_INT(rec.ts_us, 1772445600500000LL);
}

static void blank_lines(void)
{
	CHECK(jsonl_is_blank("", 0));
	CHECK(jsonl_is_blank(" \t\r ", 4));
	CHECK(jsonl_is_blank("\v\f", 2)); /* whitespace-only: C white space, \\v and \\f too */
	CHECK(!jsonl_is_blank(" {} ", 4));
}

void suite_jsonl(void)
{
	jsonl_init(&parser);
	RUN(minimal_line);
	RUN(every_field);
	RUN(estimates_input_tokens);
	RUN(keeps_unknown_fields);
	RUN(attempts);
	RUN(nulls_are_absent);
	RUN(bounds_accepted);
	RUN(attempt_nulls_are_absent);
	RUN(rejections);
	RUN(escaped_time);
	RUN(blank_lines);
	jsonl_fini(&parser);
}
