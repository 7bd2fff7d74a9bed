"""The drift table shows, each with a case, the behaviour changes the suite exists to catch.

Runs real interpreters; where some versions are missing here, their groups are not asserted.
"""
import json

import pytest

from harness.tests.support import RUNNER, conform
from oracle import interpreters

FOUND = {i.short_version for i in interpreters.discover()}
ALL_LOCAL = {"2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"}
pytestmark = pytest.mark.skipif(not ALL_LOCAL <= FOUND, reason="needs CPython 2.7 and 3.6-3.13")

EXPECTED = {
    # the four failure-header eras
    "failure/report-bound-method": [["2.7"], ["3.6", "3.7", "3.8", "3.9"],
                                    ["3.10", "3.11", "3.12"], ["3.13"]],
    # SystemExit in a handler: silent, then reported
    "failure/systemexit-in-handler": [["2.7"], ["3.6", "3.7", "3.8", "3.9"],
                                      ["3.10", "3.11", "3.12"], ["3.13"]],
    # _run_exitfuncs re-raises until 3.9
    "failure/reraise-last": [["2.7", "3.6", "3.7", "3.8", "3.9"], ["3.10", "3.11", "3.12"],
                             ["3.13", "3.14"]],
    # a handler registered during the run: 2.7 runs it, 3.x drops it
    "run/register-during-shutdown": [["2.7"], ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11",
                                               "3.12", "3.13"]],
    # uncaught KeyboardInterrupt: status 1, then SIGINT from 3.8
    "exit/keyboard-interrupt-main": [["2.7", "3.6", "3.7"],
                                     ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]],
    # unregister during the run: 3.14 differs from 3.13
    "run/unregister-during-explicit-run": [["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12",
                                            "3.13"], ["3.14"]],
}


def test_drift_table_shows_each_change(tmp_path):
    done = conform("--runner", RUNNER, "--report-dir", str(tmp_path), *EXPECTED)
    assert done.returncode == 0, done.stdout + done.stderr
    drift = json.loads((tmp_path / "conformance.json").read_text())["drift"]
    for case_id, groups in EXPECTED.items():
        seen = [[v for v in group if v in FOUND or v == "3.14"] for group in drift[case_id]]
        wanted = [[v for v in group if v in FOUND or v == "3.14"] for group in groups]
        if "3.14" not in {v for g in seen for v in g}:  # Pyodide absent here
            wanted = [[v for v in g if v != "3.14"] for g in wanted]
        assert seen == [g for g in wanted if g], case_id
    assert (tmp_path / "drift.md").read_text().count("3.6-3.9") >= 2
