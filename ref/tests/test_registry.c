/* test_registry.c - register, unregister, run, clear and count, per profile. */
#include "support.h"

#include <pthread.h>
#include <string.h>

/* ---- a reporter that records what it is given ---------------------------- */
typedef struct report_log {
    const atx_callable *callable[16];
    char type[16][32];
    char message[16][64];
    size_t n;
} report_log;

static void record(void *ctx, const atx_profile *profile, const atx_callable *callable,
                   const atx_failure *failure)
{
    report_log *log = ctx;
    (void)profile;
    assert_true(log->n < 16);
    log->callable[log->n] = callable;
    snprintf(log->type[log->n], sizeof log->type[0], "%s", failure->type);
    snprintf(log->message[log->n], sizeof log->message[0], "%s",
             failure->message ? failure->message : "");
    log->n++;
}

static atx_registry *make(const char *version, report_log *log)
{
    atx_registry *r = NULL;
    atx_registry_options options = {NULL, atx_profile_find(version), record, log};
    assert_non_null(options.profile);
    assert_int_equal(atx_registry_new(&options, &r), 0);
    return r;
}

static void reg(atx_registry *r, test_callable *c)
{
    assert_int_equal(atx_register(r, &c->base, NULL, NULL), 0);
}

/* ---- register ---------------------------------------------------------------- */
static void test_registry_register_returns_the_callable(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a;
    atx_callable *returned = NULL;
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    assert_int_equal(atx_register(r, &a.base, NULL, &returned), 0);
    assert_ptr_equal(returned, &a.base);
    assert_int_equal(atx_register(r, &a.base, NULL, NULL), 0); /* duplicates allowed */
    assert_int_equal(atx_count(r), 2);
    assert_ptr_equal(atx_registry_profile(r), atx_profile_find("3.11"));
    atx_registry_free(r);
}

static void test_registry_register_rejects_bad_arguments(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, bad;
    atx_callable untyped = {NULL};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&bad, &TEST_NOT_CALLABLE_TYPE, "bad");
    assert_int_equal(atx_register(NULL, &a.base, NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_register(r, NULL, NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_register(r, &untyped, NULL, NULL), ATX_EINVAL);
    /* 3.x: "the first argument must be callable", and nothing is registered */
    assert_int_equal(atx_register(r, &bad.base, NULL, NULL), ATX_ENOTCALLABLE);
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_registry_new(NULL, NULL), ATX_EINVAL);
    atx_registry_free(r);
    atx_registry_free(NULL);
}

static void test_registry_2_7_registers_non_callables_and_fails_at_run(void **state)
{
    report_log log = {0};
    atx_registry *r = make("2.7", &log);
    test_callable bad;
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&bad, &TEST_NOT_CALLABLE_TYPE, "bad");
    assert_int_equal(atx_register(r, &bad.base, NULL, NULL), 0);
    assert_int_equal(atx_run(r, &raised), ATX_ERAISED);
    assert_int_equal(log.n, 1);
    assert_string_equal(log.type[0], "TypeError");
    assert_string_equal(log.message[0], "'int' object is not callable");
    assert_string_equal(raised->message, "'int' object is not callable");
    atx_failure_release(raised);
    atx_registry_free(r);
}

/* ---- run ---------------------------------------------------------------------- */
static void test_registry_run_is_lifo(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, b, c;
    test_callable *order[] = {&c, &b, &a};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&c, &TEST_TYPE, "c");
    reg(r, &a);
    reg(r, &b);
    reg(r, &c);
    expect_calls(order, 3);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_run(r, NULL), 0); /* a second run calls nothing */
    assert_int_equal(atx_run(NULL, NULL), ATX_EINVAL);
    atx_registry_free(r);
}

static void test_registry_run_passes_args_and_frees_them(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a;
    atx_args *args = NULL;
    test_callable *order[] = {&a};
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(counted_values_live(), 0);
    atx_registry_free(r);
}

