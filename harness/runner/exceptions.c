/* exceptions.c - Python exceptions as libatx failures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyvalue.h"
#include "runtime.h"

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
