/*
 * Following a JSON Lines file as it grows, like `tail -F`: complete lines as
 * they are appended, from the start of the file; a truncated file is read
 * again from its start, and a rotated one (the path now names another file)
 * to its end before the new one is read from its start.
 */
#ifndef TRACES_FOLLOW_H
#define TRACES_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim/err.h"

#define FOLLOW_LINE_MAX (64u << 20) /* a longer line is handed over cut, as the import rejects it */

struct follow {
	char *path;
	int fd;
	dev_t dev;
	ino_t ino;
	uint64_t offset;       /* bytes read of the current file */
	uint64_t line_no;      /* complete lines handed over from the current file */
	char *buf;             /* the partial line at its end */
	size_t n, cap;
	unsigned truncations, rotations;
	int skipping;          /* the rest of a line handed over cut is being passed over */
};

/* A line without its end ("\n" or "\r\n"), numbered from 1 in its file; nonzero stops the poll. */
typedef int (*follow_line_fn)(void *ctx, const char *line, size_t len, uint64_t line_no);

/* Opens path (which must exist and be a regular file).  -1 with e set. */
int follow_open(struct follow *f, const char *path, struct err *e);

/* Hands over every complete line appended since the last poll.  Returns the number of lines,
 * or -1 with e set (a read error, out of memory, or the callback's stop). */
long follow_poll(struct follow *f, follow_line_fn on_line, void *ctx, struct err *e);

void follow_close(struct follow *f);

#endif
