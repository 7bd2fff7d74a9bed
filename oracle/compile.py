"""Compiling a case into a Python program valid on CPython 2.7 and 3.6-3.14."""

import os
from typing import Any, List, Sequence

from oracle.casemodel import NO_VALUE, Case, Handler, ListRef, Ref, Step

PRELUDE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prelude.py")
EQ_RESULTS = {"true": "True", "false": "False", "not-implemented": "NotImplemented"}


# The program is UTF-8 (declared for 2.7), so text is written as it is, but for what a
# literal cannot hold: a backslash, the quote and the ASCII controls are escaped. The
# same literal is a byte string on 2.7 (a str, as a 2.7 program has) and a str on 3.x.
ESCAPES = {"\\": "\\\\", "'": "\\'"}
ESCAPES.update((chr(code), "\\x%02x" % code) for code in list(range(32)) + [127])


def literal(value: Any) -> str:
    """Python source for a case value (text, int, bool, None, list, a named list)."""
    if isinstance(value, ListRef):
        return value.name
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, str):
        return "'" + "".join(ESCAPES.get(char, char) for char in value) + "'"
    return str(value)


def compile_case(case: Case) -> str:
    with open(PRELUDE_PATH, encoding="utf-8") as stream:
        prelude = stream.read()
    out: List[str] = ["# -*- coding: utf-8 -*-",
                      "# Generated from case %s: do not edit." % case.id, prelude]
    for name, items in case.lists.items():
        out.append("\n%s = %s" % (name, literal(items)))
    for name, exception in case.exceptions.items():
        out.append("\n\nclass %s(%s):" % (name, exception.base))
        out.append("    def __str__(self):\n        raise RuntimeError('__str__ raised')"
                   if exception.str_raises else "    pass")
    classes = sorted(set(case.objects.values()))
    for cls in classes:
        out.append("\n\nclass %s(object):" % cls)
        methods = [h for h in case.handlers.values() if h.kind == "method" and h.cls == cls]
        out.append("    pass" if not methods else "")
        for handler in methods:
            out.extend(function(handler, "    ", "self, ", "_name(self) + '.%s'" % handler.name))
    for name, cls in case.objects.items():
        out.append("\n%s = %s()\n%s._atx_name = %s" % (name, cls, name, literal(name)))
    for handler in case.handlers.values():
        out.append("\n")
        if handler.kind == "function":
            out.extend(function(handler, "", "", literal(handler.name)))
        elif handler.kind == "builtin" and handler.bound_list is not None:
            out.append("%s = %s.append" % (handler.name, handler.bound_list))
        elif handler.kind == "builtin":
            out.append("%s = %s" % (handler.name, handler.builtin))
        elif handler.kind == "callable-object":
            out.extend(callable_object(handler))
    if case.module:
        out.append("\n# Module level: runs again in spawn and forkserver children.")
        out.extend(block(case.module, "", None))
    # every process target is a module-level function: spawn and forkserver children
    # find it there
    for step in sorted((s for s in case.steps() if s.op == "process"), key=lambda s: s.serial):
        out.append("\n\ndef %s():" % process_body(step))
        out.extend(block(step.child, "    ", None) or ["    pass"])
    # Guarded: a spawn or forkserver child imports this file as __mp_main__.
    out.append("\n\nif __name__ == \"__main__\":")
    out.extend(block(case.main, "    ", None))
    return "\n".join(out) + "\n"


def process_body(step: Step) -> str:
    return "_process_body_%d" % step.serial


def function(handler: Handler, indent: str, self_param: str, name_expr: str,
             count_key: str = "") -> List[str]:
    lines = ["%sdef %s(%s):" % (indent, handler.name, self_param + signature(handler))]
    if handler.params is not None:  # what print_args and the event show: the bound values
        bound = "(%s)" % "".join(param.name + ", " for param in handler.params)
        lines += ["%s    args = %s%s" % (indent, bound, " + " + handler.varargs
                                        if handler.varargs else ""),
                  "%s    kwargs = %s" % (indent, handler.varkw or "{}")]
    if not handler.quiet:
        lines.append("%s    _event('call ' + _call_text(%s, args, kwargs))" % (indent, name_expr))
    lines += counting(handler.body, indent + "    ", count_key or handler.name)
    lines += block(handler.body, indent + "    ", name_expr)
    return lines if len(lines) > 1 else lines + [indent + "    pass"]


