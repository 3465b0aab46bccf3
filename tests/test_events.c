/*
 * The event queue against a plain reference: every key pushed also goes in an
 * unsorted array, and every pop and top must be the smallest pending key, the
 * one an exhaustive scan of that array finds.  The workloads follow the
 * queue's precondition (no key below the last one popped, checked here) with
 * delays from within a bucket to years beyond the ring, ties, negative and
 * extreme times, bursts at one instant, keys on the ring's edges, and a queue
 * that empties and fills again; one breaks the precondition on purpose and
 * must still pop in order.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sim/events.h"
#include "tests/test.h"

/* the queues' span, each workload running at the default and at a sparse trace's */
static unsigned span_bits = EVENTS_SPAN_BITS;
#define SPAN (INT64_C(1) << span_bits)
#define HORIZON (SPAN * EVENTS_RING)

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The indexes of the smallest and the next smallest of v[0..n) (SIZE_MAX when n is 1). */
static void smallest(const events_key *v, size_t n, size_t *first, size_t *second)
{
	size_t a = 0, b = SIZE_MAX;
	for (size_t i = 1; i < n; i++)
		if (v[i] < v[a]) {
			b = a;
			a = i;
		} else if (b == SIZE_MAX || v[i] < v[b]) {
			b = i;
		}
	*first = a;
	*second = b;
}

/* The queue and its reference, with what went wrong. */
struct run {
	struct events q;
	events_key *ref;         /* the keys pending, unsorted */
	size_t n_ref, cap_ref;
	events_key min;          /* the smallest key pending, when n_ref > 0 */
	events_key last;         /* the last key popped */
	int popped;              /* a key has been popped */
	int64_t now;             /* the time of the last key popped, or the start */
	long wrong;              /* pops, tops or counts that differ from the scan */
	long behind;             /* pushes below the last key popped */
	long n_push, n_pop;
};

static void run_init(struct run *r, int64_t start)
{
	memset(r, 0, sizeof *r);
	events_init(&r->q, span_bits);
	r->now = start;
}

static void run_fini(struct run *r)
{
	events_fini(&r->q);
	free(r->ref);
}

static void run_push(struct run *r, events_key k)
{
	if (r->n_ref == r->cap_ref) {
		size_t cap = r->cap_ref ? 2 * r->cap_ref : 1024;
		events_key *v = realloc(r->ref, cap * sizeof *v);
		if (!v) {
			r->wrong++;
			return;
		}
		r->ref = v;
		r->cap_ref = cap;
	}
	r->behind += r->popped && k < r->last;
	r->wrong += events_push(&r->q, k) != 0;
	if (!r->n_ref || k < r->min)
		r->min = k;
	r->ref[r->n_ref++] = k;
	r->n_push++;
	r->wrong += r->q.n != r->n_ref || events_top(&r->q) != r->min;
}

static void run_pop(struct run *r)
{
	if (!r->n_ref)
		return;
	size_t b, next;
	smallest(r->ref, r->n_ref, &b, &next);
	events_key top = events_top(&r->q), got = events_pop(&r->q);
	r->wrong += top != r->ref[b] || got != r->ref[b];
	r->last = r->ref[b];
	r->popped = 1;
	r->now = events_time(r->last);
	if (next != SIZE_MAX)
		r->min = r->ref[next];
	r->ref[b] = r->ref[--r->n_ref];
	r->n_pop++;
	r->wrong += r->q.n != r->n_ref;
}

static void run_drain(struct run *r)
{
	while (r->n_ref)
		run_pop(r);
}

/* now + d, held at INT64_MAX. */
static int64_t later(int64_t now, int64_t d)
{
	return now > INT64_MAX - d ? INT64_MAX : now + d;
}

/* A low half for a key at time t that keeps the queue monotone. */
static uint64_t low_at(const struct run *r, int64_t t, uint64_t x)
{
	return r->popped && t == events_time(r->last) ? events_low(r->last) | x : x;
}

