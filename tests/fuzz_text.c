/*
 * libFuzzer target for traces/text.c.  The first byte of each input is a
 * column budget, the rest a name; text_show's result must be valid UTF-8 with
 * nothing escaped left in it, at most the budget wide, and, when nothing was
 * cut, as wide as text_width said.
 */
#include "traces/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_text: invariant failed at line %d: %s\n", __LINE__, #cond); \
		abort(); \
	} \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t cols = data[0];
	char *name = malloc(size);
	if (!name)
		return 0;
	memcpy(name, data + 1, size - 1);
	name[size - 1] = 0;
	char *shown = text_show(name, cols);
	if (shown) {
		size_t width = 0;
		int len;
		for (const char *s = shown; *s; s += len) {
			long cp = text_decode((const unsigned char *)s, &len);
			FUZZ_CHECK(cp >= 0 && !text_escaped(cp));
			width += (size_t)text_cp_width(cp);
		}
		FUZZ_CHECK(cols == 0 || width <= cols);
		if (cols == 0 || text_width(name) <= cols)
			FUZZ_CHECK(width == text_width(name));
		free(shown);
	}
	free(name);
	return 0;
}
