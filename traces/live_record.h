/*
 * The record of a live run: a trace v1 JSON Lines file of what was sent and
 * received (traces/live_record.c).
 */
#ifndef TRACES_LIVE_RECORD_H
#define TRACES_LIVE_RECORD_H

#include <stdio.h>

#include "sim/err.h"
#include "sim/live.h"

/* Writes the line of record r of lv to f (named path in errors) and flushes it, when the
 * request made a call (a cache hit or a reject sent nothing): as each request ends, so that
 * the file holds every finished request's calls whatever stops the run (it is never written
 * again: a follower reads each line once).  -1 with e set. */
int live_record_write(FILE *f, const char *path, const struct live *lv, size_t r, struct err *e);

#endif
