/*
 * Trace format v1 (SPEC §2, §10 "Trace lines"): one JSON Lines line → one
 * validated request record, or a rejection "field: reason".  The parser owns
 * its scratch buffers, reused across lines, so parsing allocates only when a
 * line is longer than any before it; a record's strings point into them and
 * into the line, valid until the next jsonl_parse.
 */
#ifndef TRACES_JSONL_H
#define TRACES_JSONL_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/trace.h"

/* A byte string (not NUL-terminated; may hold NUL).  s == NULL: absent. */
struct str {
	const char *s;
	size_t n;
};

#define JSONL_ABSENT (-1)

struct jsonl_attempt {
	struct str model;
	int status;                 /* enum status */
	int64_t input_tok, output_tok, cached_tok; /* JSONL_ABSENT: take the request's */
	int64_t latency_us;         /* JSONL_ABSENT when not recorded */
	int64_t ts_us;              /* INT64_MIN when not recorded */
	int summary;                /* "summary": true (live's record: a summarize call), an unknown
	                             * field that is kept in extra too */
	struct str extra;           /* unknown fields as a JSON object text, or absent */
};

struct jsonl_rec {
	int64_t ts_us;
	struct str tenant, task, input, input_hash, model, request_id, session, user;
	int64_t input_tok;          /* given or estimated */
	int input_estimated;        /* 1 when input_tok came from the input text */
	int64_t output_tok;
	int64_t cached_tok;         /* JSONL_ABSENT when not given */
	int status;                 /* enum status, -1 when not given */
	int64_t latency_us;         /* JSONL_ABSENT when not given */
	int difficulty;             /* enum difficulty */
	int realtime;               /* 1, 0, or -1 when not given */
	int degraded;               /* "live": "degraded" (live's record: a request degraded when its
	                             * calls gave no answer), an unknown field that is kept in extra too */
	int64_t cost_pusd;          /* JSONL_ABSENT when not given */
	int64_t cost_sub;           /* what rounding cost_usd to a pico-USD left, in 10^-30 USD
	                             * (sim/money.h MONEY_SUB_PER_PUSD); 0 when it had ≤ 12 decimals */
	double quality;             /* NaN when not given */
	struct jsonl_attempt *att;  /* the `attempts` array as given (n_att == 0: none) */
	size_t n_att;
	struct str extra;           /* unknown fields as a JSON object text, or absent */
};

struct jsonl_parser {
	char *text;                 /* decoded strings */
	char *extra;                /* unknown-field objects */
	size_t cap;                 /* of text and extra */
	struct jsonl_attempt *att;
	size_t cap_att;
};

void jsonl_init(struct jsonl_parser *p);
void jsonl_fini(struct jsonl_parser *p);

/*
 * Parses one line (without its newline).  Returns 0 with *rec filled; -1 when
 * the line is rejected, with e holding "field: reason" (or "not JSON: …"); -2
 * when out of memory.  A blank line is the caller's to skip.
 */
int jsonl_parse(struct jsonl_parser *p, const char *line, size_t len, struct jsonl_rec *rec, struct err *e);

/*
 * Line r as a columnar row and its calls, given the ids of its tenant, task,
 * input, input_hash and model (TRACE_NONE when absent): the `attempts` array
 * (calls[k].model set by the caller beforehand), else one call from the
 * top-level model, status and latency, else none.  calls holds n_att + 1.
 * Returns the number of calls.
 */
uint32_t jsonl_row(const struct jsonl_rec *r, const uint32_t ids[5], struct trace_row *row,
                   struct trace_call *calls);

/* 1 when the line holds only white space. */
int jsonl_is_blank(const char *line, size_t len);

#endif
