/*
 * Cache-key text normalization (SPEC §10 "Cache"): the steps lower,
 * strip_punct and collapse_space, always applied in that order whatever order
 * a scenario lists them in.  The engine normalizes each distinct input text
 * once and interns the result as the `input` part of a cache key.
 */
#ifndef SIM_NORMALIZE_H
#define SIM_NORMALIZE_H

/*
 * Ownership and errors: nothing here allocates; output goes to the caller's
 * buffer.  normalize_init and normalize_step_find fill a struct err and
 * return -1 on failure; normalize_text returns -1 only when the caller's
 * buffer is too small (see NORMALIZE_OUT_MAX).  Texts are byte strings with a
 * length (NUL bytes allowed); input is expected to be valid UTF-8 (validated
 * at import), and a byte that does not start a well-formed sequence is copied
 * through unchanged, never read past the end.
 *
 * `lower` is the Unicode simple lowercase mapping as towlower_l() gives it in
 * the C.UTF-8 locale, obtained once per process with newlocale() and so
 * independent of the process's own locale (setlocale is never called).  That
 * makes the mapping the C library's (glibc's Unicode tables); ASCII takes a
 * fast path with the same result.
 */

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

enum normalize_flag {
	NORMALIZE_LOWER = 1u << 0,
	NORMALIZE_STRIP_PUNCT = 1u << 1,
	NORMALIZE_COLLAPSE_SPACE = 1u << 2,
};

/* The steps by name, in the order they run; feeds scenario parsing and --help. */
struct normalize_step {
	const char *name;        /* as written in "cache.normalize" */
	unsigned flag;           /* enum normalize_flag */
	const char *help;        /* one line */
};
extern const struct normalize_step normalize_steps[];
extern const unsigned normalize_n_steps;

/*
 * The flag of the step called `name`.  Returns 0, or -1 with "unknown
 * normalization step "x" (expected one of: lower, strip_punct,
 * collapse_space)" in *e.
 */
int normalize_step_find(const char *name, unsigned *flag, struct err *e);

struct normalize {
	unsigned flags;          /* a set of enum normalize_flag */
	int16_t ascii[128];      /* what an ASCII byte becomes: itself mapped, or NORMALIZE_DROP / _SPACE */
};
#define NORMALIZE_DROP (-1)
#define NORMALIZE_SPACE (-2)

/*
 * Prepares a normalizer for `flags`.  With NORMALIZE_LOWER it needs the
 * C.UTF-8 locale (loaded once per process, thread-safe); returns -1 with a
 * message naming the missing locale when the C library has none.  There is
 * nothing to release afterwards.
 */
int normalize_init(struct normalize *nz, unsigned flags, struct err *e);

/*
 * Output bytes needed for n input bytes, excluding the terminating NUL.
 * Lowercasing can lengthen a character: U+023A (2 bytes) becomes U+2C65
 * (3 bytes), so the bound is 3/2 of the input; no lowercase mapping in the
 * C library's tables takes a 1-byte character to more than 1 byte, a 2-byte
 * one to more than 3, a 3-byte one to more than 4 or a 4-byte one to more
 * than 4 (checked over every code point by tests/test_normalize.c).
 */
#define NORMALIZE_OUT_MAX(n) ((n) + (n) / 2)

/*
 * Normalizes in[0..n) into out (out_size bytes, which must not overlap in),
 * writes a terminating NUL and the length without it to *out_len.  Returns 0,
 * or -1 when out_size is below what the text needs (out_size >=
 * NORMALIZE_OUT_MAX(n) + 1 always suffices); *out is then unspecified.  Uses
 * no locale state of the calling thread and allocates nothing.
 */
int normalize_text(const struct normalize *nz, const char *in, size_t n, char *out,
		   size_t out_size, size_t *out_len);

/*
 * The rules normalize_text follows, as a short text: the version of this
 * file's steps and of the C library whose case mappings "lower" reads.  What
 * was computed from normalized texts and kept (the store keeps the cache's
 * normalized inputs) holds only while the rules are the same.
 */
const char *normalize_rules(void);

#endif
