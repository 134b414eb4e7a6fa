"""The progress store's file on disk: created whole, opened for writing or only for reading.

A new store is built in a temporary file beside its final path, flushed to disk, then linked into
place: a crash while creating leaves either no store or a complete, empty one, never a zero-byte or
tableless file (which ``store_schema.check_file`` refuses). Read-only commands open the file with
``mode=ro`` (or ``immutable`` when even the folder is read-only), so they work on a store the
learner cannot write.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import suppress

from ...errors import StoreError
from ...records import Record
from .schema import damaged, migrate, translate


class Retry(Record):
    """How long a write waits for a store another program holds locked.

    SQLite waits ``busy_timeout`` seconds itself; then the write is tried again ``retries``
    times, after ``backoff``, 2×``backoff``, 4×``backoff``… seconds (in all, with the defaults,
    at most about 5 × 4 + 3.5 = 23.5 s). ``sleep`` is injected by tests.
    """

    busy_timeout: float = 5.0
    retries: int = 3
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep

    def delays(self) -> list[float]:
        return [self.backoff * 2**n for n in range(self.retries)]


def sqlite_connect(target: str, timeout: float = 5.0, uri: bool = False) -> sqlite3.Connection:
    """Every connection to a store: autocommit (transactions are explicit), foreign keys on."""
    conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=uri)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect(path: str, busy_timeout: float) -> sqlite3.Connection:
    """A read-write connection to ``path``, creating the store whole if there is none."""
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    except OSError as exc:
        raise _os_error(path, exc, "cannot create its folder") from None
    if not os.path.exists(path):
        create(path)
    try:
        conn = sqlite_connect(path, busy_timeout)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    return conn


def connect_read_only(path: str, busy_timeout: float) -> sqlite3.Connection:
    """A connection that cannot write: ``mode=ro``, or ``immutable=1`` when SQLite cannot make the
    shared-memory file a WAL store needs (a read-only folder) and no WAL is waiting there."""
    from urllib.parse import quote  # (with ipaddress: 1.5 ms that ``study``'s start-up skips)

    base = "file:" + quote(os.path.abspath(path))
    wal = path + "-wal"
    try:
        conn = sqlite_connect(base + "?mode=ro", busy_timeout, uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.Error as exc:
        if os.path.exists(wal) and os.path.getsize(wal) > 0:
            raise translate(exc, path) from None
    try:
        return sqlite_connect(base + "?immutable=1", busy_timeout, uri=True)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def create(path: str) -> None:
    """Create an empty store at ``path`` at once: built aside, synced, then linked into place."""
    folder, name = os.path.split(os.path.abspath(path))
    try:
        import tempfile  # not on the quiz's start-up path

        handle, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".new", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise _os_error(path, exc, "cannot create the progress store") from None
    try:
        conn = sqlite_connect(temp)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
            migrate(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()  # the last connection checkpoints the WAL into the file and removes it
        place(temp, path)
    except sqlite3.Error as exc:
        raise translate(exc, path, "creating it") from None
    except OSError as exc:
        raise _os_error(path, exc, "cannot create the progress store") from None
    finally:
        for leftover in (temp, temp + "-wal", temp + "-shm"):
            with suppress(OSError):
                os.remove(leftover)


def place(temp: str, path: str, *, replace: bool = False) -> None:
    """Flush ``temp`` to disk and give it the name ``path`` (never over an existing file unless
    ``replace``: another process may have created the store meanwhile; theirs is kept)."""
    with open(temp, "rb+") as file:
        os.fsync(file.fileno())
    if replace:
        os.replace(temp, path)
    else:
        try:
            os.link(temp, path)  # fails if ``path`` exists, unlike a rename
        except FileExistsError:
            return
        except OSError:  # a file system without hard links
            if os.path.exists(path):
                return
            os.rename(temp, path)
    sync_folder(path)


def sync_folder(path: str) -> None:
    """Make a new name in ``path``'s folder durable (a no-op where a folder cannot be opened)."""
    with suppress(OSError):
        fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def quick_check(conn: sqlite3.Connection, path: str, saved: bool = False) -> None:
    """Refuse a store whose pages are damaged (``PRAGMA quick_check``, stopping at the first
    problem): run before a command's first write, so a damaged file is not written into."""
    try:
        result = str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])
    except sqlite3.Error as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise damaged(path, str(exc), saved) from None
        raise translate(exc, path, "checking it", saved=saved) from None
    if result != "ok":  # e.g. "*** in database main ***\nPage 23: btreeInitPage() ...": one line
        raise damaged(path, " ".join(result.replace("*** in database main ***", "").split()), saved)


def _os_error(path: str, exc: OSError, doing: str) -> StoreError:
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        from .schema import disk_full

        return disk_full(path, "creating it")
    return StoreError(f"{path}: {doing} ({exc.strerror or exc})")
