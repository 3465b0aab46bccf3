/*
 * Outcome classes of one model call, shared by the trace model, the scenario
 * policies (retry.on, fallback.on, billing.failed, faults) and the engine.
 * The order is the SPEC's (§2, §10): ok first, then the three transient
 * infrastructure classes, then the request's own errors.  Pure data.
 */
#ifndef SIM_STATUS_H
#define SIM_STATUS_H

enum status {
	STATUS_OK,
	STATUS_TIMEOUT,
	STATUS_RATE_LIMITED,
	STATUS_SERVER_ERROR,
	STATUS_INVALID_REQUEST,
	STATUS_CONTENT_FILTER,
	STATUS_CONTEXT_LENGTH,
	N_STATUS
};

/* The names as written in traces and scenarios, indexed by enum status. */
extern const char *const status_names[N_STATUS];

/* The class named `name` (exact, case-sensitive), or -1 when there is none. */
int status_from_name(const char *name);

/* 1 for TRANSIENT_INFRA: timeout, rate_limited, server_error. */
static inline int status_is_transient(enum status s)
{
	return s == STATUS_TIMEOUT || s == STATUS_RATE_LIMITED || s == STATUS_SERVER_ERROR;
}

#endif
