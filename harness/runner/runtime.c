/* runtime.c - the interpreter's state. */
#include "runtime.h"

runtime rt = {.events_fd = -1};
