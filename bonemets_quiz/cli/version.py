"""``bonemets-quiz --version``: the package's version and the built-in deck's."""

from __future__ import annotations

import hashlib

import click

from .. import __version__


def version_text() -> str:
    """Two lines: the package version; the built-in deck's id, title, format, the digest of its
    file (the deck's own version: any edit changes it) and the date of its source."""
    from ..bank.loading import load_deck
    from ..deck.loader import builtin_deck_path

    path = builtin_deck_path()
    deck = load_deck(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    updated = f", source updated {deck.source.updated}" if deck.source.updated else ""
    return (
        f"bonemets-quiz, version {__version__}\n"
        f"built-in deck: {deck.id} “{deck.title}”, format {deck.format}, "
        f"version {digest}{updated}"
    )


def show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """The ``--version`` option's callback: print and exit (the deck is read only then)."""
    if not value or ctx.resilient_parsing:
        return
    click.echo(version_text())
    ctx.exit()
