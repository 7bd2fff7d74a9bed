/* interp.c - executing a case's steps against libatx, printing what the generated Python
 * program prints (oracle/compile.py is the other half of this contract). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pyvalue.h"
#include "runtime.h"

static void print_line(text *t)
{
    text_add(t, "\n");
    out_write(text_str(t));
    text_free(t);
}

static pyexc *type_error(const char *message)
{
    return exc_new("TypeError", message, 0);
}

/* A function the profile's era lacks is an AttributeError, worded per era. */
static pyexc *missing(const char *function)
{
    text message = {NULL, 0, 0};
    pyexc *e;
    text_addf(&message, rt.py->missing_function, function);
    e = exc_new("AttributeError", text_str(&message), 0);
    text_free(&message);
    return e;
}

static pyexc *raised_by(int err, atx_failure *failure, const char *function)
{
    if (err == ATX_ERAISED)
        return exc_from_failure(failure);
    if (err == ATX_ENOSYS)
        return missing(function);
    return err == 0 ? NULL : exc_new("MemoryError", NULL, 0);
}

static atx_args *pack(const step *s)
{
    atx_args *args = NULL;
    size_t i;
    if (atx_args_new(NULL, &args) != 0)
        exit(70);
    for (i = 0; i < s->nargs; i++)
        if (atx_args_push(args, value_copy(&s->args[i]), value_free) != 0)
            exit(70);
    for (i = 0; i < s->nkwargs; i++)
        if (atx_args_push_keyword(args, s->kwargs[i].name, value_copy(&s->kwargs[i].val),
                                  value_free) != 0)
            exit(70);
    return args;
}

static pyexc *do_register(const step *s)
{
    atx_callable *returned = NULL;
    pyobj *func;
    atx_args *args;
    int err;
    if (!s->has_ref)
        return type_error("register() takes at least 1 argument (0 given)");
    func = object_for_ref(&s->target);
    args = pack(s);
    err = atx_register(rt.registry, &func->base, args, &returned);
    if (err == ATX_ENOTCALLABLE) {
        atx_args_free(args);
        return type_error("the first argument must be callable");
    }
    if (err != 0) {
        atx_args_free(args);
        return exc_new("MemoryError", NULL, 0);
    }
    if (s->print_returned) {
        text t = {NULL, 0, 0};
        text_add(&t, "register returned ");
        object_name(&t, returned);
        text_add(&t, returned == &func->base ? " (same object)" : " (another object)");
        print_line(&t);
    }
    return NULL;
}

/* Python's handling of a SystemExit's code: None 0, an integer itself, anything
 * else is printed to stderr and the status is 1. */
static void set_exit_code(pyexc *e, const value *arg)
{
    if (arg == NULL || arg->kind == VALUE_NONE) {
        e->base.exit_code = 0;
    } else if (arg->kind == VALUE_INT || arg->kind == VALUE_BOOL) {
        e->base.exit_code = (int)arg->number;
    } else {
        e->base.exit_code = 1;
        e->base.flags |= ATX_FAILURE_EXIT_PRINTS;
    }
}

static pyexc *raise_step(const step *s)
{
    text message = {NULL, 0, 0};
    pyexc *e;
    /* str(KeyError(x)) is repr(x); every other type shows str(x). */
    if (s->has_arg && s->op == OP_RAISE && strcmp(s->exc_type, "KeyError") == 0)
        value_repr(&message, &s->arg);
    else if (s->has_arg)
        value_str(&message, &s->arg);
    e = exc_new(s->op == OP_EXIT ? "SystemExit" : s->exc_type, text_str(&message), 0);
    text_free(&message);
    if (e->base.flags & ATX_FAILURE_EXIT) {
        set_exit_code(e, s->has_arg ? &s->arg : NULL);
        /* sys.exit(None) raises SystemExit() with no args; SystemExit(None) has one. */
        if (!s->has_arg || (s->op == OP_EXIT && s->arg.kind == VALUE_NONE))
            e->arg = EXIT_ARG_ABSENT;
        else
            e->arg = s->arg.kind == VALUE_NONE ? EXIT_ARG_NONE : EXIT_ARG_OTHER;
    }
    return e;
}

