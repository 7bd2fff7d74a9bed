"""What can run a case: the C reference (a profile of libatx) and Python interpreters."""

import functools
import os
import shlex
import shutil
from dataclasses import dataclass
from typing import List, Optional, Tuple

from harness.conform.cache import file_digest, file_identity
from oracle import canonical
from oracle.casemodel import Case
from oracle.compile import compile_case
from oracle.execute import ORACLE_MEMORY, Outcome, run
from oracle.interpreters import Interpreter
from oracle.pyodide import PyodideOracle


@dataclass
class Reference:
    """The C case runner, linked with libatx (or another library implementing atx.h: then
    label names it), in the profile of one CPython version."""
    runner: str
    profile: str
    lacks: Tuple[str, ...] = ()  # capabilities (casemodel.CAPABILITIES): the reference has all
    label: str = "reference"

    @property
    def name(self) -> str:
        return "%s-%s" % (self.label, self.profile)

    @property
    def version(self) -> str:
        library = "libatx" if self.label == "reference" else self.label
        return "%s profile %s" % (library, self.profile)

    @functools.cached_property
    def identity(self) -> str:
        """What decides its behaviour (cache.py): the runner's content and what the
        profile selects, as the runner names it (--profile-name: PRESET/ERA/TEXT), so the
        versions of one era share their results and each case runs once per era.
        Computed once: a run does not rebuild its runner."""
        named = run([self.runner, "--profile", self.profile, "--profile-name"], 30,
                    events_arg=False)
        preset = named.output.strip() if named.returncode == 0 else ""
        return "reference %s preset %s" % (file_digest(self.runner),
                                           preset or "of version " + self.profile)

    def identity_for(self, case: Case) -> str:
        """identity, less the Unicode database when the case's text is all ASCII: no
        repr() of such text differs between 3.x versions, so more of them share a run."""
        if case.ascii_only and "/unicode-" in self.identity:
            return self.identity.rpartition("/unicode-")[0]
        return self.identity

    def command(self, case: Case, workdir: str) -> List[str]:
        return [self.runner, "--profile", self.profile, canonical.path_for(case, workdir)]

    def run(self, case: Case, workdir: str, timeout: float) -> Outcome:
        return run(self.command(case, workdir), timeout)


@dataclass
class Python:
    """A Python interpreter running the case's generated program (the oracle, or a target)."""
    interpreter: Interpreter
    lacks: Tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.interpreter.name

    @property
    def version(self) -> Tuple[int, int, int]:
        return self.interpreter.version

    @property
    def short_version(self) -> str:
        return self.interpreter.short_version

    @functools.cached_property
    def identity(self) -> str:
        return "python %s %s" % (" ".join(self.interpreter.command("")),
                                 file_identity(self.interpreter.path))

    @staticmethod
    def program_path(case: Case, workdir: str) -> str:
        return os.path.join(workdir, "programs", case.id + ".py")

    def command(self, case: Case, workdir: str) -> List[str]:
        return self.interpreter.command(self.program_path(case, workdir))

    def run(self, case: Case, workdir: str, timeout: float) -> Outcome:
        return run_program(self.command(case, workdir), case, workdir, timeout, ORACLE_MEMORY)


class Pyodide:
    """CPython 3.14 on WebAssembly: runs the same generated program in one long-lived
    node process; cases needing a real process end come back not applicable."""

    # No processes, signals or threads in a browser-style runtime; a program that ends by
    # an exception is found not applicable when it runs (PyodideOracle.run).
    lacks = ("fork", "processes", "signals", "threads", "process-exit")

    def __init__(self, oracle: PyodideOracle, label: str = "") -> None:
        """label names it as a --target (else it is the 3.14 oracle, named by version)."""
        self.oracle = oracle
        self.label = label

    @property
    def name(self) -> str:
        return self.label or self.oracle.name

    @property
    def version(self) -> Tuple[int, int, int]:
        return self.oracle.version

    @property
    def short_version(self) -> str:
        return self.oracle.short_version

    @property
    def identity(self) -> str:
        return self.oracle.identity

    def command(self, case: Case, workdir: str) -> List[str]:
        return self.oracle.command(Python.program_path(case, workdir))

    def run(self, case: Case, workdir: str, timeout: float) -> Outcome:
        return self.oracle.run(Python.program_path(case, workdir), timeout)


@dataclass
class ThirdParty:
    """Another implementation of Python, given as a command that runs a script file
    (e.g. `pypy3 -S -u`); it is checked against the CPython of its language version."""
    label: str
    command_prefix: List[str]
    language: Tuple[int, int]
    version: str = ""  # implementation and full version, as running it told, e.g. "PyPy 3.9.18"
    lacks: Tuple[str, ...] = ()  # declared with --lacks NAME=CAPABILITY,...

    @property
    def name(self) -> str:
        return self.label

    @functools.cached_property
    def identity(self) -> str:
        executable = shutil.which(self.command_prefix[0]) or self.command_prefix[0]
        return "third-party %s %s" % (" ".join(self.command_prefix), file_identity(executable))

    def command(self, case: Case, workdir: str) -> List[str]:
        return self.command_prefix + [Python.program_path(case, workdir)]

    def run(self, case: Case, workdir: str, timeout: float) -> Outcome:
        return run_program(self.command(case, workdir), case, workdir, timeout)


def run_program(command: List[str], case: Case, workdir: str, timeout: float,
                memory: Optional[int] = None) -> Outcome:
    """Runs command on the program write_program() left in workdir, from its folder."""
    return run(command, timeout, cwd=os.path.dirname(Python.program_path(case, workdir)),
               memory=memory)


def write_program(case: Case, workdir: str) -> str:
    """Compiles the case into workdir/programs/<id>.py (kept for the report and repros)."""
    path = Python.program_path(case, workdir)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(compile_case(case))
    return path


def shell_command(command: List[str]) -> str:
    return " ".join(shlex.quote(part) for part in command)
