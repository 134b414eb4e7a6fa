"""The fields of each kind of fact, read from YAML nodes (``fact_kinds`` says which are whose).

``KindFieldsReader`` has one method per kind: ``<name>_fields`` (``fact_kinds.KindSpec.name``).
"""

from __future__ import annotations

from typing import TypedDict

from yaml.nodes import Node, ScalarNode, SequenceNode

from ..text.normalize import normalize
from .cloze import ANKI_CLOZE_MARKUP, grammar_problem
from .model import ListItem, Side
from .slugs import slug
from .yaml_nodes import NodeReader


class KindFields(TypedDict, total=False):
    """The ``Fact`` fields of one kind of fact (what ``KindFieldsReader.<kind>`` returns)."""

    term: str
    definition: str
    aliases: tuple[str, ...]
    prompt: str
    items: tuple[ListItem, ...]
    complete: bool
    also_true: tuple[str, ...]
    text: str
    sides: tuple[Side, ...]


class KindFieldsReader:
    def __init__(self, reader: NodeReader) -> None:
        self.r = reader

    def definition_fields(self, fields: dict[str, Node]) -> KindFields:
        return KindFields(
            term=self.r.string(fields.get("term"), "term") or "",
            definition=self.r.string(fields.get("definition"), "definition") or "",
            aliases=tuple(self.r.string_list(fields.get("aliases"), "aliases")),
        )

    def list_fields(self, fields: dict[str, Node]) -> KindFields:
        items: list[ListItem] = []
        nodes = self.r.sequence(fields.get("items"), "items")
        if isinstance(fields.get("items"), SequenceNode) and len(nodes) < 2:
            self.r.problem(
                fields["items"],
                "a list fact needs at least 2 items",
                "add items, or make it a statement fact",
            )
        for position, node in enumerate(nodes, start=1):
            item = self._list_item(node, position)
            if item is None:
                continue
            if any(other.id == item.id for other in items):
                self.r.problem(node, f"duplicate item id {item.id!r}", "give each item its own id")
            elif any(normalize(other.text) == normalize(item.text) for other in items):
                self.r.problem(node, f"item {item.text!r} is listed twice", "remove one")
            elif ANKI_CLOZE_MARKUP.search(item.text):
                self.r.problem(
                    node,
                    "a list item cannot contain {{, }} or ::",
                    "these mark cloze deletions in Anki; reword the item",
                )
            items.append(item)
        complete = self.r.boolean(fields.get("complete"), "complete", True)
        return KindFields(
            prompt=self.r.string(fields.get("prompt"), "prompt") or "",
            items=tuple(items),
            complete=complete,
            also_true=self._also_true(fields.get("also_true"), items, complete),
        )

    def _also_true(
        self, node: Node | None, items: list[ListItem], complete: bool
    ) -> tuple[str, ...]:
        """True answers beyond the items: only on a list that says it is not complete."""
        extras = self.r.string_list(node, "also_true")
        if extras and complete:
            self.r.problem(
                node,
                "also_true is for lists that are not complete",
                "add `complete: false`, or make these items",
            )
        listed = {normalize(a) for item in items for a in (item.text, *item.alternatives)}
        for extra in extras:
            if normalize(extra) in listed:
                self.r.problem(node, f"{extra!r} is already an item", "remove it from also_true")
        return tuple(extras)

    def _list_item(self, node: Node, position: int) -> ListItem | None:
        if isinstance(node, ScalarNode):
            text = self.r.string(node, "a list item")
            return ListItem(str(position), text) if text else None
        fields = self.r.mapping(node, "a list item", ("text",), ("id", "alternatives"))
        if fields is None:
            return None
        text = self.r.string(fields.get("text"), "item text")
        item_id = slug(self.r, fields["id"], "item id") if "id" in fields else str(position)
        alternatives = tuple(self.r.string_list(fields.get("alternatives"), "alternatives"))
        return ListItem(item_id, text, alternatives) if text and item_id else None

    def statement_fields(self, fields: dict[str, Node]) -> KindFields:
        node = fields.get("text")
        text = self.r.string(node, "text") or ""
        problem = grammar_problem(text) if text else None
        if problem is not None:
            self.r.problem(node, *problem)
        return KindFields(text=text)

    def contrast_fields(self, fields: dict[str, Node]) -> KindFields:
        sides: list[Side] = []
        nodes = self.r.sequence(fields.get("sides"), "sides")
        if fields.get("sides") is not None and len(nodes) != 2:
            self.r.problem(
                fields["sides"],
                f"a contrast needs exactly 2 sides, not {len(nodes)}",
                "give two `- term: …, description: …` entries",
            )
        for node in nodes:
            side = self.r.mapping(node, "a contrast side", ("term", "description"))
            if side is None:
                continue
            term = self.r.string(side.get("term"), "term")
            description = self.r.string(side.get("description"), "description")
            if term and description:
                sides.append(Side(term, description))
        if len(sides) == 2 and normalize(sides[0].term) == normalize(sides[1].term):
            self.r.problem(
                fields["sides"],
                "both sides of the contrast have the same term",
                "a contrast compares two different things",
            )
        return KindFields(sides=tuple(sides))
