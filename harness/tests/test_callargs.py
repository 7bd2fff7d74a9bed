"""harness/runner/callargs.c against the real interpreters: how every CPython found binds a
call's arguments to a function's parameters, and the TypeError it raises when they do not
fit. Nothing expected is written here: every answer comes from an interpreter."""
import itertools
import json
import keyword
import os
import random
import subprocess
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple

import pytest

from harness.tests.support import REPO
from oracle import interpreters

RUNNER_SRC = os.path.join(REPO, "harness", "runner")
WARNINGS = ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Wshadow", "-Wconversion",
            "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wwrite-strings", "-Wvla", "-Werror"]

# Reads one pair a line, tab-separated: "MAJOR MINOR", name, qualname, the parameters
# (space-separated), ndefaults, varargs, varkw, npositional, the keywords (space-separated).
# Answers each as the probe does: "ok CODES|rest=I,J|kw=K,L" (a code per parameter: its
# positional index, Kj for keyword j, D for its default), "TypeError: MESSAGE" or
# "invalid" (CALLARGS_EINVAL). Each is bound twice, once without a message; "BROKEN ..."
# says what a failed or NULL-message call changed that it must not.
DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "callargs.h"
#include "pyversion.h"

#define SENTINEL 12345

/* Splits s at each sep (in place): the pieces, how many in *n (none when s is ""). */
static const char **split(char *s, char sep, size_t *n)
{
    size_t count = *s ? 1 : 0, i;
    const char **out;
    char *p;
    for (p = s; *p; p++)
        count += *p == sep;
    if ((out = malloc(sizeof *out * (count + 1))) == NULL)
        exit(3);
    for (i = 0, p = s; i < count; i++, p++) {
        out[i] = p;
        p += strcspn(p, (char[]){sep, '\0'});
        *p = '\0';
    }
    *n = count;
    return out;
}

/* n ints holding SENTINEL (NULL when n is 0); with touched, whether any does not. */
static int *fresh(size_t n)
{
    int *bound = NULL;
    if (n > 0 && (bound = malloc(sizeof *bound * n)) == NULL)
        exit(3);
    while (n-- > 0)
        bound[n] = SENTINEL;
    return bound;
}

static int touched(const int *bound, size_t n)
{
    while (n > 0 && bound[n - 1] == SENTINEL)
        n--;
    return n > 0;
}

