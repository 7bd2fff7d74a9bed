/* unregister.c - atexit.unregister(func): which entries are compared, in which order, how. */
#include <string.h>

#include "registry.h"

/* Python's `func == entry` (3.14's PyObject_RichCompareBool(func, entry)) with the
 * profile's compare_argument_first, else `entry == func` (3.0-3.13's
 * PyObject_RichCompareBool(cb->func, func)): whose __eq__ is asked first
 * (clause unregister.eq-order). */
static int compare(const atx_profile *p, atx_callable *func, atx_callable *entry,
                   atx_failure **raised)
{
    return p->compare_argument_first ? atx_callable_equal(func, entry, raised)
                                     : atx_callable_equal(entry, func, raised);
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

/* Empties slot i if it still holds e; drops the slot's reference. */
static void empty_slot(atx_registry *r, size_t i, atx__entry *e)
{
    int emptied = 0;
    pthread_mutex_lock(&r->lock);
    if (i < r->used && r->slots[i] == e) {
        r->slots[i] = NULL;
        emptied = 1;
    }
    pthread_mutex_unlock(&r->lock);
    if (emptied)
        atx__entry_unref(r, e);
}

/* 3.0-3.13: slots in registration order; a match is emptied, not removed
 * (clause introspection.ncallbacks-counts-emptied). */
static int unregister_oldest_first(atx_registry *r, atx_callable *callable, atx_failure **failure)
{
    size_t i;
    for (i = 0;; i++) {
        atx_failure *raised = NULL;
        int eq, past_end;
        atx__entry *e = atx__take_slot(r, i, &past_end);
        if (past_end)
            return 0;
        if (e == NULL)
            continue;
        eq = compare(r->profile, callable, e->callable, &raised);
        if (eq == ATX_EQUAL)
            empty_slot(r, i, e);
        atx__entry_unref(r, e);
        if (eq == ATX_ERAISED) /* clause unregister.eq-raises: what was emptied stays so */
            return raise_from_unregister(raised, failure);
    }
}

/* The entry at list position j (slot used-1-j) with a reference taken, or NULL
 * past the end. */
static atx__entry *take_newest(atx_registry *r, size_t j)
{
    atx__entry *e = NULL;
    pthread_mutex_lock(&r->lock);
    if (j < r->used) {
        e = r->slots[r->used - 1 - j];
        e->refs++;
    }
    pthread_mutex_unlock(&r->lock);
    return e;
}

/* Removes whatever is now at list position j (slot used-1-j), closing the gap:
 * 3.14's PyList_SetSlice(callbacks, i, i + 1, NULL) after the comparison. */
static void remove_at(atx_registry *r, size_t j)
{
    atx__entry *gone = NULL;
    pthread_mutex_lock(&r->lock);
    if (j < r->used) {
        size_t slot = r->used - 1 - j;
        gone = r->slots[slot];
        memmove(r->slots + slot, r->slots + slot + 1, (r->used - 1 - slot) * sizeof *r->slots);
        r->slots[--r->used] = NULL;
    }
    pthread_mutex_unlock(&r->lock);
    if (gone != NULL)
        atx__entry_unref(r, gone);
}

/* 3.14: a list, newest first (position j is slot used-1-j); a match is removed at
 * once, so the same position is looked at again. Registering from a hook shifts
 * the list, as in CPython. */
static int unregister_newest_first(atx_registry *r, atx_callable *callable, atx_failure **failure)
{
    size_t j = 0;
    for (;;) {
        atx_failure *raised = NULL;
        int eq;
        atx__entry *e = take_newest(r, j);
        if (e == NULL)
            return 0;
        eq = compare(r->profile, callable, e->callable, &raised);
        atx__entry_unref(r, e);
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
