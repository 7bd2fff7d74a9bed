"""Whether an oracle crashed: the signals a case may end its main process by, from its model,
and the signal that killed an oracle when it is none of them (design.md, "The oracle is
checked")."""

import signal
from typing import FrozenSet, Iterator, List, Optional, Tuple

from oracle.casemodel import Case, Step
from oracle.execute import Outcome

ABORT = "SIGABRT"
INTERRUPT = "SIGINT"
# From 3.8 an uncaught KeyboardInterrupt ends the process by SIGINT, after the handlers
# (bpo-1054041); up to 3.7 it is exit status 1.
FIRST_INTERRUPT_EXIT = (3, 8)


def main_process_steps(case: Case) -> Iterator[Step]:
    """Every step that may run in the case's main process: module, main, handler and
    __eq__ bodies and what threads run. Not what fork and process children run: a child
    reports its own end in the output ("child killed by SIGNAME"), which is compared."""
    bodies: List[Tuple[Step, ...]] = [case.module, case.main]
    bodies += [handler.body for handler in case.handlers.values()]
    bodies += [handler.eq for handler in case.handlers.values() if handler.eq is not None]
    while bodies:
        for step in bodies.pop():
            yield step
            if step.op == "thread":
                bodies.append(step.child)


def may_end_by(case: Case, version: Tuple[int, ...]) -> FrozenSet[str]:
    """The signals (names) the case's main process may end by on Python version: those of
    its kill steps, SIGABRT for an abort step or the abort exit path, and SIGINT for a
    KeyboardInterrupt it raises, from 3.8."""
    found = {ABORT} if case.exit_path == "abort" else set()
    for step in main_process_steps(case):
        if step.op == "kill" and step.text:
            found.add(step.text)
        elif step.op == "abort":
            found.add(ABORT)
        elif (step.op == "raise" and step.exc_type == "KeyboardInterrupt"
              and tuple(version[:2]) >= FIRST_INTERRUPT_EXIT):
            found.add(INTERRUPT)
    return frozenset(found)


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return "signal %d" % number


def crash_signal(outcome: Outcome, case: Case, version: Tuple[int, ...]) -> Optional[str]:
    """The name of the signal that killed the run when the case may not end by it, else
    None (the run ended by itself, timed out, or by a signal the case asks for)."""
    if outcome.timed_out or outcome.returncode is None or outcome.returncode >= 0:
        return None
    name = signal_name(-outcome.returncode)
    return None if name in may_end_by(case, version) else name
