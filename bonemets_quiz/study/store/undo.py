"""Taking an answer back, exactly: the log row goes and the card returns to its state before.

An answer can be taken back only while it is its question's latest: once the question was
answered again (e.g. in another session), ``UndoRefused`` says so and the answer stands.
"""

from __future__ import annotations

from .reviews import ReviewsPart
from .rows import CARD_COLUMNS, REVIEW_COLUMNS, ReviewRow, review_row, to_us


class UndoRefused(Exception):
    """An answer that can no longer be taken back exactly; the message says why."""

    def __init__(self, question_id: str, reason: str) -> None:
        super().__init__(reason)
        self.question_id = question_id


class UndoPart(ReviewsPart):
    """Undo for ``Store``: built on its cards and answers."""

    def undo_last(self) -> ReviewRow | None:
        """Take back the latest answer (``last_review``): its log row goes, the card gets its
        state before. Being the latest of all, it is its question's latest too, so the state
        saved before it is exactly what the card returns to."""
        with self.transaction():
            last = self.last_review()
            if last is not None:
                self._take_back(last)
        return last

    def undo_review(self, review_id: int) -> ReviewRow:
        """Take back one given answer, exactly; UndoRefused when that is no longer possible: the
        answer is gone, or its question was answered again since (e.g. in another session)."""
        with self.transaction():
            rows = self._rows(f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE id = ?", (review_id,))
            if not rows:
                raise UndoRefused("", "it was already taken back")
            row = review_row(rows[0])
            card = self.card(row.question_id)
            later = self._rows(
                "SELECT 1 FROM reviews WHERE question_id = ? AND id != ? AND (reviewed_at > ? "
                "OR (reviewed_at = ? AND id > ?)) LIMIT 1",
                (row.question_id, row.id, *[to_us(row.reviewed_at)] * 2, row.id),
            )
            if later or (card.status, card.due, card.last_review) != (
                row.status_after,
                row.due_after,
                row.reviewed_at,
            ):
                raise UndoRefused(row.question_id, "the question was answered again since")
            self._take_back(row)
        return row

    def _take_back(self, row: ReviewRow) -> None:
        import json

        before = self._rows("SELECT before FROM reviews WHERE id = ?", (row.id,))[0][0]
        self._write("DELETE FROM cards WHERE question_id = ?", (row.question_id,))
        if before is not None:
            # under the row's current id: a rename may have moved it since it was saved
            values = [row.question_id, *json.loads(str(before))[1:]]
            self._write(
                f"INSERT INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )
        self._write("DELETE FROM reviews WHERE id = ?", (row.id,))
