/* test_profile.c - presets by version, and each switch by what it changes: the preset
 * before a CPython change, with only that switch flipped, behaves as the one after
 * (shutdown_reraise: test_process.c; unregister_newest_first, compare_argument_first:
 * test_unregister.c). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_profile_versions_map_to_their_era(void **state)
{
    (void)state;
    assert_string_equal(atx_profile_find("2.7")->name, "2.7");
    assert_string_equal(atx_profile_find("2.7.18")->name, "2.7");
    assert_string_equal(atx_profile_find("3.0")->name, "3.0-3.9");
    assert_string_equal(atx_profile_find("3.6")->name, "3.0-3.9");
    assert_string_equal(atx_profile_find("3.8")->name, "3.0-3.9");
    assert_string_equal(atx_profile_find("3.9.18")->name, "3.0-3.9");
    assert_string_equal(atx_profile_find("3.10")->name, "3.10-3.12");
    assert_string_equal(atx_profile_find("3.12.1")->name, "3.10-3.12");
    assert_string_equal(atx_profile_find("3.13")->name, "3.13");
    assert_string_equal(atx_profile_find("3.14.2")->name, "3.14");
    assert_ptr_equal(atx_profile_find("3.6"), atx_profile_find("3.9"));
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

/* ---- probes: one behaviour each, in a registry of the given profile ----------- */
/* A callable that counts its calls, may fail, and may act on its registry first. */
typedef struct probe {
    atx_callable base;
    int calls;
    atx_failure *fails_with; /* borrowed, static: released by nobody */
    atx_registry *r;
    void (*during)(struct probe *self);
    struct probe *other;
} probe;

static int probe_call(atx_callable *self, const atx_args *args, atx_failure **failure)
{
    probe *p = (probe *)self;
    (void)args;
    p->calls++;
    if (p->during != NULL)
        p->during(p);
    if (p->fails_with == NULL)
        return 0;
    *failure = p->fails_with;
    return -1;
}

static int probe_repr(const atx_callable *self, char *buf, size_t size)
{
    (void)self;
    return snprintf(buf, size, "<probe>");
}

static const atx_callable_type PROBE = {"probe", probe_call, NULL, probe_repr};

static atx_registry *registry_of(const atx_profile *profile, report_log *log)
{
    atx_registry_options options = {NULL, profile, record_report, log};
    atx_registry *r = NULL;
    assert_int_equal(atx_registry_new(&options, &r), 0);
    return r;
}

static void probe_init(probe *p, atx_registry *r)
{
    memset(p, 0, sizeof *p);
    p->base.type = &PROBE;
    p->r = r;
}

/* atx_register of a non-callable. */
static int register_non_callable(const atx_profile *profile)
{
    static const atx_callable_type INT = {"int", NULL, NULL, NULL};
    atx_callable one = {&INT};
    report_log log = {0};
    atx_registry *r = registry_of(profile, &log);
    int err = atx_register(r, &one, NULL, NULL);
    atx_registry_free(r); /* without running it */
    return err;
}

/* What atx_run returns after a handler failed with f, and how many reports it made. */
static int run_failing(const atx_profile *profile, atx_failure *f, size_t *reports)
{
    report_log log = {0};
    atx_registry *r = registry_of(profile, &log);
    probe p;
    atx_failure *raised = NULL;
    int err;
    probe_init(&p, r);
    p.fails_with = f;
    assert_int_equal(atx_register(r, &p.base, NULL, NULL), 0);
    err = atx_run(r, &raised);
    assert_true(err != ATX_ERAISED || raised == f);
    *reports = log.n;
    atx_registry_free(r);
    return err;
}

/* The default reporter's text for f (malloc'd). */
static char *report_text(const atx_profile *profile, const atx_failure *f)
{
    static const probe p = {{&PROBE}, 0, NULL, NULL, NULL, NULL};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    atx_report_default(out, profile, &p.base, f);
    fclose(out);
    return text;
}

static void check_report(const atx_profile *profile, const atx_failure *f, const char *expected)
{
    char *text = report_text(profile, f);
    assert_string_equal(text, expected);
    free(text);
}

static void register_other(probe *self)
{
    assert_int_equal(atx_register(self->r, &self->other->base, NULL, NULL), 0);
}

static void unregister_other(probe *self)
{
    assert_int_equal(atx_unregister(self->r, &self->other->base, NULL), 0);
}

/* Runs first (registered last) and, during its call, does `during` to a handler
 * that is `other`; returns how often other was called. other_registered: whether
 * other was registered before the run. */
static int other_calls(const atx_profile *profile, void (*during)(probe *), int other_registered)
{
    report_log log = {0};
    atx_registry *r = registry_of(profile, &log);
    probe first, other;
    int calls;
    probe_init(&first, r);
    probe_init(&other, r);
    first.during = during;
    first.other = &other;
    if (other_registered)
        assert_int_equal(atx_register(r, &other.base, NULL, NULL), 0);
    assert_int_equal(atx_register(r, &first.base, NULL, NULL), 0);
    assert_int_equal(atx_run(r, NULL), 0);
    calls = other.calls;
    atx_registry_free(r);
    return calls;
}

