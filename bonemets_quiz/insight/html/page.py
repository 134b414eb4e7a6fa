"""A class report as one self-contained HTML page: opens offline, on a phone, and prints.

Every string in the report (deck text, typed answers, learner names, topic and question ids) is
untrusted and escaped. The page loads nothing: CSS is inline, charts are inline SVG, there is no
script, and a Content-Security-Policy forbids fetching anything but inline styles and data: images.
Figures resting on too few learners arrive as ``None`` with ``hidden``; they read "fewer than N
learners" here. Each chart has a data table next to it.
"""

from __future__ import annotations

from ..shape import ClassReport, Flag
from .charts import map_section, retention_section, topics_section
from .kit import FLAG_NAMES, esc, fewer_than, question_link, row_anchors
from .questions import forgotten_section, questions_section
from .style import CSS

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
SEVERITIES = (
    ("broken", "Broken: wrong as written"),
    ("review", "Worth a look"),
    ("info", "For information"),
)


# --- summary --------------------------------------------------------------------------------------


def _count(label: str, value: object, note: str = "") -> str:
    small = f"<small>{note}</small>" if note else ""
    return f"<div><dt>{esc(label)}</dt><dd>{esc(value)}{small}</dd></div>"


def _summary(report: ClassReport) -> str:
    counts = report["counts"]
    duplicates = counts["duplicate_logs"]
    names = ", ".join(esc(name) for name in duplicates)
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
        f'<p class="meta">Decks: {esc(", ".join(report["decks"]) or "none")} · recall computed for '
        f"{esc(report['today'])} · typed answers {answers}.</p></section>"
    )


# --- flags ----------------------------------------------------------------------------------------

# what a flag's ``option`` is, by kind: never called "the answer" (it is not the key)
OPTION_LABELS = {
    "negative-discrimination": "Chosen by strong learners",
    "unused-distractor": "Option",
    "synonym-candidate": "Typed",
}


def _flag_item(flag: Flag, prompts: dict[str, str], anchors: dict[str, str]) -> str:
    name = FLAG_NAMES.get(flag["kind"], flag["kind"])
    option = flag["option"]
    label = OPTION_LABELS.get(flag["kind"], "About")
    about = f" <em>{label}:</em> “{esc(option)}”." if option is not None else ""
    prompt = prompts.get(flag["question_id"], "")
    said = f'<div class="note">{esc(prompt)}</div>' if prompt else ""
    return (
        f"<li>{question_link(flag['question_id'], anchors)}<strong>{esc(name)}</strong>: "
        f"{esc(flag['reason'])}{about}{said}</li>"
    )


def _flags(report: ClassReport) -> str:
    flags = report["flags"]
    head = '<section id="flags" aria-labelledby="flags-h"><h2 id="flags-h">Flags</h2>'
    if not flags:
        return head + '<p class="note">No question is flagged.</p></section>'
    prompts = {q["question_id"]: q["prompt"] for q in report["questions"]}
    anchors = row_anchors(report)
    out = [head]
    for severity, title in SEVERITIES:
        group = [flag for flag in flags if flag["severity"] == severity]
        if group:
            items = "\n".join(_flag_item(flag, prompts, anchors) for flag in group)
            out.append(
                f'<div class="sev sev-{severity}"><h3>{esc(title)} ({len(group)})</h3>'
                f'<ul class="flags">{items}</ul></div>'
            )
    return "".join(out) + "</section>"


# --- topics and facts -----------------------------------------------------------------------------


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
        topics_section(report),
        retention_section(report),
        map_section(report),
        forgotten_section(report),
        questions_section(report),
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
<title>Class report: {esc(decks)} ({esc(report["today"])})</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Class report: {esc(decks)}</h1>
<p class="meta">Recall as of {esc(report["today"])} · generated {esc(report["generated_at"])}</p>
<nav aria-label="Sections"><ul>{nav}</ul></nav>
</header>
<main>
{body}
</main>
<footer>bonemets-quiz class report (format {esc(report["format"])} v{esc(report["version"])}).
Figures resting on {fewer_than(report)} are hidden.</footer>
</body>
</html>
"""
