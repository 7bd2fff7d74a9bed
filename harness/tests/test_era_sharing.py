"""Versions the case runner names alike (--profile-name's PRESET/ERA/TEXT) share one
reference run in the conformance runner's cache and scheduling, so they must behave
alike: every case of the corpus, run by the reference in each version of such a group,
gives one transcript. A version fact kept outside pyversion.c's eras (an `if` on the
minor version) breaks this, and this test."""

import os
import subprocess
from collections import defaultdict

import pytest

from harness.conform.compare import transcript
from harness.conform.sweep import sweep

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(REPO, "build", "release", "atx-case-runner")
CASES = os.path.join(REPO, "cases")
VERSIONS = ["2.7"] + ["3.%d" % minor for minor in range(15)]


def profile_name(version):
    return subprocess.run([RUNNER, "--profile", version, "--profile-name"], check=True,
                          capture_output=True, text=True).stdout.strip()


def groups():
    """Versions whose names are alike, for ASCII text (the last part of the name, the
    Unicode database, only matters to text that is not ASCII: compared by test_cases)."""
    found = defaultdict(list)
    for version in VERSIONS:
        found[profile_name(version).rpartition("/")[0]].append(version)
    return [versions for versions in found.values() if len(versions) > 1]


def test_versions_named_alike_behave_alike(tmp_path):
    if not os.path.exists(RUNNER):
        pytest.skip("the case runner is not built (make runner)")
    shared = groups()
    assert shared, "no two versions share an era: the cache shares nothing"
    seen = {}
    for versions in shared:
        for case, version, outcome in sweep(RUNNER, versions, CASES, str(tmp_path), 30):
            if not case.ascii_only:
                continue
            key = (case.id, tuple(versions))
            got = transcript(outcome)
            first = seen.setdefault(key, (version, got))
            assert got == first[1], "%s: %s and %s are named alike but differ" % (
                case.id, first[0], version)
