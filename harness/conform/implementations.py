"""The implementations a run checks, from the command line: the oracles (every CPython
found, Pyodide), the reference in each oracle's profile, and any --target against the
CPython of its language version. Shared by a run and by atx-conform fuzz."""

import argparse
import os
import shlex
import sys
from typing import Dict, List, Tuple, Union

from harness.conform.expectations import Expectations
from harness.conform.suite import Pairing
from harness.conform.targets import Pyodide, Python, Reference, ThirdParty
from oracle.casemodel import CAPABILITIES
from oracle.interpreters import default_oracle, discover, identify, probe_command
from oracle.yamlnodes import CaseError
from oracle import pyodide

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_RUNNER = os.path.join(REPO, "build", "release", "atx-case-runner")
DEFAULT_KNOWN_BUGS = os.path.join(REPO, "oracle", "known_bugs.yaml")


def add_implementation_options(parser: argparse.ArgumentParser) -> None:
    """The options that say what runs: the reference, the oracles, the targets."""
    parser.add_argument("--runner", default=DEFAULT_RUNNER,
                        help="the C case runner to test (default: %(default)s)")
    parser.add_argument("--reference-name", default="reference", metavar="NAME",
                        help="what the case runner's results are called, NAME-X.Y: the name "
                             "of the library it is linked with when that is not libatx "
                             "(make conformance ATX_LIB=... sets it) (default: %(default)s)")
    parser.add_argument("--oracle", choices=("default", "all"), default="all",
                        help="all: every CPython discovered, and Pyodide (3.14) when installed; "
                             "default: Debian's python3 only (else the newest CPython found) "
                             "(default: %(default)s)")
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="an extra CPython to use as an oracle (repeatable)")
    parser.add_argument("--target", action="append", default=[], metavar="NAME=COMMAND",
                        help="another Python implementation to check, as a command that runs a "
                             "script file, e.g. pypy=\"pypy3 -S -u\", or the word pyodide for "
                             "the bundled Pyodide; it is compared with the CPython of its "
                             "language version (repeatable)")
    parser.add_argument("--lacks", action="append", default=[], metavar="NAME=CAPABILITY,...",
                        help="declare what --target NAME cannot do, from: %s; cases needing it "
                             "are reported n/a, never passed (repeatable)"
                             % ", ".join(CAPABILITIES))
    parser.add_argument("--baseline", metavar="X.Y",
                        help="the CPython version --target implementations are compared with "
                             "(default: their own language version, detected by running them)")
    parser.add_argument("--expectations", action="append", default=[], metavar="FILE",
                        help="an expectation file of known divergences of one target "
                             "(see harness/conform/expectations.py; repeatable)")
    parser.add_argument("--update-expectations", metavar="FILE",
                        help="after the run, write FILE from the failures of the (single) "
                             "--target, keeping reasons already in it")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="parallel runs (default: the CPU count, %(default)s)")
    parser.add_argument("--timeout", type=float, default=30.0,
                        help="seconds before a run's process group is killed, and the time a "
                             "--target has to tell its version (default: %(default)s)")
    parser.add_argument("--known-bugs", default=DEFAULT_KNOWN_BUGS, metavar="FILE",
                        help="the known CPython bugs that kill an oracle (upstream link, "
                             "versions, cases, signal): an oracle-crash it lists is expected "
                             "(default: %(default)s)")


def runner_present(args) -> bool:
    """Whether --runner can be run; says so on stderr when not."""
    if os.access(args.runner, os.X_OK):
        return True
    print("atx-conform: the case runner %s is missing (run `make`)" % args.runner,
          file=sys.stderr)
    return False


def implementations(args) -> Tuple[List[Pairing], List[Expectations]]:
    """Every pairing of the run (the reference against each oracle, then each --target
    against its baseline) and the expectation files; SystemExit with a message when the
    command line cannot be met."""
    try:
        expectation_files = [Expectations.load(path) for path in args.expectations]
    except CaseError as error:
        raise SystemExit("atx-conform: %s" % error) from None
    chosen = oracles(args)
    pairings = [Pairing(oracle, Reference(os.path.abspath(args.runner), oracle.short_version,
                                          label=args.reference_name))
                for oracle in chosen]
    pairings += third_party(args, chosen, expectation_files)
    return pairings, expectation_files


EXPECTED_VERSIONS = ["2.7"] + ["3.%d" % minor for minor in range(6, 15)]


