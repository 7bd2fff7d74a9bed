/* canonical.c - reads atx-case/1 (oracle/canonical.py writes it; cases/README.md, "The
 * canonical form", is its schema) with jansson into the runner's model, checking all of it. */
#include "canonical.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "canonical_steps.h"
#include "jsonread.h"

#define FORMAT "atx-case/1"
#define MAX_BYTES (64L << 20)

static const char *const KINDS[] = {"function", "method", "callable-object", "builtin", NULL};
static const char *const BUILTINS[] = {"print", "int", "len", "sys.exit", "list.append", NULL};

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
        json_t *body, *eq, *cls_j, *builtin_j, *params, *varargs, *varkw, *bound;
        snprintf(where, sizeof where, "handlers[%zu]", i);
        jr_unpack(&r->j, where, json_array_get(list, i),
                  "{s:s, s:s, s:I, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:o}", "name",
                  &name, "kind", &kind, "line", &line, "class", &cls_j, "builtin", &builtin_j,
                  "list", &bound, "quiet", &h->quiet, "repr_raises", &h->repr_raises,
                  "params", &params, "varargs", &varargs, "varkw", &varkw, "body", &body,
                  "eq", &eq);
        read_params(r, where, params, varargs, varkw, h);
        cls = jr_text_or_null(&r->j, where, cls_j);
        builtin = jr_text_or_null(&r->j, where, builtin_j);
        h->name = jr_copy(&r->j, name);
        h->kind = (handler_kind)jr_one_of(&r->j, where, kind, KINDS);
        h->cls = jr_copy(&r->j, cls);
        h->builtin = builtin == NULL ? NULL : BUILTINS[jr_one_of(&r->j, where, builtin, BUILTINS)];
        h->has_eq = !json_is_null(eq);
        if ((builtin != NULL && strcmp(builtin, "list.append") == 0)
            != (json_is_integer(bound) && json_integer_value(bound) >= 0
                && (size_t)json_integer_value(bound) < r->c->nlists))
            jr_fail(&r->j, where, "list names the named list of list.append, and only that");
        h->bound_list = json_is_integer(bound) ? (size_t)json_integer_value(bound) : 0;
        if ((h->kind == KIND_METHOD) != (cls != NULL) || (h->kind == KIND_BUILTIN) != (builtin != NULL)
            || ((h->has_eq || h->repr_raises) && h->kind != KIND_CALLABLE_OBJECT))
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

/* The named lists: their initial items, plain values (no named list in one: no cycle). */
static void read_lists(reader *r, json_t *list)
{
    char where[WHERE_SIZE];
    size_t i, k;
    if (!json_is_array(list))
        jr_fail(&r->j, "lists", "a list");
    r->c->nlists = json_array_size(list);
    r->c->lists = arena_alloc(r->j.mem, (r->c->nlists + 1) * sizeof *r->c->lists);
    for (i = 0; i < r->c->nlists; i++) {
        const char *name;
        json_t *items;
        snprintf(where, sizeof where, "lists[%zu]", i);
        jr_unpack(&r->j, where, json_array_get(list, i), "{s:s, s:o}", "name", &name,
                  "items", &items);
        if (!json_is_array(items))
            jr_fail(&r->j, where, "items is a list");
        r->c->lists[i] = read_value(r, where, items, 0);
        for (k = 0; k < r->c->lists[i].count; k++)
            if (r->c->lists[i].items[k].kind == VALUE_LIST_REF)
                jr_fail(&r->j, where, "a named list holds no named list");
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
    json_t *ignored, *exceptions, *lists, *objects, *handlers, *module, *main_steps;
    (void)json_unpack(root, "{s:s}", "format", &format);
    if (format == NULL || strcmp(format, FORMAT) != 0)
        jr_fail(&r->j, "format", "not \"" FORMAT "\"");
    jr_unpack(&r->j, "the case", root,
           "{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
           "format", &format, "id", &id, "description", &description, "clauses", &ignored,
           "tags", &ignored, "versions", &ignored, "exit", &exit_path, "needs", &ignored,
           "exceptions", &exceptions, "lists", &lists, "objects", &objects,
           "handlers", &handlers, "module", &module, "main", &main_steps);
    r->c->path = jr_copy(&r->j, r->j.path);
    r->c->id = jr_copy(&r->j, id);
    r->c->description = jr_copy(&r->j, description);
    r->c->exit_path = EXITS[jr_one_of(&r->j, "exit", exit_path, EXITS)];
    read_exceptions(r, exceptions);
    read_lists(r, lists);
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
