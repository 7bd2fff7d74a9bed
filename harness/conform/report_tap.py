"""A run as TAP 14 (testanything.org/tap-version-14-specification.html), for TAP consumers.

One test point per (case, target) result, described `<case id> on <target>`, and one per
malformed case file. What a consumer counts as failed is exactly what atx-conform counts as
unexpected (fail, xpass, error, a malformed case):

    pass    ok N - run/lifo on reference-3.11
    skip    ok N - ... # SKIP the case does not apply to Python 3.11
    n/a     ok N - ... # SKIP not applicable: <why>
    xfail   not ok N - ... # TODO expected divergence: <reason>   (a failing TODO is no failure)
    xpass   not ok N - ...      (no TODO: a passing TODO would only be a "bonus", and a stale
                                 expectation must fail the job)
    unstable        ok N - ... # SKIP unstable oracle: <why>      (nothing was compared;
                    not ok N - ... with --fail-on-unstable)
    oracle-crash    ok N - ... # SKIP known CPython bug <id> ...   when a known bug explains it,
                    not ok N - ...                                 else (a new finding)
    fail, error, malformed      not ok N - ...

Every `not ok` point, and every unstable or oracle-crash one, is followed by a YAML diagnostic
block (indented 2 spaces, `---` ... `...`) with the message, statuses, versions, the diff (for
an unstable oracle: run 1 against the first run unlike it; for a crash: the oracle's
transcript) and the repro commands.
"""

from typing import Any, Dict, List

import yaml

from harness.conform.expectations import LISTED
from harness.conform.suite import (ERROR, FAIL, NOT_APPLICABLE, ORACLE_CRASH, PASS, SKIP,
                                   UNSTABLE, XFAIL, XPASS, CaseReport, Result, is_unexpected)

SEVERITY = {FAIL: "fail", XPASS: "fail", ERROR: "error", XFAIL: "todo", UNSTABLE: "unstable",
            ORACLE_CRASH: "crash"}


def escape(text: str) -> str:
    """A description or directive reason on one line, with `\\` and `#` escaped (TAP 14,
    "Escaping"), so no `#` in it can start a directive."""
    flat = " ".join(text.split())
    return flat.replace("\\", "\\\\").replace("#", "\\#")


class _Dumper(yaml.SafeDumper):
    """Multi-line text as literal blocks, so a diff reads as a diff."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    lines = value.splitlines()
    # A line that is only `---` or `...` would end the block for a lenient TAP reader that
    # strips indentation; such text is written double-quoted on one line instead.
    if len(lines) > 1 and not any(line.strip() in ("---", "...") for line in lines):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    style = '"' if len(lines) > 1 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _yaml_block(fields: Dict[str, Any]) -> List[str]:
    text = yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=1 << 16)
    return ["  ---"] + ["  " + line for line in text.splitlines()] + ["  ..."]


def _diagnostics(result: Result) -> Dict[str, Any]:
    fields: Dict[str, Any] = {"message": result.reason or result.status,
                              "severity": SEVERITY.get(result.status, "fail"),
                              "status": result.status, "target": result.target}
    optional = [("target_version", result.target_version), ("oracle", result.oracle),
                ("baseline_version", result.baseline_version),
                ("target_status", result.target_status),
                ("oracle_status", result.oracle_status), ("diff", result.diff),
                ("known", result.known)]
    fields.update((key, value) for key, value in optional if value)
    if result.status == UNSTABLE:
        fields["oracle_runs"] = {"run 1": result.oracle_transcript,
                                 "run %d" % result.unstable_run: result.unstable_transcript}
    elif result.status == ORACLE_CRASH:
        fields["oracle_transcript"] = result.oracle_transcript
    repro = [("target", result.target_command), ("oracle", result.oracle_command),
             ("program", result.program)]
    if any(value for _, value in repro):
        fields["repro"] = {key: value for key, value in repro if value}
    return fields


def _point(number: int, report: CaseReport, result: Result, fail_on_unstable: bool) -> List[str]:
    description = escape("%s on %s" % (report.id, result.target))
    status = result.status
    if status in (UNSTABLE, ORACLE_CRASH) and not is_unexpected(result, fail_on_unstable):
        what = "unstable oracle: " if status == UNSTABLE else ""  # a crash's reason says it
        return (["ok %d - %s # SKIP %s%s" % (number, description, what,
                                              escape(result.reason or status))]
                + _yaml_block(_diagnostics(result)))
    if status == PASS:
        return ["ok %d - %s" % (number, description)]
    if status == SKIP:
        return ["ok %d - %s # SKIP %s" % (number, description, escape(result.reason or "skipped"))]
    if status == NOT_APPLICABLE:
        return ["ok %d - %s # SKIP not applicable: %s" % (number, description,
                                                          escape(result.reason or "n/a"))]
    line = "not ok %d - %s" % (number, description)
    if status == XFAIL:
        reason = result.reason[len(LISTED):] if result.reason.startswith(LISTED) else result.reason
        line += " # TODO expected divergence: %s" % escape(reason or "listed")
    return [line] + _yaml_block(_diagnostics(result))


def as_tap(reports: List[CaseReport], fail_on_unstable: bool = False) -> str:
    lines: List[str] = []
    number = 0
    for report in reports:
        if report.error:
            number += 1
            lines.append("not ok %d - %s" % (number, escape("%s is a well-formed case file"
                                                            % report.id)))
            lines += _yaml_block({"message": report.error, "severity": "error",
                                  "status": ERROR, "file": report.path})
            continue
        for result in report.results:
            number += 1
            lines += _point(number, report, result, fail_on_unstable)
    plan = "1..%d" % number if number else "1..0 # no cases selected"
    return "\n".join(["TAP version 14", plan] + lines) + "\n"
