"""Synthetic learners whose memory follows KNOWN FSRS parameters (for the optimizer's tests and
benchmark).

Each question is reviewed on whole days: recall at a review is drawn with probability equal to
the retrievability that the known parameters give for the question's history so far (computed by
fsrs-rs's ``memory_state``), from a seeded generator. A lapse (Again) is followed by a same-day
relearning review (Good), as a learning step would give. Intervals vary around the stability so
that the forgetting curve is seen at many points.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bonemets_quiz.progress import store_log
from bonemets_quiz.study.store.rows import to_us
from bonemets_quiz.study.store.store import Store

START = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)  # noon UTC: a study day is the calendar day
# far from the defaults: slow first stabilities, a steep forgetting curve, big growth
KNOWN = (
    0.9, 2.5, 6.0, 25.0, 5.5, 1.2, 2.0, 0.02, 2.2, 0.1, 1.2,
    1.8, 0.1, 0.4, 1.8, 0.4, 2.5, 0.5, 0.2, 0.1, 0.5,
)  # fmt: skip


def retrievability(elapsed: float, stability: float, decay: float) -> float:
    factor = 0.9 ** (-1 / decay) - 1
    return float((1 + factor * elapsed / stability) ** -decay)


def histories(
    reviews: int, seed: int, parameters: tuple[float, ...] = KNOWN
) -> list[list[tuple[int, int]]]:
    """About ``reviews`` reviews, as (day, rating) lists, one list per question."""
    from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

    model = FSRS(list(parameters))
    rng = random.Random(seed)
    out: list[list[tuple[int, int]]] = []
    total = 0
    while total < reviews:
        first_day = rng.randrange(60)
        first = rng.choices((1, 2, 3, 4), (0.25, 0.1, 0.5, 0.15))[0]
        history = [(first_day, first)]
        items = [FSRSReview(first, 0)]
        if first == 1:
            history.append((first_day, 3))
            items.append(FSRSReview(3, 0))
        for _ in range(rng.randrange(4, 12)):
            state = model.memory_state(FSRSItem(items))
            gap = min(365, max(1, round(state.stability * rng.uniform(0.2, 3.0))))
            recalled = rng.random() < retrievability(gap, state.stability, parameters[20])
            rating = rng.choices((2, 3, 4), (0.15, 0.7, 0.15))[0] if recalled else 1
            day = history[-1][0] + gap
            history.append((day, rating))
            items.append(FSRSReview(rating, gap))
            if rating == 1:
                history.append((day, 3))
                items.append(FSRSReview(3, 0))
        out.append(history)
        total += len(history)
    return out


def fill(store: Store, reviews: int, seed: int = 1) -> int:
    """Store about ``reviews`` synthetic reviews (two same-day reviews 10 minutes apart); the
    number stored."""
    rows: list[store_log.NewReview] = []
    for n, history in enumerate(histories(reviews, seed)):
        last = (-1, 0)
        for day, rating in history:
            minutes = last[1] + 10 if day == last[0] else 0
            when = START + timedelta(days=day, minutes=minutes)
            rows.append(store_log.NewReview(f"synth/q{n}", to_us(when), rating, "", None, "", 0))
            last = (day, minutes)
    insert_reviews(store, rows)
    return len(rows)


def insert_reviews(store: Store, rows: list[store_log.NewReview]) -> None:
    """Reviews with placeholder states: the optimizer reads only their times and ratings."""
    with store.transaction():
        store._conn.executemany(
            "INSERT INTO reviews (question_id, reviewed_at, rating, verdict, duration_ms, answer, "
            "seed, status_before, status_after, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', "
            "'new', 0)",
            rows,
        )
