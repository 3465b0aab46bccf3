/*
 * Editing a loaded scenario, for the console: scenario_set() changes one key of
 * the merged tree that the scenario keeps as text and loads the result again
 * (scenario.c), so an edit is checked and resolved as a file is.
 * scenario_to_json() writes the keys set, or every key with its value, and
 * scenario_save() the keys set to a file.
 */
#include "traces/scenario_internal.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "traces/replace.h"
#include "traces/text.h"

/* ---- editing ---- */

/*
 * Splits concrete `path` into the member names and indexes of pattern `pat`
 * (a member chosen by the user may contain '.'): segs[i] is a name, or empty
 * with idx[i] set for an array index.  Returns the count, or -1.
 */
#define MAX_SEGS 16
static int split_path(const char *pat, const char *path, char segs[MAX_SEGS][512],
                      long idx[MAX_SEGS])
{
	int n = 0;
	while (*pat) {
		if (n >= MAX_SEGS)
			return -1;
		if (pat[0] == '[' && pat[1] == ']') {
			char *end;
			if (*path != '[')
				return -1;
			idx[n] = strtol(path + 1, &end, 10);
			if (*end != ']' || end == path + 1)
				return -1;
			segs[n][0] = '\0';
			n++;
			path = end + 1;
			pat += 2;
		} else {
			size_t k = 0;
			if (*pat == '.') {
				pat++;
				path++;
			}
			if (*pat == '*') {
				/* the shortest text that lets the rest match */
				size_t len = strlen(path);
				for (k = 1; k <= len && !scenario_key_match(pat + 1, path + k); k++)
					;
				if (k > len)
					return -1;
				pat++;
			} else {
				while (pat[k] && pat[k] != '.' && pat[k] != '[')
					k++;
				pat += k;
			}
			if (k >= 512)
				return -1;
			memcpy(segs[n], path, k);
			segs[n][k] = '\0';
			idx[n] = -1;
			n++;
			path += k;
		}
	}
	return *path ? -1 : n;
}

/* The value text as a cJSON item of the right shape for key k. */
static cJSON *value_item(const struct scenario_key *k, const char *value)
{
	cJSON *v = scenario_parse_as_written(value);
	int stringish = k->type == SKEY_STRING || k->type == SKEY_ENUM || k->type == SKEY_TIME;
	int listish = k->type == SKEY_STRING_LIST || k->type == SKEY_ENUM_SET;

	if (v && (!stringish || cJSON_IsString(v) || cJSON_IsNull(v)) &&
	    (!listish || cJSON_IsArray(v) || cJSON_IsNull(v)))
		return v;
	cJSON_Delete(v);
	if (stringish)
		return cJSON_CreateString(value);
	if (listish) { /* "a, b", or "[a, b]" without the quotes JSON wants */
		cJSON *arr = cJSON_CreateArray();
		const char *p = value + strspn(value, " \t"), *stop = p + strlen(p);
		while (stop > p && (stop[-1] == ' ' || stop[-1] == '\t'))
			stop--;
		if (stop - p >= 2 && *p == '[' && stop[-1] == ']') {
			p++;
			stop--;
		}
		while (arr && p < stop) {
			const char *c = memchr(p, ',', (size_t)(stop - p));
			size_t n = c ? (size_t)(c - p) : (size_t)(stop - p);
			while (n && (*p == ' ' || *p == '\t')) {
				p++;
				n--;
			}
			while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
				n--;
			char *s = malloc(n + 1);
			if (!s) {
				cJSON_Delete(arr);
				return NULL;
			}
			memcpy(s, p, n);
			s[n] = '\0';
			cJSON_AddItemToArray(arr, cJSON_CreateString(s));
			free(s);
			p = c ? c + 1 : stop;
		}
		return arr;
	}
	/* not JSON: keep the text so the checker can show it */
	return cJSON_CreateString(value);
}

