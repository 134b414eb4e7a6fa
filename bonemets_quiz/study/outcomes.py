"""What a session reports once questions are answered: an answer's outcome, an answer taken back,
a daily limit reached. Apart from ``session`` so that they are made after the first question,
not on the way to it."""

from __future__ import annotations

from typing import NamedTuple

from ..deck.question import Question
from .scheduling import CardState, Rating


class Outcome(NamedTuple):
    question: Question
    rating: Rating
    before: CardState
    after: CardState
    saved: bool
    became_leech: bool = False


class LimitReached(NamedTuple):
    """A daily limit holding back questions that would otherwise be asked today."""

    kind: str  # "new" or "review"
    limit: int
    done: int  # answered today
    waiting: int  # held back by the limit


class Undone(NamedTuple):
    question_id: str
    question: Question | None  # None when it is not among this session's questions
    rating: Rating
