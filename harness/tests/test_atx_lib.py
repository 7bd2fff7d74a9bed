"""A C library implementing ref/include/atx.h is a target too: the case runner is linked with
it (`make runner ATX_LIB=path/to/lib.a`) and checked as the reference is. Here the third
party is libatx's own sources built apart, once with a planted fault and once unchanged."""
import json
import os
import subprocess
import time

from harness.tests.support import FAULTS, REPO, build_library, build_runner, conform

RUN_ORDER = ("run/lifo", "run/lifo-mixed-kinds", "run/nested-run")


def statuses(report_dir):
    data = json.loads((report_dir / "conformance.json").read_text())
    return {case["id"]: result for case in data["cases"] for result in case["results"]
            if result["target"].startswith("reference-")}


def test_a_library_given_as_atx_lib_is_linked_and_checked(tmp_path):
    same = build_library(tmp_path, "same")
    other = build_library(tmp_path, "other", "fifo-order")
    # older than any runner: only the changed ATX_LIB, not the dates, can relink it below
    an_hour_ago = time.time() - 3600
    os.utime(str(same), (an_hour_ago, an_hour_ago))

    runner = build_runner(tmp_path, other)
    done = conform("--runner", runner, "--oracle", "default", "--no-cache",
                   "--report-dir", str(tmp_path / "other-reports"), *RUN_ORDER)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL %s on reference-" % FAULTS["fifo-order"][3] in done.stdout
    results = statuses(tmp_path / "other-reports")
    assert results["run/lifo"]["status"] == results["run/lifo-mixed-kinds"]["status"] == "fail"
    assert " start 0\n+call a()\n+call b()\n call c()\n-call b()\n-call a()\n" in (
        results["run/lifo"]["diff"])  # the events: first registered, first called

    linked_with_other = open(runner, "rb").read()
    assert build_runner(tmp_path, same) == runner
    assert open(runner, "rb").read() != linked_with_other, "ATX_LIB changed, no relink"
    done = conform("--runner", runner, "--oracle", "default", "--no-cache",
                   "--report-dir", str(tmp_path / "same-reports"), *RUN_ORDER)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {case: r["status"] for case, r in statuses(tmp_path / "same-reports").items()} == {
        case: "pass" for case in RUN_ORDER}


def test_its_results_are_named_after_it(tmp_path):
    library = build_library(tmp_path, "other")
    runner = build_runner(tmp_path, library)
    done = conform("--runner", runner, "--oracle", "default", "--no-cache", "-q",
                   "--reference-name", "libother", "--report-dir", str(tmp_path / "r"), "run/lifo")
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "r" / "conformance.json").read_text())["cases"][0][
        "results"][0]
    assert result["target"].startswith("libother-")
    assert result["target_version"] == "libother profile " + result["target"][len("libother-"):]
    # make conformance ATX_LIB=... names them so itself
    planned = subprocess.run(["make", "-n", "-C", REPO, "conformance", "ATX_LIB=%s" % library,
                              "BUILD_ROOT=%s" % (tmp_path / "build")],
                             check=True, capture_output=True, text=True).stdout
    assert "--reference-name libother" in planned
