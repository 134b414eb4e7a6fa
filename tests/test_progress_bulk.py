"""The bulk paths of import and export (issue 10's benchmarks) keep results and schema as they
were: indexes rebuilt after a bulk insert, the reused JSON encoder, the checked-time review, the
cached note GUIDs."""

from __future__ import annotations

import copy
import json
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
from bonemets_quiz.progress import store_log
from bonemets_quiz.progress.logs import export_log, import_log, replay
from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler, Settings, Status
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store.rows import card_values
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
    ],
)
def test_a_stored_state_is_json_dumps_of_its_card_values(card: CardState) -> None:
    after = card._replace(due=START + timedelta(days=1))
    status_before, status_after, due, before = store_log._replayed(card, after)
    assert before == json.dumps(card_values(card))
    assert (status_before, status_after) == (card.status.value, after.status.value)
    assert due == card_values(after)[5]
    assert store_log._replayed(CardState("d/new"), after)[3] is None


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
