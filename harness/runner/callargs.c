/* callargs.c - binding a call's arguments to a function's parameters, CPython's way. */
#include "callargs.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#define NONE ((size_t)-1) /* no such parameter, keyword or suggestion */

/* 3.13's suggestions for a mistyped keyword (Python/suggestions.c, gh-107944): an
 * edit distance over UTF-8 bytes where an insertion, a deletion or a substitution
 * costs MOVE_COST and an ASCII case flip CASE_COST. */
#define MOVE_COST 2
#define CASE_COST 1
#define MAX_STRING_SIZE 40 /* longer, once common affixes are trimmed: never close */
#define MAX_CANDIDATES 750 /* a function with this many parameters suggests nothing */

static size_t param_index(const callargs_signature *sig, const char *name)
{
    size_t i;
    for (i = 0; i < sig->nparams; i++)
        if (strcmp(sig->params[i], name) == 0)
            return i;
    return NONE;
}

/* The keyword of call naming parameter i, or NONE. */
static size_t keyword_for(const callargs_signature *sig, const callargs_call *call, size_t i)
{
    size_t j;
    for (j = 0; j < call->nkeywords; j++)
        if (strcmp(call->keywords[j], sig->params[i]) == 0)
            return j;
    return NONE;
}

/* Whether sig and call are what Python source can write (callargs.h, CALLARGS_EINVAL). */
static int valid(const callargs_signature *sig, const callargs_call *call,
                 callargs_style style, const int *bound)
{
    size_t i, j;
    if (sig == NULL || call == NULL || sig->name == NULL || sig->qualname == NULL
        || (sig->nparams > 0 && (sig->params == NULL || bound == NULL))
        || sig->ndefaults > sig->nparams || sig->nparams > INT_MAX
        || (call->nkeywords > 0 && call->keywords == NULL)
        || call->npositional > INT_MAX || call->nkeywords > INT_MAX - 2
        || (style != CALLARGS_PY2 && style != CALLARGS_PY3
            && style != CALLARGS_PY3_QUALIFIED && style != CALLARGS_PY3_SUGGESTING))
        return 0;
    for (i = 0; i < sig->nparams; i++) /* "duplicate argument" is a SyntaxError */
        if (sig->params[i] == NULL || param_index(sig, sig->params[i]) != i)
            return 0;
    for (i = 0; i < call->nkeywords; i++) { /* so is "keyword argument repeated" */
        if (call->keywords[i] == NULL)
            return 0;
        for (j = 0; j < i; j++)
            if (strcmp(call->keywords[i], call->keywords[j]) == 0)
                return 0;
    }
    return 1;
}

