"""The learner's reviews as FSRS training items (plain tuples; ``optimize`` wraps them for
fsrs-rs).

The conversion is the standard one (fsrs-rs's examples, Anki's optimizer): a question's reviews
are counted in the learner's study days (the day starts at ``day_start_hour`` local time, as in
``study``); each review carries ``delta_t``, the whole days since the question's previous review
(0 for the first and for a review on the same study day). Every review on a later day than the
one before it becomes one item: the question's history up to and including it. The item's last
review is the outcome FSRS predicts (recalled unless rated Again). Same-day reviews stay in the
histories (FSRS-6 models short-term memory) but are never outcomes themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from ..records import Record
from ..study.scheduling import study_day
from ..study.store.rows import from_us

Review = tuple[int, int]  # (rating 1–4, delta_t in days)


class Item(Record):
    question_id: str
    day: int  # the study day (proleptic ordinal) of the item's last review
    reviews: tuple[Review, ...]


def day_histories(
    rows: Iterable[tuple[str, int, int]], zone: tzinfo, hour: int, until_us: int | None = None
) -> dict[str, list[tuple[int, int]]]:
    """(question id, reviewed_at µs, rating) rows → each question's (study day ordinal, rating)
    in time order. Reviews after ``until_us`` are left out."""
    out: dict[str, list[tuple[int, int]]] = {}
    for qid, at, rating in sorted(rows, key=lambda row: (row[0], row[1])):
        if until_us is not None and at > until_us:
            continue
        day = study_day(from_us(at), zone, hour).toordinal()
        out.setdefault(qid, []).append((day, int(rating)))
    return out


def items_of(question_id: str, history: list[tuple[int, int]]) -> list[Item]:
    """One question's training items (see the module doc)."""
    items: list[Item] = []
    reviews: list[Review] = []
    last = history[0][0] if history else 0
    for day, rating in history:
        delta = day - last
        reviews.append((rating, delta))
        if delta > 0:
            items.append(Item(question_id, day, tuple(reviews)))
        last = day
    return items


def training_items(histories: dict[str, list[tuple[int, int]]]) -> list[Item]:
    """Every question's items, ordered by the day of their last review (as fsrs-rs expects)."""
    items = [item for qid, history in histories.items() for item in items_of(qid, history)]
    items.sort(key=lambda item: (item.day, item.question_id))
    return items
