/*
 * `llmcost replay`'s warnings and notes on stderr (tui/replay_notes.c).
 */
#ifndef TUI_REPLAY_NOTES_H
#define TUI_REPLAY_NOTES_H

#include <stddef.h>

struct result_scenario;
struct scenario;
struct trace;
struct trace_summary;

/* Warns when a recorded scenario's billed cost differs from its priced cost by over 0.5%. */
void replay_check_billed(const struct result_scenario *r, const struct scenario *sc);
/* Notes, once per scenario, on routes that name none of the trace's models, a cache that can
 * never hit, and (once) a trace spanning under an hour, which the projection scales to a month. */
void replay_notes(const struct trace *t, const struct trace_summary *ts, const struct scenario *sc, size_t n);

#endif
