"""Test-case reduction for case documents (what a case file parses to): delta debugging,
as Zeller's ddmin and C-Reduce do it, over a failing case's steps, entities and modifiers.
It knows the language's shape, not all its rules: a candidate the loader rejects does not
fail the same way, so it is never kept. The obviously broken are avoided cheaply: main is
never emptied, and an entity removed takes along the steps naming it."""

import copy
from typing import Any, Callable, Iterable, Iterator, List, Optional, Set, Tuple, Union

from oracle.casemodel import OPS

Path = Tuple[Union[str, int], ...]  # keys and indices from the document's root
Edit = Tuple[Path, Any]  # where, and the new value there (DROP: the key or entry goes)

DROP = object()
CHILD_OPS = ("fork", "thread", "process")  # their value is the child's steps
REF_OPS = ("register", "unregister", "set_exitfunc", "call")  # their value is a reference
LIST_OPS = ("append", "print_list")  # their value is a list's name
FREE_VALUE_OPS = ("print", "exit", "os_exit", "sleep")  # their value is any text or number
VALUE_MODIFIERS = ("arg", "cause_arg", "value", "args", "extra_args", "repeat", "delay_ms",
                   "on_call")
ENTRY_MODIFIERS = ("args", "kwargs", "extra_args")  # their entries are dropped one by one
REQUIRED_MODIFIERS = {"append": ("value",), "on_signal": ("handler",)}
NEEDED_BY = {"cause": ("cause_arg",)}  # a modifier dropped takes these along
OPTIONAL_FIELDS = ("versions", "exit", "module")
# In removal order: removing one takes along only entities of a later field (an object
# its class's methods, a list its bound list.append handlers).
ENTITY_FIELDS = ("objects", "lists", "exceptions", "handlers")
HANDLER_OPTIONAL = ("params", "quiet", "repr_raises", "eq", "body")
# Integers are simplified toward these (each only when nearer 0 than the integer was).
INT_TARGETS = {"repeat": (1, 2), "on_call": (1,)}
DEFAULT_INT_TARGETS = (0, 1)
SHORT_TEXT = "a"


class BudgetSpent(Exception):
    """The interestingness test may not be called again."""


def reduce_case(doc: dict, still_fails: Callable[[dict], bool], budget: int = 2000) -> dict:
    """The smallest document found that still fails (by doc_size), as a new copy; doc is
    not changed and still_fails(doc) is taken as True, never asked. still_fails is called
    at most budget times, each time with a deep copy of its own, never twice with equal
    documents. The passes repeat until none makes progress or the budget is spent; id,
    description, clauses and tags are never touched. Deterministic: same doc and answers,
    same calls and result."""
    reducer = Reducer(doc, still_fails, budget)
    try:
        while True:
            accepted = reducer.accepted
            for reduction_pass in PASSES:
                reduction_pass(reducer)
            if reducer.accepted == accepted:
                break
    except BudgetSpent:
        pass
    return copy.deepcopy(reducer.current)


def count_steps(doc: dict) -> int:
    """How many steps doc has at every depth: module, main, handler bodies and eq, the
    child steps of fork, thread and process, and during steps."""
    return sum(1 for _ in walk_steps(doc))


def doc_size(doc: dict) -> Tuple[int, int, int]:
    """How big doc is, compared as a tuple: its steps, then its nodes (each mapping, list,
    key and scalar), then its scalars' weight (an integer's magnitude, a text's length).
    Every change the reducer keeps makes it smaller, so a reduction always ends."""
    nodes, weight = shape(doc)
    return count_steps(doc), nodes, weight


