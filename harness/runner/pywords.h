/* pywords.h - how each CPython version words its messages: one table, by version. */
#ifndef RUNNER_PYWORDS_H
#define RUNNER_PYWORDS_H

/* Each message, with the printf arguments its every wording takes. */
typedef enum pyword {
    W_PRINT_BAD_KEYWORD, /* (keyword) print(x=1) */
    W_PRINT_BAD_TYPE,    /* (keyword, type name) print(sep=1) */
    W_INT_BAD_KEYWORD,   /* (keyword) int(y=1) */
    W_INT_ARITY,         /* (given) int('1', 2, 3) */
    W_INT_BAD_TYPE,      /* (type name) int(None) */
    W_INT_BASE_TYPE,     /* (type name) int('1', None) */
    W_NO_KEYWORDS,       /* (module or type prefix, function) sys.exit(x=1) */
    W_EXIT_ARITY,        /* (given) sys.exit(1, 2) */
    W_NO_ARGUMENTS,      /* (prefix, function, given) atexit._clear(1) */
    W_ONE_ARGUMENT,      /* (prefix, function, given) atexit.unregister() */
    W_DIVISION_BY_ZERO,  /* () 1 / 0 */
    W_C_INT_TOO_LARGE,   /* () os._exit(2 ** 31) */
    W_C_INT_TOO_SMALL,   /* () os._exit(-2 ** 31 - 1) */
    W_SIGNAL_MAIN_THREAD, /* () signal.signal() in a thread */
    W_FLOOR_DIVISION_BY_ZERO, /* () 1 // 0 */
    W_COUNT
} pyword;

/* The format of message w in the version being reproduced (rt.major, rt.minor). */
const char *pyword_format(pyword w);

#endif
