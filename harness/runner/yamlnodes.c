/* yamlnodes.c - reading libyaml nodes by the case format's rules (same checks as oracle/yamlnodes.py). */
#include "yamlnodes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int yn_line(const yaml_node_t *node)
{
    return (int)node->start_mark.line + 1;
}

void yn_fail(ynodes *y, const yaml_node_t *node, int line, const char *fmt, ...)
{
    int used = snprintf(y->err, y->errsize, "%s:%d: ", y->path, node ? yn_line(node) : line);
    va_list ap;
    va_start(ap, fmt);
    if (used >= 0 && (size_t)used < y->errsize)
        vsnprintf(y->err + used, y->errsize - (size_t)used, fmt, ap);
    va_end(ap);
    longjmp(y->fail_to, 1);
}

yaml_node_t *yn_compose(ynodes *y, FILE *file)
{
    yaml_parser_t parser;
    yaml_document_t extra;
    yaml_node_t *root;
    if (!yaml_parser_initialize(&parser))
        yn_fail(y, NULL, 1, "out of memory");
    yaml_parser_set_input_file(&parser, file);
    if (!yaml_parser_load(&parser, &y->doc)) {
        int line = (int)(parser.problem ? parser.problem_mark.line : parser.context_mark.line) + 1;
        char problem[256];
        snprintf(problem, sizeof problem, "%s", parser.problem ? parser.problem : "unreadable");
        yaml_parser_delete(&parser);
        yn_fail(y, NULL, line, "YAML syntax error: %s", problem);
    }
    y->have_doc = 1;
    root = yaml_document_get_root_node(&y->doc);
    if (root == NULL) {
        yaml_parser_delete(&parser);
        yn_fail(y, NULL, 1, "the file is empty");
    }
    /* PyYAML's compose accepts one document only: so does the runner. */
    if (!yaml_parser_load(&parser, &extra)) {
        int line = (int)parser.problem_mark.line + 1;
        yaml_parser_delete(&parser);
        yn_fail(y, NULL, line, "YAML syntax error: %s", "after the document");
    }
    if (yaml_document_get_root_node(&extra) != NULL) {
        int line = (int)extra.start_mark.line + 1;
        yaml_document_delete(&extra);
        yaml_parser_delete(&parser);
        yn_fail(y, NULL, line, "YAML syntax error: %s", "but found another document");
    }
    yaml_document_delete(&extra);
    yaml_parser_delete(&parser);
    return root;
}

static const char *node_text(const yaml_node_t *node)
{
    return (const char *)node->data.scalar.value;
}

yn_item *yn_mapping(ynodes *y, yaml_node_t *node, const char *what, size_t *count)
{
    yaml_node_pair_t *pair;
    yn_item *items;
    size_t n = 0;
    if (node->type != YAML_MAPPING_NODE)
        yn_fail(y, node, 0, "%s must be a mapping", what);
    items = arena_alloc(y->mem, sizeof *items *
                        (size_t)(node->data.mapping.pairs.top - node->data.mapping.pairs.start + 1));
    for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
        yaml_node_t *key = yaml_document_get_node(&y->doc, pair->key);
        size_t i;
        if (key->type != YAML_SCALAR_NODE)
            yn_fail(y, key, 0, "%s: keys must be names", what);
        for (i = 0; i < n; i++)
            if (strcmp(items[i].key, node_text(key)) == 0)
                yn_fail(y, key, 0, "%s: duplicate key '%s'", what, node_text(key));
        items[n].key = arena_strdup(y->mem, node_text(key));
        items[n].key_node = key;
        items[n].value = yaml_document_get_node(&y->doc, pair->value);
        n++;
    }
    *count = n;
    return items;
}

yaml_node_t **yn_sequence(ynodes *y, yaml_node_t *node, const char *what, size_t *count)
{
    yaml_node_item_t *item;
    yaml_node_t **items;
    size_t n = 0;
    if (node->type != YAML_SEQUENCE_NODE)
        yn_fail(y, node, 0, "%s must be a list", what);
    items = arena_alloc(y->mem, sizeof *items *
                        (size_t)(node->data.sequence.items.top - node->data.sequence.items.start + 1));
    for (item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++)
        items[n++] = yaml_document_get_node(&y->doc, *item);
    *count = n;
    return items;
}

static int is_int_text(const char *text)
{
    const char *p = text + (*text == '-');
    if (*p == '\0')
        return 0;
    for (; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

value yn_scalar(ynodes *y, yaml_node_t *node)
{
    value v = {VALUE_NONE, 0, NULL, NULL, 0};
    const char *text;
    const char *p;
    if (node->type != YAML_SCALAR_NODE)
        yn_fail(y, node, 0, "expected a single value, not a %s",
                node->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
    text = node_text(node);
    if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
            v.kind = VALUE_BOOL;
            v.number = text[0] == 't';
            return v;
        }
        if (strcmp(text, "null") == 0 || strcmp(text, "~") == 0 || text[0] == '\0')
            return v;
        if (is_int_text(text)) {
            v.kind = VALUE_INT;
            errno = 0;
            v.number = strtoll(text, NULL, 10);
            if (errno == ERANGE)
                yn_fail(y, node, 0, "integers must fit in 64 bits");
            return v;
        }
    }
    for (p = text; *p; p++)
        if (*p < ' ' || *p > '~')
            yn_fail(y, node, 0, "text must be printable ASCII (use quotes and no escapes)");
    if (node->data.scalar.length != strlen(text))
        yn_fail(y, node, 0, "text must be printable ASCII (use quotes and no escapes)");
    v.kind = VALUE_TEXT;
    v.text = arena_strdup(y->mem, text);
    return v;
}

int yn_is_null(ynodes *y, yaml_node_t *node)
{
    return node->type == YAML_SCALAR_NODE && node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
           && yn_scalar(y, node).kind == VALUE_NONE;
}

const char *yn_text(ynodes *y, yaml_node_t *node, const char *what)
{
    value v = yn_scalar(y, node);
    if (v.kind != VALUE_TEXT || v.text[0] == '\0')
        yn_fail(y, node, 0, "%s must be non-empty text", what);
    return v.text;
}

int yn_boolean(ynodes *y, yaml_node_t *node, const char *what)
{
    value v = yn_scalar(y, node);
    if (v.kind != VALUE_BOOL)
        yn_fail(y, node, 0, "%s must be true or false", what);
    return (int)v.number;
}

value yn_value(ynodes *y, yaml_node_t *node, const char *what)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        size_t i, n;
        yaml_node_t **items = yn_sequence(y, node, what, &n);
        value v = {VALUE_LIST, 0, NULL, NULL, n};
        v.items = arena_alloc(y->mem, sizeof *v.items * (n + 1));
        for (i = 0; i < n; i++)
            v.items[i] = yn_value(y, items[i], what);
        return v;
    }
    if (node->type == YAML_MAPPING_NODE)
        yn_fail(y, node, 0, "%s: a value is a scalar or a list", what);
    return yn_scalar(y, node);
}
