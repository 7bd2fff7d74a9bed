/* canonical_steps.c - reading atx-case/1's values and steps, every field checked. */
#include "canonical_steps.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "computations.h"

value read_value(reader *r, const char *where, json_t *json, int depth)
{
    value v;
    memset(&v, 0, sizeof v);
    switch (json_typeof(json)) {
    case JSON_NULL:
        v.kind = VALUE_NONE;
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        v.kind = VALUE_BOOL;
        v.number = json_is_true(json);
        break;
    case JSON_INTEGER:
        v.kind = VALUE_INT;
        v.number = json_integer_value(json);
        break;
    case JSON_STRING:
        v.kind = VALUE_TEXT;
        v.text = arena_strdup(r->j.mem, json_string_value(json));
        break;
    case JSON_ARRAY: {
        char inner[WHERE_SIZE];
        size_t i;
        if (depth >= CANONICAL_MAX_VALUE_DEPTH)
            jr_fail(&r->j, where, "lists nested more than %d deep", CANONICAL_MAX_VALUE_DEPTH);
        v.kind = VALUE_LIST;
        v.count = json_array_size(json);
        v.items = arena_alloc(r->j.mem, (v.count + 1) * sizeof *v.items);
        for (i = 0; i < v.count; i++) {
            snprintf(inner, sizeof inner, "%.120s[%zu]", where, i);
            v.items[i] = read_value(r, inner, json_array_get(json, i), depth + 1);
        }
        break;
    }
    case JSON_OBJECT: {
        json_int_t list;
        jr_unpack(&r->j, where, json, "{s:I}", "list", &list);
        if (list < 0 || (size_t)list >= r->c->nlists)
            jr_fail(&r->j, where, "list is not the index of a named list");
        v.kind = VALUE_LIST_REF;
        v.number = list;
        break;
    }
    default:
        jr_fail(&r->j, where, "a value is null, a boolean, an integer, text, a list or "
                "{\"list\": INDEX}");
    }
    return v;
}

static void read_ref(reader *r, const char *where, json_t *json, ref *out)
{
    static const char *const KINDS[] = {"handler", "value", NULL};
    const char *kind;
    json_t *index, *object, *literal;
    jr_unpack(&r->j, where, json, "{s:s, s:o, s:o, s:o}", "kind", &kind, "handler", &index,
           "object", &object, "value", &literal);
    memset(out, 0, sizeof *out);
    if (jr_one_of(&r->j, where, kind, KINDS) == 1) {
        if (!json_is_null(index) || !json_is_null(object))
            jr_fail(&r->j, where, "a value reference names no handler and no object");
        out->literal = read_value(r, where, literal, 0);
        return;
    }
    if (!json_is_integer(index) || json_integer_value(index) < 0
        || (size_t)json_integer_value(index) >= r->c->nhandlers)
        jr_fail(&r->j, where, "handler is not the index of a handler");
    out->h = &r->c->handlers[json_integer_value(index)];
    if (json_is_null(object)) {
        if (out->h->kind == KIND_METHOD)
            jr_fail(&r->j, where, "a method is named with its object");
        return;
    }
    if (!json_is_integer(object) || json_integer_value(object) < 0
        || (size_t)json_integer_value(object) >= r->c->nobjects)
        jr_fail(&r->j, where, "object is not the index of an object");
    if (out->h->kind != KIND_METHOD)
        jr_fail(&r->j, where, "only a method is named with an object");
    out->obj = &r->c->objects[json_integer_value(object)];
}


/* raise's cause: null, or {"type": TYPE or null (from None), "has_arg", "arg"}. */
static void read_cause(reader *r, const char *where, json_t *cause, step *s)
{
    json_t *type, *arg;
    if (json_is_null(cause))
        return;
    jr_unpack(&r->j, where, cause, "{s:o, s:b, s:o}", "type", &type, "has_arg",
              &s->has_cause_arg, "arg", &arg);
    s->has_cause = 1;
    s->cause = jr_copy(&r->j, jr_text_or_null(&r->j, where, type));
    if (s->has_cause_arg)
        s->cause_arg = read_value(r, where, arg, 0);
}

/* The operations, in step_op order, and the fields each needs to be set. */
static const char *const OPS[] = {
    "print", "print_args", "print_eq", "raise", "exit", "register", "unregister",
    "run_exitfuncs", "clear", "ncallbacks", "return", "os_exit", "kill", "abort", "fork",
    "on_signal", "thread", "process", "call", "sleep", "compute", "on_unraisable",
    "on_uncaught", "append", "print_list", "reimport_atexit", "reload_atexit", "set_exitfunc",
    NULL};
