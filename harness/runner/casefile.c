/* casefile.c - loading and validating a case file; the checks, their order and their
 * messages mirror oracle/casefile.py, so both loaders reject the same files at the same line. */
#include "case.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "yamlnodes.h"

#define NAME_PATTERN "[a-z][a-z0-9_]*"
#define CLASS_PATTERN "[A-Z][A-Za-z0-9]*"
#define TAG_PATTERN "[a-z0-9][a-z0-9.-]*"

static const char *const KINDS = "function, method, callable-object, builtin";
static const char *const BUILTINS[] = {"print", "int", NULL};
static const char *const EXIT_PATHS[] = {"normal", "os-exit", "signal", "abort", NULL};
static const char *const SIGNALS[] = {"SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1", NULL};
static const char *const HANDLED_SIGNALS[] = {"SIGTERM", "SIGHUP", "SIGUSR1", NULL};
static const char *const START_METHODS[] = {"fork", "spawn", "forkserver", NULL};
#define FIRST_WITH_START_METHODS 304 /* 3.4: multiprocessing.get_context */
#define EXCEPTION_NAMES                                                                   \
    "Exception", "ValueError", "TypeError", "RuntimeError", "KeyError", "IndexError",       \
        "LookupError", "ZeroDivisionError", "AssertionError", "SystemExit", "KeyboardInterrupt"
#define KEYWORD_NAMES                                                                        \
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", \
        "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is", \
        "lambda", "nonlocal", "not", "or", "pass", "print", "raise", "return", "try", "while",   \
        "with", "yield"
static const char *const EXCEPTION_TYPES[] = {EXCEPTION_NAMES, NULL};
/* Names the generated program would break on (oracle/casefile.py, RESERVED_*). */
static const char *const KEYWORDS[] = {KEYWORD_NAMES, NULL};
static const char *const RESERVED_NAMES[] = {
    KEYWORD_NAMES, "args", "atexit", "getattr", "hasattr", "int", "isinstance", "kwargs", "len",
    "list", "object", "os", "other", "self", "sorted", "str", "sys", "type", "types", NULL};
static const char *const RESERVED_CLASSES[] = {
    EXCEPTION_NAMES, "BaseException", "False", "None", "NotImplemented", "True", NULL};

typedef enum reads { READS_TEXT, READS_NONE, READS_EXCEPTION, READS_OPTIONAL_VALUE,
                     READS_REF_OR_NULL, READS_REF, READS_EQ_RESULT, READS_STATUS,
                     READS_SIGNAL, READS_CHILD_STEPS, READS_HANDLED_SIGNAL,
                     READS_THREAD_STEPS, READS_PROCESS_STEPS } reads;
typedef enum place { PLACE_ANY, PLACE_HANDLER, PLACE_EQ, PLACE_MAIN } place;

typedef struct op_spec {
    const char *name;
    step_op op;
    place where;
    reads value;
    const char *modifiers; /* comma-separated, as the Python loader lists them */
} op_spec;

static const op_spec OPS[] = {
    {"print", OP_PRINT, PLACE_ANY, READS_TEXT, ""},
    {"print_args", OP_PRINT_ARGS, PLACE_HANDLER, READS_NONE, ""},
    {"print_eq", OP_PRINT_EQ, PLACE_EQ, READS_NONE, ""},
    {"raise", OP_RAISE, PLACE_ANY, READS_EXCEPTION, "arg, catch"},
    {"exit", OP_EXIT, PLACE_ANY, READS_OPTIONAL_VALUE, "catch"},
    {"register", OP_REGISTER, PLACE_ANY, READS_REF_OR_NULL, "args, kwargs, catch, print_returned"},
    {"unregister", OP_UNREGISTER, PLACE_ANY, READS_REF, "catch"},
    {"run_exitfuncs", OP_RUN_EXITFUNCS, PLACE_ANY, READS_NONE, "catch"},
    {"clear", OP_CLEAR, PLACE_ANY, READS_NONE, "catch"},
    {"ncallbacks", OP_NCALLBACKS, PLACE_ANY, READS_NONE, "catch"},
    {"return", OP_RETURN, PLACE_EQ, READS_EQ_RESULT, ""},
    {"os_exit", OP_OS_EXIT, PLACE_ANY, READS_STATUS, ""},
    {"kill", OP_KILL, PLACE_ANY, READS_SIGNAL, "catch"},
    {"abort", OP_ABORT, PLACE_ANY, READS_NONE, ""},
    {"fork", OP_FORK, PLACE_MAIN, READS_CHILD_STEPS, ""},
    {"on_signal", OP_ON_SIGNAL, PLACE_ANY, READS_HANDLED_SIGNAL, "handler"},
    {"thread", OP_THREAD, PLACE_MAIN, READS_THREAD_STEPS, "daemon, delay_ms, after_main"},
    {"process", OP_PROCESS, PLACE_MAIN, READS_PROCESS_STEPS, "start"},
};
/* What a thread body may not do (oracle/casefile.py, NOT_IN_THREADS). */
static const step_op NOT_IN_THREADS[] = {OP_RAISE, OP_EXIT, OP_OS_EXIT, OP_KILL, OP_ABORT,
                                         OP_FORK, OP_THREAD};
