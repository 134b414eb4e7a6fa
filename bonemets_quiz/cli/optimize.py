"""``optimize``: personal FSRS parameters fitted to the learner's reviews, and a suggested
desired retention."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from .common import echo_json, store_path
from .study_options import (
    cache_dir,
    clock_option,
    local_zone,
    make_clock,
    no_progress,
    open_existing_store,
    seed_option,
    zone_option,
)

if TYPE_CHECKING:
    from ..study.store.store import Store


@click.command()
@click.option("--dry-run", is_flag=True, help="Show the fit; save nothing.")
@click.option(
    "--suggest-retention",
    is_flag=True,
    help="Suggest a desired retention (FSRS's optimal retention); fits and changes nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--deck",
    "decks",
    multiple=True,
    type=click.Path(),
    help="The decks you study (as for study): their cohort parameters are the ones to beat.",
)
@clock_option
@zone_option
@seed_option
@click.pass_context
def optimize(
    ctx: click.Context,
    dry_run: bool,
    suggest_retention: bool,
    as_json: bool,
    decks: tuple[str, ...],
    fixed_now: str | None,
    tz_name: str | None,
    seed: int | None,
) -> None:
    """Fit FSRS's memory model to your own reviews, so that `study` schedules for you.

    The fit is scored on reviews it did not see (a fifth of your questions, held out): log loss
    and RMSE(bins) for the default parameters and the fitted ones. The fitted parameters are
    saved, and `study` uses them from then on, only when they predict better than the
    parameters in use (yours, else the cohort parameters of the --deck decks, else FSRS's
    defaults). Needs at least 400 reviews spread over several days, and fsrs-rs-python:
    pip install "bonemets-quiz[optimizer]".

    \b
    Examples:
      bonemets-quiz optimize
      bonemets-quiz optimize --dry-run --json
      bonemets-quiz optimize --suggest-retention
      bonemets-quiz optimize --deck class-deck.yaml
    """
    from ..progress.optimize import fsrs_rs

    fsrs_rs()  # before anything else: without it, say how to install it
    read_only = dry_run or suggest_retention
    store = open_existing_store(ctx, read_only=read_only)
    if store is None:
        raise UsageError(no_progress(store_path(ctx)))
    try:
        if suggest_retention:
            _suggest(store, local_zone(tz_name), as_json)
        else:
            _fit(store, fixed_now, tz_name, seed, dry_run, as_json, _deck_parameters(decks))
    finally:
        store.close()


def _fit(
    store: Store,
    fixed_now: str | None,
    tz_name: str | None,
    seed: int | None,
    dry_run: bool,
    as_json: bool,
    deck_parameters: tuple[float, ...] | None,
) -> None:
    from ..progress.optimize import optimize_parameters

    now = make_clock(fixed_now)()
    report = optimize_parameters(
        store,
        now=now,
        seed=0 if seed is None else seed,
        zone=local_zone(tz_name),
        save=not dry_run,
        deck_parameters=deck_parameters,
    )
    if as_json:
        echo_json({**report.to_dict(), "dry_run": dry_run})
        return
    click.echo(
        f"Fitted FSRS parameters to {report.reviews:,} reviews of {report.questions:,} questions "
        f"({report.train_items:,} items to fit, {report.test_items:,} held out)."
    )
    click.echo("On held-out reviews      log loss   RMSE(bins)")
    rows = [("default parameters", report.default)]
    if report.current != report.default:
        rows.append(("parameters in use", report.current))
    rows.append(("fitted parameters", report.fitted))
    for name, fit in rows:
        click.echo(f"  {name:<20} {fit.log_loss:>10.4f} {fit.rmse_bins:>12.4f}")
    if report.saved:
        click.echo("Saved: `study` schedules with your parameters from now on.")
    elif not report.better:
        click.echo("Not saved: they do not predict better than the parameters in use.")
    else:
        click.echo("Not saved (--dry-run).")


def _deck_parameters(decks: tuple[str, ...]) -> tuple[float, ...] | None:
    """The cohort parameters ``study`` would use for these decks (None: none, or no --deck:
    the built-in deck carries none)."""
    if not decks:
        return None
    from ..bank.cache import load_bank
    from ..study.parameters import choose_parameters
    from ..study.scheduling import Settings

    bank = load_bank(decks, 0, cache_dir())
    return choose_parameters(Settings(), bank.decks).settings.parameters


def _suggest(store: Store, zone: tzinfo, as_json: bool) -> None:
    from ..progress.retention import suggest_retention

    suggestion = suggest_retention(store, zone=zone)
    if as_json:
        echo_json(suggestion.to_dict())
        return
    click.echo(
        f"Suggested desired retention: {suggestion.retention:.2f} (now "
        f"{suggestion.current:.2f}), the least study time per fact remembered in a simulated "
        f"year of {suggestion.questions:,} questions with the {suggestion.parameters} parameters"
        f"{' and your rating habits' if suggestion.own_ratings else ''}."
    )
    click.echo(
        f"Nothing was changed; to use it: bonemets-quiz study --retention {suggestion.retention}"
    )
