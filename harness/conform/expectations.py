"""Expectation files (web-platform-tests style): the known divergences of one target.

A file (YAML) names its target and, per case expected to diverge, a reason, optionally a
bug link and the fingerprint of the expected diff, so a case that starts failing
differently is caught:

    target: pypy
    lacks: [fork]                   # optional: capabilities it lacks, as --lacks declares
    expectations:
      failure/empty-message:
        reason: PyPy prints no "Error in atexit._run_exitfuncs:" header
        bug: https://...            # optional
        fingerprint: 3f2a9c0d1e4b   # optional: sha1 of the diff's -/+ lines, 12 hex digits
      equality/register-during-unregister:
        reason: 3.14's unregister loops forever when __eq__ registers
        expected: timeout           # optional: fail (the default), timeout or intermittent

Applied to a run: an expected failure with a matching (or no) fingerprint, or an expected
timeout that timed out, becomes `xfail`; a pass that was expected to fail becomes `xpass`,
which is unexpected too (stale lists are what runner users complain about most). An
intermittent case (wpt's "expected: [PASS, FAIL]") fails in some runs only: its pass stays
`pass`, its failure (with a matching or no fingerprint) is `xfail`. A result the oracle
decided alone (unstable, oracle-crash: nothing was compared) is left as it is, and its entry
is kept when the file is written again.
"""

import hashlib
import os
from collections import OrderedDict
from typing import Dict, List, Tuple

import yaml

from harness.conform.files import atomic_write
from harness.conform.suite import (ERROR, FAIL, ORACLE_STATUSES, PASS, XFAIL, XPASS, CaseReport,
                                   Result)

EXPECTED = ("fail", "timeout", "intermittent")
LISTED = "expected: "  # an xfail's reason: this, then the reason its entry gives
TIMED_OUT = "timed out"  # Outcome.status_text() of a run killed at the timeout
from oracle.casemodel import CAPABILITIES
from oracle.yamlnodes import CaseError, Nodes


def fingerprint(diff: str) -> str:
    changed = [line for line in diff.splitlines()
               if line[:1] in "-+" and not line.startswith(("---", "+++"))]
    return hashlib.sha1("\n".join(changed).encode("utf-8")).hexdigest()[:12]


class Expectations:
    def __init__(self, path: str, target: str, entries: Dict[str, Dict[str, str]],
                 lacks: Tuple[str, ...] = ()) -> None:
        self.path = path
        self.target = target
        self.entries = entries
        self.lacks = lacks

    @classmethod
    def load(cls, path: str) -> "Expectations":
        """Reads a file; a malformed one is a CaseError naming the file and line."""
        nodes = Nodes(path)
        root = nodes.read(path)
        fields = {}
        for key, key_node, value in nodes.mapping(root, "an expectation file"):
            if key not in ("target", "lacks", "expectations"):
                nodes.fail(key_node, "an expectation file takes target, lacks and expectations")
            fields[key] = value
        for key in ("target", "expectations"):
            if key not in fields:
                nodes.fail(root, "missing field '%s'" % key)
        lacks = []
        for item in nodes.sequence(fields["lacks"], "lacks") if "lacks" in fields else []:
            lacks.append(nodes.text(item, "lacks"))
            if lacks[-1] not in CAPABILITIES:
                nodes.fail(item, "lacks takes capabilities: %s" % ", ".join(CAPABILITIES))
        entries: Dict[str, Dict[str, str]] = OrderedDict()
        for case_id, key_node, value in nodes.mapping(fields["expectations"], "expectations"):
            entry = {}
            for key, kn, v in nodes.mapping(value, "expectation '%s'" % case_id):
                if key not in ("reason", "bug", "fingerprint", "expected"):
                    nodes.fail(kn, "an expectation takes reason, bug, fingerprint and expected")
                entry[key] = nodes.text(v, key)
                if key == "expected" and entry[key] not in EXPECTED:
                    nodes.fail(v, "expected is one of: %s" % ", ".join(EXPECTED))
            if "reason" not in entry:
                nodes.fail(key_node, "expectation '%s' needs a reason" % case_id)
            entries[case_id] = entry
        return cls(path, nodes.text(fields["target"], "target"), entries, tuple(lacks))

    def apply(self, reports: List[CaseReport]) -> None:
        for report in reports:
            entry = self.entries.get(report.id)
            if entry is None:
                continue
            for result in report.results:
                if result.target == self.target:
                    self._apply_one(result, entry)

    @staticmethod
    def _apply_one(result: Result, entry: Dict[str, str]) -> None:
        if entry.get("expected") == "intermittent" and result.status == PASS:
            result.reason = "listed as intermittent (%s): passed this time" % entry["reason"]
        elif entry.get("expected") == "timeout":
            if result.status == ERROR and result.target_status == TIMED_OUT:
                result.status = XFAIL
                result.reason = LISTED + entry["reason"]
            elif result.status in (PASS, FAIL):
                result.status = XPASS if result.status == PASS else FAIL
                result.reason = "expected to time out (%s) but ended: update the list" % (
                    entry["reason"])
        elif result.status == PASS:
            result.status = XPASS
            result.reason = "expected to fail (%s) but passes: remove it from the list" % (
                entry["reason"])
        elif result.status == FAIL:
            wanted = entry.get("fingerprint")
            if wanted is None or wanted == fingerprint(result.diff):
                result.status = XFAIL
                result.reason = LISTED + entry["reason"]
            else:
                result.reason = ("fails differently than expected (fingerprint %s, expected %s)"
                                 % (fingerprint(result.diff), wanted))


