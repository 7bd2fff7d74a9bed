/* canonical.c - reads atx-case/1 (oracle/canonical.py writes it; cases/README.md, "The
 * canonical form", is its schema) with jansson into the runner's model, checking all of it. */
#include "canonical.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "computations.h"
#include "jsonread.h"

#define FORMAT "atx-case/1"
#define MAX_BYTES (64L << 20)

typedef struct reader {
    jreader j;
    case_file *c;
} reader;

static value read_value(reader *r, const char *where, json_t *json, int depth)
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
    default:
        jr_fail(&r->j, where, "a value is null, a boolean, an integer, text or a list");
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

/* Where steps run: what a step finds there (print_args the call's arguments, print_eq
 * and return an __eq__'s operand and result) is checked, not assumed. */
typedef enum place { IN_MAIN, IN_HANDLER, IN_EQ } place;

static steps read_steps(reader *r, const char *where, json_t *json, int depth, place in);

/* The operations, in step_op order, and the fields each needs to be set. */
static const char *const OPS[] = {
    "print", "print_args", "print_eq", "raise", "exit", "register", "unregister",
    "run_exitfuncs", "clear", "ncallbacks", "return", "os_exit", "kill", "abort", "fork",
    "on_signal", "thread", "process", "call", "sleep", "compute", "on_unraisable",
    "on_uncaught", NULL};
static const char *const SIGNALS[] = {"SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGINT", NULL};
static const char *const STREAMS[] = {"stdout", "stderr", NULL};
static const char *const RESULTS[] = {"false", "true", "not-implemented", NULL}; /* eq_result */
static const char *const STARTS[] = {"fork", "spawn", "forkserver", NULL};

static void read_step(reader *r, const char *where, json_t *json, int depth, place in, step *s)
{
    const char *op, *print_text, *exception, *signal, *result, *start, *stream;
    json_t *text_j, *exception_j, *signal_j, *result_j, *start_j, *if_other_j, *extra;
    json_t *arg, *target, *args, *kwargs, *child;
    json_int_t line, serial, delay_ms, repeat, on_call;
    int has_arg, catch_, print_returned, daemon, after_main, func_keyword;
    char inner[WHERE_SIZE];
    size_t i;
    jr_unpack(&r->j, where, json,
           "{s:s, s:I, s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o,"
           " s:b, s:I, s:b, s:o, s:s, s:I, s:I, s:o, s:o, s:b}",
           "op", &op, "line", &line, "serial", &serial, "text", &text_j,
           "exception", &exception_j, "has_arg", &has_arg, "arg", &arg, "ref", &target,
           "args", &args, "kwargs", &kwargs, "catch", &catch_, "print_returned", &print_returned,
           "signal", &signal_j, "result", &result_j, "child", &child, "daemon", &daemon,
           "delay_ms", &delay_ms, "after_main", &after_main, "start", &start_j,
           "stream", &stream, "repeat", &repeat, "on_call", &on_call, "if_other", &if_other_j,
           "extra_args", &extra, "func_keyword", &func_keyword);
    print_text = jr_text_or_null(&r->j, where, text_j);
    exception = jr_text_or_null(&r->j, where, exception_j);
    signal = jr_text_or_null(&r->j, where, signal_j);
    result = jr_text_or_null(&r->j, where, result_j);
    start = jr_text_or_null(&r->j, where, start_j);
    memset(s, 0, sizeof *s);
    s->if_other = jr_copy(&r->j, jr_text_or_null(&r->j, where, if_other_j));
    s->func_keyword = func_keyword;
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
    /* what executing each operation relies on */
    if ((s->op == OP_PRINT && s->text == NULL) || (s->op == OP_RAISE && s->exc_type == NULL)
        || ((s->op == OP_KILL || s->op == OP_ON_SIGNAL) && s->text == NULL)
        || ((s->op == OP_ON_SIGNAL || s->op == OP_CALL) && !s->has_ref)
        || (s->op == OP_RETURN && result == NULL && in == IN_EQ)
        || (s->op == OP_OS_EXIT && !(has_arg && s->arg.kind == VALUE_INT)))
        jr_fail(&r->j, where, "'%s' lacks what it needs", op);
    if ((s->op == OP_PRINT_ARGS && in == IN_MAIN)
        || (s->op == OP_PRINT_EQ && in != IN_EQ) || (s->op == OP_RETURN && in == IN_MAIN)
        || (s->if_other != NULL && in != IN_EQ))
        jr_fail(&r->j, where, "'%s' is not allowed there", op);
}

