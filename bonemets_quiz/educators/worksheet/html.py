"""Worksheet → one self-contained HTML page that prints cleanly on A4 and US Letter.

Deck text is HTML-escaped; the text of an ``html: true`` fact goes through the same allow-list
as the Anki export (bold, italics, sub/superscript …, no attributes): a worksheet is read in a
browser, where markup from a shared deck must never run.
"""

from __future__ import annotations

from html import escape

from ...deck.image import Image
from ...export.sanitize import sanitize_html
from ...wording import plural
from .sheet import Item, Worksheet

# Margins and widths that fit both A4 (210 mm wide) and Letter (216 mm wide, 279 mm tall):
# the page size is left to the printer dialog. A question is never split across pages, and the
# last one never starts a page alone. Print spacing is sized for Letter, the shorter paper:
# 20 questions of the built-in deck fill two pages of it, as they do of A4.
CSS = """
@page { margin: 16mm 15mm 18mm; @bottom-center { content: counter(page) " / " counter(pages);
  font: 9pt system-ui, sans-serif; color: #555; } }
* { box-sizing: border-box; }
html { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; background: #fff; }
body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6em; margin: 0 0 .2em; }
h2 { font-size: 1.25em; margin: 0 0 .6em; }
h1, h2 { break-after: avoid; page-break-after: avoid; }
.about { margin: 0 0 .4em; color: #333; font-size: .92em; }
.student { display: flex; gap: 2rem; margin: 1.2em 0 1.6em; }
.student span { flex: 1; border-bottom: 1px solid #111; padding-bottom: .2em; }
ol.questions { padding-left: 2em; margin: 0; }
.question { break-inside: avoid; page-break-inside: avoid; margin: 0 0 1.15em; padding-left: .2em; }
.prompt { margin: 0 0 .35em; }
.blank { display: inline-block; min-width: 9em; border-bottom: 1px solid #111; }
ol.choices { list-style: upper-alpha; margin: .2em 0 0; padding-left: 2em; }
ol.choices li { margin: .1em 0; }
.tf { margin: .2em 0 0 .2em; letter-spacing: .02em; }
.tf span { margin-right: 2.5em; }
.line { height: 1.9em; border-bottom: 1px solid #777; }
.line span { display: inline-block; padding-top: .55em; color: #777; font-size: .85em; }
.answer { margin: .35em 0 0; padding: .3em .6em; border-left: 3px solid #2a6; background: #f2faf5; }
.note { display: block; color: #333; font-style: italic; font-size: .92em; }
.qid { display: block; color: #777; font: 8pt ui-monospace, monospace; }
.key { break-before: page; page-break-before: always; }
.key ol { padding-left: 2em; }
.key li { break-inside: avoid; page-break-inside: avoid; margin: 0 0 .55em; }
.picture { break-inside: avoid; page-break-inside: avoid; margin: .4em 0 .6em; }
.picture img { display: block; max-width: 100%; max-height: 80mm; height: auto; }
.picture figcaption { font-size: .85em; color: #333; margin-top: .2em; }
footer { margin-top: 2em; color: #555; font-size: .85em; }
ol.questions > li:last-child { break-before: avoid; page-break-before: avoid; }
@media print {
  html { font-size: 10.5pt; line-height: 1.38; }
  body { max-width: none; margin: 0; padding: 0; }
  .student { margin: .8em 0 1.1em; }
  .question { margin-bottom: .9em; }
  .line { height: 1.7em; }
  .answer { background: none; }
}
"""


def _text(item: Item, text: str) -> str:
    """Deck text of this item as HTML: sanitised for an ``html: true`` fact, else escaped."""
    return sanitize_html(text) if item.question.html else escape(text)


def _prompt(item: Item) -> str:
    blank = '<span class="blank" aria-label="blank"></span>'
    return blank.join(_text(item, part) for part in item.parts)


def _picture(image: Image) -> str:
    """The picture embedded as a data: URI, so the page needs no other file."""
    from ...deck.image_files import data_uri

    words = " · ".join(escape(t) for t in (image.caption, image.credit) if t)
    caption = f"<figcaption>{words}</figcaption>" if words else ""
    source = data_uri(image)
    return (
        f'<figure class="picture"><img src="{source}" alt="{escape(image.alt)}">{caption}</figure>'
    )


def _answer_html(item: Item) -> str:
    parts = [f"<strong>{_text(item, item.key)}</strong>"]
    image = item.question.image
    if image is not None and image.side == "answer":
        parts.append(_picture(image))
    if item.also:
        parts.append(" (also accepted: " + _text(item, ", ".join(item.also)) + ")")
    if item.note:
        parts.append(f'<span class="note">{_text(item, item.note)}</span>')
    return "".join(parts)


def _question(item: Item, inline: bool) -> str:
    out = [f'<li class="question" id="q{item.number}">', f'<p class="prompt">{_prompt(item)}</p>']
    image = item.question.image
    if image is not None and image.side == "question":
        out.append(_picture(image))
    if item.choices and [c.casefold() for c in item.choices] == ["true", "false"]:
        out.append('<p class="tf"><span>☐ True</span><span>☐ False</span></p>')
    elif item.choices:
        options = "".join(f"<li>{_text(item, choice)}</li>" for choice in item.choices)
        out.append(f'<ol class="choices">{options}</ol>')
    numbered = bool(item.question.items)
    out.extend(
        f'<div class="line">{f"<span>{n}.</span>" if numbered else ""}</div>'
        for n in range(1, item.lines + 1)
    )
    if inline:
        out.append(f'<p class="answer">{_answer_html(item)}</p>')
    out.append("</li>")
    return "\n".join(out)


def _key(sheet: Worksheet) -> str:
    rows = "\n".join(
        f'<li value="{item.number}">{_answer_html(item)}'
        f'<span class="qid">{escape(item.question.id)} · {escape(item.question.section)}</span>'
        "</li>"
        for item in sheet.items
    )
    return f'<section class="key">\n<h2>Answer key</h2>\n<ol>\n{rows}\n</ol>\n</section>'


def render_html(sheet: Worksheet) -> str:
    about = "".join(f'<p class="about">{escape(text)}</p>' for text in sheet.descriptions)
    questions = "\n".join(_question(item, sheet.answers == "inline") for item in sheet.items)
    key = _key(sheet) if sheet.answers == "end" else ""
    sources = "; ".join(escape(source) for source in sheet.sources)
    count = len(sheet.items)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="bonemets-quiz worksheet (seed {sheet.seed})">
<title>{escape(sheet.title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>{escape(sheet.title)}</h1>
{about}
<div class="student"><span>Name:</span><span>Date:</span></div>
</header>
<main>
<ol class="questions">
{questions}
</ol>
{key}
</main>
<footer>{plural(count, "question")} · Source: {sources} · seed {sheet.seed}</footer>
</body>
</html>
"""
