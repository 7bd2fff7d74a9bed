"""One test per case: the C reference and the default oracle behave identically, or the
oracle dies by a signal the case does not send and a known CPython bug (oracle/known_bugs.yaml)
explains it, as listed.

Ids are case ids, so `pytest -k unregister` selects by name.
"""
import os

import pytest

from harness.conform.compare import compare
from harness.conform.crashes import crash_signal
from harness.conform.known_bugs import KnownBugs
from harness.conform.targets import Python, Reference, shell_command, write_program
from harness.tests.support import CASES, REPO, RUNNER
from oracle import canonical, casefile
from oracle.discovery import discover
from oracle.interpreters import default_oracle

CLAUSES = casefile.load_clauses(os.path.join(CASES, "clauses.yaml"))
PATHS = discover(CASES)[0]
ORACLE = default_oracle()
KNOWN_BUGS = KnownBugs.load(os.path.join(REPO, "oracle", "known_bugs.yaml"))


@pytest.mark.parametrize("path", PATHS, ids=[casefile.case_id_for(p, CASES) for p in PATHS])
def test_case(path, tmp_path):
    case = casefile.load(path, CASES, CLAUSES)
    oracle = Python(ORACLE)
    if not case.applies_to(ORACLE.version[:2]):
        pytest.skip("the case does not apply to Python %s" % ORACLE.short_version)
    reference = Reference(RUNNER, ORACLE.short_version)
    write_program(case, str(tmp_path))
    canonical.write(case, str(tmp_path))
    expected = oracle.run(case, str(tmp_path), 30)
    killed_by = crash_signal(expected, case, ORACLE.version)
    if killed_by is not None:  # nothing to compare: the crash must be the one listed
        bug = KNOWN_BUGS.match(case.id, ORACLE.version, killed_by)
        assert bug is not None, "%s killed by %s, a signal the case does not send: %s" % (
            oracle.name, killed_by, shell_command(oracle.command(case, str(tmp_path))))
        return
    actual = reference.run(case, str(tmp_path), 30)
    comparison = compare(expected, actual, oracle.name, reference.name)
    assert comparison.equal, "%s\nrepro: %s\noracle: %s" % (
        comparison.diff, shell_command(reference.command(case, str(tmp_path))),
        shell_command(oracle.command(case, str(tmp_path))))
