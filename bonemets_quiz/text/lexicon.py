"""Which strings are real English words: a typo must not spell another word.

The word list is pyspellchecker's English dictionary (about 160,000 words with their frequency
in a large corpus of subtitles and web text, 650 kB compressed). It is read lazily, the first time
a typed answer is not an exact match (about 0.1 s), never on the way to the first question.
Words seen fewer than ``MIN_COUNT`` times are left out: the rare tail holds common misspellings
("brest") that must stay typos. British spellings are found through their American form.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.util import find_spec

from .wordforms import spelling_key

MIN_COUNT = 100


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The word list (loaded once)."""
    import gzip
    import json

    spec = find_spec("spellchecker")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()  # not installed: the other typo rules still hold
    path = os.path.join(next(iter(spec.submodule_search_locations)), "resources", "en.json.gz")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            counts: dict[str, int] = json.load(file)
    except (OSError, ValueError):
        return frozenset()
    return frozenset(word for word, count in counts.items() if count >= MIN_COUNT)


def is_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an English word, in British or American spelling."""
    words = english_words()
    return word in words or spelling_key(word) in words
