/* steps.c - what each step does: the atexit calls, prints and raises here, the rest
 * dispatched to the unit of its concept. */
#include "steps.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atexit_module.h"
#include "computations.h"
#include "events.h"
#include "fork.h"
#include "multiproc.h"
#include "objects.h"
#include "pystack.h"
#include "pyvalue.h"
#include "pywords.h"
#include "runtime.h"
#include "signals.h"
#include "threads.h"

static pyexc *type_error(const char *message)
{
    return exc_new("TypeError", message, 0);
}

/* A function the era lacks is an AttributeError, worded per era. */
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

/* An atexit function called with the wrong number of arguments: NULL when it is
 * given what it takes (takes_one: exactly one, else none), else its TypeError,
 * after the AttributeError of a function the era lacks (the name is looked up
 * first). */
static pyexc *check_arity(const step *s, const char *function, int present, int takes_one)
{
    size_t count = s->nextra + (s->has_ref ? 1u : 0u);
    text message = {NULL, 0, 0};
    pyexc *e;
    if (!present)
        return missing(function);
    if (count == (takes_one ? 1u : 0u))
        return NULL;
    text_addf(&message, pyword_format(takes_one ? W_ONE_ARGUMENT : W_NO_ARGUMENTS), "atexit.",
              function, count);
    e = type_error(text_str(&message));
    text_free(&message);
    return e;
}

static pyexc *do_register(const step *s)
{
    atx_callable *returned = NULL;
    atx_callable *func;
    atx_args *args;
    int err;
    /* register(func=f): 2.7's Lib/atexit.py takes it; 3.x's C function takes func by
     * position only, and so sees no argument */
    if (!s->has_ref || (s->func_keyword && rt.major == 3))
        return type_error("register() takes at least 1 argument (0 given)");
    if (rt.major == 2 && !s->func_keyword) /* Lib/atexit.py: register(func, *targs, **kargs) */
        for (size_t i = 0; i < s->nkwargs; i++)
            if (strcmp(s->kwargs[i].name, "func") == 0)
                return type_error("register() got multiple values for keyword argument 'func'");
    func = object_for_ref(&s->target);
    args = pack(s);
    err = atx_register(atexit_module_registry(s), func, args, &returned);
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
        text_add(&t, returned == func ? " (same object)" : " (another object)");
        out_line(&t);
    }
    return NULL;
}

/* call: REF(*args, **kwargs) from Python code. */
static pyexc *call_step(const step *s)
{
    atx_args *args = pack(s);
    pyexc *raised = object_call(object_for_ref(&s->target), args);
    atx_args_free(args);
    return raised;
}

static void sleep_ms(int ms)
{
    struct timespec delay;
    delay.tv_sec = ms / 1000;
    delay.tv_nsec = (long)(ms % 1000) * 1000000L;
    nanosleep(&delay, NULL);
}

static pyexc *exec_step(const step *s, frame *f);

/* raise TYPE(arg), its __cause__ set first, in the except clause of its during step
 * (compile.py's raise_lines). */
static pyexc *raise_step(const step *s, frame *f)
{
    pyexc *handled = s->child->count == 1 ? exec_step(&s->child->items[0], f) : NULL;
    pyexc *raised = exc_raise(s->exc_type, s->has_arg ? &s->arg : NULL, 0);
    pyexc *cause = s->has_cause && s->cause != NULL
        ? exc_raise(s->cause, s->has_cause_arg ? &s->cause_arg : NULL, 0) : NULL;
    exc_chain(raised, handled, cause, s->has_cause && s->cause == NULL);
    return raised;
}

