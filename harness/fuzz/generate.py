"""Random, valid cases from a seed (same seed, same case): atx-conform fuzz's generator.

A case is generated as a document, the structure a case file parses to (cases/README.md),
so that what the fuzzer finds is written as an ordinary case file. Every operation of the
language (oracle.casemodel.OPS) has a maker here (test_fuzz_generate checks both ways);
the weights favour interactions: the registry changed during a run, failures, nested runs,
equality hooks, threads and children, builtins called with the wrong arguments.

What keeps a generated case deterministic on a real CPython, so that any difference is a
divergence and not noise: threads are joined at once (or one waits for main to end),
children are waited for, a handler calls only handlers made before it (no call cycles),
and every step of a handler or __eq__ body that changes or runs the registry runs on its
first call only (on_call: 1), so no run or unregister re-enters itself forever.
"""

import random
from typing import Any, Callable, Dict, List, Optional

from oracle.casemodel import BUILTINS, COMPUTATIONS, EXCEPTION_BASES, EXCEPTION_TYPES, OPS

AREA = "fuzz"
CLAUSE = "fuzz.generated"
# Which versions a case is for: most for all, some from a version that a construct needs.
VERSION_BOUNDS = [None, None, None, {"min": "3.0"}, {"min": "3.6"}, {"min": "3.8"},
                  {"min": "3.10"}, {"max": "3.9"}]
TEXTS = ["a", "bye", "done", "", "caf\u00e9", "x y", "'q'", "\u00fcber", "\U0001F600", "3.10"]
CLASSES = ["Box", "Jar"]
ERRORS = ["AppError", "Opaque"]
SIGNALS_ENDING = ["SIGTERM", "SIGHUP", "SIGUSR1"]
# Places: main (and fork children), module, handler and eq bodies, thread and process bodies.
BODIES = ("handler", "eq")


