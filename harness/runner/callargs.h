/* callargs.h - binding a call's arguments to a Python function's parameters, and the
 * TypeError each CPython version raises when they do not fit. */
#ifndef RUNNER_CALLARGS_H
#define RUNNER_CALLARGS_H

#include <stddef.h>

#include "text.h"

/* How a CPython version checks a call and words its TypeError. */
typedef enum callargs_style {
    CALLARGS_PY2,            /* 2.7: counts before keywords, "takes exactly 2 arguments
                                (3 given)", the function named by co_name */
    CALLARGS_PY3,            /* 3.6-3.9: keywords first, "takes 2 positional arguments
                                but 3 were given", named by co_name ("close") */
    CALLARGS_PY3_QUALIFIED,  /* 3.10-3.12: named by __qualname__ ("Box.close") */
    CALLARGS_PY3_SUGGESTING  /* 3.13+: qualified, and an unexpected keyword close to a
                                parameter's name ends ". Did you mean 'alpha'?" */
} callargs_style;

/* Each version's style is a fact of its era (pyversion.h's call_style). */

/* A function's parameters: positional-or-keyword ones, then optionally *rest and **kw
 * (no keyword-only or positional-only parameters). Names are Python identifiers, in
 * UTF-8, as the compiler stores them (NFKC-normalised). Everything is borrowed. */
typedef struct callargs_signature {
    const char *name;          /* co_name, e.g. "close" */
    const char *qualname;      /* __qualname__, e.g. "Box.close" */
    const char *const *params; /* positional-or-keyword parameters, "self" first for a
                                  method */
    size_t nparams;
    size_t ndefaults;          /* how many of the last params have defaults */
    int varargs, varkw;        /* has *rest, has **kw */
} callargs_signature;

/* A call as Python source writes it: positional arguments, then keyword arguments.
 * For a bound method, self is the first positional argument. Borrowed. */
typedef struct callargs_call {
    size_t npositional;          /* arguments given by position, self included */
    const char *const *keywords; /* keyword names, in call order, all distinct */
    size_t nkeywords;
} callargs_call;

/* What fills a parameter in callargs_bind's bound[]: a positional index (>= 0), or: */
#define CALLARGS_DEFAULT (-1)                       /* its default value */
#define CALLARGS_KEYWORD(j) (-2 - (int)(j))         /* keyword j of the call */
#define CALLARGS_IS_KEYWORD(b) ((b) <= -2)
#define CALLARGS_KEYWORD_INDEX(b) ((size_t)(-2 - (b))) /* j, from CALLARGS_KEYWORD(j) */

/* callargs_bind's results. */
#define CALLARGS_OK 0
#define CALLARGS_ETYPE (-1)  /* the call does not fit: CPython raises TypeError */
#define CALLARGS_EINVAL (-2) /* not a call Python source can make, or a bad argument:
                                sig or call NULL, a NULL name, ndefaults > nparams, a
                                keyword given twice (a SyntaxError in source), counts
                                beyond INT_MAX */

/* Binds call to sig as CPython's style does. On success returns CALLARGS_OK and
 * stores, for each parameter i < sig->nparams, bound[i]: the positional index that
 * fills it, CALLARGS_KEYWORD(j) for keyword j, or CALLARGS_DEFAULT; positional
 * arguments from sig->nparams on go to *rest, keywords that no parameter takes go to
 * **kw (their j appears nowhere in bound); message is untouched. When the call does
 * not fit, returns CALLARGS_ETYPE and appends to message (when not NULL) the
 * TypeError's text exactly as that version words it, without "TypeError: ", e.g.
 * "Box.close() missing 1 required positional argument: 'b'"; bound is untouched.
 * Returns CALLARGS_EINVAL changing nothing. bound has room for sig->nparams ints
 * (NULL when 0); sig, call and their strings are borrowed. Exits the process when
 * memory runs out (text.h). No state: thread-safe for distinct messages, re-entrant. */
int callargs_bind(const callargs_signature *sig, const callargs_call *call,
                  callargs_style style, int *bound, text *message);

#endif
