"""The lean review-log reader: a class's 400,000 reviews without an object per field.

One ``orjson.loads`` per file (its lines joined into one array), then each field taken as a
column and checked as a whole — types as a set, ranges by min and max, every time by one regular
expression over all of them, each distinct day once — instead of a dozen tests per review in
Python. It accepts exactly what our exporter writes; anything else returns None (or raises), and
``logs.read_reviews`` hands the file to ``review_log.read_log`` to judge.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache, partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..progress.review_log import FORMAT, FUTURE_SLACK, VERSION, iso

if TYPE_CHECKING:
    from .logs import Review

# ``review_log.iso``'s form: UTC with microseconds and Z, one per line
_TIME = r"\d{4}-(?:0[1-9]|1[0-2])-\d\dT(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z"
_TIMES = re.compile(rf"(?:{_TIME}\n)*{_TIME}")
_NONE = type(None)
_TEXT: set[type] = {str}
_WHOLE: set[type] = {int}
_WHOLE_OR_NONE: set[type] = {int, _NONE}
_NUMBER_OR_NONE: set[type] = {int, float, _NONE}
# every field our exporter writes; a missing one sends the file to ``read_log``
_FIELDS = itemgetter(
    "question_id", "rating", "reviewed_at", "after", "duration_ms", "seed", "answer", "verdict"
)
_STATE = itemgetter("stability", "difficulty")


def lean_reviews(
    data: bytes, now: datetime
) -> tuple[tuple[str, ...], list[str], list[Review]] | None:
    """A log's header decks, and its reviews' question ids and reviews (parallel lists); None to
    let ``read_log`` judge."""
    import orjson

    if not data.endswith(b"\n"):
        return None
    head, _, body = data.partition(b"\n")
    decks = _header(orjson.loads(head))
    if decks is None:
        return None
    values = orjson.loads(b"[" + body[:-1].replace(b"\n", b",") + b"]") if body else []
    if len(values) != body.count(b"\n"):
        return None  # an empty line, or one holding more than one value
    if not values:
        return decks, [], []
    columns = _columns(values, now)
    if columns is None:
        return None
    from .logs import Review

    qids, rest = columns
    # named tuples made in C (``tuple.__new__``): their Python ``__new__`` would cost a call each
    return decks, qids, list(map(partial(tuple.__new__, Review), zip(*rest, strict=True)))


def _header(header: dict[str, object]) -> tuple[str, ...] | None:
    version, decks = header["version"], header["decks"]
    if header["format"] != FORMAT or type(version) is not int or not 1 <= version <= VERSION:
        return None
    if not isinstance(decks, list) or not isinstance(header["exported_at"], str):
        return None
    return tuple(str(d) for d in decks)


def _columns(values: list[Any], now: datetime) -> tuple[list[str], Sequence[Sequence[Any]]] | None:
    qids, ratings, times, afters, durations, seeds, answers, verdicts = zip(
        *map(_FIELDS, values), strict=True
    )
    stabilities, difficulties = zip(*map(_STATE, afters), strict=True)
    lengths = set(durations) - {None}
    if (
        not _all(qids, _TEXT)
        or not all(qids)
        or not _all(ratings, _WHOLE)
        or not 1 <= min(ratings) <= max(ratings) <= 4
        or not _all(times, _TEXT)
        or max(times) > (iso(now + FUTURE_SLACK) or "")
        or not _TIMES.fullmatch("\n".join(times))
        or not all(map(_real_day, {t[:10] for t in times}))
        or not _all(durations, _WHOLE_OR_NONE)
        or min(lengths, default=0) < 0
        or not _all(seeds, _WHOLE_OR_NONE)
        or not _all(answers, _TEXT)
        or not _all(verdicts, _TEXT)
        or not _all(stabilities, _NUMBER_OR_NONE)
        or not _all(difficulties, _NUMBER_OR_NONE)
    ):
        return None
    return list(qids), (times, ratings, answers, verdicts, stabilities, difficulties)


def _all(column: Sequence[object], types: set[type]) -> bool:
    """Every value of the column is of one of ``types`` (bool is not int here)."""
    return set(map(type, column)) <= types


@lru_cache(maxsize=4096)
def _real_day(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True
