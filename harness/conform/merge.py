"""Reading runs back from their conformance.json: `atx-conform merge` combines the
reports of shards (--shard I/N) into one, and `atx-conform update-expectations` writes
an expectation file from a finished run, without running anything again.

Cases are loaded again from the checkout's cases folder by id (a shard's absolute paths
may be another machine's); results are taken as the run recorded them.
"""

import json
import os
from typing import Any, Dict, List, Tuple

from harness.conform.suite import CaseReport, Result
from oracle.casefile import load
from oracle.yamlnodes import CaseError


class ReportError(Exception):
    """A report that cannot be read or merged: the message names the file."""


def _result(entry: Dict[str, Any]) -> Result:
    repro = entry.get("repro", {})
    fields = {key: entry[key] for key in ("target", "oracle", "status", "reason", "diff",
                                          "target_status", "oracle_status", "program",
                                          "seconds", "oracle_version", "target_version",
                                          "baseline_version", "oracle_transcript")
              if key in entry}
    unstable = entry.get("unstable") or {}
    transcripts = unstable.get("transcripts") or ["", ""]
    return Result(target_command=repro.get("target", ""), oracle_command=repro.get("oracle", ""),
                  oracle_runs=entry.get("oracle_runs", 0), unstable_run=unstable.get("run", 0),
                  unstable_transcript=transcripts[-1], known=entry.get("known") or "", **fields)


def load_run(path: str, cases_root: str, clauses: Dict[str, str]
             ) -> Tuple[List[CaseReport], Dict[str, Any]]:
    """The case reports and run information a conformance.json holds."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
        if document.get("schema") != "atx-conform/1":
            raise ReportError("%s: not an atx-conform/1 report" % path)
        reports = []
        for entry in document["cases"]:
            report = CaseReport(entry["id"], os.path.join(cases_root, entry["id"] + ".yaml"),
                                error=entry.get("error") or "")
            if not report.error:
                try:
                    report.case = load(report.path, cases_root, clauses)
                except CaseError as error:
                    raise ReportError("%s: case %s no longer loads: %s"
                                      % (path, entry["id"], error)) from None
            report.results = [_result(result) for result in entry["results"]]
            reports.append(report)
        return reports, document["run"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReportError("%s: cannot read the report: %s" % (path, error)) from None


def merge(paths: List[str], cases_root: str, clauses: Dict[str, str]
          ) -> Tuple[List[CaseReport], Dict[str, Any]]:
    """The union of the shards' cases, in id order; a case run on the same target in two
    shards is an error (shards of one selection never overlap)."""
    by_id: Dict[str, CaseReport] = {}
    seen: Dict[Tuple[str, str], str] = {}
    runs = []
    for path in paths:
        reports, run = load_run(path, cases_root, clauses)
        runs.append(run)
        for report in reports:
            for result in report.results:
                key = (report.id, result.target)
                if key in seen:
                    raise ReportError("%s: case %s on %s is also in %s"
                                      % (path, report.id, result.target, seen[key]))
                seen[key] = path
            if report.id in by_id:
                by_id[report.id].results.extend(report.results)
            else:
                by_id[report.id] = report
    merged = {
        "runner": runs[0].get("runner") if runs else None,
        "oracles": _unique(oracle for run in runs for oracle in run.get("oracles", [])),
        "targets": _unique(target for run in runs for target in run.get("targets", [])),
        "merged_from": [os.path.abspath(path) for path in paths],
        "shards": [run.get("selection", {}).get("shard") for run in runs],
        "seed": [run.get("seed") for run in runs],
        "repeat": _unique(run.get("repeat", 1) for run in runs),
        "fail_on_unstable": any(run.get("fail_on_unstable") for run in runs),
        "known_bugs": _unique(run.get("known_bugs") for run in runs if run.get("known_bugs")),
    }
    return [by_id[key] for key in sorted(by_id)], merged


def _unique(items) -> List[Any]:
    kept: List[Any] = []
    for item in items:
        if item not in kept:
            kept.append(item)
    return kept
