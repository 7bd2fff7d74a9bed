"""CI report formats: junit.xml valid against junit.xsd, results.tap readable as TAP 14 with the
same verdict as the run, summary.md with its table and every unexpected result."""
import json
import os
import re
from typing import Any, Dict, List, Optional, Tuple

import yaml
from lxml import etree

from harness.conform import reports
from harness.conform.report_markdown import MAX_ENTRIES, as_markdown
from harness.conform.report_tap import as_tap
from harness.conform.suite import CaseReport, Result
from harness.tests.support import REPO, RUNNER, conform, lossy_target
from oracle.casemodel import Case

SCHEMA = etree.XMLSchema(etree.parse(os.path.join(REPO, "harness", "tests", "junit.xsd")))
ODD_TARGET = "odd # SKIP this\\target"  # a '#', a fake directive and a backslash in a name
DIFF = "--- cpython\n+++ reference\n@@ -1,3 +1,3 @@\n ...\n---\n-c ran\n+C RAN\n"


# ---- a TAP 14 reader, strict about what atx-conform promises to write ------------------------

class Point:
    def __init__(self, ok: bool, number: int, description: str, directive: Optional[str],
                 reason: str) -> None:
        self.ok, self.number, self.description = ok, number, description
        self.directive, self.reason = directive, reason
        self.diagnostics: Optional[Dict[str, Any]] = None

    @property
    def failed(self) -> bool:
        """What a TAP consumer counts as a failure: not ok, unless it is a TODO."""
        return not self.ok and self.directive != "TODO"


