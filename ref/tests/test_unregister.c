/* test_unregister.c - atexit.unregister(func): what is compared, in which order, what a failing hook leaves. */
#include "support.h"

/* ---- 3.0-3.13: oldest first, entry == func ----------------------------------- */
static void test_unregister_removes_every_equal_entry(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, b, twin;
    size_t n = 0;
    test_callable *order[] = {&b};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&twin, &TEST_TYPE, "twin");
    twin.equal_result = ATX_EQUAL; /* compares equal to a (reflected: a has no hook) */
    must_register(r, &a);
    must_register(r, &b);
    must_register(r, &a);
    /* slot order: a (reflected twin hook), b (reflected), a (reflected) */
    expect_value_count(test_equal, self, cast_ptr_to_largest_integral_type(&twin), 3);
    b.equal_result = 0;
    assert_int_equal(atx_unregister(r, &twin.base, NULL), 0);
    /* every slot compared equal through twin's hook: all emptied */
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 3); /* clause introspection.ncallbacks-counts-emptied */
    must_register(r, &b);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0); /* identity only: b stays */
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 0);
    atx_registry_free(r);
}

static void test_unregister_compares_entry_first_then_reflected(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable entry, arg;
    (void)state;
    test_callable_init(&entry, &TEST_TYPE, "entry");
    test_callable_init(&arg, &TEST_TYPE, "arg");
    entry.equal_result = ATX_NOT_IMPLEMENTED;
    arg.equal_result = ATX_NOT_EQUAL;
    must_register(r, &entry);
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&entry));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&arg));
    assert_int_equal(atx_unregister(r, &arg.base, NULL), 0);
    assert_int_equal(atx_count(r), 1);
    /* identical: no hook is called at all */
    assert_int_equal(atx_unregister(r, &entry.base, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    atx_registry_free(r);
}

static void test_unregister_failure_keeps_earlier_removals(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a, raiser;
    atx_failure *raised = NULL;
    long before;
    size_t n;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&raiser, &TEST_TYPE, "raiser");
    raiser.equal_result = -1;
    raiser.fail_type = "RuntimeError";
    must_register(r, &a);
    must_register(r, &raiser);
    must_register(r, &a);
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&raiser));
    assert_int_equal(atx_unregister(r, &a.base, &raised), ATX_ERAISED);
    assert_string_equal(raised->type, "RuntimeError");
    atx_failure_release(raised);
    /* clause unregister.eq-raises: slot 0 stays emptied, slot 2 was never reached */
    assert_int_equal(atx_count(r), 2);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 3);
    before = released_failures();
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&raiser));
    assert_int_equal(atx_unregister(r, &a.base, NULL), ATX_ERAISED);
    assert_int_equal(released_failures() - before, 1);
    atx_registry_free(r);
}

static void test_unregister_hook_errors_without_failure(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable odd, other;
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&odd, &TEST_TYPE, "odd");
    test_callable_init(&other, &TEST_PLAIN_TYPE, "other");
    odd.equal_result = -1; /* fails without setting a failure */
    must_register(r, &odd);
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&odd));
    assert_int_equal(atx_unregister(r, &other.base, &raised), ATX_ERAISED);
    assert_string_equal(raised->type, "SystemError");
    atx_failure_release(raised);
    odd.equal_result = 7; /* not a valid answer */
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&odd));
    assert_int_equal(atx_unregister(r, &other.base, &raised), ATX_ERAISED);
    assert_string_equal(raised->type, "SystemError");
    atx_registry_free(r);
}

static void test_unregister_rejects_bad_arguments(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.11", &log);
    test_callable a;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_unregister(NULL, &a.base, NULL), ATX_EINVAL);
    assert_int_equal(atx_unregister(r, NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0); /* absent: silent */
    atx_registry_free(r);
}

/* ---- 3.14: newest first, func == entry --------------------------------------- */
static void test_unregister_3_14_is_newest_first_argument_first(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.14", &log);
    test_callable old, plain, young, arg;
    size_t n;
    (void)state;
    test_callable_init(&old, &TEST_TYPE, "old");
    test_callable_init(&plain, &TEST_PLAIN_TYPE, "plain");
    test_callable_init(&young, &TEST_TYPE, "young");
    test_callable_init(&arg, &TEST_TYPE, "arg");
    must_register(r, &old);
    must_register(r, &plain);
    must_register(r, &young);
    /* newest first; for each, the argument's hook, then the entry's reflected one */
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&arg));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&young));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&arg));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&arg));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&old));
    assert_int_equal(atx_unregister(r, &arg.base, NULL), 0);
    /* plain has no hook: only the reflected ones are called; plain itself is identical */
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&young));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&old));
    assert_int_equal(atx_unregister(r, &plain.base, NULL), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 2); /* removed, not emptied */
    atx_registry_free(r);
}

