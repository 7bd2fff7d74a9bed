"""atx-conform: the conformance runner's command line."""

import argparse
import fnmatch
import os
import random
import sys
from typing import List, Optional

from harness.conform import drift
from harness.conform.cache import Cache
from harness.conform.progress import Progress
from harness.conform import reports as report_files
from harness.conform import expectations
from harness.conform.implementations import (add_implementation_options, declared_lacks,
                                             implementations, runner_present)
from harness.conform.merge import ReportError, load_run, merge
from harness.conform.known_bugs import load_or_fail
from harness.conform.suite import (ORACLE_STATUSES, is_unexpected, load_cases, run_suite,
                                   unexpected_count)
from harness.fuzz.cli import fuzz_main
from oracle.casefile import load_clauses
from oracle.execute import give_programs_default_signals
from oracle.yamlnodes import CaseError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
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
  atx-conform fuzz [--count N|--time T]    generate cases, find and reduce divergences
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
    add_implementation_options(parser)
    parser.add_argument("--area", action="append", default=[], help="select cases of an area")
    parser.add_argument("--tag", action="append", default=[], help="select cases with a tag")
    parser.add_argument("--clause", action="append", default=[],
                        help="select cases that exercise a clause")
    parser.add_argument("--shard", metavar="I/N",
                        help="run the I-th of N deterministic slices of the selection (1-based)")
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
    give_programs_default_signals()
    if argv[:1] == ["check"]:
        return check_main(argv[1:])
    if argv[:1] == ["fuzz"]:
        return fuzz_main(argv[1:])
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
        if not runner_present(args):
            return 2
        if not os.path.isdir(args.cases_root):
            raise SystemExit("atx-conform: --cases-root %s is not a folder" % args.cases_root)
        pairings, expectation_files = implementations(args)
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