class Reducer:
    """The search: the smallest failing document so far and the calls spent on it."""

    def __init__(self, doc: dict, still_fails: Callable[[dict], bool], budget: int) -> None:
        self.current = copy.deepcopy(doc)
        self.size = doc_size(self.current)
        self.still_fails = still_fails
        self.budget = budget
        self.calls = 0
        self.accepted = 0
        self.tried: Set[str] = {repr(self.current)}

    def attempt(self, candidate: dict) -> bool:
        """True when candidate (sharing nothing with the current document) is smaller and
        still fails: it becomes the current one. A candidate tried before, no smaller, or
        with main empty is refused without a call; BudgetSpent when a call is needed and
        the budget is spent."""
        key = repr(candidate)
        main = candidate.get("main")
        if key in self.tried or not isinstance(main, list) or not main \
                or doc_size(candidate) >= self.size:
            return False
        if self.calls >= self.budget:
            raise BudgetSpent()
        self.tried.add(key)
        self.calls += 1
        if not self.still_fails(copy.deepcopy(candidate)):
            return False
        self.current, self.size = candidate, doc_size(candidate)
        self.accepted += 1
        return True


# The passes: each keeps what makes the current document smaller and still fails.

def ddmin_pass(reducer: Reducer) -> None:
    """Pass 1: ddmin over every step list, outer ones first (inner ones listed afresh)."""
    index = 0
    while index < len(step_list_paths(reducer.current)):
        ddmin(reducer, step_list_paths(reducer.current)[index])
        index += 1


