"""YAML deck files → ``Deck``: the structure, every problem at once (``loading`` adds the rules).

The pieces: ``deck_paths`` (which files), ``yaml_nodes`` (YAML → located nodes, typed reading),
``deck_markup`` (cloze markup only where it belongs), ``vocabulary_reader``, ``fact_builder``
(facts, their questions and pictures) and ``fact_fields`` (each kind's fields, per ``fact_kinds``).
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import Node, SequenceNode

from ..errors import DeckError, Problem
from .fact_builder import COMMON_FIELDS as COMMON_FIELDS  # re-exported
from .fact_builder import FactsReader
from .fact_kinds import KINDS
from .locate import Locator
from .markup import refuse_stray_cloze_markup
from .model import Deck, Fact, FactKind, Source, Topic
from .parameters import read_scheduling
from .paths import BUILTIN_DECK as BUILTIN_DECK  # re-exported
from .paths import builtin_deck_path as builtin_deck_path  # re-exported
from .paths import expand_paths as expand_paths  # re-exported
from .slugs import SLUG as SLUG  # re-exported
from .slugs import slug, slugs
from .vocabulary_reader import VocabularyReader
from .yaml_nodes import NodeReader, compose, read_text

KIND_FIELDS: dict[FactKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    kind: (spec.required, spec.optional) for kind, spec in KINDS.items()
}  # each kind's required and optional keys (as ``fact_kinds`` has them)


Found = tuple[Deck | None, list[Problem], Locator | None]


def read_deck_file(path: Path) -> Found:
    try:
        text = read_text(path)
    except DeckError as exc:
        return None, exc.problems, None
    return read_deck_text(text, str(path))


def read_deck_text(text: str, name: str) -> Found:
    """The deck, its structural problems and where its facts are (``loading`` adds the rules)."""
    try:
        root = compose(text, name)
    except DeckError as exc:
        return None, exc.problems, None
    if root is None:
        return (
            None,
            [Problem(name, 1, 1, "the file is empty", "start from `bonemets-quiz init FILE`")],
            None,
        )
    reader = NodeReader(name)
    deck = _DeckBuilder(reader).build(root)
    refuse_stray_cloze_markup(root, reader)
    if reader.problems or deck is None:
        found = reader.problems or [Problem(name, 1, 1, "not a deck", "see docs/deck-format.md")]
        return None, sorted(found, key=lambda p: (p.line, p.column)), None
    return deck, [], Locator.of_root(root)


class _DeckBuilder:
    def __init__(self, reader: NodeReader) -> None:
        self.r = reader

    def build(self, root: Node) -> Deck | None:
        top = self.r.mapping(
            root,
            "the deck file",
            ("deck", "topics", "facts"),
            ("format", "vocabulary", "retired", "scheduling"),
        )
        if top is None:
            return None
        version = self.r.integer(top.get("format"), "format")
        if version not in (None, 1):
            self.r.problem(top["format"], f"unknown deck format {version}", "use `format: 1`")
        meta = self.r.mapping(top.get("deck"), "deck", ("id", "title", "description", "source"))
        topics = self._topics(top.get("topics"))
        vocabulary = VocabularyReader(self.r).read(top.get("vocabulary"))
        facts = FactsReader(self.r).facts(top.get("facts"), {t.id for t in topics})
        retired = self._retired(top.get("retired"), facts)
        parameters = read_scheduling(self.r, top.get("scheduling"))
        if meta is None:
            return None
        deck_id = slug(self.r, meta.get("id"), "deck id")
        title = self.r.string(meta.get("title"), "deck title")
        description = self.r.string(meta.get("description"), "deck description")
        source = self._source(meta.get("source"))
        if deck_id is None or title is None or description is None or source is None:
            return None
        return Deck(
            deck_id,
            title,
            description,
            source,
            tuple(topics),
            tuple(facts),
            self.r.path,
            version or 1,
            tuple(vocabulary),
            tuple(retired),
            parameters,
        )

    def _source(self, node: Node | None) -> Source | None:
        fields = self.r.mapping(node, "deck source", ("title",), ("author", "updated", "url"))
        if fields is None:
            return None
        title = self.r.string(fields.get("title"), "source title")
        extra = {
            k: self.r.string(fields.get(k), f"source {k}") or ""
            for k in ("author", "updated", "url")
        }
        return Source(title, **extra) if title else None

    def _topics(self, node: Node | None) -> list[Topic]:
        topics: list[Topic] = []
        seen: set[str] = set()
        items = self.r.sequence(node, "topics")
        if isinstance(node, SequenceNode) and not items:
            self.r.problem(node, "topics is empty", "add at least one `- id: …, title: …`")
        for item in items:
            fields = self.r.mapping(item, "a topic", ("id", "title"))
            if fields is None:
                continue
            topic_id = slug(self.r, fields.get("id"), "topic id")
            title = self.r.string(fields.get("title"), "topic title")
            if topic_id in seen:
                self.r.problem(
                    fields["id"], f"duplicate topic id {topic_id!r}", "give each topic its own id"
                )
            elif topic_id and title:
                seen.add(topic_id)
                topics.append(Topic(topic_id, title))
        return topics

    def _retired(self, node: Node | None, facts: list[Fact]) -> list[str]:
        """Facts removed on purpose: their ids, never again those of live or renamed facts."""
        if node is None:
            return []
        retired = slugs(self.r, node, "retired fact id")
        taken = {f.id: "is a fact of this deck" for f in facts}
        taken.update({old: f"is renamed into fact {f.id!r}" for f in facts for old in f.replaces})
        for fact_id in retired:
            if fact_id in taken:
                self.r.problem(
                    node,
                    f"retired fact id {fact_id!r} {taken[fact_id]}",
                    "list under `retired:` only ids of facts removed from the deck",
                )
        return retired