#define NOPS (sizeof OPS / sizeof OPS[0])
#define OP_LIST "print, print_args, print_eq, raise, exit, register, unregister, run_exitfuncs, " \
                "clear, ncallbacks, return, os_exit, kill, abort, fork, on_signal, thread, process"

typedef struct pending_ref {
    ref *target;
    yaml_node_t *node;
} pending_ref;

typedef struct loader {
    ynodes y;
    arena *mem;
    case_file *out;
    char **clauses;
    size_t nclauses;
    pending_ref *refs;
    size_t nrefs, caprefs;
    int min_version; /* versions: min, as major * 100 + minor; 0 when none */
} loader;

static int in_list(const char *const *list, const char *text)
{
    for (; *list; list++)
        if (strcmp(*list, text) == 0)
            return 1;
    return 0;
}

static int matches(const char *pattern, const char *text)
{
    /* The three patterns: a first-character class, then a repeated class. */
    const char *first = strcmp(pattern, CLASS_PATTERN) == 0 ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      : strcmp(pattern, TAG_PATTERN) == 0 ? "abcdefghijklmnopqrstuvwxyz0123456789"
                      : "abcdefghijklmnopqrstuvwxyz";
    const char *rest = strcmp(pattern, CLASS_PATTERN) == 0
                           ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                       : strcmp(pattern, TAG_PATTERN) == 0 ? "abcdefghijklmnopqrstuvwxyz0123456789.-"
                       : "abcdefghijklmnopqrstuvwxyz0123456789_";
    if (*text == '\0' || strchr(first, *text) == NULL)
        return 0;
    return strspn(text + 1, rest) == strlen(text + 1);
}

static void check_name(loader *l, yaml_node_t *node, const char *name, const char *pattern,
                       const char *what)
{
    if (!matches(pattern, name))
        yn_fail(&l->y, node, 0, "%s must match %s", what, pattern);
}

/* A name the generated program can use; one it defines must not end in _type. */
static void check_free(loader *l, yaml_node_t *node, const char *name,
                       const char *const *reserved, int defines)
{
    size_t len = strlen(name);
    if (in_list(reserved, name) || (defines && len >= 5 && strcmp(name + len - 5, "_type") == 0))
        yn_fail(&l->y, node, 0, "'%s' is reserved (a Python keyword or builtin, or a name the "
                "generated program uses)", name);
}

static const char **names(loader *l, yaml_node_t *node, const char *what, const char *pattern,
                    size_t *count)
{
    size_t i, n;
    yaml_node_t **items = yn_sequence(&l->y, node, what, &n);
    const char **result = arena_alloc(l->mem, sizeof *result * (n + 1));
    char entry[64];
    if (n == 0)
        yn_fail(&l->y, node, 0, "%s must not be empty", what);
    snprintf(entry, sizeof entry, "an entry of %s", what);
    for (i = 0; i < n; i++) {
        result[i] = yn_text(&l->y, items[i], what);
        check_name(l, items[i], result[i], pattern, entry);
    }
    *count = n;
    return result;
}

static yn_item *field(yn_item *items, size_t n, const char *key)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(items[i].key, key) == 0)
            return &items[i];
    return NULL;
}

