/* exceptions.c - Python exceptions as libatx failures. */
#include "exceptions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyvalue.h"

static void exc_release(atx_failure *failure)
{
    pyexc *e = (pyexc *)failure;
    free(e->type);
    free(e->message);
    free(e);
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
    text message = {NULL, 0, 0};
    pyexc *e;
    /* str(KeyError(x)) is repr(x); every other type shows str(x). */
    if (arg != NULL && !by_sys_exit && strcmp(type, "KeyError") == 0)
        value_repr(&message, arg);
    else if (arg != NULL)
        value_str(&message, arg);
    e = exc_new(type, text_str(&message), 0);
    text_free(&message);
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

void exc_text(text *out, const atx_failure *failure)
{
    text_add(out, failure->type);
    if (failure->message != NULL && failure->message[0] != '\0')
        text_addf(out, ": %s", failure->message);
}
