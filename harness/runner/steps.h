/* steps.h - running a body of steps against libatx, printing what the generated Python
 * program prints (oracle/compile.py is the other half of this contract).
 *
 * The one cycle among the runner's files is the recursion of Python itself: a step
 * may run a body of steps again, through a handler or an __eq__ that libatx calls
 * (objects.c), a thread (threads.c), or a child process (fork.c, multiproc.c). Those
 * files include this header to run the body, and steps.c includes theirs to
 * dispatch the step; nothing else depends back on steps.c. */
#ifndef RUNNER_STEPS_H
#define RUNNER_STEPS_H

#include <atx.h>

#include "case.h"
#include "exceptions.h"

/* One running body: what print_args, print_eq and return see. */
typedef struct frame {
    const char *name;          /* the handler's name for print_args / print_eq */
    const atx_args *args;      /* the call's arguments (handlers) */
    const atx_callable *other; /* __eq__'s operand */
    eq_result result;          /* __eq__'s return */
    int call_number;           /* which call of its body this is (on_call); 0 elsewhere */
} frame;

/* Runs the steps in frame f until one raises (unless it catches) or returns;
 * returns NULL, or the exception raised (the caller owns it). */
pyexc *exec_steps(const steps *s, frame *f);

#endif
