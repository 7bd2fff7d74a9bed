/* builtins.h - the builtins a case can register or call: print, int, len, sys.exit. */
#ifndef RUNNER_BUILTINS_H
#define RUNNER_BUILTINS_H

#include <atx.h>

#include "exceptions.h"

typedef struct builtin_spec {
    const char *name;        /* as a case names it: "print", "int", "len", "sys.exit" */
    const char *python_name; /* its __name__, as prints and events show it */
    const char *repr;        /* repr(), e.g. "<built-in function print>" */
    int is_class;            /* int is a class (its type's name is "type") */
    /* Calls it with a pack of case values (NULL: none); returns NULL, or the
     * exception it raised (the caller owns it), worded as the version words it. Its
     * failures have no Python frame: no "Traceback" line of their own. h is the
     * handler that names it (list.append: its list). */
    pyexc *(*call)(const handler *h, const atx_args *args);
} builtin_spec;

/* The builtin a case names (casemodel.BUILTINS), or NULL. */
const builtin_spec *builtin_find(const char *name);

#endif
