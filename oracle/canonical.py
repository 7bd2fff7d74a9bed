"""A loaded case in its canonical form, atx-case/1: the JSON the C case runner reads.

Every field is explicit (nothing is left to the reader's defaults) and every reference
is resolved to an index, so the runner needs no knowledge of the case language's rules
and cannot read a case differently from the loader. The schema is documented in
cases/README.md ("The canonical form"); the form is written by this module only.
"""

import json
import os
from typing import Any, Dict, List, Optional, Sequence

from oracle.casemodel import NO_VALUE, Case, ListRef, Ref, Step

FORMAT = "atx-case/1"


def canonical(case: Case) -> Dict[str, Any]:
    handler_index = {name: i for i, name in enumerate(case.handlers)}
    object_index = {name: i for i, name in enumerate(case.objects)}
    list_index = {name: i for i, name in enumerate(case.lists)}

    def value(v: Any) -> Any:
        """A value as JSON: a named list is {"list": its index}."""
        if isinstance(v, ListRef):
            return {"list": list_index[v.name]}
        return [value(item) for item in v] if isinstance(v, list) else v

    def ref(target: Optional[Ref]) -> Optional[Dict[str, Any]]:
        if target is None:
            return None
        if target.handler is None:
            return {"kind": "value", "handler": None, "object": None,
                    "value": value(target.value)}
        return {"kind": "handler", "handler": handler_index[target.handler],
                "object": None if target.obj is None else object_index[target.obj],
                "value": None}

    def steps(items: Sequence[Step]) -> List[Dict[str, Any]]:
        return [{
            "op": step.op, "line": step.line, "serial": step.serial,
            "text": step.text if step.op in ("print", "compute") else None,
            "list": list_index[step.text] if step.op in ("append", "print_list") else None,
            "exception": step.exc_type,
            "has_arg": step.arg is not NO_VALUE,
            "arg": None if step.arg is NO_VALUE else value(step.arg),
            "ref": ref(step.ref),
            "args": [value(arg) for arg in step.args],
            "kwargs": [[key, value(v)] for key, v in step.kwargs],
            "catch": step.catch,
            "print_returned": step.print_returned,
            "signal": step.text if step.op in ("kill", "on_signal") else None,
            "result": step.text if step.op == "return" else None,
            "child": steps(step.child),
            "daemon": step.daemon,
            "delay_ms": step.delay_ms,
            "after_main": step.after_main,
            "join": step.join,
            "start": step.start,
            "stream": step.stream,
            "repeat": step.repeat,
            "on_call": step.on_call,
            "if_other": step.if_other,
            "extra_args": [value(arg) for arg in step.extra_args],
            "func_keyword": step.func_keyword,
            "instance": "first" if step.first_instance else "current",
            "cause": None if step.cause is None else {
                "type": None if step.cause == "None" else step.cause,
                "has_arg": step.cause_arg is not NO_VALUE,
                "arg": None if step.cause_arg is NO_VALUE else value(step.cause_arg)},
        } for step in items]

    def version(bound: Optional[Sequence[int]]) -> Optional[str]:
        return None if bound is None else "%d.%d" % tuple(bound)

    return {
        "format": FORMAT,
        "id": case.id,
        "description": case.description,
        "clauses": list(case.clauses),
        "tags": list(case.tags),
        "versions": {"min": version(case.min_version), "max": version(case.max_version)},
        "exit": case.exit_path,
        "needs": list(case.needs),
        "exceptions": [{"name": name, "base": exception.base, "str_raises": exception.str_raises}
                       for name, exception in case.exceptions.items()],
        "lists": [{"name": name, "items": value(items)} for name, items in case.lists.items()],
        "objects": [{"name": name, "class": cls} for name, cls in case.objects.items()],
        "handlers": [{
            "name": h.name, "kind": h.kind, "line": h.line, "class": h.cls,
            "builtin": h.builtin,
            "list": None if h.bound_list is None else list_index[h.bound_list],
            "quiet": h.quiet, "repr_raises": h.repr_raises,
            "params": None if h.params is None else [
                {"name": p.name, "has_default": p.default is not NO_VALUE,
                 "default": None if p.default is NO_VALUE else value(p.default)}
                for p in h.params],
            "varargs": h.varargs, "varkw": h.varkw, "body": steps(h.body),
            "eq": None if h.eq is None else steps(h.eq),
        } for h in case.handlers.values()],
        "module": steps(case.module),
        "main": steps(case.main),
    }


def dumps(case: Case) -> bytes:
    """The canonical form as UTF-8 JSON, one byte sequence per case (its digest keys the
    reference's cache entries)."""
    return (json.dumps(canonical(case), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def path_for(case: Case, workdir: str) -> str:
    """Where a run keeps it: beside the generated program, workdir/programs/<id>.case.json."""
    return os.path.join(workdir, "programs", case.id + ".case.json")


def write(case: Case, workdir: str) -> str:
    """Writes the canonical form to path_for(case, workdir); returns that path."""
    path = path_for(case, workdir)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(dumps(case))
    return path
