/*
 * Import formats (SPEC §2, §6 `import --format`): trace v1 JSON Lines and the
 * formats that import into the same model (OTLP/JSON GenAI spans, LiteLLM spend
 * logs, OpenAI Batch output, Helicone request exports, Langfuse observations), one
 * `const struct import_format` each in a registry
 * that also feeds --help and --format's checking.  A parser turns one line (or one
 * whole JSON document) into rows and rejects through a sink; nothing here writes.
 */
#ifndef TRACES_FORMAT_H
#define TRACES_FORMAT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "traces/csv.h"
#include "traces/json_scan.h"
#include "traces/jsonl.h"

/*
 * Where a parser sends what it reads: each accepted row (its strings valid until the
 * callback returns) and each rejected part of a text (a span of an OTLP line, an element
 * of a LiteLLM array) with its own line, text and reason.  Both return 0 to go on,
 * anything else to stop the parse (which then returns FORMAT_STOPPED).
 */
struct format_sink {
	void *ctx;
	int (*row)(void *ctx, uint64_t line, const struct jsonl_rec *rec);
	int (*reject)(void *ctx, uint64_t line, const char *text, size_t len, const char *reason);
};

#define FORMAT_STOPPED (-3)
#define FORMAT_CSV_COLS 256     /* the most columns a CSV header may have */

/* One parser's state, reused across texts and files (the formats' scratch buffers). */
struct format_parser {
	struct jsonl_parser jsonl;
	char *scratch;              /* decoded strings of the row being built */
	size_t cap, used;
	const char *text;           /* the text being parsed, for line numbers of its parts */
	size_t line_off;            /* offset up to which newlines were counted... */
	uint64_t line_at;           /* ...and the line there */
	int64_t last_ts_us;         /* openai-batch: the latest item time so far (INT64_MIN: none yet) */
	char last_model[256];       /* openai-batch: the model of the last item that named one */
	size_t last_model_n;        /* 0: none yet */
	uint64_t skipped;           /* otlp, langfuse: spans (observations) that are not model calls, since
	                             * format_reset */
	uint64_t cache_hits;        /* litellm: rows read with cache_hit true; helicone: records with a
	                             * cache_reference_id other than zeros; since format_init (for notes) */
	uint64_t failed;            /* litellm, otlp, helicone, langfuse: rows read with a failed status,
	                             * since format_init (for notes: each a call, imported as a request of
	                             * its own) */
	/* litellm, otlp, helicone, langfuse: the keys of the rows of the trace so far (request_id;
	 * traceId and spanId; an observation's id), as 64-bit hashes (format_seen), and the rows that
	 * repeated one */
	uint64_t *seen;
	size_t n_seen, n_seen_slots;  /* n_seen_slots: a power of two, or 0 */
	uint64_t repeats;           /* since format_init (for notes) */
	uint64_t repeat_line;       /* the line of a repeat since the caller set it to 0 (0: none) */
	/* openai-batch: every custom_id of the trace, a Batch input file's request (for the output
	 * items that follow in the same trace) or an output item's (to refuse a repeat), or both
	 * (traces/openai_batch.c) */
	struct batch_request *requests;
	size_t n_requests, cap_requests;
	uint32_t *slots;            /* open addressing: index + 1 into requests, 0 empty */
	size_t n_slots;             /* a power of two, or 0 */
	uint64_t batch_inputs;      /* input-file requests kept, since format_init (for notes) */
	uint32_t file_no;           /* set by the caller: the file being read, which the requests kept
	                             * from it remember (openai_batch_unjoined) */
	/* the object a row is nested in (format_rows' `nested`: a Langfuse trace of its observations), for
	 * the row's fallbacks; NULL: none */
	const struct json_span *parent;
	/* CSV (Helicone's export --format csv): set by the caller for a file of CSV records
	 * (format_csv_file), whose first record is the header; its columns once read (n_csv_cols 0:
	 * none yet), or the line of a header rejected (then every record is), the decoded cells of a
	 * record, and the record as a JSON object */
	int csv;
	struct csv_field csv_cols[FORMAT_CSV_COLS];
	size_t n_csv_cols;
	uint64_t csv_bad_header;
	char *csv_names, *csv_cells, *csv_json;
	size_t csv_names_cap, csv_cells_cap, csv_json_cap;
	/* set by the caller (may stay NULL): nonzero once a stop is requested (by a signal handler),
	 * which ends a parse between the parts of its text (format_stopping) */
	const volatile sig_atomic_t *stop;
};

