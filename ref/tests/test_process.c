/* test_process.c - the default registry and running at the real end of a process. */
#include "support.h"

#include <signal.h>
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


static void test_process_kill_with_a_harmless_signal_returns(void **state)
{
    (void)state;
    /* SIGCHLD's default action is to ignore it: the process goes on */
    assert_int_equal(atx_process_kill(SIGCHLD), ATX_EINVAL);
}

/* "text": SystemExit("bye"); "code": SystemExit(6); else ValueError("boom"), from a
 * Python frame. */
static atx_failure *scripted_failure(const char *which)
{
    static atx_failure exit_text = {.type = "SystemExit", .message = "bye", .flags = ATX_FAILURE_EXIT | ATX_FAILURE_EXIT_PRINTS, .exit_code = 1};
    static atx_failure exit_code = {.type = "SystemExit", .message = "6", .flags = ATX_FAILURE_EXIT, .exit_code = 6};
    static atx_failure value = {.type = "ValueError", .message = "boom", .flags = 0, .exit_code = 0};
    return which[0] == 't' ? &exit_text : which[0] == 'c' ? &exit_code : &value;
}

static int fail_as_scripted(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    (void)self;
    *failure = scripted_failure(atx_args_positional(args, 0));
    return -1;
}

static const atx_callable_type FAILING = {"function", fail_as_scripted, NULL, NULL};

/* What sys.exitfunc does, called with no arguments: "write" writes "exitfunc;" to
 * stderr and returns; anything else is scripted_failure's. */
static const char *exitfunc_script;

static int exitfunc_as_scripted(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    (void)self;
    if (args != NULL)
        return -1; /* failure unset: a SystemError the test would see */
    if (strcmp(exitfunc_script, "write") == 0)
        return fputs("exitfunc;", stderr) < 0 ? -1 : 0;
    *failure = scripted_failure(exitfunc_script);
    return -1;
}

static const atx_callable_type EXITFUNC = {"function", exitfunc_as_scripted, NULL, NULL};
static const atx_callable_type NOT_CALLABLE = {"int", NULL, NULL, NULL};

/* A child in profile whose shutdown run fails with `which` (re-raised when the
 * profile re-raises), or, given an exitfunc, that installs it after the registry;
 * returns its status and stderr. */
static int shutdown_status(const atx_profile *profile, const char *which, atx_callable *exitfunc,
                           char *err, size_t size)
{
    int fds[2], status;
    ssize_t n;
    size_t used = 0;
    pid_t pid;
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static atx_callable bad = {&FAILING};
        atx_registry *r = NULL;
        atx_registry_options options = {NULL, profile, NULL, NULL};
        atx_args *args = NULL;
        dup2(fds[1], 2);
        close(fds[0]);
        if (atx_registry_new(&options, &r) || atx_args_new(NULL, &args)
            || atx_args_push(args, (void *)(size_t)which, NULL)
            || atx_register(r, &bad, args, NULL) || atx_process_install(r)
            || (exitfunc != NULL && atx_process_install_exitfunc(exitfunc, profile)))
            _exit(90);
        exit(0);
    }
    close(fds[1]);
    while (used < size - 1 && (n = read(fds[0], err + used, size - 1 - used)) > 0)
        used += (size_t)n;
    err[used] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void test_process_2_7_shutdown_reraises(void **state)
{
    const atx_profile *p27 = atx_profile_find("2.7");
    char err[512];
    (void)state;
    assert_int_equal(shutdown_status(p27, "value", NULL, err, sizeof err), 0);
    assert_string_equal(err, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                             "ValueError: boom\nError in sys.exitfunc:\n"
                             "Traceback (most recent call last):\nValueError: boom\n");
    /* a SystemExit is silent in the run, then ends the process with its status */
    assert_int_equal(shutdown_status(p27, "code", NULL, err, sizeof err), 6);
    assert_string_equal(err, "");
    assert_int_equal(shutdown_status(p27, "text", NULL, err, sizeof err), 1);
    assert_string_equal(err, "bye\n");
}

/* shutdown_reraise alone, in a copy of the 3.0-3.9 preset: 3.x discards what the
 * shutdown run hands back; with the switch, sys.exitfunc raises it again. */
static void test_process_shutdown_reraise_alone(void **state)
{
    atx_profile flipped = *atx_profile_find("3.9");
    char err[512];
    (void)state;
    assert_int_equal(shutdown_status(&flipped, "value", NULL, err, sizeof err), 0);
    assert_string_equal(err, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                             "ValueError: boom\n");
    assert_int_equal(shutdown_status(&flipped, "code", NULL, err, sizeof err), 0);
    flipped.shutdown_reraise = 1;
    assert_int_equal(shutdown_status(&flipped, "value", NULL, err, sizeof err), 0);
    assert_string_equal(err, "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\n"
                             "ValueError: boom\nError in sys.exitfunc:\n"
                             "Traceback (most recent call last):\nValueError: boom\n");
    assert_int_equal(shutdown_status(&flipped, "code", NULL, err, sizeof err), 6);
}

/* 2.7's sys.exitfunc replaced: it runs instead of the registry; what it raises is
 * call_sys_exitfunc's report, with a "Traceback" line only from a Python frame. */
