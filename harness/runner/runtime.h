/* runtime.h - the Python objects, exceptions and interpreter state of the C case runner. */
#ifndef RUNNER_RUNTIME_H
#define RUNNER_RUNTIME_H

#include <atx.h>

#include "case.h"
#include "pyversion.h"
#include "text.h"

/* A Python object of a case: every one is a libatx callable (first member). */
typedef enum obj_kind { OBJ_FUNCTION, OBJ_METHOD, OBJ_CALLABLE_OBJECT, OBJ_BUILTIN, OBJ_VALUE } obj_kind;

typedef struct pyobj {
    atx_callable base;
    obj_kind kind;
    const handler *h;          /* all but OBJ_VALUE */
    const object_decl *self;   /* OBJ_METHOD: the instance it is bound to */
    value *val;                /* OBJ_VALUE */
    struct pyobj *next;        /* every object made, kept until the process ends */
} pyobj;

/* What a SystemExit was raised with: multiprocessing up to 3.8 reads args, not code. */
typedef enum exit_arg { EXIT_ARG_ABSENT, EXIT_ARG_NONE, EXIT_ARG_OTHER } exit_arg;

/* A raised Python exception; its base is what libatx carries. */
typedef struct pyexc {
    atx_failure base;
    char *type;
    char *message;
    exit_arg arg; /* SystemExit */
} pyexc;

/* The interpreter: one case, one registry, one process. */
typedef struct runtime {
    const case_file *c;
    atx_registry *registry;
    const pyversion *py; /* the interpreter's facts for the version */
    int events_fd; /* -1: no event log */
    const char *profile_arg; /* what --profile said (NULL: the default) */
    const char *cases_root;
} runtime;

extern runtime rt;

/* Objects (objects.c). Handlers are made once; each OBJECT.METHOD makes a
 * fresh bound method, as Python does. */
pyobj *object_for_ref(const ref *r);
/* Python's _name() of prelude.py: how prints and events name an object. */
void object_name(text *out, const atx_callable *obj);

/* Exceptions (exceptions.c). message may be NULL ("" prints the type alone). */
pyexc *exc_new(const char *type, const char *message, unsigned flags);
pyexc *exc_from_failure(atx_failure *failure);
/* "TYPE: MESSAGE" or "TYPE". */
void exc_text(text *out, const atx_failure *failure);

/* Events (events.c): one line on the event descriptor, never stdout/stderr. */
void event_emit(const char *line);
/* NAME(ARG, ..., KEY=VALUE) with keywords sorted, as prelude.py's _call_text. */
void call_text(text *out, const char *name, const atx_args *args);
/* Writes all of s to stdout (unbuffered, like python -u). */
void out_write(const char *s);

/* The interpreter (interp.c). A frame is one running body. */
typedef struct frame {
    const char *name;           /* the handler's name for print_args / print_eq */
    const atx_args *args;       /* the call's arguments (handlers) */
    const atx_callable *other;  /* __eq__'s operand */
    eq_result result;           /* __eq__'s return */
} frame;
/* Runs steps; returns NULL, or the exception they raised (caller owns it). */
pyexc *exec_steps(const steps *s, frame *f);

/* Main has ended: releases the after_main threads, then waits for the non-daemon
 * threads, as Python does. */
void runner_join_threads(void);
/* How a child ended, as its parent prints it (prelude.py's _ended): "WHAT exit N"
 * or "WHAT killed by SIGNAME"; status is what waitpid gave. */
void print_ended(const char *what, int status);
/* Forgets the threads of the parent (a forked child has only the forking one). */
void runner_forget_threads(void);

/* multiprocessing (multiproc.c): the process step, run in the parent; and the
 * child of a spawn or forkserver start, run by `atx-case-runner --child`. */
pyexc *process_step(const step *s);
_Noreturn void process_child_main(const char *spec);

/* How main ends when an exception escapes it (main.c): the status to exit with;
 * may end the process itself (KeyboardInterrupt from 3.8). */
int runner_uncaught(pyexc *e);

/* Builtins (builtins.c): print() and int() called with a pack. */
pyexc *builtin_call(const char *name, const atx_args *args);

#endif
