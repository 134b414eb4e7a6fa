"""Shared by the Anki export tests: a small deck with every question kind, and Anki helpers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bonemets_quiz.bank.generate import generate_bank
from bonemets_quiz.bank.loading import load_decks
from bonemets_quiz.deck.model import Deck, Question

if TYPE_CHECKING:
    from anki.collection import Collection

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

TEST_DECK = """\
deck:
  id: test-deck
  title: Test Deck
  description: A small deck for export tests.
  source:
    title: Test Source
    author: Tester
    updated: "2024-01-01"
    url: https://example.org/article
topics:
  - id: alpha
    title: Alpha Topic
  - id: beta
    title: Beta Topic
facts:
  - id: widget
    kind: definition
    topic: alpha
    section: Section One
    term: widget
    definition: a small mechanical device
    aliases: [gadget]
    distractors: [sprocket, flange, grommet]
    false_variants: ["A widget is a large building."]
    note: "Clinical note: widgets are not sprockets."
  - id: colours
    kind: list
    topic: beta
    section: Section Two
    prompt: primary colours of light
    items: [red, green, blue]
    distractors: [purple, orange, brown]
  - id: sky
    kind: statement
    topic: beta
    section: Section Two
    text: "The sky is {{blue}} because of {{Rayleigh scattering}}."
  - id: payload
    kind: statement
    topic: alpha
    section: "<b>Section</b> & more"
    text: "Never run <script>alert('x')</script> or <img src=x onerror=alert(1)> but show {{them}}."
    note: "<script>document.title='pwned'</script>A note & more"
  - id: marked-up
    kind: definition
    topic: alpha
    section: Section Three
    html: true
    term: bold claim
    definition: "a <b>strong</b> statement<script>alert(2)</script><img src=x onerror=alert(3)>"
  - id: sides
    kind: contrast
    topic: beta
    section: Section Four
    sides:
      - term: cats
        description: purr when content
      - term: dogs
        description: wag their tails when content
  - id: boiling
    kind: statement
    topic: alpha
    section: Section Five
    text: "Water boils at {{100}} degrees Celsius at sea level."
    questions:
      - id: planet
        prompt: Which planet is called the red planet?
        answer: Mars
        options: [Venus, Jupiter, Saturn]
      - id: capital
        prompt: What is the capital of France?
        answer: Paris
"""


def load(path: Path) -> tuple[list[Deck], list[Question]]:
    decks = load_decks([path])
    return decks, generate_bank(decks)


def new_collection(path: Path) -> Collection:
    from anki.collection import Collection

    return Collection(str(path))


def import_apkg(col: Collection, apkg: Path) -> object:
    """Import as Anki's File → Import does, with the default 'update if newer' options."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def visible_text(rendered: str) -> str:
    """What a learner sees of a rendered card side: no stylesheet, no tags, collapsed spaces."""
    without_style = re.sub(r"<style>.*?</style>", "", rendered, flags=re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", " ", without_style).split())


def note_by_id_field(col: Collection, question_id: str) -> object:
    (nid,) = [nid for nid in col.find_notes("") if col.get_note(nid)["Id"] == question_id]
    return col.get_note(nid)
