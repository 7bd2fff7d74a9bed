/* args.c - argument packs: positional and keyword values a handler is called with. */
#include <string.h>

#include "atx_internal.h"

typedef struct arg_slot {
    char *keyword; /* NULL for a positional value */
    void *value;
    atx_value_release release;
} arg_slot;

typedef struct arg_list {
    arg_slot *items;
    size_t count, capacity;
} arg_list;

struct atx_args {
    atx_allocator allocator;
    arg_list positional;
    arg_list keywords;
};

int atx_args_new(const atx_allocator *allocator, atx_args **out)
{
    atx_allocator a;
    atx_args *args;
    if (out == NULL)
        return ATX_EINVAL;
    atx__allocator_init(&a, allocator);
    args = atx__alloc(&a, sizeof *args);
    if (args == NULL)
        return ATX_ENOMEM;
    memset(args, 0, sizeof *args);
    args->allocator = a;
    *out = args;
    return 0;
}

static void free_list(atx_args *args, arg_list *list)
{
    size_t i;
    for (i = 0; i < list->count; i++) {
        if (list->items[i].release != NULL)
            list->items[i].release(list->items[i].value);
        atx__free(&args->allocator, list->items[i].keyword);
    }
    atx__free(&args->allocator, list->items);
}

void atx_args_free(atx_args *args)
{
    atx_allocator a;
    if (args == NULL)
        return;
    free_list(args, &args->positional);
    free_list(args, &args->keywords);
    a = args->allocator;
    atx__free(&a, args);
}

/* Makes room for one more slot. On error nothing is changed. */
static int reserve(atx_args *args, arg_list *list)
{
    size_t capacity;
    arg_slot *grown;
    if (list->count < list->capacity)
        return 0;
    capacity = list->capacity ? list->capacity * 2 : 4;
    grown = atx__resize(&args->allocator, list->items, capacity * sizeof *grown);
    if (grown == NULL)
        return ATX_ENOMEM;
    list->items = grown;
    list->capacity = capacity;
    return 0;
}

int atx_args_push(atx_args *args, void *value, atx_value_release release)
{
    arg_slot *slot;
    if (args == NULL)
        return ATX_EINVAL;
    if (reserve(args, &args->positional) != 0)
        return ATX_ENOMEM;
    slot = &args->positional.items[args->positional.count++];
    slot->keyword = NULL;
    slot->value = value;
    slot->release = release;
    return 0;
}

int atx_args_push_keyword(atx_args *args, const char *keyword, void *value,
                          atx_value_release release)
{
    size_t i, size;
    char *copy;
    arg_slot *slot;
    if (args == NULL || keyword == NULL)
        return ATX_EINVAL;
    for (i = 0; i < args->keywords.count; i++)
        if (strcmp(args->keywords.items[i].keyword, keyword) == 0)
            return ATX_EEXISTS;
    size = strlen(keyword) + 1;
    copy = atx__alloc(&args->allocator, size);
    if (copy == NULL)
        return ATX_ENOMEM;
    if (reserve(args, &args->keywords) != 0) {
        atx__free(&args->allocator, copy);
        return ATX_ENOMEM;
    }
    memcpy(copy, keyword, size);
    slot = &args->keywords.items[args->keywords.count++];
    slot->keyword = copy;
    slot->value = value;
    slot->release = release;
    return 0;
}

size_t atx_args_positional_count(const atx_args *args)
{
    return args ? args->positional.count : 0;
}

void *atx_args_positional(const atx_args *args, size_t index)
{
    return args && index < args->positional.count ? args->positional.items[index].value : NULL;
}

size_t atx_args_keyword_count(const atx_args *args)
{
    return args ? args->keywords.count : 0;
}

const char *atx_args_keyword_name(const atx_args *args, size_t index)
{
    return args && index < args->keywords.count ? args->keywords.items[index].keyword : NULL;
}

void *atx_args_keyword_value(const atx_args *args, size_t index)
{
    return args && index < args->keywords.count ? args->keywords.items[index].value : NULL;
}
