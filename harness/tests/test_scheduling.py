"""How runs are scheduled and shared: Pyodide's runs form one lane, a case runs on the
reference once per preset, and two askers of one cache entry cause one run."""
import threading
import time

from harness.conform.cache import Cache
from harness.conform.suite import Pairing, load_cases, run_suite
from harness.conform.targets import Pyodide, Reference
from harness.tests.support import CASES, RUNNER
from oracle.execute import Outcome


class SlowOracle:
    """Stands in for a PyodideOracle: records which thread ran each program and whether
    two ever ran at once (the real one would queue them on its lock)."""
    name, version, short_version, identity = "slow", (3, 14, 0), "3.14", "slow"

    def __init__(self):
        self.threads, self.overlapped, self.running = set(), False, 0
        self._lock = threading.Lock()

    def command(self, program):
        return ["slow", program]

    def run(self, program, timeout):
        with self._lock:
            self.running += 1
            self.overlapped |= self.running > 1
            self.threads.add(threading.get_ident())
        time.sleep(0.02)  # long enough for another job to come in meanwhile
        with self._lock:
            self.running -= 1
        return Outcome(self.command(program), "", "", 0, False, False, 0.02)


def test_pyodide_runs_are_one_lane_and_the_other_jobs_go_on(tmp_path):
    slow = SlowOracle()
    reference = Reference(RUNNER, "3.14")
    reports = [r for r in load_cases(CASES)[0] if r.id.startswith(("run/", "register/"))]
    pairings = [Pairing(Pyodide(slow), reference), Pairing(Pyodide(slow, "again"), reference)]
    run_suite(reports, pairings, str(tmp_path), jobs=4, timeout=30)
    assert len(slow.threads) == 1 and not slow.overlapped
    assert all(len(report.results) == 2 for report in reports)


def test_versions_of_one_preset_share_the_reference_runs_of_ascii_cases():
    ascii_case, = [r.case for r in load_cases(CASES)[0] if r.id == "run/lifo"]
    unicode_case, = [r.case for r in load_cases(CASES)[0] if r.id == "text/keyerror-repr"]
    references = {version: Reference(RUNNER, version)
                  for version in ("3.4", "3.5", "3.6", "3.10", "3.11", "3.12")}
    shared = {v: ref.identity_for(ascii_case) for v, ref in references.items()}
    # 3.0-3.6 are one era of the runner (and of libatx's 3.0-3.9 preset); from 3.10 each
    # minor version has facts of its own
    assert shared["3.4"] == shared["3.5"] == shared["3.6"]
    assert len(set(shared.values())) == 4
    # a case whose repr() follows each version's Unicode database shares nothing
    assert len({ref.identity_for(unicode_case) for ref in references.values()}) == 6


class BlockingSide:
    identity = "blocking"

    def __init__(self):
        self.calls, self.release = 0, threading.Event()

    def run(self, case, workdir, timeout):
        self.calls += 1
        self.release.wait(5)
        return Outcome(["blocking"], "out\n", "", 0, False, False, 0.0)


def test_a_second_asker_waits_for_the_run_under_way(tmp_path):
    cache, side = Cache(str(tmp_path / "cache")), BlockingSide()
    answers = []

    def ask():
        answers.append(cache.run(side, None, str(tmp_path), 30, "digest"))

    first = threading.Thread(target=ask)
    first.start()
    while side.calls == 0:
        time.sleep(0.001)
    second = threading.Thread(target=ask)
    second.start()
    time.sleep(0.2)  # without the per-key lock the second asker would run it now
    side.release.set()
    first.join()
    second.join()
    assert side.calls == 1 and [a.output for a in answers] == ["out\n", "out\n"]
    assert (cache.hits, cache.misses) == (1, 1)
