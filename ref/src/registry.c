/* registry.c - the handler registry: register, unregister, run, clear, count.
 *
 * The model is CPython 3.x's Modules/atexitmodule.c: an array of slots, in
 * registration order, that unregister empties without compacting; `used` is
 * what _ncallbacks() reports. Entries are reference-counted so that user code
 * (called with the lock released) may change the registry under a running
 * handler or comparison. */
#include <pthread.h>
#include <string.h>

#include "atx_internal.h"

typedef struct entry {
    atx_callable *callable; /* borrowed */
    atx_args *args;         /* owned; NULL for none */
    size_t refs;            /* 1 for the slot, 1 per call or comparison under way */
    struct entry *next;     /* only while being cleared */
} entry;

struct atx_registry {
    pthread_mutex_t lock;
    atx_allocator allocator;
    const atx_profile *profile;
    atx_reporter reporter;
    void *reporter_ctx;
    entry **slots;
    size_t used;     /* slots in use, emptied ones included; slots[i] is NULL for i >= used */
    size_t capacity;
};

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

/* Drops one reference; the last one frees the entry and its args (user code:
 * never called with the lock held). */
static void entry_unref(atx_registry *r, entry *e)
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
    entry *e;
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
        entry **grown = atx__resize(&registry->allocator, registry->slots,
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

/* The entry in slot i with a reference taken, or NULL (an empty or absent slot);
 * *past_end (when given) says whether i is beyond the slots in use. */
static entry *take_slot(atx_registry *r, size_t i, int *past_end)
{
    entry *e = NULL;
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

/* Empties slot i if it still holds e; drops the slot's reference. */
static void empty_slot(atx_registry *r, size_t i, entry *e)
{
    int emptied = 0;
    pthread_mutex_lock(&r->lock);
    if (i < r->used && r->slots[i] == e) {
        r->slots[i] = NULL;
        emptied = 1;
    }
    pthread_mutex_unlock(&r->lock);
    if (emptied)
        entry_unref(r, e);
}

/* Hands an equality hook's failure to the caller (or releases it). */
static int raise_from_unregister(atx_failure *raised, atx_failure **failure)
{
    if (failure != NULL)
        *failure = raised;
    else
        atx_failure_release(raised);
    return ATX_ERAISED;
}

/* 3.0-3.13: slots in registration order, compared entry == func; a match is
 * emptied, not removed (clauses unregister.eq-order, introspection.ncallbacks-counts-emptied). */
static int unregister_oldest_first(atx_registry *r, atx_callable *callable, atx_failure **failure)
{
    size_t i;
    for (i = 0;; i++) {
        atx_failure *raised = NULL;
        int eq, past_end;
        entry *e = take_slot(r, i, &past_end);
        if (past_end)
            return 0;
        if (e == NULL)
            continue;
        /* PyObject_RichCompareBool(cb->func, func): the entry first. */
        eq = atx_callable_equal(e->callable, callable, &raised);
        if (eq == ATX_EQUAL)
            empty_slot(r, i, e);
        entry_unref(r, e);
        if (eq == ATX_ERAISED) /* clause unregister.eq-raises: what was emptied stays so */
            return raise_from_unregister(raised, failure);
    }
}

/* Removes whatever is now at list position j (slot used-1-j), closing the gap:
 * 3.14's PyList_SetSlice(callbacks, i, i + 1, NULL) after the comparison. */
static void remove_at(atx_registry *r, size_t j)
{
    entry *gone = NULL;
    pthread_mutex_lock(&r->lock);
    if (j < r->used) {
        size_t slot = r->used - 1 - j;
        gone = r->slots[slot];
        memmove(r->slots + slot, r->slots + slot + 1, (r->used - 1 - slot) * sizeof *r->slots);
        r->slots[--r->used] = NULL;
    }
    pthread_mutex_unlock(&r->lock);
    if (gone != NULL)
        entry_unref(r, gone);
}

/* 3.14: a list, newest first (position j is slot used-1-j), compared
 * func == entry; a match is removed at once, so the same position is looked
 * at again. Registering from a hook shifts the list, as in CPython. */
static int unregister_newest_first(atx_registry *r, atx_callable *callable, atx_failure **failure)
{
    size_t j = 0;
    for (;;) {
        entry *e = NULL;
        atx_failure *raised = NULL;
        int eq;
        pthread_mutex_lock(&r->lock);
        if (j < r->used) {
            e = r->slots[r->used - 1 - j];
            e->refs++;
        }
        pthread_mutex_unlock(&r->lock);
        if (e == NULL)
            return 0;
        eq = atx_callable_equal(callable, e->callable, &raised);
        entry_unref(r, e);
        if (eq == ATX_ERAISED)
            return raise_from_unregister(raised, failure);
        if (eq == ATX_EQUAL)
            remove_at(r, j);
        else
            j++;
    }
}

int atx_unregister(atx_registry *registry, atx_callable *callable, atx_failure **failure)
{
    if (registry == NULL || callable == NULL || callable->type == NULL)
        return ATX_EINVAL;
    if (!registry->profile->has_unregister)
        return ATX_ENOSYS;
    if (registry->profile->unregister_newest_first)
        return unregister_newest_first(registry, callable, failure);
    return unregister_oldest_first(registry, callable, failure);
}

/* Calls one entry and deals with its failure: report, keep as last, or release. */
static void call_entry(atx_registry *r, entry *e, atx_failure **last)
{
    atx_failure *failure = NULL;
    const atx_profile *p = r->profile;
    if (e->callable->type->call == NULL) {
        failure = atx__failure_not_callable(&r->allocator, e->callable->type->name);
    } else if (e->callable->type->call(e->callable, e->args, &failure) == 0) {
        return;
    } else if (failure == NULL) {
        failure = atx__failure_unset();
    }
    /* 3.0-3.9 and 2.7 stay silent on SystemExit; 3.10+ report it (clause run.systemexit). */
    if (!(failure->flags & ATX_FAILURE_EXIT) || p->report_exit)
        r->reporter(r->reporter_ctx, p, e->callable, failure);
    if (p->reraise_last) {
        atx_failure_release(*last);
        *last = failure;
    } else {
        atx_failure_release(failure);
    }
}

/* 3.x: visit the slots that existed at the start, last first (clause run.lifo). */
static void run_slots(atx_registry *r, atx_failure **last)
{
    size_t i;
    pthread_mutex_lock(&r->lock);
    i = r->used;
    pthread_mutex_unlock(&r->lock);
    while (i-- > 0) {
        entry *e = take_slot(r, i, NULL);
        if (e == NULL)
            continue;
        call_entry(r, e, last);
        entry_unref(r, e);
    }
}

/* 2.7: `while _exithandlers: _exithandlers.pop()()`, so handlers registered
 * during the run run too. */
static void run_pop(atx_registry *r, atx_failure **last)
{
    for (;;) {
        entry *e = NULL;
        pthread_mutex_lock(&r->lock);
        while (r->used > 0 && e == NULL)
            e = r->slots[--r->used];
        if (e != NULL)
            r->slots[r->used] = NULL;
        pthread_mutex_unlock(&r->lock);
        if (e == NULL)
            return;
        call_entry(r, e, last);
        entry_unref(r, e);
    }
}

/* 3.14: call a copy of the list, newest first: what is unregistered or
 * cleared meanwhile is still called (clauses run.unregister-during,
 * run.clear-during). Without memory for the copy, nothing is called and a
 * MemoryError is reported ("Exception ignored while copying atexit callbacks"). */
static void run_copy(atx_registry *r, atx_failure **last)
{
    static atx_failure no_memory = {"MemoryError", NULL, 0, NULL, 0};
    entry **copy;
    size_t n, i, live = 0;
    pthread_mutex_lock(&r->lock);
    n = r->used;
    copy = n ? atx__alloc(&r->allocator, n * sizeof *copy) : NULL;
    for (i = n; copy != NULL && i-- > 0;) {
        if (r->slots[i] != NULL) {
            copy[live++] = r->slots[i];
            r->slots[i]->refs++;
        }
    }
    pthread_mutex_unlock(&r->lock);
    if (n && copy == NULL) {
        r->reporter(r->reporter_ctx, r->profile, NULL, &no_memory);
        return;
    }
    for (i = 0; i < live; i++) {
        call_entry(r, copy[i], last);
        entry_unref(r, copy[i]);
    }
    atx__free(&r->allocator, copy);
}

/* Detaches every entry under the lock, then frees them without it. */
static void clear_all(atx_registry *r)
{
    entry *list = NULL;
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
        entry *next = list->next;
        entry_unref(r, list);
        list = next;
    }
}

int atx_run(atx_registry *registry, atx_failure **failure)
{
    atx_failure *last = NULL;
    if (registry == NULL)
        return ATX_EINVAL;
    if (registry->profile->run_order == ATX_RUN_POP)
        run_pop(registry, &last);
    else if (registry->profile->run_order == ATX_RUN_COPY)
        run_copy(registry, &last);
    else
        run_slots(registry, &last);
    /* atexit_cleanup(): what was registered during the run is dropped
     * (clause run.register-during) */
    clear_all(registry);
    if (last == NULL)
        return 0;
    /* 2.7-3.9: "the last exception to be raised is re-raised" (clause run.reraise-last) */
    if (failure != NULL)
        *failure = last;
    else
        atx_failure_release(last);
    return ATX_ERAISED;
}

int atx_clear(atx_registry *registry)
{
    if (registry == NULL)
        return ATX_EINVAL;
    if (!registry->profile->has_clear)
        return ATX_ENOSYS;
    clear_all(registry);
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
