/* atx.h - libatx: Python's atexit semantics for C programs (public API). */
#ifndef ATX_H
#define ATX_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Errors. Every function that can fail returns 0 or a negative ATX_E* code.
 * One table generates the codes, atx_strerror() and atx_err_name().
 * ------------------------------------------------------------------------ */
#define ATX_ERRNO_MAP(X)                                                       \
    X(NOMEM, -1, "out of memory")                                              \
    X(INVAL, -2, "invalid argument")                                           \
    X(NOTCALLABLE, -3, "the first argument must be callable")                  \
    X(RAISED, -4, "user code failed; the failure is handed to the caller")     \
    X(NOSYS, -5, "not provided by the registry's profile")                     \
    X(EXISTS, -6, "keyword argument given twice")

typedef enum atx_errno {
#define ATX_ERRNO_ENUM(name, value, text) ATX_E##name = (value),
    ATX_ERRNO_MAP(ATX_ERRNO_ENUM)
#undef ATX_ERRNO_ENUM
    ATX_OK = 0
} atx_errno;

/* The message for an ATX_E* code ("unknown error" for anything else). */
const char *atx_strerror(int err);
/* The symbolic name of an ATX_E* code, e.g. "ATX_ENOMEM" ("ATX_UNKNOWN" otherwise). */
const char *atx_err_name(int err);

/* ------------------------------------------------------------------------
 * Allocator. Every allocation libatx makes goes through one of these, so
 * tests can fail each allocation in turn. NULL anywhere means the C library.
 * ------------------------------------------------------------------------ */
typedef struct atx_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void *(*resize)(void *ctx, void *ptr, size_t size);
    void (*release)(void *ctx, void *ptr);
    void *ctx;
} atx_allocator;

/* ------------------------------------------------------------------------
 * Failures: the C model of a Python exception raised by user code (a
 * handler or an equality hook). User code creates them; libatx reports,
 * keeps or frees them and never looks inside beyond these fields.
 * ------------------------------------------------------------------------ */
enum atx_failure_flags {
    ATX_FAILURE_EXIT = 1u << 0,         /* a SystemExit: some eras do not report it */
    ATX_FAILURE_NO_TRACEBACK = 1u << 1, /* raised with no Python frame: no "Traceback" line */
    ATX_FAILURE_EXIT_PRINTS = 1u << 2,  /* a SystemExit whose code is not an integer: ending
                                           the process prints its message first
                                           (atx_failure_exit_status) */
    ATX_FAILURE_CAUSE = 1u << 3         /* chained is its __cause__ (raise ... from ...),
                                           else its __context__ */
};

typedef struct atx_failure atx_failure;
struct atx_failure {
    const char *type;    /* exception type name, e.g. "ValueError"; never NULL */
    const char *message; /* str(exception); NULL or "" prints the type alone */
    unsigned flags;      /* ATX_FAILURE_* */
    /* Frees the failure; NULL when it needs no freeing. Called exactly once
     * by whoever owns the failure last (libatx, or the caller it was handed to). */
    void (*release)(atx_failure *self);
    int exit_code;       /* ATX_FAILURE_EXIT: the process status it asks for */
    /* How C code shows it (PyErr_Display, and atexit's own report from 3.0), where
     * that differs from how Python's traceback module does (2.7's atexit report, a
     * thread's): c_type a class of the main module as "__main__.MyError" (up to
     * 3.10), c_message "<exception str() failed>" for an exception whose str()
     * raises. NULL: type, message. */
    const char *c_type;
    const char *c_message;
    /* Python 3's chain: the exception shown before this one, its __cause__
     * (ATX_FAILURE_CAUSE) or the __context__ it was raised while handling (one
     * not suppressed by `from`); NULL for none. Acyclic; owned with the failure
     * (its release frees it), only read by libatx. */
    const atx_failure *chained;
};

/* Hands a failure back: calls its release hook if it has one. NULL is a no-op.
 * Thread-safe as the hook is; may be called from a handler. */
void atx_failure_release(atx_failure *failure);

