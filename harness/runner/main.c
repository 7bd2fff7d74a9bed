/* main.c - atx-case-runner: executes one case for real against libatx and ends the
 * process the way the equivalent Python program ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canonical.h"
#include "case.h"
#include "atexit_module.h"
#include "events.h"
#include "multiproc.h"
#include "objects.h"
#include "pyvalue.h"
#include "pyexit.h"
#include "pyversion.h"
#include "reports.h"
#include "runtime.h"
#include "steps.h"

/* The CPython version reproduced when --profile is not given. */
#define DEFAULT_VERSION "3.11"

static const char USAGE[] =
    "usage: atx-case-runner [--profile X.Y] CASE.case.json [EVENTS_FD]\n"
    "       atx-case-runner [--profile X.Y] --profile-name\n"
    "\n"
    "Executes one case against libatx and prints exactly what the equivalent Python\n"
    "program prints, on one unbuffered stream, then ends the same way. The case is its\n"
    "canonical form, atx-case/1 (cases/README.md), as ./atx-conform writes it beside the\n"
    "generated program: reports/programs/<id>.case.json.\n"
    "  --profile X.Y     the CPython version whose behaviour to reproduce (default 3.11)\n"
    "  --profile-name    print the name of what --profile selects, PRESET/ERA/TEXT:\n"
    "                    libatx's preset, the era of the interpreter's own facts\n"
    "                    (pyversion.c) and what text is (bytes on 2.7, else the Unicode\n"
    "                    database of 3.X); versions that behave alike share it; then exit\n"
    "  --child M:S:N     be the child of the process step numbered S (its serial),\n"
    "                    process number N, started by M (spawn or forkserver); no\n"
    "                    event log\n"
    "  EVENTS_FD         a descriptor for the structured event log\n"
    "Exit status: the case's own; 2 for a usage error; 125 when CASE is not a valid\n"
    "atx-case/1 file (the suite's own bug: users write YAML, never this form).\n";

int main(int argc, char **argv)
{
    const char *profile_name = NULL, *path = NULL, *fd_arg = NULL;
    const char *child = NULL, *version;
    char err[1024];
    int print_name = 0, i;
    static case_file c;
    const atx_profile *profile;
    frame f;
    pyexc *raised;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
            profile_name = argv[++i];
        } else if (strcmp(argv[i], "--child") == 0 && i + 1 < argc) {
            child = argv[++i];
        } else if (strcmp(argv[i], "--profile-name") == 0) {
            print_name = 1;
        } else if (argv[i][0] == '-' || (path != NULL && fd_arg != NULL)) {
            fprintf(stderr, "atx-case-runner: unexpected argument '%s'\n%s", argv[i], USAGE);
            return 2;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            fd_arg = argv[i];
        }
    }
    version = profile_name ? profile_name : DEFAULT_VERSION;
    profile = atx_profile_find(version);
    rt.py = pyversion_find(version, &rt.major, &rt.minor);
    if (profile == NULL || rt.py == NULL) {
        fprintf(stderr, "atx-case-runner: no profile for Python '%s'\n", version);
        return 2;
    }
    if (print_name) {
        /* the conformance runner keys the reference's cached results by it; a str's
         * repr() depends on each 3.X's Unicode database, a byte string's on none */
        if (rt.major == 2)
            printf("%s/%s/bytes\n", profile->name, rt.py->name);
        else
            printf("%s/%s/unicode-3.%d\n", profile->name, rt.py->name, rt.minor);
        return 0;
    }
    if (path == NULL) {
        fputs(USAGE, stderr);
        return 2;
    }
    if (canonical_read(path, &c, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return CANONICAL_INVALID;
    }
    rt.c = &c;
    if (objects_init() != 0 || value_lists_init() != 0) {
        fputs("atx-case-runner: out of memory\n", stderr);
        return 70;
    }
    rt.profile_arg = profile_name;
    rt.events_fd = fd_arg ? atoi(fd_arg) : -1;
    if (atexit_module_import(profile, report_failure) != 0) {
        fputs("atx-case-runner: cannot set up the registry\n", stderr);
        return 70;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    if (child != NULL)
        process_child_main(child);
    {
        text start = {NULL, 0, 0};
        text_addf(&start, "start %zu", atx_count(rt.registry));
        event_emit(text_str(&start));
        text_free(&start);
    }
    memset(&f, 0, sizeof f);
    f.name = "<module>";
    raised = exec_steps(&c.module, &f);
    if (raised == NULL)
        raised = exec_steps(&c.main, &f);
    /* Like Python, the objects and the case stay alive until the process is gone. */
    return pyexit_main_ended(raised);
}
