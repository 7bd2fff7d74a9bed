"""Expectation files: expected failures, stale entries, failures that changed, bad files."""
import pytest

from harness.conform import expectations
from harness.conform.expectations import Expectations
from harness.conform.suite import CaseReport, Result
from oracle.yamlnodes import CaseError

DIFF = "--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n"


def report(case_id, status, diff=""):
    return CaseReport(case_id, "p", results=[Result("pypy", "cpython-3.9.18", status, diff=diff)])


def load(tmp_path, text):
    path = tmp_path / "e.yaml"
    path.write_text(text)
    return Expectations.load(str(path))


def test_expected_failures_become_xfail_and_stale_ones_xpass(tmp_path):
    exp = load(tmp_path, "target: pypy\nexpectations:\n  a/fails:\n    reason: known\n"
                         "  a/fixed:\n    reason: was broken\n")
    reports = [report("a/fails", "fail", DIFF), report("a/fixed", "pass"), report("a/new", "fail")]
    exp.apply(reports)
    assert [r.results[0].status for r in reports] == ["xfail", "xpass", "fail"]
    assert "remove it from the list" in reports[1].results[0].reason


def test_a_failure_that_changed_is_caught_by_its_fingerprint(tmp_path):
    exp = load(tmp_path, "target: pypy\nexpectations:\n  a/fails:\n    reason: known\n"
                         "    fingerprint: %s\n" % expectations.fingerprint(DIFF))
    same, other = report("a/fails", "fail", DIFF), report("a/fails", "fail", DIFF + "+z\n")
    exp.apply([same])
    exp.apply([other])
    assert same.results[0].status == "xfail"
    assert other.results[0].status == "fail" and "differently" in other.results[0].reason


def test_other_targets_are_untouched(tmp_path):
    exp = load(tmp_path, "target: jython\nexpectations:\n  a/fails:\n    reason: known\n")
    reports = [report("a/fails", "fail", DIFF)]
    exp.apply(reports)
    assert reports[0].results[0].status == "fail"


def test_a_malformed_file_names_its_line(tmp_path):
    with pytest.raises(CaseError) as raised:
        load(tmp_path, "target: pypy\nexpectations:\n  a/fails:\n    because: no reason\n")
    assert raised.value.line == 4


def test_write_lists_failures_and_keeps_reasons(tmp_path):
    path = str(tmp_path / "out.yaml")
    previous = {"a/fails": {"reason": "kept", "bug": "https://example.org/1", "fingerprint": "0"},
                "a/varies": {"reason": "output varies from run to run"}}
    count = expectations.write(path, "pypy", [report("a/fails", "fail", DIFF),
                                              report("a/varies", "fail", DIFF),
                                              report("a/ok", "pass")], previous)
    written = Expectations.load(path)
    assert count == 2 and list(written.entries) == ["a/fails", "a/varies"]
    assert written.entries["a/fails"] == {"reason": "kept", "bug": "https://example.org/1",
                                          "fingerprint": expectations.fingerprint(DIFF)}
    # an entry listed without a fingerprint (output that varies) is kept without one
    assert written.entries["a/varies"] == {"reason": "output varies from run to run"}


def timed_out(case_id):
    result = Result("pypy", "cpython-3.9.18", "error", reason="pypy timed out after 5s",
                    target_status="timed out")
    return CaseReport(case_id, "p", results=[result])


def test_an_expected_timeout_is_xfail_and_one_that_ends_is_not(tmp_path):
    exp = load(tmp_path, "target: pypy\nexpectations:\n  a/hangs:\n    reason: loops\n"
                         "    expected: timeout\n  a/ends:\n    reason: loops\n"
                         "    expected: timeout\n  a/differs:\n    reason: loops\n"
                         "    expected: timeout\n")
    hangs, ends, differs = timed_out("a/hangs"), report("a/ends", "pass"), report("a/differs",
                                                                                "fail", DIFF)
    exp.apply([hangs, ends, differs])
    assert [r.results[0].status for r in (hangs, ends, differs)] == ["xfail", "xpass", "fail"]
    assert "expected to time out" in ends.results[0].reason
    with pytest.raises(CaseError, match="expected is one of: fail, timeout, intermittent"):
        load(tmp_path, "target: pypy\nexpectations:\n  a/x:\n    reason: r\n    expected: crash\n")


def test_write_lists_timeouts_as_expected_timeouts(tmp_path):
    path = tmp_path / "out.yaml"
    listed = expectations.write(str(path), "pypy", [timed_out("a/hangs"),
                                                    report("a/fails", "fail", DIFF)], {})
    assert listed == 2
    written = Expectations.load(str(path)).entries
    assert written["a/hangs"]["expected"] == "timeout" and "fingerprint" not in written["a/hangs"]
    assert written["a/fails"]["fingerprint"] == expectations.fingerprint(DIFF)


def test_write_keeps_the_files_leading_comments(tmp_path):
    path = tmp_path / "out.yaml"
    path.write_text("# How to run this target\n# and why.\ntarget: pypy\nexpectations: {}\n")
    expectations.write(str(path), "pypy", [report("a/fails", "fail", DIFF)], {})
    assert path.read_text().startswith("# How to run this target\n# and why.\ntarget: pypy\n")


def test_a_file_may_declare_what_its_target_lacks(tmp_path):
    exp = load(tmp_path, "target: jython\nlacks: [fork, processes]\nexpectations: {}\n")
    assert exp.lacks == ("fork", "processes")
    with pytest.raises(CaseError, match="lacks takes capabilities"):
        load(tmp_path, "target: jython\nlacks: [teleport]\nexpectations: {}\n")
    with pytest.raises(CaseError, match="takes target, lacks and expectations"):
        load(tmp_path, "target: jython\nlack: [fork]\nexpectations: {}\n")


def test_update_keeps_lacks_and_adds_new_ones(tmp_path):
    path = tmp_path / "out.yaml"
    path.write_text("target: pypy\nlacks: [fork]\nexpectations: {}\n")
    expectations.update(str(path), "pypy", [report("a/fails", "fail", DIFF)], ("signals",))
    assert Expectations.load(str(path)).lacks == ("fork", "signals")


def test_an_intermittent_case_may_pass_or_fail_as_listed(tmp_path):
    exp = load(tmp_path, "target: pypy\nexpectations:\n  a/racy:\n    reason: a race\n"
                         "    expected: intermittent\n    fingerprint: %s\n"
                         % expectations.fingerprint(DIFF))
    passed, failed = report("a/racy", "pass"), report("a/racy", "fail", DIFF)
    other = report("a/racy", "fail", DIFF + "+z\n")
    exp.apply([passed, failed, other])
    assert [r.results[0].status for r in (passed, failed, other)] == ["pass", "xfail", "fail"]
    assert "intermittent" in passed.results[0].reason


def test_write_keeps_an_intermittent_case_that_passed(tmp_path):
    path = str(tmp_path / "out.yaml")
    previous = {"a/racy": {"reason": "a race", "expected": "intermittent"}}
    assert expectations.write(path, "pypy", [report("a/racy", "pass")], previous) == 1
    assert Expectations.load(path).entries == previous