static ref parse_ref(loader *l, yaml_node_t *node)
{
    ref r = {NULL, NULL, {VALUE_NONE, 0, NULL, NULL, 0}};
    if (node->type == YAML_MAPPING_NODE) {
        size_t n;
        yn_item *items = yn_mapping(&l->y, node, "a reference", &n);
        if (n != 1 || strcmp(items[0].key, "value") != 0)
            yn_fail(&l->y, node, 0, "a reference is a handler name, OBJECT.METHOD or {value: V}");
        r.literal = yn_value(&l->y, items[0].value, "value");
    } else {
        char *text = arena_strdup(l->mem, yn_text(&l->y, node, "a reference"));
        char *dot = strrchr(text, '.');
        if (dot != NULL) {
            *dot = '\0';
            r.object = text;
            r.handler = dot + 1;
        } else {
            r.handler = text;
        }
    }
    return r;
}

static void remember_ref(loader *l, ref *target, yaml_node_t *node)
{
    if (l->nrefs == l->caprefs) {
        pending_ref *grown = arena_alloc(l->mem, sizeof *grown * (l->caprefs * 2 + 8));
        if (l->nrefs)
            memcpy(grown, l->refs, sizeof *grown * l->nrefs);
        l->refs = grown;
        l->caprefs = l->caprefs * 2 + 8;
    }
    l->refs[l->nrefs].target = target;
    l->refs[l->nrefs].node = node;
    l->nrefs++;
}

static const char *op_name(step_op op)
{
    size_t i;
    for (i = 0; i < NOPS; i++)
        if (OPS[i].op == op)
            return OPS[i].name;
    return "?";
}

static const op_spec *find_op(const char *name)
{
    size_t i;
    for (i = 0; i < NOPS; i++)
        if (strcmp(OPS[i].name, name) == 0)
            return &OPS[i];
    return NULL;
}

static int has_modifier(const op_spec *spec, const char *key)
{
    size_t len = strlen(key);
    const char *p = spec->modifiers;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == spec->modifiers || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
            return 1;
        p += len;
    }
    return 0;
}

static steps parse_steps(loader *l, yaml_node_t *node, const char *what, const char *where);

