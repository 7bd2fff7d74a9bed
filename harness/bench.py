"""make bench: how fast the full matrix runs, measured against what it cannot avoid.

In one run, on this machine, with the same number of jobs:
  cold  ./atx-conform over every case and oracle, with an empty cache;
  floor as many bare interpreter start-ups as the cold run started programs: for each
        CPython program run, `python -S -c pass` with that run's interpreter, and one bare
        Pyodide load when Pyodide ran; spread over the same jobs;
  warm  the same command again: every result comes from the cache.
Writes reports/bench.json and prints the ratios cold/floor (the target is at most 1.5)
and cold/warm (the target is at least 10). Timings are reported, never asserted.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from harness.conform.files import atomic_write  # noqa: E402  (after the path is set)
from oracle import pyodide  # noqa: E402

RAN = ("pass", "fail", "error", "xfail", "xpass")  # statuses where the oracle program ran


def timed_conform(args: List[str]) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, os.path.join(REPO, "atx-conform"), "-q"] + args,
                          cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit("bench: atx-conform failed (exit %d):\n%s" % (done.returncode, done.stdout))
    return seconds


def start_ups(report: Dict[str, Any]) -> Dict[str, int]:
    """Program runs per oracle interpreter path ("pyodide" for Pyodide) in a report."""
    paths = {oracle["name"]: oracle["path"] or "pyodide" for oracle in report["run"]["oracles"]}
    runs: Dict[str, int] = {}
    for case in report["cases"]:
        for result in case["results"]:
            if result["status"] in RAN:
                path = paths[result["oracle"]]
                runs[path] = runs.get(path, 0) + 1
    return runs


def floor_seconds(runs: Dict[str, int], jobs: int) -> float:
    """The bare start-ups, spread over jobs; Pyodide's one load counts once."""
    commands = []
    for path, count in runs.items():
        if path == "pyodide":
            commands.append(["node", pyodide.RUNNER])
        else:
            commands.extend([[path, "-S", "-c", "pass"]] * count)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(lambda command: subprocess.run(
            command, cwd=pyodide.HERE, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, check=False), commands))
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--report-dir", default=os.path.join(REPO, "reports"))
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="atx-bench-")
    try:
        common = ["--jobs", str(args.jobs), "--cache-dir", os.path.join(scratch, "cache"),
                  "--report-dir", os.path.join(scratch, "reports")]
        cold = timed_conform(common)
        with open(os.path.join(scratch, "reports", "conformance.json"), encoding="utf-8") as f:
            report = json.load(f)
        runs = start_ups(report)
        floor = floor_seconds(runs, args.jobs)
        warm = timed_conform(common)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    figures = {
        "jobs": args.jobs,
        "cases": len(report["cases"]),
        "results": sum(len(case["results"]) for case in report["cases"]),
        "program_runs": runs,
        "seconds": {"cold": round(cold, 2), "floor": round(floor, 2), "warm": round(warm, 2)},
        "cold_over_floor": round(cold / floor, 2),
        "cold_over_warm": round(cold / warm, 1),
        "targets": {"cold_over_floor_at_most": 1.5, "cold_over_warm_at_least": 10},
    }
    path = os.path.join(args.report_dir, "bench.json")
    atomic_write(path, json.dumps(figures, indent=2) + "\n")
    print("bench: %d cases, %d results, %d program runs, %d jobs"
          % (figures["cases"], figures["results"], sum(runs.values()), args.jobs))
    print("bench: cold %.1fs, floor %.1fs (cold/floor %.2f, target <= 1.5)"
          % (cold, floor, figures["cold_over_floor"]))
    print("bench: warm %.2fs (cold/warm %.1f, target >= 10)" % (warm, figures["cold_over_warm"]))
    print("bench: figures in %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
