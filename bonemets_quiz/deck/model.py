"""The domain: decks of facts, and the questions generated from them. Frozen, no I/O.

Questions live in ``question`` (the quiz's start-up path needs only them), re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .image import Image
from .question import Question, QuestionKind

__all__ = [
    "AuthoredQuestion",
    "Concept",
    "Deck",
    "Fact",
    "FactKind",
    "Image",
    "ListItem",
    "Question",
    "QuestionKind",
    "Side",
    "Source",
    "Topic",
]


class FactKind(StrEnum):
    DEFINITION = "definition"
    LIST = "list"
    STATEMENT = "statement"
    CONTRAST = "contrast"


@dataclass(frozen=True)
class Source:
    title: str
    author: str = ""
    updated: str = ""
    url: str = ""

    def citation(self) -> str:
        parts = [f"“{self.title}”"]
        if self.author:
            parts.append(self.author)
        if self.updated:
            parts.append(f"updated {self.updated}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Concept:
    """One concept of a deck's vocabulary: its canonical term and every other form of it."""

    term: str
    also: tuple[str, ...] = ()
    line: int = 0
    within: tuple[str, ...] = ()  # forms that stand for it only inside a longer answer

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.also, *self.within)

    @property
    def grading_forms(self) -> tuple[str, ...]:
        """As questions carry them: ``within`` forms marked with a leading ``~``."""
        return (self.term, *self.also, *(f"~{form}" for form in self.within))


@dataclass(frozen=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True)
class ListItem:
    """One item of a list fact. ``id`` keeps its questions' ids when the text is reworded."""

    id: str
    text: str
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Side:
    """One side of a contrast fact."""

    term: str
    description: str


@dataclass(frozen=True)
class AuthoredQuestion:
    id: str
    prompt: str
    answer: str
    alternatives: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    image: Image | None = None


@dataclass(frozen=True)
class Fact:
    id: str
    kind: FactKind
    topic: str
    section: str
    line: int = 0
    note: str | None = None
    category: str | None = None
    replaces: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    false_variants: tuple[str, ...] = ()
    questions: tuple[AuthoredQuestion, ...] = ()
    html: bool = False
    image: Image | None = None
    # definition
    term: str = ""
    definition: str = ""
    aliases: tuple[str, ...] = ()
    # list
    prompt: str = ""
    items: tuple[ListItem, ...] = ()
    complete: bool = True
    also_true: tuple[str, ...] = ()  # true answers beyond the items, on an incomplete list
    # statement
    text: str = ""
    # contrast
    sides: tuple[Side, ...] = ()


@dataclass(frozen=True)
class Deck:
    id: str
    title: str
    description: str
    source: Source
    topics: tuple[Topic, ...]
    facts: tuple[Fact, ...]
    path: str = ""
    format: int = 1
    vocabulary: tuple[Concept, ...] = ()
    retired: tuple[str, ...] = ()  # ids of facts removed on purpose (their progress is kept)
    parameters: tuple[float, ...] | None = None  # cohort FSRS weights (``deck_scheduling``)

    def topic_title(self, topic_id: str) -> str:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic.title
        return topic_id

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)
