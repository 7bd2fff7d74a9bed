/* pyvalue.h - case values as Python prints them: str(), repr() and the canonical form. */
#ifndef RUNNER_PYVALUE_H
#define RUNNER_PYVALUE_H

#include "case.h"
#include "text.h"

/* str(value), as print() shows it. */
void value_str(text *out, const value *v);
/* repr(value): Python's quoting rules for text, 2.7's for a byte string, 3.X's for a
 * str (rt.major, rt.minor). */
void value_repr(text *out, const value *v);
/* The canonical form of cases/README.md ("What a program prints"): text in
 * single quotes with \, ' and the ASCII controls (\xNN) escaped; used by
 * print_args, names and events. */
void value_canonical(text *out, const value *v);
/* Python's ==: bool and int compare as numbers, lists item by item. */
int value_equal(const value *a, const value *b);
/* Deep copy on the heap (exits when out of memory); value_free frees what it made. A
 * named list is not copied: the copy names the same list. */
value *value_copy(const value *v);
void value_free(void *v);
/* The same into *dst, and freeing what a value holds (not the value itself). */
void value_copy_into(value *dst, const value *src);
void value_free_inside(value *v);
/* The case's named lists (rt.c->lists): made once before any step runs (0, or -1
 * when out of memory); list.append of a copy of v, which holds no named list.
 * Printing and comparing a named list sees its items then. Thread-safe. */
int value_lists_init(void);
void value_list_append(size_t list, const value *v);
/* The frames prelude.py's _fmt takes to show the value: 1, and 1 more for text
 * (_quote) or for each level of list (pystack.h). */
int value_format_levels(const value *v);
/* Python's type name: int, bool, str, NoneType, list. */
const char *value_type_name(const value *v);

#endif
