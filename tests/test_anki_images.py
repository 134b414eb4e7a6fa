"""Pictures in exported packages, opened by the real Anki backend: media, card sides, updates."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from anki_testkit import NOW, import_apkg, load, new_collection
from deck_files import write_deck

from bonemets_quiz.deck.png import encode_png
from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.anki_stamps import read_stamps

pytest.importorskip("anki")

from anki.collection import Collection

LATER = NOW + timedelta(days=1)
IMG = re.compile(r'<img src="([^"]+)" alt="([^"]*)"')

DECK = """\
deck: {id: pics, title: Pictures, description: Pictures on cards., source: {title: Src}}
topics: [{id: t, title: T}]
facts:
  - id: spine
    kind: definition
    topic: t
    section: S1
    term: spine
    definition: the column of vertebrae
    image: {file: img/spine.png, alt: "A column of stacked vertebrae", caption: "The spine",
            credit: "Drawn for the tests", side: question}
  - id: femur
    kind: definition
    topic: t
    section: S2
    term: femur
    definition: the thigh bone
    image: {file: img/femur.png, alt: "A long bone with two wide ends", side: answer}
  - id: rule
    kind: statement
    topic: t
    section: S3
    text: "Lytic lesions {{destroy}} bone."
    image: {file: img/lesion.png, alt: "A dark hole in a bone", side: answer}
  - id: quiz
    kind: statement
    topic: t
    section: S4
    text: "The femur is the {{longest}} bone."
    questions:
      - id: which
        prompt: Which bone is this?
        answer: femur
        options: [tibia, radius, ulna]
        image: {file: img/femur-copy.png, alt: "The same long bone again"}
