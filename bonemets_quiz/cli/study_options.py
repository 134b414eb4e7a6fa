"""What ``study``, ``stats`` and ``undo`` share: the clock, the time zone, the progress store.

The only place that reads the clock and the local time zone; the core gets them passed in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

import click

from ..paths import default_location, user_dir
from ..store import Store
from .common import safe_path

# Hidden options (and environment variables) that tests use to fix the time, place and chance.
seed_option = click.option("--seed", type=int, envvar="BONEMETS_QUIZ_SEED", hidden=True)
zone_option = click.option("--tz", "tz_name", envvar="BONEMETS_QUIZ_TZ", hidden=True)
clock_option = click.option("--now", "fixed_now", envvar="BONEMETS_QUIZ_NOW", hidden=True)


def make_clock(fixed: str | None) -> Callable[[], datetime]:
    if not fixed:
        return lambda: datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError:
        raise click.BadParameter(
            "use ISO 8601, e.g. 2026-03-29T09:00+01:00", param_hint="--now"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter("give a UTC offset, e.g. 2026-03-29T09:00Z", param_hint="--now")
    return lambda: moment.astimezone(UTC)


def local_zone(name: str | None = None) -> tzinfo:
    """The learner's time zone: ``--tz``/``TZ`` if valid, else the system's, else a fixed offset."""
    from zoneinfo import ZoneInfo

    candidates = [name, os.environ.get("TZ", "").lstrip(":") or None]
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for candidate in candidates:
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
                if candidate == name:
                    raise click.BadParameter(
                        f"unknown time zone {name!r}", param_hint="--tz"
                    ) from None
    return datetime.now().astimezone().tzinfo or UTC


def store_path(ctx: click.Context) -> str:
    return str((ctx.obj or {}).get("store") or default_location())


def open_store(ctx: click.Context) -> Store:
    return Store.open(store_path(ctx))


def open_existing_store(ctx: click.Context) -> Store | None:
    """The store, or None when its file does not exist (a read-only command creates nothing)."""
    path = store_path(ctx)
    return Store.open(path) if os.path.exists(path) else None


def no_progress(path: str) -> str:
    return f"No progress yet at {safe_path(path)} (`bonemets-quiz study` creates it)."


def cache_dir() -> str | None:
    """Where the generated bank is cached (none with ``BONEMETS_QUIZ_NO_CACHE=1``)."""
    return None if os.environ.get("BONEMETS_QUIZ_NO_CACHE") else user_dir("cache")
