/* reports.c - a failing handler's report, where and how CPython prints it. */
#include "reports.h"

#include "pystack.h"
#include "runtime.h"

void report_failure(void *ctx, const atx_profile *profile, const atx_callable *callable,
                    const atx_failure *failure)
{
    atx_failure shown;
    if (!pystack_report_fits())
        return;
    if (failure != NULL && rt.py->traceback_from_frame && pystack_in_python()
        && (failure->flags & ATX_FAILURE_NO_TRACEBACK)) {
        shown = *failure;
        shown.flags &= ~(unsigned)ATX_FAILURE_NO_TRACEBACK;
        failure = &shown;
    }
    atx_report_default(ctx, profile, callable, failure);
}
