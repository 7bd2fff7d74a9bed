/* test_process.c - the default registry and running at the real end of a process. */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int pipe_fd = -1;

static int write_mark(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    const char *mark = atx_args_positional(args, 0);
    (void)self;
    (void)failure;
    if (write(pipe_fd, mark, strlen(mark)) < 0)
        return -1;
    return 0;
}

static const atx_callable_type MARK = {"function", write_mark, NULL, NULL};

/* Forks a child that registers two handlers, installs the registry and ends by
 * `how` (0: return from main's stand-in via exit(), 1: _exit); returns what the
 * handlers wrote. */
static char *child_output(int how, int install)
{
    static char buf[64];
    int fds[2];
    pid_t pid;
    ssize_t n;
    size_t used;
    int status;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static atx_callable a = {&MARK}, b = {&MARK};
        static char first_mark[] = "first;", second_mark[] = "second;";
        atx_registry *r = atx_default_registry();
        atx_args *first = NULL, *second = NULL;
        close(fds[0]);
        pipe_fd = fds[1];
        if (r == NULL || atx_args_new(NULL, &first) || atx_args_new(NULL, &second)
            || atx_args_push(first, first_mark, NULL) || atx_args_push(second, second_mark, NULL)
            || atx_register(r, &a, first, NULL) || atx_register(r, &b, second, NULL))
            _exit(3);
        if (install && atx_process_install(r) != 0)
            _exit(4);
        if (how == 1)
            _exit(0);
        exit(0); /* flushes gcov data too */
    }
    close(fds[1]);
    used = 0;
    while (used < sizeof buf - 1 && (n = read(fds[0], buf + used, sizeof buf - 1 - used)) > 0)
        used += (size_t)n; /* until the child's end closes the pipe */
    buf[used] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return buf;
}

static void test_process_exit_runs_the_installed_registry_lifo(void **state)
{
    (void)state;
    assert_string_equal(child_output(0, 1), "second;first;");
}

static void test_process_underscore_exit_runs_nothing(void **state)
{
    (void)state;
    assert_string_equal(child_output(1, 1), "");
}

static void test_process_nothing_runs_unless_installed(void **state)
{
    (void)state;
    assert_string_equal(child_output(0, 0), "");
}

static void test_process_default_registry_is_one(void **state)
{
    (void)state;
    assert_non_null(atx_default_registry());
    assert_ptr_equal(atx_default_registry(), atx_default_registry());
    assert_ptr_equal(atx_registry_profile(atx_default_registry()), atx_profile_default());
    /* installing NULL uninstalls: this process ends without running anything */
    assert_int_equal(atx_process_install(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_process_exit_runs_the_installed_registry_lifo),
        cmocka_unit_test(test_process_underscore_exit_runs_nothing),
        cmocka_unit_test(test_process_nothing_runs_unless_installed),
        cmocka_unit_test(test_process_default_registry_is_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
