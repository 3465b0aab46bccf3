/*
 * Scenario loading: cJSON trees checked against the key table of sim/scenario.c
 * one file at a time (so an error names the file that holds the bad key), then
 * merged along `extends` (objects recursively, arrays and scalars replaced,
 * `name` never inherited), stored into a struct scenario by the same table,
 * and resolved: the pricing file is loaded and every route and model name is
 * checked.  The merged tree is kept as text in the scenario, which is what
 * scenario_set() edits and scenario_to_json() writes.
 */
#include "traces/scenario.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "traces/bundled.h"
#include "traces/json_scan.h"
#include "traces/pricing.h"
#include "traces/replace.h"
#include "traces/text.h"

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))
#define MAX_EXTENDS 16
#define MAX_JSON_BYTES (16u << 20)

/* ---- messages ---- */

/* err_set() with "LABEL: " in front when there is a label.  Returns -1. */
static int fail(struct err *err, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct err *err, const char *label, const char *fmt, ...)
{
	char msg[sizeof err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (label)
		return err_set(err, "%s: %s", label, msg);
	return err_set(err, "%s", msg);
}

/* A value as the user wrote it, for "got ...": compact JSON (numbers as written), cut at
 * 60 bytes. */
static const char *got(const cJSON *v, char *buf, size_t n)
{
	char *s = cJSON_PrintUnformatted(v);
	if (!s)
		return "?";
	if (strlen(s) > 60)
		snprintf(buf, n, "%.57s...", s);
	else
		snprintf(buf, n, "%s", s);
	cJSON_free(s);
	return buf;
}

/*
 * cJSON keeps a number only as a double, which holds 15 to 17 digits and
 * rewrites 1e300 as 1e+300.  Every number of a parsed tree becomes a cJSON_Raw
 * item holding its text as written, so the checker reads it exactly (sim/decimal.h),
 * a message echoes it as written, and the merged scenario's text keeps every digit.
 * v is the node's span in the text, which json_validate() has checked.  Returns -1
 * when out of memory.
 */
static int numbers_as_written(cJSON *node, const struct json_span *v)
{
	if (cJSON_IsNumber(node)) {
		char *s = cJSON_malloc(v->len + 1);
		if (!s)
			return -1;
		memcpy(s, v->start, v->len);
		s[v->len] = '\0';
		node->type = (node->type & ~0xFF) | cJSON_Raw;
		node->valuestring = s;
		return 0;
	}
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return 0;
	struct json_iter it;
	struct json_span key, val;
	json_iter_init(&it, v);
	for (cJSON *c = node->child; c; c = c->next)
		if (!json_iter_next(&it, &key, &val) || numbers_as_written(c, &val) < 0)
			return -1;
	return 0;
}

/*
 * cJSON's tree of text[0..len), its numbers as written; NULL when the text is not
 * strict JSON (cJSON takes 01 or 1. too) or out of memory.  For text that we
 * wrote ourselves or that the user gives `set`; files go through parse_text().
 */
static cJSON *parse_as_written(const char *text)
{
	struct json_span v;
	const char *why;
	size_t bad;
	cJSON *t = cJSON_ParseWithOpts(text, NULL, 1);
	if (t && (json_validate(text, strlen(text), &v, &why, &bad) < 0 || numbers_as_written(t, &v) < 0)) {
		cJSON_Delete(t);
		t = NULL;
	}
	return t;
}

/* The text of a number as written, or NULL when v is not a number. */
static const char *number_text(const cJSON *v)
{
	return cJSON_IsRaw(v) ? v->valuestring : NULL;
}

/* ---- paths ---- */

/* A key path under construction: concrete ("budget.faq.overflow") or pattern. */
struct kpath {
	char s[1024];
	size_t n;
};

/* Appends SEP (when not at the root) and SEG; returns the old length for kpath_pop. */
static size_t kpath_push(struct kpath *p, const char *sep, const char *seg)
{
	size_t old = p->n;
	int w = snprintf(p->s + p->n, sizeof p->s - p->n, "%s%s", p->n ? sep : "", seg);
	if (w < 0 || (size_t)w >= sizeof p->s - p->n)
		p->n = sizeof p->s - 1;
	else
		p->n += (size_t)w;
	return old;
}

static void kpath_pop(struct kpath *p, size_t old)
{
	p->n = old;
	p->s[old] = '\0';
}

static const struct scenario_key *key_exact(const struct scenario_key *t, size_t n, const char *pat)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].path, pat) == 0)
			return &t[i];
	return NULL;
}

/* 1 when entry k is a direct member of the object at pattern `parent` ("" = top). */
static int key_is_child(const struct scenario_key *k, const char *parent)
{
	size_t pl = strlen(parent);
	const char *rest;
	if (pl == 0)
		rest = k->path;
	else if (strncmp(k->path, parent, pl) == 0 && k->path[pl] == '.')
		rest = k->path + pl + 1;
	else
		return 0;
	return *rest && !strpbrk(rest, ".[");
}

