/* What reader_kind_of tells of a path (traces/reader.h), which gen -o and the store's open ask
 * before touching it: never blocking on a FIFO, whose open would wait for a writer. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/test.h"
#include "tests/util_tmp.h"
#include "traces/reader.h"

static void put(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		fwrite(bytes, 1, n, f);
		fclose(f);
	}
}

/* A regular file of some bytes, an SQLite file (its 16-byte header), an empty file, a folder,
 * a FIFO with no writer (this would hang if the FIFO were opened without O_NONBLOCK) and
 * nothing at all. */
static void reader_kinds(void)
{
	char dir[512], p[600];
	if (test_tmpdir("reader-kind", dir, sizeof dir) < 0) {
		CHECK(0);
		return;
	}
	snprintf(p, sizeof p, "%s/t.jsonl", dir);
	put(p, "{}\n", 3);
	CHECK_INT(reader_kind_of(p), READER_OTHER);
	remove(p);
	snprintf(p, sizeof p, "%s/s.db", dir);
	put(p, "SQLite format 3\0more", 20);
	CHECK_INT(reader_kind_of(p), READER_SQLITE);
	remove(p);
	snprintf(p, sizeof p, "%s/empty", dir);
	put(p, "", 0);
	CHECK_INT(reader_kind_of(p), READER_NONE);
	remove(p);
	snprintf(p, sizeof p, "%s/sub", dir);
	CHECK_INT(mkdir(p, 0700), 0);
	CHECK_INT(reader_kind_of(p), READER_NONE);
	rmdir(p);
	snprintf(p, sizeof p, "%s/fifo", dir);
	CHECK_INT(mkfifo(p, 0600), 0);
	CHECK_INT(reader_kind_of(p), READER_NONE);
	remove(p);
	snprintf(p, sizeof p, "%s/none", dir);
	CHECK_INT(reader_kind_of(p), READER_NONE);
	CHECK_INT(rmdir(dir), 0);
}

void suite_reader(void)
{
	RUN(reader_kinds);
}
