/*
 * The live runner's transport (sim/live.h) over libcurl: one blocking
 * `POST {base}/responses` per call, the reply's HTTP status and error body
 * turned into SPEC §2's classes, its usage read, its Retry-After kept.  The
 * key goes only into the Authorization header; TLS verification stays on.
 */
#include "traces/openai.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "traces/text.h"

#define MAX_REPLY (64u << 20) /* a reply longer than this is cut off: a server error */
#define AUTH_PREFIX "Authorization: Bearer "

const char *openai_key_problem(const char *key, char *buf, size_t n)
{
	size_t len = strlen(key), i, blank = 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];
		if (c < 0x20 || c == 0x7f) {
			const char *what = c == '\r' ? "a carriage return" : c == '\n' ? "a line feed"
			                 : c == '\t' ? "a tab" : "a control character";
			snprintf(buf, n, "OPENAI_API_KEY holds %s (byte %zu of its %zu), which would go into the "
			         "request's headers as it is%s", what, i + 1, len, c == '\r' && i + 1 == len
			         ? " (a key file with Windows line endings leaves one at its end)" : "");
			return buf;
		}
		blank += c == ' ';
	}
	if (len && blank == len) {
		snprintf(buf, n, "OPENAI_API_KEY is only spaces");
		return buf;
	}
	return NULL;
}

