"""Progress into Anki and back (issue 10, points 3 and 4), through the real Anki backend.

Anki reads its own clock (it answers cards "now"), so the terminal side studies at injected times
in the days before the real now, and Anki answers at the real now.
"""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki_testkit import TEST_DECK, load
from click.testing import CliRunner
from deck_files import write_deck

from bonemets_quiz.cli import cli
from bonemets_quiz.deck.model import Deck, Question
from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.anki_ids import guid_key
from bonemets_quiz.export.anki_progress import schedule_of
from bonemets_quiz.progress.logs import replay
from bonemets_quiz.study.scheduling import Rating, Settings, Status, study_day
from bonemets_quiz.study.session import Session
from bonemets_quiz.study.store.store import Store

pytest.importorskip("anki")

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.scheduler.v3 import CardAnswer

RATINGS = [Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.HARD, Rating.EASY, Rating.GOOD]
ANKI_RATINGS = [CardAnswer.GOOD, CardAnswer.AGAIN, CardAnswer.EASY, CardAnswer.HARD]
ZONE = datetime.now().astimezone().tzinfo  # Anki counts days in the machine's zone
HOUR = Settings().day_start_hour  # Anki's default rollover is 4 o'clock too


def study(store: Store, questions: list[Question], real_now: datetime) -> int:
    """Answers on every other day of the 20 days before ``real_now``; how many."""
    start = (real_now - timedelta(days=20)).replace(microsecond=123456)
    answered = 0
    for day in range(0, 20, 2):
        now = start + timedelta(days=day)
        session = Session(store, questions, ZONE, now, seed=day)  # type: ignore[arg-type]
        for _ in range(10):
            question = session.next(now)
            if question is None:
                break
            rating = RATINGS[answered % len(RATINGS)]
            session.answer(question, rating, now, "right", 2000 + answered, f"typed {answered}")
            answered += 1
            now += timedelta(minutes=2, milliseconds=7)
    return answered


def export_with_progress(
    decks: list[Deck], questions: list[Question], store: Store, path: Path, now: datetime
) -> None:
    schedule = schedule_of(store, questions, store.settings(), zone=ZONE, now=now)  # type: ignore[arg-type]
    export_apkg(decks, questions, path, now=now, schedule=schedule)


def import_into_anki(col: Collection, apkg: Path) -> None:
    options = ImportAnkiPackageOptions(with_scheduling=True)
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=options))


def guids(questions: list[Question]) -> dict[str, str]:
    import genanki

    return {genanki.guid_for(*guid_key(q)): q.id for q in questions}


def anki_cards(col: Collection, by_guid: dict[str, str]) -> dict[str, tuple[int, int, int, int]]:
    """Question id → (type, queue, due, card id) of its card in Anki."""
    rows = col.db.all(
        "SELECT n.guid, c.type, c.queue, c.due, c.id FROM cards c JOIN notes n ON n.id = c.nid"
    )
    return {by_guid[guid]: (kind, queue, due, cid) for guid, kind, queue, due, cid in rows}


def answer_in_anki(col: Collection, count: int) -> int:
    """Answer up to ``count`` cards through Anki's own scheduler (at the real now)."""
    col.decks.select(col.decks.id_for_name("Test Deck"))  # study our deck, not "Default"
    answered = 0
    for n in range(count):
        queued = col.sched.get_queued_cards()
        if not queued.cards:
            break
        top = queued.cards[0]
        card = col.get_card(top.card.id)
        card.start_timer()
        answer = col.sched.build_answer(
            card=card, states=top.states, rating=ANKI_RATINGS[n % len(ANKI_RATINGS)]
        )
        col.sched.answer_card(answer)
        answered += 1
    return answered


def identities(store: Store) -> list[tuple[object, ...]]:
    return sorted(store._rows("SELECT question_id, reviewed_at, rating FROM reviews"))


# ---------------------------------------------------------------------------- the round trip


