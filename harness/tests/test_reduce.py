"""harness/fuzz/reduce.py: delta debugging of case documents, driven by synthetic
interestingness tests (no processes): what a reduction keeps and removes, the budget, the
copies the test is given, determinism, step counts, and that reduced real cases load."""
import copy
import glob
import os
import shutil

import pytest
import yaml

from harness.fuzz.reduce import count_steps, reduce_case
from harness.tests.support import CASES
from oracle import casefile
from oracle.casemodel import EXCEPTION_TYPES, OPS
from oracle.yamlnodes import CaseError

# 50 steps: every kind of entity, a fork and a thread in a handler, a fork in a fork,
# chained raises, modifiers of every sort. The loader accepts it (test_big_case_loads).
BIG_CASE = """
id: synthetic/big
description: A long case with every kind of entity, nested children and chained raises.
clauses: [run.lifo]
tags: [synthetic]
versions: {min: "3.6"}
exit: normal
exceptions:
  AppError: ValueError
  Opaque: {base: RuntimeError, str_raises: true}
lists:
  log: [1, "two"]
objects:
  box: Box
  jar: Jar
handlers:
  close:
    kind: method
    class: Box
    body: [print_args, print: box closing]
  shut:
    kind: method
    class: Jar
    body: [print: jar shut]
  add:
    kind: builtin
    builtin: list.append
    list: log
  h1:
    params: [a, {b: 25}, "*rest"]
    body:
      - print: h1 starts
      - print_list: log
      - append: log
        value: 300
      - call: h2
        args: [7, "seven"]
        catch: true
      - fork:
          - print: in the child
          - thread:
              - print: in the thread
              - raise: AppError
                arg: from the thread
            join: true
      - print: h1 ends
        stream: stderr
  h2:
    quiet: true
    body:
      - print_args
      - compute: "1 / 0"
        catch: true
      - raise: Opaque
        arg: deep
        during: {raise: KeyError, arg: inner}
        cause: IndexError
        cause_arg: the cause
  e:
    kind: callable-object
    body: [print: e ran]
    eq: [print_eq, {print: comparing, on_call: 2}, return: not-implemented]
  quiet_one:
    body: [print: never called]
module:
  - print: module level
  - register: quiet_one
main:
  - print: start
  - register: h1
    args: [1, 2, 3]
    kwargs: {extra: long text here}
  - register: e
    print_returned: true
  - register: box.close
  - register: jar.shut
  - register: add
    args: [{list: log}]
  - ncallbacks
  - unregister: e
    catch: true
  - print: middle of main
    repeat: 3
  - thread:
      - print: thread one
      - sleep: 5
      - print: thread one done
    join: true
    delay_ms: 10
  - fork:
      - print: forked child
      - register: h2
      - fork:
          - print: grandchild
          - exit: 4
    catch: true
  - append: log
    value: [9, 8]
  - print_list: log
  - run_exitfuncs:
    catch: true
  - register: h1
    args: [5]
  - raise: TypeError
    arg: caught here
    catch: true
  - print: main done
  - exit: 3
"""
BIG = yaml.safe_load(BIG_CASE)
METADATA = ("id", "description", "clauses", "tags")


# Independent readers of documents (not reduce.py's own), tolerant of broken candidates.

def operation(step):
    """A step's operation name, or None."""
    if isinstance(step, str):
        return step
    ops = [key for key in step if key in OPS] if isinstance(step, dict) else []
    return ops[0] if len(ops) == 1 else None


def steps_within(steps):
    """Every step of a list of steps, at every depth (child steps, during steps)."""
    for step in steps if isinstance(steps, list) else []:
        yield step
        if isinstance(step, dict):
            for op in ("fork", "thread", "process"):
                yield from steps_within(step.get(op))
            if isinstance(step.get("during"), (str, dict)):
                yield from steps_within([step["during"]])


def handlers_of(doc):
    handlers = doc.get("handlers")
    return {name: spec for name, spec in handlers.items() if isinstance(spec, dict)} \
        if isinstance(handlers, dict) else {}


def every_step(doc):
    """Every step of a document: module, main, handler bodies and eq, at every depth."""
    lists = [doc.get("module"), doc.get("main")]
    for spec in handlers_of(doc).values():
        lists += [spec.get("body"), spec.get("eq")]
    return [step for steps in lists for step in steps_within(steps)]


