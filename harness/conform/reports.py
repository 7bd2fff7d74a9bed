"""Writing a run's reports: conformance.json (schema atx-conform/1), junit.xml, the summary table.

Every file is written to a temporary name and renamed, so a report is whole or absent.
"""

import datetime
import json
import os
import xml.etree.ElementTree as ET
from collections import OrderedDict
from typing import Any, Dict, List

from harness.conform import drift
from harness.conform.suite import (ERROR, FAIL, NOT_APPLICABLE, PASS, SKIP, STATUSES, UNEXPECTED,
                                   XFAIL, XPASS, CaseReport, counts)

SCHEMA = "atx-conform/1"


def _atomic_write(path: str, data: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as stream:
        stream.write(data)
    os.replace(tmp, path)


def as_json(reports: List[CaseReport], run_info: Dict[str, Any], clauses: Dict[str, str]) -> str:
    cases = []
    clause_cases: Dict[str, List[str]] = OrderedDict((clause, []) for clause in clauses)
    for report in reports:
        case = report.case
        entry: Dict[str, Any] = {"id": report.id, "path": report.path, "error": report.error or None}
        if case is not None:
            entry.update(description=case.description, area=case.area, clauses=case.clauses,
                         tags=case.tags, exit=case.exit_path,
                         versions={"min": "%d.%d" % case.min_version if case.min_version else None,
                                   "max": "%d.%d" % case.max_version if case.max_version else None})
            for clause in case.clauses:
                clause_cases.setdefault(clause, []).append(case.id)
        entry["results"] = [{
            "target": r.target, "oracle": r.oracle, "status": r.status, "reason": r.reason,
            "diff": r.diff, "target_status": r.target_status, "oracle_status": r.oracle_status,
            "program": r.program, "seconds": round(r.seconds, 3),
            "oracle_version": r.oracle_version,
            "repro": {"target": r.target_command, "oracle": r.oracle_command},
        } for r in report.results]
        cases.append(entry)
    document = OrderedDict([
        ("schema", SCHEMA),
        ("generated", datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")),
        ("run", run_info),
        ("summary", dict(counts(reports), cases=len(reports))),
        ("cases", cases),
        ("versions", drift.versions_of(reports)),
        ("drift", drift.drift(reports)),
        ("clauses", OrderedDict((clause, {"text": clauses.get(clause, ""), "cases": ids})
                                for clause, ids in clause_cases.items())),
    ])
    return json.dumps(document, indent=2) + "\n"


def as_junit(reports: List[CaseReport]) -> str:
    """One testsuite per target; classname is the case's area; a malformed case is an error."""
    suites: Dict[str, List[Any]] = OrderedDict()
    malformed = [report for report in reports if report.error]
    for report in reports:
        for result in report.results:
            suites.setdefault(result.target, []).append((report, result))
    root = ET.Element("testsuites", name="atx-conform")
    if malformed:
        suite = ET.SubElement(root, "testsuite", name="case-files", tests=str(len(malformed)),
                              failures="0", errors=str(len(malformed)), skipped="0")
        for report in malformed:
            testcase = ET.SubElement(suite, "testcase", classname=report.id.split("/")[0],
                                     name=report.id)
            ET.SubElement(testcase, "error", message=report.error, type="malformed-case")
    for target, items in suites.items():
        statuses = [result.status for _, result in items]
        suite = ET.SubElement(root, "testsuite", name=target, tests=str(len(items)),
                              failures=str(statuses.count(FAIL) + statuses.count(XPASS)),
                              errors=str(statuses.count(ERROR)),
                              skipped=str(statuses.count(SKIP) + statuses.count(NOT_APPLICABLE)
                                          + statuses.count(XFAIL)),
                              time="%.3f" % sum(result.seconds for _, result in items))
        for report, result in items:
            testcase = ET.SubElement(suite, "testcase", classname=report.case.area, name=report.id,
                                     time="%.3f" % result.seconds)
            properties = ET.SubElement(testcase, "properties")
            for clause in report.case.clauses:
                ET.SubElement(properties, "property", name="clause", value=clause)
            for tag in report.case.tags:
                ET.SubElement(properties, "property", name="tag", value=tag)
            ET.SubElement(properties, "property", name="oracle", value=result.oracle)
            if result.status == FAIL:
                failure = ET.SubElement(testcase, "failure", message=result.reason, type="divergence")
                failure.text = "%s\nrepro (target): %s\nrepro (oracle): %s\n" % (
                    result.diff, result.target_command, result.oracle_command)
            elif result.status == XPASS:
                ET.SubElement(testcase, "failure", message=result.reason, type="unexpected-pass")
            elif result.status == ERROR:
                ET.SubElement(testcase, "error", message=result.reason, type="error")
            elif result.status in (SKIP, NOT_APPLICABLE, XFAIL):
                ET.SubElement(testcase, "skipped", message=result.reason)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def summary_table(reports: List[CaseReport]) -> str:
    """Per area: cases and result counts; then the totals and the closing line."""
    areas: Dict[str, Dict[str, int]] = OrderedDict()
    for report in sorted(reports, key=lambda r: r.id):
        row = areas.setdefault(report.id.split("/")[0], dict({"cases": 0},
                                                             **{s: 0 for s in STATUSES}))
        row["cases"] += 1
        row[ERROR] += 1 if report.error else 0
        for result in report.results:
            row[result.status] += 1
    columns = ["cases"] + list(STATUSES)
    lines = ["%-16s" % "area" + "".join("%8s" % column for column in columns)]
    for area, row in areas.items():
        lines.append("%-16s" % area + "".join("%8d" % row[column] for column in columns))
    total = counts(reports)
    lines.append("%-16s" % "total" + "%8d" % len(reports)
                 + "".join("%8d" % total[column] for column in columns[1:]))
    lines.append("%d passed, %d failed, %d skipped" % (
        total[PASS] + total[XFAIL], sum(total[status] for status in UNEXPECTED),
        total[SKIP] + total[NOT_APPLICABLE]))
    return "\n".join(lines) + "\n"


def write_reports(report_dir: str, reports: List[CaseReport], run_info: Dict[str, Any],
                  clauses: Dict[str, str]) -> None:
    _atomic_write(os.path.join(report_dir, "conformance.json"), as_json(reports, run_info, clauses))
    _atomic_write(os.path.join(report_dir, "junit.xml"), as_junit(reports))
    _atomic_write(os.path.join(report_dir, "drift.md"), drift.as_markdown(reports))
