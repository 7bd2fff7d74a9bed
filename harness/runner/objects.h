/* objects.h - the case's Python objects, as libatx callables. */
#ifndef RUNNER_OBJECTS_H
#define RUNNER_OBJECTS_H

#include <atx.h>

#include "case.h"
#include "text.h"

/* The object a step names: a handler (made once), OBJECT.METHOD (a fresh bound
 * method each time, as Python makes one), or a plain value (a new object). It
 * lives until the process ends. Thread-safe. Calling it, or its __eq__, runs the
 * handler's steps (steps.h). */
atx_callable *object_for_ref(const ref *r);
/* Python's _name() of prelude.py: how prints and events name an object of
 * object_for_ref. */
void object_name(text *out, const atx_callable *obj);

#endif