static const char *key_member(const struct scenario_key *k)
{
	const char *dot = strrchr(k->path, '.');
	return dot ? dot + 1 : k->path;
}

/* ---- the checker ---- */

#define WALK_DEPTH 32

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

/* The walk enters a member or element, and leaves it. */
static void walk_enter(struct walk *w, const cJSON *node)
{
	if (w->depth < WALK_DEPTH)
		w->chain[w->depth] = node;
	w->depth++;
}

static void walk_leave(struct walk *w)
{
	w->depth--;
}

/*
 * The 1-based line and byte column in w->text of the member (its key) or
 * element being checked: the text is scanned again, child by child, in the
 * order cJSON kept them.  -1 at the top, or when the text is not known.
 */
static int walk_locate(const struct walk *w, size_t *line, size_t *col)
{
	struct json_span v, key, val;
	const char *why, *at = NULL;
	size_t bad;
	if (!w->text || !w->depth || w->depth > WALK_DEPTH ||
	    json_validate(w->text, strlen(w->text), &v, &why, &bad) < 0)
		return -1;
	const cJSON *parent = w->root;
	for (size_t d = 0; d < w->depth; d++) {
		struct json_iter it;
		if (v.type != JSON_OBJECT && v.type != JSON_ARRAY)
			return -1;
		json_iter_init(&it, &v);
		for (const cJSON *c = parent->child;; c = c->next) {
			if (!c || !json_iter_next(&it, &key, &val))
				return -1;
			if (c == w->chain[d])
				break;
		}
		at = v.type == JSON_OBJECT ? key.start : val.start;
		v = val;
		parent = w->chain[d];
	}
	*line = *col = 1;
	for (const char *p = w->text; p < at; p++) {
		*col = *p == '\n' ? 1 : *col + 1;
		*line += *p == '\n';
	}
	return 0;
}

/* fail() for the checker: SPEC §3's message (file, key path, what was expected), then the
 * place of the member or element at fault when the text is known: " (line L, column C)". */
static int wfail(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int wfail(struct walk *w, const char *fmt, ...)
{
	char msg[sizeof w->err->msg];
	size_t line, col, n;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	n = strlen(msg);
	if (walk_locate(w, &line, &col) == 0)
		snprintf(msg + n, sizeof msg - n, " (line %zu, column %zu)", line, col);
	return fail(w->err, w->label, "%s", msg);
}

static int walk_value(struct walk *w, const cJSON *v, const struct scenario_key *k, void *base);

static int type_error(struct walk *w, const struct scenario_key *k, const cJSON *v)
{
	char buf[80];
	return wfail(w, "%s: expected %s, got %s", w->path.s, k->expect,
	             got(v, buf, sizeof buf));
}

/* A value of the right type past the key's maximum (written max): the bound is named, where
 * the expectation does not say it. */
static int bound_error(struct walk *w, const struct scenario_key *k, const cJSON *v, const char *max)
{
	char buf[80];
	if (strpbrk(k->expect, "0123456789"))
		return type_error(w, k, v);
	return wfail(w, "%s: expected %s of at most %s, got %s", w->path.s, k->expect, max,
	             got(v, buf, sizeof buf));
}

static int oom(struct walk *w)
{
	return wfail(w, "%s: out of memory", w->path.s);
}

/* The members of obj named like member m, before it: JSON allows them, we do not. */
static int duplicate_member(const cJSON *obj, const cJSON *m)
{
	for (const cJSON *c = obj->child; c && c != m; c = c->next)
		if (c->string && m->string && strcmp(c->string, m->string) == 0)
			return 1;
	return 0;
}

/* The members an object of key pattern `parent` ("" for the top) may hold, ", " apart. */
static const char *known_members(const struct scenario_key *table, size_t n, const char *parent,
                                 char *known, size_t size)
{
	size_t kn = 0;
	known[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!key_is_child(&table[i], parent))
			continue;
		int r = snprintf(known + kn, size - kn, "%s%s", kn ? ", " : "", key_member(&table[i]));
		if (r < 0 || (size_t)r >= size - kn)
			break;
		kn += (size_t)r;
	}
	return known;
}

static int unknown_key(struct walk *w)
{
	char sug[1100], known[600];
	if (scenario_key_suggest(w->table, w->n, w->path.s, sug, sizeof sug))
		return wfail(w, "%s: unknown key (did you mean \"%s\"?)", w->path.s, sug);
	/* no close match: list what this object may hold */
	const char *slash = strrchr(w->pat.s, '.');
	char parent[1024];
	snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - w->pat.s) : 0, w->pat.s);
	return wfail(w, "%s: unknown key (known keys here: %s)", w->path.s,
	             known_members(w->table, w->n, parent, known, sizeof known));
}

