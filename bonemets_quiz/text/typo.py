"""When a misspelt word is a typo of the expected one, and when it is a different word.

A word is a typo of the expected word when (both lower case, compared in American spelling):

- it keeps the first letter, and no digit differs (numbers must be exact);
- it is within a few edits, counting an adjacent swap as one edit (optimal string alignment):
  1 for words of 4–6 letters, 2 from 7 letters on; a 3-letter word only with two letters
  swapped or one doubled ("dei", "diee" for "die"), shorter words never;
- short words slip too ("raer", "pian", "lnug", "ribbs"), as long as the result is no word;
- it does not swap one meaningful medical word part for another (``MORPHEMES``: hypo-/hyper-,
  kal-/calc-, -blast/-clast…: "hyperkalaemia" is not "hypercalcaemia");
- it is not itself an English word ("prostrate", "concussion": see ``lexicon``) nor another term
  of the deck ("near misses", computed when the bank is built); an English word ending in s
  whose singular is not that word without its s is never another form of a word its ending
  hides ("testes" is not "tests": ``odd_plural``, also checked by ``answers.exact``).

Two more slips: another language's ending for an English "-y"/"-ia" counts as one edit
("biopsie", "radioterapia", "anämie": ``english_ending``), and an abbreviation typed in capitals
with two adjacent letters swapped is a slip even when the letters spell a word ("MIR", "TC":
``swapped_letters``; capitals mark an abbreviation, and the deck's other terms are still refused).

rapidfuzz (a C library) computes the distances; it is imported on the first non-exact answer.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..records import Record
from .lexicon import is_word
from .wordforms import spelling_key, word_key

# Word parts that look alike and mean different things: a typo never turns one into another.
MORPHEMES: tuple[tuple[str, ...], ...] = (
    ("hypo", "hyper"),
    ("intra", "inter"),
    ("ante", "anti"),
    ("sub", "super", "supra"),
    ("kal", "calc"),
    ("blast", "clast"),
    ("itis", "osis"),
    ("ectomy", "otomy", "ostomy"),
    ("plasia", "plasty", "plasm"),
    ("ileum", "ilium"),
    ("lysis", "lytic"),
)


_DIGIT = re.compile(r"\d")


class Check(Record):
    ok: bool
    reason: str  # why it was refused, or how far it was
    close: bool = True  # False: not even near (worth no explanation)


def allowed_edits(expected: str) -> int:
    length = len(expected)
    return 0 if length <= 3 else 1 if length <= 6 else 2


# Endings of other languages for an English "-y"/"-ia" (biopsie, terapia, anämie): one slip.
_FOREIGN_ENDINGS = ("ie", "ia", "i")


def english_ending(given: str, expected: str) -> str:
    """``given`` with a foreign ending put back into English when ``expected`` has it."""
    for english in ("y", "ia"):
        if expected.endswith(english) and not given.endswith(english):
            for foreign in _FOREIGN_ENDINGS:
                if given.endswith(foreign) and len(given) > len(foreign) + 3:
                    return given[: -len(foreign)] + english
    return given


def typo_of(given: str, expected: str, near_misses: Collection[str] = ()) -> Check:
    """Whether the word ``given`` is a typo of the word ``expected`` (see the module docstring)."""
    g, e = spelling_key(given), spelling_key(expected)
    g = english_ending(g, e)
    if g[:1] != e[:1]:
        return Check(False, "the first letter differs", False)
    if _DIGIT.search(g) or _DIGIT.search(e):
        return Check(False, "numbers must be exact", False)
    if abs(len(g) - len(e)) > 2:
        return Check(False, "too different to be a typo", False)
    from rapidfuzz.distance import OSA

    if inflection(g, e) and not odd_plural(given):
        return Check(True, "another form of the word")
    allowed = allowed_edits(e) or (1 if _slip(g, e) else 0)
    distance = min(
        OSA.distance(g, e, score_cutoff=allowed + 1),
        OSA.distance(given, expected, score_cutoff=allowed + 1),
    )
    if distance > allowed:
        return Check(False, "too different to be a typo", False)
    if swapped := _swapped_part(g, e):
        return Check(False, f"'{swapped[0]}' and '{swapped[1]}' mean different things")
    if word_key(given) in near_misses or given in near_misses:
        return Check(False, f"'{given}' is another term of this deck")
    if is_word(given):  # even a swap: "from" for "form" cannot be told from a wrong word
        return Check(False, f"'{given}' is itself an English word")
    return Check(True, f"{distance} edit{'s' if distance > 1 else ''}")


def swapped_letters(given: str, expected: str, near_misses: Collection[str] = ()) -> bool:
    """An abbreviation typed in capitals with two adjacent letters swapped ("MIR" for MRI,
    "TC" for CT): a slip even when the letters spell a word, for capitals mark an abbreviation;
    never another term of the deck."""
    if len(given) != len(expected) or not 2 <= len(given) <= 5 or given in near_misses:
        return False
    differ = [i for i in range(len(given)) if given[i] != expected[i]]
    return (
        len(differ) == 2
        and differ[1] == differ[0] + 1
        and given[differ[0]] == expected[differ[1]]
        and given[differ[1]] == expected[differ[0]]
    )


def odd_plural(word: str) -> bool:
    """An English word ending in s whose singular is not that word without its s ("testes"):
    dropping its ending makes another word ("test"), so it is never a form of that word."""
    return (
        word.endswith("s") and not word.endswith("ses") and is_word(word) and not is_word(word[:-1])
    )


def _slip(g: str, e: str) -> bool:
    """A 3-letter word's slip: two letters swapped ("dei") or one doubled ("diee")."""
    swapped = len(g) == len(e) and sorted(g) == sorted(e)
    doubled = len(g) == len(e) + 1 and any(
        g[:i] + g[i + 1 :] == e and g[i] == g[i - 1] for i in range(1, len(g))
    )
    return swapped or doubled


_SUFFIXES = ("ing", "ed", "es", "d", "s", "e")


def _bare(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def inflection(a: str, b: str) -> bool:
    """Whether two words differ only in an inflection ("fracture", "fractured")."""
    return _bare(a) == _bare(b) or _bare(_bare(a)) == _bare(_bare(b))


def _swapped_part(a: str, b: str) -> tuple[str, str] | None:
    for group in MORPHEMES:
        in_a = [m for m in group if m in a]
        in_b = [m for m in group if m in b]
        if in_a and in_b and set(in_a) != set(in_b):
            return in_a[0], in_b[0]
    return None
