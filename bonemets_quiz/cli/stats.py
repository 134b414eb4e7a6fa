"""``stats``: progress figures from the store, as text or JSON."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import click

from ..study.store.store import Store
from .common import echo_json, safe_path, safe_text, store_path, style
from .study_options import (
    cache_dir,
    clock_option,
    local_zone,
    make_clock,
    no_progress,
    open_existing_store,
    zone_option,
)
from .terminal import bar_chart, column_chart, unicode_ok, width, wrap


@click.command()
@click.option(
    "--deck",
    "decks",
    multiple=True,
    type=click.Path(),
    help="Record the current questions of these decks first (new/retired counts follow edits; "
    "with no store yet: the built-in deck).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@clock_option
@zone_option
@click.pass_context
def stats(
    ctx: click.Context,
    decks: tuple[str, ...],
    as_json: bool,
    fixed_now: str | None,
    tz_name: str | None,
) -> None:
    """Show progress: cards by state, due forecast, reviews per day, retention, hardest questions.

    \b
    Examples:
      bonemets-quiz stats
      bonemets-quiz stats --json
      bonemets-quiz stats --deck my-deck.yaml
    """
    from ..study.stats import compute

    now = make_clock(fixed_now)()
    zone = local_zone(tz_name)
    path = store_path(ctx)
    store = open_existing_store(ctx, read_only=True) or Store.in_memory(path)
    exists = os.path.exists(path)
    try:
        if decks or not exists:  # no progress yet: the deck's questions are all new
            from ..bank.cache import load_bank

            bank = load_bank(decks, 0, cache_dir())
            if store.read_only:  # the decks' questions are counted in a copy, not saved
                scratch = store.copy_in_memory()
                store.close()
                store = scratch
            store.sync(bank.questions, now, bank.fingerprint)
        figures = compute(store, now, zone, store.settings())
    finally:
        store.close()
    if as_json:
        echo_json({"store": path, "store_exists": exists, **figures})
        return
    render_stats(figures, path, exists)


def render_stats(figures: dict[str, Any], path: str, exists: bool = True) -> None:
    fancy = unicode_ok()
    c = figures["counts"]
    click.echo(f"Progress store: {safe_path(path)}" if exists else wrap(no_progress(path)))
    click.echo(
        f"Questions: {c['new']} new · {c['learning']} learning · {c['review']} review · "
        f"{c['retired']} retired · {c['leeches']} leeches"
    )
    click.echo(f"Due today: {figures['due_today']} · answers saved: {figures['reviews_total']}")
    _render_activity(figures, fancy)
    _render_retention(figures)
    _render_hardest(figures)


def _render_activity(figures: dict[str, Any], fancy: bool) -> None:
    click.echo(style("\nDue in the next 14 days", bold=True))
    rows = [
        (("today " if n == 0 else "") + f"{date.fromisoformat(d['date']):%a %d %b}", d["due"])
        for n, d in enumerate(figures["forecast"])
    ]
    for line in bar_chart(rows, width() - 2, fancy):
        click.echo("  " + line)
    days = figures["reviews_per_day"]
    counts = [d["reviews"] for d in days]
    click.echo(style(f"\nReviews per day, {days[0]['date']} to {days[-1]['date']}", bold=True))
    for line in column_chart(counts, 4, fancy):
        click.echo("  " + line)
    click.echo(f"  {sum(counts)} in 30 days, {sum(counts) / 30:.1f} a day, at most {max(counts)}")


def _render_retention(figures: dict[str, Any]) -> None:
    click.echo(style("\nTrue retention (answers to learned questions not forgotten)", bold=True))
    for span, label in (("7d", "last 7 days"), ("30d", "last 30 days")):
        r = figures["retention"][span]
        value = (
            f"{r['rate']:.0%} ({r['passed']} of {r['reviews']})" if r["rate"] is not None else "—"
        )
        click.echo(f"  {label}: {value}")


def _render_hardest(figures: dict[str, Any]) -> None:
    if figures["hardest"]:
        click.echo(style("\nHardest questions", bold=True))
        for n, h in enumerate(figures["hardest"], start=1):
            head = f"{n}. {h['lapses']} lapses, difficulty {h['difficulty']:.1f}: "
            click.echo(wrap(head + safe_text(h["prompt"] or h["id"]), "  ", "     "))
    if figures["leeches"]:
        threshold = figures["settings"]["leech_lapses"]
        click.echo(style(f"\nLeeches ({threshold} or more lapses)", bold=True))
        for qid in figures["leeches"]:
            click.echo(f"  {safe_text(qid)}")
