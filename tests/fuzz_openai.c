/*
 * libFuzzer target for the live runner's reading of replies (traces/openai.c).
 * The first byte picks an HTTP status from a table, the rest is the reply's
 * body, and also a header line; the class must be one of SPEC §2's, an ok
 * reply's cached tokens at most its input's (as the runner clamps them) and
 * its text exactly as long as said, and a Retry-After never negative.
 */
#include "traces/openai.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_openai: invariant failed at line %d: %s\n", __LINE__, #cond); \
		abort(); \
	} \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long codes[] = { 200, 200, 200, 400, 401, 403, 404, 408, 409, 422, 429, 500, 503, 0 };
	if (size == 0)
		return 0;
	long http = codes[data[0] % (sizeof codes / sizeof codes[0])];
	char *body = malloc(size);
	if (!body)
		return 0;
	memcpy(body, data + 1, size - 1);
	body[size - 1] = 0;
	struct live_reply r;
	memset(&r, 0, sizeof r);
	r.retry_after_us = -1;
	openai_reply(http, body, "sk-fuzz-key-0123456789", &r);
	FUZZ_CHECK(!strstr(r.msg, "sk-fuzz-key-0123456789"));
	FUZZ_CHECK(r.status < N_STATUS);
	FUZZ_CHECK(r.status == STATUS_OK ? http == 200 : !r.text);
	FUZZ_CHECK(!r.text || strlen(r.text) == r.text_len);
	FUZZ_CHECK(memchr(r.msg, 0, sizeof r.msg));
	FUZZ_CHECK(!r.fatal || http == 401 || http == 403 || http == 429);
	free(r.text);
	int64_t after = -1;
	openai_header(body, size - 1, &after);
	FUZZ_CHECK(after >= -1);
	free(body);
	return 0;
}
