/* profile.c - one preset of behaviour switches per CPython era, looked up by version. */
#include <stdlib.h>
#include <string.h>

#include "atx.h"

/* What atx_profile_default() stands for: Debian's python3. */
#define DEFAULT_VERSION "3.11"

typedef struct era {
    int major, first_minor, last_minor;
    atx_profile profile;
} era;

static const era ERAS[] = {
    /* Lib/atexit.py: no checks, no private API; re-raises; pops until empty;
     * sys.exitfunc raises the last failure again at shutdown. */
    {.major = 2, .first_minor = 7, .last_minor = 7,
     .profile = {.name = "2.7", .check_callable = 0, .has_unregister = 0,
                 .has_ncallbacks = 0, .has_clear = 0, .reraise_last = 1, .report_exit = 0,
                 .header = ATX_HEADER_ERROR_IN_RUN, .colon_on_empty_message = 0,
                 .report_chains = 0, .run_order = ATX_RUN_POP, .traceback_always = 1, .shutdown_reraise = 1,
                 .unregister_newest_first = 0, .compare_argument_first = 0,
                 .child_runs_handlers = 0}},
    /* Modules/atexitmodule.c; SystemExit silent, the last failure re-raised. */
    {.major = 3, .first_minor = 0, .last_minor = 9,
     .profile = {.name = "3.0-3.9", .check_callable = 1, .has_unregister = 1,
                 .has_ncallbacks = 1, .has_clear = 1, .reraise_last = 1, .report_exit = 0,
                 .header = ATX_HEADER_ERROR_IN_RUN, .colon_on_empty_message = 0,
                 .report_chains = 1, .run_order = ATX_RUN_SLOTS, .traceback_always = 0, .shutdown_reraise = 0,
                 .unregister_newest_first = 0, .compare_argument_first = 0,
                 .child_runs_handlers = 0}},
    /* bpo-42639: failures go to the unraisable hook, nothing re-raised. */
    {.major = 3, .first_minor = 10, .last_minor = 12,
     .profile = {.name = "3.10-3.12", .check_callable = 1, .has_unregister = 1,
                 .has_ncallbacks = 1, .has_clear = 1, .reraise_last = 0, .report_exit = 1,
                 .header = ATX_HEADER_IGNORED_COLON, .colon_on_empty_message = 1,
                 .report_chains = 0, .run_order = ATX_RUN_SLOTS, .traceback_always = 0, .shutdown_reraise = 0,
                 .unregister_newest_first = 0, .compare_argument_first = 0,
                 .child_runs_handlers = 0}},
    /* multiprocessing children of fork and forkserver run their own handlers. */
    {.major = 3, .first_minor = 13, .last_minor = 13,
     .profile = {.name = "3.13", .check_callable = 1, .has_unregister = 1,
                 .has_ncallbacks = 1, .has_clear = 1, .reraise_last = 0, .report_exit = 1,
                 .header = ATX_HEADER_IGNORED_TRAILING, .colon_on_empty_message = 1,
                 .report_chains = 0, .run_order = ATX_RUN_SLOTS, .traceback_always = 0, .shutdown_reraise = 0,
                 .unregister_newest_first = 0, .compare_argument_first = 0,
                 .child_runs_handlers = 1}},
    /* The registry becomes a list, newest first, compared func == entry; a run
     * calls a copy of it. */
    {.major = 3, .first_minor = 14, .last_minor = 14,
     .profile = {.name = "3.14", .check_callable = 1, .has_unregister = 1,
                 .has_ncallbacks = 1, .has_clear = 1, .reraise_last = 0, .report_exit = 1,
                 .header = ATX_HEADER_IGNORED_TRAILING, .colon_on_empty_message = 1,
                 .report_chains = 0, .run_order = ATX_RUN_COPY, .traceback_always = 0, .shutdown_reraise = 0,
                 .unregister_newest_first = 1, .compare_argument_first = 1,
                 .child_runs_handlers = 1}},
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
    return atx_profile_find(DEFAULT_VERSION);
}
