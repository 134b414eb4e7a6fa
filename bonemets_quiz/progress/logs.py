"""Progress travels: export a store's review log, merge logs into a store, replay the log.

The review log is the truth: a store's card states are what replaying its reviews through the
scheduler gives (``replay``). Each review keeps the fuzz seed it was scheduled with, so a replay
reproduces the saved schedule exactly under the same settings (a review saved before schema 2 has
no seed and replays with seed 0).

Importing merges by identity — (question id after following renames, reviewed_at µs, rating) — so
importing twice changes nothing and the order of imports does not matter; then each touched
question's card is recomputed by replaying its merged history. All of it is one transaction.
"""

from __future__ import annotations

import io
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import IO

from ..deck.question import Question
from ..export.anki_ids import StoreGuids
from ..gc_pause import gc_paused
from ..records import Record
from ..study.scheduling import CardState, Settings
from ..study.store.rows import EPOCH, card_row, card_values, from_us, to_us
from ..study.store.store import Store
from . import store_log
from .replay_import import PARALLEL_FROM, helper, replay_and_save
from .replay_part import History, Progress, answers, replay_part
from .replay_worker import Worker
from .review_log import LogRecord, read_log, state_to_json, write_jsonl, write_revlog

PathLike = str | os.PathLike[str]
FORMATS = ("jsonl", "csv")


class ImportSummary(Record):
    files: tuple[str, ...]
    reviews: int  # reviews read from the files
    added: int
    duplicates: int  # already in the store (or twice in the input): skipped
    retired: int  # added reviews of questions the bank no longer has (kept, not scheduled)
    recomputed: int  # questions whose card state was recomputed by replay

    def to_dict(self) -> dict[str, object]:
        return {**self._asdict(), "files": list(self.files)}


# ---------------------------------------------------------------------------- export


def export_log(
    store: Store,
    bank: Iterable[Question],
    out: PathLike | IO[str],
    format: str = "jsonl",
    *,
    now: datetime,
) -> int:
    """Write every review in ``store`` to ``out`` (a path, written atomically, or a text stream)
    as JSON Lines (``format="jsonl"``) or FSRS revlog CSV (``"csv"``); the number of reviews."""
    if format not in FORMATS:
        raise ValueError(f"unknown review log format {format!r}; use jsonl or csv")
    questions = list(bank)
    if not isinstance(out, (str, os.PathLike)):
        with gc_paused():
            return _write(out, store, questions, format, now)
    buffer = io.StringIO()
    with gc_paused():
        count = _write(buffer, store, questions, format, now)
    from ..export.atomic import write_text_atomic

    write_text_atomic(os.fspath(out), buffer.getvalue())
    return count


def _write(out: IO[str], store: Store, bank: list[Question], fmt: str, now: datetime) -> int:
    if fmt == "csv":
        return write_revlog(out, store_log.revlog_rows(store))
    decks = sorted({q.deck_id for q in bank})
    return write_jsonl(out, _json_records(store, bank), decks, now)


def _json_records(store: Store, bank: Iterable[Question]) -> Iterator[bytes]:
    """``orjson.dumps(record_to_json(r)) for r in log_records(...)``, straight from flat SQL
    rows: several times faster, which a 100,000-review export notices (tests hold the two
    equal). Each state is encoded once, though it is one review's after and the next's before."""
    import orjson

    dumps = orjson.dumps
    guids = StoreGuids(store, bank)
    cards = {qid: dumps(_raw_state(card_values(c))) for qid, c in store.cards().items()}
    rows = store_log.flat_reviews(store)
    new = dumps(_NEW)
    states = [dumps(_raw_state(row[6:])) if row[7] is not None else new for row in rows]
    iso = _iso_us
    last = len(rows) - 1
    for n, (qid, at, rating, verdict, duration, answer, seed, *_) in enumerate(rows):
        following = n < last and rows[n + 1][0] == qid
        after = states[n + 1] if following else cards.get(qid, new)  # type: ignore[call-overload]
        head = dumps(
            {
                "question_id": qid,
                "guid": guids(qid),  # type: ignore[arg-type]
                "reviewed_at": iso(at),
                "rating": rating,
                "duration_ms": duration,
                "answer": answer,
                "verdict": verdict,
                "seed": seed,
            }
        )
        yield b"".join((head[:-1], b',"before":', states[n], b',"after":', after, b"}"))


_NEW = state_to_json(CardState(""))


