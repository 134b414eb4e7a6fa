"""The progress store: transactions, undo, retired and renamed questions, migrations, faults."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import platformdirs
import pytest
from conftest_study import DECK, NOW, make_question
from deck_files import write_deck

from bonemets_quiz.bank.cache import build_bank
from bonemets_quiz.errors import StoreError
from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler, Settings, Status
from bonemets_quiz.study.store import schema as store_schema
from bonemets_quiz.study.store import store as store_module
from bonemets_quiz.study.store.files import Retry
from bonemets_quiz.study.store.store import Store, schema_version, user_dir

SCHEDULER = Scheduler(Settings(fuzz=False))


def answer(store: Store, qid: str, rating: Rating = Rating.GOOD, when: datetime = NOW) -> CardState:
    with store.transaction():
        before = store.card(qid)
        after = SCHEDULER.review(before, rating, when)
        store.record(before, after, rating, "right", 1200)
    return after


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_a_new_store_is_wal_versioned_and_indexes_due_dates(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "p.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store_module.APP_ID
    indexed = {row[2] for row in conn.execute("PRAGMA index_info('cards_due')")}
    assert indexed == {"due"}
    plan = " ".join(
        str(r) for r in conn.execute("EXPLAIN QUERY PLAN SELECT * FROM cards WHERE due < 5")
    )
    assert "cards_due" in plan


def test_an_answer_round_trips_exactly(store: Store) -> None:
    after = answer(store, "mini/mets/basic")
    assert store.card("mini/mets/basic") == after
    assert store.card("never/seen/basic") == CardState("never/seen/basic")
    (row,) = store.reviews_since(NOW - timedelta(days=1))
    assert (row.question_id, row.rating, row.status_before, row.due_after) == (
        "mini/mets/basic",
        Rating.GOOD,
        Status.NEW,
        after.due,
    )


def test_an_answer_is_one_transaction_all_or_nothing(store: Store, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "progress.sqlite3")
    with pytest.raises(RuntimeError, match="the process dies"), store.transaction():
        before = store.card("q/a/basic")
        store.record(before, SCHEDULER.review(before, Rating.GOOD, NOW), Rating.GOOD)
        assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == 0  # not yet
        raise RuntimeError("the process dies between the card and the log")
    assert store.card("q/a/basic") == CardState("q/a/basic")
    assert store.reviews_total() == 0
    answer(store, "q/a/basic")
    assert other.execute("SELECT count(*) FROM cards").fetchone()[0] == 1
    assert other.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1


def test_undo_takes_back_the_last_answer_exactly(store: Store) -> None:
    first = answer(store, "q/a/basic", Rating.GOOD)
    answer(store, "q/b/basic", Rating.EASY)
    second = answer(store, "q/a/basic", Rating.AGAIN, NOW + timedelta(minutes=10))
    assert store.card("q/a/basic") == second
    undone = store.undo_last()
    assert undone is not None and (undone.question_id, undone.rating) == ("q/a/basic", Rating.AGAIN)
    assert store.card("q/a/basic") == first
    assert store.undo_last() is not None
    assert store.card("q/b/basic") == CardState("q/b/basic")  # new again: no card row at all
    assert store.undo_last() is not None
    assert store.undo_last() is None
    assert store.cards() == {} and store.reviews_total() == 0


def test_questions_gone_from_the_deck_are_retired_never_deleted(tmp_path: Path) -> None:
    full = build_bank([write_deck(tmp_path, DECK)], 0)
    smaller = DECK.split("  - id: versus")[0]
    less = build_bank([write_deck(tmp_path, smaller, "v2.yaml")], 0)
    gone = {q.id for q in full.questions} - {q.id for q in less.questions}
    assert gone == {"mini/versus/basic", "mini/versus/reversed/1", "mini/versus/reversed/2"}
    with Store.open(tmp_path / "p.sqlite3") as store:
        assert store.sync(full.questions, NOW).added == len(full.questions)
        answer(store, "mini/versus/basic")
        report = store.sync(less.questions, NOW + timedelta(days=1))
        assert (report.added, report.retired) == (0, 3)
        retired = store.retired_questions(q.id for q in less.questions)
        assert {q.id for q in retired} == gone
        snapshot = {q.id: q for q in full.questions}
        assert all(q.to_dict() == snapshot[q.id].to_dict() for q in retired)
        assert store.card("mini/versus/basic").reps == 1  # history kept
        assert store.reviews_total() == 1
        store.sync(full.questions, NOW + timedelta(days=2))  # back in the deck: active again
        assert store.retired_questions(q.id for q in full.questions) == []


def test_replaces_carries_a_learners_review_history_over(tmp_path: Path) -> None:
    """A fact renamed with ``replaces:`` keeps the learner's schedule and history (issue 5.4)."""
    old = build_bank([write_deck(tmp_path, DECK)], 0)
    renamed_text = DECK.replace("  - id: mets\n", "  - id: metastasis\n    replaces: mets\n")
    new = build_bank([write_deck(tmp_path, renamed_text, "v2.yaml")], 0)
    moved = "mini/metastasis/reversed"
    assert new.questions[1].id == moved and new.questions[1].replaces == ("mini/mets/reversed",)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.sync(old.questions, NOW)
        answer(store, "mini/mets/reversed", Rating.GOOD)
        card = answer(store, "mini/mets/reversed", Rating.GOOD, NOW + timedelta(minutes=10))
        answer(store, "mini/rare/cloze/c1")
        report = store.sync(new.questions, NOW + timedelta(days=1))
        # the fact's five questions, one of them with a history: renamed, not also new and retired
        assert (report.added, report.renamed, report.retired) == (0, 5, 0)
        assert store.card(moved) == card._replace(question_id=moved)
        assert store.card("mini/mets/reversed") == CardState("mini/mets/reversed")
        history = [r.question_id for r in store.reviews_since(NOW - timedelta(days=1))]
        assert history == [moved, moved, "mini/rare/cloze/c1"]
        retired = {q.id for q in store.retired_questions(q.id for q in new.questions)}
        assert not any(qid.startswith("mini/mets/") for qid in retired)  # renamed, not retired
        assert store.sync(new.questions, NOW + timedelta(days=2)).renamed == 0


