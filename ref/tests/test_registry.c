/* test_registry.c - the registry's storage: register, clear, counts, freeing, out of memory, threads. */
#include "support.h"

#include <pthread.h>

/* ---- register ---------------------------------------------------------------- */
static void test_registry_register_returns_the_callable(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a;
    atx_callable *returned = NULL;
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    assert_int_equal(atx_register(r, &a.base, NULL, &returned), 0);
    assert_ptr_equal(returned, &a.base);
    assert_int_equal(atx_register(r, &a.base, NULL, NULL), 0); /* duplicates allowed */
    assert_int_equal(atx_count(r), 2);
    assert_ptr_equal(atx_registry_profile(r), atx_profile_find("3.11"));
    atx_registry_free(r);
}

static void test_registry_register_rejects_bad_arguments(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, bad;
    atx_callable untyped = {NULL};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&bad, &TEST_NOT_CALLABLE_TYPE, "bad");
    assert_int_equal(atx_register(NULL, &a.base, NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_register(r, NULL, NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_register(r, &untyped, NULL, NULL), ATX_EINVAL);
    /* 3.x: "the first argument must be callable", and nothing is registered */
    assert_int_equal(atx_register(r, &bad.base, NULL, NULL), ATX_ENOTCALLABLE);
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_registry_new(NULL, NULL), ATX_EINVAL);
    atx_registry_free(r);
    atx_registry_free(NULL);
}

static void test_registry_2_7_registers_non_callables_and_fails_at_run(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("2.7", &log);
    test_callable bad;
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&bad, &TEST_NOT_CALLABLE_TYPE, "bad");
    assert_int_equal(atx_register(r, &bad.base, NULL, NULL), 0);
    assert_int_equal(atx_run(r, &raised), ATX_ERAISED);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.type[0], "TypeError");
    assert_string_equal(log.message[0], "'int' object is not callable");
    assert_string_equal(raised->message, "'int' object is not callable");
    /* raised by the call itself: no frame, and C shows it as it is */
    assert_true(raised->flags & ATX_FAILURE_NO_TRACEBACK);
    assert_null(raised->c_type);
    assert_null(raised->c_message);
    atx_failure_release(raised);
    atx_registry_free(r);
}

/* ---- clear, counts, the 2.7 API --------------------------------------------- */
static void test_registry_clear_frees_args(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a;
    atx_args *args = NULL;
    size_t n = 9;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    assert_int_equal(atx_clear(r), 0);
    assert_int_equal(counted_values_live(), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(atx_clear(NULL), ATX_EINVAL);
    assert_int_equal(atx_ncallbacks(NULL, &n), ATX_EINVAL);
    assert_int_equal(atx_ncallbacks(r, NULL), ATX_EINVAL);
    assert_int_equal(atx_count(NULL), 0);
    atx_registry_free(r);
}

static void test_registry_2_7_has_no_private_api(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("2.7", &log);
    test_callable a;
    size_t n = 5;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_unregister(r, &a.base, NULL), ATX_ENOSYS);
    assert_int_equal(atx_clear(r), ATX_ENOSYS);
    assert_int_equal(atx_ncallbacks(r, &n), ATX_ENOSYS);
    assert_int_equal(n, 5);
    atx_registry_free(r);
}

static void test_registry_free_releases_registered_args(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a;
    atx_args *args = NULL;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    must_register(r, &a);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0);
    assert_int_equal(counted_values_live(), 0);
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    atx_registry_free(r);
    assert_int_equal(counted_values_live(), 0);
}

/* ---- allocation failures ----------------------------------------------------- */
static void test_registry_out_of_memory_changes_nothing(void **state)
{
    long n;
    int registered = 0;
    (void)state;
    for (n = 0; registered < 20; n++) {
        atx_registry *r = NULL;
        atx_registry_options options = {&failing_allocator, NULL, NULL, NULL};
        test_callable a;
        int i, err;
        test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
        failing_allocator_arm(n);
        err = atx_registry_new(&options, &r);
        if (err != 0) {
            assert_int_equal(err, ATX_ENOMEM);
            assert_null(r);
            continue;
        }
        for (registered = 0; registered < 20; registered++) {
            atx_args *args = NULL;
            size_t before = atx_count(r);
            assert_int_equal(atx_args_new(NULL, &args), 0);
            assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
            err = atx_register(r, &a.base, args, NULL);
            if (err != 0) {
                assert_int_equal(err, ATX_ENOMEM);
                assert_int_equal(atx_count(r), before);
                assert_int_equal(counted_values_live(), (long)before + 1);
                atx_args_free(args); /* still the caller's */
                break;
            }
        }
        failing_allocator_arm(-1);
        for (i = 0; i < registered; i++)
            expect_value(test_call, self, cast_ptr_to_largest_integral_type(&a));
        assert_int_equal(atx_run(r, NULL), 0);
        atx_registry_free(r);
        assert_int_equal(counted_values_live(), 0);
        assert_int_equal(failing_allocator_live(), 0);
    }
}

/* ---- threads -------------------------------------------------------------------- */
typedef struct thread_job {
    atx_registry *r;
    test_callable *c;
} thread_job;

static void *register_many(void *arg)
{
    thread_job *job = arg;
    int i;
    for (i = 0; i < 500; i++)
        if (atx_register(job->r, &job->c->base, NULL, NULL) != 0)
            return arg;
    return NULL;
}

static void test_registry_is_thread_safe(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable c[4];
    thread_job jobs[4];
    pthread_t threads[4];
    int i;
    size_t n;
    (void)state;
    for (i = 0; i < 4; i++) {
        test_callable_init(&c[i], &TEST_PLAIN_TYPE, "c");
        jobs[i].r = r;
        jobs[i].c = &c[i];
        assert_int_equal(pthread_create(&threads[i], NULL, register_many, &jobs[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        void *result;
        assert_int_equal(pthread_join(threads[i], &result), 0);
        assert_null(result);
    }
    assert_int_equal(atx_count(r), 2000);
    assert_int_equal(atx_unregister(r, &c[1].base, NULL), 0);
    assert_int_equal(atx_count(r), 1500);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 2000);
    atx_registry_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_register_returns_the_callable),
        cmocka_unit_test(test_registry_register_rejects_bad_arguments),
        cmocka_unit_test(test_registry_2_7_registers_non_callables_and_fails_at_run),
        cmocka_unit_test(test_registry_clear_frees_args),
        cmocka_unit_test(test_registry_2_7_has_no_private_api),
        cmocka_unit_test(test_registry_free_releases_registered_args),
        cmocka_unit_test(test_registry_out_of_memory_changes_nothing),
        cmocka_unit_test(test_registry_is_thread_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
