/* multiproc.h - multiprocessing.Process(target=...).start() then .join(). */
#ifndef RUNNER_MULTIPROC_H
#define RUNNER_MULTIPROC_H

#include "case.h"
#include "exceptions.h"

/* The process step, run in the parent: starts the child by the step's start
 * method (the era's default when it names none), waits for it and prints how it
 * ended. Returns NULL, or the exception raised in the parent (the caller owns it). */
pyexc *process_step(const step *s);
/* The child of a spawn or forkserver start, run by `atx-case-runner --child
 * spec` once rt is set up; spec is "METHOD:LINE:N". Never returns. */
_Noreturn void process_child_main(const char *spec);

#endif
