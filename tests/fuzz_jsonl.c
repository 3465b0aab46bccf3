/*
 * libFuzzer target for the trace line parser: every input line goes through
 * jsonl_parse; an accepted record must satisfy what the store relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/status.h"
#include "traces/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct jsonl_parser p;
	static int ready;
	struct jsonl_rec rec;
	struct err e;
	if (!ready) {
		jsonl_init(&p);
		ready = 1;
	}
	const char *s = (const char *)data, *end = s + n;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (jsonl_parse(&p, s, len, &rec, &e) == 0) {
			if (!rec.tenant.s || !rec.task.s || rec.input_tok < 0 || rec.output_tok < 0 ||
			    rec.input_tok > 4294967295LL || rec.status >= N_STATUS)
				abort();
			for (size_t i = 0; i < rec.n_att; i++)
				if (!rec.att[i].model.s || rec.att[i].status < 0 || rec.att[i].status >= N_STATUS)
					abort();
		} else if (!e.msg[0]) {
			abort(); /* a rejection always says why */
		}
		s += len + 1;
	}
	return 0;
}
