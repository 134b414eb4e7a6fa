"""Which FSRS parameters ``study`` schedules with.

1. the learner's own, fitted by ``optimize`` (saved with the progress, so only when they
   predicted the learner's reviews better than the parameters in use);
2. else the cohort parameters of the decks studied (their ``scheduling:`` field): used only when
   every deck that carries some carries the same ones. Decks without any do not object (they
   have no better model to offer). Decks that disagree share one scheduler, so none of theirs is
   right for the others: the defaults, with one line saying so;
3. else FSRS's defaults.

The deck's parameters are never saved as the learner's: a deck refitted later reaches its
learners, and ``optimize`` still tells the learner's own model from the class's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..records import Record
from .scheduling import Settings


class DeckInfo(Protocol):
    """What the choice reads of a deck (``bank_cache.DeckInfo`` and ``model.Deck`` both have it)."""

    @property
    def id(self) -> str: ...

    @property
    def parameters(self) -> tuple[float, ...] | None: ...


class Choice(Record):
    settings: Settings  # the learner's settings, with the parameters to schedule with
    source: str  # "personal", "deck" or "default"
    note: str | None  # one line for the learner, when decks disagree


def choose_parameters(settings: Settings, decks: Sequence[DeckInfo]) -> Choice:
    """The parameters to schedule with, by the rule above."""
    if settings.parameters is not None:
        return Choice(settings, "personal", None)
    carried = {deck.parameters for deck in decks if deck.parameters is not None}
    if not carried:
        return Choice(settings, "default", None)
    if len(carried) == 1:
        (parameters,) = carried
        return Choice(settings._replace(parameters=parameters), "deck", None)
    names = ", ".join(deck.id for deck in decks if deck.parameters is not None)
    note = (
        f"The decks {names} carry different scheduling parameters: studied together, they are "
        "scheduled with FSRS's defaults (study one deck at a time to use its own)."
    )
    return Choice(settings, "default", note)
