"""The tags a question carries in every export (Anki notes, CSV rows): deck, topic and kind."""

from __future__ import annotations

from ..deck.question import Question

PREFIX = "bonemets::"


def question_tags(question: Question) -> tuple[str, ...]:
    """``bonemets::deck::…``, ``bonemets::topic::…`` and ``bonemets::kind::…``."""
    return (
        f"{PREFIX}deck::{question.deck_id}",
        f"{PREFIX}topic::{question.topic}",
        f"{PREFIX}kind::{question.kind.value}",
    )
