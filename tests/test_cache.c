/*
 * Tests of the response cache (sim/cache.c): hits, misses, expiry at the
 * exact instant and eviction order worked out by hand, then a randomized
 * comparison with a naive cache (an array scanned linearly, written from the
 * SPEC's words) over 100k operations per configuration, both policies, with
 * and without TTLs: with no TTL the naive cache is a textbook LRU/FIFO.  Then
 * what lazily dropped ring records can get wrong (a stale record expiring a
 * newer entry or a reused slot, order records left by hits), worked out by
 * hand, and a longer comparison with the naive cache over more of them.
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
	/* thousands of entries held: the table doubles from its first 128 groups, twice */
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

/* No group counts a key held past it (every key held is in its home group). */
static void check_nothing_passed(const struct cache *c)
{
	for (uint32_t g = 0; g <= c->mask; g++)
		CHECK_INT(c->group[g].passed, 0);
}

/*
 * Keys that share a home group: the first twelve fill it, the next ones go to
 * the groups after it, and each group they pass counts them, so that a lookup
 * goes on past a full group and stops at the first group nothing passed.
 * Removing keys from the home group leaves the ones further on findable, and
 * once all are gone no group counts a key that passed it.
 */
static void cache_full_groups(void)
{
	struct cache c;
	struct err e;
	struct cache_key k[40];
	/* 64 keys at most: the table is 16 groups (16 × 12 ≥ 2 × 64), none grows */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 64, &e), 0);
	CHECK_INT(c.mask, 15);
	for (uint32_t n = 0, text = 1; n < 40; text++)
		if ((cache_key_hash(&(struct cache_key){ 0, 0, text }) & 15) == 3)
			k[n++] = K(0, 0, text);
	for (int i = 0; i < 40; i++)
		put(&c, k[i], (uint64_t)i + 1, CACHE_NO_TTL, 0);
	/* 40 keys homed at group 3: 12 there, 12 in 4, 12 in 5, 4 in 6 */
	CHECK_INT(c.group[3].passed, 28);
	CHECK_INT(c.group[4].passed, 16);
	CHECK_INT(c.group[5].passed, 4);
	CHECK_INT(c.group[6].passed, 0);
	for (int i = 0; i < 40; i++)
		CHECK_INT(hit(&c, k[i], 1), 1);
	/* a TTL of 0 removes: the first twelve leave group 3, the others are still found */
	for (int i = 0; i < 12; i++)
		put(&c, k[i], 1, 0, 2);
	CHECK_INT(c.n_entries, 28);
	for (int i = 0; i < 40; i++)
		CHECK_INT(hit(&c, k[i], 3), i >= 12);
	/* an answer for one of them again: it goes home, to group 3, and passes nothing */
	put(&c, k[0], 7, CACHE_NO_TTL, 4);
	CHECK_INT(c.group[3].passed, 28);
	for (int i = 1; i < 40; i++)
		put(&c, k[i], 1, 0, 5);
	put(&c, k[0], 1, 0, 5);
	CHECK_INT(c.n_entries, 0);
	check_nothing_passed(&c);
	cache_fini(&c);
}

/* The keys the table holds: its slots with a tag. */
static uint32_t tags_held(const struct cache *c)
{
	uint32_t n = 0;
	for (uint32_t g = 0; g <= c->mask; g++)
		for (int s = 0; s < CACHE_GROUP_SLOTS; s++)
			n += c->group[g].tag[s] != 0;
	return n;
}

/*
 * Ring records remember where their entry was put, and the table doubling
 * moves every entry: records made before it must still remove their own
 * entry, found by its key, and no other slot.  The table starts at 128 groups
 * (1,536 slots) and doubles at 768 keys held.
 */
