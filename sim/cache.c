/*
 * The response cache: a preallocated pool of 48-byte entries, found through
 * an open-addressing table of 64-byte groups of twelve slots (probing group by
 * group, a count per group of the keys that passed it, so no tombstones and
 * no shifts), with the eviction policies' registry at the end of the file.
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

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MAX_KEYS (1u << 30)
#define TTL_RING_MIN 16u
/*
 * How far past a ring's head the lines of the records to come are fetched:
 * the ring itself, and the entries and groups its records point to.
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

/*
 * A place in the table: group × 16 + slot.  A group's tags are matched at
 * once, as a mask of the slots whose tag is the one sought, so that a probe's
 * only branches are whether something matched and whether to go on to the
 * next group.
 */
#define POS(g, s) ((g) << 4 | (s))
#define POS_GROUP(p) ((p) >> 4)
#define POS_SLOT(p) ((p) & 15)
_Static_assert(sizeof(struct cache_group) == 64 && CACHE_GROUP_SLOTS == 12 &&
	       offsetof(struct cache_group, passed) == 12,
	       "a group is one 64-byte line: twelve tags, a count, twelve entries");

/* The tag of a key's hash: never 0 (a free slot), and from bits the home group does not use. */
static inline uint8_t tag_of(uint32_t h)
{
	return (uint8_t)(0x80 | h >> 25);
}

/* The slots of group g whose tag is t, as a mask: bit s for slot s. */
static inline uint32_t group_match(const struct cache_group *g, uint8_t t)
{
#ifdef __SSE2__
	/* the twelve tags and the count as one 16-byte vector, aligned as groups are allocated
	 * (alloc_lines): a compare, a mask */
	__m128i tags = _mm_load_si128((const __m128i *)(const void *)g);
	return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(tags, _mm_set1_epi8((char)t))) & 0xfffu;
#else
	uint32_t m = 0;
	for (unsigned s = 0; s < CACHE_GROUP_SLOTS; s++)
		m |= (uint32_t)(g->tag[s] == t) << s;
	return m;
#endif
}

/* The lowest slot of a mask that is not empty, which it then drops. */
static inline unsigned slots_next(uint32_t *m)
{
	unsigned s = (unsigned)__builtin_ctz(*m);
	*m &= *m - 1;
	return s;
}

/* The place holding k, or CACHE_NIL. */
static inline uint32_t table_find(const struct cache *c, const struct cache_key *k, uint32_t h)
{
	uint8_t t = tag_of(h);
	for (uint32_t g = h & c->mask;; g = (g + 1) & c->mask) {
		const struct cache_group *x = &c->group[g];
		for (uint32_t m = group_match(x, t); m;) {
			unsigned s = slots_next(&m);
			if (key_eq(&c->entry[x->entry[s]].key, k))
				return POS(g, s);
		}
		if (!x->passed)
			return CACHE_NIL;
	}
}

/* The entry at place p. */
static inline uint32_t table_entry(const struct cache *c, uint32_t p)
{
	return c->group[POS_GROUP(p)].entry[POS_SLOT(p)];
}

/*
 * The place of held entry e, which was put at place `was`: still there unless
 * the table has doubled since (a slot that holds e is its place: it is held
 * once), else found by its key.
 */
static inline uint32_t table_place(const struct cache *c, uint32_t e, uint32_t was)
{
	if (c->group[POS_GROUP(was)].tag[POS_SLOT(was)] && table_entry(c, was) == e)
		return was;
	return table_find(c, &c->entry[e].key, c->entry[e].hash);
}

/* Puts entry e of hash h in the first group from its home with a free slot (one has); returns
 * its place. */
static inline uint32_t table_put(struct cache *c, uint32_t h, uint32_t e)
{
	uint32_t g = h & c->mask;
	uint32_t free;
	while (!(free = group_match(&c->group[g], 0))) {
		c->group[g].passed++;
		g = (g + 1) & c->mask;
	}
	unsigned s = slots_next(&free);
	c->group[g].tag[s] = tag_of(h);
	c->group[g].entry[s] = e;
	return POS(g, s);
}