void openai_url_shown(const char *url, char *buf, size_t n)
{
	const char *p = strstr(url, "://");
	size_t start = p ? (size_t)(p - url) + 3 : 0, end = start + strcspn(url + start, "/?#"), at = 0, k = 0;
	for (size_t i = start; i < end; i++)
		if (url[i] == '@')
			at = i;
	if (!n)
		return;
	for (size_t i = 0; url[i] && k + 1 < n; i++) {
		if (at && i == start) { /* the user name and password: "…" */
			if (k + 4 >= n)
				break;
			memcpy(buf + k, "\xe2\x80\xa6", 3);
			k += 3;
			i = at;
		}
		unsigned char c = (unsigned char)url[i];
		buf[k++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[k] = 0;
}

const char *openai_url_problem(const char *base_url, char *buf, size_t n)
{
	static const char *const local[] = { "127.0.0.1", "[::1]", "localhost" };
	size_t s = 0;
	if (isalpha((unsigned char)base_url[0]))
		while (isalnum((unsigned char)base_url[s]) || (base_url[s] && strchr("+-.", base_url[s])))
			s++;
	if (!s || strncmp(base_url + s, "://", 3) != 0)
		return "it has no scheme: it should begin with https:// (or http:// to this machine: 127.0.0.1, "
		       "[::1] or localhost)";
	int http = s == 4 && strncasecmp(base_url, "http", 4) == 0;
	if (!http && !(s == 5 && strncasecmp(base_url, "https", 5) == 0)) {
		snprintf(buf, n, "its scheme %.*s is not one live takes: https, or plain http to this machine only "
		         "(127.0.0.1, [::1] or localhost)", (int)(s < 32 ? s : 32), base_url);
		return buf;
	}
	if (strpbrk(base_url, "?#"))
		return "it has a query or a fragment ('?' or '#'), and the calls go to the base URL followed by "
		       "/responses; give the base URL alone";
	CURLU *u = curl_url();
	char *host = NULL;
	const char *why = NULL;
	/* the host curl will connect to, as curl reads the URL: text before an '@' is a user name */
	if (!u || curl_url_set(u, CURLUPART_URL, base_url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		why = "it is not a URL that curl can read";
	} else if (http) {
		why = "the key would cross the network unencrypted; use https (plain http only to this machine: "
		      "127.0.0.1, [::1] or localhost)";
		for (size_t i = 0; why && i < sizeof local / sizeof local[0]; i++)
			if (strcasecmp(host, local[i]) == 0)
				why = NULL;
	}
	curl_free(host);
	curl_url_cleanup(u);
	return why;
}

int openai_init(struct openai *o, const char *base_url, const char *key, struct err *e)
{
	memset(o, 0, sizeof *o);
	size_t n = strlen(base_url);
	while (n && base_url[n - 1] == '/')
		n--;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return err_set(e, "libcurl could not start");
	o->ready = 1;
	char why[256];
	if (openai_key_problem(key, why, sizeof why)) /* the caller said so already: never sent */
		return err_set(e, "%s", why);
	if (!(o->url = malloc(n + sizeof "/responses")) || !(o->auth = malloc(strlen(key) + sizeof AUTH_PREFIX)) ||
	    !(o->shown = malloc(2 * n + sizeof "/responses" + 8)))
		return err_set(e, "out of memory");
	o->plain = strncasecmp(base_url, "http://", 7) == 0;
	memcpy(o->url, base_url, n);
	memcpy(o->url + n, "/responses", sizeof "/responses");
	openai_url_shown(o->url, o->shown, 2 * n + sizeof "/responses" + 8);
	sprintf(o->auth, AUTH_PREFIX "%s", key);
	return 0;
}

void openai_fini(struct openai *o)
{
	if (o->auth) /* our copy of the key is wiped */
		memset(o->auth, 0, strlen(o->auth));
	free(o->auth);
	free(o->url);
	free(o->shown);
	if (o->ready)
		curl_global_cleanup();
	memset(o, 0, sizeof *o);
}

struct buf {
	char *p;
	size_t n, cap;
	int cut;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;
	if (b->n + n + 1 > MAX_REPLY) {
		b->cut = 1;
		return 0;
	}
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return 0;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, data, n);
	b->n += n;
	b->p[b->n] = 0;
	return n;
}

void openai_header(const char *data, size_t n, int64_t *retry_after_us)
{
	char line[128];
	double v;
	if (n >= sizeof line)
		return;
	memcpy(line, data, n);
	line[n] = 0;
	if (strncasecmp(line, "retry-after-ms:", 15) == 0 && sscanf(line + 15, "%lf", &v) == 1 && v >= 0 && v < 1e12)
		*retry_after_us = (int64_t)(v * 1000);
	else if (strncasecmp(line, "retry-after:", 12) == 0 && *retry_after_us < 0) {
		if (sscanf(line + 12, "%lf", &v) == 1) {
			if (v >= 0 && v < 1e9)
				*retry_after_us = (int64_t)(v * 1e6);
		} else { /* an HTTP date (RFC 9110): the wait until then, 0 when it is past */
			line[strcspn(line, "\r\n")] = 0;
			time_t at = curl_getdate(line + 12, NULL), now = time(NULL);
			if (at > 0)
				*retry_after_us = at > now ? (int64_t)(at - now) * 1000000 : 0;
		}
	}
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	openai_header(data, size * nmemb, arg);
	return size * nmemb;
}

static char *request_body(const struct live_call *c)
{
	cJSON *o = cJSON_CreateObject();
	char *text = malloc(c->input_len + 1), *body = NULL;
	if (o && text) {
		memcpy(text, c->input, c->input_len);
		text[c->input_len] = 0;
		if (cJSON_AddStringToObject(o, "model", c->model) && cJSON_AddStringToObject(o, "input", text) &&
		    (!c->instructions || cJSON_AddStringToObject(o, "instructions", c->instructions)) &&
		    cJSON_AddNumberToObject(o, "max_output_tokens", c->max_output_tokens) &&
		    cJSON_AddFalseToObject(o, "store"))
			body = cJSON_PrintUnformatted(o);
	}
	free(text);
	cJSON_Delete(o);
	return body;
}

/* o's token count `name` into *v: 1 when it is an integer from 0 to 4294967295, as a trace line's
 * token counts must be (SPEC §10: 100.0 is 100; 2.5, -1 and 2^32 are not), so that the record of
 * the call replays; 0 when it is absent or not a number (null, a string); -1 when it is a number
 * that breaks that rule. */
static int token_count(const cJSON *o, const char *name, uint64_t *v)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, name);
	if (!cJSON_IsNumber(x))
		return 0;
	double d = x->valuedouble;
	if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint64_t)d)
		return -1;
	*v = (uint64_t)d;
	return 1;
}

