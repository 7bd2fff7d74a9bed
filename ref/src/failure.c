/* failure.c - releasing failures, the status a SystemExit ends a process with, and the
 * failures libatx makes itself. */
#include <stdio.h>
#include <string.h>

#include "atx_internal.h"

void atx_failure_release(atx_failure *failure)
{
    if (failure != NULL && failure->release != NULL)
        failure->release(failure);
}

int atx_failure_exit_status(const atx_failure *failure, FILE *out)
{
    if (failure == NULL)
        return 0;
    if (!(failure->flags & ATX_FAILURE_EXIT))
        return 1;
    /* sys.exit(code) with a code that is neither None nor an integer: the code is
     * printed, the status is what the raiser set (1) */
    if (failure->flags & ATX_FAILURE_EXIT_PRINTS) {
        if (out == NULL)
            out = stderr;
        fprintf(out, "%s\n", failure->message ? failure->message : "");
        fflush(out);
    }
    return failure->exit_code;
}

atx_failure *atx__failure_unset(void)
{
    static atx_failure unset = {.type = "SystemError",
                                .message = "error return without exception set"};
    return &unset;
}

typedef struct owned_failure {
    atx_failure base;
    atx_allocator allocator;
    char message[];
} owned_failure;

static void owned_release(atx_failure *failure)
{
    owned_failure *f = (owned_failure *)failure;
    atx_allocator allocator = f->allocator;
    atx__free(&allocator, f);
}

atx_failure *atx__failure_not_callable(const atx_allocator *a, const char *type_name)
{
    static atx_failure no_memory = {.type = "MemoryError"};
    size_t size = strlen(type_name) + sizeof "'' object is not callable";
    owned_failure *f = atx__alloc(a, sizeof *f + size);
    if (f == NULL)
        return &no_memory;
    snprintf(f->message, size, "'%s' object is not callable", type_name);
    f->base = (atx_failure){.type = "TypeError", .message = f->message,
                            .flags = ATX_FAILURE_NO_TRACEBACK, /* raised by the call, in C */
                            .release = owned_release};
    f->allocator = *a;
    return &f->base;
}
