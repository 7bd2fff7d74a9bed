"""The result cache: what one case did on one implementation, stored under a key made of
everything that decides it, so that an unchanged re-run costs almost nothing.

The key joins the implementation's identity (targets.py: the interpreter's path, version,
size and modification time; the case runner's content hash and the preset its profile
selects; Pyodide's version and runner) with the case's own digest (its file and its
generated program). A run that timed out or could not start is never stored. Entries are
written atomically; while one is being computed, another asker of its key waits for it, so
the versions of one preset cause one reference run.

An oracle checked for stability (--repeat N, N > 1; stability.py) is run N times for real:
its stored outcome is not read (it would count as one run only), the outcome is stored when
the N runs agreed, and an entry is removed when they did not, so an unstable oracle's
outcome is never served. Within one run the verdict is kept in memory and shared by every
pairing with that oracle, so they agree on it.
"""

import hashlib
import json
import os
import threading
from dataclasses import asdict
from typing import Dict, Optional

from harness.conform.files import atomic_write
from harness.conform.stability import Runs, repeat
from oracle.casemodel import Case
from oracle.execute import Outcome


def file_identity(path: str) -> str:
    """A file as the cache sees it: real path, size and modification time."""
    real = os.path.realpath(path)
    try:
        stat = os.stat(real)
    except OSError:
        return "%s missing" % real
    return "%s %d %d" % (real, stat.st_size, stat.st_mtime_ns)


def file_digest(path: str) -> str:
    with open(path, "rb") as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def case_digest(canonical_path: str, program_path: str) -> str:
    """What the case is to every side: its canonical form (what the C runner reads) and
    the program compiled from it (prelude and compiler included)."""
    digest = hashlib.sha256()
    for path in (canonical_path, program_path):
        with open(path, "rb") as stream:
            digest.update(stream.read())
        digest.update(b"\0")
    return digest.hexdigest()


class Cache:
    """A folder of outcomes; with folder None every lookup misses and nothing is stored."""

    def __init__(self, folder: Optional[str]) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._running: Dict[str, threading.Lock] = {}
        self._checked: Dict[str, Runs] = {}  # the verdicts of repeated runs, by key

    @staticmethod
    def key(side, case: Case, digest: str) -> str:
        """side's identity_for(case) where it has one (the reference), else its identity,
        joined with the case's digest."""
        identity = side.identity_for(case) if hasattr(side, "identity_for") else side.identity
        return hashlib.sha256(("%s\0%s" % (identity, digest)).encode()).hexdigest()

    def _path(self, key: str) -> str:
        assert self.folder is not None
        return os.path.join(self.folder, key[:2], key + ".json")

    def _once(self, key: str) -> threading.Lock:
        with self._lock:
            return self._running.setdefault(key, threading.Lock())

    def run(self, side, case: Case, workdir: str, timeout: float, digest: str) -> Outcome:
        """side.run(case, ...) unless an outcome is stored for (its identity, digest)."""
        if self.folder is None:
            return side.run(case, workdir, timeout)
        key = self.key(side, case, digest)
        path = self._path(key)
        with self._once(key):  # one run per key: a second asker waits and then finds it
            stored = self._load(path)
            with self._lock:
                if stored is None:
                    self.misses += 1
                else:
                    self.hits += 1
            if stored is not None:
                return stored
            outcome = side.run(case, workdir, timeout)
            if not outcome.timed_out and not outcome.error:
                self._store(path, outcome)
            return outcome

    def run_checked(self, side, case: Case, workdir: str, timeout: float, digest: str,
                    times: int) -> Runs:
        """An oracle's outcome and whether it was stable: with times 1, run() (a stored
        outcome counts as one run); with more, up to times real runs (stability.repeat),
        never read from the folder, stored when stable and removed when not. The verdict
        is made once per key in this run, however many pairings ask."""
        if times <= 1:
            return Runs(self.run(side, case, workdir, timeout, digest), 1)
        key = self.key(side, case, digest)
        with self._once(key):
            with self._lock:
                checked = self._checked.get(key)
            if checked is not None:
                return checked
            if self.folder is not None:
                with self._lock:
                    self.misses += 1  # the folder is not read: every real run is a miss
            checked = repeat(lambda: side.run(case, workdir, timeout), times)
            if self.folder is not None:
                path = self._path(key)
                if checked.storable:
                    self._store(path, checked.first)
                elif not checked.stable:
                    self._remove(path)
            with self._lock:
                self._checked[key] = checked
            return checked

    @staticmethod
    def _load(path: str) -> Optional[Outcome]:
        try:
            with open(path, encoding="utf-8") as stream:
                return Outcome(**json.load(stream))
        except (OSError, ValueError, TypeError):  # absent, or written by another version
            return None

    @staticmethod
    def _store(path: str, outcome: Outcome) -> None:
        atomic_write(path, json.dumps(asdict(outcome)))

    @staticmethod
    def _remove(path: str) -> None:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