"""


def picture(color: tuple[int, int, int], width: int = 6) -> bytes:
    return encode_png([[color] * width for _ in range(4)])


def write_pictures(folder: Path, lesion: tuple[int, int, int] = (200, 0, 0)) -> None:
    (folder / "img").mkdir(exist_ok=True)
    (folder / "img" / "spine.png").write_bytes(picture((0, 0, 200)))
    (folder / "img" / "femur.png").write_bytes(picture((0, 150, 0)))
    (folder / "img" / "femur-copy.png").write_bytes(picture((0, 150, 0)))  # same bytes
    (folder / "img" / "lesion.png").write_bytes(picture(lesion))


@dataclass
class Imported:
    col: Collection
    apkg: Path
    work: Path

    def cards(self) -> dict[str, object]:
        return {
            self.col.get_card(c).note()["Id"]: self.col.get_card(c) for c in self.col.find_cards("")
        }

    def media_files(self) -> dict[str, bytes]:
        folder = Path(self.col.media.dir())
        return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.fixture
def imported_pictures(tmp_path: Path) -> Iterator[Imported]:
    write_pictures(tmp_path)
    decks, questions = load(write_deck(tmp_path, DECK, "pics.yaml"))
    apkg = tmp_path / "pics.apkg"
    export_apkg(decks, questions, apkg, now=NOW)
    col = new_collection(tmp_path / "collection.anki2")
    import_apkg(col, apkg)
    yield Imported(col, apkg, tmp_path)
    col.close()


def _front_back(card: object) -> tuple[str, str]:
    question = card.question()  # type: ignore[attr-defined]
    answer = card.answer()  # type: ignore[attr-defined]
    return question, answer.split('<hr id="answer">', 1)[
        -1
    ] if '<hr id="answer">' in answer else answer


def test_every_picture_is_in_the_media_folder_and_on_its_side_of_the_card(
    imported_pictures: Imported,
) -> None:
    media = imported_pictures.media_files()
    cards = imported_pictures.cards()
    with_pictures = {qid: c for qid, c in cards.items() if "<img" in c.answer()}  # type: ignore[attr-defined]
    # every question of the three facts with a picture, and the authored one with its own
    assert {qid.split("/")[1] for qid in with_pictures} == {"spine", "femur", "rule", "quiz"}
    for qid, card in with_pictures.items():
        front, back_only = _front_back(card)
        sources = IMG.findall(card.answer())  # type: ignore[attr-defined]
        assert sources, qid
        for name, alt in sources:
            assert name in media, f"{qid}: {name} is not in Anki's media folder"
            assert alt, qid
        fact = qid.split("/")[1]
        if fact in ("spine", "quiz"):  # question side: on the front, before any answer
            assert IMG.search(front), qid
        else:  # answer side: never on the front, shown on the back
            assert not IMG.search(front), qid
            assert IMG.search(back_only), qid
    spine = cards["pics/spine/basic"]
    assert 'alt="A column of stacked vertebrae"' in spine.question()  # type: ignore[attr-defined]
    assert "The spine" in spine.question() and "Drawn for the tests" in spine.question()  # type: ignore[attr-defined]
    assert "pics/quiz/cloze/c1" in cards and "<img" not in cards["pics/quiz/cloze/c1"].answer()  # type: ignore[attr-defined]


def test_pictures_scale_to_the_card_and_stay_readable_at_night(imported_pictures: Imported) -> None:
    card = imported_pictures.cards()["pics/spine/basic"]
    css = card.note_type()["css"]  # type: ignore[attr-defined]
    assert re.search(r"\.picture img \{[^}]*max-width: 100%", css)
    assert re.search(r"\.nightMode \.picture img[^{]*\{[^}]*background: #fff", css)


def test_media_names_come_from_content_and_the_same_picture_is_stored_once(
    imported_pictures: Imported,
) -> None:
    with zipfile.ZipFile(imported_pictures.apkg) as archive:
        names = json.loads(archive.read("media"))
        files = {name: archive.read(number) for number, name in names.items()}
    assert len(files) == 3  # femur.png and femur-copy.png hold the same bytes: one file
    for name, data in files.items():
        assert name == f"bonemets-{hashlib.sha256(data).hexdigest()[:32]}.png"
    media = imported_pictures.media_files()
    contents = [hashlib.sha256(d).hexdigest() for d in media.values()]
    assert len(contents) == len(set(contents)) == 3


def test_reexport_after_changing_one_picture_updates_that_fact_s_notes_only(
    imported_pictures: Imported,
) -> None:
    col = imported_pictures.col
    before = {col.get_note(n)["Id"]: col.get_note(n) for n in col.find_notes("")}
    guids = {qid: note.guid for qid, note in before.items()}
    write_pictures(imported_pictures.work, lesion=(250, 200, 0))  # only the lesion picture changes
    decks, questions = load(imported_pictures.work / "pics.yaml")
    stamps = read_stamps(imported_pictures.apkg)
    export_apkg(decks, questions, imported_pictures.apkg, now=LATER, previous=stamps)
    log = import_apkg(col, imported_pictures.apkg)

    assert col.note_count() == len(before)
    assert not log.new  # type: ignore[attr-defined]
    updated = {note.fields[-1] for note in log.updated}  # type: ignore[attr-defined]
    assert updated == {q.id for q in questions if q.fact_id == "rule"}
    after = {col.get_note(n)["Id"]: col.get_note(n) for n in col.find_notes("")}
    assert {qid: note.guid for qid, note in after.items()} == guids  # same notes, in place
    media = imported_pictures.media_files()
    contents = [hashlib.sha256(d).hexdigest() for d in media.values()]
    assert len(contents) == len(set(contents)), "no picture is stored twice"
    for qid, note in after.items():
        for name, _ in IMG.findall("".join(note.fields)):
            assert name in media, f"{qid}: {name} missing"
    lesion = after["pics/rule/cloze/c1"]
    ((name, _),) = IMG.findall("".join(lesion.fields))
    assert media[name] == (imported_pictures.work / "img" / "lesion.png").read_bytes()


def test_a_picture_changed_after_loading_is_checked_again_at_export(tmp_path: Path) -> None:
    from bonemets_quiz.errors import DeckError

    write_pictures(tmp_path)
    decks, questions = load(write_deck(tmp_path, DECK, "pics.yaml"))
    (tmp_path / "img" / "spine.png").write_text("<svg onload='alert(1)'/>")
    with pytest.raises(DeckError, match="is not a PNG image"):
        export_apkg(decks, questions, tmp_path / "out.apkg", now=NOW)
    assert not (tmp_path / "out.apkg").exists()
