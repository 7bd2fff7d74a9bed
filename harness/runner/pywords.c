/* pywords.c - the wording of CPython's messages, version by version (each row says from
 * which version on it holds; the newest that applies wins). Learned from the oracles. */
#include "pywords.h"

#include <stddef.h>

#include "runtime.h"

typedef struct wording {
    pyword word;
    int since; /* major * 100 + minor */
    const char *format;
} wording;

static const wording WORDINGS[] = {
    {W_PRINT_BAD_KEYWORD, 207, "'%s' is an invalid keyword argument for this function"},
    {W_PRINT_BAD_KEYWORD, 307, "'%s' is an invalid keyword argument for print()"},
    {W_PRINT_BAD_KEYWORD, 313, "print() got an unexpected keyword argument '%s'"},
    {W_PRINT_BAD_TYPE, 207, "%s must be None, str or unicode, not %s"},
    {W_PRINT_BAD_TYPE, 300, "%s must be None or a string, not %s"},
    {W_INT_BAD_KEYWORD, 207, "'%s' is an invalid keyword argument for this function"},
    {W_INT_BAD_KEYWORD, 307, "'%s' is an invalid keyword argument for int()"},
    {W_INT_BAD_KEYWORD, 313, "int() got an unexpected keyword argument '%s'"},
    {W_INT_ARITY, 207, "int() takes at most 2 arguments (%zu given)"},
    {W_INT_ARITY, 313, "int expected at most 2 arguments, got %zu"},
    {W_INT_BAD_TYPE, 207, "int() argument must be a string or a number, not '%s'"},
    {W_INT_BAD_TYPE, 300, "int() argument must be a string, a bytes-like object or a number, "
                          "not '%s'"},
    {W_INT_BAD_TYPE, 310, "int() argument must be a string, a bytes-like object or a real "
                          "number, not '%s'"},
    {W_INT_BASE_TYPE, 207, "an integer is required%.0s"},
    {W_INT_BASE_TYPE, 300, "'%s' object cannot be interpreted as an integer"},
    /* from 3.9 a function of a module or type is named with it: sys.exit(), list.append() */
    {W_NO_KEYWORDS, 207, "%.0s%s() takes no keyword arguments"},
    {W_NO_KEYWORDS, 309, "%s%s() takes no keyword arguments"},
    {W_EXIT_ARITY, 207, "exit expected at most 1 arguments, got %zu"},
    {W_EXIT_ARITY, 308, "exit expected at most 1 argument, got %zu"},
    {W_NO_ARGUMENTS, 207, "%.0s%s() takes no arguments (%zu given)"},
    {W_NO_ARGUMENTS, 309, "%s%s() takes no arguments (%zu given)"},
    {W_ONE_ARGUMENT, 207, "%.0s%s() takes exactly one argument (%zu given)"},
    {W_ONE_ARGUMENT, 309, "%s%s() takes exactly one argument (%zu given)"},
    {W_DIVISION_BY_ZERO, 207, "integer division or modulo by zero"},
    {W_DIVISION_BY_ZERO, 300, "division by zero"},
    {W_C_INT_TOO_LARGE, 207, "signed integer is greater than maximum"},
    {W_C_INT_TOO_LARGE, 308, "Python int too large to convert to C int"},
    {W_C_INT_TOO_SMALL, 207, "signed integer is less than minimum"},
    {W_C_INT_TOO_SMALL, 308, "Python int too large to convert to C int"},
    {W_SIGNAL_MAIN_THREAD, 207, "signal only works in main thread"},
    {W_SIGNAL_MAIN_THREAD, 309, "signal only works in main thread of the main interpreter"},
    {W_FLOOR_DIVISION_BY_ZERO, 207, "integer division or modulo by zero"},
    {W_FLOOR_DIVISION_BY_ZERO, 314, "division by zero"},
};

const char *pyword_format(pyword w)
{
    int version = rt.major * 100 + rt.minor;
    const char *found = "";
    size_t i;
    for (i = 0; i < sizeof WORDINGS / sizeof WORDINGS[0]; i++)
        if (WORDINGS[i].word == w && WORDINGS[i].since <= version)
            found = WORDINGS[i].format;
    return found;
}
