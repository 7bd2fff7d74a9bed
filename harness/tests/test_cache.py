"""The result cache: an unchanged re-run is served from it; any change that decides a
result (the case, the reference build) runs again; --no-cache bypasses it."""
import json
import shutil

from harness.tests.support import CASES, RUNNER, conform


def run(tmp_path, name, *extra):
    done = conform("--oracle", "default", "--cases-root", str(tmp_path / "cases"),
                   "--cache-dir", str(tmp_path / "cache"), "--report-dir", str(tmp_path / name),
                   "-q", *extra)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / name / "conformance.json").read_text())
    statuses = {(case["id"], r["target"]): r["status"]
                for case in report["cases"] for r in case["results"]}
    return report["run"]["cache"], statuses


def copy_cases(tmp_path):
    root = tmp_path / "cases"
    (root / "run").mkdir(parents=True)
    shutil.copy(CASES + "/clauses.yaml", root)
    for name in ("lifo", "empty-run"):
        shutil.copy("%s/run/%s.yaml" % (CASES, name), root / "run")
    return root


def test_a_re_run_comes_from_the_cache_and_a_changed_case_runs_again(tmp_path):
    root = copy_cases(tmp_path)
    first, statuses = run(tmp_path, "cold", "--runner", RUNNER)
    assert first["hits"] == 0 and first["misses"] == 4  # 2 cases x (oracle, reference)
    warm, warm_statuses = run(tmp_path, "warm", "--runner", RUNNER)
    assert (warm["hits"], warm["misses"]) == (4, 0)
    assert warm_statuses == statuses and set(statuses.values()) == {"pass"}
    case = root / "run" / "lifo.yaml"
    case.write_text(case.read_text().replace("main:", "main:\n  - print: changed", 1))
    changed, _ = run(tmp_path, "changed", "--runner", RUNNER)
    assert (changed["hits"], changed["misses"]) == (2, 2)


def test_a_changed_reference_build_runs_again(tmp_path):
    copy_cases(tmp_path)
    runner = tmp_path / "atx-case-runner"
    shutil.copy(RUNNER, runner)
    run(tmp_path, "first", "--runner", str(runner))
    with open(runner, "ab") as stream:  # another build: same behaviour, other bytes
        stream.write(b"\0")
    again, _ = run(tmp_path, "again", "--runner", str(runner))
    assert (again["hits"], again["misses"]) == (2, 2)  # the oracle's runs only


def test_no_cache_runs_everything_and_stores_nothing(tmp_path):
    copy_cases(tmp_path)
    stats, _ = run(tmp_path, "plain", "--runner", RUNNER, "--no-cache")
    assert stats == {"folder": None, "hits": 0, "misses": 0}
    assert not (tmp_path / "cache").exists()
