/* atexit_module.c - the program's atexit modules, as each era keeps them (pyversion.h's
 * atexit_state), and 2.7's sys.exitfunc. */
#include "atexit_module.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "objects.h"
#include "runtime.h"

/* An atexit module object; its registry is 2.7's _exithandlers. Modules stay alive
 * until the process ends (their _run_exitfuncs may be registered). */
typedef struct module {
    atx_registry *registry;
    struct module *next; /* every module made */
} module;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards all below, rt.registry */
static module *first, *current, *made;
static atx_registry_options options;
static atx_callable *exitfunc; /* 2.7: what the case set sys.exitfunc to; NULL: atexit's run */

static module *new_module(void)
{
    module *m = calloc(1, sizeof *m);
    if (m == NULL || atx_registry_new(&options, &m->registry) != 0) {
        free(m);
        return NULL;
    }
    m->next = made;
    made = m;
    return m;
}

int atexit_module_import(const atx_profile *profile, atx_reporter reporter)
{
    options.profile = profile;
    options.reporter = reporter;
    if ((first = current = new_module()) == NULL)
        return ATX_ENOMEM;
    rt.registry = current->registry;
    return atx_process_install(rt.registry);
}

atx_registry *atexit_module_registry(const step *s)
{
    atx_registry *r;
    int newest = s->op == OP_RUN_EXITFUNCS && rt.py->atexit_state == ATEXIT_NEWEST_MODULE;
    pthread_mutex_lock(&lock);
    r = s->first_instance && !newest ? first->registry : current->registry;
    pthread_mutex_unlock(&lock);
    return r;
}

/* Lib/atexit.py's _run_exitfuncs of module ctx: its list as it is when called. */
static pyexc *run_module(void *ctx)
{
    atx_registry *r;
    atx_failure *failure = NULL;
    int err;
    pthread_mutex_lock(&lock);
    r = ((module *)ctx)->registry;
    pthread_mutex_unlock(&lock);
    err = atx_run(r, &failure);
    if (err == ATX_ERAISED)
        return exc_from_failure(failure);
    return err == 0 ? NULL : exc_new("MemoryError", NULL, 0);
}

/* What Lib/atexit.py does as it runs in m (2.7, holding lock): registers what
 * sys.exitfunc is, sys.exitfunc itself when the case set it, else was_run's
 * _run_exitfuncs, then becomes sys.exitfunc: m's registry is installed. */
static pyexc *run_atexit_py(module *m, module *was_run)
{
    atx_callable *previous = exitfunc != NULL
        ? exitfunc : object_library_function("_run_exitfuncs", run_module, was_run);
    if (atx_register(m->registry, previous, NULL, NULL) != 0
        || atx_process_install(m->registry) != 0)
        return exc_new("MemoryError", NULL, 0);
    exitfunc = NULL;
    /* the program holds the module it imported first (prelude.py's _first_atexit): a
     * later one that the name atexit no longer holds is freed, its globals set to None,
     * so its _run_exitfuncs (one under way too) finds no list: as if emptied */
    if (current != m && current != first)
        (void)atx_discard_all(current->registry);
    current = m;
    rt.registry = m->registry;
    return NULL;
}

pyexc *atexit_module_reimport(void)
{
    module *m;
    pyexc *raised = NULL;
    if (rt.py->atexit_state == ATEXIT_INTERPRETER)
        return NULL; /* a new module object, the same handlers */
    pthread_mutex_lock(&lock);
    if ((m = new_module()) == NULL)
        raised = exc_new("MemoryError", NULL, 0);
    else if (rt.py->atexit_state == ATEXIT_PYTHON_LIST)
        raised = run_atexit_py(m, current);
    else if (atx_process_install(m->registry) != 0) /* the newest module is run */
        raised = exc_new("MemoryError", NULL, 0);
    else
        rt.registry = (current = m)->registry;
    pthread_mutex_unlock(&lock);
    return raised;
}

pyexc *atexit_module_reload(void)
{
    pyexc *raised;
    if (rt.py->atexit_state != ATEXIT_PYTHON_LIST)
        return NULL; /* the module is initialised already: importlib.reload keeps it */
    pthread_mutex_lock(&lock);
    /* `_exithandlers = []`: a run under way, popping from the module's list, and the
     * module's earlier _run_exitfuncs see the new one */
    raised = atx_discard_all(current->registry) != 0 ? exc_new("MemoryError", NULL, 0)
                                                      : run_atexit_py(current, current);
    pthread_mutex_unlock(&lock);
    return raised;
}

pyexc *atexit_module_set_exitfunc(const step *s)
{
    atx_callable *func = object_for_ref(&s->target);
    int err;
    if (rt.py->atexit_state != ATEXIT_PYTHON_LIST)
        return NULL; /* an attribute nothing reads */
    pthread_mutex_lock(&lock);
    exitfunc = func;
    err = atx_process_install_exitfunc(func, options.profile);
    pthread_mutex_unlock(&lock);
    return err == 0 ? NULL : exc_new("MemoryError", NULL, 0);
}
