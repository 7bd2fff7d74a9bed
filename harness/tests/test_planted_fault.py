"""The loop can fail: a reference built with a planted fault makes atx-conform exit non-zero
with a readable diff. Each fault is a textual mutation of a copy of ref/src; the real tree
is never touched."""
import subprocess

import pytest

from harness.tests.support import FAULTS, conform, copy_with_fault


def build_faulty(tmp_path, fault):
    tree = copy_with_fault(tmp_path / "tree", ("ref", "harness/runner", "Makefile"), fault)
    subprocess.run(["make", "-s", "-C", str(tree), "runner"], check=True,
                   stdout=subprocess.DEVNULL)
    return str(tree / "build" / "release" / "atx-case-runner")


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_planted_fault_is_caught(fault, tmp_path):
    case_id = FAULTS[fault][3]
    runner = build_faulty(tmp_path, fault)
    done = conform("--runner", runner, "--report-dir", str(tmp_path / "reports"), case_id)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL %s on reference-" % case_id in done.stdout
    assert "\n--- cpython-" in done.stdout and "\n+++ reference-" in done.stdout
    assert "repro: " in done.stdout
