"""Scheduling: FSRS (through the ``fsrs`` package, the only module importing it) and study days.

Everything here is pure: the time (``now``, UTC-aware), the time zone and the seed for interval
fuzzing are passed in. ``fsrs`` is imported on first use, not at import time, so that the
first question appears before the scheduler is needed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import IntEnum, StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..records import Record
from .fuzz_draw import Draw

if TYPE_CHECKING:
    import fsrs


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Status(StrEnum):
    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"


class CardState(Record):
    """A question's schedule. ``due`` and ``last_review`` are UTC-aware; None while new.

    (Records are named tuples made by ``records.Record``: far cheaper to define than dataclasses.)
    """

    question_id: str
    status: Status = Status.NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0

    @property
    def in_learning(self) -> bool:
        return self.status in (Status.LEARNING, Status.RELEARNING)


MAX_STEP = timedelta(
    days=365
)  # learning steps beyond a year make due dates overflow; none needs it
FSRS_PARAMETERS = 21  # FSRS-6's weights, in py-fsrs 6 and fsrs-rs alike
MAX_INTERVAL = 36500  # days, as Anki's own ceiling
# The times the scheduler accepts as "now": far enough inside datetime's range that a due date
# (now + at most 100 years + a year-long step) or a day boundary never overflows.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def checked_now(now: datetime) -> datetime:
    """``now`` itself, or ValueError when it is naive or outside ``EARLIEST``–``LATEST``."""
    if not isinstance(now, datetime) or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime, e.g. datetime.now(UTC)")
    if not EARLIEST <= now < LATEST:
        raise ValueError(
            f"now ({now.isoformat()}) is out of range: give a time from "
            f"{EARLIEST.year} to {LATEST.year - 1}"
        )
    return now


class Settings(Record):
    """Scheduler and study-day settings (defaults as in Anki with FSRS). ``checked`` validates."""

    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval: int = 36500
    fuzz: bool = True
    day_start_hour: int = 4
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_lapses: int = 8
    learn_ahead: timedelta = timedelta(minutes=20)
    parameters: tuple[float, ...] | None = None  # personal FSRS weights (``optimize``)

    def checked(self) -> Settings:
        """These settings, or ValueError saying which one is out of range."""
        if not 0.0 < self.desired_retention < 1.0:
            raise ValueError("desired retention must be between 0 and 1 (e.g. 0.9)")
        if not 0 <= self.day_start_hour <= 23:
            raise ValueError("the day start hour must be 0–23")
        if not 1 <= self.maximum_interval <= MAX_INTERVAL:
            raise ValueError(f"the maximum interval must be 1–{MAX_INTERVAL} days")
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise ValueError("daily limits cannot be negative")
        if not all(
            timedelta(0) < s <= MAX_STEP for s in (*self.learning_steps, *self.relearning_steps)
        ):
            raise ValueError("learning steps must be positive and at most 365 days")
        if not timedelta(0) <= self.learn_ahead <= timedelta(days=1):
            raise ValueError("the learn-ahead window must be 0 to 1 day")
        if self.leech_lapses < 1:
            raise ValueError("the leech threshold must be at least 1 lapse")
        if self.parameters is not None and (
            len(self.parameters) != FSRS_PARAMETERS or not all(map(math.isfinite, self.parameters))
        ):
            raise ValueError(f"FSRS-6 needs {FSRS_PARAMETERS} parameters, finite numbers")
        return self


def within_fsrs_bounds(parameters: tuple[float, ...]) -> bool:
    """Whether fsrs accepts these weights: it checks each against its own bounds (imports fsrs,
    so ``checked`` leaves this to the scheduler and to ``optimize``)."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS as LOW
    from fsrs.scheduler import UPPER_BOUNDS_PARAMETERS as HIGH

    return len(parameters) == len(LOW) and all(
        low <= w <= high for w, low, high in zip(parameters, LOW, HIGH, strict=True)
    )


def personal_weights(settings: Settings) -> dict[str, tuple[float, ...]]:
    """fsrs.Scheduler's ``parameters`` argument: the learner's own weights, if any; weights fsrs
    would refuse (a hand-edited store) fall back to its defaults, as damaged settings do."""
    weights = settings.parameters
    return {"parameters": weights} if weights and within_fsrs_bounds(weights) else {}


def settings_to_dict(settings: Settings) -> dict[str, object]:
    """JSON-ready settings (steps and learn-ahead in seconds)."""
    data: dict[str, object] = settings._asdict()
    for key in ("learning_steps", "relearning_steps"):
        data[key] = [step.total_seconds() for step in getattr(settings, key)]
    data["learn_ahead"] = settings.learn_ahead.total_seconds()
    return data


