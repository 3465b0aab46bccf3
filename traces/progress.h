/*
 * The pace of progress lines for long work (import, gen, replay, live): the
 * first after a second, then at most four a second, on the monotonic clock.
 * The worker asks whether a report is due; the front end prints it, fitted to
 * the terminal's width by progress_fit.
 */
#ifndef TRACES_PROGRESS_H
#define TRACES_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

struct progress_pace {
	double t0, last;         /* seconds: the start, the last report */
};

/* Seconds on the monotonic clock, for timing work. */
double progress_clock(void);

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

/* A part of a progress line: its text, with the separator before it (", 2 in flight"), and its
 * rank when the line is wider than the terminal: 0 is always kept, 1 is the first of the others
 * to keep, then 2, … */
struct progress_part {
	const char *text;
	int rank;
};

/*
 * The line of parts[0..n) (n at most 32), in their order, as wide as `cols` terminal columns at
 * most (text_width, with the escapes a name gets), in buf (size bytes), so that a line rewritten
 * in place never wraps (a wrapped one leaves a copy of itself a row above at every rewrite):
 * the parts of rank 0, then each other one, rank 1 first (of equal ranks, the earlier), that
 * still fits with those kept; parts are left out whole.  When the parts of rank 0 alone are too
 * wide, they are cut after the last whole word that fits (at a space), never inside one; with
 * none fitting, "".  Returns buf.
 */
const char *progress_fit(const struct progress_part *parts, size_t n, size_t cols, char *buf, size_t size);

#endif
