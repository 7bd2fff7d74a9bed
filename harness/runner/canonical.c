/* canonical.c - reads atx-case/1 (oracle/canonical.py writes it; cases/README.md, "The
 * canonical form", is its schema) with jansson into the runner's model, checking all of it. */
#include "canonical.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"

#define FORMAT "atx-case/1"
#define MAX_BYTES (64L << 20)
#define WHERE_SIZE 160 /* a location such as main[2].child[0].args[1], its start kept when long */

typedef struct reader {
    const char *path;
    arena *mem;
    case_file *c;
    jmp_buf fail_to;
    char *err;
    size_t errsize;
} reader;

static _Noreturn void fail(reader *r, const char *where, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fail(reader *r, const char *where, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(r->err, r->errsize, "%s: not a valid " FORMAT " file: %s: ", r->path, where);
    if (n >= 0 && (size_t)n < r->errsize) {
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    longjmp(r->fail_to, 1);
}

/* json_unpack_ex in strict mode (every key of fmt present, no other key) or fail. */
static void unpack(reader *r, const char *where, json_t *json, const char *fmt, ...)
{
    json_error_t error;
    va_list ap;
    int failed;
    va_start(ap, fmt);
    failed = json_vunpack_ex(json, &error, JSON_STRICT, fmt, ap);
    va_end(ap);
    if (failed)
        fail(r, where, "%s", error.text);
}

/* A field that is text or null. */
static const char *text_or_null(reader *r, const char *where, json_t *json)
{
    if (json_is_null(json))
        return NULL;
    if (!json_is_string(json))
        fail(r, where, "expected text or null, got %s", json_is_array(json) ? "a list"
             : json_is_object(json) ? "an object" : "a number or boolean");
    return json_string_value(json);
}

static const char *copy(reader *r, const char *text)
{
    return text == NULL ? NULL : arena_strdup(r->mem, text);
}

/* The index of name in names (NULL-terminated), or fail. */
static int one_of(reader *r, const char *where, const char *name, const char *const *names)
{
    int i;
    for (i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fail(r, where, "unknown value '%s'", name);
}

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
        v.text = arena_strdup(r->mem, json_string_value(json));
        break;
    case JSON_ARRAY: {
        char inner[WHERE_SIZE];
        size_t i;
        if (depth >= CANONICAL_MAX_VALUE_DEPTH)
            fail(r, where, "lists nested more than %d deep", CANONICAL_MAX_VALUE_DEPTH);
        v.kind = VALUE_LIST;
        v.count = json_array_size(json);
        v.items = arena_alloc(r->mem, (v.count + 1) * sizeof *v.items);
        for (i = 0; i < v.count; i++) {
            snprintf(inner, sizeof inner, "%.120s[%zu]", where, i);
            v.items[i] = read_value(r, inner, json_array_get(json, i), depth + 1);
        }
        break;
    }
    default:
        fail(r, where, "a value is null, a boolean, an integer, text or a list");
    }
    return v;
}

static void read_ref(reader *r, const char *where, json_t *json, ref *out)
{
    static const char *const KINDS[] = {"handler", "value", NULL};
    const char *kind;
    json_t *index, *object, *literal;
    unpack(r, where, json, "{s:s, s:o, s:o, s:o}", "kind", &kind, "handler", &index,
           "object", &object, "value", &literal);
    memset(out, 0, sizeof *out);
    if (one_of(r, where, kind, KINDS) == 1) {
        if (!json_is_null(index) || !json_is_null(object))
            fail(r, where, "a value reference names no handler and no object");
        out->literal = read_value(r, where, literal, 0);
        return;
    }
    if (!json_is_integer(index) || json_integer_value(index) < 0
        || (size_t)json_integer_value(index) >= r->c->nhandlers)
        fail(r, where, "handler is not the index of a handler");
    out->h = &r->c->handlers[json_integer_value(index)];
    if (json_is_null(object)) {
        if (out->h->kind == KIND_METHOD)
            fail(r, where, "a method is named with its object");
        return;
    }
    if (!json_is_integer(object) || json_integer_value(object) < 0
        || (size_t)json_integer_value(object) >= r->c->nobjects)
        fail(r, where, "object is not the index of an object");
    if (out->h->kind != KIND_METHOD)
        fail(r, where, "only a method is named with an object");
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
    "on_signal", "thread", "process", NULL};
static const char *const SIGNALS[] = {"SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1", NULL};
static const char *const RESULTS[] = {"false", "true", "not-implemented", NULL}; /* eq_result */
static const char *const STARTS[] = {"fork", "spawn", "forkserver", NULL};

static void read_step(reader *r, const char *where, json_t *json, int depth, place in, step *s)
{
    const char *op, *text, *exception, *signal, *result, *start;
    json_t *text_j, *exception_j, *signal_j, *result_j, *start_j;
    json_t *arg, *target, *args, *kwargs, *child;
    json_int_t line, serial, delay_ms;
    int has_arg, catch_, print_returned, daemon, after_main;
    char inner[WHERE_SIZE];
    size_t i;
    unpack(r, where, json,
           "{s:s, s:I, s:I, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o,"
           " s:b, s:I, s:b, s:o}",
           "op", &op, "line", &line, "serial", &serial, "text", &text_j,
           "exception", &exception_j, "has_arg", &has_arg, "arg", &arg, "ref", &target,
           "args", &args, "kwargs", &kwargs, "catch", &catch_, "print_returned", &print_returned,
           "signal", &signal_j, "result", &result_j, "child", &child, "daemon", &daemon,
           "delay_ms", &delay_ms, "after_main", &after_main, "start", &start_j);
    text = text_or_null(r, where, text_j);
    exception = text_or_null(r, where, exception_j);
    signal = text_or_null(r, where, signal_j);
    result = text_or_null(r, where, result_j);
    start = text_or_null(r, where, start_j);
    memset(s, 0, sizeof *s);
    s->op = (step_op)one_of(r, where, op, OPS);
    if (line < 1 || line > 1 << 24 || serial < 1 || serial > 1 << 24)
        fail(r, where, "line and serial count from 1");
    s->line = (int)line;
    s->serial = (int)serial;
    if (delay_ms < 0 || delay_ms > 10000)
        fail(r, where, "delay_ms is 0 to 10000");
    s->delay_ms = (int)delay_ms;
    s->catch_ = catch_;
    s->print_returned = print_returned;
    s->daemon = daemon;
    s->after_main = after_main;
    s->exc_type = copy(r, exception);
    s->start = start == NULL ? NULL : STARTS[one_of(r, where, start, STARTS)];
    /* the model keeps a signal's name where print keeps its text */
    s->text = copy(r, s->op == OP_KILL || s->op == OP_ON_SIGNAL ? signal : text);
    if (signal != NULL)
        (void)one_of(r, where, signal, SIGNALS);
    if (result != NULL)
        s->result = (eq_result)one_of(r, where, result, RESULTS);
    s->has_arg = has_arg;
    if (has_arg)
        s->arg = read_value(r, where, arg, 0);
    s->has_ref = !json_is_null(target);
    if (s->has_ref)
        read_ref(r, where, target, &s->target);
    if (!json_is_array(args) || !json_is_array(kwargs))
        fail(r, where, "args and kwargs are lists");
    s->nargs = json_array_size(args);
    s->args = arena_alloc(r->mem, (s->nargs + 1) * sizeof *s->args);
    for (i = 0; i < s->nargs; i++) {
        snprintf(inner, sizeof inner, "%.120s.args[%zu]", where, i);
        s->args[i] = read_value(r, inner, json_array_get(args, i), 0);
    }
    s->nkwargs = json_array_size(kwargs);
    s->kwargs = arena_alloc(r->mem, (s->nkwargs + 1) * sizeof *s->kwargs);
    for (i = 0; i < s->nkwargs; i++) {
        const char *name;
        json_t *item;
        snprintf(inner, sizeof inner, "%.120s.kwargs[%zu]", where, i);
        unpack(r, inner, json_array_get(kwargs, i), "[so]", &name, &item);
        s->kwargs[i].name = copy(r, name);
        s->kwargs[i].val = read_value(r, inner, item, 0);
    }
    snprintf(inner, sizeof inner, "%.120s.child", where);
    s->child = arena_alloc(r->mem, sizeof *s->child);
    *s->child = read_steps(r, inner, child, depth + 1, IN_MAIN);
    /* what executing each operation relies on */
    if ((s->op == OP_PRINT && s->text == NULL) || (s->op == OP_RAISE && s->exc_type == NULL)
        || ((s->op == OP_KILL || s->op == OP_ON_SIGNAL) && s->text == NULL)
        || ((s->op == OP_UNREGISTER || s->op == OP_ON_SIGNAL) && !s->has_ref)
        || (s->op == OP_RETURN && result == NULL)
        || (s->op == OP_OS_EXIT && !(has_arg && s->arg.kind == VALUE_INT
                                     && s->arg.number >= 0 && s->arg.number <= 255)))
        fail(r, where, "'%s' lacks what it needs", op);
    if ((s->op == OP_PRINT_ARGS && in == IN_MAIN)
        || ((s->op == OP_PRINT_EQ || s->op == OP_RETURN) && in != IN_EQ))
        fail(r, where, "'%s' is not allowed there", op);
}

static steps read_steps(reader *r, const char *where, json_t *json, int depth, place in)
{
    steps list;
    char inner[WHERE_SIZE];
    size_t i;
    if (!json_is_array(json))
        fail(r, where, "steps are a list");
    if (depth > CANONICAL_MAX_CHILD_DEPTH && json_array_size(json) > 0)
        fail(r, where, "steps nested more than %d deep", CANONICAL_MAX_CHILD_DEPTH);
    list.count = json_array_size(json);
    list.items = arena_alloc(r->mem, (list.count + 1) * sizeof *list.items);
    for (i = 0; i < list.count; i++) {
        snprintf(inner, sizeof inner, "%.120s[%zu]", where, i);
        read_step(r, inner, json_array_get(json, i), depth, in, &list.items[i]);
    }
    return list;
}

static const char *const KINDS[] = {"function", "method", "callable-object", "builtin", NULL};
static const char *const BUILTINS[] = {"print", "int", NULL};

/* Handlers' names and kinds first, then their bodies: a body may name any handler. */
static void read_handlers(reader *r, json_t *list)
{
    char where[WHERE_SIZE];
    size_t i;
    if (!json_is_array(list))
        fail(r, "handlers", "a list");
    r->c->nhandlers = json_array_size(list);
    r->c->handlers = arena_alloc(r->mem, (r->c->nhandlers + 1) * sizeof *r->c->handlers);
    for (i = 0; i < r->c->nhandlers; i++) {
        handler *h = &r->c->handlers[i];
        const char *name, *kind, *cls, *builtin;
        json_int_t line;
        json_t *body, *eq, *cls_j, *builtin_j;
        snprintf(where, sizeof where, "handlers[%zu]", i);
        unpack(r, where, json_array_get(list, i), "{s:s, s:s, s:I, s:o, s:o, s:o, s:o}",
               "name", &name, "kind", &kind, "line", &line, "class", &cls_j,
               "builtin", &builtin_j, "body", &body, "eq", &eq);
        cls = text_or_null(r, where, cls_j);
        builtin = text_or_null(r, where, builtin_j);
        h->name = copy(r, name);
        h->kind = (handler_kind)one_of(r, where, kind, KINDS);
        h->cls = copy(r, cls);
        h->builtin = builtin == NULL ? NULL : BUILTINS[one_of(r, where, builtin, BUILTINS)];
        h->has_eq = !json_is_null(eq);
        if ((h->kind == KIND_METHOD) != (cls != NULL) || (h->kind == KIND_BUILTIN) != (builtin != NULL)
            || (h->has_eq && h->kind != KIND_CALLABLE_OBJECT))
            fail(r, where, "the fields do not fit the kind '%s'", kind);
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

static void read_objects(reader *r, json_t *list)
{
    char where[WHERE_SIZE];
    size_t i;
    if (!json_is_array(list))
        fail(r, "objects", "a list");
    r->c->nobjects = json_array_size(list);
    r->c->objects = arena_alloc(r->mem, (r->c->nobjects + 1) * sizeof *r->c->objects);
    for (i = 0; i < r->c->nobjects; i++) {
        const char *name, *cls;
        snprintf(where, sizeof where, "objects[%zu]", i);
        unpack(r, where, json_array_get(list, i), "{s:s, s:s}", "name", &name, "class", &cls);
        r->c->objects[i].name = copy(r, name);
        r->c->objects[i].cls = copy(r, cls);
    }
}

/* The JSON of a regular file of at most MAX_BYTES (the loader's cases are far smaller),
 * duplicate keys rejected; NULL with error set otherwise. */
static json_t *load_bounded(const char *path, json_error_t *error)
{
    struct stat info;
    json_t *root = NULL;
    FILE *file = NULL;
    /* O_NONBLOCK: a FIFO in its place cannot block the runner */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    memset(error, 0, sizeof *error);
    if (fd < 0)
        snprintf(error->text, sizeof error->text, "%s", strerror(errno));
    else if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size > MAX_BYTES)
        snprintf(error->text, sizeof error->text, "not a regular file of at most 64 MiB");
    else if ((file = fdopen(fd, "rb")) == NULL)
        snprintf(error->text, sizeof error->text, "%s", strerror(errno));
    else
        root = json_loadf(file, JSON_REJECT_DUPLICATES, error);
    if (file != NULL)
        fclose(file);
    else if (fd >= 0)
        close(fd);
    return root;
}

void case_free(case_file *c)
{
    if (c->mem != NULL) {
        arena_free(c->mem);
        free(c->mem);
    }
    memset(c, 0, sizeof *c);
}

int canonical_read(const char *path, case_file *out, char *err, size_t errsize)
{
    static const char *const EXITS[] = {"normal", "os-exit", "signal", "abort", NULL};
    reader r;
    json_error_t error;
    json_t *root;
    const char *format = NULL, *id, *description, *exit_path;
    json_t *ignored, *objects, *handlers, *module, *main_steps;
    memset(out, 0, sizeof *out);
    root = load_bounded(path, &error);
    if (root == NULL) {
        snprintf(err, errsize, "%s: not a valid " FORMAT " file: line %d: %s", path, error.line,
                 error.text);
        return -1;
    }
    r.path = path;
    r.err = err;
    r.errsize = errsize;
    r.c = out;
    out->mem = r.mem = calloc(1, sizeof *r.mem);
    if (setjmp(r.fail_to) != 0 || r.mem == NULL) {
        if (r.mem == NULL)
            snprintf(err, errsize, "%s: out of memory", path);
        json_decref(root);
        case_free(out);
        memset(out, 0, sizeof *out);
        return -1;
    }
    (void)json_unpack(root, "{s:s}", "format", &format);
    if (format == NULL || strcmp(format, FORMAT) != 0)
        fail(&r, "format", "not \"" FORMAT "\"");
    unpack(&r, "the case", root,
           "{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
           "format", &format, "id", &id, "description", &description, "clauses", &ignored,
           "tags", &ignored, "versions", &ignored, "exit", &exit_path, "needs", &ignored,
           "objects", &objects, "handlers", &handlers, "module", &module, "main", &main_steps);
    out->path = copy(&r, path);
    out->id = copy(&r, id);
    out->description = copy(&r, description);
    out->exit_path = EXITS[one_of(&r, "exit", exit_path, EXITS)];
    read_objects(&r, objects);
    read_handlers(&r, handlers);
    out->module = read_steps(&r, "module", module, 0, IN_MAIN);
    out->main = read_steps(&r, "main", main_steps, 0, IN_MAIN);
    json_decref(root);
    return 0;
}
