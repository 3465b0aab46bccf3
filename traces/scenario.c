/*
 * Scenario loading: every file's cJSON tree is checked against the key table
 * (scenario_check.c) on its own, so an error names the file holding the bad key,
 * then the trees are merged along `extends` (objects recursively, arrays and
 * scalars replaced, `name` never inherited), stored by the same table and
 * resolved: the pricing file is loaded and every route and model name checked.
 */
#include "traces/scenario_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/bundled.h"
#include "traces/pricing.h"

#define MAX_EXTENDS 16

/* ---- paths of files ---- */

char *scenario_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup("");
	size_t n = slash == path ? 1 : (size_t)(slash - path);
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

/* dir/rel, or rel when it is absolute or dir is empty.  Caller frees. */
static char *join_path(const char *dir, const char *rel)
{
	if (rel[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
		return strdup(rel);
	size_t dn = strlen(dir), rn = strlen(rel);
	int slash = dir[dn - 1] != '/';
	char *p = malloc(dn + (size_t)slash + rn + 1);
	if (p) {
		memcpy(p, dir, dn);
		if (slash)
			p[dn] = '/';
		memcpy(p + dn + (size_t)slash, rel, rn + 1);
	}
	return p;
}

/* 1 when path names a descriptor (/dev/stdin, /dev/fd/N, /proc/…/fd/N: a pipe of <(cmd), or
 * any file opened so), whose last part ("63", "stdin") names nothing the user wrote. */
static int path_is_descriptor(const char *path)
{
	return !strncmp(path, "/dev/std", 8) || !strncmp(path, "/dev/fd/", 8) ||
	       (!strncmp(path, "/proc/", 6) && strstr(path, "/fd/"));
}

char *scenario_name_of(const char *path)
{
	if (path_is_descriptor(path)) /* -s <(jq … v3.json) is "/dev/fd/63", not "63" */
		return strdup(path);
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".json") == 0)
		n -= 5;
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, b, n);
		s[n] = '\0';
	}
	return s;
}

/* ---- extends ---- */

struct layer {
	char *label;  /* the file as named to the user; NULL for text without a label */
	char *real;   /* realpath, for cycles; NULL for text */
	cJSON *tree;  /* the file's own tree */
	char *text;   /* its JSON text, for the place of an error found after the merge; or NULL */
};

struct chain {
	struct layer v[MAX_EXTENDS];
	size_t n;
};

static void chain_free(struct chain *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].label);
		free(c->v[i].real);
		free(c->v[i].text);
		cJSON_Delete(c->v[i].tree);
	}
	c->n = 0;
}

static int tree_is_recorded(const cJSON *t)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(t, "mode");
	return cJSON_IsString(m) && strcmp(m->valuestring, "recorded") == 0;
}

/* A price file's shape: "models" an object at the top, beside no key of a scenario's (the
 * others of a price file are date and source). */
static int tree_is_prices(const cJSON *t)
{
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(t, "models")))
		return 0;
	for (const cJSON *m = t->child; m; m = m->next)
		if (scenario_key_exact(scenario_keys, scenario_n_keys, m->string))
			return 0;
	return 1;
}

/* Objects merge member by member; anything else in src replaces dst's. */
static int merge_into(cJSON *dst, const cJSON *src)
{
	for (const cJSON *m = src->child; m; m = m->next) {
		cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, m->string);
		if (d && cJSON_IsObject(d) && cJSON_IsObject(m)) {
			if (merge_into(d, m) < 0)
				return -1;
			continue;
		}
		cJSON *copy = cJSON_Duplicate(m, 1);
		if (!copy)
			return -1;
		if (d)
			cJSON_ReplaceItemViaPointer(dst, d, copy);
		else
			cJSON_AddItemToObject(dst, m->string, copy);
	}
	return 0;
}

static cJSON *load_tree(struct chain *c, const char *label, const char *dir, cJSON *tree,
                        const char *text, const char *real, struct err *err);

/*
 * Loads the file named by `extends` in the layer at depth `at`: a file relative
 * to `dir`, else (a name without '/') a bundled scenario, as `-s` takes them.
 * *from gets the folder that the parent's relative paths are relative to, as a
 * path relative to `dir` or absolute (caller frees).
 */