/* A delay: the same instant, within a bucket, a call or a backoff, near the
 * ring's horizon, beyond it, years ahead, or on a bucket or horizon edge. */
static int64_t delay_of(uint64_t x)
{
	const int64_t edge[] = { SPAN - 1, SPAN, SPAN + 1, 2 * SPAN, HORIZON - SPAN, HORIZON - 1,
	                                HORIZON, HORIZON + 1, HORIZON + SPAN, 2 * HORIZON };
	uint64_t y = x >> 8;
	switch (x % 10) {
	case 0: return 0;
	case 1: return (int64_t)(y % SPAN);
	case 2: case 3: return 300000 + (int64_t)(y % 29700000);
	case 4: return 500000 + (int64_t)(y % 1500000);
	case 5: return HORIZON / 2 + (int64_t)(y % HORIZON);
	case 6: return (int64_t)(y % ((uint64_t)HORIZON << 8));
	case 7: return (int64_t)(y % (UINT64_C(1) << 47)); /* up to 4.5 years */
	default: return edge[y % (sizeof edge / sizeof *edge)];
	}
}

/* Pushes one key at a random delay after the last pop, through either entry. */
static void run_push_random(struct run *r, uint64_t *s)
{
	uint64_t x = next_rand(s), low = next_rand(s);
	int64_t t = later(r->now, delay_of(x));
	run_push(r, events_key_of(t, low_at(r, t, low)));
}

static void run_check(struct run *r)
{
	CHECK_INT(r->wrong, 0);
	CHECK_INT(r->behind, 0);
	CHECK_INT(r->q.n, 0);
	CHECK_INT(r->n_push, r->n_pop);
}

static void events_key_order(void)
{
	/* times order as signed numbers, then the low half as unsigned */
	CHECK(events_key_of(-5, 0) < events_key_of(-4, 0));
	CHECK(events_key_of(-1, UINT64_MAX) < events_key_of(0, 0));
	CHECK(events_key_of(7, 1) < events_key_of(7, 2));
	CHECK(events_key_of(INT64_MIN, 0) < events_key_of(INT64_MAX, 0));
	CHECK_INT(events_time(events_key_of(-123456789, 42)), -123456789);
	CHECK_INT(events_low(events_key_of(-123456789, 42)), 42);
}

/* Random delays of every range; the queue grows to thousands, drains to empty and fills again. */
static void events_monotone_delays(void)
{
	static const int64_t start[] = { 0, -INT64_C(5000000000000), 1700000000000000, INT64_MIN / 2 };
	struct run r;
	uint64_t s = 7;
	for (size_t st = 0; st < sizeof start / sizeof *start; st++) {
		run_init(&r, start[st]);
		for (int round = 0; round < 3; round++) {
			size_t peak = round != 1 ? 1000 : st == 0 ? 5000 : 2500;
			while (r.n_ref < peak) /* fill, popping now and then */
				if (next_rand(&s) % 4)
					run_push_random(&r, &s);
				else
					run_pop(&r);
			for (int op = 0; op < 6000; op++) /* steady: one pop per push */
				if (next_rand(&s) & 1)
					run_push_random(&r, &s);
				else
					run_pop(&r);
			while (r.n_ref) /* drain, pushing now and then */
				if (next_rand(&s) % 4)
					run_pop(&r);
				else
					run_push_random(&r, &s);
		}
		run_check(&r);
		CHECK(r.q.far.cap > 0); /* keys went beyond the ring */
		run_fini(&r);
	}
}

/* Few distinct times, many low halves: ties at one instant and at bucket edges. */
static void events_equal_times(void)
{
	const int64_t step[] = { 0, 0, 0, 1, SPAN - 1, SPAN, HORIZON };
	struct run r;
	uint64_t s = 21;
	run_init(&r, -3 * SPAN - 5);
	for (int op = 0; op < 40000; op++) {
		uint64_t x = next_rand(&s);
		if ((x % 3 == 0 && r.n_ref) || r.n_ref == 2000) {
			run_pop(&r);
			continue;
		}
		int64_t t = later(r.now, step[(x >> 8) % (sizeof step / sizeof *step)]);
		run_push(&r, events_key_of(t, low_at(&r, t, next_rand(&s) >> (x >> 16 & 63))));
	}
	run_drain(&r);
	run_check(&r);
	run_fini(&r);
}

