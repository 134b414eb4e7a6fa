"""The review log's side of the progress store: bulk reads and writes of reviews for export,
merge and replay. SQL lives here and in ``store`` only; callers hold ``store.transaction()``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain

from ..records import Record
from ..study.scheduling import Rating
from ..study.store.store import Store
from .replay_part import Step


class StoredReview(Record):
    id: int
    question_id: str
    reviewed_at: int  # µs since the epoch, UTC
    rating: Rating
    verdict: str
    duration_ms: int | None
    answer: str
    seed: int | None
    before: list[object] | None  # the card's values before (store_rows.card_values), None if new


_COLUMNS = "id, question_id, reviewed_at, rating, verdict, duration_ms, answer, seed, before"
# the order replay and export walk a question's history in; ties broken the same everywhere
_ORDER = "question_id, reviewed_at, rating, id"


def _stored(row: Sequence[object]) -> StoredReview:
    rid, qid, at, rating, verdict, duration, answer, seed, before = row
    return StoredReview(
        int(rid),  # type: ignore[call-overload]
        str(qid),
        int(at),  # type: ignore[call-overload]
        Rating(rating),  # type: ignore[arg-type]  # an INTEGER column
        str(verdict),
        duration,  # type: ignore[arg-type]
        str(answer),
        seed,  # type: ignore[arg-type]
        json.loads(str(before)) if before is not None else None,
    )


def reviews(store: Store, question_ids: Iterable[str] | None = None) -> list[StoredReview]:
    """Reviews by question, then time (all of them, or those of ``question_ids``)."""
    if question_ids is None:
        rows = store._rows(f"SELECT {_COLUMNS} FROM reviews ORDER BY {_ORDER}")
    else:
        _want(store, question_ids)
        rows = store._rows(
            f"SELECT {_COLUMNS} FROM reviews WHERE question_id IN (SELECT id FROM wanted) "
            f"ORDER BY {_ORDER}"
        )
    return [_stored(row) for row in rows]


def replay_rows(
    store: Store, question_ids: Iterable[str] | None = None
) -> list[tuple[int, str, int, int, int | None]]:
    """``reviews``' order and selection, only what a replay reads: (id, question id,
    reviewed_at µs, rating, seed)."""
    columns = "id, question_id, reviewed_at, rating, seed"
    if question_ids is None:
        return store._rows(f"SELECT {columns} FROM reviews ORDER BY {_ORDER}")  # type: ignore[return-value]
    _want(store, question_ids)
    return store._rows(  # type: ignore[return-value]
        f"SELECT {columns} FROM reviews WHERE question_id IN (SELECT id FROM wanted) "
        f"ORDER BY {_ORDER}"
    )


def _want(store: Store, question_ids: Iterable[str]) -> None:
    with store._errors("reading"):
        store._conn.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (id TEXT PRIMARY KEY)")
        store._conn.execute("DELETE FROM wanted")
        store._conn.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", _one(question_ids))


_BEFORE = ", ".join(f"json_extract(before, '$[{n}]')" for n in range(1, 9))


def flat_reviews(store: Store) -> list[tuple[object, ...]]:
    """Every review as one flat row, in ``reviews``' order, the state before unpacked:
    question_id, reviewed_at, rating, verdict, duration_ms, answer, seed, then the card's values
    before (status, step, stability, difficulty, due, last_review, reps, lapses; all NULL while
    new). For exporting 100,000 reviews quickly: orjson reads the stored states several times
    faster than SQLite's json_extract, which unpacks them when one is not as we write it."""
    import orjson

    rows = store._rows(
        "SELECT question_id, reviewed_at, rating, verdict, duration_ms, answer, seed, before "
        f"FROM reviews ORDER BY {_ORDER}"
    )
    loads = orjson.loads
    try:
        return [
            (*row[:7], *(_NEW_VALUES if row[7] is None else _values(loads(row[7]))))  # type: ignore[arg-type]
            for row in rows
        ]
    except (ValueError, TypeError):
        return store._rows(
            "SELECT question_id, reviewed_at, rating, verdict, duration_ms, answer, seed, "
            f"{_BEFORE} FROM reviews ORDER BY {_ORDER}"
        )


_NEW_VALUES = (None,) * 8


def _values(before: object) -> list[object]:
    """A stored state's values after the question id (``card_values``' list, as written)."""
    if type(before) is not list or len(before) != 9:
        raise ValueError("not a stored state")
    return before[1:]


