/* registry.c - the handler registry's storage: create, free, register, clear and count. */
#include <string.h>

#include "registry.h"

int atx_registry_new(const atx_registry_options *options, atx_registry **out)
{
    static const atx_registry_options defaults = {NULL, NULL, NULL, NULL};
    atx_allocator a;
    atx_registry *r;
    if (out == NULL)
        return ATX_EINVAL;
    if (options == NULL)
        options = &defaults;
    atx__allocator_init(&a, options->allocator);
    r = atx__alloc(&a, sizeof *r);
    if (r == NULL)
        return ATX_ENOMEM;
    memset(r, 0, sizeof *r);
    if (pthread_mutex_init(&r->lock, NULL) != 0) {
        atx__free(&a, r);
        return ATX_ENOMEM;
    }
    r->allocator = a;
    r->profile = options->profile ? options->profile : atx_profile_default();
    r->reporter = options->reporter ? options->reporter : atx_report_default;
    r->reporter_ctx = options->reporter_ctx;
    *out = r;
    return 0;
}

void atx__entry_unref(atx_registry *r, atx__entry *e)
{
    size_t left;
    pthread_mutex_lock(&r->lock);
    left = --e->refs;
    pthread_mutex_unlock(&r->lock);
    if (left == 0) {
        atx_args_free(e->args);
        atx__free(&r->allocator, e);
    }
}

void atx_registry_free(atx_registry *registry)
{
    atx_allocator a;
    size_t i;
    if (registry == NULL)
        return;
    for (i = 0; i < registry->used; i++) {
        if (registry->slots[i] != NULL) {
            atx_args_free(registry->slots[i]->args);
            atx__free(&registry->allocator, registry->slots[i]);
        }
    }
    a = registry->allocator;
    atx__free(&a, registry->slots);
    pthread_mutex_destroy(&registry->lock);
    atx__free(&a, registry);
}

const atx_profile *atx_registry_profile(const atx_registry *registry)
{
    return registry->profile;
}

int atx_register(atx_registry *registry, atx_callable *callable, atx_args *args,
                 atx_callable **returned)
{
    atx__entry *e;
    if (registry == NULL || callable == NULL || callable->type == NULL)
        return ATX_EINVAL;
    /* 3.x: "the first argument must be callable"; 2.7 fails only when run. */
    if (registry->profile->check_callable && callable->type->call == NULL)
        return ATX_ENOTCALLABLE;
    e = atx__alloc(&registry->allocator, sizeof *e);
    if (e == NULL)
        return ATX_ENOMEM;
    e->callable = callable;
    e->args = args;
    e->refs = 1;
    e->next = NULL;
    pthread_mutex_lock(&registry->lock);
    if (registry->used == registry->capacity) {
        size_t capacity = registry->capacity ? registry->capacity * 2 : 8;
        atx__entry **grown = atx__resize(&registry->allocator, registry->slots,
                                         capacity * sizeof *grown);
        if (grown == NULL) {
            pthread_mutex_unlock(&registry->lock);
            atx__free(&registry->allocator, e);
            return ATX_ENOMEM;
        }
        memset(grown + registry->capacity, 0, (capacity - registry->capacity) * sizeof *grown);
        registry->slots = grown;
        registry->capacity = capacity;
    }
    registry->slots[registry->used++] = e;
    pthread_mutex_unlock(&registry->lock);
    if (returned != NULL)
        *returned = callable;
    return 0;
}

atx__entry *atx__take_slot(atx_registry *r, size_t i, int *past_end)
{
    atx__entry *e = NULL;
    pthread_mutex_lock(&r->lock);
    if (past_end != NULL)
        *past_end = i >= r->used;
    if (i < r->used && r->slots[i] != NULL) {
        e = r->slots[i];
        e->refs++;
    }
    pthread_mutex_unlock(&r->lock);
    return e;
}

void atx__clear_all(atx_registry *r)
{
    atx__entry *list = NULL;
    size_t i;
    pthread_mutex_lock(&r->lock);
    for (i = 0; i < r->used; i++) {
        if (r->slots[i] != NULL) {
            r->slots[i]->next = list;
            list = r->slots[i];
            r->slots[i] = NULL;
        }
    }
    r->used = 0;
    pthread_mutex_unlock(&r->lock);
    while (list != NULL) {
        atx__entry *next = list->next;
        atx__entry_unref(r, list);
        list = next;
    }
}

int atx_clear(atx_registry *registry)
{
    if (registry != NULL && !registry->profile->has_clear)
        return ATX_ENOSYS;
    return atx_discard_all(registry);
}

int atx_discard_all(atx_registry *registry)
{
    if (registry == NULL)
        return ATX_EINVAL;
    atx__clear_all(registry);
    return 0;
}

int atx_ncallbacks(const atx_registry *registry, size_t *count)
{
    atx_registry *r = (atx_registry *)registry; /* the lock only */
    if (registry == NULL || count == NULL)
        return ATX_EINVAL;
    if (!registry->profile->has_ncallbacks)
        return ATX_ENOSYS;
    pthread_mutex_lock(&r->lock);
    *count = r->used; /* clause introspection.ncallbacks-counts-emptied */
    pthread_mutex_unlock(&r->lock);
    return 0;
}

size_t atx_count(const atx_registry *registry)
{
    atx_registry *r = (atx_registry *)registry; /* the lock only */
    size_t i, live = 0;
    if (registry == NULL)
        return 0;
    pthread_mutex_lock(&r->lock);
    for (i = 0; i < r->used; i++)
        live += r->slots[i] != NULL;
    pthread_mutex_unlock(&r->lock);
    return live;
}
