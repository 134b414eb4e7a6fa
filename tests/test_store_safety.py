"""A damaged progress store is never written into, and no message claims what did not happen.

Damage is real: bytes inside a page of the ``questions`` table of a store file in ``tmp_path`` are
overwritten (the page found with SQLite's ``dbstat``), as a failing disk or a stray write would.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from conftest_study import NOW, make_question
from test_study_cli import Quiz

from bonemets_quiz.errors import StoreError
from bonemets_quiz.study.scheduling import Rating, Scheduler, Settings
from bonemets_quiz.study.store.store import Store

SCHEDULER = Scheduler(Settings(fuzz=False))


def answer(store: Store, qid: str) -> None:
    with store.transaction():
        before = store.card(qid)
        store.record(before, SCHEDULER.review(before, Rating.GOOD, NOW), Rating.GOOD, "right")


def filled_store(path: Path, answers: int = 3) -> list[str]:
    """A closed store with 300 questions (the table spans many pages) and a few answers."""
    ids = [f"d/f{n:03}/basic" for n in range(300)]
    with Store.open(path) as store:
        store.sync([make_question(qid, prompt=f"prompt {qid} " + "x" * 200) for qid in ids], NOW)
        for qid in ids[:answers]:
            answer(store, qid)
    return ids


def damage(path: Path, table: str = "questions") -> None:
    """Overwrite the header of one leaf page of ``table`` (the store must be closed)."""
    conn = sqlite3.connect(path)
    pages = [
        row[0]
        for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,),
        )
    ]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) > 2 and not Path(f"{path}-wal").exists()
    with open(path, "r+b") as file:
        file.seek((pages[len(pages) // 2] - 1) * size)
        file.write(b"\xff" * 12)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reviews_in(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
    finally:
        conn.close()


def test_a_damaged_questions_page_is_found_before_the_first_write(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    ids = filled_store(path)
    damage(path)
    before = digest(path)
    with Store.open(path) as store, pytest.raises(StoreError, match="damaged") as error:
        answer(store, ids[10])  # the cards table is intact: only a check finds the damage
    message = str(error.value)
    assert str(path) in message and "nothing was changed" in message
    assert "bonemets-quiz restore" in message
    assert digest(path) == before


def test_study_on_a_damaged_store_writes_nothing(tmp_path: Path) -> None:
    quiz = Quiz(tmp_path)
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0
    conn = sqlite3.connect(quiz.store)
    with conn:
        conn.executemany(
            "INSERT INTO questions VALUES (?, 'x', ?, ?, 0, 1, NULL)",
            [(f"x/old{n}/basic", f"x/old{n}", "{}" + " " * 300) for n in range(200)],
        )
    conn.close()
    damage(quiz.store)
    before = digest(quiz.store)
    result = quiz.study("\n3\n\n3\n", "--new", "5")
    assert result.exit_code != 0
    assert "Saved:" not in result.output
    (error,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert "damaged (Page " in error and "nothing was changed" in error  # one line, one page
    assert digest(quiz.store) == before


def test_undo_on_a_damaged_store_takes_nothing_back_and_says_so(tmp_path: Path) -> None:
    quiz = Quiz(tmp_path)
    path = quiz.store
    filled_store(path, answers=5)
    damage(path)
    before = digest(path)
    for _ in range(3):  # each retry used to take back one more answer
        result = quiz.run("undo")
        assert result.exit_code != 0
        words = " ".join(result.output.split())
        assert "damaged" in words and "nothing was changed" in words
        assert "untouched" not in words and "Took back" not in words
    assert digest(path) == before
    assert reviews_in(path) == 5


def test_an_error_after_a_commit_says_what_was_saved(tmp_path: Path) -> None:
    """Damage found after this run saved something (here: the check is skipped, as when a disk
    fails mid-session): the message says the earlier changes were kept, never "untouched"."""
    path = tmp_path / "p.sqlite3"
    ids = filled_store(path, answers=0)
    damage(path)
    with Store.open(path) as store:
        store._checked = True
        answer(store, ids[0])  # committed: the cards and reviews tables are intact
        with pytest.raises(StoreError, match="the changes saved before this were kept") as error:
            store.questions()
    message = str(error.value)
    assert "the changes saved before this were kept" in message
    assert "untouched" not in message and "nothing was changed" not in message
    assert reviews_in(path) == 1


class Locker:
    """Another program's connection that takes the store's write lock (BEGIN EXCLUSIVE) just
    before the learner's ``nth`` answer is saved, and (optionally) lets go during a retry."""

    def __init__(self, path: Path, nth: int, release_after: int | None = None) -> None:
        self.path, self.nth, self.release_after = path, nth, release_after
        self.answers, self.waits = 0, []  # type: ignore[var-annotated]
        self.conn: sqlite3.Connection | None = None

    def before_answer(self) -> None:
        self.answers += 1
        if self.answers == self.nth:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            self.conn.execute("BEGIN EXCLUSIVE")

    def sleep(self, seconds: float) -> None:  # the store's back-off: no wall-clock wait
        self.waits.append(seconds)
        if self.conn is not None and len(self.waits) == self.release_after:
            self.conn.execute("COMMIT")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from bonemets_quiz.study import session
        from bonemets_quiz.study.store import store
        from bonemets_quiz.study.store.files import Retry

        monkeypatch.setattr(store, "DEFAULT_RETRY", Retry(0, 2, 0.5, self.sleep))
        answer = session.Session.answer

        def locked_answer(*args: object, **kwargs: object) -> object:
            self.before_answer()
            return answer(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(session.Session, "answer", locked_answer)


def test_an_answer_the_locked_store_cannot_take_is_named_not_lost_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = Quiz(tmp_path)
    locker = Locker(quiz.store, nth=2)
    locker.install(monkeypatch)
    result = quiz.study("\n3\nbone\n\n", "--new", "5")  # Good on the 1st, Again on the 2nd
    words = " ".join(result.output.split())
    assert result.exit_code != 0
    assert locker.waits == [0.5, 1.0]  # it tried again, backing off, before giving up
    assert words.count("Saved:") == 1 and "nothing was lost" not in words
    assert (
        "Not saved: your answer to “Name the 4 cancers that commonly spread to bone.” (rated "
        "Again)." in words
    )
    assert "locked by another program" in words and "saved before this were kept" in words
    assert "Session: 1 answered (Good 1); these are saved in" in words
    assert locker.conn is not None
    locker.conn.execute("ROLLBACK")
    assert quiz.ratings() == [3]


def test_a_lock_released_while_retrying_keeps_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = Quiz(tmp_path)
    locker = Locker(quiz.store, nth=2, release_after=2)
    locker.install(monkeypatch)
    result = quiz.study("\n3\nbone\n\n", "--new", "2")
    assert result.exit_code == 0, result.output
    assert locker.waits == [0.5, 1.0]
    assert result.output.count("Saved:") == 2
    assert quiz.ratings() == [3, 1]
