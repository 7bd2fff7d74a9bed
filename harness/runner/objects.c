/* objects.c - the case's Python objects as libatx callables: functions, bound methods,
 * callable objects with a custom __eq__, builtins and plain values. */
#include "objects.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "events.h"
#include "exceptions.h"
#include "pystack.h"
#include "pyvalue.h"
#include "runtime.h"
#include "signature.h"
#include "steps.h"

/* A Python object of a case: every one is a libatx callable (first member). */
typedef enum obj_kind {
    OBJ_FUNCTION, OBJ_METHOD, OBJ_CALLABLE_OBJECT, OBJ_BUILTIN, OBJ_VALUE,
    OBJ_LIBRARY /* a function of Python's own library: does nothing a case sees */
} obj_kind;

typedef struct pyobj {
    atx_callable base;
    obj_kind kind;
    const handler *h;        /* all but OBJ_VALUE */
    const object_decl *self; /* OBJ_METHOD: the instance it is bound to */
    value *val;              /* OBJ_VALUE */
    const char *library;     /* OBJ_LIBRARY: its __name__ */
    library_body body;       /* OBJ_LIBRARY: what calling it does (NULL: nothing) */
    void *body_ctx;
    struct pyobj *next;      /* every object made, kept until the process ends */
} pyobj;

static pyobj *all_objects; /* guarded by objects_lock: threads make objects too */
static pthread_mutex_t objects_lock = PTHREAD_MUTEX_INITIALIZER;
/* How many times each handler's body, and each __eq__ body, has been called
 * (prelude.py's _count_call, for on_call): 2 per handler, by index. */
static atomic_uint *call_counts;
/* Set by object_call: the call comes from Python code, not from C (libatx). */
static _Thread_local int python_caller;

static int handler_call(atx_callable *self, const atx_args *args, atx_failure **failure);
static int method_equal(atx_callable *self, atx_callable *other, atx_failure **failure);
static int custom_equal(atx_callable *self, atx_callable *other, atx_failure **failure);
static int value_eq(atx_callable *self, atx_callable *other, atx_failure **failure);
static int builtin_invoke(atx_callable *self, const atx_args *args, atx_failure **failure);
static int library_call(atx_callable *self, const atx_args *args, atx_failure **failure);
static int object_repr(const atx_callable *self, char *buf, size_t size);

/* Python's own == for each kind: a function has no __eq__ of its own (identity);
 * a bound method compares __self__ and __func__; values compare by value. */
static const atx_callable_type FUNCTION_TYPE = {
    .name = "function", .call = handler_call, .equal = NULL, .repr = object_repr};
static const atx_callable_type METHOD_TYPE = {
    .name = "method", .call = handler_call, .equal = method_equal, .repr = object_repr};
static const atx_callable_type OBJECT_TYPE = {
    .name = "object", .call = handler_call, .equal = NULL, .repr = object_repr};
static const atx_callable_type OBJECT_EQ_TYPE = {
    .name = "object", .call = handler_call, .equal = custom_equal, .repr = object_repr};
static const atx_callable_type BUILTIN_TYPE = {
    .name = "builtin_function_or_method", .call = builtin_invoke, .equal = NULL,
    .repr = object_repr};
static const atx_callable_type LIBRARY_TYPE = {
    .name = "function", .call = library_call, .equal = NULL, .repr = object_repr};
static const atx_callable_type INT_CLASS_TYPE = {
    .name = "type", .call = builtin_invoke, .equal = NULL, .repr = object_repr};
/* Plain values are not callable: by value kind. */
static const atx_callable_type VALUE_TYPES[] = {
    [VALUE_NONE] = {.name = "NoneType", .call = NULL, .equal = value_eq, .repr = object_repr},
    [VALUE_BOOL] = {.name = "bool", .call = NULL, .equal = value_eq, .repr = object_repr},
    [VALUE_INT] = {.name = "int", .call = NULL, .equal = value_eq, .repr = object_repr},
    [VALUE_TEXT] = {.name = "str", .call = NULL, .equal = value_eq, .repr = object_repr},
    [VALUE_LIST] = {.name = "list", .call = NULL, .equal = value_eq, .repr = object_repr}};

