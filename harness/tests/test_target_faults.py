"""A --target that hangs, crashes or floods its output is reported for what it did; it stops
neither the run nor any other result, and every report stays whole and readable. Each fake
target is a script that answers like Debian's CPython when identified (`-c CODE`) and
misbehaves on every case program it is given."""
import json
import os
import re
import time
import xml.etree.ElementTree as ET

import pytest
import yaml
from lxml import etree

from harness.tests.support import REPO, RUNNER, conform

CASES = ("run/lifo", "failure/reraise-last",
         "exit/normal-end", "register/args-kwargs-passed")
TIMEOUT = 3
IDENTIFIED = 'if [ "$1" = -c ]; then exec /usr/bin/python3 -I -S -u "$@"; fi\n'
MISBEHAVIOURS = {
    # sleeps for ever, with a background child: the whole process group must go
    "hang": 'sleep 600 &\necho "$$ $!" >> "%(pids)s"\necho started\nexec sleep 600\n',
    "crash": 'ulimit -c 0\necho about to crash\nkill -SEGV $$\n',
    # characters XML cannot carry, bytes that are not UTF-8, then 100 MB
    "flood": "printf 'nul\\000 bell\\007 escape\\033[31m not utf-8 \\377\\376\\n'\n"
             "yes flood | head -c 100000000\n",
}


def fake_target(folder, name, body):
    script = folder / name
    script.write_text("#!/bin/sh\n" + body % {"pids": folder / (name + ".pids")})
    script.chmod(0o755)
    return script


