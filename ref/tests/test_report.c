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

static int failing_repr(const atx_callable *self, char *buf, size_t size)
{
    (void)self;
    snprintf(buf, size, "half written");
    return -1;
}

/* repr() raising: 3.10-3.12 name the callable "<object repr() failed>", 3.13+ print
 * no header line; 3.9 and 2.7 never ask for it. */
static void test_report_when_repr_raises(void **state)
{
    static const atx_callable_type BAD_REPR = {"bad", NULL, NULL, failing_repr};
    atx_callable c = {&BAD_REPR};
    atx_failure f = {.type = "ValueError", .message = "x", .flags = 0, .exit_code = 0};
    char buf[32];
    (void)state;
    check("3.9", &c, &f, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                         "ValueError: x\n");
    check("3.12", &c, &f, "Exception ignored in atexit callback: <object repr() failed>\n"
                          "Traceback (most recent call last):\nValueError: x\n");
    check("3.14", &c, &f, "Traceback (most recent call last):\nValueError: x\n");
    assert_true(atx_callable_repr(&c, buf, sizeof buf) < 0);
    assert_string_equal(buf, "");
}

/* Python 3's chains: shown innermost first by the 3.0-3.9 report (PyErr_Display), each
 * with its own "Traceback" line when it has a frame; 3.10+'s unraisable hook shows the
 * last alone; a ": " for an empty message is the outermost one's only. */
static void test_report_chains_per_era(void **state)
{
    test_callable a;
    atx_failure inner = {.type = "KeyError", .message = "'inner'"};
    atx_failure cause = {.type = "OSError", .message = "", .flags = ATX_FAILURE_NO_TRACEBACK};
    atx_failure middle = {.type = "TypeError", .message = "", .chained = &inner};
    atx_failure outer = {.type = "ValueError", .message = "outer", .flags = ATX_FAILURE_CAUSE,
                         .chained = &middle};
    char *text = NULL;
    size_t size = 0;
    FILE *out;
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    check("3.9", &a.base, &outer,
          "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\nKeyError: 'inner'\n"
          "\nDuring handling of the above exception, another exception occurred:\n\n"
          "Traceback (most recent call last):\nTypeError\n"
          "\nThe above exception was the direct cause of the following exception:\n\n"
          "Traceback (most recent call last):\nValueError: outer\n");
    check("3.11", &a.base, &outer, "Exception ignored in atexit callback: <test a>\n"
                                   "Traceback (most recent call last):\nValueError: outer\n");
    middle.chained = &cause; /* a cause never raised has no traceback */
    out = open_memstream(&text, &size);
    assert_non_null(out);
    atx_print_exception(out, &middle, ATX_PRINT_CHAIN | ATX_PRINT_COLON_ON_EMPTY);
    fclose(out);
    assert_string_equal(text, "OSError\n\nDuring handling of the above exception, another "
                              "exception occurred:\n\nTraceback (most recent call last):\n"
                              "TypeError: \n");
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
        cmocka_unit_test(test_report_when_repr_raises),
        cmocka_unit_test(test_report_chains_per_era),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
