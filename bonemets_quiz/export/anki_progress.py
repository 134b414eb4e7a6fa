"""The learner's schedule and review history written into an exported Anki collection.

``export --with-progress`` calls ``write_progress`` on the collection genanki built, before it is
packed. Anki reads, for each card (``cards`` table): ``type``/``queue`` (1 learning, 2 review,
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
from collections.abc import Iterable, Mapping
from datetime import date, datetime, tzinfo
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from ..bulk import json_encoder
from ..scheduling import CardState, Status, day_start, study_day
from ..store_rows import to_us

if TYPE_CHECKING:
    from ..question import Question
    from ..scheduling import Settings
    from ..store import Store

LEARNING_TYPE = {Status.LEARNING: 1, Status.REVIEW: 2, Status.RELEARNING: 3}
_STATUS = {status.value: status for status in Status}
REVLOG_TYPE = {Status.NEW: 0, Status.LEARNING: 0, Status.REVIEW: 1, Status.RELEARNING: 2}
FACTOR = 2500  # Anki's starting ease; FSRS schedules from ``data``, SM-2 would start here
DAY_US = 86_400 * 1_000_000
MAX_TIME_MS = 60_000 * 60  # Anki keeps a review's time in ms as a 32-bit number; an hour is plenty


class Review(NamedTuple):
    """One review as the revlog needs it (times in µs since the epoch, UTC)."""

    reviewed_at: int
    rating: int
    duration_ms: int | None
    before: Status
    after: Status
    due_after: int


class Schedule(NamedTuple):
    """What goes into the package: each note's card state and reviews, by note GUID."""

    cards: Mapping[str, CardState]
    reviews: Mapping[str, list[Review]]
    desired_retention: float
    zone: tzinfo
    day_start_hour: int
    now: datetime


def schedule_of(
    store: Store, bank: Iterable[Question], settings: Settings, *, zone: tzinfo, now: datetime
) -> Schedule:
    """The store's cards and reviews by note GUID (a renamed question's from its oldest id)."""
    from .. import store_log
    from ..progress import _Guids

    guid = _Guids(store, bank)
    reviews: dict[str, list[Review]] = {}
    states = _STATUS
    # rows come by question: one GUID look-up per question, not per review
    for qid, rows in groupby(store_log.history_rows(store), key=itemgetter(0)):
        reviews.setdefault(guid(qid), []).extend(
            Review(at, rating, duration, states[before], states[after], due)
            for _, at, rating, duration, before, after, due in rows
        )
    cards = {guid(qid): card for qid, card in store.cards().items()}
    return Schedule(cards, reviews, settings.desired_retention, zone, settings.day_start_hour, now)


def write_progress(cursor: sqlite3.Cursor, schedule: Schedule) -> None:
    """Set each of our cards' scheduling columns and add its revlog rows (cards of new questions
    and suspended ones are left as they are)."""
    today = study_day(schedule.now, schedule.zone, schedule.day_start_hour)
    crt = int(day_start(today, schedule.zone, schedule.day_start_hour).timestamp())
    (conf,) = cursor.execute("SELECT conf FROM col").fetchone()
    # schedVer 2: else Anki "upgrades" the package from scheduler v1 on import, renumbering the
    # eases of learning reviews (v1's 3 learning buttons) and so changing our ratings
    conf = json.dumps({**json.loads(conf), "schedVer": 2})
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (crt, conf))
    days = _Days(schedule, today)
    ids = {
        str(guid): (int(cid), int(queue))
        for guid, cid, queue in cursor.execute(
            "SELECT n.guid, c.id, c.queue FROM cards c JOIN notes n ON n.id = c.nid"
        )
    }
    updates, revlog = [], []
    for guid, card in schedule.cards.items():
        if guid not in ids or card.status is Status.NEW:
            continue
        cid, queue = ids[guid]
        updates.append((*_card_columns(card, days, queue, schedule.desired_retention), cid))
        revlog.extend(_revlog(cid, schedule.reviews.get(guid, ())))
    cursor.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, "
        "lapses = ?, left = ?, data = ? WHERE id = ?",
        updates,
    )
    # in id order: each row lands at the end of the table's b-tree instead of in its middle
    cursor.executemany(
        "INSERT OR IGNORE INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", sorted(_unique(revlog))
    )


class _Days:
    """Study days of the learner's zone as the package's day numbers."""

    def __init__(self, schedule: Schedule, today: date) -> None:
        self.zone, self.hour, self.today = schedule.zone, schedule.day_start_hour, today

    def number(self, moment: datetime) -> int:
        return (study_day(moment, self.zone, self.hour) - self.today).days


def _days(start: int, end: int) -> int:
    """An interval in whole days (µs in): FSRS schedules a review whole days after it."""
    return max(1, round((end - start) / DAY_US))


def _card_columns(card: CardState, days: _Days, queue: int, retention: float) -> tuple[object, ...]:
    assert card.due is not None
    kind = LEARNING_TYPE[card.status]
    if card.status is Status.REVIEW:
        last = to_us(card.last_review or card.due)
        due, ivl, left = days.number(card.due), _days(last, to_us(card.due)), 0
    else:  # (re)learning: due to the second, ``left`` counts the steps still to go
        due, left = int(card.due.timestamp()), 1
        ivl = max(1, round(card.stability or 1)) if card.status is Status.RELEARNING else 0
    if queue != -1:  # a retired question stays suspended
        queue = 2 if card.status is Status.REVIEW else 1
    return (
        kind,
        queue,
        due,
        ivl,
        FACTOR,
        card.reps,
        card.lapses,
        left,
        _memory(card, retention),
    )


def _memory(card: CardState, retention: float) -> str:
    if card.stability is None or card.difficulty is None:
        return ""
    data: dict[str, object] = {
        "s": round(card.stability, 4),
        "d": round(card.difficulty, 3),
        "dr": round(retention, 2),
    }
    if card.last_review is not None:
        data["lrt"] = int(card.last_review.timestamp())
    return _COMPACT(data)


_COMPACT = json_encoder(separators=(",", ":"))


def _revlog(cid: int, reviews: Iterable[Review]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    last_ivl = 0
    for at, rating, duration, before, after, due in reviews:
        if after is Status.REVIEW:  # ``_interval``, inline: a long history runs it often
            ivl = max(1, round((due - at) / DAY_US))
        else:
            ivl = -max(1, (due - at) // 1_000_000)
        time_ms = min(duration, MAX_TIME_MS) if duration and duration > 0 else 0
        rows.append((at // 1000, cid, rating, ivl, last_ivl, FACTOR, time_ms, REVLOG_TYPE[before]))
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
