"""A question generated from a fact: what every front end shows. Immutable, no I/O.

``Question`` is a named tuple, not a dataclass: it is defined on ``study``'s path to the first
question, and a frozen dataclass of 23 fields takes a millisecond longer to define (with
``dataclasses`` itself to import). Change a copy with ``question._replace(...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..records import Record
from .qid import fact_key

if TYPE_CHECKING:
    from typing import TypedDict

    from .image import Image  # imported when a question has one: not on a plain deck's start-up

    # (only for the type checker: a TypedDict of 23 keys takes 0.6 ms to make at run time)
    class QuestionDict(TypedDict, total=False):
        """What ``Question.to_dict`` writes and ``from_dict`` reads (snapshots may lack newer
        keys)."""

        id: str
        deck_id: str
        fact_id: str
        kind: str
        variant: str
        topic: str
        section: str
        prompt: str
        answer: str
        accepted: list[str]
        options: list[str] | None
        correct_option: int | None
        items: list[str] | None
        item_alternatives: list[list[str]] | None
        html: bool
        cloze: str | None
        note: str | None
        source: str
        replaces: list[str]
        vocabulary: list[list[str]]
        near_misses: list[str]
        also_true: list[str]
        image: dict[str, str] | None


class QuestionKind(StrEnum):
    BASIC = "basic"
    REVERSED = "reversed"
    CLOZE = "cloze"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    LIST_RECALL = "list_recall"


class Question(Record):
    """One askable question. ``id`` is ``deck/fact/kind[/variant]`` (see ``qid``): never derived
    from text."""

    id: str
    deck_id: str
    fact_id: str
    kind: QuestionKind
    variant: str
    topic: str
    section: str
    prompt: str
    answer: str
    accepted: tuple[str, ...] = ()
    options: tuple[str, ...] | None = None
    correct_option: int | None = None
    items: tuple[str, ...] | None = None
    item_alternatives: tuple[tuple[str, ...], ...] | None = None
    cloze: str | None = None
    note: str | None = None
    source: str = ""
    html: bool = False
    replaces: tuple[str, ...] = ()
    # grading: the deck's concepts this question's answers name (each: its forms, term first),
    # other terms of the deck a typo must not turn into, and true answers beyond the key
    # (declared extra items of an open list)
    vocabulary: tuple[tuple[str, ...], ...] = ()
    near_misses: tuple[str, ...] = ()
    also_true: tuple[str, ...] = ()
    image: Image | None = None

    @property
    def sibling_key(self) -> str:
        """Questions from the same fact are siblings: one may give away another's answer."""
        return fact_key(self.deck_id, self.fact_id)

    @classmethod
    def from_dict(cls, data: QuestionDict) -> Question:
        """Inverse of ``to_dict`` (used for snapshots of questions kept in the store)."""

        def seq(key: str) -> tuple[str, ...] | None:
            value = data.get(key)
            return tuple(value) if isinstance(value, list) else None

        alternatives = data.get("item_alternatives")
        return cls(
            id=str(data["id"]),
            deck_id=str(data["deck_id"]),
            fact_id=str(data["fact_id"]),
            kind=QuestionKind(str(data["kind"])),
            variant=str(data.get("variant", "")),
            topic=str(data.get("topic", "")),
            section=str(data.get("section", "")),
            prompt=str(data["prompt"]),
            answer=str(data["answer"]),
            accepted=seq("accepted") or (),
            options=seq("options"),
            correct_option=data.get("correct_option"),
            items=seq("items"),
            item_alternatives=tuple(tuple(a) for a in alternatives)
            if isinstance(alternatives, list)
            else None,
            cloze=data.get("cloze"),
            note=data.get("note"),
            source=str(data.get("source", "")),
            html=bool(data.get("html", False)),
            replaces=seq("replaces") or (),
            vocabulary=tuple(tuple(g) for g in data.get("vocabulary") or ()),
            near_misses=seq("near_misses") or (),
            also_true=seq("also_true") or (),
            image=_image(data.get("image")),
        )

    @classmethod
    def from_fields(cls, fields: Sequence[object]) -> Question:
        """Inverse of ``to_fields`` (the bank cache's form)."""
        if len(fields) != len(cls._fields):
            raise ValueError(f"a question has {len(cls._fields)} fields, not {len(fields)}")
        image = fields[-1]
        return cls._make((*fields[:3], QuestionKind(str(fields[3])), *fields[4:-1], _image(image)))

    def to_fields(self) -> tuple[Any, ...]:
        """The fields as plain values, in order (what ``marshal`` writes): the kind as its text,
        the image as its ``to_dict``."""
        image = self.image.to_dict() if self.image is not None else None
        return (*self[:3], self.kind.value, *self[4:-1], image)

    def snapshot(self) -> str:
        """``to_dict`` as JSON, keys sorted: the text the progress store keeps."""
        return _snapshot_encoder()(self.to_dict())

    def to_dict(self) -> QuestionDict:
        return {
            "id": self.id,
            "deck_id": self.deck_id,
            "fact_id": self.fact_id,
            "kind": self.kind.value,
            "variant": self.variant,
            "topic": self.topic,
            "section": self.section,
            "prompt": self.prompt,
            "answer": self.answer,
            "accepted": list(self.accepted),
            "options": list(self.options) if self.options is not None else None,
            "correct_option": self.correct_option,
            "items": list(self.items) if self.items is not None else None,
            "item_alternatives": [list(a) for a in self.item_alternatives]
            if self.item_alternatives is not None
            else None,
            "html": self.html,
            "cloze": self.cloze,
            "note": self.note,
            "source": self.source,
            "replaces": list(self.replaces),
            "vocabulary": [list(g) for g in self.vocabulary],
            "near_misses": list(self.near_misses),
            "also_true": list(self.also_true),
            "image": self.image.to_dict() if self.image is not None else None,
        }


def select(
    questions: Iterable[Question], topics: Iterable[str] = (), kinds: Iterable[str] = ()
) -> list[Question]:
    """Questions whose topic and kind are among those given (all when none are given)."""
    topic_set, kind_set = set(topics), set(kinds)
    return [
        q
        for q in questions
        if (not topic_set or q.topic in topic_set) and (not kind_set or q.kind.value in kind_set)
    ]


def _image(data: object) -> Image | None:
    if not data:
        return None
    from .image import Image

    return Image.from_dict(data)


@lru_cache(maxsize=1)
def _snapshot_encoder() -> Callable[[object], str]:
    """One encoder for every snapshot (``json`` is imported when the first is made)."""
    import json

    return json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
