"""Backups of the progress store: consistent while others write, in rotation, and restorable."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest_study import NOW, make_question
from test_study_cli import Quiz

from bonemets_quiz.errors import StoreError
from bonemets_quiz.study.scheduling import Rating, Scheduler, Settings
from bonemets_quiz.study.store import backup as store_backup
from bonemets_quiz.study.store.backup import (
    KEEP,
    list_backups,
    periodic_backup,
    restore,
    take_backup,
)
from bonemets_quiz.study.store.store import Store

SCHEDULER = Scheduler(Settings(fuzz=False))
IDS = [f"d/f{n:03}/basic" for n in range(200)]


def answer(store: Store, qid: str, minutes: int = 0) -> None:
    with store.transaction():
        before = store.card(qid)
        after = SCHEDULER.review(before, Rating.GOOD, NOW + timedelta(minutes=minutes))
        store.record(before, after, Rating.GOOD, "right")


def studied(path: Path, answers: int) -> Store:
    store = Store.open(path)
    store.sync([make_question(qid, prompt="p " + "x" * 300) for qid in IDS], NOW)
    for n in range(answers):
        answer(store, IDS[n], n)
    return store


def reviews(path: Path | str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT id, question_id, reviewed_at FROM reviews ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def consistent(path: Path | str) -> bool:
    """Integrity ok, and every card's last review is the last answer logged for it."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        mismatched = conn.execute(
            "SELECT count(*) FROM cards c WHERE c.last_review IS NOT "
            "(SELECT max(reviewed_at) FROM reviews r WHERE r.question_id = c.question_id)"
        ).fetchone()[0]
        return ok and mismatched == 0
    finally:
        conn.close()


