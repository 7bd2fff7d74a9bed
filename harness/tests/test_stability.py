"""The stability check of --repeat (stability.py) and what the cache keeps of it: runs stop
at the first one unlike run 1; an oracle's outcome is stored only when its runs agreed, a
repeat run never reads it, and pairings with one oracle share one verdict."""
from harness.conform.cache import Cache
from harness.conform.stability import repeat
from harness.conform.suite import load_cases
from harness.tests.support import CASES
from oracle.execute import Outcome


def loaded(*ids):
    cases = {report.id: report.case for report in load_cases(CASES)[0] if report.case}
    return [cases[case_id] for case_id in ids]


def outcome(output="a\n", code=0, events="start 0\n", timed_out=False, error=""):
    made = Outcome(["python", "p.py"], output, events, None if timed_out else code, timed_out,
                   False, 0.01)
    made.error = error
    return made


class Scripted:
    """Stands in for an oracle: answers each run with the next of outcomes."""
    name, version, short_version, lacks = "cpython-3.11.2", (3, 11, 2), "3.11", ()
    identity = "scripted"

    def __init__(self, *outcomes):
        self.outcomes, self.calls = list(outcomes), 0

    def run(self, case=None, workdir=None, timeout=None):
        self.calls += 1
        return self.outcomes[min(self.calls, len(self.outcomes)) - 1]

    def command(self, case, workdir):
        return ["scripted", case.id]


def test_repeat_runs_until_a_run_differs_and_keeps_both():
    stable = Scripted(outcome("a\n"))
    runs = repeat(stable.run, 3)
    assert (runs.stable, runs.made, stable.calls) == (True, 3, 3)
    # addresses are normalised, so they are not instability
    addresses = Scripted(outcome("<f at 0x7f01>\n"), outcome("<f at 0x7f99>\n"))
    assert repeat(addresses.run, 2).stable
    flaky = Scripted(outcome("a\n"), outcome("a\n"), outcome("b\n"), outcome("c\n"))
    runs = repeat(flaky.run, 5)
    assert (runs.stable, runs.differs_at, runs.made, flaky.calls) == (False, 3, 3, 3)
    assert (runs.first.output, runs.other.output) == ("a\n", "b\n")
    status = repeat(Scripted(outcome(code=0), outcome(code=-11)).run, 3)
    events = repeat(Scripted(outcome(events="call f()\n"), outcome(events="call g()\n")).run, 3)
    assert status.differs_at == 2 and events.differs_at == 2


def test_a_first_run_that_times_out_or_cannot_start_is_not_repeated():
    hangs = Scripted(outcome(timed_out=True))
    assert (repeat(hangs.run, 3).made, hangs.calls) == (1, 1)
    broken = Scripted(outcome(error="cannot start"))
    assert (repeat(broken.run, 3).first.error, broken.calls) == ("cannot start", 1)
    # a later run that hangs is a run that did something else: unstable
    later = repeat(Scripted(outcome(), outcome(timed_out=True)).run, 3)
    assert later.differs_at == 2 and later.other.timed_out


def test_the_cache_keeps_only_what_was_stable_and_repeat_never_reads_it(tmp_path):
    cache, case = Cache(str(tmp_path / "cache")), loaded("run/lifo")[0]
    stable = Scripted(outcome("a\n"))
    assert cache.run_checked(stable, case, str(tmp_path), 30, "d", 3).made == 3
    # a cached outcome is one run: a single run is served, no process started
    served = cache.run_checked(stable, case, str(tmp_path), 30, "d", 1)
    assert (served.made, served.first.output, stable.calls) == (1, "a\n", 3)
    # --repeat runs again for real, whatever is stored (a fresh cache object: a new run)
    again = Cache(str(tmp_path / "cache"))
    assert again.run_checked(stable, case, str(tmp_path), 30, "d", 3).made == 3
    assert stable.calls == 6
    # runs that differ remove the stored outcome: the next single run runs
    flaky = Scripted(outcome("a\n"), outcome("b\n"))
    flaky.identity = stable.identity
    assert not Cache(str(tmp_path / "cache")).run_checked(flaky, case, str(tmp_path), 30, "d",
                                                          3).stable
    fresh = Scripted(outcome("c\n"))
    fresh.identity = stable.identity
    assert Cache(str(tmp_path / "cache")).run(fresh, case, str(tmp_path), 30, "d").output == "c\n"
    assert fresh.calls == 1


def test_pairings_with_one_oracle_share_its_verdict_within_a_run(tmp_path):
    cache, case = Cache(None), loaded("run/lifo")[0]
    flaky = Scripted(outcome("a\n"), outcome("b\n"))
    first = cache.run_checked(flaky, case, str(tmp_path), 30, "d", 3)
    second = cache.run_checked(flaky, case, str(tmp_path), 30, "d", 3)
    assert first is second and flaky.calls == 2
