"""Reading the steps of a case (the step reader of casefile.py's loader): one operation and
its modifiers each, checked against the language's table (casemodel.OPS)."""

import re
from typing import Any, Dict, List, Optional, Tuple

from oracle.casemodel import (COMPUTATIONS, EQ_RESULTS, EVERY_OP_MODIFIERS, EXCEPTION_TYPES,
                              INSTANCES, ListRef,
                              FIRST_WITH_START_METHODS, FIRST_WITH_UNRAISABLEHOOK, HANDLED_SIGNALS, MAX_CHILD_DEPTH,
                              MAX_REPEAT, MAX_VALUE_DEPTH, NOT_IN_THREADS, OPS, SIGNALS,
                              START_METHODS, STREAMS, Ref, Step)
from oracle.yamlnodes import Mapping, Node, Nodes, Scalar, Sequence, visible

NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
KEYWORDS = (
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "exec", "finally", "for", "from", "global", "if", "import", "in", "is",
    "lambda", "nonlocal", "not", "or", "pass", "print", "raise", "return", "try", "while", "with",
    "yield",
)


class StepReader:
    """Reads steps; the loader that mixes it in has nodes, refs (every reference read,
    checked once the handlers are known), serials and min_version."""
    nodes: Nodes
    refs: List[Tuple[Ref, Node]]
    serials: int
    min_version: Optional[Tuple[int, int]]
    exceptions: Dict[str, Any]  # the case's own exception classes, by name
    lists: Dict[str, List[Any]]  # the case's named lists

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

    def steps(self, node: Node, what: str, where: str, depth: int = 0) -> Tuple[Step, ...]:
        if depth > MAX_CHILD_DEPTH:
            self.nodes.fail(node, "fork, thread and process steps nested more than %d deep"
                            % MAX_CHILD_DEPTH)
        return tuple(self.step(item, where, depth) for item in self.nodes.sequence(node, what))

    def value(self, node: Node, what: str, depth: int = 0) -> Any:
        """A data value: a scalar, {list: NAME} (one of the case's lists itself), or a
        list of values nested at most MAX_VALUE_DEPTH deep."""
        n = self.nodes
        if isinstance(node, Sequence):
            if depth >= MAX_VALUE_DEPTH:
                n.fail(node, "%s: lists nested more than %d deep" % (what, MAX_VALUE_DEPTH))
            return [self.value(item, what, depth + 1) for item in node.items]
        if isinstance(node, Mapping):
            items = n.mapping(node, what)
            if len(items) != 1 or items[0][0] != "list":
                n.fail(node, "%s: a value is a scalar, a list or {list: NAME}" % what)
            return ListRef(self.list_name(items[0][2]))
        return n.scalar(node)

    def plain_value(self, node: Node, what: str) -> Any:
        """A value holding no named list: what a named list may hold (no cycles)."""
        found = self.value(node, what)
        pending = [found]
        while pending:
            item = pending.pop()
            if isinstance(item, ListRef):
                self.nodes.fail(node, "%s: a named list holds plain values (no {list: NAME})"
                                % what)
            if isinstance(item, list):
                pending += item
        return found

    def list_name(self, node: Node) -> str:
        name = self.nodes.text(node, "a list's name")
        if name not in self.lists:
            self.nodes.fail(node, "no list named '%s' (see lists:)" % visible(name))
        return name

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
                                                       and where in ("handler", "eq")) \
                and not (place == "program" and where in ("main", "handler", "eq")):
            n.fail(op_node, "'%s' is not allowed in %s" % (op, where))
        for key, (kn, _) in extras.items():
            if key not in modifiers + EVERY_OP_MODIFIERS:
                n.fail(kn, "'%s' does not take '%s' (it takes: %s)" % (
                    op, visible(key), ", ".join(modifiers + EVERY_OP_MODIFIERS)))
        if value is None and reads not in ("none", "optional-value"):
            n.fail(op_node, "'%s' needs a value" % op)
        if value is not None and reads == "none" and not n.is_null(value):
            n.fail(value, "'%s' takes no value" % op)
        if op == "on_unraisable" and (self.min_version is None
                                      or self.min_version < FIRST_WITH_UNRAISABLEHOOK):
            n.fail(op_node, "'on_unraisable' needs versions {min: \"3.8\"} or later "
                            "(sys.unraisablehook is new in 3.8)")
        self.serials += 1
        step: Dict[str, Any] = {"op": op, "line": op_node.line, "serial": self.serials}
        if reads == "text":
            step["text"] = n.text(value, op)
        elif reads == "exception":
            step["exc_type"] = self.choice(value, "raise",
                                           EXCEPTION_TYPES + tuple(self.exceptions))
            self.read_chain(step, extras, where, depth)
        elif reads == "optional-value" and value is not None:
            step["arg"] = n.scalar(value)
        elif reads in ("ref", "ref-or-null"):
            if not (reads == "ref-or-null" and n.is_null(value)):
                step["ref"] = self.ref(value)
            else:
                for key, (kn, _) in extras.items():
                    if key not in ("catch", "extra_args", "instance") + EVERY_OP_MODIFIERS:
                        n.fail(kn, "'%s: ~' (no callable) takes only catch, extra_args and "
                                   "instance" % op)
        elif reads == "milliseconds":
            step["delay_ms"] = self.bounded(value, op, 0, 10000, "milliseconds")
        elif reads == "status":
            status = n.scalar(value)  # beyond a C int: the OverflowError os._exit raises
            if not isinstance(status, int) or isinstance(status, bool):
                n.fail(value, "'%s' takes an exit status (an integer)" % op)
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
            if where in ("handler", "eq") and (
                    "start" not in extras or n.scalar(extras["start"][1]) != "fork"):
                n.fail(op_node, "a process started in a handler needs start: fork (a spawn or "
                                "forkserver child started at shutdown cannot find the "
                                "program's main module: not modelled)")
            if "start" in extras:
                step["start"] = self.choice(extras["start"][1], "start", START_METHODS)
                if self.min_version is None or self.min_version < FIRST_WITH_START_METHODS:
                    n.fail(extras["start"][0], "'start' needs versions {min: \"3.4\"} or later "
                                               "(2.7's multiprocessing has no start methods)")
        elif reads == "list-name":
            step["text"] = self.list_name(value)
            if op == "append":
                if "value" not in extras:
                    n.fail(op_node, "'append' needs 'value' (what it appends)")
                step["arg"] = self.plain_value(extras["value"][1], "value")
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
        if "instance" in extras:
            step["first_instance"] = self.choice(extras["instance"][1], "instance",
                                                 INSTANCES) == "first"
        if "stream" in extras:
            step["stream"] = self.choice(extras["stream"][1], "stream", STREAMS)
        if "repeat" in extras:
            step["repeat"] = self.bounded(extras["repeat"][1], "repeat", 0, MAX_REPEAT, "times")
        if "on_call" in extras:
            if where not in ("handler", "eq"):
                n.fail(extras["on_call"][0], "on_call is for the steps of a handler or eq body")
            step["on_call"] = self.bounded(extras["on_call"][1], "on_call", 1, MAX_REPEAT,
                                           "the number of a call")
        for flag in ("catch", "print_returned", "daemon", "after_main", "join"):
            if flag in extras:
                step[flag] = n.boolean(extras[flag][1], flag)
        if step.get("after_main") and step.get("daemon"):
            n.fail(extras["after_main"][0], "after_main needs a non-daemon thread (a daemon "
                                            "thread may never run once main has ended)")
        if step.get("after_main") and step.get("join"):
            n.fail(extras["join"][0], "join and after_main exclude each other (joining a "
                                      "thread that waits for main to end never returns)")
        if op == "thread" and where in ("handler", "eq") and not step.get("join"):
            n.fail(op_node, "a thread started in a handler needs join: true (at shutdown "
                            "nothing waits for it: its output would race the end)")
        return Step(**step)

    def read_chain(self, step: Dict[str, Any], extras: Dict[str, Tuple[Node, Node]],
                   where: str, depth: int) -> None:
        """raise's during (the step whose exception is being handled: a raise or a
        compute, alone), cause (a type, or None: raise ... from None) and cause_arg."""
        n = self.nodes
        if "during" in extras:
            key_node, node = extras["during"]
            if depth >= MAX_CHILD_DEPTH:
                n.fail(key_node, "during steps nested more than %d deep" % MAX_CHILD_DEPTH)
            inner = self.step(node, where, depth + 1)
            if inner.op not in ("raise", "compute") or inner.catch or inner.repeat != 1 \
                    or inner.on_call or inner.if_other is not None:
                n.fail(key_node, "during is a raise or a compute step, alone (no catch, "
                                 "repeat, on_call or if_other)")
            step["child"] = (inner,)
        if "cause" in extras:
            step["cause"] = self.choice(extras["cause"][1], "cause",
                                        EXCEPTION_TYPES + tuple(self.exceptions) + ("None",))
        if "cause_arg" in extras:
            if step.get("cause") in (None, "None"):
                n.fail(extras["cause_arg"][0], "cause_arg needs a cause exception type")
            step["cause_arg"] = n.scalar(extras["cause_arg"][1])

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
