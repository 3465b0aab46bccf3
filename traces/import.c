/*
 * Trace import driver.  Two threads share the work: the caller's thread reads
 * lines, tells each file's format (traces/format.h), and parses its lines (or its
 * one JSON document) into batches (records deep-copied into each batch's arena),
 * and a writer thread feeds the batches to the store, inside a single
 * transaction committed only at the very end.  Batches circulate through a
 * small ring, so the lines' memory stays bounded however large the input; what
 * grows with it is what a format keeps of each row to join or count (a Batch
 * file's custom_ids; the 8-byte hashes of LiteLLM's and OTLP's row ids, at 16
 * to 32 bytes a row).
 */
#include "traces/import.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/trace.h"
#include "traces/format.h"
#include "traces/jsonl.h"
#include "traces/progress.h"
#include "traces/reader.h"
#include "traces/report.h"
#include "traces/text.h"

#define BATCH_ITEMS 2048
#define BATCH_ARENA (4u << 20)
#define N_BATCHES 3

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n > k && strcmp(s + n - k, suffix) == 0;
}

void import_name_for(const char *path, char *name, size_t n)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (ends_with(base, len, ".gz"))
		len -= 3;
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%.*s", (int)len, base);
	len = strlen(tmp);
	if (ends_with(tmp, len, ".jsonl"))
		len -= 6;
	else if (ends_with(tmp, len, ".json"))
		len -= 5;
	snprintf(name, n, "%.*s", (int)len, tmp);
}

/* ---- batches: what the reading thread hands to the writing thread ---- */

enum item_kind { ITEM_BEGIN, ITEM_REQUEST, ITEM_REJECT, ITEM_FINISH };

struct item {
	enum item_kind kind;
	uint64_t line, full_len;
	const char *file;           /* the caller's string */
	struct jsonl_rec rec;       /* ITEM_REQUEST: strings in the arena */
	struct str text, reason;    /* ITEM_REJECT; ITEM_BEGIN: name, source */
	size_t trace;               /* ITEM_FINISH: index into infos */
};

struct batch {
	struct item items[BATCH_ITEMS];
	size_t n;
	char *arena;
	size_t used, cap;
};

struct run {
	const struct import_opts *o;
	struct store *s;
	struct store_trace_info *infos;
	struct format_parser parser;
	uint64_t lines, bytes_before, total;
	struct progress_pace pace;

	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch batches[N_BATCHES];
	struct batch *cur;          /* being filled by the reader */
	struct batch *full[N_BATCHES], *empty[N_BATCHES];
	size_t n_full, n_empty;
	int closed;                 /* the reader has sent its last batch */
	int failed;                 /* the writer met an error (in werr) */
	int exists;                 /* that error: the trace's name is stored already */
	unsigned char *replaced;    /* with --replace: per trace, 1 when its name was stored */
	struct err werr;
};

static struct batch *take(struct batch **list, size_t *n, int from_head)
{
	struct batch *b = NULL;
	if (from_head) {
		b = list[0];
		memmove(list, list + 1, (*n - 1) * sizeof *list);
	} else {
		b = list[*n - 1];
	}
	(*n)--;
	return b;
}

/* Hands the current batch to the writer and takes an empty one.  -1: the writer failed. */
static int submit(struct run *run)
{
	pthread_mutex_lock(&run->mu);
	run->full[run->n_full++] = run->cur;
	pthread_cond_broadcast(&run->cv);
	while (!run->n_empty && !run->failed)
		pthread_cond_wait(&run->cv, &run->mu);
	run->cur = run->failed ? NULL : take(run->empty, &run->n_empty, 0);
	int failed = run->failed;
	pthread_mutex_unlock(&run->mu);
	if (run->cur) {
		run->cur->n = 0;
		run->cur->used = 0;
	}
	return failed ? -1 : 0;
}

/* Room for `bytes` more arena bytes and one item, submitting the batch when full. */
static int reserve(struct run *run, size_t bytes)
{
	struct batch *b = run->cur;
	if (b->n < BATCH_ITEMS && b->used + bytes <= b->cap)
		return 0;
	if (b->n > 0) {
		if (submit(run) < 0)
			return -1;
		b = run->cur;
	}
	if (bytes > b->cap) { /* only ever grown while empty: no pointer into it yet */
		char *a = realloc(b->arena, bytes);
		if (!a)
			return -2;
		b->arena = a;
		b->cap = bytes;
	}
	return 0;
}

static struct str copy_str(struct batch *b, struct str s)
{
	if (!s.s)
		return s;
	char *dst = b->arena + b->used;
	memcpy(dst, s.s, s.n);
	b->used += s.n;
	return (struct str){ dst, s.n };
}

/* The string fields of a record, which a batch copies into its arena: one list, so that
 * sizing and copying cannot disagree. */
static const size_t rec_strs[] = {
	offsetof(struct jsonl_rec, tenant), offsetof(struct jsonl_rec, task),
	offsetof(struct jsonl_rec, input), offsetof(struct jsonl_rec, input_hash),
	offsetof(struct jsonl_rec, model), offsetof(struct jsonl_rec, request_id),
	offsetof(struct jsonl_rec, session), offsetof(struct jsonl_rec, user),
	offsetof(struct jsonl_rec, extra),
};
#define REC_STR(r, k) ((struct str *)(void *)((char *)(r) + rec_strs[k]))

