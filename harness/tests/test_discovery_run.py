"""A machine with only Debian's python3 still runs the suite, and says what it did not find."""
import json
import os
import subprocess
import sys

from harness.tests.support import REPO, RUNNER


def test_only_debian_python3_runs_the_whole_selection(tmp_path):
    env = dict(os.environ, PYENV_ROOT=str(tmp_path / "no-pyenv"), PATH="/usr/bin:/bin")
    done = subprocess.run([sys.executable, os.path.join(REPO, "atx-conform"), "--runner", RUNNER,
                           "--report-dir", str(tmp_path / "reports"), "run/*"],
                          cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "looked for and did not find: Python 2.7, 3.6, 3.7, 3.8, 3.9, 3.10," in done.stdout
    data = json.loads((tmp_path / "reports" / "conformance.json").read_text())
    oracles = {oracle["name"] for oracle in data["run"]["oracles"]}
    assert any(name.startswith("cpython-3.11") for name in oracles)
    assert not any(name.startswith("cpython-2.7") for name in oracles)
    assert all(case["results"] for case in data["cases"])
