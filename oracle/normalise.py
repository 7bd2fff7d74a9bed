"""Normalising output: only what is not behaviour (design.md, "Oracle hygiene").

Memory addresses become 0xADDR; traceback frame lines ("  File ...", and the
source and caret lines indented under them, and "  [Previous line repeated N
more times]", which counts frames) are dropped. Everything else, header lines,
exception types and messages, order, is kept exactly.
"""

import re

ADDRESS_RE = re.compile(r"0x[0-9a-fA-F]+")
FRAME_RE = re.compile(r'  File "[^"]*", line \d+')
REPEATED_RE = re.compile(r"  \[Previous line repeated \d+ more times?\]\Z")


def normalise(text: str) -> str:
    kept = []
    in_frame = False
    for line in text.split("\n"):
        if FRAME_RE.match(line):
            in_frame = True
            continue
        if in_frame and line.startswith("    ") or REPEATED_RE.match(line):
            continue
        in_frame = False
        kept.append(ADDRESS_RE.sub("0xADDR", line))
    return "\n".join(kept)
