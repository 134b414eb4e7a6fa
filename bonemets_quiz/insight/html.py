"""A class report as one self-contained HTML page: opens offline, on a phone, and prints.

Every string in the report (deck text, typed answers, learner names, topic and question ids) is
untrusted and escaped. The page loads nothing: CSS is inline, charts are inline SVG, there is no
script, and a Content-Security-Policy forbids fetching anything but inline styles and data: images.
Figures resting on too few learners arrive as ``None`` with ``hidden``; they read "fewer than N
learners" here. Each chart has a data table next to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from . import svg
from .shape import ClassReport, Flag, QuestionStats, RetentionPoint, Spread, TopicRetention

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SEVERITIES = (
    ("broken", "Broken: wrong as written"),
    ("review", "Worth a look"),
    ("info", "For information"),
)
FLAG_NAMES = {
    "too-easy": "Too easy",
    "negative-discrimination": "Negative discrimination",
    "unused-distractor": "Distractor nobody picks",
    "synonym-candidate": "Possible synonym",
    "given-away": "Given away",
}
FORGOTTEN = 10  # facts listed under "most forgotten"

CSS = """
* { box-sizing: border-box; }
html { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
  background: #fff; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: .3rem 0; }
h2 { font-size: 1.3rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
a { color: #0a55a0; }
.meta, .note { color: #444; font-size: .92rem; margin: .3rem 0; }
nav ul { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: .6rem 0; padding: 0;
  list-style: none; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
  gap: .6rem; margin: 0; }
.counts div { border: 1px solid #d6d6d6; border-radius: 6px; padding: .5rem .7rem; }
.counts dt { font-size: .85rem; color: #444; }
.counts dd { margin: 0; font-size: 1.3rem; font-weight: 600; overflow-wrap: anywhere; }
.counts dd small { display: block; font-size: .8rem; font-weight: normal; color: #444; }
figure { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
svg.chart { display: block; width: 100%; max-width: 42rem; height: auto; }
figcaption { font-size: .9rem; color: #333; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; margin: .4rem 0; padding: 0;
  list-style: none; font-size: .9rem; }
.legend svg { vertical-align: middle; margin-right: .3rem; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; margin: .4rem 0; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid #e2e2e2; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
thead th { background: #f3f3f3; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.num.spread { white-space: normal; min-width: 5.5rem; }
.prompt { min-width: 14rem; max-width: 30rem; }
.qid { display: block; font: .8rem ui-monospace, "DejaVu Sans Mono", monospace; color: #444; }
.hidden, .none { color: #555; font-style: italic; }
ul.options, ul.wrong { margin: 0; padding-left: 1.1rem; min-width: 12rem; }
.key { font-weight: 600; }
.nowrap { white-space: nowrap; }
.flags { padding-left: 1.2rem; }
.flags li { margin: .5rem 0; }
.sev { border-left: 4px solid #999; padding-left: .7rem; margin: .8rem 0; }
.sev-broken { border-color: #D55E00; }
.sev-review { border-color: #E69F00; }
.sev-info { border-color: #56B4E9; }
.badge { display: inline-block; font-size: .75rem; padding: 0 .35rem; border-radius: 3px;
  background: #eee; margin: .1rem .2rem 0 0; }
.badge-broken { background: #D55E00; color: #fff; }
.badge-review { background: #fbe3b5; }
details { margin: .4rem 0; }
summary { cursor: pointer; color: #0a55a0; }
footer { margin: 2.5rem 0 1rem; color: #555; font-size: .85rem; }
@media (max-width: 40rem) { html { font-size: 14px; } body { padding: .6rem; } }
@media print {
  html { font-size: 9.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
  table { width: 100%; }
  .prompt { min-width: 11rem; }
  ul.options, ul.wrong { min-width: 8rem; }
  #map details { display: none; }  /* the same figures print in the question table */
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  summary { color: inherit; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pct(value: float) -> str:
    return f"{round(value * 100)}%"


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "−")


def _few(report: ClassReport) -> str:
    return f"fewer than {report['min_learners']} learners"


def _none() -> str:
    return '<span class="none">no data</span>'


def _cell(text: str, numeric: bool = True) -> str:
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def _table(
    caption: str, head: Sequence[str], rows: Iterable[str], text: tuple[int, ...] = (0,)
) -> str:
    """A table in a box that scrolls sideways (phones); its caption names it for screen readers."""
    cells = "".join(
        f'<th scope="col"{"" if i in text else " class=num"}>{_e(name)}</th>'
        for i, name in enumerate(head)
    )
    body = "\n".join(rows)
    return (
        f'<div class="scroll" role="region" aria-label="{_e(caption)}" tabindex="0">'
        f"<table><caption>{_e(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def _figure(name: str, chart: str, caption: str, extra: str = "") -> str:
    """A chart with its legend and caption; ``#chart-<name>`` scrolls to it."""
    caption = f"<figcaption>{_e(caption)}</figcaption>"
    return f'<figure id="chart-{name}">{chart}{extra}{caption}</figure>'


# --- summary --------------------------------------------------------------------------------------


def _count(label: str, value: object, note: str = "") -> str:
    small = f"<small>{note}</small>" if note else ""
    return f"<div><dt>{_e(label)}</dt><dd>{_e(value)}{small}</dd></div>"


def _summary(report: ClassReport) -> str:
    counts = report["counts"]
    duplicates = counts["duplicate_logs"]
    names = ", ".join(_e(name) for name in duplicates)
    boxes = [
        _count("Learners", counts["learners"], f"from {counts['logs']} log files"),
        _count("Reviews used", counts["reviews"]),
        _count("Duplicate logs", len(duplicates), names and f"counted once: {names}"),
        _count("Other decks' reviews", counts["other_deck_reviews"], "ignored"),
        _count("Retired questions' reviews", counts["retired_reviews"], "ignored"),
        _count("Renamed questions' reviews", counts["renamed_reviews"], "counted under the new id"),
        _count("Minimum learners", report["min_learners"], "per figure; fewer are hidden"),
        _count("Questions", len(report["questions"])),
    ]
    answers = "shown" if report["show_answers"] else "not shown (counts only)"
    return (
        '<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        f'<dl class="counts">{"".join(boxes)}</dl>'
        f'<p class="meta">Decks: {_e(", ".join(report["decks"]) or "none")} · recall computed for '
        f"{_e(report['today'])} · typed answers {answers}.</p></section>"
    )


# --- flags ----------------------------------------------------------------------------------------


def _anchors(report: ClassReport) -> dict[str, str]:
    """Question id → the row's anchor: made from its position, so no deck text goes into an id."""
    return {q["question_id"]: f"q{i}" for i, q in enumerate(report["questions"], start=1)}


def _question_link(question_id: str, anchors: dict[str, str]) -> str:
    anchor = anchors.get(question_id)
    name = f'<span class="qid">{_e(question_id)}</span>'
    return f'<a href="#{anchor}">{name}</a>' if anchor else name


def _flag_item(flag: Flag, prompts: dict[str, str], anchors: dict[str, str]) -> str:
    name = FLAG_NAMES.get(flag["kind"], flag["kind"])
    option = flag["option"]
    about = f" <em>Answer:</em> “{_e(option)}”." if option is not None else ""
    prompt = prompts.get(flag["question_id"], "")
    said = f'<div class="note">{_e(prompt)}</div>' if prompt else ""
    return (
        f"<li>{_question_link(flag['question_id'], anchors)}<strong>{_e(name)}</strong>: "
        f"{_e(flag['reason'])}{about}{said}</li>"
    )


def _flags(report: ClassReport) -> str:
    flags = report["flags"]
    head = '<section id="flags" aria-labelledby="flags-h"><h2 id="flags-h">Flags</h2>'
    if not flags:
        return head + '<p class="note">No question is flagged.</p></section>'
    prompts = {q["question_id"]: q["prompt"] for q in report["questions"]}
    anchors = _anchors(report)
    out = [head]
    for severity, title in SEVERITIES:
        group = [flag for flag in flags if flag["severity"] == severity]
        if group:
            items = "\n".join(_flag_item(flag, prompts, anchors) for flag in group)
            out.append(
                f'<div class="sev sev-{severity}"><h3>{_e(title)} ({len(group)})</h3>'
                f'<ul class="flags">{items}</ul></div>'
            )
    return "".join(out) + "</section>"


# --- topics and facts -----------------------------------------------------------------------------


def _topics(report: ClassReport) -> str:
    topics = report["topics"]
    bars = [
        svg.Bar(
            t["topic"],
            None if t["hidden"] else t["recall"],
            _few(report) if t["hidden"] else "no data",
        )
        for t in topics
    ]
    chart = svg.bar_chart(
        bars, f"Bar chart: share of the class recalling each topic today, {len(topics)} topics"
    )
    rows = (
        f"<tr><th scope=row>{_e(t['topic'])}</th>{_cell(str(t['facts']))}"
        f"{_cell(str(t['learners']))}{_cell(_recall(report, t['recall'], t['hidden']))}</tr>"
        for t in topics
    )
    table = _table("Recall by topic", ("Topic", "Facts", "Learners", "Recall today"), rows)
    return (
        '<section id="topics" aria-labelledby="topics-h"><h2 id="topics-h">Recall by topic</h2>'
        + _figure("topics", chart, "Mean FSRS retrievability today across the class, per topic.")
        + table
        + "</section>"
    )


def _recall(report: ClassReport, value: float | None, hidden: bool) -> str:
    if hidden:
        return f'<span class="hidden">{_few(report)}</span>'
    return _none() if value is None else _pct(value)


def _forgotten(report: ClassReport) -> str:
    shown = sorted(
        (f for f in report["facts"] if f["recall"] is not None and not f["hidden"]),
        key=lambda f: (f["recall"], f["fact_id"]),
    )[:FORGOTTEN]
    hidden = sum(f["hidden"] for f in report["facts"])
    rows = (
        f"<tr><th scope=row>{_e(f['fact_id'])}</th><td>{_e(f['topic'])}</td>"
        f"{_cell(_pct(f['recall'] or 0.0))}{_cell(str(f['learners']))}</tr>"
        for f in shown
    )
    note = (
        f'<p class="note">{hidden} fact{" rests" if hidden == 1 else "s rest"} on '
        f"{_few(report)} and {'is' if hidden == 1 else 'are'} not ranked.</p>"
        if hidden
        else ""
    )
    body = (
        _table("Facts most forgotten", ("Fact", "Topic", "Recall today", "Learners"), rows, (0, 1))
        if shown
        else '<p class="note">No fact has enough learners to rank.</p>'
    )
    return (
        '<section id="forgotten" aria-labelledby="forgotten-h">'
        '<h2 id="forgotten-h">Facts most forgotten</h2>' + body + note + "</section>"
    )


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
                cells.append(_cell(f"{_pct(recall)} ({point['learners']})"))
            else:
                few = point is not None and point["learners"] < report["min_learners"]
                cells.append(_cell(f'<span class="hidden">{_few(report)}</span>' if few else "—"))
        rows.append(f"<tr><th scope=row>{_e(day)}</th>{''.join(cells)}</tr>")
    head = ["Day", *(one["topic"] for one in series)]
    return _table("Recall by topic and day (learners)", head, rows)


def _retention(report: ClassReport) -> str:
    series = report["retention_over_time"]
    chart = svg.line_chart(
        [
            svg.Series(one["topic"], [(p["day"], _shown(report, p)) for p in one["points"]])
            for one in series
        ],
        f"Line chart: share of the class recalling each topic over time, {len(series)} topics",
    )
    legend = "".join(
        f"<li>{_swatch(svg.series_style(i))}{_e(one['topic'])}</li>" for i, one in enumerate(series)
    )
    extra = f'<ul class="legend">{legend}</ul>' if legend else ""
    return (
        '<section id="retention" aria-labelledby="retention-h">'
        '<h2 id="retention-h">Retention by topic over time</h2>'
        + _figure("retention", chart, "Mean retrievability per topic and day.", extra)
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


def _question_map(report: ClassReport) -> str:
    marks, anchors, placed = _marks(report), _anchors(report), _placed(report)
    dots = [
        svg.Dot(
            f"{q['question_id']}: facility {_pct(q['facility'] or 0.0)}, discrimination "
            f"{_signed(q['discrimination'] or 0.0)}",
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
        f"<tr><th scope=row>{_question_link(q['question_id'], anchors)}</th>"
        f"{_cell(_pct(q['facility'] or 0.0))}{_cell(_signed(q['discrimination'] or 0.0))}"
        f"<td>{marks.get(q['question_id'], '')}</td></tr>"
        for q in placed
    )
    left_out = len(report["questions"]) - len(placed)
    note = (
        f'<p class="note">{left_out} question{"" if left_out == 1 else "s"} not placed: '
        f"{_few(report)} or no figures yet.</p>"
        if left_out
        else ""
    )
    head = ("Question", "Facility", "Discrimination", "Flag")
    table = _table("Question map data", head, rows, (0, 3))
    return (
        '<section id="map" aria-labelledby="map-h"><h2 id="map-h">Question map</h2>'
        '<p class="note">Good questions sit high (strong learners get them right, weak ones '
        "do not) and away from the right edge (not everyone gets them at once). Below the line, "
        "strong learners miss a question more often than weak ones: check its key and stem.</p>"
        + _figure("map", chart, "One mark per question.", _map_legend())
        + note
        + f"<details><summary>Data table</summary>{table}</details></section>"
    )


# --- per question ---------------------------------------------------------------------------------


def _spread(spread: Spread | None, unit: str = "") -> str:
    if spread is None:
        return _none()

    def fig(value: float) -> str:
        return f"{value:.1f}" if value < 10 else f"{value:.0f}"

    middle = f"({fig(spread['p25'])}–{fig(spread['p75'])})"
    return f"{fig(spread['median'])}{unit} <span class=nowrap>{middle}</span>"


def _answers(report: ClassReport, q: QuestionStats) -> str:
    if q["options"] is not None:
        items = "".join(
            f"<li{' class=key' if o['correct'] else ''}>{_e(o['text'])} · {o['chosen']}"
            f"{' (key)' if o['correct'] else ''}</li>"
            for o in q["options"]
        )
        return f'<ul class="options">{items}</ul>'
    if q["wrong_answers"]:
        items = "".join(
            f"<li>“{_e(w['text'])}” · {w['count']}× by {w['learners']}</li>"
            for w in q["wrong_answers"]
        )
        return f'<ul class="wrong">{items}</ul>'
    count = q["wrong_answer_count"]
    if not count:
        return ""
    hint = "" if report["show_answers"] else " (texts not shown)"
    return f"{count} wrong typed answer{'' if count == 1 else 's'}{hint}"


def _figures(report: ClassReport, q: QuestionStats) -> str:
    if q["hidden"]:
        return f'<td colspan="6" class="hidden">{_few(report)}: figures hidden</td>'

    def share(value: float | None) -> str:
        return _none() if value is None else _pct(value)

    discrimination = q["discrimination"]
    return (
        _cell(share(q["facility"]))
        + _cell(share(q["later_success"]))
        + _cell(_none() if discrimination is None else _signed(discrimination))
        + f'<td class="num spread">{_spread(q["difficulty"])}</td>'
        + f'<td class="num spread">{_spread(q["stability"], " d")}</td>'
        + f"<td>{_answers(report, q)}</td>"
    )


def _question_row(report: ClassReport, q: QuestionStats, anchor: str, badges: str) -> str:
    return (
        f'<tr id="{anchor}"><td class="prompt"><span class="qid">{_e(q["question_id"])}</span>'
        f"{_e(q['prompt'])}<div class=note>{_e(q['topic'])} · {_e(q['kind'])}</div>{badges}</td>"
        f"{_cell(str(q['learners']))}{_cell(str(q['reviews']))}{_figures(report, q)}</tr>"
    )


def _badges(report: ClassReport) -> dict[str, str]:
    out: dict[str, str] = {}
    for flag in report["flags"]:
        name = _e(FLAG_NAMES.get(flag["kind"], flag["kind"]))
        badge = f'<span class="badge badge-{_e(flag["severity"])}">{name}</span>'
        out[flag["question_id"]] = out.get(flag["question_id"], "") + badge
    return out


def _questions(report: ClassReport) -> str:
    anchors, badges = _anchors(report), _badges(report)
    rows = (
        _question_row(report, q, anchors[q["question_id"]], badges.get(q["question_id"], ""))
        for q in report["questions"]
    )
    head = ("Question", "Learners", "Reviews", "First try", "Later", "Discrimination",
            "Difficulty", "Stability", "Answers")  # fmt: skip
    return (
        '<section id="questions" aria-labelledby="questions-h">'
        '<h2 id="questions-h">Questions</h2><p class="note">First try: share right at each '
        "learner's first answer (facility). Later: share right at later reviews. Difficulty "
        "(FSRS, 1–10) and stability (days) are the class median with the middle half in "
        "brackets. Learners and reviews: what each row rests on.</p>"
        + _table("Per-question figures", head, rows, (0, 8))
        + "</section>"
    )


# --- page -----------------------------------------------------------------------------------------

NAV = (
    ("summary", "Summary"),
    ("flags", "Flags"),
    ("topics", "Topics"),
    ("retention", "Over time"),
    ("map", "Question map"),
    ("forgotten", "Most forgotten"),
    ("questions", "Questions"),
)


def render_html(report: ClassReport) -> str:
    """The whole page; the same report gives the same bytes."""
    decks = ", ".join(report["decks"]) or "no deck"
    nav = "".join(f'<li><a href="#{anchor}">{name}</a></li>' for anchor, name in NAV)
    sections = (
        _summary(report),
        _flags(report),
        _topics(report),
        _retention(report),
        _question_map(report),
        _forgotten(report),
        _questions(report),
    )
    body = "\n".join(sections)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="referrer" content="no-referrer">
<title>Class report: {_e(decks)} ({_e(report["today"])})</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Class report: {_e(decks)}</h1>
<p class="meta">Recall as of {_e(report["today"])} · generated {_e(report["generated_at"])}</p>
<nav aria-label="Sections"><ul>{nav}</ul></nav>
</header>
<main>
{body}
</main>
<footer>bonemets-quiz class report (format {_e(report["format"])} v{_e(report["version"])}).
Figures resting on {_few(report)} are hidden.</footer>
</body>
</html>
"""
