/*
 * Scenario files: reading them with cJSON, following `extends`, validating
 * every file against the key table of sim/scenario.h, loading the pricing file
 * and resolving route and model names into a struct scenario (SPEC §3, §10).
 * Also the console's editing entry points: scenario_set() changes one key path
 * with the same validation, scenario_to_json() writes a scenario back out.
 *
 * Errors: functions return 0 / -1 and fill the struct err with one line that
 * names the file holding the bad key, the key path and what was expected:
 *   scenarios/v3.json: cache.ttl_s.large: expected a positive integer, got "1h"
 * Ownership: a loaded struct scenario is the caller's; release it with
 * scenario_fini().  Returned char * are the caller's to free().
 */
#ifndef TRACES_SCENARIO_H
#define TRACES_SCENARIO_H

#include "sim/err.h"
#include "sim/scenario.h"

/*
 * Loads the scenario file at `path`.  Relative `extends` and `pricing` paths
 * are relative to the file that holds them, or to the current directory when
 * it has no folder of its own (a pipe, or a file named as a descriptor:
 * /dev/stdin, <(cmd)'s /dev/fd/N, /proc/…/fd/N); without `pricing` the bundled
 * table is used (see pricing_bundled_path()).  On failure *out is left zeroed.
 */
int scenario_load(const char *path, struct scenario *out, struct err *err);

/*
 * Loads a scenario from JSON text.  `label` names it in messages (NULL: no
 * file prefix) and gives the default name; relative paths are relative to
 * `dir` (NULL: the current directory).
 */
int scenario_parse(const char *text, const char *label, const char *dir, struct scenario *out,
                   struct err *err);

/* A scenario known by name: "recorded" ({"name": "recorded", "mode": "recorded"} with the
 * bundled pricing).  Returns -1 for any other name. */
int scenario_builtin(const char *name, struct scenario *out, struct err *err);

/*
 * Sets the key at concrete `path` ("cache.ttl_s.large", "budget.faq_answer.overflow",
 * "routing.rules[0].route") to `value`, written as the console's user types it:
 * JSON ("1800", "null", "[\"tenant\", \"input\"]", "{\"window\": 10}") or, for
 * string keys, the bare text ("gpt-4.1"), and for lists also "a,b,c".  NULL
 * removes the key (back to its default).  Missing objects on the way are
 * created; an array element must exist.  The whole scenario is then validated
 * and resolved again; on failure *sc is unchanged and err says why (without a
 * file name: "cache.ttl_s.large: expected a positive integer, got \"1h\"").
 */
int scenario_set(struct scenario *sc, const char *path, const char *value, struct err *err);

/*
 * The scenario as JSON text (caller frees).  full == 0: the keys the files set,
 * merged (extends applied), as scenario->json holds them.  full == 1: every key
 * of the key table with its resolved value, defaults included.  NULL when out
 * of memory.
 */
char *scenario_to_json(const struct scenario *sc, int full);

/*
 * Writes scenario_to_json(sc, 0) to `path`.  A relative `pricing` path is
 * rewritten to an absolute one when `path` is in another directory than the
 * one the scenario was loaded from, so the file still finds its prices.
 */
int scenario_save(const struct scenario *sc, const char *path, struct err *err);

/*
 * The generic checker behind scenario and pricing files: validates object
 * `tree` against `table` (n entries).  Messages start with "LABEL: " unless
 * label is NULL, and end with " (line L, column C)", the place of the member or
 * element at fault, when `text`, the JSON text that `tree` was parsed from
 * (NUL-terminated), is given.  With `recorded`, top-level keys must carry KEYF_RECORDED.
 * When base is not NULL, the values are also stored into it (see struct
 * scenario_key).  cJSON stays behind this header: callers outside traces/
 * never see it.
 */
struct cJSON;
int scenario_check_tree(const struct cJSON *tree, const char *text, const struct scenario_key *table,
                        size_t n, const char *label, int recorded, void *base, struct err *err);

/* Parses JSON text[0..len); a syntax error names "LABEL:LINE:COL" (1-based, columns in
 * bytes; without a label just "LINE:COL"). */
int scenario_json_parse(const char *text, size_t len, const char *label, struct cJSON **out,
                        struct err *err);

/* Reads and parses a JSON file; a syntax error names "PATH:LINE:COL".  When text is not NULL,
 * *text gets the file's text, NUL-terminated (the caller's, NULL on failure). */
int scenario_read_json(const char *path, struct cJSON **out, char **text, struct err *err);

#endif
