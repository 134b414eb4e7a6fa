"""Retrievability: the probability that a learner recalls a question at a given moment.

Computed by py-fsrs's own ``Scheduler.get_card_retrievability`` (FSRS's forgetting curve with the
default parameters' decay, whole days elapsed since the last review) on each learner's state
after their last review before that moment. A fact's or topic's recall is the mean, over the
learners who have seen it, of each learner's mean retrievability over its questions they have
seen: every learner weighs the same however many questions they saw.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import Any

from ..progress.review_log import iso
from .logs import Review

_AT = itemgetter(0)  # a review's time (``Review.at``)
RETENTION_POINTS = 12  # days sampled for retention over time: enough for a curve, cheap to draw


class Recall:
    """``series(history)``: the retrievability at each of ``moments`` (ascending) after the last
    review before it; None before the first review, or when the log has no stability for it."""

    def __init__(self, moments: list[datetime]) -> None:
        import fsrs

        self.moments = moments
        self._stamps = [iso(m) or "" for m in moments]  # compared with the reviews' times as text
        self._retrievability = fsrs.Scheduler(enable_fuzzing=False).get_card_retrievability
        self._card: Any = fsrs.Card()  # one card, refilled for each call: no object per review

    def series(self, history: list[Review]) -> list[float | None]:
        out: list[float | None] = []
        card, retrievability = self._card, self._retrievability
        for moment, stamp in zip(self.moments, self._stamps, strict=True):
            index = bisect_right(history, stamp, key=_AT)  # C calls, not a step per review
            last = history[index - 1] if index else None
            if last is None or last.stability is None:
                out.append(None)
                continue
            card.last_review, card.stability = _time(last.at), last.stability
            out.append(float(retrievability(card, moment)))
        return out


@lru_cache(maxsize=1 << 16)
def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def mean_of_learners(per_learner: Mapping[str, list[float]]) -> float | None:
    """The mean over learners of each one's mean (see the module doc)."""
    means = [sum(values) / len(values) for values in per_learner.values() if values]
    return sum(means) / len(means) if means else None


def sample_days(first: datetime, now: datetime, points: int = RETENTION_POINTS) -> list[datetime]:
    """Up to ``points`` moments, evenly spread from the end of the first review's day to now;
    the last is ``now`` itself (today's figures)."""
    start = datetime.combine(first.date(), datetime.min.time(), first.tzinfo) + timedelta(days=1)
    span = (now - start).days
    steps = min(points - 1, span)
    if steps <= 0:
        return [now]
    days = sorted({round(span * n / steps) for n in range(steps)})
    return [*(start + timedelta(days=d) for d in days), now]


def earliest(histories: Iterable[list[Review]]) -> datetime | None:
    first = min((h[0].at for h in histories if h), default=None)
    return None if first is None else _time(first)
