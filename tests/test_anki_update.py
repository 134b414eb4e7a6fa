"""Re-exporting a corrected bank updates notes in Anki in place: no duplicates, progress kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from anki_testkit import NOW, TEST_DECK, import_apkg, load, new_collection
from deck_files import write_deck

from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.anki_stamps import read_stamps

pytest.importorskip("anki")

from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer

LATER = NOW + timedelta(days=1)
# (v1 text, v2 text, id of the one question it changes)
REWORDED = [
    (
        'text: "Water boils at {{100}} degrees Celsius at sea level."',
        'text: "At sea level, water boils at {{100}} degrees Celsius."',
        "test-deck/boiling/cloze/c1",
    ),
    (
        "prompt: Which planet is called the red planet?",
        "prompt: Which planet is known as the red planet?",
        "test-deck/boiling/multiple_choice/q-planet",
    ),
    (
        "prompt: What is the capital of France?",
        "prompt: Which city is the capital of France?",
        "test-deck/boiling/basic/q-capital",
    ),
]
NEW_ANSWER = ("but show {{them}}.", "but show {{the text}}.", "test-deck/payload/cloze/c1")
CHANGED = {change[2] for change in [*REWORDED, NEW_ANSWER]}


def corrected_deck() -> str:
    text = TEST_DECK
    for old, new, _ in [*REWORDED, NEW_ANSWER]:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@dataclass
class Study:
    col: Collection
    apkg: Path
    work: Path
    reviewed: list[str]


@pytest.fixture
def studied(tmp_path: Path) -> Iterator[Study]:
    """The test deck exported, imported and partly studied in Anki."""
    decks, questions = load(write_deck(tmp_path, TEST_DECK))
    apkg = tmp_path / "test-deck.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    col = new_collection(tmp_path / "collection.anki2")
    import_apkg(col, apkg)
    reviewed = _review(col, 6)
    yield Study(col, apkg, tmp_path, reviewed)
    col.close()


def _review(col: Collection, count: int) -> list[str]:
    """Answer ``count`` cards through Anki's scheduler; the ids of the questions answered."""
    col.decks.select(col.decks.id_for_name("Test Deck"))
    answered = []
    for _ in range(count):
        queued = col.sched.get_queued_cards().cards[0]
        card = col.get_card(queued.card.id)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.EASY)
        )
        answered.append(card.note()["Id"])
    return answered


def _scheduling(col: Collection) -> dict[str, tuple[object, ...]]:
    state = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        memory = str(card.memory_state) if card.memory_state else ""
        state[card.note()["Id"]] = (
            card.type,
            card.queue,
            card.due,
            card.ivl,
            card.factor,
            card.reps,
            card.lapses,
            card.did,
            memory,
        )
    return state


def _texts(col: Collection) -> dict[str, list[str]]:
    return {col.get_note(n)["Id"]: list(col.get_note(n).values()) for n in col.find_notes("")}


def _reexport(study: Study, text: str, now: object, previous: bool = True) -> Path:
    decks, questions = load(write_deck(study.work, text, "corrected.yaml"))
    stamps = read_stamps(study.apkg) if previous else None
    target = study.apkg if previous else study.work / "fresh.apkg"
    export_apkg(decks, questions, target, now=now, previous=stamps)  # type: ignore[arg-type]
    return target


def test_corrections_update_notes_in_place_and_keep_progress(studied: Study) -> None:
    col = studied.col
    notes, schedule, texts = col.note_count(), _scheduling(col), _texts(col)
    reviews = col.db.scalar("select count() from revlog")
    assert len({q for q in studied.reviewed}) == 6 and reviews == 6
    assert sum(1 for s in schedule.values() if s[5] > 0) == 6  # six cards have been studied

    log = import_apkg(col, _reexport(studied, corrected_deck(), LATER))

    assert col.note_count() == notes and col.card_count() == notes
    assert not log.new and not log.conflicting
    assert {note.fields[-1] for note in log.updated} == CHANGED  # Id is the last field
    assert len(log.duplicate) == notes - len(CHANGED)  # untouched notes are left alone
    after = _texts(col)
    assert (
        "At sea level, water boils at {{c1::100}} degrees Celsius."
        in after["test-deck/boiling/cloze/c1"][0]
    )
    assert "known as the red planet" in after["test-deck/boiling/multiple_choice/q-planet"][0]
    assert after["test-deck/boiling/basic/q-capital"][0] == "Which city is the capital of France?"
    assert "{{c1::the text}}" in after["test-deck/payload/cloze/c1"][0]
    assert {qid: t for qid, t in after.items() if qid not in CHANGED} == {
        qid: t for qid, t in texts.items() if qid not in CHANGED
    }
    assert _scheduling(col) == schedule  # every card, studied or not, changed or not
    assert col.db.scalar("select count() from revlog") == reviews


