/* registry.h - the registry's storage (registry.c), shared with unregister.c and run.c. */
#ifndef ATX_REGISTRY_H
#define ATX_REGISTRY_H

#include <pthread.h>

#include "atx_internal.h"

/* The model is CPython 3.x's Modules/atexitmodule.c: an array of slots, in
 * registration order, that unregister empties without compacting (3.0-3.13) or
 * removes from (3.14's list); `used` is what _ncallbacks() reports. Entries are
 * reference-counted so that user code (called with the lock released) may change
 * the registry under a running handler or comparison. */
typedef struct atx__entry {
    atx_callable *callable;  /* borrowed */
    atx_args *args;          /* owned; NULL for none */
    size_t refs;             /* 1 for the slot, 1 per call or comparison under way */
    struct atx__entry *next; /* only while being cleared */
} atx__entry;

struct atx_registry {
    pthread_mutex_t lock; /* guards slots, used, capacity and every entry's refs */
    atx_allocator allocator;
    const atx_profile *profile;
    atx_reporter reporter;
    void *reporter_ctx;
    atx__entry **slots;
    size_t used;     /* slots in use, emptied ones included; slots[i] is NULL for i >= used */
    size_t capacity;
};

/* Drops one reference, taking the lock; the last one frees the entry and its
 * args (user code: call it without the lock held). */
void atx__entry_unref(atx_registry *r, atx__entry *e);

/* The entry in slot i with a reference taken, or NULL (an empty or absent slot);
 * *past_end (when not NULL) says whether i is beyond the slots in use. Takes the lock. */
atx__entry *atx__take_slot(atx_registry *r, size_t i, int *past_end);

/* Detaches every entry under the lock, then drops them without it: the registry
 * is empty (used 0) afterwards. */
void atx__clear_all(atx_registry *r);

#endif
