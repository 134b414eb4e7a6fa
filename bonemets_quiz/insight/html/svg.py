"""Small inline SVG charts for the class report: lines over time, a scatter map, bars.

Hand-written rather than a plotting library: three chart types, no import cost, and output that is
the same bytes for the same input (coordinates rounded to one decimal, no ids or timestamps).
Every label is escaped; each chart carries ``role="img"``, an ``aria-label`` and a ``<title>``,
and the page puts a data table next to it. Colours are the Okabe–Ito set (safe for colour-blind
readers) and series also differ by dash, so print in grey still tells them apart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Literal

from ...records import Record

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D31")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
WIDTH = 480
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#222"'

Mark = Literal["ok", "review", "broken"]


class Series(Record):
    name: str
    points: Sequence[tuple[str, float | None]]  # (YYYY-MM-DD, value 0..1 or None)


class Dot(Record):
    label: str  # the point's tooltip
    x: float
    y: float
    mark: Mark


class Bar(Record):
    label: str
    value: float | None  # 0..1; None draws ``note`` instead of a bar
    note: str


class Style(Record):
    colour: str
    dash: str


def series_style(index: int) -> Style:
    """The colour and dash of the ``index``-th series (the legend draws the same)."""
    return Style(COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)])


def _n(value: float) -> str:
    """A coordinate with one decimal and no trailing zero: deterministic and short."""
    text = f"{value:.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _open(height: float, label: str, css_class: str) -> str:
    return (
        f'<svg class="chart {css_class}" viewBox="0 0 {WIDTH} {_n(height)}" role="img" '
        f'aria-label="{escape(label)}" {FONT}><title>{escape(label)}</title>'
    )


def _empty(height: float, label: str, css_class: str, message: str) -> str:
    return (
        _open(height, label, css_class)
        + f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="{_n(height - 1)}" fill="#fafafa" '
        f'stroke="#ccc"/><text x="{WIDTH // 2}" y="{_n(height / 2)}" text-anchor="middle" '
        f'fill="#555">{escape(message)}</text></svg>'
    )


class Frame(Record):
    """The plot area inside the margins, and the data ranges mapped onto it."""

    left: float
    top: float
    right: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def x(self, value: float) -> float:
        low, high = self.x_range
        if high == low:
            return (self.left + self.right) / 2
        share = (min(max(value, low), high) - low) / (high - low)
        return self.left + share * (self.right - self.left)

    def y(self, value: float) -> float:
        low, high = self.y_range
        share = (min(max(value, low), high) - low) / (high - low)
        return self.bottom - share * (self.bottom - self.top)


def _y_grid(frame: Frame, ticks: Sequence[float], text: Callable[[float], str]) -> list[str]:
    out = []
    for tick in ticks:
        y = _n(frame.y(tick))
        out.append(
            f'<line x1="{_n(frame.left)}" x2="{_n(frame.right)}" y1="{y}" y2="{y}" stroke="#ddd"/>'
            f'<text x="{_n(frame.left - 6)}" y="{y}" dy="4" text-anchor="end">{text(tick)}</text>'
        )
    return out


def _share_axis(values: Sequence[float]) -> tuple[float, list[float]]:
    """A 0..1 axis starting at the quarter below the lowest value, so lines that all sit near
    100% stay apart; its ticks every 5, 10 or 25 points."""
    low = min(max(0.0, math.floor(min(min(values), 1.0) * 4) / 4), 0.75)
    step = {0.75: 0.05, 0.5: 0.1}.get(low, 0.25)
    return low, [low + i * step for i in range(round((1 - low) / step) + 1)]


def _day_positions(days: Sequence[str]) -> list[float]:
    """Days as numbers for the x axis: real spacing when they are dates, else evenly spaced."""
    try:
        return [float(dt.date.fromisoformat(day).toordinal()) for day in days]
    except ValueError:
        return [float(index) for index in range(len(days))]


def _x_ticks(xs: Sequence[float], gap: float = 125) -> list[int]:
    """Which days get a label: the first, the last, and between them any ``gap`` px from both."""
    chosen = [0]
    for index in range(1, len(xs)):
        last = index == len(xs) - 1
        if xs[index] - xs[chosen[-1]] >= gap and (last or xs[-1] - xs[index] >= gap):
            chosen.append(index)
    return chosen


def _first(point: tuple[float, float | None]) -> float:
    return point[0]


def _runs(points: Sequence[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Consecutive points with a value: a gap (None) breaks the line instead of bridging it."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, value in points:
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, value))
    return [run for run in runs if run]


def line_chart(series: Sequence[Series], label: str, css_class: str = "lines") -> str:
    """Values 0..1 over days, one line per series; a lone point is drawn as a dot."""
    height = 260.0
    if all(value is None for one in series for _, value in one.points):
        return _empty(height, label, css_class, "No reviews to plot yet")
    days = sorted({day for one in series for day, _ in one.points})
    where = dict(zip(days, _day_positions(days), strict=True))
    low, ticks_y = _share_axis([v for one in series for _, v in one.points if v is not None])
    frame = Frame(46, 12, WIDTH - 14, height - 34, (where[days[0]], where[days[-1]]), (low, 1))
    out = [_open(height, label, css_class)]
    out += _y_grid(frame, ticks_y, _pct)
    ticks = _x_ticks([frame.x(where[day]) for day in days])
    for position, index in enumerate(ticks):
        anchor = "middle"
        if len(ticks) > 1 and position in (0, len(ticks) - 1):
            anchor = "start" if position == 0 else "end"
        x = _n(frame.x(where[days[index]]))
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{_n(frame.bottom)}" y2="{_n(frame.bottom + 4)}" '
            f'stroke="#888"/><text x="{x}" y="{_n(frame.bottom + 18)}" '
            f'text-anchor="{anchor}">{escape(days[index])}</text>'
        )
    for index, one in enumerate(series):
        colour, dash = series_style(index)
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        placed = sorted(((where[day], value) for day, value in one.points), key=_first)
        out.append(f"<g><title>{escape(one.name)}</title>")
        for run in _runs(placed):
            coords = " ".join(f"{_n(frame.x(x))},{_n(frame.y(y))}" for x, y in run)
            if len(run) > 1:
                out.append(
                    f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dashed} stroke-linejoin="round"/>'
                )
            if len(run) == 1 or len(placed) <= 40:
                out.extend(
                    f'<circle cx="{_n(frame.x(x))}" cy="{_n(frame.y(y))}" r="3.5" fill="{colour}"/>'
                    for x, y in run
                )
        out.append("</g>")
    out.append(_axes(frame))
    return "".join(out) + "</svg>"


def _axes(frame: Frame) -> str:
    left, bottom = _n(frame.left), _n(frame.bottom)
    return (
        f'<path d="M{left},{_n(frame.top)}V{bottom}H{_n(frame.right)}" fill="none" stroke="#555"/>'
    )


def _dot(dot: Dot, frame: Frame) -> str:
    x, y = frame.x(dot.x), frame.y(dot.y)
    tip = f"<title>{escape(dot.label)}</title>"
    if dot.mark == "broken":
        size = 7
        return (
            f'<path class="broken" d="M{_n(x)},{_n(y - size)}L{_n(x + size)},{_n(y)}'
            f'L{_n(x)},{_n(y + size)}L{_n(x - size)},{_n(y)}Z" fill="#D55E00" '
            f'stroke="#000" stroke-width="1.2">{tip}</path>'
        )
    if dot.mark == "review":
        return (
            f'<circle class="review" cx="{_n(x)}" cy="{_n(y)}" r="5" fill="#fff" '
            f'stroke="#B86E00" stroke-width="2.2">{tip}</circle>'
        )
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="#0072B2" fill-opacity="0.7">{tip}</circle>'
    )


def scatter_map(dots: Sequence[Dot], label: str, css_class: str = "map") -> str:
    """Facility (x, 0..1) against discrimination (y, -1..1); flagged dots drawn on top."""
    height = 320.0
    if not dots:
        return _empty(height, label, css_class, "No question has enough learners to place")
    frame = Frame(50, 12, WIDTH - 14, height - 42, (0, 1), (-1, 1))
    out = [_open(height, label, css_class)]
    zero = frame.y(0)
    out.append(
        f'<rect x="{_n(frame.left)}" y="{_n(zero)}" width="{_n(frame.right - frame.left)}" '
        f'height="{_n(frame.bottom - zero)}" fill="#fdeeee"/>'
    )
    out += _y_grid(frame, (-1, -0.5, 0, 0.5, 1), lambda tick: _n(tick).replace("-", "−"))
    for tick in (0, 0.25, 0.5, 0.75, 1):
        x = _n(frame.x(tick))
        out.append(
            f'<text x="{x}" y="{_n(frame.bottom + 16)}" text-anchor="middle">{_pct(tick)}</text>'
        )
    out.append(
        f'<text x="{_n((frame.left + frame.right) / 2)}" y="{_n(height - 6)}" '
        'text-anchor="middle">Facility: right at the first try</text>'
        f'<text transform="translate(12,{_n((frame.top + frame.bottom) / 2)}) rotate(-90)" '
        'text-anchor="middle">Discrimination</text>'
        f'<text x="{_n(frame.right - 4)}" y="{_n(frame.bottom - 6)}" text-anchor="end" '
        'fill="#8a1c1c">strong learners miss more</text>'
    )
    order: dict[Mark, int] = {"ok": 0, "review": 1, "broken": 2}
    out.extend(_dot(dot, frame) for dot in sorted(dots, key=lambda dot: order[dot.mark]))
    out.append(_axes(frame))
    return "".join(out) + "</svg>"


def bar_chart(bars: Sequence[Bar], label: str, css_class: str = "bars") -> str:
    """Horizontal bars of a 0..1 value, one row per label; a bar without a value shows its note."""
    row, top = 30, 8
    height = float(top + max(len(bars), 1) * row + 26)
    if not bars:
        return _empty(80, label, css_class, "No topics")
    frame = Frame(150, top, WIDTH - 48, height - 26, (0, 1), (0, 1))
    out = [_open(height, label, css_class)]
    for tick in (0, 0.5, 1):
        x = _n(frame.x(tick))
        out.append(
            f'<line x1="{x}" x2="{x}" y1="{top}" y2="{_n(frame.bottom)}" stroke="#ddd"/>'
            f'<text x="{x}" y="{_n(frame.bottom + 18)}" text-anchor="middle">{_pct(tick)}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        middle = _n(y + row / 2)
        out.append(
            f'<g><title>{escape(bar.label)}</title><text x="{_n(frame.left - 8)}" y="{middle}" '
            f'dy="4" text-anchor="end">{escape(_clip(bar.label, 22))}</text>'
        )
        if bar.value is None:
            out.append(
                f'<text x="{_n(frame.left + 6)}" y="{middle}" dy="4" fill="#555" '
                f'font-style="italic">{escape(bar.note)}</text></g>'
            )
            continue
        end = frame.x(bar.value)
        out.append(
            f'<rect x="{_n(frame.left)}" y="{_n(y + 6)}" width="{_n(end - frame.left)}" '
            f'height="{row - 12}" fill="{COLOURS[0]}"/><text x="{_n(end + 5)}" y="{middle}" '
            f'dy="4">{_pct(bar.value)}</text></g>'
        )
    out.append(_axes(frame))
    return "".join(out) + "</svg>"
