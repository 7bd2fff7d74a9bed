#!/usr/bin/python3
"""Generates harness/runner/unicode_printable.c: which code points str.isprintable()
accepts in each CPython 3.6-3.14, asked of the interpreters themselves.

Usage: tools/gen_unicode_printable.py [--python PATH]... [--output FILE]

Every CPython 3.6+ found (oracle/interpreters.py: Debian's python3, PATH, $PYENV_ROOT/
versions) and Pyodide (CPython 3.14 in node, when `make pyodide` installed it) prints its
printable code points as ranges. Interpreters of one minor version must agree, and every
minor of 3.6-3.14 must have one: otherwise nothing is written and the exit status is 1.
Runs on Debian's /usr/bin/python3 with the standard library only.
"""

import argparse
import bisect
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)
sys.dont_write_bytecode = True  # leaves no __pycache__ in oracle/

from oracle import interpreters, pyodide  # noqa: E402  (needs REPO on the path)

MINORS = range(6, 15)  # must match UNICODE_MINOR_FIRST/LAST in harness/runner/unicode.h
OUTPUT = os.path.join(REPO, "harness", "runner", "unicode_printable.c")
MAX_SPAN = 0xFFFF  # a row's span is a uint16_t

# Runs unchanged on CPython 3.6+ and in Pyodide: its version, its Unicode database's,
# then one line "LO HI" (hex) per range of code points c with chr(c).isprintable().
PROGRAM = r"""
import sys, unicodedata
lines = ["version %d.%d.%d" % tuple(sys.version_info[:3]), "unicode " + unicodedata.unidata_version]
start = None
for c in range(0x110001):
    printable = c < 0x110000 and chr(c).isprintable()
    if printable and start is None:
        start = c
    elif not printable and start is not None:
        lines.append("%x %x" % (start, c - 1))
        start = None
sys.stdout.write("\n".join(lines) + "\n")
"""

Ranges = List[Tuple[int, int]]


@dataclass
class Answer:
    source: str  # e.g. "CPython 3.11.2" or "Pyodide 0.28.0 (CPython 3.14.2)"
    version: Tuple[int, int, int]
    unicode: str
    ranges: Ranges


class Refused(Exception):
    """A reason not to write the table."""


def parse(source: str, output: str) -> Answer:
    """Reads PROGRAM's output; raises Refused when it is not what PROGRAM prints."""
    lines = output.splitlines()
    try:
        if not (lines[0].startswith("version ") and lines[1].startswith("unicode ")):
            raise ValueError
        version = tuple(int(part) for part in lines[0].split()[1].split("."))
        ranges = [tuple(int(part, 16) for part in line.split()) for line in lines[2:]]
    except (IndexError, ValueError):
        raise Refused("%s answered %r, not its printable ranges" % (source, output[:200])) from None
    last = -1
    for pair in ranges:
        if len(pair) != 2 or not last < pair[0] <= pair[1] <= 0x10FFFF:
            raise Refused("%s gave a malformed range %r" % (source, pair))
        last = pair[1]
    return Answer(source, version, lines[1].split()[1], ranges)  # type: ignore[arg-type]


