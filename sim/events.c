/*
 * The event queue (see sim/events.h): a 4-ary heap in one array, sifted with
 * a hole rather than swaps.
 */
#include "sim/events.h"

#include <stdlib.h>
#include <string.h>

void events_init(struct events *q)
{
	memset(q, 0, sizeof *q);
}

void events_fini(struct events *q)
{
	free(q->v);
	memset(q, 0, sizeof *q);
}

int events_push(struct events *q, events_key k)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 1024;
		events_key *v = realloc(q->v, cap * sizeof *v);
		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	size_t i = q->n++;
	while (i > 0 && k < q->v[(i - 1) / 4]) {
		q->v[i] = q->v[(i - 1) / 4];
		i = (i - 1) / 4;
	}
	q->v[i] = k;
	return 0;
}

events_key events_pop(struct events *q)
{
	events_key top = q->v[0], last = q->v[--q->n];
	size_t i = 0, n = q->n;
	for (;;) {
		size_t c = 4 * i + 1;
		if (c >= n)
			break;
		size_t best = c, end = c + 4 < n ? c + 4 : n;
		for (size_t j = c + 1; j < end; j++)
			if (q->v[j] < q->v[best])
				best = j;
		if (!(q->v[best] < last))
			break;
		q->v[i] = q->v[best];
		i = best;
	}
	q->v[i] = last;
	return top;
}