static void test_registry_failures_do_not_stop_the_run(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, b, silent;
    test_callable *order[] = {&silent, &b, &a};
    long before = released_failures();
    (void)state;
    test_callable_init(&a, &TEST_TYPE, "a");
    test_callable_init(&b, &TEST_TYPE, "b");
    test_callable_init(&silent, &TEST_TYPE, "silent");
    b.fail_type = "ValueError";
    silent.fail_silently = 1;
    reg(r, &a);
    reg(r, &b);
    reg(r, &silent);
    expect_calls(order, 3);
    assert_int_equal(atx_run(r, NULL), 0); /* 3.10+: nothing re-raised */
    assert_int_equal(log.n, 2);
    assert_ptr_equal(log.callable[0], &silent.base);
    assert_string_equal(log.type[0], "SystemError");
    assert_ptr_equal(log.callable[1], &b.base);
    assert_string_equal(log.type[1], "ValueError");
    assert_int_equal(released_failures() - before, 1);
    atx_registry_free(r);
}

static void test_registry_3_9_reraises_the_last_failure(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.9", &log);
    test_callable first, last;
    test_callable *order[] = {&last, &first};
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&first, &TEST_TYPE, "first");
    test_callable_init(&last, &TEST_TYPE, "last");
    first.fail_type = "KeyError";   /* runs last: its failure is re-raised */
    last.fail_type = "ValueError";
    reg(r, &first);
    reg(r, &last);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, &raised), ATX_ERAISED);
    assert_string_equal(raised->type, "KeyError");
    assert_int_equal(log.n, 2);
    atx_failure_release(raised);
    /* with nowhere to hand it, the failure is released */
    reg(r, &first);
    expect_calls(order + 1, 1);
    assert_int_equal(atx_run(r, NULL), ATX_ERAISED);
    atx_registry_free(r);
}

static void test_registry_systemexit_is_silent_until_3_10(void **state)
{
    const char *versions[] = {"3.9", "3.11"};
    size_t v;
    (void)state;
    for (v = 0; v < 2; v++) {
        report_log log = {0};
        atx_registry *r = make(versions[v], &log);
        test_callable quitter;
        test_callable *order[] = {&quitter};
        atx_failure *raised = NULL;
        test_callable_init(&quitter, &TEST_TYPE, "quitter");
        quitter.fail_type = "SystemExit";
        quitter.fail_flags = ATX_FAILURE_EXIT;
        reg(r, &quitter);
        expect_calls(order, 1);
        if (v == 0) {
            assert_int_equal(atx_run(r, &raised), ATX_ERAISED); /* re-raised, not reported */
            assert_int_equal(log.n, 0);
            atx_failure_release(raised);
        } else {
            assert_int_equal(atx_run(r, &raised), 0);
            assert_int_equal(log.n, 1);
            assert_string_equal(log.type[0], "SystemExit");
        }
        atx_registry_free(r);
    }
}

/* ---- changes during a run --------------------------------------------------- */
typedef struct during_ctx {
    atx_registry *r;
    test_callable *other;
} during_ctx;

static void register_other(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    reg(ctx->r, ctx->other);
}

static void test_registry_register_during_run_by_profile(void **state)
{
    (void)state;
    {   /* 3.x: dropped (clause run.register-during) */
        report_log log = {0};
        atx_registry *r = make("3.11", &log);
        test_callable a, late;
        during_ctx ctx = {r, &late};
        test_callable *order[] = {&a};
        test_callable_init(&a, &TEST_TYPE, "a");
        test_callable_init(&late, &TEST_TYPE, "late");
        a.during = register_other;
        a.ctx = &ctx;
        reg(r, &a);
        expect_calls(order, 1);
        assert_int_equal(atx_run(r, NULL), 0);
        assert_int_equal(atx_count(r), 0);
        atx_registry_free(r);
    }
    {   /* 2.7: popped until empty, so it runs */
        report_log log = {0};
        atx_registry *r = make("2.7", &log);
        test_callable a, late;
        during_ctx ctx = {r, &late};
        test_callable *order[] = {&a, &late};
        test_callable_init(&a, &TEST_TYPE, "a");
        test_callable_init(&late, &TEST_TYPE, "late");
        a.during = register_other;
        a.ctx = &ctx;
        reg(r, &a);
        expect_calls(order, 2);
        assert_int_equal(atx_run(r, NULL), 0);
        atx_registry_free(r);
    }
}