def ask_cpython(found: interpreters.Interpreter) -> Answer:
    source = "CPython %s" % ".".join(map(str, found.version))
    done = subprocess.run([found.path] + found.isolation_flags() + ["-c", PROGRAM],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise Refused("%s (%s) failed: %s" % (source, found.path, done.stderr.strip()[-300:]))
    return parse(source, done.stdout)


def pyodide_package_version() -> str:
    path = os.path.join(pyodide.HERE, "node_modules", "pyodide", "package.json")
    with open(path, encoding="utf-8") as stream:
        return str(json.load(stream)["version"])


def ask_pyodide() -> Answer:
    oracle = pyodide.PyodideOracle()
    source = "Pyodide %s (CPython %s)" % (pyodide_package_version(),
                                         ".".join(map(str, oracle.version)))
    with tempfile.TemporaryDirectory() as folder:
        program = os.path.join(folder, "printable.py")
        with open(program, "w", encoding="utf-8") as stream:
            stream.write(PROGRAM)
        try:
            outcome = oracle.run(program, timeout=180)
        finally:
            oracle.close()
    if outcome.error or outcome.timed_out or outcome.not_applicable:
        raise Refused("%s failed: %s" % (source, outcome.error or outcome.not_applicable
                                         or "no answer"))
    return parse(source, outcome.output)


def gather(extra: Sequence[str]) -> List[Answer]:
    """Asks every CPython 3.6-3.14 found, and Pyodide when installed, in parallel."""
    paths, seen = [], set()
    for path in interpreters.candidates(extra):
        real = os.path.realpath(path)
        if real not in seen and os.access(path, os.X_OK):
            seen.add(real)
            paths.append(path)
    with ThreadPoolExecutor(max_workers=max(1, len(paths))) as pool:
        found = [f for f in pool.map(interpreters.identify, paths)
                 if f is not None and f.implementation == "CPython"
                 and f.version[0] == 3 and f.version[1] in MINORS]
        jobs = [pool.submit(ask_cpython, f) for f in found]
        if pyodide.available()[0]:
            jobs.append(pool.submit(ask_pyodide))
        else:
            print("gen_unicode_printable: no Pyodide: %s" % pyodide.available()[1], file=sys.stderr)
        return [job.result() for job in jobs]


def by_minor(answers: List[Answer]) -> Dict[int, List[Answer]]:
    """The answers of each minor; refuses when a minor is missing or two of one disagree."""
    grouped: Dict[int, List[Answer]] = {}
    for answer in answers:
        grouped.setdefault(answer.version[1], []).append(answer)
    missing = ["3.%d" % minor for minor in MINORS if minor not in grouped]
    if missing:
        raise Refused("no interpreter found for %s: the table needs every one of 3.%d-3.%d "
                      "(install with pyenv under $PYENV_ROOT/versions, or make pyodide for "
                      "3.14)" % (", ".join(missing), MINORS[0], MINORS[-1]))
    for minor, group in grouped.items():
        for other in group[1:]:
            if (other.ranges, other.unicode) != (group[0].ranges, group[0].unicode):
                raise Refused("%s and %s (both 3.%d) disagree on what is printable"
                              % (group[0].source, other.source, minor))
    return grouped


def rows(grouped: Dict[int, List[Answer]]) -> List[Tuple[int, int, int, int]]:
    """(lo, hi, first, last): lo..hi are printable in 3.first..3.last and no other minor.
    Refuses when a code point's minors are not one interval (printable, then not, then
    again): the table could not say so."""
    starts = {minor: [lo for lo, _ in grouped[minor][0].ranges] for minor in MINORS}
    ends = {minor: [hi for _, hi in grouped[minor][0].ranges] for minor in MINORS}
    cuts = sorted({0x110000} | {edge for minor in MINORS for lo, hi in grouped[minor][0].ranges
                                for edge in (lo, hi + 1)})
    result: List[Tuple[int, int, int, int]] = []
    for lo, following in zip(cuts, cuts[1:]):
        hi = following - 1
        minors = [minor for minor in MINORS
                  if bisect.bisect_right(starts[minor], lo) > 0
                  and ends[minor][bisect.bisect_right(starts[minor], lo) - 1] >= lo]
        if not minors:
            continue
        if minors != list(range(minors[0], minors[-1] + 1)):
            raise Refused("U+%04X-U+%04X is printable in %s only: not one run of versions"
                          % (lo, hi, ", ".join("3.%d" % m for m in minors)))
        first, last = minors[0], minors[-1]
        if result and result[-1][1] + 1 == lo and result[-1][2:] == (first, last) \
                and hi - result[-1][0] <= MAX_SPAN:
            result[-1] = (result[-1][0], hi, first, last)
        else:
            while hi - lo > MAX_SPAN:
                result.append((lo, lo + MAX_SPAN, first, last))
                lo += MAX_SPAN + 1
            result.append((lo, hi, first, last))
    return result


ROWS_PER_LINE = 4  # keeps the generated file within the project's 400 lines a file


def render(grouped: Dict[int, List[Answer]], table: List[Tuple[int, int, int, int]]) -> str:
    sources = []
    for minor in MINORS:
        group = grouped[minor]
        sources.append(" *   3.%-3d Unicode %-7s %s" % (minor, group[0].unicode,
                                                          ", ".join(a.source for a in group)))
    dropped = [row for row in table if row[3] != MINORS[-1]]
    if dropped:
        trend = (" * Not monotonic: %d ranges stop being printable before 3.%d (their last "
                 "is lower)." % (len(dropped), MINORS[-1]))
    else:
        trend = (" * Monotonic: no code point stops being printable from one version to the "
                 "next\n * (every row's last is %d); rows differ only in their first." % MINORS[-1])
    cells = ["R(0x%05x, 0x%05x, %d, %d)," % row for row in table]
    body = "\n".join("    " + " ".join(cells[i:i + ROWS_PER_LINE])
                     for i in range(0, len(cells), ROWS_PER_LINE))
    return TEMPLATE % {"sources": "\n".join(sources), "trend": trend, "rows": body,
                       "count": len(table), "first": MINORS[0], "last": MINORS[-1]}


TEMPLATE = """\
/* unicode_printable.c - str.isprintable() of every code point in CPython 3.%(first)d-3.%(last)d.
 * GENERATED by tools/gen_unicode_printable.py: do not edit, run it again.
 * Asked of these interpreters (chr(c).isprintable() for c in 0..0x10FFFF):
%(sources)s
%(trend)s
 * %(count)d ranges, 8 bytes each. */
#include "unicode.h"

#include <stdint.h>

_Static_assert(UNICODE_MINOR_FIRST == %(first)d && UNICODE_MINOR_LAST == %(last)d,
               "unicode.h's minors differ from the ones this table was generated for");

struct printable_range {
    uint32_t lo;          /* its first code point */
    uint16_t span;        /* its last code point - lo */
    uint8_t first, last;  /* printable in CPython 3.first ... 3.last, in no other */
};

#define R(lo_, hi_, first_, last_) \\
    { .lo = (lo_), .span = (hi_) - (lo_), .first = (first_), .last = (last_) }

/* Sorted, disjoint; a code point in no range is printable in no version. */
static const struct printable_range ranges[] = {
%(rows)s
};

#undef R

int unicode_isprintable(unsigned long code_point, int minor)
{
    size_t low = 0, high = sizeof ranges / sizeof ranges[0];
    const struct printable_range *r;
    if (minor < UNICODE_MINOR_FIRST)
        minor = UNICODE_MINOR_FIRST;
    if (minor > UNICODE_MINOR_LAST)
        minor = UNICODE_MINOR_LAST;
    while (low < high) { /* the first range starting after code_point */
        size_t middle = low + (high - low) / 2;
        if (ranges[middle].lo <= code_point)
            low = middle + 1;
        else
            high = middle;
    }
    if (low == 0)
        return 0;
    r = &ranges[low - 1];
    return code_point - r->lo <= r->span && minor >= r->first && minor <= r->last;
}
"""


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="another interpreter to ask (also searched: Debian's, PATH, pyenv)")
    parser.add_argument("--output", default=OUTPUT, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        grouped = by_minor(gather(args.python))
        table = rows(grouped)
    except (Refused, subprocess.TimeoutExpired, RuntimeError, OSError) as error:
        print("gen_unicode_printable: not written: %s" % error, file=sys.stderr)
        return 1
    text = render(grouped, table)
    temporary = args.output + ".tmp"
    with open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, args.output)
    print("gen_unicode_printable: %s: %d ranges from %d interpreters"
          % (args.output, len(table), sum(len(g) for g in grouped.values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
