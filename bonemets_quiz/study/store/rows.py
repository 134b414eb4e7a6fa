"""The progress store's rows as Python values: answers, study days, sync reports, conversions.

Times are stored as integer microseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from ...records import Record
from ..scheduling import CardState, Rating, Status

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def to_us(moment: datetime) -> int:
    return (moment - EPOCH) // _US


def from_us(value: int) -> datetime:
    return EPOCH + value * _US


class ReviewRow(Record):
    id: int
    question_id: str
    reviewed_at: datetime
    rating: Rating
    verdict: str
    status_before: Status
    status_after: Status
    due_after: datetime


class DayLog(Record):
    """What was studied since the start of the study day: for limits and sibling burying."""

    new_done: int = 0
    reviews_done: int = 0
    siblings: frozenset[str] = frozenset()


class SyncReport(Record):
    added: int = 0
    renamed: int = 0
    retired: int = 0


class QuestionRow(Record):
    id: str
    deck_id: str
    retired: bool
    renamed_to: str | None


CARD_COLUMNS = "question_id, status, step, stability, difficulty, due, last_review, reps, lapses"
REVIEW_COLUMNS = (
    "id, question_id, reviewed_at, rating, verdict, status_before, status_after, due_after"
)


def card_values(card: CardState) -> list[object]:
    return [
        card.question_id,
        card.status.value,
        card.step,
        card.stability,
        card.difficulty,
        to_us(card.due) if card.due else None,
        to_us(card.last_review) if card.last_review else None,
        card.reps,
        card.lapses,
    ]


def card_row(row: Sequence[object]) -> CardState:
    qid, status, step, stability, difficulty, due, last, reps, lapses = row
    return CardState(
        question_id=str(qid),
        status=Status(str(status)),
        step=step,  # type: ignore[arg-type]
        stability=stability,  # type: ignore[arg-type]
        difficulty=difficulty,  # type: ignore[arg-type]
        due=from_us(due) if due is not None else None,  # type: ignore[arg-type]
        last_review=from_us(last) if last is not None else None,  # type: ignore[arg-type]
        reps=int(reps),  # type: ignore[call-overload]
        lapses=int(lapses),  # type: ignore[call-overload]
    )


def review_row(row: Sequence[object]) -> ReviewRow:
    rid, qid, at, rating, verdict, before, after, due = row
    return ReviewRow(
        id=int(rid),  # type: ignore[call-overload]
        question_id=str(qid),
        reviewed_at=from_us(at),  # type: ignore[arg-type]
        rating=Rating(rating),  # type: ignore[arg-type]  # an INTEGER column
        verdict=str(verdict),
        status_before=Status(str(before)),
        status_after=Status(str(after)),
        due_after=from_us(due),  # type: ignore[arg-type]
    )