static size_t rec_bytes(const struct jsonl_rec *r)
{
	size_t n = alignof(struct jsonl_attempt) + r->n_att * sizeof *r->att;
	for (size_t k = 0; k < sizeof rec_strs / sizeof rec_strs[0]; k++)
		n += REC_STR(r, k)->n;
	for (size_t i = 0; i < r->n_att; i++)
		n += r->att[i].model.n + r->att[i].extra.n;
	return n;
}

static int push_request(struct run *run, const char *file, uint64_t line, const struct jsonl_rec *r)
{
	int rc = reserve(run, rec_bytes(r));
	if (rc < 0)
		return rc;
	struct batch *b = run->cur;
	struct item *it = &b->items[b->n++];
	*it = (struct item){ .kind = ITEM_REQUEST, .line = line, .file = file, .rec = *r };
	b->used = (b->used + alignof(struct jsonl_attempt) - 1) / alignof(struct jsonl_attempt) *
	          alignof(struct jsonl_attempt);
	struct jsonl_attempt *att = (struct jsonl_attempt *)(void *)(b->arena + b->used);
	b->used += r->n_att * sizeof *att;
	for (size_t i = 0; i < r->n_att; i++) {
		att[i] = r->att[i];
		att[i].model = copy_str(b, r->att[i].model);
		att[i].extra = copy_str(b, r->att[i].extra);
	}
	struct jsonl_rec *c = &it->rec;
	c->att = r->n_att ? att : NULL;
	for (size_t k = 0; k < sizeof rec_strs / sizeof rec_strs[0]; k++)
		*REC_STR(c, k) = copy_str(b, *REC_STR(r, k));
	return 0;
}

/* A reject, or (with line == 0) the start of a trace: two strings and a file. */
static int push_strings(struct run *run, enum item_kind kind, const char *file, uint64_t line,
                        struct str text, struct str reason, uint64_t full_len)
{
	int rc = reserve(run, text.n + reason.n + 1);
	if (rc < 0)
		return rc;
	struct batch *b = run->cur;
	struct item *it = &b->items[b->n++];
	*it = (struct item){ .kind = kind, .line = line, .file = file, .full_len = full_len };
	it->text = copy_str(b, text);
	it->reason = copy_str(b, reason);
	b->arena[b->used++] = 0; /* the reason is read as a C string */
	return 0;
}

static int push_finish(struct run *run, size_t trace)
{
	int rc = reserve(run, 0);
	if (rc < 0)
		return rc;
	run->cur->items[run->cur->n++] = (struct item){ .kind = ITEM_FINISH, .trace = trace };
	return 0;
}

/* ---- the writer thread ---- */

static int write_item(struct run *run, struct store_import **im, const struct item *it, struct err *e)
{
	char name[256], reason[1200];
	switch (it->kind) {
	case ITEM_BEGIN:
		snprintf(name, sizeof name, "%.*s", (int)it->text.n, it->text.s);
		return store_import_begin(run->s, name, it->reason.s, run->o->replace, im, e);
	case ITEM_REQUEST:
		return store_import_add(*im, &it->rec, it->line, e);
	case ITEM_REJECT:
		snprintf(reason, sizeof reason, "%.*s", (int)it->reason.n, it->reason.s);
		return store_import_reject(*im, it->file, it->line, reason, it->text.s, it->text.n,
		                           it->full_len, e);
	case ITEM_FINISH: {
		int rc = store_import_finish(*im, &run->infos[it->trace], e);
		*im = NULL;
		return rc;
	}
	}
	return 0;
}

static void *writer(void *arg)
{
	struct run *run = arg;
	struct store_import *im = NULL;
	int failed = 0;
	for (;;) {
		pthread_mutex_lock(&run->mu);
		while (!run->n_full && !run->closed)
			pthread_cond_wait(&run->cv, &run->mu);
		if (!run->n_full) {
			pthread_mutex_unlock(&run->mu);
			break;
		}
		struct batch *b = take(run->full, &run->n_full, 1);
		pthread_mutex_unlock(&run->mu);
		int rc = 0;
		for (size_t i = 0; i < b->n && !failed; i++)
			failed = (rc = write_item(run, &im, &b->items[i], &run->werr)) < 0;
		pthread_mutex_lock(&run->mu);
		run->exists |= rc == -2;
		run->empty[run->n_empty++] = b;
		run->failed |= failed;
		pthread_cond_broadcast(&run->cv);
		pthread_mutex_unlock(&run->mu);
	}
	store_import_abort(im); /* only left open after a failure */
	return NULL;
}

/* ---- the reading thread ---- */

static void report_progress(struct run *run, const struct reader *r)
{
	double t;
	if (run->o->on_progress && progress_due(&run->pace, &t))
		run->o->on_progress(run->o->ctx, run->lines, run->bytes_before + reader_offset(r),
		                    run->total, t);
}

int import_stop_init(struct import_stop *s)
{
	s->requested = 0;
	if (pipe(s->wake) < 0) {
		s->wake[0] = s->wake[1] = -1;
		return -1;
	}
	for (int k = 0; k < 2; k++) {
		fcntl(s->wake[k], F_SETFD, FD_CLOEXEC);
		fcntl(s->wake[k], F_SETFL, O_NONBLOCK); /* a handler never blocks on a full pipe */
	}
	return 0;
}

