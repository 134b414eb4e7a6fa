"""Grading: compare a learner's answer with a question. Pure functions, no I/O.

How each kind is answered (``answer_mode``):

- multiple choice and true/false are *chosen* (a number, a letter, t/f/y/n, or the option's text;
  when the options are themselves numbers or letters, by their text, never by position);
- reversed and list recall are *typed* and graded automatically;
- cloze is *typed* when its answer is short (at most 4 words and 40 characters: list items and the
  key words of a statement), otherwise *revealed* and rated by the learner, like basic questions,
  whose answers are sentences.

Typed answers are compared after ``normalize`` (case, accents, punctuation, surrounding articles),
against every accepted answer and every ``a|b`` alternative; a small typo counts as "almost", but
never one that could mean something else (see ``close_enough``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import NamedTuple

from .normalize import normalize
from .question import Question, QuestionKind
from .scheduling import Rating

SHORT_WORDS = 4
SHORT_CHARS = 40
LIST_PASS = 0.75  # list items recalled, and answers in the list, that still make a (hard) pass
MIN_TYPO_LETTERS = 5  # shorter answers must be exact
# Prefixes that share their first two letters and mean the opposite (or another place).
OPPOSITE_PREFIXES = (
    ("hypo", "hyper"),
    ("intra", "inter"),
    ("ante", "anti"),
    ("sub", "super"),
    ("sub", "supra"),
)
_SPLIT = re.compile(r"[,;\n/]+")
_AND = re.compile(r"(\s+(?:and|&|\+)\s+)", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


class Mode(StrEnum):
    CHOOSE = "choose"
    TYPE = "type"
    REVEAL = "reveal"


class Verdict(StrEnum):
    RIGHT = "right"
    ALMOST = "almost"
    PARTIAL = "partial"
    WRONG = "wrong"
    REVEALED = "revealed"  # the learner looked at the answer and rates themselves


class ItemResult(NamedTuple):
    item: str
    verdict: Verdict  # RIGHT, ALMOST or WRONG (missed)
    given: str = ""


class Grade(NamedTuple):
    verdict: Verdict
    expected: str
    items: tuple[ItemResult, ...] = ()
    extra: tuple[str, ...] = ()  # list recall: answers that are not in the list

    @property
    def recalled(self) -> int:
        return sum(1 for item in self.items if item.verdict is not Verdict.WRONG)

    @property
    def rating(self) -> Rating:
        """The rating this grade suggests; the learner may change it before moving on."""
        if self.verdict is Verdict.PARTIAL:  # a hard pass needs most items and few wrong extras
            recall = self.recalled / len(self.items) if self.items else 0.0
            precision = self.recalled / (self.recalled + len(self.extra)) if self.recalled else 0.0
            return Rating.HARD if min(recall, precision) >= LIST_PASS else Rating.AGAIN
        return _RATINGS[self.verdict]


_RATINGS = {
    Verdict.RIGHT: Rating.GOOD,
    Verdict.ALMOST: Rating.HARD,
    Verdict.WRONG: Rating.AGAIN,
    Verdict.REVEALED: Rating.GOOD,
}


def answer_mode(question: Question) -> Mode:
    kind = question.kind
    if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE) and question.options:
        return Mode.CHOOSE
    if kind in (QuestionKind.REVERSED, QuestionKind.LIST_RECALL):
        return Mode.TYPE
    if kind is QuestionKind.CLOZE and _short(question.answer):
        return Mode.TYPE
    return Mode.REVEAL


def _short(answer: str) -> bool:
    return len(answer) <= SHORT_CHARS and len(answer.split()) <= SHORT_WORDS


def grade(question: Question, answer: str) -> Grade | None:
    """Grade an answer; None when a choice question's answer names no option (ask again)."""
    if answer_mode(question) is Mode.CHOOSE:
        index = parse_choice(question, answer)
        return None if index is None else grade_choice(question, index)
    return grade_text(question, answer)


# ---------------------------------------------------------------------------- choices

_TRUE = {"t", "true", "y", "yes"}
_FALSE = {"f", "false", "n", "no"}


