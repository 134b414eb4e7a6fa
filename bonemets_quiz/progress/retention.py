"""A suggested desired retention: fsrs-rs's ``optimal_retention`` on the learner's deck, memory
model, daily limits and rating habits. Suggests only; changes nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, tzinfo
from itertools import pairwise
from typing import Any

from ..records import Record
from ..study.store.store import Store
from . import store_log
from .fsrs_items import day_histories
from .optimize import MIN_ITEMS, fsrs_rs

# rating frequencies from fewer answers than this are too noisy: the simulator's defaults instead
MIN_ANSWERS = MIN_ITEMS


class RetentionSuggestion(Record):
    retention: float  # the desired retention fsrs-rs finds cheapest per fact remembered
    current: float  # the desired retention in use
    parameters: str  # "personal" or "default": the memory model simulated
    questions: int  # the deck size simulated
    own_ratings: bool  # the simulated learner rates as this one does (else fsrs-rs's averages)

    def to_dict(self) -> dict[str, object]:
        return self._asdict()


def deck_size(store: Store) -> int:
    """The questions the learner studies: the bank's (not retired), else those reviewed."""
    current = sum(1 for row in store.question_rows() if not row.retired)
    return current or len({row[0] for row in store_log.revlog_rows(store)})


def rating_shares(store: Store, zone: tzinfo, hour: int) -> tuple[list[float], list[float]] | None:
    """How the learner rates: the shares of Again–Easy at a question's first review, and of
    Hard–Easy among recalled reviews on a later day; None with too few of either."""
    rows = [(q, at, rating) for q, at, rating, *_ in store_log.revlog_rows(store)]
    first: Counter[int] = Counter()
    recalled: Counter[int] = Counter()
    for history in day_histories(rows, zone, hour).values():
        first[history[0][1]] += 1
        for (day, _), (next_day, rating) in pairwise(history):
            if next_day > day and rating > 1:
                recalled[rating] += 1
    if first.total() < MIN_ANSWERS or recalled.total() < MIN_ANSWERS:
        return None
    return _shares(first, (1, 2, 3, 4)), _shares(recalled, (2, 3, 4))


def _shares(counts: Counter[int], ratings: Sequence[int]) -> list[float]:
    total = counts.total() + len(ratings)  # one more of each: no rating is impossible
    return [(counts[r] + 1) / total for r in ratings]


def suggest_retention(
    store: Store, *, questions: int | None = None, zone: tzinfo = UTC
) -> RetentionSuggestion:
    """fsrs-rs's ``optimal_retention``: simulates a year of study of ``questions`` questions
    (default: ``deck_size``) with the learner's parameters (the defaults until some are saved),
    daily limits and rating habits (``rating_shares``, study days in ``zone``), and returns the
    desired retention that costs the least study time per fact remembered. Changes nothing."""
    rs = fsrs_rs()
    settings = store.settings()
    size = deck_size(store) if questions is None else questions
    shares = rating_shares(store, zone, settings.day_start_hour)
    config: Any = rs.default_simulator_config()
    config.deck_size = max(1, size)
    config.learn_span = 365
    config.max_ivl = float(settings.maximum_interval)
    config.learn_limit = settings.new_per_day
    config.review_limit = settings.reviews_per_day
    if shares is not None:
        config.first_rating_prob, config.review_rating_prob = shares
    weights = list(settings.parameters or rs.DEFAULT_PARAMETERS)
    retention = round(float(rs.optimal_retention(config, weights)), 2)
    kind = "default" if settings.parameters is None else "personal"
    return RetentionSuggestion(retention, settings.desired_retention, kind, size, bool(shares))
