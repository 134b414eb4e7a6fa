"""Grading: compare a learner's answer with a question. Pure functions, no I/O.

How each kind is answered (``answer_mode``):

- multiple choice and true/false are *chosen* (a number, a letter, t/f/y/n, or the option's text;
  when the options are themselves numbers or letters, by their text, never by position);
- reversed and list recall are *typed* and graded automatically;
- cloze, and an authored question without options, is *typed* when its answer is short (at most
  4 words and 40 characters: list items and the key words of a statement), otherwise *revealed*
  and rated by the learner, like basic questions, whose answers are sentences.

Typed answers (see ``answers``): RIGHT when the answer has the words of an accepted answer, an
``a|b`` alternative or a declared true extra, up to spelling (British/American), singular/plural,
word order, articles, spacing and the deck's vocabulary (synonyms, abbreviations); ALMOST when
the only difference is a typo (``typo``: adjacent swaps count as one edit; never a word that is
itself an English word or another term of the deck; an abbreviation in capitals with two letters
swapped, "MIR", and another language's ending, "biopsie", are slips too); WRONG otherwise. Also
RIGHT, by the rules of ``wordforms`` and ``answers``:

- an adjective for its noun ("anaemic" for anaemia, "incontinent", "osteoporotic", "metastatic":
  the endings listed in ``wordforms``), and "-ing"/"-ed" with a doubled consonant ("scanning");
- hedges and framing dropped ("I think it's the spine", "not sure – spine", "they're rare",
  "further tests", "not yet known"): filler words only, so "it's not rare" is still wrong, and
  hedges of several words go first, so "not sure, rare" is never read as "not rare"; a typo
  inside a hedge is still a typo ("I think it's the spien": almost);
- a cloze answer that repeats the words around the blank, within its clause ("leave bones
  fragile", "calcium in the blood"), graded without them; a true example the deck declares,
  placed in the body ("numbness in the legs"), is that example;
- a class noun that the question's answers or the entries its prompt lists name, as the
  answer's head ("skull bones", "bones of the skull", "bone scan test"), in list items too;
  never from a lead-in ("Cancers that spread to bone:": "breast bone" is wrong), never in the
  middle ("primary bone tumour" is not "primary tumour"); "gland" is a filler ("thyroid gland
  cancer");
- an abbreviation's plural ("MRIs", "CTs") and a clipped "-therapy" word ("chemo", "radio",
  "immuno", "physio": its stem ending in o).

Also:

- two accepted answers given together ("inflammation and swelling") count as the weaker one;
- a cloze answer that leaves out only words the question itself gives is ALMOST ("pain" where
  the list is of symptoms of bone metastasis and the key is "bone pain");
- a contrast's "A or B: which one …?" accepts any part of the right term that the other lacks
  ("primary" for "primary bone cancer"), as the bank declares (``Question.also_true``).

Lists (see ``list_answers``): the answer is split at commas, semicolons, slashes, new lines and
"and"; a phrase like "urinary and bowel incontinence" counts as its two items (the shared noun is
distributed), words may come in any order and form ("leg weakness" for "weakness in the legs or
arms"). Each item is matched by at most one answer; an answer repeated is counted once; on an
incomplete list ("not a complete list"), an answer the deck declares true (``also_true``) is never
penalised, and stands in for a source item the learner did not give (naming as many true examples
as the source lists is "almost": Hard, since the card's own list was not all recalled); any other
answer not in the list is an extra.

Verdicts and the rating they suggest (the learner may change it before it is saved):

====================================================  =========  ===========
what was typed                                        verdict    rating
====================================================  =========  ===========
an accepted answer (every item of a list)             right      Good
the same with a typo (in at least one item)           almost     Hard
some items: at least 75 % of the items, and at        partial    Hard
least 75 % of the answers given are in the list
some items, fewer than that, or mostly extras         partial    Again
nothing right                                         wrong      Again
Enter alone: the answer is shown                      revealed   Good (learner's choice)
====================================================  =========  ===========

Every grade carries a one-line ``explanation``: which answer matched what, or which rule refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from .normalize import normalize
from .question import Question, QuestionKind
from .scheduling import Rating
from .wording import plural

if TYPE_CHECKING:
    from .answers import Match

# The matching modules (answers, typo, list_answers) are imported on the first typed answer,
# not on the way to the first question.

SHORT_WORDS = 4
SHORT_CHARS = 40
LIST_PASS = 0.75  # list items recalled, and answers in the list, that still make a (hard) pass


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
    explanation: str = ""  # one line: what matched what, or which rule refused
    true_extra: tuple[str, ...] = ()  # list recall: true answers beyond the source's list

    @property
    def recalled(self) -> int:
        """Items recalled; on an incomplete list a declared true example stands in for a source
        item not given (the learner named as many true examples as the source lists)."""
        hits = sum(1 for item in self.items if item.verdict is not Verdict.WRONG)
        return hits + min(len(self.true_extra), len(self.items) - hits)

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
    if kind is QuestionKind.BASIC and question.variant.startswith("q-") and _short(question.answer):
        return Mode.TYPE  # an authored question without options (``questions:`` in a deck)
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


def split_list(given: str, known: Sequence[str] = ()) -> list[str]:
    """A typed list → its answers (see ``list_answers``)."""
    from .list_answers import split_list

    return split_list(given, known)


def match_text(
    given: str, accepted: Sequence[str], vocabulary: tuple[tuple[str, ...], ...] = ()
) -> Verdict:
    """RIGHT when the answer equals an accepted one (see ``answers``), ALMOST within a typo."""
    from .answers import match

    return Verdict(match(given, _alternatives(accepted), vocabulary).verdict)


def close_enough(given: str, expected: str) -> bool:
    """Whether ``given`` is a typo of ``expected`` (see ``typo``)."""
    from .answers import match

    return match(given, [expected]).verdict == Verdict.ALMOST


def edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance with adjacent swaps counted as one edit; at most ``cap + 1``."""
    from rapidfuzz.distance import OSA

    return min(OSA.distance(a, b, score_cutoff=cap + 1), cap + 1)


