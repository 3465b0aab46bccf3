/*
 * The pace of progress lines (see traces/progress.h).
 */
#include "traces/progress.h"

#include <stdio.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress_pace *p)
{
	p->t0 = p->last = now_s();
}

int progress_due(struct progress_pace *p, double *seconds)
{
	double t = now_s();
	if (t - p->t0 <= 1.0 || t - p->last <= 0.25)
		return 0;
	p->last = t;
	*seconds = t - p->t0;
	return 1;
}

const char *progress_left_text(double seconds, uint64_t done, uint64_t total, char *buf, size_t n)
{
	if (n)
		buf[0] = 0;
	if (seconds < PROGRESS_LEFT_AFTER || !total || !done || done >= total)
		return buf;
	double left = seconds * (double)(total - done) / (double)done;
	if (left < 59.5)
		snprintf(buf, n, "about %.0f s left", left < 1 ? 1 : left);
	else
		snprintf(buf, n, "about %.0f min left", left / 60);
	return buf;
}
