/* signals.h - Python-level signal handlers, signals a case sends itself, and their names. */
#ifndef RUNNER_SIGNALS_H
#define RUNNER_SIGNALS_H

#include "case.h"
#include "exceptions.h"

/* The on_signal step: signal.signal(SIG, handler). Returns NULL, or the exception
 * raised (the caller owns it). */
pyexc *on_signal_step(const step *s);
/* The kill step: os.kill(os.getpid(), SIG). A signal with a Python handler runs it
 * (what it raises comes out of this step); any other ends the process with the
 * default action, no atexit handler running. */
pyexc *kill_step(const step *s);
/* prelude.py's _signal_name: "SIGTERM", or "signal N" for an unnamed one. Not
 * thread-safe for unnamed signals (a static buffer). */
const char *signal_name(int sig);

#endif
