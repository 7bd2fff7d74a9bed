"""The fuzzer's generator: every operation of the language has a maker, the same seed
gives the same case, and every generated case passes the one loader (a case it rejects
is a generator bug)."""

import collections
import os
import shutil

import yaml

from harness.fuzz.generate import MAKERS, generate
from oracle.casefile import load, load_clauses
from oracle.casemodel import OPS
from oracle.yamlnodes import CaseError

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COUNT = 1500


def test_every_operation_has_a_maker():
    assert set(MAKERS) == set(OPS)


def test_the_same_seed_gives_the_same_case():
    assert generate(11, 5) == generate(11, 5)
    assert generate(11, 5) != generate(11, 6)
    assert generate(11, 5) != generate(12, 5)


def test_every_generated_case_loads_and_every_operation_is_drawn(tmp_path):
    root = tmp_path / "cases"
    (root / "fuzz").mkdir(parents=True)
    shutil.copy(os.path.join(REPO, "cases", "clauses.yaml"), str(root / "clauses.yaml"))
    clauses = load_clauses(str(root / "clauses.yaml"))
    rejected, drawn, exits, versions = [], collections.Counter(), set(), set()
    for index in range(COUNT):
        doc = generate(3, index)
        path = root / (doc["id"] + ".yaml")
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        try:
            case = load(str(path), str(root), clauses)
        except CaseError as error:
            rejected.append(str(error))
            continue
        drawn.update(step.op for step in case.steps())
        exits.add(case.exit_path)
        versions.add((case.min_version, case.max_version))
    assert rejected == []
    assert set(drawn) == set(OPS), "never drawn: %s" % sorted(set(OPS) - set(drawn))
    assert exits == {"normal", "os-exit", "signal", "abort"}
    assert len(versions) >= 5
