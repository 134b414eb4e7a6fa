"""``python -m bonemets_quiz`` and the ``bonemets-quiz`` command (its entry point: ``launch``)."""

from __future__ import annotations


def launch() -> None:
    """Start the CLI with cyclic collection paused until the command is under way (``study``:
    until its first question is on screen; see ``gc_pause.pause_start_up``)."""
    from .gc_pause import pause_start_up

    pause_start_up()
    from .cli import main

    main()


if __name__ == "__main__":
    launch()