static size_t substitution_cost(char a, char b)
{
    if (a == b)
        return 0;
    if (a >= 'A' && a <= 'Z')
        a = (char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z')
        b = (char)(b - 'A' + 'a');
    return a == b ? CASE_COST : MOVE_COST;
}

/* The distance between a and b, or more than limit when they are not within it. */
static size_t distance(const char *a, size_t alen, const char *b, size_t blen, size_t limit)
{
    size_t row[MAX_STRING_SIZE + 1], i, k;
    while (alen > 0 && blen > 0 && a[0] == b[0])
        a++, b++, alen--, blen--;
    while (alen > 0 && blen > 0 && a[alen - 1] == b[blen - 1])
        alen--, blen--;
    if (alen == 0 || blen == 0)
        return (alen + blen) * MOVE_COST;
    if (alen > MAX_STRING_SIZE || blen > MAX_STRING_SIZE)
        return limit + 1;
    /* row[i]: the cost of turning b[:k] into a[:i], one row of the matrix per k */
    for (i = 0; i <= alen; i++)
        row[i] = i * MOVE_COST;
    for (k = 0; k < blen; k++) {
        size_t diagonal = row[0];
        row[0] = (k + 1) * MOVE_COST;
        for (i = 1; i <= alen; i++) {
            size_t best = diagonal + substitution_cost(b[k], a[i - 1]);
            diagonal = row[i];
            if (row[i] + MOVE_COST < best)
                best = row[i] + MOVE_COST;
            if (row[i - 1] + MOVE_COST < best)
                best = row[i - 1] + MOVE_COST;
            row[i] = best;
        }
    }
    return row[alen];
}

/* The parameter 3.13 suggests for the unexpected keyword name, or NONE: the first of
 * the closest, where close means within a third of both names' bytes. */
static size_t suggestion(const callargs_signature *sig, const char *name)
{
    size_t best = NONE, best_distance = SIZE_MAX, i, len = strlen(name);
    if (sig->nparams >= MAX_CANDIDATES)
        return NONE;
    for (i = 0; i < sig->nparams; i++) {
        size_t plen = strlen(sig->params[i]), limit = (len + plen + 3) * MOVE_COST / 6, d;
        if (best != NONE && limit > best_distance - 1)
            limit = best_distance - 1; /* a tie keeps the earlier parameter */
        d = distance(name, len, sig->params[i], plen, limit);
        if (d <= limit)
            best = i, best_distance = d;
    }
    return best;
}

/* Appends repr(name) of an identifier in 3.x: quoted, ZWNJ and ZWJ escaped (3.13,
 * Unicode 15.1, lets them continue an identifier; they are the only characters of
 * identifiers that are not printable, in any of 3.6-3.13). */
static void add_repr(text *out, const char *name)
{
    text_add(out, "'");
    for (; *name; name++)
        if (name[0] == '\xe2' && name[1] == '\x80' && (name[2] == '\x8c' || name[2] == '\x8d')) {
            text_add(out, name[2] == '\x8c' ? "\\u200c" : "\\u200d");
            name += 2;
        } else {
            text_addn(out, name, 1);
        }
    text_add(out, "'");
}

/* 3.x (Python/ceval.c: the keyword loop, too_many_positional, missing_arguments):
 * keywords are bound first, in call order, then positional arguments are counted,
 * then required parameters checked. Returns 1, with the TypeError in out, when the
 * call does not fit. */
static int check_py3(const callargs_signature *sig, const callargs_call *call,
                     callargs_style style, text *out)
{
    const char *fn = style == CALLARGS_PY3 ? sig->name : sig->qualname;
    size_t required = sig->nparams - sig->ndefaults, given = call->npositional;
    size_t i, j, missing = 0, listed = 0;
    for (j = 0; j < call->nkeywords; j++) {
        const char *keyword = call->keywords[j];
        size_t p = param_index(sig, keyword);
        if (p == NONE && !sig->varkw) {
            size_t s = style == CALLARGS_PY3_SUGGESTING ? suggestion(sig, keyword) : NONE;
            text_addf(out, "%s() got an unexpected keyword argument '%s'", fn, keyword);
            if (s != NONE)
                text_addf(out, ". Did you mean '%s'?", sig->params[s]);
            return 1;
        }
        if (p != NONE && p < given) {
            text_addf(out, "%s() got multiple values for argument '%s'", fn, keyword);
            return 1;
        }
    }
    if (given > sig->nparams && !sig->varargs) { /* too_many_positional */
        if (sig->ndefaults > 0)
            text_addf(out, "%s() takes from %zu to %zu positional arguments", fn, required,
                      sig->nparams);
        else
            text_addf(out, "%s() takes %zu positional argument%s", fn, sig->nparams,
                      sig->nparams == 1 ? "" : "s");
        text_addf(out, " but %zu %s given", given, given == 1 ? "was" : "were");
        return 1;
    }
    for (i = given; i < required; i++)
        missing += keyword_for(sig, call, i) == NONE;
    if (missing == 0)
        return 0;
    /* missing_arguments: "'a'", "'a' and 'b'", "'a', 'b', and 'c'" */
    text_addf(out, "%s() missing %zu required positional argument%s: ", fn, missing,
              missing == 1 ? "" : "s");
    for (i = given; i < required; i++) {
        if (keyword_for(sig, call, i) != NONE)
            continue;
        if (listed > 0)
            text_add(out, missing == 2 ? " and " : listed == missing - 1 ? ", and " : ", ");
        add_repr(out, sig->params[i]);
        listed++;
    }
    return 1;
}

/* 2.7 (Python/ceval.c, PyEval_EvalCodeEx): too many positional arguments first, then
 * keywords in call order, then required parameters; names cut to 200 bytes, keywords
 * to 400. Returns 1, with the TypeError in out, when the call does not fit. */
static int check_py2(const callargs_signature *sig, const callargs_call *call, text *out)
{
    size_t required = sig->nparams - sig->ndefaults, given = call->npositional;
    size_t i, j, filled;
    if (sig->nparams == 0 && !sig->varargs && !sig->varkw) {
        if (given + call->nkeywords == 0)
            return 0;
        text_addf(out, "%.200s() takes no arguments (%zu given)", sig->name,
                  given + call->nkeywords);
        return 1;
    }
    if (given > sig->nparams && !sig->varargs) { /* given counts every keyword too */
        text_addf(out, "%.200s() takes %s %zu argument%s (%zu given)", sig->name,
                  sig->ndefaults > 0 ? "at most" : "exactly", sig->nparams,
                  sig->nparams == 1 ? "" : "s", given + call->nkeywords);
        return 1;
    }
    filled = given < sig->nparams ? given : sig->nparams;
    for (j = 0; j < call->nkeywords; j++) {
        size_t p = param_index(sig, call->keywords[j]);
        if (p == NONE && !sig->varkw) {
            text_addf(out, "%.200s() got an unexpected keyword argument '%.400s'", sig->name,
                      call->keywords[j]);
            return 1;
        }
        if (p != NONE && p < given) {
            text_addf(out, "%.200s() got multiple values for keyword argument '%.400s'",
                      sig->name, call->keywords[j]);
            return 1;
        }
        filled += p != NONE;
    }
    for (i = given; i < required; i++)
        if (keyword_for(sig, call, i) == NONE) { /* given: the parameters filled */
            text_addf(out, "%.200s() takes %s %zu argument%s (%zu given)", sig->name,
                      sig->varargs || sig->ndefaults > 0 ? "at least" : "exactly",
                      required, required == 1 ? "" : "s", filled);
            return 1;
        }
    return 0;
}

int callargs_bind(const callargs_signature *sig, const callargs_call *call,
                  callargs_style style, int *bound, text *message)
{
    text scratch = {NULL, 0, 0};
    text *out = message != NULL ? message : &scratch;
    size_t i, j;
    int failed;
    if (!valid(sig, call, style, bound))
        return CALLARGS_EINVAL;
    failed = style == CALLARGS_PY2 ? check_py2(sig, call, out)
                                   : check_py3(sig, call, style, out);
    text_free(&scratch);
    if (failed)
        return CALLARGS_ETYPE;
    for (i = 0; i < sig->nparams; i++) {
        if (i < call->npositional)
            bound[i] = (int)i;
        else if ((j = keyword_for(sig, call, i)) != NONE)
            bound[i] = CALLARGS_KEYWORD(j);
        else
            bound[i] = CALLARGS_DEFAULT;
    }
    return CALLARGS_OK;
}
