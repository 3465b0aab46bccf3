/*
 * The pace of progress lines (see traces/progress.h).
 */
#include "traces/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "traces/text.h"

double progress_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress_pace *p)
{
	p->t0 = p->last = progress_clock();
}

int progress_due(struct progress_pace *p, double *seconds)
{
	double t = progress_clock();
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

/* The parts kept (keep[k]) joined in buf (size bytes, at least 1); their width. */
static size_t join(const struct progress_part *parts, size_t n, const unsigned char *keep, char *buf, size_t size)
{
	size_t len = 0;
	for (size_t k = 0; k < n; k++) {
		size_t m = keep[k] ? strlen(parts[k].text) : 0;
		if (m > size - 1 - len)
			m = size - 1 - len;
		memcpy(buf + len, parts[k].text, m);
		len += m;
	}
	buf[len] = 0;
	return text_width(buf);
}

const char *progress_fit(const struct progress_part *parts, size_t n, size_t cols, char *buf, size_t size)
{
	unsigned char keep[32] = { 0 };
	int top = 0;
	if (!size)
		return buf;
	if (n > sizeof keep)
		n = sizeof keep;
	for (size_t k = 0; k < n; k++) {
		keep[k] = parts[k].rank <= 0;
		if (parts[k].rank > top)
			top = parts[k].rank;
	}
	/* each other part, the lowest rank first, where it still fits with those kept */
	if (join(parts, n, keep, buf, size) <= cols)
		for (int rank = 1; rank <= top; rank++)
			for (size_t k = 0; k < n; k++)
				if (parts[k].rank == rank) {
					keep[k] = 1;
					keep[k] = join(parts, n, keep, buf, size) <= cols;
				}
	join(parts, n, keep, buf, size);
	/* the parts of rank 0 too wide: the words that fit, up to the last space before the first
	 * that does not */
	while (text_width(buf) > cols) {
		char *space = strrchr(buf, ' ');
		if (!space) {
			buf[0] = 0;
			break;
		}
		while (space > buf && space[-1] == ' ')
			space--;
		*space = 0;
	}
	return buf;
}
