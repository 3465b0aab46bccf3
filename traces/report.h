/*
 * The three renderings of a replay's result snapshot (SPEC §5): --json (one
 * object, every USD amount with exactly 12 decimals, ratios as shortest
 * round-trip doubles), --csv (metric names as the header, a row per scenario
 * or per group × scenario) and the default text table (metrics as rows,
 * scenarios as columns, deltas against the first scenario).  The same inputs
 * always give the same bytes.
 *
 * Errors: functions return 0 / -1 and fill struct err (out of memory, a failed
 * write).  Nothing here allocates anything the caller must free, except where
 * a comment says so.
 */
#ifndef TRACES_REPORT_H
#define TRACES_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "sim/err.h"
#include "sim/money.h"
#include "sim/result.h"

/* The grouping of --by. */
enum report_by { REPORT_BY_NONE, REPORT_BY_TENANT, REPORT_BY_TASK, REPORT_BY_MODEL, REPORT_BY_TIME,
                 N_REPORT_BY };

/* "", "tenant", "task", "model", "time", indexed by enum report_by. */
extern const char *const report_by_names[N_REPORT_BY];

/* The --json object: {"trace": {…}, "scenarios": [{name, totals, by_tenant, by_task, by_model,
 * timeline, alerts}, …]} and a newline. */
int report_json(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
                struct err *e);

/* The --csv table: a header of metric names ("scenario", then the --by column), then a row per
 * scenario, or per scenario × group (scenario order, then group order). */
int report_csv(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
               enum report_by by, struct err *e);

/* The alerts of every scenario as the table ends with them (the strongest few when there are
 * many): kind, first and last firing instants, value, baseline, peak.  -1 when out of memory. */
int report_alerts(FILE *f, const struct result_scenario *r, size_t n);

/* The text table: a line naming the trace, the comparison table (or, with --by, one table per
 * scenario with a row per group), then the alerts of every scenario.  Groups (tenants, tasks,
 * models) come by USD total, highest first (ties by name), the first `top` of them (0: every
 * one), then a line counting the others; time buckets come in time order, all of them. */
#define REPORT_TOP 20 /* the groups a --by table shows by default */
int report_table(FILE *f, const struct trace_summary *t, const struct result_scenario *r, size_t n,
                 enum report_by by, size_t top, struct err *e);

/*
 * The §5 metrics as one table that every rendering reads (--json, --csv, the
 * text table, and the console's views): each field's name, how its value is
 * stored in a scenario's metrics or derived values, and so how it is written.
 */
enum report_field_kind {
	REPORT_FK_COUNT,       /* uint64_t in struct metrics */
	REPORT_FK_USD,         /* money_sum in struct metrics */
	REPORT_FK_BILLED,      /* money_sum in struct metrics, only for a recorded scenario with cost_usd */
	REPORT_FK_RATIO,       /* double in struct derived */
	REPORT_FK_USD_DERIVED, /* money_sum in struct derived, with an int null flag */
	REPORT_FK_LATENCY,     /* int64_t µs in struct metrics, -1 = null; written in ms */
};

struct report_field {
	const char *name;            /* as --json and --csv name it: "usd_total" */
	enum report_field_kind kind;
	size_t off;                  /* in struct metrics, or struct derived (RATIO, USD_DERIVED) */
	size_t null_off;             /* USD_DERIVED: its int null flag in struct derived */
};

/* The §5 metrics in their order, report_n_fields of them. */
extern const struct report_field report_fields[];
extern const size_t report_n_fields;

/* One field's value: exact (counts, pico-USD, µs) in x, or a ratio; null = no figure. */
struct report_value {
	enum report_field_kind kind;
	int null;
	money_sum x;
	double ratio;
};

/* The field called name; NULL when there is none. */
const struct report_field *report_field(const char *name);
/* 1 when scenario r reports billed_usd (SPEC §10). */
int report_has_billed(const struct result_scenario *r);
/* Field f's value in metrics m (and d, their derived values) of scenario r (the totals or a
 * group's). */
struct report_value report_value(const struct report_field *f, const struct result_scenario *r,
                                 const struct metrics *m, const struct derived *d);
/* The machine text of a value (JSON and CSV) in buf; NULL for null. */
const char *report_machine_text(const struct report_value *v, char *buf, size_t n);
/* The text for people, as the text table and the console write it: "1,234", "$1,234.56",
 * "33.3%", "412.5 ms"; "-" for null. */
const char *report_human_text(const struct report_value *v, char *buf, size_t n);
/* The change from ref to v as the table and the console show it (report_delta_amount, or
 * report_delta_points for a ratio); blank, *sign 0, when either is null. */
const char *report_delta_text(const struct report_value *ref, const struct report_value *v, char *buf,
                              size_t n, int *sign);

/*
 * Formatting helpers shared by the renderings (and usable by the console).
 * Each writes a NUL-terminated text into buf (n bytes; REPORT_TEXT_MAX is
 * always enough) and returns buf.
 */
#define REPORT_TEXT_MAX 64

/* Dollars for people: "$1,234.56" (2 decimals, thousands separators) from $1 up, 4 significant
 * digits below ("$0.1234", "$0.0004321"), "$0.00" for 0; rounded half to even. */
const char *report_usd_text(money_sum pusd, char *buf, size_t n);

/* v ÷ 10^scale as an exact decimal with trailing zeros cut: (412500, 3) → "412.5", (-5, 0) → "-5". */
const char *report_decimal_text(int64_t v, int scale, char *buf, size_t n);

/* The shortest "%.{1..17}g" text that reads back as the same double, written plainly from 1 to
 * 10^17: 1.0/3 → "0.3333333333333333", 750.0 → "750" (not "7.5e+02"), 0.00001 → "1e-05". */
const char *report_ratio_text(double v, char *buf, size_t n);

/* "1,234,567". */
const char *report_count_text(uint64_t v, char *buf, size_t n);

/* A latency for people: "412.5 ms" below a second, else "12.35 s" (half-even). */
const char *report_latency_text(int64_t us, char *buf, size_t n);

/* A rate as a percentage with one decimal: 0.3333 → "33.3%". */
const char *report_percent_text(double rate, char *buf, size_t n);

/* A span of time: "00:03:20", "2d 03:04:05". */
const char *report_span_text(int64_t us, char *buf, size_t n);

/*
 * The change from ref to v as the table shows it: an amount or count as a
 * relative change in tenths of a percent, half to even ("-38.2%", blank when
 * ref is 0); a rate as a difference in percentage points ("+5.0 pp").  *sign
 * is -1, 0 or 1.
 */
const char *report_delta_amount(money_sum ref, money_sum v, char *buf, size_t n, int *sign);
const char *report_delta_points(double ref, double v, char *buf, size_t n, int *sign);

#endif
