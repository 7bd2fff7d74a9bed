"""A suite started with the case signals ignored (a background job of a non-interactive
shell ignores SIGINT, nohup SIGHUP) still runs every program with their default action:
otherwise CPython's `kill: SIGINT` would do nothing, and the cases would diverge (found by
the fuzzer, whose campaign ran as a background job)."""

import os
import subprocess
import sys

from harness.tests.support import REPO

CASES = ("steps/sigint-in-main", "steps/sigint-in-handler", "exit/signal-sighup-default")


def test_programs_get_the_default_action_of_signals_the_suite_ignores(tmp_path):
    command = ["env", "--ignore-signal=INT", "--ignore-signal=HUP", sys.executable,
               os.path.join(REPO, "atx-conform"), "--oracle", "default", "--no-cache", "-q",
               "--report-dir", str(tmp_path)] + list(CASES)
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed, 0 failed" in done.stdout, done.stdout
