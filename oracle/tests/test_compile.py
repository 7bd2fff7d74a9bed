"""Generated programs are valid on every CPython found (2.7 and 3.6-3.14)."""
import os
import subprocess

import pytest

from oracle import casefile, compile as compiler, interpreters

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(REPO, "cases")
CHECK = ("import sys\n"
         "for path in sys.argv[1:]:\n"
         "    compile(open(path).read(), path, 'exec')\n")


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("programs")
    clauses = casefile.load_clauses(os.path.join(CASES, "clauses.yaml"))
    paths = []
    for n, path in enumerate(casefile.discover(CASES)):
        target = folder / ("case%03d.py" % n)
        target.write_text(compiler.compile_case(casefile.load(path, CASES, clauses)))
        paths.append(str(target))
    return paths


@pytest.mark.parametrize("interpreter", interpreters.discover(), ids=lambda i: i.name)
def test_generated_programs_compile(interpreter, programs):
    done = subprocess.run([interpreter.path, "-c", CHECK] + programs, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_literal_round_trips_through_python():
    value = [1, -2, "it's \\ here", None, True, False, []]
    assert eval(compiler.literal(value)) == value  # noqa: S307 - our own literal
