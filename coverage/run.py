#!/usr/bin/python3
"""make coverage: line and branch coverage of the C code under the whole suite.

Builds the coverage variant (build/coverage), runs every CMocka test and every case
through the instrumented case runner, then writes with gcovr, into coverage/out/: HTML details (index.html),
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
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from harness.conform.sweep import one_version_per_era, sweep  # noqa: E402
BUILD = os.path.join(REPO, "build", "coverage")
OUT = os.path.join(REPO, "coverage", "out")


def sh(command, **kwargs):
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=REPO, check=True, **kwargs)


def run_cases(runner: str) -> int:
    """Every case through the instrumented runner in every profile; output is not
    compared here (make conformance does that), only executed. Returns the run count."""
    with tempfile.TemporaryDirectory() as workdir:
        return sum(1 for _ in sweep(runner, one_version_per_era(runner),
                                    os.path.join(REPO, "cases"), workdir, 10))


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
