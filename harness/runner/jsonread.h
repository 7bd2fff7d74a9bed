/* jsonread.h - checked reading of a JSON document (jansson): each failure one line. */
#ifndef RUNNER_JSONREAD_H
#define RUNNER_JSONREAD_H

#include <jansson.h>
#include <setjmp.h>
#include <stddef.h>

#include "arena.h"

/* A location such as main[2].child[0].args[1], its start kept when longer. */
#define WHERE_SIZE 160

/* One document being read: a failure writes "PATH: WHAT: WHERE: MESSAGE" into err and
 * jumps to fail_to, so readers need not check every call. */
typedef struct jreader {
    const char *path;
    const char *what; /* what a bad document is called, e.g. "not a valid atx-case/1 file" */
    arena *mem;       /* where jr_copy puts text */
    jmp_buf fail_to;
    char *err;
    size_t errsize;
} jreader;

/* The JSON of the regular file at path, of at most max_bytes, duplicate keys rejected,
 * opened without blocking (a FIFO in its place fails); NULL with error set otherwise. */
json_t *jr_load(const char *path, long max_bytes, json_error_t *error);

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
_Noreturn void jr_fail(jreader *r, const char *where, const char *fmt, ...);
/* json_unpack_ex in strict mode (every key of fmt present, no other key), or fail. */
void jr_unpack(jreader *r, const char *where, json_t *json, const char *fmt, ...);
/* A field that is text or null (NULL), or fail. */
const char *jr_text_or_null(jreader *r, const char *where, json_t *json);
/* text copied into r->mem (NULL stays NULL). */
const char *jr_copy(jreader *r, const char *text);
/* The index of name in names (NULL-terminated), or fail. */
int jr_one_of(jreader *r, const char *where, const char *name, const char *const *names);

#endif
