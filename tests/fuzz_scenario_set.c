/*
 * libFuzzer target for the console's scenario editing (scenario_set): the
 * input is a key path, a newline and a value (no newline: the key is unset),
 * applied to the bundled v3 scenario.  Any input either fails with a message
 * and leaves the scenario as it was, or gives a scenario whose JSON loads
 * again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "traces/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static char *v3; /* the bundled v3 scenario as its JSON, read once */
	struct scenario sc, again;
	struct err e = { "" };
	char *text = malloc(n + 1), *value;
	if (!text)
		return 0;
	if (!v3) {
		if (scenario_load("fixtures/scenarios/v3.json", &sc, &e) < 0 || !(v3 = scenario_to_json(&sc, 0)))
			abort(); /* run from the repository root */
		scenario_fini(&sc);
	}
	memcpy(text, data, n);
	text[n] = 0;
	if ((value = strchr(text, '\n')))
		*value++ = 0;
	if (scenario_parse(v3, "v3.json", "fixtures/scenarios", &sc, &e) < 0)
		abort();
	char *before = scenario_to_json(&sc, 0);
	if (scenario_set(&sc, text, value, &e) < 0) {
		char *after = scenario_to_json(&sc, 0);
		if (!e.msg[0] || !before || !after || strcmp(before, after) != 0)
			abort(); /* a failure says why and changes nothing */
		free(after);
	} else {
		char *json = scenario_to_json(&sc, 0);
		if (!json || scenario_parse(json, "saved.json", "fixtures/scenarios", &again, &e) < 0)
			abort(); /* what the console saves loads again */
		scenario_fini(&again);
		free(json);
	}
	free(before);
	scenario_fini(&sc);
	free(text);
	return 0;
}
