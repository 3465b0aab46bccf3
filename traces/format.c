/*
 * The import format registry, content detection, trace v1 as a format, and what
 * the other formats' parsers share: member lookup over the JSON scanner, strings
 * decoded into a scratch space, counts, times and costs read exactly from their
 * text, line numbers of parts of a multi-line document, and error classes.
 */
#include "traces/format.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/clock.h"
#include "sim/decimal.h"
#include "sim/intern.h"
#include "sim/money.h"
#include "sim/status.h"
#include "sim/trace.h"
#include "traces/text.h"

#define MAX_TOKENS 4294967295LL

const struct import_format *const import_formats[] = {
	&format_jsonl, &format_otlp, &format_litellm, &format_openai_batch, &format_helicone, &format_langfuse, NULL,
};

const struct import_format *format_by_name(const char *name)
{
	for (size_t i = 0; import_formats[i]; i++)
		if (strcmp(import_formats[i]->name, name) == 0)
			return import_formats[i];
	return NULL;
}

const char *format_names(void)
{
	return "jsonl, otlp, litellm, openai-batch, helicone, langfuse";
}

const struct import_format *format_detect(const struct json_span *v)
{
	for (size_t i = 1; import_formats[i]; i++) /* the others' marks first: jsonl takes any object */
		if (import_formats[i]->sniff(v))
			return import_formats[i];
	return format_jsonl.sniff(v) ? &format_jsonl : NULL;
}

const struct import_format *format_detect_csv(const char *line, size_t len)
{
	for (size_t i = 0; import_formats[i]; i++)
		if (import_formats[i]->sniff_csv && import_formats[i]->sniff_csv(line, len))
			return import_formats[i];
	return NULL;
}

int format_opens_document(const char *line, size_t len)
{
	struct json_span v;
	const char *why;
	size_t at, i = 0;
	if (json_validate(line, len, &v, &why, &at) == 0)
		return 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return at >= len && i < len && (line[i] == '{' || line[i] == '[');
}

const struct import_format *format_document(const char *text, size_t len, const struct import_format *fmt,
                                            struct json_span *doc)
{
	const char *why;
	size_t at;
	if (json_validate(text, len, doc, &why, &at) < 0)
		return NULL;
	if (!fmt)
		fmt = format_detect(doc);
	return fmt && fmt->documents ? fmt : NULL;
}

const char *format_title(const struct import_format *f, const struct json_span *v)
{
	return v && f->title_of ? f->title_of(v) : f->title;
}

void format_init(struct format_parser *p)
{
	memset(p, 0, sizeof *p);
	jsonl_init(&p->jsonl);
	p->last_ts_us = INT64_MIN;
}

void format_fini(struct format_parser *p)
{
	if (!p)
		return;
	jsonl_fini(&p->jsonl);
	openai_batch_forget(p);
	free(p->seen);
	free(p->scratch);
	free(p->csv_names);
	free(p->csv_cells);
	free(p->csv_json);
	memset(p, 0, sizeof *p);
}

void format_reset(struct format_parser *p)
{
	p->last_ts_us = INT64_MIN;
	p->last_model_n = 0;
	p->skipped = 0;
	openai_batch_forget(p);
	free(p->seen);
	p->seen = NULL;
	p->n_seen = p->n_seen_slots = 0;
}

int format_seen(struct format_parser *p, uint64_t h, uint64_t line)
{
	h += !h; /* 0 marks an empty slot */
	if (2 * (p->n_seen + 1) > p->n_seen_slots) {
		size_t n = p->n_seen_slots ? 2 * p->n_seen_slots : 1024;
		uint64_t *slots = calloc(n, sizeof *slots);
		if (!slots)
			return -2;
		for (size_t k = 0; k < p->n_seen_slots; k++) {
			if (!p->seen[k])
				continue;
			size_t i = p->seen[k] & (n - 1);
			while (slots[i])
				i = (i + 1) & (n - 1);
			slots[i] = p->seen[k];
		}
		free(p->seen);
		p->seen = slots;
		p->n_seen_slots = n;
	}
	for (size_t i = h & (p->n_seen_slots - 1);; i = (i + 1) & (p->n_seen_slots - 1)) {
		if (p->seen[i] == h) {
			p->repeats++;
			if (!p->repeat_line)
				p->repeat_line = line;
			return 1;
		}
		if (!p->seen[i]) {
			p->seen[i] = h;
			p->n_seen++;
			return 0;
		}
	}
}

