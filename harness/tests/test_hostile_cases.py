"""Hostile case files (issue 10, item 4): each is rejected with one FILE:LINE line, in under
1 s and 200 MB, and a full run beside good cases completes with its six reports, exit 1.

The fixtures are generated here, once per module, into a cases folder under tmp_path: the
repository's clauses.yaml, four good cases copied from cases/, and the hostile files. As
root (CI), every command runs as the unprivileged user 65534, so that chmod 000 really
makes a file unreadable; the tree is opened up for that user.
"""
import copy
import json
import os
import random
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Tuple

import pytest
import yaml

from harness.tests.support import CASES, REPO, RUNNER
from oracle import casefile
from oracle.yamlnodes import CaseError

NOBODY = 65534
AS_NOBODY = os.geteuid() == 0
WALL_LIMIT = 1.0  # seconds, per check of one file (the whole command, start-up included)
RSS_LIMIT = 200 * 1024 * 1024  # bytes, the check's maximum resident set
CHECK_TIMEOUT = 3.0  # a check still running then is killed, and fails
RUN_TIMEOUT = 60.0
RUN_WALL_LIMIT = 15.0  # the full run over four good cases and the hostile files
ADDRESS_SPACE = 2 << 30  # a safety net under the 200 MB measure: an unbounded read dies
GOOD = ("run/lifo", "unregister/bound-method-equal", "fork/child-registers-its-own",
        "decorator/returns-function-with-args")
REPORTS = ("conformance.json", "junit.xml", "results.tap", "summary.md", "drift.md",
           "index.html")
ERROR_LINE = re.compile(r"(?P<file>.+?):(?P<line>[0-9]+): (?P<message>\S.*)\Z")
# Words that show a loader crash dressed as an error line, not a rejection.
CRASH_MARKS = ("Traceback", "RecursionError", "MemoryError", "maximum recursion",
               "the loader failed", "please report")
MIB = 1024 * 1024


# ---------------------------------------------------------------------------------------
# Running a command, bounded and measured

@dataclass
class Ran:
    argv: List[str]
    code: Optional[int]  # the exit status; None when killed by a signal
    killed_by: Optional[str]
    timed_out: bool
    wall: float
    max_rss: int  # bytes (ru_maxrss of the child and its waited-for descendants)
    stdout: str
    stderr: str

    def describe(self) -> str:
        if self.timed_out:
            ended = "still running after %.0f s (killed)" % self.wall
        elif self.killed_by:
            ended = "killed by %s" % self.killed_by
        else:
            ended = "exit %d" % self.code
        return "%s: %s, %.2f s wall, %.0f MB max RSS\n--- stderr:\n%s\n--- stdout:\n%s" % (
            " ".join(self.argv[1:]), ended, self.wall, self.max_rss / MIB,
            clip(self.stderr), clip(self.stdout))


def clip(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else text[:limit] + "... (%d more characters)" % (
        len(text) - limit)


def drop_privileges(address_space: int) -> Callable[[], None]:
    def prepare() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        if AS_NOBODY:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
    return prepare


def bounded(args: List[str], timeout: float, address_space: int = ADDRESS_SPACE) -> Ran:
    """Runs ./atx-conform ARGS in its own session (as user 65534 when we are root), its
    output in files (a full pipe must not look like a hang); waits with os.wait4, so the
    time is the child's wall time and the memory its own maximum RSS; at the timeout the
    whole session is killed."""
    argv = [sys.executable, os.path.join(REPO, "atx-conform")] + args
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=err, start_new_session=True,
                                preexec_fn=drop_privileges(address_space))
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # anything the command left behind
        except (ProcessLookupError, PermissionError):
            pass
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "backslashreplace")
        stderr = err.read().decode("utf-8", "backslashreplace")
    code = proc.returncode if proc.returncode >= 0 else None
    killed_by = signal.Signals(-proc.returncode).name if proc.returncode < 0 else None
    return Ran(argv, code, killed_by, timed_out, wall, usage.ru_maxrss * 1024, stdout, stderr)


def names(file_part: str, path: str, root: str) -> bool:
    """Whether the FILE of an error line is path (as given, or relative to the cases
    folder or the repository); symlinks are not resolved: the link is what is named."""
    wanted = os.path.abspath(path)
    return any(os.path.abspath(os.path.join(base, file_part)) == wanted
               for base in (REPO, root))


def crash_marks(text: str) -> List[str]:
    return [mark for mark in CRASH_MARKS if mark in text]


# ---------------------------------------------------------------------------------------
# The hostile files

def case(name: str, main: str = "  - register: h\n    args: [1]\n", extra: str = "",
         description: str = "A hostile case file.", area: str = "hostile") -> str:
    """A valid case; lines: 1 id, 2 description, 7 the handler's body, then extra, then
    main (line 8 when extra is empty) and its first step (9) and args (10)."""
    return ("id: %s/%s\n"
            "description: %s\n"
            "clauses: [run.lifo]\n"
            "tags: [hostile]\n"
            "handlers:\n"
            "  h:\n"
            "    body: [print_args]\n"
            "%s"
            "main:\n%s" % (area, name, description, extra, main))