/* Empties place p, whose key's hash is h: the groups it passed count one key less. */
static inline void table_delete(struct cache *c, uint32_t p, uint32_t h)
{
	c->group[POS_GROUP(p)].tag[POS_SLOT(p)] = 0;
	for (uint32_t g = h & c->mask; g != POS_GROUP(p); g = (g + 1) & c->mask)
		c->group[g].passed--;
}

/* The entry count from which a table of mask + 1 groups doubles: half its slots. */
static uint32_t table_grow_at(const struct cache *c)
{
	return c->mask + 1 < c->max_groups ? (c->mask + 1) * CACHE_GROUP_SLOTS / 2 : UINT32_MAX;
}

/* Doubles the table (the entries' hashes place them: no key is read). */
RARE static int table_grow(struct cache *c)
{
	uint32_t old_n = c->mask + 1;
	struct cache_group *old = c->group;
	c->group = alloc_lines((size_t)old_n * 2 * sizeof *c->group);
	if (!c->group) {
		c->group = old;
		return -1;
	}
	memset(c->group, 0, (size_t)old_n * 2 * sizeof *c->group);
	c->mask = old_n * 2 - 1;
	for (uint32_t g = 0; g < old_n; g++)
		for (unsigned s = 0; s < CACHE_GROUP_SLOTS; s++)
			if (old[g].tag[s])
				table_put(c, c->entry[old[g].entry[s]].hash, old[g].entry[s]);
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

/* Appends e, at place p, which has no record, as the most recent entry. */
static inline void order_append(struct cache *c, struct cache_entry *x, uint32_t e, uint32_t p)
{
	if (c->order_tail - c->order_head > c->order_mask)
		order_compact(c);
	x->order = c->order_tail++ & c->order_mask;
	c->order[x->order] = (struct cache_order_rec){ e, p };
}

/* The LRU policy's hook: e becomes the most recent entry (its old record is no longer current). */
static void order_touch(struct cache *c, uint32_t e, uint32_t p)
{
	order_append(c, &c->entry[e], e, p);
}

/*
 * Takes the least recent entry off the ring (one is held), passing the
 * records that are no longer current, and returns its record.  Each record
 * passed on the way has the record AHEAD_ENTRY places after it fetched.
 */
static struct cache_order_rec order_pop(struct cache *c)
{
	const struct cache_order_rec *order = c->order;
	uint32_t mask = c->order_mask, head = c->order_head, j;
	do {
		const struct cache_order_rec *r = &order[(head + AHEAD_ENTRY) & mask];
		__builtin_prefetch(&order[(head + AHEAD_RING) & mask]);
		if (c->order_tail - head > AHEAD_ENTRY) {
			__builtin_prefetch(&c->entry[r->entry]);
			__builtin_prefetch(&c->group[POS_GROUP(r->place)]);
		}
		j = head++ & mask;
	} while (!order_current(c, j));
	c->order_head = head;
	c->entry[order[j].entry].order = CACHE_NIL;
	return order[j];
}

/* ---- entries ---- */

/*
 * Frees held entry e, at place p.  Its order and TTL records stay: a free
 * entry has no order record and an infinite expiry, so none of them is
 * current.
 */
static inline void entry_remove(struct cache *c, uint32_t e, uint32_t p)
{
	struct cache_entry *x = &c->entry[e];
	table_delete(c, p, x->hash);
	x->expiry_us = INT64_MAX;
	x->order = CACHE_NIL;
	x->hash = c->free_list;
	c->free_list = e;
	c->n_entries--;
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
	struct cache_group *group = c->group;
	const struct cache_ttl_rec *rec = t->rec;
	uint32_t rmask = t->mask, head = t->head, tail = t->tail;
	for (; head != tail && rec[head & rmask].expiry_us <= now_us; head++) {
		const struct cache_ttl_rec *r = &rec[head & rmask];
		__builtin_prefetch(&rec[(head + AHEAD_RING) & rmask]);
		if (tail - head > AHEAD_ENTRY) {
			const struct cache_ttl_rec *ahead = &rec[(head + AHEAD_ENTRY) & rmask];
			__builtin_prefetch(&entry[ahead->entry]);
			__builtin_prefetch(&group[POS_GROUP(ahead->place)]);
		}
		if (entry[r->entry].expiry_us <= now_us)
			entry_remove(c, r->entry, table_place(c, r->entry, r->place));
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
	uint64_t n_groups = 1, n_order = 4;
	int ordered = capacity > 0 && capacity <= max_keys; /* else it never evicts: no order is kept */

	cache_empty(c);
	if (max_keys > MAX_KEYS)
		return err_set(e, "cache: %u distinct keys are more than the cache supports (%u)",
			       max_keys, MAX_KEYS);
	while (n_groups * CACHE_GROUP_SLOTS < 2 * pool)
		n_groups *= 2;
	c->max_groups = n_groups;
	if (n_groups > 128) /* the table grows with the entries held: small ones stay in cache */
		n_groups = 128;
	c->policy = policy ? policy : cache_policies[0];
	c->capacity = capacity;
	c->n_pool = (uint32_t)pool;
	c->mask = (uint32_t)(n_groups - 1);
	c->grow_at = table_grow_at(c);
	c->entry = alloc_lines((pool ? pool : 1) * sizeof *c->entry);
	c->group = alloc_lines(n_groups * sizeof *c->group);
	if (ordered) {
		while (n_order < 2 * pool)
			n_order *= 2;
		c->order = malloc(n_order * sizeof *c->order);
		c->order_mask = (uint32_t)(n_order - 1);
		c->evict_at = (uint32_t)capacity;
		c->on_hit = c->policy->on_hit;
		c->on_replace = c->policy->on_replace;
	}
	if (!c->entry || !c->group || (ordered && !c->order)) {
		cache_fini(c);
		return err_set(e, "cache: out of memory for %llu entries", (unsigned long long)pool);
	}
	memset(c->group, 0, n_groups * sizeof *c->group);
	return 0;
}

void cache_fini(struct cache *c)
{
	if (!c)
		return;
	free(c->entry);
	free(c->group);
	free(c->order);
	for (uint32_t i = 0; i < c->n_ttl; i++)
		free(c->ttl[i].rec);
	cache_empty(c);
}

/* The rest of a lookup that found k at place p: a hit, or an expired entry that goes. */
APART static int lookup_found(struct cache *c, uint32_t p, int64_t now_us, struct cache_value *out)
{
	uint32_t e = table_entry(c, p);
	const struct cache_entry *x = &c->entry[e];
	if (x->expiry_us <= now_us) {
		entry_remove(c, e, p);
		return 0;
	}
	if (out)
		*out = x->value;
	if (c->on_hit)
		c->on_hit(c, e, p);
	return 1;
}

int cache_lookup(struct cache *c, const struct cache_key *k, int64_t now_us, struct cache_value *out)
{
	uint32_t p = table_find(c, k, cache_key_hash(k));
	return p != CACHE_NIL && lookup_found(c, p, now_us, out);
}

/* Stores nothing for k, and drops its held answer. */
RARE static int insert_nothing(struct cache *c, const struct cache_key *k, uint32_t h)
{
	uint32_t p = table_find(c, k, h);
	if (p != CACHE_NIL)
		entry_remove(c, table_entry(c, p), p);
	return 0;
}

/* Makes room for a new key: evicts, or grows the table. */
static int insert_room(struct cache *c)
{
	if (c->n_entries >= c->evict_at) {
		struct cache_order_rec victim = order_pop(c);
		entry_remove(c, victim.entry, table_place(c, victim.entry, victim.place));
	} else if (c->n_entries >= c->grow_at && table_grow(c) < 0) {
		return -1;
	}
	return 0;
}

int cache_insert(struct cache *c, const struct cache_key *k, const struct cache_value *v,
		 int64_t ttl_us, int64_t now_us)
{
	uint32_t h = cache_key_hash(k), p, e;
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
	p = table_find(c, k, h);
	int replaced = p != CACHE_NIL;
	if (!replaced) {
		if ((c->n_entries >= c->evict_at || c->n_entries >= c->grow_at) && insert_room(c) < 0)
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
		p = table_put(c, h, e);
		c->n_entries++;
		if (c->order)
			order_append(c, x, e, p);
		else
			x->order = CACHE_NIL;
	} else {
		e = table_entry(c, p);
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
		t->rec[t->tail++ & t->mask] = (struct cache_ttl_rec){ expiry, e, p, x->stamp };
	}
	if (replaced && c->on_replace)
		c->on_replace(c, e, p);
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
