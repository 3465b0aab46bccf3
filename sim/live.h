/*
 * The live runner (SPEC §8): the scenario's policies decide what each request
 * of a trace sends — cache, budget, route, retries after their backoff, the
 * fallback chain — and a transport (traces/openai.c, over libcurl) sends it
 * for real, from a few worker threads.  Every call is first weighed against
 * the spend cap at its worst case.  The breaker, the gates, the batch queue
 * and injected faults belong to the replay alone: live meets real faults.
 */
#ifndef SIM_LIVE_H
#define SIM_LIVE_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/cache.h"
#include "sim/err.h"
#include "sim/intern.h"
#include "sim/normalize.h"
#include "sim/scenario.h"
#include "sim/status.h"
#include "sim/trace.h"

#define LIVE_MIN_OUTPUT 16       /* the API's least max_output_tokens */
#define LIVE_FRAMING_TOKENS 32   /* tokens a call's worst case adds for the message around its text */
#define LIVE_RETRY_AFTER_MAX_US (INT64_C(120) * 1000000) /* a longer Retry-After is not waited for */
#define LIVE_DEFAULT_TIMEOUT_US (INT64_C(600) * 1000000) /* without retry.timeout_ms */
#define LIVE_SLEEP_SLICE_US INT64_C(100000) /* a retry's wait is slept in slices: Ctrl-C ends it */
/* A connection that fails once the run has reached the server is tried again this many times,
 * after 0.5 s, then twice as long each time (the OpenAI SDK's backoff for a connection error) */
#define LIVE_CONNECT_RETRIES 3
#define LIVE_CONNECT_BACKOFF_US INT64_C(500000)
#define LIVE_SUMMARIZE_INSTRUCTIONS \
	"Summarize the user's text in at most %u tokens, keeping every fact needed to answer it."

/* One call, as the transport sends it. */
struct live_call {
	const char *model;
	const char *input;
	size_t input_len;
	const char *instructions;    /* NULL but for a summarize call */
	uint32_t max_output_tokens;
	int64_t timeout_us;
};

/* What came back. */
struct live_reply {
	enum status status;
	int fatal;                   /* the run must stop (the key refused, the quota spent): why in msg */
	int unsent;                  /* it reached no server: not a call, nothing recorded.  With fatal
	                              * (TLS refused, a bad URL) the set-up is wrong: the run stops.
	                              * Without (no connection, no such host) the run stops too while
	                              * no call has reached the server; once one has, the connection
	                              * is tried again (LIVE_CONNECT_RETRIES), then the run stops */
	uint64_t input_tok, cached_tok, output_tok; /* the usage of an ok reply */
	int64_t retry_after_us;      /* -1 when the reply asked for no wait */
	char *text;                  /* an ok reply's output text (malloc'd, the runner frees), or NULL */
	size_t text_len;
	char msg[256];               /* a failure's reason, for the fatal ones */
	char id[64];                 /* the response's id, when it gave one */
};

/* The outside world: a transport and a clock.  call() is called from several threads. */
struct live_transport {
	void *ctx;
	void (*call)(void *ctx, const struct live_call *c, struct live_reply *r);
	int64_t (*now_us)(void *ctx);           /* the wall clock, µs since the epoch */
	void (*sleep_us)(void *ctx, int64_t us);
};

enum live_outcome {
	LIVE_NOT_SENT,               /* never started (the cap stopped the run first) */
	LIVE_ANSWERED, LIVE_CACHE_HIT, LIVE_DEGRADED, LIVE_FAILED, LIVE_REJECTED,
	LIVE_CAPPED,                 /* started, then a later call of it did not fit under the cap */
	LIVE_INTERRUPTED,            /* started, then the run was interrupted before its next call */
	N_LIVE_OUTCOME
};
extern const char *const live_outcome_names[N_LIVE_OUTCOME];

struct live_attempt {
	int model;                   /* pricing model */
	enum status status;
	int summarize;
	uint64_t input_tok, cached_tok, output_tok; /* the usage; a failed call: the tokens it sent,
	                              * and for a timeout the max_output_tokens it asked for */
	int64_t ts_us, latency_us;
	int64_t pusd;                /* an ok call's cost at list price, else 0 */
	char id[64];                 /* the API's id of the response, or "" */
};

