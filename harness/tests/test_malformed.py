"""Malformed case files: the loader rejects each at its line with its message, every real
case loads, and a run goes on past a malformed case."""
import json
import os
import shutil

import pytest
import yaml

from harness.tests.support import CASES, MALFORMED, RUNNER, conform
from oracle import canonical, casefile
from oracle.casemodel import EVERY_OP_MODIFIERS, OPS, SIGNALS
from oracle.discovery import discover
from oracle.yamlnodes import CaseError

BAD = os.path.join(MALFORMED, "bad")
LISTS = {"{OPS}": OPS, "{EVERY_OP_MODIFIERS}": EVERY_OP_MODIFIERS, "{SIGNALS}": SIGNALS,
         "{FIELDS}": casefile.FIELDS}


def expand(message):
    """An expected message with the language's lists written out (they grow)."""
    for name, items in LISTS.items():
        message = message.replace(name, ", ".join(items))
    return message


with open(os.path.join(MALFORMED, "expected.yaml"), encoding="utf-8") as _stream:
    EXPECTED = {name: expand(message) for name, message in yaml.safe_load(_stream).items()}
CLAUSES = casefile.load_clauses(os.path.join(MALFORMED, "clauses.yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n[:-5])
def test_the_loader_rejects_each_fixture_at_its_line(name):
    path = os.path.join(BAD, name)
    with pytest.raises(CaseError) as raised:
        casefile.load(path, MALFORMED, CLAUSES)
    assert "%d: %s" % (raised.value.line, raised.value.message) == EXPECTED[name]
    assert str(raised.value) == "%s:%s" % (path, EXPECTED[name])


def test_every_fixture_is_listed():
    assert set(os.listdir(BAD)) == set(EXPECTED)


def test_every_real_case_loads_and_has_a_canonical_form(tmp_path):
    paths, problems = discover(CASES)
    assert not problems and len(paths) >= 150
    clauses = casefile.load_clauses(os.path.join(CASES, "clauses.yaml"))
    for path in paths:
        case = casefile.load(path, CASES, clauses)
        with open(canonical.write(case, str(tmp_path)), encoding="utf-8") as stream:
            form = json.load(stream)
        assert form["format"] == "atx-case/1" and form["id"] == case.id


def test_a_malformed_case_does_not_stop_the_run(tmp_path):
    root = tmp_path / "cases"
    shutil.copytree(CASES, str(root))
    good = discover(str(root))[0][:3]
    for path in discover(str(root))[0]:
        if path not in good:
            os.remove(path)
    bad = root / "broken" / "unknown-operation.yaml"
    bad.parent.mkdir()
    bad.write_text(open(os.path.join(BAD, "unknown-operation.yaml")).read()
                   .replace("id: bad/unknown-operation", "id: broken/unknown-operation")
                   .replace("fixture.clause", sorted(casefile.load_clauses(
                       os.path.join(CASES, "clauses.yaml")))[0]))
    reports = tmp_path / "reports"
    done = conform("--cases-root", str(root), "--report-dir", str(reports), "--runner", RUNNER)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "%s:7: unknown operation 'explode'" % bad in done.stderr
    data = json.loads((reports / "conformance.json").read_text())
    by_id = {case["id"]: case for case in data["cases"]}
    assert by_id["broken/unknown-operation"]["error"].endswith(
        ":7: unknown operation 'explode' (expected one of: %s)" % ", ".join(OPS))
    ran = [case for case in data["cases"] if case["results"]]
    assert len(ran) == 3
    assert all(r["status"] in ("pass", "skip", "n/a") for c in ran for r in c["results"])
    assert all(any(r["status"] == "pass" for r in c["results"]) for c in ran)
    assert (reports / "junit.xml").exists()
