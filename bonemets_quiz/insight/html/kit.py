"""Small pieces the class report page is built from: escaping, figures, tables, figures' frames.

Every string from a report goes through ``esc``; ids and anchors are made from positions, never from
deck text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from ..shape import ClassReport

FLAG_NAMES = {
    "too-easy": "Too easy",
    "negative-discrimination": "Negative discrimination",
    "unused-distractor": "Distractor nobody picks",
    "synonym-candidate": "Possible synonym",
    "given-away": "Given away",
}


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def pct(value: float) -> str:
    return f"{round(value * 100)}%"


def signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def fewer_than(report: ClassReport) -> str:
    return f"fewer than {report['min_learners']} learners"


def no_data() -> str:
    return '<span class="none">no data</span>'


def cell(text: str, numeric: bool = True) -> str:
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def data_table(
    caption: str, head: Sequence[str], rows: Iterable[str], text: tuple[int, ...] = (0,)
) -> str:
    """A table in a box that scrolls sideways (phones); its caption names it for screen readers."""
    cells = "".join(
        f'<th scope="col"{"" if i in text else " class=num"}>{esc(name)}</th>'
        for i, name in enumerate(head)
    )
    body = "\n".join(rows)
    return (
        f'<div class="scroll" role="region" aria-label="{esc(caption)}" tabindex="0">'
        f"<table><caption>{esc(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def figure(name: str, chart: str, caption: str, extra: str = "") -> str:
    """A chart with its legend and caption; ``#chart-<name>`` scrolls to it."""
    caption = f"<figcaption>{esc(caption)}</figcaption>"
    return f'<figure id="chart-{name}">{chart}{extra}{caption}</figure>'


# --- summary --------------------------------------------------------------------------------------


def row_anchors(report: ClassReport) -> dict[str, str]:
    """Question id → the row's anchor: made from its position, so no deck text goes into an id."""
    return {q["question_id"]: f"q{i}" for i, q in enumerate(report["questions"], start=1)}


def question_link(question_id: str, anchors: dict[str, str]) -> str:
    anchor = anchors.get(question_id)
    name = f'<span class="qid">{esc(question_id)}</span>'
    return f'<a href="#{anchor}">{name}</a>' if anchor else name
