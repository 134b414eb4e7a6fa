"""The terminal's reviews as Anki ``revlog`` rows, computed and copied by SQLite, not row by row.

``revlog_table`` runs on the progress store: one ``INSERT … SELECT`` turns its reviews into revlog
values, each card's in the order its history is walked (by question id, time, rating, row id; a
question renamed when both ids had reviews gathers both, in id order), numbered by ``seq``. The
result is a small SQLite database (bytes) that ``insert_revlog`` attaches to the collection being
written and copies into ``revlog`` with a second ``INSERT … SELECT``: only the rows of the cards
written, each with its Anki card id and the previous review's interval (``lastIvl``, joined from
``seq - 1``). Reading thousands of reviews into Python and binding them back one by one took most
of the time of ``export --with-progress``.

Per review: id = time in ms; ``ease`` = rating; ``ivl`` = whole days to the next due date after a
review into review state (rounded half to even, as Python's ``round``), else minus the seconds
(learning); ``time`` = the duration in ms, at most an hour (Anki keeps it in 32 bits), 0 if
unknown; ``type`` = 0 learn (new, learning), 1 review, 2 relearn, from the state before.
Revlog ids must be unique: in the rare package where two reviews share a millisecond, the rows
are walked in Python instead and a clash moves a row on by 1 ms (``_unique``).

The SQL reads the store's ``reviews`` table directly (``store_schema``), inside the caller's
read transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from ..records import Record

if TYPE_CHECKING:
    from ..study.store.store import Store

_DAY_US = 86_400 * 1_000_000
_MAX_TIME_MS = 60_000 * 60
_SCHEMA = "bonemets_progress"  # the attached revlog database's name in the collection
# Python's ``max(1, round(d / DAY))`` in integers: SQLite's ``round`` rounds halves away from
# zero, Python's to even. (Float and integer agree for any interval under 100,000 days.)
_D = "(r.due_after - r.reviewed_at)"
_DAYS = (
    f"({_D} / {_DAY_US} + CASE WHEN 2 * ({_D} % {_DAY_US}) > {_DAY_US} THEN 1 "
    f"WHEN 2 * ({_D} % {_DAY_US}) = {_DAY_US} THEN ({_D} / {_DAY_US}) % 2 ELSE 0 END)"
)
_ROWS = f"""
INSERT INTO temp.anki_revlog (card, id, ease, ivl, time, type)
SELECT {{card}}, r.reviewed_at / 1000, r.rating,
    CASE WHEN r.status_after = 'review' THEN max(1, {_DAYS}) ELSE -max(1, {_D} / 1000000) END,
    CASE WHEN r.duration_ms > 0 THEN min(r.duration_ms, {_MAX_TIME_MS}) ELSE 0 END,
    CASE r.status_before WHEN 'review' THEN 1 WHEN 'relearning' THEN 2 ELSE 0 END
FROM reviews r {{join}}
ORDER BY {{by}}r.question_id, r.reviewed_at, r.rating, r.id
"""
# Each card's reviews one after the other, in its history's order: in the ``reviews_identity``
# index's order when each card has one question id (no sort); else by card number first.
_BY_QUESTION = _ROWS.format(card="r.question_id", join="", by="")
_BY_CARD = _ROWS.format(
    card="k.card", join="JOIN temp.anki_card k ON k.question_id = r.question_id", by="k.card, "
)
_COPY = f"""
INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
SELECT r.id, w.cid, -1, r.ease, r.ivl, CASE WHEN p.card = r.card THEN p.ivl ELSE 0 END,
    :factor, r.time, r.type
FROM {_SCHEMA}.anki_revlog r JOIN temp.anki_written w ON w.card = r.card
LEFT JOIN {_SCHEMA}.anki_revlog p ON p.seq = r.seq - 1
ORDER BY r.id
"""


class RevlogTable(Record):
    """The revlog values of a store's reviews: a SQLite database holding ``anki_revlog(seq,
    card, id, ease, ivl, time, type)``, and each card number's key in its ``card`` column."""

    data: bytes
    keys: Mapping[int, str | int]


