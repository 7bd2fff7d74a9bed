/* test_errors.c - error codes, messages and names. */
#include "support.h"

#include <string.h>

static void test_errors_every_code_has_a_message_and_name(void **state)
{
    (void)state;
    assert_string_equal(atx_strerror(ATX_ENOMEM), "out of memory");
    assert_string_equal(atx_err_name(ATX_ENOMEM), "ATX_ENOMEM");
    assert_string_equal(atx_strerror(ATX_ENOTCALLABLE), "the first argument must be callable");
    assert_string_equal(atx_err_name(ATX_EEXISTS), "ATX_EEXISTS");
    assert_string_equal(atx_err_name(ATX_EINVAL), "ATX_EINVAL");
    assert_string_equal(atx_err_name(ATX_ERAISED), "ATX_ERAISED");
    assert_string_equal(atx_err_name(ATX_ENOSYS), "ATX_ENOSYS");
    assert_string_equal(atx_err_name(ATX_ENOTCALLABLE), "ATX_ENOTCALLABLE");
}

static void test_errors_unknown_codes(void **state)
{
    (void)state;
    assert_string_equal(atx_strerror(0), "unknown error");
    assert_string_equal(atx_strerror(-999), "unknown error");
    assert_string_equal(atx_err_name(42), "ATX_UNKNOWN");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_every_code_has_a_message_and_name),
        cmocka_unit_test(test_errors_unknown_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