/* The status a Python process ends with when failure escapes its main (or, in
 * 2.7, sys.exitfunc at shutdown), as CPython's _Py_HandleSystemExit (2.7:
 * handle_system_exit) decides it: a SystemExit (ATX_FAILURE_EXIT) ends it with
 * its exit_code, after its message and a newline are written to out (NULL:
 * stderr) when ATX_FAILURE_EXIT_PRINTS is set; any other failure ends it with
 * 1, writing nothing (its traceback is the caller's to print); NULL (nothing
 * escaped) with 0. out is flushed when written to. failure is borrowed and not
 * released. Thread-safe for distinct outs; may be called from a handler. */
int atx_failure_exit_status(const atx_failure *failure, FILE *out);

/* ------------------------------------------------------------------------
 * Argument packs: the positional and keyword arguments a handler is called
 * with. Values are opaque to libatx; each carries the function that frees it.
 * ------------------------------------------------------------------------ */
typedef struct atx_args atx_args;
typedef void (*atx_value_release)(void *value);

/* Creates an empty pack. allocator may be NULL (the C library); it is copied.
 * Returns 0, ATX_EINVAL (out is NULL) or ATX_ENOMEM. On error *out is untouched. */
int atx_args_new(const atx_allocator *allocator, atx_args **out);
/* Frees the pack, its keyword names and, through their release functions,
 * its values. NULL is a no-op. */
void atx_args_free(atx_args *args);
/* Appends a positional value. On success the pack owns value (release may be
 * NULL: the value is borrowed). Returns 0, ATX_EINVAL or ATX_ENOMEM; on error
 * nothing is changed and the caller still owns value. */
int atx_args_push(atx_args *args, void *value, atx_value_release release);
/* Adds a keyword value; keyword is copied. Keyword order is kept.
 * Returns 0, ATX_EINVAL (NULL args or keyword), ATX_EEXISTS (keyword already
 * present) or ATX_ENOMEM; on error nothing is changed and the caller still
 * owns value. */
int atx_args_push_keyword(atx_args *args, const char *keyword, void *value,
                          atx_value_release release);
/* Read access. Counts of NULL are 0; an index out of range gives NULL. */
size_t atx_args_positional_count(const atx_args *args);
void *atx_args_positional(const atx_args *args, size_t index);
size_t atx_args_keyword_count(const atx_args *args);
const char *atx_args_keyword_name(const atx_args *args, size_t index);
void *atx_args_keyword_value(const atx_args *args, size_t index);

/* ------------------------------------------------------------------------
 * Callables: the C model of a Python callable object. A callable is any
 * struct whose first member is an atx_callable; its identity is its address.
 * ------------------------------------------------------------------------ */
typedef struct atx_callable atx_callable;

/* Results of an equality hook besides a negative failure. */
enum atx_equality { ATX_NOT_EQUAL = 0, ATX_EQUAL = 1, ATX_NOT_IMPLEMENTED = 2 };

typedef struct atx_callable_type {
    /* Python's type name, used in "'int' object is not callable". Never NULL. */
    const char *name;
    /* Calls self. args is NULL when the handler has no arguments. Returns 0,
     * or a non-zero value after storing a failure it created in *failure
     * (ownership passes to the caller). NULL means "not callable". */
    int (*call)(atx_callable *self, const atx_args *args, atx_failure **failure);
    /* Python's __eq__: compares self with other and returns ATX_EQUAL,
     * ATX_NOT_EQUAL or ATX_NOT_IMPLEMENTED, or a negative value after storing
     * a failure in *failure. Optional (NULL behaves as ATX_NOT_IMPLEMENTED).
     * It may call back into the registry (it is never called with a lock held). */
    int (*equal)(atx_callable *self, atx_callable *other, atx_failure **failure);
    /* Python's repr(): writes at most size bytes including the NUL, like
     * snprintf, and returns the length it needed, or a negative value when
     * repr() raises (a report then shows what CPython shows). Optional. */
    int (*repr)(const atx_callable *self, char *buf, size_t size);
} atx_callable_type;

struct atx_callable {
    const atx_callable_type *type;
};

/* Python's `a == b` as unregister() evaluates it (PyObject_RichCompareBool):
 * identity first; then a's hook with (a, b); if that is not implemented,
 * b's hook with (b, a); if neither decides, not equal. Returns ATX_EQUAL,
 * ATX_NOT_EQUAL, or ATX_ERAISED with the hook's failure in *failure. */
