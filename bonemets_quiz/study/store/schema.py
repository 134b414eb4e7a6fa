"""The progress store's file format: checks before opening, schema versions, migrations, backups.

A file that is not ours, is cut short or comes from a newer version is refused before anything is
written to it. The schema version lives in ``PRAGMA user_version``; an older store is copied to a
backup file before it is migrated. SQLite's errors are turned into one-line ``StoreError``s here.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress

from ...errors import StoreError


class StoreBusy(StoreError):
    """Another program holds the store locked: it may be fine, only not now."""


class StoreReadOnly(StoreError):
    """The store (or its folder) cannot be written."""


APP_ID = 0x626D7131  # "bmq1": marks the file as ours
SQLITE_MAGIC = b"SQLite format 3\x00"

# MIGRATIONS[n] takes a store from schema n to n + 1. Append, never edit a released step.
MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE questions (
            id TEXT PRIMARY KEY,
            deck_id TEXT NOT NULL,
            sibling_key TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            retired_at INTEGER,
            renamed_to TEXT
        )""",
        "CREATE INDEX questions_deck ON questions(deck_id)",
        """CREATE TABLE cards (
            question_id TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('learning', 'review', 'relearning')),
            step INTEGER,
            stability REAL,
            difficulty REAL,
            due INTEGER NOT NULL,
            last_review INTEGER,
            reps INTEGER NOT NULL DEFAULT 0,
            lapses INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX cards_due ON cards(due)",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            question_id TEXT NOT NULL,
            reviewed_at INTEGER NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            verdict TEXT NOT NULL DEFAULT '',
            duration_ms INTEGER,
            status_before TEXT NOT NULL,
            status_after TEXT NOT NULL,
            due_after INTEGER NOT NULL,
            before TEXT
        )""",
        "CREATE INDEX reviews_time ON reviews(reviewed_at)",
        "CREATE INDEX reviews_question ON reviews(question_id)",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (  # 1 → 2: what the learner answered, the fuzz seed (so a replay gives the same schedule),
        # and the identity a merged review log deduplicates on (see review_merge)
        "ALTER TABLE reviews ADD COLUMN answer TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE reviews ADD COLUMN seed INTEGER",
        "CREATE INDEX reviews_identity ON reviews(question_id, reviewed_at, rating)",
    ),
]


def schema_version() -> int:
    return len(MIGRATIONS)


# ---------------------------------------------------------------------- before the first write


def check_file(path: str, *, writable: bool = True) -> None:
    """Refuse, without touching it, a file that is not a SQLite database, is empty or cut short,
    or (``writable``) cannot be written."""
    try:
        if os.path.isdir(path):
            raise StoreError(f"{path}: is a directory — give a file path to --store")
        if not os.path.exists(path):
            return
        size = os.path.getsize(path)
        with open(path, "rb") as file:
            header = file.read(100)
        wal = path + "-wal"  # with a WAL to replay, SQLite finishes an interrupted checkpoint
        recovering = os.path.exists(wal) and os.path.getsize(wal) > 0
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the progress store ({exc.strerror})") from None
    if writable and not os.access(path, os.W_OK):  # else it would fail at the first answer
        raise translate(sqlite3.OperationalError("attempt to write a readonly database"), path)
    if size == 0:  # bonemets-quiz creates a store whole (store_files.create): not one of ours
        raise StoreError(
            f"{path}: an empty file (0 bytes), not a progress store bonemets-quiz made; the file "
            "was left untouched — delete it to start afresh, or use another file with --store PATH"
        )
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise not_ours(path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]
    if header_valid and not recovering and size < pages * page_size:
        raise StoreError(
            f"{path}: the progress store is truncated ({size} of {pages * page_size} bytes); the "
            "file was left untouched — restore it from a backup or move it aside to start afresh"
        )


