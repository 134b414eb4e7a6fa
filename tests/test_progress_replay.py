"""A replay (import, import-anki, ``replay``) gives exactly what answering each review in turn
through ``Scheduler.answer`` gives — the path ``study`` takes — on varied, seeded histories:
every stored state (status before and after, due after, the card before) and every card, under
default and unusual settings, in one import or merged into stored reviews."""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bonemets_quiz.deck.model import Question
from bonemets_quiz.progress.logs import import_records, replay
from bonemets_quiz.progress.review_log import LogRecord
from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler, Settings, Status
from bonemets_quiz.study.store.rows import card_values, to_us
from bonemets_quiz.study.store.store import Store

START = datetime(2021, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
LATER = datetime(2030, 1, 1, tzinfo=UTC)
# gaps between a question's reviews: same minute to over a year, so every branch of FSRS runs
GAPS_S = [0, 0.5, 30, 300, 3600, 20 * 3600, 86400, 86400 * 3, 86400 * 17, 86400 * 90, 86400 * 400]
# personal weights, each inside fsrs' bounds (as ``optimize`` would save them)
WEIGHTS = (0.4, 1.1, 3.0, 12.0, 6.0, 0.6, 2.5, 0.01, 1.6, 0.2, 0.9, 1.7, 0.08, 0.3, 1.4, 0.5,
           2.2, 0.6, 0.2, 0.1, 0.3)  # fmt: skip

SETTINGS = {
    "default": Settings(),
    "no-fuzz": Settings(fuzz=False),
    "personal": Settings(parameters=WEIGHTS, desired_retention=0.83),
    "no-steps": Settings(learning_steps=(), relearning_steps=()),
    "one-step": Settings(learning_steps=(timedelta(seconds=7.3),), relearning_steps=()),
    "many-steps": Settings(
        learning_steps=(timedelta(seconds=1), timedelta(minutes=7.5), timedelta(hours=5)),
        relearning_steps=(timedelta(seconds=45.25), timedelta(days=2)),
        desired_retention=0.97,
    ),
    "short-max": Settings(maximum_interval=6, desired_retention=0.7),
}


def history(ids: Sequence[str], count: int, seed: int) -> list[LogRecord]:
    """``count`` reviews of ``ids`` (and of one question never known), each question's at
    random gaps, seeds of every kind (none, 0, large), a few ties and exact repeats."""
    rng = random.Random(seed)
    ids = [*ids, "gone/never-known"]
    clock = {qid: START + timedelta(hours=rng.randrange(48)) for qid in ids}
    records: list[LogRecord] = []
    seen: dict[tuple[str, datetime, Rating], LogRecord] = {}
    for _ in range(count):
        qid = rng.choice(ids)
        if records and rng.random() < 0.03:  # a repeat of an earlier review (a duplicate)
            records.append(rng.choice(records))
            continue
        clock[qid] += timedelta(seconds=rng.choice(GAPS_S))
        rating = Rating(rng.choices([1, 2, 3, 4], [20, 15, 50, 15])[0])
        seed_of = rng.choice([None, 0, 7, 2**40 + 3, rng.randrange(10**6)])
        card = CardState(qid)
        record = LogRecord(qid, "", clock[qid], rating, 1000, "a", "right", seed_of, card, card)
        records.append(seen.setdefault(record.identity, record))  # one record per identity
    rng.shuffle(records)  # the order read does not matter
    return records


def reference(
    records: Sequence[LogRecord], settings: Settings
) -> tuple[list[tuple[object, ...]], dict[str, CardState]]:
    """The stored rows and cards of a replay done the slow way: each question's history in
    (time, rating) order, one ``Scheduler.answer`` per review, the state before saved as
    ``json.dumps(card_values(before))``."""
    ordered = sorted(set(records), key=lambda r: (r.question_id, to_us(r.reviewed_at), r.rating))
    cards: dict[str, CardState] = {}
    rows: list[tuple[object, ...]] = []
    for r in ordered:
        before = cards.get(r.question_id) or CardState(r.question_id)
        after = Scheduler(settings, r.seed or 0).answer(before, r.rating, r.reviewed_at)
        cards[r.question_id] = after
        rows.append(
            (r.question_id, to_us(r.reviewed_at), int(r.rating), r.verdict, r.duration_ms,
             r.answer, r.seed, before.status.value, after.status.value, to_us(after.due),  # type: ignore[arg-type]
             None if before.status is Status.NEW else json.dumps(card_values(before)))
        )  # fmt: skip
    return rows, cards


def content(store: Store) -> tuple[list[tuple[object, ...]], dict[str, CardState]]:
    rows = store._rows(
        "SELECT question_id, reviewed_at, rating, verdict, duration_ms, answer, seed, "
        "status_before, status_after, due_after, before FROM reviews "
        "ORDER BY question_id, reviewed_at, rating"
    )
    return [tuple(row) for row in rows], dict(store.cards())


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_an_import_replays_exactly_as_answering_each_review(
    tmp_path: Path, questions: list[Question], name: str
) -> None:
    settings = SETTINGS[name]
    records = history([q.id for q in questions], 1500, seed=len(name))
    expected = reference(records, settings)
    assert any(c.status is Status.REVIEW for c in expected[1].values())
    with Store.open(tmp_path / "one.sqlite3") as one:
        import_records(one, questions, records, settings, now=LATER)
        assert content(one) == expected
        assert replay(one, settings) == expected[1]
    # merged into stored reviews: half imported first, the rest (and some repeats) after
    with Store.open(tmp_path / "two.sqlite3") as two:
        import_records(two, questions, records[::2], settings, now=LATER)
        import_records(two, questions, records[1::2] + records[:99], settings, now=LATER)
        assert content(two) == expected
        replay(two, settings, write=True)
        assert content(two) == expected


@pytest.mark.parametrize("name", ["default", "personal", "many-steps"])
def test_a_replay_of_a_pinned_history_gives_the_pinned_schedule(
    tmp_path: Path, questions: list[Question], name: str
) -> None:
    """The digest of every stored state and card, as the replay through py-fsrs' review_card
    (one ``Scheduler.answer`` per review) gave it before the replay was made faster."""
    records = history([q.id for q in questions], 3000, seed=2026)
    with Store.open(tmp_path / "pinned.sqlite3") as store:
        import_records(store, questions, records, SETTINGS[name], now=LATER)
        rows, cards = content(store)
    text = repr((rows, sorted(cards.items())))
    assert hashlib.sha256(text.encode()).hexdigest() == PINNED[name]


PINNED = {
    "default": "9e541aba3b720e7eec03f546b5a2aa4ff6367a1bd6f243205d0badab8cc6c0de",
    "personal": "3b5beaf1584ea3864d5eb132f44d0a5e428ff4c85d7715daac0bc4f19a6ba6cf",
    "many-steps": "dcecea2cbfc99ebff2b6b64860f0ec224116b16ce66f03927b84b085e7c722dd",
}


def test_a_review_outside_the_schedulers_years_fails_the_import_as_before(
    tmp_path: Path, questions: list[Question]
) -> None:
    qid = questions[0].id
    early = datetime(1969, 12, 31, 23, tzinfo=UTC)
    with pytest.raises(ValueError, match="out of range") as expected:
        Scheduler(Settings()).review(CardState(qid), Rating.GOOD, early)
    card = CardState(qid)
    record = LogRecord(qid, "", early, Rating.GOOD, 1000, "a", "right", None, card, card)
    with Store.open(tmp_path / "s.sqlite3") as store:
        with pytest.raises(ValueError, match="out of range") as raised:
            import_records(store, questions, [record], Settings(), now=LATER)
        assert str(raised.value) == str(expected.value)
        assert store.reviews_total() == 0
