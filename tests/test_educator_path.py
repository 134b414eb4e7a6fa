"""An educator's first session, as a new user walks it: from an empty file to an Anki deck, a
printed worksheet and a Moodle quiz, with one mistake on the way that validate points at."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from anki_testkit import import_apkg, new_collection, note_by_id_field
from click.testing import CliRunner
from gift_parser import parse_gift

from bonemets_quiz.cli import cli

TWO_FACTS = """
  - id: osteoclast
    kind: definition
    topic: cells
    section: 3.1
    term: "osteoclast"
    definition: "a cell that breaks bone down"
    category: bone-cells
    note: "Osteoclasts and osteoblasts together remodel bone throughout life."

  - id: lower-leg-bones
    kind: list
    topic: skeleton
    section: "The lower limb"
    prompt: "bones of the lower leg"
    items:
      - {id: tibia, text: "tibia", alternatives: ["shin bone"]}
      - {id: fibula, text: "fibula"}
    distractors: ["radius", "ulna", "humerus"]
"""


def test_init_edit_validate_export_worksheet_gift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("anki")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BONEMETS_QUIZ_STORE", str(tmp_path / "progress.sqlite"))
    runner = CliRunner()

    # 1. A starter deck.
    started = runner.invoke(cli, ["init", "week3.yaml", "--title", "Anatomy, week 3"])
    assert started.exit_code == 0, started.output
    deck_id = re.search(r"with id (\S+) ", started.output).group(1)  # type: ignore[union-attr]

    # 2. Two facts of their own, typed at the end of the file, with a classic YAML slip.
    deck = Path("week3.yaml")
    deck.write_text(deck.read_text(encoding="utf-8") + TWO_FACTS, encoding="utf-8")
    slip = runner.invoke(cli, ["validate", "week3.yaml"])
    assert slip.exit_code == 2
    line = next(i for i, x in enumerate(deck.read_text().splitlines(), 1) if "section: 3.1" in x)
    assert slip.output.startswith(
        f"week3.yaml:{line}:14: section `3.1` is read by YAML as a number"
    )
    assert 'put it in quotes: "3.1"' in slip.output
    deck.write_text(deck.read_text().replace("section: 3.1", 'section: "3.1"'), encoding="utf-8")

    # 3. Checked like code.
    checked = runner.invoke(cli, ["validate", "--strict", "week3.yaml"])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("week3.yaml: ok — 6 facts, ")
    listed = json.loads(runner.invoke(cli, ["questions", "--deck", "week3.yaml", "--json"]).output)
    ids = {row["id"] for row in listed}
    assert f"{deck_id}/osteoclast/reversed" in ids
    assert f"{deck_id}/lower-leg-bones/multiple_choice/fibula" in ids

    # 4. An Anki deck, imported by Anki itself.
    exported = runner.invoke(cli, ["export", "--deck", "week3.yaml", "-o", "week3.apkg"])
    assert exported.exit_code == 0, exported.output
    col = new_collection(tmp_path / "collection.anki2")
    try:
        import_apkg(col, tmp_path / "week3.apkg")
        assert col.note_count() == len(listed)
        note = note_by_id_field(col, f"{deck_id}/lower-leg-bones/cloze/tibia")
        assert "fibula" in " ".join(note.fields)  # type: ignore[attr-defined]
    finally:
        col.close()

    # 5. A printable worksheet with every question of the deck.
    sheet = runner.invoke(
        cli, ["worksheet", "--deck", "week3.yaml", "--count", "100", "-o", "week3.html"]
    )
    assert sheet.exit_code == 0, sheet.output
    page = Path("week3.html").read_text(encoding="utf-8")
    assert "<h1>Anatomy, week 3</h1>" in page
    assert page.count('<li class="question"') == len(listed)
    assert "Osteoclasts and osteoblasts together remodel bone throughout life." in page

    # 6. A Moodle quiz.
    moodle = runner.invoke(cli, ["export", "--deck", "week3.yaml", "--format", "gift"])
    assert moodle.exit_code == 0, moodle.output
    parsed = parse_gift(Path(f"{deck_id}.gift.txt").read_text(encoding="utf-8"))
    assert sorted(q.name for q in parsed) == sorted(ids)
    fibula = next(q for q in parsed if q.name.endswith("/lower-leg-bones/cloze/fibula"))
    assert fibula.qtype == "shortanswer" and [a.text for a in fibula.answers] == ["fibula"]