/* path with each all-digit segment written as a list's element ("rules.0.route" →
 * "rules[0].route") into out: 1 when it had one and out holds it whole, else 0. */
static int list_index_dotted(const char *path, char *out, size_t n)
{
	size_t o = 0;
	int any = 0;
	const char *p = path;
	while (*p && o + 1 < n) {
		size_t digits = p[0] == '.' ? strspn(p + 1, "0123456789") : 0;
		if (digits && (p[1 + digits] == '.' || p[1 + digits] == '\0')) {
			if (o + digits + 2 >= n)
				break;
			out[o++] = '[';
			memcpy(out + o, p + 1, digits);
			o += digits;
			out[o++] = ']';
			p += 1 + digits;
			any = 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return any && !*p;
}

/* The error for a path that names no key: the key it may be a slip of, else what its object
 * may hold when the object is known.  Returns -1. */
static int unknown_key(const char *path, struct err *err)
{
	char sug[1200];
	if (list_index_dotted(path, sug, sizeof sug) && scenario_key_find(scenario_keys, scenario_n_keys, sug))
		return err_set(err, "%s: unknown key (did you mean \"%s\"? a list's element is [N])", path, sug);
	if (scenario_key_hint(scenario_keys, scenario_n_keys, path, sug, sizeof sug))
		return err_set(err, "%s: unknown key (%s)", path, sug);
	const char *dot = strrchr(path, '.');
	char parent[512], known[600];
	snprintf(parent, sizeof parent, "%.*s", dot ? (int)(dot - path) : 0, path);
	const struct scenario_key *pk = *parent ? scenario_key_find(scenario_keys, scenario_n_keys, parent) : NULL;
	if (!*parent || (pk && (pk->type == SKEY_OBJECT || pk->type == SKEY_SECTION)))
		return err_set(err, "%s: unknown key (known keys here: %s)", path,
		               scenario_known_members(scenario_keys, scenario_n_keys, pk ? pk->path : "", 0, known,
		                                      sizeof known));
	return err_set(err, "%s: unknown key", path);
}

/* A path that names a map's member of a name with '.' (budget.* as "faq_answer.outputmax") given
 * a value that is no object: more likely a slip of a key under the member before the last '.'
 * (budget.faq_answer.output_max) than a task of that name. */
static int slip_under_member(const struct scenario_key *k, const char *path, const char *value)
{
	const char *dot = strrchr(path, '.'), *v = value ? value + strspn(value, " \t") : NULL;
	char parent[512];
	if (k->type != SKEY_OBJECT || !v || *v == '{' || strncmp(v, "null", 4) == 0 || !dot ||
	    snprintf(parent, sizeof parent, "%.*s", (int)(dot - path), path) >= (int)sizeof parent)
		return 0;
	const struct scenario_key *pk = scenario_key_find(scenario_keys, scenario_n_keys, parent);
	return pk && pk->type == SKEY_OBJECT && strchr(pk->path, '*');
}

int scenario_set(struct scenario *sc, const char *path, const char *value, struct err *err)
{
	const struct scenario_key *k = scenario_key_find(scenario_keys, scenario_n_keys, path);
	char segs[MAX_SEGS][512];
	long idx[MAX_SEGS];
	cJSON *tree = NULL, *item = NULL;
	struct scenario next;
	int n, rc = -1;

	/* a scenario file is UTF-8 JSON: bytes that are not could be set but never loaded again */
	if (!text_is_utf8(path) || (value && !text_is_utf8(value)))
		return err_set(err, "%s: not UTF-8 text", !text_is_utf8(path) ? "the key path" : path);
	if (!k || slip_under_member(k, path, value))
		return unknown_key(path, err);
	if ((n = split_path(k->path, path, segs, idx)) <= 0)
		return err_set(err, "%s: not a key path", path);
	if (!(tree = scenario_parse_as_written(sc->json ? sc->json : "{}"))) {
		err_set(err, "out of memory");
		goto out;
	}
	if (value && !(item = value_item(k, value))) {
		err_set(err, "out of memory");
		goto out;
	}
	cJSON *node = tree;
	for (int i = 0; i < n - 1; i++) {
		cJSON *child;
		if (idx[i] >= 0) {
			child = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)idx[i]) : NULL;
			if (!child) {
				err_set(err, "%s: no element %ld", path, idx[i]);
				goto out;
			}
		} else {
			child = cJSON_GetObjectItemCaseSensitive(node, segs[i]);
			if (idx[i + 1] >= 0) {
				/* an array element is edited in place, never created */
				if (!cJSON_IsArray(child)) {
					err_set(err, "%s: no element %ld", path, idx[i + 1]);
					goto out;
				}
			} else if (!child || !cJSON_IsObject(child)) {
				if (!value)
					goto unchanged; /* removing under something absent */
				cJSON *obj = cJSON_CreateObject();
				if (!obj) {
					err_set(err, "out of memory");
					goto out;
				}
				if (child)
					cJSON_ReplaceItemViaPointer(node, child, obj);
				else
					cJSON_AddItemToObject(node, segs[i], obj);
				child = obj;
			}
		}
		node = child;
	}
	if (idx[n - 1] >= 0) {
		cJSON *old = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)idx[n - 1]) : NULL;
		if (!old) {
			err_set(err, "%s: no element %ld", path, idx[n - 1]);
			goto out;
		}
		if (value)
			cJSON_ReplaceItemViaPointer(node, old, item);
		else
			cJSON_DeleteItemFromArray(node, (int)idx[n - 1]);
	} else if (!value) {
		cJSON_DeleteItemFromObjectCaseSensitive(node, segs[n - 1]);
	} else if (cJSON_GetObjectItemCaseSensitive(node, segs[n - 1])) {
		cJSON_ReplaceItemInObjectCaseSensitive(node, segs[n - 1], item);
	} else {
		cJSON_AddItemToObject(node, segs[n - 1], item);
	}
	item = NULL;
