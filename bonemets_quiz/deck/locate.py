"""Where things are in a deck file: line and column of a fact, one of its keys, or a list entry.

The model keeps only a fact's first line; the linter wants to point at the exact distractor or
cloze it complains about, so it composes the (already validated) YAML once more into nodes, when
it first has something to point at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from ..errors import DeckError
from .model import Deck, Fact

if TYPE_CHECKING:  # nodes are told apart by their ``id``: importing lint loads no YAML
    from yaml.nodes import Node


def _get(node: Node | None, key: str) -> Node | None:
    if not _is(node, "mapping"):
        return None
    for key_node, value in node.value:
        if _is(key_node, "scalar") and key_node.value == key:
            found: Node = value
            return found
    return None


def _is(node: Node | None, kind: str) -> TypeGuard[Node]:
    """Is ``node`` a YAML ``mapping``, ``sequence`` or ``scalar`` node (each class's ``id``)?"""
    return getattr(node, "id", None) == kind


def _start(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Locator:
    """Positions in one deck file; falls back to the fact's line when the text is unknown."""

    def __init__(self, text: str | None = None, name: str = "<deck>") -> None:
        self.text, self.name = text, name
        self._root: Node | None = None
        self._facts: dict[str, Node] | None = None

    @property
    def root(self) -> Node | None:
        self._compose()
        return self._root

    @property
    def facts(self) -> dict[str, Node]:
        self._compose()
        assert self._facts is not None
        return self._facts

    def _compose(self) -> None:
        """Compose the file on the first question asked: a deck without problems never needs it."""
        if self._facts is not None:
            return
        self._facts = {}
        if self.text is None:
            return
        from .yaml_nodes import compose

        try:
            self._root = compose(self.text, self.name)
        except DeckError:
            return
        self._index_facts()

    @classmethod
    def of_root(cls, root: Node | None) -> Locator:
        """A locator over nodes already composed (the loader's), without parsing again."""
        locator = cls()
        locator._root, locator._facts = root, {}
        locator._index_facts()
        return locator

    def _index_facts(self) -> None:
        assert self._facts is not None
        facts = _get(self._root, "facts")
        if _is(facts, "sequence"):
            for node in facts.value:
                ident = _get(node, "id")
                if _is(ident, "scalar"):
                    self._facts.setdefault(ident.value, node)

    def deck_id(self) -> tuple[int, int]:
        node = _get(_get(self.root, "deck"), "id")
        return _start(node) if node is not None else (1, 1)

    def topic(self, topic_id: str) -> tuple[int, int]:
        topics = _get(self.root, "topics")
        if _is(topics, "sequence"):
            for node in topics.value:
                ident = _get(node, "id")
                if _is(ident, "scalar") and ident.value == topic_id:
                    return _start(node)
        return (1, 1)

    def fact(self, fact: Fact, key: str | None = None, index: int | None = None) -> tuple[int, int]:
        """The fact, or its ``key``, or entry ``index`` of a list under ``key``."""
        node = self.facts.get(fact.id)
        if node is None:
            return (fact.line, 1) if fact.line else (0, 0)
        if key is None:
            return _start(node)
        value = _get(node, key)
        if value is None:
            return _start(node)
        if index is not None and _is(value, "sequence") and index < len(value.value):
            return _start(value.value[index])
        return _start(value)


def locator_for(deck: Deck, text: str | None) -> Locator:
    return Locator(text, deck.path or "<deck>")
