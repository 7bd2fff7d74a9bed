/* jsonread.c - checked reading of a JSON document with jansson, for canonical.c. */
#include "jsonread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

json_t *jr_load(const char *path, long max_bytes, json_error_t *error)
{
    struct stat info;
    json_t *root = NULL;
    FILE *file = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    memset(error, 0, sizeof *error);
    if (fd < 0)
        snprintf(error->text, sizeof error->text, "%s", strerror(errno));
    else if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size > max_bytes)
        snprintf(error->text, sizeof error->text, "not a regular file of at most %ld MiB",
                 max_bytes >> 20);
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

void jr_fail(jreader *r, const char *where, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(r->err, r->errsize, "%s: %s: %s: ", r->path, r->what, where);
    if (n >= 0 && (size_t)n < r->errsize) {
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    longjmp(r->fail_to, 1);
}

void jr_unpack(jreader *r, const char *where, json_t *json, const char *fmt, ...)
{
    json_error_t error;
    va_list ap;
    int failed;
    va_start(ap, fmt);
    failed = json_vunpack_ex(json, &error, JSON_STRICT, fmt, ap);
    va_end(ap);
    if (failed)
        jr_fail(r, where, "%s", error.text);
}

const char *jr_text_or_null(jreader *r, const char *where, json_t *json)
{
    if (json_is_null(json))
        return NULL;
    if (!json_is_string(json))
        jr_fail(r, where, "expected text or null, got %s", json_is_array(json) ? "a list"
                : json_is_object(json) ? "an object" : "a number or boolean");
    return json_string_value(json);
}

const char *jr_copy(jreader *r, const char *text)
{
    return text == NULL ? NULL : arena_strdup(r->mem, text);
}

int jr_one_of(jreader *r, const char *where, const char *name, const char *const *names)
{
    int i;
    for (i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    jr_fail(r, where, "unknown value '%s'", name);
}
