/*
 * The replay's event queue: a 4-ary min-heap of 128-bit keys, the event's time
 * in the high half and, in the low half, what orders ties and says what the
 * event is (the engine packs it).  One compare orders two events; four
 * children share a cache line.  Events that mostly come in key order (batch
 * answers: flush time + a constant) can wait in a FIFO lane beside the heap,
 * in O(1).  The queue grows with the events pending at once.
 */
#ifndef SIM_EVENTS_H
#define SIM_EVENTS_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef unsigned __int128 events_key;

struct events {
	events_key *v;           /* the heap */
	size_t n_heap, cap;
	events_key *lane;        /* the lane: a ring of increasing keys */
	size_t lane_head, n_lane, cap_lane;
	size_t n;                /* events pending: n_heap + n_lane */
};

static inline events_key events_key_of(int64_t t, uint64_t low)
{
	/* the sign bit flipped: signed times order as unsigned ones */
	return (events_key)((uint64_t)t ^ (UINT64_C(1) << 63)) << 64 | low;
}
static inline int64_t events_time(events_key k) { return (int64_t)((uint64_t)(k >> 64) ^ (UINT64_C(1) << 63)); }
static inline uint64_t events_low(events_key k) { return (uint64_t)k; }

void events_init(struct events *q);
void events_fini(struct events *q);
/* Adds an event; -1 when out of memory (the queue is unchanged). */
int events_push(struct events *q, events_key k);
/* The same, for an event whose key is likely above every key added this way before. */
int events_push_ordered(struct events *q, events_key k);
/* The smallest key (the queue must not be empty). */
static inline events_key events_top(const struct events *q)
{
	if (!q->n_lane)
		return q->v[0];
	events_key lane = q->lane[q->lane_head];
	return q->n_heap && q->v[0] < lane ? q->v[0] : lane;
}
/* Removes and returns the smallest key (the queue must not be empty). */
events_key events_pop(struct events *q);

#endif
