/*
 * The event queue against a plain reference: random keys pushed to the heap or
 * the ordered lane, pops interleaved, must come out as the smallest pending key
 * each time, the one an exhaustive scan of the pending keys finds.
 */
#include <stdlib.h>

#include "sim/events.h"
#include "tests/test.h"

static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The index of the smallest of v[0..n). */
static size_t smallest(const events_key *v, size_t n)
{
	size_t best = 0;
	for (size_t i = 1; i < n; i++)
		if (v[i] < v[best])
			best = i;
	return best;
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

static void events_random_vs_scan(void)
{
	enum { N_OPS = 20000 };
	struct events q;
	events_key *ref = malloc(N_OPS * sizeof *ref);
	size_t n_ref = 0;
	uint64_t s = 11;
	int64_t clock = 0, last_ordered = 0;
	int wrong = 0;
	events_init(&q);
	for (int op = 0; op < N_OPS && ref; op++) {
		uint64_t r = next_rand(&s);
		if (r % 3 != 0 || n_ref == 0) {
			events_key k;
			if (r >> 8 & 1) { /* the lane: mostly rising times, now and then one that is not */
				last_ordered += (int64_t)(r >> 16 & 7) - (r >> 24 & 15 ? 0 : 9);
				k = events_key_of(last_ordered, r >> 32);
				CHECK_INT(events_push_ordered(&q, k), 0);
			} else {
				k = events_key_of(clock + (int64_t)(r >> 16 & 63), r >> 32);
				CHECK_INT(events_push(&q, k), 0);
			}
			ref[n_ref++] = k;
		} else {
			size_t b = smallest(ref, n_ref);
			events_key top = events_top(&q), got = events_pop(&q);
			wrong += top != ref[b] || got != ref[b];
			clock = events_time(got);
			ref[b] = ref[--n_ref];
		}
		wrong += q.n != n_ref;
	}
	while (n_ref && ref) {
		size_t b = smallest(ref, n_ref);
		wrong += events_pop(&q) != ref[b];
		ref[b] = ref[--n_ref];
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(q.n, 0);
	CHECK(q.cap_lane > 0 && q.cap > 0); /* both the lane and the heap were used */
	events_fini(&q);
	free(ref);
}

void suite_events(void)
{
	RUN(events_key_order);
	RUN(events_random_vs_scan);
}