struct live_record {
	uint32_t req;                /* the request's index in the trace */
	enum live_outcome outcome;
	int64_t start_us;
	struct live_attempt *att;
	size_t n_att;
	int answer;                  /* the answering attempt, or -1 */
	int64_t cost_pusd;           /* Σ of the ok calls' cost */
	char *sent;                  /* the text the main calls sent when not the input (truncated, a
	                              * summary), else NULL; malloc'd */
	char *output;                /* the answer's text, or NULL; malloc'd */
};

/* Releases what the run put in records rec[0..n) (their calls and texts). */
void live_records_free(struct live_record *rec, size_t n);

enum live_stop { LIVE_RUNNING, LIVE_STOP_CAP, LIVE_STOP_FATAL, LIVE_STOP_ERROR, LIVE_STOP_INTERRUPTED };

struct live_counts {
	size_t sent, outcome[N_LIVE_OUTCOME], calls, retries, fallbacks; /* sent: ended requests that made a call */
};

struct live {
	const struct trace *t;
	const struct scenario *sc;
	const struct live_transport *tr;
	int64_t cap_pusd;
	struct live_record *rec;     /* the requests to run, in trace order */
	size_t n;
	int *recorded_model;         /* per record: its recorded model's pricing index, or -1 */
	volatile sig_atomic_t interrupted; /* set (by a signal handler) to stop: no call starts after it */
	/* called under the lock after request rec[r] ends (may be NULL); nonzero stops the run
	 * (LIVE_STOP_ERROR, the reason in why), as when its record cannot be written */
	int (*on_ended)(void *ctx, struct live *lv, size_t r);
	void *on_ended_ctx;

	/* shared by the workers, under mu */
	pthread_mutex_t mu;
	size_t next;
	enum live_stop stop;
	int64_t spent_pusd, reserved_pusd;
	int64_t refused_pusd;        /* the worst case of the call the cap refused */
	size_t refused_at;           /* and its record */
	int64_t refused_spent_pusd, refused_reserved_pusd; /* the spend, and the worst cases in
	                             * flight, when it was refused */
	struct live_counts counts;
	struct cache cache;
	int cache_ready;
	struct intern keys;          /* normalized texts and names, the cache keys' numbers */
	struct normalize nz;
	char *nbuf;                  /* scratch for normalizing, under mu */
	size_t nbuf_size;
	char why[1024];              /* the fatal reply's reason, or the error */
	/* the calls that failed, by class, and the reason (the API's message) of the first in
	 * trace order: its record */
	size_t failed[N_STATUS], failed_at[N_STATUS];
	char failed_why[N_STATUS][256];
	/* answers whose usage cost more than the call's worst case (the server broke the bound the
	 * cap relies on), and the first in trace order: its record, cost and worst case */
	size_t n_over, over_at;
	int64_t over_pusd, over_worst_pusd;
};

/*
 * Prepares a run of records rec[0..n) (their req set, in trace order) over
 * trace t with scenario sc: resolves each request's recorded model and
 * checks that every model a call may need is priced.  -1 with e set.
 */
int live_init(struct live *lv, const struct trace *t, const struct scenario *sc,
              const struct live_transport *tr, int64_t cap_pusd, struct live_record *rec, size_t n,
              struct err *e);
void live_fini(struct live *lv);

/* Runs every record on `workers` threads (this one included).  The outcome is in lv->stop. */
void live_run(struct live *lv, unsigned workers);

/* A call's worst case: its text's bytes (a token is at least one byte) and framing as input,
 * max_output_tokens as output, at model m's list price. */
int64_t live_worst_pusd(const struct scenario *sc, int m, const struct live_call *c);

/*
 * An amount shown beside the cap, as "$0.000042": pusd (≥ 0) rounded up to the micro-dollar, or,
 * when the cap has more decimals, to the cap's last decimal ("$0.0000412" beside a $0.0000416
 * cap), with no trailing zero past the sixth.  Rounded up, a bound is never shown below itself;
 * on the cap's own decimals, an amount within the cap never reads above it (a spend of
 * $0.0000412 is not shown as $0.000042 beside that cap), and one past it never reads within.
 * buf holds LIVE_USD_TEXT bytes.
 */
#define LIVE_USD_TEXT 32
const char *live_usd_text(char *buf, int64_t pusd, int64_t cap_pusd);

/* A transport's call that sends nothing: every call answers ok with its worst case's tokens
 * (a summary: the text's first max_output_tokens × 4 bytes).  For --dry-run. */
void live_dry_call(void *ctx, const struct live_call *c, struct live_reply *r);

#endif
