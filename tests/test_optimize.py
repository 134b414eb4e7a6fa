"""``optimize``: personal FSRS parameters fitted with fsrs-rs, saved only when they predict
held-out reviews better, then used by ``study``; a suggested desired retention."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest_study import DECK
from deck_files import write_deck
from fsrs_synth import KNOWN, START, fill, histories, insert_reviews

from bonemets_quiz.cli import cli
from bonemets_quiz.progress import store_log
from bonemets_quiz.progress.fsrs_items import day_histories, items_of, training_items
from bonemets_quiz.progress.optimize import (
    MIN_REVIEWS,
    NotEnoughHistory,
    fsrs_rs,
    optimize_parameters,
    score,
)
from bonemets_quiz.progress.retention import rating_shares
from bonemets_quiz.study.scheduling import Scheduler, Settings, settings_from_dict, settings_to_dict
from bonemets_quiz.study.store.rows import to_us
from bonemets_quiz.study.store.store import Store

LATER = datetime(2100, 1, 1, tzinfo=UTC)
LATER_TEXT = LATER.isoformat()
INSTALL = 'pip install "bonemets-quiz[optimizer]"'


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with 5,000 reviews drawn from the KNOWN parameters (copied per test)."""
    path = tmp_path_factory.mktemp("synthetic") / "progress.sqlite3"
    with Store.open(path) as store:
        assert fill(store, 5000) >= 5000
    return path


