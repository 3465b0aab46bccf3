/*
 * What the files of the report share and nothing else sees: the check that a
 * rendering reached its file.  The field table and its values, which the
 * console reads too, are in traces/report.h.
 */
#ifndef TRACES_REPORT_INTERNAL_H
#define TRACES_REPORT_INTERNAL_H

#include <stdio.h>

#include "sim/err.h"
#include "traces/report.h"

/* Flushes f: 0, or -1 with e set when a write failed. */
int report_finish(FILE *f, struct err *e);

#endif
