/*
 * Synthetic traces for `llmcost gen`: each recipe (faq, docs, flood, mixed)
 * writes trace v1 JSON Lines (SPEC §2) for the workloads of the cost-design
 * article.  Output depends only on the recipe and its parameters: the clock
 * starts at a fixed date per recipe and every draw comes from a seeded PRNG,
 * so one seed always gives the same bytes.  Lines are streamed through a
 * fixed buffer, so memory does not grow with the number of requests.
 *
 * Errors: functions return 0 / -1 and fill the caller's struct err at the
 * failing site.  Nothing here prints or exits.
 */
#ifndef TRACES_GEN_H
#define TRACES_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* Bounds checked by gen_params_check(). */
#define GEN_MAX_REQUESTS 10000000000ULL
#define GEN_MAX_TENANTS 10000u
#define GEN_MAX_DAYS 366u

struct gen_params {
	uint64_t n_requests;    /* lines to write, >= 1 */
	unsigned n_tenants;     /* 1 .. GEN_MAX_TENANTS */
	unsigned n_days;        /* 1 .. GEN_MAX_DAYS; flood: the outage falls on the last day */
	uint64_t seed;
};

/* Where the bytes go, in order (a write may end in the middle of a line). */
struct gen_sink {
	/* Returns 0, or -1 after filling e. */
	int (*write)(void *ctx, const char *buf, size_t n, struct err *e);
	void *ctx;
	/* Now and then after the first second (traces/progress.h), the lines finished so far
	 * (may be NULL): for a progress line. */
	void (*progress)(void *progress_ctx, uint64_t lines);
	void *progress_ctx;
};

/* The line writer a recipe fills (private to traces/gen*.c). */
struct gen_out;

struct gen_recipe {
	const char *name;
	const char *help;               /* one line for --help */
	struct gen_params defaults;
	/* Writes p->n_requests lines to o.  Returns 0, or -1 with e filled. */
	int (*emit)(const struct gen_params *p, struct gen_out *o, struct err *e);
};

/* The registry, in --help order; ends with a row whose name is NULL. */
extern const struct gen_recipe gen_recipes[];

/* The recipe called name, or NULL. */
const struct gen_recipe *gen_recipe_find(const char *name);

/* Fills e ("--tenants: expected 1 to 10000, got 0") and returns -1 when p is out of bounds. */
int gen_params_check(const struct gen_params *p, struct err *e);

/* Writes the trace of recipe r to s.  Returns 0, or -1 with e filled. */
int gen_run(const struct gen_recipe *r, const struct gen_params *p, const struct gen_sink *s,
            struct err *e);

/* 0 when path may be written over: it is not an SQLite file (a store named by mistake). */
int gen_output_check(const char *path, struct err *e);

/*
 * Writes the trace to path: NULL or "-" is stdout, a name ending in ".gz" is
 * gzip-compressed (zlib), anything else is a plain file.  A regular file (or a new
 * one) is replaced whole or not at all (traces/replace.h): a failure removes the
 * temporary file and leaves path as it was.  progress (may be
 * NULL) is called as in struct gen_sink.  Returns 0, or -1 with e filled.
 */
/* The temporary file gen_write_file is writing (NULL while none), for a signal handler that
 * ends the run to remove. */
extern const char *volatile gen_writing;

int gen_write_file(const struct gen_recipe *r, const struct gen_params *p, const char *path,
                   void (*progress)(void *progress_ctx, uint64_t lines), void *progress_ctx,
                   struct err *e);

#endif