/* "HTTP 200 with a usage a trace cannot hold: output_tokens is 2.5, …" into r->msg. */
static void usage_broken(struct live_reply *r, const cJSON *o, const char *name, const char *shown)
{
	char *v = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(o, name));
	snprintf(r->msg, sizeof r->msg, "HTTP 200 with a usage a trace cannot hold: %s is %.40s, not an integer "
	         "from 0 to 4294967295", shown, v ? v : "a number");
	free(v);
}

/* The answer's text: output[].content[] items of type output_text, joined, made valid UTF-8. */
static void answer_text(const cJSON *root, struct live_reply *r)
{
	const cJSON *out = cJSON_GetObjectItemCaseSensitive(root, "output"), *item, *part;
	size_t n = 0;
	cJSON_ArrayForEach(item, out)
		cJSON_ArrayForEach(part, cJSON_GetObjectItemCaseSensitive(item, "content"))
			if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(part, "text")))
				n += strlen(cJSON_GetObjectItemCaseSensitive(part, "text")->valuestring);
	if (!(r->text = malloc(n + 1)))
		return;
	r->text_len = 0;
	cJSON_ArrayForEach(item, out)
		cJSON_ArrayForEach(part, cJSON_GetObjectItemCaseSensitive(item, "content")) {
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(part, "text");
			if (cJSON_IsString(t)) {
				size_t k = strlen(t->valuestring);
				memcpy(r->text + r->text_len, t->valuestring, k);
				r->text_len += k;
			}
		}
	r->text[r->text_len] = 0;
	char *clean = text_utf8_clean(r->text, &n);
	free(r->text);
	r->text = clean;
	r->text_len = clean ? n : 0;
}

/* An ok reply's usage; a 200 whose body is not JSON or is empty (said so: a proxy's HTML page,
 * a body cut short), a failed response (said so, with its error's message), or one without a
 * usage (a usage without input_tokens and output_tokens numbers is none: its price is not
 * known; nor is one whose counts a trace line could not hold, said so), is a server error.  The
 * key is masked in the answer's text and id, as in messages. */
static void redact(char *s, const char *key);
static void redact_answer(char *s, const char *key);

/* A reply's error.message, the key masked before it is cut to 200 bytes at a character's
 * boundary (a key cut first would leave its start unmasked); NULL without one (or memory).
 * The caller frees it. */
static char *error_message(const cJSON *root, const char *key)
{
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "error"), "message");
	char *text = cJSON_IsString(msg) ? strdup(msg->valuestring) : NULL;
	if (!text)
		return NULL;
	redact(text, key);
	size_t len = strlen(text);
	if (len > 200) {
		for (len = 200; len && ((unsigned char)text[len] & 0xC0) == 0x80; len--)
			;
		text[len] = 0;
	}
	return text;
}

