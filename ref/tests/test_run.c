/* test_run.c - running the registry: order, arguments, failures, changes during a run, per profile. */
#include "support.h"

/* ---- order, arguments, failures ---------------------------------------------- */
static void test_run_is_lifo(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, b, c;
    test_callable *order[] = {&c, &b, &a};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&c, &TEST_TYPE, "c");
    must_register(r, &a);
    must_register(r, &b);
    must_register(r, &c);
    expect_calls(order, 3);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_run(r, NULL), 0); /* a second run calls nothing */
    assert_int_equal(atx_run(NULL, NULL), ATX_EINVAL);
    atx_registry_free(r);
}

static void test_run_passes_args_and_frees_them(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a;
    atx_args *args = NULL;
    test_callable *order[] = {&a};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(counted_values_live(), 0);
    atx_registry_free(r);
}

static void test_run_failures_do_not_stop_it(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, b, silent;
    test_callable *order[] = {&silent, &b, &a};
    long before = released_failures();
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&b, &TEST_TYPE, "b");
    test_callable_init(&silent, &TEST_TYPE, "silent");
    b.fail_type = "ValueError";
    silent.fail_silently = 1;
    must_register(r, &a);
    must_register(r, &b);
    must_register(r, &silent);
    expect_calls(order, 3);
    assert_int_equal(atx_run(r, NULL), 0); /* 3.10+: nothing re-raised */
    assert_int_equal(log.n, 2);
    assert_ptr_equal(log.callable[0], &silent.base);
    assert_string_equal(log.type[0], "SystemError");
    assert_ptr_equal(log.callable[1], &b.base);
    assert_string_equal(log.type[1], "ValueError");
    assert_int_equal(released_failures() - before, 1);
    atx_registry_free(r);
}

static void test_run_3_9_reraises_the_last_failure(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.9", &log);
    test_callable first, last;
    test_callable *order[] = {&last, &first};
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&first, &TEST_TYPE, "first");
    test_callable_init(&last, &TEST_TYPE, "last");
    first.fail_type = "KeyError";   /* runs last: its failure is re-raised */
    last.fail_type = "ValueError";
    must_register(r, &first);
    must_register(r, &last);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, &raised), ATX_ERAISED);
    assert_string_equal(raised->type, "KeyError");
    assert_int_equal(log.n, 2);
    atx_failure_release(raised);
    /* with nowhere to hand it, the failure is released */
    must_register(r, &first);
    expect_calls(order + 1, 1);
    assert_int_equal(atx_run(r, NULL), ATX_ERAISED);
    atx_registry_free(r);
}

static void test_run_systemexit_is_silent_until_3_10(void **state)
{
    const char *versions[] = {"3.9", "3.11"};
    size_t v;
    (void)state;
    for (v = 0; v < 2; v++) {
        report_log log = {0};
        atx_registry *r = make_registry(versions[v], &log);
        test_callable quitter;
        test_callable *order[] = {&quitter};
        atx_failure *raised = NULL;
        test_callable_init(&quitter, &TEST_TYPE, "quitter");
        quitter.fail_type = "SystemExit";
        quitter.fail_flags = ATX_FAILURE_EXIT;
        must_register(r, &quitter);
        expect_calls(order, 1);
        if (v == 0) {
            assert_int_equal(atx_run(r, &raised), ATX_ERAISED); /* re-raised, not reported */
            assert_int_equal(log.n, 0);
            atx_failure_release(raised);
        } else {
            assert_int_equal(atx_run(r, &raised), 0);
            assert_int_equal(log.n, 1);
            assert_string_equal(log.type[0], "SystemExit");
        }
        atx_registry_free(r);
    }
}

static void test_run_not_callable_failure_survives_no_memory(void **state)
{
    report_log log = {0};
    atx_registry *r = NULL;
    atx_registry_options options = {&failing_allocator, atx_profile_find("2.7"), record_report, &log};
    test_callable bad;
    (void)state;
    test_callable_init(&bad, &TEST_NOT_CALLABLE_TYPE, "bad");
    assert_int_equal(atx_registry_new(&options, &r), 0);
    assert_int_equal(atx_register(r, &bad.base, NULL, NULL), 0);
    failing_allocator_arm(0);
    assert_int_equal(atx_run(r, NULL), ATX_ERAISED);
    failing_allocator_arm(-1);
    assert_string_equal(log.type[0], "MemoryError");
    atx_registry_free(r);
    assert_int_equal(failing_allocator_live(), 0);
}

/* ---- changes during a run --------------------------------------------------- */
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
        cmocka_unit_test(test_run_is_lifo),
        cmocka_unit_test(test_run_passes_args_and_frees_them),
        cmocka_unit_test(test_run_failures_do_not_stop_it),
        cmocka_unit_test(test_run_3_9_reraises_the_last_failure),
        cmocka_unit_test(test_run_systemexit_is_silent_until_3_10),
        cmocka_unit_test(test_run_not_callable_failure_survives_no_memory),
        cmocka_unit_test(test_run_register_during_run_by_profile),
        cmocka_unit_test(test_run_unregister_during_run_skips_the_handler),
        cmocka_unit_test(test_run_handler_may_unregister_itself),
        cmocka_unit_test(test_run_clear_then_register_during_run_runs_the_new_one),
        cmocka_unit_test(test_run_nested_run_takes_the_rest),
        cmocka_unit_test(test_run_3_14_calls_a_copy),
        cmocka_unit_test(test_run_3_14_copy_without_memory_calls_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
