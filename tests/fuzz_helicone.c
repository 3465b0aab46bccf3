/*
 * libFuzzer target for the Helicone request parser (traces/helicone.c), through
 * tests/fuzz_format.h: the input as one document and line by line.
 */
#include "tests/fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_format(&format_helicone, data, n);
}