def revlog_table(store: Store, guid: Callable[[str], str], cards: Mapping[str, int]) -> RevlogTable:
    """The revlog values of the store's reviews, for the cards in ``cards`` (GUID → card number;
    ``insert_revlog`` skips the rows of other questions, if any). A card is keyed by its question
    id, or by its number when it has reviews under several ids (a question renamed when both ids
    had reviews)."""
    conn = store._conn
    with store._errors("reading"):
        qids = [str(q) for (q,) in conn.execute("SELECT DISTINCT question_id FROM reviews")]
        keyed = [(qid, cards[g]) for qid in qids if (g := guid(qid)) in cards]
        renamed = len({card for _, card in keyed}) < len(keyed)
        try:
            conn.execute(
                "CREATE TEMP TABLE anki_revlog (seq INTEGER PRIMARY KEY, card, id INT, "
                "ease INT, ivl INT, time INT, type INT)"
            )
            if renamed:
                conn.execute("CREATE TEMP TABLE anki_card (question_id TEXT PRIMARY KEY, card)")
                conn.executemany("INSERT INTO temp.anki_card VALUES (?, ?)", keyed)
                conn.execute(_BY_CARD)
                conn.execute("DROP TABLE temp.anki_card")
            else:
                conn.execute(_BY_QUESTION)
            keys = {card: card if renamed else qid for qid, card in keyed}
            return RevlogTable(conn.serialize(name="temp"), keys)
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.anki_card")
            conn.execute("DROP TABLE IF EXISTS temp.anki_revlog")


def insert_revlog(
    cursor: sqlite3.Cursor, table: RevlogTable, written: Iterable[tuple[int, int]], factor: int
) -> None:
    """Add the revlog rows of the written cards (``written``: card number, Anki card id) from
    ``revlog_table``'s ``table`` to the collection, in id order (each row lands at the end of
    the table's b-tree)."""
    conn = cursor.connection
    conn.commit()  # ATTACH cannot run inside the transaction genanki's inserts opened
    cursor.execute(f"ATTACH ':memory:' AS {_SCHEMA}")
    conn.deserialize(table.data, name=_SCHEMA)
    cursor.execute("CREATE TEMP TABLE anki_written (card PRIMARY KEY, number INT, cid INT)")
    cursor.executemany(
        "INSERT INTO temp.anki_written VALUES (?, ?, ?)",
        ((table.keys[n], n, cid) for n, cid in written if n in table.keys),
    )
    try:
        cursor.execute(_COPY, {"factor": factor})
    except sqlite3.IntegrityError as exc:  # the statement undid itself
        if exc.sqlite_errorname != "SQLITE_CONSTRAINT_PRIMARYKEY":
            raise
        # two reviews in one millisecond: walked in Python, a clash moved on
        cursor.executemany(
            "INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            sorted(_unique(_walked(cursor, factor))),
        )


def _walked(cursor: sqlite3.Cursor, factor: int) -> list[tuple[object, ...]]:
    """The rows ``_COPY`` inserts, cards in ``cards`` order, each card's in history order."""
    rows: list[tuple[object, ...]] = []
    card, last_ivl = None, 0
    for number, rid, cid, ease, ivl, time, kind in cursor.execute(
        f"SELECT w.number, r.id, w.cid, r.ease, r.ivl, r.time, r.type FROM {_SCHEMA}.anki_revlog r "
        "JOIN temp.anki_written w ON w.card = r.card ORDER BY w.number, r.seq"
    ):
        if number != card:
            card, last_ivl = number, 0
        rows.append((rid, cid, ease, ivl, last_ivl, factor, time, kind))
        last_ivl = ivl
    return rows


def _unique(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Revlog ids are the time in ms and must be unique: a clash moves a row on by 1 ms."""
    if len({row[0] for row in rows}) == len(rows):  # the usual case: no clash
        return rows
    seen: set[int] = set()
    out = []
    for row in rows:
        rid = int(row[0])  # type: ignore[call-overload]
        if rid in seen:
            while rid in seen:
                rid += 1
            row = (rid, *row[1:])
        seen.add(rid)
        out.append(row)
    return out
