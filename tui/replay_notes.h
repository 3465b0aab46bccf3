/*
 * The billed cost's warning and the notes on figures that mean less than they seem
 * (tui/replay_notes.c), each composed once and handed as one line of text to a sink:
 * `llmcost replay` prints them on stderr, the console shows them on its status line
 * and beside the scenarios' columns.  The text is borrowed for the sink's call.
 */
#ifndef TUI_REPLAY_NOTES_H
#define TUI_REPLAY_NOTES_H

#include <stddef.h>

struct result_scenario;
struct scenario;
struct trace;
struct trace_summary;

/* A note about every scenario given (the span's, when they share one month's length). */
#define REPLAY_NOTE_EVERY ((size_t)-1)

/* Where the notes go: fn gets each one's text, a line without the "llmcost: " prefix or a
 * newline ("note: scenario \"v3 cache+routing\": …", "warning: …"), and the index of the
 * scenario it is about (REPLAY_NOTE_EVERY: all of them). */
struct replay_note_sink {
	void (*fn)(void *ctx, size_t scen, const char *text);
	void *ctx;
};

/* The sink of `llmcost replay`: each note on stderr as "llmcost: TEXT" (cli_error). */
extern const struct replay_note_sink replay_note_stderr;

/* The warnings on scenario sc's result r (i its index for the sink): a recorded scenario's
 * billed cost that differs from its priced cost by over 0.5%; a projected monthly USD too large
 * to compute (past USD 1.7 × 10^26), which the report gives as null, with the factors that made
 * it so. */
void replay_check_result(const struct result_scenario *r, const struct scenario *sc, size_t i,
                         const struct replay_note_sink *to);
/* Notes, once per scenario of sc[0..n), on routes that name none of the trace's models, a
 * cache that can never hit, and (once) a trace spanning under an hour, which the projection
 * scales to a month. */
void replay_notes(const struct trace *t, const struct trace_summary *ts, const struct scenario *const *sc,
                  size_t n, const struct replay_note_sink *to);

#endif
