/* multiproc.c - multiprocessing.Process(target=...).start() then .join(): the child of
 * each start method, run as CPython's Lib/multiprocessing runs it, and its status. */
#include "multiproc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fork.h"
#include "objects.h"
#include "pyexit.h"
#include "pystack.h"
#include "runtime.h"
#include "steps.h"
#include "threads.h"

/* multiprocessing's _process_counter: the N of "Process-N", counted per process. */
static int process_counter;

/* The start methods: the case format's names, and the Process class of the context
 * get_context(name) gives (the default context's class is plain Process). */
typedef struct start_spec {
    const char *name;
    start_method method;
    const char *process_class;
} start_spec;

static const start_spec STARTS[] = {
    {.name = "fork", .method = START_FORK, .process_class = "ForkProcess"},
    {.name = "spawn", .method = START_SPAWN, .process_class = "SpawnProcess"},
    {.name = "forkserver", .method = START_FORKSERVER, .process_class = "ForkServerProcess"},
};

/* By name; NULL names the era's default method (pyversion.h). NULL when the name is unknown. */
static const start_spec *start_of(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof STARTS / sizeof STARTS[0]; i++)
        if (name == NULL ? STARTS[i].method == rt.py->default_start
                         : strcmp(STARTS[i].name, name) == 0)
            return &STARTS[i];
    return NULL;
}

/* A process's name: its class's name and number. */
static void process_name(text *out, const step *s, int number)
{
    text_addf(out, "%s-%d", s->start == NULL ? "Process" : start_of(s->start)->process_class,
              number);
}

/* BaseProcess._bootstrap: runs the target and turns how it ended into the child's
 * status. A SystemExit gives its code, as at the top level (atx_failure_exit_status),
 * except that up to 3.8 _bootstrap reads args, not code, a rule of its own:
 * SystemExit() (sys.exit(), sys.exit(None)) is 1, and SystemExit(None) prints "None"
 * and is 1 (clause process.exit-status). Anything else prints "Process NAME:" and
 * the traceback, and is 1. */
static int bootstrap(const step *s, int number)
{
    frame f;
    pyexc *raised;
    int status = 1;
    memset(&f, 0, sizeof f);
    f.name = "<process>";
    raised = exec_steps(s->child, &f);
    if (raised == NULL)
        return 0;
    if (!(raised->base.flags & ATX_FAILURE_EXIT)) {
        text t = {NULL, 0, 0};
        text_add(&t, "Process ");
        process_name(&t, s, number);
        text_add(&t, ":\n");
        exc_display(&t, raised, 0); /* traceback.print_exc() */
        fputs(text_str(&t), stderr);
        text_free(&t);
    } else if (!rt.py->child_exit_none_is_zero && raised->arg != EXIT_ARG_OTHER) {
        if (raised->arg == EXIT_ARG_NONE)
            fputs("None\n", stderr);
    } else {
        status = atx_failure_exit_status(&raised->base, stderr);
    }
    atx_failure_release(&raised->base);
    return status;
}

/* spawn and forkserver children are fresh processes: this runner again, told
 * which process step to run (process_child_main). */
static _Noreturn void exec_child(const step *s, int number, const start_spec *start)
{
    char spec[64];
    const char *argv[10];
    int n = 0;
    snprintf(spec, sizeof spec, "%s:%d:%d", start->name, s->serial, number);
    argv[n++] = "atx-case-runner";
    if (rt.profile_arg != NULL) {
        argv[n++] = "--profile";
        argv[n++] = rt.profile_arg;
    }
    argv[n++] = "--child";
    argv[n++] = spec;
    argv[n++] = rt.c->path;
    argv[n] = NULL;
    execv("/proc/self/exe", (char *const *)argv);
    perror("atx-case-runner: cannot start a spawn child");
    _exit(70);
}

/* Importing multiprocessing registers its own handler (multiprocessing/util.py,
 * atexit.register(_exit_function)): the program imports it at its first process step,
 * and a spawn or forkserver child at its start. Once per process. */
static atx_callable *exit_function; /* multiprocessing.util._exit_function */

static void import_multiprocessing(void)
{
    if (exit_function != NULL)
        return;
    exit_function = object_library_function("_exit_function", NULL, NULL);
    if (atx_register(rt.registry, exit_function, NULL, NULL) != 0)
        exit(70);
}

/* The start of a fork or forkserver child (popen_fork.py, forkserver.py): from 3.13
 * atexit._clear(), then atexit.register(util._exit_function) again (gh-83856). */
static void child_begin(void)
{
    if (atx_process_child_begin(rt.registry) != 0)
        _exit(70);
    if (atx_registry_profile(rt.registry)->child_runs_handlers
        && atx_register(rt.registry, exit_function, NULL, NULL) != 0)
        _exit(70);
}

pyexc *process_step(const step *s)
{
    const start_spec *start = start_of(s->start); /* canonical.c checked the name */
    int number = ++process_counter;
    pyexc *refused;
    pid_t pid;
    import_multiprocessing();
    if (start->method == START_FORK && (refused = fork_refused()) != NULL)
        return refused; /* popen_fork.py's os.fork() */
    if ((pid = fork()) < 0)
        return exc_new("OSError", "fork failed", 0);
    if (pid == 0) {
        if (start->method != START_FORK)
            exec_child(s, number, start);
        /* popen_fork.py: the child inherits everything, registry included. */
        threads_forget();
        child_begin();
        atx_process_child_end(rt.registry, bootstrap(s, number));
    }
    return child_wait(pid, "process");
}

/* The process step numbered serial (main's, or a forked child's). */
static const step *find_process(const steps *list, int serial)
{
    size_t i;
    for (i = 0; i < list->count; i++) {
        const step *s = &list->items[i];
        const step *found = NULL;
        if (s->op == OP_PROCESS && s->serial == serial)
            return s;
        if (s->op == OP_FORK && (found = find_process(s->child, serial)) != NULL)
            return found;
    }
    return NULL;
}

/* Importing the main module again (as __mp_main__) runs its module level. */
static void import_main_module(void)
{
    frame f;
    pyexc *raised;
    memset(&f, 0, sizeof f);
    f.name = "<module>";
    raised = exec_steps(&rt.c->module, &f);
    if (raised != NULL)
        exit(pyexit_main_ended(raised));
}

/* spec is "METHOD:SERIAL:N". forkserver.py (3.13+: empties the registry first),
 * then the import, the target, and _exit through the process layer; spawn.py's
 * spawn_main: the import, the target, then sys.exit(status): the interpreter's
 * shutdown runs the handlers. */
void process_child_main(const char *spec)
{
    char name[16];
    int serial, number;
    const step *s = NULL;
    const start_spec *start = NULL;
    if (sscanf(spec, "%15[a-z]:%d:%d", name, &serial, &number) == 3) {
        s = find_process(&rt.c->main, serial);
        start = start_of(name);
    }
    import_multiprocessing();
    if (s == NULL || start == NULL || start->method == START_FORK) {
        fprintf(stderr, "atx-case-runner: --child takes spawn|forkserver:SERIAL:N naming a "
                        "process step, not '%s'\n", spec);
        exit(2);
    }
    if (start->method == START_FORKSERVER) {
        child_begin();
        import_main_module();
        atx_process_child_end(rt.registry, bootstrap(s, number));
    }
    import_main_module();
    number = bootstrap(s, number);
    pystack_set_depth(0); /* spawn_main's sys.exit: the handlers run at shutdown, from C */
    exit(number);
}
