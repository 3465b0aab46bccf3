/*
 * String interning with open addressing (linear probing over a power-of-two
 * slot array holding id + 1) and one growing byte arena.  Only offsets are kept
 * per id (a length is the distance to the next offset), in 32 bits until the
 * arena passes 4 GiB; growing the slot array hashes the strings again, which
 * costs less than keeping every hash.
 */
#include "sim/intern.h"

#include <stdlib.h>
#include <string.h>

void intern_init(struct intern *in)
{
	memset(in, 0, sizeof *in);
	in->off32_max = INTERN_OFF32_MAX;
}

void intern_fini(struct intern *in)
{
	if (!in)
		return;
	free(in->bytes);
	free(in->off32);
	free(in->off64);
	free(in->slots);
	memset(in, 0, sizeof *in);
}

static uint64_t mix(uint64_t z)
{
	z ^= z >> 30;
	z *= 0xbf58476d1ce4e5b9ULL;
	z ^= z >> 27;
	z *= 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t intern_hash(const void *s, size_t n)
{
	const unsigned char *p = s;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n, w;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ mix(w)) * 0x100000001b3ULL;
	}
	w = 0;
	memcpy(&w, p, n);
	return mix(h ^ w ^ ((uint64_t)n << 56));
}

static size_t off_of(const struct intern *in, uint32_t id)
{
	return in->off64 ? (size_t)in->off64[id] : in->off32[id];
}

static size_t len_of(const struct intern *in, uint32_t id)
{
	return off_of(in, id + 1) - off_of(in, id) - 1;
}

/* A new slot array, twice as large and at most half full with the ids there are. */
static int grow_slots(struct intern *in)
{
	uint32_t n_slots = in->n_slots ? in->n_slots * 2 : 64;
	while (n_slots < 2 * ((uint64_t)in->n + 1))
		n_slots *= 2;
	uint32_t *slots = calloc(n_slots, sizeof *slots);
	if (!slots)
		return -1;
	for (uint32_t id = 0; id < in->n; id++) {
		uint32_t i = (uint32_t)intern_hash(in->bytes + off_of(in, id), len_of(in, id)) & (n_slots - 1);
		while (slots[i])
			i = (i + 1) & (n_slots - 1);
		slots[i] = id + 1;
	}
	free(in->slots);
	in->slots = slots;
	in->n_slots = n_slots;
	return 0;
}

static int find_slot(const struct intern *in, const char *s, size_t n, uint64_t h, uint32_t *slot)
{
	uint32_t i = (uint32_t)h & (in->n_slots - 1);
	for (; in->slots[i]; i = (i + 1) & (in->n_slots - 1)) {
		uint32_t id = in->slots[i] - 1;
		if (len_of(in, id) == n && memcmp(in->bytes + off_of(in, id), s, n) == 0) {
			*slot = i;
			return 1;
		}
	}
	*slot = i;
	return 0;
}

int intern_find(const struct intern *in, const char *s, size_t n, uint32_t *id)
{
	uint32_t slot;
	if (!in->n_slots) { /* no index (intern_drop_index): every string */
		for (uint32_t k = 0; k < in->n; k++)
			if (len_of(in, k) == n && memcmp(in->bytes + off_of(in, k), s, n) == 0) {
				*id = k;
				return 1;
			}
		return 0;
	}
	if (!find_slot(in, s, n, intern_hash(s, n), &slot))
		return 0;
	*id = in->slots[slot] - 1;
	return 1;
}

static int grow(void **p, size_t elem, size_t cap)
{
	void *q = realloc(*p, elem * cap);
	if (!q)
		return -1;
	*p = q;
	return 0;
}

/* Room for cap + 1 offsets in the width in use. */
static int grow_off(struct intern *in, uint32_t cap)
{
	if (in->off64)
		return grow((void **)&in->off64, sizeof *in->off64, (size_t)cap + 1);
	return grow((void **)&in->off32, sizeof *in->off32, (size_t)cap + 1);
}

/* Moves the offsets to 64 bits (the bytes are about to pass off32_max).  -1 when out of memory. */
static int widen_off(struct intern *in)
{
	uint64_t *w = malloc(((size_t)in->cap + 1) * sizeof *w);
	if (!w)
		return -1;
	for (uint32_t k = 0; k <= in->n; k++)
		w[k] = in->off32[k];
	free(in->off32);
	in->off32 = NULL;
	in->off64 = w;
	return 0;
}

/* Stores s[0..n) under the next id, unindexed; -1 when out of memory. */
static int append(struct intern *in, const char *s, size_t n, uint32_t *id)
{
	if (in->n == UINT32_MAX - 1)
		return -1;
	if (in->n == in->cap) {
		uint32_t cap = in->cap ? (in->cap > UINT32_MAX / 2 ? UINT32_MAX - 1 : in->cap * 2) : 64;
		if (grow_off(in, cap) < 0)
			return -1;
		if (!in->cap)
			in->off32[0] = 0; /* off64 comes later, from widen_off */
		in->cap = cap;
	}
	if (!in->off64 && in->n_bytes + n + 1 > in->off32_max && widen_off(in) < 0)
		return -1;
	if (in->n_bytes + n + 1 > in->cap_bytes) {
		size_t cap = in->cap_bytes ? in->cap_bytes : 4096;
		while (cap < in->n_bytes + n + 1)
			cap *= 2;
		if (grow((void **)&in->bytes, 1, cap) < 0)
			return -1;
		in->cap_bytes = cap;
	}
	memcpy(in->bytes + in->n_bytes, s, n);
	in->bytes[in->n_bytes + n] = 0;
	in->n_bytes += n + 1;
	if (in->off64)
		in->off64[in->n + 1] = in->n_bytes;
	else
		in->off32[in->n + 1] = (uint32_t)in->n_bytes;
	*id = in->n++;
	return 0;
}

int intern_add(struct intern *in, const char *s, size_t n, uint32_t *id)
{
	uint64_t h = intern_hash(s, n);
	uint32_t slot;
	if (!in->n_slots && in->n && grow_slots(in) < 0) /* the index was dropped */
		return -1;
	if (in->n_slots && find_slot(in, s, n, h, &slot)) {
		*id = in->slots[slot] - 1;
		return 0;
	}
	if ((uint64_t)(in->n + 1) * 2 > in->n_slots && grow_slots(in) < 0)
		return -1;
	if (append(in, s, n, id) < 0)
		return -1;
	find_slot(in, s, n, h, &slot);
	in->slots[slot] = *id + 1;
	return 0;
}

int intern_append(struct intern *in, const char *s, size_t n, uint32_t *id)
{
	intern_drop_index(in);
	return append(in, s, n, id);
}

const char *intern_str(const struct intern *in, uint32_t id, size_t *len)
{
	if (len)
		*len = len_of(in, id);
	return in->bytes + off_of(in, id);
}

void intern_trim(struct intern *in)
{
	if (in->cap > in->n && in->n && grow_off(in, in->n) == 0)
		in->cap = in->n;
	if (in->cap_bytes > in->n_bytes && in->n_bytes && grow((void **)&in->bytes, 1, in->n_bytes) == 0)
		in->cap_bytes = in->n_bytes;
}

void intern_drop_index(struct intern *in)
{
	free(in->slots);
	in->slots = NULL;
	in->n_slots = 0;
}

uint64_t intern_bytes(const struct intern *in)
{
	uint64_t off = in->off64 ? sizeof *in->off64 : in->off32 ? sizeof *in->off32 : 0;
	return in->cap_bytes + ((uint64_t)in->cap + 1) * off + (uint64_t)in->n_slots * sizeof *in->slots;
}
