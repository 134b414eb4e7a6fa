"""Deck text → safe HTML for Anki fields: escaped text, or allow-listed tags for ``html: true``.

Anki also reads its own markup in field text: ``[sound:file]`` and ``[anki:tts]…[/anki:tts]``
become audio, ``[anki:play:…]`` a play button, ``[latex]``/``[$]``/``[$$]`` images it renders.
Their opening ``[`` is written as ``&#91;``, which the card shows as ``[`` and Anki never
matches, so deck text is always shown as the text it is.
"""

from __future__ import annotations

import html
import re

import nh3

# Inline formatting and simple lists only: no attributes, so no links, styles, images or handlers.
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "sub", "sup", "small", "code", "br", "p", "ul", "ol", "li"}
)
# Tags removed together with their content (the rest lose the tag and keep the text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_SPECIAL = re.compile("[&<>\"'\n\\[]")
# Anki's markup in field text (rslib text.rs / latex.rs), matched as Anki matches it or looser
ANKI_MARKUP = re.compile(r"\[(?=/?(?:sound:|anki:|latex\]|\$\$?\]))", re.IGNORECASE)
INERT_BRACKET = "&#91;"


def escape_text(text: str) -> str:
    """Plain deck text as HTML that shows exactly that text; line breaks become ``<br>``."""
    if not _SPECIAL.search(text):
        return text  # most deck text has nothing to escape; this is the hot path of an export
    return inert_markup(html.escape(text).replace("\n", "<br>"))


def inert_markup(field: str, bracket: str = INERT_BRACKET) -> str:
    """``field`` with Anki's own markup (sound, TTS, LaTeX) made text: ``[`` → ``bracket``."""
    return ANKI_MARKUP.sub(bracket, field) if "[" in field else field


def sanitize_html(text: str) -> str:
    """Author-marked HTML reduced to the allow-list; anything else is dropped, never run."""
    cleaned = nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        strip_comments=True,
    )
    return inert_markup(cleaned)


def field_html(text: str, allow_html: bool) -> str:
    """A field's HTML: escaped text, or sanitised HTML when the fact is marked ``html: true``."""
    return sanitize_html(text) if allow_html else escape_text(text)
