/*
 * libFuzzer target for Helicone's CSV export (traces/csv.c, format_csv_rows through
 * traces/helicone.c): the input's lines joined into records as the import joins
 * them (csv_open: a quoted field open goes on on the next line), the first record
 * the header; every row must hold what the store relies on, and every rejection
 * must say why and point inside its record.  Also each record split alone
 * (csv_split), whose fields must lie within the room given.
 */
#include "tests/fuzz_format.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	static struct format_parser p;
	static int ready;
	static struct csv_field f[FORMAT_CSV_COLS];
	if (!ready) {
		format_init(&p);
		ready = 1;
	}
	const char *s = (const char *)data, *end = s + n;
	char *out = malloc(n + 1);
	if (!out)
		return 0;
	const char *why;
	size_t at;
	int k = csv_split(s, n, out, f, FORMAT_CSV_COLS, &why, &at);
	if (k < 0 ? at > n || !why[0] : k == 0)
		abort();
	for (int i = 0; i < k; i++)
		if (f[i].s < out || f[i].s + f[i].n > out + n)
			abort();
	free(out);
	format_reset(&p);
	format_csv_file(&p, 1);
	uint64_t line = 1, first = 0;
	const char *rec = NULL;
	int open = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (!rec) {
			rec = s;
			first = line;
		}
		open = csv_open(s, len, open);
		if (!open) {
			fuzz_one(&p, &format_helicone, rec, (size_t)(s + len - rec), first);
			rec = NULL;
		}
		s += len + 1;
		line++;
	}
	if (rec)
		fuzz_one(&p, &format_helicone, rec, (size_t)(end - rec), first);
	format_csv_file(&p, 0);
	return 0;
}
