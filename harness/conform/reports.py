"""Writing a run's reports: conformance.json (schema atx-conform/1), junit.xml, the summary table.

Every file is written to a temporary name and renamed, so a report is whole or absent.
"""

import datetime
import json
import os
import socket
import xml.etree.ElementTree as ET
from collections import OrderedDict
from typing import Any, Dict, List, Optional

from harness.conform import drift
from harness.conform.controls import visible
from harness.conform.files import atomic_write
from harness.conform.report_markdown import as_markdown
from harness.conform.report_tap import as_tap
from harness.conform.report_html import as_html
from harness.conform.suite import (ERROR, FAIL, NOT_APPLICABLE, ORACLE_CRASH, PASS, SKIP,
                                   STATUSES, UNSTABLE, XFAIL, XPASS, CaseReport, Result, counts,
                                   known_crashes, unexpected_count)

SCHEMA = "atx-conform/1"


def as_json(reports: List[CaseReport], run_info: Dict[str, Any], clauses: Dict[str, str]) -> str:
    cases = []
    clause_cases: Dict[str, List[str]] = OrderedDict((clause, []) for clause in clauses)
    for report in reports:
        case = report.case
        entry: Dict[str, Any] = {"id": report.id, "path": report.path, "error": report.error or None}
        if case is not None:
            entry.update(description=case.description, area=case.area, clauses=case.clauses,
                         tags=case.tags, exit=case.exit_path, needs=case.needs,
                         versions={"min": "%d.%d" % case.min_version if case.min_version else None,
                                   "max": "%d.%d" % case.max_version if case.max_version else None})
            for clause in case.clauses:
                clause_cases.setdefault(clause, []).append(case.id)
        entry["results"] = [{
            "target": r.target, "oracle": r.oracle, "status": r.status, "reason": r.reason,
            "diff": r.diff, "target_status": r.target_status, "oracle_status": r.oracle_status,
            "program": r.program, "seconds": round(r.seconds, 3),
            "oracle_version": r.oracle_version, "target_version": r.target_version,
            "baseline_version": r.baseline_version, "oracle_transcript": r.oracle_transcript,
            "repro": {"target": r.target_command, "oracle": r.oracle_command},
            "oracle_runs": r.oracle_runs,
            "unstable": {"run": r.unstable_run,
                         "transcripts": [r.oracle_transcript, r.unstable_transcript]}
                        if r.status == UNSTABLE else None,
            "known": r.known or None,
        } for r in report.results]
        cases.append(entry)
    document = OrderedDict([
        ("schema", SCHEMA),
        ("generated", datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")),
        ("run", run_info),
        ("summary", dict(counts(reports), cases=len(reports),
                         unexpected=unexpected_count(reports, _fails_unstable(run_info)),
                         known=known_crashes(reports))),
        ("cases", cases),
        ("versions", drift.versions_of(reports)),
        ("drift", drift.drift(reports)),
        ("clauses", OrderedDict((clause, {"text": clauses.get(clause, ""), "cases": ids})
                                for clause, ids in clause_cases.items())),
    ])
    return json.dumps(document, indent=2) + "\n"


def _fails_unstable(run_info: Optional[Dict[str, Any]]) -> bool:
    """Whether the run counted unstable results as unexpected (--fail-on-unstable)."""
    return bool((run_info or {}).get("fail_on_unstable"))


def _junit_outcome(testcase: ET.Element, result: Result, fail_on_unstable: bool) -> str:
    """Adds the outcome element of a result; returns what it counts as: failure, error,
    skipped or "" (passed). An oracle's finding that is not unexpected is skipped: the
    target was not compared."""
    status = result.status
    if status == FAIL:
        failure = ET.SubElement(testcase, "failure", message=result.reason, type="divergence")
        failure.text = "%s\nrepro (target): %s\nrepro (oracle): %s\n" % (
            result.diff, result.target_command, result.oracle_command)
        return "failure"
    if status == XPASS:
        ET.SubElement(testcase, "failure", message=result.reason, type="unexpected-pass")
        return "failure"
    if status == ERROR:
        ET.SubElement(testcase, "error", message=result.reason, type="error")
        return "error"
    if status == UNSTABLE and fail_on_unstable:
        failure = ET.SubElement(testcase, "failure", message=result.reason, type="unstable-oracle")
        failure.text = "%s\nrepro (oracle): %s\n" % (result.diff, result.oracle_command)
        return "failure"
    if status == ORACLE_CRASH and not result.known:
        error = ET.SubElement(testcase, "error", message=result.reason, type="oracle-crash")
        error.text = "%s\nrepro (oracle): %s\n" % (result.oracle_transcript,
                                                    result.oracle_command)
        return "error"
    if status in (SKIP, NOT_APPLICABLE, XFAIL, UNSTABLE, ORACLE_CRASH):
        ET.SubElement(testcase, "skipped", message=result.reason)
        return "skipped"
    return ""


def as_junit(reports: List[CaseReport], run_info: Optional[Dict[str, Any]] = None) -> str:
    """One testsuite per target, with a timestamp and hostname; classname is the case's area;
    a malformed case is an error. Each testcase's properties: its clauses and tags, the oracle,
    target_version, baseline_version, and the run's seed when run_info has one.
    Element order follows harness/tests/junit.xsd (the outcome, then the properties).
    An unstable oracle is skipped (a failure with --fail-on-unstable); an oracle-crash is
    skipped when a known bug explains it, else an error."""
    seed = (run_info or {}).get("seed")
    fail_on_unstable = _fails_unstable(run_info)
    stamp = datetime.datetime.now().replace(microsecond=0).isoformat()  # local, no zone, as Ant
    host = socket.gethostname() or "localhost"
    suites: Dict[str, List[Any]] = OrderedDict()
    malformed = [report for report in reports if report.error]
    for report in reports:
        for result in report.results:
            suites.setdefault(result.target, []).append((report, result))
    root = ET.Element("testsuites", name="atx-conform")
    if malformed:
        suite = ET.SubElement(root, "testsuite", name="case-files", tests=str(len(malformed)),
                              failures="0", errors=str(len(malformed)), skipped="0",
                              time="0.000", timestamp=stamp, hostname=host)
        for report in malformed:
            testcase = ET.SubElement(suite, "testcase", classname=report.id.split("/")[0],
                                     name=report.id, time="0.000")
            ET.SubElement(testcase, "error", message=report.error, type="malformed-case")
    for target, items in suites.items():
        suite = ET.SubElement(root, "testsuite", name=target, tests=str(len(items)),
                              time="%.3f" % sum(result.seconds for _, result in items),
                              timestamp=stamp, hostname=host)
        tally = {"failure": 0, "error": 0, "skipped": 0, "": 0}
        for report, result in items:
            testcase = ET.SubElement(suite, "testcase", classname=report.case.area, name=report.id,
                                     time="%.3f" % result.seconds)
            tally[_junit_outcome(testcase, result, fail_on_unstable)] += 1
            properties = ET.SubElement(testcase, "properties")
            for clause in report.case.clauses:
                ET.SubElement(properties, "property", name="clause", value=clause)
            for tag in report.case.tags:
                ET.SubElement(properties, "property", name="tag", value=tag)
            ET.SubElement(properties, "property", name="oracle", value=result.oracle)
            ET.SubElement(properties, "property", name="target_version",
                          value=result.target_version)
            ET.SubElement(properties, "property", name="baseline_version",
                          value=result.baseline_version)
            if seed is not None:
                ET.SubElement(properties, "property", name="seed", value=str(seed))
        suite.set("failures", str(tally["failure"]))
        suite.set("errors", str(tally["error"]))
        suite.set("skipped", str(tally["skipped"]))
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
    return visible(text)  # a target's NUL or ESC would make the whole file unreadable


def summary_table(reports: List[CaseReport], fail_on_unstable: bool = False) -> str:
    """Per area: cases and result counts; then the totals and the closing line, which
    names the oracle's findings (unstable, oracle crashes) when there are any."""
    areas: Dict[str, Dict[str, int]] = OrderedDict()
    for report in sorted(reports, key=lambda r: r.id):
        row = areas.setdefault(report.id.split("/")[0], dict({"cases": 0},
                                                             **{s: 0 for s in STATUSES}))
        row["cases"] += 1
        row[ERROR] += 1 if report.error else 0
        for result in report.results:
            row[result.status] += 1
    columns = ["cases"] + list(STATUSES)
    widths = [max(8, len(column) + 1) for column in columns]
    lines = ["%-16s" % "area" + "".join("%*s" % (w, c) for w, c in zip(widths, columns))]
    for area, row in areas.items():
        lines.append("%-16s" % area
                     + "".join("%*d" % (w, row[c]) for w, c in zip(widths, columns)))
    total = counts(reports)
    lines.append("%-16s" % "total" + "%*d" % (widths[0], len(reports))
                 + "".join("%*d" % (w, total[c]) for w, c in zip(widths[1:], columns[1:])))
    closing = "%d passed, %d failed as expected, %d unexpected, %d skipped or n/a" % (
        total[PASS], total[XFAIL], unexpected_count(reports, fail_on_unstable),
        total[SKIP] + total[NOT_APPLICABLE])
    if total[UNSTABLE] or total[ORACLE_CRASH]:
        known = known_crashes(reports)
        closing += "; the oracle: %d unstable%s, %d crashed (%d by a known CPython bug)" % (
            total[UNSTABLE], " (unexpected: --fail-on-unstable)" if fail_on_unstable
            and total[UNSTABLE] else "", total[ORACLE_CRASH], known)
    lines.append(closing)
    return "\n".join(lines) + "\n"


def write_reports(report_dir: str, reports: List[CaseReport], run_info: Dict[str, Any],
                  clauses: Dict[str, str]) -> None:
    atomic_write(os.path.join(report_dir, "conformance.json"), as_json(reports, run_info, clauses))
    atomic_write(os.path.join(report_dir, "junit.xml"), as_junit(reports, run_info))
    atomic_write(os.path.join(report_dir, "drift.md"), drift.as_markdown(reports))
    atomic_write(os.path.join(report_dir, "results.tap"),
                 as_tap(reports, _fails_unstable(run_info)))
    atomic_write(os.path.join(report_dir, "summary.md"), as_markdown(reports, run_info))
    atomic_write(os.path.join(report_dir, "index.html"), as_html(reports, run_info, clauses))
