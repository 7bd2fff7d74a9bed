/* pyvalue.c - printing and comparing case values the way the generated Python program does
 * (oracle/prelude.py: _fmt is value_canonical; print() is value_str). */
#include "pyvalue.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "unicode.h"

/* The case's named lists: Python list objects that every value naming one shares. */
typedef struct named_list {
    value items; /* a VALUE_LIST, grown by append */
    size_t capacity;
    pthread_mutex_t lock;
} named_list;

static named_list *named_lists;

int value_lists_init(void)
{
    size_t i;
    named_lists = calloc(rt.c->nlists + 1, sizeof *named_lists);
    if (named_lists == NULL)
        return -1;
    for (i = 0; i < rt.c->nlists; i++) {
        value_copy_into(&named_lists[i].items, &rt.c->lists[i]);
        named_lists[i].capacity = named_lists[i].items.count;
        pthread_mutex_init(&named_lists[i].lock, NULL);
    }
    return 0;
}

void value_list_append(size_t list, const value *v)
{
    named_list *l = &named_lists[list];
    pthread_mutex_lock(&l->lock);
    if (l->items.count == l->capacity) {
        size_t capacity = l->capacity ? 2 * l->capacity : 4;
        value *grown = realloc(l->items.items, capacity * sizeof *grown);
        if (grown == NULL)
            exit(70); /* out of memory: the runner cannot go on */
        l->items.items = grown;
        l->capacity = capacity;
    }
    value_copy_into(&l->items.items[l->items.count++], v);
    pthread_mutex_unlock(&l->lock);
}

/* What a value is now: a named list's items (a copy the caller frees with
 * value_free_inside, *owned set), else the value itself. */
static const value *now(const value *v, value *snapshot, int *owned)
{
    *owned = v->kind == VALUE_LIST_REF;
    if (!*owned)
        return v;
    pthread_mutex_lock(&named_lists[v->number].lock);
    value_copy_into(snapshot, &named_lists[v->number].items);
    pthread_mutex_unlock(&named_lists[v->number].lock);
    return snapshot;
}

static void scalar(text *out, const value *v)
{
    if (v->kind == VALUE_NONE)
        text_add(out, "None");
    else if (v->kind == VALUE_BOOL)
        text_add(out, v->number ? "True" : "False");
    else
        text_addf(out, "%lld", v->number);
}

static void items(text *out, const value *v, void (*each)(text *, const value *))
{
    size_t i;
    text_add(out, "[");
    for (i = 0; i < v->count; i++) {
        if (i)
            text_add(out, ", ");
        each(out, &v->items[i]);
    }
    text_add(out, "]");
}

void value_repr(text *out, const value *v)
{
    value snapshot;
    int owned;
    v = now(v, &snapshot, &owned);
    /* Text is a byte string on 2.7 (compile.py's literals), a str on 3.x, whose repr
     * escapes what the version's Unicode database finds unprintable. */
    if (v->kind == VALUE_TEXT && rt.major == 2)
        py2_repr_bytes(out, v->text, strlen(v->text));
    else if (v->kind == VALUE_TEXT)
        py3_repr_str(out, v->text, strlen(v->text), rt.minor);
    else if (v->kind == VALUE_LIST)
        items(out, v, value_repr);
    else
        scalar(out, v);
    if (owned)
        value_free_inside(&snapshot);
}

void value_str(text *out, const value *v)
{
    if (v->kind == VALUE_TEXT)
        text_add(out, v->text);
    else
        value_repr(out, v);
}

void value_canonical(text *out, const value *v)
{
    value snapshot;
    int owned;
    v = now(v, &snapshot, &owned);
    if (v->kind == VALUE_TEXT) {
        const char *s;
        text_add(out, "'");
        for (s = v->text; *s; s++) {
            unsigned char byte = (unsigned char)*s;
            if (byte < 0x20 || byte == 0x7f)  /* prelude.py's _quote: one line always */
                text_addf(out, "\\x%02x", byte);
            else if (*s == '\\' || *s == '\'')
                text_addf(out, "\\%c", *s);
            else
                text_addn(out, s, 1);
        }
        text_add(out, "'");
    } else if (v->kind == VALUE_LIST) {
        items(out, v, value_canonical);
    } else {
        scalar(out, v);
    }
    if (owned)
        value_free_inside(&snapshot);
}

static int numeric(const value *v)
{
    return v->kind == VALUE_INT || v->kind == VALUE_BOOL;
}

static int equal_now(const value *a, const value *b)
{
    size_t i;
    if (numeric(a) && numeric(b))
        return a->number == b->number;
    if (a->kind != b->kind)
        return 0;
    if (a->kind == VALUE_TEXT)
        return strcmp(a->text, b->text) == 0;
    if (a->kind == VALUE_LIST) {
        if (a->count != b->count)
            return 0;
        for (i = 0; i < a->count; i++)
            if (!equal_now(&a->items[i], &b->items[i]))
                return 0;
    }
    return 1;
}

int value_equal(const value *a, const value *b)
{
    value snapshot_a, snapshot_b;
    int owned_a, owned_b, equal;
    a = now(a, &snapshot_a, &owned_a); /* named lists hold plain values only */
    b = now(b, &snapshot_b, &owned_b);
    equal = equal_now(a, b);
    if (owned_a)
        value_free_inside(&snapshot_a);
    if (owned_b)
        value_free_inside(&snapshot_b);
    return equal;
}

static void *must(void *p)
{
    if (p == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    return p;
}

void value_copy_into(value *dst, const value *src)
{
    size_t i;
    *dst = *src;
    if (src->kind == VALUE_TEXT)
        dst->text = must(strdup(src->text));
    if (src->kind == VALUE_LIST) {
        dst->items = must(calloc(src->count + 1, sizeof *dst->items));
        for (i = 0; i < src->count; i++)
            value_copy_into(&dst->items[i], &src->items[i]);
    }
}

value *value_copy(const value *v)
{
    value *copy = must(malloc(sizeof *copy));
    value_copy_into(copy, v);
    return copy;
}

void value_free_inside(value *v)
{
    size_t i;
    if (v->kind == VALUE_TEXT)
        free(v->text);
    if (v->kind == VALUE_LIST) {
        for (i = 0; i < v->count; i++)
            value_free_inside(&v->items[i]);
        free(v->items);
    }
}

void value_free(void *v)
{
    if (v != NULL) {
        value_free_inside(v);
        free(v);
    }
}

int value_format_levels(const value *v)
{
    value snapshot;
    int owned, deepest = 0, levels;
    size_t i;
    if (v->kind == VALUE_TEXT)
        return 2;
    v = now(v, &snapshot, &owned);
    for (i = 0; v->kind == VALUE_LIST && i < v->count; i++)
        if ((levels = value_format_levels(&v->items[i])) > deepest)
            deepest = levels;
    if (owned)
        value_free_inside(&snapshot);
    return 1 + deepest;
}

const char *value_type_name(const value *v)
{
    static const char *const names[] = {"NoneType", "bool", "int", "str", "list", "list"};
    return names[v->kind];
}