static void parse_step(loader *l, yaml_node_t *node, const char *where, step *s)
{
    ynodes *y = &l->y;
    const char *opname;
    yaml_node_t *op_node;
    yaml_node_t *val = NULL;
    yn_item *items = NULL;
    size_t nitems = 0, i;
    const op_spec *spec;
    yn_item *extra;
    if (node->type == YAML_SCALAR_NODE) {
        opname = yn_text(y, node, "a step");
        op_node = node;
    } else {
        size_t found = 0, at = 0;
        items = yn_mapping(y, node, "a step", &nitems);
        for (i = 0; i < nitems; i++)
            if (find_op(items[i].key)) {
                found++;
                at = i;
            }
        if (found != 1)
            yn_fail(y, node, 0, "a step has exactly one operation (%s)", OP_LIST);
        opname = items[at].key;
        op_node = items[at].key_node;
        val = items[at].value;
    }
    spec = find_op(opname);
    if (spec == NULL)
        yn_fail(y, op_node, 0, "unknown operation '%s' (expected one of: %s)", opname, OP_LIST);
    if ((spec->where == PLACE_HANDLER && strcmp(where, "handler") != 0)
        || (spec->where == PLACE_EQ && strcmp(where, "eq") != 0)
        || (spec->where == PLACE_MAIN && strcmp(where, "main") != 0))
        yn_fail(y, op_node, 0, "'%s' is not allowed in %s", opname, where);
    for (i = 0; i < nitems; i++) {
        if (strcmp(items[i].key, opname) == 0 || has_modifier(spec, items[i].key))
            continue;
        if (spec->modifiers[0])
            yn_fail(y, items[i].key_node, 0, "'%s' does not take '%s' (it takes: %s)", opname,
                    items[i].key, spec->modifiers);
        yn_fail(y, items[i].key_node, 0, "'%s' does not take '%s'", opname, items[i].key);
    }
    memset(s, 0, sizeof *s);
    s->op = spec->op;
    s->line = yn_line(op_node);
    if (val == NULL && spec->value != READS_NONE && spec->value != READS_OPTIONAL_VALUE)
        yn_fail(y, op_node, 0, "'%s' needs a value", opname);
    if (val != NULL && spec->value == READS_NONE && !yn_is_null(y, val))
        yn_fail(y, val, 0, "'%s' takes no value", opname);
    switch (spec->value) {
    case READS_TEXT:
        s->text = yn_text(y, val, opname);
        break;
    case READS_EXCEPTION:
        s->exc_type = yn_text(y, val, "raise");
        if (!in_list(EXCEPTION_TYPES, s->exc_type))
            yn_fail(y, val, 0, "raise takes one of: Exception, ValueError, TypeError, RuntimeError, "
                    "KeyError, IndexError, LookupError, ZeroDivisionError, AssertionError, "
                    "SystemExit, KeyboardInterrupt");
        break;
    case READS_OPTIONAL_VALUE:
        if (val != NULL) {
            s->has_arg = 1;
            s->arg = yn_scalar(y, val);
        }
        break;
    case READS_REF_OR_NULL:
    case READS_REF:
        if (!(spec->value == READS_REF_OR_NULL && yn_is_null(y, val))) {
            s->has_ref = 1;
            s->target = parse_ref(l, val);
            remember_ref(l, &s->target, val);
        } else {
            for (i = 0; i < nitems; i++)
                if (items[i].value != val && strcmp(items[i].key, "catch") != 0)
                    yn_fail(y, items[i].key_node, 0, "'register: ~' (no callable) takes only catch");
        }
        break;
    case READS_EQ_RESULT: {
        /* true and false are booleans; not-implemented is text */
        value result = yn_scalar(y, val);
        if (result.kind == VALUE_BOOL)
            s->result = result.number ? EQ_TRUE : EQ_FALSE;
        else if (result.kind == VALUE_TEXT && strcmp(result.text, "not-implemented") == 0)
            s->result = EQ_NOT_IMPLEMENTED;
        else
            yn_fail(y, val, 0, "return takes one of: true, false, not-implemented");
        break;
    }
    case READS_STATUS: {
        value status = yn_scalar(y, val);
        if (status.kind != VALUE_INT || status.number < 0 || status.number > 255)
            yn_fail(y, val, 0, "'%s' takes an exit status from 0 to 255", opname);
        s->has_arg = 1;
        s->arg = status;
        break;
    }
    case READS_SIGNAL:
        s->text = yn_text(y, val, opname);
        if (!in_list(SIGNALS, s->text))
            yn_fail(y, val, 0, "kill takes one of: SIGTERM, SIGKILL, SIGHUP, SIGUSR1");
        break;
    case READS_HANDLED_SIGNAL:
        s->text = yn_text(y, val, opname);
        if (!in_list(HANDLED_SIGNALS, s->text))
            yn_fail(y, val, 0, "on_signal takes one of: SIGTERM, SIGHUP, SIGUSR1");
        if ((extra = field(items, nitems, "handler")) == NULL)
            yn_fail(y, op_node, 0, "'on_signal' needs 'handler' (what the signal calls)");
        s->has_ref = 1;
        s->target = parse_ref(l, extra->value);
        remember_ref(l, &s->target, extra->value);
        break;
    case READS_THREAD_STEPS:
        s->child = arena_alloc(l->mem, sizeof *s->child);
        *s->child = parse_steps(l, val, "thread", "thread");
        for (i = 0; i < s->child->count; i++) {
            size_t k;
            for (k = 0; k < sizeof NOT_IN_THREADS / sizeof NOT_IN_THREADS[0]; k++)
                if (s->child->items[i].op == NOT_IN_THREADS[k])
                    yn_fail(y, NULL, s->child->items[i].line, "'%s' is not allowed in a thread",
                            op_name(s->child->items[i].op));
        }
        break;
    case READS_CHILD_STEPS:
        s->child = arena_alloc(l->mem, sizeof *s->child);
        *s->child = parse_steps(l, val, "fork", "main");
        break;
    case READS_PROCESS_STEPS:
        s->child = arena_alloc(l->mem, sizeof *s->child);
        *s->child = parse_steps(l, val, "process", "process");
        if ((extra = field(items, nitems, "start")) != NULL) {
            s->start = yn_text(y, extra->value, "start");
            if (!in_list(START_METHODS, s->start))
                yn_fail(y, extra->value, 0, "start takes one of: fork, spawn, forkserver");
            if (l->min_version < FIRST_WITH_START_METHODS)
                yn_fail(y, extra->key_node, 0, "'start' needs versions {min: \"3.4\"} or later "
                        "(2.7's multiprocessing has no start methods)");
        }
        break;
    case READS_NONE:
        break;
    }
    if ((extra = field(items, nitems, "arg")) != NULL) {
        s->has_arg = 1;
        s->arg = yn_scalar(y, extra->value);
    }
    if ((extra = field(items, nitems, "args")) != NULL) {
        yaml_node_t **args = yn_sequence(y, extra->value, "args", &s->nargs);
        s->args = arena_alloc(l->mem, sizeof *s->args * (s->nargs + 1));
        for (i = 0; i < s->nargs; i++)
            s->args[i] = yn_value(y, args[i], "args");
    }
    if ((extra = field(items, nitems, "kwargs")) != NULL) {
        yn_item *kw = yn_mapping(y, extra->value, "kwargs", &s->nkwargs);
        s->kwargs = arena_alloc(l->mem, sizeof *s->kwargs * (s->nkwargs + 1));
        for (i = 0; i < s->nkwargs; i++) {
            check_name(l, kw[i].key_node, kw[i].key, NAME_PATTERN, "a keyword");
            check_free(l, kw[i].key_node, kw[i].key, KEYWORDS, 0);
            s->kwargs[i].name = kw[i].key;
            s->kwargs[i].val = yn_value(y, kw[i].value, "kwargs");
        }
    }
    if ((extra = field(items, nitems, "delay_ms")) != NULL) {
        value delay = yn_scalar(y, extra->value);
        if (delay.kind != VALUE_INT || delay.number < 0 || delay.number > 10000)
            yn_fail(y, extra->value, 0, "delay_ms takes milliseconds from 0 to 10000");
        s->delay_ms = (int)delay.number;
    }
    if ((extra = field(items, nitems, "catch")) != NULL)
        s->catch_ = yn_boolean(y, extra->value, "catch");
    if ((extra = field(items, nitems, "print_returned")) != NULL)
        s->print_returned = yn_boolean(y, extra->value, "print_returned");
    if ((extra = field(items, nitems, "daemon")) != NULL)
        s->daemon = yn_boolean(y, extra->value, "daemon");
    if ((extra = field(items, nitems, "after_main")) != NULL) {
        s->after_main = yn_boolean(y, extra->value, "after_main");
        if (s->after_main && s->daemon)
            yn_fail(y, extra->key_node, 0, "after_main needs a non-daemon thread (a daemon "
                    "thread may never run once main has ended)");
    }
}

