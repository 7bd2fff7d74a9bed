/* text.c - a growable string. */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(text *t, size_t extra)
{
    size_t want = t->len + extra + 1;
    char *grown;
    if (want <= t->cap)
        return;
    if (want < t->cap * 2)
        want = t->cap * 2;
    grown = realloc(t->data, want);
    if (grown == NULL) {
        fputs("atx-case-runner: out of memory\n", stderr);
        exit(70);
    }
    t->data = grown;
    t->cap = want;
}

void text_addn(text *t, const char *s, size_t n)
{
    reserve(t, n);
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void text_add(text *t, const char *s)
{
    text_addn(t, s, strlen(s));
}

void text_addf(text *t, const char *fmt, ...)
{
    va_list ap;
    char probe[1];
    int need;
    va_start(ap, fmt);
    need = vsnprintf(probe, sizeof probe, fmt, ap); /* the length it needs */
    va_end(ap);
    if (need < 0)
        return;
    reserve(t, (size_t)need);
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    t->len += (size_t)need;
}

const char *text_str(text *t)
{
    return t->data ? t->data : "";
}

void text_free(text *t)
{
    free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
}
