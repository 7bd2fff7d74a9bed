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
    case ATX_HEADER_ERROR_IN_RUN: /* 2.7, 3.0-3.9 */
        fputs("Error in atexit._run_exitfuncs:\n", out);
        break;
    case ATX_HEADER_IGNORED_COLON: /* 3.10-3.12 */
        fprintf(out, "Exception ignored in atexit callback: %s\n", repr);
        break;
    case ATX_HEADER_IGNORED_TRAILING: /* 3.13 */
        fprintf(out, "Exception ignored in atexit callback %s:\n", repr);
        break;
    }
    if (repr != small)
        free(repr);
    atx_report_exception(out, profile, failure);
}

void atx__report_exception_as(FILE *out, const atx_profile *profile,
                               const atx_failure *failure, int by_c, int through_python)
{
    const char *type = by_c && failure->c_type != NULL ? failure->c_type : failure->type;
    const char *message = by_c && failure->c_message != NULL ? failure->c_message
                                                              : failure->message;
    if (out == NULL)
        out = stderr;
    if (!(failure->flags & ATX_FAILURE_NO_TRACEBACK) || (through_python && profile->traceback_always))
        fputs("Traceback (most recent call last):\n", out);
    if ((message != NULL && message[0] != '\0') || profile->colon_on_empty_message)
        fprintf(out, "%s: %s\n", type, message ? message : "");
    else
        fprintf(out, "%s\n", type);
    fflush(out);
}

void atx_report_exception(FILE *out, const atx_profile *profile, const atx_failure *failure)
{
    /* 2.7's run loop is Python (Lib/atexit.py): traceback.print_exc() shows it */
    atx__report_exception_as(out, profile, failure, !profile->traceback_always, 1);
}
