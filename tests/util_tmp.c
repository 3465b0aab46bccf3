/*
 * Test helper behind tests/util_tmp.h: mkdtemp with the template built here once.
 */
#include "tests/util_tmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int test_tmpdir(const char *name, char *buf, size_t n)
{
	const char *t = getenv("TMPDIR");
	int len = snprintf(buf, n, "%s/llmcost-%s.", t && t[0] ? t : "/tmp", name);
	if (len < 0 || (size_t)len + 7 > n)
		return -1;
	memset(buf + len, 'X', 6); /* mkdtemp's template: six characters it replaces */
	buf[len + 6] = '\0';
	return mkdtemp(buf) ? 0 : -1;
}
