/* canonical.h - reading a case's canonical form (atx-case/1) into the runner's model. */
#ifndef RUNNER_CANONICAL_H
#define RUNNER_CANONICAL_H

#include <stddef.h>

#include "case.h"

/* The exit status of the runner when its input is not a valid atx-case/1 file: the
 * form is written by oracle/canonical.py only, so this is the suite's own bug, never a
 * user's mistake (users write YAML, which the loader reports as FILE:LINE). */
#define CANONICAL_INVALID 125

/* Reads the atx-case/1 file at path into *out (which then owns everything it points
 * to; case_free releases it). Every field is checked: types, known names, indices in
 * range, the fields each operation needs. On error returns -1, writes one line,
 * "PATH: not a valid atx-case/1 file: WHERE: WHAT", into err and leaves *out empty. */
int canonical_read(const char *path, case_file *out, char *err, size_t errsize);

#endif
