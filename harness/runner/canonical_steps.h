/* canonical_steps.h - what canonical.c's two files share: the reader, and reading values
 * and steps (canonical_steps.c). Internal to the canonical reader. */
#ifndef RUNNER_CANONICAL_STEPS_H
#define RUNNER_CANONICAL_STEPS_H

#include <jansson.h>

#include "case.h"
#include "jsonread.h"

/* The nesting the loader allows (oracle/casemodel.py MAX_CHILD_DEPTH, MAX_VALUE_DEPTH):
 * deeper input is invalid, so that executing a case never recurses further. */
#define CANONICAL_MAX_CHILD_DEPTH 16
#define CANONICAL_MAX_VALUE_DEPTH 32

typedef struct reader {
    jreader j;
    case_file *c;
} reader;

/* Where steps run: what a step finds there (print_args the call's arguments, print_eq
 * and return an __eq__'s operand and result) is checked, not assumed. */
typedef enum place { IN_MAIN, IN_HANDLER, IN_EQ } place;

/* A value (nested lists at most CANONICAL_MAX_VALUE_DEPTH deep), or a failure. */
value read_value(reader *r, const char *where, json_t *json, int depth);
/* A list of steps run in, depth children deep (CANONICAL_MAX_CHILD_DEPTH), or a failure. */
steps read_steps(reader *r, const char *where, json_t *json, int depth, place in);

#endif
