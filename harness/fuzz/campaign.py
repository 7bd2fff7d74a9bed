"""A fuzzing campaign: generated cases run on the reference, every oracle and any target;
each divergence confirmed on a stable oracle, reduced, fingerprinted, and written once as
an ordinary case file.

The runs are the suite's own (suite.run_suite: the same lanes, caps and timeouts, the
oracle checked). A case is a finding when a pairing fails on it (expectation files
applied first: a target's listed divergence is xfail) and, run again with --repeat 3 on
the oracles that failed, it still fails with the same signature; an unstable oracle
discards it. What is kept is reduced (reduce.py) so that every pairing that failed still
fails with that signature, then written to FOUND_DIR/<fingerprint>.yaml: a fingerprint
already there, or met earlier in the campaign, or one of a target's known divergences
(the signatures of its expectation file's cases), is not written again."""

import copy
import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from harness.conform.cache import Cache
from harness.conform.expectations import Expectations
from harness.conform.known_bugs import KnownBugs
from harness.conform.suite import (ERROR, FAIL, ORACLE_CRASH, CaseReport, Pairing, load_cases,
                                   run_suite)
from harness.fuzz.divergence import Signature, signature
from harness.fuzz.generate import generate
from harness.fuzz.reduce import count_steps, reduce_case

REPEAT_TO_CONFIRM = 3


@dataclass
class Finding:
    fingerprint: str
    target: str                 # the pairing's target name, e.g. "reference-3.11"
    label: str                  # the implementation, e.g. "reference", "pypy"
    oracles: List[str]          # the oracles it diverges from
    signature: Signature
    seed: int
    index: int
    steps_before: int
    steps: int = 0
    path: str = ""              # the case file written ("" when already known)
    known: str = ""             # why it is not new: "found before", "expected (FILE)"
    diff: str = ""


@dataclass
class Tally:
    generated: int = 0
    rejected: List[str] = field(default_factory=list)  # generator bugs: the loader's errors
    runs: int = 0
    diverged: int = 0           # cases some pairing failed on at first
    unstable: int = 0           # discarded: an oracle unstable, or the failure not repeated
    errors: List[str] = field(default_factory=list)      # timeouts, a side that did not run
    oracle_crashes: List[str] = field(default_factory=list)
    findings: List[Finding] = field(default_factory=list)
    seconds: float = 0.0


def label_of(pairing: Pairing) -> str:
    """The implementation a pairing checks: a target's name without its version part."""
    name = pairing.target.name
    return getattr(pairing.target, "label", None) or name.rsplit("-", 1)[0]


