"""The ``bonemets-quiz`` command group. Commands live in sibling modules, loaded only when run."""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import click

from ..errors import DeckError, QuizError
from ..gc_pause import end_start_up

# command name → "module:function"; a command's module (and its heavy imports) load only when run.
COMMANDS: dict[str, str] = {
    "questions": "bank:questions",
    "validate": "bank:validate",
    "study": "study:study",
    "stats": "stats:stats",
    "undo": "undo:undo",
    "restore": "restore:restore",
    "export": "export:export",
    "progress": "progress:progress",
    "optimize": "optimize:optimize",
    "report": "report:report",
    "init": "educator:init",
    "schema": "educator:schema",
    "worksheet": "educator:worksheet",
}
# commands that end the start-up themselves (``gc_pause.end_start_up``): once the first question
# is on screen
LATE_START = {"study"}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        if cmd_name not in LATE_START:
            end_start_up()
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{module_name}":
                raise
            return None  # a command whose module is not written yet is simply absent
        command: click.Command = getattr(module, attribute)
        return command

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DeckError as exc:
            from .common import problem_text

            for problem in exc.problems:
                click.echo(problem_text(problem), err=True)
            ctx.exit(exc.exit_code)
        except QuizError as exc:
            from .common import safe_path

            click.echo(f"Error: {safe_path(exc)}", err=True)
            ctx.exit(exc.exit_code)


def _version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:  # the deck (and the YAML loader) are read only when --version is given
        from .version import show_version

        show_version(ctx, param, value)


STORE_HELP = "Progress database (default: the user data directory; env BONEMETS_QUIZ_STORE)."


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Run `bonemets-quiz COMMAND --help` for each command's options and examples. "
    "Educational, not medical advice.",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_version,
    help="Show the version of bonemets-quiz and of its built-in deck, and exit.",
)
@click.option(
    "--store", type=click.Path(dir_okay=False), envvar="BONEMETS_QUIZ_STORE", help=STORE_HELP
)
@click.pass_context
def cli(ctx: click.Context, store: str | None) -> None:
    """Spaced-repetition quiz and Anki decks on metastatic bone cancer.

    \b
    Examples:
      bonemets-quiz study                 # today's reviews on the built-in deck
      bonemets-quiz questions --format json
      bonemets-quiz export -o bone-metastasis.apkg
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store


def tolerant_streams() -> None:
    """What the terminal's encoding cannot show is written as escapes (``\u2192``), not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # a closed or detached stream has nothing to protect
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def main() -> None:
    tolerant_streams()
    if os.environ.get("TERM") == "dumb" or "NO_COLOR" in os.environ:
        os.environ.setdefault("CLICK_NO_COLOR", "1")
    sys.exit(cli.main(prog_name="bonemets-quiz"))
