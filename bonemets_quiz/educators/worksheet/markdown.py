"""Worksheet → Markdown (CommonMark): readable as plain text, and renders in any Markdown viewer.

Deck text is backslash-escaped so that ``*``, ``_``, ``<`` or ``[`` in a fact stay text and
never turn into emphasis, links or HTML; an ``html: true`` fact's text is shown as the plain
text its HTML stands for (tags dropped, entities decoded).
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import quote

from ...deck.image import Image
from ...wording import option_letter, plural
from .sheet import Item, Worksheet

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BREAKS = re.compile(r"(?i)<br\s*/?>|</?(?:p|li|ul|ol)\b[^>]*>")
BLANK = r"\_" * 10
# Escaped: a line of bare underscores (``1. ______``) is a thematic break (a rule) in CommonMark.
LINE = r"\_" * 30


def md_escape(text: str) -> str:
    """Text that CommonMark shows literally, on one line (edge spaces kept for blanks)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _picture(image: Image, base: str) -> str:
    """An image link, relative to the worksheet's folder ``base``, with the alt text."""
    target = os.path.relpath(image.path, os.path.abspath(base)).replace(os.sep, "/")
    line = f"![{md_escape(image.alt)}](<{quote(target, safe='/')}>)"
    extra = " · ".join(md_escape(t) for t in (image.caption, image.credit) if t)
    return f"{line} *{extra}*" if extra else line


def plain_text(markup: str) -> str:
    """What sanitised HTML reads as: allowed tags dropped (breaks become spaces), entities
    decoded; what the allow-list drops with its content (scripts …) is not shown at all."""
    import nh3

    from ...export.sanitize import sanitize_html

    spaced = _BREAKS.sub(" ", sanitize_html(markup))
    return html.unescape(nh3.clean(spaced, tags=set()))


def _text(item: Item, text: str) -> str:
    return md_escape(plain_text(text) if item.question.html else text)


def _answer(item: Item) -> str:
    text = f"**{_text(item, item.key)}**"
    if item.also:
        text += " (also accepted: " + _text(item, ", ".join(item.also)) + ")"
    if item.note:
        text += f" — *{_text(item, item.note)}*"
    return text


def _question(item: Item, inline: bool, base: str = ".") -> list[str]:
    """Indented three spaces: a paragraph under the question, never a code block."""
    prompt = BLANK.join(_text(item, part) for part in item.parts)
    out = [f"**{item.number}.** {prompt}", ""]
    image = item.question.image
    if image is not None:
        label = "" if image.side == "question" else "(after answering) "
        out += [f"   {label}{_picture(image, base)}", ""]
    if item.choices and [c.casefold() for c in item.choices] == ["true", "false"]:
        out += ["   ☐ True      ☐ False", ""]
    elif item.choices:
        out += [f"   {option_letter(i)}. {_text(item, c)}  " for i, c in enumerate(item.choices)]
        out.append("")
    if item.question.items and item.lines:
        out += [f"   {n}. {LINE}" for n in range(1, item.lines + 1)] + [""]
    elif item.lines:
        out += [f"   Answer: {LINE}{LINE if item.lines > 1 else ''}", ""]
    if inline:
        out += [f"> Answer: {_answer(item)}", ""]
    return out


def render_markdown(sheet: Worksheet, base: str = ".") -> str:
    """``base``: the folder the worksheet is written to (picture links are relative to it)."""
    lines = [f"# {md_escape(sheet.title)}", ""]
    lines += [f"*{md_escape(text)}*" for text in sheet.descriptions]
    lines += ["", "Name: ______________________________  Date: ______________", ""]
    for item in sheet.items:
        lines += _question(item, sheet.answers == "inline", base)
    if sheet.answers == "end":
        lines += ["---", "", "## Answer key", ""]
        lines += [f"{item.number}. {_answer(item)}" for item in sheet.items]
        lines.append("")
    count = len(sheet.items)
    sources = "; ".join(md_escape(s) for s in sheet.sources)
    lines += ["---", "", f"{plural(count, 'question')} · Source: {sources} · seed {sheet.seed}"]
    return "\n".join(lines) + "\n"
