"""What a question itself gives, which an answer may repeat without adding anything. Pure.

- a class noun that the question's answers or the entries its prompt lists name, as the head
  of an answer ("skull bones", "bones of the skull", "bone scan test"), never from the prompt's
  lead-in ("Cancers that spread to bone: …": "breast bone" is not breast cancer), never when
  the two words make one word that names something else ("backbone");
- the words just around a cloze's blank, within its clause ("leave bones fragile" for "… can
  leave bones [...] and liable to fracture").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...deck.cloze import BLANK
from ...text.lexicon import is_word
from ...text.normalize import normalize
from ...text.wordforms import stem, word_key
from .answers import Match, Vocabulary, match

_ARTICLES = frozenset(("a", "an", "the"))


def _words(text: str) -> list[str]:
    return [w for w in normalize(text).split() if w not in _ARTICLES]


# Nouns that name the class of a key ("skull bones", "bones of the skull", "bone scan test",
# "biopsy procedure"): as the head of an answer they add nothing when the question names them.
CLASS_NOUNS = frozenset(
    stem(w)
    for w in (
        *("bone", "test", "scan", "cancer", "tumour", "disease", "symptom", "sign", "problem"),
        *("therapy", "treatment", "medicine", "drug", "procedure", "area", "region", "site"),
    )
)


def without_class_noun(given: str, context: str) -> tuple[str, str] | None:
    """(the answer without its head, the head) when the head is a class noun that ``context``
    (see ``class_context``) gives: last ("skull bones") or first before "of" ("bones of the
    skull"). Never when the two make one word that names something else ("backbone")."""
    words = list(_words(given))
    shown = {stem(w) for w in _words(context)} & CLASS_NOUNS
    if len(words) < 2 or not shown:
        return None
    if stem(words[-1]) in shown:
        rest, head = words[:-1], words[-1]
    elif stem(words[0]) in shown and words[1] == "of":
        rest, head = words[2:], words[0]
    else:
        return None
    if not rest or is_word("".join(rest) + head) or is_word("".join(rest) + word_key(head)):
        return None
    return " ".join(rest), head


def class_context(prompt: str, answers: Sequence[str]) -> str:
    """Where a question names the class of its answers: the answers themselves and the other
    entries its prompt shows (after the last colon, the entry with the blank left out), not its
    lead-in ("Cancers that spread to bone: …" names cancers, not bones)."""
    entries = re.split(r"[,;]", prompt.rpartition(":")[2])
    return " ; ".join([*answers, *(e for e in entries if BLANK not in e)])


def with_class_noun(
    given: str, accepted: Sequence[str], context: str, vocabulary: Vocabulary = ()
) -> Match | None:
    """RIGHT when the answer is an accepted one with a class noun the question itself gives
    as its head (see ``without_class_noun``)."""
    found = without_class_noun(given, context)
    if found is None:
        return None
    rest, head = found
    result = match(rest, accepted, vocabulary)
    if result.verdict != "right":
        return None
    why = f"'{given.strip()}' = '{result.target}' ('{head}' names its class, as the question does)"
    return Match("right", why, result.target)


_CLAUSE = re.compile(r"[,;:.()!?]")


def without_echo(given: str, prompt: str) -> str | None:
    """The answer without the words around the blank that it repeats ("leave bones fragile" for
    "… can leave bones [...] and liable …"): the words just before the blank that start the
    answer and the words just after it that end it, within the blank's clause. None when the
    answer repeats none, or nothing else."""
    at = prompt.find(BLANK)
    if at < 0:
        return None
    before = normalize(_CLAUSE.split(prompt[:at])[-1]).split()
    after = normalize(_CLAUSE.split(prompt[at + len(BLANK) :])[0]).split()
    words = normalize(given).split()
    start = max((k for k in range(1, len(before) + 1) if words[:k] == before[-k:]), default=0)
    end = max((k for k in range(1, len(after) + 1) if words[-k:] == after[:k]), default=0)
    rest = words[start : len(words) - end]
    return " ".join(rest) if rest and (start or end) else None
