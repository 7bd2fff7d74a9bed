/* yamlnodes.h - typed access to a case file's libyaml nodes, mirroring oracle/yamlnodes.py. */
#ifndef RUNNER_YAMLNODES_H
#define RUNNER_YAMLNODES_H

#include <setjmp.h>
#include <stddef.h>
#include <yaml.h>

#include "arena.h"
#include "case.h"

typedef struct ynodes {
    const char *path;
    yaml_document_t doc;
    int have_doc;
    arena *mem;
    jmp_buf fail_to; /* yn_fail jumps here after writing err */
    char *err;
    size_t errsize;
} ynodes;

typedef struct yn_item {
    const char *key;
    yaml_node_t *key_node;
    yaml_node_t *value;
} yn_item;

/* Writes "PATH:LINE: MESSAGE" (line of node, or line when node is NULL) and
 * jumps to fail_to. */
_Noreturn void yn_fail(ynodes *y, const yaml_node_t *node, int line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
int yn_line(const yaml_node_t *node);
/* Parses the single document of the file; returns its root. */
yaml_node_t *yn_compose(ynodes *y, FILE *file);
/* A mapping's items in file order, keys unique; *count set. */
yn_item *yn_mapping(ynodes *y, yaml_node_t *node, const char *what, size_t *count);
yaml_node_t **yn_sequence(ynodes *y, yaml_node_t *node, const char *what, size_t *count);
/* The format's scalar rule: true/false, null/~/empty, -?[0-9]+, else printable ASCII text. */
value yn_scalar(ynodes *y, yaml_node_t *node);
int yn_is_null(ynodes *y, yaml_node_t *node);
const char *yn_text(ynodes *y, yaml_node_t *node, const char *what);
int yn_boolean(ynodes *y, yaml_node_t *node, const char *what);
/* A scalar or a list of values. */
value yn_value(ynodes *y, yaml_node_t *node, const char *what);

#endif
