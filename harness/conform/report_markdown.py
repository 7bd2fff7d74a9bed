"""A run as a short Markdown page for a CI job (e.g. GitHub's $GITHUB_STEP_SUMMARY).

The verdict and counts in the title, a table per target, then each unexpected result (fail,
xpass, error, an oracle-crash no known bug explains, a malformed case; unstable too with
--fail-on-unstable) folded in a <details> with its diff and repro commands, then the oracle's
findings that are not (unstable oracles with the diff between their runs, known CPython bugs).
Each list stops after MAX_ENTRIES and a diff after MAX_DIFF_LINES: the whole run is in
conformance.json.
"""

import html
import re
from collections import OrderedDict
from typing import Any, Dict, List

from harness.conform.suite import (ERROR, FAIL, NOT_APPLICABLE, ORACLE_CRASH, ORACLE_STATUSES,
                                   PASS, SKIP, UNSTABLE, XFAIL, XPASS, CaseReport, Result, counts,
                                   is_unexpected, unexpected_count)

COLUMNS = (PASS, FAIL, XFAIL, XPASS, SKIP, NOT_APPLICABLE, UNSTABLE, ORACLE_CRASH, ERROR)
MAX_ENTRIES = 50
MAX_DIFF_LINES = 60
MALFORMED_ROW = "(case files)"


def _fenced(text: str, info: str = "") -> List[str]:
    """text in a code fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info] + text.rstrip("\n").splitlines() + [fence]


def _title(reports: List[CaseReport], fail_on_unstable: bool) -> str:
    total = counts(reports)
    unexpected = unexpected_count(reports, fail_on_unstable)
    detail = ", ".join("%d %s" % (total[status], status) for status in COLUMNS if total[status])
    cases = "%d case%s" % (len(reports), "" if len(reports) == 1 else "s")
    if unexpected:
        return "# ❌ Conformance: %d unexpected in %s (%s)" % (unexpected, cases, detail)
    return "# ✅ Conformance: nothing unexpected in %s (%s)" % (cases, detail or "no results")


def _run_line(run_info: Dict[str, Any]) -> List[str]:
    parts = []
    oracles = OrderedDict((o.get("name", ""), None) for o in run_info.get("oracles", []))
    if oracles:
        parts.append("oracles: " + ", ".join("`%s`" % name for name in oracles))
    if run_info.get("seed") is not None:
        parts.append("seed: `%s`" % run_info["seed"])
    if run_info.get("repeat") not in (None, 1, [1]):
        parts.append("each oracle run `%s` times" % run_info["repeat"])
    return ["", " · ".join(parts)] if parts else []


def _table(reports: List[CaseReport]) -> List[str]:
    rows: Dict[str, Dict[str, int]] = OrderedDict()
    for report in reports:
        if report.error:
            rows.setdefault(MALFORMED_ROW, dict.fromkeys(COLUMNS, 0))[ERROR] += 1
        for result in report.results:
            rows.setdefault(result.target, dict.fromkeys(COLUMNS, 0))[result.status] += 1
    total = counts(reports)
    lines = ["| target | " + " | ".join(COLUMNS) + " |", "|---|" + "--:|" * len(COLUMNS)]
    for target, row in rows.items():
        lines.append("| `%s` | " % target.replace("|", "\\|")
                     + " | ".join(str(row[c]) for c in COLUMNS) + " |")
    lines.append("| **total** | " + " | ".join("**%d**" % total[c] for c in COLUMNS) + " |")
    return lines


def _result_entry(report: CaseReport, result: Result) -> List[str]:
    summary = "%s <code>%s</code> on <code>%s</code>: %s" % (
        result.status.upper(), html.escape(report.id), html.escape(result.target),
        html.escape(result.reason))
    lines = ["<details><summary>%s</summary>" % summary, ""]
    if result.status == ORACLE_CRASH:  # nothing was compared: what the oracle did
        lines += ["What `%s` did:" % result.oracle, ""] + _fenced(result.oracle_transcript) + [""]
        if result.known:
            lines += ["Known bug: %s" % result.known, ""]
    if result.diff:
        if result.status == UNSTABLE:
            lines += ["Run 1 against run %d of `%s`:" % (result.unstable_run, result.oracle), ""]
        diff = result.diff.rstrip("\n").splitlines()
        lines += _fenced("\n".join(diff[:MAX_DIFF_LINES]), "diff")
        if len(diff) > MAX_DIFF_LINES:
            lines.append("(%d more diff lines in conformance.json)" % (len(diff) - MAX_DIFF_LINES))
        lines.append("")
    if result.target_status or result.oracle_status:
        lines += ["Status: target %s, oracle (`%s`) %s." % (
            result.target_status or "-", result.oracle, result.oracle_status or "-"), ""]
    repro = ["# target (%s)" % result.target, result.target_command,
             "# oracle (%s)" % result.oracle, result.oracle_command]
    lines += ["Repro:", ""] + _fenced("\n".join(repro), "sh") + ["", "</details>"]
    return lines


def _malformed_entry(report: CaseReport) -> List[str]:
    return (["<details><summary>ERROR malformed case <code>%s</code></summary>"
             % html.escape(report.id), ""] + _fenced(report.error) + ["", "</details>"])


def _section(title: str, entries: List[List[str]]) -> List[str]:
    if not entries:
        return []
    lines = ["", "## %s (%d)" % (title, len(entries)), ""]
    for entry in entries[:MAX_ENTRIES]:
        lines += entry + [""]
    if len(entries) > MAX_ENTRIES:
        lines.append("…and %d more: see conformance.json or junit.xml."
                     % (len(entries) - MAX_ENTRIES))
    return lines


def as_markdown(reports: List[CaseReport], run_info: Dict[str, Any]) -> str:
    fail_on_unstable = bool(run_info.get("fail_on_unstable"))
    lines = [_title(reports, fail_on_unstable)] + _run_line(run_info) + [""] + _table(reports)
    entries: List[List[str]] = []
    findings: List[List[str]] = []
    for report in reports:
        if report.error:
            entries.append(_malformed_entry(report))
        for result in report.results:
            if is_unexpected(result, fail_on_unstable):
                entries.append(_result_entry(report, result))
            elif result.status in ORACLE_STATUSES:
                findings.append(_result_entry(report, result))
    lines += _section("Unexpected results", entries)
    lines += _section("The oracle checked: unstable and known CPython bugs", findings)
    return "\n".join(lines).rstrip("\n") + "\n"