def raise_in_registered_handler(doc):
    """A handler registered in main has a raise somewhere in its body."""
    registered = {step["register"] for step in steps_within(doc.get("main"))
                  if isinstance(step, dict) and operation(step) == "register"
                  and isinstance(step["register"], str)}
    return any(name in registered and any(operation(step) == "raise"
                                          for step in steps_within(spec.get("body")))
               for name, spec in handlers_of(doc).items())


def has_args_entry_7(doc):
    return any(isinstance(step, dict) and isinstance(step.get("args"), list)
               and 7 in step["args"] for step in every_step(doc))


def has_register(doc):
    return any(operation(step) == "register" for step in every_step(doc))


def dangling_names(doc):
    """The names steps use that the document does not define (handlers, objects, lists,
    exceptions)."""
    handlers, objects = handlers_of(doc), doc.get("objects") or {}
    lists, exceptions = doc.get("lists") or {}, doc.get("exceptions") or {}
    dangling = []
    for step in every_step(doc):
        op = operation(step)
        if not isinstance(step, dict) or op is None:
            continue
        refs = [step[op]] if op in ("register", "unregister", "set_exitfunc", "call") else []
        refs += [step.get("handler")] if op == "on_signal" else []
        for ref in (ref for ref in refs if isinstance(ref, str)):
            obj, _, name = ref.rpartition(".")
            dangling += [ref] if name not in handlers or obj and obj not in objects else []
        if op in ("append", "print_list") and not (isinstance(step[op], str)
                                                   and step[op] in lists):
            dangling.append(step[op])
        for exc in (step[op], step.get("cause")) if op == "raise" else ():
            dangling += [exc] if exc not in EXCEPTION_TYPES + ("None", None) + tuple(
                exceptions) else []
    return dangling


class Recorder:
    """An interestingness test that keeps each document it is given (the very object)."""

    def __init__(self, predicate):
        self.predicate = predicate
        self.seen = []

    def __call__(self, doc):
        self.seen.append(doc)
        return self.predicate(doc)


# The loader, in a cases folder of its own.

@pytest.fixture
def cases_root(tmp_path):
    shutil.copy(os.path.join(CASES, "clauses.yaml"), str(tmp_path / "clauses.yaml"))
    return str(tmp_path)


def loads(doc, cases_root):
    """Whether the project's loader accepts doc, written as <root>/<area>/<name>.yaml."""
    area, name = doc["id"].split("/")
    os.makedirs(os.path.join(cases_root, area), exist_ok=True)
    path = os.path.join(cases_root, area, name + ".yaml")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    clauses = casefile.load_clauses(os.path.join(cases_root, "clauses.yaml"))
    try:
        casefile.load(path, cases_root, clauses)
    except CaseError:
        return False
    return True


# What a reduction keeps.

def test_big_case_loads_and_has_50_steps(cases_root):
    assert loads(BIG, cases_root)
    assert count_steps(BIG) == 50


def test_raise_in_a_registered_handler_reduces_to_at_most_3_steps():
    reduced = reduce_case(BIG, raise_in_registered_handler)
    assert raise_in_registered_handler(reduced)
    assert count_steps(reduced) <= 3


def test_raise_in_a_registered_handler_reduces_to_a_valid_case(cases_root):
    reduced = reduce_case(BIG, lambda doc: loads(doc, cases_root)
                          and raise_in_registered_handler(doc))
    assert loads(reduced, cases_root) and raise_in_registered_handler(reduced)
    assert count_steps(reduced) <= 3


def test_the_value_the_failure_needs_is_kept_and_the_rest_of_its_list_dropped():
    reduced = reduce_case(BIG, has_args_entry_7)
    assert [step["args"] for step in every_step(reduced)
            if isinstance(step, dict) and "args" in step] == [[7]]
    assert count_steps(reduced) <= 2


