"""Text normalisation shared by generation (distractor safety) and grading."""

from __future__ import annotations

import re
import unicodedata

_ARTICLES = re.compile(r"^(?:the|an|a)\s+|\s+(?:the|an|a)$")
_NON_WORD = re.compile(r"[^\w\s]|_")


def normalize(text: str) -> str:
    """Case, accents, punctuation and surrounding articles removed; spaces folded."""
    if text.isascii():  # nothing to decompose: the common case, and 10x faster
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = " ".join(_NON_WORD.sub(" ", plain).split())
    return _ARTICLES.sub("", words).strip()