def signature(handler: Handler) -> str:
    """The parameters after self: (*args, **kwargs), or the handler's fixed ones."""
    if handler.params is None:
        return "*args, **kwargs"
    names = [param.name if param.default is NO_VALUE
             else "%s=%s" % (param.name, literal(param.default)) for param in handler.params]
    names += ["*" + handler.varargs] if handler.varargs else []
    names += ["**" + handler.varkw] if handler.varkw else []
    return ", ".join(names)


def counting(body: Sequence[Step], indent: str, key: str) -> List[str]:
    """The body's call number, where a step of it runs on one call only (on_call)."""
    if not any(step.on_call for step in body):
        return []
    return ["%s_call_number = _count_call(%s)" % (indent, literal(key))]


def callable_object(handler: Handler) -> List[str]:
    name = handler.name
    lines = ["class %s_type(object):" % name,
             "    _atx_name = %s" % literal(name)]
    lines += function(Handler("__call__", "method", handler.line, handler.body,
                              quiet=handler.quiet, params=handler.params,
                              varargs=handler.varargs, varkw=handler.varkw),
                      "    ", "self, ", literal(name), name)
    if handler.repr_raises:
        lines += ["    def __repr__(self):", "        raise RuntimeError('__repr__ raised')"]
    if handler.eq is not None:
        lines.append("    def __eq__(self, other):")
        if not handler.quiet:
            lines.append("        _event('eq %s ' + _name(other))" % name)
        lines += counting(handler.eq, "        ", "eq " + name)
        lines += block(handler.eq, "        ", literal(name))
        if not handler.eq or handler.eq[-1].op != "return":
            lines.append("        return False")
        lines.append("    __hash__ = object.__hash__")
    lines.append("%s = %s_type()" % (name, name))
    return lines


def block(steps: Sequence[Step], indent: str, name_expr: Any) -> List[str]:
    lines: List[str] = []
    for step in steps:
        body = statement(step, name_expr)
        if step.catch:  # each repetition catches on its own
            body = (["try:"] + ["    " + line for line in body]
                    + ["except BaseException as _error:", "    _caught(_error)"])
        if step.repeat != 1:
            body = ["for _repeat in range(%d):" % step.repeat] + ["    " + line for line in body]
        if step.if_other is not None:
            body = (["if _name(other) == %s:" % literal(step.if_other)]
                    + ["    " + line for line in body])
        if step.on_call:
            body = ["if _call_number == %d:" % step.on_call] + ["    " + line for line in body]
        lines.extend(indent + line for line in body)
    return lines


def raise_lines(step: Step, name_expr: Any) -> List[str]:
    """raise TYPE(arg); with cause, its __cause__ set first (2.7 has no `from`, and takes
    the attribute as any other); with during, in the except clause of that step."""
    made = "%s(%s)" % (step.exc_type, "" if step.arg is NO_VALUE else literal(step.arg))
    lines = ["raise " + made]
    if step.cause is not None:
        cause = "None" if step.cause == "None" else "%s(%s)" % (
            step.cause, "" if step.cause_arg is NO_VALUE else literal(step.cause_arg))
        lines = ["_raised = " + made, "_raised.__cause__ = " + cause, "raise _raised"]
    if step.child:
        lines = (["try:"] + ["    " + line for line in statement(step.child[0], name_expr)]
                 + ["except BaseException:"] + ["    " + line for line in lines])
    return lines


def ref_source(ref: Ref) -> str:
    if ref.handler is None:
        return literal(ref.value)
    return ref.handler if ref.obj is None else "%s.%s" % (ref.obj, ref.handler)