static void cache_places_after_doubling(void)
{
	struct cache c;
	struct err e;
	/* expiries: 1,000 keys of TTL 10 at 0, the table doubles after 768; all go at 20 */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 100000, &e), 0);
	CHECK_INT(c.mask, 127);
	for (uint32_t i = 0; i < 1000; i++)
		put(&c, K(1, 0, i), 1, 10, 0);
	CHECK_INT(c.mask, 255);
	put(&c, K(2, 0, 0), 1, CACHE_NO_TTL, 20);
	CHECK_INT(c.n_entries, 1);
	CHECK_INT(tags_held(&c), 1);
	check_nothing_passed(&c);
	CHECK_INT(hit(&c, K(2, 0, 0), 21), 1);
	cache_fini(&c);

	/* evictions: capacity 1,000, keys 0 … 999 then 1,000 … 1,299 evict 0 … 299 (LRU) */
	CHECK_INT(cache_init(&c, policy("lru"), 1000, 100000, &e), 0);
	for (uint32_t i = 0; i < 1300; i++)
		put(&c, K(1, 0, i), 1, CACHE_NO_TTL, i);
	CHECK_INT(c.n_entries, 1000);
	CHECK_INT(tags_held(&c), 1000);
	for (uint32_t i = 0; i < 1300; i++)
		CHECK_INT(hit(&c, K(1, 0, i), 2000), i >= 300);
	cache_fini(&c);
}

/* ---- lazily dropped records ---- */

/*
 * Expiry records are never unlinked: a record left by an entry that has since
 * been replaced, evicted or removed must not expire the key's newer entry, nor
 * another key's entry that reuses the slot.
 */
static void cache_stale_ttl_records(void)
{
	struct cache c;
	struct err e;
	struct cache_value v;
	struct cache_key a = K(1, 0, 1);

	/* replaced with a later expiry: the record of 100 passes, the entry stays until 1050 */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 16, &e), 0);
	put(&c, a, 1, 100, 0);
	put(&c, a, 2, 1000, 50);
	put(&c, K(0, 0, 9), 9, CACHE_NO_TTL, 100); /* an insert at 100 pops a's first record */
	CHECK_INT(cache_lookup(&c, &a, 100, &v), 1);
	CHECK_INT(v.saved_tok, 2);
	CHECK_INT(hit(&c, a, 1049), 1);
	CHECK_INT(c.n_entries, 2);
	CHECK_INT(hit(&c, a, 1050), 0);
	CHECK_INT(c.n_entries, 1);
	cache_fini(&c);

	/* evicted, and its slot taken by another key: the record of 100 leaves b alone */
	for (int p = 0; p < 2; p++) {
		CHECK_INT(cache_init(&c, policy(p ? "fifo" : "lru"), 1, 16, &e), 0);
		put(&c, a, 1, 100, 0);
		put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 10); /* evicts a */
		CHECK_INT(hit(&c, a, 10), 0);
		put(&c, K(0, 0, 2), 3, CACHE_NO_TTL, 120); /* a replacement; the purge pops a's record */
		CHECK_INT(c.n_entries, 1);
		CHECK_INT(hit(&c, K(0, 0, 2), 5000), 1);
		cache_fini(&c);
	}

	/* removed on expiry, then stored again (in the same slot) with a later expiry:
	 * stored at 0 to expire at 1000, replaced at 500 to expire at 600, gone at 600,
	 * stored at 600 to expire at 1600 */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 16, &e), 0);
	put(&c, a, 1, 1000, 0);
	put(&c, a, 2, 100, 500);
	CHECK_INT(hit(&c, a, 600), 0);
	CHECK_INT(c.n_entries, 0);
	put(&c, a, 3, 1000, 600);
	put(&c, K(0, 0, 9), 9, CACHE_NO_TTL, 1000); /* pops the record of 1000 */
	CHECK_INT(cache_lookup(&c, &a, 1599, &v), 1);
	CHECK_INT(v.saved_tok, 3);
	put(&c, K(0, 0, 8), 8, CACHE_NO_TTL, 1600); /* pops the record of 1600: a goes */
	CHECK_INT(c.n_entries, 2);
	CHECK_INT(hit(&c, a, 1600), 0);
	cache_fini(&c);

	/* two TTLs giving one expiry: stored at 0 with 3600, again at 2700 with 900 */
	CHECK_INT(cache_init(&c, policy("fifo"), 0, 16, &e), 0);
	put(&c, a, 1, 3600, 0);
	put(&c, a, 2, 900, 2700);
	CHECK_INT(hit(&c, a, 3599), 1);
	put(&c, K(0, 0, 9), 9, CACHE_NO_TTL, 3600);
	CHECK_INT(c.n_entries, 1);
	CHECK_INT(hit(&c, a, 3600), 0);
	cache_fini(&c);

	/* dropped by a TTL of 0 and stored again: the old record, expiring later, passes */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 16, &e), 0);
	put(&c, a, 1, 500, 0);
	put(&c, a, 0, 0, 10);
	put(&c, a, 2, 1000, 20);
	put(&c, K(0, 0, 9), 9, CACHE_NO_TTL, 500);
	CHECK_INT(hit(&c, a, 1019), 1);
	CHECK_INT(hit(&c, a, 1020), 0);
	cache_fini(&c);
}