void import_stop_request(struct import_stop *s, int sig)
{
	static const char byte = 1;
	int saved = errno;
	s->requested = sig;
	if (s->wake[1] >= 0) {
		ssize_t w = write(s->wake[1], &byte, 1); /* a full pipe wakes the reader anyway */
		(void)w;
	}
	errno = saved;
}

void import_stop_fini(struct import_stop *s)
{
	for (int k = 0; k < 2; k++)
		if (s->wake[k] >= 0)
			close(s->wake[k]);
	s->wake[0] = s->wake[1] = -1;
}

static int stopped(const struct run *run)
{
	return run->o->stop && run->o->stop->requested;
}

const char *import_stop_word(int sig)
{
	return sig == SIGTERM ? "terminated" : sig == SIGHUP ? "hung up" : sig == SIGQUIT ? "quit" : "interrupted";
}

static void stopped_error(const struct run *run, struct err *e)
{
	err_set(e, "%s: nothing was imported", import_stop_word(run->o->stop->requested));
}

/* ---- one file: its format, then its lines (or its one document) through the format's parser ---- */

struct file_read {
	struct run *run;
	const char *path;
	const struct import_format *fmt; /* NULL until the first line that is not blank */
	const char *title;               /* the format as its first value showed it (format_title) */
	int empty_array;                 /* the content is an empty JSON array (or such lines), no more */
	uint64_t early;                  /* attempts timed before their request's ts (skewed clocks)... */
	uint64_t early_line;             /* ...the first one's line... */
	size_t early_att;                /* ...and index in its attempts */
	enum import_status status;       /* IMPORT_OK while it goes on */
	struct err *e;
	int csv;                         /* a file of CSV records (a format's sniff_csv took its first line) */
	char *rec;                       /* CSV: the lines of a record that goes on (a quoted field open)... */
	size_t rec_len, rec_cap;
	uint64_t rec_line;               /* ...from this line (0: none pending) */
	int rec_open;                    /* the record so far ends in a quoted field (csv_open) */
};

/* Rejects text (a line, or a part of one) at line: the writer keeps it, --strict stops. */
static int reject_text(struct file_read *f, uint64_t line, const char *text, size_t len, uint64_t full,
                       const char *reason)
{
	struct run *run = f->run;
	if (run->o->strict) {
		err_set(f->e, "%s:%llu: %s", f->path, (unsigned long long)line, reason);
		f->status = IMPORT_REJECTED;
		return -1;
	}
	if (run->o->on_reject)
		run->o->on_reject(run->o->ctx, f->path, line, reason);
	int pushed = push_strings(run, ITEM_REJECT, f->path, line, (struct str){ text, len },
	                          (struct str){ reason, strlen(reason) }, full);
	if (pushed == -2)
		err_set(f->e, "%s:%llu: out of memory", f->path, (unsigned long long)line);
	if (pushed < 0) /* else the writer failed: its message is the one to show */
		f->status = IMPORT_FAILED;
	return pushed < 0 ? -1 : 0;
}

static int sink_row(void *ctx, uint64_t line, const struct jsonl_rec *rec)
{
	struct file_read *f = ctx;
	for (size_t i = 0; i < rec->n_att; i++)
		if (rec->att[i].ts_us != TRACE_NO_TIME && rec->att[i].ts_us < rec->ts_us && !f->early++) {
			f->early_line = line;
			f->early_att = i;
		}
	int pushed = push_request(f->run, f->path, line, rec);
	if (pushed == -2)
		err_set(f->e, "%s:%llu: out of memory", f->path, (unsigned long long)line);
	if (pushed < 0)
		f->status = IMPORT_FAILED;
	return pushed < 0;
}

static int sink_reject(void *ctx, uint64_t line, const char *text, size_t len, const char *reason)
{
	return reject_text(ctx, line, text, len, len, reason) < 0;
}

/* One text (a line, or the whole file when it is one document) through the file's format. */
static void parse_text(struct file_read *f, const char *text, size_t len, uint64_t full, uint64_t line)
{
	struct format_sink sink = { f, sink_row, sink_reject };
	struct err why;
	if (full > len) {
		err_set(&why, "line longer than %u MiB (%llu bytes)", READER_MAX_LINE >> 20, (unsigned long long)full);
		reject_text(f, line, text, len, full, why.msg);
		return;
	}
	int rc = f->fmt->parse(&f->run->parser, text, len, line, &sink, &why);
	if (rc == -1) {
		reject_text(f, line, text, len, full, why.msg);
	} else if (rc == -2) {
		err_set(f->e, "%s:%llu: out of memory", f->path, (unsigned long long)line);
		f->status = IMPORT_FAILED;
	}
}

/* The CSV record pending (f->rec), if any, through parse_text at its first line. */
static void record_flush(struct file_read *f)
{
	if (!f->rec_line)
		return;
	uint64_t line = f->rec_line;
	f->rec_line = 0;
	f->rec_open = 0;
	parse_text(f, f->rec, f->rec_len, f->rec_len, line);
}

/* A line of the file through parse_text, or (a CSV file) the lines of one record joined by '\n'
 * when a quoted field spans them, the record's line its first. */
