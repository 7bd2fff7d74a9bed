"""The case loader: reads and validates one case file into the model (oracle/casemodel.py).

This is the only reader of the case language; everything downstream (the generated
program, the C runner's canonical input) starts from what it returns.
"""

import os
import re
from typing import Any, Dict, List, Optional, Tuple

from oracle.casemodel import (BUILTINS, COMPUTATIONS, EQ_RESULTS, EVERY_OP_MODIFIERS,
                              EXCEPTION_TYPES,
                              EXIT_PATHS, FIRST_WITH_START_METHODS, HANDLED_SIGNALS, KINDS,
                              MAX_CHILD_DEPTH, MAX_REPEAT, MAX_VALUE_DEPTH, NOT_IN_THREADS, OPS,
                              SIGNALS, START_METHODS, STREAMS, Case, Handler, Ref, Step)
from oracle.yamlnodes import CaseError, Mapping, Node, Nodes, Scalar, visible

NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
CLASS_RE = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
VERSION_RE = re.compile(r"([23])\.([0-9]{1,2})\Z")
TAG_RE = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
ID_PART = r"[a-z0-9][a-z0-9._-]*"
ID_RE = re.compile(r"%s(/%s)+\Z" % (ID_PART, ID_PART))
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
FIELDS = ("id", "description", "clauses", "tags", "versions", "exit", "objects", "handlers",
          "module", "main")
REQUIRED = ("id", "description", "clauses", "tags", "main")
HANDLER_FIELDS = {"function": ("kind", "body", "quiet"),
                  "method": ("kind", "class", "body", "quiet"),
                  "callable-object": ("kind", "body", "eq", "quiet"),
                  "builtin": ("kind", "builtin")}


