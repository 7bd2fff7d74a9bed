/* builtins.c - print(), int(), len() and sys.exit() as each CPython version runs them:
 * their argument rules and messages (pywords.c), for values of the case language. */
#include "builtins.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "events.h"
#include "pyvalue.h"
#include "pywords.h"
#include "runtime.h"

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static pyexc *fail(const char *type, const char *fmt, ...)
{
    text message = {NULL, 0, 0};
    va_list ap;
    char buffer[512];
    pyexc *e;
    va_start(ap, fmt);
    vsnprintf(buffer, sizeof buffer, fmt, ap);
    va_end(ap);
    text_add(&message, buffer);
    e = exc_new(type, text_str(&message), ATX_FAILURE_NO_TRACEBACK);
    text_free(&message);
    return e;
}

#define WORDED(w) pyword_format(w) /* a version's format: its arguments are the word's */

static size_t given(const atx_args *args)
{
    return atx_args_positional_count(args) + atx_args_keyword_count(args);
}

static pyexc *call_print(const handler *h, const atx_args *args)
{
    (void)h;
    const char *sep = " ", *end = "\n";
    text out = {NULL, 0, 0};
    size_t i;
    for (i = 0; i < atx_args_keyword_count(args); i++) { /* unknown keywords come first */
        const char *key = atx_args_keyword_name(args, i);
        if (strcmp(key, "sep") != 0 && strcmp(key, "end") != 0 && strcmp(key, "file") != 0
            && (strcmp(key, "flush") != 0 || rt.major == 2)) /* flush: 3.3+ */
            return fail("TypeError", WORDED(W_PRINT_BAD_KEYWORD), key);
    }
    for (i = 0; i < atx_args_keyword_count(args); i++) {
        const char *key = atx_args_keyword_name(args, i);
        const value *v = atx_args_keyword_value(args, i);
        if (strcmp(key, "file") == 0 && v->kind != VALUE_NONE)
            return fail("AttributeError", "'%s' object has no attribute 'write'",
                        value_type_name(v));
        if (strcmp(key, "sep") != 0 && strcmp(key, "end") != 0)
            continue;
        if (v->kind == VALUE_TEXT)
            *(key[0] == 's' ? &sep : &end) = v->text;
        else if (v->kind != VALUE_NONE)
            return fail("TypeError", WORDED(W_PRINT_BAD_TYPE), key, value_type_name(v));
    }
    for (i = 0; i < atx_args_positional_count(args); i++) {
        if (i)
            text_add(&out, sep);
        value_str(&out, atx_args_positional(args, i));
    }
    text_add(&out, end);
    out_write(text_str(&out));
    text_free(&out);
    return NULL;
}

/* A digit's value in bases up to 36, or 99. */
static int digit(char c)
{
    return isdigit((unsigned char)c) ? c - '0' : isalpha((unsigned char)c)
           ? tolower((unsigned char)c) - 'a' + 10 : 99;
}

/* Whether int(s, base) parses: blanks, a sign (2.7: blanks after it too), the base's
 * prefix (base 0 finds it; 2.7's base 0 reads a leading 0 as octal, 3.x refuses one
 * but for zeros), digits with single underscores between them (3.6+). ASCII text
 * only: the Unicode digits and blanks 3.x also accepts are not modelled. */
static int int_literal(const char *s, int base)
{
    int digits = 0, underscores = rt.major == 3, zeros_only = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        s++;
    while (rt.major == 2 && isspace((unsigned char)*s))
        s++;
    if (s[0] == '0' && strchr("xXoObB", s[1] != '\0' ? s[1] : '?') != NULL) {
        int prefixed = tolower((unsigned char)s[1]) == 'x' ? 16
                       : tolower((unsigned char)s[1]) == 'o' ? 8 : 2;
        if (base == 0 || base == prefixed) {
            base = prefixed;
            s += 2;
            if (underscores && *s == '_' && digit(s[1]) < base)
                s++; /* 0x_1f */
        }
    } else if (base == 0 && s[0] == '0') {
        base = rt.major == 2 ? 8 : 10;
        zeros_only = rt.major == 3;
    } else if (base == 0) {
        base = 10;
    }
    for (; *s != '\0'; s++) {
        if (digit(*s) < base && (!zeros_only || *s == '0'))
            digits++;
        else if (!(underscores && *s == '_' && digits && digit(s[1]) < base))
            break;
    }
    while (isspace((unsigned char)*s))
        s++;
    return digits > 0 && *s == '\0';
}

