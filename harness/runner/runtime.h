/* runtime.h - the interpreter's state: one case, its atexit module, one process. */
#ifndef RUNNER_RUNTIME_H
#define RUNNER_RUNTIME_H

#include <atx.h>

#include "case.h"
#include "pyversion.h"

typedef struct runtime {
    const case_file *c;
    atx_registry *registry;  /* the module the name atexit holds (atexit_module.h) */
    const pyversion *py;     /* the interpreter's facts for the version */
    int major, minor;        /* the version itself, X.Y */
    int events_fd;           /* -1: no event log */
    const char *profile_arg; /* what --profile said (NULL: the default) */
    int unraisable_hook;     /* sys.unraisablehook is the case's (on_unraisable) */
    int excepthook;          /* sys.excepthook is the case's (on_uncaught) */
    int finalizing;          /* shutting down: main has ended, its threads joined */
} runtime;

/* Set up by main before any step runs, then only read (threads and children
 * included), but for the hooks, which steps set, the registry, which
 * atexit_module.c replaces, and finalizing, which pyexit.c sets. */
extern runtime rt;

#endif
