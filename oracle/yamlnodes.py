"""Reading a case file's YAML node tree with line numbers (python3-yaml, on libyaml).

Plain scalars are typed by the case format's own rule (cases/README.md,
"Scalars"), not by PyYAML's resolver, so that the C loader (libyaml, which
resolves nothing) reads every file the same way.
"""

import re
from typing import Any, Dict, List, NoReturn, Optional, Tuple

import yaml

INT_RE = re.compile(r"-?[0-9]+\Z")
SAFE_TEXT_RE = re.compile(r"[ -~]*\Z")


class CaseError(Exception):
    """A malformed case file: FILE:LINE: MESSAGE (lines count from 1)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__("%s:%d: %s" % (path, line, message))
        self.path = path
        self.line = line
        self.message = message


class Nodes:
    """Typed access to the nodes of one file; every failure is a CaseError."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Optional[yaml.Node], message: str, line: int = 0) -> NoReturn:
        if node is not None:
            line = node.start_mark.line + 1
        raise CaseError(self.path, line, message)

    def compose(self, text: str) -> yaml.Node:
        try:
            root = yaml.compose(text, Loader=yaml.CSafeLoader)  # libyaml, as the C loader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else 1
            raise CaseError(self.path, line, "YAML syntax error: %s" % error.problem) from None
        if root is None:
            self.fail(None, "the file is empty", 1)
        return root

    def mapping(self, node: yaml.Node, what: str) -> List[Tuple[str, yaml.Node, yaml.Node]]:
        """(key, key node, value node) in file order; keys are unique strings."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "%s must be a mapping" % what)
        seen: Dict[str, int] = {}
        items = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "%s: keys must be names" % what)
            key = str(key_node.value)
            if key in seen:
                self.fail(key_node, "%s: duplicate key '%s'" % (what, key))
            seen[key] = 1
            items.append((key, key_node, value_node))
        return items

    def sequence(self, node: yaml.Node, what: str) -> List[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, "%s must be a list" % what)
        return list(node.value)

    def scalar(self, node: yaml.Node) -> Any:
        """The format's scalar rule: true/false, null/~, -?[0-9]+ or text.

        Tags are ignored (libyaml cannot tell an explicit tag from a
        resolved one), so only the quoting style and the text count."""
        if not isinstance(node, yaml.ScalarNode):
            self.fail(node, "expected a single value, not a %s" % (
                "list" if isinstance(node, yaml.SequenceNode) else "mapping"))
        text = node.value
        if not node.style:  # plain: libyaml's style is "", PyYAML's own parser's None
            if text in ("true", "false"):
                return text == "true"
            if text in ("null", "~", ""):
                return None
            if INT_RE.match(text):
                if not -2 ** 63 <= int(text) < 2 ** 63:
                    self.fail(node, "integers must fit in 64 bits")
                return int(text)
        if not SAFE_TEXT_RE.match(text):
            self.fail(node, "text must be printable ASCII (use quotes and no escapes)")
        return text

    def is_null(self, node: yaml.Node) -> bool:
        """A plain null scalar (null, ~ or nothing)."""
        return isinstance(node, yaml.ScalarNode) and not node.style \
            and self.scalar(node) is None

    def text(self, node: yaml.Node, what: str) -> str:
        value = self.scalar(node)
        if not isinstance(value, str) or value == "":
            self.fail(node, "%s must be non-empty text" % what)
        return value

    def boolean(self, node: yaml.Node, what: str) -> bool:
        value = self.scalar(node)
        if not isinstance(value, bool):
            self.fail(node, "%s must be true or false" % what)
        return value

    def value(self, node: yaml.Node, what: str) -> Any:
        """A data value: a scalar or a list of values."""
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, what) for item in node.value]
        if isinstance(node, yaml.MappingNode):
            self.fail(node, "%s: a value is a scalar or a list" % what)
        return self.scalar(node)