static int walk_object(struct walk *w, const cJSON *obj, void *base)
{
	int top = w->pat.n == 0;
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t op = kpath_push(&w->path, ".", m->string);
		size_t oq = kpath_push(&w->pat, ".", m->string);
		const struct scenario_key *k = key_exact(w->table, w->n, w->pat.s);
		int rc = 0;
		walk_enter(w, m);
		if (duplicate_member(obj, m))
			rc = wfail(w, "%s: duplicate key", w->path.s);
		else if (strpbrk(m->string, ".*[]")) /* it would pass for a nested key's pattern */
			rc = wfail(w, "%s: unknown key (a key name has no \".\", \"*\" "
			           "or \"[]\": nest objects instead)", w->path.s);
		else if (!k)
			rc = unknown_key(w);
		else if (top && w->recorded && !(k->flags & KEYF_RECORDED))
			rc = wfail(w,
			           "%s: not allowed in a recorded scenario (it takes only name, mode, "
			           "pricing, billing, alerts, projection)", w->path.s);
		else
			rc = walk_value(w, m, k, base);
		walk_leave(w);
		kpath_pop(&w->path, op);
		kpath_pop(&w->pat, oq);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < w->n; i++) {
		const struct scenario_key *k = &w->table[i];
		if ((k->flags & KEYF_REQUIRED) && key_is_child(k, w->pat.s) &&
		    !cJSON_GetObjectItemCaseSensitive(obj, key_member(k))) {
			if (w->path.n)
				return wfail(w, "%s: missing key \"%s\"", w->path.s,
				             key_member(k));
			return wfail(w, "missing key \"%s\"", key_member(k));
		}
	}
	return 0;
}

/* The element table entry of a MAP ("PATH.*") or LIST ("PATH[]"). */
static const struct scenario_key *elem_key(struct walk *w, const struct scenario_key *k)
{
	char pat[1100];
	snprintf(pat, sizeof pat, "%s%s", k->path, k->type == SKEY_MAP ? ".*" : "[]");
	return key_exact(w->table, w->n, pat);
}

