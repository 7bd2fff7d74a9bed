/* test_report.c - the default reporter's text, per header era and failure flags. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *report(const char *version, const atx_callable *c, const atx_failure *f)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    atx_report_default(out, atx_profile_find(version), c, f);
    fclose(out);
    return text;
}

static void check(const char *version, const atx_callable *c, const atx_failure *f,
                  const char *expected)
{
    char *text = report(version, c, f);
    assert_string_equal(text, expected);
    free(text);
}

static void test_report_headers_per_era(void **state)
{
    test_callable a;
    atx_failure f = {.type = "ValueError", .message = "boom", .flags = 0, .exit_code = 0};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    check("2.7", &a.base, &f, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                              "ValueError: boom\n");
    check("3.9", &a.base, &f, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                              "ValueError: boom\n");
    check("3.11", &a.base, &f, "Exception ignored in atexit callback: <test a>\n"
                               "Traceback (most recent call last):\nValueError: boom\n");
    check("3.13", &a.base, &f, "Exception ignored in atexit callback <test a>:\n"
                               "Traceback (most recent call last):\nValueError: boom\n");
}

static void test_report_empty_messages_and_no_traceback(void **state)
{
    test_callable a;
    atx_failure empty = {.type = "ZeroDivisionError", .message = "", .flags = 0, .exit_code = 0};
    atx_failure none = {.type = "KeyboardInterrupt", .message = NULL, .flags = ATX_FAILURE_NO_TRACEBACK, .exit_code = 0};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    check("3.9", &a.base, &empty, "Error in atexit._run_exitfuncs:\n"
                                  "Traceback (most recent call last):\nZeroDivisionError\n");
    /* 3.10+: the unraisable hook writes ": " even for an empty message */
    check("3.12", &a.base, &empty, "Exception ignored in atexit callback: <test a>\n"
                                   "Traceback (most recent call last):\nZeroDivisionError: \n");
    check("3.11", &a.base, &none, "Exception ignored in atexit callback: <test a>\n"
                                  "KeyboardInterrupt: \n");
    /* 2.7: the run loop is Python code, so there is always a frame */
    check("2.7", &a.base, &none, "Error in atexit._run_exitfuncs:\n"
                                 "Traceback (most recent call last):\nKeyboardInterrupt\n");
}

/* What C code shows (c_type, c_message) is 3.x's report; 2.7's is Python's traceback
 * module, which shows type and message. */
static void test_report_c_names_where_c_prints_the_report(void **state)
{
    test_callable a;
    atx_failure f = {.type = "MyError", .message = "<unprintable MyError object>",
                     .c_type = "__main__.MyError", .c_message = "<exception str() failed>"};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    check("2.7", &a.base, &f, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                              "MyError: <unprintable MyError object>\n");
    check("3.9", &a.base, &f, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                              "__main__.MyError: <exception str() failed>\n");
}

static void test_report_a_failure_of_the_run_itself(void **state)
{
    atx_failure f = {.type = "MemoryError", .message = NULL, .flags = 0, .exit_code = 0};
    (void)state;
    check("3.14", NULL, &f, "Exception ignored while copying atexit callbacks:\n"
                            "Traceback (most recent call last):\nMemoryError: \n");
}

static int long_repr(const atx_callable *self, char *buf, size_t size)
{
    char big[1001];
    (void)self;
    memset(big, 'x', 1000);
    big[1000] = '\0';
    return snprintf(buf, size, "%s", big);
}

static void test_report_long_reprs_are_whole(void **state)
{
    static const atx_callable_type LONG = {"long", NULL, NULL, long_repr};
    atx_callable c = {&LONG};
    atx_failure f = {.type = "ValueError", .message = "x", .flags = ATX_FAILURE_NO_TRACEBACK, .exit_code = 0};
    char *text;
    (void)state;
    text = report("3.11", &c, &f);
    assert_int_equal(strlen(text), strlen("Exception ignored in atexit callback: \nValueError: x\n") + 1000);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_headers_per_era),
        cmocka_unit_test(test_report_empty_messages_and_no_traceback),
        cmocka_unit_test(test_report_long_reprs_are_whole),
        cmocka_unit_test(test_report_a_failure_of_the_run_itself),
        cmocka_unit_test(test_report_c_names_where_c_prints_the_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