class Generator:
    """One case: names made so far and what the steps may refer to."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.doc: Dict[str, Any] = {}
        self.handlers: List[str] = []  # callable names, in the order made
        self.order: List[str] = []     # every handler's name, methods too, in order
        self.methods: List[str] = []   # OBJECT.METHOD references
        self.lists: List[str] = []
        self.errors: List[str] = []
        self.process_started = False
        self.counts = False
        self.ender: Optional[str] = None  # the one way the case may end the process early
        self.needs_min: List[str] = []
        self.fork_in_body = False
        self.threads = False

    # -- values -------------------------------------------------------------------------
    def scalar(self) -> Any:
        r = self.rng
        return r.choice([r.randint(-3, 300), r.choice(TEXTS), True, False, None, 7])

    def value(self, depth: int = 0) -> Any:
        r = self.rng
        if self.lists and r.random() < 0.1:
            return {"list": r.choice(self.lists)}
        if depth < 2 and r.random() < 0.15:
            return [self.value(depth + 1) for _ in range(r.randint(0, 3))]
        return self.scalar()

    def args(self) -> List[Any]:
        return [self.value() for _ in range(self.rng.choice([0, 0, 1, 1, 2, 3]))]

    def kwargs(self) -> Dict[str, Any]:
        keys = self.rng.sample(["k", "key", "item", "a", "end", "sep", "base"],
                               self.rng.choice([0, 0, 0, 1, 2]))
        return {key: self.value() for key in keys}

    # -- references ---------------------------------------------------------------------
    def ref(self, callable_only: bool = False, before: Optional[int] = None) -> Any:
        """A handler name, OBJECT.METHOD, or (not callable_only) sometimes a plain value;
        before: only handlers made before that index (a handler's calls go backwards)."""
        r = self.rng
        names = self.handlers if before is None else [
            name for name in self.handlers if self.order.index(name) < before]
        methods = self.methods if before is None else []
        if not callable_only and r.random() < 0.08 or not names and not methods:
            return {"value": self.scalar()}
        pool = names + methods
        return r.choice(pool)

    # -- steps --------------------------------------------------------------------------
    def steps(self, where: str, count: int, owner: Optional[int] = None,
              depth: int = 0) -> List[Any]:
        made = [self.step(where, owner, depth) for _ in range(count)]
        return [step for step in made if step is not None]

    def step(self, where: str, owner: Optional[int], depth: int) -> Any:
        """One step for a place, drawn by weight among the operations allowed there."""
        choices = [(op, weight) for op, (weight, places) in MAKERS_WEIGHTS.items()
                   if where in places]
        ops, weights = zip(*choices)
        op = self.rng.choices(ops, weights)[0]
        step = MAKERS[op](self, where, owner, depth)
        if step is None:
            return None
        if where in BODIES and op in MUTATING:
            step["on_call"] = 1
        place, reads, modifiers = OPS[op]
        if "catch" in modifiers and self.rng.random() < 0.3:
            step["catch"] = True
        if step.get("catch") and self.rng.random() < 0.1:
            step["repeat"] = self.rng.choice([0, 2, 3])
        if len(step) == 1 and reads == "none" and self.rng.random() < 0.5:
            return op  # an operation alone: `- ncallbacks`
        return step

    @staticmethod
    def child_depth_ok(depth: int) -> bool:
        return depth < 2

    # -- the case -----------------------------------------------------------------------
    def case(self, case_id: str) -> Dict[str, Any]:
        r = self.rng
        doc = self.doc
        doc.update({"id": case_id, "description": "generated by atx-conform fuzz",
                    "clauses": [CLAUSE], "tags": ["fuzz"]})
        bound = r.choice(VERSION_BOUNDS)
        if bound:
            doc["versions"] = dict(bound)
        if r.random() < 0.25:
            self.errors = r.sample(ERRORS, r.randint(1, 2))
            doc["exceptions"] = {name: r.choice(list(EXCEPTION_BASES)) if r.random() < 0.7
                                 else {"base": r.choice(list(EXCEPTION_BASES)),
                                       "str_raises": True} for name in self.errors}
        if r.random() < 0.3:
            self.lists = ["log"] + (["seen"] if r.random() < 0.3 else [])
            doc["lists"] = {name: [self.scalar() for _ in range(r.randint(0, 2))]
                            for name in self.lists}
        objects = {}
        if r.random() < 0.3:
            for i in range(r.randint(1, 2)):
                objects["box%d" % (i + 1)] = CLASSES[i]
            doc["objects"] = objects
        handlers: Dict[str, Any] = {}
        doc["handlers"] = handlers
        for i in range(r.randint(1, 5)):
            name, spec = self.handler(i, objects)
            handlers[name] = spec
            self.order.append(name)
            if spec.get("kind") == "method":
                self.methods += ["%s.%s" % (obj, name) for obj, cls in objects.items()
                                 if cls == spec["class"]]
            else:
                self.handlers.append(name)
        # bodies are made once every name exists: a body refers to handlers made before
        for i, (name, spec) in enumerate(handlers.items()):
            self.fill(spec, i)
        if r.random() < 0.1:
            doc["module"] = self.steps("module", r.randint(1, 2))
        doc["main"] = self.steps("main", r.randint(2, 9)) or [{"print": "main"}]
        self.finish()
        return doc

    def handler(self, i: int, objects: Dict[str, str]) -> Any:
        r = self.rng
        kinds = ["function"] * 5 + ["callable-object"] * 2 + ["builtin"] * 2
        if objects:
            kinds += ["method"] * 2
        kind = r.choice(kinds)
        if kind == "builtin":
            builtin = r.choice(BUILTINS if self.lists else
                               [b for b in BUILTINS if b != "list.append"])
            spec: Dict[str, Any] = {"kind": "builtin", "builtin": builtin}
            if builtin == "list.append":
                spec["list"] = r.choice(self.lists)
            return "b%d" % (i + 1), spec
        spec = {"kind": kind} if kind != "function" else {}
        if kind == "method":
            spec["class"] = r.choice(sorted(set(objects.values())))
        if r.random() < 0.2:
            spec["params"] = self.params()
        if r.random() < 0.15:
            spec["quiet"] = True
        if kind == "callable-object" and r.random() < 0.15:
            spec["repr_raises"] = True
        prefix = {"function": "h", "method": "m", "callable-object": "c"}[kind]
        return "%s%d" % (prefix, i + 1), spec

    def params(self) -> List[Any]:
        r = self.rng
        made: List[Any] = []
        for name in r.sample(["a", "b", "c"], r.randint(0, 2)):
            made.append(name)
        if made and r.random() < 0.4:
            made.append({"d": self.scalar()})
        if r.random() < 0.3:
            made.append("*rest")
        if r.random() < 0.2:
            made.append("**kw")
        return made

    def fill(self, spec: Dict[str, Any], index: int) -> None:
        """A handler's body and, for a callable object, perhaps its __eq__."""
        r = self.rng
        if spec.get("kind") == "builtin":
            return
        spec["body"] = self.steps("handler", r.choice([0, 1, 1, 2, 2, 3, 4]), index)
        if spec.get("kind") == "callable-object" and r.random() < 0.5:
            eq = self.steps("eq", r.choice([0, 1, 2]), index)
            eq = [s for s in eq if not (isinstance(s, dict) and "return" in s)]
            if r.random() < 0.7:
                eq.append({"return": r.choice([True, False, "not-implemented"])})
            spec["eq"] = eq

    def finish(self) -> None:
        """What the steps made necessary: versions, and the exit path."""
        doc = self.doc
        if self.fork_in_body and (self.threads or self.process_started):
            self.needs_min.append("3.0")  # 2.7's threading fails in such a child
        if self.needs_min:
            wanted = max(self.needs_min, key=lambda v: tuple(map(int, v.split("."))))
            bounds = doc.setdefault("versions", {})
            low = bounds.get("min")
            if low is None or tuple(map(int, low.split("."))) < tuple(map(int, wanted.split("."))):
                bounds["min"] = wanted
            high = bounds.get("max")
            if high is not None and tuple(map(int, high.split("."))) < tuple(
                    map(int, bounds["min"].split("."))):
                del bounds["max"]
        if self.ender is not None:
            doc["exit"] = self.ender


# -- one maker per operation: (generator, place, the handler whose body it is, depth) ----
def make_print(g: Generator, where: str, owner: Optional[int], depth: int) -> Any:
    step: Dict[str, Any] = {"print": g.rng.choice([t for t in TEXTS if t]) }
    if g.rng.random() < 0.2:
        step["stream"] = "stderr"
    return step


def make_print_args(g, where, owner, depth):
    return {"print_args": None}


def make_print_eq(g, where, owner, depth):
    return {"print_eq": None}


def make_raise(g, where, owner, depth):
    r = g.rng
    step: Dict[str, Any] = {"raise": r.choice(list(EXCEPTION_TYPES) + g.errors)}
    if r.random() < 0.7:
        step["arg"] = g.scalar()
    if r.random() < 0.2:
        inner = {"raise": r.choice(list(EXCEPTION_TYPES[:8]) + g.errors)} \
            if r.random() < 0.6 else {"compute": r.choice(COMPUTATIONS)}
        step["during"] = inner
    if r.random() < 0.1:
        step["cause"] = r.choice(["None", "KeyError", "TypeError"] + g.errors)
        if step["cause"] != "None" and r.random() < 0.5:
            step["cause_arg"] = g.scalar()
    return step


def make_exit(g, where, owner, depth):
    r = g.rng
    return {"exit": r.choice([None, 0, 3, "bye", True])}


def make_register(g, where, owner, depth):
    r = g.rng
    if r.random() < 0.03:
        return {"register": None, "catch": True}
    step: Dict[str, Any] = {"register": g.ref()}
    if r.random() < 0.6:
        args = g.args()
        if args:
            step["args"] = args
    if r.random() < 0.3:
        kwargs = g.kwargs()
        if kwargs:
            step["kwargs"] = kwargs
    if r.random() < 0.1:
        step["print_returned"] = True
    if "args" not in step and r.random() < 0.05:
        step["func_keyword"] = True
    return step


def make_unregister(g, where, owner, depth):
    r = g.rng
    step: Dict[str, Any] = {"unregister": g.ref() if r.random() > 0.03 else None}
    if r.random() < 0.05:
        step["extra_args"] = [g.scalar()]
    return step


def make_atexit_call(op: str) -> Callable[..., Any]:
    def make(g, where, owner, depth):
        if op == "ncallbacks":
            if g.process_started:
                return None
            g.counts = True
        step: Dict[str, Any] = {op: None}
        if g.rng.random() < 0.05:
            step["extra_args"] = [g.scalar()]
        return step
    return make


def make_return(g, where, owner, depth):
    value = g.value()
    return {"return": value if value is not None else 0}


def make_os_exit(g, where, owner, depth):
    if g.ender not in (None, "os-exit"):
        return None
    g.ender = "os-exit"
    return {"os_exit": g.rng.choice([0, 1, 4, 255])}


def make_kill(g, where, owner, depth):
    r = g.rng
    if r.random() < 0.5:
        return {"kill": "SIGINT"}
    if g.ender not in (None, "signal"):
        return None
    g.ender = "signal"
    return {"kill": r.choice(SIGNALS_ENDING)}


def make_abort(g, where, owner, depth):
    if g.ender not in (None, "abort"):
        return None
    g.ender = "abort"
    return {"abort": None}


def make_fork(g, where, owner, depth):
    if not g.child_depth_ok(depth):
        return None
    g.fork_in_body = g.fork_in_body or where in BODIES
    return {"fork": g.steps("main", g.rng.randint(0, 3), None, depth + 1)}


def make_thread(g, where, owner, depth):
    r = g.rng
    if not g.child_depth_ok(depth):
        return None
    g.threads = True
    # joined at once: a thread alive while another forks would be 3.12's DeprecationWarning,
    # and two alive at once race each other's output
    step: Dict[str, Any] = {"thread": g.steps("thread", r.randint(1, 3), None, depth + 1),
                            "join": True}
    if r.random() < 0.2:
        step["daemon"] = True
    if r.random() < 0.2:
        step["delay_ms"] = r.choice([1, 5, 20])
    return step


def make_process(g, where, owner, depth):
    r = g.rng
    if g.counts or not g.child_depth_ok(depth):
        return None
    g.process_started = True
    step: Dict[str, Any] = {"process": g.steps("process", r.randint(1, 2), None, depth + 1)}
    if where in BODIES or r.random() < 0.5:
        step["start"] = "fork" if where in BODIES else r.choice(["fork", "spawn", "forkserver"])
        g.needs_min.append("3.6")
    return step


def make_on_signal(g, where, owner, depth):
    before = owner if where in BODIES else None
    return {"on_signal": g.rng.choice(["SIGTERM", "SIGUSR1", "SIGINT"]),
            "handler": g.ref(callable_only=True, before=before)}


def make_call(g, where, owner, depth):
    if where in BODIES and owner is not None and owner == 0:
        return None
    step: Dict[str, Any] = {"call": g.ref(callable_only=True,
                                          before=owner if where in BODIES else None)}
    args = g.args()
    if args:
        step["args"] = args
    return step


def make_sleep(g, where, owner, depth):
    return {"sleep": g.rng.choice([0, 1, 5])}


def make_compute(g, where, owner, depth):
    return {"compute": g.rng.choice(COMPUTATIONS)}


def make_append(g, where, owner, depth):
    if not g.lists:
        return None
    return {"append": g.rng.choice(g.lists), "value": g.scalar()}


def make_print_list(g, where, owner, depth):
    return {"print_list": g.rng.choice(g.lists)} if g.lists else None


def make_on_unraisable(g, where, owner, depth):
    g.needs_min.append("3.8")
    return {"on_unraisable": None}


def make_on_uncaught(g, where, owner, depth):
    return {"on_uncaught": None}


def make_reimport(g, where, owner, depth):
    return {"reimport_atexit": None}


def make_reload(g, where, owner, depth):
    return {"reload_atexit": None}


def make_set_exitfunc(g, where, owner, depth):
    return {"set_exitfunc": g.ref()}


def with_instance(maker: Callable[..., Any]) -> Callable[..., Any]:
    """An atexit function's step, sometimes on the first atexit module."""
    def make(g, where, owner, depth):
        step = maker(g, where, owner, depth)
        if isinstance(step, dict) and g.rng.random() < 0.1:
            step["instance"] = "first"
        return step
    return make


ANY = ("main", "module", "handler", "eq", "thread", "process")
PROGRAM = ("main", "handler", "eq")
# A thread body calls nothing that could fork or start threads (a handler's body, an
# __eq__ called by unregister, a run): only the steps of its own.
NOT_THREADS = ("main", "module", "handler", "eq", "process")
# op -> (maker, weight, where it may be drawn)
TABLE: Dict[str, Any] = {
    "print": (make_print, 10, ANY),
    "print_args": (make_print_args, 4, ("handler",)),
    "print_eq": (make_print_eq, 4, ("eq",)),
    "raise": (make_raise, 8, ANY),
    "exit": (make_exit, 3, ANY),
    "register": (with_instance(make_register), 14, ANY),
    "unregister": (with_instance(make_unregister), 7, NOT_THREADS),
    "run_exitfuncs": (with_instance(make_atexit_call("run_exitfuncs")), 5, NOT_THREADS),
    "clear": (with_instance(make_atexit_call("clear")), 3, ANY),
    "ncallbacks": (with_instance(make_atexit_call("ncallbacks")), 4, ANY),
    "return": (make_return, 2, ("handler",)),
    "os_exit": (make_os_exit, 1, NOT_THREADS),
    "kill": (make_kill, 1, NOT_THREADS),
    "abort": (make_abort, 0.3, NOT_THREADS),
    "fork": (make_fork, 1.5, PROGRAM),
    "on_signal": (make_on_signal, 1, ANY),
    "thread": (make_thread, 1.5, PROGRAM),
    "process": (make_process, 0.7, PROGRAM),
    "call": (make_call, 3, NOT_THREADS),
    "sleep": (make_sleep, 0.5, ANY),
    "compute": (make_compute, 4, ANY),
    "append": (make_append, 2, ANY),
    "print_list": (make_print_list, 2, ANY),
    "on_unraisable": (make_on_unraisable, 1, ANY),
    "on_uncaught": (make_on_uncaught, 1, ANY),
    "reimport_atexit": (make_reimport, 0.7, NOT_THREADS),
    "reload_atexit": (make_reload, 0.5, NOT_THREADS),
    "set_exitfunc": (make_set_exitfunc, 0.7, NOT_THREADS),
}
MAKERS = {op: entry[0] for op, entry in TABLE.items()}
MAKERS_WEIGHTS = {op: (entry[1], entry[2]) for op, entry in TABLE.items()}
# Steps that change or run the registry: in a handler or eq body, on the first call only.
MUTATING = ("register", "unregister", "run_exitfuncs", "clear", "reimport_atexit",
            "reload_atexit", "set_exitfunc", "call", "fork", "thread", "process", "kill")


def generate(seed: int, index: int = 0) -> Dict[str, Any]:
    """The case document of (seed, index): the same pair always gives the same case."""
    g = Generator(seed * 1000003 + index)
    return g.case("%s/s%d-%d" % (AREA, seed, index))
