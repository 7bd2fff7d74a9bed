/* fork.h - os.fork(), and how a parent reports the end of a child it waited for. */
#ifndef RUNNER_FORK_H
#define RUNNER_FORK_H

#include <sys/types.h>

#include "case.h"
#include "exceptions.h"
#include "steps.h"

/* The fork step: the child runs the step's body in frame f and ends as a Python
 * process ends (pyexit.h); the parent waits for it. Returns NULL, or the exception
 * raised in the parent (the caller owns it). */
pyexc *fork_step(const step *s, frame *f);
/* Waits for the child pid and prints how it ended, as prelude.py's _ended does:
 * "WHAT exit N" or "WHAT killed by SIGNAME". Returns NULL, or an OSError when the
 * wait fails (the caller owns it). */
pyexc *child_wait(pid_t pid, const char *what);

#endif
