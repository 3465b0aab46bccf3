/*
 * libFuzzer target for the Langfuse observation parser (traces/langfuse.c), through
 * tests/fuzz_format.h: the input as one document and line by line.
 */
#include "tests/fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_format(&format_langfuse, data, n);
}