struct import_format {
	const char *name;           /* as --format takes it */
	const char *title;          /* for people: "OpenTelemetry GenAI spans (OTLP/JSON)" */
	/* 1 when a validated JSON value (a line, or a whole file) looks like this format */
	int (*sniff)(const struct json_span *v);
	/*
	 * Parses text[0..len), whose first line is `line`: 0 when every part went to the sink,
	 * -1 when the text as a whole is rejected (e says why), -2 out of memory, FORMAT_STOPPED.
	 */
	int (*parse)(struct format_parser *p, const char *text, size_t len, uint64_t line,
	             const struct format_sink *k, struct err *e);
	int documents;              /* accepts a whole file that is one pretty-printed JSON value */
	/* the title of a file whose first value is v, when that tells more (a Batch input file);
	 * NULL: always `title` */
	const char *(*title_of)(const struct json_span *v);
	/* For the notes after a file (traces/import.c), of the formats whose records are calls: what
	 * one record is ("span", "row"; "s" makes more), the key whose repeats are counted
	 * ("request_id"), why a failed record is a request of its own ("a span is a call"), and what a
	 * skipped record is not ("no gen_ai.operation.name chat, …"). */
	const char *record, *key, *calls, *skipped_why;
	/* Of the formats that also read CSV (Helicone's export --format csv): 1 when a file's first line
	 * is a CSV header of this format (the import then reads the file as CSV, format_csv_file), and
	 * the title of such a file.  NULL: no CSV. */
	int (*sniff_csv)(const char *line, size_t len);
	const char *csv_title;
	/* Of the formats that count cache hits (p->cache_hits): what answered them, for the note ("LiteLLM's
	 * response cache (cache_hit true)"), and what the source billed for them ("though LiteLLM billed
	 * them $0") */
	const char *cache_by, *cache_billed_one, *cache_billed_many;
};

extern const struct import_format format_jsonl, format_otlp, format_litellm, format_openai_batch, format_helicone,
	format_langfuse;
/* Every format, jsonl first; NULL-terminated. */
extern const struct import_format *const import_formats[];

/* The format named `name`, or NULL. */
const struct import_format *format_by_name(const char *name);
/* "jsonl, otlp, litellm, openai-batch, helicone, langfuse": for messages. */
const char *format_names(void);
/* The format a validated JSON value (the first line, or the whole file) is in, or NULL. */
const struct import_format *format_detect(const struct json_span *v);
/* The format whose CSV header a file's first line is (its sniff_csv takes it), or NULL. */
const struct import_format *format_detect_csv(const char *line, size_t len);
/* 1 when line (its first that is not blank) is no whole JSON value but opens one it does not
 * close, `{` or `[` first: a pretty-printed document may start there (import --format auto
 * then reads the file whole, and watch refuses a document of another format). */
int format_opens_document(const char *line, size_t len);
/* The format of text[0..len) read whole as one JSON value (*doc): fmt when it is given and
 * takes documents, else (fmt NULL) the format its content tells when that takes documents;
 * NULL when the text is no JSON value or its format reads no documents (it is read line by
 * line). */
const struct import_format *format_document(const char *text, size_t len, const struct import_format *fmt,
                                            struct json_span *doc);
/* For people: what a file in format f whose first value is v (NULL: not known) holds, as
 * "OpenAI Batch input" for a Batch input file; else f->title. */
const char *format_title(const struct import_format *f, const struct json_span *v);

void format_init(struct format_parser *p);
void format_fini(struct format_parser *p);
/* Starts a new trace: forgets the last batch item's time and model, the batch requests and
 * the skipped count. */
void format_reset(struct format_parser *p);
/* Frees the batch requests kept (format_reset and format_fini call it). */
void openai_batch_forget(struct format_parser *p);
/* How many of the batch requests kept from file `file` (file_no as they were read) no output
 * item of the trace so far took: an input file given after its output. */
