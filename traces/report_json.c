/*
 * The --json rendering of a replay's result snapshot (traces/report.h): the
 * trace, then each scenario's totals, groups, timeline and alerts, written as
 * it is walked.  The metrics objects come from the field table of report.c,
 * each value in its machine text (report_machine_text).
 */
#include "traces/report_internal.h"

#include <inttypes.h>

#include "sim/clock.h"
#include "traces/text.h"

/*
 * The JSON is written as it is walked, not built as a tree first: a timeline may have a
 * million buckets, and a tree took about a kilobyte of memory for each.  The layout is
 * cJSON_Print's, which the output always had: a tab per level, "key":<tab>value, one member
 * a line, an array on one line with ", " between its elements.
 */
struct jw {
	FILE *f;
	int depth; /* objects and arrays open */
	int first; /* the innermost one has nothing in it yet */
};

static void report_jtabs(struct jw *w, int n)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t";
	for (; n > 0; n -= 8)
		fwrite(tabs, 1, n < 8 ? (size_t)n : 8, w->f);
}

/* A string, escaped as cJSON does; a byte that is not UTF-8 (a file name's, say) becomes
 * U+FFFD, so that the output stays JSON.  Runs of bytes written as they are go in one write
 * (a write a byte made --json of a million tenants four times the table's time). */
static void report_jstring(struct jw *w, const char *s)
{
	int len;
	fputc('"', w->f);
	const char *run = s = s ? s : "";
	for (; *s; s += len) {
		unsigned char c = (unsigned char)*s;
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\b' ? "\\b"
		                  : c == '\f' ? "\\f" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
		                  : c == '\t' ? "\\t" : NULL;
		int bad = text_decode((const unsigned char *)s, &len) < 0;
		if (!bad && !esc && c >= 32)
			continue;
		fwrite(run, 1, (size_t)(s - run), w->f);
		run = s + len;
		if (bad)
			fputs("\xef\xbf\xbd", w->f);
		else if (esc)
			fputs(esc, w->f);
		else
			fprintf(w->f, "\\u%04x", c);
	}
	fwrite(run, 1, (size_t)(s - run), w->f);
	fputc('"', w->f);
}

/* Starts a value: a member called key of the open object, or (key NULL) an array element. */
static void report_jkey(struct jw *w, const char *key)
{
	if (key) {
		fputs(w->first ? "\n" : ",\n", w->f);
		report_jtabs(w, w->depth);
		report_jstring(w, key);
		fputs(":\t", w->f);
	} else if (!w->first) {
		fputs(", ", w->f);
	}
	w->first = 0;
}

/* Opens an object ('{') or an array ('['); report_jclose closes it. */
static void report_jopen(struct jw *w, const char *key, char c)
{
	report_jkey(w, key);
	fputc(c, w->f);
	w->depth++;
	w->first = 1;
}

static void report_jclose(struct jw *w, char c)
{
	w->depth--;
	if (c == '}') {
		fputc('\n', w->f);
		report_jtabs(w, w->depth);
	}
	fputc(c, w->f);
	w->first = 0;
}

/* A number written exactly as text; null for NULL. */
static void report_jraw(struct jw *w, const char *key, const char *text)
{
	report_jkey(w, key);
	fputs(text ? text : "null", w->f);
}

static void report_jname(struct jw *w, const char *key, const char *name)
{
	report_jkey(w, key);
	report_jstring(w, name);
}

static void report_jcount(struct jw *w, const char *key, uint64_t v)
{
	report_jkey(w, key);
	fprintf(w->f, "%" PRIu64, v);
}

static void report_jusd(struct jw *w, const char *key, money_sum pusd)
{
	char buf[MONEY_FMT_SIZE];
	money_format(buf, pusd);
	report_jraw(w, key, buf);
}

/* A time as RFC 3339 text; null when there is none (no arrival). */
static void report_jtime(struct jw *w, const char *key, int64_t us, int some)
{
	char buf[CLOCK_TEXT_MAX];
	if (some)
		report_jname(w, key, clock_format(us, buf));
	else
		report_jraw(w, key, NULL);
}

static void report_jratio(struct jw *w, const char *key, double v)
{
	char buf[40];
	report_jraw(w, key, report_ratio_text(v, buf, sizeof buf));
}

/* The §5 metrics object of one group, after an optional {group_key: group_name}. */
static void report_jmetrics(struct jw *w, const char *key, const struct result_scenario *r,
                            const struct metrics *m, const char *group_key, const char *group_name)
{
	struct derived d;
	char buf[64];
	result_derive(r, m, &d);
	report_jopen(w, key, '{');
	if (group_key)
		report_jname(w, group_key, group_name);
	for (size_t i = 0; i < report_n_fields; i++) {
		const struct report_field *f = &report_fields[i];
		if (f->kind == REPORT_FK_BILLED && !report_has_billed(r))
			continue;
		struct report_value v = report_value(f, r, m, &d);
		report_jraw(w, f->name, report_machine_text(&v, buf, sizeof buf));
	}
	report_jclose(w, '}');
}

