"""Facts read from YAML nodes: the fields every fact has, its kind's (``fact_fields``), its
authored questions and its picture; ids unique, renames (``replaces``) consistent."""

from __future__ import annotations

import os
from functools import cache
from typing import TypedDict

from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import Problem
from ..text.normalize import normalize
from .fact_fields import KindFields, KindFieldsReader
from .fact_kinds import KINDS, spec_of
from .image import IMAGE_SIDES
from .model import AuthoredQuestion, Fact, FactKind, Image
from .slugs import slug, slugs
from .yaml_nodes import NodeReader, line_of

COMMON_FIELDS = (
    "note",
    "category",
    "replaces",
    "distractors",
    "false_variants",
    "questions",
    "html",
    "image",
)
IMAGE_FIELDS = (("file", "alt"), ("caption", "credit", "side"))


@cache
def _foreign_fields(kind: FactKind) -> dict[str, str]:
    """The fields of the other kinds (not of this one), each with the hint that says so."""
    own = (*KINDS[kind].required, *KINDS[kind].optional)
    return {
        key: f"it belongs to {other.value} facts; this fact is `kind: {kind.value}`"
        for other, spec in KINDS.items()
        if other != kind
        for key in (*spec.required, *spec.optional)
        if key not in own
    }


class CommonFields(TypedDict):
    """The ``Fact`` fields every kind of fact has."""

    id: str
    kind: FactKind
    topic: str
    line: int
    section: str
    note: str | None
    category: str | None
    replaces: tuple[str, ...]
    distractors: tuple[str, ...]
    false_variants: tuple[str, ...]
    questions: tuple[AuthoredQuestion, ...]
    html: bool
    image: Image | None