def revlog_rows(store: Store) -> list[tuple[str, int, int, str, int | None]]:
    """(question_id, reviewed_at µs, rating, status before, duration_ms) for every review."""
    return store._rows(  # type: ignore[return-value]
        "SELECT question_id, reviewed_at, rating, status_before, duration_ms FROM reviews "
        f"ORDER BY {_ORDER}"
    )


def history_rows(store: Store) -> list[tuple[str, int, int, int | None, str, str, int]]:
    """(question_id, reviewed_at µs, rating, duration_ms, status before, status after, due
    after µs) for every review, in ``reviews``' order: what an Anki revlog needs."""
    return store._rows(  # type: ignore[return-value]
        "SELECT question_id, reviewed_at, rating, duration_ms, status_before, status_after, "
        f"due_after FROM reviews ORDER BY {_ORDER}"
    )


def _one(values: Iterable[str]) -> Iterable[tuple[str]]:
    return ((value,) for value in values)


def identities(store: Store) -> set[tuple[str, int, int]]:
    """Every review's identity: (question id, reviewed_at µs, rating)."""
    rows = store._rows("SELECT question_id, reviewed_at, rating FROM reviews")
    return {(str(q), int(t), int(r)) for q, t, r in rows}  # type: ignore[call-overload]


class NewReview(Record):
    question_id: str
    reviewed_at: int
    rating: int
    verdict: str
    duration_ms: int | None
    answer: str
    seed: int | None


Insert = Callable[[Sequence[NewReview], Sequence["Step | None"]], None]


@contextmanager
def inserting(store: Store) -> Iterator[Insert]:
    """``insert(rows, steps)`` for adding reviews whole, each row with its replayed states
    (``replay_part.Step``; one for each row), in order (so their ids are in that order)."""
    conn = store._conn
    # many rows a statement: a quarter less time than one a statement (executemany), within
    # SQLite's limit on parameters (999 on old builds)
    batch = max(1, min(500, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 11))

    def insert(rows: Sequence[NewReview], steps: Sequence[Step | None]) -> None:
        values = list(chain.from_iterable(map(_whole, rows, steps)))
        width = batch * 11
        whole = len(values) - len(values) % width
        batches = (values[n : n + width] for n in range(0, whole, width))
        conn.executemany(_insert_sql(batch), batches)
        if whole < len(values):
            conn.execute(_insert_sql((len(values) - whole) // 11), values[whole:])

    with store._errors("saving"), _indexes_rebuilt_if_empty(store):
        yield insert


def _whole(row: NewReview, step: Step | None) -> tuple[object, ...]:
    return row + step[:4]  # type: ignore[index]


@lru_cache(maxsize=8)
def _insert_sql(rows: int) -> str:
    return (
        "INSERT INTO reviews (question_id, reviewed_at, rating, verdict, duration_ms, answer, "
        "seed, status_before, status_after, due_after, before) VALUES "
        + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * rows)
    )


@contextmanager
def _indexes_rebuilt_if_empty(store: Store) -> Iterator[None]:
    """Into an empty reviews table, insert without its secondary indexes and build them after:
    SQLite builds an index from sorted keys several times faster than it grows one row by row.
    (Same indexes, same rows; inside the caller's transaction, so all or nothing.)"""
    conn = store._conn
    if conn.execute("SELECT 1 FROM reviews LIMIT 1").fetchone() is not None:
        yield
        return
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = 'reviews' AND sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def save_replay(store: Store, steps: Iterable[Step], cards: Iterable[Sequence[object]]) -> None:
    """Write replayed states: each stored review's ``Step`` and each question's final card
    (``card_values``)."""
    with store._errors("saving"):
        store._conn.executemany(
            "UPDATE reviews SET status_before = ?, status_after = ?, due_after = ?, before = ? "
            "WHERE id = ?",
            steps,
        )
        store._conn.executemany(
            "INSERT OR REPLACE INTO cards (question_id, status, step, stability, difficulty, due, "
            "last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cards,
        )


def renamed_to(store: Store) -> dict[str, str]:
    """Old question id → the id it was renamed to (one step; follow the chain to the end)."""
    rows = store._rows("SELECT id, renamed_to FROM questions WHERE renamed_to IS NOT NULL")
    return {str(old): str(new) for old, new in rows}


__all__ = [
    "NewReview",
    "StoredReview",
    "flat_reviews",
    "history_rows",
    "identities",
    "inserting",
    "renamed_to",
    "replay_rows",
    "reviews",
    "revlog_rows",
    "save_replay",
]
