"""Pyodide (CPython 3.14 on WebAssembly, run with node) as an oracle.

One node process (oracle/pyodide/runner.mjs) loads Pyodide once and runs many
programs, each with fresh globals and an empty registry. It cannot end a
process, so a case that needs a real end (an exception escaping main,
handlers left for shutdown) comes back not applicable, never passed.
"""

import functools
import hashlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from typing import List, Optional, Tuple

from oracle.execute import Outcome

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pyodide")
RUNNER = os.path.join(HERE, "runner.mjs")
START_TIMEOUT = 60.0
# What Pyodide prints when its WebAssembly stack overflows before Python's recursion limit
# (it then cannot go on): pyodide/pyodide#2840.
STACK_OVERFLOW = "RangeError: Maximum call stack size exceeded"
STACK_OVERFLOW_ISSUE = "https://github.com/pyodide/pyodide/issues/2840"
STDERR_KEPT = 16 << 20  # of node's stderr, read when it dies


def available() -> Tuple[bool, str]:
    """Whether node and the npm package are installed (and if not, what is missing)."""
    if shutil.which("node") is None:
        return False, "node is not installed"
    if not os.path.isdir(os.path.join(HERE, "node_modules", "pyodide")):
        return False, "the npm package pyodide is not installed (make pyodide)"
    return True, ""


def installed_version() -> Tuple[int, int, int]:
    """The CPython version of the installed Pyodide (its lock file's info.python)."""
    path = os.path.join(HERE, "node_modules", "pyodide", "pyodide-lock.json")
    try:
        with open(path, encoding="utf-8") as stream:
            text = json.load(stream)["info"]["python"]
        return tuple(int(part) for part in text.split(".")[:3])  # type: ignore
    except (OSError, ValueError, KeyError) as error:
        raise RuntimeError("cannot read Pyodide's version from %s: %s" % (path, error)) from None


class PyodideOracle:
    """A long-lived node process serving one program at a time."""

    implementation = "Pyodide"

    def __init__(self) -> None:
        """Reads the version from the installed package; node starts at the first run,
        so a run whose results all come from the cache never starts it."""
        self._lock = threading.Lock()
        self._process: Optional["subprocess.Popen[str]"] = None
        self._stderr = None  # what node writes there: read when it dies
        self.version: Tuple[int, int, int] = installed_version()

    @functools.cached_property
    def identity(self) -> str:
        """What decides this oracle's behaviour: the package's version and the runner
        (read once: it is asked for every case)."""
        with open(RUNNER, "rb") as stream:
            runner = hashlib.sha256(stream.read()).hexdigest()
        return "pyodide %s runner %s" % (".".join(map(str, self.version)), runner)

    @property
    def name(self) -> str:
        return "pyodide-%s" % ".".join(map(str, self.version))

    @property
    def short_version(self) -> str:
        return "%d.%d" % self.version[:2]

    def _start(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(["node", RUNNER], cwd=HERE, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._stderr,
                                         text=True, start_new_session=True)
        ready = self._read_line(START_TIMEOUT)
        if ready is None or "ready" not in ready:
            self.close()
            raise RuntimeError("Pyodide did not start (node %s)" % RUNNER)
        started = tuple(int(part) for part in ready["ready"].split("."))
        if started != self.version:
            self.close()
            raise RuntimeError("Pyodide says it is Python %s, its package %s"
                               % (ready["ready"], ".".join(map(str, self.version))))

    def _read_line(self, timeout: float) -> Optional[dict]:
        assert self._process is not None and self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], timeout)
        if not ready:
            return None
        line = self._process.stdout.readline()
        return json.loads(line) if line else None

    def close(self) -> None:
        if self._process is not None:
            try:
                os.killpg(self._process.pid, 9)
            except ProcessLookupError:
                pass
            self._process.wait()
            self._process = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def _at_end_of_output(self) -> bool:
        assert self._process is not None and self._process.stdout is not None
        return bool(select.select([self._process.stdout], [], [], 0)[0])

    def _died(self) -> str:
        """Why node ended of itself (its status and the end of what it wrote on stderr),
        or "" while it still runs."""
        assert self._process is not None and self._stderr is not None
        status = self._process.poll()
        if status is None:
            return ""
        self._stderr.seek(0)
        lines = self._stderr.read(STDERR_KEPT).decode("utf-8", "replace").strip().splitlines()
        # the cause, not the runtime's own source, which a fatal error prints too
        errors = [line.strip() for line in lines if "Error" in line and len(line) < 300]
        return "node ended (%s)%s" % (
            "status %d" % status if status >= 0 else "signal %d" % -status,
            ": " + "; ".join(errors[:3]) if errors else "")

    def command(self, program: str) -> List[str]:
        """What reproduces a run by hand: the runner reads the request on stdin."""
        return ["sh", "-c", "echo '%s' | node %s" % (json.dumps({"program": program}), RUNNER)]

    def run(self, program: str, timeout: float) -> Outcome:
        with self._lock:
            started = time.monotonic()
            if self._process is None:
                try:
                    self._start()
                except RuntimeError as error:
                    outcome = Outcome(self.command(program), "", "", None, False, False, 0.0)
                    outcome.error = str(error)
                    return outcome
            assert self._process is not None and self._process.stdin is not None
            self._process.stdin.write(json.dumps({"program": program}) + "\n")
            self._process.stdin.flush()
            reply = self._read_line(timeout)
            seconds = time.monotonic() - started
            if reply is None:  # hung or died: restart for the next program
                if self._at_end_of_output():  # it is ending: give it time to be reaped
                    try:
                        self._process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        pass
                died = self._died()
                stack = STACK_OVERFLOW in died
                self.close()
                outcome = Outcome(self.command(program), "", "", None, not died, False, seconds)
                if stack:  # a limit of Pyodide's, not a verdict
                    outcome.not_applicable = ("Pyodide's WebAssembly stack overflows before "
                                              "Python's recursion limit, and the runtime dies "
                                              "(%s)" % STACK_OVERFLOW_ISSUE)
                elif died:
                    outcome.error = "the Pyodide runtime died: %s" % died
                return outcome
            outcome = Outcome(self.command(program), reply["output"], reply["events"], 0,
                              False, False, seconds)
            outcome.not_applicable = "" if reply["applicable"] else reply["reason"]
            return outcome