class FactsReader:
    """The facts of one deck (one reader per deck: pictures are checked across its facts)."""

    def __init__(self, reader: NodeReader) -> None:
        self.r = reader
        self.fields = KindFieldsReader(reader)
        self._media: dict[str, tuple[str, str]] = {}  # media name → (file, whole digest)

    def facts(self, node: Node | None, topic_ids: set[str]) -> list[Fact]:
        facts: list[Fact] = []
        first_line: dict[str, int] = {}
        items = self.r.sequence(node, "facts")
        if isinstance(node, SequenceNode) and not items:
            self.r.problem(node, "facts is empty", "add at least one fact")
        for item in items:
            fact = self._fact(item, topic_ids)
            if fact is None:
                continue
            if fact.id in first_line:
                self.r.problem(
                    item,
                    f"duplicate fact id {fact.id!r}",
                    f"it is already used on line {first_line[fact.id]}; rename one",
                )
                continue
            first_line[fact.id] = fact.line
            facts.append(fact)
        self._check_replaces(facts, set(first_line))
        return facts

    def _check_replaces(self, facts: list[Fact], live: set[str]) -> None:
        """An old id is renamed at most once, and never while it is still in the deck."""
        claimed: dict[str, str] = {}
        for fact in facts:
            for old in fact.replaces:
                if old in live:
                    problem = f"fact {fact.id!r} replaces {old!r}, which is still in the deck"
                    hint = "remove the old fact or the `replaces:` entry"
                elif old in claimed:
                    problem = f"fact {fact.id!r} replaces {old!r}, as fact {claimed[old]!r} does"
                    hint = "an old id can be renamed into one fact only"
                else:
                    claimed[old] = fact.id
                    continue
                self.r.problems.append(Problem(self.r.path, fact.line, 1, problem, hint))

    def _fact(self, node: Node, topic_ids: set[str]) -> Fact | None:
        kind = self._fact_kind(node)
        if kind is None:
            return None
        spec = spec_of(kind)
        fields = self.r.mapping(
            node,
            f"a {spec.name} fact",
            ("id", "kind", "topic", "section", *spec.required),
            (*COMMON_FIELDS, *spec.optional),
            _foreign_fields(kind),
        )
        if fields is None:
            return None
        before = len(self.r.problems)
        common = self._common(node, kind, fields, topic_ids)
        specific: KindFields = getattr(self.fields, f"{spec.name}_fields")(
            fields
        )  # one method per kind
        if len(self.r.problems) > before:
            return None
        return Fact(**common, **specific)

    def _common(
        self, node: Node, kind: FactKind, fields: dict[str, Node], topic_ids: set[str]
    ) -> CommonFields:
        fact_id = slug(self.r, fields.get("id"), "fact id")
        topic = self.r.string(fields.get("topic"), "topic")
        if topic is not None and topic not in topic_ids:
            self.r.problem(
                fields["topic"],
                f"unknown topic {topic!r}",
                f"use one of: {', '.join(sorted(topic_ids)) or '(define topics first)'}",
            )
        return CommonFields(
            id=fact_id or "",
            kind=kind,
            topic=topic or "",
            line=line_of(node),
            section=self.r.string(fields.get("section"), "section") or "",
            note=self.r.string(fields.get("note"), "note"),
            category=self.r.string(fields.get("category"), "category"),
            replaces=tuple(slugs(self.r, fields.get("replaces"), "replaces")),
            distractors=tuple(self.r.string_list(fields.get("distractors"), "distractors")),
            false_variants=tuple(
                self.r.string_list(fields.get("false_variants"), "false_variants")
            ),
            questions=tuple(self._questions(fields.get("questions"))),
            html=self.r.boolean(fields.get("html"), "html", False),
            image=self._image(fields.get("image")),
        )

    def _fact_kind(self, node: Node) -> FactKind | None:
        if not isinstance(node, MappingNode):
            self.r.problem(
                node, "a fact must be a mapping of keys to values", "start it with `- id: …`"
            )
            return None
        kind_node = next((v for k, v in node.value if getattr(k, "value", None) == "kind"), None)
        if kind_node is None:
            self.r.problem(
                node,
                "a fact is missing the required key 'kind'",
                f"add `kind:` one of {', '.join(k.value for k in FactKind)}",
            )
            return None
        value = self.r.string(kind_node, "kind")
        if value is None:
            return None
        try:
            return FactKind(value)
        except ValueError:
            self.r.problem(
                kind_node,
                f"unknown fact kind {value!r}",
                f"use one of {', '.join(k.value for k in FactKind)}",
            )
            return None

    def _questions(self, node: Node | None) -> list[AuthoredQuestion]:
        questions: list[AuthoredQuestion] = []
        seen: set[str] = set()
        for item in self.r.sequence(node, "questions"):
            fields = self.r.mapping(
                item,
                "an authored question",
                ("id", "prompt", "answer"),
                ("alternatives", "options", "image"),
            )
            if fields is None:
                continue
            qid = slug(self.r, fields.get("id"), "question id")
            prompt = self.r.string(fields.get("prompt"), "question prompt")
            answer = self.r.string(fields.get("answer"), "question answer")
            if qid in seen:
                self.r.problem(fields["id"], f"duplicate question id {qid!r}", "rename one")
                continue
            options = self.r.string_list(fields.get("options"), "options")
            if options and len(options) < 2:
                self.r.problem(
                    fields["options"],
                    "options needs at least 2 wrong answers",
                    "add more, or remove `options`",
                )
            if len({normalize(o) for o in (*options, answer or "")}) < len(options) + 1:
                self.r.problem(
                    fields["options"],
                    "two options say the same (or repeat the answer)",
                    "make every option different",
                )
            if qid and prompt and answer:
                seen.add(qid)
                alternatives = tuple(self.r.string_list(fields.get("alternatives"), "alternatives"))
                image = self._image(fields.get("image"))
                questions.append(
                    AuthoredQuestion(qid, prompt, answer, alternatives, tuple(options), image)
                )
        return questions

    def _image(self, node: Node | None) -> Image | None:
        """A picture: its file checked here (see ``image_files``), each problem located."""
        from . import image_files  # hashlib and friends: only for decks with pictures

        required, optional = IMAGE_FIELDS
        fields = self.r.mapping(node, "image", required, optional)
        if fields is None or node is None:
            return None
        file = self.r.string(fields.get("file"), "image file")
        alt = self.r.string(fields.get("alt"), "image alt text")
        text = {k: self.r.string(fields.get(k), f"image {k}") or "" for k in ("caption", "credit")}
        side = self.r.string(fields.get("side"), "image side") or "question"
        if side not in IMAGE_SIDES:
            self.r.problem(fields["side"], f"unknown image side {side!r}", "use question or answer")
        if not file or not alt or side not in IMAGE_SIDES:
            return None
        root = os.path.dirname(os.path.abspath(self.r.path))
        try:
            data, kind = image_files.read_picture(root, file)
        except image_files.ImageRefused as refused:
            self.r.problem(fields["file"], refused.message, refused.hint)
            return None
        name, whole = image_files.media_name(data, kind), image_files.digest(data)
        first = self._media.setdefault(name, (file, whole))
        if first[1] != whole:
            self.r.problem(
                fields["file"],
                f"picture {file!r} would take the name {name} in Anki's media folder, "
                f"as the different picture {first[0]!r} does",
                "change one of the two pictures",
            )
            return None
        path = os.path.join(root, *file.split("/"))
        return Image(file, alt, path, root, side=side, **text)
