"""Terminal helpers for the CLI: line prompts, wrapping, intervals in words, bar charts.

Prompts read one line from standard input, so piped answers work one per prompt; end of input
raises ``EOFError``. Nothing here reads the clock.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TextIO

import click

from ..scheduling import study_day
from .common import safe_text

MAX_WIDTH = 100
_EIGHTHS = " ▏▎▍▌▋▊▉█"
_COLUMNS = " ▁▂▃▄▅▆▇█"


def width() -> int:
    """The terminal width for wrapping (``COLUMNS`` wins; 80 off a terminal), at most 100."""
    text = os.environ.get("COLUMNS", "")
    columns = int(text) if text.isdigit() else 0
    if columns <= 0:
        try:  # like shutil.get_terminal_size, without importing shutil (bz2, lzma…)
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(20, min((columns or 80) - 1, MAX_WIDTH))


def wrap(text: str, indent: str = "", hanging: str | None = None) -> str:
    """Each paragraph of ``text`` wrapped to the terminal width."""
    follow = indent if hanging is None else hanging
    lines = [
        textwrap.fill(
            line,
            width(),
            initial_indent=indent,
            subsequent_indent=follow,
            break_on_hyphens=False,  # a path that fits on a line stays whole, for copying
        )
        or indent
        for line in text.splitlines() or [""]
    ]
    return "\n".join(lines)


def read_line(prompt: str, stream: TextIO | None = None) -> str:
    """Show ``prompt`` and read one line (without its newline); EOFError at end of input.

    Off a terminal the line is echoed (made safe by ``clean``), so a transcript reads naturally.
    """
    source = stream or sys.stdin
    click.echo(prompt, nl=False)
    line = source.readline()
    if not line:
        click.echo()
        raise EOFError
    line = line.rstrip("\r\n")
    if not _isatty(source):
        click.echo(clean(line))
    return line


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def clean(text: str) -> str:
    """Text fit for the terminal (escape sequences and control characters removed)."""
    return safe_text(text)


def unicode_ok(stream: TextIO | None = None) -> bool:
    encoding = getattr(stream or sys.stdout, "encoding", None) or "ascii"
    try:
        "█▁✓".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def bar_chart(rows: Sequence[tuple[str, int]], size: int, fancy: bool = True) -> list[str]:
    """Horizontal bars, one row per (label, value), scaled to ``size`` columns."""
    top = max((value for _, value in rows), default=0)
    label_width = max((len(label) for label, _ in rows), default=0)
    digits = len(str(top))
    room = max(size - label_width - digits - 3, 1)
    lines = []
    for label, value in rows:
        length = value * room / top if top else 0.0
        if fancy:
            full, part = divmod(round(length * 8), 8)
            bar = "█" * full + (_EIGHTHS[part] if part else "")
        else:
            bar = "#" * round(length)
        lines.append(f"{label:<{label_width}} {value:>{digits}} {bar}".rstrip())
    return lines


def column_chart(values: Sequence[int], height: int, fancy: bool = True) -> list[str]:
    """Vertical bars, one column per value, ``height`` rows tall (top row first)."""
    top = max(values, default=0)
    steps = 8 if fancy else 1
    levels = [round(v * height * steps / top) if top else 0 for v in values]
    levels = [max(level, 1) if v else 0 for level, v in zip(levels, values, strict=True)]
    rows = []
    for row in range(height - 1, -1, -1):
        cells = []
        for level in levels:
            fill = min(max(level - row * steps, 0), steps)
            cells.append(_COLUMNS[fill] if fancy else " #"[fill])
        rows.append("".join(cells).rstrip())
    baseline = "".join("▔" if fancy else "-" for _ in values)
    return [*rows, baseline]


def duration(delta: timedelta) -> str:
    """A short duration: ``1 min``, ``3 h``, ``4 days``, ``2.5 months``, ``1.2 years``."""
    seconds = max(delta.total_seconds(), 0)
    if seconds < 60 * 59.5:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400 * 0.98:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 30:
        count = round(days)
        return "1 day" if count == 1 else f"{count} days"
    if days < 365:
        return f"{days / 30.4:.1f} months".replace(".0 ", " ")
    return f"{days / 365:.1f} years".replace(".0 ", " ")


def comes_back(due: datetime, now: datetime, zone: tzinfo, day_start_hour: int) -> str:
    """When a question comes back: ``in 10 min``, ``tomorrow``, ``in 3 days (Wed 1 Apr 2026)``."""
    days = (study_day(due, zone, day_start_hour) - study_day(now, zone, day_start_hour)).days
    if days <= 0:
        return f"in {duration(due - now)}"
    if days == 1:
        return "tomorrow"
    local = due.astimezone(zone)
    return f"in {days} days ({local:%a} {local.day} {local:%b %Y})"
