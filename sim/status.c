/*
 * Outcome classes: the name table and the transient test.  The names are the
 * trace and scenario spelling; the enum order is the SPEC's class order, which
 * the engine also uses to pick a class from recorded failure counts.
 */
#include "sim/status.h"

#include <string.h>

const char *const status_names[N_STATUS] = {
	[STATUS_OK] = "ok",
	[STATUS_TIMEOUT] = "timeout",
	[STATUS_RATE_LIMITED] = "rate_limited",
	[STATUS_SERVER_ERROR] = "server_error",
	[STATUS_INVALID_REQUEST] = "invalid_request",
	[STATUS_CONTENT_FILTER] = "content_filter",
	[STATUS_CONTEXT_LENGTH] = "context_length",
};

int status_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < N_STATUS; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}
