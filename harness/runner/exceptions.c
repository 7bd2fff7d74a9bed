/* exceptions.c - Python exceptions as libatx failures. */
#include "exceptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyvalue.h"
#include "runtime.h"

#define STR_FAILED "<exception str() failed>"

static void exc_release(atx_failure *failure)
{
    pyexc *e = (pyexc *)failure;
    if (e->link != NULL)
        atx_failure_release(&e->link->base);
    free(e->type);
    free(e->message);
    free(e->c_type);
    free(e);
}

static char *must_dup(const char *original)
{
    char *copy = strdup(original);
    if (copy == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    return copy;
}

/* The case's own exception class named type, or NULL. */
static const exception_decl *own_class(const char *type)
{
    size_t i;
    for (i = 0; rt.c != NULL && i < rt.c->nexceptions; i++)
        if (strcmp(rt.c->exceptions[i].name, type) == 0)
            return &rt.c->exceptions[i];
    return NULL;
}

/* A class of the main module: C code names it __main__.NAME up to 3.10; when its __str__
 * raises, C code shows "<exception str() failed>" and Python's traceback module
 * (2.7's atexit report, threads up to 3.7, multiprocessing children) "<unprintable NAME
 * object>". */
static void as_own_class(pyexc *e, const exception_decl *decl)
{
    text t = {NULL, 0, 0};
    if (rt.py->main_names_qualified) {
        text_addf(&t, "__main__.%s", decl->name);
        e->base.c_type = e->c_type = must_dup(text_str(&t));
        text_free(&t);
    }
    if (decl->str_raises) {
        free(e->message);
        text_addf(&t, "<unprintable %s object>", decl->name);
        e->base.message = e->message = must_dup(text_str(&t));
        e->base.c_message = STR_FAILED;
        text_free(&t);
    }
}

pyexc *exc_new(const char *type, const char *message, unsigned flags)
{
    pyexc *e = calloc(1, sizeof *e);
    if (e == NULL || (e->type = strdup(type)) == NULL
        || (e->message = strdup(message ? message : "")) == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    e->base.type = e->type;
    e->base.message = e->message;
    e->base.flags = flags | (strcmp(type, "SystemExit") == 0 ? ATX_FAILURE_EXIT : 0u);
    e->base.release = exc_release;
    return e;
}

/* Python's handling of a SystemExit's code: None 0, an integer itself, anything
 * else is printed to stderr and the status is 1 (atx_failure_exit_status prints it). */
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

pyexc *exc_raise(const char *type, const value *arg, int by_sys_exit)
{
    const exception_decl *decl = by_sys_exit ? NULL : own_class(type);
    text message = {NULL, 0, 0};
    pyexc *e;
    /* str(KeyError(x)) is repr(x); every other type shows str(x); sys.exit(None)
     * raises SystemExit with no args at all (its str is ""), SystemExit(None) with one. */
    if (arg != NULL && by_sys_exit && arg->kind == VALUE_NONE)
        ;
    else if (arg != NULL && !by_sys_exit
        && strcmp(decl != NULL ? decl->base : type, "KeyError") == 0)
        value_repr(&message, arg);
    else if (arg != NULL)
        value_str(&message, arg);
    e = exc_new(type, text_str(&message), 0);
    text_free(&message);
    if (decl != NULL)
        as_own_class(e, decl);
    if (e->base.flags & ATX_FAILURE_EXIT) {
        set_exit_code(e, arg);
        /* sys.exit(None) raises SystemExit() with no args; SystemExit(None) has one. */
        if (arg == NULL || (by_sys_exit && arg->kind == VALUE_NONE))
            e->arg = EXIT_ARG_ABSENT;
        else
            e->arg = arg->kind == VALUE_NONE ? EXIT_ARG_NONE : EXIT_ARG_OTHER;
    }
    return e;
}

pyexc *exc_from_failure(atx_failure *failure)
{
    pyexc *e;
    if (failure->release == exc_release)
        return (pyexc *)failure;
    /* A failure libatx made itself (e.g. SystemError): copy it into a pyexc. */
    e = exc_new(failure->type, failure->message, failure->flags);
    e->base.exit_code = failure->exit_code;
    atx_failure_release(failure);
    return e;
}

void exc_chain(pyexc *e, pyexc *context, pyexc *cause, int from_none)
{
    pyexc *shown = cause != NULL ? cause : from_none ? NULL : context;
    if (rt.major == 2)
        shown = NULL;
    if (shown == context && context != NULL)
        context->base.flags &= ~(unsigned)ATX_FAILURE_NO_TRACEBACK;
    if (shown == cause && cause != NULL) {
        cause->base.flags |= ATX_FAILURE_NO_TRACEBACK;
        e->base.flags |= ATX_FAILURE_CAUSE;
    }
    if (context != NULL && context != shown)
        atx_failure_release(&context->base);
    if (cause != NULL && cause != shown)
        atx_failure_release(&cause->base);
    e->link = shown;
    e->base.chained = shown != NULL ? &shown->base : NULL;
}

void exc_display(text *out, const pyexc *e, int by_c)
{
    atx_failure shown = e->base; /* it escaped a Python frame: it has a traceback */
    char *buf = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&buf, &size);
    if (stream == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    shown.flags &= ~(unsigned)ATX_FAILURE_NO_TRACEBACK;
    atx_print_exception(stream, &shown, (by_c ? ATX_PRINT_C_VIEW : 0u) | ATX_PRINT_CHAIN);
    fclose(stream);
    text_add(out, buf);
    free(buf);
}

static void type_and_message(text *out, const char *type, const char *message)
{
    text_add(out, type);
    if (message != NULL && message[0] != '\0')
        text_addf(out, ": %s", message);
}

void exc_own_text(text *out, const atx_failure *failure)
{
    type_and_message(out, failure->type,
                     failure->c_message != NULL ? failure->c_message : failure->message);
}
