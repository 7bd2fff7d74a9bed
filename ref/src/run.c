/* run.c - atexit._run_exitfuncs(): the three run orders, and what a failing handler does. */
#include "registry.h"

/* Calls one entry and deals with its failure: report, keep as last, or release. */
static void call_entry(atx_registry *r, atx__entry *e, atx_failure **last)
{
    const atx_profile *p = r->profile;
    atx_failure *failure = atx__call(&r->allocator, e->callable, e->args);
    if (failure == NULL)
        return;
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
        atx__entry *e = atx__take_slot(r, i, NULL);
        if (e == NULL)
            continue;
        call_entry(r, e, last);
        atx__entry_unref(r, e);
    }
}

/* 2.7: `while _exithandlers: _exithandlers.pop()()`, so handlers registered
 * during the run run too. */
static void run_pop(atx_registry *r, atx_failure **last)
{
    for (;;) {
        atx__entry *e = NULL;
        pthread_mutex_lock(&r->lock);
        while (r->used > 0 && e == NULL)
            e = r->slots[--r->used];
        if (e != NULL)
            r->slots[r->used] = NULL;
        pthread_mutex_unlock(&r->lock);
        if (e == NULL)
            return;
        call_entry(r, e, last);
        atx__entry_unref(r, e);
    }
}

/* 3.14: call a copy of the list, newest first: what is unregistered or
 * cleared meanwhile is still called (clauses run.unregister-during,
 * run.clear-during). Without memory for the copy, nothing is called and a
 * MemoryError is reported ("Exception ignored while copying atexit callbacks"). */
static void run_copy(atx_registry *r, atx_failure **last)
{
    static atx_failure no_memory = {.type = "MemoryError"};
    atx__entry **copy;
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
        atx__entry_unref(r, copy[i]);
    }
    atx__free(&r->allocator, copy);
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
    atx__clear_all(registry);
    if (last == NULL)
        return 0;
    /* 2.7-3.9: "the last exception to be raised is re-raised" (clause run.reraise-last) */
    if (failure != NULL)
        *failure = last;
    else
        atx_failure_release(last);
    return ATX_ERAISED;
}
