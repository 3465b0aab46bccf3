/*
 * The response cache: a preallocated pool of 48-byte entries, found through
 * an open-addressing table (linear probing, backward-shift deletion, so no
 * tombstones), with the eviction policies' registry at the end of the file.
 */

/*
 * The eviction order and the expiries are rings of records appended as
 * entries are stored or used, never unlinked nor blanked: an order record is
 * current while its entry points back to it, and an expiry record while its
 * entry still carries its stamp and expiry; the others are skipped when they
 * reach the head, or dropped when their full ring is compacted.  So using or
 * removing an entry touches no other entry and no old record.
 */
#include "sim/cache.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KEYS (1u << 30)
#define MIN_BUCKETS 8u           /* one 64-byte line */
#define TTL_RING_MIN 16u
/*
 * How far past a ring's head the lines of the records to come are fetched:
 * the ring itself, and the entries and buckets its records point to.
 */
#define AHEAD_RING 32u
#define AHEAD_ENTRY 8u
/* Rare paths (a ring compacted, a table doubled) kept out of the hot functions' registers. */
#define RARE __attribute__((noinline, cold))
/* A path out of a hot loop, kept apart so that the loop needs few registers. */
#define APART __attribute__((noinline))

static int key_eq(const struct cache_key *a, const struct cache_key *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* Memory aligned to a cache line; n is rounded up to a multiple of 64 bytes. */
static void *alloc_lines(size_t n)
{
	return aligned_alloc(64, (n + 63) / 64 * 64);
}

/* ---- the table ---- */

/* The bucket holding k, or CACHE_NIL; *slot gets the empty bucket ending the probe. */
static inline uint32_t table_find(const struct cache *c, const struct cache_key *k, uint32_t h, uint32_t *slot)
{
	const struct cache_bucket *bucket = c->bucket;
	uint32_t mask = c->mask, i = h & mask;
	for (;; i = (i + 1) & mask) {
		if (bucket[i].entry1 == 0) {
			*slot = i;
			return CACHE_NIL;
		}
		if (bucket[i].hash == h && key_eq(&c->entry[bucket[i].entry1 - 1].key, k))
			return i;
	}
}

/*
 * Empties bucket i and shifts back the entries of its probe run (no
 * tombstones).  Returns the bucket left empty at the end: the only bucket
 * that was full before and is empty now.
 */
static inline uint32_t table_delete(struct cache_bucket *bucket, uint32_t mask, uint32_t i)
{
	uint32_t j = i;
	for (;;) {
		bucket[i].entry1 = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (bucket[j].entry1 == 0)
				return i;
			/* j moves back to i unless its home lies cyclically in (i, j] */
			if (((j - bucket[j].hash) & mask) >= ((j - i) & mask))
				break;
		}
		bucket[i] = bucket[j];
		i = j;
	}
}

/* The entry count from which a table of mask + 1 buckets doubles. */
static uint32_t table_grow_at(const struct cache *c)
{
	return c->mask + 1 < c->max_buckets ? (c->mask + 1) / 2 : UINT32_MAX;
}

/* Doubles the table (its buckets hold their keys' hashes: no key is read). */
RARE static int table_grow(struct cache *c)
{
	uint32_t old_n = c->mask + 1;
	struct cache_bucket *old = c->bucket;
	c->bucket = alloc_lines((size_t)old_n * 2 * sizeof *c->bucket);
	if (!c->bucket) {
		c->bucket = old;
		return -1;
	}
	memset(c->bucket, 0, (size_t)old_n * 2 * sizeof *c->bucket);
	c->mask = old_n * 2 - 1;
	for (uint32_t i = 0; i < old_n; i++) {
		if (!old[i].entry1)
			continue;
		uint32_t j = old[i].hash & c->mask;
		while (c->bucket[j].entry1)
			j = (j + 1) & c->mask;
		c->bucket[j] = old[i];
	}
	free(old);
	c->grow_at = table_grow_at(c);
	return 0;
}

