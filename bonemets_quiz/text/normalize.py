"""Text normalisation shared by generation (distractor safety) and grading."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# compiled on the first text that is not ASCII (``re`` caches them): not on ``study``'s start-up
_ARTICLES = r"^(?:the|an|a)\s+|\s+(?:the|an|a)$"
_NON_WORD = r"[^\w\s]|_"
# ASCII: what _NON_WORD matches (punctuation and "_") becomes a space, the rest stays.
_ASCII_NON_WORD = bytes(
    c if (chr(c).isalnum() or chr(c).isspace()) and c != ord("_") else ord(" ") for c in range(128)
) + bytes(range(128, 256))


# generation and lint compare each term with many others; a 10,000-fact deck has ~86,000 texts
@lru_cache(maxsize=1 << 18)
def normalize(text: str) -> str:
    """Case, accents, punctuation and surrounding articles removed; spaces folded."""
    if text.isascii():  # the common case, ~3x faster: nothing to decompose, no regex needed
        plain = text.lower().encode("ascii").translate(_ASCII_NON_WORD).decode("ascii")
        return _strip_articles(" ".join(plain.split()))
    return normalize_unicode(text)


def normalize_unicode(text: str) -> str:
    """``normalize`` for any text (the general path)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = " ".join(re.sub(_NON_WORD, " ", plain).split())
    return re.sub(_ARTICLES, "", words).strip()


_ARTICLE_WORDS = frozenset(("the", "an", "a"))


def _strip_articles(words: str) -> str:
    """``re.sub(_ARTICLES, "", words)`` for words joined by single spaces."""
    first, space, rest = words.partition(" ")
    if space and first in _ARTICLE_WORDS:
        words = rest
    rest, space, last = words.rpartition(" ")
    if space and last in _ARTICLE_WORDS:
        words = rest
    return words
