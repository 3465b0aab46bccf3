/*
 * Tests of the response cache (sim/cache.c): hits, misses, expiry at the
 * exact instant and eviction order worked out by hand, then a randomized
 * comparison with a naive cache (an array scanned linearly, written from the
 * SPEC's words) over 100k operations per configuration, both policies, with
 * and without TTLs: with no TTL the naive cache is a textbook LRU/FIFO.
 */
#include <stdlib.h>

#include "sim/cache.h"
#include "tests/test.h"

static struct cache_key K(uint32_t tenant, uint32_t task, uint32_t text)
{
	return (struct cache_key){ tenant, task, text };
}

static struct cache_value V(uint64_t tok, int64_t pusd)
{
	return (struct cache_value){ tok, pusd };
}

static int hit(struct cache *c, struct cache_key k, int64_t now)
{
	return cache_lookup(c, &k, now, NULL);
}

static void put(struct cache *c, struct cache_key k, uint64_t tok, int64_t ttl, int64_t now)
{
	struct cache_value v = V(tok, (int64_t)tok * 1000);
	CHECK_INT(cache_insert(c, &k, &v, ttl, now), 0);
}

static const struct cache_policy *policy(const char *name)
{
	struct err e;
	return cache_policy_find(name, &e);
}

static void cache_hit_and_miss(void)
{
	struct cache c;
	struct err e;
	struct cache_value v = V(0, 0);
	CHECK_INT(cache_init(&c, policy("lru"), 0, 16, &e), 0);
	CHECK_INT(hit(&c, K(1, 2, 3), 0), 0);
	put(&c, K(1, 2, 3), 1500, CACHE_NO_TTL, 0);
	struct cache_key k = K(1, 2, 3);
	CHECK_INT(cache_lookup(&c, &k, 5, &v), 1);
	CHECK_INT(v.saved_tok, 1500);
	CHECK_INT(v.saved_pusd, 1500000);
	/* keys differing in one part are different entries */
	CHECK_INT(hit(&c, K(0, 2, 3), 5), 0);
	CHECK_INT(hit(&c, K(1, 0, 3), 5), 0);
	CHECK_INT(hit(&c, K(1, 2, 4), 5), 0);
	/* a text id and an input_hash id with the same number never match */
	put(&c, K(0, 0, CACHE_TEXT_INPUT(7)), 1, CACHE_NO_TTL, 6);
	CHECK_INT(hit(&c, K(0, 0, CACHE_TEXT_HASH(7)), 6), 0);
	put(&c, K(0, 0, CACHE_TEXT_HASH(7)), 2, CACHE_NO_TTL, 6);
	k = K(0, 0, CACHE_TEXT_INPUT(7));
	CHECK_INT(cache_lookup(&c, &k, 6, &v), 1);
	CHECK_INT(v.saved_tok, 1);
	k = K(0, 0, CACHE_TEXT_HASH(7));
	CHECK_INT(cache_lookup(&c, &k, 6, &v), 1);
	CHECK_INT(v.saved_tok, 2);
	CHECK_INT(c.n_entries, 3);
	cache_fini(&c);
}

