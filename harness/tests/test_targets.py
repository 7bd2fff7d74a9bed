"""--target: another Python, compared with the CPython of its language version."""
import json

from harness.tests.support import RUNNER, conform, lossy_target


def test_a_faithful_target_passes(tmp_path):
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                   "--target", "same=/usr/bin/python3 -I -S -u", "run/lifo", "failure/reraise-last")
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "conformance.json").read_text())
    results = [r for case in data["cases"] for r in case["results"] if r["target"] == "same"]
    assert len(results) == 2 and all(r["status"] == "pass" for r in results)


def test_a_divergent_target_fails_with_a_diff(tmp_path):
    wrapper = lossy_target(tmp_path)
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir",
                   str(tmp_path / "r"), "--target", "lossy=%s" % wrapper, "run/lifo")
    assert done.returncode == 1
    assert "FAIL run/lifo on lossy" in done.stdout and "+C RAN" in done.stdout


def test_a_target_that_is_not_python_is_a_usage_error(tmp_path):
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                   "--target", "nothing=/bin/false", "run/lifo")
    assert done.returncode == 2 and "does not run as a Python" in done.stderr


def test_a_capability_a_target_lacks_makes_its_cases_not_applicable(tmp_path):
    # a "Python" without os.fork: the fork case is n/a for it, never passed or failed
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                   "--target", "nofork=/usr/bin/python3 -I -S -u", "--lacks", "nofork=fork",
                   "fork/child-ends-normally", "run/lifo")
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads((tmp_path / "conformance.json").read_text())
    status = {(case["id"], r["target"]): (r["status"], r["reason"])
              for case in data["cases"] for r in case["results"]}
    assert status[("fork/child-ends-normally", "nofork")] == (
        "n/a", "the case needs fork, which nofork lacks")
    assert status[("run/lifo", "nofork")][0] == "pass"
    assert status[("fork/child-ends-normally", "reference-3.11")][0] == "pass"
    case = next(c for c in data["cases"] if c["id"] == "fork/child-ends-normally")
    assert case["needs"] == ["fork"]


def test_lacks_names_a_target_and_known_capabilities(tmp_path):
    for spec in ("ghost=fork", "same=teleport"):
        done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                       "--target", "same=/usr/bin/python3 -I -S -u", "--lacks", spec, "run/lifo")
        assert done.returncode == 2 and "--lacks %s" % spec in done.stderr


def test_pyodide_as_a_target_compared_with_a_chosen_baseline(tmp_path):
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                   "--target", "wasm=pyodide", "--baseline", "3.11", "run/lifo-mixed-kinds",
                   "exit/os-exit-in-main", "introspection/clear-resets-emptied")
    data = json.loads((tmp_path / "conformance.json").read_text())
    status = {case["id"]: r for case in data["cases"] for r in case["results"]
              if r["target"] == "wasm"}
    # shutdown handlers never run in Pyodide: no verdict, rather than a false failure
    assert status["run/lifo-mixed-kinds"]["status"] == "n/a"
    assert status["exit/os-exit-in-main"]["reason"] == (
        "the case needs process-exit, which wasm lacks")
    # 3.14 counts live handlers only: a real divergence from 3.11, with its diff
    assert status["introspection/clear-resets-emptied"]["status"] == "fail"
    assert "-ncallbacks 1\n+ncallbacks 0" in status["introspection/clear-resets-emptied"]["diff"]
    assert status["introspection/clear-resets-emptied"]["target_version"] == "3.14.2"
    assert done.returncode == 1
