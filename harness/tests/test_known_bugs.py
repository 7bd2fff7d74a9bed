"""What makes an oracle-crash: the signals a case may end its main process by (crashes.py),
and the known-bugs list that turns one into an expected, documented result (known_bugs.py,
oracle/known_bugs.yaml)."""
import os

import pytest

from harness.conform.crashes import crash_signal, may_end_by
from harness.conform.known_bugs import KnownBugs
from harness.conform.suite import load_cases
from harness.tests.support import CASES, REPO
from oracle.execute import Outcome
from oracle.yamlnodes import CaseError

KNOWN_BUGS = os.path.join(REPO, "oracle", "known_bugs.yaml")
CRASHING = "equality/eq-clears-and-returns-true"


def loaded(*ids):
    cases = {report.id: report.case for report in load_cases(CASES)[0] if report.case}
    return [cases[case_id] for case_id in ids]


def outcome(code=0, timed_out=False):
    return Outcome(["python", "p.py"], "", "", None if timed_out else code, timed_out, False, 0.01)


def test_a_case_may_end_by_the_signals_it_sends_in_its_main_process_only():
    sigterm, abort, interrupt, child, crashing = loaded(
        "exit/signal-sigterm-default", "exit/abort-in-main", "exit/keyboard-interrupt-main",
        "fork/child-killed-by-signal", CRASHING)
    assert may_end_by(sigterm, (3, 11, 2)) == {"SIGTERM"}
    assert may_end_by(abort, (3, 11, 2)) == {"SIGABRT"}
    # an uncaught KeyboardInterrupt ends the process by SIGINT from 3.8 only
    assert may_end_by(interrupt, (3, 8, 18)) == {"SIGINT"}
    assert may_end_by(interrupt, (3, 7, 16)) == set()
    # the forked child's SIGTERM is the child's end, which the parent prints
    assert may_end_by(child, (3, 11, 2)) == set() and may_end_by(crashing, (3, 11, 2)) == set()


def test_a_crash_is_a_signal_the_case_does_not_send():
    sigterm, crashing = loaded("exit/signal-sigterm-default", CRASHING)
    assert crash_signal(outcome(code=-11), crashing, (3, 11, 2)) == "SIGSEGV"
    assert crash_signal(outcome(code=-15), sigterm, (3, 11, 2)) is None
    assert crash_signal(outcome(code=-11), sigterm, (3, 11, 2)) == "SIGSEGV"
    assert crash_signal(outcome(code=1), crashing, (3, 11, 2)) is None
    assert crash_signal(outcome(timed_out=True), crashing, (3, 11, 2)) is None


def test_the_seeded_list_names_gh_112127_for_the_versions_it_affects():
    bugs = KnownBugs.load(KNOWN_BUGS)
    found = bugs.match(CRASHING, (3, 11, 2), "SIGSEGV")
    assert found is not None and found.link == "https://github.com/python/cpython/issues/112127"
    assert bugs.match(CRASHING, (3, 6, 15), "SIGSEGV") is found
    assert bugs.match(CRASHING, (3, 13, 9), "SIGSEGV") is found  # "3.13" takes in 3.13.Z
    assert bugs.match(CRASHING, (3, 14, 2), "SIGSEGV") is None
    assert bugs.match(CRASHING, (3, 11, 2), "SIGABRT") is None
    assert bugs.match("run/lifo", (3, 11, 2), "SIGSEGV") is None


def test_every_case_the_list_names_exists():
    ids = {report.id for report in load_cases(CASES)[0]}
    for bug in KnownBugs.load(KNOWN_BUGS).bugs:
        assert set(bug.cases) <= ids, bug.id


def test_a_version_range_bound_is_as_precise_as_written(tmp_path):
    listed = tmp_path / "bugs.yaml"
    listed.write_text('bugs:\n  b:\n    title: t\n    link: https://x/1\n'
                      '    versions: {min: "3.12.2", max: "3.13.0"}\n'
                      '    signal: SIGBUS\n    cases: [run/lifo]\n')
    bug = KnownBugs.load(str(listed)).bugs[0]
    assert [bug.affects(v) for v in ((3, 12, 1), (3, 12, 2), (3, 13, 0), (3, 13, 1))] == [
        False, True, True, False]


@pytest.mark.parametrize("body, line, message", [
    ("bugz: {}\n", 1, "takes one field, bugs"),
    ("bugs:\n  b: {title: t, link: http://x, versions: {min: '3.0'}, signal: SIGSEGV, "
     "cases: [a/b]}\n", 2, "https://"),
    ("bugs:\n  b:\n    title: t\n    link: https://x\n    versions: {min: '3.0'}\n"
     "    signal: SEGV\n    cases: [a/b]\n", 6, "a signal's name"),
    ("bugs:\n  b:\n    title: t\n    link: https://x\n    versions: {min: 3}\n"
     "    signal: SIGSEGV\n    cases: [a/b]\n", 5, "X.Y or X.Y.Z"),
    ("bugs:\n  b:\n    title: t\n    link: https://x\n    versions: {min: '3.9', max: '3.8'}\n"
     "    signal: SIGSEGV\n    cases: [a/b]\n", 5, "min is after max"),
    ("bugs:\n  b:\n    title: t\n    link: https://x\n    versions: {min: '3.0'}\n"
     "    signal: SIGSEGV\n", 2, "missing field 'cases'"),
    ("bugs:\n  b:\n    title: t\n    link: https://x\n    versions: {min: '3.0'}\n"
     "    signal: SIGSEGV\n    cases: []\n", 7, "at least one case"),
    ("bugs:\n  b:\n    title: t\n    link: https://x\n    versions: {min: '3.0'}\n"
     "    signal: SIGSEGV\n    cases: [a/b]\n    fixed: soon\n", 8, "a known bug takes"),
])
def test_a_malformed_list_is_one_error_at_its_line(tmp_path, body, line, message):
    listed = tmp_path / "bugs.yaml"
    listed.write_text(body)
    with pytest.raises(CaseError) as raised:
        KnownBugs.load(str(listed))
    assert raised.value.line == line and message in raised.value.message
    assert str(raised.value).startswith("%s:%d: " % (listed, line))