def choice_keys(question: Question) -> tuple[bool, bool]:
    """Whether options are chosen by number, and by letter. Not by number when an option is
    itself a number ('7', '5', '4', '3': typing 3 means the option '3'), not by letter when one is
    a single letter: such options are chosen by typing them."""
    names = [normalize(o) for o in question.options or ()]
    numbers = not any(n.replace(" ", "").isdigit() for n in names)
    letters = not any(len(n) == 1 and n.isalpha() for n in names)
    return numbers, letters


def choice_labels(question: Question) -> list[str]:
    """The label shown before each option: ``1/a``, or ``a`` or ``1`` alone (see choice_keys)."""
    numbers, letters = choice_keys(question)
    return [
        "/".join(
            key for key, allowed in ((str(n), numbers), (chr(ord("a") + n - 1), letters)) if allowed
        )
        for n in range(1, len(question.options or ()) + 1)
    ]


def choice_hint(question: Question) -> str:
    """How to answer: ``1–4 or a–d``, ``a–d, or the number itself``…"""
    if question.kind is QuestionKind.TRUE_FALSE:
        return "t/f"
    count = len(question.options or ())
    numbers, letters = choice_keys(question)
    by_number, by_letter = f"1–{count}", f"a–{chr(ord('a') + count - 1)}"
    if numbers and letters:
        return f"{by_number} or {by_letter}"
    if letters:
        return f"{by_letter}, or the number itself"
    if numbers:
        return f"{by_number}, or the letter itself"
    return "the option itself"


def parse_choice(question: Question, text: str) -> int | None:
    """The option index an answer names (option text, t/f/y/n, number, letter), else None."""
    options = question.options or ()
    raw = text.strip().lower().rstrip(".)")
    if question.kind is QuestionKind.TRUE_FALSE:
        wanted = "true" if raw in _TRUE else "false" if raw in _FALSE else None
        names = [normalize(o) for o in options]
        if wanted in names:
            return names.index(wanted)
    given = normalize(text)
    for index, option in enumerate(options):  # the text first: an option may be a number
        if given and normalize(option) == given:
            return index
    numbers, letters = choice_keys(question)
    if numbers and raw.isdigit() and 1 <= int(raw) <= len(options):
        return int(raw) - 1
    if letters and len(raw) == 1 and "a" <= raw < chr(ord("a") + len(options)):
        return ord(raw) - ord("a")
    return None


def grade_choice(question: Question, index: int) -> Grade:
    options = question.options or ()
    correct = question.correct_option if question.correct_option is not None else -1
    if not 0 <= correct < len(options):
        return Grade(Verdict.RIGHT if index == correct else Verdict.WRONG, question.answer)
    label, expected = choice_labels(question)[correct].split("/")[0], options[correct]
    if label:
        expected = f"{label}. {expected}" if label.isdigit() else f"{label}) {expected}"
    return Grade(Verdict.RIGHT if index == correct else Verdict.WRONG, expected)


# ---------------------------------------------------------------------------- typed answers


def accepted_answers(question: Question) -> list[str]:
    """Every accepted answer, ``a|b`` alternatives split out."""
    return _alternatives([question.answer, *question.accepted])


