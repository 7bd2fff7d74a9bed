/* pyexit.h - how a Python process ends once its main code has run. */
#ifndef RUNNER_PYEXIT_H
#define RUNNER_PYEXIT_H

#include "exceptions.h"

/* Main (a forked child's body, a re-imported main module) has ended, raising
 * raised (NULL: it ended normally; released here). Prints what Python prints for
 * an uncaught exception, waits for the threads, and returns the status to exit()
 * with: the atexit handlers then run at exit() through the process layer. An
 * uncaught KeyboardInterrupt from 3.8 runs them here and ends the process by
 * SIGINT instead. */
int pyexit_main_ended(pyexc *raised);

#endif
