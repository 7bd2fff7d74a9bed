/* objects.h - the case's Python objects, as libatx callables. */
#ifndef RUNNER_OBJECTS_H
#define RUNNER_OBJECTS_H

#include <atx.h>

#include "case.h"
#include "exceptions.h"
#include "text.h"

/* The object a step names: a handler (made once), OBJECT.METHOD (a fresh bound
 * method each time, as Python makes one), or a plain value (a new object). It
 * lives until the process ends. Thread-safe. Calling it, or its __eq__, runs the
 * handler's steps (steps.h). */
atx_callable *object_for_ref(const ref *r);
/* Python's _name() of prelude.py: how prints and events name an object of
 * object_for_ref. */
void object_name(text *out, const atx_callable *obj);
/* The frames _name takes for obj (pystack.h). */
int object_name_levels(const atx_callable *obj);
/* obj(*args) called from Python code (the call step): no C call level is taken
 * (pystack.h). A plain value raises TypeError "'int' object is not callable".
 * Returns NULL, or the exception raised (the caller owns it). args may be NULL. */
pyexc *object_call(atx_callable *obj, const atx_args *args);
/* What calling a function of Python's library does: NULL, or what it raises. */
typedef pyexc *(*library_body)(void *ctx);

/* A function of Python's own library, a Python function, that a case meets in the
 * registry (multiprocessing's _exit_function, 2.7's atexit._run_exitfuncs): named
 * and compared as a function; calling it runs body(ctx), or, body NULL, does nothing
 * a case sees. It lives until the process ends. */
atx_callable *object_library_function(const char *name, library_body body, void *ctx);
/* Sets up the handlers' call counts (on_call), once rt.c is loaded: 0, or -1 when
 * out of memory. */
int objects_init(void);

#endif
