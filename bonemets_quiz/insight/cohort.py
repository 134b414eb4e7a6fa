"""Cohort parameters: FSRS's memory model fitted to a whole class's reviews (fsrs-rs, as in
``optimize``), written into the deck so that new learners start from it (``deck_scheduling``).

Reviews of different learners are different cards even for the same question, and the log
records do not name their learner: the logs come as ``{learner: records}``. Each learner's
questions become their own histories (study days in ``zone`` from ``day_start_hour``, as
``optimize`` counts them), and the fit is judged on learners it did not see: a fifth of the
learners (``optimize.TEST_SHARE``, chosen by ``seed``) are held out, the parameters are fitted on
the others' reviews, and the defaults and the fitted parameters are scored on the held-out
learners' reviews (log loss and RMSE(bins), fsrs-rs's ``evaluate``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from ..errors import QuizError
from ..progress.fsrs_items import Item, day_histories, training_items
from ..progress.optimize import NOISE, Fit, fit, fsrs_rs, held_out, score
from ..progress.review_log import LogRecord
from ..records import Record
from ..study.scheduling import checked_now
from ..study.store.rows import to_us

MIN_LEARNERS = 5  # a fifth held out: at least one learner to judge the fit on
_SEPARATOR = "\x1f"  # between a learner's number and a question id in an item's key

Logs = Mapping[str, Sequence[LogRecord]]


class FitRefused(QuizError):
    """The cohort parameters were not written; the message says why in one line."""

    exit_code = 2


class CohortFit(Record):
    learners: int
    reviews: int
    train_learners: int
    test_learners: int
    train_items: int
    test_items: int
    default: Fit  # FSRS's defaults on the held-out learners' reviews
    fitted: Fit
    parameters: tuple[float, ...]
    better: bool  # the fitted parameters beat the defaults on held-out log loss

    def to_dict(self) -> dict[str, object]:
        data: dict[str, Any] = self._asdict()
        data["default"], data["fitted"] = self.default._asdict(), self.fitted._asdict()
        data["parameters"] = list(self.parameters)
        return data


def fit_cohort_parameters(
    logs: Logs | Sequence[LogRecord],
    *,
    now: datetime | None = None,
    seed: int = 0,
    zone: tzinfo = UTC,
    day_start_hour: int = 4,
) -> CohortFit:
    """Fit FSRS parameters to the class's reviews (up to ``now``) and score them on held-out
    learners. A plain sequence of records is one learner's. Raises ``NotEnoughHistory`` (fewer
    reviews than ``optimize`` needs), ``FitRefused`` (fewer than ``MIN_LEARNERS`` learners) or
    ``OptimizerMissing``."""
    by_learner = logs if isinstance(logs, Mapping) else {"learner": logs}
    until = None if now is None else to_us(checked_now(now))
    rows = [
        (f"{n}{_SEPARATOR}{record.question_id}", to_us(record.reviewed_at), int(record.rating))
        for n, records in enumerate(by_learner.values())
        for record in records
    ]
    histories = day_histories(rows, zone, day_start_hour, until)
    learners = len({_learner(key) for key in histories})
    if learners < MIN_LEARNERS:
        raise FitRefused(
            f"fitting cohort parameters needs the logs of at least {MIN_LEARNERS} learners "
            f"(one log per learner); got {learners}"
        )
    rs = fsrs_rs()
    reviews = sum(map(len, histories.values()))
    train, test = held_out(training_items(histories), reviews, seed, _item_learner)
    parameters = fit(rs, train, seed)
    default, fitted = score(rs, rs.DEFAULT_PARAMETERS, test), score(rs, parameters, test)
    tested = len({_item_learner(item) for item in test})
    return CohortFit(
        learners=learners,
        reviews=reviews,
        train_learners=len({_item_learner(item) for item in train}),
        test_learners=tested,
        train_items=len(train),
        test_items=len(test),
        default=default,
        fitted=fitted,
        parameters=parameters,
        better=fitted.log_loss < default.log_loss - NOISE,
    )


def _learner(key: str) -> str:
    return key.partition(_SEPARATOR)[0]


def _item_learner(item: Item) -> str:
    return _learner(item.question_id)


def fit_into_deck(
    records: Logs | Sequence[LogRecord], deck_path: Path, now: datetime, *, seed: int = 0
) -> str:
    """Fit cohort parameters (``fit_cohort_parameters``; pass ``{learner: records}``) and write
    them into the deck file's ``scheduling:`` field, changing nothing else in the file (written
    whole or not at all, its permissions kept). Returns one line saying what was written.

    Refuses (``FitRefused``, one line) the built-in deck and a fit no better than the defaults;
    ``NotEnoughHistory`` for too few reviews; ``DeckError`` for a deck that does not load."""
    from ..bank.loading import load_deck, parse_deck
    from ..deck.parameters import with_scheduling
    from ..export.atomic import write_bytes_atomic

    path = Path(deck_path)
    if _is_builtin(path):
        raise FitRefused(
            f"{path}: the built-in deck belongs to the installed package and is not changed — "
            "copy it and fit into the copy (--deck my-copy.yaml)"
        )
    load_deck(path)
    result = fit_cohort_parameters(records, now=now, seed=seed)
    if not result.better:
        raise FitRefused(
            f"{path}: not written — the fitted parameters predict the held-out learners no "
            f"better than FSRS's defaults (log loss {result.fitted.log_loss:.4f} against "
            f"{result.default.log_loss:.4f}); fit again when the class has more reviews"
        )
    day = now.astimezone(UTC).date().isoformat()
    note = f"{result.learners} learners, {result.reviews} reviews, {day}"
    text = with_scheduling(path.read_bytes().decode("utf-8"), result.parameters, note)
    if parse_deck(text, str(path)).parameters != result.parameters:  # never expected
        raise FitRefused(f"{path}: the scheduling block could not be placed; nothing written")
    write_bytes_atomic(path, text.encode("utf-8"))
    return (
        f"Wrote cohort parameters to {path} (scheduling:): fitted to {result.reviews:,} reviews "
        f"of {result.learners} learners; on {result.test_learners} held-out learners' reviews "
        f"log loss {result.default.log_loss:.4f} → {result.fitted.log_loss:.4f}, RMSE(bins) "
        f"{result.default.rmse_bins:.4f} → {result.fitted.rmse_bins:.4f}."
    )


def _is_builtin(path: Path) -> bool:
    """The built-in deck, or any file inside the installed package."""
    from .. import __file__ as package_init
    from ..deck.loader import builtin_deck_path

    target = path.resolve()
    return target == builtin_deck_path().resolve() or Path(package_init).parent in target.parents
