"""Shared paths and helpers of the harness tests."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(REPO, "cases")
MALFORMED = os.path.join(REPO, "harness", "tests", "malformed")
RUNNER = os.environ.get("ATX_RUNNER", os.path.join(REPO, "build", "release", "atx-case-runner"))


def conform(*args, cwd=None):
    """Runs ./atx-conform with args; returns the completed process (text output)."""
    return subprocess.run([sys.executable, os.path.join(REPO, "atx-conform")] + list(args),
                          cwd=cwd or REPO, capture_output=True, text=True, check=False)