int atx_callable_equal(atx_callable *a, atx_callable *b, atx_failure **failure);

/* repr(callable) into buf (like snprintf); a callable without a repr hook
 * gives "<NAME object at 0xADDRESS>". Returns the length it needed, or the
 * hook's negative value when its repr() raised (buf then holds ""). */
int atx_callable_repr(const atx_callable *callable, char *buf, size_t size);

/* ------------------------------------------------------------------------
 * Profiles: one table of behaviour switches per CPython era. Each switch is
 * named after what it changes; presets are looked up by version.
 * ------------------------------------------------------------------------ */
typedef enum atx_report_header {
    ATX_HEADER_ERROR_IN_RUN,    /* "Error in atexit._run_exitfuncs:" (2.7, 3.0-3.9) */
    ATX_HEADER_IGNORED_COLON,   /* "Exception ignored in atexit callback: REPR" (3.10-3.12);
                                   "<object repr() failed>" when repr() raises */
    ATX_HEADER_IGNORED_TRAILING /* "Exception ignored in atexit callback REPR:" (3.13+); no
                                   header line at all when repr() raises */
} atx_report_header;

typedef enum atx_run_order {
    /* 3.x: visit the slots that existed when the run started, last first,
     * skipping emptied ones; then clear. A handler registered during the run
     * lands after them and is dropped, unless a clear emptied the table and
     * it landed in a slot the run has yet to reach. */
    ATX_RUN_SLOTS,
    /* 2.7 (Lib/atexit.py): pop the last handler until none is left, so a
     * handler registered during the run runs too. */
    ATX_RUN_POP,
    /* 3.14: call a copy of the list, newest first, then clear: a handler
     * unregistered or cleared during the run is still called, one registered
     * during the run is dropped. */
    ATX_RUN_COPY
} atx_run_order;

/* Every switch changes what libatx does; what the interpreter around it does
 * (exit statuses of KeyboardInterrupt, multiprocessing's start methods, error
 * messages) is the caller's. A preset is const; a caller may copy one and
 * change a switch (the tests flip one at a time). */
typedef struct atx_profile {
    const char *name;                /* the preset's own name, e.g. "3.10-3.12": versions
                                        sharing a preset share it, and no two presets
                                        have the same */
    int check_callable;              /* register() rejects non-callables (3.x) */
    int has_unregister;              /* atexit.unregister exists (3.x) */
    int has_ncallbacks;              /* atexit._ncallbacks exists (3.x) */
    int has_clear;                   /* atexit._clear exists (3.x) */
    int reraise_last;                /* a run hands back the last failure (2.7-3.9) */
    int report_exit;                 /* a SystemExit in a handler is reported (3.10+) */
    atx_report_header header;        /* first line of a failure report */
    int colon_on_empty_message;      /* "Type: " even when str(exc) is empty: the
                                        unraisable hook's format (3.10+) */
    int report_chains;               /* a report shows the exception's chain (3.0-3.9:
                                        PyErr_Display); the unraisable hook's default
                                        shows the last exception alone (3.10+) */
    atx_run_order run_order;
    int traceback_always;            /* every failure has a Python frame: the run loop
                                        itself is Python code (2.7's Lib/atexit.py) */
    int shutdown_reraise;            /* the failure a shutdown run hands back is raised
                                        again by sys.exitfunc (2.7): reported under
                                        "Error in sys.exitfunc:", or, a SystemExit, it
                                        ends the process with its status */
    int unregister_newest_first;     /* unregister scans newest first and removes what
                                        matches at once, _ncallbacks counting only live
                                        handlers (3.14's list); else oldest first, leaving
                                        emptied slots that _ncallbacks counts (3.0-3.13) */
    int compare_argument_first;      /* unregister evaluates func == entry, func's hook
                                        asked first (3.14), else entry == func
                                        (3.0-3.13), in either scan direction */
    int child_runs_handlers;         /* a multiprocessing child started by fork or
                                        forkserver empties the registry it starts with and
                                        runs the handlers registered in it before it
                                        _exits (3.13+, gh-83856); before, it _exits
                                        without running any */
} atx_profile;