/* prelude.py's _signal_name. */
static const char *signal_name(int sig)
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
           : strcmp(name, "SIGUSR1") == 0 ? SIGUSR1 : SIGTERM;
}

/* Threads: Python waits for the non-daemon ones when main ends, before the
 * atexit handlers (clause exit.threads-joined-first); daemon threads are not
 * waited for. */
typedef struct thread_run {
    const step *s;
    pthread_t id;
    struct thread_run *next;
} thread_run;

static pthread_mutex_t threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t main_ended_cond = PTHREAD_COND_INITIALIZER;
static int main_ended; /* under threads_lock */
static thread_run *joinable;

/* after_main: Python's threading marks the main thread stopped when main has ended,
 * before it joins the others (compile.py: the thread joins the thread that started it). */
static void wait_for_main_to_end(void)
{
    pthread_mutex_lock(&threads_lock);
    while (!main_ended)
        pthread_cond_wait(&main_ended_cond, &threads_lock);
    pthread_mutex_unlock(&threads_lock);
}

static void *thread_main(void *arg)
{
    thread_run *run = arg;
    frame f;
    pyexc *raised;
    struct timespec delay;
    delay.tv_sec = run->s->delay_ms / 1000;
    delay.tv_nsec = (long)(run->s->delay_ms % 1000) * 1000000L;
    nanosleep(&delay, NULL);
    if (run->s->after_main)
        wait_for_main_to_end();
    memset(&f, 0, sizeof f);
    f.name = "<thread>";
    raised = exec_steps(run->s->child, &f);
    if (raised != NULL) { /* the loader keeps raising steps out of threads */
        fputs("atx-case-runner: an exception escaped a thread\n", stderr);
        atx_failure_release(&raised->base);
    }
    return NULL;
}

static pyexc *thread_step(const step *s)
{
    thread_run *run = calloc(1, sizeof *run);
    if (run == NULL)
        return exc_new("MemoryError", NULL, 0);
    run->s = s;
    if (pthread_create(&run->id, NULL, thread_main, run) != 0) {
        free(run);
        return exc_new("RuntimeError", "can't start new thread", 0);
    }
    if (s->daemon) {
        pthread_detach(run->id);
        return NULL;
    }
    pthread_mutex_lock(&threads_lock);
    run->next = joinable;
    joinable = run;
    pthread_mutex_unlock(&threads_lock);
    return NULL;
}

void runner_forget_threads(void)
{
    joinable = NULL;
}

void runner_join_threads(void)
{
    pthread_mutex_lock(&threads_lock);
    main_ended = 1;
    pthread_cond_broadcast(&main_ended_cond);
    pthread_mutex_unlock(&threads_lock);
    for (;;) {
        thread_run *run;
        pthread_mutex_lock(&threads_lock);
        run = joinable;
        if (run != NULL)
            joinable = run->next;
        pthread_mutex_unlock(&threads_lock);
        if (run == NULL)
            return;
        pthread_join(run->id, NULL);
        free(run);
    }
}

/* os.fork(): the child inherits the registry, runs its steps and ends normally
 * (its handlers run: clause fork.child-runs-inherited); the parent waits and
 * prints how the child ended. */
static pyexc *fork_step(const step *s, frame *f)
{
    int status;
    pid_t pid = fork();
    if (pid < 0)
        return exc_new("OSError", "fork failed", 0);
    if (pid == 0) {
        pyexc *raised;
        runner_forget_threads(); /* only the forking thread lives on in the child */
        raised = exec_steps(s->child, f);
        if (raised != NULL)
            exit(runner_uncaught(raised));
        runner_join_threads(); /* the child's sys.exit() waits for its threads too */
        exit(0);
    }
    if (waitpid(pid, &status, 0) != pid)
        return exc_new("OSError", "waitpid failed", 0);
    print_ended("child", status);
    return NULL;
}

void print_ended(const char *what, int status)
{
    text t = {NULL, 0, 0};
    if (WIFSIGNALED(status))
        text_addf(&t, "%s killed by %s", what, signal_name(WTERMSIG(status)));
    else
        text_addf(&t, "%s exit %d", what, WEXITSTATUS(status));
    print_line(&t);
}

