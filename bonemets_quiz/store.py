"""The progress store: one SQLite file, and the only ``store*`` modules speak SQL to it.

WAL mode, ``synchronous=FULL``: each answer (the card's new state and its review-log row) is one
transaction, durable once ``record`` returns. Questions are never deleted: a question that leaves
the deck is marked retired and keeps its history and its last text. The other pieces:
``store_base`` (transactions: checked before the first write, retried while locked, honest
errors), ``store_files`` (creating the file whole, opening it read-only), ``store_schema`` (file
checks, schema, migrations, errors in words), ``store_rows`` (rows as values) and ``store_backup``
(backups in rotation, restore).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

from .gc_pause import gc_paused
from .paths import default_location
from .paths import default_path as default_path  # re-exported
from .paths import user_dir as user_dir  # re-exported
from .question import Question
from .scheduling import CardState, Rating, Settings, Status, settings_from_dict, settings_to_dict
from .store_base import Connected
from .store_files import Retry, connect, connect_read_only, sqlite_connect
from .store_rows import (
    CARD_COLUMNS,
    REVIEW_COLUMNS,
    DayLog,
    QuestionRow,
    ReviewRow,
    SyncReport,
    card_row,
    card_values,
    review_row,
    to_us,
)
from .store_rows import from_us as from_us  # re-exported
from .store_schema import APP_ID as APP_ID  # re-exported: the mark of our files
from .store_schema import (
    backup,
    check_file,
    check_header,
    migrate,
    read_header,
    schema_version,
)

DEFAULT_RETRY = Retry()
_CHUNK = 500  # ids per ``IN (...)``: under SQLite's oldest limit of 999 parameters


class _Outdated(Exception):
    """A store opened read-only needs a migration first."""


__all__ = ["DayLog", "QuestionRow", "ReviewRow", "Store", "SyncReport", "UndoRefused"]


class UndoRefused(Exception):
    """An answer that can no longer be taken back exactly; the message says why."""

    def __init__(self, question_id: str, reason: str) -> None:
        super().__init__(reason)
        self.question_id = question_id


class Store(Connected):
    """An open progress store. Use ``Store.open(path)``; close it (or use ``with``) when done."""

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float | None = None,
        retry: Retry | None = None,
        read_only: bool = False,
    ) -> Store:
        """Open the store at ``path`` (default: in the user data directory).

        Writable: created (whole) when missing, migrated when older. ``read_only``: opened so
        that nothing can be written, for commands that only read (an older store that can be
        written is migrated first). ``retry`` says how long a write waits for a locked store.
        """
        path = os.fspath(path) if path is not None else default_location()
        retry = retry or DEFAULT_RETRY
        if busy_timeout is not None:
            retry = replace(retry, busy_timeout=busy_timeout)
        check_file(path, writable=not read_only)
        if read_only:
            conn = connect_read_only(path, retry.busy_timeout)
        else:
            conn = connect(path, retry.busy_timeout)
        store = cls(conn, path, retry)
        store.read_only = read_only
        try:
            store._prepare()
        except _Outdated:
            conn.close()
            return cls.open(path, retry=retry)
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def in_memory(cls, name: str = ":memory:") -> Store:
        """An empty store in memory, written nowhere (``name`` is the path it reports): what a
        read-only command shows when there is no store file yet."""
        store = cls(sqlite_connect(":memory:"), name)
        store._prepare()
        return store

    def _prepare(self) -> None:
        # Every check comes before the first write (the journal mode is one): a file that is not
        # ours, or is too new, is left byte for byte as it was.
        with self._errors():
            header = read_header(self._conn)
        check_header(self.path, *header)
        version = header[0]
        if self.read_only:
            if version < schema_version():
                raise _Outdated  # written by an older version: migrate (if writable), then read
            return
        with self._errors():
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
        if version < schema_version():
            if version > 0:
                self._check()
                backup(self._conn, self.path, version)
            with self.transaction():
                migrate(self._conn)
        else:
            self._begin("opening it")  # fails now, not at the first answer, if it cannot write
            with self._errors():
                self._conn.execute("COMMIT")

    # ------------------------------------------------------------------ questions

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
        marks = ",".join("?" * len(decks))
        known = {
            str(row[0]): (row[1], row[2])
            for row in self._rows(
                f"SELECT id, snapshot, retired_at FROM questions WHERE deck_id IN ({marks})", decks
            )
        }
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
            sum(1 for row in added if row[0] not in renamed_into),
            len(renamed_from),
            sum(1 for qid in gone if qid not in renamed_from),
        )

    def _write_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """One statement for many rows (one per row cost a second on 35,000 questions)."""
        if rows:
            with self._errors("saving"):
                self._conn.executemany(sql, rows)

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
        current = set(deck_ids)
        decks = sorted({qid.split("/", 1)[0] for qid in current})
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

    # ------------------------------------------------------------------ cards and reviews

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
        before = self._rows("SELECT before FROM reviews WHERE id = ?", (row.id,))[0][0]
        self._write("DELETE FROM cards WHERE question_id = ?", (row.question_id,))
        if before is not None:
            # under the row's current id: a rename may have moved it since it was saved
            values = [row.question_id, *json.loads(str(before))[1:]]
            self._write(
                f"INSERT INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )
        self._write("DELETE FROM reviews WHERE id = ?", (row.id,))

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
        return int(self._rows("SELECT count(*) FROM reviews")[0][0])  # type: ignore[call-overload]

    def reviews_since(self, since: datetime) -> list[ReviewRow]:
        rows = self._rows(
            f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE reviewed_at >= ? ORDER BY id",
            (to_us(since),),
        )
        return [review_row(row) for row in rows]

    def integrity(self) -> str:
        return str(self._rows("PRAGMA integrity_check")[0][0])

    def _meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def settings(self) -> Settings:
        """The learner's scheduling settings (defaults until some are saved)."""
        text = self._meta("settings")
        if text is None:
            return Settings()
        try:
            return settings_from_dict(json.loads(text))
        except (ValueError, TypeError, OverflowError, AttributeError):  # damaged: the defaults
            return Settings()

    def save_settings(self, settings: Settings) -> None:
        with self.transaction():
            self._write(
                "INSERT OR REPLACE INTO meta VALUES ('settings', ?)",
                (json.dumps(settings_to_dict(settings), sort_keys=True),),
            )