static void cache_expiry_at_the_instant(void)
{
	struct cache c;
	struct err e;
	CHECK_INT(cache_init(&c, policy("lru"), 0, 16, &e), 0);
	/* answered at 100 with a TTL of 100: expires at 200 */
	put(&c, K(0, 0, 1), 10, 100, 100);
	CHECK_INT(hit(&c, K(0, 0, 1), 199), 1);
	CHECK_INT(hit(&c, K(0, 0, 1), 200), 0);
	CHECK_INT(c.n_entries, 0); /* gone, not just hidden */
	CHECK_INT(hit(&c, K(0, 0, 1), 200), 0);
	/* an answer with a TTL of 0 stores nothing and drops the old one */
	put(&c, K(0, 0, 2), 10, CACHE_NO_TTL, 300);
	put(&c, K(0, 0, 2), 10, 0, 300);
	CHECK_INT(hit(&c, K(0, 0, 2), 300), 0);
	CHECK_INT(c.n_entries, 0);
	/* a replacement takes the new expiry, later or earlier: stored at 400 with
	 * TTL 100 (expiry 500), at 450 with TTL 450 (expiry 900), at 800 with
	 * TTL 50 (expiry 850) */
	put(&c, K(0, 0, 3), 1, 100, 400);
	put(&c, K(0, 0, 3), 2, 450, 450);
	CHECK_INT(hit(&c, K(0, 0, 3), 800), 1);
	put(&c, K(0, 0, 3), 3, 50, 800);
	CHECK_INT(hit(&c, K(0, 0, 3), 849), 1);
	CHECK_INT(hit(&c, K(0, 0, 3), 850), 0);
	/* the same through a replacement that removes the TTL */
	put(&c, K(0, 0, 4), 4, 10, 900);
	put(&c, K(0, 0, 4), 5, CACHE_NO_TTL, 905);
	CHECK_INT(hit(&c, K(0, 0, 4), 100000), 1);
	cache_fini(&c);
}

/* Capacity 2: an entry expiring at t stops counting at t, so an insert at t evicts nothing. */
static void cache_expired_entries_free_capacity(void)
{
	struct cache c;
	struct err e;
	CHECK_INT(cache_init(&c, policy("lru"), 2, 16, &e), 0);
	put(&c, K(0, 0, 1), 1, 100, 0);          /* a: TTL 100 at 0, expires at 100 */
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 0);  /* b */
	put(&c, K(0, 0, 3), 3, CACHE_NO_TTL, 100); /* c: a is expired, so b stays */
	CHECK_INT(hit(&c, K(0, 0, 2), 100), 1);
	CHECK_INT(hit(&c, K(0, 0, 3), 100), 1);
	CHECK_INT(c.n_entries, 2);
	cache_fini(&c);

	CHECK_INT(cache_init(&c, policy("lru"), 2, 16, &e), 0);
	put(&c, K(0, 0, 1), 1, 100, 0);
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 0);
	put(&c, K(0, 0, 3), 3, CACHE_NO_TTL, 99); /* a still live at 99: the LRU victim a goes */
	CHECK_INT(hit(&c, K(0, 0, 1), 99), 0);
	CHECK_INT(hit(&c, K(0, 0, 2), 99), 1);
	CHECK_INT(hit(&c, K(0, 0, 3), 99), 1);
	cache_fini(&c);
}

/* Capacity 3: insert a b c, hit a, insert d.  LRU order (front first) is
 * a c b, so b goes; FIFO order is c b a, so a goes. */
static void cache_eviction_order(void)
{
	struct cache c;
	struct err e;
	static const char *const names[2] = { "lru", "fifo" };
	static const uint32_t evicted[2] = { 2, 1 };
	for (int p = 0; p < 2; p++) {
		CHECK_INT(cache_init(&c, policy(names[p]), 3, 16, &e), 0);
		for (uint32_t k = 1; k <= 3; k++)
			put(&c, K(0, 0, k), k, CACHE_NO_TTL, k);
		CHECK_INT(hit(&c, K(0, 0, 1), 4), 1);
		put(&c, K(0, 0, 4), 4, CACHE_NO_TTL, 5);
		for (uint32_t k = 1; k <= 4; k++)
			CHECK_INT(hit(&c, K(0, 0, k), 6), k != evicted[p]);
		cache_fini(&c);
	}
}

/* Capacity 2: insert a b, replace a, insert c.  LRU moved a to the front, so
 * b goes; FIFO kept a in its place, so a goes.  The new value is kept. */
