"""The store's file: created whole, empty files refused, read-only stores read, full disks named."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest_study import NOW, make_question
from test_study_cli import Quiz

from bonemets_quiz.errors import StoreError
from bonemets_quiz.study.store import files as store_files
from bonemets_quiz.study.store.store import Store


def test_a_zero_byte_store_is_refused_untouched_with_what_to_do(tmp_path: Path) -> None:
    quiz = Quiz(tmp_path)
    quiz.store.write_bytes(b"")
    with pytest.raises(StoreError, match="an empty file") as error:
        Store.open(quiz.store)
    assert "delete it to start afresh" in str(error.value)
    result = quiz.study("\n3\n", "--new", "1")
    assert result.exit_code == 2 and "an empty file (0 bytes)" in result.output
    assert "Saved:" not in result.output
    assert quiz.store.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir() if "sqlite3" in p.name) == ["progress.sqlite3"]


def test_a_crash_while_creating_the_store_leaves_nothing_that_is_then_refused(
    tmp_path: Path,
) -> None:
    """The process dies (os._exit, like a SIGKILL) in the middle of building the new store's
    tables: no file is at the store's path, and the next run creates the store."""
    path = tmp_path / "new" / "p.sqlite3"
    script = (
        "import os, sys\n"
        "from bonemets_quiz.study.store import files as store_files\n"
        "def dying(conn):\n"
        "    conn.execute('CREATE TABLE questions (id TEXT)')\n"
        "    os._exit(9)\n"
        "store_files.migrate = dying\n"
        "from bonemets_quiz.study.store.store import Store\n"
        "Store.open(sys.argv[1])\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True)
    assert run.returncode == 9, run.stderr
    assert not path.exists()
    with Store.open(path) as store:
        store.sync([make_question("d/a/basic")], NOW)
        assert store.integrity() == "ok" and len(store.question_rows()) == 1


def test_a_failure_while_creating_leaves_no_file_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    def failing(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_files, "migrate", failing)
    with pytest.raises(StoreError, match="disk is full"):
        Store.open(tmp_path / "p.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_stats_reads_a_store_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = Quiz(tmp_path)
    assert quiz.study("\n3\n\n\n", "--new", "2").exit_code == 0
    digest = hashlib.sha256(quiz.store.read_bytes()).hexdigest()
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:  # as for a non-root user
        if mode & os.W_OK and str(path).startswith(str(tmp_path)):
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    quiz.store.chmod(0o444)
    try:
        figures = quiz.stats()
        assert figures["reviews_total"] == 2 and figures["store_exists"] is True
        with_deck = quiz.stats("--deck", str(quiz.deck))  # counted in memory, not saved
        assert with_deck["reviews_total"] == 2
    finally:
        quiz.store.chmod(0o644)
    assert hashlib.sha256(quiz.store.read_bytes()).hexdigest() == digest
    with sqlite3.connect(f"file:{quiz.store}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'sync:%'").fetchone() == (1,)


def full_disk(monkeypatch: pytest.MonkeyPatch, free_bytes: int) -> None:
    """Every SQLite connection fails as it does on a full disk; ``free_bytes`` are left."""

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        error = sqlite3.OperationalError("disk I/O error")
        error.sqlite_errorname = "SQLITE_IOERR_WRITE"  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(sqlite3, "connect", connect)
    monkeypatch.setattr(
        os, "statvfs", lambda path: SimpleNamespace(f_bavail=free_bytes // 4096, f_frsize=4096)
    )


def test_a_full_disk_at_open_says_so_with_the_space_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.sqlite3"
    Store.open(path).close()
    full_disk(monkeypatch, 12_288)
    for where in (path, tmp_path / "new.sqlite3"):
        with pytest.raises(StoreError, match="the disk is full") as error:
            Store.open(where)
        message = str(error.value)
        assert "the disk is full (12.3 KB free)" in message and "free some space" in message
        assert "disk I/O error" not in message


def test_an_io_error_with_space_left_is_not_called_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.sqlite3"
    Store.open(path).close()
    full_disk(monkeypatch, 50 * 10**9)
    with pytest.raises(StoreError, match="disk I/O error") as error:
        Store.open(path)
    assert "full" not in str(error.value)


def test_no_space_for_a_new_store_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    def mkstemp(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    with pytest.raises(StoreError, match=r"the disk is full \(.* free\)"):
        Store.open(tmp_path / "p.sqlite3")
    assert list(tmp_path.iterdir()) == []