def split_directive(text: str) -> Tuple[str, Optional[str], str]:
    """description, directive, reason: the directive starts at the first unescaped ' # ';
    '\\\\' and '\\#' are unescaped (TAP 14, "Escaping")."""
    description: List[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "\\#":
            description.append(text[index + 1])
            index += 2
            continue
        if char == "#" and description[-1:] == [" "]:
            match = re.match(r"#\s*(SKIP|TODO)\S*\s*(.*)$", text[index:], re.IGNORECASE)
            if match:
                reason = match.group(2).replace("\\#", "#").replace("\\\\", "\\")
                return "".join(description).rstrip(), match.group(1).upper(), reason
        description.append(char)
        index += 1
    return "".join(description), None, ""


def read_tap(text: str) -> Tuple[int, List[Point]]:
    lines = text.split("\n")
    assert lines[0] == "TAP version 14" and lines[-1] == "", "no version line or final newline"
    plan = re.fullmatch(r"1\.\.(\d+)( # .+)?", lines[1])
    assert plan, "the plan must follow the version: %r" % lines[1]
    points: List[Point] = []
    index = 2
    while index < len(lines) - 1:
        line = lines[index]
        point = re.fullmatch(r"(not )?ok (\d+) - (.*)", line)
        assert point or not line.strip() or line.lstrip().startswith("#"), "not TAP: %r" % line
        index += 1
        if not point:
            continue
        points.append(Point(point.group(1) is None, int(point.group(2)),
                            *split_directive(point.group(3))))
        if lines[index] == "  ---":
            end = lines.index("  ...", index)
            block = lines[index + 1:end]
            assert all(l.startswith("  ") for l in block), "YAML lines are indented 2 spaces"
            # a lenient reader ends the block at any line that is '...' once stripped
            assert not any(l.strip() == "..." for l in block)
            points[-1].diagnostics = yaml.safe_load("\n".join(l[2:] for l in block))
            assert isinstance(points[-1].diagnostics, dict)
            index = end + 1
    assert [p.number for p in points] == list(range(1, int(plan.group(1)) + 1)), \
        "the plan counts the points, numbered from 1"
    return int(plan.group(1)), points


# ---- in-process reports with every status -----------------------------------------------------

def case(case_id: str) -> Case:
    return Case("/c/%s.yaml" % case_id, case_id, "d", ["run.lifo"], ["t"], (3, 0), None,
                "normal", {}, {}, ())


def result(target: str, status: str, reason: str = "", diff: str = "") -> Result:
    return Result(target, "cpython-3.11.2", status, reason, diff,
                  target_status="exit 0", oracle_status="exit 0",
                  target_command="atx-case-runner --profile 3.11 c.yaml",
                  oracle_command="python3 -I -S -u p.py", program="p.py", seconds=0.25,
                  oracle_version="3.11", target_version="libatx profile 3.11",
                  baseline_version="3.11.2")


def every_status() -> List[CaseReport]:
    made = [("run/pass", result("reference-3.11", "pass")),
            ("run/fail", result("reference-3.11", "fail", "output # differs", DIFF)),
            ("run/skip", result("reference-3.11", "skip", "does not apply to Python 3.11")),
            ("run/na", result("pyodide", "n/a", "needs a real process end")),
            ("run/xfail", result("pypy", "xfail", "expected: PyPy prints no header", DIFF)),
            ("run/xpass", result("pypy", "xpass", "expected to fail (x) but passes")),
            ("run/error", result("reference-3.11", "error", "reference-3.11 timed out after 30s")),
            ("run/odd", result(ODD_TARGET, "pass"))]
    out = [CaseReport(case_id, "/c/%s.yaml" % case_id, case(case_id), results=[res])
           for case_id, res in made]
    out.append(CaseReport("run/broken", "/c/run/broken.yaml", None,
                          "/c/run/broken.yaml:3: unknown operation 'explode'"))
    return out


def by_description(points: List[Point]) -> Dict[str, Point]:
    return {point.description: point for point in points}


def test_tap_maps_every_status_and_fails_exactly_the_unexpected():
    plan, points = read_tap(as_tap(every_status()))
    assert plan == len(points) == 9
    named = by_description(points)
    expected = {  # description: ok, directive, failed for a TAP consumer
        "run/pass on reference-3.11": (True, None, False),
        "run/fail on reference-3.11": (False, None, True),
        "run/skip on reference-3.11": (True, "SKIP", False),
        "run/na on pyodide": (True, "SKIP", False),
        "run/xfail on pypy": (False, "TODO", False),
        "run/xpass on pypy": (False, None, True),
        "run/error on reference-3.11": (False, None, True),
        "run/odd on %s" % ODD_TARGET: (True, None, False),
        "run/broken is a well-formed case file": (False, None, True)}
    assert {d: (p.ok, p.directive, p.failed) for d, p in named.items()} == expected
    assert named["run/skip on reference-3.11"].reason == "does not apply to Python 3.11"
    assert named["run/na on pyodide"].reason == "not applicable: needs a real process end"
    assert named["run/xfail on pypy"].reason == "expected divergence: PyPy prints no header"


def test_tap_diagnostics_carry_message_statuses_diff_and_repro():
    named = by_description(read_tap(as_tap(every_status()))[1])
    fail = named["run/fail on reference-3.11"].diagnostics
    assert fail["message"] == "output # differs" and fail["severity"] == "fail"
    assert fail["diff"] == DIFF  # a diff with '...' and '---' lines survives the block
    assert (fail["target_status"], fail["oracle_status"]) == ("exit 0", "exit 0")
    assert fail["repro"] == {"target": "atx-case-runner --profile 3.11 c.yaml",
                             "oracle": "python3 -I -S -u p.py", "program": "p.py"}
    assert named["run/xfail on pypy"].diagnostics["severity"] == "todo"
    error = named["run/error on reference-3.11"].diagnostics
    assert error["message"].endswith("timed out after 30s") and error["severity"] == "error"
    assert named["run/broken is a well-formed case file"].diagnostics["message"].endswith(
        ":3: unknown operation 'explode'")
    assert all(p.diagnostics is None for p in named.values() if p.ok)


def test_tap_escapes_hash_and_backslash_in_descriptions():
    text = as_tap(every_status())
    assert "ok 8 - run/odd on odd \\# SKIP this\\\\target\n" in text
    assert by_description(read_tap(text)[1])["run/odd on %s" % ODD_TARGET].directive is None


def test_tap_of_an_empty_selection_is_a_skipped_plan():
    assert read_tap(as_tap([]))[0] == 0


def properties(testcase) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for prop in testcase.findall("properties/property"):
        found.setdefault(prop.get("name"), []).append(prop.get("value"))
    return found


def test_junit_is_valid_and_carries_versions_and_seed():
    document = etree.fromstring(reports.as_junit(every_status(), {"seed": 1234}).encode())
    SCHEMA.assertValid(document)
    for suite in document.findall("testsuite"):
        assert suite.get("hostname") and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d",
                                                      suite.get("timestamp"))
    testcase = document.find("testsuite[@name='reference-3.11']/testcase[@name='run/fail']")
    assert properties(testcase)["target_version"] == ["libatx profile 3.11"]
    assert properties(testcase)["baseline_version"] == ["3.11.2"]
    assert properties(testcase)["seed"] == ["1234"]
    unseeded = etree.fromstring(reports.as_junit(every_status(), {}).encode())
    SCHEMA.assertValid(unseeded)
    assert not unseeded.findall(".//property[@name='seed']")


def test_the_schema_rejects_what_ci_tools_would_not_read():
    valid = reports.as_junit(every_status(), {"seed": 1})
    assert SCHEMA.validate(etree.fromstring(valid.encode()))
    no_host = re.sub(r' hostname="[^"]*"', "", valid, count=1)
    two_outcomes = valid.replace('<skipped message="does not apply to Python 3.11" />',
                                 '<skipped /><failure message="x" />', 1)
    assert two_outcomes != valid
    for broken in (no_host, two_outcomes, valid.replace('time="0.250"', 'time="soon"', 1)):
        assert not SCHEMA.validate(etree.fromstring(broken.encode()))


