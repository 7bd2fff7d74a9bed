"""The stability check (wpt's --verify): an oracle run again and again on one case, and
whether what it did (normalised output, how it ended, events: compare.transcript) was the
same every time. A case whose oracle differs between runs is `unstable` (suite.py): the
oracle is the truth only where it is stable."""

from dataclasses import dataclass
from typing import Callable, Optional

from harness.conform.compare import transcript
from oracle.execute import Outcome


@dataclass
class Runs:
    """What the runs of one oracle on one case came to."""
    first: Outcome
    made: int  # how many runs this rests on: 1 for an outcome served by the cache
    differs_at: int = 0  # the number (from 1) of the first run unlike run 1; 0 if none
    other: Optional[Outcome] = None  # that run

    @property
    def stable(self) -> bool:
        return self.differs_at == 0

    @property
    def storable(self) -> bool:
        """Whether the cache may keep first: stable over every run made, and complete."""
        return self.stable and not self.first.timed_out and not self.first.error


def repeat(run_once: Callable[[], Outcome], times: int) -> Runs:
    """Runs run_once up to times times, stopping at the first run unlike the first one.
    A first run that could not run the case (an error, not applicable) or timed out is
    not repeated: it decides the result alone, as a single run would. A later run that
    cannot start at all decides it too (the implementation is broken, not unstable)."""
    first = run_once()
    if first.error or first.not_applicable or first.timed_out:
        return Runs(first, 1)
    expected = transcript(first)
    for number in range(2, times + 1):
        again = run_once()
        if again.error:
            return Runs(again, number)
        if again.not_applicable or transcript(again) != expected:
            return Runs(first, number, number, again)
    return Runs(first, max(1, times))

