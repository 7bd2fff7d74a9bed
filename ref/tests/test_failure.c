/* test_failure.c - releasing failures, and the status a failure ends a process with. */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* atx_failure_exit_status(f, out) into a memory stream: the status, and *written. */
static int exit_status(const atx_failure *f, char **written)
{
    size_t size = 0;
    FILE *out = open_memstream(written, &size);
    int status;
    assert_non_null(out);
    status = atx_failure_exit_status(f, out);
    fclose(out);
    return status;
}

static void test_failure_exit_status_is_a_systemexit_code(void **state)
{
    atx_failure code = {.type = "SystemExit", .message = "6", .flags = ATX_FAILURE_EXIT, .exit_code = 6};
    atx_failure negative = {.type = "SystemExit", .message = "-1", .flags = ATX_FAILURE_EXIT, .exit_code = -1};
    char *written = NULL;
    (void)state;
    assert_int_equal(exit_status(&code, &written), 6);
    assert_string_equal(written, ""); /* an integer code prints nothing */
    free(written);
    assert_int_equal(exit_status(&negative, &written), -1); /* exit() truncates it, not libatx */
    free(written);
}

static void test_failure_exit_status_prints_a_message_first(void **state)
{
    atx_failure text = {.type = "SystemExit", .message = "bye", .flags = ATX_FAILURE_EXIT | ATX_FAILURE_EXIT_PRINTS, .exit_code = 1};
    atx_failure empty = {.type = "SystemExit", .message = NULL, .flags = ATX_FAILURE_EXIT | ATX_FAILURE_EXIT_PRINTS, .exit_code = 1};
    char *written = NULL;
    (void)state;
    assert_int_equal(exit_status(&text, &written), 1);
    assert_string_equal(written, "bye\n");
    free(written);
    assert_int_equal(exit_status(&empty, &written), 1);
    assert_string_equal(written, "\n");
    free(written);
}

static void test_failure_exit_status_of_anything_else(void **state)
{
    /* ATX_FAILURE_EXIT_PRINTS means nothing without ATX_FAILURE_EXIT */
    atx_failure value = {.type = "ValueError", .message = "boom", .flags = ATX_FAILURE_EXIT_PRINTS, .exit_code = 6};
    char *written = NULL;
    (void)state;
    assert_int_equal(exit_status(&value, &written), 1);
    assert_string_equal(written, "");
    free(written);
    assert_int_equal(exit_status(NULL, &written), 0);
    assert_string_equal(written, "");
    free(written);
}

static void test_failure_exit_status_writes_to_stderr_by_default(void **state)
{
    atx_failure text = {.type = "SystemExit", .message = "to stderr", .flags = ATX_FAILURE_EXIT | ATX_FAILURE_EXIT_PRINTS, .exit_code = 1};
    FILE *capture = tmpfile();
    char got[32] = {0};
    int saved = dup(2);
    (void)state;
    assert_non_null(capture);
    assert_true(saved >= 0);
    fflush(stderr);
    assert_true(dup2(fileno(capture), 2) == 2);
    assert_int_equal(atx_failure_exit_status(&text, NULL), 1);
    assert_true(dup2(saved, 2) == 2);
    close(saved);
    rewind(capture);
    assert_non_null(fgets(got, sizeof got, capture));
    fclose(capture);
    assert_string_equal(got, "to stderr\n");
}

static long hook_calls;

static void count_release(atx_failure *failure)
{
    (void)failure;
    hook_calls++;
}

static void test_failure_release_calls_the_hook(void **state)
{
    atx_failure owned = {.type = "ValueError", .message = "x", .release = count_release};
    atx_failure borrowed = {.type = "ValueError", .message = "x", .flags = 0, .exit_code = 0};
    (void)state;
    atx_failure_release(&owned);
    assert_int_equal(hook_calls, 1);
    atx_failure_release(&borrowed); /* no hook: nothing to free */
    atx_failure_release(NULL);
    assert_int_equal(hook_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failure_exit_status_is_a_systemexit_code),
        cmocka_unit_test(test_failure_exit_status_prints_a_message_first),
        cmocka_unit_test(test_failure_exit_status_of_anything_else),
        cmocka_unit_test(test_failure_exit_status_writes_to_stderr_by_default),
        cmocka_unit_test(test_failure_release_calls_the_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
