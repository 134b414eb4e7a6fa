"""Deck text → safe HTML for Anki fields: escaped text, or allow-listed tags for ``html: true``."""

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
_SPECIAL = re.compile("[&<>\"'\n]")


def escape_text(text: str) -> str:
    """Plain deck text as HTML that shows exactly that text; line breaks become ``<br>``."""
    if not _SPECIAL.search(text):
        return text  # most deck text has nothing to escape; this is the hot path of an export
    return html.escape(text).replace("\n", "<br>")


def sanitize_html(text: str) -> str:
    """Author-marked HTML reduced to the allow-list; anything else is dropped, never run."""
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        strip_comments=True,
    )


def field_html(text: str, allow_html: bool) -> str:
    """A field's HTML: escaped text, or sanitised HTML when the fact is marked ``html: true``."""
    return sanitize_html(text) if allow_html else escape_text(text)
