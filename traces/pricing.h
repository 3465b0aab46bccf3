/*
 * Pricing files (SPEC §3): a dated table of per-model prices in USD per 1M
 * tokens, read with cJSON and validated like scenarios (unknown keys, wrong
 * types and more than 6 decimals are errors naming the file and key path).
 * Ownership: *out of pricing_load() is the caller's; release with pricing_free().
 */
#ifndef TRACES_PRICING_H
#define TRACES_PRICING_H

#include "sim/err.h"
#include "sim/pricing.h"

/* Loads and validates the pricing file at `path`.  On failure *out is NULL. */
int pricing_load(const char *path, struct pricing **out, struct err *err);

/* Same from JSON text; `label` names it in messages and becomes p->path. */
int pricing_parse(const char *text, const char *label, struct pricing **out, struct err *err);

/*
 * The bundled table, fixtures/pricing/openai.json, found in this order:
 * $LLMCOST_PRICING (a file path); the compile-time LLMCOST_PRICING_FILE when
 * defined (-DLLMCOST_PRICING_FILE=\"/usr/share/llmcost/pricing/openai.json\");
 * fixtures/pricing/openai.json in the program's directory or up to three
 * directories above it (./llmcost and build/unit-tests in the source tree);
 * ../share/llmcost/pricing/openai.json next to the program (an installed
 * copy).  Returns a static buffer, or NULL when none is readable.
 */
const char *pricing_bundled_path(void);

#endif
