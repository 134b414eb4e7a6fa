"""Costs that must not grow per question: guards for the 10,000-fact benchmark's fixes.

Counted, never timed: statements the store runs to record a bank, the collector left as found.
"""

from __future__ import annotations

import gc
import sqlite3
from datetime import timedelta
from pathlib import Path

import genanki
import pytest
from conftest_study import NOW, make_question

from bonemets_quiz.bank import cache as bank_cache
from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import check_decks
from bonemets_quiz.deck.question import Question
from bonemets_quiz.export import anki
from bonemets_quiz.export.anki_notes import note_specs
from bonemets_quiz.export.anki_stamps import Stamps
from bonemets_quiz.export.anki_templates import NOTE_TYPES, NoteKind
from bonemets_quiz.gc_pause import gc_paused
from bonemets_quiz.study.store.store import Store


class _Counting:
    """A connection that counts the statements sent to it (``executemany`` counts once)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.statements: list[str] = []

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        self.statements.append(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: object) -> sqlite3.Cursor:
        self.statements.append(sql)
        return self._conn.executemany(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def _questions(count: int, start: int = 0) -> list:
    return [make_question(f"d/f{i}/basic", prompt=f"p{i}") for i in range(start, start + count)]


def test_syncing_a_bank_sends_a_bounded_number_of_statements(tmp_path: Path) -> None:
    with Store.open(tmp_path / "p.sqlite3") as store:
        counting = _Counting(store._conn)
        store._conn = counting  # type: ignore[assignment]
        first = store.sync(_questions(300), NOW)
        added = len(counting.statements)
        counting.statements.clear()
        # 100 retired, 100 reworded, 100 new, 100 unchanged
        changed = [make_question(f"d/f{i}/basic", prompt=f"new {i}") for i in range(100, 200)]
        second = store.sync(
            [*changed, *_questions(100, 200), *_questions(100, 300)], NOW + timedelta(days=1)
        )
        updated = len(counting.statements)
        rows = store._rows("SELECT count(*), count(retired_at) FROM questions")
    assert (first.added, second.added, second.retired) == (300, 100, 100)
    assert rows == [(400, 100)]
    assert added <= 12, counting.statements  # one per question was 300
    assert updated <= 12, counting.statements  # one per changed row was 300


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_and_generating_leave_the_collector_as_they_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        decks = check_decks([]).decks
        assert generate_bank(decks) and gc.isenabled() is enabled
        with pytest.raises(RuntimeError, match="inside the pause"), gc_paused():
            assert not gc.isenabled()
            raise RuntimeError("inside the pause")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_retired_questions_are_read_whole_and_in_order_past_one_chunk(tmp_path: Path) -> None:
    everything = _questions(1_200)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.sync(everything, NOW)
        store.sync(everything[:100], NOW + timedelta(days=1))
        retired = store.retired_questions(q.id for q in everything[:100])
    expected = sorted(everything[100:], key=lambda q: q.id)
    assert [q.to_dict() for q in retired] == [q.to_dict() for q in expected]


def test_a_first_study_encodes_each_question_once_for_the_cache_and_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    snapshot = Question.snapshot
    monkeypatch.setattr(Question, "snapshot", lambda q: encoded.append(q.id) or snapshot(q))
    sample = str(Path(__file__).parent / "data" / "sample-deck.yaml")
    bank = bank_cache.load_bank([sample], 0, str(tmp_path / "cache"))
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.sync(bank.questions, NOW, bank.fingerprint, bank.snapshots)
        stored = store.questions()
    assert sorted(encoded) == sorted(q.id for q in bank.questions)  # once each, not twice
    assert stored == {q.id: q for q in bank.questions}
    again = bank_cache.load_bank([sample], 0, str(tmp_path / "cache"))  # read from the cache
    assert again.questions == bank.questions and len(encoded) == len(bank.questions)


def test_anki_cards_of_front_back_notes_are_asked_of_genanki_once_per_pattern(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decks = check_decks([]).decks
    specs = note_specs(generate_bank(decks))
    models = {kind: anki._model(t, Stamps(), 0) for kind, t in NOTE_TYPES.items()}
    cards = sum(len(genanki.Note(models[s.kind], list(s.fields)).cards) for s in specs)
    built: list[object] = []

    class Counted(genanki.Note):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(genanki, "Note", Counted)
    collection = anki.build_collection(decks, specs, now=NOW)
    clozes = sum(spec.kind is NoteKind.CLOZE for spec in specs)
    assert len(specs) - clozes > 20 and len(built) <= clozes + 8  # was one Note per note
    assert (collection.notes, collection.cards) == (len(specs), cards)


@pytest.mark.parametrize("command", ["validate", "export"])
def test_validate_and_export_collect_no_garbage_between_their_steps(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the paused steps (load, generate, lint or write) a big deck's objects were walked
    by the collector again: the whole command runs paused, and leaves it as it was found."""
    from click.testing import CliRunner

    from bonemets_quiz.cli import cli, common

    seen: list[bool] = []
    original = common.load_bank if command == "export" else check_decks

    def spying(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)  # type: ignore[operator]
        seen.append(gc.isenabled())  # after the loader's own pause has ended
        return result

    if command == "export":
        monkeypatch.setattr("bonemets_quiz.cli.export.load_bank", spying)
        args = ["export", "-o", str(tmp_path / "deck.apkg")]
    else:
        monkeypatch.setattr("bonemets_quiz.cli.bank.check_decks", spying)
        args = ["validate"]
    store = str(tmp_path / "progress.sqlite3")
    was = gc.isenabled()
    gc.enable()
    try:
        result = CliRunner().invoke(cli, ["--store", store, *args])
        assert result.exit_code == 0, result.output
        assert seen == [False] and gc.isenabled()
    finally:
        gc.enable() if was else gc.disable()
