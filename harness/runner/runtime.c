/* runtime.c - the interpreter's state, and its registry. */
#include "runtime.h"

#include <stddef.h>

runtime rt = {.events_fd = -1};

int runtime_open_registry(const atx_profile *profile, atx_reporter reporter)
{
    atx_registry_options options = {NULL, NULL, NULL, NULL};
    int err;
    options.profile = profile;
    options.reporter = reporter;
    err = atx_registry_new(&options, &rt.registry);
    return err != 0 ? err : atx_process_install(rt.registry);
}
