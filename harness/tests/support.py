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


def lossy_target(folder):
    """A "Python" that loses one handler's output ("c ran" becomes "C RAN"): Debian's
    CPython behind a filter, as a --target command. Returns its path."""
    wrapper = folder / "lossy"
    wrapper.write_text('#!/bin/sh\n'
                       'if [ "$1" = -c ]; then exec /usr/bin/python3 "$@"; fi\n'
                       'sed "s/c ran/C RAN/" "$1" > "$1.lossy.py"; program="$1.lossy.py"\n'
                       'shift; exec /usr/bin/python3 -I -S -u "$program" "$@"\n')
    wrapper.chmod(0o755)
    return wrapper
