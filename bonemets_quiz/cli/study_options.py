"""What ``study``, ``stats`` and ``undo`` share: the clock, the time zone, the progress store.

The only place that reads the clock and the local time zone; the core gets them passed in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

import click

from ..errors import StoreError
from ..paths import user_dir
from ..study.scheduling import EARLIEST, LATEST, checked_now
from ..study.store.store import Store
from .common import safe_path, store_path

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
    try:
        checked_now(moment)  # the range the scheduler can add a century of intervals to
    except (ValueError, OverflowError):
        raise click.BadParameter(
            f"give a time from {EARLIEST.year} to {LATEST.year - 1}, e.g. 2026-03-29T09:00Z",
            param_hint="--now",
        ) from None
    return lambda: moment.astimezone(UTC)


def local_zone(name: str | None = None) -> tzinfo:
    """The learner's time zone: ``--tz``, else ``TZ``, else the machine's own
    (``LocalZone``: as the C library keeps it).

    Both take a zone name (``Europe/London``) or a POSIX TZ string (``EST+5``,
    ``CET-1CEST,M3.5.0,M10.5.0/3``). A ``TZ`` that is neither is named on standard error with
    the zone used instead; a bad ``--tz`` is a usage error.
    """
    if name:
        zone = zone_from(name)
        if zone is None:
            raise click.BadParameter(
                f"unknown time zone {name!r}; give a zone name (e.g. Europe/London) or a POSIX "
                "TZ string (e.g. EST+5)",
                param_hint="--tz",
            )
        return zone
    variable = os.environ.get("TZ", "")
    if not variable:
        from .local_zone import LocalZone

        return LocalZone()
    zone = zone_from(variable)
    if zone is not None:
        return zone
    fallback = _linked_zone()  # (the C library would take such a TZ for UTC)
    click.echo(
        f"TZ={variable!r} is neither a zone name nor a POSIX TZ string; using {fallback}.",
        err=True,
    )
    return fallback


def zone_from(text: str) -> tzinfo | None:
    """The zone ``text`` names (``TZ`` syntax: a name, a path, or a POSIX TZ string), or None."""
    from zoneinfo import ZoneInfo

    text = text.removeprefix(":")
    try:
        if text.startswith("/"):
            if not os.path.isfile(text):  # never block on a FIFO or read a device
                return None
            with open(text, "rb") as file:
                return ZoneInfo.from_file(file, key=text)
        return ZoneInfo(text)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        pass
    try:
        return posix_zone(text)
    except ValueError:
        return None


def posix_zone(rule: str) -> tzinfo:
    """A zone following a POSIX TZ string (ValueError if it is not one).

    zoneinfo already implements these rules for the footer of a TZif file: a TZif file with no
    transitions and ``rule`` as its footer is a zone that follows ``rule`` at all times.
    """
    import io
    import struct
    from zoneinfo import ZoneInfo

    if not rule.isascii() or not rule.isprintable():
        raise ValueError(f"not a POSIX TZ string: {rule!r}")
    names = b"UTC\0"
    header = b"TZif2" + bytes(15) + struct.pack(">6l", 0, 0, 0, 0, 1, len(names))
    block = header + struct.pack(">lBB", 0, 0, 0) + names  # one local time type, no transitions
    data = block + block + b"\n" + rule.encode() + b"\n"
    return ZoneInfo.from_file(io.BytesIO(data), key=rule)


def _linked_zone() -> tzinfo:
    """The zone ``/etc/localtime`` links to, else UTC."""
    from zoneinfo import ZoneInfo

    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            return ZoneInfo(link.split("zoneinfo/", 1)[1])
    except (ValueError, OSError, KeyError):
        pass
    return UTC


def open_store(ctx: click.Context, *, back_up_now: bool = True) -> Store:
    """The store, for a command that writes. It is backed up at the start and at the end of
    the command, at most every 30 minutes (``store_backup``; ``--now`` applies). Not
    ``back_up_now``: the start's backup is left to ``StartBackup``."""
    store = Store.open(store_path(ctx))
    clock = make_clock(ctx.params.get("fixed_now"))
    if back_up_now:
        back_up(store, clock())
    ctx.call_on_close(lambda: _back_up_at_end(store.path, clock))
    return store


class StartBackup:
    """``study``'s backup at the start, taken once: when the first question is on screen (copying
    a 100,000-review store takes ~0.15 s, while the learner reads) or before the store's first
    write, if that comes first (``before_first_write``)."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store, self.clock, self.taken = store, clock, False
        store.before_first_write = self

    def __call__(self) -> None:
        if not self.taken:
            self.taken = True
            back_up(self.store, self.clock())


def back_up(store: Store, now: datetime) -> None:
    """A periodic backup; a failure to take one is a warning, never the end of a session."""
    from ..study.store.backup import periodic_backup

    try:
        periodic_backup(store, now)
    except StoreError as exc:
        click.echo(f"Warning: no backup taken: {exc}", err=True)


def _back_up_at_end(path: str, clock: Callable[[], datetime]) -> None:
    try:
        with Store.open(path, read_only=True) as store:
            back_up(store, clock())
    except StoreError:
        pass  # the command has already said what is wrong with the store


def open_existing_store(ctx: click.Context, *, read_only: bool = False) -> Store | None:
    """The store, or None when its file does not exist (a read-only command creates nothing).

    ``read_only``: opened so that it cannot be written (works on a store the learner cannot
    write, e.g. on a read-only disk or shared by a teacher).
    """
    path = store_path(ctx)
    return Store.open(path, read_only=read_only) if os.path.exists(path) else None


def no_progress(path: str) -> str:
    return f"No progress yet at {safe_path(path)} (`bonemets-quiz study` creates it)."


def cache_dir() -> str | None:
    """Where the generated bank is cached (none with ``BONEMETS_QUIZ_NO_CACHE=1``)."""
    return None if os.environ.get("BONEMETS_QUIZ_NO_CACHE") else user_dir("cache")
