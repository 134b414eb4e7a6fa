"""The store's cards and answers: each card's schedule, saving an answer, reading the log back.

Each answer (the card's new state and its review-log row) is one transaction, durable once it is
committed; the log row keeps the card's state before the answer, so that it can be taken back.
"""

from __future__ import annotations

from datetime import datetime

from ..scheduling import CardState, Rating, Status
from .base import Connected
from .rows import (
    CARD_COLUMNS,
    REVIEW_COLUMNS,
    DayLog,
    ReviewRow,
    card_row,
    card_values,
    review_row,
    to_us,
)


class ReviewsPart(Connected):
    """The ``cards`` and ``reviews`` tables of ``Store``."""

    def cards(self) -> dict[str, CardState]:
        return {
            card.question_id: card
            for card in map(card_row, self._rows(f"SELECT {CARD_COLUMNS} FROM cards"))
        }

    def card(self, question_id: str) -> CardState:
        rows = self._rows(f"SELECT {CARD_COLUMNS} FROM cards WHERE question_id = ?", (question_id,))
        return card_row(rows[0]) if rows else CardState(question_id)

    def record(
        self,
        before: CardState,
        after: CardState,
        rating: Rating,
        verdict: str = "",
        duration_ms: int | None = None,
        answer: str = "",
        seed: int | None = None,
    ) -> int:
        """Save one answer: the card's new state and its log row (call inside ``transaction``).

        ``answer`` is what the learner typed or chose; ``seed`` the scheduler's fuzz seed, so that
        replaying the log (``review_replay``) gives this very schedule again."""
        import json  # (not on the path to the first question)

        assert after.due is not None and after.last_review is not None
        self._write(
            f"INSERT OR REPLACE INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            card_values(after),
        )
        with self._errors("saving"):
            cursor = self._conn.execute(
                "INSERT INTO reviews (question_id, reviewed_at, rating, verdict, duration_ms, "
                "status_before, status_after, due_after, before, answer, seed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    after.question_id,
                    to_us(after.last_review),
                    int(rating),
                    verdict,
                    duration_ms,
                    before.status.value,
                    after.status.value,
                    to_us(after.due),
                    None if before.status is Status.NEW else json.dumps(card_values(before)),
                    answer,
                    seed,
                ),
            )
        return int(cursor.lastrowid or 0)

    def last_review(self) -> ReviewRow | None:
        """The latest answer by the time it was given (an import adds older answers with higher
        row ids: the highest id is not the latest)."""
        rows = self._rows(
            f"SELECT {REVIEW_COLUMNS} FROM reviews ORDER BY reviewed_at DESC, id DESC LIMIT 1"
        )
        return review_row(rows[0]) if rows else None

    def day_log(self, start: datetime, end: datetime) -> DayLog:
        """The answers saved in [start, end): one study day (answers stamped later, by a clock
        that ran ahead, count on their own day, not on every day until then)."""
        rows = self._rows(
            "SELECT r.status_before, q.sibling_key FROM reviews r "
            "LEFT JOIN questions q ON q.id = r.question_id "
            "WHERE r.reviewed_at >= ? AND r.reviewed_at < ?",
            (to_us(start), to_us(end)),
        )
        return DayLog(
            new_done=sum(1 for status, _ in rows if status == Status.NEW.value),
            reviews_done=sum(1 for status, _ in rows if status == Status.REVIEW.value),
            siblings=frozenset(str(key) for _, key in rows if key is not None),
        )

    def reviews_total(self) -> int:
        return int(self._rows("SELECT count(*) FROM reviews")[0][0])  # type: ignore[call-overload, no-any-return]

    def reviews_since(self, since: datetime) -> list[ReviewRow]:
        rows = self._rows(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE reviewed_at >= ? ORDER BY id",
            (to_us(since),),
        )
        return [review_row(row) for row in rows]
