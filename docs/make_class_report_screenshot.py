"""Make ``docs/class-report.png``: the HTML class report of the simulated class
(``tests/class_sim.py``: 60 learners, the built-in deck with one wrong key), as headless Chromium
shows it.

    python docs/make_class_report_screenshot.py [--out docs/class-report.png] [--chromium chromium]

Needs Chromium (or Chrome: ``--chromium google-chrome``); the PNG is about 170 KB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from class_sim import NOW, simulate  # noqa: E402

from bonemets_quiz import class_report  # noqa: E402
from bonemets_quiz.insight.html.page import render_html  # noqa: E402

WINDOW = "1100,1500"


def screenshot(page: Path, out: Path, chromium: str) -> None:
    """Chromium's screenshot of ``page`` at ``WINDOW`` into ``out``."""
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--window-size={WINDOW}", f"--screenshot={out}", page.as_uri()],
        check=True, capture_output=True,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "class-report.png")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sim = simulate(Path(folder) / "class")
        page = Path(folder) / "class.html"
        page.write_text(render_html(class_report(sim.logs, sim.decks, now=NOW)), "utf-8")
        screenshot(page, args.out.resolve(), args.chromium)
    print(f"Wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
