/* process.c - the process layer: the default registry, and running a registry when the
 * C process ends normally (return from main, exit()), as Python does at shutdown. */
#include <pthread.h>
#include <stdlib.h>

#include "atx_internal.h"

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static atx_registry *default_registry;

static void make_default(void)
{
    if (atx_registry_new(NULL, &default_registry) != 0)
        default_registry = NULL;
}

atx_registry *atx_default_registry(void)
{
    pthread_once(&default_once, make_default);
    return default_registry;
}

static pthread_mutex_t install_lock = PTHREAD_MUTEX_INITIALIZER;
static atx_registry *installed;
static int hooked;

static void run_installed(void)
{
    atx_registry *registry;
    pthread_mutex_lock(&install_lock);
    registry = installed;
    pthread_mutex_unlock(&install_lock);
    /* 3.x discards a failure handed back at shutdown; the reports were written. */
    if (registry != NULL)
        atx_run(registry, NULL);
}

int atx_process_install(atx_registry *registry)
{
    int err = 0;
    pthread_mutex_lock(&install_lock);
    if (!hooked) {
        if (atexit(run_installed) != 0)
            err = ATX_ENOMEM;
        else
            hooked = 1;
    }
    if (err == 0)
        installed = registry;
    pthread_mutex_unlock(&install_lock);
    return err;
}
