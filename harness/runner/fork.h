/* fork.h - os.fork(), and how a parent reports the end of a child it waited for. */
#ifndef RUNNER_FORK_H
#define RUNNER_FORK_H

#include <sys/types.h>

#include "case.h"
#include "exceptions.h"
#include "steps.h"

/* The fork step: the child runs the step's body in frame f, then raises the
 * SystemExit of sys.exit() where the step is; the parent waits for it. Returns NULL,
 * or the exception raised (the caller owns it): in the parent, or that SystemExit, or
 * what the body raised, in the child. */
pyexc *fork_step(const step *s, frame *f);
/* os.fork() refused: 3.12's RuntimeError in a handler at shutdown (gh-104690), or
 * NULL. The fork step's and multiprocessing's fork start's. */
pyexc *fork_refused(void);
/* Waits for the child pid and prints how it ended, as prelude.py's _ended does:
 * "WHAT exit N" or "WHAT killed by SIGNAME". Returns NULL, or an OSError when the
 * wait fails (the caller owns it). */
pyexc *child_wait(pid_t pid, const char *what);

#endif
