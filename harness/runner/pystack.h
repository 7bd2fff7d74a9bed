/* pystack.h - Python's recursion limit as each version counts it, per thread. */
#ifndef RUNNER_PYSTACK_H
#define RUNNER_PYSTACK_H

#include "exceptions.h"

/* What takes a level of the limit (sys.getrecursionlimit(): 1000). */
typedef enum pystack_level {
    LEVEL_FRAME,  /* a Python function's frame: a handler, an __eq__, a lambda */
    LEVEL_C_CALL, /* C calling a Python callable (atexit calling a handler): the call
                     checks the limit in some versions (pyversion.h c_call_levels) */
    LEVEL_COMPARE /* a rich comparison (unregister's ==), which checks it too */
} pystack_level;

/* Takes one level: NULL, or the exception CPython raises there (RecursionError,
 * RuntimeError on 2.7: "maximum recursion depth exceeded", with " while calling a
 * Python object" or " in comparison" where a C call or a comparison checks it); on
 * an exception the level is not taken. The caller owns what is returned. */
pyexc *pystack_enter(pystack_level level);
/* Gives back a level pystack_enter took. */
void pystack_leave(pystack_level level);
/* Whether Python code about to call helpers nested levels deep (the prelude's
 * _call_text for an event, say) fits: NULL, or the RecursionError raised in the
 * deepest of them (a Python frame: it has a traceback). */
pyexc *pystack_need(int levels);
/* Whether Python code is running in this thread (a frame is on its stack). */
int pystack_in_python(void);
/* Whether a failure report fits under the limit where it is made: 3.9-3.12 need
 * levels of their own, and print nothing without them. */
int pystack_report_fits(void);
/* Sets this thread's depth: a new thread starts in threading's bootstrap frames, the
 * main thread in its module's; when main has ended, no Python frame is running. */
void pystack_set_depth(int frames);

#endif
