"""Which question of today's bank a logged question id counts for.

A logged id is one of: a question of the bank (used); an older id of one, renamed with
``replaces:`` (counted under its successor, as ``progress import`` does: the bank's questions
carry their old ids in ``Question.replaces``, which ``generate`` fills from the facts'
``replaces:``); a question of one of the report's decks that the bank no longer has (retired:
ignored, counted); or a question of another deck (ignored, counted).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..deck.qid import deck_of
from ..deck.question import Question
from ..records import Record
from .logs import ClassLogs, Review


class Resolved(Record):
    """Every learner's reviews under today's question ids, and what was set aside."""

    learners: dict[str, dict[str, list[Review]]]
    reviews: int
    renamed_reviews: int
    retired_reviews: int
    other_deck_reviews: int


def successors(bank: Sequence[Question]) -> dict[str, str]:
    """Old question id → its id today (each bank question lists every id it replaces)."""
    return {old: q.id for q in bank for old in q.replaces if old != q.id}


def resolve(logs: ClassLogs, bank: Sequence[Question]) -> Resolved:
    current = {q.id for q in bank}
    renamed = successors(bank)
    decks = {q.deck_id for q in bank}
    counts = {"used": 0, "renamed": 0, "retired": 0, "other": 0}
    learners: dict[str, dict[str, list[Review]]] = {}
    for name, questions in logs.learners.items():
        mine: dict[str, list[Review]] = {}
        merged: set[str] = set()
        for qid, history in questions.items():
            target, why = _target(qid, current, renamed, decks)
            counts[why] += len(history)
            if target is None:
                continue
            if target in mine:  # an old and a new id's reviews together: one history
                mine[target] = [*mine[target], *history]
                merged.add(target)
            else:
                mine[target] = history
        for target in merged:
            mine[target].sort(key=lambda r: (r.at, r.rating))
        if mine:
            learners[name] = mine
    return Resolved(
        learners,
        counts["used"] + counts["renamed"],
        counts["renamed"],
        counts["retired"],
        counts["other"],
    )


def _target(
    question_id: str, current: set[str], renamed: dict[str, str], decks: set[str]
) -> tuple[str | None, str]:
    if question_id in current:
        return question_id, "used"
    if question_id in renamed:
        return renamed[question_id], "renamed"
    if deck_of(question_id) in decks:
        return None, "retired"
    return None, "other"
