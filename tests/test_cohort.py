"""Cohort parameters: FSRS fitted to a class's reviews, written into the deck's ``scheduling:``
field, loaded and validated, and used by ``study`` unless the learner has their own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest_study import DECK
from deck_files import write_deck
from fsrs_synth import KNOWN, START, fill, histories

from bonemets_quiz.bank.cache import load_bank
from bonemets_quiz.bank.loading import load_deck, parse_deck
from bonemets_quiz.cli import cli
from bonemets_quiz.deck.loader import builtin_deck_path
from bonemets_quiz.deck.parameters import with_scheduling
from bonemets_quiz.errors import DeckError
from bonemets_quiz.insight import cohort
from bonemets_quiz.insight.cohort import FitRefused, fit_cohort_parameters, fit_into_deck
from bonemets_quiz.progress.fsrs_items import day_histories, training_items
from bonemets_quiz.progress.optimize import MIN_REVIEWS, NotEnoughHistory, fsrs_rs, score
from bonemets_quiz.progress.review_log import LogRecord
from bonemets_quiz.study.scheduling import CardState, Rating, Scheduler, Settings
from bonemets_quiz.study.store.rows import to_us
from bonemets_quiz.study.store.store import Store

NOW = datetime(2040, 1, 1, 9, 0, tzinfo=UTC)  # after every simulated review
LEARNERS = 60
TRAIN = 48  # the first 48 learners fit; the last 12 are never seen by the fit


def learner_log(number: int, reviews: int = 250) -> list[LogRecord]:
    """One simulated learner: ~``reviews`` reviews whose recall follows the KNOWN parameters
    (their own seeded draws; question ids shared with every other learner)."""
    records: list[LogRecord] = []
    for q, history in enumerate(histories(reviews, seed=1000 + number)):
        qid = f"mini/q{q}"
        last = (-1, 0)
        for day, rating in history:
            minutes = last[1] + 10 if day == last[0] else 0
            when = START + timedelta(days=day, minutes=minutes)
            state = CardState(qid)  # the fit reads only times and ratings
            records.append(
                LogRecord(qid, "", when, Rating(rating), None, "", "", None, state, state)
            )
            last = (day, minutes)
    return records


@pytest.fixture(scope="module")
def klass() -> dict[str, list[LogRecord]]:
    return {f"learner-{n:02}": learner_log(n) for n in range(LEARNERS)}


def training(klass: dict[str, list[LogRecord]]) -> dict[str, list[LogRecord]]:
    return dict(list(klass.items())[:TRAIN])


def held_out_items(klass: dict[str, list[LogRecord]]) -> list:  # type: ignore[type-arg]
    rows = [
        (f"{learner}/{r.question_id}", to_us(r.reviewed_at), int(r.rating))
        for learner, records in list(klass.items())[TRAIN:]
        for r in records
    ]
    return training_items(day_histories(rows, UTC, 4))


# ---------------------------------------------------------------------------- the fit


def test_cohort_fit_predicts_unseen_learners_better_than_the_defaults(
    klass: dict[str, list[LogRecord]],
) -> None:
    result = fit_cohort_parameters(training(klass), now=NOW, seed=0)
    assert result.learners == TRAIN and result.reviews > 10_000
    assert result.train_learners + result.test_learners == TRAIN and result.test_learners >= 9
    assert result.better and result.fitted.log_loss < result.default.log_loss
    assert len(result.parameters) == 21
    # learners the fit never saw, not even as its own held-out share
    rs, unseen = fsrs_rs(), held_out_items(klass)
    assert len(unseen) > 1500
    fitted, default = score(rs, result.parameters, unseen), score(rs, rs.DEFAULT_PARAMETERS, unseen)
    assert fitted.log_loss < default.log_loss - 0.01
    assert fitted.rmse_bins < default.rmse_bins
    assert score(rs, KNOWN, unseen).log_loss < default.log_loss  # the truth is in the reviews


def test_each_learner_s_reviews_of_a_question_are_their_own_card(
    klass: dict[str, list[LogRecord]],
) -> None:
    """The same question ids in every log: merged into one history they would make nonsense."""
    five = dict(list(klass.items())[:5])
    grouped = fit_cohort_parameters(five, now=NOW)
    per_learner = sum(
        len(training_items(day_histories(
            [(r.question_id, to_us(r.reviewed_at), int(r.rating)) for r in records], UTC, 4
        )))
        for records in five.values()
    )  # fmt: skip
    assert grouped.train_items + grouped.test_items == per_learner
    with pytest.raises(FitRefused, match=r"at least 5 learners \(one log per learner\); got 1"):
        fit_cohort_parameters([r for records in five.values() for r in records], now=NOW)


def test_too_few_reviews_are_refused_with_the_optimizer_s_message(tmp_path: Path) -> None:
    few = {f"l{n}": learner_log(n, reviews=10) for n in range(6)}
    with pytest.raises(NotEnoughHistory, match=f"at least {MIN_REVIEWS} reviews"):
        fit_cohort_parameters(few, now=NOW)
    deck = write_deck(tmp_path, DECK)
    before = deck.read_bytes()
    with pytest.raises(NotEnoughHistory, match=f"at least {MIN_REVIEWS} reviews"):
        fit_into_deck(few, deck, NOW)
    assert deck.read_bytes() == before


def test_reviews_after_now_are_left_out(klass: dict[str, list[LogRecord]]) -> None:
    early = fit_cohort_parameters(training(klass), now=START + timedelta(days=30))
    assert early.reviews < fit_cohort_parameters(training(klass), now=NOW).reviews


# ---------------------------------------------------------------------------- into the deck

HAND = (*KNOWN[:3], 42.0, *KNOWN[4:])  # written by hand: a w3 no fit gives
COMMENTED = (
    "# A deck with comments: the fit must keep every byte of them\n"
    + DECK.replace("topics:\n", "# topics below\ntopics:   # two of them\n", 1)
    + "# trailing comment\n"
)


def test_fit_into_deck_appends_the_field_and_keeps_every_other_byte(
    klass: dict[str, list[LogRecord]], tmp_path: Path
) -> None:
    deck = write_deck(tmp_path, COMMENTED)
    deck.chmod(0o640)
    before = deck.read_bytes()
    line = fit_into_deck(training(klass), deck, NOW)
    after = deck.read_bytes()
    assert after.startswith(before)
    block = after[len(before) :].decode()
    assert block.startswith("scheduling:\n") and '  fitted: "48 learners, ' in block
    assert block.count("\n") == 9
    loaded = load_deck(deck)
    expected = fit_cohort_parameters(training(klass), now=NOW).parameters
    assert loaded.parameters == expected
    assert line.startswith(f"Wrote cohort parameters to {deck} (scheduling:)")
    assert "held-out learners' reviews log loss" in line
    assert os.stat(deck).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini.yaml"]  # no temporary left
    result = CliRunner().invoke(cli, ["validate", str(deck)])
    assert result.exit_code == 0, result.output


def test_fit_into_deck_replaces_only_its_own_block(
    klass: dict[str, list[LogRecord]], tmp_path: Path
) -> None:
    head, tail = COMMENTED.split("facts:\n", 1)
    old = with_scheduling("", HAND, "by hand")
    text = f"{head}{old}\n# the facts\nfacts:\n{tail}"
    deck = write_deck(tmp_path, text)
    assert load_deck(deck).parameters == HAND
    fit_into_deck(training(klass), deck, NOW)
    after = deck.read_text()
    assert after.startswith(head + "scheduling:\n")
    assert after.endswith(f"\n\n# the facts\nfacts:\n{tail}")
    assert after.count("scheduling:") == 1 and "by hand" not in after
    assert load_deck(deck).parameters == fit_cohort_parameters(training(klass), now=NOW).parameters


def test_fit_into_deck_refuses_the_built_in_deck(klass: dict[str, list[LogRecord]]) -> None:
    path = builtin_deck_path()
    before = path.read_bytes()
    with pytest.raises(FitRefused, match="the built-in deck belongs to the installed package"):
        fit_into_deck(training(klass), path, NOW)
    assert path.read_bytes() == before


def test_fit_into_deck_refuses_a_fit_no_better_than_the_defaults(
    klass: dict[str, list[LogRecord]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cohort, "fit", lambda rs, items, seed: tuple(rs.DEFAULT_PARAMETERS))
    deck = write_deck(tmp_path, DECK)
    before = deck.read_bytes()
    with pytest.raises(FitRefused, match="not written") as caught:
        fit_into_deck(training(klass), deck, NOW)
    (line,) = str(caught.value).splitlines()
    assert line.startswith(f"{deck}: not written — the fitted parameters predict the held-out")
    assert deck.read_bytes() == before


def test_fit_into_deck_refuses_a_deck_that_does_not_load(
    klass: dict[str, list[LogRecord]], tmp_path: Path
) -> None:
    deck = write_deck(tmp_path, DECK.replace("kind: list", "kind: lst"))
    before = deck.read_bytes()
    with pytest.raises(DeckError, match="lst"):
        fit_into_deck(training(klass), deck, NOW)
    assert deck.read_bytes() == before


# ---------------------------------------------------------------------------- bad field values

GOOD = ", ".join(map(str, KNOWN))
BAD_FIELDS = [
    # (scheduling block, line, column, message fragment)
    (f"scheduling:\n  parameters: [{GOOD}, 0.5]\n", 2, 15, "has 22 numbers; FSRS-6 needs 21"),
    ("scheduling:\n  parameters: [0.9, 2.5]\n", 2, 15, "has 2 numbers; FSRS-6 needs 21"),
    (
        f"scheduling:\n  parameters: [abc, {GOOD.split(', ', 1)[1]}]\n",
        2, 16, "scheduling parameter w0 `abc` is not a number",
    ),
    (
        f"scheduling:\n  parameters: [.nan, {GOOD.split(', ', 1)[1]}]\n",
        2, 16, "scheduling parameter w0 `.nan` is not a finite number",
    ),
    (
        "scheduling:\n  parameters: [" + GOOD.replace("5.5", ".inf") + "]\n",
        2, 37, "scheduling parameter w4 `.inf` is not a finite number",
    ),
    (
        "scheduling:\n  parameters: [" + GOOD.replace("5.5", "0.5") + "]\n",
        2, 37, "scheduling parameter w4 is 0.5, outside FSRS's range 1.0–10.0",
    ),
    ("scheduling:\n  parameters: 3\n", 2, 15, "scheduling parameters must be a list"),
    ("scheduling:\n  fitted: today\n", 2, 3, "scheduling is missing the required key"),
    ("scheduling: [1, 2]\n", 1, 13, "scheduling must be a mapping"),
    (
        f"scheduling:\n  parameters: [{GOOD}]\n  weights: [1]\n",
        3, 3, "unknown key 'weights' in scheduling",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("block", "line", "column", "message"), BAD_FIELDS)
def test_a_bad_scheduling_field_is_one_located_line(
    tmp_path: Path, block: str, line: int, column: int, message: str
) -> None:
    deck = write_deck(tmp_path, DECK + block)
    first = DECK.count("\n")  # the block starts on the line after the deck
    result = CliRunner().invoke(cli, ["validate", str(deck)])
    assert result.exit_code == 2, result.output
    lines = [x for x in result.output.splitlines() if "scheduling" in x]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"{deck}:{first + line}:{column}: ")
    assert message in lines[0] and " — " in lines[0]


def test_the_field_survives_the_bank_cache(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "test"))
    cache = str(tmp_path / "cache")
    built = load_bank([deck], 0, cache)
    cached = load_bank([deck], 0, cache)
    assert built.decks[0].parameters == cached.decks[0].parameters == KNOWN


# ---------------------------------------------------------------------------- study uses them

STUDY_NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def study(tmp_path: Path, *decks: Path) -> Result:
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "BONEMETS_QUIZ_SEED": "1",
        "BONEMETS_QUIZ_NOW": STUDY_NOW.isoformat(),
        "BONEMETS_QUIZ_TZ": "UTC",
    }
    args = ["--store", str(tmp_path / "progress.sqlite3"), "study", "--new", "1"]
    for deck in decks:
        args += ["--deck", str(deck)]
    result = CliRunner().invoke(cli, args, env=env, input="\n4\n")  # reveal, rate Easy
    assert result.exit_code == 0, result.output
    return result


def answered(tmp_path: Path) -> CardState:
    with Store.open(tmp_path / "progress.sqlite3") as store:
        (card,) = [c for c in store.cards().values() if c.reps]
    return card


def expected_due(card: CardState, parameters: tuple[float, ...] | None) -> datetime | None:
    scheduler = Scheduler(Settings(parameters=parameters), seed=1)
    return scheduler.review(CardState(card.question_id), Rating.EASY, STUDY_NOW).due


def test_study_schedules_with_the_deck_s_cohort_parameters(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "test"))
    study(tmp_path, deck)
    card = answered(tmp_path)
    assert card.stability == KNOWN[3]  # a first Easy: w3 (the default is 8.2956)
    assert card.due == expected_due(card, KNOWN) != expected_due(card, None)
    with Store.open(tmp_path / "progress.sqlite3") as store:
        assert store.settings().parameters is None  # never saved as the learner's own


def test_the_learner_s_own_parameters_win_over_the_deck_s(tmp_path: Path) -> None:
    own = HAND
    with Store.open(tmp_path / "progress.sqlite3") as store:
        store.save_settings(Settings(parameters=own))
    deck = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "test"))
    study(tmp_path, deck)
    card = answered(tmp_path)
    assert card.stability == 42.0
    assert card.due == expected_due(card, own) != expected_due(card, KNOWN)


def test_decks_that_disagree_are_scheduled_with_the_defaults_and_say_so(tmp_path: Path) -> None:
    other = DECK.replace("id: mini", "id: other", 1)
    first = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "a"), "a.yaml")
    second = write_deck(tmp_path, with_scheduling(other, HAND, "b"), "b.yaml")
    result = study(tmp_path, first, second)
    assert "The decks mini, other carry different scheduling parameters" in result.output
    assert answered(tmp_path).stability == pytest.approx(8.2956)  # FSRS's default w3


def test_a_deck_without_the_field_does_not_object(tmp_path: Path) -> None:
    other = write_deck(tmp_path, DECK.replace("id: mini", "id: other", 1), "b.yaml")
    deck = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "a"), "a.yaml")
    result = study(tmp_path, deck, other)
    assert "different scheduling parameters" not in result.output
    assert answered(tmp_path).stability == KNOWN[3]


def test_a_replayed_import_schedules_as_study_did_with_the_deck_s_parameters(
    tmp_path: Path,
) -> None:
    deck = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "test"))
    study(tmp_path, deck)
    log, fresh = tmp_path / "log.jsonl", tmp_path / "fresh.sqlite3"
    runner = CliRunner()
    store = str(tmp_path / "progress.sqlite3")
    exported = runner.invoke(cli, ["--store", store, "progress", "export", "-o", str(log)])
    assert exported.exit_code == 0, exported.output
    imported = runner.invoke(
        cli, ["--store", str(fresh), "progress", "import", str(log), "--deck", str(deck)]
    )
    assert imported.exit_code == 0, imported.output
    with Store.open(fresh) as replayed:
        (card,) = [c for c in replayed.cards().values() if c.reps]
    assert card == answered(tmp_path) and card.stability == KNOWN[3]


# ---------------------------------------------------------------------------- optimize --deck


def test_optimize_saves_own_parameters_only_when_they_beat_the_deck_s(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        fill(store, 5000)
    env = {"BONEMETS_QUIZ_NOW": NOW.isoformat(), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runner = CliRunner()
    base = ["--store", str(path), "optimize", "--json"]
    dry = json.loads(runner.invoke(cli, [*base, "--dry-run"], env=env).stdout)
    assert dry["better"]  # against the defaults
    # a deck carrying exactly what the fit finds: nothing left to beat
    deck = write_deck(tmp_path, with_scheduling(DECK, tuple(dry["parameters"]), "class"))
    result = runner.invoke(cli, [*base, "--deck", str(deck)], env=env)
    report = json.loads(result.stdout)
    assert report["current"]["log_loss"] == pytest.approx(report["fitted"]["log_loss"], abs=1e-6)
    assert not report["better"] and not report["saved"]
    with Store.open(path) as store:
        assert store.settings().parameters is None
    saved = json.loads(runner.invoke(cli, base, env=env).stdout)  # no deck: the defaults to beat
    assert saved["saved"]


def test_a_warm_start_with_cohort_parameters_imports_no_yaml_nor_fsrs_rs(tmp_path: Path) -> None:
    deck = write_deck(tmp_path, with_scheduling(DECK, KNOWN, "test"))
    code = (
        "import sys; from bonemets_quiz.bank.cache import load_bank; "
        "from bonemets_quiz.study.parameters import choose_parameters; "
        "from bonemets_quiz.study.scheduling import Settings; "
        f"bank = load_bank([{str(deck)!r}], 0, {str(tmp_path / 'cache')!r}); "
        "print(choose_parameters(Settings(), bank.decks).source, sorted(m for m in sys.modules "
        "if m.startswith(('yaml', 'fsrs_rs_python', 'bonemets_quiz.deck.loader', "
        "'bonemets_quiz.deck.parameters'))))"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert first.stdout.startswith("deck ") and "yaml" in first.stdout  # built: the loader ran
    assert again.stdout.strip() == "deck []", again.stderr


def test_the_documented_example_loads() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "deck-format.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", docs, re.DOTALL) if "scheduling:" in b]
    deck = parse_deck(DECK + block, "docs.yaml")
    assert deck.parameters is not None and len(deck.parameters) == 21