def ddmin(reducer: Reducer, path: Path) -> None:
    """Zeller's ddmin over the steps at path, complements only: removes chunks of the
    list (halves, then quarters, ... single steps) while the document still fails."""
    chunks = 2
    while get(reducer.current, path):
        steps = get(reducer.current, path)
        size = -(-len(steps) // chunks)
        removals = (edited(reducer.current, path, steps[:start] + steps[start + size:])
                    for start in range(0, len(steps), size))
        if any(reducer.attempt(candidate) for candidate in removals):
            chunks = max(chunks - 1, 2)
        elif size == 1:
            return
        else:
            chunks = min(chunks * 2, len(steps))


def sweep(reducer: Reducer, sites: Callable[[dict], List[Any]],
          variants: Callable[[dict, Any], Iterable[dict]]) -> None:
    """Attempts the variants of each site of the current document in turn, up to the
    first that still fails; sites are listed again after each, and a site whose variant
    was kept is tried again. Keeping a variant changes no site listed before its own."""
    index = 0
    while index < len(sites(reducer.current)):
        site = sites(reducer.current)[index]
        if not any(reducer.attempt(candidate) for candidate in variants(reducer.current, site)):
            index += 1


def entity_pass(reducer: Reducer) -> None:
    """Pass 2: removes each object, list, exception and handler with what names it."""
    sweep(reducer, lambda doc: [(field, name) for field in ENTITY_FIELDS
                                for name in mapping(doc, field)],
          lambda doc, site: [without_entity(doc, *site)])


def unwrap_pass(reducer: Reducer) -> None:
    """Pass 3: a fork, thread or process step becomes its child steps; a raise with during
    becomes the raise alone, or the during step alone."""
    sweep(reducer, lambda doc: [path for path, step in walk_steps(doc)
                                if child_steps(step) is not None or has_during(step)],
          lambda doc, path: (edited(doc, *edit) for edit in unwrap_edits(doc, path)))


def drop_pass(reducer: Reducer) -> None:
    """Pass 4: drops each modifier, entry of args, kwargs, extra_args and params, optional
    handler field and optional top-level field (drop_edits)."""
    sweep(reducer, drop_edits, lambda doc, edit: [edited(doc, *edit)])


def value_pass(reducer: Reducer) -> None:
    """Pass 5: integers toward 0 or 1 (repeat toward 1 or 2), text toward "a" or its first
    half, lists toward [] (simpler_values)."""
    sweep(reducer, value_paths, lambda doc, path: (
        edited(doc, path, simpler) for simpler in simpler_values(get(doc, path), path[-1])))


PASSES = (ddmin_pass, entity_pass, unwrap_pass, drop_pass, value_pass)


# Steps and where they are.

def operation(step: Any) -> Optional[str]:
    """A step's operation: a bare name, or a mapping's one operation key; else None."""
    if isinstance(step, str):
        return step
    ops = [key for key in step if key in OPS] if isinstance(step, dict) else []
    return ops[0] if len(ops) == 1 else None


def child_steps(step: Any) -> Optional[list]:
    """The child steps of a fork, thread or process step; None for any other step."""
    op = operation(step)
    return step[op] if op in CHILD_OPS and isinstance(step, dict) \
        and isinstance(step[op], list) else None


def has_during(step: Any) -> bool:
    """Whether step is a raise with a during step (a bare name or a mapping)."""
    return operation(step) == "raise" and isinstance(step, dict) \
        and isinstance(step.get("during"), (str, dict))


def root_step_lists(doc: dict) -> List[Path]:
    """The paths of module, main, and each handler's body and eq, when they are lists."""
    roots: List[Path] = [(key,) for key in ("module", "main") if isinstance(doc.get(key), list)]
    for name, handler in mapping(doc, "handlers").items():
        roots += [("handlers", name, key) for key in ("body", "eq")
                  if isinstance(handler, dict) and isinstance(handler.get(key), list)]
    return roots


def walk_steps(doc: dict) -> Iterator[Tuple[Path, Any]]:
    """Every step of doc and its path, each before its child steps and its during step."""
    for root in root_step_lists(doc):
        for index, step in enumerate(get(doc, root)):
            yield from walk_step(step, root + (index,))


def walk_step(step: Any, path: Path) -> Iterator[Tuple[Path, Any]]:
    """step at path, then the steps inside it (walk_steps)."""
    yield path, step
    for index, child in enumerate(child_steps(step) or []):
        yield from walk_step(child, path + (operation(step), index))
    if has_during(step):
        yield from walk_step(step["during"], path + ("during",))


def step_list_paths(doc: dict) -> List[Path]:
    """Every step list of doc: module, main, bodies, then child lists, outer ones first."""
    return root_step_lists(doc) + [path + (operation(step),) for path, step in walk_steps(doc)
                                   if child_steps(step) is not None]


def mapping(doc: dict, field: str) -> dict:
    """doc's field when it is a mapping, else an empty one."""
    value = doc.get(field)
    return value if isinstance(value, dict) else {}


# Pass 2: entities and the steps that name them.

def without_entity(doc: dict, field: str, name: str) -> dict:
    """A copy of doc without the named entity, and without the steps naming it or the
    handlers it takes along: an object its class's methods when no other object has that
    class, a list the list.append handlers bound to it (and their steps in turn)."""
    candidate = copy.deepcopy(doc)
    del candidate[field][name]
    handlers = mapping(candidate, "handlers")
    gone = {name} if field == "handlers" else set()
    if field == "lists":
        gone = {h for h, spec in handlers.items() if isinstance(spec, dict)
                and spec.get("list") == name}
    if field == "objects" and doc["objects"][name] not in candidate["objects"].values():
        gone = {h for h, spec in handlers.items() if isinstance(spec, dict)
                and spec.get("class") == doc["objects"][name]}
    for handler in gone:
        handlers.pop(handler, None)
    prune_steps(candidate, lambda step: names_entity(step, field, name) or any(
        ref.rpartition(".")[2] in gone for ref in references(step)))
    return candidate


def names_entity(step: Any, field: str, name: str) -> bool:
    """Whether a step itself (not a step inside it) names the object, list or exception."""
    op = operation(step)
    if not isinstance(step, dict) or op is None:
        return False
    if field == "exceptions":
        return op == "raise" and name in (step[op], step.get("cause"))
    if field == "objects":
        return any(ref.rpartition(".")[0] == name for ref in references(step))
    own = [value for key, value in step.items()
           if key != "during" and not (key == op and op in CHILD_OPS)]
    return field == "lists" and (op in LIST_OPS and step[op] == name or holds_list(own, name))


def references(step: Any) -> List[str]:
    """The handler references (NAME or OBJECT.METHOD) a step itself makes."""
    op = operation(step)
    if not isinstance(step, dict) or op is None:
        return []
    refs = [step[op]] if op in REF_OPS else [step.get("handler")] if op == "on_signal" else []
    return [ref for ref in refs if isinstance(ref, str)]


def holds_list(value: Any, name: str) -> bool:
    """Whether value is or holds {list: name}."""
    if isinstance(value, dict):
        return value == {"list": name} or any(holds_list(v, name) for v in value.values())
    return isinstance(value, list) and any(holds_list(item, name) for item in value)


def prune_steps(doc: dict, refers: Callable[[Any], bool]) -> None:
    """Removes from doc (changing it) the steps for which refers is True, at every depth;
    a raise whose during step refers loses its during."""
    for root in root_step_lists(doc):
        get(doc, root[:-1])[root[-1]] = kept_steps(get(doc, root), refers)


def kept_steps(steps: list, refers: Callable[[Any], bool]) -> list:
    """steps without those that refer, each pruned inside (prune_steps; changes them)."""
    kept = []
    for step in (step for step in steps if not refers(step)):
        if child_steps(step) is not None:
            step[operation(step)] = kept_steps(child_steps(step), refers)
        if has_during(step):
            during = kept_steps([step["during"]], refers)
            if during:
                step["during"] = during[0]
            else:
                del step["during"]
        kept.append(step)
    return kept


# Pass 3: unwrapping.

def unwrap_edits(doc: dict, path: Path) -> List[Edit]:
    """The edits replacing the step at path, a fork, thread or process, by its child
    steps, or, a raise with during, by the raise alone and by the during step alone (a
    during step itself, not a list entry, only by one step)."""
    step = get(doc, path)
    replacements = [child_steps(step)] if child_steps(step) is not None else [
        [{key: value for key, value in step.items() if key != "during"}], [step["during"]]]
    if isinstance(path[-1], int):
        steps, index = get(doc, path[:-1]), path[-1]
        return [(path[:-1], steps[:index] + instead + steps[index + 1:])
                for instead in replacements]
    return [(path, instead[0]) for instead in replacements if len(instead) == 1]


# Pass 4: modifiers and optional fields.

def drop_edits(doc: dict) -> List[Edit]:
    """Every drop pass 4 tries: optional and empty top-level fields, version bounds, handler
    fields and params entries, exceptions' str_raises, then each step's (modifier_drops)."""
    edits: List[Edit] = [((key,), DROP) for key in OPTIONAL_FIELDS if key in doc]
    edits += [((key,), DROP) for key in ENTITY_FIELDS if key in doc and not doc[key]]
    edits += [(("versions", bound), DROP) for bound in mapping(doc, "versions")]
    for name, handler in mapping(doc, "handlers").items():
        if isinstance(handler, dict):
            edits += [(("handlers", name, key), DROP) for key in HANDLER_OPTIONAL
                      if key in handler]
            edits += entry_drops(handler.get("params"), ("handlers", name, "params"))
    edits += [(("exceptions", name, "str_raises"), DROP)
              for name, spec in mapping(doc, "exceptions").items()
              if isinstance(spec, dict) and "str_raises" in spec]
    for path, step in walk_steps(doc):
        edits += modifier_drops(step, path)
    return edits


def modifier_drops(step: Any, path: Path) -> List[Edit]:
    """The drops of a step's modifiers (not required ones, each with those needing it) and
    of the entries of its args, kwargs and extra_args; an optional value of its operation
    becomes none, and a step left with its operation alone becomes the bare name."""
    op = operation(step)
    if not isinstance(step, dict) or op is None:
        return []
    edits: List[Edit] = []
    for key, value in step.items():
        if key != op and key not in REQUIRED_MODIFIERS.get(op, ()):
            gone = (key,) + NEEDED_BY.get(key, ())
            edits.append((path, {name: kept for name, kept in step.items() if name not in gone}))
            edits += entry_drops(value, path + (key,)) if key in ENTRY_MODIFIERS else []
    value_optional = OPS[op][1] in ("none", "optional-value")
    if value_optional and step[op] is not None:
        edits.append((path + (op,), None))
    elif value_optional and len(step) == 1:
        edits.append((path, op))
    return edits


def entry_drops(container: Any, path: Path) -> List[Edit]:
    """The drop of each entry of the list or mapping at path (none for anything else)."""
    keys = range(len(container)) if isinstance(container, list) else \
        list(container) if isinstance(container, dict) else []
    return [(path + (key,), DROP) for key in keys]


# Pass 5: values.

def value_paths(doc: dict) -> List[Path]:
    """Every value pass 5 may simplify: named lists' items, parameter defaults, the free
    values of steps (print, exit, os_exit, sleep, a handler's return) and of modifiers."""
    paths: List[Path] = []
    for name, items in mapping(doc, "lists").items():
        paths += values_within(items, ("lists", name))
    for name, handler in mapping(doc, "handlers").items():
        params = handler.get("params") if isinstance(handler, dict) else None
        for index, param in enumerate(params if isinstance(params, list) else []):
            for key, default in param.items() if isinstance(param, dict) else ():
                paths += values_within(default, ("handlers", name, "params", index, key))
    for path, step in walk_steps(doc):
        op = operation(step)
        if not isinstance(step, dict) or op is None:
            continue
        in_eq = path[:1] == ("handlers",) and path[2] == "eq"  # return: true, false, ...
        if op in FREE_VALUE_OPS or op == "return" and not in_eq:
            paths += values_within(step[op], path + (op,))
        for key in (key for key in VALUE_MODIFIERS if key in step):
            paths += values_within(step[key], path + (key,))
        for keyword, value in mapping(step, "kwargs").items():
            paths += values_within(value, path + ("kwargs", keyword))
    return paths


def values_within(value: Any, path: Path) -> List[Path]:
    """The path of value when it can be simplified, then its items'; not {list: NAME}."""
    if isinstance(value, dict):
        return []
    paths = [path] if simpler_values(value, path[-1]) else []
    for index, item in enumerate(value if isinstance(value, list) else []):
        paths += values_within(item, path + (index,))
    return paths


def simpler_values(value: Any, key: Union[str, int]) -> List[Any]:
    """What value may become, most simplified first, each smaller by doc_size; key is
    what holds it (a modifier's name, an operation, or an index)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [target for target in INT_TARGETS.get(str(key), DEFAULT_INT_TARGETS)
                if abs(target) < abs(value)]
    if isinstance(value, str):
        texts = [SHORT_TEXT, value[:len(value) // 2]]
        return [text for index, text in enumerate(texts)
                if text and len(text) < len(value) and text not in texts[:index]]
    return [[]] if isinstance(value, list) and value else []


# Paths and edits.

def get(doc: Any, path: Path) -> Any:
    """The value at path in doc."""
    for key in path:
        doc = doc[key]
    return doc


def edited(doc: dict, path: Path, value: Any) -> dict:
    """A copy of doc with a copy of value at path (DROP: with path's key or entry gone)."""
    candidate = copy.deepcopy(doc)
    if value is DROP:
        del get(candidate, path[:-1])[path[-1]]
    else:
        get(candidate, path[:-1])[path[-1]] = copy.deepcopy(value)
    return candidate


def shape(value: Any) -> Tuple[int, int]:
    """(nodes, weight) of a value: each mapping, list, key and scalar is a node; an
    integer weighs its magnitude, a text its length, anything else nothing."""
    if isinstance(value, dict):
        parts = [shape(key) for key in value] + [shape(item) for item in value.values()]
    elif isinstance(value, list):
        parts = [shape(item) for item in value]
    else:
        is_number = isinstance(value, int) and not isinstance(value, bool)
        return 1, abs(value) if is_number else len(value) if isinstance(value, str) else 0
    return 1 + sum(nodes for nodes, _ in parts), sum(weight for _, weight in parts)