static void feed(struct file_read *f, const char *line, size_t len, uint64_t full, uint64_t line_no)
{
	if (!f->csv || full > len) {
		record_flush(f);
		parse_text(f, line, len, full, line_no);
		return;
	}
	int open = csv_open(line, len, f->rec_line && f->rec_open);
	if (!f->rec_line && !open) { /* a record on a line of its own */
		parse_text(f, line, len, full, line_no);
		return;
	}
	size_t need = (f->rec_line ? f->rec_len + 1 : 0) + len;
	if (need > READER_MAX_LINE) { /* a quote never closed: what came before is rejected */
		record_flush(f);
		need = len;
	}
	if (need > f->rec_cap) {
		size_t cap = f->rec_cap ? f->rec_cap : 4096;
		while (cap < need)
			cap *= 2;
		char *b = realloc(f->rec, cap);
		if (!b) {
			err_set(f->e, "%s:%llu: out of memory", f->path, (unsigned long long)line_no);
			f->status = IMPORT_FAILED;
			return;
		}
		f->rec = b;
		f->rec_cap = cap;
	}
	if (!f->rec_line) {
		f->rec_line = line_no;
		f->rec_len = 0;
	} else {
		f->rec[f->rec_len++] = '\n';
	}
	memcpy(f->rec + f->rec_len, line, len);
	f->rec_len += len;
	f->rec_open = open;
	if (!f->rec_open)
		record_flush(f);
}

/* A first line that is the CSV header of a format that reads CSV (--format's when it is no JSON
 * and holds a comma; with auto, the first format whose sniff_csv takes it): the file is then read
 * as CSV (f->csv).  1 when it is. */
static int is_csv_header(struct file_read *f, const char *line, size_t len)
{
	struct json_span v;
	const char *why;
	size_t at;
	if (f->fmt) {
		if (!f->fmt->sniff_csv || !memchr(line, ',', len) || json_validate(line, len, &v, &why, &at) == 0 ||
		    format_opens_document(line, len))
			return 0;
	} else if (!(f->fmt = format_detect_csv(line, len))) {
		return 0;
	}
	f->csv = 1;
	f->title = f->fmt->csv_title;
	format_csv_file(&f->run->parser, 1);
	return 1;
}

/* A file whose name says JSON (.jsonl, .json, .ndjson, each perhaps .gz): trace v1 when its
 * content cannot tell. */
static int named_jsonl(const char *path)
{
	static const char *const suffixes[] = { ".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz", ".ndjson.gz" };
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (ends_with(path, n, suffixes[i]))
			return 1;
	return 0;
}

