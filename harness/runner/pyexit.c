/* pyexit.c - how a Python process ends: an uncaught exception, SystemExit's status,
 * KeyboardInterrupt. */
#include "pyexit.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "pystack.h"
#include "runtime.h"
#include "threads.h"

/* PyErr_Display: the traceback of an exception that escapes main ("Type" alone
 * when the message is empty). */
static void print_uncaught(const pyexc *e)
{
    text t = {NULL, 0, 0};
    if (rt.excepthook) { /* prelude.py's _excepthook, printing to stdout */
        text_add(&t, "uncaught: ");
        exc_own_text(&t, &e->base);
        out_line(&t);
        return;
    }
    exc_display(&t, e, 1);
    fputs(text_str(&t), stderr);
    text_free(&t);
}

int pyexit_main_ended(pyexc *raised)
{
    atx_failure *failure = raised != NULL ? &raised->base : NULL;
    int status;
    pystack_set_depth(0); /* main has ended: no Python frame runs the shutdown */
    if (raised != NULL && !(raised->base.flags & ATX_FAILURE_EXIT))
        print_uncaught(raised);
    threads_join();
    rt.finalizing = 1;
    if (raised != NULL && strcmp(raised->type, "KeyboardInterrupt") == 0
        && rt.py->interrupt_kills) {
        /* 3.8+ (bpo-1054041): the handlers run, then the process ends by SIGINT. */
        atx_process_install(NULL);
        atx_run(rt.registry, NULL);
        atx_process_kill(SIGINT);
    }
    /* a SystemExit's code (its message printed), 1 for anything else
     * (clause shutdown.after-uncaught), 0 when nothing escaped */
    status = atx_failure_exit_status(failure, stderr);
    atx_failure_release(failure);
    return status;
}
