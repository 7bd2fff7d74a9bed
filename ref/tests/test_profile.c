/* test_profile.c - presets by version: each era's switches. */
#include "support.h"

static void test_profile_versions_map_to_their_era(void **state)
{
    (void)state;
    assert_string_equal(atx_profile_find("2.7")->name, "2.7");
    assert_string_equal(atx_profile_find("2.7.18")->name, "2.7");
    assert_string_equal(atx_profile_find("3.6")->name, "3.0-3.7");
    assert_string_equal(atx_profile_find("3.7.16")->name, "3.0-3.7");
    assert_string_equal(atx_profile_find("3.8")->name, "3.8");
    assert_string_equal(atx_profile_find("3.9.18")->name, "3.9");
    assert_string_equal(atx_profile_find("3.10")->name, "3.10-3.12");
    assert_string_equal(atx_profile_find("3.12.1")->name, "3.10-3.12");
    assert_string_equal(atx_profile_find("3.13")->name, "3.13");
    assert_string_equal(atx_profile_find("3.14.2")->name, "3.14");
    assert_ptr_equal(atx_profile_default(), atx_profile_find("3.11"));
}

static void test_profile_unknown_versions_are_null(void **state)
{
    const char *bad[] = {"2.6", "4.0", "3.15", "3.99", "", "3", "3.x", "x.1", "3.11.", "3.11.2.1",
                         "3..1", "300.1", "-3.1"};
    size_t i;
    (void)state;
    assert_null(atx_profile_find(NULL));
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(atx_profile_find(bad[i]));
}

static void test_profile_switches_change_at_the_right_versions(void **state)
{
    const atx_profile *p27 = atx_profile_find("2.7"), *p39 = atx_profile_find("3.9");
    const atx_profile *p37 = atx_profile_find("3.7"), *p38 = atx_profile_find("3.8");
    const atx_profile *p310 = atx_profile_find("3.10"), *p313 = atx_profile_find("3.13");
    (void)state;
    assert_false(p27->check_callable);
    assert_true(p39->check_callable);
    assert_false(p27->has_unregister || p27->has_clear || p27->has_ncallbacks);
    assert_true(p39->has_unregister && p39->has_clear && p39->has_ncallbacks);
    assert_true(p27->reraise_last && p39->reraise_last);
    assert_false(p310->reraise_last);
    assert_false(p39->report_exit);
    assert_true(p310->report_exit);
    assert_int_equal(p39->header, ATX_HEADER_ERROR_IN_RUN);
    assert_int_equal(p310->header, ATX_HEADER_IGNORED_COLON);
    assert_int_equal(p313->header, ATX_HEADER_IGNORED_TRAILING);
    assert_false(p39->colon_on_empty_message);
    assert_true(p310->colon_on_empty_message);
    assert_int_equal(p27->run_order, ATX_RUN_POP);
    assert_int_equal(p39->run_order, ATX_RUN_SLOTS);
    assert_true(p27->traceback_always && p27->shutdown_reraise);
    assert_false(p37->traceback_always || p37->shutdown_reraise);
    assert_false(p27->interrupt_kills || p37->interrupt_kills);
    assert_true(p38->interrupt_kills && p310->interrupt_kills);
    assert_false(p313->unregister_newest_first || p313->compare_argument_first);
    assert_true(atx_profile_find("3.14")->unregister_newest_first);
    assert_true(atx_profile_find("3.14")->compare_argument_first);
    assert_int_equal(p313->run_order, ATX_RUN_SLOTS);
    assert_int_equal(atx_profile_find("3.14")->run_order, ATX_RUN_COPY);
    assert_string_equal(p27->missing_function, "'module' object has no attribute '%s'");
    assert_string_equal(p39->missing_function, "module 'atexit' has no attribute '%s'");
    /* multiprocessing */
    assert_int_equal(p313->default_start, ATX_START_FORK);
    assert_int_equal(p27->default_start, ATX_START_FORK);
    assert_int_equal(atx_profile_find("3.14")->default_start, ATX_START_FORKSERVER);
    assert_false(atx_profile_find("3.12")->child_runs_handlers);
    assert_true(p313->child_runs_handlers && atx_profile_find("3.14")->child_runs_handlers);
    assert_false(p27->child_exit_none_is_zero || p38->child_exit_none_is_zero);
    assert_true(p39->child_exit_none_is_zero && p310->child_exit_none_is_zero);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_versions_map_to_their_era),
        cmocka_unit_test(test_profile_unknown_versions_are_null),
        cmocka_unit_test(test_profile_switches_change_at_the_right_versions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
