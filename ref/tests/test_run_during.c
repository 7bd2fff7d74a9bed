/* test_run_during.c - a handler that changes the registry while it runs: registers,
 * unregisters, clears, empties it (2.7's reload) or runs it again, per profile, and
 * 3.14's run of a copy. */
#include "support.h"

typedef struct during_ctx {
    atx_registry *r;
    test_callable *other;
} during_ctx;

static void register_other(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    must_register(ctx->r, ctx->other);
}

static void test_run_register_during_run_by_profile(void **state)
{
    (void)state;
    {   /* 3.x: dropped (clause run.register-during) */
        report_log log = {0};
        atx_registry *r = make_registry("3.11", &log);
        test_callable a, late;
        during_ctx ctx = {r, &late};
        test_callable *order[] = {&a};
        test_callable_init(&a, &TEST_TYPE, "a");
        test_callable_init(&late, &TEST_TYPE, "late");
        a.during = register_other;
        a.ctx = &ctx;
        must_register(r, &a);
        expect_calls(order, 1);
        assert_int_equal(atx_run(r, NULL), 0);
        assert_int_equal(atx_count(r), 0);
        atx_registry_free(r);
    }
    {   /* 2.7: popped until empty, so it runs */
        report_log log = {0};
        atx_registry *r = make_registry("2.7", &log);
        test_callable a, late;
        during_ctx ctx = {r, &late};
        test_callable *order[] = {&a, &late};
        test_callable_init(&a, &TEST_TYPE, "a");
        test_callable_init(&late, &TEST_TYPE, "late");
        a.during = register_other;
        a.ctx = &ctx;
        must_register(r, &a);
        expect_calls(order, 2);
        assert_int_equal(atx_run(r, NULL), 0);
        atx_registry_free(r);
    }
}

static void unregister_other(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_unregister(ctx->r, &ctx->other->base, NULL), 0);
}

static void test_run_unregister_during_run_skips_the_handler(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, b;
    during_ctx ctx = {r, &a};
    test_callable *order[] = {&b};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    b.during = unregister_other;
    b.ctx = &ctx;
    must_register(r, &a);
    must_register(r, &b);
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    atx_registry_free(r);
}

static void unregister_self(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_unregister(ctx->r, &self->base, NULL), 0);
}

static void test_run_handler_may_unregister_itself(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a;
    during_ctx ctx = {r, NULL};
    atx_args *args = NULL;
    test_callable *order[] = {&a};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    a.during = unregister_self;
    a.ctx = &ctx;
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(counted_values_live(), 0);
    atx_registry_free(r);
}

static void clear_then_register(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_clear(ctx->r), 0);
    must_register(ctx->r, ctx->other);
}

static void test_run_clear_then_register_during_run_runs_the_new_one(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, b, c, late;
    during_ctx ctx = {r, &late};
    test_callable *order[] = {&c, &late}; /* late lands in slot 0, still to be visited */
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&c, &TEST_PLAIN_TYPE, "c");
    test_callable_init(&late, &TEST_PLAIN_TYPE, "late");
    c.during = clear_then_register;
    c.ctx = &ctx;
    must_register(r, &a);
    must_register(r, &b);
    must_register(r, &c);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    atx_registry_free(r);
}

static void discard_then_register(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_discard_all(ctx->r), 0);
    must_register(ctx->r, ctx->other);
}

/* 2.7's reload(atexit) in a handler: the run pops from the new list, so what was
 * registered before is dropped and what is registered since is called. */
static void test_run_2_7_discard_during_run_drops_the_rest(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("2.7", &log);
    test_callable a, b, late;
    during_ctx ctx = {r, &late};
    test_callable *order[] = {&b, &late};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&late, &TEST_PLAIN_TYPE, "late");
    b.during = discard_then_register;
    b.ctx = &ctx;
    must_register(r, &a);
    must_register(r, &b);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_discard_all(NULL), ATX_EINVAL);
    atx_registry_free(r);
}

static void run_nested(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    if (self->calls == 1) /* the nested run calls b again: recurse once only */
        assert_int_equal(atx_run(ctx->r, NULL), 0);
}

static void test_run_nested_run_takes_the_rest(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, b;
    during_ctx ctx = {r, NULL};
    test_callable *order[] = {&b, &b, &a};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    b.during = run_nested;
    b.ctx = &ctx;
    must_register(r, &a);
    must_register(r, &b);
    /* b is still in its slot: the nested run calls b, then a, and empties the
     * registry, so the outer run finds nothing left (as CPython 3.x does) */
    expect_calls(order, 3);
    assert_int_equal(atx_run(r, NULL), 0);
    atx_registry_free(r);
}

/* ---- 3.14: a copy of the list ---------------------------------------------- */
static void test_run_3_14_calls_a_copy(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.14", &log);
    test_callable a, b, late;
    during_ctx ctx = {r, &a};
    test_callable *order[] = {&b, &a};
    size_t n;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&late, &TEST_PLAIN_TYPE, "late");
    b.during = unregister_other; /* a is unregistered, but the copy still calls it */
    b.ctx = &ctx;
    must_register(r, &a);
    must_register(r, &b);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 0);
    /* clear, then register, during the run: the copy runs on, the new one is dropped */
    ctx.other = &late;
    b.during = clear_then_register;
    must_register(r, &a);
    must_register(r, &b);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    atx_registry_free(r);
}

static void test_run_3_14_copy_without_memory_calls_nothing(void **state)
{
    report_log log = {0};
    atx_registry *r = NULL;
    atx_registry_options options = {&failing_allocator, atx_profile_find("3.14"), record_report, &log};
    test_callable a;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_registry_new(&options, &r), 0);
    must_register(r, &a);
    failing_allocator_arm(0);
    assert_int_equal(atx_run(r, NULL), 0);
    failing_allocator_arm(-1);
    assert_int_equal(log.n, 1);
    assert_null(log.callable[0]);
    assert_string_equal(log.type[0], "MemoryError");
    assert_int_equal(atx_count(r), 0);
    atx_registry_free(r);
    assert_int_equal(failing_allocator_live(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_register_during_run_by_profile),
        cmocka_unit_test(test_run_unregister_during_run_skips_the_handler),
        cmocka_unit_test(test_run_handler_may_unregister_itself),
        cmocka_unit_test(test_run_clear_then_register_during_run_runs_the_new_one),
        cmocka_unit_test(test_run_2_7_discard_during_run_drops_the_rest),
        cmocka_unit_test(test_run_nested_run_takes_the_rest),
        cmocka_unit_test(test_run_3_14_calls_a_copy),
        cmocka_unit_test(test_run_3_14_copy_without_memory_calls_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