/* ---- the order ring ---- */

/* 1 when the order record at ring index j is its entry's current one. */
static inline int order_current(const struct cache *c, uint32_t j)
{
	return c->entry[c->order[j].entry].order == j;
}

/*
 * Keeps the current records, in order, from the head on.  The ring holds at
 * least twice n_pool records and at most n_entries of them are current, so
 * this frees at least half of it.  An entry's current record is its last, so
 * moving it back never meets an older record of the same entry.
 */
RARE static void order_compact(struct cache *c)
{
	struct cache_order_rec *order = c->order;
	uint32_t mask = c->order_mask, to = c->order_head;
	for (uint32_t from = to; from != c->order_tail; from++) {
		if (c->order_tail - from > AHEAD_ENTRY)
			__builtin_prefetch(&c->entry[order[(from + AHEAD_ENTRY) & mask].entry]);
		struct cache_order_rec r = order[from & mask];
		if (!order_current(c, from & mask))
			continue;
		order[to & mask] = r;
		c->entry[r.entry].order = to & mask;
		to++;
	}
	c->order_tail = to;
}

/* Appends e, which has no record, as the most recent entry. */
static inline void order_append(struct cache *c, struct cache_entry *x, uint32_t e)
{
	if (c->order_tail - c->order_head > c->order_mask)
		order_compact(c);
	x->order = c->order_tail++ & c->order_mask;
	c->order[x->order] = (struct cache_order_rec){ e, x->hash };
}

/* The LRU policy's hook: e becomes the most recent entry (its old record is no longer current). */
static void order_touch(struct cache *c, uint32_t e)
{
	order_append(c, &c->entry[e], e);
}

/*
 * Takes the least recent entry off the ring (one is held), passing the
 * records that are no longer current.  Each record passed on the way has the
 * record AHEAD_ENTRY places after it fetched.
 */
static uint32_t order_pop(struct cache *c)
{
	const struct cache_order_rec *order = c->order;
	uint32_t mask = c->order_mask, head = c->order_head, j;
	do {
		const struct cache_order_rec *r = &order[(head + AHEAD_ENTRY) & mask];
		__builtin_prefetch(&order[(head + AHEAD_RING) & mask]);
		if (c->order_tail - head > AHEAD_ENTRY) {
			__builtin_prefetch(&c->entry[r->entry]);
			__builtin_prefetch(&c->bucket[r->hash & c->mask]);
		}
		j = head++ & mask;
	} while (!order_current(c, j));
	c->order_head = head;
	c->entry[order[j].entry].order = CACHE_NIL;
	return order[j].entry;
}

/* ---- entries ---- */

/*
 * Frees held entry e, whose bucket is b.  Its order and TTL records stay: a
 * free entry has no order record and an infinite expiry, so none of them is
 * current.  Returns the bucket that table_delete left empty.
 */
static inline uint32_t entry_remove(struct cache *c, uint32_t e, uint32_t b)
{
	struct cache_entry *x = &c->entry[e];
	b = table_delete(c->bucket, c->mask, b);
	x->expiry_us = INT64_MAX;
	x->order = CACHE_NIL;
	x->hash = c->free_list;
	c->free_list = e;
	c->n_entries--;
	return b;
}

/* The bucket of held entry e: found from its hash's home, no key is read. */
static inline uint32_t entry_bucket(const struct cache *c, uint32_t e)
{
	uint32_t mask = c->mask, i = c->entry[e].hash & mask;
	while (c->bucket[i].entry1 != e + 1)
		i = (i + 1) & mask;
	return i;
}

/* ---- the TTL rings ---- */

/* Adds the ring of a new finite TTL; NULL when all classes are taken or out of memory. */
RARE static struct cache_ttl_class *ttl_class_add(struct cache *c, int64_t ttl_us)
{
	if (c->n_ttl == CACHE_TTL_CLASSES)
		return NULL;
	struct cache_ttl_rec *rec = malloc(TTL_RING_MIN * sizeof *rec);
	if (!rec)
		return NULL;
	c->ttl[c->n_ttl] = (struct cache_ttl_class){ .ttl_us = ttl_us, .next_us = INT64_MAX, .rec = rec,
						     .mask = TTL_RING_MIN - 1 };
	return &c->ttl[c->n_ttl++];
}

