/*
 * The follower of traces/follow.h: polled, not notified (a read of what was
 * appended, and one stat of the path to see a truncation or a rotation), so
 * it works the same on every file system, network ones included.
 */
#include "traces/follow.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int open_file(struct follow *f, struct err *e)
{
	struct stat st;
	/* without blocking, which opening a FIFO (or a link to one) for reading does until a writer
	 * comes; what is not a regular file is refused, and the reads then block as usual */
	int fd = open(f->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), fl;
	if (fd < 0)
		return err_set(e, "%s: %s", f->path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, "%s: not a regular file (watch follows a JSON Lines file as it grows)", f->path);
	}
	if ((fl = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int errno_was = errno;
		close(fd);
		return err_set(e, "%s: %s", f->path, strerror(errno_was));
	}
	f->fd = fd;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->offset = 0;
	f->line_no = 0;
	f->n = 0;
	f->skipping = 0;
	f->behind = 0;
	return 0;
}

int follow_open(struct follow *f, const char *path, struct err *e)
{
	memset(f, 0, sizeof *f);
	f->fd = -1;
	f->old.fd = -1;
	f->old_quiet_us = FOLLOW_OLD_QUIET_US;
	f->poll_max = FOLLOW_POLL_MAX;
	if (!(f->path = strdup(path)))
		return err_set(e, "out of memory");
	return open_file(f, e);
}

void follow_close(struct follow *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->old.fd >= 0)
		close(f->old.fd);
	free(f->path);
	free(f->buf);
	free(f->old.buf);
	memset(f, 0, sizeof *f);
	f->fd = -1;
	f->old.fd = -1;
}

/* Swaps the reading state of the current file and the old one (drain and hand_over read the former). */
static void swap_old(struct follow *f)
{
	struct follow_old o = f->old;
	f->old = (struct follow_old){ f->fd, f->offset, f->line_no, f->buf, f->n, f->cap, f->skipping, f->behind,
	                              o.grew_us };
	f->fd = o.fd;
	f->offset = o.offset;
	f->line_no = o.line_no;
	f->buf = o.buf;
	f->n = o.n;
	f->cap = o.cap;
	f->skipping = o.skipping;
	f->behind = o.behind;
	f->from_old = !f->from_old;
}

/* Hands over the complete lines in buf, keeping the partial one; -1 when the callback stops (the
 * lines handed over until then, its own included, are gone from buf). */
static long hand_over(struct follow *f, follow_line_fn on_line, void *ctx, int flush)
{
	long lines = 0;
	size_t from = 0;
	if (f->skipping) { /* the rest of a line handed over cut: up to its end, not a line */
		char *nl = memchr(f->buf, '\n', f->n);
		if (!nl) {
			f->n = 0;
			return 0;
		}
		from = (size_t)(nl - f->buf) + 1;
		f->skipping = 0;
	}
	for (;;) {
		/* NUL bytes where a line would start are no line: the hole a writer leaves when it
		 * writes on at its offset into a file truncated in place (logrotate's copytruncate) */
		while (from < f->n && !f->buf[from])
			from++;
		char *nl = memchr(f->buf + from, '\n', f->n - from);
		size_t end = nl ? (size_t)(nl - f->buf) : f->n;
		if (!nl && !(flush && end > from) && end - from < FOLLOW_LINE_MAX)
			break;
		size_t len = end - from;
		if (len && f->buf[from + len - 1] == '\r')
			len--;
		f->line_no++;
		lines++;
		int stop = on_line(ctx, f->buf + from, len, f->line_no) != 0;
		from = nl ? end + 1 : end; /* handed over, whether or not the callback stops: not again */
		if (!nl)
			f->skipping = !flush; /* cut at FOLLOW_LINE_MAX: its rest is passed over */
		if (stop) {
			lines = -1;
			break;
		}
		if (!nl)
			break;
	}
	memmove(f->buf, f->buf + from, f->n - from);
	f->n -= from;
	return lines;
}

/* Reads the current file to its end, or poll_max bytes of it (behind), handing lines over; -1
 * with e set. */
