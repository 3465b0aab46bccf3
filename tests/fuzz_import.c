/*
 * libFuzzer target for an import's choice of format (traces/import.c): the input,
 * as a file named .jsonl or .bin (by its first byte), imported with --format auto
 * into a store in memory, whole documents, cut lines and all, replacing the last.  The
 * import either succeeds, rejects (--strict, by the first byte) or fails with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/util_tmp.h"
#include "traces/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

static char dir[200], path[2][232];

static void remove_dir(void)
{
	unlink(path[0]);
	unlink(path[1]);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct store s;
	static int ready;
	struct err e = { "" };
	if (!ready) {
		if (test_tmpdir("fuzz_import", dir, sizeof dir) < 0 || store_open(&s, ":memory:", &e) < 0)
			abort();
		snprintf(path[0], sizeof path[0], "%s/in.jsonl", dir);
		snprintf(path[1], sizeof path[1], "%s/in.bin", dir);
		atexit(remove_dir);
		ready = 1;
	}
	if (n < 1)
		return 0;
	const char *file = path[data[0] & 1];
	FILE *f = fopen(file, "wb");
	if (!f || fwrite(data + 1, 1, n - 1, f) != n - 1 || fclose(f) != 0)
		abort();
	struct import_opts o = { .name = "t", .replace = 1, .strict = (data[0] & 2) != 0 };
	struct store_trace_info info;
	const char *files[] = { file };
	enum import_status st = import_files(&s, files, 1, &o, &info, &e);
	if (st != IMPORT_OK && st != IMPORT_REJECTED && st != IMPORT_FAILED && st != IMPORT_UNREADABLE &&
	    st != IMPORT_EMPTY) /* a trace of no request, which --replace refuses over one of some */
		abort();
	if (st != IMPORT_OK && !e.msg[0])
		abort(); /* a failure always says why */
	if (st == IMPORT_OK && (info.requests < 0 || info.rejects < 0))
		abort();
	unlink(file);
	return 0;
}