static cJSON *load_parent(struct chain *c, size_t at, const char *dir, const char *ext,
                          char **from, struct err *err)
{
	const char *label = c->v[at].label;
	char *file = join_path(dir, ext), *real = NULL, *pdir = NULL, *text = NULL, bundled[PATH_MAX + 64];
	cJSON *tree = NULL, *merged = NULL;
	char cyc[900];
	struct stat st;

	*from = NULL;
	if (!file) {
		scenario_fail(err, label, "extends: out of memory");
		goto out;
	}
	/* a folder is no file: a bare name then is a bundled scenario's, as `-s NAME` beside a folder */
	if ((real = realpath(file, NULL)) && stat(real, &st) == 0 && S_ISDIR(st.st_mode)) {
		free(real);
		real = NULL;
		errno = EISDIR;
	}
	if (!real) {
		int why = errno;
		if ((why == ENOENT || why == EISDIR) && bundled_scenario(ext, bundled, sizeof bundled)) {
			free(file);
			if (!(file = strdup(bundled)) || !(*from = scenario_dir_of(file))) {
				scenario_fail(err, label, "extends: out of memory");
				goto out;
			}
			real = realpath(file, NULL);
			why = errno;
		}
		if (!real) {
			char list[512];
			bundled_scenarios(list, sizeof list);
			if (why == ENOENT && !strchr(ext, '/') && *list)
				scenario_fail(err, label, "extends: no file \"%s\", and no bundled scenario of that "
				     "name (bundled: %s)", file, list);
			else if (why == EISDIR)
				scenario_fail(err, label, "extends: \"%s\" is a folder, not a scenario file", file);
			else
				scenario_fail(err, label, "extends: cannot read \"%s\": %s", file, strerror(why));
			goto out;
		}
	} else {
		*from = scenario_dir_of(ext);
	}
	if (!*from) {
		scenario_fail(err, label, "extends: out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->n; i++) {
		if (!c->v[i].real || strcmp(c->v[i].real, real) != 0)
			continue;
		size_t k = 0;
		cyc[0] = '\0';
		for (size_t j = i; j < c->n; j++) {
			int r = snprintf(cyc + k, sizeof cyc - k, "%s -> ", c->v[j].label);
			if (r > 0 && (size_t)r < sizeof cyc - k)
				k += (size_t)r;
		}
		snprintf(cyc + k, sizeof cyc - k, "%s", file);
		scenario_fail(err, label, "extends: cycle: %s", cyc);
		goto out;
	}
	if (c->n >= MAX_EXTENDS) {
		/* the chain's start, which the user gave, and where it went past */
		scenario_fail(err, c->v[0].label ? c->v[0].label : label,
		              "extends: more than %d files deep (the %dth, %s, extends \"%s\")", MAX_EXTENDS,
		              MAX_EXTENDS, label ? label : "the scenario", ext);
		goto out;
	}
	if (access(file, R_OK) < 0) { /* here, as the file's own errors name only it */
		scenario_fail(err, label, "extends: cannot read \"%s\": %s", file, strerror(errno));
		goto out;
	}
	if (scenario_read_json(file, &tree, &text, err) < 0)
		goto out;
	if (tree_is_recorded(tree)) {
		scenario_fail(err, label, "extends: \"%s\" is a recorded scenario, which cannot be extended", ext);
		goto out;
	}
	if (!(pdir = scenario_dir_of(file))) {
		scenario_fail(err, label, "extends: out of memory");
		goto out;
	}
	merged = load_tree(c, file, pdir, tree, text, real, err);
	tree = NULL; /* owned by the chain now */
out:
	cJSON_Delete(tree);
	free(text);
	free(file);
	free(real);
	free(pdir);
	return merged;
}

/*
 * Checks one file's tree, pushes it on the chain (which takes `tree`), follows
 * its extends, and returns the merged tree (caller's) with "extends" removed,
 * the inherited "name" dropped and an inherited relative "pricing" rewritten
 * to be relative to this file's directory.
 */
static cJSON *load_tree(struct chain *c, const char *label, const char *dir, cJSON *tree,
                        const char *text, const char *real, struct err *err)
{
	size_t at = c->n; /* below MAX_EXTENDS: load_parent checks before it reads a file */
	cJSON *merged = NULL;

	c->v[at] = (struct layer){ .label = label ? strdup(label) : NULL,
	                           .real = real ? strdup(real) : NULL, .tree = tree,
	                           .text = text ? strdup(text) : NULL };
	c->n++;
	if (tree_is_prices(tree)) { /* rather than "date: unknown key" */
		scenario_fail(err, label, "a price file (it has \"models\"), not a scenario: a scenario names "
		              "its price file with \"pricing\", and $LLMCOST_PRICING gives the prices of "
		              "every scenario without one");
		return NULL;
	}
	if (scenario_check_tree(tree, text, scenario_keys, scenario_n_keys, label, tree_is_recorded(tree),
	                        NULL, err) < 0)
		return NULL;

	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(tree, "extends");
	if (ext) {
		char *edir;
		merged = load_parent(c, at, dir, ext->valuestring, &edir, err);
		if (!merged) {
			free(edir);
			return NULL;
		}
		cJSON_DeleteItemFromObjectCaseSensitive(merged, "name");
		cJSON *pr = cJSON_GetObjectItemCaseSensitive(merged, "pricing");
		if (pr && !cJSON_GetObjectItemCaseSensitive(tree, "pricing") && pr->valuestring[0] != '/') {
			char *np = join_path(edir, pr->valuestring);
			if (!np || !cJSON_ReplaceItemInObjectCaseSensitive(merged, "pricing",
			                                                   cJSON_CreateString(np))) {
				free(np);
				free(edir);
				cJSON_Delete(merged);
				scenario_fail(err, label, "out of memory");
				return NULL;
			}
			free(np);
		}
		free(edir);
		if (merge_into(merged, tree) < 0) {
			cJSON_Delete(merged);
			scenario_fail(err, label, "out of memory");
			return NULL;
		}
	} else if (!(merged = cJSON_Duplicate(tree, 1))) {
		scenario_fail(err, label, "out of memory");
		return NULL;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(merged, "extends");
	return merged;
}

/* ---- resolution ---- */

/* The first file of the chain (the loaded one first) that holds the member path segs[0..n),
 * and that member in *at; NULL when none does (a default). */
static const struct layer *layer_of(const struct chain *c, const char *const *segs, size_t n,
                                    const cJSON **at)
{
	for (size_t i = 0; i < c->n; i++) {
		const cJSON *t = c->v[i].tree;
		size_t j = 0;
		for (; j < n && t; j++)
			t = cJSON_GetObjectItemCaseSensitive(t, segs[j]);
		if (t) {
			*at = t;
			return &c->v[i];
		}
	}
	return NULL;
}

/* The label of the file that holds segs[0..n); the loaded file when none does (a default). */
static const char *blame(const struct chain *c, const char *const *segs, size_t n)
{
	const cJSON *at;
	const struct layer *l = layer_of(c, segs, n, &at);
	return l ? l->label : c->n ? c->v[0].label : NULL;
}

/* " (line L, column C)" of the value at the member path segs[0..n) (then its element elem when
 * elem >= 0, then that element's member `member` when not NULL) in the file that holds it, as the
 * checker places a member or element (scenario_walk_locate); "" when it or its text is not
 * known (a default). */
static const char *place_of(const struct chain *c, const char *const *segs, size_t n, long elem,
                            const char *member, char *buf, size_t size)
{
	const cJSON *at;
	const struct layer *l = layer_of(c, segs, n, &at);
	size_t line, col;
	buf[0] = '\0';
	if (!l || !l->text || n + 2 > WALK_DEPTH)
		return buf;
	struct walk w = { .text = l->text, .root = l->tree };
	const cJSON *t = l->tree;
	for (size_t j = 0; j < n; j++)
		w.chain[w.depth++] = t = cJSON_GetObjectItemCaseSensitive(t, segs[j]);
	if (elem >= 0)
		w.chain[w.depth++] = t = cJSON_GetArrayItem(t, (int)elem);
	if (t && elem >= 0 && member)
		w.chain[w.depth++] = t = cJSON_GetObjectItemCaseSensitive(t, member);
	if (t && scenario_walk_locate(&w, &line, &col) == 0)
		snprintf(buf, size, " (line %zu, column %zu)", line, col);
	return buf;
}

static int tree_has(const cJSON *t, const char *a, const char *b)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, a);
	return x && (!b || cJSON_GetObjectItemCaseSensitive(x, b));
}

