/* signals.c - Python-level signal handlers and the signals a case sends itself. */
#include "signals.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "objects.h"
#include "pywords.h"
#include "threads.h"

const char *signal_name(int sig)
{
    static char other[32];
    switch (sig) {
    case SIGABRT: return "SIGABRT";
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGTERM: return "SIGTERM";
    case SIGUSR1: return "SIGUSR1";
    default:
        snprintf(other, sizeof other, "signal %d", sig);
        return other;
    }
}

/* The signals a case may send itself (oracle/casefile.py, SIGNALS). */
static int signal_number(const char *name)
{
    return strcmp(name, "SIGKILL") == 0 ? SIGKILL : strcmp(name, "SIGHUP") == 0 ? SIGHUP
           : strcmp(name, "SIGUSR1") == 0 ? SIGUSR1 : strcmp(name, "SIGINT") == 0 ? SIGINT
           : SIGTERM;
}

/* The C handler only notes the signal; the Python one runs afterwards, between
 * steps, as CPython runs it between bytecodes, so what it raises comes out of the
 * interrupted step. */
#define SIGNAL_SLOTS 32 /* above every signal a case may name (casefile.c, SIGNALS) */
static atx_callable *signal_handlers[SIGNAL_SLOTS];
static volatile sig_atomic_t signal_pending[SIGNAL_SLOTS];

static void note_signal(int sig)
{
    signal_pending[sig] = 1;
}

pyexc *on_signal_step(const step *s)
{
    int sig = signal_number(s->text);
    struct sigaction action;
    if (!threads_in_main()) /* Python's signal handlers belong to the main thread */
        return exc_new("ValueError", pyword_format(W_SIGNAL_MAIN_THREAD), 0);
    memset(&action, 0, sizeof action);
    action.sa_handler = note_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(sig, &action, NULL) != 0)
        return exc_new("OSError", "sigaction failed", 0);
    signal_handlers[sig] = object_for_ref(&s->target);
    return NULL;
}

pyexc *kill_step(const step *s)
{
    int sig = signal_number(s->text);
    atx_failure *failure = NULL;
    atx_callable *python_handler = signal_handlers[sig];
    if (python_handler == NULL && sig == SIGINT) /* Python's own handler for SIGINT */
        return exc_new("KeyboardInterrupt", NULL, 0);
    if (python_handler == NULL) {
        atx_process_kill(sig);
        return exc_new("SystemError", "the signal did not end the process", 0);
    }
    raise(sig);
    if (!signal_pending[sig])
        return exc_new("SystemError", "the signal was not delivered", 0);
    signal_pending[sig] = 0;
    if (python_handler->type->call == NULL) { /* the handler is a plain value */
        text message = {NULL, 0, 0};
        pyexc *e;
        text_addf(&message, "'%s' object is not callable", python_handler->type->name);
        e = exc_new("TypeError", text_str(&message), 0);
        text_free(&message);
        return e;
    }
    if (python_handler->type->call(python_handler, NULL, &failure) == 0)
        return NULL;
    return exc_from_failure(failure);
}