static steps read_steps(reader *r, const char *where, json_t *json, int depth, place in)
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

static const char *const KINDS[] = {"function", "method", "callable-object", "builtin", NULL};
static const char *const BUILTINS[] = {"print", "int", "len", "sys.exit", NULL};

/* A fixed signature: names, the defaults of the last ones, *NAME and **NAME. */
static void read_params(reader *r, const char *where, json_t *list, json_t *varargs,
                        json_t *varkw, handler *h)
{
    size_t i;
    h->varargs = jr_copy(&r->j, jr_text_or_null(&r->j, where, varargs));
    h->varkw = jr_copy(&r->j, jr_text_or_null(&r->j, where, varkw));
    h->has_params = !json_is_null(list);
    if (!h->has_params) {
        if (h->varargs != NULL || h->varkw != NULL)
            jr_fail(&r->j, where, "varargs and varkw need params");
        return;
    }
    if (!json_is_array(list) || h->kind == KIND_BUILTIN)
        jr_fail(&r->j, where, "params is a list (not for a builtin) or null");
    h->nparams = json_array_size(list);
    h->params = arena_alloc(r->j.mem, (h->nparams + 1) * sizeof *h->params);
    h->defaults = arena_alloc(r->j.mem, (h->nparams + 1) * sizeof *h->defaults);
    for (i = 0; i < h->nparams; i++) {
        const char *name;
        int has_default;
        json_t *default_value;
        jr_unpack(&r->j, where, json_array_get(list, i), "{s:s, s:b, s:o}", "name", &name,
                  "has_default", &has_default, "default", &default_value);
        h->params[i] = jr_copy(&r->j, name);
        for (size_t k = 0; k < i; k++)
            if (strcmp(h->params[k], name) == 0)
                jr_fail(&r->j, where, "parameter '%s' named twice", name);
        if (has_default)
            h->defaults[h->ndefaults++] = read_value(r, where, default_value, 0);
        else if (h->ndefaults > 0)
            jr_fail(&r->j, where, "a parameter without a default follows one with");
    }
}

/* Handlers' names and kinds first, then their bodies: a body may name any handler. */
static void read_handlers(reader *r, json_t *list)
{
    char where[WHERE_SIZE];
    size_t i;
    if (!json_is_array(list))
        jr_fail(&r->j, "handlers", "a list");
    r->c->nhandlers = json_array_size(list);
    r->c->handlers = arena_alloc(r->j.mem, (r->c->nhandlers + 1) * sizeof *r->c->handlers);
    for (i = 0; i < r->c->nhandlers; i++) {
        handler *h = &r->c->handlers[i];
        const char *name, *kind, *cls, *builtin;
        json_int_t line;
        json_t *body, *eq, *cls_j, *builtin_j, *params, *varargs, *varkw;
        snprintf(where, sizeof where, "handlers[%zu]", i);
        jr_unpack(&r->j, where, json_array_get(list, i),
                  "{s:s, s:s, s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o}", "name", &name,
                  "kind", &kind, "line", &line, "class", &cls_j, "builtin", &builtin_j,
                  "quiet", &h->quiet, "params", &params, "varargs", &varargs, "varkw", &varkw,
                  "body", &body, "eq", &eq);
        read_params(r, where, params, varargs, varkw, h);
        cls = jr_text_or_null(&r->j, where, cls_j);
        builtin = jr_text_or_null(&r->j, where, builtin_j);
        h->name = jr_copy(&r->j, name);
        h->kind = (handler_kind)jr_one_of(&r->j, where, kind, KINDS);
        h->cls = jr_copy(&r->j, cls);
        h->builtin = builtin == NULL ? NULL : BUILTINS[jr_one_of(&r->j, where, builtin, BUILTINS)];
        h->has_eq = !json_is_null(eq);
        if ((h->kind == KIND_METHOD) != (cls != NULL) || (h->kind == KIND_BUILTIN) != (builtin != NULL)
            || (h->has_eq && h->kind != KIND_CALLABLE_OBJECT))
            jr_fail(&r->j, where, "the fields do not fit the kind '%s'", kind);
    }
    for (i = 0; i < r->c->nhandlers; i++) {
        handler *h = &r->c->handlers[i];
        json_t *item = json_array_get(list, i);
        snprintf(where, sizeof where, "handlers[%zu].body", i);
        h->body = read_steps(r, where, json_object_get(item, "body"), 0, IN_HANDLER);
        if (h->has_eq) {
            snprintf(where, sizeof where, "handlers[%zu].eq", i);
            h->eq = read_steps(r, where, json_object_get(item, "eq"), 0, IN_EQ);
        }
    }
}

