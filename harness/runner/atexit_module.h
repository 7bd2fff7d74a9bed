/* atexit_module.h - the program's atexit modules: the one each atexit function is called
 * on, atexit imported again or reloaded, and 2.7's sys.exitfunc. */
#ifndef RUNNER_ATEXIT_MODULE_H
#define RUNNER_ATEXIT_MODULE_H

#include <atx.h>

#include "case.h"
#include "exceptions.h"

/* `import atexit` at the program's start: creates rt.registry in profile (borrowed),
 * its failures going to reporter, and installs it for the end of the process, as
 * Python runs atexit at shutdown. Returns 0 or an ATX_E code. */
int atexit_module_import(const atx_profile *profile, atx_reporter reporter);

/* The registry of the module a step calls an atexit function on: the one the name
 * atexit holds now (rt.registry), or with `instance: first` the one imported first. */
atx_registry *atexit_module_registry(const step *s);

/* `del sys.modules['atexit']; atexit = __import__('atexit')`, by rt.py->atexit_state:
 * 2.7 makes a new registry whose first entry is sys.exitfunc (the case's, or the old
 * module's _run_exitfuncs) and installs it; 3.0-3.9 a new, empty one that replaces the
 * old at shutdown; 3.10+ changes nothing. NULL, or MemoryError. */
pyexc *atexit_module_reimport(void);

/* reload(atexit): 2.7 runs Lib/atexit.py again, emptying the list and registering
 * sys.exitfunc (the case's, or the module's own earlier _run_exitfuncs, which runs the
 * new list), which it then replaces; 3.x does nothing. NULL, or MemoryError. */
pyexc *atexit_module_reload(void);

/* sys.exitfunc = REF: 2.7's shutdown calls it in place of atexit's run (libatx's
 * atx_process_install_exitfunc); no 3.x version reads it. NULL, or MemoryError. */
pyexc *atexit_module_set_exitfunc(const step *s);

#endif