class CaseFolder:
    """A cases folder of the campaign's own: the real clause catalogue, generated cases."""

    def __init__(self, root: str, cases_root: str):
        self.root = root
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        shutil.copy(os.path.join(cases_root, "clauses.yaml"), os.path.join(root, "clauses.yaml"))

    def write(self, doc: Dict[str, Any]) -> str:
        path = os.path.join(self.root, doc["id"] + ".yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as stream:
            yaml.safe_dump(doc, stream, sort_keys=False, allow_unicode=True)
        return path

    def load(self, paths: Sequence[str]) -> List[CaseReport]:
        reports, _ = load_cases(self.root, list(paths))
        return [report for report in reports if not report.folder_problem]


class Campaign:
    def __init__(self, pairings: List[Pairing], expectations: List[Expectations], workdir: str,
                 cases_root: str, found_dir: str, jobs: int, timeout: float,
                 known_bugs: Optional[KnownBugs], seed: int, reduce: bool = True,
                 budget: int = 400):
        self.pairings = pairings
        self.expectations = expectations
        self.workdir = os.path.abspath(workdir)
        self.cases_root = cases_root
        self.found_dir = found_dir
        self.jobs, self.timeout, self.known_bugs = jobs, timeout, known_bugs
        self.seed, self.reduce, self.budget = seed, reduce, budget
        self.folder = CaseFolder(os.path.join(self.workdir, "cases"), cases_root)
        self.tally = Tally()
        self.seen: Dict[str, str] = {}  # fingerprint -> why it is known
        self.known_expected: Dict[str, str] = {}

    # -- running -------------------------------------------------------------------------
    def run(self, reports: List[CaseReport], pairings: Sequence[Pairing],
            repeat: int = 1) -> None:
        run_suite(reports, list(pairings), self.workdir, self.jobs, self.timeout, Cache(None),
                  None, self.seed, repeat, self.known_bugs)
        self.tally.runs += sum(len(report.results) for report in reports) * repeat
        for expectation in self.expectations:
            expectation.apply(reports)

    def failures(self, report: CaseReport, pairings: Sequence[Pairing]
                 ) -> Dict[int, Tuple[Pairing, Signature, str]]:
        """Pairing index -> (pairing, signature, diff) for each pairing that failed."""
        found = {}
        for i, (pairing, result) in enumerate(zip(pairings, report.results)):
            if result.status == FAIL:
                sig = signature(result.diff)
                if sig is not None:
                    found[i] = (pairing, sig, result.diff)
        return found

    def learn_expected(self, cases: Sequence[str]) -> None:
        """The signatures of each target's known divergences: its expectation files'
        cases, run once on that target, so that a finding like one of them is no news."""
        for expectation in self.expectations:
            pairings = [p for p in self.pairings if label_of(p) == expectation.target]
            paths = [os.path.join(self.cases_root, case_id + ".yaml")
                     for case_id in expectation.entries if case_id in cases]
            if not pairings or not paths:
                continue
            reports, _ = load_cases(self.cases_root, paths)
            reports = [r for r in reports if r.case is not None]
            run_suite(reports, pairings, self.workdir, self.jobs, self.timeout, Cache(None),
                      None, self.seed, 1, self.known_bugs)
            for report in reports:
                for pairing, result in zip(pairings, report.results):
                    sig = signature(result.diff) if result.diff else None
                    if sig is not None:
                        why = "expected (%s: %s)" % (expectation.path, report.id)
                        self.known_expected[sig.fingerprint(label_of(pairing))] = why

    # -- one batch -----------------------------------------------------------------------
    def batch(self, first: int, count: int) -> None:
        docs = {}
        paths = []
        for index in range(first, first + count):
            doc = generate(self.seed, index)
            docs[doc["id"]] = (index, doc)
            paths.append(self.folder.write(doc))
        self.tally.generated += count
        reports = self.folder.load(paths)
        for report in reports:
            if report.error:
                self.tally.rejected.append(report.error)
        runnable = [report for report in reports if report.case is not None]
        self.run(runnable, self.pairings)
        for report in runnable:
            self.classify(report, *docs[report.id])

    def classify(self, report: CaseReport, index: int, doc: Dict[str, Any]) -> None:
        for pairing, result in zip(self.pairings, report.results):
            where = "%s on %s (seed %d, case %d)" % (report.id, pairing.oracle.name, self.seed,
                                                   index)
            if result.status == ORACLE_CRASH and not result.known:
                self.tally.oracle_crashes.append("%s: %s" % (where, result.reason))
            elif result.status == ERROR:
                self.tally.errors.append("%s: %s" % (where, result.reason))
        failed = self.failures(report, self.pairings)
        if not failed:
            return
        self.tally.diverged += 1
        confirmed = self.confirm(report, failed)
        by_label: Dict[Tuple[str, Signature], List[Tuple[Pairing, str]]] = {}
        for pairing, sig, diff in confirmed:
            by_label.setdefault((label_of(pairing), sig), []).append((pairing, diff))
        for (label, sig), group in by_label.items():
            self.keep(label, sig, group, index, doc)

    def confirm(self, report: CaseReport, failed: Dict[int, Tuple[Pairing, Signature, str]]
                ) -> List[Tuple[Pairing, Signature, str]]:
        """The failures that repeat, with the same signature, on oracles that run alike
        three times; the others are discarded as unstable."""
        pairings = [failed[i][0] for i in sorted(failed)]
        again = CaseReport(report.id, report.path, report.case)
        self.run([again], pairings, REPEAT_TO_CONFIRM)
        kept = []
        for (i, (pairing, sig, diff)), result in zip(sorted(failed.items()), again.results):
            if result.status == FAIL and signature(result.diff) == sig:
                kept.append((pairing, sig, diff))
            else:  # unstable, or it did something else this time
                self.tally.unstable += 1
        return kept

    # -- a finding -----------------------------------------------------------------------
    def keep(self, label: str, sig: Signature, group: List[Tuple[Pairing, str]], index: int,
             doc: Dict[str, Any]) -> None:
        fingerprint = sig.fingerprint(label)
        finding = Finding(fingerprint, group[0][0].target.name, label,
                          sorted(p.oracle.name for p, _ in group), sig, self.seed, index,
                          count_steps(doc), diff=group[0][1])
        path = os.path.join(self.found_dir, fingerprint + ".yaml")
        finding.known = (self.seen.get(fingerprint) or self.known_expected.get(fingerprint)
                         or ("found before (%s)" % path if os.path.exists(path) else ""))
        self.tally.findings.append(finding)
        if finding.known:
            return
        self.seen[fingerprint] = "found earlier in this campaign"
        pairings = [pairing for pairing, _ in group]
        reduced = reduce_case(doc, lambda candidate: self.still_fails(candidate, pairings, sig),
                              self.budget) if self.reduce else copy.deepcopy(doc)
        if not self.still_fails(reduced, pairings, sig, REPEAT_TO_CONFIRM):
            reduced = doc  # what reduction kept did not repeat on a checked oracle
        finding.steps = count_steps(reduced)
        finding.path = self.write_found(reduced, finding)

    def still_fails(self, candidate: Dict[str, Any], pairings: Sequence[Pairing],
                    sig: Signature, repeat: int = 1) -> bool:
        """Whether every pairing of the finding still fails on candidate with its signature
        (each oracle run repeat times, stable)."""
        doc = copy.deepcopy(candidate)
        doc["id"] = "candidate/c"
        reports = self.folder.load([self.folder.write(doc)])
        if not reports or reports[0].case is None:
            return False
        self.run(reports, pairings, repeat)
        return all(result.status == FAIL and signature(result.diff) == sig
                   for result in reports[0].results)

    def write_found(self, doc: Dict[str, Any], finding: Finding) -> str:
        doc = copy.deepcopy(doc)
        doc["id"] = "found/" + finding.fingerprint
        doc["description"] = ("found by atx-conform fuzz (seed %d, case %d): %s diverges from "
                              "%s (%s: %s / %s)" % (
                                  finding.seed, finding.index, finding.label,
                                  ", ".join(finding.oracles), finding.signature.kind,
                                  finding.signature.oracle_line[:60],
                                  finding.signature.target_line[:60]))
        doc["tags"] = ["fuzz", "found"]
        os.makedirs(self.found_dir, exist_ok=True)
        path = os.path.join(self.found_dir, finding.fingerprint + ".yaml")
        with open(path, "w", encoding="utf-8") as stream:
            yaml.safe_dump(doc, stream, sort_keys=False, allow_unicode=True, width=100)
        return path

    # -- the campaign --------------------------------------------------------------------
    def go(self, count: Optional[int], seconds: Optional[float], progress=None) -> Tally:
        """Runs batches until count cases were generated or seconds have passed."""
        started = time.monotonic()
        size = max(8, self.jobs * 12)
        index = 0
        while True:
            left = count - index if count is not None else size
            if left <= 0 or seconds is not None and time.monotonic() - started >= seconds:
                break
            self.batch(index, min(size, left))
            index += min(size, left)
            if progress is not None:
                progress(self.tally, time.monotonic() - started)
        self.tally.seconds = time.monotonic() - started
        return self.tally