def settings_from_dict(data: dict[str, object]) -> Settings:
    """Inverse of ``settings_to_dict``; unknown keys are ignored, missing ones take defaults."""
    fields = Settings()._asdict()
    for key, value in data.items():
        if key not in fields:
            continue
        if key in ("learning_steps", "relearning_steps"):
            value = tuple(timedelta(seconds=float(v)) for v in value)  # type: ignore[attr-defined]
        elif key == "learn_ahead":
            value = timedelta(seconds=float(value))  # type: ignore[arg-type]
        elif key == "parameters" and value is not None:
            value = tuple(float(w) for w in value)  # type: ignore[attr-defined]
        fields[key] = value
    return Settings(**fields).checked()


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """``"1m 10m"`` or ``"1m,10m,1h"`` → durations (units s, m, h, d; a bare number is minutes).

    ValueError for a step that is not a positive number or is longer than 365 days."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    steps: list[timedelta] = []
    for part in text.replace(",", " ").split():
        unit = part[-1].lower() if part[-1].isalpha() else "m"
        number = part[:-1] if part[-1].isalpha() else part
        if unit not in units:
            raise ValueError(f"unknown unit in step {part!r}; use s, m, h or d (e.g. 10m)")
        try:
            seconds = float(number) * units[unit]
        except ValueError:
            raise ValueError(f"not a step: {part!r}; write e.g. 1m 10m") from None
        if not 0 < seconds <= MAX_STEP.total_seconds():  # also false for nan
            raise ValueError(f"step {part!r} is out of range; each step is 1s to 365d")
        steps.append(timedelta(seconds=seconds))
    return tuple(steps)


# ---------------------------------------------------------------------------- study days


def study_day(now: datetime, zone: tzinfo, hour: int = 4) -> date:
    """The study day ``now`` belongs to: a day runs from ``hour`` o'clock local time to the next."""
    if now.utcoffset() is None:  # astimezone would silently take it as the machine's local time
        raise ValueError("a study day needs a timezone-aware datetime")
    local = now.astimezone(zone)
    return local.date() if local.hour >= hour else local.date() - timedelta(days=1)


def day_start(day: date, zone: tzinfo, hour: int = 4) -> datetime:
    """When study day ``day`` begins, in UTC (an hour skipped by a clock change maps forward)."""
    local = datetime.combine(day, time(hour), tzinfo=zone)
    return local.astimezone(UTC)