def test_a_backup_taken_while_another_session_writes_is_a_consistent_snapshot(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.sqlite3"
    store = studied(path, 20)
    other = Store.open(path)  # another session, answering while the copy is under way
    written = []

    def progress(status: int, remaining: int, total: int) -> None:
        if len(written) < 3:
            answer(other, IDS[50 + len(written)], 100 + len(written))
            written.append(remaining)

    backup = take_backup(store, NOW, pages=1, progress=progress)
    assert len(written) == 3 and all(left > 0 for left in written)  # mid-copy, each time
    assert consistent(backup.path)
    assert reviews(backup.path) == reviews(path)  # the copy started again after each write
    assert len(reviews(backup.path)) == 23
    store.close()
    other.close()


def test_a_snapshot_restored_has_exactly_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = studied(path, 10)
    snapshot = take_backup(store, NOW)
    kept = reviews(snapshot.path)
    for n in range(10, 15):
        answer(store, IDS[n], n)
    other = Store.open(path)  # a session that stays open through the restore
    done = restore(snapshot.path, str(path), NOW + timedelta(hours=1))
    assert done.reviews == 10 and done.moved_aside is None
    assert reviews(path) == kept and consistent(path)
    assert other.reviews_total() == 10  # the open session sees the restored store
    assert done.saved_first is not None and len(reviews(done.saved_first.path)) == 15
    store.close()
    other.close()


def test_backups_are_taken_at_most_every_30_minutes_and_the_newest_10_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        assert periodic_backup(store, NOW) is None  # nothing answered: nothing to keep
        answer(store, IDS[0])
        taken = [
            minute
            for minute in range(0, 12 * 60, 10)
            if periodic_backup(store, NOW + timedelta(minutes=minute)) is not None
        ]
    assert taken == list(range(0, 12 * 60, 30))
    kept = list_backups(str(path))
    assert len(kept) == KEEP == 10
    assert [b.taken for b in kept] == [NOW + timedelta(minutes=m) for m in reversed(taken[-10:])]
    assert all(Path(b.path).parent == tmp_path / "backups" for b in kept)


def test_study_backs_the_store_up_at_most_every_30_minutes(tmp_path: Path) -> None:
    quiz = Quiz(tmp_path)
    backups = tmp_path / "backups"
    assert quiz.study("", "--new", "1").exit_code == 0
    assert not backups.exists()  # a new store, nothing answered: nothing to back up yet
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0  # backed up as the session ends
    assert [p.name for p in backups.iterdir()] == ["progress-20260310T090000Z.sqlite3"]
    assert len(reviews(backups / "progress-20260310T090000Z.sqlite3")) == 1
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0  # within 30 minutes: none more
    later = "2026-03-10T09:31:00+00:00"
    assert quiz.study("", "--new", "1", BONEMETS_QUIZ_NOW=later).exit_code == 0
    assert len(reviews(backups / "progress-20260310T093100Z.sqlite3")) == 2  # at the start


def test_restore_lists_backups_then_goes_back_to_one(tmp_path: Path) -> None:
    quiz = Quiz(tmp_path)
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0  # backed up with 1 answer
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0  # not again within 30 minutes
    listing = json.loads(quiz.run("restore", "--json").stdout)
    assert [(b["name"], b["answers"]) for b in listing["backups"]] == [
        ("progress-20260310T090000Z.sqlite3", 1)
    ]
    assert quiz.ratings() == [3, 3]
    result = quiz.run("restore", "progress-20260310T090000Z.sqlite3", "--now", "2026-03-11T08:00Z")
    assert result.exit_code == 0, result.output
    assert "1 answer." in result.output and "backed up as" in result.output
    assert quiz.ratings() == [3]
    names = [b["name"] for b in json.loads(quiz.run("restore", "--json").stdout)["backups"]]
    assert names[0] == "progress-20260311T080000Z.sqlite3"  # the store before the restore
    text = quiz.run("restore").output
    missing = quiz.run("restore", "progress-20990101T000000Z.sqlite3")
    assert missing.exit_code == 2 and "no such backup file" in missing.output
    assert "progress-20260311T080000Z.sqlite3" in text and "2 answers" in text


@pytest.mark.parametrize("content", [b"", b"my shopping list\n" * 50])
def test_restore_refuses_a_file_that_is_not_a_store_and_changes_nothing(
    tmp_path: Path, content: bytes
) -> None:
    quiz = Quiz(tmp_path)
    assert quiz.study("\n3\n", "--new", "1").exit_code == 0
    before = hashlib.sha256(quiz.store.read_bytes()).hexdigest()
    backups = sorted((tmp_path / "backups").iterdir())
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(content)
    result = quiz.run("restore", str(bogus))
    assert result.exit_code == 2 and str(bogus) in result.output
    assert hashlib.sha256(quiz.store.read_bytes()).hexdigest() == before
    assert sorted((tmp_path / "backups").iterdir()) == backups
    assert bogus.read_bytes() == content


def test_restore_over_a_damaged_store_keeps_it_aside(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with studied(path, 4) as store:
        snapshot = take_backup(store, NOW)
    path.write_bytes(b"\x00" * 4096)  # wrecked
    done = restore(snapshot.path, str(path), NOW)
    assert done.moved_aside is not None and Path(done.moved_aside).read_bytes() == b"\x00" * 4096
    assert len(reviews(path)) == 4 and consistent(path)
    with pytest.raises(StoreError, match="no such backup file"):
        restore(str(tmp_path / "missing.sqlite3"), str(path), NOW)


def test_restore_over_a_store_with_a_damaged_page_keeps_it_aside(tmp_path: Path) -> None:
    from test_store_safety import damage

    path = tmp_path / "p.sqlite3"
    with studied(path, 6) as store:
        snapshot = take_backup(store, NOW)
    damage(path)  # the header is fine: only a check of its pages finds it
    damaged_bytes = path.read_bytes()
    done = restore(snapshot.path, str(path), NOW + timedelta(hours=2))
    assert done.moved_aside is not None and Path(done.moved_aside).read_bytes() == damaged_bytes
    assert done.saved_first is None  # a damaged store is not copied into the backups
    assert len(reviews(path)) == 6 and consistent(path)
    assert len(list_backups(str(path))) == 1


def test_restore_into_a_locked_store_changes_nothing(tmp_path: Path) -> None:
    from bonemets_quiz.study.store.files import Retry

    path = tmp_path / "p.sqlite3"
    store = studied(path, 3)
    snapshot = take_backup(store, NOW)
    answer(store, IDS[3], 3)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            restore(snapshot.path, str(path), NOW, Retry(0, 1, 0, lambda s: None))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(reviews(path)) == 4 and path.exists()
    store.close()


@pytest.mark.parametrize("stamp", ["20260329T090000Z", "20261231T235959Z", "20240229T000000Z"])
def test_a_backup_name_s_time_is_read_as_it_was_written(stamp: str) -> None:
    expected = datetime.strptime(stamp, store_backup.STAMP).replace(tzinfo=UTC)
    assert store_backup._taken(stamp) == expected


@pytest.mark.parametrize(
    "stamp", ["20260230T000000Z", "20260329T090000", "2026O329T090000Z", "20260329 090000Z", ""]
)
def test_a_name_that_is_not_a_backup_time_is_refused(stamp: str) -> None:
    with pytest.raises(ValueError, match=r"not a backup time|day is out of range"):
        store_backup._taken(stamp)


def test_the_hook_before_the_first_write_runs_once_before_it(tmp_path: Path) -> None:
    """``study`` takes its start backup here at the latest: before the store's first write."""
    path = tmp_path / "p.sqlite3"
    studied(path, 2).close()
    seen: list[int] = []
    with Store.open(path) as store:
        store.before_first_write = lambda: seen.append(store.reviews_total())
        assert store.reviews_total() == 2 and seen == []  # reading is not writing
        answer(store, IDS[5])
        answer(store, IDS[6])
    assert seen == [2]
