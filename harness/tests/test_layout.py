"""The C sources keep the house rules that a reader relies on: no file over 400 lines, no
include cycle in the case runner but the stated recursion (running a body of steps), and
no YAML read anywhere in it (it reads only the canonical form)."""
import os
import re

import pytest

from harness.tests.support import REPO

RUNNER_DIR = os.path.join(REPO, "harness", "runner")
C_FOLDERS = ("ref/src", "ref/include", "ref/tests", "harness/runner")
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
RECURSION = "steps"  # a handler, thread or child runs a body of steps: exec_steps


def sources(folder):
    path = os.path.join(REPO, folder)
    return sorted(os.path.join(path, name) for name in os.listdir(path)
                  if name.endswith((".c", ".h")))


@pytest.mark.parametrize("path", [p for folder in C_FOLDERS for p in sources(folder)],
                         ids=lambda p: os.path.relpath(p, REPO))
def test_no_c_file_over_400_lines(path):
    with open(path, encoding="utf-8") as stream:
        assert sum(1 for _ in stream) <= 400


def runner_units():
    """Which units of the runner (x.c with its x.h) use which: x uses y when x.c or x.h
    includes y.h."""
    graph = {}
    for path in sources("harness/runner"):
        unit = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as stream:
            used = {os.path.splitext(name)[0] for name in INCLUDE_RE.findall(stream.read())}
        graph.setdefault(unit, set()).update(used - {unit})
    return graph


def cycle(graph):
    """One include cycle of graph (a list of files), or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, trail + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


def test_the_only_include_cycle_is_the_stated_recursion():
    graph = runner_units()
    assert RECURSION in cycle(graph)  # the recursion is there, so the check sees cycles
    without = {unit: used - {RECURSION} for unit, used in graph.items()}
    assert cycle(without) is None, cycle(without)
    with open(os.path.join(RUNNER_DIR, RECURSION + ".h"), encoding="utf-8") as stream:
        assert "recursion" in stream.read().lower()  # stated where it lives


def test_the_runner_reads_no_yaml():
    for path in sources("harness/runner"):
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
        assert "yaml.h" not in text and "yaml_" not in text, path
    with open(os.path.join(REPO, "Makefile"), encoding="utf-8") as stream:
        assert "-lyaml" not in stream.read()
