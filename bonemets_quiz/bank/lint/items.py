"""Item-writing checks, after the exam boards' guides (NBME's *Constructing Written Test
Questions*): flaws that let a test-wise learner answer without knowing, or that mark a right
answer wrong.

Pure: a deck and its generated questions in, located warnings out. Every check is one pass over
the questions (indexes are built once), so a deck of 10,000 facts lints in linear time.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...deck.locate import Locator
from ...deck.model import Deck, Question
from ...errors import Problem
from .blanks import open_blanks
from .cues import absolute_cues, cueing_stems
from .options import binomial_tail as binomial_tail  # re-exported
from .options import key_position, off_category, repeated_option_sets
from .places import Places


def lint_items(
    deck: Deck, questions: Sequence[Question], where: Locator | None = None
) -> list[Problem]:
    """Every item-writing problem of one deck."""
    where = where or Locator()
    places = Places(where, {fact.id: fact for fact in deck.facts})
    return [
        *absolute_cues(deck, questions, places),
        *off_category(deck, where),
        *repeated_option_sets(deck, questions, places),
        *key_position(deck, questions, where),
        *cueing_stems(deck, questions, places),
        *open_blanks(deck, questions, places),
    ]
