/*
 * Line reader over zlib's gz* stream, which passes plain files through
 * untouched.  An SQLite file (a store given where a trace goes) is refused at
 * open, before anything reads it as lines.  The buffer grows to hold the
 * longest line up to READER_MAX_LINE; past that the line is skipped to its
 * newline, keeping only its head.
 */
#include "traces/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define CHUNK (1u << 20)

int reader_open(struct reader *r, const char *path, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->path = path;
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
	static const char sqlite_magic[16] = "SQLite format 3"; /* and its NUL */
	char head[sizeof sqlite_magic];
	if (pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
	    !memcmp(head, sqlite_magic, sizeof head)) {
		close(fd);
		return err_set(e, "%s: is an SQLite database (an llmcost store?), not a JSON Lines trace: "
		               "name one of its traces and pass --db %s (`llmcost traces --db %s` lists them)",
		               in ? "standard input" : path, in ? "FILE" : path, in ? "FILE" : path);
	}
	r->gz = gzdopen(fd, "rb");
	r->buf = malloc(CHUNK + 1);
	if (!r->gz || !r->buf) {
		if (r->gz)
			gzclose(r->gz);
		else
			close(fd);
		free(r->buf);
		r->gz = NULL;
		r->buf = NULL;
		return err_set(e, "%s: out of memory", path);
	}
	gzbuffer(r->gz, 256 * 1024);
	r->cap = CHUNK;
	return 0;
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	free(r->buf);
	r->gz = NULL;
	r->buf = NULL;
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
	int n = gzread(r->gz, r->buf + r->end, (unsigned)room);
	if (n < 0) {
		int code;
		const char *msg = gzerror(r->gz, &code);
		return err_set(e, "%s: %s", r->path, code == Z_ERRNO ? strerror(errno) : msg);
	}
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
		} else if (r->end - r->start >= READER_MAX_LINE) {
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
		if (n > 0 && (*line)[n - 1] == '\r')
			n--;
		*len = n;
		*full_len = n;
		return 1;
	}
}

uint64_t reader_offset(const struct reader *r)
{
	long off = r->gz ? gzoffset(r->gz) : 0;
	return off > 0 ? (uint64_t)off : 0;
}
