/*
 * The bundled data's location, searched from /proc/self/exe upward.
 */
#include "traces/bundled.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

const char *bundled_path(const char *rel, char *buf, size_t n)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len <= 0)
		return NULL;
	exe[len] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (int up = 0; up <= 3; up++) {
		snprintf(buf, n, "%s/fixtures/%s", exe, rel);
		if (exists(buf))
			return buf;
		if (up == 0) {
			snprintf(buf, n, "%s/../share/llmcost/%s", exe, rel);
			if (exists(buf))
				return buf;
		}
		if (!(slash = strrchr(exe, '/')) || slash == exe)
			break;
		*slash = '\0';
	}
	return NULL;
}
