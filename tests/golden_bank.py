"""The golden file of generation and lint: every question and finding of the test decks.

``tests/data/golden-bank.json`` was written by this module from the quadratic implementation
(before generation and lint were made linear); ``test_generate`` and ``test_lint`` compare the
current code against it. It was written with the package of commit 602535f first on the path:

    git archive 602535f bonemets_quiz decks | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old:tests python -c 'import golden_bank as g; print(g.dumps(g.snapshot()))'

Rewrite it with the current package only for an intended change of output (and say so):

    python tests/golden_bank.py > tests/data/golden-bank.json
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.lint.against import check_against
from bonemets_quiz.bank.lint.lint import lint_deck
from bonemets_quiz.bank.loading import load_deck, parse_deck
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.locate import Locator
from bonemets_quiz.deck.model import Question

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden-bank.json"
SEEDS = (0, 7)


def golden_decks() -> dict[str, Path]:
    return {
        "builtin": builtin_deck_path(),
        "sample": DATA / "sample-deck.yaml",
        "categories": DATA / "category-deck.yaml",
    }


def snapshot() -> dict[str, object]:
    """Per deck and seed: every question's dict; per deck: every lint finding."""
    out: dict[str, object] = {}
    for name, path in golden_decks().items():
        deck = load_deck(path)
        text = path.read_text(encoding="utf-8")
        banks = {seed: generate_questions(deck, seed) for seed in SEEDS}
        problems = lint_deck(deck, banks[0], Locator(text, path.name))
        out[name] = {
            "questions": {str(seed): [_brief(q) for q in bank] for seed, bank in banks.items()},
            "sha256": {str(seed): _digest(bank) for seed, bank in banks.items()},
            "lint": [[p.line, p.column, p.severity, p.message] for p in problems],
        }
    out["against"] = {"lint": _against()}
    return out


def _against() -> list[list[object]]:
    """``validate --against``: the category deck with every fact id ending in 0 or 5 renamed."""
    path = golden_decks()["categories"]
    text = path.read_text(encoding="utf-8")
    renamed = re.sub(r"(?m)^  - id: ([a-z]+-[0-9]*[05])$", r"  - id: \1-new", text)
    old, new = load_deck(path), parse_deck(renamed, "renamed.yaml")
    problems = check_against(
        old,
        new,
        generate_questions(old),
        generate_questions(new),
        Locator(renamed, "renamed.yaml"),
        Locator(text, path.name),
    )
    return [[p.path, p.line, p.column, p.severity, p.message] for p in problems]


def _brief(q: Question) -> list[object]:
    return [q.id, q.options, q.correct_option]


def _digest(bank: list[Question]) -> str:
    """Everything else of every question (prompts, answers, accepted texts …), as one hash."""
    dump = json.dumps([q.to_dict() for q in bank], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()


def dumps(value: object) -> str:
    """JSON with one question or finding per line, so that a diff of the file is readable."""
    if isinstance(value, dict):
        rows = (f"{json.dumps(k)}: {dumps(v)}" for k, v in sorted(value.items()))
        return "{\n" + ",\n".join(rows) + "\n}"
    if isinstance(value, list) and value and all(isinstance(x, list) for x in value):
        return "[\n" + ",\n".join(json.dumps(x, ensure_ascii=False) for x in value) + "\n]"
    return json.dumps(value, ensure_ascii=False)


if __name__ == "__main__":
    print(dumps(snapshot()))
