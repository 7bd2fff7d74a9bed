"""harness/runner/unicode.c against the real interpreters: str.isprintable() of every code
point and repr() of strings in each CPython 3.x found (and Pyodide's 3.14), repr() of byte
strings in 2.7, UTF-8 decoding against Python's strict decoder. Nothing expected is written
here: every answer comes from an interpreter."""
import binascii
import bisect
import os
import random
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List, Tuple

import pytest

from harness.tests.support import REPO
from oracle import interpreters, pyodide

RUNNER_SRC = os.path.join(REPO, "harness", "runner")
WARNINGS = ["-std=c11", "-Wall", "-Wextra", "-pedantic", "-Wshadow", "-Wconversion",
            "-Wstrict-prototypes", "-Wmissing-prototypes", "-Wwrite-strings", "-Wvla", "-Werror"]
MINORS = range(6, 15)  # unicode.h's UNICODE_MINOR_FIRST..LAST

# Reads one request a line, answers each on stdout (hex is of the bytes):
#   P MINOR        the printable ranges "lo hi" (hex) of 0..0x10FFFF in 3.MINOR, then "."
#   Q CP MINOR     unicode_isprintable(CP (hex), MINOR)
#   S MINOR HEX    py3_repr_str of the bytes, as hex
#   B HEX          py2_repr_bytes of the bytes, as hex
#   U HEX          utf8_decode of the bytes: "N CP" (hex) or "0"
# Each input sits in a buffer of its exact length, so ASan sees any read past it.
DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "unicode.h"

static char *unhex(const char *h, size_t *len)
{
    size_t n = 0, i;
    char *out;
    while ((h[n] >= '0' && h[n] <= '9') || (h[n] >= 'a' && h[n] <= 'f'))
        n++;
    *len = n / 2;
    out = malloc(*len > 0 ? *len : 1);
    if (out == NULL)
        exit(3);
    for (i = 0; i < *len; i++) {
        char pair[3] = {h[2 * i], h[2 * i + 1], '\0'};
        out[i] = (char)strtoul(pair, NULL, 16);
    }
    return out;
}

static void put_hex(const text *t)
{
    size_t i;
    for (i = 0; i < t->len; i++)
        printf("%02x", (unsigned)(unsigned char)t->data[i]);
    putchar('\n');
}

int main(void)
{
    char *line = NULL, *rest;
    size_t cap = 0, len;
    while (getline(&line, &cap, stdin) > 0) {
        text t = {NULL, 0, 0};
        char *bytes;
        if (line[0] == 'P') {
            int minor = (int)strtol(line + 2, NULL, 10), inside = 0;
            unsigned long c, start = 0;
            for (c = 0; c <= 0x110000; c++) {
                int p = c < 0x110000 && unicode_isprintable(c, minor);
                if (p && !inside)
                    start = c, inside = 1;
                else if (!p && inside)
                    printf("%lx %lx\n", start, c - 1), inside = 0;
            }
            puts(".");
        } else if (line[0] == 'Q') {
            unsigned long c = strtoul(line + 2, &rest, 16);
            printf("%d\n", unicode_isprintable(c, (int)strtol(rest, NULL, 10)));
        } else if (line[0] == 'S') {
            int minor = (int)strtol(line + 2, &rest, 10);
            bytes = unhex(rest + 1, &len);
            py3_repr_str(&t, bytes, len, minor);
            put_hex(&t);
            free(bytes);
        } else if (line[0] == 'B') {
            bytes = unhex(line + 2, &len);
            py2_repr_bytes(&t, bytes, len);
            put_hex(&t);
            free(bytes);
        } else if (line[0] == 'U') {
            unsigned long c = 0;
            size_t n;
            bytes = unhex(line + 2, &len);
            n = utf8_decode(bytes, len, &c);
            if (n == 0)
                puts("0");
            else
                printf("%zu %lx\n", n, c);
            free(bytes);
        }
        text_free(&t);
    }
    free(line);
    return 0;
}
"""

# Runs unchanged on 2.7, 3.6+ and in Pyodide (where asking each code point alone takes a
# second: hence the blocks). 3.x: "R lo hi" per printable range, then
# "S hex" per STR_CASES item (repr of its bytes decoded with surrogateescape); 2.7:
# "S hex" per BYTE_CASES item (repr of the byte string).
PROBE = r"""
from __future__ import print_function
import binascii, sys
STR_CASES = %(str_cases)r
BYTE_CASES = %(byte_cases)r
lines = []
if sys.version_info[0] == 2:
    for case in BYTE_CASES:
        lines.append("S " + binascii.hexlify(repr(binascii.unhexlify(case))))
