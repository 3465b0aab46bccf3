/*
 * Following a JSON Lines file as it grows, like `tail -F`: complete lines as
 * they are appended, from the start of the file; a truncated file is read
 * again from its start (NUL bytes before a line passed over: the hole a writer
 * leaves when it writes on at its offset after a truncation in place), and a
 * rotated one (the path now names another file) to its end, and on until it
 * has been quiet a while (a logger may write to it until it reopens its file),
 * beside the new one read from its start.
 */
#ifndef TRACES_FOLLOW_H
#define TRACES_FOLLOW_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim/err.h"

#define FOLLOW_LINE_MAX (64u << 20) /* a longer line is handed over cut, as the import rejects it */
#define FOLLOW_POLL_MAX (8u << 20)  /* bytes a poll reads of a file at most: a large file is read in
                                     * steps, so that its reader can stop (or redraw) between them */

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
	int behind;            /* the last poll read poll_max bytes: the file may hold more already */
	/* The file before the latest rotation, read on while a writer that still holds it may add
	 * to it: closed once it has not grown for old_quiet_us (its last line then handed over
	 * even without an end). */
	struct follow_old {
		int fd;            /* -1: none */
		uint64_t offset, line_no;
		char *buf;
		size_t n, cap;
		int skipping;
		int behind;
		int64_t grew_us;   /* when it last grew (CLOCK_MONOTONIC) */
	} old;
	int64_t old_quiet_us;  /* FOLLOW_OLD_QUIET_US unless changed after follow_open */
	size_t poll_max;       /* FOLLOW_POLL_MAX unless changed after follow_open */
	int from_old;          /* the line handed over is the old file's */
};

#define FOLLOW_OLD_QUIET_US 1000000

/* A line without its end ("\n" or "\r\n"), numbered from 1 in its file; nonzero stops the poll. */
typedef int (*follow_line_fn)(void *ctx, const char *line, size_t len, uint64_t line_no);

/* Opens path (which must exist and be a regular file).  -1 with e set. */
int follow_open(struct follow *f, const char *path, struct err *e);

/* Hands over the complete lines appended since the last poll, reading at most poll_max bytes of
 * each file (follow_behind then says more may be there: poll again without waiting).  Returns the
 * number of lines, or -1 with e set (a read error, out of memory, or the callback's stop). */
long follow_poll(struct follow *f, follow_line_fn on_line, void *ctx, struct err *e);

/* Whether the last poll stopped short of a file's end (the current one, or the one before the
 * latest rotation): a rotation is looked for only once both are read to their end. */
static inline int follow_behind(const struct follow *f)
{
	return f->behind || (f->old.fd >= 0 && f->old.behind);
}

/* At the end of the following (a stop): hands over what follow_poll keeps waiting for, the last
 * line of the file kept since a rotation and then the current file's, each even without its end,
 * as the import takes a last line without a newline (the rest of a line cut at FOLLOW_LINE_MAX
 * is still passed over); but not a file's line whose rest the last poll did not read (behind:
 * it is no last line).  Call it after a last follow_poll.  Returns the number of lines, or -1
 * with e set (the callback's stop). */
long follow_finish(struct follow *f, follow_line_fn on_line, void *ctx, struct err *e);

void follow_close(struct follow *f);

#endif