def read_header(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """The schema version, application id and number of schema objects (raises sqlite3.Error)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    return int(version), int(app_id), int(tables)


def check_header(path: str, version: int, app_id: int, tables: int) -> None:
    """Refuse a database that is someone else's, or was written by a newer bonemets-quiz."""
    ours = app_id == APP_ID if version > 0 else app_id in (0, APP_ID) and not tables
    if not ours:
        raise not_ours(path)
    if version > schema_version():
        raise StoreError(
            f"{path}: written by a newer bonemets-quiz (store schema {version}; this "
            f"version reads up to {schema_version()}); the file was left untouched — upgrade "
            "bonemets-quiz, or use another file with --store PATH"
        )


# ---------------------------------------------------------------------- upgrades


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date (call inside a write transaction)."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for step in MIGRATIONS[current:]:
        for statement in step:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {schema_version()}")
    conn.execute(f"PRAGMA application_id = {APP_ID}")


def backup(conn: sqlite3.Connection, path: str, version: int) -> str:
    """Copy the store at schema ``version`` beside itself; the copy's path."""
    target = f"{path}.schema{version}.bak"
    counter = 1
    while os.path.exists(target):
        target = f"{path}.schema{version}.{counter}.bak"
        counter += 1
    try:
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        with suppress(OSError):
            os.remove(target)
        raise translate(exc, path, "backing up before an upgrade") from None
    return target


# ---------------------------------------------------------------------- errors in words


def not_ours(path: str) -> StoreError:
    return StoreError(
        f"{path}: not a bonemets-quiz progress store (not a database, or damaged); the file was "
        "left untouched — move it aside to start afresh, or use another file with --store PATH"
    )


def damaged(path: str, detail: str, saved: bool) -> StoreError:
    """The store is damaged inside; ``saved``: this run committed changes before noticing."""
    kept = "the changes saved before this were kept" if saved else "nothing was changed"
    return StoreError(
        f"{path}: the progress store is damaged ({detail}); {kept} — go back to a backup with "
        "`bonemets-quiz restore` (it lists them), or move the file aside to start afresh"
    )


def free_space(path: str) -> int | None:
    """Bytes free to this user on the file system holding ``path`` (None: unknown)."""
    try:
        stat = os.statvfs(os.path.dirname(os.path.abspath(path)))
    except (OSError, AttributeError):  # no statvfs on Windows
        return None
    return stat.f_bavail * stat.f_frsize


def disk_full(path: str, doing: str = "") -> StoreError:
    free = free_space(path)
    amount = f" ({_size(free)} free)" if free is not None else ""
    what = f" while {doing}" if doing else ""
    return StoreError(
        f"{path}: the disk is full{amount}{what}; the last change was not saved and nothing was "
        "half written — free some space and run again"
    )


def _size(count: int) -> str:
    if count < 1000:
        return f"{count} bytes"
    amount, unit = count / 1000, 0
    while amount >= 1000 and unit < 2:
        amount, unit = amount / 1000, unit + 1
    return f"{amount:.1f} {('KB', 'MB', 'GB')[unit]}"


LOW_SPACE = 1 << 20  # an I/O error with less free than this is the disk being full


def translate(
    exc: sqlite3.Error, path: str, doing: str = "", *, saved: bool | None = None
) -> StoreError:
    """``exc`` in words. ``saved`` is None while opening (nothing written yet), else whether
    this run committed changes before the error: no message claims what did not happen."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    what = f" while {doing}" if doing else ""
    kept = "the changes saved before this were kept" if saved else "nothing was changed"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return StoreBusy(
            f"{path}: the progress store stayed locked by another program (another bonemets-quiz "
            f"saving to it, or a tool holding it open){what}; {kept} — close that program, "
            "then run again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return StoreReadOnly(
            f"{path}: the progress store is read-only; {kept} — make the file and its "
            "folder writable, or use another file with --store PATH"
        )
    free = free_space(path)
    low = free is not None and free < LOW_SPACE
    if name.startswith("SQLITE_FULL") or "full" in text or (_io_error(name, text) and low):
        return disk_full(path, doing)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "not a database" in text:
        return not_ours(path) if saved is None else damaged(path, str(exc), saved)
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(
            f"{path}: cannot open or create the progress store — check that its folder exists "
            "and is writable, or use another file with --store PATH"
        )
    return StoreError(f"{path}: progress store error{what}: {exc}")


def _io_error(name: str, text: str) -> bool:
    return name.startswith("SQLITE_IOERR") or "disk i/o error" in text
