/*
 * Test helper: a fresh private folder per call, under $TMPDIR (else /tmp).
 */
#ifndef TESTS_UTIL_TMP_H
#define TESTS_UTIL_TMP_H

#include <stddef.h>

/* Creates $TMPDIR/llmcost-NAME.?????? (mkdtemp) and writes its path into buf.  0, or -1. */
int test_tmpdir(const char *name, char *buf, size_t n);

#endif
