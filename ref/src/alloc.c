/* alloc.c - the injectable allocator: NULL hooks fall back to the C library. */
#include <stdlib.h>

#include "atx_internal.h"

void atx__allocator_init(atx_allocator *dst, const atx_allocator *src)
{
    static const atx_allocator libc = {NULL, NULL, NULL, NULL};
    *dst = src ? *src : libc;
}

void *atx__alloc(const atx_allocator *a, size_t size)
{
    return a->alloc ? a->alloc(a->ctx, size) : malloc(size);
}

void *atx__resize(const atx_allocator *a, void *ptr, size_t size)
{
    return a->resize ? a->resize(a->ctx, ptr, size) : realloc(ptr, size);
}

void atx__free(const atx_allocator *a, void *ptr)
{
    if (ptr == NULL)
        return;
    if (a->release)
        a->release(a->ctx, ptr);
    else
        free(ptr);
}