/* The preset for a CPython version "X.Y" or "X.Y.Z" (decimal parts; any X.Y of
 * a known era: 2.7, 3.0-3.14), or NULL for anything else, NULL included. The
 * preset is static and never freed. Thread-safe; may be called from a handler. */
const atx_profile *atx_profile_find(const char *version);
/* The profile used when none is given: the preset of CPython 3.11 (the same
 * pointer as atx_profile_find("3.11")). Thread-safe; may be called from a handler. */
const atx_profile *atx_profile_default(void);

/* ------------------------------------------------------------------------
 * Reporting: where failures of handlers go during a run.
 * ------------------------------------------------------------------------ */
typedef void (*atx_reporter)(void *ctx, const atx_profile *profile,
                             const atx_callable *callable, const atx_failure *failure);

/* The default reporter: writes the report CPython writes, for the profile,
 * to ctx (a FILE *; NULL means stderr) and flushes it. The failure and
 * callable are borrowed. callable is NULL for a failure of the run itself
 * (3.14, out of memory: "Exception ignored while copying atexit callbacks"). */
void atx_report_default(void *ctx, const atx_profile *profile,
                        const atx_callable *callable, const atx_failure *failure);

/* How atx_print_exception shows a failure. */
enum atx_print_flags {
    ATX_PRINT_C_VIEW = 1u << 0,          /* as C code (PyErr_Display): c_type, c_message */
    ATX_PRINT_TRACEBACK_ALWAYS = 1u << 1, /* a "Traceback" line whatever its flags (it went
                                            through Python code: 2.7's Lib/atexit.py) */
    ATX_PRINT_COLON_ON_EMPTY = 1u << 2,  /* "Type: " for an empty message (3.10+'s
                                            unraisable hook) */
    ATX_PRINT_CHAIN = 1u << 3            /* its chain first, innermost first, each followed
                                            by Python 3's line saying how they are linked */
};

/* Python's display of an exception: "Traceback (most recent call last):" unless
 * the failure has no frame (ATX_FAILURE_NO_TRACEBACK), then "Type: message" or
 * "Type"; with ATX_PRINT_CHAIN each chained exception before it the same way,
 * followed by a blank line, "The above exception was the direct cause of the
 * following exception:" or "During handling of the above exception, another
 * exception occurred:", and a blank line. how is ATX_PRINT_* flags. Written to
 * out (NULL: stderr). The failure is borrowed. Thread-safe for distinct outs. */
void atx_print_exception(FILE *out, const atx_failure *failure, unsigned how);

/* What follows a report's header: atx_print_exception as atexit's report shows it,
 * by Python's traceback module on 2.7 (type, message, always a "Traceback" line),
 * by C code from 3.0 (c_type and c_message where set), with the chain where the
 * profile's report_chains says. Written to out (NULL: stderr). The failure is
 * borrowed. Thread-safe for distinct outs. */
void atx_report_exception(FILE *out, const atx_profile *profile, const atx_failure *failure);

/* ------------------------------------------------------------------------
 * Registries. libatx never calls a handler, an equality hook, the reporter or
 * a value's release function with a registry's lock held, so they may call
 * back into the registry.
 * ------------------------------------------------------------------------ */
typedef struct atx_registry atx_registry;

typedef struct atx_registry_options {
    const atx_allocator *allocator; /* copied; NULL: the C library */
    const atx_profile *profile;     /* borrowed, must outlive the registry; NULL: default */
    atx_reporter reporter;          /* NULL: atx_report_default */
    void *reporter_ctx;             /* passed to reporter */
} atx_registry_options;

/* Creates an empty registry. options may be NULL (all defaults).
 * Returns 0, ATX_EINVAL (out is NULL) or ATX_ENOMEM; on error *out is untouched.
 * Thread-safe. */
int atx_registry_new(const atx_registry_options *options, atx_registry **out);
/* Frees the registry and everything it owns without running a handler.
 * NULL is a no-op. Not thread-safe: must not be called while another thread
 * uses the registry, nor from one of its handlers or equality hooks. */
