"""What a divergence is, for the fuzzer: its signature (what differs, with the case's own
names and numbers taken out) and the fingerprint findings are told apart by.

Two generated cases that fail the same way have one signature, whatever their handlers
are called or which texts they print; a reduced case keeps the signature of the case it
came from (reduce.py keeps only candidates that do), so a finding's fingerprint is stable
and a target's known divergences (its expectation file's cases) can be recognised."""

import hashlib
import re
from dataclasses import dataclass
from typing import List, Optional, Tuple

# A case's own names (generate.py's h1, c2, b3, m4, box1, log ...), quoted text, numbers
# and addresses vary from case to case without changing what differs.
NAMES = re.compile(r"\b(?:[hcbm][0-9]+|box[0-9]+|log|seen|AppError|Opaque)\b")
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'")
NUMBERS = re.compile(r"\b[0-9]+\b")
STATUS = re.compile(r"\[(exit -?[0-9]+|killed by [A-Z0-9]+|timed out)\]\Z")


def generic(line: str) -> str:
    """line with the case's own names, texts and numbers replaced by placeholders."""
    line = QUOTED.sub("'T'", line)
    line = NAMES.sub("N", line)
    return NUMBERS.sub("0", line)


@dataclass(frozen=True)
class Signature:
    """Where the first difference is (output, status or events) and the two sides' first
    differing lines, made generic."""
    kind: str
    oracle_line: str
    target_line: str

    def fingerprint(self, target: str) -> str:
        text = "\n".join((target, self.kind, self.oracle_line, self.target_line))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def signature(diff: str) -> Optional[Signature]:
    """The signature of a unified diff of transcripts (compare.py), or None for none."""
    minus: Optional[str] = None
    plus: Optional[str] = None
    section, kind = "output", ""
    for line in diff.split("\n")[2:]:  # after the ---/+++ header
        if line.startswith("@@") or not line:
            continue
        body = line[1:]
        if line[0] in "-+" and not kind:  # the first change: where is it?
            kind = section if not (section == "output" and STATUS.match(body)) else "status"
        if body == "[events]":
            section = "events"
        if line[0] == "-" and minus is None:
            minus = body
        elif line[0] == "+" and plus is None:
            plus = body
        if minus is not None and plus is not None:
            break
    if not kind:
        return None
    if kind == "status":  # an exit status or a signal is what differs: kept as it is
        return Signature(kind, minus or "", plus or "")
    return Signature(kind, generic(minus or ""), generic(plus or ""))


def diverging(results: List[Tuple[str, str, str]]) -> List[Tuple[str, Signature]]:
    """(oracle, signature) for each (oracle, status, diff) that failed with a diff."""
    found = []
    for oracle, status, diff in results:
        if status == "fail":
            sig = signature(diff)
            if sig is not None:
                found.append((oracle, sig))
    return found
