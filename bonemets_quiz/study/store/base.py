"""An open progress store's connection: honest errors, checked and retried write transactions.

``Connected`` is what ``Store``'s parts (``store_questions``, ``store_reviews``, ``store_undo``,
``store_settings``) share: the connection, ``transaction`` and the ``_rows``/``_write`` helpers.

Every SQLite error becomes a one-line ``StoreError`` that says what happened, never that nothing
changed after this run committed something. The first write transaction of a run checks the
file's pages first (``PRAGMA quick_check``): nothing is written into a damaged store. A write that
finds the store locked by another program waits and tries again (``Retry``) before giving up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Self

from .files import Retry, quick_check, sqlite_connect
from .schema import translate

BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")


class Connected:
    """The connection under ``Store``'s parts: transactions and error translation."""

    def __init__(self, conn: sqlite3.Connection, path: str, retry: Retry | None = None) -> None:
        self._conn = conn
        self.path = path
        self.retry = retry or Retry()
        self.read_only = False
        self._checked = False  # the quick check comes before the first write
        self._commits = 0  # so that no message says "nothing was changed" after a commit
        # called once, before the first write (``study`` takes its start backup here at the latest)
        self.before_first_write: Callable[[], object] | None = None

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ copies

    def copy_in_memory(self) -> Self:
        """A copy of this store in memory: a read-only command's scratch space."""
        conn = sqlite_connect(":memory:")
        self.copy_to(conn)
        return type(self)(conn, self.path)

    def copy_to(
        self,
        target: sqlite3.Connection,
        *,
        pages: int = -1,
        progress: Callable[[int, int, int], object] | None = None,
    ) -> None:
        """Copy this store into ``target`` with SQLite's online backup: a consistent snapshot
        even while other sessions write (a write during the copy starts it again)."""
        with self._errors("copying it"):
            self._conn.backup(target, pages=pages, progress=progress)

    def copy_from(self, source: sqlite3.Connection) -> None:
        """Replace this store's content with ``source``'s, as one write (``restore``)."""
        self._check()
        with self._errors("restoring it"):
            source.backup(self._conn)
        self._commits += 1

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _errors(self, doing: str = "") -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            saved = self._commits > 0 if doing else None
            raise translate(exc, self.path, doing, saved=saved) from None

    def check(self) -> None:
        """Refuse (StoreError) a store whose pages are damaged; done once, before any write."""
        self._check()

    def integrity(self) -> str:
        """SQLite's full integrity check: "ok", or what is wrong."""
        return str(self._rows("PRAGMA integrity_check")[0][0])

    def _check(self) -> None:
        if not self._checked:
            hook, self.before_first_write = self.before_first_write, None
            if hook is not None:
                hook()
            quick_check(self._conn, self.path, self._commits > 0)
            self._checked = True

    def _begin(self, doing: str = "saving") -> None:
        """BEGIN IMMEDIATE, waiting (``self.retry``) while another program holds the store."""
        for delay in [*self.retry.delays(), None]:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as exc:
                name = getattr(exc, "sqlite_errorname", "") or ""
                if delay is None or not name.startswith(BUSY):
                    raise translate(exc, self.path, doing, saved=self._commits > 0) from None
            self.retry.sleep(delay)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: committed (durably) at the end, rolled back on any error.

        The first one of a run checks the store's pages first: nothing is written into a
        damaged file.
        """
        self._check()
        self._begin()
        try:
            yield
            with self._errors("saving"):
                self._conn.execute("COMMIT")
            self._commits += 1
        except BaseException:
            if self._conn.in_transaction:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            raise

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._errors("reading"):
            return self._conn.execute(sql, params).fetchall()

    def _write(self, sql: str, params: Sequence[object] = ()) -> int:
        with self._errors("saving"):
            return self._conn.execute(sql, params).rowcount

    def _write_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """One statement for many rows (one per row cost a second on 35,000 questions)."""
        if rows:
            with self._errors("saving"):
                self._conn.executemany(sql, rows)

    def _meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None
