"""The oracle checked, for real: ./atx-conform --repeat with an oracle that prints something
else on every run (a CPython behind a counter, given as --python), the real gh-112127 crash
of Debian's python3, an oracle that dies by a signal no case sends, and the reports of each."""
import json
import xml.etree.ElementTree as ET

import pytest
from lxml import etree

from harness.tests.support import RUNNER, conform
from harness.tests.test_report_formats import SCHEMA, read_tap
from harness.tests.test_report_html import TreeBuilder

CRASHING = "equality/eq-clears-and-returns-true"
LINK = "https://github.com/python/cpython/issues/112127"
# Fake oracles answer like CPython when identified (`-c CODE`) and run the program with
# Debian's python3; the version they claim names them apart from it.
FLAKY = ('#!/bin/sh\nif [ "$1" = -c ]; then echo "CPython 3.11.99"; exit 0; fi\n'
         'n=$(cat "%(counter)s" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "%(counter)s"\n'
         'echo "run $n"\nexec /usr/bin/python3 "$@"\n')
SEGV = ('#!/bin/sh\nif [ "$1" = -c ]; then echo "CPython 3.11.98"; exit 0; fi\n'
        'ulimit -c 0\n/usr/bin/python3 "$@"\nkill -SEGV $$\n')


def fake(folder, name, body):
    script = folder / name
    script.write_text(body % {"counter": folder / (name + ".count")})
    script.chmod(0o755)
    return script


def results(out):
    data = json.loads((out / "conformance.json").read_text())
    return data, {(case["id"], r["oracle"]): r for case in data["cases"] for r in case["results"]}


def runs_of(folder, name):
    return int((folder / (name + ".count")).read_text())


@pytest.fixture(scope="module")
def flaky_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("flaky")
    oracle = fake(folder, "flaky", FLAKY)
    out = folder / "reports"
    done = conform("--oracle", "default", "--python", str(oracle), "--runner", RUNNER,
                   "--repeat", "3", "--cache-dir", str(folder / "cache"),
                   "--report-dir", str(out), "run/lifo", CRASHING)
    return {"folder": folder, "oracle": oracle, "out": out, "done": done,
            "runs": runs_of(folder, "flaky")}


def test_an_unstable_oracle_is_reported_with_both_runs_and_passes_the_gate(flaky_run):
    done = flaky_run["done"]
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    data, found = results(flaky_run["out"])
    shaky = found[("run/lifo", "cpython-3.11.99")]
    assert (shaky["status"], shaky["oracle_runs"], shaky["unstable"]["run"]) == ("unstable", 2, 2)
    first, second = shaky["unstable"]["transcripts"]
    assert first.splitlines()[0] != second.splitlines()[0]
    assert first.splitlines()[1:] == second.splitlines()[1:]
    assert "-run " in shaky["diff"] and "+run " in shaky["diff"]
    assert shaky["target_status"] == ""  # the reference was not run: nothing to compare
    # Debian's python3 itself was stable over its three runs
    steady = found[("run/lifo", "cpython-3.11.2")]
    assert (steady["status"], steady["oracle_runs"], steady["unstable"]) == ("pass", 3, None)
    assert data["run"]["repeat"] == 3 and data["summary"]["unstable"] == 2
    assert data["summary"]["unexpected"] == 0
    assert "UNSTABLE run/lifo" in done.stdout and "2 unstable" in done.stdout
    # a run stops at the first run unlike run 1: two cases, two runs each
    assert flaky_run["runs"] == 4


def test_unstable_is_in_every_report(flaky_run):
    out = flaky_run["out"]
    tap = (out / "results.tap").read_text()
    assert tap.count("on reference-3.11 # SKIP unstable oracle: cpython-3.11.99 did not") == 2
    _, points = read_tap(tap)  # strict TAP 14, every block valid YAML
    assert not any(point.failed for point in points)
    blocks = [point.diagnostics for point in points
              if point.diagnostics and point.diagnostics["status"] == "unstable"]
    assert len(blocks) == 2 and all(len(block["oracle_runs"]) == 2 for block in blocks)
    assert SCHEMA.validate(etree.parse(str(out / "junit.xml"))), SCHEMA.error_log
    junit = ET.parse(str(out / "junit.xml")).getroot()
    skipped = [tc.find("skipped").get("message") for tc in junit.iter("testcase")
               if tc.find("skipped") is not None]
    assert any("cpython-3.11.99 did not do the same" in message for message in skipped)
    summary = (out / "summary.md").read_text()
    assert summary.startswith("# ✅ Conformance: nothing unexpected")
    assert "## The oracle checked: unstable and known CPython bugs (3)" in summary
    assert "Run 1 against run 2 of `cpython-3.11.99`" in summary
    drift = (out / "drift.md").read_text()
    assert "Unstable (the oracle's runs differed" in drift and "`run/lifo` on 3.11" in drift
    builder = TreeBuilder()
    builder.feed((out / "index.html").read_text())
    sections = [s for s in builder.root.find_all("section", class_="oracle")
                if "UNSTABLE run/lifo" in s.text()]
    assert len(sections) == 1
    runs = [pre.text() for pre in sections[0].find_all("pre", class_="run")]
    assert len(runs) == 2 and runs[0] != runs[1] and "[exit 0]" in runs[0]
    assert sections[0].find("pre", class_="diff").find_all("span", class_="add")


