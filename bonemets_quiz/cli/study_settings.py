"""The remembered scheduling settings: ``study``'s options for them, and saving those given.

``--retention``, ``--max-interval``, ``--learning-steps``, ``--relearning-steps`` and
``--day-starts`` are stored with the progress and apply until changed again.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any, TypeVar

import click

from ..errors import UsageError
from ..records import Record
from ..study.scheduling import MAX_INTERVAL, Settings, parse_steps
from ..study.store.store import Store
from .common import F

_T = TypeVar("_T")


class SettingsGiven(Record):
    """The remembered scheduling settings given on the command line (None: not given)."""

    retention: float | None
    max_interval: int | None
    learning_steps: str | None
    relearning_steps: str | None
    day_starts: int | None


def settings_options(func: F) -> F:
    """``--retention`` … ``--day-starts``, passed to ``func`` as one ``given: SettingsGiven``."""

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        given = SettingsGiven(*(kwargs.pop(name) for name in SettingsGiven._fields))
        return func(*args, given=given, **kwargs)

    for option in reversed(_SETTINGS_OPTIONS):
        command = option(command)
    return command  # type: ignore[return-value]


_SETTINGS_OPTIONS = (
    click.option(
        "--retention",
        type=click.FloatRange(0.7, 0.99),
        help="Desired retention, 0.7–0.99 (default 0.9). Remembered.",
    ),
    click.option(
        "--max-interval",
        type=click.IntRange(1, MAX_INTERVAL),
        metavar="DAYS",
        help="Longest interval in days (default 36500). Remembered.",
    ),
    click.option(
        "--learning-steps",
        metavar="STEPS",
        help='Steps for new questions (default "1m 10m"). Remembered.',
    ),
    click.option(
        "--relearning-steps",
        metavar="STEPS",
        help='Steps after a lapse (default "10m"). Remembered.',
    ),
    click.option(
        "--day-starts",
        type=click.IntRange(0, 23),
        metavar="HOUR",
        help="Local hour at which a study day starts (default 4). Remembered.",
    ),
)


def saved_settings(store: Store, given: SettingsGiven) -> Settings:
    """The stored settings, with any given on the command line saved for next time."""
    current = store.settings()
    learning = _steps(given.learning_steps, "learning_steps")
    relearning = _steps(given.relearning_steps, "relearning_steps")
    if all(value is None for value in given):
        return current
    try:
        settings = current._replace(
            desired_retention=_or(given.retention, current.desired_retention),
            maximum_interval=_or(given.max_interval, current.maximum_interval),
            day_start_hour=_or(given.day_starts, current.day_start_hour),
            learning_steps=_or(learning, current.learning_steps),
            relearning_steps=_or(relearning, current.relearning_steps),
        ).checked()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store.save_settings(settings)
    return settings


def _or(value: _T | None, current: _T) -> _T:
    return current if value is None else value


def _steps(text: str | None, name: str) -> tuple[timedelta, ...] | None:
    """``--learning-steps``/``--relearning-steps`` parsed (None: not given)."""
    if text is None:
        return None
    try:
        return parse_steps(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{name.replace('_', '-')}") from None