/* ---- each switch, one at a time ------------------------------------------------- */
static void test_profile_check_callable_rejects_non_callables_from_3_0(void **state)
{
    atx_profile flipped = *atx_profile_find("2.7");
    (void)state;
    assert_int_equal(register_non_callable(atx_profile_find("2.7")), 0);
    assert_int_equal(register_non_callable(atx_profile_find("3.0")), ATX_ENOTCALLABLE);
    flipped.check_callable = 1;
    assert_int_equal(register_non_callable(&flipped), ATX_ENOTCALLABLE);
}

/* Which of unregister, _clear and _ncallbacks exist: a bit each. */
static int private_api(const atx_profile *profile)
{
    report_log log = {0};
    atx_registry *r = registry_of(profile, &log);
    probe p;
    size_t n;
    int api = 0;
    probe_init(&p, r);
    api |= atx_unregister(r, &p.base, NULL) == 0 ? 1 : 0;
    api |= atx_clear(r) == 0 ? 2 : 0;
    api |= atx_ncallbacks(r, &n) == 0 ? 4 : 0;
    atx_registry_free(r);
    return api;
}

static void test_profile_private_api_exists_from_3_0(void **state)
{
    atx_profile flipped = *atx_profile_find("2.7");
    (void)state;
    assert_int_equal(private_api(atx_profile_find("2.7")), 0);
    assert_int_equal(private_api(atx_profile_find("3.0")), 1 | 2 | 4);
    flipped.has_unregister = 1;
    assert_int_equal(private_api(&flipped), 1);
    flipped.has_unregister = 0;
    flipped.has_clear = 1;
    assert_int_equal(private_api(&flipped), 2);
    flipped.has_clear = 0;
    flipped.has_ncallbacks = 1;
    assert_int_equal(private_api(&flipped), 4);
}

static void test_profile_reraise_last_until_3_9(void **state)
{
    static atx_failure boom = {.type = "ValueError", .message = "boom", .flags = 0, .exit_code = 0};
    atx_profile flipped = *atx_profile_find("3.10");
    size_t reports;
    (void)state;
    assert_int_equal(run_failing(atx_profile_find("3.9"), &boom, &reports), ATX_ERAISED);
    assert_int_equal(run_failing(atx_profile_find("3.10"), &boom, &reports), 0);
    flipped.reraise_last = 1;
    assert_int_equal(run_failing(&flipped, &boom, &reports), ATX_ERAISED);
    assert_int_equal(reports, 1); /* reported either way */
}

static void test_profile_report_exit_from_3_10(void **state)
{
    static atx_failure quit = {.type = "SystemExit", .message = "", .flags = ATX_FAILURE_EXIT, .exit_code = 0};
    atx_profile flipped = *atx_profile_find("3.9");
    size_t reports;
    (void)state;
    run_failing(atx_profile_find("3.9"), &quit, &reports);
    assert_int_equal(reports, 0);
    run_failing(atx_profile_find("3.10"), &quit, &reports);
    assert_int_equal(reports, 1);
    flipped.report_exit = 1;
    assert_int_equal(run_failing(&flipped, &quit, &reports), ATX_ERAISED); /* still re-raised */
    assert_int_equal(reports, 1);
}

static void test_profile_header_per_era(void **state)
{
    static const atx_failure boom = {.type = "ValueError", .message = "boom", .flags = ATX_FAILURE_NO_TRACEBACK, .exit_code = 0};
    atx_profile flipped = *atx_profile_find("3.12");
    (void)state;
    check_report(atx_profile_find("3.9"), &boom, "Error in atexit._run_exitfuncs:\nValueError: boom\n");
    check_report(atx_profile_find("3.10"), &boom,
                 "Exception ignored in atexit callback: <probe>\nValueError: boom\n");
    check_report(atx_profile_find("3.13"), &boom,
                 "Exception ignored in atexit callback <probe>:\nValueError: boom\n");
    flipped.header = ATX_HEADER_IGNORED_TRAILING;
    check_report(&flipped, &boom, "Exception ignored in atexit callback <probe>:\nValueError: boom\n");
    flipped.header = ATX_HEADER_ERROR_IN_RUN;
    check_report(&flipped, &boom, "Error in atexit._run_exitfuncs:\nValueError: boom\n");
}

