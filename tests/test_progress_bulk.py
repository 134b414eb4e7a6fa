"""The bulk paths of import and export (issue 10's benchmarks) keep results and schema as they
were: indexes rebuilt after a bulk insert, the reused JSON encoder, the checked-time review, the
cached note GUIDs."""

from __future__ import annotations

import copy
import io
import json
import math
import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import genanki
import pytest

from bonemets_quiz.deck.model import Question
from bonemets_quiz.export.anki_ids import note_guid
from bonemets_quiz.export.anki_progress import _unique
from bonemets_quiz.progress import replay_part
from bonemets_quiz.progress.logs import _iso_us, export_log, import_log, log_records, replay
from bonemets_quiz.progress.review_log import (
    FUTURE_SLACK,
    LogError,
    _RecordParser,
    iso,
    read_log,
    write_jsonl,
)
from bonemets_quiz.study.scheduling import (
    EARLIEST,
    LATEST,
    CardState,
    Rating,
    Scheduler,
    Settings,
    Status,
)
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store.rows import card_values, from_us, to_us
from bonemets_quiz.study.store.store import Store

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = START + timedelta(days=400)


def _indexes(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return sorted(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'reviews'"
            ).fetchall()
        )


def _studied(path: Path, questions: list[Question]) -> None:
    with Store.open(path) as store:
        store.sync(questions, START)
        for day in range(6):
            now = START + timedelta(days=day * 3)
            session = Session(store, questions, UTC, now, seed=day)
            for n in range(10):
                q = session.next(now)
                if q is None:
                    break
                session.answer(q, Rating(1 + (n + day) % 4), now, "right", 2000, f"a{n}")
                now += timedelta(minutes=2)


def test_an_import_into_an_empty_store_keeps_its_indexes_and_equals_the_source(
    tmp_path: Path, questions: list[Question]
) -> None:
    _studied(tmp_path / "a.sqlite3", questions)
    with Store.open(tmp_path / "a.sqlite3") as a:
        export_log(a, questions, tmp_path / "a.jsonl", now=LATER)
        source = a.cards()
    with Store.open(tmp_path / "b.sqlite3") as b:
        summary = import_log(b, questions, tmp_path / "a.jsonl", Settings(), now=LATER)
        assert summary.added > 0
        assert b.cards() == source == replay(b, Settings())
        assert b.integrity() == "ok"
        # into a store that has reviews, the indexes are left alone (and still there)
        assert import_log(b, questions, tmp_path / "a.jsonl", Settings(), now=LATER).added == 0
    with Store.open(tmp_path / "fresh.sqlite3"):
        pass
    expected = _indexes(tmp_path / "fresh.sqlite3")
    assert len(expected) == 3
    assert _indexes(tmp_path / "b.sqlite3") == expected == _indexes(tmp_path / "a.sqlite3")


@pytest.mark.parametrize(
    "card",
    [
        CardState("d/q1", Status.LEARNING, 0, 2.3065, 2.118, START, START, 1, 0),
        CardState('d/"quoted" é ✓ \\ id', Status.REVIEW, None, 1e-05, 10.0, START, START, 7, 2),
        CardState("d/q2", Status.RELEARNING, 3, 123456.789, 1.0, START, None, 12, 9),
        CardState("d/q3", Status.REVIEW, None, math.inf, math.nan, START, START, 2, 0),
        CardState("d/q4", Status.REVIEW, None, 1e15, 0.0009999, START, LATER, 2**40, 3),
        CardState("d/q5", Status.LEARNING, 1, 1e16, 3.0, START, LATER, 3, 0),
        CardState("d/q6", Status.REVIEW, None, 0.1 + 0.2, 1 / 3, START, START, 5, 1),
        CardState("d/q7", Status.REVIEW, None, 0.001, 999999999999999.9, START, START, 2**70, 1),
        CardState("d/q8", Status.RELEARNING, None, 2.0, 10.0, START, START, 1, 0),
    ],
)
def test_a_stored_state_is_json_dumps_of_its_card_values(card: CardState) -> None:
    assert replay_part.state_json(card_values(card)) == json.dumps(card_values(card))