static steps parse_steps(loader *l, yaml_node_t *node, const char *what, const char *where)
{
    steps result;
    size_t i;
    yaml_node_t **items = yn_sequence(&l->y, node, what, &result.count);
    result.items = arena_alloc(l->mem, sizeof *result.items * (result.count + 1));
    for (i = 0; i < result.count; i++)
        parse_step(l, items[i], where, &result.items[i]);
    return result;
}

static int class_declared(const case_file *c, const char *cls)
{
    size_t i;
    for (i = 0; i < c->nobjects; i++)
        if (strcmp(c->objects[i].cls, cls) == 0)
            return 1;
    return 0;
}

static void parse_handler(loader *l, const char *name, yaml_node_t *node, handler *h)
{
    ynodes *y = &l->y;
    char what[96];
    size_t n, i;
    yn_item *items, *f;
    const char *allowed;
    snprintf(what, sizeof what, "handler '%s'", name);
    items = yn_mapping(y, node, what, &n);
    memset(h, 0, sizeof *h);
    h->name = name;
    f = field(items, n, "kind");
    if (f == NULL || strcmp(yn_text(y, f->value, "kind"), "function") == 0) {
        h->kind = KIND_FUNCTION;
        allowed = "kind, body";
    } else if (strcmp(yn_text(y, f->value, "kind"), "method") == 0) {
        h->kind = KIND_METHOD;
        allowed = "kind, class, body";
    } else if (strcmp(yn_text(y, f->value, "kind"), "callable-object") == 0) {
        h->kind = KIND_CALLABLE_OBJECT;
        allowed = "kind, body, eq";
    } else if (strcmp(yn_text(y, f->value, "kind"), "builtin") == 0) {
        h->kind = KIND_BUILTIN;
        allowed = "kind, builtin";
    } else {
        yn_fail(y, f->value, 0, "kind must be one of: %s", KINDS);
    }
    for (i = 0; i < n; i++) {
        const char *kind = f ? yn_text(y, f->value, "kind") : "function";
        op_spec fake = {"", OP_PRINT, PLACE_ANY, READS_NONE, allowed};
        if (!has_modifier(&fake, items[i].key))
            yn_fail(y, items[i].key_node, 0, "a %s handler takes: %s (not '%s')", kind, allowed,
                    items[i].key);
    }
    if (h->kind == KIND_BUILTIN) {
        f = field(items, n, "builtin");
        if (f == NULL)
            yn_fail(y, node, 0, "a builtin handler needs 'builtin' (one of: print, int)");
        h->builtin = yn_text(y, f->value, "builtin");
        if (!in_list(BUILTINS, h->builtin))
            yn_fail(y, f->value, 0, "builtin must be one of: print, int");
        return;
    }
    if ((f = field(items, n, "body")) != NULL)
        h->body = parse_steps(l, f->value, "body", "handler");
    if (h->kind == KIND_METHOD) {
        f = field(items, n, "class");
        if (f == NULL)
            yn_fail(y, node, 0, "a method handler needs 'class'");
        h->cls = yn_text(y, f->value, "class");
        if (!class_declared(l->out, h->cls))
            yn_fail(y, f->value, 0, "no object has class '%s'", h->cls);
    }
    if ((f = field(items, n, "eq")) != NULL) {
        h->has_eq = 1;
        h->eq = parse_steps(l, f->value, "eq", "eq");
        for (i = 0; i + 1 < h->eq.count; i++)
            if (h->eq.items[i].op == OP_RETURN)
                yn_fail(y, NULL, h->eq.items[i].line, "'return' must be the last step of eq");
    }
}

