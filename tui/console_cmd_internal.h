/*
 * What the files of the console's command line share and nothing else sees:
 * the console that owns readline's editor (console_cmd.c), the argument word
 * splitter of the commands (console_cmd_exec.c), and the completion
 * functions (console_cmd_complete.c) that readline and the command table call.
 */
#ifndef TUI_CONSOLE_CMD_INTERNAL_H
#define TUI_CONSOLE_CMD_INTERNAL_H

#include "tui/console.h"

/* The console whose line editor is open, or NULL: readline's callbacks take no context. */
extern struct console *console_cmd_c;

/* Splits off the first word of *args (in place); returns it, *args then the rest. */
char *console_cmd_word(char **args);

/* readline's attempted-completion function for the ':' line (NULL: no candidates). */
char **console_cmd_complete(const char *text, int start, int end);
/* Quoting for file names completed (readline's filename quoting and dequoting functions). */
char *console_cmd_quote(char *text, int match_type, char *qp);
char *console_cmd_dequote(char *text, int q);
/* One step of reading a word quoted as sh quotes it, at *p within *quote (0: none, else the
 * open quote): the byte it stands for (a backslash escaping any byte outside quotes, and only
 * $ ` " \ in double quotes; *p then on the byte escaped), or -1 for a quote opened or closed. */
int console_cmd_unquote(const char **p, char *quote);

/* The command table's completers: the candidates for argument argno (0 the first) that start
 * with text, in *out as a NULL-terminated array the caller frees (NULL: none). */
int console_cmd_comp_trace(struct console *c, const char *text, int argno, const char *line,
                           char ***out);
int console_cmd_comp_add(struct console *c, const char *text, int argno, const char *line,
                         char ***out);
int console_cmd_comp_label(struct console *c, const char *text, int argno, const char *line,
                           char ***out);
int console_cmd_comp_set(struct console *c, const char *text, int argno, const char *line,
                         char ***out);
int console_cmd_comp_export(struct console *c, const char *text, int argno, const char *line,
                            char ***out);
int console_cmd_comp_save(struct console *c, const char *text, int argno, const char *line,
                          char ***out);
int console_cmd_comp_help(struct console *c, const char *text, int argno, const char *line,
                          char ***out);

#endif