/*
 * Makes room for one record in full ring t: drops the records that are no
 * longer their entry's current store, and doubles the ring when more than
 * half of it is still current (so it holds under four records per current
 * one).  Returns -1 when the ring cannot grow; it is then unchanged but for
 * the dropped records.
 */
RARE static int ttl_room(struct cache *c, struct cache_ttl_class *t)
{
	uint32_t mask = t->mask, to = t->head;
	for (uint32_t from = to; from != t->tail; from++) {
		struct cache_ttl_rec r = t->rec[from & mask];
		const struct cache_entry *x = &c->entry[r.entry];
		if (t->tail - from > AHEAD_ENTRY)
			__builtin_prefetch(&c->entry[t->rec[(from + AHEAD_ENTRY) & mask].entry].stamp);
		if (x->stamp == r.stamp && x->expiry_us == r.expiry_us)
			t->rec[to++ & mask] = r;
	}
	t->tail = to;
	t->next_us = to != t->head ? t->rec[t->head & mask].expiry_us : INT64_MAX;
	if (to - t->head <= (mask + 1) / 2)
		return 0;
	struct cache_ttl_rec *rec = malloc((size_t)(mask + 1) * 2 * sizeof *rec);
	if (!rec)
		return -1;
	for (uint32_t k = 0; k < to - t->head; k++)
		rec[k] = t->rec[(t->head + k) & mask];
	free(t->rec);
	t->rec = rec;
	t->mask = mask * 2 + 1;
	t->tail = to - t->head;
	t->head = 0;
	return 0;
}

/*
 * Removes the entries of ring t expired at now_us, whose records come first:
 * the entry of a popped record goes when its expiry, maybe set by a later
 * store, has passed too.
 */
static inline void purge_ring(struct cache *c, struct cache_ttl_class *t, int64_t now_us)
{
	struct cache_entry *entry = c->entry;
	struct cache_bucket *bucket = c->bucket;
	const struct cache_ttl_rec *rec = t->rec;
	uint32_t mask = c->mask, rmask = t->mask, head = t->head, tail = t->tail;
	for (; head != tail && rec[head & rmask].expiry_us <= now_us; head++) {
		uint32_t e = rec[head & rmask].entry;
		struct cache_entry *x = &entry[e];
		__builtin_prefetch(&rec[(head + AHEAD_RING) & rmask]);
		if (tail - head > AHEAD_ENTRY) {
			const struct cache_ttl_rec *r = &rec[(head + AHEAD_ENTRY) & rmask];
			__builtin_prefetch(&entry[r->entry]);
			__builtin_prefetch(&bucket[r->hash & mask]);
		}
		if (x->expiry_us <= now_us)
			entry_remove(c, e, entry_bucket(c, e));
	}
	t->head = head;
	t->next_us = head != tail ? rec[head & rmask].expiry_us : INT64_MAX;
}

/*
 * Removes every entry expired at now_us.  Each held entry with a finite
 * expiry has the record of that expiry in a ring, so popping the records
 * expired by now_us finds them all.
 */
APART static void purge_expired(struct cache *c, int64_t now_us)
{
	int64_t next = INT64_MAX;
	for (struct cache_ttl_class *t = c->ttl; t < c->ttl + c->n_ttl; t++) {
		if (t->next_us <= now_us)
			purge_ring(c, t, now_us);
		if (t->next_us < next)
			next = t->next_us;
	}
	c->purge_at_us = next;
}

/* ---- the cache ---- */

/* An empty cache that holds nothing and has nothing to free. */
static void cache_empty(struct cache *c)
{
	memset(c, 0, sizeof *c);
	c->free_list = CACHE_NIL;
	c->evict_at = UINT32_MAX;
	c->purge_at_us = INT64_MAX;
}

