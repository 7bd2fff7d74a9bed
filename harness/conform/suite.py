"""Running the suite: every case on the oracle and on each target, in parallel, compared."""

import functools
import os
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from harness.conform.cache import Cache, case_digest
from harness.conform.compare import compare, transcript
from harness.conform.crashes import crash_signal, may_end_by
from harness.conform.known_bugs import KnownBugs
from harness.conform.progress import Progress
from harness.conform.stability import Runs
from harness.conform.targets import (Pyodide, Python, Reference, ThirdParty, shell_command,
                                     write_program)
from oracle import canonical
from oracle.casefile import load, load_clauses
from oracle.casemodel import Case
from oracle.discovery import discover
from oracle.yamlnodes import CaseError
from oracle.execute import OUTPUT_CAP, Outcome

PASS, FAIL, SKIP, ERROR, NOT_APPLICABLE = "pass", "fail", "skip", "error", "n/a"
XFAIL, XPASS = "xfail", "xpass"  # set by expectation files (expectations.py)
# The oracle checked (design.md): its runs differed (--repeat), or a signal the case does
# not send killed it. Neither is compared, and neither is the target's failure.
UNSTABLE, ORACLE_CRASH = "unstable", "oracle-crash"
STATUSES = (PASS, FAIL, SKIP, NOT_APPLICABLE, XFAIL, XPASS, UNSTABLE, ORACLE_CRASH, ERROR)
UNEXPECTED = (FAIL, XPASS, ERROR)  # always; see is_unexpected for the oracle's statuses
ORACLE_STATUSES = (UNSTABLE, ORACLE_CRASH)


@dataclass
class Result:
    """One case on one target, against one oracle."""
    target: str
    oracle: str
    status: str
    reason: str = ""
    diff: str = ""
    target_status: str = ""
    oracle_status: str = ""
    target_command: str = ""
    oracle_command: str = ""
    program: str = ""
    seconds: float = 0.0
    oracle_version: str = ""     # X.Y of the oracle
    target_version: str = ""     # what the target is, e.g. "libatx profile 3.11", "PyPy 3.9.18"
    baseline_version: str = ""   # the oracle's full version, e.g. "3.11.2"
    oracle_transcript: str = ""  # what the oracle did, normalised (for the drift table)
    oracle_runs: int = 0         # the oracle's runs this rests on (a cached outcome is one)
    unstable_run: int = 0        # unstable: the first run unlike run 1 (oracle_transcript)
    unstable_transcript: str = ""  # unstable: what that run did
    known: str = ""              # oracle-crash: the link of the known bug that explains it


def is_unexpected(result: Result, fail_on_unstable: bool = False) -> bool:
    """What makes a run exit 1: fail, xpass, error; an oracle-crash no known bug explains
    (a new finding about CPython); unstable only with fail_on_unstable (--fail-on-unstable:
    an unstable oracle says nothing about the target, so a target's gate passes it)."""
    return (result.status in UNEXPECTED
            or result.status == ORACLE_CRASH and not result.known
            or result.status == UNSTABLE and fail_on_unstable)


@dataclass
class CaseReport:
    id: str
    path: str
    case: Optional[Case] = None
    error: str = ""  # a malformed case: FILE:LINE: MESSAGE
    folder_problem: bool = False  # the error is the cases folder's, not one case's
    results: List[Result] = field(default_factory=list)


@dataclass
class Pairing:
    """A target checked against an oracle (the reference runs in the oracle's profile)."""
    oracle: Union[Python, Pyodide]
    target: Union[Reference, ThirdParty, Pyodide]


def load_cases(cases_root: str, paths: Optional[Sequence[str]] = None
               ) -> Tuple[List[CaseReport], Dict[str, str]]:
    """Every case, loaded and validated, and the clause catalogue ({} when it cannot be
    read). A malformed case is kept with its error, and so is each problem of the folder
    (discovery.py) and of the catalogue, under its own path: nothing is skipped without
    a word, and nothing stops the others (with no catalogue, clauses go unchecked)."""
    reports = []
    try:
        clauses: Optional[Dict[str, str]] = load_clauses(os.path.join(cases_root, "clauses.yaml"))
    except CaseError as error:
        clauses = None
        reports.append(CaseReport("clauses.yaml", error.path, error=str(error),
                                  folder_problem=True))
    if paths is None:
        paths, problems = discover(cases_root)
        reports += [CaseReport(os.path.relpath(problem.path, cases_root), problem.path,
                               error=str(problem), folder_problem=True)
                    for problem in problems]
    for path in paths:
        report = CaseReport(os.path.relpath(path, cases_root)[:-len(".yaml")], path)
        try:
            report.case = load(path, cases_root, clauses)
            report.id = report.case.id
        except CaseError as error:
            report.error = str(error)
        except Exception as error:  # a loader bug must not take the run down
            report.error = "%s:1: the loader failed (%s: %s); please report it" % (
                path, type(error).__name__, error)
        reports.append(report)
    return reports, clauses or {}