static long drain(struct follow *f, follow_line_fn on_line, void *ctx, struct err *e)
{
	long lines = 0;
	size_t left = f->poll_max;
	f->behind = 0;
	for (;;) {
		if (!left) {
			f->behind = 1;
			return lines;
		}
		if (f->cap - f->n < 65536) {
			size_t cap = f->cap ? f->cap * 2 : 131072;
			char *p = realloc(f->buf, cap);
			if (!p)
				return err_set(e, "out of memory");
			f->buf = p;
			f->cap = cap;
		}
		ssize_t got = read(f->fd, f->buf + f->n, f->cap - f->n < left ? f->cap - f->n : left);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return err_set(e, "%s: %s", f->path, strerror(errno));
		if (got == 0)
			return lines;
		left -= (size_t)got;
		f->n += (size_t)got;
		f->offset += (uint64_t)got;
		long k = hand_over(f, on_line, ctx, 0);
		if (k < 0)
			return err_set(e, "stopped");
		lines += k;
	}
}

/* Closes the old file when it has been quiet long enough (or `now`), handing over its last line
 * even without an end (unless its rest is unread: behind).  Returns the lines handed over, or -1
 * with e set. */
static long old_done(struct follow *f, follow_line_fn on_line, void *ctx, int now, struct err *e)
{
	if (f->old.fd < 0 || (!now && mono_us() - f->old.grew_us < f->old_quiet_us))
		return 0;
	swap_old(f);
	long k = f->behind ? 0 : hand_over(f, on_line, ctx, 1);
	close(f->fd);
	f->fd = -1;
	f->n = 0;
	f->skipping = 0;
	f->behind = 0;
	swap_old(f);
	return k < 0 ? err_set(e, "stopped") : k;
}

long follow_poll(struct follow *f, follow_line_fn on_line, void *ctx, struct err *e)
{
	struct stat st, path_st;
	if (fstat(f->fd, &st) < 0)
		return err_set(e, "%s: %s", f->path, strerror(errno));
	if ((uint64_t)st.st_size < f->offset) { /* truncated: from the start again */
		f->truncations++;
		lseek(f->fd, 0, SEEK_SET);
		f->offset = 0;
		f->line_no = 0;
		f->n = 0;
		f->skipping = 0;
	}
	long lines = drain(f, on_line, ctx, e);
	if (lines < 0)
		return -1;
	if (f->old.fd >= 0) { /* the file before the rotation: what a writer still added to it */
		swap_old(f);
		uint64_t was = f->offset;
		long k = drain(f, on_line, ctx, e);
		if (k >= 0 && f->offset != was)
			f->old.grew_us = mono_us();
		swap_old(f);
		long q = k < 0 ? -1 : old_done(f, on_line, ctx, 0, e);
		if (q < 0)
			return -1;
		lines += k + q;
	}
	/* a rotation once both files are read to their end (the old file would be closed unread) */
	if (!follow_behind(f) && stat(f->path, &path_st) == 0 && (path_st.st_dev != f->dev || path_st.st_ino != f->ino)) {
		/* rotated: the old file read to its end (above) is kept open until it is quiet; one
		 * kept from a rotation before is closed first */
		long k = old_done(f, on_line, ctx, 1, e);
		if (k < 0)
			return -1;
		free(f->old.buf);
		f->old = (struct follow_old){ f->fd, f->offset, f->line_no, f->buf, f->n, f->cap, f->skipping, 0, mono_us() };
		f->fd = -1;
		f->buf = NULL;
		f->n = f->cap = 0;
		f->rotations++;
		long q = old_done(f, on_line, ctx, 0, e); /* at once when old_quiet_us is 0 */
		if (q < 0 || open_file(f, e) < 0)
			return -1;
		long more = drain(f, on_line, ctx, e);
		if (more < 0)
			return -1;
		lines += k + q + more;
	}
	return lines;
}

long follow_finish(struct follow *f, follow_line_fn on_line, void *ctx, struct err *e)
{
	long k = old_done(f, on_line, ctx, 1, e); /* the old file's lines come before the new one's */
	if (k < 0)
		return -1;
	if (f->fd < 0 || !f->n || f->behind)
		return k;
	long m = hand_over(f, on_line, ctx, 1);
	return m < 0 ? err_set(e, "stopped") : k + m;
}