static void note(struct file_read *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct file_read *f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (!f->run->o->on_note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	f->run->o->on_note(f->run->o->ctx, f->path, msg);
}

/* How to name the format that the content could not tell: the import's --format, or (a
 * first-use import) the import command with it, when the message that begins with the path
 * has room for it whole (a command cut short is worse than none). */
static const char *format_advice(const struct file_read *f, char *buf, size_t n)
{
	const char *cmd = f->run->o->import_cmd;
	if (cmd && *cmd && strlen(f->path) + strlen(cmd) + 200 < sizeof f->e->msg && strlen(cmd) + 100 < n)
		snprintf(buf, n, "import it with %s --format F, F one of %s", cmd, format_names());
	else if (cmd)
		snprintf(buf, n, "import it with llmcost import and --format F, F one of %s", format_names());
	else
		snprintf(buf, n, "name it with --format (%s)", format_names());
	return buf;
}

/* 1 when a text (a line, a document) is an empty JSON array: before the content tells its
 * format, rows of none (LiteLLM's /spend/logs answer for a time without calls), not a value to
 * tell it by. */
static int text_is_empty_array(const char *text, size_t len)
{
	struct json_span v, x;
	struct json_iter it;
	const char *why;
	size_t at;
	if (json_validate(text, len, &v, &why, &at) != 0 || v.type != JSON_ARRAY)
		return 0;
	json_iter_init(&it, &v);
	return !json_iter_next(&it, NULL, &x);
}

/*
 * The format of a file from its first line that is not blank (when --format did not name
 * one): 0, or -1 with f->status set when the content cannot tell.  A first line that is an
 * incomplete JSON value may start a pretty-printed document: *doc is then set.
 */
static int choose(struct file_read *f, const char *line, size_t len, int *doc)
{
	struct json_span v;
	const char *why;
	size_t at;
	char advice[1400];
	*doc = 0;
	if (json_validate(line, len, &v, &why, &at) == 0) {
		if (f->fmt)
			return 0;
		if (!(f->fmt = format_detect(&v))) {
			err_set(f->e, "%s: cannot tell the format from line 1 (a JSON value of none of the "
			        "formats): %s", f->path, format_advice(f, advice, sizeof advice));
			f->status = IMPORT_UNREADABLE;
			return -1;
		}
		f->title = format_title(f->fmt, &v);
		return 0;
	}
	if (format_opens_document(line, len) && (!f->fmt || f->fmt->documents)) {
		*doc = 1;
		return 0;
	}
	if (!f->fmt && named_jsonl(f->path))
		f->fmt = &format_jsonl;
	if (f->fmt)
		return 0;
	if (strncmp(why, "not JSON: ", 10) == 0)
		why += 10;
	err_set(f->e, "%s: cannot tell the format: its first line is not JSON (%s at column %zu); %s", f->path,
	        why, at + 1, format_advice(f, advice, sizeof advice));
	f->status = IMPORT_UNREADABLE;
	return -1;
}

/*
 * choose for a first line cut short (longer than READER_MAX_LINE; line[0..len) the READER_KEEP
 * bytes the reader kept of it): one that may be a JSON value the cut ended (an object or array
 * whose text is JSON up to the cut) is read as trace v1, and rejected as too long; else it is no
 * JSON, as choose says of a short one (a file named as JSON: trace v1).  0 with f->fmt set, or
 * -1 with f->status set.
 */
static int choose_cut(struct file_read *f, const char *line, size_t len)
{
	struct json_span v;
	const char *why;
	size_t at, i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	int opens = i < len && (line[i] == '{' || line[i] == '[');
	if (opens && (json_validate(line, len, &v, &why, &at) == 0 || json_cut_short(line, len))) {
		f->fmt = &format_jsonl;
		return 0;
	}
	int doc; /* 0: a document's text that breaks only at the cut is one json_cut_short took */
	return choose(f, line, len, &doc);
}

/* Buffers the rest of a file that may be one pretty-printed JSON document. */
struct slurp {
	char *buf;
	size_t len, cap;
	uint64_t first;             /* the line it starts at */
	int whole;                  /* the file's end was reached within READER_MAX_LINE */
};

static int slurp_add(struct slurp *s, const char *line, size_t len)
{
	if (s->len + len + 1 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1u << 16;
		while (cap < s->len + len + 1)
			cap *= 2;
		char *b = realloc(s->buf, cap);
		if (!b)
			return -1;
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, line, len);
	s->len += len;
	s->buf[s->len++] = '\n';
	return 0;
}

/* The lines of a slurped text that did not form one document, one by one. */
static void each_line(struct file_read *f, const struct slurp *s)
{
	uint64_t line = s->first;
	for (size_t at = 0; at < s->len && f->status == IMPORT_OK; line++) {
		const char *nl = memchr(s->buf + at, '\n', s->len - at);
		size_t n = (size_t)(nl - (s->buf + at));
		if (!jsonl_is_blank(s->buf + at, n)) {
			if (!f->fmt) {
				int doc;
				if (choose(f, s->buf + at, n, &doc) < 0)
					return;
				if (doc && !f->fmt && !named_jsonl(f->path)) {
					char advice[1400];
					err_set(f->e, "%s: cannot tell the format: line %llu starts a JSON value that "
					        "never ends; %s", f->path, (unsigned long long)line,
					        format_advice(f, advice, sizeof advice));
					f->status = IMPORT_FAILED;
					return;
				}
				if (!f->fmt)
					f->fmt = &format_jsonl;
			}
			parse_text(f, s->buf + at, n, n, line);
		}
		at += n + 1;
	}
}

/*
 * The file from its first line on, when that line may start one JSON document: read whole
 * (up to READER_MAX_LINE) and parsed as one text when it is one value of a format that
 * takes documents, else line by line.  *more: the reader still has lines (the file was
 * longer than a document may be).
 */
static void read_document(struct file_read *f, struct reader *r, const char *line, size_t len, int *more)
{
	struct slurp s = { .first = r->line_no };
	uint64_t full;
	int rc = 0, cut = 0, auto_fmt = !f->fmt;
	*more = 0;
	if (slurp_add(&s, line, len) < 0)
		goto oom;
	while ((rc = reader_next(r, &line, &len, &full, f->e)) == 1) {
		if (full > len || s.len + len + 1 > READER_MAX_LINE) {
			cut = 1; /* no document: this line and the rest are read as lines */
			break;
		}
		if (slurp_add(&s, line, len) < 0)
			goto oom;
	}
	if (rc < 0) {
		f->status = r->damaged ? IMPORT_UNREADABLE : IMPORT_FAILED;
		goto out;
	}
	struct json_span doc;
	const struct import_format *fmt = cut ? NULL : format_document(s.buf, s.len, f->fmt, &doc);
	if (!fmt && !cut && auto_fmt && text_is_empty_array(s.buf, s.len)) {
		f->fmt = &format_litellm; /* the one format of arrays, which takes [] as no row */
		f->empty_array = 1;
		goto out;
	}
	if (fmt) {
		f->fmt = fmt;
		if (auto_fmt && fmt != &format_jsonl)
			note(f, "read as %s, one JSON document: --format %s", format_title(fmt, &doc), fmt->name);
		parse_text(f, s.buf, s.len, s.len, s.first);
		goto out;
	}
	each_line(f, &s);
	if (auto_fmt && f->fmt && f->fmt != &format_jsonl)
		note(f, "read as %s: --format %s", f->title ? f->title : f->fmt->title, f->fmt->name);
	if (cut && f->status == IMPORT_OK) {
		parse_text(f, line, len, full, r->line_no);
		*more = 1;
	}
out:
	free(s.buf);
	return;
oom:
	err_set(f->e, "%s: out of memory", f->path);
	f->status = IMPORT_FAILED;
	free(s.buf);
}

/* One file into the open trace.  Returns enum import_status. */
static enum import_status read_file(struct run *run, const char *path, struct err *e)
{
	struct reader r;
	const char *line;
	size_t len;
	uint64_t full, skipped = run->parser.skipped, inputs = run->parser.batch_inputs, hits = run->parser.cache_hits;
	uint64_t repeats = run->parser.repeats, failed = run->parser.failed;
	int rc = 0;
	run->parser.repeat_line = 0;
	struct file_read f = { .run = run, .path = path, .fmt = run->o->format, .status = IMPORT_OK, .e = e };
	int chosen = 0;
	format_csv_file(&run->parser, 0);

	if (reader_open(&r, path, run->o->stop ? run->o->stop->wake[0] : -1, e) < 0)
		return IMPORT_FAILED;
	while (f.status == IMPORT_OK && (rc = reader_next(&r, &line, &len, &full, e)) == 1) {
		if (stopped(run))
			break; /* a line the signal cut short is no malformed line */
		if ((++run->lines & 4095) == 0)
			report_progress(run, &r);
		if (r.line_no == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3; /* a UTF-8 byte order mark, as some Windows tools write */
			len -= 3;
			full -= 3;
		}
		if (full == len && jsonl_is_blank(line, len) && !f.rec_line) /* within a quoted CSV field: text */
			continue;
		if (!chosen && !f.fmt && full == len && text_is_empty_array(line, len)) {
			f.empty_array = 1; /* until a line tells the format */
			continue;
		}
		if (!chosen) {
			int doc = 0, auto_fmt = !f.fmt, more;
			chosen = 1;
			f.empty_array = 0;
			int csv = full == len && is_csv_header(&f, line, len);
			if (!csv && full == len && (!f.fmt || f.fmt->documents) && choose(&f, line, len, &doc) < 0)
				break;
			if (!csv && full > len && !f.fmt && choose_cut(&f, line, len) < 0)
				break;
			if (doc) {
				read_document(&f, &r, line, len, &more);
				if (!more)
					break;
				continue;
			}
			if (auto_fmt && f.fmt != &format_jsonl)
				note(&f, "read as %s: --format %s", f.title ? f.title : f.fmt->title, f.fmt->name);
		}
		feed(&f, line, len, full, r.line_no);
	}
	if (f.status == IMPORT_OK && rc == 0 && !stopped(run))
		record_flush(&f); /* a quoted field the file's end left open: rejected */
	free(f.rec);
	enum import_status status = f.status;
	if (status == IMPORT_OK && rc < 0)
		status = r.damaged ? IMPORT_UNREADABLE : IMPORT_FAILED;
	if (status == IMPORT_OK && f.empty_array)
		note(&f, "holds an empty JSON array (as LiteLLM's /spend/logs answers for a time without calls): "
		     "no request to import");
	if (status == IMPORT_OK && run->parser.skipped > skipped)
		note(&f, "skipped %llu %s%s that %s not a model call (%s)", (unsigned long long)(run->parser.skipped - skipped),
		     f.fmt->record, run->parser.skipped - skipped == 1 ? "" : "s",
		     run->parser.skipped - skipped == 1 ? "is" : "are", f.fmt->skipped_why);
	if (status == IMPORT_OK && run->parser.batch_inputs > inputs)
		note(&f, "kept %llu Batch request%s (an input file) for the output items that follow it "
		     "in this trace, joined by custom_id", (unsigned long long)(run->parser.batch_inputs - inputs),
		     run->parser.batch_inputs - inputs == 1 ? "" : "s");
	if (status == IMPORT_OK && run->parser.cache_hits > hits && f.fmt->cache_by) {
		uint64_t k = run->parser.cache_hits - hits;
		note(&f, k == 1 ? "%llu %s answered by %s is imported as a request; a recorded replay prices its "
		                  "tokens, %s"
		                : "%llu %ss answered by %s are imported as requests; a recorded replay prices their "
		                  "tokens, %s",
		     (unsigned long long)k, f.fmt->record, f.fmt->cache_by,
		     k == 1 ? f.fmt->cache_billed_one : f.fmt->cache_billed_many);
	}
	if (status == IMPORT_OK && run->parser.failed > failed) {
		uint64_t k = run->parser.failed - failed;
		note(&f, "%llu failed %s%s imported as %s of %s own (%s: a retry or fallback is not linked to the "
		     "request it served); replaying an incident's retries and fallbacks needs trace v1 attempts",
		     (unsigned long long)k, f.fmt->record, k == 1 ? " is" : "s are",
		     k == 1 ? "a request" : "requests", k == 1 ? "its" : "their", f.fmt->calls);
	}
	if (status == IMPORT_OK && f.early)
		note(&f, "%llu attempt%s timed before %s request's ts (first: %s:%llu attempts[%zu].ts; a skewed "
		     "clock?): a replay prices %s like any call, gives a request answered before it arrived latency "
		     "0, and counts a call before the first arrival's timeline bucket in the totals but in no bucket",
		     (unsigned long long)f.early, f.early == 1 ? " is" : "s are", f.early == 1 ? "its" : "their", path,
		     (unsigned long long)f.early_line, f.early_att, f.early == 1 ? "it" : "them");
	if (status == IMPORT_OK && run->parser.repeats > repeats) {
		uint64_t k = run->parser.repeats - repeats;
		note(&f, "%llu %s%s repeat%s the %s of one before in this trace (first: %s:%llu): imported all the "
		     "same, each as a request; an export that overlapped another?", (unsigned long long)k,
		     f.fmt->record, k == 1 ? "" : "s", k == 1 ? "s" : "", f.fmt->key, path,
		     (unsigned long long)run->parser.repeat_line);
	}
	if (stopped(run)) { /* also a read cut short by the signal */
		status = IMPORT_STOPPED;
		stopped_error(run, e);
	}
	run->bytes_before += r.file_bytes;
	reader_close(&r);
	return status;
}

/* The sources of one trace as text for people: the files' absolute names joined by ", " (a
 * single file's tells `replay` which file a stored trace came from). */
static void join_sources(const char *const *files, size_t n, char *out, size_t cap)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && used + 1 < cap; i++) {
		int in = strcmp(files[i], "-") == 0;
		char *abs = in ? NULL : realpath(files[i], NULL);
		used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? ", " : "",
		                         in ? "(stdin)" : abs ? abs : files[i]);
		free(abs);
	}
}

