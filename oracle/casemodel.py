"""The case language's model: what a loaded case is (cases/README.md is the reference)."""

import functools
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

KINDS = ("function", "method", "callable-object", "builtin")
BUILTINS = ("print", "int", "len", "sys.exit", "list.append")
# compute: real operations that fail, each raising what CPython raises there.
COMPUTATIONS = ("1 / 0", "1 // 0", "[][0]", "{}['k']", "int('x')", "None.missing", "1 + 'a'",
                "len(1)")
EXIT_PATHS = ("normal", "os-exit", "signal", "abort")
START_METHODS = ("fork", "spawn", "forkserver")
FIRST_WITH_START_METHODS = (3, 4)  # multiprocessing.get_context
# SIGINT's default handler is Python's own: it raises KeyboardInterrupt in main.
SIGNALS = ("SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1", "SIGINT")
HANDLED_SIGNALS = ("SIGTERM", "SIGHUP", "SIGUSR1", "SIGINT")  # SIGKILL cannot be caught
STREAMS = ("stdout", "stderr")
# instance: which atexit module an atexit function is called on: the one the name atexit
# holds now (reimport_atexit rebinds it), or the one the program imported first.
INSTANCES = ("current", "first")
MAX_REPEAT = 1000  # repeat: N
EXCEPTION_TYPES = (
    "Exception", "ValueError", "TypeError", "RuntimeError", "KeyError", "IndexError",
    "LookupError", "ZeroDivisionError", "AssertionError", "SystemExit", "KeyboardInterrupt",
)
EQ_RESULTS = ("true", "false", "not-implemented")
# What a case's own exception class may derive from: any type a case raises but the two
# that end a process their own way.
EXCEPTION_BASES = tuple(t for t in EXCEPTION_TYPES if t not in ("SystemExit", "KeyboardInterrupt"))
# Nesting the generated program can hold on every supported CPython: 3.6-3.8's parser
# overflows near 93 nested brackets and 2.7's near 99; every version stops at 100
# indentation levels, and each nested child adds at least one.
MAX_VALUE_DEPTH = 32  # lists within lists, in one value
MAX_CHILD_DEPTH = 16  # fork, thread and process steps within each other

# op -> (where it may appear, how its own value is read, the modifiers it takes).
# where: "any", "handler" (a handler's or __eq__ body), "eq" (an __eq__ body only),
# "main" (main and fork children), "program" (those and handler and __eq__ bodies: not
# at module level, in threads or in process targets).
OPS: Dict[str, Tuple[str, str, Tuple[str, ...]]] = {
    "print": ("any", "text", ("stream",)),
    "print_args": ("handler", "none", ()),
    "print_eq": ("eq", "none", ()),
    "raise": ("any", "exception", ("arg", "catch", "during", "cause", "cause_arg")),
    "exit": ("any", "optional-value", ("catch",)),
    "register": ("any", "ref-or-null", ("args", "kwargs", "catch", "print_returned",
                                         "func_keyword", "instance")),
    "unregister": ("any", "ref-or-null", ("catch", "extra_args", "instance")),
    "run_exitfuncs": ("any", "none", ("catch", "extra_args", "instance")),
    "clear": ("any", "none", ("catch", "extra_args", "instance")),
    "ncallbacks": ("any", "none", ("catch", "extra_args", "instance")),
    "reimport_atexit": ("any", "none", ("catch",)),
    "reload_atexit": ("any", "none", ("catch",)),
    "set_exitfunc": ("any", "ref", ()),
    "return": ("body", "return-value", ()),
    "os_exit": ("any", "status", ("catch",)),
    "kill": ("any", "signal", ("catch",)),
    "abort": ("any", "none", ()),
    "fork": ("program", "child-steps", ("catch",)),
    "on_signal": ("any", "handled-signal", ("handler", "catch")),
    "thread": ("program", "thread-steps", ("daemon", "delay_ms", "after_main", "join")),
    "process": ("program", "process-steps", ("start",)),
    "call": ("any", "ref", ("args", "kwargs", "catch")),
    "sleep": ("any", "milliseconds", ()),
    "compute": ("any", "computation", ("catch",)),
    "append": ("any", "list-name", ("value",)),
    "print_list": ("any", "list-name", ()),
    "on_unraisable": ("any", "none", ()),
    "on_uncaught": ("any", "none", ()),
}
FIRST_WITH_UNRAISABLEHOOK = (3, 8)  # sys.unraisablehook
# Modifiers every operation takes: repeat (the step runs N times, each catching on its
# own), in handler and eq bodies on_call (the step runs only in the body's Nth call), in
# eq bodies if_other (only when the other object is the one named).
EVERY_OP_MODIFIERS = ("repeat", "on_call", "if_other")
# What a thread body may not do: end the process at a moment that depends on timing, or
# start more threads or children. (An exception escaping it is threading's own report.)
NOT_IN_THREADS = ("os_exit", "kill", "abort", "fork", "thread")
NO_VALUE = object()
# What an implementation may lack (atx-conform --lacks), and the operations needing each;
# "process-exit" is also needed by every exit path but normal.
CAPABILITIES = ("fork", "processes", "signals", "threads", "process-exit")
NEEDS: Dict[str, Tuple[str, ...]] = {
    "fork": ("fork",), "process": ("processes",), "kill": ("signals",),
    "on_signal": ("signals",), "thread": ("threads",), "os_exit": ("process-exit",),
    "abort": ("process-exit",),
}


