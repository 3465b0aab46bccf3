/*
 * Two time-ordered logs for the replay's windows, each holding only what a
 * window can still see: a ring of recent entries (the last hour's calls, the
 * rate gate's first calls), and a step series — a running total read at the
 * instants phase + k × 60 s — kept only where the total changes, so the alerts
 * see exact window sums at grid instants and quiet stretches cost nothing.
 * Functions that allocate return -1 when memory runs out and change nothing.
 */
#ifndef SIM_WINDOW_H
#define SIM_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "sim/money.h"

#define WINDOW_GRID_US (60 * INT64_C(1000000)) /* the alert grid's step */

/* A FIFO of fixed-size entries in a power-of-two ring that doubles when full. */
struct ring {
	unsigned char *v;
	size_t elem, head, n, cap;
};

void ring_init(struct ring *r, size_t elem);
void ring_fini(struct ring *r);
/* The j-th entry from the front (j < n). */
static inline void *ring_at(const struct ring *r, size_t j)
{
	return r->v + ((r->head + j) & (r->cap - 1)) * r->elem;
}
/* ring_push's slow path: the ring is full. */
void *ring_grow_push(struct ring *r);
/* A new entry at the back (uninitialized), or NULL when out of memory. */
static inline void *ring_push(struct ring *r)
{
	if (r->n == r->cap)
		return ring_grow_push(r);
	r->n++;
	return ring_at(r, r->n - 1);
}
static inline void ring_pop(struct ring *r)
{
	r->head = (r->head + 1) & (r->cap - 1);
	r->n--;
}

/*
 * The total of the values added at times before each instant P_k = phase + k × 60 s.
 * Values are added in non-decreasing time order; reads come in non-decreasing
 * instant order.  A run of instants with no addition shares one entry.
 */
struct step_series {
	int64_t phase;           /* µs, in [0, 60 s) */
	int64_t until;           /* the last entry's instant: times before it add to that entry */
	int64_t *k;              /* entry j: the total from instant k[j] on (until k[j + 1]) */
	money_sum *total;
	size_t n, cap;
	size_t seek;             /* step_series_next's cursor */
};

/* A reader of a series at non-decreasing instants; one series can have several readers. */
struct step_reader {
	const struct step_series *s;
	size_t read;
};

/* A series whose instants are ≡ offset (mod 60 s); offset may be any int64. */
void step_series_init(struct step_series *s, int64_t offset_us);
void step_series_fini(struct step_series *s);
int step_series_append(struct step_series *s, int64_t t_us, money_sum v);
static inline int step_series_add(struct step_series *s, int64_t t_us, money_sum v)
{
	if (s->n && t_us < s->until) { /* times only grow: still before the last entry's instant */
		s->total[s->n - 1] += v;
		return 0;
	}
	return step_series_append(s, t_us, v);
}
/* The total of the values added to r's series before instant x (x ≡ its offset mod 60 s). */
money_sum step_reader_before(struct step_reader *r, int64_t x_us);
/* The first instant after which something was added that is ≥ from_us, i.e. the first P_k with
 * an addition in [P_k − 60 s, P_k) and P_k > from_us; INT64_MAX when there is none.  Reads in
 * non-decreasing order of from_us. */
int64_t step_series_next(struct step_series *s, int64_t from_us);

#endif
