"""make bench: how fast the full matrix runs, measured against what it cannot avoid.

In one run, on this machine, with the same number of jobs:
  cold      ./atx-conform over every case and oracle, with an empty cache;
  floor     as many bare interpreter start-ups as the cold run ran oracle programs: for
            each CPython program run, `python -S -c pass` with that run's interpreter,
            and one bare Pyodide load when Pyodide ran;
  programs  the same oracle programs, each run once with its interpreter's flags and
            nothing else: no reference run, no comparison, no cache, no report. No
            runner of this matrix can be faster, so programs/floor is the lowest
            cold/floor any runner could reach, and cold/programs is what this one adds;
  warm      the same command again: every result comes from the cache.
Pyodide's runs are one lane started first, in each measurement as in the suite itself.
Writes reports/bench.json and prints the ratios cold/floor (the target is at most 1.5)
and cold/warm (the target is at least 10). Timings are reported, never asserted.
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from harness.conform.files import atomic_write  # noqa: E402  (after the path is set)
from harness.conform.suite import run_lanes  # noqa: E402
from oracle import pyodide  # noqa: E402

RAN = ("pass", "fail", "error", "xfail", "xpass")  # statuses where the oracle program ran
PYODIDE = "pyodide"


def timed_conform(args: List[str]) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, os.path.join(REPO, "atx-conform"), "-q"] + args,
                          cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit("bench: atx-conform failed (exit %d):\n%s" % (done.returncode, done.stdout))
    return seconds


def program_runs(report: Dict[str, Any]) -> Dict[str, List[str]]:
    """The oracle commands the cold run ran, by interpreter path (PYODIDE for Pyodide,
    whose entries are program paths)."""
    paths = {oracle["name"]: oracle["path"] or PYODIDE for oracle in report["run"]["oracles"]}
    runs: Dict[str, List[str]] = {}
    for case in report["cases"]:
        for result in case["results"]:
            if result["status"] in RAN:
                path = paths[result["oracle"]]
                runs.setdefault(path, []).append(
                    result["program"] if path == PYODIDE else result["repro"]["oracle"])
    return runs


def spread(pyodide_lane: List[Callable[[], Any]], tasks: List[Callable[[], Any]],
           jobs: int) -> float:
    """Seconds to run the Pyodide lane (one job, in order, started first) and the other
    tasks over jobs workers, as the suite schedules its runs."""
    started = time.monotonic()
    run_lanes(([pyodide_lane] if pyodide_lane else []) + [[task] for task in tasks], jobs)
    return time.monotonic() - started


def quiet(command: List[str], cwd: str, pass_fds=()) -> Callable[[], Any]:
    return lambda: subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  pass_fds=pass_fds, check=False)


def floor_seconds(runs: Dict[str, List[str]], jobs: int) -> float:
    """The bare start-ups; Pyodide's one load counts once."""
    lane = [quiet(["node", pyodide.RUNNER], pyodide.HERE)] if PYODIDE in runs else []
    tasks = [quiet([path, "-S", "-c", "pass"], pyodide.HERE)
             for path, commands in runs.items() if path != PYODIDE for _ in commands]
    return spread(lane, tasks, jobs)


def programs_seconds(runs: Dict[str, List[str]], jobs: int) -> float:
    """Every program once, as the oracle runs it (from its folder, an event descriptor
    open on /dev/null), Pyodide's in one Pyodide process."""
    oracle = pyodide.PyodideOracle() if PYODIDE in runs else None
    lane = [lambda program=program: oracle.run(program, 60.0)  # type: ignore
            for program in runs.get(PYODIDE, [])]
    events = os.open(os.devnull, os.O_WRONLY)
    try:
        commands = [shlex.split(command) for path, listed in runs.items() if path != PYODIDE
                    for command in listed]
        tasks = [quiet(command + [str(events)], os.path.dirname(command[-1]), (events,))
                 for command in commands]
        return spread(lane, tasks, jobs)
    finally:
        os.close(events)
        if oracle is not None:
            oracle.close()


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
        runs = program_runs(report)
        floor = floor_seconds(runs, args.jobs)
        programs = programs_seconds(runs, args.jobs)  # the programs are in scratch
        warm = timed_conform(common)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    counts = {path: len(commands) for path, commands in runs.items()}
    figures = {
        "jobs": args.jobs,
        "cases": len(report["cases"]),
        "results": sum(len(case["results"]) for case in report["cases"]),
        "program_runs": counts,
        "seconds": {"cold": round(cold, 2), "floor": round(floor, 2),
                    "programs": round(programs, 2), "warm": round(warm, 2)},
        "cold_over_floor": round(cold / floor, 2),
        "programs_over_floor": round(programs / floor, 2),
        "cold_over_programs": round(cold / programs, 2),
        "cold_over_warm": round(cold / warm, 1),
        "targets": {"cold_over_floor_at_most": 1.5, "cold_over_warm_at_least": 10},
    }
    path = os.path.join(args.report_dir, "bench.json")
    atomic_write(path, json.dumps(figures, indent=2) + "\n")
    print("bench: %d cases, %d results, %d program runs, %d jobs"
          % (figures["cases"], figures["results"], sum(counts.values()), args.jobs))
    print("bench: cold %.1fs, floor %.1fs (cold/floor %.2f, target <= 1.5)"
          % (cold, floor, figures["cold_over_floor"]))
    print("bench: the programs alone %.1fs (programs/floor %.2f: no runner can do better; "
          "cold/programs %.2f: what this one adds)"
          % (programs, figures["programs_over_floor"], figures["cold_over_programs"]))
    print("bench: warm %.2fs (cold/warm %.1f, target >= 10)" % (warm, figures["cold_over_warm"]))
    print("bench: figures in %s" % path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