unchanged:
	{
		/* the name was set when the scenario loaded; keep it unless this changes it */
		char *label = scenario_name_of(sc->path ? sc->path : (sc->name ? sc->name : "scenario"));
		if (!label) {
			err_set(err, "out of memory");
			goto out;
		}
		if (!cJSON_GetObjectItemCaseSensitive(tree, "name"))
			cJSON_AddItemToObject(tree, "name", cJSON_CreateString(label));
		free(label);
		rc = scenario_load_from_tree(tree, NULL, NULL, sc->dir, NULL, &next, err);
		tree = NULL; /* scenario_load_from_tree took it */
	}
	if (rc == 0) {
		char *p = sc->path ? strdup(sc->path) : NULL;
		if (sc->path && !p) {
			scenario_fini(&next);
			rc = err_set(err, "out of memory");
			goto out;
		}
		next.path = p;
		scenario_fini(sc);
		*sc = next;
	}
out:
	cJSON_Delete(tree);
	cJSON_Delete(item);
	return rc;
}

/* ---- writing ---- */

static cJSON *emit_object(const struct scenario *sc, const char *pat, const void *base);

static cJSON *emit_value(const struct scenario *sc, const struct scenario_key *k, const void *base)
{
	const char *b = base;
	char buf[64];
	switch (k->type) {
	case SKEY_OBJECT:
		return emit_object(sc, k->path, base);
	case SKEY_SECTION: {
		int on = *(const int *)(const void *)(b + k->off_flag);
		char en[300];
		snprintf(en, sizeof en, "%s.enabled", k->path);
		if (!on && !scenario_key_exact(scenario_keys, scenario_n_keys, en))
			return cJSON_CreateNull();
		return emit_object(sc, k->path, base);
	}
	case SKEY_MAP:
	case SKEY_LIST: {
		const char *arr = *(char *const *)(const void *)(b + k->off);
		size_t count = *(const size_t *)(const void *)(b + k->off_flag);
		char ep[300];
		snprintf(ep, sizeof ep, "%s%s", k->path, k->type == SKEY_MAP ? ".*" : "[]");
		const struct scenario_key *ek = scenario_key_exact(scenario_keys, scenario_n_keys, ep);
		cJSON *o = k->type == SKEY_MAP ? cJSON_CreateObject() : cJSON_CreateArray();
		for (size_t i = 0; o && ek && i < count; i++) {
			const char *e = arr + i * k->elem_size;
			cJSON *ev = emit_value(sc, ek, e);
			if (!ev) {
				cJSON_Delete(o);
				return NULL;
			}
			if (k->type == SKEY_MAP)
				cJSON_AddItemToObject(o, *(char *const *)(const void *)(e + k->elem_name), ev);
			else
				cJSON_AddItemToArray(o, ev);
		}
		return o;
	}
	case SKEY_BOOL:
		return cJSON_CreateBool(*(const int *)(const void *)(b + k->off));
	case SKEY_INT: {
		int64_t v = *(const int64_t *)(const void *)(b + k->off);
		if ((k->flags & KEYF_NULLABLE) && v == k->null_value)
			return cJSON_CreateNull();
		snprintf(buf, sizeof buf, "%lld", (long long)(v / k->scale));
		return cJSON_CreateRaw(buf);
	}
	case SKEY_FIXED: {
		if (k->off_flag != SKEY_NO_FLAG && !*(const int *)(const void *)(b + k->off_flag))
			return cJSON_CreateNull();
		return cJSON_CreateRaw(decimal_text(*(const int64_t *)(const void *)(b + k->off), (int)k->scale,
		                                    buf, sizeof buf));
	}
	case SKEY_DECIMAL: {
		if (k->off_flag != SKEY_NO_FLAG && !*(const int *)(const void *)(b + k->off_flag))
			return cJSON_CreateNull();
		const struct decfrac *f = (const struct decfrac *)(const void *)(b + k->off);
		int decimals = 0;
		for (int64_t d = f->den; d > 1; d /= 10)
			decimals++;
		return cJSON_CreateRaw(decimal_text(f->num, decimals, buf, sizeof buf));
	}
	case SKEY_STRING:
		if (k->off == SKEY_NO_FLAG)
			return NULL;
		return cJSON_CreateString(*(char *const *)(const void *)(b + k->off));
	case SKEY_ENUM: {
		int v = *(const int *)(const void *)(b + k->off) - (int)k->scale;
		return v < 0 ? cJSON_CreateNull() : cJSON_CreateString(k->names[v]);
	}
	case SKEY_ENUM_SET: {
		unsigned bits = *(const unsigned *)(const void *)(b + k->off);
		cJSON *a = cJSON_CreateArray();
		for (int i = 0; a && k->names[i]; i++)
			if (bits & (1u << (i + (int)k->scale)))
				cJSON_AddItemToArray(a, cJSON_CreateString(k->names[i]));
		return a;
	}
	case SKEY_STRING_LIST: {
		const struct strlist *l = (const struct strlist *)(const void *)(b + k->off);
		return cJSON_CreateStringArray((const char *const *)l->v, (int)l->n);
	}
	case SKEY_TIME:
		clock_format(*(const int64_t *)(const void *)(b + k->off), buf);
		return cJSON_CreateString(buf);
	}
	return NULL;
}