/* Everything expired at or before an insert's instant is gone after it, however many. */
static void cache_expiry_burst(void)
{
	struct cache c;
	struct err e;
	CHECK_INT(cache_init(&c, policy("lru"), 60, 100, &e), 0);
	for (uint32_t i = 0; i < 50; i++) /* key i stored at i, expires at 100 + i */
		put(&c, K(0, 0, i), i, 100, i);
	put(&c, K(0, 0, 70), 70, 30, 130); /* expires at 160; keys 0..30 are gone */
	CHECK_INT(c.n_entries, 19 + 1);
	CHECK_INT(hit(&c, K(0, 0, 30), 130), 0);
	CHECK_INT(hit(&c, K(0, 0, 31), 130), 1);
	put(&c, K(0, 0, 71), 71, CACHE_NO_TTL, 149); /* key 49 expires exactly now */
	CHECK_INT(c.n_entries, 2);
	CHECK_INT(hit(&c, K(0, 0, 49), 149), 0);
	CHECK_INT(hit(&c, K(0, 0, 70), 159), 1);
	put(&c, K(0, 0, 72), 72, CACHE_NO_TTL, 160);
	CHECK_INT(c.n_entries, 2);
	CHECK_INT(hit(&c, K(0, 0, 70), 160), 0);
	cache_fini(&c);
}

/* Eight TTLs in one cache, stored interleaved, expire in expiry order, not store order. */
static void cache_many_ttl_classes(void)
{
	struct cache c;
	struct err e;
	static const int64_t ttl[CACHE_TTL_CLASSES] = { 800, 100, 700, 200, 600, 300, 500, 400 };
	CHECK_INT(cache_init(&c, policy("fifo"), 0, 64, &e), 0);
	for (uint32_t i = 0; i < 2 * CACHE_TTL_CLASSES; i++) /* key i stored at i with ttl[i % 8] */
		put(&c, K(0, 0, i), i, ttl[i % CACHE_TTL_CLASSES], i);
	for (int64_t now = 100; now <= 820; now += 5) {
		struct cache_key none = K(9, 9, 9);
		struct cache_value v = V(0, 0);
		uint32_t live = 0;
		CHECK_INT(cache_insert(&c, &none, &v, 0, now), 0); /* stores nothing, purges */
		for (uint32_t i = 0; i < 2 * CACHE_TTL_CLASSES; i++)
			live += i + ttl[i % CACHE_TTL_CLASSES] > now;
		CHECK_INT(c.n_entries, live);
		for (uint32_t i = 0; i < 2 * CACHE_TTL_CLASSES; i++)
			CHECK_INT(hit(&c, K(0, 0, i), now), i + ttl[i % CACHE_TTL_CLASSES] > now);
	}
	cache_fini(&c);
}