else:
    printable = []  # a block of 256 is all printable, or (from 0x100) all escaped by repr
    for base in range(0, 0x110000, 256):
        block = "".join(map(chr, range(base, base + 256)))
        if block.isprintable():
            printable.append((base, base + 255))
        elif base < 0x100 or len(repr(block)) != 2 + (6 if base < 0x10000 else 10) * 256:
            printable.extend((c, c) for c in range(base, base + 256) if chr(c).isprintable())
    for lo, hi in printable:
        if lines and int(lines[-1].split()[2], 16) == lo - 1:
            lines[-1] = "R %%s %%x" %% (lines[-1].split()[1], hi)
        else:
            lines.append("R %%x %%x" %% (lo, hi))
    for case in STR_CASES:
        text = binascii.unhexlify(case).decode("utf-8", "surrogateescape")
        lines.append("S " + binascii.hexlify(repr(text).encode("utf-8")).decode("ascii"))
sys.stdout.write("\n".join(lines) + "\n")
"""

# Code points that hit a rule or a change between Unicode 9.0 and 16.0: C0 and C1
# controls, spaces and separators (Z), format characters (Cf), private use, noncharacters,
# combining marks, assigned within 9.0-16.0 (U+1F6D5 in 12.0, U+20C0 in 14.0, U+1FAE8 in 15.0,
# U+1CC00 in 16.0; U+0890 in 14.0 as a format character), unassigned (U+0378), the CJK
# extensions added in 13.0-15.1, the last code points.
NAMED = ([0x80, 0x85, 0x9F, 0xA0, 0xA1, 0xAD, 0xB5, 0xFF, 0x100, 0x300, 0x301, 0x34F, 0x378,
          0x37F, 0x600, 0x61C, 0x6DD, 0x70F, 0x890, 0x8E2, 0x1680, 0x180E, 0x200B, 0x200C,
          0x200D, 0x200E, 0x2028, 0x2029, 0x202A, 0x202F, 0x205F, 0x2060, 0x2066, 0x2069,
          0x20C0, 0x3000, 0xD7FF, 0xE000, 0xF8FF, 0xFDD0, 0xFEFF, 0xFFF9, 0xFFFC, 0xFFFD,
          0xFFFE, 0xFFFF, 0x10000, 0x110BD, 0x1BCA0, 0x1CC00, 0x1D173, 0x1F3FB, 0x1F600,
          0x1F6D5, 0x1F9FF, 0x1FA70, 0x1FAE8, 0x20000, 0x2A6D7, 0x2A6DF, 0x2EBF0, 0x30000,
          0x31350, 0xE0001, 0xE0020, 0xE007F, 0xE0100, 0xF0000, 0xFFFFD, 0x10FFFD, 0x10FFFF]
         + list(range(0x80, 0xA0)))
TEXTS = ["", "'", '"', "'\"", "\"'", "it's", 'say "hi"', "it's \"x\"", "\\", "\\'", '\\"',
         "\\\\", "'\\'", "''", '""', "a'b'c", "\t\n\r", "\x00\x07\x1b\x7f", "e\u0301",
         "\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F1EB\U0001F1F7", "\u00e9t\u00e9",
         "\u65e5\u672c\u8a9e", "\u05e9\u05dc\u05d5\u05dd",
         "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
         "a\u00a0b\u00adc\u2028d\ufeffe", "'\x00\x7f\x80\xa0\uffff\U0010ffff\"", "x" * 200 + "'"]
INVALID_UTF8 = [b"\xff", b"a\x80b", b"\xe0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                b"\xc0\xaf", b"\xe2\x82", b"\xf0\x9f\x98", b"'\xff\"", b"x\xc3",
                b"\xf8\x88\x80\x80\x80"]


def found_targets() -> List[Tuple[str, object]]:
    """(name, interpreter) for every distinct CPython found by oracle/interpreters.py
    (all of them, not one per version: two builds of 3.11 are both tested), then Pyodide."""
    paths, seen = [], set()
    for path in interpreters.candidates():
        if os.path.realpath(path) not in seen and os.access(path, os.X_OK):
            seen.add(os.path.realpath(path))
            paths.append(path)
    with ThreadPoolExecutor(max_workers=max(1, len(paths))) as pool:
        found = [f for f in pool.map(interpreters.identify, paths)
                 if f is not None and f.implementation == "CPython"
                 and (f.version[:2] == (2, 7) or (f.version[0] == 3 and f.version[1] in MINORS))]
    targets: List[Tuple[str, object]] = [(f.name, f)
                                         for f in sorted(found, key=lambda f: f.version)]
    if pyodide.available()[0]:
        oracle = pyodide.PyodideOracle()
        targets.append((oracle.name, oracle))
    return targets


TARGETS = found_targets()
PY3 = [name for name, target in TARGETS if target.version[0] == 3]  # type: ignore[attr-defined]
PY2 = [name for name, target in TARGETS if target.version[0] == 2]  # type: ignore[attr-defined]


def minor_of(name: str) -> int:
    return dict(TARGETS)[name].version[1]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    """The driver linked with unicode.c, unicode_printable.c and text.c, all compiled with
    the project's warnings as errors, under ASan and UBSan when the compiler has them."""
    folder = tmp_path_factory.mktemp("unicode")
    (folder / "driver.c").write_text(DRIVER)
    sources = [str(folder / "driver.c")] + [os.path.join(RUNNER_SRC, name) for name in
                                            ("unicode.c", "unicode_printable.c", "text.c")]
    base = ["cc"] + WARNINGS + ["-O1", "-g", "-D_XOPEN_SOURCE=700", "-I", RUNNER_SRC, "-o",
                                str(folder / "driver")] + sources
    sanitized = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all"]
    done = subprocess.run(base + sanitized, capture_output=True, text=True, check=False)
    if done.returncode != 0:  # perhaps no sanitizer runtime here: a plain build
        done = subprocess.run(base, capture_output=True, text=True, check=False)
        assert done.returncode == 0, "the C files do not compile cleanly:\n" + done.stderr
    return str(folder / "driver")


