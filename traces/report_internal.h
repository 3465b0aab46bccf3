/*
 * What the files of the report share and nothing else sees: the table of §5
 * fields that drives every rendering (report.c), one field's value read out of
 * a scenario's metrics, its machine text for --json (report_json.c) and --csv
 * (report_csv.c), and the check that a rendering reached its file.  Nothing
 * here allocates; only report_finish fails (a failed write, with e set).
 */
#ifndef TRACES_REPORT_INTERNAL_H
#define TRACES_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "sim/err.h"
#include "sim/money.h"
#include "sim/result.h"
#include "traces/report.h"

enum field_kind {
	FK_COUNT,      /* uint64_t in struct metrics */
	FK_USD,        /* money_sum in struct metrics */
	FK_BILLED,     /* money_sum in struct metrics, only for a recorded scenario with cost_usd */
	FK_RATIO,      /* double in struct derived */
	FK_USD_DERIVED, /* money_sum in struct derived, with an int null flag */
	FK_LATENCY,    /* int64_t µs in struct metrics, -1 = null; written in ms */
};

struct field {
	const char *name;
	enum field_kind kind;
	size_t off;
	size_t null_off;
};

/* The §5 metrics in their order (report.c), report_n_fields of them. */
extern const struct field report_fields[];
extern const size_t report_n_fields;
#define N_FIELDS report_n_fields

/* One field's value: exact (counts, money, µs) or a double (ratios). */
struct value {
	enum field_kind kind;
	int null;
	money_sum x;
	double ratio;
};

/* The field called name; NULL when there is none. */
const struct field *report_field(const char *name);
/* 1 when scenario r reports billed_usd (SPEC §10). */
int report_has_billed(const struct result_scenario *r);
/* Field f's value in metrics m (and d, their derived values) of scenario r. */
struct value report_value(const struct field *f, const struct result_scenario *r,
                          const struct metrics *m, const struct derived *d);
/* The machine text of a value (JSON and CSV) in buf; NULL for null. */
const char *report_machine_text(const struct value *v, char *buf, size_t n);
/* Flushes f: 0, or -1 with e set when a write failed. */
int report_finish(FILE *f, struct err *e);

#endif
