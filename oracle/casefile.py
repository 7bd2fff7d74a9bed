"""The case format: loading and validating one case file (cases/README.md is the reference)."""

import functools
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import yaml

from oracle.yamlnodes import CaseError, Nodes

NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
CLASS_RE = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
VERSION_RE = re.compile(r"([23])\.([0-9]+)\Z")
TAG_RE = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")

KINDS = ("function", "method", "callable-object", "builtin")
BUILTINS = ("print", "int")
EXIT_PATHS = ("normal", "os-exit", "signal", "abort")
START_METHODS = ("fork", "spawn", "forkserver")
FIRST_WITH_START_METHODS = (3, 4)  # multiprocessing.get_context
SIGNALS = ("SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1")
HANDLED_SIGNALS = ("SIGTERM", "SIGHUP", "SIGUSR1")  # SIGKILL cannot be caught
EXCEPTION_TYPES = (
    "Exception", "ValueError", "TypeError", "RuntimeError", "KeyError", "IndexError",
    "LookupError", "ZeroDivisionError", "AssertionError", "SystemExit", "KeyboardInterrupt",
)
EQ_RESULTS = ("true", "false", "not-implemented")
# Names a case may not use, because the generated program would break: Python 2 and 3
# keywords, and the names the prelude and generated code rely on.
KEYWORDS = (
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "print", "raise", "return", "try", "while", "with",
    "yield",
)
RESERVED_NAMES = KEYWORDS + (
    "args", "atexit", "getattr", "hasattr", "int", "isinstance", "kwargs", "len", "list",
    "object", "os", "other", "self", "sorted", "str", "sys", "type", "types",
)
RESERVED_CLASSES = EXCEPTION_TYPES + ("BaseException", "False", "None", "NotImplemented", "True")

# op -> (where it may appear, how its own value is read, the modifiers it takes).
# where: "any", "handler" (a handler's or __eq__ body), "eq" (an __eq__ body only).
OPS: Dict[str, Tuple[str, str, Tuple[str, ...]]] = {
    "print": ("any", "text", ()),
    "print_args": ("handler", "none", ()),
    "print_eq": ("eq", "none", ()),
    "raise": ("any", "exception", ("arg", "catch")),
    "exit": ("any", "optional-value", ("catch",)),
    "register": ("any", "ref-or-null", ("args", "kwargs", "catch", "print_returned")),
    "unregister": ("any", "ref", ("catch",)),
    "run_exitfuncs": ("any", "none", ("catch",)),
    "clear": ("any", "none", ("catch",)),
    "ncallbacks": ("any", "none", ("catch",)),
    "return": ("eq", "eq-result", ()),
    "os_exit": ("any", "status", ()),
    "kill": ("any", "signal", ("catch",)),
    "abort": ("any", "none", ()),
    "fork": ("main", "child-steps", ()),
    "on_signal": ("any", "handled-signal", ("handler",)),
    "thread": ("main", "thread-steps", ("daemon", "delay_ms", "after_main")),
    "process": ("main", "process-steps", ("start",)),
}
# What a thread body may not do: end the process or raise on purpose (an exception
# escaping a thread is printed by each version's threading module its own way).
NOT_IN_THREADS = ("raise", "exit", "os_exit", "kill", "abort", "fork", "thread")
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
class Ref:
    """What an op names: a handler ("name"), a bound method ("obj.meth") or a plain value."""
    handler: Optional[str] = None
    obj: Optional[str] = None
    value: Any = None


@dataclass(frozen=True)
class Step:
    op: str
    line: int
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
    start: Optional[str] = None  # process: the start method (None: the version's default)
    delay_ms: int = 0


@dataclass(frozen=True)
class Handler:
    name: str
    kind: str
    line: int
    body: Tuple[Step, ...] = ()
    eq: Optional[Tuple[Step, ...]] = None
    cls: Optional[str] = None
    builtin: Optional[str] = None


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

    def applies_to(self, version: Tuple[int, int]) -> bool:
        return ((self.min_version is None or version >= self.min_version)
                and (self.max_version is None or version <= self.max_version))