/* The era's style, from the runner's one table of version facts. */
static callargs_style style_of(int major, int minor)
{
    char version[16];
    int found_major, found_minor;
    const pyversion *py;
    snprintf(version, sizeof version, "%d.%d", major, minor);
    if ((py = pyversion_find(version, &found_major, &found_minor)) == NULL)
        exit(5);
    return py->call_style;
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0) {
        callargs_signature sig;
        callargs_call call;
        text msg = {NULL, 0, 0};
        int major, minor, rc, rc_quiet, *bound, *quiet;
        size_t i, j, f, nfields;
        const char **field;
        line[strcspn(line, "\n")] = '\0';
        field = split(line, '\t', &nfields);
        if (nfields != 9 || sscanf(field[0], "%d %d", &major, &minor) != 2)
            exit(4);
        sig.name = field[1], sig.qualname = field[2];
        sig.params = split((char *)field[3], ' ', &sig.nparams);
        sig.ndefaults = strtoul(field[4], NULL, 10);
        sig.varargs = atoi(field[5]), sig.varkw = atoi(field[6]);
        call.npositional = strtoul(field[7], NULL, 10);
        call.keywords = split((char *)field[8], ' ', &call.nkeywords);
        bound = fresh(sig.nparams), quiet = fresh(sig.nparams);
        text_add(&msg, "<");
        rc = callargs_bind(&sig, &call, style_of(major, minor), bound, &msg);
        rc_quiet = callargs_bind(&sig, &call, style_of(major, minor), quiet, NULL);
        if (rc != rc_quiet || (sig.nparams > 0
                               && memcmp(bound, quiet, sizeof *bound * sig.nparams) != 0)) {
            puts("BROKEN: without a message the result differs");
        } else if (rc == CALLARGS_OK) {
            fputs(strcmp(text_str(&msg), "<") == 0 ? "ok" : "BROKEN: a message", stdout);
            for (i = 0; i < sig.nparams; i++) {
                if (bound[i] >= 0)
                    printf(" %d", bound[i]);
                else if (bound[i] == CALLARGS_DEFAULT)
                    fputs(" D", stdout);
                else if (CALLARGS_IS_KEYWORD(bound[i]))
                    printf(" K%zu", CALLARGS_KEYWORD_INDEX(bound[i]));
                else
                    printf(" BROKEN(%d)", bound[i]);
            }
            fputs("|rest=", stdout);
            for (i = sig.nparams; sig.varargs && i < call.npositional; i++)
                printf(i > sig.nparams ? ",%zu" : "%zu", i);
            fputs("|kw=", stdout);
            for (j = 0, f = 0; j < call.nkeywords; j++) {
                for (i = 0; i < sig.nparams && bound[i] != CALLARGS_KEYWORD(j); i++)
                    ;
                if (i == sig.nparams)
                    printf(f++ ? ",%s" : "%s", call.keywords[j]);
            }
            puts("");
        } else if (touched(bound, sig.nparams) || msg.data[0] != '<') {
            puts("BROKEN: a failed bind changed bound or the message's start");
        } else if (rc == CALLARGS_ETYPE) {
            printf("TypeError: %s\n", text_str(&msg) + 1);
        } else if (rc == CALLARGS_EINVAL && strcmp(text_str(&msg), "<") == 0) {
            puts("invalid");
        } else {
            printf("BROKEN: returned %d, message %s\n", rc, text_str(&msg));
        }
        free((void *)field), free((void *)sig.params), free((void *)call.keywords);
        free(bound), free(quiet), text_free(&msg);
    }
    free(line);
    return 0;
}
"""

# Runs unchanged on 2.7 and 3.6+. argv[1]: a JSON list of signatures, each with its calls;
# prints a line per call in the driver's format (**kw's names in call order). A call is
# source, so keywords reach the function in call order (2.7's dicts would not keep it);
# positional argument i is the int i (a bound method's self is index 0), keyword j the
# string "Kj", every default "D". "invalid": the definition or the call is a SyntaxError.
PROBE = r"""
from __future__ import print_function
import json, sys

def lines_of(sig):
    params, method, name = sig["params"], sig["kind"] == "method", sig["name"]
    spelled = [p + "=_D" * (i >= len(params) - sig["ndefaults"]) for i, p in enumerate(params)]
    spelled += ["*_rest"] * sig["varargs"] + ["**_kw"] * sig["varkw"]
    body = "return [%s], %s, %s" % (", ".join(params), "_rest" if sig["varargs"] else "()",
                                    "_kw" if sig["varkw"] else "{}")
    source = "def %s(%s):\n    %s\n" % (name, ", ".join(spelled), body)
    if method:
        source = "class Box(object):\n" + "".join("    %s\n" % l for l in source.splitlines())
    space = {"_D": "D"}
    try:
        exec(compile(source, "<signature>", "exec"), space)
    except SyntaxError:
        return ["invalid"] * len(sig["calls"])
    out = []
    for npositional, keywords in sig["calls"]:
        instance = space["Box"]() if method else None
        callee = getattr(instance, name) if method else space[name]
        args = ["%d" % i for i in range(1 if method else 0, npositional)]
        args += ["%s='K%d'" % (k, j) for j, k in enumerate(keywords)]
        try:
            call = compile("_callee(%s)" % ", ".join(args), "<call>", "eval")
            values, rest, kw = eval(call, {"_callee": callee})
        except SyntaxError:
            out.append("invalid")
            continue
        except TypeError as error:
            out.append("TypeError: %s" % (error,))
            continue
        codes = "".join(" " + ("0" if v is instance else str(v)) for v in values)
        out.append("ok%s|rest=%s|kw=%s" % (codes, ",".join(str(r) for r in rest),
                                           ",".join(k for k in keywords if k in kw)))
    return out

