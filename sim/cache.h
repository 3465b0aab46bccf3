/*
 * The response cache of the replay (SPEC §4 step 1, §10 "Cache"): exact keys
 * of interned ids, a saved cost per entry, expiry in virtual time, and an
 * eviction policy chosen by name from a registry.  It sits in the engine's
 * per-request path, so every operation is O(1) expected (amortized where a
 * ring or the table grows) and a lookup never allocates.
 */
#ifndef SIM_CACHE_H
#define SIM_CACHE_H

/*
 * Ownership and errors: struct cache is the caller's storage; cache_init
 * allocates the entries once, from the number of distinct keys the caller
 * will ever insert, and a hash table and expiry rings that double as entries
 * come; cache_fini releases them (it accepts a zeroed or NULL cache).
 * cache_init fills a struct err and returns -1, cache_policy_find fills it and
 * returns NULL; cache_lookup cannot fail; cache_insert returns -1 when memory
 * runs out as the table or a ring grows, or when the caller breaks one of its
 * two promises (at most max_keys distinct keys, at most CACHE_TTL_CLASSES
 * distinct TTLs).
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
 * group.
 */
struct cache_key {
	uint32_t tenant;         /* a number for the tenant (the engine's dense one), or 0 */
	uint32_t task;           /* a number for the task, or 0 */
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
#define CACHE_NIL UINT32_MAX     /* no entry */
#define CACHE_TTL_CLASSES 8      /* distinct finite TTLs one cache accepts */

struct cache;

/*
 * An eviction policy.  The victim is always the least recent entry of the
 * cache's order; a policy says whether hits and replacements make an entry
 * the most recent again.  Hooks may be NULL (the entry keeps its place).
 */
struct cache_policy {
	const char *name;                                /* as in "cache.eviction" */
	const char *help;                                /* one line for --help */
	/* after a hit on entry e, at place p of the table */
	void (*on_hit)(struct cache *c, uint32_t e, uint32_t p);
	/* after a new answer replaced e's value */
	void (*on_replace)(struct cache *c, uint32_t e, uint32_t p);
};

/* The registry, default first ("lru", then "fifo"). */
extern const struct cache_policy *const cache_policies[];
extern const unsigned cache_n_policies;

/*
 * The policy called `name`, or NULL with "unknown cache eviction "x"
 * (expected one of: lru, fifo)" in *e.
 */
const struct cache_policy *cache_policy_find(const char *name, struct err *e);

/*
 * Private to sim/cache.c; here so that struct cache can live in the caller's
 * storage.  An entry is 48 bytes in three 16-byte parts, none of which
 * straddles a cache line: what removing it touches, then the key, then the
 * value.
 */
struct cache_entry {
	int64_t expiry_us;       /* INT64_MAX for no TTL, and while on the free list */
	uint32_t hash;           /* the key's hash; on the free list, the next free entry */
	uint32_t order;          /* index of its record in the order ring, or CACHE_NIL */
	struct cache_key key;
	uint32_t stamp;          /* the number of the store that set its value and expiry */
	struct cache_value value;
};
/*
 * A line of the table: up to twelve keys, each as a one-byte tag (0: a free
 * slot; else 0x80 and seven bits of the key's hash) and its entry, and how
 * many keys homed here or in a group before it are held past it.  A lookup
 * reads one line, matches its twelve tags at once (one SSE2 compare where the
 * machine has it), and goes on to the next line only while that count is not
 * zero (a deletion shifts nothing).
 */
#define CACHE_GROUP_SLOTS 12
struct cache_group {
	uint8_t tag[CACHE_GROUP_SLOTS];
	uint32_t passed;                   /* keys homed here or before, held in a later group */
	uint32_t entry[CACHE_GROUP_SLOTS]; /* their entries */
};
/* A place in the eviction order: current while its entry's .order points back to it. */
struct cache_order_rec {
	uint32_t entry;
	uint32_t place;          /* the entry's place when recorded (see below) */
};
/*
 * A store with a TTL: current while its entry still carries the same stamp
 * and expiry.  A record's place is its entry's place in the table when it was
 * made, which stays the entry's until the table doubles: removing the entry
 * needs no lookup then, and its group is fetched with it.
 */
struct cache_ttl_rec {
	int64_t expiry_us;
	uint32_t entry;
	uint32_t place;
	uint32_t stamp;
};
/* The records of one TTL, a ring in store order: their expiries never decrease along it. */
struct cache_ttl_class {
	int64_t ttl_us;
	int64_t next_us;         /* no record expires before this (INT64_MAX: none held) */
	struct cache_ttl_rec *rec;
	uint32_t mask;           /* ring size − 1 (a power of two − 1) */
	uint32_t head, tail;     /* positions (wrapping) of the oldest record and the next one */
};

struct cache {
	const struct cache_policy *policy;
	uint64_t capacity;       /* live entries held at most; 0 = unbounded */
	uint32_t n_pool;         /* entries preallocated */
	uint32_t n_entries;      /* entries held now (expired ones until removed) */
	struct cache_entry *entry;
	uint32_t n_used;         /* pool entries ever handed out; the rest are fresh */
	uint32_t free_list;      /* released entries linked through .hash, or CACHE_NIL */
	struct cache_group *group;
	uint32_t mask;           /* number of groups − 1 (a power of two − 1) */
	uint32_t grow_at;        /* n_entries from which the table doubles (UINT32_MAX: never) */
	uint64_t max_groups;     /* the table doubles, while its slots are over half full, up to this */
	/* The eviction order, kept only when a capacity can evict: a ring of
	 * records, least recent at order_head, one current per entry held (at its
	 * .order); the older records of entries used again or removed since are
	 * left, and passed over because their entry does not point back. */
	struct cache_order_rec *order; /* NULL when no order is kept */
	uint32_t order_mask;     /* ring size − 1, the size at least twice n_pool */
	uint32_t order_head, order_tail; /* positions (wrapping); index = position & order_mask */
	uint32_t evict_at;       /* n_entries from which an insert evicts: the capacity, or UINT32_MAX */
	/* the policy's hooks, NULL without order */
	void (*on_hit)(struct cache *c, uint32_t e, uint32_t p);
	void (*on_replace)(struct cache *c, uint32_t e, uint32_t p);
	uint32_t stamp;          /* stores so far (wrapping) */
	int64_t purge_at_us;     /* no TTL record expires before this */
	struct cache_ttl_class ttl[CACHE_TTL_CLASSES];
	uint32_t n_ttl;
};

/*
 * Prepares an empty cache with `policy` (NULL: the default, lru) holding at
 * most `capacity` live entries (0: unbounded).  max_keys is the number of
 * distinct keys the caller will ever insert (the engine passes the number of
 * requests, a safe bound).  min(capacity, max_keys) 48-byte entries
 * (max_keys when capacity is 0) are allocated, and touched only as they are
 * used; the table, 64-byte groups of twelve slots, holds two to four slots
 * per entry held (and 128 groups at first, fewer when the pool is small).
 * When the capacity can evict (0 < capacity <= max_keys) an order ring is
 * allocated too, two to four 8-byte records per entry allocated.  Each TTL in
 * use gets a ring of 24-byte records that holds fewer than four records per
 * entry held whose last store had that TTL, at the peak of their number (16
 * records at least).  Returns -1 on out of memory or max_keys above 2^30,
 * with the reason in *e.
 */
int cache_init(struct cache *c, const struct cache_policy *policy, uint64_t capacity,
	       uint32_t max_keys, struct err *e);

void cache_fini(struct cache *c);

/*
 * A key's hash: two multiplications, the text id spread over 64 bits, the
 * key folded onto it, and the middle bits of a second product, which depend
 * on every bit below them: the group (the low bits) on all of text and task
 * and on the tenant's low bits, the rest of the hash on the tenant's higher
 * ones.
 */
static inline uint32_t cache_key_hash(const struct cache_key *k)
{
	uint64_t x = ((uint64_t)k->tenant << 32 | k->task) ^ (uint64_t)k->text * 0x9e3779b97f4a7c15ULL;
	return (uint32_t)(x * 0xd6e8feb86659fd93ULL >> 32);
}

/* Asks the processor to start loading k's group: a hint, for a lookup of k soon after. */
static inline void cache_prefetch(const struct cache *c, const struct cache_key *k)
{
	__builtin_prefetch(&c->group[cache_key_hash(k) & c->mask]);
}

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
 * when `capacity` entries are held, the least recent one is evicted first.  A TTL
 * <= 0 stores nothing (and removes k's old entry).
 *
 * Expiries are kept exactly but cheaply by grouping stores by TTL: since
 * now_us never decreases, the stores of one TTL expire in the order they were
 * made, so each TTL keeps a ring of (expiry, entry) records in store order,
 * and an insert pops the records expired at its instant.  The entry of a
 * popped record goes if its own expiry has passed too: a record left behind
 * by an entry since replaced, evicted or removed is dropped then (or when its
 * full ring is compacted), never unlinked.  A cache accepts CACHE_TTL_CLASSES
 * distinct finite TTLs (the engine uses one per model tier).  Returns 0, or
 * -1 when the caller inserts more distinct keys than max_keys or uses one TTL
 * too many; k is then not stored and nothing else changes but the removal of
 * expired entries.
 */
int cache_insert(struct cache *c, const struct cache_key *k, const struct cache_value *v,
		 int64_t ttl_us, int64_t now_us);

#endif
