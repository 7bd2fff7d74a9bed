"""The known-bugs list: CPython bugs that kill an oracle by a signal the case does not send.

An oracle-crash (suite.py) that a listed bug explains, for that case id, a version in its
range and its signal, is an expected, documented result carrying the bug's link; any other
oracle-crash is unexpected: a new finding about CPython. The file (YAML, read by the
project's bounded reader, errors as FILE:LINE; oracle/known_bugs.yaml):

    bugs:
      gh-112127:                                  # the bug's id: any short name
        title: atexit.unregister() uses an entry freed by _clear() in an __eq__
        link: https://github.com/python/cpython/issues/112127
        versions: {min: "3.0", max: "3.13"}       # inclusive; X.Y (every X.Y.Z) or X.Y.Z
        signal: SIGSEGV
        cases: [equality/eq-clears-and-returns-true]
        note: measured here ...                   # optional
"""

import re
import signal
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from oracle.yamlnodes import CaseError, Node, Nodes

FIELDS = ("title", "link", "versions", "signal", "cases", "note")
REQUIRED = ("title", "link", "versions", "signal", "cases")
VERSION_RE = re.compile(r"[0-9]+\.[0-9]+(\.[0-9]+)?\Z")
SIGNALS = tuple(sorted(s.name for s in signal.Signals if not s.name.startswith("SIG_")))


@dataclass(frozen=True)
class KnownBug:
    id: str
    title: str
    link: str
    min_version: Optional[Tuple[int, ...]]
    max_version: Optional[Tuple[int, ...]]
    signal: str
    cases: Tuple[str, ...]
    note: str = ""

    def affects(self, version: Tuple[int, ...]) -> bool:
        """Whether version (X.Y.Z) is in the range; an X.Y bound takes in every X.Y.Z."""
        low, high = self.min_version, self.max_version
        return ((low is None or tuple(version[:len(low)]) >= low)
                and (high is None or tuple(version[:len(high)]) <= high))

    def versions_text(self) -> str:
        shown = [".".join(map(str, bound)) if bound else "" for bound in
                 (self.min_version, self.max_version)]
        return "%s-%s" % tuple(shown) if shown[0] != shown[1] else shown[0]


class KnownBugs:
    def __init__(self, path: str, bugs: List[KnownBug]) -> None:
        self.path = path
        self.bugs = bugs

    @classmethod
    def load(cls, path: str) -> "KnownBugs":
        """Reads the list; a malformed file is a CaseError naming the file and line."""
        nodes = Nodes(path)
        root = nodes.read(path)
        top = {key: (key_node, value) for key, key_node, value in
               nodes.mapping(root, "a known-bugs list")}
        for key, (key_node, _) in top.items():
            if key != "bugs":
                nodes.fail(key_node, "a known-bugs list takes one field, bugs")
        if "bugs" not in top:
            nodes.fail(root, "missing field 'bugs'")
        bugs = [_bug(nodes, bug_id, key_node, value)
                for bug_id, key_node, value in nodes.mapping(top["bugs"][1], "bugs")]
        return cls(path, bugs)

    def match(self, case_id: str, version: Tuple[int, ...], signal_name: str
              ) -> Optional[KnownBug]:
        """The first bug listed for case_id that affects version and kills by signal_name."""
        for bug in self.bugs:
            if case_id in bug.cases and bug.signal == signal_name and bug.affects(version):
                return bug
        return None


def _bug(nodes: Nodes, bug_id: str, key_node: Node, value: Node) -> KnownBug:
    what = "known bug '%s'" % bug_id
    fields: Dict[str, Tuple[Node, Node]] = {}
    for key, kn, v in nodes.mapping(value, what):
        if key not in FIELDS:
            nodes.fail(kn, "a known bug takes %s" % ", ".join(FIELDS))
        fields[key] = (kn, v)
    for key in REQUIRED:
        if key not in fields:
            nodes.fail(key_node, "%s: missing field '%s'" % (what, key))
    link = nodes.text(fields["link"][1], "link")
    if not link.startswith("https://"):
        nodes.fail(fields["link"][1], "link must be an https:// address")
    signal_name = nodes.text(fields["signal"][1], "signal")
    if signal_name not in SIGNALS:
        nodes.fail(fields["signal"][1], "signal must be a signal's name, e.g. SIGSEGV")
    cases = tuple(nodes.text(item, "a case id")
                  for item in nodes.sequence(fields["cases"][1], "cases"))
    if not cases:
        nodes.fail(fields["cases"][1], "cases must name at least one case id")
    low, high = _versions(nodes, fields["versions"][1])
    note = nodes.text(fields["note"][1], "note") if "note" in fields else ""
    return KnownBug(bug_id, nodes.text(fields["title"][1], "title"), link, low, high,
                    signal_name, cases, note)


def _versions(nodes: Nodes, node: Node) -> Tuple[Optional[Tuple[int, ...]],
                                                 Optional[Tuple[int, ...]]]:
    bounds: Dict[str, Tuple[int, ...]] = {}
    for key, key_node, value in nodes.mapping(node, "versions"):
        if key not in ("min", "max"):
            nodes.fail(key_node, "versions takes min and max")
        text = nodes.scalar(value)
        if not isinstance(text, str) or not VERSION_RE.match(text):
            nodes.fail(value, "a version is quoted X.Y or X.Y.Z text, e.g. \"3.13\"")
        bounds[key] = tuple(int(part) for part in text.split("."))
    if not bounds:
        nodes.fail(node, "versions needs min, max or both")
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None and low[:len(high)] > high[:len(low)]:
        nodes.fail(node, "versions: min is after max")
    return low, high


def load_or_fail(path: str) -> KnownBugs:
    """KnownBugs.load, for the command line: a CaseError becomes SystemExit(message)."""
    try:
        return KnownBugs.load(path)
    except CaseError as error:
        raise SystemExit("atx-conform: %s" % error) from None