static void report_jcounts(struct jw *w, const struct timeline *tl, int s)
{
	report_jopen(w, timeline_names[s], '[');
	for (size_t i = 0; i < tl->n_buckets; i++)
		report_jcount(w, NULL, tl->count[s][i]);
	report_jclose(w, ']');
}

static void report_jusds(struct jw *w, const char *key, const money_sum *usd, size_t n)
{
	report_jopen(w, key, '[');
	for (size_t i = 0; i < n; i++)
		report_jusd(w, NULL, usd[i]);
	report_jclose(w, ']');
}

static void report_jtimeline(struct jw *w, const struct timeline *tl)
{
	report_jopen(w, "timeline", '{');
	report_jcount(w, "bucket_s", (uint64_t)tl->bucket_s);
	/* no arrival, no bucket to start: null, as the trace's first_ts */
	report_jtime(w, "t0", tl->t0_us, tl->n_buckets > 0);
	for (int s = TL_REQUESTS; s <= TL_RETRIES; s++) /* the counts before the USD arrays */
		report_jcounts(w, tl, s);
	report_jusds(w, "usd", tl->usd, tl->n_buckets);
	report_jusds(w, "retry_usd", tl->retry_usd, tl->n_buckets);
	for (int s = TL_FIRST_CALLS; s <= TL_FIRST_FALLBACKS; s++)
		report_jcounts(w, tl, s);
	report_jclose(w, '}');
}

static void report_jalert(struct jw *w, const struct alert *al)
{
	report_jopen(w, NULL, '{');
	report_jname(w, "kind", al->kind < N_ALERT ? alert_names[al->kind] : "");
	report_jtime(w, "start", al->start_us, 1);
	report_jtime(w, "end", al->end_us, 1);
	if (al->kind == ALERT_COST_GUARD) {
		report_jusd(w, "value", al->value_pusd);
		report_jusd(w, "baseline", al->baseline_pusd);
	} else {
		report_jratio(w, "value", al->value_rate);
		report_jratio(w, "baseline", al->baseline_rate);
	}
	report_jratio(w, "peak_ratio", al->peak_ratio);
	report_jclose(w, '}');
}

static void report_jscenario(struct jw *w, const struct result_scenario *r)
{
	report_jopen(w, NULL, '{');
	report_jname(w, "name", r->name);
	report_jmetrics(w, "totals", r, &r->totals, NULL, NULL);
	report_jopen(w, "by_tenant", '[');
	for (size_t i = 0; i < r->n_tenants; i++)
		report_jmetrics(w, NULL, r, &r->by_tenant[i], "tenant", r->tenant_names[i]);
	report_jclose(w, ']');
	report_jopen(w, "by_task", '[');
	for (size_t i = 0; i < r->n_tasks; i++)
		report_jmetrics(w, NULL, r, &r->by_task[i], "task", r->task_names[i]);
	report_jclose(w, ']');
	report_jopen(w, "by_model", '[');
	for (size_t i = 0; i < r->n_models; i++) {
		const struct model_usage *mu = &r->by_model[i];
		report_jopen(w, NULL, '{');
		report_jname(w, "model", mu->model);
		report_jcount(w, "calls", mu->calls);
		report_jcount(w, "input_tokens", mu->input_tokens);
		report_jcount(w, "output_tokens", mu->output_tokens);
		report_jusd(w, "usd", mu->usd);
		report_jclose(w, '}');
	}
	report_jclose(w, ']');
	report_jtimeline(w, &r->timeline);
	report_jopen(w, "alerts", '[');
	for (size_t i = 0; i < r->n_alerts; i++)
		report_jalert(w, &r->alerts[i]);
	report_jclose(w, ']');
	report_jclose(w, '}');
}

static void report_jtrace(struct jw *w, const struct trace_summary *t)
{
	char buf[64];
	report_jopen(w, "trace", '{');
	report_jname(w, "name", t->name);
	report_jcount(w, "requests", t->requests);
	report_jcount(w, "tenants", t->tenants);
	report_jtime(w, "first_ts", t->first_us, t->requests > 0);
	report_jtime(w, "last_ts", t->last_us, t->requests > 0);
	/* last − first arrival (SPEC §5): none without an arrival, as the times */
	report_jraw(w, "span_s", t->requests ? report_decimal_text(t->last_us - t->first_us, 6, buf, sizeof buf) : "null");
	/* replay --from/--to: the range the requests were selected by (arrivals in [from, to)),
	 * null for a bound not given; absent for the whole trace, as SPEC §5 shows the object */
	if (t->range) {
		report_jtime(w, "from", t->from_us, t->from_us != TRACE_SUMMARY_OPEN);
		report_jtime(w, "to", t->to_us, t->to_us != TRACE_SUMMARY_OPEN);
	}
	report_jclose(w, '}');
}

int report_json(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
                struct err *e)
{
	struct jw w = {.f = f, .first = 1};
	report_jopen(&w, NULL, '{');
	report_jtrace(&w, t);
	report_jopen(&w, "scenarios", '[');
	for (size_t i = 0; i < n; i++)
		report_jscenario(&w, &r[i]);
	report_jclose(&w, ']');
	report_jclose(&w, '}');
	fputc('\n', f);
	return report_finish(f, e);
}
