/* test_args.c - argument packs: ownership, order, keywords, failures. */
#include "support.h"

static void test_args_keep_positional_and_keyword_order(void **state)
{
    atx_args *args = NULL;
    int a = 1, b = 2, c = 3;
    (void)state;
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, &a, NULL), 0);
    assert_int_equal(atx_args_push(args, &b, NULL), 0);
    assert_int_equal(atx_args_push_keyword(args, "zeta", &c, NULL), 0);
    assert_int_equal(atx_args_push_keyword(args, "alpha", &a, NULL), 0);
    assert_int_equal(atx_args_positional_count(args), 2);
    assert_ptr_equal(atx_args_positional(args, 0), &a);
    assert_ptr_equal(atx_args_positional(args, 1), &b);
    assert_null(atx_args_positional(args, 2));
    assert_int_equal(atx_args_keyword_count(args), 2);
    assert_string_equal(atx_args_keyword_name(args, 0), "zeta");
    assert_ptr_equal(atx_args_keyword_value(args, 1), &a);
    assert_null(atx_args_keyword_name(args, 2));
    assert_null(atx_args_keyword_value(args, 2));
    atx_args_free(args);
}

static void test_args_grow_past_their_first_capacity(void **state)
{
    atx_args *args = NULL;
    int i;
    (void)state;
    assert_int_equal(atx_args_new(NULL, &args), 0);
    for (i = 0; i < 100; i++)
        assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_args_positional_count(args), 100);
    atx_args_free(args);
    assert_int_equal(counted_values_live(), 0);
}

static void test_args_free_releases_every_value(void **state)
{
    atx_args *args = NULL;
    (void)state;
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push(args, counted_value(), counted_release), 0);
    assert_int_equal(atx_args_push_keyword(args, "k", counted_value(), counted_release), 0);
    assert_int_equal(counted_values_live(), 2);
    atx_args_free(args);
    assert_int_equal(counted_values_live(), 0);
    atx_args_free(NULL);
}

static void test_args_reject_bad_arguments_and_duplicate_keywords(void **state)
{
    atx_args *args = NULL;
    int v = 0;
    (void)state;
    assert_int_equal(atx_args_new(NULL, NULL), ATX_EINVAL);
    assert_int_equal(atx_args_push(NULL, &v, NULL), ATX_EINVAL);
    assert_int_equal(atx_args_push_keyword(NULL, "k", &v, NULL), ATX_EINVAL);
    assert_int_equal(atx_args_new(NULL, &args), 0);
    assert_int_equal(atx_args_push_keyword(args, NULL, &v, NULL), ATX_EINVAL);
    assert_int_equal(atx_args_push_keyword(args, "k", &v, NULL), 0);
    assert_int_equal(atx_args_push_keyword(args, "k", &v, NULL), ATX_EEXISTS);
    assert_int_equal(atx_args_keyword_count(args), 1);
    atx_args_free(args);
    assert_int_equal(atx_args_positional_count(NULL), 0);
    assert_int_equal(atx_args_keyword_count(NULL), 0);
    assert_null(atx_args_positional(NULL, 0));
}

/* Every allocation fails in turn: each failure returns ATX_ENOMEM and changes nothing. */
static void test_args_out_of_memory_changes_nothing(void **state)
{
    long n;
    (void)state;
    for (n = 0;; n++) {
        atx_args *args = NULL;
        void *v1, *v2;
        int err;
        failing_allocator_arm(n);
        err = atx_args_new(&failing_allocator, &args);
        if (err != 0) {
            assert_int_equal(err, ATX_ENOMEM);
            assert_null(args);
            continue;
        }
        v1 = counted_value();
        err = atx_args_push(args, v1, counted_release);
        if (err != 0) {
            assert_int_equal(err, ATX_ENOMEM);
            assert_int_equal(atx_args_positional_count(args), 0);
            counted_release(v1); /* still the caller's */
            atx_args_free(args);
            continue;
        }
        v2 = counted_value();
        err = atx_args_push_keyword(args, "key", v2, counted_release);
        if (err != 0) {
            assert_int_equal(err, ATX_ENOMEM);
            assert_int_equal(atx_args_keyword_count(args), 0);
            counted_release(v2);
            atx_args_free(args);
            assert_int_equal(failing_allocator_live(), 0);
            continue;
        }
        failing_allocator_arm(-1);
        atx_args_free(args);
        break;
    }
    assert_true(n >= 3);
    assert_int_equal(counted_values_live(), 0);
    assert_int_equal(failing_allocator_live(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_keep_positional_and_keyword_order),
        cmocka_unit_test(test_args_grow_past_their_first_capacity),
        cmocka_unit_test(test_args_free_releases_every_value),
        cmocka_unit_test(test_args_reject_bad_arguments_and_duplicate_keywords),
        cmocka_unit_test(test_args_out_of_memory_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
