/*
 * The pace of progress lines (see traces/progress.h).
 */
#include "traces/progress.h"

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