void atx_registry_free(atx_registry *registry);
/* The registry's profile (borrowed). Thread-safe; may be called from a handler. */
const atx_profile *atx_registry_profile(const atx_registry *registry);

/* Python's atexit.register(func, *args, **kwargs). callable is borrowed and
 * must stay valid while registered; args (NULL: none) is owned by the
 * registry on success and freed when its entry is unregistered, cleared, run
 * or the registry is freed. Duplicates are allowed. On success stores
 * callable in *returned (Python returns func, so it works as a decorator;
 * returned may be NULL).
 * Returns 0, ATX_EINVAL, ATX_ENOTCALLABLE (profile checks callables and the
 * type has no call) or ATX_ENOMEM. On error nothing is changed: the caller
 * still owns args and the handler is never called. Thread-safe; may be called
 * from a handler (what a run then does with the new entry is the profile's
 * run_order) or an equality hook. */
int atx_register(atx_registry *registry, atx_callable *callable, atx_args *args,
                 atx_callable **returned);

/* Python's atexit.unregister(func): compares every handler with func and
 * removes each that is equal, freeing its args. The profile decides the scan
 * and the comparison separately: unregister_newest_first (3.14) scans newest
 * first and removes a match at once, else (3.0-3.13) oldest first, emptying a
 * match's slot; compare_argument_first (3.14) compares
 * atx_callable_equal(callable, entry), else (3.0-3.13)
 * atx_callable_equal(entry, callable). Unregistering what is not registered is
 * no error.
 * Returns 0, ATX_EINVAL, ATX_ENOSYS (profile has no unregister), or
 * ATX_ERAISED with the equality hook's failure in *failure (the caller owns
 * it). Unlike the other calls, a failed unregister is not atomic, exactly as
 * in CPython 3.x (clause unregister.eq-raises): slots emptied before the
 * failing comparison stay empty. Thread-safe; may be called from a handler
 * or an equality hook (a hook that registers shifts 3.14's list under the scan,
 * as in CPython). */
int atx_unregister(atx_registry *registry, atx_callable *callable, atx_failure **failure);

/* Runs the handlers (Python's atexit._run_exitfuncs()) in the profile's
 * order, last registered first; a failing handler does not stop the others,
 * each failure goes to the reporter (a SystemExit only if the profile
 * reports it). Afterwards the registry is empty.
 * Returns 0; or, when the profile re-raises (2.7-3.9) and a handler failed,
 * ATX_ERAISED with the last failure in *failure (the caller owns it; with
 * failure NULL it is freed). Returns ATX_EINVAL for a NULL registry.
 * Thread-safe; may be called from a handler (a nested run calls what the outer
 * one has yet to reach, then empties the registry). */
int atx_run(atx_registry *registry, atx_failure **failure);

/* Python's atexit._clear(): empties the registry, freeing every entry's
 * args. Returns 0, ATX_EINVAL, or ATX_ENOSYS (profile has no _clear).
 * Thread-safe; may be called from a handler or an equality hook. */
int atx_clear(atx_registry *registry);

/* Empties the registry as atx_clear does, in every profile: 2.7's reload(atexit)
 * (`_exithandlers = []`: a run under way then finds only what is registered
 * afterwards). Returns 0 or ATX_EINVAL. Thread-safe, as atx_clear. */
int atx_discard_all(atx_registry *registry);

/* Python's atexit._ncallbacks(): the number of slots in use, counting slots
 * emptied by unregister since the last clear or run (3.0-3.13; 3.14 removes
 * them, so only live handlers count: the profile's unregister_newest_first).
 * Returns 0, ATX_EINVAL or ATX_ENOSYS; the number goes to *count (untouched
 * on error). Thread-safe; may be called from a handler or an equality hook. */
int atx_ncallbacks(const atx_registry *registry, size_t *count);

/* The number of handlers that would run now. 0 for NULL. Thread-safe; may be
 * called from a handler or an equality hook. */
size_t atx_count(const atx_registry *registry);

/* The process layer (the real end of a C process) is declared in atx_process.h. */
#ifdef __cplusplus
}
#endif

#include "atx_process.h"

#endif /* ATX_H */
