"""Per-question item figures: who saw it, facility, later success, the class's FSRS state.

Right means rated Hard, Good or Easy (not Again): one rule for chosen, typed and revealed
answers alike. Facility is the share of learners right at their FIRST review of the question
(Moodle's facility index, one sitting); later success is the share of all the reviews after the
first that were right (retention, the part one sitting cannot show).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import Record
from .logs import Review
from .shape import Spread

ByQuestion = dict[str, dict[str, list[Review]]]  # question id → learner → reviews, in time order


class Item(Record):
    first: dict[str, bool]  # learner → right at the first try
    later_right: int
    later_reviews: int
    reviews: int
    difficulty: list[float]  # each learner's latest FSRS difficulty
    stability: list[float]  # … and stability, days


def by_question(learners: dict[str, dict[str, list[Review]]]) -> ByQuestion:
    out: ByQuestion = {}
    for name, questions in learners.items():
        for qid, history in questions.items():
            out.setdefault(qid, {})[name] = history
    return out


def item(histories: dict[str, list[Review]]) -> Item:
    first: dict[str, bool] = {}
    later_right = later = reviews = 0
    difficulty: list[float] = []
    stability: list[float] = []
    for name, history in histories.items():
        first[name] = history[0].rating > 1
        reviews += len(history)
        later += len(history) - 1
        later_right += sum(1 for r in history[1:] if r.rating > 1)
        last = history[-1]
        if last.difficulty is not None:
            difficulty.append(last.difficulty)
        if last.stability is not None:
            stability.append(last.stability)
    return Item(first, later_right, later, reviews, difficulty, stability)


def facility(first: dict[str, bool]) -> float | None:
    return sum(first.values()) / len(first) if first else None


def spread(values: Sequence[float]) -> Spread | None:
    """Median and quartiles (linear interpolation between the sorted values)."""
    if not values:
        return None
    ordered = sorted(values)
    return {
        "median": round(_quantile(ordered, 0.5), 3),
        "p25": round(_quantile(ordered, 0.25), 3),
        "p75": round(_quantile(ordered, 0.75), 3),
    }


def _quantile(ordered: Sequence[float], q: float) -> float:
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