/* Every key below pattern `pat` ("" = top) with its value; keys a recorded
 * scenario does not take, and the file-only keys, are left out. */
static cJSON *emit_object(const struct scenario *sc, const char *pat, const void *base)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; o && i < scenario_n_keys; i++) {
		const struct scenario_key *k = &scenario_keys[i];
		if (!scenario_key_is_child(k, pat))
			continue;
		if (!pat[0] && sc->mode == SCENARIO_MODE_RECORDED && !(k->flags & KEYF_RECORDED))
			continue;
		if (!pat[0] && strcmp(k->path, "pricing") == 0) {
			cJSON *t = sc->json ? cJSON_Parse(sc->json) : NULL;
			const cJSON *p = cJSON_GetObjectItemCaseSensitive(t, "pricing");
			if (cJSON_IsString(p))
				cJSON_AddStringToObject(o, "pricing", p->valuestring);
			cJSON_Delete(t);
			continue;
		}
		/* conditions a rule does not set are not written */
		if (strncmp(k->path, "routing.rules[].when.", 21) == 0) {
			const struct routing_rule *r = base;
			if ((k->off == offsetof(struct routing_rule, task) && !r->task) ||
			    (k->off == offsetof(struct routing_rule, tenant) && !r->tenant) ||
			    (k->off == offsetof(struct routing_rule, difficulty) &&
			     r->difficulty == DIFFICULTY_NONE) ||
			    (k->off == offsetof(struct routing_rule, input_tokens_gt) && r->input_tokens_gt < 0) ||
			    (k->off == offsetof(struct routing_rule, input_tokens_lt) && r->input_tokens_lt < 0))
				continue;
		}
		cJSON *v = emit_value(sc, k, base);
		if (v)
			cJSON_AddItemToObject(o, scenario_key_member(k), v);
	}
	return o;
}

