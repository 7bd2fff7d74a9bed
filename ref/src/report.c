/* report.c - the failure report CPython writes for a failing handler, per profile. */
#include <stdlib.h>

#include "atx_internal.h"

void atx_report_default(void *ctx, const atx_profile *profile,
                        const atx_callable *callable, const atx_failure *failure)
{
    FILE *out = ctx ? ctx : stderr;
    char small[256];
    char *repr = small;
    int len;
    if (callable == NULL) {
        fputs("Exception ignored while copying atexit callbacks:\n", out);
        atx_report_exception(out, profile, failure);
        return;
    }
    len = atx_callable_repr(callable, small, sizeof small);
    if (len >= (int)sizeof small) {
        char *big = malloc((size_t)len + 1);
        if (big != NULL) {
            atx_callable_repr(callable, big, (size_t)len + 1);
            repr = big;
        }
    }
    switch (profile->header) {
    case ATX_HEADER_ERROR_IN_RUN: /* 2.7, 3.0-3.9: no repr */
        fputs("Error in atexit._run_exitfuncs:\n", out);
        break;
    case ATX_HEADER_IGNORED_COLON: /* 3.10-3.12: the unraisable hook's "%R" */
        fprintf(out, "Exception ignored in atexit callback: %s\n",
                len < 0 ? "<object repr() failed>" : repr);
        break;
    case ATX_HEADER_IGNORED_TRAILING: /* 3.13+: a message that fails leaves none */
        if (len >= 0)
            fprintf(out, "Exception ignored in atexit callback %s:\n", repr);
        break;
    }
    if (repr != small)
        free(repr);
    atx_report_exception(out, profile, failure);
}

/* One exception of a display: its "Traceback" line, then "Type: message". */
static void print_one(FILE *out, const atx_failure *failure, unsigned how)
{
    int by_c = (how & ATX_PRINT_C_VIEW) != 0;
    const char *type = by_c && failure->c_type != NULL ? failure->c_type : failure->type;
    const char *message = by_c && failure->c_message != NULL ? failure->c_message
                                                              : failure->message;
    if (!(failure->flags & ATX_FAILURE_NO_TRACEBACK) || (how & ATX_PRINT_TRACEBACK_ALWAYS))
        fputs("Traceback (most recent call last):\n", out);
    if ((message != NULL && message[0] != '\0') || (how & ATX_PRINT_COLON_ON_EMPTY))
        fprintf(out, "%s: %s\n", type, message ? message : "");
    else
        fprintf(out, "%s\n", type);
}

/* A chain longer than this is taken for a cycle the owner let in, and cut. */
#define MAX_CHAIN 4096

void atx_print_exception(FILE *out, const atx_failure *failure, unsigned how)
{
    size_t depth = 0, i, n;
    const atx_failure *f;
    if (out == NULL)
        out = stderr;
    /* innermost first (PyErr_Display, traceback.print_exception): walk to each in turn */
    for (f = failure; (how & ATX_PRINT_CHAIN) && f->chained != NULL && depth < MAX_CHAIN;
         f = f->chained)
        depth++;
    for (n = depth; n > 0; n--) {
        const atx_failure *outer = failure;
        for (i = 1; i < n; i++)
            outer = outer->chained;
        print_one(out, outer->chained, how & ~(unsigned)ATX_PRINT_COLON_ON_EMPTY);
        fputs(outer->flags & ATX_FAILURE_CAUSE
                  ? "\nThe above exception was the direct cause of the following exception:\n\n"
                  : "\nDuring handling of the above exception, another exception occurred:\n\n",
              out);
    }
    print_one(out, failure, how);
    fflush(out);
}

unsigned atx__report_flags(const atx_profile *profile, int by_c, int through_python)
{
    return (by_c ? ATX_PRINT_C_VIEW : 0u)
           | (through_python && profile->traceback_always ? ATX_PRINT_TRACEBACK_ALWAYS : 0u)
           | (profile->colon_on_empty_message ? ATX_PRINT_COLON_ON_EMPTY : 0u)
           | (profile->report_chains ? ATX_PRINT_CHAIN : 0u);
}

void atx_report_exception(FILE *out, const atx_profile *profile, const atx_failure *failure)
{
    /* 2.7's run loop is Python (Lib/atexit.py): traceback.print_exc() shows it */
    atx_print_exception(out, failure, atx__report_flags(profile, !profile->traceback_always, 1));
}
