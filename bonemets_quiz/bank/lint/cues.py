"""Item-writing checks for cues: wording that gives the answer away to a test-wise learner
(absolute words in false statements, a stem's word echoed in the key, an article or a verb that
agrees only with the key).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from ...deck.model import Deck, Question, QuestionKind
from ...errors import Problem
from .options import choice, wrong_options
from .places import Places, warn
from .words import QUALIFIER, content, singular, word_set, words_of

ABSOLUTES = word_set(
    "all always never none every everyone everything nothing nobody only completely entirely "
    "totally absolutely invariably cannot impossible guaranteed exactly"
)
BLANK = re.compile(r"\[\.\.\.\]|_{3,}|…")
WORD = re.compile(r"[\w']+")
NEAR = 40  # characters either side of a blank that hold the words next to it
SINGULAR_VERBS = word_set("is was has does")
PLURAL_VERBS = word_set("are were have do")


def absolute_cues(deck: Deck, questions: Sequence[Question], places: Places) -> Iterator[Problem]:
    """'never', 'always', 'all' … mostly in false statements teach 'absolute means false'."""
    true_words: dict[str, set[str]] = {}
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    false_ones: list[tuple[Question, set[str]]] = []
    for q in questions:
        if q.kind is not QuestionKind.TRUE_FALSE:
            continue
        found = set(words_of(q.prompt)) & ABSOLUTES
        truth = q.answer == "True"
        counts[truth].update(found)
        if truth:
            true_words[q.fact_id] = found
        elif found:
            false_ones.append((q, found))
    for q, found in false_ones:
        own = true_words.get(q.fact_id, set())
        cues = sorted(w for w in found - own if counts[True][w] < counts[False][w])
        if not cues:
            continue
        tally = ", ".join(f"{w!r} {counts[False][w]} false vs {counts[True][w]} true" for w in cues)
        yield warn(
            deck,
            places.at(q),
            f"false statement {q.id!r} uses the absolute word(s) {tally} in the deck's "
            "true/false statements: learners learn that such words mean 'false'",
            "state the falsehood without the absolute word, or use such words in true "
            "statements as often",
        )


def _vowel_sound(text: str) -> bool:
    word = text.strip().split()[0] if text.strip() else ""
    if word.isupper() and len(word) > 1:  # an acronym is read letter by letter: "an MRI"
        return word[0] in "AEFHILMNORSX"
    lower = word.lower()
    if lower.startswith(("uni", "use", "usu", "eu", "one", "ur")):
        return False
    return lower.startswith(("a", "e", "i", "o", "u", "hour", "honest", "heir"))


def _plural(text: str) -> bool:
    words = words_of(QUALIFIER.split(f" {text} ")[0])
    last = words[-1] if words else ""
    return singular(last) != last or last in {"data", "criteria", "bacteria", "metastases"}


def cueing_stems(deck: Deck, questions: Sequence[Question], places: Places) -> Iterator[Problem]:
    for q in questions:
        if choice(q):
            cue = _choice_cue(q)
        elif q.kind is QuestionKind.CLOZE:
            cue = _cloze_cue(q)
        else:
            continue
        if cue:
            message, hint = cue
            yield warn(deck, places.at(q), f"question {q.id!r} {message}", hint)


def _blank(prompt: str) -> tuple[int, int] | None:
    """Where the blank is: ``[...]``, ``___`` or ``…`` (plain finds: prompts can be long)."""
    starts = [i for i in (prompt.find(m) for m in ("[...]", "___", "…")) if i >= 0]
    if not starts:
        return None
    match = BLANK.match(prompt, min(starts))
    return (match.start(), match.end()) if match else None


def _before_blank(prompt: str) -> tuple[str, str]:
    """The word before the blank (or the stem's last word) and the word after it."""
    blank = _blank(prompt)
    if blank:
        start, end = blank
        before = prompt[max(0, start - NEAR) : start].split()
        after = WORD.findall(prompt[end : end + NEAR])
        return (before[-1].lower() if before else ""), (after[0].lower() if after else "")
    words = WORD.findall(prompt[-NEAR:])
    return (words[-1].lower() if words else ""), ""


def _choice_cue(q: Question) -> tuple[str, str] | None:
    key, wrong = q.answer, wrong_options(q)
    clang = content(key) & content(q.prompt) - set().union(*(content(o) for o in wrong))
    if clang:
        word = sorted(clang)[0]
        return (
            f"repeats the stem's word {word!r} in its answer {key!r} and in no wrong option: "
            "the echo gives the answer away",
            f"reword the stem, or offer wrong options that also mention {word!r}",
        )
    article, verb = _before_blank(q.prompt)
    if article in ("a", "an"):
        fits = [_vowel_sound(o) == (article == "an") for o in (key, *wrong)]
        if fits[0] and not all(fits[1:]):
            return (
                f"ends its stem with {article!r}, which fits the answer and not every wrong option",
                "put the article into the options ('an osteoclast'), or write 'a/an'",
            )
    if verb in SINGULAR_VERBS | PLURAL_VERBS:
        plural = verb in PLURAL_VERBS
        fits = [_plural(o) == plural for o in (key, *wrong)]
        if fits[0] and not all(fits[1:]):
            return (
                f"has {verb!r} after the blank, which agrees with the answer and not every wrong "
                "option",
                "make every option agree with the verb (all singular or all plural)",
            )
    return None


def _cloze_cue(q: Question) -> tuple[str, str] | None:
    article, _ = _before_blank(q.prompt)
    if article in ("a", "an") and _blank(q.prompt):
        return (
            f"has {article!r} just before its blank: it tells whether the answer starts with a "
            "vowel sound",
            "put the article inside the deletion ({{an osteoclast}}), or reword to the plural",
        )
    return None
