"""Pyodide as an oracle: one process, many programs, honest about what it cannot run."""
import pytest

from oracle import pyodide

USABLE, WHY = pyodide.available()
pytestmark = pytest.mark.skipif(not USABLE, reason=WHY)


@pytest.fixture(scope="module")
def oracle():
    instance = pyodide.PyodideOracle()
    yield instance
    instance.close()


def program(tmp_path, name, text):
    path = tmp_path / name
    path.write_text("import atexit, os, sys\n" + text)
    return str(path)


def test_pyodide_is_cpython_3_14(oracle):
    assert oracle.version[:2] == (3, 14)


def test_output_events_and_a_fresh_registry_per_program(oracle, tmp_path):
    code = ("os.write(int(sys.argv[1]), ('start %d\\n' % atexit._ncallbacks()).encode())\n"
            "atexit.register(print, 'ran')\nprint('main')\natexit._run_exitfuncs()\n")
    first = oracle.run(program(tmp_path, "a.py", code), 30)
    second = oracle.run(program(tmp_path, "b.py", code), 30)
    for outcome in (first, second):
        assert not outcome.not_applicable
        assert outcome.output == "main\nran\n"
        assert outcome.events == "start 0\n"  # Pyodide's own start-up handler is cleared


def test_what_needs_a_process_end_is_not_applicable(oracle, tmp_path):
    left = oracle.run(program(tmp_path, "left.py", "atexit.register(print, 'x')\n"), 30)
    assert "shutdown" in left.not_applicable
    raised = oracle.run(program(tmp_path, "raise.py", "raise ValueError('x')\n"), 30)
    assert "exception" in raised.not_applicable
    exited = oracle.run(program(tmp_path, "exit.py", "sys.exit(3)\n"), 30)
    assert exited.not_applicable


def test_a_hang_is_a_timeout_and_the_next_program_still_runs(oracle, tmp_path):
    hung = oracle.run(program(tmp_path, "hang.py", "while True:\n    pass\n"), 3)
    assert hung.timed_out
    after = oracle.run(program(tmp_path, "after.py", "print('alive')\n"), 60)
    assert after.output == "alive\n"


def test_a_runtime_that_dies_is_not_a_hang_and_the_next_program_still_runs(oracle, tmp_path):
    # an __eq__ recursing through == overflows Pyodide's WebAssembly stack before
    # Python's recursion limit: the runtime dies (pyodide/pyodide#2840)
    code = ("class E(object):\n    def __eq__(self, other):\n        return E() == other\n"
            "try:\n    E() == 1\nexcept RecursionError:\n    print('caught')\n")
    died = oracle.run(program(tmp_path, "deep.py", code), 30)
    assert not died.timed_out and died.seconds < 30
    assert pyodide.STACK_OVERFLOW_ISSUE in died.not_applicable
    after = oracle.run(program(tmp_path, "after.py", "print('alive')\n"), 60)
    assert after.output == "alive\n"


def test_a_programs_hooks_do_not_outlive_it(oracle, tmp_path):
    setter = "sys.excepthook = sys.unraisablehook = lambda *args: None\n"
    oracle.run(program(tmp_path, "sets.py", setter), 30)
    seen = oracle.run(program(tmp_path, "sees.py", "print(sys.excepthook is sys.__excepthook__, "
                                       "sys.unraisablehook is sys.__unraisablehook__)\n"), 30)
    assert seen.output == "True True\n"
