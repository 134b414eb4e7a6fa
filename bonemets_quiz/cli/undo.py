"""``undo``: take back the last answer saved, whenever it was."""

from __future__ import annotations

import click

from .common import safe_text, store_path
from .study_options import local_zone, no_progress, open_existing_store, zone_option
from .terminal import wrap


@click.command()
@zone_option
@click.pass_context
def undo(ctx: click.Context, tz_name: str | None) -> None:
    """Take back the last answer saved: the question's schedule returns to what it was.

    Repeat to take back earlier answers, one at a time.

    \b
    Examples:
      bonemets-quiz undo
    """
    zone = local_zone(tz_name)
    store = open_existing_store(ctx)
    if store is None:
        click.echo(wrap("Nothing to undo. " + no_progress(store_path(ctx))))
        return
    try:
        # what to show is read before the answer is taken back: an error after the take-back
        # is committed must not hide that it was
        last = store.last_review()
        snapshot = store.questions([last.question_id]).get(last.question_id) if last else None
        row = store.undo_last()
    finally:
        store.close()
    if row is None:
        click.echo("Nothing to undo: no answer is saved.")
        return
    if last is None or row.question_id != last.question_id:  # another session answered since
        snapshot = None
    text = safe_text(snapshot.prompt) if snapshot else row.question_id
    when = row.reviewed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    click.echo(wrap(f"Took back your answer ({row.rating.label}, {when}) to: {text}"))
