"""``{{ }}`` is cloze markup, and only a statement's ``text`` may have it: refused elsewhere."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import FactKind
from .yaml_nodes import NodeReader


def refuse_stray_cloze_markup(root: Node, reader: NodeReader) -> None:
    """``{{ }}`` means a cloze deletion in a statement's ``text`` and nowhere else.

    Anywhere else it would be printed as is, or (in text that reaches an Anki cloze note, such
    as a list prompt) make extra cards; so it is refused wherever it appears, keys included.
    """
    allowed = _statement_texts(root)
    reported = {(p.line, p.column) for p in reader.problems}  # one problem per place
    for node in _braced_scalars(root):
        if id(node) in allowed:
            continue
        if (node.start_mark.line + 1, node.start_mark.column + 1) not in reported:
            reader.problem(
                node,
                "{{ }} marks a cloze deletion, which only a statement's `text` can have",
                "remove the braces; a list fact makes a cloze of each item by itself",
            )


def _statement_texts(root: Node) -> set[int]:
    facts = _value(root, "facts")
    found: set[int] = set()
    for fact in facts.value if isinstance(facts, SequenceNode) else ():
        kind, text = _value(fact, "kind"), _value(fact, "text")
        if isinstance(kind, ScalarNode) and kind.value == FactKind.STATEMENT.value and text:
            found.add(id(text))
    return found


def _value(node: Node | None, key: str) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                found: Node = value
                return found
    return None


def _braced_scalars(root: Node) -> list[ScalarNode]:
    """Every scalar under ``root`` (keys too) with ``{{`` or ``}}`` in it, in document order,
    each once even when aliases repeat it.

    A deck has ~15 scalars a fact: scalars are checked where their parent is visited, and only
    collections go on the stack (each once, so aliases cannot make the walk blow up).
    """
    found: dict[int, ScalarNode] = {}
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            if "{{" in node.value or "}}" in node.value:
                found[id(node)] = node
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        children = (
            [part for pair in node.value for part in pair]
            if isinstance(node, MappingNode)
            else node.value
        )
        for child in children:
            if isinstance(child, ScalarNode):
                if "{{" in child.value or "}}" in child.value:
                    found[id(child)] = child
            elif isinstance(child, (MappingNode, SequenceNode)):
                stack.append(child)
    return sorted(found.values(), key=lambda n: n.start_mark.index)