def test_fork_and_thread_steps_are_unwrapped_and_during_becomes_the_step():
    doc = {"id": "a/b", "description": "d", "clauses": ["c"], "tags": ["t"], "main": [
        {"fork": [{"thread": [{"raise": "ValueError", "arg": "outer",
                               "during": {"raise": "KeyError", "arg": "inner"}}],
                   "join": True}]}]}
    inner = reduce_case(doc, lambda d: any(operation(s) == "raise" and s["raise"] == "KeyError"
                                           for s in every_step(d)))
    outer = reduce_case(doc, lambda d: any(operation(s) == "raise" and s["raise"] == "ValueError"
                                           for s in every_step(d)))
    assert inner["main"] == [{"raise": "KeyError"}]
    assert outer["main"] == [{"raise": "ValueError"}]


def test_modifiers_are_dropped_and_values_simplified():
    doc = {"id": "a/b", "description": "d", "clauses": ["c"], "tags": ["t"],
           "handlers": {"h": {"body": ["print_args"]}}, "main": [
               {"register": "h", "args": [1, 2], "kwargs": {"k": 300}, "catch": True,
                "print_returned": True},
               {"print": "a long text", "stream": "stderr", "repeat": 40},
               {"os_exit": 200}]}

    def repeated_stderr_print_and_failing_exit(d):
        prints = [s for s in every_step(d) if operation(s) == "print" and isinstance(s, dict)]
        exits = [s for s in every_step(d) if operation(s) == "os_exit" and isinstance(s, dict)]
        return any(s.get("stream") == "stderr" and s.get("repeat", 1) > 1 for s in prints) \
            and any(isinstance(s["os_exit"], int) and s["os_exit"] > 0 for s in exits)

    reduced = reduce_case(doc, repeated_stderr_print_and_failing_exit)
    assert reduced["main"] == [{"print": "a", "stream": "stderr", "repeat": 2}, {"os_exit": 1}]
    assert "handlers" not in reduced
    registering = reduce_case(doc, lambda d: has_register(d) and "h" in handlers_of(d))
    assert registering["main"] == [{"register": "h"}]
    assert registering["handlers"] == {"h": {}}


def test_entities_go_with_the_steps_naming_them_and_optional_fields_are_dropped():
    reduced = reduce_case(BIG, lambda d: any(operation(s) == "print" for s in d.get("main", [])))
    assert [key for key in reduced] == list(METADATA) + ["main"]
    assert reduced["main"] == [{"print": "a"}]


def test_an_object_takes_its_methods_only_when_no_other_object_has_its_class(cases_root):
    doc = {"id": "a/b", "description": "d", "clauses": ["run.lifo"], "tags": ["t"],
           "objects": {"box": "Box", "crate": "Box", "jar": "Jar"},
           "handlers": {"close": {"kind": "method", "class": "Box", "body": ["print_args"]},
                        "shut": {"kind": "method", "class": "Jar"}},
           "main": [{"register": "box.close"}, {"register": "jar.shut"},
                    {"register": "crate.close"}]}
    recorder = Recorder(lambda d: loads(d, cases_root) and {"register": "crate.close"}
                        in d["main"])
    reduced = reduce_case(doc, recorder)
    assert reduced["objects"] == {"crate": "Box"}
    assert reduced["handlers"] == {"close": {"kind": "method", "class": "Box"}}
    assert reduced["main"] == [{"register": "crate.close"}]
    assert all(loads(candidate, cases_root) for candidate in recorder.seen)


def test_no_candidate_names_what_it_does_not_define():
    recorder = Recorder(raise_in_registered_handler)
    reduce_case(BIG, recorder)
    assert recorder.seen
    assert [dangling_names(doc) for doc in recorder.seen if dangling_names(doc)] == []


def test_metadata_is_untouched_and_everything_else_can_go():
    reduced = reduce_case(BIG, lambda doc: True)
    assert {key: reduced[key] for key in METADATA} == {key: BIG[key] for key in METADATA}
    assert set(reduced) == set(METADATA) | {"main"}
    assert count_steps(reduced) == 1


def test_ddmin_removes_chunks_not_only_single_steps():
    doc = {"id": "a/b", "description": "d", "clauses": ["c"], "tags": ["t"],
           "main": [{"print": "filler %d" % index} for index in range(64)]}
    doc["main"][41] = {"print": "needle"}
    recorder = Recorder(lambda d: {"print": "needle"} in d["main"])
    reduced = reduce_case(doc, recorder)
    assert reduced["main"] == [{"print": "needle"}]
    assert len(recorder.seen) < 30  # one step at a time would take 63 calls


