"""``yaml_fast`` (libyaml's parser) composes the very nodes PyYAML's composer does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bonemets_quiz.deck import yaml_nodes
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.yaml_fast import compose_fast

TESTS = Path(__file__).parent
UNICODE = 'a: "é😀x"\nb: [ü, "😀", {c: ñ}]   # 😀\n"😀k": |\n  😀 line\n  two\nd: >-\n  f 😀\n  t\n'
EDGES = [
    "a: &x 1\nb: *x\nc: &x 2\n",  # duplicate anchor
    "a: *nowhere\n",
    "a: 1\n---\nb: 2\n",
    "a:\tb\n",
    "a: [1,\t2]\n",
    "\ta: 1\n",
    "a: b\t# tab before a comment\n",
    "x: &a [1]\n" + "".join(f"k{i}: *a\n" for i in range(20)),  # 20 aliases: the most allowed
    "x: &a [1]\n" + "".join(f"k{i}: *a\n" for i in range(21)),
    "[" * 39 + "1" + "]" * 39,  # 40 levels: the most allowed
    "[" * 40 + "1" + "]" * 40,
    "a: &r [*r]\n",
    "a: \ufffe\n",
    "",
    "# only a comment\n",
    "? [a, b]\n: c\n",
    "a: !!str 1\nb: !custom x\nc: ! y\nd: !!binary aGk=\n",
]
FILES = [
    builtin_deck_path(),
    *sorted(TESTS.glob("data/*.yaml")),
    *sorted(TESTS.glob("malformed/*")),
]


def _flat(node: Node | None, out: list[object], seen: set[int] | None = None) -> list[object]:
    """Every node's type, tag, marks, style and value, in document order (an alias: once)."""
    seen = set() if seen is None else seen
    if node is None or id(node) in seen:
        out.append(None if node is None else "alias")
        return out
    seen.add(id(node))
    start, end = node.start_mark, node.end_mark
    out.append((type(node).__name__, node.tag, start.line, start.column, end.line, end.column))
    out.append((getattr(node, "style", None), getattr(node, "flow_style", None)))
    if isinstance(node, ScalarNode):
        out.append(node.value)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            _flat(child, out, seen)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            _flat(key, out, seen)
            _flat(value, out, seen)
    return out


def _pure(text: str) -> Node | None:
    loader = yaml_nodes._BoundedLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", [UNICODE, *EDGES, *FILES], ids=lambda t: getattr(t, "name", None))
def test_libyaml_and_pyyaml_compose_the_same_nodes(text: str | Path) -> None:
    if isinstance(text, Path):
        try:
            text = text.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            pytest.skip("not UTF-8: refused before parsing")
    fast = compose_fast(text, yaml_nodes.MAX_ALIASES, yaml_nodes.MAX_DEPTH)
    try:
        pure = _pure(text)
    except yaml.YAMLError:
        assert fast is None, "libyaml must not accept what PyYAML refuses"
        return
    if fast is not None:  # else compose falls back to PyYAML itself
        assert _flat(fast[0], []) == _flat(pure, [])
