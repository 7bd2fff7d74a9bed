/* support.h - shared test doubles: a failing allocator and scriptable callables. */
#ifndef ATX_TEST_SUPPORT_H
#define ATX_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "atx.h"

/* An allocator that fails the Nth allocation from now (0 = the next one);
 * -1 never fails. It counts live blocks so tests can check for leaks. */
extern atx_allocator failing_allocator;
void failing_allocator_arm(long fail_at);
long failing_allocator_live(void);

/* A callable whose behaviour a test scripts. Calls are checked with CMocka's
 * expectations on test_call(self) and test_equal(self, other). */
typedef struct test_callable {
    atx_callable base;
    const char *name;
    const char *fail_type;      /* non-NULL: the call fails with this type */
    unsigned fail_flags;
    int equal_result;           /* what the equality hook returns (negative: fails) */
    int fail_silently;          /* the call fails without setting a failure */
    void (*during)(struct test_callable *self); /* runs inside the call */
    void *ctx;
    int calls;
} test_callable;

extern const atx_callable_type TEST_TYPE;      /* call + equal + repr */
extern const atx_callable_type TEST_PLAIN_TYPE; /* call only: identity equality */
extern const atx_callable_type TEST_NOT_CALLABLE_TYPE; /* name "int", no call */

void test_callable_init(test_callable *c, const atx_callable_type *type, const char *name);
/* Expect these callables to be called, in this order. */
void expect_calls(test_callable *const *order, size_t n);
/* Failures made by test callables: count the released ones. */
long released_failures(void);

/* A reporter that records what it is given (ctx: a report_log). */
typedef struct report_log {
    const atx_callable *callable[16];
    char type[16][32];
    char message[16][64];
    size_t n;
} report_log;
void record_report(void *ctx, const atx_profile *profile, const atx_callable *callable,
                   const atx_failure *failure);
/* A registry in the preset of version, reporting into log (asserts it is made). */
atx_registry *make_registry(const char *version, report_log *log);
/* Registers c without arguments (asserts it succeeds). */
void must_register(atx_registry *r, test_callable *c);

/* A value whose release is counted. */
void *counted_value(void);
long counted_values_live(void);
void counted_release(void *value);

#endif
