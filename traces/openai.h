/*
 * The OpenAI Responses API as the live runner's transport (sim/live.h):
 * libcurl, one blocking call per request attempt, safe from several threads.
 */
#ifndef TRACES_OPENAI_H
#define TRACES_OPENAI_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"
#include "sim/live.h"

#define OPENAI_DEFAULT_BASE_URL "https://api.openai.com/v1"

struct openai {
	char *url;   /* {base}/responses */
	char *auth;  /* the Authorization header, holding the key */
	char *shown; /* url as messages show it: no user name nor password */
	int plain;   /* plain http (to this machine): no proxy, which would see the key */
	int ready;
};

/* Why the key may not go to base_url, said without the URL (NULL when it may): https, or plain
 * http to this machine only (the host 127.0.0.1, [::1] or localhost as curl reads the URL; a
 * user name before '@' is no host); a scheme, and no query or fragment (the calls go to its end
 * + "/responses").  buf (n bytes) may hold the reason. */
const char *openai_url_problem(const char *base_url, char *buf, size_t n);
/* url as it may be shown: a user name and password in it as "…", a control character as '?';
 * cut to fit buf (n bytes). */
void openai_url_shown(const char *url, char *buf, size_t n);
/* Why `key` cannot go into an Authorization header, said without the key (NULL when it can): a
 * control character (a line feed would add a header line; a key file's carriage return would be
 * sent), or nothing but spaces.  buf (n bytes) holds the reason. */
const char *openai_key_problem(const char *key, char *buf, size_t n);

/* Before any thread starts: calls go to base_url + "/responses" with `key`.  -1 with e set. */
int openai_init(struct openai *o, const char *base_url, const char *key, struct err *e);
/* Wipes the key and releases everything (also after a failed init). */
void openai_fini(struct openai *o);

/* A reply of HTTP status `http` with body (NUL-terminated, may be NULL) read into r: its class,
 * usage and answer text (r->text, malloc'd), its message with `key` (may be NULL) masked.  r
 * starts zeroed with retry_after_us set. */
void openai_reply(long http, const char *body, const char *key, struct live_reply *r);
/* A response header line data[0..n): `retry-after-ms: 250` or `retry-after: 1.5` (seconds, or an
 * HTTP date: the wait until then, 0 once past; when no -ms header came first) sets
 * *retry_after_us. */
void openai_header(const char *data, size_t n, int64_t *retry_after_us);

/* The struct live_transport functions, ctx a struct openai (unused by the clock's). */
void openai_call(void *ctx, const struct live_call *c, struct live_reply *r);
int64_t openai_now_us(void *ctx);
void openai_sleep_us(void *ctx, int64_t us);

#endif
