/*
 * What a live run sent and received, as a trace v1 file (SPEC §2, §8): one
 * line per request that made a call, as it ends, so that the run can be
 * imported and replayed offline beside its estimate (`-s recorded` prices
 * every line's calls).  Cache hits and rejects sent nothing and are not in it.  Besides
 * trace v1's fields (which a replay reads), `input_sent` (a truncated text, or the summary
 * sent instead) and `output` (the answer) are kept as unknown fields, and a summarize call's
 * attempt says `"summary": true` (which `-s recorded` reads: neither a retry nor a fallback).
 */
#include "traces/live_record.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/clock.h"
#include "sim/money.h"

static cJSON *add_time(cJSON *o, const char *name, int64_t us)
{
	char t[CLOCK_TEXT_MAX];
	return cJSON_AddStringToObject(o, name, clock_format(us, t));
}

/*
 * Whether what the API billed for the request is known: each call answered (its usage
 * priced at list) or failed with an error the API does not bill.  A timeout (the server may
 * have finished, and billed, the call) or a content filter leaves it unknown: the line then
 * has no cost_usd, so that a recorded replay compares its prices only with known bills.
 */
static int bill_known(const struct live_record *r)
{
	for (size_t a = 0; a < r->n_att; a++)
		if (r->att[a].status == STATUS_TIMEOUT || r->att[a].status == STATUS_CONTENT_FILTER)
			return 0;
	return 1;
}

/* A call's fields, those of trace v1's `attempts` items. */
static int add_call(cJSON *o, const struct scenario *sc, const struct live_attempt *a)
{
	return cJSON_AddStringToObject(o, "model", sc->pricing->models[a->model].name) &&
	       cJSON_AddStringToObject(o, "status", status_names[a->status]) &&
	       cJSON_AddNumberToObject(o, "input_tokens", (double)a->input_tok) &&
	       cJSON_AddNumberToObject(o, "output_tokens", (double)a->output_tok) &&
	       cJSON_AddNumberToObject(o, "cached_tokens", (double)a->cached_tok) &&
	       cJSON_AddNumberToObject(o, "latency_ms", (double)a->latency_us / 1000.0);
}

static cJSON *record_line(const struct live *lv, const struct live_record *r)
{
	const struct trace *t = lv->t;
	uint32_t i = r->req;
	size_t len;
	const char *text = intern_str(&t->inputs, t->input[i], &len);
	char usd[MONEY_FMT_SIZE];
	cJSON *o = cJSON_CreateObject(), *atts = NULL;
	int ok = o && add_time(o, "ts", r->start_us) &&
	         cJSON_AddStringToObject(o, "tenant", intern_str(&t->names, trace_tenant(t, i), NULL)) &&
	         cJSON_AddStringToObject(o, "task", intern_str(&t->names, trace_task(t, i), NULL)) &&
	         cJSON_AddStringToObject(o, "input", text);
	const struct live_attempt *first = &r->att[0], *sized = first;
	const struct live_attempt *answer = r->answer >= 0 ? &r->att[r->answer] : NULL;
	/* the request's size as the API measured it: the usage of its first answered call that
	 * sent the text as it is (not cut, not a summary), else the first call's */
	for (size_t a = 0; !r->sent && a < r->n_att; a++)
		if (r->att[a].status == STATUS_OK && !r->att[a].summarize) {
			sized = &r->att[a];
			break;
		}
	ok = ok && cJSON_AddNumberToObject(o, "input_tokens", (double)sized->input_tok) &&
	     cJSON_AddNumberToObject(o, "output_tokens", answer ? (double)answer->output_tok : trace_output_tok(t, i)) &&
	     cJSON_AddNumberToObject(o, "cached_tokens", (double)sized->cached_tok) &&
	     cJSON_AddStringToObject(o, "model", lv->sc->pricing->models[first->model].name) &&
	     cJSON_AddStringToObject(o, "status", status_names[first->status]) &&
	     cJSON_AddNumberToObject(o, "latency_ms", (double)first->latency_us / 1000.0) &&
	     (atts = cJSON_AddArrayToObject(o, "attempts"));
	for (size_t a = 0; ok && a < r->n_att; a++) {
		cJSON *c = cJSON_CreateObject();
		ok = c && cJSON_AddItemToArray(atts, c) && add_call(c, lv->sc, &r->att[a]) &&
		     add_time(c, "ts", r->att[a].ts_us) && (!r->att[a].summarize || cJSON_AddTrueToObject(c, "summary"));
	}
	money_format(usd, r->cost_pusd);
	if (ok && trace_difficulty(t, i) != DIFFICULTY_NONE)
		ok = cJSON_AddStringToObject(o, "difficulty", trace_difficulty(t, i) == DIFFICULTY_HARD ? "hard" : "easy") != NULL;
	if (ok && r->sent)
		ok = cJSON_AddStringToObject(o, "input_sent", r->sent) != NULL;
	if (ok && r->output)
		ok = cJSON_AddStringToObject(o, "output", r->output) != NULL;
	if (ok && answer && *answer->id)
		ok = cJSON_AddStringToObject(o, "request_id", answer->id) != NULL;
	ok = ok && (!bill_known(r) || cJSON_AddRawToObject(o, "cost_usd", usd)) &&
	     cJSON_AddStringToObject(o, "live", live_outcome_names[r->outcome]);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int live_record_write(int fd, const char *path, const struct live *lv, size_t r, struct err *e)
{
	if (!lv->rec[r].n_att)
		return 0;
	cJSON *o = record_line(lv, &lv->rec[r]);
	char *line = o ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	size_t n = line ? strlen(line) : 0, done = 0;
	char *nl = line ? realloc(line, n + 2) : NULL;
	if (!nl) {
		free(line);
		return err_set(e, "out of memory");
	}
	nl[n++] = '\n';
	off_t at = lseek(fd, 0, SEEK_CUR);
	int errno_was = 0;
	while (done < n) {
		ssize_t w = write(fd, nl + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			errno_was = w < 0 ? errno : ENOSPC;
			break;
		}
		done += (size_t)w;
	}
	free(nl);
	if (done == n)
		return 0;
	/* a line cut short is taken back: the file ends with its last whole line */
	if (done > 0 && (at < 0 || ftruncate(fd, at) != 0 || lseek(fd, at, SEEK_SET) < 0))
		return err_set(e, "%s: cannot write: %s (and a line is left cut short: %s)", path,
		               strerror(errno_was), strerror(errno));
	return err_set(e, "%s: cannot write: %s", path, strerror(errno_was));
}
