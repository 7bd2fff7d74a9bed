/* exceptions.h - Python exceptions as libatx failures. */
#ifndef RUNNER_EXCEPTIONS_H
#define RUNNER_EXCEPTIONS_H

#include <atx.h>

#include "case.h"
#include "text.h"

/* What a SystemExit was raised with: multiprocessing up to 3.8 reads args, not code. */
typedef enum exit_arg { EXIT_ARG_ABSENT, EXIT_ARG_NONE, EXIT_ARG_OTHER } exit_arg;

/* A raised Python exception; its base is what libatx carries, and its release
 * frees it. */
typedef struct pyexc {
    atx_failure base;
    char *type;
    char *message;
    char *c_type;    /* base.c_type, owned */
    exit_arg arg;    /* SystemExit */
    struct pyexc *link; /* base.chained, owned: released with this one */
} pyexc;

/* A new exception of type; message may be NULL ("" prints the type alone); a
 * SystemExit gets ATX_FAILURE_EXIT. Exits the process when memory runs out. */
pyexc *exc_new(const char *type, const char *message, unsigned flags);
/* What `raise TYPE(arg)` raises (arg NULL: `raise TYPE()`); with by_sys_exit,
 * what `sys.exit(arg)` raises (type "SystemExit"; arg NULL: `sys.exit()`). A
 * SystemExit gets its exit_code from arg, and what it was raised with. */
pyexc *exc_raise(const char *type, const value *arg, int by_sys_exit);
/* A failure handed back by libatx as a pyexc: the same one when it is ours, else
 * a copy (the failure is released). */
pyexc *exc_from_failure(atx_failure *failure);
/* Python 3's `raise` in an except block: e's __context__ is what was being handled
 * (caught in a Python frame, so with a traceback); with a cause (`e.__cause__ = C`,
 * never raised: no traceback) or from_none (`e.__cause__ = None`), the context is
 * suppressed. 2.7 keeps neither. Takes context and cause (either may be NULL). */
void exc_chain(pyexc *e, pyexc *context, pyexc *cause, int from_none);

/* Python's display of e escaping a Python frame (an uncaught exception, a thread's
 * or a multiprocessing child's report): its chain (3.x), then the "Traceback" line
 * and "TYPE: MESSAGE"; by_c: as C code shows it (PyErr_Display), else as Python's
 * traceback module does. Appended to out, ending with a newline. */
void exc_display(text *out, const pyexc *e, int by_c);

/* The same as the program itself shows it (prelude.py's _exception_text: caught,
 * the unraisable hook's line): the class's name, and what str() gives. */
void exc_own_text(text *out, const atx_failure *failure);

#endif
