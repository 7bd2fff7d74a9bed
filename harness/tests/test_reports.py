"""Reports: the JSON schema's fields, JUnit structure, the summary table; written atomically."""
import json
import xml.etree.ElementTree as ET

from harness.conform import reports
from harness.conform.compare import compare, transcript
from harness.conform.suite import CaseReport, Result
from oracle.casemodel import Case
from oracle.execute import Outcome


def outcome(output, code=0, events="start 0\n"):
    return Outcome(["x"], output, events, code, False, False, 0.1)


def case(case_id):
    return Case("/c/%s.yaml" % case_id, case_id, "d", ["run.lifo"], ["t"], (3, 0), None,
                "normal", {}, {}, ())


def sample():
    ok = CaseReport("run/ok", "/c/run/ok.yaml", case("run/ok"),
                    results=[Result("reference-3.11", "cpython-3.11.2", "pass", seconds=0.5)])
    bad = CaseReport("run/bad", "/c/run/bad.yaml", case("run/bad"),
                     results=[Result("reference-3.11", "cpython-3.11.2", "fail", "differs",
                                     diff="--- a\n+++ b\n-x\n+y\n", target_command="runner c",
                                     oracle_command="python p")])
    broken = CaseReport("run/broken", "/c/run/broken.yaml", None, "/c/run/broken.yaml:3: bad")
    return [ok, bad, broken]


def test_transcript_includes_status_and_events():
    lines = transcript(outcome("a\nb\n", 3, "start 0\ncall h()\n"))
    assert lines == ["a", "b", "[exit 3]", "[events]", "start 0", "call h()"]


def test_compare_reports_status_and_event_differences():
    assert compare(outcome("a\n"), outcome("a\n"), "o", "t").equal
    assert not compare(outcome("a\n", 0), outcome("a\n", 1), "o", "t").equal
    different = compare(outcome("a\n", events="call f()\n"), outcome("a\n", events="call g()\n"),
                        "o", "t")
    assert "-call f()" in different.diff and "+call g()" in different.diff


def test_json_lists_every_case_with_status_per_target():
    data = json.loads(reports.as_json(sample(), {"runner": "r"}, {"run.lifo": "LIFO"}))
    assert data["schema"] == "atx-conform/1"
    assert data["summary"] == {"cases": 3, "pass": 1, "fail": 1, "skip": 0, "n/a": 0,
                               "xfail": 0, "xpass": 0, "unstable": 0, "oracle-crash": 0,
                               "error": 1, "unexpected": 2, "known": 0}
    by_id = {entry["id"]: entry for entry in data["cases"]}
    assert by_id["run/bad"]["results"][0]["status"] == "fail"
    assert by_id["run/bad"]["results"][0]["repro"] == {"target": "runner c", "oracle": "python p"}
    assert by_id["run/broken"]["error"].endswith(":3: bad")
    assert data["clauses"]["run.lifo"]["cases"] == ["run/ok", "run/bad"]


def test_junit_has_a_suite_per_target_and_areas_as_classnames():
    root = ET.fromstring(reports.as_junit(sample()))
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"case-files", "reference-3.11"}
    target = suites["reference-3.11"]
    assert (target.get("tests"), target.get("failures")) == ("2", "1")
    assert {tc.get("classname") for tc in target.findall("testcase")} == {"run"}
    failure = target.find("testcase[@name='run/bad']/failure")
    assert "repro (target): runner c" in failure.text
    assert suites["case-files"].find("testcase/error").get("type") == "malformed-case"


def test_summary_table_counts_by_area():
    table = reports.summary_table(sample())
    assert table.splitlines()[0].split() == ["area", "cases", "pass", "fail", "skip", "n/a",
                                             "xfail", "xpass", "unstable", "oracle-crash", "error"]
    assert table.splitlines()[1].split() == ["run", "3", "1", "1", "0", "0", "0", "0", "0", "0",
                                             "1"]
    assert table.splitlines()[-1] == ("1 passed, 0 failed as expected, 2 unexpected, "
                                      "0 skipped or n/a")


def test_reports_are_written_whole(tmp_path):
    reports.write_reports(str(tmp_path), sample(), {}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conformance.json", "drift.md",
                                                          "index.html", "junit.xml",
                                                          "results.tap", "summary.md"]
    json.loads((tmp_path / "conformance.json").read_text())
