/*
 * The replay's event queue: 128-bit keys, the event's time in the high half
 * and, in the low half, what orders ties and says what the event is (the
 * engine packs it), in a timer wheel whose push and pop cost O(1) on average
 * whatever the number pending.  Common cases are inline here, the rest is in
 * sim/events.c.
 */

/*
 * The wheel: a ring of buckets of 2^span_bits µs that starts at the
 * current bucket, each with room for a few keys in place (more go to a list);
 * when time reaches a bucket, its keys are sorted and popped in turn.  Keys
 * beyond the ring wait in a heap and move into the ring as time comes near.
 *
 * The queue owns its arrays and grows with the events pending at once, only
 * in events_push, which returns -1 when out of memory (the queue is then
 * unchanged); nothing else fails or allocates.
 *
 * Precondition, which the replay meets: the queue is monotone, every key
 * pushed is ≥ the last key popped (time never goes back).  The queue is fast
 * because of it, not right because of it: a key that breaks it still comes
 * out in order, only slower (it is sorted into the current bucket, or waits
 * in a small heap).
 */
#ifndef SIM_EVENTS_H
#define SIM_EVENTS_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef unsigned __int128 events_key;

#define EVENTS_SPAN_BITS 17      /* a bucket's span by default: 2^17 µs, 131 ms */
#define EVENTS_RING (1u << 10)   /* buckets: the ring reaches 134 s ahead at the default span */
#define EVENTS_IN_PLACE 8        /* keys a bucket holds in place */
#define EVENTS_NO_BUCKET (UINT64_C(1) << 63) /* cur of an empty queue: the ring is nowhere */

struct events_heap {             /* a 4-ary min-heap */
	events_key *v;
	size_t n, cap;
};

struct events {
	events_key top;          /* the smallest key pending, when n > 0 */
	size_t n;                /* events pending */
	events_key *now;         /* the current bucket's keys, ascending: now[head..n_now) */
	size_t head, n_now;
	unsigned span_bits;      /* a bucket spans 2^span_bits µs */
	uint64_t cur;            /* the current bucket, the key's high half >> span_bits */
	events_key *ring;        /* EVENTS_IN_PLACE keys a bucket, as they came */
	uint8_t *n_in_place;     /* how many, a bucket */
	struct events_heap late; /* keys of the current bucket that came out of order */
	size_t cap_now;          /* room in now: EVENTS_IN_PLACE or cap_spare */
	uint32_t *more;          /* a bucket's other keys: its first node in pool, or 0 */
	struct events_node *pool; /* nodes of those lists; node 0 is the end mark */
	uint32_t free;           /* the first free node */
	size_t n_pool, n_listed; /* nodes, and nodes in lists */
	events_key *spare;       /* now, when the bucket does not lie in place */
	size_t cap_spare;
	struct events_heap far;  /* keys beyond the ring */
	uint64_t far_due;        /* from this current bucket on, the ring reaches the far heap's first */
};

static inline events_key events_key_of(int64_t t, uint64_t low)
{
	/* the sign bit flipped: signed times order as unsigned ones */
	return (events_key)((uint64_t)t ^ (UINT64_C(1) << 63)) << 64 | low;
}
static inline int64_t events_time(events_key k) { return (int64_t)((uint64_t)(k >> 64) ^ (UINT64_C(1) << 63)); }
static inline uint64_t events_low(events_key k) { return (uint64_t)k; }
/* The bucket of the wheel that a key falls in. */
static inline uint64_t events_bucket(const struct events *q, events_key k)
{
	return (uint64_t)(k >> 64) >> q->span_bits;
}

/* An empty queue whose buckets span 2^span_bits µs, 1 ≤ span_bits ≤ 40. */
void events_init(struct events *q, unsigned span_bits);
/* The span_bits for about n events spread over span_us: the bucket a few of them share. */
unsigned events_span_bits(uint64_t n, int64_t span_us);
void events_fini(struct events *q);
/* The cases of events_push and events_pop that their inline parts leave to sim/events.c. */
int events_push_slow(struct events *q, events_key k);
void events_pop_slow(struct events *q);

/* Adds an event; -1 when out of memory (the queue is unchanged). */
static inline int events_push(struct events *q, events_key k)
{
	uint64_t b = events_bucket(q, k);
	size_t s = (size_t)(b & (EVENTS_RING - 1)), c;
	/* most keys go in place to a bucket of the ring after the current one,
	 * so not the smallest */
	if (b - q->cur - 1 < EVENTS_RING - 1 && (c = q->n_in_place[s]) < EVENTS_IN_PLACE) {
		q->ring[s * EVENTS_IN_PLACE + c] = k;
		q->n_in_place[s] = (uint8_t)(c + 1);
		q->n++;
		return 0;
	}
	return events_push_slow(q, k);
}
/* The smallest key (the queue must not be empty). */
static inline events_key events_top(const struct events *q) { return q->top; }
/* Removes and returns the smallest key (the queue must not be empty). */
static inline events_key events_pop(struct events *q)
{
	events_key top = q->top;
	if (q->head + 1 < q->n_now && !q->late.n) { /* the next key of now is the smallest */
		q->n--;
		q->top = q->now[++q->head];
	} else {
		events_pop_slow(q);
	}
	return top;
}

#endif