/* "\"small\", \"large\"" — the route names, for messages. */
static void route_list(const struct scenario *sc, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sc->n_routes; i++) {
		int r = snprintf(buf + k, n - k, "%s\"%s\"", i ? ", " : "", sc->routes[i].name);
		if (r < 0 || (size_t)r >= n - k)
			break;
		k += (size_t)r;
	}
}

/* The first file of chain c (the loaded one first) whose "routes" decide route `name`, when
 * they take it away: a null "routes" (*all = 1) or a null routes.NAME (*all = 0), the member
 * in *at; NULL when a file defines the route or none mentions it. */
static const struct layer *route_remover(const struct chain *c, const char *name, const cJSON **at,
                                         int *all)
{
	for (size_t i = 0; i < c->n; i++) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(c->v[i].tree, "routes"), *m;
		if (!r)
			continue;
		if (cJSON_IsNull(r)) {
			*at = r;
			*all = 1;
			return &c->v[i];
		}
		if (!(m = cJSON_GetObjectItemCaseSensitive(r, name)))
			continue;
		if (!cJSON_IsNull(m))
			return NULL;
		*at = m;
		*all = 0;
		return &c->v[i];
	}
	return NULL;
}

/* route_remover's file, when a file it extends (after it in c) defined the route it takes away:
 * else it took away nothing (a null of a route no file has), and the route is simply unknown. */