# The budget, the copies, determinism.

def test_the_budget_is_honoured_exactly():
    everything = Recorder(lambda doc: False)
    assert reduce_case(BIG, everything, budget=100000) == BIG
    total = len(everything.seen)
    assert total > 100
    for budget in (0, 1, 10, total - 1, total, total + 5):
        recorder = Recorder(lambda doc: False)
        reduce_case(BIG, recorder, budget=budget)
        assert len(recorder.seen) == min(budget, total)
    accepting = Recorder(lambda doc: True)
    reduce_case(BIG, accepting, budget=7)
    assert len(accepting.seen) == 7


def test_the_input_is_never_changed_and_the_result_is_its_own():
    before = copy.deepcopy(BIG)
    reduced = reduce_case(BIG, raise_in_registered_handler)
    assert BIG == before
    reduced["main"].clear()
    reduced["handlers"].clear()
    assert BIG == before


def test_the_test_is_given_a_fresh_copy_each_time():
    def answers_then_vandalises(doc):
        answer = raise_in_registered_handler(doc)
        for spec in handlers_of(doc).values():
            spec.clear()
        doc["main"] = ["abort"]
        return answer

    vandalised = Recorder(answers_then_vandalises)
    reduced = reduce_case(BIG, vandalised)
    assert len({id(doc) for doc in vandalised.seen}) == len(vandalised.seen)
    assert reduced == reduce_case(BIG, raise_in_registered_handler)
    assert raise_in_registered_handler(reduced)


def test_no_document_is_asked_about_twice():
    recorder = Recorder(raise_in_registered_handler)
    reduce_case(BIG, recorder)
    asked = [repr(doc) for doc in recorder.seen]
    assert len(set(asked)) == len(asked) and repr(BIG) not in asked


def test_reduction_is_deterministic():
    first, second = Recorder(has_args_entry_7), Recorder(has_args_entry_7)
    assert reduce_case(BIG, first) == reduce_case(BIG, second)
    assert first.seen == second.seen


# Counting steps.

def test_count_steps_counts_every_depth():
    assert count_steps({"main": ["ncallbacks"]}) == 1
    assert count_steps({"main": []}) == 0
    assert count_steps({"main": [{"raise": "ValueError", "during": {
        "raise": "KeyError", "during": {"compute": "1 / 0"}}}]}) == 3
    assert count_steps({"module": ["on_uncaught"], "main": [
        {"process": [{"thread": ["print_args", {"fork": []}], "join": True}]}],
        "handlers": {"e": {"kind": "callable-object", "body": ["print_args"],
                           "eq": ["print_eq", {"return": True}]},
                     "b": {"kind": "builtin", "builtin": "print"}}}) == 8


def test_count_steps_of_real_cases():
    with open(os.path.join(CASES, "chains", "cause-hides-context.yaml"), encoding="utf-8") as f:
        assert count_steps(yaml.safe_load(f)) == 5  # two raises with during, a register
    with open(os.path.join(CASES, "starts", "thread-in-handler-at-shutdown.yaml"),
              encoding="utf-8") as f:
        assert count_steps(yaml.safe_load(f)) == 8  # 3 in main, 1 + 4 in handlers


# Real cases, reduced, still load.

def registering_cases():
    """area -> the real cases of that area with a register step, as documents."""
    found = {}
    for path in sorted(glob.glob(os.path.join(CASES, "*", "*.yaml"))):
        with open(path, encoding="utf-8") as stream:
            doc = yaml.safe_load(stream)
        if has_register(doc):
            found.setdefault(doc["id"].split("/")[0], []).append(doc)
    return found


REGISTERING = registering_cases()


@pytest.mark.parametrize("area", sorted(REGISTERING))
def test_reduced_real_cases_pass_the_loader(area, cases_root):
    for doc in REGISTERING[area]:
        reduced = reduce_case(doc, lambda d: loads(d, cases_root) and has_register(d))
        assert loads(reduced, cases_root), doc["id"]
        assert has_register(reduced) and count_steps(reduced) <= 2, doc["id"]
        assert {key: reduced[key] for key in METADATA} == {key: doc[key] for key in METADATA}