static void parse_versions(loader *l, yaml_node_t *node)
{
    size_t n, i;
    yn_item *items = yn_mapping(&l->y, node, "versions", &n);
    for (i = 0; i < n; i++) {
        value v;
        if (strcmp(items[i].key, "min") != 0 && strcmp(items[i].key, "max") != 0)
            yn_fail(&l->y, items[i].key_node, 0, "versions takes min and max");
        v = yn_scalar(&l->y, items[i].value);
        if (v.kind != VALUE_TEXT || (v.text[0] != '2' && v.text[0] != '3') || v.text[1] != '.'
            || v.text[2] == '\0' || strspn(v.text + 2, "0123456789") != strlen(v.text + 2))
            yn_fail(&l->y, items[i].value, 0, "a version is quoted \"X.Y\", e.g. \"3.10\"");
        if (strcmp(items[i].key, "min") == 0)
            l->min_version = (v.text[0] - '0') * 100 + atoi(v.text + 2);
    }
}

/* The first ncallbacks step (its line, or 0) and whether there is a process step. */
static void scan_counts(const steps *list, int *first_count, int *has_process)
{
    size_t i;
    for (i = 0; i < list->count; i++) {
        const step *s = &list->items[i];
        if (s->op == OP_NCALLBACKS && (*first_count == 0 || s->line < *first_count))
            *first_count = s->line;
        *has_process |= s->op == OP_PROCESS;
        if (s->child != NULL)
            scan_counts(s->child, first_count, has_process);
    }
}

/* multiprocessing registers handlers of its own (2.7 when imported, 3.x when a process
 * starts, and again in children), so a count cannot be compared (oracle/casefile.py). */
static void check_no_count_with_processes(loader *l)
{
    const case_file *c = l->out;
    int first_count = 0, has_process = 0;
    size_t i;
    scan_counts(&c->module, &first_count, &has_process);
    scan_counts(&c->main, &first_count, &has_process);
    for (i = 0; i < c->nhandlers; i++) {
        scan_counts(&c->handlers[i].body, &first_count, &has_process);
        scan_counts(&c->handlers[i].eq, &first_count, &has_process);
    }
    if (first_count != 0 && has_process)
        yn_fail(&l->y, NULL, first_count, "'ncallbacks' cannot be compared in a case with a "
                "process step (multiprocessing registers handlers of its own)");
}

static void check_refs(loader *l)
{
    size_t i;
    for (i = 0; i < l->nrefs; i++) {
        const ref *r = l->refs[i].target;
        const handler *h;
        yaml_node_t *node = l->refs[i].node;
        if (r->handler == NULL)
            continue;
        h = case_handler(l->out, r->handler);
        if (r->object == NULL) {
            if (h == NULL)
                yn_fail(&l->y, node, 0, "no handler named '%s'", r->handler);
            if (h->kind == KIND_METHOD)
                yn_fail(&l->y, node, 0, "method '%s' is used as OBJECT.%s", r->handler, r->handler);
        } else {
            const object_decl *o = case_object(l->out, r->object);
            if (o == NULL)
                yn_fail(&l->y, node, 0, "no object named '%s'", r->object);
            if (h == NULL || h->kind != KIND_METHOD || strcmp(h->cls, o->cls) != 0)
                yn_fail(&l->y, node, 0, "class %s has no method '%s'", o->cls, r->handler);
        }
    }
}

