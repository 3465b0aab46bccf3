/*
 * Line reader for trace files: plain or gzip-compressed (told apart by the
 * gzip magic bytes), or standard input for "-".  Lines may be of any length; one
 * longer than READER_MAX_LINE is returned cut to READER_KEEP bytes with its
 * full length, so a file of garbage never exhausts memory.  The reader owns
 * its buffer; a returned line is valid until the next call.
 */
#ifndef TRACES_READER_H
#define TRACES_READER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

#define READER_MAX_LINE (64u << 20) /* longest line parsed */
#define READER_KEEP (1u << 20)      /* bytes kept of a longer line */

struct reader {
	const char *path;           /* as given ("-" for stdin) */
	int fd, wake_fd;            /* the input; a pipe whose byte ends the reading, or -1 */
	void *z;                    /* z_stream while the input is gzip, else NULL */
	unsigned char *in;          /* bytes read from fd: in_len of them from in_at */
	size_t in_at, in_len;
	uint64_t raw_bytes;         /* read from fd */
	int sniffed, raw_eof, z_done, woken;
	int damaged;                /* the last error was the data's (gzip damaged, cut short, or
	                             * followed by other bytes), not the system's */
	char *buf;                  /* the text: lines from start, searched up to scan, to end */
	size_t cap, start, end, scan;
	int eof;
	uint64_t line_no;           /* of the line last returned, from 1 */
	uint64_t file_bytes;        /* size on disk, 0 when unknown (stdin, pipes) */
};

/*
 * Opens path ("-" = standard input).  When wake_fd is not -1, a byte to read
 * on it ends the reading as if at the end of the file, with r->woken set (a
 * signal handler writes it after recording a stop).  Returns 0 or -1 with e
 * naming the file.
 */
int reader_open(struct reader *r, const char *path, int wake_fd, struct err *e);

/* 1 when the file open on fd is an SQLite database (a store, say), by its first 16 bytes. */
int reader_is_sqlite(int fd);

/* -1 with e saying what it is and what to do (name a trace, --db PATH) when the file open on
 * fd is an SQLite database, given as the trace file path ("-": standard input); else 0.  Every
 * command that reads a trace file refuses a store with these words. */
int reader_refuse_sqlite(int fd, const char *path, struct err *e);

/* What the file at path is, without waiting on a pipe: READER_SQLITE, READER_OTHER (a regular
 * file of some bytes that is not SQLite), or READER_NONE (absent, empty, or not a regular file). */
enum reader_kind { READER_NONE, READER_SQLITE, READER_OTHER };
enum reader_kind reader_kind_of(const char *path);
void reader_close(struct reader *r);

/*
 * The next line without its "\n" (and a "\r" before it).  Returns 1 with
 * *line, *len and *full_len (the line's real length, larger than *len only for
 * a line cut at READER_MAX_LINE), 0 at the end, -1 on a read error or damaged
 * gzip data (e filled).
 */
int reader_next(struct reader *r, const char **line, size_t *len, uint64_t *full_len, struct err *e);

/* Bytes of the file consumed so far (compressed bytes for .gz), for progress. */
uint64_t reader_offset(const struct reader *r);

#endif
