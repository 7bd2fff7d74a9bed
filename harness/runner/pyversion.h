/* pyversion.h - facts about the CPython interpreter that the runner reproduces and libatx
 * never reads, one row per era, looked up by the version --profile names. */
#ifndef RUNNER_PYVERSION_H
#define RUNNER_PYVERSION_H

#include "callargs.h"

/* multiprocessing's start methods (Lib/multiprocessing/context.py). */
typedef enum start_method {
    START_FORK,      /* the child is a fork of the parent: it inherits the registry */
    START_SPAWN,     /* a fresh interpreter that imports the main module again */
    START_FORKSERVER /* a fork of a server process; the main module is imported again */
} start_method;

/* Where atexit keeps its handlers, which decides what importing it again does. */
typedef enum atexit_state {
    ATEXIT_PYTHON_LIST,   /* Lib/atexit.py's list (2.7): a module imported again has a new
                             list, whose first entry is what sys.exitfunc was (the old
                             module's run), and becomes sys.exitfunc; reload empties the
                             list the same way; the shutdown calls sys.exitfunc. A module
                             no longer referenced has its globals set to None: its
                             _run_exitfuncs then runs nothing */
    ATEXIT_NEWEST_MODULE, /* the module object's, found by PyState_FindModule (3.0-3.6):
                             as below, but any module's _run_exitfuncs runs the newest
                             module's handlers */
    ATEXIT_MODULE_STATE,  /* the module object's (3.7-3.9): a module imported again starts
                             empty and only the newest is run at shutdown; reload does
                             nothing; sys.exitfunc is not read */
    ATEXIT_INTERPRETER    /* the interpreter's (3.10+, bpo-42639): every module object
                             shares one registry */
} atexit_state;

typedef struct pyversion {
    const char *name;             /* the era, e.g. "3.9-3.13": versions sharing a row
                                     share it, and no two rows have the same */
    int interrupt_kills;          /* an uncaught KeyboardInterrupt ends the process by
                                     SIGINT after the handlers ran (3.8+, bpo-1054041),
                                     else status 1 */
    const char *missing_function; /* the AttributeError message (a format taking the
                                     name) for an atexit function the era lacks */
    start_method default_start;   /* multiprocessing's default on Linux: fork up to
                                     3.13, forkserver from 3.14 (gh-84559) */
    int child_exit_none_is_zero;  /* a multiprocessing child whose target calls
                                     sys.exit() or sys.exit(None) exits 0 (3.9+: _bootstrap
                                     reads SystemExit.code); before, 1, printing "None"
                                     for sys.exit(None) */
    /* The recursion limit (sys.getrecursionlimit(), 1000), as pystack.c counts it. */
    const char *recursion_error;  /* its type: RuntimeError on 2.7, else RecursionError */
    int c_call_levels;            /* what C calling a Python callable takes (atexit
                                     calling a handler): 1 up to 3.12, where the call
                                     itself checks the limit; 0 from 3.13, which counts
                                     Python frames only */
    int report_levels;            /* what reporting a failure takes: 3.9 checks the
                                     limit once, 3.10-3.12 twice (the unraisable hook,
                                     the callable's repr), printing nothing at all when
                                     they fail; 0: reports are printed at any depth */
    int thread_name_target;       /* a thread is named "Thread-N (TARGET)" (3.10+), else
                                     "Thread-N" */
    int thread_report_by_python;  /* threading's report of an exception escaping a thread
                                     is Python's traceback module's, ending with a blank
                                     line (up to 3.7); from 3.8 threading.excepthook's,
                                     which is C code */
    callargs_style call_style;    /* a call's arity check and its TypeError (callargs.h):
                                     2.7's; 3.x's (3.6's rules); __qualname__ from 3.10;
                                     "Did you mean" from 3.13 */
    int main_names_qualified;     /* C code names a class of the main module
                                     "__main__.NAME" (2.7-3.10); from 3.11 "NAME" */
    int int_takes_x_keyword;      /* int(x=...) is accepted (2.7-3.6) */
    atexit_state atexit_state;
    int shutdown_forbids_starts;  /* a handler run at shutdown cannot start a thread or
                                     fork: RuntimeError (3.12, gh-104690, measured on
                                     3.12.1; 3.13 allows both again) */
    int traceback_from_frame;     /* a failure raised by C code with no frame of its own
                                     is reported with a "Traceback" line when Python
                                     code is running (an explicit run): the unraisable
                                     hook builds one from the running frame (3.10+) */
} pyversion;

/* The facts of CPython "X.Y" or "X.Y.Z" (decimal parts; any X.Y of 2.7 or
 * 3.0-3.14), or NULL for anything else, NULL included; X and Y go to *major and
 * *minor (untouched on NULL). The row is static. Thread-safe. */
const pyversion *pyversion_find(const char *version, int *major, int *minor);

#endif
