"""The class report over 200 learners × 2,000 reviews each (``bonemets-quiz report``).

Writes a simulated class of the built-in deck (``tests/class_sim.py``: real scheduler, real log
writer) — ``--base`` learners simulated, each copied with its times shifted by whole seconds
until there are ``--learners`` distinct logs — then times, in this process, best of ``--runs``:

- ``class_report`` (the ``--format json`` path; target < 5 s), and the JSON text of it;
- the command itself, ``bonemets-quiz report … --json -o FILE``, in a new process (start-up,
  deck, report and file: wall time only);
- ``render_html`` of that report, when ``bonemets_quiz.insight.html.page`` is there;
- as a baseline measured in the same run: ``orjson.loads`` of every line of every log (the
  floor of any reading), and ``review_log.read_log`` of every log (the strict reader the
  report's lean one replaces), so the ratios say what the analysis adds.

    python benchmarks/bench_report.py [--learners 200] [--reviews 2000] [--base 20] [--runs 3]
                                      [--folder DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import orjson  # noqa: E402
from class_sim import START, simulate  # noqa: E402

from bonemets_quiz.gc_pause import gc_paused  # noqa: E402
from bonemets_quiz.insight.report import class_report  # noqa: E402
from bonemets_quiz.progress.review_log import iso, read_log  # noqa: E402

NOW = START + timedelta(days=3 * 365)


def best(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """The best wall-clock and CPU seconds of ``runs`` runs (the machine may be shared: CPU time
    says what the work costs when it has a core to itself)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def figure(seconds: tuple[float, float]) -> str:
    return f"{seconds[0]:.2f} s wall, {seconds[1]:.2f} s CPU"


def shifted(source: Path, target: Path, seconds: int) -> None:
    """A copy of a log with every review ``seconds`` later: another learner, the same shape."""
    lines = source.read_bytes().split(b"\n")
    out = [lines[0]]
    delta = timedelta(seconds=seconds)
    for line in lines[1:]:
        if line:
            record = orjson.loads(line)
            from datetime import datetime

            record["reviewed_at"] = iso(datetime.fromisoformat(record["reviewed_at"]) + delta)
            out.append(orjson.dumps(record))
    target.write_bytes(b"\n".join(out) + b"\n")


def parse_every_line(logs: list[Path]) -> list[object]:
    return [orjson.loads(x) for p in logs for x in p.read_bytes().split(b"\n") if x]


def run_command(folder: Path, logs: list[Path]) -> None:
    """The command, end to end, in a new process (the logs' folder, the report to a file)."""
    import subprocess

    out = folder / "report.json"
    stamp = NOW.isoformat()
    subprocess.run(
        [sys.executable, "-m", "bonemets_quiz", "report", *map(str, logs), "--json", "-o",
         str(out), "--now", stamp],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def write_class(folder: Path, learners: int, reviews: int, base: int) -> list[Path]:
    sim = simulate(folder / "base", learners=base, reviews=reviews, now=NOW, facts=1000)
    logs = []
    for n in range(learners):
        source = sim.logs[n % base]
        target = folder / f"learner-{n:04d}.jsonl"
        shifted(source, target, n // base)
        logs.append(target)
    return logs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--base", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="Keep the class here; reuse it if there.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        folder = args.folder or Path(tmp)
        logs = sorted(folder.glob("learner-*.jsonl"))
        if len(logs) != args.learners:
            logs = write_class(folder, args.learners, args.reviews, args.base)
        total = sum(p.read_bytes().count(b"\n") - 1 for p in logs)
        print(f"wrote {len(logs)} logs, {total} reviews in {time.perf_counter() - started:.1f} s")
        from bonemets_quiz.bank.loading import load_decks

        decks = load_decks([])
        with gc_paused():  # as class_report reads: a fair floor
            floor = best(args.runs, lambda: parse_every_line(logs))
            strict = best(1, lambda: [read_log(p, NOW) for p in logs])
        report = class_report(logs, decks, now=NOW)
        took = best(args.runs, lambda: class_report(logs, decks, now=NOW))
        dump = best(args.runs, lambda: orjson.dumps(report, option=orjson.OPT_INDENT_2))
        print(f"baseline orjson.loads of every line:  {figure(floor)}")
        print(f"baseline read_log of every log:       {figure(strict)}")
        verdict = "OK" if took[0] < 5 else "TOO SLOW (wall; see CPU on a shared machine)"
        print(
            f"class_report:                         {figure(took)}  ({took[1] / floor[1]:.2f}× "
            f"the orjson floor in CPU; target < 5 s: {verdict})"
        )
        print(f"JSON text of the report:              {figure(dump)}")
        command = best(args.runs, lambda: run_command(folder, logs))
        print(f"`bonemets-quiz report --json -o` run:  {command[0]:.2f} s wall (a new process: "
              "start-up, deck, report, JSON written)")  # fmt: skip
        try:
            from bonemets_quiz.insight.html.page import render_html  # type: ignore[import-not-found]
        except ModuleNotFoundError:
            print("render_html: not available in this build (skipped)")
            return
        html = best(args.runs, lambda: render_html(report))
        print(f"render_html:                          {figure(html)}  (report + html: "
              f"{took[0] + html[0]:.2f} s wall)")  # fmt: skip


if __name__ == "__main__":
    main()
