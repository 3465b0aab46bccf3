/*
 * The event queue (see sim/events.h): a 4-ary heap in one array, sifted with
 * a hole rather than swaps, and the lane of ordered keys, a doubling ring.
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
	free(q->lane);
	memset(q, 0, sizeof *q);
}

int events_push(struct events *q, events_key k)
{
	if (q->n_heap == q->cap) {
		size_t cap = q->cap ? 2 * q->cap : 1024;
		events_key *v = realloc(q->v, cap * sizeof *v);
		if (!v)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	size_t i = q->n_heap++;
	q->n++;
	while (i > 0 && k < q->v[(i - 1) / 4]) {
		q->v[i] = q->v[(i - 1) / 4];
		i = (i - 1) / 4;
	}
	q->v[i] = k;
	return 0;
}

int events_push_ordered(struct events *q, events_key k)
{
	size_t mask = q->cap_lane - 1;
	if (q->n_lane && !(q->lane[(q->lane_head + q->n_lane - 1) & mask] < k))
		return events_push(q, k); /* out of order: the heap takes it */
	if (q->n_lane == q->cap_lane) {
		size_t cap = q->cap_lane ? 2 * q->cap_lane : 1024;
		events_key *v = malloc(cap * sizeof *v);
		if (!v)
			return -1;
		for (size_t j = 0; j < q->n_lane; j++)
			v[j] = q->lane[(q->lane_head + j) & mask];
		free(q->lane);
		q->lane = v;
		q->cap_lane = cap;
		q->lane_head = 0;
		mask = cap - 1;
	}
	q->lane[(q->lane_head + q->n_lane++) & mask] = k;
	q->n++;
	return 0;
}

events_key events_pop(struct events *q)
{
	q->n--;
	if (q->n_lane && (!q->n_heap || q->lane[q->lane_head] < q->v[0])) {
		events_key top = q->lane[q->lane_head];
		q->lane_head = (q->lane_head + 1) & (q->cap_lane - 1);
		q->n_lane--;
		return top;
	}
	events_key top = q->v[0], last = q->v[--q->n_heap];
	size_t i = 0, n = q->n_heap;
	for (;;) {
		size_t c = 4 * i + 1;
		if (c >= n)
			break;
		size_t best = c;
		events_key least = q->v[c];
		if (c + 3 < n) { /* four children: two pairs, then their winners */
			events_key v1 = q->v[c + 1], v2 = q->v[c + 2], v3 = q->v[c + 3];
			size_t b01 = v1 < least ? c + 1 : c, b23 = v3 < v2 ? c + 3 : c + 2;
			events_key m01 = v1 < least ? v1 : least, m23 = v3 < v2 ? v3 : v2;
			best = m23 < m01 ? b23 : b01;
			least = m23 < m01 ? m23 : m01;
		} else {
			for (size_t j = c + 1; j < n; j++)
				if (q->v[j] < least) {
					best = j;
					least = q->v[j];
				}
		}
		if (!(least < last))
			break;
		q->v[i] = least;
		i = best;
	}
	q->v[i] = last;
	return top;
}
