/* reports.c - a failing handler's report, where and how CPython prints it. */
#include "reports.h"

#include "events.h"
#include "exceptions.h"
#include "objects.h"
#include "pystack.h"
#include "runtime.h"

/* prelude.py's _unraisable_hook: "unraisable: TYPE: MESSAGE | ERR_MSG | OBJECT"; 3.13
 * puts the callable's repr in the message and passes no object (nor a message when
 * that repr raises). */
static void unraisable_hook(const atx_profile *profile, const atx_callable *callable,
                            const atx_failure *failure)
{
    text t = {NULL, 0, 0};
    char repr[512];
    text_add(&t, "unraisable: ");
    exc_own_text(&t, failure);
    if (profile->header == ATX_HEADER_IGNORED_TRAILING) {
        /* a repr() that raises leaves no message at all */
        if (atx_callable_repr(callable, repr, sizeof repr) < 0)
            text_add(&t, " | None | None");
        else
            text_addf(&t, " | Exception ignored in atexit callback %s | None", repr);
    } else {
        text_add(&t, " | Exception ignored in atexit callback");
        text_add(&t, " | ");
        object_name(&t, callable);
    }
    out_line(&t);
}

void report_failure(void *ctx, const atx_profile *profile, const atx_callable *callable,
                    const atx_failure *failure)
{
    atx_failure shown;
    if (!pystack_report_fits())
        return;
    if (rt.unraisable_hook && callable != NULL && profile->header != ATX_HEADER_ERROR_IN_RUN) {
        unraisable_hook(profile, callable, failure); /* 3.10+ report through the hook */
        return;
    }
    if (failure != NULL && rt.py->traceback_from_frame && pystack_in_python()
        && (failure->flags & ATX_FAILURE_NO_TRACEBACK)) {
        shown = *failure;
        shown.flags &= ~(unsigned)ATX_FAILURE_NO_TRACEBACK;
        failure = &shown;
    }
    atx_report_default(ctx, profile, callable, failure);
}
