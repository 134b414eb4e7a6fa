"""Fitting personal FSRS parameters (``optimize``) to 5,000 and 20,000 reviews.

The reviews are synthetic, drawn from known FSRS parameters (``tests/fsrs_synth.py``). For each
size, best of ``--runs``, in this process:

- the baseline: reading the reviews out of the store and turning them into FSRS items;
- ``optimize_parameters`` as a whole (read, convert, fit with fsrs-rs, score three parameter sets
  on the held-out reviews), and the ratio to the baseline;

and the held-out log loss and RMSE(bins) of the default, fitted and known parameters.

    python benchmarks/bench_optimize.py [--reviews 5000 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fsrs_synth import KNOWN, fill  # noqa: E402

from bonemets_quiz.progress import store_log  # noqa: E402
from bonemets_quiz.progress.fsrs_items import day_histories, training_items  # noqa: E402
from bonemets_quiz.progress.optimize import fsrs_rs, optimize_parameters, score, split  # noqa: E402
from bonemets_quiz.study.store.store import Store  # noqa: E402

NOW = datetime(2100, 1, 1, tzinfo=UTC)


def best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def items(store: Store) -> list[object]:
    rows = [(q, at, r) for q, at, r, *_ in store_log.revlog_rows(store)]
    return training_items(day_histories(rows, UTC, 4))  # type: ignore[return-value]


def bench(size: int, runs: int) -> None:
    store = Store.in_memory()
    count = fill(store, size)
    baseline = best(runs, lambda: items(store))
    whole = best(runs, lambda: optimize_parameters(store, now=NOW, seed=0))
    report = optimize_parameters(store, now=NOW, seed=0)
    _, test = split(items(store), 0)  # type: ignore[arg-type]
    known = score(fsrs_rs(), KNOWN, test)
    print(
        f"{count:>6,} reviews ({report.train_items:,} items fitted, {report.test_items:,} held "
        f"out): optimize {whole:.3f} s; reading + converting {baseline:.3f} s "
        f"(optimize = {whole / baseline:.1f}x that)"
    )
    for name, fit in (("default", report.default), ("fitted", report.fitted), ("known", known)):
        print(f"    {name:<8} log loss {fit.log_loss:.4f}  RMSE(bins) {fit.rmse_bins:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for size in args.reviews:
        bench(size, args.runs)


if __name__ == "__main__":
    main()
