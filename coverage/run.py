#!/usr/bin/python3
"""make coverage: line and branch coverage of the C code under the whole suite.

Builds the coverage variant (build/coverage), runs every CMocka test and every case
through the instrumented case runner (and the malformed-case fixtures through its
loader), then writes with gcovr, into coverage/out/: HTML details (index.html),
Cobertura XML (coverage.xml), JSON (coverage.json), a text summary (summary.txt).
The gates: line coverage of ref/src, and of its process layer, at least
--fail-under-line (default 95).
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from oracle import casefile  # noqa: E402
BUILD = os.path.join(REPO, "build", "coverage")
OUT = os.path.join(REPO, "coverage", "out")
MALFORMED = os.path.join(REPO, "harness", "tests", "malformed")


def sh(command, **kwargs):
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=REPO, check=True, **kwargs)


# One version per profile era (ref/src/profile.c).
PROFILES = ("2.7", "3.6", "3.8", "3.9", "3.11", "3.13", "3.14")


def run_cases(runner: str) -> int:
    """Every case through the instrumented runner in every profile; output is not
    compared here (make conformance does that), only executed. Returns the run count."""
    root = os.path.join(REPO, "cases")
    clauses = casefile.load_clauses(os.path.join(root, "clauses.yaml"))
    runs = 0
    for path in casefile.discover(root):
        case = casefile.load(path, root, clauses)
        for profile in PROFILES:
            if not case.applies_to(tuple(int(part) for part in profile.split("."))):
                continue
            runs += 1
            try:
                subprocess.run([runner, "--profile", profile, path], cwd=REPO,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=10, check=False)
            except subprocess.TimeoutExpired:  # a case that never ends in this era
                pass
    for path in sorted(glob.glob(os.path.join(MALFORMED, "*.yaml"))):
        subprocess.run([runner, "--check", "--cases-root", MALFORMED, path], cwd=REPO,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fail-under-line", type=float, default=95.0)
    args = parser.parse_args()
    for stale in glob.glob(os.path.join(BUILD, "**", "*.gcda"), recursive=True):
        os.remove(stale)
    make = ["make", "--no-print-directory", "VARIANT=coverage"]
    sh(make + ["test-c", "runner"], stdout=sys.stdout)
    count = run_cases(os.path.join(BUILD, "atx-case-runner"))
    print("coverage: %d runs of the cases through the instrumented runner" % count)
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    common = ["gcovr", "--root", REPO, "--object-directory", BUILD, "--exclude-unreachable-branches"]
    sh(common + ["--filter", "ref/src/", "--filter", "harness/runner/",
                 "--html-details", os.path.join(OUT, "index.html"),
                 "--cobertura", os.path.join(OUT, "coverage.xml"),
                 "--json", os.path.join(OUT, "coverage.json"),
                 "--txt", os.path.join(OUT, "summary.txt")])
    with open(os.path.join(OUT, "summary.txt"), encoding="utf-8") as stream:
        print(stream.read())
    failed = False
    # The gates: all of libatx, and its process layer on its own (exit paths are
    # the part unit tests reach least).
    for name, path in (("ref/src", "ref/src/"), ("process layer", "ref/src/process.c")):
        gate = subprocess.run(common + ["--filter", path, "--print-summary",
                                        "--fail-under-line", str(args.fail_under_line)],
                              cwd=REPO, stdout=subprocess.PIPE, text=True, check=False)
        summary = [line for line in gate.stdout.splitlines()
                   if line.startswith(("lines:", "branches:"))]
        print("%s: %s" % (name, "; ".join(summary)))
        if gate.returncode != 0:
            print("coverage: line coverage of %s is under %.0f%%" % (name, args.fail_under_line),
                  file=sys.stderr)
            failed = True
    if failed:
        return 1
    print("coverage: reports in coverage/out/ (index.html, coverage.xml, coverage.json, summary.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
