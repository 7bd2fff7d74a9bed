"""The fuzzer finds a fault planted in the reference (libatx's run order turned FIFO, in a
temporary build), within a bounded number of generated cases, and reduces it to a case of
at most 6 steps that still shows it, and that the real reference passes."""

import json
import os

import yaml

from harness.fuzz.reduce import count_steps
from harness.tests.support import REPO, build_library, build_runner, conform

COUNT = 60  # cases: a LIFO fault shows in any run of two handlers


def test_a_planted_fault_is_found_and_reduced(tmp_path):
    runner = build_runner(tmp_path, build_library(tmp_path, "fifo", "fifo-order"))
    found = tmp_path / "found"
    done = conform("fuzz", "--runner", runner, "--oracle", "default", "--seed", "5",
                   "--count", str(COUNT), "--found-dir", str(found), "--report-dir",
                   str(tmp_path / "fuzz"), "--quiet", "--timeout", "20")
    assert done.returncode == 1, done.stdout + done.stderr  # new findings
    report = json.loads((tmp_path / "fuzz" / "fuzz.json").read_text())
    new = [finding for finding in report["findings"] if not finding["known"]]
    assert new and report["rejected_by_loader"] == []
    files = sorted(found.glob("*.yaml"))
    assert len(files) == len(new)
    smallest = min(files, key=lambda path: count_steps(yaml.safe_load(path.read_text())))
    assert count_steps(yaml.safe_load(smallest.read_text())) <= 6, smallest.read_text()
    # an ordinary case file: the faulty reference fails it, the real one passes it
    cases = tmp_path / "cases"
    (cases / "found").mkdir(parents=True)
    (cases / "clauses.yaml").write_text(open(os.path.join(REPO, "cases", "clauses.yaml")).read())
    (cases / "found" / smallest.name).write_text(smallest.read_text())
    common = ("--oracle", "default", "--no-cache", "-q", "--cases-root", str(cases))
    faulty = conform("--runner", runner, "--report-dir", str(tmp_path / "r1"), *common)
    assert faulty.returncode == 1, faulty.stdout
    real = conform("--report-dir", str(tmp_path / "r2"), *common)
    assert real.returncode == 0, real.stdout
