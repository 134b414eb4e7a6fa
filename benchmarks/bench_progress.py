"""Export and import of a 100,000-review log (``progress export`` / ``progress import``).

Builds a store of the built-in deck with 100,000 reviews (as ``bench_study.fill_store`` does),
then times, in this process, best of ``--runs``:

- ``export_log`` to JSON Lines and to the FSRS revlog CSV (target < 2 s each);
- ``import_log`` of that log into a fresh store (every review added, every question replayed;
  target < 2 s), the same in one process (``parallel_from=None``: the serial path, beside it
  for an honest ratio), and again into the same store (all duplicates);
- as a baseline measured in the same run: ``json.dumps`` of the same number of plain dicts
  written to a file, raw ``fsrs.Scheduler.review_card`` as many times (the floor any replay
  through py-fsrs pays), and the same replay done review by review through ``Scheduler.answer``
  (what ``study`` runs), against the FSRS replay alone (``replay``), so the ratios say what the
  log format, the merge, our scheduler layer and the writes add over the unavoidable work.

Each figure is the best wall time, with the best CPU time beside it (this process's and its
finished child processes': a parallel import's worker counts): on a machine shared with other work
the CPU time is the steadier of the two; wall below CPU means two processes worked at once.

    python benchmarks/bench_progress.py [--reviews 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_study import NOW, fill_store  # noqa: E402

from bonemets_quiz.bank.cache import load_bank  # noqa: E402
from bonemets_quiz.progress.logs import export_log, import_log, replay  # noqa: E402
from bonemets_quiz.progress.replay_import import PARALLEL_FROM  # noqa: E402
from bonemets_quiz.study.scheduling import Settings  # noqa: E402
from bonemets_quiz.study.store.store import Store  # noqa: E402

LATER = NOW


class Timing(float):
    """A best wall time in seconds (the float itself), with the best process CPU time."""

    cpu: float

    def __str__(self) -> str:
        return f"{float(self):.3f} s (cpu {self.cpu:.3f} s)"


def cpu_time() -> float:
    """CPU seconds of this process and of its children that have ended (a worker process)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def best(runs: int, work: Callable[[], object]) -> Timing:
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), cpu_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(cpu_time() - cpu)
    timing = Timing(min(walls))
    timing.cpu = min(cpus)
    return timing


def answer_by_answer(store: Store) -> None:
    """Every question's history replayed one ``Scheduler.answer`` per review (py-fsrs)."""
    from bonemets_quiz.progress import store_log
    from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler
    from bonemets_quiz.study.store.rows import from_us

    cards: dict[str, CardState] = {}
    schedulers: dict[int, Scheduler] = {}
    for _, qid, at, rating, seed in store_log.replay_rows(store):
        scheduler = schedulers.get(seed or 0) or schedulers.setdefault(
            seed or 0, Scheduler(Settings(), seed or 0)
        )
        before = cards.get(qid) or CardState(qid)
        cards[qid] = scheduler.answer(before, Rating(rating), from_us(at))


def raw_fsrs(reviews: int) -> None:
    """``reviews`` calls of py-fsrs' ``review_card`` on a few cards a day apart."""
    from datetime import UTC, datetime, timedelta

    import fsrs

    scheduler = fsrs.Scheduler()
    when = datetime(2024, 1, 1, tzinfo=UTC)
    card = fsrs.Card(card_id=1, due=when)
    for n in range(reviews):
        if n % 40 == 0:
            card = fsrs.Card(card_id=1, due=when)
        rating = fsrs.Rating.Again if n % 7 == 0 else fsrs.Rating.Good
        card, _ = scheduler.review_card(card, rating, when)
        when += timedelta(hours=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bank = load_bank()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.sqlite3"
        fill_store(source, args.reviews)
        log, csv = Path(tmp) / "log.jsonl", Path(tmp) / "log.csv"
        with Store.open(source) as store:
            t_export = best(args.runs, lambda: export_log(store, bank.questions, log, now=LATER))
            t_csv = best(
                args.runs, lambda: export_log(store, bank.questions, csv, "csv", now=LATER)
            )
            t_replay = best(args.runs, lambda: replay(store, Settings(), write=False))
            t_answers = best(args.runs, lambda: answer_by_answer(store))

        def baseline_dump() -> None:
            rows = [{"q": f"q{n}", "t": n, "r": 3, "d": 4000} for n in range(args.reviews)]
            with open(Path(tmp) / "base.jsonl", "w") as out:
                out.writelines(json.dumps(row) + "\n" for row in rows)

        t_base = best(args.runs, baseline_dump)
        t_fsrs = best(args.runs, lambda: raw_fsrs(args.reviews))
        counter = iter(range(10**6))

        def fresh_import(parallel_from: int | None = PARALLEL_FROM) -> None:
            with Store.open(Path(tmp) / f"fresh{next(counter)}.sqlite3") as target:
                summary = import_log(
                    target, bank.questions, log, Settings(), now=LATER, parallel_from=parallel_from
                )
                assert summary.added == args.reviews, summary

        t_import = best(args.runs, fresh_import)
        t_serial = best(args.runs, lambda: fresh_import(None))
        with Store.open(Path(tmp) / "fresh0.sqlite3") as target:
            t_again = best(
                args.runs, lambda: import_log(target, bank.questions, log, Settings(), now=LATER)
            )
        size = os.path.getsize(log)
    print(f"reviews: {args.reviews:,}; log {size / 1e6:.1f} MB; best of {args.runs}")
    print(f"baseline json.dumps of {args.reviews:,} small dicts to a file: {t_base}")
    print(f"baseline raw fsrs review_card x {args.reviews:,}: {t_fsrs}")
    print(f"baseline replay, one Scheduler.answer a review: {t_answers}")
    print(
        f"FSRS replay of every review (no writes): {t_replay} "
        f"({t_replay / t_fsrs:.2f}x raw fsrs, {t_replay / t_answers:.2f}x Scheduler.answer)"
    )
    print(f"export jsonl: {t_export} ({t_export / t_base:.1f}x dumps)  target < 2s")
    print(f"export csv:   {t_csv} ({t_csv / t_base:.1f}x dumps)  target < 2s")
    print(f"import into a fresh store: {t_import} ({t_import / t_replay:.1f}x replay)  target < 2s")
    wall, cpu = t_import / t_serial, t_import.cpu / t_serial.cpu
    print(f"  serial path (one process): {t_serial}; parallel/serial {wall:.2f}x, cpu {cpu:.2f}x")
    print(f"import again (all duplicates): {t_again}")


if __name__ == "__main__":
    main()