void format_rec_init(struct jsonl_rec *r)
{
	*r = (struct jsonl_rec){ .input_tok = JSONL_ABSENT, .output_tok = JSONL_ABSENT,
		.cached_tok = JSONL_ABSENT, .status = -1, .latency_us = JSONL_ABSENT,
		.realtime = -1, .cost_pusd = JSONL_ABSENT, .quality = NAN };
}

void format_lines_from(struct format_parser *p, const char *text, uint64_t line)
{
	p->text = text;
	p->line_off = 0;
	p->line_at = line;
}

uint64_t format_line_of(struct format_parser *p, const char *at, uint64_t first)
{
	size_t off = (size_t)(at - p->text);
	if (off < p->line_off) /* not ascending: count again from the start */
		format_lines_from(p, p->text, first);
	for (const char *s = p->text + p->line_off, *end = p->text + off; s < end; s++) {
		s = memchr(s, '\n', (size_t)(end - s));
		if (!s)
			break;
		p->line_at++;
	}
	p->line_off = off;
	return p->line_at;
}

int format_stopping(const struct format_parser *p)
{
	return p->stop && *p->stop;
}

int format_reserve(struct format_parser *p, size_t len)
{
	size_t need = len + 64;
	p->used = 0;
	if (need <= p->cap)
		return 0;
	char *s = realloc(p->scratch, need);
	if (!s)
		return -2;
	p->scratch = s;
	p->cap = need;
	return 0;
}

int format_get(const struct json_span *obj, const char *key, struct json_span *out)
{
	struct json_iter it;
	struct json_span k, v;
	size_t n = strlen(key);
	if (!obj || obj->type != JSON_OBJECT)
		return 0;
	json_iter_init(&it, obj);
	while (json_iter_next(&it, &k, &v))
		if ((k.len == n + 2 && memcmp(k.start + 1, key, n) == 0) ||
		    (memchr(k.start, '\\', k.len) && json_string_equals(&k, key))) {
			*out = v;
			return v.type != JSON_NULL;
		}
	return 0;
}

int format_text_nocase(struct format_parser *p, const struct json_span *obj, const char *key, struct str *out)
{
	struct json_iter it;
	struct json_span k, v;
	char name[128];
	size_t n = strlen(key);
	if (!obj || obj->type != JSON_OBJECT)
		return 0;
	json_iter_init(&it, obj);
	while (json_iter_next(&it, &k, &v)) {
		if (k.len - 2 != n && !memchr(k.start, '\\', k.len))
			continue;
		if (k.len - 2 >= sizeof name || json_string_decode(&k, name) != n || strncasecmp(name, key, n) != 0)
			continue;
		if (v.type != JSON_STRING || v.len <= 2)
			return 0;
		*out = format_str(p, &v);
		return 1;
	}
	return 0;
}

struct json_span format_column(struct format_parser *p, const struct json_span *v)
{
	struct json_span doc;
	const char *why;
	size_t at;
	if (v->type != JSON_STRING)
		return *v;
	char *s = p->scratch + p->used;
	size_t n = json_string_decode(v, s);
	if (json_validate(s, n, &doc, &why, &at) < 0)
		return *v;
	p->used += n;
	return doc;
}

/* The array of rows in doc: doc itself, or an API page's `data`; 0 when doc is neither. */
static int rows_of(const struct json_span *doc, struct json_span *arr, const char **where)
{
	*where = "";
	if (doc->type == JSON_ARRAY) {
		*arr = *doc;
		return 1;
	}
	*where = "data";
	return format_get(doc, "data", arr) && arr->type == JSON_ARRAY;
}

/* 1 when the object row has both keys. */
static int has_both(const struct json_span *row, const char *a, const char *b)
{
	struct json_span x;
	return format_get(row, a, &x) && format_get(row, b, &x);
}

int format_rows_sniff(const struct json_span *v, const char *a, const char *b)
{
	struct json_iter it;
	struct json_span arr, first;
	const char *where;
	if (v->type == JSON_OBJECT && has_both(v, a, b))
		return 1;
	if (!rows_of(v, &arr, &where))
		return 0;
	json_iter_init(&it, &arr);
	return json_iter_next(&it, NULL, &first) && first.type == JSON_OBJECT && has_both(&first, a, b);
}