static const struct layer *route_taken(const struct chain *c, const char *name, const cJSON **at, int *all)
{
	const struct layer *l = route_remover(c, name, at, all);
	for (size_t i = l ? (size_t)(l - c->v) + 1 : c->n; i < c->n; i++) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(c->v[i].tree, "routes");
		const cJSON *m = r ? cJSON_GetObjectItemCaseSensitive(r, name) : NULL;
		if (m && !cJSON_IsNull(m))
			return l;
	}
	return NULL;
}

/*
 * The error (-1) of a route that a file of the chain took away ("routes": null, or "routes":
 * {"large": null}) and that `path` still names (in file `by`, or by default): the file that
 * took it away is named, with the place of its null, where the merged tree holds neither.  0,
 * nothing said, when no file took it away.
 */
static int route_removed(const struct scenario *sc, const struct chain *c, const char *path,
                         const char *name, int written, const char *by, struct err *err)
{
	char list[600], where[1200], place[64] = "";
	size_t line, col;
	const cJSON *at;
	int all;
	const struct layer *l = route_taken(c, name, &at, &all);
	if (!l)
		return 0;
	struct walk w = { .text = l->text, .root = l->tree, .depth = all ? 1 : 2,
	                  .chain = { cJSON_GetObjectItemCaseSensitive(l->tree, "routes"), at } };
	if (scenario_walk_locate(&w, &line, &col) == 0)
		snprintf(place, sizeof place, " (line %zu, column %zu)", line, col);
	if (!written)
		snprintf(where, sizeof where, " (the default)");
	else if (by && l->label && strcmp(by, l->label) != 0)
		snprintf(where, sizeof where, " in %s", by);
	else
		snprintf(where, sizeof where, " in this file");
	if (all)
		return scenario_fail(err, l->label, "routes: null takes every route away, and %s%s names route "
		                     "\"%s\" (without routes every call runs on the recorded model)%s", path, where,
		                     name, place);
	route_list(sc, list, sizeof list);
	return scenario_fail(err, l->label, "routes.%s: null takes route \"%s\" away, and %s%s names it "
	                     "(routes left: %s)%s", name, name, path, where, *list ? list : "none", place);
}

