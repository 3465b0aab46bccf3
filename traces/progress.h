/*
 * The pace of progress lines for long work (import, gen): the first after a
 * second, then at most four a second, on the monotonic clock.  The worker asks
 * whether a report is due; the front end prints it.
 */
#ifndef TRACES_PROGRESS_H
#define TRACES_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct progress_pace {
	double t0, last;         /* seconds: the start, the last report */
};

/* Starts the clock of p. */
void progress_start(struct progress_pace *p);

/* 1 when a report is due now (*seconds: since the start), and it counts as made; else 0. */
int progress_due(struct progress_pace *p, double *seconds);

/* From this many seconds on, a progress line says how long is left (the rate is known). */
#define PROGRESS_LEFT_AFTER 3.0

/* "about N s left", from a minute up "about N min left" (rounded), for work `done` of `total`
 * (bytes) after `seconds`, at the average rate since the start (done / seconds), which a slow
 * or fast moment barely moves.  "" before PROGRESS_LEFT_AFTER, when total is unknown (0), when
 * nothing is done yet, or when all is.  Returns buf. */
const char *progress_left_text(double seconds, uint64_t done, uint64_t total, char *buf, size_t n);

#endif
