/*
 * The response cache: a preallocated pool of entries, found through an
 * open-addressing table (linear probing, backward-shift deletion, so no
 * tombstones), ordered by one intrusive doubly linked list (head = most
 * recent, tail = next victim; kept only when a capacity can evict), and
 * queued by TTL so that every entry expired by `now` is found at a queue
 * head and dropped before an insert.  The eviction policies are the registry
 * at the end of the file.
 */
#include "sim/cache.h"

#include <stdlib.h>
#include <string.h>

#define MAX_KEYS (1u << 30)

static uint32_t key_hash(const struct cache_key *k)
{
	uint64_t h = ((uint64_t)k->tenant << 32 | k->task) * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)k->text * 0xc2b2ae3d27d4eb4fULL + 0x165667b19e3779f9ULL;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static int key_eq(const struct cache_key *a, const struct cache_key *b)
{
	return a->tenant == b->tenant && a->task == b->task && a->text == b->text;
}

/* ---- the list ---- */

static void list_unlink(struct cache *c, uint32_t e)
{
	struct cache_entry *x = &c->entry[e];
	if (x->prev != CACHE_NIL)
		c->entry[x->prev].next = x->next;
	else
		c->head = x->next;
	if (x->next != CACHE_NIL)
		c->entry[x->next].prev = x->prev;
	else
		c->tail = x->prev;
}

static void list_push_front(struct cache *c, uint32_t e)
{
	struct cache_entry *x = &c->entry[e];
	x->prev = CACHE_NIL;
	x->next = c->head;
	if (c->head != CACHE_NIL)
		c->entry[c->head].prev = e;
	else
		c->tail = e;
	c->head = e;
}

static void list_move_front(struct cache *c, uint32_t e)
{
	if (c->head == e)
		return;
	list_unlink(c, e);
	list_push_front(c, e);
}

/* ---- the TTL queues ---- */

static void ttl_unlink(struct cache *c, uint32_t e)
{
	struct cache_entry *x = &c->entry[e];
	struct cache_ttl_class *q;
	if (x->ttl_class == CACHE_NIL)
		return;
	q = &c->ttl[x->ttl_class];
	if (x->ttl_prev != CACHE_NIL)
		c->entry[x->ttl_prev].ttl_next = x->ttl_next;
	else
		q->head = x->ttl_next;
	if (x->ttl_next != CACHE_NIL)
		c->entry[x->ttl_next].ttl_prev = x->ttl_prev;
	else
		q->tail = x->ttl_prev;
	x->ttl_class = CACHE_NIL;
}

/* Appends e to the queue of class q: its expiry is the latest of the queue. */
static void ttl_append(struct cache *c, uint32_t e, uint32_t q)
{
	struct cache_entry *x = &c->entry[e];
	struct cache_ttl_class *t = &c->ttl[q];
	x->ttl_class = q;
	x->ttl_next = CACHE_NIL;
	x->ttl_prev = t->tail;
	if (t->tail != CACHE_NIL)
		c->entry[t->tail].ttl_next = e;
	else
		t->head = e;
	t->tail = e;
}

/* The class of a finite TTL, added when new; CACHE_NIL when all classes are taken. */
static uint32_t ttl_class_of(struct cache *c, int64_t ttl_us)
{
	for (uint32_t i = 0; i < c->n_ttl; i++)
		if (c->ttl[i].ttl_us == ttl_us)
			return i;
	if (c->n_ttl == CACHE_TTL_CLASSES)
		return CACHE_NIL;
	c->ttl[c->n_ttl] = (struct cache_ttl_class){ ttl_us, CACHE_NIL, CACHE_NIL };
	return c->n_ttl++;
}

/* ---- the table ---- */

/* The bucket holding k, or CACHE_NIL; *slot gets the empty bucket ending the probe. */
static uint32_t table_find(const struct cache *c, const struct cache_key *k, uint32_t h, uint32_t *slot)
{
	uint32_t i = h & c->mask;
	for (;; i = (i + 1) & c->mask) {
		const struct cache_bucket *b = &c->bucket[i];
		if (b->entry1 == 0) {
			if (slot)
				*slot = i;
			return CACHE_NIL;
		}
		if (b->hash == h && key_eq(&c->entry[b->entry1 - 1].key, k))
			return i;
	}
}

/* Empties bucket i and shifts back the entries of its probe run (no tombstones). */
static void table_delete(struct cache *c, uint32_t i)
{
	uint32_t j = i;
	for (;;) {
		c->bucket[i].entry1 = 0;
		for (;;) {
			j = (j + 1) & c->mask;
			if (c->bucket[j].entry1 == 0)
				return;
			uint32_t home = c->bucket[j].hash & c->mask;
			/* j may stay when its home lies cyclically in (i, j] */
			int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
			if (!stays)
				break;
		}
		c->bucket[i] = c->bucket[j];
		i = j;
	}
}

/* Doubles the table (its buckets hold their keys' hashes: no key is read). */
static int table_grow(struct cache *c)
{
	uint32_t old_n = c->mask + 1;
	struct cache_bucket *old = c->bucket;
	c->bucket = calloc((size_t)old_n * 2, sizeof *c->bucket);
	if (!c->bucket) {
		c->bucket = old;
		return -1;
	}
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
	return 0;
}

/* ---- entries ---- */

static void entry_remove(struct cache *c, uint32_t e, uint32_t bucket)
{
	struct cache_entry *x = &c->entry[e];
	if (bucket == CACHE_NIL)
		bucket = table_find(c, &x->key, x->hash, NULL);
	table_delete(c, bucket);
	if (c->capacity > 0)
		list_unlink(c, e);
	ttl_unlink(c, e);
	x->next = c->free_list;
	c->free_list = e;
	c->n_entries--;
}