def table_rows(markdown: str) -> Dict[str, List[str]]:
    rows = {}
    for line in markdown.splitlines():
        if line.startswith("| "):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            rows[cells[0].strip("`*")] = [cell.strip("*") for cell in cells[1:]]
    return rows


def test_markdown_has_the_verdict_a_table_per_target_and_each_unexpected_result():
    text = as_markdown(every_status(), {"oracles": [{"name": "cpython-3.11.2"}], "seed": 7})
    assert text.startswith("# ❌ Conformance: 4 unexpected in 9 cases")
    rows = table_rows(text)
    assert rows["target"] == ["pass", "fail", "xfail", "xpass", "skip", "n/a", "unstable",
                              "oracle-crash", "error"]
    assert rows["reference-3.11"] == ["1", "1", "0", "0", "1", "0", "0", "0", "1"]
    assert rows["pypy"] == ["0", "0", "1", "1", "0", "0", "0", "0", "0"]
    assert rows["(case files)"][-1] == "1"
    assert rows["total"] == ["2", "1", "1", "1", "1", "1", "0", "0", "2"]
    summaries = re.findall(r"<details><summary>(.*)</summary>", text)
    assert [s.split()[0] for s in summaries] == ["FAIL", "XPASS", "ERROR", "ERROR"]
    assert "```diff\n" + DIFF + "```" in text
    assert "python3 -I -S -u p.py" in text and "seed: `7`" in text


def test_markdown_is_all_clear_without_unexpected_results_and_caps_its_list():
    clean = [r for r in every_status() if r.id in ("run/pass", "run/skip", "run/xfail")]
    assert as_markdown(clean, {}).startswith("# ✅ Conformance: nothing unexpected in 3 cases")
    assert "<details>" not in as_markdown(clean, {})
    many = [CaseReport("run/f%d" % n, "/c/run/f%d.yaml" % n, case("run/f%d" % n),
                       results=[result("reference-3.11", "fail", "differs", DIFF)])
            for n in range(MAX_ENTRIES + 7)]
    text = as_markdown(many, {})
    assert text.count("<details>") == MAX_ENTRIES and "…and 7 more" in text


# ---- the real suite -----------------------------------------------------------------------------

def test_a_real_run_writes_every_format_consistently(tmp_path):
    # a target that loses handler c's output (CPython behind a filter), with expectations that
    # turn one failure into xfail and one pass into xpass
    lossy = lossy_target(tmp_path)
    listed = tmp_path / "lossy.yaml"
    listed.write_text("target: lossy\nexpectations:\n"
                      "  run/lifo: {reason: 'loses c #1'}\n"
                      "  run/empty-run: {reason: stale}\n")
    out = tmp_path / "reports"
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(out),
                   "--target", "lossy=%s" % lossy, "--expectations", str(listed),
                   "run/lifo", "run/empty-run", "decorator/returns-callable-object",
                   "failure/not-callable-at-shutdown-27")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "%s/results.tap, %s/summary.md" % (out, out) in done.stdout
    data = json.loads((out / "conformance.json").read_text())
    results = {(c["id"], r["target"]): r for c in data["cases"] for r in c["results"]}
    statuses = {key: r["status"] for key, r in results.items()}
    assert {statuses[(c, "lossy")] for c in ("run/lifo", "run/empty-run",
                                             "decorator/returns-callable-object",
                                             "failure/not-callable-at-shutdown-27")} == {
        "xfail", "xpass", "fail", "skip"}

    junit = etree.parse(str(out / "junit.xml"))
    SCHEMA.assertValid(junit)
    reference = data["run"]["targets"][0]
    oracle = data["run"]["oracles"][0]
    for testcase in junit.findall("testsuite[@name='lossy']/testcase"):
        # the wrapper runs Debian's python3, the default oracle too
        assert properties(testcase)["target_version"] == ["CPython %s" % oracle["version"]]
        assert properties(testcase)["baseline_version"] == [oracle["version"]]
    for testcase in junit.findall("testsuite[@name='%s']/testcase" % reference):
        assert properties(testcase)["target_version"] == [
            "libatx profile %s" % reference[len("reference-"):]]

    plan, points = read_tap((out / "results.tap").read_text())
    assert plan == len(results)
    named = by_description(points)
    for (case_id, target), res in results.items():
        point = named["%s on %s" % (case_id, target)]
        assert point.failed == (res["status"] in ("fail", "xpass", "error")), (case_id, target)
    assert named["run/lifo on lossy"].reason == "expected divergence: loses c #1"

    summary = (out / "summary.md").read_text()
    assert summary.startswith("# ❌ Conformance: 2 unexpected in 4 cases")
    assert set(table_rows(summary)) == {"target", reference, "lossy", "total"}
    entries = re.findall(r"<details><summary>(\S+) <code>(.*?)</code> on <code>(.*?)</code>",
                         summary)
    assert sorted(entries) == sorted((r["status"].upper(), c, t) for (c, t), r in results.items()
                                     if r["status"] in ("fail", "xpass", "error"))
