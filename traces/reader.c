/*
 * Line reader over the file's own reads, inflating gzip (by its magic bytes,
 * member after member) and passing anything else through.  Every read first
 * polls the input together with an optional wake pipe, so a stop request ends
 * a read that waits on a quiet pipe or terminal, with no window between the
 * check and the wait.  An SQLite file (a store given where a trace goes) is
 * refused at open, before anything reads it as lines.  The buffer grows to
 * hold the longest line up to READER_MAX_LINE; past that the line is skipped
 * to its newline, keeping only its head.
 */
#include "traces/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "traces/text.h"

#define CHUNK (1u << 20)
#define IN_CHUNK (256u * 1024) /* a read of the file */

int reader_is_sqlite(int fd)
{
	static const char sqlite_magic[16] = "SQLite format 3"; /* and its NUL */
	char head[sizeof sqlite_magic];
	return pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head && !memcmp(head, sqlite_magic, sizeof head);
}

int reader_refuse_sqlite(int fd, const char *path, struct err *e)
{
	int in = strcmp(path, "-") == 0;
	if (!reader_is_sqlite(fd))
		return 0;
	char *word = in ? NULL : text_shell_word(path);
	const char *db = in ? "FILE" : word ? word : path;
	err_set(e, "%s: is an SQLite database (an llmcost store?), not a JSON Lines trace: "
	        "name one of its traces and pass --db %s (`llmcost traces --db %s` lists them)",
	        in ? "standard input" : path, db, db);
	free(word);
	return -1;
}

enum reader_kind reader_kind_of(const char *path)
{
	struct stat st;
	/* stat first, so that a FIFO or a device is not even opened (an open has effects there);
	 * then the type is checked again on what was opened: a path swapped for a FIFO in between
	 * cannot make the open block (O_NONBLOCK), nor be read as the file stat saw */
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return READER_NONE;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return READER_NONE;
	enum reader_kind kind = READER_NONE;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0) /* a file's reads as usual */
		kind = reader_is_sqlite(fd) ? READER_SQLITE : READER_OTHER;
	close(fd);
	return kind;
}

int reader_open(struct reader *r, const char *path, int wake_fd, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->path = path;
	r->wake_fd = wake_fd;
	int in = strcmp(path, "-") == 0;
	int fd = in ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			close(fd);
			return err_set(e, "%s: is a directory", path);
		}
		if (S_ISREG(st.st_mode))
			r->file_bytes = (uint64_t)st.st_size;
	}
	if (reader_refuse_sqlite(fd, path, e) < 0) {
		close(fd);
		return -1;
	}
	r->fd = fd;
	r->buf = malloc(CHUNK + 1);
	r->in = malloc(IN_CHUNK);
	if (!r->buf || !r->in) {
		reader_close(r);
		return err_set(e, "%s: out of memory", path);
	}
	r->cap = CHUNK;
	return 0;
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	if (r->z) {
		inflateEnd(r->z);
		free(r->z);
	}
	if (r->fd >= 0)
		close(r->fd);
	free(r->buf);
	free(r->in);
	memset(r, 0, sizeof *r);
	r->fd = -1;
}

/*
 * Reads into r->in after the bytes still there.  Returns bytes read, 0 at the
 * end of the file or when woken (r->woken), -1 with e set.
 */
static long read_more(struct reader *r, struct err *e)
{
	if (r->in_at > 0) {
		memmove(r->in, r->in + r->in_at, r->in_len);
		r->in_at = 0;
	}
	for (;;) {
		if (r->wake_fd >= 0) {
			struct pollfd p[2] = { { r->fd, POLLIN, 0 }, { r->wake_fd, POLLIN, 0 } };
			if (poll(p, 2, -1) < 0 && errno != EINTR)
				return err_set(e, "%s: %s", r->path, strerror(errno));
			if (p[1].revents) {
				r->woken = 1;
				return 0;
			}
			if (!p[0].revents)
				continue;
		}
		ssize_t got = read(r->fd, r->in + r->in_len, IN_CHUNK - r->in_len);
		if (got >= 0) {
			r->in_len += (size_t)got;
			r->raw_bytes += (uint64_t)got;
			r->raw_eof = got == 0;
			return got;
		}
		if (errno != EINTR || r->wake_fd < 0) /* with no pipe, a signal ends the reading */
			return err_set(e, "%s: %s", r->path, strerror(errno));
	}
}

