"""Reading a YAML file of the project (a case, the clause catalogue, an expectation file)
into a small tree of nodes with line numbers, bounded in size, depth and time.

The file is checked before libyaml sees it (a regular file, at most MAX_BYTES, UTF-8,
lines of at most MAX_LINE characters, only the characters YAML allows), then composed
from libyaml's event stream by a loop, not by recursion, so that no input can exhaust
the stack, and stopped at the first node past MAX_DEPTH or MAX_NODES. Anchors, aliases
and tags are rejected (a case has no use for them, and an alias bomb never expands), and
so is a second document. Plain scalars are typed by the case format's own rule
(cases/README.md, "Scalars and values"), not by YAML 1.1's resolver.
"""

import errno
import os
import re
import stat
from typing import Any, Dict, List, NoReturn, Optional, Tuple, Union

import yaml

MAX_BYTES = 1 << 20
MAX_LINE = 4096
MAX_DEPTH = 100
MAX_NODES = 10000
MAX_INT_DIGITS = 19  # 2**63 has 19 digits: longer texts are not converted at all
INT_RE = re.compile(r"-?[0-9]+\Z")
# What YAML 1.1 allows in a stream (c-printable), tab and line breaks included.
NOT_PRINTABLE_RE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class CaseError(Exception):
    """A malformed file: FILE:LINE: MESSAGE (lines count from 1)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__("%s:%d: %s" % (path, line, message))
        self.path = path
        self.line = line
        self.message = message


class Scalar:
    __slots__ = ("value", "plain", "line")

    def __init__(self, value: str, plain: bool, line: int) -> None:
        self.value = value
        self.plain = plain  # unquoted: typed by the format's rule
        self.line = line


class Sequence:
    __slots__ = ("items", "line")

    def __init__(self, line: int) -> None:
        self.items: List["Node"] = []
        self.line = line


class Mapping:
    __slots__ = ("pairs", "line")

    def __init__(self, line: int) -> None:
        self.pairs: List[Tuple["Node", "Node"]] = []
        self.line = line


Node = Union[Scalar, Sequence, Mapping]


def visible(text: str) -> str:
    """text for a one-line message: control characters and other unprintables escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def read_text(path: str) -> str:
    """The text of the file at path: a regular file (not a symlink, FIFO or device), at
    most MAX_BYTES, valid UTF-8, lines of at most MAX_LINE characters, only characters
    YAML allows. Raises CaseError otherwise, without reading more than MAX_BYTES + 1."""
    shown = visible(path)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise CaseError(shown, 1, "a symlink: case files are regular files "
                                      "(their id is their own path)")
        if not stat.S_ISREG(info.st_mode):
            raise CaseError(shown, 1, "not a regular file")
        # O_NONBLOCK: a FIFO put in its place since the check cannot block the run
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        why = "a symlink" if error.errno == errno.ELOOP else error.strerror
        raise CaseError(shown, 1, "cannot read: %s" % why) from None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CaseError(shown, 1, "not a regular file")
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CaseError(shown, 1, "the file is larger than %d KiB" % (MAX_BYTES >> 10))
    return check_text(shown, data)


