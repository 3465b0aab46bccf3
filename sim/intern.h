/*
 * String interning: each distinct byte string gets a small dense id (0, 1, 2…
 * in order of first sight), so the columnar trace holds ids instead of
 * pointers and compares tenants, tasks and models as integers.  The table owns
 * copies of its strings; ids and pointers stay valid until intern_fini.
 * Functions that allocate return -1 when memory runs out and change nothing.
 */
#ifndef SIM_INTERN_H
#define SIM_INTERN_H

#include <stddef.h>
#include <stdint.h>

struct intern {
	char *bytes;            /* every string, each followed by a NUL */
	size_t n_bytes, cap_bytes;
	uint32_t *off32;        /* id → offset in bytes, and off[n] = n_bytes: a length is
	                           off[id + 1] - off[id] - 1 (strings may hold NUL bytes) */
	uint64_t *off64;        /* instead of off32 once the bytes would pass off32_max */
	size_t off32_max;       /* INTERN_OFF32_MAX (intern_init); a test may lower it */
	uint32_t n, cap;        /* ids in use, allocated (the offsets hold cap + 1) */
	uint32_t *slots;        /* open addressing: id + 1, 0 = empty */
	uint32_t n_slots;       /* a power of two */
};

/* The most string bytes (NULs included) kept with 32-bit offsets: 4 bytes per id
 * instead of 8 below 4 GiB of strings. */
#define INTERN_OFF32_MAX UINT32_MAX

void intern_init(struct intern *in);
void intern_fini(struct intern *in);

/* The id of s[0..n), added when new.  Returns 0, or -1 when out of memory. */
int intern_add(struct intern *in, const char *s, size_t n, uint32_t *id);

/* Stores s[0..n) under the next id without looking it up, for strings known to be
 * distinct (a stored table read back in id order): no index is kept or built
 * (intern_add builds it again).  Returns 0, or -1 when out of memory. */
int intern_append(struct intern *in, const char *s, size_t n, uint32_t *id);

/* The id of s[0..n) when present: returns 1 and sets *id, else 0. */
int intern_find(const struct intern *in, const char *s, size_t n, uint32_t *id);

/* The string of an id (NUL-terminated; *len may be NULL).  Borrowed. */
const char *intern_str(const struct intern *in, uint32_t id, size_t *len);

/* Gives back the room reserved for growth (when the table is complete); adding
 * afterwards still works.  Never fails: where the system keeps the room, it stays. */
void intern_trim(struct intern *in);

/* Frees the lookup index of a table that is complete (its slots: 8 to 16 bytes a
 * string).  intern_str is unchanged; intern_find then compares every string in
 * turn, and intern_add builds the index again. */
void intern_drop_index(struct intern *in);

/* Bytes the table holds (strings, offsets and slots, reserved room included). */
uint64_t intern_bytes(const struct intern *in);

/* A fast 64-bit hash of n bytes (not cryptographic, stable across runs). */
uint64_t intern_hash(const void *s, size_t n);

#endif