/* 1 when the bytes at r->in start a gzip member (1f 8b); reads until two are there or the end. */
static int gzip_next(struct reader *r, struct err *e)
{
	while (r->in_len < 2 && !r->raw_eof && !r->woken)
		if (read_more(r, e) < 0)
			return -1;
	const unsigned char *b = r->in + r->in_at;
	return r->in_len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* Starts the reading: gzip or plain by the first bytes.  -1 with e set. */
static int sniff(struct reader *r, struct err *e)
{
	r->sniffed = 1;
	int gz = gzip_next(r, e);
	if (gz <= 0)
		return gz;
	if (!(r->z = calloc(1, sizeof(z_stream))) || inflateInit2(r->z, 15 + 16) != Z_OK)
		return err_set(e, "%s: out of memory", r->path);
	return 0;
}

/* Up to room bytes of the plain text into dst: 0 at the end (or woken), -1 with e set. */
static long produce(struct reader *r, char *dst, size_t room, struct err *e)
{
	if (!r->sniffed && sniff(r, e) < 0)
		return -1;
	for (;;) {
		if (!r->in_len && !r->raw_eof && !r->woken && read_more(r, e) < 0)
			return -1;
		if (r->woken || r->z_done)
			return 0;
		if (!r->z) { /* plain */
			size_t n = r->in_len < room ? r->in_len : room;
			memcpy(dst, r->in + r->in_at, n);
			r->in_at += n;
			r->in_len -= n;
			if (n || r->raw_eof)
				return (long)n;
			continue;
		}
		z_stream *z = r->z;
		z->next_in = r->in + r->in_at;
		z->avail_in = (uInt)r->in_len;
		z->next_out = (Bytef *)dst;
		z->avail_out = (uInt)room;
		int rc = inflate(z, Z_NO_FLUSH);
		size_t used = r->in_len - z->avail_in, made = room - z->avail_out;
		r->in_at += used;
		r->in_len -= used;
		if (rc == Z_STREAM_END) {
			int more = gzip_next(r, e); /* another member follows, or the end */
			if (more < 0)
				return -1;
			if (more)
				inflateReset(z);
			else if (r->in_len)
				return r->damaged = 1, err_set(e, "%s: not gzip data after byte %llu of the file",
				                               r->path, (unsigned long long)reader_offset(r));
			else
				r->z_done = 1;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return r->damaged = 1, err_set(e, "%s: damaged gzip data near byte %llu of the file (%s)",
			                               r->path, (unsigned long long)reader_offset(r),
			                               z->msg ? z->msg : "inflate failed");
		}
		if (made || r->z_done)
			return (long)made;
		if (!used) { /* inflate waits for more of the file */
			if (r->raw_eof || r->in_len == IN_CHUNK)
				return r->damaged = 1, err_set(e, "%s: the gzip data ends early (a file cut short?)", r->path);
			if (read_more(r, e) < 0)
				return -1;
		}
	}
}

/* Reads more input after r->end, growing the buffer up to `want` bytes of room.
 * Returns bytes read (0 at the end), -1 on error. */
static long fill(struct reader *r, size_t want, struct err *e)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->scan -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap && r->cap < want) {
		size_t cap = r->cap * 2 < want ? r->cap * 2 : want;
		char *b = realloc(r->buf, cap + 1);
		if (!b)
			return err_set(e, "%s: out of memory", r->path);
		r->buf = b;
		r->cap = cap;
	}
	size_t room = r->cap - r->end;
	if (room > CHUNK)
		room = CHUNK;
	if (room == 0)
		return 0;
	long n = produce(r, r->buf + r->end, room, e);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return n;
}

int reader_next(struct reader *r, const char **line, size_t *len, uint64_t *full_len, struct err *e)
{
	for (;;) {
		char *nl = memchr(r->buf + r->scan, '\n', r->end - r->scan);
		size_t n;
		if (nl) {
			n = (size_t)(nl - (r->buf + r->start));
			r->scan = (size_t)(nl - r->buf) + 1;
		} else if (r->eof) {
			if (r->start == r->end)
				return 0;
			n = r->end - r->start; /* a last line without newline */
			r->scan = r->end;
		} else if (r->end - r->start > READER_MAX_LINE) {
			/* too long: keep the head, skip to the newline, count the length */
			uint64_t total = r->end - r->start;
			memmove(r->buf, r->buf + r->start, READER_KEEP);
			r->start = 0;
			for (;;) {
				r->end = r->scan = READER_KEEP;
				long got = fill(r, r->cap, e);
				if (got < 0)
					return -1;
				char *q = memchr(r->buf + READER_KEEP, '\n', r->end - READER_KEEP);
				if (q) {
					total += (uint64_t)(q - (r->buf + READER_KEEP));
					r->scan = (size_t)(q - r->buf) + 1;
					break;
				}
				total += r->end - READER_KEEP;
				if (got == 0) {
					r->end = r->scan = READER_KEEP;
					break;
				}
			}
			r->line_no++;
			*line = r->buf + r->start;
			*len = READER_KEEP;
			*full_len = total;
			r->start = r->scan;
			return 1;
		} else {
			r->scan = r->end;
			if (fill(r, READER_MAX_LINE + CHUNK, e) < 0)
				return -1;
			continue;
		}
		r->line_no++;
		*line = r->buf + r->start;
		r->start = r->scan;
		if (n > READER_MAX_LINE) { /* whole in the buffer, and too long all the same */
			*len = READER_KEEP;
			*full_len = n;
			return 1;
		}
		if (n > 0 && (*line)[n - 1] == '\r')
			n--;
		*len = n;
		*full_len = n;
		return 1;
	}
}

uint64_t reader_offset(const struct reader *r)
{
	return r->raw_bytes - r->in_len;
}
