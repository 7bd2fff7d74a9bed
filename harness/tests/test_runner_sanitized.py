"""Every case, in every profile era, through the case runner built with ASan and UBSan:
no memory error and no undefined behaviour (leaks are not checked: like Python's
objects, the runner's live until the process ends)."""
import os
import subprocess

import pytest

from harness.tests.support import CASES, REPO
from oracle import casefile

SANITIZED = os.path.join(REPO, "build", "asan", "atx-case-runner")
PROFILES = ("2.7", "3.6", "3.8", "3.11", "3.13", "3.14")
CLAUSES = casefile.load_clauses(os.path.join(CASES, "clauses.yaml"))


@pytest.fixture(scope="module")
def sanitized():
    """The case runner built with ASan and UBSan (make keeps it up to date)."""
    subprocess.run(["make", "-s", "-C", REPO, "runner", "VARIANT=asan"], check=True,
                   stdout=subprocess.DEVNULL)
    return SANITIZED


@pytest.mark.parametrize("profile", PROFILES)
def test_cases_run_clean_under_sanitizers(sanitized, profile):
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0:abort_on_error=0",
               UBSAN_OPTIONS="print_stacktrace=1")
    version = tuple(int(part) for part in profile.split("."))
    reports = []
    for path in casefile.discover(CASES):
        if not casefile.load(path, CASES, CLAUSES).applies_to(version):
            continue
        try:
            done = subprocess.run([sanitized, "--profile", profile, path], env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, timeout=20)
        except subprocess.TimeoutExpired:
            continue  # a case that never ends in this era (see its clause)
        output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        if "Sanitizer" in output or "runtime error:" in output:
            reports.append("%s:\n%s" % (path, output))
    assert not reports, "\n".join(reports)