/* Many keys at one instant, the current one, a later one in the ring or one
 * beyond it, in a new queue each time: around the bucket's room in place and
 * its multiples, and thousands. */
static void events_bursts(void)
{
	static const int size[] = { 2, 7, 8, 9, 16, 17, 63, 64, 65, 72, 73, 129, 2000 };
	const int64_t ahead[] = { 0, SPAN * 3 + 17, HORIZON * 5 + 3 };
	uint64_t s = 33;
	for (size_t z = 0; z < sizeof size / sizeof *size; z++)
		for (int i = 0; i < 3; i++)
			for (int order = 0; order < 3; order++) {
				struct run r;
				run_init(&r, -1000);
				run_push(&r, events_key_of(r.now, 0)); /* the current instant */
				int64_t at = later(r.now, ahead[i]);
				for (int j = 0; j < size[z]; j++) {
					/* rising, falling or random low halves */
					uint64_t x = next_rand(&s);
					uint64_t low = order == 0 ? (uint64_t)j << 20 : order == 1 ? (uint64_t)(size[z] - j) << 20 : x;
					run_push(&r, events_key_of(at, low_at(&r, at, low)));
					if (i == 0 && x % 16 == 0) /* pops among pushes at the current instant */
						run_pop(&r);
				}
				run_drain(&r);
				run_check(&r);
				if (size[z] == 2000 && i == 1)
					CHECK(r.q.n_pool >= 2048); /* the bucket overflowed to a list, the pool grew */
				run_fini(&r);
			}
}

/* The extremes of time: from INT64_MIN across zero to INT64_MAX, random work at each sixteenth. */
static void events_extreme_times(void)
{
	struct run r;
	uint64_t s = 45;
	run_init(&r, INT64_MIN);
	for (int seg = 0; seg <= 16; seg++) {
		/* a key at the segment's start, everything up to it popped */
		int64_t at = seg == 16 ? INT64_MAX : INT64_MIN / 8 * (8 - seg);
		events_key k = events_key_of(at, low_at(&r, at, next_rand(&s)));
		run_push(&r, k);
		while (r.n_ref && !(r.popped && r.last == k))
			run_pop(&r);
		for (int op = 0; op < 1500; op++)
			if (next_rand(&s) % 3 == 0)
				run_pop(&r);
			else
				run_push_random(&r, &s);
	}
	for (int i = 0; i < 500; i++) /* at the end of time */
		run_push(&r, events_key_of(INT64_MAX, low_at(&r, INT64_MAX, next_rand(&s))));
	run_drain(&r);
	run_check(&r);
	CHECK_INT(r.now, INT64_MAX);
	run_fini(&r);
}

/* A few keys at a time, whole buckets apart, around the ring's first and
 * last buckets and just beyond it: a far key must come into the ring before
 * time passes it, however far the next bucket in use lies. */
static void events_ring_edges(void)
{
	static const int64_t buckets[] = { 0, 1, 2, 3, EVENTS_RING - 3, EVENTS_RING - 2, EVENTS_RING - 1,
	                                   EVENTS_RING, EVENTS_RING + 1, EVENTS_RING + 2, 2 * EVENTS_RING - 1,
	                                   2 * EVENTS_RING, 2 * EVENTS_RING + 1 };
	struct run r;
	uint64_t s = 71;
	run_init(&r, -5 * SPAN);
	for (int op = 0; op < 60000; op++) {
		uint64_t x = next_rand(&s);
		if ((x % 5 < 2 && r.n_ref) || r.n_ref == 6) {
			run_pop(&r);
			continue;
		}
		/* whole buckets from the start of the last pop's bucket, then a little */
		int64_t base = r.now - (r.now % SPAN + SPAN) % SPAN;
		int64_t t = later(base, buckets[(x >> 8) % (sizeof buckets / sizeof *buckets)] * SPAN +
		                        (int64_t)(x >> 32 & 3) * (SPAN / 4));
		if (t < r.now)
			t = r.now;
		run_push(&r, events_key_of(t, low_at(&r, t, next_rand(&s))));
	}
	run_drain(&r);
	run_check(&r);
	run_fini(&r);
}