def day_bounds(now: datetime, zone: tzinfo, hour: int = 4) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of the study day containing ``now``, in UTC."""
    day = study_day(checked_now(now), zone, hour)
    start, end = day_start(day, zone, hour), day_start(day + timedelta(days=1), zone, hour)
    if not start <= now < end:  # only possible around a clock change: trust the clock
        start, end = min(start, now), max(end, now + timedelta(seconds=1))
    return start, end


def is_due(
    card: CardState, now: datetime, day_end: datetime, ahead: timedelta | None = None
) -> bool:
    """(Re)learning cards are due at their exact time (or within ``ahead``); reviews by day."""
    if card.due is None:
        return False
    if card.in_learning:
        return card.due <= now + (ahead or timedelta(0))
    return card.due < day_end


def is_leech(card: CardState, settings: Settings) -> bool:
    return card.lapses >= settings.leech_lapses


# ---------------------------------------------------------------------------- FSRS


_FSRS_STATUS = {1: Status.LEARNING, 2: Status.REVIEW, 3: Status.RELEARNING}


def preload() -> None:
    """Import fsrs now (the CLI calls this in a background thread while the learner reads)."""
    import fsrs  # noqa: F401


def card_id(question_id: str) -> int:
    """A stable integer id for fsrs, derived from the question id (never the time)."""
    import hashlib

    return int.from_bytes(hashlib.blake2b(question_id.encode(), digest_size=6).digest(), "big")


class Scheduler:
    """Our layer over ``fsrs.Scheduler``: plain ``CardState`` in and out, injected time and seed.

    fsrs draws its fuzz from the global ``random.random``; while one of our reviews runs, that draw
    is routed to a generator seeded from (``seed``, question id, review count) instead. So a
    preview shows exactly the interval the review will save, the same seed gives the same
    schedule, and the global random state is left alone.
    """

    def __init__(self, settings: Settings | None = None, seed: int = 0) -> None:
        import fsrs

        self.settings = settings or Settings()
        self.seed = seed
        self._fsrs = fsrs
        self._module: Any = fsrs.scheduler
        self._scheduler = _fsrs_scheduler(self.settings, self.settings.fuzz)
        self._ratings = {r: fsrs.Rating(int(r)) for r in Rating}
        self._states = {s: fsrs.State(code) for s, code in _STATE_CODE.items()}

    def review(self, card: CardState, rating: Rating, now: datetime) -> CardState:
        """The card after being answered with ``rating`` at ``now``."""
        return self.answer(card, rating, review_time(card, now))

    def answer(self, card: CardState, rating: Rating, when: datetime) -> CardState:
        """``review`` for a time already checked: ``review_time(card, when) == when``."""
        # fsrs draws its fuzz from its module's ``random``: route it to this review's generator;
        # and its defensive ``copy`` of the card is not needed, the card is made for this call
        # (inline rather than ``replaying``: a study session answers one review at a time)
        module, draw = self._module, Draw()
        draw.start(f"{self.seed}/{card.question_id}/{card.reps}")
        saved, saved_copy = module.random, module.copy
        module.random, module.copy = draw, _same
        try:
            new, _ = self._scheduler.review_card(
                self._to_fsrs(card, when), self._ratings[rating], when
            )
        finally:
            module.random, module.copy = saved, saved_copy
        return _answered(card, rating, when, new)

    @contextmanager
    def replaying(self) -> Iterator[Callable[[CardState, Rating, datetime, int], CardState]]:
        """``answer`` for many reviews in a row (a replay walks each history in time order), the
        fuzz seed given per review: ``answer(card, rating, when, seed)`` is
        ``Scheduler(settings, seed).answer(card, rating, when)``. fsrs's module hooks are set
        once for the lot, not per review (a 100,000-review replay notices)."""
        module, draw = self._module, Draw()
        saved, saved_copy = module.random, module.copy
        module.random, module.copy = draw, _same  # as in ``answer``
        review_card, to_fsrs, ratings = self._scheduler.review_card, self._to_fsrs, self._ratings

        def answer(card: CardState, rating: Rating, when: datetime, seed: int) -> CardState:
            draw.start(f"{seed}/{card.question_id}/{card.reps}")
            new, _ = review_card(to_fsrs(card, when), ratings[rating], when)
            return _answered(card, rating, when, new)

        try:
            yield answer
        finally:
            module.random, module.copy = saved, saved_copy

    def _to_fsrs(self, card: CardState, when: datetime) -> fsrs.Card:
        status = card.status
        if status is _NEW:
            return self._fsrs.Card(card_id=_card_id(card.question_id), due=when)
        step = card.step
        if status is _REVIEW:
            step = None
        elif step is None:  # (re)learning without a step: its first
            step = 0
        return self._fsrs.Card(  # by position: card_id, state, step, stability, difficulty, …
            _card_id(card.question_id),
            self._states[status],
            step,
            card.stability,
            card.difficulty,
            card.due or when,
            card.last_review,
        )

    def preview(self, card: CardState, now: datetime) -> dict[Rating, CardState]:
        """What each rating would give: exactly what ``review`` will save (same fuzz)."""
        return {r: self.review(card, r, now) for r in Rating}


_STATE_CODE = {Status.LEARNING: 1, Status.REVIEW: 2, Status.RELEARNING: 3}
# an enum member read from its class costs a lookup through the enum's metaclass; a replay reads
# these 100,000 times
_NEW, _REVIEW, _AGAIN = Status.NEW, Status.REVIEW, Rating.AGAIN
_new_card_state = tuple.__new__  # CardState(...) by position, without the namedtuple's __new__


def _answered(card: CardState, rating: Rating, when: datetime, new: fsrs.Card) -> CardState:
    """Our state of ``card`` after fsrs answered it (``new``) with ``rating`` at ``when``."""
    due = new.due
    return _new_card_state(
        CardState,
        (
            card.question_id,
            _FSRS_STATUS[new.state],
            new.step,
            new.stability,
            new.difficulty,
            due if due > when else when,
            when,
            card.reps + 1,
            card.lapses + 1 if card.status is _REVIEW and rating is _AGAIN else card.lapses,
        ),
    )


def _same(card: fsrs.Card) -> fsrs.Card:
    return card


@lru_cache(maxsize=64)
def _fsrs_scheduler(settings: Settings, fuzz: bool) -> fsrs.Scheduler:
    """One ``fsrs.Scheduler`` per settings: building one checks and copies its parameters, and a
    replay makes a ``Scheduler`` per fuzz seed. (It holds no state between reviews.)"""
    import fsrs

    return fsrs.Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=fuzz,
        **personal_weights(settings),
    )


@lru_cache(maxsize=1 << 16)
def _card_id(question_id: str) -> int:
    return card_id(question_id)


def review_time(card: CardState, now: datetime) -> datetime:
    """``now`` in UTC, never before the card's last review (a clock moved back gives no negative
    elapsed time and no interval counted backwards)."""
    now = checked_now(now).astimezone(UTC)
    due, last = card.due, card.last_review
    if (due is not None and due.utcoffset() is None) or (
        last is not None and last.utcoffset() is None
    ):
        raise ValueError(f"the times of card {card.question_id} must be timezone-aware")
    if card.last_review is not None and now < card.last_review:
        return card.last_review
    return now
