"""How fairly typed answers are graded, measured on the labelled corpus of learner answers.

Reads ``tests/data/grading-corpus.jsonl`` (one JSON object per line: id, kind, prompt, key,
answer, label — right, typo, partial or wrong — and why), grades each answer against the current
question of that id in the built-in deck's bank (an id renamed with ``replaces:`` is followed;
ids no longer in the bank are listed as skipped), and prints, per question kind and overall, for
the dev split (70 %, by a fixed hash of the line), the held-out split (30 %; never tuned on) and
the whole corpus (the figure for a corpus never tuned on, such as ``--corpus`` of another author):

- false rejects: a right answer or a typo graded wrong (or partial, on a question that is not a
  list) — target ≤ 3 %;
- under-credit: a right answer graded only almost or partial;
- false accepts: a wrong answer graded right or almost, or a partial one graded right — target
  ≤ 1 %; and the count of wrong answers graded right (must be 0);
- grading time per answer, p50 and p95 (target p95 < 2 ms), with the word list loaded, and the
  one-off time to load the word list. Each answer's time is the least of ``--repeat`` passes over
  the corpus, every pass starting with cold caches (as a learner's first answer to a question
  does): the least, because other processes on a busy machine only ever add time.

    python benchmarks/bench_grading.py [--corpus FILE] [--show dev|held-out|all]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bonemets_quiz.bank.generate import generate_bank  # noqa: E402
from bonemets_quiz.bank.loading import load_decks  # noqa: E402
from bonemets_quiz.deck.question import Question, QuestionKind  # noqa: E402
from bonemets_quiz.study.grading import answers, list_answers  # noqa: E402
from bonemets_quiz.study.grading.grade import Mode, Verdict, answer_mode, grade_text  # noqa: E402
from bonemets_quiz.text import wordforms  # noqa: E402
from bonemets_quiz.text.lexicon import english_words  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "grading-corpus.jsonl"
DEV_SHARE = 70  # percent of lines in the dev split


def split_of(line: str) -> str:
    """A fixed split: the same line always lands in the same half."""
    return "dev" if zlib.crc32(line.strip().encode()) % 100 < DEV_SHARE else "held-out"


def current_questions() -> dict[str, Question]:
    """The bank by id, old ids (``replaces:``) pointing at the question that replaced them."""
    bank = generate_bank(load_decks())
    by_id = {q.id: q for q in bank}
    for question in bank:
        for old in question.replaces:
            by_id.setdefault(old, question)
    return by_id


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, label: str, verdict: Verdict, is_list: bool) -> str | None:
        """Count one graded answer; returns the kind of disagreement, if any."""
        c = self.counts
        c[label] += 1
        problem = None
        if label in ("right", "typo") and (
            verdict is Verdict.WRONG or (verdict is Verdict.PARTIAL and not is_list)
        ):
            problem = "false reject"
        elif label == "right" and verdict in (Verdict.ALMOST, Verdict.PARTIAL):
            problem = "under-credit"
        elif (label == "wrong" and verdict in (Verdict.RIGHT, Verdict.ALMOST)) or (
            label == "partial" and verdict is Verdict.RIGHT
        ):
            problem = "false accept"
        if problem:
            c[problem] += 1
        if label == "wrong" and verdict is Verdict.RIGHT:
            c["wrong graded right"] += 1
        return problem

    def line(self, name: str) -> str:
        c = self.counts
        good, right, bad = c["right"] + c["typo"], c["right"], c["wrong"] + c["partial"]
        return (
            f"{name:<12} {good + bad:>5}  false rejects {_pct(c['false reject'], good)}"
            f"  under-credit {_pct(c['under-credit'], right)}"
            f"  false accepts {_pct(c['false accept'], bad)}"
            f"  wrong→right {c['wrong graded right']}"
        )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f} % ({part:>3}/{whole:<3})" if whole else "    –           "


def clear_caches() -> None:
    """Forget every prepared answer, as a fresh process has."""
    for module in (answers, list_answers, wordforms):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def least_times(lines: list[str], questions: dict[str, Question], repeat: int) -> list[float]:
    """Each typed answer's grading time in ms: the least over ``repeat`` cold passes."""
    best: list[float] = []
    for _ in range(max(1, repeat)):
        clear_caches()
        times: list[float] = []
        for line in lines:
            entry = json.loads(line)
            question = questions.get(entry["id"])
            if question is None or answer_mode(question) is not Mode.TYPE:
                continue
            before = time.perf_counter_ns()
            grade_text(question, entry["answer"])
            times.append((time.perf_counter_ns() - before) / 1e6)
        best = times if not best else [min(a, b) for a, b in zip(best, times, strict=True)]
    return sorted(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", choices=("dev", "held-out", "all"), help="list disagreements")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (least time kept)")
    args = parser.parse_args()
    questions = current_questions()
    started = time.perf_counter()
    words = english_words()
    import rapidfuzz.distance.OSA  # noqa: F401 (loaded by the first non-exact answer)

    load_ms = (time.perf_counter() - started) * 1000
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    skipped: dict[str, str] = {}
    shown: list[str] = []
    lines = [line for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    times = least_times(lines, questions, args.repeat)
    for line in lines:
        entry = json.loads(line)
        question = questions.get(entry["id"])
        if question is None or answer_mode(question) is not Mode.TYPE:
            skipped[entry["id"]] = "not in the bank" if question is None else "not typed"
            continue
        result = grade_text(question, entry["answer"])
        split = split_of(line)
        is_list = question.kind is QuestionKind.LIST_RECALL
        for name in (question.kind.value, "overall"):
            problem = tallies[split][name].add(entry["label"], result.verdict, is_list)
            tallies["whole corpus"][name].add(entry["label"], result.verdict, is_list)
        if problem and args.show in (split, "all"):
            shown.append(
                f"[{problem}] {entry['id']}: {entry['answer']!r} labelled {entry['label']} "
                f"({entry['why']}), graded {result.verdict.value}: {result.explanation}"
            )
    for split in ("dev", "held-out", "whole corpus"):  # the whole: for a corpus never tuned on
        print(f"— {split}" + (" split" if split != "whole corpus" else ""))
        for name, tally in sorted(tallies[split].items(), key=lambda kv: kv[0] == "overall"):
            print("  " + tally.line(name))
    print(
        f"grading time per answer: p50 {statistics.median(times):.3f} ms, "
        f"p95 {times[int(0.95 * (len(times) - 1))]:.3f} ms, max {times[-1]:.2f} ms "
        f"({len(times)} answers, least of {args.repeat} cold passes; word list of {len(words):,} "
        f"words and rapidfuzz loaded once in {load_ms:.0f} ms)"
    )
    if skipped:
        print(f"skipped {len(skipped)} ids: " + ", ".join(f"{i} ({w})" for i, w in skipped.items()))
    for text in shown:
        print(text)


if __name__ == "__main__":
    main()
