/* computations.h - the compute step's real operations, and what each raises. */
#ifndef RUNNER_COMPUTATIONS_H
#define RUNNER_COMPUTATIONS_H

#include "exceptions.h"

typedef struct computation computation;

/* The computation a case names (oracle/casemodel.py COMPUTATIONS), or NULL. */
const computation *computation_find(const char *expression);
/* What running it raises in the version reproduced: from a Python frame, so with a
 * traceback. The caller owns it. */
pyexc *computation_raise(const computation *c);

#endif
