/*
 * Error reports: formatting into the caller's fixed buffer, truncating rather
 * than failing, so that reporting an error can never itself fail.
 */
#include "sim/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;
	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

int err_prefix(struct err *e, const char *fmt, ...)
{
	char head[512];
	va_list ap;
	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	size_t h = strlen(head), o = strnlen(e->msg, sizeof e->msg - 1);
	if (h + o > sizeof e->msg - 1)
		o = sizeof e->msg - 1 - h;
	memmove(e->msg + h, e->msg, o);
	memcpy(e->msg, head, h);
	e->msg[h + o] = 0;
	return -1;
}