static void unregister_other(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_unregister(ctx->r, &ctx->other->base, NULL), 0);
}

static void test_registry_unregister_during_run_skips_the_handler(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, b;
    during_ctx ctx = {r, &a};
    test_callable *order[] = {&b};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    b.during = unregister_other;
    b.ctx = &ctx;
    reg(r, &a);
    reg(r, &b);
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    atx_registry_free(r);
}

static void unregister_self(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_unregister(ctx->r, &self->base, NULL), 0);
}

static void test_registry_handler_may_unregister_itself(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a;
    during_ctx ctx = {r, NULL};
    atx_args *args = NULL;
    test_callable *order[] = {&a};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    a.during = unregister_self;
    a.ctx = &ctx;
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(counted_values_live(), 0);
    atx_registry_free(r);
}

static void clear_then_register(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    assert_int_equal(atx_clear(ctx->r), 0);
    reg(ctx->r, ctx->other);
}

static void test_registry_clear_then_register_during_run_runs_the_new_one(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, b, c, late;
    during_ctx ctx = {r, &late};
    test_callable *order[] = {&c, &late}; /* late lands in slot 0, still to be visited */
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&c, &TEST_PLAIN_TYPE, "c");
    test_callable_init(&late, &TEST_PLAIN_TYPE, "late");
    c.during = clear_then_register;
    c.ctx = &ctx;
    reg(r, &a);
    reg(r, &b);
    reg(r, &c);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    atx_registry_free(r);
}

static void run_nested(test_callable *self)
{
    during_ctx *ctx = self->ctx;
    if (self->calls == 1) /* the nested run calls b again: recurse once only */
        assert_int_equal(atx_run(ctx->r, NULL), 0);
}

static void test_registry_nested_run_takes_the_rest(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, b;
    during_ctx ctx = {r, NULL};
    test_callable *order[] = {&b, &b, &a};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    b.during = run_nested;
    b.ctx = &ctx;
    reg(r, &a);
    reg(r, &b);
    /* b is still in its slot: the nested run calls b, then a, and empties the
     * registry, so the outer run finds nothing left (as CPython 3.x does) */
    expect_calls(order, 3);
    assert_int_equal(atx_run(r, NULL), 0);
    atx_registry_free(r);
}

/* ---- unregister ----------------------------------------------------------- */
static void test_registry_unregister_removes_every_equal_entry(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, b, twin;
    size_t n = 0;
    test_callable *order[] = {&b};
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&twin, &TEST_TYPE, "twin");
    twin.equal_result = ATX_EQUAL; /* compares equal to a (reflected: a has no hook) */
    reg(r, &a);
    reg(r, &b);
    reg(r, &a);
    /* slot order: a (reflected twin hook), b (reflected), a (reflected) */
    expect_value_count(test_equal, self, cast_ptr_to_largest_integral_type(&twin), 3);
    b.equal_result = 0;
    assert_int_equal(atx_unregister(r, &twin.base, NULL), 0);
    /* every slot compared equal through twin's hook: all emptied */
    assert_int_equal(atx_count(r), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 3); /* clause introspection.ncallbacks-counts-emptied */
    reg(r, &b);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0); /* identity only: b stays */
    expect_calls(order, 1);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 0);
    atx_registry_free(r);
}