def test_a_new_id_with_its_own_history_is_not_overwritten(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.sqlite3") as store:
        old, new = make_question("d/old/basic"), make_question("d/new/basic")
        store.sync([old, new], NOW)
        answer(store, "d/old/basic", Rating.EASY)
        mine = answer(store, "d/new/basic", Rating.AGAIN)
        renamed = make_question("d/new/basic", replaces=("d/old/basic",))
        store.sync([renamed], NOW)
        assert store.card("d/new/basic") == mine
        assert store.card("d/old/basic").reps == 1  # its history stays where it was


def test_an_unchanged_bank_is_not_written_again(store: Store) -> None:
    questions = [make_question("d/a/basic"), make_question("d/b/basic")]
    assert store.sync(questions, NOW, "fp-1").added == 2
    changes = store._conn.total_changes
    assert store.sync(questions, NOW, "fp-1").added == 0
    assert store._conn.total_changes == changes
    assert store.sync([*questions, make_question("d/c/basic")], NOW, "fp-2").added == 1


def test_an_older_store_is_backed_up_then_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        store.sync([make_question("d/a/basic")], NOW)
        kept = answer(store, "d/a/basic")
    step = (
        "ALTER TABLE reviews ADD COLUMN device TEXT",
        "CREATE INDEX reviews_rating ON reviews(rating)",
    )
    old = store_schema.schema_version()
    monkeypatch.setattr(store_schema, "MIGRATIONS", [*store_schema.MIGRATIONS, step])
    with Store.open(path) as store:
        assert store.card("d/a/basic") == kept
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == old + 1
    assert "device" in {row[1] for row in conn.execute("PRAGMA table_info(reviews)")}
    backup = sqlite3.connect(tmp_path / f"p.sqlite3.schema{old}.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == old
    assert backup.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store.open(path):  # up to date: no second backup
        pass
    assert not (tmp_path / f"p.sqlite3.schema{old + 1}.bak").exists()


def test_a_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = file_bytes(path)
    with pytest.raises(StoreError, match="newer bonemets-quiz") as error:
        Store.open(path)
    assert str(path) in str(error.value) and "upgrade" in str(error.value)
    assert file_bytes(path) == before


@pytest.mark.parametrize(
    "content",
    [b"this is my shopping list\n" * 40, b"SQLite format 3\x00" + b"\x00" * 20, os.urandom(8192)],
)
def test_a_file_that_is_not_a_store_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "p.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a bonemets-quiz progress store") as error:
        Store.open(path)
    assert str(path) in str(error.value)
    assert file_bytes(path) == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.sqlite3"]


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = file_bytes(path)
    with pytest.raises(StoreError, match="not a bonemets-quiz"):
        Store.open(path)
    assert file_bytes(path) == before


def test_a_truncated_store_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        store.sync([make_question(f"d/f{n}/basic", prompt="x" * 500) for n in range(200)], NOW)
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    whole = file_bytes(path)
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(StoreError, match="truncated") as error:
        Store.open(path)
    assert str(path) in str(error.value)
    assert file_bytes(path) == whole[: len(whole) // 2]


def test_a_read_only_store_says_so_and_saves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        answer(store, "d/a/basic")
    if os.geteuid() != 0:
        path.chmod(0o444)
        tmp_path.chmod(0o555)
        try:
            with pytest.raises(StoreError, match=r"read-only|cannot open"):
                Store.open(path)
        finally:
            tmp_path.chmod(0o755)
            path.chmod(0o644)
    with Store.open(path) as store:  # root ignores file modes: make the connection read-only
        store._conn.execute("PRAGMA query_only = 1")
        with pytest.raises(StoreError, match="read-only") as error:
            answer(store, "d/b/basic")
        assert str(path) in str(error.value)
        store._conn.execute("PRAGMA query_only = 0")
        assert store.reviews_total() == 1 and store.card("d/b/basic").status is Status.NEW


def test_a_full_disk_says_so_and_leaves_nothing_half_written(store: Store) -> None:
    answer(store, "d/a/basic")
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full"
    with pytest.raises(StoreError, match="disk is full"), store.transaction():
        for n in range(500):
            before = store.card(f"d/q{n}/basic")
            store.record(before, SCHEDULER.review(before, Rating.GOOD, NOW), Rating.GOOD)
    assert store.reviews_total() == 1
    assert set(store.cards()) == {"d/a/basic"}
    assert store.integrity() == "ok"


def test_a_second_session_waits_or_says_the_store_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = Store.open(path)
    writing = first.transaction()
    writing.__enter__()  # the first session is in the middle of saving an answer
    waits: list[float] = []
    quick = Retry(busy_timeout=0, retries=2, backoff=0.25, sleep=waits.append)
    try:
        with pytest.raises(StoreError, match="locked by another program") as error:
            Store.open(path, retry=quick)
        assert str(path) in str(error.value) and "nothing was changed" in str(error.value)
        assert waits == [0.25, 0.5]  # tried again twice, backing off, before giving up
    finally:
        writing.__exit__(None, None, None)
    second = Store.open(path, retry=quick)
    for n in range(5):  # two sessions take turns: every answer is kept
        answer(first, f"d/a{n}/basic")
        answer(second, f"d/b{n}/basic")
    assert first.reviews_total() == second.reviews_total() == 10
    assert len(second.cards()) == 10
    first.close()
    second.close()


def test_settings_are_remembered(store: Store) -> None:
    assert store.settings() == Settings()
    store.save_settings(Settings(desired_retention=0.8, day_start_hour=6))
    assert store.settings().desired_retention == 0.8
    assert store.settings().day_start_hour == 6


@pytest.mark.parametrize("xdg", [None, "/tmp/xdg-elsewhere", "relative/ignored"])
def test_default_paths_agree_with_platformdirs(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    for variable in ("XDG_DATA_HOME", "XDG_CACHE_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert user_dir("data") == platformdirs.user_data_dir("bonemets-quiz")
    assert user_dir("cache") == platformdirs.user_cache_dir("bonemets-quiz")
    expected = platformdirs.user_data_path("bonemets-quiz") / "progress.sqlite3"
    assert store_module.default_path() == expected
    assert store_module.default_location() == str(expected)


def test_undo_after_a_rename_puts_the_card_back_under_the_new_id(tmp_path: Path) -> None:
    """A rename between two answers and an undo: the card stays under its new id (finding 1.1)."""
    with Store.open(tmp_path / "p.sqlite3") as store:
        old, new = make_question("d/old/basic"), make_question("d/new/basic")
        store.sync([old], NOW)
        first = answer(store, "d/old/basic", Rating.GOOD)
        answer(store, "d/old/basic", Rating.GOOD, NOW + timedelta(minutes=10))
        store.sync([make_question("d/new/basic", replaces=("d/old/basic",))], NOW)
        saved = [r[0] for r in store._conn.execute("SELECT before FROM reviews WHERE before > ''")]
        assert len(saved) == 1 and old.id not in saved[0] and new.id in saved[0]  # retargeted
        undone = store.undo_last()
        assert undone is not None and undone.question_id == new.id
        assert store.card(new.id) == first._replace(question_id=new.id)
        assert set(store.cards()) == {new.id}  # nothing re-inserted under the old id
        assert store.undo_last() is not None
        assert store.cards() == {} and store.reviews_total() == 0


@pytest.mark.parametrize("version", [1, 99])
def test_a_foreign_versioned_database_is_refused_byte_identical(
    tmp_path: Path, version: int
) -> None:
    """user_version set but not our application_id: refused before anything is changed (1.2)."""
    import hashlib

    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="not a bonemets-quiz progress store"):
        Store.open(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm


def test_every_connection_enforces_foreign_keys_and_a_migrated_store_checks_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.sqlite3"
    with Store.open(path) as store:
        store.sync([make_question("d/a/basic"), make_question("d/b/basic")], NOW)
        answer(store, "d/a/basic")
        answer(store, "d/a/basic", Rating.AGAIN, NOW + timedelta(minutes=10))
        store.sync([make_question("d/c/basic", replaces=("d/a/basic",))], NOW)
    step = ("CREATE INDEX reviews_rating ON reviews(rating)",)
    migrated = store_schema.schema_version() + 1
    monkeypatch.setattr(store_schema, "MIGRATIONS", [*store_schema.MIGRATIONS, step])
    opened = [Store.open(path), Store.open(path, read_only=True), Store.in_memory()]
    opened.append(opened[0].copy_in_memory())
    for store in opened:
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrated  # it was migrated
    conn.close()