/* One row through rec: sent to the sink (format_add_row), skipped and counted, or rejected. */
static int format_row(struct format_parser *p, const struct json_span *row, uint64_t line,
                      const struct format_sink *k, struct err *e, format_row_fn *rec)
{
	struct jsonl_rec r;
	int rc = rec(p, row, &r, e);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		p->skipped++;
		return 0;
	}
	return format_add_row(p, &r, r.request_id, line, k);
}

/* One element of a row array (or of a nested array): read by rec, else rejected with its place
 * (where, then [i]) before the reason.  0, -2, FORMAT_STOPPED. */
static int format_element(struct format_parser *p, const struct json_span *row, uint64_t at,
                          const struct format_sink *k, const char *what, format_row_fn *rec, const char *where,
                          size_t i)
{
	struct err why;
	char got[48];
	int rc = -1;
	if (row->type != JSON_OBJECT)
		err_set(&why, "expected %s (an object), got %s", what, format_shown(row, got, sizeof got));
	else if (format_reserve(p, 4 * row->len + 256) < 0)
		return -2;
	else
		rc = format_row(p, row, at, k, &why, rec);
	if (rc == -1) {
		err_prefix(&why, "%s[%zu]: ", where, i);
		return k->reject(k->ctx, at, row->start, row->len, why.msg) ? FORMAT_STOPPED : 0;
	}
	return rc;
}

/* The rows nested in obj, its member `nested` (arr): each through format_element with p->parent obj,
 * "PLACE.nested[j]" its place.  0, -1 (e set: arr is no array), -2, FORMAT_STOPPED. */
static int nested_rows(struct format_parser *p, const struct json_span *obj, const struct json_span *arr,
                       uint64_t line, const struct format_sink *k, struct err *e, const char *what,
                       format_row_fn *rec, const char *nested, const char *place)
{
	struct json_iter it;
	struct json_span row;
	char where[96], got[48];
	if (arr->type != JSON_ARRAY)
		return err_set(e, "%s: expected an array, got %s", nested, format_shown(arr, got, sizeof got));
	json_iter_init(&it, arr);
	if (json_iter_next(&it, NULL, &row) && row.type == JSON_STRING) /* GET /api/public/traces' list */
		return err_set(e, "%s: ids alone (as a list of traces gives them), no %s to read: export each "
		               "trace whole (GET /api/public/traces/{id})", nested,
		               what + (strncmp(what, "a ", 2) ? 0 : 2)); /* "a Langfuse observation": no article */
	snprintf(where, sizeof where, "%s%s%s", place, *place ? "." : "", nested);
	json_iter_init(&it, arr);
	int rc = 0;
	for (size_t j = 0; rc == 0 && json_iter_next(&it, NULL, &row); j++) {
		if (format_stopping(p))
			return FORMAT_STOPPED;
		p->parent = obj;
		rc = format_element(p, &row, format_line_of(p, row.start, line), k, what, rec, where, j);
		p->parent = NULL;
	}
	return rc;
}