static void purge_expired(struct cache *c, int64_t now_us)
{
	for (uint32_t i = 0; i < c->n_ttl; i++) {
		struct cache_ttl_class *q = &c->ttl[i];
		while (q->head != CACHE_NIL && c->entry[q->head].expiry_us <= now_us)
			entry_remove(c, q->head, CACHE_NIL);
	}
}

int cache_init(struct cache *c, const struct cache_policy *policy, uint64_t capacity,
	       uint32_t max_keys, struct err *e)
{
	uint64_t pool = capacity > 0 && capacity < max_keys ? capacity : max_keys;
	uint64_t n_buckets = 2;

	memset(c, 0, sizeof *c);
	c->head = c->tail = c->free_list = CACHE_NIL;
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
	c->entry = malloc((pool ? pool : 1) * sizeof *c->entry);
	c->bucket = calloc(n_buckets, sizeof *c->bucket);
	if (!c->entry || !c->bucket) {
		cache_fini(c);
		return err_set(e, "cache: out of memory for %llu entries", (unsigned long long)pool);
	}
	return 0;
}

void cache_fini(struct cache *c)
{
	if (!c)
		return;
	free(c->entry);
	free(c->bucket);
	memset(c, 0, sizeof *c);
	c->head = c->tail = c->free_list = CACHE_NIL;
}

static void prefetch_drop(const struct cache *c, uint32_t e, uint32_t after)
{
	__builtin_prefetch(&c->bucket[c->entry[e].hash & c->mask]);
	if (after != CACHE_NIL)
		__builtin_prefetch(&c->entry[after]);
}

void cache_prefetch(const struct cache *c, const struct cache_key *k)
{
	__builtin_prefetch(&c->bucket[key_hash(k) & c->mask]);
}

int cache_lookup(struct cache *c, const struct cache_key *k, int64_t now_us, struct cache_value *out)
{
	uint32_t b = table_find(c, k, key_hash(k), NULL), e;
	if (b == CACHE_NIL)
		return 0;
	e = c->bucket[b].entry1 - 1;
	if (c->entry[e].expiry_us <= now_us) {
		entry_remove(c, e, b);
		return 0;
	}
	if (c->capacity > 0 && c->policy->on_hit)
		c->policy->on_hit(c, e);
	if (out)
		*out = c->entry[e].value;
	return 1;
}

int cache_insert(struct cache *c, const struct cache_key *k, const struct cache_value *v,
		 int64_t ttl_us, int64_t now_us)
{
	uint32_t h = key_hash(k), slot, b, e, q = CACHE_NIL;
	int64_t expiry = CACHE_NO_TTL;

	purge_expired(c, now_us);
	if (ttl_us != CACHE_NO_TTL && ttl_us > 0) {
		q = ttl_class_of(c, ttl_us);
		if (q == CACHE_NIL)
			return -1;
		expiry = now_us > INT64_MAX - ttl_us ? INT64_MAX - 1 : now_us + ttl_us;
	}
	b = table_find(c, k, h, &slot);
	if (b != CACHE_NIL) {
		e = c->bucket[b].entry1 - 1;
		if (ttl_us <= 0) {
			entry_remove(c, e, b);
			return 0;
		}
		c->entry[e].value = *v;
		c->entry[e].expiry_us = expiry;
		ttl_unlink(c, e);
		if (q != CACHE_NIL)
			ttl_append(c, e, q);
		if (c->capacity > 0 && c->policy->on_replace)
			c->policy->on_replace(c, e);
		return 0;
	}
	if (ttl_us <= 0)
		return 0;
	if (2 * ((uint64_t)c->n_entries + 1) > (uint64_t)c->mask + 1 && c->mask + 1 < c->max_buckets) {
		if (table_grow(c) < 0)
			return -1;
		table_find(c, k, h, &slot);
	}
	if (c->capacity > 0 && c->n_entries >= c->capacity) {
		entry_remove(c, c->tail, CACHE_NIL);
		table_find(c, k, h, &slot); /* the deletion may have shifted the probe run */
	}
	if (c->free_list != CACHE_NIL) {
		e = c->free_list;
		c->free_list = c->entry[e].next;
	} else if (c->n_used < c->n_pool) {
		e = c->n_used++;
	} else {
		return -1;
	}
	struct cache_entry *x = &c->entry[e];
	x->key = *k;
	x->hash = h;
	x->value = *v;
	x->expiry_us = expiry;
	x->ttl_class = CACHE_NIL;
	if (q != CACHE_NIL)
		ttl_append(c, e, q);
	if (c->capacity > 0)
		list_push_front(c, e);
	c->bucket[slot] = (struct cache_bucket){ h, e + 1 };
	c->n_entries++;
	/* what the next inserts will likely drop, the next victim and the next to expire: their
	 * buckets, and the entries after them (these entries were just read) */
	if (c->capacity > 0 && c->tail != CACHE_NIL)
		prefetch_drop(c, c->tail, c->entry[c->tail].prev);
	for (uint32_t i = 0; i < c->n_ttl; i++)
		if (c->ttl[i].head != CACHE_NIL)
			prefetch_drop(c, c->ttl[i].head, c->entry[c->ttl[i].head].ttl_next);
	return 0;
}

/* ---- the eviction policies ---- */

static const struct cache_policy cache_lru = {
	.name = "lru",
	.help = "evict the least recently used entry (a hit or a new answer moves it to the front)",
	.on_hit = list_move_front,
	.on_replace = list_move_front,
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