char *scenario_to_json(const struct scenario *sc, int full)
{
	if (!full) {
		cJSON *t = scenario_parse_as_written(sc->json ? sc->json : "{}");
		char *s = t ? cJSON_Print(t) : NULL;
		cJSON_Delete(t);
		return s;
	}
	cJSON *o = emit_object(sc, "", sc);
	char *s = o ? cJSON_Print(o) : NULL;
	cJSON_Delete(o);
	return s;
}

/* replace_write's writer for scenario_save: the text, then a newline. */
static int scenario_save_text(FILE *f, void *text, struct err *e)
{
	if (fputs(text, f) < 0 || fputc('\n', f) == EOF)
		return err_set(e, "%s", strerror(errno));
	return 0;
}

int scenario_save(const struct scenario *sc, const char *path, struct err *err)
{
	cJSON *t = scenario_parse_as_written(sc->json ? sc->json : "{}");
	char *text = NULL, *ddir = scenario_dir_of(path), *dreal = NULL, *sreal = NULL;
	int rc = -1;

	if (!t || !ddir) {
		err_set(err, "%s: out of memory", path);
		goto out;
	}
	cJSON *pr = cJSON_GetObjectItemCaseSensitive(t, "pricing");
	dreal = realpath(ddir[0] ? ddir : ".", NULL);
	sreal = realpath(sc->dir && sc->dir[0] ? sc->dir : ".", NULL);
	if (cJSON_IsString(pr) && pr->valuestring[0] != '/' &&
	    (!dreal || !sreal || strcmp(dreal, sreal) != 0)) {
		char *abs = sc->pricing_path ? realpath(sc->pricing_path, NULL) : NULL;
		if (!abs) {
			err_set(err, "%s: pricing: cannot resolve \"%s\": %s", path,
			        sc->pricing_path ? sc->pricing_path : "", strerror(errno));
			goto out;
		}
		cJSON *item = cJSON_CreateString(abs);
		free(abs);
		if (!item || !cJSON_ReplaceItemInObjectCaseSensitive(t, "pricing", item)) {
			cJSON_Delete(item);
			err_set(err, "%s: out of memory", path);
			goto out;
		}
	}
	if (!(text = cJSON_Print(t))) {
		err_set(err, "%s: out of memory", path);
		goto out;
	}
	rc = replace_write(path, scenario_save_text, text, err);
out:
	cJSON_free(text);
	cJSON_Delete(t);
	free(ddir);
	free(dreal);
	free(sreal);
	return rc;
}
