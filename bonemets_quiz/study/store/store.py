"""The progress store: one SQLite file, and the only ``store*`` modules speak SQL to it.

WAL mode, ``synchronous=FULL``: each answer (the card's new state and its review-log row) is one
transaction, durable once ``record`` returns. ``Store`` opens the file and is made of parts, one
concern each: ``store_questions`` (syncing the bank in: renames, retired questions; snapshots),
``store_reviews`` (cards, answers, the day's log), ``store_undo`` (taking an answer back) and
``store_settings`` (the learner's settings). Under them: ``store_base`` (transactions: checked
before the first write, retried while locked, honest errors), ``store_files`` (creating the file
whole, opening it read-only), ``store_schema`` (file checks, schema, migrations, errors in words),
``store_rows`` (rows as values) and ``store_backup`` (backups in rotation, restore).
"""

from __future__ import annotations

import os

from ...paths import default_location
from ...paths import default_path as default_path  # re-exported
from ...paths import user_dir as user_dir  # re-exported
from .files import Retry, connect, connect_read_only, sqlite_connect
from .questions import QuestionsPart
from .rows import DayLog, QuestionRow, ReviewRow, SyncReport
from .rows import from_us as from_us  # re-exported
from .schema import APP_ID as APP_ID  # re-exported: the mark of our files
from .schema import backup, check_file, check_header, migrate, read_header, schema_version
from .settings import SettingsPart
from .undo import UndoPart, UndoRefused

DEFAULT_RETRY = Retry()


class _Outdated(Exception):
    """A store opened read-only needs a migration first."""


__all__ = ["DayLog", "QuestionRow", "ReviewRow", "Store", "SyncReport", "UndoRefused"]


class Store(QuestionsPart, UndoPart, SettingsPart):
    """An open progress store. Use ``Store.open(path)``; close it (or use ``with``) when done."""

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float | None = None,
        retry: Retry | None = None,
        read_only: bool = False,
    ) -> Store:
        """Open the store at ``path`` (default: in the user data directory).

        Writable: created (whole) when missing, migrated when older. ``read_only``: opened so
        that nothing can be written, for commands that only read (an older store that can be
        written is migrated first). ``retry`` says how long a write waits for a locked store.
        """
        path = os.fspath(path) if path is not None else default_location()
        retry = retry or DEFAULT_RETRY
        if busy_timeout is not None:
            retry = retry._replace(busy_timeout=busy_timeout)
        check_file(path, writable=not read_only)
        if read_only:
            conn = connect_read_only(path, retry.busy_timeout)
        else:
            conn = connect(path, retry.busy_timeout)
        store = cls(conn, path, retry)
        store.read_only = read_only
        try:
            store._prepare()
        except _Outdated:
            conn.close()
            return cls.open(path, retry=retry)
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def in_memory(cls, name: str = ":memory:") -> Store:
        """An empty store in memory, written nowhere (``name`` is the path it reports): what a
        read-only command shows when there is no store file yet."""
        store = cls(sqlite_connect(":memory:"), name)
        store._prepare()
        return store

    def _prepare(self) -> None:
        # Every check comes before the first write (the journal mode is one): a file that is not
        # ours, or is too new, is left byte for byte as it was.
        with self._errors():
            header = read_header(self._conn)
        check_header(self.path, *header)
        version = header[0]
        if self.read_only:
            if version < schema_version():
                raise _Outdated  # written by an older version: migrate (if writable), then read
            return
        with self._errors():
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
        if version < schema_version():
            if version > 0:
                self._check()
                backup(self._conn, self.path, version)
            with self.transaction():
                migrate(self._conn)
        else:
            self._begin("opening it")  # fails now, not at the first answer, if it cannot write
            with self._errors():
                self._conn.execute("COMMIT")