static void test_registry_unregister_compares_entry_first_then_reflected(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable entry, arg;
    (void)state;
    test_callable_init(&entry, &TEST_TYPE, "entry");
    test_callable_init(&arg, &TEST_TYPE, "arg");
    entry.equal_result = ATX_NOT_IMPLEMENTED;
    arg.equal_result = ATX_NOT_EQUAL;
    reg(r, &entry);
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&entry));
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&arg));
    assert_int_equal(atx_unregister(r, &arg.base, NULL), 0);
    assert_int_equal(atx_count(r), 1);
    /* identical: no hook is called at all */
    assert_int_equal(atx_unregister(r, &entry.base, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    atx_registry_free(r);
}

static void test_registry_unregister_failure_keeps_earlier_removals(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a, raiser;
    atx_failure *raised = NULL;
    long before;
    size_t n;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&raiser, &TEST_TYPE, "raiser");
    raiser.equal_result = -1;
    raiser.fail_type = "RuntimeError";
    reg(r, &a);
    reg(r, &raiser);
    reg(r, &a);
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

static void test_registry_unregister_hook_errors_without_failure(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable odd, other;
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&odd, &TEST_TYPE, "odd");
    test_callable_init(&other, &TEST_PLAIN_TYPE, "other");
    odd.equal_result = -1; /* fails without setting a failure */
    reg(r, &odd);
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

static void test_registry_unregister_rejects_bad_arguments(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_unregister(NULL, &a.base, NULL), ATX_EINVAL);
    assert_int_equal(atx_unregister(r, NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0); /* absent: silent */
    atx_registry_free(r);
}

/* ---- clear, counts, the 2.7 API --------------------------------------------- */
static void test_registry_clear_frees_args(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a;
    atx_args *args = NULL;
    size_t n = 9;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    assert_int_equal(atx_clear(r), 0);
    assert_int_equal(counted_values_live(), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(atx_clear(NULL), ATX_EINVAL);
    assert_int_equal(atx_ncallbacks(NULL, &n), ATX_EINVAL);
    assert_int_equal(atx_ncallbacks(r, NULL), ATX_EINVAL);
    assert_int_equal(atx_count(NULL), 0);
    atx_registry_free(r);
}

static void test_registry_2_7_has_no_private_api(void **state)
{
    report_log log = {0};
    atx_registry *r = make("2.7", &log);
    test_callable a;
    size_t n = 5;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_unregister(r, &a.base, NULL), ATX_ENOSYS);
    assert_int_equal(atx_clear(r), ATX_ENOSYS);
    assert_int_equal(atx_ncallbacks(r, &n), ATX_ENOSYS);
    assert_int_equal(n, 5);
    atx_registry_free(r);
}

static void test_registry_free_releases_registered_args(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable a;
    atx_args *args = NULL;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    reg(r, &a);
    assert_int_equal(atx_unregister(r, &a.base, NULL), 0);
    assert_int_equal(counted_values_live(), 0);
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_register(r, &a.base, args, NULL), 0);
    atx_registry_free(r);
    assert_int_equal(counted_values_live(), 0);
}

/* ---- allocation failures ----------------------------------------------------- */
static void test_registry_out_of_memory_changes_nothing(void **state)
{
    long n;
    int registered = 0;
    (void)state;
    for (n = 0; registered < 20; n++) {
        atx_registry *r = NULL;
        atx_registry_options options = {&failing_allocator, NULL, NULL, NULL};
        test_callable a;
        int i, err;
        test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
        failing_allocator_arm(n);
        err = atx_registry_new(&options, &r);
        if (err != 0) {
            assert_int_equal(err, ATX_ENOMEM);
            assert_null(r);
            continue;
        }
        for (registered = 0; registered < 20; registered++) {
            atx_args *args = NULL;
            size_t before = atx_count(r);
            assert_int_equal(atx_args_new(NULL, &args), 0);
            assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
            err = atx_register(r, &a.base, args, NULL);
            if (err != 0) {
                assert_int_equal(err, ATX_ENOMEM);
                assert_int_equal(atx_count(r), before);
                assert_int_equal(counted_values_live(), (long)before + 1);
                atx_args_free(args); /* still the caller's */
                break;
            }
        }
        failing_allocator_arm(-1);
        for (i = 0; i < registered; i++)
            expect_value(test_call, self, cast_ptr_to_largest_integral_type(&a));
        assert_int_equal(atx_run(r, NULL), 0);
        atx_registry_free(r);
        assert_int_equal(counted_values_live(), 0);
        assert_int_equal(failing_allocator_live(), 0);
    }
}

