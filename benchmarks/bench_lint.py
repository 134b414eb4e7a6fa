"""`validate`'s lint checks on a generated large deck, against loading the same deck.

Prints the lint time (every check, including locating problems in the file) as a ratio to
loading and generating the deck in the same run (target ≤ 2×, i.e. linting never dominates),
for a deck of ``--facts`` facts whose texts share a small vocabulary (many similar prompts: the
worst case for the near-duplicate check). Best of ``--repeat`` runs.

    python benchmarks/bench_lint.py [--facts 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time

from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.lint.lint import lint_deck
from bonemets_quiz.bank.loading import parse_deck
from bonemets_quiz.deck.locate import Locator

WORDS = [
    "bone",
    "cell",
    "tumour",
    "marrow",
    "pain",
    "fracture",
    "scan",
    "blood",
    "calcium",
    "therapy",
    "surgery",
    "spine",
    "rib",
    "pelvis",
    "skull",
    "drug",
    "dose",
    "nerve",
    "muscle",
    "joint",
]


def deck_text(facts: int, rng: random.Random) -> str:
    def phrase(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    parts = [
        "deck: {id: big, title: Big, description: Generated., source: {title: Bench}}\n"
        "topics: [{id: t, title: T}]\nfacts:\n"
    ]
    for i in range(facts):
        head = f"  - id: f{i}\n    topic: t\n    section: S\n"
        if i % 2:
            text = f"The {phrase(6)} is {{{{{phrase(2)} {i}}}}} in {phrase(4)}."
            parts.append(
                f'{head}    kind: statement\n    text: "{text}"\n'
                f'    false_variants: ["The {phrase(8)} {i}."]\n'
            )
        else:
            parts.append(
                f'{head}    kind: definition\n    term: "term {i} {phrase(2)}"\n'
                f'    definition: "a {phrase(9)}"\n'
            )
    return "".join(parts)


def best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = deck_text(args.facts, random.Random(1))
    deck = parse_deck(text, "big.yaml")
    questions = generate_questions(deck)
    load = best(args.repeat, lambda: generate_questions(parse_deck(text, "big.yaml")))
    lint = best(args.repeat, lambda: lint_deck(deck, questions, Locator(text, "big.yaml")))
    problems = lint_deck(deck, questions, Locator(text, "big.yaml"))
    print(f"deck: {len(deck.facts)} facts, {len(questions)} questions, {len(text) // 1024} KiB")
    print(f"load + generate: {load * 1000:.0f} ms")
    print(f"lint:            {lint * 1000:.0f} ms ({len(problems)} problems)")
    print(f"ratio lint / load: {lint / load:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
