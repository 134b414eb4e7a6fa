"""``export --with-progress``: the package's card columns and revlog rows, each checked against the
store it came from, restated here row by row (issue 10, point 3). No Anki needed: the collection
inside the package is read with SQLite. The round trip through real Anki is in
``test_anki_progress``.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from anki_testkit import TEST_DECK, load
from deck_files import write_deck

from bonemets_quiz.deck.model import Deck, Question
from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.anki_ids import guid_key, note_guid
from bonemets_quiz.export.anki_progress import schedule_of
from bonemets_quiz.progress import store_log
from bonemets_quiz.study.scheduling import (
    CardState,
    Rating,
    Scheduler,
    Settings,
    Status,
    day_start,
    study_day,
)
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store.store import Store

ZONE = ZoneInfo("America/New_York")  # days turn at 4 o'clock there, not at midnight UTC
NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)  # after the clocks changed (8 March)
DAY_US = 86_400_000_000
RATINGS = [Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD, Rating.EASY, Rating.GOOD]
RENAMED = TEST_DECK.replace("  - id: widget\n", "  - id: gizmo\n    replaces: [widget]\n")


def study(store: Store, questions: list[Question], days: int = 24) -> int:
    """Answers on every other day before ``NOW``, durations unknown, usual and over an hour."""
    store.sync(questions, NOW - timedelta(days=days + 5))
    answered = 0
    for day in range(0, days, 2):
        now = NOW - timedelta(days=days - day, minutes=answered)
        session = Session(store, questions, ZONE, now, seed=day)
        for _ in range(12):
            question = session.next(now)
            if question is None:
                break
            duration = [None, 2500, 3_600_001, 0][answered % 4]
            session.answer(question, RATINGS[answered % len(RATINGS)], now, "right", duration)
            answered += 1
            now += timedelta(minutes=3, microseconds=1234)
    return answered


def export(
    decks: list[Deck], questions: list[Question], store: Store, path: Path
) -> sqlite3.Connection:
    """Export with progress; the package's collection, open."""
    schedule = schedule_of(store, questions, store.settings(), zone=ZONE, now=NOW)
    export_apkg(decks, questions, path, now=NOW, schedule=schedule)
    conn = sqlite3.connect(":memory:")
    conn.deserialize(zipfile.ZipFile(path).read("collection.anki2"))
    return conn


def guid_of(questions: list[Question]) -> dict[str, str]:
    """Question id → note GUID (a question the bank no longer has: from its own id)."""
    keys = {q.id: guid_key(q) for q in questions}

    class Guids(dict[str, str]):
        def __missing__(self, qid: str) -> str:
            return note_guid(*keys.get(qid, (qid.split("/", 1)[0], qid)))

    return Guids()


