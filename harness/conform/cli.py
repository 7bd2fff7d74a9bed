"""atx-conform: the conformance runner's command line."""

import argparse
import fnmatch
import os
import random
import shlex
import sys
from typing import Dict, List, Optional, Tuple, Union

from harness.conform import drift
from harness.conform.cache import Cache
from harness.conform.progress import Progress
from harness.conform import reports as report_files
from harness.conform import expectations
from harness.conform.expectations import Expectations
from harness.conform.merge import ReportError, load_run, merge
from harness.conform.known_bugs import load_or_fail
from harness.conform.suite import (ORACLE_STATUSES, Pairing, is_unexpected, load_cases, run_suite,
                                   unexpected_count)
from harness.conform.targets import Pyodide, Python, Reference, ThirdParty
from oracle.casefile import load_clauses
from oracle.casemodel import CAPABILITIES
from oracle.yamlnodes import CaseError
from oracle import pyodide
from oracle.interpreters import default_oracle, discover, identify, probe_command

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_RUNNER = os.path.join(REPO, "build", "release", "atx-case-runner")
DEFAULT_CACHE = os.path.join(REPO, "build", "conform-cache")
DEFAULT_KNOWN_BUGS = os.path.join(REPO, "oracle", "known_bugs.yaml")

DESCRIPTION = """\
Runs the atexit conformance suite: every selected case (cases/README.md) on the
oracle (real CPython) and on the C reference (libatx through atx-case-runner, in the
profile of the oracle's version) and on any --target, compares merged output, exit
status and events, and writes into --report-dir: conformance.json (schema
atx-conform/1), junit.xml, results.tap (TAP 14), summary.md, drift.md, index.html.

Other commands (each has --help):
  atx-conform check [FILE...]              validate case files, run nothing
  atx-conform merge CONFORMANCE_JSON...    combine shard reports into one
  atx-conform update-expectations CONFORMANCE_JSON TARGET FILE
                                           write an expectation file from a run

The oracle is checked, not trusted: with --repeat N each oracle runs every case N
times, and a case whose runs differ is `unstable` (not compared, not cached); an
oracle killed by a signal the case does not send is `oracle-crash` (not compared),
expected when --known-bugs lists it for that case, version and signal.

Exit status: 0 nothing unexpected; 1 an unexpected divergence or pass (see
--expectations), an oracle crash no known bug explains, an error or a malformed case
(an unstable oracle only with --fail-on-unstable); 2 a usage or configuration error."""


