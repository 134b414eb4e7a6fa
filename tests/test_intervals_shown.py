"""Finding 14: one rounding rule for every interval on screen, and what is shown is what is saved.

A session is driven through ``StudyRun`` with a clock that moves on between prompts, as a real one
does, over cards in every state and many seeds.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest_study import LONDON, NOW, make_question

from bonemets_quiz.cli import study_run
from bonemets_quiz.cli.study_run import StudyRun
from bonemets_quiz.cli.terminal import comes_back, duration
from bonemets_quiz.study.scheduling import CardState, Rating, Settings, Status
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store.store import Store

PREVIEW = re.compile(
    r"1 Again \((.+?)\)  2 Hard \((.+?)\)  3 Good \((.+?)\)  4 Easy \((.+?)\)$", re.M
)
SAVED = re.compile(r"^Saved: (\w+), back in (.+?)(?: \((.+)\))?\.$", re.M)


def some_card(qid: str, rng: random.Random) -> CardState | None:
    """A card in a random state, due now or earlier (None: a new question)."""
    last = NOW - timedelta(days=rng.uniform(0.01, 60))
    stability, difficulty = rng.uniform(0.5, 80), rng.uniform(1, 10)
    status = rng.choice([None, Status.LEARNING, Status.REVIEW, Status.RELEARNING])
    if status is None:
        return None
    step = rng.choice([0, 1]) if status is Status.LEARNING else 0
    step = None if status is Status.REVIEW else step
    return CardState(qid, status, step, stability, difficulty, NOW, last, rng.randint(1, 9))


def ticking(start: datetime, step: timedelta) -> object:
    """A clock that moves on by ``step`` each time it is read."""
    moments = iter(start + n * step for n in range(10_000))
    return lambda: next(moments)


@pytest.mark.parametrize("seed", range(12))
def test_preview_acknowledgement_and_store_show_one_interval_for_every_rating(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Was: preview "Hard (6 min)", acknowledgement "back in 5 min", store 5.5 min."""
    rng = random.Random(seed)
    questions = [make_question(f"d/f{n}/basic") for n in range(8)]
    # reveal, then rate: every rating in turn
    replies = iter(x for n in range(len(questions)) for x in ("", str((n + seed) % 4 + 1)))

    def read_line(prompt: str, **_: object) -> str:
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(study_run, "read_line", read_line)
    with Store.open(tmp_path / "progress.sqlite3") as store:
        store.sync(questions, NOW)
        for question in questions:
            card = some_card(question.id, rng)
            if card is not None:
                with store.transaction():
                    store.record(CardState(question.id), card, Rating.GOOD)
        settings = Settings(new_per_day=100)
        session = Session(store, questions, LONDON, NOW, settings=settings, seed=seed)
        clock = ticking(NOW, timedelta(seconds=rng.uniform(1, 40)))
        StudyRun(session, clock, LONDON, str(store.path)).run()  # type: ignore[arg-type]
        rows = store.reviews_since(NOW)  # (the cards set up above were reviewed before)
    out = capsys.readouterr().out
    previews, saved = PREVIEW.findall(out), SAVED.findall(out)
    assert len(previews) == len(saved) == len(rows) == len(questions)
    for shown, (label, back, date), row in zip(previews, saved, rows, strict=True):
        stored = duration(row.due_after - row.reviewed_at)
        assert label == row.rating.label
        assert shown[int(row.rating) - 1] == back == stored, (shown, back, row)
        hour = settings.day_start_hour
        assert f"in {back}" + (f" ({date})" if date else "") == comes_back(
            row.due_after, row.reviewed_at, LONDON, hour
        )
    assert {row.rating for row in rows} == set(Rating)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=1), "1 min"),
        (timedelta(minutes=5.5), "5.5 min"),  # Hard on the first step: never "6 min" or "5 min"
        (timedelta(minutes=59.4), "59.4 min"),
        (timedelta(hours=1), "1 h"),
        (timedelta(hours=23.5), "23.5 h"),  # never "1 day"
        (timedelta(days=1), "1 day"),
        (timedelta(days=76), "76 days"),
        (timedelta(days=364), "364 days"),  # never "1 year"
        (timedelta(days=365), "1 year"),
        (timedelta(days=480), "1.3 years"),
        (timedelta(days=36500), "100 years"),
    ],
)
def test_one_rounding_rule_one_decimal_in_the_largest_unit_reached(
    delta: timedelta, text: str
) -> None:
    assert duration(delta) == text


def test_an_answer_on_another_day_names_the_day(tmp_path: Path) -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)
    assert comes_back(now + timedelta(minutes=10), now, LONDON, 4) == "in 10 min"
    assert comes_back(now + timedelta(days=1), now, LONDON, 4) == "in 1 day (tomorrow)"
    assert comes_back(now + timedelta(days=9), now, LONDON, 4) == "in 9 days (Thu 19 Mar 2026)"
