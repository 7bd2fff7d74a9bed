"""atx-conform fuzz: the command line of a fuzzing campaign (campaign.py)."""

import argparse
import json
import os
import random
import sys
from typing import List

from harness.conform.files import atomic_write
from harness.conform.implementations import (add_implementation_options, implementations,
                                             runner_present)
from harness.conform.known_bugs import load_or_fail
from harness.conform.suite import load_cases
from harness.fuzz.campaign import Campaign, Tally

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DESCRIPTION = """\
Generates random valid cases (harness/fuzz/generate.py: same seed, same cases) and runs
them as the suite runs its own: on the reference in every oracle's profile, on every
CPython found (and Pyodide), and on any --target against its baseline. A case that
diverges is run again on the oracles it diverged from (three times each: an unstable
oracle discards it), then reduced automatically to a small case that still diverges the
same way (same fingerprint), written to --found-dir as an ordinary case file (once per
fingerprint; a target's divergences already in its --expectations file are not new).

Writes --report-dir/fuzz.json. Exit status: 0 no new finding, 1 new findings (or cases
the loader rejected: a generator bug), 2 a usage error."""


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="atx-conform fuzz", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_implementation_options(parser)
    parser.add_argument("--seed", type=int, help="the campaign's seed (default: random)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--count", type=int, metavar="N", help="generate N cases")
    size.add_argument("--time", metavar="SECONDS",
                      help="generate cases for this long, e.g. 60 or 60s or 5m")
    parser.add_argument("--found-dir", default=os.path.join(REPO, "cases", "found"),
                        help="where reduced findings are written (default: %(default)s)")
    parser.add_argument("--cases-root", default=os.path.join(REPO, "cases"),
                        help="the cases folder: its clause catalogue, and the cases of the "
                             "expectation files (default: %(default)s)")
    parser.add_argument("--report-dir", default=os.path.join("reports", "fuzz"),
                        help="where fuzz.json and the runs' programs go (default: %(default)s)")
    parser.add_argument("--no-reduce", action="store_true",
                        help="keep findings as generated (faster, bigger)")
    parser.add_argument("--budget", type=int, default=400,
                        help="runs of a candidate one reduction may take (default: %(default)s)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress line")
    return parser.parse_args(argv)


def seconds_of(text: str) -> float:
    """60, 60s, 5m, 1h: a duration."""
    units = {"s": 1, "m": 60, "h": 3600}
    scale = units.get(text[-1:], None)
    number = float(text[:-1] if scale else text)
    if number <= 0:
        raise ValueError(text)
    return number * (scale or 1)


def summary(tally: Tally) -> dict:
    return {
        "generated": tally.generated, "runs": tally.runs, "seconds": round(tally.seconds, 2),
        "cases_per_second": round(tally.generated / tally.seconds, 2) if tally.seconds else 0,
        "diverged": tally.diverged, "discarded_unstable": tally.unstable,
        "rejected_by_loader": tally.rejected, "errors": tally.errors,
        "oracle_crashes": tally.oracle_crashes,
        "findings": [{"fingerprint": f.fingerprint, "target": f.label, "oracles": f.oracles,
                      "kind": f.signature.kind, "oracle_line": f.signature.oracle_line,
                      "target_line": f.signature.target_line, "seed": f.seed,
                      "case": f.index, "steps_generated": f.steps_before,
                      "steps": f.steps, "file": f.path, "known": f.known}
                     for f in tally.findings],
    }


def progress_line(tally: Tally, elapsed: float) -> None:
    new = sum(1 for f in tally.findings if not f.known)
    print("\rfuzz: %d cases, %d runs, %.0f s, %d diverged, %d new findings, %d errors   "
          % (tally.generated, tally.runs, elapsed, tally.diverged, new, len(tally.errors)),
          end="", file=sys.stderr, flush=True)


def fuzz_main(argv: List[str]) -> int:
    try:
        args = parse_args(argv)
        seconds = seconds_of(args.time) if args.time else None
        count = args.count if args.count is not None or seconds else 100
        if count is not None and count < 1:
            raise ValueError(str(count))
        known_bugs = load_or_fail(args.known_bugs)
        if not runner_present(args):
            return 2
        pairings, expectation_files = implementations(args)
    except ValueError as error:
        print("atx-conform fuzz: --count takes a number of cases and --time a duration "
              "(not %s)" % error, file=sys.stderr)
        return 2
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            return 2
        raise
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    print("fuzz seed %d, %d jobs, %s" % (seed, args.jobs, "%d cases" % count if count
                                         else "%.0f s" % seconds))
    campaign = Campaign(pairings, expectation_files, args.report_dir, args.cases_root,
                        os.path.abspath(args.found_dir), args.jobs, args.timeout, known_bugs,
                        seed, reduce=not args.no_reduce, budget=args.budget)
    if expectation_files:
        reports, _ = load_cases(args.cases_root)
        campaign.learn_expected({report.id for report in reports if report.case})
    tally = campaign.go(count, seconds, None if args.quiet else progress_line)
    if not args.quiet:
        print(file=sys.stderr)
    report = summary(tally)
    report["seed"] = seed
    os.makedirs(args.report_dir, exist_ok=True)
    atomic_write(os.path.join(args.report_dir, "fuzz.json"),
                 json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    new = [f for f in tally.findings if not f.known]
    print("fuzz: %d cases in %.1f s (%.1f cases/s, %d runs): %d diverged, %d discarded as "
          "unstable, %d errors, %d oracle crashes no known bug explains" % (
              tally.generated, tally.seconds, report["cases_per_second"], tally.runs,
              tally.diverged, tally.unstable, len(tally.errors), len(tally.oracle_crashes)))
    for finding in tally.findings:
        print("  %s %s vs %s: %s, %s %r / %r%s" % (
            finding.fingerprint, finding.label, ",".join(finding.oracles),
            "known: " + finding.known if finding.known
            else "%d -> %d steps in %s" % (finding.steps_before, finding.steps, finding.path),
            finding.signature.kind, finding.signature.oracle_line[:50],
            finding.signature.target_line[:50], ""))
    for rejected in tally.rejected:
        print("  generator bug: the loader rejected %s" % rejected)
    print("fuzz report: %s" % os.path.join(args.report_dir, "fuzz.json"))
    return 1 if new or tally.rejected else 0
