"""Discrimination: does a question separate the learners who know the deck from those who do not?

The classical upper-minus-lower index (Kelley's 27 % groups, as item analysis has used since
the 1930s, and close to Moodle's discrimination index): the learners who saw the question are
ranked by their REST score — their share of first tries right over every OTHER question they
saw, so the question does not vote for itself — and the index is the facility in the top
``GROUP_SHARE`` minus the facility in the bottom ``GROUP_SHARE``: from -1 (strong learners all
miss it, weak ones all get it) to 1. The same groups give each option's share of choices in the
upper group minus the lower (``option_discrimination``): a distractor that strong learners
choose more than weak ones is likely the right answer (a wrong key).

Learners see different subsets of a deck, so the rest score is a share, not a sum; a learner
who saw only this question has no rest score and is left out of the groups.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

from ..records import Record

GROUP_SHARE = 0.27  # Kelley's optimum for a normal ability: groups big and far apart at once


class Totals(Record):
    right: dict[str, int]  # learner → first tries right, over every question seen
    seen: dict[str, int]  # learner → questions seen


def totals(firsts: Sequence[Mapping[str, bool]]) -> Totals:
    right: dict[str, int] = {}
    seen: dict[str, int] = {}
    for first in firsts:
        for name, ok in first.items():
            right[name] = right.get(name, 0) + ok
            seen[name] = seen.get(name, 0) + 1
    return Totals(right, seen)


class Groups(Record):
    upper: list[str]
    lower: list[str]


def groups(first: Mapping[str, bool], sums: Totals) -> Groups | None:
    """The top and bottom ``GROUP_SHARE`` of the learners who saw a question, by rest score;
    None when fewer than two learners have one."""
    rest = []
    for name, ok in first.items():
        others = sums.seen[name] - 1
        if others > 0:
            rest.append(((sums.right[name] - ok) / others, name))
    if len(rest) < 2:
        return None
    rest.sort()  # ties by name: the same groups on every run
    size = max(1, round(GROUP_SHARE * len(rest)))
    size = min(size, len(rest) // 2)
    return Groups([n for _, n in rest[-size:]], [n for _, n in rest[:size]])


def discrimination(first: Mapping[str, bool], split: Groups | None) -> float | None:
    if split is None:
        return None
    upper = sum(first[n] for n in split.upper) / len(split.upper)
    lower = sum(first[n] for n in split.lower) / len(split.lower)
    return upper - lower


def option_discrimination(
    choices: Mapping[str, Hashable], split: Groups | None, option: Hashable
) -> float | None:
    """The share of the upper group whose first choice was ``option``, minus the lower's."""
    if split is None:
        return None
    upper = sum(choices.get(n) == option for n in split.upper) / len(split.upper)
    lower = sum(choices.get(n) == option for n in split.lower) / len(split.lower)
    return upper - lower