static void cache_replace_order(void)
{
	struct cache c;
	struct err e;
	struct cache_value v;
	struct cache_key a = K(0, 0, 1);
	CHECK_INT(cache_init(&c, policy("lru"), 2, 16, &e), 0);
	put(&c, a, 1, CACHE_NO_TTL, 0);
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 0);
	put(&c, a, 11, CACHE_NO_TTL, 1);
	put(&c, K(0, 0, 3), 3, CACHE_NO_TTL, 2);
	CHECK_INT(cache_lookup(&c, &a, 3, &v), 1);
	CHECK_INT(v.saved_tok, 11);
	CHECK_INT(v.saved_pusd, 11000);
	CHECK_INT(hit(&c, K(0, 0, 2), 3), 0);
	cache_fini(&c);

	CHECK_INT(cache_init(&c, policy("fifo"), 2, 16, &e), 0);
	put(&c, a, 1, CACHE_NO_TTL, 0);
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 0);
	put(&c, a, 11, CACHE_NO_TTL, 1);
	put(&c, K(0, 0, 3), 3, CACHE_NO_TTL, 2);
	CHECK_INT(hit(&c, a, 3), 0);
	CHECK_INT(hit(&c, K(0, 0, 2), 3), 1);
	CHECK_INT(hit(&c, K(0, 0, 3), 3), 1);
	cache_fini(&c);

	/* FIFO: an answer for a key whose entry has expired is a new insert at
	 * the front, not a replacement in the old place.  a (expires 10), b; at 10
	 * a again; then c evicts b, the oldest. */
	CHECK_INT(cache_init(&c, policy("fifo"), 2, 16, &e), 0);
	put(&c, a, 1, 10, 0); /* expires at 10 */
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 1);
	put(&c, a, 3, CACHE_NO_TTL, 10);
	put(&c, K(0, 0, 3), 4, CACHE_NO_TTL, 11);
	CHECK_INT(hit(&c, a, 12), 1);
	CHECK_INT(hit(&c, K(0, 0, 2), 12), 0);
	cache_fini(&c);
}

static void cache_pool_and_registry(void)
{
	struct cache c;
	struct err e = { "" };
	struct cache_value v = V(1, 1);
	struct cache_key k3 = K(0, 0, 3);
	/* unbounded, 2 distinct keys promised: a third is refused and changes nothing */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 2, &e), 0);
	put(&c, K(0, 0, 1), 1, CACHE_NO_TTL, 0);
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 0);
	CHECK_INT(cache_insert(&c, &k3, &v, CACHE_NO_TTL, 0), -1);
	CHECK_INT(hit(&c, K(0, 0, 1), 0) + hit(&c, K(0, 0, 2), 0) + hit(&c, k3, 0), 2);
	cache_fini(&c);
	/* 8 distinct TTLs are accepted; a 9th is refused and stores nothing */
	CHECK_INT(cache_init(&c, policy("fifo"), 100, 100, &e), 0);
	for (uint32_t i = 1; i <= CACHE_TTL_CLASSES; i++)
		put(&c, K(0, 0, i), i, 1000 * i, 0);
	CHECK_INT(cache_insert(&c, &k3, &v, 1000, 1), 0); /* an existing TTL */
	struct cache_key k99 = K(0, 0, 99);
	CHECK_INT(cache_insert(&c, &k99, &v, 7, 1), -1);
	CHECK_INT(hit(&c, k99, 1), 0);
	CHECK_INT(cache_insert(&c, &k99, &v, CACHE_NO_TTL, 1), 0);
	cache_fini(&c);
	cache_fini(&c);   /* twice is fine */
	cache_fini(NULL);

	CHECK(policy("lru") == cache_policies[0]);
	CHECK(policy("fifo") != NULL);
	CHECK_STR(cache_policies[1]->name, "fifo");
	CHECK(cache_policy_find("LRU", &e) == NULL);
	CHECK_STR(e.msg, "unknown cache eviction \"LRU\" (expected one of: lru, fifo)");
	CHECK_INT(cache_init(&c, policy("lru"), 0, (1u << 30) + 1, &e), -1);
}