/* The name of trace t of an import (opts->name, else its file's). */
static void trace_name(const struct import_opts *o, const char *const *files, size_t t, char *name, size_t n)
{
	if (o->name)
		snprintf(name, n, "%s", o->name);
	else
		import_name_for(files[t], name, n);
}

const char *import_name_problem(const char *name)
{
	if (!*name)
		return "is empty";
	if (strlen(name) > IMPORT_NAME_MAX)
		return "is longer than 255 bytes";
	if (!text_is_utf8(name))
		return "is not UTF-8";
	return NULL;
}

int import_check_names(const char *const *files, size_t n, const struct import_opts *o, struct err *e)
{
	char name[1024], other[1024];
	for (size_t t = 0; t < (o->name ? 1 : n); t++) {
		trace_name(o, files, t, name, sizeof name);
		const char *why = import_name_problem(name);
		/* a first-use import (replay, tui, live, the console's load) has no --name: the
		 * import that gives one */
		const char *cmd = o->import_cmd && *o->import_cmd ? o->import_cmd : "llmcost import FILE";
		if (why && (!o->import_cmd || o->name))
			return err_set(e, "the trace name \"%s\"%s%s %s: choose another with --name", name,
			               o->name ? "" : " of ", o->name ? "" : files[t], why);
		if (why)
			return err_set(e, "the trace name \"%s\" of %s %s: store it under another with %s --name "
			               "NAME, then use NAME", name, files[t], why, cmd);
		for (size_t u = 0; u < t; u++) {
			trace_name(o, files, u, other, sizeof other);
			if (strcmp(name, other) == 0)
				return err_set(e, "%s and %s would both be the trace \"%s\": import each with a "
				               "--name of its own, or both as one trace with --name", files[u], files[t], name);
		}
	}
	return 0;
}

