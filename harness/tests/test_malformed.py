"""Malformed case files: both loaders reject each at the same line, and a run goes on."""
import json
import os
import shutil
import subprocess

import pytest
import yaml

from harness.tests.support import CASES, MALFORMED, RUNNER, conform
from oracle import casefile
from oracle.yamlnodes import CaseError

EXPECTED = yaml.safe_load(open(os.path.join(MALFORMED, "expected.yaml")))
CLAUSES = casefile.load_clauses(os.path.join(MALFORMED, "clauses.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n[:-5])
def test_both_loaders_reject_at_the_same_line(name):
    path = os.path.join(MALFORMED, name)
    with pytest.raises(CaseError) as raised:
        casefile.load(path, MALFORMED, CLAUSES)
    assert raised.value.line == EXPECTED[name], str(raised.value)
    done = subprocess.run([RUNNER, "--check", "--cases-root", MALFORMED, path],
                          capture_output=True, text=True)
    assert done.returncode == 2
    # the same file, line and message; a syntax error's wording is the parser's own
    # (libyaml's and PyYAML's differ), so only its kind is compared
    if raised.value.message.startswith("YAML syntax error"):
        assert done.stderr.startswith("%s:%d: YAML syntax error: " % (path, EXPECTED[name]))
    else:
        assert done.stderr == str(raised.value) + "\n"


def test_every_fixture_is_listed():
    present = {name for name in os.listdir(MALFORMED) if name.endswith(".yaml")}
    assert present - {"clauses.yaml", "expected.yaml"} == set(EXPECTED)


def test_every_real_case_passes_both_loaders():
    for path in casefile.discover(CASES):
        casefile.load(path, CASES, casefile.load_clauses(os.path.join(CASES, "clauses.yaml")))
        done = subprocess.run([RUNNER, "--check", path], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_a_malformed_case_does_not_stop_the_run(tmp_path):
    root = tmp_path / "cases"
    shutil.copytree(CASES, str(root))
    good = sorted(casefile.discover(str(root)))[:3]
    for path in casefile.discover(str(root)):
        if path not in good:
            os.remove(path)
    bad = root / "broken" / "unknown-operation.yaml"
    bad.parent.mkdir()
    bad.write_text(open(os.path.join(MALFORMED, "unknown-operation.yaml")).read()
                   .replace("id: unknown-operation", "id: broken/unknown-operation")
                   .replace("fixture.clause", sorted(casefile.load_clauses(
                       os.path.join(CASES, "clauses.yaml")))[0]))
    reports = tmp_path / "reports"
    done = conform("--cases-root", str(root), "--report-dir", str(reports), "--runner", RUNNER)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "%s:7: unknown operation 'explode'" % bad in done.stderr
    data = json.loads((reports / "conformance.json").read_text())
    by_id = {case["id"]: case for case in data["cases"]}
    assert by_id["broken/unknown-operation"]["error"].endswith(
        ":7: unknown operation 'explode' (expected one of: %s)" % ", ".join(casefile.OPS))
    ran = [case for case in data["cases"] if case["results"]]
    assert len(ran) == 3
    assert all(r["status"] in ("pass", "skip", "n/a") for c in ran for r in c["results"])
    assert all(any(r["status"] == "pass" for r in c["results"]) for c in ran)
    assert (reports / "junit.xml").exists()
