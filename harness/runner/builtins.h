/* builtins.h - the builtins a case can register: print() and int(). */
#ifndef RUNNER_BUILTINS_H
#define RUNNER_BUILTINS_H

#include <atx.h>

#include "exceptions.h"

/* Calls the builtin name ("print" or "int") with a pack of case values; returns
 * NULL, or the exception it raised (the caller owns it). */
pyexc *builtin_call(const char *name, const atx_args *args);

#endif
