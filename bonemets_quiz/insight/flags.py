"""Flags: the questions an educator should look at, each with one plain sentence and its figures.

Severity: ``broken`` — the question is wrong as written (a wrong key, an answer given away); it
takes at least ``BROKEN_MIN_LEARNERS`` learners to say so, fewer give ``review``. ``review`` —
worth a look. ``info`` — good to know. Flags are only raised on figures that are shown (at least
the report's minimum of learners).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..deck.question import Question, QuestionKind
from ..records import Record
from ..study.grading.grade import Mode, accepted_answers, answer_mode
from ..text.normalize import normalize
from .answers import Choices, WrongTyped
from .discrimination import Groups, option_discrimination
from .shape import Flag, FlagKind, Severity

# too easy: almost everyone right at the first try (it teaches little; harder wording or drop)
TOO_EASY_FACILITY = 0.9
# negative discrimination: the upper group does worse than the lower; at or below
# BROKEN_DISCRIMINATION (a fifth of the class apart) it is not chance in a class of 20 or more
BROKEN_DISCRIMINATION = -0.2
# above this, a negative index is within chance even for a class of 60: not worth a look
REVIEW_DISCRIMINATION = -0.1
# the upper group's favourite first choice is a distractor, chosen by this share more of the
# upper group than of the lower, while the key does not discriminate (<= 0): likely a wrong key
RIVAL_OPTION = 0.2
# "broken" is a strong word: below this many learners, 27 % groups are a handful of people
BROKEN_MIN_LEARNERS = 20
# an option nobody picked, among at least this many answers (fewer: not yet telling)
UNUSED_MIN_ANSWERS = 20
# a wrong typed answer given by at least this many learners and this alike to an accepted answer
# (rapidfuzz's token_sort_ratio, 0-100, words in any order: "spinal" for "spine" scores 73,
# "bone" for "backbone" 67, "no idea" 33); a part of the key ("bone" for "bone pain") is not one
SYNONYM_MIN_LEARNERS = 3
SYNONYM_SIMILARITY = 70
# given away: right at least this often at the first try, by at least this share of the
# learners who MISSED one of its siblings (they did not know the fact, yet got this right),
# while its siblings' facility is at least GIVEN_AWAY_GAP lower and it hardly discriminates
GIVEN_AWAY_FACILITY = 0.9
GIVEN_AWAY_DESPITE = 0.9
GIVEN_AWAY_GAP = 0.25
GIVEN_AWAY_DISCRIMINATION = 0.15


class Evidence(Record):
    """What the flags of one question are judged on (its figures are shown: enough learners)."""

    question: Question
    first: dict[str, bool]  # learner → right at the first try
    facility: float
    discrimination: float | None
    groups: Groups | None
    choices: Choices | None  # chosen answers only
    wrong: list[WrongTyped]  # typed answers only
    siblings: list[tuple[Question, dict[str, bool]]]  # the fact's other questions, first tries
    show_answers: bool


def flags(e: Evidence) -> list[Flag]:
    return [
        *_too_easy(e),
        *_negative(e),
        *_unused(e),
        *_synonyms(e),
        *_given_away(e),
    ]


def _flag(
    e: Evidence, kind: FlagKind, severity: Severity, reason: str, option: str | None = None
) -> Flag:
    return {
        "question_id": e.question.id,
        "kind": kind,
        "severity": severity,
        "reason": reason,
        "option": option,
    }


def _pct(share: float) -> str:
    return f"{share:.0%}"


def _strong(e: Evidence) -> bool:
    return len(e.first) >= BROKEN_MIN_LEARNERS


def _too_easy(e: Evidence) -> Iterator[Flag]:
    if e.facility >= TOO_EASY_FACILITY:
        yield _flag(
            e,
            "too-easy",
            "info",
            f"{_pct(e.facility)} of {len(e.first)} learners answered it right at the first try: "
            "it hardly tests anything.",
        )


def _negative(e: Evidence) -> Iterator[Flag]:
    d = e.discrimination
    if d is None or d > 0:
        return
    rival = _rival(e)
    if rival is not None:
        text, lead = rival
        yield _flag(
            e,
            "negative-discrimination",
            "broken" if _strong(e) else "review",
            f"Strong learners chose “{text}” over the key, {_pct(lead)} more often than weak "
            f"ones (the key's discrimination {d:+.2f}): the key is likely wrong.",
            text,
        )
        return
    if d > REVIEW_DISCRIMINATION:
        return
    severity: Severity = "broken" if d <= BROKEN_DISCRIMINATION and _strong(e) else "review"
    yield _flag(
        e,
        "negative-discrimination",
        severity,
        f"Strong learners miss it more than weak ones (discrimination {d:+.2f}, "
        f"{len(e.first)} learners): check the key and the wording for ambiguity.",
    )


def _rival(e: Evidence) -> tuple[str, float] | None:
    """The distractor the upper group chose most at the first try, if they chose it more often
    than the key and clearly more than the lower group did (by ``RIVAL_OPTION``)."""
    q, picked, split = e.question, e.choices, e.groups
    if picked is None or split is None or not q.options or q.correct_option is None:
        return None
    upper = [picked.first.get(n) for n in split.upper]
    favourite = max(range(len(q.options)), key=upper.count)
    if favourite == q.correct_option or upper.count(favourite) <= upper.count(q.correct_option):
        return None
    lead = option_discrimination(picked.first, split, favourite)
    if lead is None or lead < RIVAL_OPTION:
        return None
    return q.options[favourite], lead


def _unused(e: Evidence) -> Iterator[Flag]:
    q, picked = e.question, e.choices
    if picked is None or q.kind is not QuestionKind.MULTIPLE_CHOICE:
        return
    answers = sum(picked.counts)
    if answers < UNUSED_MIN_ANSWERS:
        return
    for index, text in enumerate(q.options or ()):
        if index != q.correct_option and picked.counts[index] == 0:
            yield _flag(
                e,
                "unused-distractor",
                "review",
                f"Nobody chose “{text}” in {answers} answers: it distracts no one; replace it "
                "with a mistake learners actually make.",
                text,
            )


def _synonyms(e: Evidence) -> Iterator[Flag]:
    if answer_mode(e.question) is not Mode.TYPE:
        return
    from rapidfuzz import fuzz

    keys = [normalize(a) for a in accepted_answers(e.question)]
    for wrong in e.wrong:
        if wrong.learners < SYNONYM_MIN_LEARNERS or _part_of(wrong.key, keys):
            continue
        alike = max((fuzz.token_sort_ratio(wrong.key, k) for k in keys if k), default=0.0)
        if alike < SYNONYM_SIMILARITY:
            continue
        shown = f"“{wrong.text}”" if e.show_answers else "the same answer"
        yield _flag(
            e,
            "synonym-candidate",
            "review",
            f"{wrong.learners} learners typed {shown} ({wrong.answers} times), marked wrong but "
            f"close to the key (similarity {alike:.0f}/100): if it is right, add it to the "
            "deck's vocabulary or the question's alternatives.",
            wrong.text if e.show_answers else None,
        )


def _part_of(answer: str, keys: Sequence[str]) -> bool:
    """Whether the answer's words are a strict part of a key's ("bone" for "bone pain"): an
    incomplete answer, not another name for the same thing."""
    words = set(answer.split())
    return any(words < set(k.split()) for k in keys)


def _given_away(e: Evidence) -> Iterator[Flag]:
    if e.facility < GIVEN_AWAY_FACILITY or not e.siblings:
        return
    missed = {n for _, first in e.siblings for n, ok in first.items() if not ok and n in e.first}
    sibling_facility = _mean([ok for _, first in e.siblings for ok in first.values()])
    if not missed or sibling_facility is None:
        return
    despite = sum(e.first[n] for n in missed) / len(missed)
    d = e.discrimination
    if (
        despite < GIVEN_AWAY_DESPITE
        or sibling_facility > e.facility - GIVEN_AWAY_GAP
        or len(missed) < 2
    ):
        return
    flat = d is not None and d <= GIVEN_AWAY_DISCRIMINATION
    severity: Severity = "broken" if flat and _strong(e) else "review"
    cue = _cue(e.question, [q for q, _ in e.siblings])
    where = f" ({cue.id} writes its answer in its prompt)" if cue is not None else ""
    yield _flag(
        e,
        "given-away",
        severity,
        f"{_pct(despite)} of the {len(missed)} learners who missed another question of the same "
        f"fact still got this one right (facility {_pct(e.facility)} against "
        f"{_pct(sibling_facility)} for its siblings{_d(d)}): the answer is given away{where}.",
    )


def _d(d: float | None) -> str:
    return "" if d is None else f"; discrimination {d:+.2f}"


def _mean(values: Sequence[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def _cue(question: Question, siblings: Sequence[Question]) -> Question | None:
    """A sibling whose prompt contains this question's answer word for word: the static check
    the worksheet makes to keep such questions apart (``worksheet._Giveaways``)."""
    from ..educators.worksheet.sheet import _Giveaways

    gives = _Giveaways([question, *siblings])
    keys = gives.answers[question.id]
    return next((s for s in siblings if any(k in gives.prompt[s.id] for k in keys)), None)