int cache_init(struct cache *c, const struct cache_policy *policy, uint64_t capacity,
	       uint32_t max_keys, struct err *e)
{
	uint64_t pool = capacity > 0 && capacity < max_keys ? capacity : max_keys;
	uint64_t n_buckets = MIN_BUCKETS, n_order = 4;
	int ordered = capacity > 0 && capacity <= max_keys; /* else it never evicts: no order is kept */

	cache_empty(c);
	if (max_keys > MAX_KEYS)
		return err_set(e, "cache: %u distinct keys are more than the cache supports (%u)",
			       max_keys, MAX_KEYS);
	while (n_buckets < 2 * pool)
		n_buckets *= 2;
	c->max_buckets = n_buckets;
	if (n_buckets > 1024) /* the table grows with the entries held: small ones stay in cache */
		n_buckets = 1024;
	c->policy = policy ? policy : cache_policies[0];
	c->capacity = capacity;
	c->n_pool = (uint32_t)pool;
	c->mask = (uint32_t)(n_buckets - 1);
	c->grow_at = table_grow_at(c);
	c->entry = alloc_lines((pool ? pool : 1) * sizeof *c->entry);
	c->bucket = alloc_lines(n_buckets * sizeof *c->bucket);
	if (ordered) {
		while (n_order < 2 * pool)
			n_order *= 2;
		c->order = malloc(n_order * sizeof *c->order);
		c->order_mask = (uint32_t)(n_order - 1);
		c->evict_at = (uint32_t)capacity;
		c->on_hit = c->policy->on_hit;
		c->on_replace = c->policy->on_replace;
	}
	if (!c->entry || !c->bucket || (ordered && !c->order)) {
		cache_fini(c);
		return err_set(e, "cache: out of memory for %llu entries", (unsigned long long)pool);
	}
	memset(c->bucket, 0, n_buckets * sizeof *c->bucket);
	return 0;
}

void cache_fini(struct cache *c)
{
	if (!c)
		return;
	free(c->entry);
	free(c->bucket);
	free(c->order);
	for (uint32_t i = 0; i < c->n_ttl; i++)
		free(c->ttl[i].rec);
	cache_empty(c);
}

/* The rest of a lookup that found k in bucket b: a hit, or an expired entry that goes. */
APART static int lookup_found(struct cache *c, uint32_t b, int64_t now_us, struct cache_value *out)
{
	uint32_t e = c->bucket[b].entry1 - 1;
	const struct cache_entry *x = &c->entry[e];
	if (x->expiry_us <= now_us) {
		entry_remove(c, e, b);
		return 0;
	}
	if (out)
		*out = x->value;
	if (c->on_hit)
		c->on_hit(c, e);
	return 1;
}

int cache_lookup(struct cache *c, const struct cache_key *k, int64_t now_us, struct cache_value *out)
{
	uint32_t slot, b = table_find(c, k, cache_key_hash(k), &slot);
	return b != CACHE_NIL && lookup_found(c, b, now_us, out);
}

/* Stores nothing for k, and drops its held answer. */
RARE static int insert_nothing(struct cache *c, const struct cache_key *k, uint32_t h)
{
	uint32_t slot, b = table_find(c, k, h, &slot);
	if (b != CACHE_NIL)
		entry_remove(c, c->bucket[b].entry1 - 1, b);
	return 0;
}

/* Makes room for a new key whose probe ends at *slot: evicts, or grows the table. */
static int insert_room(struct cache *c, const struct cache_key *k, uint32_t h, uint32_t *slot)
{
	if (c->n_entries >= c->evict_at) {
		/* the deletion may empty a bucket earlier in k's probe run: k goes there */
		uint32_t victim = order_pop(c), home = h & c->mask;
		uint32_t hole = entry_remove(c, victim, entry_bucket(c, victim));
		if (((hole - home) & c->mask) < ((*slot - home) & c->mask))
			*slot = hole;
	} else if (c->n_entries >= c->grow_at) {
		if (table_grow(c) < 0)
			return -1;
		table_find(c, k, h, slot);
	}
	return 0;
}

