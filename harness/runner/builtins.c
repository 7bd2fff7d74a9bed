/* builtins.c - the two builtins a case can register, print() and int(), with CPython 3's
 * messages. Their failures have no Python frame, so no "Traceback" line. */
#include "builtins.h"

#include <ctype.h>
#include <string.h>

#include "events.h"
#include "pyvalue.h"

static pyexc *fail(const char *type, text *message)
{
    pyexc *e = exc_new(type, text_str(message), ATX_FAILURE_NO_TRACEBACK);
    text_free(message);
    return e;
}

static pyexc *call_print(const atx_args *args)
{
    const char *sep = " ", *end = "\n";
    text out = {NULL, 0, 0};
    size_t i;
    for (i = 0; i < atx_args_keyword_count(args); i++) {
        const char *key = atx_args_keyword_name(args, i);
        const value *v = atx_args_keyword_value(args, i);
        const char **slot = strcmp(key, "sep") == 0 ? &sep : strcmp(key, "end") == 0 ? &end : NULL;
        if (strcmp(key, "flush") == 0)
            continue;
        if (slot == NULL) {
            text_addf(&out, "'%s' is an invalid keyword argument for print()", key);
            return fail("TypeError", &out);
        }
        if (v->kind == VALUE_TEXT) {
            *slot = v->text;
        } else if (v->kind != VALUE_NONE) {
            text_addf(&out, "%s must be None or a string, not %s", key, value_type_name(v));
            return fail("TypeError", &out);
        }
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

/* int(text) accepts optional blanks, a sign, digits with single underscores between. */
static int int_literal(const char *s)
{
    int digits = 0;
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '+' || *s == '-')
        s++;
    for (; isdigit((unsigned char)*s) || (*s == '_' && digits && isdigit((unsigned char)s[1])); s++)
        digits += *s != '_';
    while (isspace((unsigned char)*s))
        s++;
    return digits > 0 && *s == '\0';
}

static pyexc *call_int(const atx_args *args)
{
    text message = {NULL, 0, 0};
    const value *v;
    if (atx_args_keyword_count(args) > 0) {
        text_addf(&message, "'%s' is an invalid keyword argument for int()",
                  atx_args_keyword_name(args, 0));
        return fail("TypeError", &message);
    }
    if (atx_args_positional_count(args) > 1) {
        text_addf(&message, "int() takes at most 2 arguments (%zu given)",
                  atx_args_positional_count(args));
        return fail("TypeError", &message);
    }
    if (atx_args_positional_count(args) == 0)
        return NULL;
    v = atx_args_positional(args, 0);
    if (v->kind == VALUE_INT || v->kind == VALUE_BOOL)
        return NULL;
    if (v->kind == VALUE_TEXT) {
        if (int_literal(v->text))
            return NULL;
        text_add(&message, "invalid literal for int() with base 10: ");
        value_repr(&message, v);
        return fail("ValueError", &message);
    }
    text_addf(&message, "int() argument must be a string, a bytes-like object or a real number, "
              "not '%s'", value_type_name(v));
    return fail("TypeError", &message);
}

pyexc *builtin_call(const char *name, const atx_args *args)
{
    return strcmp(name, "print") == 0 ? call_print(args) : call_int(args);
}
