"""The class report's chart sections: recall by topic, retention over time, the question map.

Each chart comes with a data table; a figure resting on too few learners is never drawn, even if
the report carries it.
"""

from __future__ import annotations

from ...wording import plural
from ..shape import ClassReport, QuestionStats, RetentionPoint, TopicRetention
from . import svg
from .kit import (
    cell,
    data_table,
    esc,
    fewer_than,
    figure,
    no_data,
    pct,
    question_link,
    row_anchors,
    signed,
)


def topics_section(report: ClassReport) -> str:
    topics = report["topics"]
    bars = [
        svg.Bar(
            t["topic"],
            None if t["hidden"] else t["recall"],
            fewer_than(report) if t["hidden"] else "no data",
        )
        for t in topics
    ]
    chart = svg.bar_chart(
        bars, f"Bar chart: share of the class recalling each topic today, {len(topics)} topics"
    )
    rows = (
        f"<tr><th scope=row>{esc(t['topic'])}</th>{cell(str(t['facts']))}"
        f"{cell(str(t['learners']))}{cell(recall_text(report, t['recall'], t['hidden']))}</tr>"
        for t in topics
    )
    table = data_table("Recall by topic", ("Topic", "Facts", "Learners", "Recall today"), rows)
    return (
        '<section id="topics" aria-labelledby="topics-h"><h2 id="topics-h">Recall by topic</h2>'
        + figure("topics", chart, "Mean FSRS retrievability today across the class, per topic.")
        + table
        + "</section>"
    )


def recall_text(report: ClassReport, value: float | None, hidden: bool) -> str:
    if hidden:
        return f'<span class="hidden">{fewer_than(report)}</span>'
    return no_data() if value is None else pct(value)


# --- retention over time --------------------------------------------------------------------------


def _swatch(style: svg.Style) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    return (
        '<svg width="30" height="10" aria-hidden="true"><line x1="1" y1="5" x2="29" y2="5" '
        f'stroke="{style.colour}" stroke-width="3"{dash}/></svg>'
    )


def _shown(report: ClassReport, point: RetentionPoint) -> float | None:
    """A day's recall, unless it rests on too few learners (hidden even if the figure came)."""
    return None if point["learners"] < report["min_learners"] else point["recall"]


def _retention_table(report: ClassReport, series: list[TopicRetention]) -> str:
    days = sorted({p["day"] for one in series for p in one["points"]})
    by_day = [{p["day"]: p for p in one["points"]} for one in series]
    rows = []
    for day in days:
        cells = []
        for points in by_day:
            point = points.get(day)
            recall = None if point is None else _shown(report, point)
            if point is not None and recall is not None:
                cells.append(cell(f"{pct(recall)} ({point['learners']})"))
            else:
                few = point is not None and point["learners"] < report["min_learners"]
                cells.append(
                    cell(f'<span class="hidden">{fewer_than(report)}</span>' if few else "—")
                )
        rows.append(f"<tr><th scope=row>{esc(day)}</th>{''.join(cells)}</tr>")
    head = ["Day", *(one["topic"] for one in series)]
    return data_table("Recall by topic and day (learners)", head, rows)


def retention_section(report: ClassReport) -> str:
    series = report["retention_over_time"]
    chart = svg.line_chart(
        [
            svg.Series(one["topic"], [(p["day"], _shown(report, p)) for p in one["points"]])
            for one in series
        ],
        f"Line chart: share of the class recalling each topic over time, {len(series)} topics",
    )
    legend = "".join(
        f"<li>{_swatch(svg.series_style(i))}{esc(one['topic'])}</li>"
        for i, one in enumerate(series)
    )
    extra = f'<ul class="legend">{legend}</ul>' if legend else ""
    return (
        '<section id="retention" aria-labelledby="retention-h">'
        '<h2 id="retention-h">Retention by topic over time</h2>'
        + figure("retention", chart, "Mean retrievability per topic and day.", extra)
        + "<details><summary>Data table</summary>"
        + _retention_table(report, series)
        + "</details></section>"
    )


# --- question map ---------------------------------------------------------------------------------


def _marks(report: ClassReport) -> dict[str, svg.Mark]:
    """A question's worst flag: broken beats review; information flags leave it unmarked."""
    marks: dict[str, svg.Mark] = {}
    for flag in report["flags"]:
        if flag["severity"] == "broken":
            marks[flag["question_id"]] = "broken"
        elif flag["severity"] == "review":
            marks.setdefault(flag["question_id"], "review")
    return marks


def _placed(report: ClassReport) -> list[QuestionStats]:
    return [
        q
        for q in report["questions"]
        if not q["hidden"] and q["facility"] is not None and q["discrimination"] is not None
    ]


def _map_legend() -> str:
    dots = (
        ('<circle cx="7" cy="7" r="4" fill="#0072B2" fill-opacity="0.7"/>', "no flag"),
        ('<circle cx="7" cy="7" r="5" fill="#fff" stroke="#B86E00" stroke-width="2.2"/>',
         "worth a look"),
        ('<path d="M7,1L13,7L7,13L1,7Z" fill="#D55E00" stroke="#000"/>', "broken"),
    )  # fmt: skip
    items = "".join(
        f'<li><svg width="14" height="14" aria-hidden="true">{shape}</svg>{name}</li>'
        for shape, name in dots
    )
    return f'<ul class="legend">{items}</ul>'


def map_section(report: ClassReport) -> str:
    marks, anchors, placed = _marks(report), row_anchors(report), _placed(report)
    dots = [
        svg.Dot(
            f"{q['question_id']}: facility {pct(q['facility'] or 0.0)}, discrimination "
            f"{signed(q['discrimination'] or 0.0)}",
            q["facility"] or 0.0,
            q["discrimination"] or 0.0,
            marks.get(q["question_id"], "ok"),
        )
        for q in placed
    ]
    broken = sum(dot.mark == "broken" for dot in dots)
    chart = svg.scatter_map(
        dots,
        f"Question map: facility against discrimination for {len(dots)} questions, "
        f"{broken} flagged broken",
    )
    rows = (
        f"<tr><th scope=row>{question_link(q['question_id'], anchors)}</th>"
        f"{cell(pct(q['facility'] or 0.0))}{cell(signed(q['discrimination'] or 0.0))}"
        f"<td>{marks.get(q['question_id'], '')}</td></tr>"
        for q in placed
    )
    left_out = len(report["questions"]) - len(placed)
    note = (
        f'<p class="note">{plural(left_out, "question")} not placed: '
        f"{fewer_than(report)} or no figures yet.</p>"
        if left_out
        else ""
    )
    head = ("Question", "Facility", "Discrimination", "Flag")
    table = data_table("Question map data", head, rows, (0, 3))
    return (
        '<section id="map" aria-labelledby="map-h"><h2 id="map-h">Question map</h2>'
        '<p class="note">Good questions sit high (strong learners get them right, weak ones '
        "do not) and away from the right edge (not everyone gets them at once). Below the line, "
        "strong learners miss a question more often than weak ones: check its key and stem.</p>"
        + figure("map", chart, "One mark per question.", _map_legend())
        + note
        + f"<details><summary>Data table</summary>{table}</details></section>"
    )


# --- per question ---------------------------------------------------------------------------------