static void test_registry_not_callable_failure_survives_no_memory(void **state)
{
    report_log log = {0};
    atx_registry *r = NULL;
    atx_registry_options options = {&failing_allocator, atx_profile_find("2.7"), record, &log};
    test_callable bad;
    (void)state;
    test_callable_init(&bad, &TEST_NOT_CALLABLE_TYPE, "bad");
    assert_int_equal(atx_registry_new(&options, &r), 0);
    assert_int_equal(atx_register(r, &bad.base, NULL, NULL), 0);
    failing_allocator_arm(0);
    assert_int_equal(atx_run(r, NULL), ATX_ERAISED);
    failing_allocator_arm(-1);
    assert_string_equal(log.type[0], "MemoryError");
    atx_registry_free(r);
    assert_int_equal(failing_allocator_live(), 0);
}


/* ---- 3.14: a list, newest first ----------------------------------------------- */
static void test_registry_3_14_run_calls_a_copy(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.14", &log);
    test_callable a, b, late;
    during_ctx ctx = {r, &a};
    test_callable *order[] = {&b, &a};
    size_t n;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&b, &TEST_PLAIN_TYPE, "b");
    test_callable_init(&late, &TEST_PLAIN_TYPE, "late");
    b.during = unregister_other; /* a is unregistered, but the copy still calls it */
    b.ctx = &ctx;
    reg(r, &a);
    reg(r, &b);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 0);
    /* clear, then register, during the run: the copy runs on, the new one is dropped */
    ctx.other = &late;
    b.during = clear_then_register;
    reg(r, &a);
    reg(r, &b);
    expect_calls(order, 2);
    assert_int_equal(atx_run(r, NULL), 0);
    assert_int_equal(atx_count(r), 0);
    atx_registry_free(r);
}