static pyexc *call_int(const handler *h, const atx_args *args)
{
    (void)h;
    const value *x = atx_args_positional(args, 0), *base = atx_args_positional(args, 1);
    size_t i;
    if (given(args) > 2)
        return fail("TypeError", WORDED(W_INT_ARITY), given(args));
    for (i = 0; i < atx_args_keyword_count(args); i++) {
        const char *key = atx_args_keyword_name(args, i);
        const value **slot = strcmp(key, "base") == 0 ? &base
                             : strcmp(key, "x") == 0 && rt.py->int_takes_x_keyword ? &x
                             : NULL; /* int(x=1): 2.7 and 3.0-3.6 */
        if (slot == NULL)
            return fail("TypeError", WORDED(W_INT_BAD_KEYWORD), key);
        *slot = atx_args_keyword_value(args, i);
    }
    if (base == NULL) {
        if (x == NULL || x->kind == VALUE_INT || x->kind == VALUE_BOOL)
            return NULL;
        if (x->kind != VALUE_TEXT)
            return fail("TypeError", WORDED(W_INT_BAD_TYPE), value_type_name(x));
    } else {
        if (x == NULL)
            return fail("TypeError", "int() missing string argument");
        if (base->kind != VALUE_INT && base->kind != VALUE_BOOL)
            return fail("TypeError", WORDED(W_INT_BASE_TYPE), value_type_name(base));
        if ((base->number != 0 && base->number < 2) || base->number > 36)
            return fail("ValueError", "int() base must be >= 2 and <= 36, or 0");
        if (x->kind != VALUE_TEXT)
            return fail("TypeError", "int() can't convert non-string with explicit base");
    }
    if (int_literal(x->text, base == NULL ? 10 : (int)base->number))
        return NULL;
    {
        text message = {NULL, 0, 0};
        pyexc *e;
        text_addf(&message, "invalid literal for int() with base %lld: ",
                  base == NULL ? 10LL : base->number);
        value_repr(&message, x);
        e = exc_new("ValueError", text_str(&message), ATX_FAILURE_NO_TRACEBACK);
        text_free(&message);
        return e;
    }
}

static pyexc *call_len(const handler *h, const atx_args *args)
{
    (void)h;
    const value *v = atx_args_positional(args, 0);
    if (atx_args_keyword_count(args) > 0)
        return fail("TypeError", "len() takes no keyword arguments");
    if (atx_args_positional_count(args) != 1)
        return fail("TypeError", "len() takes exactly one argument (%zu given)", given(args));
    if (v->kind != VALUE_TEXT && v->kind != VALUE_LIST)
        return fail("TypeError", "object of type '%s' has no len()", value_type_name(v));
    return NULL;
}

/* sys.exit(arg): SystemExit(arg), with exit's own argument rules. */
static pyexc *call_sys_exit(const handler *h, const atx_args *args)
{
    (void)h;
    if (atx_args_keyword_count(args) > 0)
        return fail("TypeError", WORDED(W_NO_KEYWORDS), "sys.", "exit");
    if (atx_args_positional_count(args) > 1)
        return fail("TypeError", WORDED(W_EXIT_ARITY), atx_args_positional_count(args));
    pyexc *e = exc_raise("SystemExit", atx_args_positional(args, 0), 1);
    e->base.flags |= ATX_FAILURE_NO_TRACEBACK; /* raised by C code */
    return e;
}

/* list.append(x): one argument, no keywords ("list.append()" from 3.9). */
static pyexc *call_list_append(const handler *h, const atx_args *args)
{
    if (atx_args_keyword_count(args) > 0)
        return fail("TypeError", WORDED(W_NO_KEYWORDS), "list.", "append");
    if (atx_args_positional_count(args) != 1)
        return fail("TypeError", WORDED(W_ONE_ARGUMENT), "list.", "append", given(args));
    value_list_append(h->bound_list, atx_args_positional(args, 0));
    return NULL;
}

static const builtin_spec BUILTINS[] = {
    {.name = "print", .python_name = "print", .repr = "<built-in function print>",
     .call = call_print},
    {.name = "int", .python_name = "int", .repr = "<class 'int'>", .is_class = 1,
     .call = call_int},
    {.name = "len", .python_name = "len", .repr = "<built-in function len>", .call = call_len},
    {.name = "sys.exit", .python_name = "exit", .repr = "<built-in function exit>",
     .call = call_sys_exit},
    {.name = "list.append", .python_name = "append", .repr = "<built-in method append of list "
     "object at 0x1>", .call = call_list_append},
};

const builtin_spec *builtin_find(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof BUILTINS / sizeof BUILTINS[0]; i++)
        if (strcmp(BUILTINS[i].name, name) == 0)
            return &BUILTINS[i];
    return NULL;
}