/* Entries freed by expiry and by a TTL of 0 are reused, with their old records still queued. */
static void cache_free_entries_reused(void)
{
	struct cache c;
	struct err e;
	/* a pool of 4 entries: every store below needs a freed one */
	CHECK_INT(cache_init(&c, policy("lru"), 0, 4, &e), 0);
	for (uint32_t i = 0; i < 4; i++)
		put(&c, K(0, 0, i), i, 100, 0);        /* records expire at 100 */
	for (uint32_t i = 0; i < 4; i++)
		put(&c, K(0, 0, i), i, 0, 5);          /* dropped */
	CHECK_INT(c.n_entries, 0);
	for (uint32_t i = 0; i < 4; i++)
		put(&c, K(0, 0, i), 10 + i, 50, 6);    /* expire at 56 */
	for (uint32_t i = 0; i < 4; i++)
		CHECK_INT(hit(&c, K(0, 0, i), 55), 1);
	for (uint32_t i = 0; i < 4; i++)
		put(&c, K(0, 0, i), 20 + i, 1000, 60 + i); /* the old ones expired at 56 */
	CHECK_INT(c.n_entries, 4);
	struct cache_key k = K(0, 0, 3);
	struct cache_value v = V(0, 0);
	CHECK_INT(cache_insert(&c, &k, &v, 0, 100), 0);   /* pops the records of 100, drops 3 */
	CHECK_INT(c.n_entries, 3);
	for (uint32_t i = 0; i < 3; i++) {
		k = K(0, 0, i);
		CHECK_INT(cache_lookup(&c, &k, 1059, &v), 1);
		CHECK_INT(v.saved_tok, 20 + i);
	}
	CHECK_INT(hit(&c, K(0, 0, 0), 1060), 0);
	cache_fini(&c);
}

/* LRU order kept through many hits (old order records left behind, the ring compacted) and
 * through expiry and a new store in the freed slot. */
static void cache_lru_order_records(void)
{
	struct cache c;
	struct err e;
	CHECK_INT(cache_init(&c, policy("lru"), 3, 16, &e), 0);
	put(&c, K(0, 0, 1), 1, CACHE_NO_TTL, 0);
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 0);
	put(&c, K(0, 0, 3), 3, CACHE_NO_TTL, 0);
	for (int i = 0; i < 1000; i++) { /* 1 and 2 in turn, 3 once half-way: 3 ends least recent */
		CHECK_INT(hit(&c, K(0, 0, 1 + (uint32_t)(i % 2)), 1), 1);
		if (i == 500)
			CHECK_INT(hit(&c, K(0, 0, 3), 1), 1);
	}
	put(&c, K(0, 0, 4), 4, CACHE_NO_TTL, 2); /* 3 goes */
	CHECK_INT(hit(&c, K(0, 0, 3), 3), 0);
	CHECK_INT(hit(&c, K(0, 0, 1), 3) + hit(&c, K(0, 0, 2), 3) + hit(&c, K(0, 0, 4), 3), 3);
	cache_fini(&c);

	/* a expires and comes back into its old slot at the front: b is the LRU victim */
	CHECK_INT(cache_init(&c, policy("lru"), 2, 16, &e), 0);
	put(&c, K(0, 0, 1), 1, 10, 0);
	put(&c, K(0, 0, 2), 2, CACHE_NO_TTL, 1);
	put(&c, K(0, 0, 1), 3, CACHE_NO_TTL, 10);
	put(&c, K(0, 0, 3), 4, CACHE_NO_TTL, 11);
	CHECK_INT(hit(&c, K(0, 0, 1), 12), 1);
	CHECK_INT(hit(&c, K(0, 0, 2), 12), 0);
	CHECK_INT(hit(&c, K(0, 0, 3), 12), 1);
	cache_fini(&c);
}

