/*
 * RFC 4180 CSV records (traces/csv.h).
 */
#include "traces/csv.h"

#include <string.h>

int csv_open(const char *text, size_t len, int quoted)
{
	int start = !quoted; /* at a field's start: a line begins a record, or goes on in quotes */
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (quoted) {
			if (c == '"' && i + 1 < len && text[i + 1] == '"')
				i++;
			else if (c == '"')
				quoted = 0;
		} else if (c == '"' && start) {
			quoted = 1; /* only a field's first byte opens quotes: a quote inside one is split's error */
		}
		start = !quoted && (c == ',' || c == '\n');
	}
	return quoted;
}

int csv_split(const char *text, size_t len, char *out, struct csv_field *f, size_t max, const char **why,
              size_t *at)
{
	size_t i = 0, n = 0, o = 0;
	for (;;) {
		if (n == max) {
			*why = "too many fields";
			*at = i;
			return -1;
		}
		f[n].s = out + o;
		if (i < len && text[i] == '"') {
			size_t open = i++;
			for (;;) {
				if (i >= len) {
					*why = "a quoted field is never closed";
					*at = open;
					return -1;
				}
				if (text[i] == '"' && i + 1 < len && text[i + 1] == '"') {
					out[o++] = '"';
					i += 2;
				} else if (text[i] == '"') {
					i++;
					break;
				} else {
					out[o++] = text[i++];
				}
			}
			if (i < len && text[i] != ',') {
				*why = "text after a field's closing quote";
				*at = i;
				return -1;
			}
		} else {
			for (; i < len && text[i] != ','; i++) {
				if (text[i] == '"') {
					*why = "a quote inside a field not in quotes";
					*at = i;
					return -1;
				}
				out[o++] = text[i];
			}
		}
		f[n].n = (size_t)(out + o - f[n].s);
		n++;
		if (i >= len)
			return (int)n;
		i++; /* the comma */
	}
}
