/* signature.h - a call's arguments bound to a handler's fixed signature (params). */
#ifndef RUNNER_SIGNATURE_H
#define RUNNER_SIGNATURE_H

#include <atx.h>

#include "case.h"
#include "exceptions.h"

/* Binds args (NULL: none) to h's params, as CPython binds a call (callargs.h), self
 * first when has_self (a method or a callable object's __call__). name and qualname
 * are the function's co_name and __qualname__. On success returns NULL and stores in
 * *bound a new pack (the caller frees it) of what the body sees as args and kwargs:
 * the parameters' values in order, then *REST's, and **KW's keywords. Else returns
 * the TypeError of the version reproduced, raised before the function's frame
 * exists, so with no traceback of its own; *bound is untouched. */
pyexc *signature_bind(const handler *h, const char *name, const char *qualname, int has_self,
                      const atx_args *args, atx_args **bound);

#endif