def test_progress_goes_into_anki_and_comes_back_with_anki_reviews_exactly_once(
    tmp_path: Path,
) -> None:
    decks, questions = load(write_deck(tmp_path, TEST_DECK))
    deck_file = tmp_path / "test-deck.yaml"
    real_now = datetime.now(UTC)
    store_path = tmp_path / "progress.sqlite3"
    with Store.open(store_path) as store:
        store.sync(questions, real_now - timedelta(days=30))
        terminal = study(store, questions, real_now)
        cards = store.cards()
        apkg = tmp_path / "with-progress.apkg"
        export_with_progress(decks, questions, store, apkg, real_now)
        before_anki = identities(store)
    assert terminal >= 40 and len(before_anki) == terminal

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        import_into_anki(col, apkg)
        # every studied card is due on the same day (reviews) or second (learning) as here
        by_guid = guids(questions)
        imported = anki_cards(col, by_guid)
        today = col.sched.today
        anki_today = study_day(real_now, ZONE, HOUR)  # type: ignore[arg-type]
        studied = {qid: c for qid, c in cards.items() if c.status is not Status.NEW}
        assert studied
        for qid, card in studied.items():
            kind, queue, due, cid = imported[qid]
            assert card.due is not None
            if card.status is Status.REVIEW:
                assert (kind, queue) == (2, 2), qid
                assert anki_today + timedelta(days=due - today) == study_day(card.due, ZONE, HOUR)  # type: ignore[arg-type]
            else:
                assert (kind, queue) == ({Status.LEARNING: 1, Status.RELEARNING: 3}[card.status], 1)
                assert due == int(card.due.timestamp()), qid
            memory = col.get_card(cid).memory_state
            assert memory is not None and round(memory.stability, 2) == round(card.stability, 2)
        assert col.db.scalar("SELECT count() FROM revlog") == terminal
        # more answers, in Anki, through Anki's own scheduler
        in_anki = answer_in_anki(col, 8)
        assert in_anki == 8
        assert col.db.scalar("SELECT count() FROM revlog") == terminal + in_anki
        answered_in_anki = {
            (by_guid[guid], ms, ease)
            for guid, ms, ease in col.db.all(
                "SELECT n.guid, r.id, r.ease FROM revlog r JOIN cards c ON c.id = r.cid "
                "JOIN notes n ON n.id = c.nid ORDER BY r.id DESC LIMIT ?",
                in_anki,
            )
        }
        back = tmp_path / "from-anki.apkg"
        col.export_anki_package(
            out_path=str(back),
            options=ExportAnkiPackageOptions(with_scheduling=True, with_media=False, legacy=False),
            limit=None,
        )
        colpkg = tmp_path / "whole.colpkg"
        col.export_collection_package(str(colpkg), include_media=False, legacy=False)  # closes
    finally:
        if col.db is not None:
            col.close()
    assert "collection.anki21b" in zipfile.ZipFile(back).namelist()  # zstd, as Anki writes now

    args = [
        "--store",
        str(store_path),
        "progress",
        "import-anki",
        str(back),
        "--deck",
        str(deck_file),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"Imported {in_anki} reviews from Anki ({terminal} already there)" in result.output
    with Store.open(store_path) as store:
        after = identities(store)
        assert len(after) == terminal + in_anki  # every review from both sides, exactly once
        assert set(before_anki) <= set(after)
        assert {(qid, at // 1000, rating) for qid, at, rating in after} >= answered_in_anki
        assert replay(store, store.settings()) == store.cards()
        again = CliRunner().invoke(cli, args)
        assert again.exit_code == 0 and identities(store) == after  # importing twice: nothing
        whole = CliRunner().invoke(cli, [*args[:4], str(colpkg), *args[5:]])
        assert whole.exit_code == 0, whole.output
        assert identities(store) == after  # the whole collection (.colpkg): the same reviews


def test_without_the_flag_the_export_is_byte_for_byte_as_before(tmp_path: Path) -> None:
    decks, questions = load(write_deck(tmp_path, TEST_DECK))
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    plain, again = tmp_path / "plain.apkg", tmp_path / "again.apkg"
    export_apkg(decks, questions, plain, now=now)
    export_apkg(decks, questions, again, now=now, schedule=None)
    assert plain.read_bytes() == again.read_bytes()


def test_with_progress_is_for_anki_packages_only(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, TEST_DECK)
    result = CliRunner().invoke(
        cli, ["export", "--deck", str(deck), "--with-progress", "-o", str(tmp_path / "q.csv")]
    )
    assert result.exit_code == 2 and "--with-progress is for Anki packages only" in result.output
    assert not (tmp_path / "q.csv").exists()


def test_with_progress_and_no_store_says_so(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, TEST_DECK)
    out = tmp_path / "q.apkg"
    args = ["--store", str(tmp_path / "none.sqlite3"), "export", "--deck", str(deck)]
    result = CliRunner().invoke(cli, [*args, "--with-progress", "-o", str(out)])
    assert result.exit_code == 2 and "--with-progress needs one" in result.output
    assert not out.exists()


def test_cli_export_with_progress_writes_the_schedule(tmp_path: Path) -> None:
    _, questions = load(write_deck(tmp_path, TEST_DECK))
    store_path, out = tmp_path / "p.sqlite3", tmp_path / "q.apkg"
    with Store.open(store_path) as store:
        store.sync(questions, datetime.now(UTC) - timedelta(days=30))
        answered = study(store, questions, datetime.now(UTC))
    args = ["--store", str(store_path), "export", "--deck", str(tmp_path / "test-deck.yaml")]
    result = CliRunner().invoke(cli, [*args, "--with-progress", "-o", str(out)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(":memory:")
    conn.deserialize(zipfile.ZipFile(out).read("collection.anki2"))
    assert conn.execute("SELECT count() FROM revlog").fetchone()[0] == answered
    assert conn.execute("SELECT count() FROM cards WHERE queue IN (1, 2)").fetchone()[0] > 0
    plain = tmp_path / "plain.apkg"
    assert CliRunner().invoke(cli, [*args, "-o", str(plain)]).exit_code == 0
    conn.deserialize(zipfile.ZipFile(plain).read("collection.anki2"))
    assert conn.execute("SELECT count() FROM revlog").fetchone()[0] == 0  # no flag: no progress
    assert conn.execute("SELECT count() FROM cards WHERE queue != 0").fetchone()[0] == 0
    assert conn.execute("SELECT crt FROM col").fetchone()[0] == 1411124400  # genanki's, as before


# ---------------------------------------------------------------------------- hostile files


@pytest.fixture(scope="module")
def exported_with_progress(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A deck file, a studied store, and an .apkg exported with progress (legacy layout)."""
    work = tmp_path_factory.mktemp("studied")
    decks, questions = load(write_deck(work, TEST_DECK))
    store_path = work / "p.sqlite3"
    now = datetime.now(UTC)
    with Store.open(store_path) as store:
        store.sync(questions, now - timedelta(days=30))
        study(store, questions, now)
        export_with_progress(decks, questions, store, work / "ours.apkg", now)
    return work / "test-deck.yaml", store_path, work / "ours.apkg"


def _zip(path: Path, entries: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _hostile(tmp: Path, kind: str, ours: Path) -> Path:
    path = tmp / f"{kind}.apkg"
    if kind == "zero-byte":
        path.write_bytes(b"")
    elif kind == "truncated":
        path.write_bytes(ours.read_bytes()[: ours.stat().st_size // 2])
    elif kind == "zip-bomb":
        _zip(path, {"collection.anki2": b"\0" * (64 * 1024 * 1024)}, level=9)
    elif kind == "zstd-bomb":
        import zstandard

        bomb = zstandard.ZstdCompressor(level=19).compress(b"\0" * (64 * 1024 * 1024))
        _zip(path, {"collection.anki21b": bomb})
    elif kind == "foreign-sqlite":
        conn = sqlite3.connect(tmp / "foreign.db")
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        path = tmp / "foreign.db"
    elif kind == "no-scheduling":
        conn = sqlite3.connect(":memory:")
        conn.deserialize(zipfile.ZipFile(ours).read("collection.anki2"))
        conn.execute("DELETE FROM revlog")
        conn.commit()
        _zip(path, {"collection.anki2": conn.serialize()})
    elif kind in ("future-review", "ancient-review"):
        conn = sqlite3.connect(":memory:")
        conn.deserialize(zipfile.ZipFile(ours).read("collection.anki2"))
        when = 4_102_444_800_000 if kind == "future-review" else -5_000
        conn.execute("UPDATE revlog SET id = ? WHERE id = (SELECT max(id) FROM revlog)", (when,))
        conn.commit()
        _zip(path, {"collection.anki2": conn.serialize()})
    elif kind == "zip-without-collection":
        _zip(path, {"media": b"{}"})
    elif kind == "text":
        path.write_text("this is not a package\n")
    elif kind == "bad-zstd":
        _zip(path, {"collection.anki21b": b"\x28\xb5\x2f\xfd" + b"garbage" * 10})
    elif kind == "missing":
        path = tmp / "missing.apkg"
    return path


HOSTILE = [
    "zero-byte",
    "truncated",
    "zip-bomb",
    "zstd-bomb",
    "foreign-sqlite",
    "no-scheduling",
    "future-review",
    "ancient-review",
    "zip-without-collection",
    "text",
    "bad-zstd",
    "missing",
]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_bad_anki_file_is_one_line_naming_it_and_changes_nothing(
    tmp_path: Path, kind: str, exported_with_progress: tuple[Path, Path, Path]
) -> None:
    deck, store_path, ours = exported_with_progress
    path = _hostile(tmp_path, kind, ours)
    before = store_path.read_bytes()
    result = CliRunner().invoke(
        cli, ["--store", str(store_path), "progress", "import-anki", str(path), "--deck", str(deck)]
    )
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.output
    assert store_path.read_bytes() == before


def test_our_own_export_imports_back_as_all_duplicates(
    tmp_path: Path, exported_with_progress: tuple[Path, Path, Path]
) -> None:
    """The legacy layout (collection.anki2, deflated) and exact-once by the ms-cut times."""
    deck, store_path, ours = exported_with_progress
    copy = tmp_path / "p.sqlite3"
    copy.write_bytes(store_path.read_bytes())
    args = [
        "--store",
        str(copy),
        "progress",
        "import-anki",
        str(ours),
        "--deck",
        str(deck),
        "--json",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    import json

    summary = json.loads(result.output)
    assert summary["added"] == 0 and summary["duplicates"] == summary["reviews"] > 0
    assert summary["other_notes"] == 0 and summary["notes"] > 0


def test_a_plain_collection_file_imports_and_foreign_notes_are_counted(
    tmp_path: Path, exported_with_progress: tuple[Path, Path, Path]
) -> None:
    deck, store_path, ours = exported_with_progress
    conn = sqlite3.connect(":memory:")
    conn.deserialize(zipfile.ZipFile(ours).read("collection.anki2"))
    conn.execute(
        "INSERT INTO notes SELECT id + 1, 'foreign-guid', mid, mod, usn, tags, flds, sfld, csum, "
        "flags, data FROM notes LIMIT 1"
    )
    conn.commit()
    plain = tmp_path / "collection.anki2"
    plain.write_bytes(conn.serialize())
    copy = tmp_path / "p.sqlite3"
    copy.write_bytes(store_path.read_bytes())
    from bonemets_quiz import import_anki
    from bonemets_quiz.bank.cache import build_bank

    questions = list(build_bank([deck], 0).questions)
    with Store.open(copy) as store:
        summary = import_anki(store, questions, plain, store.settings(), now=datetime.now(UTC))
    assert summary.other_notes == 1 and summary.merged.added == 0


def test_the_zstd_reader_takes_a_stream_in_pieces() -> None:
    """``collection.anki21b`` is one zstd frame; the reader returns the whole database."""
    import random

    import zstandard

    from bonemets_quiz.progress.anki_import import _unzstd

    data = random.Random(1).randbytes(1 << 20) * 8  # 8 MiB, about 8:1
    assert _unzstd("x", zstandard.ZstdCompressor().compress(data)) == data


def test_the_library_exports_import_anki() -> None:
    import bonemets_quiz
    from bonemets_quiz.progress.anki_import import import_anki

    assert bonemets_quiz.import_anki is import_anki and "import_anki" in bonemets_quiz.__all__


def test_a_renamed_question_finds_its_anki_history_by_its_oldest_guid(tmp_path: Path) -> None:
    from anki_testkit import TEST_DECK

    from bonemets_quiz import import_anki

    decks, questions = load(write_deck(tmp_path, TEST_DECK))
    now = datetime.now(UTC)
    store_path, apkg = tmp_path / "p.sqlite3", tmp_path / "ours.apkg"
    with Store.open(store_path) as store:
        store.sync(questions, now - timedelta(days=30))
        study(store, questions, now)
        export_with_progress(decks, questions, store, apkg, now)
        total = store.reviews_total()
    renamed = TEST_DECK.replace("  - id: widget\n", "  - id: gizmo\n    replaces: [widget]\n")
    _, new_questions = load(write_deck(tmp_path, renamed, "renamed.yaml"))
    with Store.open(store_path) as store:
        store.sync(new_questions, now)  # the rename moves the history to the new ids
        summary = import_anki(store, new_questions, apkg, store.settings(), now=now)
        ids = {str(qid) for (qid,) in store._rows("SELECT question_id FROM reviews")}
        assert (summary.merged.added, summary.merged.retired) == (0, 0)
        assert store.reviews_total() == total
    assert any("/gizmo/" in qid for qid in ids) and not any("/widget/" in qid for qid in ids)
