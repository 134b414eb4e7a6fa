"""libyaml's parser (the fast path of ``yaml_nodes.compose``) gives the very nodes PyYAML gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bonemets_quiz import yaml_nodes
from bonemets_quiz.deck_loader import builtin_deck_path

TESTS = Path(__file__).parent
UNICODE = 'a: "é😀x"\nb: [ü, "😀", {c: ñ}]   # 😀\n"😀k": |\n  😀 line\n  two\nd: >-\n  f 😀\n  t\n'
FILES = [
    builtin_deck_path(),
    *sorted(TESTS.glob("data/*.yaml")),
    *sorted(TESTS.glob("malformed/*")),
]


def _flat(node: Node | None, out: list[object]) -> list[object]:
    """Every node's type, tag, marks, style and value, in document order."""
    if node is None:
        return [*out, None]
    start, end = node.start_mark, node.end_mark
    out.append((type(node).__name__, node.tag, start.line, start.column, end.line, end.column))
    out.append((getattr(node, "style", None), getattr(node, "flow_style", None)))
    if isinstance(node, ScalarNode):
        out.append(node.value)
    elif isinstance(node, SequenceNode):
        for child in node.value:
            _flat(child, out)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            _flat(key, out)
            _flat(value, out)
    return out


def _pure(text: str) -> Node | None:
    loader = yaml_nodes._BoundedLoader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", [UNICODE, *FILES], ids=lambda t: getattr(t, "name", "unicode"))
def test_libyaml_and_pyyaml_compose_the_same_nodes(text: str | Path) -> None:
    if isinstance(text, Path):
        try:
            text = text.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            pytest.skip("not UTF-8: refused before parsing")
    fast = yaml_nodes._compose_fast(text)
    try:
        pure = _pure(text)
    except yaml.YAMLError:
        assert fast is None, "libyaml must not accept what PyYAML refuses"
        return
    if fast is not None:  # else compose falls back to PyYAML itself
        assert _flat(fast[0], []) == _flat(pure, [])