uint64_t openai_batch_unjoined(const struct format_parser *p, uint32_t file);

/* ---- for the parsers (traces/format.c) ---- */

/* A record with every optional field absent. */
void format_rec_init(struct jsonl_rec *r);
/* Starts counting the lines of text, whose first byte is on line `line`, for format_line_of. */
void format_lines_from(struct format_parser *p, const char *text, uint64_t line);
/* The line of byte `at` of the text being parsed (offsets ascending within one text). */
uint64_t format_line_of(struct format_parser *p, const char *at, uint64_t first);
/* 1 when the caller asked to stop (p->stop): a parser checks it before each part of a text (a
 * span, an array's row), so that a long document ends at once, and returns FORMAT_STOPPED. */
int format_stopping(const struct format_parser *p);
/* Room for decoded strings of `len` bytes of JSON; -2 when out of memory. */
int format_reserve(struct format_parser *p, size_t len);
/* The member `key` of an object, 1 found (and not null), 0 otherwise; obj may be NULL. */
int format_get(const struct json_span *obj, const char *key, struct json_span *out);
/* Member `key` of obj, its name read without case ("Tenant" for tenant), when it is a non-empty
 * string: 1 with *out decoded (format_str); obj may be NULL. */
int format_text_nocase(struct format_parser *p, const struct json_span *obj, const char *key, struct str *out);
/* A JSON value that a product may store as the text of its JSON (a request body, metadata): a
 * string that holds a JSON value is read as that value, decoded into the scratch space; anything
 * else as it is. */
struct json_span format_column(struct format_parser *p, const struct json_span *v);
/*
 * The rows of a text for the formats of rows (helicone, langfuse): one object, a JSON array of
 * them, or an API page {"data": [...]}; each array element (after format_reserve) read by `rec`
 * into *r: 0 a row (sent to the sink, format_add_row, keyed by its request_id), 1 skipped
 * (counted in p->skipped), -1 rejected (e says why: the element is rejected, "[i]: " or
 * "data[i]: " before the reason).  Returns 0, -1 (a lone object's rejection is the parse's),
 * -2 or FORMAT_STOPPED.  `what` names a row for the messages ("a Helicone request record").
 */
typedef int format_row_fn(struct format_parser *p, const struct json_span *row, struct jsonl_rec *r, struct err *e);
/* nested (may be NULL): the member of an object that holds rows nested in it (a Langfuse trace's
 * "observations"): such an object is no row itself, each element of its array is read by rec with
 * p->parent the object (rejected alone, "observations[j]: " before the reason). */
int format_rows(struct format_parser *p, const char *text, size_t len, uint64_t line, const struct format_sink *k,
                struct err *e, const char *what, format_row_fn *rec, const char *nested);
/* Starts a file: of CSV records (its first the header) when csv is 1, else of JSON. */
void format_csv_file(struct format_parser *p, int csv);
/*
 * One CSV record (p->csv; text[0..len) its lines joined by '\n', the first on `line`): the header
 * when none was read yet (its names kept), else a row: every cell that is not empty becomes a
 * member named by its column, a JSON string (a cell that holds JSON is then read by format_column;
 * one whose quotes were doubled once more, as Helicone's exporter writes an object, is undone),
 * and that object goes through rec as format_rows' rows do.  0, -1 rejected (e says why), -2,
 * FORMAT_STOPPED.
 */
int format_csv_rows(struct format_parser *p, const char *text, size_t len, uint64_t line,
                    const struct format_sink *k, struct err *e, format_row_fn *rec);
/* 1 when the CSV header line[0..len) has every column of all[] (NULL-terminated) and one of any[]. */
int format_csv_sniff(const char *line, size_t len, const char *const *all, const char *const *any);
/* A number written as a string ("200", "0.0012", as ClickHouse's JSON quotes 64-bit numbers): the
 * number's text inside the quotes as a JSON number; anything else as it is. */
