/* process.c - the process layer: the default registry, running a registry when the C
 * process ends normally (return from main, exit()), as Python does at shutdown, _exit,
 * signals, and the start and end of multiprocessing's forked children. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "atx_internal.h"

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static atx_registry *default_registry;

static void make_default(void)
{
    /* On error nothing is stored: default_registry stays NULL. */
    (void)atx_registry_new(NULL, &default_registry);
}

atx_registry *atx_default_registry(void)
{
    pthread_once(&default_once, make_default);
    return default_registry;
}

/* What runs at the end of the process: a registry, or 2.7's replaced sys.exitfunc. */
static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static atx_registry *installed;
static atx_callable *installed_exitfunc;
static const atx_profile *exitfunc_profile;
static int hooked;

#ifdef ATX_GCOV_DUMP
/* The coverage build (make VARIANT=coverage): exit() writes the counters,
 * _exit() and fatal signals do not, so they are written first; a process that
 * goes on resets them, so that exit() adds only what came after. */
void __gcov_dump(void);
void __gcov_reset(void);
#define WRITE_COVERAGE() __gcov_dump()
#define WRITE_COVERAGE_AND_GO_ON() (__gcov_dump(), __gcov_reset())
#else
#define WRITE_COVERAGE() ((void)0)
#define WRITE_COVERAGE_AND_GO_ON() ((void)0)
#endif

void atx_process_exit_now(int status)
{
    fflush(NULL);
    WRITE_COVERAGE();
    _exit(status);
}

int atx_process_kill(int signal_number)
{
    fflush(NULL);
    WRITE_COVERAGE_AND_GO_ON();
    if (signal_number != SIGKILL && signal_number != SIGSTOP)
        signal(signal_number, SIG_DFL); /* an invalid number fails in raise() below */
    raise(signal_number);
    return ATX_EINVAL; /* still alive: no such signal, or its default does not end a process */
}

/* 2.7's call_sys_exitfunc(): the failure sys.exitfunc raised is printed, or,
 * a SystemExit, handled as at the top level: it ends the process. through_python:
 * sys.exitfunc is atexit's run, Python code (atx__report_exception_as). */
static void reraise_at_shutdown(const atx_profile *profile, atx_failure *failure,
                                int through_python)
{
    if (failure->flags & ATX_FAILURE_EXIT) {
        int status = atx_failure_exit_status(failure, stderr);
        atx_failure_release(failure);
        atx_process_exit_now(status); /* exit() may not be called from an atexit() hook */
    }
    fputs("Error in sys.exitfunc:\n", stderr);
    atx_print_exception(stderr, failure, atx__report_flags(profile, 1, through_python));
    atx_failure_release(failure);
}

static void run_installed(void)
{
    atx_registry *registry;
    atx_callable *exitfunc;
    const atx_profile *profile;
    atx_failure *failure = NULL;
    pthread_mutex_lock(&install_lock);
    registry = installed;
    exitfunc = installed_exitfunc;
    profile = exitfunc_profile;
    pthread_mutex_unlock(&install_lock);
    if (exitfunc != NULL) { /* called by C with no arguments; libc's allocator */
        atx_allocator libc = {NULL, NULL, NULL, NULL};
        if ((failure = atx__call(&libc, exitfunc, NULL)) != NULL)
            reraise_at_shutdown(profile, failure, 0);
        return;
    }
    if (registry == NULL || atx_run(registry, &failure) != ATX_ERAISED)
        return;
    /* 3.x discards a failure handed back at shutdown; the reports were written. */
    if (atx_registry_profile(registry)->shutdown_reraise)
        reraise_at_shutdown(atx_registry_profile(registry), failure, 1);
    else
        atx_failure_release(failure);
}

/* Installs what runs at the end: one of registry and exitfunc, or neither. */
static int install(atx_registry *registry, atx_callable *exitfunc, const atx_profile *profile)
{
    int err = 0;
    pthread_mutex_lock(&install_lock);
    if (!hooked) {
        if (atexit(run_installed) != 0)
            err = ATX_ENOMEM;
        else
            hooked = 1;
    }
    if (err == 0) {
        installed = registry;
        installed_exitfunc = exitfunc;
        exitfunc_profile = profile;
    }
    pthread_mutex_unlock(&install_lock);
    return err;
}

int atx_process_install(atx_registry *registry)
{
    return install(registry, NULL, NULL);
}

int atx_process_install_exitfunc(atx_callable *exitfunc, const atx_profile *profile)
{
    if (exitfunc == NULL || profile == NULL)
        return ATX_EINVAL;
    return install(NULL, exitfunc, profile);
}

/* 3.13+ popen_fork.py and forkserver.py: atexit._clear() before the target. */
int atx_process_child_begin(atx_registry *registry)
{
    if (!atx_registry_profile(registry)->child_runs_handlers)
        return 0;
    return atx_clear(registry);
}

/* ...and atexit._run_exitfuncs() in the finally before os._exit(code); earlier
 * versions go straight to os._exit. */
void atx_process_child_end(atx_registry *registry, int status)
{
    atx_failure *failure = NULL;
    if (atx_registry_profile(registry)->child_runs_handlers
        && atx_run(registry, &failure) == ATX_ERAISED)
        atx_failure_release(failure);
    atx_process_exit_now(status);
}
