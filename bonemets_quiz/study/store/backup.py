"""Backups of the progress store, kept in rotation (as Anki keeps them), and going back to one.

A backup is a consistent snapshot taken with SQLite's online backup (a write by another session
during the copy starts it again), checked (``PRAGMA quick_check``) before it is kept, and named
after the moment it was taken: ``backups/progress-20260310T090000Z.sqlite3`` beside the store.
``periodic_backup`` takes one at most every ``EVERY`` (30 minutes) and keeps the newest ``KEEP``
(10). ``restore`` backs the current store up first, then puts a backup's content in its place.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from datetime import UTC, datetime, timedelta

from ...errors import StoreError
from ...paths import backup_dir
from ...records import Record
from .files import Retry, connect_read_only, place, quick_check
from .schema import (
    StoreBusy,
    StoreReadOnly,
    check_file,
    check_header,
    read_header,
    translate,
)
from .store import Store

EVERY = timedelta(minutes=30)
KEEP = 10
STAMP = "%Y%m%dT%H%M%SZ"


class Backup(Record):
    path: str
    taken: datetime
    size: int


class Restored(Record):
    backup: str
    reviews: int  # answers in the restored store
    saved_first: Backup | None  # the store as it was, backed up before it was replaced
    moved_aside: str | None  # a damaged store, renamed rather than overwritten


def _stem(store: str) -> str:
    return os.path.splitext(os.path.basename(store))[0] + "-"


def list_backups(store: str) -> list[Backup]:
    """The backups of ``store``, newest first."""
    folder, stem = backup_dir(store), _stem(store)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        if not (name.startswith(stem) and name.endswith(".sqlite3")):
            continue
        stamp = name[len(stem) : -len(".sqlite3")].split("-")[0]
        try:
            taken = _taken(stamp)
            size = os.path.getsize(os.path.join(folder, name))
        except (ValueError, OSError):
            continue  # not one of ours (or gone meanwhile)
        found.append(Backup(os.path.join(folder, name), taken, size))
    return sorted(found, key=lambda b: (b.taken, b.path), reverse=True)


def _taken(stamp: str) -> datetime:
    """The time a backup's name gives (``STAMP``); ValueError when it is not one. Not strptime:
    its first use imports ``_strptime`` (calendar, locale, regexes) on study's start-up path."""
    digits = stamp[:8] + stamp[9:15]  # YYYYmmdd HHMMSS
    ours = len(stamp) == 16 and stamp[8] + stamp[15] == "TZ"
    if not (ours and digits.isascii() and digits.isdigit()):
        raise ValueError(f"not a backup time: {stamp!r}")
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    hour, minute, second = int(digits[8:10]), int(digits[10:12]), int(digits[12:14])
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def periodic_backup(
    store: Store, now: datetime, every: timedelta = EVERY, keep: int = KEEP
) -> Backup | None:
    """Back ``store`` up unless a backup is younger than ``every`` (or there is nothing to keep
    yet); keep the newest ``keep``. The new backup, or None."""
    newest = list_backups(store.path)[:1]
    if (newest and now - newest[0].taken < every) or store.reviews_total() == 0:
        return None
    taken = take_backup(store, now)
    rotate(store.path, keep)
    return taken


def rotate(store: str, keep: int = KEEP) -> None:
    for old in list_backups(store)[keep:]:
        with suppress(OSError):
            os.remove(old.path)


def take_backup(store: Store, now: datetime, *, pages: int = -1, progress: object = None) -> Backup:
    """A checked snapshot of ``store`` in its backups folder (``pages``, ``progress``: as for
    ``sqlite3.Connection.backup``)."""
    folder = backup_dir(store.path)
    name = _stem(store.path) + now.astimezone(UTC).strftime(STAMP)
    target = os.path.join(folder, name + ".sqlite3")
    counter = 1
    while os.path.exists(target):
        counter += 1
        target = os.path.join(folder, f"{name}-{counter}.sqlite3")
    try:
        os.makedirs(folder, exist_ok=True)
        import tempfile  # not on the quiz's start-up path

        handle, temp = tempfile.mkstemp(prefix=".", suffix=".partial", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot write a backup there ({exc.strerror})") from None
    try:
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            store.copy_to(copy, pages=pages, progress=progress)  # type: ignore[arg-type]
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            quick_check(copy, store.path)
        finally:
            copy.close()
        place(temp, target, replace=True)
    except sqlite3.Error as exc:
        raise translate(exc, target, "backing up") from None
    except OSError as exc:
        raise StoreError(f"{target}: cannot write the backup ({exc.strerror})") from None
    finally:
        with suppress(OSError):
            os.remove(temp)
    return Backup(target, now, os.path.getsize(target))


def count_reviews(path: str) -> int:
    """The answers in a store or backup file, checked first: a StoreError names what is wrong."""
    if not os.path.isfile(path):
        raise StoreError(f"{path}: no such backup file — `bonemets-quiz restore` lists them")
    check_file(path, writable=False)
    conn = connect_read_only(path, 1.0)
    try:
        try:
            check_header(path, *read_header(conn))
        except sqlite3.Error as exc:
            raise translate(exc, path) from None
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) == 0:
            raise StoreError(f"{path}: an empty database, not a backup of a progress store")
        quick_check(conn, path)
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def restore(backup: str, store: str, now: datetime, retry: Retry | None = None) -> Restored:
    """Put ``backup``'s content in place of ``store``: backed up first if it can be read, moved
    aside (renamed) if it is damaged, created if missing. A bad ``backup`` changes nothing."""
    reviews = count_reviews(backup)
    if not os.path.exists(store):
        _copy_file(backup, store)
        return Restored(backup, reviews, None, None)
    try:
        current = Store.open(store, retry=retry)
    except StoreError as exc:
        return _replace_unusable(exc, backup, store, now, reviews)
    try:
        current.check()
    except StoreError as exc:
        current.close()
        return _replace_unusable(exc, backup, store, now, reviews)
    try:
        saved = take_backup(current, now)
        source = connect_read_only(backup, 1.0)
        try:
            current.copy_from(source)
        finally:
            source.close()
    finally:
        current.close()
    return Restored(backup, reviews, saved, None)


def _replace_unusable(
    problem: StoreError, backup: str, store: str, now: datetime, reviews: int
) -> Restored:
    """Put ``backup`` in place of a store that cannot be opened or is damaged, which is renamed
    (kept, never overwritten); a store that is only locked or read-only is not replaced."""
    if isinstance(problem, StoreBusy | StoreReadOnly):
        raise problem
    aside = f"{store}.damaged-{now.astimezone(UTC).strftime(STAMP)}"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.replace(store + suffix, aside + suffix)
    _copy_file(backup, store)
    return Restored(backup, reviews, None, aside)


def _copy_file(backup: str, store: str) -> None:
    """A copy of ``backup`` at ``store`` (which does not exist), made whole, never half."""
    folder = os.path.dirname(os.path.abspath(store))
    os.makedirs(folder, exist_ok=True)
    import tempfile  # not on the quiz's start-up path

    handle, temp = tempfile.mkstemp(prefix=".", suffix=".new", dir=folder)
    os.close(handle)
    try:
        source = connect_read_only(backup, 1.0)
        target = sqlite3.connect(temp)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        place(temp, store)
    except sqlite3.Error as exc:
        raise translate(exc, store, "restoring it") from None
    finally:
        with suppress(OSError):
            os.remove(temp)
