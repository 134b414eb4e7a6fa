"""The learner's schedule and review history written into an exported Anki collection.

``export --with-progress`` reads the store once (``schedule_of``: each studied card's columns as
Anki stores them, and its reviews as revlog rows, computed by SQLite in ``anki_revlog``); the
collection genanki built gets its cards with those columns (``scheduled_cards``), its ``crt`` and
the revlog rows (``write_progress``), before it is packed.

Anki reads, for each card (``cards`` table): ``type``/``queue`` (1 learning, 2 review,
3 relearning), ``due`` (review cards: a day number counted from the collection's creation
``col.crt``; learning cards: epoch seconds), ``ivl`` (days), ``factor``, ``reps``, ``lapses``,
``left`` (learning steps still to go) and the FSRS memory state in ``data`` (``{"s": stability,
"d": difficulty, "dr": desired retention, "lrt": last review, epoch seconds}``); and one
``revlog`` row per review (id = time in ms, ``ease`` 1–4, ``ivl`` after (days, or negative
seconds while learning), ``lastIvl``, ``time`` in ms, ``type`` 0 learn, 1 review, 2 relearn).

A review card's day number only means a date together with ``col.crt``: Anki's import moves it by
the difference between the package's "today" and the collection's, so the package's days must
turn where the learner's study days turn. A collection without a creation offset counts days in
whole 86,400 s from ``crt``, so ``crt`` is set to the start of the learner's study day at export.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, cast

from ..bulk import json_encoder
from ..records import Record
from ..study.scheduling import Status, day_start, study_day
from ..study.store.rows import CARD_COLUMNS, from_us
from .anki_revlog import RevlogTable, insert_revlog, revlog_table
from .anki_revlog import _unique as _unique  # the clash rule, pinned by test_progress_bulk

if TYPE_CHECKING:
    from ..deck.question import Question
    from ..study.scheduling import Settings
    from ..study.store.store import Store

LEARNING_TYPE = {Status.LEARNING: 1, Status.REVIEW: 2, Status.RELEARNING: 3}
FACTOR = 2500  # Anki's starting ease; FSRS schedules from ``data``, SM-2 would start here
DAY_US = 86_400 * 1_000_000
Columns = tuple[int, int, int, int, int, int, int, int, str]  # type, queue … left, data
# a store ``cards`` row: question id, status, step, stability, difficulty, due, last review (µs),
# reps, lapses
_CardRow = tuple[str, str, int | None, float | None, float | None, int, int | None, int, int]


class Schedule(Record):
    """What goes into the package: each note's card columns by note GUID (type, queue, due,
    ivl, factor, reps, lapses, left, data; None for a new card), the revlog rows of those cards
    (``anki_revlog.revlog_table``, card = position in ``cards``) and the collection's ``crt``."""

    cards: Mapping[str, Columns | None]
    revlog: RevlogTable
    crt: int


def schedule_of(
    store: Store, bank: Iterable[Question], settings: Settings, *, zone: tzinfo, now: datetime
) -> Schedule:
    """The store's cards by note GUID (a renamed question's from its oldest id) and their
    reviews as revlog rows, read in one go."""
    from .anki_ids import StoreGuids

    guid = StoreGuids(store, bank)
    today = study_day(now, zone, settings.day_start_hour)
    days = _Days(zone, settings.day_start_hour, today)
    retention = settings.desired_retention
    with _snapshot(store):  # the cards and the reviews as of one moment
        rows = store._rows(f"SELECT {CARD_COLUMNS} FROM cards")
        cards = {guid(str(row[0])): _columns(row, days, retention) for row in rows}
        revlog = revlog_table(store, guid, {g: n for n, g in enumerate(cards)})
    crt = int(day_start(today, zone, settings.day_start_hour).timestamp())
    return Schedule(cards, revlog, crt)


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """One read transaction (unless the caller holds one): later writes by others unseen."""
    conn = store._conn
    if conn.in_transaction:
        yield
        return
    with store._errors("reading"):
        conn.execute("BEGIN")
    try:
        yield
    finally:
        with store._errors("reading"):
            conn.execute("COMMIT")


def scheduled_cards(
    cards: Sequence[tuple[object, ...]], last_card: Mapping[str, int], schedule: Schedule
) -> tuple[list[tuple[object, ...]], list[tuple[int, int]]]:
    """``cards`` (rows of Anki's ``cards`` table) with the schedule's columns in each note's
    last card (``last_card``: GUID → index); and (position in the schedule, card id) of each
    card scheduled. New cards and the notes of other questions are left as they are, and a
    suspended card (a retired question) stays suspended."""
    out = list(cards)
    written = []
    for position, (guid, columns) in enumerate(schedule.cards.items()):
        index = last_card.get(guid)
        if index is None or columns is None:
            continue
        card = out[index]
        queue = card[7] if card[7] == -1 else columns[1]
        out[index] = (*card[:6], columns[0], queue, *columns[2:8], *card[14:17], columns[8])
        written.append((position, int(card[0])))  # type: ignore[call-overload]
    return out, written


def write_progress(
    cursor: sqlite3.Cursor, schedule: Schedule, written: Iterable[tuple[int, int]]
) -> None:
    """Date the collection for the schedule's day numbers and add the revlog rows of the cards
    ``scheduled_cards`` wrote (``written``)."""
    (conf,) = cursor.execute("SELECT conf FROM col").fetchone()
    # schedVer 2: else Anki "upgrades" the package from scheduler v1 on import, renumbering the
    # eases of learning reviews (v1's 3 learning buttons) and so changing our ratings
    conf = json.dumps({**json.loads(conf), "schedVer": 2})
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (schedule.crt, conf))
    insert_revlog(cursor, schedule.revlog, written, FACTOR)


class _Days:
    """Study days of the learner's zone as the package's day numbers."""

    def __init__(self, zone: tzinfo, hour: int, today: date) -> None:
        self.zone, self.hour, self.today = zone, hour, today

    def number(self, moment: datetime) -> int:
        return (study_day(moment, self.zone, self.hour) - self.today).days


def _days(start: int, end: int) -> int:
    """An interval in whole days (µs in): FSRS schedules a review whole days after it."""
    return max(1, round((end - start) / DAY_US))


def _columns(row: Sequence[object], days: _Days, retention: float) -> Columns | None:
    """A store ``cards`` row (``CARD_COLUMNS``, times in µs) as Anki's card columns."""
    _, status, _, stability, difficulty, due, last, reps, lapses = cast(_CardRow, row)
    if status not in LEARNING_TYPE:  # new
        return None
    if status == Status.REVIEW:
        start = last if last is not None else due
        day, ivl, left, queue = days.number(from_us(due)), _days(start, due), 0, 2
    else:  # (re)learning: due to the second, ``left`` counts the steps still to go
        day, left, queue = int(due / 1_000_000), 1, 1  # = int(from_us(due).timestamp())
        ivl = max(1, round(stability or 1)) if status == Status.RELEARNING else 0
    memory = _memory(stability, difficulty, retention, last)
    return (LEARNING_TYPE[status], queue, day, ivl, FACTOR, reps, lapses, left, memory)  # type: ignore[index]


def _memory(
    stability: float | None, difficulty: float | None, retention: float, last: int | None
) -> str:
    if stability is None or difficulty is None:
        return ""
    data: dict[str, object] = {
        "s": round(stability, 4),
        "d": round(difficulty, 3),
        "dr": round(retention, 2),
    }
    if last is not None:
        data["lrt"] = int(last / 1_000_000)  # = int(from_us(last).timestamp())
    return _COMPACT(data)


_COMPACT = json_encoder(separators=(",", ":"))