def ask_driver(driver: str, requests: List[str]) -> List[str]:
    done = subprocess.run([driver], input="\n".join(requests) + "\n", capture_output=True,
                          text=True, check=False,
                          env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0"))
    assert done.returncode == 0 and not done.stderr, done.stderr[-3000:]
    return done.stdout.splitlines()


def parse_ranges(lines: List[str]) -> List[Tuple[int, int]]:
    return [tuple(int(part, 16) for part in line.split()) for line in lines]  # type: ignore


@pytest.fixture(scope="module")
def table(driver) -> Dict[int, List[Tuple[int, int]]]:
    """The C table's printable ranges for each minor."""
    lines = ask_driver(driver, ["P %d" % minor for minor in MINORS])
    answers, current = {}, []  # type: Dict[int, List[Tuple[int, int]]], List[str]
    for line in lines:
        if line == ".":
            answers[MINORS[len(answers)]] = parse_ranges(current)
            current = []
        else:
            current.append(line)
    return answers


@pytest.fixture(scope="module")
def cases(table) -> Dict[str, List[bytes]]:
    """The inputs: NAMED and TEXTS, each code point alone and between quotes, every ASCII
    character, the first and last code point of every range that some version lacks,
    random text, invalid UTF-8; for 2.7 every byte value and the same texts' UTF-8."""
    oldest = table[MINORS[0]]
    starts = [lo for lo, _ in oldest]

    def in_oldest(c: int) -> bool:
        at = bisect.bisect_right(starts, c) - 1
        return at >= 0 and c <= oldest[at][1]

    points = set(NAMED) | {c for minor in MINORS[1:] for lo, hi in table[minor]
                           for c in (lo, hi, lo - 1, hi + 1) if not in_oldest(c)}
    points.discard(0x110000)
    points = {c for c in points if not 0xD800 <= c <= 0xDFFF}
    texts = list(TEXTS) + [chr(c) for c in range(128)] + ["a%sz" % chr(c) for c in range(128)]
    texts += [chr(c) for c in sorted(points)] + ["'%s\"" % chr(c) for c in sorted(set(NAMED))]
    rng = random.Random(3)
    for _ in range(150):
        texts.append("".join(chr(rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0, 0xD800),
                                             rng.randrange(0xE000, 0x10000),
                                             rng.randrange(0x10000, 0x110000)]))
                             for _ in range(rng.randrange(1, 7))))
    str_cases = [text.encode("utf-8") for text in texts] + INVALID_UTF8
    byte_cases = [bytes([b]) for b in range(256)] + [b"a" + bytes([b]) + b"z" for b in range(256)]
    byte_cases += [text.encode("utf-8") for text in TEXTS] + INVALID_UTF8
    return {"str": str_cases, "bytes": byte_cases}


@pytest.fixture(scope="module")
def truth(cases) -> Dict[str, List[str]]:
    """Each target's PROBE output lines, all asked in parallel (Pyodide's load is the longest)."""
    source = PROBE % {"str_cases": [binascii.hexlify(c).decode("ascii") for c in cases["str"]],
                      "byte_cases": [binascii.hexlify(c).decode("ascii") for c in cases["bytes"]]}
    with tempfile.TemporaryDirectory() as folder:
        program = os.path.join(folder, "probe.py")
        with open(program, "w", encoding="utf-8") as stream:
            stream.write(source)

        def ask(target) -> List[str]:
            if isinstance(target, pyodide.PyodideOracle):
                try:
                    outcome = target.run(program, timeout=120)
                finally:
                    target.close()
                assert not (outcome.error or outcome.timed_out), outcome.error or "timed out"
                return outcome.output.splitlines()
            done = subprocess.run(target.command(program), capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=120, check=False)
            assert done.returncode == 0, done.stderr
            return done.stdout.splitlines()

        with ThreadPoolExecutor(max_workers=max(1, len(TARGETS))) as pool:
            answers = dict(zip([name for name, _ in TARGETS],
                               pool.map(ask, [target for _, target in TARGETS])))
    return answers


