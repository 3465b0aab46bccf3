/*
 * Pricing files: a key table in the shape of the scenario's (sim/scenario.h)
 * and the same checker (traces/scenario_check.c), so a pricing file gets the same
 * messages: "fixtures/pricing/x.json: models.gpt-4.1.input: expected ...".
 * Prices become integer micro-USD per 1M tokens; more than 6 decimals is an
 * error, never a silent rounding.
 */
#include "traces/pricing.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scenario.h"
#include "traces/bundled.h"
#include "traces/scenario.h"

static const char *const tier_choices[] = { "small", "large", NULL };

/* cached_input is -1 until set, then defaults to input (pricing_from_tree). */
static void model_init(void *p)
{
	struct price_model *m = p;
	m->tier = TIER_SMALL;
	m->price.cached_micro = -1;
}

#define P(f) offsetof(struct pricing, f)
#define M(f) offsetof(struct price_model, f)
#define NOF SKEY_NO_FLAG
#define PRICE_EXPECT "a non-negative number of USD per 1M tokens with at most 6 decimals, " \
	"at most 9223372036854.775807"
#define LATENCY_EXPECT "a number of milliseconds from 0 to 10^9 with at most 9 decimals"

static const struct scenario_key pricing_keys[] = {
	{ "date", SKEY_STRING, 0, P(date), NOF, .expect = "a string",
	  .help = "the day the prices were read (YYYY-MM-DD)" },
	{ "source", SKEY_STRING, 0, P(source), NOF, .expect = "a string",
	  .help = "where the prices come from" },
	{ "models", SKEY_MAP, KEYF_REQUIRED | KEYF_NONEMPTY, P(models), P(n_models),
	  .expect = "a non-empty object of model: prices", .help = "model name -> prices",
	  .elem_size = sizeof(struct price_model), .elem_name = M(name), .elem_init = model_init },
	{ "models.*", SKEY_OBJECT, 0, NOF, NOF, .expect = "an object", .help = "one model" },
	{ "models.*.tier", SKEY_ENUM, 0, M(tier), NOF, .names = tier_choices,
	  .expect = "\"small\" or \"large\"", .help = "the model's tier (default small)" },
	{ "models.*.input", SKEY_FIXED, KEYF_REQUIRED, M(price.input_micro), NOF, .min = 0,
	  .max = INT64_MAX, .scale = 6, .expect = PRICE_EXPECT, .help = "USD per 1M input tokens" },
	{ "models.*.cached_input", SKEY_FIXED, 0, M(price.cached_micro), NOF, .min = 0,
	  .max = INT64_MAX, .scale = 6, .expect = PRICE_EXPECT,
	  .help = "USD per 1M cached input tokens (default: input)" },
	{ "models.*.output", SKEY_FIXED, KEYF_REQUIRED, M(price.output_micro), NOF, .min = 0,
	  .max = INT64_MAX, .scale = 6, .expect = PRICE_EXPECT, .help = "USD per 1M output tokens" },
	{ "models.*.latency_ms_base", SKEY_FIXED, 0, M(latency_base_ps), NOF, .min = 0,
	  .max = PRICING_LATENCY_MAX_PS, .scale = 9, .expect = LATENCY_EXPECT,
	  .help = "modelled latency of a call before its output (default 0)" },
	{ "models.*.latency_ms_per_output_token", SKEY_FIXED, 0, M(latency_per_tok_ps), NOF,
	  .min = 0, .max = PRICING_LATENCY_MAX_PS, .scale = 9, .expect = LATENCY_EXPECT,
	  .help = "modelled latency per output token (default 0)" },
};
static const size_t pricing_n_keys = sizeof pricing_keys / sizeof pricing_keys[0];

static int pricing_from_tree(const cJSON *tree, const char *text, const char *label,
                             struct pricing **out, struct err *err)
{
	struct pricing *p = calloc(1, sizeof *p);
	*out = NULL;
	if (!p || !(p->date = strdup("")) || !(p->source = strdup("")) ||
	    !(p->path = strdup(label ? label : ""))) {
		pricing_free(p);
		return err_set(err, "out of memory");
	}
	if (scenario_check_tree(tree, text, pricing_keys, pricing_n_keys, label, 0, p, err) < 0) {
		pricing_free(p);
		return -1;
	}
	for (size_t i = 0; i < p->n_models; i++)
		if (p->models[i].price.cached_micro < 0)
			p->models[i].price.cached_micro = p->models[i].price.input_micro;
	*out = p;
	return 0;
}

int pricing_load(const char *path, struct pricing **out, struct err *err)
{
	cJSON *tree;
	char *text;
	*out = NULL;
	if (scenario_read_json(path, &tree, &text, err) < 0)
		return -1;
	int rc = pricing_from_tree(tree, text, path, out, err);
	cJSON_Delete(tree);
	free(text);
	return rc;
}

int pricing_parse(const char *text, const char *label, struct pricing **out, struct err *err)
{
	cJSON *tree;
	*out = NULL;
	if (scenario_json_parse(text, strlen(text), label, &tree, err) < 0)
		return -1;
	int rc = pricing_from_tree(tree, text, label, out, err);
	cJSON_Delete(tree);
	return rc;
}

static int readable(const char *path)
{
	return access(path, R_OK) == 0;
}

const char *pricing_bundled_path(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("LLMCOST_PRICING");
	if (env && env[0])
		return readable(env) ? env : NULL;
#ifdef LLMCOST_PRICING_FILE
	if (readable(LLMCOST_PRICING_FILE))
		return LLMCOST_PRICING_FILE;
#endif
	return bundled_path("pricing/openai.json", buf, sizeof buf);
}