static void read_exceptions(reader *r, json_t *list)
{
    char where[WHERE_SIZE];
    size_t i;
    if (!json_is_array(list))
        jr_fail(&r->j, "exceptions", "a list");
    r->c->nexceptions = json_array_size(list);
    r->c->exceptions = arena_alloc(r->j.mem, (r->c->nexceptions + 1) * sizeof *r->c->exceptions);
    for (i = 0; i < r->c->nexceptions; i++) {
        exception_decl *e = &r->c->exceptions[i];
        const char *name, *base;
        snprintf(where, sizeof where, "exceptions[%zu]", i);
        jr_unpack(&r->j, where, json_array_get(list, i), "{s:s, s:s, s:b}", "name", &name,
                  "base", &base, "str_raises", &e->str_raises);
        e->name = jr_copy(&r->j, name);
        e->base = jr_copy(&r->j, base);
    }
}

static void read_objects(reader *r, json_t *list)
{
    char where[WHERE_SIZE];
    size_t i;
    if (!json_is_array(list))
        jr_fail(&r->j, "objects", "a list");
    r->c->nobjects = json_array_size(list);
    r->c->objects = arena_alloc(r->j.mem, (r->c->nobjects + 1) * sizeof *r->c->objects);
    for (i = 0; i < r->c->nobjects; i++) {
        const char *name, *cls;
        snprintf(where, sizeof where, "objects[%zu]", i);
        jr_unpack(&r->j, where, json_array_get(list, i), "{s:s, s:s}", "name", &name, "class", &cls);
        r->c->objects[i].name = jr_copy(&r->j, name);
        r->c->objects[i].cls = jr_copy(&r->j, cls);
    }
}

void case_free(case_file *c)
{
    if (c->mem != NULL) {
        arena_free(c->mem);
        free(c->mem);
    }
    memset(c, 0, sizeof *c);
}

/* The whole case, once the file is JSON; fails through r->fail_to. */
static void read_case(reader *r, json_t *root)
{
    static const char *const EXITS[] = {"normal", "os-exit", "signal", "abort", NULL};
    const char *format = NULL, *id, *description, *exit_path;
    json_t *ignored, *exceptions, *objects, *handlers, *module, *main_steps;
    (void)json_unpack(root, "{s:s}", "format", &format);
    if (format == NULL || strcmp(format, FORMAT) != 0)
        jr_fail(&r->j, "format", "not \"" FORMAT "\"");
    jr_unpack(&r->j, "the case", root,
           "{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
           "format", &format, "id", &id, "description", &description, "clauses", &ignored,
           "tags", &ignored, "versions", &ignored, "exit", &exit_path, "needs", &ignored,
           "exceptions", &exceptions, "objects", &objects, "handlers", &handlers,
           "module", &module, "main", &main_steps);
    r->c->path = jr_copy(&r->j, r->j.path);
    r->c->id = jr_copy(&r->j, id);
    r->c->description = jr_copy(&r->j, description);
    r->c->exit_path = EXITS[jr_one_of(&r->j, "exit", exit_path, EXITS)];
    read_exceptions(r, exceptions);
    read_objects(r, objects);
    read_handlers(r, handlers);
    r->c->module = read_steps(r, "module", module, 0, IN_MAIN);
    r->c->main = read_steps(r, "main", main_steps, 0, IN_MAIN);
}

int canonical_read(const char *path, case_file *out, char *err, size_t errsize)
{
    reader r;
    json_error_t error;
    json_t *volatile root; /* kept across the longjmp of a failure */
    memset(out, 0, sizeof *out);
    root = jr_load(path, MAX_BYTES, &error);
    if (root == NULL) {
        snprintf(err, errsize, "%s: not a valid " FORMAT " file: line %d: %s", path, error.line,
                 error.text);
        return -1;
    }
    r.j.path = path;
    r.j.what = "not a valid " FORMAT " file";
    r.j.err = err;
    r.j.errsize = errsize;
    r.c = out;
    r.j.mem = out->mem = calloc(1, sizeof *out->mem);
    if (r.j.mem == NULL) {
        snprintf(err, errsize, "%s: out of memory", path);
    } else if (setjmp(r.j.fail_to) == 0) {
        read_case(&r, root);
        json_decref(root);
        return 0;
    }
    json_decref(root);
    case_free(out);
    return -1;
}