int format_rows(struct format_parser *p, const char *text, size_t len, uint64_t line, const struct format_sink *k,
                struct err *e, const char *what, format_row_fn *rec, const char *nested)
{
	struct json_span doc, arr, row, inner;
	struct json_iter it;
	const char *where;
	char place[64];
	if (format_validate(text, len, &doc, e) < 0)
		return -1;
	format_lines_from(p, text, line);
	if (!rows_of(&doc, &arr, &where)) {
		if (doc.type != JSON_OBJECT)
			return err_set(e, "expected %s (an object), an array of them or an API page {\"data\": [...]}", what);
		if (nested && format_get(&doc, nested, &inner))
			return nested_rows(p, &doc, &inner, line, k, e, what, rec, nested, "");
		if (format_reserve(p, 4 * len + 256) < 0)
			return -2;
		return format_row(p, &doc, line, k, e, rec);
	}
	json_iter_init(&it, &arr);
	for (size_t i = 0; json_iter_next(&it, NULL, &row); i++) {
		if (format_stopping(p))
			return FORMAT_STOPPED;
		uint64_t at = format_line_of(p, row.start, line);
		int rc;
		if (nested && row.type == JSON_OBJECT && format_get(&row, nested, &inner)) {
			struct err why;
			snprintf(place, sizeof place, "%s[%zu]", where, i);
			rc = nested_rows(p, &row, &inner, line, k, &why, what, rec, nested, place);
			if (rc == -1) {
				err_prefix(&why, "%s: ", place);
				rc = k->reject(k->ctx, at, row.start, row.len, why.msg) ? FORMAT_STOPPED : 0;
			}
		} else {
			rc = format_element(p, &row, at, k, what, rec, where, i);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

void format_csv_file(struct format_parser *p, int csv)
{
	p->csv = csv;
	p->n_csv_cols = 0;
	p->csv_bad_header = 0;
}

/* Room for n bytes in *buf (of *cap); -2 when out of memory. */
static int scratch_room(char **buf, size_t *cap, size_t n)
{
	if (n <= *cap)
		return 0;
	char *b = realloc(*buf, n);
	if (!b)
		return -2;
	*buf = b;
	*cap = n;
	return 0;
}

/* Appends s[0..n) to out as the text of a JSON string, quotes included. */
static size_t put_json_text(char *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[c >> 4];
			out[o + 5] = hex[c & 15];
			o += 6;
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	return o;
}

/* A cell that opens a JSON object or array but is no JSON, whose quotes are each doubled (as
 * Helicone's exporter writes an object: JSON.stringify, "" for ", then "" again for the CSV):
 * undone into tmp, its new length; else 0. */
static size_t undoubled(const struct csv_field *c, char *tmp)
{
	struct json_span v;
	const char *why;
	size_t at, n = 0;
	if (c->n < 2 || (c->s[0] != '{' && c->s[0] != '[') || json_validate(c->s, c->n, &v, &why, &at) == 0)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		tmp[n++] = c->s[i];
		if (c->s[i] == '"') {
			if (i + 1 >= c->n || c->s[i + 1] != '"')
				return 0;
			i++;
		}
	}
	return json_validate(tmp, n, &v, &why, &at) == 0 ? n : 0;
}

int format_csv_rows(struct format_parser *p, const char *text, size_t len, uint64_t line,
                    const struct format_sink *k, struct err *e, format_row_fn *rec)
{
	struct csv_field cells[FORMAT_CSV_COLS];
	const char *why;
	size_t at;
	if (p->csv_bad_header)
		return err_set(e, "no column names: the header (line %llu) was rejected",
		               (unsigned long long)p->csv_bad_header);
	if (scratch_room(&p->csv_cells, &p->csv_cells_cap, 2 * len + 1) < 0)
		return -2;
	int n = csv_split(text, len, p->csv_cells, cells, FORMAT_CSV_COLS, &why, &at);
	if (n < 0 || !p->n_csv_cols) { /* the header: rejected, or its names kept */
		int dup = -1;
		for (int i = 0; i < n && dup < 0; i++)
			for (int j = 0; j < i && dup < 0; j++)
				if (cells[i].n == cells[j].n && memcmp(cells[i].s, cells[j].s, cells[i].n) == 0)
					dup = i;
		if (!p->n_csv_cols && (n < 0 || dup >= 0))
			p->csv_bad_header = line;
		if (n < 0)
			return err_set(e, "not CSV: %s (column %zu)", why, at + 1);
		if (dup >= 0)
			return err_set(e, "the header names the column \"%.*s\" twice", (int)cells[dup].n, cells[dup].s);
		if (scratch_room(&p->csv_names, &p->csv_names_cap, len + 1) < 0)
			return -2;
		size_t o = 0;
		for (int i = 0; i < n; i++) {
			memcpy(p->csv_names + o, cells[i].s, cells[i].n);
			p->csv_cols[i] = (struct csv_field){ p->csv_names + o, cells[i].n };
			o += cells[i].n;
		}
		p->n_csv_cols = (size_t)n;
		return 0;
	}
	if ((size_t)n != p->n_csv_cols)
		return err_set(e, "expected %zu fields, as the header has, got %d", p->n_csv_cols, n);
	size_t names = 0;
	for (size_t i = 0; i < p->n_csv_cols; i++)
		names += p->csv_cols[i].n;
	if (scratch_room(&p->csv_json, &p->csv_json_cap, 6 * (len + names) + 8 * p->n_csv_cols + 16) < 0)
		return -2;
	char *out = p->csv_json, *tmp = p->csv_cells + len + 1;
	size_t o = 0;
	out[o++] = '{';
	for (int i = 0; i < n; i++) {
		if (!cells[i].n)
			continue; /* an empty cell: the member is absent */
		size_t u = undoubled(&cells[i], tmp);
		if (o > 1)
			out[o++] = ',';
		o += put_json_text(out + o, p->csv_cols[i].s, p->csv_cols[i].n);
		out[o++] = ':';
		o += put_json_text(out + o, u ? tmp : cells[i].s, u ? u : cells[i].n);
	}
	out[o++] = '}';
	struct json_span obj;
	if (json_validate(out, o, &obj, &why, &at) < 0)
		return err_set(e, "a field is not UTF-8 text");
	if (format_reserve(p, 4 * o + 256) < 0)
		return -2;
	return format_row(p, &obj, line, k, e, rec);
}

/* 1 when the header's cells (split) include name. */
static int header_has(const struct csv_field *c, int n, const char *name)
{
	size_t k = strlen(name);
	for (int i = 0; i < n; i++)
		if (c[i].n == k && memcmp(c[i].s, name, k) == 0)
			return 1;
	return 0;
}

int format_csv_sniff(const char *line, size_t len, const char *const *all, const char *const *any)
{
	struct csv_field cells[FORMAT_CSV_COLS];
	char buf[4096];
	const char *why;
	size_t at;
	if (len > sizeof buf)
		return 0;
	int n = csv_split(line, len, buf, cells, FORMAT_CSV_COLS, &why, &at);
	if (n < 2)
		return 0;
	for (size_t i = 0; all[i]; i++)
		if (!header_has(cells, n, all[i]))
			return 0;
	for (size_t i = 0; any[i]; i++)
		if (header_has(cells, n, any[i]))
			return 1;
	return 0;
}

struct json_span format_unquoted(const struct json_span *v)
{
	struct json_span num;
	const char *why;
	size_t at;
	if (v->type != JSON_STRING || v->len < 3 || json_validate(v->start + 1, v->len - 2, &num, &why, &at) < 0 ||
	    num.type != JSON_NUMBER || num.len != v->len - 2) /* " 200 ": no number as written */
		return *v;
	return num;
}

int format_add_row(struct format_parser *p, const struct jsonl_rec *r, struct str key, uint64_t line,
                   const struct format_sink *k)
{
	if (key.s && format_seen(p, intern_hash(key.s, key.n), line) < 0)
		return -2;
	p->failed += r->status != STATUS_OK;
	return k->row(k->ctx, line, r) ? FORMAT_STOPPED : 0;
}

int format_text(struct format_parser *p, const struct json_span *obj, const char *key, struct str *out)
{
	struct json_span v;
	if (!format_get(obj, key, &v) || v.type != JSON_STRING || v.len <= 2)
		return 0;
	*out = format_str(p, &v);
	return 1;
}

void format_keep(char *out, size_t *n, const char *key, const struct json_span *raw)
{
	*n += (size_t)sprintf(out + *n, "%s\"%s\":", *n > 1 ? "," : "", key);
	memcpy(out + *n, raw->start, raw->len);
	*n += raw->len;
}

void format_extra(struct format_parser *p, const struct json_span *row, const char *const *kept, size_t from,
                  size_t n_kept, struct jsonl_rec *r)
{
	struct json_span v;
	char *x = p->scratch + p->used;
	size_t n = 0;
	x[n++] = '{';
	for (size_t i = from; i < n_kept; i++)
		if (format_get(row, kept[i], &v))
			format_keep(x, &n, kept[i], &v);
	x[n++] = '}';
	p->used += n;
	if (n > 2)
		r->extra = (struct str){ x, n };
}

int format_validate(const char *text, size_t len, struct json_span *doc, struct err *e)
{
	const char *why;
	size_t at;
	if (json_validate(text, len, doc, &why, &at) < 0)
		return err_set(e, "%s%s (column %zu)", strncmp(why, "not JSON", 8) ? "not JSON: " : "", why, at + 1);
	return 0;
}

struct str format_str(struct format_parser *p, const struct json_span *v)
{
	if (v->type != JSON_STRING)
		return (struct str){ NULL, 0 };
	char *dst = p->scratch + p->used; /* format_reserve made room for the whole part */
	size_t n = json_string_decode(v, dst);
	p->used += n;
	return (struct str){ dst, n };
}

int format_is(const struct json_span *v, const char *s)
{
	return v->type == JSON_STRING && json_string_equals(v, s);
}

const char *format_shown(const struct json_span *v, char *buf, size_t n)
{
	if (v->len < n) {
		memcpy(buf, v->start, v->len);
		buf[v->len] = 0;
		return buf;
	}
	size_t cut = n - 5;
	while (cut > 0 && ((unsigned char)v->start[cut] & 0xc0) == 0x80)
		cut--;
	snprintf(buf, n, "%.*s%s", (int)cut, v->start, text_symbol("…", "..."));
	return buf;
}

int format_count(const struct json_span *v, const char *name, int64_t *out, struct err *e)
{
	char got[48];
	int exact = 0, rc = -1;
	if (v->type == JSON_NUMBER)
		rc = decimal_scaled(v->start, v->len, 0, out, &exact);
	else if (v->type == JSON_STRING && v->len > 2 && v->len < 24 && !memchr(v->start, '\\', v->len))
		rc = decimal_scaled(v->start + 1, v->len - 2, 0, out, &exact);
	if (rc < 0 || !exact || *out < 0 || *out > MAX_TOKENS)
		return err_set(e, "%s: expected an integer from 0 to 4294967295, got %s", name, format_shown(v, got, sizeof got));
	return 0;
}

int format_time(const struct json_span *v, const char *name, int64_t *us, struct err *e)
{
	char got[48], text[64];
	const char *why = "expected an RFC 3339 time or epoch seconds";
	if (v->type == JSON_NUMBER) {
		if (decimal_scaled(v->start, v->len, 6, us, NULL) == 0 && *us >= TRACE_TS_MIN_US && *us <= TRACE_TS_MAX_US)
			return 0;
		return err_set(e, "%s: expected epoch seconds from year 0 to 9999, got %s", name, format_shown(v, got, sizeof got));
	}
	if (v->type == JSON_STRING && v->len - 2 < sizeof text - 1) {
		size_t n = json_string_decode(v, text);
		int rc = clock_parse_rfc3339(text, n, us, &why);
		if (rc < 0 && strstr(why, "without a zone")) {
			text[n++] = 'Z'; /* a database's timestamp without time zone: UTC */
			rc = clock_parse_rfc3339(text, n, us, &why);
		}
		if (rc == 0 && *us >= TRACE_TS_MIN_US && *us <= TRACE_TS_MAX_US)
			return 0;
		if (rc == 0)
			why = "a time from year 0 to 9999 (UTC)";
	}
	return err_set(e, "%s: %s, got %s", name, why, format_shown(v, got, sizeof got));
}

int format_cost(const struct json_span *v, const char *name, struct jsonl_rec *rec, struct err *e)
{
	char got[48];
	decimal_wide wide;
	if (v->type != JSON_NUMBER || decimal_scaled(v->start, v->len, 12, &rec->cost_pusd, NULL) < 0 ||
	    decimal_scaled_wide(v->start, v->len, 30, &wide, NULL) < 0 || wide < 0)
		return err_set(e, "%s: expected a non-negative number of USD up to 9223372, got %s", name,
		               format_shown(v, got, sizeof got));
	rec->cost_sub = (int64_t)(wide - (decimal_wide)rec->cost_pusd * MONEY_SUB_PER_PUSD);
	return 0;
}

int format_cost_add(const struct json_span *v, const char *name, struct jsonl_rec *rec, struct err *e)
{
	const decimal_wide unit = MONEY_SUB_PER_PUSD;
	decimal_wide sum = 0;
	if (rec->cost_pusd != JSONL_ABSENT)
		sum = (decimal_wide)rec->cost_pusd * unit + rec->cost_sub;
	if (format_cost(v, name, rec, e) < 0)
		return -1;
	sum += (decimal_wide)rec->cost_pusd * unit + rec->cost_sub;
	decimal_wide q = sum / unit, r = sum % unit; /* sum >= 0: rounded half to even, as format_cost */
	if (2 * r > unit || (2 * r == unit && (q & 1)))
		q++;
	if (q > INT64_MAX)
		return err_set(e, "%s: the costs add up to more than 9223372 USD", name);
	rec->cost_pusd = (int64_t)q;
	rec->cost_sub = (int64_t)(sum - q * unit);
	return 0;
}

int format_latency(int64_t start_us, int64_t end_us, const char *name, int64_t *out, struct err *e)
{
	if (end_us < start_us)
		return err_set(e, "%s: ends before it starts", name);
	if (end_us - start_us > TRACE_LATENCY_MAX_US)
		return err_set(e, "%s: lasts more than 10^13 ms", name);
	*out = end_us - start_us;
	return 0;
}

/* Appends the text of string v, after a newline when text came before. */
static void add_text(const struct json_span *v, char *out, size_t *n)
{
	if (v->type != JSON_STRING)
		return;
	if (*n)
		out[(*n)++] = '\n';
	*n += json_string_decode(v, out + *n);
}

/* The text of a message's content: a string, or the `text` of each of its parts. */
static void content_text(const struct json_span *item, char *out, size_t *n)
{
	struct json_span c, part, t;
	struct json_iter it;
	if (item->type == JSON_STRING) {
		add_text(item, out, n);
		return;
	}
	if (!format_get(item, "content", &c))
		return;
	if (c.type != JSON_ARRAY) {
		add_text(&c, out, n);
		return;
	}
	json_iter_init(&it, &c);
	while (json_iter_next(&it, NULL, &part))
		if (format_get(&part, "text", &t))
			add_text(&t, out, n);
}

void format_messages_text(const struct json_span *v, char *out, size_t *n)
{
	struct json_span item;
	struct json_iter it;
	if (v->type != JSON_ARRAY) {
		content_text(v, out, n);
		return;
	}
	json_iter_init(&it, v);
	while (json_iter_next(&it, NULL, &item))
		content_text(&item, out, n);
}

size_t format_request_text(const struct json_span *body, char *out)
{
	struct json_span v, item;
	struct json_iter it;
	size_t n = 0;
	if (format_get(body, "instructions", &v))
		add_text(&v, out, &n);
	if (format_get(body, "prompt", &v) && v.type == JSON_ARRAY) { /* several prompts: each a piece */
		json_iter_init(&it, &v);
		while (json_iter_next(&it, NULL, &item))
			add_text(&item, out, &n); /* a prompt of token ids has no text */
	} else if (format_get(body, "prompt", &v)) {
		add_text(&v, out, &n);
	}
	static const char *const lists[] = { "input", "messages" };
	for (size_t i = 0; i < 2; i++)
		if (format_get(body, lists[i], &v))
			format_messages_text(&v, out, &n);
	return n;
}

/* The class of HTTP status code. */
static int status_of_code(int code)
{
	if (code == 408)
		return STATUS_TIMEOUT;
	if (code == 429)
		return STATUS_RATE_LIMITED;
	return code >= 400 && code < 500 ? STATUS_INVALID_REQUEST : STATUS_SERVER_ERROR;
}

/* An HTTP status inside a text (lowercased): three digits alone, after "code", "status" or
 * "http" and any of " :=" ("Error code: 429 - {...}", "status code 503", "HTTP 408"), the
 * first such; 0 when none. */
static int code_within(const char *s)
{
	static const char *const marks[] = { "code", "status", "http" };
	for (size_t i = 0; s[i]; i++) {
		if (!isdigit((unsigned char)s[i]) || !isdigit((unsigned char)s[i + 1]) ||
		    !isdigit((unsigned char)s[i + 2]) || isdigit((unsigned char)s[i + 3]) ||
		    (i > 0 && isdigit((unsigned char)s[i - 1])))
			continue;
		size_t j = i;
		while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == ':' || s[j - 1] == '='))
			j--;
		for (size_t m = 0; j < i && m < sizeof marks / sizeof marks[0]; m++) {
			size_t k = strlen(marks[m]);
			if (j >= k && memcmp(s + j - k, marks[m], k) == 0)
				return (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
		}
	}
	return 0;
}

/* 1 when word w begins at s[p] (s: a text lowercased from orig, n long): at a word's start
 * (after no letter, or at a capital: "ReadTimeout"), each space of w standing for any run of
 * spaces, '_' and '-', or none ("rate limit": rate_limit, RateLimitError). */
static int word_at(const char *s, const char *orig, size_t n, size_t p, const char *w)
{
	if (p > 0 && isalpha((unsigned char)s[p - 1]) && !isupper((unsigned char)orig[p]))
		return 0;
	for (size_t i = p; *w; w++) {
		if (*w == ' ') {
			while (i < n && (s[i] == ' ' || s[i] == '_' || s[i] == '-'))
				i++;
		} else if (i >= n || s[i++] != *w) {
			return 0;
		}
	}
	return 1;
}

int format_status_of(const char *text, size_t n)
{
	char s[128];
	size_t k = 0;
	for (; k < n && k < sizeof s - 1; k++)
		s[k] = (char)tolower((unsigned char)text[k]);
	s[k] = 0;
	if (k == 3 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]))
		return status_of_code(atoi(s));
	/* words, each from a word's start (word_at): "separate limit" holds no rate limit */
	static const struct { const char *word; int status; } words[] = {
		{ "context length", STATUS_CONTEXT_LENGTH }, { "context window", STATUS_CONTEXT_LENGTH },
		{ "maximum context", STATUS_CONTEXT_LENGTH },
		{ "content filter", STATUS_CONTENT_FILTER }, /* also openai.ContentFilterFinishReasonError */
		{ "content policy", STATUS_CONTENT_FILTER },
		{ "timeout", STATUS_TIMEOUT }, { "timed out", STATUS_TIMEOUT },
		{ "deadline exceeded", STATUS_TIMEOUT }, /* gRPC's DEADLINE_EXCEEDED */
		{ "expired", STATUS_TIMEOUT }, /* batch_expired: not run within the batch's window */
		{ "quota", STATUS_INVALID_REQUEST }, /* insufficient_quota: fatal, not a rate limit */
		{ "rate limit", STATUS_RATE_LIMITED }, { "too many requests", STATUS_RATE_LIMITED },
		{ "throttl", STATUS_RATE_LIMITED }, /* Bedrock's ThrottlingException, "throttled" */
		{ "resource exhausted", STATUS_RATE_LIMITED }, /* gRPC's RESOURCE_EXHAUSTED (Vertex AI's 429) */
		{ "invalid", STATUS_INVALID_REQUEST }, { "bad request", STATUS_INVALID_REQUEST },
		{ "not found", STATUS_INVALID_REQUEST },
		{ "authentication", STATUS_INVALID_REQUEST }, { "permission", STATUS_INVALID_REQUEST },
		{ "unprocessable", STATUS_INVALID_REQUEST },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		for (size_t p = 0; p < k; p++)
			if (s[p] == words[i].word[0] && word_at(s, text, k, p, words[i].word))
				return words[i].status;
	int code = code_within(s);
	return code ? status_of_code(code) : STATUS_SERVER_ERROR;
}

