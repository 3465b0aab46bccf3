/*
 * RFC 4180 CSV records (Helicone's `export --format csv`): fields separated by
 * commas, a field in double quotes may hold commas, line breaks and quotes
 * written twice ("").  One record is split at a time; the import joins the lines
 * of a record whose quoted field goes on (csv_open).  Nothing here allocates.
 */
#ifndef TRACES_CSV_H
#define TRACES_CSV_H

#include <stddef.h>

struct csv_field {
	const char *s;              /* decoded (quotes and "" undone) */
	size_t n;
};

/* 1 when the line text[0..len) ends inside a quoted field, 0 when not: quoted says whether it
 * begins inside one (the line before ended so), else it begins a record.  A field's first byte
 * alone opens quotes; a quote elsewhere opens nothing (csv_split rejects it), so that it costs
 * one record, not the rest of the file.  The record goes on on the next line while 1. */
int csv_open(const char *text, size_t len, int quoted);
/*
 * Splits the record text[0..len) into at most max fields, each decoded into out (room for len
 * bytes): the count, or -1 with *why (a quote inside an unquoted field, text after a closing
 * quote, a quoted field never closed, more than max fields) and *at the byte it is at.
 */
int csv_split(const char *text, size_t len, char *out, struct csv_field *f, size_t max, const char **why,
              size_t *at);

#endif
