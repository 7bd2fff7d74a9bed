/* pystack.c - the recursion limit, counted per thread as each CPython version does. */
#include "pystack.h"

#include "runtime.h"

#define RECURSION_LIMIT 1000 /* sys.getrecursionlimit() of every version */

static _Thread_local int depth = 1; /* the main thread starts in its module's frame */

static int cost(pystack_level level)
{
    return level == LEVEL_FRAME ? 1 : rt.py->c_call_levels;
}

pyexc *pystack_enter(pystack_level level)
{
    static const char *const WHERE[] = {
        [LEVEL_FRAME] = "", [LEVEL_C_CALL] = " while calling a Python object",
        [LEVEL_COMPARE] = " in comparison"};
    text message = {NULL, 0, 0};
    pyexc *e;
    if (depth + cost(level) <= RECURSION_LIMIT) {
        depth += cost(level);
        return NULL;
    }
    text_addf(&message, "maximum recursion depth exceeded%s", WHERE[level]);
    /* raised where no frame of its own was entered: a frame above may add one */
    e = exc_new(rt.py->recursion_error, text_str(&message), ATX_FAILURE_NO_TRACEBACK);
    text_free(&message);
    return e;
}

pyexc *pystack_need(int levels)
{
    if (depth + levels <= RECURSION_LIMIT)
        return NULL;
    return exc_new(rt.py->recursion_error, "maximum recursion depth exceeded", 0);
}

void pystack_leave(pystack_level level)
{
    depth -= cost(level);
}

int pystack_in_python(void)
{
    return depth > 0;
}

int pystack_report_fits(void)
{
    return depth + rt.py->report_levels <= RECURSION_LIMIT;
}

void pystack_set_depth(int frames)
{
    depth = frames;
}