static void read_answer(const char *body, const char *key, struct live_reply *r)
{
	cJSON *root = cJSON_Parse(body);
	const cJSON *usage = cJSON_GetObjectItemCaseSensitive(root, "usage");
	const cJSON *state = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!root) {
		r->status = STATUS_SERVER_ERROR;
		snprintf(r->msg, sizeof r->msg, "HTTP 200 with %s", *body ? "a body that is not JSON" : "an empty body");
		return;
	}
	if (cJSON_IsString(state) && strcmp(state->valuestring, "failed") == 0) {
		char *why = error_message(root, key);
		r->status = STATUS_SERVER_ERROR;
		snprintf(r->msg, sizeof r->msg, "HTTP 200 with status \"failed\"%s%s", why ? ": " : "", why ? why : "");
		free(why);
		cJSON_Delete(root);
		return;
	}
	/* counts a trace line could not hold are no usage either, said so: its record would not replay */
	const cJSON *details = cJSON_GetObjectItemCaseSensitive(usage, "input_tokens_details");
	uint64_t in = 0, out = 0, cached = 0;
	int has_in = token_count(usage, "input_tokens", &in), has_out = token_count(usage, "output_tokens", &out);
	int has_cached = token_count(details, "cached_tokens", &cached);
	if (has_in <= 0 || has_out <= 0 || has_cached < 0) {
		r->status = STATUS_SERVER_ERROR;
		if (has_in < 0)
			usage_broken(r, usage, "input_tokens", "input_tokens");
		else if (has_out < 0)
			usage_broken(r, usage, "output_tokens", "output_tokens");
		else if (has_cached < 0 && has_in && has_out)
			usage_broken(r, details, "cached_tokens", "input_tokens_details.cached_tokens");
		else
			snprintf(r->msg, sizeof r->msg, "HTTP 200 without a usage");
		cJSON_Delete(root);
		return;
	}
	r->status = STATUS_OK;
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
	size_t n;
	char *clean = cJSON_IsString(id) ? text_utf8_clean(id->valuestring, &n) : NULL;
	if (clean) { /* the key masked (as in the text), then cut at a character's boundary */
		redact_answer(clean, key);
		n = strlen(clean);
		while (n >= sizeof r->id || (n && ((unsigned char)clean[n] & 0xC0) == 0x80))
			n--;
		memcpy(r->id, clean, n);
		r->id[n] = 0;
	}
	free(clean);
	r->input_tok = in;
	r->output_tok = out;
	r->cached_tok = cached;
	answer_text(root, r);
	if (r->text) { /* an answer that echoes the key is recorded without it */
		redact_answer(r->text, key);
		r->text_len = strlen(r->text);
	}
	cJSON_Delete(root);
}

/*
 * Every copy of the key in text s masked (a server's message may echo it), and a tail of s
 * that begins the key, at least 8 bytes of it, as a message cut to length leaves one.  One pass
 * over s: a whole answer may be megabytes.
 */
static void redact(char *s, const char *key)
{
	static const char mask[] = "[the key]";
	size_t k = key ? strlen(key) : 0, m = sizeof mask - 1 < k ? sizeof mask - 1 : k;
	if (!k)
		return;
	char *w = s, *after = s; /* the mask is written behind the reading, never longer than the key */
	for (const char *r = s; *r;) {
		if (*r == *key && strncmp(r, key, k) == 0) {
			memcpy(w, mask, m);
			after = w += m; /* a tail is sought past the last mask, which may hold a short key */
			r += k;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	size_t n = (size_t)(w - after);
	for (size_t i = n >= k ? n - k + 1 : 0; i < n; i++) { /* a tail shorter than the key */
		size_t t = n - i;
		if (t >= 8 && strncmp(after + i, key, t) == 0) {
			snprintf(after + i, t + 1, "%.*s", (int)t, mask);
			break;
		}
	}
}

/* redact() for an answer or its id: not for a key under 8 bytes (a fake server's "a"), whose
 * every copy in a text would rather be a word of it than the key. */
static void redact_answer(char *s, const char *key)
{
	if (key && strlen(key) >= 8)
		redact(s, key);
}

static int error_is(const cJSON *err, const char *what)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(err, "type");
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(err, "code");
	return (cJSON_IsString(type) && strcmp(type->valuestring, what) == 0) ||
	       (cJSON_IsString(code) && strcmp(code->valuestring, what) == 0);
}

/* An error reply's class (formats.md §1.3); the key refused and the quota spent stop the run.
 * The server's message is kept with the key masked before it is cut to length. */
static void read_error(long http, const char *body, const char *key, struct live_reply *r)
{
	cJSON *root = cJSON_Parse(body);
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(root, "error");
	char *text = error_message(root, key);
	snprintf(r->msg, sizeof r->msg, "%sHTTP %ld%s%s%s",
	         http == 401 || http == 403 ? "the API refused the key: " : "", http,
	         http >= 300 && http < 400 ? " (a redirect, not followed: OPENAI_BASE_URL should be where it "
	         "leads)" : "", text ? ": " : "", text ? text : "");
	free(text);
	if (http == 401 || http == 403) {
		r->fatal = 1;
		r->status = STATUS_INVALID_REQUEST;
	} else if (http == 429 && error_is(err, "insufficient_quota")) {
		r->fatal = 1;
		r->status = STATUS_RATE_LIMITED;
	} else if (http == 429) {
		r->status = STATUS_RATE_LIMITED;
	} else if (http == 408) {
		r->status = STATUS_TIMEOUT;
	} else if (http == 409 || http >= 500) {
		r->status = STATUS_SERVER_ERROR;
	} else if (error_is(err, "context_length_exceeded")) {
		r->status = STATUS_CONTEXT_LENGTH;
	} else if (error_is(err, "content_filter") || error_is(err, "content_policy_violation")) {
		r->status = STATUS_CONTENT_FILTER;
	} else {
		r->status = STATUS_INVALID_REQUEST;
	}
	cJSON_Delete(root);
}

void openai_reply(long http, const char *body, const char *key, struct live_reply *r)
{
	if (http == 200)
		read_answer(body ? body : "", key, r);
	else
		read_error(http, body ? body : "", key, r);
	redact(r->msg, key);
}

/* When a call failed before it reached a server: 1 for no connection (no such host, refused),
 * which may pass (a restarting proxy, a DNS hiccup); 2 for TLS that could not be set up (a
 * certificate not trusted, not TLS at all) or a URL curl cannot use, a set-up problem which no
 * retry mends.  0 when it may have reached one. */
static int unreached(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_PROXY: case CURLE_COULDNT_RESOLVE_HOST: case CURLE_COULDNT_CONNECT:
		return 1;
	case CURLE_UNSUPPORTED_PROTOCOL: case CURLE_URL_MALFORMAT: case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION: case CURLE_SSL_CERTPROBLEM: case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE: case CURLE_SSL_ENGINE_NOTFOUND: case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED: case CURLE_SSL_CRL_BADFILE: case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH: case CURLE_SSL_INVALIDCERTSTATUS:
		return 2;
	default:
		return 0;
	}
}

