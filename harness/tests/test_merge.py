"""atx-conform merge: shard reports combine into the reports one run writes; and
update-expectations writes an expectation file from a finished run."""
import json

import yaml

from harness.tests.support import RUNNER, conform, lossy_target

SELECTION = ["run/*", "failure/reraise-last", "exit/sys-exit-*"]


def outcome_of(path):
    """What a report says, without what differs between runs (times, paths, dates)."""
    data = json.loads(path.read_text())
    cases = {case["id"]: [(r["target"], r["status"], r["diff"], r["oracle_transcript"])
                          for r in case["results"]] for case in data["cases"]}
    return cases, data["summary"], data["drift"]


def run(tmp_path, name, *extra):
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir",
                   str(tmp_path / name), "-q", *(list(extra) + SELECTION))
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp_path / name / "conformance.json"


def test_merged_shards_equal_one_run(tmp_path):
    whole = run(tmp_path, "whole")
    shards = [run(tmp_path, "shard%d" % i, "--shard", "%d/3" % i) for i in (1, 2, 3)]
    done = conform("merge", "--report-dir", str(tmp_path / "merged"), *map(str, shards))
    assert done.returncode == 0, done.stdout + done.stderr
    merged = tmp_path / "merged" / "conformance.json"
    assert outcome_of(merged) == outcome_of(whole)
    for name in ("junit.xml", "results.tap", "summary.md", "index.html", "drift.md"):
        assert (tmp_path / "merged" / name).stat().st_size > 0
    run_info = json.loads(merged.read_text())["run"]
    assert run_info["shards"] == ["1/3", "2/3", "3/3"]


def test_overlapping_shards_are_an_error(tmp_path):
    shard = run(tmp_path, "shard", "--shard", "1/2")
    done = conform("merge", "--report-dir", str(tmp_path / "merged"), str(shard), str(shard))
    assert done.returncode == 2 and "is also in" in done.stderr
    assert not (tmp_path / "merged").exists()


def test_update_expectations_from_a_finished_run(tmp_path):
    wrapper = lossy_target(tmp_path)
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir",
                   str(tmp_path / "r"), "-q", "--target", "lossy=%s" % wrapper, "run/lifo",
                   "run/empty-run")
    assert done.returncode == 1
    listed = tmp_path / "lossy.yaml"
    done = conform("update-expectations", str(tmp_path / "r" / "conformance.json"), "lossy",
                   str(listed))
    assert done.returncode == 0, done.stderr
    entries = yaml.safe_load(listed.read_text())["expectations"]
    assert list(entries) == ["run/lifo"] and len(entries["run/lifo"]["fingerprint"]) == 12
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir",
                   str(tmp_path / "r2"), "-q", "--target", "lossy=%s" % wrapper,
                   "--expectations", str(listed), "run/lifo", "run/empty-run")
    assert done.returncode == 0, done.stdout + done.stderr
    done = conform("update-expectations", str(tmp_path / "r" / "conformance.json"), "nobody",
                   str(tmp_path / "x.yaml"))
    assert done.returncode == 2 and "no results for target 'nobody'" in done.stderr