def copy_of(path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "progress.sqlite3"
    target.write_bytes(path.read_bytes())
    return target


def run(
    store: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None
) -> Result:
    environment = {"BONEMETS_QUIZ_NOW": LATER_TEXT, "BONEMETS_QUIZ_TZ": "UTC", **(env or {})}
    result = CliRunner().invoke(cli, ["--store", str(store), *args], env=environment, input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"crashed: {result.exception!r}") from result.exception
    return result


# ---------------------------------------------------------------------------- the fit


def test_fit_on_history_from_known_parameters_beats_the_defaults_on_held_out_reviews(
    synthetic: Path, tmp_path: Path
) -> None:
    with Store.open(copy_of(synthetic, tmp_path)) as store:
        report = optimize_parameters(store, now=LATER, seed=3, save=True)
        assert report.reviews >= 5000 and report.test_items > 100
        assert report.fitted.log_loss < report.default.log_loss
        assert report.fitted.rmse_bins < report.default.rmse_bins
        assert report.better and report.saved
        assert store.settings().parameters == report.parameters
        assert len(report.parameters) == 21
        # the truth scores better still: the held-out reviews really carry the known model
        _, test = _split_items(store, seed=3)
        assert score(fsrs_rs(), KNOWN, test).log_loss < report.default.log_loss


def _split_items(store: Store, seed: int) -> tuple[list, list]:  # type: ignore[type-arg]
    from bonemets_quiz.progress.optimize import split

    rows = [(q, at, r) for q, at, r, *_ in store_log.revlog_rows(store)]
    return split(training_items(day_histories(rows, UTC, 4)), seed)


def test_the_library_api_is_exported_lazily_at_the_top_level() -> None:
    import bonemets_quiz

    assert bonemets_quiz.optimize_parameters is optimize_parameters
    assert "optimize_parameters" in bonemets_quiz.__all__


def test_the_same_seed_fits_the_same_parameters_and_saves_nothing_without_save(
    synthetic: Path, tmp_path: Path
) -> None:
    with Store.open(copy_of(synthetic, tmp_path)) as store:
        first = optimize_parameters(store, now=LATER, seed=5)
        second = optimize_parameters(store, now=LATER, seed=5)
        assert first.parameters == second.parameters and not first.saved
        assert first.fitted.log_loss == pytest.approx(second.fitted.log_loss, abs=1e-6)
        assert store.settings().parameters is None


def test_parameters_are_saved_only_when_they_beat_those_in_use(
    synthetic: Path, tmp_path: Path
) -> None:
    path = copy_of(synthetic, tmp_path)
    first = run(path, "optimize")
    assert first.exit_code == 0, first.output
    assert "Saved: `study` schedules with your parameters" in first.output
    with Store.open(path) as store:
        saved = store.settings().parameters
    assert saved is not None
    again = run(path, "optimize", "--json")  # the same fit: no better than the saved one
    report = json.loads(again.stdout)
    assert report["parameters"] == list(saved) and not report["better"]
    assert report["current"]["log_loss"] == pytest.approx(report["fitted"]["log_loss"], abs=1e-6)
    assert report["saved"] is False
    with Store.open(path) as store:
        assert store.settings().parameters == saved


def test_dry_run_shows_the_fit_and_saves_nothing(synthetic: Path, tmp_path: Path) -> None:
    path = copy_of(synthetic, tmp_path)
    result = run(path, "optimize", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Fitted FSRS parameters to 5,0")
    default = next(line for line in lines if "default parameters" in line).split()
    fitted = next(line for line in lines if "fitted parameters" in line).split()
    assert float(fitted[2]) < float(default[2])  # log loss
    assert "Not saved (--dry-run)." in result.output
    with Store.open(path) as store:
        assert store.settings() == Settings()
    data = json.loads(run(path, "optimize", "--dry-run", "--json").stdout)
    assert data["dry_run"] and not data["saved"] and data["better"]
    assert set(data["fitted"]) == {"log_loss", "rmse_bins"} and len(data["parameters"]) == 21


# ---------------------------------------------------------------------------- refusals


def test_fifty_reviews_are_refused_saying_how_many_are_needed(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        count = fill(store, 50)
        with pytest.raises(NotEnoughHistory, match=f"at least {MIN_REVIEWS} reviews"):
            optimize_parameters(store, now=LATER, seed=0)
    result = run(path, "optimize")
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert f"too little history to fit parameters: {count} reviews" in line
    assert f"at least {MIN_REVIEWS} reviews" in line
    with Store.open(path) as store:
        assert store.settings().parameters is None


def test_many_reviews_on_one_day_are_not_enough(tmp_path: Path) -> None:
    """500 reviews crammed into one day give FSRS nothing to learn forgetting from."""
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        rows = [
            store_log.NewReview(f"d/q{n % 100}", to_us(START + timedelta(seconds=n)), 3, "", None,
                                "", 0)
            for n in range(500)
        ]  # fmt: skip
        insert_reviews(store, rows)
    result = run(path, "optimize")
    assert result.exit_code == 2 and "500 reviews, 0 on a later day" in result.output


def test_without_fsrs_rs_the_command_names_the_pip_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "fsrs_rs_python", None)  # import raises ImportError
    result = run(tmp_path / "progress.sqlite3", "optimize")
    assert result.exit_code == 2
    assert result.output.strip() == f"Error: fitting parameters needs fsrs-rs-python: {INSTALL}"
    assert not (tmp_path / "progress.sqlite3").exists()


def test_no_store_is_a_one_line_error(tmp_path: Path) -> None:
    result = run(tmp_path / "none.sqlite3", "optimize")
    assert result.exit_code == 2 and "No progress yet" in result.output
    assert not (tmp_path / "none.sqlite3").exists()


# ---------------------------------------------------------------------------- retention


def test_suggest_retention_uses_the_optimal_retention_and_changes_nothing(
    synthetic: Path, tmp_path: Path
) -> None:
    path = copy_of(synthetic, tmp_path)
    before = path.read_bytes()
    result = run(path, "optimize", "--suggest-retention", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert 0.7 <= data["retention"] <= 0.99 and data["current"] == 0.9
    assert data["parameters"] == "default" and data["questions"] == 546  # those reviewed
    assert data["own_ratings"]
    text = run(path, "optimize", "--suggest-retention").output
    assert f"Suggested desired retention: {data['retention']:.2f} (now 0.90)" in text
    assert "with the default parameters and your rating habits." in text
    assert f"bonemets-quiz study --retention {data['retention']}" in text
    assert path.read_bytes() == before


def test_rating_habits_come_from_first_reviews_and_later_recalls(tmp_path: Path) -> None:
    with Store.open(tmp_path / "progress.sqlite3") as store:
        assert rating_shares(store, UTC, 4) is None  # no history: fsrs-rs's averages
        fill(store, 5000)
        first, recalled = rating_shares(store, UTC, 4)  # type: ignore[misc]
    drawn = histories(5000, 1)  # what fill stored: (day, rating) lists
    firsts = [h[0][1] for h in drawn]
    later = [r for h in drawn for (d, _), (e, r) in itertools.pairwise(h) if e > d and r > 1]
    assert first == [(firsts.count(r) + 1) / (len(firsts) + 4) for r in (1, 2, 3, 4)]
    assert recalled == [(later.count(r) + 1) / (len(later) + 3) for r in (2, 3, 4)]
    assert recalled == pytest.approx([0.15, 0.70, 0.15], abs=0.03)  # as fsrs_synth draws them


# ---------------------------------------------------------------------------- items


def test_items_count_study_days_with_the_4_am_boundary() -> None:
    at = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    times = [at, at + timedelta(hours=4), at + timedelta(hours=6), at + timedelta(days=3)]
    rows = [("q", to_us(t), rating) for t, rating in zip(times, (1, 3, 3, 1), strict=True)]
    (history,) = day_histories(rows, UTC, 4).values()
    # 23:00 and 03:00 are one study day; 05:00 is the next
    items = items_of("q", history)
    assert [item.reviews for item in items] == [
        ((1, 0), (3, 0), (3, 1)),
        ((1, 0), (3, 0), (3, 1), (1, 2)),
    ]
    assert day_histories(rows, UTC, 4, until_us=to_us(times[1]))["q"] == history[:2]


# ---------------------------------------------------------------------------- study uses them


def test_saved_parameters_round_trip_and_are_checked() -> None:
    settings = Settings(parameters=KNOWN)
    assert settings_from_dict(json.loads(json.dumps(settings_to_dict(settings)))) == settings
    with pytest.raises(ValueError, match="21 parameters"):
        Settings(parameters=KNOWN[:19]).checked()  # FSRS-5's count
    with pytest.raises(ValueError, match="21 parameters"):
        Settings(parameters=(float("nan"), *KNOWN[1:])).checked()
    assert Scheduler(settings)._scheduler.parameters == KNOWN
    assert Scheduler(Settings())._scheduler.parameters != KNOWN
    # a hand-edited store whose decay fsrs refuses schedules with the defaults, not a crash
    wild = Scheduler(Settings(parameters=(*KNOWN[:20], 5.0)))
    assert wild._scheduler.parameters == Scheduler(Settings())._scheduler.parameters


def test_study_schedules_with_the_saved_parameters(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        store.save_settings(Settings(parameters=KNOWN))
    deck = write_deck(tmp_path, DECK)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "BONEMETS_QUIZ_SEED": "1"}
    now = {"BONEMETS_QUIZ_NOW": "2026-03-10T09:00:00+00:00"}
    result = run(
        path, "study", "--deck", str(deck), "--new", "1", env={**env, **now}, input="\n4\n"
    )
    assert result.exit_code == 0, result.output
    with Store.open(path) as store:
        (card,) = [c for c in store.cards().values() if c.reps]
    assert card.stability == KNOWN[3]  # a first Easy: the initial stability w3 (default 8.3)


def test_study_start_up_does_not_import_fsrs_rs() -> None:
    code = (
        "import sys; import bonemets_quiz.cli.study, bonemets_quiz.study.session, "
        "bonemets_quiz.study.scheduling as s; s.Scheduler(s.Settings());"
        "print('fsrs_rs_python' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
