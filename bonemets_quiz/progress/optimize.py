"""Personal FSRS parameters: fit them to the learner's own reviews with fsrs-rs (the Rust FSRS
that Anki uses). (A suggested desired retention: ``retention``.)

fsrs-rs-python is an optional extra (``pip install "bonemets-quiz[optimizer]"``), imported only
inside the functions here, never on ``study``'s path.

The fit is judged on reviews it did not see: the questions are split at random (``seed``) into a
training share and a held-out share (``TEST_SHARE``); parameters are fitted on the first, and the
defaults, the parameters in use and the fitted ones are scored on the second by fsrs-rs's
``evaluate``: log loss, and RMSE(bins), the calibration error FSRS's benchmarks report
(predicted retrievability against the share recalled, in bins of similar reviews). New
parameters are saved only when their held-out log loss is lower than that of the ones in use
(by more than ``NOISE``).

fsrs-rs and py-fsrs 6 (which schedules ``study``) both use FSRS-6's 21 parameters; fsrs-rs
works in 32-bit floats, so the fitted weights are rounded to 6 decimals and kept inside py-fsrs's
bounds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from ..errors import QuizError
from ..records import Record
from ..study.scheduling import Settings, checked_now, within_fsrs_bounds
from ..study.store.rows import to_us
from ..study.store.store import Store
from . import store_log
from .fsrs_items import Item, day_histories, training_items

INSTALL = 'pip install "bonemets-quiz[optimizer]"'
# Anki asks for 400 reviews before it optimizes; fsrs-rs fits only the first four parameters
# (or none) from fewer than 64 training items.
MIN_REVIEWS = 400
MIN_ITEMS = 64
TEST_SHARE = 0.2
# fsrs-rs sums in 32-bit floats across threads: the same parameters can score a few 1e-9 apart
NOISE = 1e-6


class OptimizerMissing(QuizError):
    exit_code = 2

    def __init__(self) -> None:
        super().__init__(f"fitting parameters needs fsrs-rs-python: {INSTALL}")


class NotEnoughHistory(QuizError):
    exit_code = 2

    def __init__(self, reviews: int, items: int) -> None:
        super().__init__(
            f"too little history to fit parameters: {reviews} reviews, {items} on a later day "
            f"than the one before; at least {MIN_REVIEWS} reviews with {MIN_ITEMS} such are "
            "needed — keep studying (over several days) and try again"
        )
        self.reviews = reviews
        self.items = items


class Fit(Record):
    log_loss: float
    rmse_bins: float


class FitReport(Record):
    reviews: int
    questions: int
    train_items: int
    test_items: int
    default: Fit  # fsrs's default parameters on the held-out reviews
    current: Fit  # the parameters in use (the learner's, else the decks', else the defaults)
    fitted: Fit
    parameters: tuple[float, ...]
    better: bool  # the fitted parameters beat those in use on held-out log loss
    saved: bool

    def to_dict(self) -> dict[str, object]:
        data: dict[str, Any] = self._asdict()
        for key in ("default", "current", "fitted"):
            data[key] = data[key]._asdict()
        data["parameters"] = list(self.parameters)
        return data


def fsrs_rs() -> Any:
    """The fsrs-rs-python module, or ``OptimizerMissing`` saying how to install it."""
    try:
        import fsrs_rs_python
    except ImportError:
        raise OptimizerMissing() from None
    return fsrs_rs_python


def optimize_parameters(
    store: Store,
    *,
    now: datetime,
    seed: int,
    zone: tzinfo = UTC,
    save: bool = False,
    deck_parameters: Sequence[float] | None = None,
) -> FitReport:
    """Fit FSRS parameters to the reviews in ``store`` up to ``now`` (study days in ``zone``);
    with ``save``, store them as the learner's settings if they beat those in use: the
    learner's saved ones, else ``deck_parameters`` (the decks' cohort parameters, which
    ``study`` uses then), else the defaults. Raises ``NotEnoughHistory`` (too few reviews) or
    ``OptimizerMissing``."""
    rs = fsrs_rs()
    settings = store.settings()
    rows = [(q, at, rating) for q, at, rating, *_ in store_log.revlog_rows(store)]
    histories = day_histories(rows, zone, settings.day_start_hour, to_us(checked_now(now)))
    reviews = sum(map(len, histories.values()))
    train, test = held_out(training_items(histories), reviews, seed)
    fitted = fit(rs, train, seed)
    candidates = _candidates(rs, settings, deck_parameters, fitted)
    scores = {name: score(rs, w, test) for name, w in candidates.items()}
    better = scores["fitted"].log_loss < scores["current"].log_loss - NOISE
    if save and better:
        if not within_fsrs_bounds(fitted):  # fit() clips to them: never expected
            raise ValueError(f"fitted parameters outside fsrs's bounds: {fitted}")
        store.save_settings(settings._replace(parameters=fitted).checked())
    return FitReport(
        reviews=reviews,
        questions=len(histories),
        train_items=len(train),
        test_items=len(test),
        default=scores["default"],
        current=scores["current"],
        fitted=scores["fitted"],
        parameters=fitted,
        better=better,
        saved=save and better,
    )


def _candidates(
    rs: Any, settings: Settings, deck: Sequence[float] | None, fitted: tuple[float, ...]
) -> dict[str, Sequence[float]]:
    default = list(rs.DEFAULT_PARAMETERS)
    current = settings.parameters or deck or default
    return {"default": default, "current": current, "fitted": fitted}


def held_out(
    items: list[Item], reviews: int, seed: int, group: Callable[[Item], str] | None = None
) -> tuple[list[Item], list[Item]]:
    """``split``, or ``NotEnoughHistory`` when there is too little to fit and to score."""
    if reviews < MIN_REVIEWS or len(items) < MIN_ITEMS:
        raise NotEnoughHistory(reviews, len(items))
    train, test = split(items, seed, group)
    if len(train) < MIN_ITEMS or not test:
        raise NotEnoughHistory(reviews, len(items))
    return train, test


def split(
    items: list[Item], seed: int, group: Callable[[Item], str] | None = None
) -> tuple[list[Item], list[Item]]:
    """(training, held-out) items, split by ``group`` (default: the question): a group's items
    all go to one side."""
    key = group or _question
    groups = sorted({key(item) for item in items})
    random.Random(seed).shuffle(groups)
    held = set(groups[: round(len(groups) * TEST_SHARE)])
    train = [item for item in items if key(item) not in held]
    test = [item for item in items if key(item) in held]
    return train, test


def _question(item: Item) -> str:
    return item.question_id


def _rs_items(rs: Any, items: list[Item]) -> list[Any]:
    review = rs.FSRSReview
    return [rs.FSRSItem([review(r, d) for r, d in item.reviews]) for item in items]


def fit(rs: Any, items: list[Item], seed: int) -> tuple[float, ...]:
    """FSRS parameters fitted to ``items`` (fsrs-rs's ``compute_parameters``), made fit for
    py-fsrs (6 decimals, inside its bounds)."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    config = rs.TrainingConfig(seed=seed)
    weights = rs.FSRS(list(rs.DEFAULT_PARAMETERS)).compute_parameters(
        _rs_items(rs, items), training_config=config
    )
    bounds = zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    return tuple(min(max(round(w, 6), low), high) for w, low, high in bounds)


def score(rs: Any, parameters: Sequence[float], items: list[Item]) -> Fit:
    """Log loss and RMSE(bins) of ``parameters``' predictions for ``items`` (fsrs-rs)."""
    result = rs.FSRS(list(parameters)).evaluate(_rs_items(rs, items))
    return Fit(float(result.log_loss), float(result.rmse_bins))