/*
 * The index of route `name` at `path` (segs: its key path in the merged tree).  Without
 * routes every call runs on its recorded model, so only routing.default (`recorded_ok`) may
 * go unnamed then; a name written, or a feature's defaulted one, is an error (SPEC §10:
 * "defaulted names are checked too").
 */
static int resolve_route(const struct scenario *sc, const struct chain *c, const cJSON *merged,
                         const char *path, const char *const *segs, size_t nsegs, long elem, const char *member,
                         const char *name, int recorded_ok, int *idx, struct err *err)
{
	char list[600], place[64];
	const char *by;
	if (sc->n_routes == 0) {
		const cJSON *t = merged;
		for (size_t j = 0; j < nsegs && t; j++)
			t = cJSON_GetObjectItemCaseSensitive(t, segs[j]);
		*idx = ROUTE_RECORDED;
		if (!t && recorded_ok)
			return 0;
		by = blame(c, segs, nsegs);
		if (route_removed(sc, c, path, name, t != NULL, by, err) < 0)
			return -1;
		return scenario_fail(err, by,
		            "%s: route \"%s\"%s needs \"routes\" (the scenario has none, so every call "
		            "runs on the recorded model)%s", path, name, t ? "" : " (the default)",
		            place_of(c, segs, nsegs, elem, member, place, sizeof place));
	}
	*idx = scenario_route_index(sc, name);
	if (*idx >= 0)
		return 0;
	int written = tree_has(merged, segs[0], nsegs > 1 ? segs[1] : NULL);
	by = blame(c, segs, nsegs);
	if (route_removed(sc, c, path, name, written, by, err) < 0)
		return -1;
	route_list(sc, list, sizeof list);
	return scenario_fail(err, by, "%s: route \"%s\" is not a key of routes (%s)%s%s", path, name, list,
	                     written ? "" : " (the default)", place_of(c, segs, nsegs, elem, member, place, sizeof place));
}

static int resolve_names(struct scenario *sc, const struct chain *c, const cJSON *merged,
                         struct err *err)
{
	const char *pp = sc->pricing->path;
	char path[1200];

	for (size_t i = 0; i < sc->n_routes; i++) {
		struct route *r = &sc->routes[i];
		const char *segs[] = { "routes", r->name };
		r->model_idx = pricing_index(sc->pricing, r->model);
		char place[64];
		if (r->model_idx < 0)
			return scenario_fail(err, blame(c, segs, 2), "routes.%s: model \"%s\" is not in the pricing "
			            "file %s%s", r->name, r->model, pp, place_of(c, segs, 2, -1, NULL, place, sizeof place));
	}
	for (size_t i = 0; i < sc->faults.n_inject; i++) {
		struct fault_window *f = &sc->faults.inject[i];
		const char *segs[] = { "faults", "inject" };
		int defaulted = !f->model;
		if (!f->model && !(f->model = strdup(INJECT_DEFAULT_MODEL)))
			return scenario_fail(err, blame(c, segs, 2), "out of memory");
		f->model_idx = pricing_index(sc->pricing, f->model);
		char place[64];
		if (f->model_idx < 0)
			return scenario_fail(err, blame(c, segs, 2), "faults.inject[%zu].model: model \"%s\"%s is not "
			            "in the pricing file %s%s", i, f->model, defaulted ? " (the default)" : "", pp,
			            place_of(c, segs, 2, (long)i, defaulted ? NULL : "model", place, sizeof place));
		if (f->from_us >= f->to_us)
			return scenario_fail(err, blame(c, segs, 2), "faults.inject[%zu]: \"from\" must be before "
			            "\"to\"%s", i, place_of(c, segs, 2, (long)i, NULL, place, sizeof place));
	}

