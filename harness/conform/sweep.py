"""Every case of a cases folder through one case runner, in each profile it applies to,
for the tools that look at the runs themselves (the sanitizer test, make coverage) rather
than compare them with an oracle."""

import os
from typing import Iterator, Sequence, Tuple

from harness.conform.targets import Reference
from oracle import canonical
from oracle.casefile import load, load_clauses
from oracle.casemodel import Case
from oracle.discovery import discover
from oracle.execute import Outcome, run

VERSIONS = ["2.7"] + ["3.%d" % minor for minor in range(0, 15)]


def one_version_per_era(runner: str) -> Tuple[str, ...]:
    """The last version of each era the runner tells apart by its behaviour, PRESET/ERA
    of --profile-name (its last part, the Unicode database, changes only the repr() of
    unusual text), so that a sweep covers every era once, whatever the eras are (the
    last, so that cases for newer versions of an era, 3.4+ say, run in it)."""
    seen = {}
    for version in VERSIONS:
        named = run([runner, "--profile", version, "--profile-name"], 30, events_arg=False)
        seen[named.output.strip().rpartition("/")[0]] = version
    return tuple(seen.values())


def sweep(runner: str, profiles: Sequence[str], cases_root: str, workdir: str,
          timeout: float) -> Iterator[Tuple[Case, str, Outcome]]:
    """(case, profile, what the run did) for every case and every profile X.Y in its
    versions; the canonical forms are written under workdir."""
    clauses = load_clauses(os.path.join(cases_root, "clauses.yaml"))
    for path in discover(cases_root)[0]:
        case = load(path, cases_root, clauses)
        canonical.write(case, workdir)
        for profile in profiles:
            if case.applies_to(tuple(int(part) for part in profile.split("."))):  # type: ignore
                yield case, profile, Reference(runner, profile).run(case, workdir, timeout)