/* Python-level signal handlers: the C handler only notes the signal; the
 * Python one runs afterwards, between steps, as CPython runs it between
 * bytecodes, so what it raises comes out of the interrupted step. */
#define SIGNAL_SLOTS 32 /* above every signal a case may name (casefile.c, SIGNALS) */
static pyobj *signal_handlers[SIGNAL_SLOTS];
static volatile sig_atomic_t signal_pending[SIGNAL_SLOTS];

static void note_signal(int sig)
{
    signal_pending[sig] = 1;
}

static pyexc *on_signal_step(const step *s)
{
    int sig = signal_number(s->text);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(sig, &action, NULL) != 0)
        return exc_new("OSError", "sigaction failed", 0);
    signal_handlers[sig] = object_for_ref(&s->target);
    return NULL;
}

/* kill: a signal with a Python handler runs it; any other ends the process. */
static pyexc *kill_step(const step *s)
{
    int sig = signal_number(s->text);
    atx_failure *failure = NULL;
    pyobj *python_handler = signal_handlers[sig];
    if (python_handler == NULL) {
        atx_process_kill(sig);
        return exc_new("SystemError", "the signal did not end the process", 0);
    }
    raise(sig);
    if (!signal_pending[sig])
        return exc_new("SystemError", "the signal was not delivered", 0);
    signal_pending[sig] = 0;
    if (python_handler->base.type->call(&python_handler->base, NULL, &failure) == 0)
        return NULL;
    return exc_from_failure(failure);
}

static pyexc *exec_step(const step *s, frame *f)
{
    text t = {NULL, 0, 0};
    atx_failure *failure = NULL;
    size_t count;
    int err;
    switch (s->op) {
    case OP_PRINT:
        text_add(&t, s->text);
        print_line(&t);
        return NULL;
    case OP_PRINT_ARGS:
        call_text(&t, f->name, f->args);
        print_line(&t);
        return NULL;
    case OP_PRINT_EQ:
        text_addf(&t, "%s.__eq__(", f->name);
        object_name(&t, f->other);
        text_add(&t, ")");
        print_line(&t);
        return NULL;
    case OP_RAISE:
    case OP_EXIT: /* sys.exit(arg) raises SystemExit(arg) */
        return raise_step(s);
    case OP_REGISTER:
        return do_register(s);
    case OP_UNREGISTER:
        err = atx_unregister(rt.registry, &object_for_ref(&s->target)->base, &failure);
        return raised_by(err, failure, "unregister");
    case OP_RUN_EXITFUNCS:
        err = atx_run(rt.registry, &failure);
        return raised_by(err, failure, "_run_exitfuncs");
    case OP_CLEAR:
        return raised_by(atx_clear(rt.registry), NULL, "_clear");
    case OP_NCALLBACKS:
        err = atx_ncallbacks(rt.registry, &count);
        if (err == 0) {
            text_addf(&t, "ncallbacks %zu", count);
            print_line(&t);
        }
        return raised_by(err, NULL, "_ncallbacks");
    case OP_RETURN:
        f->result = s->result;
        return NULL;
    case OP_OS_EXIT:
        atx_process_exit_now((int)s->arg.number);
    case OP_KILL:
        return kill_step(s);
    case OP_ON_SIGNAL:
        return on_signal_step(s);
    case OP_THREAD:
        return thread_step(s);
    case OP_ABORT:
        abort(); /* os.abort(): SIGABRT, no handler runs */
    case OP_FORK:
        return fork_step(s, f);
    case OP_PROCESS:
        return process_step(s);
    }
    return NULL;
}

pyexc *exec_steps(const steps *s, frame *f)
{
    size_t i;
    for (i = 0; i < s->count; i++) {
        const step *st = &s->items[i];
        pyexc *raised = exec_step(st, f);
        if (raised != NULL && st->catch_) {
            text t = {NULL, 0, 0};
            text_add(&t, "caught ");
            exc_text(&t, &raised->base);
            print_line(&t);
            atx_failure_release(&raised->base);
            continue;
        }
        if (raised != NULL || st->op == OP_RETURN)
            return raised;
    }
    return NULL;
}