def check_text(path: str, data: bytes) -> str:
    """data decoded, or a CaseError at the line of the first thing YAML cannot hold."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CaseError(path, data.count(b"\n", 0, error.start) + 1,
                        "not UTF-8 text (byte 0x%02x)" % data[error.start]) from None
    bad = NOT_PRINTABLE_RE.search(text)
    if bad is not None:
        raise CaseError(path, text.count("\n", 0, bad.start()) + 1,
                        "character U+%04X is not allowed (use an escape in double quotes)"
                        % ord(bad.group()))
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE:
            raise CaseError(path, number, "a line longer than %d characters" % MAX_LINE)
    return text


def compose(path: str, text: str) -> Node:
    """The one document of text as a node tree; CaseError on anything the format lacks."""
    stack: List[Union[Sequence, Mapping]] = []
    pending_key: List[Optional[Node]] = []  # per open mapping: a key waiting for its value
    root: Optional[Node] = None
    documents = nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):  # libyaml
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise CaseError(path, line, "a file holds one YAML document")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise CaseError(path, line, "aliases (*%s) are not allowed" % event.anchor)
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                done = stack.pop()
                pending_key.pop()
                node: Node = done
            elif isinstance(event, yaml.NodeEvent):
                if event.anchor is not None:
                    raise CaseError(path, line, "anchors (&%s) are not allowed" % event.anchor)
                if event.tag is not None:
                    raise CaseError(path, line, "tags (%s) are not allowed" % event.tag)
                nodes += 1
                if nodes > MAX_NODES:
                    raise CaseError(path, line, "more than %d YAML nodes" % MAX_NODES)
                if isinstance(event, yaml.ScalarEvent):
                    node = Scalar(event.value, not event.style, line)
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise CaseError(path, line, "nested more than %d levels deep" % MAX_DEPTH)
                    stack.append(Sequence(line) if isinstance(event, yaml.SequenceStartEvent)
                                 else Mapping(line))
                    pending_key.append(None)
                    continue
            else:
                continue
            if not stack:
                root = node
            elif isinstance(stack[-1], Sequence):
                stack[-1].items.append(node)
            elif pending_key[-1] is None:
                pending_key[-1] = node
            else:
                stack[-1].pairs.append((pending_key[-1], node))
                pending_key[-1] = None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise CaseError(path, mark.line + 1 if mark is not None else 1,
                        "YAML syntax error: %s" % problem) from None
    if root is None:
        raise CaseError(path, 1, "the file is empty")
    return root


class Nodes:
    """Typed access to the nodes of one file; every failure is a CaseError."""

    def __init__(self, path: str) -> None:
        self.path = visible(path)

    def fail(self, node: Optional[Node], message: str, line: int = 0) -> NoReturn:
        raise CaseError(self.path, node.line if node is not None else line, message)

    def read(self, path: str) -> Node:
        """The root node of the file at path."""
        return compose(self.path, read_text(path))

    def mapping(self, node: Node, what: str) -> List[Tuple[str, Scalar, Node]]:
        """(key, key node, value node) in file order; keys are unique text."""
        if not isinstance(node, Mapping):
            self.fail(node, "%s must be a mapping" % what)
        seen: Dict[str, int] = {}
        items = []
        for key_node, value_node in node.pairs:
            if not isinstance(key_node, Scalar):
                self.fail(key_node, "%s: keys must be names" % what)
            key = key_node.value
            if key in seen:
                self.fail(key_node, "%s: duplicate key '%s'" % (what, visible(key)))
            seen[key] = 1
            items.append((key, key_node, value_node))
        return items

    def sequence(self, node: Node, what: str) -> List[Node]:
        if not isinstance(node, Sequence):
            self.fail(node, "%s must be a list" % what)
        return node.items

    def scalar(self, node: Node) -> Any:
        """The format's scalar rule: plain true/false, null/~/nothing, -?[0-9]+ (in 64
        bits), else text: any Unicode but NUL (quoted text may use YAML's escapes)."""
        if not isinstance(node, Scalar):
            self.fail(node, "expected a single value, not a %s" % (
                "list" if isinstance(node, Sequence) else "mapping"))
        text = node.value
        if node.plain:
            if text in ("true", "false"):
                return text == "true"
            if text in ("null", "~", ""):
                return None
            if INT_RE.match(text):
                digits = text.lstrip("-").lstrip("0")
                if len(digits) > MAX_INT_DIGITS or not -2 ** 63 <= int(text) < 2 ** 63:
                    self.fail(node, "integers must fit in 64 bits")
                return int(text)
        if "\0" in text:
            self.fail(node, "text cannot hold NUL (U+0000)")
        return text

    def is_null(self, node: Node) -> bool:
        """A plain null scalar (null, ~ or nothing)."""
        return isinstance(node, Scalar) and node.plain and self.scalar(node) is None

    def text(self, node: Node, what: str) -> str:
        value = self.scalar(node)
        if not isinstance(value, str) or value == "":
            self.fail(node, "%s must be non-empty text" % what)
        return value

    def boolean(self, node: Node, what: str) -> bool:
        value = self.scalar(node)
        if not isinstance(value, bool):
            self.fail(node, "%s must be true or false" % what)
        return value
