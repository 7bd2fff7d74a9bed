"""The drift table groups versions by identical observed behaviour."""
from harness.conform import drift
from harness.conform.suite import CaseReport, Result


def result(version, transcript, status="pass"):
    return Result("reference-" + version, "cpython-" + version, status,
                  oracle_version=version, oracle_transcript=transcript)


def test_drift_groups_versions_with_identical_behaviour():
    report = CaseReport("run/x", "/c/run/x.yaml", results=[
        result("3.10", "B"), result("2.7", "A"), result("3.9", "A"), result("3.14", "C"),
        result("3.13", "C"), result("3.12", "B", status="fail"), result("3.6", "", status="skip")])
    assert drift.drift([report]) == {"run/x": [["2.7", "3.9"], ["3.10", "3.12"], ["3.13", "3.14"]]}


def test_spans_are_runs_of_consecutive_versions_seen():
    every = ["2.7", "3.6", "3.7", "3.8", "3.13", "3.14"]
    assert drift.span(["3.6", "3.7", "3.8", "3.14"], every) == "3.6-3.8, 3.14"
    assert drift.span(["2.7"], every) == "2.7"


def test_markdown_lists_only_cases_that_drift_and_the_matrix():
    same = CaseReport("a/same", "p", results=[result("3.9", "A"), result("3.10", "A")])
    moved = CaseReport("a/moved", "p", results=[result("3.9", "A"), result("3.10", "B")])
    text = drift.as_markdown([same, moved])
    assert "| `a/moved` | 3.9 / 3.10 |" in text and "| `a/same` |" not in text.split("# Matrix")[0]
    assert "| `a/same` | pass | pass |" in text
