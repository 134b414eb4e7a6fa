"""Figures for ``stats``: counts by state, due forecast, reviews per day, true retention, leeches.

Pure over the store's contents: ``now`` and the time zone are passed in. Days are study days (they
start at the configured hour, 4 a.m. by default), like everything else in the schedule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from .scheduling import (
    CardState,
    Rating,
    Settings,
    Status,
    day_bounds,
    is_leech,
    settings_to_dict,
    study_day,
)
from .store.store import ReviewRow, Store

FORECAST_DAYS = 14
HISTORY_DAYS = 30
HARDEST = 5


@dataclass(frozen=True)
class HardQuestion:
    id: str
    prompt: str
    lapses: int
    reviews: int
    difficulty: float
    retired: bool


def compute(store: Store, now: datetime, zone: tzinfo, settings: Settings) -> dict[str, object]:
    """Every figure ``stats`` shows, as one JSON-ready dict."""
    hour = settings.day_start_hour
    today = study_day(now, zone, hour)
    _, day_end = day_bounds(now, zone, hour)
    rows = store.question_rows()
    retired = {r.id for r in rows if r.retired and r.renamed_to is None}
    renamed = {r.id for r in rows if r.renamed_to is not None}
    cards = {qid: c for qid, c in store.cards().items() if qid not in renamed}
    active = [c for qid, c in cards.items() if qid not in retired]
    known = {r.id for r in rows} - retired - renamed
    by_state = Counter(c.status.value for c in active)
    counts = {
        "new": len(known - set(cards)),
        "learning": by_state[Status.LEARNING.value] + by_state[Status.RELEARNING.value],
        "review": by_state[Status.REVIEW.value],
        "retired": len(retired),
        "leeches": sum(1 for c in active if is_leech(c, settings)),
    }
    history_start = today - timedelta(days=HISTORY_DAYS - 1)
    reviews = store.reviews_since(day_bounds(now, zone, hour)[0] - timedelta(days=HISTORY_DAYS + 1))
    per_day = Counter(study_day(r.reviewed_at, zone, hour) for r in reviews)
    return {
        "reviews_total": store.reviews_total(),
        "due_today": sum(1 for c in active if c.due is not None and c.due < day_end),
        "counts": counts,
        "forecast": _forecast(active, today, now, zone, hour),
        "reviews_per_day": [
            {"date": day.isoformat(), "reviews": per_day[day]}
            for day in _days(history_start, HISTORY_DAYS)
        ],
        "retention": {
            f"{days}d": _retention(reviews, today - timedelta(days=days - 1), zone, hour)
            for days in (7, 30)
        },
        "hardest": [vars(h) for h in _hardest(store, cards, retired)],
        "leeches": sorted(c.question_id for c in active if is_leech(c, settings)),
        "settings": settings_to_dict(settings),
    }


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def _forecast(
    cards: list[CardState], today: date, now: datetime, zone: tzinfo, hour: int
) -> list[dict[str, object]]:
    """Cards due on each of the next days; today's count includes everything overdue."""
    due_days = Counter(max(study_day(c.due, zone, hour), today) for c in cards if c.due is not None)
    return [{"date": day.isoformat(), "due": due_days[day]} for day in _days(today, FORECAST_DAYS)]


def _retention(reviews: list[ReviewRow], first: date, zone: tzinfo, hour: int) -> dict[str, object]:
    """True retention: of the reviews of learned (review-state) cards, the share not forgotten."""
    counted = [
        r
        for r in reviews
        if r.status_before is Status.REVIEW and study_day(r.reviewed_at, zone, hour) >= first
    ]
    passed = sum(1 for r in counted if r.rating is not Rating.AGAIN)
    rate = round(passed / len(counted), 4) if counted else None
    return {"reviews": len(counted), "passed": passed, "rate": rate}


def _hardest(store: Store, cards: dict[str, CardState], retired: set[str]) -> list[HardQuestion]:
    studied = [c for c in cards.values() if c.reps > 0 and (c.lapses or (c.difficulty or 0) > 5)]
    studied.sort(key=lambda c: (-c.lapses, -(c.difficulty or 0), c.question_id))
    top = studied[:HARDEST]
    snapshots = store.questions(c.question_id for c in top)
    return [
        HardQuestion(
            id=c.question_id,
            prompt=snapshots[c.question_id].prompt if c.question_id in snapshots else "",
            lapses=c.lapses,
            reviews=c.reps,
            difficulty=round(c.difficulty or 0.0, 2),
            retired=c.question_id in retired,
        )
        for c in top
    ]