static pyobj *new_object(obj_kind kind, const atx_callable_type *type)
{
    pyobj *o = calloc(1, sizeof *o);
    if (o == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    o->base.type = type;
    o->kind = kind;
    pthread_mutex_lock(&objects_lock);
    o->next = all_objects;
    all_objects = o;
    pthread_mutex_unlock(&objects_lock);
    return o;
}

static pyobj *handler_object(const handler *h)
{
    pyobj *o;
    pthread_mutex_lock(&objects_lock);
    for (o = all_objects; o != NULL; o = o->next)
        if (o->h == h && o->kind != OBJ_METHOD)
            break;
    pthread_mutex_unlock(&objects_lock);
    if (o != NULL)
        return o;
    if (h->kind == KIND_FUNCTION)
        o = new_object(OBJ_FUNCTION, &FUNCTION_TYPE);
    else if (h->kind == KIND_CALLABLE_OBJECT)
        o = new_object(OBJ_CALLABLE_OBJECT, h->has_eq ? &OBJECT_EQ_TYPE : &OBJECT_TYPE);
    else
        o = new_object(OBJ_BUILTIN, builtin_find(h->builtin)->is_class ? &INT_CLASS_TYPE
                                                                        : &BUILTIN_TYPE);
    o->h = h;
    return o;
}

atx_callable *object_for_ref(const ref *r)
{
    pyobj *o;
    if (r->h == NULL) {
        o = new_object(OBJ_VALUE, &VALUE_TYPES[r->literal.kind]);
        o->val = value_copy(&r->literal);
        return &o->base;
    }
    if (r->obj == NULL)
        return &handler_object(r->h)->base;
    o = new_object(OBJ_METHOD, &METHOD_TYPE);
    o->h = r->h;
    o->self = r->obj;
    return &o->base;
}

atx_callable *object_library_function(const char *name, library_body body, void *ctx)
{
    pyobj *o = new_object(OBJ_LIBRARY, &LIBRARY_TYPE);
    o->library = name;
    o->body = body;
    o->body_ctx = ctx;
    return &o->base;
}

static int fail_from_frame(pyexc *raised, atx_failure **failure);

static int library_call(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    pyobj *o = (pyobj *)self;
    pyexc *raised;
    (void)args;
    python_caller = 0;
    if (o->body == NULL || (raised = o->body(o->body_ctx)) == NULL)
        return 0;
    return fail_from_frame(raised, failure); /* its frame is Python's own */
}

void object_name(text *out, const atx_callable *callable)
{
    const pyobj *o = (const pyobj *)callable;
    if (o->kind == OBJ_LIBRARY)
        text_add(out, o->library);
    else if (o->kind == OBJ_VALUE)
        value_canonical(out, o->val);
    else if (o->kind == OBJ_METHOD)
        text_addf(out, "%s.%s", o->self->name, o->h->name);
    else if (o->kind == OBJ_BUILTIN)
        text_add(out, builtin_find(o->h->builtin)->python_name);
    else
        text_add(out, o->h->name);
}

int object_name_levels(const atx_callable *callable)
{
    const pyobj *o = (const pyobj *)callable;
    if (o->kind == OBJ_VALUE)
        return 1 + value_format_levels(o->val); /* _name, then _fmt */
    return o->kind == OBJ_METHOD ? 2 : 1;       /* a method: _name of its __self__ */
}

static int object_repr(const atx_callable *callable, char *buf, size_t size)
{
    const pyobj *o = (const pyobj *)callable;
    text t = {NULL, 0, 0};
    int len;
    switch (o->kind) {
    case OBJ_FUNCTION:
        text_addf(&t, "<function %s at %p>", o->h->name, (const void *)o);
        break;
    case OBJ_METHOD:
        text_addf(&t, "<bound method %s.%s of <__main__.%s object at %p>>", o->self->cls,
                  o->h->name, o->self->cls, (const void *)o->self);
        break;
    case OBJ_CALLABLE_OBJECT:
        if (o->h->repr_raises) /* its __repr__ raises RuntimeError */
            return -1;
        text_addf(&t, "<__main__.%s_type object at %p>", o->h->name, (const void *)o);
        break;
    case OBJ_BUILTIN:
        text_add(&t, builtin_find(o->h->builtin)->repr);
        break;
    case OBJ_VALUE:
        value_repr(&t, o->val);
        break;
    case OBJ_LIBRARY:
        text_addf(&t, "<function %s at %p>", o->library, (const void *)o);
        break;
    }
    len = snprintf(buf, size, "%s", text_str(&t));
    text_free(&t);
    return len;
}

int objects_init(void)
{
    call_counts = calloc(2 * rt.c->nhandlers + 1, sizeof *call_counts);
    return call_counts == NULL ? -1 : 0;
}

/* This call of the body (from 1): eq selects __eq__'s counter. */
static int count_call(const handler *h, int eq)
{
    size_t i = 2 * (size_t)(h - rt.c->handlers) + (eq ? 1 : 0);
    return (int)(atomic_fetch_add(&call_counts[i], 1u) + 1u);
}

pyexc *object_call(atx_callable *callable, const atx_args *args)
{
    atx_failure *failure = NULL;
    int failed;
    if (callable->type->call == NULL) { /* TypeError: 'int' object is not callable */
        text message = {NULL, 0, 0};
        pyexc *e;
        text_addf(&message, "'%s' object is not callable", callable->type->name);
        e = exc_new("TypeError", text_str(&message), 0);
        text_free(&message);
        return e;
    }
    python_caller = 1;
    failed = callable->type->call(callable, args, &failure);
    python_caller = 0;
    return failed ? exc_from_failure(failure) : NULL;
}

/* Enters a handler's or __eq__'s frame, called from C (through level: libatx's run or
 * unregister) unless object_call says otherwise. NULL, or the RecursionError. */
static pyexc *enter_frame(pystack_level through, int *entered_through)
{
    pyexc *e = NULL;
    *entered_through = !python_caller;
    python_caller = 0;
    if (*entered_through && (e = pystack_enter(through)) != NULL)
        return e;
    if ((e = pystack_enter(LEVEL_FRAME)) != NULL && *entered_through)
        pystack_leave(through);
    return e;
}

static void leave_frame(pystack_level through, int entered_through)
{
    pystack_leave(LEVEL_FRAME);
    if (entered_through)
        pystack_leave(through);
}

/* A failure that leaves a Python frame has that frame in its traceback. */
static int fail_from_frame(pyexc *raised, atx_failure **failure)
{
    raised->base.flags &= ~(unsigned)ATX_FAILURE_NO_TRACEBACK;
    *failure = &raised->base;
    return -1;
}

/* A fixed signature's binding (signature.h), the function named as CPython names it:
 * co_name, and __qualname__ (Box.close, e_type.__call__). */
static pyexc *bind_call(const pyobj *o, const atx_args *args, atx_args **bound)
{
    text qualname = {NULL, 0, 0};
    const char *name = o->kind == OBJ_CALLABLE_OBJECT ? "__call__" : o->h->name;
    pyexc *raised;
    if (o->kind == OBJ_METHOD)
        text_addf(&qualname, "%s.%s", o->self->cls, name);
    else if (o->kind == OBJ_CALLABLE_OBJECT)
        text_addf(&qualname, "%s_type.%s", o->h->name, name);
    else
        text_add(&qualname, name);
    raised = signature_bind(o->h, name, text_str(&qualname), o->kind != OBJ_FUNCTION, args,
                            bound);
    text_free(&qualname);
    return raised;
}

static int handler_call(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    pyobj *o = (pyobj *)self;
    text name = {NULL, 0, 0};
    text event = {NULL, 0, 0};
    frame f;
    int through;
    atx_args *bound = NULL;
    pyexc *raised = o->h->has_params ? bind_call(o, args, &bound) : NULL;
    if (raised != NULL) { /* before its frame exists */
        python_caller = 0;
        *failure = &raised->base;
        return -1;
    }
    if (bound != NULL) /* what the body sees as args and kwargs */
        args = bound;
    if ((raised = enter_frame(LEVEL_C_CALL, &through)) != NULL) {
        atx_args_free(bound);
        *failure = &raised->base;
        return -1;
    }
    /* its first line logs the call: _event('call ' + _call_text(...)) */
    if (!o->h->quiet && (raised = pystack_need(call_text_levels(args))) != NULL) {
        leave_frame(LEVEL_C_CALL, through);
        atx_args_free(bound);
        return fail_from_frame(raised, failure);
    }
    object_name(&name, self);
    if (!o->h->quiet) {
        text_add(&event, "call ");
        call_text(&event, text_str(&name), args);
        event_emit(text_str(&event));
        text_free(&event);
    }
    memset(&f, 0, sizeof f);
    f.name = text_str(&name);
    f.args = args;
    f.call_number = count_call(o->h, 0);
    raised = exec_steps(&o->h->body, &f);
    text_free(&name);
    atx_args_free(bound);
    leave_frame(LEVEL_C_CALL, through);
    return raised == NULL ? 0 : fail_from_frame(raised, failure);
}

static int builtin_invoke(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    const handler *h = ((pyobj *)self)->h;
    pyexc *raised = builtin_find(h->builtin)->call(h, args);
    if (raised == NULL)
        return 0;
    *failure = &raised->base;
    return -1;
}

/* 3.8+: bound methods are equal when __self__ is the same and __func__ is equal. */
static int method_equal(atx_callable *self, atx_callable *other, atx_failure **failure)
{
    const pyobj *a = (const pyobj *)self;
    const pyobj *b = (const pyobj *)other;
    (void)failure;
    if (b->kind != OBJ_METHOD)
        return ATX_NOT_IMPLEMENTED;
    return a->self == b->self && a->h == b->h ? ATX_EQUAL : ATX_NOT_EQUAL;
}

static int custom_equal(atx_callable *self, atx_callable *other, atx_failure **failure)
{
    pyobj *o = (pyobj *)self;
    text event = {NULL, 0, 0};
    frame f;
    int through;
    pyexc *raised = enter_frame(LEVEL_COMPARE, &through);
    if (raised != NULL) {
        *failure = &raised->base;
        return -1;
    }
    /* its first line logs the call: _event('eq NAME ' + _name(other)) */
    if (!o->h->quiet && (raised = pystack_need(object_name_levels(other))) != NULL) {
        leave_frame(LEVEL_COMPARE, through);
        return fail_from_frame(raised, failure);
    }
    if (!o->h->quiet) {
        text_addf(&event, "eq %s ", o->h->name);
        object_name(&event, other);
        event_emit(text_str(&event));
        text_free(&event);
    }
    memset(&f, 0, sizeof f);
    f.name = o->h->name;
    f.other = other;
    f.result = EQ_FALSE; /* a body without return returns False (oracle/compile.py) */
    f.call_number = count_call(o->h, 1);
    raised = exec_steps(&o->h->eq, &f);
    leave_frame(LEVEL_COMPARE, through);
    if (raised != NULL)
        return fail_from_frame(raised, failure);
    return f.result == EQ_TRUE ? ATX_EQUAL : f.result == EQ_FALSE ? ATX_NOT_EQUAL
                                                               : ATX_NOT_IMPLEMENTED;
}

static int value_eq(atx_callable *self, atx_callable *other, atx_failure **failure)
{
    const pyobj *a = (const pyobj *)self;
    const pyobj *b = (const pyobj *)other;
    (void)failure;
    if (b->kind != OBJ_VALUE)
        return ATX_NOT_IMPLEMENTED;
    return value_equal(a->val, b->val) ? ATX_EQUAL : ATX_NOT_EQUAL;
}
