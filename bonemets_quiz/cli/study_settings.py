"""The remembered scheduling settings: ``study``'s options for them, and saving those given.

``--retention``, ``--max-interval``, ``--learning-steps``, ``--relearning-steps`` and
``--day-starts`` are stored with the progress and apply until changed again.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import click

from ..errors import UsageError
from ..scheduling import MAX_INTERVAL, Settings, parse_steps
from ..store import Store
from .common import F


class SettingsGiven(NamedTuple):
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
    changes: dict[str, object] = {}
    if given.retention is not None:
        changes["desired_retention"] = given.retention
    if given.max_interval is not None:
        changes["maximum_interval"] = given.max_interval
    if given.day_starts is not None:
        changes["day_start_hour"] = given.day_starts
    for name in ("learning_steps", "relearning_steps"):
        text = getattr(given, name)
        if text is not None:
            try:
                changes[name] = parse_steps(text)
            except ValueError as exc:
                hint = f"--{name.replace('_', '-')}"
                raise click.BadParameter(str(exc), param_hint=hint) from None
    if not changes:
        return current
    try:
        settings = current._replace(**changes).checked()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    store.save_settings(settings)
    return settings
