"""Composing a 10,000-fact deck: libyaml's parser with our lean composer against PyYAML's own.

Prints, best of ``--repeat`` runs in one process (the same text, the same bounds):

- the node tree composed by PyYAML's pure-Python composer (``yaml_nodes``'s fallback, used for
  error messages) and by ``yaml_fast`` (libyaml events, the normal path), and the ratio;
- loading the deck for use (``check_decks``: compose, read, the error-level rules) on each path.

    python benchmarks/bench_yaml.py [--facts 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import deck_text  # noqa: E402

from bonemets_quiz.bank.loading import check_decks  # noqa: E402
from bonemets_quiz.deck import yaml_nodes  # noqa: E402


def best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def pure_python(*_: object) -> None:
    return None  # compose_fast declines: yaml_nodes.compose falls back to PyYAML's composer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    text = deck_text(args.facts, 2_000, random.Random(1))
    fast_compose = yaml_nodes.compose_fast
    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "big.yaml"
        deck.write_text(text, encoding="utf-8")
        print(f"deck: {args.facts:,} facts, {len(text.encode()) / 2**20:.2f} MiB")
        figures = {}
        for label, composer in (("PyYAML composer", pure_python), ("libyaml + ours", fast_compose)):
            yaml_nodes.compose_fast = composer  # type: ignore[assignment]
            figures[label] = (
                best(args.repeat, lambda: yaml_nodes.compose(text, str(deck))),
                best(args.repeat, lambda: check_decks([deck])),
            )
        yaml_nodes.compose_fast = fast_compose
    (slow_tree, slow_all), (fast_tree, fast_all) = figures.values()
    for label, (tree, whole) in figures.items():
        print(f"{label:16} compose {tree:6.2f} s   load {whole:6.2f} s")
    print(f"faster: compose {slow_tree / fast_tree:.1f}x, load {slow_all / fast_all:.1f}x")


if __name__ == "__main__":
    main()
