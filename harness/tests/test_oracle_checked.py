"""The oracle checked, not trusted (design.md), in the suite: an unstable or crashed oracle is
a result of its own, never compared (the target does not even run), shown with what the
oracle did; only an unexplained crash is unexpected, and unstable with --fail-on-unstable; a
merged report keeps it all."""
import json
import os

from harness.conform import reports
from harness.conform.known_bugs import KnownBugs
from harness.conform.merge import merge
from harness.conform.suite import (ORACLE_CRASH, PASS, UNSTABLE, CaseReport, Pairing, Result,
                                   is_unexpected, load_cases, run_suite, unexpected_count)
from harness.conform.targets import Reference
from harness.tests.support import CASES, REPO, RUNNER
from harness.tests.test_stability import Scripted, loaded, outcome
from oracle.casefile import load_clauses

KNOWN_BUGS = os.path.join(REPO, "oracle", "known_bugs.yaml")
CRASHING = "equality/eq-clears-and-returns-true"


class CountingReference(Reference):
    """The real reference, counting its runs (it must not run when nothing is compared)."""
    runs = 0

    def run(self, case, workdir, timeout):
        CountingReference.runs += 1
        return super().run(case, workdir, timeout)


def suite_results(tmp_path, oracle, case_id, times=3):
    report, = [r for r in load_cases(CASES)[0] if r.id == case_id]
    CountingReference.runs = 0
    run_suite([report], [Pairing(oracle, CountingReference(RUNNER, "3.11"))], str(tmp_path),
              jobs=1, timeout=30, repeat=times, known_bugs=KnownBugs.load(KNOWN_BUGS))
    return report.results[0]


def test_an_unstable_oracle_is_shown_with_both_runs_and_not_compared(tmp_path):
    flaky = Scripted(outcome("main done\n"), outcome("main done\n"), outcome("main gone\n"))
    result = suite_results(tmp_path, flaky, "run/lifo")
    assert (result.status, result.unstable_run, result.oracle_runs) == (UNSTABLE, 3, 3)
    assert "main done" in result.oracle_transcript
    assert "main gone" in result.unstable_transcript
    assert "-main done" in result.diff and "+main gone" in result.diff
    assert "run 1 and run 3" in result.reason and CountingReference.runs == 0
    assert not is_unexpected(result) and is_unexpected(result, fail_on_unstable=True)


def test_a_crash_a_known_bug_explains_is_expected_and_carries_its_link(tmp_path):
    crashed = Scripted(outcome("t.__eq__(f)\n", code=-11, events="start 0\neq t f\n"))
    result = suite_results(tmp_path, crashed, CRASHING)
    assert (result.status, result.oracle_status) == (ORACLE_CRASH, "killed by SIGSEGV")
    assert result.known == "https://github.com/python/cpython/issues/112127"
    assert "gh-112127" in result.reason and CountingReference.runs == 0
    assert "[killed by SIGSEGV]" in result.oracle_transcript and not is_unexpected(result)


def test_an_unlisted_crash_is_a_new_finding_and_unexpected(tmp_path):
    crashed = Scripted(outcome("main done\n", code=-7))
    result = suite_results(tmp_path, crashed, "run/lifo", times=1)
    assert (result.status, result.known) == (ORACLE_CRASH, "")
    assert "SIGBUS" in result.reason and "new finding" in result.reason
    assert is_unexpected(result) and CountingReference.runs == 0


def test_a_case_ending_by_its_own_signal_is_compared(tmp_path):
    killed = Scripted(outcome("sending SIGTERM\n", code=-15))
    result = suite_results(tmp_path, killed, "exit/signal-sigterm-default", times=2)
    assert result.status not in (ORACLE_CRASH, UNSTABLE) and CountingReference.runs == 1


def test_only_the_unexpected_count_toward_the_exit_status():
    def report(*results):
        return CaseReport("run/x", "/c/run/x.yaml", loaded("run/lifo")[0], results=list(results))
    known = Result("t", "o", ORACLE_CRASH, known="https://x")
    shaky = Result("t", "o", UNSTABLE)
    assert unexpected_count([report(known, shaky, Result("t", "o", PASS))]) == 0
    assert unexpected_count([report(known, shaky)], fail_on_unstable=True) == 1
    assert unexpected_count([report(Result("t", "o", ORACLE_CRASH))]) == 1


def test_a_merged_report_keeps_the_oracle_findings_and_the_gate(tmp_path):
    lifo, crashing = loaded("run/lifo", CRASHING)
    shaky = Result("reference-3.11", "cpython-3.11.2", UNSTABLE, "differs", "-a\n+b\n",
                   oracle_transcript="a\n[exit 0]", oracle_runs=2, unstable_run=2,
                   unstable_transcript="b\n[exit 0]", oracle_version="3.11")
    known = Result("reference-3.11", "cpython-3.11.2", ORACLE_CRASH, "known",
                   oracle_transcript="t.__eq__(f)\n[killed by SIGSEGV]", oracle_runs=3,
                   known="https://github.com/python/cpython/issues/112127", oracle_version="3.11")
    shard = [CaseReport("run/lifo", lifo.path, lifo, results=[shaky]),
             CaseReport(CRASHING, crashing.path, crashing, results=[known])]
    run_info = {"repeat": 3, "fail_on_unstable": True, "seed": 1}
    reports.write_reports(str(tmp_path / "shard"), shard, run_info, {})
    clauses = load_clauses(os.path.join(CASES, "clauses.yaml"))
    merged, merged_info = merge([str(tmp_path / "shard" / "conformance.json")], CASES, clauses)
    again = {report.id: report.results[0] for report in merged}
    assert again["run/lifo"] == shaky and again[CRASHING] == known
    assert merged_info["fail_on_unstable"] and merged_info["repeat"] == [3]
    reports.write_reports(str(tmp_path / "merged"), merged, merged_info, {})
    data = json.loads((tmp_path / "merged" / "conformance.json").read_text())
    assert (data["summary"]["unexpected"], data["summary"]["known"]) == (1, 1)