static pyexc *exec_step(const step *s, frame *f)
{
    atx_registry *registry = atexit_module_registry(s);
    const atx_profile *profile = atx_registry_profile(registry);
    text t = {NULL, 0, 0};
    atx_failure *failure = NULL;
    pyexc *raised;
    size_t count;
    int err;
    switch (s->op) {
    case OP_PRINT:
        text_add(&t, s->text);
        if (s->to_stderr)
            err_line(&t);
        else
            out_line(&t);
        return NULL;
    case OP_PRINT_ARGS:
        if ((raised = pystack_need(call_text_levels(f->args))) != NULL)
            return raised;
        call_text(&t, f->name, f->args);
        out_line(&t);
        return NULL;
    case OP_PRINT_EQ:
        if ((raised = pystack_need(object_name_levels(f->other))) != NULL)
            return raised;
        text_addf(&t, "%s.__eq__(", f->name);
        object_name(&t, f->other);
        text_add(&t, ")");
        out_line(&t);
        return NULL;
    case OP_RAISE:
        return raise_step(s, f);
    case OP_EXIT: /* sys.exit(arg) raises SystemExit(arg) */
        return exc_raise("SystemExit", s->has_arg ? &s->arg : NULL, 1);
    case OP_REGISTER:
        return do_register(s);
    case OP_UNREGISTER:
        if ((raised = check_arity(s, "unregister", profile->has_unregister, 1)) != NULL)
            return raised;
        err = atx_unregister(registry, object_for_ref(&s->target), &failure);
        return raised_by(err, failure, "unregister");
    case OP_RUN_EXITFUNCS: /* 2.7's is a Python function: the same message */
        if ((raised = check_arity(s, "_run_exitfuncs", 1, 0)) != NULL)
            return raised;
        err = atx_run(registry, &failure);
        return raised_by(err, failure, "_run_exitfuncs");
    case OP_CLEAR:
        if ((raised = check_arity(s, "_clear", profile->has_clear, 0)) != NULL)
            return raised;
        return raised_by(atx_clear(registry), NULL, "_clear");
    case OP_NCALLBACKS:
        if ((raised = check_arity(s, "_ncallbacks", profile->has_ncallbacks, 0)) != NULL)
            return raised;
        err = atx_ncallbacks(registry, &count);
        if (err == 0) {
            text_addf(&t, "ncallbacks %zu", count);
            out_line(&t);
        }
        return raised_by(err, NULL, "_ncallbacks");
    case OP_REIMPORT_ATEXIT:
        return atexit_module_reimport();
    case OP_RELOAD_ATEXIT:
        return atexit_module_reload();
    case OP_SET_EXITFUNC:
        return atexit_module_set_exitfunc(s);
    case OP_RETURN:
        f->result = s->result;
        return NULL;
    case OP_OS_EXIT: /* os._exit(n): a C int, of which the system keeps the low 8 bits */
        if (s->arg.number > INT_MAX || s->arg.number < INT_MIN)
            return exc_new("OverflowError", pyword_format(s->arg.number > INT_MAX
                                                           ? W_C_INT_TOO_LARGE
                                                           : W_C_INT_TOO_SMALL), 0);
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
    case OP_CALL:
        return call_step(s);
    case OP_SLEEP:
        sleep_ms(s->delay_ms);
        return NULL;
    case OP_APPEND:
        value_list_append(s->list, &s->arg);
        return NULL;
    case OP_PRINT_LIST: { /* print(_fmt(NAME)) */
        value named = {.kind = VALUE_LIST_REF, .number = (long long)s->list};
        value_canonical(&t, &named);
        out_line(&t);
        return NULL;
    }
    case OP_ON_UNRAISABLE:
        rt.unraisable_hook = 1;
        return NULL;
    case OP_ON_UNCAUGHT:
        rt.excepthook = 1;
        return NULL;
    case OP_COMPUTE:
        return computation_raise(computation_find(s->text)); /* canonical.c checked it */
    }
    return NULL;
}

/* if_other: whether __eq__'s other object is the one named (prelude.py's _name). */
static int other_is(const frame *f, const char *name)
{
    text t = {NULL, 0, 0};
    int same;
    object_name(&t, f->other);
    same = strcmp(text_str(&t), name) == 0;
    text_free(&t);
    return same;
}

pyexc *exec_steps(const steps *s, frame *f)
{
    size_t i;
    int n;
    for (i = 0; i < s->count; i++) {
        const step *st = &s->items[i];
        if (st->on_call != 0 && st->on_call != f->call_number)
            continue;
        if (st->if_other != NULL && !other_is(f, st->if_other))
            continue;
        for (n = 0; n < st->repeat; n++) { /* compile.py: for, then try, around the step */
            pyexc *raised = exec_step(st, f);
            if (raised != NULL && st->catch_) {
                text t = {NULL, 0, 0};
                text_add(&t, "caught ");
                exc_own_text(&t, &raised->base);
                out_line(&t);
                atx_failure_release(&raised->base);
                continue;
            }
            if (raised != NULL || st->op == OP_RETURN)
                return raised;
        }
    }
    return NULL;
}
