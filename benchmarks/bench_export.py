"""Anki export of a generated 10,000-question deck, against raw genanki writing the same notes.

Prints the export time as a ratio to genanki's ``Package.write_to_file`` for the same notes
(same fields, tags, GUIDs and note types) measured in the same run (target ≤ 1.5×), and the
file size as a ratio to genanki's uncompressed output (target ≤ 0.3×). Best of ``--repeat`` runs.

    python benchmarks/bench_export.py [--questions 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import genanki

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.loading import parse_deck
from bonemets_quiz.deck.model import Deck, Question
from bonemets_quiz.export import anki_ids
from bonemets_quiz.export.anki import export_apkg
from bonemets_quiz.export.anki_notes import NoteSpec, note_specs
from bonemets_quiz.export.anki_templates import CSS, NOTE_TYPES

NOW = datetime(2025, 1, 1, tzinfo=UTC)
TOPICS = ("basics", "causes", "symptoms", "locations", "diagnosis", "treatment")
from bench_words import WORDS  # noqa: E402


def _words(n: int, salt: int) -> str:
    return " ".join(WORDS[(salt * 7 + i * 3) % len(WORDS)] for i in range(n)) + f" {salt}"


def synthetic_yaml(target: int) -> str:
    """A valid deck whose facts generate at least ``target`` questions (about 11 per group)."""
    lines = [
        "deck:",
        "  id: bench",
        "  title: Benchmark Deck",
        "  description: Generated for the export benchmark. Educational, not medical advice.",
        "  source: {title: Synthetic source, author: Benchmark, updated: '2025-01-01'}",
        "topics:",
        *(f"  - {{id: {t}, title: Topic {t}}}" for t in TOPICS),
        "facts:",
    ]
    for n in range(target // 11 + 1):
        topic = TOPICS[n % len(TOPICS)]
        common = f"    topic: {topic}\n    section: Section {n % 17}\n"
        note = f"    note: 'Clinical note: {_words(12, n)}.'\n"
        lines.append(
            f"  - id: def-{n}\n    kind: definition\n{common}{note}"
            f"    term: term {n}\n    definition: {_words(14, n)}\n"
            f"    distractors: [wrong {n} a, wrong {n} b, wrong {n} c]\n"
            f"    false_variants: ['term {n} is {_words(6, n + 1)}']"
        )
        items = "".join(f"\n      - item {n} {_words(3, n + k)}" for k in range(3))
        lines.append(
            f"  - id: list-{n}\n    kind: list\n{common}    prompt: things about {_words(4, n)}\n"
            f"    items:{items}\n    distractors: [no {n} a, no {n} b, no {n} c]"
        )
        lines.append(
            f"  - id: st-{n}\n    kind: statement\n{common}"
            f"    text: 'The {{{{{_words(2, n)}}}}} causes {_words(8, n + 2)}.'"
        )
    return "\n".join(lines) + "\n"


def bank(target: int) -> tuple[Deck, list[Question]]:
    deck = parse_deck(synthetic_yaml(target), "bench.yaml")
    return deck, generate_questions(deck)[:target]


def raw_genanki(specs: list[NoteSpec], path: Path) -> None:
    """The baseline: the same notes written by genanki alone (fields prepared beforehand)."""
    models = {
        kind: genanki.Model(
            anki_ids.model_id(spec.name),
            spec.name,
            fields=[{"name": f} for f in spec.fields],
            templates=[{"name": "Card 1", "qfmt": spec.front, "afmt": spec.back}],
            css=CSS,
            model_type=genanki.Model.CLOZE if spec.is_cloze else genanki.Model.FRONT_BACK,
        )
        for kind, spec in NOTE_TYPES.items()
    }
    deck = genanki.Deck(anki_ids.deck_id("bench"), "Benchmark Deck")
    for spec in specs:
        deck.add_note(
            genanki.Note(
                models[spec.kind],
                list(spec.fields),
                tags=list(spec.tags),
                guid=genanki.guid_for(*spec.guid_key),
            )
        )
    # genanki puts its SQLite file in the system temp dir and never deletes it: keep it in ours.
    saved, tempfile.tempdir = tempfile.tempdir, str(path.parent)
    try:
        genanki.Package(deck).write_to_file(str(path), timestamp=NOW.timestamp())
    finally:
        tempfile.tempdir = saved


def best_of(repeat: int, run: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    deck, questions = bank(args.questions)
    specs = note_specs(questions)  # the baseline gets its fields ready-made
    with tempfile.TemporaryDirectory() as work:
        ours, theirs = Path(work) / "ours.apkg", Path(work) / "genanki.apkg"
        t_raw = best_of(args.repeat, lambda: raw_genanki(specs, theirs))
        t_ours = best_of(args.repeat, lambda: export_apkg([deck], questions, ours, now=NOW))
        size_ours, size_raw = ours.stat().st_size, theirs.stat().st_size
    print(f"questions:            {len(questions)} ({len(specs)} notes)")
    print(f"raw genanki:          {t_raw:.3f} s, {size_raw / 1e6:.2f} MB (uncompressed zip)")
    print(f"bonemets-quiz export: {t_ours:.3f} s, {size_ours / 1e6:.2f} MB")
    print(f"time ratio:           {t_ours / t_raw:.2f}x (target <= 1.5x)")
    print(f"size ratio:           {size_ours / size_raw:.3f}x (target <= 0.3x)")


if __name__ == "__main__":
    main()
