/*
 * Replacing a file whole or not at all: the new bytes go to a hidden file beside it
 * (".NAME." and a unique suffix, made by mkstemp), renamed over it once complete, so that a failed write (a
 * full disk, a file-size limit) or a stop leaves the file as it was.  gen -o, the console's
 * export and save use it.  Errors fill the caller's struct err with a message that names the
 * file and says what became of it: "FILE: cannot write: REASON; FILE keeps what it held".
 */
#ifndef TRACES_REPLACE_H
#define TRACES_REPLACE_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "sim/err.h"

/* A replacement under way; replace_open fills it, replace_commit or replace_abort ends it. */
struct replace {
	const char *path;       /* as the caller named it (borrowed), for messages */
	char *target;           /* what is renamed over: path, or a symbolic link's target (owned) */
	char tmp[PATH_MAX];     /* the hidden file, "" while none */
	int fd;                 /* the hidden file's descriptor; -1: path is written directly */
	int existed;            /* the target existed when opened */
	int direct;             /* it is no regular file (a device, a FIFO): written directly */
};

/*
 * Makes the hidden file for path, with the mode the target has (refused when fchmod cannot
 * give it: "cannot give the new file its mode 0644: REASON"), or a new file's (0666 less the
 * umask, best-effort: see replace.c), and leaves its descriptor in r->fd: the caller's to write, and to close (a
 * stream made on it closes it) before replace_commit.  A symbolic link is followed: its target
 * is replaced and the link stays; a link to nothing is refused.  A target that is not a
 * regular file (a device, a FIFO) sets r->direct, r->fd -1: the caller writes path directly.
 * Refused with EACCES's "Permission denied", as a shell's redirection would be: a file we may
 * not write, or a write-protected one (no write bit at all, even for root).  Returns 0, or -1
 * with e set (then nothing is left to end).
 */
int replace_open(struct replace *r, const char *path, struct err *e);

/* Renames the hidden file over the target.  Returns 0, or -1 with e set and the hidden file
 * removed.  Either way r is ended. */
int replace_commit(struct replace *r, struct err *e);

/* Removes the hidden file (the target keeps what it held) and ends r; nothing after a commit
 * or a failed open. */
void replace_abort(struct replace *r);

/* Sets e to "PATH: cannot write: REASON; PATH keeps what it held" (or "; PATH was not made"
 * for a file that did not exist), REASON from fmt.  Returns -1. */
int replace_fail(const struct replace *r, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * The whole of it for a writer on a stream: write(f, ctx, e) writes the new contents and
 * returns 0, or -1 with e set; then the stream is flushed and closed and the hidden file
 * renamed over path.  A failed write (the stream's error, as a full disk) is told by errno's
 * text, any other failure by the writer's message.  Returns 0, or -1 with e set as above.
 */
int replace_write(const char *path, int (*write)(FILE *f, void *ctx, struct err *e), void *ctx,
                  struct err *e);

/* The writing of replace_write on r, opened: the stream made on r->fd (or r->path, direct), the
 * writer, the flush and the close.  Returns 0, or -1 with e set as replace_write's; either way
 * the descriptor is closed, and r is the caller's to commit or abort. */
int replace_stream(struct replace *r, int (*write)(FILE *f, void *ctx, struct err *e), void *ctx,
                   struct err *e);

/*
 * replace_write with the writing in a child process (traces/replace_child.c), so that the caller
 * can show its progress and stop it at once, where a writer runs to its end: tick(tick_ctx,
 * bytes written so far, seconds since the start) is called about 8 times a second until the
 * child ends, and a nonzero value it returns stops the writing (the child killed, path kept as
 * it was) and is returned.  Returns 0 once path is replaced, -1 with e set as replace_write's,
 * or tick's stop.  The writer runs in the child: what it changes stays there.
 */
int replace_write_child(const char *path, int (*write)(FILE *f, void *ctx, struct err *e), void *ctx,
                        int (*tick)(void *tick_ctx, uint64_t bytes, double seconds), void *tick_ctx,
                        struct err *e);

#endif