static int has_nul(struct str s)
{
	return s.s && memchr(s.s, 0, s.n) != NULL;
}

int format_check(const struct jsonl_rec *r, struct err *e)
{
	if (has_nul(r->tenant) || has_nul(r->task) || has_nul(r->model))
		return err_set(e, "a tenant, task or model name holds \\u0000");
	if (r->ts_us < TRACE_TS_MIN_US || r->ts_us > TRACE_TS_MAX_US)
		return err_set(e, "the time is outside the years 0 to 9999");
	return 0;
}

/* ---- trace v1 as a format ---- */

/* Any object but OTLP's other signals (metrics, logs), which hold no requests. */
static int jsonl_sniff(const struct json_span *v)
{
	struct json_span x;
	return v->type == JSON_OBJECT && !format_get(v, "resourceMetrics", &x) && !format_get(v, "resourceLogs", &x);
}

static int jsonl_parse_text(struct format_parser *p, const char *text, size_t len, uint64_t line,
                            const struct format_sink *k, struct err *e)
{
	struct jsonl_rec rec;
	int rc = jsonl_parse(&p->jsonl, text, len, &rec, e);
	if (rc < 0)
		return rc;
	return k->row(k->ctx, line, &rec) ? FORMAT_STOPPED : 0;
}

const struct import_format format_jsonl = {
	.name = "jsonl", .title = "trace v1 JSON Lines", .sniff = jsonl_sniff, .parse = jsonl_parse_text,
};