with open(sys.argv[1]) as stream:
    signatures = json.load(stream)
stdout = getattr(sys.stdout, "buffer", sys.stdout)
for sig in signatures:
    for line in lines_of(sig):
        stdout.write((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n")
"""

TARGETS = interpreters.discover()
# 2.7 and 3.x keywords (and 3.7's async, await): not names a call can write
RESERVED = set(keyword.kwlist) | {"exec", "print", "async", "await", "nonlocal"}


def signature(kind: str, params: List[str], ndefaults: int = 0, varargs: int = 0,
              varkw: int = 0, name: str = "", optional: bool = False) -> Dict:
    """A signature without calls; optional: an interpreter may refuse to compile it
    (a name that is not its identifier, more parameters than 255 before 3.7)."""
    name = name or ("close" if kind == "method" else "handler")
    return {"kind": kind, "name": name, "qualname": "Box." + name if kind == "method" else name,
            "params": params, "ndefaults": ndefaults, "varargs": varargs, "varkw": varkw,
            "optional": optional, "calls": []}


def exhaustive() -> List[Dict]:
    """Every shape of 0-3 parameters (a method's self included), 0-2 defaults, with and
    without *rest and **kw, called with 0-4 positional arguments (besides self) and every
    ordered choice of 0-3 distinct keywords among the parameters, "x" and "self"."""
    found = []
    for kind in ("function", "method"):
        own = ["self"] if kind == "method" else []
        for n in range(len(own), 4):
            params = own + ["a", "b", "c"][:n - len(own)]
            pool = params + [k for k in ("x", "self") if k not in params]
            for ndefaults, varargs, varkw in itertools.product(range(min(2, n - len(own)) + 1),
                                                               (0, 1), (0, 1)):
                sig = signature(kind, params, ndefaults, varargs, varkw)
                sig["calls"] = [[len(own) + npositional, list(chosen)]
                                for npositional in range(5) for r in range(4)
                                for chosen in itertools.permutations(pool, r)]
                found.append(sig)
    return found


def near_misses(rng: random.Random, names: List[str], count: int) -> List[str]:
    """Identifiers a few edits (deletion, insertion, substitution, case flip,
    transposition) away from names, none of them one of names."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"
    found: List[str] = []
    while len(found) < count:
        word = rng.choice(names)
        for _ in range(rng.choice([1, 1, 2, 3])):
            at, op = rng.randrange(len(word)), rng.randrange(5)
            if op == 0 and len(word) > 1:
                word = word[:at] + word[at + 1:]
            elif op == 1:
                word = word[:at] + rng.choice(letters) + word[at:]
            elif op == 2:
                word = word[:at] + rng.choice(letters) + word[at + 1:]
            elif op == 3:
                word = word[:at] + word[at].swapcase() + word[at + 1:]
            elif at + 1 < len(word):
                word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
        if (word.isidentifier() and word not in RESERVED and word not in names
                and word not in found):
            found.append(word)
    return found


def suggestions() -> List[Dict]:
    """Unexpected keywords near the parameters' names (3.13's "Did you mean"): case flips,
    ties, names over 40 bytes once their common affixes go, 749 and 750 parameters."""
    rng = random.Random(7)
    found = []
    # 41 and 40 bytes that stay so once trimmed, 4 apart: too long, and not
    shifted = ["a" + "bc" * 20, "a" + "bc" * 19 + "b"]
    for kind, params, extra in [
            ("function", ["alpha", "beta", "gamma"], ["ALPHA", "Alpha", "x"]),
            ("method", ["self", "value", "values", "Value", "timeout"], ["VALUE", "selfs"]),
            ("function", ["handler_name", "handler_names", "callback", "retry_count"], []),
            ("function", ["abc", "abd", "abe", "ab", "b"], ["abf", "a", "ba"]),
            ("function", ["x" + "a" * 44, "x" + "a" * 44 + "b", "q" * 50, "Q" * 41], []),
            ("function", shifted, ["bc" * 20 + "a", "bc" * 19 + "ba"])]:
        sig = signature(kind, params, len(params) - 1)
        first = 1 if kind == "method" else 0
        for word in near_misses(rng, params, 60) + extra:
            sig["calls"] += [[first, [word]], [first, [params[-1], word]]]
        found.append(sig)
    for n in (749, 750):
        sig = signature("function", ["p%d" % i for i in range(n)], n, optional=True)
        sig["calls"] = [[0, [word]] for word in ("p0x", "p7490", "p74", "q748", "pp", "P1")]
        found.append(sig)
    return found


def edges() -> List[Dict]:
    """Names past 2.7's cuts (200 bytes of a function's, 400 of a keyword's), calls and
    definitions that are SyntaxErrors, and ZWNJ and ZWJ, which continue an identifier
    from 3.13 (Unicode 15.1) and which repr() escapes."""
    long_param, long_keyword = "p" * 450, "k" * 450
    long = signature("function", [long_param], name="n" * 250)
    long["calls"] = [[0, []], [1, [long_param]], [0, [long_keyword]], [2, []], [3, ["x"]]]
    long_method = signature("method", ["self", long_param], name="m" * 201)
    long_method["calls"] = [[1, []], [3, []], [1, [long_keyword]], [2, ["self"]]]
    repeated = signature("function", ["a", "b"], 1)
    repeated["calls"] = [[0, ["a", "a"]], [1, ["b", "x", "b"]]]
    twice = signature("function", ["a", "a"])
    twice["calls"] = [[0, []], [2, []]]
    repeated["syntax_error"] = twice["syntax_error"] = True
    joiner = signature("function", ["a\u200d", "b\u200c", "c"], 1, varkw=1, optional=True)
    joiner["calls"] = [[0, []], [1, []], [0, ["c"]], [1, ["a\u200d"]], [0, ["c\u200d"]]]
    strict = signature("function", ["a\u200d", "b"], optional=True)
    strict["calls"] = [[0, ["a\u200c"]], [0, ["b\u200d"]], [0, ["x"]]]
    return [long, long_method, repeated, twice, joiner, strict]


SIGNATURES = exhaustive() + suggestions() + edges()
PAIRS = [(sig, call) for sig in SIGNATURES for call in sig["calls"]]


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    """The driver, callargs.c, text.c and pyversion.c (each version's style): warnings as
    errors, ASan and UBSan if there."""
    folder = tmp_path_factory.mktemp("callargs")
    (folder / "driver.c").write_text(DRIVER)
    sources = [str(folder / "driver.c")] + [os.path.join(RUNNER_SRC, name)
                                            for name in ("callargs.c", "text.c",
                                                         "pyversion.c")]
    base = ["cc"] + WARNINGS + ["-O1", "-g", "-D_XOPEN_SOURCE=700", "-I", RUNNER_SRC, "-o",
                                str(folder / "driver")] + sources
    sanitized = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    done = subprocess.run(base + sanitized, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # perhaps no sanitizer runtime here: a plain build
        done = subprocess.run(base, capture_output=True, text=True, check=False)
        assert done.returncode == 0, "the C files do not compile cleanly:\n" + done.stderr
    return str(folder / "driver")


def ask_driver(driver: str, version: Tuple[int, ...]) -> List[str]:
    requests = ["\t".join(["%d %d" % version[:2], sig["name"], sig["qualname"],
                           " ".join(sig["params"]), str(sig["ndefaults"]), str(sig["varargs"]),
                           str(sig["varkw"]), str(npositional), " ".join(keywords)])
                for sig, (npositional, keywords) in PAIRS]
    done = subprocess.run([driver], input="\n".join(requests) + "\n", capture_output=True,
                          encoding="utf-8", check=False,
                          env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    assert done.returncode == 0 and not done.stderr, done.stderr[-3000:]
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def answers(driver, tmp_path_factory) -> Dict[str, Tuple[List[str], List[str]]]:
    """(the interpreter's lines, the driver's) for each interpreter, all asked in parallel."""
    folder = tmp_path_factory.mktemp("callargs_probe")
    (folder / "probe.py").write_text(PROBE)
    (folder / "signatures.json").write_text(json.dumps(SIGNATURES))

    def ask(target) -> Tuple[List[str], List[str]]:
        done = subprocess.run(target.command(str(folder / "probe.py"))
                              + [str(folder / "signatures.json")], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=120, check=False)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        return done.stdout.decode("utf-8").splitlines(), ask_driver(driver, target.version)

    with ThreadPoolExecutor(max_workers=max(1, len(TARGETS))) as pool:
        return dict(zip([t.name for t in TARGETS], pool.map(ask, TARGETS)))


def describe(sig: Dict, call: List) -> str:
    return "%s(%s) with %d defaults%s%s, called with %d positional and keywords %s" % (
        sig["qualname"], ", ".join(sig["params"]), sig["ndefaults"], ", *rest" * sig["varargs"],
        ", **kw" * sig["varkw"], call[0], call[1])


@pytest.mark.parametrize("name", [t.name for t in TARGETS])
def test_binding_and_type_errors_are_the_interpreters(answers, name):
    theirs, ours = answers[name]
    assert len(theirs) == len(ours) == len(PAIRS)
    compared, wrong = 0, []
    for (sig, call), their, our in zip(PAIRS, theirs, ours):
        if sig["optional"] and their == "invalid":
            continue  # this interpreter cannot define it
        compared += 1
        if their != our:
            wrong.append("%s:\n    %s says %s\n    the runner %s"
                         % (describe(sig, call)[:300], name, their[:300], our[:300]))
    assert not wrong, "%d of %d differ:\n%s" % (len(wrong), compared, "\n".join(wrong[:30]))
    assert compared >= len(PAIRS) - sum(len(s["calls"]) for s in SIGNATURES if s["optional"])


def test_calls_python_cannot_write_are_refused_and_change_nothing(answers):
    """A keyword given twice or a parameter named twice is a SyntaxError in every
    interpreter, and CALLARGS_EINVAL in the driver (which checks nothing was changed)."""
    refused = [i for i, (sig, _) in enumerate(PAIRS) if sig.get("syntax_error")]
    assert len(refused) == 4
    for theirs, ours in answers.values():
        assert [theirs[i] for i in refused] == [ours[i] for i in refused] == ["invalid"] * 4


def test_every_rule_is_reached(answers):
    """The pairs reach each kind of outcome in the interpreters that have it (so a rule
    the driver never takes is not a silent pass)."""
    for first, last, words in [
            ((2, 7), (2, 7), ["takes exactly 1 argument (", "takes exactly 0 arguments",
                              "at most", "at least", "takes no arguments (",
                              "multiple values for keyword argument", "ok 0 K0 D|rest=|kw=x"]),
            ((3, 0), (3, 99), ["takes from 1 to 2 positional arguments but 3 were given",
                               "takes 1 positional argument but 2 were given", "was given",
                               "missing 1 required positional argument: 'a'", "'a' and 'b'",
                               "'a', 'b', and 'c'", "unexpected keyword", "ok 0 1|rest=2,3|kw=",
                               "multiple values for argument 'self'"]),
            ((3, 0), (3, 9), ["TypeError: close() takes"]),
            ((3, 10), (3, 99), ["TypeError: Box.close() takes"]),
            ((3, 13), (3, 99), ["Did you mean 'alpha'?", "'a\\u200d'"])]:
        seen = "\n".join(line for target in TARGETS if first <= target.version[:2] <= last
                         for line in answers[target.name][0])
        for word in words if seen else []:
            assert word in seen, word