def flow_nest(name: str, opening: str, closing: str, per_line: int, depth: int) -> bytes:
    """main's register step with args nested depth deep in flow style, per_line levels a
    line (short lines, well under 1 MiB: only the nesting is wrong)."""
    lines = depth // per_line
    return case(name, main="").replace("main:\n", "").encode() + (
        "main: [{register: h, args: [\n"
        + (" " + opening * per_line + "\n") * lines + " 1\n"
        + (" " + closing * per_line + "\n") * lines + " ]}]\n").encode()


def block_nest(name: str, key: str, entry: str, last: str, depth: int) -> bytes:
    """depth levels of block style, one level a line, indented one more space each."""
    body = "".join(" " * (6 + i) + entry + "\n" for i in range(depth))
    return case(name, main="  - register: h\n    %s:\n%s%s%s\n"
                % (key, body, " " * (6 + depth), last)).encode()


def alias_bomb(name: str) -> bytes:
    lol = "[" + ", ".join(["lol"] * 9) + "]"
    levels = ["&a %s" % lol]
    for previous, anchor in zip("abcdefgh", "bcdefghi"):
        levels.append("&%s [%s]" % (anchor, ", ".join(["*" + previous] * 9)))
    return case(name, main="  - register: h\n    args: [%s]\n" % ",\n      ".join(levels)).encode()


def many_steps(count: int) -> Callable[[str], bytes]:
    return lambda name: case(name, main="  - clear\n" * count).encode()