/* The id a file must declare: its real path under the real cases root, without .yaml. */
static char *expected_id(loader *l, const char *path, const char *cases_root)
{
    char *real = realpath(path, NULL);
    char *root = realpath(cases_root, NULL);
    char *id = NULL;
    size_t len = root ? strlen(root) : 0;
    if (real && root && strncmp(real, root, len) == 0 && real[len] == '/') {
        id = arena_strdup(l->mem, real + len + 1);
        if (strlen(id) > 5 && strcmp(id + strlen(id) - 5, ".yaml") == 0)
            id[strlen(id) - 5] = '\0';
    }
    free(real);
    free(root);
    return id;
}

static void load_clauses(loader *l, const char *clauses_path)
{
    ynodes *y = &l->y;
    const char *saved = y->path;
    FILE *file = fopen(clauses_path, "r");
    yaml_node_t *root;
    yn_item *items;
    size_t i;
    y->path = clauses_path;
    if (file == NULL)
        yn_fail(y, NULL, 1, "cannot read the clause catalogue");
    root = yn_compose(y, file);
    fclose(file);
    items = yn_mapping(y, root, "clauses", &l->nclauses);
    l->clauses = arena_alloc(l->mem, sizeof *l->clauses * (l->nclauses + 1));
    for (i = 0; i < l->nclauses; i++) {
        yn_text(y, items[i].value, "a clause");
        l->clauses[i] = arena_strdup(l->mem, items[i].key);
    }
    yaml_document_delete(&y->doc);
    y->have_doc = 0;
    y->path = saved;
}