int import_check(const char *const *files, size_t n, const struct import_opts *opts, uint64_t *bytes,
                 struct err *e)
{
	uint64_t total = 0;
	if (import_check_names(files, n, opts, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) { /* every file must open before anything is written */
		struct reader probe;
		if (strcmp(files[i], "-") == 0)
			continue;
		if (reader_open(&probe, files[i], -1, e) < 0)
			return -1;
		total += probe.file_bytes;
		reader_close(&probe);
	}
	if (bytes)
		*bytes = total;
	return 0;
}

/* With --replace, which of the import's traces replace a stored one that holds requests
 * (run->replaced): read
 * inside the import's transaction, before the writer starts.  0, or -1 with e set. */
static int replaced_names(struct run *run, const char *const *files, size_t n, struct err *e)
{
	char name[IMPORT_NAME_MAX + 1];
	struct store_trace_info info;
	size_t n_traces = run->o->name ? 1 : n;
	if (!(run->replaced = calloc(n_traces, 1)))
		return err_set(e, "out of memory");
	for (size_t t = 0; t < n_traces; t++) {
		trace_name(run->o, files, t, name, sizeof name);
		int found = store_find(run->s, name, &info, e);
		if (found < 0)
			return -1;
		run->replaced[t] = found && info.requests > 0; /* one of rejects alone holds nothing to lose */
	}
	return 0;
}

/* 1 (e set) when a trace of no request would replace a stored one: a file whose every line
 * was rejected, or an empty one, must not wipe a good trace out (llmcost rm does that). */
static int emptied(const struct run *run, const char *const *files, size_t n, struct err *e)
{
	for (size_t t = 0; run->replaced && t < (run->o->name ? 1 : n); t++) {
		const struct store_trace_info *info = &run->infos[t];
		if (!run->replaced[t] || info->requests > 0)
			continue;
		char what[1024] = "", rejected[64] = "";
		size_t first = run->o->name ? 0 : t, count = run->o->name ? n : 1, used = 0;
		for (size_t f = first; f < first + count && used < sizeof what; f++)
			used += (size_t)snprintf(what + used, sizeof what - used, "%s%s", f > first ? ", " : "",
			                         strcmp(files[f], "-") ? files[f] : "standard input");
		char lines[32];
		if (info->rejects)
			snprintf(rejected, sizeof rejected, ", %s line%s rejected",
			         report_count_text((uint64_t)info->rejects, lines, sizeof lines), info->rejects == 1 ? "" : "s");
		err_set(e, "%s: no request to import%s; --replace would leave the trace \"%s\" empty, so "
		        "the stored one is kept as it was (llmcost rm %s removes it)", what, rejected,
		        info->name, info->name);
		return 1;
	}
	return 0;
}

/* At the end of a trace, a note on each Batch input file whose requests no output item took:
 * given after its output (the join needs the input first), their text was lost. */
static void unjoined_notes(struct run *run, const char *const *files, size_t first, size_t count)
{
	for (size_t f = first; f < first + count; f++) {
		uint64_t n = openai_batch_unjoined(&run->parser, (uint32_t)f);
		if (n)
			note(&(struct file_read){ .run = run, .path = files[f] },
			     "%llu Batch request%s of this input file matched no output item that followed it: give "
			     "the input file first, then the batch's output and error files, in the same trace",
			     (unsigned long long)n, n == 1 ? "" : "s");
	}
}

static enum import_status read_all(struct run *run, const char *const *files, size_t n, struct err *e)
{
	char name[IMPORT_NAME_MAX + 1], source[1024];
	size_t n_traces = run->o->name ? 1 : n;
	for (size_t t = 0; t < n_traces; t++) {
		size_t first = run->o->name ? 0 : t, count = run->o->name ? n : 1;
		trace_name(run->o, files, t, name, sizeof name);
		join_sources(files + first, count, source, sizeof source);
		format_reset(&run->parser);
		if (push_strings(run, ITEM_BEGIN, NULL, 0, (struct str){ name, strlen(name) },
		                 (struct str){ source, strlen(source) }, 0) < 0)
			return IMPORT_FAILED;
		for (size_t f = first; f < first + count; f++) {
			run->parser.file_no = (uint32_t)f;
			enum import_status st = read_file(run, files[f], e);
			if (st != IMPORT_OK)
				return st;
		}
		unjoined_notes(run, files, first, count);
		if (push_finish(run, t) < 0)
			return IMPORT_FAILED;
	}
	return IMPORT_OK;
}

enum import_status import_files(struct store *s, const char *const *files, size_t n,
                                const struct import_opts *opts, struct store_trace_info *infos,
                                struct err *e)
{
	struct run *run = calloc(1, sizeof *run);
	enum import_status status = IMPORT_FAILED;
	pthread_t tid;

