/* signature.c - binding a call to a handler's fixed signature, with callargs.c's rules. */
#include "signature.h"

#include <stdlib.h>

#include "callargs.h"
#include "pyvalue.h"
#include "runtime.h"

static void push(atx_args *pack, const char *key, const value *v)
{
    int err = key == NULL ? atx_args_push(pack, value_copy(v), value_free)
                          : atx_args_push_keyword(pack, key, value_copy(v), value_free);
    if (err != 0)
        exit(70); /* out of memory: the runner cannot go on */
}

pyexc *signature_bind(const handler *h, const char *name, const char *qualname, int has_self,
                      const atx_args *args, atx_args **bound)
{
    size_t self = has_self ? 1u : 0u, npos = atx_args_positional_count(args);
    size_t nkw = atx_args_keyword_count(args), n = self + h->nparams, i;
    const char **names = calloc(n + 1, sizeof *names);
    const char **keywords = calloc(nkw + 1, sizeof *keywords);
    char *used = calloc(nkw + 1, 1);
    int *slots = calloc(n + 1, sizeof *slots);
    callargs_signature sig;
    callargs_call call;
    text message = {NULL, 0, 0};
    atx_args *pack = NULL;
    pyexc *raised = NULL;
    if (names == NULL || keywords == NULL || used == NULL || slots == NULL
        || atx_args_new(NULL, &pack) != 0)
        exit(70);
    names[0] = "self";
    for (i = 0; i < h->nparams; i++)
        names[self + i] = h->params[i];
    for (i = 0; i < nkw; i++)
        keywords[i] = atx_args_keyword_name(args, i);
    sig = (callargs_signature){.name = name, .qualname = qualname, .params = names,
                               .nparams = n, .ndefaults = h->ndefaults,
                               .varargs = h->varargs != NULL, .varkw = h->varkw != NULL};
    call = (callargs_call){.npositional = self + npos, .keywords = keywords, .nkeywords = nkw};
    if (callargs_bind(&sig, &call, rt.py->call_style, slots, &message)
        != CALLARGS_OK) {
        raised = exc_new("TypeError", text_str(&message), ATX_FAILURE_NO_TRACEBACK);
        atx_args_free(pack);
    } else {
        for (i = self; i < n; i++) { /* a parameter: a positional, a keyword, its default */
            int slot = slots[i];
            if (CALLARGS_IS_KEYWORD(slot))
                used[CALLARGS_KEYWORD_INDEX(slot)] = 1;
            push(pack, NULL, slot == CALLARGS_DEFAULT
                 ? &h->defaults[h->ndefaults - (n - i)]
                 : CALLARGS_IS_KEYWORD(slot)
                 ? atx_args_keyword_value(args, CALLARGS_KEYWORD_INDEX(slot))
                 : atx_args_positional(args, (size_t)slot - self));
        }
        for (i = h->nparams; i < npos; i++) /* *REST */
            push(pack, NULL, atx_args_positional(args, i));
        for (i = 0; i < nkw; i++) /* **KW, in call order */
            if (!used[i])
                push(pack, keywords[i], atx_args_keyword_value(args, i));
        *bound = pack;
    }
    text_free(&message);
    free(names);
    free(keywords);
    free(used);
    free(slots);
    return raised;
}