static const char *const SIGNALS[] = {"SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGINT", NULL};
static const char *const STREAMS[] = {"stdout", "stderr", NULL};
static const char *const RESULTS[] = {"false", "true", "not-implemented", NULL}; /* eq_result */
static const char *const STARTS[] = {"fork", "spawn", "forkserver", NULL};
static const char *const INSTANCES[] = {"current", "first", NULL}; /* first_instance */

static void read_step(reader *r, const char *where, json_t *json, int depth, place in, step *s)
{
    const char *op, *print_text, *exception, *signal, *result, *start, *stream, *instance;
    json_t *text_j, *exception_j, *signal_j, *result_j, *start_j, *if_other_j, *extra, *list;
    json_t *arg, *target, *args, *kwargs, *child, *cause;
    json_int_t line, serial, delay_ms, repeat, on_call;
    int has_arg, catch_, print_returned, daemon, after_main, join, func_keyword;
    char inner[WHERE_SIZE];
    size_t i;
    jr_unpack(&r->j, where, json,
           "{s:s, s:I, s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o,"
           " s:b, s:I, s:b, s:b, s:o, s:s, s:I, s:I, s:o, s:o, s:b, s:o, s:s, s:o}",
           "op", &op, "line", &line, "serial", &serial, "text", &text_j,
           "exception", &exception_j, "has_arg", &has_arg, "arg", &arg, "ref", &target,
           "args", &args, "kwargs", &kwargs, "catch", &catch_, "print_returned", &print_returned,
           "signal", &signal_j, "result", &result_j, "child", &child, "daemon", &daemon,
           "delay_ms", &delay_ms, "after_main", &after_main, "join", &join, "start", &start_j,
           "stream", &stream, "repeat", &repeat, "on_call", &on_call, "if_other", &if_other_j,
           "extra_args", &extra, "func_keyword", &func_keyword, "list", &list,
           "instance", &instance, "cause", &cause);
    print_text = jr_text_or_null(&r->j, where, text_j);
    exception = jr_text_or_null(&r->j, where, exception_j);
    signal = jr_text_or_null(&r->j, where, signal_j);
    result = jr_text_or_null(&r->j, where, result_j);
    start = jr_text_or_null(&r->j, where, start_j);
    memset(s, 0, sizeof *s);
    s->if_other = jr_copy(&r->j, jr_text_or_null(&r->j, where, if_other_j));
    s->func_keyword = func_keyword;
    s->first_instance = jr_one_of(&r->j, where, instance, INSTANCES);
    read_cause(r, where, cause, s);
    s->op = (step_op)jr_one_of(&r->j, where, op, OPS);
    if (line < 1 || line > 1 << 24 || serial < 1 || serial > 1 << 24)
        jr_fail(&r->j, where, "line and serial count from 1");
    s->line = (int)line;
    s->serial = (int)serial;
    if (delay_ms < 0 || delay_ms > 10000)
        jr_fail(&r->j, where, "delay_ms is 0 to 10000");
    s->delay_ms = (int)delay_ms;
    if (repeat < 0 || repeat > 1000 || on_call < 0 || on_call > 1000)
        jr_fail(&r->j, where, "repeat and on_call are 0 to 1000");
    s->repeat = (int)repeat;
    s->on_call = (int)on_call;
    s->to_stderr = jr_one_of(&r->j, where, stream, STREAMS);
    s->catch_ = catch_;
    s->print_returned = print_returned;
    s->daemon = daemon;
    s->after_main = after_main;
    s->join = join;
    s->exc_type = jr_copy(&r->j, exception);
    s->start = start == NULL ? NULL : STARTS[jr_one_of(&r->j, where, start, STARTS)];
    /* the model keeps a signal's name where print keeps its text */
    s->text = jr_copy(&r->j, s->op == OP_KILL || s->op == OP_ON_SIGNAL ? signal : print_text);
    if (s->op == OP_COMPUTE && (print_text == NULL || computation_find(print_text) == NULL))
        jr_fail(&r->j, where, "'compute' names no known computation");
    if (signal != NULL)
        (void)jr_one_of(&r->j, where, signal, SIGNALS);
    if (result != NULL)
        s->result = (eq_result)jr_one_of(&r->j, where, result, RESULTS);
    s->has_arg = has_arg;
    if (has_arg)
        s->arg = read_value(r, where, arg, 0);
    s->has_ref = !json_is_null(target);
    if (s->has_ref)
        read_ref(r, where, target, &s->target);
    if (!json_is_array(args) || !json_is_array(kwargs))
        jr_fail(&r->j, where, "args and kwargs are lists");
    s->nargs = json_array_size(args);
    s->args = arena_alloc(r->j.mem, (s->nargs + 1) * sizeof *s->args);
    for (i = 0; i < s->nargs; i++) {
        snprintf(inner, sizeof inner, "%.120s.args[%zu]", where, i);
        s->args[i] = read_value(r, inner, json_array_get(args, i), 0);
    }
    if (!json_is_array(extra))
        jr_fail(&r->j, where, "extra_args is a list");
    s->nextra = json_array_size(extra);
    s->extra_args = arena_alloc(r->j.mem, (s->nextra + 1) * sizeof *s->extra_args);
    for (i = 0; i < s->nextra; i++) {
        snprintf(inner, sizeof inner, "%.120s.extra_args[%zu]", where, i);
        s->extra_args[i] = read_value(r, inner, json_array_get(extra, i), 0);
    }
    s->nkwargs = json_array_size(kwargs);
    s->kwargs = arena_alloc(r->j.mem, (s->nkwargs + 1) * sizeof *s->kwargs);
    for (i = 0; i < s->nkwargs; i++) {
        const char *name;
        json_t *item;
        snprintf(inner, sizeof inner, "%.120s.kwargs[%zu]", where, i);
        jr_unpack(&r->j, inner, json_array_get(kwargs, i), "[so]", &name, &item);
        s->kwargs[i].name = jr_copy(&r->j, name);
        s->kwargs[i].val = read_value(r, inner, item, 0);
    }
    snprintf(inner, sizeof inner, "%.120s.child", where);
    s->child = arena_alloc(r->j.mem, sizeof *s->child);
    *s->child = read_steps(r, inner, child, depth + 1, IN_MAIN);
    if ((s->op == OP_APPEND || s->op == OP_PRINT_LIST)
        != (json_is_integer(list) && json_integer_value(list) >= 0
            && (size_t)json_integer_value(list) < r->c->nlists))
        jr_fail(&r->j, where, "list names a named list for append and print_list only");
    s->list = s->op == OP_APPEND || s->op == OP_PRINT_LIST ? (size_t)json_integer_value(list) : 0;
    /* what executing each operation relies on */
    if ((s->op == OP_PRINT && s->text == NULL) || (s->op == OP_RAISE && s->exc_type == NULL)
        || ((s->op == OP_KILL || s->op == OP_ON_SIGNAL) && s->text == NULL)
        || ((s->op == OP_ON_SIGNAL || s->op == OP_CALL || s->op == OP_SET_EXITFUNC)
            && !s->has_ref)
        || (s->op == OP_RETURN && result == NULL && in == IN_EQ)
        || (s->op == OP_OS_EXIT && !(has_arg && s->arg.kind == VALUE_INT))
        || (s->op == OP_APPEND && !(has_arg && s->arg.kind != VALUE_LIST_REF))
        || (s->op == OP_RAISE && !(s->child->count == 0
                                   || (s->child->count == 1
                                       && (s->child->items[0].op == OP_RAISE
                                           || s->child->items[0].op == OP_COMPUTE))))
        || (s->op != OP_RAISE && s->has_cause))
        jr_fail(&r->j, where, "'%s' lacks what it needs", op);
    if ((s->op == OP_PRINT_ARGS && in == IN_MAIN)
        || (s->op == OP_PRINT_EQ && in != IN_EQ) || (s->op == OP_RETURN && in == IN_MAIN)
        || (s->if_other != NULL && in != IN_EQ))
        jr_fail(&r->j, where, "'%s' is not allowed there", op);
}

steps read_steps(reader *r, const char *where, json_t *json, int depth, place in)
{
    steps list;
    char inner[WHERE_SIZE];
    size_t i;
    if (!json_is_array(json))
        jr_fail(&r->j, where, "steps are a list");
    if (depth > CANONICAL_MAX_CHILD_DEPTH && json_array_size(json) > 0)
        jr_fail(&r->j, where, "steps nested more than %d deep", CANONICAL_MAX_CHILD_DEPTH);
    list.count = json_array_size(json);
    list.items = arena_alloc(r->j.mem, (list.count + 1) * sizeof *list.items);
    for (i = 0; i < list.count; i++) {
        snprintf(inner, sizeof inner, "%.120s[%zu]", where, i);
        read_step(r, inner, json_array_get(json, i), depth, in, &list.items[i]);
    }
    return list;
}
