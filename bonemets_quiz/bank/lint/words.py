"""The words the item-writing checks look at: content words, singulars, a phrase's head noun."""

from __future__ import annotations

import re
from functools import lru_cache

from ...text.normalize import normalize


def word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = word_set(
    "a an the of in on at to for from by with and or but not no is are was were be been being "
    "has have had do does did can may might will would should could which what who whom whose "
    "that this these those it its their them they there here as than then into onto one ones "
    "some any each other such about most more"
)
# Where a noun phrase's qualifiers start: its head noun is the last word before them.
QUALIFIER = re.compile(
    r"[(,;:]|\s(?:of|in|on|at|to|from|by|with|that|which|who|whose|where|for|below|above)\s"
)


@lru_cache(maxsize=1 << 14)  # a deck's few thousand words, asked for again and again
def singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words_of(text: str) -> list[str]:
    return normalize(text).split()


def content(text: str) -> set[str]:
    """Content words, singular: what a clang association or a category is made of."""
    return set(_content_words(text))


@lru_cache(maxsize=1 << 14)  # options and prompts recur across a category's questions
def _content_words(text: str) -> frozenset[str]:
    return frozenset(singular(w) for w in words_of(text) if w not in STOPWORDS and len(w) > 2)


def head(text: str) -> str:
    """The head noun of a noun phrase: its last word before a qualifier ('of …', '(…)')."""
    words = words_of(QUALIFIER.split(f" {text} ")[0])
    return singular(words[-1]) if words else ""
