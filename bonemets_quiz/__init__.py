"""bonemets-quiz: spaced-repetition quizzes and Anki decks from one bank of facts.

The public API (see README): ``load_decks``, ``generate_bank``, ``select`` and the model types.
Study sessions live in ``bonemets_quiz.session``, exporters in ``bonemets_quiz.export``.
"""

from .deck_loader import builtin_deck_path, load_deck, load_decks, parse_deck
from .errors import DeckError, Problem, QuizError, StoreError, UsageError
from .generate import generate_bank, generate_questions, select
from .model import Deck, Fact, FactKind, Question, QuestionKind

__version__ = "0.1.0"

__all__ = [
    "Deck",
    "DeckError",
    "Fact",
    "FactKind",
    "Problem",
    "Question",
    "QuestionKind",
    "QuizError",
    "StoreError",
    "UsageError",
    "__version__",
    "builtin_deck_path",
    "generate_bank",
    "generate_questions",
    "load_deck",
    "load_decks",
    "parse_deck",
    "select",
]
