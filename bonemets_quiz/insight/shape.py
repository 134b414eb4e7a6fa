"""The class report's shape: what ``class_report`` returns, ``--format json`` prints, HTML draws.

A plain JSON-ready dict so scripts, the HTML renderer and tests share one contract. Figures resting
on fewer than ``min_learners`` learners are ``None`` with ``hidden: True`` (privacy and honesty);
every figure says how many learners and reviews it rests on.
"""

from __future__ import annotations

from typing import Literal, TypedDict

FORMAT = "bonemets-quiz-class-report"
VERSION = 1

FlagKind = Literal[
    "too-easy",  # almost everyone right at the first try
    "negative-discrimination",  # strong learners miss it more than weak: wrong key, ambiguous stem
    "unused-distractor",  # an option nobody picks
    "synonym-candidate",  # a typed answer often marked wrong, close to the key: extend vocabulary
    "given-away",  # answered right whether or not the fact is known: a sibling or stem cues it
]
Severity = Literal["broken", "review", "info"]  # "broken": the question is wrong as written


class Spread(TypedDict):
    """A class-wide distribution of one FSRS figure (learners' latest state)."""

    median: float
    p25: float
    p75: float


class OptionCount(TypedDict):
    text: str
    correct: bool
    chosen: int  # how many answers picked it


class WrongAnswer(TypedDict):
    text: str  # as typed (only with show_answers)
    count: int  # answers
    learners: int


class QuestionStats(TypedDict):
    question_id: str
    fact_id: str
    topic: str
    kind: str  # the question kind, e.g. "mcq", "cloze", "typed"
    prompt: str
    learners: int
    reviews: int
    hidden: bool  # fewer than min_learners learners: the figures below are None
    facility: float | None  # share right at each learner's first try
    later_success: float | None  # share right at later reviews
    difficulty: Spread | None
    stability: Spread | None  # days
    discrimination: float | None  # upper-minus-lower group facility, -1..1
    options: list[OptionCount] | None  # multiple choice only
    wrong_answers: list[WrongAnswer] | None  # typed only, and only with show_answers
    wrong_answer_count: int  # typed answers marked wrong (a count is always safe to show)


class FactStats(TypedDict):
    fact_id: str
    topic: str
    learners: int
    hidden: bool
    recall: float | None  # mean FSRS retrievability today across the class


class TopicStats(TypedDict):
    topic: str
    facts: int
    learners: int
    hidden: bool
    recall: float | None


class RetentionPoint(TypedDict):
    day: str  # YYYY-MM-DD
    recall: float | None
    learners: int


class TopicRetention(TypedDict):
    topic: str
    points: list[RetentionPoint]


class Flag(TypedDict):
    question_id: str
    kind: FlagKind
    severity: Severity
    reason: str  # one plain sentence for the educator, with the figures behind it
    option: str | None  # the distractor or typed answer the flag is about, if any


class Counts(TypedDict):
    logs: int  # files read
    learners: int  # distinct learners after removing duplicates
    reviews: int  # reviews used
    duplicate_logs: list[str]  # learner names whose log repeated another's (counted once)
    other_deck_reviews: int  # reviews of decks not in the report (ignored)
    renamed_reviews: int  # reviews of an old question id, counted under its successor (replaces:)
    retired_reviews: int  # reviews of questions the decks no longer have (ignored)


class ClassReport(TypedDict):
    format: str  # FORMAT
    version: int  # VERSION
    generated_at: str  # UTC ISO-8601
    today: str  # YYYY-MM-DD the retrievabilities are computed for
    decks: list[str]
    min_learners: int
    show_answers: bool
    counts: Counts
    questions: list[QuestionStats]
    facts: list[FactStats]
    topics: list[TopicStats]
    retention_over_time: list[TopicRetention]
    flags: list[Flag]