def living_in_groups(groups):
    """The processes (not zombies) whose process group is one of groups."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % entry) as stream:
                fields = stream.read().rpartition(")")[2].split()
        except (OSError, ValueError):
            continue  # not a process, or gone meanwhile
        if fields and fields[0] != "Z" and int(fields[2]) in groups:
            found.append(int(entry))
    return found


def recorded_groups(path):
    """The "group child" pairs a fake target wrote, one line per run."""
    return [tuple(int(n) for n in line.split()) for line in path.read_text().splitlines()]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    targets = ["--target=%s=%s" % (name, fake_target(folder, name, IDENTIFIED + body))
               for name, body in sorted(MISBEHAVIOURS.items())]
    reports = folder / "reports"
    started = time.monotonic()
    done = conform("--oracle", "default", "--runner", RUNNER, "--no-cache", "--jobs", "8",
                   "--timeout", str(TIMEOUT), "--report-dir", str(reports), *targets, *CASES)
    seconds = time.monotonic() - started
    data = json.loads((reports / "conformance.json").read_text())
    results = {(case["id"], r["target"]): r for case in data["cases"] for r in case["results"]}
    return {"done": done, "seconds": seconds, "folder": folder, "reports": reports,
            "data": data, "results": results}


def test_a_hang_is_an_error_and_its_whole_process_group_is_killed(run):
    assert run["done"].returncode == 1, run["done"].stderr
    for case_id in CASES:
        result = run["results"][(case_id, "hang")]
        assert (result["status"], result["reason"], result["target_status"]) == (
            "error", "hang timed out after %ds" % TIMEOUT, "timed out")
        assert TIMEOUT <= result["seconds"] < TIMEOUT + 2
    groups = recorded_groups(run["folder"] / "hang.pids")
    assert len(groups) == len(CASES)
    assert living_in_groups({group for group, _ in groups}) == []


def test_a_crash_fails_showing_the_signal(run):
    for case_id in CASES:
        result = run["results"][(case_id, "crash")]
        assert result["status"] == "fail" and result["target_status"] == "killed by SIGSEGV"
        assert result["oracle_status"] == "exit 0"
        assert "+about to crash\n+[killed by SIGSEGV]\n" in result["diff"]
    assert not any(name.startswith("core") for _, _, names in os.walk(run["reports"])
                   for name in names)


def test_a_flood_fails_kept_to_the_cap_and_says_so(run):
    for case_id in CASES:
        result = run["results"][(case_id, "flood")]
        assert result["status"] == "fail"
        assert result["reason"].endswith("; output truncated at 1 MiB on flood")
        # the output is kept to 1 MiB, and the diff every report carries to 64 KiB
        assert "+flood\n" in result["diff"] and "\n[diff truncated: " in result["diff"]
        assert len(result["diff"]) < 65 * 1024


def test_the_reports_are_whole_and_readable(run):
    data, reports = run["data"], run["reports"]
    reference = "reference-%d.%d" % tuple(int(n) for n in data["run"]["oracles"][0]["version"]
                                          .split(".")[:2])
    names = {reference, "crash", "flood", "hang"}
    assert sorted(case["id"] for case in data["cases"]) == sorted(CASES)
    for case in data["cases"]:
        assert sorted(r["target"] for r in case["results"]) == sorted(names)
    assert data["summary"]["error"] == len(CASES) and data["summary"]["fail"] == 2 * len(CASES)
    junit = etree.parse(str(reports / "junit.xml"))
    schema = etree.XMLSchema(etree.parse(os.path.join(REPO, "harness", "tests", "junit.xsd")))
    assert schema.validate(junit), schema.error_log
    suites = {suite.get("name"): suite for suite in ET.parse(str(reports / "junit.xml")).iter(
        "testsuite")}
    assert set(suites) == names
    every, none = str(len(CASES)), "0"
    assert {name: (s.get("tests"), s.get("failures"), s.get("errors"))
            for name, s in suites.items()} == {
        reference: (every, none, none), "crash": (every, every, none),
        "flood": (every, every, none), "hang": (every, none, every)}
    assert [e.get("message") for e in suites["hang"].iter("error")] == [
        "hang timed out after %ds" % TIMEOUT] * len(CASES)
    flood = next(suites["flood"].iter("failure"))
    assert "truncated at 1 MiB" in flood.get("message")
    assert "nul\\x00 bell\\x07 escape\\x1b[31m" in flood.text  # shown, not dropped
    tap = (reports / "results.tap").read_text(encoding="utf-8")
    assert tap.startswith("TAP version 14\n1..%d\n" % (len(CASES) * len(names)))
    assert len(re.findall(r"^(?:not )?ok \d+ - ", tap, re.M)) == len(CASES) * len(names)
    for block in re.findall(r"^  ---\n(.*?)^  \.\.\.$", tap, re.M | re.S):
        assert yaml.safe_load(re.sub(r"^  ", "", block, flags=re.M))["status"] in (
            "fail", "error")
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "nul\\x00 bell\\x07 escape\\x1b[31m" in page  # shown as text, not raw
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page)


def test_the_reference_still_passes_and_the_run_is_bounded(run):
    for (case_id, target), result in run["results"].items():
        if target.startswith("reference-"):
            assert result["status"] == "pass", (case_id, result["diff"])
    # the hangs ran side by side: far less than one timeout per case, one after the other
    assert run["seconds"] < TIMEOUT * len(CASES), run["seconds"]


def test_a_missing_target_command_is_a_usage_error(tmp_path):
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                   "--target", "ghost=/nonexistent/python", "run/lifo")
    assert done.returncode == 2
    assert ("--target ghost: '/nonexistent/python' does not run as a Python (cannot be "
            "started: No such file or directory)") in done.stderr
    assert not (tmp_path / "conformance.json").exists()


def test_a_target_that_hangs_when_identified_is_an_error_in_bounded_time(tmp_path):
    mute = fake_target(tmp_path, "mute", MISBEHAVIOURS["hang"])
    started = time.monotonic()
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir", str(tmp_path),
                   "--timeout", "2", "--target", "mute=%s" % mute, "run/lifo")
    assert time.monotonic() - started < 10
    assert done.returncode == 2
    assert "--target mute: '%s' does not run as a Python (gave no answer within 2s when asked " \
           "its version)" % mute in done.stderr
    groups = recorded_groups(tmp_path / "mute.pids")
    assert len(groups) == 1 and living_in_groups({groups[0][0]}) == []
