/* text.h - a growable string for building output lines. */
#ifndef RUNNER_TEXT_H
#define RUNNER_TEXT_H

#include <stddef.h>

typedef struct text {
    char *data; /* always NUL-terminated once anything was added */
    size_t len, cap;
} text;

/* Appending exits the process when memory runs out. */
void text_add(text *t, const char *s);
void text_addn(text *t, const char *s, size_t n);
void text_addf(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The string so far ("" when empty); stays owned by t. */
const char *text_str(text *t);
void text_free(text *t);

#endif
