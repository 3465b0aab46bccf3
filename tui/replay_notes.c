/*
 * The warning that a recorded trace's billed cost (cost_usd) disagrees with its
 * priced cost, and the notes on figures that mean less than they seem (routes
 * on none of the trace's models, a cache that can never hit, a projection from
 * a trace of under an hour): each composed here once, as a line handed to a
 * sink, which `llmcost replay` prints on stderr beside its report (the report,
 * table, CSV or JSON, unchanged) and the console shows on its status line.
 */
#include "tui/replay_notes.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/intern.h"
#include "sim/money.h"
#include "sim/result.h"
#include "sim/replay.h"
#include "sim/trace.h"
#include "traces/pricing.h"
#include "traces/report.h"
#include "traces/scenario.h"
#include "traces/text.h"
#include "tui/cli.h"

static void replay_note_print(void *ctx, size_t scen, const char *text)
{
	(void)ctx;
	(void)scen;
	cli_error("%s", text); /* "llmcost: TEXT", its names shown safely, in one write */
}

const struct replay_note_sink replay_note_stderr = { replay_note_print, NULL };

/* Hands the note of fmt's text to the sink, about scenario scen; none when out of memory. */
static void note_say(const struct replay_note_sink *to, size_t scen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note_say(const struct replay_note_sink *to, size_t scen, const char *fmt, ...)
{
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *text = n < 0 ? NULL : malloc((size_t)n + 1);
	if (text) {
		vsnprintf(text, (size_t)n + 1, fmt, again);
		to->fn(to->ctx, scen, text);
	}
	free(text);
	va_end(again);
	va_end(ap);
}

/* Warns when a recorded scenario's billed cost (Σ cost_usd) differs from its priced cost of
 * the same lines by more than 0.5% (200 × |billed − priced| > priced, exactly: the run says),
 * in one message: first the causes the run counted (lines billed $0 that the prices do not
 * make free, realtime false lines, billed at a batch discount?), then, the last possibility,
 * a stale price table. */
static void check_billed(const struct result_scenario *r, const struct scenario *sc, size_t i,
                         const struct replay_note_sink *to)
{
	if (!r->recorded || !r->has_billed || !r->billed_off)
		return;
	char b[MONEY_FMT_SIZE], p[MONEY_FMT_SIZE], causes[512] = "", n[32];
	size_t used = 0;
	money_format(b, r->totals.billed_usd);
	money_format(p, r->billed_priced_usd);
	if (r->n_billed_zero)
		used += (size_t)snprintf(causes + used, sizeof causes - used, "%s %s billed $0 though %s calls "
		                         "have tokens: answered by a proxy's cache?; ",
		                         report_count_text(r->n_billed_zero, n, sizeof n),
		                         r->n_billed_zero == 1 ? "request was" : "requests were",
		                         r->n_billed_zero == 1 ? "its" : "their");
	if (r->n_billed_batch && used < sizeof causes)
		snprintf(causes + used, sizeof causes - used, "%s %s realtime false: billed at a batch API's "
		         "discount, which the price table does not apply?; ",
		         report_count_text(r->n_billed_batch, n, sizeof n),
		         r->n_billed_batch == 1 ? "request is" : "requests are");
	note_say(to, i, "warning: scenario \"%s\": the billed cost (cost_usd) %s USD differs from the priced "
	         "cost %s USD of the same lines by more than 0.5%%: %s%sis the price table %s%s%s stale?",
	         r->name ? r->name : "", b, p, causes, *causes ? "or " : "",
	         sc->pricing && sc->pricing->path ? sc->pricing->path : "",
	         sc->pricing && sc->pricing->date && *sc->pricing->date ? " dated " : "",
	         sc->pricing && sc->pricing->date ? sc->pricing->date : "");
}

/* A span: "37 µs" under a millisecond (where "0.0 ms" would say none), else as a latency is
 * written, "12.5 ms", "3.20 s". */
static const char *short_span_text(int64_t us, char *buf, size_t n)
{
	if (us < 1000)
		snprintf(buf, n, "%lld %s", (long long)us, text_symbol("\u00b5s", "us"));
	else
		report_latency_text(us, buf, n);
	return buf;
}

/* Warns when scenario i's projected monthly USD is too large to hold (SPEC §5's product past
 * a money sum's 2^127 pico-USD, USD 1.7 × 10^26: a trace of microseconds scaled to a century
 * of days and multiplied), where the report shows it as null (JSON) or "-" (table, CSV), as
 * it does a projection of no span: the factors that made it so. */
static void check_projection(const struct result_scenario *r, size_t i, const struct replay_note_sink *to)
{
	struct derived d;
	result_derive(r, &r->totals, &d);
	if (!d.projected_null || r->span_us <= 0)
		return; /* a projection, or none for want of a span (one arrival): nothing to say */
	const char *times = text_symbol("\u00d7", "x"), *over = text_symbol("\u00f7", "/");
	char days[64], span[64], rate[96] = "", mult[96] = "", f[64];
	report_decimal_text(r->days_ppb, 9, days, sizeof days); /* parts per 10^9 as written: 36600 */
	short_span_text(r->span_us, span, sizeof span);
	if (r->sample_rate_ppb != MONEY_PPB_ONE)
		snprintf(rate, sizeof rate, " %s sample_rate %s", over, report_decimal_text(r->sample_rate_ppb, 9, f, sizeof f));
	if (r->multiplier_ppb != MONEY_PPB_ONE)
		snprintf(mult, sizeof mult, " %s traffic_multiplier %s", times,
		         report_decimal_text(r->multiplier_ppb, 9, f, sizeof f));
	note_say(to, i, "warning: scenario \"%s\": its projected monthly USD is too large to compute, over "
	         "USD 1.7 %s 10^26 (usd_total %s %s days %s a span of %s%s%s): the report gives it as null "
	         "(\"-\" in the table, empty in --csv)", r->name ? r->name : "", times, times, days, over, span,
	         rate, mult);
}

void replay_check_result(const struct result_scenario *r, const struct scenario *sc, size_t i,
                         const struct replay_note_sink *to)
{
	check_billed(r, sc, i, to);
	check_projection(r, i, to);
}

/* Appends name to the list in buf ("a, b"); from the seventh on, only counts it in *more. */
static void note_list_add(char *buf, size_t n, size_t *listed, size_t *more, const char *name)
{
	if (*listed == 6) {
		(*more)++;
		return;
	}
	size_t at = strlen(buf);
	snprintf(buf + at, n - at, "%s%s", at ? ", " : "", name);
	(*listed)++;
}

/* " and N more" after a cut list, else "". */
static const char *note_more(size_t more, char *buf, size_t n)
{
	char c[32];
	if (!more)
		return "";
	snprintf(buf, n, " and %s more", report_count_text(more, c, sizeof c));
	return buf;
}

/*
 * Notes for figures that mean less than they seem, once per scenario: a simulated scenario
 * whose routes name none of the models the trace's calls were recorded on (the bundled v3 routes to gpt-4.1-mini and
 * gpt-4.1: on a gpt-4o-mini trace part of its change is those models' prices); a
 * cache that can never hit, as no request has `input` text or `input_hash` (README "Replay
 * semantics": such a request is not cached); and a trace spanning under an hour, which the
 * projection scales to a month all the same (SPEC §5).
 */
void replay_notes(const struct trace *t, const struct trace_summary *ts, const struct scenario *const *sc,
                  size_t n, const struct replay_note_sink *to)
{
	char traced[1024] = "", more_t[64];
	size_t listed_t = 0, extra_t = 0;
	unsigned char *seen = calloc(t->names.n ? t->names.n : 1, 1); /* model name ids listed */
	if (!seen)
		return; /* out of memory: no notes, the report all the same */
	for (uint32_t k = 0; k < t->n_kinds; k++)
		if (!(t->kind_status[k] & TRACE_KIND_SUMMARY) && !seen[t->kind_model[k]]) {
			seen[t->kind_model[k]] = 1;
			note_list_add(traced, sizeof traced, &listed_t, &extra_t,
			              intern_str(&t->names, t->kind_model[k], NULL));
		}
	free(seen);
	int keyed = t->inputs.n > 0;
	for (uint32_t i = 0; !keyed && t->input_hash && i < t->n_req; i++)
		keyed = trace_input_hash(t, i) != TRACE_NONE;

	for (size_t i = 0; i < n; i++) {
		if (sc[i]->mode != SCENARIO_MODE_SIMULATE)
			continue;
		int on_traced = 0;
		char routes[1024] = "", more_r[64];
		size_t listed_r = 0, extra_r = 0;
		for (size_t r = 0; r < sc[i]->n_routes; r++) {
			int again = 0;
			for (size_t q = 0; q < r && !again; q++)
				again = strcmp(sc[i]->routes[q].model, sc[i]->routes[r].model) == 0;
			for (uint32_t k = 0; k < t->n_kinds && !on_traced && !again; k++)
				on_traced = !(t->kind_status[k] & TRACE_KIND_SUMMARY) &&
				            strcmp(intern_str(&t->names, t->kind_model[k], NULL), sc[i]->routes[r].model) == 0;
			if (!again)
				note_list_add(routes, sizeof routes, &listed_r, &extra_r, sc[i]->routes[r].model);
		}
		if (sc[i]->n_routes && *traced && !on_traced)
			note_say(to, i, "note: scenario \"%s\": its routes (%s%s) name none of the trace's models "
			         "(%s%s): part of its change is those models' prices; set \"routes\" to the trace's "
			         "models to see its policies alone", sc[i]->name, routes,
			         note_more(extra_r, more_r, sizeof more_r), traced,
			         note_more(extra_t, more_t, sizeof more_t));
		if (sc[i]->cache.on && !keyed)
			note_say(to, i, "note: scenario \"%s\": its cache can never hit: no request of the trace "
			         "has \"input\" text or an \"input_hash\", and a request with neither is not cached",
			         sc[i]->name);
	}

	int64_t span = ts->last_us - ts->first_us;
	if (n == 0 || span <= 0 || span >= INT64_C(3600) * CLOCK_US_PER_S)
		return; /* no scenario; one arrival: no projection; an hour and more: the user's judgment */
	char len[64];
	if (span < 60 * CLOCK_US_PER_S)
		short_span_text(span, len, sizeof len);
	else { /* minutes to a tenth, rounded half up (110 s: 1.8 min) but never to the hour this
		        * note is under, whole ones bare (20 min) */
		int64_t tenths = (span * 10 + 30 * CLOCK_US_PER_S) / (60 * CLOCK_US_PER_S);
		if (tenths > 599)
			tenths = 599;
		if (tenths % 10)
			snprintf(len, sizeof len, "%d.%d min", (int)(tenths / 10), (int)(tenths % 10));
		else
			snprintf(len, sizeof len, "%d min", (int)(tenths / 10));
	}
	int same = 1; /* one note for scenarios of one month's length */
	for (size_t j = 0; j < n; j++)
		same &= sc[j]->projection.days.ppb == sc[0]->projection.days.ppb;
	for (size_t i = 0; i < (same ? 1 : n); i++) {
		const struct decfrac *d = &sc[i]->projection.days;
		int scale = 0;
		for (int64_t den = d->den; den > 1; den /= 10)
			scale++;
		char days[64], who[300] = "";
		report_decimal_text(d->num, scale, days, sizeof days);
		if (!same)
			snprintf(who, sizeof who, "scenario \"%s\": ", sc[i]->name);
		note_say(to, same ? REPLAY_NOTE_EVERY : i, "note: %sthe trace spans %s: projected monthly USD "
		         "scales it to %s days as if they were all like it", who, len, days);
	}
}
