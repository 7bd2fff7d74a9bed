"""Running one program as a real, isolated process: merged output, events, status, timeout."""

import os
import resource
import select
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import List, Optional

DEFAULT_TIMEOUT = 30.0
OUTPUT_CAP = 1 << 20  # bytes of merged output kept; the rest is counted, not stored
# Every program runs in the C.UTF-8 locale (Debian always has it): what a case prints is
# UTF-8 text on every interpreter, 3.6 included, which in the C locale would refuse to
# print anything beyond ASCII (3.7+ coerce the C locale to UTF-8 themselves, PEP 538).
LOCALE = {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
# The address space an oracle program may take: a CPython needs tens of MiB, and one
# that runs away (3.13.0's unbounded recursion, gh-132744) dies of it in about a second
# instead of taking the machine's memory until the timeout.
ORACLE_MEMORY = 1 << 30
# The signals a case sends (casemodel.SIGNALS, but SIGKILL): what they do is part of what
# is tested, so every program must start with their default action.
CASE_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1)


def _do_nothing(signum, frame) -> None:
    """A handler standing in for SIG_IGN in the suite's own process (see below)."""


def give_programs_default_signals() -> None:
    """A program inherits the signals its starter ignores (a background job of a
    non-interactive shell ignores SIGINT, nohup SIGHUP): then `kill: SIGINT` would do
    nothing in CPython, which would be compared. A handled signal is reset to its
    default by exec, so each ignored one gets a handler here: SIGINT Python's own (the
    suite can be interrupted), the others one that does nothing (the suite still ignores
    them). Call it once, from the main thread, before any program runs."""
    for number in CASE_SIGNALS:
        if signal.getsignal(number) == signal.SIG_IGN:
            signal.signal(number, signal.default_int_handler if number == signal.SIGINT
                          else _do_nothing)


@dataclass
class Outcome:
    """What a process did: merged stdout+stderr, the event log, how it ended."""
    command: List[str]
    output: str
    events: str
    returncode: Optional[int]  # exit code, or -N for signal N; None when it timed out
    timed_out: bool
    truncated: bool
    seconds: float
    not_applicable: str = ""  # why an oracle could not run this case at all
    error: str = ""  # why the implementation could not be run (a broken installation)

    def status_text(self) -> str:
        return "timed out" if self.timed_out else ended(self.returncode)  # type: ignore


def ended(returncode: int) -> str:
    """How a process ended, from its return code: "exit N" or "killed by SIGNAME"."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "signal %d" % -returncode
        return "killed by %s" % name
    return "exit %d" % returncode


def run(command: List[str], timeout: float = DEFAULT_TIMEOUT, cwd: Optional[str] = None,
        events_arg: bool = True, memory: Optional[int] = None) -> Outcome:
    """Runs command (plus the events descriptor number as its last argument when
    events_arg) in its own session, stdin closed, stdout and stderr on one pipe,
    with at most memory bytes of address space when given (set as it starts, so that
    what it starts inherits it). On timeout the whole process group is killed."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as events:
        fd = events.fileno()
        full = command + [str(fd)] if events_arg else list(command)
        process = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, pass_fds=(fd,), cwd=cwd,
                                   env=dict(os.environ, **LOCALE), start_new_session=True)
        if memory is not None:
            _limit_memory(process.pid, memory)
        output, truncated, timed_out = _collect(process, timeout)
        events.seek(0)
        event_text = events.read(OUTPUT_CAP).decode("utf-8", "replace")
    return Outcome(full, output, event_text, None if timed_out else process.returncode,
                   timed_out, truncated, time.monotonic() - started)


def _limit_memory(pid: int, memory: int) -> None:
    """RLIMIT_AS of a process just started (a preexec hook would cost every run a full
    fork of the harness); one that has already ended needs none."""
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (memory, memory))
    except (ProcessLookupError, PermissionError):
        pass


def _collect(process: "subprocess.Popen[bytes]", timeout: float):
    """Reads the merged output up to the cap while waiting; kills the group on timeout."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    chunks: List[bytes] = []
    read_total = 0
    timed_out = False
    fd = process.stdout.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                _kill_group(process)
                break
            if not selector.select(min(remaining, 0.5)):
                continue
            chunk = os.read(fd, 65536)  # ready: returns what is there, b"" at the end
            if not chunk:
                break
            if read_total < OUTPUT_CAP:
                chunks.append(chunk[:OUTPUT_CAP - read_total])
            read_total += len(chunk)
    truncated = read_total > OUTPUT_CAP
    process.stdout.close()
    if not timed_out and not _ends_by(process, max(deadline - time.monotonic(), 1.0)):
        timed_out = True
        _kill_group(process)
    process.wait()
    _kill_group(process)  # nothing of the group outlives the run
    return b"".join(chunks).decode("utf-8", "replace"), truncated, timed_out


def _ends_by(process: "subprocess.Popen[bytes]", seconds: float) -> bool:
    """Whether process ends within seconds. Woken by its pidfd the moment it ends:
    Popen.wait(timeout) polls with sleeps instead, which idles a job for about a
    millisecond per run."""
    try:
        pidfd = os.pidfd_open(process.pid)
    except OSError:  # no pidfds here (Linux before 5.3, a seccomp filter): Popen's wait
        try:
            process.wait(timeout=seconds)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        return bool(select.select([pidfd], [], [], seconds)[0])
    finally:
        os.close(pidfd)


def _kill_group(process: "subprocess.Popen[bytes]") -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
