/* callable.c - calling a callable from C, Python's == between callables, and repr(). */
#include <stdio.h>

#include "atx_internal.h"

atx_failure *atx__call(const atx_allocator *a, atx_callable *callable, const atx_args *args)
{
    atx_failure *failure = NULL;
    if (callable->type->call == NULL)
        return atx__failure_not_callable(a, callable->type->name);
    if (callable->type->call(callable, args, &failure) == 0)
        return NULL;
    return failure != NULL ? failure : atx__failure_unset();
}

/* One side's __eq__: a decided answer, ATX_NOT_IMPLEMENTED, or ATX_ERAISED. */
static int one_side(atx_callable *self, atx_callable *other, atx_failure **failure)
{
    atx_failure *raised = NULL;
    int result;
    if (self->type->equal == NULL)
        return ATX_NOT_IMPLEMENTED;
    result = self->type->equal(self, other, &raised);
    if (result == ATX_EQUAL || result == ATX_NOT_EQUAL || result == ATX_NOT_IMPLEMENTED)
        return result;
    *failure = raised != NULL && result < 0 ? raised : atx__failure_unset();
    if (raised != NULL && result >= 0)
        atx_failure_release(raised);
    return ATX_ERAISED;
}

/* PyObject_RichCompareBool(a, b, Py_EQ): identity, a.__eq__(b), then b.__eq__(a)
 * (clauses unregister.identity-first, unregister.eq-order). */
int atx_callable_equal(atx_callable *a, atx_callable *b, atx_failure **failure)
{
    int result;
    if (a == b)
        return ATX_EQUAL;
    result = one_side(a, b, failure);
    if (result == ATX_NOT_IMPLEMENTED)
        result = one_side(b, a, failure);
    return result == ATX_NOT_IMPLEMENTED ? ATX_NOT_EQUAL : result;
}

int atx_callable_repr(const atx_callable *callable, char *buf, size_t size)
{
    if (callable->type->repr != NULL) {
        int len = callable->type->repr(callable, buf, size);
        if (len < 0 && size > 0)
            buf[0] = '\0';
        return len;
    }
    return snprintf(buf, size, "<%s object at %p>", callable->type->name, (const void *)callable);
}
