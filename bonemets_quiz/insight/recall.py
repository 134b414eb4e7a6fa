"""Retrievability: the probability that a learner recalls a question at a given moment.

Computed by py-fsrs's own ``Scheduler.get_card_retrievability`` (FSRS's forgetting curve with the
default parameters' decay, whole days elapsed since the last review) on each learner's state
after their last review before that moment. A fact's or topic's recall is the mean, over the
learners who have seen it, of each learner's mean retrievability over its questions they have
seen: every learner weighs the same however many questions they saw.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from ..review_log import iso
from .logs import Review

RETENTION_POINTS = 12  # days sampled for retention over time: enough for a curve, cheap to draw


class Recall:
    """``at(history, moment)``: the retrievability after the last review before ``moment``."""

    def __init__(self) -> None:
        import fsrs

        self._scheduler = fsrs.Scheduler(enable_fuzzing=False)
        self._card: Any = fsrs.Card()  # one card, refilled for each call: no object per review

    def at(
        self, history: list[Review], moment: datetime, times: list[str] | None = None
    ) -> float | None:
        """None when nothing was reviewed before ``moment``; ``times``: the reviews' times, to
        find the last one by bisection."""
        stamp = _stamp(moment)
        if history and history[-1].at <= stamp:
            last: Review | None = history[-1]
        else:
            index = bisect.bisect_right(times or [r.at for r in history], stamp)
            last = history[index - 1] if index else None
        if last is None:
            return None
        card = self._card
        card.last_review, card.stability = _time(last.at), last.stability
        return float(self._scheduler.get_card_retrievability(card, moment))


@lru_cache(maxsize=256)  # a report asks for a dozen moments, each many times
def _stamp(moment: datetime) -> str:
    return iso(moment) or ""


@lru_cache(maxsize=1 << 16)
def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def mean_of_learners(per_learner: Mapping[str, list[float]]) -> float | None:
    """The mean over learners of each one's mean (see the module doc)."""
    means = [sum(values) / len(values) for values in per_learner.values() if values]
    return sum(means) / len(means) if means else None


def sample_days(first: datetime, now: datetime, points: int = RETENTION_POINTS) -> list[datetime]:
    """Up to ``points`` moments, evenly spread from the end of the first review's day to now."""
    start = datetime.combine(first.date(), datetime.min.time(), first.tzinfo) + timedelta(days=1)
    if start >= now:
        return [now]
    span = (now - start).days
    steps = min(points - 1, span)
    if steps <= 0:
        return [now]
    days = sorted({round(span * n / steps) for n in range(steps + 1)})
    return [min(start + timedelta(days=d), now) for d in days]


def earliest(histories: Iterable[list[Review]]) -> datetime | None:
    first = min((h[0].at for h in histories if h), default=None)
    return None if first is None else _time(first)
