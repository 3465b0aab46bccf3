/*
 * A small in-house test harness.  A suite is a function suite_NAME() in
 * tests/test_NAME.c that runs its cases with RUN(); a case passes when none of
 * its CHECKs fails.  Failed checks print file:line and the values compared.
 */
#ifndef TEST_H
#define TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct test_state {
	int passed, failed;     /* cases */
	int case_failed;        /* checks failed in the running case */
	const char *case_name;
};
extern struct test_state test_state;

#define RUN(fn) do { \
	test_state.case_failed = 0; test_state.case_name = #fn; \
	fn(); \
	if (test_state.case_failed) test_state.failed++; else test_state.passed++; \
} while (0)

#define TEST_FAIL_(fmt, ...) do { \
	fprintf(stderr, "FAIL %s (%s:%d): " fmt "\n", test_state.case_name, __FILE__, __LINE__, __VA_ARGS__); \
	test_state.case_failed++; \
} while (0)

#define CHECK(cond) do { if (!(cond)) TEST_FAIL_("%s", #cond); } while (0)

#define CHECK_INT(a, b) do { \
	long long a_ = (long long)(a), b_ = (long long)(b); \
	if (a_ != b_) TEST_FAIL_("%s == %s: got %lld, want %lld", #a, #b, a_, b_); \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if (!a_ || !b_ || strcmp(a_, b_) != 0) \
		TEST_FAIL_("%s == %s: got \"%s\", want \"%s\"", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
} while (0)

/* The haystack contains the needle. */
#define CHECK_HAS(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) TEST_FAIL_("\"%s\" does not contain \"%s\"", h_ ? h_ : "(null)", n_); \
} while (0)

#endif
