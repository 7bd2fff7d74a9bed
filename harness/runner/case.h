/* case.h - the case model the C runner executes (cases/README.md is the format). */
#ifndef RUNNER_CASE_H
#define RUNNER_CASE_H

#include <stddef.h>

/* A data value of the case format: int, text, bool, None, a list, or one of the
 * case's named lists itself (shared, mutable: pylists.h). */
typedef enum value_kind {
    VALUE_NONE, VALUE_BOOL, VALUE_INT, VALUE_TEXT, VALUE_LIST, VALUE_LIST_REF
} value_kind;

typedef struct value {
    value_kind kind;
    long long number;       /* VALUE_BOOL (0/1), VALUE_INT; VALUE_LIST_REF: the list's index */
    char *text;                   /* VALUE_TEXT */
    struct value *items;    /* VALUE_LIST */
    size_t count;
} value;

struct handler;
struct object_decl;

/* What a step names: a handler, OBJECT.METHOD, or a plain value. */
typedef struct ref {
    const struct handler *h;       /* NULL for a plain value */
    const struct object_decl *obj; /* NULL unless a bound method */
    value literal;
} ref;

typedef enum step_op {
    OP_PRINT, OP_PRINT_ARGS, OP_PRINT_EQ, OP_RAISE, OP_EXIT, OP_REGISTER, OP_UNREGISTER,
    OP_RUN_EXITFUNCS, OP_CLEAR, OP_NCALLBACKS, OP_RETURN, OP_OS_EXIT, OP_KILL, OP_ABORT,
    OP_FORK, OP_ON_SIGNAL, OP_THREAD, OP_PROCESS, OP_CALL, OP_SLEEP, OP_COMPUTE,
    OP_ON_UNRAISABLE, OP_ON_UNCAUGHT, OP_APPEND, OP_PRINT_LIST, OP_REIMPORT_ATEXIT,
    OP_RELOAD_ATEXIT, OP_SET_EXITFUNC
} step_op;

typedef enum eq_result { EQ_FALSE, EQ_TRUE, EQ_NOT_IMPLEMENTED } eq_result;

typedef struct keyword {
    const char *name;
    value val;
} keyword;

typedef struct step {
    step_op op;
    int line;            /* in the case file */
    int serial;          /* unique in the case: names a process step for its spawn child */
    const char *text;          /* print; kill, on_signal: the signal's name */
    const char *exc_type;      /* raise */
    int has_arg;         /* raise arg / exit value / os_exit status given */
    value arg;
    int has_ref;         /* register ~ has none; on_signal: its handler */
    ref target;
    value *args;
    size_t nargs;
    keyword *kwargs;
    size_t nkwargs;
    int catch_;
    int print_returned;
    eq_result result;    /* return */
    struct steps *child; /* fork, process: what the child runs; thread: what the thread runs */
    const char *start;   /* process: "fork", "spawn", "forkserver"; NULL: the default */
    int daemon;          /* thread */
    int delay_ms;        /* thread: a sleep before its body; sleep: how long */
    int after_main;      /* thread: its body waits until main has ended */
    int join;            /* thread: joined as soon as it is started */
    int to_stderr;       /* print: to stderr, not stdout */
    int repeat;          /* how many times the step runs (1: once) */
    int on_call;         /* 0, or the only call of its body in which it runs */
    size_t list;         /* append, print_list: the named list's index */
    const char *if_other; /* eq bodies: runs only when the other object has this name */
    value *extra_args;   /* atexit functions: arguments given too many */
    size_t nextra;
    int func_keyword;    /* register: atexit.register(func=REF) */
    int first_instance;  /* atexit functions: called on the module imported first */
    int has_cause;       /* raise: __cause__ set first: */
    const char *cause;   /*   its type, or NULL for None (raise ... from None) */
    int has_cause_arg;
    value cause_arg;     /* raise's child: the during step, whose exception is handled */
} step;

typedef struct steps {
    step *items;
    size_t count;
} steps;

typedef enum handler_kind { KIND_FUNCTION, KIND_METHOD, KIND_CALLABLE_OBJECT, KIND_BUILTIN } handler_kind;

typedef struct handler {
    const char *name;
    handler_kind kind;
    steps body;
    int has_eq;
    steps eq;
    const char *cls;       /* method */
    const char *builtin;   /* builtin: "print", "int", "len", "sys.exit", "list.append" */
    size_t bound_list;     /* list.append: the named list it appends to */
    int quiet;             /* logs no call or eq event */
    int repr_raises;       /* callable object: its class's __repr__ raises */
    int has_params;        /* a fixed signature (else *args, **kwargs) */
    const char **params;   /* its names, self not included */
    value *defaults;       /* the defaults of the last ndefaults params */
    size_t nparams, ndefaults;
    const char *varargs;   /* *NAME, or NULL */
    const char *varkw;     /* **NAME, or NULL */
} handler;

typedef struct object_decl {
    const char *name;
    const char *cls;
} object_decl;

typedef struct exception_decl {
    const char *name; /* a class of the program's main module */
    const char *base; /* the builtin exception it derives from */
    int str_raises;   /* its __str__ raises */
} exception_decl;

typedef struct case_file {
    struct arena *mem; /* owns everything below */
    const char *path;
    const char *id;
    const char *description;
    const char *exit_path;
    exception_decl *exceptions;
    size_t nexceptions;
    value *lists;          /* each named list's initial items (a VALUE_LIST) */
    size_t nlists;
    object_decl *objects;
    size_t nobjects;
    handler *handlers;
    size_t nhandlers;
    steps module; /* run at import: again in spawn and forkserver children */
    steps main;
} case_file;

/* Frees what canonical_read (canonical.h) made. */
void case_free(case_file *c);

#endif
