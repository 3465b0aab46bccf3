/*
 * The event queue's slow paths (see sim/events.h): moving time to the next
 * bucket in use, keys that overflow a bucket, come late or lie far ahead.
 */

/*
 * A key lives in one of four places: the current bucket (now, sorted), a ring
 * bucket after it (in place as it came, and when that is full in a list of
 * pool nodes), the far heap (beyond the ring), or the late heap (a key at or
 * before the current bucket that would have moved many keys of now to go in
 * order).  When now runs out, the far
 * keys that the ring then reaches move in, and the next bucket in use is
 * sorted where it lies, or gathered in spare with its list.  A late key has
 * keys of now above it, so now runs out only when the whole queue does, and
 * the smallest key is now's next or the late heap's first.
 */
#include "sim/events.h"

#include <stdlib.h>
#include <string.h>

#define RING EVENTS_RING
#define MASK (RING - 1)
#define IN_PLACE EVENTS_IN_PLACE
#define LATE_SHIFT 16            /* the most keys of now a push moves to go in order */
#define SMALL_SORT 16            /* buckets up to this size sort by insertion */
#define RARE __attribute__((noinline, cold)) /* off the common path, kept out of it */

_Static_assert((RING & MASK) == 0 && RING % 8 == 0, "the ring is a power of two, scanned 8 buckets at a time");
_Static_assert(IN_PLACE < 256, "n_in_place counts in a byte");

struct events_node {
	uint64_t hi, lo;         /* the key's halves */
	uint32_t next;           /* the next node in its list; 0 ends it */
};

/* ---- the 4-ary heaps, sifted with a hole rather than swaps ---- */

static int events_heap_push(struct events_heap *h, events_key k)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		events_key *v = realloc(h->v, cap * sizeof *v);
		if (!v)
			return -1;
		h->v = v;
		h->cap = cap;
	}
	size_t i = h->n++;
	while (i > 0 && k < h->v[(i - 1) / 4]) {
		h->v[i] = h->v[(i - 1) / 4];
		i = (i - 1) / 4;
	}
	h->v[i] = k;
	return 0;
}

static events_key events_heap_pop(struct events_heap *h)
{
	events_key top = h->v[0], last = h->v[--h->n];
	size_t i = 0, n = h->n;
	for (;;) {
		size_t c = 4 * i + 1;
		if (c >= n)
			break;
		size_t best = c;
		events_key least = h->v[c];
		for (size_t j = c + 1; j < c + 4 && j < n; j++)
			if (h->v[j] < least) {
				best = j;
				least = h->v[j];
			}
		if (!(least < last))
			break;
		h->v[i] = least;
		i = best;
	}
	h->v[i] = last;
	return top;
}

/* ---- sorting a bucket ---- */

/* Heapsort's sift: a max-heap of a[0..n), the hole starting at i. */
static void events_sift(events_key *a, size_t i, size_t n)
{
	events_key x = a[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && a[c] < a[c + 1])
			c++;
		if (!(x < a[c]))
			break;
		a[i] = a[c];
		i = c;
	}
	a[i] = x;
}

/* Puts a[i] and a[j], i < j, in order, without a branch. */
static inline void events_order(events_key *a, size_t i, size_t j)
{
	events_key x = a[i], y = a[j];
	int swap = y < x;
	a[i] = swap ? y : x;
	a[j] = swap ? x : y;
}

