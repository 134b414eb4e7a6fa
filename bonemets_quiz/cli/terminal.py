"""Terminal helpers for the CLI: line prompts, wrapping, intervals in words, bar charts.

Prompts read one line from standard input, so piped answers work one per prompt; end of input
raises ``EOFError``. Nothing here reads the clock.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TextIO

import click

from ..study.scheduling import study_day
from ..wording import noun
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
    """Each paragraph of ``text`` wrapped to the terminal width (in columns: see ``cells``)."""
    follow = indent if hanging is None else hanging
    size = width()
    return "\n".join(_fill(line, size, indent, follow) for line in text.splitlines() or [""])


def _fill(line: str, size: int, indent: str, follow: str) -> str:
    if not (line + indent + follow).isascii():
        return _fill_cells(line, size, indent, follow)
    plain = _fill_plain(line, size, indent, follow)
    if plain is not None:
        return plain
    import textwrap  # (0.6 ms: not for the usual line, on the path to the first question)

    filled = textwrap.fill(
        line,
        size,
        initial_indent=indent,
        subsequent_indent=follow,
        break_on_hyphens=False,  # a path that fits on a line stays whole, for copying
    )
    return filled or indent


def _fill_plain(line: str, size: int, indent: str, follow: str) -> str | None:
    """``textwrap.fill``'s lines for the usual line (words between single spaces, none longer
    than a line), or None for any other: where textwrap's rules for runs of spaces, tabs and
    long words apply, textwrap itself is used."""
    if not line:
        return indent
    words = line.split(" ")
    room = size - max(len(indent), len(follow))
    if not line.isprintable() or "" in words or max(map(len, words)) > room:
        return None
    lines, current = [], indent + words[0]
    for word in words[1:]:
        if len(current) + 1 + len(word) <= size:
            current += " " + word
        else:
            lines.append(current)
            current = follow + word
    lines.append(current)
    return "\n".join(lines)


def cells(text: str) -> int:
    """How many terminal columns ``text`` takes: East Asian wide and fullwidth characters (CJK,
    most emoji) two, combining and format characters none, others one; a character made an
    emoji by VS16 (``❤️``) two."""
    if text.isascii():
        return len(text)
    # unicodedata (stdlib, ~0.3 ms to import) rather than wcwidth (~30 ms): this is on the path
    # to the first question. Emoji joined by ZWJ are counted by their parts: too wide, never
    # too narrow, so a line may end a little early but never overflows.
    import unicodedata

    total, last = 0, 0
    for char in text:
        if char == "\ufe0f" and last == 1:
            total, last = total + 1, 2
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        else:
            last = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
            total += last
    return total


def _fill_cells(line: str, size: int, indent: str, follow: str) -> str:
    """Greedy wrapping by display width, keeping spacing as ``textwrap`` does (a paragraph's
    leading space stays, spaces at a break go). Words wider than a line, and runs of wide
    (CJK) characters, which need no spaces to break, are broken between characters."""
    if line.isspace():
        return indent
    out: list[str] = []
    current, used, gap = indent, cells(indent), ""
    empty = True  # nothing on the current line yet
    for token in re.findall(r"\s+|\S+", line.expandtabs()):
        if token.isspace():
            if empty and not out:  # the paragraph's own leading space is kept
                current, used = current + " " * len(token), used + len(token)
            elif not empty:  # (space at the start of a wrapped line is dropped)
                gap = " " * len(token)
            continue
        word = token
        while word:
            need = cells(word)
            if used + len(gap) + need <= size:
                current, used, empty = current + gap + word, used + len(gap) + need, False
                break
            if need > size - cells(follow) or need > len(word):  # may break inside the word
                head, word = _cut(word, size - used - len(gap), force=empty)
                if head:
                    current, used = current + gap + head, used + len(gap) + cells(head)
            out.append(current)
            current, used, gap, empty = follow, cells(follow), "", True
        gap = ""
    out.append(current)
    return "\n".join(out)


def _cut(word: str, room: int, force: bool) -> tuple[str, str]:
    """The longest head of ``word`` taking at most ``room`` columns (one character at least when
    ``force``: a line too narrow for it must still make progress), and the rest."""
    used = 0
    for n, char in enumerate(word):
        used += cells(char)
        if used > room:
            return (word[: max(n, 1)], word[max(n, 1) :]) if force else (word[:n], word[n:])
    return word, ""


def read_line(
    prompt: str, stream: TextIO | None = None, shown: Callable[[], None] | None = None
) -> str:
    """Show ``prompt`` and read one line (without its newline); EOFError at end of input.

    ``shown`` is called once the prompt is out, before waiting for the line. Off a terminal the
    line is echoed (made safe by ``clean``), so a transcript reads naturally.
    """
    source = stream or sys.stdin
    click.echo(prompt, nl=False)
    if shown is not None:
        shown()
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


# The one rounding rule for every interval on screen: in the largest unit it reaches, to one
# decimal (".0" dropped). The exact due date is shown beside it when it falls on another day.
_UNITS = (
    (365 * 86400, "year", "years"),
    (86400, "day", "days"),
    (3600, "h", "h"),
    (60, "min", "min"),
)


def duration(delta: timedelta) -> str:
    """An interval in words: ``45 s``, ``5.5 min``, ``1 h``, ``9 days``, ``1.3 years``."""
    seconds = max(delta.total_seconds(), 0.0)
    for size, one, many in _UNITS:
        if seconds >= size:
            value = round(seconds / size, 1)
            return f"{value:g} {noun(value, one, many)}"
    return f"{round(seconds)} s"


def comes_back(due: datetime, now: datetime, zone: tzinfo, day_start_hour: int) -> str:
    """When a question comes back: ``in 10 min``, ``in 1 day (tomorrow)``,
    ``in 3 days (Wed 1 Apr 2026)``; for an answer, ``now`` is the time it was saved."""
    days = (study_day(due, zone, day_start_hour) - study_day(now, zone, day_start_hour)).days
    interval = f"in {duration(due - now)}"
    if days <= 0:
        return interval
    if days == 1:
        return f"{interval} (tomorrow)"
    local = due.astimezone(zone)
    return f"{interval} ({local:%a} {local.day} {local:%b %Y})"