/* A queue that empties again and again, the next key any distance after the last one popped. */
static void events_empty_refill(void)
{
	struct run r;
	uint64_t s = 57;
	run_init(&r, -HORIZON);
	for (int round = 0; round < 3000; round++) {
		int n = (int)(next_rand(&s) % 5) + 1;
		for (int i = 0; i < n; i++)
			run_push_random(&r, &s);
		run_drain(&r);
		CHECK_INT(r.q.n, 0);
	}
	run_check(&r);
	run_fini(&r);
}

/* Keys below the last one popped, which the replay never pushes: still popped in order. */
static void events_not_monotone(void)
{
	struct run r;
	uint64_t s = 11;
	int64_t last_ordered = 0;
	run_init(&r, 0);
	for (int op = 0; op < 30000; op++) {
		uint64_t x = next_rand(&s);
		if ((x % 3 == 0 && r.n_ref) || r.n_ref == 2000) {
			run_pop(&r);
			continue;
		}
		if (x >> 8 & 1) { /* mostly rising times, now and then one that is not */
			last_ordered += (int64_t)(x >> 16 & 7) - (x >> 24 & 15 ? 0 : 9);
			run_push(&r, events_key_of(last_ordered, x >> 32));
		} else {
			/* around the last pop: a little before it, at it, after it, a bucket or more before */
			int64_t d = (int64_t)(x >> 16 & 63) - 8 - (x >> 40 & 7 ? 0 : (int64_t)(x >> 44 & 3) * SPAN);
			run_push(&r, events_key_of(r.now + d, next_rand(&s)));
		}
	}
	run_drain(&r);
	CHECK_INT(r.wrong, 0);
	CHECK(r.behind > 0);
	CHECK(r.q.late.cap > 0); /* some waited in the late heap */
	CHECK_INT(r.q.n, 0);
	run_fini(&r);
}

/* The span for a trace's density: the widest whose bucket holds at most 2.5 events. */
static void events_span_for_density(void)
{
	/* 10^7 over a week: 2.5 × 604800 × 10^6 = 1.512 × 10^12 µs·events; 10^7 × 2^17 = 1.311 × 10^12
	 * fits, 10^7 × 2^18 = 2.621 × 10^12 does not */
	CHECK_INT(events_span_bits(10000000, INT64_C(604800000000)), 17);
	/* 10^6 over 560699 s: 2.5 × 5.607 × 10^11 = 1.402 × 10^12; 10^6 × 2^20 = 1.049 × 10^12 fits,
	 * 10^6 × 2^21 = 2.097 × 10^12 does not */
	CHECK_INT(events_span_bits(1000000, INT64_C(560699000000)), 20);
	CHECK_INT(events_span_bits(0, 0), 24);           /* no events: the widest */
	CHECK_INT(events_span_bits(1, 1000000000000), 24); /* one in 11 days: the widest */
	CHECK_INT(events_span_bits(1000000, 1000), 10);  /* a burst: the narrowest */
}

void suite_events(void)
{
	RUN(events_key_order);
	RUN(events_span_for_density);
	for (int k = 0; k < 2; k++) {
		span_bits = k ? 20 : EVENTS_SPAN_BITS;
		RUN(events_monotone_delays);
		RUN(events_equal_times);
		RUN(events_bursts);
		RUN(events_extreme_times);
		RUN(events_ring_edges);
		RUN(events_empty_refill);
		RUN(events_not_monotone);
	}
}
