"""Finding Python interpreters and identifying each by running it (never by its path)."""

import glob
import os
import shutil
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Tuple

from oracle.execute import ended

IDENTIFY = ("import sys, platform; "
            "sys.stdout.write('%s %d.%d.%d' % ((platform.python_implementation(),) "
            "+ tuple(sys.version_info[:3])))")
PATH_NAMES = ["python2.7"] + ["python3.%d" % minor for minor in range(6, 16)] + ["python3", "python"]
DEBIAN_PYTHON = "/usr/bin/python3"


@dataclass(frozen=True)
class Interpreter:
    path: str
    implementation: str  # "CPython", "PyPy", ...
    version: Tuple[int, int, int]

    @property
    def short_version(self) -> str:
        return "%d.%d" % self.version[:2]

    @property
    def name(self) -> str:
        return "%s-%s" % (self.implementation.lower(), ".".join(map(str, self.version)))

    def isolation_flags(self) -> List[str]:
        """Unbuffered and isolated from site-packages: a .pth file there can
        register atexit handlers of its own (design.md, "Oracle hygiene")."""
        return ["-E", "-S", "-u"] if self.version[0] == 2 else ["-I", "-S", "-u"]

    def command(self, program: str) -> List[str]:
        return [self.path] + self.isolation_flags() + [program]


def identify(path: str, timeout: float = 20.0) -> Optional[Interpreter]:
    """Runs path to learn its implementation and exact version; None if it is not a Python."""
    return identify_command([path], timeout)


def identify_command(command: List[str], timeout: float = 60.0) -> Optional[Interpreter]:
    """Like identify, for a command that may carry options (e.g. `pypy3 -S`)."""
    return probe_command(command, timeout)[0]


def probe_command(command: List[str], timeout: float = 60.0) -> Tuple[Optional[Interpreter], str]:
    """Runs command to learn what it is: (the interpreter, "") or (None, why not).
    It runs in a session of its own; if it has not answered within timeout seconds its
    whole process group is killed."""
    try:
        process = subprocess.Popen(command + ["-c", IDENTIFY], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
    except OSError as error:
        return None, "cannot be started: %s" % (error.strerror or error)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        return None, "gave no answer within %gs when asked its version" % timeout
    said = out.decode("ascii", "replace").strip()
    if process.returncode != 0:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:]
        return None, "%s when asked its version%s" % (
            ended(process.returncode), ": " + last[0] if last else "")
    parts = said.split()
    try:
        major, minor, micro = (int(part) for part in parts[1].split("."))
        if len(parts) != 2:
            raise ValueError
    except (IndexError, ValueError):
        return None, "answered %r, not an implementation and version" % said[:80]
    return Interpreter(command[0], parts[0], (major, minor, micro)), ""


def pyenv_root() -> str:
    return os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")


def candidates(extra: Iterable[str] = ()) -> List[str]:
    """Paths worth identifying: --python paths first, Debian's python3, PATH names
    (pyenv shims are skipped: they are not interpreters), pyenv's versions."""
    found = list(extra) + [DEBIAN_PYTHON]
    for name in PATH_NAMES:
        path = shutil.which(name)
        if path and os.sep + "shims" + os.sep not in path:
            found.append(path)
    found.extend(sorted(glob.glob(os.path.join(pyenv_root(), "versions", "*", "bin", "python"))))
    return found


def discover(extra: Iterable[str] = (), implementations: Tuple[str, ...] = ("CPython",)
             ) -> List[Interpreter]:
    """One interpreter per (implementation, X.Y version), the first found winning,
    sorted by version. Paths are deduplicated by their real path."""
    seen_paths = set()
    paths = []
    for path in candidates(extra):
        real = os.path.realpath(path)
        if real not in seen_paths and os.access(path, os.X_OK):
            seen_paths.add(real)
            paths.append(path)
    chosen: Dict[Tuple[str, str], Interpreter] = {}
    with ThreadPoolExecutor(max_workers=max(1, len(paths))) as pool:  # each one waits on a process
        for found in pool.map(identify, paths):
            if found is not None and found.implementation in implementations:
                chosen.setdefault((found.implementation, found.short_version), found)
    return sorted(chosen.values(), key=lambda i: (i.implementation, i.version))


def default_oracle(extra: Iterable[str] = ()) -> Optional[Interpreter]:
    """The default oracle: Debian's python3 when it is CPython, else the newest CPython found."""
    debian = identify(DEBIAN_PYTHON) if os.access(DEBIAN_PYTHON, os.X_OK) else None
    if debian is not None and debian.implementation == "CPython":
        return debian
    found = discover(extra)
    return found[-1] if found else None