def card_ids(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Note GUID → (id, queue) of its card in the package."""
    rows = conn.execute("SELECT n.guid, c.id, c.queue FROM cards c JOIN notes n ON n.id = c.nid")
    return {guid: (cid, queue) for guid, cid, queue in rows}


def expected_revlog(
    store: Store, questions: list[Question], cards: dict[str, tuple[int, int]]
) -> list[tuple[object, ...]]:
    """Every review of an exported card as Anki's revlog row, in id order: id = time in ms
    (a clash moves the later card's row on by 1 ms), ease = rating, ivl = whole days (half to
    even) into review or minus the seconds, lastIvl = the card's previous ivl, time ≤ 1 h."""
    guid = guid_of(questions)
    history: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    for qid, *review in store_log.history_rows(store):
        history[guid[qid]].append(tuple(review))
    rows = []
    for g in dict.fromkeys(guid[qid] for qid in store.cards()):  # the cards' order
        if g not in cards:
            continue
        last = 0
        for at, rating, duration, before, after, due in history[g]:
            if after == "review":
                ivl = max(1, round((due - at) / DAY_US))
            else:
                ivl = -max(1, (due - at) // 10**6)
            time = min(duration, 3_600_000) if duration and duration > 0 else 0
            kind = {"review": 1, "relearning": 2}.get(before, 0)
            rows.append((at // 1000, cards[g][0], -1, rating, ivl, last, 2500, time, kind))
            last = ivl
    seen: set[int] = set()
    for n, row in enumerate(rows):
        rid = row[0]
        while rid in seen:
            rid += 1
        seen.add(rid)
        rows[n] = (rid, *row[1:])
    return sorted(rows)


def expected_card(card: CardState, queue: int) -> tuple[object, ...]:
    """type, queue, due, ivl, factor, reps, lapses, left, data of a studied card."""
    assert card.due is not None and card.last_review is not None
    assert card.stability is not None and card.difficulty is not None
    hour = Settings().day_start_hour
    if card.status is Status.REVIEW:
        due = (study_day(card.due, ZONE, hour) - study_day(NOW, ZONE, hour)).days
        ivl = max(1, round((card.due - card.last_review) / timedelta(days=1)))
    else:
        due, ivl = int(card.due.timestamp()), 0
        if card.status is Status.RELEARNING:
            ivl = max(1, round(card.stability))
    memory = {
        "s": round(card.stability, 4),
        "d": round(card.difficulty, 3),
        "dr": round(Settings().desired_retention, 2),
        "lrt": int(card.last_review.timestamp()),
    }
    kind = {Status.LEARNING: 1, Status.REVIEW: 2, Status.RELEARNING: 3}[card.status]
    queue = -1 if queue == -1 else (2 if card.status is Status.REVIEW else 1)
    left = 0 if card.status is Status.REVIEW else 1
    data = json.dumps(memory, separators=(",", ":"))
    return (kind, queue, due, ivl, 2500, card.reps, card.lapses, left, data)


def package_revlog(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM revlog ORDER BY id").fetchall()


def test_each_card_and_review_goes_into_the_package_as_the_store_has_it(tmp_path: Path) -> None:
    decks, questions = load(write_deck(tmp_path, TEST_DECK, "test-deck.yaml"))
    with Store.open(tmp_path / "p.sqlite3") as store:
        answered = study(store, questions)
        conn = export(decks, questions, store, tmp_path / "q.apkg")
        ids = card_ids(conn)
        guid = guid_of(questions)
        columns = "type, queue, due, ivl, factor, reps, lapses, left, data"
        for qid, card in store.cards().items():
            got = conn.execute(f"SELECT {columns} FROM cards WHERE id = ?", (ids[guid[qid]][0],))
            assert got.fetchone() == expected_card(card, ids[guid[qid]][1]), qid
        revlog = package_revlog(conn)
        assert revlog == expected_revlog(store, questions, ids)
    assert len(revlog) == answered > 60
    crt = day_start(study_day(NOW, ZONE), ZONE).timestamp()
    assert conn.execute("SELECT crt FROM col").fetchone()[0] == crt
    # what the rows hold: learning (minus seconds) and review (days) intervals, relearning
    # reviews, a duration over an hour cut to one, unknown ones as 0, and the previous intervals
    assert {row[4] > 0 for row in revlog} == {True, False}
    assert {row[8] for row in revlog} == {0, 1, 2}
    assert {row[7] for row in revlog} >= {0, 2500, 3_600_000}
    assert any(row[5] != 0 for row in revlog)


def test_only_the_exported_questions_cards_get_their_reviews(tmp_path: Path) -> None:
    decks, questions = load(write_deck(tmp_path, TEST_DECK, "test-deck.yaml"))
    with Store.open(tmp_path / "p.sqlite3") as store:
        study(store, questions)
        some = questions[::3]
        schedule = schedule_of(store, questions, store.settings(), zone=ZONE, now=NOW)
        export_apkg(decks, some, tmp_path / "q.apkg", now=NOW, schedule=schedule)
        conn = sqlite3.connect(":memory:")
        conn.deserialize(zipfile.ZipFile(tmp_path / "q.apkg").read("collection.anki2"))
        revlog = package_revlog(conn)
        assert revlog == expected_revlog(store, questions, card_ids(conn))
        wanted = {q.id for q in some}
        assert len(revlog) == sum(1 for row in store_log.history_rows(store) if row[0] in wanted)


def _record(store: Store, qid: str, at: datetime, due: timedelta, rating: Rating) -> None:
    """One review into review state, due ``due`` after it (for times no scheduler gives)."""
    card = store.card(qid)
    after = CardState(qid, Status.REVIEW, None, 3.0, 5.0, at + due, at, card.reps + 1, 0)
    with store.transaction():
        store.record(card, after, rating, "right", 1000)


def test_two_reviews_in_one_millisecond_get_ids_one_apart(tmp_path: Path) -> None:
    decks, questions = load(write_deck(tmp_path, TEST_DECK, "test-deck.yaml"))
    first, second, third = (q.id for q in questions[:3])
    at = NOW - timedelta(days=9)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.sync(questions, at - timedelta(days=1))
        _record(store, first, at, timedelta(days=3), Rating.GOOD)
        _record(store, second, at + timedelta(microseconds=400), timedelta(days=4), Rating.GOOD)
        _record(store, third, at + timedelta(milliseconds=1), timedelta(days=5), Rating.EASY)
        conn = export(decks, questions, store, tmp_path / "q.apkg")
        revlog = package_revlog(conn)
        assert revlog == expected_revlog(store, questions, card_ids(conn))
    ms = int(at.timestamp() * 1000)
    assert [row[0] for row in revlog] == [ms, ms + 1, ms + 2]  # the clashes moved on, in order
    assert [row[4] for row in revlog] == [3, 4, 5]


def test_whole_days_round_half_to_even_as_python_does(tmp_path: Path) -> None:
    decks, questions = load(write_deck(tmp_path, TEST_DECK, "test-deck.yaml"))
    at = NOW - timedelta(days=20)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.sync(questions, at - timedelta(days=1))
        for n, days in enumerate((2.5, 3.5, 1.5, 0.25)):
            qid = questions[n].id
            _record(store, qid, at + timedelta(hours=n), timedelta(days=days), Rating.GOOD)
        conn = export(decks, questions, store, tmp_path / "q.apkg")
        revlog = package_revlog(conn)
        assert revlog == expected_revlog(store, questions, card_ids(conn))
    assert [row[4] for row in revlog] == [2, 4, 2, 1]


def test_a_renamed_questions_reviews_under_both_ids_go_to_its_one_card(tmp_path: Path) -> None:
    """A question renamed when both ids had reviews keeps both histories; its note (GUID of the
    oldest id) gets them all, the old id's first (by id), the intervals chained through both."""
    decks, questions = load(write_deck(tmp_path, RENAMED, "renamed.yaml"))
    old = [q.replaces[0] for q in questions if q.replaces]
    assert old
    scheduler = Scheduler(Settings(), 3)
    with Store.open(tmp_path / "p.sqlite3") as store:
        study(store, questions)
        for n, qid in enumerate(old * 2):
            before = store.card(qid)
            now = NOW - timedelta(days=40 - n)
            after = scheduler.review(before, RATINGS[n % len(RATINGS)], now)
            with store.transaction():
                store.record(before, after, RATINGS[n % len(RATINGS)], "right", 900 + n)
        conn = export(decks, questions, store, tmp_path / "q.apkg")
        ids = card_ids(conn)
        revlog = package_revlog(conn)
        assert revlog == expected_revlog(store, questions, ids)
        assert len(revlog) == store.reviews_total()
    cid = ids[guid_of(questions)[old[0]]][0]
    assert sum(row[1] == cid for row in revlog) > 2  # the old id's reviews, on the new note


def test_reading_the_schedule_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    _, questions = load(write_deck(tmp_path, TEST_DECK, "test-deck.yaml"))
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        study(store, questions, days=6)
    before = path.read_bytes()
    with Store.open(path, read_only=True) as store:
        schedule_of(store, questions, store.settings(), zone=ZONE, now=NOW)
        assert store._rows("SELECT name FROM temp.sqlite_master") == []
        assert not store._conn.in_transaction
    assert path.read_bytes() == before
    with Store.open(path) as store, store.transaction():  # inside the caller's transaction too
        schedule = schedule_of(store, questions, store.settings(), zone=ZONE, now=NOW)
        assert store._conn.in_transaction
    assert schedule.cards
