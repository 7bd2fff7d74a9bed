"""The case loader: reads and validates one case file into the model (oracle/casemodel.py).

This is the only reader of the case language; everything downstream (the generated
program, the C runner's canonical input) starts from what it returns.
"""

import os
import re
from typing import Any, Dict, List, Optional, Tuple

from oracle.casemodel import (BUILTINS, EXCEPTION_BASES, EXCEPTION_TYPES, EXIT_PATHS, KINDS,
                              NO_VALUE, Case, ExceptionClass, Handler, Param, Ref)
from oracle.casesteps import KEYWORDS, NAME_RE, StepReader
from oracle.yamlnodes import Mapping, Node, Nodes, visible

CLASS_RE = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
VERSION_RE = re.compile(r"([23])\.([0-9]{1,2})\Z")
TAG_RE = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
ID_PART = r"[a-z0-9][a-z0-9._-]*"
ID_RE = re.compile(r"%s(/%s)+\Z" % (ID_PART, ID_PART))
# Names a case may not use, because the generated program would break: Python 2 and 3
# keywords, and the names the prelude and generated code rely on.
RESERVED_NAMES = KEYWORDS + (
    "args", "atexit", "getattr", "hasattr", "int", "isinstance", "kwargs", "len", "list",
    "object", "os", "other", "self", "sorted", "str", "sys", "type", "types",
)
RESERVED_CLASSES = EXCEPTION_TYPES + ("BaseException", "False", "None", "NotImplemented", "True")
FIELDS = ("id", "description", "clauses", "tags", "versions", "exit", "exceptions", "lists",
          "objects", "handlers",
          "module", "main")
REQUIRED = ("id", "description", "clauses", "tags", "main")
HANDLER_FIELDS = {"function": ("kind", "params", "body", "quiet"),
                  "method": ("kind", "class", "params", "body", "quiet"),
                  "callable-object": ("kind", "params", "body", "eq", "quiet", "repr_raises"),
                  "builtin": ("kind", "builtin", "list")}


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