def _alternatives(texts: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for text in texts:
        for part in text.split("|"):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return seen


def match_text(given: str, accepted: Sequence[str]) -> Verdict:
    """RIGHT when the normalised answer equals an accepted one, ALMOST within a small typo."""
    answer = normalize(given)
    if not answer:
        return Verdict.WRONG
    targets = [normalize(a) for a in accepted]
    if answer in targets:
        return Verdict.RIGHT
    if any(t and close_enough(answer, t) for t in targets):
        return Verdict.ALMOST
    return Verdict.WRONG


def close_enough(given: str, expected: str) -> bool:
    """A small spelling slip that cannot be a different answer (both normalised).

    - Numbers must match exactly, and answers under 5 letters too ('are' is not 'rare').
    - One edit up to 8 letters, two beyond.
    - Each word keeps its first two letters: adding or removing a prefix (in-, un-, non-, dis-,
      anti-, a-…) changes them, and often the meaning ('continence' for 'incontinence', 'SAIDs'
      for 'NSAIDs'); so does a slip in the first letters, which is then marked wrong too.
    - No word swaps a prefix for its opposite (hypo-/hyper-, intra-/inter-, ante-/anti-…).
    - Words run together or split apart, and nothing else, is almost ('nonsteroidal').

    A misspelling that happens to be another English word, but not another answer, stays almost:
    'prostrate' for 'prostate' is marked "check the spelling", not wrong.
    """
    if _DIGITS.findall(given) != _DIGITS.findall(expected):
        return False
    if len(expected.replace(" ", "")) < MIN_TYPO_LETTERS:
        return False
    given_words, expected_words = given.split(), expected.split()
    if len(given_words) != len(expected_words):
        return given.replace(" ", "") == expected.replace(" ", "")
    for g, e in zip(given_words, expected_words, strict=True):
        if g[:2] != e[:2] or _opposite_prefixes(g, e):
            return False
    allowed = 1 if len(expected) <= 8 else 2
    return edit_distance(given, expected, allowed) <= allowed


def _opposite_prefixes(a: str, b: str) -> bool:
    return any(
        (a.startswith(one) and b.startswith(other)) or (a.startswith(other) and b.startswith(one))
        for one, other in OPPOSITE_PREFIXES
    )


def edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance with adjacent swaps counted as one edit; stops early above ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > cap:
            return cap + 1
        previous2, previous = previous, row
    return min(previous[-1], cap + 1)


def grade_text(question: Question, given: str) -> Grade:
    if question.kind is QuestionKind.LIST_RECALL and question.items:
        return grade_list(question, given)
    return Grade(match_text(given, accepted_answers(question)), question.answer)


def grade_list(question: Question, given: str) -> Grade:
    """Item by item: each item is matched by at most one of the learner's answers."""
    items = question.items or ()
    alternatives = question.item_alternatives or tuple(() for _ in items)
    pieces = split_list(
        given, [a for i, alts in zip(items, alternatives, strict=False) for a in (i, *alts)]
    )
    found: dict[int, ItemResult] = {}
    for wanted in (Verdict.RIGHT, Verdict.ALMOST):
        left: list[str] = []
        for piece in pieces:
            hit = next(
                (
                    n
                    for n, (item, alts) in enumerate(zip(items, alternatives, strict=False))
                    if n not in found and match_text(piece, _alternatives([item, *alts])) is wanted
                ),
                None,
            )
            if hit is None:
                left.append(piece)
            else:
                found[hit] = ItemResult(items[hit], wanted, piece)
        pieces = left
    results = tuple(found.get(n, ItemResult(item, Verdict.WRONG)) for n, item in enumerate(items))
    if pieces and any(r.verdict is not Verdict.WRONG for r in results):
        verdict = Verdict.PARTIAL  # wrong extras: never a clean pass (rated Hard at best)
    elif all(r.verdict is Verdict.RIGHT for r in results):
        verdict = Verdict.RIGHT
    elif all(r.verdict is not Verdict.WRONG for r in results):
        verdict = Verdict.ALMOST
    elif any(r.verdict is not Verdict.WRONG for r in results):
        verdict = Verdict.PARTIAL
    else:
        verdict = Verdict.WRONG
    return Grade(verdict, "; ".join(items), results, tuple(pieces))


def split_list(given: str, known: Sequence[str] = ()) -> list[str]:
    """A typed list → its answers: split on , ; / and new lines, then on "and" unless the
    phrase with "and" is itself an answer (e.g. "breast and prostate" vs "head and neck")."""
    names = {normalize(k) for k in known}
    # the most "and"-joined phrases a known answer spans: longer joins are never tried, which
    # keeps a long list linear (trying every join was cubic)
    longest = max((len(_AND.split(k)) // 2 + 1 for k in known), default=1)
    pieces: list[str] = []
    for part in _SPLIT.split(given):
        tokens = _AND.split(part.strip())  # words at even indices, "and"s between them
        words = len(tokens) // 2 + 1
        start = 0
        while start < words:
            end = next(
                (
                    end
                    for end in range(min(words, start + longest) - 1, start, -1)
                    if normalize("".join(tokens[2 * start : 2 * end + 1])) in names
                ),
                start,
            )
            piece = "".join(tokens[2 * start : 2 * end + 1]).strip()
            if piece:
                pieces.append(piece)
            start = end + 1
    return pieces
