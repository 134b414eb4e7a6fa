"""Large decks: ``validate``, the first ``study`` and ``export`` on a 10,000-fact deck.

The deck (built in a temporary directory, under the 2 MiB limit) has three categories of 2,000
definitions each (every definition lends its term to the others' multiple choice), 2,000 lists
and 2,000 statements. Each command runs through the real console entry point in a subprocess:

- ``validate DECK``;
- the first ``study --deck DECK`` (bank built from the YAML, store filled), with a fixed --now
  and standard input closed at once, so the session ends at its first question;
- ``export --deck DECK -o deck.apkg``;
- ``validate RENAMED --against DECK``, a fifth of the fact ids changed (no target).

Target: each within 3 s on this machine. Each is also printed as a ratio to the same command on
the built-in deck in the same run, and the deck-size ratio is printed beside it (linear growth
keeps the time ratio near the size ratio).

Then the growth curve of generation + lint for one category of 500, 2,000 and 4,000 definitions,
now and (with ``--old REF``, a commit before the linear version; default: the one named below)
in the code of that commit, extracted with ``git archive`` into a temporary directory.

    python benchmarks/bench_scale.py [--facts 10000] [--repeat 3] [--curve 500,2000,4000]
                                     [--old REF|none]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_words import WORDS as BASE_WORDS  # noqa: E402

from bonemets_quiz.deck.loader import builtin_deck_path  # noqa: E402

ENTRY_POINT = "import sys; from bonemets_quiz.__main__ import launch; sys.exit(launch())"
QUADRATIC = "602535f"  # the last commit with quadratic generation and lint
TARGET = 3.0
WORDS = [
    *BASE_WORDS,
    "rib",
    "skull",
    "humerus",
    "cortex",
    "osteoclast",
    "osteoblast",
    "cytokine",
    "hormone",
    "receptor",
    "matrix",
]


def deck_text(facts: int, category_size: int, rng: random.Random) -> str:
    """A deck of ``facts`` facts: 60 % definitions in categories of ``category_size``."""

    def phrase(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    out = [
        "deck: {id: big, title: Big, description: Generated., source: {title: Bench}}\n"
        "topics: [{id: t, title: T}]\nfacts:\n"
    ]
    definitions = facts * 6 // 10
    lists = (facts - definitions) // 2
    for i in range(definitions):
        extra = f", distractors: [{phrase(2)} x{i}]" if i % 10 == 0 else ""
        extra += f', false_variants: ["The {phrase(5)} {i}."]' if i % 9 == 0 else ""
        out.append(
            f'- {{id: d{i}, topic: t, section: S, kind: definition, term: "{phrase(2)} {i}", '
            f'definition: "a {phrase(6)}", category: c{i // category_size}{extra}}}\n'
        )
    for i in range(lists):
        items = ", ".join(f'"{phrase(1)} {i}-{j}"' for j in range(3))
        wrong = ", ".join(f'"{phrase(1)} w{i}-{j}"' for j in range(3))
        out.append(
            f'- {{id: l{i}, topic: t, section: S, kind: list, prompt: "{phrase(3)} {i}", '
            f"items: [{items}], distractors: [{wrong}]}}\n"
        )
    for i in range(facts - definitions - lists):
        out.append(
            f'- {{id: s{i}, topic: t, section: S, kind: statement, text: "The {phrase(4)} '
            f'is {{{{{phrase(1)} {i}}}}} in {phrase(3)}."}}\n'
        )
    return "".join(out)


def environment(work: Path, source: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        PYTHONPATH=str(source),
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_DATA_HOME=str(work / "data"),
        BONEMETS_QUIZ_STORE=str(work / "progress.sqlite3"),
        BONEMETS_QUIZ_NOW="2026-03-29T09:00:00+00:00",
        BONEMETS_QUIZ_TZ="Europe/London",
        NO_COLOR="1",
    )
    return env


def timed(args: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr.decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def commands(deck: Path, work: Path) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of validate, the first study and export (fresh store and cache),
    and of validate --against the deck with a fifth of its facts renamed (no `replaces:`)."""
    env = environment(work)
    decks = ["--deck", str(deck)]
    renamed = work / "renamed.yaml"
    text = deck.read_text(encoding="utf-8")
    renamed.write_text(re.sub(r"\bid: ([a-z][a-z0-9-]*[05])\b", r"id: \1-new", text), "utf-8")
    return {
        "validate": timed(["validate", str(deck)], env, ok=(0, 1)),
        "first study": timed(["study", *decks, "--seed", "1"], env),
        "export .apkg": timed(["export", *decks, "-o", str(work / "deck.apkg")], env),
        "--against": timed(["validate", str(renamed), "--against", str(deck)], env, ok=(0, 1, 2)),
    }


