"""The labelled grading corpus (tests/data/grading-corpus.jsonl): the file's integrity only.

The corpus measures the grader (benchmarks/bench_grading.py); it was written without seeing
the grader's verdicts, so nothing here grades an answer. These tests only keep the file usable:
one valid JSON object per line with exactly the documented fields, known labels and kinds, and
question ids that still exist in the built-in deck (or that a current question `replaces:`, or
that the corpus notes list as retired).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bonemets_quiz import generate_questions, load_deck
from bonemets_quiz.deck.loader import builtin_deck_path

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "grading-corpus.jsonl"
NOTES = DATA / "grading-corpus.md"
FIELDS = {"id", "kind", "prompt", "key", "answer", "label", "why"}
LABELS = {"right", "typo", "partial", "wrong"}
TYPED_KINDS = {"cloze", "reversed", "list_recall"}
MIN_ENTRIES = 400


def _records(path: Path) -> list[tuple[int, dict[str, object]]]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number}: blank line — remove it"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{path.name}:{number}:{exc.colno}: not JSON ({exc.msg}) — fix the line")
        assert isinstance(record, dict), f"{path.name}:{number}: not a JSON object"
        records.append((number, record))
    return records


def _retired_ids(notes: str) -> set[str]:
    """Ids listed (one `id` per bullet) under the notes' '## Retired ids' heading."""
    match = re.search(r"^## Retired ids\s*$(.*?)(?=^## |\Z)", notes, re.M | re.S)
    return set(re.findall(r"^- `([^`]+)`", match.group(1), re.M)) if match else set()


def _known_ids() -> set[str]:
    questions = generate_questions(load_deck(builtin_deck_path()))
    current = {q.id for q in questions}
    replaced = {old for q in questions for old in q.replaces}
    return current | replaced | _retired_ids(NOTES.read_text(encoding="utf-8"))


RECORDS = _records(CORPUS)


def test_each_line_has_exactly_the_documented_fields_as_non_empty_strings() -> None:
    for number, record in RECORDS:
        assert set(record) == FIELDS, f"line {number}: fields {sorted(record)}"
        for name in FIELDS:
            value = record[name]
            assert isinstance(value, str) and value.strip(), f"line {number}: empty {name}"


def test_labels_and_kinds_are_the_allowed_ones() -> None:
    for number, record in RECORDS:
        assert record["label"] in LABELS, f"line {number}: label {record['label']!r}"
        assert record["kind"] in TYPED_KINDS, f"line {number}: kind {record['kind']!r}"


def test_every_id_is_in_the_current_bank_replaced_or_listed_as_retired() -> None:
    known = _known_ids()
    unknown = sorted({str(r["id"]) for _, r in RECORDS} - known)
    assert not unknown, f"ids neither in the bank nor retired in {NOTES.name}: {unknown}"


def test_corpus_is_large_enough_and_every_label_is_present() -> None:
    labels = Counter(str(r["label"]) for _, r in RECORDS)
    assert len(RECORDS) >= MIN_ENTRIES
    assert set(labels) == LABELS, f"labels present: {dict(labels)}"


def test_no_answer_is_recorded_twice_for_one_question() -> None:
    seen = Counter((r["id"], r["answer"]) for _, r in RECORDS)
    assert [pair for pair, n in seen.items() if n > 1] == []


def test_the_integrity_checks_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\nnot json\n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"bad\.jsonl:2:1: not JSON"):
        _records(bad)
    notes = "# x\n## Retired ids\n- `deck/old-card`\n- `deck/older`\n## Next\n- `deck/new`\n"
    assert _retired_ids(notes) == {"deck/old-card", "deck/older"}
    assert _retired_ids("# no section\n") == set()
