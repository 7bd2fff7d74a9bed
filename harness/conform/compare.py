"""Comparing what a target did with what the oracle did: output, exit status, events."""

import difflib
from dataclasses import dataclass
from typing import List

from oracle.execute import Outcome
from oracle.normalise import normalise

DIFF_CAP = 64 * 1024  # characters of a diff kept in the reports


def transcript(outcome: Outcome) -> List[str]:
    """The compared view of a run: normalised merged output, then how it ended, then events."""
    output = normalise(outcome.output)
    lines = output.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    else:
        lines.append("[no newline at end of output]")
    if outcome.truncated:
        lines.append("[output truncated]")
    lines.append("[%s]" % outcome.status_text())
    lines.append("[events]")
    lines.extend(line for line in outcome.events.split("\n") if line)
    return lines


@dataclass
class Comparison:
    equal: bool
    diff: str


def compare(oracle: Outcome, target: Outcome, oracle_label: str, target_label: str) -> Comparison:
    expected = transcript(oracle)
    actual = transcript(target)
    if expected == actual:
        return Comparison(True, "")
    diff = "\n".join(difflib.unified_diff(expected, actual, oracle_label, target_label,
                                          lineterm="")) + "\n"
    if len(diff) > DIFF_CAP:  # every report carries the diff: keep them readable
        kept = diff[:DIFF_CAP].rsplit("\n", 1)[0]
        diff = "%s\n[diff truncated: %d more characters]\n" % (kept, len(diff) - len(kept))
    return Comparison(False, diff)
