"""bonemets-quiz: spaced-repetition quizzes and Anki decks from one bank of facts.

The public API (see README): ``load_decks``, ``generate_bank``, ``select`` and the model types;
the review log: ``export_log``, ``import_log``, ``import_records``, ``replay``, ``read_log``,
``import_anki``; class insight: ``class_report``;
personal FSRS parameters: ``optimize_parameters``, ``suggest_retention`` (the
optimizer extra).
Study sessions live in ``bonemets_quiz.study.session``, exporters in ``bonemets_quiz.export``.
Names are imported on first use, so ``import bonemets_quiz`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "builtin_deck_path": "deck.loader",
    "load_deck": "bank.loading",
    "load_decks": "bank.loading",
    "parse_deck": "bank.loading",
    "DeckError": "errors",
    "Problem": "errors",
    "QuizError": "errors",
    "StoreError": "errors",
    "UsageError": "errors",
    "generate_bank": "bank.generate",
    "generate_questions": "bank.generate",
    "select": "bank.generate",
    "Deck": "deck.model",
    "Fact": "deck.model",
    "FactKind": "deck.model",
    "Question": "deck.model",
    "QuestionKind": "deck.model",
    "FitReport": "progress.optimize",
    "optimize_parameters": "progress.optimize",
    "suggest_retention": "progress.retention",
    "import_anki": "progress.anki_import",
    "class_report": "insight.report",
    "ImportSummary": "progress.logs",
    "export_log": "progress.logs",
    "import_log": "progress.logs",
    "import_records": "progress.logs",
    "replay": "progress.logs",
    "LogError": "progress.review_log",
    "LogRecord": "progress.review_log",
    "read_log": "progress.review_log",
}

if TYPE_CHECKING:
    from .bank.generate import generate_bank, generate_questions, select
    from .bank.loading import load_deck, load_decks, parse_deck
    from .deck.loader import builtin_deck_path
    from .deck.model import Deck, Fact, FactKind, Question, QuestionKind
    from .errors import DeckError, Problem, QuizError, StoreError, UsageError
    from .insight.report import class_report
    from .progress.anki_import import import_anki
    from .progress.logs import ImportSummary, export_log, import_log, import_records, replay
    from .progress.optimize import FitReport, optimize_parameters
    from .progress.retention import suggest_retention
    from .progress.review_log import LogError, LogRecord, read_log


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bonemets_quiz' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "Deck",
    "DeckError",
    "Fact",
    "FactKind",
    "FitReport",
    "ImportSummary",
    "LogError",
    "LogRecord",
    "Problem",
    "Question",
    "QuestionKind",
    "QuizError",
    "StoreError",
    "UsageError",
    "__version__",
    "builtin_deck_path",
    "class_report",
    "export_log",
    "generate_bank",
    "generate_questions",
    "import_anki",
    "import_log",
    "import_records",
    "load_deck",
    "load_decks",
    "optimize_parameters",
    "parse_deck",
    "read_log",
    "replay",
    "select",
    "suggest_retention",
]