	if (!run)
		return err_set(e, "out of memory"), IMPORT_FAILED;
	*run = (struct run){ .o = opts, .s = s, .infos = infos };
	progress_start(&run->pace);
	if (import_check(files, n, opts, &run->total, e) < 0)
		goto out_free;
	for (int i = 0; i < N_BATCHES; i++) {
		run->batches[i].cap = BATCH_ARENA;
		if (!(run->batches[i].arena = malloc(BATCH_ARENA))) {
			err_set(e, "out of memory");
			goto out_free;
		}
		if (i > 0)
			run->empty[run->n_empty++] = &run->batches[i];
	}
	run->cur = &run->batches[0];
	format_init(&run->parser);
	if (opts->stop) /* a stop ends a long document between two of its spans or rows */
		run->parser.stop = &opts->stop->requested;
	pthread_mutex_init(&run->mu, NULL);
	pthread_cond_init(&run->cv, NULL);
	volatile sig_atomic_t *store_stop = s->stop; /* a stop ends a wait for another's lock too */
	if (opts->stop)
		s->stop = &opts->stop->requested;
	if (store_begin(s, e) < 0)
		goto out_sync;
	/* a name stored already is refused before anything is read, so no note on the files
	 * (spans skipped, the format) comes before the refusal */
	for (size_t t = 0; !opts->replace && t < (opts->name ? 1 : n); t++) {
		char name[IMPORT_NAME_MAX + 1];
		trace_name(opts, files, t, name, sizeof name);
		int rc = store_name_free(s, name, e);
		if (rc < 0) {
			status = rc == -2 ? IMPORT_EXISTS : IMPORT_FAILED;
			store_rollback(s);
			goto out_sync;
		}
	}
	if (opts->replace && replaced_names(run, files, n, e) < 0) {
		store_rollback(s);
		goto out_sync;
	}
	/* the writer blocks SIGINT, SIGTERM and SIGHUP, so they reach the reading thread and cut
	 * its read */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int started = pthread_create(&tid, NULL, writer, run) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!started) {
		err_set(e, "cannot start the writer thread");
		store_rollback(s);
		goto out_sync;
	}
	status = read_all(run, files, n, e);
	if (status == IMPORT_OK && run->cur && run->cur->n)
		status = submit(run) < 0 ? IMPORT_FAILED : IMPORT_OK;
	pthread_mutex_lock(&run->mu);
	run->closed = 1;
	if (status != IMPORT_OK) /* drop what the writer has not started */
		while (run->n_full)
			run->empty[run->n_empty++] = take(run->full, &run->n_full, 1);
	pthread_cond_broadcast(&run->cv);
	pthread_mutex_unlock(&run->mu);
	pthread_join(tid, NULL);
	int stored_none = 0; /* the store failed a write, and the transaction is rolled back */
	if (run->failed) {
		*e = run->werr;
		status = run->exists ? IMPORT_EXISTS : IMPORT_FAILED;
		stored_none = !run->exists;
	}
	if (status == IMPORT_OK && stopped(run)) {
		status = IMPORT_STOPPED;
		stopped_error(run, e);
	}
	if (status == IMPORT_OK && emptied(run, files, n, e))
		status = IMPORT_EMPTY;
	if (status != IMPORT_OK)
		store_rollback(s);
	else if (store_commit(s, e) < 0)
		status = IMPORT_FAILED, stored_none = 1;
	if (stored_none && strlen(e->msg) + sizeof "; nothing was imported" <= sizeof e->msg)
		strcat(e->msg, "; nothing was imported"); /* the store's own error (a full disk) */
out_sync:
	s->stop = store_stop;
	if (status == IMPORT_FAILED && stopped(run)) { /* a lock wait the stop cut short */
		status = IMPORT_STOPPED;
		stopped_error(run, e);
	}
	pthread_cond_destroy(&run->cv);
	pthread_mutex_destroy(&run->mu);
	format_fini(&run->parser);
out_free:
	free(run->replaced);
	for (int i = 0; i < N_BATCHES; i++)
		free(run->batches[i].arena);
	free(run);
	return status;
}