static void test_registry_3_14_unregister_is_newest_first_argument_first(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.14", &log);
    test_callable old, plain, young, arg;
    size_t n;
    (void)state;
    test_callable_init(&old, &TEST_TYPE, "old");
    test_callable_init(&plain, &TEST_PLAIN_TYPE, "plain");
    test_callable_init(&young, &TEST_TYPE, "young");
    test_callable_init(&arg, &TEST_TYPE, "arg");
    reg(r, &old);
    reg(r, &plain);
    reg(r, &young);
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

static void test_registry_3_14_unregister_failure_keeps_newer_removals(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.14", &log);
    test_callable a, raiser;
    atx_failure *raised = NULL;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    test_callable_init(&raiser, &TEST_TYPE, "raiser");
    raiser.equal_result = -1;
    raiser.fail_type = "RuntimeError";
    reg(r, &a);
    reg(r, &raiser);
    reg(r, &a);
    expect_value(test_equal, self, cast_ptr_to_largest_integral_type(&raiser));
    assert_int_equal(atx_unregister(r, &a.base, &raised), ATX_ERAISED);
    atx_failure_release(raised);
    assert_int_equal(atx_count(r), 2); /* the newest a went; the oldest was never reached */
    atx_registry_free(r);
}

static void test_registry_3_14_copy_without_memory_calls_nothing(void **state)
{
    report_log log = {0};
    atx_registry *r = NULL;
    atx_registry_options options = {&failing_allocator, atx_profile_find("3.14"), record, &log};
    test_callable a;
    (void)state;
    test_callable_init(&a, &TEST_PLAIN_TYPE, "a");
    assert_int_equal(atx_registry_new(&options, &r), 0);
    reg(r, &a);
    failing_allocator_arm(0);
    assert_int_equal(atx_run(r, NULL), 0);
    failing_allocator_arm(-1);
    assert_int_equal(log.n, 1);
    assert_null(log.callable[0]);
    assert_string_equal(log.type[0], "MemoryError");
    assert_int_equal(atx_count(r), 0);
    atx_registry_free(r);
    assert_int_equal(failing_allocator_live(), 0);
}

/* ---- threads -------------------------------------------------------------------- */
typedef struct thread_job {
    atx_registry *r;
    test_callable *c;
} thread_job;

static void *register_many(void *arg)
{
    thread_job *job = arg;
    int i;
    for (i = 0; i < 500; i++)
        if (atx_register(job->r, &job->c->base, NULL, NULL) != 0)
            return arg;
    return NULL;
}

static void test_registry_is_thread_safe(void **state)
{
    report_log log = {0};
    atx_registry *r = make("3.11", &log);
    test_callable c[4];
    thread_job jobs[4];
    pthread_t threads[4];
    int i;
    size_t n;
    (void)state;
    for (i = 0; i < 4; i++) {
        test_callable_init(&c[i], &TEST_PLAIN_TYPE, "c");
        jobs[i].r = r;
        jobs[i].c = &c[i];
        assert_int_equal(pthread_create(&threads[i], NULL, register_many, &jobs[i]), 0);
    }
    for (i = 0; i < 4; i++) {
        void *result;
        assert_int_equal(pthread_join(threads[i], &result), 0);
        assert_null(result);
    }
    assert_int_equal(atx_count(r), 2000);
    assert_int_equal(atx_unregister(r, &c[1].base, NULL), 0);
    assert_int_equal(atx_count(r), 1500);
    assert_int_equal(atx_ncallbacks(r, &n), 0);
    assert_int_equal(n, 2000);
    atx_registry_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_register_returns_the_callable),
        cmocka_unit_test(test_registry_register_rejects_bad_arguments),
        cmocka_unit_test(test_registry_2_7_registers_non_callables_and_fails_at_run),
        cmocka_unit_test(test_registry_run_is_lifo),
        cmocka_unit_test(test_registry_run_passes_args_and_frees_them),
        cmocka_unit_test(test_registry_failures_do_not_stop_the_run),
        cmocka_unit_test(test_registry_3_9_reraises_the_last_failure),
        cmocka_unit_test(test_registry_systemexit_is_silent_until_3_10),
        cmocka_unit_test(test_registry_register_during_run_by_profile),
        cmocka_unit_test(test_registry_unregister_during_run_skips_the_handler),
        cmocka_unit_test(test_registry_handler_may_unregister_itself),
        cmocka_unit_test(test_registry_clear_then_register_during_run_runs_the_new_one),
        cmocka_unit_test(test_registry_nested_run_takes_the_rest),
        cmocka_unit_test(test_registry_unregister_removes_every_equal_entry),
        cmocka_unit_test(test_registry_unregister_compares_entry_first_then_reflected),
        cmocka_unit_test(test_registry_unregister_failure_keeps_earlier_removals),
        cmocka_unit_test(test_registry_unregister_hook_errors_without_failure),
        cmocka_unit_test(test_registry_unregister_rejects_bad_arguments),
        cmocka_unit_test(test_registry_clear_frees_args),
        cmocka_unit_test(test_registry_2_7_has_no_private_api),
        cmocka_unit_test(test_registry_free_releases_registered_args),
        cmocka_unit_test(test_registry_out_of_memory_changes_nothing),
        cmocka_unit_test(test_registry_not_callable_failure_survives_no_memory),
        cmocka_unit_test(test_registry_3_14_run_calls_a_copy),
        cmocka_unit_test(test_registry_3_14_unregister_is_newest_first_argument_first),
        cmocka_unit_test(test_registry_3_14_unregister_failure_keeps_newer_removals),
        cmocka_unit_test(test_registry_3_14_copy_without_memory_calls_nothing),
        cmocka_unit_test(test_registry_is_thread_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
