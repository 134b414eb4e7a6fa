"""The store's questions: syncing the current bank in (renames, retired questions) and reading
the stored snapshots back.

Questions are never deleted: a question that leaves the deck is marked retired and keeps its
history and its last text; a renamed one (``replaces``) hands its history to its new id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from ...deck.qid import deck_of
from ...deck.question import Question
from ...gc_pause import gc_paused
from .base import Connected
from .rows import QuestionRow, SyncReport, to_us

_CHUNK = 500  # ids per ``IN (...)``: under SQLite's oldest limit of 999 parameters


class QuestionsPart(Connected):
    """The ``questions`` table of ``Store``."""

    def sync(
        self,
        questions: Sequence[Question],
        now: datetime,
        fingerprint: str | None = None,
        snapshots: Sequence[str] = (),
    ) -> SyncReport:
        """Record the current bank: snapshots, renames (``replaces``) and retired questions.

        ``snapshots``: each question's ``snapshot()``, when the caller has them already.
        """
        decks = sorted({q.deck_id for q in questions})
        key = "sync:" + ",".join(decks)
        if fingerprint is not None and self._meta(key) == fingerprint:
            return SyncReport()
        with self.transaction(), gc_paused():
            report = self._sync(questions, decks, to_us(now), snapshots)
            if fingerprint is not None:
                self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, fingerprint))
        return report

    def _sync(
        self,
        questions: Sequence[Question],
        decks: list[str],
        now: int,
        snapshots: Sequence[str] = (),
    ) -> SyncReport:
        if len(snapshots) != len(questions):
            snapshots = [q.snapshot() for q in questions]
        known = self._known(decks)
        added = self._save_snapshots(questions, snapshots, known, now)
        current = {q.id for q in questions}
        renamed_from: set[str] = set()  # old ids renamed by this sync, and the ids they became
        renamed_into: set[str] = set()
        for q in questions:
            if q.replaces and (marked := self._rename(q, current)):
                renamed_from.update(marked)
                renamed_into.add(q.id)
        gone = [qid for qid, (_, retired) in known.items() if qid not in current and not retired]
        self._write_many(
            "UPDATE questions SET retired_at = ? WHERE id = ?", [(now, qid) for qid in gone]
        )
        # a renamed question is reported once, as renamed: not also as new and as retired
        return SyncReport(
            sum(1 for qid in added if qid not in renamed_into),
            len(renamed_from),
            sum(1 for qid in gone if qid not in renamed_from),
        )

    def _known(self, decks: list[str]) -> dict[str, tuple[object, object]]:
        """The stored questions of ``decks``: (snapshot, retired_at) by id."""
        marks = ",".join("?" * len(decks))
        return {
            str(row[0]): (row[1], row[2])
            for row in self._rows(
                f"SELECT id, snapshot, retired_at FROM questions WHERE deck_id IN ({marks})", decks
            )
        }

    def _save_snapshots(
        self,
        questions: Sequence[Question],
        snapshots: Sequence[str],
        known: dict[str, tuple[object, object]],
        now: int,
    ) -> list[str]:
        """Add the new questions, update the changed (or returning) ones; the ids added."""
        added: list[tuple[object, ...]] = []
        changed: list[tuple[object, ...]] = []
        for q, snapshot in zip(questions, snapshots, strict=True):
            old = known.get(q.id)
            if old is None:
                added.append((q.id, q.deck_id, q.sibling_key, snapshot, now))
            elif old != (snapshot, None):
                changed.append((snapshot, q.sibling_key, q.id))
        self._write_many(
            "INSERT OR REPLACE INTO questions VALUES (?, ?, ?, ?, ?, NULL, NULL)", added
        )
        self._write_many(
            "UPDATE questions SET snapshot = ?, sibling_key = ?, retired_at = NULL, "
            "renamed_to = NULL WHERE id = ?",
            changed,
        )
        return [str(row[0]) for row in added]

    def _has_history(self, question_id: str) -> bool:
        return bool(
            self._rows("SELECT 1 FROM cards WHERE question_id = ?", (question_id,))
            or self._rows("SELECT 1 FROM reviews WHERE question_id = ? LIMIT 1", (question_id,))
        )

    def _rename(self, question: Question, current: set[str]) -> list[str]:
        """Mark the old ids ``question`` replaces as renamed (not retired); the first one with a
        history hands its schedule and review log over, unless the new id has its own already.
        The old ids marked now (not those marked by an earlier sync)."""
        old_ids = [old for old in question.replaces if old != question.id and old not in current]
        inherit = not self._has_history(question.id)
        marked: list[str] = []
        for old in old_ids:
            if inherit and self._has_history(old):
                self._write(
                    "UPDATE cards SET question_id = ? WHERE question_id = ?", (question.id, old)
                )
                self._write(  # the saved states "before" each answer move too (for undo)
                    "UPDATE reviews SET question_id = ?, before = CASE WHEN before IS NULL THEN "
                    "NULL ELSE json_set(before, '$[0]', ?) END WHERE question_id = ?",
                    (question.id, question.id, old),
                )
                inherit = False
            if self._write(
                "UPDATE questions SET renamed_to = ? WHERE id = ? AND renamed_to IS NOT ?",
                (question.id, old, question.id),
            ):
                marked.append(old)
        return marked

    def question_rows(self) -> list[QuestionRow]:
        return [
            QuestionRow(str(r[0]), str(r[1]), r[2] is not None, r[3])  # type: ignore[arg-type]
            for r in self._rows("SELECT id, deck_id, retired_at, renamed_to FROM questions")
        ]

    def questions(self, ids: Iterable[str] | None = None) -> dict[str, Question]:
        """Stored snapshots (the last text each question had), by id."""
        import json

        rows = self._rows("SELECT id, snapshot FROM questions")
        wanted = set(ids) if ids is not None else None
        return {
            str(qid): Question.from_dict(json.loads(str(snap)))
            for qid, snap in rows
            if wanted is None or qid in wanted
        }

    def retired_questions(self, deck_ids: Iterable[str]) -> list[Question]:
        """Stored questions of the same decks that are no longer among ``deck_ids``.

        ``deck_ids`` are the ids of every question the decks generate now. A renamed question
        (whose history moved to its new id) is not retired. Sorted by id.
        """
        import json

        current = set(deck_ids)
        decks = sorted({deck_of(qid) for qid in current})
        marks = ",".join("?" * len(decks))
        rows = self._rows(
            f"SELECT id FROM questions WHERE deck_id IN ({marks}) AND renamed_to IS NULL "
            "ORDER BY id",
            decks,
        )
        gone = [qid for (qid,) in rows if qid not in current]
        snapshots = []  # only the retired ones' (all of them cost 0.2 s on 35,000 questions)
        for start in range(0, len(gone), _CHUNK):
            chunk = gone[start : start + _CHUNK]
            snapshots += self._rows(
                f"SELECT snapshot FROM questions WHERE id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY id",
                chunk,
            )
        return [Question.from_dict(json.loads(str(s))) for (s,) in snapshots]