def _run_pair(case: Case, pairing: Pairing, workdir: str, timeout: float, cache: Cache,
              digest: str, repeat: int = 1, known_bugs: Optional[KnownBugs] = None) -> Result:
    oracle, target = pairing.oracle, pairing.target
    result = Result(target.name, oracle.name, PASS,
                    target_command=shell_command(target.command(case, workdir)),
                    oracle_command=shell_command(oracle.command(case, workdir)),
                    program=Python.program_path(case, workdir))
    version = oracle.version[:2]
    result.oracle_version = oracle.short_version
    described = target.version  # text; a Python or Pyodide target gives a version tuple
    result.target_version = (described if isinstance(described, str)
                             else ".".join(map(str, described)))
    result.baseline_version = ".".join(map(str, oracle.version))
    if not case.applies_to(version):
        result.status, result.reason = SKIP, "the case does not apply to Python %d.%d" % version
        return result
    for side in (oracle, target):
        missing = [need for need in case.needs if need in side.lacks]
        if missing:
            result.status = NOT_APPLICABLE
            result.reason = "the case needs %s, which %s lacks" % (", ".join(missing), side.name)
            return result
    runs = cache.run_checked(oracle, case, workdir, timeout, digest, repeat)
    expected: Outcome = runs.first
    result.oracle_runs = runs.made
    if expected.error:
        result.status, result.reason = ERROR, "%s: %s" % (oracle.name, expected.error)
        return result
    if expected.not_applicable:
        result.status, result.reason = NOT_APPLICABLE, expected.not_applicable
        return result
    if _oracle_checked(result, case, oracle, runs, known_bugs):
        return result
    actual: Outcome = cache.run(target, case, workdir, timeout, digest)
    if actual.error:
        result.status, result.reason = ERROR, "%s: %s" % (target.name, actual.error)
        return result
    if actual.not_applicable:  # a target that cannot run it gives no verdict
        result.status, result.reason = NOT_APPLICABLE, actual.not_applicable
        return result
    result.seconds = expected.seconds + actual.seconds
    result.target_status, result.oracle_status = actual.status_text(), expected.status_text()
    if expected.timed_out or actual.timed_out:
        result.status = ERROR
        result.reason = "%s timed out after %.0fs" % (
            oracle.name if expected.timed_out else target.name, timeout)
        return result
    result.oracle_transcript = "\n".join(transcript(expected))
    comparison = compare(expected, actual, oracle.name, target.name)
    if not comparison.equal:
        result.status, result.diff = FAIL, comparison.diff
        result.reason = "output, status or events differ from %s" % oracle.name
        capped = [side.name for side, outcome in ((oracle, expected), (target, actual))
                  if outcome.truncated]
        if capped:  # the diff shows the kept part only, ending "[output truncated]"
            result.reason += "; output truncated at %d MiB on %s" % (
                OUTPUT_CAP >> 20, " and ".join(capped))
    return result