/* A capacity at or above max_keys: equal, it evicts as ever; above, it never can. */
static void cache_capacity_and_max_keys(void)
{
	struct cache c;
	struct err e;
	struct cache_key k4 = K(0, 0, 4);
	struct cache_value v = V(4, 4);
	CHECK_INT(cache_init(&c, policy("lru"), 3, 3, &e), 0);
	for (uint32_t i = 1; i <= 3; i++)
		put(&c, K(0, 0, i), i, CACHE_NO_TTL, i);
	CHECK_INT(hit(&c, K(0, 0, 1), 4), 1);
	put(&c, k4, 4, CACHE_NO_TTL, 5);            /* 2 goes */
	CHECK_INT(hit(&c, K(0, 0, 2), 6), 0);
	CHECK_INT(c.n_entries, 3);
	cache_fini(&c);

	CHECK_INT(cache_init(&c, policy("lru"), 10, 3, &e), 0);
	for (uint32_t i = 1; i <= 3; i++)
		put(&c, K(0, 0, i), i, CACHE_NO_TTL, i);
	CHECK_INT(cache_insert(&c, &k4, &v, CACHE_NO_TTL, 5), -1); /* a 4th distinct key */
	CHECK_INT(c.n_entries, 3);
	CHECK_INT(hit(&c, K(0, 0, 1), 6) + hit(&c, K(0, 0, 2), 6) + hit(&c, K(0, 0, 3), 6), 3);
	cache_fini(&c);
}

/*
 * The rings stay bounded by the entries held: a cache of one entry, churned
 * by thousands of stores at one instant and by replacements with alternating
 * TTLs, keeps its expiry rings at their first size (the bound is under four
 * records per entry held, 16 at least).
 */
static void cache_rings_bounded(void)
{
	struct cache c;
	struct err e;
	CHECK_INT(cache_init(&c, policy("fifo"), 1, 8, &e), 0);
	for (int i = 0; i < 5000; i++)
		put(&c, K(0, 0, (uint32_t)(i % 2)), (uint64_t)i, 1000, 7);
	for (int i = 0; i < 5000; i++)
		put(&c, K(0, 0, 0), (uint64_t)i, i % 2 ? 1000 : 2000, 8 + i);
	CHECK_INT(c.n_ttl, 2);
	CHECK_INT(c.ttl[0].mask + 1, 16);
	CHECK_INT(c.ttl[1].mask + 1, 16);
	CHECK_INT(c.n_entries, 1);
	cache_fini(&c);
}

/* ---- a longer randomized comparison, more of what can go wrong ---- */

struct mix {
	const char *policy;
	uint64_t capacity;
	uint32_t n_keys;     /* distinct keys, and max_keys */
	unsigned n_ttl;      /* TTLs in use, 0..8, besides none */
	int64_t ttl_max;
	unsigned zero_ttl;   /* per 100 stores, a TTL of 0 or less */
	unsigned hot;        /* per 100 operations, one of 4 hot keys */
	unsigned still;      /* per 100 operations, time does not move */
	int n_ops;
};

