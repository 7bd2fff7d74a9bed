"""Generated programs are valid on every CPython found (2.7 and 3.6-3.14)."""
import os
import subprocess

import pytest

from oracle import casefile, compile as compiler, interpreters
from oracle.casemodel import MAX_CHILD_DEPTH, MAX_VALUE_DEPTH
from oracle.discovery import discover

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(REPO, "cases")
# Bytes, so that the program's coding line is what decides (2.7 and 3.x alike).
CHECK = ("import sys\n"
         "for path in sys.argv[1:]:\n"
         "    compile(open(path, 'rb').read(), path, 'exec')\n")


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("programs")
    clauses = casefile.load_clauses(os.path.join(CASES, "clauses.yaml"))
    paths = []
    for n, path in enumerate(discover(CASES)[0]):
        target = folder / ("case%03d.py" % n)
        target.write_text(compiler.compile_case(casefile.load(path, CASES, clauses)),
                          encoding="utf-8")
        paths.append(str(target))
    paths.append(str(deepest_case(folder)))
    return paths


def deepest_case(folder):
    """A case at every nesting limit the loader allows (casemodel.MAX_*): forks within
    forks, a thread and a process innermost, lists within lists, and text of every kind."""
    root = folder / "cases"
    (root / "limits").mkdir(parents=True)
    (root / "clauses.yaml").write_text("fixture.clause: A clause.\n")
    value = "[" * MAX_VALUE_DEPTH + r'1, "caf\u00e9 \\ \" \x7f", it''s' + "]" * MAX_VALUE_DEPTH
    lines = ["id: limits/deepest", "description: Every limit at once.",
             "clauses: [fixture.clause]", "tags: [limits]", "versions: {min: \"3.4\"}",
             "handlers:", "  h: {body: [print_args]}", "main:"]
    indent = "  "
    for _ in range(MAX_CHILD_DEPTH - 1):
        lines.append(indent + "- fork:")
        indent += "  "
    lines += [indent + "- register: h", indent + "  args: [%s]" % value,
              indent + "- print: \"\\t\\x01\\u2028\\U0001F600 \\\"'\"",
              indent + "- thread: [print: in a thread]",
              indent + "- process: [print: in a process]", indent + "  start: spawn"]
    path = root / "limits" / "deepest.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = folder / "deepest.py"
    case = casefile.load(str(path), str(root))
    target.write_text(compiler.compile_case(case), encoding="utf-8")
    return target


@pytest.mark.parametrize("interpreter", interpreters.discover(), ids=lambda i: i.name)
def test_generated_programs_compile(interpreter, programs):
    done = subprocess.run([interpreter.path, "-c", CHECK] + programs, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_literal_round_trips_through_python():
    value = [1, -2, "it's \\ here", None, True, False, [], "caf\u00e9\t\x00\x7f\U0001F600"]
    assert eval(compiler.literal(value)) == value  # noqa: S307 - our own literal
