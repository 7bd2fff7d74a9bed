"""Every case, in every profile era, through the case runner built with ASan and UBSan:
no memory error, no undefined behaviour (leaks are not checked: like Python's objects,
the runner's live until the process ends), and no death by a signal the case does not
ask for (its kill steps, abort, KeyboardInterrupt from 3.8: crashes.may_end_by)."""
import os
import subprocess

import pytest

from harness.conform.crashes import crash_signal
from harness.conform.sweep import one_version_per_era, sweep
from harness.tests.support import CASES, REPO, RUNNER

SANITIZED = os.path.join(REPO, "build", "asan", "atx-case-runner")


@pytest.fixture(scope="module")
def sanitized():
    """The case runner built with ASan and UBSan (make keeps it up to date)."""
    subprocess.run(["make", "-s", "-C", REPO, "runner", "VARIANT=asan"], check=True,
                   stdout=subprocess.DEVNULL)
    return SANITIZED


@pytest.mark.parametrize("profile", one_version_per_era(RUNNER))
def test_cases_run_clean_under_sanitizers(sanitized, profile, tmp_path, monkeypatch):
    monkeypatch.setenv("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0")
    monkeypatch.setenv("UBSAN_OPTIONS", "print_stacktrace=1")
    reports = []
    version = tuple(int(part) for part in profile.split("."))
    for case, _, outcome in sweep(sanitized, (profile,), CASES, str(tmp_path), 20):
        # a run that times out is a case that never ends in this era (see its clause)
        if "Sanitizer" in outcome.output or "runtime error:" in outcome.output:
            reports.append("%s:\n%s" % (case.id, outcome.output))
        killed_by = crash_signal(outcome, case, version)
        if killed_by is not None:
            reports.append("%s: the runner died by %s\n%s" % (case.id, killed_by, outcome.output))
    assert not reports, "\n".join(reports)