class _Loader(StepReader):
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
        self.exceptions: Dict[str, ExceptionClass] = {}
        self.lists: Dict[str, List[Any]] = {}

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
        if "exceptions" in fields:
            self.read_exceptions(fields["exceptions"][1])
        if "lists" in fields:
            for name, key_node, value in n.mapping(fields["lists"][1], "lists"):
                self.check_name(key_node, name, NAME_RE, "a list's name")
                self.check_free(key_node, name, RESERVED_NAMES)
                items = self.plain_value(value, "a list's items")
                if not isinstance(items, list):
                    n.fail(value, "a list's items are a list")
                self.lists[name] = items
        if "objects" in fields:
            for name, key_node, value in n.mapping(fields["objects"][1], "objects"):
                self.check_name(key_node, name, NAME_RE, "an object name")
                self.check_free(key_node, name, RESERVED_NAMES)
                if name in self.lists:
                    n.fail(key_node, "'%s' names a list already" % name)
                cls = n.text(value, "an object's class")
                if not CLASS_RE.match(cls):
                    n.fail(value, "a class name is CapitalisedWords")
                self.check_free(value, cls, RESERVED_CLASSES)
                if cls in self.exceptions:
                    n.fail(value, "'%s' is an exception class of the case" % cls)
                self.objects[name] = cls
        if "handlers" in fields:
            for name, key_node, value in n.mapping(fields["handlers"][1], "handlers"):
                self.check_name(key_node, name, NAME_RE, "a handler name")
                self.check_free(key_node, name, RESERVED_NAMES)
                if name in self.objects or name in self.lists:
                    n.fail(key_node, "'%s' names an object or a list already" % name)
                self.handlers[name] = self.handler(name, key_node, value)
        module = self.steps(fields["module"][1], "module", "module") if "module" in fields else ()
        main = self.steps(fields["main"][1], "main", "main")
        if not main:
            n.fail(fields["main"][1], "main must have at least one step")
        self.check_refs()
        case = Case(self.path, case_id, description, clauses, tags, min_version, max_version,
                    exit_path, self.objects, self.handlers, main, module, self.exceptions,
                    self.lists)
        self.check_no_count_with_processes(case)
        self.check_no_fork_in_handler_with_threads_on_2_7(case)
        return case

    def read_exceptions(self, node: Node) -> None:
        """NAME: BASE, or NAME: {base: BASE, str_raises: true}: classes of the program."""
        n = self.nodes
        for name, key_node, value in n.mapping(node, "exceptions"):
            if not CLASS_RE.match(name):
                n.fail(key_node, "an exception class name is CapitalisedWords")
            self.check_free(key_node, name, RESERVED_CLASSES)
            fields = dict((key, v) for key, _, v in n.mapping(value, "an exception class")) \
                if isinstance(value, Mapping) else {"base": value}
            for key in fields:
                if key not in ("base", "str_raises"):
                    n.fail(value, "an exception class takes base and str_raises")
            if "base" not in fields:
                n.fail(value, "an exception class needs its base")
            base = self.choice(fields["base"], "base", EXCEPTION_BASES)
            str_raises = n.boolean(fields["str_raises"], "str_raises") \
                if "str_raises" in fields else False
            self.exceptions[name] = ExceptionClass(base, str_raises)

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

    def check_no_fork_in_handler_with_threads_on_2_7(self, case: Case) -> None:
        """2.7's threading, once imported, fails in a child forked by a handler at shutdown
        (its _shutdown ran in the parent), printing a KeyError that names a thread id: a
        case that forks in a handler and starts threads or processes needs 3.0 or later."""
        if case.min_version is not None and case.min_version >= (3, 0):
            return
        steps = case.steps()
        bodies = [h.body for h in case.handlers.values()]
        bodies += [h.eq for h in case.handlers.values() if h.eq is not None]
        forks = []
        while bodies:
            for step in bodies.pop():
                forks += [step.line] if step.op == "fork" else []
                bodies.append(step.child)
        if forks and any(step.op in ("thread", "process") for step in steps):
            self.nodes.fail(None, "a fork in a handler in a case that starts threads or "
                                  "processes needs versions {min: \"3.0\"} or later (2.7's "
                                  "threading fails in that child, naming a thread id)",
                            min(forks))

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
            if (builtin == "list.append") != ("list" in fields):
                n.fail(node, "'list' names the list of builtin list.append, and only that")
            bound = self.list_name(fields["list"][1]) if "list" in fields else None
            return Handler(name, kind, key_node.line, builtin=builtin, bound_list=bound)
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
        repr_raises = n.boolean(fields["repr_raises"][1], "repr_raises") \
            if "repr_raises" in fields else False
        params, varargs, varkw = self.params(fields["params"][1]) if "params" in fields \
            else (None, None, None)
        return Handler(name, kind, key_node.line, body, eq, cls, quiet=quiet, params=params,
                       varargs=varargs, varkw=varkw, repr_raises=repr_raises)

    def params(self, node: Node) -> Tuple[Tuple[Param, ...], Optional[str], Optional[str]]:
        """A fixed signature: names, NAME: DEFAULT, then "*REST" and "**KW", in Python's
        order; no keyword-only parameter (2.7 has none)."""
        n = self.nodes
        params: List[Param] = []
        star: Dict[str, Optional[str]] = {"*": None, "**": None}
        seen: List[str] = []
        for item in n.sequence(node, "params"):
            default: Any = NO_VALUE
            if isinstance(item, Mapping):
                pairs = n.mapping(item, "a parameter")
                if len(pairs) != 1:
                    n.fail(item, "a parameter with a default is NAME: VALUE")
                name, name_node, value = pairs[0]
                default = self.value(value, "a default")
            else:
                name, name_node = n.text(item, "a parameter"), item
            stars = "**" if name.startswith("**") else "*" if name.startswith("*") else ""
            name = name[len(stars):]
            self.check_name(name_node, name, NAME_RE, "a parameter")
            self.check_free(name_node, name, RESERVED_NAMES, defines=False)
            if name in seen:
                n.fail(name_node, "parameter '%s' named twice" % name)
            seen.append(name)
            if star["**"] is not None or (stars == "" and star["*"] is not None):
                n.fail(name_node, "'%s' follows *%s or **%s: Python's order is names, "
                                  "defaults, *REST, **KW (and 2.7 has no keyword-only "
                                  "parameters)" % (name, star["*"], star["**"]))
            if stars and default is not NO_VALUE:
                n.fail(name_node, "*%s and **%s take no default" % (name, name))
            if stars:
                star[stars] = name
                continue
            if default is NO_VALUE and params and params[-1].default is not NO_VALUE:
                n.fail(name_node, "'%s' without a default follows a parameter with one"
                       % name)
            params.append(Param(name, default))
        return tuple(params), star["*"], star["**"]

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
