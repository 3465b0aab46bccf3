/*
 * The pace of progress lines for long work (import, gen): the first after a
 * second, then at most four a second, on the monotonic clock.  The worker asks
 * whether a report is due; the front end prints it.
 */
#ifndef TRACES_PROGRESS_H
#define TRACES_PROGRESS_H

struct progress_pace {
	double t0, last;         /* seconds: the start, the last report */
};

/* Starts the clock of p. */
void progress_start(struct progress_pace *p);

/* 1 when a report is due now (*seconds: since the start), and it counts as made; else 0. */
int progress_due(struct progress_pace *p, double *seconds);

#endif