def statement(step: Step, name_expr: Any) -> List[str]:
    """The Python lines for one step (without indentation)."""
    op = step.op
    if op == "print" and step.stream == "stderr":
        return ["sys.stderr.write(%s + '\\n')" % literal(step.text)]
    if op == "print":
        return ["print(%s)" % literal(step.text)]
    if op == "print_args":
        return ["print(_call_text(%s, args, kwargs))" % name_expr]
    if op == "print_eq":
        return ["print(%s + '.__eq__(' + _name(other) + ')')" % name_expr]
    if op == "raise":
        return raise_lines(step, name_expr)
    if op == "exit":
        return ["sys.exit(%s)" % ("" if step.arg is NO_VALUE else literal(step.arg))]
    module = "_first_atexit" if step.first_instance else "atexit"
    if op == "register":
        if step.ref is None:
            return ["%s.register()" % module]
        call_args = ["func=_func" if step.func_keyword else "_func"]
        call_args += [literal(arg) for arg in step.args]
        call_args += ["%s=%s" % (key, literal(value)) for key, value in step.kwargs]
        lines = ["_func = %s" % ref_source(step.ref),
                 "_result = %s.register(%s)" % (module, ", ".join(call_args))]
        if step.print_returned:
            lines.append("_returned(_result, _func)")
        return lines
    extra = [literal(arg) for arg in step.extra_args]  # arguments too many: a TypeError
    if op == "unregister":
        given = ([] if step.ref is None else [ref_source(step.ref)]) + extra
        return ["%s.unregister(%s)" % (module, ", ".join(given))]
    if op == "run_exitfuncs":
        return ["%s._run_exitfuncs(%s)" % (module, ", ".join(extra))]
    if op == "clear":
        return ["%s._clear(%s)" % (module, ", ".join(extra))]
    if op == "ncallbacks":
        return ["print('ncallbacks ' + str(%s._ncallbacks(%s)))" % (module, ", ".join(extra))]
    if op == "reimport_atexit":  # the name atexit, a global, holds the new module
        return ["del sys.modules['atexit']", "globals()['atexit'] = __import__('atexit')"]
    if op == "reload_atexit":
        return ["_reload(atexit)"]
    if op == "set_exitfunc":  # read by 2.7's shutdown only
        return ["sys.exitfunc = %s" % ref_source(step.ref)]
    if op == "compute":  # casemodel.COMPUTATIONS: each an expression that raises
        return [step.text]
    if op == "os_exit":
        return ["import os", "os._exit(%d)" % step.arg]
    if op == "kill":
        return ["import os, signal", "os.kill(os.getpid(), signal.%s)" % step.text]
    if op == "abort":
        return ["import os", "os.abort()"]
    if op == "on_signal":
        call, lines = ref_source(step.ref), ["import signal"]
        if step.ref.handler is None:  # calling a literal is a SyntaxWarning from 3.8
            lines.append("_signal_value_%d = %s" % (step.serial, call))
            call = "_signal_value_%d" % step.serial
        return lines + ["signal.signal(signal.%s, lambda _signum, _frame: %s())"
                        % (step.text, call)]
    if op == "thread":
        body = "_thread_body_%d" % step.serial
        # after_main: the thread starting it is main (threads start from main only), and
        # joining it returns once main has ended: threading's shutdown marks it stopped
        # before it waits for the other threads and the handlers run.
        starter = "_thread_starter_%d" % step.serial
        waits = ["    time.sleep(%d / 1000.0)" % step.delay_ms] if step.delay_ms else []
        if step.after_main:
            waits.append("    %s.join()" % starter)
        return (["import threading, time", "%s = threading.current_thread()" % starter,
                 "def %s():" % body] + (waits + block(step.child, "    ", name_expr)
                                        or ["    pass"])
                + ["_thread = threading.Thread(target=%s)" % body,
                   "_thread.daemon = %s" % step.daemon, "_thread.start()"]
                + (["_thread.join()"] if step.join else []))
    if op == "fork":
        child = block(step.child, "    ", name_expr)
        return (["import os", "_pid = os.fork()", "if _pid == 0:"] + child
                + ["    sys.exit()", "_child_status(os.waitpid(_pid, 0)[1])"])
    if op == "process":
        start = "None" if step.start is None else literal(step.start)
        return ["_run_process(%s, %s)" % (start, process_body(step))]
    if op == "call":  # through a name: calling a literal is a SyntaxWarning from 3.8
        call_args = [literal(arg) for arg in step.args]
        call_args += ["%s=%s" % (key, literal(value)) for key, value in step.kwargs]
        return ["_func = %s" % ref_source(step.ref), "_func(%s)" % ", ".join(call_args)]
    if op == "append":
        return ["%s.append(%s)" % (step.text, literal(step.arg))]
    if op == "print_list":
        return ["print(_fmt(%s))" % step.text]
    if op == "on_unraisable":
        return ["sys.unraisablehook = _unraisable_hook"]
    if op == "on_uncaught":
        return ["sys.excepthook = _excepthook"]
    if op == "sleep":
        return ["import time", "time.sleep(%d / 1000.0)" % step.delay_ms]
    if op == "return" and step.text is None:  # a handler's: the value is ignored
        return ["return %s" % literal(step.arg)]
    if op == "return":
        return ["return %s" % EQ_RESULTS[step.text]]
    raise AssertionError("unhandled op %s" % op)