def many_in_flow(name: str, count: int, where: str) -> bytes:
    """count handlers (where="handlers") or kwargs (where="kwargs") in one flow mapping,
    400 a line, in under 1 MiB: only their number is wrong."""
    entries = ["h" + "".join(chr(97 + (i // 26 ** k) % 26) for k in range(4))
               for i in range(count)]
    value = "{}" if where == "handlers" else "1"
    rows = [",".join("%s: %s" % (e, value) for e in entries[i:i + 400])
            for i in range(0, count, 400)]
    mapping = "{\n " + ",\n ".join(rows) + "\n }"
    if where == "kwargs":
        return with_kwargs(mapping.replace("\n", "\n    "))(name)
    return case(name).replace("handlers:\n  h:\n    body: [print_args]\n",
                              "handlers: %s\n" % mapping.replace("haaaa: {}", "h: {}", 1)).encode()


def padded(total: int, line: int = 80) -> Callable[[str], bytes]:
    """A valid case padded with comment lines of line characters to total bytes."""
    def make(name: str) -> bytes:
        head = case(name).encode()
        rest = total - len(head)
        full, tail = divmod(rest, line + 1)
        pad = (b"#" + b"x" * (line - 1) + b"\n") * full
        if tail:
            pad += b"#" + b"x" * (tail - 1) if tail > 1 else b"#"
        return head + pad
    return make


def fifty_mb(name: str) -> bytes:
    return padded(50 * MIB)(name)


def nested_forks(name: str, depth: int) -> bytes:
    lines = []
    for level in range(depth):
        lines.append("  " + "    " * level + "- fork:\n")
    lines.append("  " + "    " * depth + "- register: h\n")
    return case(name, main="".join(lines)).encode()


@dataclass(frozen=True)
class Hostile:
    name: str
    line: Optional[int]  # the line it must be rejected at, where that is unambiguous
    make: Optional[Callable[[str], bytes]] = None
    kind: str = "file"  # file, unreadable, fifo, symlink-out, symlink-zero, symlink-case


def with_args(args: str) -> Callable[[str], bytes]:
    """A case whose register step (line 9) passes args (line 10)."""
    return lambda n: case(n, main="  - register: h\n    args: %s\n" % args).encode()


def with_kwargs(kwargs: str) -> Callable[[str], bytes]:
    return lambda n: case(n, main="  - register: h\n    kwargs: %s\n" % kwargs).encode()


def with_main(main: str) -> Callable[[str], bytes]:
    """A case whose main is main (its first step on line 9)."""
    return lambda n: case(n, main=main).encode()


def with_description(raw: bytes) -> Callable[[str], bytes]:
    """A case whose description (line 2) is raw bytes."""
    return lambda n: case(n).encode().replace(b"A hostile case file.", raw)


def binary(name: str) -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + random.Random(10).randbytes(65536)


HOSTILE = [
    Hostile("empty", 1, lambda n: b""),
    Hostile("binary", None, binary),
    Hostile("invalid-utf8", 2, with_description(b"A \xff\xfe case.")),
    Hostile("utf8-encoded-surrogate", 2, with_description(b"A \xed\xa0\x80 case.")),
    Hostile("nul-byte", 2, with_description(b"A \x00 case.")),
    Hostile("nul-escaped", 9, with_main('  - print: "a\\0b"\n')),
    Hostile("lone-surrogate-escaped", 9, with_main('  - print: "a\\ud800b"\n')),
    Hostile("control-soh-plain", 2, with_description(b"A \x01 case.")),
    Hostile("control-esc-quoted", 2, with_description(b'"A \x1b[31m case."')),
    Hostile("control-del-quoted", 2, with_description(b"'A \x7f case.'")),
    Hostile("control-del-plain", 2, with_description(b"A \x7f case.")),
    Hostile("control-in-comment", 1, lambda n: b"# a \x1b comment\n" + case(n).encode()),
    Hostile("deep-sequences-flow", None, lambda n: flow_nest(n, "[", "]", 50, 100000)),
    Hostile("deep-mappings-flow", None, lambda n: flow_nest(n, "{a: ", "}", 25, 100000)),
    Hostile("deep-sequences-block", None, with_args("\n      " + "- " * 100000 + "1")),
    # explicit keys ("? ? ? k") nest block mappings on one line
    Hostile("deep-mappings-block", None, with_kwargs("\n      " + "? " * 100000 + "k")),
    Hostile("deep-sequences-block-indented", None,
            lambda n: block_nest(n, "args", "-", "- 1", 1000)),
    Hostile("deep-mappings-block-indented", None,
            lambda n: block_nest(n, "kwargs", "k:", "k: 1", 1000)),
    Hostile("anchor-and-alias", 10, with_args("[&a 1, *a]")),
    Hostile("anchor-alone", 2, with_description(b"&d A hostile case.")),
    Hostile("tag-core", 2, with_description(b"!!str A hostile case.")),
    Hostile("tag-local", 2, with_description(b"!custom A hostile case.")),
    Hostile("alias-bomb-in-args", 10, alias_bomb),
    Hostile("recursive-anchor", 10, with_args("&r [*r]")),
    Hostile("size-50mb", None, fifty_mb),
    Hostile("line-1mb", 2, with_description(b"x" * 1000000)),
    Hostile("tab-indentation", 9, with_main("\t- register: h\n")),
    Hostile("duplicate-top-level-key", 11,
            lambda n: (case(n) + "id: hostile/%s\n" % n).encode()),
    Hostile("duplicate-handler", 8,
            lambda n: case(n, extra="  h:\n    body: [clear]\n").encode()),
    Hostile("duplicate-kwarg", 10, with_kwargs("{k: 1, k: 2}")),
    Hostile("two-documents", 11, lambda n: (case(n) + "---\n" + case(n)).encode()),
    Hostile("trailing-document", 11, lambda n: (case(n) + "---\n").encode()),
    Hostile("int-20-digits", 10, with_args("[%s]" % ("9" * 20))),
    Hostile("int-5000-digits", 10, with_args("[%s]" % ("7" * 5000))),
    Hostile("int-100000-digits", 10, with_args("[-%s]" % ("7" * 100000))),
    Hostile("steps-1e6", None, many_steps(1000000)),
    Hostile("handlers-100k", None, lambda n: many_in_flow(n, 100000, "handlers")),
    Hostile("kwargs-100k", None, lambda n: many_in_flow(n, 100000, "kwargs")),
    Hostile("id-dotdot", 1,
            lambda n: case(n).replace("id: hostile/", "id: hostile/../hostile/", 1).encode()),
    Hostile("id-escapes", 1,
            lambda n: case(n).replace("id: hostile/%s" % n, "id: ../escapes", 1).encode()),
    Hostile("args-nested-250", 10, with_args("[" * 250 + "1" + "]" * 250)),
    Hostile("fork-nested-120", None, lambda n: nested_forks(n, 120)),
    Hostile("unreadable", None, lambda n: case(n).encode(), kind="unreadable"),
    Hostile("fifo", None, kind="fifo"),
    Hostile("symlink-leaving", None, lambda n: case(n).encode(), kind="symlink-out"),
    Hostile("symlink-dev-zero", None, kind="symlink-zero"),
    Hostile("symlink-to-case", None, kind="symlink-case"),
]
BY_NAME = {hostile.name: hostile for hostile in HOSTILE}
assert len(BY_NAME) == len(HOSTILE)

# Both sides of each cheap limit: what check must accept (exit 0, nothing printed) and what
# it must reject (one line, at the line given where that is unambiguous).
LIMIT_OK = {
    "size-exactly-1mib": padded(MIB),
    "line-4096": lambda n: case(n).encode() + b"#" + b"x" * 4095 + b"\n",
    "nodes-9000": many_steps(9000),
    "int-64-bit-bounds": with_args("[%d, %d]" % (2 ** 63 - 1, -2 ** 63)),
    "args-nested-10": with_args("[" * 10 + "1" + "]" * 10),
    "fork-nested-4": lambda n: nested_forks(n, 4),
    "explicit-document-start": lambda n: ("# a comment\n---\n" + case(n)).encode(),
    "unicode-text": lambda n: case(
        n, description="Un cas \u00e9crit en \u65e5\u672c\u8a9e \U0001f600.",
        main='  - print: "\\u00e9 \\x01 \\t \\U0001F600 \u00fc"\n').encode(),
}
LIMIT_BAD = {
    "size-1mib-plus-1": (padded(MIB + 1), None),
    "line-4097": (lambda n: case(n).encode() + b"#" + b"x" * 4096 + b"\n", 11),
    "nodes-10001": (many_steps(10001), None),
    "int-2-pow-63": (with_args("[%d]" % 2 ** 63), 10),
    "int-minus-2-pow-63-minus-1": (with_args("[%d]" % (-2 ** 63 - 1)), 10),
}


def open_up(path: str) -> None:
    """Lets user 65534 reach path: search permission on every folder above it."""
    if not AS_NOBODY:
        return
    folder = os.path.dirname(os.path.abspath(path))
    while folder not in ("/", ""):
        mode = os.stat(folder).st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(folder, stat.S_IMODE(mode) | stat.S_IXOTH)
        folder = os.path.dirname(folder)


def good_root(root: str, ids=GOOD) -> None:
    os.makedirs(root)
    shutil.copy(os.path.join(CASES, "clauses.yaml"), os.path.join(root, "clauses.yaml"))
    for case_id in ids:
        os.makedirs(os.path.join(root, os.path.dirname(case_id)), exist_ok=True)
        shutil.copy(os.path.join(CASES, case_id + ".yaml"), os.path.join(root, case_id + ".yaml"))


def make_readable(top: str) -> None:
    for folder, dirs, files in os.walk(top):
        os.chmod(folder, 0o755)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and stat.S_ISREG(os.lstat(path).st_mode):
                os.chmod(path, 0o644)


def build(hostile: Hostile, folder: str, outside: str, root: str) -> str:
    path = os.path.join(folder, hostile.name + ".yaml")
    if hostile.kind in ("file", "unreadable"):
        with open(path, "wb") as stream:
            stream.write(hostile.make(hostile.name))
    elif hostile.kind == "fifo":
        os.mkfifo(path, 0o644)
    elif hostile.kind == "symlink-out":
        target = os.path.join(outside, hostile.name + ".yaml")
        with open(target, "wb") as stream:
            stream.write(hostile.make(hostile.name))
        os.symlink(target, path)
    elif hostile.kind == "symlink-zero":
        os.symlink("/dev/zero", path)
    elif hostile.kind == "symlink-case":
        os.symlink(os.path.join(root, GOOD[0] + ".yaml"), path)
    return path


@dataclass
class Tree:
    base: str
    root: str  # the cases folder: clauses.yaml, the good cases, the hostile files
    hostile: Dict[str, str]  # name -> path
    stray: str  # a case file at the root of the cases folder
    linked: str  # a symlinked area folder
    limits: str  # a second cases folder: the limits' both sides
    limit_paths: Dict[str, str]


def stray_case() -> str:
    return case("x").replace("id: hostile/x", "id: stray", 1)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Tree:
    base = str(tmp_path_factory.mktemp("hostile"))
    root, outside = os.path.join(base, "cases"), os.path.join(base, "outside")
    good_root(root)
    folder = os.path.join(root, "hostile")
    os.makedirs(folder)
    os.makedirs(outside)
    paths = {h.name: build(h, folder, outside, root) for h in HOSTILE}
    stray = os.path.join(root, "stray.yaml")
    with open(stray, "w") as stream:
        stream.write(stray_case())
    os.makedirs(os.path.join(outside, "linked"))
    with open(os.path.join(outside, "linked", "x.yaml"), "w") as stream:
        stream.write(case("x", area="linked"))
    linked = os.path.join(root, "linked")
    os.symlink(os.path.join(outside, "linked"), linked)
    limits = os.path.join(base, "limits")
    good_root(limits, ())
    os.makedirs(os.path.join(limits, "hostile"))
    limit_paths = {}
    for name, make in list(LIMIT_OK.items()) + [(n, m) for n, (m, _) in LIMIT_BAD.items()]:
        limit_paths[name] = os.path.join(limits, "hostile", name + ".yaml")
        with open(limit_paths[name], "wb") as stream:
            stream.write(make(name))
    make_readable(base)
    os.chmod(paths["unreadable"], 0)
    open_up(root)
    return Tree(base, root, paths, stray, linked, limits, limit_paths)


def test_fixtures_say_what_they_claim(tree):
    """The generators make what their names say (else a pass would prove nothing)."""
    size = lambda name: os.path.getsize(tree.hostile[name])  # noqa: E731
    assert size("size-50mb") >= 50 * MIB
    for name in ("deep-sequences-flow", "deep-mappings-flow", "handlers-100k", "kwargs-100k",
                 "deep-sequences-block-indented", "deep-mappings-block-indented"):
        assert size(name) < MIB, "%s is rejected for its size, not for what it is" % name
        with open(tree.hostile[name], "rb") as stream:
            assert max(len(line) for line in stream) < 4096, name
    with open(tree.hostile["deep-sequences-flow"]) as stream:
        assert stream.read().count("[") >= 100000
    with open(tree.hostile["handlers-100k"]) as stream:
        assert stream.read().count(": {}") >= 100000
    with open(tree.hostile["kwargs-100k"]) as stream:
        assert stream.read().count(": 1") >= 100000
    for name, mark in (("deep-sequences-block", "- "), ("deep-mappings-block", "? "),
                       ("deep-mappings-flow", "{a: ")):
        with open(tree.hostile[name]) as stream:
            assert stream.read().count(mark) >= 100000, name
    with open(tree.hostile["steps-1e6"]) as stream:
        assert sum(line == "  - clear\n" for line in stream) == 1000000
    assert os.path.getsize(tree.limit_paths["size-exactly-1mib"]) == MIB
    assert os.path.getsize(tree.limit_paths["size-1mib-plus-1"]) == MIB + 1
    if AS_NOBODY:  # the check really cannot read it
        done = subprocess.run(["cat", tree.hostile["unreadable"]], capture_output=True,
                              preexec_fn=drop_privileges(ADDRESS_SPACE))
        assert done.returncode != 0
    # the valid skeleton every hostile file is made from is itself accepted
    skeleton = os.path.join(tree.limits, "hostile", "skeleton.yaml")
    with open(skeleton, "w") as stream:
        stream.write(case("skeleton"))
    os.chmod(skeleton, 0o644)
    casefile.load(skeleton, tree.limits, casefile.load_clauses(
        os.path.join(tree.limits, "clauses.yaml")))
    os.remove(skeleton)


# ---------------------------------------------------------------------------------------
# check, one file at a time

def rejected_once(ran: Ran, path: str, root: str, line: Optional[int]) -> List[str]:
    """What is wrong with a check that must reject path with one FILE:LINE line."""
    problems = []
    if ran.timed_out or ran.killed_by:
        return ["did not end by itself"]
    if crash_marks(ran.stdout + ran.stderr):
        problems.append("a crash shows through: %s"
                        % ", ".join(crash_marks(ran.stdout + ran.stderr)))
    if ran.code != 1:
        problems.append("exit %d, not 1" % ran.code)
    lines = ran.stderr.splitlines()
    if len(lines) != 1:
        problems.append("%d lines on stderr, not 1" % len(lines))
    matches = [ERROR_LINE.match(text) for text in lines]
    if not any(m and names(m.group("file"), path, root) for m in matches):
        problems.append("no FILE:LINE: message line names %s" % path)
    for m in matches:
        if m and names(m.group("file"), path, root):
            if int(m.group("line")) < 1:
                problems.append("line %s is below 1" % m.group("line"))
            elif line is not None and int(m.group("line")) != line:
                problems.append("rejected at line %s, the problem is on line %d"
                                % (m.group("line"), line))
    return problems


def within_bounds(ran: Ran) -> List[str]:
    problems = []
    if ran.wall > WALL_LIMIT:
        problems.append("took %.2f s (limit %.1f s)" % (ran.wall, WALL_LIMIT))
    if ran.max_rss > RSS_LIMIT:
        problems.append("used %.0f MB (limit %d MB)" % (ran.max_rss / MIB, RSS_LIMIT // MIB))
    return problems


@pytest.mark.parametrize("name", [h.name for h in HOSTILE])
def test_check_rejects_each_hostile_file_alone(tree, name):
    path = tree.hostile[name]
    ran = bounded(["check", "--cases-root", tree.root, path], CHECK_TIMEOUT)
    problems = rejected_once(ran, path, tree.root, BY_NAME[name].line) + within_bounds(ran)
    assert not problems, "%s: %s\n%s" % (name, "; ".join(problems), ran.describe())


@pytest.mark.parametrize("name", sorted(LIMIT_OK))
def test_check_accepts_just_inside_each_limit(tree, name):
    ran = bounded(["check", "--cases-root", tree.limits, tree.limit_paths[name]], CHECK_TIMEOUT)
    problems = within_bounds(ran)
    if ran.timed_out or ran.killed_by or ran.code != 0 or ran.stderr:
        problems.insert(0, "not accepted")
    assert not problems, "%s: %s\n%s" % (name, "; ".join(problems), ran.describe())


@pytest.mark.parametrize("name", sorted(LIMIT_BAD))
def test_check_rejects_just_outside_each_limit(tree, name):
    path = tree.limit_paths[name]
    ran = bounded(["check", "--cases-root", tree.limits, path], CHECK_TIMEOUT)
    problems = rejected_once(ran, path, tree.limits, LIMIT_BAD[name][1]) + within_bounds(ran)
    assert not problems, "%s: %s\n%s" % (name, "; ".join(problems), ran.describe())


def test_check_accepts_the_good_cases_and_refuses_a_bad_flag(tree, tmp_path):
    paths = [os.path.join(tree.root, case_id + ".yaml") for case_id in GOOD]
    ran = bounded(["check", "--cases-root", tree.root] + paths, CHECK_TIMEOUT)
    assert (ran.code, ran.stderr) == (0, ""), ran.describe()
    clean = str(tmp_path / "cases")
    good_root(clean)
    make_readable(str(tmp_path))
    open_up(clean)
    ran = bounded(["check", "--cases-root", clean], CHECK_TIMEOUT)
    assert (ran.code, ran.stderr) == (0, ""), ran.describe()
    ran = bounded(["check", "--no-such-flag"], CHECK_TIMEOUT)
    assert ran.code == 2 and not crash_marks(ran.stdout + ran.stderr), ran.describe()


def problems_of_tree(tree: Tree) -> Dict[str, str]:
    """Every path the whole-folder check and run must report: name -> path."""
    found = dict(tree.hostile)
    found.update({"root-level-file": tree.stray, "symlinked-area": tree.linked})
    return found


def test_check_of_the_whole_folder_names_each_problem_once(tree):
    ran = bounded(["check", "--cases-root", tree.root], 20.0)
    assert not (ran.timed_out or ran.killed_by), ran.describe()
    problems = []
    if crash_marks(ran.stdout + ran.stderr):
        problems.append("a crash shows through")
    if ran.code != 1:
        problems.append("exit %s, not 1" % ran.code)
    if ran.max_rss > RSS_LIMIT:
        problems.append("used %.0f MB (limit %d MB)" % (ran.max_rss / MIB, RSS_LIMIT // MIB))
    lines = ran.stderr.splitlines()
    parsed = [ERROR_LINE.match(line) for line in lines]
    problems += ["not FILE:LINE: message: %r" % line for line, m in zip(lines, parsed) if not m]
    files = [m.group("file") for m in parsed if m]
    for name, path in problems_of_tree(tree).items():
        count = sum(names(f, path, tree.root) or f.startswith(path + os.sep) for f in files)
        if count != 1:
            problems.append("%s named by %d lines, not 1" % (name, count))
    for case_id in GOOD:
        if any(names(f, os.path.join(tree.root, case_id + ".yaml"), tree.root) for f in files):
            problems.append("the good case %s is reported" % case_id)
    if len(lines) != len(problems_of_tree(tree)):
        problems.append("%d lines for %d problems" % (len(lines), len(problems_of_tree(tree))))
    assert not problems, "; ".join(problems) + "\n" + ran.describe()


# ---------------------------------------------------------------------------------------
# Problems of the folder itself, each in its own cases folder beside one good case

def folder_with(kind: str, base: str) -> Tuple[str, str]:
    """A cases folder with one good case and one problem; returns (root, problem path)."""
    root = os.path.join(base, "cases")
    good_root(root, GOOD[:1])
    problem = os.path.join(root, "clauses.yaml")
    if kind == "missing-clauses":
        os.remove(problem)
    elif kind == "malformed-clauses":
        with open(problem, "w") as stream:
            stream.write("run.lifo: Handlers run last registered first.\nrun.other: [unclosed\n")
    elif kind == "root-level-file":
        problem = os.path.join(root, "stray.yaml")
        with open(problem, "w") as stream:
            stream.write(stray_case())
    elif kind == "symlinked-area":
        os.makedirs(os.path.join(base, "elsewhere"))
        with open(os.path.join(base, "elsewhere", "x.yaml"), "w") as stream:
            stream.write(case("x", area="linked"))
        problem = os.path.join(root, "linked")
        os.symlink(os.path.join(base, "elsewhere"), problem)
    make_readable(base)
    open_up(root)
    return root, problem


@pytest.mark.parametrize("kind", ["missing-clauses", "malformed-clauses", "root-level-file",
                                  "symlinked-area"])
def test_check_of_a_folder_names_its_problem(tmp_path, kind):
    root, problem = folder_with(kind, str(tmp_path))
    ran = bounded(["check", "--cases-root", root], CHECK_TIMEOUT)
    problems = rejected_once(ran, problem, root, None) + within_bounds(ran)
    assert not problems, "%s: %s\n%s" % (kind, "; ".join(problems), ran.describe())


# ---------------------------------------------------------------------------------------
# The full run: hostile files beside good cases

def full_run(root: str, base: str) -> Tuple[Ran, str]:
    owned = os.path.join(base, "reports-owner")
    os.makedirs(owned)
    if AS_NOBODY:
        os.chown(owned, NOBODY, NOBODY)
    open_up(owned)
    reports = os.path.join(owned, "reports")
    ran = bounded(["--oracle", "default", "--runner", RUNNER, "--cases-root", root,
                   "--report-dir", reports, "--no-cache", "-q"], RUN_TIMEOUT, 4 * ADDRESS_SPACE)
    return ran, reports


def read_reports(reports: str) -> Tuple[List[str], dict]:
    """Problems with the six reports, and conformance.json's data."""
    problems, data = [], {}
    for name in REPORTS:
        path = os.path.join(reports, name)
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            problems.append("%s missing or empty" % name)
    try:
        with open(os.path.join(reports, "conformance.json")) as stream:
            data = json.load(stream)
    except (OSError, ValueError) as error:
        problems.append("conformance.json unreadable: %s" % error)
    try:
        ET.parse(os.path.join(reports, "junit.xml"))
    except (OSError, ET.ParseError) as error:
        problems.append("junit.xml unreadable: %s" % error)
    try:
        with open(os.path.join(reports, "results.tap")) as stream:
            if not stream.readline().startswith("TAP version"):
                problems.append("results.tap does not start with 'TAP version'")
    except OSError:
        pass
    return problems, data


def good_cases_passed(data: dict, ids=GOOD) -> List[str]:
    problems = []
    for case_id in ids:
        entries = [c for c in data.get("cases", []) if c.get("id") == case_id]
        if len(entries) != 1:
            problems.append("%s has %d entries, not 1" % (case_id, len(entries)))
            continue
        entry = entries[0]
        results = entry.get("results") or []
        statuses = [r.get("status") for r in results]
        if entry.get("error") or not statuses or set(statuses) != {"pass"}:
            why = ["%s vs %s: %s %s" % (r.get("target"), r.get("oracle"), r.get("reason"),
                                        clip(r.get("diff") or "", 600))
                   for r in results if r.get("status") != "pass"]
            problems.append("good case %s: error %r, statuses %s %s" % (
                case_id, entry.get("error"), statuses, "; ".join(why)))
    return problems


def error_entries_for(data: dict, path: str, root: str) -> List[dict]:
    found = []
    for entry in data.get("cases", []):
        m = ERROR_LINE.match(entry.get("error") or "")
        if m and (names(m.group("file"), path, root) or m.group("file").startswith(path + os.sep)):
            found.append(entry)
    return found


def test_a_full_run_reports_every_hostile_file_and_passes_the_good_cases(tree):
    assert os.access(RUNNER, os.X_OK), "the C reference %s is missing: make runner" % RUNNER
    ran, reports = full_run(tree.root, tree.base)
    assert not (ran.timed_out or ran.killed_by), ran.describe()
    problems = []
    if crash_marks(ran.stdout + ran.stderr):
        problems.append("a crash shows through: %s" % crash_marks(ran.stdout + ran.stderr))
    if ran.code != 1:
        problems.append("exit %s, not 1" % ran.code)
    if ran.wall > RUN_WALL_LIMIT:
        problems.append("the run took %.1f s (limit %.0f s)" % (ran.wall, RUN_WALL_LIMIT))
    if ran.max_rss > RSS_LIMIT:
        problems.append("the run used %.0f MB (limit %d MB)"
                        % (ran.max_rss / MIB, RSS_LIMIT // MIB))
    report_problems, data = read_reports(reports)
    problems += report_problems
    problems += good_cases_passed(data)
    for name, path in problems_of_tree(tree).items():
        entries = error_entries_for(data, path, tree.root)
        if len(entries) != 1:
            problems.append("%s: %d error entries name it, not 1" % (name, len(entries)))
        elif crash_marks(entries[0]["error"]):
            problems.append("%s: the loader crashed: %s" % (name, clip(entries[0]["error"], 300)))
        elif entries[0].get("results"):
            problems.append("%s: it was run anyway" % name)
        elif name in BY_NAME and BY_NAME[name].line is not None and \
                int(ERROR_LINE.match(entries[0]["error"]).group("line")) != BY_NAME[name].line:
            problems.append("%s: reported at another line than check's: %s"
                            % (name, entries[0]["error"]))
    errors = [c for c in data.get("cases", []) if c.get("error")]
    if len(errors) != len(problems_of_tree(tree)):
        problems.append("%d error entries for %d problems: %s" % (
            len(errors), len(problems_of_tree(tree)),
            clip("; ".join(str(c.get("error"))[:200] for c in errors), 3000)))
    assert not problems, "\n".join(problems) + "\n" + ran.describe()


@pytest.mark.parametrize("kind", ["missing-clauses", "malformed-clauses"])
def test_a_full_run_without_a_sound_catalogue_still_runs_the_good_cases(tmp_path, kind):
    root, problem = folder_with(kind, str(tmp_path))
    ran, reports = full_run(root, str(tmp_path))
    assert not (ran.timed_out or ran.killed_by), ran.describe()
    problems = []
    if crash_marks(ran.stdout + ran.stderr):
        problems.append("a crash shows through")
    if ran.code != 1:
        problems.append("exit %s, not 1" % ran.code)
    report_problems, data = read_reports(reports)
    problems += report_problems + good_cases_passed(data, GOOD[:1])
    if len(error_entries_for(data, problem, root)) != 1:
        problems.append("no single error entry names %s with a line" % problem)
    assert not problems, "%s: %s\n%s" % (kind, "; ".join(problems), ran.describe())


# ---------------------------------------------------------------------------------------
# Wrong types everywhere, in process: only CaseError may escape the loader

RICH = """\
id: types/rich
description: Every field of the format, for the wrong-type generator.
clauses: [run.lifo, unregister.equality]
tags: [types, rich]
versions: {min: "3.4", max: "3.14"}
exit: normal
objects:
  box: Box
handlers:
  f:
    kind: function
    body: [print_args, {print: f ran}]
  close:
    kind: method
    class: Box
    body: [print_args]
  e:
    kind: callable-object
    body: [{print: e ran}]
    eq: [print_eq, {return: not-implemented}]
  p:
    kind: builtin
    builtin: print
  s:
    body:
      - raise: ValueError
        arg: 5
        catch: true
module:
  - print: module ran
main:
  - register: f
    args: [1, "two", [3, true], ~]
    kwargs: {k: 2, name: Donny}
    print_returned: true
    catch: false
  - register: ~
    catch: true
  - register: {value: 5}
    catch: true
  - register: box.close
  - register: e
  - register: p
    args: [x]
  - unregister: box.close
    catch: true
  - on_signal: SIGUSR1
    handler: s
  - kill: SIGUSR1
  - exit: 3
    catch: true
  - thread: [{print: in thread}]
    daemon: false
    delay_ms: 1
    after_main: true
  - fork:
      - register: f
      - process: [{print: in a process}]
        start: fork
  - process: [{print: in a process}]
  - run_exitfuncs
  - clear
  - os_exit: 0
"""
WRONG = ["text", "", -1, 2 ** 64, None, True, [], ["text", [1]], {}, {"k": 1}]


class _NoAliases(yaml.CSafeDumper):
    def ignore_aliases(self, data):
        return True


def value_paths(node, prefix=()):
    """The path of every value in a document: mapping values and list items, at any depth."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, value in items:
        yield prefix + (key,)
        yield from value_paths(value, prefix + (key,))


def test_wrong_types_everywhere_are_errors_with_a_line(tmp_path):
    root = str(tmp_path / "cases")
    good_root(root, ("unregister/bound-method-equal",))
    clauses = casefile.load_clauses(os.path.join(root, "clauses.yaml"))
    with open(os.path.join(CASES, "unregister", "bound-method-equal.yaml")) as stream:
        sources = {"unregister/bound-method-equal": stream.read(), "types/rich": RICH}
    os.makedirs(os.path.join(root, "types"))
    failures, variants = [], 0
    for case_id, source in sources.items():
        path = os.path.join(root, case_id + ".yaml")
        with open(path, "w") as stream:
            stream.write(source)
        casefile.load(path, root, clauses)  # the unchanged case is valid
        document = yaml.safe_load(source)
        for where in value_paths(document):
            for wrong in WRONG:
                variant = copy.deepcopy(document)
                holder = variant
                for key in where[:-1]:
                    holder = holder[key]
                holder[where[-1]] = copy.deepcopy(wrong)
                written = yaml.dump(variant, Dumper=_NoAliases, sort_keys=False,
                                    default_flow_style=False, allow_unicode=True)
                os.remove(path)  # a new file, not a truncated one: ext4 flushes those on close
                with open(path, "w") as stream:
                    stream.write(written)
                variants += 1
                label = "%s: %s = %r" % (case_id, "/".join(map(str, where)), wrong)
                try:
                    casefile.load(path, root, clauses)
                except CaseError as error:
                    lines = written.count("\n") + 1
                    if not (error.path == path and 1 <= error.line <= lines
                            and str(error).startswith("%s:%d: " % (path, error.line))):
                        failures.append("%s: a CaseError without a usable FILE:LINE: %s"
                                        % (label, error))
                except Exception as error:  # noqa: BLE001: the point of the test
                    failures.append("%s: %s: %s"
                                    % (label, type(error).__name__, clip(str(error), 200)))
    assert variants > 500
    assert not failures, "%d of %d variants escaped the loader as another exception:\n%s" % (
        len(failures), variants, "\n".join(failures[:25]))
