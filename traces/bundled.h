/*
 * Where the bundled data lives: fixtures/ in the source tree (found from the
 * program's own path, so ./llmcost and build/unit-tests both see it), or
 * share/llmcost/ beside an installed program.  Paths are written into the
 * caller's buffer.
 */
#ifndef TRACES_BUNDLED_H
#define TRACES_BUNDLED_H

#include <stddef.h>

/*
 * The path of bundled file or folder `rel` ("pricing/openai.json",
 * "scenarios") into buf: fixtures/REL in the program's directory or up to
 * three above it, then ../share/llmcost/REL next to the program.  Returns buf,
 * or NULL when it is in none of them.
 */
const char *bundled_path(const char *rel, char *buf, size_t n);

/* The bundled scenario file `name` ("v3" or "v3.json", no '/') into buf; buf, or NULL when
 * there is no such scenario. */
const char *bundled_scenario(const char *name, char *buf, size_t n);

/* The names of the bundled scenarios, sorted, as "a, b, c" into buf ("" when none). */
void bundled_scenarios(char *buf, size_t n);

#endif