def oracles(args) -> List[Union[Python, Pyodide]]:
    """The oracles of this run; prints which were found and which were looked for in vain."""
    extra = []
    for path in args.python:
        found = identify(path)
        if found is None or found.implementation != "CPython":
            raise SystemExit("atx-conform: --python %s is not a CPython interpreter" % path)
        extra.append(found)
    if args.oracle == "all":
        found = discover(args.python)
    else:
        base = default_oracle()
        found = ([base] if base else []) + extra
    if not found:
        raise SystemExit("atx-conform: no CPython interpreter found (looked on PATH, "
                         "/usr/bin/python3 and $PYENV_ROOT/versions)")
    unique = {interpreter.path: interpreter for interpreter in found}
    chosen: List[Union[Python, Pyodide]] = [Python(i) for i in unique.values()]
    if args.oracle == "all":
        usable, why = pyodide.available()
        if usable:
            try:
                chosen.append(Pyodide(pyodide.PyodideOracle()))
            except RuntimeError as error:
                print("atx-conform: %s" % error, file=sys.stderr)
        else:
            print("atx-conform: no Pyodide oracle: %s" % why, file=sys.stderr)
        have = {oracle.short_version for oracle in chosen}
        missing = [version for version in EXPECTED_VERSIONS if version not in have]
        print("oracles: %s" % ", ".join(oracle.name for oracle in chosen))
        if missing:
            print("looked for and did not find: Python %s (on PATH, /usr/bin/python3, "
                  "$PYENV_ROOT/versions, node + oracle/pyodide)" % ", ".join(missing))
    return chosen


def declared_lacks(args) -> Dict[str, Tuple[str, ...]]:
    """--lacks NAME=CAP,...: each NAME a --target label, each CAP a known capability."""
    labels = [spec.partition("=")[0] for spec in args.target]
    lacks: Dict[str, Tuple[str, ...]] = {}
    for spec in args.lacks:
        label, _, names = spec.partition("=")
        wanted = tuple(name.strip() for name in names.split(",") if name.strip())
        if label not in labels:
            raise SystemExit("atx-conform: --lacks %s: no --target is named %r" % (spec, label))
        unknown = [name for name in wanted if name not in CAPABILITIES]
        if unknown or not wanted:
            raise SystemExit("atx-conform: --lacks %s: capabilities are: %s"
                             % (spec, ", ".join(CAPABILITIES)))
        lacks[label] = lacks.get(label, ()) + wanted
    return lacks


def third_party(args, chosen: List[Union[Python, Pyodide]],
                expectation_files: List[Expectations]) -> List[Pairing]:
    """A pairing per --target, with the CPython of its language version as the oracle;
    what it lacks comes from --lacks and from its expectation file."""
    lacks = declared_lacks(args)
    for listed in expectation_files:
        lacks[listed.target] = lacks.get(listed.target, ()) + listed.lacks
    pairings = []
    for spec in args.target:
        label, _, command = spec.partition("=")
        if not label or not command.strip():
            raise SystemExit("atx-conform: --target takes NAME=COMMAND, not %r" % spec)
        prefix = shlex.split(command)
        target: Union[ThirdParty, Pyodide]
        if prefix == ["pyodide"]:  # the npm package this suite installs (make pyodide)
            usable, why = pyodide.available()
            if not usable:
                raise SystemExit("atx-conform: --target %s: %s" % (label, why))
            target = Pyodide(pyodide.PyodideOracle(), label)
            version: Tuple[int, ...] = target.version
            implementation = "Pyodide"
        else:
            # bounded by --timeout: what cannot say its version in that time runs no case
            found, why = probe_command(prefix, args.timeout)
            if found is None:
                raise SystemExit("atx-conform: --target %s: %r does not run as a Python (%s)"
                                 % (label, command, why))
            version, implementation = found.version, found.implementation
            target = ThirdParty(label, prefix, found.version[:2],  # type: ignore
                                "%s %s" % (implementation, ".".join(map(str, version))),
                                lacks.get(label, ()))
        language = args.baseline or "%d.%d" % version[:2]
        baseline = [o for o in chosen if isinstance(o, Python) and o.short_version == language]
        if not baseline:
            baseline = [Python(i) for i in discover() if i.short_version == language]
        if not baseline:
            raise SystemExit("atx-conform: --target %s is Python %d.%d, and no CPython %s was "
                             "found to compare it with (--baseline X.Y picks another)"
                             % ((label,) + tuple(version[:2]) + (language,)))
        print("target %s: %s %s, compared with %s" % (
            label, implementation, ".".join(map(str, version)), baseline[0].name))
        pairings.append(Pairing(baseline[0], target))
    return pairings
