/*
 * What the files of the scenario loader share and nothing else sees: the
 * checker's messages, key table lookups and walk (scenario_check.c), strict JSON
 * with numbers as written (scenario_json.c), and the names of files and the load
 * from a tree (scenario.c) that an edit (scenario_edit.c) goes through again.
 * Errors and ownership as in traces/scenario.h.
 */
#ifndef TRACES_SCENARIO_INTERNAL_H
#define TRACES_SCENARIO_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "traces/scenario.h"

/* ---- messages and the key table (scenario_check.c) ---- */

/* err_set() with "LABEL: " in front when there is a label.  Returns -1. */
int scenario_fail(struct err *err, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The entry of `t` whose pattern is `pat` exactly ("budget.*.overflow"), or NULL; a concrete
 * path goes through scenario_key_find(). */
const struct scenario_key *scenario_key_exact(const struct scenario_key *t, size_t n, const char *pat);
/* 1 when entry k is a direct member of the object at pattern `parent` ("" = top). */
int scenario_key_is_child(const struct scenario_key *k, const char *parent);
/* The member name that ends k's pattern ("overflow" for "budget.*.overflow"). */
const char *scenario_key_member(const struct scenario_key *k);
/* The members an object of key pattern `parent` ("" for the top) may hold, ", " apart: those
 * whose entries have every flag of `flags` (0: all). */
const char *scenario_known_members(const struct scenario_key *table, size_t n, const char *parent,
                                   unsigned flags, char *known, size_t size);

/* ---- the checker's walk (scenario_check.c) ---- */

/* A key path under construction: concrete ("budget.faq.overflow") or pattern. */
struct kpath {
	char s[1024];
	size_t n;
};

#define WALK_DEPTH 32

/* The checker's state while it walks a tree. */
struct walk {
	const struct scenario_key *table;
	size_t n;
	const char *label;
	int recorded;
	struct err *err;
	struct kpath path; /* concrete */
	struct kpath pat;  /* pattern */
	const char *text;  /* the tree's JSON text, NULL when unknown */
	const cJSON *root;
	const cJSON *chain[WALK_DEPTH]; /* the members and elements from the root to the one checked */
	size_t depth;
};

/*
 * The 1-based line and byte column in w->text of the member (its key) or
 * element being checked: the text is scanned again, child by child, in the
 * order cJSON kept them.  -1 at the top, or when the text is not known.
 */
int scenario_walk_locate(const struct walk *w, size_t *line, size_t *col);

/* ---- strict JSON (scenario_json.c) ---- */

/*
 * cJSON's tree of text[0..len), its numbers as written; NULL when the text is not
 * strict JSON (cJSON takes 01 or 1. too) or out of memory.  For text that we
 * wrote ourselves or that the user gives `set`; files go through scenario_parse_text().
 */
cJSON *scenario_parse_as_written(const char *text);
/* scenario_json_parse() returning the tree: NULL with err set when the text is not strict
 * JSON or out of memory. */
cJSON *scenario_parse_text(const char *text, size_t len, const char *label, struct err *err);

/* ---- names of files and the load (scenario.c) ---- */

/* The directory part of path (caller frees), "" when it has none ("a.json"), "/" for
 * "/a.json"; NULL when out of memory. */
char *scenario_dir_of(const char *path);
/* The default name (caller frees): the file name without its directory and ".json"; NULL
 * when out of memory. */
char *scenario_name_of(const char *path);

/*
 * Checks `tree` (taken, whatever the outcome), follows its `extends`, and resolves the
 * merged tree into *out.  `text` is the tree's JSON text for the place of an error (or
 * NULL), `label` the file as named to the user (or NULL), `dir` what its relative paths
 * are relative to, `real` its realpath for cycles (or NULL).
 */
int scenario_load_from_tree(cJSON *tree, const char *text, const char *label, const char *dir,
                            const char *real, struct scenario *out, struct err *err);

#endif
