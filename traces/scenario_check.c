/*
 * The checker behind scenario and pricing files (SPEC §3): a walk over a cJSON
 * tree against a key table (sim/scenario.h) that checks every member, says what
 * was expected and where (file, key path, line and column), and, given a base,
 * stores the values into the struct the table describes.  The loader (scenario.c)
 * runs it on every file of an `extends` chain and on the merged tree.
 */
#include "traces/scenario_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "traces/json_scan.h"

#define AT(base, off, type) ((type *)(void *)((char *)(base) + (off)))

/* ---- messages ---- */

int scenario_fail(struct err *err, const char *label, const char *fmt, ...)
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

/* The text of a number as written, or NULL when v is not a number. */
static const char *number_text(const cJSON *v)
{
	return cJSON_IsRaw(v) ? v->valuestring : NULL;
}

/* ---- paths ---- */

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

const struct scenario_key *scenario_key_exact(const struct scenario_key *t, size_t n, const char *pat)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].path, pat) == 0)
			return &t[i];
	return NULL;
}

int scenario_key_is_child(const struct scenario_key *k, const char *parent)
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

const char *scenario_key_member(const struct scenario_key *k)
{
	const char *dot = strrchr(k->path, '.');
	return dot ? dot + 1 : k->path;
}

/* ---- the checker ---- */

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

int scenario_walk_locate(const struct walk *w, size_t *line, size_t *col)
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

/* scenario_fail() for the checker: SPEC §3's message (file, key path, what was expected), then the
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
	if (scenario_walk_locate(w, &line, &col) == 0)
		snprintf(msg + n, sizeof msg - n, " (line %zu, column %zu)", line, col);
	return scenario_fail(w->err, w->label, "%s", msg);
}

static int walk_value(struct walk *w, const cJSON *v, const struct scenario_key *k, void *base);

static int type_error(struct walk *w, const struct scenario_key *k, const cJSON *v)
{
	char buf[80];
	return wfail(w, "%s: expected %s, got %s", w->path.s, k->expect,
	             got(v, buf, sizeof buf));
}

/* A value of the right type past the key's maximum: the bound is named, where the expectation
 * does not say it, as `llmcost help scenario` does (scenario_key_expect). */
static int bound_error(struct walk *w, const struct scenario_key *k, const cJSON *v)
{
	char buf[80], expect[SCENARIO_EXPECT_MAX];
	return wfail(w, "%s: expected %s, got %s", w->path.s, scenario_key_expect(k, expect, sizeof expect),
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

const char *scenario_known_members(const struct scenario_key *table, size_t n, const char *parent,
                                 unsigned flags, char *known, size_t size)
{
	size_t kn = 0;
	known[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (!scenario_key_is_child(&table[i], parent) || (table[i].flags & flags) != flags)
			continue;
		int r = snprintf(known + kn, size - kn, "%s%s", kn ? ", " : "", scenario_key_member(&table[i]));
		if (r < 0 || (size_t)r >= size - kn)
			break;
		kn += (size_t)r;
	}
	return known;
}

static int unknown_key(struct walk *w)
{
	char sug[1200], known[600];
	if (scenario_key_hint(w->table, w->n, w->path.s, sug, sizeof sug))
		return wfail(w, "%s: unknown key (%s)", w->path.s, sug);
	/* no close match: list what this object may hold */
	const char *slash = strrchr(w->pat.s, '.');
	char parent[1024];
	snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - w->pat.s) : 0, w->pat.s);
	return wfail(w, "%s: unknown key (known keys here: %s)", w->path.s,
	             scenario_known_members(w->table, w->n, parent, 0, known, sizeof known));
}

static int walk_object(struct walk *w, const cJSON *obj, void *base)
{
	int top = w->pat.n == 0;
	char known[600];
	for (const cJSON *m = obj->child; m; m = m->next) {
		size_t op = kpath_push(&w->path, ".", m->string);
		size_t oq = kpath_push(&w->pat, ".", m->string);
		const struct scenario_key *k = scenario_key_exact(w->table, w->n, w->pat.s);
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
			rc = wfail(w, "%s: not allowed in a recorded scenario (it takes only %s)", w->path.s,
			           scenario_known_members(w->table, w->n, "", KEYF_RECORDED, known, sizeof known));
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
		if ((k->flags & KEYF_REQUIRED) && scenario_key_is_child(k, w->pat.s) &&
		    !cJSON_GetObjectItemCaseSensitive(obj, scenario_key_member(k))) {
			if (w->path.n)
				return wfail(w, "%s: missing key \"%s\"", w->path.s,
				             scenario_key_member(k));
			return wfail(w, "missing key \"%s\"", scenario_key_member(k));
		}
	}
	return 0;
}

