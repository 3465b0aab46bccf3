/*
 * The record of a live run: a trace v1 JSON Lines file of what was sent and
 * received (traces/live_record.c).
 */
#ifndef TRACES_LIVE_RECORD_H
#define TRACES_LIVE_RECORD_H

#include "sim/err.h"
#include "sim/live.h"

/* Writes the line of record r of lv to fd (its offset at the file's end; named path in
 * errors) when the request made a call (a cache hit or a reject sent nothing): as each request
 * ends, so that the file holds every finished request's calls whatever stops the run (it is never
 * written again: a follower reads each line once).  A write that fails part way is taken back
 * (the file cut to where the line began), so the file only ever holds whole lines.  -1 with e
 * set. */
int live_record_write(int fd, const char *path, const struct live *lv, size_t r, struct err *e);

#endif
