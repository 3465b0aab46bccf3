/*
 * libFuzzer target for the scenario and pricing parsers: any text either loads
 * into a scenario that can be released, or fails with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pricing.h"
#include "sim/scenario.h"
#include "sim/trace.h"
#include "traces/pricing.h"
#include "traces/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *text = malloc(n + 1);
	struct err e = { "" };
	struct scenario sc;
	struct pricing *p = NULL;
	if (!text)
		return 0;
	memcpy(text, data, n);
	text[n] = 0;
	if (scenario_parse(text, "fuzz.json", "fixtures/tests", &sc, &e) == 0)
		scenario_fini(&sc);
	else if (!e.msg[0])
		abort(); /* a failure always says why */
	e.msg[0] = 0;
	if (pricing_parse(text, "fuzz.json", &p, &e) == 0) {
		for (size_t m = 0; m < p->n_models; m++) /* a modelled latency stays in bounds */
			for (uint64_t out = 0; out <= UINT32_MAX; out = out * 65536 + 65535) {
				int64_t us = pricing_latency_us(&p->models[m], out);
				if (us < 0 || us > TRACE_LATENCY_MAX_US)
					abort();
			}
		pricing_free(p);
	} else if (!e.msg[0])
		abort();
	free(text);
	return 0;
}