	int summarizes = 0;
	for (size_t i = 0; i < sc->n_budget; i++) {
		const struct budget_policy *b = &sc->budget[i];
		const char *segs[] = { "budget", b->task, "overflow" };
		summarizes |= b->overflow == OVERFLOW_SUMMARIZE;
		if (b->overflow == OVERFLOW_ASYNC && !sc->batch.on) {
			const char *batch[] = { "batch" }; /* the file that turns batch off, if one does */
			const char *off = tree_has(merged, "batch", NULL) ? blame(c, batch, 1) : NULL;
			return scenario_fail(err, blame(c, segs, 3), "budget.%s.overflow: \"async\" needs batch to "
			            "be on (%s%s)", b->task, off ? off : "add a \"batch\" section",
			            off ? " turns it off" : "");
		}
	}

	{
		const char *segs[] = { "routing", "default" };
		if (resolve_route(sc, c, merged, "routing.default", segs, 2, -1, NULL, sc->routing.default_name, 1,
		                  &sc->routing.default_route, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < sc->routing.n_rules; i++) {
		struct routing_rule *r = &sc->routing.rules[i];
		const char *segs[] = { "routing", "rules" };
		snprintf(path, sizeof path, "routing.rules[%zu].route", i);
		if (resolve_route(sc, c, merged, path, segs, 2, (long)i, "route", r->route_name, 0, &r->route, err) < 0)
			return -1;
	}
	if (summarizes) {
		const char *segs[] = { "summarize", "route" };
		if (resolve_route(sc, c, merged, "summarize.route", segs, 2, -1, NULL, sc->summarize.route_name, 0,
		                  &sc->summarize.route, err) < 0)
			return -1;
	}
	if (sc->fallback.on) {
		const char *segs[] = { "fallback", "chain" };
		size_t n = sc->fallback.chain_names.n;
		if (n > SCENARIO_MAX_CHAIN)
			return scenario_fail(err, blame(c, segs, 2), "fallback.chain: at most %d entries, got %zu",
			            SCENARIO_MAX_CHAIN, n);
		sc->fallback.chain = calloc(n ? n : 1, sizeof(int));
		if (!sc->fallback.chain)
			return err_set(err, "out of memory");
		sc->fallback.n_chain = n;
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof path, "fallback.chain[%zu]", i);
			if (resolve_route(sc, c, merged, path, segs, 2, (long)i, NULL, sc->fallback.chain_names.v[i], 0,
			                  &sc->fallback.chain[i], err) < 0)
				return -1;
		}
	}
	if (sc->batch.on) {
		const char *s1[] = { "batch", "first_route" }, *s2[] = { "batch", "fail_route" };
		if (resolve_route(sc, c, merged, "batch.first_route", s1, 2, -1, NULL, sc->batch.first_route_name, 0,
		                  &sc->batch.first_route, err) < 0 ||
		    resolve_route(sc, c, merged, "batch.fail_route", s2, 2, -1, NULL, sc->batch.fail_route_name, 0,
		                  &sc->batch.fail_route, err) < 0)
			return -1;
	}
	return 0;
}

/* Moves "name" to the front of the tree, setting it to `name`. */
static int put_name_first(cJSON *tree, const char *name)
{
	cJSON *item = cJSON_CreateString(name);
	if (!item)
		return -1;
	cJSON_DeleteItemFromObjectCaseSensitive(tree, "name");
	item->string = strdup("name");
	if (!item->string) {
		cJSON_Delete(item);
		return -1;
	}
	item->next = tree->child;
	item->prev = tree->child ? tree->child->prev : item;
	if (tree->child)
		tree->child->prev = item;
	tree->child = item;
	return 0;
}

/*
 * From the merged tree of chain c to a resolved scenario.  `label` is the
 * loaded file (or NULL), `dir` what relative paths in the tree are relative to.
 */
static int resolve(cJSON *merged, const struct chain *c, const char *label, const char *dir,
                   struct scenario *out, struct err *err)
{
	struct scenario sc;
	char *pricing_file = NULL;