/* ---- the naive reference: an array scanned linearly, following the SPEC's words ---- */

struct naive_entry {
	struct cache_key key;
	struct cache_value value;
	int64_t expiry;
	uint64_t stamp; /* LRU: last use; FIFO: insertion */
};

struct naive {
	int lru;
	uint64_t capacity, clock;
	struct naive_entry *e;
	size_t n;
};

static int naive_find(const struct naive *nv, const struct cache_key *k)
{
	for (size_t i = 0; i < nv->n; i++)
		if (nv->e[i].key.tenant == k->tenant && nv->e[i].key.task == k->task &&
		    nv->e[i].key.text == k->text)
			return (int)i;
	return -1;
}

static void naive_delete(struct naive *nv, size_t i)
{
	nv->e[i] = nv->e[--nv->n];
}

static int naive_lookup(struct naive *nv, const struct cache_key *k, int64_t now, struct cache_value *out)
{
	int i = naive_find(nv, k);
	if (i < 0)
		return 0;
	if (nv->e[i].expiry <= now) {
		naive_delete(nv, (size_t)i);
		return 0;
	}
	if (nv->lru)
		nv->e[i].stamp = ++nv->clock;
	*out = nv->e[i].value;
	return 1;
}

static void naive_insert(struct naive *nv, const struct cache_key *k, const struct cache_value *v,
			 int64_t ttl, int64_t now)
{
	int64_t expiry = ttl == CACHE_NO_TTL ? INT64_MAX : now + ttl;
	for (size_t i = 0; i < nv->n;) /* expired entries are gone */
		if (nv->e[i].expiry <= now)
			naive_delete(nv, i);
		else
			i++;
	int i = naive_find(nv, k);
	if (i >= 0) {
		if (expiry <= now) {
			naive_delete(nv, (size_t)i);
			return;
		}
		nv->e[i].value = *v;
		nv->e[i].expiry = expiry;
		if (nv->lru)
			nv->e[i].stamp = ++nv->clock;
		return;
	}
	if (expiry <= now)
		return;
	if (nv->capacity && nv->n >= nv->capacity) {
		size_t victim = 0;
		for (size_t j = 1; j < nv->n; j++)
			if (nv->e[j].stamp < nv->e[victim].stamp)
				victim = j;
		naive_delete(nv, victim);
	}
	nv->e[nv->n++] = (struct naive_entry){ *k, *v, expiry, ++nv->clock };
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A key among n_keys distinct ones, skewed toward small numbers so that hits happen. */
static struct cache_key random_key(uint64_t *s, uint32_t n_keys)
{
	uint32_t r = (uint32_t)(rng_next(s) % n_keys);
	if (rng_next(s) & 1)
		r = (uint32_t)(rng_next(s) % (r + 1));
	/* the key parts of key number r: tenant r % 3, task (r / 3) % 2, text r / 6
	 * as an input id or (for odd r / 6) an input_hash id */
	uint32_t t = r / 6;
	return K(r % 3, (r / 3) % 2, t & 1 ? CACHE_TEXT_HASH(t) : CACHE_TEXT_INPUT(t));
}

/*
 * n_ops random operations on both caches: lookups, and inserts either right
 * after a miss (answers taking no time) or at some later instant; time
 * advances by 0–3 µs per operation; TTLs (when ttl_max > 0) are one of
 * ttl_max / 8 + 1, ttl_max / 2 + 1 and ttl_max (one per model tier, say), or none.  Every lookup's outcome and value, and the number of entries
 * held, must agree.
 */
static int compare_with_naive(const char *pname, uint64_t capacity, uint32_t n_keys, int64_t ttl_max,
			      int n_ops, uint64_t seed)
{
	struct cache c;
	struct err e;
	struct naive nv = { .lru = strcmp(pname, "lru") == 0, .capacity = capacity };
	uint64_t s = seed;
	int64_t now = 0;
	int mismatches = 0, hits = 0;

	nv.e = calloc(n_keys, sizeof *nv.e);
	if (!nv.e || cache_init(&c, policy(pname), capacity, n_keys, &e) != 0) {
		free(nv.e);
		TEST_FAIL_("%s", "setup failed");
		return 1;
	}
	for (int op = 0; op < n_ops && mismatches < 5; op++) {
		struct cache_key k = random_key(&s, n_keys);
		struct cache_value v = V(rng_next(&s) % 100000, (int64_t)(rng_next(&s) % 1000000000)), a, b;
		int64_t ttl = CACHE_NO_TTL;
		const int64_t ttls[3] = { ttl_max / 8 + 1, ttl_max / 2 + 1, ttl_max };
		uint64_t r = rng_next(&s);
		now += (int64_t)(r % 4);
		if (ttl_max > 0 && (r >> 8) % 5 != 0)
			ttl = ttls[(r >> 16) % 3];
		if ((r >> 40) % 3 != 0) {
			int ha = cache_lookup(&c, &k, now, &a), hb = naive_lookup(&nv, &k, now, &b);
			hits += hb;
			if (ha != hb || (ha && (a.saved_tok != b.saved_tok || a.saved_pusd != b.saved_pusd)))
				mismatches++;
			if (!hb && (r >> 50) % 2 == 0) { /* the answer arrives at once */
				CHECK_INT(cache_insert(&c, &k, &v, ttl, now), 0);
				naive_insert(&nv, &k, &v, ttl, now);
			}
		} else {
			CHECK_INT(cache_insert(&c, &k, &v, ttl, now), 0);
			naive_insert(&nv, &k, &v, ttl, now);
		}
		if (c.n_entries != nv.n)
			mismatches++;
		if (capacity && nv.n > capacity)
			mismatches++;
	}
	if (mismatches)
		TEST_FAIL_("%s capacity %llu keys %u ttl %lld: %d mismatches", pname,
			   (unsigned long long)capacity, n_keys, (long long)ttl_max, mismatches);
	if (hits == 0)
		TEST_FAIL_("%s capacity %llu: no hits, the test exercises nothing", pname,
			   (unsigned long long)capacity);
	cache_fini(&c);
	free(nv.e);
	return mismatches;
}

static void cache_random_vs_naive_no_ttl(void)
{
	static const uint64_t caps[] = { 1, 7, 50, 0 };
	for (int p = 0; p < 2; p++)
		for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
			compare_with_naive(p ? "fifo" : "lru", caps[i], 120, 0, 100000, 1000 + i);
	/* a larger key space: probe runs and deletions in a bigger table */
	compare_with_naive("lru", 300, 3000, 0, 100000, 7);
	compare_with_naive("fifo", 300, 3000, 0, 100000, 8);
	/* thousands of entries held: the table doubles from its first 1024 buckets, several times */
	compare_with_naive("lru", 2500, 6000, 0, 40000, 11);
	compare_with_naive("fifo", 0, 6000, 0, 40000, 12);
}

static void cache_random_vs_naive_ttl(void)
{
	static const uint64_t caps[] = { 1, 7, 50, 0 };
	for (int p = 0; p < 2; p++)
		for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
			compare_with_naive(p ? "fifo" : "lru", caps[i], 120, 40, 100000, 2000 + i);
	compare_with_naive("lru", 300, 3000, 400, 100000, 9);
	compare_with_naive("fifo", 0, 3000, 400, 100000, 10);
}

void suite_cache(void)
{
	RUN(cache_hit_and_miss);
	RUN(cache_expiry_at_the_instant);
	RUN(cache_expired_entries_free_capacity);
	RUN(cache_eviction_order);
	RUN(cache_replace_order);
	RUN(cache_pool_and_registry);
	RUN(cache_random_vs_naive_no_ttl);
	RUN(cache_random_vs_naive_ttl);
}