def test_without_the_previous_file_every_note_is_refreshed_and_progress_kept(
    studied: Study,
) -> None:
    col = studied.col
    notes, schedule = col.note_count(), _scheduling(col)
    log = import_apkg(col, _reexport(studied, corrected_deck(), LATER, previous=False))
    assert col.note_count() == notes
    assert len(log.updated) == notes and not log.new and not log.duplicate
    assert "known as the red planet" in _texts(col)["test-deck/boiling/multiple_choice/q-planet"][0]
    assert _scheduling(col) == schedule


def test_an_older_stamp_is_ignored_by_anki(studied: Study) -> None:
    """Why stamps matter: Anki keeps its note when the incoming one is not newer."""
    col = studied.col
    before = _texts(col)
    log = import_apkg(col, _reexport(studied, corrected_deck(), NOW, previous=False))
    assert not log.updated and len(log.duplicate) == col.note_count()
    assert _texts(col) == before


def test_a_changed_note_outranks_its_previous_stamp_even_if_the_clock_went_back(
    studied: Study,
) -> None:
    col = studied.col
    log = import_apkg(col, _reexport(studied, corrected_deck(), NOW - timedelta(hours=1)))
    assert {note.fields[-1] for note in log.updated} == CHANGED


def test_learner_edits_to_unchanged_notes_survive_a_reexport(studied: Study) -> None:
    col = studied.col
    (nid,) = [n for n in col.find_notes("") if col.get_note(n)["Id"] == "test-deck/sides/basic"]
    note = col.get_note(nid)
    note["Answer"] = "My own words."
    col.update_note(note)
    after_edit = col.get_note(nid).mod
    # exported after the edit, over the previous file: the unchanged note keeps its old stamp
    log = import_apkg(col, _reexport(studied, corrected_deck(), _utc(after_edit + 60)))
    assert col.get_note(nid)["Answer"] == "My own words."
    assert {n.fields[-1] for n in log.updated} == CHANGED


def test_a_renamed_fact_updates_the_same_notes(studied: Study) -> None:
    col = studied.col
    notes, schedule = col.note_count(), _scheduling(col)
    renamed = TEST_DECK.replace(
        "  - id: boiling\n", "  - id: water-boiling\n    replaces: boiling\n"
    )
    assert renamed != TEST_DECK
    log = import_apkg(col, _reexport(studied, renamed, LATER))
    assert col.note_count() == notes and not log.new
    ids = set(_texts(col))
    assert "test-deck/water-boiling/cloze/c1" in ids and "test-deck/boiling/cloze/c1" not in ids
    renamed_schedule = {
        qid.replace("/water-boiling/", "/boiling/"): s for qid, s in _scheduling(col).items()
    }
    assert renamed_schedule == schedule


def _utc(seconds: int) -> object:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(seconds, tz=UTC)


def test_learner_edits_survive_an_export_to_a_new_file_name(tmp_path: Path) -> None:
    """The stamps are remembered per deck in the user data directory, not only in the .apkg."""
    memory = tmp_path / "data" / "anki-stamps"
    decks, questions = load(write_deck(tmp_path, TEST_DECK))
    first = tmp_path / "monday.apkg"
    export_apkg(decks, questions, first, now=NOW, stamp_dir=memory)
    col = new_collection(tmp_path / "collection.anki2")
    try:
        import_apkg(col, first)
        (nid,) = [n for n in col.find_notes("") if col.get_note(n)["Id"] == "test-deck/sides/basic"]
        note = col.get_note(nid)
        note["Answer"] = "My own words."
        col.update_note(note)
        decks, questions = load(write_deck(tmp_path, corrected_deck(), "corrected.yaml"))
        second = tmp_path / "elsewhere" / "tuesday.apkg"
        second.parent.mkdir()
        edited_at = _utc(col.get_note(nid).mod + 60)
        export_apkg(decks, questions, second, now=edited_at, stamp_dir=memory)  # type: ignore[arg-type]
        log = import_apkg(col, second)
        assert col.get_note(nid)["Answer"] == "My own words."
        assert {n.fields[-1] for n in log.updated} == CHANGED  # not all notes "updated"
    finally:
        col.close()
