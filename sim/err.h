/*
 * Error reports.  A function that can fail returns -1 (or an enum) and fills the
 * caller's struct err once, at the failing site, with a message that names the
 * place: "fixtures/x.jsonl:12: input_tokens: expected a non-negative integer".
 * Outer layers may prepend context with err_prefix().  Nothing here prints.
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stddef.h>

struct err {
	char msg[1024];
};

/* Sets the message (printf format).  Returns -1 so a site can `return err_set(...)`. */
int err_set(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Puts "PREFIX" in front of the current message.  Returns -1. */
int err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
