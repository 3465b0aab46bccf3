/*
 * Trace lines and scenario text, as string literals, for the replay tests that
 * read like hand-worked examples (test_replay_calls.c, _faults.c, _policies.c):
 * requests on 2026-03-02, recorded attempts, the scenario prefix with the three
 * routes over fixtures/tests/pricing.json, and the units their checks use.
 */
#ifndef TESTS_UTIL_LINES_H
#define TESTS_UTIL_LINES_H

/* 2026-03-02T10:00:00Z in µs: python3 -c 'import calendar;
 * print(calendar.timegm((2026,3,2,10,0,0)))' prints 1772445600. */
#define T0_US 1772445600000000LL
#define SEC 1000000LL
#define MS 1000LL
#define PUSD 1000000LL /* pico-USD per µUSD */

/* A scenario's opening, without its closing brace. */
#define SCN "{\"pricing\": \"pricing.json\", " \
	"\"routes\": {\"small\": \"small-m\", \"large\": \"large-m\", \"other\": \"other-m\"}"
#define RECORDED "{\"name\": \"recorded\", \"mode\": \"recorded\", \"pricing\": \"pricing.json\"}"

/* One trace line at 2026-03-02T<hms>Z ("10:00:10", "10:00:10.5") with in / out tokens (numbers);
 * REQ has 1000 input and 100 output tokens. */
#define REQN(hms, tenant, task, in, out, extra) "{\"ts\":\"2026-03-02T" hms "Z\",\"tenant\":\"" tenant \
	"\",\"task\":\"" task "\",\"input_tokens\":" #in ",\"output_tokens\":" #out extra "}\n"
#define REQ(hms, tenant, task, extra) REQN(hms, tenant, task, 1000, 100, extra)
#define INPUT(x) ",\"input\":\"" x "\""
#define ATT(model, status, extra) "{\"model\":\"" model "\",\"status\":\"" status "\"" extra "}"
#define ATTS(list) ",\"attempts\":[" list "]"
#define LAT(ms) ",\"latency_ms\":" #ms
/* A recorded single attempt on small-m: ok / server_error, 10 ms. */
#define OK_SMALL ",\"model\":\"small-m\",\"status\":\"ok\",\"latency_ms\":10"
#define SE_SMALL ",\"model\":\"small-m\",\"status\":\"server_error\",\"latency_ms\":10"

/* One faults.inject window over the hour 10:00–11:00 (an entry of the "inject" array). */
#define INJ(model, status, rate) "{\"model\": \"" model "\", \"from\": \"2026-03-02T10:00:00Z\", " \
	"\"to\": \"2026-03-02T11:00:00Z\", \"status\": \"" status "\", \"rate\": " #rate "}"

#endif