def _raw_state(values: Sequence[object]) -> dict[str, object]:
    """``state_to_json`` of stored card values (``store_rows.card_values``, with the id first)."""
    _, status, step, stability, difficulty, due, last, reps, lapses = values
    return {
        "status": status,
        "due": _iso_us(due),
        "last_review": _iso_us(last),
        "stability": stability,
        "difficulty": difficulty,
        "step": step,
        "reps": reps,
        "lapses": lapses,
    }


_EPOCH_DAY = date(1970, 1, 1)
_DAYS: dict[int, str] = {}  # days since the epoch → "YYYY-MM-DD"


@lru_cache(maxsize=1 << 18)  # a review's time comes back as its after state's last_review
def _iso_us(value: int | None) -> str | None:
    """``iso(from_us(value))``, spelled out: the date's text once per day, the time by digits
    (``datetime.isoformat`` per time costs a 100,000-review export a tenth of a second)."""
    if value is None:
        return None
    days, us = divmod(value, 86_400_000_000)
    day = _DAYS.get(days)
    if day is None:
        day = _DAYS[days] = (_EPOCH_DAY + timedelta(days=days)).isoformat()
    seconds, us = divmod(us, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{day}T{hours:02d}:{minutes:02d}:{seconds:02d}.{us:06d}Z"


def log_records(store: Store, bank: Iterable[Question]) -> Iterator[LogRecord]:
    """Every review in ``store`` with the card's state before and after it, by question, then
    time. A state after is the next review's state before, or the card as stored for the last."""
    guids = StoreGuids(store, bank)
    cards = store.cards()
    rows = store_log.reviews(store)
    states = [_state(row.question_id, row.before) for row in rows]
    for n, row in enumerate(rows):
        qid = row.question_id
        before = states[n]
        if n + 1 < len(rows) and rows[n + 1].question_id == qid:
            after = states[n + 1]
        else:
            after = cards.get(qid, CardState(qid))
        yield LogRecord(
            question_id=qid,
            guid=guids(qid),
            reviewed_at=from_us(row.reviewed_at),
            rating=row.rating,
            duration_ms=row.duration_ms,
            answer=row.answer,
            verdict=row.verdict,
            seed=row.seed,
            before=before,
            after=after,
        )


def _state(qid: str, values: list[object] | None) -> CardState:
    return CardState(qid) if values is None else card_row([qid, *values[1:]])


# ---------------------------------------------------------------------------- import


def import_log(
    store: Store,
    bank: Iterable[Question],
    path: PathLike | Sequence[PathLike],
    scheduler_settings: Settings,
    *,
    now: datetime,
    progress: Progress | None = None,
    parallel_from: int | None = PARALLEL_FROM,
) -> ImportSummary:
    """Merge one review log (or several) into ``store``, in one transaction; see the module doc.

    Every file is parsed before anything is written: a bad one raises ``LogError`` (one located
    line) and leaves the store as it was. ``bank`` is the current question bank: the store is
    synced with it (renames, retirements) in the same transaction, and logged reviews of renamed
    questions follow ``replaces``. A review of a question the bank no longer has is kept (retired);
    one of a question neither the bank nor the store ever had is kept too, under its id, with no
    question text (``store.questions()`` does not list it) — a later bank that has it picks it up.

    From ``parallel_from`` reviews (None: never) a second process replays part of the history
    (``replay_import``): the same rows, sooner.
    """
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    with gc_paused():
        records = [r for p in paths for r in read_log(p, now, states=False)[1]]
    summary = import_records(
        store, bank, records, scheduler_settings, now=now, progress=progress,
        parallel_from=parallel_from,
    )  # fmt: skip
    return summary._replace(files=tuple(os.fspath(p) for p in paths))


def import_records(
    store: Store,
    bank: Iterable[Question],
    records: Sequence[LogRecord],
    scheduler_settings: Settings,
    *,
    now: datetime,
    progress: Progress | None = None,
    parallel_from: int | None = PARALLEL_FROM,
) -> ImportSummary:
    """``import_log`` for records already read (``review_log.read_log``, or another source such
    as an Anki collection): merged by identity, replayed, in one transaction."""
    questions = list(bank)
    current = {q.id for q in questions}
    # a worker for a large import starts first: its start-up overlaps the merge
    with helper(len(records), parallel_from) as worker, store.transaction(), gc_paused():
        store._sync(questions, sorted({q.deck_id for q in questions}), to_us(now))
        resolve = _renames(store, questions)
        new, fresh = _merge(store, records, resolve, progress)
        replayed = _replay_merged(
            store, scheduler_settings, new, fresh, progress, len(records), worker, parallel_from
        )
    return ImportSummary(
        files=(),
        reviews=len(records),
        added=len(new),
        duplicates=len(records) - len(new),
        retired=sum(1 for row in new if row.question_id not in current),
        recomputed=replayed,
    )


def _renames(store: Store, bank: Sequence[Question]) -> Callable[[str], str]:
    """Old question id → its id today, following ``replaces`` (the bank's, then the store's)."""
    step = store_log.renamed_to(store)
    step.update({old: q.id for q in bank for old in q.replaces if old != q.id})

    def follow(qid: str) -> str:
        seen = {qid}
        while qid in step and step[qid] not in seen:  # a cycle in renames stops where it loops
            qid = step[qid]
            seen.add(qid)
        return qid

    known: dict[str, str] = {}

    def resolve(qid: str) -> str:  # once per id: a log names each question many times
        found = known.get(qid)
        if found is None:
            found = known[qid] = follow(qid)
        return found

    return resolve


def _merge(
    store: Store,
    records: Sequence[LogRecord],
    resolve: Callable[[str], str],
    progress: Progress | None,
) -> tuple[list[store_log.NewReview], History]:
    """The reviews not yet in the store (each once), in the order read; and their history rows
    (``replay_part.History``, the id of ``new[n]`` being -1 - n)."""
    have = store_log.identities(store)
    rows: list[store_log.NewReview] = []
    history: History = []
    new, kind = tuple.__new__, store_log.NewReview  # NewReview(...) without keyword handling
    epoch, us = EPOCH, _US
    for n, (qid, _, at, rating, duration, answer, verdict, seed, _, _) in enumerate(records, 1):
        key = (resolve(qid), (at - epoch) // us, int(rating))  # (at - epoch) // us: to_us(at)
        if key not in have:
            have.add(key)
            history.append((-1 - len(rows), *key, seed))
            rows.append(new(kind, (*key, verdict, duration, answer, seed)))
        if progress is not None:
            progress(n)
    return rows, history


def _replay_merged(
    store: Store,
    settings: Settings,
    new: Sequence[store_log.NewReview],
    fresh: History,
    progress: Progress | None,
    offset: int,
    worker: Worker | None,
    parallel_from: int | None,
) -> int:
    """Replay each touched question's stored and ``new`` reviews together, then save: the new
    ones inserted whole with their states (in the order read), the stored ones updated. (Adding
    the new rows first and updating every one of them after costs a 100,000-review import a
    second.) The number of questions replayed."""
    touched = {row.question_id for row in new}
    history = store_log.replay_rows(store, touched)
    # a new review never has a stored one's identity: (question, time, rating) orders them all
    history += fresh
    history.sort(key=_history_order)  # stable: stored ties keep id order
    return replay_and_save(
        store, settings, history, new, worker=worker, parallel_from=parallel_from,
        progress=progress, offset=offset,
    )  # fmt: skip


_history_order = itemgetter(1, 2, 3)  # (question id, reviewed_at, rating)
_US = timedelta(microseconds=1)


# ---------------------------------------------------------------------------- replay


def replay(
    store: Store,
    settings: Settings,
    question_ids: Iterable[str] | None = None,
    *,
    write: bool = False,
) -> dict[str, CardState]:
    """Each question's card state from replaying its reviews (all, or ``question_ids``) in time
    order through the scheduler, each with its own fuzz seed. ``write=True`` also saves the
    states (each review's before/after and the cards), in one transaction."""
    with gc_paused():
        if not write:
            return _replay_states(store, settings, question_ids)
        with store.transaction():
            return _replay(store, settings, question_ids, None, 0)


def _replay(
    store: Store,
    settings: Settings,
    question_ids: Iterable[str] | None,
    progress: Progress | None,
    offset: int,
) -> dict[str, CardState]:
    cards: dict[str, CardState] = {}
    rows = store_log.replay_rows(store, question_ids)
    steps, values = replay_part(rows, settings, progress, offset, cards)
    store_log.save_replay(store, steps, values)
    return cards


def _replay_states(
    store: Store, settings: Settings, question_ids: Iterable[str] | None
) -> dict[str, CardState]:
    cards: dict[str, CardState] = {}
    deque(answers(store_log.replay_rows(store, question_ids), settings, cards), maxlen=0)
    return cards
