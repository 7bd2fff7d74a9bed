/* atx_internal.h - what libatx's own files share: allocation over an atx_allocator. */
#ifndef ATX_INTERNAL_H
#define ATX_INTERNAL_H

#include "atx.h"

/* The allocator a registry or pack uses: a copy, with NULL hooks meaning libc. */
void atx__allocator_init(atx_allocator *dst, const atx_allocator *src);
void *atx__alloc(const atx_allocator *a, size_t size);
void *atx__resize(const atx_allocator *a, void *ptr, size_t size);
void atx__free(const atx_allocator *a, void *ptr);

/* A static failure for user code that failed without saying how (CPython 3.x:
 * SystemError "error return without exception set"). */
atx_failure *atx__failure_unset(void);
/* TypeError "'NAME' object is not callable", allocated through a (MemoryError
 * when that fails). 2.7 registers non-callables and fails when running them. */
atx_failure *atx__failure_not_callable(const atx_allocator *a, const char *type_name);
/* callable(*args) from C code (PyObject_Call): NULL when it returned, else what it
 * raised (the caller owns it): the failure above for a callable without a call
 * hook, atx__failure_unset()'s for one that failed without saying how. */
atx_failure *atx__call(const atx_allocator *a, atx_callable *callable, const atx_args *args);

/* atx_print_exception's flags for a report in profile: by C code (by_c: c_type,
 * c_message) or by Python's traceback module (2.7's Lib/atexit.py); through_python:
 * the failure went through Python code (a "Traceback" line when the profile says
 * traceback_always); the profile's colon and chain. */
unsigned atx__report_flags(const atx_profile *profile, int by_c, int through_python);

#endif
