/* support.c - shared test doubles for the CMocka tests. */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1;
static long live_blocks;

/* Counts an allocation down; true when this one is the one to fail. */
static int fail_now(void)
{
    if (fail_countdown == 0) {
        fail_countdown = -1;
        return 1;
    }
    if (fail_countdown > 0)
        fail_countdown--;
    return 0;
}

static void *failing_alloc(void *ctx, size_t size)
{
    void *p;
    (void)ctx;
    if (fail_now())
        return NULL;
    p = malloc(size);
    if (p != NULL)
        live_blocks++;
    return p;
}

static void *failing_resize(void *ctx, void *ptr, size_t size)
{
    void *p;
    (void)ctx;
    if (fail_now())
        return NULL;
    p = realloc(ptr, size);
    if (p != NULL && ptr == NULL)
        live_blocks++;
    return p;
}

static void failing_free(void *ctx, void *ptr)
{
    (void)ctx;
    if (ptr != NULL)
        live_blocks--;
    free(ptr);
}

atx_allocator failing_allocator = {failing_alloc, failing_resize, failing_free, NULL};

void failing_allocator_arm(long fail_at)
{
    fail_countdown = fail_at;
}

long failing_allocator_live(void)
{
    return live_blocks;
}

static long released;

static void release_failure(atx_failure *failure)
{
    released++;
    free(failure);
}

long released_failures(void)
{
    return released;
}

static atx_failure *make_failure(const char *type, unsigned flags)
{
    atx_failure *f = malloc(sizeof *f);
    assert_non_null(f);
    f->type = type;
    f->message = "scripted";
    f->flags = flags;
    f->release = release_failure;
    f->exit_code = 0;
    return f;
}

static int test_call(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    test_callable *c = (test_callable *)self;
    (void)args;
    check_expected_ptr(self);
    c->calls++;
    if (c->during != NULL)
        c->during(c);
    if (c->fail_silently)
        return -1;
    if (c->fail_type == NULL)
        return 0;
    *failure = make_failure(c->fail_type, c->fail_flags);
    return -1;
}

static int test_equal(atx_callable *self, atx_callable *other, atx_failure **failure)
{
    test_callable *c = (test_callable *)self;
    check_expected_ptr(self);
    (void)other;
    if (c->equal_result < 0 && c->fail_type != NULL)
        *failure = make_failure(c->fail_type, 0);
    return c->equal_result;
}

static int test_repr(const atx_callable *self, char *buf, size_t size)
{
    return snprintf(buf, size, "<test %s>", ((const test_callable *)self)->name);
}

const atx_callable_type TEST_TYPE = {"test", test_call, test_equal, test_repr};
const atx_callable_type TEST_PLAIN_TYPE = {"plain", test_call, NULL, NULL};
const atx_callable_type TEST_NOT_CALLABLE_TYPE = {"int", NULL, NULL, NULL};

void test_callable_init(test_callable *c, const atx_callable_type *type, const char *name)
{
    memset(c, 0, sizeof *c);
    c->base.type = type;
    c->name = name;
    c->equal_result = ATX_NOT_IMPLEMENTED;
}

void expect_calls(test_callable *const *order, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        expect_value(test_call, self, cast_ptr_to_largest_integral_type(order[i]));
}

void record_report(void *ctx, const atx_profile *profile, const atx_callable *callable,
                   const atx_failure *failure)
{
    report_log *log = ctx;
    (void)profile;
    assert_true(log->n < 16);
    log->callable[log->n] = callable;
    snprintf(log->type[log->n], sizeof log->type[0], "%s", failure->type);
    snprintf(log->message[log->n], sizeof log->message[0], "%s",
             failure->message ? failure->message : "");
    log->n++;
}

atx_registry *make_registry(const char *version, report_log *log)
{
    atx_registry *r = NULL;
    atx_registry_options options = {NULL, atx_profile_find(version), record_report, log};
    assert_non_null(options.profile);
    assert_int_equal(atx_registry_new(&options, &r), 0);
    return r;
}

void must_register(atx_registry *r, test_callable *c)
{
    assert_int_equal(atx_register(r, &c->base, NULL, NULL), 0);
}

static long live_values;

void *counted_value(void)
{
    live_values++;
    return malloc(1);
}

long counted_values_live(void)
{
    return live_values;
}

void counted_release(void *value)
{
    live_values--;
    free(value);
}
