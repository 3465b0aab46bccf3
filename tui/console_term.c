/*
 * Why curses could not take the terminal, said so the user can act: TERM unset,
 * a type that terminfo lacks, or a size from LINES/COLUMNS that curses cannot
 * hold.  Apart from console.c because <term.h> defines every capability's name
 * (lines, columns) as a macro.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "tui/console.h"

/* Curses keeps a screen's lines and columns in a short. */
#define CONSOLE_SIZE_MAX 32767

const char *console_term_problem(char *buf, size_t n)
{
	const char *term = getenv("TERM"), *rows = getenv("LINES"), *cols = getenv("COLUMNS");
	static const char hint[] = "set TERM to your terminal's type, such as xterm-256color; for a report "
	                           "use llmcost replay";
	int found = 0;
	if (!term || !*term)
		snprintf(buf, n, "cannot use the terminal: TERM is not set (%s)", hint);
	else if (setupterm((char *)term, STDOUT_FILENO, &found) == ERR)
		snprintf(buf, n, "cannot use the terminal \"%s\": %s (%s)", term, found < 0 ?
		         "no terminfo database was found" : "terminfo has no such terminal type", hint);
	else if ((rows && atol(rows) > CONSOLE_SIZE_MAX) || (cols && atol(cols) > CONSOLE_SIZE_MAX))
		snprintf(buf, n, "cannot use the terminal \"%s\" at the size the environment sets,%s%s%s%s: "
		         "curses takes at most %d lines and %d columns (unset LINES and COLUMNS for the "
		         "terminal's own size)", term, rows ? " LINES=" : "", rows ? rows : "",
		         cols ? " COLUMNS=" : "", cols ? cols : "", CONSOLE_SIZE_MAX, CONSOLE_SIZE_MAX);
	else
		snprintf(buf, n, "cannot use the terminal \"%s\"", term);
	if (found > 0 && cur_term)
		del_curterm(cur_term);
	return buf;
}

const char *console_term_no_cursor(const char *who, char *buf, size_t n)
{
	const char *cup = tigetstr("cup"), *term = getenv("TERM");
	if (cup && cup != (char *)-1)
		return NULL;
	snprintf(buf, n, "the terminal \"%s\" cannot move the cursor, which %s needs (set TERM to your terminal's "
	         "type, such as xterm-256color; for a report use llmcost replay)", term ? term : "", who);
	return buf;
}
