/*
 * The response cache of the replay (SPEC §4 step 1, §10 "Cache"): exact keys
 * of interned ids, a saved cost per entry, expiry in virtual time, and an
 * eviction policy chosen by name from a registry.  It sits in the engine's
 * per-request path, so every operation is allocation-free and O(1) expected.
 */
#ifndef SIM_CACHE_H
#define SIM_CACHE_H

/*
 * Ownership and errors: struct cache is the caller's storage; cache_init
 * allocates the entries once, from the number of distinct keys the caller
 * will ever insert, and a hash table that doubles as entries come;
 * cache_fini releases them (it accepts a zeroed or NULL cache).  cache_init
 * fills a struct err and returns -1, cache_policy_find fills it and returns
 * NULL; cache_lookup cannot fail; cache_insert returns -1 when memory runs out
 * as the table grows, or when the caller breaks one of its two promises (at
 * most max_keys distinct keys, at most CACHE_TTL_CLASSES distinct TTLs).
 *
 * Time: `now_us` is virtual time in µs and must not decrease from one call to
 * the next.  An entry stored at t with TTL d expires at t + d: a lookup at
 * t + d misses, and from that instant the entry no longer counts toward the
 * capacity; it is removed when next touched or before the next insert.
 */

#include <stdint.h>

#include "sim/err.h"

/*
 * A key: the ids of the configured key parts, 0 for the parts the scenario's
 * `cache.key` leaves out.  `text` is either a normalized-input id or an
 * input_hash id, tagged so the two never compare equal (SPEC §10): use
 * CACHE_TEXT_INPUT(id) or CACHE_TEXT_HASH(id), id < 2^31.  policy_version has
 * no field: it is one constant per scenario, and each scenario has its own
 * cache.  Keys compare on all three fields exactly; the hash only chooses a
 * bucket.
 */
struct cache_key {
	uint32_t tenant;         /* interned tenant id, or 0 */
	uint32_t task;           /* interned task id, or 0 */
	uint32_t text;           /* CACHE_TEXT_INPUT / CACHE_TEXT_HASH, or 0 */
};
#define CACHE_TEXT_HASH_TAG 0x80000000u
#define CACHE_TEXT_INPUT(id) ((uint32_t)(id) & ~CACHE_TEXT_HASH_TAG)
#define CACHE_TEXT_HASH(id) ((uint32_t)(id) | CACHE_TEXT_HASH_TAG)

/* What a hit saves: the billed tokens and cost of the call whose answer was cached. */
struct cache_value {
	uint64_t saved_tok;      /* billed input + output tokens */
	int64_t saved_pusd;      /* billed cost, pico-USD, after any discount */
};

#define CACHE_NO_TTL INT64_MAX   /* the TTL of entries that never expire */
#define CACHE_NIL UINT32_MAX     /* no entry (list ends) */
#define CACHE_TTL_CLASSES 8      /* distinct finite TTLs one cache accepts */

struct cache;

/*
 * An eviction policy.  The victim is always the entry at the tail of the
 * cache's list; a policy says how hits and replacements move entries in it.
 * Hooks may be NULL (the entry keeps its place).
 */
struct cache_policy {
	const char *name;                                /* as in "cache.eviction" */
	const char *help;                                /* one line for --help */
	void (*on_hit)(struct cache *c, uint32_t e);     /* after a hit on entry e */
	void (*on_replace)(struct cache *c, uint32_t e); /* after a new answer replaced e's value */
};

/* The registry, default first ("lru", then "fifo"). */
extern const struct cache_policy *const cache_policies[];
extern const unsigned cache_n_policies;

/*
 * The policy called `name`, or NULL with "unknown cache eviction "x"
 * (expected one of: lru, fifo)" in *e.
 */
const struct cache_policy *cache_policy_find(const char *name, struct err *e);