static int compare_mix(const struct mix *m, uint64_t seed)
{
	struct cache c;
	struct err e;
	struct naive nv = { .lru = strcmp(m->policy, "lru") == 0, .capacity = m->capacity };
	uint64_t s = seed;
	int64_t now = 0, ttl[CACHE_TTL_CLASSES];
	int mismatches = 0, hits = 0;

	for (unsigned i = 0; i < CACHE_TTL_CLASSES; i++) /* distinct, spread up to ttl_max */
		ttl[i] = m->ttl_max - (int64_t)i * (m->ttl_max / (CACHE_TTL_CLASSES + 1));
	nv.e = calloc(m->n_keys, sizeof *nv.e);
	if (!nv.e || cache_init(&c, policy(m->policy), m->capacity, m->n_keys, &e) != 0) {
		free(nv.e);
		TEST_FAIL_("%s", "setup failed");
		return 1;
	}
	for (int op = 0; op < m->n_ops && mismatches < 5; op++) {
		uint64_t r = rng_next(&s);
		struct cache_key k = r % 100 < m->hot ? K(7, 0, (uint32_t)(r >> 8) % 4)
						      : random_key(&s, m->n_keys - 4);
		struct cache_value v = V(rng_next(&s) % 100000, (int64_t)(rng_next(&s) % 1000000000)), a, b;
		int64_t t = CACHE_NO_TTL;
		if ((r >> 16) % 100 >= m->still) /* now and then a jump of up to ttl_max */
			now += (int64_t)((r >> 28) % ((r >> 24) % 16 == 0 ? (uint64_t)m->ttl_max + 1 : 4));
		if (m->n_ttl && (r >> 40) % 5 != 0)
			t = ttl[(r >> 44) % m->n_ttl];
		if ((r >> 48) % 100 < m->zero_ttl)
			t = -(int64_t)((r >> 52) % 2);
		if ((r >> 56) % 3 != 0) {
			int ha = cache_lookup(&c, &k, now, &a), hb = naive_lookup(&nv, &k, now, &b);
			hits += hb;
			if (ha != hb || (ha && (a.saved_tok != b.saved_tok || a.saved_pusd != b.saved_pusd)))
				mismatches++;
			if (!hb && (r >> 60) % 2 == 0) {
				CHECK_INT(cache_insert(&c, &k, &v, t, now), 0);
				naive_insert(&nv, &k, &v, t, now);
			}
		} else {
			CHECK_INT(cache_insert(&c, &k, &v, t, now), 0);
			naive_insert(&nv, &k, &v, t, now);
		}
		if (c.n_entries != nv.n || (m->capacity && nv.n > m->capacity))
			mismatches++;
	}
	if (mismatches)
		TEST_FAIL_("%s capacity %llu keys %u ttls %u: %d mismatches", m->policy,
			   (unsigned long long)m->capacity, m->n_keys, m->n_ttl, mismatches);
	if (hits == 0)
		TEST_FAIL_("%s capacity %llu: no hits, the test exercises nothing", m->policy,
			   (unsigned long long)m->capacity);
	cache_fini(&c);
	free(nv.e);
	return mismatches;
}

/*
 * Both policies against the naive cache with up to eight TTLs, TTLs of 0 and
 * below, hot keys (many hits: old order records pile up), instants at which
 * several operations happen, jumps in time past every TTL, capacities from 1
 * to above the number of keys, and the rings compacted and grown many times.
 */
static void cache_random_vs_naive_mix(void)
{
	static const struct mix mixes[] = {
		{ "lru", 1, 40, 3, 30, 5, 20, 30, 200000 },
		{ "fifo", 1, 40, 3, 30, 5, 20, 30, 200000 },
		{ "lru", 7, 100, 8, 60, 3, 30, 50, 300000 },
		{ "fifo", 7, 100, 8, 60, 3, 30, 50, 300000 },
		{ "lru", 64, 400, 8, 500, 2, 40, 20, 300000 },
		{ "fifo", 64, 400, 2, 500, 2, 40, 20, 300000 },
		{ "lru", 0, 300, 8, 200, 5, 10, 30, 200000 },
		{ "fifo", 0, 300, 1, 200, 0, 10, 0, 200000 },
		{ "lru", 300, 300, 4, 900, 2, 10, 20, 200000 }, /* capacity = keys: evicts */
		{ "lru", 500, 300, 4, 900, 2, 10, 20, 200000 }, /* above: never evicts */
		{ "lru", 1500, 4000, 2, 3000, 1, 5, 10, 150000 }, /* rings grow past 16 records */
		{ "fifo", 20, 60, 0, 1, 0, 50, 60, 1000000 },   /* no TTL, a long run */
	};
	for (size_t i = 0; i < sizeof mixes / sizeof mixes[0]; i++)
		compare_mix(&mixes[i], 0x5eed0000 + i);
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
	RUN(cache_full_groups);
	RUN(cache_places_after_doubling);
	RUN(cache_stale_ttl_records);
	RUN(cache_expiry_burst);
	RUN(cache_many_ttl_classes);
	RUN(cache_free_entries_reused);
	RUN(cache_lru_order_records);
	RUN(cache_capacity_and_max_keys);
	RUN(cache_rings_bounded);
	RUN(cache_random_vs_naive_mix);
}