void openai_call(void *ctx, const struct live_call *c, struct live_reply *r)
{
	struct openai *o = ctx;
	struct buf b = { 0 };
	struct curl_slist *h = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *body = request_body(c);
	CURL *curl = curl_easy_init();
	memset(r, 0, sizeof *r);
	r->retry_after_us = -1;
	r->status = STATUS_SERVER_ERROR;
	if (!body || !curl || !(h = curl_slist_append(h, o->auth)) ||
	    !(h = curl_slist_append(h, "Content-Type: application/json"))) {
		snprintf(r->msg, sizeof r->msg, "out of memory");
		r->fatal = 1;
		goto out;
	}
	curl_easy_setopt(curl, CURLOPT_URL, o->url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r->retry_after_us);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(c->timeout_us / 1000 > 0 ? c->timeout_us / 1000 : 1));
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "llmcost-live");
	if (o->plain) /* http_proxy or ALL_PROXY would get the key in clear: straight to this machine */
		curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	CURLcode rc = curl_easy_perform(curl);
	long http = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http);
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		r->status = STATUS_TIMEOUT;
		snprintf(r->msg, sizeof r->msg, "no reply within %lld ms", (long long)(c->timeout_us / 1000));
	} else if (unreached(rc)) {
		r->unsent = 1;
		r->fatal = unreached(rc) == 2;
		snprintf(r->msg, sizeof r->msg, "cannot reach %.120s: %.100s", o->shown,
		         *errbuf ? errbuf : curl_easy_strerror(rc));
	} else if (rc != CURLE_OK) {
		snprintf(r->msg, sizeof r->msg, "%s", b.cut ? "the reply is over 64 MiB" : *errbuf ? errbuf
		         : curl_easy_strerror(rc));
	} else {
		openai_reply(http, b.p, o->auth + strlen(AUTH_PREFIX), r);
	}
out:
	redact(r->msg, o->auth + strlen(AUTH_PREFIX));
	curl_slist_free_all(h);
	if (curl)
		curl_easy_cleanup(curl);
	free(body);
	free(b.p);
}

int64_t openai_now_us(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void openai_sleep_us(void *ctx, int64_t us)
{
	(void)ctx;
	if (us <= 0)
		return;
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