/* Private to sim/cache.c; here so that struct cache can live in the caller's storage. */
struct cache_entry {
	struct cache_key key;
	uint32_t prev, next;     /* eviction list neighbours toward the head / tail, or CACHE_NIL */
	uint32_t ttl_prev, ttl_next; /* neighbours in its TTL class's queue, or CACHE_NIL */
	uint32_t ttl_class;      /* index in ttl[], CACHE_NIL for no TTL */
	uint32_t hash;           /* the key's hash: finding its bucket reads no key */
	int64_t expiry_us;       /* INT64_MAX for no TTL */
	struct cache_value value;
};
struct cache_bucket {
	uint32_t hash;           /* the key's 32-bit hash; its low bits are the home bucket */
	uint32_t entry1;         /* entry index + 1, 0 = empty */
};
/* Entries with one TTL, oldest first: their expiries never decrease along the queue. */
struct cache_ttl_class {
	int64_t ttl_us;
	uint32_t head, tail;     /* next to expire … last stored */
};

struct cache {
	const struct cache_policy *policy;
	uint64_t capacity;       /* live entries held at most; 0 = unbounded */
	uint32_t n_pool;         /* entries preallocated */
	uint32_t n_entries;      /* entries held now (expired ones until removed) */
	struct cache_entry *entry;
	uint32_t n_used;         /* pool entries ever handed out; the rest are fresh */
	uint32_t free_list;      /* released entries linked through .next, or CACHE_NIL */
	uint32_t head, tail;     /* most recently used / inserted … the next victim;
				  * not kept when capacity is 0 (nothing is ever evicted) */
	struct cache_bucket *bucket;
	uint32_t mask;           /* number of buckets − 1 (a power of two − 1) */
	uint64_t max_buckets;    /* the table doubles, while it is over half full, up to this */
	struct cache_ttl_class ttl[CACHE_TTL_CLASSES];
	uint32_t n_ttl;
};

/*
 * Prepares an empty cache with `policy` (NULL: the default, lru) holding at
 * most `capacity` live entries (0: unbounded).  max_keys is the number of
 * distinct keys the caller will ever insert (the engine passes the number of
 * requests, a safe bound).  min(capacity, max_keys)
 * 64-byte entries (max_keys when capacity is 0) are allocated, and touched
 * only as they are used; the table holds two to four 8-byte buckets per entry
 * held.  Returns -1 on out of memory or max_keys above 2^30, with the reason
 * in *e.
 */
int cache_init(struct cache *c, const struct cache_policy *policy, uint64_t capacity,
	       uint32_t max_keys, struct err *e);

/* Asks the processor to start loading k's bucket: a hint, for a lookup of k soon after. */
void cache_prefetch(const struct cache *c, const struct cache_key *k);
void cache_fini(struct cache *c);

/*
 * Looks k up at now_us.  A present entry with expiry_us > now_us is a hit:
 * returns 1, copies its value to *out (may be NULL) and lets the policy move
 * it (LRU: to the front).  Otherwise returns 0; an expired entry found for k
 * is removed.
 */
int cache_lookup(struct cache *c, const struct cache_key *k, int64_t now_us, struct cache_value *out);

/*
 * Stores the answer for k that arrived at now_us, to expire at now_us +
 * ttl_us (CACHE_NO_TTL: never).  First every entry expired at or before
 * now_us is removed.  A held key gets the new value and expiry (LRU moves it
 * to the front, FIFO keeps its place).  A new key is added at the front;
 * when `capacity` entries are held, the tail entry is evicted first.  A TTL
 * <= 0 stores nothing (and removes k's old entry).
 *
 * Expiries are kept exactly but cheaply by grouping entries by TTL: since
 * now_us never decreases, the entries of one TTL expire in the order they
 * were stored.  A cache accepts CACHE_TTL_CLASSES distinct finite TTLs (the
 * engine uses one per model tier).  Returns 0, or -1 when the caller inserts
 * more distinct keys than max_keys or uses one TTL too many; k is then not
 * stored and nothing else changes but the removal of expired entries.
 */
int cache_insert(struct cache *c, const struct cache_key *k, const struct cache_value *v,
		 int64_t ttl_us, int64_t now_us);

#endif
