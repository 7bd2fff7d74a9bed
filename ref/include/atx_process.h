/* atx_process.h - libatx's process layer: a registry tied to the real end of the C
 * process, 2.7's sys.exitfunc, os._exit, signals and multiprocessing's children. Part
 * of the public API; include <atx.h>, which includes it. */
#ifndef ATX_PROCESS_H
#define ATX_PROCESS_H

#include "atx.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Process layer: ties a registry to the real end of the C process.
 * ------------------------------------------------------------------------ */

/* The process-wide registry (default options), created on first use and
 * never freed. Returns NULL only when out of memory. Thread-safe. */
atx_registry *atx_default_registry(void);

/* Makes the registry run when the process ends normally: return from main
 * or exit(), as Python runs atexit at interpreter shutdown. A failure the
 * run hands back (re-raising profiles) is released silently, as CPython
 * 3.x discards it at shutdown; with profile->shutdown_reraise (2.7) it is
 * reported under "Error in sys.exitfunc:" to stderr, or, a SystemExit, ends
 * the process at once with atx_failure_exit_status's status. Installing again
 * replaces the registry, or the exitfunc installed below (borrowed: it must
 * outlive the process's end, or be uninstalled first; NULL uninstalls both); the
 * C atexit() hook is taken once.
 * Returns 0 or ATX_ENOMEM (the C library refused the atexit() hook).
 * Thread-safe; may be called from a handler. */
int atx_process_install(atx_registry *registry);

/* CPython 2.7's `sys.exitfunc = func` (no 3.x reads it): at the normal end of
 * the process func is called by C with no arguments, in place of any registry's
 * run. A failure is reported as call_sys_exitfunc does, "Error in sys.exitfunc:"
 * in profile's wording (a "Traceback" line unless ATX_FAILURE_NO_TRACEBACK), and
 * a SystemExit ends the process at once with atx_failure_exit_status's status;
 * a func without a call hook fails with TypeError "'TYPE' object is not
 * callable". atx_process_install and this replace each other (2.7's atexit,
 * imported again, registers sys.exitfunc and takes its place). Both borrowed.
 * Returns 0, ATX_EINVAL (either NULL) or ATX_ENOMEM; thread-safe, as above. */
int atx_process_install_exitfunc(atx_callable *func, const atx_profile *profile);

/* Python's os._exit(status): ends the process at once; no handler runs. Stdio
 * buffers are flushed first (the output written so far is kept). Never returns.
 * May be called from any thread, and from a handler. */
_Noreturn void atx_process_exit_now(int status);

/* A signal whose default action ends the process (Python installs no handler for
 * it: SIGTERM, SIGKILL, SIGHUP, ...), sent to the process itself with the default
 * disposition restored: no handler runs. Returns only if the signal does not end
 * the process, with ATX_EINVAL. May be called from any thread, and from a handler. */
int atx_process_kill(int signal_number);

/* multiprocessing's child of a fork or forkserver start, as CPython's
 * popen_fork.py and forkserver.py run it. atx_process_child_begin is called in
 * the child before its target runs: with profile->child_runs_handlers (3.13+)
 * it empties the registry (atexit._clear()), so inherited handlers never run
 * there. Returns 0, or what atx_clear returns. atx_process_child_end ends the
 * child with status: with child_runs_handlers it first runs the registry (its
 * failures are reported, none is re-raised), then, in every version, _exits
 * as atx_process_exit_now does: the installed exit hook does not run. Not
 * thread-safe: call them from the child's only thread. */
int atx_process_child_begin(atx_registry *registry);
_Noreturn void atx_process_child_end(atx_registry *registry, int status);

#ifdef __cplusplus
}
#endif

#endif /* ATX_PROCESS_H */