def test_answer_equals_review_and_leaves_fsrs_as_found(monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = Scheduler(Settings(), seed=5)
    by_review = by_answer = CardState("d/q")
    when = START
    for rating in [Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY] * 3:
        by_review = scheduler.review(by_review, rating, when)
        by_answer = scheduler.answer(by_answer, rating, when)
        assert by_answer == by_review
        when += timedelta(days=9)
    assert by_review.stability and by_review.stability > 10  # long intervals: fuzz was drawn
    assert fsrs.scheduler.random is random.random and fsrs.scheduler.copy is copy.copy

    def broken(*args: object) -> None:
        raise RuntimeError("fsrs failed")

    monkeypatch.setattr(scheduler._scheduler, "review_card", broken)
    with pytest.raises(RuntimeError, match="fsrs failed"):
        scheduler.answer(by_answer, Rating.GOOD, when)
    assert fsrs.scheduler.random is random.random and fsrs.scheduler.copy is copy.copy


def test_replaying_answers_as_a_scheduler_per_seed_and_leaves_fsrs_as_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One ``replaying`` for many reviews, each with its own seed, gives what a ``Scheduler``
    made with that seed answers; fsrs's module is as found after it, even when a review fails."""
    scheduler = Scheduler(Settings())
    by_seed = replayed = CardState("d/q")
    when = START
    with scheduler.replaying() as answer:
        assert fsrs.scheduler.copy is not copy.copy  # the hooks are set for the whole replay
        for n, rating in enumerate([Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.EASY] * 4):
            by_seed = Scheduler(Settings(), seed=n).answer(by_seed, rating, when)
            replayed = answer(replayed, rating, when, n)
            assert replayed == by_seed
            when += timedelta(days=11)
    assert replayed.stability and replayed.stability > 3  # intervals past 2.5 days: fuzz drawn
    assert fsrs.scheduler.random is random.random and fsrs.scheduler.copy is copy.copy

    def broken(*args: object) -> None:
        raise RuntimeError("fsrs failed")

    monkeypatch.setattr(scheduler._scheduler, "review_card", broken)
    with pytest.raises(RuntimeError, match="fsrs failed"), scheduler.replaying() as answer:
        answer(replayed, Rating.GOOD, when, 0)
    assert fsrs.scheduler.random is random.random and fsrs.scheduler.copy is copy.copy


def test_a_note_guid_is_genanki_guid_for_the_guid_key() -> None:
    assert note_guid("deck", "deck/q1") == genanki.guid_for("deck", "deck/q1")
    assert note_guid("deck", "deck/q2") != note_guid("deck", "deck/q1")


def test_note_guid_matches_genanki_for_many_keys_and_the_same_digits() -> None:
    from genanki.util import BASE91_TABLE

    from bonemets_quiz.export.anki_ids import _BASE91

    assert "".join(BASE91_TABLE) == _BASE91
    keys = [(f"d{i % 7}", f"d{i % 7}/fäct-{i}/mc/ïtem {i}") for i in range(3000)]
    keys += [("", ""), ("é", "😀"), ("deck", "deck/q1/basic")]
    for deck_id, identity in keys:
        assert note_guid.__wrapped__(deck_id, identity) == genanki.guid_for(deck_id, identity)


def test_revlog_ids_that_clash_move_on_by_a_millisecond_in_order() -> None:
    rows: list[tuple[object, ...]] = [(5, "a"), (5, "b"), (6, "c"), (9, "d"), (5, "e")]
    assert _unique(rows) == [(5, "a"), (6, "b"), (7, "c"), (9, "d"), (8, "e")]
    distinct: list[tuple[object, ...]] = [(3, "a"), (1, "b")]
    assert _unique(distinct) == distinct


def test_reading_a_log_quickly_gives_what_the_strict_reader_gives(
    tmp_path: Path, questions: list[Question]
) -> None:
    """``read_log(states=False)`` takes a quick path for usual lines; every line, usual or odd,
    valid or not, reads as ``_RecordParser`` reads it line by line (same record, same error)."""
    _studied(tmp_path / "a.sqlite3", questions)
    with Store.open(tmp_path / "a.sqlite3") as a:
        export_log(a, questions, tmp_path / "a.jsonl", now=LATER)
    header, *lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    usual = json.loads(lines[0])
    odd = [
        {"reviewed_at": "2026-01-05T11:00:00.5+02:00"},  # another zone: converted to UTC
        {"reviewed_at": "2026-01-05T09:00:00+00:00", "question_id": "d/ünï 😀"},
        {"duration_ms": True, "seed": False, "answer": None, "verdict": 3},
        {"guid": None, "duration_ms": None, "seed": None},
        {"rating": True},
        {"rating": 3.0},
        {"duration_ms": -1},
        {"duration_ms": 1.5},
        {"seed": "7"},
        {"question_id": ""},
        {"reviewed_at": "2026-01-05T09:00:00"},  # no offset
        {"reviewed_at": 5},
        {"reviewed_at": (LATER + timedelta(days=2)).isoformat()},  # in the future
    ]
    variants = [json.dumps({**usual, **change}) for change in odd]
    variants += [json.dumps({k: v for k, v in usual.items() if k != "rating"}), "[1, 2]", "{"]
    for n, line in enumerate([*lines, *variants]):
        path = tmp_path / f"{n}.jsonl"
        path.write_text(f"{header}\n{line}\n", encoding="utf-8")
        strict = _RecordParser(str(path), LATER + FUTURE_SLACK, False, False)
        try:
            expected: object = [strict(2, line, True)]
        except LogError as error:
            expected = str(error)
        try:
            got: object = read_log(path, LATER, states=False)[1]
        except LogError as error:
            got = str(error)
        assert got == expected, line
        if isinstance(got, list):  # (equal datetimes in other zones would compare equal)
            assert got[0].reviewed_at.tzinfo is UTC and type(got[0].rating) is Rating


def test_a_time_in_microseconds_is_written_as_iso_writes_it() -> None:
    rng = random.Random(4)
    values = [0, -1, 1, 86_399_999_999, 86_400_000_000, to_us(EARLIEST), to_us(LATEST) - 1]
    values += [to_us(datetime(1, 1, 1, tzinfo=UTC)), to_us(datetime(999, 12, 31, 23, tzinfo=UTC))]
    values += [rng.randrange(-(10**16), 10**17) for _ in range(20000)]
    for value in values:
        assert _iso_us.__wrapped__(value) == iso(from_us(value)), value
    assert _iso_us.__wrapped__(None) is None


def test_the_fast_jsonl_export_is_byte_for_byte_the_typed_records_written(
    tmp_path: Path, questions: list[Question]
) -> None:
    _studied(tmp_path / "a.sqlite3", questions)
    with Store.open(tmp_path / "a.sqlite3") as store:
        fast, typed = io.StringIO(), io.StringIO()
        assert export_log(store, questions, fast, now=LATER) > 20
        write_jsonl(typed, log_records(store, questions), [questions[0].deck_id], LATER)
    assert fast.getvalue() == typed.getvalue()
