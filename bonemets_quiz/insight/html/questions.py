"""The class report's tables: the facts most forgotten and every question's figures."""

from __future__ import annotations

from ...wording import plural
from ..shape import ClassReport, QuestionStats, Spread
from .kit import (
    FLAG_NAMES,
    cell,
    data_table,
    esc,
    fewer_than,
    no_data,
    pct,
    row_anchors,
    signed,
)

FORGOTTEN = 10  # facts listed under "most forgotten"


def forgotten_section(report: ClassReport) -> str:
    shown = sorted(
        (f for f in report["facts"] if f["recall"] is not None and not f["hidden"]),
        key=lambda f: (f["recall"], f["fact_id"]),
    )[:FORGOTTEN]
    hidden = sum(f["hidden"] for f in report["facts"])
    rows = (
        f"<tr><th scope=row>{esc(f['fact_id'])}</th><td>{esc(f['topic'])}</td>"
        f"{cell(pct(f['recall'] or 0.0))}{cell(str(f['learners']))}</tr>"
        for f in shown
    )
    note = (
        f'<p class="note">{hidden} fact{" rests" if hidden == 1 else "s rest"} on '
        f"{fewer_than(report)} and {'is' if hidden == 1 else 'are'} not ranked.</p>"
        if hidden
        else ""
    )
    body = (
        data_table(
            "Facts most forgotten", ("Fact", "Topic", "Recall today", "Learners"), rows, (0, 1)
        )
        if shown
        else '<p class="note">No fact has enough learners to rank.</p>'
    )
    return (
        '<section id="forgotten" aria-labelledby="forgotten-h">'
        '<h2 id="forgotten-h">Facts most forgotten</h2>' + body + note + "</section>"
    )


def _spread(spread: Spread | None, unit: str = "") -> str:
    if spread is None:
        return no_data()

    def fig(value: float) -> str:
        return f"{value:.1f}" if value < 10 else f"{value:.0f}"

    middle = f"({fig(spread['p25'])}–{fig(spread['p75'])})"
    return f"{fig(spread['median'])}{unit} <span class=nowrap>{middle}</span>"


def _answers(report: ClassReport, q: QuestionStats) -> str:
    if q["options"] is not None:
        items = "".join(
            f"<li{' class=key' if o['correct'] else ''}>{esc(o['text'])} · {o['chosen']}"
            f"{' (key)' if o['correct'] else ''}</li>"
            for o in q["options"]
        )
        return f'<ul class="options">{items}</ul>'
    if q["wrong_answers"]:
        items = "".join(
            f"<li>“{esc(w['text'])}” · {w['count']}× by {w['learners']}</li>"
            for w in q["wrong_answers"]
        )
        return f'<ul class="wrong">{items}</ul>'
    count = q["wrong_answer_count"]
    if not count:
        return ""
    hint = "" if report["show_answers"] else " (texts not shown)"
    return f"{plural(count, 'wrong typed answer')}{hint}"


def _figures(report: ClassReport, q: QuestionStats) -> str:
    if q["hidden"]:
        return f'<td colspan="6" class="hidden">{fewer_than(report)}: figures hidden</td>'

    def share(value: float | None) -> str:
        return no_data() if value is None else pct(value)

    discrimination = q["discrimination"]
    return (
        cell(share(q["facility"]))
        + cell(share(q["later_success"]))
        + cell(no_data() if discrimination is None else signed(discrimination))
        + f'<td class="num spread">{_spread(q["difficulty"])}</td>'
        + f'<td class="num spread">{_spread(q["stability"], " d")}</td>'
        + f"<td>{_answers(report, q)}</td>"
    )


def _question_row(report: ClassReport, q: QuestionStats, anchor: str, badges: str) -> str:
    return (
        f'<tr id="{anchor}"><td class="prompt"><span class="qid">{esc(q["question_id"])}</span>'
        f"{esc(q['prompt'])}<div class=note>{esc(q['topic'])} · {esc(q['kind'])}</div>{badges}</td>"
        f"{cell(str(q['learners']))}{cell(str(q['reviews']))}{_figures(report, q)}</tr>"
    )


def _badges(report: ClassReport) -> dict[str, str]:
    out: dict[str, str] = {}
    for flag in report["flags"]:
        name = esc(FLAG_NAMES.get(flag["kind"], flag["kind"]))
        badge = f'<span class="badge badge-{esc(flag["severity"])}">{name}</span>'
        out[flag["question_id"]] = out.get(flag["question_id"], "") + badge
    return out


def questions_section(report: ClassReport) -> str:
    anchors, badges = row_anchors(report), _badges(report)
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
        + data_table("Per-question figures", head, rows, (0, 8))
        + "</section>"
    )
