/*
 * libFuzzer target for the line reader: the input is a trace file's bytes,
 * plain or gzip (the seeds hold whole, multi-member and damaged gzip).  Every
 * line returned holds no newline; a line cut at READER_MAX_LINE keeps
 * READER_KEEP bytes; an error says why; plain input gives one line per
 * newline, plus one for a last line without.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	/* the input as a file, which has no name to clean up: tmpfile(), opened by its /proc path */
	static FILE *f;
	static char path[64];
	if (!f) {
		if (!(f = tmpfile()))
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fileno(f));
	}
	int fd = fileno(f);
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data, n, 0) != (ssize_t)n)
		abort();
	struct reader r;
	struct err e = { "" };
	if (reader_open(&r, path, -1, &e) < 0) {
		if (!e.msg[0])
			abort();
		return 0; /* an SQLite header */
	}
	const char *line;
	size_t len;
	uint64_t full, lines = 0;
	int rc;
	while ((rc = reader_next(&r, &line, &len, &full, &e)) == 1) {
		if (memchr(line, '\n', len) || full < len || (full > len && len != READER_KEEP))
			abort();
		lines++;
	}
	if (rc < 0 && !e.msg[0])
		abort();
	if (!(n >= 2 && data[0] == 0x1f && data[1] == 0x8b)) {
		uint64_t want = 0;
		for (size_t i = 0; i < n; i++)
			want += data[i] == '\n';
		want += n > 0 && data[n - 1] != '\n';
		if (rc != 0 || lines != want)
			abort();
	}
	reader_close(&r);
	return 0;
}
