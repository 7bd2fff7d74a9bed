/* events.c - the structured event log and the unbuffered standard output. */
#include "events.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pyvalue.h"
#include "runtime.h"

static void write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t done = write(fd, s, n);
        if (done <= 0)
            return;
        s += done;
        n -= (size_t)done;
    }
}

void event_emit(const char *line)
{
    if (rt.events_fd >= 0) {
        write_all(rt.events_fd, line, strlen(line));
        write_all(rt.events_fd, "\n", 1);
    }
}

void out_write(const char *s)
{
    write_all(STDOUT_FILENO, s, strlen(s));
}

void out_line(text *line)
{
    text_add(line, "\n");
    out_write(text_str(line));
    text_free(line);
}

void err_line(text *line)
{
    text_add(line, "\n");
    write_all(STDERR_FILENO, text_str(line), line->len);
    text_free(line);
}

typedef struct named_value {
    const char *name;
    const value *val;
} named_value;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const named_value *)a)->name, ((const named_value *)b)->name);
}

int call_text_levels(const atx_args *args)
{
    size_t i, n = atx_args_positional_count(args), k = atx_args_keyword_count(args);
    int deepest = 0, levels;
    for (i = 0; i < n + k; i++) {
        const value *v = i < n ? atx_args_positional(args, i) : atx_args_keyword_value(args, i - n);
        if ((levels = value_format_levels(v)) > deepest)
            deepest = levels;
    }
    return 1 + deepest;
}

void call_text(text *out, const char *name, const atx_args *args)
{
    size_t i, n = atx_args_positional_count(args), k = atx_args_keyword_count(args);
    named_value *keys = calloc(k + 1, sizeof *keys);
    if (keys == NULL)
        exit(70);
    text_addf(out, "%s(", name);
    for (i = 0; i < n; i++) {
        if (i)
            text_add(out, ", ");
        value_canonical(out, atx_args_positional(args, i));
    }
    /* prelude.py prints keywords sorted: Python 2.7 keeps no keyword order. */
    for (i = 0; i < k; i++) {
        keys[i].name = atx_args_keyword_name(args, i);
        keys[i].val = atx_args_keyword_value(args, i);
    }
    qsort(keys, k, sizeof *keys, by_name);
    for (i = 0; i < k; i++) {
        text_addf(out, "%s%s=", n + i ? ", " : "", keys[i].name);
        value_canonical(out, keys[i].val);
    }
    free(keys);
    text_add(out, ")");
}
