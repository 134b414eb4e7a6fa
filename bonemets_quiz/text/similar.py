"""Similar texts among many, without comparing every pair in Python.

``difflib.SequenceMatcher``'s ratio is the judge (its verdicts are what decks were linted with);
rapidfuzz's Indel ratio, computed in C, is never below it (SequenceMatcher's matching blocks are
one common subsequence, Indel counts the longest), so it rules out the pairs that cannot reach a
threshold and SequenceMatcher runs on the few left.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from rapidfuzz import fuzz, process

_MARGIN = 1.0  # percentage points, so that rounding never rules out a pair at the threshold


def ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def could_reach(query: str, texts: Sequence[str], threshold: float) -> list[int]:
    """Ascending indices of ``texts`` whose ratio with ``query`` may be ``threshold`` or more.

    Every text that reaches it is among them; a few that do not may be too.
    """
    if not texts:
        return []
    found = process.extract(
        query, texts, scorer=fuzz.ratio, score_cutoff=threshold * 100 - _MARGIN, limit=None
    )
    return sorted(index for _, _, index in found)


def best_match(query: str, texts: Sequence[str], threshold: float) -> int | None:
    """Index of the text whose ratio with ``query`` is highest and at least ``threshold`` (the
    last of equals, as a scan keeping each ``>=`` would find), or None.

    Texts are measured from the most alike by the bound down, until the bound falls below the
    best ratio found: a renamed fact's twin (ratio 1) ends the search at once.
    """
    if not texts:
        return None
    found = process.extract(
        query, texts, scorer=fuzz.ratio, score_cutoff=threshold * 100 - _MARGIN, limit=None
    )
    best, best_ratio = None, threshold
    for _, bound, index in found:  # by bound, highest first
        if bound + _MARGIN < best_ratio * 100:
            break  # neither this text nor any after it can reach (or tie) the best
        alike = ratio(query, texts[index])
        if alike > best_ratio or (alike == best_ratio and (best is None or index > best)):
            best, best_ratio = index, alike
    return best