def case_id_for(path: str, cases_root: str) -> Optional[str]:
    """The id a file must declare: its path under cases_root without .yaml (None when
    the file is not under cases_root). Paths are taken as given, not resolved: a
    symlink is never a case (yamlnodes.read_text, discovery.py)."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(cases_root))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel[:-len(".yaml")] if rel.endswith(".yaml") else rel


def load(path: str, cases_root: str, clauses: Optional[Dict[str, str]] = None) -> Case:
    """Reads and validates one case (clause ids are checked when clauses is given);
    raises CaseError naming the file and line."""
    nodes = Nodes(path)
    return _Loader(nodes, path, cases_root, clauses).load(nodes.read(path))


def load_clauses(path: str) -> Dict[str, str]:
    """The spec-clause catalogue: clause id -> one-line statement; CaseError when it is
    missing or malformed."""
    nodes = Nodes(path)
    if not os.path.lexists(path):
        nodes.fail(None, "cannot read: the clause catalogue is missing", 1)
    found = {}
    for key, key_node, value in nodes.mapping(nodes.read(path), "the clause catalogue"):
        if not TAG_RE.match(key):
            nodes.fail(key_node, "a clause id must match %s" % TAG_RE.pattern[:-2])
        found[key] = nodes.text(value, "a clause")
    return found


class _Loader:
    def __init__(self, nodes: Nodes, path: str, cases_root: str,
                 clauses: Optional[Dict[str, str]]) -> None:
        self.nodes = nodes
        self.path = path
        self.cases_root = cases_root
        self.clauses = clauses
        self.objects: Dict[str, str] = {}
        self.handlers: Dict[str, Handler] = {}
        self.refs: List[Tuple[Ref, Node]] = []
        self.min_version: Optional[Tuple[int, int]] = None
        self.serials = 0

    def load(self, root: Node) -> Case:
        n = self.nodes
        fields = {key: (key_node, value) for key, key_node, value in n.mapping(root, "a case")}
        for key, (key_node, _) in fields.items():
            if key not in FIELDS:
                n.fail(key_node, "unknown field '%s' (expected one of: %s)"
                       % (visible(key), ", ".join(FIELDS)))
        for key in REQUIRED:
            if key not in fields:
                n.fail(root, "missing field '%s'" % key)
        case_id = self.case_id(fields["id"][1])
        description = n.text(fields["description"][1], "description")
        clauses = self.names(fields["clauses"][1], "clauses", TAG_RE)
        for clause_node, clause in zip(n.sequence(fields["clauses"][1], "clauses"), clauses):
            if self.clauses is not None and clause not in self.clauses:
                n.fail(clause_node, "unknown clause '%s' (see cases/clauses.yaml)" % clause)
        tags = self.names(fields["tags"][1], "tags", TAG_RE)
        min_version, max_version = self.versions(fields.get("versions"))
        self.min_version = min_version
        exit_path = "normal"
        if "exit" in fields:
            exit_path = self.choice(fields["exit"][1], "exit", EXIT_PATHS)
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

    def case_id(self, node: Node) -> str:
        n = self.nodes
        case_id = n.text(node, "id")
        expected = case_id_for(self.path, self.cases_root)
        if expected is None:
            n.fail(node, "the file is not under the cases folder %s" % visible(self.cases_root))
        if not ID_RE.match(expected):
            n.fail(node, "the file's path under the cases folder, '%s', is not a case id "
                         "(AREA/NAME, each part lowercase letters, digits, '.', '_', '-')"
                   % visible(expected))
        if case_id != expected:
            n.fail(node, "id '%s' does not match the file's path (expected '%s')"
                   % (visible(case_id), expected))
        return case_id

    def check_no_count_with_processes(self, case: Case) -> None:
        """multiprocessing registers handlers of its own (2.7 when imported, 3.x when a
        process starts, and again in children), so a count cannot be compared."""
        steps = case.steps()
        counts = sorted(step.line for step in steps if step.op == "ncallbacks")
        if counts and any(step.op == "process" for step in steps):
            self.nodes.fail(None, "'ncallbacks' cannot be compared in a case with a process "
                                  "step (multiprocessing registers handlers of its own)",
                            counts[0])

    def check_name(self, node: Node, name: str, pattern: "re.Pattern[str]", what: str) -> None:
        if not pattern.match(name):
            self.nodes.fail(node, "%s must match %s" % (what, pattern.pattern[:-2]))

    def check_free(self, node: Node, name: str, reserved: Tuple[str, ...],
                   defines: bool = True) -> None:
        """A name the generated program can use without breaking (cases/README.md); a name
        it defines must not end in _type either (callable objects' classes do)."""
        if name in reserved or defines and name.endswith("_type"):
            self.nodes.fail(node, "'%s' is reserved (a Python keyword or builtin, or a name the "
                                  "generated program uses)" % name)

    def choice(self, node: Node, what: str, allowed: Tuple[str, ...]) -> str:
        value = self.nodes.scalar(node)
        if value not in allowed:
            self.nodes.fail(node, "%s takes one of: %s" % (what, ", ".join(allowed)))
        return value

    def names(self, node: Node, what: str, pattern: "re.Pattern[str]") -> List[str]:
        items = self.nodes.sequence(node, what)
        if not items:
            self.nodes.fail(node, "%s must not be empty" % what)
        result = []
        for item in items:
            name = self.nodes.text(item, what)
            self.check_name(item, name, pattern, "an entry of %s" % what)
            result.append(name)
        return result

    def versions(self, entry: Optional[Tuple[Node, Node]]
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

    def handler(self, name: str, key_node: Node, node: Node) -> Handler:
        n = self.nodes
        fields = {key: (kn, value) for key, kn, value in n.mapping(node, "handler '%s'" % name)}
        kind = self.choice(fields["kind"][1], "kind", KINDS) if "kind" in fields else "function"
        allowed = HANDLER_FIELDS[kind]
        for key, (kn, _) in fields.items():
            if key not in allowed:
                n.fail(kn, "a %s handler takes: %s (not '%s')"
                       % (kind, ", ".join(allowed), visible(key)))
        if kind == "builtin":
            if "builtin" not in fields:
                n.fail(node, "a builtin handler needs 'builtin' (one of: %s)" % ", ".join(BUILTINS))
            builtin = self.choice(fields["builtin"][1], "builtin", BUILTINS)
            return Handler(name, kind, key_node.line, builtin=builtin)
        body = self.steps(fields["body"][1], "body", "handler") if "body" in fields else ()
        cls = None
        if kind == "method":
            if "class" not in fields:
                n.fail(node, "a method handler needs 'class'")
            cls = n.text(fields["class"][1], "class")
            if cls not in self.objects.values():
                n.fail(fields["class"][1], "no object has class '%s'" % visible(cls))
        eq = None
        if "eq" in fields:
            eq = self.steps(fields["eq"][1], "eq", "eq")
            for step in eq[:-1]:
                if step.op == "return":
                    n.fail(None, "'return' must be the last step of eq", step.line)
        quiet = n.boolean(fields["quiet"][1], "quiet") if "quiet" in fields else False
        return Handler(name, kind, key_node.line, body, eq, cls, quiet=quiet)

    def steps(self, node: Node, what: str, where: str, depth: int = 0) -> Tuple[Step, ...]:
        if depth > MAX_CHILD_DEPTH:
            self.nodes.fail(node, "fork, thread and process steps nested more than %d deep"
                            % MAX_CHILD_DEPTH)
        return tuple(self.step(item, where, depth) for item in self.nodes.sequence(node, what))

    def value(self, node: Node, what: str) -> Any:
        return self.nodes.value(node, what, limit=MAX_VALUE_DEPTH)

    def step(self, node: Node, where: str, depth: int) -> Step:
        n = self.nodes
        if isinstance(node, Scalar):
            op, op_node, value, extras = n.text(node, "a step"), node, None, {}
        else:
            items = n.mapping(node, "a step")
            ops = [item for item in items if item[0] in OPS]
            if len(ops) != 1:
                n.fail(node, "a step has exactly one operation (%s)" % ", ".join(OPS))
            op, op_node, value = ops[0]
            extras = {key: (kn, v) for key, kn, v in items if key != op}
        if op not in OPS:
            n.fail(op_node, "unknown operation '%s' (expected one of: %s)"
                   % (visible(op), ", ".join(OPS)))
        place, reads, modifiers = OPS[op]
        if place != "any" and place != where and not (place == "body"
                                                       and where in ("handler", "eq")):
            n.fail(op_node, "'%s' is not allowed in %s" % (op, where))
        for key, (kn, _) in extras.items():
            if key not in modifiers + EVERY_OP_MODIFIERS:
                n.fail(kn, "'%s' does not take '%s' (it takes: %s)" % (
                    op, visible(key), ", ".join(modifiers + EVERY_OP_MODIFIERS)))
        if value is None and reads not in ("none", "optional-value"):
            n.fail(op_node, "'%s' needs a value" % op)
        if value is not None and reads == "none" and not n.is_null(value):
            n.fail(value, "'%s' takes no value" % op)
        self.serials += 1
        step: Dict[str, Any] = {"op": op, "line": op_node.line, "serial": self.serials}
        if reads == "text":
            step["text"] = n.text(value, op)
        elif reads == "exception":
            step["exc_type"] = self.choice(value, "raise", EXCEPTION_TYPES)
        elif reads == "optional-value" and value is not None:
            step["arg"] = n.scalar(value)
        elif reads in ("ref", "ref-or-null"):
            if not (reads == "ref-or-null" and n.is_null(value)):
                step["ref"] = self.ref(value)
            else:
                for key, (kn, _) in extras.items():
                    if key not in ("catch", "extra_args") + EVERY_OP_MODIFIERS:
                        n.fail(kn, "'%s: ~' (no callable) takes only catch" % op)
        elif reads == "milliseconds":
            step["delay_ms"] = self.bounded(value, op, 0, 10000, "milliseconds")
        elif reads == "status":
            status = n.scalar(value)
            if not isinstance(status, int) or isinstance(status, bool) or not 0 <= status <= 255:
                n.fail(value, "'%s' takes an exit status from 0 to 255" % op)
            step["arg"] = status
        elif reads == "signal":
            step["text"] = self.choice(value, "kill", SIGNALS)
        elif reads == "handled-signal":
            step["text"] = self.choice(value, "on_signal", HANDLED_SIGNALS)
            if "handler" not in extras:
                n.fail(op_node, "'on_signal' needs 'handler' (what the signal calls)")
            step["ref"] = self.ref(extras["handler"][1])
        elif reads == "thread-steps":
            step["child"] = self.steps(value, "thread", "thread", depth + 1)
            for inner in step["child"]:
                if inner.op in NOT_IN_THREADS:
                    n.fail(None, "'%s' is not allowed in a thread" % inner.op, inner.line)
        elif reads == "child-steps":
            step["child"] = self.steps(value, "fork", "main", depth + 1)
        elif reads == "process-steps":
            step["child"] = self.steps(value, "process", "process", depth + 1)
            if "start" in extras:
                step["start"] = self.choice(extras["start"][1], "start", START_METHODS)
                if self.min_version is None or self.min_version < FIRST_WITH_START_METHODS:
                    n.fail(extras["start"][0], "'start' needs versions {min: \"3.4\"} or later "
                                               "(2.7's multiprocessing has no start methods)")
        elif reads == "computation":
            step["text"] = self.choice(value, "compute", COMPUTATIONS)
        elif reads == "return-value" and where == "handler":
            step["arg"] = self.value(value, "return")
        elif reads == "return-value":
            result = n.scalar(value)
            if isinstance(result, bool):
                result = "true" if result else "false"
            if result not in EQ_RESULTS:
                n.fail(value, "return takes one of: %s" % ", ".join(EQ_RESULTS))
            step["text"] = result
        if "arg" in extras:
            step["arg"] = n.scalar(extras["arg"][1])
        if "args" in extras:
            step["args"] = tuple(self.value(item, "args")
                                 for item in n.sequence(extras["args"][1], "args"))
        if "kwargs" in extras:
            kwargs = []
            for key, kn, v in n.mapping(extras["kwargs"][1], "kwargs"):
                self.check_name(kn, key, NAME_RE, "a keyword")
                self.check_free(kn, key, KEYWORDS, defines=False)
                kwargs.append((key, self.value(v, "kwargs")))
            step["kwargs"] = tuple(kwargs)
        if "delay_ms" in extras:
            step["delay_ms"] = self.bounded(extras["delay_ms"][1], "delay_ms", 0, 10000,
                                            "milliseconds")
        if "extra_args" in extras:
            step["extra_args"] = tuple(self.value(item, "extra_args")
                                       for item in n.sequence(extras["extra_args"][1],
                                                              "extra_args"))
        if "func_keyword" in extras:
            step["func_keyword"] = n.boolean(extras["func_keyword"][1], "func_keyword")
            if step["func_keyword"] and step.get("args"):
                n.fail(extras["func_keyword"][0], "func_keyword takes no args (they would "
                                                  "follow a keyword)")
        if "if_other" in extras:
            if where != "eq":
                n.fail(extras["if_other"][0], "if_other is for the steps of an eq body")
            step["if_other"] = n.text(extras["if_other"][1], "if_other")
        if "stream" in extras:
            step["stream"] = self.choice(extras["stream"][1], "stream", STREAMS)
        if "repeat" in extras:
            step["repeat"] = self.bounded(extras["repeat"][1], "repeat", 0, MAX_REPEAT, "times")
        if "on_call" in extras:
            if where not in ("handler", "eq"):
                n.fail(extras["on_call"][0], "on_call is for the steps of a handler or eq body")
            step["on_call"] = self.bounded(extras["on_call"][1], "on_call", 1, MAX_REPEAT,
                                           "the number of a call")
        for flag in ("catch", "print_returned", "daemon", "after_main"):
            if flag in extras:
                step[flag] = n.boolean(extras[flag][1], flag)
        if step.get("after_main") and step.get("daemon"):
            n.fail(extras["after_main"][0], "after_main needs a non-daemon thread (a daemon "
                                            "thread may never run once main has ended)")
        return Step(**step)

    def bounded(self, node: Node, what: str, low: int, high: int, unit: str) -> int:
        number = self.nodes.scalar(node)
        if not isinstance(number, int) or isinstance(number, bool) or not low <= number <= high:
            self.nodes.fail(node, "%s takes %s from %d to %d" % (what, unit, low, high))
        return number

    def ref(self, node: Node) -> Ref:
        n = self.nodes
        if isinstance(node, Mapping):
            items = n.mapping(node, "a reference")
            if len(items) != 1 or items[0][0] != "value":
                n.fail(node, "a reference is a handler name, OBJECT.METHOD or {value: V}")
            ref = Ref(value=self.value(items[0][2], "value"))
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
                    n.fail(node, "no handler named '%s'" % visible(ref.handler))
                if handler.kind == "method":
                    n.fail(node, "method '%s' is used as OBJECT.%s" % (ref.handler, ref.handler))
            else:
                if ref.obj not in self.objects:
                    n.fail(node, "no object named '%s'" % visible(ref.obj))
                if handler is None or handler.kind != "method" \
                        or handler.cls != self.objects[ref.obj]:
                    n.fail(node, "class %s has no method '%s'"
                           % (self.objects[ref.obj], visible(ref.handler)))