	if (scenario_init(&sc, err) < 0)
		return -1;
	if (scenario_check_tree(merged, NULL, scenario_keys, scenario_n_keys, label,
	                        tree_is_recorded(merged), &sc, err) < 0)
		goto out;
	if (!cJSON_GetObjectItemCaseSensitive(merged, "name")) {
		char *nm = scenario_name_of(label ? label : "scenario");
		if (!nm || put_name_first(merged, nm) < 0) {
			free(nm);
			err_set(err, "out of memory");
			goto out;
		}
		free(sc.name);
		sc.name = nm;
	} else if (put_name_first(merged, sc.name) < 0) {
		err_set(err, "out of memory");
		goto out;
	}

	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(merged, "pricing");
	if (pr) {
		const char *segs[] = { "pricing" };
		pricing_file = join_path(dir, pr->valuestring);
		if (pricing_file && access(pricing_file, R_OK) != 0) {
			scenario_fail(err, blame(c, segs, 1), "pricing: cannot read \"%s\": %s", pricing_file,
			     strerror(errno));
			goto out;
		}
	} else {
		const char *b = pricing_bundled_path(), *env = getenv("LLMCOST_PRICING");
		if (!b && env && *env) {
			scenario_fail(err, label, "pricing: cannot read \"%s\" (LLMCOST_PRICING): %s", env, strerror(errno));
			goto out;
		}
		if (!b) {
			scenario_fail(err, label, "pricing: the bundled fixtures/pricing/openai.json was not found "
			     "next to the program; set LLMCOST_PRICING or give \"pricing\"");
			goto out;
		}
		pricing_file = strdup(b);
	}
	if (!pricing_file) {
		err_set(err, "out of memory");
		goto out;
	}
	if (pricing_load(pricing_file, &sc.pricing, err) < 0)
		goto out;
	if (resolve_names(&sc, c, merged, err) < 0)
		goto out;

	sc.json = cJSON_Print(merged);
	sc.dir = strdup(dir ? dir : "");
	sc.path = label ? strdup(label) : NULL;
	sc.pricing_path = pricing_file;
	pricing_file = NULL;
	if (!sc.json || !sc.dir || (label && !sc.path)) {
		err_set(err, "out of memory");
		goto out;
	}
	*out = sc;
	return 0;
out:
	free(pricing_file);
	scenario_fini(&sc);
	return -1;
}

int scenario_load_from_tree(cJSON *tree, const char *text, const char *label, const char *dir,
                          const char *real, struct scenario *out, struct err *err)
{
	struct chain c = { .n = 0 };
	int rc = -1;
	cJSON *merged = load_tree(&c, label, dir, tree, text, real, err);
	if (merged)
		rc = resolve(merged, &c, label, dir, out, err);
	cJSON_Delete(merged);
	chain_free(&c);
	return rc;
}

int scenario_load(const char *path, struct scenario *out, struct err *err)
{
	cJSON *tree;
	char *text, *dir = NULL, *real = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (scenario_read_json(path, &tree, &text, err) < 0)
		return -1;
	/* read already, a file that resolves to no file in a folder is a pipe (<(cmd)'s /dev/fd/N
	 * names "pipe:[…]"), and one named as a descriptor (/dev/stdin, /dev/fd/N, /proc/…/fd/N,
	 * even on a file) has no folder of its own: its relative names are the current
	 * directory's, as typed (a file under /dev/shm has its folder, as any other) */
	real = realpath(path, NULL);
	dir = !real || path_is_descriptor(path) ? strdup("") : scenario_dir_of(path);
	if (!dir) {
		cJSON_Delete(tree);
		err_set(err, "%s: out of memory", path);
		goto out;
	}
	rc = scenario_load_from_tree(tree, text, path, dir, real, out, err);
out:
	free(text);
	free(dir);
	free(real);
	return rc;
}

int scenario_parse(const char *text, const char *label, const char *dir, struct scenario *out,
                   struct err *err)
{
	memset(out, 0, sizeof *out);
	cJSON *tree = scenario_parse_text(text, strlen(text), label, err);
	if (!tree)
		return -1;
	return scenario_load_from_tree(tree, text, label, dir ? dir : "", NULL, out, err);
}

int scenario_builtin(const char *name, struct scenario *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	if (!name || strcmp(name, "recorded") != 0)
		return err_set(err, "%s: no such built-in scenario (there is only \"recorded\")",
		               name ? name : "(null)");
	return scenario_parse("{\"name\": \"recorded\", \"mode\": \"recorded\"}", NULL, NULL, out, err);
}