static void test_profile_colon_on_empty_message_from_3_10(void **state)
{
    static const atx_failure empty = {.type = "ZeroDivisionError", .message = "", .flags = ATX_FAILURE_NO_TRACEBACK, .exit_code = 0};
    atx_profile flipped = *atx_profile_find("3.9");
    (void)state;
    check_report(atx_profile_find("3.9"), &empty, "Error in atexit._run_exitfuncs:\nZeroDivisionError\n");
    check_report(atx_profile_find("3.10"), &empty,
                 "Exception ignored in atexit callback: <probe>\nZeroDivisionError: \n");
    flipped.colon_on_empty_message = 1;
    check_report(&flipped, &empty, "Error in atexit._run_exitfuncs:\nZeroDivisionError: \n");
}

static void test_profile_traceback_always_in_2_7(void **state)
{
    static const atx_failure frameless = {.type = "TypeError", .message = "x", .flags = ATX_FAILURE_NO_TRACEBACK, .exit_code = 0};
    atx_profile flipped = *atx_profile_find("3.0");
    (void)state;
    check_report(atx_profile_find("2.7"), &frameless,
                 "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\nTypeError: x\n");
    check_report(atx_profile_find("3.0"), &frameless, "Error in atexit._run_exitfuncs:\nTypeError: x\n");
    flipped.traceback_always = 1;
    check_report(&flipped, &frameless,
                 "Error in atexit._run_exitfuncs:\nTraceback (most recent call last):\nTypeError: x\n");
}

/* The chain: 3.0-3.9's PyErr_Display shows it, 3.10+'s unraisable hook does not. */
static void test_profile_report_chains_up_to_3_9(void **state)
{
    static const atx_failure inner = {.type = "KeyError", .message = "k", .flags = ATX_FAILURE_NO_TRACEBACK};
    static const atx_failure outer = {.type = "ValueError", .message = "v", .flags = ATX_FAILURE_NO_TRACEBACK, .chained = &inner};
    atx_profile flipped = *atx_profile_find("3.9");
    (void)state;
    check_report(atx_profile_find("3.9"), &outer, "Error in atexit._run_exitfuncs:\nKeyError: k\n"
                 "\nDuring handling of the above exception, another exception occurred:\n\n"
                 "ValueError: v\n");
    flipped.report_chains = 0;
    check_report(&flipped, &outer, "Error in atexit._run_exitfuncs:\nValueError: v\n");
    check_report(atx_profile_find("3.10"), &outer,
                 "Exception ignored in atexit callback: <probe>\nValueError: v\n");
}

static void test_profile_run_order_per_era(void **state)
{
    atx_profile pops = *atx_profile_find("3.0"), copies = *atx_profile_find("3.13");
    (void)state;
    /* 2.7 pops until empty: a handler registered during the run runs; 3.x drops it */
    assert_int_equal(other_calls(atx_profile_find("2.7"), register_other, 0), 1);
    assert_int_equal(other_calls(atx_profile_find("3.0"), register_other, 0), 0);
    pops.run_order = ATX_RUN_POP;
    assert_int_equal(other_calls(&pops, register_other, 0), 1);
    /* 3.14 calls a copy: a handler unregistered during the run is still called */
    assert_int_equal(other_calls(atx_profile_find("3.13"), unregister_other, 1), 0);
    assert_int_equal(other_calls(atx_profile_find("3.14"), unregister_other, 1), 1);
    copies.run_order = ATX_RUN_COPY;
    assert_int_equal(other_calls(&copies, unregister_other, 1), 1);
}

/* Whether a multiprocessing child's start empties the registry it inherits. */
static int child_begin_clears(const atx_profile *profile)
{
    report_log log = {0};
    atx_registry *r = registry_of(profile, &log);
    probe p;
    size_t left;
    probe_init(&p, r);
    assert_int_equal(atx_register(r, &p.base, NULL, NULL), 0);
    assert_int_equal(atx_process_child_begin(r), 0);
    left = atx_count(r);
    atx_registry_free(r);
    return left == 0;
}

static void test_profile_child_runs_handlers_from_3_13(void **state)
{
    atx_profile flipped = *atx_profile_find("3.12");
    (void)state;
    assert_false(child_begin_clears(atx_profile_find("3.12")));
    assert_true(child_begin_clears(atx_profile_find("3.13")));
    flipped.child_runs_handlers = 1;
    assert_true(child_begin_clears(&flipped));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_versions_map_to_their_era),
        cmocka_unit_test(test_profile_unknown_versions_are_null),
        cmocka_unit_test(test_profile_check_callable_rejects_non_callables_from_3_0),
        cmocka_unit_test(test_profile_private_api_exists_from_3_0),
        cmocka_unit_test(test_profile_reraise_last_until_3_9),
        cmocka_unit_test(test_profile_report_exit_from_3_10),
        cmocka_unit_test(test_profile_header_per_era),
        cmocka_unit_test(test_profile_colon_on_empty_message_from_3_10),
        cmocka_unit_test(test_profile_traceback_always_in_2_7),
        cmocka_unit_test(test_profile_report_chains_up_to_3_9),
        cmocka_unit_test(test_profile_run_order_per_era),
        cmocka_unit_test(test_profile_child_runs_handlers_from_3_13),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