static void test_process_exitfunc_replaces_the_run(void **state)
{
    const atx_profile *p27 = atx_profile_find("2.7");
    static atx_callable func = {&EXITFUNC}, five = {&NOT_CALLABLE};
    char err[512];
    (void)state;
    exitfunc_script = "write";
    assert_int_equal(shutdown_status(p27, "value", &func, err, sizeof err), 0);
    assert_string_equal(err, "exitfunc;");
    exitfunc_script = "value";
    assert_int_equal(shutdown_status(p27, "value", &func, err, sizeof err), 0);
    assert_string_equal(err, "Error in sys.exitfunc:\nTraceback (most recent call last):\n"
                             "ValueError: boom\n");
    exitfunc_script = "code";
    assert_int_equal(shutdown_status(p27, "value", &func, err, sizeof err), 6);
    assert_string_equal(err, "");
    exitfunc_script = "text";
    assert_int_equal(shutdown_status(p27, "value", &func, err, sizeof err), 1);
    assert_string_equal(err, "bye\n");
    assert_int_equal(shutdown_status(p27, "value", &five, err, sizeof err), 0);
    assert_string_equal(err, "Error in sys.exitfunc:\nTypeError: 'int' object is not callable\n");
    assert_int_equal(atx_process_install_exitfunc(NULL, p27), ATX_EINVAL);
    assert_int_equal(atx_process_install_exitfunc(&func, NULL), ATX_EINVAL);
}

/* Installing a registry again takes the exitfunc's place (2.7's atexit imported again). */
static void test_process_install_replaces_the_exitfunc(void **state)
{
    static atx_callable func = {&EXITFUNC};
    int status;
    pid_t pid;
    (void)state;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        exitfunc_script = "code"; /* would end the process with 6 */
        if (atx_process_install_exitfunc(&func, atx_profile_find("2.7"))
            || atx_process_install(NULL))
            _exit(90);
        exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* A multiprocessing fork child in profile `version`: the parent's registry holds
 * "inherited;"; the child begins, registers "own;" and ends with status 5, the
 * registry also installed for exit(). Returns what the handlers wrote. */
static const char *fork_child_output(const char *version)
{
    static char buf[64];
    static atx_callable inherited = {&MARK}, own = {&MARK};
    static char inherited_mark[] = "inherited;", own_mark[] = "own;";
    atx_registry_options options = {NULL, atx_profile_find(version), NULL, NULL};
    atx_registry *r = NULL;
    atx_args *args = NULL;
    int fds[2], status;
    size_t used = 0;
    ssize_t n;
    pid_t pid;
    assert_int_equal(atx_registry_new(&options, &r), 0);
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, inherited_mark, NULL), 0);
    assert_int_equal(atx_register(r, &inherited, args, NULL), 0);
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        pipe_fd = fds[1];
        args = NULL;
        if (atx_process_install(r) || atx_process_child_begin(r) || atx_args_new(NULL, &args)
            || atx_args_push(args, own_mark, NULL) || atx_register(r, &own, args, NULL))
            _exit(90);
        atx_process_child_end(r, 5);
    }
    close(fds[1]);
    while (used < sizeof buf - 1 && (n = read(fds[0], buf + used, sizeof buf - 1 - used)) > 0)
        used += (size_t)n;
    buf[used] = '\0';
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 5);
    atx_registry_free(r);
    return buf;
}

static void test_process_child_up_to_3_12_runs_nothing(void **state)
{
    (void)state;
    assert_string_equal(fork_child_output("3.12"), "");
    assert_string_equal(fork_child_output("2.7"), "");
}

static void test_process_child_from_3_13_runs_only_its_own(void **state)
{
    (void)state;
    assert_string_equal(fork_child_output("3.13"), "own;");
    assert_string_equal(fork_child_output("3.14"), "own;");
}

/* A profile whose children run handlers and whose runs re-raise (no CPython has
 * both): the child still ends with its own status, the failure only reported. */
static void test_process_child_end_discards_a_reraised_failure(void **state)
{
    int status;
    pid_t pid;
    (void)state;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        static atx_callable bad = {&FAILING};
        static char value[] = "value";
        atx_profile profile = *atx_profile_find("3.9");
        atx_registry_options options = {NULL, &profile, NULL, NULL};
        atx_registry *r = NULL;
        atx_args *args = NULL;
        profile.child_runs_handlers = 1;
        if (freopen("/dev/null", "w", stderr) == NULL || atx_registry_new(&options, &r)
            || atx_process_child_begin(r) || atx_args_new(NULL, &args)
            || atx_args_push(args, value, NULL) || atx_register(r, &bad, args, NULL))
            _exit(90);
        atx_process_child_end(r, 7);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_process_exit_runs_the_installed_registry_lifo),
        cmocka_unit_test(test_process_underscore_exit_runs_nothing),
        cmocka_unit_test(test_process_nothing_runs_unless_installed),
        cmocka_unit_test(test_process_default_registry_is_one),
        cmocka_unit_test(test_process_kill_with_a_harmless_signal_returns),
        cmocka_unit_test(test_process_2_7_shutdown_reraises),
        cmocka_unit_test(test_process_shutdown_reraise_alone),
        cmocka_unit_test(test_process_exitfunc_replaces_the_run),
        cmocka_unit_test(test_process_install_replaces_the_exitfunc),
        cmocka_unit_test(test_process_child_up_to_3_12_runs_nothing),
        cmocka_unit_test(test_process_child_from_3_13_runs_only_its_own),
        cmocka_unit_test(test_process_child_end_discards_a_reraised_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
