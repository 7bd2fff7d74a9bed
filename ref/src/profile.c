/* profile.c - one preset of behaviour switches per CPython era, looked up by version. */
#include <stdlib.h>
#include <string.h>

#include "atx.h"

typedef struct era {
    int major, first_minor, last_minor;
    atx_profile profile;
} era;

/* Switches, in atx_profile order: check_callable, has_unregister, has_ncallbacks,
 * has_clear, reraise_last, report_exit, header, colon_on_empty_message, run_order,
 * traceback_always, shutdown_reraise, interrupt_kills, unregister_newest_first,
 * compare_argument_first, missing_function, default_start, child_runs_handlers,
 * child_exit_none_is_zero. */
#define MISSING_2 "'module' object has no attribute '%s'"
#define MISSING_3 "module 'atexit' has no attribute '%s'"
#define FORK ATX_START_FORK
static const era ERAS[] = {
    /* Lib/atexit.py: no checks, no private API; re-raises; pops until empty;
     * sys.exitfunc raises the last failure again at shutdown. */
    {2, 7, 7, {"2.7", 0, 0, 0, 0, 1, 0, ATX_HEADER_ERROR_IN_RUN, 0, ATX_RUN_POP, 1, 1, 0, 0, 0, MISSING_2, FORK, 0, 0}},
    /* Modules/atexitmodule.c; SystemExit silent, the last failure re-raised. */
    {3, 0, 7, {"3.0-3.7", 1, 1, 1, 1, 1, 0, ATX_HEADER_ERROR_IN_RUN, 0, ATX_RUN_SLOTS, 0, 0, 0, 0, 0, MISSING_3, FORK, 0, 0}},
    /* bpo-1054041: an uncaught KeyboardInterrupt ends the process by SIGINT. */
    {3, 8, 8, {"3.8", 1, 1, 1, 1, 1, 0, ATX_HEADER_ERROR_IN_RUN, 0, ATX_RUN_SLOTS, 0, 0, 1, 0, 0, MISSING_3, FORK, 0, 0}},
    /* multiprocessing's _bootstrap reads SystemExit.code: sys.exit() is status 0. */
    {3, 9, 9, {"3.9", 1, 1, 1, 1, 1, 0, ATX_HEADER_ERROR_IN_RUN, 0, ATX_RUN_SLOTS, 0, 0, 1, 0, 0, MISSING_3, FORK, 0, 1}},
    /* bpo-42639: failures go to the unraisable hook, nothing re-raised. */
    {3, 10, 12, {"3.10-3.12", 1, 1, 1, 1, 0, 1, ATX_HEADER_IGNORED_COLON, 1, ATX_RUN_SLOTS, 0, 0, 1, 0, 0, MISSING_3, FORK, 0, 1}},
    /* multiprocessing children of fork and forkserver run their own handlers. */
    {3, 13, 13, {"3.13", 1, 1, 1, 1, 0, 1, ATX_HEADER_IGNORED_TRAILING, 1, ATX_RUN_SLOTS, 0, 0, 1, 0, 0, MISSING_3, FORK, 1, 1}},
    /* The registry becomes a list, newest first; a run calls a copy of it;
     * multiprocessing starts by forkserver. */
    {3, 14, 14, {"3.14", 1, 1, 1, 1, 0, 1, ATX_HEADER_IGNORED_TRAILING, 1, ATX_RUN_COPY, 0, 0, 1, 1, 1, MISSING_3, ATX_START_FORKSERVER, 1, 1}},
};

/* Reads "X.Y" or "X.Y.Z" (decimal parts); 0 when the text is not a version. */
static int parse_version(const char *text, int *major, int *minor)
{
    char *end;
    long parts[3];
    int n = 0;
    while (n < 3) {
        if (*text < '0' || *text > '9')
            return 0;
        parts[n++] = strtol(text, &end, 10);
        if (*end == '\0')
            break;
        if (*end != '.')
            return 0;
        text = end + 1;
    }
    if (n < 2 || *end != '\0' || parts[0] > 99 || parts[1] > 99)
        return 0;
    *major = (int)parts[0];
    *minor = (int)parts[1];
    return 1;
}

const atx_profile *atx_profile_find(const char *version)
{
    int major, minor;
    size_t i;
    if (version == NULL || !parse_version(version, &major, &minor))
        return NULL;
    for (i = 0; i < sizeof ERAS / sizeof ERAS[0]; i++)
        if (ERAS[i].major == major && minor >= ERAS[i].first_minor && minor <= ERAS[i].last_minor)
            return &ERAS[i].profile;
    return NULL;
}

const atx_profile *atx_profile_default(void)
{
    return &ERAS[4].profile; /* 3.11 */
}