def parse_args(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="atx-conform", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("patterns", nargs="*", metavar="CASE_GLOB",
                        help="run only cases whose id matches a glob (e.g. 'unregister/*')")
    parser.add_argument("--runner", default=DEFAULT_RUNNER,
                        help="the C case runner to test (default: %(default)s)")
    parser.add_argument("--reference-name", default="reference", metavar="NAME",
                        help="what the case runner's results are called, NAME-X.Y: the name "
                             "of the library it is linked with when that is not libatx "
                             "(make conformance ATX_LIB=... sets it) (default: %(default)s)")
    parser.add_argument("--oracle", choices=("default", "all"), default="all",
                        help="all: every CPython discovered, and Pyodide (3.14) when installed; "
                             "default: Debian's python3 only (else the newest CPython found) "
                             "(default: %(default)s)")
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="an extra CPython to use as an oracle (repeatable)")
    parser.add_argument("--target", action="append", default=[], metavar="NAME=COMMAND",
                        help="another Python implementation to check, as a command that runs a "
                             "script file, e.g. pypy=\"pypy3 -S -u\", or the word pyodide for "
                             "the bundled Pyodide; it is compared with the CPython of its "
                             "language version (repeatable)")
    parser.add_argument("--lacks", action="append", default=[], metavar="NAME=CAPABILITY,...",
                        help="declare what --target NAME cannot do, from: %s; cases needing it "
                             "are reported n/a, never passed (repeatable)"
                             % ", ".join(CAPABILITIES))
    parser.add_argument("--baseline", metavar="X.Y",
                        help="the CPython version --target implementations are compared with "
                             "(default: their own language version, detected by running them)")
    parser.add_argument("--expectations", action="append", default=[], metavar="FILE",
                        help="an expectation file of known divergences of one target "
                             "(see harness/conform/expectations.py; repeatable)")
    parser.add_argument("--update-expectations", metavar="FILE",
                        help="after the run, write FILE from the failures of the (single) "
                             "--target, keeping reasons already in it")
    parser.add_argument("--area", action="append", default=[], help="select cases of an area")
    parser.add_argument("--tag", action="append", default=[], help="select cases with a tag")
    parser.add_argument("--clause", action="append", default=[],
                        help="select cases that exercise a clause")
    parser.add_argument("--shard", metavar="I/N",
                        help="run the I-th of N deterministic slices of the selection (1-based)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="parallel runs (default: the CPU count, %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds before a run's process group is killed, and the time a "
                             "--target has to tell its version (default: %(default)s)")
    parser.add_argument("--cases-root", default=os.path.join(REPO, "cases"),
                        help="the cases folder (default: %(default)s)")
    parser.add_argument("--report-dir", default="reports",
                        help="where reports are written (default: %(default)s)")
    parser.add_argument("--seed", type=int,
                        help="shuffle the order runs are scheduled in with this seed, to show "
                             "that results do not depend on it (default: a random seed, "
                             "printed and recorded in the reports)")
    parser.add_argument("--cache-dir", default=DEFAULT_CACHE,
                        help="where results are cached, keyed by the case's content, the "
                             "interpreter's identity and the reference build "
                             "(default: %(default)s)")
    parser.add_argument("--no-cache", action="store_true",
                        help="run everything again, neither reading nor writing the cache")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run each oracle N times per case (the reference and --target "
                             "implementations once): a case whose oracle output, exit status "
                             "or events differ between runs is unstable, not compared, not "
                             "cached; with N > 1 the cache is not read for oracles "
                             "(default: %(default)s)")
    parser.add_argument("--fail-on-unstable", action="store_true",
                        help="count unstable results as unexpected (exit status 1): for "
                             "checking the cases themselves; by default an unstable oracle "
                             "is reported but does not fail a target's gate")
    parser.add_argument("--known-bugs", default=DEFAULT_KNOWN_BUGS, metavar="FILE",
                        help="the known CPython bugs that kill an oracle (upstream link, "
                             "versions, cases, signal): an oracle-crash it lists is expected "
                             "(default: %(default)s)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print only the summary (no progress, no failure details)")
    return parser.parse_args(argv)


def select(reports, args):
    chosen = []
    for report in reports:
        case = report.case
        if report.folder_problem:  # it concerns every case: never left out
            chosen.append(report)
            continue
        if args.patterns and not any(fnmatch.fnmatchcase(report.id, p) for p in args.patterns):
            continue
        if case is not None and (args.area and case.area not in args.area
                                 or args.tag and not set(args.tag) & set(case.tags)
                                 or args.clause and not set(args.clause) & set(case.clauses)):
            continue
        chosen.append(report)
    if args.shard:
        index, total = (int(part) for part in args.shard.split("/"))
        chosen = [report for n, report in enumerate(sorted(chosen, key=lambda r: r.id))
                  if n % total == index - 1]
    return chosen


EXPECTED_VERSIONS = ["2.7"] + ["3.%d" % minor for minor in range(6, 15)]


def oracles(args) -> List[Union[Python, Pyodide]]:
    """The oracles of this run; prints which were found and which were looked for in vain."""
    extra = []
    for path in args.python:
        found = identify(path)
        if found is None or found.implementation != "CPython":
            raise SystemExit("atx-conform: --python %s is not a CPython interpreter" % path)
        extra.append(found)
    if args.oracle == "all":
        found = discover(args.python)
    else:
        base = default_oracle()
        found = ([base] if base else []) + extra
    if not found:
        raise SystemExit("atx-conform: no CPython interpreter found (looked on PATH, "
                         "/usr/bin/python3 and $PYENV_ROOT/versions)")
    unique = {interpreter.path: interpreter for interpreter in found}
    chosen: List[Union[Python, Pyodide]] = [Python(i) for i in unique.values()]
    if args.oracle == "all":
        usable, why = pyodide.available()
        if usable:
            try:
                chosen.append(Pyodide(pyodide.PyodideOracle()))
            except RuntimeError as error:
                print("atx-conform: %s" % error, file=sys.stderr)
        else:
            print("atx-conform: no Pyodide oracle: %s" % why, file=sys.stderr)
        have = {oracle.short_version for oracle in chosen}
        missing = [version for version in EXPECTED_VERSIONS if version not in have]
        print("oracles: %s" % ", ".join(oracle.name for oracle in chosen))
        if missing:
            print("looked for and did not find: Python %s (on PATH, /usr/bin/python3, "
                  "$PYENV_ROOT/versions, node + oracle/pyodide)" % ", ".join(missing))
    return chosen


def declared_lacks(args) -> Dict[str, Tuple[str, ...]]:
    """--lacks NAME=CAP,...: each NAME a --target label, each CAP a known capability."""
    labels = [spec.partition("=")[0] for spec in args.target]
    lacks: Dict[str, Tuple[str, ...]] = {}
    for spec in args.lacks:
        label, _, names = spec.partition("=")
        wanted = tuple(name.strip() for name in names.split(",") if name.strip())
        if label not in labels:
            raise SystemExit("atx-conform: --lacks %s: no --target is named %r" % (spec, label))
        unknown = [name for name in wanted if name not in CAPABILITIES]
        if unknown or not wanted:
            raise SystemExit("atx-conform: --lacks %s: capabilities are: %s"
                             % (spec, ", ".join(CAPABILITIES)))
        lacks[label] = lacks.get(label, ()) + wanted
    return lacks


def third_party(args, chosen: List[Union[Python, Pyodide]],
                expectation_files: List[Expectations]) -> List[Pairing]:
    """A pairing per --target, with the CPython of its language version as the oracle;
    what it lacks comes from --lacks and from its expectation file."""
    lacks = declared_lacks(args)
    for listed in expectation_files:
        lacks[listed.target] = lacks.get(listed.target, ()) + listed.lacks
    pairings = []
    for spec in args.target:
        label, _, command = spec.partition("=")
        if not label or not command.strip():
            raise SystemExit("atx-conform: --target takes NAME=COMMAND, not %r" % spec)
        prefix = shlex.split(command)
        target: Union[ThirdParty, Pyodide]
        if prefix == ["pyodide"]:  # the npm package this suite installs (make pyodide)
            usable, why = pyodide.available()
            if not usable:
                raise SystemExit("atx-conform: --target %s: %s" % (label, why))
            target = Pyodide(pyodide.PyodideOracle(), label)
            version: Tuple[int, ...] = target.version
            implementation = "Pyodide"
        else:
            # bounded by --timeout: what cannot say its version in that time runs no case
            found, why = probe_command(prefix, args.timeout)
            if found is None:
                raise SystemExit("atx-conform: --target %s: %r does not run as a Python (%s)"
                                 % (label, command, why))
            version, implementation = found.version, found.implementation
            target = ThirdParty(label, prefix, found.version[:2],  # type: ignore
                                "%s %s" % (implementation, ".".join(map(str, version))),
                                lacks.get(label, ()))
        language = args.baseline or "%d.%d" % version[:2]
        baseline = [o for o in chosen if isinstance(o, Python) and o.short_version == language]
        if not baseline:
            baseline = [Python(i) for i in discover() if i.short_version == language]
        if not baseline:
            raise SystemExit("atx-conform: --target %s is Python %d.%d, and no CPython %s was "
                             "found to compare it with (--baseline X.Y picks another)"
                             % ((label,) + tuple(version[:2]) + (language,)))
        print("target %s: %s %s, compared with %s" % (
            label, implementation, ".".join(map(str, version)), baseline[0].name))
        pairings.append(Pairing(baseline[0], target))
    return pairings


def merge_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="atx-conform merge",
        description="Combines the conformance.json of shard runs (--shard I/N) into one set "
                    "of reports, as one run would have written them. Exit status as a run's.")
    parser.add_argument("reports", nargs="+", metavar="CONFORMANCE_JSON")
    parser.add_argument("--cases-root", default=os.path.join(REPO, "cases"),
                        help="the cases folder the shards ran (default: %(default)s)")
    parser.add_argument("--report-dir", default="reports",
                        help="where the merged reports are written (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        clauses = load_clauses(os.path.join(args.cases_root, "clauses.yaml"))
        reports, run_info = merge(args.reports, args.cases_root, clauses)
    except (ReportError, CaseError) as error:
        print("atx-conform merge: %s" % error, file=sys.stderr)
        return 2
    report_files.write_reports(args.report_dir, reports, run_info, clauses)
    print("merged %d reports: %d cases" % (len(args.reports), len(reports)))
    fail_on_unstable = bool(run_info.get("fail_on_unstable"))
    print(report_files.summary_table(reports, fail_on_unstable), end="")
    return 1 if unexpected_count(reports, fail_on_unstable) else 0


def update_expectations_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="atx-conform update-expectations",
        description="Writes FILE, the expectation file of one target, from a finished run's "
                    "conformance.json: every case failing (or expected to fail) on it, "
                    "keeping the reasons and bugs FILE already has.")
    parser.add_argument("report", metavar="CONFORMANCE_JSON")
    parser.add_argument("target", metavar="TARGET", help="the target's name in the run")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--cases-root", default=os.path.join(REPO, "cases"),
                        help="the cases folder of the run (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        clauses = load_clauses(os.path.join(args.cases_root, "clauses.yaml"))
        reports, _ = load_run(args.report, args.cases_root, clauses)
        if not any(r.target == args.target for report in reports for r in report.results):
            raise ReportError("%s has no results for target %r" % (args.report, args.target))
        listed = expectations.update(args.file, args.target, reports)
    except (ReportError, CaseError) as error:
        print("atx-conform update-expectations: %s" % error, file=sys.stderr)
        return 2
    print("wrote %s: %d expected divergences of %s" % (args.file, listed, args.target))
    return 0


