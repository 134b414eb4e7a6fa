"""Question ids: ``deck/fact/kind[/variant]``. The only module that builds or splits them.

An id comes from where a question is (its deck, its fact, its kind and variant), never from its
text: a learner's progress and an Anki note hang on it. Deck, fact and variant ids are slugs
(``[a-z0-9-]``, or a variant such as ``c1``, ``false-2``, ``q-some-id``), so ``/`` never occurs
inside a part.
"""

from __future__ import annotations

from ..records import Record

SEPARATOR = "/"


class QuestionId(Record):
    deck: str
    fact: str
    kind: str
    variant: str = ""

    def __str__(self) -> str:
        return make(self.deck, self.fact, self.kind, self.variant)


def make(deck: str, fact: str, kind: str, variant: str = "") -> str:
    """The id of a question of ``kind`` (a ``QuestionKind`` or its value) and ``variant``."""
    parts = (deck, fact, str(kind), variant) if variant else (deck, fact, str(kind))
    return SEPARATOR.join(parts)


def parse(question_id: str) -> QuestionId:
    """The parts of an id (a missing kind or variant is ``""``)."""
    deck, fact, kind, variant = (*question_id.split(SEPARATOR, 3), "", "", "")[:4]
    return QuestionId(deck, fact, kind, variant)


def deck_of(question_id: str) -> str:
    """The deck id an id starts with."""
    return question_id.split(SEPARATOR, 1)[0]


def fact_key(deck: str, fact: str) -> str:
    """What the questions of one fact share (their sibling key): ``deck/fact``."""
    return f"{deck}{SEPARATOR}{fact}"


def renamed(question_id: str, renames: dict[str, str]) -> str:
    """The id with its fact renamed (``renames``: old fact id → new one); else unchanged."""
    parts = question_id.split(SEPARATOR, 2)
    if len(parts) >= 2 and parts[1] in renames:
        parts[1] = renames[parts[1]]
    return SEPARATOR.join(parts)
