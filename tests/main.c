/*
 * The unit-test runner: runs every suite (the list is generated from the
 * tests/test_*.c file names) or only those named on the command line, and
 * prints "unit: N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "tests/test.h"

struct test_state test_state;

#define SUITE(name) void suite_##name(void);
#include "suites.inc"
#undef SUITE

static const struct { const char *name; void (*fn)(void); } suites[] = {
#define SUITE(name) { #name, suite_##name },
#include "suites.inc"
#undef SUITE
};

int main(int argc, char **argv)
{
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
		int wanted = argc < 2;
		for (int a = 1; a < argc; a++)
			wanted |= strcmp(argv[a], suites[i].name) == 0;
		if (wanted)
			suites[i].fn();
	}
	printf("unit: %d passed, %d failed\n", test_state.passed, test_state.failed);
	return test_state.failed != 0;
}
