/*
 * The record of a live run: a trace v1 JSON Lines file of what was sent and
 * received (traces/live_record.c).
 */
#ifndef TRACES_LIVE_RECORD_H
#define TRACES_LIVE_RECORD_H

#include <stdio.h>

#include "sim/err.h"
#include "sim/live.h"

/*
 * Writes the line of each request of lv that made a call, from record *from on while the
 * records have ended, to f (named path in errors), and flushes it: called as requests end,
 * the file holds every call made so far in trace order, whatever stops the run.  *from moves
 * past what was written.  -1 with e set.
 */
int live_record_write(FILE *f, const char *path, const struct live *lv, size_t *from, struct err *e);

#endif