def check_main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="atx-conform check",
        description="Validates case files without running anything: prints FILE:LINE: "
                    "MESSAGE for each malformed one. Without FILE, every case of the cases "
                    "folder, and what in the folder can never run. Exit status: 0 all well "
                    "formed, 1 some are not, 2 a usage error.")
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--cases-root", default=os.path.join(REPO, "cases"),
                        help="the cases folder the files are in; its clauses.yaml is the "
                             "clause catalogue (default: %(default)s)")
    args = parser.parse_args(argv)
    if not os.path.isdir(args.cases_root):
        print("atx-conform check: --cases-root %s is not a folder" % args.cases_root,
              file=sys.stderr)
        return 2
    reports, _ = load_cases(args.cases_root, args.files or None)
    bad = [report.error for report in reports if report.error]
    for error in bad:
        print(error, file=sys.stderr)
    print("%d checked, %d malformed" % (len(reports), len(bad)))
    return 1 if bad else 0


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"]:
        return check_main(argv[1:])
    if argv[:1] == ["merge"]:
        return merge_main(argv[1:])
    if argv[:1] == ["update-expectations"]:
        return update_expectations_main(argv[1:])
    try:
        args = parse_args(argv)
        if args.shard:
            index, total = (int(part) for part in args.shard.split("/"))
            if not 1 <= index <= total:
                raise ValueError
        if args.repeat < 1:
            raise SystemExit("atx-conform: --repeat takes a number of runs, 1 or more")
        known_bugs = load_or_fail(args.known_bugs)
        if not os.access(args.runner, os.X_OK):
            print("atx-conform: the case runner %s is missing (run `make`)" % args.runner,
                  file=sys.stderr)
            return 2
        if not os.path.isdir(args.cases_root):
            raise SystemExit("atx-conform: --cases-root %s is not a folder" % args.cases_root)
        try:
            expectation_files = [Expectations.load(path) for path in args.expectations]
        except CaseError as error:
            raise SystemExit("atx-conform: %s" % error) from None
        chosen = oracles(args)
        pairings = [Pairing(oracle, Reference(os.path.abspath(args.runner),
                                              oracle.short_version,
                                              label=args.reference_name))
                    for oracle in chosen]
        pairings += third_party(args, chosen, expectation_files)
    except ValueError:
        print("atx-conform: --shard takes I/N with 1 <= I <= N", file=sys.stderr)
        return 2
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            return 2
        raise
    if args.update_expectations and len(args.target) != 1:
        print("atx-conform: --update-expectations needs exactly one --target", file=sys.stderr)
        return 2
    loaded, clauses = load_cases(args.cases_root)
    reports = select(loaded, args)
    for report in reports:
        if report.error:
            print("malformed case: %s" % report.error, file=sys.stderr)
    # Generated programs stay beside the reports, so every repro command works later.
    cache = Cache(None if args.no_cache else args.cache_dir)
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    if not args.quiet:
        print("seed %d, %d jobs, cache %s%s" % (
            seed, args.jobs, "off" if args.no_cache else args.cache_dir,
            ", each oracle %d times (not read from the cache)" % args.repeat
            if args.repeat > 1 else ""))
    run_suite(reports, pairings, os.path.abspath(args.report_dir), args.jobs, args.timeout,
              cache, None if args.quiet else Progress(), seed, args.repeat, known_bugs)
    for expectation in expectation_files:
        expectation.apply(reports)
    if args.update_expectations:
        label = args.target[0].partition("=")[0]
        try:
            listed = expectations.update(args.update_expectations, label, reports,
                                         declared_lacks(args).get(label, ()))
        except CaseError as error:
            print("atx-conform: %s" % error, file=sys.stderr)
            return 2
        print("wrote %s: %d expected divergences of %s" % (args.update_expectations, listed, label))
    if not args.quiet:
        for report in reports:
            for result in report.results:
                if is_unexpected(result, args.fail_on_unstable):
                    print("%s %s on %s: %s" % (result.status.upper(), report.id, result.target,
                                               result.reason))
                    if result.diff:
                        print(result.diff)
                    print("  repro: %s\n  oracle: %s\n  program: %s" % (
                        result.target_command, result.oracle_command, result.program))
                elif result.status in ORACLE_STATUSES:  # expected, but worth a line
                    print("%s %s on %s: %s" % (result.status.upper(), report.id, result.target,
                                               result.reason))
    run_info = {"runner": os.path.abspath(args.runner),
                "oracles": [{"name": p.oracle.name,
                             "version": ".".join(map(str, p.oracle.version)),
                             "path": getattr(getattr(p.oracle, "interpreter", None), "path", None)}
                            for p in pairings],
                "targets": [p.target.name for p in pairings],
                "selection": {"patterns": args.patterns, "areas": args.area, "tags": args.tag,
                              "clauses": args.clause, "shard": args.shard},
                "seed": seed, "jobs": args.jobs, "repeat": args.repeat,
                "fail_on_unstable": args.fail_on_unstable,
                "known_bugs": os.path.abspath(args.known_bugs),
                "cache": {"folder": None if args.no_cache else os.path.abspath(args.cache_dir),
                          "hits": cache.hits, "misses": cache.misses}}
    report_files.write_reports(args.report_dir, reports, run_info, clauses)
    print(report_files.summary_table(reports, args.fail_on_unstable), end="")
    table = drift.drift(reports)
    print("behaviour drift: %d of %d cases differ between versions (%s/drift.md)"
          % (sum(1 for groups in table.values() if len(groups) > 1), len(table), args.report_dir))
    print("reports: " + ", ".join("%s/%s" % (args.report_dir, name) for name in (
        "conformance.json", "junit.xml", "drift.md", "index.html", "results.tap", "summary.md")))
    return 1 if unexpected_count(reports, args.fail_on_unstable) else 0