/* The element table entry of a MAP ("PATH.*") or LIST ("PATH[]"). */
static const struct scenario_key *elem_key(struct walk *w, const struct scenario_key *k)
{
	char pat[1100];
	snprintf(pat, sizeof pat, "%s%s", k->path, k->type == SKEY_MAP ? ".*" : "[]");
	return scenario_key_exact(w->table, w->n, pat);
}

/* MAP and LIST: elements stored in a fresh array of elem_size structs. A map's member that is
 * null is absent, so that a file extending another removes an entry it inherits
 * ("routes": {"large": null}). */
static int walk_elements(struct walk *w, const cJSON *v, const struct scenario_key *k, void *base)
{
	const struct scenario_key *ek = elem_key(w, k);
	size_t count = 0, i = 0;
	char *arr = NULL;

	for (const cJSON *e = v->child; e; e = e->next)
		count += k->type != SKEY_MAP || !cJSON_IsNull(e);

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
	for (const cJSON *e = v->child; e; e = e->next) {
		char idx[32];
		void *eb = arr ? arr + i * k->elem_size : NULL;
		size_t op, oq;
		int absent = k->type == SKEY_MAP && cJSON_IsNull(e);
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
		else if (absent)
			rc = 0;
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
		i += !absent;
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

/* An element of an ENUM_SET that is none of its names: named by its index, with the choices
 * (retry.on[1]: expected one of timeout, rate_limited, …, got "oops"). */
static int set_element_error(struct walk *w, const struct scenario_key *k, const cJSON *e, size_t at)
{
	char idx[32], buf[80], choices[400];
	size_t n = 0;
	choices[0] = '\0';
	for (int i = 0; k->names[i] && n < sizeof choices; i++)
		n += (size_t)snprintf(choices + n, sizeof choices - n, "%s%s", i ? ", " : "", k->names[i]);
	snprintf(idx, sizeof idx, "[%zu]", at);
	size_t op = kpath_push(&w->path, "", idx);
	walk_enter(w, e);
	int rc = wfail(w, "%s: expected one of %s, got %s", w->path.s, choices, got(e, buf, sizeof buf));
	walk_leave(w);
	kpath_pop(&w->path, op);
	return rc;
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
				if (w->table[i].type == SKEY_SECTION && scenario_key_is_child(&w->table[i], k->path))
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
		if (nullable && cJSON_IsNull(v)) /* none, also of what a file extended held */
			return 0;
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
		if (rc < 0 || x > k->max)
			return bound_error(w, k, v);
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
		                         (scenario_decfrac(t, strlen(t), &f) == 0 && above(&f, k->dmax))))
			return bound_error(w, k, v);
		if (!t || scenario_decfrac(t, strlen(t), &f) < 0) {
			/* a number of more decimals than a fraction holds (0.5 and 20 digits), in range
			 * as far as its 9-decimal rounding tells, is refused for its decimals */
			struct decfrac r = { .den = 1000000000 };
			if (!t || decimal_scaled(t, strlen(t), 9, &r.num, NULL) < 0 || below(&r, k->dmin) ||
			    above(&r, k->dmax))
				return type_error(w, k, v);
			f.den = INT64_MAX;
		} else if (below(&f, k->dmin) || ((k->flags & KEYF_MIN_OPEN) && !above(&f, k->dmin))) {
			return type_error(w, k, v);
		}
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
		size_t at = 0;
		for (const cJSON *e = v->child; e; e = e->next, at++) {
			int i = cJSON_IsString(e) ? name_index(k->names, e->valuestring) : -1;
			if (i < 0)
				return set_element_error(w, k, e, at);
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
		return scenario_fail(err, label, "expected a JSON object, got %s", got(tree, buf, sizeof buf));
	}
	return walk_object(&w, tree, base);
}
