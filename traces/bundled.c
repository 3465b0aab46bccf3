/*
 * The bundled data's location, searched from /proc/self/exe upward.
 */
#include "traces/bundled.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
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

/* 1 when name ends in ".json" after something. */
static int is_json_name(const char *name)
{
	size_t len = strlen(name);
	return len > 5 && strcmp(name + len - 5, ".json") == 0;
}

const char *bundled_scenario(const char *name, char *buf, size_t n)
{
	char dir[PATH_MAX];
	if (!*name || strchr(name, '/') || !bundled_path("scenarios", dir, sizeof dir))
		return NULL;
	snprintf(buf, n, "%s/%s%s", dir, name, is_json_name(name) ? "" : ".json");
	return exists(buf) ? buf : NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void bundled_scenarios(char *buf, size_t n)
{
	char dir[PATH_MAX], *names[64];
	size_t k = 0, o = 0;
	DIR *d = bundled_path("scenarios", dir, sizeof dir) ? opendir(dir) : NULL;
	struct dirent *de;
	buf[0] = 0;
	while (d && k < 64 && (de = readdir(d))) {
		if (is_json_name(de->d_name) && (names[k] = strdup(de->d_name))) {
			names[k][strlen(names[k]) - 5] = 0; /* without ".json" */
			k++;
		}
	}
	if (d)
		closedir(d);
	qsort(names, k, sizeof *names, cmp_str);
	for (size_t i = 0; i < k; i++) {
		int w = snprintf(buf + o, n - o, "%s%s", i ? ", " : "", names[i]);
		if (w > 0 && (size_t)w < n - o)
			o += (size_t)w;
		free(names[i]);
	}
}