def write(path: str, target: str, reports: List[CaseReport],
          previous: Dict[str, Dict[str, str]], lacks: Tuple[str, ...] = ()) -> int:
    """Writes the expectation file of a run: every failing or timing-out (or expected to)
    case of the target, keeping reasons and bugs already written, and every intermittent
    case that ran, and every listed case whose oracle was unstable or crashed, as it was.
    Returns how many it lists."""
    entries: Dict[str, Dict[str, str]] = OrderedDict()
    for report in reports:
        for result in report.results:
            if result.target != target:
                continue
            timed_out = result.status in (ERROR, XFAIL) and result.target_status == TIMED_OUT
            if result.status in ORACLE_STATUSES:  # not compared: this run proves nothing
                if report.id in previous:
                    entries[report.id] = dict(previous[report.id])
            elif previous.get(report.id, {}).get("expected") == "intermittent":
                if result.status in (PASS, FAIL, XFAIL):  # it ran: one run proves nothing
                    entries[report.id] = dict(previous[report.id])
            elif result.status in (FAIL, XFAIL) and not timed_out:
                entry = dict(previous.get(report.id, {}))
                entry.pop("expected", None)
                entry.setdefault("reason", "diverges from %s (describe why)" % result.oracle)
                if report.id not in previous or "fingerprint" in previous[report.id]:
                    entry["fingerprint"] = fingerprint(result.diff)  # kept out where it was
                entries[report.id] = entry
            elif timed_out:
                entry = dict(previous.get(report.id, {}))
                entry.pop("fingerprint", None)
                entry.setdefault("reason", "does not end (describe why)")
                entry["expected"] = "timeout"
                entries[report.id] = entry
    document: Dict[str, object] = {"target": target}
    if lacks:
        document["lacks"] = list(lacks)
    document["expectations"] = {k: dict(v) for k, v in entries.items()}
    header = _leading_comments(path) or (
        "# Known divergences of %s; written by atx-conform --update-expectations.\n" % target)
    atomic_write(path, header + yaml.safe_dump(document, sort_keys=False, width=100))
    return len(entries)


def _leading_comments(path: str) -> str:
    """The comment lines an existing file starts with (kept when it is written again)."""
    try:
        with open(path, encoding="utf-8") as stream:
            lines = stream.readlines()
    except OSError:
        return ""
    kept = []
    for line in lines:
        if not line.startswith("#"):
            break
        kept.append(line)
    return "".join(kept)


def update(path: str, target: str, reports: List[CaseReport], lacks: Tuple[str, ...] = ()) -> int:
    """write() keeping what the file at path already says (entries, lacks) and adding
    lacks; a malformed file is a CaseError."""
    previous = Expectations.load(path) if os.path.exists(path) else Expectations(path, target, {})
    kept = previous.lacks + tuple(need for need in lacks if need not in previous.lacks)
    return write(path, target, reports, previous.entries, kept)
