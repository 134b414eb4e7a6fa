"""``export --with-progress`` of the built-in deck against plain ``export``, in one process.

Builds a store of the built-in deck studied with ``--reviews`` answers (as
``bench_study.fill_store`` does: every question studied, over two years), then times, best of
``--repeat``: the plain Anki export, and the export with the learner's schedule and review log
(reading them from the store included), each run as a fresh process would do it (no note GUID
cached from the run before). Target: ≤ 1.5× the plain export.

    python benchmarks/bench_export_progress.py [--reviews 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_study import NOW, fill_store  # noqa: E402

from bonemets_quiz.bank_cache import load_bank  # noqa: E402
from bonemets_quiz.deck_loader import builtin_deck_path  # noqa: E402
from bonemets_quiz.export.anki import export_apkg  # noqa: E402
from bonemets_quiz.export.anki_ids import note_guid  # noqa: E402
from bonemets_quiz.export.anki_progress import schedule_of  # noqa: E402
from bonemets_quiz.loading import load_decks  # noqa: E402
from bonemets_quiz.store import Store  # noqa: E402


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    decks = load_decks([builtin_deck_path()])
    questions = list(load_bank().questions)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "studied.sqlite3"
        fill_store(source, args.reviews)
        plain_out, progress_out = Path(tmp) / "plain.apkg", Path(tmp) / "progress.apkg"

        # each run as a fresh ``export`` process: no note GUID cached from the run before
        def plain() -> None:
            note_guid.cache_clear()
            export_apkg(decks, questions, plain_out, now=NOW)

        def with_progress() -> None:
            note_guid.cache_clear()
            with Store.open(source, read_only=True) as store:
                schedule = schedule_of(store, questions, store.settings(), zone=UTC, now=NOW)
            export_apkg(decks, questions, progress_out, now=NOW, schedule=schedule)

        t_plain = best(args.repeat, plain)
        t_progress = best(args.repeat, with_progress)
        sizes = plain_out.stat().st_size, progress_out.stat().st_size
    print(f"built-in deck: {len(questions)} questions; store: {args.reviews:,} reviews")
    print(f"plain export:          {t_plain * 1000:.1f} ms ({sizes[0] / 1024:.0f} KiB)")
    print(f"export with progress:  {t_progress * 1000:.1f} ms ({sizes[1] / 1024:.0f} KiB)")
    print(f"ratio: {t_progress / t_plain:.2f}x  target ≤ 1.5x")


if __name__ == "__main__":
    main()
