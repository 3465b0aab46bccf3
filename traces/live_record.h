/*
 * The record of a live run: a trace v1 JSON Lines file of what was sent and
 * received (traces/live_record.c).
 */
#ifndef TRACES_LIVE_RECORD_H
#define TRACES_LIVE_RECORD_H

#include <stdio.h>

#include "sim/err.h"
#include "sim/live.h"

/* Writes one line per request of lv that made a call to f (named path in errors).  -1 with e set. */
int live_record_write(FILE *f, const char *path, const struct live *lv, struct err *e);

#endif