static void load_case(loader *l, FILE *file, const char *cases_root)
{
    static const char *const allowed[] = {"id", "description", "clauses", "tags", "versions",
                                          "exit", "objects", "handlers", "module", "main", NULL};
    static const char *const required[] = {"id", "description", "clauses", "tags", "main", NULL};
    ynodes *y = &l->y;
    case_file *c = l->out;
    yaml_node_t *root = yn_compose(y, file);
    size_t n, i, k, count;
    yn_item *items = yn_mapping(y, root, "a case", &n);
    yn_item *f;
    const char *id;
    char *expected;
    const char **clauses;
    yaml_node_t **clause_nodes;
    for (i = 0; i < n; i++)
        if (!in_list(allowed, items[i].key))
            yn_fail(y, items[i].key_node, 0, "unknown field '%s' (expected one of: id, description, "
                    "clauses, tags, versions, exit, objects, handlers, module, main)", items[i].key);
    for (i = 0; required[i]; i++)
        if (field(items, n, required[i]) == NULL)
            yn_fail(y, root, 0, "missing field '%s'", required[i]);
    f = field(items, n, "id");
    id = yn_text(y, f->value, "id");
    expected = expected_id(l, y->path, cases_root);
    if (expected == NULL)
        yn_fail(y, f->value, 0, "the file is not under the cases folder %s", cases_root);
    if (strcmp(id, expected) != 0)
        yn_fail(y, f->value, 0, "id '%s' does not match the file's path (expected '%s')", id, expected);
    c->id = (char *)id;
    c->description = yn_text(y, field(items, n, "description")->value, "description");
    f = field(items, n, "clauses");
    clauses = names(l, f->value, "clauses", TAG_PATTERN, &count);
    clause_nodes = yn_sequence(y, f->value, "clauses", &count);
    for (i = 0; i < count; i++) {
        int known = 0;
        for (k = 0; k < l->nclauses; k++)
            known |= strcmp(l->clauses[k], clauses[i]) == 0;
        if (!known)
            yn_fail(y, clause_nodes[i], 0, "unknown clause '%s' (see cases/clauses.yaml)", clauses[i]);
    }
    names(l, field(items, n, "tags")->value, "tags", TAG_PATTERN, &count);
    if ((f = field(items, n, "versions")) != NULL)
        parse_versions(l, f->value);
    c->exit_path = "normal";
    if ((f = field(items, n, "exit")) != NULL) {
        c->exit_path = yn_text(y, f->value, "exit");
        if (!in_list(EXIT_PATHS, c->exit_path))
            yn_fail(y, f->value, 0, "exit must be one of: normal, os-exit, signal, abort");
    }
    if ((f = field(items, n, "objects")) != NULL) {
        yn_item *objs = yn_mapping(y, f->value, "objects", &c->nobjects);
        c->objects = arena_alloc(l->mem, sizeof *c->objects * (c->nobjects + 1));
        for (i = 0; i < c->nobjects; i++) {
            check_name(l, objs[i].key_node, objs[i].key, NAME_PATTERN, "an object name");
            check_free(l, objs[i].key_node, objs[i].key, RESERVED_NAMES, 1);
            c->objects[i].name = objs[i].key;
            c->objects[i].cls = yn_text(y, objs[i].value, "an object's class");
            if (!matches(CLASS_PATTERN, c->objects[i].cls))
                yn_fail(y, objs[i].value, 0, "a class name is CapitalisedWords");
            check_free(l, objs[i].value, c->objects[i].cls, RESERVED_CLASSES, 1);
        }
    }
    if ((f = field(items, n, "handlers")) != NULL) {
        size_t nh;
        yn_item *hs = yn_mapping(y, f->value, "handlers", &nh);
        c->handlers = arena_alloc(l->mem, sizeof *c->handlers * (nh + 1));
        for (i = 0; i < nh; i++) {
            check_name(l, hs[i].key_node, hs[i].key, NAME_PATTERN, "a handler name");
            check_free(l, hs[i].key_node, hs[i].key, RESERVED_NAMES, 1);
            if (case_object(c, hs[i].key) != NULL)
                yn_fail(y, hs[i].key_node, 0, "'%s' names an object already", hs[i].key);
            parse_handler(l, hs[i].key, hs[i].value, &c->handlers[i]);
            c->nhandlers = i + 1;
        }
    }
    if ((f = field(items, n, "module")) != NULL)
        c->module = parse_steps(l, f->value, "module", "module");
    f = field(items, n, "main");
    c->main = parse_steps(l, f->value, "main", "main");
    if (c->main.count == 0)
        yn_fail(y, f->value, 0, "main must have at least one step");
    check_refs(l);
    check_no_count_with_processes(l);
}

int case_load(const char *path, const char *cases_root, const char *clauses_path,
              case_file *out, char *err, size_t errsize)
{
    loader l;
    FILE *volatile file;
    arena *mem = calloc(1, sizeof *mem);
    memset(&l, 0, sizeof l);
    memset(out, 0, sizeof *out);
    if (mem == NULL) {
        snprintf(err, errsize, "%s:1: out of memory", path);
        return -1;
    }
    l.mem = l.y.mem = mem;
    l.out = out;
    l.y.err = err;
    l.y.errsize = errsize;
    l.y.path = path;
    file = fopen(path, "r");
    if (setjmp(l.y.fail_to) != 0) {
        if (l.y.have_doc)
            yaml_document_delete(&l.y.doc);
        if (file != NULL)
            fclose(file);
        arena_free(mem);
        free(mem);
        memset(out, 0, sizeof *out);
        return -1;
    }
    if (file == NULL)
        yn_fail(&l.y, NULL, 1, "cannot read: no such file or unreadable");
    load_clauses(&l, clauses_path);
    load_case(&l, file, cases_root);
    fclose(file);
    file = NULL;
    yaml_document_delete(&l.y.doc);
    out->path = arena_strdup(mem, path);
    out->mem = mem;
    return 0;
}

void case_free(case_file *c)
{
    if (c->mem != NULL) {
        arena_free(c->mem);
        free(c->mem);
    }
    memset(c, 0, sizeof *c);
}

const handler *case_handler(const case_file *c, const char *name)
{
    size_t i;
    for (i = 0; i < c->nhandlers; i++)
        if (strcmp(c->handlers[i].name, name) == 0)
            return &c->handlers[i];
    return NULL;
}

const object_decl *case_object(const case_file *c, const char *name)
{
    size_t i;
    for (i = 0; i < c->nobjects; i++)
        if (strcmp(c->objects[i].name, name) == 0)
            return &c->objects[i];
    return NULL;
}