struct json_span format_unquoted(const struct json_span *v);
/* 1 when v is an object with keys a and b, an array whose first element is, or a page of them. */
int format_rows_sniff(const struct json_span *v, const char *a, const char *b);
/* Sends a row read to the sink after counting its key (hashed, format_seen) and a failed status;
 * 0, -2 out of memory, FORMAT_STOPPED. */
int format_add_row(struct format_parser *p, const struct jsonl_rec *r, struct str key, uint64_t line,
                   const struct format_sink *k);
/* A string value decoded into the scratch space (absent when v is not a string). */
struct str format_str(struct format_parser *p, const struct json_span *v);
/* Member `key` of obj when it is a non-empty string: 1 with *out decoded (format_str). */
int format_text(struct format_parser *p, const struct json_span *obj, const char *key, struct str *out);
/* Appends "key":RAW to the object text out[0..*n) (after its '{'), for a row's `extra`. */
void format_keep(char *out, size_t *n, const char *key, const struct json_span *raw);
/* r->extra: the members of row named kept[from..n_kept), as they are, in one JSON object in the
 * scratch space; none of them: no extra. */
void format_extra(struct format_parser *p, const struct json_span *row, const char *const *kept, size_t from,
                  size_t n_kept, struct jsonl_rec *r);
/* Checks that text[0..len) is one JSON value, into *doc; -1 with "not JSON: … (column N)" in e. */
int format_validate(const char *text, size_t len, struct json_span *doc, struct err *e);
/* The text of v for a message ("got …"), cut to fit buf[n] with an ellipsis. */
const char *format_shown(const struct json_span *v, char *buf, size_t n);
/* 1 when v is a string equal to s. */
int format_is(const struct json_span *v, const char *s);
/* A token count: a JSON integer or (OTLP's int64) a string of one.  0, or -1 with e saying
 * "NAME: expected …, got …". */
int format_count(const struct json_span *v, const char *name, int64_t *out, struct err *e);
/* A time: RFC 3339 text (without a zone: UTC) or epoch seconds.  0, or -1 with e set. */
int format_time(const struct json_span *v, const char *name, int64_t *us, struct err *e);
/* A non-negative USD amount into rec's cost_pusd and cost_sub.  0, or -1 with e set. */
int format_cost(const struct json_span *v, const char *name, struct jsonl_rec *rec, struct err *e);
/* A latency in µs from two times, checked (end before start is an error). */
int format_latency(int64_t start_us, int64_t end_us, const char *name, int64_t *out, struct err *e);
/* Appends the text of chat messages v (Chat Completions' `messages`, Responses' `input`) to
 * out[0..*n): each message's content, a string or the `text` of each of its parts, a piece on a
 * line of its own; a string is a piece itself, an object one message. */
void format_messages_text(const struct json_span *v, char *out, size_t *n);
/* A request body's text into out (room for the body's length), its length: Responses'
 * instructions and input, Chat Completions' messages, or a Completions prompt (a string, or an
 * array of them), each piece on a line of its own. */
size_t format_request_text(const struct json_span *body, char *out);
/* The error class (enum status) an error text means: an HTTP status, an error code or an
 * exception name ("429", "rate_limit_exceeded", "APITimeoutError"); server_error when
 * nothing in it is known. */
int format_status_of(const char *text, size_t n);
/* Records a row's key, as its hash h, among the trace's (since format_reset): 1 when a row of the
 * same key came before (counted in repeats, its line in repeat_line when that is 0), 0 when not,
 * -2 out of memory.  A hash, not the key, so that a trace of millions of rows keeps 16 bytes a
 * row: two keys of one hash (about 1 in 10^12 for a million rows) count as a repeat, which a note
 * alone reports. */
int format_seen(struct format_parser *p, uint64_t h, uint64_t line);
/* Adds the USD amount v (format_cost's reading) to rec's cost (absent: 0 before); 0, or -1 with e
 * set (also when the sum passes 9223372 USD). */
int format_cost_add(const struct json_span *v, const char *name, struct jsonl_rec *rec, struct err *e);
/* Checks what the store relies on (names without U+0000, counts and times in range);
 * 0, or -1 with e set. */
int format_check(const struct jsonl_rec *r, struct err *e);

#endif
