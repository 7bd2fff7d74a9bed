/* test_run.c - running the registry: order, arguments, failures, per profile (changes
 * during a run, and 3.14's copy: test_run_during.c). */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_is_lifo),
        cmocka_unit_test(test_run_passes_args_and_frees_them),
        cmocka_unit_test(test_run_failures_do_not_stop_it),
        cmocka_unit_test(test_run_3_9_reraises_the_last_failure),
        cmocka_unit_test(test_run_systemexit_is_silent_until_3_10),
        cmocka_unit_test(test_run_not_callable_failure_survives_no_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
