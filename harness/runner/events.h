/* events.h - the structured event log and the unbuffered standard output. */
#ifndef RUNNER_EVENTS_H
#define RUNNER_EVENTS_H

#include <atx.h>

#include "text.h"

/* One line on the event descriptor (runtime.h), never stdout/stderr; nothing
 * without one. */
void event_emit(const char *line);
/* NAME(ARG, ..., KEY=VALUE) with keywords sorted, as prelude.py's _call_text;
 * args holds case values (NULL: none). */
void call_text(text *out, const char *name, const atx_args *args);
/* The frames _call_text takes for args: itself, and _fmt's of its deepest value. */
int call_text_levels(const atx_args *args);
/* Writes all of s to stdout (unbuffered, like python -u). */
void out_write(const char *s);
/* Writes line and a newline to stdout as one write, then frees line. */
void out_line(text *line);
/* The same on stderr (sys.stderr.write, unbuffered like python -u). */
void err_line(text *line);

#endif