CURVE = """
import sys, time
import bonemets_quiz
assert bonemets_quiz.__file__.startswith(sys.path[1]), (bonemets_quiz.__file__, sys.path)
from bonemets_quiz.bank.loading import parse_deck
from bonemets_quiz.bank.generate import generate_questions
from bonemets_quiz.bank.lint.lint import lint_deck
text = open(sys.argv[1], encoding="utf-8").read()
deck = parse_deck(text, "curve.yaml")
started = time.perf_counter()
questions = generate_questions(deck)
generated = time.perf_counter() - started
lint_deck(deck, questions)
print(generated, time.perf_counter() - started)
"""


def curve(sizes: list[int], source: Path, work: Path) -> list[tuple[float, float]]:
    """Seconds to generate, and to generate and lint, one category of each size."""
    figures = []
    for size in sizes:
        path = work / f"curve-{size}.yaml"
        path.write_text(deck_text(size * 10 // 6, size, random.Random(size)), encoding="utf-8")
        done = subprocess.run(  # not run from the work tree: "" on sys.path would import it
            [sys.executable, "-c", CURVE, str(path)],
            cwd=work,
            env={**os.environ, "PYTHONPATH": str(source)},
            capture_output=True,
            text=True,
            check=True,
        )
        generated, linted = (float(x) for x in done.stdout.split())
        figures.append((generated, linted))
    return figures


def old_source(ref: str, work: Path) -> Path | None:
    target = work / f"old-{ref}"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", ref, "bonemets_quiz", "decks"],
        capture_output=True,
        check=False,
    )
    if archive.returncode:
        print(f"(no old figures: git archive {ref} failed: {archive.stderr.decode().strip()})")
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def fresh(directory: Path) -> Path:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    return directory


def best(
    repeat: int, run: Callable[[], dict[str, tuple[float, float]]]
) -> dict[str, tuple[float, float]]:
    """Per command, the run with the least wall time."""
    runs = [run() for _ in range(repeat)]
    return {name: min((r[name] for r in runs), key=lambda t: t[0]) for name in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--category", type=int, default=2_000, help="definitions per category")
    parser.add_argument("--curve", default="500,2000,4000")
    parser.add_argument("--old", default=QUADRATIC, help="commit for the old curve, or 'none'")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        deck = work / "big.yaml"
        deck.write_text(deck_text(args.facts, args.category, random.Random(1)), encoding="utf-8")
        size = deck.stat().st_size
        mib = size / 2**20
        print(f"deck: {args.facts:,} facts, categories of {args.category:,}, {mib:.2f} MiB")
        builtin = builtin_deck_path()
        commands(builtin, fresh(work / "warm"))  # bytecode, compiled once for all runs
        base = best(args.repeat, lambda: commands(builtin, fresh(work / "base")))
        big = best(args.repeat, lambda: commands(deck, fresh(work / "big")))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"best of {args.repeat}; wall seconds (CPU seconds); load average {load}")
        print(f"{'':14}{'built-in':>14}{'10k deck':>14}{'ratio':>8}   target")
        for name, (wall, cpu) in big.items():
            verdict = "ok" if wall <= TARGET else "SLOW"
            if name == "--against":
                verdict = "(no target: renames are errors, exit 2)"
            base_wall, base_cpu = base[name]
            print(
                f"{name:14}{base_wall:>6.2f} ({base_cpu:4.2f}){wall:>7.2f} ({cpu:4.2f})"
                f"{wall / base_wall:>7.1f}x   <= {TARGET:.0f} s {verdict}"
            )
        facts = builtin.read_text(encoding="utf-8").count("\n  - id: ")
        print(f"(the built-in deck has {facts} facts, {args.facts // facts}x fewer: a time ratio")
        print(" far below that is start-up; above it, something grows faster than the deck)")
        sizes = [int(s) for s in args.curve.split(",")]
        new = curve(sizes, ROOT, work)
        old_root = old_source(args.old, work) if args.old != "none" else None
        old = curve(sizes, old_root, work) if old_root else None
        print("\none category of N definitions: generate / generate + lint, seconds")
        for i, n in enumerate(sizes):
            line = f"N = {n:>5}: now {new[i][0]:6.2f} / {new[i][1]:6.2f}"
            if old:
                line += f"   at {args.old}: {old[i][0]:6.2f} / {old[i][1]:6.2f}"
                line += f"   ({old[i][1] / new[i][1]:.0f}x faster)"
            print(line)
        growth = new[-1][1] / new[0][1]
        print(f"growth now {sizes[0]} → {sizes[-1]}: {growth:.1f}x for {sizes[-1] / sizes[0]:.0f}x")


if __name__ == "__main__":
    main()
