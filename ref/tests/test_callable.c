/* test_callable.c - Python's == between callables, and repr(). */
#include "support.h"

#include <string.h>

static void test_callable_identity_is_equal_without_hooks(void **state)
{
    test_callable a;
    atx_failure *f = NULL;
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    assert_int_equal(atx_callable_equal(&a.base, &a.base, &f), ATX_EQUAL);
}

static void test_callable_reflected_hook_decides_when_first_is_not_implemented(void **state)
{
    test_callable a, b;
    atx_failure *f = NULL;
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&b, &TEST_TYPE, "b");
    b.equal_result = ATX_EQUAL;
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&a));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&b));
    assert_int_equal(atx_callable_equal(&a.base, &b.base, &f), ATX_EQUAL);
    a.equal_result = ATX_NOT_EQUAL; /* decided: b's hook is not asked */
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&a));
    assert_int_equal(atx_callable_equal(&a.base, &b.base, &f), ATX_NOT_EQUAL);
}

static void test_callable_no_hooks_means_not_equal(void **state)
{
    test_callable a, b;
    atx_failure *f = NULL;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    assert_int_equal(atx_callable_equal(&a.base, &b.base, &f), ATX_NOT_EQUAL);
    assert_null(f);
}

static void test_callable_hook_failure_is_handed_back(void **state)
{
    test_callable a, b;
    atx_failure *f = NULL;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_TYPE, "b");
    b.equal_result = -1;
    b.fail_type = "RuntimeError";
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&b));
    assert_int_equal(atx_callable_equal(&a.base, &b.base, &f), ATX_ERAISED);
    assert_string_equal(f->type, "RuntimeError");
    atx_failure_release(f);
    atx_failure_release(NULL);
}

static void test_callable_repr_uses_the_hook_or_a_default(void **state)
{
    test_callable a, b;
    char buf[64];
    int len;
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    atx_callable_repr(&a.base, buf, sizeof buf);
    assert_string_equal(buf, "<test a>");
    len = atx_callable_repr(&b.base, buf, sizeof buf);
    assert_int_equal(len, (int)strlen(buf));
    assert_memory_equal(buf, "<plain object at 0x", 19);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callable_identity_is_equal_without_hooks),
        cmocka_unit_test(test_callable_reflected_hook_decides_when_first_is_not_implemented),
        cmocka_unit_test(test_callable_no_hooks_means_not_equal),
        cmocka_unit_test(test_callable_hook_failure_is_handed_back),
        cmocka_unit_test(test_callable_repr_uses_the_hook_or_a_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
