"""``restore``: list the backups of the progress store, or go back to one."""

from __future__ import annotations

import os
from typing import Any

import click

from ..errors import StoreError
from ..paths import backup_dir
from ..wording import plural
from .common import echo_json, safe_text, store_path
from .study_options import clock_option, make_clock
from .terminal import wrap


@click.command()
@click.argument("backup", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@clock_option
@click.pass_context
def restore(ctx: click.Context, backup: str | None, as_json: bool, fixed_now: str | None) -> None:
    """List the backups of your progress, or go back to one (BACKUP: a file, or a listed name).

    `study` backs your progress up as you go: at most every 30 minutes, when a session starts
    or ends, keeping the newest 10, in a `backups` folder beside the store. Restoring backs the
    current store up first, so a restore can itself be undone.

    \b
    Examples:
      bonemets-quiz restore                 # list the backups, newest first
      bonemets-quiz restore progress-20260310T090000Z.sqlite3
    """
    from ..study.store.backup import restore as restore_backup

    path = store_path(ctx)
    if backup is None:
        _list(path, as_json)
        return
    chosen = backup if os.path.exists(backup) else os.path.join(backup_dir(path), backup)
    done = restore_backup(chosen, path, make_clock(fixed_now)())
    if as_json:
        echo_json(
            {
                "store": path,
                "restored": done.backup,
                "answers": done.reviews,
                "saved_first": done.saved_first.path if done.saved_first else None,
                "moved_aside": done.moved_aside,
            }
        )
        return
    click.echo(
        wrap(
            f"Restored {safe_text(path)} from {safe_text(done.backup)}: "
            f"{plural(done.reviews, 'answer')}."
        )
    )
    if done.saved_first:
        click.echo(wrap(f"The store as it was is backed up as {safe_text(done.saved_first.path)}."))
    if done.moved_aside:
        click.echo(wrap(f"The damaged store was kept as {safe_text(done.moved_aside)}."))


def _list(path: str, as_json: bool) -> None:
    from ..study.store.backup import list_backups

    rows = [_describe(b.path, b.taken.isoformat(), b.size) for b in list_backups(path)]
    if as_json:
        echo_json({"store": path, "folder": backup_dir(path), "backups": rows})
    else:
        _show(path, rows)


def _describe(path: str, taken: str, size: int) -> dict[str, Any]:
    from ..study.store.backup import count_reviews

    try:
        answers, problem = count_reviews(path), None
    except StoreError as exc:
        answers, problem = None, str(exc)
    return {
        "name": os.path.basename(path),
        "path": path,
        "taken": taken,
        "bytes": size,
        "answers": answers,
        "problem": problem,
    }


def _show(path: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        click.echo(wrap(f"No backups of {safe_text(path)} yet (`bonemets-quiz study` takes them)."))
        return
    click.echo(wrap(f"Backups of {safe_text(path)}, newest first:"))
    for row in rows:
        state = (
            plural(row["answers"], "answer") if row["problem"] is None else "damaged: not usable"
        )
        click.echo(f"  {safe_text(row['name'])}  {row['bytes'] / 1000:.0f} KB  {state}")
    click.echo(wrap("Restore one with `bonemets-quiz restore NAME`."))
