"""Safe, strict reading of YAML into located nodes, and typed reading of those nodes.

YAML is composed into nodes (never constructed into objects), so no tag can build an object, and
every value keeps the line and column it came from for error messages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import DeckError, Problem
from .file_bytes import read_deck_bytes
from .yaml_errors import syntax_problem
from .yaml_fast import compose_fast

MAX_ALIASES = 20
MAX_DEPTH = 40
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHOLE_NUMBER = re.compile(r"^[0-9]{1,6}$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_PAIR = re.compile("([\ud800-\udbff])([\udc00-\udfff])")

_YAML = "tag:yaml.org,2002:"
_PLAIN_TAGS = {
    f"{_YAML}{name}" for name in ("str", "bool", "int", "float", "null", "seq", "map", "timestamp")
}
_TYPE_WORDS = {
    f"{_YAML}bool": "a true/false value",
    f"{_YAML}int": "a number",
    f"{_YAML}float": "a number",
    f"{_YAML}null": "empty (null)",
    f"{_YAML}timestamp": "a date",
}


class _BoundedLoader(yaml.SafeLoader):
    """Composes nodes only; refuses more than ``MAX_ALIASES`` aliases or ``MAX_DEPTH`` nesting.

    A ``\\uD83D\\uDE00`` escape pair (UTF-16, as JSON writes emoji) is joined into the one
    character it encodes; a lone surrogate escape is no character at all, and its scalar is
    collected in ``broken`` for ``compose`` to report.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_count = 0
        self.depth = 0
        self.broken: list[ScalarNode] = []

    # types-PyYAML types ``anchor`` as a dict; PyYAML passes the anchor's name (or None)
    def compose_scalar_node(self, anchor: str | None) -> ScalarNode:  # type: ignore[override]
        node: ScalarNode = super().compose_scalar_node(anchor)  # type: ignore[arg-type]
        if node.style == '"' and _SURROGATE.search(node.value):  # only escapes make surrogates
            node.value = _SURROGATE_PAIR.sub(_join_pair, node.value)
            if _SURROGATE.search(node.value):
                self.broken.append(node)
        return node

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                self._refuse(f"more than {MAX_ALIASES} aliases (*name)")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._refuse(f"nested more than {MAX_DEPTH} levels deep")
        try:
            # types-PyYAML says ``index: int``; PyYAML passes a mapping value its key node
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1

    def _refuse(self, problem: str) -> None:
        mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
        raise yaml.composer.ComposerError(None, None, problem, mark)


def _join_pair(match: re.Match[str]) -> str:
    high, low = (ord(c) for c in match.groups())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def read_text(path: Path) -> str:
    """The file's text, or a DeckError saying why it cannot be read as a deck."""
    name = str(path)
    data = read_deck_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DeckError(
            [Problem(name, line, column, "not UTF-8 text", "save the deck as UTF-8 text")]
        ) from None


def compose(text: str, name: str) -> Node | None:
    """Parse YAML text into a node tree; syntax errors become located problems."""
    fast = compose_fast(text, MAX_ALIASES, MAX_DEPTH)  # libyaml, when it can
    if fast is not None:
        return fast[0]
    try:
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as exc:
        raise DeckError([_reader_problem(text, name, exc)]) from None
    try:
        root: Node | None = loader.get_single_node()
        if loader.broken:
            raise DeckError([_surrogate_problem(node, name) for node in loader.broken])
        return root
    except yaml.reader.ReaderError as exc:
        raise DeckError([_reader_problem(text, name, exc)]) from None
    except yaml.MarkedYAMLError as exc:
        raise DeckError([_marked_problem(exc, text, name)]) from None
    except yaml.YAMLError as exc:
        raise DeckError([Problem(name, 0, 0, f"YAML error: {exc}", "check the file")]) from None
    finally:
        loader.dispose()


def _marked_problem(exc: yaml.MarkedYAMLError, text: str, name: str) -> Problem:
    """Our own refusals (aliases, nesting) as they are; the parser's in a teacher's words."""
    what = str(exc.problem or "")
    if not exc.context and ("aliases" in what or "nested more than" in what):
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        hint = "write the values out instead of using anchors and aliases"
        if "nested" in what:
            hint = "a deck needs only a few levels of nesting; flatten this part"
        return Problem(name, line, column, f"YAML syntax: {what}", hint)
    return syntax_problem(exc, text, name)


def _surrogate_problem(node: ScalarNode, name: str) -> Problem:
    code = ord(_SURROGATE.search(node.value).group())  # type: ignore[union-attr]
    return Problem(
        name,
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        f"the escape \\u{code:04x} is half of a UTF-16 surrogate pair, not a character",
        "type the character itself (the file is UTF-8), or write its whole code point as "
        "\\U0001F600 (eight hex digits)",
    )