@dataclass(frozen=True)
class ListRef:
    """A value that is one of the case's named lists itself, {list: NAME}: the same
    object wherever it appears, so a change to it shows everywhere."""
    name: str


@dataclass(frozen=True)
class Ref:
    """What an op names: a handler ("name"), a bound method ("obj.meth") or a plain value."""
    handler: Optional[str] = None
    obj: Optional[str] = None
    value: Any = None


@dataclass(frozen=True)
class Step:
    op: str
    line: int
    serial: int  # unique in its case: names the functions a step needs in the program
    text: Optional[str] = None
    ref: Optional[Ref] = None
    exc_type: Optional[str] = None
    arg: Any = NO_VALUE
    args: Tuple[Any, ...] = ()
    kwargs: Tuple[Tuple[str, Any], ...] = ()
    catch: bool = False
    print_returned: bool = False
    child: Tuple["Step", ...] = ()  # fork, process: what the child runs; thread: the thread
    daemon: bool = False
    after_main: bool = False  # thread: its steps wait until main has ended
    join: bool = False  # thread: joined as soon as it is started
    start: Optional[str] = None  # process: the start method (None: the version's default)
    delay_ms: int = 0  # thread: before its body; sleep: how long
    stream: str = "stdout"  # print
    repeat: int = 1
    on_call: int = 0  # 0: every call
    if_other: Optional[str] = None  # eq bodies: the other object's name (as printed)
    extra_args: Tuple[Any, ...] = ()  # atexit functions called with these too (wrong arity)
    func_keyword: bool = False  # register: atexit.register(func=ref)
    first_instance: bool = False  # atexit functions: called on the first atexit module
    # raise: child holds the `during` step (a raise or compute whose exception is being
    # handled); cause: an exception type set as __cause__, "None" (raise ... from None)
    cause: Optional[str] = None
    cause_arg: Any = NO_VALUE


@dataclass(frozen=True)
class ExceptionClass:
    """An exception class of the case (the program's main module)."""
    base: str
    str_raises: bool = False  # its __str__ raises RuntimeError


@dataclass(frozen=True)
class Param:
    """A parameter of a fixed signature; default NO_VALUE: none."""
    name: str
    default: Any = NO_VALUE


@dataclass(frozen=True)
class Handler:
    name: str
    kind: str
    line: int
    body: Tuple[Step, ...] = ()
    eq: Optional[Tuple[Step, ...]] = None
    cls: Optional[str] = None
    builtin: Optional[str] = None
    bound_list: Optional[str] = None  # builtin list.append: the list it appends to
    quiet: bool = False  # logs no call or eq events: its frames are its own alone
    params: Optional[Tuple[Param, ...]] = None  # a fixed signature; None: (*args, **kwargs)
    varargs: Optional[str] = None  # with params: *NAME
    varkw: Optional[str] = None    # with params: **NAME
    repr_raises: bool = False  # callable-object: its class's __repr__ raises RuntimeError


@dataclass
class Case:
    path: str
    id: str
    description: str
    clauses: List[str]
    tags: List[str]
    min_version: Optional[Tuple[int, int]]
    max_version: Optional[Tuple[int, int]]
    exit_path: str
    objects: Dict[str, str]
    handlers: Dict[str, Handler]
    main: Tuple[Step, ...]
    module: Tuple[Step, ...] = ()  # run at import: again in spawn and forkserver children
    exceptions: Dict[str, ExceptionClass] = field(default_factory=dict)
    lists: Dict[str, List[Any]] = field(default_factory=dict)  # name -> initial items
    area: str = field(init=False)

    def __post_init__(self) -> None:
        self.area = self.id.split("/", 1)[0]

    def steps(self) -> List[Step]:
        """Every step of the case: module, main, handler and __eq__ bodies, children's."""
        bodies = [self.module, self.main] + [h.body for h in self.handlers.values()]
        bodies += [h.eq for h in self.handlers.values() if h.eq is not None]
        found: List[Step] = []
        while bodies:
            for step in bodies.pop():
                found.append(step)
                bodies.append(step.child)
        return found

    @functools.cached_property
    def needs(self) -> List[str]:
        """What the case needs of an implementation beyond atexit itself (CAPABILITIES):
        a target that lacks one reports the case not applicable."""
        found = {"process-exit"} if self.exit_path != "normal" else set()
        for step in self.steps():
            found.update(NEEDS.get(step.op, ()))
        return sorted(found)

    @functools.cached_property
    def ascii_only(self) -> bool:
        """Whether every text a step holds is ASCII: then no repr() of it depends on a
        version's Unicode database (the reference's cache shares such runs, cache.py)."""
        pending: List[Any] = list(self.lists.values())
        for step in self.steps():
            pending += [step.text, step.arg, list(step.args), [v for _, v in step.kwargs]]
            pending.append(step.ref.value if step.ref is not None else None)
        while pending:
            value = pending.pop()
            if isinstance(value, list):
                pending += value
            elif isinstance(value, str) and not value.isascii():
                return False
        return True

    def applies_to(self, version: Tuple[int, int]) -> bool:
        return ((self.min_version is None or version >= self.min_version)
                and (self.max_version is None or version <= self.max_version))