def case_id_for(path: str, cases_root: str) -> Optional[str]:
    """The id a file must declare: its path under cases_root without .yaml
    (None when the file is not under cases_root)."""
    root = os.path.realpath(cases_root)
    real = os.path.realpath(path)
    if not real.startswith(root + os.sep):
        return None
    rel = real[len(root) + 1:]
    return rel[:-len(".yaml")] if rel.endswith(".yaml") else rel


def load(path: str, cases_root: str, clauses: Optional[Dict[str, str]] = None) -> Case:
    """Reads and validates one case; raises CaseError naming the file and line."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CaseError(path, 1, "cannot read: %s" % error) from None
    return _Loader(path, cases_root, clauses).load(text)


class _Loader:
    def __init__(self, path: str, cases_root: str, clauses: Optional[Dict[str, str]]) -> None:
        self.nodes = Nodes(path)
        self.path = path
        self.cases_root = cases_root
        self.clauses = clauses
        self.objects: Dict[str, str] = {}
        self.handlers: Dict[str, Handler] = {}
        self.refs: List[Tuple[Ref, yaml.Node]] = []
        self.min_version: Optional[Tuple[int, int]] = None

    def load(self, text: str) -> Case:
        n = self.nodes
        root = n.compose(text)
        fields = {key: (key_node, value) for key, key_node, value in n.mapping(root, "a case")}
        allowed = ("id", "description", "clauses", "tags", "versions", "exit",
                   "objects", "handlers", "module", "main")
        for key, (key_node, _) in fields.items():
            if key not in allowed:
                n.fail(key_node, "unknown field '%s' (expected one of: %s)" % (key, ", ".join(allowed)))
        for key in ("id", "description", "clauses", "tags", "main"):
            if key not in fields:
                n.fail(root, "missing field '%s'" % key)
        case_id = n.text(fields["id"][1], "id")
        expected_id = case_id_for(self.path, self.cases_root)
        if expected_id is None:
            n.fail(fields["id"][1], "the file is not under the cases folder %s" % self.cases_root)
        if case_id != expected_id:
            n.fail(fields["id"][1], "id '%s' does not match the file's path (expected '%s')"
                   % (case_id, expected_id))
        description = n.text(fields["description"][1], "description")
        clauses = self.names(fields["clauses"][1], "clauses", TAG_RE)
        for clause_node in n.sequence(fields["clauses"][1], "clauses"):
            if self.clauses is not None and n.scalar(clause_node) not in self.clauses:
                n.fail(clause_node, "unknown clause '%s' (see cases/clauses.yaml)"
                       % n.scalar(clause_node))
        tags = self.names(fields["tags"][1], "tags", TAG_RE)
        min_version, max_version = self.versions(fields.get("versions"))
        self.min_version = min_version
        exit_path = "normal"
        if "exit" in fields:
            exit_path = n.text(fields["exit"][1], "exit")
            if exit_path not in EXIT_PATHS:
                n.fail(fields["exit"][1], "exit must be one of: %s" % ", ".join(EXIT_PATHS))
        if "objects" in fields:
            for name, key_node, value in n.mapping(fields["objects"][1], "objects"):
                self.check_name(key_node, name, NAME_RE, "an object name")
                self.check_free(key_node, name, RESERVED_NAMES)
                cls = n.text(value, "an object's class")
                if not CLASS_RE.match(cls):
                    n.fail(value, "a class name is CapitalisedWords")
                self.check_free(value, cls, RESERVED_CLASSES)
                self.objects[name] = cls
        if "handlers" in fields:
            for name, key_node, value in n.mapping(fields["handlers"][1], "handlers"):
                self.check_name(key_node, name, NAME_RE, "a handler name")
                self.check_free(key_node, name, RESERVED_NAMES)
                if name in self.objects:
                    n.fail(key_node, "'%s' names an object already" % name)
                self.handlers[name] = self.handler(name, key_node, value)
        module = self.steps(fields["module"][1], "module", "module") if "module" in fields else ()
        main = self.steps(fields["main"][1], "main", "main")
        if not main:
            n.fail(fields["main"][1], "main must have at least one step")
        self.check_refs()
        case = Case(self.path, case_id, description, clauses, tags, min_version, max_version,
                    exit_path, self.objects, self.handlers, main, module)
        self.check_no_count_with_processes(case)
        return case

    def check_no_count_with_processes(self, case: Case) -> None:
        """multiprocessing registers handlers of its own (2.7 when imported, 3.x when a
        process starts, and again in children), so a count cannot be compared."""
        steps = case.steps()
        counts = sorted(step.line for step in steps if step.op == "ncallbacks")
        if counts and any(step.op == "process" for step in steps):
            self.nodes.fail(None, "'ncallbacks' cannot be compared in a case with a process "
                                  "step (multiprocessing registers handlers of its own)",
                            counts[0])

    def check_name(self, node: yaml.Node, name: str, pattern: "re.Pattern[str]", what: str) -> None:
        if not pattern.match(name):
            self.nodes.fail(node, "%s must match %s" % (what, pattern.pattern.rstrip("\\Z")))

    def check_free(self, node: yaml.Node, name: str, reserved: Tuple[str, ...],
                   defines: bool = True) -> None:
        """A name the generated program can use without breaking (cases/README.md); a name
        it defines must not end in _type either (callable objects' classes do)."""
        if name in reserved or defines and name.endswith("_type"):
            self.nodes.fail(node, "'%s' is reserved (a Python keyword or builtin, or a name the "
                                  "generated program uses)" % name)

    def names(self, node: yaml.Node, what: str, pattern: "re.Pattern[str]") -> List[str]:
        items = self.nodes.sequence(node, what)
        if not items:
            self.nodes.fail(node, "%s must not be empty" % what)
        result = []
        for item in items:
            name = self.nodes.text(item, what)
            self.check_name(item, name, pattern, "an entry of %s" % what)
            result.append(name)
        return result

    def versions(self, entry: Optional[Tuple[yaml.Node, yaml.Node]]
                 ) -> Tuple[Optional[Tuple[int, int]], Optional[Tuple[int, int]]]:
        if entry is None:
            return None, None
        bounds: Dict[str, Tuple[int, int]] = {}
        for key, key_node, value in self.nodes.mapping(entry[1], "versions"):
            if key not in ("min", "max"):
                self.nodes.fail(key_node, "versions takes min and max")
            text = self.nodes.scalar(value)
            match = VERSION_RE.match(text) if isinstance(text, str) else None
            if match is None:
                self.nodes.fail(value, "a version is quoted \"X.Y\", e.g. \"3.10\"")
            bounds[key] = (int(match.group(1)), int(match.group(2)))
        return bounds.get("min"), bounds.get("max")

    def handler(self, name: str, key_node: yaml.Node, node: yaml.Node) -> Handler:
        n = self.nodes
        fields = {key: (kn, value) for key, kn, value in n.mapping(node, "handler '%s'" % name)}
        kind = n.text(fields["kind"][1], "kind") if "kind" in fields else "function"
        if kind not in KINDS:
            n.fail(fields["kind"][1], "kind must be one of: %s" % ", ".join(KINDS))
        allowed = {"function": ("kind", "body"), "method": ("kind", "class", "body"),
                   "callable-object": ("kind", "body", "eq"), "builtin": ("kind", "builtin")}[kind]
        for key, (kn, _) in fields.items():
            if key not in allowed:
                n.fail(kn, "a %s handler takes: %s (not '%s')" % (kind, ", ".join(allowed), key))
        line = key_node.start_mark.line + 1
        if kind == "builtin":
            if "builtin" not in fields:
                n.fail(node, "a builtin handler needs 'builtin' (one of: %s)" % ", ".join(BUILTINS))
            builtin = n.text(fields["builtin"][1], "builtin")
            if builtin not in BUILTINS:
                n.fail(fields["builtin"][1], "builtin must be one of: %s" % ", ".join(BUILTINS))
            return Handler(name, kind, line, builtin=builtin)
        body = self.steps(fields["body"][1], "body", "handler") if "body" in fields else ()
        cls = None
        if kind == "method":
            if "class" not in fields:
                n.fail(node, "a method handler needs 'class'")
            cls = n.text(fields["class"][1], "class")
            if cls not in self.objects.values():
                n.fail(fields["class"][1], "no object has class '%s'" % cls)
        eq = None
        if "eq" in fields:
            eq = self.steps(fields["eq"][1], "eq", "eq")
            for step in eq[:-1]:
                if step.op == "return":
                    n.fail(None, "'return' must be the last step of eq", step.line)
        return Handler(name, kind, line, body, eq, cls)

    def steps(self, node: yaml.Node, what: str, where: str) -> Tuple[Step, ...]:
        return tuple(self.step(item, where) for item in self.nodes.sequence(node, what))

    def step(self, node: yaml.Node, where: str) -> Step:
        n = self.nodes
        if isinstance(node, yaml.ScalarNode):
            op, op_node, value, extras = n.text(node, "a step"), node, None, {}
        else:
            items = n.mapping(node, "a step")
            ops = [item for item in items if item[0] in OPS]
            if len(ops) != 1:
                n.fail(node, "a step has exactly one operation (%s)" % ", ".join(OPS))
            op, op_node, value = ops[0]
            extras = {key: (kn, v) for key, kn, v in items if key != op}
        if op not in OPS:
            n.fail(op_node, "unknown operation '%s' (expected one of: %s)" % (op, ", ".join(OPS)))
        place, reads, modifiers = OPS[op]
        if place != "any" and place != where:
            n.fail(op_node, "'%s' is not allowed in %s" % (op, where))
        for key, (kn, _) in extras.items():
            if key not in modifiers:
                n.fail(kn, "'%s' does not take '%s'%s" % (
                    op, key, " (it takes: %s)" % ", ".join(modifiers) if modifiers else ""))
        line = op_node.start_mark.line + 1
        if value is None and reads not in ("none", "optional-value"):
            n.fail(op_node, "'%s' needs a value" % op)
        if value is not None and reads == "none" and not n.is_null(value):
            n.fail(value, "'%s' takes no value" % op)
        step: Dict[str, Any] = {"op": op, "line": line}
        if reads == "text":
            step["text"] = n.text(value, op)
        elif reads == "exception":
            exc_type = n.text(value, "raise")
            if exc_type not in EXCEPTION_TYPES:
                n.fail(value, "raise takes one of: %s" % ", ".join(EXCEPTION_TYPES))
            step["exc_type"] = exc_type
        elif reads == "optional-value" and value is not None:
            step["arg"] = n.scalar(value)
        elif reads in ("ref", "ref-or-null"):
            if not (reads == "ref-or-null" and n.is_null(value)):
                step["ref"] = self.ref(value)
            else:
                for key, (kn, _) in extras.items():
                    if key != "catch":
                        n.fail(kn, "'register: ~' (no callable) takes only catch")
        elif reads == "status":
            status = n.scalar(value)
            if not isinstance(status, int) or isinstance(status, bool) or not 0 <= status <= 255:
                n.fail(value, "'%s' takes an exit status from 0 to 255" % op)
            step["arg"] = status
        elif reads == "signal":
            signal_name = n.text(value, op)
            if signal_name not in SIGNALS:
                n.fail(value, "kill takes one of: %s" % ", ".join(SIGNALS))
            step["text"] = signal_name
        elif reads == "handled-signal":
            signal_name = n.text(value, op)
            if signal_name not in HANDLED_SIGNALS:
                n.fail(value, "on_signal takes one of: %s" % ", ".join(HANDLED_SIGNALS))
            if "handler" not in extras:
                n.fail(op_node, "'on_signal' needs 'handler' (what the signal calls)")
            step["text"] = signal_name
            step["ref"] = self.ref(extras["handler"][1])
        elif reads == "thread-steps":
            step["child"] = self.steps(value, "thread", "thread")
            for inner in step["child"]:
                if inner.op in NOT_IN_THREADS:
                    n.fail(None, "'%s' is not allowed in a thread" % inner.op, inner.line)
        elif reads == "child-steps":
            step["child"] = self.steps(value, "fork", "main")
        elif reads == "process-steps":
            step["child"] = self.steps(value, "process", "process")
            if "start" in extras:
                start = n.text(extras["start"][1], "start")
                if start not in START_METHODS:
                    n.fail(extras["start"][1], "start takes one of: %s" % ", ".join(START_METHODS))
                if self.min_version is None or self.min_version < FIRST_WITH_START_METHODS:
                    n.fail(extras["start"][0], "'start' needs versions {min: \"3.4\"} or later "
                                               "(2.7's multiprocessing has no start methods)")
                step["start"] = start
        elif reads == "eq-result":
            result = n.scalar(value)
            if isinstance(result, bool):
                result = "true" if result else "false"
            if result not in EQ_RESULTS:
                n.fail(value, "return takes one of: %s" % ", ".join(EQ_RESULTS))
            step["text"] = result
        if "arg" in extras:
            step["arg"] = n.scalar(extras["arg"][1])
        if "args" in extras:
            step["args"] = tuple(n.value(item, "args")
                                 for item in n.sequence(extras["args"][1], "args"))
        if "kwargs" in extras:
            kwargs = []
            for key, kn, v in n.mapping(extras["kwargs"][1], "kwargs"):
                self.check_name(kn, key, NAME_RE, "a keyword")
                self.check_free(kn, key, KEYWORDS, defines=False)
                kwargs.append((key, n.value(v, "kwargs")))
            step["kwargs"] = tuple(kwargs)
        if "delay_ms" in extras:
            delay = n.scalar(extras["delay_ms"][1])
            if not isinstance(delay, int) or isinstance(delay, bool) or not 0 <= delay <= 10000:
                n.fail(extras["delay_ms"][1], "delay_ms takes milliseconds from 0 to 10000")
            step["delay_ms"] = delay
        for flag in ("catch", "print_returned", "daemon", "after_main"):
            if flag in extras:
                step[flag] = n.boolean(extras[flag][1], flag)
        if step.get("after_main") and step.get("daemon"):
            n.fail(extras["after_main"][0], "after_main needs a non-daemon thread (a daemon "
                                            "thread may never run once main has ended)")
        return Step(**step)

    def ref(self, node: yaml.Node) -> Ref:
        n = self.nodes
        if isinstance(node, yaml.MappingNode):
            items = n.mapping(node, "a reference")
            if len(items) != 1 or items[0][0] != "value":
                n.fail(node, "a reference is a handler name, OBJECT.METHOD or {value: V}")
            ref = Ref(value=n.value(items[0][2], "value"))
        else:
            text = n.text(node, "a reference")
            obj, _, meth = text.rpartition(".")
            ref = Ref(handler=meth, obj=obj or None)
        self.refs.append((ref, node))
        return ref

    def check_refs(self) -> None:
        """Every name used resolves (checked once all handlers are read)."""
        n = self.nodes
        for ref, node in self.refs:
            if ref.handler is None:
                continue
            handler = self.handlers.get(ref.handler)
            if ref.obj is None:
                if handler is None:
                    n.fail(node, "no handler named '%s'" % ref.handler)
                if handler.kind == "method":
                    n.fail(node, "method '%s' is used as OBJECT.%s" % (ref.handler, ref.handler))
            else:
                if ref.obj not in self.objects:
                    n.fail(node, "no object named '%s'" % ref.obj)
                if handler is None or handler.kind != "method" \
                        or handler.cls != self.objects[ref.obj]:
                    n.fail(node, "class %s has no method '%s'" % (self.objects[ref.obj], ref.handler))


def load_clauses(path: str) -> Dict[str, str]:
    """The spec-clause catalogue: clause id -> one-line statement."""
    nodes = Nodes(path)
    with open(path, encoding="utf-8") as stream:
        root = nodes.compose(stream.read())
    return {key: nodes.text(value, "a clause") for key, _, value in nodes.mapping(root, "clauses")}


def discover(cases_root: str) -> List[str]:
    """Every case file under cases_root, sorted (files named *.yaml in sub-folders)."""
    found = []
    for folder, dirs, files in os.walk(cases_root):
        dirs.sort()
        if os.path.samefile(folder, cases_root):
            continue
        found.extend(os.path.join(folder, name) for name in sorted(files) if name.endswith(".yaml"))
    return found