def _reader_problem(text: str, name: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML refuses (NUL, other control characters), located."""
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    code = _code(exc.character)
    what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "control character"
    return Problem(
        name,
        line,
        column,
        f"{what} U+{code:04X} is not allowed",
        "remove it; deck files are plain text",
    )


def _code(character: int | str) -> int:
    return character if isinstance(character, int) else ord(character)


@dataclass
class NodeReader:
    """Reads typed values out of nodes, collecting every problem instead of stopping."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def problem(self, node: Node | None, message: str, hint: str = "") -> None:
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (0, 0)
        self.problems.append(Problem(self.path, line, column, message, hint))

    def _tag_ok(self, node: Node) -> bool:
        if node.tag in _PLAIN_TAGS:
            return True
        self.problem(node, f"tag {node.tag!r} is not allowed", "remove the tag")
        return False

    def mapping(
        self,
        node: Node | None,
        what: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
        foreign: dict[str, str] | None = None,
    ) -> dict[str, Node] | None:
        """Keys to value nodes; reports missing, unknown and duplicate keys."""
        if node is None:
            return None  # a missing required key is reported where it is missing
        if not isinstance(node, MappingNode):
            self.problem(
                node, f"{what} must be a mapping of keys to values", "write `key: value` lines"
            )
            return None
        if not self._tag_ok(node):
            return None
        required, known = list(required), set(required) | set(optional)
        seen: dict[str, Node] = {}
        suggested: set[str] = set()  # a misspelt required key is reported once, as misspelt
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key == "<<":
                self.problem(key_node, "merge keys (<<) are not allowed", "write the keys out")
            elif not isinstance(key, str) or not isinstance(key_node, ScalarNode):
                self.problem(
                    key_node, f"a key in {what} is not plain text", "use a simple word as key"
                )
            elif key in seen:
                first = seen[key].start_mark.line + 1
                self.problem(
                    key_node,
                    f"duplicate key {key!r} in {what}",
                    f"it is already set on line {first}; keep one",
                )
            elif key not in known:
                suggested.add(self._unknown_key(key_node, key, what, known, foreign or {}))
            else:
                seen[key] = value_node
        for key in required:
            if key not in seen and key not in suggested:
                self.problem(node, f"{what} is missing the required key {key!r}", f"add `{key}: …`")
        return seen

    def _unknown_key(
        self, node: Node, key: str, what: str, known: set[str], foreign: dict[str, str]
    ) -> str:
        """Report an unknown key; returns the known key it probably meant ('' if none)."""
        if key in foreign:
            self.problem(node, f"{key!r} is not a field of {what}", foreign[key])
            return ""
        close = difflib.get_close_matches(key, sorted(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(known))}"
        self.problem(node, f"unknown key {key!r} in {what}", hint)
        return close[0] if close else ""

    def string(self, node: Node | None, what: str, allow_empty: bool = False) -> str | None:
        if node is None:
            return None
        if not self._tag_ok(node):
            return None
        if not isinstance(node, ScalarNode):
            kind = "a list" if isinstance(node, SequenceNode) else "a mapping"
            self.problem(
                node, f"{what} must be text, not {kind}", "write it as a single line of text"
            )
            return None
        if node.tag != f"{_YAML}str":
            if node.tag == f"{_YAML}null" and node.value in ("", "~", "null", "Null", "NULL"):
                self.problem(node, f"{what} is empty", "write a value, or remove the key")
                return None
            kind = _TYPE_WORDS.get(node.tag, "not text")
            self.problem(
                node,
                f"{what} `{node.value}` is read by YAML as {kind}, not text",
                f'put it in quotes: "{node.value}"',
            )
            return None
        text = " ".join(node.value.split()) if node.style in (None, ">") else node.value.strip()
        if _CONTROL.search(text):
            self.problem(
                node,
                f"{what} contains a control character",
                "remove it; deck text must be printable",
            )
            return None
        if not text and not allow_empty:
            self.problem(node, f"{what} is empty", "write a value, or remove the key")
            return None
        return text

    def string_list(self, node: Node | None, what: str, allow_scalar: bool = False) -> list[str]:
        if node is None:
            return []
        if allow_scalar and isinstance(node, ScalarNode):
            value = self.string(node, what)
            return [value] if value is not None else []
        items = self.sequence(node, what)
        return [v for v in (self.string(n, f"an item of {what}") for n in items) if v is not None]

    def sequence(self, node: Node | None, what: str) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.problem(node, f"{what} must be a list", "write each item on its own `- ` line")
            return []
        if not self._tag_ok(node):
            return []
        return list(node.value)

    def boolean(self, node: Node | None, what: str, default: bool) -> bool:
        if node is None:
            return default
        if isinstance(node, ScalarNode) and node.tag == f"{_YAML}bool":
            return node.value.lower() in ("true", "yes", "on", "y")
        self.problem(node, f"{what} must be true or false", "write `true` or `false`")
        return default

    def integer(self, node: Node | None, what: str) -> int | None:
        if node is None:
            return None
        if isinstance(node, ScalarNode) and _WHOLE_NUMBER.match(node.value):
            return int(node.value)
        self.problem(node, f"{what} must be a whole number", "write e.g. `1`")
        return None


def line_of(node: Node | None) -> int:
    return node.start_mark.line + 1 if node is not None else 0