/* MAP and LIST: elements stored in a fresh array of elem_size structs. */
static int walk_elements(struct walk *w, const cJSON *v, const struct scenario_key *k, void *base)
{
	const struct scenario_key *ek = elem_key(w, k);
	size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
	char *arr = NULL;

	if (!ek)
		return wfail(w, "%s: no element key in the key table", w->path.s);
	if ((k->flags & KEYF_NONEMPTY) && count == 0)
		return type_error(w, k, v);
	if (base && count) {
		arr = calloc(count, k->elem_size);
		if (!arr)
			return oom(w);
		*AT(base, k->off, void *) = arr;
		*AT(base, k->off_flag, size_t) = count;
		for (size_t j = 0; j < count; j++)
			if (k->elem_init)
				k->elem_init(arr + j * k->elem_size);
	}
	for (const cJSON *e = v->child; e; e = e->next, i++) {
		char idx[32];
		void *eb = arr ? arr + i * k->elem_size : NULL;
		size_t op, oq;
		walk_enter(w, e);
		if (k->type == SKEY_MAP && !e->string[0])
			return wfail(w, "%s: a member name must not be empty", w->path.s);
		if (k->type == SKEY_MAP) {
			op = kpath_push(&w->path, ".", e->string);
			oq = kpath_push(&w->pat, ".", "*");
		} else {
			snprintf(idx, sizeof idx, "[%zu]", i);
			op = kpath_push(&w->path, "", idx);
			oq = kpath_push(&w->pat, "", "[]");
		}
		int rc = 0;
		if (k->type == SKEY_MAP && duplicate_member(v, e))
			rc = wfail(w, "%s: duplicate key", w->path.s);
		else if (eb && k->elem_name != SKEY_NO_FLAG &&
		         !(*AT(eb, k->elem_name, char *) = strdup(e->string)))
			rc = oom(w);
		else
			rc = walk_value(w, e, ek, eb);
		walk_leave(w);
		kpath_pop(&w->path, op);
		kpath_pop(&w->pat, oq);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* f is below / above the integer bound b (SKEY_DECIMAL's dmin, dmax), exactly. */
static int below(const struct decfrac *f, double b)
{
	return (decimal_wide)f->num < (decimal_wide)(int64_t)b * f->den;
}

static int above(const struct decfrac *f, double b)
{
	return (decimal_wide)f->num > (decimal_wide)(int64_t)b * f->den;
}

static int store_string(struct walk *w, void *base, size_t off, const char *s)
{
	char *d;
	if (!base || off == SKEY_NO_FLAG)
		return 0;
	if (!(d = strdup(s)))
		return oom(w);
	free(*AT(base, off, char *));
	*AT(base, off, char *) = d;
	return 0;
}

static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static int walk_value(struct walk *w, const cJSON *v, const struct scenario_key *k, void *base)
{
	int nullable = (k->flags & KEYF_NULLABLE) != 0;
	int store = base && k->off != SKEY_NO_FLAG;
	const char *t = number_text(v);

	switch (k->type) {
	case SKEY_OBJECT:
		if (nullable && cJSON_IsNull(v)) { /* every section inside it off */
			for (size_t i = 0; base && i < w->n; i++)
				if (w->table[i].type == SKEY_SECTION && key_is_child(&w->table[i], k->path))
					*AT(base, w->table[i].off_flag, int) = 0;
			return 0;
		}
		if (!cJSON_IsObject(v))
			return type_error(w, k, v);
		return walk_object(w, v, base);
	case SKEY_SECTION:
		if (nullable && cJSON_IsNull(v)) {
			if (base)
				*AT(base, k->off_flag, int) = 0;
			return 0;
		}
		if (!cJSON_IsObject(v))
			return type_error(w, k, v);
		if (base)
			*AT(base, k->off_flag, int) = 1;
		return walk_object(w, v, base);
	case SKEY_MAP:
		if (!cJSON_IsObject(v))
			return type_error(w, k, v);
		return walk_elements(w, v, k, base);
	case SKEY_LIST:
		if (!cJSON_IsArray(v))
			return type_error(w, k, v);
		return walk_elements(w, v, k, base);
	case SKEY_BOOL:
		if (!cJSON_IsBool(v))
			return type_error(w, k, v);
		if (store)
			*AT(base, k->off, int) = cJSON_IsTrue(v);
		return 0;
	case SKEY_INT: {
		decimal_wide x;
		int exact, rc;
		if (nullable && cJSON_IsNull(v)) {
			if (store)
				*AT(base, k->off, int64_t) = k->null_value;
			return 0;
		}
		/* rc < 0: more than 38 digits, an integer whatever its text */
		if (!t || ((rc = decimal_scaled_wide(t, strlen(t), 0, &x, &exact)) == 0 && !exact) ||
		    (rc < 0 && t[0] == '-') || (rc == 0 && x < k->min))
			return type_error(w, k, v);
		if (rc < 0 || x > k->max) {
			char max[24];
			snprintf(max, sizeof max, "%lld", (long long)k->max);
			return bound_error(w, k, v, max);
		}
		if (store)
			*AT(base, k->off, int64_t) = (int64_t)x * k->scale;
		return 0;
	}
	case SKEY_FIXED: {
		int64_t x;
		int exact;
		if (nullable && cJSON_IsNull(v)) {
			if (base && k->off_flag != SKEY_NO_FLAG)
				*AT(base, k->off_flag, int) = 0;
			return 0;
		}
		if (!t || decimal_scaled(t, strlen(t), (int)k->scale, &x, &exact) < 0 ||
		    (!exact && !(k->flags & KEYF_ROUND)) || x < k->min || x > k->max)
			return type_error(w, k, v);
		if (store)
			*AT(base, k->off, int64_t) = x;
		if (base && k->off_flag != SKEY_NO_FLAG)
			*AT(base, k->off_flag, int) = 1;
		return 0;
	}
	case SKEY_DECIMAL: {
		struct decfrac f;
		if (nullable && cJSON_IsNull(v)) {
			if (base && k->off_flag != SKEY_NO_FLAG)
				*AT(base, k->off_flag, int) = 0;
			return 0;
		}
		int64_t ppb;
		if (t && t[0] != '-' && (decimal_scaled(t, strlen(t), 9, &ppb, NULL) < 0 ||
		                         (scenario_decfrac(t, strlen(t), &f) == 0 && above(&f, k->dmax)))) {
			char max[32];
			snprintf(max, sizeof max, "%.0f", k->dmax);
			return bound_error(w, k, v, max);
		}
		if (!t || scenario_decfrac(t, strlen(t), &f) < 0 || below(&f, k->dmin) ||
		    ((k->flags & KEYF_MIN_OPEN) && !above(&f, k->dmin)))
			return type_error(w, k, v);
		if (f.den > 1000000000) {
			char buf[80];
			return wfail(w, "%s: expected %s with at most 9 decimals, got %s",
			             w->path.s, k->expect, got(v, buf, sizeof buf));
		}
		if (store)
			*AT(base, k->off, struct decfrac) = f;
		if (base && k->off_flag != SKEY_NO_FLAG)
			*AT(base, k->off_flag, int) = 1;
		return 0;
	}
	case SKEY_STRING:
		if (!cJSON_IsString(v) || ((k->flags & KEYF_NONEMPTY) && !v->valuestring[0]))
			return type_error(w, k, v);
		return store_string(w, base, store ? k->off : SKEY_NO_FLAG, v->valuestring);
	case SKEY_ENUM: {
		int i = cJSON_IsString(v) ? name_index(k->names, v->valuestring) : -1;
		if (i < 0)
			return type_error(w, k, v);
		if (store)
			*AT(base, k->off, int) = i + (int)k->scale;
		return 0;
	}
	case SKEY_ENUM_SET: {
		unsigned bits = 0;
		if (!cJSON_IsArray(v) || ((k->flags & KEYF_NONEMPTY) && !v->child))
			return type_error(w, k, v);
		for (const cJSON *e = v->child; e; e = e->next) {
			int i = cJSON_IsString(e) ? name_index(k->names, e->valuestring) : -1;
			if (i < 0)
				return type_error(w, k, v);
			bits |= 1u << (i + (int)k->scale);
		}
		if (store)
			*AT(base, k->off, unsigned) = bits;
		return 0;
	}
	case SKEY_STRING_LIST: {
		size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
		if (!cJSON_IsArray(v) || ((k->flags & KEYF_NONEMPTY) && count == 0))
			return type_error(w, k, v);
		for (const cJSON *e = v->child; e; e = e->next)
			if (!cJSON_IsString(e) || !e->valuestring[0])
				return type_error(w, k, v);
		if (!store)
			return 0;
		struct strlist *l = AT(base, k->off, struct strlist);
		for (size_t j = 0; j < l->n; j++)
			free(l->v[j]);
		free(l->v);
		l->n = 0;
		l->v = count ? calloc(count, sizeof(char *)) : NULL;
		if (count && !l->v)
			return oom(w);
		for (const cJSON *e = v->child; e; e = e->next, i++) {
			if (!(l->v[i] = strdup(e->valuestring)))
				return oom(w);
			l->n = i + 1;
		}
		return 0;
	}
	case SKEY_TIME: {
		int64_t us;
		if (cJSON_IsString(v)) {
			const char *why;
			if (clock_parse_rfc3339(v->valuestring, strlen(v->valuestring), &us, &why) < 0)
				return type_error(w, k, v);
		} else if (!t || decimal_scaled(t, strlen(t), 6, &us, NULL) < 0) {
			return type_error(w, k, v);
		}
		if (us < TRACE_TS_MIN_US || us > TRACE_TS_MAX_US) /* a trace's range (its expect says so) */
			return type_error(w, k, v);
		if (store)
			*AT(base, k->off, int64_t) = us;
		return 0;
	}
	}
	return type_error(w, k, v);
}

int scenario_check_tree(const struct cJSON *tree, const char *text, const struct scenario_key *table,
                        size_t n, const char *label, int recorded, void *base, struct err *err)
{
	struct walk w = { .table = table, .n = n, .label = label, .recorded = recorded, .err = err,
	                  .text = text, .root = tree };
	if (!cJSON_IsObject(tree)) {
		char buf[80];
		return fail(err, label, "expected a JSON object, got %s", got(tree, buf, sizeof buf));
	}
	return walk_object(&w, tree, base);
}

/* ---- files ---- */

static char *read_file(const char *path, size_t *len, struct err *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (!f) {
		err_set(err, "%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			char *nb = cap > MAX_JSON_BYTES + 8192 ? NULL : realloc(buf, cap + 1);
			if (!nb) {
				err_set(err, "%s: too large or out of memory", path);
				goto fail;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f)) {
				err_set(err, "%s: cannot read: %s", path, strerror(errno));
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

static cJSON *parse_text(const char *text, size_t len, const char *label, struct err *err)
{
	const char *end = NULL;
	cJSON *t;
	if (memchr(text, '\0', len)) {
		const char *z = memchr(text, '\0', len);
		end = z;
		t = NULL;
	} else {
		t = cJSON_ParseWithOpts(text, &end, 1);
	}
	const char *why = NULL;
	if (t) {
		struct json_span v;
		size_t bad;
		if (json_validate(text, len, &v, &why, &bad) == 0) {
			if (numbers_as_written(t, &v) == 0)
				return t;
			cJSON_Delete(t);
			err_set(err, "%s%sout of memory", label ? label : "", label ? ": " : "");
			return NULL;
		}
		/* what cJSON lets pass and JSON does not: 01, 1., a raw control character */
		cJSON_Delete(t);
		end = text + bad;
	}
	if (!end || end < text || end > text + len)
		end = text + len;
	/* cJSON often stops on the white space after the bad token: point at the token */
	while (!why && end > text && (end == text + len || strchr(" \t\r\n", *end)) &&
	       !strchr(" \t\r\n", end[-1]))
		end--;
	size_t line = 1, col = 1;
	for (const char *p = text; p < end; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	char near[24];
	size_t k = 0;
	for (const char *p = end; p < text + len && *p && *p != '\n' && k < 16; p++)
		near[k++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
	near[k] = '\0';
	if (why)
		err_set(err, "%s%s%zu:%zu: invalid JSON (%s)%s%s%s", label ? label : "", label ? ":" : "",
		        line, col, why, k ? " near \"" : "", near, k ? "\"" : "");
	else if (k)
		err_set(err, "%s%s%zu:%zu: invalid JSON near \"%s\"", label ? label : "", label ? ":" : "",
		        line, col, near);
	else if (strspn(text, " \t\r\n") == len)
		err_set(err, "%s%s%zu:%zu: invalid JSON (nothing but white space)", label ? label : "",
		        label ? ":" : "", line, col);
	else
		err_set(err, "%s%s%zu:%zu: invalid JSON", label ? label : "", label ? ":" : "", line, col);
	return NULL;
}

int scenario_json_parse(const char *text, size_t len, const char *label, struct cJSON **out,
                        struct err *err)
{
	*out = parse_text(text, len, label, err);
	return *out ? 0 : -1;
}

int scenario_read_json(const char *path, struct cJSON **out, char **text_out, struct err *err)
{
	size_t len;
	char *text = read_file(path, &len, err);
	*out = NULL;
	if (text_out)
		*text_out = NULL;
	if (!text)
		return -1;
	*out = parse_text(text, len, path, err);
	if (*out && text_out)
		*text_out = text;
	else
		free(text);
	return *out ? 0 : -1;
}

/* ---- paths of files ---- */

/* The directory part of path, "" when it has none ("a.json"), "/" for "/a.json". */
static char *dir_of(const char *path)
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

/* The default name: the file name without its directory and ".json". */
static char *name_of(const char *path)
{
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

	*from = NULL;
	if (!file) {
		fail(err, label, "extends: out of memory");
		goto out;
	}
	if (!(real = realpath(file, NULL))) {
		int why = errno;
		if (why == ENOENT && bundled_scenario(ext, bundled, sizeof bundled)) {
			free(file);
			if (!(file = strdup(bundled)) || !(*from = dir_of(file))) {
				fail(err, label, "extends: out of memory");
				goto out;
			}
			real = realpath(file, NULL);
			why = errno;
		}
		if (!real) {
			char list[512];
			bundled_scenarios(list, sizeof list);
			if (why == ENOENT && !strchr(ext, '/') && *list)
				fail(err, label, "extends: no file \"%s\", and no bundled scenario of that "
				     "name (bundled: %s)", file, list);
			else
				fail(err, label, "extends: cannot read \"%s\": %s", file, strerror(why));
			goto out;
		}
	} else {
		*from = dir_of(ext);
	}
	if (!*from) {
		fail(err, label, "extends: out of memory");
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
		fail(err, label, "extends: cycle: %s", cyc);
		goto out;
	}
	if (c->n >= MAX_EXTENDS) {
		fail(err, label, "extends: more than %d files deep", MAX_EXTENDS);
		goto out;
	}
	if (scenario_read_json(file, &tree, &text, err) < 0)
		goto out;
	if (tree_is_recorded(tree)) {
		fail(err, label, "extends: \"%s\" is a recorded scenario, which cannot be extended", ext);
		goto out;
	}
	if (!(pdir = dir_of(file))) {
		fail(err, label, "extends: out of memory");
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
				fail(err, label, "out of memory");
				return NULL;
			}
			free(np);
		}
		free(edir);
		if (merge_into(merged, tree) < 0) {
			cJSON_Delete(merged);
			fail(err, label, "out of memory");
			return NULL;
		}
	} else if (!(merged = cJSON_Duplicate(tree, 1))) {
		fail(err, label, "out of memory");
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

/* " (line L, column C)" of element i of the array at the two-member path segs in the file that
 * holds it, as the checker places an element (walk_locate); "" when its text is not known. */
static const char *element_place(const struct chain *c, const char *const segs[2], size_t i,
                                 char *buf, size_t n)
{
	const cJSON *arr;
	const struct layer *l = layer_of(c, segs, 2, &arr);
	size_t line, col;
	buf[0] = '\0';
	if (!l || !l->text)
		return buf;
	struct walk w = { .text = l->text, .root = l->tree, .depth = 3,
	                  .chain = { cJSON_GetObjectItemCaseSensitive(l->tree, segs[0]), arr,
	                             cJSON_GetArrayItem(arr, (int)i) } };
	if (w.chain[2] && walk_locate(&w, &line, &col) == 0)
		snprintf(buf, n, " (line %zu, column %zu)", line, col);
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

/*
 * The index of route `name` at `path` (segs: its key path in the merged tree).  Without
 * routes every call runs on its recorded model, so only routing.default (`recorded_ok`) may
 * go unnamed then; a name written, or a feature's defaulted one, is an error (SPEC §10:
 * "defaulted names are checked too").
 */
static int resolve_route(const struct scenario *sc, const struct chain *c, const cJSON *merged,
                         const char *path, const char *const *segs, size_t nsegs,
                         const char *name, int recorded_ok, int *idx, struct err *err)
{
	char list[600];
	if (sc->n_routes == 0) {
		const cJSON *t = merged;
		for (size_t j = 0; j < nsegs && t; j++)
			t = cJSON_GetObjectItemCaseSensitive(t, segs[j]);
		*idx = ROUTE_RECORDED;
		if (!t && recorded_ok)
			return 0;
		return fail(err, blame(c, segs, nsegs),
		            "%s: route \"%s\"%s needs \"routes\" (the scenario has none, so every call "
		            "runs on the recorded model)", path, name, t ? "" : " (the default)");
	}
	*idx = scenario_route_index(sc, name);
	if (*idx >= 0)
		return 0;
	route_list(sc, list, sizeof list);
	return fail(err, blame(c, segs, nsegs), "%s: route \"%s\" is not a key of routes (%s)%s",
	            path, name, list, tree_has(merged, segs[0], nsegs > 1 ? segs[1] : NULL) ? ""
	            : " (the default)");
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
		if (r->model_idx < 0)
			return fail(err, blame(c, segs, 2), "routes.%s: model \"%s\" is not in the pricing "
			            "file %s", r->name, r->model, pp);
	}
	for (size_t i = 0; i < sc->faults.n_inject; i++) {
		struct fault_window *f = &sc->faults.inject[i];
		const char *segs[] = { "faults", "inject" };
		if (!f->model && !(f->model = strdup(INJECT_DEFAULT_MODEL)))
			return fail(err, blame(c, segs, 2), "out of memory");
		f->model_idx = pricing_index(sc->pricing, f->model);
		if (f->model_idx < 0)
			return fail(err, blame(c, segs, 2), "faults.inject[%zu].model: model \"%s\" is not "
			            "in the pricing file %s", i, f->model, pp);
		char place[64];
		if (f->from_us >= f->to_us)
			return fail(err, blame(c, segs, 2), "faults.inject[%zu]: \"from\" must be before "
			            "\"to\"%s", i, element_place(c, segs, i, place, sizeof place));
	}

	int summarizes = 0;
	for (size_t i = 0; i < sc->n_budget; i++) {
		const struct budget_policy *b = &sc->budget[i];
		const char *segs[] = { "budget", b->task, "overflow" };
		summarizes |= b->overflow == OVERFLOW_SUMMARIZE;
		if (b->overflow == OVERFLOW_ASYNC && !sc->batch.on) {
			const char *batch[] = { "batch" }; /* the file that turns batch off, if one does */
			const char *off = tree_has(merged, "batch", NULL) ? blame(c, batch, 1) : NULL;
			return fail(err, blame(c, segs, 3), "budget.%s.overflow: \"async\" needs batch to "
			            "be on (%s%s)", b->task, off ? off : "add a \"batch\" section",
			            off ? " turns it off" : "");
		}
	}

	{
		const char *segs[] = { "routing", "default" };
		if (resolve_route(sc, c, merged, "routing.default", segs, 2, sc->routing.default_name, 1,
		                  &sc->routing.default_route, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < sc->routing.n_rules; i++) {
		struct routing_rule *r = &sc->routing.rules[i];
		const char *segs[] = { "routing", "rules" };
		snprintf(path, sizeof path, "routing.rules[%zu].route", i);
		if (resolve_route(sc, c, merged, path, segs, 2, r->route_name, 0, &r->route, err) < 0)
			return -1;
	}
	if (summarizes) {
		const char *segs[] = { "summarize", "route" };
		if (resolve_route(sc, c, merged, "summarize.route", segs, 2, sc->summarize.route_name, 0,
		                  &sc->summarize.route, err) < 0)
			return -1;
	}
	if (sc->fallback.on) {
		const char *segs[] = { "fallback", "chain" };
		size_t n = sc->fallback.chain_names.n;
		if (n > SCENARIO_MAX_CHAIN)
			return fail(err, blame(c, segs, 2), "fallback.chain: at most %d entries, got %zu",
			            SCENARIO_MAX_CHAIN, n);
		sc->fallback.chain = calloc(n ? n : 1, sizeof(int));
		if (!sc->fallback.chain)
			return err_set(err, "out of memory");
		sc->fallback.n_chain = n;
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof path, "fallback.chain[%zu]", i);
			if (resolve_route(sc, c, merged, path, segs, 2, sc->fallback.chain_names.v[i], 0,
			                  &sc->fallback.chain[i], err) < 0)
				return -1;
		}
	}
	if (sc->batch.on) {
		const char *s1[] = { "batch", "first_route" }, *s2[] = { "batch", "fail_route" };
		if (resolve_route(sc, c, merged, "batch.first_route", s1, 2, sc->batch.first_route_name, 0,
		                  &sc->batch.first_route, err) < 0 ||
		    resolve_route(sc, c, merged, "batch.fail_route", s2, 2, sc->batch.fail_route_name, 0,
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
		char *nm = name_of(label ? label : "scenario");
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
			fail(err, blame(c, segs, 1), "pricing: cannot read \"%s\": %s", pricing_file,
			     strerror(errno));
			goto out;
		}
	} else {
		const char *b = pricing_bundled_path(), *env = getenv("LLMCOST_PRICING");
		if (!b && env && *env) {
			fail(err, label, "pricing: cannot read \"%s\" (LLMCOST_PRICING): %s", env, strerror(errno));
			goto out;
		}
		if (!b) {
			fail(err, label, "pricing: the bundled fixtures/pricing/openai.json was not found "
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

static int load_from_tree(cJSON *tree, const char *text, const char *label, const char *dir,
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
	dir = dir_of(path);
	real = realpath(path, NULL);
	if (!dir || !real) {
		cJSON_Delete(tree);
		err_set(err, "%s: %s", path, dir ? strerror(errno) : "out of memory");
		goto out;
	}
	rc = load_from_tree(tree, text, path, dir, real, out, err);
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
	cJSON *tree = parse_text(text, strlen(text), label, err);
	if (!tree)
		return -1;
	return load_from_tree(tree, text, label, dir ? dir : "", NULL, out, err);
}

int scenario_builtin(const char *name, struct scenario *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	if (!name || strcmp(name, "recorded") != 0)
		return err_set(err, "%s: no such built-in scenario (there is only \"recorded\")",
		               name ? name : "(null)");
	return scenario_parse("{\"name\": \"recorded\", \"mode\": \"recorded\"}", NULL, NULL, out, err);
}

/* ---- editing ---- */

/*
 * Splits concrete `path` into the member names and indexes of pattern `pat`
 * (a member chosen by the user may contain '.'): segs[i] is a name, or NULL
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
	cJSON *v = parse_as_written(value);
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

int scenario_set(struct scenario *sc, const char *path, const char *value, struct err *err)
{
	const struct scenario_key *k = scenario_key_find(scenario_keys, scenario_n_keys, path);
	char segs[MAX_SEGS][512], sug[1100];
	long idx[MAX_SEGS];
	cJSON *tree = NULL, *item = NULL;
	struct scenario next;
	int n, rc = -1;

	/* a scenario file is UTF-8 JSON: bytes that are not could be set but never loaded again */
	if (!text_is_utf8(path) || (value && !text_is_utf8(value)))
		return err_set(err, "%s: not UTF-8 text", !text_is_utf8(path) ? "the key path" : path);
	if (!k) {
		if (list_index_dotted(path, sug, sizeof sug) && scenario_key_find(scenario_keys, scenario_n_keys, sug))
			return err_set(err, "%s: unknown key (did you mean \"%s\"? a list's element is [N])", path, sug);
		if (scenario_key_suggest(scenario_keys, scenario_n_keys, path, sug, sizeof sug))
			return err_set(err, "%s: unknown key (did you mean \"%s\"?)", path, sug);
		/* no close match: what the object may hold, when the object is known */
		const char *dot = strrchr(path, '.');
		char parent[512], known[600];
		snprintf(parent, sizeof parent, "%.*s", dot ? (int)(dot - path) : 0, path);
		const struct scenario_key *pk = *parent ? scenario_key_find(scenario_keys, scenario_n_keys, parent)
		                                        : NULL;
		if (!*parent || (pk && (pk->type == SKEY_OBJECT || pk->type == SKEY_SECTION)))
			return err_set(err, "%s: unknown key (known keys here: %s)", path,
			               known_members(scenario_keys, scenario_n_keys, pk ? pk->path : "", known,
			                             sizeof known));
		return err_set(err, "%s: unknown key", path);
	}
	if ((n = split_path(k->path, path, segs, idx)) <= 0)
		return err_set(err, "%s: not a key path", path);
	if (!(tree = parse_as_written(sc->json ? sc->json : "{}"))) {
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
		char *label = name_of(sc->path ? sc->path : (sc->name ? sc->name : "scenario"));
		if (!label) {
			err_set(err, "out of memory");
			goto out;
		}
		if (!cJSON_GetObjectItemCaseSensitive(tree, "name"))
			cJSON_AddItemToObject(tree, "name", cJSON_CreateString(label));
		free(label);
		rc = load_from_tree(tree, NULL, NULL, sc->dir, NULL, &next, err);
		tree = NULL; /* load_from_tree took it */
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
		if (!on && !key_exact(scenario_keys, scenario_n_keys, en))
			return cJSON_CreateNull();
		return emit_object(sc, k->path, base);
	}
	case SKEY_MAP:
	case SKEY_LIST: {
		const char *arr = *(char *const *)(const void *)(b + k->off);
		size_t count = *(const size_t *)(const void *)(b + k->off_flag);
		char ep[300];
		snprintf(ep, sizeof ep, "%s%s", k->path, k->type == SKEY_MAP ? ".*" : "[]");
		const struct scenario_key *ek = key_exact(scenario_keys, scenario_n_keys, ep);
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
		if (!key_is_child(k, pat))
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
			cJSON_AddItemToObject(o, key_member(k), v);
	}
	return o;
}

char *scenario_to_json(const struct scenario *sc, int full)
{
	if (!full) {
		cJSON *t = parse_as_written(sc->json ? sc->json : "{}");
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
	cJSON *t = parse_as_written(sc->json ? sc->json : "{}");
	char *text = NULL, *ddir = dir_of(path), *dreal = NULL, *sreal = NULL;
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
		cJSON_ReplaceItemInObjectCaseSensitive(t, "pricing", cJSON_CreateString(abs));
		free(abs);
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