def _oracle_checked(result: Result, case: Case, oracle, runs: Runs,
                    known_bugs: Optional[KnownBugs]) -> bool:
    """Sets result to unstable or oracle-crash when the oracle's runs make it one (and
    returns True): then the target is not run, since there is nothing to compare with."""
    expected = runs.first
    if not runs.stable and runs.other is not None:
        other = runs.other
        result.status, result.unstable_run = UNSTABLE, runs.differs_at
        result.seconds = expected.seconds + other.seconds
        result.oracle_status = expected.status_text()
        result.oracle_transcript = "\n".join(transcript(expected))
        result.unstable_transcript = "\n".join(transcript(other))
        result.diff = compare(expected, other, "%s run 1" % oracle.name,
                              "%s run %d" % (oracle.name, runs.differs_at)).diff
        result.reason = ("%s did not do the same in run 1 and run %d: unstable, not compared"
                         % (oracle.name, runs.differs_at))
        return True
    killed_by = crash_signal(expected, case, oracle.version)
    if killed_by is None:
        return False
    result.status, result.seconds = ORACLE_CRASH, expected.seconds
    result.oracle_status = expected.status_text()
    result.oracle_transcript = "\n".join(transcript(expected))
    bug = known_bugs.match(case.id, oracle.version, killed_by) if known_bugs else None
    if bug is not None:
        result.known = bug.link
        result.reason = "%s was killed by %s: known CPython bug %s, %s (%s); not compared" % (
            oracle.name, killed_by, bug.id, bug.link, bug.title)
    else:
        sent = sorted(may_end_by(case, oracle.version))
        result.reason = ("%s was killed by %s, a signal the case does not send (%s) and no "
                         "known bug explains: a new finding about CPython; not compared" % (
                             oracle.name, killed_by,
                             "it may end by " + ", ".join(sent) if sent else "it sends none"))
    return True


def _lane(pairing: Pairing) -> Tuple[int, ...]:
    """The Pyodide processes a pairing runs on, which serve one program at a time; ()
    for a pairing of real processes only."""
    return tuple(id(side.oracle) for side in (pairing.oracle, pairing.target)
                 if isinstance(side, Pyodide))


def run_lanes(lanes: Sequence[Sequence[Callable[[], Any]]], jobs: int) -> None:
    """Runs each lane, a list of tasks that one job does in order, over jobs workers; lanes
    start in the order given, so a long lane put first is not the last to end."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(lambda lane=lane: [task() for task in lane]) for lane in lanes]
        for future in futures:
            future.result()


def run_suite(reports: List[CaseReport], pairings: List[Pairing], workdir: str,
              jobs: int, timeout: float, cache: Optional[Cache] = None,
              progress: Optional[Progress] = None, seed: int = 0, repeat: int = 1,
              known_bugs: Optional[KnownBugs] = None) -> None:
    """Fills each report's results (in case order, then pairing order); the runs are
    scheduled in an order shuffled by seed. The runs of one Pyodide process form one
    lane, a single job scheduled first, so that no other job waits for Pyodide. Each
    oracle runs repeat times per case (stability.py); known_bugs explains oracle crashes."""
    cache = cache or Cache(None)
    runnable = [report for report in reports if report.case is not None]
    digests = {}
    for report in runnable:
        digests[report.id] = case_digest(canonical.write(report.case, workdir),
                                         write_program(report.case, workdir))
    work = [(report, pairing) for report in runnable for pairing in pairings]
    results: List[Optional[Result]] = [None] * len(work)

    def run_item(i: int) -> None:
        report, pairing = work[i]
        results[i] = _run_pair(report.case, pairing, workdir, timeout, cache, digests[report.id],
                               repeat, known_bugs)
        if progress is not None:
            progress.done(results[i].status)  # type: ignore

    if progress is not None:
        progress.start(len(work))
    order = list(range(len(work)))
    random.Random(seed).shuffle(order)
    lanes: Dict[Tuple[int, ...], List[int]] = {}
    for i in order:
        lanes.setdefault(_lane(work[i][1]), []).append(i)
    singles = lanes.pop((), [])
    tasks = [[functools.partial(run_item, i) for i in lane] for lane in lanes.values()]
    run_lanes(tasks + [[functools.partial(run_item, i)] for i in singles], jobs)
    if progress is not None:
        progress.finish()
    for (report, _), result in zip(work, results):
        report.results.append(result)  # type: ignore


def counts(reports: List[CaseReport]) -> Dict[str, int]:
    total = {status: 0 for status in STATUSES}
    for report in reports:
        if report.error:
            total[ERROR] += 1
        for result in report.results:
            total[result.status] += 1
    return total


def unexpected_count(reports: List[CaseReport], fail_on_unstable: bool = False) -> int:
    """Malformed cases and unexpected results (is_unexpected): nonzero means exit 1."""
    return sum(1 for report in reports if report.error) + sum(
        1 for report in reports for result in report.results
        if is_unexpected(result, fail_on_unstable))


def known_crashes(reports: List[CaseReport]) -> int:
    """The oracle-crash results a known bug explains."""
    return sum(1 for report in reports for result in report.results
               if result.status == ORACLE_CRASH and result.known)