static void test_unregister_3_14_failure_keeps_newer_removals(void **state)
{
    report_log log = {0};
    atx_registry *r = make_registry("3.14", &log);
    test_callable a, raiser;
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&raiser, &TEST_TYPE, "raiser");
    raiser.equal_result = -1;
    raiser.fail_type = "RuntimeError";
    must_register(r, &a);
    must_register(r, &raiser);
    must_register(r, &a);
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&raiser));
    assert_int_equal(atx_unregister(r, &a.base, &raised), ATX_ERAISED);
    atx_failure_release(raised);
    assert_int_equal(atx_count(r), 2); /* the newest a went; the oldest was never reached */
    atx_registry_free(r);
}

/* ---- one switch at a time, in a copy of the 3.13 preset -------------------------- */
/* Two entries and an argument whose hooks all answer NotImplemented, so each
 * comparison asks both sides: the order of the calls shows the scan and the
 * comparison's direction. */
typedef struct two_and_arg {
    test_callable old, young, arg;
} two_and_arg;

/* Registers old then young in a registry of profile, expects the equality hooks
 * in order (n of them), and unregisters arg, which matches neither. */
static void unregister_arg(const atx_profile *profile, two_and_arg *t,
                           test_callable *const *order, size_t n)
{
    atx_registry_options options = {NULL, profile, NULL, NULL};
    atx_registry *r = NULL;
    size_t i;
    test_callable_init(&t->old, &TEST_TYPE, "old");
    test_callable_init(&t->young, &TEST_TYPE, "young");
    test_callable_init(&t->arg, &TEST_TYPE, "arg");
    assert_int_equal(atx_registry_new(&options, &r), 0);
    must_register(r, &t->old);
    must_register(r, &t->young);
    for (i = 0; i < n; i++)
        expect_value(test_equal, self, cast_ptr_to_largest_integral_type(order[i]));
    assert_int_equal(atx_unregister(r, &t->arg.base, NULL), 0);
    assert_int_equal(atx_count(r), 2);
    atx_registry_free(r);
}

static void test_unregister_compare_argument_first_asks_the_argument_first(void **state)
{
    two_and_arg t;
    test_callable *const entry_first[] = {&t.old, &t.arg, &t.young, &t.arg};
    test_callable *const argument_first[] = {&t.arg, &t.old, &t.arg, &t.young};
    atx_profile flipped = *atx_profile_find("3.13");
    (void)state;
    unregister_arg(&flipped, &t, entry_first, 4);
    /* func == entry: the argument's hook, then the entry's reflected one; the
     * scan is still oldest first */
    flipped.compare_argument_first = 1;
    unregister_arg(&flipped, &t, argument_first, 4);
}

/* Registers a twice in a registry of profile, unregisters it and returns
 * _ncallbacks(). */
static size_t ncallbacks_after_unregister(const atx_profile *profile)
{
    atx_registry_options options = {NULL, profile, NULL, NULL};
    atx_registry *r = NULL;
    test_callable a;
    size_t n = 99;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_registry_new(&options, &r), 0);
    must_register(r, &a);
    must_register(r, &a);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    atx_registry_free(r);
    return n;
}

static void test_unregister_newest_first_scans_newest_first_and_removes(void **state)
{
    two_and_arg t;
    test_callable *const newest_first[] = {&t.young, &t.arg, &t.old, &t.arg};
    atx_profile flipped = *atx_profile_find("3.13");
    (void)state;
    assert_int_equal(ncallbacks_after_unregister(&flipped), 2); /* emptied slots count */
    flipped.unregister_newest_first = 1;
    /* the comparison is still entry == func, the entry's hook first */
    unregister_arg(&flipped, &t, newest_first, 4);
    /* a match is removed, not emptied: _ncallbacks counts live handlers only */
    assert_int_equal(ncallbacks_after_unregister(&flipped), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unregister_removes_every_equal_entry),
        cmocka_unit_test(test_unregister_compares_entry_first_then_reflected),
        cmocka_unit_test(test_unregister_failure_keeps_earlier_removals),
        cmocka_unit_test(test_unregister_hook_errors_without_failure),
        cmocka_unit_test(test_unregister_rejects_bad_arguments),
        cmocka_unit_test(test_unregister_3_14_is_newest_first_argument_first),
        cmocka_unit_test(test_unregister_3_14_failure_keeps_newer_removals),
        cmocka_unit_test(test_unregister_compare_argument_first_asks_the_argument_first),
        cmocka_unit_test(test_unregister_newest_first_scans_newest_first_and_removes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