/* Sorts a[0..n) ascending by insertion: for a few keys. */
static inline void events_sort_few(events_key *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		events_key x = a[i];
		size_t j = i;
		for (; j > 0 && x < a[j - 1]; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Sorts a bucket in place, a[0..n): by sorting networks for the common
 * sizes, whose steps do not branch, else by insertion. */
static inline void events_sort_bucket(events_key *a, size_t n)
{
	switch (n) {
	case 2:
		events_order(a, 0, 1);
		break;
	case 3:
		events_order(a, 0, 1);
		events_order(a, 1, 2);
		events_order(a, 0, 1);
		break;
	case 4:
		events_order(a, 0, 1);
		events_order(a, 2, 3);
		events_order(a, 0, 2);
		events_order(a, 1, 3);
		events_order(a, 1, 2);
		break;
	default:
		events_sort_few(a, n);
	}
}

/* Sorts a[0..n) ascending: by insertion when small, else a heapsort (a burst at one instant). */
static void events_sort(events_key *a, size_t n)
{
	if (n <= SMALL_SORT) {
		events_sort_few(a, n);
		return;
	}
	for (size_t i = n / 2; i-- > 0;)
		events_sift(a, i, n);
	for (size_t m = n - 1; m > 0; m--) {
		events_key x = a[0];
		a[0] = a[m];
		a[m] = x;
		events_sift(a, 0, m);
	}
}

/* ---- room ---- */

/* Makes room for need keys in spare; -1 when out of memory. */
static int events_spare_fit(struct events *q, size_t need)
{
	if (need <= q->cap_spare)
		return 0;
	size_t cap = q->cap_spare ? q->cap_spare : 64;
	while (cap < need)
		cap *= 2;
	int in_spare = q->spare && q->now == q->spare;
	events_key *v = realloc(q->spare, cap * sizeof *v);
	if (!v)
		return -1;
	q->spare = v;
	q->cap_spare = cap;
	if (in_spare) {
		q->now = v;
		q->cap_now = cap;
	}
	return 0;
}

/* Makes sure that one more key can go to a list or to the far heap: a node
 * for each (a far key goes to a list when the ring reaches it and its bucket
 * is full in place) and room in spare to gather any bucket with its list;
 * -1 when out of memory. */
static int events_node_fit(struct events *q)
{
	size_t need = q->n_listed + q->far.n + 1;
	if (events_spare_fit(q, IN_PLACE + need) < 0)
		return -1;
	if (need <= q->n_pool)
		return 0;
	size_t n = q->n_pool ? 2 * q->n_pool : 64;
	if (n >= UINT32_MAX)
		return -1;
	struct events_node *pool = realloc(q->pool, (n + 1) * sizeof *pool);
	if (!pool)
		return -1;
	q->pool = pool;
	for (size_t i = q->n_pool + 1; i < n; i++)
		pool[i].next = (uint32_t)i + 1;
	pool[n].next = q->free;
	q->free = (uint32_t)q->n_pool + 1;
	q->n_pool = n;
	return 0;
}

static int events_make_ring(struct events *q)
{
	q->ring = malloc(RING * IN_PLACE * sizeof *q->ring);
	q->n_in_place = calloc(RING, sizeof *q->n_in_place);
	q->more = calloc(RING, sizeof *q->more);
	if (q->ring && q->n_in_place && q->more)
		return 0;
	free(q->ring);
	free(q->n_in_place);
	free(q->more);
	q->ring = NULL;
	q->n_in_place = NULL;
	q->more = NULL;
	return -1;
}

/* ---- the current bucket ---- */

/* Makes a[0..n), sorted, of room cap, the current bucket's keys. */
static void events_use_now(struct events *q, events_key *a, size_t cap, size_t n)
{
	q->now = a;
	q->cap_now = cap;
	q->head = 0;
	q->n_now = n;
	q->top = a[0];
}

/* Puts k, of the current bucket or before it, in now when that moves few keys, else in the late heap. */
static int events_now_insert(struct events *q, events_key k)
{
	if (q->n_now == q->cap_now) { /* full: now goes to the start of spare */
		size_t n = q->n_now - q->head;
		if (events_spare_fit(q, n + 1) < 0)
			return -1;
		memmove(q->spare, q->now + q->head, n * sizeof *q->now);
		q->now = q->spare;
		q->cap_now = q->cap_spare;
		q->n_now = n;
		q->head = 0;
	}
	size_t j = q->n_now;
	for (; j > q->head && k < q->now[j - 1]; j--)
		if (q->n_now - j == LATE_SHIFT)
			return events_heap_push(&q->late, k);
	memmove(q->now + j + 1, q->now + j, (q->n_now - j) * sizeof *q->now);
	q->now[j] = k;
	q->n_now++;
	return 0;
}

/* ---- the ring ---- */

/* Adds k to the bucket b of the ring: in place, else to the bucket's list,
 * with a node that events_node_fit made sure of. */
static void events_ring_add(struct events *q, events_key k, uint64_t b)
{
	size_t s = (size_t)(b & MASK), c = q->n_in_place[s];
	if (c < IN_PLACE) {
		q->ring[s * IN_PLACE + c] = k;
		q->n_in_place[s] = (uint8_t)(c + 1);
		return;
	}
	uint32_t i = q->free;
	struct events_node *node = &q->pool[i];
	q->free = node->next;
	node->hi = (uint64_t)(k >> 64);
	node->lo = (uint64_t)k;
	node->next = q->more[s];
	q->more[s] = i;
	q->n_listed++;
}

/* far_due: the ring reaches the far heap's first key from the bucket b - MASK on. */
static void events_set_far_due(struct events *q)
{
	uint64_t b = q->far.n ? events_bucket(q, q->far.v[0]) : 0;
	q->far_due = !q->far.n ? UINT64_MAX : b > MASK ? b - MASK : 0;
}

/* Moves the far keys that the ring reaches from the current bucket into it. */
RARE static void events_far_pull(struct events *q)
{
	while (q->far.n && events_bucket(q, q->far.v[0]) - q->cur < RING) {
		events_key k = events_heap_pop(&q->far);
		events_ring_add(q, k, events_bucket(q, k));
	}
	events_set_far_due(q);
}

/* The next bucket in use after the current one (the ring must not be empty).
 * The scan goes 8 counts at a time; over a replay it covers the time that
 * passes once, plus a few counts a bucket. */
RARE static uint64_t events_ring_next(const struct events *q)
{
	size_t p = (size_t)((q->cur + 1) & MASK), s = p;
	while (s % 8 && !q->n_in_place[s])
		s = (s + 1) & MASK;
	if (s % 8 == 0)
		for (;;) {
			uint64_t eight;
			memcpy(&eight, q->n_in_place + s, sizeof eight);
			if (eight)
				break;
			s = (s + 8) & MASK;
		}
	while (!q->n_in_place[s])
		s++;
	return q->cur + 1 + ((s - p) & MASK);
}

/* Makes now the current bucket, which has a list: gathered in spare, where
 * events_node_fit made room, and sorted. */
RARE static void events_gather(struct events *q, size_t n)
{
	size_t s = (size_t)(q->cur & MASK), in_place = n;
	memcpy(q->spare, q->ring + s * IN_PLACE, n * sizeof *q->spare);
	uint32_t first = q->more[s], i = first, last = 0;
	while (i) {
		const struct events_node *node = &q->pool[i];
		q->spare[n++] = (events_key)node->hi << 64 | node->lo;
		last = i;
		i = node->next;
	}
	q->pool[last].next = q->free;
	q->free = first;
	q->more[s] = 0;
	q->n_listed -= n - in_place;
	events_sort(q->spare, n);
	events_use_now(q, q->spare, q->cap_spare, n);
}

/* Removes the smallest key when the late heap is not empty: now's next or
 * the late heap's first; now goes on (see the top of the file). */
RARE static void events_pop_late(struct events *q)
{
	if (q->now[q->head] == q->top)
		q->head++;
	else
		events_heap_pop(&q->late);
	q->top = q->now[q->head];
	if (q->late.n && q->late.v[0] < q->top)
		q->top = q->late.v[0];
}

/* ---- the queue ---- */

void events_init(struct events *q, unsigned span_bits)
{
	memset(q, 0, sizeof *q);
	q->span_bits = span_bits; /* ≥ 1: no key's bucket is EVENTS_NO_BUCKET */
	q->cur = EVENTS_NO_BUCKET;
	q->far_due = UINT64_MAX;
}

/*
 * Pops are cheap within a bucket and a move to the next bucket in use costs a
 * scan and a sort, so a bucket should hold a few events, not a fraction of one
 * (sparse traces) nor more than fit in place: the widest span, from 2^10 µs to
 * 2^24 µs (17 s), whose bucket holds at most EVENTS_PER_BUCKET of n events
 * spread evenly.  A replay has about one event per request (a call's end, a
 * few retries): the engine passes its requests and their arrivals' span, and
 * a 10M-request week gets the default.
 */
#define EVENTS_PER_BUCKET 2.5
unsigned events_span_bits(uint64_t n, int64_t span_us)
{
	unsigned bits = 10;
	while (bits < 24 && (double)n * (double)(INT64_C(2) << bits) <= EVENTS_PER_BUCKET * (double)span_us)
		bits++;
	return bits;
}

void events_fini(struct events *q)
{
	free(q->ring);
	free(q->n_in_place);
	free(q->more);
	free(q->pool);
	free(q->spare);
	free(q->far.v);
	free(q->late.v);
	events_init(q, q->span_bits);
}

int events_push_slow(struct events *q, events_key k)
{
	uint64_t b = events_bucket(q, k);
	if (!q->n) { /* k opens its bucket, which lies empty in the ring */
		if (!q->ring && events_make_ring(q) < 0)
			return -1;
		q->cur = b;
		q->ring[(b & MASK) * IN_PLACE] = k;
		events_use_now(q, q->ring + (b & MASK) * IN_PLACE, IN_PLACE, 1);
		q->n = 1;
		return 0;
	}
	if (b - q->cur - 1 < MASK) {
		if (q->n_in_place[b & MASK] == IN_PLACE && events_node_fit(q) < 0)
			return -1;
		events_ring_add(q, k, b);
	} else if (b > q->cur) {
		if (events_node_fit(q) < 0 || events_heap_push(&q->far, k) < 0)
			return -1;
		events_set_far_due(q);
	} else if (events_now_insert(q, k) < 0) {
		return -1;
	}
	if (k < q->top)
		q->top = k;
	q->n++;
	return 0;
}

/*
 * events_pop when now's next key is not the answer: either the late heap is
 * not empty, or now runs out and the next bucket in use becomes now, in the
 * ring or, when the ring is empty, the far heap's first.
 */
void events_pop_slow(struct events *q)
{
	size_t n = --q->n;
	if (q->late.n) {
		events_pop_late(q);
		return;
	}
	if (n == q->far.n) { /* the ring is empty */
		if (!n) {
			q->head = q->n_now = 0;
			q->cur = EVENTS_NO_BUCKET;
			return;
		}
		q->cur = events_bucket(q, q->far.v[0]);
		events_far_pull(q);
	} else {
		uint64_t cur = q->cur + 1;
		q->cur = q->n_in_place[cur & MASK] ? cur : events_ring_next(q);
		if (q->cur >= q->far_due)
			events_far_pull(q);
	}
	size_t s = (size_t)(q->cur & MASK), c = q->n_in_place[s];
	q->n_in_place[s] = 0;
	if (q->more[s]) {
		events_gather(q, c);
		return;
	}
	events_key *a = q->ring + s * IN_PLACE;
	events_sort_bucket(a, c);
	events_use_now(q, a, IN_PLACE, c);
}
