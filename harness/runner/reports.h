/* reports.h - a failing handler's report, printed where and how CPython prints it. */
#ifndef RUNNER_REPORTS_H
#define RUNNER_REPORTS_H

#include <atx.h>

/* The runner's atx_reporter: atx_report_default, but nothing at all when the report
 * itself would exceed the recursion limit (3.9-3.12), and a "Traceback" line for a
 * failure from C code while Python code runs (3.10+: the unraisable hook builds the
 * traceback from the running frame). ctx is atx_report_default's. */
void report_failure(void *ctx, const atx_profile *profile, const atx_callable *callable,
                    const atx_failure *failure);

#endif