int cache_insert(struct cache *c, const struct cache_key *k, const struct cache_value *v,
		 int64_t ttl_us, int64_t now_us)
{
	uint32_t h = cache_key_hash(k), slot = 0, b, e;
	int64_t expiry = CACHE_NO_TTL;
	struct cache_ttl_class *t = NULL;
	struct cache_entry *x;

	if (now_us >= c->purge_at_us)
		purge_expired(c, now_us);
	if (ttl_us <= 0)
		return insert_nothing(c, k, h);
	if (ttl_us != CACHE_NO_TTL) {
		for (t = c->ttl; t < c->ttl + c->n_ttl && t->ttl_us != ttl_us; t++)
			;
		if (t == c->ttl + c->n_ttl && !(t = ttl_class_add(c, ttl_us)))
			return -1;
		if (t->tail - t->head > t->mask && ttl_room(c, t) < 0)
			return -1;
		if (__builtin_add_overflow(now_us, ttl_us, &expiry))
			expiry = INT64_MAX - 1;
	}
	b = table_find(c, k, h, &slot);
	if (b == CACHE_NIL) {
		if ((c->n_entries >= c->evict_at || c->n_entries >= c->grow_at) &&
		    insert_room(c, k, h, &slot) < 0)
			return -1;
		if (c->free_list != CACHE_NIL) {
			e = c->free_list;
			c->free_list = c->entry[e].hash;
		} else if (c->n_used < c->n_pool) {
			e = c->n_used++;
		} else {
			return -1;
		}
		x = &c->entry[e];
		x->hash = h;
		x->key = *k;
		c->bucket[slot] = (struct cache_bucket){ h, e + 1 };
		c->n_entries++;
		if (c->order)
			order_append(c, x, e);
		else
			x->order = CACHE_NIL;
	} else {
		e = c->bucket[b].entry1 - 1;
		x = &c->entry[e];
	}
	x->expiry_us = expiry;
	x->stamp = ++c->stamp;
	x->value = *v;
	if (t) {
		if (t->head == t->tail) {
			t->next_us = expiry;
			if (expiry < c->purge_at_us)
				c->purge_at_us = expiry;
		}
		t->rec[t->tail++ & t->mask] = (struct cache_ttl_rec){ expiry, e, h, x->stamp };
	}
	if (b != CACHE_NIL && c->on_replace)
		c->on_replace(c, e);
	return 0;
}

/* ---- the eviction policies ---- */

static const struct cache_policy cache_lru = {
	.name = "lru",
	.help = "evict the least recently used entry (a hit or a new answer moves it to the front)",
	.on_hit = order_touch,
	.on_replace = order_touch,
};

static const struct cache_policy cache_fifo = {
	.name = "fifo",
	.help = "evict the oldest inserted entry (hits and new answers keep its place)",
};

const struct cache_policy *const cache_policies[] = { &cache_lru, &cache_fifo };
const unsigned cache_n_policies = sizeof cache_policies / sizeof cache_policies[0];

const struct cache_policy *cache_policy_find(const char *name, struct err *e)
{
	char list[128];
	size_t n = 0;
	for (unsigned i = 0; i < cache_n_policies; i++)
		if (strcmp(name, cache_policies[i]->name) == 0)
			return cache_policies[i];
	list[0] = '\0';
	for (unsigned i = 0; i < cache_n_policies; i++) {
		size_t len = strlen(cache_policies[i]->name);
		if (n + len + 3 > sizeof list)
			break;
		if (i > 0) {
			memcpy(list + n, ", ", 2);
			n += 2;
		}
		memcpy(list + n, cache_policies[i]->name, len + 1);
		n += len;
	}
	err_set(e, "unknown cache eviction \"%s\" (expected one of: %s)", name, list);
	return NULL;
}
