/* threads.h - threading.Thread(...).start(), and waiting for threads when main ends. */
#ifndef RUNNER_THREADS_H
#define RUNNER_THREADS_H

#include "case.h"
#include "exceptions.h"

/* The thread step: starts a thread running the step's body (after its delay, and,
 * with after_main, once main has ended), with join waiting for it at once. Returns
 * NULL, or the exception Python raises when it cannot (the caller owns it): 3.12's
 * RuntimeError in a handler at shutdown. */
pyexc *thread_step(const step *s);
/* Main has ended: releases the after_main threads, then waits for the non-daemon
 * threads, as Python does before the atexit handlers (clause exit.threads-joined-first);
 * daemon threads are not waited for. */
void threads_join(void);
/* Forgets the threads of the parent: a forked child has only the forking one. Call
 * it in the child, before it starts threads of its own. */
void threads_forget(void);

/* Whether the calling thread is the process's main thread (a forked child's main is
 * the thread that forked). */
int threads_in_main(void);

#endif
