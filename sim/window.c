/*
 * The replay's window logs: a doubling ring buffer, and the step series the
 * alerts read at grid instants (see sim/window.h).
 */
#include "sim/window.h"

#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"

void ring_init(struct ring *r, size_t elem)
{
	memset(r, 0, sizeof *r);
	r->elem = elem;
}

void ring_fini(struct ring *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

void *ring_grow_push(struct ring *r)
{
	size_t cap = r->cap ? 2 * r->cap : 256;
	unsigned char *v = malloc(cap * r->elem);
	if (!v)
		return NULL;
	for (size_t j = 0; j < r->n; j++) /* unrolled to the front of the new ring */
		memcpy(v + j * r->elem, ring_at(r, j), r->elem);
	free(r->v);
	r->v = v;
	r->cap = cap;
	r->head = 0;
	r->n++;
	return ring_at(r, r->n - 1);
}

void step_series_init(struct step_series *s, int64_t offset_us)
{
	memset(s, 0, sizeof *s);
	s->phase = offset_us - clock_floor_div(offset_us, WINDOW_GRID_US) * WINDOW_GRID_US;
}

void step_series_fini(struct step_series *s)
{
	free(s->k);
	free(s->total);
	memset(s, 0, sizeof *s);
}

/* step_series_add's slow path: t is at or after the last entry's instant. */
int step_series_append(struct step_series *s, int64_t t_us, money_sum v)
{
	int64_t k = clock_floor_div(t_us - s->phase, WINDOW_GRID_US) + 1; /* the first instant after t */
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		int64_t *kk = realloc(s->k, cap * sizeof *kk);
		if (!kk)
			return -1;
		s->k = kk;
		money_sum *tt = realloc(s->total, cap * sizeof *tt);
		if (!tt)
			return -1;
		s->total = tt;
		s->cap = cap;
	}
	s->k[s->n] = k;
	s->total[s->n] = (s->n ? s->total[s->n - 1] : 0) + v;
	s->n++;
	s->until = s->phase + k * WINDOW_GRID_US;
	return 0;
}

money_sum step_reader_before(struct step_reader *r, int64_t x_us)
{
	const struct step_series *s = r->s;
	int64_t k = clock_floor_div(x_us - s->phase, WINDOW_GRID_US);
	while (r->read < s->n && s->k[r->read] <= k)
		r->read++;
	return r->read ? s->total[r->read - 1] : 0;
}

int64_t step_series_next(struct step_series *s, int64_t from_us)
{
	while (s->seek < s->n && s->phase + s->k[s->seek] * WINDOW_GRID_US <= from_us)
		s->seek++;
	return s->seek < s->n ? s->phase + s->k[s->seek] * WINDOW_GRID_US : INT64_MAX;
}
