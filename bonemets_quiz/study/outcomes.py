"""What a session reports once questions are answered: an answer's outcome, an answer taken back,
a daily limit reached. Apart from ``session`` so that they are made after the first question,
not on the way to it."""

from __future__ import annotations

from ..deck.question import Question
from ..records import Record
from .scheduling import CardState, Rating


class Outcome(Record):
    question: Question
    rating: Rating
    before: CardState
    after: CardState
    saved: bool
    became_leech: bool = False


class LimitReached(Record):
    """A daily limit holding back questions that would otherwise be asked today."""

    kind: str  # "new" or "review"
    limit: int
    done: int  # answered today
    waiting: int  # held back by the limit


class Undone(Record):
    question_id: str
    question: Question | None  # None when it is not among this session's questions
    rating: Rating