def differences(ours: List[Tuple[int, int]], theirs: List[Tuple[int, int]]) -> str:
    def points(ranges):
        return {c for lo, hi in ranges for c in range(lo, hi + 1)}
    extra, missing = sorted(points(ours) - points(theirs)), sorted(points(theirs) - points(ours))
    return ("the table says printable, the interpreter not: %s; the interpreter says printable, "
            "the table not: %s" % (" ".join("U+%04X" % c for c in extra[:20]),
                                   " ".join("U+%04X" % c for c in missing[:20])))


@pytest.mark.parametrize("name", PY3)
def test_printable_set_is_the_interpreters(table, truth, name):
    theirs = parse_ranges([line[2:] for line in truth[name] if line.startswith("R ")])
    ours = table[minor_of(name)]
    assert ours == theirs, differences(ours, theirs)


@pytest.mark.parametrize("name", PY3)
def test_str_repr_is_the_interpreters(driver, cases, truth, name):
    minor = minor_of(name)
    theirs = [line[2:] for line in truth[name] if line.startswith("S ")]
    ours = ask_driver(driver, ["S %d %s" % (minor, binascii.hexlify(case).decode("ascii"))
                               for case in cases["str"]])
    assert len(theirs) == len(ours) == len(cases["str"])
    wrong = ["%r: %s says %s, the runner %s" % (case, name, bytes.fromhex(t).decode("utf-8"),
                                                bytes.fromhex(o).decode("utf-8"))
             for case, t, o in zip(cases["str"], theirs, ours) if t != o]
    assert not wrong, "%d of %d differ:\n%s" % (len(wrong), len(ours), "\n".join(wrong[:30]))


@pytest.mark.parametrize("name", PY2)
def test_bytes_repr_is_python27s(driver, cases, truth, name):
    theirs = [line[2:] for line in truth[name] if line.startswith("S ")]
    ours = ask_driver(driver, ["B %s" % binascii.hexlify(case).decode("ascii")
                               for case in cases["bytes"]])
    assert len(theirs) == len(ours) == len(cases["bytes"])
    wrong = ["%r: 2.7 says %s, the runner %s" % (case, bytes.fromhex(t), bytes.fromhex(o))
             for case, t, o in zip(cases["bytes"], theirs, ours) if t != o]
    assert not wrong, "%d of %d differ:\n%s" % (len(wrong), len(ours), "\n".join(wrong[:30]))


def strict_decode(sequence: bytes) -> str:
    """What Python's strict UTF-8 decoder takes from the start of sequence: "N CP" or "0"."""
    for n in range(1, min(4, len(sequence)) + 1):
        try:
            decoded = sequence[:n].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return "%d %x" % (n, ord(decoded))
    return "0"


def test_utf8_decode_is_pythons_strict_decoder(driver):
    # every sequence of 1 or 2 bytes; 3 and 4 bytes for every lead and second byte with
    # third and fourth bytes at and around the continuation range's edges
    edges = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
    sequences = [b""] + [bytes([a]) for a in range(256)]
    sequences += [bytes([a, b]) for a in range(256) for b in range(256)]
    sequences += [bytes([a, b, c]) for a in range(0xE0, 0xF0) for b in range(256) for c in edges]
    sequences += [bytes([a, b, c, d]) for a in range(0xF0, 0xF8) for b in range(256)
                  for c in (0x41, 0x80, 0xBF) for d in (0x41, 0x80, 0xBF, 0xC0)]
    ours = ask_driver(driver, ["U " + binascii.hexlify(s).decode("ascii") for s in sequences])
    wrong = ["%r: Python %s, the runner %s" % (s, strict_decode(s), o)
             for s, o in zip(sequences, ours) if strict_decode(s) != o]
    assert len(ours) == len(sequences) and not wrong, "\n".join(wrong[:30])


def test_a_minor_outside_the_table_is_answered_as_the_nearest(table, driver):
    lines = ask_driver(driver, ["P 5", "P 15"])
    assert parse_ranges(lines[:lines.index(".")]) == table[MINORS[0]]
    assert parse_ranges(lines[lines.index(".") + 1:-1]) == table[MINORS[-1]]


def test_a_code_point_past_unicode_is_never_printable(driver):
    assert ask_driver(driver, ["Q 110000 14", "Q ffffffff 6", "Q 7fffffff 14"]) == ["0"] * 3