def test_an_unstable_outcome_is_never_cached_and_fail_on_unstable_fails(flaky_run):
    folder = flaky_run["folder"]
    out = folder / "again"
    done = conform("--oracle", "default", "--python", str(flaky_run["oracle"]), "--runner",
                   RUNNER, "--cache-dir", str(folder / "cache"), "--report-dir", str(out),
                   "-q", "run/lifo")
    # Debian's stable outcome and the reference's were served; the flaky oracle ran again,
    # once: one run cannot tell it is unstable, so its extra line is compared (and differs)
    data, found = results(out)
    assert data["run"]["cache"]["hits"] == 3 and runs_of(folder, "flaky") == flaky_run["runs"] + 1
    assert found[("run/lifo", "cpython-3.11.99")]["status"] == "fail"
    assert found[("run/lifo", "cpython-3.11.2")]["status"] == "pass" and done.returncode == 1
    strict = conform("--oracle", "default", "--python", str(flaky_run["oracle"]), "--runner",
                     RUNNER, "--no-cache", "--repeat", "2", "--fail-on-unstable",
                     "--report-dir", str(folder / "strict"), "-q", "run/lifo")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    assert "1 unexpected" in strict.stdout
    summary = (folder / "strict" / "summary.md").read_text()
    assert summary.startswith("# ❌ Conformance: 1 unexpected")
    junit = ET.parse(str(folder / "strict" / "junit.xml")).getroot()
    assert [f.get("type") for f in junit.iter("failure")] == ["unstable-oracle"]


def test_gh_112127_is_an_expected_oracle_crash_with_its_link(tmp_path):
    out = tmp_path / "reports"
    done = conform("--oracle", "default", "--runner", RUNNER, "--no-cache", "--repeat", "3",
                   "--report-dir", str(out), CRASHING)
    assert done.returncode == 0, done.stdout + done.stderr
    data, found = results(out)
    crash = found[(CRASHING, "cpython-3.11.2")]
    assert (crash["status"], crash["known"], crash["oracle_status"]) == (
        "oracle-crash", LINK, "killed by SIGSEGV")
    assert crash["oracle_runs"] == 3 and crash["diff"] == "" and crash["target_status"] == ""
    assert "t.__eq__(f)" in crash["oracle_transcript"]
    assert data["summary"]["known"] == 1 and data["summary"]["unexpected"] == 0
    assert "# SKIP cpython-3.11.2 was killed by SIGSEGV: known CPython bug gh-112127" in (
        out / "results.tap").read_text()
    assert LINK in (out / "summary.md").read_text() and LINK in (out / "index.html").read_text()


def test_the_same_crash_unlisted_is_unexpected(tmp_path):
    listed = tmp_path / "bugs.yaml"
    listed.write_text("bugs:\n  gh-112127:\n    title: t\n    link: %s\n"
                      "    versions: {min: \"3.12\"}\n    signal: SIGSEGV\n    cases: [%s]\n"
                      % (LINK, CRASHING))
    out = tmp_path / "reports"
    done = conform("--oracle", "default", "--runner", RUNNER, "--no-cache", "--known-bugs",
                   str(listed), "--report-dir", str(out), CRASHING)
    assert done.returncode == 1, done.stdout + done.stderr
    _, found = results(out)
    crash = found[(CRASHING, "cpython-3.11.2")]
    assert (crash["status"], crash["known"]) == ("oracle-crash", None)
    assert "ORACLE-CRASH %s on reference-3.11" % CRASHING in done.stdout
    assert "new finding" in crash["reason"]
    junit = ET.parse(str(out / "junit.xml")).getroot()
    assert [e.get("type") for e in junit.iter("error")] == ["oracle-crash"]
    assert SCHEMA.validate(etree.parse(str(out / "junit.xml"))), SCHEMA.error_log
    assert "not ok 1 - %s on reference-3.11" % CRASHING in (out / "results.tap").read_text()


def test_an_oracle_killed_by_a_signal_no_case_sends_is_a_new_finding(tmp_path):
    oracle = fake(tmp_path, "segv", SEGV)
    out = tmp_path / "reports"
    done = conform("--oracle", "default", "--python", str(oracle), "--runner", RUNNER,
                   "--no-cache", "--report-dir", str(out), "run/lifo",
                   "exit/signal-sigterm-default")
    assert done.returncode == 1, done.stdout + done.stderr
    _, found = results(out)
    for case_id in ("run/lifo", "exit/signal-sigterm-default"):
        crash = found[(case_id, "cpython-3.11.98")]
        assert (crash["status"], crash["oracle_status"]) == ("oracle-crash", "killed by SIGSEGV")
        assert found[(case_id, "cpython-3.11.2")]["status"] == "pass"
    assert "it may end by SIGTERM" in found[("exit/signal-sigterm-default",
                                             "cpython-3.11.98")]["reason"]


@pytest.mark.parametrize("flags, message", [
    (["--repeat", "0"], "atx-conform: --repeat takes a number of runs, 1 or more"),
    (["--known-bugs", "/nonexistent/bugs.yaml"], "atx-conform: /nonexistent/bugs.yaml:1: "),
])
def test_bad_oracle_check_options_are_one_line_and_exit_2(tmp_path, flags, message):
    done = conform("--oracle", "default", "--runner", RUNNER, "--report-dir",
                   str(tmp_path / "r"), *flags, "run/lifo")
    assert done.returncode == 2
    assert done.stderr.startswith(message) and len(done.stderr.splitlines()) == 1