def grade_text(question: Question, given: str) -> Grade:
    if question.kind is QuestionKind.LIST_RECALL and question.items:
        return grade_list(question, given)
    from .answers import match

    accepted = accepted_answers(question)
    result = match(
        given, [*accepted, *question.also_true], question.vocabulary, question.near_misses
    )
    if result.verdict == Verdict.WRONG:
        result = _each_accepted(question, given, accepted) or result
    if result.verdict == Verdict.WRONG:
        from .given_words import class_context, with_class_noun

        targets = [*accepted, *question.also_true]
        context = class_context(question.prompt, targets)
        result = with_class_noun(given, targets, context, question.vocabulary) or result
    if result.verdict == Verdict.WRONG and question.kind is QuestionKind.CLOZE:
        result = _echo(question, given, accepted) or _placed(question, given) or result
    if result.verdict == Verdict.WRONG and question.kind is QuestionKind.CLOZE:
        from .answers import in_context

        result = in_context(given, accepted, question.prompt, question.vocabulary) or result
    why = result.why
    if result.verdict != Verdict.WRONG and result.target not in accepted:
        why += (
            " — enough to tell the two apart"
            if question.kind is QuestionKind.REVERSED
            else " — a true example the deck declares, though not the one hidden"
        )
    return Grade(Verdict(result.verdict), question.answer, explanation=_one_line(why))


def _echo(question: Question, given: str, accepted: list[str]) -> Match | None:
    """A cloze answer that repeats the words around the blank, graded without them."""
    from .answers import Match, match
    from .given_words import without_echo

    rest = without_echo(given, question.prompt)
    if rest is None:
        return None
    found = match(rest, [*accepted, *question.also_true], question.vocabulary, question.near_misses)
    if found.verdict == Verdict.WRONG:
        return None
    return Match(found.verdict, f"{found.why} (the words around the blank repeated)", found.target)


def _placed(question: Question, given: str) -> Match | None:
    """A true example the deck declares, placed in the body ("numbness in the legs"): as true
    as the example, on an open list. Never for the key itself, whose place the question sets
    ("calcium in the urine" is not "calcium in the blood")."""
    from .answers import Match, match

    head, found, _ = given.partition(" in ")
    if not found or not question.also_true:
        return None
    result = match(head, question.also_true, question.vocabulary, question.near_misses)
    if result.verdict != Verdict.RIGHT:
        return None
    return Match(result.verdict, f"{result.why}, placed in the body", result.target)


def _each_accepted(question: Question, given: str, accepted: list[str]) -> Match | None:
    """Two accepted answers given together ("inflammation and swelling"): graded as the weaker
    of them; any part that is not accepted makes the whole wrong."""
    from .answers import Match, match

    parts = split_list(given, accepted)
    if len(parts) < 2:
        return None
    found = [match(p, accepted, question.vocabulary, question.near_misses) for p in parts]
    if any(m.verdict == Verdict.WRONG for m in found):
        return None
    weakest = next((m for m in found if m.verdict == Verdict.ALMOST), found[0])
    why = "each part is accepted: " + "; ".join(m.why for m in found)
    return Match(weakest.verdict, why, weakest.target)


def grade_list(question: Question, given: str) -> Grade:
    """Item by item: each item is matched by at most one of the learner's answers."""
    from .list_answers import match_list

    outcome = match_list(question, given)
    found = dict(outcome.found)
    items = question.items or ()
    results = tuple(
        ItemResult(item, Verdict(found[n][0]), found[n][1])
        if n in found
        else ItemResult(item, Verdict.WRONG)
        for n, item in enumerate(items)
    )
    hits = [r for r in results if r.verdict is not Verdict.WRONG]
    # on an incomplete list, a declared true example stands in for a source item not given
    stand_ins = min(len(outcome.true_extra), len(results) - len(hits))
    if outcome.extra and hits:
        verdict = Verdict.PARTIAL  # wrong extras: never a clean pass (rated Hard at best)
    elif len(hits) + stand_ins == len(results):
        # another true example for a source item is knowledge, not the card's exact list: Hard
        exact = not stand_ins and all(r.verdict is Verdict.RIGHT for r in hits)
        verdict = Verdict.RIGHT if exact else Verdict.ALMOST
    else:
        verdict = Verdict.PARTIAL if hits or stand_ins else Verdict.WRONG
    explanation = f"{len(hits)} of {len(items)} items"
    if stand_ins:
        explanation += f" and {plural(stand_ins, 'other true example')} in their place"
    if outcome.notes:
        explanation += ": " + "; ".join(outcome.notes)
    return Grade(
        verdict,
        "; ".join(items),
        results,
        tuple(outcome.extra),
        _one_line(explanation),
        tuple(outcome.true_extra),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
