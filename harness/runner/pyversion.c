/* pyversion.c - the interpreter facts of each CPython era, looked up by version. */
#include "pyversion.h"

#include <stddef.h>

#define MISSING_2 "'module' object has no attribute '%s'"
#define MISSING_3 "module 'atexit' has no attribute '%s'"

typedef struct era {
    int major, first_minor, last_minor;
    pyversion facts;
} era;

/* The facts every 3.x era shares, then what each changes. */
#define PY3 .missing_function = MISSING_3, .recursion_error = "RecursionError"
/* 3.0-3.9's call errors */
#define CALLS_3 .call_style = CALLARGS_PY3
static const era ERAS[] = {
    {.major = 2, .first_minor = 7, .last_minor = 7,
     .facts = {.name = "2.7", .missing_function = MISSING_2, .default_start = START_FORK,
               .recursion_error = "RuntimeError", .call_style = CALLARGS_PY2,
               .c_call_levels = 1, .thread_report_by_python = 1,
               .atexit_state = ATEXIT_PYTHON_LIST, .main_names_qualified = 1,
               .int_takes_x_keyword = 1}},
    {.major = 3, .first_minor = 0, .last_minor = 6,
     .facts = {.name = "3.0-3.6", PY3, CALLS_3, .c_call_levels = 1,
               .thread_report_by_python = 1, .atexit_state = ATEXIT_NEWEST_MODULE,
               .main_names_qualified = 1, .int_takes_x_keyword = 1}},
    /* atexit's functions all use their own module's state; int() takes no x=. */
    {.major = 3, .first_minor = 7, .last_minor = 7,
     .facts = {.name = "3.7", PY3, CALLS_3, .c_call_levels = 1,
               .thread_report_by_python = 1, .atexit_state = ATEXIT_MODULE_STATE,
               .main_names_qualified = 1}},
    /* bpo-1054041: an uncaught KeyboardInterrupt ends the process by SIGINT. */
    {.major = 3, .first_minor = 8, .last_minor = 8,
     .facts = {.name = "3.8", PY3, CALLS_3, .interrupt_kills = 1, .c_call_levels = 1,
               .atexit_state = ATEXIT_MODULE_STATE, .main_names_qualified = 1}},
    /* multiprocessing's _bootstrap reads SystemExit.code: sys.exit() is status 0. */
    {.major = 3, .first_minor = 9, .last_minor = 9,
     .facts = {.name = "3.9", PY3, CALLS_3, .interrupt_kills = 1,
               .child_exit_none_is_zero = 1, .c_call_levels = 1, .report_levels = 1,
               .atexit_state = ATEXIT_MODULE_STATE, .main_names_qualified = 1}},
    /* bpo-42639: failures go to the unraisable hook; the handlers are the interpreter's;
     * call errors name __qualname__. */
    {.major = 3, .first_minor = 10, .last_minor = 10,
     .facts = {.name = "3.10", PY3, .call_style = CALLARGS_PY3_QUALIFIED,
               .interrupt_kills = 1, .child_exit_none_is_zero = 1, .c_call_levels = 1,
               .report_levels = 2, .traceback_from_frame = 1, .thread_name_target = 1,
               .atexit_state = ATEXIT_INTERPRETER, .main_names_qualified = 1}},
    /* a class of the main module is named without its module by C code */
    {.major = 3, .first_minor = 11, .last_minor = 11,
     .facts = {.name = "3.11", PY3, .call_style = CALLARGS_PY3_QUALIFIED,
               .interrupt_kills = 1, .child_exit_none_is_zero = 1, .c_call_levels = 1,
               .report_levels = 2, .traceback_from_frame = 1, .thread_name_target = 1,
               .atexit_state = ATEXIT_INTERPRETER}},
    /* gh-104690: no thread or fork from a handler at shutdown. */
    {.major = 3, .first_minor = 12, .last_minor = 12,
     .facts = {.name = "3.12", PY3, .call_style = CALLARGS_PY3_QUALIFIED,
               .interrupt_kills = 1, .child_exit_none_is_zero = 1, .c_call_levels = 1,
               .report_levels = 2, .traceback_from_frame = 1, .thread_name_target = 1,
               .atexit_state = ATEXIT_INTERPRETER, .shutdown_forbids_starts = 1}},
    /* The recursion limit counts Python frames only; call errors suggest a keyword. */
    {.major = 3, .first_minor = 13, .last_minor = 13,
     .facts = {.name = "3.13", PY3, .call_style = CALLARGS_PY3_SUGGESTING,
               .interrupt_kills = 1, .child_exit_none_is_zero = 1,
               .traceback_from_frame = 1, .thread_name_target = 1,
               .atexit_state = ATEXIT_INTERPRETER}},
    /* gh-84559: multiprocessing starts by forkserver on Linux. */
    {.major = 3, .first_minor = 14, .last_minor = 14,
     .facts = {.name = "3.14", PY3, .call_style = CALLARGS_PY3_SUGGESTING,
               .interrupt_kills = 1, .child_exit_none_is_zero = 1,
               .traceback_from_frame = 1, .default_start = START_FORKSERVER,
               .thread_name_target = 1, .atexit_state = ATEXIT_INTERPRETER}},
};

/* One decimal part of a version, of 1 to max digits, followed by stop: where stop
 * is, or NULL when the text is not that. */
static const char *part(const char *at, int max, char stop, int *value)
{
    int digits = 0;
    *value = 0;
    for (; *at >= '0' && *at <= '9' && digits < max; at++, digits++)
        *value = *value * 10 + (*at - '0');
    return digits > 0 && *at == stop ? at : NULL;
}

const pyversion *pyversion_find(const char *version, int *major_out, int *minor_out)
{
    int major, minor, micro;
    const char *dot;
    size_t i;
    if (version == NULL || (dot = part(version, 2, '.', &major)) == NULL)
        return NULL;
    /* "X.Y", or "X.Y.Z" */
    if (part(dot + 1, 2, '\0', &minor) == NULL
        && ((dot = part(dot + 1, 2, '.', &minor)) == NULL
            || part(dot + 1, 9, '\0', &micro) == NULL))
        return NULL;
    for (i = 0; i < sizeof ERAS / sizeof ERAS[0]; i++)
        if (ERAS[i].major == major && minor >= ERAS[i].first_minor
            && minor <= ERAS[i].last_minor) {
            *major_out = major;
            *minor_out = minor;
            return &ERAS[i].facts;
        }
    return NULL;
}
